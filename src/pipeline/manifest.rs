//! `output/manifest.json`: every output with its digest, key, sources and stamp, and the
//! build's diagnostics; the previous build's manifest is what [`super::plan`] compares with.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::FileReport;
use super::index::NoteRecord;
use super::output_dir::{OutputDir, Stamp};
use super::plan::{Planned, Written};

/// The manifest's file name inside the output folder.
pub const MANIFEST: &str = "manifest.json";

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
    /// What the notes were read with (daybook's version and the reading options): the
    /// records in `notes` are reused only by a build that reads notes the same way.
    #[serde(default)]
    pub reading: String,
    /// Every note read without error, with its stamp and what the index pass learnt from
    /// it, so that the next build need not read it again while its stamp is unchanged.
    #[serde(default)]
    pub notes: Vec<NoteRecord>,
}

impl Manifest {
    /// The notes recorded by a build that read them as `reading`, by path.
    pub(super) fn notes_read_as(&self, reading: &str) -> BTreeMap<&str, &NoteRecord> {
        if self.reading != reading {
            return BTreeMap::new();
        }
        self.notes.iter().map(|n| (n.path(), n)).collect()
    }

    pub(super) fn load(output: &OutputDir) -> Option<Self> {
        serde_json::from_slice(&output.read(MANIFEST)?).ok()
    }

    /// The manifest of a build that planned `planned`, whose files (written now or
    /// unchanged) have the digests and stamps in `files`.
    pub(super) fn new(
        planned: &[Planned],
        files: &BTreeMap<String, Written>,
        diagnostics: Vec<FileReport>,
        reading: String,
        notes: Vec<NoteRecord>,
    ) -> Self {
        Self {
            daybook: env!("CARGO_PKG_VERSION").to_owned(),
            outputs: planned
                .iter()
                .map(|p| {
                    let (sha256, stamp) = files.get(&p.path).cloned().unwrap_or_default();
                    ManifestOutput {
                        path: p.path.clone(),
                        sha256,
                        key: p.key.clone(),
                        sources: p.sources.clone(),
                        stamp,
                    }
                })
                .collect(),
            diagnostics,
            reading,
            notes,
        }
    }
}
