//! Bad input: every class of damage a real notes folder holds meets an exact diagnostic, and
//! the build goes on to convert the good notes beside it. Then the limits (file size, stack
//! depth, giant inputs) and properties over arbitrary bytes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread;

use daybook::ast::Day;
use daybook::diagnostic::Code;
use daybook::edition::text;
use daybook::syntax::parse;
use proptest::prelude::*;

const GOOD: &str = "January 22, 1950 (Sunday)\n\nThe talks began in Moscow.[56]\n";

/// A build of `input/good.txt` (the note [`GOOD`]) beside `input/{name}` holding `bad`.
struct Build {
    dir: tempfile::TempDir,
    output: Output,
}

impl Build {
    fn run(name: &str, bad: &[u8], extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input");
        fs::create_dir(&input).unwrap();
        fs::write(input.join("good.txt"), GOOD).unwrap();
        fs::write(input.join(name), bad).unwrap();
        Self::in_dir(dir, extra)
    }

    fn in_dir(dir: tempfile::TempDir, extra: &[&str]) -> Self {
        let output = Command::new(env!("CARGO_BIN_EXE_daybook"))
            .args([
                "build", "--input", "input", "--output", "output", "--format", "txt,tei",
            ])
            .args(extra)
            .current_dir(dir.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        Self { dir, output }
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// The first line of every diagnostic printed: `file:line:column: severity[code]: message`.
    fn diagnostics(&self) -> Vec<String> {
        self.stderr()
            .lines()
            .filter(|line| line.starts_with("input/"))
            .map(str::to_owned)
            .collect()
    }

    fn status(&self) -> Option<i32> {
        self.output.status.code()
    }

    fn day_output(&self, format: &str, date: &str) -> PathBuf {
        let extension = if format == "tei" { "xml" } else { format };
        self.dir
            .path()
            .join(format!("output/{format}/1950/{date}.{extension}"))
    }

    /// Whether the day `date` (`1950-01-22`) was written in both editions.
    fn built(&self, date: &str) -> bool {
        let (txt, tei) = (self.day_output("txt", date), self.day_output("tei", date));
        assert_eq!(txt.is_file(), tei.is_file(), "{}", self.stderr());
        txt.is_file()
    }

    /// Asserts the good note was converted whatever happened to the bad one.
    fn assert_good_note_built(&self) {
        assert!(self.built("1950-01-22"), "{}", self.stderr());
        let mut expected = String::new();
        text::write_day(&parse(GOOD.as_bytes()).days[0], text::WIDTH, &mut expected);
        assert_eq!(
            fs::read_to_string(self.day_output("txt", "1950-01-22")).unwrap(),
            expected
        );
        let tei = fs::read_to_string(self.day_output("tei", "1950-01-22")).unwrap();
        assert!(roxmltree::Document::parse(&tei).is_ok(), "{tei}");
    }
}

fn bad_fixture(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bad")
            .join(name),
    )
    .unwrap()
}

/// Builds the fixture `name` beside the good note and checks the exact diagnostics, the exit
/// status, that the good note was built and whether the bad note's day (1950-01-23) was.
fn assert_build(name: &str, diagnostics: &[&str], status: i32, bad_day_built: bool) -> Build {
    let build = Build::run(name, &bad_fixture(name), &[]);
    assert_eq!(build.diagnostics(), diagnostics, "{}", build.stderr());
    assert_eq!(build.status(), Some(status), "{}", build.stderr());
    build.assert_good_note_built();
    assert_eq!(
        build.built("1950-01-23"),
        bad_day_built,
        "{}",
        build.stderr()
    );
    build
}

// One fixture per class of damage.

#[test]
fn a_note_without_a_heading_is_an_error_and_the_rest_is_built() {
    assert_build(
        "no-heading.txt",
        &[
            "input/no-heading.txt:1:1: error[DB0002]: the file must start with a day heading, found `Two days later, Zhou left for Moscow.`",
        ],
        1,
        false,
    );
}

#[test]
fn an_impossible_heading_date_is_an_error_at_the_day_number() {
    assert_build(
        "impossible-date.txt",
        &[
            "input/impossible-date.txt:1:10: error[DB0003]: impossible date: February 30, 1950 does not exist",
        ],
        1,
        false,
    );
}

#[test]
fn a_wrong_weekday_is_a_warning_and_the_day_is_built() {
    assert_build(
        "wrong-weekday.txt",
        &[
            "input/wrong-weekday.txt:1:19: warning[DB0004]: January 23, 1950 was a Monday, not a Sunday",
        ],
        0,
        true,
    );
}

#[test]
fn windows_1252_text_is_an_error_at_the_first_bad_byte() {
    assert_build(
        "invalid-utf8.txt",
        &[
            "input/invalid-utf8.txt:3:4: error[DB0001]: invalid UTF-8: byte 0xE9 at byte offset 30 is not part of a UTF-8 character",
        ],
        1,
        false,
    );
}

#[test]
fn utf16_is_an_error_that_names_the_encoding() {
    let build = assert_build(
        "utf16.txt",
        &[
            "input/utf16.txt:1:1: error[DB0001]: invalid UTF-8: the file is UTF-16 (it starts with a UTF-16 byte-order mark)",
        ],
        1,
        false,
    );
    assert!(
        build
            .stderr()
            .contains("= expected: UTF-8 text (convert the file, e.g. `iconv -f UTF-16 -t UTF-8`)")
    );
}

#[test]
fn a_file_cut_inside_a_character_is_called_truncated() {
    assert_build(
        "truncated.txt",
        &[
            "input/truncated.txt:3:20: error[DB0001]: invalid UTF-8: the file ends inside a character (byte 0xE2 at byte offset 46 starts one that is cut off); it may be truncated",
        ],
        1,
        false,
    );
}

#[test]
fn control_characters_are_warnings_replaced_visibly_in_the_editions() {
    let build = assert_build(
        "control-characters.txt",
        &[
            "input/control-characters.txt:3:9: warning[DB0005]: control character U+0007 cannot be carried by the editions; replaced by U+FFFD",
            "input/control-characters.txt:3:22: warning[DB0005]: control character U+001B cannot be carried by the editions; replaced by U+FFFD",
            "input/control-characters.txt:5:5: warning[DB0005]: control character U+000C cannot be carried by the editions; replaced by U+FFFD",
            "input/control-characters.txt:5:15: warning[DB0005]: control character U+007F cannot be carried by the editions; replaced by U+FFFD",
        ],
        0,
        true,
    );
    let txt = fs::read_to_string(build.day_output("txt", "1950-01-23")).unwrap();
    assert!(
        txt.contains("The bell\u{FFFD} rang twice.\u{FFFD}[31m"),
        "{txt}"
    );
    assert!(
        !txt.contains(|c: char| c.is_control() && c != '\n'),
        "{txt:?}"
    );
}

#[test]
fn a_lone_carriage_return_is_a_warning_that_names_old_mac_line_endings() {
    assert_build(
        "mac-line-endings.txt",
        &[
            "input/mac-line-endings.txt:1:26: warning[DB0005]: carriage return U+000D without a line feed cannot be carried by the editions; replaced by U+FFFD",
            "input/mac-line-endings.txt:1:26: error[DB0011]: malformed day heading: found `\u{FFFD}\u{FFFD}The`",
            "input/mac-line-endings.txt:1:27: warning[DB0005]: carriage return U+000D without a line feed cannot be carried by the editions; replaced by U+FFFD",
        ],
        1,
        false,
    );
}

#[test]
fn nul_bytes_in_a_text_note_are_warnings_and_the_day_is_built() {
    let build = assert_build(
        "nul-bytes.txt",
        &[
            "input/nul-bytes.txt:3:10: warning[DB0005]: control character U+0000 cannot be carried by the editions; replaced by U+FFFD",
            "input/nul-bytes.txt:3:19: warning[DB0005]: control character U+0000 cannot be carried by the editions; replaced by U+FFFD",
        ],
        0,
        true,
    );
    let tei = fs::read_to_string(build.day_output("tei", "1950-01-23")).unwrap();
    assert!(
        tei.contains("The cable\u{FFFD} arrived\u{FFFD} late."),
        "{tei}"
    );
}

#[test]
fn a_binary_file_named_txt_is_one_error_without_a_snippet_of_noise() {
    let build = assert_build(
        "binary.txt",
        &[
            "input/binary.txt:1:1: error[DB0001]: invalid UTF-8: the file is binary data, not text: it holds NUL bytes, and byte 0x89 at byte offset 0 is not UTF-8",
        ],
        1,
        false,
    );
    assert!(!build.stderr().contains("PNG"), "{}", build.stderr());
}

#[test]
fn an_empty_file_is_an_error_that_says_it_is_empty() {
    assert_build(
        "empty.txt",
        &["input/empty.txt:1:1: error[DB0002]: the file is empty: it holds no day heading"],
        1,
        false,
    );
}

#[test]
fn a_file_of_blank_lines_is_an_error_that_says_so() {
    assert_build(
        "blank-lines.txt",
        &[
            "input/blank-lines.txt:1:1: error[DB0002]: the file holds only blank lines: it holds no day heading",
        ],
        1,
        false,
    );
}

#[test]
fn unterminated_brackets_stay_text_without_a_diagnostic() {
    let build = assert_build("unterminated-bracket.txt", &[], 0, true);
    let txt = fs::read_to_string(build.day_output("txt", "1950-01-23")).unwrap();
    assert!(
        txt.contains("The treaty [56 was signed [see the 19th and [sic."),
        "{txt}"
    );
}

#[test]
fn an_unterminated_quotation_is_a_warning_and_stays_text() {
    let build = assert_build(
        "unterminated-quotation.txt",
        &[
            "input/unterminated-quotation.txt:3:11: warning[DB0014]: unterminated quotation: this `\"` has no partner; kept as text",
        ],
        0,
        true,
    );
    let txt = fs::read_to_string(build.day_output("txt", "1950-01-23")).unwrap();
    assert!(
        txt.contains("Zhou said \"the talks will last.[57]"),
        "{txt}"
    );
}

#[test]
fn impossible_media_dates_and_times_are_errors() {
    assert_build(
        "impossible-media.txt",
        &[
            "input/impossible-media.txt:3:1: error[DB0006]: impossible media date `19501332`",
            "input/impossible-media.txt:5:10: error[DB0006]: impossible media time `2460`",
        ],
        1,
        false,
    );
}

#[test]
fn a_list_number_too_large_for_any_integer_is_an_error() {
    assert_build(
        "huge-list-number.txt",
        &[
            "input/huge-list-number.txt:5:3: error[DB0015]: list number 123456789012345678901234567890 is too large",
        ],
        1,
        false,
    );
}

#[test]
fn a_cross_reference_to_a_day_that_cannot_exist_is_an_error() {
    assert_build(
        "impossible-cross-reference.txt",
        &[
            "input/impossible-cross-reference.txt:3:19: error[DB0009]: cross-reference to the 32nd, but January 1950 has 31 days",
        ],
        1,
        false,
    );
}

// A heading or closing line that starts a block inside a chunk (no blank line before it) is
// read as one: the text edition writes a blank line before every block, where it would be.

#[test]
fn a_heading_right_after_a_media_code_starts_the_next_day() {
    let parsed = parse(b"January 22, 1950 (Sunday)\n19500122 0000 pic\nJanuary 23, 1950\nText.\n");
    assert_eq!(parsed.diagnostics, []);
    let dates: Vec<String> = parsed.days.iter().map(|d| d.date().to_string()).collect();
    assert_eq!(dates, ["1950-01-22", "1950-01-23"]);
}

#[test]
fn a_closing_line_right_after_a_list_item_closes_the_day() {
    let parsed = parse(
        b"January 22, 1950 (Sunday)\n\n  1. Wang Jiaxiang\nNotes for Sunday January 22, 1950\n",
    );
    assert_eq!(parsed.diagnostics, []);
    assert!(parsed.days[0].closing.is_some());
}

#[test]
fn a_broken_heading_right_after_a_media_code_is_an_error_there() {
    let parsed = parse(b"January 22, 1950 (Sunday)\n\n19500122 0000 pic\nFebruary 30, 1950\n");
    let found: Vec<_> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line, d.column))
        .collect();
    assert_eq!(found, [("DB0003", 4, 10)]);
}

#[test]
fn a_date_alone_on_a_line_inside_a_paragraph_stays_prose_with_a_warning() {
    let parsed = parse(b"January 22, 1950 (Sunday)\n\nThe talks began on\nJanuary 23, 1950\n");
    let found: Vec<_> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line, d.column))
        .collect();
    assert_eq!(found, [(Code::HeadingInParagraph, 4, 1)]);
    assert!(!parsed.has_errors());
    assert_eq!(parsed.days.len(), 1);
}

// Giant notes, made here rather than committed.

/// A paragraph of `bytes` bytes on one line: words, citations and quotations.
fn giant_paragraph(bytes: usize) -> String {
    let words = "Zhou \"met\" the delegates.[56] Mao stayed in Moscow, café 14,000 ";
    let mut paragraph = words.repeat(bytes / words.len() + 1);
    let cut = (0..=bytes)
        .rev()
        .find(|&i| paragraph.is_char_boundary(i))
        .unwrap_or(0);
    paragraph.truncate(cut);
    paragraph.trim_end().to_owned()
}

fn same_days(a: &[Day], b: &[Day]) -> bool {
    let erase = |days: &[Day]| {
        let mut days = days.to_vec();
        days.iter_mut().for_each(Day::erase_positions);
        days
    };
    erase(a) == erase(b)
}

#[test]
fn a_three_megabyte_paragraph_on_one_line_is_built() {
    let note = format!(
        "January 23, 1950 (Monday)\n\n{}\n",
        giant_paragraph(3 << 20)
    );
    let build = Build::run("giant.txt", note.as_bytes(), &[]);
    assert_eq!(build.diagnostics(), Vec::<String>::new());
    assert_eq!(build.status(), Some(0), "{}", build.stderr());
    build.assert_good_note_built();
    let txt = fs::read(build.day_output("txt", "1950-01-23")).unwrap();
    assert!(
        same_days(&parse(&txt).days, &parse(note.as_bytes()).days),
        "the text edition of the giant paragraph reads back to another day"
    );
}

#[test]
fn ten_thousand_list_items_are_built() {
    let items: String = (1..=10_000)
        .map(|n| format!("  {n}. Delegate number {n} of the conference,\n\n"))
        .collect();
    let note =
        format!("January 23, 1950 (Monday)\n\nThe delegates were\n\n{items}and the talks began.\n");
    let build = Build::run("items.txt", note.as_bytes(), &[]);
    assert_eq!(build.diagnostics(), Vec::<String>::new());
    assert_eq!(build.status(), Some(0), "{}", build.stderr());
    build.assert_good_note_built();
    let tei = fs::read_to_string(build.day_output("tei", "1950-01-23")).unwrap();
    let doc = roxmltree::Document::parse(&tei).unwrap();
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("item")).count(),
        10_000
    );
}

#[test]
fn a_flood_of_errors_is_reported_ten_times_and_then_counted() {
    let note = format!(
        "January 23, 1950 (Monday)\n\n{}",
        "19501332 0000 pic\n\n".repeat(1_000)
    );
    let build = Build::run("flood.txt", note.as_bytes(), &[]);
    let diagnostics = build.diagnostics();
    assert_eq!(diagnostics.len(), 11, "{}", build.stderr());
    assert_eq!(
        diagnostics[10],
        "input/flood.txt:21:1: error[DB0006]: 990 more DB0006 errors in this file, not shown one by one"
    );
    assert_eq!(build.status(), Some(1));
    build.assert_good_note_built();
}

#[test]
fn a_diagnostic_in_a_giant_line_quotes_and_shows_only_a_little_of_it() {
    let digits = "9".repeat(1 << 20);
    let note = format!("January 23, 1950 (Monday)\n\n  {digits}. item\n");
    let build = Build::run("digits.txt", note.as_bytes(), &[]);
    assert_eq!(
        build.diagnostics(),
        [format!(
            "input/digits.txt:3:3: error[DB0015]: list number {}… is too large",
            "9".repeat(40)
        )]
    );
    assert!(build.stderr().len() < 2_000, "{}", build.stderr().len());
}

// The size limit.

#[test]
fn a_note_over_sixteen_mebibytes_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    fs::create_dir(&input).unwrap();
    fs::write(input.join("good.txt"), GOOD).unwrap();
    // Sparse: the file claims 17 MiB without taking the disk space.
    fs::File::create(input.join("dump.txt"))
        .unwrap()
        .set_len(17 << 20)
        .unwrap();
    let build = Build::in_dir(dir, &[]);
    assert_eq!(
        build.diagnostics(),
        [
            "input/dump.txt:1:1: error[DB0019]: the file has 17825792 bytes, more than the limit of 16777216; not read"
        ]
    );
    assert_eq!(build.status(), Some(1));
    build.assert_good_note_built();
}

#[test]
fn the_size_limit_is_configurable() {
    let note = format!("January 23, 1950 (Monday)\n\n{}\n", giant_paragraph(200));
    let build = Build::run("long.txt", note.as_bytes(), &["--max-file-size", "100"]);
    assert_eq!(
        build.diagnostics(),
        [format!(
            "input/long.txt:1:1: error[DB0019]: the file has {} bytes, more than the limit of 100; not read",
            note.len()
        )]
    );
    assert_eq!(build.status(), Some(1));
}

// No input can exhaust the stack: the grammar has no recursion that grows with the input.

/// Runs `f` on a thread with a 256 KiB stack, an eighth of what test threads get.
fn on_a_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// Parses `body` as the prose of a day on a small stack and writes its text edition.
fn parse_on_a_small_stack(body: String) -> (usize, usize) {
    on_a_small_stack(move || {
        let note = format!("January 23, 1950 (Monday)\n\n{body}\n");
        let parsed = parse(note.as_bytes());
        let mut edition = String::new();
        text::write_days(&parsed.days, text::WIDTH, &mut edition);
        (parsed.days.len(), edition.len())
    })
}

#[test]
fn ten_megabytes_of_opening_brackets_parse_on_a_small_stack() {
    let (days, written) = parse_on_a_small_stack("[".repeat(10 << 20));
    assert_eq!(days, 1);
    assert!(written > 10 << 20);
}

#[test]
fn ten_megabytes_of_quote_marks_parse_on_a_small_stack() {
    let (days, written) = parse_on_a_small_stack("\"".repeat(10 << 20));
    assert_eq!(days, 1);
    assert!(written > 10 << 20);
}

#[test]
fn quotes_around_brackets_and_long_citations_parse_on_a_small_stack() {
    for body in [
        "\"[".repeat(2 << 20),
        format!("[{}]", "1, ".repeat(1 << 20)),
        format!("\"{}\"", "[see the 1st]".repeat(1 << 16)),
        "\"a\n".repeat(1 << 18),
        "  1. a\n".repeat(1 << 17),
    ] {
        let (days, _) = parse_on_a_small_stack(body);
        assert_eq!(days, 1);
    }
}

#[test]
fn many_days_and_sections_parse_on_a_small_stack() {
    let days = on_a_small_stack(|| {
        let first = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        let note: String = first
            .iter_days()
            .take(20_000)
            .map(|date| format!("{}\n\nText.\n\n\n\nMore.\n\n", date.format("%B %-d, %Y")))
            .collect();
        parse(note.as_bytes()).days.len()
    });
    assert_eq!(days, 20_000);
}

// Properties over arbitrary bytes.

/// Pieces of notes that stress the grammar when strung together in any order.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"January 22, 1950 (Sunday)".to_vec()),
        Just(b"February 30, 1950".to_vec()),
        Just(b"Notes for Sunday January 22, 1950".to_vec()),
        Just(b"19500122 0000 pic".to_vec()),
        Just(b"  1. ".to_vec()),
        Just(b"[see the 19th]".to_vec()),
        Just(b"[56, 57-58]".to_vec()),
        Just(b"[".to_vec()),
        Just(b"]".to_vec()),
        Just(b"\"".to_vec()),
        Just(b" to ".to_vec()),
        Just(b" concerning ".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\n\n\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\0".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"\xE9".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just("é北京".as_bytes().to_vec()),
        "[0-9]{1,25}".prop_map(String::into_bytes),
        "[A-Za-z.,:!? ]{1,12}".prop_map(String::into_bytes),
    ]
}

fn note_like() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(fragment(), 0..60).prop_map(|parts| parts.concat())
}

/// Parsing never panics; an error-free parse's text edition reads back to the same days.
fn check_bytes(bytes: &[u8]) -> Result<(), TestCaseError> {
    let parsed = parse(bytes);
    prop_assert!(!parsed.days.is_empty() || parsed.has_errors());
    if parsed.has_errors() {
        return Ok(());
    }
    let mut edition = String::new();
    text::write_days(&parsed.days, text::WIDTH, &mut edition);
    let reparsed = parse(edition.as_bytes());
    prop_assert!(
        !reparsed.has_errors(),
        "{:?}\n{edition}",
        reparsed.diagnostics
    );
    prop_assert!(same_days(&reparsed.days, &parsed.days), "{edition}");
    // The text edition starts no line of a paragraph where a heading could stand.
    prop_assert!(
        reparsed
            .diagnostics
            .iter()
            .all(|d| d.code != Code::HeadingInParagraph),
        "{:?}\n{edition}",
        reparsed.diagnostics
    );
    Ok(())
}

/// Found by the property tests below: eight digits and two spaces (`19500000  1.`) are one
/// word to the text edition, which did not see that a line starting with them is a media
/// code.
#[test]
fn eight_digits_before_two_spaces_never_start_a_line_of_the_text_edition() {
    check_bytes(
        b"January 22, 1950 (Sunday)\n\n[56, 57-58]19500122 0000 pic\n[see the 19th]Notes for \
          Sunday January 22, 19500000  1. ",
    )
    .unwrap();
}

/// Found by the property tests below: a list marker with no text is prose, and the date
/// under it ran into it; the text edition wrote `1. February 30, 1950` back on one line,
/// which is a list item.
#[test]
fn a_bare_list_marker_above_a_date_reads_back_as_the_same_paragraph() {
    check_bytes(b"January 22, 1950 (Sunday)\n\n  1. \r\nFebruary 30, 1950").unwrap();
    check_bytes(
        b"January 22, 1950 (Sunday)\n\n  1. \r\nJanuary 22, 1950 (Sunday)February 30, 1950",
    )
    .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_bytes_parse_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        check_bytes(&bytes)?;
    }

    #[test]
    fn any_bytes_after_a_heading_parse_and_round_trip(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        check_bytes(&[b"January 22, 1950 (Sunday)\n\n".as_slice(), &bytes].concat())?;
    }

    #[test]
    fn note_like_bytes_parse_and_round_trip(bytes in note_like()) {
        check_bytes(&bytes)?;
    }

    #[test]
    fn note_like_bytes_after_a_heading_parse_and_round_trip(bytes in note_like()) {
        check_bytes(&[b"January 22, 1950 (Sunday)\n\n".as_slice(), &bytes].concat())?;
    }
}

// Issue 12: the inputs a build must refuse or skip without hanging, and names that must not
// reach the terminal or the editions raw.

/// Runs the daybook binary in `dir`, failing the test if it has not finished in ten seconds
/// (a FIFO opened for reading would block it forever).
fn daybook_within_ten_seconds(args: &[&str], dir: &Path) -> Output {
    daybook_as(Command::new(env!("CARGO_BIN_EXE_daybook")), args, dir)
}

fn daybook_as(mut command: Command, args: &[&str], dir: &Path) -> Output {
    let mut child = command
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("daybook {args:?} hung");
        }
        thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn a_fifo_named_on_the_command_line_is_refused_by_check_and_parse_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("x.txt"));
    for command in ["check", "parse"] {
        let out = daybook_within_ten_seconds(&[command, "x.txt"], dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(
                "x.txt:1:1: warning[DB0041]: a FIFO (named pipe), not a regular file; skipped unread\n"
            ),
            "{command}: {err}"
        );
        assert_eq!(out.status.code(), Some(0), "{command}: {err}");
    }
}

#[test]
fn dev_zero_is_refused_as_a_device_instead_of_being_read() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["check", "parse"] {
        let out = daybook_within_ten_seconds(&[command, "/dev/zero"], dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(
                "/dev/zero:1:1: warning[DB0041]: a device, not a regular file; skipped unread\n"
            ),
            "{command}: {err}"
        );
    }
}

#[test]
fn parse_and_check_have_the_same_size_limit_as_build() {
    let dir = tempfile::tempdir().unwrap();
    let note = format!("January 23, 1950 (Monday)\n\n{}\n", giant_paragraph(200));
    fs::write(dir.path().join("long.txt"), &note).unwrap();
    let expected = format!(
        "long.txt:1:1: error[DB0019]: the file has {} bytes, more than the limit of 100; not read\n",
        note.len()
    );
    for command in ["check", "parse"] {
        let out = daybook_within_ten_seconds(
            &[command, "--max-file-size", "100", "long.txt"],
            dir.path(),
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with(&expected), "{command}: {err}");
        assert_eq!(out.status.code(), Some(1), "{command}: {err}");
    }
}

#[test]
fn skipped_inputs_are_warnings_with_codes_and_the_rest_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    fs::create_dir(&input).unwrap();
    fs::write(input.join("good.txt"), GOOD).unwrap();
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.txt"),
        "January 24, 1950 (Tuesday)\n\nNot for publication.\n",
    )
    .unwrap();
    fs::create_dir(input.join(".drafts")).unwrap();
    fs::write(
        input.join(".drafts/real.txt"),
        "January 25, 1950 (Wednesday)\n\nLinked from elsewhere in the folder.\n",
    )
    .unwrap();
    let link = |target: &Path, name: &str| std::os::unix::fs::symlink(target, input.join(name));
    link(Path::new("nowhere.txt"), "dangling.txt").unwrap();
    link(Path::new("loop.txt"), "loop.txt").unwrap();
    link(&outside.path().join("secret.txt"), "secret.txt").unwrap();
    link(Path::new(".drafts/real.txt"), "inside.txt").unwrap();
    mkfifo(&input.join("pipe.txt"));
    let build = Build::in_dir(dir, &[]);
    let secret = build.diagnostics().last().cloned().unwrap_or_default();
    assert_eq!(
        build.diagnostics(),
        [
            "input/dangling.txt:1:1: warning[DB0040]: a symbolic link whose target does not exist; skipped",
            "input/loop.txt:1:1: warning[DB0040]: a symbolic link loop; skipped",
            "input/pipe.txt:1:1: warning[DB0041]: a FIFO (named pipe), not a regular file; skipped unread",
            secret.as_str(),
        ]
    );
    assert!(
        secret.starts_with("input/secret.txt:1:1: warning[DB0042]: a symbolic link to /")
            && secret.ends_with(
                "/secret.txt, outside the input folder; skipped, so that a build publishes only what the folder holds"
            ),
        "{secret}"
    );
    assert_eq!(build.status(), Some(0), "{}", build.stderr());
    build.assert_good_note_built();
    assert!(
        build.built("1950-01-25"),
        "a link inside the folder is followed"
    );
    assert!(
        !build.built("1950-01-24"),
        "the note outside is not published"
    );
}

/// A command that runs daybook as the unprivileged user `nobody` when the tests run as root,
/// for whom permissions do not stop reads.
fn unprivileged(dir: &Path) -> Command {
    use std::os::unix::fs::PermissionsExt as _;
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    if root {
        // nobody must reach the project folder and write the output folder in it.
        fs::set_permissions(dir, fs::Permissions::from_mode(0o777)).unwrap();
        let mut command = Command::new("setpriv");
        command.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_daybook"),
        ]);
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_daybook"))
    }
}

// Issue 12, item 5: one unreadable sub-folder stopped the whole build with exit 2.
#[test]
fn an_unreadable_sub_folder_is_a_warning_and_the_rest_is_built() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    fs::create_dir_all(input.join("locked")).unwrap();
    fs::write(input.join("good.txt"), GOOD).unwrap();
    fs::write(
        input.join("locked/hidden.txt"),
        "January 23, 1950 (Monday)\n\nBehind a closed door.\n",
    )
    .unwrap();
    fs::set_permissions(&input, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(input.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();
    let command = unprivileged(dir.path());
    let out = daybook_as(command, &["build", "--format", "txt,tei"], dir.path());
    fs::set_permissions(input.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    // After the configuration's own warnings (no licence, no editor: DB0060, DB0061).
    assert!(
        err.lines().any(|line| line
            == "input/locked:1:1: warning[DB0043]: cannot read the folder: Permission denied (os error 13); the notes in it are not built"),
        "{err}"
    );
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(dir.path().join("output/tei/1950/1950-01-22.xml").is_file());
    assert!(!dir.path().join("output/tei/1950/1950-01-23.xml").exists());
}

// Issue 12, item 7: a file name could retitle or clear the terminal, and names that are not
// UTF-8 were shown lossily.
#[test]
fn file_names_in_diagnostics_have_control_characters_and_bad_bytes_escaped() {
    use std::os::unix::ffi::OsStrExt as _;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    fs::create_dir(&input).unwrap();
    let wrong_weekday = "January 22, 1950 (Monday)\n\nText.\n";
    fs::write(input.join("\u{1b}]0;owned\u{7}\u{9b}2J.txt"), wrong_weekday).unwrap();
    fs::write(
        input.join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt")),
        "January 23, 1950 (Sunday)\n\nText.\n",
    )
    .unwrap();
    let out = daybook_within_ten_seconds(&["check"], dir.path());
    assert!(
        !out.stderr
            .iter()
            .any(|&b| b == 0x1b || b == 0x07 || b == 0x9b),
        "raw control bytes reached the terminal"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("input/\\x1b]0;owned\\x07\\u{9b}2J.txt:1:19: warning[DB0004]"),
        "{err}"
    );
    assert!(
        err.contains("input/caf\\xe9.txt:1:19: warning[DB0004]"),
        "{err}"
    );
}

// Issue 12, item 6: a 16 MiB note of one-letter blocks took 2.7 GB to parse. Reading a note
// is bounded to 15 times its size plus 32 MiB (docs/safety.md); such a note runs out, and is
// reported where it did, with the rest left unread.
#[test]
fn a_note_too_dense_for_its_size_is_reported_where_its_memory_runs_out() {
    let mut note = String::from("January 22, 1950 (Sunday)\n\n");
    note.push_str(&"a\n\n".repeat(200_000));
    let parsed = parse(note.as_bytes());
    let [d] = parsed.diagnostics.as_slice() else {
        panic!("{:#?}", parsed.diagnostics)
    };
    // 15 × 600,027 bytes + 32 MiB, less 64 bytes for each of the 200,001 lines, buys 58,114
    // blocks of 512 bytes: the one after them starts on line 3 + 2 × 58,114.
    assert_eq!(
        (d.code, d.line, d.column),
        (daybook::diagnostic::Code::TooDense, 116_231, 1)
    );
    assert_eq!(
        d.message,
        "this note holds more lines and blocks than daybook reads from 600027 bytes (each costs \
         memory whatever its length); the rest of the file is not read"
    );
    assert!(parsed.days.is_empty());
    assert_eq!(parsed.withheld.len(), 1);
}

#[test]
fn notes_of_ordinary_blocks_and_blank_lines_are_read_whole_at_the_size_limit() {
    let paragraph = "Zhou paid special attention to making the treaty a military alliance.[56]\n\n";
    for note in [
        format!("January 22, 1950 (Sunday)\n\n{}", paragraph.repeat(100_000)),
        format!(
            "January 22, 1950 (Sunday)\n\nText.\n{}",
            "\n".repeat(4_000_000)
        ),
    ] {
        let parsed = parse(note.as_bytes());
        assert!(
            parsed.diagnostics.is_empty(),
            "{:?}",
            parsed.diagnostics.first()
        );
        assert_eq!(parsed.days.len(), 1);
    }
}
