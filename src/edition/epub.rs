//! The EPUB 3 edition.

use std::io::{Seek, Write};

use super::{Context, EditionError, SourcedDay};

/// Writes a year's days, in date order, as one EPUB 3 book.
pub fn write_book<W: Write + Seek>(
    year: i32,
    days: &[SourcedDay],
    ctx: &Context,
    out: W,
) -> Result<(), EditionError> {
    let _ = (year, days, ctx, out);
    todo!("EPUB book")
}
