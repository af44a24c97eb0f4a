//! `mif`: read, check, format and write DMTF Management Information Format
//! files, losslessly.
//!
//! Data flows one way: bytes ([`source`]) -> tokens ([`lexer`]) -> tree
//! ([`syntax`]) -> checks ([`rules`]).
//!
//! ```
//! let doc = mif::Document::parse(b"START COMPONENT\n  NAME = \"x\"\nEND COMPONENT\n");
//! assert!(!doc.has_errors());
//! assert_eq!(doc.component().and_then(|c| c.name()), Some("x"));
//! assert_eq!(doc.print_verbatim(), doc.text());
//! ```

mod chunk;
pub mod diagnostics;
pub mod edit;
pub mod explain;
pub mod lexer;
pub mod lsp;
pub mod printer;
pub mod rules;
pub mod source;
pub mod span;
pub mod status;
pub mod syntax;
pub mod write;

pub use diagnostics::{Diagnostic, Severity};
pub use source::{Encoding, LineEnding, Source};
pub use span::Span;
pub use syntax::Document;
