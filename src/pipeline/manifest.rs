//! `output/manifest.json`: every output with its digest, key, sources and stamp, and the
//! build's diagnostics; the previous build's manifest is what [`super::plan`] compares with.

use std::collections::BTreeMap;
use std::io::BufReader;
use std::sync::Arc;

use serde::ser::SerializeStruct as _;
use serde::{Deserialize, Serialize, Serializer};

use super::FileReport;
use super::index::NoteRecord;
use super::output_dir::{OutputDir, Stamp};
use super::plan::{Planned, Unit, Written};

/// The manifest's file name inside the output folder.
pub const MANIFEST: &str = "manifest.json";

/// One output of a build, as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestOutput {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    /// SHA-256 of the file's bytes.
    #[serde(with = "digest_hex")]
    pub sha256: [u8; 32],
    /// Digest of everything the output depends on; equal keys mean equal outputs.
    #[serde(with = "digest_hex")]
    pub key: [u8; 32],
    /// The source files and the lines of the day headings it came from.
    pub sources: Vec<ManifestSource>,
    /// The file's size, time and inode when it was written: a file whose stamp differs on
    /// the next build was changed (or written by a build that was killed before its
    /// manifest) and is rebuilt. Missing in manifests of older versions, which rebuilds all.
    #[serde(default)]
    pub stamp: Stamp,
}

/// A day heading an output came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestSource {
    /// The source file, relative to the input folder: one string shared by every output of
    /// the file's days (a century's books name each of its notes three times or more).
    #[serde(with = "shared_str")]
    pub file: Arc<str>,
    /// The line of the day heading.
    pub line: u32,
}

/// `output/manifest.json`: what the last build wrote, from what, and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The daybook version that wrote it.
    pub daybook: String,
    /// Every output, in path order.
    pub outputs: Vec<ManifestOutput>,
    /// The diagnostics of the build, by file.
    pub diagnostics: Vec<FileReport>,
    /// What the notes were read with (daybook's version and the reading options): the
    /// records in `notes` are reused only by a build that reads notes the same way.
    #[serde(default)]
    pub reading: String,
    /// Every note read without error, with its stamp and what the index pass learnt from
    /// it, so that the next build need not read it again while its stamp is unchanged.
    #[serde(default)]
    pub notes: Vec<NoteRecord>,
}

impl Manifest {
    /// The notes recorded by a build that read them as `reading`, by path.
    pub(super) fn notes_read_as(&self, reading: &str) -> BTreeMap<&str, &NoteRecord> {
        if self.reading != reading {
            return BTreeMap::new();
        }
        self.notes.iter().map(|n| (n.path(), n)).collect()
    }

    /// The manifest in `output`, streamed from its file: a century's manifest is tens of
    /// megabytes, which read whole would be held beside what they are parsed into.
    pub(super) fn load(output: &OutputDir) -> Option<Self> {
        serde_json::from_reader(BufReader::new(output.open_read(MANIFEST)?)).ok()
    }
}

/// The manifest a build writes, serialized as a [`Manifest`] straight from what the build
/// holds: built as one, a century's manifest would hold a hundred thousand paths and half a
/// million sources a second time, at the end of the build, beside everything else.
pub(super) struct NewManifest<'a, S> {
    /// Every output, in path order.
    pub(super) planned: &'a [Planned],
    /// For each planned output, in the same order, the digest and stamp of its file.
    pub(super) files: &'a [Option<Written>],
    /// The day headings a unit is made of.
    pub(super) sources: S,
    pub(super) diagnostics: &'a [FileReport],
    pub(super) reading: &'a str,
    pub(super) notes: &'a [NoteRecord],
}

impl<S: Fn(Unit) -> Vec<ManifestSource>> NewManifest<'_, S> {
    /// Every output as the manifest records it, one at a time.
    fn outputs(&self) -> impl Iterator<Item = ManifestOutput> + '_ {
        self.planned.iter().zip(self.files).map(|(p, file)| {
            let (sha256, stamp) = file.unwrap_or_default();
            ManifestOutput {
                path: p.path.clone(),
                sha256,
                key: p.key,
                sources: (self.sources)(p.unit),
                stamp,
            }
        })
    }

    /// Whether `previous` records just what this manifest does.
    pub(super) fn is(&self, previous: &Manifest) -> bool {
        previous.daybook == env!("CARGO_PKG_VERSION")
            && previous.reading == self.reading
            && previous.diagnostics == self.diagnostics
            && previous.notes == self.notes
            && previous.outputs.len() == self.planned.len()
            && previous
                .outputs
                .iter()
                .zip(self.outputs())
                .all(|(old, new)| *old == new)
    }
}

impl<S: Fn(Unit) -> Vec<ManifestSource>> Serialize for NewManifest<'_, S> {
    // The fields of [`Manifest`], in its order.
    fn serialize<Z: Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        struct Outputs<'m, 'a, S>(&'m NewManifest<'a, S>);
        impl<S: Fn(Unit) -> Vec<ManifestSource>> Serialize for Outputs<'_, '_, S> {
            fn serialize<Z: Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
                s.collect_seq(self.0.outputs())
            }
        }
        let mut manifest = s.serialize_struct("Manifest", 5)?;
        manifest.serialize_field("daybook", env!("CARGO_PKG_VERSION"))?;
        manifest.serialize_field("outputs", &Outputs(self))?;
        manifest.serialize_field("diagnostics", self.diagnostics)?;
        manifest.serialize_field("reading", self.reading)?;
        manifest.serialize_field("notes", self.notes)?;
        manifest.end()
    }
}

/// Lower-case hex, as the manifest records digests.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    hex
}

/// A shared string, written as the string.
mod shared_str {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(text: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(text)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
        String::deserialize(d).map(Arc::from)
    }
}

/// Digests as 64 hex digits in the manifest, and as their 32 bytes in memory.
pub(super) mod digest_hex {
    use std::fmt;

    use serde::de::{Error, Visitor};
    use serde::{Deserializer, Serializer};

    pub(in super::super) fn serialize<S: Serializer>(
        digest: &[u8; 32],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hex(digest))
    }

    pub(in super::super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<[u8; 32], D::Error> {
        d.deserialize_str(Hex)
    }

    /// Reads a digest from any string, borrowed or not (a streamed manifest lends none).
    struct Hex;

    impl Visitor<'_> for Hex {
        type Value = [u8; 32];

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a digest of 64 hex digits")
        }

        fn visit_str<E: Error>(self, text: &str) -> Result<[u8; 32], E> {
            let mut digest = [0; 32];
            if text.len() != 64 || !text.is_ascii() {
                return Err(E::custom("a digest is 64 hex digits"));
            }
            for (byte, pair) in digest.iter_mut().zip(text.as_bytes().chunks(2)) {
                let pair = std::str::from_utf8(pair).map_err(E::custom)?;
                *byte = u8::from_str_radix(pair, 16).map_err(E::custom)?;
            }
            Ok(digest)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ManifestOutput, hex};

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn digests_are_written_as_hex_and_read_back_as_bytes() {
        let output = ManifestOutput {
            path: "txt/1950.txt".to_owned(),
            sha256: [0xa5; 32],
            key: [7; 32],
            sources: vec![super::ManifestSource {
                file: "1950/a.txt".into(),
                line: 3,
            }],
            stamp: Default::default(),
        };
        let json = serde_json::to_string(&output).unwrap();
        assert!(
            json.contains(&format!("\"sha256\":\"{}\"", "a5".repeat(32))),
            "{json}"
        );
        assert!(
            json.contains(&format!("\"key\":\"{}\"", "07".repeat(32))),
            "{json}"
        );
        assert_eq!(
            serde_json::from_str::<ManifestOutput>(&json).unwrap(),
            output
        );
        // Streamed, as a manifest is loaded: the digests are read from strings not lent.
        assert_eq!(
            serde_json::from_reader::<_, ManifestOutput>(json.as_bytes()).unwrap(),
            output
        );
        let short = json.replace(&"07".repeat(32), "07");
        assert!(serde_json::from_str::<ManifestOutput>(&short).is_err());
    }
}
