//! The text edition is valid input: it parses back to the same AST (positions aside), it is
//! a fixpoint, and it keeps every non-space character of the source.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use daybook::ast::{
    Block, Citation, Closing, Correspondence, CrossRef, Day, Heading, Inline, Item, Label, List,
    MediaCode, MediaList, NoteRef, Paragraph, ParagraphPart, Position, QuoteMarks, Section,
};
use daybook::edition::text::{WIDTH, write_day};
use daybook::syntax::parse;
use proptest::prelude::*;

fn text_of(day: &Day) -> String {
    let mut out = String::new();
    write_day(day, WIDTH, &mut out);
    out
}

fn without_positions(mut days: Vec<Day>) -> Vec<Day> {
    days.iter_mut().for_each(Day::erase_positions);
    days
}

/// Asserts both properties for `days`, which the text edition must reproduce.
fn assert_round_trip(days: &[Day], origin: &str) {
    for day in days {
        let text = text_of(day);
        let reparsed = parse(text.as_bytes());
        assert!(
            !reparsed.has_errors(),
            "{origin}: the text edition has errors: {:?}\n{text}",
            reparsed.diagnostics
        );
        assert_eq!(
            without_positions(reparsed.days.clone()),
            without_positions(vec![day.clone()]),
            "{origin}: the text edition parses to another AST:\n{text}"
        );
        assert_eq!(
            text_of(&reparsed.days[0]),
            text,
            "{origin}: the text edition is not a fixpoint"
        );
    }
}

fn note_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files =
        daybook::pipeline::find_sources(&[root.join("input"), root.join("tests/fixtures")])
            .unwrap();
    files.retain(|f| !parse(&std::fs::read(f).unwrap()).has_errors());
    assert!(files.len() >= 5, "too few clean fixtures: {files:?}");
    files
}

#[test]
fn every_clean_fixture_round_trips_through_the_text_edition() {
    for file in note_files() {
        let parsed = parse(&std::fs::read(&file).unwrap());
        assert_round_trip(&parsed.days, &file.display().to_string());
    }
}

#[test]
fn the_text_edition_keeps_every_non_space_character_of_clean_sources() {
    for file in note_files() {
        let source = String::from_utf8(std::fs::read(&file).unwrap()).unwrap();
        if source.chars().any(|c| c.is_control() && !c.is_whitespace()) {
            continue;
        }
        let parsed = parse(source.as_bytes());
        let mut edition = String::new();
        daybook::edition::text::write_days(&parsed.days, WIDTH, &mut edition);
        let squeeze = |s: &str| {
            s.trim_start_matches('\u{FEFF}')
                .split_whitespace()
                .collect::<String>()
        };
        assert_eq!(squeeze(&edition), squeeze(&source), "{}", file.display());
    }
}

#[test]
fn the_sample_text_edition_is_the_canonical_form() {
    let parsed = parse(include_bytes!("fixtures/sample.txt"));
    insta::assert_snapshot!("sample_text_edition", text_of(&parsed.days[0]));
}

#[test]
fn crlf_bom_and_trailing_spaces_give_the_same_ast() {
    let plain = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample.txt"),
    )
    .unwrap();
    let messy = format!(
        "\u{FEFF}{}",
        plain
            .lines()
            .map(|l| format!("{l} \t\r\n"))
            .collect::<String>()
    );
    assert_eq!(
        without_positions(parse(messy.as_bytes()).days),
        without_positions(parse(plain.as_bytes()).days)
    );
}

// Generators of canonical ASTs: what the grammar can produce from some input.

const WORDS: &[&str] = &[
    "the",
    "treaty",
    "Zhou",
    "Mao's",
    "army",
    "E.W.",
    "Jr.",
    "14,000",
    "Kim",
    "Il-sung",
    "north",
    "Moscow,",
    "Москва",
    "北京",
    "Łódź",
    "aid;",
    "(draft)",
    "Port",
    "Arthur",
    "and",
    "of",
    "1950",
    "soldiers",
    "a",
    "café",
];
const SENDERS: &[&str] = &[
    "William Batt, Jr.",
    "E.W. Kenworthy",
    "Zhou Enlai",
    "Charles de Gaulle",
    "Kim Il-sung",
    "Secretary of State",
    "The State Department",
];
const RECIPIENTS: &[&str] = &[
    "E.W. Kenworthy",
    "Anna von Humboldt",
    "the Joint Chiefs of Staff",
    "all diplomatic posts",
];
const LABELS: &[&str] = &[
    "Songs of the week",
    "Weather",
    "Letters & Telegrams",
    "Radio 1950",
    "Press review",
];
const KINDS: &[&str] = &["pic", "int", "aud", "doc2"];

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(WORDS).prop_map(str::to_owned)
}

fn words(range: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), range).prop_map(|w| w.join(" "))
}

fn capitalised() -> impl Strategy<Value = String> {
    prop::sample::select(&["Then", "Zhou", "Москва", "Kim", "The", "Łódź"][..])
        .prop_map(str::to_owned)
}

fn lower() -> impl Strategy<Value = String> {
    prop::sample::select(&["started", "which", "and", "before", "éclat"][..])
        .prop_map(str::to_owned)
}

/// One piece of running text after the first word.
#[derive(Debug, Clone)]
enum Piece {
    Words(String),
    Citation(Vec<NoteRef>),
    CrossRef(u32),
    Quote(String, QuoteMarks),
}

fn note_ref() -> impl Strategy<Value = NoteRef> {
    prop_oneof![
        (0u32..100_000).prop_map(NoteRef::Note),
        (0u32..1000, 0u32..1000).prop_map(|(a, b)| NoteRef::Range(a, b)),
    ]
}

fn piece(days_in_month: u32) -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => words(1..12).prop_map(Piece::Words),
        1 => prop::collection::vec(note_ref(), 1..4).prop_map(Piece::Citation),
        1 => (1..=days_in_month).prop_map(Piece::CrossRef),
        1 => (words(0..6), prop::sample::select(&QuoteMarks::ALL[..]))
            .prop_map(|(words, marks)| Piece::Quote(words, marks)),
    ]
}

/// Builds normalised inlines (adjacent texts merged) from a first word and pieces, with
/// `end` appended as the final text.
fn inlines(first: String, pieces: Vec<Piece>, end: &str, month: NaiveDate) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let push_text = |out: &mut Vec<Inline>, text: &str| match out.last_mut() {
        Some(Inline::Text { text: last, .. }) => last.push_str(text),
        _ => out.push(Inline::Text {
            text: text.to_owned(),
            pos: Position::default(),
        }),
    };
    push_text(&mut out, &first);
    for piece in pieces {
        match piece {
            Piece::Words(w) => push_text(&mut out, &format!(" {w}")),
            Piece::Citation(notes) => out.push(Inline::Citation(Citation {
                notes,
                pos: Position::default(),
            })),
            Piece::CrossRef(day) => {
                push_text(&mut out, " ");
                let target = month.with_day(day).unwrap();
                out.push(Inline::CrossRef(CrossRef {
                    day,
                    target,
                    pos: Position::default(),
                }));
            }
            Piece::Quote(q, marks) => {
                push_text(&mut out, " ");
                let content = if q.is_empty() {
                    vec![]
                } else {
                    vec![Inline::Text {
                        text: q,
                        pos: Position::default(),
                    }]
                };
                out.push(Inline::Quote {
                    content,
                    marks,
                    pos: Position::default(),
                });
            }
        }
    }
    if !end.is_empty() {
        push_text(&mut out, end);
    }
    out
}

fn days_in(month: NaiveDate) -> u32 {
    (28..=31)
        .rev()
        .find(|&d| month.with_day(d).is_some())
        .unwrap()
}

/// Prose that ends a sentence, starting with a capital (or lower-case) word.
fn sentence(start: BoxedStrategy<String>, month: NaiveDate) -> impl Strategy<Value = Vec<Inline>> {
    (
        start,
        prop::collection::vec(piece(days_in(month)), 0..8),
        prop::bool::ANY,
    )
        .prop_map(move |(first, pieces, cite)| {
            let mut inlines = inlines(first, pieces, " end.", month);
            if cite {
                inlines.push(Inline::Citation(Citation {
                    notes: vec![NoteRef::Note(7)],
                    pos: Position::default(),
                }));
            }
            inlines
        })
}

fn list(month: NaiveDate) -> impl Strategy<Value = List> {
    prop::collection::vec(
        (0u64..=u64::MAX, sentence(capitalised().boxed(), month)),
        1..5,
    )
    .prop_map(|items| List {
        items: items
            .into_iter()
            .map(|(number, content)| Item {
                number,
                content,
                pos: Position::default(),
            })
            .collect(),
        pos: Position::default(),
    })
}

fn block(month: NaiveDate) -> impl Strategy<Value = Block> {
    let plain = sentence(capitalised().boxed(), month)
        .prop_map(|inlines| paragraph(vec![ParagraphPart::Inlines(inlines)]));
    let through_list = (
        (
            capitalised(),
            prop::collection::vec(piece(days_in(month)), 0..4),
        ),
        list(month),
        sentence(lower().boxed(), month),
    )
        .prop_map(move |((first, pieces), list, after)| {
            let before = inlines(first, pieces, " joined by", month);
            paragraph(vec![
                ParagraphPart::Inlines(before),
                ParagraphPart::List(list),
                ParagraphPart::Inlines(after),
            ])
        });
    let media = prop::collection::vec(
        (
            0i64..70_000,
            0u32..24,
            0u32..60,
            prop::sample::select(KINDS),
        ),
        1..4,
    )
    .prop_map(|codes| {
        Block::Media(MediaList {
            codes: codes
                .into_iter()
                .map(|(days, h, m, kind)| MediaCode {
                    date: NaiveDate::from_ymd_opt(1900, 1, 1).unwrap()
                        + chrono::Duration::days(days),
                    time: NaiveTime::from_hms_opt(h, m, 0).unwrap(),
                    kind: kind.to_owned(),
                    pos: Position::default(),
                })
                .collect(),
            pos: Position::default(),
        })
    });
    let correspondence = (
        prop::sample::select(SENDERS),
        prop::sample::select(RECIPIENTS),
        words(1..6),
        prop::sample::select(&["", ".", "..", "!"][..]),
        prop::collection::vec(prop::collection::vec(note_ref(), 1..3), 0..3),
    )
        .prop_map(|(sender, recipient, subject, trailing, citations)| {
            Block::Correspondence(Correspondence {
                sender: sender.to_owned(),
                recipient: recipient.to_owned(),
                subject: subject
                    .trim_end_matches(['.', '!', '?', ';', ','])
                    .to_owned()
                    + "x",
                trailing: trailing.to_owned(),
                citations: citations
                    .into_iter()
                    .map(|notes| Citation {
                        notes,
                        pos: Position::default(),
                    })
                    .collect(),
                sender_id: None,
                recipient_id: None,
                subject_names: Vec::new(),
                pos: Position::default(),
            })
        });
    let label = prop::sample::select(LABELS).prop_map(|text| {
        Block::Label(Label {
            text: text.to_owned(),
            pos: Position::default(),
        })
    });
    prop_oneof![4 => plain, 2 => through_list, 1 => list(month).prop_map(Block::List), 1 => media, 1 => correspondence, 1 => label]
}

fn paragraph(parts: Vec<ParagraphPart>) -> Block {
    Block::Paragraph(Paragraph {
        parts,
        pos: Position::default(),
    })
}

/// Merges blocks the grammar would read as one: adjacent lists, adjacent media codes.
fn normalise(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for block in blocks {
        match (out.last_mut(), block) {
            (Some(Block::List(last)), Block::List(list)) => last.items.extend(list.items),
            (Some(Block::Media(last)), Block::Media(media)) => last.codes.extend(media.codes),
            (_, block) => out.push(block),
        }
    }
    out
}

fn day() -> impl Strategy<Value = Day> {
    (0i64..73_000, prop::option::of(0u8..7), prop::bool::ANY)
        .prop_flat_map(|(offset, weekday, closing)| {
            let date =
                NaiveDate::from_ymd_opt(1850, 1, 1).unwrap() + chrono::Duration::days(offset);
            let sections = prop::collection::vec(
                prop::collection::vec(block(date.with_day(1).unwrap()), 1..6),
                0..4,
            );
            (Just(date), Just(weekday), Just(closing), sections)
        })
        .prop_map(|(date, weekday, closing, sections)| Day {
            heading: Heading {
                date,
                weekday: weekday.map(|w| Weekday::try_from(w).unwrap()),
                pos: Position::default(),
            },
            sections: sections
                .into_iter()
                .map(|blocks| Section {
                    blocks: normalise(blocks),
                    pos: Position::default(),
                })
                .collect(),
            closing: closing.then(|| Closing {
                weekday: date.weekday(),
                date,
                pos: Position::default(),
            }),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_days_round_trip_through_the_text_edition(day in day()) {
        assert_round_trip(&[day], "generated day");
    }
}
