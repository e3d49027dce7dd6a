//! The render stage: a year's days parsed again from their notes, and each planned output
//! of the year rendered into memory.

use std::collections::BTreeSet;
use std::io::Cursor;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use super::PipelineError;
use super::index::{Collection, ReadOptions, read_and_parse};
use super::plan::{Planned, Unit};
use crate::edition::{self, Context, EditionError, Format, SourcedDay};

/// The days of `year` (of every year when `None`) that the collection builds, parsed again
/// from their files, in date order.
pub(super) fn load_days(
    collection: &Collection,
    year: Option<i32>,
    read: &ReadOptions,
) -> Vec<SourcedDay> {
    let wanted = |date: &NaiveDate| year.is_none_or(|y| date.year() == y);
    let files: BTreeSet<usize> = collection
        .days
        .iter()
        .filter(|(date, _)| wanted(date))
        .map(|(_, &file)| file)
        .collect();
    let mut days: Vec<SourcedDay> = files
        .into_par_iter()
        .flat_map_iter(|index| {
            let file = &collection.files[index];
            read_and_parse(&file.path, read)
                .days
                .into_iter()
                .filter(move |day| {
                    wanted(&day.date()) && collection.days.get(&day.date()) == Some(&index)
                })
                .map(|day| SourcedDay {
                    day,
                    source: file.relative.clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    days.sort_by_key(|d| d.day.date());
    days
}

pub(super) fn render(
    planned: &Planned,
    days: &[SourcedDay],
    ctx: &Context<'_>,
    width: usize,
) -> Result<Vec<u8>, PipelineError> {
    let failed = |source| PipelineError::Write {
        path: PathBuf::from(&planned.path),
        source,
    };
    let days = match planned.unit.span() {
        Some((first, last)) => {
            let from = days.partition_point(|d| d.day.date() < first);
            let to = days.partition_point(|d| d.day.date() <= last);
            &days[from..to]
        }
        None => days,
    };
    let mut bytes = Vec::new();
    let result = match (planned.format, planned.unit) {
        (_, Unit::Day(_)) if days.is_empty() => Err(vanished()),
        (Format::Txt, _) => {
            let mut text = String::new();
            edition::text::write_days(days.iter().map(|d| &d.day), width, &mut text);
            bytes = text.into_bytes();
            Ok(())
        }
        (Format::Tei, Unit::Day(_)) => days
            .iter()
            .try_for_each(|day| edition::tei::write_day(day, ctx, &mut bytes)),
        (Format::Tei, unit) => {
            edition::tei::write_corpus(unit.year().unwrap_or_default(), days, ctx, &mut bytes)
        }
        (Format::Html, Unit::Day(_)) => days.iter().try_for_each(|day| {
            edition::html::write_day_page(day, ctx, &planned.alongside, &mut bytes)
                .map_err(EditionError::from)
        }),
        (Format::Html, Unit::Month(year, month)) => {
            edition::html::write_month_page(year, month, ctx, &mut bytes).map_err(Into::into)
        }
        (Format::Html, Unit::Search(_)) => {
            edition::html::write_search_shard(days, ctx, &mut bytes).map_err(Into::into)
        }
        (Format::Html, Unit::Site(name)) => {
            edition::html::write_site_file(name, ctx, &mut bytes).map_err(Into::into)
        }
        (Format::Html, unit) => {
            edition::html::write_year_page(unit.year().unwrap_or_default(), ctx, &mut bytes)
                .map_err(Into::into)
        }
        (Format::Epub, unit) => {
            let mut cursor = Cursor::new(Vec::new());
            let result = edition::epub::write_book(&unit.volume(), days, ctx, &mut cursor);
            bytes = cursor.into_inner();
            result
        }
    };
    result.map_err(failed)?;
    Ok(bytes)
}

/// The error for a note that changed between the index and render passes.
fn vanished() -> EditionError {
    std::io::Error::new(
        std::io::ErrorKind::NotFound,
        "its day vanished from its note during the build; build again",
    )
    .into()
}
