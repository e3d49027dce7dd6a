//! No construct vanishes or changes kind in silence: notes typed the way editors type them
//! (misspelt months, glued closing lines, hard-wrapped years, curly quotes, letters to
//! institutions) are either read as what they are or reported exactly, and the days around
//! a bad one still build. The fixtures are `tests/fixtures/fidelity/`, some with CRLF endings.

mod common;

#[path = "../examples/corpus/mod.rs"]
#[allow(
    dead_code,
    reason = "the corpus module also serves the benchmark generator"
)]
mod corpus;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use daybook::diagnostic::{Code, Diagnostic};
use daybook::edition::text::{WIDTH, write_day};
use daybook::syntax::parse;
use roxmltree::{Document, Node};

use common::{
    assert_epubcheck_passes, assert_tei_valid, files_with_extension, root, stderr, string,
};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/fidelity").join(name)
}

fn parsed(name: &str) -> daybook::syntax::Parsed {
    parse(&fs::read(fixture(name)).unwrap())
}

/// A diagnostic as an editor reads it: code, line, column, message, expected, help.
fn shown(d: &Diagnostic) -> (Code, u32, u32, &str, Option<&str>, Option<&str>) {
    (
        d.code,
        d.line,
        d.column,
        d.message.as_str(),
        d.expected.as_deref(),
        d.help.as_deref(),
    )
}

fn dates(days: &[daybook::ast::Day]) -> Vec<String> {
    days.iter().map(|d| d.date().to_string()).collect()
}

/// The fidelity folder built by the real command into a fresh output folder.
struct Built {
    output: tempfile::TempDir,
    run: Output,
}

impl Built {
    fn new() -> Self {
        let output = tempfile::tempdir().unwrap();
        let run = Command::new(env!("CARGO_BIN_EXE_daybook"))
            .args(["build", "--input"])
            .arg(root().join("tests/fixtures/fidelity"))
            .arg("--output")
            .arg(output.path())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .unwrap();
        Self { output, run }
    }

    fn tei(&self, date: &str) -> String {
        let path = self
            .output
            .path()
            .join(format!("tei/{}/{date}.xml", &date[..4]));
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn exists(&self, relative: &str) -> bool {
        self.output.path().join(relative).exists()
    }
}

/// The elements called `name` in the document's `<text>`, in document order.
fn elements<'a, 'i>(doc: &'a Document<'i>, name: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.tag_name().name() == "text")
        .flat_map(|text| text.descendants())
        .filter(|n| n.is_element() && n.tag_name().name() == name)
        .collect()
}

#[test]
fn a_misspelt_month_is_reported_as_a_heading_and_the_days_around_it_still_build() {
    let parsed = parsed("misspelt-month.txt");
    let [d] = parsed.diagnostics.as_slice() else {
        panic!("{:#?}", parsed.diagnostics)
    };
    assert_eq!(
        shown(d),
        (
            Code::MalformedHeading,
            5,
            1,
            "malformed day heading: `Febuary` is not an English month name as the format spells it",
            Some("`February 15, 1950 (Wednesday)`"),
            Some("did you mean `February`?"),
        )
    );
    assert_eq!(dates(&parsed.days), ["1950-02-14", "1950-02-16"]);
    let [withheld] = parsed.withheld.as_slice() else {
        panic!("{:#?}", parsed.withheld)
    };
    assert_eq!(
        withheld.date.map(|d| d.to_string()).as_deref(),
        Some("1950-02-15")
    );
    assert_eq!(
        (withheld.line, withheld.cause),
        (5, (Code::MalformedHeading, 5))
    );

    let built = Built::new();
    let tei = built.tei("1950-02-14");
    let doc = Document::parse(&tei).unwrap();
    let text: String = elements(&doc, "p").into_iter().map(string).collect();
    assert!(!text.contains("Zhou left Moscow"), "{text}");
    assert!(!built.exists("tei/1950/1950-02-15.xml"));
}

#[test]
fn a_misspelt_heading_after_a_closing_line_names_the_heading_not_the_closing_line() {
    let parsed = parsed("misspelt-month-after-closing.txt");
    let [d] = parsed.diagnostics.as_slice() else {
        panic!("{:#?}", parsed.diagnostics)
    };
    assert_eq!(
        shown(d),
        (
            Code::MalformedHeading,
            9,
            1,
            "malformed day heading: `febuary` is not an English month name as the format spells it",
            Some("`February 21, 1950 (Tuesday)`"),
            Some("did you mean `February`?"),
        )
    );
    assert_eq!(dates(&parsed.days), ["1950-02-20"]);
}

#[test]
fn a_misspelt_closing_line_is_reported_with_the_month_meant() {
    let parsed = parsed("misspelt-closing.txt");
    let [d] = parsed.diagnostics.as_slice() else {
        panic!("{:#?}", parsed.diagnostics)
    };
    assert_eq!(
        shown(d),
        (
            Code::MalformedClosing,
            7,
            20,
            "malformed closing line: `Ocotber` is not an English month name as the format spells it",
            Some("`Notes for Saturday October 1, 1949`"),
            Some("did you mean `October`?"),
        )
    );
    assert!(parsed.days.is_empty());
    assert_eq!(parsed.withheld.len(), 1);
}

#[test]
fn a_closing_line_right_below_the_last_paragraph_is_a_closing_line() {
    let parsed = parsed("glued-closing.txt");
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let day = &parsed.days[0];
    assert_eq!(day.closing.as_ref().map(|c| c.pos.line), Some(4));
    let tei = Built::new().tei("1949-10-02");
    let doc = Document::parse(&tei).unwrap();
    let closers = elements(&doc, "closer");
    assert_eq!(closers.len(), 1);
    assert_eq!(string(closers[0]), "Notes for Sunday October 2, 1949");
    let paragraphs: Vec<String> = elements(&doc, "p").into_iter().map(string).collect();
    assert_eq!(
        paragraphs,
        ["The Soviet Union recognised the new government."]
    );
}

#[test]
fn a_hard_wrapped_year_stays_prose_while_tight_lists_stay_lists() {
    let parsed = parsed("wrapped-year.txt");
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let tei = Built::new().tei("1950-06-25");
    let doc = Document::parse(&tei).unwrap();
    let paragraphs = elements(&doc, "p");
    assert_eq!(
        string(paragraphs[0]),
        "Most analysts in Washington had expected an attack before the spring of 1953. \
         Others, including Harrison, expected it much later."
    );
    let items: Vec<(Option<&str>, String)> = elements(&doc, "item")
        .into_iter()
        .map(|item| (item.attribute("n"), string(item)))
        .collect();
    assert_eq!(
        items,
        [
            (Some("1"), "Wang Jiaxiang".to_owned()),
            (Some("2"), "Li Fuchun".to_owned()),
            (Some("1"), "Ye Jizhuang and".to_owned()),
            (Some("2"), "Wu Xiuquan".to_owned()),
        ]
    );
    // `The delegation included:` ends a sentence: its list stands alone. `Zhou, joined by`
    // does not, and `started talks.` runs on: one paragraph holds that list.
    let lists = elements(&doc, "list");
    assert_eq!(lists[0].parent().unwrap().tag_name().name(), "div");
    assert_eq!(lists[1].parent().unwrap().tag_name().name(), "p");
}

#[test]
fn a_date_alone_on_a_line_of_a_paragraph_stays_prose_and_is_reported() {
    let parsed = parsed("date-alone-in-paragraph.txt");
    let expected = "a blank line before it if it begins a new day, or other words on its line \
                    if it belongs to the paragraph";
    assert_eq!(
        parsed.diagnostics.iter().map(shown).collect::<Vec<_>>(),
        [
            (
                Code::HeadingInParagraph,
                4,
                1,
                "`April 15, 1950` stands alone on a line inside a paragraph, where it is read \
                 as prose",
                Some(expected),
                None
            ),
            (
                Code::HeadingInParagraph,
                8,
                1,
                "`April 20, 1950` stands alone on a line inside a paragraph, where it is read \
                 as prose",
                Some(expected),
                None
            ),
            (
                Code::HeadingInParagraph,
                11,
                1,
                "`Apirl 18, 1950` stands alone on a line inside a paragraph, where it is read \
                 as prose",
                Some(expected),
                Some(
                    "as a heading it would be wrong too: malformed day heading: `Apirl` is \
                     not an English month name as the format spells it; did you mean \
                     `April`?"
                )
            ),
        ]
    );
    assert_eq!(dates(&parsed.days), ["1950-04-12"]);
    let tei = Built::new().tei("1950-04-12");
    let doc = Document::parse(&tei).unwrap();
    let paragraphs: Vec<String> = elements(&doc, "p").into_iter().map(string).collect();
    assert_eq!(
        paragraphs,
        [
            "The talks, first planned for April 15, 1950 were put off by a week.",
            "1. April 20, 1950",
            "The commission met again on Apirl 18, 1950 in Peking.",
        ]
    );
}

#[test]
fn letters_to_groups_are_records_and_their_trailing_citations_are_citations() {
    let parsed = parsed("correspondence.txt");
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let tei = Built::new().tei("1950-07-13");
    let doc = Document::parse(&tei).unwrap();
    let letters: Vec<(String, String, String, Vec<String>)> = elements(&doc, "bibl")
        .into_iter()
        .filter(|b| b.attribute("type") == Some("correspondence"))
        .map(|b| {
            let role = |r: &str| {
                b.children()
                    .find(|n| n.attribute("role") == Some(r))
                    .map(string)
                    .unwrap_or_default()
            };
            let title = b
                .children()
                .find(|n| n.tag_name().name() == "title")
                .map(string)
                .unwrap_or_default();
            let cited = b
                .children()
                .filter(|n| n.attribute("type") == Some("citation"))
                .filter_map(|n| n.attribute("n").map(str::to_owned))
                .collect();
            (role("sender"), role("recipient"), title, cited)
        })
        .collect();
    let owned = |s: &str| s.to_owned();
    assert_eq!(
        letters,
        [
            (
                owned("Matthew B. Ridgway"),
                owned("J. Lawton Collins"),
                owned("assumption of command"),
                vec![owned("254")]
            ),
            (
                owned("Dean Acheson"),
                owned("all diplomatic posts"),
                owned("the United Nations resolution"),
                vec![owned("255 256")]
            ),
            (
                owned("Mark W. Clark"),
                owned("the Joint Chiefs of Staff"),
                owned("armistice talks"),
                vec![]
            ),
        ]
    );
    let paragraphs: Vec<String> = elements(&doc, "p").into_iter().map(string).collect();
    assert_eq!(paragraphs, ["He wrote to Acheson concerning Korea."]);
}

#[test]
fn curly_low_and_guillemet_quotes_are_quotations_kept_as_typed() {
    let parsed = parsed("curly-quotes.txt");
    let [d] = parsed.diagnostics.as_slice() else {
        panic!("{:#?}", parsed.diagnostics)
    };
    assert_eq!(
        shown(d),
        (
            Code::UnterminatedQuote,
            7,
            13,
            "unterminated quotation: this `“` has no partner; kept as text",
            Some("a closing `”` before the end of the paragraph"),
            None,
        )
    );
    let tei = Built::new().tei("1950-01-30");
    let doc = Document::parse(&tei).unwrap();
    let quotes: Vec<String> = elements(&doc, "q").into_iter().map(string).collect();
    assert_eq!(
        quotes,
        [
            "the unification of the whole country.",
            "friedliche Koexistenz",
            "coexistence pacifique"
        ]
    );
    let mut text = String::new();
    write_day(&parsed.days[0], WIDTH, &mut text);
    for typed in [
        "“the unification of the whole country.”[71]",
        "„friedliche Koexistenz“",
        "«coexistence pacifique»",
        "“quotation",
    ] {
        assert!(text.replace('\n', " ").contains(typed), "{typed} in {text}");
    }
}

#[test]
fn near_misses_of_cross_references_citations_and_list_numbers_are_warnings() {
    let parsed = parsed("near-misses.txt");
    let found: Vec<_> = parsed.diagnostics.iter().map(shown).collect();
    assert_eq!(
        found,
        [
            (
                Code::NearCrossRef,
                3,
                27,
                "`[See the 25th]` looks like a cross-reference but is not written as one; kept as text",
                Some("`[see the 25th]`"),
                None,
            ),
            (
                Code::NearCrossRef,
                5,
                23,
                "`[see 25th]` looks like a cross-reference but is not written as one; kept as text",
                Some("`[see the 25th]`"),
                None,
            ),
            (
                Code::NearCitation,
                5,
                50,
                "`[121,122]` looks like a citation but is not written as one; kept as text",
                Some("`[121, 122]`"),
                None,
            ),
            (
                Code::ListNumbering,
                13,
                3,
                "list item 4 does not follow item 2; kept as written",
                Some("item 3 after item 2"),
                Some("renumber it 3, or restore the missing item"),
            ),
        ]
    );
    assert_eq!(dates(&parsed.days), ["1950-01-24"]);
}

#[test]
fn a_heading_with_a_misspelt_weekday_or_no_comma_is_a_heading_error_with_the_fix() {
    let text = "January 22, 1950 (Sunday)\r\n\r\nText.\r\n\r\nJanuary 23, 1950 (Munday)\r\n\r\nMore.\r\n\r\nJanuary 24 1950 (Tuesday)\r\n\r\nLast.\r\n";
    let parsed = parse(text.as_bytes());
    let found: Vec<_> = parsed.diagnostics.iter().map(shown).collect();
    assert_eq!(
        found,
        [
            (
                Code::MalformedHeading,
                5,
                19,
                // `Munday` is one letter from Monday and one from Sunday: no guess.
                "malformed day heading: `Munday` is not an English weekday name",
                Some("`January 23, 1950 (Monday)`"),
                None,
            ),
            (
                Code::MalformedHeading,
                9,
                11,
                "malformed day heading: no comma after the day of the month",
                Some("`January 24, 1950 (Tuesday)`"),
                None,
            ),
        ]
    );
    assert_eq!(dates(&parsed.days), ["1950-01-22"]);
    let withheld: Vec<_> = parsed
        .withheld
        .iter()
        .map(|w| w.date.map(|d| d.to_string()))
        .collect();
    assert_eq!(
        withheld,
        [Some("1950-01-23".to_owned()), Some("1950-01-24".to_owned())]
    );
}

#[test]
fn one_bad_day_withholds_only_itself_and_the_summary_names_it() {
    let built = Built::new();
    assert_eq!(built.run.status.code(), Some(1));
    let stderr = stderr(&built.run);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("daybook: 1950-03-02 ("))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        line.ends_with("/tests/fixtures/fidelity/one-bad-day.txt:5) withheld: DB0006 at line 7"),
        "{line}"
    );
    assert!(
        stderr.contains(" days (4 withheld) from 10 files;"),
        "{stderr}"
    );
    assert!(built.exists("tei/1950/1950-03-01.xml"));
    assert!(built.exists("tei/1950/1950-03-03.xml"));
    assert!(!built.exists("tei/1950/1950-03-02.xml"));
}

#[test]
fn the_editions_of_the_fixtures_are_valid() {
    let built = Built::new();
    let tei = files_with_extension(built.output.path(), "xml");
    assert_eq!(
        tei.len(),
        11 + 2,
        "a TEI document per built day and a corpus per year"
    );
    assert_tei_valid(&tei);
    for book in files_with_extension(built.output.path(), "epub") {
        assert_epubcheck_passes(&book);
    }
}

/// Every day of every fidelity fixture: its text edition reads back as the same day, and
/// writing that again gives the same bytes.
#[test]
fn the_text_edition_of_every_fixture_is_a_fixpoint() {
    for path in files_with_extension(&root().join("tests/fixtures/fidelity"), "txt") {
        for day in parse(&fs::read(&path).unwrap()).days {
            assert_fixpoint(&day, &path);
        }
    }
}

fn assert_fixpoint(day: &daybook::ast::Day, origin: &Path) {
    let mut first = String::new();
    write_day(day, WIDTH, &mut first);
    let reparsed = parse(first.as_bytes());
    // Warnings about the text (a near miss kept as text) come back with it; errors may not.
    assert!(
        !reparsed.has_errors(),
        "{}: {:#?}\n{first}",
        origin.display(),
        reparsed.diagnostics
    );
    let mut expected = day.clone();
    expected.erase_positions();
    let mut again = reparsed.days.clone();
    again
        .iter_mut()
        .for_each(daybook::ast::Day::erase_positions);
    assert_eq!(again, [expected], "{}", origin.display());
    let mut second = String::new();
    write_day(&reparsed.days[0], WIDTH, &mut second);
    assert_eq!(first, second, "{}", origin.display());
}

/// The rules that catch near misses must not fire on clean notes: ten generated years, the
/// same generator `make bench` uses, parse without a single diagnostic.
#[test]
fn generated_years_raise_no_diagnostic() {
    for seed in [1, 10] {
        for day in corpus::days(seed, 3653) {
            let text = day.text();
            let parsed = parse(text.as_bytes());
            assert!(
                parsed.diagnostics.is_empty(),
                "seed {seed}: {:#?}\n{text}",
                parsed.diagnostics
            );
        }
    }
}
