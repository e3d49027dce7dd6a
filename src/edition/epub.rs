//! The EPUB 3 edition: one book per year, a title page and a chapter per day.
//!
//! epub-builder assembles the package (OPF, navigation document, NCX); the chapters are
//! rendered by [`super::xhtml`]. Two builds of the same days with the same
//! [`Metadata::build_time`](super::Metadata::build_time) are byte-identical: the identifier
//! is derived from the content, and every archive entry gets the same timestamp.

use std::collections::BTreeMap;
use std::io::{Cursor, Seek, Write};

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};
use quick_xml::Writer;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zip::{ZipArchive, ZipWriter};

use super::xhtml::{self, Links, Page, TitlePage};
use super::{Context, EditionError, SourcedDay, long_date, xml_safe};

/// The stylesheet every document of the book links.
const STYLESHEET: &str = include_str!("../../stylesheets/epub.css");

/// Where epub-builder puts the stylesheet, relative to the documents.
const STYLESHEET_HREF: &str = "stylesheet.css";

/// The title page's file.
const TITLE_PAGE: &str = "title.xhtml";

/// Writes days, in date order, as one EPUB 3 book: the volume `volume` of the collection
/// (`1950`, `January 1950`), or the whole collection when `volume` is empty.
///
/// The book holds a title page and one chapter per day; its table of contents groups the
/// days under their months. A cross-reference becomes a link when the collection holds its
/// target and the target is a chapter of this book.
pub fn write_book<W: Write + Seek>(
    volume: &str,
    days: &[SourcedDay],
    ctx: &Context,
    out: W,
) -> Result<(), EditionError> {
    let metadata = ctx.metadata;
    let title = if volume.is_empty() {
        metadata.title.clone()
    } else {
        format!("{}, {volume}", metadata.title)
    };
    let hrefs = chapter_hrefs(days);
    let links = book_links(days, &hrefs, ctx);

    let title_page = render_title_page(volume, days, ctx, &title)?;
    let chapters = days
        .iter()
        .map(|sourced| render_chapter(sourced, ctx, &links))
        .collect::<Result<Vec<_>, _>>()?;

    let mut files = vec![(TITLE_PAGE, title_page.as_slice())];
    files.extend(
        hrefs
            .iter()
            .map(String::as_str)
            .zip(chapters.iter().map(Vec::as_slice)),
    );
    let identifier = book_identifier(&title, &metadata.language, &files);

    let zip = ZipLibrary::new().map_err(epub_error)?;
    let mut builder = EpubBuilder::new(zip).map_err(epub_error)?;
    builder.epub_version(EpubVersion::V30);
    builder.set_title(xml_safe(&title));
    builder.add_language(xml_safe(&metadata.language));
    builder.set_license(xml_safe(&metadata.licence));
    builder.set_generator("daybook");
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
        .add_content(
            EpubContent::new(TITLE_PAGE, title_page.as_slice())
                .title("Title page")
                .reftype(ReferenceType::TitlePage),
        )
        .map_err(epub_error)?;
    for content in chapter_contents(days, &hrefs, &chapters) {
        builder.add_content(content).map_err(epub_error)?;
    }
    let mut archive = Vec::new();
    builder.generate(&mut archive).map_err(epub_error)?;
    normalise_archive(archive, zip_time(metadata.build_time), out)
}

/// The chapters as epub-builder contents, in date order. The first day of each month
/// carries the month's table-of-contents entry, with every day of the month beneath it;
/// the other days have no entry of their own.
fn chapter_contents<'a>(
    days: &[SourcedDay],
    hrefs: &[String],
    chapters: &'a [Vec<u8>],
) -> Vec<EpubContent<&'a [u8]>> {
    let mut contents = Vec::with_capacity(days.len());
    let mut start = 0;
    while start < days.len() {
        let month = month_of(&days[start]);
        let end = days[start..]
            .iter()
            .position(|sourced| month_of(sourced) != month)
            .map_or(days.len(), |offset| start + offset);
        let mut first = EpubContent::new(&hrefs[start], chapters[start].as_slice())
            .title(days[start].day.date().format("%B %Y").to_string());
        for index in start..end {
            let date = days[index].day.date();
            // A day's entry points at its section, not at its file: the month's entry has
            // the first file, and EPUBCheck refuses two NCX entries with the same target.
            let target = format!("{}#{}", hrefs[index], xhtml::day_id(date));
            first = first.child(TocElement::new(target, long_date(date)));
        }
        contents.push(first);
        contents.extend(
            (start + 1..end)
                .map(|index| EpubContent::new(&hrefs[index], chapters[index].as_slice())),
        );
        start = end;
    }
    contents
}

fn month_of(sourced: &SourcedDay) -> (i32, u32) {
    let date = sourced.day.date();
    (date.year(), date.month())
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

fn render_chapter(
    sourced: &SourcedDay,
    ctx: &Context,
    links: &Links,
) -> Result<Vec<u8>, EditionError> {
    let title = long_date(sourced.day.date());
    let page = Page {
        language: &ctx.metadata.language,
        title: &title,
        stylesheet: STYLESHEET_HREF,
    };
    let mut w = Writer::new(Vec::new());
    xhtml::write_document(&mut w, &page, |w| xhtml::write_day(w, &sourced.day, links))?;
    Ok(w.into_inner())
}

fn render_title_page(
    volume: &str,
    days: &[SourcedDay],
    ctx: &Context,
    title: &str,
) -> Result<Vec<u8>, EditionError> {
    let metadata = ctx.metadata;
    let page = Page {
        language: &metadata.language,
        title,
        stylesheet: STYLESHEET_HREF,
    };
    let span = date_span(days);
    let title_page = TitlePage {
        title: &metadata.title,
        volume,
        span: span.as_deref(),
        publisher: &metadata.publisher,
        licence: &metadata.licence,
    };
    let mut w = Writer::new(Vec::new());
    xhtml::write_document(&mut w, &page, |w| xhtml::write_title_page(w, &title_page))?;
    Ok(w.into_inner())
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

/// The book's identifier: a UUID v5 over a SHA-256 digest of what the book contains, so
/// that rebuilding the same content gives the same identifier, and any change a new one.
fn book_identifier(title: &str, language: &str, files: &[(&str, &[u8])]) -> Uuid {
    let mut digest = Sha256::new();
    // Every field is length-prefixed, so that no two different books hash the same bytes.
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
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:daybook:epub");
    Uuid::new_v5(&namespace, &digest.finalize())
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

/// Copies the archive epub-builder made into `out`, every entry with the same timestamp and
/// permissions, in the same order and with the same compressed bytes.
///
/// epub-builder's `ZipLibrary` stamps each entry with the current time and its `Zip` trait
/// is private, so a reproducible backend cannot be plugged in; rewriting the finished
/// archive is the only way to fixed timestamps.
fn normalise_archive<W: Write + Seek>(
    archive: Vec<u8>,
    time: zip::DateTime,
    out: W,
) -> Result<(), EditionError> {
    let mut source = ZipArchive::new(Cursor::new(archive)).map_err(zip_error)?;
    let mut target = ZipWriter::new(out);
    for index in 0..source.len() {
        let entry = source.by_index_raw(index).map_err(zip_error)?;
        target
            .raw_copy_file_touch(entry, time, Some(0o644))
            .map_err(zip_error)?;
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

    use super::{book_identifier, book_links, chapter_hrefs, write_book, zip_time};
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
    fn the_identifier_follows_the_content() {
        let files = [("a.xhtml", b"one".as_slice())];
        let same = book_identifier("Day notes, 1950", "en", &files);
        assert_eq!(same, book_identifier("Day notes, 1950", "en", &files));
        assert_eq!(same.get_version_num(), 5);
        assert_ne!(
            same,
            book_identifier("Day notes, 1950", "en", &[("a.xhtml", b"two")])
        );
        assert_ne!(same, book_identifier("Day notes, 1951", "en", &files));
        // Length prefixes keep a byte from moving between fields unnoticed.
        assert_ne!(
            book_identifier("t", "en", &[("ab", b"c")]),
            book_identifier("t", "en", &[("a", b"bc")])
        );
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
}
