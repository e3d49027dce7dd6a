//! The EPUB edition end to end: real day notes parsed by the grammar, written as books,
//! validated by EPUBCheck, read back from the archive and through pandoc.

mod common;

use std::collections::BTreeSet;
use std::io::{Cursor, Read};
use std::path::Path;

use chrono::{DateTime, NaiveDate};
use daybook::edition::{Context, Metadata, SourcedDay, epub};
use daybook::syntax::parse;
use roxmltree::{Document, Node, ParsingOptions};
use sha2::{Digest, Sha256};
use zip::ZipArchive;

const STYLESHEET: &str = include_str!("../stylesheets/epub.css");

/// A day for the sample's `[see the 19th]` to link to.
const JANUARY_19: &str = "January 19, 1950 (Thursday)




Mao and Zhou met the Soviet negotiators for the first time.[55]




Notes for Thursday January 19, 1950";

// Reading and building.

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

/// The days of `bytes`, which must parse without errors.
fn days_of(bytes: &[u8], source: &str) -> Vec<SourcedDay> {
    let parsed = parse(bytes);
    assert!(
        !parsed.has_errors(),
        "{source} does not parse: {:?}",
        parsed.diagnostics
    );
    parsed
        .days
        .into_iter()
        .map(|day| SourcedDay {
            day,
            source: source.to_owned(),
        })
        .collect()
}

/// The sample with the day it refers to, in date order.
fn sample_days() -> Vec<SourcedDay> {
    let mut days = days_of(JANUARY_19.as_bytes(), "1950-01-19.txt");
    days.extend(days_of(&fixture("sample.txt"), "sample.txt"));
    days
}

fn multi_month_days() -> Vec<SourcedDay> {
    days_of(&fixture("multi-month.txt"), "multi-month.txt")
}

fn metadata_at(seconds: i64) -> Metadata {
    Metadata {
        build_time: DateTime::from_timestamp(seconds, 0),
        ..Metadata::default()
    }
}

/// Metadata with every field set, markup characters included.
fn every_field() -> Metadata {
    Metadata {
        title: "Korea & China".to_owned(),
        subtitle: Some("The whole collection".to_owned()),
        volume_subtitles: [("1950".to_owned(), "A chronology <of> 1950".to_owned())].into(),
        accessibility_certified_by: Some("Example Accessibility Lab".to_owned()),
        editors: vec!["Ann O'Neil".to_owned(), "Bo Chen".to_owned()],
        publisher: "Smith & Sons".to_owned(),
        language: "en-GB".to_owned(),
        licence: daybook::edition::Licence::from_spdx("CC-BY-4.0"),
        identifier_base: "https://example.org/korea/".to_owned(),
        subjects: vec!["Korean War".to_owned(), "Cold War".to_owned()],
        media_kinds: [
            ("pic".to_owned(), "Photograph".to_owned()),
            ("int".to_owned(), "Interview".to_owned()),
        ]
        .into(),
        ..metadata_at(1_700_000_000)
    }
}

/// Days from three files, in date order: 1950-01-19.txt, sample.txt, multi-month.txt.
fn three_sources() -> Vec<SourcedDay> {
    let mut days = sample_days();
    days.extend(multi_month_days());
    days
}

/// The 1950 book of `days`, with a collection holding exactly those days.
fn build(days: &[SourcedDay], metadata: &Metadata) -> Vec<u8> {
    let collection: BTreeSet<NaiveDate> = days.iter().map(|d| d.day.date()).collect();
    let ctx = Context {
        days: &collection,
        metadata,
        notes: &daybook::edition::NO_NOTES,
        register: &daybook::edition::NO_REGISTER,
    };
    let mut out = Cursor::new(Vec::new());
    epub::write_book("1950", days, &ctx, &mut out).unwrap();
    out.into_inner()
}

/// An unzipped book.
struct Book(ZipArchive<Cursor<Vec<u8>>>);

impl Book {
    fn new(bytes: Vec<u8>) -> Self {
        Book(ZipArchive::new(Cursor::new(bytes)).unwrap())
    }

    fn names(&self) -> Vec<String> {
        self.0.file_names().map(str::to_owned).collect()
    }

    fn text(&mut self, name: &str) -> String {
        let mut text = String::new();
        self.0
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    /// The day chapters, `OEBPS/1950-01-22.xhtml`, in archive order.
    fn chapters(&self) -> Vec<String> {
        self.names()
            .into_iter()
            .filter(|name| {
                name.strip_prefix("OEBPS/1950-")
                    .is_some_and(|rest| rest.ends_with(".xhtml"))
            })
            .collect()
    }
}

fn xml(text: &str) -> Document<'_> {
    // XHTML content documents carry `<!DOCTYPE html>`.
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).unwrap()
}

fn has_class(node: Node, class: &str) -> bool {
    node.attribute("class")
        .is_some_and(|c| c.split(' ').any(|c| c == class))
}

fn element_children<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Vec<Node<'a, 'input>> {
    node.children().filter(|n| n.has_tag_name(name)).collect()
}

/// All text under `node`, whitespace runs made single spaces.
fn squashed_text(node: Node) -> String {
    let text: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    squash(&text)
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// External checkers.

fn in_file<T>(bytes: &[u8], check: impl FnOnce(&Path) -> T) -> T {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.epub");
    std::fs::write(&path, bytes).unwrap();
    check(&path)
}

/// Asserts that EPUBCheck 5.3.0 reports no fatal error, no error and no warning for `bytes`.
fn assert_epubcheck_passes(bytes: &[u8]) {
    in_file(bytes, common::assert_epubcheck_passes);
}

/// Asserts that Ace by DAISY finds no accessibility violation in `bytes`.
fn assert_ace_passes(bytes: &[u8]) {
    in_file(bytes, common::assert_ace_passes);
}

/// What pandoc reads out of the book as plain text.
fn pandoc_plain(bytes: &[u8]) -> String {
    in_file(bytes, common::pandoc_plain)
}

// The books.

#[test]
fn the_sample_book_passes_epubcheck_without_errors_or_warnings() {
    assert_epubcheck_passes(&build(&sample_days(), &metadata_at(1_700_000_000)));
}

#[test]
fn the_multi_month_book_passes_epubcheck_without_errors_or_warnings() {
    let book = build(&multi_month_days(), &metadata_at(1_700_000_000));
    assert_epubcheck_passes(&book);
}

#[test]
fn a_book_with_every_field_set_passes_epubcheck_without_errors_or_warnings() {
    assert_epubcheck_passes(&build(&three_sources(), &every_field()));
}

#[test]
fn ace_finds_no_accessibility_violation_in_the_sample_multi_month_and_configured_books() {
    assert_ace_passes(&build(&sample_days(), &metadata_at(1_700_000_000)));
    assert_ace_passes(&build(&multi_month_days(), &metadata_at(1_700_000_000)));
    assert_ace_passes(&build(&three_sources(), &every_field()));
}

#[test]
fn calibre_shows_title_date_identifier_language_editors_and_publisher() {
    // Calibre drops `http(s)` identifiers by design; a URN it keeps.
    let metadata = Metadata {
        identifier_base: "urn:nbn:korea:".to_owned(),
        ..every_field()
    };
    let shown = in_file(&build(&multi_month_days(), &metadata), common::ebook_meta);
    let fields: Vec<(&str, &str)> = shown
        .lines()
        .filter_map(|line| line.split_once(" : "))
        .map(|(key, value)| (key.trim(), value.trim()))
        .collect();
    assert_eq!(
        fields,
        [
            ("Title", "Korea & China, 1950: A chronology <of> 1950"),
            ("Author(s)", "Ann O'Neil & Bo Chen"),
            ("Publisher", "Smith & Sons"),
            ("Tags", "Korean War, Cold War"),
            ("Languages", "eng"),
            ("Published", "2023-11-14T00:00:00+00:00"),
            ("Identifiers", "nbn:korea:1950"),
            ("Comments", "Edited by Ann O'Neil and Bo Chen."),
        ],
        "{shown}"
    );
}

#[test]
fn pandoc_reads_the_title_page_back_with_its_date_span() {
    let plain = pandoc_plain(&build(&multi_month_days(), &every_field()));
    let title_page = plain
        .split("Edited by")
        .nth(1)
        .map(|rest| rest.len())
        .unwrap_or_default();
    assert!(title_page > 0, "{plain}");
    let span = plain.lines().find(|line| line.contains('\u{2013}'));
    assert!(
        span.is_some_and(|span| span.ends_with(", 1950")),
        "no date span in:\n{plain}"
    );
}

#[test]
fn a_book_has_a_cover_a_title_page_one_chapter_per_day_in_date_order_and_a_colophon() {
    let mut book = Book::new(build(&multi_month_days(), &metadata_at(0)));
    assert_eq!(
        book.chapters(),
        [
            "OEBPS/1950-01-30.xhtml",
            "OEBPS/1950-01-31.xhtml",
            "OEBPS/1950-02-01.xhtml",
            "OEBPS/1950-02-02.xhtml",
            "OEBPS/1950-03-03.xhtml",
        ]
    );
    let opf = book.text("OEBPS/content.opf");
    let opf = xml(&opf);
    let spine: Vec<&str> = opf
        .descendants()
        .filter(|n| n.has_tag_name("itemref"))
        .filter_map(|n| n.attribute("idref"))
        .collect();
    assert_eq!(
        spine,
        [
            "id_cover.xhtml",
            "id_title.xhtml",
            "id_1950-01-30.xhtml",
            "id_1950-01-31.xhtml",
            "id_1950-02-01.xhtml",
            "id_1950-02-02.xhtml",
            "id_1950-03-03.xhtml",
            "id_colophon.xhtml",
        ]
    );
    let guide: Vec<(&str, &str)> = opf
        .descendants()
        .filter(|n| n.has_tag_name("reference"))
        .filter_map(|n| Some((n.attribute("type")?, n.attribute("href")?)))
        .collect();
    assert!(guide.contains(&("cover", "cover.xhtml")), "{guide:?}");
    assert!(guide.contains(&("colophon", "colophon.xhtml")), "{guide:?}");
}

/// The `<section>` a document's body holds.
fn section_of<'a, 'input>(doc: &'a Document<'input>) -> Node<'a, 'input> {
    let body = doc.descendants().find(|n| n.has_tag_name("body")).unwrap();
    element_children(body, "section")[0]
}

const EPUB_NS: &str = "http://www.idpf.org/2007/ops";

#[test]
fn the_cover_is_text_marked_as_the_cover_showing_the_book_metadata() {
    let mut book = Book::new(build(&three_sources(), &every_field()));
    let cover = book.text("OEBPS/cover.xhtml");
    let doc = xml(&cover);
    let section = section_of(&doc);
    assert_eq!(section.attribute((EPUB_NS, "type")), Some("cover"));
    let lines: Vec<String> = section
        .children()
        .filter(Node::is_element)
        .map(squashed_text)
        .collect();
    assert_eq!(
        lines,
        [
            "Korea & China",
            "A chronology <of> 1950",
            "1950",
            "Edited by Ann O'Neil and Bo Chen",
            "Smith & Sons",
        ]
    );
    assert!(!cover.contains("<img"), "{cover}");
}

/// The colophon's terms and their values.
fn colophon(book: &mut Book) -> Vec<(String, String)> {
    let colophon = book.text("OEBPS/colophon.xhtml");
    let doc = xml(&colophon);
    let section = section_of(&doc);
    assert_eq!(section.attribute((EPUB_NS, "type")), Some("colophon"));
    let list = element_children(section, "dl")[0];
    let terms = element_children(list, "dt").into_iter().map(squashed_text);
    let values = element_children(list, "dd").into_iter().map(squashed_text);
    terms.zip(values).collect()
}

#[test]
fn the_colophon_names_publisher_licence_each_source_once_the_version_and_build_date() {
    let mut book = Book::new(build(&three_sources(), &every_field()));
    let expected = [
        ("Publisher", "Smith & Sons".to_owned()),
        (
            "Licence",
            "Creative Commons Attribution 4.0 International (CC-BY-4.0)".to_owned(),
        ),
        (
            "Sources",
            "1950-01-19.txt sample.txt multi-month.txt".to_owned(),
        ),
        (
            "Made with",
            format!("daybook {}", env!("CARGO_PKG_VERSION")),
        ),
        ("Build date", "November 14, 2023".to_owned()),
    ];
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(term, value)| (term.to_owned(), value))
        .collect();
    assert_eq!(colophon(&mut book), expected);
}

#[test]
fn without_a_build_time_the_colophon_says_the_date_was_not_recorded() {
    let metadata = Metadata {
        build_time: None,
        ..every_field()
    };
    let mut book = Book::new(build(&multi_month_days(), &metadata));
    let colophon = colophon(&mut book);
    assert_eq!(
        colophon.last(),
        Some(&("Build date".to_owned(), "Not recorded".to_owned()))
    );
}

#[test]
fn the_navigation_document_has_the_book_language_and_landmarks() {
    let mut book = Book::new(build(&multi_month_days(), &every_field()));
    let nav = book.text("OEBPS/nav.xhtml");
    let doc = xml(&nav);
    let html = doc.root_element();
    assert_eq!(html.attribute("lang"), Some("en-GB"));
    assert_eq!(
        html.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("en-GB")
    );
    let landmarks: Vec<(&str, &str)> = doc
        .descendants()
        .find(|n| n.has_tag_name("nav") && n.attribute((EPUB_NS, "type")) == Some("landmarks"))
        .unwrap()
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .filter_map(|a| Some((a.attribute((EPUB_NS, "type"))?, a.attribute("href")?)))
        .collect();
    assert_eq!(
        landmarks,
        [
            ("cover", "cover.xhtml"),
            ("titlepage", "title.xhtml"),
            ("bodymatter", "1950-01-30.xhtml"),
            ("colophon", "colophon.xhtml"),
        ]
    );
}

#[test]
fn media_kinds_show_their_configured_label_beside_the_code() {
    let mut book = Book::new(build(&sample_days(), &every_field()));
    let xhtml = book.text("OEBPS/1950-01-22.xhtml");
    let doc = xml(&xhtml);
    let table = doc.descendants().find(|n| has_class(*n, "media")).unwrap();
    let kinds: Vec<String> = table
        .descendants()
        .filter(|n| n.has_tag_name("tr"))
        .filter_map(|row| {
            element_children(row, "td")
                .get(2)
                .map(|td| squashed_text(*td))
        })
        .collect();
    assert_eq!(kinds, ["Interview (int)", "Photograph (pic)"]);
    let mut plain = Book::new(build(&sample_days(), &metadata_at(0)));
    let xhtml = plain.text("OEBPS/1950-01-22.xhtml");
    assert!(
        xhtml.contains("<td><code class=\"media-kind\">pic</code></td>"),
        "{xhtml}"
    );
}

#[test]
fn the_navigation_document_groups_the_days_under_their_months() {
    let mut book = Book::new(build(&multi_month_days(), &metadata_at(0)));
    let nav = book.text("OEBPS/nav.xhtml");
    let nav = xml(&nav);
    let toc = nav
        .descendants()
        .find(|n| n.has_tag_name("nav") && n.attribute("id") == Some("toc"))
        .unwrap();
    let top = element_children(toc, "ol")[0];
    let entries: Vec<(String, Vec<String>)> = element_children(top, "li")
        .into_iter()
        .map(|li| {
            let title = squashed_text(element_children(li, "a")[0]);
            let days = element_children(li, "ol")
                .into_iter()
                .flat_map(|ol| element_children(ol, "li"))
                .map(squashed_text)
                .collect();
            (title, days)
        })
        .collect();
    let expected = [
        ("Title page", vec![]),
        ("January 1950", vec!["January 30, 1950", "January 31, 1950"]),
        (
            "February 1950",
            vec!["February 1, 1950", "February 2, 1950"],
        ),
        ("March 1950", vec!["March 3, 1950"]),
        ("Colophon", vec![]),
    ];
    let expected: Vec<(String, Vec<String>)> = expected
        .into_iter()
        .map(|(title, days)| {
            (
                title.to_owned(),
                days.into_iter().map(str::to_owned).collect(),
            )
        })
        .collect();
    assert_eq!(entries, expected);
}

#[test]
fn the_ncx_groups_the_days_under_their_months() {
    let mut book = Book::new(build(&multi_month_days(), &metadata_at(0)));
    let ncx = book.text("OEBPS/toc.ncx");
    let ncx = xml(&ncx);
    let nav_map = ncx
        .descendants()
        .find(|n| n.has_tag_name("navMap"))
        .unwrap();
    let label = |point: Node| {
        let nav_label = element_children(point, "navLabel")[0];
        squashed_text(nav_label)
    };
    let months: Vec<(String, Vec<String>)> = element_children(nav_map, "navPoint")
        .into_iter()
        .map(|point| {
            let days = element_children(point, "navPoint")
                .into_iter()
                .map(label)
                .collect();
            (label(point), days)
        })
        .collect();
    assert_eq!(months.len(), 5, "{months:?}");
    assert_eq!(months[0], ("Title page".to_owned(), vec![]));
    assert_eq!(
        months[1],
        (
            "January 1950".to_owned(),
            vec!["January 30, 1950".to_owned(), "January 31, 1950".to_owned()]
        )
    );
    assert_eq!(
        months[2],
        (
            "February 1950".to_owned(),
            vec!["February 1, 1950".to_owned(), "February 2, 1950".to_owned()]
        )
    );
    assert_eq!(
        months[3],
        ("March 1950".to_owned(), vec!["March 3, 1950".to_owned()])
    );
    assert_eq!(months[4], ("Colophon".to_owned(), vec![]));
}

/// The cross-references of a chapter, as (href if linked, text).
fn cross_refs(book: &mut Book, chapter: &str) -> Vec<(Option<String>, String)> {
    let xhtml = book.text(chapter);
    xml(&xhtml)
        .descendants()
        .filter(|n| has_class(*n, "cross-ref"))
        .map(|n| (n.attribute("href").map(str::to_owned), squashed_text(n)))
        .collect()
}

#[test]
fn a_cross_reference_links_to_the_chapter_of_its_day() {
    let mut book = Book::new(build(&multi_month_days(), &metadata_at(0)));
    assert_eq!(
        cross_refs(&mut book, "OEBPS/1950-01-30.xhtml"),
        [(
            Some("1950-01-31.xhtml".to_owned()),
            "[see the 31st]".to_owned()
        )]
    );
    assert_eq!(
        cross_refs(&mut book, "OEBPS/1950-02-02.xhtml"),
        [(
            Some("1950-02-01.xhtml".to_owned()),
            "[see the 1st]".to_owned()
        )]
    );
    let mut sample = Book::new(build(&sample_days(), &metadata_at(0)));
    assert_eq!(
        cross_refs(&mut sample, "OEBPS/1950-01-22.xhtml"),
        [(
            Some("1950-01-19.xhtml".to_owned()),
            "[see the 19th]".to_owned()
        )]
    );
}

#[test]
fn the_sample_without_its_target_day_keeps_the_cross_reference_as_text() {
    let days = days_of(&fixture("sample.txt"), "sample.txt");
    let mut book = Book::new(build(&days, &metadata_at(0)));
    assert_eq!(
        cross_refs(&mut book, "OEBPS/1950-01-22.xhtml"),
        [(None, "[see the 19th]".to_owned())]
    );
}

#[test]
fn the_list_inside_the_sentence_stays_inside_its_paragraph() {
    let mut book = Book::new(build(&sample_days(), &metadata_at(0)));
    let xhtml = book.text("OEBPS/1950-01-22.xhtml");
    let doc = xml(&xhtml);
    let para = doc.descendants().find(|n| has_class(*n, "para")).unwrap();
    assert!(para.has_tag_name("div"));
    let lists = element_children(para, "ol");
    assert_eq!(lists.len(), 1);
    let values: Vec<&str> = element_children(lists[0], "li")
        .into_iter()
        .filter_map(|li| li.attribute("value"))
        .collect();
    assert_eq!(values, ["1", "2", "3", "4"]);
    assert_eq!(
        squashed_text(para),
        "Two days later, Zhou, joined by Wang Jiaxiang, Li Fuchun, Ye Jizhuang, and Wu Xiuquan \
         started negotiations with Soviet officials headed by Andrey Vyshinsky, the Soviet \
         foreign minister."
    );
}

#[test]
fn every_document_uses_the_book_stylesheet() {
    let mut book = Book::new(build(&multi_month_days(), &metadata_at(0)));
    assert_eq!(book.text("OEBPS/stylesheet.css"), STYLESHEET);
    let mut documents = book.chapters();
    documents
        .extend(["cover", "title", "colophon", "nav"].map(|name| format!("OEBPS/{name}.xhtml")));
    for name in documents {
        let xhtml = book.text(&name);
        let doc = xml(&xhtml);
        let stylesheets: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("link") && n.attribute("rel") == Some("stylesheet"))
            .filter_map(|n| n.attribute("href"))
            .collect();
        assert_eq!(stylesheets, ["stylesheet.css"], "{name}");
    }
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

#[test]
fn two_builds_with_the_same_build_time_are_byte_identical() {
    let days = multi_month_days();
    let first = build(&days, &metadata_at(1_700_000_000));
    let second = build(&multi_month_days(), &metadata_at(1_700_000_000));
    assert_eq!(sha256(&first), sha256(&second));
    assert_ne!(
        sha256(&first),
        sha256(&build(&days, &metadata_at(1_600_000_000)))
    );
    let full = build(&three_sources(), &every_field());
    assert_eq!(
        sha256(&full),
        sha256(&build(&three_sources(), &every_field()))
    );
}

fn identifier(bytes: Vec<u8>) -> String {
    let opf = Book::new(bytes).text("OEBPS/content.opf");
    let doc = xml(&opf);
    let id = doc
        .descendants()
        .find(|n| n.has_tag_name("identifier"))
        .unwrap();
    id.text().unwrap().to_owned()
}

#[test]
fn the_identifier_is_a_uuid_v5_derived_from_the_content_not_the_build_time() {
    let days = multi_month_days();
    let id = identifier(build(&days, &metadata_at(1_700_000_000)));
    let uuid = uuid::Uuid::parse_str(id.strip_prefix("urn:uuid:").unwrap()).unwrap();
    assert_eq!(uuid.get_version_num(), 5);
    assert_eq!(id, identifier(build(&days, &metadata_at(1_600_000_000))));
    assert_ne!(
        id,
        identifier(build(&sample_days(), &metadata_at(1_700_000_000)))
    );
}

/// The sample's text as a reader of the book should see it: citations as superscript
/// digits, straight quotes as curly pairs.
fn as_read(block: &str) -> String {
    let mut out = String::new();
    let mut open = true;
    let mut chars = block.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(if open { '\u{201C}' } else { '\u{201D}' });
                open = !open;
            }
            '[' if chars.peek().is_some_and(char::is_ascii_digit) => {
                for digit in chars.by_ref().take_while(|&c| c != ']') {
                    out.push(superscript(digit));
                }
            }
            c => out.push(c),
        }
    }
    squash(&out)
}

fn superscript(digit: char) -> char {
    match digit {
        '1' => '\u{B9}',
        '2' => '\u{B2}',
        '3' => '\u{B3}',
        d => char::from_u32(0x2070 + d.to_digit(10).unwrap()).unwrap(),
    }
}

#[test]
fn pandoc_shows_every_paragraph_of_the_sample() {
    let plain = squash(&pandoc_plain(&build(&sample_days(), &metadata_at(0))));
    let sample = String::from_utf8(fixture("sample.txt")).unwrap();
    let blocks: Vec<&str> = sample
        .split("\n\n")
        .map(str::trim)
        .filter(|block| !block.is_empty())
        .collect();
    let is_media = |block: &str| block.split(' ').count() == 3 && block.starts_with("19500122 ");
    let mut checked = 0;
    for block in blocks.iter().filter(|block| !is_media(block)) {
        let expected = as_read(block);
        assert!(
            plain.contains(&expected),
            "pandoc does not show:\n{expected}\n\nin:\n{plain}"
        );
        checked += 1;
    }
    // The heading, 21 prose blocks (4 of them list items), the correspondence line, the
    // label and the closing line.
    assert_eq!(checked, 25);
    // The sentence through the list reads as one.
    assert!(plain.contains(
        "Two days later, Zhou, joined by 1. Wang Jiaxiang, 2. Li Fuchun, 3. Ye Jizhuang, and \
         4. Wu Xiuquan started negotiations"
    ));
}
