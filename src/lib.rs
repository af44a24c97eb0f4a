//! `mif`: read, check, format and write DMTF Management Information Format
//! files, losslessly.
//!
//! Data flows one way: bytes ([`source`]) -> tokens ([`lexer`]) -> tree
//! ([`syntax`]) -> the one [`check`](mod@check) and the printed text
//! ([`printer`]). What a MIF means (types, dates, tables, status fields,
//! classes, profiles) is written once, in [`model`]; the check words it,
//! and every writer ([`edit`], [`status`], the [`printer`]) is judged by
//! it before a byte is written.
//!
//! ```
//! use mif::{check, CheckOptions, Document};
//!
//! // Parse: every byte is kept.
//! let doc = Document::parse(b"start component\n  name = \"x\"\nend component\n");
//! assert!(!doc.has_errors());
//! assert_eq!(doc.component().and_then(|c| c.name()), Some("x"));
//! assert_eq!(doc.print_verbatim(), doc.text());
//!
//! // Check: syntax, then the rules of the file's profile.
//! let findings = check(&doc, &CheckOptions::default());
//! assert!(findings.iter().all(|d| !d.is_error()));
//!
//! // Format: the canonical style, verified before it is returned.
//! let formatted = mif::printer::format(&doc, &Default::default())?;
//! assert_eq!(formatted, "START COMPONENT\n    NAME = \"x\"\nEND COMPONENT\n");
//! # Ok::<(), mif::printer::FormatError>(())
//! ```
//!
//! Each step has a fuller example where it lives:
//!
//! - parse a file and walk its tree, broken files too: [`syntax`]
//!   ([`Document::parse`]);
//! - check it against its profile: [`check`](mod@check);
//! - format it with options, as bytes in the file's encoding:
//!   [`printer`] ([`printer::format_bytes`]);
//! - set one value in place, every other byte kept: [`edit`]
//!   ([`Document::set_value`]);
//! - write a status MIF and read it back as the client will: [`status`]
//!   ([`status::StatusMif`]).
//!
//! The `cli` feature (on by default) builds the `mif` command, `lsp` the
//! language server; without them the crate is the library alone.

#![warn(missing_docs)]

pub mod check;
mod chunk;
pub mod config;
pub mod diagnostics;
pub mod edit;
pub mod explain;
pub mod inventory;
pub mod json;
pub mod lexer;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod model;
pub mod printer;
mod rules;
pub mod source;
pub mod span;
pub mod status;
pub mod syntax;
#[cfg(any(unix, windows))]
pub mod write;

pub use check::{check, CheckOptions};
pub use diagnostics::{Diagnostic, Severity};
pub use model::Profile;
pub use source::{Encoding, LineEnding, Source};
pub use span::Span;
pub use syntax::Document;
