//! Inline content: citations `[56]`, cross-references `[see the 19th]`, quotations, text.

use std::borrow::Cow;
use std::cell::Cell;

use chrono::NaiveDate;
use nom::Parser;
use nom::bytes::complete::tag;
use nom::character::complete::{alpha1, char};
use nom::sequence::delimited;

use super::common::{Failure, PResult, days_in_month, digits, echo, month_label};
use super::lines::Line;
use crate::ast::{Citation, CrossRef, Inline, NoteRef, Position, QuoteMarks, ordinal_suffix};
use crate::diagnostic::Code;

/// Text joined from source lines, remembering where each piece came from.
#[derive(Debug)]
pub(super) struct Joined<'a> {
    /// The pieces joined by single spaces: the first piece itself while there is one, as
    /// most blocks are one line, whose text is then not copied.
    pub text: Cow<'a, str>,
    /// (line, column) of the first piece, which starts at offset 0.
    first: Option<(u32, u32)>,
    /// (offset in `text`, line, column) of each later piece: empty, and so never allocated,
    /// for a block of one line.
    later: Vec<(usize, u32, u32)>,
    /// Whether some piece holds a character of more than one byte: if none does, a
    /// position's column is a difference of offsets, with no characters to count.
    multibyte: bool,
    /// The last position computed, as (offset in `text`, piece index, characters from the
    /// piece's start). The inline parser asks for positions nearly in order, so counting
    /// characters from here instead of from the start of the line keeps a paragraph of
    /// megabytes linear rather than quadratic.
    cursor: Cell<(usize, usize, usize)>,
}

// Not derived: the default `Cow` is an owned empty string, which the first piece would be
// copied into.
impl Default for Joined<'_> {
    fn default() -> Self {
        Self {
            text: Cow::Borrowed(""),
            first: None,
            later: Vec::new(),
            multibyte: false,
            cursor: Cell::default(),
        }
    }
}

/// The buffers of a text joined from several lines, kept from one block to the next: each
/// block of several lines was two allocations, for its text and for its pieces.
#[derive(Debug, Default)]
pub(super) struct JoinBuffers {
    text: String,
    later: Vec<(usize, u32, u32)>,
}

impl<'a> Joined<'a> {
    /// The text of `lines` without their indentation, the first line's from byte `offset`;
    /// a text of several lines is joined in the buffers of `spare`.
    pub fn lines(lines: &'a [Line<'_>], offset: usize, spare: &mut JoinBuffers) -> Self {
        let Some((head, tail)) = lines.split_first() else {
            return Self::default();
        };
        // The first piece is set rather than pushed: most blocks are that piece alone.
        let (piece, from) = head.trimmed_from(offset);
        let mut joined = Self {
            text: Cow::Borrowed(piece),
            first: Some((head.number, head.column(from))),
            later: Vec::new(),
            multibyte: !head.ascii,
            cursor: Cell::default(),
        };
        if !tail.is_empty() {
            // The length of the lines and a space each bounds the text.
            let len = lines.iter().map(|line| line.text.len() + 1).sum();
            let mut text = std::mem::take(&mut spare.text);
            text.reserve(len);
            text.push_str(piece);
            let mut later = std::mem::take(&mut spare.later);
            later.reserve(tail.len());
            // [`Joined::push`] on a text known to be owned and to have a first piece.
            for line in tail {
                let (piece, from) = line.trimmed_from(0);
                if !text.is_empty() {
                    text.push(' ');
                }
                later.push((text.len(), line.number, line.column(from)));
                text.push_str(piece);
                joined.multibyte |= !line.ascii;
            }
            joined.text = Cow::Owned(text);
            joined.later = later;
        }
        joined
    }

    /// Gives the buffers of a text of several lines back to `spare`, for the next one to be
    /// joined in: the inlines copy what they keep of the text.
    pub fn recycle(self, spare: &mut JoinBuffers) {
        if let Cow::Owned(mut text) = self.text {
            text.clear();
            spare.text = text;
            let mut later = self.later;
            later.clear();
            spare.later = later;
        }
    }

    /// Appends `line` from byte `offset` on, without its indentation, separated from the
    /// previous piece by one space.
    pub fn push(&mut self, line: &'a Line<'_>, offset: usize) {
        let (piece, from) = line.trimmed_from(offset);
        let column = line.column(from);
        let start = match &mut self.text {
            Cow::Borrowed(text) if text.is_empty() => {
                *text = piece;
                0
            }
            text => {
                let text = text.to_mut();
                if !text.is_empty() {
                    text.push(' ');
                }
                let start = text.len();
                text.push_str(piece);
                start
            }
        };
        self.multibyte |= !line.ascii;
        match self.first {
            None => self.first = Some((line.number, column)),
            Some(_) => self.later.push((start, line.number, column)),
        }
    }

    /// The source position of byte `offset` of `text`.
    #[inline]
    pub fn position(&self, offset: usize) -> Position {
        let Some(first) = self.first else {
            return Position::default();
        };
        let index = self.later.partition_point(|&(start, _, _)| start <= offset);
        let (start, line, column) = match index.checked_sub(1) {
            Some(later) => self.later[later],
            None => (0, first.0, first.1),
        };
        if self.multibyte {
            return self.counted_position(offset, index, (start, line, column));
        }
        // One byte a character: the column needs neither counting nor the cursor (past the
        // end of the text, as when counting fails, it is the piece's own).
        let chars = if offset <= self.text.len() {
            offset - start
        } else {
            0
        };
        Position::new(
            line,
            column.saturating_add(u32::try_from(chars).unwrap_or(u32::MAX)),
        )
    }

    /// [`Joined::position`] of byte `offset` in piece `index`, which starts at byte `start`
    /// of `text` and at `column` of `line`, when some piece holds a character of more than
    /// one byte: its characters are counted, from the cursor when it is in the same piece.
    fn counted_position(
        &self,
        offset: usize,
        index: usize,
        (start, line, column): (usize, u32, u32),
    ) -> Position {
        let count = |from: usize, to: usize| Some(self.text.get(from..to)?.chars().count());
        let (at, piece, chars) = self.cursor.get();
        let chars = if piece != index {
            count(start, offset)
        } else if at <= offset {
            count(at, offset).map(|n| chars + n)
        } else {
            count(offset, at).map(|n| chars.saturating_sub(n))
        };
        let Some(chars) = chars else {
            return Position::new(line, column);
        };
        self.cursor.set((offset, index, chars));
        Position::new(
            line,
            column.saturating_add(u32::try_from(chars).unwrap_or(u32::MAX)),
        )
    }
}

/// Something wrong found in inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Finding {
    pub code: Code,
    pub pos: Position,
    pub message: String,
    pub expected: String,
}

/// A number as the editions write it back: no leading zero, so `[056]` stays text rather
/// than becoming `[56]` in the text edition.
fn is_canonical(digits: &str) -> bool {
    digits.len() == 1 || !digits.starts_with('0')
}

/// A note number that fits in `u32`.
pub(super) fn note_number(i: &str) -> PResult<'_, u32> {
    // Bytes, not `digits`' characters, and summed here rather than parsed again: every
    // citation is a few of these. No digit at all fails as the parse of an empty number
    // does, with the same error, as does a number too large for `u32`.
    let len = i.bytes().take_while(u8::is_ascii_digit).count();
    let (n, rest) = i.split_at(len);
    let value = n.bytes().try_fold(0_u32, |value, digit| {
        value.checked_mul(10)?.checked_add(u32::from(digit - b'0'))
    });
    match value.filter(|_| len > 0 && is_canonical(n)) {
        Some(n) => Ok((rest, n)),
        None => Err(nom::Err::Error(Failure {
            rest: i,
            expected: "",
        })),
    }
}

/// `56` or `56-58`.
fn note_ref(i: &str) -> PResult<'_, NoteRef> {
    let (rest, from) = note_number(i)?;
    match rest.strip_prefix('-').map(note_number) {
        Some(Ok((rest, to))) => Ok((rest, NoteRef::Range(from, to))),
        _ => Ok((rest, NoteRef::Note(from))),
    }
}

/// `[56]`, `[56, 57]`, `[56-58]`: numbers separated by `, ` exactly. A plain loop, not
/// `separated_list1` and `opt`: every `[` of every paragraph is tried, and the combinators
/// cost several times what the loop does.
pub(super) fn citation(i: &str) -> PResult<'_, Vec<NoteRef>> {
    let fail = || {
        nom::Err::Error(Failure {
            rest: i,
            expected: "",
        })
    };
    let (mut rest, first) = note_ref(i.strip_prefix('[').ok_or_else(fail)?)?;
    // Most citations are of one note: their vector is allocated at that length, not grown.
    let mut notes = vec![first];
    while let Some(next) = rest.strip_prefix(", ") {
        let (after, note) = note_ref(next)?;
        notes.push(note);
        rest = after;
    }
    Ok((rest.strip_prefix(']').ok_or_else(fail)?, notes))
}

/// `[see the 19th]`: the day as written and its ordinal suffix.
pub(super) fn cross_ref(i: &str) -> PResult<'_, (&str, &str)> {
    delimited(tag("[see the "), (digits, alpha1), char(']')).parse(i)
}

/// Whether `c` may open an inline: a bracket or an opening quote mark.
fn opens_inline(c: char) -> bool {
    matches!(c, '[' | '"' | '\u{201C}' | '\u{201E}' | '\u{AB}')
}

/// A run of plain text up to the next character that may open another inline; `multibyte`
/// says whether the text may hold characters of more than one byte.
fn text(i: &str, multibyte: bool) -> PResult<'_, &str> {
    // A byte search (memchr) rather than a character scan: `[` and `"` are ASCII, and the
    // other openers start with 0xE2 (`“`, `„`) or 0xC2 (`«`), lead bytes only, each then
    // looked at as a character. ASCII text, most of it, holds neither lead byte.
    let bytes = i.as_bytes();
    let next = |from: usize| {
        let rest = &bytes[from..];
        if !multibyte {
            return memchr::memchr2(b'[', b'"', rest);
        }
        let ascii_or_curly = memchr::memchr3(b'[', b'"', 0xE2, rest);
        let guillemet = memchr::memchr(0xC2, &rest[..ascii_or_curly.unwrap_or(rest.len())]);
        guillemet.or(ascii_or_curly)
    };
    let mut from = 0;
    let end = loop {
        match next(from) {
            None => break i.len(),
            Some(found) => {
                let candidate = from + found;
                if i[candidate..].starts_with(opens_inline) {
                    break candidate;
                }
                from = candidate + 1;
            }
        }
    };
    if end == 0 {
        return Err(nom::Err::Error(Failure {
            rest: i,
            expected: "",
        }));
    }
    Ok((&i[end..], &i[..end]))
}

/// The marks a quotation opening with `c` is typed with.
pub(super) fn quote_marks(c: char) -> Option<QuoteMarks> {
    QuoteMarks::ALL
        .into_iter()
        .find(|marks| marks.pair().0 == c)
}

/// A quoted run: the words between an opening mark and its partner, which is found by
/// memchr's search for its bytes: core's search for a `char` cost more than the rest of
/// reading a quotation.
pub(super) fn quotation(i: &str, marks: QuoteMarks) -> PResult<'_, &str> {
    let (open, close) = marks.pair();
    let fail = || {
        nom::Err::Error(Failure {
            rest: i,
            expected: "",
        })
    };
    let inner = i.strip_prefix(open).ok_or_else(fail)?;
    let mut buffer = [0; 4];
    let close = close.encode_utf8(&mut buffer);
    // A straight mark is one byte, found by memchr: memmem sets up a searcher for each call.
    let end = match close.as_bytes() {
        &[mark] => memchr::memchr(mark, inner.as_bytes()),
        mark => memchr::memmem::find(inner.as_bytes(), mark),
    }
    .ok_or_else(fail)?;
    Ok((&inner[end + close.len()..], &inner[..end]))
}

/// Parses inline content for a day of `month` in `year`.
pub(super) struct InlineParser<'a> {
    pub joined: &'a Joined<'a>,
    pub year: i32,
    pub month: u32,
    pub findings: Vec<Finding>,
    /// The inlines being read, a quotation's content above those of the text around it:
    /// one vector lent from block to block, so that each run of inlines is allocated once
    /// at its length instead of grown (most blocks have a few inlines, and growing them was
    /// 7% of a parse).
    pub scratch: Vec<Inline>,
}

impl InlineParser<'_> {
    /// The inlines of the whole joined text.
    pub fn parse(&mut self) -> Vec<Inline> {
        self.inlines(0, self.joined.text.len(), true)
    }

    fn inlines(&mut self, start: usize, end: usize, quotes: bool) -> Vec<Inline> {
        let source: &str = &self.joined.text;
        let base = self.scratch.len();
        let mut pending = start;
        let mut at = start;
        while at < end {
            let rest = &source[at..end];
            let consumed = end - at;
            // The first byte tells most steps apart: only a byte past ASCII may start a
            // quote mark that needs its character decoded and looked up.
            let lead = rest.as_bytes()[0];
            let (first, marks) = match lead {
                b'"' => ('"', Some(QuoteMarks::Straight)),
                _ if lead.is_ascii() => (char::from(lead), None),
                _ => {
                    let first = rest.chars().next().unwrap_or_default();
                    (first, quote_marks(first))
                }
            };
            let parsed = match (first, marks) {
                ('[', _) => self.bracket(rest, at),
                (_, Some(marks)) if quotes => self.quote(rest, at, marks),
                (_, Some(_)) => None,
                _ => text(rest, self.joined.multibyte)
                    .ok()
                    .map(|(r, _)| (consumed - r.len(), None)),
            };
            match parsed {
                Some((len, Some(inline))) => {
                    flush_text(&mut self.scratch, self.joined, pending, at);
                    self.scratch.push(inline);
                    at += len;
                    pending = at;
                }
                Some((len, None)) => at += len,
                None => at += first.len_utf8(),
            }
        }
        flush_text(&mut self.scratch, self.joined, pending, end);
        self.scratch.split_off(base)
    }

    /// A citation or cross-reference at `rest`, or `None` to keep the `[` as text.
    fn bracket(&mut self, rest: &str, at: usize) -> Option<(usize, Option<Inline>)> {
        // The position is computed only once a construct is found: most `[` are text.
        if let Ok((r, notes)) = citation(rest) {
            let pos = self.joined.position(at);
            return Some((
                rest.len() - r.len(),
                Some(Inline::Citation(Citation { notes, pos })),
            ));
        }
        let Some((r, (digits, suffix))) =
            cross_ref(rest).ok().filter(|(_, (d, _))| is_canonical(d))
        else {
            self.near_miss(rest, at);
            return None;
        };
        let pos = self.joined.position(at);
        let len = rest.len() - r.len();
        // Any number of digits is read, so that `[see the 123rd]` is reported, not let
        // pass as text; one too large for `u32` names no day either.
        let Ok(day) = digits.parse::<u32>() else {
            self.no_such_day(pos, &format!("{}{}", echo(digits), echo(suffix)));
            return Some((len, None));
        };
        if suffix != ordinal_suffix(day) {
            self.finding(
                Code::OrdinalSuffix,
                pos,
                format!(
                    "`{}` has the wrong ordinal suffix; kept as text",
                    echo(&rest[..len])
                ),
                format!("`[see the {day}{}]`", ordinal_suffix(day)),
            );
            return Some((len, None));
        }
        match NaiveDate::from_ymd_opt(self.year, self.month, day) {
            Some(target) => Some((len, Some(Inline::CrossRef(CrossRef { day, target, pos })))),
            None => {
                self.no_such_day(pos, &format!("{day}{suffix}"));
                Some((len, None))
            }
        }
    }

    /// Warns when the bracket at `rest`, kept as text, looks like a cross-reference or a
    /// citation typed another way (`[See the 25th]`, `[see 25th]`, `[121,122]`): the editions
    /// would show it as plain text, which the editor most likely did not mean.
    fn near_miss(&mut self, rest: &str, at: usize) {
        const SPAN: usize = 40;
        let window = &rest.as_bytes()[..rest.len().min(SPAN)];
        let Some(close) = window.iter().position(|&b| b == b']') else {
            return;
        };
        let inside = &rest[1..close];
        let written = &rest[..=close];
        if let Some(canonical) = near_cross_ref(inside) {
            let pos = self.joined.position(at);
            self.finding(
                Code::NearCrossRef,
                pos,
                format!("`{written}` looks like a cross-reference but is not written as one; kept as text"),
                format!("`{canonical}`"),
            );
        } else if let Some(canonical) = near_citation(inside) {
            let pos = self.joined.position(at);
            self.finding(
                Code::NearCitation,
                pos,
                format!(
                    "`{written}` looks like a citation but is not written as one; kept as text"
                ),
                format!("`{canonical}`"),
            );
        }
    }

    /// DB0009 for a cross-reference to the `ordinal` day of a month that has no such day.
    fn no_such_day(&mut self, pos: Position, ordinal: &str) {
        let (month, days) = (
            month_label(self.month),
            days_in_month(self.year, self.month),
        );
        self.finding(
            Code::NoSuchDay,
            pos,
            format!(
                "cross-reference to the {ordinal}, but {month} {} has {days} days",
                self.year
            ),
            format!("a day from 1 to {days}"),
        );
    }

    /// A quotation at `rest`, or `None` (with a warning) when it is never closed.
    fn quote(
        &mut self,
        rest: &str,
        at: usize,
        marks: QuoteMarks,
    ) -> Option<(usize, Option<Inline>)> {
        let pos = self.joined.position(at);
        let (open, close) = marks.pair();
        match quotation(rest, marks) {
            Ok((r, inner)) => {
                let start = at + open.len_utf8();
                let content = self.inlines(start, start + inner.len(), false);
                Some((
                    rest.len() - r.len(),
                    Some(Inline::Quote {
                        content,
                        marks,
                        pos,
                    }),
                ))
            }
            Err(_) => {
                self.finding(
                    Code::UnterminatedQuote,
                    pos,
                    format!("unterminated quotation: this `{open}` has no partner; kept as text"),
                    format!("a closing `{close}` before the end of the paragraph"),
                );
                None
            }
        }
    }

    fn finding(
        &mut self,
        code: Code,
        pos: Position,
        message: impl Into<String>,
        expected: impl Into<String>,
    ) {
        self.findings.push(Finding {
            code,
            pos,
            message: message.into(),
            expected: expected.into(),
        });
    }
}

/// The canonical cross-reference that bracketed words such as `See the 25th`, `see 25th`,
/// `see the 25` or `see  the 25th` were meant to be.
fn near_cross_ref(inside: &str) -> Option<String> {
    let mut words = inside.split_whitespace();
    if !words.next()?.eq_ignore_ascii_case("see") {
        return None;
    }
    let mut ordinal = words.next()?;
    if ordinal.eq_ignore_ascii_case("the") {
        ordinal = words.next()?;
    }
    if words.next().is_some() {
        return None;
    }
    let digits = ordinal.trim_end_matches(char::is_alphabetic);
    let suffix = &ordinal[digits.len()..];
    let day: u32 = digits.parse().ok()?;
    let suffix_ok =
        suffix.is_empty() || ["st", "nd", "rd", "th"].contains(&suffix.to_lowercase().as_str());
    suffix_ok.then(|| format!("[see the {day}{}]", ordinal_suffix(day)))
}

/// The canonical citation that bracketed note numbers such as `121,122`, `121 ,122`,
/// `121; 122`, `12 – 14` or `056` were meant to be.
fn near_citation(inside: &str) -> Option<String> {
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ',' | ';' | '-' | '\u{2013}' | ' ');
    if !inside.chars().all(allowed) || !inside.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut notes = Vec::new();
    for part in inside.split([',', ';']) {
        let part = part.trim();
        let mut ends = part.split(['-', '\u{2013}']).map(str::trim);
        let from: u32 = ends.next()?.parse().ok()?;
        match (ends.next(), ends.next()) {
            (None, _) => notes.push(from.to_string()),
            (Some(to), None) => notes.push(format!("{from}-{}", to.parse::<u32>().ok()?)),
            _ => return None,
        }
    }
    Some(format!("[{}]", notes.join(", ")))
}

fn flush_text(out: &mut Vec<Inline>, joined: &Joined<'_>, from: usize, to: usize) {
    if from < to {
        out.push(Inline::Text {
            text: joined.text[from..to].to_owned(),
            pos: joined.position(from),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(number: u32, text: &str) -> Line<'_> {
        Line {
            number,
            text: Cow::Borrowed(text),
            ascii: text.is_ascii(),
        }
    }

    fn parse(text: &str) -> (Vec<Inline>, Vec<Finding>) {
        let lines = [line(1, text)];
        let joined = Joined::lines(&lines, 0, &mut JoinBuffers::default());
        let mut parser = InlineParser {
            joined: &joined,
            year: 1950,
            month: 1,
            findings: Vec::new(),
            scratch: Vec::new(),
        };
        let inlines = parser.parse();
        (inlines, parser.findings)
    }

    fn text_at(text: &str, column: u32) -> Inline {
        Inline::Text {
            text: text.to_owned(),
            pos: Position::new(1, column),
        }
    }

    #[test]
    fn citations_single_list_and_range() {
        assert_eq!(citation("[56]"), Ok(("", vec![NoteRef::Note(56)])));
        assert_eq!(
            citation("[56, 57]"),
            Ok(("", vec![NoteRef::Note(56), NoteRef::Note(57)]))
        );
        assert_eq!(citation("[56-58]"), Ok(("", vec![NoteRef::Range(56, 58)])));
        assert!(citation("[56,57]").is_err());
        assert!(citation("[99999999999]").is_err());
        assert!(citation("[sic]").is_err());
    }

    #[test]
    fn citation_after_a_full_stop() {
        let (inlines, findings) = parse("treaty.[56]");
        assert_eq!(
            inlines,
            vec![
                text_at("treaty.", 1),
                Inline::Citation(Citation {
                    notes: vec![NoteRef::Note(56)],
                    pos: Position::new(1, 8)
                })
            ]
        );
        assert!(findings.is_empty());
    }

    #[test]
    fn cross_references_resolve_in_the_same_month() {
        for (written, day) in [
            ("[see the 19th]", 19),
            ("[see the 1st]", 1),
            ("[see the 22nd]", 22),
            ("[see the 3rd]", 3),
        ] {
            let (inlines, _) = parse(written);
            let target = NaiveDate::from_ymd_opt(1950, 1, day).unwrap();
            assert_eq!(
                inlines,
                vec![Inline::CrossRef(CrossRef {
                    day,
                    target,
                    pos: Position::new(1, 1)
                })]
            );
        }
    }

    #[test]
    fn numbers_with_leading_zeros_stay_text_so_the_text_edition_keeps_them() {
        assert!(citation("[056]").is_err());
        assert!(citation("[0]").is_ok());
        let (inlines, findings) = parse("[see the 05th]");
        assert_eq!(inlines, vec![text_at("[see the 05th]", 1)]);
        assert_eq!(
            (findings[0].code, findings[0].expected.as_str()),
            (Code::NearCrossRef, "`[see the 5th]`")
        );
    }

    #[test]
    fn cross_reference_to_a_missing_day_is_an_error_and_stays_text() {
        let (inlines, findings) = parse("Army. [see the 45th]");
        assert_eq!(inlines, vec![text_at("Army. [see the 45th]", 1)]);
        assert_eq!(findings[0].code, Code::NoSuchDay);
        assert_eq!(findings[0].pos, Position::new(1, 7));
        assert_eq!(
            findings[0].message,
            "cross-reference to the 45th, but January 1950 has 31 days"
        );
    }

    #[test]
    fn cross_references_to_days_past_any_month_are_errors_whatever_their_length() {
        let (inlines, findings) = parse("[see the 123rd]");
        assert_eq!(inlines, vec![text_at("[see the 123rd]", 1)]);
        assert_eq!(
            findings[0].message,
            "cross-reference to the 123rd, but January 1950 has 31 days"
        );
        let written = format!("[see the {}th]", "9".repeat(60));
        let (inlines, findings) = parse(&written);
        assert_eq!(inlines, vec![text_at(&written, 1)]);
        assert_eq!(
            findings[0].message,
            format!(
                "cross-reference to the {}…th, but January 1950 has 31 days",
                "9".repeat(40)
            )
        );
    }

    #[test]
    fn wrong_ordinal_suffix_is_a_warning_and_stays_text() {
        let (inlines, findings) = parse("[see the 19st]");
        assert_eq!(inlines, vec![text_at("[see the 19st]", 1)]);
        assert_eq!(
            (findings[0].code, findings[0].expected.as_str()),
            (Code::OrdinalSuffix, "`[see the 19th]`")
        );
    }

    #[test]
    fn quotations_hold_inlines_but_no_quotes() {
        let (inlines, findings) = parse("said \"small.\"[67] and");
        assert_eq!(
            inlines,
            vec![
                text_at("said ", 1),
                Inline::Quote {
                    content: vec![text_at("small.", 7)],
                    marks: QuoteMarks::Straight,
                    pos: Position::new(1, 6)
                },
                Inline::Citation(Citation {
                    notes: vec![NoteRef::Note(67)],
                    pos: Position::new(1, 14)
                }),
                text_at(" and", 18),
            ]
        );
        assert!(findings.is_empty());
    }

    #[test]
    fn unterminated_quotation_is_a_warning_and_stays_text() {
        let (inlines, findings) = parse("He said \"never");
        assert_eq!(inlines, vec![text_at("He said \"never", 1)]);
        assert_eq!(
            (findings[0].code, findings[0].pos),
            (Code::UnterminatedQuote, Position::new(1, 9))
        );
    }

    #[test]
    fn other_brackets_are_text() {
        let (inlines, findings) = parse("a [sic] b [");
        assert_eq!(inlines, vec![text_at("a [sic] b [", 1)]);
        assert!(findings.is_empty());
    }

    #[test]
    fn positions_follow_the_source_lines() {
        let lines = [line(3, "first line"), line(4, "  second [56]")];
        let joined = Joined::lines(&lines, 0, &mut JoinBuffers::default());
        assert_eq!(joined.text, "first line second [56]");
        assert_eq!(joined.position(18), Position::new(4, 10));
    }
}
