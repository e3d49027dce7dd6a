//! The render stage: a year's days parsed again from their notes, and each planned output
//! of the year rendered into memory.

use std::collections::BTreeSet;
use std::io::Cursor;
use std::ops::Range;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use super::index::{Collection, ReadOptions, read_and_parse};
use super::plan::{Planned, Unit};
use super::{BuildOptions, PipelineError};
use crate::ast::Day;
use crate::edition::{self, Context, EditionError, Format, SourcedDay};

/// The days of `year` (of every year when `None`) that the collection builds, in date
/// order: those the index pass kept parsed, the others parsed again from their files.
pub(super) fn load_days(
    collection: &mut Collection,
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
    // A note whose days all lie in this year is needed by no later one: its days are
    // moved out; one spanning years is copied.
    let kept: Vec<(usize, Vec<Day>)> = files
        .iter()
        .filter_map(|&index| {
            let file = &mut collection.files[index];
            let only_this_year = file.days().iter().all(|d| wanted(&d.date));
            let parsed = if only_this_year {
                file.parsed.take()
            } else {
                file.parsed.clone()
            };
            parsed.map(|days| (index, days))
        })
        .collect();
    let collection = &*collection;
    let kept_files: BTreeSet<usize> = kept.iter().map(|&(index, _)| index).collect();
    let reparsed = files
        .into_par_iter()
        .filter(|index| !kept_files.contains(index))
        .map(|index| {
            (
                index,
                read_and_parse(&collection.files[index].path, read).days,
            )
        })
        .collect::<Vec<_>>();
    let mut days: Vec<SourcedDay> = kept
        .into_iter()
        .chain(reparsed)
        .flat_map(|(index, days)| {
            let file = &collection.files[index];
            days.into_iter()
                .filter(move |day| {
                    wanted(&day.date()) && collection.days.get(&day.date()) == Some(&index)
                })
                .map(|day| SourcedDay {
                    day,
                    source: file.relative.to_string(),
                })
        })
        .collect();
    days.sort_by_key(|d| d.day.date());
    days
}

/// What is rendered of a year ahead of its outputs, on every worker: the text of each day,
/// which is both the day's text file and its part of the year's, and the parts of each book
/// (its chapters, rendered and compressed). A book is then only finished, by one worker,
/// while the others write the rest: finished with its parts, it was left to run alone at
/// the end of the year.
pub(super) struct Shared<'a> {
    /// The text edition of each day, in the order of the days; empty when no text output
    /// is to be rendered.
    texts: Vec<String>,
    /// Each book to write, by its output's path, with its parts in order.
    books: Vec<(&'a str, edition::epub::Book<'a>, Vec<edition::epub::Part>)>,
    /// The editions this build writes, which the web pages link to: the same for every
    /// output, so held here once rather than by each of them.
    alongside: &'a [Format],
}

impl<'a> Shared<'a> {
    /// Renders, in parallel, what `outputs` share of `days`, and the parts of their books.
    pub(super) fn render(
        outputs: &[&'a Planned],
        days: &'a [SourcedDay],
        ctx: &'a Context<'a>,
        options: &'a BuildOptions,
    ) -> Result<Self, PipelineError> {
        let books: Vec<(&str, edition::epub::Book)> = outputs
            .iter()
            .filter(|p| p.format == Format::Epub)
            .map(|p| {
                let book = edition::epub::Book::new(&p.unit.volume(), &days[span(p, days)], ctx);
                (p.path.as_str(), book)
            })
            .collect();
        // Every part of every book, one task each.
        let tasks: Vec<(usize, usize)> = books
            .iter()
            .enumerate()
            .flat_map(|(book, (_, b))| (0..b.parts()).map(move |part| (book, part)))
            .collect();
        let (texts, parts) = rayon::join(
            || {
                if outputs.iter().any(|p| p.format == Format::Txt) {
                    days.par_iter()
                        .map(|d| {
                            let mut text = String::new();
                            edition::text::write_day(&d.day, options.config.wrap_width, &mut text);
                            text
                        })
                        .collect()
                } else {
                    Vec::new()
                }
            },
            || {
                tasks
                    .par_iter()
                    .with_max_len(1)
                    .map(|&(book, part)| {
                        let (path, book) = &books[book];
                        book.part(part).map_err(|source| PipelineError::Write {
                            path: PathBuf::from(path),
                            source,
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
            },
        );
        let mut parts = parts?.into_iter();
        let books = books
            .into_iter()
            .map(|(path, book)| {
                let own = parts.by_ref().take(book.parts()).collect();
                (path, book, own)
            })
            .collect();
        Ok(Self {
            texts,
            books,
            alongside: &options.formats,
        })
    }
}

/// Where the days `planned` is made of lie in `days` (in date order).
fn span(planned: &Planned, days: &[SourcedDay]) -> Range<usize> {
    match planned.unit.span() {
        Some((first, last)) => {
            days.partition_point(|d| d.day.date() < first)
                ..days.partition_point(|d| d.day.date() <= last)
        }
        None => 0..days.len(),
    }
}

pub(super) fn render(
    planned: &Planned,
    days: &[SourcedDay],
    shared: &Shared<'_>,
    ctx: &Context<'_>,
) -> Result<Vec<u8>, PipelineError> {
    let failed = |source| PipelineError::Write {
        path: PathBuf::from(&planned.path),
        source,
    };
    let span = span(planned, days);
    let days = &days[span.clone()];
    let mut bytes = Vec::new();
    let result = match (planned.format, planned.unit) {
        (_, Unit::Day(_)) if days.is_empty() => Err(vanished()),
        (Format::Txt, _) => {
            // As for a book below: only a caller that rendered the shared texts for other
            // outputs gets `None`, which is reported rather than a panic.
            let Some(texts) = shared.texts.get(span) else {
                let message = "the days' texts were not rendered with their year's";
                return Err(failed(std::io::Error::other(message).into()));
            };
            bytes = texts.join(edition::text::DAY_BREAK).into_bytes();
            Ok(())
        }
        (Format::Tei, Unit::Day(_)) => days
            .iter()
            .try_for_each(|day| edition::tei::write_day(day, ctx, &mut bytes)),
        (Format::Tei, unit) => {
            edition::tei::write_corpus(unit.year().unwrap_or_default(), days, ctx, &mut bytes)
        }
        (Format::Html, Unit::Day(_)) => days.iter().try_for_each(|day| {
            edition::html::write_day_page(day, ctx, shared.alongside, &mut bytes)
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
        (Format::Epub, _) => {
            let book = shared
                .books
                .iter()
                .find(|(path, _, _)| *path == planned.path);
            // Only a caller that rendered the shared parts of other outputs gets `None`.
            let Some((_, book, parts)) = book else {
                let message = "the book's chapters were not rendered with its year's";
                return Err(failed(EditionError::Epub(message.to_owned())));
            };
            let mut cursor = Cursor::new(Vec::new());
            book.finish(parts, &mut cursor).map(|()| {
                bytes = cursor.into_inner();
            })
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
