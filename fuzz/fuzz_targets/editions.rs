//! Fuzz target `editions`: whatever days parsing yields, every edition writes them, every
//! XML document written is well-formed, and the text edition of an error-free parse reads
//! back to the same days (positions aside) and is a fixpoint.

#![no_main]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

use chrono::Datelike as _;
use daybook::ast::Day;
use daybook::edition::{Context, Metadata, SourcedDay, epub, tei, text};
use daybook::syntax::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = parse(data);
    if !parsed.has_errors() {
        for width in [text::WIDTH, text::MIN_WIDTH] {
            assert_text_round_trips(&parsed.days, width);
        }
    }
    write_every_edition(&parsed.days);
});

fn without_positions(days: &[Day]) -> Vec<Day> {
    let mut days = days.to_vec();
    days.iter_mut().for_each(Day::erase_positions);
    days
}

fn assert_text_round_trips(days: &[Day], width: usize) {
    let mut edition = String::new();
    text::write_days(days, width, &mut edition);
    let reparsed = parse(edition.as_bytes());
    assert!(
        !reparsed.has_errors(),
        "the text edition has errors: {:?}\n{edition}",
        reparsed.diagnostics
    );
    assert_eq!(
        without_positions(&reparsed.days),
        without_positions(days),
        "the text edition parses to other days:\n{edition}"
    );
    let mut again = String::new();
    text::write_days(&reparsed.days, width, &mut again);
    assert_eq!(again, edition, "the text edition is not a fixpoint");
}

/// Writes the days as the pipeline would: one source per date (the pipeline builds a
/// duplicated date from no source), grouped by year in date order.
fn write_every_edition(days: &[Day]) {
    let mut by_date = BTreeMap::new();
    for day in days {
        by_date.entry(day.date()).or_insert_with(|| SourcedDay {
            day: day.clone(),
            source: "fuzz.txt".to_owned(),
        });
    }
    let dates: BTreeSet<_> = by_date.keys().copied().collect();
    let metadata = Metadata::default();
    let ctx = Context {
        days: &dates,
        metadata: &metadata,
    };
    let mut years: BTreeMap<i32, Vec<SourcedDay>> = BTreeMap::new();
    for (date, day) in by_date {
        years.entry(date.year()).or_default().push(day);
    }
    for (year, days) in &years {
        for day in days {
            let mut xml = Vec::new();
            tei::write_day(day, &ctx, &mut xml).expect("a TEI day is written");
            assert_well_formed(&xml, "TEI day");
        }
        let mut xml = Vec::new();
        tei::write_corpus(*year, days, &ctx, &mut xml).expect("a TEI corpus is written");
        assert_well_formed(&xml, "TEI corpus");
        let mut book = Cursor::new(Vec::new());
        epub::write_book(&year.to_string(), days, &ctx, &mut book).expect("an EPUB is written");
        assert_epub_well_formed(book.into_inner());
    }
}

fn assert_well_formed(xml: &[u8], what: &str) {
    let xml = std::str::from_utf8(xml).unwrap_or_else(|e| panic!("{what} is not UTF-8: {e}"));
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    if let Err(error) = roxmltree::Document::parse_with_options(xml, options) {
        panic!("{what} is not well-formed: {error}\n{xml}");
    }
}

fn assert_epub_well_formed(book: Vec<u8>) {
    let mut archive = zip::ZipArchive::new(Cursor::new(book)).expect("the EPUB is a zip");
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("an EPUB entry reads");
        let name = entry.name().to_owned();
        if [".xhtml", ".opf", ".xml", ".ncx"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            let mut xml = Vec::new();
            entry.read_to_end(&mut xml).expect("an EPUB entry reads");
            assert_well_formed(&xml, &name);
        }
    }
}
