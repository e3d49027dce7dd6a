//! The index pass: every note read and parsed in parallel, keeping only what the whole
//! collection needs (which days exist and where, their cross-references, a digest of each),
//! then joined into one [`Collection`] that withholds days held twice.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::discover::not_a_file;
use super::manifest::digest_hex;
use super::output_dir::Stamp;
use super::register::Names;
use super::{DEFAULT_MAX_FILE_SIZE, FileReport, Progress, WithheldDay, notes};
use crate::ast::{Day, EntityKind, NoteRef, Position};
use crate::diagnostic::{Code, Diagnostic};
use crate::edition;
use crate::syntax::{self, Parsed};
use crate::text::shown_path;

/// How notes are read.
#[derive(Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Notes larger than this many bytes are refused (DB0019) instead of being read.
    pub max_file_size: u64,
    /// What the configuration changes in the grammar.
    pub syntax: syntax::Options,
    /// The register whose names are marked in the days read; the pipeline sets it from
    /// the collection's register files.
    pub names: Option<Arc<Names>>,
    /// Whether a correspondent the register does not hold is warned about (DB0085).
    pub warn_unregistered_correspondents: bool,
}

impl fmt::Debug for ReadOptions {
    // What notes were read with, as the manifest records it: the register's part is left
    // out when there is no register, so that a collection without one keeps its records.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut options = f.debug_struct("ReadOptions");
        options
            .field("max_file_size", &self.max_file_size)
            .field("syntax", &self.syntax);
        if let Some(names) = &self.names {
            options.field("names", names);
        }
        options.finish()
    }
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            syntax: syntax::Options::default(),
            names: None,
            warn_unregistered_correspondents: false,
        }
    }
}

/// Reads and parses again a note the index pass read (so a regular file), its mentions
/// marked; one that cannot be read now parses as its diagnostic.
pub(super) fn read_and_parse(path: &Path, read: &ReadOptions) -> Parsed {
    match read_regular_note(path, read.max_file_size) {
        Ok(bytes) => {
            let mut parsed = syntax::parse_with(&bytes, &read.syntax);
            if let Some(names) = &read.names {
                for day in &mut parsed.days {
                    names.mark(day, None);
                }
            }
            parsed
        }
        Err(diagnostic) => Parsed {
            diagnostics: vec![diagnostic],
            ..Parsed::default()
        },
    }
}

fn unreadable(error: std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::Unreadable,
        1,
        1,
        format!("cannot read the file: {error}"),
    )
    .expected("a readable file")
}

/// The bytes of a note, refusing files over `limit` bytes without reading them whole, and
/// anything but a regular file (a FIFO would block, a device may never end) unopened.
pub fn read_note(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let kind = fs::metadata(path).map_err(unreadable)?.file_type();
    if !kind.is_file() {
        return Err(not_a_file(&kind));
    }
    read_regular_note(path, limit)
}

/// The bytes of a note found to be a regular file a moment ago (its stamp was taken), as
/// [`read_note`] reads them, without looking at its type again before opening it: what is
/// opened is still checked, and a file is stat'ed twice in a build instead of four times.
pub(super) fn read_regular_note(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let too_large = |size: String| {
        Diagnostic::new(
            Code::FileTooLarge,
            1,
            1,
            format!("the file {size}, more than the limit of {limit}; not read"),
        )
        .expected(format!(
            "a note of at most {limit} bytes (split it, or raise --max-file-size)"
        ))
    };
    // Non-blocking, so that a FIFO put in the file's place since its type was looked at
    // cannot stall the build; the type is checked again on what was opened.
    let mut file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        return Err(not_a_file(&meta.file_type()));
    }
    if meta.len() > limit {
        return Err(too_large(format!("has {} bytes", meta.len())));
    }
    // Sized to the file (one read, and one more to find its end), since a `Take` tells
    // `read_to_end` nothing and it would start from 32 bytes and double: nine reads a note.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or_default());
    // The file may grow between the size check and the read; never read past the limit.
    Read::by_ref(&mut file)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(too_large("grew while it was read".to_owned()));
    }
    Ok(bytes)
}

/// What the index pass keeps of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct DayEntry {
    pub(super) date: NaiveDate,
    pub(super) heading: Position,
    /// Digest of the day: its source file's bytes and its date.
    #[serde(with = "digest_hex")]
    pub(super) digest: [u8; 32],
    /// Every cross-reference: its target, position and words.
    pub(super) cross_refs: Vec<(NaiveDate, Position, String)>,
    /// Every note or range cited, with the position of its citation: a citation naming
    /// several is as many entries at one position, so that a day's citations are one
    /// vector, not one more for each citation (a century holds some three hundred
    /// thousand). Missing in the records of manifests written before citations were
    /// indexed, which [`INDEX_FORMAT`] keeps from being reused.
    #[serde(default)]
    pub(super) citations: Vec<(Position, NoteRef)>,
    /// Every registered entry the day mentions, when the collection has a register.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) entities: Vec<(EntityKind, String)>,
}

/// What the index pass keeps of one file.
pub(super) struct FileEntry {
    pub(super) path: PathBuf,
    /// Relative to the input folder, `/`-separated.
    /// Shared with the sources of the outputs the note's days go into.
    pub(super) relative: Arc<str>,
    /// What the note alone tells, shared with the note's record in the manifest (a copy
    /// would hold every day's citations and cross-references twice).
    pub(super) note: Arc<NoteIndex>,
    /// The collection's own findings in the file, beside the note's: days held twice,
    /// cross-references to days it lacks, citations of notes it lacks.
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The days withheld for being held twice.
    pub(super) withheld: Vec<WithheldDay>,
    /// The days as the index pass parsed them, kept for rendering while the notes parsed in
    /// the files before it are within [`PARSED_BUDGET`]; `None` for a note not parsed (its
    /// record was reused) or beyond the budget, which the render stage parses again.
    pub(super) parsed: Option<Vec<Day>>,
}

impl FileEntry {
    /// The file as shown in diagnostics: made when one is, a century's being some
    /// megabytes held through the build for the few files that have any.
    pub(super) fn shown(&self) -> String {
        shown_path(&self.path)
    }

    /// The days the note holds.
    pub(super) fn days(&self) -> &[DayEntry] {
        &self.note.days
    }

    /// Every diagnostic of the file, the note's and the collection's, in line order.
    fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = self.note.diagnostics.clone();
        all.extend(self.diagnostics.iter().cloned());
        all.sort_by_key(|d| (d.line, d.column));
        all
    }
}

/// A note's days as parsed, with the note's size in bytes.
type ParsedNote = (u64, Vec<Day>);

/// How many bytes of notes the index pass keeps parsed for the render stage: a small
/// collection is parsed once, and a large one holds no more than this (a few years of
/// notes, some tens of megabytes of syntax tree) before the render stage goes a year at a
/// time.
const PARSED_BUDGET: u64 = 4 << 20;

/// The name the editions carry (`<idno type="file">`, the colophon): cleaned of the
/// characters XML cannot carry, as every string bound for the editions is.
fn relative_name(path: &Path, base: Option<&Path>) -> String {
    let name = base
        .and_then(|b| path.strip_prefix(b).ok())
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    crate::text::clean(&name).into_owned()
}

/// Indexes every note in parallel. A note whose stamp (size, modification time, inode) is
/// the one `previous` recorded is not read at all; one whose stamp changed but whose bytes
/// have the recorded digest is not parsed again: the way cargo and git decide freshness.
/// Each file comes with the stamp taken of it for the build's fingerprint, if one was.
/// Returns the files and, for each one read without error, the record the next build can
/// reuse; a stamp modified at or after `trusted_before` (seconds since 1970) is recorded
/// as none, so that the next build compares that note's digest instead (see
/// [`super::fingerprint`]).
pub(super) fn index(
    files: Vec<(PathBuf, Option<Stamp>)>,
    base: Option<&Path>,
    read: &ReadOptions,
    previous: &BTreeMap<&str, &NoteRecord>,
    trusted_before: i64,
    progress: &dyn Progress,
) -> (Vec<FileEntry>, Vec<NoteRecord>) {
    progress.start("reading notes", files.len());
    let kept = AtomicU64::new(0);
    let mut indexed: Vec<(FileEntry, Option<NoteRecord>, u64)> = files
        .into_par_iter()
        .map(|(path, stamp)| {
            let cached = path.to_str().and_then(|key| previous.get(key).copied());
            let (note, record, parsed) = index_note(&path, stamp, read, cached, trusted_before);
            let parsed_size = parsed.as_ref().map_or(0, |(size, _)| *size);
            let parsed = parsed.and_then(|(size, days)| {
                let before = kept.fetch_add(size, Ordering::Relaxed);
                (before + size <= PARSED_BUDGET).then_some(days)
            });
            progress.step();
            let entry = FileEntry {
                relative: relative_name(&path, base).into(),
                path,
                note,
                diagnostics: Vec::new(),
                withheld: Vec::new(),
                parsed,
            };
            (entry, record, parsed_size)
        })
        .collect();
    // The workers each start on their own part of the files, so the notes they keep lie
    // far apart; one kept from the middle of a century would be held through the rendering
    // of every year before it. Only the first files (in path order, for most collections
    // date order) keep theirs.
    let first = parsed_kept(indexed.iter().map(|(_, _, size)| *size), PARSED_BUDGET);
    for (entry, _, _) in &mut indexed[first..] {
        entry.parsed = None;
    }
    let (entries, records): (Vec<_>, Vec<_>) = indexed
        .into_iter()
        .map(|(entry, record, _)| (entry, record))
        .unzip();
    // Sized once: grown by doubling, a century's records would hold room for as many again.
    let mut kept = Vec::with_capacity(records.iter().flatten().count());
    kept.extend(records.into_iter().flatten());
    (entries, kept)
}

/// How many of the first files may keep their notes parsed: those before the notes parsed
/// (of `sizes`, in file order; 0 for a note not parsed) exceed `budget`.
fn parsed_kept(sizes: impl Iterator<Item = u64>, budget: u64) -> usize {
    let mut total = 0;
    sizes
        .take_while(|size| {
            total += size;
            total <= budget
        })
        .count()
}

/// The shape of [`NoteIndex`]: part of what the manifest records notes were read with, so
/// that a build never reuses a record that lacks what it now learns from a note (raised
/// when citations were added to [`DayEntry`], and again when they were flattened).
pub(super) const INDEX_FORMAT: u32 = 3;

/// What the index pass learns from one note's bytes alone, before the collection is
/// assembled; recorded in the manifest so that an unchanged note is not read again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteIndex {
    /// SHA-256 of the note's bytes.
    #[serde(with = "digest_hex")]
    digest: [u8; 32],
    days: Vec<DayEntry>,
    diagnostics: Vec<Diagnostic>,
    withheld: Vec<WithheldDay>,
}

/// A note as the last build indexed it: its path as found, its stamp and its index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteRecord {
    path: String,
    stamp: Stamp,
    #[serde(with = "shared")]
    index: Arc<NoteIndex>,
}

/// A record's index, shared with the note's [`FileEntry`], as the index itself.
mod shared {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::NoteIndex;

    pub(super) fn serialize<S: Serializer>(
        index: &Arc<NoteIndex>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        index.as_ref().serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<NoteIndex>, D::Error> {
        NoteIndex::deserialize(d).map(Arc::new)
    }
}

impl NoteRecord {
    /// The path the note was found at, the key of the record.
    pub(super) fn path(&self) -> &str {
        &self.path
    }
}

/// Indexes the note at `path`, whose `stamp` was taken when it was found (none when it was
/// not a regular file, or not looked at: then it is recorded for no next build).
fn index_note(
    path: &Path,
    stamp: Option<Stamp>,
    read: &ReadOptions,
    cached: Option<&NoteRecord>,
    trusted_before: i64,
) -> (Arc<NoteIndex>, Option<NoteRecord>, Option<ParsedNote>) {
    let record = |index: &Arc<NoteIndex>, stamp: Option<Stamp>| {
        let stamp = stamp?;
        Some(NoteRecord {
            path: path.to_str()?.to_owned(),
            // No file has this stamp, so the next build digests the note.
            stamp: if stamp.modified < trusted_before {
                stamp
            } else {
                Stamp::default()
            },
            index: Arc::clone(index),
        })
    };
    if let Some(cached) = cached.filter(|c| Some(c.stamp) == stamp) {
        return (cached.index.clone(), Some(cached.clone()), None);
    }
    let bytes = match stamp.map_or_else(
        || read_note(path, read.max_file_size),
        |_| read_regular_note(path, read.max_file_size),
    ) {
        Ok(bytes) => bytes,
        Err(diagnostic) => {
            let index = NoteIndex {
                digest: [0; 32],
                days: Vec::new(),
                diagnostics: vec![diagnostic],
                withheld: Vec::new(),
            };
            return (Arc::new(index), None, None);
        }
    };
    let digest: [u8; 32] = Sha256::digest(&bytes).into();
    if let Some(cached) = cached.filter(|c| c.index.digest == digest) {
        return (cached.index.clone(), record(&cached.index, stamp), None);
    }
    let mut parsed = syntax::parse_with(&bytes, &read.syntax);
    if let Some(names) = &read.names {
        let source = String::from_utf8_lossy(&bytes);
        for day in &mut parsed.days {
            parsed.diagnostics.extend(names.mark(day, Some(&source)));
        }
        parsed.diagnostics.sort_by_key(|d| (d.line, d.column));
    }
    let index = Arc::new(NoteIndex {
        digest,
        withheld: parsed
            .withheld
            .iter()
            .map(|w| WithheldDay {
                file: path.display().to_string(),
                date: w.date,
                line: w.line,
                reason: match w.errors {
                    1 => format!("{} at line {}", w.cause.0, w.cause.1),
                    n => format!(
                        "{} at line {} and {} more errors",
                        w.cause.0,
                        w.cause.1,
                        n - 1
                    ),
                },
            })
            .collect(),
        days: parsed
            .days
            .iter()
            .map(|day| DayEntry {
                date: day.date(),
                heading: day.heading.pos,
                digest: Sha256::new()
                    .chain_update(digest)
                    .chain_update(day.date().to_string())
                    .finalize()
                    .into(),
                cross_refs: day
                    .cross_references()
                    .into_iter()
                    .map(|x| (x.target, x.pos, x.words()))
                    .collect(),
                citations: day
                    .citations()
                    .into_iter()
                    .flat_map(|c| c.notes.iter().map(|&note| (c.pos, note)))
                    .collect(),
                entities: day
                    .entities()
                    .into_iter()
                    .map(|(kind, id)| (kind, id.to_owned()))
                    .collect(),
            })
            .collect(),
        diagnostics: parsed.diagnostics,
    });
    let record = record(&index, stamp);
    (index, record, Some((bytes.len() as u64, parsed.days)))
}

/// The collection as the index pass sees it.
pub(super) struct Collection {
    pub(super) files: Vec<FileEntry>,
    /// Every day that will be built, and the index of the file holding it.
    pub(super) days: BTreeMap<NaiveDate, usize>,
    /// The diagnostics of the notes sources, in path order.
    pub(super) notes_reports: Vec<FileReport>,
}

impl Collection {
    /// Joins the files' days into one collection: days with errors are left out (the
    /// grammar withheld them), a day held by two sources is an error in both and built from
    /// neither, and cross-references to days the collection lacks are warnings.
    pub(super) fn assemble(mut files: Vec<FileEntry>) -> Self {
        let mut holders: BTreeMap<NaiveDate, Vec<(usize, Position)>> = BTreeMap::new();
        for (index, file) in files.iter().enumerate() {
            for day in file.days() {
                holders
                    .entry(day.date)
                    .or_default()
                    .push((index, day.heading));
            }
        }
        let mut days = BTreeMap::new();
        for (date, holders) in holders {
            if let [(index, _)] = holders.as_slice() {
                days.insert(date, *index);
                continue;
            }
            for &(index, pos) in &holders {
                let others: Vec<String> = holders
                    .iter()
                    .filter(|&&other| other != (index, pos))
                    .map(|&(i, p)| format!("{}:{}", files[i].shown(), p.line))
                    .collect();
                let shown = files[index].shown();
                files[index].withheld.push(WithheldDay {
                    file: shown,
                    date: Some(date),
                    line: pos.line,
                    reason: format!(
                        "{} at line {}: also held by {}",
                        Code::DuplicateDay,
                        pos.line,
                        others.join(", ")
                    ),
                });
                files[index].diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateDay,
                        pos.line,
                        pos.column,
                        format!(
                            "{date} is also held by {}; neither is built",
                            others.join(", ")
                        ),
                    )
                    .expected("each day in exactly one source"),
                );
            }
        }
        for &index in days.values().collect::<BTreeSet<_>>() {
            let file = &mut files[index];
            let unresolved: Vec<Diagnostic> = file
                .days()
                .iter()
                .filter(|day| days.get(&day.date) == Some(&index))
                .flat_map(|day| &day.cross_refs)
                .filter(|(target, _, _)| !days.contains_key(target))
                .map(|(target, pos, words)| {
                    Diagnostic::new(
                        Code::UnresolvedCrossRef,
                        pos.line,
                        pos.column,
                        format!("`[{words}]` points to {target}, which the collection does not hold; kept as text"),
                    )
                    .expected(format!("a note for {} in the collection", edition::long_date(*target)))
                })
                .collect();
            file.diagnostics.extend(unresolved);
        }
        for file in &mut files {
            file.diagnostics.sort_by_key(|d| (d.line, d.column));
        }
        Self {
            files,
            days,
            notes_reports: Vec::new(),
        }
    }

    /// Every withheld day, in file order and, within a file, in line order.
    pub(super) fn withheld(&self) -> Vec<WithheldDay> {
        let mut withheld: Vec<WithheldDay> = self
            .files
            .iter()
            .flat_map(|f| f.note.withheld.iter().chain(&f.withheld).cloned())
            .collect();
        withheld.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        withheld
    }

    pub(super) fn reports(&self) -> Vec<FileReport> {
        self.files
            .iter()
            .filter(|f| !f.note.diagnostics.is_empty() || !f.diagnostics.is_empty())
            .map(|f| FileReport {
                file: f.shown(),
                diagnostics: f.all_diagnostics(),
            })
            .chain(self.notes_reports.iter().cloned())
            .collect()
    }

    /// Calls `check` on every citation of every day to be built, with its position and
    /// the notes it names; what it returns is added to the diagnostics of the day's file.
    pub(super) fn visit_citations(
        &mut self,
        mut check: impl FnMut(Position, &[NoteRef]) -> Vec<Diagnostic>,
    ) {
        for &index in self.days.values().collect::<BTreeSet<_>>() {
            let file = &mut self.files[index];
            let mut found = Vec::new();
            for day in file
                .note
                .days
                .iter()
                .filter(|d| self.days.get(&d.date) == Some(&index))
            {
                for citation in day.citations.chunk_by(|a, b| a.0 == b.0) {
                    let notes: Vec<NoteRef> = citation.iter().map(|&(_, note)| note).collect();
                    found.extend(check(citation[0].0, &notes));
                }
            }
            if !found.is_empty() {
                file.diagnostics.extend(found);
                file.diagnostics.sort_by_key(|d| (d.line, d.column));
            }
        }
    }

    /// Reads the notes sources and resolves the days' citations against them.
    pub(super) fn resolve_notes(
        &mut self,
        sources: &[PathBuf],
        max_file_size: u64,
    ) -> notes::Resolved {
        let resolved = notes::resolve(self, notes::read_notes_sources(sources, max_file_size));
        self.notes_reports.clone_from(&resolved.reports);
        resolved
    }

    pub(super) fn entry(&self, date: NaiveDate) -> Option<(&FileEntry, &DayEntry)> {
        let file = &self.files[*self.days.get(&date)?];
        Some((file, file.days().iter().find(|d| d.date == date)?))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::NaiveDate;

    use super::{Collection, DayEntry, FileEntry, NoteIndex, parsed_kept};

    #[test]
    fn only_the_first_files_keep_their_notes_parsed() {
        // Not parsed (0) counts for nothing; the fourth note passes the budget.
        assert_eq!(parsed_kept([1, 0, 2, 3, 1].into_iter(), 3), 3);
        assert_eq!(parsed_kept([1, 2].into_iter(), 3), 2);
        assert_eq!(parsed_kept([4, 1].into_iter(), 3), 0);
    }
    use crate::ast::{NoteRef, Position};

    #[test]
    fn a_citation_of_several_notes_is_visited_once_with_all_of_them() {
        let at = |line| Position { line, column: 1 };
        let day = DayEntry {
            date: NaiveDate::from_ymd_opt(1950, 1, 1).unwrap(),
            heading: at(1),
            digest: [0; 32],
            cross_refs: Vec::new(),
            citations: vec![
                (at(2), NoteRef::Note(1)),
                (at(2), NoteRef::Range(4, 6)),
                (at(3), NoteRef::Note(1)),
            ],
            entities: Vec::new(),
        };
        let note = NoteIndex {
            digest: [0; 32],
            days: vec![day],
            diagnostics: Vec::new(),
            withheld: Vec::new(),
        };
        let mut collection = Collection::assemble(vec![FileEntry {
            path: "a.txt".into(),
            relative: "a.txt".into(),
            note: Arc::new(note),
            diagnostics: Vec::new(),
            withheld: Vec::new(),
            parsed: None,
        }]);
        let mut visited = Vec::new();
        collection.visit_citations(|pos, notes| {
            visited.push((pos.line, notes.to_vec()));
            Vec::new()
        });
        assert_eq!(
            visited,
            [
                (2, vec![NoteRef::Note(1), NoteRef::Range(4, 6)]),
                (3, vec![NoteRef::Note(1)])
            ]
        );
    }
}
