//! The register AST: the persons and places an editor registers in `*.register` files beside
//! the notes, and the mentions of them that mention finding marks in the day AST.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Position;

/// Whether an entry is a person or a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A person, `[[person]]`.
    Person,
    /// A place, `[[place]]`.
    Place,
}

impl EntityKind {
    /// Both kinds, persons first.
    pub const ALL: [EntityKind; 2] = [EntityKind::Person, EntityKind::Place];

    /// The table name in a register file, `person` or `place`.
    pub fn table(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
        }
    }

    /// What the editions prefix the entry's id with, so that a person and a place may share
    /// an id in the register and never in a document: `p-`, `pl-`.
    pub fn id_prefix(self) -> &'static str {
        match self {
            EntityKind::Person => "p-",
            EntityKind::Place => "pl-",
        }
    }
}

/// One registered person or place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Person or place.
    pub kind: EntityKind,
    /// The editor's id, lower-case letters, digits and hyphens: `zhou-enlai`.
    pub id: String,
    /// The preferred name, as the indexes show it: `Zhou Enlai`.
    pub name: String,
    /// Other spellings found in the notes, `Zhou`, `Chou En-lai`, `周恩来`: matched like the
    /// name.
    pub variants: Vec<String>,
    /// When the person was born (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub born: Option<String>,
    /// When the person died, written as `born`.
    pub died: Option<String>,
    /// A short note on who or what this is.
    pub note: Option<String>,
    /// Authority identifiers: `wikidata` (`Q16977`), `viaf`, `geonames`, in that order.
    pub authorities: Vec<(Authority, String)>,
    /// Where the entry's table header is in its register file.
    pub pos: Position,
}

impl Entry {
    /// The `xml:id` and XHTML `id` of the entry: `p-zhou-enlai`, `pl-port-arthur`.
    pub fn xml_id(&self) -> String {
        format!("{}{}", self.kind.id_prefix(), self.id)
    }
}

/// An authority file an entry can be identified in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    /// Wikidata, `Q16977`.
    Wikidata,
    /// The Virtual International Authority File, digits.
    Viaf,
    /// GeoNames, digits.
    Geonames,
}

impl Authority {
    /// Every authority, in the order the editions list them.
    pub const ALL: [Authority; 3] = [Authority::Wikidata, Authority::Viaf, Authority::Geonames];

    /// The key in a register file and the TEI `idno/@type`.
    pub fn key(self) -> &'static str {
        match self {
            Authority::Wikidata => "wikidata",
            Authority::Viaf => "viaf",
            Authority::Geonames => "geonames",
        }
    }

    /// The web address of the identifier `id` in this authority.
    pub fn url(self, id: &str) -> String {
        match self {
            Authority::Wikidata => format!("https://www.wikidata.org/wiki/{id}"),
            Authority::Viaf => format!("https://viaf.org/viaf/{id}"),
            Authority::Geonames => format!("https://www.geonames.org/{id}"),
        }
    }
}

/// The collection's register: every usable entry, by kind and id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    /// The entries, by (kind, id).
    pub entries: BTreeMap<(EntityKind, String), Entry>,
}

impl Register {
    /// An empty register: the collection has no register file.
    pub const fn new() -> Self {
        Self {
            entries: BTreeMap::new(),
        }
    }

    /// Whether the register holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry of `kind` with `id`.
    pub fn get(&self, kind: EntityKind, id: &str) -> Option<&Entry> {
        self.entries.get(&(kind, id.to_owned()))
    }
}

/// A mention of a registered entry in the text, marked by mention finding; the text is kept
/// exactly as typed (a variant, a transliteration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    /// The words as typed.
    pub text: String,
    /// Person or place.
    pub kind: EntityKind,
    /// The id of the entry it names.
    pub id: String,
    /// Where the mention starts (that of the text it was found in: positions inside joined
    /// lines are known to the grammar alone).
    pub pos: Position,
}
