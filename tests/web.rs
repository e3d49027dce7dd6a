//! The web edition: every page of the site built from `input/` and from ten generated years
//! is well-formed polyglot markup with a language, a title and a `main` landmark, and every
//! internal link (and its fragment) resolves to a file of the build.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{daybook, files_with_extension, generated_corpus, root, stderr};

fn build(input: &Path, output: &Path) {
    let out = daybook(
        &[
            "build",
            "--input",
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Parses every page, checks its landmarks and walks every link that stays in the build.
/// Returns how many links were followed.
fn assert_site_is_sound(output: &Path) -> usize {
    let site = output.join("html");
    let pages = files_with_extension(&site, "html");
    assert!(site.join("index.html").is_file());
    let texts: BTreeMap<PathBuf, String> = pages
        .iter()
        .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut links: Vec<(PathBuf, String)> = Vec::new();
    for (page, text) in &texts {
        assert!(text.starts_with("<!DOCTYPE html>\n"), "{}", page.display());
        let doc = roxmltree::Document::parse_with_options(
            text,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let html = doc.root_element();
        assert_eq!(html.attribute("lang"), Some("en"), "{}", page.display());
        let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
        assert!(
            !common::string(title).trim().is_empty(),
            "{}",
            page.display()
        );
        assert_eq!(
            doc.descendants().filter(|n| n.has_tag_name("main")).count(),
            1,
            "{}",
            page.display()
        );
        assert_eq!(
            doc.descendants().filter(|n| n.has_tag_name("h1")).count(),
            1,
            "{}",
            page.display()
        );
        ids.insert(
            page.clone(),
            doc.descendants()
                .filter_map(|n| n.attribute("id").map(str::to_owned))
                .collect(),
        );
        for node in doc.descendants() {
            if let Some(href) = node.attribute("href").or(node.attribute("src")) {
                links.push((page.clone(), href.to_owned()));
            }
        }
    }
    for (page, href) in &links {
        // Addresses in the editor's notes lead out of the site; only the site's own are walked.
        if href.contains("://") {
            continue;
        }
        let (file, fragment) = href.split_once('#').unwrap_or((href, ""));
        let target = if file.is_empty() {
            page.clone()
        } else {
            page.parent().unwrap().join(file)
        };
        assert!(target.is_file(), "{}: {href} leads nowhere", page.display());
        if !fragment.is_empty() {
            let target = target.canonicalize().unwrap();
            let held = ids
                .iter()
                .find(|(p, _)| p.canonicalize().unwrap() == target)
                .map(|(_, ids)| ids);
            assert!(
                held.is_some_and(|ids| ids.contains(fragment)),
                "{}: {href} names no element",
                page.display()
            );
        }
    }
    links.len()
}

#[test]
fn the_input_folder_builds_a_site_whose_every_page_parses_and_every_link_resolves() {
    let output = tempfile::tempdir().unwrap();
    build(&root().join("input"), output.path());
    let site = output.path().join("html");
    for page in [
        "index.html",
        "1950.html",
        "1950-01.html",
        "1950/1950-01-22.html",
        "style.css",
    ] {
        assert!(site.join(page).is_file(), "{page}");
    }
    let day = std::fs::read_to_string(site.join("1950/1950-01-22.html")).unwrap();
    assert!(
        day.contains("<article class=\"day\" id=\"day-1950-01-22\">"),
        "{day}"
    );
    assert!(
        day.contains("href=\"../1950/1950-01-19.html\" class=\"cross-ref\""),
        "{day}"
    );
    assert!(day.contains("href=\"#note-56\""), "{day}");
    assert!(
        day.contains(
            "rel=\"alternate\" type=\"application/tei+xml\" href=\"../../tei/1950/1950-01-22.xml\""
        ),
        "{day}"
    );
    assert!(!day.contains("epub:type"), "{day}");
    let followed = assert_site_is_sound(output.path());
    assert!(followed > 50, "{followed}");
}

#[test]
fn ten_generated_years_build_a_site_whose_every_link_resolves() {
    let corpus = generated_corpus(3650, 17);
    let output = corpus.path().join("out");
    build(&corpus.path().join("notes"), &output);
    let years = std::fs::read_dir(output.join("html"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert!(years >= 10, "{years}");
    assert_site_is_sound(&output);
}

#[test]
fn a_second_build_with_nothing_changed_writes_no_page() {
    let output = tempfile::tempdir().unwrap();
    build(&root().join("input"), output.path());
    let again = daybook(
        &[
            "build",
            "--input",
            root().join("input").to_str().unwrap(),
            "--output",
            output.path().to_str().unwrap(),
        ],
        &root(),
    );
    assert!(
        stderr(&again).contains(" 0 outputs written"),
        "{}",
        stderr(&again)
    );
}
