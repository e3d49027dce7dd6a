//! The editions: writers that turn day ASTs into text, TEI and EPUB.
//!
//! Writers see only the AST and a [`Context`] describing the collection; they never read
//! source text or touch the filesystem (the pipeline does both).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};

use crate::ast::{Day, Note, NoteRef, Register};
pub use crate::ast::{long_date, weekday_name};

pub mod epub;
pub mod html;
pub mod notes;
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
    /// A static web site: a page per day, month and year, and an index.
    Html,
}

impl Format {
    /// Every format, in the order they are built.
    pub const ALL: [Format; 4] = [Format::Txt, Format::Tei, Format::Epub, Format::Html];

    /// The name used on the command line and as the output sub-folder.
    pub fn name(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Tei => "tei",
            Format::Epub => "epub",
            Format::Html => "html",
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
    /// The collection's subtitle: shown under the title of a book or corpus that holds the
    /// whole collection, and in the series statement of each day.
    pub subtitle: Option<String>,
    /// The subtitles of single volumes, by the volume's name (`1950`, `January 1950`): a
    /// volume's book and corpus carry its own subtitle, never the collection's.
    pub volume_subtitles: BTreeMap<String, String>,
    /// The editors of the edition; when there are none, the publisher is credited as the
    /// party responsible for it.
    pub editors: Vec<String>,
    /// Who publishes the edition.
    pub publisher: String,
    /// The BCP 47 language of the notes.
    pub language: String,
    /// The licence the edition is under; `None` when the editor has not stated one, which the
    /// editions say rather than claim a licence.
    pub licence: Option<Licence>,
    /// The base of the edition's identifiers (a URI or URN prefix).
    pub identifier_base: String,
    /// Subject headings.
    pub subjects: Vec<String>,
    /// Human labels of media kind codes, `pic` → `Photograph`.
    pub media_kinds: BTreeMap<String, String>,
    /// Who evaluated the books' accessibility (EPUB Accessibility 1.1 `a11y:certifiedBy`);
    /// only then do they claim conformance.
    pub accessibility_certified_by: Option<String>,
    /// The address the web edition is published at, ending in `/`; `None` when the
    /// configuration does not say, and the site then has no sitemap.
    pub site_url: Option<String>,
    /// The build time, from `SOURCE_DATE_EPOCH` when set; `None` keeps it out of outputs
    /// that can do without it, so that they stay reproducible.
    pub build_time: Option<DateTime<Utc>>,
}

impl Default for Metadata {
    fn default() -> Self {
        Self {
            title: "Day notes".to_owned(),
            subtitle: None,
            volume_subtitles: BTreeMap::new(),
            editors: Vec::new(),
            publisher: "daybook".to_owned(),
            language: "en".to_owned(),
            licence: None,
            identifier_base: "urn:daybook:".to_owned(),
            subjects: Vec::new(),
            media_kinds: BTreeMap::new(),
            accessibility_certified_by: None,
            site_url: None,
            build_time: None,
        }
    }
}

impl Metadata {
    /// The human label of a media kind code, when the configuration gives one.
    pub fn media_label(&self, kind: &str) -> Option<&str> {
        self.media_kinds.get(kind).map(String::as_str)
    }

    /// The subtitle of the volume `volume` (`1950`, `January 1950`), or of the whole
    /// collection when `volume` is empty. A fixed collection subtitle such as "January and
    /// February 1950" would be false of every other volume, so volumes take theirs only from
    /// [`Metadata::volume_subtitles`].
    pub fn subtitle_of(&self, volume: &str) -> Option<&str> {
        let subtitle = if volume.is_empty() {
            self.subtitle.as_deref()
        } else {
            self.volume_subtitles.get(volume).map(String::as_str)
        };
        subtitle.filter(|subtitle| !subtitle.trim().is_empty())
    }

    /// The editors with a name, in the order given.
    pub fn named_editors(&self) -> impl Iterator<Item = &str> {
        self.editors
            .iter()
            .map(|editor| editor.trim())
            .filter(|editor| !editor.is_empty())
    }

    /// What the editions say of the licence: its name and SPDX id, or that none was stated.
    pub fn licence_statement(&self) -> String {
        match &self.licence {
            Some(licence) => format!("{} ({})", licence.name, licence.spdx),
            None => NO_LICENCE.to_owned(),
        }
    }
}

/// What the editions say when the editor has stated no licence: a curator can tell it from a
/// licence, which "All rights reserved." (the old default) could not be.
pub const NO_LICENCE: &str = "No licence has been stated for this edition.";

/// A licence the edition can be under: an SPDX identifier with its name and the URI that
/// repositories ingest (TEI `licence/@target`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Licence {
    /// The SPDX identifier, `CC-BY-4.0`.
    pub spdx: String,
    /// Its full name.
    pub name: String,
    /// The licence's canonical URI.
    pub url: String,
}

/// The licences daybook knows, by SPDX id: those a text edition is usually published under.
pub const LICENCES: [(&str, &str, &str); 8] = [
    (
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    (
        "CC-BY-SA-4.0",
        "Creative Commons Attribution-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    (
        "CC-BY-NC-4.0",
        "Creative Commons Attribution-NonCommercial 4.0 International",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ),
    (
        "CC-BY-NC-SA-4.0",
        "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    ),
    (
        "CC-BY-ND-4.0",
        "Creative Commons Attribution-NoDerivatives 4.0 International",
        "https://creativecommons.org/licenses/by-nd/4.0/",
    ),
    (
        "CC-BY-NC-ND-4.0",
        "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International",
        "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    ),
    (
        "CC0-1.0",
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    (
        "ODC-By-1.0",
        "Open Data Commons Attribution License v1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
];

impl Licence {
    /// The licence with the SPDX id `spdx` (compared without regard to case).
    pub fn from_spdx(spdx: &str) -> Option<Self> {
        LICENCES
            .iter()
            .find(|(id, _, _)| id.eq_ignore_ascii_case(spdx.trim()))
            .map(|(id, name, url)| Self {
                spdx: (*id).to_owned(),
                name: (*name).to_owned(),
                url: (*url).to_owned(),
            })
    }
}

/// The notes citations resolve against, by number: those of the collection's notes sources
/// that the pipeline could use (a number given twice is in neither place).
pub type Notes = BTreeMap<u32, Note>;

/// No notes: the context of a collection without a notes source.
pub static NO_NOTES: Notes = Notes::new();

/// No register: the context of a collection without a register file.
pub static NO_REGISTER: Register = Register::new();

/// What a writer knows of the collection.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Every day present in the collection: cross-references to these become links.
    pub days: &'a BTreeSet<NaiveDate>,
    /// Edition-wide metadata.
    pub metadata: &'a Metadata,
    /// The notes citations resolve against; empty without a notes source, and the editions
    /// are then as they were before notes existed.
    pub notes: &'a Notes,
    /// The persons and places names in the days are linked to; empty without a register
    /// file, and the editions are then as they were before registers existed.
    pub register: &'a Register,
}

impl<'a> Context<'a> {
    /// Whether a cross-reference to `date` can be a link.
    pub fn has_day(&self, date: NaiveDate) -> bool {
        self.days.contains(&date)
    }

    /// The notes that `cited` names and the collection holds, in number order.
    pub fn notes_of(&self, cited: NoteRef) -> impl Iterator<Item = &'a Note> + use<'a> {
        let (low, high) = cited.bounds();
        self.notes.range(low..=high).map(|(_, note)| note)
    }
}

/// Whether XML 1.0 can carry `c`.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// An element's name in a buffer with room for its attributes, for an element that has
/// some. quick-xml copies a borrowed name into a buffer of its own length at the first
/// attribute and grows it at each one after: those reallocations were most of the cost of
/// an attribute, and attributes a tenth of writing the editions.
pub(crate) fn tag(name: &str) -> String {
    const ATTRIBUTES: usize = 96;
    let mut buffer = String::with_capacity(name.len() + ATTRIBUTES);
    buffer.push_str(name);
    buffer
}

/// `text` as XML character data: made XML-safe, with `<`, `>` (so that `]]>` is safe), `&`
/// and carriage returns escaped and quote marks left readable, as they need no escaping in
/// text. Nearly all text holds none of those four: two vectorised searches then spare it
/// quick-xml's loop over every byte.
pub(crate) fn character_data(text: &str) -> Cow<'_, str> {
    let safe = xml_safe(text);
    let bytes = safe.as_bytes();
    if memchr::memchr3(b'<', b'>', b'&', bytes).is_none() && memchr::memchr(b'\r', bytes).is_none()
    {
        safe
    } else {
        quick_xml::escape::partial_escape(safe)
    }
}

/// `text` with every character XML 1.0 forbids replaced by U+FFFD, visibly.
///
/// The grammar already replaces and reports such characters; this guards ASTs that come
/// from elsewhere (JSON) so that no writer can ever emit an ill-formed document.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    // Only a C0 control or a character from U+F000 up (lead byte 0xEF, which U+FFFE and
    // U+FFFF have) can be forbidden: a branch-free look at the bytes, which the compiler
    // vectorises, spares decoding every string of every edition.
    let suspicious = text.bytes().fold(false, |found, b| {
        found | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0xEF)
    });
    if !suspicious || text.chars().all(is_xml_char) {
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

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::xml_safe;

    #[test]
    fn xml_safe_replaces_exactly_the_characters_xml_forbids() {
        for allowed in [
            "plain",
            "tab\tnew\nline\rreturn",
            "“curly” ＦＵＬＬ �",
            "\u{F000}\u{FFFD}",
            "𝄞",
        ] {
            assert!(matches!(xml_safe(allowed), Cow::Borrowed(_)), "{allowed:?}");
        }
        assert_eq!(xml_safe("a\u{0}b\u{1F}c"), "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(xml_safe("\u{FFFE}x\u{FFFF}"), "\u{FFFD}x\u{FFFD}");
        assert_eq!(
            xml_safe("\u{7F}\u{85}"),
            "\u{7F}\u{85}",
            "XML 1.0 allows DEL and C1"
        );
    }
}
