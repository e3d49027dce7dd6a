#!/usr/bin/env bash
# Renders the sample book's title page, contents (the navigation document), chapter and
# endnotes (from the input folder's notes source) with
# headless Chromium, in the light and the dark colour scheme, to docs/screenshots/*.png, so
# that a person can review what a reader sees. `make screenshots` runs it.
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
shoot() { # page, name, scheme number
  "$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$work/profile-$2-$3" --window-size=720,1000 \
    --blink-settings=preferredColorScheme="$3" \
    --screenshot="docs/screenshots/$2.png" "file://$work/book/OEBPS/$1" 2>/dev/null
}
for page in title:title.xhtml contents:nav.xhtml chapter:1950-01-22.xhtml notes:notes.xhtml; do
  name="${page%%:*}" file="${page#*:}"
  shoot "$file" "$name-light" 1
  shoot "$file" "$name-dark" 0
done
ls docs/screenshots
