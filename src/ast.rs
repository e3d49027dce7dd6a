//! The day-note AST, and beside it the notes AST of the editor's notes sources
//! ([`NoteList`]): the only contract between the grammar and the editions.
//!
//! Every block and inline node carries the [`Position`] it was read from, so that
//! diagnostics and manifests can point back into the source. Positions are data about
//! the source, not about the content: [`Day::erase_positions`] clears them so that two
//! ASTs can be compared for content alone (the text edition's round-trip property).

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

mod notes;
mod register;

pub use notes::{Note, NoteInline, NoteList};
pub use register::{Authority, EntityKind, Entry, Name, Register};

/// A 1-based line and column (in characters) in a source file.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in Unicode scalar values.
    pub column: u32,
}

impl Position {
    /// A position at `line`, `column`.
    pub fn new(line: u32, column: u32) -> Self {
        Self { line, column }
    }
}

/// One calendar day of notes: a heading, its sections and an optional closing line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    /// The heading that opens the day.
    pub heading: Heading,
    /// The sections of the day, in source order; never empty sections.
    pub sections: Vec<Section>,
    /// The closing line, `Notes for Sunday January 22, 1950`, when present.
    pub closing: Option<Closing>,
}

impl Day {
    /// The calendar date of the day, from its heading.
    pub fn date(&self) -> NaiveDate {
        self.heading.date
    }

    /// Sets every position in the day to [`Position::default`].
    pub fn erase_positions(&mut self) {
        self.heading.pos = Position::default();
        for section in &mut self.sections {
            section.erase_positions();
        }
        if let Some(closing) = &mut self.closing {
            closing.pos = Position::default();
        }
    }

    /// Every cross-reference in the day, in source order.
    pub fn cross_references(&self) -> Vec<&CrossRef> {
        let mut found = Vec::new();
        for block in self.sections.iter().flat_map(|s| &s.blocks) {
            block.visit_inlines(&mut |inline| {
                if let Inline::CrossRef(cross_ref) = inline {
                    found.push(cross_ref);
                }
            });
        }
        found
    }

    /// The registered entries the day mentions, each once, by (kind, id): its marked names,
    /// those in correspondence subjects among them, and its linked correspondents.
    pub fn entities(&self) -> std::collections::BTreeSet<(EntityKind, &str)> {
        let mut found = std::collections::BTreeSet::new();
        for block in self.sections.iter().flat_map(|s| &s.blocks) {
            block.visit_inlines(&mut |inline| {
                if let Inline::Name(name) = inline {
                    found.insert((name.kind, name.id.as_str()));
                }
            });
            if let Block::Correspondence(c) = block {
                for id in [&c.sender_id, &c.recipient_id].into_iter().flatten() {
                    found.insert((EntityKind::Person, id.as_str()));
                }
                for marked in &c.subject_names {
                    found.insert((marked.name.kind, marked.name.id.as_str()));
                }
            }
        }
        found
    }

    /// Every citation in the day, in source order, those after correspondence lines too.
    pub fn citations(&self) -> Vec<&Citation> {
        let mut found = Vec::new();
        for block in self.sections.iter().flat_map(|s| &s.blocks) {
            block.visit_inlines(&mut |inline| {
                if let Inline::Citation(citation) = inline {
                    found.push(citation);
                }
            });
            if let Block::Correspondence(c) = block {
                found.extend(&c.citations);
            }
        }
        found
    }
}

/// The day heading, `January 22, 1950 (Sunday)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// The date the heading names.
    pub date: NaiveDate,
    /// The weekday as written in parentheses, if any (it may disagree with `date`).
    pub weekday: Option<Weekday>,
    /// Where the heading starts.
    pub pos: Position,
}

/// A run of blocks between section breaks (three or more blank lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The blocks of the section, in source order; never empty.
    pub blocks: Vec<Block>,
    /// Where the section's first block starts.
    pub pos: Position,
}

impl Section {
    fn erase_positions(&mut self) {
        self.pos = Position::default();
        for block in &mut self.blocks {
            block.erase_positions();
        }
    }
}

/// A block inside a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Prose, possibly running through lists (the list-inside-a-sentence rule).
    Paragraph(Paragraph),
    /// A numbered list standing on its own.
    List(List),
    /// Consecutive media codes.
    Media(MediaList),
    /// A correspondence line: `SENDER to RECIPIENT concerning SUBJECT`.
    Correspondence(Correspondence),
    /// A label line naming a recurring feature, e.g. `Songs of the week`.
    Label(Label),
}

impl Block {
    /// Where the block starts.
    pub fn pos(&self) -> Position {
        match self {
            Block::Paragraph(p) => p.pos,
            Block::List(l) => l.pos,
            Block::Media(m) => m.pos,
            Block::Correspondence(c) => c.pos,
            Block::Label(l) => l.pos,
        }
    }

    /// Calls `f` on every inline of the block, depth first, in source order.
    pub fn visit_inlines<'a>(&'a self, f: &mut impl FnMut(&'a Inline)) {
        match self {
            Block::Paragraph(p) => {
                for part in &p.parts {
                    match part {
                        ParagraphPart::Inlines(inlines) => visit_all(inlines, f),
                        ParagraphPart::List(list) => list.visit_inlines(f),
                    }
                }
            }
            Block::List(list) => list.visit_inlines(f),
            Block::Media(_) | Block::Correspondence(_) | Block::Label(_) => {}
        }
    }

    fn erase_positions(&mut self) {
        match self {
            Block::Paragraph(p) => {
                p.pos = Position::default();
                for part in &mut p.parts {
                    match part {
                        ParagraphPart::Inlines(inlines) => erase_all(inlines),
                        ParagraphPart::List(list) => list.erase_positions(),
                    }
                }
            }
            Block::List(list) => list.erase_positions(),
            Block::Media(media) => {
                media.pos = Position::default();
                for code in &mut media.codes {
                    code.pos = Position::default();
                }
            }
            Block::Correspondence(c) => {
                c.pos = Position::default();
                for citation in &mut c.citations {
                    citation.pos = Position::default();
                }
                for marked in &mut c.subject_names {
                    marked.name.pos = Position::default();
                }
            }
            Block::Label(l) => l.pos = Position::default(),
        }
    }
}

/// A paragraph: inline runs, possibly with lists between them.
///
/// An ordinary paragraph has one [`ParagraphPart::Inlines`]. A sentence that runs through a
/// list alternates `Inlines`, `List`, `Inlines`, ... and always begins and ends with inlines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The parts of the paragraph in source order.
    pub parts: Vec<ParagraphPart>,
    /// Where the paragraph starts.
    pub pos: Position,
}

/// One part of a [`Paragraph`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "content", rename_all = "snake_case")]
pub enum ParagraphPart {
    /// Running text.
    Inlines(Vec<Inline>),
    /// A list inside the sentence.
    List(List),
}

/// A numbered list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct List {
    /// The items, in source order.
    pub items: Vec<Item>,
    /// Where the first item starts.
    pub pos: Position,
}

impl List {
    fn visit_inlines<'a>(&'a self, f: &mut impl FnMut(&'a Inline)) {
        for item in &self.items {
            visit_all(&item.content, f);
        }
    }

    fn erase_positions(&mut self) {
        self.pos = Position::default();
        for item in &mut self.items {
            item.pos = Position::default();
            erase_all(&mut item.content);
        }
    }
}

/// A list item, `  1. Wang Jiaxiang,`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The number as written (items keep their numbers).
    pub number: u64,
    /// The item's text, continuation lines joined.
    pub content: Vec<Inline>,
    /// Where the item's number starts.
    pub pos: Position,
}

/// Consecutive media codes, kept together as one block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaList {
    /// The codes, in source order; never empty.
    pub codes: Vec<MediaCode>,
    /// Where the first code starts.
    pub pos: Position,
}

/// A media code, `19500122 0000 pic`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaCode {
    /// The date of the item.
    pub date: NaiveDate,
    /// The time of the item as written; `0000` is midnight, not "unknown".
    pub time: NaiveTime,
    /// The lower-case kind code, kept exactly (`pic`, `int`, ...).
    pub kind: String,
    /// Where the code starts.
    pub pos: Position,
}

/// A correspondence line, `William Batt, Jr. to E.W. Kenworthy concerning Captain Martin's
/// reassignment..`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correspondence {
    /// Who wrote.
    pub sender: String,
    /// To whom.
    pub recipient: String,
    /// What about, without trailing punctuation.
    pub subject: String,
    /// Punctuation after the subject, kept as written (the sample has `..`).
    pub trailing: String,
    /// Citations after that punctuation, `…command.[254]`, in the order written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation>,
    /// The registered person the sender is, when the whole sender is one of its names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_id: Option<String>,
    /// The registered person the recipient is, likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_id: Option<String>,
    /// The registered names mention finding marked in `subject`, in order; the subject stays
    /// one string, as typed, for the editions that show no marks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subject_names: Vec<SubjectName>,
    /// Where the line starts.
    pub pos: Position,
}

/// A registered name in a correspondence line's subject: the mention, and the byte offset in
/// the subject where its text starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectName {
    /// Where in the subject the name starts, in bytes.
    pub start: usize,
    /// The mention; its text is the subject's from `start` on.
    pub name: Name,
}

/// A piece of a correspondence line's subject: words, or a marked name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectPart<'a> {
    /// Words as typed.
    Text(&'a str),
    /// A registered name.
    Name(&'a Name),
}

impl Correspondence {
    /// The subject as its words and the names marked in it, in order; only words when none
    /// is marked.
    pub fn subject_parts(&self) -> Vec<SubjectPart<'_>> {
        let mut parts = Vec::new();
        let mut at = 0;
        for marked in &self.subject_names {
            let end = marked.start + marked.name.text.len();
            // Marks come from mention finding, which cut them out of this very subject; one
            // that does not fit it (a hand-made AST) is shown as the subject's words.
            if marked.start < at || self.subject.get(marked.start..end) != Some(&marked.name.text) {
                continue;
            }
            if marked.start > at {
                parts.push(SubjectPart::Text(&self.subject[at..marked.start]));
            }
            parts.push(SubjectPart::Name(&marked.name));
            at = end;
        }
        if at < self.subject.len() {
            parts.push(SubjectPart::Text(&self.subject[at..]));
        }
        parts
    }
}

/// A label line, `Songs of the week`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// The label's words.
    pub text: String,
    /// Where the line starts.
    pub pos: Position,
}

/// The closing line, `Notes for Sunday January 22, 1950`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    /// The weekday as written.
    pub weekday: Weekday,
    /// The date as written (it may disagree with the heading).
    pub date: NaiveDate,
    /// Where the line starts.
    pub pos: Position,
}

/// Inline content of paragraphs and list items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text, kept exactly.
    Text {
        /// The characters.
        text: String,
        /// Where the text starts.
        pos: Position,
    },
    /// A bracketed citation of note numbers: `[56]`, `[56, 57]`, `[56-58]`.
    Citation(Citation),
    /// A bracketed reference to another day of the same month: `[see the 19th]`.
    CrossRef(CrossRef),
    /// Words between double quote marks, the marks not included.
    Quote {
        /// The quoted inlines.
        content: Vec<Inline>,
        /// Which marks enclose them, as typed.
        #[serde(default)]
        marks: QuoteMarks,
        /// Where the opening quote mark is.
        pos: Position,
    },
    /// A registered person's or place's name, marked by mention finding.
    Name(Name),
}

/// The pair of double quote marks a quotation was typed with: every pair means the same, and
/// the text edition writes back the pair it was given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteMarks {
    /// `"…"`, as typewriters and plain editors type them.
    #[default]
    Straight,
    /// `“…”`, as English word processors type them.
    Curly,
    /// `„…“`, as German and other central European typography has them.
    Low,
    /// `«…»`, as French, Russian and other typography has them.
    Guillemets,
}

impl QuoteMarks {
    /// Every pair, the straight one first.
    pub const ALL: [QuoteMarks; 4] = [
        QuoteMarks::Straight,
        QuoteMarks::Curly,
        QuoteMarks::Low,
        QuoteMarks::Guillemets,
    ];

    /// The opening and the closing mark.
    pub fn pair(self) -> (char, char) {
        match self {
            QuoteMarks::Straight => ('"', '"'),
            QuoteMarks::Curly => ('\u{201C}', '\u{201D}'),
            QuoteMarks::Low => ('\u{201E}', '\u{201C}'),
            QuoteMarks::Guillemets => ('\u{AB}', '\u{BB}'),
        }
    }
}

impl Inline {
    /// Where the inline starts.
    pub fn pos(&self) -> Position {
        match self {
            Inline::Text { pos, .. } | Inline::Quote { pos, .. } => *pos,
            Inline::Citation(c) => c.pos,
            Inline::CrossRef(x) => x.pos,
            Inline::Name(n) => n.pos,
        }
    }

    fn erase_positions(&mut self) {
        match self {
            Inline::Text { pos, .. } => *pos = Position::default(),
            Inline::Quote { content, pos, .. } => {
                *pos = Position::default();
                erase_all(content);
            }
            Inline::Citation(c) => c.pos = Position::default(),
            Inline::CrossRef(x) => x.pos = Position::default(),
            Inline::Name(n) => n.pos = Position::default(),
        }
    }
}

/// A citation of one or more notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// The cited notes, in the order written; never empty.
    pub notes: Vec<NoteRef>,
    /// Where the opening bracket is.
    pub pos: Position,
}

/// One cited note or range of notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteRef {
    /// A single note, `56`.
    Note(u32),
    /// An inclusive range as written, `56-58`.
    Range(u32, u32),
}

impl NoteRef {
    /// The lowest and highest note number cited (a range written backwards, `[16-14]`,
    /// cites the same notes as `[14-16]`).
    pub fn bounds(self) -> (u32, u32) {
        match self {
            NoteRef::Note(n) => (n, n),
            NoteRef::Range(from, to) => (from.min(to), from.max(to)),
        }
    }
}

/// A cross-reference to another day of the same month, `[see the 19th]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossRef {
    /// The day of the month as written.
    pub day: u32,
    /// The date it resolves to: that day of the referring day's month and year.
    pub target: NaiveDate,
    /// Where the opening bracket is.
    pub pos: Position,
}

impl CrossRef {
    /// The words inside the brackets, as written: `see the 19th`.
    pub fn words(&self) -> String {
        format!("see the {}{}", self.day, ordinal_suffix(self.day))
    }
}

/// The ordinal suffix English writes after a day of the month: `st`, `nd`, `rd` or `th`.
pub fn ordinal_suffix(day: u32) -> &'static str {
    match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

fn visit_all<'a>(inlines: &'a [Inline], f: &mut impl FnMut(&'a Inline)) {
    for inline in inlines {
        f(inline);
        if let Inline::Quote { content, .. } = inline {
            visit_all(content, f);
        }
    }
}

fn erase_all(inlines: &mut [Inline]) {
    for inline in inlines {
        inline.erase_positions();
    }
}

/// The full English month names, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `date` written as in headings, `January 22, 1950`.
///
/// Formatted directly rather than through a chrono format string, which is parsed again on
/// every call: the editions write the long dates of a year's days many times over. `%Y`'s
/// padding and sign are kept for the years that have them.
pub fn long_date(date: NaiveDate) -> String {
    let month = MONTH_NAMES[date.month0() as usize];
    match date.year() {
        year @ 1000..=9999 => format!("{month} {}, {year}", date.day()),
        _ => date.format("%B %-d, %Y").to_string(),
    }
}

/// The full English name of a weekday, `Sunday`.
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_dates_are_those_of_the_chrono_format() {
        // The years written directly, then those left to chrono for their padding or sign.
        let dates = [(1950, 1, 22), (1950, 12, 1), (1000, 2, 28), (9999, 7, 4)]
            .into_iter()
            .chain([999, 12, -44, 10_000].map(|year| (year, 3, 15)));
        for (year, month, day) in dates {
            let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
            assert_eq!(long_date(date), date.format("%B %-d, %Y").to_string());
        }
        let date = NaiveDate::from_ymd_opt(1950, 1, 22).unwrap();
        assert_eq!(long_date(date), "January 22, 1950");
    }

    #[test]
    fn ordinal_suffixes() {
        let suffixes: Vec<_> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31]
            .map(ordinal_suffix)
            .into();
        assert_eq!(
            suffixes,
            [
                "st", "nd", "rd", "th", "th", "th", "th", "st", "nd", "rd", "st"
            ]
        );
    }
}
