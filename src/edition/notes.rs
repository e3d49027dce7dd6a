//! What the writers share about notes: which of the collection's notes a run of days cites.

use std::collections::BTreeMap;

use super::Context;
use crate::ast::{Day, Note};

/// `note-56`: the identifier of a note, in TEI (`xml:id`) and in a book's notes (`id`) alike.
pub fn note_id(number: u32) -> String {
    format!("note-{number}")
}

/// The notes that `days` cite and the collection holds, each once, in number order.
pub fn cited_notes<'a, 'd>(
    ctx: &Context<'a>,
    days: impl IntoIterator<Item = &'d Day>,
) -> Vec<&'a Note> {
    let mut cited = BTreeMap::new();
    for day in days {
        for citation in day.citations() {
            for &note_ref in &citation.notes {
                cited.extend(ctx.notes_of(note_ref).map(|note| (note.number, note)));
            }
        }
    }
    cited.into_values().collect()
}
