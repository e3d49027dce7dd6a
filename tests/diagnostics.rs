//! One test per diagnostic: the exact code, line, column and message an editor sees.

use std::fs;

use daybook::ast::Inline;
use daybook::diagnostic::{Code, Diagnostic, Severity};
use daybook::pipeline;
use daybook::syntax::parse;

/// The diagnostics of `text` as (code, line, column).
fn found(text: &[u8]) -> Vec<(Code, u32, u32)> {
    parse(text)
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line, d.column))
        .collect()
}

fn only(text: &[u8]) -> Diagnostic {
    let diagnostics = parse(text).diagnostics;
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    diagnostics.into_iter().next().unwrap()
}

const DAY: &str = "January 22, 1950 (Sunday)\n\n";

#[test]
fn a_file_without_a_day_heading_is_an_error_at_its_first_line() {
    let d = only(b"\n\nTwo days later, Zhou left.\n");
    assert_eq!((d.code, d.line, d.column), (Code::NoHeading, 3, 1));
    assert_eq!(
        d.message,
        "the file must start with a day heading, found `Two days later, Zhou left.`"
    );
    assert_eq!(
        d.expected.as_deref(),
        Some("a day heading such as `January 22, 1950 (Sunday)`")
    );
}

#[test]
fn an_empty_file_and_a_blank_file_have_no_day_heading() {
    assert_eq!(found(b""), vec![(Code::NoHeading, 1, 1)]);
    assert_eq!(found(b"\n\n  \n\t\n"), vec![(Code::NoHeading, 1, 1)]);
}

#[test]
fn an_impossible_date_is_an_error_at_the_day_number() {
    let d = only(b"February 30, 1950 (Thursday)\n\nText.\n");
    assert_eq!((d.code, d.line, d.column), (Code::ImpossibleDate, 1, 10));
    assert_eq!(
        d.message,
        "impossible date: February 30, 1950 does not exist"
    );
    assert_eq!(
        d.expected.as_deref(),
        Some("a day from 1 to 28 in February 1950")
    );
}

#[test]
fn a_weekday_that_does_not_match_is_a_warning_and_the_day_still_parses() {
    let parsed = parse(b"January 22, 1950 (Monday)\n\nText.\n");
    assert_eq!(parsed.days.len(), 1);
    let d = &parsed.diagnostics[0];
    assert_eq!(
        (d.code, d.severity(), d.line, d.column),
        (Code::WeekdayMismatch, Severity::Warning, 1, 19)
    );
    assert_eq!(d.message, "January 22, 1950 was a Sunday, not a Monday");
}

#[test]
fn invalid_utf8_names_the_line_and_column_of_the_first_bad_byte() {
    let d = only(b"January 22, 1950\n\nCaf\xe9 au lait in \xc3\xa9t\xe9.\n");
    assert_eq!((d.code, d.line, d.column), (Code::InvalidUtf8, 3, 4));
    assert_eq!(
        d.message,
        "invalid UTF-8: byte 0xE9 at byte offset 21 is not part of a UTF-8 character"
    );
}

#[test]
fn a_control_character_is_a_warning_and_replaced_visibly() {
    let parsed = parse(format!("{DAY}The bell\u{7} rang.\n").as_bytes());
    let d = &parsed.diagnostics[0];
    assert_eq!(
        (d.code, d.severity(), d.line, d.column),
        (Code::ForbiddenCharacter, Severity::Warning, 3, 9)
    );
    assert_eq!(
        d.message,
        "control character U+0007 cannot be carried by the editions; replaced by U+FFFD"
    );
    let mut text = String::new();
    parsed.days[0].sections[0].blocks[0].visit_inlines(&mut |i| {
        if let Inline::Text { text: t, .. } = i {
            text.push_str(t)
        }
    });
    assert_eq!(text, "The bell\u{FFFD} rang.");
}

#[test]
fn a_flood_of_control_characters_is_reported_ten_times_and_then_counted() {
    let parsed = parse(format!("{DAY}{}\n", "\0".repeat(25)).as_bytes());
    assert_eq!(parsed.diagnostics.len(), 11);
    assert_eq!(
        parsed.diagnostics[10].message,
        "15 more forbidden characters in this file, each replaced by U+FFFD"
    );
}

#[test]
fn a_malformed_media_code_is_an_error_saying_what_was_expected() {
    let d = only(format!("{DAY}19500122 0000 Pic\n").as_bytes());
    assert_eq!((d.code, d.line, d.column), (Code::MalformedMedia, 3, 15));
    assert_eq!(
        d.expected.as_deref(),
        Some("a lower-case kind code such as `pic`")
    );
    let d = only(format!("{DAY}19501322 0000 pic\n").as_bytes());
    assert_eq!(
        (d.code, d.line, d.column, d.message.as_str()),
        (
            Code::MalformedMedia,
            3,
            1,
            "impossible media date `19501322`"
        )
    );
    let d = only(format!("{DAY}19500122 2400 pic\n").as_bytes());
    assert_eq!(
        (d.line, d.column, d.message.as_str()),
        (3, 10, "impossible media time `2400`")
    );
}

#[test]
fn a_media_date_that_differs_from_the_day_is_a_warning() {
    let d = only(format!("{DAY}19500121 0000 pic\n").as_bytes());
    assert_eq!((d.code, d.line, d.column), (Code::MediaDateMismatch, 3, 1));
    assert_eq!(
        d.message,
        "media date 1950-01-21 differs from the day's date 1950-01-22"
    );
}

#[test]
fn a_closing_line_for_another_day_is_a_warning() {
    let d = only(format!("{DAY}Text.\n\nNotes for Saturday January 21, 1950\n").as_bytes());
    assert_eq!((d.code, d.line, d.column), (Code::ClosingMismatch, 5, 20));
    assert_eq!(
        d.message,
        "the closing line names January 21, 1950 but the day is January 22, 1950"
    );
    assert_eq!(
        d.expected.as_deref(),
        Some("`Notes for Sunday January 22, 1950`")
    );
}

#[test]
fn a_closing_line_with_the_wrong_weekday_is_a_warning() {
    let d = only(format!("{DAY}Text.\n\nNotes for Monday January 22, 1950\n").as_bytes());
    assert_eq!((d.code, d.line, d.column), (Code::WeekdayMismatch, 5, 11));
}

#[test]
fn a_cross_reference_to_a_day_the_month_lacks_is_an_error() {
    let d = only(format!("{DAY}Back then. [see the 45th]\n").as_bytes());
    assert_eq!(
        (d.code, d.severity(), d.line, d.column),
        (Code::NoSuchDay, Severity::Error, 3, 12)
    );
    assert_eq!(
        d.message,
        "cross-reference to the 45th, but January 1950 has 31 days"
    );
    let d = only(b"February 2, 1950\n\nAs before [see the 30th]\n");
    assert_eq!(
        d.message,
        "cross-reference to the 30th, but February 1950 has 28 days"
    );
}

#[test]
fn a_cross_reference_with_a_wrong_suffix_is_a_warning() {
    let d = only(format!("{DAY}As before [see the 19st]\n").as_bytes());
    assert_eq!((d.code, d.line, d.column), (Code::OrdinalSuffix, 3, 11));
}

#[test]
fn a_misspelt_heading_weekday_is_an_error() {
    let d = only(b"January 22, 1950 (Sundy)\n\nText.\n");
    assert_eq!((d.code, d.line, d.column), (Code::MalformedHeading, 1, 19));
    assert_eq!(
        d.message,
        "malformed day heading: `Sundy` is not an English weekday name as the format spells it"
    );
    assert_eq!(d.expected.as_deref(), Some("`January 22, 1950 (Sunday)`"));
    assert_eq!(d.help.as_deref(), Some("did you mean `Sunday`?"));
}

#[test]
fn a_malformed_closing_line_is_an_error() {
    let d = only(format!("{DAY}Text.\n\nNotes for Sunday January 22 1950\n").as_bytes());
    assert_eq!((d.code, d.line, d.column), (Code::MalformedClosing, 5, 28));
}

#[test]
fn text_after_the_closing_line_is_an_error() {
    let d = only(format!("{DAY}Text.\n\nNotes for Sunday January 22, 1950\n\nMore.\n").as_bytes());
    assert_eq!(
        (d.code, d.line, d.column),
        (Code::ContentAfterClosing, 7, 1)
    );
}

#[test]
fn an_unterminated_quotation_is_a_warning_and_kept_as_text() {
    let parsed = parse(format!("{DAY}He said \"never.\n").as_bytes());
    let d = &parsed.diagnostics[0];
    assert_eq!((d.code, d.line, d.column), (Code::UnterminatedQuote, 3, 9));
    assert_eq!(parsed.days[0].sections[0].blocks.len(), 1);
}

#[test]
fn a_list_number_too_large_for_any_integer_is_an_error() {
    let d = only(format!("{DAY}  123456789012345678901234567890. item\n").as_bytes());
    assert_eq!((d.code, d.line, d.column), (Code::ListNumberTooLarge, 3, 3));
}

#[test]
fn diagnostics_render_like_a_compiler_with_a_caret_under_the_column() {
    let d = only(b"February 30, 1950 (Thursday)\n\nText.\n");
    assert_eq!(
        d.render("input/bad.txt"),
        "input/bad.txt:1:10: error[DB0003]: impossible date: February 30, 1950 does not exist\n\
         \x20 |\n\
         1 | February 30, 1950 (Thursday)\n\
         \x20 |          ^\n\
         \x20 = expected: a day from 1 to 28 in February 1950\n"
    );
}

#[test]
fn every_code_is_distinct_and_documented() {
    let docs =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md")).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for code in Code::ALL {
        assert!(seen.insert(code.as_str()), "{code} twice");
        assert!(
            docs.contains(&format!("## {code}")),
            "{code} is not in docs/diagnostics.md"
        );
    }
}

fn collection(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn a_cross_reference_to_a_day_missing_from_the_collection_is_a_warning() {
    let dir = collection(&[("a.txt", "January 22, 1950\n\nAs before. [see the 19th]\n")]);
    let report = pipeline::check(
        &[dir.path().to_path_buf()],
        &pipeline::ReadOptions::default(),
    )
    .unwrap();
    let d = &report.files[0].diagnostics[0];
    assert_eq!(
        (d.code, d.line, d.column),
        (Code::UnresolvedCrossRef, 3, 12)
    );
    assert_eq!(
        d.message,
        "`[see the 19th]` points to 1950-01-19, which the collection does not hold; kept as text"
    );
    let dir = collection(&[
        ("a.txt", "January 22, 1950\n\nAs before. [see the 19th]\n"),
        ("b.txt", "January 19, 1950\n\nFirst.\n"),
    ]);
    assert!(
        pipeline::check(
            &[dir.path().to_path_buf()],
            &pipeline::ReadOptions::default()
        )
        .unwrap()
        .files
        .is_empty()
    );
}

#[test]
fn a_day_held_by_two_files_is_an_error_in_both() {
    let dir = collection(&[
        ("a.txt", "January 22, 1950\n\nOne.\n"),
        ("b.txt", "\nJanuary 22, 1950\n\nTwo.\n"),
        ("c.txt", "January 23, 1950\n\nThree.\n"),
    ]);
    let report = pipeline::check(
        &[dir.path().to_path_buf()],
        &pipeline::ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(report.days, 1);
    let seen: Vec<_> = report
        .files
        .iter()
        .map(|f| (f.diagnostics[0].code, f.diagnostics[0].line))
        .collect();
    assert_eq!(seen, vec![(Code::DuplicateDay, 1), (Code::DuplicateDay, 2)]);
    let b = dir.path().join("b.txt").display().to_string();
    assert_eq!(
        report.files[0].diagnostics[0].message,
        format!("1950-01-22 is also held by {b}:2; neither is built")
    );
}

// Issue 12, item 4: `January 1, 0000` built with exit 0 into TEI that jing rejects (XML
// Schema dates have no year 0). Years run from 1000 to 9999.
#[test]
fn a_year_before_1000_is_an_impossible_date_in_headings_closing_lines_and_media_codes() {
    let d = only(b"January 1, 0000\n\nText.\n");
    assert_eq!((d.code, d.line, d.column), (Code::ImpossibleDate, 1, 12));
    assert_eq!(d.message, "year 0000 is outside the years daybook reads");
    assert_eq!(d.expected.as_deref(), Some("a year from 1000 to 9999"));
    let d = only(b"January 1, 1950 (Sunday)\n\n09990101 0000 pic\n");
    assert_eq!((d.code, d.line, d.column), (Code::ImpossibleDate, 3, 1));
    let d = only(b"January 1, 1950 (Sunday)\n\nText.\n\nNotes for Sunday January 1, 0999\n");
    assert_eq!((d.code, d.line, d.column), (Code::ImpossibleDate, 5, 29));
}

// Issue 11: a heading typed right below a paragraph (no blank line) begins its day instead of
// joining the paragraph.
#[test]
fn a_heading_with_its_weekday_right_below_a_paragraph_begins_the_next_day() {
    let parsed = parse(b"January 22, 1950 (Sunday)\n\nText of the 22nd.\nJanuary 23, 1950 (Monday)\n\nText of the 23rd.\n");
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let dates: Vec<String> = parsed.days.iter().map(|d| d.date().to_string()).collect();
    assert_eq!(dates, ["1950-01-22", "1950-01-23"]);
}
