//! The EPUB 3 edition: one book per volume, a cover, a title page, a chapter per day and a
//! colophon.
//!
//! The documents are rendered by [`super::xhtml`], the package (OPF, NCX) by [`package`] and
//! the ZIP container by [`archive`]. A [`Book`] is written in [`parts`](Book::parts), runs
//! of chapters that can be rendered and compressed apart, side by side, and then
//! [`finished`](Book::finish) in one archive; [`write_book`] does both in turn. Two builds
//! of the same days with the same [`Metadata::build_time`](super::Metadata::build_time) are
//! byte-identical: the identifier is derived from the content, and every archive entry gets
//! the same timestamp.

mod archive;
mod package;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Seek, Write};

use chrono::{Datelike, NaiveDate};
use quick_xml::Writer;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::xhtml::{
    self, Cited, Colophon, Endnotes, Front, Landmark, Links, NOTES_HREF, NavEntry, Page, Target,
};
use super::{Context, EditionError, SourcedDay, long_date};
use archive::Archive;
use package::{Document, Package};

/// The stylesheet every document of the book links.
const STYLESHEET: &str = include_str!("../../../stylesheets/epub.css");

/// The stylesheet's file, beside the documents.
const STYLESHEET_HREF: &str = "stylesheet.css";

/// The cover's file.
const COVER: &str = "cover.xhtml";

/// The title page's file.
const TITLE_PAGE: &str = "title.xhtml";

/// The colophon's file.
const COLOPHON: &str = "colophon.xhtml";

/// The navigation document's file.
const NAV: &str = "nav.xhtml";

/// How many chapters a [part](Book::part) holds: enough that a part's work outweighs
/// handing it to a worker, few enough that a year's 365 chapters make parts for every core.
const CHAPTERS_PER_PART: usize = 16;

/// A book being written: its days, in date order, as the volume `volume` of the collection
/// (`1950`, `January 1950`), or the whole collection when `volume` is empty.
///
/// The book holds a cover, a title page, one chapter per day and a colophon; its table of
/// contents groups the days under their months. A cross-reference becomes a link when the
/// collection holds its target and the target is a chapter of this book. When the book's days
/// cite notes of `ctx.notes`, the citations become note references and a notes document
/// after the last chapter holds those notes, each linking back to every citation of it.
pub struct Book<'a> {
    volume: String,
    days: &'a [SourcedDay],
    ctx: &'a Context<'a>,
    title: String,
    hrefs: Vec<String>,
    links: Links,
}

/// A run of chapters of a [`Book`], rendered and compressed.
pub struct Part {
    /// Each chapter's document.
    chapters: Vec<Vec<u8>>,
    /// The chapters deflated, as an archive of their own.
    archive: Vec<u8>,
    /// The notes the chapters cite, and where.
    cited: Cited,
}

/// Writes `days` as the book `volume` (see [`Book`]) into `out`, one part after the other.
pub fn write_book<W: Write + Seek>(
    volume: &str,
    days: &[SourcedDay],
    ctx: &Context,
    out: W,
) -> Result<(), EditionError> {
    let book = Book::new(volume, days, ctx);
    let parts = (0..book.parts())
        .map(|index| book.part(index))
        .collect::<Result<Vec<_>, _>>()?;
    book.finish(&parts, out)
}

impl<'a> Book<'a> {
    /// The book of `days` (in date order), the volume `volume` of the collection.
    pub fn new(volume: &str, days: &'a [SourcedDay], ctx: &'a Context<'a>) -> Self {
        let hrefs = chapter_hrefs(days);
        let links = book_links(days, &hrefs, ctx);
        Self {
            volume: volume.to_owned(),
            days,
            ctx,
            title: book_title(&ctx.metadata.title, volume),
            hrefs,
            links,
        }
    }

    /// How many parts the chapters are written in.
    pub fn parts(&self) -> usize {
        self.days.len().div_ceil(CHAPTERS_PER_PART)
    }

    /// Renders and compresses the chapters of part `index` (of [`Book::parts`]).
    pub fn part(&self, index: usize) -> Result<Part, EditionError> {
        let start = (index * CHAPTERS_PER_PART).min(self.days.len());
        let end = (start + CHAPTERS_PER_PART).min(self.days.len());
        let (days, hrefs) = (&self.days[start..end], &self.hrefs[start..end]);
        let endnotes = Endnotes::new(self.ctx.notes);
        let book = xhtml::Book {
            links: &self.links,
            metadata: self.ctx.metadata,
            endnotes: (!self.ctx.notes.is_empty()).then_some(&endnotes),
            target: Target::Epub,
        };
        let language = &self.ctx.metadata.language;
        let chapters = days
            .iter()
            .zip(hrefs)
            .map(|(sourced, href)| {
                endnotes.chapter(href, sourced.day.date());
                render(language, &long_date(sourced.day.date()), |w| {
                    xhtml::write_day(w, &sourced.day, &book)
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let names: Vec<String> = hrefs.iter().map(|href| entry_name(href)).collect();
        let archive = Archive::entries(
            self.ctx.metadata.build_time,
            names
                .iter()
                .map(String::as_str)
                .zip(chapters.iter().map(Vec::as_slice)),
        )?;
        Ok(Part {
            chapters,
            archive,
            cited: endnotes.into_cited(),
        })
    }

    /// Writes the book into `out`: the front matter, the chapters of `parts` (all of them,
    /// in order), the notes, the indexes, the colophon and the package.
    pub fn finish<W: Write + Seek>(&self, parts: &[Part], out: W) -> Result<(), EditionError> {
        let (days, hrefs, ctx) = (self.days, &self.hrefs, self.ctx);
        let metadata = ctx.metadata;
        let language = &metadata.language;
        let title = &self.title;
        let span = date_span(days);
        let front = Front {
            title: &metadata.title,
            subtitle: metadata.subtitle_of(&self.volume),
            volume: &self.volume,
            span: span.as_deref(),
            editors: &metadata.editors,
            publisher: &metadata.publisher,
        };
        let cover = render(language, title, |w| xhtml::write_cover(w, &front))?;
        let title_page = render(language, title, |w| xhtml::write_title_page(w, &front))?;
        let endnotes = Endnotes::new(ctx.notes);
        let mut archives = Vec::with_capacity(parts.len());
        let mut chapters = Vec::with_capacity(days.len());
        for part in parts {
            endnotes.cite(&part.cited);
            archives.push(part.archive.as_slice());
            chapters.extend(part.chapters.iter().map(Vec::as_slice));
        }
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
            days.iter().map(|d| &d.day).zip(hrefs),
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

        let mut toc = vec![nav_entry(TITLE_PAGE, "Title page")];
        toc.extend(month_entries(days, hrefs));
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
            xhtml::write_nav(w, "Contents", &toc, &landmarks(hrefs))
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
                .zip(chapters.iter().copied()),
        );
        files.extend(notes.as_deref().map(|notes| (NOTES_HREF, notes)));
        files.extend(
            indexes
                .iter()
                .map(|(href, _, index)| (*href, index.as_slice())),
        );
        let identifier = book_identifier(
            &metadata.identifier_base,
            &content_digest(title, language, &files),
        );

        let guide = |kind, title| Some((kind, title));
        let mut documents = vec![
            Document {
                href: COVER,
                guide: guide("cover", "Cover"),
            },
            Document {
                href: TITLE_PAGE,
                guide: guide("title-page", "Title page"),
            },
        ];
        documents.extend(hrefs.iter().enumerate().map(|(index, href)| Document {
            href,
            guide: (index == 0).then_some(("text", "Beginning")),
        }));
        documents.extend(notes.is_some().then_some(Document {
            href: NOTES_HREF,
            guide: guide("notes", "Notes"),
        }));
        documents.extend(indexes.iter().map(|(href, title, _)| Document {
            href,
            guide: guide("index", title),
        }));
        documents.push(Document {
            href: COLOPHON,
            guide: guide("colophon", "Colophon"),
        });
        let volume_id = format!(
            "{}{}",
            metadata.identifier_base,
            volume_key(&self.volume, days)
        );
        let opf = package::write_package(&Package {
            title,
            volume: &self.volume,
            volume_id: &volume_id,
            identifier,
            licence: &licence,
            metadata,
            documents: &documents,
        })?;
        let ncx = package::write_ncx(title, identifier, &toc)?;

        let mut book = Archive::book(out, metadata.build_time)?;
        book.add("META-INF/container.xml", package::CONTAINER)?;
        book.add(
            "META-INF/com.apple.ibooks.display-options.xml",
            package::IBOOKS_OPTIONS,
        )?;
        book.add(&entry_name(STYLESHEET_HREF), STYLESHEET.as_bytes())?;
        book.add(&entry_name(COVER), &cover)?;
        book.add(&entry_name(TITLE_PAGE), &title_page)?;
        for archive in archives {
            book.merge(archive)?;
        }
        if let Some(notes) = &notes {
            book.add(&entry_name(NOTES_HREF), notes)?;
        }
        for (href, _, index) in &indexes {
            book.add(&entry_name(href), index)?;
        }
        book.add(&entry_name(COLOPHON), &colophon)?;
        book.add(package::PACKAGE_ENTRY, &opf)?;
        book.add(&entry_name(package::NCX), &ncx)?;
        book.add(&entry_name(NAV), &nav)?;
        book.finish()
    }
}

/// Where a document of the book is in the archive: beside the package document.
fn entry_name(href: &str) -> String {
    format!("OEBPS/{href}")
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

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::io::{Cursor, Read};

    use chrono::{DateTime, NaiveDate};
    use zip::{CompressionMethod, ZipArchive};

    use roxmltree::{Document, Node};
    use uuid::Uuid;

    use super::archive::zip_time;
    use super::package::accessibility_summary;
    use super::{
        Book, CHAPTERS_PER_PART, book_identifier, book_links, book_title, chapter_hrefs,
        content_digest, sources, write_book,
    };
    use crate::ast::{Note, NoteInline, NoteRef, Position};
    use crate::edition::xhtml::build::{cite, date, day, para, see, text};
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
    fn a_book_of_several_parts_numbers_note_references_per_chapter_and_links_back_in_order() {
        let dates: Vec<NaiveDate> = (1..=2 * CHAPTERS_PER_PART as u32 + 1)
            .map(|n| date(1950, 1 + n / 28, 1 + n % 28))
            .collect();
        let days: Vec<SourcedDay> = dates
            .iter()
            .map(|&date| SourcedDay {
                day: day(
                    date,
                    vec![vec![para(vec![
                        text("Cited."),
                        cite(&[NoteRef::Note(7)]),
                        cite(&[NoteRef::Note(7)]),
                    ])]],
                ),
                source: format!("{date}.txt"),
            })
            .collect();
        let note = Note {
            number: 7,
            content: vec![NoteInline::Text {
                text: "A source.".to_owned(),
                pos: Position::default(),
            }],
            pos: Position::default(),
        };
        let notes = BTreeMap::from([(7, note)]);
        let metadata = fixed_time();
        let collection = dates.iter().copied().collect();
        let ctx = Context {
            days: &collection,
            metadata: &metadata,
            notes: &notes,
            register: &crate::edition::NO_REGISTER,
        };
        let book = Book::new("1950", &days, &ctx);
        assert_eq!(book.parts(), 3);
        let mut out = Cursor::new(Vec::new());
        write_book("1950", &days, &ctx, &mut out).unwrap();
        let out = out.into_inner();
        for date in [
            dates[0],
            dates[CHAPTERS_PER_PART],
            dates[2 * CHAPTERS_PER_PART],
        ] {
            let chapter = entry(&out, &format!("OEBPS/{date}.xhtml"));
            assert_eq!(chapter.matches("id=\"noteref-").count(), 2, "{chapter}");
            assert!(chapter.contains("id=\"noteref-1\""), "{chapter}");
            assert!(chapter.contains("id=\"noteref-2\""), "{chapter}");
        }
        let endnotes = entry(&out, "OEBPS/notes.xhtml");
        let backlinks: Vec<String> = endnotes
            .match_indices("href=\"")
            .map(|(at, _)| {
                let href = &endnotes[at + 6..];
                href[..href.find('"').unwrap()].to_owned()
            })
            .filter(|href| href.contains("#noteref-"))
            .collect();
        let expected: Vec<String> = dates
            .iter()
            .flat_map(|date| [1, 2].map(|n| format!("{date}.xhtml#noteref-{n}")))
            .collect();
        assert_eq!(backlinks, expected);
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
