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
