//! What kind of MIF a file is, which decides the rules beyond DMI's core.

use std::fmt;

use super::{inventory, status};
use crate::syntax::Document;

/// What kind of MIF a file is.
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

    /// The profile's short name, as people choose it (`noidmif`).
    pub fn name(self) -> &'static str {
        match self {
            Profile::Dmi => "dmi",
            Profile::Status => "status",
            Profile::NoIdMif => "noidmif",
            Profile::IdMif => "idmif",
        }
    }

    /// The profile of a short name, in any case.
    pub fn named(name: &str) -> Option<Profile> {
        Profile::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Guess the profile from the content and, for NOIDMIFs, the path: an
    /// install status group makes a status MIF, an `//Architecture<...>`
    /// header an IDMIF, a file in a `Noidmifs` folder a NOIDMIF (its
    /// content looks like any DMI component); else DMI. `path` should be
    /// the file's canonical path (see `check::CheckOptions::for_path`), so
    /// the answer does not depend on how the path was typed.
    pub fn detect(doc: &Document, path: Option<&str>) -> Profile {
        if status::has_job_status_group(doc) {
            Profile::Status
        } else if inventory::architecture_header(doc).is_some() {
            Profile::IdMif
        } else if path.is_some_and(inventory::is_in_noidmif_folder) {
            Profile::NoIdMif
        } else {
            Profile::Dmi
        }
    }

    /// Whether the profile is one of SMS's inventory MIFs.
    pub fn is_inventory(self) -> bool {
        matches!(self, Profile::NoIdMif | Profile::IdMif)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
