//! daybook converts folders of plain-text day notes into TEI, EPUB and plain-text editions.

pub mod ast;
pub mod edition;
