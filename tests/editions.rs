//! `make editions` end to end: the real `input/` folder built by the `daybook` command, every
//! TEI file valid, every book EPUBCheck-clean, every text edition valid input again.

mod common;

use std::process::Command;

use common::{assert_epubcheck_passes, assert_tei_valid, files_with_extension, root};

#[test]
fn the_input_folder_builds_into_valid_editions() {
    let output = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_daybook"))
        .args(["build", "--strict", "--input"])
        .arg(root().join("input"))
        .arg("--output")
        .arg(output.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

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
    books.iter().for_each(|book| assert_epubcheck_passes(book));

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
