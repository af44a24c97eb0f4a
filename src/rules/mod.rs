//! Checks on a parsed document beyond syntax.
//!
//! [`check`] runs every rule that applies to a document under the profile
//! its content suggests; [`check_with`] lets the caller choose the profile
//! and pass what only the file system knows (name, size). Each rule
//! reports with a stable code documented in `docs/diagnostics.md`.
//!
//! Rules by concern: `structure` (required statements, IDs, duplicates),
//! `definitions` (named enums and paths), `values` (a value against its
//! type), `tables` (rows against their template, keys), `dmi` (the
//! ComponentID group and LANGUAGE), `status` (SMS/ConfigMgr status MIFs)
//! and `inventory` (NOIDMIF/IDMIF inventory MIFs).

mod definitions;
mod dmi;
mod inventory;
mod status;
mod structure;
mod tables;
mod values;

use std::fmt;

use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::Document;

pub(crate) use status::component_id_group;
pub use status::{status_rules, JOB_STATUS_CLASS};

/// What kind of MIF a file is, which decides the rules beyond the DMI core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    /// A DMI component file: DMI's own rules, value/type mismatches are errors.
    Dmi,
    /// An SMS/ConfigMgr install status MIF (a `MICROSOFT|JOBSTATUS|1.0` group).
    Status,
    /// An SMS/ConfigMgr inventory MIF without identification headers.
    NoIdMif,
    /// An SMS/ConfigMgr inventory MIF with `//Architecture<...>` headers.
    IdMif,
}

impl Profile {
    /// Every profile, for listings and tests.
    pub const ALL: [Profile; 4] = [
        Profile::Dmi,
        Profile::Status,
        Profile::NoIdMif,
        Profile::IdMif,
    ];

    /// The name used on the command line (`--profile noidmif`).
    pub fn name(self) -> &'static str {
        match self {
            Profile::Dmi => "dmi",
            Profile::Status => "status",
            Profile::NoIdMif => "noidmif",
            Profile::IdMif => "idmif",
        }
    }

    /// Guess the profile from the content and, for NOIDMIFs, the path:
    /// a `MICROSOFT|JOBSTATUS|1.0` group makes a status MIF, an
    /// `//Architecture<...>` header an IDMIF, a file in a `Noidmifs` folder a
    /// NOIDMIF (its content looks like any DMI component); else DMI.
    pub fn detect(doc: &Document, file_name: Option<&str>) -> Profile {
        if status::has_job_status_group(doc) {
            Profile::Status
        } else if inventory::architecture_header(doc).is_some() {
            Profile::IdMif
        } else if file_name.is_some_and(inventory::is_in_noidmif_folder) {
            Profile::NoIdMif
        } else {
            Profile::Dmi
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the rules may know beyond the document itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleOptions<'a> {
    /// The profile to check against; `None` detects it ([`Profile::detect`]).
    pub profile: Option<Profile>,
    /// The file's path or name, for extension and folder rules.
    pub file_name: Option<&'a str>,
    /// The file's size in bytes; `None` uses the size of the decoded text
    /// encoded back.
    pub file_size: Option<u64>,
}

/// All rule diagnostics for a document under the detected profile, in
/// source order. Syntax diagnostics are in [`Document::diagnostics`]; this
/// adds the rest.
pub fn check(doc: &Document) -> Vec<Diagnostic> {
    check_with(doc, &RuleOptions::default())
}

/// All rule diagnostics for a document, with a chosen profile and what the
/// file system knows about the file.
pub fn check_with(doc: &Document, options: &RuleOptions) -> Vec<Diagnostic> {
    let profile = options
        .profile
        .unwrap_or_else(|| Profile::detect(doc, options.file_name));
    // ConfigMgr reads status values as text and its limits are undocumented,
    // so there a value that does not fit its type is only a warning.
    let value_severity = if profile == Profile::Status {
        Severity::Warning
    } else {
        Severity::Error
    };
    let mut diagnostics = Vec::new();
    structure::check(doc, &mut diagnostics);
    if let Some(component) = doc.component() {
        let definitions = definitions::Definitions::collect(component);
        definitions.check(doc, component, &mut diagnostics);
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
        Profile::Status => {
            diagnostics.extend(status_rules(doc));
            status::check_file_name(doc, options.file_name, &mut diagnostics);
        }
        Profile::NoIdMif => inventory::check_noidmif(doc, options.file_size, &mut diagnostics),
        Profile::IdMif => inventory::check_idmif(doc, options.file_size, &mut diagnostics),
    }
    if options.file_name.is_some_and(inventory::is_nhm) {
        inventory::check_nhm_pragmas(doc, &mut diagnostics);
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.severity != Severity::Error));
    diagnostics
}
