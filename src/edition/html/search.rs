//! Search without a server: an index per year (`search/1950.js`) written from the days' ASTs,
//! the search page, and the script that queries the index there and marks the words
//! searched for on a day page.
//!
//! A year's index is all a search loads: a reader's browser never fetches the whole
//! collection, and a changed day rewrites only its year's index. The index is wrapped in a
//! call, `daybookShard({...});`, and loaded as a script rather than fetched as JSON, so that
//! the search works from `file://` as well as from any web server.
//!
//! The index is the year's words, each with the days holding it and how often, written by
//! serde_json. elasticlunr-rs (mdBook's index builder) was measured first and left out: its
//! tree of words and its serialisation were two thirds of the html edition's time, which
//! then cost half a full build of a generated year (the target is at most 30%), and its
//! JSON was 2.2 MB a year (the budget is 1 MB) before being rewritten compact.

use std::collections::BTreeMap;
use std::io;

use chrono::Datelike;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::day_title;
use super::page::{Shell, escaped, newline, text, write_page};
use crate::ast::{Block, Day, Inline, ParagraphPart};
use crate::edition::{Context, Metadata, SourcedDay, tag};

/// The script of the search page and of day pages; it runs only in the reader's browser.
pub const SCRIPT: &str = include_str!("../../../assets/search.js");

/// The address of a year's index, relative to the site's root.
pub fn shard_href(year: i32) -> String {
    format!("search/{year}.js")
}

/// A year's index as the script reads it: each day's date and title by the day's number in
/// the year (`22`: shorter than `1950-01-22` in each of the year's ~70,000 postings), and
/// each word with the days holding it, by number, and how many times.
#[derive(Serialize)]
struct Shard<'a> {
    days: BTreeMap<u32, (String, String)>,
    words: BTreeMap<&'a str, &'a Postings>,
}

/// A word's days, by number, with how many times each has it, in day order: serialised as
/// the map `{"22": 2, "23": 1}`.
#[derive(Default)]
struct Postings(Vec<(u32, u32)>);

impl Postings {
    /// One more time on day `number`; days come in order, so it is the last one or a new one.
    fn count(&mut self, number: u32) {
        match self.0.last_mut() {
            Some((day, times)) if *day == number => *times += 1,
            _ => self.0.push((number, 1)),
        }
    }
}

impl Serialize for Postings {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(day, times)| (day, times)))
    }
}

/// Writes the index of `days` (one year's) as `daybookShard({"days": {...}, "words":
/// {...}});`.
///
/// Words are runs of letters and digits, lower-cased (the script cuts a query with
/// `[\p{Alphabetic}\p{N}]+`, the same set). No stop words and no stemmer: both are per
/// language, the notes may be in any, and the script would need the same stemmer; the
/// script matches a query word as a prefix instead, so `walk` finds `walked`.
pub fn write_search_shard(days: &[SourcedDay], ctx: &Context, out: &mut Vec<u8>) -> io::Result<()> {
    let mut titles = BTreeMap::new();
    // Counted in a hash map, sorted once at the end: a year has ~250,000 words to count.
    let mut counts: FxHashMap<String, Postings> = FxHashMap::default();
    let mut text = String::new();
    let mut word = String::new();
    for sourced in days {
        let date = sourced.day.date();
        let number = date.ordinal();
        text.clear();
        day_words(&sourced.day, ctx.metadata, &mut text);
        for (run, ascii) in runs(&text) {
            word.clear();
            if ascii {
                word.push_str(run);
                word.make_ascii_lowercase();
            } else {
                // The whole run, as the script's toLowerCase does it: a final Σ becomes ς.
                word.push_str(&run.to_lowercase());
            }
            // Looked up before it is owned: most words of a day are already counted.
            match counts.get_mut(word.as_str()) {
                Some(postings) => postings.count(number),
                None => counts.entry(word.clone()).or_default().count(number),
            }
        }
        titles.insert(number, (date.to_string(), day_title(date)));
    }
    let shard = Shard {
        days: titles,
        words: counts
            .iter()
            .map(|(word, postings)| (word.as_str(), postings))
            .collect(),
    };
    out.extend_from_slice(b"daybookShard(");
    serde_json::to_writer(&mut *out, &shard)?;
    out.extend_from_slice(b");\n");
    Ok(())
}

/// The runs of letters and digits of `text`, each with whether it is ASCII. A byte that is
/// ASCII is a character of its own and is looked at as a byte: only the other characters are
/// decoded, which a year's ~1.5 million characters would otherwise all be.
fn runs(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            at += bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii() && !b.is_ascii_alphanumeric())
                .count();
            let c = text[at..].chars().next()?;
            if c.is_alphanumeric() {
                break;
            }
            at += c.len_utf8();
        }
        let start = at;
        let mut ascii = true;
        loop {
            at += bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            match text[at..].chars().next() {
                Some(c) if !c.is_ascii() && c.is_alphanumeric() => {
                    ascii = false;
                    at += c.len_utf8();
                }
                _ => break,
            }
        }
        Some((&text[start..at], ascii))
    })
}

/// The words a day's page shows of it, each block's on a line of its own: its prose and
/// lists, names, media kinds, correspondents and subjects, and labels. Citation numbers,
/// cross-references and the heading are left out: they are the same few words on every day.
fn day_words(day: &Day, metadata: &Metadata, out: &mut String) {
    for block in day.sections.iter().flat_map(|s| &s.blocks) {
        match block {
            Block::Paragraph(paragraph) => {
                for part in &paragraph.parts {
                    match part {
                        ParagraphPart::Inlines(inlines) => inline_words(inlines, out),
                        ParagraphPart::List(list) => {
                            list.items
                                .iter()
                                .for_each(|item| inline_words(&item.content, out));
                        }
                    }
                }
            }
            Block::List(list) => list
                .items
                .iter()
                .for_each(|item| inline_words(&item.content, out)),
            Block::Media(media) => {
                for code in &media.codes {
                    out.push_str(metadata.media_label(&code.kind).unwrap_or_default());
                    out.push(' ');
                    out.push_str(&code.kind);
                    out.push('\n');
                }
            }
            Block::Correspondence(c) => {
                for words in [&c.sender, &c.recipient, &c.subject] {
                    out.push_str(words);
                    out.push('\n');
                }
            }
            Block::Label(label) => out.push_str(&label.text),
        }
        out.push('\n');
    }
}

fn inline_words(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::Name(name) => out.push_str(&name.text),
            Inline::Quote { content, .. } => {
                out.push(' ');
                inline_words(content, out);
                out.push(' ');
            }
            Inline::Citation(_) | Inline::CrossRef(_) => out.push(' '),
        }
    }
}

/// The search page: a form asking for words and a year, and the list the script fills with
/// the days of that year that hold them. Without a script the form still says what it would
/// search, and the page says that searching needs one.
pub(super) fn write_search_page(ctx: &Context, out: &mut Vec<u8>) -> io::Result<()> {
    let mut years: Vec<i32> = ctx.days.iter().map(Datelike::year).collect();
    years.dedup();
    let shell = Shell {
        language: &ctx.metadata.language,
        title: &format!("Search \u{2013} {}", ctx.metadata.title),
        root: "",
        trail: &[],
        alternates: &[],
        script: true,
    };
    write_page(out, &shell, |w| {
        w.create_element("h1")
            .write_text_content(escaped("Search"))?;
        newline(w)?;
        w.create_element(tag("form"))
            .with_attributes([
                ("id", "search-form"),
                ("class", "search"),
                ("role", "search"),
                ("action", "search.html"),
                ("method", "get"),
            ])
            .write_inner_content(|w| {
                newline(w)?;
                w.create_element(tag("label"))
                    .with_attribute(("for", "search-words"))
                    .write_text_content(escaped("Words"))?;
                newline(w)?;
                w.create_element(tag("input"))
                    .with_attributes([
                        ("type", "search"),
                        ("id", "search-words"),
                        ("name", "q"),
                        ("required", "required"),
                    ])
                    .write_empty()?;
                newline(w)?;
                w.create_element(tag("label"))
                    .with_attribute(("for", "search-year"))
                    .write_text_content(escaped("in the year"))?;
                newline(w)?;
                w.create_element(tag("select"))
                    .with_attributes([("id", "search-year"), ("name", "year")])
                    .write_inner_content(|w| {
                        for year in &years {
                            let year = year.to_string();
                            w.create_element(tag("option"))
                                .with_attribute(("value", year.as_str()))
                                .write_text_content(escaped(&year))?;
                        }
                        Ok(())
                    })?;
                newline(w)?;
                w.create_element(tag("button"))
                    .with_attribute(("type", "submit"))
                    .write_text_content(escaped("Search"))?;
                newline(w)
            })?;
        newline(w)?;
        w.create_element(tag("p"))
            .with_attributes([("id", "search-status"), ("role", "status")])
            .write_inner_content(|w| {
                text(
                    w,
                    "Searching needs JavaScript; each year's days are listed on its page.",
                )
            })?;
        newline(w)?;
        w.create_element(tag("ol"))
            .with_attributes([("id", "search-results"), ("class", "results")])
            .write_inner_content(|_| Ok(()))?;
        newline(w)
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::NaiveDate;

    use super::*;
    use crate::ast::{EntityKind, Heading, Name, Paragraph, Position, Section};
    use crate::edition::{NO_NOTES, NO_REGISTER};

    fn day(date: NaiveDate, inlines: Vec<Inline>) -> SourcedDay {
        SourcedDay {
            day: Day {
                heading: Heading {
                    date,
                    weekday: None,
                    pos: Position::default(),
                },
                sections: vec![Section {
                    blocks: vec![Block::Paragraph(Paragraph {
                        parts: vec![ParagraphPart::Inlines(inlines)],
                        pos: Position::default(),
                    })],
                    pos: Position::default(),
                }],
                closing: None,
            },
            source: "1950-01.txt".to_owned(),
        }
    }

    fn words(text: &str) -> Inline {
        Inline::Text {
            text: text.to_owned(),
            pos: Position::default(),
        }
    }

    #[test]
    fn runs_are_letters_and_digits_of_any_script_split_at_everything_else() {
        assert_eq!(
            runs("Zhou\u{2014}met \u{201C}ÉLAN,\u{201D} 1950s: Σίσυφος!").collect::<Vec<_>>(),
            [
                ("Zhou", true),
                ("met", true),
                ("ÉLAN", false),
                ("1950s", true),
                ("Σίσυφος", false)
            ]
        );
        assert_eq!(runs(" \u{2014} ").count(), 0);
    }

    #[test]
    fn a_shard_counts_each_lowercased_word_of_each_day_by_the_days_number_in_the_year() {
        let first = NaiveDate::from_ymd_opt(1950, 1, 22).unwrap();
        let second = NaiveDate::from_ymd_opt(1950, 1, 23).unwrap();
        let days = [
            day(
                first,
                vec![
                    words("Talks in "),
                    Inline::Name(Name {
                        text: "Moskva".to_owned(),
                        kind: EntityKind::Place,
                        id: "moscow".to_owned(),
                        pos: Position::default(),
                    }),
                    words(", talks."),
                ],
            ),
            day(second, vec![words("Über-talks")]),
        ];
        let dates: BTreeSet<NaiveDate> = [first, second].into();
        let metadata = Metadata::default();
        let ctx = Context {
            days: &dates,
            metadata: &metadata,
            notes: &NO_NOTES,
            register: &NO_REGISTER,
        };
        let mut out = Vec::new();
        write_search_shard(&days, &ctx, &mut out).unwrap();
        let script = String::from_utf8(out).unwrap();
        let json = script
            .strip_prefix("daybookShard(")
            .and_then(|s| s.strip_suffix(");\n"))
            .unwrap();
        let shard: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            shard["days"]["22"],
            serde_json::json!(["1950-01-22", "January 22, 1950 (Sunday)"]),
            "{json}"
        );
        let words = &shard["words"];
        assert_eq!(
            words["talks"],
            serde_json::json!({"22": 2, "23": 1}),
            "{json}"
        );
        assert_eq!(words["moskva"], serde_json::json!({"22": 1}), "{json}");
        assert_eq!(words["über"], serde_json::json!({"23": 1}), "{json}");
        assert_eq!(
            words.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["in", "moskva", "talks", "über"],
            "{json}"
        );
    }
}
