//! The collection pipeline: the only code that walks folders, uses threads and writes files.
//!
//! A build runs as stages, each in its own file:
//!
//! 1. [`discover`] lists the notes and notes sources below the input folder, and
//!    [`fingerprint`] stops a build whose inputs and outputs all have the stamps the last
//!    build recorded, before anything is read;
//! 2. [`index`] parses every note in parallel and keeps only what the whole collection needs
//!    to know: which days exist, where, what they link to and cite and a digest of each day's
//!    content; [`notes`] then reads the notes sources (on every build, never from the manifest)
//!    and resolves the citations against them;
//! 3. [`plan`] derives a key for every output (the digest of everything it depends on) and
//!    decides, against the previous [`manifest`], which outputs must be rebuilt;
//! 4. [`render`] goes one year at a time, parsing again only the files that hold a year with
//!    something to rebuild (and that the index pass did not keep parsed), the next year
//!    while this one is rendered, so that peak memory follows the largest two years, not
//!    the size of the collection;
//! 5. [`commit`] puts every output in place through a temporary file, removes outputs whose
//!    day vanished and writes the manifest, then the fingerprint, last.
//!
//! [`serve`] runs these stages again on every change below the input folder and serves the
//! web edition they write (`daybook serve`).
//!
//! Every write and removal in the output folder goes through [`output_dir::OutputDir`],
//! which never follows a symbolic link there; see `docs/safety.md` for what a build
//! guarantees.

mod commit;
mod discover;
mod fingerprint;
mod index;
mod manifest;
mod notes;
pub mod output_dir;
mod plan;
mod register;
mod render;
mod report;
pub mod serve;

use std::collections::BTreeMap;
use std::path::PathBuf;

use std::time::SystemTime;

use chrono::{DateTime, Utc};
use rayon::iter::{IntoParallelIterator as _, ParallelIterator as _};

use crate::config::Config;
use crate::edition::{Context, EditionError, Format};
use crate::text::shown_path;
pub use discover::{Sources, find_inputs, find_sources};
use fingerprint::Fingerprint;
use index::Collection;
pub use index::{ReadOptions, read_note};
use manifest::NewManifest;
pub use manifest::{MANIFEST, Manifest, ManifestOutput, ManifestSource};
pub use notes::NOTES_EXTENSION;
use output_dir::{OutputDir, OutputError};
pub use register::{Names, REGISTER_EXTENSION};
use report::merge_reports;
pub use report::{FileReport, Report, WithheldDay};

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

/// Converts the notes below `options.input` into the editions under `options.output`,
/// rebuilding only what changed since the last build (unless `options.force`).
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<Report, PipelineError> {
    discover::check_folders(options)?;
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

fn build_in_pool(options: &BuildOptions, progress: &dyn Progress) -> Result<Report, PipelineError> {
    let started = SystemTime::now();
    // Opened and searched for links before anything is read or written: a link in the
    // output folder could otherwise lead a write or a removal into the notes.
    let out = OutputDir::open(&options.output)?;
    // Listing the outputs, and listing and stamping the inputs, is most of a build with
    // nothing to do: the two go side by side. A link in the output folder is still reported
    // first. A forced build will need the previous manifest, to leave alone the outputs
    // whose bytes are the same, so it reads it beside them; any other build reads it only
    // once the fingerprint is found stale, as one with nothing to do must not pay for it.
    let ((stamps, inputs), forced_previous) = rayon::join(
        || {
            rayon::join(
                || out.scan(),
                || {
                    find_inputs(std::slice::from_ref(&options.input))
                        .map(|sources| (Fingerprint::of(options, &sources, started), sources))
                },
            )
        },
        || options.force.then(|| Manifest::load(&out)),
    );
    let mut stamps = stamps?;
    let ((fingerprint, note_stamps), mut sources) = inputs?;
    if !options.force
        && let Some(report) = fingerprint.recorded(&out, &stamps)
    {
        return Ok(report);
    }
    let registers = register::load(
        &sources.registers,
        options.max_file_size,
        options.config.warn_unregistered_correspondents,
    );
    let read = ReadOptions {
        max_file_size: options.max_file_size,
        syntax: options.config.syntax_options(),
        names: registers.names.clone(),
        warn_unregistered_correspondents: options.config.warn_unregistered_correspondents,
    };
    let previous = forced_previous.unwrap_or_else(|| Manifest::load(&out));
    let reading = format!(
        "{}\nindex {}\n{read:?}",
        env!("CARGO_PKG_VERSION"),
        index::INDEX_FORMAT
    );
    // Moved into the collection's files, which would otherwise hold a copy of each path.
    let (files, records) = index::index(
        std::mem::take(&mut sources.files)
            .into_iter()
            .zip(note_stamps)
            .collect(),
        Some(&options.input),
        &read,
        &previous
            .as_ref()
            .map(|m| m.notes_read_as(&reading))
            .unwrap_or_default(),
        fingerprint::trusted_before(started),
        progress,
    );
    let mut collection = Collection::assemble(files);
    let notes = collection.resolve_notes(&sources.notes_sources, read.max_file_size);
    let planned = plan::plan(&collection, &notes, registers.names.as_deref(), options);
    let plan::Freshness {
        todo,
        mut files,
        mut unchanged,
        in_place,
    } = plan::Freshness::decide(&planned, previous.as_ref(), &stamps, options.force);

    progress.start("writing editions", todo.len());
    let metadata = options.config.metadata(options.build_time);
    let ctx = Context {
        days: &collection.days.keys().copied().collect(),
        metadata: &metadata,
        notes: &notes.notes,
        register: registers
            .names
            .as_ref()
            .map_or(&crate::edition::NO_REGISTER, |names| &names.register),
    };
    // The outputs written, by their place in the plan (which is in path order): their
    // paths, a hundred thousand for a century, are made for the report once the rendering
    // has let go of its memory.
    let mut written: Vec<usize> = Vec::new();
    let scopes = plan::by_scope(todo);
    let load = |collection: &mut Collection, scope: Option<&(Option<i32>, Vec<&plan::Planned>)>| {
        match scope {
            Some((year, outputs)) if outputs.iter().any(|p| p.unit.needs_days()) => {
                render::load_days(collection, *year, &read)
            }
            _ => Vec::new(),
        }
    };
    let mut days = load(&mut collection, scopes.first());
    for (index, (_, outputs)) in scopes.iter().enumerate() {
        // The next year is parsed while this one is rendered, so that the workers are not
        // left idle at the end of a year by its longest output (a book), waiting for the
        // next year to start; memory holds two years' days at most.
        let (committed, next) = rayon::join(
            || commit::render_and_write(&out, outputs, &days, &ctx, options, &in_place, progress),
            || load(&mut collection, scopes.get(index + 1)),
        );
        // Dropped on every worker: freeing a forced year's days took about a millisecond on
        // one.
        std::mem::replace(&mut days, next)
            .into_par_iter()
            .for_each(drop);
        for committed in committed? {
            if !committed.written {
                unchanged += 1;
            }
            if let Some(index) = plan::position(&planned, committed.path) {
                files[index] = Some(committed.file);
                if committed.written {
                    written.push(index);
                }
            }
        }
    }
    drop((scopes, in_place));
    let (removed, kept) = commit::remove_vanished(&out, &planned, previous.as_ref());

    // Written last, once every output it describes is in place: a build killed before this
    // leaves the previous manifest, whose stamps then no longer match what it rewrote.
    let diagnostics = merge_reports(
        merge_reports(
            merge_reports(collection.reports(), registers.reports),
            sources.skipped,
        ),
        kept,
    );
    let manifest = NewManifest {
        planned: &planned,
        files: &files,
        sources: |unit| plan::sources(&collection, unit),
        diagnostics: &diagnostics,
        reading: &reading,
        notes: &records,
    };
    let manifest_stamp = commit::write_manifest(&out, &manifest, previous.as_ref(), &stamps)?;
    written.sort();
    let report = Report {
        files: diagnostics,
        sources: collection.files.len(),
        days: collection.days.len(),
        withheld: collection.withheld(),
        written: written
            .into_iter()
            .filter_map(|index| planned.get(index))
            .map(|p| PathBuf::from(&p.path))
            .collect(),
        unchanged,
        removed,
    };
    // The output folder as this build leaves it: what it found, less what it removed, with
    // the manifest's stamp (the outputs' stamps are the manifest's).
    for path in &report.removed {
        stamps.remove(path.to_str().unwrap_or_default());
    }
    stamps.extend(manifest_stamp.map(|stamp| (MANIFEST.to_owned(), stamp)));
    let outputs = planned
        .iter()
        .zip(&files)
        .map(|(p, file)| (p.path.as_str(), file.unwrap_or_default().1));
    fingerprint.record(&out, &stamps, outputs, &report);
    Ok(report)
}

/// Parses the notes below `paths` and reports what is wrong, writing nothing.
pub fn check(paths: &[PathBuf], read: &ReadOptions) -> Result<Report, PipelineError> {
    let sources = find_inputs(paths)?;
    let registers = register::load(
        &sources.registers,
        read.max_file_size,
        read.warn_unregistered_correspondents,
    );
    let read = &ReadOptions {
        names: registers.names,
        ..read.clone()
    };
    let files = sources.files.into_iter().map(|path| (path, None)).collect();
    let (files, _) = index::index(files, None, read, &BTreeMap::new(), 0, &Silent);
    let mut collection = Collection::assemble(files);
    collection.resolve_notes(&sources.notes_sources, read.max_file_size);
    Ok(Report {
        files: merge_reports(
            merge_reports(collection.reports(), registers.reports),
            sources.skipped,
        ),
        sources: collection.files.len(),
        days: collection.days.len(),
        withheld: collection.withheld(),
        ..Report::default()
    })
}
