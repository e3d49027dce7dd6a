//! XHTML content documents for the EPUB edition: the cover, the title page, a chapter per
//! day, the colophon and the navigation document.
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

mod indexes;
mod notes;

use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::{DateTime, NaiveDate, Utc};
use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesText, Event};

pub use indexes::{Index, PERSONS_HREF, PLACES_HREF, index_of};
pub use notes::{Endnotes, NOTES_HREF};

use super::{Metadata, long_date, weekday_name, xml_safe};
use crate::ast::{
    Block, Citation, Closing, Correspondence, CrossRef, Day, Heading, Inline, Item, Label, List,
    MediaCode, MediaList, NoteRef, Paragraph, ParagraphPart, QuoteMarks, Section,
};

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
}

/// What the `<head>` of a content document says.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// The BCP 47 language of the document (`lang` and `xml:lang`).
    pub language: &'a str,
    /// The document's `<title>`.
    pub title: &'a str,
    /// The href of the stylesheet the document links.
    pub stylesheet: &'a str,
}

/// Writes a complete XHTML5 content document: the XML declaration, the doctype, `<head>`,
/// and a `<body>` whose content `body` writes.
pub fn write_document<W: Write>(
    w: &mut Writer<W>,
    page: &Page,
    body: impl FnOnce(&mut Writer<W>) -> io::Result<()>,
) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    newline(w)?;
    w.write_event(Event::DocType(BytesText::from_escaped("html")))?;
    newline(w)?;
    let language = xml_safe(page.language);
    w.create_element("html")
        .with_attributes([
            ("xmlns", "http://www.w3.org/1999/xhtml"),
            ("xmlns:epub", "http://www.idpf.org/2007/ops"),
            ("lang", &*language),
            ("xml:lang", &*language),
        ])
        .write_inner_content(|w| {
            newline(w)?;
            w.create_element("head").write_inner_content(|w| {
                newline(w)?;
                w.create_element("meta")
                    .with_attribute(("charset", "utf-8"))
                    .write_empty()?;
                newline(w)?;
                w.create_element("title")
                    .write_text_content(escaped(page.title))?;
                newline(w)?;
                w.create_element("link")
                    .with_attributes([
                        ("rel", "stylesheet"),
                        ("type", "text/css"),
                        ("href", &*xml_safe(page.stylesheet)),
                    ])
                    .write_empty()?;
                newline(w)
            })?;
            newline(w)?;
            w.create_element("body").write_inner_content(|w| {
                newline(w)?;
                body(w)
            })?;
            newline(w)
        })?;
    newline(w)
}

/// What the cover and the title page show.
#[derive(Debug, Clone, Copy)]
pub struct Front<'a> {
    /// The collection's title.
    pub title: &'a str,
    /// The collection's subtitle, if any.
    pub subtitle: Option<&'a str>,
    /// The volume the book is (`1950`, `January 1950`), empty for the whole collection.
    pub volume: &'a str,
    /// The dates of its first and last day, when it has days.
    pub span: Option<&'a str>,
    /// The editors of the edition.
    pub editors: &'a [String],
    /// Who publishes the edition.
    pub publisher: &'a str,
}

/// Writes the book's cover as a `<section>`: the title large, then subtitle, volume, editors
/// and publisher. It is text, so that every reader can read it and no image needs a
/// description.
pub fn write_cover<W: Write>(w: &mut Writer<W>, front: &Front) -> io::Result<()> {
    let editors = edited_by(front.editors);
    let lines = [
        ("h1", "cover-title", Some(front.title)),
        ("p", "cover-subtitle", front.subtitle),
        ("p", "cover-volume", Some(front.volume)),
        ("p", "cover-editors", editors.as_deref()),
        ("p", "cover-publisher", Some(front.publisher)),
    ];
    write_lines(w, "cover", &[("epub:type", "cover")], &lines)
}

/// Writes a book's title page as a `<section>`, one line per fact.
pub fn write_title_page<W: Write>(w: &mut Writer<W>, front: &Front) -> io::Result<()> {
    let editors = edited_by(front.editors);
    let lines = [
        ("h1", "title", Some(front.title)),
        ("p", "subtitle", front.subtitle),
        ("p", "volume", Some(front.volume)),
        ("p", "span", front.span),
        ("p", "editors", editors.as_deref()),
        ("p", "publisher", Some(front.publisher)),
    ];
    // No `epub:type="titlepage"` here: pandoc's reader drops such a section as a title page
    // of its own making, so its text (the date span) would be lost; the landmarks of the
    // navigation document and the guide still mark this file as the title page.
    write_lines(w, "title-page", &[], &lines)
}

/// "Edited by A, B, and C", or nothing when no editor has a name.
pub(crate) fn edited_by(editors: &[String]) -> Option<String> {
    let names: Vec<&str> = editors
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .collect();
    let list = match names.as_slice() {
        [] => return None,
        [one] => (*one).to_owned(),
        [first, second] => format!("{first} and {second}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    };
    Some(format!("Edited by {list}"))
}

/// A `<section>` of one element per line; lines without words, or with empty words, are left
/// out rather than written as empty elements.
fn write_lines<W: Write>(
    w: &mut Writer<W>,
    class: &str,
    semantics: &[(&str, &str)],
    lines: &[(&str, &str, Option<&str>)],
) -> io::Result<()> {
    w.create_element("section")
        .with_attribute(("class", class))
        .with_attributes(semantics.iter().copied())
        .write_inner_content(|w| {
            newline(w)?;
            for &(name, class, words) in lines {
                if let Some(words) = words.filter(|words| !words.trim().is_empty()) {
                    w.create_element(name)
                        .with_attribute(("class", class))
                        .write_text_content(escaped(words))?;
                    newline(w)?;
                }
            }
            Ok(())
        })?;
    newline(w)
}

/// What the colophon at the end of a book says of how it was made.
#[derive(Debug, Clone, Copy)]
pub struct Colophon<'a> {
    /// Who publishes the edition.
    pub publisher: &'a str,
    /// The licence statement.
    pub licence: &'a str,
    /// The licence's URI, when a licence was stated: the statement links to it.
    pub licence_url: Option<&'a str>,
    /// The source files of the book's days, each once, in the order of the days.
    pub sources: &'a [&'a str],
    /// daybook's version.
    pub version: &'a str,
    /// When the book was built, if that was recorded.
    pub build_time: Option<DateTime<Utc>>,
}

/// Writes the colophon as a `<section>` holding a description list: publisher, licence,
/// sources, the daybook version and the build date (or that it was not recorded).
pub fn write_colophon<W: Write>(w: &mut Writer<W>, colophon: &Colophon) -> io::Result<()> {
    w.create_element("section")
        // Ace (epub-type-has-matching-role): every `epub:type` with a DPUB-ARIA counterpart
        // needs that `role` too, for assistive technology that reads ARIA only.
        .with_attributes([
            ("class", "colophon"),
            ("epub:type", "colophon"),
            ("role", "doc-colophon"),
        ])
        .write_inner_content(|w| {
            newline(w)?;
            w.create_element("h1")
                .with_attribute(("class", "colophon-heading"))
                .write_text_content(escaped("Colophon"))?;
            newline(w)?;
            w.create_element("dl").write_inner_content(|w| {
                newline(w)?;
                if !colophon.publisher.trim().is_empty() {
                    definition(w, "Publisher", |w| text(w, colophon.publisher))?;
                }
                if !colophon.licence.trim().is_empty() {
                    definition(w, "Licence", |w| match colophon.licence_url {
                        Some(url) => {
                            w.create_element("a")
                                .with_attribute(("href", &*xml_safe(url)))
                                .write_text_content(escaped(colophon.licence))?;
                            Ok(())
                        }
                        None => text(w, colophon.licence),
                    })?;
                }
                if !colophon.sources.is_empty() {
                    definition(w, "Sources", |w| {
                        w.create_element("ul")
                            .with_attribute(("class", "sources"))
                            .write_inner_content(|w| {
                                newline(w)?;
                                colophon.sources.iter().try_for_each(|source| {
                                    w.create_element("li").write_text_content(escaped(source))?;
                                    newline(w)
                                })
                            })?;
                        Ok(())
                    })?;
                }
                definition(w, "Made with", |w| {
                    text(w, &format!("daybook {}", colophon.version))
                })?;
                definition(w, "Build date", |w| match colophon.build_time {
                    Some(time) => {
                        w.create_element("time")
                            .with_attribute((
                                "datetime",
                                time.format("%Y-%m-%dT%H:%M:%SZ").to_string().as_str(),
                            ))
                            .write_text_content(escaped(&long_date(time.date_naive())))?;
                        Ok(())
                    }
                    None => text(w, "Not recorded"),
                })
            })?;
            newline(w)
        })?;
    newline(w)
}

/// A `<dt>` and its `<dd>`, whose content `value` writes.
fn definition<W: Write>(
    w: &mut Writer<W>,
    term: &str,
    value: impl FnOnce(&mut Writer<W>) -> io::Result<()>,
) -> io::Result<()> {
    w.create_element("dt").write_text_content(escaped(term))?;
    w.create_element("dd").write_inner_content(value)?;
    newline(w)
}

/// An entry of the table of contents, with the entries beneath it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavEntry {
    /// What the entry says.
    pub title: String,
    /// Where it leads.
    pub href: String,
    /// The entries beneath it.
    pub children: Vec<NavEntry>,
}

/// A part of the book reading systems offer to go to directly (EPUB landmarks).
#[derive(Debug, Clone, Copy)]
pub struct Landmark<'a> {
    /// Its structural semantics, `cover`, `bodymatter`, ... (the `epub:type`).
    pub kind: &'a str,
    /// Where it is.
    pub href: &'a str,
    /// What the entry says.
    pub title: &'a str,
}

/// Writes the body of the EPUB navigation document: the table of contents under `heading`,
/// then the landmarks, hidden because reading systems present them in their own way.
pub fn write_nav<W: Write>(
    w: &mut Writer<W>,
    heading: &str,
    toc: &[NavEntry],
    landmarks: &[Landmark],
) -> io::Result<()> {
    w.create_element("nav")
        .with_attributes([("epub:type", "toc"), ("id", "toc"), ("role", "doc-toc")])
        .write_inner_content(|w| {
            newline(w)?;
            w.create_element("h1")
                .write_text_content(escaped(heading))?;
            newline(w)?;
            write_nav_list(w, toc)?;
            newline(w)
        })?;
    newline(w)?;
    w.create_element("nav")
        .with_attributes([
            ("epub:type", "landmarks"),
            ("id", "landmarks"),
            ("hidden", "hidden"),
        ])
        .write_inner_content(|w| {
            newline(w)?;
            w.create_element("h2")
                .write_text_content(escaped("Landmarks"))?;
            newline(w)?;
            w.create_element("ol").write_inner_content(|w| {
                newline(w)?;
                landmarks.iter().try_for_each(|landmark| {
                    w.create_element("li").write_inner_content(|w| {
                        w.create_element("a")
                            .with_attributes([
                                ("epub:type", landmark.kind),
                                ("href", &*xml_safe(landmark.href)),
                            ])
                            .write_text_content(escaped(landmark.title))?;
                        Ok(())
                    })?;
                    newline(w)
                })
            })?;
            newline(w)
        })?;
    newline(w)
}

fn write_nav_list<W: Write>(w: &mut Writer<W>, entries: &[NavEntry]) -> io::Result<()> {
    w.create_element("ol").write_inner_content(|w| {
        newline(w)?;
        entries.iter().try_for_each(|entry| {
            w.create_element("li").write_inner_content(|w| {
                w.create_element("a")
                    .with_attribute(("href", &*xml_safe(&entry.href)))
                    .write_text_content(escaped(&entry.title))?;
                if !entry.children.is_empty() {
                    newline(w)?;
                    write_nav_list(w, &entry.children)?;
                    newline(w)?;
                }
                Ok(())
            })?;
            newline(w)
        })
    })?;
    Ok(())
}

/// Writes one day as a `<section>`: its heading, its sections (a thematic break between
/// each two) and its closing line.
pub fn write_day<W: Write>(w: &mut Writer<W>, day: &Day, book: &Book) -> io::Result<()> {
    let id = day_id(day.date());
    w.create_element("section")
        .with_attributes([
            ("class", "day"),
            ("id", id.as_str()),
            ("epub:type", "chapter"),
            ("role", "doc-chapter"),
        ])
        .write_inner_content(|w| {
            newline(w)?;
            write_heading(w, &day.heading)?;
            for (index, section) in day.sections.iter().enumerate() {
                if index > 0 {
                    // Sections come from different sources (FORMAT.md): a visible break that
                    // survives reading systems which ignore the stylesheet.
                    w.create_element("hr")
                        .with_attribute(("class", "section-break"))
                        .write_empty()?;
                    newline(w)?;
                }
                write_section(w, section, book)?;
            }
            if let Some(closing) = &day.closing {
                write_closing(w, closing)?;
            }
            Ok(())
        })?;
    newline(w)
}

/// The `id` of a day's `<section>`, `day-1950-01-22`, a target for links into the chapter.
pub fn day_id(date: NaiveDate) -> String {
    format!("day-{date}")
}

fn write_heading<W: Write>(w: &mut Writer<W>, heading: &Heading) -> io::Result<()> {
    w.create_element("h1")
        .with_attribute(("class", "day-heading"))
        .write_inner_content(|w| {
            w.create_element("span")
                .with_attribute(("class", "date"))
                .write_text_content(escaped(&long_date(heading.date)))?;
            if let Some(weekday) = heading.weekday {
                text(w, " ")?;
                w.create_element("span")
                    .with_attribute(("class", "weekday"))
                    .write_text_content(escaped(&format!("({})", weekday_name(weekday))))?;
            }
            Ok(())
        })?;
    newline(w)
}

fn write_section<W: Write>(w: &mut Writer<W>, section: &Section, book: &Book) -> io::Result<()> {
    w.create_element("section")
        .with_attribute(("class", "notes"))
        .write_inner_content(|w| {
            newline(w)?;
            section
                .blocks
                .iter()
                .try_for_each(|block| write_block(w, block, book))
        })?;
    newline(w)
}

fn write_block<W: Write>(w: &mut Writer<W>, block: &Block, book: &Book) -> io::Result<()> {
    match block {
        Block::Paragraph(paragraph) => write_paragraph(w, paragraph, book)?,
        Block::List(list) => write_list(w, list, "list", book)?,
        Block::Media(media) => write_media(w, media, book.metadata)?,
        Block::Correspondence(correspondence) => write_correspondence(w, correspondence, book)?,
        Block::Label(label) => write_label(w, label)?,
    }
    newline(w)
}

fn write_paragraph<W: Write>(
    w: &mut Writer<W>,
    paragraph: &Paragraph,
    book: &Book,
) -> io::Result<()> {
    match paragraph.parts.as_slice() {
        [ParagraphPart::Inlines(inlines)] => {
            w.create_element("p")
                .write_inner_content(|w| write_inlines(w, inlines, book, 0))?;
        }
        parts => {
            // See the module documentation: a `<p>` cannot hold the list.
            w.create_element("div")
                .with_attribute(("class", "para"))
                .write_inner_content(|w| {
                    parts.iter().try_for_each(|part| match part {
                        ParagraphPart::Inlines(inlines) => write_inlines(w, inlines, book, 0),
                        ParagraphPart::List(list) => write_list(w, list, "in-sentence", book),
                    })
                })?;
        }
    }
    Ok(())
}

fn write_list<W: Write>(
    w: &mut Writer<W>,
    list: &List,
    class: &str,
    book: &Book,
) -> io::Result<()> {
    w.create_element("ol")
        .with_attribute(("class", class))
        .write_inner_content(|w| {
            newline(w)?;
            list.items
                .iter()
                .try_for_each(|item| write_item(w, item, book))
        })?;
    Ok(())
}

fn write_item<W: Write>(w: &mut Writer<W>, item: &Item, book: &Book) -> io::Result<()> {
    // Items keep their numbers as written, even when they do not count up from 1.
    w.create_element("li")
        .with_attribute(("value", item.number.to_string().as_str()))
        .write_inner_content(|w| write_inlines(w, &item.content, book, 0))?;
    newline(w)
}

fn write_media<W: Write>(
    w: &mut Writer<W>,
    media: &MediaList,
    metadata: &Metadata,
) -> io::Result<()> {
    w.create_element("table")
        .with_attribute(("class", "media"))
        .write_inner_content(|w| {
            newline(w)?;
            w.create_element("thead").write_inner_content(|w| {
                w.create_element("tr").write_inner_content(|w| {
                    for heading in ["Date", "Time", "Kind"] {
                        w.create_element("th")
                            .with_attribute(("scope", "col"))
                            .write_text_content(escaped(heading))?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
            newline(w)?;
            w.create_element("tbody").write_inner_content(|w| {
                newline(w)?;
                media
                    .codes
                    .iter()
                    .try_for_each(|code| write_media_code(w, code, metadata))
            })?;
            newline(w)
        })?;
    Ok(())
}

fn write_media_code<W: Write>(
    w: &mut Writer<W>,
    code: &MediaCode,
    metadata: &Metadata,
) -> io::Result<()> {
    w.create_element("tr").write_inner_content(|w| {
        w.create_element("td").write_inner_content(|w| {
            w.create_element("time")
                .with_attribute((
                    "datetime",
                    code.date.format("%Y-%m-%d").to_string().as_str(),
                ))
                .write_text_content(escaped(&long_date(code.date)))?;
            Ok(())
        })?;
        w.create_element("td").write_inner_content(|w| {
            let time = code.time.format("%H:%M").to_string();
            w.create_element("time")
                .with_attribute(("datetime", time.as_str()))
                .write_text_content(escaped(&time))?;
            Ok(())
        })?;
        // The kind code is always shown exactly, as written in the notes; a human label may
        // only come from configuration, and goes before it: `Photograph (pic)`.
        w.create_element("td").write_inner_content(|w| {
            let label = metadata.media_label(&code.kind);
            if let Some(label) = label {
                w.create_element("span")
                    .with_attribute(("class", "media-label"))
                    .write_text_content(escaped(label))?;
                text(w, " (")?;
            }
            w.create_element("code")
                .with_attribute(("class", "media-kind"))
                .write_text_content(escaped(&code.kind))?;
            if label.is_some() {
                text(w, ")")?;
            }
            Ok(())
        })?;
        Ok(())
    })?;
    newline(w)
}

fn write_correspondence<W: Write>(
    w: &mut Writer<W>,
    correspondence: &Correspondence,
    book: &Book,
) -> io::Result<()> {
    w.create_element("p")
        .with_attribute(("class", "correspondence"))
        .write_inner_content(|w| {
            field(w, "sender", &correspondence.sender)?;
            text(w, " to ")?;
            field(w, "recipient", &correspondence.recipient)?;
            text(w, " concerning ")?;
            field(w, "subject", &correspondence.subject)?;
            text(w, &correspondence.trailing)?;
            correspondence
                .citations
                .iter()
                .try_for_each(|citation| write_citation(w, citation, book))
        })?;
    Ok(())
}

fn write_label<W: Write>(w: &mut Writer<W>, label: &Label) -> io::Result<()> {
    w.create_element("p")
        .with_attribute(("class", "label"))
        .write_text_content(escaped(&label.text))?;
    Ok(())
}

fn write_closing<W: Write>(w: &mut Writer<W>, closing: &Closing) -> io::Result<()> {
    let line = format!(
        "Notes for {} {}",
        weekday_name(closing.weekday),
        long_date(closing.date)
    );
    w.create_element("p")
        .with_attribute(("class", "closing"))
        .write_text_content(escaped(&line))?;
    newline(w)
}

/// `depth` counts the quotations around `inlines`, so that nested ones alternate “ ” and ‘ ’.
fn write_inlines<W: Write>(
    w: &mut Writer<W>,
    inlines: &[Inline],
    book: &Book,
    depth: usize,
) -> io::Result<()> {
    inlines
        .iter()
        .try_for_each(|inline| write_inline(w, inline, book, depth))
}

fn write_inline<W: Write>(
    w: &mut Writer<W>,
    inline: &Inline,
    book: &Book,
    depth: usize,
) -> io::Result<()> {
    match inline {
        Inline::Text { text: words, .. } => text(w, words),
        Inline::Name(name) => indexes::write_name(w, name),
        Inline::Citation(citation) => write_citation(w, citation, book),
        Inline::CrossRef(cross_ref) => write_cross_ref(w, cross_ref, book.links),
        Inline::Quote { content, marks, .. } => {
            // Straight quotes are typewriter stand-ins for English curly ones; other pairs
            // are the typography of the collection's language, shown as typed.
            let (open, close) = match marks {
                QuoteMarks::Straight | QuoteMarks::Curly if depth.is_multiple_of(2) => {
                    ('\u{201C}', '\u{201D}')
                }
                QuoteMarks::Straight | QuoteMarks::Curly => ('\u{2018}', '\u{2019}'),
                QuoteMarks::Low | QuoteMarks::Guillemets => marks.pair(),
            };
            w.create_element("span")
                .with_attribute(("class", "quote"))
                .write_inner_content(|w| {
                    text(w, open.encode_utf8(&mut [0; 4]))?;
                    write_inlines(w, content, book, depth + 1)?;
                    text(w, close.encode_utf8(&mut [0; 4]))
                })?;
            Ok(())
        }
    }
}

fn write_citation<W: Write>(w: &mut Writer<W>, citation: &Citation, book: &Book) -> io::Result<()> {
    if let Some(endnotes) = book.endnotes.filter(|e| e.resolves(citation)) {
        return endnotes.write_citation(w, citation);
    }
    let notes: Vec<String> = citation
        .notes
        .iter()
        .map(|note| match note {
            NoteRef::Note(n) => n.to_string(),
            // An en dash is the typographic mark of a range.
            NoteRef::Range(from, to) => format!("{from}\u{2013}{to}"),
        })
        .collect();
    w.create_element("sup")
        .with_attribute(("class", "citation"))
        .write_text_content(escaped(&notes.join(", ")))?;
    Ok(())
}

fn write_cross_ref<W: Write>(
    w: &mut Writer<W>,
    cross_ref: &CrossRef,
    links: &Links,
) -> io::Result<()> {
    let words = format!("[{}]", cross_ref.words());
    let target = long_date(cross_ref.target);
    let element = match links.get(&cross_ref.target) {
        Some(href) => w
            .create_element("a")
            .with_attributes([("href", &*xml_safe(href))]),
        None => w.create_element("span"),
    };
    element
        .with_attributes([("class", "cross-ref"), ("title", target.as_str())])
        .write_text_content(escaped(&words))?;
    Ok(())
}

/// A span of one field of a correspondence line.
fn field<W: Write>(w: &mut Writer<W>, class: &str, value: &str) -> io::Result<()> {
    w.create_element("span")
        .with_attribute(("class", class))
        .write_text_content(escaped(value))?;
    Ok(())
}

fn text<W: Write>(w: &mut Writer<W>, words: &str) -> io::Result<()> {
    w.write_event(Event::Text(escaped(words)))
}

/// `words` as XML character data. Only `<`, `>` and `&` are escaped: quick-xml's default
/// also turns every apostrophe and quote into an entity, which is valid but makes the
/// chapters needlessly hard to read as source.
fn escaped(words: &str) -> BytesText<'static> {
    BytesText::from_escaped(partial_escape(&*xml_safe(words)).into_owned())
}

/// A line break between block elements, where whitespace is insignificant, so that the
/// documents read well as source without an indenting writer (which would put whitespace
/// inside running text).
fn newline<W: Write>(w: &mut Writer<W>) -> io::Result<()> {
    w.write_event(Event::Text(BytesText::new("\n")))
}

/// Small constructors for hand-built ASTs, shared by the edition's unit tests.
#[cfg(test)]
pub(crate) mod build {
    use chrono::{Datelike, NaiveDate, NaiveTime};

    use crate::ast::{
        Block, Citation, Closing, Correspondence, CrossRef, Day, Heading, Inline, Item, Label,
        List, MediaCode, MediaList, NoteRef, Paragraph, ParagraphPart, Position, QuoteMarks,
        Section,
    };

    pub(crate) fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    pub(crate) fn text(words: &str) -> Inline {
        Inline::Text {
            text: words.to_owned(),
            pos: Position::default(),
        }
    }

    pub(crate) fn cite(notes: &[NoteRef]) -> Inline {
        Inline::Citation(Citation {
            notes: notes.to_vec(),
            pos: Position::default(),
        })
    }

    pub(crate) fn see(target: NaiveDate) -> Inline {
        Inline::CrossRef(CrossRef {
            day: target.day(),
            target,
            pos: Position::default(),
        })
    }

    pub(crate) fn quote(content: Vec<Inline>) -> Inline {
        Inline::Quote {
            content,
            marks: QuoteMarks::Straight,
            pos: Position::default(),
        }
    }

    pub(crate) fn para(inlines: Vec<Inline>) -> Block {
        Block::Paragraph(Paragraph {
            parts: vec![ParagraphPart::Inlines(inlines)],
            pos: Position::default(),
        })
    }

    /// A sentence running through a list: `before`, the list, `after`.
    pub(crate) fn para_with_list(before: &str, items: &[(u64, &str)], after: &str) -> Block {
        Block::Paragraph(Paragraph {
            parts: vec![
                ParagraphPart::Inlines(vec![text(before)]),
                ParagraphPart::List(list(items)),
                ParagraphPart::Inlines(vec![text(after)]),
            ],
            pos: Position::default(),
        })
    }

    pub(crate) fn list(items: &[(u64, &str)]) -> List {
        List {
            items: items
                .iter()
                .map(|&(number, words)| Item {
                    number,
                    content: vec![text(words)],
                    pos: Position::default(),
                })
                .collect(),
            pos: Position::default(),
        }
    }

    pub(crate) fn media(date: NaiveDate, kinds: &[&str]) -> Block {
        Block::Media(MediaList {
            codes: kinds
                .iter()
                .map(|kind| MediaCode {
                    date,
                    time: NaiveTime::MIN,
                    kind: (*kind).to_owned(),
                    pos: Position::default(),
                })
                .collect(),
            pos: Position::default(),
        })
    }

    pub(crate) fn letter(sender: &str, recipient: &str, subject: &str, trailing: &str) -> Block {
        Block::Correspondence(Correspondence {
            sender: sender.to_owned(),
            recipient: recipient.to_owned(),
            subject: subject.to_owned(),
            trailing: trailing.to_owned(),
            citations: Vec::new(),
            sender_id: None,
            recipient_id: None,
            pos: Position::default(),
        })
    }

    pub(crate) fn label(words: &str) -> Block {
        Block::Label(Label {
            text: words.to_owned(),
            pos: Position::default(),
        })
    }

    /// A day on `date` with the right weekday, the given sections and its closing line.
    pub(crate) fn day(date: NaiveDate, sections: Vec<Vec<Block>>) -> Day {
        Day {
            heading: Heading {
                date,
                weekday: Some(date.weekday()),
                pos: Position::default(),
            },
            sections: sections
                .into_iter()
                .map(|blocks| Section {
                    blocks,
                    pos: Position::default(),
                })
                .collect(),
            closing: Some(Closing {
                weekday: date.weekday(),
                date,
                pos: Position::default(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use quick_xml::Writer;

    use super::build::{
        cite, date, day, label, letter, list, media, para, para_with_list, quote, see, text,
    };
    use std::io;

    use chrono::DateTime;

    use super::{
        Book, Colophon, Front, Landmark, Links, NavEntry, Page, write_colophon, write_cover,
        write_day, write_document, write_nav, write_title_page,
    };
    use crate::ast::{Block, Day, NoteRef};
    use crate::edition::Metadata;

    fn written(write: impl FnOnce(&mut Writer<Vec<u8>>) -> io::Result<()>) -> String {
        let mut w = Writer::new(Vec::new());
        write(&mut w).unwrap();
        String::from_utf8(w.into_inner()).unwrap()
    }

    fn render_with(day: &Day, links: &Links, metadata: &Metadata) -> String {
        written(|w| {
            write_day(
                w,
                day,
                &Book {
                    links,
                    metadata,
                    endnotes: None,
                },
            )
        })
    }

    fn render(day: &Day, links: &Links) -> String {
        render_with(day, links, &Metadata::default())
    }

    fn render_blocks(blocks: Vec<Block>) -> String {
        render(&day(date(1950, 1, 22), vec![blocks]), &Links::new())
    }

    fn front<'a>(editors: &'a [String]) -> Front<'a> {
        Front {
            title: "Notes & queries",
            subtitle: Some("A chronology"),
            volume: "1950",
            span: Some("January 19 \u{2013} March 3, 1950"),
            editors,
            publisher: "The Press",
        }
    }

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|&name| name.to_owned()).collect()
    }

    #[test]
    fn a_sentence_running_through_a_list_is_one_div_holding_the_list() {
        let html = render_blocks(vec![para_with_list(
            "Two days later, Zhou, joined by",
            &[(1, "Wang Jiaxiang,"), (2, "Wu Xiuquan")],
            "started negotiations.",
        )]);
        assert!(
            html.contains(
                "<div class=\"para\">Two days later, Zhou, joined by<ol class=\"in-sentence\">\n\
                 <li value=\"1\">Wang Jiaxiang,</li>\n\
                 <li value=\"2\">Wu Xiuquan</li>\n\
                 </ol>started negotiations.</div>"
            ),
            "{html}"
        );
        assert!(!html.contains("<p>"), "{html}");
    }

    #[test]
    fn list_items_keep_their_numbers_as_written() {
        let html = render_blocks(vec![Block::List(list(&[(3, "three"), (7, "seven")]))]);
        assert!(
            html.contains(
                "<ol class=\"list\">\n<li value=\"3\">three</li>\n<li value=\"7\">seven</li>\n</ol>"
            ),
            "{html}"
        );
    }

    #[test]
    fn quotations_get_typographic_marks_and_nested_ones_alternate() {
        let html = render_blocks(vec![para(vec![
            text("Mao said "),
            quote(vec![text("nothing was "), quote(vec![text("small")])]),
            text("."),
        ])]);
        assert!(
            html.contains(
                "<p>Mao said <span class=\"quote\">\u{201C}nothing was \
                 <span class=\"quote\">\u{2018}small\u{2019}</span>\u{201D}</span>.</p>"
            ),
            "{html}"
        );
    }

    #[test]
    fn citations_are_superscript_markers_with_ranges_as_en_dashes() {
        let html = render_blocks(vec![para(vec![
            text("added."),
            cite(&[NoteRef::Note(56)]),
            text(" More."),
            cite(&[NoteRef::Note(65), NoteRef::Range(66, 68)]),
        ])]);
        assert!(
            html.contains(
                "<p>added.<sup class=\"citation\">56</sup> More.\
                 <sup class=\"citation\">65, 66\u{2013}68</sup></p>"
            ),
            "{html}"
        );
    }

    #[test]
    fn a_cross_reference_links_to_the_chapter_given_in_links() {
        let target = date(1950, 1, 19);
        let links = Links::from([(target, "1950-01-19.xhtml".to_owned())]);
        let day = day(
            date(1950, 1, 22),
            vec![vec![para(vec![text("Kim. "), see(target)])]],
        );
        let html = render(&day, &links);
        assert!(
            html.contains(
                "<a href=\"1950-01-19.xhtml\" class=\"cross-ref\" title=\"January 19, 1950\">\
                 [see the 19th]</a>"
            ),
            "{html}"
        );
    }

    #[test]
    fn a_cross_reference_to_a_day_missing_from_links_stays_text() {
        let html = render_blocks(vec![para(vec![
            see(date(1950, 1, 1)),
            see(date(1950, 1, 12)),
        ])]);
        assert!(
            html.contains(
                "<span class=\"cross-ref\" title=\"January 1, 1950\">[see the 1st]</span>\
                 <span class=\"cross-ref\" title=\"January 12, 1950\">[see the 12th]</span>"
            ),
            "{html}"
        );
        assert!(!html.contains("<a "), "{html}");
    }

    #[test]
    fn the_correspondence_line_keeps_its_fields_and_trailing_punctuation() {
        let html = render_blocks(vec![letter(
            "William Batt, Jr.",
            "E.W. Kenworthy",
            "Captain Martin's reassignment",
            "..",
        )]);
        assert!(
            html.contains(
                "<p class=\"correspondence\"><span class=\"sender\">William Batt, Jr.</span> to \
                 <span class=\"recipient\">E.W. Kenworthy</span> concerning \
                 <span class=\"subject\">Captain Martin's reassignment</span>..</p>"
            ),
            "{html}"
        );
    }

    #[test]
    fn media_codes_are_a_table_row_each_with_the_kind_code_kept_exactly() {
        let html = render_blocks(vec![media(date(1950, 1, 22), &["int", "pic"])]);
        assert!(html.contains("<table class=\"media\">"), "{html}");
        for kind in ["int", "pic"] {
            assert!(
                html.contains(&format!(
                    "<tr><td><time datetime=\"1950-01-22\">January 22, 1950</time></td>\
                     <td><time datetime=\"00:00\">00:00</time></td>\
                     <td><code class=\"media-kind\">{kind}</code></td></tr>"
                )),
                "{html}"
            );
        }
    }

    #[test]
    fn heading_label_and_closing_line_each_have_their_class() {
        let html = render_blocks(vec![label("Songs of the week")]);
        assert!(
            html.contains(
                "<h1 class=\"day-heading\"><span class=\"date\">January 22, 1950</span> \
                 <span class=\"weekday\">(Sunday)</span></h1>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<p class=\"label\">Songs of the week</p>"),
            "{html}"
        );
        assert!(
            html.contains("<p class=\"closing\">Notes for Sunday January 22, 1950</p>"),
            "{html}"
        );
    }

    #[test]
    fn sections_are_kept_apart_by_a_thematic_break() {
        let day = day(
            date(1950, 1, 22),
            vec![vec![para(vec![text("one")])], vec![para(vec![text("two")])]],
        );
        let html = render(&day, &Links::new());
        assert_eq!(
            html.matches("<section class=\"notes\">").count(),
            2,
            "{html}"
        );
        assert!(
            html.contains("</section>\n<hr class=\"section-break\"/>\n<section class=\"notes\">"),
            "{html}"
        );
    }

    #[test]
    fn markup_characters_are_escaped_and_forbidden_characters_replaced() {
        let html = render_blocks(vec![para(vec![text("a < b & c\u{1}")]), label("x > y")]);
        assert!(html.contains("<p>a &lt; b &amp; c\u{FFFD}</p>"), "{html}");
        assert!(html.contains("<p class=\"label\">x &gt; y</p>"), "{html}");
    }

    #[test]
    fn a_media_kind_with_a_configured_label_shows_the_label_then_the_code() {
        let metadata = Metadata {
            media_kinds: [("pic".to_owned(), "Photograph & print".to_owned())].into(),
            ..Metadata::default()
        };
        let day = day(
            date(1950, 1, 22),
            vec![vec![media(date(1950, 1, 22), &["pic", "int"])]],
        );
        let html = render_with(&day, &Links::new(), &metadata);
        assert!(
            html.contains(
                "<td><span class=\"media-label\">Photograph &amp; print</span> \
                 (<code class=\"media-kind\">pic</code>)</td>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<td><code class=\"media-kind\">int</code></td>"),
            "{html}"
        );
    }

    #[test]
    fn the_title_page_shows_title_subtitle_volume_span_editors_and_publisher_in_order() {
        let editors = names(&["A. Editor", "B. Editor"]);
        assert_eq!(
            written(|w| write_title_page(w, &front(&editors))),
            "<section class=\"title-page\">\n\
             <h1 class=\"title\">Notes &amp; queries</h1>\n\
             <p class=\"subtitle\">A chronology</p>\n\
             <p class=\"volume\">1950</p>\n\
             <p class=\"span\">January 19 \u{2013} March 3, 1950</p>\n\
             <p class=\"editors\">Edited by A. Editor and B. Editor</p>\n\
             <p class=\"publisher\">The Press</p>\n\
             </section>\n"
        );
    }

    #[test]
    fn the_cover_is_text_marked_as_the_cover() {
        let editors = names(&["A. Editor"]);
        assert_eq!(
            written(|w| write_cover(w, &front(&editors))),
            "<section class=\"cover\" epub:type=\"cover\">\n\
             <h1 class=\"cover-title\">Notes &amp; queries</h1>\n\
             <p class=\"cover-subtitle\">A chronology</p>\n\
             <p class=\"cover-volume\">1950</p>\n\
             <p class=\"cover-editors\">Edited by A. Editor</p>\n\
             <p class=\"cover-publisher\">The Press</p>\n\
             </section>\n"
        );
    }

    #[test]
    fn empty_lines_are_left_off_the_cover_and_three_editors_are_a_list() {
        let editors = names(&["A", " ", "B", "C"]);
        let front = Front {
            subtitle: None,
            volume: "",
            publisher: "",
            ..front(&editors)
        };
        let cover = written(|w| write_cover(w, &front));
        assert!(
            cover.contains("<p class=\"cover-editors\">Edited by A, B, and C</p>"),
            "{cover}"
        );
        for absent in ["cover-subtitle", "cover-volume", "cover-publisher"] {
            assert!(!cover.contains(absent), "{cover}");
        }
        let nobody = names(&[""]);
        let cover = written(|w| {
            write_cover(
                w,
                &Front {
                    editors: &nobody,
                    ..front
                },
            )
        });
        assert!(!cover.contains("Edited by"), "{cover}");
    }

    fn colophon<'a>(sources: &'a [&'a str]) -> Colophon<'a> {
        Colophon {
            publisher: "Smith & Sons",
            licence: "CC BY 4.0",
            licence_url: None,
            sources,
            version: "9.8.7",
            build_time: DateTime::from_timestamp(1_700_000_000, 0),
        }
    }

    #[test]
    fn the_colophon_lists_publisher_licence_sources_version_and_build_date() {
        assert_eq!(
            written(|w| write_colophon(w, &colophon(&["a.txt", "1950/b<c>.txt"]))),
            "<section class=\"colophon\" epub:type=\"colophon\" role=\"doc-colophon\">\n\
             <h1 class=\"colophon-heading\">Colophon</h1>\n\
             <dl>\n\
             <dt>Publisher</dt><dd>Smith &amp; Sons</dd>\n\
             <dt>Licence</dt><dd>CC BY 4.0</dd>\n\
             <dt>Sources</dt><dd><ul class=\"sources\">\n\
             <li>a.txt</li>\n\
             <li>1950/b&lt;c&gt;.txt</li>\n\
             </ul></dd>\n\
             <dt>Made with</dt><dd>daybook 9.8.7</dd>\n\
             <dt>Build date</dt><dd><time datetime=\"2023-11-14T22:13:20Z\">November 14, 2023</time></dd>\n\
             </dl>\n\
             </section>\n"
        );
    }

    #[test]
    fn a_colophon_without_build_time_says_so_and_leaves_out_what_is_empty() {
        let html = written(|w| {
            write_colophon(
                w,
                &Colophon {
                    publisher: "",
                    licence: " ",
                    build_time: None,
                    ..colophon(&[])
                },
            )
        });
        assert!(
            html.contains("<dt>Build date</dt><dd>Not recorded</dd>"),
            "{html}"
        );
        for absent in ["Publisher", "Licence", "Sources", "<time"] {
            assert!(!html.contains(absent), "{html}");
        }
    }

    #[test]
    fn the_navigation_lists_nested_entries_and_hidden_landmarks() {
        let toc = [
            NavEntry {
                title: "January 1950".to_owned(),
                href: "1950-01-22.xhtml".to_owned(),
                children: vec![NavEntry {
                    title: "January 22, 1950".to_owned(),
                    href: "1950-01-22.xhtml#day-1950-01-22".to_owned(),
                    children: Vec::new(),
                }],
            },
            NavEntry {
                title: "Q & A".to_owned(),
                href: "colophon.xhtml".to_owned(),
                children: Vec::new(),
            },
        ];
        let landmarks = [Landmark {
            kind: "cover",
            href: "cover.xhtml",
            title: "Cover",
        }];
        assert_eq!(
            written(|w| write_nav(w, "Contents", &toc, &landmarks)),
            "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\">\n\
             <h1>Contents</h1>\n\
             <ol>\n\
             <li><a href=\"1950-01-22.xhtml\">January 1950</a>\n\
             <ol>\n\
             <li><a href=\"1950-01-22.xhtml#day-1950-01-22\">January 22, 1950</a></li>\n\
             </ol>\n\
             </li>\n\
             <li><a href=\"colophon.xhtml\">Q &amp; A</a></li>\n\
             </ol>\n\
             </nav>\n\
             <nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n\
             <h2>Landmarks</h2>\n\
             <ol>\n\
             <li><a epub:type=\"cover\" href=\"cover.xhtml\">Cover</a></li>\n\
             </ol>\n\
             </nav>\n"
        );
    }

    #[test]
    fn a_document_is_well_formed_xhtml_with_language_and_stylesheet() {
        let day = day(
            date(1950, 1, 22),
            vec![vec![
                para_with_list("joined by", &[(1, "Wang,")], "started."),
                media(date(1950, 1, 22), &["pic"]),
            ]],
        );
        let page = Page {
            language: "en-GB",
            title: "January 22, 1950",
            stylesheet: "style.css",
        };
        let metadata = Metadata::default();
        let book = Book {
            links: &Links::new(),
            metadata: &metadata,
            endnotes: None,
        };
        let xhtml = written(|w| write_document(w, &page, |w| write_day(w, &day, &book)));
        assert!(xhtml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"));
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(&xhtml, options).unwrap();
        let html = doc.root_element();
        assert_eq!(html.attribute("lang"), Some("en-GB"));
        assert_eq!(
            html.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
            Some("en-GB")
        );
        let link = doc.descendants().find(|n| n.has_tag_name("link")).unwrap();
        assert_eq!(link.attribute("href"), Some("style.css"));
        let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
        assert_eq!(title.text(), Some("January 22, 1950"));
    }
}
