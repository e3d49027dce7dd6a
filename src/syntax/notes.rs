//! The notes-source grammar: an editor's endnotes, one per number, `[56] text`, continued on
//! the lines below it until a blank line or the next note (docs/format.md, "Notes sources").
//!
//! A line that starts with `[` and a digit commits to being a note's first line; any other
//! line continues the note above it, or, with no note open (at the top of the file or after
//! a blank line), is an error. A note's inline content is text, `*emphasis*`, web addresses
//! and quotations; like prose in a day note it never fails, and unpaired marks stay text
//! with a warning.

use nom::Parser;
use nom::bytes::complete::{tag, take_till1};
use nom::character::complete::{char, space1};
use nom::combinator::cut;
use nom::error::context;
use nom::sequence::{delimited, terminated};

use super::common::{Failure, PResult, echo};
use super::encoding;
use super::inline::{Joined, note_number, quotation, quote_marks};
use super::lines::{Line, snippet, split_lines};
use super::{Budget, Diagnostics};
use crate::ast::{Note, NoteInline, NoteList, Position, QuoteMarks};
use crate::diagnostic::{Code, Diagnostic, Severity};

/// What parsing one notes source gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedNotes {
    /// The notes read without an error, in file order.
    pub notes: NoteList,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedNotes {
    /// Whether any diagnostic is an error (a note with one is left out).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error)
    }
}

/// Parses the bytes of one notes source.
///
/// Never panics and never fails: problems are diagnostics, and every note that can be read
/// is returned. A note in which an error lies is left out.
///
/// ```
/// let parsed = daybook::syntax::parse_notes(b"[56] Wu Xiuquan, *Eight Years* (Beijing, 1985), 12.\n");
/// assert!(parsed.diagnostics.is_empty());
/// assert_eq!(parsed.notes.notes[0].number, 56);
/// ```
pub fn parse_notes(bytes: &[u8]) -> ParsedNotes {
    let text = match encoding::decode(bytes) {
        Ok(text) => text,
        Err(diagnostic) => {
            return ParsedNotes {
                diagnostics: vec![diagnostic],
                ..ParsedNotes::default()
            };
        }
    };
    let mut diagnostics = Diagnostics::default();
    let mut budget = Budget::for_note(bytes.len());
    let lines = split_lines(text, &mut diagnostics, &mut budget);
    if let Some(line) = budget.spent_at {
        diagnostics.push(super::too_dense(line, bytes.len()));
    }
    let mut notes = Vec::new();
    let mut open: Option<Open> = None;
    let mut previous = 0;
    for line in &lines {
        // Blank lines are not kept, only skipped in the numbering: a gap ends the note.
        if line.number > previous + 1 {
            notes.extend(open.take().map(|o| o.finish(&lines, &mut diagnostics)));
        }
        previous = line.number;
        match note_start(&line.text) {
            Some(Ok((number, offset))) => {
                notes.extend(open.take().map(|o| o.finish(&lines, &mut diagnostics)));
                let mut joined = Joined::default();
                // The note's text starts after the white space that ends its label.
                joined.push(line, offset);
                open = Some(Open {
                    number,
                    pos: line.position(0),
                    joined,
                    broken: false,
                });
            }
            Some(Err(failure)) => {
                notes.extend(open.take().map(|o| o.finish(&lines, &mut diagnostics)));
                diagnostics.push(malformed(line, failure));
                // What follows belongs to the broken note, not to the one before it.
                open = Some(Open::broken());
            }
            None => match open.as_mut() {
                Some(open) => open.joined.push(line, 0),
                None => diagnostics.push(
                    line.diagnostic(
                        0,
                        Code::MalformedNote,
                        format!(
                            "text outside a note: `{}` neither starts a note nor continues one",
                            echo(&line.text)
                        ),
                    )
                    .expected("a note such as `[56] Wu Xiuquan, *Eight Years* (Beijing, 1985), 12.`, or no blank line above this one"),
                ),
            },
        }
    }
    notes.extend(open.take().map(|o| o.finish(&lines, &mut diagnostics)));
    ParsedNotes {
        notes: NoteList {
            notes: notes.into_iter().flatten().collect(),
        },
        diagnostics: diagnostics.finish(),
    }
}

/// A note being read: its number, where it starts and its text so far.
struct Open<'l> {
    number: u32,
    pos: Position,
    joined: Joined<'l>,
    /// Its first line was malformed (already reported): its lines are read and dropped.
    broken: bool,
}

impl Open<'_> {
    fn broken() -> Self {
        Self {
            number: 0,
            pos: Position::default(),
            joined: Joined::default(),
            broken: true,
        }
    }

    fn finish(self, lines: &[Line<'_>], diagnostics: &mut Diagnostics) -> Option<Note> {
        if self.broken {
            return None;
        }
        let mut reader = NoteReader {
            joined: &self.joined,
            findings: Vec::new(),
        };
        let content = reader.inlines(0, self.joined.text.len(), true);
        for (code, pos, message, expected) in reader.findings {
            let line = lines.get(pos.line.saturating_sub(1) as usize);
            let mut diagnostic = Diagnostic::new(code, pos.line, pos.column, message);
            if let Some(source) = line.and_then(|l| snippet(&l.text, pos.column)) {
                diagnostic = diagnostic.with_source_line(source);
            }
            diagnostics.push(diagnostic.expected(expected));
        }
        Some(Note {
            number: self.number,
            content,
            pos: self.pos,
        })
    }
}

/// Whether `line` starts a note: `None` when it does not begin with `[` and a digit; else
/// the number and the byte offset of the note's text, or where and why it is malformed.
fn note_start(line: &str) -> Option<Result<(u32, usize), Failure<'_>>> {
    let mut chars = line.chars();
    if chars.next() != Some('[') || !chars.next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut label = delimited(
        char('['),
        cut(context(
            "a note number without leading zeros that fits in 32 bits, then `]`",
            terminated(note_number, char(']')),
        )),
        cut(context("a space and the note's text after `]`", space1)),
    );
    Some(match label.parse(line) {
        Ok(("", _)) => Err(Failure {
            rest: "",
            expected: "the note's text after `]`",
        }),
        Ok((rest, number)) => Ok((number, line.len() - rest.len())),
        Err(nom::Err::Error(f) | nom::Err::Failure(f)) => Err(f),
        Err(nom::Err::Incomplete(_)) => Err(Failure {
            rest: "",
            expected: "",
        }),
    })
}

fn malformed(line: &Line<'_>, failure: Failure<'_>) -> Diagnostic {
    let offset = line.text.len() - failure.rest.len();
    let found = match failure.rest.split_whitespace().next() {
        Some(word) => format!("found `{}`", echo(word)),
        None => "found the end of the line".to_owned(),
    };
    line.diagnostic(
        offset,
        Code::MalformedNote,
        format!("malformed note: {found}"),
    )
    .expected(failure.expected)
}

/// Something wrong in a note's inline content: code, position, message, expected.
type Finding = (Code, Position, String, String);

/// Reads a note's joined text into inlines.
struct NoteReader<'a> {
    joined: &'a Joined<'a>,
    findings: Vec<Finding>,
}

/// Whether `c` may open an inline: an asterisk, the `h` of a web address or a quote mark.
fn opens_inline(c: char) -> bool {
    c == '*' || c == 'h' || quote_marks(c).is_some()
}

/// `*words*`: the words, at least one character, on the note's text.
fn emphasis(i: &str) -> PResult<'_, &str> {
    delimited(char('*'), take_till1(|c| c == '*'), char('*')).parse(i)
}

/// A web address: `https://` or `http://` and what follows up to white space, a quote mark
/// or an angle bracket, less the punctuation that ends the sentence around it.
fn url(i: &str) -> Option<usize> {
    let (rest, _) = (
        nom::branch::alt((tag("https://"), tag("http://"))),
        take_till1::<_, _, Failure<'_>>(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>') || quote_marks(c).is_some()
        }),
    )
        .parse(i)
        .ok()?;
    let written = &i[..i.len() - rest.len()];
    let kept = written.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']']);
    (kept.len() > "https://".len()).then_some(kept.len())
}

impl NoteReader<'_> {
    fn inlines(&mut self, start: usize, end: usize, quotes: bool) -> Vec<NoteInline> {
        let source: &str = &self.joined.text;
        let mut out = Vec::new();
        let mut pending = start;
        let mut at = start;
        while at < end {
            let rest = &source[at..end];
            let first = rest.chars().next().unwrap_or_default();
            let after_word = source[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let found = match (first, quote_marks(first)) {
                ('*', _) => self.emphasis(rest, at),
                ('h', _) if !after_word => url(rest).map(|len| {
                    let inline = NoteInline::Url {
                        url: rest[..len].to_owned(),
                        pos: self.joined.position(at),
                    };
                    (len, inline)
                }),
                (_, Some(marks)) if quotes => self.quote(rest, at, marks),
                _ => None,
            };
            match found {
                Some((len, inline)) => {
                    self.flush(&mut out, pending, at);
                    out.push(inline);
                    at += len;
                    pending = at;
                }
                None if opens_inline(first) => at += first.len_utf8(),
                None => {
                    let run = take_till1::<_, _, Failure<'_>>(opens_inline)
                        .parse(rest)
                        .map_or(first.len_utf8(), |(r, _)| rest.len() - r.len());
                    at += run;
                }
            }
        }
        self.flush(&mut out, pending, end);
        out
    }

    fn emphasis(&mut self, rest: &str, at: usize) -> Option<(usize, NoteInline)> {
        let pos = self.joined.position(at);
        match emphasis(rest) {
            Ok((r, words)) => Some((
                rest.len() - r.len(),
                NoteInline::Emphasis {
                    text: words.to_owned(),
                    pos,
                },
            )),
            Err(_) => {
                self.findings.push((
                    Code::UnterminatedEmphasis,
                    pos,
                    "unterminated emphasis: this `*` has no partner; kept as text".to_owned(),
                    "a closing `*` before the end of the note".to_owned(),
                ));
                None
            }
        }
    }

    fn quote(&mut self, rest: &str, at: usize, marks: QuoteMarks) -> Option<(usize, NoteInline)> {
        let pos = self.joined.position(at);
        let (open, close) = marks.pair();
        match quotation(rest, marks) {
            Ok((r, inner)) => {
                let start = at + open.len_utf8();
                let content = self.inlines(start, start + inner.len(), false);
                Some((
                    rest.len() - r.len(),
                    NoteInline::Quote {
                        content,
                        marks,
                        pos,
                    },
                ))
            }
            Err(_) => {
                self.findings.push((
                    Code::UnterminatedNoteQuote,
                    pos,
                    format!("unterminated quotation: this `{open}` has no partner; kept as text"),
                    format!("a closing `{close}` before the end of the note"),
                ));
                None
            }
        }
    }

    fn flush(&self, out: &mut Vec<NoteInline>, from: usize, to: usize) {
        if from < to {
            out.push(NoteInline::Text {
                text: self.joined.text[from..to].to_owned(),
                pos: self.joined.position(from),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(words: &str, line: u32, column: u32) -> NoteInline {
        NoteInline::Text {
            text: words.to_owned(),
            pos: Position::new(line, column),
        }
    }

    fn codes(parsed: &ParsedNotes) -> Vec<(Code, u32, u32)> {
        parsed
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line, d.column))
            .collect()
    }

    #[test]
    fn a_note_holds_its_number_text_emphasis_and_address() {
        let parsed = parse_notes(
            b"[56] Wu Xiuquan, *Eight Years* (Beijing, 1985), 12; see https://example.org/wu.\n",
        );
        assert_eq!(parsed.diagnostics, []);
        assert_eq!(
            parsed.notes.notes,
            [Note {
                number: 56,
                pos: Position::new(1, 1),
                content: vec![
                    text("Wu Xiuquan, ", 1, 6),
                    NoteInline::Emphasis {
                        text: "Eight Years".to_owned(),
                        pos: Position::new(1, 18),
                    },
                    text(" (Beijing, 1985), 12; see ", 1, 31),
                    NoteInline::Url {
                        url: "https://example.org/wu".to_owned(),
                        pos: Position::new(1, 57),
                    },
                    text(".", 1, 79),
                ],
            }]
        );
    }

    #[test]
    fn continuation_lines_join_with_one_space_until_a_blank_line_or_the_next_note() {
        let parsed = parse_notes(b"[1] First\n    line.\nsecond line.\n[2] Two.\n\n[3] Three.");
        assert_eq!(parsed.diagnostics, []);
        let notes = &parsed.notes.notes;
        assert_eq!(notes.len(), 3);
        assert_eq!(notes[0].content, [text("First line. second line.", 1, 5)]);
        assert_eq!(
            (notes[1].number, notes[2].number, notes[2].pos),
            (2, 3, Position::new(6, 1))
        );
    }

    #[test]
    fn quotations_hold_emphasis_and_keep_their_marks() {
        let parsed = parse_notes("[7] Mao: \u{201C}*nothing* was small\u{201D}.".as_bytes());
        assert_eq!(parsed.diagnostics, []);
        let NoteInline::Quote { content, marks, .. } = &parsed.notes.notes[0].content[1] else {
            panic!("{:?}", parsed.notes);
        };
        assert_eq!(*marks, QuoteMarks::Curly);
        assert!(matches!(content[0], NoteInline::Emphasis { .. }));
    }

    #[test]
    fn a_word_ending_in_h_before_an_address_is_text() {
        let parsed = parse_notes(b"[1] Bach http://a.example and xhttp://b");
        let urls: Vec<_> = parsed.notes.notes[0]
            .content
            .iter()
            .filter(|i| matches!(i, NoteInline::Url { .. }))
            .collect();
        assert_eq!(urls.len(), 1);
    }

    #[test]
    fn malformed_first_lines_are_errors_at_the_column_that_broke() {
        let parsed = parse_notes(b"[056] Leading zero.\n[57]No space.\n[58]\n[59 Unclosed.\n");
        assert_eq!(
            codes(&parsed),
            [
                (Code::MalformedNote, 1, 2),
                (Code::MalformedNote, 2, 5),
                (Code::MalformedNote, 3, 5),
                (Code::MalformedNote, 4, 4),
            ]
        );
        assert_eq!(parsed.notes.notes, []);
        assert_eq!(
            parsed.diagnostics[1].expected.as_deref(),
            Some("a space and the note's text after `]`")
        );
    }

    #[test]
    fn text_outside_a_note_is_an_error_and_the_lines_of_a_broken_note_are_dropped() {
        let parsed = parse_notes(b"Sources\n\n[1x] Bad\n  more\n[2] Good.\n");
        assert_eq!(
            codes(&parsed),
            [(Code::MalformedNote, 1, 1), (Code::MalformedNote, 3, 3)]
        );
        assert_eq!(parsed.notes.notes.len(), 1);
        assert_eq!(parsed.notes.notes[0].content, [text("Good.", 5, 5)]);
    }

    #[test]
    fn unpaired_marks_are_warnings_and_stay_text() {
        let parsed = parse_notes(b"[1] A *lone star and a \"lone quote.\n");
        assert_eq!(
            codes(&parsed),
            [
                (Code::UnterminatedEmphasis, 1, 7),
                (Code::UnterminatedNoteQuote, 1, 24)
            ]
        );
        assert_eq!(
            parsed.notes.notes[0].content,
            [text("A *lone star and a \"lone quote.", 1, 5)]
        );
    }

    #[test]
    fn invalid_utf8_is_reported_as_for_day_notes() {
        let parsed = parse_notes(b"[1] caf\xE9\n");
        assert_eq!(codes(&parsed), [(Code::InvalidUtf8, 1, 8)]);
    }
}
