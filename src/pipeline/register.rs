//! Registers in the pipeline: finding the `*.register` files, reading them in parallel,
//! joining them into the collection's one register, and marking mentions in the days read
//! (docs/format.md, "Registers" and "Mentions").
//!
//! Ids and names are scoped to the collection, as note numbers are: an id given twice in
//! one kind is used from neither place, and a name or variant two entries claim marks
//! neither (a variant shared by two entries is an error in the register, not a guess in the
//! text). These checks need every register file, so they are made here.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::{FileReport, read_note};
use crate::ast::{Day, EntityKind, Entry, Position, Register};
use crate::diagnostic::{Code, Diagnostic};
use crate::mentions::{Finding, Matcher};
use crate::syntax::parse_register;

/// The extension of a register file. Not `.toml`: `daybook.toml` and other configuration may
/// sit beside the notes, and a register must be told apart by its name, as a notes source is.
pub const REGISTER_EXTENSION: &str = "register";

/// The collection's register as mention finding uses it.
pub struct Names {
    /// The usable entries.
    pub register: Register,
    matcher: Matcher,
    /// The digest of each usable entry's content (its position aside): a day's key holds
    /// those of the entries it mentions, so editing an entry rebuilds exactly what
    /// mentions it.
    digests: BTreeMap<(EntityKind, String), [u8; 32]>,
    /// The digest of the whole register: notes are marked again when it changes.
    digest: [u8; 32],
    /// Whether correspondents that are not registered are warned about (DB0085).
    warn_unregistered: bool,
}

impl fmt::Debug for Names {
    // Part of what notes were read with: the register's digest stands for its entries.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Names({}, unregistered correspondents {})",
            super::manifest::hex(&self.digest),
            if self.warn_unregistered {
                "warned"
            } else {
                "silent"
            }
        )
    }
}

impl PartialEq for Names {
    fn eq(&self, other: &Self) -> bool {
        self.digest == other.digest && self.warn_unregistered == other.warn_unregistered
    }
}

impl Eq for Names {}

impl Names {
    /// Feeds `hasher` what the TEI and EPUB output of a day mentioning `entities` depends on
    /// in the register.
    pub(super) fn key(&self, entities: &[(EntityKind, String)], hasher: &mut Sha256) {
        hasher.update(b"register");
        for entity in entities {
            hasher.update(entity.1.as_bytes());
            if let Some(digest) = self.digests.get(entity) {
                hasher.update(digest);
            }
        }
    }

    /// Marks the mentions of `day` (text `source`, the bytes of its file decoded) and returns
    /// the diagnostics for what the editor should look at.
    pub(super) fn mark(&self, day: &mut Day, source: Option<&str>) -> Vec<Diagnostic> {
        let findings = self.matcher.mark(day);
        if findings.is_empty() {
            // Nearly every day: the source is split into lines, for positions and snippets,
            // only when there is something to report.
            return Vec::new();
        }
        let lines: Vec<&str> = source
            .map(|s| s.trim_start_matches('\u{FEFF}'))
            .map(|s| s.split('\n').map(|l| l.trim_end_matches('\r')).collect())
            .unwrap_or_default();
        let line = |n: u32| lines.get(n as usize - 1).copied();
        let mut diagnostics = Vec::new();
        for finding in findings {
            match finding {
                Finding::Typo {
                    text_pos,
                    before,
                    typed,
                    name,
                } => {
                    let pos = locate(&lines, text_pos, &before);
                    let mut diagnostic = Diagnostic::new(
                        Code::PossibleNameTypo,
                        pos.line,
                        pos.column,
                        format!("`{typed}` is one edit away from the registered name `{name}`"),
                    )
                    .expected(format!("`{name}` as the register spells it, or a variant of its entry"))
                    .help(format!(
                        "did you mean `{name}`? If `{typed}` is right, add it to the entry's `variants`"
                    ));
                    if let Some(source) = line(pos.line) {
                        diagnostic = diagnostic.with_source_line(source);
                    }
                    diagnostics.push(diagnostic);
                }
                Finding::Unregistered { pos, role, name } if self.warn_unregistered => {
                    let mut diagnostic = Diagnostic::new(
                        Code::UnregisteredCorrespondent,
                        pos.line,
                        pos.column,
                        format!("the {role} `{name}` is not in the register"),
                    )
                    .expected(format!(
                        "a `[[person]]` entry with `{name}` as its name or a variant"
                    ));
                    if let Some(source) = line(pos.line) {
                        diagnostic = diagnostic.with_source_line(source);
                    }
                    diagnostics.push(diagnostic);
                }
                Finding::Unregistered { .. } => {}
            }
        }
        diagnostics
    }
}

/// The source position of the end of `prefix`, the start of a text at `start` whose
/// source lines were joined with single spaces: the grammar keeps no position inside joined
/// text, so the text is followed again through the source lines (`lines`).
fn locate(lines: &[&str], start: Position, prefix: &str) -> Position {
    struct Cursor<'l> {
        lines: &'l [&'l str],
        line: usize,
        chars: Vec<char>,
        column: usize,
    }
    impl Cursor<'_> {
        fn next_line(&mut self) -> bool {
            let Some(next) = self.lines.get(self.line) else {
                return false;
            };
            self.line += 1;
            self.chars = next.chars().collect();
            self.column = 0;
            true
        }

        /// Moves past whitespace and line ends to the next character; false at the end.
        fn skip_space(&mut self) -> bool {
            loop {
                match self.chars.get(self.column).copied() {
                    Some(c) if c.is_whitespace() => self.column += 1,
                    Some(_) => return true,
                    None if self.next_line() => {}
                    None => return false,
                }
            }
        }
    }
    let Some(first) = lines.get((start.line as usize).wrapping_sub(1)) else {
        return start;
    };
    let mut cursor = Cursor {
        lines,
        line: start.line as usize,
        chars: first.chars().collect(),
        column: (start.column as usize).saturating_sub(1),
    };
    for c in prefix.chars() {
        if c == ' ' && cursor.chars.get(cursor.column) == Some(&' ') {
            cursor.column += 1;
        } else if c == ' ' {
            // A line end: the separator the grammar put between two joined lines.
            if !cursor.next_line() {
                return start;
            }
        } else if cursor.skip_space() {
            cursor.column += 1;
        } else {
            return start;
        }
    }
    if !cursor.skip_space() {
        return start;
    }
    Position::new(
        u32::try_from(cursor.line).unwrap_or(u32::MAX),
        u32::try_from(cursor.column + 1).unwrap_or(u32::MAX),
    )
}

/// One register file as read.
struct RegisterFile {
    shown: String,
    entries: Vec<Entry>,
    diagnostics: Vec<Diagnostic>,
}

/// The register loaded from the collection's register files.
#[derive(Default)]
pub(super) struct Loaded {
    /// The register, `None` when the collection has no register file: the editions are then
    /// as they were before registers existed.
    pub names: Option<Arc<Names>>,
    /// The register files with diagnostics, in path order.
    pub reports: Vec<FileReport>,
}

/// Reads the register files `paths` and joins them into one register.
pub(super) fn load(paths: &[PathBuf], max_file_size: u64, warn_unregistered: bool) -> Loaded {
    if paths.is_empty() {
        return Loaded::default();
    }
    let mut files: Vec<RegisterFile> = paths
        .par_iter()
        .map(|path| {
            let shown = crate::text::shown_path(path);
            match read_note(path, max_file_size) {
                Ok(bytes) => {
                    let parsed = parse_register(&bytes);
                    RegisterFile {
                        shown,
                        entries: parsed.entries,
                        diagnostics: parsed.diagnostics,
                    }
                }
                Err(diagnostic) => RegisterFile {
                    shown,
                    entries: Vec::new(),
                    diagnostics: vec![diagnostic],
                },
            }
        })
        .collect();

    let mut ids: BTreeMap<(EntityKind, String), Vec<(usize, Position)>> = BTreeMap::new();
    let mut claims: BTreeMap<String, Vec<(usize, Position, EntityKind, String)>> = BTreeMap::new();
    for (index, file) in files.iter().enumerate() {
        for entry in &file.entries {
            ids.entry((entry.kind, entry.id.clone()))
                .or_default()
                .push((index, entry.pos));
            let mut own: Vec<String> = std::iter::once(&entry.name)
                .chain(&entry.variants)
                .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            own.sort();
            own.dedup();
            for name in own {
                claims.entry(name).or_default().push((
                    index,
                    entry.pos,
                    entry.kind,
                    entry.id.clone(),
                ));
            }
        }
    }
    let at = |files: &[RegisterFile], (i, p): (usize, Position)| {
        format!("{}:{}", files[i].shown, p.line)
    };
    for ((kind, id), places) in ids.iter().filter(|(_, places)| places.len() > 1) {
        for &place in places {
            let others: Vec<String> = places
                .iter()
                .filter(|&&other| other != place)
                .map(|&other| at(&files, other))
                .collect();
            files[place.0].diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateRegisterId,
                    place.1.line,
                    place.1.column,
                    format!(
                        "the {} id `{id}` is also given at {}; neither entry is used",
                        kind.table(),
                        others.join(", ")
                    ),
                )
                .expected(format!(
                    "each {} id given once in the collection's registers",
                    kind.table()
                )),
            );
        }
    }
    for (name, claimants) in &claims {
        if claimants.len() < 2 {
            continue;
        }
        for claimant in claimants {
            let others: Vec<String> = claimants
                .iter()
                .filter(|other| *other != claimant)
                .map(|other| format!("`{}` ({})", other.3, at(&files, (other.0, other.1))))
                .collect();
            files[claimant.0].diagnostics.push(
                Diagnostic::new(
                    Code::SharedVariant,
                    claimant.1.line,
                    claimant.1.column,
                    format!(
                        "the name `{name}` of `{}` is also claimed by {}; no mention is marked with it",
                        claimant.3,
                        others.join(", ")
                    ),
                )
                .expected("each name or variant in one entry only")
                .help(format!(
                    "keep `{name}` in the entry it means most often, or use a longer variant in the others"
                )),
            );
        }
    }

    let mut register = Register::new();
    let mut digests = BTreeMap::new();
    for file in &mut files {
        for entry in std::mem::take(&mut file.entries) {
            let key = (entry.kind, entry.id.clone());
            if ids[&key].len() != 1 {
                continue;
            }
            let mut content = entry.clone();
            content.pos = Position::default();
            let json = serde_json::to_vec(&content).unwrap_or_default();
            digests.insert(key.clone(), Sha256::digest(&json).into());
            register.entries.insert(key, entry);
        }
        file.diagnostics.sort_by_key(|d| (d.line, d.column));
    }
    let mut whole = Sha256::new();
    for ((kind, id), digest) in &digests {
        whole.update(kind.table());
        whole.update(id.as_bytes());
        whole.update(digest);
    }
    let names = Names {
        matcher: Matcher::new(&register),
        register,
        digests,
        digest: whole.finalize().into(),
        warn_unregistered,
    };
    Loaded {
        names: Some(Arc::new(names)),
        reports: files
            .into_iter()
            .filter(|f| !f.diagnostics.is_empty())
            .map(|f| FileReport {
                file: f.shown,
                diagnostics: f.diagnostics,
            })
            .collect(),
    }
}
