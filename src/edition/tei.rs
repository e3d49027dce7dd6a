//! The TEI P5 edition.

use std::io::Write;

use super::{Context, EditionError, SourcedDay};

/// Writes one day as a `<TEI>` document.
pub fn write_day<W: Write>(day: &SourcedDay, ctx: &Context, out: W) -> Result<(), EditionError> {
    let _ = (day, ctx, out);
    todo!("TEI per-day document")
}

/// Writes a year's days, in date order, as one `<teiCorpus>`.
pub fn write_corpus<W: Write>(
    year: i32,
    days: &[SourcedDay],
    ctx: &Context,
    out: W,
) -> Result<(), EditionError> {
    let _ = (year, days, ctx, out);
    todo!("TEI corpus")
}
