//! The canonical plain-text edition: day notes in their normal form, valid input again.
//!
//! Paragraphs are wrapped at [`WIDTH`] columns (or the configured width), blocks are separated by one blank line and
//! sections by three. Parsing the output gives the same AST as the source (positions
//! aside), and writing that AST again gives the same bytes.

use std::fmt::Write as _;

mod notes;

pub use notes::write_notes;

use crate::ast::{
    Block, Citation, Correspondence, Day, Inline, List, MediaList, NoteRef, Paragraph,
    ParagraphPart, long_date, weekday_name,
};

/// The column paragraphs are wrapped at unless the configuration says otherwise.
pub const WIDTH: usize = 72;

/// The narrowest wrap width allowed: list items need room after their numbers.
pub const MIN_WIDTH: usize = 20;

const BLOCK_BREAK: &str = "\n\n";
const SECTION_BREAK: &str = "\n\n\n\n";
/// What separates one day from the next in a file of several: three blank lines.
pub const DAY_BREAK: &str = "\n\n\n";

/// Writes one day, ending with a newline, wrapping prose at `width` columns.
pub fn write_day(day: &Day, width: usize, out: &mut String) {
    let heading = &day.heading;
    out.push_str(&long_date(heading.date));
    if let Some(weekday) = heading.weekday {
        let _ = write!(out, " ({})", weekday_name(weekday));
    }
    for section in &day.sections {
        out.push_str(SECTION_BREAK);
        for (index, block) in section.blocks.iter().enumerate() {
            if index > 0 {
                out.push_str(BLOCK_BREAK);
            }
            write_block(block, width, out);
        }
    }
    if let Some(closing) = &day.closing {
        out.push_str(SECTION_BREAK);
        let _ = write!(
            out,
            "Notes for {} {}",
            weekday_name(closing.weekday),
            long_date(closing.date)
        );
    }
    out.push('\n');
}

/// Writes several days (a year) one after another, three blank lines apart.
pub fn write_days<'a>(days: impl IntoIterator<Item = &'a Day>, width: usize, out: &mut String) {
    for (index, day) in days.into_iter().enumerate() {
        if index > 0 {
            out.push_str(DAY_BREAK);
        }
        write_day(day, width, out);
    }
}

fn write_block(block: &Block, width: usize, out: &mut String) {
    match block {
        Block::Paragraph(paragraph) => write_paragraph(paragraph, width, out),
        Block::List(list) => write_list(list, width, out),
        Block::Media(media) => write_media(media, out),
        Block::Correspondence(c) => write_correspondence(c, out),
        Block::Label(label) => out.push_str(&label.text),
    }
}

fn write_paragraph(paragraph: &Paragraph, width: usize, out: &mut String) {
    for (index, part) in paragraph.parts.iter().enumerate() {
        if index > 0 {
            out.push_str(BLOCK_BREAK);
        }
        match part {
            ParagraphPart::Inlines(inlines) => wrap(&inlines_text(inlines), width, "", "", out),
            ParagraphPart::List(list) => write_list(list, width, out),
        }
    }
}

fn write_list(list: &List, width: usize, out: &mut String) {
    for (index, item) in list.items.iter().enumerate() {
        if index > 0 {
            out.push_str(BLOCK_BREAK);
        }
        let first = format!("  {}. ", item.number);
        let rest = " ".repeat(first.len());
        wrap(&inlines_text(&item.content), width, &first, &rest, out);
    }
}

fn write_media(media: &MediaList, out: &mut String) {
    for (index, code) in media.codes.iter().enumerate() {
        if index > 0 {
            out.push_str(BLOCK_BREAK);
        }
        let _ = write!(
            out,
            "{} {}",
            code.date.format("%Y%m%d"),
            code.time.format("%H%M")
        );
        let _ = write!(out, " {}", code.kind);
    }
}

fn write_correspondence(c: &Correspondence, out: &mut String) {
    let _ = write!(
        out,
        "{} to {} concerning {}{}",
        c.sender, c.recipient, c.subject, c.trailing
    );
    for citation in &c.citations {
        write_citation(citation, out);
    }
}

/// Inline content as it is written in a note.
fn inlines_text(inlines: &[Inline]) -> String {
    let mut text = String::new();
    write_inlines(inlines, &mut text);
    text
}

fn write_inlines(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::Name(name) => out.push_str(&name.text),
            Inline::Citation(citation) => write_citation(citation, out),
            Inline::CrossRef(cross_ref) => {
                let _ = write!(out, "[{}]", cross_ref.words());
            }
            Inline::Quote { content, marks, .. } => {
                let (open, close) = marks.pair();
                out.push(open);
                write_inlines(content, out);
                out.push(close);
            }
        }
    }
}

fn write_citation(citation: &Citation, out: &mut String) {
    out.push('[');
    for (index, note) in citation.notes.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        let _ = match note {
            NoteRef::Note(n) => write!(out, "{n}"),
            NoteRef::Range(from, to) => write!(out, "{from}-{to}"),
        };
    }
    out.push(']');
}

/// Writes `text` greedily wrapped at `width` columns, the first line after `first`, the
/// others after `rest`.
///
/// Every line must read back as part of the same block, so the grammar's line rules decide
/// where a line may start (`docs/format.md`): never with an eight-digit word (a media code),
/// and a line that starts with a number and a full stop (`12.`) ends right after it, or it
/// would be a list item. A paragraph's first line also starts a block, where a heading or a
/// closing line is recognised: when the text begins like one, the line breaks after its
/// first word. A paragraph that begins with `12.` has that word alone on its first line, and
/// what follows begins the next line by the same rules, as a paragraph begins its first
/// (`1.` / `February` / `30, 1950`, where `1. February` would be a list item).
fn wrap(text: &str, width: usize, first: &str, rest: &str, out: &mut String) {
    let mut text = text;
    if first.is_empty() {
        while let Some((number, after)) = text
            .split_once(' ')
            .filter(|(number, after)| is_item_number(number) && !after.starts_with([' ', '\t']))
        {
            out.push_str(number);
            out.push('\n');
            text = after;
        }
    }
    let words = break_points(text);
    let word = |i: usize| words.get(i).map(|range| &text[range.clone()]);
    // Where a heading or closing line would begin: `Month D, YYYY`, however spelt, or
    // `Notes for`. The grammar reads such a line as one (or as a misspelt one) wherever it
    // stands, so no line may start there.
    let opens_line_construct = |i: usize| {
        let (Some(first), Some(second)) = (word(i), word(i + 1)) else {
            return false;
        };
        // Cheapest and rarest test first: this runs for every word of the edition.
        // (No non-ASCII letter lower-cases to one of `notes`, so ASCII case folding is the
        // grammar's.)
        if is_day_number(second) {
            is_name_word(first) && word(i + 2).is_some_and(starts_with_digit)
        } else {
            second.eq_ignore_ascii_case("for")
                && (first.eq_ignore_ascii_case("notes") || first.eq_ignore_ascii_case("note"))
        }
    };
    // The pieces no line may break inside, built from the last word back: a word that may
    // not start a line joins the piece before it. Every piece ends where its last word
    // does, so only the starts are kept.
    let mut starts: Vec<usize> = Vec::with_capacity(words.len());
    let mut next_may_start = true;
    for i in (1..words.len()).rev() {
        let word = &text[words[i].clone()];
        let may_start = !(starts_with_digit(word)
            && (is_media_date(word)
                || is_item_number_then_blank(word)
                || (is_item_number(word) && !next_may_start))
            || opens_line_construct(i));
        if may_start {
            starts.push(words[i].start);
        }
        next_may_start = may_start;
    }
    starts.extend(words.first().map(|range| range.start));
    starts.reverse();
    let starts_a_block = first.is_empty();
    let heading_like = starts_a_block && opens_line_construct(0);
    out.push_str(first);
    let mut column = columns(first);
    let rest_columns = columns(rest);
    let mut force_break = false;
    let ends = starts
        .iter()
        .skip(1)
        .map(|&next| next - 1)
        .chain(words.last().map(|range| range.end));
    for (index, (&start, end)) in starts.iter().zip(ends).enumerate() {
        let piece = &text[start..end];
        let len = columns(piece);
        let at_line_start = if index > 0 && (force_break || column + 1 + len > width) {
            out.push('\n');
            out.push_str(rest);
            column = rest_columns;
            true
        } else if index > 0 {
            out.push(' ');
            column += 1;
            false
        } else {
            starts_a_block
        };
        out.push_str(piece);
        column += len;
        force_break = (at_line_start && is_item_number(piece)) || (index == 0 && heading_like);
    }
}

/// The columns `text` takes: its characters.
fn columns(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// A word that would make its line a media code if it started one: eight digits, alone or
/// before a space (a word holds one only where no line may break, `19500122  1.`).
fn is_media_date(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 8
        && bytes[..8].iter().all(u8::is_ascii_digit)
        && bytes.get(8).is_none_or(|&b| b == b' ')
}

/// `12.`: a line starting with it and going on is a list item.
fn is_item_number(word: &str) -> bool {
    word.strip_suffix('.')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `12.\tword`, `12.  word`: a list item however the line is broken (a word holds white
/// space only where no line may break).
fn is_item_number_then_blank(word: &str) -> bool {
    word.split_once([' ', '\t'])
        .is_some_and(|(number, _)| is_item_number(number))
}

/// `Febuary`, `Feb.`: a word that may be a month name, however spelt.
fn is_name_word(word: &str) -> bool {
    let letters = word.strip_suffix('.').unwrap_or(word);
    !letters.is_empty() && letters.chars().all(char::is_alphabetic)
}

/// `5`, `22,`: a day of the month as a heading writes it, however punctuated.
fn is_day_number(word: &str) -> bool {
    let digits = word.strip_suffix(',').unwrap_or(word);
    (1..=2).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `1950`, `19`, `1950)`: a word that may be a heading's year (a short one is reported).
fn starts_with_digit(word: &str) -> bool {
    word.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// The words of `text`: split at the single spaces where a line may break, never next to
/// other white space (the grammar joins lines with one space and trims them) and never
/// inside a short bracketed group such as `[see the 19th]`, which readers take in as one
/// word.
fn break_points(text: &str) -> Vec<std::ops::Range<usize>> {
    const BRACKET_SPAN: usize = 32;
    let blank = |b: u8| b == b' ' || b == b'\t';
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut bracket_end = 0;
    // About one word in six bytes of prose, sized once rather than grown.
    let mut words = Vec::with_capacity(text.len() / 6 + 1);
    for i in memchr::memchr2_iter(b' ', b'[', bytes) {
        let b = bytes[i];
        if b == b'[' {
            let window = &bytes[i..bytes.len().min(i + BRACKET_SPAN)];
            if let Some(close) = window.iter().position(|&c| c == b']') {
                bracket_end = i + close;
            }
        }
        let breakable = b == b' '
            && i > bracket_end
            && i > start
            && !blank(bytes[i - 1])
            && bytes.get(i + 1).is_some_and(|&next| !blank(next));
        if breakable {
            words.push(start..i);
            start = i + 1;
        }
    }
    if start < text.len() {
        words.push(start..text.len());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(text: &str) -> String {
        let mut out = String::new();
        wrap(text, WIDTH, "", "", &mut out);
        out
    }

    #[test]
    fn wraps_at_72_columns() {
        let text = "word ".repeat(30);
        let out = wrapped(text.trim_end());
        assert!(out.lines().all(|l| l.chars().count() <= WIDTH));
        assert_eq!(out.replace('\n', " "), text.trim_end());
    }

    #[test]
    fn never_breaks_inside_a_double_space_or_next_to_a_tab() {
        let text = format!("{} and  two spaces, a\ttab", "x".repeat(66));
        let out = wrapped(&text);
        assert!(
            out.lines()
                .all(|l| !l.starts_with([' ', '\t']) && !l.ends_with([' ', '\t']))
        );
        assert_eq!(out.replace('\n', " "), text);
    }

    #[test]
    fn a_line_never_starts_with_a_media_date() {
        let text = format!("{} 19500122 was a Sunday", "x".repeat(66));
        assert_eq!(
            wrapped(&text),
            format!("{} 19500122\nwas a Sunday", "x".repeat(66))
        );
        let text = format!("{} 19500122  1. then", "x".repeat(66));
        assert_eq!(
            wrapped(&text),
            format!("{} 19500122  1.\nthen", "x".repeat(66))
        );
    }

    #[test]
    fn a_line_starting_with_a_number_and_a_full_stop_ends_after_it() {
        let text = format!("{} 12. not an item", "x".repeat(69));
        assert_eq!(
            wrapped(&text),
            format!("{}\n12.\nnot an item", "x".repeat(69))
        );
        assert_eq!(wrapped("1. then prose"), "1.\nthen prose");
    }

    #[test]
    fn prose_beginning_like_a_heading_or_closing_line_breaks_after_its_first_word() {
        assert_eq!(
            wrapped("January 5, 1950 was a Thursday."),
            "January\n5, 1950 was a Thursday."
        );
        assert_eq!(
            wrapped("Notes for Sunday were lost."),
            "Notes\nfor Sunday were lost."
        );
        assert_eq!(wrapped("January was cold."), "January was cold.");
    }

    #[test]
    fn what_follows_a_paragraphs_leading_number_begins_its_line_as_a_paragraph_does() {
        assert_eq!(wrapped("1. February 30, 1950"), "1.\nFebruary\n30, 1950");
        assert_eq!(
            wrapped("1. 2. Notes for Sunday"),
            "1.\n2.\nNotes\nfor Sunday"
        );
    }

    #[test]
    fn a_number_and_a_full_stop_before_two_spaces_never_starts_a_line() {
        let text = format!("{} 12.  not an item", "x".repeat(66));
        assert_eq!(
            wrapped(&text),
            format!("{} 12.  not\nan item", "x".repeat(66))
        );
    }

    #[test]
    fn never_breaks_inside_a_cross_reference() {
        let text = format!("{} Army. [see the 19th] and more", "x".repeat(60));
        assert_eq!(
            wrapped(&text),
            format!("{} Army.\n[see the 19th] and more", "x".repeat(60))
        );
    }

    #[test]
    fn a_word_longer_than_the_line_stands_alone() {
        let long = "y".repeat(100);
        assert_eq!(wrapped(&format!("a {long} b")), format!("a\n{long}\nb"));
    }
}
