//! The web edition: a static site of a page per day at a permanent address, a page per month
//! and per year, an index of years, and one stylesheet.
//!
//! Addresses (relative to the site's root, `output/html/`) follow the other editions' file
//! names and the TEI ids, and are never changed silently (docs/web.md):
//!
//! - `index.html`, the years of the collection;
//! - `1950.html`, a year's months with their day counts;
//! - `1950-01.html`, a month's days;
//! - `1950/1950-01-22.html#day-1950-01-22`, a day, whose `<article>` has the `xml:id` of the
//!   day's TEI `div` (`tei/1950/1950-01-22.xml#day-1950-01-22`);
//! - `search.html`, the search, which loads one year's index, `search/1950.js` ([`search`]);
//! - `sitemap.xml`, when the configuration gives the site's address ([`sitemap`]).
//!
//! The day's content is written by the XHTML writer the EPUB chapters use
//! ([`xhtml::write_day`] with [`Target::Web`]); this module writes only the page around it.
//! Pages are polyglot markup: well-formed XML that HTML parsers read the same way.

mod page;
mod search;
mod sitemap;

use std::collections::BTreeSet;
use std::io::{self, Write};

use chrono::{Datelike, NaiveDate};
use quick_xml::Writer;

use super::xhtml::{self, Book, Endnotes, Links, Target};
use super::{Context, Format, SourcedDay, long_date, tag, weekday_name};
use page::{Shell, escaped, link, newline, text, write_page};

/// The site's stylesheet: the books' own (the day's markup is the same), then what only
/// pages need (navigation, the width of a screen).
pub const STYLESHEET: &str = concat!(
    include_str!("../../../stylesheets/epub.css"),
    include_str!("../../../stylesheets/web.css")
);

pub use search::{shard_href, write_search_shard};

/// The files of the site that belong to no day, month or year; `sitemap.xml` only when the
/// site's address is known (`site_url`), since a sitemap's addresses are absolute.
pub fn site_files(sitemap: bool) -> impl Iterator<Item = &'static str> {
    ["index.html", "search.html", "search.js", "style.css"]
        .into_iter()
        .chain(sitemap.then_some("sitemap.xml"))
}

/// The address of a day's page, relative to the site's root.
pub fn day_href(date: NaiveDate) -> String {
    // `NaiveDate`'s display is `1950-01-22`, without parsing a format string per call.
    format!("{}/{date}.html", date.year())
}

pub(super) fn month_href(year: i32, month: u32) -> String {
    format!("{year}-{month:02}.html")
}

fn month_name(year: i32, month: u32) -> String {
    NaiveDate::from_ymd_opt(year, month, 1)
        .map_or_else(String::new, |d| d.format("%B %Y").to_string())
}

/// Writes a file of [`site_files`].
pub fn write_site_file(name: &str, ctx: &Context, out: &mut Vec<u8>) -> io::Result<()> {
    match name {
        "style.css" => out.extend_from_slice(STYLESHEET.as_bytes()),
        "search.js" => out.extend_from_slice(search::SCRIPT.as_bytes()),
        "search.html" => search::write_search_page(ctx, out)?,
        "sitemap.xml" => match &ctx.metadata.site_url {
            Some(base) => sitemap::write_sitemap(base, ctx, out)?,
            None => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "a sitemap needs the site's address: set `site_url`",
                ));
            }
        },
        _ => write_index(ctx, out)?,
    }
    Ok(())
}

/// The index: the collection's title, and its years with how many days each holds.
fn write_index(ctx: &Context, out: &mut Vec<u8>) -> io::Result<()> {
    let metadata = ctx.metadata;
    let mut years: Vec<(i32, usize)> = Vec::new();
    for date in ctx.days {
        match years.last_mut() {
            Some((year, count)) if *year == date.year() => *count += 1,
            _ => years.push((date.year(), 1)),
        }
    }
    let shell = Shell {
        language: &metadata.language,
        title: &metadata.title,
        root: "",
        trail: &[],
        alternates: &[],
        script: false,
    };
    write_page(out, &shell, |w| {
        // schema.org microdata: the collection is a Collection of the days' pages.
        w.create_element(tag("div"))
            .with_attributes([
                ("itemscope", "itemscope"),
                ("itemtype", "https://schema.org/Collection"),
            ])
            .write_inner_content(|w| {
                newline(w)?;
                w.create_element(tag("h1"))
                    .with_attribute(("itemprop", "name"))
                    .write_text_content(escaped(&metadata.title))?;
                newline(w)?;
                if let Some(subtitle) = metadata.subtitle_of("") {
                    w.create_element(tag("p"))
                        .with_attributes([
                            ("class", "subtitle"),
                            ("itemprop", "alternativeHeadline"),
                        ])
                        .write_text_content(escaped(subtitle))?;
                    newline(w)?;
                }
                for editor in metadata.named_editors() {
                    w.create_element(tag("meta"))
                        .with_attributes([("itemprop", "editor"), ("content", editor)])
                        .write_empty()?;
                }
                w.create_element(tag("meta"))
                    .with_attributes([
                        ("itemprop", "publisher"),
                        ("content", metadata.publisher.as_str()),
                    ])
                    .write_empty()?;
                w.create_element(tag("meta"))
                    .with_attributes([
                        ("itemprop", "inLanguage"),
                        ("content", metadata.language.as_str()),
                    ])
                    .write_empty()?;
                if let Some(licence) = &metadata.licence {
                    w.create_element(tag("link"))
                        .with_attributes([("itemprop", "license"), ("href", licence.url.as_str())])
                        .write_empty()?;
                }
                if let Some(site_url) = &metadata.site_url {
                    w.create_element(tag("link"))
                        .with_attributes([("itemprop", "url"), ("href", site_url.as_str())])
                        .write_empty()?;
                }
                newline(w)?;
                w.create_element("h2")
                    .write_text_content(escaped("Years"))?;
                newline(w)?;
                w.create_element(tag("ul"))
                    .with_attribute(("class", "years"))
                    .write_inner_content(|w| {
                        newline(w)?;
                        for &(year, count) in &years {
                            w.create_element("li").write_inner_content(|w| {
                                link(w, &format!("{year}.html"), &year.to_string())?;
                                text(w, &days(count))
                            })?;
                            newline(w)?;
                        }
                        Ok(())
                    })?;
                newline(w)
            })?;
        newline(w)
    })
}

/// ` (3 days)`.
fn days(count: usize) -> String {
    match count {
        1 => " (1 day)".to_owned(),
        n => format!(" ({n} days)"),
    }
}

/// A year's page: its months, each with how many days it holds, leading to the month's page.
pub fn write_year_page(year: i32, ctx: &Context, out: &mut Vec<u8>) -> io::Result<()> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let mut months: Vec<(u32, usize)> = Vec::new();
    for date in ctx.days.range(first..=last) {
        match months.last_mut() {
            Some((month, count)) if *month == date.month() => *count += 1,
            _ => months.push((date.month(), 1)),
        }
    }
    let title = year.to_string();
    let shell = Shell {
        language: &ctx.metadata.language,
        title: &format!("{title} \u{2013} {}", ctx.metadata.title),
        root: "",
        trail: &[],
        alternates: &[],
        script: false,
    };
    write_page(out, &shell, |w| {
        w.create_element("h1").write_text_content(escaped(&title))?;
        newline(w)?;
        w.create_element(tag("ul"))
            .with_attribute(("class", "months"))
            .write_inner_content(|w| {
                newline(w)?;
                for &(month, count) in &months {
                    w.create_element("li").write_inner_content(|w| {
                        link(w, &month_href(year, month), &month_name(year, month))?;
                        text(w, &days(count))
                    })?;
                    newline(w)?;
                }
                Ok(())
            })?;
        newline(w)?;
        w.create_element(tag("p"))
            .with_attribute(("class", "search-year"))
            .write_inner_content(|w| {
                link(
                    w,
                    &format!("search.html?year={year}"),
                    &format!("Search {year}"),
                )
            })?;
        newline(w)
    })
}

/// A month's page: its days, each leading to the day's page.
pub fn write_month_page(year: i32, month: u32, ctx: &Context, out: &mut Vec<u8>) -> io::Result<()> {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    let title = month_name(year, month);
    let year_href = format!("{year}.html");
    let year_name = year.to_string();
    let shell = Shell {
        language: &ctx.metadata.language,
        title: &format!("{title} \u{2013} {}", ctx.metadata.title),
        root: "",
        trail: &[(&year_href, &year_name)],
        alternates: &[],
        script: false,
    };
    write_page(out, &shell, |w| {
        w.create_element("h1").write_text_content(escaped(&title))?;
        newline(w)?;
        w.create_element(tag("ul"))
            .with_attribute(("class", "days"))
            .write_inner_content(|w| {
                newline(w)?;
                for &date in ctx.days.range(first..=last) {
                    w.create_element("li")
                        .write_inner_content(|w| link(w, &day_href(date), &day_title(date)))?;
                    newline(w)?;
                }
                Ok(())
            })?;
        newline(w)
    })
}

/// `January 22, 1950 (Sunday)`, as a month's page and the search's results name a day.
fn day_title(date: NaiveDate) -> String {
    format!("{} ({})", long_date(date), weekday_name(date.weekday()))
}

/// A day's page: where it is in the collection, the day as in the book, the notes it cites,
/// the previous and next day, and links to the day's TEI and text editions when `alongside`
/// (the editions built with the site) holds them.
pub fn write_day_page(
    sourced: &SourcedDay,
    ctx: &Context,
    alongside: &[Format],
    out: &mut Vec<u8>,
) -> io::Result<()> {
    let date = sourced.day.date();
    let (year, month) = (date.year(), date.month());
    // Every page of days is one folder down: `1950/`; other days are reached through `../`.
    // Only the days the page refers to: a map of the whole collection per page made the
    // site's cost grow with the square of its days.
    let links: Links = sourced
        .day
        .cross_references()
        .into_iter()
        .map(|cross_ref| cross_ref.target)
        .filter(|&target| ctx.has_day(target))
        .map(|target| (target, format!("../{}", day_href(target))))
        .collect();
    let endnotes = Endnotes::on_page(ctx.notes);
    endnotes.chapter("", date);
    let book = Book {
        links: &links,
        metadata: ctx.metadata,
        endnotes: (!ctx.notes.is_empty()).then_some(&endnotes),
        target: Target::Web,
    };
    let stem = date.format("%Y-%m-%d").to_string();
    let edition = |format: Format, extension: &str| {
        alongside
            .contains(&format)
            .then(|| format!("../../{}/{year}/{stem}.{extension}", format.name()))
    };
    let tei = edition(Format::Tei, "xml");
    let txt = edition(Format::Txt, "txt");
    let mut alternates: Vec<(&str, &str, &str)> = Vec::new();
    if let Some(tei) = &tei {
        alternates.push((tei, "application/tei+xml", "TEI P5 XML"));
    }
    if let Some(txt) = &txt {
        alternates.push((txt, "text/plain", "Plain text"));
    }
    let year_href = format!("../{year}.html");
    let year_name = year.to_string();
    let month_link = format!("../{}", month_href(year, month));
    let month_title = month_name(year, month);
    let title = long_date(date);
    let shell = Shell {
        language: &ctx.metadata.language,
        title: &format!("{title} \u{2013} {}", ctx.metadata.title),
        root: "../",
        trail: &[(&year_href, &year_name), (&month_link, &month_title)],
        alternates: &alternates,
        script: true,
    };
    let [previous, next] = neighbours(ctx.days, date);
    write_page(out, &shell, |w| {
        xhtml::write_day(w, &sourced.day, &book)?;
        if !endnotes.is_empty() {
            endnotes.write_notes(w)?;
        }
        write_neighbours(w, previous, next)?;
        if !alternates.is_empty() {
            w.create_element(tag("p"))
                .with_attribute(("class", "editions"))
                .write_inner_content(|w| {
                    text(w, "This day in other editions: ")?;
                    for (index, (href, _, name)) in alternates.iter().enumerate() {
                        if index > 0 {
                            text(w, ", ")?;
                        }
                        link(w, href, name)?;
                    }
                    Ok(())
                })?;
            newline(w)?;
        }
        Ok(())
    })
}

/// The previous and next day of the collection, as a navigation landmark of its own.
fn write_neighbours<W: Write>(
    w: &mut Writer<W>,
    previous: Option<NaiveDate>,
    next: Option<NaiveDate>,
) -> io::Result<()> {
    w.create_element(tag("nav"))
        .with_attributes([
            ("class", "neighbours"),
            ("aria-label", "Previous and next day"),
        ])
        .write_inner_content(|w| {
            for (date, rel, class, arrow) in [
                (previous, "prev", "previous", "\u{2190} "),
                (next, "next", "next", " \u{2192}"),
            ] {
                if let Some(date) = date {
                    let words = if rel == "prev" {
                        format!("{arrow}{}", long_date(date))
                    } else {
                        format!("{}{arrow}", long_date(date))
                    };
                    w.create_element(tag("a"))
                        .with_attributes([
                            ("href", format!("../{}", day_href(date)).as_str()),
                            ("rel", rel),
                            ("class", class),
                        ])
                        .write_text_content(escaped(&words))?;
                }
            }
            Ok(())
        })?;
    newline(w)
}

/// The days of the collection a day page's neighbour links depend on.
fn neighbours(days: &BTreeSet<NaiveDate>, date: NaiveDate) -> [Option<NaiveDate>; 2] {
    [
        days.range(..date).next_back().copied(),
        days.range(date.succ_opt().unwrap_or(date)..)
            .next()
            .copied(),
    ]
}
