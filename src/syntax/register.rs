//! The register grammar: a `*.register` file is TOML, one `[[person]]` or `[[place]]` table
//! per entry (docs/format.md, "Registers").
//!
//! The file is read with `toml`'s spanned document tree rather than into a serde struct, so
//! that every unknown key, wrong type and malformed identifier is reported at once, each at
//! its own line and column, instead of the first one only. An entry with an error is left
//! out; the rest of the file is used.

use std::borrow::Cow;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::encoding;
use crate::ast::{Authority, EntityKind, Entry, Position};
use crate::diagnostic::{Code, Diagnostic, Severity};

/// What parsing one register file gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedRegister {
    /// The entries read without an error, in file order.
    pub entries: Vec<Entry>,
    /// Errors, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedRegister {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error)
    }
}

/// The keys an entry may have, in the order docs/format.md lists them.
const KEYS: [&str; 9] = [
    "id", "name", "variants", "born", "died", "note", "wikidata", "viaf", "geonames",
];

/// Parses the bytes of one register file. Never panics and never fails: problems are
/// diagnostics, and every entry that can be read is returned.
///
/// ```
/// let parsed = daybook::syntax::parse_register(
///     b"[[person]]\nid = \"zhou-enlai\"\nname = \"Zhou Enlai\"\nvariants = [\"Zhou\"]\nwikidata = \"Q16977\"\n",
/// );
/// assert!(parsed.diagnostics.is_empty());
/// assert_eq!(parsed.entries[0].variants, ["Zhou"]);
/// ```
pub fn parse_register(bytes: &[u8]) -> ParsedRegister {
    let text = match encoding::decode(bytes) {
        Ok(text) => text,
        Err(diagnostic) => {
            return ParsedRegister {
                diagnostics: vec![diagnostic],
                ..ParsedRegister::default()
            };
        }
    };
    let mut reader = Reader {
        text,
        line_starts: std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect(),
        diagnostics: Vec::new(),
    };
    let (document, errors) = DeTable::parse_recoverable(text);
    for error in &errors {
        let at = error.span().map_or(0, |span| span.start);
        reader.error(
            Code::RegisterSyntax,
            at,
            format!("not valid TOML: {}", first_line(error.message())),
            "a TOML table `[[person]]` or `[[place]]` with `key = \"value\"` lines",
        );
    }
    let mut entries = Vec::new();
    if errors.is_empty() {
        for (key, value) in document.get_ref() {
            let kind = match key.get_ref().as_ref() {
                "person" => EntityKind::Person,
                "place" => EntityKind::Place,
                other => {
                    let diagnostic = reader
                        .diagnostic(
                            Code::UnknownRegisterKey,
                            key.span().start,
                            format!("`{other}` is not a kind of register entry"),
                        )
                        .expected("`[[person]]` or `[[place]]`");
                    reader.push(suggest(diagnostic, other, &["person", "place"]));
                    continue;
                }
            };
            match value.get_ref() {
                DeValue::Array(tables) => {
                    for table in tables.iter() {
                        entries.extend(reader.entry(kind, table));
                    }
                }
                _ => reader.error(
                    Code::RegisterSyntax,
                    key.span().start,
                    format!("`{}` must be an array of tables", kind.table()),
                    format!("`[[{}]]` (two brackets) before each entry", kind.table()),
                ),
            }
        }
    }
    reader.diagnostics.sort_by_key(|d| (d.line, d.column));
    ParsedRegister {
        entries,
        diagnostics: reader.diagnostics,
    }
}

struct Reader<'t> {
    text: &'t str,
    /// The byte offset of every line's start: every entry and key is given a position, so
    /// finding one must not scan the text from its start (a register of 2,000 entries would
    /// take a third of a second to read).
    line_starts: Vec<usize>,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    /// The 1-based line and column (in characters) of byte `offset`.
    fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |before| before.chars().count())
            + 1;
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }

    fn diagnostic(&self, code: Code, offset: usize, message: String) -> Diagnostic {
        let pos = self.position(offset);
        let source = self
            .text
            .lines()
            .nth(pos.line as usize - 1)
            .unwrap_or_default()
            .trim_end_matches('\r');
        Diagnostic::new(code, pos.line, pos.column, message).with_source_line(source)
    }

    fn error(&mut self, code: Code, offset: usize, message: String, expected: impl Into<String>) {
        let diagnostic = self.diagnostic(code, offset, message).expected(expected);
        self.push(diagnostic);
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// One `[[person]]` or `[[place]]` table as an entry; `None` when it has an error.
    fn entry(&mut self, kind: EntityKind, table: &Spanned<DeValue<'_>>) -> Option<Entry> {
        let start = table.span().start;
        let DeValue::Table(fields) = table.get_ref() else {
            self.error(
                Code::RegisterSyntax,
                start,
                format!("a `{}` entry must be a table", kind.table()),
                format!("`[[{}]]` followed by `key = value` lines", kind.table()),
            );
            return None;
        };
        let errors = self.diagnostics.len();
        let mut entry = Entry {
            kind,
            id: String::new(),
            name: String::new(),
            variants: Vec::new(),
            born: None,
            died: None,
            note: None,
            authorities: Vec::new(),
            pos: self.position(start),
        };
        for (key, value) in fields {
            let name = key.get_ref().as_ref();
            let at = key.span().start;
            match name {
                "id" => {
                    if let Some(id) = self.string(name, value) {
                        if is_id(&id) {
                            entry.id = id;
                        } else {
                            let diagnostic = self
                                .diagnostic(
                                    Code::InvalidRegisterValue,
                                    value.span().start,
                                    format!("`{id}` cannot be an id"),
                                )
                                .expected("lower-case letters, digits and hyphens, starting with a letter: `zhou-enlai`");
                            self.push(diagnostic.help(format!("write `id = \"{}\"`", slug(&id))));
                        }
                    }
                }
                "name" => entry.name = self.string(name, value).unwrap_or_default(),
                "variants" => entry.variants = self.strings(name, value),
                "born" | "died" => {
                    let date = self.date(name, value);
                    if name == "born" {
                        entry.born = date;
                    } else {
                        entry.died = date;
                    }
                }
                "note" => entry.note = self.string(name, value),
                _ => match Authority::ALL.into_iter().find(|a| a.key() == name) {
                    Some(authority) => {
                        if let Some(id) = self.authority(authority, value) {
                            entry.authorities.push((authority, id));
                        }
                    }
                    None => {
                        let diagnostic = self
                            .diagnostic(
                                Code::UnknownRegisterKey,
                                at,
                                format!("`{name}` is not a key of a register entry"),
                            )
                            .expected(format!(
                                "one of {}",
                                KEYS.map(|k| format!("`{k}`")).join(", ")
                            ));
                        self.push(suggest(diagnostic, name, &KEYS));
                    }
                },
            }
            if kind == EntityKind::Place && matches!(name, "born" | "died") {
                self.error(
                    Code::UnknownRegisterKey,
                    at,
                    format!("a place has no `{name}` date"),
                    "`born` and `died` in `[[person]]` entries only",
                );
            }
        }
        // A key given with a bad value has been reported already.
        let clean = self.diagnostics.len() == errors;
        for (key, missing) in [("id", entry.id.is_empty()), ("name", entry.name.is_empty())] {
            if missing && clean {
                self.error(
                    Code::RegisterSyntax,
                    start,
                    format!("this `{}` entry has no `{key}`", kind.table()),
                    format!("a line `{key} = \"…\"` in every entry"),
                );
            }
        }
        entry.authorities.sort();
        (self.diagnostics.len() == errors).then_some(entry)
    }

    fn string(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<String> {
        match value.get_ref() {
            DeValue::String(text) => {
                let text = crate::text::clean(text.trim()).into_owned();
                if text.is_empty() {
                    self.error(
                        Code::InvalidRegisterValue,
                        value.span().start,
                        format!("`{key}` is empty"),
                        format!("some text in `{key}`, or no `{key}` line"),
                    );
                    return None;
                }
                Some(text)
            }
            other => {
                self.error(
                    Code::RegisterSyntax,
                    value.span().start,
                    format!("`{key}` must be a string, not {}", type_name(other)),
                    format!("`{key} = \"…\"`"),
                );
                None
            }
        }
    }

    fn strings(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Vec<String> {
        match value.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| self.string(key, item))
                .collect(),
            DeValue::String(_) => self.string(key, value).into_iter().collect(),
            other => {
                self.error(
                    Code::RegisterSyntax,
                    value.span().start,
                    format!(
                        "`{key}` must be a list of strings, not {}",
                        type_name(other)
                    ),
                    format!("`{key} = [\"…\", \"…\"]`"),
                );
                Vec::new()
            }
        }
    }

    /// A date as TEI's `@when` takes it: a TOML date, or a string `YYYY`, `YYYY-MM` or
    /// `YYYY-MM-DD`.
    fn date(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<String> {
        let text = match value.get_ref() {
            DeValue::Datetime(datetime) if datetime.time.is_none() => datetime.to_string(),
            DeValue::String(text) => text.trim().to_owned(),
            _ => String::new(),
        };
        if is_date(&text) {
            return Some(text);
        }
        self.error(
            Code::InvalidRegisterValue,
            value.span().start,
            format!("`{key}` is not a date daybook can read"),
            "`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as in `born = \"1898-03-05\"`",
        );
        None
    }

    fn authority(&mut self, authority: Authority, value: &Spanned<DeValue<'_>>) -> Option<String> {
        let id = match value.get_ref() {
            DeValue::Integer(number) => number.as_str().to_owned(),
            _ => self.string(authority.key(), value)?,
        };
        let (valid, expected) = match authority {
            Authority::Wikidata => (
                id.strip_prefix('Q').is_some_and(is_number),
                "`Q` and digits, as in `wikidata = \"Q16977\"`",
            ),
            Authority::Viaf | Authority::Geonames => (is_number(&id), "digits only"),
        };
        if valid {
            return Some(id);
        }
        let diagnostic = self
            .diagnostic(
                Code::InvalidRegisterValue,
                value.span().start,
                format!("`{id}` is not a {} identifier", authority.key()),
            )
            .expected(expected);
        let trailing = id.rsplit('/').next().unwrap_or_default();
        let help = (authority == Authority::Wikidata
            && trailing.strip_prefix('Q').is_some_and(is_number))
        .then(|| format!("write the identifier alone: `{trailing}`"));
        self.push(match help {
            Some(help) => diagnostic.help(help),
            None => diagnostic,
        });
        None
    }
}

/// `diagnostic` with a "did you mean" help when `typed` is one edit from one of `known`.
fn suggest(diagnostic: Diagnostic, typed: &str, known: &[&str]) -> Diagnostic {
    let close: Vec<&&str> = known
        .iter()
        .filter(|k| strsim::damerau_levenshtein(typed, k) <= 2)
        .collect();
    match close.as_slice() {
        [one] => diagnostic.help(format!("did you mean `{one}`?")),
        _ => diagnostic,
    }
}

fn first_line(message: &str) -> Cow<'_, str> {
    Cow::Borrowed(message.lines().next().unwrap_or_default().trim())
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `id` is usable in an `xml:id` after its prefix and readable in a URL.
fn is_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `id` made into one, for the help: `Zhou Enlai` → `zhou-enlai`.
fn slug(id: &str) -> String {
    let words: Vec<String> = id
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let slug = words.join("-");
    if slug.starts_with(|c: char| c.is_ascii_lowercase()) {
        slug
    } else {
        format!("x-{slug}")
    }
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |part: &str, n: usize| part.len() == n && is_number(part);
    match parts.as_slice() {
        [year] => digits(year, 4),
        [year, month] => {
            digits(year, 4)
                && digits(month, 2)
                && (1..=12).contains(&month.parse::<u32>().unwrap_or(0))
        }
        [_, _, _] => {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() && digits(parts[0], 4)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(Code, u32, u32)> {
        parse_register(text.as_bytes())
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line, d.column))
            .collect()
    }

    #[test]
    fn every_key_of_an_entry_is_read() {
        let parsed = parse_register(
            "[[person]]\r\nid = \"zhou-enlai\"\r\nname = \"Zhou Enlai\"\r\nvariants = [\"Zhou\", \"周恩来\"]\r\nborn = 1898-03-05\r\ndied = \"1976\"\r\nnote = \"Premier.\"\r\nwikidata = \"Q16977\"\r\nviaf = 12345\r\n"
                .as_bytes(),
        );
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let entry = &parsed.entries[0];
        assert_eq!(entry.born.as_deref(), Some("1898-03-05"));
        assert_eq!(entry.died.as_deref(), Some("1976"));
        assert_eq!(
            entry.authorities,
            [
                (Authority::Wikidata, "Q16977".to_owned()),
                (Authority::Viaf, "12345".to_owned())
            ]
        );
        assert_eq!(entry.pos, Position::new(1, 1));
    }

    #[test]
    fn an_unknown_key_is_reported_at_the_key_with_a_suggestion_and_its_entry_left_out() {
        let text = "[[place]]\nid = \"port-arthur\"\nname = \"Port Arthur\"\nwikdata = \"Q1\"\n";
        let parsed = parse_register(text.as_bytes());
        assert!(parsed.entries.is_empty());
        let d = &parsed.diagnostics[0];
        assert_eq!((d.code, d.line, d.column), (Code::UnknownRegisterKey, 4, 1));
        assert_eq!(d.help.as_deref(), Some("did you mean `wikidata`?"));
    }

    #[test]
    fn every_error_of_a_file_is_reported_not_only_the_first() {
        let text = "[[person]]\nid = \"Zhou Enlai\"\nname = 5\nwikidata = \"16977\"\n[[persons]]\n";
        assert_eq!(
            codes(text),
            [
                (Code::InvalidRegisterValue, 2, 6),
                (Code::RegisterSyntax, 3, 8),
                (Code::InvalidRegisterValue, 4, 12),
                (Code::UnknownRegisterKey, 5, 3),
            ]
        );
    }

    #[test]
    fn broken_toml_is_one_error_at_the_end_of_the_unclosed_string() {
        assert_eq!(
            codes("[[person]]\nid = \"a\nname = \"A\"\n"),
            [(Code::RegisterSyntax, 2, 8)]
        );
    }

    #[test]
    fn dates_are_years_months_or_days() {
        for good in ["1898", "1898-03", "1898-03-05"] {
            assert!(is_date(good), "{good}");
        }
        for bad in ["98", "1898-13", "1898-02-30", "March 1898", ""] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
