//! Search without a server: an index per year (`search/1950.js`) written from the days' ASTs
//! with `elasticlunr-rs`, the search page, and the script that queries the index there and
//! marks the words searched for on a day page.
//!
//! A year's index is all a search loads: a reader's browser never fetches the whole
//! collection, and a changed day rewrites only its year's index. The index is wrapped in a
//! call, `daybookShard({...});`, and loaded as a script rather than fetched as JSON, so that
//! the search works from `file://` as well as from any web server.

use std::collections::BTreeMap;
use std::io;

use chrono::Datelike;
use elasticlunr::{IndexBuilder, Language, Pipeline};
use serde::Serialize;
use serde_json::{Map, Value};

use super::day_title;
use super::page::{Shell, escaped, newline, text, write_page};
use crate::ast::{Block, Day, Inline, ParagraphPart};
use crate::edition::{Context, Metadata, SourcedDay};

/// The script of the search page and of day pages; it runs only in the reader's browser.
pub const SCRIPT: &str = include_str!("../../../assets/search.js");

/// The address of a year's index, relative to the site's root.
pub fn shard_href(year: i32) -> String {
    format!("search/{year}.js")
}

/// The index's one field: the words of a day.
const FIELD: &str = "text";

/// How the index cuts text into words, and the script cuts a query: runs of letters and
/// digits, lower-cased (`[\p{Alphabetic}\p{N}]+` in the script). No stop words and no
/// stemmer: both are per language, the notes may be in any, and the script would need the
/// same stemmer; the script matches a query word as a prefix instead, so `walk` finds
/// `walked`.
struct Words;

impl Language for Words {
    fn name(&self) -> String {
        "Words".to_owned()
    }

    fn code(&self) -> String {
        "words".to_owned()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect()
    }

    fn make_pipeline(&self) -> Pipeline {
        Pipeline { queue: Vec::new() }
    }
}

/// A year's index as the script reads it: each day's date and title by the day's number in
/// the year (its document in the index), and the tree of the year's words.
#[derive(Serialize)]
struct Shard {
    days: BTreeMap<u32, (String, String)>,
    words: Value,
}

/// Writes the index of `days` (one year's) as `daybookShard({...});`.
///
/// elasticlunr-rs cuts the words, counts them and builds elasticlunr's tree of words, a
/// character per level. Its JSON form spends most of a year's bytes on what the script does
/// not read, so the tree is written compact: documents are the days' numbers in the year
/// (`22`, not `1950-01-22`), a node holds `docs` only when a word ends there, term
/// frequencies are bare numbers to three places, and document frequencies (the script
/// counts the days it collects) are left out. A generated year is about 0.7 MB so, against
/// 2.2 MB as elasticlunr writes it.
pub fn write_search_shard(days: &[SourcedDay], ctx: &Context, out: &mut Vec<u8>) -> io::Result<()> {
    let mut index = IndexBuilder::with_language(Box::new(Words))
        .save_docs(false)
        .add_field(FIELD)
        .build();
    let mut shard = Shard {
        days: BTreeMap::new(),
        words: Value::Null,
    };
    for sourced in days {
        let date = sourced.day.date();
        let mut words = String::new();
        day_words(&sourced.day, ctx.metadata, &mut words);
        index.add_doc(&date.ordinal().to_string(), [words]);
        shard
            .days
            .insert(date.ordinal(), (date.to_string(), day_title(date)));
    }
    let mut tree = serde_json::to_value(&index)?;
    shard.words = compact(tree["index"][FIELD]["root"].take());
    out.extend_from_slice(b"daybookShard(");
    serde_json::to_writer(&mut *out, &shard)?;
    out.extend_from_slice(b");\n");
    Ok(())
}

/// A node of elasticlunr's tree of words (`{"docs": {"22": {"tf": 1.0}}, "df": 1, "a":
/// {...}}`) as the script reads it: `{"docs": {"22": 1}, "a": {...}}`.
fn compact(node: Value) -> Value {
    let Value::Object(node) = node else {
        return node;
    };
    let mut compacted = Map::new();
    for (key, value) in node {
        match key.as_str() {
            "df" => {}
            "docs" => {
                let Value::Object(docs) = value else { continue };
                if docs.is_empty() {
                    continue;
                }
                let docs = docs
                    .into_iter()
                    .map(|(day, posting)| {
                        let tf = posting["tf"].as_f64().unwrap_or(1.0);
                        (day, term_frequency(tf))
                    })
                    .collect();
                compacted.insert(key, Value::Object(docs));
            }
            _ => {
                compacted.insert(key, compact(value));
            }
        }
    }
    Value::Object(compacted)
}

/// A term frequency to three places, a whole one without a decimal point: it only ranks.
fn term_frequency(tf: f64) -> Value {
    let rounded = (tf * 1000.0).round() / 1000.0;
    if rounded.fract() == 0.0 {
        Value::from(rounded as u64)
    } else {
        Value::from(rounded)
    }
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
        w.create_element("form")
            .with_attributes([
                ("id", "search-form"),
                ("class", "search"),
                ("role", "search"),
                ("action", "search.html"),
                ("method", "get"),
            ])
            .write_inner_content(|w| {
                newline(w)?;
                w.create_element("label")
                    .with_attribute(("for", "search-words"))
                    .write_text_content(escaped("Words"))?;
                newline(w)?;
                w.create_element("input")
                    .with_attributes([
                        ("type", "search"),
                        ("id", "search-words"),
                        ("name", "q"),
                        ("required", "required"),
                    ])
                    .write_empty()?;
                newline(w)?;
                w.create_element("label")
                    .with_attribute(("for", "search-year"))
                    .write_text_content(escaped("in the year"))?;
                newline(w)?;
                w.create_element("select")
                    .with_attributes([("id", "search-year"), ("name", "year")])
                    .write_inner_content(|w| {
                        for year in &years {
                            let year = year.to_string();
                            w.create_element("option")
                                .with_attribute(("value", year.as_str()))
                                .write_text_content(escaped(&year))?;
                        }
                        Ok(())
                    })?;
                newline(w)?;
                w.create_element("button")
                    .with_attribute(("type", "submit"))
                    .write_text_content(escaped("Search"))?;
                newline(w)
            })?;
        newline(w)?;
        w.create_element("p")
            .with_attributes([("id", "search-status"), ("role", "status")])
            .write_inner_content(|w| {
                text(
                    w,
                    "Searching needs JavaScript; each year's days are listed on its page.",
                )
            })?;
        newline(w)?;
        w.create_element("ol")
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
    fn a_shard_indexes_each_day_by_its_number_in_the_year_under_its_lowercased_words() {
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
        let talks = &words["t"]["a"]["l"]["k"]["s"];
        // Twice on the 22nd: elasticlunr's term frequency is the square root of the count.
        assert_eq!(
            talks["docs"],
            serde_json::json!({"22": 1.414, "23": 1}),
            "{json}"
        );
        assert_eq!(words["t"]["a"].get("docs"), None, "{json}");
        assert_eq!(
            words["m"]["o"]["s"]["k"]["v"]["a"]["docs"],
            serde_json::json!({"22": 1})
        );
        assert_eq!(
            words["ü"]["b"]["e"]["r"]["docs"],
            serde_json::json!({"23": 1})
        );
    }
}
