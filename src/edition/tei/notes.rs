//! The editor's notes in TEI: `<note xml:id="note-56" n="56" type="source">` in a
//! `<standOff>`, and the `@target` that points a citation's `<ref>` at them.
//!
//! Notes are apparatus about the text, not part of it, so they go in `<standOff>` rather than
//! `<back>`: after `<text>` in a per-day document, which so carries every note it cites and
//! stands alone; after the header in a `<teiCorpus>` (the only place TEI allows a
//! `<standOff>` there), each note once, which the members' citations point into as their
//! cross-references point to the members' `div`s (docs/tei-encoding.md).

use std::collections::BTreeSet;
use std::io::{self, Write};

use quick_xml::events::BytesStart;

use super::{TeiWriter, element};
use crate::ast::{Citation, Entry, Note, NoteInline};
use crate::edition::notes::note_id;

impl<W: Write> TeiWriter<'_, W> {
    /// A `<standOff>` holding the register `entries` and `notes`; nothing at all when there
    /// are none.
    pub(super) fn write_stand_off(
        &mut self,
        notes: &[&Note],
        entries: &[&Entry],
    ) -> io::Result<()> {
        if notes.is_empty() && entries.is_empty() {
            return Ok(());
        }
        self.open(BytesStart::new("standOff"))?;
        self.write_register_lists(entries)?;
        for note in notes {
            self.write_note(note)?;
        }
        self.close("standOff")
    }

    fn write_note(&mut self, note: &Note) -> io::Result<()> {
        let n = note.number.to_string();
        self.newline()?;
        self.start(element(
            "note",
            &[
                ("xml:id", &note_id(note.number)),
                ("n", &n),
                ("type", "source"),
            ],
        ))?;
        self.write_note_inlines(&note.content)?;
        self.end("note")
    }

    fn write_note_inlines(&mut self, inlines: &[NoteInline]) -> io::Result<()> {
        for inline in inlines {
            match inline {
                NoteInline::Text { text, .. } => self.text(text)?,
                // Italics as typed: the editor's asterisks say how the words look (mostly
                // titles), not why, which is what `hi` records.
                NoteInline::Emphasis { text, .. } => {
                    self.inline(element("hi", &[("rend", "italic")]), text)?;
                }
                NoteInline::Url { url, .. } => {
                    self.inline(element("ref", &[("target", url)]), url)?;
                }
                NoteInline::Quote { content, .. } => {
                    self.start(BytesStart::new("q"))?;
                    self.write_note_inlines(content)?;
                    self.end("q")?;
                }
            }
        }
        Ok(())
    }

    /// The `@target` of a citation's `<ref>`: every cited note the collection holds,
    /// `#note-56 #note-57`; `None` when it holds none of them.
    pub(super) fn citation_target(&self, citation: &Citation) -> Option<String> {
        let mut seen = BTreeSet::new();
        let targets: Vec<String> = citation
            .notes
            .iter()
            .flat_map(|&note_ref| self.ctx.notes_of(note_ref))
            .filter(|note| seen.insert(note.number))
            .map(|note| format!("#{}", note_id(note.number)))
            .collect();
        (!targets.is_empty()).then(|| targets.join(" "))
    }
}
