//! The preview stage behind `daybook serve`: builds the web edition, serves it on 127.0.0.1,
//! watches the input folder and rebuilds on every save, and lets the open page know.
//!
//! It is a stage of the pipeline, not a second pipeline: every build is [`super::build`]
//! with the web edition alone, so a save rebuilds only what the manifest says changed. The
//! output folder is a scratch folder of its own (or the one named), never the input
//! folder: the same overlap check as a build refuses one inside the other.
//!
//! Three kinds of thread share one [`Status`]: the calling thread builds (first once, then
//! after each burst of file events has settled), a few workers answer HTTP requests
//! ([`http`]), and notify's own thread feeds the events.

mod http;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecursiveMode, Watcher as _};
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use super::{BuildOptions, PipelineError, Report, Silent};
use crate::config::Config;
use crate::diagnostic::Severity;
use crate::edition::Format;
use crate::text::shown_path;

/// How long the watcher waits after the last event of a burst before a rebuild.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// The longest a rebuild waits for a burst to end: another program reading the notes all
/// the time (an indexer, a backup) must not hold the preview back for ever.
const LONGEST_WAIT: Duration = Duration::from_secs(2);

/// Threads answering HTTP requests: a page, its stylesheet and the reload poll of a few
/// open tabs at once.
const WORKERS: usize = 4;

/// What `daybook serve` does.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The folder of notes, watched for changes.
    pub input: PathBuf,
    /// Where the site is built; `None` picks a scratch folder of the input folder's own
    /// under the system's temporary folder (see [`scratch_folder`]).
    pub output: Option<PathBuf>,
    /// The port on 127.0.0.1; 0 lets the system choose a free one.
    pub port: u16,
    /// The project configuration (`daybook.toml`).
    pub config: Config,
    /// Notes larger than this many bytes are refused (DB0019) instead of being read.
    pub max_file_size: u64,
    /// Worker threads of each build; `None` uses one per core.
    pub jobs: Option<usize>,
}

/// Why the preview could not start or go on.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The folders are unusable: the input is unreadable, or the folders overlap.
    #[error(transparent)]
    Folders(#[from] PipelineError),
    /// The scratch folder could not be made, or is not daybook's.
    #[error("cannot use {} as the site's folder: {reason}", shown_path(path))]
    Scratch {
        /// The folder.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The input folder cannot be watched.
    #[error("cannot watch {}", shown_path(path))]
    Watch {
        /// The input folder.
        path: PathBuf,
        /// Why.
        source: notify::Error,
    },
    /// The port could not be listened on.
    #[error("cannot listen on 127.0.0.1:{port}: {message}")]
    Listen {
        /// The port asked for.
        port: u16,
        /// Why (for example, another server has it).
        message: String,
    },
}

/// Told what the preview does; the command line prints it.
pub trait ServeEvents: Sync {
    /// The site is served at `address`, built in `output`.
    fn listening(&self, address: SocketAddr, output: &Path);
    /// A build ended (the first, or one after a change), taking `took`.
    fn built(&self, outcome: Result<&Report, &PipelineError>, took: Duration);
}

/// What the open pages learn from `/_daybook/status`: which build they show, and what that
/// build had to say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
struct Status {
    /// Counts up each time a build changes the site or its diagnostics; a page showing an
    /// older generation reloads.
    generation: u64,
    /// Error and warning counts of the last build.
    errors: usize,
    warnings: usize,
    /// The last build's diagnostics, rendered as in the terminal.
    diagnostics: Vec<String>,
    /// Why the last build could not run, if it could not.
    failure: Option<String>,
}

impl Status {
    /// The status after a build: the next generation when the build wrote or removed a page
    /// or said something else than the previous one, else the same.
    fn after(&self, outcome: Result<&Report, &PipelineError>) -> Self {
        let mut next = match outcome {
            Ok(report) => Self {
                errors: report.count(Severity::Error),
                warnings: report.count(Severity::Warning),
                diagnostics: report
                    .files
                    .iter()
                    .flat_map(|f| f.diagnostics.iter().map(|d| d.render(&f.file)))
                    .collect(),
                ..Self::default()
            },
            Err(error) => Self {
                failure: Some(error_chain(error)),
                ..Self::default()
            },
        };
        let changed_site =
            outcome.is_ok_and(|report| !report.written.is_empty() || !report.removed.is_empty());
        next.generation = self.generation;
        if changed_site || next != *self {
            next.generation += 1;
        }
        next
    }
}

/// An error and its causes, as one line, as the terminal and the page show it.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}

/// Builds the site, serves it and rebuilds it on every change below the input folder, until
/// the process is stopped. Returns only when it cannot start or the watcher stops.
pub fn serve(options: &ServeOptions, events: &dyn ServeEvents) -> Result<(), ServeError> {
    let output = match &options.output {
        Some(output) => output.clone(),
        None => scratch_folder(&options.input)?,
    };
    let build = BuildOptions {
        formats: vec![Format::Html],
        config: options.config.clone(),
        max_file_size: options.max_file_size,
        jobs: options.jobs,
        ..BuildOptions::new(&options.input, &output)
    };
    super::discover::check_folders(&build)?;

    // Bound and watched before the first build: a port in use fails at once, and a save
    // during the build is not missed.
    let server = tiny_http::Server::http(("127.0.0.1", options.port)).map_err(|error| {
        ServeError::Listen {
            port: options.port,
            message: error.to_string(),
        }
    })?;
    let (changes, changed) = mpsc::channel();
    let watch_failed = |source| ServeError::Watch {
        path: options.input.clone(),
        source,
    };
    let mut watcher = notify::recommended_watcher(changes).map_err(watch_failed)?;
    watcher
        .watch(&options.input, RecursiveMode::Recursive)
        .map_err(watch_failed)?;

    let status = Mutex::new(Status::default());
    let rebuild = || {
        let started = Instant::now();
        let outcome = super::build(&build, &Silent);
        events.built(outcome.as_ref(), started.elapsed());
        let mut status = status.lock().unwrap_or_else(PoisonError::into_inner);
        *status = status.after(outcome.as_ref());
    };
    rebuild();
    if let Some(address) = server.server_addr().to_ip() {
        events.listening(address, &output);
    }
    let site = http::Site {
        output: &output,
        status: &status,
    };
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| {
                while let Ok(request) = server.recv() {
                    site.respond(request);
                }
            });
        }
        while let Ok(event) = changed.recv() {
            if is_change(&event) {
                // One save is often several events (a temporary file, a rename, new times):
                // wait for a quiet moment, then build once for all of them.
                let deadline = Instant::now() + LONGEST_WAIT;
                while Instant::now() < deadline && changed.recv_timeout(DEBOUNCE).is_ok() {}
                rebuild();
            }
        }
        server.unblock();
    });
    Ok(())
}

/// Whether a watch event is a change to the notes. A build opens and reads every note, and
/// inotify reports each open: were those rebuilds, a build would trigger the next one. A
/// watch error is not a change (a rebuild cannot mend it; the next save may).
fn is_change(event: &notify::Result<Event>) -> bool {
    event.as_ref().is_ok_and(|event| match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    })
}

/// The folder `daybook serve` builds into when no `--output` is named: one per input folder
/// (named after a digest of its absolute path) below the system's temporary folder, kept
/// between runs so that the next preview of the same notes starts with an incremental
/// build. Made private to the user (mode 0700); an existing one that is a link or another
/// user's is refused.
pub fn scratch_folder(input: &Path) -> Result<PathBuf, ServeError> {
    use std::os::unix::fs::{DirBuilderExt as _, MetadataExt as _};
    let absolute = std::fs::canonicalize(input).map_err(|source| PipelineError::Read {
        path: input.to_path_buf(),
        source,
    })?;
    let digest = super::manifest::hex(&Sha256::digest(absolute.as_os_str().as_encoded_bytes()));
    let path = std::env::temp_dir().join(format!("daybook-serve-{}", &digest[..16]));
    let refused = |reason: String| ServeError::Scratch {
        path: path.clone(),
        reason,
    };
    match std::fs::DirBuilder::new().mode(0o700).create(&path) {
        Ok(()) => return Ok(path),
        Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => {
            return Err(refused(error.to_string()));
        }
        Err(_) => {}
    }
    let found = std::fs::symlink_metadata(&path).map_err(|e| refused(e.to_string()))?;
    if !found.is_dir() {
        return Err(refused("it is not a folder (remove it)".to_owned()));
    }
    if found.uid() != rustix::process::getuid().as_raw() {
        return Err(refused(
            "another user owns it (name a folder with --output)".to_owned(),
        ));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Diagnostic};
    use crate::pipeline::FileReport;

    fn report(written: &[&str], diagnostics: Vec<Diagnostic>) -> Report {
        Report {
            written: written.iter().map(PathBuf::from).collect(),
            files: if diagnostics.is_empty() {
                Vec::new()
            } else {
                vec![FileReport {
                    file: "input/a.txt".to_owned(),
                    diagnostics,
                }]
            },
            ..Report::default()
        }
    }

    #[test]
    fn a_build_that_writes_a_page_is_a_new_generation() {
        let first = Status::default().after(Ok(&report(&["html/index.html"], Vec::new())));
        assert_eq!(first.generation, 1);
        let same = first.after(Ok(&report(&[], Vec::new())));
        assert_eq!(same, first);
        let next = same.after(Ok(&report(&["html/1950.html"], Vec::new())));
        assert_eq!(next.generation, 2);
    }

    #[test]
    fn new_diagnostics_are_a_new_generation_even_when_no_page_changed() {
        let first = Status::default().after(Ok(&report(&["html/index.html"], Vec::new())));
        let warned = first.after(Ok(&report(
            &[],
            vec![Diagnostic::new(Code::WeekdayMismatch, 1, 19, "weekday")],
        )));
        assert_eq!(warned.generation, 2);
        assert_eq!(warned.warnings, 1);
        assert_eq!(warned.diagnostics.len(), 1);
        assert!(
            warned.diagnostics[0].starts_with("input/a.txt:1:19: warning[DB0004]: weekday"),
            "{:?}",
            warned.diagnostics
        );
    }
}
