//! daybook converts folders of plain-text day notes into TEI, EPUB and plain-text editions.

pub mod ast;
pub mod config;
pub mod diagnostic;
pub mod edition;
pub mod mentions;
pub mod pipeline;
pub mod syntax;
pub mod text;
