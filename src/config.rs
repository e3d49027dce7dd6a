//! The project configuration, `daybook.toml`: every key optional, every default documented
//! in `docs/configuration.md`, unknown keys and wrong types refused with their line.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::edition::{LICENCES, Licence, Metadata};
use crate::text::is_forbidden;

/// The configuration file daybook looks for in the working folder.
pub const FILE_NAME: &str = "daybook.toml";

/// How the EPUB edition divides the collection into books.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// One book per year, `epub/1950.epub`.
    #[default]
    Year,
    /// One book per month, `epub/1950-01.epub`.
    Month,
    /// One book for the whole collection, `epub/collection.epub`.
    Collection,
}

/// Everything `daybook.toml` can say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The collection's title.
    pub title: String,
    /// The collection's subtitle: under the title of a book or corpus of the whole
    /// collection, and in each day's series statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// The subtitles of single volumes, keyed by the volume's name (`"1950"`,
    /// `"January 1950"`).
    pub volume_subtitles: BTreeMap<String, String>,
    /// The editors of the edition.
    pub editors: Vec<String>,
    /// Who publishes the edition.
    pub publisher: String,
    /// The BCP 47 language of the notes.
    pub language: String,
    /// The SPDX id of the licence the edition is under (`CC-BY-4.0`); unset, the editions
    /// say that no licence was stated, and `build` warns (DB0060).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// The base of the edition's identifiers: book identifiers are UUID v5 in its namespace.
    pub identifier_base: String,
    /// Subject headings for the books' metadata.
    pub subjects: Vec<String>,
    /// How the EPUB edition divides the collection into books.
    pub book: Grouping,
    /// The column the text edition wraps paragraphs at.
    pub wrap_width: usize,
    /// Human labels of media kind codes, `pic = "Photograph"`.
    pub media_kinds: BTreeMap<String, String>,
    /// The known label lines; when given, exactly these lines are labels and the shape rule
    /// of `docs/format.md` is off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
    /// Who evaluated the books' accessibility; only then do they claim conformance to EPUB
    /// Accessibility 1.1 (`dcterms:conformsTo`).
    #[serde(rename = "a11y:certifiedBy", skip_serializing_if = "Option::is_none")]
    pub accessibility_certified_by: Option<String>,
    /// Whether a correspondence sender or recipient that the register does not hold is a
    /// warning (DB0085); off, since many correspondents are never registered.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub warn_unregistered_correspondents: bool,
    /// The address the web edition is published at (`https://example.org/korea/`): the
    /// sitemap's addresses are absolute (sitemaps.org requires it), so without it the site
    /// has no `sitemap.xml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        let metadata = Metadata::default();
        Self {
            title: metadata.title,
            subtitle: metadata.subtitle,
            volume_subtitles: metadata.volume_subtitles,
            editors: metadata.editors,
            publisher: metadata.publisher,
            language: metadata.language,
            licence: None,
            identifier_base: metadata.identifier_base,
            subjects: metadata.subjects,
            book: Grouping::default(),
            wrap_width: crate::edition::text::WIDTH,
            media_kinds: metadata.media_kinds,
            labels: None,
            accessibility_certified_by: metadata.accessibility_certified_by,
            warn_unregistered_correspondents: false,
            site_url: None,
        }
    }
}

/// Why a configuration file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {file}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a key is unknown or has the wrong type.
    #[error("{file}:{line}:{column}: error: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// 1-based line of the offending key or value.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, naming the key and the expected type.
        message: String,
    },
    /// A value has the right type but cannot be used.
    #[error("{file}: error: {message}")]
    Value {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// Reads `path`.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let file = crate::text::shown_path(path);
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            file: file.clone(),
            source,
        })?;
        Self::parse(&text, &file)
    }

    /// Parses the text of a configuration file named `file`.
    pub fn parse(text: &str, file: &str) -> Result<Self, ConfigError> {
        let config: Self = toml::from_str(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            let before = &text[..offset.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let key = text
                .lines()
                .nth(line - 1)
                .and_then(|l| l.split_once('='))
                .map(|(k, _)| k.trim());
            let message = error.message().trim().to_owned();
            let message = match key {
                Some(key) if !message.contains(&format!("`{key}`")) => {
                    format!("key `{key}`: {message}")
                }
                _ => message,
            };
            ConfigError::Invalid {
                file: file.to_owned(),
                line,
                column,
                message,
            }
        })?;
        if let Some((key, c)) = config.forbidden_character() {
            let (line, column) = position_of(text, c, &key);
            let what = if c == '\u{FFFE}' || c == '\u{FFFF}' {
                "noncharacter"
            } else {
                "control character"
            };
            return Err(ConfigError::Invalid {
                file: file.to_owned(),
                line,
                column,
                message: format!(
                    "key `{key}`: {what} U+{:04X} cannot be carried by the editions; expected printable text (delete it, or write what it stood for)",
                    c as u32
                ),
            });
        }
        if config.title.trim().is_empty() {
            return Err(ConfigError::Value {
                file: file.to_owned(),
                message: "key `title`: the title is empty; expected the collection's title"
                    .to_owned(),
            });
        }
        if !is_language_tag(&config.language) {
            return Err(ConfigError::Value {
                file: file.to_owned(),
                message: format!(
                    "key `language`: `{}` is not a BCP 47 language tag; expected one such as `en`, `en-GB` or `zh-Hant`",
                    config.language
                ),
            });
        }
        if let Some(licence) = config
            .licence
            .as_deref()
            .filter(|licence| Licence::from_spdx(licence).is_none())
        {
            let known: Vec<&str> = LICENCES.iter().map(|(id, _, _)| *id).collect();
            return Err(ConfigError::Value {
                file: file.to_owned(),
                message: format!(
                    "key `licence`: `{licence}` is not an SPDX licence id daybook knows; expected one of {}",
                    known.join(", ")
                ),
            });
        }
        if let Some(site_url) = config.site_url.as_deref().filter(|url| !is_site_url(url)) {
            return Err(ConfigError::Value {
                file: file.to_owned(),
                message: format!(
                    "key `site_url`: `{site_url}` is not an absolute http or https address without query or fragment; expected one such as `https://example.org/korea-1950/`"
                ),
            });
        }
        if config.wrap_width < crate::edition::text::MIN_WIDTH {
            return Err(ConfigError::Value {
                file: file.to_owned(),
                message: format!(
                    "key `wrap_width`: {} is too narrow; expected at least {}",
                    config.wrap_width,
                    crate::edition::text::MIN_WIDTH
                ),
            });
        }
        Ok(config)
    }

    /// What the configuration leaves unsaid that a repository needs, as `(code, message)`:
    /// `build` prints these as warnings.
    pub fn warnings(&self) -> Vec<(&'static str, String)> {
        let mut warnings = Vec::new();
        if self.licence.is_none() {
            warnings.push((
                "DB0060",
                "no licence stated: the editions say so and claim none; set `licence` to an SPDX id such as `CC-BY-4.0`".to_owned(),
            ));
        }
        if self.editors.iter().all(|editor| editor.trim().is_empty()) {
            warnings.push((
                "DB0061",
                format!(
                    "no editor named: the publisher, `{}`, is credited as responsible for the edition; set `editors`",
                    self.publisher
                ),
            ));
        }
        warnings
    }

    /// The first key whose value holds a character no edition can carry, and that character.
    /// Every string of the configuration reaches the editions (titles, names, labels) or
    /// the terminal, so each is checked with the predicate the grammar uses for notes.
    fn forbidden_character(&self) -> Option<(String, char)> {
        let single = [
            ("title", Some(&self.title)),
            ("subtitle", self.subtitle.as_ref()),
            ("publisher", Some(&self.publisher)),
            ("language", Some(&self.language)),
            ("licence", self.licence.as_ref()),
            ("identifier_base", Some(&self.identifier_base)),
            ("a11y:certifiedBy", self.accessibility_certified_by.as_ref()),
            ("site_url", self.site_url.as_ref()),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((key.to_owned(), value?.as_str())));
        let lists = [
            ("editors", Some(&self.editors)),
            ("subjects", Some(&self.subjects)),
            ("labels", self.labels.as_ref()),
        ]
        .into_iter()
        .flat_map(|(key, values)| {
            values
                .into_iter()
                .flatten()
                .map(move |v| (key.to_owned(), v.as_str()))
        });
        let tables = [
            ("media_kinds", &self.media_kinds),
            ("volume_subtitles", &self.volume_subtitles),
        ]
        .into_iter()
        .flat_map(|(table, entries)| {
            entries.iter().flat_map(move |(key, value)| {
                [
                    (table.to_owned(), key.as_str()),
                    (format!("{table}.{key}"), value.as_str()),
                ]
            })
        });
        single
            .chain(lists)
            .chain(tables)
            .find_map(|(key, value)| Some((key, value.chars().find(|&c| is_forbidden(c))?)))
    }

    /// The configuration as TOML, every key written out (`daybook config --show`).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// What the configuration changes in how notes are read.
    pub fn syntax_options(&self) -> crate::syntax::Options {
        crate::syntax::Options {
            labels: self.labels.clone(),
        }
    }

    /// The metadata the editions are written with.
    pub fn metadata(&self, build_time: Option<DateTime<Utc>>) -> Metadata {
        Metadata {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            volume_subtitles: self.volume_subtitles.clone(),
            editors: self.editors.clone(),
            publisher: self.publisher.clone(),
            language: self.language.clone(),
            licence: self.licence.as_deref().and_then(Licence::from_spdx),
            identifier_base: self.identifier_base.clone(),
            subjects: self.subjects.clone(),
            media_kinds: self.media_kinds.clone(),
            accessibility_certified_by: self.accessibility_certified_by.clone(),
            site_url: self.site_url.as_ref().map(|url| {
                if url.ends_with('/') {
                    url.clone()
                } else {
                    format!("{url}/")
                }
            }),
            build_time,
        }
    }
}

/// Where `c` stands in the TOML `text`, 1-based: written as itself (TOML allows C1
/// controls and noncharacters raw) or as a `\u`/`\U` escape; else the line of `key`.
fn position_of(text: &str, c: char, key: &str) -> (usize, usize) {
    let escapes = [
        format!("\\u{:04x}", c as u32),
        format!("\\U{:08x}", c as u32),
    ];
    let found = text.lines().enumerate().find_map(|(index, line)| {
        let lower = line.to_ascii_lowercase();
        let at = line.find(c).or_else(|| {
            escapes
                .iter()
                .find_map(|e| lower.find(&e.to_ascii_lowercase()))
        })?;
        Some((index + 1, line[..at].chars().count() + 1))
    });
    let key = key.split('.').next_back().unwrap_or(key);
    found
        .or_else(|| {
            text.lines()
                .position(|l| l.trim_start().starts_with(key))
                .map(|i| (i + 1, 1))
        })
        .unwrap_or((1, 1))
}

/// Whether `tag` has the shape of a BCP 47 language tag (`en`, `en-GB`, `zh-Hant-TW`): the
/// TEI's `xml:lang` and the EPUB's `dc:language` are invalid with anything else.
/// Whether `url` can be the base of the sitemap's addresses: `http://` or `https://`, a
/// host, ASCII (sitemaps want URLs, not IRIs: other characters are percent-encoded), no
/// spaces, and no query or fragment (a page's path is appended to it).
fn is_site_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.starts_with('/')
            && !rest.is_empty()
            && rest.is_ascii()
            && !rest
                .contains(|c: char| c.is_whitespace() || matches!(c, '?' | '#' | '<' | '>' | '"'))
    })
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(text: &str) -> (usize, usize, String) {
        match Config::parse(text, "daybook.toml") {
            Err(ConfigError::Invalid {
                line,
                column,
                message,
                ..
            }) => (line, column, message),
            other => panic!("expected an invalid configuration, got {other:?}"),
        }
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        assert_eq!(
            Config::parse("", "daybook.toml").unwrap(),
            Config::default()
        );
    }

    #[test]
    fn every_key_is_read() {
        let config = Config::parse(
            r#"
title = "Korea 1950"
subtitle = "A chronology"
editors = ["A. Editor", "B. Editor"]
publisher = "The Press"
language = "en-GB"
licence = "CC-BY-4.0"
identifier_base = "https://example.org/korea/"
subjects = ["Korean War"]
book = "month"
wrap_width = 60
labels = ["Songs of the week"]

[media_kinds]
pic = "Photograph"
"#,
            "daybook.toml",
        )
        .unwrap();
        assert_eq!(config.title, "Korea 1950");
        assert_eq!(config.book, Grouping::Month);
        assert_eq!(config.wrap_width, 60);
        assert_eq!(config.media_kinds["pic"], "Photograph");
        assert_eq!(
            config.labels.as_deref(),
            Some(&["Songs of the week".to_owned()][..])
        );
        assert_eq!(Config::parse(&config.to_toml(), "shown").unwrap(), config);
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it_and_its_line() {
        let (line, column, message) = invalid("title = \"x\"\ntitel = \"y\"\n");
        assert_eq!((line, column), (2, 1));
        assert!(
            message.starts_with("unknown field `titel`, expected one of"),
            "{message}"
        );
    }

    #[test]
    fn a_wrong_type_is_an_error_naming_the_key_line_and_expected_type() {
        let (line, column, message) = invalid("title = \"x\"\nwrap_width = \"wide\"\n");
        assert_eq!((line, column), (2, 14));
        assert_eq!(
            message,
            "key `wrap_width`: invalid type: string \"wide\", expected usize"
        );
        let (line, _, message) = invalid("book = \"decade\"\n");
        assert_eq!(line, 1);
        assert!(
            message.contains(
                "unknown variant `decade`, expected one of `year`, `month`, `collection`"
            ),
            "{message}"
        );
    }

    #[test]
    fn a_language_that_is_not_a_bcp47_tag_is_refused() {
        for good in ["en", "en-GB", "zh-Hant-TW", "de-1996"] {
            assert!(
                Config::parse(&format!("language = \"{good}\""), "daybook.toml").is_ok(),
                "{good}"
            );
        }
        for bad in ["en_GB", "", "e", "english language", "en-"] {
            assert!(
                matches!(
                    Config::parse(&format!("language = \"{bad}\""), "daybook.toml"),
                    Err(ConfigError::Value { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_empty_title_is_refused() {
        assert!(matches!(
            Config::parse("title = \" \"", "daybook.toml"),
            Err(ConfigError::Value { .. })
        ));
    }

    #[test]
    fn a_site_url_must_be_an_absolute_web_address_and_gains_a_final_slash() {
        for bad in [
            "example.org",
            "/korea/",
            "https://",
            "ftp://example.org/",
            "https://example.org/?page=1",
            "https://example.org/a b/",
            "https://exämple.org/",
        ] {
            match Config::parse(&format!("site_url = \"{bad}\""), "daybook.toml") {
                Err(ConfigError::Value { message, .. }) => assert_eq!(
                    message,
                    format!(
                        "key `site_url`: `{bad}` is not an absolute http or https address without query or fragment; expected one such as `https://example.org/korea-1950/`"
                    )
                ),
                other => panic!("{bad}: {other:?}"),
            }
        }
        let config = Config::parse("site_url = \"https://example.org/korea\"", "daybook.toml");
        assert_eq!(
            config.unwrap().metadata(None).site_url.as_deref(),
            Some("https://example.org/korea/")
        );
    }

    #[test]
    fn a_too_narrow_wrap_width_is_refused() {
        assert!(matches!(
            Config::parse("wrap_width = 3", "daybook.toml"),
            Err(ConfigError::Value { .. })
        ));
    }
}
