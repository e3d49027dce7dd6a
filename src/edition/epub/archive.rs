//! The book's ZIP container, written with the zip crate: a stored `mimetype` first (the OCF
//! rule that lets a reading system recognise the book from its first bytes), then every
//! entry deflated, all with one timestamp and one permission, so that two builds of the same
//! book are byte-identical.
//!
//! A run of chapters is deflated into an archive of its own ([`Archive::entries`]), so that
//! the pipeline can compress runs side by side; [`Archive::merge`] then copies their
//! compressed bytes, unchanged, into the book in chapter order, which gives the same bytes as
//! writing every entry into the book one after the other.
//!
//! The zip crate starts a compressor for every entry and has no way to take one already
//! started, or data already deflated. Reusing one compressor (flate2's `Compress::reset`)
//! was measured on the generated year's 372 documents, best of 20 runs: 19.2 ms against
//! 20.4 ms with a fresh one each, which does not pay for writing the ZIP container by hand.

use std::io::{Cursor, Seek, Write};

use chrono::{DateTime, Datelike, Timelike, Utc};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::edition::EditionError;

/// The deflate level of every entry, chosen by measurement of zlib-rs, the compressor the
/// zip crate drives, on the generated year's book: at level 6 it is 692,063 bytes, at 4
/// 695,279 (0.5% more), at 3 698,031, at 2 713,963 (3.2% more), at 1 923,833 (33% more,
/// zlib-rs's level 1 being its quick strategy). Level 4 keeps level 6's lazy matching with
/// shorter searches: an EPUB-only forced build of the year took 63.9 ms of CPU against 68.4
/// at 6 (one worker, medians of 31 interleaved runs); levels 3 and 2 took 65.8 and 62.5,
/// within the runs' spread of level 4's, for a larger book.
const LEVEL: i64 = 4;

/// What an EPUB reading system checks first: the archive's first entry, stored.
const MIMETYPE: &[u8] = b"application/epub+zip";

/// A ZIP archive being written: the book, or a run of its chapters.
pub(super) struct Archive<W: Write + Seek> {
    zip: ZipWriter<W>,
    options: SimpleFileOptions,
}

impl Archive<Cursor<Vec<u8>>> {
    /// `entries` deflated into an archive in memory, to be merged into a book written with
    /// the same `build_time`.
    pub(super) fn entries<'a>(
        build_time: Option<DateTime<Utc>>,
        entries: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<Vec<u8>, EditionError> {
        let mut archive = Self::new(Cursor::new(Vec::new()), build_time);
        for (name, bytes) in entries {
            archive.add(name, bytes)?;
        }
        Ok(archive.zip.finish().map_err(zip_error)?.into_inner())
    }
}

impl<W: Write + Seek> Archive<W> {
    fn new(out: W, build_time: Option<DateTime<Utc>>) -> Self {
        Self {
            zip: ZipWriter::new(out),
            options: SimpleFileOptions::default()
                .compression_method(CompressionMethod::Deflated)
                .compression_level(Some(LEVEL))
                .last_modified_time(zip_time(build_time))
                .unix_permissions(0o644),
        }
    }

    /// A book's archive, its `mimetype` written.
    pub(super) fn book(out: W, build_time: Option<DateTime<Utc>>) -> Result<Self, EditionError> {
        let mut archive = Self::new(out, build_time);
        let stored = archive
            .options
            .compression_method(CompressionMethod::Stored)
            .compression_level(None);
        archive
            .zip
            .start_file("mimetype", stored)
            .map_err(zip_error)?;
        archive.zip.write_all(MIMETYPE)?;
        Ok(archive)
    }

    /// Deflates `bytes` as the entry `name`.
    pub(super) fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), EditionError> {
        self.zip.start_file(name, self.options).map_err(zip_error)?;
        self.zip.write_all(bytes)?;
        Ok(())
    }

    /// Copies the entries of `archive` (made by [`Archive::entries`]) after those written so
    /// far, without compressing them again.
    pub(super) fn merge(&mut self, archive: &[u8]) -> Result<(), EditionError> {
        let archive = ZipArchive::new(Cursor::new(archive)).map_err(zip_error)?;
        self.zip.merge_archive(archive).map_err(zip_error)
    }

    /// Writes the central directory.
    pub(super) fn finish(self) -> Result<(), EditionError> {
        self.zip.finish().map_err(zip_error)?;
        Ok(())
    }
}

/// The timestamp of every archive entry: the build time when the zip format can hold it
/// (1980 to 2107), else the format's epoch, 1980-01-01 00:00.
pub(super) fn zip_time(build_time: Option<DateTime<Utc>>) -> zip::DateTime {
    build_time
        .and_then(|time| {
            zip::DateTime::from_date_and_time(
                u16::try_from(time.year()).ok()?,
                u8::try_from(time.month()).ok()?,
                u8::try_from(time.day()).ok()?,
                u8::try_from(time.hour()).ok()?,
                u8::try_from(time.minute()).ok()?,
                u8::try_from(time.second()).ok()?,
            )
            .ok()
        })
        .unwrap_or_default()
}

fn zip_error(error: zip::result::ZipError) -> EditionError {
    EditionError::Epub(format!("cannot write the archive: {error}"))
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use chrono::DateTime;
    use zip::ZipArchive;

    use super::{Archive, zip_time};

    fn names_and_texts(book: &[u8]) -> Vec<(String, String)> {
        let mut archive = ZipArchive::new(Cursor::new(book)).unwrap();
        (0..archive.len())
            .map(|index| {
                let mut entry = archive.by_index(index).unwrap();
                let mut text = String::new();
                entry.read_to_string(&mut text).unwrap();
                (entry.name().to_owned(), text)
            })
            .collect()
    }

    #[test]
    fn merged_runs_give_the_bytes_of_entries_written_one_after_the_other() {
        let time = DateTime::from_timestamp(1_700_000_000, 0);
        let entries = [
            ("a.xhtml", "first"),
            ("b.xhtml", "second"),
            ("c.xhtml", "third"),
        ]
        .map(|(name, text)| (name, text.as_bytes()));

        let mut merged = Cursor::new(Vec::new());
        let mut book = Archive::book(&mut merged, time).unwrap();
        book.merge(&Archive::entries(time, entries[..2].iter().copied()).unwrap())
            .unwrap();
        book.merge(&Archive::entries(time, entries[2..].iter().copied()).unwrap())
            .unwrap();
        book.finish().unwrap();

        let mut direct = Cursor::new(Vec::new());
        let mut book = Archive::book(&mut direct, time).unwrap();
        for (name, bytes) in entries {
            book.add(name, bytes).unwrap();
        }
        book.finish().unwrap();

        assert_eq!(merged.get_ref(), direct.get_ref());
        assert_eq!(
            names_and_texts(merged.get_ref()),
            [
                ("mimetype", "application/epub+zip"),
                ("a.xhtml", "first"),
                ("b.xhtml", "second"),
                ("c.xhtml", "third")
            ]
            .map(|(name, text)| (name.to_owned(), text.to_owned()))
        );
    }

    #[test]
    fn zip_timestamps_come_from_the_build_time_within_the_zip_range() {
        let time = zip_time(DateTime::from_timestamp(1_700_000_000, 0));
        assert_eq!(
            (
                time.year(),
                time.month(),
                time.day(),
                time.hour(),
                time.minute()
            ),
            (2023, 11, 14, 22, 13)
        );
        let epoch = zip::DateTime::default();
        assert_eq!(zip_time(None), epoch);
        assert_eq!(zip_time(DateTime::from_timestamp(0, 0)), epoch);
    }
}
