//! Registers end to end (issue 16): every mention of every registered name is marked in TEI,
//! in prose and in correspondence subjects (counted here from the fixture's text,
//! independently of the matcher), correspondence lines get correspDesc with linked persons,
//! the book has both indexes linking to the right chapters and its chapters link mentions and
//! correspondents to them, the register's and the mentions' diagnostics are exact, editing the register
//! rebuilds exactly what it touches, and without a register nothing changes.

mod common;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::{
    assert_epubcheck_passes, assert_tei_valid, build, files_with_extension, root, stderr,
};
use roxmltree::Document;

const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = root().join("tests/fixtures/registers");
    fs::create_dir_all(dir.path().join("input")).unwrap();
    for name in ["daybook.toml", "input/1950-03.txt", "input/names.register"] {
        fs::copy(from.join(name), dir.path().join(name)).unwrap();
    }
    dir
}

/// The fixture's prose as the grammar joins it (lines joined by single spaces), and of its
/// correspondence lines the subjects alone: sender and recipient are fields, linked whole,
/// not text searched for mentions.
fn prose() -> String {
    let text =
        fs::read_to_string(root().join("tests/fixtures/registers/input/1950-03.txt")).unwrap();
    text.lines()
        .map(|line| {
            line.split_once(" concerning ")
                .map_or(line, |(_, subject)| subject)
        })
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn read(dir: &Path, path: &str) -> String {
    fs::read_to_string(dir.join("output").join(path)).unwrap()
}

fn epub_entry(dir: &Path, name: &str) -> String {
    let file = fs::File::open(dir.join("output/epub/1950.epub")).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    archive
        .by_name(&format!("OEBPS/{name}"))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn count_refs(xml: &str, element: &str, target: &str) -> usize {
    let doc = Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name((TEI_NS, element)))
        .filter(|n| n.attribute("ref") == Some(target) && n.attribute("role").is_none())
        .filter(|n| n.ancestors().any(|a| a.has_tag_name((TEI_NS, "body"))))
        .count()
}

#[test]
fn every_mention_of_every_registered_name_is_marked_in_tei() {
    let dir = fixture();
    build(dir.path());
    let corpus = read(dir.path(), "tei/1950.xml");
    let prose = prose();
    // Every `Zhou` of the prose begins a mention of Zhou Enlai: `Zhou Enlai`, `Zhou`,
    // `Zhou’s` and the `Zhou` of the misspelt `Zhou Enali`; `Zhoukou` is no mention.
    let zhou = prose.matches("Zhou").count() - prose.matches("Zhoukou").count();
    for (element, target, expected) in [
        ("persName", "#p-zhou-enlai", zhou),
        (
            "persName",
            "#p-kim-il-sung",
            prose.matches("Kim Il-sung").count(),
        ),
        (
            "persName",
            "#p-wu-xiuquan",
            prose.matches("Wu Xiuquan").count(),
        ),
        (
            "placeName",
            "#pl-port-arthur",
            prose.matches("Port Arthur").count(),
        ),
        (
            "placeName",
            "#pl-manchuria",
            prose.matches("Manchuria").count(),
        ),
        ("placeName", "#pl-moscow", prose.matches("Moscow").count()),
    ] {
        assert!(expected > 0, "{target}");
        assert_eq!(count_refs(&corpus, element, target), expected, "{target}");
    }
    assert_eq!(zhou, 6);
    assert_eq!(
        (
            prose.matches("Kim Il-sung").count(),
            prose.matches("Moscow").count()
        ),
        (3, 3),
        "one Kim Il-sung and two Moscows in subjects"
    );
    assert_eq!(
        prose.matches("Port Arthur").count(),
        2,
        "one of them hard-wrapped"
    );

    let doc = Document::parse(&corpus).unwrap();
    let persons: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((TEI_NS, "person")))
        .filter_map(|n| n.attribute(("http://www.w3.org/XML/1998/namespace", "id")))
        .collect();
    assert_eq!(persons, ["p-kim-il-sung", "p-wu-xiuquan", "p-zhou-enlai"]);
    let wikidata: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((TEI_NS, "idno")) && n.attribute("type") == Some("wikidata"))
        .map(common::string)
        .collect();
    assert_eq!(wikidata, ["Q16977"]);
    assert_tei_valid(&files_with_extension(&dir.path().join("output/tei"), "xml"));
}

#[test]
fn correspondence_lines_have_correspdesc_with_linked_persons() {
    let dir = fixture();
    build(dir.path());
    let day = read(dir.path(), "tei/1950/1950-03-01.xml");
    let doc = Document::parse(&day).unwrap();
    let descs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((TEI_NS, "correspDesc")))
        .collect();
    assert_eq!(descs.len(), 1);
    let actions: Vec<(Option<&str>, Option<&str>, String)> = descs[0]
        .children()
        .filter(|n| n.has_tag_name((TEI_NS, "correspAction")))
        .map(|action| {
            let person = action
                .children()
                .find(|n| n.has_tag_name((TEI_NS, "persName")))
                .unwrap();
            (
                action.attribute("type"),
                person.attribute("ref"),
                common::string(person),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            (
                Some("sent"),
                Some("#p-kim-il-sung"),
                "Kim Il-sung".to_owned()
            ),
            (
                Some("received"),
                Some("#p-zhou-enlai"),
                "Zhou Enlai".to_owned()
            ),
        ]
    );
    let sent = doc
        .descendants()
        .find(|n| {
            n.has_tag_name((TEI_NS, "date"))
                && n.ancestors()
                    .any(|a| a.has_tag_name((TEI_NS, "correspAction")))
        })
        .unwrap();
    assert_eq!(sent.attribute("when"), Some("1950-03-01"));
    // The text stays in the body, linked, and the subject's names are mentions.
    assert!(day.contains(r##"<persName role="sender" ref="#p-kim-il-sung">Kim Il-sung</persName> to <persName role="recipient" ref="#p-zhou-enlai">Zhou Enlai</persName> concerning <title>a visit to <placeName ref="#pl-moscow">Moscow</placeName></title>."##));
    let next = read(dir.path(), "tei/1950/1950-03-02.xml");
    assert!(next.contains(r##"<persName role="sender">Andrei Gromyko</persName> to <persName role="recipient" ref="#p-zhou-enlai">Zhou Enlai</persName> concerning <title>the visit of <persName ref="#p-kim-il-sung">Kim Il-sung</persName> and Wu Xuiquan to <placeName ref="#pl-moscow">Moscow</placeName></title>."##), "{next}");
    // The day's own lists hold the entries its subject names, Wu Xiuquan's misspelling not.
    let doc = Document::parse(&next).unwrap();
    let listed: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((TEI_NS, "person")) || n.has_tag_name((TEI_NS, "place")))
        .filter_map(|n| n.attribute(("http://www.w3.org/XML/1998/namespace", "id")))
        .collect();
    assert_eq!(listed, ["p-kim-il-sung", "p-zhou-enlai", "pl-moscow"]);
}

#[test]
fn the_book_has_both_indexes_linking_to_the_chapters_that_mention_each_entry() {
    let dir = fixture();
    build(dir.path());
    let persons = epub_entry(dir.path(), "persons.xhtml");
    assert!(persons.contains(r#"epub:type="index""#));
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = Document::parse_with_options(&persons, options).unwrap();
    let entries: Vec<(String, Vec<&str>)> = doc
        .descendants()
        .filter(|n| n.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("index-entry"))
        .map(|li| {
            let term = li
                .children()
                .find(|n| n.is_element())
                .map(common::string)
                .unwrap();
            let links = li
                .children()
                .filter(|n| n.has_tag_name("a") || n.tag_name().name() == "a")
                .filter_map(|a| a.attribute("href"))
                .collect();
            (term, links)
        })
        .collect();
    assert_eq!(
        entries,
        [
            (
                "Kim Il-sung".to_owned(),
                vec![
                    "1950-03-01.xhtml#day-1950-03-01",
                    "1950-03-02.xhtml#day-1950-03-02"
                ]
            ),
            (
                "Wu Xiuquan".to_owned(),
                vec!["1950-03-01.xhtml#day-1950-03-01"]
            ),
            (
                "Zhou Enlai".to_owned(),
                vec![
                    "1950-03-01.xhtml#day-1950-03-01",
                    "1950-03-02.xhtml#day-1950-03-02"
                ]
            ),
        ]
    );
    let places = epub_entry(dir.path(), "places.xhtml");
    for place in ["Manchuria", "Moscow", "Port Arthur"] {
        assert!(
            places.contains(&format!(r#"<span epub:type="index-term">{place}</span>"#)),
            "{place}"
        );
    }
    assert!(places.contains(r#"<span epub:type="index-term">Moscow</span>, <a href="1950-03-01.xhtml#day-1950-03-01" epub:type="index-locator">March 1, 1950</a>, <a href="1950-03-02.xhtml#day-1950-03-02" epub:type="index-locator">March 2, 1950</a>"#), "{places}");
    let chapter = epub_entry(dir.path(), "1950-03-01.xhtml");
    assert!(
        chapter
            .contains(r#"<a href="persons.xhtml#p-zhou-enlai" class="name person">Zhou Enlai</a>"#)
    );
    // Correspondents link to their entries as mentions do; so do the subject's names.
    assert!(chapter.contains(r#"<a href="persons.xhtml#p-kim-il-sung" class="sender name person">Kim Il-sung</a> to <a href="persons.xhtml#p-zhou-enlai" class="recipient name person">Zhou Enlai</a> concerning <span class="subject">a visit to <a href="places.xhtml#pl-moscow" class="name place">Moscow</a></span>."#), "{chapter}");
    let next = epub_entry(dir.path(), "1950-03-02.xhtml");
    assert!(next.contains(r#"<span class="sender">Andrei Gromyko</span> to <a href="persons.xhtml#p-zhou-enlai" class="recipient name person">Zhou Enlai</a>"#), "{next}");
    assert_epubcheck_passes(&dir.path().join("output/epub/1950.epub"));
}

#[test]
fn the_text_edition_keeps_names_as_typed_and_is_what_it_is_without_the_register() {
    let dir = fixture();
    build(dir.path());
    let with = read(dir.path(), "txt/1950.txt");
    fs::remove_file(dir.path().join("input/names.register")).unwrap();
    let out = build(dir.path());
    assert_eq!(read(dir.path(), "txt/1950.txt"), with, "{}", stderr(&out));
    assert!(with.contains("Zhou’s aide"));
    assert!(!read(dir.path(), "tei/1950.xml").contains("persName ref"));
}

#[test]
fn a_misspelt_name_and_an_unregistered_correspondent_are_reported_exactly() {
    let dir = fixture();
    let out = build(dir.path());
    let printed = stderr(&out);
    assert!(
        printed.contains("1950-03.txt:11:7: warning[DB0086]: `Zhou Enali` is one edit away from the registered name `Zhou Enlai`"),
        "{printed}"
    );
    assert!(printed.contains("= help: did you mean `Zhou Enlai`? If `Zhou Enali` is right, add it to the entry's `variants`"), "{printed}");
    assert!(
        printed.contains(
            "1950-03.txt:19:1: warning[DB0085]: the sender `Andrei Gromyko` is not in the register"
        ),
        "{printed}"
    );
    assert_eq!(printed.matches("DB0085").count(), 1, "{printed}");
    // A subject is searched as prose is, so a misspelt name there is found where it stands.
    assert!(
        printed.contains("1950-03.txt:19:70: warning[DB0086]: `Wu Xuiquan` is one edit away from the registered name `Wu Xiuquan`"),
        "{printed}"
    );
    assert_eq!(printed.matches("DB0086").count(), 2, "{printed}");
}

#[test]
fn register_errors_are_exact_and_leave_out_only_what_they_concern() {
    let dir = fixture();
    fs::write(
        dir.path().join("input/more.register"),
        "[[person]]\r\nid = \"zhou-enlai\"\r\nname = \"Chou En-lai\"\r\n\r\n[[place]]\r\nid = \"lushun\"\r\nname = \"Lüshun\"\r\ngeonames = \"Q1\"\r\n\r\n[[person]]\r\nid = \"liu\"\r\nname = \"Liu Shaoqi\"\r\nwikdata = \"Q1\"\r\n",
    )
    .unwrap();
    let printed = stderr(&build(dir.path()));
    for expected in [
        "more.register:1:1: error[DB0082]: the person id `zhou-enlai` is also given at",
        "names.register:3:1: error[DB0082]: the person id `zhou-enlai` is also given at",
        "more.register:8:12: error[DB0084]: `Q1` is not a geonames identifier",
        "more.register:13:1: error[DB0081]: `wikdata` is not a key of a register entry",
        "= help: did you mean `wikidata`?",
    ] {
        assert!(printed.contains(expected), "{expected}\n{printed}");
    }
    // Zhou Enlai's id is given twice: his mentions are no longer linked.
    assert!(!read(dir.path(), "tei/1950.xml").contains("#p-zhou-enlai"));
}

#[test]
fn a_variant_claimed_by_two_entries_marks_neither() {
    let dir = fixture();
    fs::write(
        dir.path().join("input/more.register"),
        "[[place]]\nid = \"zhou-county\"\nname = \"Zhou\"\n",
    )
    .unwrap();
    let printed = stderr(&build(dir.path()));
    assert!(
        printed.contains(
            "error[DB0083]: the name `Zhou` of `zhou-county` is also claimed by `zhou-enlai`"
        ),
        "{printed}"
    );
    let corpus = read(dir.path(), "tei/1950.xml");
    // Only the full name is still a mention of Zhou Enlai.
    let prose = prose();
    assert_eq!(
        count_refs(&corpus, "persName", "#p-zhou-enlai"),
        prose.matches("Zhou Enlai").count()
    );
    assert_eq!(count_refs(&corpus, "placeName", "#pl-zhou-county"), 0);
}

#[test]
fn editing_an_entry_rebuilds_exactly_the_outputs_that_mention_it() {
    // At a fixed build time: without one, the book is stamped with the clock, and two builds
    // a second apart would make it differ.
    let build = |dir: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_daybook"))
            .arg("build")
            .current_dir(dir)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        out
    };
    let dir = fixture();
    build(dir.path());
    let register = dir.path().join("input/names.register");
    let text = fs::read_to_string(&register).unwrap();
    // Wu Xiuquan is mentioned on March 1 only.
    fs::write(
        &register,
        text.replace(
            "name = \"Wu Xiuquan\"",
            "name = \"Wu Xiuquan\"\nnote = \"A diplomat.\"",
        ),
    )
    .unwrap();
    let printed = stderr(&build(dir.path()));
    // The day's TEI and the corpus hold the note; the book, the web pages and the year's
    // search index are rendered again, but show no note, so their bytes are the same and
    // they are not written.
    assert!(
        printed.contains("2 outputs written, 14 unchanged"),
        "{printed}"
    );
    assert!(read(dir.path(), "tei/1950/1950-03-01.xml").contains("A diplomat."));
}
