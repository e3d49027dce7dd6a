//! Small constructors for hand-built ASTs, shared by the editions' unit tests.

use std::io;

use chrono::{Datelike, NaiveDate, NaiveTime};
use quick_xml::Writer;

use crate::ast::{
    Block, Citation, Closing, Correspondence, CrossRef, Day, Heading, Inline, Item, Label, List,
    MediaCode, MediaList, NoteRef, Paragraph, ParagraphPart, Position, QuoteMarks, Section,
};

pub(crate) fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

pub(crate) fn text(words: &str) -> Inline {
    Inline::Text {
        text: words.to_owned(),
        pos: Position::default(),
    }
}

pub(crate) fn cite(notes: &[NoteRef]) -> Inline {
    Inline::Citation(Citation {
        notes: notes.to_vec(),
        pos: Position::default(),
    })
}

pub(crate) fn see(target: NaiveDate) -> Inline {
    Inline::CrossRef(CrossRef {
        day: target.day(),
        target,
        pos: Position::default(),
    })
}

pub(crate) fn quote(content: Vec<Inline>) -> Inline {
    Inline::Quote {
        content,
        marks: QuoteMarks::Straight,
        pos: Position::default(),
    }
}

pub(crate) fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph {
        parts: vec![ParagraphPart::Inlines(inlines)],
        pos: Position::default(),
    })
}

/// A sentence running through a list: `before`, the list, `after`.
pub(crate) fn para_with_list(before: &str, items: &[(u64, &str)], after: &str) -> Block {
    Block::Paragraph(Paragraph {
        parts: vec![
            ParagraphPart::Inlines(vec![text(before)]),
            ParagraphPart::List(list(items)),
            ParagraphPart::Inlines(vec![text(after)]),
        ],
        pos: Position::default(),
    })
}

pub(crate) fn list(items: &[(u64, &str)]) -> List {
    List {
        items: items
            .iter()
            .map(|&(number, words)| Item {
                number,
                content: vec![text(words)],
                pos: Position::default(),
            })
            .collect(),
        pos: Position::default(),
    }
}

pub(crate) fn media(date: NaiveDate, kinds: &[&str]) -> Block {
    Block::Media(MediaList {
        codes: kinds
            .iter()
            .map(|kind| MediaCode {
                date,
                time: NaiveTime::MIN,
                kind: (*kind).to_owned(),
                pos: Position::default(),
            })
            .collect(),
        pos: Position::default(),
    })
}

pub(crate) fn letter(sender: &str, recipient: &str, subject: &str, trailing: &str) -> Block {
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

pub(crate) fn label(words: &str) -> Block {
    Block::Label(Label {
        text: words.to_owned(),
        pos: Position::default(),
    })
}

/// A day on `date` with the right weekday, the given sections and its closing line.
pub(crate) fn day(date: NaiveDate, sections: Vec<Vec<Block>>) -> Day {
    Day {
        heading: Heading {
            date,
            weekday: Some(date.weekday()),
            pos: Position::default(),
        },
        sections: sections
            .into_iter()
            .map(|blocks| Section {
                blocks,
                pos: Position::default(),
            })
            .collect(),
        closing: Some(Closing {
            weekday: date.weekday(),
            date,
            pos: Position::default(),
        }),
    }
}

/// What `write` writes, as a string.
pub(crate) fn written(write: impl FnOnce(&mut Writer<Vec<u8>>) -> io::Result<()>) -> String {
    let mut w = Writer::new(Vec::new());
    write(&mut w).unwrap();
    String::from_utf8(w.into_inner()).unwrap()
}
