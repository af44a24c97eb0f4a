//! Checks on a parsed document beyond syntax: each rule words what the
//! model (`crate::model`) says is wrong, with a stable code documented in
//! `docs/diagnostics.md`. [`crate::check`] runs them.
//!
//! Rules by concern: `structure` (required statements, IDs, duplicates),
//! `definitions` (named enums and paths), `values` (a value against its
//! type, characters the file's encoding cannot hold), `tables` (rows
//! against their template, keys), `dmi` (the ComponentID group and
//! LANGUAGE), `status` (SMS/ConfigMgr status MIFs), `inventory`
//! (NOIDMIF/IDMIF inventory MIFs) and `classes` (a class defined two ways
//! across files, for [`crate::check::compare_classes`]).

pub(crate) mod classes;
mod definitions;
mod dmi;
mod inventory;
mod status;
mod structure;
mod tables;
mod values;

use crate::check::CheckOptions;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::definitions::Definitions;
use crate::model::Profile;
use crate::syntax::Document;

/// The findings that depend on the file's size alone, for a file of
/// `size` bytes in `profile`.
pub(crate) fn size_findings(profile: Profile, size: u64) -> Vec<Diagnostic> {
    if profile.is_inventory() {
        inventory::size_finding(size).into_iter().collect()
    } else {
        Vec::new()
    }
}

/// Every rule diagnostic for a document under `profile`, in the order the
/// rules find them (the check sorts them).
pub(crate) fn run(doc: &Document, profile: Profile, options: &CheckOptions) -> Vec<Diagnostic> {
    // ConfigMgr reads status values as text and its limits are undocumented,
    // so there a value that does not fit its type is only a warning.
    let value_severity = if profile == Profile::Status {
        Severity::Warning
    } else {
        Severity::Error
    };
    let path = options.path_text();
    let mut diagnostics = Vec::new();
    structure::check(doc, &mut diagnostics);
    values::check_encodable(doc, &mut diagnostics);
    if let Some(component) = doc.component() {
        let definitions = Definitions::collect(component);
        definitions::check(doc, component, &definitions, &mut diagnostics);
        let values = values::ValueCheck {
            doc,
            definitions: &definitions,
            severity: value_severity,
        };
        values.check_attributes(component, &mut diagnostics);
        tables::check(&values, component, &mut diagnostics);
    }
    dmi::check_language(doc, &mut diagnostics);
    match profile {
        Profile::Dmi => dmi::check_component_id(doc, &mut diagnostics),
        Profile::Status => status::check(doc, path.as_deref(), &mut diagnostics),
        Profile::NoIdMif => inventory::check_noidmif(doc, options.file_size, &mut diagnostics),
        Profile::IdMif => inventory::check_idmif(doc, options.file_size, &mut diagnostics),
    }
    if path.as_deref().is_some_and(crate::model::inventory::is_nhm) {
        inventory::check_nhm_pragmas(doc, &mut diagnostics);
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces of MIF, right and wrong, to build trees of every shape.
    const PIECES: &[&str] = &[
        "START COMPONENT\n",
        "END COMPONENT\n",
        "START GROUP\n",
        "END GROUP\n",
        "START ATTRIBUTE\n",
        "END ATTRIBUTE\n",
        "START TABLE\n",
        "END TABLE\n",
        "START ENUM\n",
        "END ENUM\n",
        "START PATH\n",
        "END PATH\n",
        "NAME = \"n\"\n",
        "NAME = \" s \"\n",
        "ID = 1\n",
        "ID = 0\n",
        "CLASS = \"MICROSOFT|JOBSTATUS|1.0\"\n",
        "CLASS = \"DMTF|ComponentID|1.0\"\n",
        "CLASS = \"a|b|1\"\n",
        "KEY = 1, 2\n",
        "TYPE = STRING(4)\n",
        "TYPE = INTEGER\n",
        "TYPE = DATE\n",
        "TYPE = \"e\"\n",
        "TYPE = START ENUM 1 = \"a\" END ENUM\n",
        "VALUE = \"Success\"\n",
        "VALUE = \"toolongvalue\"\n",
        "VALUE = 99999999999\n",
        "VALUE = * \"p\"\n",
        "{1, \"a\", , 3}\n",
        "1 = \"x\"\n",
        "WIN32 = \"a.dll\"\n",
        "//Architecture<Asset>\n",
        "LANGUAGE = \"en|US|x\"\n",
        "PRAGMA = \"sms:x\"\n",
        "\"\n",
        "é€\n",
    ];

    proptest::proptest! {
        /// The rules never panic, whatever tree the parser made (broken
        /// ones included), under any profile, and their places lie in the
        /// text; nor does the whole check.
        #[test]
        fn rules_never_panic(indices in proptest::collection::vec(0..PIECES.len(), 0..120)) {
            let text: String = indices.iter().map(|&i| PIECES[i]).collect();
            let doc = Document::parse(text.as_bytes());
            for profile in Profile::ALL {
                let options = CheckOptions {
                    profile: Some(profile),
                    path: Some("x/Noidmifs/a.nhm".into()),
                    file_size: None,
                    ..CheckOptions::default()
                };
                for d in run(&doc, profile, &options) {
                    proptest::prop_assert!(d.span.end <= doc.text().len(), "{d:?}");
                }
                for d in crate::check(&doc, &options) {
                    proptest::prop_assert!(d.span.end <= doc.text().len(), "{d:?}");
                }
            }
        }
    }
}
