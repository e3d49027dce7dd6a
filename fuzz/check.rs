//! The checks of the `editions` fuzz target, shared with `tests/fuzz_regressions.rs` so that
//! a replayed crash is judged exactly as the fuzzer judged it: every edition is written,
//! every XML document in it is well-formed, and the text edition of the days read without
//! error (a file with errors still has them) reads back to the same days (positions aside)
//! and is a fixpoint.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

use chrono::Datelike as _;
use daybook::ast::Day;
use daybook::edition::{Context, Metadata, SourcedDay, epub, tei, text};
use daybook::syntax::parse;

fn without_positions(days: &[Day]) -> Vec<Day> {
    let mut days = days.to_vec();
    days.iter_mut().for_each(Day::erase_positions);
    days
}

fn text_round_trips(days: &[Day], width: usize) -> Result<(), String> {
    let mut edition = String::new();
    text::write_days(days, width, &mut edition);
    let reparsed = parse(edition.as_bytes());
    if reparsed.has_errors() {
        return Err(format!(
            "the text edition at width {width} has errors: {:?}\n{edition}",
            reparsed.diagnostics
        ));
    }
    if without_positions(&reparsed.days) != without_positions(days) {
        return Err(format!(
            "the text edition at width {width} reads back to other days:\n{edition}"
        ));
    }
    let mut again = String::new();
    text::write_days(&reparsed.days, width, &mut again);
    if again != edition {
        return Err(format!(
            "the text edition at width {width} is not a fixpoint:\n{edition}"
        ));
    }
    Ok(())
}

fn well_formed(xml: &[u8], what: &str) -> Result<(), String> {
    let xml = std::str::from_utf8(xml).map_err(|e| format!("{what} is not UTF-8: {e}"))?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(xml, options)
        .map(drop)
        .map_err(|e| format!("{what} is not well-formed: {e}"))
}

fn epub_well_formed(book: Vec<u8>) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(book)).map_err(|e| e.to_string())?;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| e.to_string())?;
        let name = entry.name().to_owned();
        if [".xhtml", ".opf", ".xml", ".ncx"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            let mut xml = Vec::new();
            entry.read_to_end(&mut xml).map_err(|e| e.to_string())?;
            well_formed(&xml, &name)?;
        }
    }
    Ok(())
}

/// Every edition of `days`, written as the pipeline would: one source per date, by year.
fn editions_well_formed(days: &[Day]) -> Result<(), String> {
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
        notes: &daybook::edition::NO_NOTES,
        register: &daybook::edition::NO_REGISTER,
    };
    let mut years: BTreeMap<i32, Vec<SourcedDay>> = BTreeMap::new();
    for (date, day) in by_date {
        years.entry(date.year()).or_default().push(day);
    }
    for (year, days) in &years {
        for day in days {
            let mut xml = Vec::new();
            tei::write_day(day, &ctx, &mut xml).map_err(|e| e.to_string())?;
            well_formed(&xml, "TEI day")?;
        }
        let mut xml = Vec::new();
        tei::write_corpus(*year, days, &ctx, &mut xml).map_err(|e| e.to_string())?;
        well_formed(&xml, "TEI corpus")?;
        let mut book = Cursor::new(Vec::new());
        epub::write_book(&year.to_string(), days, &ctx, &mut book).map_err(|e| e.to_string())?;
        epub_well_formed(book.into_inner())?;
    }
    Ok(())
}

/// Parses `bytes` and checks every edition of the result; says what broke.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let parsed = parse(bytes);
    if !parsed.days.is_empty() {
        text_round_trips(&parsed.days, text::WIDTH)?;
        text_round_trips(&parsed.days, text::MIN_WIDTH)?;
    }
    editions_well_formed(&parsed.days)
}
