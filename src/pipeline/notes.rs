//! Notes sources in the pipeline: finding the `*.notes` files, reading them in parallel, and
//! resolving the collection's citations against them (docs/format.md, "Notes sources").
//!
//! Numbers are scoped to the collection: every notes source below the input folder adds to
//! one number space, as the sample's running numbers (56-67 in January, 88-90 in February)
//! call for. A number given twice is used from neither place; what the days cite is checked
//! here, where the whole collection is known, as duplicate days and cross-references are.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::{Collection, FileReport, read_note};
use crate::ast::{Note, NoteRef, Position};
use crate::diagnostic::{Code, Diagnostic};
use crate::edition::Notes;
use crate::syntax::parse_notes;

/// The extension of a notes source. Not `.txt`: day notes are every `*.txt` file of the
/// input, in any layout, so a notes source must be told apart by its name, not its folder.
pub const NOTES_EXTENSION: &str = "notes";

/// One notes source as read.
pub(super) struct NotesFile {
    /// As shown in diagnostics.
    shown: String,
    notes: Vec<Note>,
    diagnostics: Vec<Diagnostic>,
}

/// Reads and parses the notes sources in parallel, in the order given.
pub(super) fn read_notes_sources(paths: &[PathBuf], max_file_size: u64) -> Vec<NotesFile> {
    paths
        .par_iter()
        .map(|path| {
            let shown = path.display().to_string();
            match read_note(path, max_file_size) {
                Ok(bytes) => {
                    let parsed = parse_notes(&bytes);
                    NotesFile {
                        shown,
                        notes: parsed.notes.notes,
                        diagnostics: parsed.diagnostics,
                    }
                }
                Err(diagnostic) => NotesFile {
                    shown,
                    notes: Vec::new(),
                    diagnostics: vec![diagnostic],
                },
            }
        })
        .collect()
}

/// The collection's notes once resolved: what the writers get and what keys the outputs.
#[derive(Default)]
pub(super) struct Resolved {
    /// The notes the editions can use: each number given once.
    pub notes: Notes,
    /// The digest of each usable note's content (positions aside): a day's key holds those
    /// of the notes it cites, so editing a note rebuilds exactly the days that cite it.
    digests: BTreeMap<u32, [u8; 32]>,
    /// The notes sources with diagnostics, in path order.
    pub reports: Vec<FileReport>,
}

impl Resolved {
    /// Feeds `hasher` what the output of a day citing `cited` depends on: for each cited
    /// number or range, the usable notes in it and their digests.
    pub fn key(&self, cited: &[NoteRef], hasher: &mut Sha256) {
        for note_ref in cited {
            let (low, high) = note_ref.bounds();
            for (number, digest) in self.digests.range(low..=high) {
                hasher.update(number.to_be_bytes());
                hasher.update(digest);
            }
        }
    }
}

/// Resolves the days' citations against `files`, reporting duplicate numbers (in the notes
/// sources), citations of missing notes (at the citation, in the day's file) and notes no
/// day cites. Without any notes source nothing is reported: the collection then has no
/// notes, as before notes sources existed.
pub(super) fn resolve(collection: &mut Collection, mut files: Vec<NotesFile>) -> Resolved {
    if files.is_empty() {
        return Resolved::default();
    }
    let mut given: BTreeMap<u32, Vec<(usize, Position)>> = BTreeMap::new();
    for (index, file) in files.iter().enumerate() {
        for note in &file.notes {
            given
                .entry(note.number)
                .or_default()
                .push((index, note.pos));
        }
    }
    for (number, places) in given.iter().filter(|(_, places)| places.len() > 1) {
        for &(index, pos) in places {
            let others: Vec<String> = places
                .iter()
                .filter(|&&other| other != (index, pos))
                .map(|&(i, p)| format!("{}:{}", files[i].shown, p.line))
                .collect();
            files[index].diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateNote,
                    pos.line,
                    pos.column,
                    format!(
                        "note {number} is also given at {}; neither is used",
                        others.join(", ")
                    ),
                )
                .expected("each note number given once in the collection's notes sources"),
            );
        }
    }

    let mut cited = BTreeSet::new();
    collection.visit_citations(|citation_pos, note_refs| {
        let mut found = Vec::new();
        for &note_ref in note_refs {
            let (low, high) = note_ref.bounds();
            let present: BTreeSet<u32> = given.range(low..=high).map(|(&n, _)| n).collect();
            cited.extend(present.iter().copied());
            found.extend(citation_finding(note_ref, &present, citation_pos));
        }
        found
    });

    let mut notes = Notes::new();
    let mut digests = BTreeMap::new();
    for file in &mut files {
        for note in std::mem::take(&mut file.notes) {
            if !cited.contains(&note.number) {
                file.diagnostics.push(
                    Diagnostic::new(
                        Code::UncitedNote,
                        note.pos.line,
                        note.pos.column,
                        format!("note {} is cited by no day of the collection", note.number),
                    )
                    .expected(format!(
                        "a citation `[{}]` in a day note, or no such note",
                        note.number
                    )),
                );
            }
            if given[&note.number].len() == 1 {
                let mut content = note.clone();
                content.erase_positions();
                let json = serde_json::to_vec(&content).unwrap_or_default();
                digests.insert(note.number, Sha256::digest(&json).into());
                notes.insert(note.number, note);
            }
        }
        file.diagnostics.sort_by_key(|d| (d.line, d.column));
    }
    Resolved {
        notes,
        digests,
        reports: files
            .into_iter()
            .filter(|f| !f.diagnostics.is_empty())
            .map(|f| FileReport {
                file: f.shown,
                diagnostics: f.diagnostics,
            })
            .collect(),
    }
}

/// The warning for a cited note or range at `pos` whose notes are missing from `present`
/// (the numbers of the range that some notes source gives), if any are.
fn citation_finding(
    note_ref: NoteRef,
    present: &BTreeSet<u32>,
    pos: Position,
) -> Option<Diagnostic> {
    let (low, high) = note_ref.bounds();
    let span = u64::from(high - low) + 1;
    if present.len() as u64 == span {
        return None;
    }
    let (code, message) = match note_ref {
        NoteRef::Note(n) => (
            Code::MissingNote,
            format!("note {n} is cited here, but no notes source gives it"),
        ),
        NoteRef::Range(from, to) if present.is_empty() => (
            Code::MissingNote,
            format!("notes {from}-{to} are cited here, but no notes source gives any of them"),
        ),
        NoteRef::Range(from, to) => {
            let missing: Vec<String> = (low..=high)
                .filter(|n| !present.contains(n))
                .take(5)
                .map(|n| n.to_string())
                .collect();
            let more = span - present.len() as u64 - missing.len() as u64;
            let tail = match more {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            (
                Code::PartlyMissingRange,
                format!(
                    "notes {from}-{to} are cited here, but no notes source gives {}{tail}",
                    missing.join(", ")
                ),
            )
        }
    };
    Some(
        Diagnostic::new(code, pos.line, pos.column, message)
            .expected("a note for every number cited, in a `*.notes` file of the collection"),
    )
}
