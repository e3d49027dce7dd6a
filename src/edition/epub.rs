//! The EPUB 3 edition: one book per volume, a cover, a title page, a chapter per day and a
//! colophon.
//!
//! epub-builder assembles the package (OPF, NCX, archive); the documents are rendered by
//! [`super::xhtml`]. Two builds of the same days with the same
//! [`Metadata::build_time`](super::Metadata::build_time) are byte-identical: the identifier
//! is derived from the content, and every archive entry gets the same timestamp.
//!
//! What epub-builder 0.8.3 cannot express is done on its finished archive, which is
//! rewritten anyway for the timestamps:
//!
//! - its `MetadataRenderer` trait is not exported, so `add_metadata_opf` only takes its own
//!   `<meta>` renderers, which write their text unescaped; and `add_author` writes the role
//!   `aut` under ids that collide with the language's. The subtitle, the editors, the
//!   publisher and the accessibility metadata are therefore written with quick-xml into the
//!   `<metadata>` of the OPF it wrote ([`complete_package`]);
//! - its navigation document comes from a template without `lang` (`inline_toc` uses the same
//!   template), so it is replaced by one written by [`xhtml::write_nav`] from the same entries
//!   as the NCX.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Cursor, Read, Seek, Write};

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesText, Event};
use quick_xml::{Reader, Writer};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::xhtml::{
    self, Book, Colophon, Endnotes, Front, Landmark, Links, NOTES_HREF, NavEntry, Page, Target,
};
use super::{Context, EditionError, Metadata, SourcedDay, long_date, xml_safe};

/// The stylesheet every document of the book links.
const STYLESHEET: &str = include_str!("../../stylesheets/epub.css");

/// Where epub-builder puts the stylesheet, relative to the documents.
const STYLESHEET_HREF: &str = "stylesheet.css";

/// The cover's file.
const COVER: &str = "cover.xhtml";

/// The title page's file.
const TITLE_PAGE: &str = "title.xhtml";

/// The colophon's file.
const COLOPHON: &str = "colophon.xhtml";

/// Where epub-builder writes the package document, which [`write_book`] completes.
const PACKAGE_ENTRY: &str = "OEBPS/content.opf";

/// Where epub-builder writes its navigation document, which [`write_book`] replaces.
const NAV_ENTRY: &str = "OEBPS/nav.xhtml";

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

/// Writes days, in date order, as one EPUB 3 book: the volume `volume` of the collection
/// (`1950`, `January 1950`), or the whole collection when `volume` is empty.
///
/// The book holds a cover, a title page, one chapter per day and a colophon; its table of
/// contents groups the days under their months. A cross-reference becomes a link when the
/// collection holds its target and the target is a chapter of this book. When the book's days
/// cite notes of `ctx.notes`, the citations become note references and a notes document
/// after the last chapter holds those notes, each linking back to every citation of it.
pub fn write_book<W: Write + Seek>(
    volume: &str,
    days: &[SourcedDay],
    ctx: &Context,
    out: W,
) -> Result<(), EditionError> {
    let metadata = ctx.metadata;
    let title = book_title(&metadata.title, volume);
    let hrefs = chapter_hrefs(days);
    let links = book_links(days, &hrefs, ctx);
    let span = date_span(days);
    let front = Front {
        title: &metadata.title,
        subtitle: metadata.subtitle_of(volume),
        volume,
        span: span.as_deref(),
        editors: &metadata.editors,
        publisher: &metadata.publisher,
    };
    let language = &metadata.language;

    let cover = render(language, &title, |w| xhtml::write_cover(w, &front))?;
    let title_page = render(language, &title, |w| xhtml::write_title_page(w, &front))?;
    let endnotes = Endnotes::new(ctx.notes);
    let book = Book {
        links: &links,
        metadata,
        endnotes: (!ctx.notes.is_empty()).then_some(&endnotes),
        target: Target::Epub,
    };
    let chapters = days
        .iter()
        .zip(&hrefs)
        .map(|(sourced, href)| {
            endnotes.chapter(href, sourced.day.date());
            render(language, &long_date(sourced.day.date()), |w| {
                xhtml::write_day(w, &sourced.day, &book)
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Only a book that cites a note has a notes document: without notes, the book is as
    // it was before notes sources existed.
    let notes = if endnotes.is_empty() {
        None
    } else {
        Some(render(language, "Notes", |w| endnotes.write_notes(w))?)
    };
    // Only a book that mentions a registered name has indexes, after the notes.
    let indexes = xhtml::Index::of_book(
        ctx.register,
        language,
        days.iter().map(|d| &d.day).zip(&hrefs),
    )
    .into_iter()
    .map(|index| {
        let (href, title) = xhtml::index_of(index.kind);
        Ok((href, title, render(language, title, |w| index.write(w))?))
    })
    .collect::<Result<Vec<_>, EditionError>>()?;
    let sources = sources(days);
    let licence = metadata.licence_statement();
    let colophon = Colophon {
        publisher: &metadata.publisher,
        licence: &licence,
        licence_url: metadata
            .licence
            .as_ref()
            .map(|licence| licence.url.as_str()),
        sources: &sources,
        version: env!("CARGO_PKG_VERSION"),
        build_time: metadata.build_time,
    };
    let colophon = render(language, "Colophon", |w| {
        xhtml::write_colophon(w, &colophon)
    })?;

    let months = month_entries(days, &hrefs);
    let mut toc = vec![nav_entry(TITLE_PAGE, "Title page")];
    toc.extend(months.iter().cloned());
    if notes.is_some() {
        toc.push(nav_entry(NOTES_HREF, "Notes"));
    }
    toc.extend(
        indexes
            .iter()
            .map(|(href, title, _)| nav_entry(href, title)),
    );
    toc.push(nav_entry(COLOPHON, "Colophon"));
    let nav = render(language, "Contents", |w| {
        xhtml::write_nav(w, "Contents", &toc, &landmarks(&hrefs))
    })?;

    // The colophon is left out: it records the build, not the content.
    let mut files = vec![
        (COVER, cover.as_slice()),
        (TITLE_PAGE, title_page.as_slice()),
    ];
    files.extend(
        hrefs
            .iter()
            .map(String::as_str)
            .zip(chapters.iter().map(Vec::as_slice)),
    );
    files.extend(notes.as_deref().map(|notes| (NOTES_HREF, notes)));
    files.extend(
        indexes
            .iter()
            .map(|(href, _, index)| (*href, index.as_slice())),
    );
    let digest = content_digest(&title, language, &files);
    let identifier = book_identifier(&metadata.identifier_base, &digest);

    let zip = ZipLibrary::new().map_err(epub_error)?;
    let mut builder = EpubBuilder::new(zip).map_err(epub_error)?;
    builder.epub_version(EpubVersion::V30);
    builder.set_title(one_line(&title));
    builder.add_language(one_line(language));
    builder.set_license(one_line(&licence));
    builder.set_subjects(
        metadata
            .subjects
            .iter()
            .map(|subject| one_line(subject))
            .filter(|subject| !subject.is_empty())
            .collect(),
    );
    builder.set_toc_name("Contents");
    builder.set_uuid(identifier);
    // Without a build time epub-builder stamps dcterms:modified with the current time,
    // the one clock reading the issue allows.
    if let Some(time) = metadata.build_time {
        builder.set_modified_date(time);
    }
    builder
        .stylesheet(STYLESHEET.as_bytes())
        .map_err(epub_error)?;
    builder
        .add_content(EpubContent::new(COVER, cover.as_slice()).reftype(ReferenceType::Cover))
        .map_err(epub_error)?;
    builder
        .add_content(
            EpubContent::new(TITLE_PAGE, title_page.as_slice())
                .title("Title page")
                .reftype(ReferenceType::TitlePage),
        )
        .map_err(epub_error)?;
    for content in chapter_contents(&hrefs, &chapters, &months) {
        builder.add_content(content).map_err(epub_error)?;
    }
    if let Some(notes) = &notes {
        builder
            .add_content(
                EpubContent::new(NOTES_HREF, notes.as_slice())
                    .title("Notes")
                    .reftype(ReferenceType::Notes),
            )
            .map_err(epub_error)?;
    }
    for (href, title, index) in &indexes {
        builder
            .add_content(
                EpubContent::new(*href, index.as_slice())
                    .title(*title)
                    .reftype(ReferenceType::Index),
            )
            .map_err(epub_error)?;
    }
    builder
        .add_content(
            EpubContent::new(COLOPHON, colophon.as_slice())
                .title("Colophon")
                .reftype(ReferenceType::Colophon),
        )
        .map_err(epub_error)?;
    let mut archive = Vec::new();
    builder.generate(&mut archive).map_err(epub_error)?;

    let volume_id = format!("{}{}", metadata.identifier_base, volume_key(volume, days));
    let package = complete_package(
        &read_entry(&archive, PACKAGE_ENTRY)?,
        volume,
        &volume_id,
        metadata,
    )?;
    normalise_archive(
        archive,
        zip_time(metadata.build_time),
        &[(PACKAGE_ENTRY, &package), (NAV_ENTRY, &nav)],
        out,
    )
}

/// What the volume's identifier ends in: `1950` for a year, `1950-01` for a month (both as
/// in the TEI edition's identifiers), `collection` for the whole collection.
fn volume_key(volume: &str, days: &[SourcedDay]) -> String {
    match days.first() {
        _ if volume.is_empty() => "collection".to_owned(),
        _ if volume.parse::<i32>().is_ok() => volume.to_owned(),
        Some(first) => first.day.date().format("%Y-%m").to_string(),
        None => volume.to_owned(),
    }
}

/// "Korea 1950, 1950": the collection's title and the volume, either of which may be empty.
fn book_title(collection: &str, volume: &str) -> String {
    [collection, volume]
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` as package metadata: forbidden characters replaced and whitespace runs made single
/// spaces, since reading systems show metadata on one line and epub-builder indents every
/// line break it finds.
fn one_line(text: &str) -> String {
    xml_safe(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A complete content document whose body `body` writes.
fn render(
    language: &str,
    title: &str,
    body: impl FnOnce(&mut Writer<Vec<u8>>) -> io::Result<()>,
) -> Result<Vec<u8>, EditionError> {
    let page = Page {
        language,
        title,
        stylesheet: STYLESHEET_HREF,
    };
    let mut w = Writer::new(Vec::new());
    xhtml::write_document(&mut w, &page, body)?;
    Ok(w.into_inner())
}

fn nav_entry(href: &str, title: &str) -> NavEntry {
    NavEntry {
        title: title.to_owned(),
        href: href.to_owned(),
        children: Vec::new(),
    }
}

/// The table of contents of the days: an entry per month, leading to its first day's
/// chapter, with an entry per day beneath it. A day's entry points at its section, not at
/// its file: the month's entry has the first file, and EPUBCheck refuses two NCX entries with
/// the same target.
fn month_entries(days: &[SourcedDay], hrefs: &[String]) -> Vec<NavEntry> {
    let mut months: Vec<NavEntry> = Vec::new();
    let mut current = None;
    for (sourced, href) in days.iter().zip(hrefs) {
        let date = sourced.day.date();
        let day = nav_entry(&format!("{href}#{}", xhtml::day_id(date)), &long_date(date));
        let month = (date.year(), date.month());
        match months.last_mut() {
            Some(entry) if current == Some(month) => entry.children.push(day),
            _ => {
                months.push(NavEntry {
                    children: vec![day],
                    ..nav_entry(href, &date.format("%B %Y").to_string())
                });
                current = Some(month);
            }
        }
    }
    months
}

/// The chapters as epub-builder contents, in date order: the first day of each month carries
/// the month's entry of the table of contents; the very first day is where the text begins.
fn chapter_contents<'a>(
    hrefs: &'a [String],
    chapters: &'a [Vec<u8>],
    months: &'a [NavEntry],
) -> impl Iterator<Item = EpubContent<&'a [u8]>> {
    let months: BTreeMap<&str, &NavEntry> = months
        .iter()
        .map(|month| (month.href.as_str(), month))
        .collect();
    hrefs
        .iter()
        .zip(chapters)
        .enumerate()
        .map(move |(index, (href, chapter))| {
            let mut content = EpubContent::new(href.as_str(), chapter.as_slice());
            if index == 0 {
                content = content.reftype(ReferenceType::Text);
            }
            match months.get(href.as_str()) {
                Some(month) => month
                    .children
                    .iter()
                    .fold(content.title(&month.title), |content, day| {
                        content.child(toc_element(day))
                    }),
                None => content,
            }
        })
}

fn toc_element(entry: &NavEntry) -> TocElement {
    entry.children.iter().fold(
        TocElement::new(&entry.href, &entry.title),
        |element, child| element.child(toc_element(child)),
    )
}

/// The landmarks of the navigation document: cover, title page, where the text begins (when
/// the book has days) and colophon.
fn landmarks(hrefs: &[String]) -> Vec<Landmark<'_>> {
    let landmark = |kind, href, title| Landmark { kind, href, title };
    let mut landmarks = vec![
        landmark("cover", COVER, "Cover"),
        landmark("titlepage", TITLE_PAGE, "Title page"),
    ];
    landmarks.extend(
        hrefs
            .first()
            .map(|first| landmark("bodymatter", first.as_str(), "Beginning")),
    );
    landmarks.push(landmark("colophon", COLOPHON, "Colophon"));
    landmarks
}

/// The source files of the days, each once, in the order of the days.
fn sources(days: &[SourcedDay]) -> Vec<&str> {
    let mut seen = BTreeSet::new();
    days.iter()
        .map(|sourced| sourced.source.as_str())
        .filter(|source| seen.insert(*source))
        .collect()
}

/// A file name per day, `1950-01-22.xhtml`; a date that occurs twice (the pipeline reports
/// that) gets `-2`, `-3`, ... so that no file overwrites another.
fn chapter_hrefs(days: &[SourcedDay]) -> Vec<String> {
    let mut seen: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    days.iter()
        .map(|sourced| {
            let date = sourced.day.date();
            let count = seen.entry(date).or_default();
            *count += 1;
            match *count {
                1 => format!("{date}.xhtml"),
                n => format!("{date}-{n}.xhtml"),
            }
        })
        .collect()
}

/// The days cross-references may link to: those of this book that the collection holds,
/// each to its first chapter.
fn book_links(days: &[SourcedDay], hrefs: &[String], ctx: &Context) -> Links {
    let mut links = Links::new();
    for (sourced, href) in days.iter().zip(hrefs) {
        let date = sourced.day.date();
        if ctx.has_day(date) {
            links.entry(date).or_insert_with(|| href.clone());
        }
    }
    links
}

/// "January 22 – March 3, 1950", what the book covers.
fn date_span(days: &[SourcedDay]) -> Option<String> {
    let first = days.first()?.day.date();
    let last = days.last()?.day.date();
    Some(if first == last {
        long_date(first)
    } else {
        format!("{} \u{2013} {}", first.format("%B %-d"), long_date(last))
    })
}

/// A SHA-256 digest of what the book contains, every field length-prefixed so that no two
/// different books hash the same bytes.
fn content_digest(title: &str, language: &str, files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut digest = Sha256::new();
    let mut field = |bytes: &[u8]| {
        digest.update((bytes.len() as u64).to_be_bytes());
        digest.update(bytes);
    };
    field(title.as_bytes());
    field(language.as_bytes());
    field(STYLESHEET.as_bytes());
    for (name, bytes) in files {
        field(name.as_bytes());
        field(bytes);
    }
    digest.finalize().to_vec()
}

/// The book's identifier: a UUID v5 over the content digest, so that rebuilding the same
/// content gives the same identifier and any change a new one, in a namespace that is itself
/// the UUID v5 of `identifier_base` as a URL, so that two collections never share one.
fn book_identifier(identifier_base: &str, digest: &[u8]) -> Uuid {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, identifier_base.as_bytes());
    Uuid::new_v5(&namespace, digest)
}

/// The package document epub-builder wrote, with `xml:lang` on `<package>` (Ace's
/// `epub-lang`: the package's own text, such as the title, has a language only so) and the
/// metadata it cannot write added at the end of `<metadata>`. Every other event is copied as
/// read.
fn complete_package(
    opf: &[u8],
    volume: &str,
    volume_id: &str,
    metadata: &Metadata,
) -> Result<Vec<u8>, EditionError> {
    let mut reader = Reader::from_reader(opf);
    let mut w = Writer::new(Vec::new());
    let mut modified = String::new();
    let mut in_modified = false;
    let language = one_line(&metadata.language);
    loop {
        match reader.read_event().map_err(|error| {
            EditionError::Epub(format!(
                "cannot read epub-builder's package document: {error}"
            ))
        })? {
            Event::Eof => break,
            Event::Start(start) if start.name().as_ref() == "package" => {
                let mut start = start.into_owned();
                start.push_attribute(("xml:lang", language.as_str()));
                w.write_event(Event::Start(start))?;
            }
            Event::Start(start) => {
                in_modified = start.name().as_ref() == "meta"
                    && start
                        .try_get_attribute("property")
                        .ok()
                        .flatten()
                        .is_some_and(|a| a.value.as_ref() == "dcterms:modified");
                w.write_event(Event::Start(start))?;
            }
            Event::Text(text) if in_modified => {
                modified.push_str(text.as_ref());
                w.write_event(Event::Text(text))?;
            }
            Event::End(end) if end.name().as_ref() == "metadata" => {
                // dc:date, the publication date: that of dcterms:modified, which epub-builder
                // takes from the build time (else the clock), so that the two always agree.
                let date = modified.get(..10).unwrap_or_default();
                write_package_metadata(&mut w, volume, volume_id, date, metadata)?;
                w.write_event(Event::End(end))?;
            }
            event => {
                in_modified = false;
                w.write_event(event)?;
            }
        }
    }
    Ok(w.into_inner())
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
    volume: &str,
    volume_id: &str,
    date: &str,
    metadata: &Metadata,
) -> io::Result<()> {
    // The UUID stays the unique identifier, but Calibre takes a `urn:uuid:` for its own
    // bookkeeping and shows it nowhere; the volume's identifier, the one its TEI corpus
    // carries, is a second identifier that it keeps and shows.
    metadata_element(
        w,
        "dc:identifier",
        &[("id", "volume-id")],
        &one_line(volume_id),
    )?;
    if !date.is_empty() {
        metadata_element(w, "dc:date", &[], date)?;
    }
    if let Some(subtitle) = metadata.subtitle_of(volume).map(one_line) {
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
fn accessibility_summary(certified_by: Option<&str>) -> String {
    let evaluation = match certified_by {
        Some(evaluator) => format!(
            "{evaluator} evaluated the book as meeting EPUB Accessibility 1.1 and WCAG 2.1 Level AA."
        ),
        None => NOT_EVALUATED.to_owned(),
    };
    format!("{ACCESSIBILITY_SUMMARY} {evaluation}")
}

/// One metadata element on its own line, indented as epub-builder indents its own. Only `<`,
/// `>` and `&` are escaped in the text, as in the content documents, so that names with
/// apostrophes stay readable.
fn metadata_element<W: Write>(
    w: &mut Writer<W>,
    name: &str,
    attributes: &[(&str, &str)],
    value: &str,
) -> io::Result<()> {
    w.write_event(Event::Text(BytesText::new("  ")))?;
    w.create_element(name)
        .with_attributes(attributes.iter().copied())
        .write_text_content(BytesText::from_escaped(partial_escape(value)))?;
    w.write_event(Event::Text(BytesText::new("\n  ")))
}

/// The timestamp of every archive entry: the build time when the zip format can hold it
/// (1980 to 2107), else the format's epoch, 1980-01-01 00:00.
fn zip_time(build_time: Option<DateTime<Utc>>) -> zip::DateTime {
    build_time
        .and_then(|time| {
            zip::DateTime::from_date_and_time(
                u16::try_from(time.year()).ok()?,
                u8::try_from(time.month()).ok()?,
                u8::try_from(time.day()).ok()?,
                u8::try_from(time.hour()).ok()?,
                u8::try_from(time.minute()).ok()?,
                u8::try_from(time.second()).ok()?,
            )
            .ok()
        })
        .unwrap_or_default()
}

fn epub_error(error: epub_builder::Error) -> EditionError {
    EditionError::Epub(error.to_string())
}

fn zip_error(error: zip::result::ZipError) -> EditionError {
    EditionError::Epub(format!("cannot rewrite the archive: {error}"))
}

/// The bytes of the entry `name` of `archive`.
fn read_entry(archive: &[u8], name: &str) -> Result<Vec<u8>, EditionError> {
    let mut archive = ZipArchive::new(Cursor::new(archive)).map_err(zip_error)?;
    let mut bytes = Vec::new();
    archive
        .by_name(name)
        .map_err(zip_error)?
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Copies the archive epub-builder made into `out`, every entry with the same timestamp and
/// permissions, in the same order; the entries named in `replacements` get the bytes given
/// there, the others keep their compressed bytes.
///
/// epub-builder's `ZipLibrary` stamps each entry with the current time and its `Zip` trait
/// is private, so a reproducible backend cannot be plugged in; rewriting the finished
/// archive is the only way to fixed timestamps.
fn normalise_archive<W: Write + Seek>(
    archive: Vec<u8>,
    time: zip::DateTime,
    replacements: &[(&str, &[u8])],
    out: W,
) -> Result<(), EditionError> {
    let mut source = ZipArchive::new(Cursor::new(archive)).map_err(zip_error)?;
    let mut target = ZipWriter::new(out);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    for index in 0..source.len() {
        let entry = source.by_index_raw(index).map_err(zip_error)?;
        match replacements.iter().find(|(name, _)| *name == entry.name()) {
            Some((name, bytes)) => {
                target.start_file(*name, options).map_err(zip_error)?;
                target.write_all(bytes)?;
            }
            None => target
                .raw_copy_file_touch(entry, time, Some(0o644))
                .map_err(zip_error)?,
        }
    }
    target.finish().map_err(zip_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::io::{Cursor, Read};

    use chrono::{DateTime, NaiveDate};
    use zip::{CompressionMethod, ZipArchive};

    use roxmltree::{Document, Node};
    use uuid::Uuid;

    use super::{
        accessibility_summary, book_identifier, book_links, book_title, chapter_hrefs,
        content_digest, sources, write_book, zip_time,
    };
    use crate::edition::xhtml::build::{date, day, para, see, text};
    use crate::edition::{Context, Metadata, SourcedDay};

    fn sourced(date: NaiveDate, target: Option<NaiveDate>) -> SourcedDay {
        let mut inlines = vec![text("Notes.")];
        inlines.extend(target.map(see));
        SourcedDay {
            day: day(date, vec![vec![para(inlines)]]),
            source: format!("{date}.txt"),
        }
    }

    fn build(
        days: &[SourcedDay],
        collection: &BTreeSet<NaiveDate>,
        metadata: &Metadata,
    ) -> Vec<u8> {
        let ctx = Context {
            days: collection,
            metadata,
            notes: &crate::edition::NO_NOTES,
            register: &crate::edition::NO_REGISTER,
        };
        let mut out = Cursor::new(Vec::new());
        write_book("1950", days, &ctx, &mut out).unwrap();
        out.into_inner()
    }

    fn entry(book: &[u8], name: &str) -> String {
        let mut archive = ZipArchive::new(Cursor::new(book)).unwrap();
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    fn fixed_time() -> Metadata {
        Metadata {
            build_time: DateTime::from_timestamp(1_700_000_000, 0),
            ..Metadata::default()
        }
    }

    #[test]
    fn a_date_that_occurs_twice_gets_a_second_file_name() {
        let days = [
            sourced(date(1950, 1, 22), None),
            sourced(date(1950, 1, 22), None),
            sourced(date(1950, 1, 23), None),
        ];
        assert_eq!(
            chapter_hrefs(&days),
            ["1950-01-22.xhtml", "1950-01-22-2.xhtml", "1950-01-23.xhtml"]
        );
    }

    #[test]
    fn links_go_to_days_of_the_book_that_the_collection_holds() {
        let days = [
            sourced(date(1950, 1, 19), None),
            sourced(date(1950, 1, 22), None),
        ];
        let hrefs = chapter_hrefs(&days);
        // 1950-01-20 is in the collection but not in this book; 1950-01-22 is in the book
        // but, here, not in the collection.
        let collection = BTreeSet::from([date(1950, 1, 19), date(1950, 1, 20)]);
        let metadata = Metadata::default();
        let ctx = Context {
            days: &collection,
            metadata: &metadata,
            notes: &crate::edition::NO_NOTES,
            register: &crate::edition::NO_REGISTER,
        };
        let links = book_links(&days, &hrefs, &ctx);
        assert_eq!(
            links.into_iter().collect::<Vec<_>>(),
            [(date(1950, 1, 19), "1950-01-19.xhtml".to_owned())]
        );
    }

    #[test]
    fn a_cross_reference_to_a_day_outside_the_book_stays_text() {
        let days = [sourced(date(1950, 1, 22), Some(date(1950, 1, 20)))];
        let collection = BTreeSet::from([date(1950, 1, 20), date(1950, 1, 22)]);
        let chapter = entry(
            &build(&days, &collection, &fixed_time()),
            "OEBPS/1950-01-22.xhtml",
        );
        assert!(
            chapter.contains("<span class=\"cross-ref\" title=\"January 20, 1950\">"),
            "{chapter}"
        );
    }

    #[test]
    fn zip_timestamps_come_from_the_build_time_within_the_zip_range() {
        let time = zip_time(DateTime::from_timestamp(1_700_000_000, 0));
        assert_eq!(
            (
                time.year(),
                time.month(),
                time.day(),
                time.hour(),
                time.minute()
            ),
            (2023, 11, 14, 22, 13)
        );
        let epoch = zip::DateTime::default();
        assert_eq!(zip_time(None), epoch);
        assert_eq!(zip_time(DateTime::from_timestamp(0, 0)), epoch);
    }

    #[test]
    fn the_content_digest_follows_the_content() {
        let files = [("a.xhtml", b"one".as_slice())];
        let same = content_digest("Day notes, 1950", "en", &files);
        assert_eq!(same, content_digest("Day notes, 1950", "en", &files));
        assert_ne!(
            same,
            content_digest("Day notes, 1950", "en", &[("a.xhtml", b"two")])
        );
        assert_ne!(same, content_digest("Day notes, 1951", "en", &files));
        // Length prefixes keep a byte from moving between fields unnoticed.
        assert_ne!(
            content_digest("t", "en", &[("ab", b"c")]),
            content_digest("t", "en", &[("a", b"bc")])
        );
    }

    #[test]
    fn the_identifier_is_a_uuid_v5_in_the_namespace_of_the_identifier_base() {
        let digest = content_digest("Day notes", "en", &[]);
        let id = book_identifier("https://example.org/korea/", &digest);
        assert_eq!(id.get_version_num(), 5);
        let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://example.org/korea/");
        assert_eq!(id, Uuid::new_v5(&namespace, &digest));
        assert_ne!(id, book_identifier("https://example.org/china/", &digest));
        assert_eq!(id, book_identifier("https://example.org/korea/", &digest));
    }

    #[test]
    fn the_title_joins_collection_and_volume_leaving_out_empty_parts() {
        assert_eq!(book_title("Korea", "1950"), "Korea, 1950");
        assert_eq!(book_title("Korea", ""), "Korea");
        assert_eq!(book_title(" ", "January 1950"), "January 1950");
    }

    #[test]
    fn each_source_is_listed_once_in_the_order_of_the_days() {
        let mut days = [
            sourced(date(1950, 1, 1), None),
            sourced(date(1950, 1, 2), None),
            sourced(date(1950, 1, 3), None),
            sourced(date(1950, 1, 4), None),
        ];
        for (day, source) in days.iter_mut().zip(["b.txt", "a.txt", "b.txt", "c.txt"]) {
            day.source = source.to_owned();
        }
        assert_eq!(sources(&days), ["b.txt", "a.txt", "c.txt"]);
    }

    #[test]
    fn two_builds_with_the_same_build_time_are_identical() {
        let days = [
            sourced(date(1950, 1, 22), None),
            sourced(date(1950, 2, 1), None),
        ];
        let collection = days.iter().map(|d| d.day.date()).collect();
        let first = build(&days, &collection, &fixed_time());
        assert_eq!(first, build(&days, &collection, &fixed_time()));
    }

    #[test]
    fn the_archive_starts_with_a_stored_mimetype_and_every_entry_has_the_build_time() {
        let days = [sourced(date(1950, 1, 22), None)];
        let collection = BTreeSet::from([date(1950, 1, 22)]);
        let book = build(&days, &collection, &fixed_time());
        let mut archive = ZipArchive::new(Cursor::new(book.as_slice())).unwrap();
        {
            let mimetype = archive.by_index(0).unwrap();
            assert_eq!(mimetype.name(), "mimetype");
            assert_eq!(mimetype.compression(), CompressionMethod::Stored);
        }
        let expected = zip_time(fixed_time().build_time);
        for index in 0..archive.len() {
            let file = archive.by_index(index).unwrap();
            assert_eq!(file.last_modified(), Some(expected), "{}", file.name());
        }
    }

    #[test]
    fn the_package_carries_language_title_identifier_and_modification_date() {
        let days = [sourced(date(1950, 1, 22), None)];
        let collection = BTreeSet::from([date(1950, 1, 22)]);
        let metadata = Metadata {
            language: "en-GB".to_owned(),
            ..fixed_time()
        };
        let opf = entry(&build(&days, &collection, &metadata), "OEBPS/content.opf");
        assert!(opf.contains(">en-GB</dc:language>"), "{opf}");
        assert!(
            opf.contains("<dc:title>Day notes, 1950</dc:title>"),
            "{opf}"
        );
        assert!(
            opf.contains("<dc:identifier id=\"epub-id-1\">urn:uuid:"),
            "{opf}"
        );
        assert!(
            opf.contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"),
            "{opf}"
        );
    }

    fn every_field() -> Metadata {
        Metadata {
            title: "Korea".to_owned(),
            subtitle: Some("The whole collection".to_owned()),
            volume_subtitles: [("1950".to_owned(), "A chronology".to_owned())].into(),
            editors: vec!["A. Editor".to_owned(), "B.\n  Editor".to_owned()],
            publisher: "Smith & <Sons>".to_owned(),
            language: "en-GB".to_owned(),
            licence: crate::edition::Licence::from_spdx("CC-BY-4.0"),
            identifier_base: "https://example.org/korea/".to_owned(),
            subjects: vec!["Korean War".to_owned(), "Cold War".to_owned()],
            ..fixed_time()
        }
    }

    fn package(metadata: &Metadata) -> String {
        let days = [sourced(date(1950, 1, 22), None)];
        let collection = BTreeSet::from([date(1950, 1, 22)]);
        entry(&build(&days, &collection, metadata), "OEBPS/content.opf")
    }

    /// The elements of the package's `<metadata>` named `name` (`title`, `meta`, ...).
    fn metadata_elements<'a, 'input>(
        opf: &'a Document<'input>,
        name: &str,
    ) -> Vec<Node<'a, 'input>> {
        opf.descendants()
            .find(|n| n.has_tag_name("metadata"))
            .unwrap()
            .children()
            .filter(|n| n.tag_name().name() == name)
            .collect()
    }

    fn texts(nodes: &[Node]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| n.text().unwrap_or_default().to_owned())
            .collect()
    }

    /// The text of each `<meta property="...">`, and of each refinement of `#id` as
    /// `property@id`.
    fn meta_properties(opf: &Document) -> Vec<(String, String)> {
        metadata_elements(opf, "meta")
            .into_iter()
            .filter_map(|meta| {
                let property = meta.attribute("property")?;
                let key = match meta.attribute("refines") {
                    Some(target) => format!("{property}@{target}"),
                    None => property.to_owned(),
                };
                Some((key, meta.text().unwrap_or_default().to_owned()))
            })
            .collect()
    }

    #[test]
    fn every_metadata_field_reaches_the_package() {
        let opf = package(&every_field());
        let doc = Document::parse(&opf).unwrap();
        let titles = metadata_elements(&doc, "title");
        assert_eq!(texts(&titles), ["Korea, 1950", "A chronology"]);
        assert_eq!(titles[1].attribute("id"), Some("subtitle"));
        let creators = metadata_elements(&doc, "creator");
        assert_eq!(texts(&creators), ["A. Editor", "B. Editor"]);
        let ids: Vec<_> = creators.iter().filter_map(|c| c.attribute("id")).collect();
        assert_eq!(ids, ["editor-1", "editor-2"]);
        assert_eq!(
            texts(&metadata_elements(&doc, "publisher")),
            ["Smith & <Sons>"]
        );
        assert_eq!(
            texts(&metadata_elements(&doc, "rights")),
            ["Creative Commons Attribution 4.0 International (CC-BY-4.0)"]
        );
        assert_eq!(texts(&metadata_elements(&doc, "language")), ["en-GB"]);
        assert_eq!(
            texts(&metadata_elements(&doc, "description")),
            ["Edited by A. Editor and B. Editor."]
        );
        assert_eq!(
            texts(&metadata_elements(&doc, "subject")),
            ["Korean War", "Cold War"]
        );
        let properties = meta_properties(&doc);
        for refinement in [
            ("title-type@#subtitle", "subtitle"),
            ("role@#editor-1", "edt"),
            ("role@#editor-2", "edt"),
        ] {
            assert!(
                properties.contains(&(refinement.0.to_owned(), refinement.1.to_owned())),
                "{refinement:?} in {properties:?}"
            );
        }
        let roles = metadata_elements(&doc, "meta")
            .into_iter()
            .filter(|meta| meta.attribute("property") == Some("role"));
        assert!(roles.clone().count() == 2);
        assert!(
            roles
                .into_iter()
                .all(|role| role.attribute("scheme") == Some("marc:relators"))
        );
        // Escaped by quick-xml, not concatenated.
        assert!(
            opf.contains("<dc:publisher>Smith &amp; &lt;Sons&gt;</dc:publisher>"),
            "{opf}"
        );
    }

    #[test]
    fn empty_fields_are_left_out_of_the_package() {
        let metadata = Metadata {
            subtitle: Some(" ".to_owned()),
            editors: vec![String::new()],
            publisher: String::new(),
            licence: None,
            subjects: vec![" ".to_owned()],
            ..fixed_time()
        };
        let opf = package(&metadata);
        let doc = Document::parse(&opf).unwrap();
        assert_eq!(
            texts(&metadata_elements(&doc, "title")),
            ["Day notes, 1950"]
        );
        assert_eq!(
            texts(&metadata_elements(&doc, "rights")),
            [crate::edition::NO_LICENCE]
        );
        for absent in ["creator", "publisher", "subject"] {
            assert!(
                metadata_elements(&doc, absent).is_empty(),
                "{absent}: {opf}"
            );
        }
    }

    #[test]
    fn the_package_carries_true_accessibility_metadata_and_no_conformance_claim() {
        let opf = package(&every_field());
        let properties = meta_properties(&Document::parse(&opf).unwrap());
        let values = |name: &str| -> Vec<&str> {
            properties
                .iter()
                .filter(|(property, _)| property == name)
                .map(|(_, value)| value.as_str())
                .collect()
        };
        assert_eq!(values("schema:accessMode"), ["textual"]);
        assert_eq!(values("schema:accessModeSufficient"), ["textual"]);
        assert_eq!(
            values("schema:accessibilityFeature"),
            [
                "displayTransformability",
                "readingOrder",
                "structuralNavigation",
                "tableOfContents"
            ]
        );
        assert_eq!(values("schema:accessibilityHazard"), ["none"]);
        assert_eq!(
            values("schema:accessibilitySummary"),
            [accessibility_summary(None)]
        );
        // Claiming conformance needs a named evaluator (a11y:certifiedBy); nobody evaluated.
        assert!(values("dcterms:conformsTo").is_empty(), "{opf}");
        assert!(!opf.contains("alternativeText"), "{opf}");
    }

    #[test]
    fn conformance_is_claimed_only_with_a_named_evaluator() {
        let opf = package(&Metadata {
            accessibility_certified_by: Some("Example Accessibility Lab".to_owned()),
            ..every_field()
        });
        let properties = meta_properties(&Document::parse(&opf).unwrap());
        for (property, value) in [
            (
                "dcterms:conformsTo",
                "EPUB Accessibility 1.1 - WCAG 2.1 Level AA",
            ),
            ("a11y:certifiedBy", "Example Accessibility Lab"),
        ] {
            assert!(
                properties.contains(&(property.to_owned(), value.to_owned())),
                "{property} in {properties:?}"
            );
        }
        let summary = accessibility_summary(Some("Example Accessibility Lab"));
        assert!(summary.ends_with("Example Accessibility Lab evaluated the book as meeting EPUB Accessibility 1.1 and WCAG 2.1 Level AA."));
        assert!(!summary.contains("not been evaluated"));
    }

    #[test]
    fn a_volume_takes_its_own_subtitle_never_the_collections() {
        let metadata = Metadata {
            subtitle: Some("January and February 1950".to_owned()),
            ..fixed_time()
        };
        let opf = package(&metadata);
        let doc = Document::parse(&opf).unwrap();
        assert_eq!(
            texts(&metadata_elements(&doc, "title")),
            ["Day notes, 1950"]
        );
        let title_page = {
            let days = [sourced(date(1950, 1, 22), None)];
            let collection = BTreeSet::from([date(1950, 1, 22)]);
            entry(&build(&days, &collection, &metadata), "OEBPS/title.xhtml")
        };
        assert!(!title_page.contains("January and February"), "{title_page}");
    }

    #[test]
    fn the_package_has_a_language_a_date_and_an_identifier_calibre_keeps() {
        let opf = package(&fixed_time());
        let doc = Document::parse(&opf).unwrap();
        let package = doc.root_element();
        assert_eq!(
            package.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
            Some("en")
        );
        assert_eq!(texts(&metadata_elements(&doc, "date")), ["2023-11-14"]);
        assert_eq!(
            texts(&metadata_elements(&doc, "identifier"))[1],
            "urn:daybook:1950"
        );
    }

    #[test]
    fn with_no_editor_the_publisher_is_the_creator_without_a_role() {
        let opf = package(&fixed_time());
        let doc = Document::parse(&opf).unwrap();
        let creators = metadata_elements(&doc, "creator");
        assert_eq!(texts(&creators), ["daybook"]);
        assert!(
            !meta_properties(&doc)
                .iter()
                .any(|(property, _)| property.starts_with("role@")),
            "{opf}"
        );
    }

    #[test]
    fn the_identifier_changes_with_the_identifier_base() {
        let identifier = |base: &str| {
            let opf = package(&Metadata {
                identifier_base: base.to_owned(),
                ..fixed_time()
            });
            let doc = Document::parse(&opf).unwrap();
            texts(&metadata_elements(&doc, "identifier"))
        };
        assert_ne!(identifier("urn:a:"), identifier("urn:b:"));
        assert_eq!(identifier("urn:a:"), identifier("urn:a:"));
    }
}
