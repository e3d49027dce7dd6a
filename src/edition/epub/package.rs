//! The book's package: the OCF container document, the package document (OPF: metadata,
//! manifest, spine and guide) and the EPUB 2 table of contents (NCX) that older reading
//! systems read instead of the navigation document; all written with quick-xml.

use std::io::{self, Write};

use chrono::{SecondsFormat, Utc};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};
use uuid::Uuid;

use super::{NAV, STYLESHEET_HREF};
use crate::edition::xhtml::{self, NavEntry};
use crate::edition::{Metadata, tag, xml_safe};

/// Where the package document is, the one path a reading system knows in advance being the
/// container's (`META-INF/container.xml`), which names it.
pub(super) const PACKAGE_ENTRY: &str = "OEBPS/content.opf";

/// The EPUB 2 table of contents' file, beside the package document.
pub(super) const NCX: &str = "toc.ncx";

/// The OCF container document: where the package document is.
pub(super) const CONTAINER: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml" />
  </rootfiles>
</container>
"#;

/// Apple Books shows the book's own fonts only when told to.
pub(super) const IBOOKS_OPTIONS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<display_options>
  <platform name="*">
    <option name="specified-fonts">true</option>
  </platform>
</display_options>
"#;

/// The features every book daybook writes has (schema.org `accessibilityFeature`): its
/// documents are reflowable text styled in em, without fixed layout, so that reading systems
/// can change fonts, sizes and colours; every day is a chapter under a heading; the
/// navigation document lists the months and days; the spine is in date order.
const ACCESSIBILITY_FEATURES: [&str; 4] = [
    "displayTransformability",
    "readingOrder",
    "structuralNavigation",
    "tableOfContents",
];

/// What the schema.org metadata cannot say, including what the books lack. It is checked by
/// Ace in the tests, which find no violation, but an automatic check is not an evaluation:
/// daybook claims conformance (`dcterms:conformsTo`) only when the configuration names who
/// evaluated the books (`a11y:certifiedBy`).
const ACCESSIBILITY_SUMMARY: &str = "This book is reflowable text without images, audio or \
    video, with light and dark colour schemes. Each day is a chapter with its own heading, \
    and the table of contents lists the days under their months. Citation numbers refer to \
    notes that are not part of the book, and passages in languages other than the book's are \
    not marked as such.";

/// The summary's last sentence when nobody has evaluated the book.
const NOT_EVALUATED: &str = "The book has not been evaluated for conformance to EPUB \
    Accessibility or WCAG; automatic checks (Ace by DAISY) report no violation.";

/// The conformance claimed when an evaluator is named: EPUB Accessibility 1.1's identifier
/// for WCAG 2.1 Level AA.
const CONFORMANCE: &str = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA";

/// A content document of the book, in reading order.
#[derive(Debug, Clone, Copy)]
pub(super) struct Document<'a> {
    /// Its file, relative to the package document.
    pub href: &'a str,
    /// Its reference in the EPUB 2 guide: the type and the title, if it has one.
    pub guide: Option<(&'a str, &'a str)>,
}

/// What the package document says of the book.
#[derive(Debug)]
pub(super) struct Package<'a> {
    /// The book's title.
    pub title: &'a str,
    /// The volume of the collection the book is (`1950`), empty for the whole collection.
    pub volume: &'a str,
    /// The volume's identifier, the one its TEI corpus carries.
    pub volume_id: &'a str,
    /// The book's unique identifier, derived from its content.
    pub identifier: Uuid,
    /// The licence statement.
    pub licence: &'a str,
    /// The edition's metadata.
    pub metadata: &'a Metadata,
    /// The content documents in reading order.
    pub documents: &'a [Document<'a>],
}

/// The package document: metadata, manifest, spine and guide.
pub(super) fn write_package(package: &Package) -> io::Result<Vec<u8>> {
    let metadata = package.metadata;
    let language = one_line(&metadata.language);
    let identifier = urn(package.identifier);
    // Without a build time the book is stamped with the clock, the one clock reading
    // issue 3 allows.
    let modified = metadata
        .build_time
        .unwrap_or_else(Utc::now)
        .to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut w = xml_writer()?;
    w.create_element(tag("package"))
        .with_attributes([
            ("version", "3.0"),
            ("xmlns", "http://www.idpf.org/2007/opf"),
            ("unique-identifier", "epub-id-1"),
            ("xml:lang", language.as_str()),
        ])
        .write_inner_content(|w| {
            w.create_element(tag("metadata"))
                .with_attribute(("xmlns:dc", "http://purl.org/dc/elements/1.1/"))
                .write_inner_content(|w| {
                    metadata_element(w, "dc:identifier", &[("id", "epub-id-1")], &identifier)?;
                    metadata_element(w, "dc:title", &[], &one_line(package.title))?;
                    metadata_element(w, "dc:language", &[], &language)?;
                    let property = [("property", "dcterms:modified")];
                    metadata_element(w, "meta", &property, &modified)?;
                    for subject in metadata.subjects.iter().map(|s| one_line(s)) {
                        if !subject.is_empty() {
                            metadata_element(w, "dc:subject", &[], &subject)?;
                        }
                    }
                    metadata_element(w, "dc:rights", &[], &one_line(package.licence))?;
                    write_package_metadata(w, package, modified.get(..10).unwrap_or_default())
                })?;
            write_manifest(w, package.documents)?;
            w.create_element(tag("spine"))
                .with_attributes([("toc", "ncx"), ("page-progression-direction", "ltr")])
                .write_inner_content(|w| {
                    for document in package.documents {
                        let id = item_id(document.href);
                        w.create_element(tag("itemref"))
                            .with_attribute(("idref", id.as_str()))
                            .write_empty()?;
                    }
                    Ok(())
                })?;
            w.create_element("guide").write_inner_content(|w| {
                let toc = Some(("toc", "Contents"));
                let nav = Document {
                    href: NAV,
                    guide: toc,
                };
                for document in std::iter::once(&nav).chain(package.documents) {
                    if let Some((kind, title)) = document.guide {
                        w.create_element(tag("reference"))
                            .with_attributes([
                                ("type", kind),
                                ("title", &*xml_safe(title)),
                                ("href", document.href),
                            ])
                            .write_empty()?;
                    }
                }
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(end_document(w))
}

fn write_manifest<W: Write>(w: &mut Writer<W>, documents: &[Document]) -> io::Result<()> {
    w.create_element("manifest").write_inner_content(|w| {
        w.create_element(tag("item"))
            .with_attributes([
                ("id", "ncx"),
                ("href", NCX),
                ("media-type", "application/x-dtbncx+xml"),
            ])
            .write_empty()?;
        w.create_element(tag("item"))
            .with_attributes([
                ("id", "nav"),
                ("href", NAV),
                ("media-type", "application/xhtml+xml"),
                ("properties", "nav"),
            ])
            .write_empty()?;
        let files = std::iter::once((STYLESHEET_HREF, "text/css")).chain(
            documents
                .iter()
                .map(|document| (document.href, "application/xhtml+xml")),
        );
        for (href, media_type) in files {
            w.create_element(tag("item"))
                .with_attributes([
                    ("id", item_id(href).as_str()),
                    ("href", href),
                    ("media-type", media_type),
                ])
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The manifest id of a file: `id_` and its name, which then always starts with a letter.
fn item_id(href: &str) -> String {
    format!("id_{href}")
}

fn urn(identifier: Uuid) -> String {
    format!("urn:uuid:{identifier}")
}

/// The EPUB 2 table of contents: the entries of the navigation document's, numbered in
/// reading order.
pub(super) fn write_ncx(title: &str, identifier: Uuid, toc: &[NavEntry]) -> io::Result<Vec<u8>> {
    fn depth(entries: &[NavEntry]) -> usize {
        entries
            .iter()
            .map(|entry| 1 + depth(&entry.children))
            .max()
            .unwrap_or(0)
    }
    fn nav_points<W: Write>(
        w: &mut Writer<W>,
        entries: &[NavEntry],
        order: &mut usize,
    ) -> io::Result<()> {
        for entry in entries {
            *order += 1;
            let id = format!("navPoint-{order}");
            w.create_element(tag("navPoint"))
                .with_attributes([("id", id.as_str()), ("playOrder", &order.to_string())])
                .write_inner_content(|w| {
                    w.create_element("navLabel").write_inner_content(|w| {
                        w.create_element("text")
                            .write_text_content(xhtml::escaped(&entry.title))?;
                        Ok(())
                    })?;
                    w.create_element(tag("content"))
                        .with_attribute(("src", &*xml_safe(&entry.href)))
                        .write_empty()?;
                    nav_points(w, &entry.children, order)
                })?;
        }
        Ok(())
    }
    let mut w = xml_writer()?;
    w.create_element(tag("ncx"))
        .with_attributes([
            ("version", "2005-1"),
            ("xmlns", "http://www.daisy.org/z3986/2005/ncx/"),
        ])
        .write_inner_content(|w| {
            w.create_element("head").write_inner_content(|w| {
                let depth = depth(toc).to_string();
                let metas = [
                    ("dtb:uid", urn(identifier)),
                    ("dtb:depth", depth),
                    ("dtb:totalPageCount", "0".to_owned()),
                    ("dtb:maxPageNumber", "0".to_owned()),
                ];
                for (name, content) in &metas {
                    w.create_element(tag("meta"))
                        .with_attributes([("name", *name), ("content", content.as_str())])
                        .write_empty()?;
                }
                Ok(())
            })?;
            w.create_element("docTitle").write_inner_content(|w| {
                w.create_element("text")
                    .write_text_content(xhtml::escaped(&one_line(title)))?;
                Ok(())
            })?;
            w.create_element("navMap")
                .write_inner_content(|w| nav_points(w, toc, &mut 0))?;
            Ok(())
        })?;
    Ok(end_document(w))
}

/// A writer of an indented XML document, its declaration written.
fn xml_writer() -> io::Result<Writer<Vec<u8>>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(w)
}

/// The document `w` wrote, ending in a line break as text files do.
fn end_document(w: Writer<Vec<u8>>) -> Vec<u8> {
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    bytes
}

/// `text` as package metadata: forbidden characters replaced and whitespace runs made single
/// spaces, since reading systems show metadata on one line.
pub(super) fn one_line(text: &str) -> String {
    xml_safe(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The publication date, the subtitle (a second `dc:title` refined as the subtitle; the first
/// one stays the main title), each editor as a `dc:creator` with the MARC relator `edt` (or,
/// with no editor named, the publisher as creator without a role), the publisher, and
/// the EPUB Accessibility 1.1 discovery metadata. Empty values are left out: EPUB forbids
/// empty Dublin Core elements.
///
/// The role is an EPUB 3 refinement only (EPUBCheck refuses EPUB 2's `opf:role`); Calibre 6
/// reads it, and having no editor field it lists editors under its authors, as editors
/// (`edt`) of a book without author.
fn write_package_metadata<W: Write>(
    w: &mut Writer<W>,
    package: &Package,
    date: &str,
) -> io::Result<()> {
    let metadata = package.metadata;
    // The UUID stays the unique identifier, but Calibre takes a `urn:uuid:` for its own
    // bookkeeping and shows it nowhere; the volume's identifier, the one its TEI corpus
    // carries, is a second identifier that it keeps and shows.
    metadata_element(
        w,
        "dc:identifier",
        &[("id", "volume-id")],
        &one_line(package.volume_id),
    )?;
    // dc:date, the publication date: that of dcterms:modified, so that the two always agree.
    if !date.is_empty() {
        metadata_element(w, "dc:date", &[], date)?;
    }
    if let Some(subtitle) = metadata.subtitle_of(package.volume).map(one_line) {
        metadata_element(w, "dc:title", &[("id", "subtitle")], &subtitle)?;
        let refinement = [("refines", "#subtitle"), ("property", "title-type")];
        metadata_element(w, "meta", &refinement, "subtitle")?;
    }
    let publisher = one_line(&metadata.publisher);
    let editors: Vec<String> = metadata.named_editors().map(one_line).collect();
    // The publisher, standing in for the editors, gets no role: it authored nothing and
    // edited nothing, and a creator without a role is what Calibre shows (it drops a `pbl`
    // creator and shows the book's author as "Unknown").
    let creators: Vec<(&str, &str, Option<&str>)> = if editors.is_empty() {
        Some(("publisher", publisher.as_str(), None))
            .filter(|_| !publisher.is_empty())
            .into_iter()
            .collect()
    } else {
        editors
            .iter()
            .map(|editor| ("editor", editor.as_str(), Some("edt")))
            .collect()
    };
    for (index, (kind, name, relator)) in creators.into_iter().enumerate() {
        let id = format!("{kind}-{}", index + 1);
        metadata_element(w, "dc:creator", &[("id", &id)], name)?;
        if let Some(relator) = relator {
            let refines = format!("#{id}");
            let role = [
                ("refines", refines.as_str()),
                ("property", "role"),
                ("scheme", "marc:relators"),
            ];
            metadata_element(w, "meta", &role, relator)?;
        }
    }
    if !publisher.is_empty() {
        metadata_element(w, "dc:publisher", &[], &publisher)?;
    }
    // Calibre has no editor field and files editors as authors; the description, which it
    // shows as the book's comments, says who edited it in words every reader program shows.
    if let Some(edited_by) = xhtml::edited_by(&metadata.editors) {
        metadata_element(
            w,
            "dc:description",
            &[],
            &one_line(&format!("{edited_by}.")),
        )?;
    }
    let certified_by = metadata
        .accessibility_certified_by
        .as_deref()
        .map(one_line)
        .filter(|name| !name.is_empty());
    let summary = accessibility_summary(certified_by.as_deref());
    let schema = [
        ("schema:accessMode", "textual"),
        ("schema:accessModeSufficient", "textual"),
    ]
    .into_iter()
    .chain(ACCESSIBILITY_FEATURES.map(|feature| ("schema:accessibilityFeature", feature)))
    .chain([
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", summary.as_str()),
    ]);
    for (property, value) in schema {
        metadata_element(w, "meta", &[("property", property)], value)?;
    }
    if let Some(evaluator) = &certified_by {
        metadata_element(
            w,
            "meta",
            &[("property", "dcterms:conformsTo")],
            CONFORMANCE,
        )?;
        metadata_element(w, "meta", &[("property", "a11y:certifiedBy")], evaluator)?;
    }
    Ok(())
}

/// The accessibility summary: what the book has and lacks, and who evaluated it, if anyone.
pub(super) fn accessibility_summary(certified_by: Option<&str>) -> String {
    let evaluation = match certified_by {
        Some(evaluator) => format!(
            "{evaluator} evaluated the book as meeting EPUB Accessibility 1.1 and WCAG 2.1 Level AA."
        ),
        None => NOT_EVALUATED.to_owned(),
    };
    format!("{ACCESSIBILITY_SUMMARY} {evaluation}")
}

/// One metadata element. Only `<`, `>` and `&` are escaped in the text, as in the content
/// documents, so that names with apostrophes stay readable.
fn metadata_element<W: Write>(
    w: &mut Writer<W>,
    name: &str,
    attributes: &[(&str, &str)],
    value: &str,
) -> io::Result<()> {
    w.create_element(tag(name))
        .with_attributes(attributes.iter().copied())
        .write_text_content(xhtml::escaped(value))?;
    Ok(())
}
