//! The TEI P5 edition: a `<TEI>` document per day and a `<teiCorpus>` per year, shaped as the
//! encoding profile in `shared/TEI.md` prescribes (mapping and choices: `docs/tei-encoding.md`).

mod notes;
mod register;

use std::collections::BTreeSet;
use std::io::{self, Write};

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::notes::cited_notes;
use super::{Context, EditionError, SourcedDay, long_date, weekday_name, xml_safe};
use crate::ast::{
    Block, Citation, Closing, Correspondence, CrossRef, Day, Heading, Inline, Item, Label, List,
    MediaCode, MediaList, NoteRef, Paragraph, ParagraphPart, Section,
};

/// The TEI namespace, declared once on the root element.
const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

/// One level of indentation in element-only content.
const INDENT: &str = "  ";

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

/// Writes one day as a `<TEI>` document.
///
/// Resolved cross-references point to the other day's file beside this one
/// (`1950-01-19.xml#day-1950-01-19`), as the pipeline writes a year's days into one folder.
pub fn write_day<W: Write>(day: &SourcedDay, ctx: &Context, out: W) -> Result<(), EditionError> {
    let mut tei = TeiWriter::new(out, ctx, Links::Files);
    tei.write_declaration()?;
    tei.write_tei(day, true)?;
    tei.finish()?;
    Ok(())
}

/// Writes a year's days, in date order, as one `<teiCorpus>`.
///
/// Resolved cross-references point into the corpus itself (`#day-1950-01-19`). A corpus
/// needs at least one day (TEI requires a `<TEI>` in every `<teiCorpus>`): an empty `days`
/// is refused with an [`io::ErrorKind::InvalidInput`] error and nothing is written.
pub fn write_corpus<W: Write>(
    year: i32,
    days: &[SourcedDay],
    ctx: &Context,
    out: W,
) -> Result<(), EditionError> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        let message = format!("the TEI corpus for {year} would hold no day");
        return Err(io::Error::new(io::ErrorKind::InvalidInput, message).into());
    };
    let mut tei = TeiWriter::new(out, ctx, Links::Corpus);
    tei.write_declaration()?;
    tei.open(tei.root("teiCorpus"))?;
    tei.write_corpus_header(year, days, (first.day.date(), last.day.date()))?;
    tei.write_stand_off(
        &cited_notes(ctx, days.iter().map(|d| &d.day)),
        &register::mentioned(ctx, days.iter().map(|d| &d.day)),
    )?;
    for day in days {
        tei.write_tei(day, false)?;
    }
    tei.close("teiCorpus")?;
    tei.finish()?;
    Ok(())
}

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
    letters: Vec<register::Letter<'h>>,
    /// The day the letters are dated by.
    date: Option<NaiveDate>,
}

/// Where a resolved cross-reference points.
#[derive(Debug, Clone, Copy)]
enum Links {
    /// To the other day's own file, in the same folder.
    Files,
    /// To the other day's `div` in the same corpus document.
    Corpus,
}

/// A quick-xml writer that indents element-only content and leaves mixed content untouched.
///
/// quick-xml's own indentation breaks the line before any start tag that follows an end tag,
/// which would put whitespace into `<p>a<ref>[1]</ref><q>b</q></p>`; so indentation is
/// written here, and only where the content model holds elements alone.
struct TeiWriter<'a, W: Write> {
    xml: Writer<W>,
    depth: usize,
    ctx: Context<'a>,
    links: Links,
}

impl<'a, W: Write> TeiWriter<'a, W> {
    fn new(out: W, ctx: &Context<'a>, links: Links) -> Self {
        Self {
            xml: Writer::new(out),
            depth: 0,
            ctx: *ctx,
            links,
        }
    }

    fn write_declaration(&mut self) -> io::Result<()> {
        self.xml
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
    }

    /// Ends the file with a newline and flushes it.
    fn finish(mut self) -> io::Result<()> {
        self.newline()?;
        self.xml.into_inner().flush()
    }

    // Primitives. Every text and attribute value goes through `xml_safe`, and quick-xml
    // escapes it.

    /// The start tag of the root element, declaring the namespace and the language.
    fn root(&self, name: &'static str) -> BytesStart<'static> {
        element(
            name,
            &[("xmlns", TEI_NS), ("xml:lang", &self.ctx.metadata.language)],
        )
    }

    fn newline(&mut self) -> io::Result<()> {
        let indent = format!("\n{}", INDENT.repeat(self.depth));
        self.xml
            .write_event(Event::Text(BytesText::from_escaped(indent)))
    }

    /// Opens an element on a line of its own.
    fn open(&mut self, start: BytesStart) -> io::Result<()> {
        self.newline()?;
        self.start(start)
    }

    /// Closes an element whose content is elements only, on a line of its own.
    fn close(&mut self, name: &str) -> io::Result<()> {
        self.depth -= 1;
        self.newline()?;
        self.xml.write_event(Event::End(BytesEnd::new(name)))
    }

    /// Opens an element in the current line.
    fn start(&mut self, start: BytesStart) -> io::Result<()> {
        self.xml.write_event(Event::Start(start))?;
        self.depth += 1;
        Ok(())
    }

    /// Closes an element right after its content: mixed content gets no whitespace.
    fn end(&mut self, name: &str) -> io::Result<()> {
        self.depth -= 1;
        self.xml.write_event(Event::End(BytesEnd::new(name)))
    }

    fn text(&mut self, text: &str) -> io::Result<()> {
        // `partial_escape` escapes `<`, `>` (so `]]>` is safe) and `&`, and leaves quote
        // marks readable: they need no escaping in text content.
        let escaped = partial_escape(xml_safe(text));
        self.xml
            .write_event(Event::Text(BytesText::from_escaped(escaped)))
    }

    /// Writes `<name attrs>text</name>` in the current line.
    fn inline(&mut self, start: BytesStart, text: &str) -> io::Result<()> {
        let end = start.to_end().into_owned();
        self.xml.write_event(Event::Start(start))?;
        self.text(text)?;
        self.xml.write_event(Event::End(end))
    }

    /// Writes `<name attrs/>` on a line of its own.
    fn empty(&mut self, start: BytesStart) -> io::Result<()> {
        self.newline()?;
        self.xml.write_event(Event::Empty(start))
    }

    /// Writes `<name attrs>text</name>` on a line of its own.
    fn line(&mut self, start: BytesStart, text: &str) -> io::Result<()> {
        self.newline()?;
        self.inline(start, text)
    }

    /// Writes `<date when="…">text</date>` in the current line.
    fn date(&mut self, when: &str, text: &str) -> io::Result<()> {
        self.inline(element("date", &[("when", when)]), text)
    }

    // Documents and headers.

    /// Writes one day's `<TEI>`; `root` declares the namespace (a per-day file) or not (a
    /// member of a corpus, which inherits it).
    fn write_tei(&mut self, day: &SourcedDay, root: bool) -> io::Result<()> {
        let start = if root {
            self.root("TEI")
        } else {
            BytesStart::new("TEI")
        };
        self.open(start)?;
        self.write_day_header(day, !root)?;
        self.open(BytesStart::new("text"))?;
        self.open(BytesStart::new("body"))?;
        self.write_day(&day.day)?;
        self.close("body")?;
        self.close("text")?;
        // A member of a corpus cites the corpus's own notes.
        if root {
            let ctx = self.ctx;
            self.write_stand_off(
                &cited_notes(&ctx, [&day.day]),
                &register::mentioned(&ctx, [&day.day]),
            )?;
        }
        self.close("TEI")
    }

    fn write_day_header(&mut self, day: &SourcedDay, member: bool) -> io::Result<()> {
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
            letters: register::letters(&day.day, &day_id(date)),
            date: Some(date),
        })
    }

    /// The corpus header; `span` is the first and the last day's date.
    fn write_corpus_header(
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
                self.line(BytesStart::new("p"), super::NO_LICENCE)?;
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
        letters: &[register::Letter],
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

    // The AST, one function per level.

    fn write_day(&mut self, day: &Day) -> io::Result<()> {
        let id = day_id(day.date());
        self.open(element("div", &[("type", "day"), ("xml:id", &id)]))?;
        self.write_heading(&day.heading)?;
        for (index, section) in day.sections.iter().enumerate() {
            self.write_section(section, &id, index + 1)?;
        }
        if let Some(closing) = &day.closing {
            if day.sections.is_empty() {
                // TEI allows a `closer` only after some content: an empty anonymous block
                // stands for the day's missing sections.
                self.empty(BytesStart::new("ab"))?;
            }
            self.write_closing(closing, &id)?;
        }
        self.close("div")
    }

    fn write_heading(&mut self, heading: &Heading) -> io::Result<()> {
        self.open(BytesStart::new("head"))?;
        self.date(&iso_date(heading.date), &long_date(heading.date))?;
        if let Some(weekday) = heading.weekday {
            self.text(&format!(" ({})", weekday_name(weekday)))?;
        }
        self.end("head")
    }

    /// A section: `rend="nohead"` because sections have no heading in the notes, and the
    /// TEI Consortium's stylesheets would otherwise invent an empty numbered one ("1.1.").
    fn write_section(&mut self, section: &Section, day: &str, number: usize) -> io::Result<()> {
        let n = number.to_string();
        let id = format!("{day}-s{n}");
        self.open(element(
            "div",
            &[
                ("type", "section"),
                ("n", &n),
                ("rend", "nohead"),
                ("xml:id", &id),
            ],
        ))?;
        for (index, block) in section.blocks.iter().enumerate() {
            self.write_block(block, &format!("{id}-p{}", index + 1))?;
        }
        self.close("div")
    }

    /// A block, with the `xml:id` `id` so that it can be cited: derived from the day, the
    /// section and the block's position, it stays the same as long as the notes do.
    fn write_block(&mut self, block: &Block, id: &str) -> io::Result<()> {
        match block {
            Block::Paragraph(paragraph) => self.write_paragraph(paragraph, id),
            Block::List(list) => self.write_list(list, Some(id)),
            Block::Media(media) => self.write_media(media, id),
            Block::Correspondence(correspondence) => self.write_correspondence(correspondence, id),
            Block::Label(label) => self.write_label(label, id),
        }
    }

    fn write_paragraph(&mut self, paragraph: &Paragraph, id: &str) -> io::Result<()> {
        self.open(element("p", &[("xml:id", id)]))?;
        for part in &paragraph.parts {
            match part {
                ParagraphPart::Inlines(inlines) => self.write_inlines(inlines)?,
                ParagraphPart::List(list) => {
                    // The list stands on its own lines in the source, so line breaks around
                    // it and between its items keep the sentence's words apart in the
                    // paragraph's text (`joined by Wang Jiaxiang, ... Wu Xiuquan started`).
                    self.write_list(list, None)?;
                    self.newline()?;
                }
            }
        }
        self.end("p")
    }

    fn write_list(&mut self, list: &List, id: Option<&str>) -> io::Result<()> {
        let mut start = element("list", &[("type", "ordered")]);
        if let Some(id) = id {
            start.push_attribute(("xml:id", id));
        }
        self.open(start)?;
        for item in &list.items {
            self.write_item(item)?;
        }
        self.close("list")
    }

    fn write_item(&mut self, item: &Item) -> io::Result<()> {
        let n = item.number.to_string();
        self.open(element("item", &[("n", &n)]))?;
        self.write_inlines(&item.content)?;
        self.end("item")
    }

    fn write_media(&mut self, media: &MediaList, id: &str) -> io::Result<()> {
        self.open(element("list", &[("type", "media"), ("xml:id", id)]))?;
        for code in &media.codes {
            self.write_media_code(code)?;
        }
        self.close("list")
    }

    /// A media code. `0000` is read as "no time recorded", not as midnight: the notes write
    /// it for codes whose time nobody noted (about half of them), so `@when` is the date
    /// alone; any other time gives a full `@when`.
    fn write_media_code(&mut self, code: &MediaCode) -> io::Result<()> {
        let when = if code.time == NaiveTime::MIN {
            iso_date(code.date)
        } else {
            code.date
                .and_time(code.time)
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string()
        };
        let written = format!(
            "{} {}",
            code.date.format("%Y%m%d"),
            code.time.format("%H%M")
        );
        self.open(BytesStart::new("item"))?;
        self.date(&when, &written)?;
        self.text(" ")?;
        // The code is always in `@key`, so that `//term[@type='media-kind']/@key` finds
        // every kind; the text is the configured label, or the code itself.
        let label = self.ctx.metadata.media_label(&code.kind);
        self.inline(
            element("term", &[("type", "media-kind"), ("key", &code.kind)]),
            label.unwrap_or(&code.kind),
        )?;
        self.end("item")
    }

    fn write_correspondence(
        &mut self,
        correspondence: &Correspondence,
        id: &str,
    ) -> io::Result<()> {
        self.open(element(
            "bibl",
            &[("type", "correspondence"), ("xml:id", id)],
        ))?;
        self.write_correspondent(
            "sender",
            &correspondence.sender,
            correspondence.sender_id.as_deref(),
        )?;
        self.text(" to ")?;
        self.write_correspondent(
            "recipient",
            &correspondence.recipient,
            correspondence.recipient_id.as_deref(),
        )?;
        self.text(" concerning ")?;
        self.inline(BytesStart::new("title"), &correspondence.subject)?;
        self.text(&correspondence.trailing)?;
        for citation in &correspondence.citations {
            self.write_citation(citation)?;
        }
        self.end("bibl")
    }

    fn write_label(&mut self, label: &Label, id: &str) -> io::Result<()> {
        self.line(
            element("label", &[("type", "feature"), ("xml:id", id)]),
            &label.text,
        )
    }

    fn write_closing(&mut self, closing: &Closing, day: &str) -> io::Result<()> {
        let written = format!(
            "{} {}",
            weekday_name(closing.weekday),
            long_date(closing.date)
        );
        self.open(element("closer", &[("xml:id", &format!("{day}-closer"))]))?;
        self.start(BytesStart::new("dateline"))?;
        self.text("Notes for ")?;
        self.date(&iso_date(closing.date), &written)?;
        self.end("dateline")?;
        self.end("closer")
    }

    fn write_inlines(&mut self, inlines: &[Inline]) -> io::Result<()> {
        inlines
            .iter()
            .try_for_each(|inline| self.write_inline(inline))
    }

    fn write_inline(&mut self, inline: &Inline) -> io::Result<()> {
        match inline {
            Inline::Text { text, .. } => self.text(text),
            Inline::Name(name) => self.write_name(name),
            Inline::Citation(citation) => self.write_citation(citation),
            Inline::CrossRef(cross_ref) => self.write_cross_ref(cross_ref),
            Inline::Quote { content, .. } => {
                self.start(BytesStart::new("q"))?;
                self.write_inlines(content)?;
                self.end("q")
            }
        }
    }

    fn write_citation(&mut self, citation: &Citation) -> io::Result<()> {
        let notes: Vec<String> = citation.notes.iter().map(|note| note_text(*note)).collect();
        let n = notes.join(" ");
        let mut start = element("ref", &[("type", "citation"), ("n", &n)]);
        if let Some(target) = self.citation_target(citation) {
            start.push_attribute(("target", target.as_str()));
        }
        self.inline(start, &format!("[{}]", notes.join(", ")))
    }

    fn write_cross_ref(&mut self, cross_ref: &CrossRef) -> io::Result<()> {
        let words = cross_ref.words();
        if !self.ctx.has_day(cross_ref.target) {
            return self.text(&format!("[{words}]"));
        }
        let id = day_id(cross_ref.target);
        let target = match self.links {
            Links::Files => format!("{}.xml#{id}", iso_date(cross_ref.target)),
            Links::Corpus => format!("#{id}"),
        };
        self.text("[")?;
        self.inline(
            element("ref", &[("type", "crossref"), ("target", &target)]),
            &words,
        )?;
        self.text("]")
    }
}

/// A start tag with `attributes`, their values made XML-safe (quick-xml escapes them).
fn element<'n>(name: &'n str, attributes: &[(&str, &str)]) -> BytesStart<'n> {
    let mut start = BytesStart::new(name);
    for (key, value) in attributes {
        start.push_attribute((*key, xml_safe(value).as_ref()));
    }
    start
}

/// The heading as written in the notes, `January 22, 1950 (Sunday)`.
fn heading_text(heading: &Heading) -> String {
    match heading.weekday {
        Some(weekday) => format!("{} ({})", long_date(heading.date), weekday_name(weekday)),
        None => long_date(heading.date),
    }
}

/// The `xml:id` of a day's `div`, `day-1950-01-22`.
fn day_id(date: NaiveDate) -> String {
    format!("day-{}", iso_date(date))
}

fn iso_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The build time as `@when`, `2024-05-01T12:30:05Z`.
fn timestamp(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A cited note as written, `56` or `56-58`.
fn note_text(note: NoteRef) -> String {
    match note {
        NoteRef::Note(n) => n.to_string(),
        NoteRef::Range(from, to) => format!("{from}-{to}"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::io::Write as _;
    use std::path::PathBuf;
    use std::process::Command;

    use chrono::{Datelike, NaiveTime, TimeZone, Utc, Weekday};
    use roxmltree::{Document, Node};

    use super::*;
    use crate::ast::{Position, QuoteMarks};
    use crate::edition::Metadata;

    const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

    // AST constructors: writer tests never run the grammar.

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn text(text: &str) -> Inline {
        Inline::Text {
            text: text.to_owned(),
            pos: Position::default(),
        }
    }

    fn quote(content: Vec<Inline>) -> Inline {
        Inline::Quote {
            content,
            marks: QuoteMarks::Straight,
            pos: Position::default(),
        }
    }

    fn cite(notes: &[NoteRef]) -> Inline {
        Inline::Citation(Citation {
            notes: notes.to_vec(),
            pos: Position::default(),
        })
    }

    fn cross_ref(target: NaiveDate) -> Inline {
        Inline::CrossRef(CrossRef {
            day: target.day(),
            target,
            pos: Position::default(),
        })
    }

    fn list(items: &[(u64, &str)]) -> List {
        let items = items
            .iter()
            .map(|&(number, words)| Item {
                number,
                content: vec![text(words)],
                pos: Position::default(),
            })
            .collect();
        List {
            items,
            pos: Position::default(),
        }
    }

    fn paragraph(parts: Vec<ParagraphPart>) -> Block {
        Block::Paragraph(Paragraph {
            parts,
            pos: Position::default(),
        })
    }

    fn prose(inlines: Vec<Inline>) -> Block {
        paragraph(vec![ParagraphPart::Inlines(inlines)])
    }

    fn media(codes: &[(NaiveDate, u32, u32, &str)]) -> Block {
        let codes = codes
            .iter()
            .map(|&(date, hour, minute, kind)| MediaCode {
                date,
                time: NaiveTime::from_hms_opt(hour, minute, 0).unwrap(),
                kind: kind.to_owned(),
                pos: Position::default(),
            })
            .collect();
        Block::Media(MediaList {
            codes,
            pos: Position::default(),
        })
    }

    fn correspondence(sender: &str, recipient: &str, subject: &str, trailing: &str) -> Block {
        Block::Correspondence(Correspondence {
            sender: sender.to_owned(),
            recipient: recipient.to_owned(),
            subject: subject.to_owned(),
            trailing: trailing.to_owned(),
            citations: Vec::new(),
            sender_id: None,
            recipient_id: None,
            pos: Position::default(),
        })
    }

    fn label(words: &str) -> Block {
        Block::Label(Label {
            text: words.to_owned(),
            pos: Position::default(),
        })
    }

    fn section(blocks: Vec<Block>) -> Section {
        Section {
            blocks,
            pos: Position::default(),
        }
    }

    /// A day with its true weekday in the heading and a matching closing line.
    fn day(date: NaiveDate, sections: Vec<Section>) -> SourcedDay {
        let heading = Heading {
            date,
            weekday: Some(date.weekday()),
            pos: Position::default(),
        };
        let closing = Closing {
            weekday: date.weekday(),
            date,
            pos: Position::default(),
        };
        SourcedDay {
            day: Day {
                heading,
                sections,
                closing: Some(closing),
            },
            source: format!("{}.txt", iso_date(date)),
        }
    }

    /// A day shaped like the real sample, shortened, with every construct.
    fn sample() -> SourcedDay {
        let today = date(1950, 1, 22);
        day(
            today,
            vec![
                section(vec![
                    paragraph(vec![
                        ParagraphPart::Inlines(vec![text("Two days later, Zhou, joined by")]),
                        ParagraphPart::List(list(&[(1, "Wang Jiaxiang,"), (2, "Li Fuchun")])),
                        ParagraphPart::Inlines(vec![text("started negotiations.")]),
                    ]),
                    prose(vec![
                        text("the other side "),
                        quote(vec![text("must go all out.")]),
                        cite(&[NoteRef::Note(56)]),
                    ]),
                ]),
                section(vec![prose(vec![
                    text("Korean soldiers. "),
                    cross_ref(date(1950, 1, 19)),
                    text(" Approved.[65] "),
                    cite(&[NoteRef::Note(56), NoteRef::Note(57)]),
                    cite(&[NoteRef::Range(56, 58), NoteRef::Note(60)]),
                ])]),
                section(vec![
                    correspondence(
                        "William Batt, Jr.",
                        "E.W. Kenworthy",
                        "Captain Martin's reassignment",
                        "..",
                    ),
                    media(&[(today, 0, 0, "int"), (today, 14, 35, "pic")]),
                    label("Songs of the week"),
                ]),
            ],
        )
    }

    // Writing.

    fn context<'a>(days: &'a BTreeSet<NaiveDate>, metadata: &'a Metadata) -> Context<'a> {
        Context {
            days,
            metadata,
            notes: &crate::edition::NO_NOTES,
            register: &crate::edition::NO_REGISTER,
        }
    }

    fn tei_day_with(day: &SourcedDay, known: &[NaiveDate], metadata: &Metadata) -> String {
        let days: BTreeSet<NaiveDate> = known.iter().copied().collect();
        let mut out = Vec::new();
        write_day(day, &context(&days, metadata), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn tei_day(day: &SourcedDay, known: &[NaiveDate]) -> String {
        tei_day_with(day, known, &Metadata::default())
    }

    fn tei_corpus_with(days: &[SourcedDay], known: &[NaiveDate], metadata: &Metadata) -> String {
        let known: BTreeSet<NaiveDate> = known.iter().copied().collect();
        let mut out = Vec::new();
        write_corpus(1950, days, &context(&known, metadata), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn tei_corpus(days: &[SourcedDay], known: &[NaiveDate]) -> String {
        tei_corpus_with(days, known, &Metadata::default())
    }

    /// The sample day as a per-day file and as a corpus of its own, with `metadata`.
    fn day_and_corpus(metadata: &Metadata) -> (String, String) {
        let sample = sample();
        (
            tei_day_with(&sample, &[], metadata),
            tei_corpus_with(&[sample], &[], metadata),
        )
    }

    fn build_time() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 5, 1, 12, 30, 5).unwrap()
    }

    /// Metadata with every field set to something other than its default.
    fn configured() -> Metadata {
        Metadata {
            title: "Korea 1950".to_owned(),
            subtitle: Some("A chronology".to_owned()),
            editors: vec!["A. Editor".to_owned(), "B. Editor".to_owned()],
            publisher: "The Press".to_owned(),
            language: "en-GB".to_owned(),
            licence: crate::edition::Licence::from_spdx("CC-BY-4.0"),
            identifier_base: "https://example.org/korea/".to_owned(),
            subjects: vec!["Korean War".to_owned(), "Sino-Soviet relations".to_owned()],
            media_kinds: BTreeMap::from([("pic".to_owned(), "Photograph".to_owned())]),
            volume_subtitles: BTreeMap::from([("1950".to_owned(), "A chronology".to_owned())]),
            build_time: Some(build_time()),
            ..Metadata::default()
        }
    }

    // Checking.

    /// Validates `xml` against TEI P5 `tei_all` with jing; a missing jing fails the test.
    fn assert_valid(xml: &str) {
        let schema = std::env::var_os("TEI_SCHEMA")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/tei_all.rng")
            });
        let mut file = tempfile::Builder::new().suffix(".xml").tempfile().unwrap();
        file.write_all(xml.as_bytes()).unwrap();
        let output = match Command::new("jing").arg(&schema).arg(file.path()).output() {
            Ok(output) => output,
            Err(error) if error.kind() == io::ErrorKind::NotFound => panic!(
                "jing is not installed, so TEI validity cannot be checked: \
                 install it (`make test` does, or `apt-get install jing`)"
            ),
            Err(error) => panic!("cannot run jing: {error}"),
        };
        assert!(
            output.status.success(),
            "jing rejects the TEI against {}:\n{}{}\n{xml}",
            schema.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
    }

    fn is(node: Node, name: &str) -> bool {
        node.is_element()
            && node.tag_name().name() == name
            && node.tag_name().namespace() == Some(TEI_NS)
    }

    /// Every TEI element `name` below `node`, in document order (`node//name`).
    fn all<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
        node.descendants()
            .filter(|n| *n != node && is(*n, name))
            .collect()
    }

    /// The TEI children `name` of `node` (`node/name`).
    fn children<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
        node.children().filter(|n| is(*n, name)).collect()
    }

    /// The one TEI element `name` below `node`.
    fn one<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Node<'a, 'i> {
        let found = all(node, name);
        assert_eq!(
            found.len(),
            1,
            "expected one <{name}>, found {}",
            found.len()
        );
        found[0]
    }

    /// The string value of `node`, as XPath's `string()`.
    fn string(node: Node) -> String {
        node.descendants()
            .filter_map(|n| n.text().filter(|_| n.is_text()))
            .collect()
    }

    fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
        node.attribute(name)
    }

    // The tests.

    #[test]
    #[should_panic(expected = "jing rejects the TEI")]
    fn the_validity_check_rejects_what_breaks_the_schema() {
        assert_valid(&format!(
            "<TEI xmlns=\"{TEI_NS}\"><text><body><q/></body></text></TEI>"
        ));
    }

    #[test]
    fn a_day_is_one_valid_tei_document() {
        let xml = tei_day(&sample(), &[date(1950, 1, 19), date(1950, 1, 22)]);
        assert_valid(&xml);
        let unresolved = tei_day(&sample(), &[date(1950, 1, 22)]);
        assert_valid(&unresolved);
    }

    #[test]
    fn the_root_declares_the_namespace_and_the_configured_language() {
        let metadata = Metadata {
            language: "de".to_owned(),
            ..Metadata::default()
        };
        let xml = tei_day_with(&sample(), &[], &metadata);
        assert!(xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"de\">\n"
        ));
        assert!(xml.ends_with("</TEI>\n"));
    }

    #[test]
    fn the_language_is_declared_in_lang_usage_by_its_code_alone() {
        for (metadata, code) in [(Metadata::default(), "en"), (configured(), "en-GB")] {
            let (day, corpus) = day_and_corpus(&metadata);
            for xml in [day, corpus] {
                let doc = Document::parse(&xml).unwrap();
                let usage = all(doc.root(), "langUsage");
                let language = one(usage[0], "language");
                assert_eq!(attr(language, "ident"), Some(code));
                assert_eq!(string(language), "");
            }
        }
    }

    #[test]
    fn the_header_names_the_heading_the_publisher_the_licence_the_source_and_the_day() {
        let metadata = Metadata {
            publisher: "Archive & Co".to_owned(),
            licence: crate::edition::Licence::from_spdx("CC-BY-4.0"),
            ..Metadata::default()
        };
        let xml = tei_day_with(&sample(), &[], &metadata);
        let doc = Document::parse(&xml).unwrap();
        let header = one(doc.root(), "teiHeader");
        let title = one(one(header, "titleStmt"), "title");
        assert_eq!(string(title), "January 22, 1950 (Sunday)");
        let publication = one(header, "publicationStmt");
        assert_eq!(string(one(publication, "publisher")), "Archive & Co");
        let licence = one(one(publication, "availability"), "licence");
        assert_eq!(
            string(licence),
            "Creative Commons Attribution 4.0 International (CC-BY-4.0)"
        );
        assert_eq!(
            attr(licence, "target"),
            Some("https://creativecommons.org/licenses/by/4.0/")
        );
        let idno = one(one(header, "sourceDesc"), "idno");
        assert_eq!(
            (attr(idno, "type"), string(idno).as_str()),
            (Some("file"), "1950-01-22.txt")
        );
        let created = one(one(one(header, "profileDesc"), "creation"), "date");
        assert_eq!(attr(created, "when"), Some("1950-01-22"));
    }

    #[test]
    fn the_build_time_dates_the_publication_and_the_revision_and_is_absent_otherwise() {
        let built = Metadata {
            build_time: Some(build_time()),
            ..Metadata::default()
        };
        let (day, corpus) = day_and_corpus(&built);
        for xml in [day, corpus] {
            assert_valid(&xml);
            let doc = Document::parse(&xml).unwrap();
            let header = doc.root_element().first_element_child().unwrap();
            let published = children(one(header, "publicationStmt"), "date");
            assert_eq!(published.len(), 1);
            assert_eq!(attr(published[0], "when"), Some("2024-05-01T12:30:05Z"));
            assert_eq!(string(published[0]), "May 1, 2024");
            let changes = children(children(header, "revisionDesc")[0], "change");
            assert_eq!(changes.len(), 1);
            assert_eq!(attr(changes[0], "when"), Some("2024-05-01T12:30:05Z"));
            assert_eq!(
                string(changes[0]),
                format!("Converted by daybook {}.", env!("CARGO_PKG_VERSION"))
            );
        }

        let (day, corpus) = day_and_corpus(&Metadata::default());
        for xml in [day, corpus] {
            let doc = Document::parse(&xml).unwrap();
            let header = doc.root_element().first_element_child().unwrap();
            assert!(children(one(header, "publicationStmt"), "date").is_empty());
            assert!(all(doc.root(), "revisionDesc").is_empty());
            assert!(!xml.contains("2024"));
        }
    }

    #[test]
    fn the_corpus_title_is_the_collection_title_and_year_followed_by_the_subtitle() {
        let titles = |metadata: &Metadata| {
            let (_, corpus) = day_and_corpus(metadata);
            let doc = Document::parse(&corpus).unwrap();
            let header = children(doc.root_element(), "teiHeader")[0];
            assert!(all(one(header, "seriesStmt"), "idno").is_empty());
            children(one(header, "titleStmt"), "title")
                .into_iter()
                .map(|t| (attr(t, "type").map(str::to_owned), string(t)))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            titles(&Metadata::default()),
            [(None, "Day notes, 1950".to_owned())]
        );
        assert_eq!(
            titles(&configured()),
            [
                (None, "Korea 1950, 1950".to_owned()),
                (Some("sub".to_owned()), "A chronology".to_owned())
            ]
        );
    }

    #[test]
    fn a_day_keeps_its_heading_as_title_and_names_the_collection_in_its_series() {
        let series = |metadata: &Metadata| {
            let (day, _) = day_and_corpus(metadata);
            let doc = Document::parse(&day).unwrap();
            let titles = children(one(doc.root(), "titleStmt"), "title");
            assert_eq!(titles.len(), 1);
            assert_eq!(string(titles[0]), "January 22, 1950 (Sunday)");
            children(one(doc.root(), "seriesStmt"), "title")
                .into_iter()
                .map(|t| (attr(t, "type").map(str::to_owned), string(t)))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            series(&Metadata::default()),
            [(None, "Day notes".to_owned())]
        );
        assert_eq!(
            series(&configured()),
            [
                (None, "Korea 1950".to_owned()),
                (Some("sub".to_owned()), "A chronology".to_owned())
            ]
        );
    }

    #[test]
    fn each_editor_is_an_editor_of_the_title_statement_in_the_order_given() {
        let editors = |metadata: &Metadata| {
            let (day, corpus) = day_and_corpus(metadata);
            [day, corpus].map(|xml| {
                let doc = Document::parse(&xml).unwrap();
                let header = doc.root_element().first_element_child().unwrap();
                assert_eq!(all(header, "editor").len(), metadata.editors.len());
                children(one(header, "titleStmt"), "editor")
                    .into_iter()
                    .map(string)
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(editors(&Metadata::default()), [[""; 0], [""; 0]]);
        let two = ["A. Editor", "B. Editor"];
        assert_eq!(editors(&configured()), [two, two]);
    }

    #[test]
    fn the_identifiers_are_the_base_followed_by_the_day_or_the_year() {
        let identifiers = |metadata: &Metadata| {
            let (day, corpus) = day_and_corpus(metadata);
            [day, corpus].map(|xml| {
                let doc = Document::parse(&xml).unwrap();
                let header = doc.root_element().first_element_child().unwrap();
                let mut found = Vec::new();
                for statement in ["publicationStmt", "seriesStmt"] {
                    for statement in all(header, statement) {
                        for idno in children(statement, "idno") {
                            assert_eq!(attr(idno, "type"), Some("URI"));
                            found.push(string(idno));
                        }
                    }
                }
                found
            })
        };
        assert_eq!(
            identifiers(&Metadata::default()),
            [
                vec!["urn:daybook:1950-01-22", "urn:daybook:1950"],
                vec!["urn:daybook:1950"]
            ]
        );
        assert_eq!(
            identifiers(&configured()),
            [
                vec![
                    "https://example.org/korea/1950-01-22",
                    "https://example.org/korea/1950"
                ],
                vec!["https://example.org/korea/1950"]
            ]
        );
    }

    #[test]
    fn subjects_are_keywords_and_without_subjects_there_is_no_text_class() {
        let (day, corpus) = day_and_corpus(&configured());
        for xml in [day, corpus] {
            let doc = Document::parse(&xml).unwrap();
            let header = doc.root_element().first_element_child().unwrap();
            let class = one(one(header, "profileDesc"), "textClass");
            let terms: Vec<_> = children(one(class, "keywords"), "term")
                .into_iter()
                .map(string)
                .collect();
            assert_eq!(terms, ["Korean War", "Sino-Soviet relations"]);
        }
        let (day, corpus) = day_and_corpus(&Metadata::default());
        for xml in [day, corpus] {
            let doc = Document::parse(&xml).unwrap();
            assert!(all(doc.root(), "textClass").is_empty());
        }
    }

    #[test]
    fn the_encoding_description_names_daybook_its_version_and_what_it_does_to_the_notes() {
        let xml = tei_day(&sample(), &[]);
        let doc = Document::parse(&xml).unwrap();
        let encoding = one(doc.root(), "encodingDesc");
        let application = one(one(encoding, "appInfo"), "application");
        assert_eq!(attr(application, "ident"), Some("daybook"));
        assert_eq!(
            attr(application, "version"),
            Some(env!("CARGO_PKG_VERSION"))
        );
        assert!(string(one(encoding, "projectDesc")).contains("plain-text day notes"));
        let editorial = one(encoding, "editorialDecl");
        let parts: Vec<_> = editorial
            .children()
            .filter(Node::is_element)
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(parts, ["normalization", "quotation", "interpretation"]);
        let normalization = string(one(editorial, "normalization"));
        for rule in ["lines are joined", "U+FFFD"] {
            assert!(normalization.contains(rule), "{normalization}");
        }
        assert_eq!(attr(one(editorial, "quotation"), "marks"), Some("some"));
    }

    #[test]
    fn a_media_kind_with_a_label_is_written_as_the_label_keyed_by_its_code() {
        let xml = tei_day_with(&sample(), &[], &configured());
        assert!(xml.contains(
            "<item><date when=\"1950-01-22\">19500122 0000</date> \
             <term type=\"media-kind\" key=\"int\">int</term></item>"
        ));
        assert!(xml.contains(
            "<item><date when=\"1950-01-22T14:35:00\">19500122 1435</date> \
             <term type=\"media-kind\" key=\"pic\">Photograph</term></item>"
        ));
        assert_valid(&xml);
    }

    #[test]
    fn a_day_and_a_corpus_with_every_field_set_are_valid_with_their_header_parts_in_order() {
        let (day, corpus) = day_and_corpus(&configured());
        for xml in [&day, &corpus] {
            assert_valid(xml);
        }
        let shape = |node: Node| -> Vec<String> {
            node.children()
                .filter(Node::is_element)
                .map(|n| n.tag_name().name().to_owned())
                .collect()
        };
        let doc = Document::parse(&day).unwrap();
        let header = doc.root_element().first_element_child().unwrap();
        assert_eq!(
            shape(header),
            ["fileDesc", "encodingDesc", "profileDesc", "revisionDesc"]
        );
        assert_eq!(
            shape(one(header, "fileDesc")),
            ["titleStmt", "publicationStmt", "seriesStmt", "sourceDesc"]
        );
        assert_eq!(
            shape(one(header, "publicationStmt")),
            ["publisher", "date", "idno", "availability"]
        );
        let doc = Document::parse(&corpus).unwrap();
        let header = doc.root_element().first_element_child().unwrap();
        assert_eq!(
            shape(header),
            ["fileDesc", "encodingDesc", "profileDesc", "revisionDesc"]
        );
        assert_eq!(
            shape(children(header, "fileDesc")[0]),
            ["titleStmt", "publicationStmt", "seriesStmt", "sourceDesc"]
        );
    }

    #[test]
    fn the_heading_dates_the_day_and_keeps_the_weekday_as_written() {
        let mut misdated = sample();
        misdated.day.heading.weekday = Some(Weekday::Mon);
        let xml = tei_day(&misdated, &[]);
        assert!(
            xml.contains("<head><date when=\"1950-01-22\">January 22, 1950</date> (Monday)</head>")
        );

        let mut bare = sample();
        bare.day.heading.weekday = None;
        let xml = tei_day(&bare, &[]);
        assert!(xml.contains("<head><date when=\"1950-01-22\">January 22, 1950</date></head>"));
        let doc = Document::parse(&xml).unwrap();
        assert_eq!(
            string(one(one(doc.root(), "titleStmt"), "title")),
            "January 22, 1950"
        );
    }

    #[test]
    fn sections_are_divs_numbered_from_one_inside_the_day_div() {
        let xml = tei_day(&sample(), &[]);
        let doc = Document::parse(&xml).unwrap();
        let body = one(doc.root(), "body");
        let days = children(body, "div");
        assert_eq!(days.len(), 1);
        assert_eq!(attr(days[0], "type"), Some("day"));
        assert_eq!(days[0].attribute((XML_NS, "id")), Some("day-1950-01-22"));
        let sections: Vec<_> = children(days[0], "div")
            .into_iter()
            .map(|div| (attr(div, "type"), attr(div, "n")))
            .collect();
        assert_eq!(
            sections,
            [
                (Some("section"), Some("1")),
                (Some("section"), Some("2")),
                (Some("section"), Some("3"))
            ]
        );
    }

    #[test]
    fn a_list_inside_a_sentence_stays_inside_its_paragraph() {
        let xml = tei_day(&sample(), &[]);
        let doc = Document::parse(&xml).unwrap();
        let first = children(all(doc.root(), "div")[1], "p")[0];
        let list = children(first, "list");
        assert_eq!(list.len(), 1);
        assert_eq!(attr(list[0], "type"), Some("ordered"));
        let items: Vec<_> = children(list[0], "item")
            .into_iter()
            .map(|item| (attr(item, "n").unwrap(), string(item)))
            .collect();
        assert_eq!(
            items,
            [
                ("1", "Wang Jiaxiang,".to_owned()),
                ("2", "Li Fuchun".to_owned())
            ]
        );
        let words = string(first)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            words,
            "Two days later, Zhou, joined by Wang Jiaxiang, Li Fuchun started negotiations."
        );
    }

    #[test]
    fn a_list_standing_alone_is_an_ordered_list_keeping_its_numbers() {
        let alone = day(
            date(1950, 1, 22),
            vec![section(vec![Block::List(list(&[
                (3, "three"),
                (7, "seven"),
            ]))])],
        );
        let xml = tei_day(&alone, &[]);
        assert_valid(&xml);
        assert!(xml.contains(
            "<div type=\"section\" n=\"1\" rend=\"nohead\" xml:id=\"day-1950-01-22-s1\">\n          \
             <list type=\"ordered\" xml:id=\"day-1950-01-22-s1-p1\">\n            \
             <item n=\"3\">three</item>\n            <item n=\"7\">seven</item>\n          \
             </list>\n        </div>"
        ));
    }

    #[test]
    fn citations_keep_their_numbers_in_n_and_their_brackets_as_text() {
        let xml = tei_day(&sample(), &[]);
        let doc = Document::parse(&xml).unwrap();
        let citations: Vec<_> = all(doc.root(), "ref")
            .into_iter()
            .filter(|r| attr(*r, "type") == Some("citation"))
            .map(|r| (attr(r, "n").unwrap(), string(r)))
            .collect();
        assert_eq!(
            citations,
            [
                ("56", "[56]".to_owned()),
                ("56 57", "[56, 57]".to_owned()),
                ("56-58 60", "[56-58, 60]".to_owned()),
            ]
        );
        // A citation the grammar left as text stays text.
        assert!(xml.contains(" Approved.[65] <ref"));
    }

    #[test]
    fn a_resolved_cross_reference_links_to_the_other_day_file() {
        let xml = tei_day(&sample(), &[date(1950, 1, 19)]);
        assert!(xml.contains(
            "Korean soldiers. [<ref type=\"crossref\" \
             target=\"1950-01-19.xml#day-1950-01-19\">see the 19th</ref>] Approved."
        ));
    }

    #[test]
    fn an_unresolved_cross_reference_stays_bracketed_text() {
        let xml = tei_day(&sample(), &[date(1950, 1, 20)]);
        assert!(xml.contains("Korean soldiers. [see the 19th] Approved."));
        let doc = Document::parse(&xml).unwrap();
        assert!(
            all(doc.root(), "ref")
                .iter()
                .all(|r| attr(*r, "type") == Some("citation"))
        );
    }

    #[test]
    fn a_quotation_is_a_q_without_the_quote_marks() {
        let xml = tei_day(&sample(), &[]);
        assert!(xml.contains("the other side <q>must go all out.</q><ref"));
    }

    #[test]
    fn mixed_content_is_written_without_inserted_whitespace() {
        let tight = day(
            date(1950, 1, 22),
            vec![section(vec![prose(vec![
                quote(vec![text("a")]),
                cite(&[NoteRef::Note(1)]),
                quote(vec![cite(&[NoteRef::Note(2)])]),
                text("b"),
            ])])],
        );
        let xml = tei_day(&tight, &[]);
        assert!(xml.contains(
            "<p xml:id=\"day-1950-01-22-s1-p1\"><q>a</q><ref type=\"citation\" n=\"1\">[1]</ref>\
             <q><ref type=\"citation\" n=\"2\">[2]</ref></q>b</p>"
        ));
    }

    #[test]
    fn the_correspondence_line_is_a_bibl_with_sender_recipient_and_title() {
        let xml = tei_day(&sample(), &[]);
        assert!(xml.contains(
            "<bibl type=\"correspondence\" xml:id=\"day-1950-01-22-s3-p1\"><persName role=\"sender\">William Batt, Jr.</persName> \
             to <persName role=\"recipient\">E.W. Kenworthy</persName> concerning \
             <title>Captain Martin's reassignment</title>..</bibl>"
        ));
    }

    #[test]
    fn media_codes_are_dated_items_of_one_media_list() {
        let xml = tei_day(&sample(), &[]);
        assert!(xml.contains(
            "<list type=\"media\" xml:id=\"day-1950-01-22-s3-p2\">\n            \
             <item><date when=\"1950-01-22\">19500122 0000</date> \
             <term type=\"media-kind\" key=\"int\">int</term></item>\n            \
             <item><date when=\"1950-01-22T14:35:00\">19500122 1435</date> \
             <term type=\"media-kind\" key=\"pic\">pic</term></item>\n          </list>"
        ));
    }

    #[test]
    fn the_label_is_a_feature_label() {
        let xml = tei_day(&sample(), &[]);
        assert!(xml.contains("\n          <label type=\"feature\" xml:id=\"day-1950-01-22-s3-p3\">Songs of the week</label>\n"));
    }

    #[test]
    fn the_closing_line_is_a_closer_ending_the_day_div() {
        let xml = tei_day(&sample(), &[]);
        let doc = Document::parse(&xml).unwrap();
        let day_div = one(doc.root(), "body").first_element_child().unwrap();
        let last = day_div.last_element_child().unwrap();
        assert!(is(last, "closer"));
        assert!(xml.contains(
            "<closer xml:id=\"day-1950-01-22-closer\"><dateline>Notes for <date when=\"1950-01-22\">Sunday January 22, 1950</date>\
             </dateline></closer>"
        ));
    }

    #[test]
    fn a_day_without_sections_stays_valid() {
        let empty = day(date(1950, 1, 22), Vec::new());
        let xml = tei_day(&empty, &[]);
        assert_valid(&xml);
        let doc = Document::parse(&xml).unwrap();
        assert!(
            all(doc.root(), "div")
                .iter()
                .all(|d| attr(*d, "type") == Some("day"))
        );
        assert_eq!(all(doc.root(), "closer").len(), 1);

        let mut no_closing = empty;
        no_closing.day.closing = None;
        let xml = tei_day(&no_closing, &[]);
        assert_valid(&xml);
        assert!(!xml.contains("<ab"));
    }

    #[test]
    fn markup_characters_are_escaped_and_forbidden_ones_replaced_visibly() {
        let tricky = "Tom & Jerry <b> 1 > 0 ]]> \"said\" it's 周恩来 Вышинский عربي \u{7}!";
        let kept = tricky.replace('\u{7}', "\u{FFFD}");
        let mut day = day(
            date(1950, 1, 22),
            vec![section(vec![
                prose(vec![text(tricky), quote(vec![text(tricky)])]),
                correspondence(tricky, tricky, tricky, tricky),
                label(tricky),
            ])],
        );
        day.source = format!("{tricky}.txt");
        let metadata = Metadata {
            title: tricky.to_owned(),
            subtitle: Some(tricky.to_owned()),
            editors: vec![tricky.to_owned()],
            publisher: tricky.to_owned(),
            identifier_base: tricky.to_owned(),
            subjects: vec![tricky.to_owned()],
            ..Metadata::default()
        };
        let xml = tei_day_with(&day, &[], &metadata);
        assert!(!xml.contains('\u{7}'));
        assert!(xml.contains("Tom &amp; Jerry &lt;b&gt; 1 &gt; 0 ]]&gt; \"said\" it's 周恩来"));
        assert_valid(&xml);
        let doc = Document::parse(&xml).unwrap();
        let section = all(doc.root(), "div")[1];
        assert_eq!(string(children(section, "p")[0]), format!("{kept}{kept}"));
        assert_eq!(string(children(section, "label")[0]), kept);
        let bibl = children(section, "bibl")[0];
        assert_eq!(
            string(bibl),
            format!("{kept} to {kept} concerning {kept}{kept}")
        );
        for name in ["publisher", "editor", "term"] {
            assert_eq!(string(one(doc.root(), name)), kept, "{name}");
        }
        let series: Vec<_> = all(one(doc.root(), "seriesStmt"), "title")
            .into_iter()
            .map(string)
            .collect();
        assert_eq!(series, [kept.as_str(); 2]);
        let idno: Vec<_> = all(doc.root(), "idno").into_iter().map(string).collect();
        assert_eq!(
            idno,
            [
                format!("{kept}1950-01-22"),
                format!("{kept}1950"),
                format!("{kept}.txt")
            ]
        );
    }

    #[test]
    fn a_corpus_has_its_own_header_and_one_tei_per_day_in_date_order() {
        let mut second = day(date(1950, 1, 19), Vec::new());
        second.source = "january.txt".to_owned();
        let mut third = day(date(1950, 1, 20), Vec::new());
        third.source = "january.txt".to_owned();
        let days = [second, third, sample()];
        let known = [date(1950, 1, 19), date(1950, 1, 20), date(1950, 1, 22)];
        let xml = tei_corpus(&days, &known);
        assert_valid(&xml);
        assert!(xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <teiCorpus xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"en\">\n"
        ));
        assert_eq!(xml.matches("xmlns=").count(), 1);

        let doc = Document::parse(&xml).unwrap();
        let corpus = doc.root_element();
        let header = children(corpus, "teiHeader")[0];
        assert_eq!(
            string(one(one(header, "titleStmt"), "title")),
            "Day notes, 1950"
        );
        let files: Vec<_> = all(one(header, "sourceDesc"), "idno")
            .into_iter()
            .map(string)
            .collect();
        assert_eq!(files, ["january.txt", "1950-01-22.txt"]);
        let span = one(one(header, "creation"), "date");
        assert_eq!(
            (attr(span, "from"), attr(span, "to")),
            (Some("1950-01-19"), Some("1950-01-22"))
        );

        let members: Vec<_> = children(corpus, "TEI")
            .into_iter()
            .map(|tei| {
                let div = one(tei, "body").first_element_child().unwrap();
                div.attribute((XML_NS, "id")).unwrap().to_owned()
            })
            .collect();
        assert_eq!(
            members,
            ["day-1950-01-19", "day-1950-01-20", "day-1950-01-22"]
        );
        assert!(
            xml.contains("[<ref type=\"crossref\" target=\"#day-1950-01-19\">see the 19th</ref>]")
        );
    }

    #[test]
    fn an_empty_corpus_is_refused() {
        let (days, metadata) = (BTreeSet::new(), Metadata::default());
        let mut out = Vec::new();
        let error = write_corpus(1950, &[], &context(&days, &metadata), &mut out).unwrap_err();
        assert!(matches!(&error, EditionError::Io(e) if e.kind() == io::ErrorKind::InvalidInput));
        assert!(out.is_empty());
    }
}
