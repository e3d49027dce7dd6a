//! The command line: clap definitions, turned into library calls and an exit code.

use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use chrono::DateTime;
use clap::{Parser, Subcommand, ValueEnum};
use daybook::config::{self, Config};
use daybook::diagnostic::Severity;
use daybook::edition::Format;
use daybook::pipeline::serve::{self, ServeEvents, ServeOptions};
use daybook::pipeline::{self, BuildOptions, PipelineError, Progress, ReadOptions, Report};
use daybook::text::shown_path;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Converts folders of plain-text day notes into TEI, EPUB and plain-text editions.
#[derive(Debug, Parser)]
#[command(name = "daybook", version)]
pub struct Cli {
    /// The configuration file (default: `daybook.toml` in the working folder, if present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
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
        /// Refuse notes larger than this many bytes.
        #[arg(long, value_name = "BYTES", default_value_t = pipeline::DEFAULT_MAX_FILE_SIZE)]
        max_file_size: u64,
    },
    /// Report what is wrong with notes, writing nothing.
    Check {
        /// Files or folders (folders are searched for `*.txt` recursively).
        #[arg(default_value = "input")]
        paths: Vec<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Refuse notes larger than this many bytes.
        #[arg(long, value_name = "BYTES", default_value_t = pipeline::DEFAULT_MAX_FILE_SIZE)]
        max_file_size: u64,
    },
    /// Show the effective configuration.
    Config {
        /// Print every key with its effective value, as TOML.
        #[arg(long, required = true)]
        show: bool,
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
        #[arg(long, value_delimiter = ',', default_values = ["txt", "tei", "epub", "html"])]
        format: Vec<FormatArg>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Rebuild every output, even those the manifest says are up to date.
        #[arg(long)]
        force: bool,
        /// Print only errors: no warnings, no progress bar, no summary.
        #[arg(long, short)]
        quiet: bool,
        /// Worker threads (default: one per core).
        #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Refuse notes larger than this many bytes.
        #[arg(long, value_name = "BYTES", default_value_t = pipeline::DEFAULT_MAX_FILE_SIZE)]
        max_file_size: u64,
    },
    /// Build the web edition, serve it on 127.0.0.1 and rebuild it on every change.
    Serve {
        /// The folder of notes, watched for changes.
        #[arg(long, default_value = "input")]
        input: PathBuf,
        /// The port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The folder the site is built in (default: a scratch folder of the system's).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Worker threads of each build (default: one per core).
        #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Refuse notes larger than this many bytes.
        #[arg(long, value_name = "BYTES", default_value_t = pipeline::DEFAULT_MAX_FILE_SIZE)]
        max_file_size: u64,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Txt,
    Tei,
    Epub,
    Html,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Self {
        match arg {
            FormatArg::Txt => Format::Txt,
            FormatArg::Tei => Format::Tei,
            FormatArg::Epub => Format::Epub,
            FormatArg::Html => Format::Html,
        }
    }
}

/// Runs a parsed command line: 0 when no errors were found, 1 when some were.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let config = load_config(cli.config.as_deref())?;
    match cli.command {
        Command::Config { .. } => {
            print!("{}", config.to_toml());
            Ok(ExitCode::SUCCESS)
        }
        Command::Parse {
            files,
            max_file_size,
        } => parse(
            &files,
            &ReadOptions {
                max_file_size,
                syntax: config.syntax_options(),
                ..ReadOptions::default()
            },
        ),
        Command::Check {
            paths,
            strict,
            max_file_size,
        } => {
            let started = Instant::now();
            let read = ReadOptions {
                max_file_size,
                syntax: config.syntax_options(),
                warn_unregistered_correspondents: config.warn_unregistered_correspondents,
                ..ReadOptions::default()
            };
            let report = pipeline::check(&paths, &read)?;
            Ok(finish(&report, strict, false, started.elapsed()))
        }
        Command::Build {
            input,
            output,
            format,
            strict,
            force,
            quiet,
            jobs,
            max_file_size,
        } => {
            let started = Instant::now();
            if !quiet {
                let name = config_name(cli.config.as_deref());
                for (code, message) in config.warnings() {
                    eprintln!("{name}: warning[{code}]: {message}");
                }
            }
            let mut formats: Vec<Format> = format.into_iter().map(Format::from).collect();
            formats.sort();
            formats.dedup();
            let options = BuildOptions {
                formats,
                config,
                build_time: source_date_epoch()?,
                force,
                max_file_size,
                jobs: jobs.map(usize::from),
                ..BuildOptions::new(input, output)
            };
            let bar = Bar::new(quiet);
            let report = pipeline::build(&options, &bar)?;
            Ok(finish(&report, strict, quiet, started.elapsed()))
        }
        Command::Serve {
            input,
            port,
            output,
            jobs,
            max_file_size,
        } => {
            let options = ServeOptions {
                input,
                output,
                port,
                config,
                max_file_size,
                jobs: jobs.map(usize::from),
            };
            serve::serve(&options, &Terminal)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// What `daybook serve` prints: where the site is, and each build as `daybook build` would.
struct Terminal;

impl ServeEvents for Terminal {
    fn listening(&self, address: SocketAddr, output: &Path) {
        println!(
            "daybook: serving http://{address}/ (built in {}); Ctrl-C stops",
            shown_path(output)
        );
    }

    fn built(&self, outcome: Result<&Report, &PipelineError>, took: Duration) {
        match outcome {
            Ok(report) => {
                finish(report, false, false, took);
            }
            Err(error) => eprintln!("daybook: error: {}", serve::error_chain(error)),
        }
    }
}

/// One file as `daybook parse` prints it.
#[derive(serde::Serialize)]
struct ParsedFile<'a> {
    file: &'a str,
    days: &'a [daybook::ast::Day],
}

/// Prints the days of each file as it is parsed, one element of a JSON array at a time: a
/// JSON tree of the whole collection would take many times the memory of the days.
fn parse(files: &[PathBuf], read: &ReadOptions) -> Result<ExitCode> {
    use serde::ser::{SerializeSeq as _, Serializer as _};
    let mut failed = false;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut json = serde_json::Serializer::pretty(&mut stdout);
    let mut documents = json.serialize_seq(Some(files.len()))?;
    for file in files {
        // The same reading as check and build: the size limit, and no FIFO or device.
        let parsed = match pipeline::read_note(file, read.max_file_size) {
            Ok(bytes) => daybook::syntax::parse_with(&bytes, &read.syntax),
            Err(diagnostic) => daybook::syntax::Parsed {
                diagnostics: vec![diagnostic],
                ..daybook::syntax::Parsed::default()
            },
        };
        let name = shown_path(file);
        for diagnostic in &parsed.diagnostics {
            eprint!("{}", diagnostic.render(&name));
        }
        failed |= parsed.has_errors();
        documents.serialize_element(&ParsedFile {
            file: &name,
            days: &parsed.days,
        })?;
    }
    documents.end()?;
    writeln!(stdout)?;
    stdout.flush()?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The configuration from `--config FILE`, else from `daybook.toml` when there is one, else
/// the defaults.
fn load_config(path: Option<&Path>) -> Result<Config> {
    match path {
        Some(path) => Ok(Config::load(path)?),
        None if Path::new(config::FILE_NAME).is_file() => {
            Ok(Config::load(Path::new(config::FILE_NAME))?)
        }
        None => Ok(Config::default()),
    }
}

/// The name the configuration's warnings are given under.
fn config_name(path: Option<&Path>) -> String {
    path.map_or_else(|| config::FILE_NAME.to_owned(), |p| p.display().to_string())
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

/// Prints the diagnostics in file and source order, then a one-line summary (both left out
/// by `quiet`, which keeps only errors); returns the exit code.
fn finish(report: &Report, strict: bool, quiet: bool, took: Duration) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    for file in &report.files {
        for diagnostic in &file.diagnostics {
            if !quiet || diagnostic.severity() == Severity::Error {
                let _ = write!(stderr, "{}", diagnostic.render(&file.file));
            }
        }
    }
    let (errors, warnings) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
    );
    for day in &report.withheld {
        let date = day
            .date
            .map_or_else(|| "the day".to_owned(), |date| date.to_string());
        let _ = writeln!(
            stderr,
            "daybook: {date} ({}:{}) withheld: {}",
            day.file, day.line, day.reason
        );
    }
    if !quiet {
        let _ = writeln!(
            stderr,
            "daybook: {} days{} from {} files; {} outputs written, {} unchanged, {} removed; \
             {warnings} warnings, {errors} errors; {:.2} s",
            report.days,
            match report.withheld.len() {
                0 => String::new(),
                n => format!(" ({n} withheld)"),
            },
            report.sources,
            report.written.len(),
            report.unchanged,
            report.removed.len(),
            took.as_secs_f64()
        );
    }
    if errors > 0 || (strict && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A progress bar on a terminal, for builds long enough to need one.
struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    fn new(quiet: bool) -> Self {
        let shown = !quiet && std::io::stderr().is_terminal();
        Self {
            bar: shown.then(|| {
                let bar = ProgressBar::hidden();
                bar.set_style(
                    ProgressStyle::with_template("{msg:>16} [{bar:40}] {pos}/{len}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                bar
            }),
        }
    }
}

impl Progress for Bar {
    fn start(&self, phase: &'static str, total: usize) {
        if let Some(bar) = &self.bar {
            bar.reset();
            bar.set_length(total as u64);
            bar.set_message(phase);
            // Short builds finish before a bar would be worth drawing.
            if total >= 200 {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
        }
    }

    fn step(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
