//! XHTML from the AST, for the EPUB edition's content documents (the cover, the title page, a
//! chapter per day, the colophon and the navigation document) and the web edition's day
//! pages, which share one day writer ([`write_day`]) and differ only by [`Target`].
//!
//! One `write_*` function per AST level turns a [`Day`] into XHTML with quick-xml's
//! [`Writer`], so that escaping is never done by hand; every string from the AST goes
//! through [`xml_safe`] first. The markup is plain XHTML5 with a CSS class on each kind of
//! block, so that the stylesheet (and any other reading system) can tell them apart.
//!
//! A sentence that runs through a list (FORMAT.md, "List inside a sentence") becomes
//! `<div class="para">`, holding the text runs directly and the list as
//! `<ol class="in-sentence">`. HTML's content model closes a `<p>` at the first `<ol>`, so a
//! `<p>` cannot hold the list; splitting the sentence into several `<p>` would make screen
//! readers and text extractors announce three paragraphs. A `<div>` may mix phrasing and
//! flow content, so the sentence stays one element, and the stylesheet gives it the look of
//! a paragraph.

mod day;
mod document;
mod front;
mod indexes;
mod nav;
mod notes;

#[cfg(test)]
pub(crate) mod build;

use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::NaiveDate;
use quick_xml::Writer;
use quick_xml::events::{BytesText, Event};

pub use day::{day_id, write_day};
pub use document::{Page, write_document};
pub(crate) use front::edited_by;
pub use front::{Colophon, Front, write_colophon, write_cover, write_title_page};
pub use indexes::{Index, PERSONS_HREF, PLACES_HREF, index_of};
pub use nav::{Landmark, NavEntry, write_nav};
pub use notes::{Cited, Endnotes, NOTES_HREF};

use super::{Metadata, character_data};

/// The chapters that cross-references may link to: a day's date → the href of its chapter.
///
/// A cross-reference whose target is missing here stays text.
pub type Links = BTreeMap<NaiveDate, String>;

/// What a chapter needs to know of its book besides its day.
#[derive(Debug, Clone, Copy)]
pub struct Book<'a> {
    /// The chapters cross-references may link to.
    pub links: &'a Links,
    /// The edition's metadata: the labels of media kinds.
    pub metadata: &'a Metadata,
    /// The book's endnotes, which citations become references to; `None` (or notes that
    /// none of them names) leaves citations as superscript numbers.
    pub endnotes: Option<&'a Endnotes<'a>>,
    /// Where the XHTML goes: it decides the EPUB-only semantics.
    pub target: Target,
}

/// Where a day's XHTML is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An EPUB chapter: `epub:type` structural semantics beside their ARIA roles.
    Epub,
    /// A web page served as HTML, where `epub:type` is no attribute a browser or validator
    /// knows: the day is an `<article>`, with the ARIA semantics only.
    Web,
}

fn text<W: Write>(w: &mut Writer<W>, words: &str) -> io::Result<()> {
    w.write_event(Event::Text(escaped(words)))
}

/// `words` as XML character data. Only `<`, `>` and `&` are escaped: quick-xml's default
/// also turns every apostrophe and quote into an entity, which is valid but makes the
/// chapters needlessly hard to read as source.
pub(crate) fn escaped(words: &str) -> BytesText<'_> {
    BytesText::from_escaped(character_data(words))
}

/// A line break between block elements, where whitespace is insignificant, so that the
/// documents read well as source without an indenting writer (which would put whitespace
/// inside running text).
fn newline<W: Write>(w: &mut Writer<W>) -> io::Result<()> {
    w.write_event(Event::Text(BytesText::new("\n")))
}
