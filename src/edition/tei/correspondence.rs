//! Correspondence lines: the `<bibl type="correspondence">` in the day's text, naming sender
//! and recipient as `<persName role="…">`, and the `<correspDesc>` in the header that points at
//! it (docs/tei-encoding.md, "Registers").

use std::io::{self, Write};

use quick_xml::events::BytesStart;

use super::{TeiWriter, element, iso_date};
use crate::ast::{Block, Correspondence, Day, EntityKind, SubjectPart};

/// A correspondence line of a day, with the `xml:id` of its `<bibl>`.
pub(super) struct Letter<'d> {
    pub(super) id: String,
    pub(super) line: &'d Correspondence,
}

/// The correspondence lines of `day`, with the ids `write_block` gives their `<bibl>`s.
pub(super) fn letters<'d>(day: &'d Day, day_id: &str) -> Vec<Letter<'d>> {
    let mut found = Vec::new();
    for (s, section) in day.sections.iter().enumerate() {
        for (b, block) in section.blocks.iter().enumerate() {
            if let Block::Correspondence(line) = block {
                found.push(Letter {
                    id: format!("{day_id}-s{}-p{}", s + 1, b + 1),
                    line,
                });
            }
        }
    }
    found
}

impl<W: Write> TeiWriter<'_, W> {
    pub(super) fn write_correspondence(
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
        self.start(BytesStart::new("title"))?;
        for part in correspondence.subject_parts() {
            match part {
                SubjectPart::Text(words) => self.text(words)?,
                SubjectPart::Name(name) => self.write_name(name)?,
            }
        }
        self.end("title")?;
        self.text(&correspondence.trailing)?;
        for citation in &correspondence.citations {
            self.write_citation(citation)?;
        }
        self.end("bibl")
    }

    /// A correspondent's `<persName>` in the body, with its `@role` and, when the register
    /// holds the person, its `@ref`.
    pub(super) fn write_correspondent(
        &mut self,
        role: &str,
        name: &str,
        id: Option<&str>,
    ) -> io::Result<()> {
        let mut start = element("persName", &[("role", role)]);
        if let Some(entry) = id.and_then(|id| self.ctx.register.get(EntityKind::Person, id)) {
            start.push_attribute(("ref", format!("#{}", entry.xml_id()).as_str()));
        }
        self.inline(start, name)
    }

    /// One `<correspDesc>` per correspondence line, pointing at the line's `<bibl>`: who
    /// sent it, who received it, and the day's date as the date it was sent. Written only
    /// with a register, so that a collection without one keeps its headers.
    pub(super) fn write_corresp_descs(
        &mut self,
        letters: &[Letter],
        date: chrono::NaiveDate,
    ) -> io::Result<()> {
        if self.ctx.register.is_empty() {
            return Ok(());
        }
        let when = iso_date(date);
        for letter in letters {
            self.open(element(
                "correspDesc",
                &[("corresp", &format!("#{}", letter.id))],
            ))?;
            for (kind, name, id) in [
                ("sent", &letter.line.sender, &letter.line.sender_id),
                (
                    "received",
                    &letter.line.recipient,
                    &letter.line.recipient_id,
                ),
            ] {
                self.open(element("correspAction", &[("type", kind)]))?;
                self.newline()?;
                let mut start = BytesStart::new("persName");
                if let Some(entry) = id
                    .as_deref()
                    .and_then(|id| self.ctx.register.get(EntityKind::Person, id))
                {
                    start.push_attribute(("ref", format!("#{}", entry.xml_id()).as_str()));
                }
                self.inline(start, name)?;
                if kind == "sent" {
                    self.empty(element("date", &[("when", &when)]))?;
                }
                self.close("correspAction")?;
            }
            self.close("correspDesc")?;
        }
        Ok(())
    }
}
