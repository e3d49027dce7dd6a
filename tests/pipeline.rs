//! The collection pipeline: whole-collection links, duplicates, incremental builds, safe
//! writes and removal of outputs whose notes vanished.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{build, daybook};

use sha2::Digest as _;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join("input").join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Every output file with its bytes, inode and modification time: a rewrite through a
/// renamed temporary file changes the inode even when the clock is coarse.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, u64, i64, i64)> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.join("output")];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let meta = fs::metadata(&path).unwrap();
                let name = path
                    .strip_prefix(dir.join("output"))
                    .unwrap()
                    .display()
                    .to_string();
                files.insert(
                    name,
                    (
                        fs::read(&path).unwrap(),
                        meta.ino(),
                        meta.mtime(),
                        meta.mtime_nsec(),
                    ),
                );
            }
        }
    }
    files
}

/// The outputs that differ (changed, added or removed) between two snapshots.
fn changed(
    before: &BTreeMap<String, (Vec<u8>, u64, i64, i64)>,
    after: &BTreeMap<String, (Vec<u8>, u64, i64, i64)>,
) -> Vec<String> {
    let mut names: Vec<String> = before.keys().chain(after.keys()).cloned().collect();
    names.sort();
    names.dedup();
    names.retain(|n| n != "manifest.json" && before.get(n) != after.get(n));
    names
}

fn day(date: &str, body: &str) -> String {
    format!("{date}\n\n\n\n{body}\n")
}

/// Jan 19 and Jan 22 1950 in two files, the 22nd linking to the 19th and to the missing 20th;
/// a day of 1951 in a third.
fn collection() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.txt",
        &day("January 19, 1950 (Thursday)", "Kim asked again.[1]"),
    );
    write(
        dir.path(),
        "b/b.txt",
        &day(
            "January 22, 1950 (Sunday)",
            "As before [see the 19th] and after [see the 20th].",
        ),
    );
    write(
        dir.path(),
        "c.txt",
        &day("March 1, 1951 (Thursday)", "A year later."),
    );
    dir
}

#[test]
fn a_second_build_with_nothing_changed_rewrites_nothing() {
    let dir = collection();
    build(dir.path());
    let before = snapshot(dir.path());
    let out = build(dir.path());
    assert_eq!(
        changed(&before, &snapshot(dir.path())),
        Vec::<String>::new()
    );
    assert_eq!(
        before["manifest.json"],
        snapshot(dir.path())["manifest.json"],
        "the manifest is not rewritten either"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("0 outputs written, 12 unchanged, 0 removed")
    );
}

#[test]
fn editing_a_note_rebuilds_only_its_days_and_its_year() {
    let dir = collection();
    build(dir.path());
    let before = snapshot(dir.path());
    write(
        dir.path(),
        "a.txt",
        &day("January 19, 1950 (Thursday)", "Kim asked once more.[1]"),
    );
    build(dir.path());
    assert_eq!(
        changed(&before, &snapshot(dir.path())),
        [
            "epub/1950.epub",
            "tei/1950.xml",
            "tei/1950/1950-01-19.xml",
            "txt/1950.txt",
            "txt/1950/1950-01-19.txt"
        ]
    );
}

#[test]
fn a_day_appearing_rebuilds_the_days_that_link_to_it() {
    let dir = collection();
    build(dir.path());
    let before = snapshot(dir.path());
    write(
        dir.path(),
        "d.txt",
        &day("January 20, 1950 (Friday)", "In between."),
    );
    build(dir.path());
    assert_eq!(
        changed(&before, &snapshot(dir.path())),
        [
            "epub/1950.epub",
            "tei/1950.xml",
            "tei/1950/1950-01-20.xml",
            "tei/1950/1950-01-22.xml",
            "txt/1950.txt",
            "txt/1950/1950-01-20.txt"
        ]
    );
    let tei = fs::read_to_string(dir.path().join("output/tei/1950/1950-01-22.xml")).unwrap();
    assert!(tei.contains(
        r#"<ref type="crossref" target="1950-01-20.xml#day-1950-01-20">see the 20th</ref>"#
    ));
}

#[test]
fn deleting_a_note_removes_its_outputs_and_unlinks_the_days_that_pointed_to_it() {
    let dir = collection();
    build(dir.path());
    let before = snapshot(dir.path());
    fs::remove_file(dir.path().join("input/a.txt")).unwrap();
    let out = build(dir.path());
    let after = snapshot(dir.path());
    assert_eq!(
        changed(&before, &after),
        [
            "epub/1950.epub",
            "tei/1950.xml",
            "tei/1950/1950-01-19.xml",
            "tei/1950/1950-01-22.xml",
            "txt/1950.txt",
            "txt/1950/1950-01-19.txt"
        ]
    );
    assert!(
        !after.contains_key("tei/1950/1950-01-19.xml")
            && !after.contains_key("txt/1950/1950-01-19.txt")
    );
    let tei = String::from_utf8(after["tei/1950/1950-01-22.xml"].0.clone()).unwrap();
    assert!(tei.contains("As before [see the 19th] and after"), "{tei}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 removed"));
}

#[test]
fn force_rebuilds_everything() {
    let dir = collection();
    build(dir.path());
    let before = snapshot(dir.path());
    let out = daybook(&["build", "--force"], dir.path());
    assert!(String::from_utf8_lossy(&out.stderr).contains("12 outputs written, 0 unchanged"));
    assert_eq!(changed(&before, &snapshot(dir.path())).len(), 12);
}

#[test]
fn cross_references_link_across_files_and_across_months_in_tei_and_epub() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "winter.txt",
        &format!(
            "{}\n{}",
            day("January 31, 1950 (Tuesday)", "The last day of January."),
            day("February 1, 1950 (Wednesday)", "The first day of February.")
        ),
    );
    write(
        dir.path(),
        "later/feb.txt",
        &day(
            "February 14, 1950 (Tuesday)",
            "Signed, as agreed [see the 1st].",
        ),
    );
    build(dir.path());
    let tei = fs::read_to_string(dir.path().join("output/tei/1950/1950-02-14.xml")).unwrap();
    assert!(
        tei.contains(
            r#"[<ref type="crossref" target="1950-02-01.xml#day-1950-02-01">see the 1st</ref>]"#
        ),
        "{tei}"
    );
    let corpus = fs::read_to_string(dir.path().join("output/tei/1950.xml")).unwrap();
    assert!(
        corpus.contains(r##"<ref type="crossref" target="#day-1950-02-01">see the 1st</ref>"##),
        "{corpus}"
    );
    let epub = fs::File::open(dir.path().join("output/epub/1950.epub")).unwrap();
    let mut book = zip::ZipArchive::new(epub).unwrap();
    let chapter = (0..book.len())
        .map(|i| {
            let mut entry = book.by_index(i).unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text).unwrap_or_default();
            (entry.name().to_owned(), text)
        })
        .find(|(name, _)| name.ends_with("1950-02-14.xhtml"))
        .unwrap()
        .1;
    assert!(chapter.contains(r#"href="1950-02-01.xhtml""#), "{chapter}");
}

#[test]
fn a_duplicated_day_names_both_files_and_lines_and_is_built_from_neither() {
    let dir = collection();
    write(
        dir.path(),
        "z.txt",
        &format!("\n\n{}", day("January 19, 1950 (Thursday)", "Again?")),
    );
    let out = daybook(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("input/a.txt:1:1: error[DB0017]: 1950-01-19 is also held by input/z.txt:3; neither is built"), "{err}");
    assert!(err.contains("input/z.txt:3:1: error[DB0017]: 1950-01-19 is also held by input/a.txt:1; neither is built"), "{err}");
    let out = snapshot(dir.path());
    assert!(!out.contains_key("tei/1950/1950-01-19.xml"));
    assert!(
        out.contains_key("tei/1950/1950-01-22.xml") && out.contains_key("txt/1951/1951-03-01.txt")
    );
}

#[test]
fn the_manifest_lists_every_output_with_its_digest_sources_and_the_diagnostics() {
    let dir = collection();
    build(dir.path());
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("output/manifest.json")).unwrap())
            .unwrap();
    let outputs = manifest["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 12);
    for output in outputs {
        let bytes = fs::read(
            dir.path()
                .join("output")
                .join(output["path"].as_str().unwrap()),
        )
        .unwrap();
        let digest: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(output["sha256"], digest.as_str());
    }
    let day = outputs
        .iter()
        .find(|o| o["path"] == "tei/1950/1950-01-22.xml")
        .unwrap();
    assert_eq!(
        day["sources"],
        serde_json::json!([{ "file": "b/b.txt", "line": 1 }])
    );
    let warning = &manifest["diagnostics"][0];
    assert_eq!(warning["file"], "input/b/b.txt");
    assert_eq!(warning["diagnostics"][0]["code"], "UnresolvedCrossRef");
}

#[test]
fn the_output_folder_may_not_overlap_the_input_folder() {
    let dir = collection();
    let out = daybook(&["build", "--output", "input/out"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("must not contain each other"));
    assert!(!dir.path().join("input/out").exists());
}

/// A collection big enough that a build is still running a moment after it starts.
fn big_collection(dir: &Path, years: i32) {
    let paragraph = "Zhou insisted that the treaty should \"clearly state\" the terms of mutual assistance.[56]";
    for year in 1950..1950 + years {
        let mut date = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let mut text = String::new();
        while chrono::Datelike::year(&date) == year {
            text.push_str(&day(
                &date.format("%B %-d, %Y").to_string(),
                &[paragraph; 6].join("\n\n"),
            ));
            text.push_str("\n\n");
            date = date.succ_opt().unwrap();
        }
        write(dir, &format!("{year}.txt"), &text);
    }
}

fn complete(path: &Path) -> Result<(), String> {
    let name = path.display().to_string();
    match path.extension().and_then(|e| e.to_str()) {
        Some("xml") => {
            let text = fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
            roxmltree::Document::parse(&text)
                .map(|_| ())
                .map_err(|e| format!("{name}: {e}"))
        }
        Some("epub") => {
            let mut book = zip::ZipArchive::new(fs::File::open(path).map_err(|e| e.to_string())?)
                .map_err(|e| format!("{name}: {e}"))?;
            for i in 0..book.len() {
                let mut entry = book.by_index(i).map_err(|e| format!("{name}: {e}"))?;
                // Reading an entry to its end checks its CRC.
                std::io::copy(&mut entry, &mut std::io::sink())
                    .map_err(|e| format!("{name}: {e}"))?;
            }
            Ok(())
        }
        Some("txt") => {
            let parsed = daybook::syntax::parse(&fs::read(path).map_err(|e| e.to_string())?);
            if parsed.has_errors() || parsed.days.is_empty() {
                Err(format!("{name}: truncated"))
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

fn outputs(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![dir.join("output")];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(folder).into_iter().flatten() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path)
            } else {
                found.push(path)
            }
        }
    }
    found
}

/// Outputs in place, leaving out the hidden temporary files a build writes first.
fn finished_outputs(dir: &Path) -> Vec<PathBuf> {
    outputs(dir)
        .into_iter()
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect()
}

#[test]
fn a_build_killed_midway_leaves_only_complete_outputs() {
    let dir = tempfile::tempdir().unwrap();
    big_collection(dir.path(), 3);
    let mut child = Command::new(env!("CARGO_BIN_EXE_daybook"))
        .args(["build", "--jobs", "2"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while finished_outputs(dir.path()).len() < 200 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let finished = finished_outputs(dir.path());
    assert!(
        finished.len() >= 200,
        "the build was killed before it wrote anything"
    );
    assert!(
        !finished.iter().any(|p| p.ends_with("manifest.json")),
        "the build was not killed mid-way"
    );
    let broken: Vec<String> = finished.iter().filter_map(|p| complete(p).err()).collect();
    assert_eq!(broken, Vec::<String>::new());

    let out = daybook(&["build"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let leftovers: Vec<PathBuf> = outputs(dir.path())
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    assert_eq!(
        leftovers,
        Vec::<PathBuf>::new(),
        "the next build clears temporary files"
    );
    assert_eq!(
        outputs(dir.path()).len(),
        2 * (365 + 365 + 366) + 3 * 3 + 1,
        "every output and the manifest"
    );
}
