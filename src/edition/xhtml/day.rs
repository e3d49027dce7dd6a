//! A day as XHTML: one `write_*` function per AST level, from the day down to its inlines,
//! shared by the EPUB chapters and the web edition's day pages.

use std::io::{self, Write};

use chrono::NaiveDate;
use quick_xml::Writer;

use super::{Book, Links, Target, escaped, newline, text};
use crate::ast::{
    Block, Citation, Closing, Correspondence, CrossRef, Day, Heading, Inline, Item, Label, List,
    MediaCode, MediaList, NoteRef, Paragraph, ParagraphPart, QuoteMarks, Section, SubjectPart,
};
use crate::edition::{Metadata, long_date, tag, weekday_name, xml_safe};

/// Writes one day as a `<section>`: its heading, its sections (a thematic break between
/// each two) and its closing line.
pub fn write_day<W: Write>(w: &mut Writer<W>, day: &Day, book: &Book) -> io::Result<()> {
    let id = day_id(day.date());
    let element = match book.target {
        Target::Epub => w.create_element(tag("section")).with_attributes([
            ("class", "day"),
            ("id", id.as_str()),
            ("epub:type", "chapter"),
            ("role", "doc-chapter"),
        ]),
        Target::Web => w
            .create_element(tag("article"))
            .with_attributes([("class", "day"), ("id", id.as_str())]),
    };
    element.write_inner_content(|w| {
        newline(w)?;
        write_heading(w, &day.heading)?;
        for (index, section) in day.sections.iter().enumerate() {
            if index > 0 {
                // Sections come from different sources (FORMAT.md): a visible break that
                // survives reading systems which ignore the stylesheet.
                w.create_element(tag("hr"))
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
    w.create_element(tag("h1"))
        .with_attribute(("class", "day-heading"))
        .write_inner_content(|w| {
            w.create_element(tag("span"))
                .with_attribute(("class", "date"))
                .write_text_content(escaped(&long_date(heading.date)))?;
            if let Some(weekday) = heading.weekday {
                text(w, " ")?;
                w.create_element(tag("span"))
                    .with_attribute(("class", "weekday"))
                    .write_text_content(escaped(&format!("({})", weekday_name(weekday))))?;
            }
            Ok(())
        })?;
    newline(w)
}

fn write_section<W: Write>(w: &mut Writer<W>, section: &Section, book: &Book) -> io::Result<()> {
    w.create_element(tag("section"))
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
            w.create_element(tag("div"))
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
    w.create_element(tag("ol"))
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
    w.create_element(tag("li"))
        .with_attribute(("value", item.number.to_string().as_str()))
        .write_inner_content(|w| write_inlines(w, &item.content, book, 0))?;
    newline(w)
}

fn write_media<W: Write>(
    w: &mut Writer<W>,
    media: &MediaList,
    metadata: &Metadata,
) -> io::Result<()> {
    w.create_element(tag("table"))
        .with_attribute(("class", "media"))
        .write_inner_content(|w| {
            newline(w)?;
            w.create_element("thead").write_inner_content(|w| {
                w.create_element("tr").write_inner_content(|w| {
                    for heading in ["Date", "Time", "Kind"] {
                        w.create_element(tag("th"))
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
            w.create_element(tag("time"))
                .with_attribute((
                    "datetime",
                    code.date.format("%Y-%m-%d").to_string().as_str(),
                ))
                .write_text_content(escaped(&long_date(code.date)))?;
            Ok(())
        })?;
        w.create_element("td").write_inner_content(|w| {
            let time = code.time.format("%H:%M").to_string();
            w.create_element(tag("time"))
                .with_attribute(("datetime", time.as_str()))
                .write_text_content(escaped(&time))?;
            Ok(())
        })?;
        // The kind code is always shown exactly, as written in the notes; a human label may
        // only come from configuration, and goes before it: `Photograph (pic)`.
        w.create_element("td").write_inner_content(|w| {
            let label = metadata.media_label(&code.kind);
            if let Some(label) = label {
                w.create_element(tag("span"))
                    .with_attribute(("class", "media-label"))
                    .write_text_content(escaped(label))?;
                text(w, " (")?;
            }
            w.create_element(tag("code"))
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
    w.create_element(tag("p"))
        .with_attribute(("class", "correspondence"))
        .write_inner_content(|w| {
            let linked = book.target == Target::Epub;
            let c = correspondence;
            super::indexes::write_correspondent(
                w,
                "sender",
                &c.sender,
                c.sender_id.as_deref(),
                linked,
            )?;
            text(w, " to ")?;
            let recipient = c.recipient_id.as_deref();
            super::indexes::write_correspondent(w, "recipient", &c.recipient, recipient, linked)?;
            text(w, " concerning ")?;
            w.create_element(tag("span"))
                .with_attribute(("class", "subject"))
                .write_inner_content(|w| {
                    c.subject_parts()
                        .into_iter()
                        .try_for_each(|part| match part {
                            SubjectPart::Text(words) => text(w, words),
                            SubjectPart::Name(name) => super::indexes::write_name(w, name, linked),
                        })
                })?;
            text(w, &correspondence.trailing)?;
            correspondence
                .citations
                .iter()
                .try_for_each(|citation| write_citation(w, citation, book))
        })?;
    Ok(())
}

fn write_label<W: Write>(w: &mut Writer<W>, label: &Label) -> io::Result<()> {
    w.create_element(tag("p"))
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
    w.create_element(tag("p"))
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
        Inline::Name(name) => {
            super::indexes::write_name(w, name, book.target == super::Target::Epub)
        }
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
            w.create_element(tag("span"))
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
    w.create_element(tag("sup"))
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
            .create_element(tag("a"))
            .with_attributes([("href", &*xml_safe(href))]),
        None => w.create_element("span"),
    };
    element
        .with_attributes([("class", "cross-ref"), ("title", target.as_str())])
        .write_text_content(escaped(&words))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::build::{
        cite, date, day, label, letter, list, media, para, para_with_list, quote, see, text,
        written,
    };
    use super::super::{Book, Links, Target};
    use super::write_day;
    use crate::ast::{Block, Day, NoteRef};
    use crate::edition::Metadata;

    fn render_with(day: &Day, links: &Links, metadata: &Metadata) -> String {
        written(|w| {
            write_day(
                w,
                day,
                &Book {
                    links,
                    metadata,
                    endnotes: None,
                    target: Target::Epub,
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
}
