//! What a check or build found and did: the diagnostics by file, the withheld days, the
//! outputs written, unchanged and removed.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Severity};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// The reports of the notes and of the inputs skipped beside them, in file order.
pub(super) fn merge_reports(
    mut reports: Vec<FileReport>,
    more: Vec<FileReport>,
) -> Vec<FileReport> {
    if !more.is_empty() {
        reports.extend(more);
        reports.sort_by(|a, b| a.file.cmp(&b.file));
    }
    reports
}
