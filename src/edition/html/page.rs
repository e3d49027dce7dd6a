//! The page around every part of the site: `<head>` with the stylesheet and the alternate
//! editions, a banner with the way back to the index, and the `<main>` landmark.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesText, Event};

use crate::edition::{tag, xml_safe};

/// What a page says of itself besides its content.
pub(super) struct Shell<'a> {
    /// The BCP 47 language of the page.
    pub(super) language: &'a str,
    /// The page's `<title>`.
    pub(super) title: &'a str,
    /// The way from the page to the site's root: `""` or `"../"`.
    pub(super) root: &'a str,
    /// The pages above this one below the index, as (href, words): its year and month.
    pub(super) trail: &'a [(&'a str, &'a str)],
    /// The page's content in other editions, as (href, media type, name).
    pub(super) alternates: &'a [(&'a str, &'a str, &'a str)],
    /// Whether the page runs the site's script: the search page, which queries the index,
    /// and day pages, which mark the words a search found.
    pub(super) script: bool,
}

/// Writes a whole page: the doctype, `<head>`, the banner and `<main>`, whose content
/// `main` writes.
pub(super) fn write_page(
    out: &mut Vec<u8>,
    shell: &Shell,
    main: impl FnOnce(&mut Writer<&mut Vec<u8>>) -> io::Result<()>,
) -> io::Result<()> {
    let mut w = Writer::new(out);
    w.write_event(Event::DocType(BytesText::from_escaped("html")))?;
    newline(&mut w)?;
    let language = xml_safe(shell.language);
    w.create_element(tag("html"))
        .with_attribute(("lang", &*language))
        .write_inner_content(|w| {
            newline(w)?;
            w.create_element("head").write_inner_content(|w| {
                newline(w)?;
                w.create_element(tag("meta"))
                    .with_attribute(("charset", "utf-8"))
                    .write_empty()?;
                newline(w)?;
                // Without it, phones lay the page out for a desktop's width and shrink it.
                w.create_element(tag("meta"))
                    .with_attributes([
                        ("name", "viewport"),
                        ("content", "width=device-width, initial-scale=1"),
                    ])
                    .write_empty()?;
                newline(w)?;
                w.create_element("title")
                    .write_text_content(escaped(shell.title))?;
                newline(w)?;
                w.create_element(tag("link"))
                    .with_attributes([
                        ("rel", "stylesheet"),
                        ("href", format!("{}style.css", shell.root).as_str()),
                    ])
                    .write_empty()?;
                newline(w)?;
                if shell.script {
                    // Written with an end tag: HTML reads `<script/>` as an unclosed element.
                    w.create_element(tag("script"))
                        .with_attributes([
                            ("src", format!("{}search.js", shell.root).as_str()),
                            ("defer", "defer"),
                        ])
                        .write_inner_content(|_| Ok(()))?;
                    newline(w)?;
                }
                for &(href, kind, name) in shell.alternates {
                    w.create_element(tag("link"))
                        .with_attributes([
                            ("rel", "alternate"),
                            ("type", kind),
                            ("href", &*xml_safe(href)),
                            ("title", name),
                        ])
                        .write_empty()?;
                    newline(w)?;
                }
                Ok(())
            })?;
            newline(w)?;
            w.create_element("body").write_inner_content(|w| {
                newline(w)?;
                w.create_element("header").write_inner_content(|w| {
                    w.create_element(tag("nav"))
                        .with_attributes([("class", "trail"), ("aria-label", "Where you are")])
                        .write_inner_content(|w| {
                            link(w, &format!("{}index.html", shell.root), "Index")?;
                            for &(href, words) in shell.trail {
                                text(w, " \u{203A} ")?;
                                link(w, href, words)?;
                            }
                            Ok(())
                        })?;
                    w.create_element(tag("a"))
                        .with_attributes([
                            ("class", "search-link"),
                            ("href", format!("{}search.html", shell.root).as_str()),
                        ])
                        .write_text_content(escaped("Search"))?;
                    Ok(())
                })?;
                newline(w)?;
                w.create_element("main").write_inner_content(|w| {
                    newline(w)?;
                    main(w)
                })?;
                newline(w)
            })?;
            newline(w)
        })?;
    newline(&mut w)
}

/// A link saying `words`.
pub(super) fn link<W: Write>(w: &mut Writer<W>, href: &str, words: &str) -> io::Result<()> {
    w.create_element(tag("a"))
        .with_attribute(("href", &*xml_safe(href)))
        .write_text_content(escaped(words))?;
    Ok(())
}

pub(super) fn text<W: Write>(w: &mut Writer<W>, words: &str) -> io::Result<()> {
    w.write_event(Event::Text(escaped(words)))
}

/// `words` as character data, only `<`, `>` and `&` escaped, as in the books.
pub(super) use crate::edition::xhtml::escaped;

/// A line break between block elements, so that pages read well as source.
pub(super) fn newline<W: Write>(w: &mut Writer<W>) -> io::Result<()> {
    w.write_event(Event::Text(BytesText::new("\n")))
}
