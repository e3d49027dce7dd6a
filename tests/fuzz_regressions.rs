//! Inputs that once broke daybook, found by fuzzing (`fuzz/`) and by the property tests of
//! `tests/robustness.rs`, replayed through the checks of the `editions` fuzz target: parsing
//! never panics, every edition is written and every XML document in it is well-formed, and
//! the text edition of an error-free parse reads back to the same days and is a fixpoint.
//!
//! Each file of `tests/fixtures/fuzz/` is one input, named after what it broke.

use std::path::Path;

#[path = "../fuzz/check.rs"]
mod check;

use check::check;

#[test]
fn every_input_that_once_broke_daybook_now_passes_the_fuzz_checks() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut inputs: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", folder.display());
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            check(&std::fs::read(path).unwrap())
                .err()
                .map(|why| format!("{name}: {why}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
