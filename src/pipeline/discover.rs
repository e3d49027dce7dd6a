//! Discovery: which notes and notes sources a check or build reads, and the inputs it skips with a warning
//! (broken links, FIFOs and devices, links leaving the input folder, unreadable folders).

use std::ffi::OsStr;
use std::fs;
use std::os::unix::fs::FileTypeExt as _;
use std::path::{Path, PathBuf};

use super::{BuildOptions, FileReport, PipelineError, notes, register};
use crate::diagnostic::{Code, Diagnostic};
use crate::text::shown_path;

/// The notes a check or build reads, and the inputs it skipped with a warning.
#[derive(Debug, Default)]
pub struct Sources {
    /// Every note file, sorted.
    pub files: Vec<PathBuf>,
    /// Every notes source (`*.notes`), sorted.
    pub notes_sources: Vec<PathBuf>,
    /// Every register file (`*.register`), sorted.
    pub registers: Vec<PathBuf>,
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
            sources.push(path.clone(), path.extension());
        } else {
            sources.skip(path, not_a_file(&meta.file_type()));
        }
    }
    sources.files.sort();
    sources.files.dedup();
    sources.notes_sources.sort();
    sources.notes_sources.dedup();
    sources.registers.sort();
    sources.registers.dedup();
    sources.skipped.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(sources)
}

impl Sources {
    /// Adds a file to read, by the `extension` of its name: a notes source, a register or
    /// a day note.
    fn push(&mut self, path: PathBuf, extension: Option<&OsStr>) {
        if extension == Some(OsStr::new(notes::NOTES_EXTENSION)) {
            self.notes_sources.push(path);
        } else if extension == Some(OsStr::new(register::REGISTER_EXTENSION)) {
            self.registers.push(path);
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
    let mut listed = Vec::new();
    let mut failed = None;
    for entry in entries {
        match entry {
            Ok(entry) => listed.push((entry.file_name(), entry)),
            Err(error) => {
                failed = Some(error);
                break;
            }
        }
    }
    // In name order, so that the walk meets the files in path order: sorting all the paths
    // afterwards, component by component, then finds them in place, which costs a tenth of
    // sorting them from the folders' order.
    listed.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    for (name, entry) in listed {
        let path = entry.path();
        if name.as_encoded_bytes().starts_with(b".") {
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
        // Taken from the name, not the path, which would be parsed from its start.
        let extension = Path::new(&name).extension();
        if extension.is_none_or(|e| {
            e != "txt" && e != notes::NOTES_EXTENSION && e != register::REGISTER_EXTENSION
        }) {
            continue;
        }
        if kind.is_file() {
            sources.push(path, extension);
        } else if kind.is_symlink() {
            match linked_note(&path, root) {
                Ok(()) => sources.push(path, extension),
                Err(diagnostic) => sources.skip(&path, diagnostic),
            }
        } else {
            sources.skip(&path, not_a_file(&kind));
        }
    }
    if let Some(error) = failed {
        sources.skip(dir, unreadable(error));
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
pub(super) fn not_a_file(kind: &fs::FileType) -> Diagnostic {
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

/// Refuses folders that contain each other: a build would read its own outputs as notes,
/// or overwrite the notes it reads.
pub(super) fn check_folders(options: &BuildOptions) -> Result<(), PipelineError> {
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
