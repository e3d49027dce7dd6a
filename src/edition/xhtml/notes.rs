//! Endnotes in the EPUB edition: citations as note references (`epub:type="noteref"`,
//! `role="doc-noteref"`) into one notes document per book (`role="doc-endnotes"`), whose
//! endnotes (`epub:type="endnote"`) link back (`role="doc-backlink"`) to every place of the
//! book that cites them, as Standard Ebooks' endnotes do.
//!
//! The chapters are written first and record each note reference they write in
//! [`Endnotes`]; the notes document is written from that record, so that it holds exactly the
//! notes the book cites and each back link reaches a reference that was written.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::NaiveDate;
use quick_xml::Writer;

use super::{Target, newline, text};
use crate::ast::{Citation, Note, NoteInline, NoteRef, QuoteMarks};
use crate::edition::notes::note_id;
use crate::edition::{Notes, long_date, tag, xml_safe};

/// The notes document's file name in the book.
pub const NOTES_HREF: &str = "notes.xhtml";

/// A place that cites a note: the href of its note reference and the day it is in.
#[derive(Debug, Clone)]
struct Place {
    href: String,
    date: NaiveDate,
}

/// The collection's notes as a book uses them, and the note references its chapters wrote.
#[derive(Debug)]
pub struct Endnotes<'a> {
    notes: &'a Notes,
    /// Where the notes are written: the book's notes document, or the page citing them.
    target: Target,
    /// The chapter being written: its href and its day.
    chapter: RefCell<(String, Option<NaiveDate>)>,
    /// How many note references the chapter being written holds so far: each gets an `id`
    /// of its own, `noteref-1`, for the back links to reach. They are numbered within their
    /// chapter, as on a web page, so that a chapter's ids do not depend on the chapters
    /// before it and runs of chapters can be written apart.
    count: Cell<usize>,
    /// The places citing each note, in the order written.
    places: RefCell<Cited>,
}

/// The places of some chapters that cite each note, in the order written: what a run of
/// chapters written with its own [`Endnotes`] adds to the book's ([`Endnotes::cite`]).
#[derive(Debug, Default)]
pub struct Cited(BTreeMap<u32, Vec<Place>>);

impl<'a> Endnotes<'a> {
    /// Endnotes from `notes`, before any chapter is written.
    pub fn new(notes: &'a Notes) -> Self {
        Self::for_target(notes, Target::Epub)
    }

    /// Endnotes written at the foot of the one web page that cites them, before the page is
    /// written: note references and back links stay within the page.
    pub fn on_page(notes: &'a Notes) -> Self {
        Self::for_target(notes, Target::Web)
    }

    fn for_target(notes: &'a Notes, target: Target) -> Self {
        Self {
            notes,
            target,
            chapter: RefCell::new((String::new(), None)),
            count: Cell::new(0),
            places: RefCell::new(Cited::default()),
        }
    }

    /// The chapters written from now on are `href`, the chapter of `date`.
    pub fn chapter(&self, href: &str, date: NaiveDate) {
        *self.chapter.borrow_mut() = (href.to_owned(), Some(date));
        self.count.set(0);
    }

    /// Whether no chapter has cited a note: the book then has no notes document.
    pub fn is_empty(&self) -> bool {
        self.places.borrow().0.is_empty()
    }

    /// What the chapters written with these endnotes cited.
    pub fn into_cited(self) -> Cited {
        self.places.into_inner()
    }

    /// Adds what other chapters, written after those written so far, cited.
    pub fn cite(&self, cited: &Cited) {
        let mut places = self.places.borrow_mut();
        for (&number, more) in &cited.0 {
            places.0.entry(number).or_default().extend_from_slice(more);
        }
    }

    /// The notes `cited` names that the collection holds, in number order.
    fn held(&self, cited: NoteRef) -> Vec<&'a Note> {
        let (low, high) = cited.bounds();
        self.notes.range(low..=high).map(|(_, note)| note).collect()
    }

    /// Whether the collection holds any note that `citation` names.
    pub(super) fn resolves(&self, citation: &Citation) -> bool {
        citation.notes.iter().any(|&n| !self.held(n).is_empty())
    }

    /// Writes `citation` as `<sup>` holding a note reference for each number or range whose
    /// notes the collection holds (the others stay text), separated as written.
    pub(super) fn write_citation<W: Write>(
        &self,
        w: &mut Writer<W>,
        citation: &Citation,
    ) -> io::Result<()> {
        w.create_element(tag("sup"))
            .with_attribute(("class", "citation"))
            .write_inner_content(|w| {
                for (index, &cited) in citation.notes.iter().enumerate() {
                    if index > 0 {
                        text(w, ", ")?;
                    }
                    self.write_noteref(w, cited)?;
                }
                Ok(())
            })?;
        Ok(())
    }

    fn write_noteref<W: Write>(&self, w: &mut Writer<W>, cited: NoteRef) -> io::Result<()> {
        let shown = match cited {
            NoteRef::Note(n) => n.to_string(),
            // An en dash is the typographic mark of a range.
            NoteRef::Range(from, to) => format!("{from}\u{2013}{to}"),
        };
        let held = self.held(cited);
        let Some(first) = held.first() else {
            return text(w, &shown);
        };
        let number = self.count.get() + 1;
        self.count.set(number);
        let id = format!("noteref-{number}");
        let (chapter, date) = self.chapter.borrow().clone();
        if let Some(date) = date {
            let mut places = self.places.borrow_mut();
            for note in &held {
                places.0.entry(note.number).or_default().push(Place {
                    href: format!("{chapter}#{id}"),
                    date,
                });
            }
        }
        // A range is one reference, to its first note; every note of it links back here.
        let document = match self.target {
            Target::Epub => NOTES_HREF,
            Target::Web => "",
        };
        let href = format!("{document}#{}", note_id(first.number));
        w.create_element(tag("a"))
            .with_attributes([("id", id.as_str()), ("href", href.as_str())])
            .with_attributes(epub_type(self.target, "noteref"))
            .with_attribute(("role", "doc-noteref"))
            .write_text_content(super::escaped(&shown))?;
        Ok(())
    }

    /// Writes the body of the notes document: a heading and the cited notes, in number
    /// order, each with its back links.
    pub fn write_notes<W: Write>(&self, w: &mut Writer<W>) -> io::Result<()> {
        let places = self.places.borrow();
        w.create_element(tag("section"))
            .with_attribute(("class", "endnotes"))
            .with_attributes(epub_type(self.target, "endnotes"))
            .with_attributes([
                ("role", "doc-endnotes"),
                ("aria-labelledby", "notes-heading"),
            ])
            .write_inner_content(|w| {
                newline(w)?;
                // On a web page the day's heading is the one `h1`.
                let heading = match self.target {
                    Target::Epub => "h1",
                    Target::Web => "h2",
                };
                w.create_element(tag(heading))
                    .with_attribute(("id", "notes-heading"))
                    .write_text_content(super::escaped("Notes"))?;
                newline(w)?;
                w.create_element(tag("ol"))
                    .with_attribute(("class", "endnotes"))
                    .write_inner_content(|w| {
                        newline(w)?;
                        for (number, places) in &places.0 {
                            if let Some(note) = self.notes.get(number) {
                                write_endnote(w, note, places, self.target)?;
                            }
                        }
                        Ok(())
                    })?;
                newline(w)
            })?;
        newline(w)
    }
}

fn write_endnote<W: Write>(
    w: &mut Writer<W>,
    note: &Note,
    places: &[Place],
    target: Target,
) -> io::Result<()> {
    let id = note_id(note.number);
    // No `role="doc-endnote"`: DPUB-ARIA 1.1 deprecates it, and EPUBCheck warns of it
    // (RSC-017); an item of the `doc-endnotes` section's list is an endnote without it.
    w.create_element(tag("li"))
        .with_attributes([
            ("id", id.as_str()),
            ("value", note.number.to_string().as_str()),
        ])
        .with_attributes(epub_type(target, "endnote"))
        .write_inner_content(|w| {
            w.create_element("p").write_inner_content(|w| {
                write_note_inlines(w, &note.content, 0)?;
                for (index, place) in places.iter().enumerate() {
                    text(w, " ")?;
                    write_backlink(w, place, places, index, target)?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
    newline(w)
}

/// A back link to `place`, named after its day (and, for a day citing the note more than
/// once, which of its citations it is), so that a reader knows where it leads.
fn write_backlink<W: Write>(
    w: &mut Writer<W>,
    place: &Place,
    places: &[Place],
    index: usize,
    target: Target,
) -> io::Result<()> {
    let same_day = places.iter().filter(|p| p.date == place.date).count();
    let ordinal = places[..index]
        .iter()
        .filter(|p| p.date == place.date)
        .count()
        + 1;
    let day = match same_day {
        1 => long_date(place.date),
        _ => format!("{} ({ordinal})", long_date(place.date)),
    };
    w.create_element(tag("a"))
        .with_attributes([("href", &*xml_safe(&place.href)), ("class", "backlink")])
        .with_attributes(epub_type(target, "backlink"))
        .with_attribute(("role", "doc-backlink"))
        .write_inner_content(|w| {
            // The arrow is a mark for the eye; a screen reader reads the day alone.
            w.create_element(tag("span"))
                .with_attribute(("aria-hidden", "true"))
                .write_text_content(super::escaped("\u{21A9}\u{FE0E}"))?;
            text(w, &format!(" {day}"))
        })?;
    Ok(())
}

/// `depth` counts the quotations around `inlines`, so that nested ones alternate “ ” and ‘ ’
/// as the chapters' do.
fn write_note_inlines<W: Write>(
    w: &mut Writer<W>,
    inlines: &[NoteInline],
    depth: usize,
) -> io::Result<()> {
    for inline in inlines {
        match inline {
            NoteInline::Text { text: words, .. } => text(w, words)?,
            NoteInline::Emphasis { text: words, .. } => {
                w.create_element("i")
                    .write_text_content(super::escaped(words))?;
            }
            NoteInline::Url { url, .. } => {
                w.create_element(tag("a"))
                    .with_attribute(("href", &*xml_safe(url)))
                    .write_text_content(super::escaped(url))?;
            }
            NoteInline::Quote { content, marks, .. } => {
                let (open, close) = match marks {
                    QuoteMarks::Straight | QuoteMarks::Curly if depth.is_multiple_of(2) => {
                        ('\u{201C}', '\u{201D}')
                    }
                    QuoteMarks::Straight | QuoteMarks::Curly => ('\u{2018}', '\u{2019}'),
                    QuoteMarks::Low | QuoteMarks::Guillemets => marks.pair(),
                };
                w.create_element(tag("span"))
                    .with_attribute(("class", "quote"))
                    .write_inner_content(|w| {
                        text(w, open.encode_utf8(&mut [0; 4]))?;
                        write_note_inlines(w, content, depth + 1)?;
                        text(w, close.encode_utf8(&mut [0; 4]))
                    })?;
            }
        }
    }
    Ok(())
}

/// The `epub:type` of an element in an EPUB; none on a web page, where no browser knows it.
fn epub_type(target: Target, kind: &str) -> Option<(&'static str, &str)> {
    (target == Target::Epub).then_some(("epub:type", kind))
}
