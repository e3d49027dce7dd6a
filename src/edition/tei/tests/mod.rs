//! The TEI writer's tests: AST constructors (writer tests never run the grammar), writing
//! helpers and checks shared by the tests of each part, which validate with jing.

mod body;
mod document;
mod header;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::Command;

use chrono::{DateTime, Datelike, NaiveTime, TimeZone, Utc, Weekday};
use roxmltree::{Document, Node};

use super::*;
use crate::ast::{
    Block, Citation, Closing, Correspondence, CrossRef, Day, Heading, Inline, Item, Label, List,
    MediaCode, MediaList, NoteRef, Paragraph, ParagraphPart, Position, QuoteMarks, Section,
};
use crate::edition::Metadata;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

// AST constructors: writer tests never run the grammar.

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn text(text: &str) -> Inline {
    Inline::Text {
        text: text.to_owned(),
        pos: Position::default(),
    }
}

fn quote(content: Vec<Inline>) -> Inline {
    Inline::Quote {
        content,
        marks: QuoteMarks::Straight,
        pos: Position::default(),
    }
}

fn cite(notes: &[NoteRef]) -> Inline {
    Inline::Citation(Citation {
        notes: notes.to_vec(),
        pos: Position::default(),
    })
}

fn cross_ref(target: NaiveDate) -> Inline {
    Inline::CrossRef(CrossRef {
        day: target.day(),
        target,
        pos: Position::default(),
    })
}

fn list(items: &[(u64, &str)]) -> List {
    let items = items
        .iter()
        .map(|&(number, words)| Item {
            number,
            content: vec![text(words)],
            pos: Position::default(),
        })
        .collect();
    List {
        items,
        pos: Position::default(),
    }
}

fn paragraph(parts: Vec<ParagraphPart>) -> Block {
    Block::Paragraph(Paragraph {
        parts,
        pos: Position::default(),
    })
}

fn prose(inlines: Vec<Inline>) -> Block {
    paragraph(vec![ParagraphPart::Inlines(inlines)])
}

fn media(codes: &[(NaiveDate, u32, u32, &str)]) -> Block {
    let codes = codes
        .iter()
        .map(|&(date, hour, minute, kind)| MediaCode {
            date,
            time: NaiveTime::from_hms_opt(hour, minute, 0).unwrap(),
            kind: kind.to_owned(),
            pos: Position::default(),
        })
        .collect();
    Block::Media(MediaList {
        codes,
        pos: Position::default(),
    })
}

fn correspondence(sender: &str, recipient: &str, subject: &str, trailing: &str) -> Block {
    Block::Correspondence(Correspondence {
        sender: sender.to_owned(),
        recipient: recipient.to_owned(),
        subject: subject.to_owned(),
        trailing: trailing.to_owned(),
        citations: Vec::new(),
        sender_id: None,
        recipient_id: None,
        subject_names: Vec::new(),
        pos: Position::default(),
    })
}

fn label(words: &str) -> Block {
    Block::Label(Label {
        text: words.to_owned(),
        pos: Position::default(),
    })
}

fn section(blocks: Vec<Block>) -> Section {
    Section {
        blocks,
        pos: Position::default(),
    }
}

/// A day with its true weekday in the heading and a matching closing line.
fn day(date: NaiveDate, sections: Vec<Section>) -> SourcedDay {
    let heading = Heading {
        date,
        weekday: Some(date.weekday()),
        pos: Position::default(),
    };
    let closing = Closing {
        weekday: date.weekday(),
        date,
        pos: Position::default(),
    };
    SourcedDay {
        day: Day {
            heading,
            sections,
            closing: Some(closing),
        },
        source: format!("{}.txt", iso_date(date)),
    }
}

/// A day shaped like the real sample, shortened, with every construct.
fn sample() -> SourcedDay {
    let today = date(1950, 1, 22);
    day(
        today,
        vec![
            section(vec![
                paragraph(vec![
                    ParagraphPart::Inlines(vec![text("Two days later, Zhou, joined by")]),
                    ParagraphPart::List(list(&[(1, "Wang Jiaxiang,"), (2, "Li Fuchun")])),
                    ParagraphPart::Inlines(vec![text("started negotiations.")]),
                ]),
                prose(vec![
                    text("the other side "),
                    quote(vec![text("must go all out.")]),
                    cite(&[NoteRef::Note(56)]),
                ]),
            ]),
            section(vec![prose(vec![
                text("Korean soldiers. "),
                cross_ref(date(1950, 1, 19)),
                text(" Approved.[65] "),
                cite(&[NoteRef::Note(56), NoteRef::Note(57)]),
                cite(&[NoteRef::Range(56, 58), NoteRef::Note(60)]),
            ])]),
            section(vec![
                correspondence(
                    "William Batt, Jr.",
                    "E.W. Kenworthy",
                    "Captain Martin's reassignment",
                    "..",
                ),
                media(&[(today, 0, 0, "int"), (today, 14, 35, "pic")]),
                label("Songs of the week"),
            ]),
        ],
    )
}

// Writing.

fn context<'a>(days: &'a BTreeSet<NaiveDate>, metadata: &'a Metadata) -> Context<'a> {
    Context {
        days,
        metadata,
        notes: &crate::edition::NO_NOTES,
        register: &crate::edition::NO_REGISTER,
    }
}

fn tei_day_with(day: &SourcedDay, known: &[NaiveDate], metadata: &Metadata) -> String {
    let days: BTreeSet<NaiveDate> = known.iter().copied().collect();
    let mut out = Vec::new();
    write_day(day, &context(&days, metadata), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn tei_day(day: &SourcedDay, known: &[NaiveDate]) -> String {
    tei_day_with(day, known, &Metadata::default())
}

fn tei_corpus_with(days: &[SourcedDay], known: &[NaiveDate], metadata: &Metadata) -> String {
    let known: BTreeSet<NaiveDate> = known.iter().copied().collect();
    let mut out = Vec::new();
    write_corpus(1950, days, &context(&known, metadata), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn tei_corpus(days: &[SourcedDay], known: &[NaiveDate]) -> String {
    tei_corpus_with(days, known, &Metadata::default())
}

/// The sample day as a per-day file and as a corpus of its own, with `metadata`.
fn day_and_corpus(metadata: &Metadata) -> (String, String) {
    let sample = sample();
    (
        tei_day_with(&sample, &[], metadata),
        tei_corpus_with(&[sample], &[], metadata),
    )
}

fn build_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 12, 30, 5).unwrap()
}

/// Metadata with every field set to something other than its default.
fn configured() -> Metadata {
    Metadata {
        title: "Korea 1950".to_owned(),
        subtitle: Some("A chronology".to_owned()),
        editors: vec!["A. Editor".to_owned(), "B. Editor".to_owned()],
        publisher: "The Press".to_owned(),
        language: "en-GB".to_owned(),
        licence: crate::edition::Licence::from_spdx("CC-BY-4.0"),
        identifier_base: "https://example.org/korea/".to_owned(),
        subjects: vec!["Korean War".to_owned(), "Sino-Soviet relations".to_owned()],
        media_kinds: BTreeMap::from([("pic".to_owned(), "Photograph".to_owned())]),
        volume_subtitles: BTreeMap::from([("1950".to_owned(), "A chronology".to_owned())]),
        build_time: Some(build_time()),
        ..Metadata::default()
    }
}

// Checking.

/// Validates `xml` against TEI P5 `tei_all` with jing; a missing jing fails the test.
fn assert_valid(xml: &str) {
    let schema = std::env::var_os("TEI_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/tei_all.rng")
        });
    let mut file = tempfile::Builder::new().suffix(".xml").tempfile().unwrap();
    file.write_all(xml.as_bytes()).unwrap();
    let output = match Command::new("jing").arg(&schema).arg(file.path()).output() {
        Ok(output) => output,
        Err(error) if error.kind() == io::ErrorKind::NotFound => panic!(
            "jing is not installed, so TEI validity cannot be checked: \
             install it (`make test` does, or `apt-get install jing`)"
        ),
        Err(error) => panic!("cannot run jing: {error}"),
    };
    assert!(
        output.status.success(),
        "jing rejects the TEI against {}:\n{}{}\n{xml}",
        schema.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

fn is(node: Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace() == Some(TEI_NS)
}

/// Every TEI element `name` below `node`, in document order (`node//name`).
fn all<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    node.descendants()
        .filter(|n| *n != node && is(*n, name))
        .collect()
}

/// The TEI children `name` of `node` (`node/name`).
fn children<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    node.children().filter(|n| is(*n, name)).collect()
}

/// The one TEI element `name` below `node`.
fn one<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Node<'a, 'i> {
    let found = all(node, name);
    assert_eq!(
        found.len(),
        1,
        "expected one <{name}>, found {}",
        found.len()
    );
    found[0]
}

/// The string value of `node`, as XPath's `string()`.
fn string(node: Node) -> String {
    node.descendants()
        .filter_map(|n| n.text().filter(|_| n.is_text()))
        .collect()
}

fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute(name)
}
