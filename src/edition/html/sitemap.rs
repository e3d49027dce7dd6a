//! `sitemap.xml` (sitemaps.org 0.9): the address of every page a reader can land on, for
//! search engines. The protocol wants absolute addresses, so the sitemap exists only when
//! the configuration gives the site's own (`site_url`).

use std::io;

use chrono::Datelike;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};

use super::page::{escaped, newline};
use super::{day_href, month_href};
use crate::edition::Context;
use crate::edition::tag;

/// The most addresses one sitemap may list (sitemaps.org): 137 years of days.
const MAX_URLS: usize = 50_000;

/// Writes the sitemap of the site published at `base` (ending in `/`): the index, then each
/// year's page, its months' pages and its days' pages.
pub(super) fn write_sitemap(base: &str, ctx: &Context, out: &mut Vec<u8>) -> io::Result<()> {
    let mut pages = vec![String::new()];
    let mut last_month = None;
    for &date in ctx.days {
        let month = (date.year(), date.month());
        if last_month.is_none_or(|(year, _)| year != month.0) {
            pages.push(format!("{}.html", month.0));
        }
        if last_month != Some(month) {
            pages.push(month_href(month.0, month.1));
        }
        last_month = Some(month);
        pages.push(day_href(date));
    }
    if pages.len() > MAX_URLS {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the site has {} pages, more than the {MAX_URLS} one sitemap may list",
                pages.len()
            ),
        ));
    }
    let mut w = Writer::new(out);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    newline(&mut w)?;
    w.create_element(tag("urlset"))
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .write_inner_content(|w| {
            newline(w)?;
            for page in &pages {
                w.create_element("url").write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(escaped(&format!("{base}{page}")))?;
                    Ok(())
                })?;
                newline(w)?;
            }
            Ok(())
        })?;
    newline(&mut w)
}
