//! The command line: clap definitions, turned into library calls and an exit code.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use chrono::DateTime;
use clap::{Parser, Subcommand, ValueEnum};
use daybook::diagnostic::Severity;
use daybook::edition::{Format, Metadata};
use daybook::pipeline::{self, BuildOptions, Report};

/// Converts folders of plain-text day notes into TEI, EPUB and plain-text editions.
#[derive(Debug, Parser)]
#[command(name = "daybook", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the AST of day-note files as JSON.
    Parse {
        /// The files to parse.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Report what is wrong with notes, writing nothing.
    Check {
        /// Files or folders (folders are searched for `*.txt` recursively).
        #[arg(default_value = "input")]
        paths: Vec<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Convert a folder of notes into editions.
    Build {
        /// The folder of notes.
        #[arg(long, default_value = "input")]
        input: PathBuf,
        /// The folder the editions are written to.
        #[arg(long, default_value = "output")]
        output: PathBuf,
        /// The editions to write, comma-separated.
        #[arg(long, value_delimiter = ',', default_values = ["txt", "tei", "epub"])]
        format: Vec<FormatArg>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Txt,
    Tei,
    Epub,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Self {
        match arg {
            FormatArg::Txt => Format::Txt,
            FormatArg::Tei => Format::Tei,
            FormatArg::Epub => Format::Epub,
        }
    }
}

/// Runs a parsed command line: 0 when no errors were found, 1 when some were.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Parse { files } => parse(&files),
        Command::Check { paths, strict } => {
            let report = pipeline::check(&paths)?;
            Ok(finish(&report, strict, "checked"))
        }
        Command::Build {
            input,
            output,
            format,
            strict,
        } => {
            let mut formats: Vec<Format> = format.into_iter().map(Format::from).collect();
            formats.sort();
            formats.dedup();
            let options = BuildOptions {
                input,
                output,
                formats,
                metadata: Metadata {
                    build_time: source_date_epoch()?,
                    ..Metadata::default()
                },
            };
            let report = pipeline::build(&options)?;
            Ok(finish(&report, strict, "built"))
        }
    }
}

fn parse(files: &[PathBuf]) -> Result<ExitCode> {
    let mut failed = false;
    let mut documents = Vec::new();
    for file in files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let parsed = daybook::syntax::parse(&bytes);
        let name = file.display().to_string();
        for diagnostic in &parsed.diagnostics {
            eprint!("{}", diagnostic.render(&name));
        }
        failed |= parsed.has_errors();
        documents.push(serde_json::json!({ "file": name, "days": parsed.days }));
    }
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, &documents)?;
    writeln!(stdout)?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The build time from `SOURCE_DATE_EPOCH`, the reproducible-builds convention.
fn source_date_epoch() -> Result<Option<DateTime<chrono::Utc>>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => {
            let seconds: i64 = value.trim().parse().with_context(|| {
                format!("SOURCE_DATE_EPOCH must be a number of seconds, not `{value}`")
            })?;
            let time = DateTime::from_timestamp(seconds, 0)
                .context("SOURCE_DATE_EPOCH is out of range")?;
            Ok(Some(time))
        }
        Err(_) => Ok(None),
    }
}

/// Prints the diagnostics in file and source order, then a summary; returns the exit code.
fn finish(report: &Report, strict: bool, verb: &str) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    for file in &report.files {
        for diagnostic in &file.diagnostics {
            let _ = write!(stderr, "{}", diagnostic.render(&file.file));
        }
    }
    let (errors, warnings) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
    );
    let _ = writeln!(
        stderr,
        "daybook: {verb} {} days from {} files, {} outputs written, {warnings} warnings, {errors} errors",
        report.days,
        report.sources,
        report.written.len()
    );
    if errors > 0 || (strict && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
