//! Notes sources end to end (issue 15): the sample's citations resolve to the editor's notes
//! in TEI and EPUB, the notes' text form is a fixpoint, every notes diagnostic is exact,
//! editing a note rebuilds exactly the days citing it, and without notes nothing changes.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_ace_passes, assert_epubcheck_passes, assert_tei_valid, daybook, root, stderr};
use daybook::edition::text::write_notes;
use daybook::syntax::parse_notes;
use roxmltree::{Document, Node};

const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const OPS_NS: &str = "http://www.idpf.org/2007/ops";

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join("input").join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A collection of the sample day and, with `notes`, the sample's notes source.
fn sample_collection(notes: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let sample = fs::read_to_string(root().join("tests/fixtures/sample.txt")).unwrap();
    write(dir.path(), "1950-01-22.txt", &sample);
    if notes {
        let notes = fs::read_to_string(root().join("tests/fixtures/notes/sample.notes")).unwrap();
        write(dir.path(), "notes/sample.notes", &notes);
    }
    dir
}

/// What a run printed, the seconds it took cut from its summary.
fn untimed(printed: &str) -> String {
    let cut = printed
        .rfind("; ")
        .filter(|&at| printed[at..].ends_with(" s\n"));
    match cut {
        Some(at) => format!("{}\n", &printed[..at]),
        None => printed.to_owned(),
    }
}

fn build_ok(dir: &Path) -> String {
    let out = daybook(&["build"], dir);
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

/// The entries of a book, by name.
fn entries(book: &Path) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(fs::File::open(book).unwrap()).unwrap();
    let mut found = BTreeMap::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let mut text = String::new();
        if entry.read_to_string(&mut text).is_ok() {
            found.insert(entry.name().to_owned(), text);
        }
    }
    found
}

fn xhtml(text: &str) -> Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    Document::parse_with_options(text, options).unwrap()
}

fn tei(node: Node, name: &str) -> bool {
    node.tag_name().namespace() == Some(TEI_NS) && node.tag_name().name() == name
}

/// Asserts that every citation `ref` below `scope` targets notes that `document` holds, and
/// returns the cited numbers.
fn assert_tei_targets_resolve(document: &Document, scope: Node) -> BTreeSet<String> {
    let ids: BTreeSet<&str> = document
        .descendants()
        .filter(|n| tei(*n, "note") && n.attribute("type") == Some("source"))
        .filter_map(|n| n.attribute((XML_NS, "id")))
        .collect();
    let mut cited = BTreeSet::new();
    for reference in scope
        .descendants()
        .filter(|n| tei(*n, "ref") && n.attribute("type") == Some("citation"))
    {
        let target = reference
            .attribute("target")
            .unwrap_or_else(|| panic!("a citation without target: {reference:?}"));
        for token in target.split(' ') {
            let id = token.strip_prefix('#').unwrap();
            assert!(ids.contains(id), "{token} targets no note; notes: {ids:?}");
            cited.insert(id.to_owned());
        }
    }
    cited
}

fn note_ids(numbers: &[u32]) -> BTreeSet<String> {
    numbers.iter().map(|n| format!("note-{n}")).collect()
}

#[test]
fn the_samples_citations_resolve_to_notes_in_each_tei_document_and_in_the_corpus() {
    let dir = sample_collection(true);
    build_ok(dir.path());
    let day_path = dir.path().join("output/tei/1950/1950-01-22.xml");
    let corpus_path = dir.path().join("output/tei/1950.xml");
    assert_tei_valid(&[day_path.clone(), corpus_path.clone()]);

    let day = fs::read_to_string(&day_path).unwrap();
    let day = Document::parse(&day).unwrap();
    let cited = assert_tei_targets_resolve(&day, day.root_element());
    assert_eq!(cited, note_ids(&[56, 57, 65, 66, 67]));
    // The per-day document stands alone: its notes are its own, after its text.
    let stand_off = day
        .root_element()
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name().to_owned())
        .collect::<Vec<_>>();
    assert_eq!(stand_off, ["teiHeader", "text", "standOff"]);
    let note = day
        .descendants()
        .find(|n| tei(*n, "note") && n.attribute((XML_NS, "id")) == Some("note-67"))
        .unwrap();
    assert_eq!(note.attribute("n"), Some("67"));
    let children: Vec<&str> = note
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(children, ["q", "hi", "ref"]);

    let corpus = fs::read_to_string(&corpus_path).unwrap();
    let corpus = Document::parse(&corpus).unwrap();
    for member in corpus.root_element().children().filter(|n| tei(*n, "TEI")) {
        assert!(!member.descendants().any(|n| tei(n, "standOff")));
        assert_eq!(
            assert_tei_targets_resolve(&corpus, member),
            note_ids(&[56, 57, 65, 66, 67])
        );
    }
    let notes_of_corpus = corpus
        .root_element()
        .children()
        .find(|n| tei(*n, "standOff"))
        .unwrap()
        .children()
        .filter(|n| tei(*n, "note"))
        .count();
    assert_eq!(notes_of_corpus, 5);
}

#[test]
fn each_noteref_of_the_book_reaches_an_endnote_that_links_back_to_it() {
    let dir = sample_collection(true);
    build_ok(dir.path());
    let book = dir.path().join("output/epub/1950.epub");
    let files = entries(&book);
    let notes = xhtml(&files["OEBPS/notes.xhtml"]);
    let chapter_name = "1950-01-22.xhtml";
    let chapter = xhtml(&files[&format!("OEBPS/{chapter_name}")]);
    let noterefs: Vec<Node> = chapter
        .descendants()
        .filter(|n| n.attribute((OPS_NS, "type")) == Some("noteref"))
        .collect();
    assert_eq!(noterefs.len(), 5);
    for noteref in noterefs {
        assert_eq!(noteref.attribute("role"), Some("doc-noteref"));
        let href = noteref.attribute("href").unwrap();
        let id = href.strip_prefix("notes.xhtml#").unwrap();
        let endnote = notes
            .descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("{href} reaches no endnote"));
        assert_eq!(endnote.attribute((OPS_NS, "type")), Some("endnote"));
        assert_eq!(endnote.attribute("value"), Some(noteref.text().unwrap()));
        let back = format!("{chapter_name}#{}", noteref.attribute("id").unwrap());
        assert!(
            endnote
                .descendants()
                .any(|n| n.attribute("role") == Some("doc-backlink")
                    && n.attribute("href") == Some(back.as_str())),
            "{id} does not link back to {back}"
        );
    }
    let section = notes
        .descendants()
        .find(|n| n.attribute("role") == Some("doc-endnotes"))
        .unwrap();
    assert_eq!(section.attribute((OPS_NS, "type")), Some("endnotes"));
    assert!(files["OEBPS/nav.xhtml"].contains("<a href=\"notes.xhtml\">Notes</a>"));
    assert_epubcheck_passes(&book);
    assert_ace_passes(&book);
}

#[test]
fn the_project_input_builds_with_every_citation_resolved_and_valid_editions() {
    let dir = tempfile::tempdir().unwrap();
    let out = daybook(
        &[
            "build",
            "--input",
            root().join("input").to_str().unwrap(),
            "--output",
            dir.path().join("output").to_str().unwrap(),
        ],
        &root(),
    );
    let printed = stderr(&out);
    assert!(out.status.success(), "{printed}");
    assert!(printed.contains("0 warnings, 0 errors"), "{printed}");
    let tei = dir.path().join("output/tei");
    let mut files: Vec<PathBuf> = fs::read_dir(tei.join("1950"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.push(tei.join("1950.xml"));
    assert_tei_valid(&files);
    // A range, `[59-60]`, is one reference; both of its notes link back to it.
    let book = dir.path().join("output/epub/1950.epub");
    let notes = &entries(&book)["OEBPS/notes.xhtml"];
    let chapter = &entries(&book)["OEBPS/1950-01-20.xhtml"];
    let range = chapter.find(">59\u{2013}60</a>").unwrap();
    let id_at = chapter[..range].rfind("id=\"noteref-").unwrap();
    let id: String = chapter[id_at + 4..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let back = format!("href=\"1950-01-20.xhtml#{id}\"");
    for number in ["59", "60"] {
        let start = notes.find(&format!("id=\"note-{number}\"")).unwrap();
        let end = start + notes[start..].find("</li>").unwrap();
        assert!(notes[start..end].contains(&back), "note {number}");
    }
    assert_epubcheck_passes(&book);
}

#[test]
fn the_notes_text_form_reparses_to_the_same_notes_and_is_a_fixpoint() {
    for path in [
        root().join("tests/fixtures/notes/sample.notes"),
        root().join("input/notes/sources.notes"),
    ] {
        let parsed = parse_notes(&fs::read(&path).unwrap());
        assert_eq!(parsed.diagnostics, [], "{}", path.display());
        let mut text = String::new();
        write_notes(&parsed.notes, &mut text);
        let again = parse_notes(text.as_bytes());
        assert_eq!(again.diagnostics, []);
        let (mut first, mut second) = (parsed.notes.clone(), again.notes.clone());
        first.erase_positions();
        second.erase_positions();
        assert_eq!(first, second, "{}", path.display());
        let mut twice = String::new();
        write_notes(&again.notes, &mut twice);
        assert_eq!(twice, text);
    }
    let mut text = String::new();
    write_notes(
        &parse_notes(&fs::read(root().join("tests/fixtures/notes/sample.notes")).unwrap()).notes,
        &mut text,
    );
    assert!(text.starts_with(
        "[56] Wu Xiuquan, *Eight Years in the Ministry of Foreign Affairs (January \
         1950-October 1958): Memoirs of a Diplomat* (Beijing: New World Press, 1985), 12-13.\n\
         [57] Ibid., 14-15.\n"
    ));
}

/// A collection whose citations and notes hold one of each problem.
fn troubled_collection() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "days.txt",
        "January 19, 1950 (Thursday)\n\nKim asked again.[1] Stalin waited.[2]\n\nThe drafts [4-6] and [8-9] went back.\n",
    );
    write(dir.path(), "a.notes", "[1] One.\n[4] Four.\n[7] Seven.\n");
    write(dir.path(), "b/b.notes", "[6] Six.\n[1] One again.\n");
    dir
}

#[test]
fn every_notes_diagnostic_is_reported_where_it_lies() {
    let dir = troubled_collection();
    let out = daybook(&["check", "input"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        untimed(&stderr(&out)),
        "\
input/days.txt:3:35: warning[DB0072]: note 2 is cited here, but no notes source gives it
  = expected: a note for every number cited, in a `*.notes` file of the collection
input/days.txt:5:12: warning[DB0073]: notes 4-6 are cited here, but no notes source gives 5
  = expected: a note for every number cited, in a `*.notes` file of the collection
input/days.txt:5:22: warning[DB0072]: notes 8-9 are cited here, but no notes source gives any of them
  = expected: a note for every number cited, in a `*.notes` file of the collection
input/a.notes:1:1: error[DB0071]: note 1 is also given at input/b/b.notes:2; neither is used
  = expected: each note number given once in the collection's notes sources
input/a.notes:3:1: warning[DB0074]: note 7 is cited by no day of the collection
  = expected: a citation `[7]` in a day note, or no such note
input/b/b.notes:2:1: error[DB0071]: note 1 is also given at input/a.notes:1; neither is used
  = expected: each note number given once in the collection's notes sources
daybook: 1 days from 1 files; 0 outputs written, 0 unchanged, 0 removed; 4 warnings, 2 errors
"
    );
}

#[test]
fn malformed_notes_lines_are_errors_with_the_line_and_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "day.txt",
        "January 19, 1950 (Thursday)\n\nKim asked again.[1]\n",
    );
    write(
        dir.path(),
        "n.notes",
        "[1] One *star.\n[02] Leading zero.\n\nstray words\n",
    );
    let out = daybook(&["check", "input"], dir.path());
    assert_eq!(
        untimed(&stderr(&out)),
        "\
input/n.notes:1:9: warning[DB0075]: unterminated emphasis: this `*` has no partner; kept as text
  |
1 | [1] One *star.
  |         ^
  = expected: a closing `*` before the end of the note
input/n.notes:2:2: error[DB0070]: malformed note: found `02]`
  |
2 | [02] Leading zero.
  |  ^
  = expected: a note number without leading zeros that fits in 32 bits, then `]`
input/n.notes:4:1: error[DB0070]: text outside a note: `stray words` neither starts a note nor continues one
  |
4 | stray words
  | ^
  = expected: a note such as `[56] Wu Xiuquan, *Eight Years* (Beijing, 1985), 12.`, or no blank line above this one
daybook: 1 days from 1 files; 0 outputs written, 0 unchanged, 0 removed; 1 warnings, 2 errors
"
    );
}

/// Every output file and its bytes, but for the build fingerprint, which a build records
/// only when the notes are older than it by a margin.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.join("output")];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if !path.ends_with(".daybook-fingerprint") {
                let name = path.strip_prefix(dir.join("output")).unwrap();
                files.insert(name.display().to_string(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names
        .into_iter()
        .filter(|n| *n != "manifest.json" && before.get(*n) != after.get(*n))
        .cloned()
        .collect()
}

#[test]
fn editing_a_note_rebuilds_exactly_the_days_and_books_that_cite_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.txt",
        "January 19, 1950 (Thursday)\n\nKim asked again.[1]\n",
    );
    write(
        dir.path(),
        "b.txt",
        "January 20, 1950 (Friday)\n\nZhou arrived.[2]\n",
    );
    write(
        dir.path(),
        "c.txt",
        "March 1, 1951 (Thursday)\n\nA year later.[3]\n",
    );
    write(dir.path(), "n.notes", "[1] One.\n[2] Two.\n[3] Three.\n");
    build_ok(dir.path());
    let before = outputs(dir.path());
    write(
        dir.path(),
        "n.notes",
        "[1] One.\n[2] Two, *revised*.\n[3] Three.\n",
    );
    let printed = build_ok(dir.path());
    assert_eq!(
        changed(&before, &outputs(dir.path())),
        [
            "epub/1950.epub",
            "html/1950/1950-01-20.html",
            "tei/1950.xml",
            "tei/1950/1950-01-20.xml"
        ]
    );
    assert!(printed.contains("4 outputs written"), "{printed}");
    let day = String::from_utf8(outputs(dir.path())["tei/1950/1950-01-20.xml"].clone()).unwrap();
    assert!(
        day.contains("Two, <hi rend=\"italic\">revised</hi>."),
        "{day}"
    );
}

#[test]
fn without_a_notes_source_the_editions_have_no_notes_at_all() {
    let with = sample_collection(true);
    let without = sample_collection(false);
    build_ok(with.path());
    let printed = build_ok(without.path());
    assert!(!printed.contains("DB007"), "{printed}");
    let (with, without) = (outputs(with.path()), outputs(without.path()));
    // The text edition never carries notes; TEI and EPUB carry them only when cited notes
    // exist.
    for (name, bytes) in &without {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("standOff") && !text.contains("target=\"#note-"),
            "{name}"
        );
        if name.starts_with("txt/") {
            assert_eq!(Some(bytes), with.get(name), "{name}");
        }
    }
}

#[test]
fn a_book_without_cited_notes_is_the_book_without_notes_sources() {
    let sample = sample_collection(false);
    let unrelated = sample_collection(false);
    write(unrelated.path(), "other.notes", "[999] Cited by nobody.\n");
    // At one build time: without it, each book's dcterms:modified is the clock's second,
    // and two builds a second apart differ there.
    let at_one_time = |dir: &Path| {
        Command::new(env!("CARGO_BIN_EXE_daybook"))
            .arg("build")
            .current_dir(dir)
            .env("SOURCE_DATE_EPOCH", "946684800")
            .output()
            .unwrap()
    };
    assert!(at_one_time(sample.path()).status.success());
    let out = at_one_time(unrelated.path());
    assert!(stderr(&out).contains("warning[DB0074]"), "{}", stderr(&out));
    let (sample_out, unrelated_out) = (outputs(sample.path()), outputs(unrelated.path()));
    let names: Vec<&String> = sample_out
        .keys()
        .filter(|n| *n != "manifest.json")
        .collect();
    for name in names {
        assert_eq!(sample_out[name], unrelated_out[name], "{name}");
    }
    let book = entries(&sample.path().join("output/epub/1950.epub"));
    assert!(!book.contains_key("OEBPS/notes.xhtml"));
    assert!(!book.values().any(|entry| entry.contains("noteref")));
}

#[test]
fn a_notes_source_is_never_read_as_a_day_note() {
    let dir = sample_collection(true);
    let notes = dir.path().join("input/notes/sample.notes");
    let out = daybook(
        &["check", "input/1950-01-22.txt", notes.to_str().unwrap()],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // The sample's `[see the 19th]` is its one warning; the notes source is no day note.
    assert!(
        stderr(&out).contains("daybook: 1 days from 1 files;")
            && stderr(&out).contains("1 warnings, 0 errors"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_build_with_nothing_changed_prints_what_the_full_build_printed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.txt",
        "January 19, 1950 (Thursday)\n\nKim asked again.[1]\n\nJanuary 20, 1950 (Friday)\n\nZhou arrived.[2] The drafts [8-9] went back.\n\nJanuary 21, 1950 (Saturday)\n\n19500121 2500 pic\n",
    );
    write(
        dir.path(),
        "b.txt",
        "January 19, 1950 (Thursday)\n\nHeld twice.\n\nFebruary 1, 1950 (Wednesday)\n\nA later day.[3]\n",
    );
    write(
        dir.path(),
        "notes/n.notes",
        "[1] One.\n[2] Two.\n[3] Three.\n[4] Four.\n[02] Leading zero.\n",
    );
    let run = || {
        let out = daybook(&["build"], dir.path());
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let printed = untimed(&stderr(&out));
        let (lines, summary) = printed.trim_end().rsplit_once('\n').unwrap();
        (lines.to_owned(), summary.to_owned(), outputs(dir.path()))
    };
    let (full, full_summary, full_outputs) = run();
    for expected in [
        "input/a.txt:7:29: warning[DB0072]: notes 8-9 are cited here, but no notes source gives any of them",
        "input/notes/n.notes:4:1: warning[DB0074]: note 4 is cited by no day of the collection",
        "input/notes/n.notes:5:2: error[DB0070]: malformed note: found `02]`",
        "daybook: 1950-01-19 (input/b.txt:1) withheld: DB0017 at line 1: also held by input/a.txt:1",
    ] {
        assert!(full.lines().any(|l| l == expected), "{expected}\n{full}");
    }
    assert!(
        full.lines()
            .any(|l| l.starts_with("daybook: 1950-01-21 (input/a.txt:9) withheld: DB")),
        "{full}"
    );
    let manifest = String::from_utf8(full_outputs["manifest.json"].clone()).unwrap();
    assert!(manifest.contains("\"citations\":[["), "{manifest}");

    // Read from the manifest's records: the notes' stamps are those recorded.
    let (again, summary, again_outputs) = run();
    assert_eq!(again, full);
    // The same summary but for what was written: all of it then, none of it now.
    let counts = |summary: &str| {
        let parts: Vec<String> = summary.split("; ").map(str::to_owned).collect();
        (parts[0].clone(), parts[1].clone(), parts[2..].join("; "))
    };
    let (full_days, full_writes, full_found) = counts(&full_summary);
    let outputs_built = full_outputs.len() - 1;
    assert_eq!(
        full_writes,
        format!("{outputs_built} outputs written, 0 unchanged, 0 removed")
    );
    assert_eq!(
        counts(&summary),
        (
            full_days,
            format!("0 outputs written, {outputs_built} unchanged, 0 removed"),
            full_found
        )
    );
    assert_eq!(changed(&full_outputs, &again_outputs), Vec::<String>::new());

    // Stamps changed, bytes the same: the records' index is reused without parsing.
    for name in ["a.txt", "b.txt", "notes/n.notes"] {
        let path = dir.path().join("input").join(name);
        let bytes = fs::read(&path).unwrap();
        fs::remove_file(&path).unwrap();
        fs::write(&path, bytes).unwrap();
    }
    let (touched, _, touched_outputs) = run();
    assert_eq!(touched, full);
    assert_eq!(
        changed(&full_outputs, &touched_outputs),
        Vec::<String>::new()
    );
}
