//! Lines and chunks: the source read as lines (line endings and trailing white space removed,
//! forbidden characters replaced) and grouped into runs of non-blank lines.

use std::borrow::Cow;

use super::common::{self, LineError};
use super::{Budget, Diagnostics};
use crate::ast::Position;
use crate::diagnostic::{Code, Diagnostic};

/// Source lines of at most this many characters are shown whole under a diagnostic; longer
/// ones (a paragraph of megabytes on one line) are cut a little after the caret.
const SNIPPET_LIMIT: usize = 1000;

/// How many characters a cut snippet keeps after the caret.
const SNIPPET_CONTEXT: usize = 40;

/// `text`, a source line, as shown under a diagnostic at `column`: whole when it is short,
/// else cut [`SNIPPET_CONTEXT`] characters after the caret, or not shown when the caret is
/// too far along for a snippet to help.
pub(super) fn snippet(text: &str, column: u32) -> Option<String> {
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
pub(super) struct Line<'a> {
    pub number: u32,
    pub text: Cow<'a, str>,
    /// Whether the text is all ASCII, one byte a character: its columns need no counting.
    pub ascii: bool,
}

impl Line<'_> {
    /// The 1-based column of byte `offset`.
    pub(super) fn column(&self, offset: usize) -> u32 {
        if self.ascii && offset <= self.text.len() {
            return u32::try_from(offset).unwrap_or(u32::MAX).saturating_add(1);
        }
        self.text.get(..offset).map_or(1, |s| {
            u32::try_from(s.chars().count())
                .unwrap_or(u32::MAX)
                .saturating_add(1)
        })
    }

    pub(super) fn position(&self, offset: usize) -> Position {
        Position::new(self.number, self.column(offset))
    }

    pub(super) fn diagnostic(
        &self,
        offset: usize,
        code: Code,
        message: impl Into<String>,
    ) -> Diagnostic {
        let column = self.column(offset);
        let diagnostic = Diagnostic::new(code, self.number, column, message);
        match snippet(&self.text, column) {
            Some(snippet) => diagnostic.with_source_line(snippet),
            None => diagnostic,
        }
    }

    pub(super) fn error(&self, error: LineError) -> Diagnostic {
        let diagnostic = self
            .diagnostic(error.offset, error.code, error.message)
            .expected(error.expected);
        match error.help {
            Some(help) => diagnostic.help(help),
            None => diagnostic,
        }
    }

    /// The line without its indentation, and the byte offset where that starts.
    pub(super) fn trimmed_from(&self, offset: usize) -> (&str, usize) {
        let rest = &self.text[offset..];
        let trimmed = common::unindented(rest);
        (trimmed, offset + rest.len() - trimmed.len())
    }
}

/// One predicate for every string that reaches the editions, notes and names alike.
pub(super) use crate::text::is_forbidden;

/// Whether `bytes` may hold a forbidden character: an ASCII control other than tab and line
/// feed, DEL, or the lead byte 0xC2 of the C1 controls or 0xEF of U+FFFE and U+FFFF.
/// Branch-free, so the compiler vectorises it; only lines it flags are decoded. The
/// controls are told by minima of unsigned bytes, which SSE2 takes 16 bytes at a time in
/// two instructions each, where comparing each byte with the bounds takes ten: the
/// controls after tab and line feed (11 to 31) are the bytes that subtracting 11 brings
/// below 21, those before them the bytes below 9.
fn suspicious(bytes: &[u8]) -> bool {
    // The marks are summed as a byte: as a `bool`, the fold was not vectorised.
    let (after_line_feed, lowest, marked) = bytes.iter().fold(
        (u8::MAX, u8::MAX, 0),
        |(after_line_feed, lowest, marked), &b| {
            (
                after_line_feed.min(b.wrapping_sub(11)),
                lowest.min(b),
                marked | u8::from((b == 0x7F) | (b == 0xC2) | (b == 0xEF)),
            )
        },
    );
    after_line_feed <= 20 || lowest <= 8 || marked != 0
}

/// Whether ASCII `bytes` hold a forbidden character: [`suspicious`] without the lead bytes,
/// which ASCII never holds, and so fewer instructions a byte for most files. Every byte
/// past ASCII is flagged as well.
fn ascii_control(bytes: &[u8]) -> bool {
    // Minima as in [`suspicious`], the controls before tab and DEL told by one more: the
    // bytes that adding 0x81 brings below 0x8A are those and every byte past ASCII (DEL
    // wraps round to 0, 0x80 to 0xFF to 1 to 0x80).
    let (after_line_feed, others) =
        bytes
            .iter()
            .fold((u8::MAX, u8::MAX), |(after_line_feed, others), &b| {
                (
                    after_line_feed.min(b.wrapping_sub(11)),
                    others.min(b.wrapping_add(0x81)),
                )
            });
    after_line_feed <= 20 || others < 0x8A
}

pub(super) fn split_lines<'a>(
    text: &'a str,
    diagnostics: &mut Diagnostics,
    budget: &mut Budget,
) -> Vec<Line<'a>> {
    let mut lines = Vec::with_capacity(text.len() / 32);
    let body = text.strip_suffix('\n').unwrap_or(text);
    // One look at the whole text: no line of a file it does not flag is looked at again (a
    // scan per line paid its vector loop's tail on every line).
    let look = look(body.as_bytes());
    let bytes = body.as_bytes();
    let mut start = 0;
    let mut number: u32 = 1;
    loop {
        // Empty lines, runs of which stand between most blocks, are only counted: each cost
        // a pass through the loop below, for a line that is never stored.
        while bytes.get(start) == Some(&b'\n') {
            start += 1;
            number = number.saturating_add(1);
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |at| start + at);
        if !push_line(
            &mut lines,
            &body[start..end],
            number,
            look,
            diagnostics,
            budget,
        ) || end == bytes.len()
        {
            break;
        }
        start = end + 1;
        number = number.saturating_add(1);
    }
    lines
}

/// How many bytes [`look`] takes at a time.
const LOOK_BLOCK: usize = 4096;

/// One look at the whole text. [`ascii_control`] flags every byte past ASCII too, so a file
/// it lets go, as most are, is ASCII without another look; it is asked of one block at a
/// time, so that a file that is not ASCII is looked at again only from the block that holds
/// the first such byte (the blocks before it hold no forbidden character).
fn look(bytes: &[u8]) -> Look {
    let Some(block) = bytes.chunks(LOOK_BLOCK).position(ascii_control) else {
        return Look {
            suspicious: false,
            ascii: true,
        };
    };
    let rest = &bytes[block * LOOK_BLOCK..];
    if rest.is_ascii() {
        // The block was flagged for a control, then.
        Look {
            suspicious: true,
            ascii: true,
        }
    } else {
        Look {
            suspicious: suspicious(rest),
            ascii: false,
        }
    }
}

/// What one look at a whole file tells of each of its lines.
#[derive(Clone, Copy)]
struct Look {
    /// Whether the file may hold a forbidden character: else no line is checked for one.
    suspicious: bool,
    /// Whether the file is all ASCII: else each line is checked for being so.
    ascii: bool,
}

/// Adds line `number` unless it is blank (blank lines are only counted, from the gaps in the
/// line numbers: megabytes of them hold nothing in memory); false once the budget ran out.
fn push_line<'a>(
    lines: &mut Vec<Line<'a>>,
    raw: &'a str,
    number: u32,
    look: Look,
    diagnostics: &mut Diagnostics,
    budget: &mut Budget,
) -> bool {
    // Bytes, not characters: the line ending and white space are ASCII, and trimming by
    // characters decoded each line's last character.
    let bytes = raw.as_bytes();
    let mut end = bytes.len() - usize::from(bytes.last() == Some(&b'\r'));
    while end > 0 && common::is_blank(bytes[end - 1]) {
        end -= 1;
    }
    let trimmed = &raw[..end];
    if trimmed.is_empty() {
        return true;
    }
    if !budget.spend(Budget::LINE, number) {
        return false;
    }
    let text =
        if look.suspicious && suspicious(trimmed.as_bytes()) && trimmed.chars().any(is_forbidden) {
            let mut clean = String::with_capacity(trimmed.len());
            for (column, c) in trimmed.chars().enumerate() {
                if is_forbidden(c) {
                    let column = u32::try_from(column + 1).unwrap_or(u32::MAX);
                    diagnostics.report(Code::ForbiddenCharacter, number, || {
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
    // A replacement character is not ASCII, whatever it replaced.
    let ascii = match &text {
        Cow::Borrowed(_) if look.ascii => true,
        text => text.is_ascii(),
    };
    lines.push(Line {
        number,
        text,
        ascii,
    });
    true
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
pub(super) struct Chunk<'l, 'a> {
    pub blank_before: usize,
    pub lines: &'l [Line<'a>],
}

/// The chunks of `lines`, the non-blank lines of a file: runs of consecutive line numbers.
pub(super) fn chunks<'l, 'a>(lines: &'l [Line<'a>]) -> impl Iterator<Item = Chunk<'l, 'a>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let first = lines.get(at)?;
        let before = at.checked_sub(1).map_or(0, |i| lines[i].number);
        let len = 1 + lines[at + 1..]
            .iter()
            .zip(&lines[at..])
            .take_while(|(line, above)| line.number == above.number + 1)
            .count();
        let chunk = Chunk {
            blank_before: first.number.saturating_sub(before).saturating_sub(1) as usize,
            lines: &lines[at..at + len],
        };
        at += len;
        Some(chunk)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `b` is an ASCII control other than tab and line feed, or DEL.
    fn control(b: u8) -> bool {
        ((b < 0x20) & (b != b'\t') & (b != b'\n')) | (b == 0x7F)
    }

    #[test]
    fn suspicious_flags_the_controls_and_the_lead_bytes() {
        for b in 0..=0xFF {
            let expected = control(b) || b == 0xC2 || b == 0xEF;
            assert_eq!(suspicious(&[b'a', b, b'z']), expected, "byte {b:#04x}");
        }
    }

    #[test]
    fn ascii_control_flags_the_ascii_bytes_control_does() {
        for b in 0..0x80 {
            assert_eq!(ascii_control(&[b'a', b, b'z']), control(b), "byte {b:#04x}");
        }
    }

    #[test]
    fn ascii_control_flags_every_byte_past_ascii() {
        for b in 0x80..=0xFF {
            assert!(ascii_control(&[b'a', b, b'z']), "byte {b:#04x}");
        }
    }
}
