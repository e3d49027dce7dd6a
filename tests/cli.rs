//! The `daybook` command: exit statuses, diagnostics on stderr, and the output layout.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::serve::Serving;
use common::{daybook, stderr};

/// The closing summary line without its timing, which varies.
fn summary(output: &Output) -> String {
    let err = stderr(output);
    let last = err.lines().last().unwrap_or_default();
    let (counts, seconds) = last.rsplit_once("; ").unwrap();
    assert!(
        seconds.ends_with(" s") && seconds.trim_end_matches(" s").parse::<f64>().is_ok(),
        "{last}"
    );
    counts.to_owned()
}

const SAMPLE: &str = include_str!("fixtures/sample.txt");

/// A project folder whose `input/` holds `files`.
fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join("input").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    dir
}

#[test]
fn check_exits_zero_on_clean_notes_and_prints_a_summary() {
    let dir = project(&[("a.txt", b"January 22, 1950 (Sunday)\n\nText.\n")]);
    let out = daybook(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1);
    assert_eq!(
        summary(&out),
        "daybook: 1 days from 1 files; 0 outputs written, 0 unchanged, 0 removed; 0 warnings, 0 errors"
    );
}

#[test]
fn check_exits_one_on_errors_and_prints_them_as_a_compiler_does() {
    let dir = project(&[("bad.txt", b"February 30, 1950\n\nText.\n")]);
    let out = daybook(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(
            "input/bad.txt:1:10: error[DB0003]: impossible date: February 30, 1950 does not exist\n"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn warnings_fail_only_with_strict() {
    let dir = project(&[("a.txt", b"January 22, 1950 (Monday)\n\nText.\n")]);
    assert_eq!(daybook(&["check"], dir.path()).status.code(), Some(0));
    let out = daybook(&["check", "--strict"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("input/a.txt:1:19: warning[DB0004]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_usage_exits_two() {
    let dir = project(&[]);
    assert_eq!(
        daybook(&["build", "--format", "pdf"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(daybook(&["frobnicate"], dir.path()).status.code(), Some(2));
    let out = daybook(&["check", "no-such-folder"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("daybook: error: cannot read no-such-folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn parse_prints_the_ast_as_json() {
    let dir = project(&[("a.txt", SAMPLE.as_bytes())]);
    let out = daybook(&["parse", "input/a.txt"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["file"], "input/a.txt");
    assert_eq!(json[0]["days"][0]["heading"]["date"], "1950-01-22");
    let days: Vec<daybook::ast::Day> = serde_json::from_value(json[0]["days"].clone()).unwrap();
    assert_eq!(days, daybook::syntax::parse(SAMPLE.as_bytes()).days);
}

#[test]
fn build_writes_a_text_note_per_day_and_a_year_file_in_date_order() {
    let dir = project(&[
        ("nested/deeper/b.txt", SAMPLE.as_bytes()),
        (
            "a.txt",
            b"January 19, 1950 (Thursday)\n\nEarlier.\n\n\n\nJanuary 20, 1950\n\nNext.\n",
        ),
        ("c.txt", b"March 1, 1951 (Thursday)\n\nNext year.\n"),
        (".hidden.txt", b"not a note"),
        ("notes.md", b"not a note either"),
    ]);
    let out = daybook(&["build", "--format", "txt"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let output = dir.path().join("output/txt");
    let mut written: Vec<String> = walk(&output);
    written.sort();
    assert_eq!(
        written,
        [
            "1950.txt",
            "1950/1950-01-19.txt",
            "1950/1950-01-20.txt",
            "1950/1950-01-22.txt",
            "1951.txt",
            "1951/1951-03-01.txt"
        ]
    );
    let year = fs::read_to_string(output.join("1950.txt")).unwrap();
    let headings: Vec<&str> = year
        .lines()
        .filter(|l| l.starts_with("January 1") || l.starts_with("January 2"))
        .collect();
    assert_eq!(
        headings,
        [
            "January 19, 1950 (Thursday)",
            "January 20, 1950",
            "January 22, 1950 (Sunday)"
        ]
    );
    let day = fs::read_to_string(output.join("1950/1950-01-22.txt")).unwrap();
    assert!(day.starts_with(
        "January 22, 1950 (Sunday)\n\n\n\nTwo days later, Zhou, joined by\n\n  1. Wang Jiaxiang,\n"
    ));
    assert_eq!(
        summary(&out),
        "daybook: 4 days from 3 files; 6 outputs written, 0 unchanged, 0 removed; 0 warnings, 0 errors"
    );
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let dir = project(&[
        ("bad.txt", b"January 23, 1950\n\n19500123 9999 pic\n"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("good.txt", b"January 22, 1950\n\nText.\n"),
    ]);
    let out = daybook(&["build", "--format", "txt"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("input/bad.txt:3:10: error[DB0006]: impossible media time `9999`"),
        "{err}"
    );
    assert!(err.contains("input/binary.txt:1:1: error[DB0001]"), "{err}");
    assert!(dir.path().join("output/txt/1950/1950-01-22.txt").is_file());
    assert!(!dir.path().join("output/txt/1950/1950-01-23.txt").exists());
}

fn walk(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            found.extend(walk(&path).into_iter().map(|f| format!("{name}/{f}")));
        } else {
            found.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    found
}

// Issue 12, item 3: DEL and C1 controls in file names reached `<idno type="file">` and the
// EPUB colophon raw.
#[test]
fn hostile_file_names_reach_the_editions_cleaned_and_valid() {
    let dir = project(&[(
        "a\u{7f}b\u{85}c\u{9f}.txt",
        b"January 22, 1950 (Sunday)\n\nText.\n",
    )]);
    let out = daybook(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let tei = dir.path().join("output/tei/1950/1950-01-22.xml");
    let text = fs::read_to_string(&tei).unwrap();
    assert!(
        text.contains("<idno type=\"file\">a\u{FFFD}b\u{FFFD}c\u{FFFD}.txt</idno>"),
        "{text}"
    );
    let epub = dir.path().join("output/epub/1950.epub");
    let mut book = zip::ZipArchive::new(fs::File::open(&epub).unwrap()).unwrap();
    for i in 0..book.len() {
        let mut entry = book.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(['\u{7f}', '\u{85}', '\u{9f}']),
            "{} carries a control character",
            entry.name()
        );
    }
    common::assert_tei_valid(&[tei, dir.path().join("output/tei/1950.xml")]);
    common::assert_epubcheck_passes(&epub);
}

// Issue 12, item 3: the same characters in daybook.toml reached the title page, the cover
// and content.opf.
#[test]
fn configuration_strings_with_control_characters_are_refused_with_their_line() {
    let cases = [
        (
            "title = \"Korea\\u0085 1950\"\n",
            "daybook.toml:1:15: error: key `title`: control character U+0085",
        ),
        (
            "title = \"Korea\"\nsubtitle = \"A \u{9f}chronology\"\n",
            "daybook.toml:2:15: error: key `subtitle`: control character U+009F",
        ),
        (
            "editors = [\"A. Editor\",\n  \"B.\\u007F Editor\"]\n",
            "daybook.toml:2:6: error: key `editors`: control character U+007F",
        ),
        (
            "[media_kinds]\npic = \"Photo\\uFFFF\"\n",
            "daybook.toml:2:13: error: key `media_kinds.pic`: noncharacter U+FFFF",
        ),
    ];
    for (toml, expected) in cases {
        let dir = project(&[("a.txt", b"January 22, 1950 (Sunday)\n\nText.\n")]);
        fs::write(dir.path().join("daybook.toml"), toml).unwrap();
        let out = daybook(&["build"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{toml}");
        assert!(
            stderr(&out).starts_with(&format!("daybook: error: {expected} cannot be carried by the editions; expected printable text")),
            "{toml}: {}",
            stderr(&out)
        );
        assert!(!dir.path().join("output").exists());
    }
}

/// The repository's `input/` copied into a new project folder's `input/`.
fn project_with_sample_input() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::serve::copy_folder(&common::root().join("input"), &dir.path().join("input"));
    dir
}

#[test]
fn serve_rebuilds_on_save_shows_the_diagnostics_and_never_writes_into_the_input_folder() {
    let dir = project_with_sample_input();
    let input = dir.path().join("input");
    let before = common::serve::snapshot(&input);
    let mut serving = Serving::start(dir.path(), &["--output", "site"], &[]);
    assert_eq!(serving.output, Path::new("site"));

    let (code, index) = serving.get("/");
    assert_eq!(code, 200);
    assert!(index.contains("href=\"1950.html\""), "{index}");
    let (code, day) = serving.get("/1950/1950-01-22.html");
    assert_eq!(code, 200);
    assert!(
        day.ends_with(
            "<script src=\"/_daybook/live.js\" data-generation=\"1\"></script></body>\n</html>\n"
        ),
        "{day}"
    );
    let status = serving.status();
    assert_eq!(status["generation"], 1);
    assert_eq!(status["errors"], 0);
    assert_eq!(serving.get("/_daybook/live.js").0, 200);
    assert_eq!(serving.get("/../daybook.toml").0, 404);
    assert_eq!(serving.get("/manifest.json").0, 404);

    // A new word, and a weekday that is wrong for the date (a warning, DB0004).
    let note = input.join("1950-01-22.txt");
    let text = fs::read_to_string(&note).unwrap();
    let edited = text.replacen("(Sunday)", "(Monday)", 1).replacen(
        "Two days later",
        "Two days afterwards",
        1,
    );
    fs::write(&note, &edited).unwrap();
    let status = serving.wait_for_generation_above(1);
    assert_eq!(status["warnings"], 1, "{status}");
    let shown = status["diagnostics"][0].as_str().unwrap();
    assert!(
        shown.starts_with("input/1950-01-22.txt:1:19: warning[DB0004]: "),
        "{shown}"
    );
    let (_, day) = serving.get("/1950/1950-01-22.html");
    assert!(day.contains("Two days afterwards"), "{day}");
    assert!(day.contains("data-generation=\"2\""), "{day}");

    let terminal = serving.stop();
    // The first build and one for the save: the build's own reading of the notes (which
    // inotify reports as opens) must not start another.
    assert_eq!(
        terminal
            .lines()
            .filter(|line| line.starts_with("daybook: 5 days from 4 files;"))
            .count(),
        2,
        "{terminal}"
    );
    assert!(
        terminal.contains("input/1950-01-22.txt:1:19: warning[DB0004]: "),
        "{terminal}"
    );
    let mut expected = before;
    expected.remove(Path::new("1950-01-22.txt"));
    let mut after = common::serve::snapshot(&input);
    let (bytes, _) = after.remove(Path::new("1950-01-22.txt")).unwrap();
    assert_eq!(bytes.unwrap(), edited.as_bytes());
    assert_eq!(after, expected, "serve changed the input folder");
    assert!(dir.path().join("site/html/1950/1950-01-22.html").is_file());
}

#[test]
fn serve_without_output_builds_in_a_scratch_folder_of_its_own() {
    let dir = project_with_sample_input();
    let scratch = tempfile::tempdir().unwrap();
    let serving = Serving::start(dir.path(), &[], &[("TMPDIR", scratch.path())]);
    assert_eq!(serving.output.parent(), Some(scratch.path()));
    let name = serving.output.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("daybook-serve-"), "{name}");
    assert_eq!(serving.get("/").0, 200);
    assert!(serving.output.join("html/index.html").is_file());
}

#[test]
fn serve_refuses_an_output_folder_inside_the_input_folder() {
    let dir = project_with_sample_input();
    let out = daybook(&["serve", "--output", "input/site"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "daybook: error: the input folder input and the output folder input/site must not contain each other\n"
    );
    assert!(!dir.path().join("input/site").exists());
}

#[test]
fn serve_exits_two_before_building_when_the_port_is_taken() {
    let dir = project_with_sample_input();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = daybook(&["serve", "--port", &port, "--output", "site"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "daybook: error: cannot listen on 127.0.0.1:{port}: Address already in use (os error 98)\n"
        )
    );
    assert!(!dir.path().join("site").exists());
}
