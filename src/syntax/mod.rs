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
mod classify;
mod common;
mod day;
mod encoding;
mod heading;
mod inline;
mod lines;
mod list;
mod media;
mod notes;
mod register;
mod spelling;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::ast::Day;
use crate::diagnostic::{Code, Diagnostic, Severity};
use common::echo;
use day::{DayBuilder, Raw};
use lines::{Line, chunks, split_lines};
pub use notes::{ParsedNotes, parse_notes};
pub use register::{ParsedRegister, parse_register};

/// At most this many diagnostics of one code are reported one by one in a file; the rest
/// are counted in one more diagnostic of that code, so that pasted binary data or a
/// generated file cannot flood the output, nor the memory.
const REPORT_LIMIT: usize = 10;

/// What parsing one file gives: the days it holds and what was found wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The days read without an error, in file order: the days to build.
    pub days: Vec<Day>,
    /// The days not to build because an error lies inside them, in file order.
    pub withheld: Vec<Withheld>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// A day that is not built: an error lies between its heading and the next day's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withheld {
    /// The date its heading names, or was most likely meant to name; `None` when the heading
    /// is too broken to tell.
    pub date: Option<NaiveDate>,
    /// The line of its heading.
    pub line: u32,
    /// The code and line of its first error.
    pub cause: (Code, u32),
    /// How many errors it holds.
    pub errors: usize,
}

impl Parsed {
    /// Whether any diagnostic is an error (some day, or the whole file, is then not built).
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
                diagnostics: vec![diagnostic],
                ..Parsed::default()
            };
        }
    };
    let mut diagnostics = Diagnostics::default();
    let mut budget = Budget::for_note(bytes.len());
    let lines = split_lines(text, &mut diagnostics, &mut budget);
    // A block is read from a line and charged to the budget, so no more can be read.
    let blocks = lines.len().min(budget.left / Budget::BLOCK);
    let mut parser = FileParser {
        lines: &lines,
        options,
        diagnostics,
        budget,
        days: Vec::new(),
        starts: Vec::new(),
        raws: Vec::with_capacity(blocks),
        empty: text.is_empty(),
        text_len: bytes.len(),
    };
    parser.run();
    let (days, withheld) = parser.withhold();
    Parsed {
        days,
        withheld,
        diagnostics: parser.diagnostics.finish(),
    }
}

/// What reading a note may hold in memory: 15 times the note's size plus a constant, spent
/// as lines and blocks are read, so that with the note's own bytes a parse stays within 16
/// times its size plus the constant (docs/safety.md). Real notes use a fraction of it (a
/// paragraph of 200 characters costs about three times its size); a note of megabytes of
/// one-letter blocks runs out, and the rest of it is not read (DB0023).
#[derive(Debug)]
struct Budget {
    /// Bytes left.
    left: usize,
    /// The line at which the budget ran out.
    spent_at: Option<u32>,
}

impl Budget {
    /// The bytes a note may use beyond 15 times its size: the fixed cost of reading one.
    const CONSTANT: usize = 32 << 20;
    /// What one stored line costs, as measured with massif: its 32 bytes in a vector that
    /// grows by doubling.
    const LINE: usize = 64;
    /// What one block costs from its raw reading to its AST node, as measured with massif
    /// on notes of one-letter paragraphs (about 500 bytes).
    const BLOCK: usize = 512;

    fn for_note(size: usize) -> Self {
        Self {
            left: size.saturating_mul(15).saturating_add(Self::CONSTANT),
            spent_at: None,
        }
    }

    /// Spends `bytes` for reading `line`; false (and never true again) once they run out.
    fn spend(&mut self, bytes: usize, line: u32) -> bool {
        if self.spent_at.is_some() {
            return false;
        }
        match self.left.checked_sub(bytes) {
            Some(left) => {
                self.left = left;
                true
            }
            None => {
                self.spent_at = Some(line);
                false
            }
        }
    }
}

/// DB0023 at `line` of a file of `size` bytes.
fn too_dense(line: u32, size: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TooDense,
        line,
        1,
        format!(
            "this note holds more lines and blocks than daybook reads from {size} bytes (each \
             costs memory whatever its length); the rest of the file is not read"
        ),
    )
    .expected("fewer, longer blocks, or the note split into smaller files")
}

/// The diagnostics of one file, at most [`REPORT_LIMIT`] of each code one by one.
#[derive(Debug, Default)]
struct Diagnostics {
    shown: Vec<Diagnostic>,
    /// How many diagnostics of each code were found, shown or not.
    found: BTreeMap<Code, usize>,
    /// The line and code of every error, shown or not: each withholds the day it is in.
    errors: Vec<(u32, Code)>,
}

impl Diagnostics {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.report(diagnostic.code, diagnostic.line, || diagnostic);
    }

    /// Counts a diagnostic of `code` at `line`, building it with `make` only if it will be
    /// shown.
    fn report(&mut self, code: Code, line: u32, make: impl FnOnce() -> Diagnostic) {
        if code.severity() == Severity::Error {
            self.errors.push((line, code));
        }
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

/// Reads a file's lines into days.
struct FileParser<'l, 'a> {
    lines: &'l [Line<'a>],
    options: &'l Options,
    diagnostics: Diagnostics,
    budget: Budget,
    /// The days read, each with the line of its heading.
    days: Vec<(Day, u32)>,
    /// The line of every heading, readable or not, and the date it names when it can be told:
    /// each one ends the day before it.
    starts: Vec<(u32, Option<NaiveDate>)>,
    /// The blocks of the day being read, lent to each day in turn: sized once, for as many
    /// as the file can hold, rather than grown day by day.
    raws: Vec<Raw<'l, 'a>>,
    /// Whether the file has no bytes at all (as opposed to only blank lines).
    empty: bool,
    /// The file's size in bytes.
    text_len: usize,
}

impl<'l, 'a> FileParser<'l, 'a> {
    fn run(&mut self) {
        if self.lines.is_empty() {
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
        for (index, chunk) in chunks(self.lines).enumerate() {
            let mut rest = Some((chunk.lines, chunk.blank_before));
            while let Some((lines, blank_before)) = rest {
                rest = self
                    .chunk(&mut reading, lines, blank_before, index == 0)
                    .map(|lines| (lines, 0));
            }
            if self.budget.spent_at.is_some() {
                break;
            }
        }
        if let Some(line) = self.budget.spent_at {
            self.diagnostics.push(too_dense(line, self.text_len));
        }
        self.finish(reading.day);
    }

    /// Reads `lines`, a chunk or the rest of one. Returns the lines left over when a day
    /// heading starts a block inside it (after a media code, say): those are read as if a
    /// blank line came before them, as the text edition writes them.
    fn chunk(
        &mut self,
        reading: &mut Reading<'l, 'a>,
        lines: &'l [Line<'a>],
        blank_before: usize,
        first: bool,
    ) -> Option<&'l [Line<'a>]> {
        let head = lines.first()?;
        let found = match heading::day_heading(&head.text) {
            Some(Ok(found)) => Some(found),
            Some(Err(misread)) => {
                self.diagnostics.push(head.error(misread.error));
                misread.meant
            }
            None => {
                return match reading.day.as_mut() {
                    Some(builder) => builder.chunk(
                        lines,
                        blank_before,
                        true,
                        &mut self.diagnostics,
                        &mut self.budget,
                    ),
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
                };
            }
        };
        self.finish(reading.day.take());
        self.starts
            .push((head.number, found.as_ref().map(|f| f.date)));
        // A heading too broken to name its date opens no day: what follows belongs to no
        // day until the next heading (the error at the heading says why).
        reading.skipping = found.is_none();
        let raws = std::mem::take(&mut self.raws);
        let builder = DayBuilder::new(head, found?, raws, &mut self.diagnostics);
        reading.day.insert(builder).chunk(
            &lines[1..],
            0,
            false,
            &mut self.diagnostics,
            &mut self.budget,
        )
    }

    fn finish(&mut self, day: Option<DayBuilder<'l, 'a>>) {
        if let Some(day) = day {
            let line = day.line();
            let (day, raws) = day.build(&mut self.diagnostics, self.options);
            self.days.push((day, line));
            self.raws = raws;
        }
    }

    /// Splits the days into those to build and those an error lies in: between a day's
    /// heading and the next heading (readable or not).
    fn withhold(&mut self) -> (Vec<Day>, Vec<Withheld>) {
        let mut errors = std::mem::take(&mut self.diagnostics.errors);
        errors.sort_unstable();
        let mut build = Vec::with_capacity(self.days.len());
        let mut withheld = Vec::new();
        // The days are read in the order of their headings, each one of the starts.
        let mut days = self.days.drain(..).peekable();
        for (index, &(line, date)) in self.starts.iter().enumerate() {
            let end = self
                .starts
                .get(index + 1)
                .map_or(u32::MAX, |&(next, _)| next);
            let from = errors.partition_point(|&(l, _)| l < line);
            let to = errors.partition_point(|&(l, _)| l < end);
            let day = days.next_if(|&(_, at)| at == line).map(|(day, _)| day);
            match errors.get(from..to) {
                Some(inside @ [first, ..]) => withheld.push(Withheld {
                    date,
                    line,
                    cause: (first.1, first.0),
                    errors: inside.len(),
                }),
                _ => build.extend(day),
            }
        }
        (build, withheld)
    }
}

/// Where the reading of a file is.
struct Reading<'l, 'a> {
    /// The day being read.
    day: Option<DayBuilder<'l, 'a>>,
    /// Whether a broken heading was found: what follows belongs to no day until the next.
    skipping: bool,
}
