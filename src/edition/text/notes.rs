//! The canonical form of a notes source: one note per line, `[56] text`, in the order
//! written, valid notes-source input again.
//!
//! Notes are not wrapped: a wrapped line could begin with `[` and a digit and be read as the
//! start of another note, and one line per note keeps a diff of the notes one line per
//! changed note.

use crate::ast::{Note, NoteInline, NoteList};

/// Writes every note of `notes`, one per line, each ending with a newline.
pub fn write_notes(notes: &NoteList, out: &mut String) {
    for note in &notes.notes {
        write_note(note, out);
    }
}

fn write_note(note: &Note, out: &mut String) {
    out.push('[');
    out.push_str(&note.number.to_string());
    out.push_str("] ");
    write_inlines(&note.content, out);
    out.push('\n');
}

fn write_inlines(inlines: &[NoteInline], out: &mut String) {
    for inline in inlines {
        match inline {
            NoteInline::Text { text, .. } | NoteInline::Url { url: text, .. } => {
                out.push_str(text);
            }
            NoteInline::Emphasis { text, .. } => {
                out.push('*');
                out.push_str(text);
                out.push('*');
            }
            NoteInline::Quote { content, marks, .. } => {
                let (open, close) = marks.pair();
                out.push(open);
                write_inlines(content, out);
                out.push(close);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{Position, QuoteMarks};

    #[test]
    fn each_note_is_one_line_with_its_marks_written_back() {
        let pos = Position::default();
        let notes = NoteList {
            notes: vec![Note {
                number: 56,
                pos,
                content: vec![
                    NoteInline::Emphasis {
                        text: "Eight Years".to_owned(),
                        pos,
                    },
                    NoteInline::Text {
                        text: ", ".to_owned(),
                        pos,
                    },
                    NoteInline::Quote {
                        content: vec![NoteInline::Url {
                            url: "https://example.org/".to_owned(),
                            pos,
                        }],
                        marks: QuoteMarks::Guillemets,
                        pos,
                    },
                ],
            }],
        };
        let mut out = String::new();
        write_notes(&notes, &mut out);
        assert_eq!(
            out,
            "[56] *Eight Years*, \u{AB}https://example.org/\u{BB}\n"
        );
    }
}
