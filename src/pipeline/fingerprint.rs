//! The build fingerprint: one digest of everything a build depends on that can be seen
//! without reading a note (daybook's version, the options and configuration, the path and
//! stamp of every input, the path and stamp of every file in the output folder), recorded
//! with the build's report in a small file beside the manifest. A build whose fingerprint
//! is the recorded one has nothing to do: it returns the recorded report before reading a
//! note, a register or the manifest, the way `make` and cargo trust timestamps before
//! contents. Any difference, however small, takes the full path, which decides by content.
//!
//! A stamp taken within [`RACY`] of the build's start is not trusted: a note saved twice in
//! one tick of the file system's clock, at the same size, keeps its stamp ("racy git"), so
//! such a build records no fingerprint and the next one reads the notes again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::discover::Sources;
use super::manifest::hex;
use super::output_dir::{OutputDir, Stamp};
use super::{BuildOptions, FileReport, Report, WithheldDay};

/// The fingerprint's file name inside the output folder; hidden, as it is daybook's
/// bookkeeping and no edition.
pub const FINGERPRINT: &str = ".daybook-fingerprint";

/// How close to a build's start an input's modification time may be for its stamp to be
/// trusted by the next build: more than any file system's clock tick.
const RACY: Duration = Duration::from_secs(2);

/// What the fingerprint file holds: the digest, and the report of the build that wrote it.
#[derive(Serialize, Deserialize)]
struct Recorded {
    fingerprint: String,
    files: Vec<FileReport>,
    sources: usize,
    days: usize,
    outputs: usize,
    withheld: Vec<WithheldDay>,
}

/// The stamp of the note at `path`, following a link as reading it does.
fn note_stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    meta.is_file().then(|| Stamp::of_metadata(&meta))
}

/// The stamps of `paths`, which lie in one folder, as [`note_stamp`] takes them: looked up
/// from the folder, opened once, rather than each from the start of its path, whose every
/// folder the kernel would look up again for each note.
fn stamps_in_folder(paths: &[&PathBuf]) -> Vec<Option<Stamp>> {
    let Ok(folder) = rustix::fs::open(
        folder_and_name(paths[0]).0,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    ) else {
        return paths.iter().map(|path| note_stamp(path)).collect();
    };
    paths
        .iter()
        .map(|path| {
            // Following a link, as reading the note does.
            let stat =
                rustix::fs::statat(&folder, folder_and_name(path).1, AtFlags::empty()).ok()?;
            (FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile)
                .then(|| Stamp::from_stat(&stat))
        })
        .collect()
}

/// `path` cut at its last `/` into its folder (`.` for a bare name) and its name, as
/// bytes: `Path::parent` and `Path::file_name` parse a path into components, which, done
/// for every note, was a tenth of a no-change build's instructions.
fn folder_and_name(path: &Path) -> (&[u8], &[u8]) {
    let bytes = path.as_os_str().as_encoded_bytes();
    match bytes.iter().rposition(|&b| b == b'/') {
        Some(0) => (b"/", &bytes[1..]),
        Some(slash) => (&bytes[..slash], &bytes[slash + 1..]),
        None => (b".", bytes),
    }
}

/// The part of a build's fingerprint taken before anything is read: the options and every
/// input's path and stamp.
pub(super) struct Fingerprint {
    inputs: [u8; 32],
    /// Whether every input's stamp is old enough for the next build to trust (see [`RACY`]).
    trusted: bool,
}

impl Fingerprint {
    /// The fingerprint of building `sources` with `options`, by a build that started at
    /// `started`, and the stamps of the notes (`sources.files`, in order) taken for it,
    /// which the index pass takes rather than looking at each note again.
    pub(super) fn of(
        options: &BuildOptions,
        sources: &Sources,
        started: SystemTime,
    ) -> (Self, Vec<Option<Stamp>>) {
        let inputs: Vec<&PathBuf> = sources
            .files
            .iter()
            .chain(&sources.notes_sources)
            .chain(&sources.registers)
            .collect();
        let mut stamps: Vec<Option<Stamp>> = inputs
            .par_chunk_by(|a, b| folder_and_name(a).0 == folder_and_name(b).0)
            .flat_map_iter(stamps_in_folder)
            .collect();
        let limit = trusted_before(started);
        let trusted = stamps.iter().all(|s| s.is_some_and(|s| s.modified < limit));
        let mut hasher = Sha256::new();
        hasher.update(format!(
            "daybook {}\n{:?}\n{:?}\n{:?}\n{:?}\n{}\n",
            env!("CARGO_PKG_VERSION"),
            options.input,
            options.formats,
            options.config,
            options.build_time,
            options.max_file_size,
        ));
        for (path, stamp) in inputs.iter().zip(&stamps) {
            hasher.update(path.as_os_str().as_encoded_bytes());
            hash_stamp(&mut hasher, stamp.as_ref());
        }
        hasher.update(format!("{:?}\n", sources.skipped));
        stamps.truncate(sources.files.len());
        let fingerprint = Self {
            inputs: hasher.finalize().into(),
            trusted,
        };
        (fingerprint, stamps)
    }

    /// The whole fingerprint, with the output folder's files and their stamps in path order
    /// (the fingerprint file itself left out).
    fn digest<'a>(&self, outputs: impl Iterator<Item = (&'a str, Stamp)>) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.inputs);
        for (path, stamp) in outputs.filter(|(path, _)| *path != FINGERPRINT) {
            hasher.update(path);
            hash_stamp(&mut hasher, Some(&stamp));
        }
        hex(&hasher.finalize())
    }

    /// The report of the build that recorded this fingerprint in `out` when its files are
    /// still those of `outputs`.
    pub(super) fn recorded(
        &self,
        out: &OutputDir,
        outputs: &BTreeMap<String, Stamp>,
    ) -> Option<Report> {
        let recorded: Recorded = serde_json::from_slice(&out.read(FINGERPRINT)?).ok()?;
        let outputs = outputs.iter().map(|(path, stamp)| (path.as_str(), *stamp));
        (recorded.fingerprint == self.digest(outputs)).then(|| Report {
            files: recorded.files,
            sources: recorded.sources,
            days: recorded.days,
            unchanged: recorded.outputs,
            withheld: recorded.withheld,
            written: Vec::new(),
            removed: Vec::new(),
        })
    }

    /// Records the fingerprint of the output folder the build left (the files it found,
    /// `found`, with the stamps of its `outputs`, in path order, instead of theirs) with its
    /// `report`, unless an input's stamp is too recent to be trusted. A failure to record
    /// costs the next build only its shortcut.
    pub(super) fn record<'a>(
        &self,
        out: &OutputDir,
        found: &'a BTreeMap<String, Stamp>,
        outputs: impl Iterator<Item = (&'a str, Stamp)>,
        report: &Report,
    ) {
        if !self.trusted {
            return;
        }
        let recorded = Recorded {
            fingerprint: self.digest(left(found, outputs)),
            files: report.files.clone(),
            sources: report.sources,
            days: report.days,
            outputs: report.written.len() + report.unchanged,
            withheld: report.withheld.clone(),
        };
        let _ = out.write(FINGERPRINT, |w| {
            serde_json::to_writer(w, &recorded).map_err(Into::into)
        });
    }
}

/// Adds a file's stamp (`None` for a file that could not be looked at), after its path: a
/// NUL, which no path holds, a mark for whether there is a stamp, then its fields as bytes
/// (a no-change build hashes a stamp per input and output, too many to format as text).
fn hash_stamp(hasher: &mut Sha256, stamp: Option<&Stamp>) {
    match stamp {
        None => hasher.update(b"\0-"),
        Some(stamp) => {
            hasher.update(b"\0+");
            hasher.update(stamp.size.to_le_bytes());
            hasher.update(stamp.modified.to_le_bytes());
            hasher.update(stamp.modified_ns.to_le_bytes());
            hasher.update(stamp.inode.to_le_bytes());
        }
    }
}

/// The files of the output folder as a build leaves it, in path order: those it `found`
/// and its `outputs` (in path order too), an output's stamp replacing the one found at its
/// path. Merged as they are rather than into one map, which for a century of notes would
/// copy a hundred thousand paths.
fn left<'a>(
    found: &'a BTreeMap<String, Stamp>,
    outputs: impl Iterator<Item = (&'a str, Stamp)>,
) -> impl Iterator<Item = (&'a str, Stamp)> {
    let mut found = found
        .iter()
        .map(|(path, stamp)| (path.as_str(), *stamp))
        .peekable();
    let mut outputs = outputs.peekable();
    std::iter::from_fn(move || match (found.peek(), outputs.peek()) {
        (Some(f), Some(o)) => match f.0.cmp(o.0) {
            std::cmp::Ordering::Less => found.next(),
            std::cmp::Ordering::Greater => outputs.next(),
            std::cmp::Ordering::Equal => {
                found.next();
                outputs.next()
            }
        },
        (Some(_), None) => found.next(),
        (None, _) => outputs.next(),
    })
}

/// The modification time (seconds since 1970) before which a stamp taken by a build that
/// started at `started` can be trusted by the next one.
pub(super) fn trusted_before(started: SystemTime) -> i64 {
    started
        .checked_sub(RACY)
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |t| t.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fs;
    use std::os::unix::fs::symlink;
    use std::path::PathBuf;

    use super::{Stamp, folder_and_name, left, note_stamp, stamps_in_folder};

    fn stamp(size: u64) -> Stamp {
        Stamp {
            size,
            ..Stamp::default()
        }
    }

    #[test]
    fn the_folder_left_is_what_was_found_with_the_outputs_stamps_in_path_order() {
        let found: BTreeMap<String, Stamp> = [("a", 1), ("manifest.json", 2), ("txt/b", 3)]
            .into_iter()
            .map(|(path, size)| (path.to_owned(), stamp(size)))
            .collect();
        let outputs = [("epub/x", 10), ("txt/b", 30), ("txt/c", 40)]
            .into_iter()
            .map(|(path, size)| (path, stamp(size)));
        let merged: Vec<(&str, u64)> = left(&found, outputs)
            .map(|(path, stamp)| (path, stamp.size))
            .collect();
        assert_eq!(
            merged,
            [
                ("a", 1),
                ("epub/x", 10),
                ("manifest.json", 2),
                ("txt/b", 30),
                ("txt/c", 40)
            ]
        );
    }

    #[test]
    fn a_path_is_cut_into_the_folder_and_name_it_is_found_in() {
        for (path, folder, name) in [
            ("notes/1950/1950-01-22.txt", "notes/1950", "1950-01-22.txt"),
            ("./a.txt", ".", "a.txt"),
            ("a.txt", ".", "a.txt"),
            ("/a.txt", "/", "a.txt"),
        ] {
            let (f, n) = folder_and_name(std::path::Path::new(path));
            assert_eq!((f, n), (folder.as_bytes(), name.as_bytes()), "{path}");
        }
    }

    #[test]
    fn stamps_taken_from_the_folder_are_those_of_the_notes_read_through_their_paths() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("1950");
        fs::create_dir(&folder).unwrap();
        fs::write(folder.join("a.txt"), "January 1, 1950 (Sunday)\n").unwrap();
        fs::write(dir.path().join("target.txt"), "linked\n").unwrap();
        symlink("../target.txt", folder.join("b.txt")).unwrap();
        symlink("..", folder.join("c.txt")).unwrap();
        let paths: Vec<PathBuf> = ["a.txt", "b.txt", "c.txt", "missing.txt"]
            .iter()
            .map(|name| folder.join(name))
            .collect();
        let paths: Vec<&PathBuf> = paths.iter().collect();
        let stamps = stamps_in_folder(&paths);
        let through_paths: Vec<Option<Stamp>> = paths.iter().map(|p| note_stamp(p)).collect();
        assert_eq!(stamps, through_paths);
        // The link's stamp is its target's; a link to a folder, like a missing note, has none.
        assert_eq!(
            stamps.iter().map(|s| s.map(|s| s.size)).collect::<Vec<_>>(),
            [Some(25), Some(7), None, None]
        );
    }
}
