//! `daybook.toml`: each key changes the outputs it should; bad files are refused with the key,
//! line and expected type.

mod common;

use std::fs;
use std::path::Path;

use common::{build, daybook};

/// A project with two months of notes and `config` as its `daybook.toml`.
fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("input")).unwrap();
    fs::write(
        dir.path().join("input/sample.txt"),
        include_str!("fixtures/sample.txt"),
    )
    .unwrap();
    fs::write(
        dir.path().join("input/feb.txt"),
        "February 14, 1950 (Tuesday)\n\nThe treaty was signed in the Kremlin in the evening, together with the agreements on the railway and the credit.\n\n19500214 2100 pic\n",
    )
    .unwrap();
    fs::write(dir.path().join("daybook.toml"), config).unwrap();
    dir
}

fn epubs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir.join("output/epub"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn book_groups_the_epub_edition_by_year_month_or_collection() {
    let dir = project("");
    build(dir.path());
    assert_eq!(epubs(dir.path()), ["1950.epub"]);
    fs::write(dir.path().join("daybook.toml"), "book = \"month\"\n").unwrap();
    build(dir.path());
    assert_eq!(
        epubs(dir.path()),
        ["1950-01.epub", "1950-02.epub"],
        "the year book is removed"
    );
    fs::write(dir.path().join("daybook.toml"), "book = \"collection\"\n").unwrap();
    build(dir.path());
    assert_eq!(epubs(dir.path()), ["collection.epub"]);
}

#[test]
fn wrap_width_sets_the_text_edition_measure() {
    let dir = project("wrap_width = 40\n");
    build(dir.path());
    let text = fs::read_to_string(dir.path().join("output/txt/1950/1950-01-22.txt")).unwrap();
    let widest = text
        .lines()
        .filter(|l| l.contains(' ') && !l.contains(" to "))
        .map(|l| l.chars().count())
        .max();
    assert!(widest.is_some_and(|w| w <= 40 && w > 30), "{widest:?}");
    let parsed = daybook::syntax::parse(text.as_bytes());
    assert!(
        parsed.diagnostics.is_empty(),
        "still valid input: {:?}",
        parsed.diagnostics
    );
}

#[test]
fn config_show_prints_every_key_with_its_effective_value() {
    let dir = project("title = \"Korea, 1950\"\n[media_kinds]\npic = \"Photograph\"\n");
    let out = daybook(&["config", "--show"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let shown = String::from_utf8(out.stdout).unwrap();
    for line in [
        "title = \"Korea, 1950\"",
        "language = \"en\"",
        "book = \"year\"",
        "wrap_width = 72",
        "pic = \"Photograph\"",
    ] {
        assert!(
            shown.lines().any(|l| l == line),
            "{line} missing from\n{shown}"
        );
    }
    let other = dir.path().join("other.toml");
    fs::write(&other, "language = \"fr\"\n").unwrap();
    let out = daybook(
        &["config", "--show", "--config", other.to_str().unwrap()],
        dir.path(),
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("language = \"fr\"")
    );
}

#[test]
fn an_unknown_key_is_refused_with_its_line() {
    let dir = project("title = \"x\"\ntitel = \"y\"\n");
    let out = daybook(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "daybook: error: daybook.toml:2:1: error: unknown field `titel`, expected one of"
        ),
        "{err}"
    );
    assert!(!dir.path().join("output").exists(), "nothing is built");
}

#[test]
fn a_wrong_type_is_refused_with_the_key_line_and_expected_type() {
    let dir = project("wrap_width = \"wide\"\n");
    let err = String::from_utf8_lossy(&daybook(&["check"], dir.path()).stderr).into_owned();
    assert!(
        err.contains("daybook.toml:1:14: error: key `wrap_width`: invalid type: string \"wide\", expected usize"),
        "{err}"
    );
    let dir = project("editors = \"A. Editor\"\n");
    let err = String::from_utf8_lossy(&daybook(&["check"], dir.path()).stderr).into_owned();
    assert!(err.contains("daybook.toml:1:11: error: key `editors`: invalid type: string \"A. Editor\", expected a sequence"), "{err}");
}

#[test]
fn a_missing_named_configuration_file_is_an_error() {
    let dir = project("");
    let out = daybook(&["build", "--config", "nope.toml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read nope.toml"));
}

fn epub_entry(book: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(fs::File::open(book).unwrap()).unwrap();
    let mut entry = archive.by_name(name).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
    text
}

#[test]
fn every_metadata_key_reaches_the_tei_and_the_epub() {
    let dir = project(
        r#"
title = "Korea, 1950"
subtitle = "A chronology"
editors = ["Ann Editor", "Bo Editor"]
publisher = "Example Press"
language = "en-GB"
licence = "CC-BY-4.0"
identifier_base = "https://example.org/korea/"
subjects = ["Korean War"]
"a11y:certifiedBy" = "Example Accessibility Lab"

[volume_subtitles]
"1950" = "The year 1950"

[media_kinds]
pic = "Photograph"
"#,
    );
    build(dir.path());
    let tei = fs::read_to_string(dir.path().join("output/tei/1950/1950-01-22.xml")).unwrap();
    for expected in [
        r#"xml:lang="en-GB""#,
        "<title>Korea, 1950</title>",
        r#"<title type="sub">A chronology</title>"#,
        "<editor>Ann Editor</editor>",
        "<editor>Bo Editor</editor>",
        "<publisher>Example Press</publisher>",
        r#"<licence target="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International (CC-BY-4.0)</licence>"#,
        r#"<idno type="URI">https://example.org/korea/1950-01-22</idno>"#,
        "<term>Korean War</term>",
        r#"<term type="media-kind" key="pic">Photograph</term>"#,
        r#"<term type="media-kind" key="int">int</term>"#,
    ] {
        assert!(
            tei.contains(expected),
            "{expected} missing from the TEI:\n{tei}"
        );
    }
    let book = dir.path().join("output/epub/1950.epub");
    let opf = epub_entry(&book, "OEBPS/content.opf");
    for expected in [
        "<dc:title>Korea, 1950, 1950</dc:title>",
        "The year 1950</dc:title>",
        ">Ann Editor</dc:creator>",
        ">Bo Editor</dc:creator>",
        "<dc:publisher>Example Press</dc:publisher>",
        "<dc:rights>Creative Commons Attribution 4.0 International (CC-BY-4.0)</dc:rights>",
        "<meta property=\"a11y:certifiedBy\">Example Accessibility Lab</meta>",
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>",
        ">en-GB</dc:language>",
        "<dc:subject>Korean War</dc:subject>",
    ] {
        assert!(
            opf.contains(expected),
            "{expected} missing from the package:\n{opf}"
        );
    }
    let chapter = epub_entry(&book, "OEBPS/1950-01-22.xhtml");
    assert!(
        chapter.contains(
            r#"<span class="media-label">Photograph</span> (<code class="media-kind">pic</code>)"#
        ),
        "{chapter}"
    );
    let defaults = project("");
    build(defaults.path());
    let default_opf = epub_entry(
        &defaults.path().join("output/epub/1950.epub"),
        "OEBPS/content.opf",
    );
    let identifier = |opf: &str| opf.split("urn:uuid:").nth(1).map(|s| s[..36].to_owned());
    assert_ne!(
        identifier(&opf),
        identifier(&default_opf),
        "the identifier base changes the identifier"
    );
}

#[test]
fn labels_name_exactly_the_label_lines() {
    let dir = project("labels = [\"Radio log.\"]\n");
    fs::write(
        dir.path().join("input/feb.txt"),
        "February 14, 1950 (Tuesday)\n\nThe treaty was signed.\n\nRadio log.\n\nSongs of the week\n",
    )
    .unwrap();
    build(dir.path());
    let tei = fs::read_to_string(dir.path().join("output/tei/1950/1950-02-14.xml")).unwrap();
    assert!(
        tei.contains(r#"<label type="feature" xml:id="day-1950-02-14-s1-p2">Radio log.</label>"#),
        "{tei}"
    );
    assert!(
        tei.contains(r#"<p xml:id="day-1950-02-14-s1-p3">Songs of the week</p>"#),
        "{tei}"
    );
    let text = fs::read_to_string(dir.path().join("output/txt/1950/1950-02-14.txt")).unwrap();
    let options = daybook::config::Config::parse("labels = [\"Radio log.\"]", "daybook.toml")
        .unwrap()
        .syntax_options();
    let reparsed = daybook::syntax::parse_with(text.as_bytes(), &options);
    assert!(reparsed.diagnostics.is_empty());
    let defaults = project("");
    build(defaults.path());
    let tei = fs::read_to_string(defaults.path().join("output/tei/1950/1950-01-22.xml")).unwrap();
    assert!(tei.contains(
        r#"<label type="feature" xml:id="day-1950-01-22-s3-p3">Songs of the week</label>"#
    ));
}
