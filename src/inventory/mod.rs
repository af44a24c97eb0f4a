//! Inventory MIFs: the NOIDMIFs and IDMIFs Configuration Manager's
//! hardware inventory collects (reference section 4).
//!
//! [`InventoryMif`] writes one from names and values, beside the status
//! MIF writer ([`crate::status::StatusMif`]): attribute IDs in order,
//! types given or sized to fit, the IDMIF headers, and the one check in
//! the file's profile before anything is written. [`client_folder`] finds
//! the folder the installed client reads. What the loader accepts (names,
//! sizes, headers, folders) is in [`crate::model::inventory`]; class
//! signatures, compared across files, in [`crate::model::signature`].
//!
//! ```
//! use mif::inventory::{InventoryAttribute, InventoryGroup, InventoryMif};
//! use mif::CheckOptions;
//!
//! let group = InventoryGroup {
//!     name: "Asset".into(),
//!     class: "ACME|Asset|1.0".into(),
//!     key: vec!["Tag".into()],
//!     attributes: vec![
//!         InventoryAttribute::new("Tag", "A-42"),
//!         InventoryAttribute::new("Owner", "Jo"),
//!     ],
//! };
//! let written = InventoryMif::noidmif(group)
//!     .write(&CheckOptions::default(), false)
//!     .expect("names and values the loader takes");
//! let doc = mif::Document::parse(&written.bytes);
//! assert_eq!(doc.groups().next().and_then(|g| g.class()), Some("ACME|Asset|1.0"));
//! ```

mod write;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use write::{Finding, Part, Place, Refused, SpecError};

pub use crate::model::inventory::Kind;
use crate::model::inventory::{client_folders, DEFAULT_COMPONENT_NAME};
use crate::syntax::IntType;

/// An inventory MIF to write: one component, its groups, and for an
/// IDMIF the headers that name the architecture and the instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryMif {
    /// The component's name.
    pub component: String,
    /// The IDMIF headers; `None` for a NOIDMIF.
    pub identity: Option<Identity>,
    /// The groups, IDs assigned in order from 1.
    pub groups: Vec<InventoryGroup>,
}

/// What an IDMIF's header comments say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `//Architecture<...>`: the architecture the data is about.
    pub architecture: String,
    /// `//UniqueID<...>`: the instance of the architecture.
    pub unique_id: String,
    /// `//AgentID<...>`: the agent that owns this part of the data.
    pub agent_id: Option<String>,
}

/// One group: an inventory class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryGroup {
    /// The group's name.
    pub name: String,
    /// The class string, which keys the inventory class.
    pub class: String,
    /// The names of the key attributes, in key order.
    pub key: Vec<String>,
    /// The attributes, IDs assigned in order from 1.
    pub attributes: Vec<InventoryAttribute>,
}

/// One attribute with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryAttribute {
    /// The attribute's name (the inventory column's).
    pub name: String,
    /// Its type; `None`: a `STRING(n)` sized to fit the value
    /// ([`crate::model::inventory::string_size_for`]).
    pub data_type: Option<AttributeType>,
    /// The value as text (an integer in decimal for an integer type).
    pub value: String,
}

impl InventoryAttribute {
    /// A string attribute sized to fit its value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> InventoryAttribute {
        InventoryAttribute {
            name: name.into(),
            data_type: None,
            value: value.into(),
        }
    }
}

/// The types an inventory attribute takes: the integers and `STRING(n)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeType {
    /// An integer type (`INTEGER`, `COUNTER`, ...).
    Integer(IntType),
    /// `STRING(n)`: at most n octets.
    String(u32),
}

impl fmt::Display for AttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttributeType::Integer(kind) => write!(f, "{}", format!("{kind:?}").to_uppercase()),
            AttributeType::String(size) => write!(f, "STRING({size})"),
        }
    }
}

impl FromStr for AttributeType {
    type Err = String;

    /// `INTEGER`, `INTEGER64`, `COUNTER`, `COUNTER64`, `GAUGE` (and `INT`,
    /// `INT64`) or `STRING(n)`, in any case.
    fn from_str(text: &str) -> Result<AttributeType, String> {
        let text = text.trim();
        let (word, size) = match text.split_once('(') {
            Some((word, rest)) => {
                let size = rest
                    .strip_suffix(')')
                    .ok_or_else(|| format!("{text:?}: a `)` is missing"))?;
                (word.trim(), Some(size.trim()))
            }
            None => (text, None),
        };
        let keyword = crate::lexer::Keyword::parse(word);
        match (keyword, size) {
            (Some(crate::lexer::Keyword::String), Some(size)) => size
                .parse::<u32>()
                .ok()
                .filter(|&n| n > 0)
                .map(AttributeType::String)
                .ok_or_else(|| format!("{size:?} is not a size; STRING(n) takes n from 1")),
            (Some(crate::lexer::Keyword::String), None) => {
                Err(format!("{text:?} needs a size, such as STRING(64)"))
            }
            (Some(keyword), None) => IntType::from_keyword(keyword)
                .map(AttributeType::Integer)
                .ok_or_else(|| not_a_type(text)),
            _ => Err(not_a_type(text)),
        }
    }
}

fn not_a_type(text: &str) -> String {
    format!(
        "{text:?} is not an inventory type; use STRING(n), INTEGER, INTEGER64, COUNTER, \
         COUNTER64 or GAUGE"
    )
}

impl InventoryMif {
    /// A NOIDMIF with one group, in the component Microsoft's examples use
    /// (`System Information`).
    pub fn noidmif(group: InventoryGroup) -> InventoryMif {
        InventoryMif {
            component: DEFAULT_COMPONENT_NAME.to_string(),
            identity: None,
            groups: vec![group],
        }
    }

    /// An IDMIF with one group (the architecture's top-level group when its
    /// class is the architecture's name).
    pub fn idmif(identity: Identity, group: InventoryGroup) -> InventoryMif {
        InventoryMif {
            component: DEFAULT_COMPONENT_NAME.to_string(),
            identity: Some(identity),
            groups: vec![group],
        }
    }

    /// NOIDMIF or IDMIF.
    pub fn kind(&self) -> Kind {
        match self.identity {
            Some(_) => Kind::IdMif,
            None => Kind::NoIdMif,
        }
    }
}

/// The folder the installed client reads inventory MIFs of `kind` from:
/// the first that exists of [`crate::model::inventory::client_folders`]
/// below `windir`. `Err` lists those looked at, with the clients that use
/// each, when none exists.
pub fn client_folder(windir: &Path, kind: Kind) -> Result<PathBuf, Vec<(PathBuf, &'static str)>> {
    let candidates = client_folders(windir, kind);
    candidates
        .iter()
        .find(|(folder, _)| folder.is_dir())
        .map(|(folder, _)| folder.clone())
        .ok_or(candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_read_as_people_write_them() {
        assert_eq!(
            "string( 32 )".parse::<AttributeType>(),
            Ok(AttributeType::String(32))
        );
        assert_eq!(
            "Int".parse::<AttributeType>(),
            Ok(AttributeType::Integer(IntType::Integer))
        );
        assert_eq!(
            AttributeType::Integer(IntType::Counter64).to_string(),
            "COUNTER64"
        );
        for wrong in [
            "STRING",
            "STRING(0)",
            "STRING(x)",
            "DATE",
            "STRING(4",
            "FLOAT",
        ] {
            assert!(wrong.parse::<AttributeType>().is_err(), "{wrong}");
        }
    }

    #[test]
    fn the_first_existing_client_folder_is_taken() {
        let windir = tempfile::tempdir().unwrap();
        let missing = client_folder(windir.path(), Kind::NoIdMif).unwrap_err();
        assert_eq!(missing.len(), 4);
        let legacy = windir.path().join("MS").join("SMS").join("Noidmifs");
        std::fs::create_dir_all(&legacy).unwrap();
        assert_eq!(client_folder(windir.path(), Kind::NoIdMif), Ok(legacy));
        let current = windir.path().join("CCM").join("Inventory").join("Noidmifs");
        std::fs::create_dir_all(&current).unwrap();
        assert_eq!(client_folder(windir.path(), Kind::NoIdMif), Ok(current));
    }
}
