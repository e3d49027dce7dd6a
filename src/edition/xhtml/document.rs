//! The shell of an EPUB content document: declaration, doctype, `<head>` and `<body>`.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::{escaped, newline};
use crate::edition::{tag, xml_safe};

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
    w.create_element(tag("html"))
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
                w.create_element(tag("meta"))
                    .with_attribute(("charset", "utf-8"))
                    .write_empty()?;
                newline(w)?;
                w.create_element("title")
                    .write_text_content(escaped(page.title))?;
                newline(w)?;
                w.create_element(tag("link"))
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

#[cfg(test)]
mod tests {
    use super::super::build::{date, day, media, para_with_list, written};
    use super::super::{Book, Links, Target, write_day};
    use super::{Page, write_document};
    use crate::edition::Metadata;

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
            target: Target::Epub,
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
