//! The notes AST: the editor's endnotes, read from a notes source (`*.notes`) beside the day
//! notes, a sibling of the day AST that citations (`[56]`) resolve against.

use serde::{Deserialize, Serialize};

use super::{Position, QuoteMarks};

/// One notes source: its notes in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteList {
    /// The notes, in the order written (not necessarily by number).
    pub notes: Vec<Note>,
}

impl NoteList {
    /// Sets every position to [`Position::default`], so that two lists can be compared for
    /// content alone (the canonical form's round trip).
    pub fn erase_positions(&mut self) {
        for note in &mut self.notes {
            note.erase_positions();
        }
    }
}

/// One endnote, `[56] Wu Xiuquan, *Eight Years in the Ministry of Foreign Affairs* …`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The number that citations name.
    pub number: u32,
    /// The note's text, continuation lines joined with single spaces; never empty.
    pub content: Vec<NoteInline>,
    /// Where the opening bracket is.
    pub pos: Position,
}

impl Note {
    /// Sets every position in the note to [`Position::default`].
    pub fn erase_positions(&mut self) {
        self.pos = Position::default();
        erase_all(&mut self.content);
    }
}

/// Inline content of a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NoteInline {
    /// Plain text, kept exactly.
    Text {
        /// The characters.
        text: String,
        /// Where the text starts.
        pos: Position,
    },
    /// Words between asterisks, `*Eight Years in the Ministry of Foreign Affairs*`: set in
    /// italics, as the titles of books are, without saying more than the editor typed.
    Emphasis {
        /// The words, the asterisks not included.
        text: String,
        /// Where the opening asterisk is.
        pos: Position,
    },
    /// A web address, `https://…`, written out as the link's own text.
    Url {
        /// The address as written.
        url: String,
        /// Where it starts.
        pos: Position,
    },
    /// Words between double quote marks, the marks not included.
    Quote {
        /// The quoted inlines (text, emphasis and addresses; quotations do not nest).
        content: Vec<NoteInline>,
        /// Which marks enclose them, as typed.
        #[serde(default)]
        marks: QuoteMarks,
        /// Where the opening quote mark is.
        pos: Position,
    },
}

impl NoteInline {
    fn erase_positions(&mut self) {
        match self {
            NoteInline::Text { pos, .. }
            | NoteInline::Emphasis { pos, .. }
            | NoteInline::Url { pos, .. } => *pos = Position::default(),
            NoteInline::Quote { content, pos, .. } => {
                *pos = Position::default();
                erase_all(content);
            }
        }
    }
}

fn erase_all(inlines: &mut [NoteInline]) {
    for inline in inlines {
        inline.erase_positions();
    }
}
