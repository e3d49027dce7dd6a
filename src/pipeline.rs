//! The collection pipeline: the only code that walks folders, uses threads and writes files.
//!
//! A build finds every `*.txt` note below the input folder, parses them in parallel, joins
//! their days into one collection (so that cross-references resolve across files and
//! duplicated days are caught), and writes every requested edition, each output through a
//! temporary file renamed into place.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::edition::{self, Context, EditionError, Format, Metadata, SourcedDay};
use crate::syntax::{self, Parsed};

/// Why a build could not run or finish.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// A folder or file of the collection could not be listed or read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An output could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        source: EditionError,
    },
}

/// The diagnostics of one source file.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The outputs written, in the order of the editions.
    pub written: Vec<PathBuf>,
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

/// What `daybook build` does.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder of notes.
    pub input: PathBuf,
    /// The folder the editions are written to.
    pub output: PathBuf,
    /// The editions to write.
    pub formats: Vec<Format>,
    /// Edition-wide metadata.
    pub metadata: Metadata,
}

/// One parsed source file.
struct Loaded {
    /// As shown in diagnostics.
    file: String,
    /// Relative to the input folder, `/`-separated.
    relative: String,
    parsed: Parsed,
}

/// Every note file below `paths`: files named directly, and `*.txt` files found
/// recursively in folders, skipping hidden files and folders. Sorted, so that builds and
/// diagnostics come out in the same order on every machine.
pub fn find_sources(paths: &[PathBuf]) -> Result<Vec<PathBuf>, PipelineError> {
    let mut found = Vec::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|source| PipelineError::Read {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk(path, &mut found)?;
        } else {
            found.push(path.clone());
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), PipelineError> {
    let read_error = |source| PipelineError::Read {
        path: dir.to_path_buf(),
        source,
    };
    for entry in fs::read_dir(dir).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        // file_type does not follow symbolic links, so a link cannot make the walk loop.
        let kind = entry.file_type().map_err(read_error)?;
        if kind.is_dir() {
            walk(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "txt") && (kind.is_file() || path.is_file())
        {
            found.push(path);
        }
    }
    Ok(())
}

fn load(files: &[PathBuf], base: Option<&Path>) -> Vec<Loaded> {
    files
        .par_iter()
        .map(|path| {
            let relative = base
                .and_then(|b| path.strip_prefix(b).ok())
                .unwrap_or(path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let parsed = match fs::read(path) {
                Ok(bytes) => syntax::parse(&bytes),
                Err(error) => Parsed {
                    days: Vec::new(),
                    diagnostics: vec![
                        Diagnostic::new(
                            Code::Unreadable,
                            1,
                            1,
                            format!("cannot read the file: {error}"),
                        )
                        .expected("a readable file"),
                    ],
                },
            };
            Loaded {
                file: path.display().to_string(),
                relative,
                parsed,
            }
        })
        .collect()
}

/// The days that will be built, and every diagnostic of the run by file.
struct Collection {
    days: Vec<SourcedDay>,
    dates: BTreeSet<NaiveDate>,
    reports: Vec<FileReport>,
}

/// Joins the files' days into one collection: files with errors are left out, a day held
/// by two sources is an error in both and built from neither, and cross-references to days
/// the collection lacks are warnings.
fn assemble(loaded: Vec<Loaded>) -> Collection {
    let mut reports: Vec<FileReport> = Vec::with_capacity(loaded.len());
    let mut candidates: Vec<(usize, SourcedDay)> = Vec::new();
    for (index, file) in loaded.into_iter().enumerate() {
        let ok = !file.parsed.has_errors();
        reports.push(FileReport {
            file: file.file,
            diagnostics: file.parsed.diagnostics,
        });
        if ok {
            candidates.extend(file.parsed.days.into_iter().map(|day| {
                (
                    index,
                    SourcedDay {
                        day,
                        source: file.relative.clone(),
                    },
                )
            }));
        }
    }
    let mut by_date: BTreeMap<NaiveDate, Vec<(usize, SourcedDay)>> = BTreeMap::new();
    for (index, day) in candidates {
        by_date
            .entry(day.day.date())
            .or_default()
            .push((index, day));
    }
    let mut days = Vec::with_capacity(by_date.len());
    for (date, holders) in by_date {
        if holders.len() == 1 {
            days.extend(holders);
            continue;
        }
        for (index, day) in &holders {
            let others: Vec<String> = holders
                .iter()
                .filter(|(i, d)| (i, d.day.heading.pos) != (index, day.day.heading.pos))
                .map(|(i, d)| format!("{}:{}", reports[*i].file, d.day.heading.pos.line))
                .collect();
            let pos = day.day.heading.pos;
            reports[*index].diagnostics.push(
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
    let dates: BTreeSet<NaiveDate> = days.iter().map(|(_, d)| d.day.date()).collect();
    for (index, day) in &days {
        for cross_ref in day.day.cross_references() {
            if !dates.contains(&cross_ref.target) {
                let pos = cross_ref.pos;
                reports[*index].diagnostics.push(
                    Diagnostic::new(
                        Code::UnresolvedCrossRef,
                        pos.line,
                        pos.column,
                        format!(
                            "`[{}]` points to {}, which the collection does not hold; kept as text",
                            cross_ref.words(),
                            cross_ref.target
                        ),
                    )
                    .expected(format!(
                        "a note for {} in the collection",
                        edition::long_date(cross_ref.target)
                    )),
                );
            }
        }
    }
    for report in &mut reports {
        report.diagnostics.sort_by_key(|d| (d.line, d.column));
    }
    reports.retain(|r| !r.diagnostics.is_empty());
    Collection {
        days: days.into_iter().map(|(_, day)| day).collect(),
        dates,
        reports,
    }
}

/// Parses the notes below `paths` and reports what is wrong, writing nothing.
pub fn check(paths: &[PathBuf]) -> Result<Report, PipelineError> {
    let files = find_sources(paths)?;
    let sources = files.len();
    let collection = assemble(load(&files, None));
    Ok(Report {
        files: collection.reports,
        sources,
        days: collection.days.len(),
        written: Vec::new(),
    })
}

/// Converts the notes below `options.input` into the editions under `options.output`.
pub fn build(options: &BuildOptions) -> Result<Report, PipelineError> {
    let files = find_sources(std::slice::from_ref(&options.input))?;
    let sources = files.len();
    let collection = assemble(load(&files, Some(&options.input)));
    let ctx = Context {
        days: &collection.dates,
        metadata: &options.metadata,
    };
    let mut years: BTreeMap<i32, Vec<SourcedDay>> = BTreeMap::new();
    for day in &collection.days {
        years
            .entry(day.day.date().year())
            .or_default()
            .push(day.clone());
    }
    let mut jobs = Vec::new();
    for &format in &options.formats {
        for (&year, days) in &years {
            if format != Format::Epub {
                jobs.extend(days.iter().map(|day| Job::Day(format, day)));
            }
            jobs.push(Job::Year(format, year, days));
        }
    }
    let written = jobs
        .par_iter()
        .map(|job| job.run(&options.output, &ctx))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Report {
        files: collection.reports,
        sources,
        days: collection.days.len(),
        written,
    })
}

/// One output to write.
enum Job<'a> {
    Day(Format, &'a SourcedDay),
    Year(Format, i32, &'a [SourcedDay]),
}

impl Job<'_> {
    fn run(&self, output: &Path, ctx: &Context<'_>) -> Result<PathBuf, PipelineError> {
        let (path, bytes) = match *self {
            Job::Day(format, day) => {
                let date = day.day.date();
                let name = format!("{}.{}", date.format("%Y-%m-%d"), extension(format));
                let path = output
                    .join(format.name())
                    .join(date.year().to_string())
                    .join(name);
                (path, render_day(format, day, ctx))
            }
            Job::Year(format, year, days) => {
                let path = output
                    .join(format.name())
                    .join(format!("{year}.{}", extension(format)));
                (path, render_year(format, year, days, ctx))
            }
        };
        let bytes = bytes.map_err(|source| PipelineError::Write {
            path: path.clone(),
            source,
        })?;
        write_atomically(&path, &bytes).map_err(|source| PipelineError::Write {
            path: path.clone(),
            source: source.into(),
        })?;
        Ok(path)
    }
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Txt => "txt",
        Format::Tei => "xml",
        Format::Epub => "epub",
    }
}

fn render_day(
    format: Format,
    day: &SourcedDay,
    ctx: &Context<'_>,
) -> Result<Vec<u8>, EditionError> {
    match format {
        Format::Txt => {
            let mut text = String::new();
            edition::text::write_day(&day.day, &mut text);
            Ok(text.into_bytes())
        }
        Format::Tei => {
            let mut bytes = Vec::new();
            edition::tei::write_day(day, ctx, &mut bytes)?;
            Ok(bytes)
        }
        Format::Epub => render_year(
            format,
            day.day.date().year(),
            std::slice::from_ref(day),
            ctx,
        ),
    }
}

fn render_year(
    format: Format,
    year: i32,
    days: &[SourcedDay],
    ctx: &Context<'_>,
) -> Result<Vec<u8>, EditionError> {
    match format {
        Format::Txt => {
            let mut text = String::new();
            edition::text::write_days(days.iter().map(|d| &d.day), &mut text);
            Ok(text.into_bytes())
        }
        Format::Tei => {
            let mut bytes = Vec::new();
            edition::tei::write_corpus(year, days, ctx, &mut bytes)?;
            Ok(bytes)
        }
        Format::Epub => {
            let mut cursor = Cursor::new(Vec::new());
            edition::epub::write_book(year, days, ctx, &mut cursor)?;
            Ok(cursor.into_inner())
        }
    }
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place, so that a
/// killed build leaves either the old file or the new one, never a truncated one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&temporary, path));
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}
