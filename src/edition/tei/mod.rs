//! The TEI P5 edition: a `<TEI>` document per day and a `<teiCorpus>` per year, shaped as the
//! encoding profile in `shared/TEI.md` prescribes (mapping and choices: `docs/tei-encoding.md`).
//!
//! This file holds the two entry points and the writer they share; the header, the day's
//! text, correspondence, notes and the register each have a file of their own.

mod body;
mod correspondence;
mod header;
mod notes;
mod register;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::io::{self, Write};

use chrono::NaiveDate;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::notes::cited_notes;
use super::{Context, EditionError, SourcedDay, character_data, tag, xml_safe};

/// The TEI namespace, declared once on the root element.
const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

/// One level of indentation in element-only content.
const INDENT: &str = "  ";
/// Writes one day as a `<TEI>` document.
///
/// Resolved cross-references point to the other day's file beside this one
/// (`1950-01-19.xml#day-1950-01-19`), as the pipeline writes a year's days into one folder.
pub fn write_day<W: Write>(day: &SourcedDay, ctx: &Context, out: W) -> Result<(), EditionError> {
    let mut tei = TeiWriter::new(out, ctx, Links::Files);
    tei.write_declaration()?;
    tei.write_tei(day, true)?;
    tei.finish()?;
    Ok(())
}

/// Writes a year's days, in date order, as one `<teiCorpus>`.
///
/// Resolved cross-references point into the corpus itself (`#day-1950-01-19`). A corpus
/// needs at least one day (TEI requires a `<TEI>` in every `<teiCorpus>`): an empty `days`
/// is refused with an [`io::ErrorKind::InvalidInput`] error and nothing is written.
pub fn write_corpus<W: Write>(
    year: i32,
    days: &[SourcedDay],
    ctx: &Context,
    out: W,
) -> Result<(), EditionError> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        let message = format!("the TEI corpus for {year} would hold no day");
        return Err(io::Error::new(io::ErrorKind::InvalidInput, message).into());
    };
    let mut tei = TeiWriter::new(out, ctx, Links::Corpus);
    tei.write_declaration()?;
    tei.open(tei.root("teiCorpus"))?;
    tei.write_corpus_header(year, days, (first.day.date(), last.day.date()))?;
    tei.write_stand_off(
        &cited_notes(ctx, days.iter().map(|d| &d.day)),
        &register::mentioned(ctx, days.iter().map(|d| &d.day)),
    )?;
    for day in days {
        tei.write_tei(day, false)?;
    }
    tei.close("teiCorpus")?;
    tei.finish()?;
    Ok(())
}

/// Where a resolved cross-reference points.
#[derive(Debug, Clone, Copy)]
enum Links {
    /// To the other day's own file, in the same folder.
    Files,
    /// To the other day's `div` in the same corpus document.
    Corpus,
}

/// A quick-xml writer that indents element-only content and leaves mixed content untouched.
///
/// quick-xml's own indentation breaks the line before any start tag that follows an end tag,
/// which would put whitespace into `<p>a<ref>[1]</ref><q>b</q></p>`; so indentation is
/// written here, and only where the content model holds elements alone.
struct TeiWriter<'a, W: Write> {
    xml: Writer<W>,
    depth: usize,
    ctx: Context<'a>,
    links: Links,
}

impl<'a, W: Write> TeiWriter<'a, W> {
    fn new(out: W, ctx: &Context<'a>, links: Links) -> Self {
        Self {
            xml: Writer::new(out),
            depth: 0,
            ctx: *ctx,
            links,
        }
    }

    fn write_declaration(&mut self) -> io::Result<()> {
        self.xml
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
    }

    /// Ends the file with a newline and flushes it.
    fn finish(mut self) -> io::Result<()> {
        self.newline()?;
        self.xml.into_inner().flush()
    }

    // Primitives. Every text and attribute value goes through `xml_safe`, and quick-xml
    // escapes it.

    /// The start tag of the root element, declaring the namespace and the language.
    fn root(&self, name: &'static str) -> BytesStart<'static> {
        element(
            name,
            &[("xmlns", TEI_NS), ("xml:lang", &self.ctx.metadata.language)],
        )
    }

    fn newline(&mut self) -> io::Result<()> {
        // Sliced from one string rather than formatted per line: a year's corpus has
        // hundreds of thousands of lines.
        const NEWLINES: &str = concat!("\n", "                                        ");
        let width = 1 + self.depth * INDENT.len();
        let indent = match NEWLINES.get(..width) {
            Some(indent) => Cow::Borrowed(indent),
            None => Cow::Owned(format!("\n{}", INDENT.repeat(self.depth))),
        };
        self.xml
            .write_event(Event::Text(BytesText::from_escaped(indent)))
    }

    /// Opens an element on a line of its own.
    fn open(&mut self, start: BytesStart) -> io::Result<()> {
        self.newline()?;
        self.start(start)
    }

    /// Closes an element whose content is elements only, on a line of its own.
    fn close(&mut self, name: &str) -> io::Result<()> {
        self.depth -= 1;
        self.newline()?;
        self.xml.write_event(Event::End(BytesEnd::new(name)))
    }

    /// Opens an element in the current line.
    fn start(&mut self, start: BytesStart) -> io::Result<()> {
        self.xml.write_event(Event::Start(start))?;
        self.depth += 1;
        Ok(())
    }

    /// Closes an element right after its content: mixed content gets no whitespace.
    fn end(&mut self, name: &str) -> io::Result<()> {
        self.depth -= 1;
        self.xml.write_event(Event::End(BytesEnd::new(name)))
    }

    fn text(&mut self, text: &str) -> io::Result<()> {
        self.xml
            .write_event(Event::Text(BytesText::from_escaped(character_data(text))))
    }

    /// Writes `<name attrs>text</name>` in the current line.
    fn inline(&mut self, start: BytesStart, text: &str) -> io::Result<()> {
        let end = start.to_end().into_owned();
        self.xml.write_event(Event::Start(start))?;
        self.text(text)?;
        self.xml.write_event(Event::End(end))
    }

    /// Writes `<name attrs/>` on a line of its own.
    fn empty(&mut self, start: BytesStart) -> io::Result<()> {
        self.newline()?;
        self.xml.write_event(Event::Empty(start))
    }

    /// Writes `<name attrs>text</name>` on a line of its own.
    fn line(&mut self, start: BytesStart, text: &str) -> io::Result<()> {
        self.newline()?;
        self.inline(start, text)
    }

    /// Writes `<date when="…">text</date>` in the current line.
    fn date(&mut self, when: &str, text: &str) -> io::Result<()> {
        self.inline(element("date", &[("when", when)]), text)
    }

    // Documents.

    /// Writes one day's `<TEI>`; `root` declares the namespace (a per-day file) or not (a
    /// member of a corpus, which inherits it).
    fn write_tei(&mut self, day: &SourcedDay, root: bool) -> io::Result<()> {
        let start = if root {
            self.root("TEI")
        } else {
            BytesStart::new("TEI")
        };
        self.open(start)?;
        self.write_day_header(day, !root)?;
        self.open(BytesStart::new("text"))?;
        self.open(BytesStart::new("body"))?;
        self.write_day(&day.day)?;
        self.close("body")?;
        self.close("text")?;
        // A member of a corpus cites the corpus's own notes.
        if root {
            let ctx = self.ctx;
            self.write_stand_off(
                &cited_notes(&ctx, [&day.day]),
                &register::mentioned(&ctx, [&day.day]),
            )?;
        }
        self.close("TEI")
    }
}

/// A start tag with `attributes`, their values made XML-safe (quick-xml escapes them).
fn element<'n>(name: &'n str, attributes: &[(&str, &str)]) -> BytesStart<'n> {
    let mut start = BytesStart::new(tag(name));
    for (key, value) in attributes {
        start.push_attribute((*key, xml_safe(value).as_ref()));
    }
    start
}
/// The `xml:id` of a day's `div`, `day-1950-01-22`.
fn day_id(date: NaiveDate) -> String {
    format!("day-{}", iso_date(date))
}

/// `1950-01-22`: chrono's `Display` of a date, which is `%Y-%m-%d` without parsing a format
/// string on every call.
fn iso_date(date: NaiveDate) -> String {
    date.to_string()
}
