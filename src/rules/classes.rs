//! Rule N6 of `status-mif-behaviour.md`: a group class defined one way in
//! one file and another way in another. ConfigMgr makes a table of the
//! class it first loads; a later file with other columns or datatypes is
//! a "column or datatype mismatch" and goes to `BadMifs`.

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::signature::{ClassSignature, Difference};
use crate::model::Profile;

/// The code of a class defined two ways.
pub(crate) const CLASS_MISMATCH: &str = "mif::inventory-class-mismatch";

/// The finding on `here`, a definition of a class that `there` (in the
/// file named `there_file`) defines otherwise: an error in the inventory
/// profiles, where the loader rejects the file, a warning elsewhere.
pub(crate) fn class_mismatch(
    profile: Profile,
    here: &ClassSignature,
    there: &ClassSignature,
    there_file: &str,
    differences: &[Difference],
) -> Diagnostic {
    let severity = if profile.is_inventory() {
        Severity::Error
    } else {
        Severity::Warning
    };
    let there_place = format!("in {there_file}");
    let said: Vec<String> = differences
        .iter()
        .map(|d| d.describe(&there_place))
        .collect();
    let definition = |s: &ClassSignature| {
        let attributes: Vec<String> = s
            .attributes
            .iter()
            .map(|a| {
                let id = a.id.map_or_else(|| "-".to_string(), |id| id.to_string());
                format!(
                    "{id} \"{}\" {}{}",
                    a.name,
                    a.type_text(),
                    if a.key { " key" } else { "" }
                )
            })
            .collect();
        attributes.join(", ")
    };
    Diagnostic::new(
        CLASS_MISMATCH,
        severity,
        here.span,
        format!(
            "class \"{}\" is defined otherwise in {there_file}:{}: {}",
            here.class,
            there.line,
            said.join("; ")
        ),
    )
    .with_label(format!("a second definition of \"{}\"", here.class))
    .with_help(format!(
        "here: {}; in {there_file}: {}. ConfigMgr keeps the class as it first loaded it and \
         sends a file with other attribute names, IDs, types, lengths or keys to BadMifs (a \
         column or datatype mismatch): make the definitions the same, or give the new layout \
         a class of its own (a new version, such as ...|2.0)",
        definition(here),
        definition(there)
    ))
}
