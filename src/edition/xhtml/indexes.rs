//! The indexes of persons and places at the back of a book (EPUB Indexes 1.0:
//! `epub:type="index"`, `index-entry`, `index-term`, `index-locator`), and the links from each
//! mention in a chapter to its entry there.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use chrono::NaiveDate;
use quick_xml::Writer;

use super::{day_id, escaped, newline, text};
use crate::ast::{Day, EntityKind, Entry, Name, Register};
use crate::edition::long_date;

/// The index of persons' file name in the book.
pub const PERSONS_HREF: &str = "persons.xhtml";
/// The index of places' file name in the book.
pub const PLACES_HREF: &str = "places.xhtml";

/// The file name of the index of `kind`, and its title.
pub fn index_of(kind: EntityKind) -> (&'static str, &'static str) {
    match kind {
        EntityKind::Person => (PERSONS_HREF, "Index of persons"),
        EntityKind::Place => (PLACES_HREF, "Index of places"),
    }
}

/// A mention: a link to its entry in the book's index, or, on a web page (the site has no
/// index pages yet), the name marked by its kind without a link that would lead nowhere.
pub(super) fn write_name<W: Write>(w: &mut Writer<W>, name: &Name, linked: bool) -> io::Result<()> {
    let (index, _) = index_of(name.kind);
    let href = format!("{index}#{}{}", name.kind.id_prefix(), name.id);
    let class = match name.kind {
        EntityKind::Person => "name person",
        EntityKind::Place => "name place",
    };
    let element = if linked {
        w.create_element("a")
            .with_attributes([("href", href.as_str()), ("class", class)])
    } else {
        w.create_element("span").with_attribute(("class", class))
    };
    element.write_text_content(escaped(&name.text))?;
    Ok(())
}

/// A correspondent, its `role` (`sender`, `recipient`) as its class: in a book, a link to its
/// entry in the index of persons when the register holds it (`id`), as a mention is; else the
/// name alone.
pub(super) fn write_correspondent<W: Write>(
    w: &mut Writer<W>,
    role: &str,
    name: &str,
    id: Option<&str>,
    linked: bool,
) -> io::Result<()> {
    let element = match id.filter(|_| linked) {
        Some(id) => {
            let prefix = EntityKind::Person.id_prefix();
            let href = format!("{PERSONS_HREF}#{prefix}{id}");
            let class = format!("{role} name person");
            w.create_element("a")
                .with_attributes([("href", href.as_str()), ("class", class.as_str())])
        }
        None => w.create_element("span").with_attribute(("class", role)),
    };
    element.write_text_content(escaped(name))?;
    Ok(())
}

/// One index of a book: the entries its chapters mention, in collation order, each with the
/// chapters (href and date) that mention it.
#[derive(Debug)]
pub struct Index<'a> {
    /// Persons or places.
    pub kind: EntityKind,
    entries: Vec<(&'a Entry, Vec<(String, NaiveDate)>)>,
}

impl<'a> Index<'a> {
    /// The indexes of persons and of places of the chapters `days` (written as `hrefs`); an
    /// index no chapter needs is left out.
    pub fn of_book<'d>(
        register: &'a Register,
        days: impl IntoIterator<Item = (&'d Day, &'d String)>,
    ) -> Vec<Index<'a>> {
        let mut places: BTreeMap<(EntityKind, &str), Vec<(String, NaiveDate)>> = BTreeMap::new();
        for (day, href) in days {
            let entities: BTreeSet<(EntityKind, &str)> = day.entities();
            for entity in entities {
                places
                    .entry(entity)
                    .or_default()
                    .push((format!("{href}#{}", day_id(day.date())), day.date()));
            }
        }
        EntityKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let mut entries: Vec<(&Entry, Vec<(String, NaiveDate)>)> = places
                    .iter()
                    .filter(|((k, _), _)| *k == kind)
                    .filter_map(|(&(k, id), found)| Some((register.get(k, id)?, found.clone())))
                    .collect();
                entries.sort_by_cached_key(|(entry, _)| {
                    (collation_key(&entry.name), entry.name.clone())
                });
                (!entries.is_empty()).then_some(Index { kind, entries })
            })
            .collect()
    }

    /// Writes the body of the index document.
    pub fn write<W: Write>(&self, w: &mut Writer<W>) -> io::Result<()> {
        let (_, title) = index_of(self.kind);
        w.create_element("section")
            .with_attributes([
                ("class", "index"),
                ("epub:type", "index"),
                ("role", "doc-index"),
                ("aria-labelledby", "index-title"),
            ])
            .write_inner_content(|w| {
                newline(w)?;
                w.create_element("h1")
                    .with_attribute(("id", "index-title"))
                    .write_text_content(escaped(title))?;
                newline(w)?;
                w.create_element("ul")
                    .with_attribute(("epub:type", "index-entry-list"))
                    .write_inner_content(|w| {
                        newline(w)?;
                        for (entry, found) in &self.entries {
                            write_entry(w, entry, found)?;
                        }
                        Ok(())
                    })?;
                newline(w)
            })?;
        newline(w)
    }
}

fn write_entry<W: Write>(
    w: &mut Writer<W>,
    entry: &Entry,
    found: &[(String, NaiveDate)],
) -> io::Result<()> {
    w.create_element("li")
        .with_attributes([
            ("id", entry.xml_id().as_str()),
            ("epub:type", "index-entry"),
        ])
        .write_inner_content(|w| {
            w.create_element("span")
                .with_attribute(("epub:type", "index-term"))
                .write_text_content(escaped(&entry.name))?;
            for (href, date) in found {
                text(w, ", ")?;
                w.create_element("a")
                    .with_attributes([("href", href.as_str()), ("epub:type", "index-locator")])
                    .write_text_content(escaped(&long_date(*date)))?;
            }
            Ok(())
        })?;
    newline(w)
}

/// The primary collation key of a name: case and the diacritics of Latin letters ignored,
/// as the Unicode root collation orders them at its first level (`Lüshun` beside `Lushun`,
/// `de Gaulle` among the Ds); ties are broken by the name as written.
fn collation_key(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ì'..='ï' | 'ī' | 'į' => 'i',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò'..='ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ù'..='ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'š' | 'ś' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            other => other,
        })
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::collation_key;

    #[test]
    fn case_and_diacritics_do_not_order_names_at_the_first_level() {
        let mut names = vec!["Zhou Enlai", "lüshun", "Lushun", "Andong", "Émile"];
        names.sort_by_key(|n| (collation_key(n), n.to_string()));
        assert_eq!(names, ["Andong", "Émile", "Lushun", "lüshun", "Zhou Enlai"]);
    }
}
