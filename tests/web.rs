//! The web edition: every page of the site built from `input/` and from ten generated years
//! is well-formed polyglot markup that an HTML5 parser (html5ever, through scraper) reads
//! without a parse error, with a language, a title and a `main` landmark, and every internal
//! link (and its fragment) resolves to a file of the build; the search index of a year stays
//! under 1 MB and a changed day rewrites only its year's; the sitemap lists every page.

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
        let parsed = scraper::Html::parse_document(text);
        assert_eq!(
            parsed.errors,
            Vec::<std::borrow::Cow<str>>::new(),
            "{} is not HTML an HTML5 parser reads without error",
            page.display()
        );
        assert_eq!(
            parsed.quirks_mode,
            html5ever::tree_builder::QuirksMode::NoQuirks,
            "{}",
            page.display()
        );
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
        let (address, fragment) = href.split_once('#').unwrap_or((href, ""));
        // `search.html?year=1950`: the query is read by the page's script, the file must exist.
        let file = address.split_once('?').map_or(address, |(file, _)| file);
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

/// The check of every page can fail: html5ever reports what XML allows and HTML misreads.
#[test]
fn the_html_parser_reports_markup_that_only_xml_reads_as_written() {
    let misread = "<!DOCTYPE html>\n<html lang=\"en\"><head><title>t</title>\
                   <script src=\"a.js\"/></head><body><main><p>a<div>b</div></p></main></body></html>";
    let parsed = scraper::Html::parse_document(misread);
    assert!(!parsed.errors.is_empty());
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
    assert!(
        day.contains("<script src=\"../search.js\" defer=\"defer\"></script>"),
        "{day}"
    );
    // The sitemap's addresses are absolute, and the project's daybook.toml gives no site_url.
    assert!(!site.join("sitemap.xml").exists());
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

/// The days a word of a year's search index (`search/1950.js`) leads to, as dates.
fn days_holding(shard: &str, word: &str) -> BTreeSet<String> {
    let json = shard
        .strip_prefix("daybookShard(")
        .and_then(|s| s.strip_suffix(");\n"))
        .expect("a shard is one call of daybookShard");
    let shard: serde_json::Value = serde_json::from_str(json).unwrap();
    shard["words"][word]
        .as_object()
        .map(|days| {
            days.keys()
                .map(|number| shard["days"][number][0].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_search_index_of_a_year_leads_each_word_to_the_days_that_hold_it() {
    let output = tempfile::tempdir().unwrap();
    build(&root().join("input"), output.path());
    let site = output.path().join("html");
    let shard = std::fs::read_to_string(site.join("search/1950.js")).unwrap();
    // The days whose text edition holds the word, from the notes themselves.
    let holding = |word: &str| -> BTreeSet<String> {
        files_with_extension(&output.path().join("txt/1950"), "txt")
            .into_iter()
            .filter(|day| {
                std::fs::read_to_string(day)
                    .unwrap()
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.eq_ignore_ascii_case(word))
            })
            .map(|day| day.file_stem().unwrap().to_str().unwrap().to_owned())
            .collect()
    };
    for word in ["moscow", "treaty", "kenworthy", "mao"] {
        let found = days_holding(&shard, word);
        assert!(!found.is_empty(), "{word}");
        assert_eq!(found, holding(word), "{word}");
    }
    assert_eq!(days_holding(&shard, "nowhere"), BTreeSet::new());
    let search = std::fs::read_to_string(site.join("search.html")).unwrap();
    assert!(
        search.contains(
            "<select id=\"search-year\" name=\"year\"><option value=\"1950\">1950</option></select>"
        ),
        "{search}"
    );
    assert!(site.join("search.js").is_file());
}

#[test]
fn a_generated_years_search_index_stays_under_one_megabyte() {
    let corpus = generated_corpus(365, 1);
    let output = corpus.path().join("out");
    build(&corpus.path().join("notes"), &output);
    let shard = std::fs::read_to_string(output.join("html/search/1950.js")).unwrap();
    assert!(shard.len() < 1 << 20, "{} bytes", shard.len());
    assert_eq!(days_holding(&shard, "the").len(), 365);
}

/// The inode and modification time of every file of the site's search folder: a rewrite
/// changes the inode even when the clock is coarse.
fn search_files(site: &Path) -> BTreeMap<String, (u64, i64)> {
    use std::os::unix::fs::MetadataExt;
    files_with_extension(&site.join("search"), "js")
        .into_iter()
        .map(|file| {
            let meta = std::fs::metadata(&file).unwrap();
            let name = file.file_name().unwrap().to_str().unwrap().to_owned();
            (name, (meta.ino(), meta.mtime_nsec()))
        })
        .collect()
}

#[test]
fn a_changed_day_rewrites_only_its_years_search_index() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(
        notes.join("a.txt"),
        "January 19, 1950 (Thursday)\n\nKim asked.\n",
    )
    .unwrap();
    std::fs::write(
        notes.join("b.txt"),
        "March 1, 1951 (Thursday)\n\nA year later.\n",
    )
    .unwrap();
    let output = dir.path().join("out");
    build(&notes, &output);
    let site = output.join("html");
    let before = search_files(&site);
    assert_eq!(before.keys().collect::<Vec<_>>(), ["1950.js", "1951.js"]);
    std::fs::write(
        notes.join("a.txt"),
        "January 19, 1950 (Thursday)\n\nKim asked about Dalian.\n",
    )
    .unwrap();
    build(&notes, &output);
    let after = search_files(&site);
    assert_ne!(after["1950.js"], before["1950.js"]);
    assert_eq!(after["1951.js"], before["1951.js"]);
    let shard = std::fs::read_to_string(site.join("search/1950.js")).unwrap();
    assert_eq!(
        days_holding(&shard, "dalian"),
        ["1950-01-19".to_owned()].into()
    );
}

#[test]
fn with_a_site_url_the_sitemap_lists_every_page_a_reader_lands_on_at_its_absolute_address() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("daybook.toml");
    std::fs::write(&config, "site_url = \"https://example.org/korea\"\n").unwrap();
    let output = dir.path().join("out");
    let out = daybook(
        &[
            "build",
            "--config",
            config.to_str().unwrap(),
            "--input",
            root().join("input").to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let site = output.join("html");
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let listed: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(common::string)
        .collect();
    let expected: BTreeSet<String> = files_with_extension(&site, "html")
        .iter()
        .map(|page| {
            page.strip_prefix(&site)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        })
        .filter(|page| page != "search.html")
        .map(|page| match page.as_str() {
            "index.html" => "https://example.org/korea/".to_owned(),
            _ => format!("https://example.org/korea/{page}"),
        })
        .collect();
    assert_eq!(listed, expected);
    assert!(listed.contains("https://example.org/korea/1950/1950-01-22.html"));
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        index.contains("<link itemprop=\"url\" href=\"https://example.org/korea/\"/>"),
        "{index}"
    );
}
