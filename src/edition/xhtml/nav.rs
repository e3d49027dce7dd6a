//! The EPUB navigation document: the table of contents and the landmarks.

use std::io::{self, Write};

use quick_xml::Writer;

use super::{escaped, newline};
use crate::edition::{tag, xml_safe};

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
    w.create_element(tag("nav"))
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
    w.create_element(tag("nav"))
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
                        w.create_element(tag("a"))
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
                w.create_element(tag("a"))
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

#[cfg(test)]
mod tests {
    use super::super::build::written;
    use super::{Landmark, NavEntry, write_nav};

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
}
