//! The editions: writers that turn day ASTs into text, TEI and EPUB.
//!
//! Writers see only the AST and a [`Context`] describing the collection; they never read
//! source text or touch the filesystem (the pipeline does both).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};

use crate::ast::Day;
pub use crate::ast::{long_date, weekday_name};

pub mod epub;
pub mod tei;
pub mod text;
pub mod xhtml;

/// An edition daybook can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// The canonical plain-text edition, itself valid day-note input.
    Txt,
    /// TEI P5 XML: a document per day and a corpus per year.
    Tei,
    /// An EPUB 3 book per year.
    Epub,
}

impl Format {
    /// Every format, in the order they are built.
    pub const ALL: [Format; 3] = [Format::Txt, Format::Tei, Format::Epub];

    /// The name used on the command line and as the output sub-folder.
    pub fn name(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Tei => "tei",
            Format::Epub => "epub",
        }
    }
}

/// A parsed day together with the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcedDay {
    /// The day's AST.
    pub day: Day,
    /// The source file, relative to the input folder, with `/` separators.
    pub source: String,
}

/// Facts about the edition as a whole that writers need besides one day's AST; built from
/// the configuration (`daybook.toml`) and the build time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// The collection's title.
    pub title: String,
    /// A subtitle, shown under the title.
    pub subtitle: Option<String>,
    /// The editors of the edition.
    pub editors: Vec<String>,
    /// Who publishes the edition.
    pub publisher: String,
    /// The BCP 47 language of the notes.
    pub language: String,
    /// The licence statement.
    pub licence: String,
    /// The base of the edition's identifiers (a URI or URN prefix).
    pub identifier_base: String,
    /// Subject headings.
    pub subjects: Vec<String>,
    /// Human labels of media kind codes, `pic` → `Photograph`.
    pub media_kinds: BTreeMap<String, String>,
    /// The build time, from `SOURCE_DATE_EPOCH` when set; `None` keeps it out of outputs
    /// that can do without it, so that they stay reproducible.
    pub build_time: Option<DateTime<Utc>>,
}

impl Default for Metadata {
    fn default() -> Self {
        Self {
            title: "Day notes".to_owned(),
            subtitle: None,
            editors: Vec::new(),
            publisher: "daybook".to_owned(),
            language: "en".to_owned(),
            licence: "All rights reserved.".to_owned(),
            identifier_base: "urn:daybook:".to_owned(),
            subjects: Vec::new(),
            media_kinds: BTreeMap::new(),
            build_time: None,
        }
    }
}

impl Metadata {
    /// The human label of a media kind code, when the configuration gives one.
    pub fn media_label(&self, kind: &str) -> Option<&str> {
        self.media_kinds.get(kind).map(String::as_str)
    }
}

/// What a writer knows of the collection.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Every day present in the collection: cross-references to these become links.
    pub days: &'a BTreeSet<NaiveDate>,
    /// Edition-wide metadata.
    pub metadata: &'a Metadata,
}

impl Context<'_> {
    /// Whether a cross-reference to `date` can be a link.
    pub fn has_day(&self, date: NaiveDate) -> bool {
        self.days.contains(&date)
    }
}

/// Whether XML 1.0 can carry `c`.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` with every character XML 1.0 forbids replaced by U+FFFD, visibly.
///
/// The grammar already replaces and reports such characters; this guards ASTs that come
/// from elsewhere (JSON) so that no writer can ever emit an ill-formed document.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_xml_char) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(
            text.chars()
                .map(|c| {
                    if is_xml_char(c) {
                        c
                    } else {
                        char::REPLACEMENT_CHARACTER
                    }
                })
                .collect(),
        )
    }
}

/// Why an edition could not be written.
#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    /// Writing the output failed.
    #[error("cannot write the edition")]
    Io(#[from] std::io::Error),
    /// The EPUB library refused the book.
    #[error("cannot assemble the EPUB: {0}")]
    Epub(String),
}
