//! The front and back matter of a book: its cover, its title page and its colophon.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use quick_xml::Writer;

use super::{escaped, newline, text};
use crate::edition::{long_date, tag, xml_safe};

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
    w.create_element(tag("section"))
        .with_attribute(("class", class))
        .with_attributes(semantics.iter().copied())
        .write_inner_content(|w| {
            newline(w)?;
            for &(name, class, words) in lines {
                if let Some(words) = words.filter(|words| !words.trim().is_empty()) {
                    w.create_element(tag(name))
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
            w.create_element(tag("h1"))
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
                            w.create_element(tag("a"))
                                .with_attribute(("href", &*xml_safe(url)))
                                .write_text_content(escaped(colophon.licence))?;
                            Ok(())
                        }
                        None => text(w, colophon.licence),
                    })?;
                }
                if !colophon.sources.is_empty() {
                    definition(w, "Sources", |w| {
                        w.create_element(tag("ul"))
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
                        w.create_element(tag("time"))
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

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::super::build::written;
    use super::{Colophon, Front, write_colophon, write_cover, write_title_page};

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
}
