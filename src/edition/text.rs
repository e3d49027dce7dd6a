//! The canonical plain-text edition: day notes in their normal form, valid input again.
//!
//! Paragraphs are wrapped at [`WIDTH`] columns (or the configured width), blocks are separated by one blank line and
//! sections by three. Parsing the output gives the same AST as the source (positions
//! aside), and writing that AST again gives the same bytes.

use std::fmt::Write as _;

use crate::ast::{
    Block, Correspondence, Day, Inline, List, MediaList, NoteRef, Paragraph, ParagraphPart,
    long_date, weekday_name,
};

/// The column paragraphs are wrapped at unless the configuration says otherwise.
pub const WIDTH: usize = 72;

/// The narrowest wrap width allowed: list items need room after their numbers.
pub const MIN_WIDTH: usize = 20;

const BLOCK_BREAK: &str = "\n\n";
const SECTION_BREAK: &str = "\n\n\n\n";

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
            out.push_str("\n\n\n");
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
            Inline::Citation(citation) => {
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
            Inline::CrossRef(cross_ref) => {
                let _ = write!(out, "[{}]", cross_ref.words());
            }
            Inline::Quote { content, .. } => {
                out.push('"');
                write_inlines(content, out);
                out.push('"');
            }
        }
    }
}

/// Writes `text` greedily wrapped at `width` columns, the first line after `first`, the
/// others after `rest`.
///
/// A line only breaks at a single space between two non-space characters, because the
/// grammar joins lines with one space and drops indentation; and never before a word that
/// starts with a digit, because a line starting `12. ` or `19500122 ` would be read back
/// as a list item or a media code.
fn wrap(text: &str, width: usize, first: &str, rest: &str, out: &mut String) {
    out.push_str(first);
    let mut column = first.chars().count();
    let mut line_has_word = false;
    for word in break_points(text) {
        let len = word.chars().count();
        if line_has_word && column + 1 + len > width {
            out.push('\n');
            out.push_str(rest);
            column = rest.chars().count();
        } else if line_has_word {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += len;
        line_has_word = true;
    }
}

/// Splits `text` at the spaces where a line may break: never inside a short bracketed
/// group such as `[see the 19th]`, which readers take in as one word.
fn break_points(text: &str) -> impl Iterator<Item = &str> {
    const BRACKET_SPAN: usize = 32;
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut bracket_end = 0;
    let mut pieces = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'[' {
            let window = &bytes[i..bytes.len().min(i + BRACKET_SPAN)];
            if let Some(close) = window.iter().position(|&c| c == b']') {
                bracket_end = i + close;
            }
        }
        let breakable = b == b' '
            && i > bracket_end
            && i > start
            && bytes[i - 1] != b' '
            && bytes
                .get(i + 1)
                .is_some_and(|&next| next != b' ' && !next.is_ascii_digit());
        if breakable {
            pieces.push(&text[start..i]);
            start = i + 1;
        }
    }
    pieces.push(&text[start..]);
    pieces.into_iter().filter(|piece| !piece.is_empty())
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
    fn never_breaks_before_a_digit_or_inside_a_double_space() {
        let text = format!("{} 12. not an item and  two spaces", "x".repeat(66));
        let out = wrapped(&text);
        assert!(
            out.lines()
                .all(|l| !l.starts_with(|c: char| c.is_ascii_digit() || c == ' '))
        );
        assert_eq!(out.replace('\n', " "), text);
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
