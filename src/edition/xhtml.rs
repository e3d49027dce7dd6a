//! XHTML content documents for the EPUB edition: a chapter per day, and the title page.
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

use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::NaiveDate;
use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::{long_date, weekday_name, xml_safe};
use crate::ast::{
    Block, Citation, Closing, Correspondence, CrossRef, Day, Heading, Inline, Item, Label, List,
    MediaCode, MediaList, NoteRef, Paragraph, ParagraphPart, Section,
};

/// The chapters that cross-references may link to: a day's date → the href of its chapter.
///
/// A cross-reference whose target is missing here stays text.
pub type Links = BTreeMap<NaiveDate, String>;

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

/// What a book's title page shows.
#[derive(Debug, Clone, Copy)]
pub struct TitlePage<'a> {
    /// The collection's title.
    pub title: &'a str,
    /// The volume the book is (`1950`, `January 1950`), empty for the whole collection.
    pub volume: &'a str,
    /// The dates of its first and last day, when it has days.
    pub span: Option<&'a str>,
    /// Who publishes the edition.
    pub publisher: &'a str,
    /// The licence statement.
    pub licence: &'a str,
}

/// Writes a book's title page as a `<section>`, one line per fact.
pub fn write_title_page<W: Write>(w: &mut Writer<W>, page: &TitlePage) -> io::Result<()> {
    let lines = [
        ("h1", "title", Some(page.title)),
        ("p", "volume", Some(page.volume).filter(|v| !v.is_empty())),
        ("p", "span", page.span),
        ("p", "publisher", Some(page.publisher)),
        ("p", "licence", Some(page.licence)),
    ];
    w.create_element("section")
        .with_attributes([("class", "title-page"), ("epub:type", "titlepage")])
        .write_inner_content(|w| {
            newline(w)?;
            for (name, class, words) in lines {
                if let Some(words) = words {
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

/// Writes one day as a `<section>`: its heading, its sections (a thematic break between
/// each two) and its closing line.
pub fn write_day<W: Write>(w: &mut Writer<W>, day: &Day, links: &Links) -> io::Result<()> {
    let id = day_id(day.date());
    w.create_element("section")
        .with_attributes([
            ("class", "day"),
            ("id", id.as_str()),
            ("epub:type", "chapter"),
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
                write_section(w, section, links)?;
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

fn write_section<W: Write>(w: &mut Writer<W>, section: &Section, links: &Links) -> io::Result<()> {
    w.create_element("section")
        .with_attribute(("class", "notes"))
        .write_inner_content(|w| {
            newline(w)?;
            section
                .blocks
                .iter()
                .try_for_each(|block| write_block(w, block, links))
        })?;
    newline(w)
}

fn write_block<W: Write>(w: &mut Writer<W>, block: &Block, links: &Links) -> io::Result<()> {
    match block {
        Block::Paragraph(paragraph) => write_paragraph(w, paragraph, links)?,
        Block::List(list) => write_list(w, list, "list", links)?,
        Block::Media(media) => write_media(w, media)?,
        Block::Correspondence(correspondence) => write_correspondence(w, correspondence)?,
        Block::Label(label) => write_label(w, label)?,
    }
    newline(w)
}

fn write_paragraph<W: Write>(
    w: &mut Writer<W>,
    paragraph: &Paragraph,
    links: &Links,
) -> io::Result<()> {
    match paragraph.parts.as_slice() {
        [ParagraphPart::Inlines(inlines)] => {
            w.create_element("p")
                .write_inner_content(|w| write_inlines(w, inlines, links, 0))?;
        }
        parts => {
            // See the module documentation: a `<p>` cannot hold the list.
            w.create_element("div")
                .with_attribute(("class", "para"))
                .write_inner_content(|w| {
                    parts.iter().try_for_each(|part| match part {
                        ParagraphPart::Inlines(inlines) => write_inlines(w, inlines, links, 0),
                        ParagraphPart::List(list) => write_list(w, list, "in-sentence", links),
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
    links: &Links,
) -> io::Result<()> {
    w.create_element("ol")
        .with_attribute(("class", class))
        .write_inner_content(|w| {
            newline(w)?;
            list.items
                .iter()
                .try_for_each(|item| write_item(w, item, links))
        })?;
    Ok(())
}

fn write_item<W: Write>(w: &mut Writer<W>, item: &Item, links: &Links) -> io::Result<()> {
    // Items keep their numbers as written, even when they do not count up from 1.
    w.create_element("li")
        .with_attribute(("value", item.number.to_string().as_str()))
        .write_inner_content(|w| write_inlines(w, &item.content, links, 0))?;
    newline(w)
}

fn write_media<W: Write>(w: &mut Writer<W>, media: &MediaList) -> io::Result<()> {
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
                    .try_for_each(|code| write_media_code(w, code))
            })?;
            newline(w)
        })?;
    Ok(())
}

fn write_media_code<W: Write>(w: &mut Writer<W>, code: &MediaCode) -> io::Result<()> {
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
        // The kind code is shown exactly: a human label may only come from configuration.
        w.create_element("td").write_inner_content(|w| {
            w.create_element("code")
                .with_attribute(("class", "media-kind"))
                .write_text_content(escaped(&code.kind))?;
            Ok(())
        })?;
        Ok(())
    })?;
    newline(w)
}

fn write_correspondence<W: Write>(
    w: &mut Writer<W>,
    correspondence: &Correspondence,
) -> io::Result<()> {
    w.create_element("p")
        .with_attribute(("class", "correspondence"))
        .write_inner_content(|w| {
            field(w, "sender", &correspondence.sender)?;
            text(w, " to ")?;
            field(w, "recipient", &correspondence.recipient)?;
            text(w, " concerning ")?;
            field(w, "subject", &correspondence.subject)?;
            text(w, &correspondence.trailing)
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
    links: &Links,
    depth: usize,
) -> io::Result<()> {
    inlines
        .iter()
        .try_for_each(|inline| write_inline(w, inline, links, depth))
}

fn write_inline<W: Write>(
    w: &mut Writer<W>,
    inline: &Inline,
    links: &Links,
    depth: usize,
) -> io::Result<()> {
    match inline {
        Inline::Text { text: words, .. } => text(w, words),
        Inline::Citation(citation) => write_citation(w, citation),
        Inline::CrossRef(cross_ref) => write_cross_ref(w, cross_ref, links),
        Inline::Quote { content, .. } => {
            let (open, close) = if depth.is_multiple_of(2) {
                ("\u{201C}", "\u{201D}")
            } else {
                ("\u{2018}", "\u{2019}")
            };
            w.create_element("span")
                .with_attribute(("class", "quote"))
                .write_inner_content(|w| {
                    text(w, open)?;
                    write_inlines(w, content, links, depth + 1)?;
                    text(w, close)
                })?;
            Ok(())
        }
    }
}

fn write_citation<W: Write>(w: &mut Writer<W>, citation: &Citation) -> io::Result<()> {
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
        List, MediaCode, MediaList, NoteRef, Paragraph, ParagraphPart, Position, Section,
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
    use super::{Links, Page, TitlePage, write_day, write_document, write_title_page};
    use crate::ast::{Block, Day, NoteRef};

    fn render(day: &Day, links: &Links) -> String {
        let mut w = Writer::new(Vec::new());
        write_day(&mut w, day, links).unwrap();
        String::from_utf8(w.into_inner()).unwrap()
    }

    fn render_blocks(blocks: Vec<Block>) -> String {
        render(&day(date(1950, 1, 22), vec![blocks]), &Links::new())
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
    fn the_title_page_shows_title_year_span_publisher_and_licence_in_order() {
        let page = TitlePage {
            title: "Notes & queries",
            volume: "1950",
            span: None,
            publisher: "daybook",
            licence: "CC BY 4.0",
        };
        let mut w = Writer::new(Vec::new());
        write_title_page(&mut w, &page).unwrap();
        assert_eq!(
            String::from_utf8(w.into_inner()).unwrap(),
            "<section class=\"title-page\" epub:type=\"titlepage\">\n\
             <h1 class=\"title\">Notes &amp; queries</h1>\n\
             <p class=\"volume\">1950</p>\n\
             <p class=\"publisher\">daybook</p>\n\
             <p class=\"licence\">CC BY 4.0</p>\n\
             </section>\n"
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
        let mut w = Writer::new(Vec::new());
        write_document(&mut w, &page, |w| write_day(w, &day, &Links::new())).unwrap();
        let xhtml = String::from_utf8(w.into_inner()).unwrap();
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
