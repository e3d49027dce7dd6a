//! The day's text: its `div`, one function per level of the AST, from sections and blocks
//! down to inlines.

use std::io::{self, Write};

use chrono::NaiveTime;
use quick_xml::events::BytesStart;

use super::{Links, TeiWriter, day_id, element, iso_date};
use crate::ast::{
    Block, Citation, Closing, CrossRef, Day, Heading, Inline, Item, Label, List, MediaCode,
    MediaList, NoteRef, Paragraph, ParagraphPart, Section,
};
use crate::edition::{long_date, weekday_name};

impl<W: Write> TeiWriter<'_, W> {
    pub(super) fn write_day(&mut self, day: &Day) -> io::Result<()> {
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

    pub(super) fn write_citation(&mut self, citation: &Citation) -> io::Result<()> {
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

/// A cited note as written, `56` or `56-58`.
fn note_text(note: NoteRef) -> String {
    match note {
        NoteRef::Note(n) => n.to_string(),
        NoteRef::Range(from, to) => format!("{from}-{to}"),
    }
}
