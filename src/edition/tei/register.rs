//! The register in TEI: mentions as `<persName ref="#p-zhou-enlai">` and
//! `<placeName ref="#pl-port-arthur">`, the entries they point to as `<listPerson>` and
//! `<listPlace>` in the `<standOff>`, and correspondence lines as `<correspDesc>` in the
//! header (docs/tei-encoding.md, "Registers").
//!
//! The lists go where the notes go, and for the same reasons: a per-day document carries the
//! entries it mentions after its `<text>` and stands alone; a `<teiCorpus>` carries each entry
//! its days mention once, after its header, which the members' `@ref`s point into.

use std::collections::BTreeSet;
use std::io::{self, Write};

use quick_xml::events::BytesStart;

use super::{TeiWriter, element, iso_date};
use crate::ast::{Block, Correspondence, Day, EntityKind, Entry, Name};
use crate::edition::Context;

/// The register entries `days` mention that the register holds, persons first, each once.
pub(super) fn mentioned<'a>(
    ctx: &Context<'a>,
    days: impl IntoIterator<Item = &'a Day>,
) -> Vec<&'a Entry> {
    let mut found: BTreeSet<(EntityKind, &str)> = BTreeSet::new();
    for day in days {
        found.extend(day.entities());
    }
    found
        .into_iter()
        .filter_map(|(kind, id)| ctx.register.get(kind, id))
        .collect()
}

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

fn name_element(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "persName",
        EntityKind::Place => "placeName",
    }
}

impl<W: Write> TeiWriter<'_, W> {
    /// A mention, linked to its entry when the register holds it.
    pub(super) fn write_name(&mut self, name: &Name) -> io::Result<()> {
        let mut start = BytesStart::new(name_element(name.kind));
        if let Some(entry) = self.ctx.register.get(name.kind, &name.id) {
            start.push_attribute(("ref", format!("#{}", entry.xml_id()).as_str()));
        }
        self.inline(start, &name.text)
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

    /// `<listPerson>` and `<listPlace>` holding `entries`; nothing for a kind without any.
    pub(super) fn write_register_lists(&mut self, entries: &[&Entry]) -> io::Result<()> {
        for kind in EntityKind::ALL {
            let of_kind: Vec<&&Entry> = entries.iter().filter(|e| e.kind == kind).collect();
            if of_kind.is_empty() {
                continue;
            }
            let list = match kind {
                EntityKind::Person => "listPerson",
                EntityKind::Place => "listPlace",
            };
            self.open(BytesStart::new(list))?;
            for entry in of_kind {
                self.write_entry(entry)?;
            }
            self.close(list)?;
        }
        Ok(())
    }

    fn write_entry(&mut self, entry: &Entry) -> io::Result<()> {
        let (element_name, name) = match entry.kind {
            EntityKind::Person => ("person", "persName"),
            EntityKind::Place => ("place", "placeName"),
        };
        self.open(element(element_name, &[("xml:id", &entry.xml_id())]))?;
        self.line(element(name, &[("type", "preferred")]), &entry.name)?;
        for variant in &entry.variants {
            self.line(element(name, &[("type", "variant")]), variant)?;
        }
        if let Some(born) = &entry.born {
            self.empty(element("birth", &[("when", born)]))?;
        }
        if let Some(died) = &entry.died {
            self.empty(element("death", &[("when", died)]))?;
        }
        for (authority, id) in &entry.authorities {
            self.line(element("idno", &[("type", authority.key())]), id)?;
        }
        if let Some(note) = &entry.note {
            self.line(BytesStart::new("note"), note)?;
        }
        self.close(element_name)
    }
}
