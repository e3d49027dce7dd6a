//! The collection pipeline: the only code that walks folders, uses threads and writes files.
//!
//! A build runs in two passes. The *index* pass parses every note in parallel and keeps only
//! what the whole collection needs to know: which days exist, where, what they link to and
//! a digest of each day's content. From that it derives a key for every output (the digest
//! of everything the output depends on) and compares it with the manifest of the previous
//! build. The *render* pass then goes one year at a time, parsing again only the files that
//! hold a year with something to rebuild, so that peak memory follows the largest year, not
//! the size of the collection. Every output is written to a temporary file and renamed into
//! place; outputs whose day vanished are removed.
//!
//! Every write and removal in the output folder goes through [`output_dir::OutputDir`],
//! which never follows a symbolic link there; see `docs/safety.md` for what a build
//! guarantees.

pub mod output_dir;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Cursor, Read, Write};
use std::os::unix::fs::{FileTypeExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod notes;

pub use notes::NOTES_EXTENSION;

use crate::ast::{NoteRef, Position};
use crate::config::{Config, Grouping};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::edition::{self, Context, EditionError, Format, SourcedDay};
use crate::syntax::{self, Parsed};
use crate::text::shown_path;
use output_dir::{OutputDir, OutputError, Removal, Stamp};

/// The manifest's file name inside the output folder.
pub const MANIFEST: &str = "manifest.json";

/// The default of [`BuildOptions::max_file_size`]: 16 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 << 20;

/// Why a build could not run or finish.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// A folder or file of the collection could not be listed or read.
    #[error("cannot read {}", shown_path(path))]
    Read {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An output could not be written.
    #[error("cannot write {}", shown_path(path))]
    Write {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        source: EditionError,
    },
    /// The input and output folders overlap, so a build would read its own outputs or
    /// overwrite its inputs.
    #[error(
        "the input folder {} and the output folder {} must not contain each other",
        shown_path(input),
        shown_path(output)
    )]
    Overlap {
        /// The input folder.
        input: PathBuf,
        /// The output folder.
        output: PathBuf,
    },
    /// The output folder holds a symbolic link, or cannot be opened or listed.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The worker threads could not be started.
    #[error("cannot start {jobs} worker threads: {message}")]
    Threads {
        /// How many were asked for.
        jobs: usize,
        /// Why they could not start.
        message: String,
    },
}

/// The diagnostics of one source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    /// The file as it is shown to the user.
    pub file: String,
    /// Its diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// What a check or a build found and did.
#[derive(Debug, Default)]
pub struct Report {
    /// One entry per source file with diagnostics, in file order.
    pub files: Vec<FileReport>,
    /// How many source files were read.
    pub sources: usize,
    /// How many days were converted (or, for a check, found valid).
    pub days: usize,
    /// The outputs written, relative to the output folder, in path order.
    pub written: Vec<PathBuf>,
    /// How many outputs were already up to date.
    pub unchanged: usize,
    /// The outputs removed because their days vanished, relative to the output folder.
    pub removed: Vec<PathBuf>,
    /// The days not built because of errors, in file and line order.
    pub withheld: Vec<WithheldDay>,
}

/// A day that a check or build leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithheldDay {
    /// The file as it is shown to the user.
    pub file: String,
    /// The day's date, when its heading names one.
    pub date: Option<NaiveDate>,
    /// The line of its heading.
    pub line: u32,
    /// The first error that withholds it: its code and line, and how many more there are.
    pub reason: String,
}

impl Report {
    /// How many diagnostics of `severity` the run produced.
    pub fn count(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity() == severity)
            .count()
    }
}

/// Told how far a build has come; the command line shows it as a progress bar.
pub trait Progress: Sync {
    /// A phase of `total` steps begins.
    fn start(&self, phase: &'static str, total: usize);
    /// One more step of the current phase is done.
    fn step(&self);
    /// The build is over.
    fn finish(&self);
}

/// A [`Progress`] that shows nothing.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: &'static str, _: usize) {}
    fn step(&self) {}
    fn finish(&self) {}
}

/// What `daybook build` does.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder of notes.
    pub input: PathBuf,
    /// The folder the editions are written to.
    pub output: PathBuf,
    /// The editions to write.
    pub formats: Vec<Format>,
    /// The project configuration (`daybook.toml`).
    pub config: Config,
    /// The build time written into the editions (`SOURCE_DATE_EPOCH`); `None` keeps
    /// outputs that can do without one free of it.
    pub build_time: Option<DateTime<Utc>>,
    /// Rebuild every output even when the manifest says it is up to date.
    pub force: bool,
    /// Notes larger than this many bytes are refused (DB0019) instead of being read.
    pub max_file_size: u64,
    /// Worker threads; `None` uses one per core.
    pub jobs: Option<usize>,
}

impl BuildOptions {
    /// Options for converting `input` into every edition under `output`.
    pub fn new(input: impl Into<PathBuf>, output: impl Into<PathBuf>) -> Self {
        Self {
            input: input.into(),
            output: output.into(),
            formats: Format::ALL.to_vec(),
            config: Config::default(),
            build_time: None,
            force: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            jobs: None,
        }
    }
}

/// The notes a check or build reads, and the inputs it skipped with a warning.
#[derive(Debug, Default)]
pub struct Sources {
    /// Every note file, sorted.
    pub files: Vec<PathBuf>,
    /// Every notes source (`*.notes`), sorted.
    pub notes_sources: Vec<PathBuf>,
    /// One report per skipped input (a broken link, a FIFO or device, a link leaving its
    /// folder, an unreadable sub-folder), each holding one warning.
    pub skipped: Vec<FileReport>,
}

/// Every note file below `paths` (see [`find_inputs`]), without the warnings for what was
/// skipped.
pub fn find_sources(paths: &[PathBuf]) -> Result<Vec<PathBuf>, PipelineError> {
    Ok(find_inputs(paths)?.files)
}

/// Every note file below `paths`: files named directly, and `*.txt` files found
/// recursively in folders, skipping hidden files and folders; and so the notes sources,
/// `*.notes`. Sorted, so that builds and
/// diagnostics come out in the same order on every machine. Only a path in `paths` that
/// cannot be read is an error; what cannot be read below it is skipped with a warning.
pub fn find_inputs(paths: &[PathBuf]) -> Result<Sources, PipelineError> {
    let mut sources = Sources::default();
    for path in paths {
        let read_error = |source| PipelineError::Read {
            path: path.clone(),
            source,
        };
        let meta = fs::metadata(path).map_err(read_error)?;
        if meta.is_dir() {
            let root = fs::canonicalize(path).map_err(read_error)?;
            let entries = fs::read_dir(path).map_err(read_error)?;
            walk(path, entries, &root, &mut sources);
        } else if meta.is_file() {
            sources.push(path.clone());
        } else {
            sources.skip(path, not_a_file(&meta.file_type()));
        }
    }
    sources.files.sort();
    sources.files.dedup();
    sources.notes_sources.sort();
    sources.notes_sources.dedup();
    sources.skipped.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(sources)
}

impl Sources {
    /// Adds a file to read: a notes source or a day note.
    fn push(&mut self, path: PathBuf) {
        if notes::is_notes_source(&path) {
            self.notes_sources.push(path);
        } else {
            self.files.push(path);
        }
    }

    fn skip(&mut self, path: &Path, diagnostic: Diagnostic) {
        self.skipped.push(FileReport {
            file: shown_path(path),
            diagnostics: vec![diagnostic],
        });
    }
}

/// Walks the folder `dir` below the input folder `root` (canonical), whose listing is
/// `entries`.
fn walk(dir: &Path, entries: fs::ReadDir, root: &Path, sources: &mut Sources) {
    let unreadable = |error: std::io::Error| {
        Diagnostic::new(
            Code::UnreadableFolder,
            1,
            1,
            format!("cannot read the folder: {error}; the notes in it are not built"),
        )
        .expected("a readable folder")
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => return sources.skip(dir, unreadable(error)),
        };
        let path = entry.path();
        if entry.file_name().as_encoded_bytes().starts_with(b".") {
            continue;
        }
        // file_type does not follow symbolic links, so a link cannot make the walk loop.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            match fs::read_dir(&path) {
                Ok(entries) => walk(&path, entries, root, sources),
                Err(error) => sources.skip(&path, unreadable(error)),
            }
            continue;
        }
        if path
            .extension()
            .is_none_or(|e| e != "txt" && e != notes::NOTES_EXTENSION)
        {
            continue;
        }
        if kind.is_file() {
            sources.push(path);
        } else if kind.is_symlink() {
            match linked_note(&path, root) {
                Ok(()) => sources.push(path),
                Err(diagnostic) => sources.skip(&path, diagnostic),
            }
        } else {
            sources.skip(&path, not_a_file(&kind));
        }
    }
}

/// Whether the link `path` leads to a regular file inside the input folder `root`.
fn linked_note(path: &Path, root: &Path) -> Result<(), Diagnostic> {
    let broken = |error: std::io::Error| {
        let what = match (error.kind(), error.raw_os_error()) {
            (_, Some(code)) if code == rustix::io::Errno::LOOP.raw_os_error() => {
                "a symbolic link loop".to_owned()
            }
            (std::io::ErrorKind::NotFound, _) => {
                "a symbolic link whose target does not exist".to_owned()
            }
            _ => format!("a symbolic link that cannot be followed ({error})"),
        };
        Diagnostic::new(Code::BrokenLink, 1, 1, format!("{what}; skipped"))
            .expected("a link to a note, or the note itself")
    };
    let meta = fs::metadata(path).map_err(broken)?;
    if !meta.is_file() {
        return Err(not_a_file(&meta.file_type()));
    }
    let target = fs::canonicalize(path).map_err(broken)?;
    if !target.starts_with(root) {
        return Err(Diagnostic::new(
            Code::LinkLeavesInput,
            1,
            1,
            format!(
                "a symbolic link to {}, outside the input folder; skipped, so that a build publishes only what the folder holds",
                shown_path(&target)
            ),
        )
        .expected("the note itself inside the input folder (copy it in)"));
    }
    Ok(())
}

/// The warning for an input that is not a regular file: reading a FIFO can block forever
/// and a device can be endless.
fn not_a_file(kind: &fs::FileType) -> Diagnostic {
    let what = if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    };
    Diagnostic::new(
        Code::NotAFile,
        1,
        1,
        format!("{what}, not a regular file; skipped unread"),
    )
    .expected("a regular file of day notes")
}

/// How notes are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Notes larger than this many bytes are refused (DB0019) instead of being read.
    pub max_file_size: u64,
    /// What the configuration changes in the grammar.
    pub syntax: syntax::Options,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            syntax: syntax::Options::default(),
        }
    }
}

/// Reads and parses one note; also returns the digest of its bytes, which keys every
/// output made from it (all zeros when it could not be read).
fn read_and_parse(path: &Path, read: &ReadOptions) -> (Parsed, [u8; 32]) {
    match read_note(path, read.max_file_size) {
        Ok(bytes) => (
            syntax::parse_with(&bytes, &read.syntax),
            Sha256::digest(&bytes).into(),
        ),
        Err(diagnostic) => (
            Parsed {
                diagnostics: vec![diagnostic],
                ..Parsed::default()
            },
            [0; 32],
        ),
    }
}

/// The bytes of a note, refusing files over `limit` bytes without reading them whole, and
/// anything but a regular file (a FIFO would block, a device may never end) unopened.
pub fn read_note(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let unreadable = |error: std::io::Error| {
        Diagnostic::new(
            Code::Unreadable,
            1,
            1,
            format!("cannot read the file: {error}"),
        )
        .expected("a readable file")
    };
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
    let kind = fs::metadata(path).map_err(unreadable)?.file_type();
    if !kind.is_file() {
        return Err(not_a_file(&kind));
    }
    // Non-blocking, so that a FIFO put in the file's place since the check above cannot
    // stall the build; the type is checked again on what was opened.
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
    let mut bytes = Vec::new();
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
struct DayEntry {
    date: NaiveDate,
    heading: Position,
    /// Digest of the day: its source file's bytes and its date.
    digest: [u8; 32],
    /// Every cross-reference: its target, position and words.
    cross_refs: Vec<(NaiveDate, Position, String)>,
    /// Every citation: its position and the notes it names.
    citations: Vec<(Position, Vec<NoteRef>)>,
}

/// What the index pass keeps of one file.
struct FileEntry {
    path: PathBuf,
    /// As shown in diagnostics.
    shown: String,
    /// Relative to the input folder, `/`-separated.
    relative: String,
    diagnostics: Vec<Diagnostic>,
    days: Vec<DayEntry>,
    /// The days withheld for the errors inside them, or for being held twice.
    withheld: Vec<WithheldDay>,
}

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

fn index(
    files: &[PathBuf],
    base: Option<&Path>,
    read: &ReadOptions,
    progress: &dyn Progress,
) -> Vec<FileEntry> {
    progress.start("reading notes", files.len());
    files
        .par_iter()
        .map(|path| {
            let (parsed, file_digest) = read_and_parse(path, read);
            progress.step();
            FileEntry {
                path: path.clone(),
                shown: shown_path(path),
                relative: relative_name(path, base),
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
                            .chain_update(file_digest)
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
                            .map(|c| (c.pos, c.notes.clone()))
                            .collect(),
                    })
                    .collect(),
                diagnostics: parsed.diagnostics,
            }
        })
        .collect()
}

/// The collection as the index pass sees it.
struct Collection {
    files: Vec<FileEntry>,
    /// Every day that will be built, and the index of the file holding it.
    days: BTreeMap<NaiveDate, usize>,
    /// The diagnostics of the notes sources, in path order.
    notes_reports: Vec<FileReport>,
}

impl Collection {
    /// Joins the files' days into one collection: days with errors are left out (the
    /// grammar withheld them), a day held by two sources is an error in both and built from
    /// neither, and cross-references to days the collection lacks are warnings.
    fn assemble(mut files: Vec<FileEntry>) -> Self {
        let mut holders: BTreeMap<NaiveDate, Vec<(usize, Position)>> = BTreeMap::new();
        for (index, file) in files.iter().enumerate() {
            for day in &file.days {
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
                    .map(|&(i, p)| format!("{}:{}", files[i].shown, p.line))
                    .collect();
                let shown = files[index].shown.clone();
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
                .days
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
    fn withheld(&self) -> Vec<WithheldDay> {
        let mut withheld: Vec<WithheldDay> =
            self.files.iter().flat_map(|f| f.withheld.clone()).collect();
        withheld.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        withheld
    }

    fn reports(&self) -> Vec<FileReport> {
        self.files
            .iter()
            .filter(|f| !f.diagnostics.is_empty())
            .map(|f| FileReport {
                file: f.shown.clone(),
                diagnostics: f.diagnostics.clone(),
            })
            .chain(self.notes_reports.iter().cloned())
            .collect()
    }

    /// Calls `check` on every citation of every day to be built, with its position and
    /// the notes it names; what it returns is added to the diagnostics of the day's file.
    fn visit_citations(&mut self, mut check: impl FnMut(Position, &[NoteRef]) -> Vec<Diagnostic>) {
        for &index in self.days.values().collect::<BTreeSet<_>>() {
            let file = &mut self.files[index];
            let mut found = Vec::new();
            for day in file
                .days
                .iter()
                .filter(|d| self.days.get(&d.date) == Some(&index))
            {
                for (pos, notes) in &day.citations {
                    found.extend(check(*pos, notes));
                }
            }
            if !found.is_empty() {
                file.diagnostics.extend(found);
                file.diagnostics.sort_by_key(|d| (d.line, d.column));
            }
        }
    }

    /// Reads the notes sources and resolves the days' citations against them.
    fn resolve_notes(&mut self, sources: &[PathBuf], max_file_size: u64) -> notes::Resolved {
        let resolved = notes::resolve(self, notes::read_notes_sources(sources, max_file_size));
        self.notes_reports.clone_from(&resolved.reports);
        resolved
    }

    fn entry(&self, date: NaiveDate) -> Option<(&FileEntry, &DayEntry)> {
        let file = &self.files[*self.days.get(&date)?];
        Some((file, file.days.iter().find(|d| d.date == date)?))
    }
}

/// Parses the notes below `paths` and reports what is wrong, writing nothing.
pub fn check(paths: &[PathBuf], read: &ReadOptions) -> Result<Report, PipelineError> {
    let sources = find_inputs(paths)?;
    let mut collection = Collection::assemble(index(&sources.files, None, read, &Silent));
    collection.resolve_notes(&sources.notes_sources, read.max_file_size);
    Ok(Report {
        files: merge_reports(collection.reports(), sources.skipped),
        sources: sources.files.len(),
        days: collection.days.len(),
        withheld: collection.withheld(),
        ..Report::default()
    })
}

/// The reports of the notes and of the inputs skipped beside them, in file order.
fn merge_reports(mut reports: Vec<FileReport>, more: Vec<FileReport>) -> Vec<FileReport> {
    if !more.is_empty() {
        reports.extend(more);
        reports.sort_by(|a, b| a.file.cmp(&b.file));
    }
    reports
}

/// One output of a build, as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestOutput {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    /// SHA-256 of the file's bytes, in hex.
    pub sha256: String,
    /// Digest of everything the output depends on; equal keys mean equal outputs.
    pub key: String,
    /// The source files and the lines of the day headings it came from.
    pub sources: Vec<ManifestSource>,
    /// The file's size, time and inode when it was written: a file whose stamp differs on
    /// the next build was changed (or written by a build that was killed before its
    /// manifest) and is rebuilt. Missing in manifests of older versions, which rebuilds all.
    #[serde(default)]
    pub stamp: Stamp,
}

/// A day heading an output came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestSource {
    /// The source file, relative to the input folder.
    pub file: String,
    /// The line of the day heading.
    pub line: u32,
}

/// `output/manifest.json`: what the last build wrote, from what, and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The daybook version that wrote it.
    pub daybook: String,
    /// Every output, in path order.
    pub outputs: Vec<ManifestOutput>,
    /// The diagnostics of the build, by file.
    pub diagnostics: Vec<FileReport>,
}

impl Manifest {
    fn load(output: &OutputDir) -> Option<Self> {
        serde_json::from_slice(&output.read(MANIFEST)?).ok()
    }
}

/// What an output covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day(NaiveDate),
    Month(i32, u32),
    Year(i32),
    Collection,
}

impl Unit {
    /// The first and last day the unit covers; `None` for the whole collection.
    fn span(self) -> Option<(NaiveDate, NaiveDate)> {
        let (first, last) = match self {
            Unit::Day(date) => (Some(date), Some(date)),
            Unit::Month(year, month) => (
                NaiveDate::from_ymd_opt(year, month, 1),
                NaiveDate::from_ymd_opt(year, month, 1)
                    .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                    .and_then(|d| d.pred_opt()),
            ),
            Unit::Year(year) => (
                NaiveDate::from_ymd_opt(year, 1, 1),
                NaiveDate::from_ymd_opt(year, 12, 31),
            ),
            Unit::Collection => return None,
        };
        first.zip(last)
    }

    /// The year whose days the unit needs loaded; `None` for the whole collection.
    fn year(self) -> Option<i32> {
        self.span().map(|(first, _)| first.year())
    }

    /// How a book of this unit names itself: `1950`, `January 1950`, or nothing.
    fn volume(self) -> String {
        match self {
            Unit::Day(date) => edition::long_date(date),
            Unit::Month(year, month) => NaiveDate::from_ymd_opt(year, month, 1)
                .map_or_else(String::new, |d| d.format("%B %Y").to_string()),
            Unit::Year(year) => year.to_string(),
            Unit::Collection => String::new(),
        }
    }

    /// The output's path, relative to the output folder.
    fn path(self, format: Format) -> String {
        let (folder, extension) = (format.name(), extension(format));
        match self {
            Unit::Day(date) => format!(
                "{folder}/{}/{}.{extension}",
                date.year(),
                date.format("%Y-%m-%d")
            ),
            Unit::Month(year, month) => format!("{folder}/{year}-{month:02}.{extension}"),
            Unit::Year(year) => format!("{folder}/{year}.{extension}"),
            Unit::Collection => format!("{folder}/collection.{extension}"),
        }
    }
}

/// An output the build must have, with its key.
struct Planned {
    path: String,
    format: Format,
    unit: Unit,
    key: String,
    sources: Vec<ManifestSource>,
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every output the collection calls for, each keyed by what it depends on: daybook's
/// version, the configuration and build time, the edition, and for each day its content, its source file,
/// which of its cross-reference targets the collection holds and the notes it cites.
fn plan(collection: &Collection, notes: &notes::Resolved, options: &BuildOptions) -> Vec<Planned> {
    let config = format!(
        "{}\n{:?}\n{:?}",
        env!("CARGO_PKG_VERSION"),
        options.config,
        options.build_time
    );
    // The text edition depends on a day's content only; TEI and EPUB also name the source
    // file, turn cross-references into links where the collection holds the target, and
    // carry the notes the day cites.
    let day_key = |format: Format, date: NaiveDate| -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(config.as_bytes());
        hasher.update(format.name());
        if let Some((file, day)) = collection.entry(date) {
            hasher.update(day.digest);
            if format != Format::Txt {
                hasher.update(file.relative.as_bytes());
                for (target, _, _) in &day.cross_refs {
                    hasher.update(target.to_string());
                    hasher.update([u8::from(collection.days.contains_key(target))]);
                }
                for (_, cited) in &day.citations {
                    notes.key(cited, &mut hasher);
                }
            }
        }
        hasher.finalize().into()
    };
    let source = |date: NaiveDate| {
        collection.entry(date).map(|(file, day)| ManifestSource {
            file: file.relative.clone(),
            line: day.heading.line,
        })
    };
    let mut units: Vec<(Format, Unit)> = Vec::new();
    for &format in &options.formats {
        let mut books: Vec<Unit> = collection
            .days
            .keys()
            .map(|date| match (format, options.config.book) {
                (Format::Epub, Grouping::Month) => Unit::Month(date.year(), date.month()),
                (Format::Epub, Grouping::Collection) => Unit::Collection,
                _ => Unit::Year(date.year()),
            })
            .collect();
        books.dedup();
        units.extend(books.into_iter().map(|unit| (format, unit)));
        if format != Format::Epub {
            units.extend(
                collection
                    .days
                    .keys()
                    .map(|&date| (format, Unit::Day(date))),
            );
        }
    }
    let mut keys: BTreeMap<Format, BTreeMap<NaiveDate, [u8; 32]>> = BTreeMap::new();
    let mut planned: Vec<Planned> = units
        .into_iter()
        .map(|(format, unit)| {
            let keys = keys.entry(format).or_insert_with(|| {
                collection
                    .days
                    .keys()
                    .map(|&d| (d, day_key(format, d)))
                    .collect()
            });
            let dates: Vec<NaiveDate> = match unit.span() {
                Some((first, last)) => keys.range(first..=last).map(|(&d, _)| d).collect(),
                None => keys.keys().copied().collect(),
            };
            let mut hasher = Sha256::new();
            hasher.update(unit.path(format));
            dates.iter().for_each(|d| hasher.update(keys[d]));
            Planned {
                path: unit.path(format),
                format,
                unit,
                key: hex(&hasher.finalize()),
                sources: dates.iter().filter_map(|&d| source(d)).collect(),
            }
        })
        .collect();
    planned.sort_by(|a, b| a.path.cmp(&b.path));
    planned
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Txt => "txt",
        Format::Tei => "xml",
        Format::Epub => "epub",
    }
}

/// Converts the notes below `options.input` into the editions under `options.output`,
/// rebuilding only what changed since the last build (unless `options.force`).
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<Report, PipelineError> {
    check_folders(options)?;
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = options.jobs {
        pool = pool.num_threads(jobs.max(1));
    }
    let pool = pool.build().map_err(|error| PipelineError::Threads {
        jobs: options.jobs.unwrap_or(0),
        message: error.to_string(),
    })?;
    let report = pool.install(|| build_in_pool(options, progress));
    progress.finish();
    report
}

/// Refuses folders that contain each other: a build would read its own outputs as notes,
/// or overwrite the notes it reads.
fn check_folders(options: &BuildOptions) -> Result<(), PipelineError> {
    let input = fs::canonicalize(&options.input).map_err(|source| PipelineError::Read {
        path: options.input.clone(),
        source,
    })?;
    let output = absolute(&options.output);
    if output.starts_with(&input) || input.starts_with(&output) {
        return Err(PipelineError::Overlap {
            input: options.input.clone(),
            output: options.output.clone(),
        });
    }
    Ok(())
}

/// `path` made absolute without requiring it to exist: its nearest existing ancestor is
/// canonicalised and the rest appended.
fn absolute(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut existing = path;
    loop {
        if let Ok(found) = fs::canonicalize(existing) {
            return missing.iter().rev().fold(found, |p, part| p.join(part));
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_owned());
                existing = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

fn build_in_pool(options: &BuildOptions, progress: &dyn Progress) -> Result<Report, PipelineError> {
    // Opened and searched for links before anything is read or written: a link in the
    // output folder could otherwise lead a write or a removal into the notes.
    let out = OutputDir::open(&options.output)?;
    let stamps = out.scan()?;
    let sources = find_inputs(std::slice::from_ref(&options.input))?;
    let read = ReadOptions {
        max_file_size: options.max_file_size,
        syntax: options.config.syntax_options(),
    };
    let mut collection =
        Collection::assemble(index(&sources.files, Some(&options.input), &read, progress));
    let notes = collection.resolve_notes(&sources.notes_sources, read.max_file_size);
    let planned = plan(&collection, &notes, options);
    let previous_manifest = Manifest::load(&out);
    let previous: BTreeMap<&str, &ManifestOutput> = previous_manifest
        .as_ref()
        .map(|m| m.outputs.iter().map(|o| (o.path.as_str(), o)).collect())
        .unwrap_or_default();

    // Up to date: same key, and the file is the very one the manifest describes (its
    // stamp), so that an edited or emptied output, or one a killed build rewrote after the
    // manifest was written, is rebuilt and its digest recorded anew.
    let up_to_date = |p: &Planned| {
        !options.force
            && previous.get(p.path.as_str()).is_some_and(|old| {
                old.key == p.key && stamps.get(p.path.as_str()) == Some(&old.stamp)
            })
    };
    let todo: Vec<&Planned> = planned.iter().filter(|p| !up_to_date(p)).collect();
    let mut written_files: BTreeMap<String, (String, Stamp)> = planned
        .iter()
        .filter(|p| up_to_date(p))
        .filter_map(|p| {
            let old = previous.get(p.path.as_str())?;
            Some((p.path.clone(), (old.sha256.clone(), old.stamp)))
        })
        .collect();
    let unchanged = written_files.len();

    progress.start("writing editions", todo.len());
    // Years first, one at a time; whole-collection books, which need every day, last.
    let mut by_scope: BTreeMap<(bool, i32), Vec<&Planned>> = BTreeMap::new();
    for p in todo {
        let scope = p.unit.year().map_or((true, 0), |year| (false, year));
        by_scope.entry(scope).or_default().push(p);
    }
    let metadata = options.config.metadata(options.build_time);
    let ctx = Context {
        days: &collection.days.keys().copied().collect(),
        metadata: &metadata,
        notes: &notes.notes,
    };
    let mut written = Vec::new();
    for ((_, year), outputs) in by_scope {
        let days = load_days(&collection, outputs[0].unit.year().map(|_| year), &read);
        let results = outputs
            .par_iter()
            .map(|p| {
                let result = render(p, &days, &ctx, options.config.wrap_width).and_then(|bytes| {
                    let stamp = out
                        .write(&p.path, |w| w.write_all(&bytes))
                        .map_err(|source| PipelineError::Write {
                            path: out.path_of(&p.path),
                            source: source.into(),
                        })?;
                    Ok((p.path.clone(), (hex(&Sha256::digest(&bytes)), stamp)))
                });
                progress.step();
                result
            })
            .collect::<Result<Vec<_>, _>>()?;
        for (path, written_file) in results {
            written.push(PathBuf::from(&path));
            written_files.insert(path, written_file);
        }
    }

    let keep: BTreeSet<&str> = planned.iter().map(|p| p.path.as_str()).collect();
    let mut removed = Vec::new();
    let mut kept = Vec::new();
    for old in previous
        .values()
        .filter(|old| !keep.contains(old.path.as_str()))
    {
        match out.remove_if_written(&old.path, &old.sha256) {
            Ok(Removal::Removed) => removed.push(PathBuf::from(&old.path)),
            Ok(Removal::Missing) => {}
            Ok(Removal::Kept) | Err(_) => kept.push(FileReport {
                file: out.shown_child(&old.path),
                diagnostics: vec![
                    Diagnostic::new(
                        Code::OutputKept,
                        1,
                        1,
                        "its day vanished, but the file is not the one daybook wrote (it was changed or replaced); kept",
                    )
                    .expected("remove it by hand if it is not needed"),
                ],
            }),
        }
    }

    // Written last, once every output it describes is in place: a build killed before this
    // leaves the previous manifest, whose stamps then no longer match what it rewrote.
    let manifest = Manifest {
        daybook: env!("CARGO_PKG_VERSION").to_owned(),
        outputs: planned
            .iter()
            .map(|p| {
                let (sha256, stamp) = written_files.get(&p.path).cloned().unwrap_or_default();
                ManifestOutput {
                    path: p.path.clone(),
                    sha256,
                    key: p.key.clone(),
                    sources: p.sources.clone(),
                    stamp,
                }
            })
            .collect(),
        diagnostics: merge_reports(merge_reports(collection.reports(), sources.skipped), kept),
    };
    write_manifest(&out, &manifest, previous_manifest.as_ref(), &stamps)?;
    written.sort();
    Ok(Report {
        files: manifest.diagnostics,
        sources: sources.files.len(),
        days: collection.days.len(),
        withheld: collection.withheld(),
        written,
        unchanged,
        removed,
    })
}

/// The days of `year` (of every year when `None`) that the collection builds, parsed again
/// from their files, in date order.
fn load_days(collection: &Collection, year: Option<i32>, read: &ReadOptions) -> Vec<SourcedDay> {
    let wanted = |date: &NaiveDate| year.is_none_or(|y| date.year() == y);
    let files: BTreeSet<usize> = collection
        .days
        .iter()
        .filter(|(date, _)| wanted(date))
        .map(|(_, &file)| file)
        .collect();
    let mut days: Vec<SourcedDay> = files
        .into_par_iter()
        .flat_map_iter(|index| {
            let file = &collection.files[index];
            read_and_parse(&file.path, read)
                .0
                .days
                .into_iter()
                .filter(move |day| {
                    wanted(&day.date()) && collection.days.get(&day.date()) == Some(&index)
                })
                .map(|day| SourcedDay {
                    day,
                    source: file.relative.clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    days.sort_by_key(|d| d.day.date());
    days
}

fn render(
    planned: &Planned,
    days: &[SourcedDay],
    ctx: &Context<'_>,
    width: usize,
) -> Result<Vec<u8>, PipelineError> {
    let failed = |source| PipelineError::Write {
        path: PathBuf::from(&planned.path),
        source,
    };
    let days = match planned.unit.span() {
        Some((first, last)) => {
            let from = days.partition_point(|d| d.day.date() < first);
            let to = days.partition_point(|d| d.day.date() <= last);
            &days[from..to]
        }
        None => days,
    };
    let mut bytes = Vec::new();
    let result = match (planned.format, planned.unit) {
        (_, Unit::Day(_)) if days.is_empty() => Err(vanished()),
        (Format::Txt, _) => {
            let mut text = String::new();
            edition::text::write_days(days.iter().map(|d| &d.day), width, &mut text);
            bytes = text.into_bytes();
            Ok(())
        }
        (Format::Tei, Unit::Day(_)) => days
            .iter()
            .try_for_each(|day| edition::tei::write_day(day, ctx, &mut bytes)),
        (Format::Tei, unit) => {
            edition::tei::write_corpus(unit.year().unwrap_or_default(), days, ctx, &mut bytes)
        }
        (Format::Epub, unit) => {
            let mut cursor = Cursor::new(Vec::new());
            let result = edition::epub::write_book(&unit.volume(), days, ctx, &mut cursor);
            bytes = cursor.into_inner();
            result
        }
    };
    result.map_err(failed)?;
    Ok(bytes)
}

/// The error for a note that changed between the index and render passes.
fn vanished() -> EditionError {
    std::io::Error::new(
        std::io::ErrorKind::NotFound,
        "its day vanished from its note during the build; build again",
    )
    .into()
}

/// Writes the manifest unless it equals the previous build's and is still in place,
/// streamed so that a long collection's manifest is never held in memory twice.
fn write_manifest(
    out: &OutputDir,
    manifest: &Manifest,
    previous: Option<&Manifest>,
    stamps: &BTreeMap<String, Stamp>,
) -> Result<(), PipelineError> {
    if previous == Some(manifest) && stamps.contains_key(MANIFEST) {
        return Ok(());
    }
    out.write(MANIFEST, |w| {
        serde_json::to_writer_pretty(&mut *w, manifest)?;
        w.write_all(b"\n")
    })
    .map_err(|source| PipelineError::Write {
        path: out.path_of(MANIFEST),
        source: source.into(),
    })?;
    Ok(())
}
