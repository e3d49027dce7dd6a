#!/usr/bin/env bash
# Renders the sample book's title page, contents (the navigation document), chapter and
# endnotes (from the input folder's notes source), and the web edition's page of a day, with
# headless Chromium, in the light and the dark colour scheme, to docs/screenshots/*.png, so
# that a person can review what a reader sees; and the same page as `daybook serve` shows it
# to an editor while a note has a warning. `make screenshots` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO="${CARGO:-cargo}"
BROWSER="${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}"
[ -x "$BROWSER" ] || { echo "chromium is missing: apt-get install chromium (make validators does)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/input"
cp tests/fixtures/sample.txt "$work/input/1950-01-22.txt"
cp input/notes/sources.notes "$work/input/"
SOURCE_DATE_EPOCH=1700000000 "$CARGO" run --release --quiet -- \
  --config daybook.toml build --quiet --format epub --input "$work/input" --output "$work/output"
mkdir -p "$work/book" docs/screenshots
unzip -q "$work/output/epub/1950.epub" -d "$work/book"
# Chromium as root needs --no-sandbox; the rest keeps it from reaching the network or
# writing a profile anywhere but the scratch folder. In Blink's settings preferredColorScheme
# 0 is dark and 1 is light.
# The virtual time budget lets a page's scripts run before the picture is taken (the
# preview's live script fetches the diagnostics it shows).
shoot() { # address, name, scheme number, window size
  "$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$work/profile-$2-$3" --window-size="$4" \
    --blink-settings=preferredColorScheme="$3" --virtual-time-budget=3000 \
    --screenshot="docs/screenshots/$2.png" "$1" 2>/dev/null
}
for page in title:title.xhtml contents:nav.xhtml chapter:1950-01-22.xhtml notes:notes.xhtml; do
  name="${page%%:*}" file="${page#*:}"
  shoot "file://$work/book/OEBPS/$file" "$name-light" 1 720,1000
  shoot "file://$work/book/OEBPS/$file" "$name-dark" 0 720,1000
done

# The site, from the whole input folder, as a web server would serve it.
SOURCE_DATE_EPOCH=1700000000 "$CARGO" run --release --quiet -- \
  --config daybook.toml build --quiet --format html --input input --output "$work/site"
shoot "file://$work/site/html/1950/1950-01-22.html" site-day-light 1 900,1100
shoot "file://$work/site/html/1950/1950-01-22.html" site-day-dark 0 900,1100

# The preview: a copy of the notes with a weekday wrong for its date (warning DB0004), served
# on a free port.
# Run in a project folder of its own, so that the box names the note as input/1950-01-22.txt.
mkdir -p "$work/preview"
cp -r input daybook.toml "$work/preview/"
sed -i '1s/(Sunday)/(Monday)/' "$work/preview/input/1950-01-22.txt"
"$CARGO" build --release --quiet
daybook="${CARGO_TARGET_DIR:-$PWD/target}/release/daybook"
(cd "$work/preview" && exec "$daybook" serve --port 0 --output ../preview-site) \
  >"$work/serve.out" 2>/dev/null &
serving=$!
trap 'kill "$serving" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q '^daybook: serving' "$work/serve.out" && break; sleep 0.2; done
address="$(sed -n 's/^daybook: serving \(http:[^ ]*\) .*/\1/p' "$work/serve.out")"
[ -n "$address" ] || { echo "daybook serve did not start" >&2; exit 1; }
shoot "${address}1950/1950-01-22.html" preview-diagnostics 1 900,1100
ls docs/screenshots
