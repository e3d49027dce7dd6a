//! The day-note grammar: bytes in, days and diagnostics out.
//!
//! [`parse`] is the one entry point. It decodes the bytes (or says what they are instead
//! of UTF-8), reads them as lines, groups them into chunks (runs of non-blank lines, each
//! knowing how many blank lines came before it), finds the day headings, splits each day
//! into sections at runs of three or more blank lines, reads each chunk's lines as prose,
//! list items or media codes, and finally applies the rules that need whole blocks: a
//! sentence running through a list, correspondence lines and labels. Free prose never
//! fails; lines that commit to a construct (a heading, a closing line, a media code) are
//! either that construct or an error saying what was expected.
//!
//! Nothing here recurses with the input (a quotation's content is parsed one level down,
//! and quotations do not nest) and inline positions are counted incrementally, so a note of
//! megabytes on one line parses in linear time on a small stack.

mod block;
mod common;
mod encoding;
mod heading;
mod inline;
mod list;
mod media;

use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};

use chrono::Datelike;

use crate::ast::{
    Block, Closing, Correspondence, Day, Heading, Item, Label, List, MediaCode, MediaList,
    Paragraph, ParagraphPart, Position, Section,
};
use crate::ast::{long_date, weekday_name as weekday_label};
use crate::diagnostic::{Code, Diagnostic, Severity};
use common::{LineError, echo};
use inline::{InlineParser, Joined};

/// At most this many diagnostics of one code are reported one by one in a file; the rest
/// are counted in one more diagnostic of that code, so that pasted binary data or a
/// generated file cannot flood the output, nor the memory.
const REPORT_LIMIT: usize = 10;

/// Source lines of at most this many characters are shown whole under a diagnostic; longer
/// ones (a paragraph of megabytes on one line) are cut a little after the caret.
const SNIPPET_LIMIT: usize = 1000;

/// How many characters a cut snippet keeps after the caret.
const SNIPPET_CONTEXT: usize = 40;

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
    parse_with(bytes, &Options::default())
}

/// What the configuration may change in how notes are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The known label lines: when given, exactly these lines are labels and the shape rule
    /// of `docs/format.md` is off.
    pub labels: Option<Vec<String>>,
}

/// Parses the bytes of one day-note file as [`parse`] does, with `options`.
pub fn parse_with(bytes: &[u8], options: &Options) -> Parsed {
    let text = match encoding::decode(bytes) {
        Ok(text) => text,
        Err(diagnostic) => {
            return Parsed {
                days: Vec::new(),
                diagnostics: vec![diagnostic],
            };
        }
    };
    let mut diagnostics = Diagnostics::default();
    let lines = split_lines(text, &mut diagnostics);
    let mut parser = FileParser {
        lines: &lines,
        options,
        diagnostics,
        days: Vec::new(),
        empty: text.is_empty(),
    };
    parser.run();
    Parsed {
        days: parser.days,
        diagnostics: parser.diagnostics.finish(),
    }
}

/// The diagnostics of one file, at most [`REPORT_LIMIT`] of each code one by one.
#[derive(Debug, Default)]
struct Diagnostics {
    shown: Vec<Diagnostic>,
    /// How many diagnostics of each code were found, shown or not.
    found: BTreeMap<Code, usize>,
}

impl Diagnostics {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.report(diagnostic.code, || diagnostic);
    }

    /// Counts a diagnostic of `code`, building it with `make` only if it will be shown.
    fn report(&mut self, code: Code, make: impl FnOnce() -> Diagnostic) {
        let found = self.found.entry(code).or_default();
        *found += 1;
        if *found <= REPORT_LIMIT {
            self.shown.push(make());
        }
    }

    /// The diagnostics in source order, each code past the limit summed up in one more
    /// diagnostic at the place of the last one shown.
    fn finish(mut self) -> Vec<Diagnostic> {
        for (&code, &found) in &self.found {
            let more = found.saturating_sub(REPORT_LIMIT);
            let Some(last) = self.shown.iter().rfind(|d| d.code == code) else {
                continue;
            };
            if more == 0 {
                continue;
            }
            let message = match (code, more) {
                (Code::ForbiddenCharacter, 1) => {
                    "1 more forbidden character in this file, replaced by U+FFFD".to_owned()
                }
                (Code::ForbiddenCharacter, _) => format!(
                    "{more} more forbidden characters in this file, each replaced by U+FFFD"
                ),
                (_, 1) => format!("1 more {code} {} in this file", code.severity()),
                (_, _) => format!(
                    "{more} more {code} {}s in this file, not shown one by one",
                    code.severity()
                ),
            };
            let summary = Diagnostic {
                message,
                source_line: None,
                ..last.clone()
            };
            self.shown.push(summary);
        }
        // A stable sort: each summary stays right after the last diagnostic it counts.
        self.shown.sort_by_key(|d| (d.line, d.column));
        self.shown
    }
}

/// `text`, a source line, as shown under a diagnostic at `column`: whole when it is short,
/// else cut [`SNIPPET_CONTEXT`] characters after the caret, or not shown when the caret is
/// too far along for a snippet to help.
fn snippet(text: &str, column: u32) -> Option<String> {
    // The byte length bounds the character count, and saves counting most lines.
    if text.len() <= SNIPPET_LIMIT || text.chars().nth(SNIPPET_LIMIT).is_none() {
        return Some(text.to_owned());
    }
    let column = usize::try_from(column).ok()?;
    if column > SNIPPET_LIMIT {
        return None;
    }
    match text.char_indices().nth(column + SNIPPET_CONTEXT) {
        Some((cut, _)) => Some(format!("{}…", &text[..cut])),
        None => Some(text.to_owned()),
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
        self.text.get(..offset).map_or(1, |s| {
            u32::try_from(s.chars().count())
                .unwrap_or(u32::MAX)
                .saturating_add(1)
        })
    }

    fn position(&self, offset: usize) -> Position {
        Position::new(self.number, self.column(offset))
    }

    fn diagnostic(&self, offset: usize, code: Code, message: impl Into<String>) -> Diagnostic {
        let column = self.column(offset);
        let diagnostic = Diagnostic::new(code, self.number, column, message);
        match snippet(&self.text, column) {
            Some(snippet) => diagnostic.with_source_line(snippet),
            None => diagnostic,
        }
    }

    fn error(&self, error: LineError) -> Diagnostic {
        self.diagnostic(error.offset, error.code, error.message)
            .expected(error.expected)
    }

    /// The line without its indentation, and the byte offset where that starts.
    fn trimmed_from(&self, offset: usize) -> (&str, usize) {
        let rest = &self.text[offset..];
        let trimmed = common::unindented(rest);
        (trimmed, offset + rest.len() - trimmed.len())
    }
}

/// The characters no edition may carry: the predicate every string bound for XML shares
/// (lines never hold a line feed, so it allowing one changes nothing here).
use crate::text::is_forbidden;

fn split_lines<'a>(text: &'a str, diagnostics: &mut Diagnostics) -> Vec<Line<'a>> {
    let mut lines = Vec::with_capacity(text.len() / 32);
    let body = text.strip_suffix('\n').unwrap_or(text);
    for (index, raw) in body.split('\n').enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let trimmed = raw
            .strip_suffix('\r')
            .unwrap_or(raw)
            .trim_end_matches([' ', '\t']);
        // Every forbidden character is an ASCII control or starts with byte 0xC2 (C1
        // controls) or 0xEF (U+FFFE, U+FFFF): a byte scan spares decoding clean lines.
        let suspicious = trimmed
            .bytes()
            .any(|b| (b < 0x20 && b != b'\t') || b == 0x7F || b == 0xC2 || b == 0xEF);
        let text = if suspicious && trimmed.chars().any(is_forbidden) {
            let mut clean = String::with_capacity(trimmed.len());
            for (column, c) in trimmed.chars().enumerate() {
                if is_forbidden(c) {
                    let column = u32::try_from(column + 1).unwrap_or(u32::MAX);
                    diagnostics.report(Code::ForbiddenCharacter, || {
                        forbidden_character(number, column, c, trimmed)
                    });
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
    lines
}

fn forbidden_character(line: u32, column: u32, c: char, text: &str) -> Diagnostic {
    let shown: String = text
        .chars()
        .map(|c| if is_forbidden(c) { '\u{FFFD}' } else { c })
        .collect();
    let printable = "printable text (delete the character or write what it stood for)";
    let (what, expected) = match c {
        '\r' => (
            "carriage return U+000D without a line feed".to_owned(),
            "LF or CRLF line endings (a lone carriage return ends lines on old Macs: convert with `tr '\\r' '\\n'`)",
        ),
        '\u{FFFE}' | '\u{FFFF}' => (format!("noncharacter U+{:04X}", c as u32), printable),
        _ => (format!("control character U+{:04X}", c as u32), printable),
    };
    let diagnostic = Diagnostic::new(
        Code::ForbiddenCharacter,
        line,
        column,
        format!("{what} cannot be carried by the editions; replaced by U+FFFD"),
    )
    .expected(expected);
    match snippet(&shown, column) {
        Some(snippet) => diagnostic.with_source_line(snippet),
        None => diagnostic,
    }
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
    options: &'l Options,
    diagnostics: Diagnostics,
    days: Vec<Day>,
    /// Whether the file has no bytes at all (as opposed to only blank lines).
    empty: bool,
}

impl<'l, 'a> FileParser<'l, 'a> {
    fn run(&mut self) {
        let chunks = chunks(self.lines);
        if chunks.is_empty() {
            let message = if self.empty {
                "the file is empty: it holds no day heading"
            } else {
                "the file holds only blank lines: it holds no day heading"
            };
            self.diagnostics.push(
                Diagnostic::new(Code::NoHeading, 1, 1, message)
                    .expected("a day heading such as `January 22, 1950 (Sunday)`"),
            );
            return;
        }
        let mut reading = Reading {
            day: None,
            skipping: false,
        };
        for (index, chunk) in chunks.iter().enumerate() {
            let mut rest = Some((chunk.lines, chunk.blank_before));
            while let Some((lines, blank_before)) = rest {
                rest = self
                    .chunk(&mut reading, lines, blank_before, index == 0)
                    .map(|lines| (lines, 0));
            }
        }
        self.finish(reading.day);
    }

    /// Reads `lines`, a chunk or the rest of one. Returns the lines left over when a
    /// heading or closing line starts a block inside it (after a media code, say): those
    /// are read as if a blank line came before them, as the text edition writes them.
    fn chunk(
        &mut self,
        reading: &mut Reading<'l, 'a>,
        lines: &'l [Line<'a>],
        blank_before: usize,
        first: bool,
    ) -> Option<&'l [Line<'a>]> {
        let head = lines.first()?;
        match heading::heading(&head.text) {
            Some(Ok(found)) => {
                self.finish(reading.day.take());
                reading.skipping = false;
                let builder = DayBuilder::new(head, found, &mut self.diagnostics);
                let builder = reading.day.insert(builder);
                builder.chunk(&lines[1..], 0, &mut self.diagnostics)
            }
            Some(Err(error)) => {
                self.finish(reading.day.take());
                reading.skipping = true;
                self.diagnostics.push(head.error(error));
                None
            }
            None => match reading.day.as_mut() {
                Some(builder) => builder.chunk(lines, blank_before, &mut self.diagnostics),
                None if first && !reading.skipping => {
                    let found = echo(&head.text);
                    self.diagnostics.push(
                        head.diagnostic(
                            0,
                            Code::NoHeading,
                            format!("the file must start with a day heading, found `{found}`"),
                        )
                        .expected("a day heading such as `January 22, 1950 (Sunday)`"),
                    );
                    None
                }
                None => None,
            },
        }
    }

    fn finish(&mut self, day: Option<DayBuilder<'l, 'a>>) {
        if let Some(day) = day {
            self.days
                .push(day.build(&mut self.diagnostics, self.options));
        }
    }
}

/// Where the reading of a file is.
struct Reading<'l, 'a> {
    /// The day being read.
    day: Option<DayBuilder<'l, 'a>>,
    /// Whether a broken heading was found: what follows belongs to no day until the next.
    skipping: bool,
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
    fn new(line: &'l Line<'a>, found: heading::HeadingLine, diagnostics: &mut Diagnostics) -> Self {
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

    /// Reads the lines of a chunk into the current section; returns the lines from a heading
    /// or closing line that starts a block inside the chunk on, which the caller reads next.
    fn chunk(
        &mut self,
        lines: &'l [Line<'a>],
        blank_before: usize,
        diagnostics: &mut Diagnostics,
    ) -> Option<&'l [Line<'a>]> {
        let first = lines.first()?;
        if self.closing.is_some() {
            self.content_after_closing(first, diagnostics);
            return None;
        }
        if let Some(found) = heading::closing(&first.text) {
            match found {
                Ok(found) => self.close(first, found, diagnostics),
                Err(error) => diagnostics.push(first.error(error)),
            }
            if let Some(next) = lines.get(1) {
                self.content_after_closing(next, diagnostics);
            }
            return None;
        }
        let current = self.sections.last().is_some_and(|s| !s.is_empty());
        if blank_before >= 3 && current {
            self.sections.push(Vec::new());
        }
        let section = self.sections.last_mut()?;
        let mut item_open = false;
        for (index, line) in lines.iter().enumerate() {
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
                    // The line starts a block. The text edition puts a blank line before
                    // every block, where a heading or closing line is read as such; so it
                    // is read as such here too, or the edition would read back otherwise.
                    _ if heading::heading(&line.text).is_some()
                        || heading::closing(&line.text).is_some() =>
                    {
                        return lines.get(index..);
                    }
                    _ => section.push(Raw::Text(vec![(line, 0)])),
                }
            }
        }
        None
    }

    fn close(
        &mut self,
        line: &Line<'_>,
        found: heading::ClosingLine,
        diagnostics: &mut Diagnostics,
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
            found.weekday_offset,
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

    fn content_after_closing(&mut self, line: &Line<'_>, diagnostics: &mut Diagnostics) {
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

    fn build(self, diagnostics: &mut Diagnostics, options: &Options) -> Day {
        let date = self.heading.date;
        let mut inlines = InlineContext {
            year: date.year(),
            month: date.month(),
            labels: options.labels.as_deref(),
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
    diagnostics: &mut Diagnostics,
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
    /// The configured label lines, if any.
    labels: Option<&'d [String]>,
    diagnostics: &'d mut Diagnostics,
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
            let (line, column) = (finding.pos.line, finding.pos.column);
            self.diagnostics.report(finding.code, || {
                let diagnostic = Diagnostic::new(finding.code, line, column, finding.message)
                    .expected(finding.expected);
                // The lines of a block are in source order.
                let index = lines.partition_point(|(l, _)| l.number < line);
                match lines
                    .get(index)
                    .filter(|(l, _)| l.number == line)
                    .and_then(|(l, _)| snippet(&l.text, column))
                {
                    Some(snippet) => diagnostic.with_source_line(snippet),
                    None => diagnostic,
                }
            });
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
    let label = match inlines.labels {
        Some(known) => known.contains(&joined.text),
        None => block::is_label(&joined.text),
    };
    if label {
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
