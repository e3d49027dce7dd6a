//! XHTML chapter bodies, shared by the EPUB edition.
