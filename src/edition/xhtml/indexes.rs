//! The indexes of persons and places at the back of a book (EPUB Indexes 1.0:
//! `epub:type="index"`, `index-entry`, `index-term`, `index-locator`), and the links from each
//! mention in a chapter to its entry there.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use chrono::NaiveDate;
use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorPreferences};
use icu_locale_core::Locale;
use quick_xml::Writer;

use super::{day_id, escaped, newline, text};
use crate::ast::{Day, EntityKind, Entry, Name, Register};
use crate::edition::{long_date, tag};

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
        w.create_element(tag("a"))
            .with_attributes([("href", href.as_str()), ("class", class)])
    } else {
        w.create_element(tag("span"))
            .with_attribute(("class", class))
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
            w.create_element(tag("a"))
                .with_attributes([("href", href.as_str()), ("class", class.as_str())])
        }
        None => w
            .create_element(tag("span"))
            .with_attribute(("class", role)),
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
    /// The indexes of persons and of places of the chapters `days` (written as `hrefs`), in
    /// the collation order of the book's `language`; an index no chapter needs is left out.
    pub fn of_book<'d>(
        register: &'a Register,
        language: &str,
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
                sort_by_name(&mut entries, language, |(entry, _)| {
                    (&entry.name, &entry.id)
                });
                (!entries.is_empty()).then_some(Index { kind, entries })
            })
            .collect()
    }

    /// Writes the body of the index document.
    pub fn write<W: Write>(&self, w: &mut Writer<W>) -> io::Result<()> {
        let (_, title) = index_of(self.kind);
        w.create_element(tag("section"))
            .with_attributes([
                ("class", "index"),
                ("epub:type", "index"),
                ("role", "doc-index"),
                ("aria-labelledby", "index-title"),
            ])
            .write_inner_content(|w| {
                newline(w)?;
                w.create_element(tag("h1"))
                    .with_attribute(("id", "index-title"))
                    .write_text_content(escaped(title))?;
                newline(w)?;
                w.create_element(tag("ul"))
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
    w.create_element(tag("li"))
        .with_attributes([
            ("id", entry.xml_id().as_str()),
            ("epub:type", "index-entry"),
        ])
        .write_inner_content(|w| {
            w.create_element(tag("span"))
                .with_attribute(("epub:type", "index-term"))
                .write_text_content(escaped(&entry.name))?;
            for (href, date) in found {
                text(w, ", ")?;
                w.create_element(tag("a"))
                    .with_attributes([("href", href.as_str()), ("epub:type", "index-locator")])
                    .write_text_content(escaped(&long_date(*date)))?;
            }
            Ok(())
        })?;
    newline(w)
}

/// Sorts `items` by the name `key` gives, as the book's `language` (a BCP 47 tag) collates
/// names, with CLDR's data as ICU4X compiles it in: Swedish puts `Å` after `Z`, Czech `Ch`
/// after `H`, and a language without a tailoring of its own falls back to the root
/// collation, which orders `Lüshun` just after `Lushun` and `de Gaulle` among the Ds. Items
/// that collate alike are ordered by the id `key` gives, so that the order never depends on
/// the register's.
fn sort_by_name<T>(items: &mut [T], language: &str, key: impl Fn(&T) -> (&str, &str)) {
    // The configuration checks the tag's shape only: a tag ICU cannot read gets the root
    // collation, as a language it has no data for does.
    let preferences = language
        .parse::<Locale>()
        .map(|locale| CollatorPreferences::from(&locale))
        .unwrap_or_default();
    let collator = Collator::try_new(preferences, CollatorOptions::default()).ok();
    items.sort_by(|a, b| {
        let ((a_name, a_id), (b_name, b_id)) = (key(a), key(b));
        collator
            .as_ref()
            .map_or(Ordering::Equal, |c| c.compare(a_name, b_name))
            .then_with(|| a_name.cmp(b_name))
            .then_with(|| a_id.cmp(b_id))
    });
}

#[cfg(test)]
mod tests {
    use super::sort_by_name;

    fn sorted<'a>(language: &str, names: &[&'a str]) -> Vec<&'a str> {
        let mut names = names.to_vec();
        sort_by_name(&mut names, language, |name| (name, ""));
        names
    }

    #[test]
    fn case_and_diacritics_come_after_the_letters_in_the_root_collation() {
        let names = ["Zhou Enlai", "lüshun", "Lushun", "Andong", "Émile"];
        let root = ["Andong", "Émile", "Lushun", "lüshun", "Zhou Enlai"];
        assert_eq!(sorted("en", &names), root);
        assert_eq!(sorted("en-GB", &names), root);
        assert_eq!(
            sorted("fr", &["Debré", "de Gaulle"]),
            ["de Gaulle", "Debré"]
        );
    }

    #[test]
    fn swedish_puts_a_with_ring_after_z() {
        let names = ["Åre", "Zinkgruvan", "Alvesta", "Örebro", "Ystad"];
        assert_eq!(
            sorted("sv", &names),
            ["Alvesta", "Ystad", "Zinkgruvan", "Åre", "Örebro"]
        );
        // English, like the folding of accents the indexes used before, files `Å` under A.
        assert_eq!(
            sorted("en", &names),
            ["Alvesta", "Åre", "Örebro", "Ystad", "Zinkgruvan"]
        );
    }

    #[test]
    fn czech_puts_ch_after_h_and_c_with_caron_after_c() {
        let names = [
            "Chomutov",
            "Hodonín",
            "Cheb",
            "Ivančice",
            "Čáslav",
            "Cvikov",
        ];
        assert_eq!(
            sorted("cs", &names),
            [
                "Cvikov",
                "Čáslav",
                "Hodonín",
                "Cheb",
                "Chomutov",
                "Ivančice"
            ]
        );
    }

    #[test]
    fn a_tag_icu_cannot_read_gets_the_root_collation_and_ties_go_by_id() {
        assert!("en_GB!".parse::<icu_locale_core::Locale>().is_err());
        assert_eq!(
            sorted("en_GB!", &["Åre", "b", "Zeta"]),
            ["Åre", "b", "Zeta"]
        );
        let mut entries = [("Li", "li-2"), ("Li", "li-1")];
        sort_by_name(&mut entries, "en", |&(name, id)| (name, id));
        assert_eq!(entries, [("Li", "li-1"), ("Li", "li-2")]);
    }
}
