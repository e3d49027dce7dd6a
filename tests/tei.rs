//! The TEI edition end to end: real day notes parsed by the grammar, written as TEI, checked
//! element by element, against a snapshot and with jing against TEI P5 `tei_all`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDate};
use common::string;
use daybook::config::Config;
use daybook::edition::{Context, Metadata, SourcedDay, tei};
use daybook::syntax::{Parsed, parse};
use rayon::prelude::*;
use roxmltree::{Document, Node};

const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

// Reading and writing.

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn parse_file(path: &Path) -> Parsed {
    parse(&std::fs::read(path).unwrap())
}

/// The days of a file that parses without errors, named after the file.
fn sourced(path: &Path) -> Vec<SourcedDay> {
    let parsed = parse_file(path);
    assert!(
        !parsed.has_errors(),
        "{} does not parse: {:?}",
        path.display(),
        parsed.diagnostics
    );
    let source = path.file_name().unwrap().to_string_lossy().into_owned();
    parsed
        .days
        .into_iter()
        .map(|day| SourcedDay {
            day,
            source: source.clone(),
        })
        .collect()
}

fn sample() -> SourcedDay {
    let mut days = sourced(&root().join("tests/fixtures/sample.txt"));
    assert_eq!(days.len(), 1);
    days.remove(0)
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// A `daybook.toml` that sets every key the TEI edition reads.
const CONFIGURATION: &str = r#"
title = "Korea 1950"
subtitle = "A chronology"
editors = ["A. Editor", "B. Editor"]
publisher = "The Press"
language = "en-GB"
licence = "CC-BY-4.0"
identifier_base = "https://example.org/korea/"
subjects = ["Korean War", "Sino-Soviet relations"]

[media_kinds]
pic = "Photograph"
"#;

/// The metadata of [`CONFIGURATION`], built at `SOURCE_DATE_EPOCH=1714566605`
/// (2024-05-01T12:30:05Z).
fn configured() -> Metadata {
    let config = Config::parse(CONFIGURATION, "daybook.toml").unwrap();
    config.metadata(DateTime::from_timestamp(1_714_566_605, 0))
}

fn write_day_with(day: &SourcedDay, known: &BTreeSet<NaiveDate>, metadata: &Metadata) -> String {
    let mut out = Vec::new();
    let ctx = Context {
        days: known,
        metadata,
        notes: &daybook::edition::NO_NOTES,
        register: &daybook::edition::NO_REGISTER,
    };
    tei::write_day(day, &ctx, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn write_day(day: &SourcedDay, known: &BTreeSet<NaiveDate>) -> String {
    write_day_with(day, known, &Metadata::default())
}

fn write_corpus_with(
    year: i32,
    days: &[SourcedDay],
    known: &BTreeSet<NaiveDate>,
    metadata: &Metadata,
) -> String {
    let mut out = Vec::new();
    let ctx = Context {
        days: known,
        metadata,
        notes: &daybook::edition::NO_NOTES,
        register: &daybook::edition::NO_REGISTER,
    };
    tei::write_corpus(year, days, &ctx, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn write_corpus(year: i32, days: &[SourcedDay], known: &BTreeSet<NaiveDate>) -> String {
    write_corpus_with(year, days, known, &Metadata::default())
}

/// `xml` with daybook's version replaced by `[version]`, so that a release does not change
/// the snapshots.
fn versionless(xml: &str) -> String {
    xml.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

/// The first `teiHeader` of a document, as written, from the start of its line.
fn first_header(xml: &str) -> &str {
    let start = xml[..xml.find("<teiHeader>").unwrap()].rfind('\n').unwrap() + 1;
    let end = xml.find("</teiHeader>").unwrap() + "</teiHeader>".len();
    &xml[start..end]
}

/// The sample as a per-day file in a collection that also holds `also`.
fn sample_tei(also: &[NaiveDate]) -> String {
    let sample = sample();
    let mut known: BTreeSet<NaiveDate> = also.iter().copied().collect();
    known.insert(sample.day.date());
    write_day(&sample, &known)
}

/// Every TEI document a file gives, as the pipeline would write it, named for reports.
fn documents_of(path: &Path) -> Vec<(String, String)> {
    let mut days = sourced(path);
    days.sort_by_key(|d| d.day.date());
    let known: BTreeSet<NaiveDate> = days.iter().map(|d| d.day.date()).collect();
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let mut documents: Vec<(String, String)> = days
        .iter()
        .map(|day| {
            (
                format!("{name}-{}.xml", day.day.date()),
                write_day(day, &known),
            )
        })
        .collect();
    let mut years: BTreeMap<i32, Vec<SourcedDay>> = BTreeMap::new();
    for day in days {
        years.entry(day.day.date().year()).or_default().push(day);
    }
    for (year, days) in &years {
        documents.push((
            format!("{name}-{year}.xml"),
            write_corpus(*year, days, &known),
        ));
    }
    documents
}

fn text_files(folder: &Path) -> Vec<PathBuf> {
    common::files_with_extension(folder, "txt")
}

// Checking.

/// Validates `documents` against TEI P5 `tei_all` with one jing run; a missing jing fails.
fn assert_valid(documents: &[(String, String)]) {
    let folder = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = documents
        .iter()
        .map(|(name, xml)| {
            let path = folder.path().join(name);
            std::fs::write(&path, xml).unwrap();
            path
        })
        .collect();
    common::assert_tei_valid(&paths);
}

fn is(node: Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace() == Some(TEI_NS)
}

/// Every TEI element `name` below `node`, in document order (`node//name`).
fn all<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    node.descendants()
        .filter(|n| *n != node && is(*n, name))
        .collect()
}

/// The TEI children `name` of `node` (`node/name`).
fn children<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    node.children().filter(|n| is(*n, name)).collect()
}

/// `node//name[@type = kind]`.
fn typed<'a, 'i>(node: Node<'a, 'i>, name: &str, kind: &str) -> Vec<Node<'a, 'i>> {
    all(node, name)
        .into_iter()
        .filter(|n| n.attribute("type") == Some(kind))
        .collect()
}

/// The string value with white space normalised, as XPath's `normalize-space()`.
fn words(node: Node) -> String {
    string(node)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The names of the element children of `node`.
fn shape<'a>(node: Node<'a, '_>) -> Vec<&'a str> {
    node.children()
        .filter(Node::is_element)
        .map(|n| n.tag_name().name())
        .collect()
}

/// `/TEI/text/body/div[@type='day']`.
fn day_div<'a, 'i>(doc: &'a Document<'i>) -> Node<'a, 'i> {
    let days = typed(doc.root(), "div", "day");
    assert_eq!(days.len(), 1);
    days[0]
}

/// The day's sections, `div[@type='section']`.
fn sections<'a, 'i>(doc: &'a Document<'i>) -> Vec<Node<'a, 'i>> {
    children(day_div(doc), "div")
}

// The sample, construct by construct.

#[test]
fn the_sample_is_a_day_of_three_sections_and_a_closer() {
    let xml = sample_tei(&[]);
    let doc = Document::parse(&xml).unwrap();
    let day = day_div(&doc);
    assert_eq!(day.attribute((XML_NS, "id")), Some("day-1950-01-22"));
    assert_eq!(shape(day), ["head", "div", "div", "div", "closer"]);
    let numbered: Vec<_> = sections(&doc)
        .into_iter()
        .map(|s| (s.attribute("type").unwrap(), s.attribute("n").unwrap()))
        .collect();
    assert_eq!(
        numbered,
        [("section", "1"), ("section", "2"), ("section", "3")]
    );
    let head = children(day, "head")[0];
    assert_eq!(string(head), "January 22, 1950 (Sunday)");
    assert_eq!(
        children(head, "date")[0].attribute("when"),
        Some("1950-01-22")
    );
    let dateline = children(children(day, "closer")[0], "dateline")[0];
    assert_eq!(string(dateline), "Notes for Sunday January 22, 1950");
    assert_eq!(
        children(dateline, "date")[0].attribute("when"),
        Some("1950-01-22")
    );
}

#[test]
fn the_sample_header_names_the_day_and_its_source() {
    let xml = sample_tei(&[]);
    let doc = Document::parse(&xml).unwrap();
    let title_stmt = all(doc.root(), "titleStmt")[0];
    assert_eq!(
        string(children(title_stmt, "title")[0]),
        "January 22, 1950 (Sunday)"
    );
    assert_eq!(
        string(all(all(doc.root(), "sourceDesc")[0], "idno")[0]),
        "sample.txt"
    );
    let created = all(all(doc.root(), "creation")[0], "date")[0];
    assert_eq!(created.attribute("when"), Some("1950-01-22"));
}

#[test]
fn the_sample_sections_hold_seven_and_nine_paragraphs_then_the_third_section_blocks() {
    let xml = sample_tei(&[]);
    let doc = Document::parse(&xml).unwrap();
    let sections = sections(&doc);
    assert_eq!(shape(sections[0]), ["p"; 7]);
    assert_eq!(shape(sections[1]), ["p"; 9]);
    assert_eq!(shape(sections[2]), ["bibl", "list", "label"]);
}

#[test]
fn the_first_paragraph_holds_the_four_item_list_inside_its_sentence() {
    let xml = sample_tei(&[]);
    let doc = Document::parse(&xml).unwrap();
    let first = children(sections(&doc)[0], "p")[0];
    let lists = children(first, "list");
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].attribute("type"), Some("ordered"));
    let items: Vec<_> = children(lists[0], "item")
        .into_iter()
        .map(|item| (item.attribute("n").unwrap(), string(item)))
        .collect();
    let expected = [
        ("1", "Wang Jiaxiang,"),
        ("2", "Li Fuchun,"),
        ("3", "Ye Jizhuang, and"),
        ("4", "Wu Xiuquan"),
    ];
    assert_eq!(items, expected.map(|(n, text)| (n, text.to_owned())));
    assert_eq!(
        words(first),
        "Two days later, Zhou, joined by Wang Jiaxiang, Li Fuchun, Ye Jizhuang, and Wu Xiuquan \
         started negotiations with Soviet officials headed by Andrey Vyshinsky, the Soviet \
         foreign minister."
    );
}

#[test]
fn the_sample_cites_notes_56_57_65_66_67() {
    let xml = sample_tei(&[]);
    let doc = Document::parse(&xml).unwrap();
    let citations: Vec<_> = typed(doc.root(), "ref", "citation")
        .into_iter()
        .map(|r| (r.attribute("n").unwrap(), string(r)))
        .collect();
    let expected = ["56", "57", "65", "66", "67"].map(|n| (n, format!("[{n}]")));
    assert_eq!(citations, expected);
    let by_section: Vec<usize> = sections(&doc)
        .into_iter()
        .map(|s| typed(s, "ref", "citation").len())
        .collect();
    assert_eq!(by_section, [2, 3, 0]);
}

#[test]
fn the_sample_has_three_quotations_without_their_quote_marks() {
    let xml = sample_tei(&[]);
    let doc = Document::parse(&xml).unwrap();
    let quotes: Vec<_> = all(doc.root(), "q").into_iter().map(string).collect();
    assert_eq!(
        quotes,
        [
            "must go all out to provide military and other assistance.",
            "in diplomatic affairs nothing was small",
            "small.",
        ]
    );
    assert!(!string(day_div(&doc)).contains('"'));
}

#[test]
fn the_cross_reference_links_to_the_19th_when_the_collection_holds_it() {
    let xml = sample_tei(&[date(1950, 1, 19)]);
    let doc = Document::parse(&xml).unwrap();
    let links = typed(doc.root(), "ref", "crossref");
    assert_eq!(links.len(), 1);
    assert_eq!(
        links[0].attribute("target"),
        Some("1950-01-19.xml#day-1950-01-19")
    );
    assert_eq!(string(links[0]), "see the 19th");
    let before = links[0].prev_sibling().and_then(|n| n.text()).unwrap();
    let after = links[0].next_sibling().and_then(|n| n.text()).unwrap();
    assert!(before.ends_with("Fourth Field Army. ["), "{before:?}");
    assert_eq!(after, "]");
    let paragraph = links[0].parent().unwrap();
    assert!(is(paragraph, "p"));
    assert_eq!(paragraph.parent(), Some(sections(&doc)[1]));
}

#[test]
fn the_cross_reference_stays_text_when_the_collection_lacks_the_19th() {
    let xml = sample_tei(&[date(1950, 1, 20)]);
    let doc = Document::parse(&xml).unwrap();
    assert!(typed(doc.root(), "ref", "crossref").is_empty());
    let second = children(sections(&doc)[1], "p")[1];
    assert!(string(second).ends_with("Fourth Field Army. [see the 19th]"));
}

#[test]
fn the_cross_reference_points_into_a_corpus_that_holds_the_19th() {
    let nineteenth = SourcedDay {
        day: parse(b"January 19, 1950 (Thursday)\n\nMao met Stalin.\n")
            .days
            .remove(0),
        source: "1950-01-19.txt".to_owned(),
    };
    let days = [nineteenth, sample()];
    let known = days.iter().map(|d| d.day.date()).collect();
    let xml = write_corpus(1950, &days, &known);
    let doc = Document::parse(&xml).unwrap();
    let links = typed(doc.root(), "ref", "crossref");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].attribute("target"), Some("#day-1950-01-19"));
    let ids: Vec<_> = typed(doc.root(), "div", "day")
        .into_iter()
        .map(|d| d.attribute((XML_NS, "id")).unwrap())
        .collect();
    assert_eq!(ids, ["day-1950-01-19", "day-1950-01-22"]);
    assert_valid(&[("corpus.xml".to_owned(), xml)]);
}

#[test]
fn the_correspondence_bibl_names_sender_recipient_and_subject() {
    let xml = sample_tei(&[]);
    let doc = Document::parse(&xml).unwrap();
    let letters = typed(doc.root(), "bibl", "correspondence");
    assert_eq!(letters.len(), 1);
    let bibl = letters[0];
    assert_eq!(shape(bibl), ["persName", "persName", "title"]);
    let names: Vec<_> = children(bibl, "persName")
        .into_iter()
        .map(|p| (p.attribute("role").unwrap(), string(p)))
        .collect();
    assert_eq!(
        names,
        [
            ("sender", "William Batt, Jr.".to_owned()),
            ("recipient", "E.W. Kenworthy".to_owned())
        ]
    );
    assert_eq!(
        string(children(bibl, "title")[0]),
        "Captain Martin's reassignment"
    );
    assert_eq!(
        string(bibl),
        "William Batt, Jr. to E.W. Kenworthy concerning Captain Martin's reassignment.."
    );
}

#[test]
fn the_two_untimed_media_codes_are_items_dated_by_the_day_alone() {
    let xml = sample_tei(&[]);
    let doc = Document::parse(&xml).unwrap();
    let media = typed(doc.root(), "list", "media");
    assert_eq!(media.len(), 1);
    let items: Vec<_> = children(media[0], "item")
        .into_iter()
        .map(|item| {
            let when = children(item, "date")[0].attribute("when").unwrap();
            let kind = children(item, "term")[0];
            assert_eq!(kind.attribute("type"), Some("media-kind"));
            (when, string(item))
        })
        .collect();
    assert_eq!(
        items,
        [
            ("1950-01-22", "19500122 0000 int".to_owned()),
            ("1950-01-22", "19500122 0000 pic".to_owned()),
        ]
    );
}

#[test]
fn the_label_names_the_songs_of_the_week() {
    let xml = sample_tei(&[]);
    let doc = Document::parse(&xml).unwrap();
    let labels: Vec<_> = typed(doc.root(), "label", "feature")
        .into_iter()
        .map(string)
        .collect();
    assert_eq!(labels, ["Songs of the week"]);
}

#[test]
fn the_sample_document_matches_its_snapshot() {
    let xml = sample_tei(&[date(1950, 1, 19)]);
    insta::assert_snapshot!("sample_day", versionless(&xml));
}

#[test]
fn the_sample_corpus_matches_its_snapshot() {
    let sample = sample();
    let known = BTreeSet::from([sample.day.date()]);
    let xml = write_corpus(1950, &[sample], &known);
    insta::assert_snapshot!("sample_corpus", versionless(&xml));
}

// The configuration.

#[test]
fn the_day_header_written_with_every_configuration_key_matches_its_snapshot() {
    let sample = sample();
    let known = BTreeSet::from([sample.day.date()]);
    let day = write_day_with(&sample, &known, &configured());
    insta::assert_snapshot!(
        "sample_day_header_configured",
        versionless(first_header(&day))
    );
}

#[test]
fn the_corpus_header_written_with_every_configuration_key_matches_its_snapshot() {
    let sample = sample();
    let known = BTreeSet::from([sample.day.date()]);
    let corpus = write_corpus_with(1950, &[sample], &known, &configured());
    insta::assert_snapshot!(
        "sample_corpus_header_configured",
        versionless(first_header(&corpus))
    );
}

#[test]
fn the_sample_with_every_configuration_key_gives_valid_tei_with_labelled_media() {
    let (sample, metadata) = (sample(), configured());
    let known = BTreeSet::from([sample.day.date()]);
    let day = write_day_with(&sample, &known, &metadata);
    let corpus = write_corpus_with(1950, &[sample], &known, &metadata);

    let doc = Document::parse(&day).unwrap();
    let kinds: Vec<_> = typed(doc.root(), "term", "media-kind")
        .into_iter()
        .map(|term| (term.attribute("key"), string(term)))
        .collect();
    assert_eq!(
        kinds,
        [
            (Some("int"), "int".to_owned()),
            (Some("pic"), "Photograph".to_owned())
        ]
    );

    assert_valid(&[
        ("day.xml".to_owned(), day),
        ("corpus.xml".to_owned(), corpus),
    ]);
}

/// Issue 11, point 10: one XPath, `//term[@type='media-kind']/@key`, finds every kind code,
/// labelled or not.
#[test]
fn every_media_kind_carries_its_code_in_key() {
    let xml = sample_tei(&[]);
    let doc = Document::parse(&xml).unwrap();
    let keys: Vec<_> = typed(doc.root(), "term", "media-kind")
        .into_iter()
        .map(|term| term.attribute("key"))
        .collect();
    assert_eq!(keys, [Some("int"), Some("pic")]);
}

/// Every block can be cited by an `xml:id` made of the day, the section and its position.
#[test]
fn every_block_has_an_xml_id_from_its_day_section_and_position() {
    let xml = sample_tei(&[]);
    let doc = Document::parse(&xml).unwrap();
    let sections = typed(doc.root(), "div", "section");
    let ids: Vec<Vec<&str>> = sections
        .iter()
        .map(|section| {
            section
                .children()
                .filter(|n| n.is_element())
                .map(|block| {
                    block
                        .attribute(("http://www.w3.org/XML/1998/namespace", "id"))
                        .unwrap()
                })
                .collect()
        })
        .collect();
    assert_eq!(ids[0][0], "day-1950-01-22-s1-p1");
    assert_eq!(ids[1][8], "day-1950-01-22-s2-p9");
    assert_eq!(
        ids[2],
        [
            "day-1950-01-22-s3-p1",
            "day-1950-01-22-s3-p2",
            "day-1950-01-22-s3-p3"
        ]
    );
    for section in sections {
        assert_eq!(section.attribute("rend"), Some("nohead"));
    }
}

/// Each `<TEI>` of a corpus carries only what is its own; what all share is said once, in
/// the corpus's header.
#[test]
fn a_corpus_member_header_says_only_what_is_its_own() {
    let sample = sample();
    let known = BTreeSet::from([sample.day.date()]);
    let xml = write_corpus(1950, &[sample], &known);
    let doc = Document::parse(&xml).unwrap();
    let member = children(doc.root_element(), "TEI")[0];
    let header = children(member, "teiHeader")[0];
    for shared in ["encodingDesc", "availability", "seriesStmt", "langUsage"] {
        assert!(
            !header.descendants().any(|n| n.tag_name().name() == shared),
            "{shared} repeated in a member header"
        );
    }
    assert_eq!(
        doc.root_element()
            .descendants()
            .filter(|n| n.has_tag_name((TEI_NS, "encodingDesc")))
            .count(),
        1
    );
}

// Every file, and the hard characters.

#[test]
fn every_fixture_and_input_file_that_parses_gives_valid_tei() {
    let files: Vec<PathBuf> = text_files(&root().join("tests/fixtures"))
        .into_iter()
        .chain(text_files(&root().join("input")))
        .filter(|path| !parse_file(path).has_errors())
        .collect();
    let names: Vec<_> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_owned())
        .collect();
    assert!(names.iter().any(|n| n == "sample.txt") && names.iter().any(|n| n == "escaping.txt"));
    assert!(files.iter().any(|f| f.starts_with(root().join("input"))));
    let documents: Vec<_> = files.iter().flat_map(|path| documents_of(path)).collect();
    assert!(documents.len() >= 2 * files.len());
    assert_valid(&documents);
}

#[test]
fn the_escaping_fixture_keeps_every_character_but_the_control_one() {
    let path = root().join("tests/fixtures/escaping.txt");
    let parsed = parse_file(&path);
    let found: Vec<_> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line, d.column))
        .collect();
    assert_eq!(found, [("DB0005", 9, 18)]);

    let documents = documents_of(&path);
    let xml = &documents[0].1;
    assert!(!xml.contains('\u{7}'));
    assert_valid(&documents);
    let doc = Document::parse(xml).unwrap();
    let sections = sections(&doc);
    let paragraphs: Vec<_> = children(sections[0], "p").into_iter().map(string).collect();
    assert_eq!(
        paragraphs,
        [
            "Tom & Jerry wrote <b>bold</b> and 1 < 2 > 0, and the CDATA end ]]> came in plain prose.",
            "He said it's <fine> & dandy and left; she didn't, and O'Brien's 'single' quotes stayed.",
            "Names in other scripts: 周恩来 and 毛泽东, Андрей Вышинский, جمال عبد الناصر.",
            "A bell rang here:\u{FFFD} and the note went on.[3]",
            "The list of <tags> & entities:",
        ]
    );
    assert_eq!(string(all(sections[0], "q")[0]), "it's <fine> & dandy");
    let items: Vec<_> = all(sections[0], "item").into_iter().map(string).collect();
    assert_eq!(items, ["&amp; stays as written,", "]]> too"]);
    assert_eq!(
        string(typed(sections[1], "bibl", "correspondence")[0]),
        "Seán O'Brien to Андрей Вышинский concerning the \"Ölkrise\" & <GmbH> accounts.."
    );
    assert_eq!(
        string(typed(sections[1], "label", "feature")[0]),
        "Q&A / Songs & Dances 歌舞"
    );
}

// Determinism.

#[test]
fn the_same_day_gives_the_same_bytes_every_time_and_on_every_thread() {
    let sample = sample();
    let known = BTreeSet::from([date(1950, 1, 19), sample.day.date()]);
    let day = write_day(&sample, &known);
    let corpus = write_corpus(1950, std::slice::from_ref(&sample), &known);
    for _ in 0..20 {
        assert_eq!(write_day(&sample, &known), day);
        assert_eq!(
            write_corpus(1950, std::slice::from_ref(&sample), &known),
            corpus
        );
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let written: Vec<(String, String)> = pool.install(|| {
        (0..20)
            .into_par_iter()
            .map(|_| {
                let corpus = write_corpus(1950, std::slice::from_ref(&sample), &known);
                (write_day(&sample, &known), corpus)
            })
            .collect()
    });
    assert!(written.iter().all(|(d, c)| *d == day && *c == corpus));
}
