//! Checks on a parsed document beyond syntax.
//!
//! [`check`] runs the structural rules every MIF must follow (required
//! statements, IDs, duplicates). Each rule reports with a stable code
//! documented in `docs/diagnostics.md`.

mod structure;
mod values;

use crate::diagnostics::Diagnostic;
use crate::syntax::Document;

/// All rule diagnostics for a document, in source order. Syntax
/// diagnostics are in [`Document::diagnostics`]; this adds the rest.
pub fn check(doc: &Document) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    structure::check(doc, &mut diagnostics);
    values::check(doc, &mut diagnostics);
    diagnostics.sort_by_key(|d| d.span.start);
    diagnostics
}
