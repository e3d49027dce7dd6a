//! `make editions` end to end: the real `input/` folder and a generated year built by the
//! `daybook` command, every TEI file valid, every book EPUBCheck- and Ace-clean, every text
//! edition valid input again.

mod common;

use std::path::Path;
use std::process::Command;

use common::{
    assert_ace_passes, assert_epubcheck_passes, assert_tei_valid, files_with_extension,
    generated_corpus, root,
};

/// Runs `daybook build` of `input` into `output` with `options` and a fixed build time, and
/// asserts it succeeded.
fn build(options: &[&str], input: &Path, output: &Path) {
    let run = Command::new(env!("CARGO_BIN_EXE_daybook"))
        .arg("build")
        .args(options)
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(output)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn the_input_folder_builds_into_valid_editions() {
    let output = tempfile::tempdir().unwrap();
    build(&["--strict"], &root().join("input"), output.path());

    let tei = files_with_extension(output.path(), "xml");
    let notes = files_with_extension(&root().join("input"), "txt");
    let days: usize = notes
        .iter()
        .map(|n| {
            daybook::syntax::parse(&std::fs::read(n).unwrap())
                .days
                .len()
        })
        .sum();
    assert_eq!(tei.len(), days + 1, "a TEI document per day and one corpus");
    assert_tei_valid(&tei);

    let books = files_with_extension(output.path(), "epub");
    assert_eq!(books.len(), 1);
    books.iter().for_each(|book| {
        assert_epubcheck_passes(book);
        assert_ace_passes(book);
    });

    for text in files_with_extension(output.path(), "txt") {
        let parsed = daybook::syntax::parse(&std::fs::read(&text).unwrap());
        assert!(
            parsed.diagnostics.is_empty() && !parsed.days.is_empty(),
            "{}: {:?}",
            text.display(),
            parsed.diagnostics
        );
    }
}

/// A year of 365 generated days (`examples/gen_corpus.rs`, the corpus `make bench` uses):
/// the size at which Ace found 366 violations in one book.
#[test]
fn a_generated_year_builds_into_a_book_ace_and_epubcheck_accept() {
    let corpus = generated_corpus(365, 14);
    let output = corpus.path().join("out");
    build(&["--format", "epub"], &corpus.path().join("notes"), &output);
    let books = files_with_extension(&output, "epub");
    assert_eq!(books.len(), 1);
    assert_ace_passes(&books[0]);
    assert_epubcheck_passes(&books[0]);
}
