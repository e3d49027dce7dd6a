//! The plan: every output the collection calls for, keyed by what it depends on, and the
//! one freshness decision of a build (which outputs are up to date, which must be rebuilt).

use std::collections::BTreeMap;
use std::collections::btree_map::Range;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::BuildOptions;
use super::index::Collection;
use super::manifest::{Manifest, ManifestOutput, ManifestSource};
use super::notes;
use super::output_dir::Stamp;
use super::register::Names;
use crate::config::Grouping;
use crate::edition::{self, Format};

/// What an output covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Day(NaiveDate),
    Month(i32, u32),
    Year(i32),
    /// A year's search index of the web site: its days' words, loaded by the search page.
    Search(i32),
    Collection,
    /// A file of the web site that belongs to no day, month or year (`index.html`): it is
    /// rendered from the collection's dates alone, no day loaded.
    Site(&'static str),
}

impl Unit {
    /// The first and last day the unit covers; `None` for the whole collection.
    pub(super) fn span(self) -> Option<(NaiveDate, NaiveDate)> {
        let (first, last) = match self {
            Unit::Day(date) => (Some(date), Some(date)),
            Unit::Month(year, month) => (
                NaiveDate::from_ymd_opt(year, month, 1),
                NaiveDate::from_ymd_opt(year, month, 1)
                    .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                    .and_then(|d| d.pred_opt()),
            ),
            Unit::Year(year) | Unit::Search(year) => (
                NaiveDate::from_ymd_opt(year, 1, 1),
                NaiveDate::from_ymd_opt(year, 12, 31),
            ),
            Unit::Collection | Unit::Site(_) => return None,
        };
        first.zip(last)
    }

    /// The year whose days the unit needs loaded; `None` for the whole collection.
    pub(super) fn year(self) -> Option<i32> {
        self.span().map(|(first, _)| first.year())
    }

    /// How a book of this unit names itself: `1950`, `January 1950`, or nothing.
    pub(super) fn volume(self) -> String {
        match self {
            Unit::Day(date) => edition::long_date(date),
            Unit::Month(year, month) => NaiveDate::from_ymd_opt(year, month, 1)
                .map_or_else(String::new, |d| d.format("%B %Y").to_string()),
            Unit::Year(year) | Unit::Search(year) => year.to_string(),
            Unit::Collection | Unit::Site(_) => String::new(),
        }
    }

    /// Whether rendering the unit needs its days parsed again.
    pub(super) fn needs_days(self) -> bool {
        !matches!(self, Unit::Site(_))
    }

    /// The output's path, relative to the output folder.
    pub(super) fn path(self, format: Format) -> String {
        let (folder, extension) = (format.name(), extension(format));
        match self {
            Unit::Day(date) => format!(
                "{folder}/{}/{}.{extension}",
                date.year(),
                date.format("%Y-%m-%d")
            ),
            Unit::Month(year, month) => format!("{folder}/{year}-{month:02}.{extension}"),
            Unit::Year(year) => format!("{folder}/{year}.{extension}"),
            Unit::Search(year) => format!("{folder}/{}", edition::html::shard_href(year)),
            Unit::Collection => format!("{folder}/collection.{extension}"),
            Unit::Site(name) => format!("{folder}/{name}"),
        }
    }
}

/// An output the build must have, with its key.
pub(super) struct Planned {
    pub(super) path: String,
    pub(super) format: Format,
    pub(super) unit: Unit,
    pub(super) key: [u8; 32],
}

/// Every output the collection calls for, each keyed by what it depends on: daybook's
/// version, the configuration and build time, the edition, and for each day its content, its source file,
/// which of its cross-reference targets the collection holds, the notes it cites and the
/// register entries it mentions.
pub(super) fn plan(
    collection: &Collection,
    notes: &notes::Resolved,
    names: Option<&Names>,
    options: &BuildOptions,
) -> Vec<Planned> {
    // Hashed once: the configuration's text is long, and every day of every edition is
    // keyed by it (hashing it per key was half of a no-change build of ten years).
    let config: [u8; 32] = Sha256::digest(format!(
        "{}\n{:?}\n{:?}",
        env!("CARGO_PKG_VERSION"),
        options.config,
        options.build_time
    ))
    .into();
    // The text edition depends on a day's content only; TEI and EPUB also name the source
    // file, turn cross-references into links where the collection holds the target, and
    // carry the notes the day cites.
    let day_key = |format: Format, date: NaiveDate| -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(config);
        hasher.update(format.name());
        if let Some((file, day)) = collection.entry(date) {
            hasher.update(day.digest);
            if format != Format::Txt {
                hasher.update(file.relative.as_bytes());
                for (target, _, _) in &day.cross_refs {
                    hasher.update(target.to_string());
                    hasher.update([u8::from(collection.days.contains_key(target))]);
                }
                for (_, cited) in &day.citations {
                    notes.key(std::slice::from_ref(cited), &mut hasher);
                }
                if let Some(names) = names {
                    names.key(&day.entities, &mut hasher);
                }
            }
            // A day's page links to the days before and after it and to its other editions.
            if format == Format::Html {
                let previous = collection.days.range(..date).next_back().map(|(d, _)| d);
                let next = date
                    .succ_opt()
                    .and_then(|after| collection.days.range(after..).next())
                    .map(|(d, _)| d);
                hasher.update(format!("{previous:?}{next:?}{:?}", options.formats));
            }
        }
        hasher.finalize().into()
    };
    let mut units: Vec<(Format, Unit)> = Vec::new();
    for &format in &options.formats {
        let mut books: Vec<Unit> = collection
            .days
            .keys()
            .map(|date| match (format, options.config.book) {
                (Format::Epub, Grouping::Month) => Unit::Month(date.year(), date.month()),
                (Format::Epub, Grouping::Collection) => Unit::Collection,
                _ => Unit::Year(date.year()),
            })
            .collect();
        books.dedup();
        units.extend(books.into_iter().map(|unit| (format, unit)));
        if format == Format::Html {
            let mut months: Vec<Unit> = collection
                .days
                .keys()
                .map(|date| Unit::Month(date.year(), date.month()))
                .collect();
            months.dedup();
            units.extend(months.into_iter().map(|unit| (format, unit)));
            let mut years: Vec<i32> = collection.days.keys().map(Datelike::year).collect();
            years.dedup();
            units.extend(years.into_iter().map(|year| (format, Unit::Search(year))));
            units.extend(
                edition::html::site_files(options.config.site_url.is_some())
                    .map(|name| (format, Unit::Site(name))),
            );
        }
        if format != Format::Epub {
            units.extend(
                collection
                    .days
                    .keys()
                    .map(|&date| (format, Unit::Day(date))),
            );
        }
    }
    // One format's day keys at a time, as the units come format by format: a century's
    // four formats would hold half a million. Keys are hashed on every worker: the plan is
    // one of the stages between the parallel ones.
    let mut planned: Vec<Planned> = Vec::with_capacity(units.len());
    for units in units.chunk_by(|a, b| a.0 == b.0) {
        let format = units[0].0;
        let keys: BTreeMap<NaiveDate, [u8; 32]> = collection
            .days
            .par_iter()
            .map(|(&d, _)| (d, day_key(format, d)))
            .collect();
        planned.par_extend(units.par_iter().map(|&(_, unit)| {
            let path = unit.path(format);
            let mut hasher = Sha256::new();
            hasher.update(&path);
            within(&keys, unit).for_each(|(_, key)| hasher.update(key));
            Planned {
                path,
                format,
                unit,
                key: hasher.finalize().into(),
            }
        }));
    }
    planned.sort_by(|a, b| a.path.cmp(&b.path));
    planned
}

/// The day headings `unit` is made of, as the manifest records them: asked for only when
/// the manifest is written, so that the plan does not carry them through the rendering (a
/// century's outputs name some half a million).
pub(super) fn sources(collection: &Collection, unit: Unit) -> Vec<ManifestSource> {
    let dates = within(&collection.days, unit);
    let mut sources = Vec::with_capacity(dates.clone().count());
    sources.extend(dates.filter_map(|(&date, _)| {
        collection.entry(date).map(|(file, day)| ManifestSource {
            file: file.relative.clone(),
            line: day.heading.line,
        })
    }));
    sources
}

/// The entries of `by_date` that `unit` covers.
fn within<V>(by_date: &BTreeMap<NaiveDate, V>, unit: Unit) -> Range<'_, NaiveDate, V> {
    match unit.span() {
        Some((first, last)) => by_date.range(first..=last),
        None => by_date.range(..),
    }
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Txt => "txt",
        Format::Tei => "xml",
        Format::Epub => "epub",
        Format::Html => "html",
    }
}

/// An output file in place: the SHA-256 of its bytes and its stamp.
pub(super) type Written = ([u8; 32], Stamp);

/// What the previous build left that this one can keep.
pub(super) struct Freshness<'a> {
    /// The outputs to rebuild, in path order.
    pub(super) todo: Vec<&'a Planned>,
    /// For each planned output, in the plan's order, the digest and stamp the manifest
    /// recorded when the output is up to date; `None` for those to rebuild.
    pub(super) files: Vec<Option<Written>>,
    /// How many outputs are up to date.
    pub(super) unchanged: usize,
    /// The outputs to rebuild whose file is still the one the manifest describes, with the
    /// digest and stamp recorded: rebuilt bytes with that digest need not be written.
    pub(super) in_place: BTreeMap<&'a str, Written>,
}

impl<'a> Freshness<'a> {
    /// Up to date: same key, and the file is the very one the manifest describes (its
    /// stamp), so that an edited or emptied output, or one a killed build rewrote after the
    /// manifest was written, is rebuilt and its digest recorded anew.
    pub(super) fn decide(
        planned: &'a [Planned],
        previous: Option<&Manifest>,
        stamps: &BTreeMap<String, Stamp>,
        force: bool,
    ) -> Self {
        let previous: BTreeMap<&str, &ManifestOutput> = previous
            .map(|m| m.outputs.iter().map(|o| (o.path.as_str(), o)).collect())
            .unwrap_or_default();
        let mut todo = Vec::new();
        let mut in_place = BTreeMap::new();
        let files: Vec<Option<Written>> = planned
            .iter()
            .map(|p| {
                let old = previous
                    .get(p.path.as_str())
                    .filter(|old| stamps.get(p.path.as_str()) == Some(&old.stamp));
                match old {
                    Some(old) if !force && old.key == p.key => {
                        return Some((old.sha256, old.stamp));
                    }
                    Some(old) => {
                        in_place.insert(p.path.as_str(), (old.sha256, old.stamp));
                    }
                    None => {}
                }
                todo.push(p);
                None
            })
            .collect();
        Self {
            todo,
            unchanged: files.iter().flatten().count(),
            files,
            in_place,
        }
    }
}

/// Where the output at `path` is in `planned`, which [`plan`] returns in path order.
pub(super) fn position(planned: &[Planned], path: &str) -> Option<usize> {
    planned.binary_search_by(|p| p.path.as_str().cmp(path)).ok()
}

/// The outputs to rebuild grouped by the year whose days they need, years first, one at a
/// time; whole-collection books (`None`), which need every day, last.
pub(super) fn by_scope(todo: Vec<&Planned>) -> Vec<(Option<i32>, Vec<&Planned>)> {
    let mut by_scope: BTreeMap<(bool, i32), Vec<&Planned>> = BTreeMap::new();
    for p in todo {
        let scope = p.unit.year().map_or((true, 0), |year| (false, year));
        by_scope.entry(scope).or_default().push(p);
    }
    by_scope
        .into_iter()
        .map(|((collection, year), outputs)| ((!collection).then_some(year), outputs))
        .collect()
}
