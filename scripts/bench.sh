#!/usr/bin/env bash
# Measures daybook end to end on generated corpora, side by side with pandoc and a gzip floor,
# and writes the table to output/bench.md (also printed). Run by `make bench`.
#
#   BENCH_YEARS_EXTRA=100 scripts/bench.sh   also generates and builds a 100-year corpus
#   BENCH_RUNS=5 scripts/bench.sh            runs of each quick measurement (default 3)
#   BENCH_PAIR_RUNS=21 scripts/bench.sh      turns of each pair the targets compare (default 11)
#
# Times are wall-clock medians; CPU is user + system seconds of the median run; peak memory is
# /usr/bin/time -v's "Maximum resident set size". MB are 10^6 bytes; MB/s is the corpus's
# input bytes over the seconds. Nothing here asserts a time: the table is for reading.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

CARGO=${CARGO:-cargo}
TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
RUNS=${BENCH_RUNS:-3}
PAIR_RUNS=${BENCH_PAIR_RUNS:-11}
EXTRA_YEARS=${BENCH_YEARS_EXTRA:-}
SEED=1 # the seed benches/throughput.rs generates its year from
REPORT=$PWD/output/bench.md
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

install_missing() { # COMMAND PACKAGE: installs PACKAGE from Debian when COMMAND is missing
    if ! command -v "$1" >/dev/null; then
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "$2"
    fi
}
install_missing pandoc pandoc
install_missing /usr/bin/time time
# eatmydata turns fsync into a no-op: the rows it runs show what daybook's per-file fsync costs.
install_missing eatmydata eatmydata

echo "bench: building release" >&2
$CARGO build --release --quiet --bin daybook --example gen_corpus
DAYBOOK=$TARGET_DIR/release/daybook
GENERATE=$TARGET_DIR/release/examples/gen_corpus

machine_load() { # the load average, and what keeps the cores busy over one second
    local busy
    busy=$(top -b -n 2 -d 1 -o %CPU -w 200 | awk '
        /^top -/ {n++}
        n == 2 && /^%Cpu/ {sub(/.*ni, */, ""); printf "CPU %.0f%% busy", 100 - $1}
        n == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 >= 5 {printf "%s %s %.0f%%", (k++ ? "," : ";"), $12, $9}')
    echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $busy"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/daybook-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
load_start=$(machine_load)

days_in_years() { # YEARS: the days from 1950-01-01 to the start of 1950 + YEARS
    echo $((($(date -ud "$((1950 + $1))-01-01" +%s) - $(date -ud 1950-01-01 +%s)) / 86400))
}

generate() { # YEARS: writes $tmp/yYEARS/{notes,markdown} and checks that every note is clean
    local dir=$tmp/y$1
    "$GENERATE" --days "$(days_in_years "$1")" --seed "$SEED" --out "$dir" >&2
    # With --strict every diagnostic fails the check: warnings and errors are all there are.
    if ! "$DAYBOOK" check --strict "$dir/notes" >"$tmp/check" 2>&1; then
        echo "bench: the generated notes are not clean:" >&2
        head -n 40 "$tmp/check" >&2
        exit 1
    fi
}

bytes() { # FOLDER: the bytes of the files below FOLDER
    find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s}'
}

# run_once KEY RUNFILE COMMAND...: runs COMMAND once and appends to RUNFILE "seconds
# cpu-seconds peak-rss-kB".
run_once() {
    local key=$1 runfile=$2 start end
    shift 2
    start=$EPOCHREALTIME
    if ! /usr/bin/time -v -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr"; then
        echo "bench: $key failed: $*" >&2
        cat "$tmp/stderr" "$tmp/time" >&2
        exit 1
    fi
    end=$EPOCHREALTIME
    awk -v s="$start" -v e="$end" '
        /User time/ {u = $NF} /System time/ {y = $NF} /Maximum resident/ {m = $NF}
        END {printf "%.6f %.3f %d\n", e - s, u + y, m}' "$tmp/time" >>"$runfile"
}

# summarize KEY RUNFILE: appends to $tmp/results "KEY seconds cpu-seconds peak-rss-kB" of
# the median run of RUNFILE, the peak being the largest of all.
summarize() {
    sort -n "$2" | awk -v k="$1" '
        {row[NR] = $1 " " $2; if ($3 > m) m = $3}
        END {print k, row[int((NR + 1) / 2)], m}' >>"$tmp/results"
}

# measure KEY RUNS COMMAND...: runs COMMAND RUNS times and summarizes the runs as KEY.
measure() {
    local key=$1 runs=$2 i
    shift 2
    echo "bench: $key" >&2
    : >"$tmp/runs"
    for ((i = 0; i < runs; i++)); do
        run_once "$key" "$tmp/runs" "$@"
    done
    summarize "$key" "$tmp/runs"
}

# measure_pair KEY_A KEY_B RUNS A B: runs the commands held by the arrays named A and B by
# turns, RUNS times each, summarizes each as measure does, and appends to $tmp/pairs
# "KEY_A KEY_B" and the median over the turns of A's seconds over B's. The machine's speed
# drifts from minute to minute by more than some targets' margins; two runs side by side
# meet the same speed, two batches a minute apart need not.
measure_pair() {
    local key_a=$1 key_b=$2 runs=$3 i
    local -n command_a=$4 command_b=$5
    echo "bench: $key_a and $key_b, by turns" >&2
    : >"$tmp/runs_a"
    : >"$tmp/runs_b"
    for ((i = 0; i < runs; i++)); do
        run_once "$key_a" "$tmp/runs_a" "${command_a[@]}"
        run_once "$key_b" "$tmp/runs_b" "${command_b[@]}"
    done
    summarize "$key_a" "$tmp/runs_a"
    summarize "$key_b" "$tmp/runs_b"
    paste -d ' ' "$tmp/runs_a" "$tmp/runs_b" | awk '{print $1 / $4}' | sort -n | awk \
        -v a="$key_a" -v b="$key_b" '{r[NR] = $1} END {print a, b, r[int((NR + 1) / 2)]}' \
        >>"$tmp/pairs"
}

# The targets of issue 13 are set on the three book editions (text, TEI, EPUB); the web
# edition's share is measured on its own.
BOOKS=txt,tei,epub

books() { # NAME YEARS [OPTION...]: sets the array NAME to daybook building the three book
    # editions of the corpus
    local -n books_command=$1
    local years=$2
    shift 2
    books_command=("$DAYBOOK" build --input "$tmp/y$years/notes" --output "$tmp/out$years"
        --format "$BOOKS" --quiet "$@")
}

build() { # KEY RUNS YEARS [OPTION...]: measures daybook building the three book editions
    local key=$1 runs=$2 years=$3 command
    shift 3
    books command "$years" "$@"
    measure "$key" "$runs" "${command[@]}"
}

build_without_fsync() { # KEY YEARS: a forced build with fsync made a no-op, to its own folder
    measure "$1" "$RUNS" eatmydata "$DAYBOOK" build --input "$tmp/y$2/notes" \
        --output "$tmp/out$2-eatmydata" --format "$BOOKS" --quiet --force
}

generate 1
generate 10
[ -z "$EXTRA_YEARS" ] || generate "$EXTRA_YEARS"
# No daybook.toml may change what is measured: every build runs in the empty scratch folder.
cd "$tmp"

# fresh NAME YEARS FORMATS: sets the array NAME to daybook building FORMATS of the corpus into
# a folder that does not exist yet, another on every run: $tmp/fresh.N, N counted in
# $tmp/fresh.next with the shell's builtins only. Making the folder with mktemp cost a process
# of its own, 2 ms, timed with the build; daybook makes the folder as it would mktemp's.
echo 0 >"$tmp/fresh.next"
fresh() {
    local -n fresh_command=$1
    # shellcheck disable=SC2016 # the inner shell expands these
    fresh_command=(sh -c 'read -r n <"$2.next" && echo $((n + 1)) >"$2.next" &&
        exec "$1" build --input "$3" --output "$2.$n" --format "$4" --quiet'
        _ "$DAYBOOK" "$tmp/fresh" "$tmp/y$2/notes" "$3")
}

# The html edition's cost (issue 17: the site adds at most 30% to a full build): the year
# with every edition, then without the site, each run into a new folder. Measured before
# anything is removed: on ext4 without a journal, inodes freed in the last minute are skipped
# when files are created, which would charge the later, larger build for the earlier removals.
for formats in txt,tei,epub,html txt,tei,epub; do
    fresh command 1 "$formats"
    measure "daybook_1y_formats_${formats//,/_}" "$RUNS" "${command[@]}"
done
# The three ratios the targets set on time are measured by turns (measure_pair). The build
# goes into a new folder each time, for the reason above: the first build of a
# collection, no manifest, no outputs. The floor reads and gzips the notes: `tar -czf
# /dev/null` is shown too, but GNU tar reads no file data when its archive is /dev/null, so
# the floor pipes the archive instead.
fresh empty 1 "$BOOKS"
# shellcheck disable=SC2016 # the inner shell expands this
floor=(sh -c 'tar -czf - -C "$1" notes | cat >/dev/null' _ "$tmp/y1")
measure_pair daybook_1y_empty tar_pipe "$PAIR_RUNS" empty floor
measure tar_devnull 5 tar -czf /dev/null -C "$tmp/y1" notes
# Each pair after one build of its own, untimed, so that every turn builds over outputs.
books one_worker 1 --force --jobs 1
books two_workers 1 --force
"${two_workers[@]}" >/dev/null
measure_pair daybook_1y_jobs1 daybook_1y "$PAIR_RUNS" one_worker two_workers
# How far this machine's two cores scale on this work: one one-worker build against two side
# by side, the second of a copy of the year (y1b) into outputs of its own. On independent
# cores the two would take as long as one; twice one's time over the two's is how much two
# processes with nothing shared gain. Both sides start from the same shell.
cp -r "$tmp/y1" "$tmp/y1b"
books beside 1b --force --jobs 1
"${beside[@]}" >/dev/null
# shellcheck disable=SC2016 # the inner shells expand these
{
    alone=(bash -c '"$@"' _ "${one_worker[@]}")
    side_by_side=(bash -c 'n=$1 && shift && { "${@:1:n}" & } && "${@:n+1}" && wait $!'
        _ "${#one_worker[@]}" "${one_worker[@]}" "${beside[@]}")
}
measure_pair daybook_1y_jobs1_alone daybook_1y_jobs1_side_by_side "$PAIR_RUNS" alone side_by_side
# No change against the full build of the ten years: every output rendered and written, into
# a new folder, as the 1-year targets measure it. A forced rebuild over the same outputs
# writes none of them (their bytes are unchanged), and is shown beside it.
fresh full 10 "$BOOKS"
books unchanged 10
books forced 10 --force
"${forced[@]}" >/dev/null
measure_pair daybook_10y_empty daybook_10y_nochange "$PAIR_RUNS" full unchanged
measure_pair daybook_10y daybook_10y_nochange_forced "$PAIR_RUNS" forced unchanged
build_without_fsync daybook_1y_nofsync 1
build_without_fsync daybook_10y_nofsync 10

# Registers: the same 10 years beside a register of 2,000 of the persons and places they
# mention (gen_corpus --register; the notes must be y10's byte for byte). What mention finding
# costs is what `daybook check` (reading, parsing, loading the register and marking, nothing
# written) takes longer with the register than without; the target sets it against the full
# build without a register. A build with the register is timed too: its extra time also holds
# writing the marks, the entries' lists and the indexes, so it bounds mention finding from
# above and is shown without a target.
"$GENERATE" --days "$(days_in_years 10)" --seed "$SEED" --register 2000 --out "$tmp/y10r" >&2
if [ "$(diff -rq "$tmp/y10/notes" "$tmp/y10r/notes")" != "Only in $tmp/y10r/notes: generated.register" ]; then
    echo "bench: the notes generated with a register differ from those without one" >&2
    exit 1
fi
"$DAYBOOK" check --strict "$tmp/y10r/notes" >"$tmp/check" 2>&1 || {
    echo "bench: the notes are not clean with the generated register:" >&2
    head -n 40 "$tmp/check" >&2
    exit 1
}
measure check_10y "$RUNS" "$DAYBOOK" check "$tmp/y10/notes"
measure check_10y_register "$RUNS" "$DAYBOOK" check "$tmp/y10r/notes"
build daybook_10y_register "$RUNS" 10r --force
if [ -n "$EXTRA_YEARS" ]; then
    build daybook_extra 1 "$EXTRA_YEARS" --force
    build daybook_extra_nochange 1 "$EXTRA_YEARS"
fi

# pandoc reads the same year as Markdown: one process per day (two at a time, as daybook
# has two cores), and one process per edition over the year's days concatenated.
mkdir -p "$tmp/pandoc"
find "$tmp/y1/markdown" -name '*.md' | sort >"$tmp/days.list"
while read -r day; do cat "$day" && echo; done <"$tmp/days.list" >"$tmp/year.md"
per_day() { # FORMAT [OPTION...]: one pandoc process per day, two at a time
    local format=$1
    shift
    mkdir -p "$tmp/pandoc/$format"
    # shellcheck disable=SC2016 # the inner shell expands these
    measure "pandoc_day_$format" 1 xargs -a "$tmp/days.list" -P 2 -I{} sh -c \
        'day=$1 out=$2; shift 2; name=${day##*/}; exec pandoc -f markdown "$@" -o "$out/${name%.md}" "$day"' \
        _ {} "$tmp/pandoc/$format" -t "$format" "$@"
}
per_day tei -s -M title=Notes
per_day plain
measure pandoc_year_tei "$RUNS" pandoc -f markdown -t tei -s -M title=Notes -o "$tmp/pandoc/1950.xml" "$tmp/year.md"
measure pandoc_year_plain "$RUNS" pandoc -f markdown -t plain -o "$tmp/pandoc/1950.txt" "$tmp/year.md"
measure pandoc_year_epub "$RUNS" pandoc -f markdown -t epub -M title=Notes -o "$tmp/pandoc/1950.epub" "$tmp/year.md"


cd - >/dev/null
echo "bench: cargo bench (criterion, one thread)" >&2
$CARGO bench --bench throughput >"$tmp/criterion.log" 2>&1 || {
    cat "$tmp/criterion.log" >&2
    exit 1
}
for id in parse/sample parse/year parse/year-one-file sample/text year/text sample/tei-days \
    year/tei-days sample/tei-corpus year/tei-corpus sample/epub year/epub year/mentions; do
    dir=$TARGET_DIR/criterion/$id/new
    ns=$(grep -o '"median":{"confidence_interval":{[^}]*},"point_estimate":[0-9.e+-]*' \
        "$dir/estimates.json" | sed 's/.*://')
    size=$(grep -o '"Bytes":[0-9]*' "$dir/benchmark.json" | sed 's/.*://')
    echo "criterion_${id//[\/-]/_} $ns $size" >>"$tmp/criterion"
done

load_end=$(machine_load)
mkdir -p "$(dirname "$REPORT")"
{
    commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
    [ -z "$(git status --porcelain -- src Cargo.toml 2>/dev/null)" ] || commit="$commit + uncommitted changes"
    echo "# daybook benchmarks"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); daybook $commit; $(pandoc --version | head -n 1);" \
        "$(tar --version | head -n 1); $(nproc) cores ($(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))."
    echo "Before the run: $load_start. After it: $load_end. (Load average over 1, 5 and 15"
    echo "minutes; CPU busy is the share of all cores in use over one second, then the processes"
    echo "using 5% of a core or more.)"
    echo "Seed $SEED. Wall-clock seconds are the median of the runs shown; CPU is user + system"
    echo "seconds of that run; peak RSS is /usr/bin/time's maximum resident set size. MB = 10^6"
    echo "bytes; MB/s = the corpus's input bytes / seconds. daybook builds TXT, TEI and EPUB (\`--format $BOOKS\`) with"
    echo "one worker per core unless \`--jobs 1\`; the eatmydata rows turn fsync into a no-op. pandoc's"
    echo "per-day runs go two at a time (\`xargs -P 2\`). The ratios marked paired were measured by"
    echo "turns ($PAIR_RUNS turns, the two runs of a turn one after the other): each is the median of"
    echo "its turns' ratios, so that the machine's drift over the minutes of the run does not enter it."
    echo
    awk -v n1="$(bytes "$tmp/y1/notes")" -v m1="$(bytes "$tmp/y1/markdown")" \
        -v n10="$(bytes "$tmp/y10/notes")" -v nx="$([ -z "$EXTRA_YEARS" ] || bytes "$tmp/y$EXTRA_YEARS/notes")" \
        -v d1="$(days_in_years 1)" -v d10="$(days_in_years 10)" -v years="$EXTRA_YEARS" \
        -v dx="$([ -z "$EXTRA_YEARS" ] || days_in_years "$EXTRA_YEARS")" '
        FNR == NR && FILENAME ~ /results$/ {t[$1] = $2; c[$1] = $3; m[$1] = $4; next}
        FILENAME ~ /pairs$/ {pair[$1 "/" $2] = $3; next}
        {ns[$1] = $2; sz[$1] = $3}
        function mb(b) {return b / 1e6}
        function row(name, key, bytes, runs) {
            printf "| %s | %.2f | %d | %.3f | %.2f | %.1f | %s |\n", name, mb(bytes), runs, t[key], c[key],
                mb(bytes) / t[key], (key ~ /^tar/ ? "" : sprintf("%.1f", m[key] * 1.024e-3))
        }
        function sum_row(name, keys, bytes,    n, k, i, s, cpu) {
            n = split(keys, k, " ")
            for (i = 1; i <= n; i++) {s += t[k[i]]; cpu += c[k[i]]}
            printf "| %s | %.2f | | %.3f | %.2f | %.1f | |\n", name, mb(bytes), s, cpu, mb(bytes) / s
            return s
        }
        function ratio(name, value, target, ok) {
            printf "| %s | %s | %s | %s |\n", name, value, target, (target == "" ? "" : (ok ? "met" : "**not met**"))
        }
        function mbs(id) {return sz[id] / ns[id] * 1e3}
        function max(a, b) {return a > b ? a : b}
        END {
            print "| Run | Input MB | Runs | Seconds | CPU s | MB/s | Peak RSS MB |"
            print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
            row("daybook build into a new folder, 1 year", "daybook_1y_empty", n1, P)
            row("daybook build --format txt,tei,epub,html into a new folder, 1 year", "daybook_1y_formats_txt_tei_epub_html", n1, R)
            row("daybook build --format txt,tei,epub into a new folder, 1 year", "daybook_1y_formats_txt_tei_epub", n1, R)
            row("daybook build --force, 1 year (" d1 " days)", "daybook_1y", n1, P)
            row("daybook build --force --jobs 1, 1 year", "daybook_1y_jobs1", n1, P)
            row("daybook build --force --jobs 1, 1 year, alone (turns with the next row)", "daybook_1y_jobs1_alone", n1, P)
            row("two daybook build --force --jobs 1 side by side, 1 year, each over its own outputs", "daybook_1y_jobs1_side_by_side", n1, P)
            row("daybook build into a new folder, 10 years (" d10 " days)", "daybook_10y_empty", n10, P)
            row("daybook build --force, 10 years", "daybook_10y", n10, P)
            row("daybook build, no change, 10 years (turns with the new-folder build)", "daybook_10y_nochange", n10, P)
            row("daybook build, no change, 10 years (turns with --force)", "daybook_10y_nochange_forced", n10, P)
            row("daybook build --force, 10 years, with a 2,000-name register", "daybook_10y_register", n10, R)
            row("daybook check, 10 years", "check_10y", n10, R)
            row("daybook check, 10 years, with a 2,000-name register", "check_10y_register", n10, R)
            row("daybook build --force, 1 year, fsync disabled (eatmydata)", "daybook_1y_nofsync", n1, R)
            row("daybook build --force, 10 years, fsync disabled (eatmydata)", "daybook_10y_nofsync", n10, R)
            if (years != "") {
                row("daybook build into a new folder, " years " years (" dx " days)", "daybook_extra", nx, 1)
                row("daybook build, no change, " years " years", "daybook_extra_nochange", nx, 1)
            }
            row("pandoc -t tei -s, one process per day", "pandoc_day_tei", m1, 1)
            row("pandoc -t plain, one process per day", "pandoc_day_plain", m1, 1)
            row("pandoc -t tei -s, the year in one process", "pandoc_year_tei", m1, R)
            row("pandoc -t plain, the year in one process", "pandoc_year_plain", m1, R)
            row("pandoc -t epub, the year in one process", "pandoc_year_epub", m1, R)
            per_day = sum_row("**pandoc, per day** (TEI and plain per day, EPUB per year)",
                "pandoc_day_tei pandoc_day_plain pandoc_year_epub", m1)
            per_edition = sum_row("**pandoc, per edition** (TEI, plain, EPUB of the year)",
                "pandoc_year_tei pandoc_year_plain pandoc_year_epub", m1)
            row("tar -czf - notes \\| cat >/dev/null, 1 year (the floor)", "tar_pipe", n1, P)
            row("tar -czf /dev/null notes, 1 year (reads no file data)", "tar_devnull", n1, 5)
            fastest = (per_day < per_edition ? per_day : per_edition)
            d = t["daybook_1y"]
            print ""
            print "| Measure | Value | Target | Met |"
            print "| --- | ---: | --- | --- |"
            e = t["daybook_1y_empty"]
            ratio("parse, generated year, one thread (criterion)", sprintf("%.1f MB/s", mbs("criterion_parse_year")),
                ">= 300 MB/s", mbs("criterion_parse_year") >= 300)
            ratio("parse, sample, one thread (criterion)", sprintf("%.1f MB/s", mbs("criterion_parse_sample")), "", 0)
            ratio("parse, generated year as one file (criterion)", sprintf("%.1f MB/s", mbs("criterion_parse_year_one_file")), "", 0)
            floor = pair["daybook_1y_empty/tar_pipe"]
            ratio("full build into a new folder / floor (tar -czf - \\| cat), 1 year, paired", sprintf("%.2f", floor),
                "<= 2.0", floor <= 2.0)
            ratio("--force rebuild / build into a new folder, 1 year", sprintf("%.2f", d / e), "<= 1.2", d / e <= 1.2)
            all = t["daybook_1y_formats_txt_tei_epub_html"]
            books = t["daybook_1y_formats_txt_tei_epub"]
            ratio("html edition / full build of all editions, 1 year, new folder", sprintf("%.2f", (all - books) / all),
                "<= 0.30", (all - books) / all <= 0.30)
            unchanged = 1 / pair["daybook_10y_empty/daybook_10y_nochange"]
            ratio("no change / full build into a new folder, 10 years, paired", sprintf("%.3f", unchanged), "<= 0.03",
                unchanged <= 0.03)
            ratio("no change / --force rebuild (which writes nothing), 10 years, paired",
                sprintf("%.3f", 1 / pair["daybook_10y/daybook_10y_nochange_forced"]), "", 0)
            jobs = pair["daybook_1y_jobs1/daybook_1y"]
            ratio("--jobs 1 / --jobs 2 (speed-up), 1 year, --force, paired", sprintf("%.2f", jobs), ">= 1.9", jobs >= 1.9)
            scaling = 2 * pair["daybook_1y_jobs1_alone/daybook_1y_jobs1_side_by_side"]
            ratio("scaling of the two cores here: 2 x one --jobs 1 build / two side by side, paired",
                sprintf("%.2f", scaling), "", 0)
            ratio("--jobs speed-up / that scaling", sprintf("%.2f", jobs / scaling), "", 0)
            if (years != "") {
                peak = max(m["daybook_extra"], m["daybook_extra_nochange"]) * 1.024e-3
                ratio("peak RSS, " years " years (full or no-change build)", sprintf("%.1f MB", peak), "<= 100 MB", peak <= 100)
                ratio(years " years / 1 year, full build into a new folder", sprintf("%.1f", t["daybook_extra"] / e),
                    "<= " years * 1.05, t["daybook_extra"] / e <= years * 1.05)
            } else {
                print "| peak RSS, 100 years | not measured (BENCH_YEARS_EXTRA=100) | <= 100 MB | not measured |"
                print "| 100 years / 1 year, full build | not measured (BENCH_YEARS_EXTRA=100) | <= 105 | not measured |"
            }
            ratio("daybook / pandoc per day, 1 year", sprintf("%.4f (%.0fx faster)", d / per_day, per_day / d), "", 0)
            ratio("daybook / pandoc per edition, 1 year", sprintf("%.4f (%.0fx faster)", d / per_edition, per_edition / d), "", 0)
            ratio("daybook / pandoc fastest way, 1 year", sprintf("%.4f (%.0fx faster)", d / fastest, fastest / d), "", 0)
            ratio("daybook --force / floor, 1 year", sprintf("%.1f", d / t["tar_pipe"]), "", 0)
            ratio("daybook with fsync disabled / floor, 1 year", sprintf("%.1f", t["daybook_1y_nofsync"] / t["tar_pipe"]), "", 0)
            ratio("10 years / 1 year, time", sprintf("%.1f", t["daybook_10y"] / d), "", 0)
            ratio("10 years / 1 year, time, fsync disabled", sprintf("%.1f", t["daybook_10y_nofsync"] / t["daybook_1y_nofsync"]), "", 0)
            peak = max(m["daybook_10y"], m["daybook_10y_nochange"]) * 1.024e-3
            ratio("peak RSS, 10 years (full or no-change build)", sprintf("%.1f MB", peak), "", 0)
            mentions = (t["check_10y_register"] - t["check_10y"]) / t["daybook_10y"]
            ratio("mention finding (check with - without register) / full build without, 10 years, 2,000 names",
                sprintf("%.3f", mentions), "<= 0.333", mentions <= 1 / 3)
            register = t["daybook_10y_register"] / t["daybook_10y"] - 1
            ratio("all a register costs (build with - without) / full build without, 10 years, 2,000 names",
                sprintf("%.3f", register), "", 0)
            ratio("mention finding, generated year, 2,000 names, one thread (criterion)",
                sprintf("%.1f MB/s", mbs("criterion_year_mentions")), "", 0)
            print ""
            print "Criterion, one thread, median of 10 samples; MB/s of source notes (bytes of the notes"
            print "that were parsed or that the AST came from):"
            print ""
            print "| Stage | Sample MB/s | Year MB/s |"
            print "| --- | ---: | ---: |"
            split("parse text tei_days tei_corpus epub", stages, " ")
            for (i = 1; i <= 5; i++) {
                s = stages[i]
                a = (s == "parse" ? "criterion_parse_sample" : "criterion_sample_" s)
                b = (s == "parse" ? "criterion_parse_year" : "criterion_year_" s)
                printf "| %s | %.1f | %.1f |\n", s, mbs(a), mbs(b)
            }
        }' R="$RUNS" P="$PAIR_RUNS" "$tmp/results" "$tmp/pairs" "$tmp/criterion"
} >"$REPORT"
cat "$REPORT"
echo "bench: written to ${REPORT#"$PWD"/}" >&2
