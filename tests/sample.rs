//! The real sample's AST, node by node, as FORMAT.md's last section describes it.

use chrono::{NaiveDate, NaiveTime, Weekday};
use daybook::ast::{Block, Correspondence, Day, Inline, Label, NoteRef, ParagraphPart, Position};
use daybook::syntax::parse;

fn sample() -> Day {
    let parsed = parse(include_bytes!("fixtures/sample.txt"));
    assert_eq!(parsed.diagnostics, vec![], "the sample is clean");
    assert_eq!(parsed.days.len(), 1);
    parsed.days.into_iter().next().unwrap()
}

fn date(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1950, 1, d).unwrap()
}

/// Every inline of the block, quotes' contents included, in order.
fn inlines(block: &Block) -> Vec<&Inline> {
    let mut all = Vec::new();
    block.visit_inlines(&mut |i| all.push(i));
    all
}

fn citations(blocks: &[Block]) -> Vec<NoteRef> {
    blocks
        .iter()
        .flat_map(inlines)
        .filter_map(|i| match i {
            Inline::Citation(c) => Some(c.notes.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn quotes(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .flat_map(inlines)
        .filter_map(|i| match i {
            Inline::Quote { content, .. } => Some(
                content
                    .iter()
                    .map(|c| match c {
                        Inline::Text { text, .. } => text.as_str(),
                        _ => "",
                    })
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

#[test]
fn the_sample_is_sunday_january_22_1950_with_three_sections_and_a_closing_line() {
    let day = sample();
    assert_eq!(day.date(), date(22));
    assert_eq!(day.heading.weekday, Some(Weekday::Sun));
    assert_eq!(day.heading.pos, Position::new(1, 1));
    assert_eq!(day.sections.len(), 3);
    let closing = day.closing.unwrap();
    assert_eq!(
        (closing.weekday, closing.date, closing.pos),
        (Weekday::Sun, date(22), Position::new(68, 1))
    );
}

#[test]
fn section_one_has_seven_paragraphs_the_first_running_through_a_four_item_list() {
    let day = sample();
    let blocks = &day.sections[0].blocks;
    assert_eq!(blocks.len(), 7);
    assert!(blocks.iter().all(|b| matches!(b, Block::Paragraph(_))));
    let Block::Paragraph(first) = &blocks[0] else {
        unreachable!()
    };
    assert_eq!(first.pos, Position::new(6, 1));
    let [
        ParagraphPart::Inlines(before),
        ParagraphPart::List(list),
        ParagraphPart::Inlines(after),
    ] = first.parts.as_slice()
    else {
        panic!("the first paragraph is text, list, text: {:?}", first.parts)
    };
    assert_eq!(
        before,
        &vec![Inline::Text {
            text: "Two days later, Zhou, joined by".into(),
            pos: Position::new(6, 1)
        }]
    );
    let items: Vec<(u64, Position, &str)> = list
        .items
        .iter()
        .map(|item| match item.content.as_slice() {
            [Inline::Text { text, .. }] => (item.number, item.pos, text.as_str()),
            other => panic!("plain item expected, got {other:?}"),
        })
        .collect();
    assert_eq!(
        items,
        vec![
            (1, Position::new(8, 3), "Wang Jiaxiang,"),
            (2, Position::new(10, 3), "Li Fuchun,"),
            (3, Position::new(12, 3), "Ye Jizhuang, and"),
            (4, Position::new(14, 3), "Wu Xiuquan"),
        ]
    );
    assert_eq!(
        after,
        &vec![Inline::Text {
            text: "started negotiations with Soviet officials headed by Andrey Vyshinsky, the Soviet foreign minister."
                .into(),
            pos: Position::new(16, 1),
        }]
    );
    assert_eq!(
        citations(blocks),
        vec![NoteRef::Note(56), NoteRef::Note(57)]
    );
    assert_eq!(
        quotes(blocks),
        vec!["must go all out to provide military and other assistance."]
    );
}

#[test]
fn section_two_has_nine_paragraphs_a_cross_reference_three_citations_and_two_quotations() {
    let day = sample();
    let blocks = &day.sections[1].blocks;
    assert_eq!(blocks.len(), 9);
    assert!(blocks.iter().all(|b| matches!(b, Block::Paragraph(_))));
    assert_eq!(
        citations(blocks),
        vec![NoteRef::Note(65), NoteRef::Note(66), NoteRef::Note(67)]
    );
    assert_eq!(
        quotes(blocks),
        vec!["in diplomatic affairs nothing was small", "small."]
    );
    let cross_refs: Vec<_> = blocks
        .iter()
        .flat_map(inlines)
        .filter_map(|i| match i {
            Inline::CrossRef(x) => Some((x.day, x.target, x.pos)),
            _ => None,
        })
        .collect();
    assert_eq!(cross_refs, vec![(19, date(19), Position::new(37, 192))]);
}

#[test]
fn section_three_is_correspondence_media_codes_and_a_label() {
    let day = sample();
    let blocks = &day.sections[2].blocks;
    assert_eq!(blocks.len(), 3);
    assert_eq!(
        blocks[0],
        Block::Correspondence(Correspondence {
            sender: "William Batt, Jr.".into(),
            recipient: "E.W. Kenworthy".into(),
            subject: "Captain Martin's reassignment".into(),
            trailing: "..".into(),
            citations: Vec::new(),
            sender_id: None,
            recipient_id: None,
            subject_names: Vec::new(),
            pos: Position::new(57, 1),
        })
    );
    let Block::Media(media) = &blocks[1] else {
        panic!("media codes expected, got {:?}", blocks[1])
    };
    let codes: Vec<_> = media
        .codes
        .iter()
        .map(|c| (c.date, c.time, c.kind.as_str(), c.pos))
        .collect();
    assert_eq!(
        codes,
        vec![
            (date(22), NaiveTime::MIN, "int", Position::new(59, 1)),
            (date(22), NaiveTime::MIN, "pic", Position::new(61, 1)),
        ]
    );
    assert_eq!(
        blocks[2],
        Block::Label(Label {
            text: "Songs of the week".into(),
            pos: Position::new(63, 1)
        })
    );
}

#[test]
fn the_whole_sample_ast_is_guarded_by_a_snapshot() {
    insta::assert_json_snapshot!("sample_ast", sample());
}
