//! The `teiHeader`: a day's and a corpus's, with what the day's header inherits from the
//! corpus's when it is a member of one.

use std::collections::BTreeSet;
use std::io::{self, Write};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use quick_xml::events::BytesStart;

use super::{TeiWriter, correspondence, day_id, element, iso_date};
use crate::ast::Heading;
use crate::edition::{SourcedDay, long_date, weekday_name};

/// daybook's version, named in every header's `application` and `change`.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The header's `projectDesc`: what the edition is.
const PROJECT: &str = "A TEI edition of plain-text day notes, one note per calendar day, \
    converted by daybook: each day is a TEI document, and each year's days form a teiCorpus.";

/// Attribute names and values of a start tag.
type Attributes = &'static [(&'static str, &'static str)];

/// The header's `editorialDecl`: what daybook does to the notes, as element, attributes and
/// paragraph (the rules are those of daybook's `docs/format.md`).
const EDITORIAL: [(&str, Attributes, &str); 3] = [
    (
        "normalization",
        &[],
        "Within a block, lines are joined with single spaces: the hard wrapping of the notes \
         is not kept. Indentation other than that of list items, trailing white space and \
         blank lines are dropped; blank lines only separate blocks and sections. Runs of \
         spaces inside a line are kept. Control characters other than tab and line ends, and \
         the noncharacters U+FFFE and U+FFFF, are replaced by U+FFFD, visibly.",
    ),
    (
        "quotation",
        // Only the double quotes around a quotation are dropped; others stay as text.
        &[("marks", "some")],
        "Double quotation marks around quoted words (straight, curly, low-high or guillemets) \
         are removed and the words enclosed in q elements. A quotation mark without a \
         partner, and single quotation marks, are kept as text.",
    ),
    (
        "interpretation",
        &[],
        "Headings, sections, numbered lists, citations, cross-references, correspondence \
         lines, label lines, media codes and closing lines are recognised automatically, by \
         the rules of the day-note format; nothing is marked by hand. A cross-reference to a \
         day the collection does not hold stays text.",
    ),
];
/// What one header says that another does not.
struct Header<'h> {
    /// The main title: a day's heading, or the collection's title and the year.
    title: String,
    /// The year whose corpus holds the day, named in a day's `seriesStmt`; `None` in the
    /// corpus's own header.
    corpus: Option<i32>,
    /// Whether this is the header of a `<TEI>` inside a corpus: it then says only what is
    /// its own (title, identifier, source, date), and inherits the rest from the corpus's
    /// header, as TEI allows.
    member: bool,
    /// The document's identifier after `identifier_base`: a day's ISO date, a corpus's year.
    id: String,
    /// The source files, each named once.
    sources: Vec<&'h str>,
    /// The `date` of `creation`: when the notes were written.
    created: BytesStart<'h>,
    /// The text of that date.
    created_text: String,
    /// A day's correspondence lines, for its `correspDesc`s; none in a corpus's header.
    letters: Vec<correspondence::Letter<'h>>,
    /// The day the letters are dated by.
    date: Option<NaiveDate>,
}
impl<W: Write> TeiWriter<'_, W> {
    pub(super) fn write_day_header(&mut self, day: &SourcedDay, member: bool) -> io::Result<()> {
        let date = day.day.date();
        let when = iso_date(date);
        self.write_header(Header {
            title: heading_text(&day.day.heading),
            corpus: Some(date.year()),
            member,
            created: element("date", &[("when", &when)]),
            created_text: long_date(date),
            id: when,
            sources: vec![&day.source],
            letters: correspondence::letters(&day.day, &day_id(date)),
            date: Some(date),
        })
    }

    /// The corpus header; `span` is the first and the last day's date.
    pub(super) fn write_corpus_header(
        &mut self,
        year: i32,
        days: &[SourcedDay],
        span: (NaiveDate, NaiveDate),
    ) -> io::Result<()> {
        // A file may hold several days: name each file once, in the order of its first day.
        let mut named = BTreeSet::new();
        let sources: Vec<&str> = days
            .iter()
            .map(|day| day.source.as_str())
            .filter(|source| named.insert(*source))
            .collect();
        let (from, to) = (iso_date(span.0), iso_date(span.1));
        self.write_header(Header {
            title: format!("{}, {year}", self.ctx.metadata.title),
            corpus: None,
            member: false,
            created: element("date", &[("from", &from), ("to", &to)]),
            created_text: year.to_string(),
            id: year.to_string(),
            sources,
            letters: Vec::new(),
            date: None,
        })
    }

    /// A `teiHeader`, its parts in the order TEI requires: `fileDesc`, `encodingDesc`,
    /// `profileDesc`, `revisionDesc`.
    fn write_header(&mut self, header: Header) -> io::Result<()> {
        let metadata = self.ctx.metadata;
        self.open(BytesStart::new("teiHeader"))?;
        self.open(BytesStart::new("fileDesc"))?;
        // The collection's subtitle belongs to the collection (a day's `seriesStmt`); a
        // year's corpus has its volume's own subtitle, if one is configured.
        let volume = header.id.as_str();
        let subtitle = metadata
            .subtitle_of(volume)
            .filter(|_| header.corpus.is_none());
        if header.member {
            self.open(BytesStart::new("titleStmt"))?;
            self.line(BytesStart::new("title"), &header.title)?;
            self.close("titleStmt")?;
            self.open(BytesStart::new("publicationStmt"))?;
            self.line(BytesStart::new("publisher"), &metadata.publisher)?;
            self.write_identifier(&header.id)?;
            self.close("publicationStmt")?;
        } else {
            self.write_title_stmt(&header.title, subtitle)?;
            self.write_publication_stmt(&header.id)?;
            match header.corpus {
                Some(year) => self.write_series_stmt(Some(&year.to_string()))?,
                None => self.write_series_stmt(None)?,
            }
        }
        self.open(BytesStart::new("sourceDesc"))?;
        for source in &header.sources {
            self.write_source(source)?;
        }
        self.close("sourceDesc")?;
        self.close("fileDesc")?;
        if header.member {
            self.open(BytesStart::new("profileDesc"))?;
            self.open(BytesStart::new("creation"))?;
            self.inline(header.created, &header.created_text)?;
            self.end("creation")?;
            if let Some(date) = header.date {
                self.write_corresp_descs(&header.letters, date)?;
            }
            self.close("profileDesc")?;
            return self.close("teiHeader");
        }
        self.write_encoding_desc()?;
        self.write_profile_desc(
            header.created,
            &header.created_text,
            &header.letters,
            header.date,
        )?;
        if let Some(time) = metadata.build_time {
            self.open(BytesStart::new("revisionDesc"))?;
            let change = element("change", &[("when", &timestamp(time))]);
            self.line(change, &format!("Converted by daybook {VERSION}."))?;
            self.close("revisionDesc")?;
        }
        self.close("teiHeader")
    }

    /// `titleStmt`: the document's title, the volume's subtitle, and who is responsible:
    /// the editors, or with none named the publisher, so that every header names someone.
    fn write_title_stmt(&mut self, title: &str, subtitle: Option<&str>) -> io::Result<()> {
        let metadata = self.ctx.metadata;
        self.open(BytesStart::new("titleStmt"))?;
        self.line(BytesStart::new("title"), title)?;
        if let Some(subtitle) = subtitle {
            self.line(element("title", &[("type", "sub")]), subtitle)?;
        }
        let mut editors = metadata.named_editors().peekable();
        if editors.peek().is_none() {
            self.open(BytesStart::new("respStmt"))?;
            self.line(
                BytesStart::new("resp"),
                "publisher, responsible for the edition (no editor is named)",
            )?;
            self.line(BytesStart::new("name"), &metadata.publisher)?;
            self.close("respStmt")?;
        }
        for editor in editors {
            self.line(BytesStart::new("editor"), editor)?;
        }
        self.close("titleStmt")
    }

    /// `publicationStmt`: publisher, build date when known, the document's identifier
    /// (`identifier_base` followed by `id`) and the licence.
    fn write_publication_stmt(&mut self, id: &str) -> io::Result<()> {
        let metadata = self.ctx.metadata;
        self.open(BytesStart::new("publicationStmt"))?;
        self.line(BytesStart::new("publisher"), &metadata.publisher)?;
        if let Some(time) = metadata.build_time {
            self.newline()?;
            self.date(&timestamp(time), &long_date(time.date_naive()))?;
        }
        self.write_identifier(id)?;
        // Repositories ingest the licence by its URI (`@target`); with none stated the
        // availability says so (`status="unknown"`) rather than claim one.
        match &metadata.licence {
            Some(licence) => {
                self.open(BytesStart::new("availability"))?;
                let start = element("licence", &[("target", &licence.url)]);
                self.line(start, &metadata.licence_statement())?;
            }
            None => {
                self.open(element("availability", &[("status", "unknown")]))?;
                self.line(BytesStart::new("p"), crate::edition::NO_LICENCE)?;
            }
        }
        self.close("availability")?;
        self.close("publicationStmt")
    }

    /// `seriesStmt`: the collection and its subtitle. A day's header adds the identifier of
    /// the year's corpus that holds it (`id`), so that a day read alone still names its
    /// volume; a corpus, being that volume, has none to add.
    fn write_series_stmt(&mut self, id: Option<&str>) -> io::Result<()> {
        let metadata = self.ctx.metadata;
        self.open(BytesStart::new("seriesStmt"))?;
        self.line(BytesStart::new("title"), &metadata.title)?;
        if let Some(subtitle) = metadata.subtitle_of("") {
            self.line(element("title", &[("type", "sub")]), subtitle)?;
        }
        if let Some(id) = id {
            self.write_identifier(id)?;
        }
        self.close("seriesStmt")
    }

    /// `<idno type="URI">`: `identifier_base` followed by `id`.
    fn write_identifier(&mut self, id: &str) -> io::Result<()> {
        let uri = format!("{}{id}", self.ctx.metadata.identifier_base);
        self.line(element("idno", &[("type", "URI")]), &uri)
    }

    /// `encodingDesc`: the program and what it did to the notes. The same in every header.
    fn write_encoding_desc(&mut self) -> io::Result<()> {
        self.open(BytesStart::new("encodingDesc"))?;
        self.open(BytesStart::new("appInfo"))?;
        self.open(element(
            "application",
            &[("ident", "daybook"), ("version", VERSION)],
        ))?;
        self.line(BytesStart::new("label"), "daybook")?;
        self.close("application")?;
        self.close("appInfo")?;
        self.open(BytesStart::new("projectDesc"))?;
        self.line(BytesStart::new("p"), PROJECT)?;
        self.close("projectDesc")?;
        self.open(BytesStart::new("editorialDecl"))?;
        for (part, attributes, description) in EDITORIAL {
            self.open(element(part, attributes))?;
            self.line(BytesStart::new("p"), description)?;
            self.close(part)?;
        }
        self.close("editorialDecl")?;
        self.close("encodingDesc")
    }

    /// `profileDesc`: when the notes were written, their language and their subjects.
    fn write_profile_desc(
        &mut self,
        created: BytesStart,
        created_text: &str,
        letters: &[correspondence::Letter],
        date: Option<NaiveDate>,
    ) -> io::Result<()> {
        let metadata = self.ctx.metadata;
        self.open(BytesStart::new("profileDesc"))?;
        self.open(BytesStart::new("creation"))?;
        self.inline(created, created_text)?;
        self.end("creation")?;
        self.open(BytesStart::new("langUsage"))?;
        // The configuration gives a BCP 47 code only; a language name is not guessed.
        self.empty(element("language", &[("ident", &metadata.language)]))?;
        self.close("langUsage")?;
        if !metadata.subjects.is_empty() {
            self.open(BytesStart::new("textClass"))?;
            self.open(BytesStart::new("keywords"))?;
            for subject in &metadata.subjects {
                self.line(BytesStart::new("term"), subject)?;
            }
            self.close("keywords")?;
            self.close("textClass")?;
        }
        if let Some(date) = date {
            self.write_corresp_descs(letters, date)?;
        }
        self.close("profileDesc")
    }

    /// Names a source file: `<bibl>Plain-text day note <idno type="file">…</idno></bibl>`.
    fn write_source(&mut self, source: &str) -> io::Result<()> {
        self.open(BytesStart::new("bibl"))?;
        self.text("Plain-text day note ")?;
        self.inline(element("idno", &[("type", "file")]), source)?;
        self.end("bibl")
    }
}

/// The heading as written in the notes, `January 22, 1950 (Sunday)`.
fn heading_text(heading: &Heading) -> String {
    match heading.weekday {
        Some(weekday) => format!("{} ({})", long_date(heading.date), weekday_name(weekday)),
        None => long_date(heading.date),
    }
}
/// The build time as `@when`, `2024-05-01T12:30:05Z`.
fn timestamp(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
