//! The day-note grammar: bytes in, days and diagnostics out.
//!
//! [`parse`] is the one entry point. It reads a file as lines, groups them into chunks
//! (runs of non-blank lines, each knowing how many blank lines came before it), finds the
//! day headings, splits each day into sections at runs of three or more blank lines, reads
//! each chunk's lines as prose, list items or media codes, and finally applies the rules
//! that need whole blocks: a sentence running through a list, correspondence lines and
//! labels. Free prose never fails; lines that commit to a construct (a heading, a closing
//! line, a media code) are either that construct or an error saying what was expected.

mod block;
mod common;
mod heading;
mod inline;
mod list;
mod media;

use std::borrow::Cow;
use std::collections::VecDeque;

use chrono::Datelike;

use crate::ast::{
    Block, Closing, Correspondence, Day, Heading, Item, Label, List, MediaCode, MediaList,
    Paragraph, ParagraphPart, Position, Section,
};
use crate::ast::{long_date, weekday_name as weekday_label};
use crate::diagnostic::{Code, Diagnostic, Severity};
use common::LineError;
use inline::{InlineParser, Joined};

/// At most this many forbidden characters are reported one by one in a file; the rest are
/// counted in one more diagnostic, so that a pasted binary cannot flood the output.
const FORBIDDEN_REPORT_LIMIT: usize = 10;

/// What parsing one file gives: the days it holds and what was found wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The days, in file order.
    pub days: Vec<Day>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// Whether any diagnostic is an error (the file must then not be built).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error)
    }
}

/// Parses the bytes of one day-note file.
///
/// Never panics and never fails: problems are diagnostics, and as much of the file as can
/// be read is returned.
///
/// ```
/// let parsed = daybook::syntax::parse(b"January 22, 1950 (Sunday)\n\nMao also needed aid.[57]\n");
/// assert!(parsed.diagnostics.is_empty());
/// assert_eq!(parsed.days[0].date().to_string(), "1950-01-22");
/// ```
pub fn parse(bytes: &[u8]) -> Parsed {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            return Parsed {
                days: Vec::new(),
                diagnostics: vec![invalid_utf8(bytes, error.valid_up_to())],
            };
        }
    };
    let mut diagnostics = Vec::new();
    let lines = split_lines(text, &mut diagnostics);
    let mut parser = FileParser {
        lines: &lines,
        diagnostics,
        days: Vec::new(),
    };
    parser.run();
    let mut diagnostics = parser.diagnostics;
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Parsed {
        days: parser.days,
        diagnostics,
    }
}

/// A source line, trailing white space and line ending removed, forbidden characters
/// replaced by U+FFFD.
#[derive(Debug)]
struct Line<'a> {
    number: u32,
    text: Cow<'a, str>,
}

impl Line<'_> {
    fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// The 1-based column of byte `offset`.
    fn column(&self, offset: usize) -> u32 {
        self.text
            .get(..offset)
            .map_or(1, |s| s.chars().count() as u32 + 1)
    }

    fn position(&self, offset: usize) -> Position {
        Position::new(self.number, self.column(offset))
    }

    fn diagnostic(&self, offset: usize, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, self.number, self.column(offset), message)
            .with_source_line(self.text.as_ref())
    }

    fn error(&self, error: LineError) -> Diagnostic {
        self.diagnostic(error.offset, error.code, error.message)
            .expected(error.expected)
    }

    /// The line without its indentation, and the byte offset where that starts.
    fn trimmed_from(&self, offset: usize) -> (&str, usize) {
        let rest = &self.text[offset..];
        let trimmed = rest.trim_start();
        (trimmed, offset + rest.len() - trimmed.len())
    }
}

/// Control characters other than tab, and the noncharacters U+FFFE and U+FFFF: invisible
/// in print and, for the C0 ones, impossible to carry in XML 1.0.
fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\t') || c == '\u{FFFE}' || c == '\u{FFFF}'
}

fn split_lines<'a>(text: &'a str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Line<'a>> {
    let mut forbidden = 0usize;
    let mut lines = Vec::new();
    let body = text.strip_suffix('\n').unwrap_or(text);
    for (index, raw) in body.split('\n').enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let trimmed = raw
            .strip_suffix('\r')
            .unwrap_or(raw)
            .trim_end_matches([' ', '\t']);
        let text = if trimmed.chars().any(is_forbidden) {
            let mut clean = String::with_capacity(trimmed.len());
            for (column, c) in trimmed.chars().enumerate() {
                if is_forbidden(c) {
                    forbidden += 1;
                    if forbidden <= FORBIDDEN_REPORT_LIMIT {
                        diagnostics.push(forbidden_character(
                            number,
                            column as u32 + 1,
                            c,
                            trimmed,
                        ));
                    }
                    clean.push(char::REPLACEMENT_CHARACTER);
                } else {
                    clean.push(c);
                }
            }
            Cow::Owned(clean.trim_end_matches([' ', '\t']).to_owned())
        } else {
            Cow::Borrowed(trimmed)
        };
        lines.push(Line { number, text });
    }
    let last = diagnostics
        .iter()
        .rfind(|d| d.code == Code::ForbiddenCharacter)
        .cloned();
    if let Some(last) = last.filter(|_| forbidden > FORBIDDEN_REPORT_LIMIT) {
        diagnostics.push(Diagnostic {
            message: format!(
                "{} more forbidden characters in this file, each replaced by U+FFFD",
                forbidden - FORBIDDEN_REPORT_LIMIT
            ),
            ..last
        });
    }
    lines
}

fn forbidden_character(line: u32, column: u32, c: char, text: &str) -> Diagnostic {
    let shown: String = text
        .chars()
        .map(|c| if is_forbidden(c) { '\u{FFFD}' } else { c })
        .collect();
    Diagnostic::new(
        Code::ForbiddenCharacter,
        line,
        column,
        format!(
            "control character U+{:04X} cannot be carried by the editions; replaced by U+FFFD",
            c as u32
        ),
    )
    .expected("printable text (delete the character or write what it stood for)")
    .with_source_line(shown)
}

fn invalid_utf8(bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let valid = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let line = valid.matches('\n').count() + 1;
    let column = valid[line_start..].chars().count() + 1;
    let line_end = bytes[valid_up_to..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| valid_up_to + i);
    let shown = String::from_utf8_lossy(&bytes[line_start..line_end]);
    let bad = bytes.get(valid_up_to).copied().unwrap_or_default();
    Diagnostic::new(
        Code::InvalidUtf8,
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
        format!("invalid UTF-8: byte 0x{bad:02X} at byte offset {valid_up_to} is not part of a UTF-8 character"),
    )
    .expected("UTF-8 text (convert the file, e.g. `iconv -f WINDOWS-1252 -t UTF-8`)")
    .with_source_line(shown.trim_end_matches(['\r', ' ', '\t']))
}

/// A run of non-blank lines and the number of blank lines before it.
struct Chunk<'l, 'a> {
    blank_before: usize,
    lines: &'l [Line<'a>],
}

fn chunks<'l, 'a>(lines: &'l [Line<'a>]) -> Vec<Chunk<'l, 'a>> {
    let mut chunks = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let blank = lines[at..].iter().take_while(|l| l.is_blank()).count();
        let start = at + blank;
        let len = lines[start..].iter().take_while(|l| !l.is_blank()).count();
        if len > 0 {
            chunks.push(Chunk {
                blank_before: blank,
                lines: &lines[start..start + len],
            });
        }
        at = start + len;
    }
    chunks
}

struct FileParser<'l, 'a> {
    lines: &'l [Line<'a>],
    diagnostics: Vec<Diagnostic>,
    days: Vec<Day>,
}

impl<'l, 'a> FileParser<'l, 'a> {
    fn run(&mut self) {
        let chunks = chunks(self.lines);
        if chunks.is_empty() {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::NoHeading,
                    1,
                    1,
                    "the file holds no day heading (it is empty or blank)",
                )
                .expected("a day heading such as `January 22, 1950 (Sunday)`"),
            );
            return;
        }
        let mut day: Option<DayBuilder<'l, 'a>> = None;
        let mut skipping = false;
        for (index, chunk) in chunks.iter().enumerate() {
            let head = &chunk.lines[0];
            match heading::heading(&head.text) {
                Some(Ok(found)) => {
                    self.finish(day.take());
                    skipping = false;
                    let builder = DayBuilder::new(head, found, &mut self.diagnostics);
                    let builder = day.insert(builder);
                    builder.chunk(&chunk.lines[1..], 0, &mut self.diagnostics);
                }
                Some(Err(error)) => {
                    self.finish(day.take());
                    skipping = true;
                    self.diagnostics.push(head.error(error));
                }
                None => match day.as_mut() {
                    Some(builder) => {
                        builder.chunk(chunk.lines, chunk.blank_before, &mut self.diagnostics)
                    }
                    None if index == 0 && !skipping => {
                        let found: String = head.text.chars().take(40).collect();
                        self.diagnostics.push(
                            head.diagnostic(
                                0,
                                Code::NoHeading,
                                format!("the file must start with a day heading, found `{found}`"),
                            )
                            .expected("a day heading such as `January 22, 1950 (Sunday)`"),
                        );
                    }
                    None => {}
                },
            }
        }
        self.finish(day);
    }

    fn finish(&mut self, day: Option<DayBuilder<'l, 'a>>) {
        if let Some(day) = day {
            self.days.push(day.build(&mut self.diagnostics));
        }
    }
}

/// A block as read from lines, before the rules that look at neighbouring blocks.
enum Raw<'l, 'a> {
    /// Prose lines.
    Text(Vec<(&'l Line<'a>, usize)>),
    /// A list item: its number, and each line with the byte offset of its text.
    Item(u64, Position, Vec<(&'l Line<'a>, usize)>),
    Media(MediaCode),
}

struct DayBuilder<'l, 'a> {
    heading: Heading,
    sections: Vec<Vec<Raw<'l, 'a>>>,
    closing: Option<Closing>,
    after_closing_reported: bool,
}

impl<'l, 'a> DayBuilder<'l, 'a> {
    fn new(
        line: &'l Line<'a>,
        found: heading::HeadingLine,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        if let Some((weekday, offset)) = found.weekday {
            check_weekday(line, offset, found.date, weekday, diagnostics);
        }
        Self {
            heading: Heading {
                date: found.date,
                weekday: found.weekday.map(|(w, _)| w),
                pos: line.position(0),
            },
            sections: vec![Vec::new()],
            closing: None,
            after_closing_reported: false,
        }
    }

    fn chunk(
        &mut self,
        lines: &'l [Line<'a>],
        blank_before: usize,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let Some(first) = lines.first() else { return };
        if self.closing.is_some() {
            self.content_after_closing(first, diagnostics);
            return;
        }
        if let Some(found) = heading::closing(&first.text) {
            match found {
                Ok(found) => self.close(first, found, diagnostics),
                Err(error) => diagnostics.push(first.error(error)),
            }
            if let Some(next) = lines.get(1) {
                self.content_after_closing(next, diagnostics);
            }
            return;
        }
        let current = self.sections.last().is_some_and(|s| !s.is_empty());
        if blank_before >= 3 && current {
            self.sections.push(Vec::new());
        }
        let Some(section) = self.sections.last_mut() else {
            return;
        };
        let mut item_open = false;
        for line in lines {
            if let Some(found) = media::media_code(&line.text) {
                item_open = false;
                match found {
                    Ok(code) => {
                        if code.date != self.heading.date {
                            diagnostics.push(
                                line.diagnostic(
                                    0,
                                    Code::MediaDateMismatch,
                                    format!(
                                        "media date {} differs from the day's date {}",
                                        code.date, self.heading.date
                                    ),
                                )
                                .expected(format!(
                                    "{} for a media item of this day",
                                    self.heading.date.format("%Y%m%d")
                                )),
                            );
                        }
                        section.push(Raw::Media(MediaCode {
                            date: code.date,
                            time: code.time,
                            kind: code.kind,
                            pos: line.position(0),
                        }));
                    }
                    Err(error) => diagnostics.push(line.error(error)),
                }
            } else if let Some(found) = list::item(&line.text) {
                item_open = true;
                match found {
                    Ok(item) => section.push(Raw::Item(
                        item.number,
                        line.position(item.number_offset),
                        vec![(line, item.text_offset)],
                    )),
                    Err(error) => {
                        item_open = false;
                        diagnostics.push(line.error(error));
                    }
                }
            } else if item_open && line.text.starts_with([' ', '\t']) {
                if let Some(Raw::Item(_, _, item_lines)) = section.last_mut() {
                    item_lines.push((line, 0));
                }
            } else {
                item_open = false;
                match section.last_mut() {
                    Some(Raw::Text(text_lines))
                        if text_lines
                            .last()
                            .is_some_and(|(l, _)| l.number + 1 == line.number) =>
                    {
                        text_lines.push((line, 0));
                    }
                    _ => section.push(Raw::Text(vec![(line, 0)])),
                }
            }
        }
    }

    fn close(
        &mut self,
        line: &Line<'_>,
        found: heading::ClosingLine,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let day = self.heading.date;
        if found.date != day {
            diagnostics.push(
                line.diagnostic(
                    found.date_offset,
                    Code::ClosingMismatch,
                    format!(
                        "the closing line names {} but the day is {}",
                        long_date(found.date),
                        long_date(day)
                    ),
                )
                .expected(format!(
                    "`Notes for {} {}`",
                    weekday_label(day.weekday()),
                    long_date(day)
                )),
            );
        }
        check_weekday(
            line,
            "Notes for ".len(),
            found.date,
            found.weekday,
            diagnostics,
        );
        self.closing = Some(Closing {
            weekday: found.weekday,
            date: found.date,
            pos: line.position(0),
        });
    }

    fn content_after_closing(&mut self, line: &Line<'_>, diagnostics: &mut Vec<Diagnostic>) {
        if !self.after_closing_reported {
            self.after_closing_reported = true;
            diagnostics.push(
                line.diagnostic(
                    0,
                    Code::ContentAfterClosing,
                    "text after the day's closing line",
                )
                .expected("a blank line and the next day heading, or the end of the file"),
            );
        }
    }

    fn build(self, diagnostics: &mut Vec<Diagnostic>) -> Day {
        let date = self.heading.date;
        let mut inlines = InlineContext {
            year: date.year(),
            month: date.month(),
            diagnostics,
        };
        let sections = self
            .sections
            .into_iter()
            .filter(|raws| !raws.is_empty())
            .map(|raws| {
                let blocks = blocks(raws, &mut inlines);
                Section {
                    pos: blocks.first().map(Block::pos).unwrap_or_default(),
                    blocks,
                }
            })
            .collect();
        Day {
            heading: self.heading,
            sections,
            closing: self.closing,
        }
    }
}

fn check_weekday(
    line: &Line<'_>,
    offset: usize,
    date: chrono::NaiveDate,
    written: chrono::Weekday,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let actual = date.weekday();
    if actual != written {
        diagnostics.push(
            line.diagnostic(
                offset,
                Code::WeekdayMismatch,
                format!(
                    "{} was a {}, not a {}",
                    long_date(date),
                    weekday_label(actual),
                    weekday_label(written)
                ),
            )
            .expected(weekday_label(actual)),
        );
    }
}

/// Turns inline findings into diagnostics; knows the month cross-references resolve in.
struct InlineContext<'d> {
    year: i32,
    month: u32,
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl InlineContext<'_> {
    fn parse(&mut self, joined: &Joined, lines: &[(&Line<'_>, usize)]) -> Vec<crate::ast::Inline> {
        let mut parser = InlineParser {
            joined,
            year: self.year,
            month: self.month,
            findings: Vec::new(),
        };
        let inlines = parser.parse();
        for finding in parser.findings {
            let source = lines.iter().find(|(l, _)| l.number == finding.pos.line);
            let mut diagnostic = Diagnostic::new(
                finding.code,
                finding.pos.line,
                finding.pos.column,
                finding.message,
            )
            .expected(finding.expected);
            if let Some((line, _)) = source {
                diagnostic = diagnostic.with_source_line(line.text.as_ref());
            }
            self.diagnostics.push(diagnostic);
        }
        inlines
    }
}

/// Prose or a list before the rules that join them.
enum Pre<'l, 'a> {
    Text(Vec<(&'l Line<'a>, usize)>),
    List(List),
    Media(MediaList),
}

fn join(lines: &[(&Line<'_>, usize)]) -> Joined {
    let mut joined = Joined::default();
    for (line, offset) in lines {
        let (text, start) = line.trimmed_from(*offset);
        joined.push(text, line.number, line.column(start));
    }
    joined
}

fn blocks(raws: Vec<Raw<'_, '_>>, inlines: &mut InlineContext<'_>) -> Vec<Block> {
    let mut pre: Vec<Pre<'_, '_>> = Vec::new();
    for raw in raws {
        match (raw, pre.last_mut()) {
            (Raw::Item(number, pos, lines), last) => {
                let content = inlines.parse(&join(&lines), &lines);
                let item = Item {
                    number,
                    content,
                    pos,
                };
                match last {
                    Some(Pre::List(list)) => list.items.push(item),
                    _ => pre.push(Pre::List(List {
                        items: vec![item],
                        pos,
                    })),
                }
            }
            (Raw::Media(code), Some(Pre::Media(media))) => media.codes.push(code),
            (Raw::Media(code), _) => pre.push(Pre::Media(MediaList {
                pos: code.pos,
                codes: vec![code],
            })),
            (Raw::Text(lines), _) => pre.push(Pre::Text(lines)),
        }
    }
    let mut pre: VecDeque<Pre<'_, '_>> = pre.into();
    let mut blocks = Vec::new();
    while let Some(next) = pre.pop_front() {
        match next {
            Pre::Text(lines) => {
                let joined = join(&lines);
                let mut parts = Vec::new();
                let mut ends = block::ends_sentence(&joined.text);
                // A sentence runs through a list when the text before it does not end a
                // sentence and the text after it starts in lower case (FORMAT.md).
                while !ends {
                    let (Some(Pre::List(_)), Some(Pre::Text(after_lines))) =
                        (pre.front(), pre.get(1))
                    else {
                        break;
                    };
                    let after = join(after_lines);
                    if !block::starts_lowercase(&after.text) {
                        break;
                    }
                    let (Some(Pre::List(list)), Some(Pre::Text(after_lines))) =
                        (pre.pop_front(), pre.pop_front())
                    else {
                        break;
                    };
                    ends = block::ends_sentence(&after.text);
                    parts.push(ParagraphPart::List(list));
                    parts.push(ParagraphPart::Inlines(inlines.parse(&after, &after_lines)));
                }
                let pos = joined.position(0);
                blocks.push(if parts.is_empty() {
                    classify(&joined, &lines, pos, inlines)
                } else {
                    parts.insert(0, ParagraphPart::Inlines(inlines.parse(&joined, &lines)));
                    Block::Paragraph(Paragraph { parts, pos })
                });
            }
            Pre::List(list) => blocks.push(Block::List(list)),
            Pre::Media(media) => blocks.push(Block::Media(media)),
        }
    }
    blocks
}

/// A standalone prose block is a correspondence line, a label or a paragraph.
fn classify(
    joined: &Joined,
    lines: &[(&Line<'_>, usize)],
    pos: Position,
    inlines: &mut InlineContext<'_>,
) -> Block {
    if let Some(fields) = block::correspondence(&joined.text) {
        return Block::Correspondence(Correspondence {
            sender: fields.sender.to_owned(),
            recipient: fields.recipient.to_owned(),
            subject: fields.subject.to_owned(),
            trailing: fields.trailing.to_owned(),
            pos,
        });
    }
    if block::is_label(&joined.text) {
        return Block::Label(Label {
            text: joined.text.clone(),
            pos,
        });
    }
    Block::Paragraph(Paragraph {
        parts: vec![ParagraphPart::Inlines(inlines.parse(joined, lines))],
        pos,
    })
}
