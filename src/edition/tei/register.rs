//! The register in TEI: mentions as `<persName ref="#p-zhou-enlai">` and
//! `<placeName ref="#pl-port-arthur">`, the entries they point to as `<listPerson>` and
//! `<listPlace>` in the `<standOff>` (docs/tei-encoding.md, "Registers"; correspondents are
//! in `correspondence.rs`).
//!
//! The lists go where the notes go, and for the same reasons: a per-day document carries the
//! entries it mentions after its `<text>` and stands alone; a `<teiCorpus>` carries each entry
//! its days mention once, after its header, which the members' `@ref`s point into.

use std::collections::BTreeSet;
use std::io::{self, Write};

use quick_xml::events::BytesStart;

use super::{TeiWriter, element};
use crate::ast::{Day, EntityKind, Entry, Name};
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
