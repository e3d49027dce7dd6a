//! The canonical plain-text edition.
