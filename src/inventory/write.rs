//! Writing an inventory MIF: the layout of Microsoft's examples as JSON,
//! written by the JSON writer, whose one check in the file's profile
//! judges it before anything is written; its findings are placed on the
//! names and values they are about.

use std::fmt;

use super::{AttributeType, InventoryMif, Kind};
use crate::check::CheckOptions;
use crate::diagnostics::Diagnostic;
use crate::json::{
    self, JsonAttribute, JsonComponent, JsonDocument, JsonGroup, JsonPlace, JsonValue, Step,
    Written,
};
use crate::model::inventory::{header_line, header_value_problem, string_size_for};
use crate::model::types::octets;
use crate::model::Profile;
use crate::source::Encoding;
use crate::syntax::decode_integer;

/// What a name or value given to [`InventoryMif`] is in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The component's name.
    Component,
    /// An IDMIF header: `//Architecture`, `//UniqueID`, `//AgentID`.
    Header(&'static str),
    /// A group's name (and ID).
    Group(usize),
    /// A group's class.
    Class(usize),
    /// A group's key.
    Key(usize),
    /// A part of an attribute of a group.
    Attribute {
        /// The group's index.
        group: usize,
        /// The attribute's index in the group.
        attribute: usize,
        /// Which part.
        part: Part,
    },
}

/// A part of an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Its name.
    Name,
    /// Its type.
    Type,
    /// Its value.
    Value,
}

/// A finding of the check on an inventory MIF being written, with what
/// it is about (`None`: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The name or value it is about.
    pub place: Option<Place>,
    /// The finding; its spans point into the rendered text.
    pub diagnostic: Diagnostic,
}

/// What an [`InventoryMif`] cannot say, found before anything is
/// rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecError {
    /// A key names no attribute of its group.
    UnknownKey {
        /// The group's index.
        group: usize,
        /// The name given.
        name: String,
    },
    /// Two attributes of a group have one name (one column each).
    DuplicateAttribute {
        /// The group's index.
        group: usize,
        /// The name.
        name: String,
    },
    /// A group without attributes.
    NoAttributes {
        /// The group's index.
        group: usize,
    },
    /// A header value that cannot stand between `<` and `>`.
    Header {
        /// `Architecture`, `UniqueID` or `AgentID`.
        keyword: &'static str,
        /// Why.
        problem: &'static str,
    },
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecError::UnknownKey { name, .. } => {
                write!(f, "the key {name:?} names no attribute of the group")
            }
            SpecError::DuplicateAttribute { name, .. } => write!(
                f,
                "two attributes are named {name:?}; each becomes an inventory column, so names differ"
            ),
            SpecError::NoAttributes { .. } => {
                f.write_str("a group needs at least one attribute")
            }
            SpecError::Header { keyword, problem } => {
                write!(f, "the //{keyword}<...> value cannot be written: {problem}")
            }
        }
    }
}

impl std::error::Error for SpecError {}

/// An inventory MIF that could not be written: nothing was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The names and values do not make a file.
    Spec(SpecError),
    /// The JSON made of them is no MIF (a header or a type written
    /// wrong; never for what this module builds).
    Json(json::JsonError),
    /// The check refused the file.
    Check {
        /// The text that would have been written.
        text: String,
        /// Why: the findings that refuse it.
        findings: Vec<Finding>,
    },
}

/// The headers in the order they are written, with what gives them.
const HEADERS: [&str; 3] = ["Architecture", "UniqueID", "AgentID"];

impl InventoryMif {
    /// The file as JSON (`docs/json.md`): Windows-1252, CRLF, the
    /// headers, one group per [`super::InventoryGroup`] with IDs from 1,
    /// each attribute `READ-ONLY`, `SPECIFIC`, of its type or a
    /// `STRING(n)` sized to fit. An IDMIF's group whose class is the
    /// architecture is its top-level group, and is keyed by its first
    /// attribute unless a key is given.
    pub fn to_json(&self) -> Result<JsonDocument, SpecError> {
        let mut header_comments = Vec::new();
        if let Some(identity) = &self.identity {
            let values = [
                Some(&identity.architecture),
                Some(&identity.unique_id),
                identity.agent_id.as_ref(),
            ];
            for (keyword, value) in HEADERS.into_iter().zip(values) {
                let Some(value) = value else { continue };
                if let Some(problem) = header_value_problem(value) {
                    return Err(SpecError::Header { keyword, problem });
                }
                header_comments.push(header_line(keyword, value));
            }
        }
        let mut groups = Vec::with_capacity(self.groups.len());
        for (index, group) in self.groups.iter().enumerate() {
            if group.attributes.is_empty() {
                return Err(SpecError::NoAttributes { group: index });
            }
            let position = |name: &str| {
                let names = || group.attributes.iter().map(|a| a.name.as_str());
                names()
                    .position(|n| n == name)
                    .or_else(|| names().position(|n| n.eq_ignore_ascii_case(name)))
            };
            // Column names are compared ignoring case.
            for (at, attribute) in group.attributes.iter().enumerate() {
                let earlier = &group.attributes[..at];
                if earlier
                    .iter()
                    .any(|a| a.name.eq_ignore_ascii_case(&attribute.name))
                {
                    return Err(SpecError::DuplicateAttribute {
                        group: index,
                        name: attribute.name.clone(),
                    });
                }
            }
            let mut key = Vec::with_capacity(group.key.len());
            for name in &group.key {
                let at = position(name).ok_or_else(|| SpecError::UnknownKey {
                    group: index,
                    name: name.clone(),
                })?;
                key.push(at as i128 + 1);
            }
            let top_level = self
                .identity
                .as_ref()
                .is_some_and(|identity| identity.architecture == group.class);
            if key.is_empty() && top_level {
                key.push(1);
            }
            groups.push(JsonGroup {
                name: Some(group.name.clone()),
                class: Some(group.class.clone()),
                id: Some(index as i128 + 1),
                key: (!key.is_empty()).then_some(key),
                attributes: group
                    .attributes
                    .iter()
                    .enumerate()
                    .map(|(at, attribute)| json_attribute(at, attribute))
                    .collect(),
                ..JsonGroup::default()
            });
        }
        Ok(JsonDocument {
            schema_version: json::SCHEMA_VERSION,
            encoding: json::JsonEncoding::Windows1252,
            line_ending: json::JsonLineEnding::Crlf,
            profile: Some(self.profile().name().to_string()),
            header_comments,
            idmif_headers: None,
            language: None,
            component: JsonComponent {
                name: Some(self.component.clone()),
                groups,
                ..JsonComponent::default()
            },
        })
    }

    /// The profile the file is checked under.
    pub fn profile(&self) -> Profile {
        match self.kind() {
            Kind::NoIdMif => Profile::NoIdMif,
            Kind::IdMif => Profile::IdMif,
        }
    }

    /// The file, checked in its profile (`options`' path is used for the
    /// rules on names, its profile is not): any error refuses it, and so
    /// does a warning about a name or value given, unless `force`.
    pub fn write(&self, options: &CheckOptions, force: bool) -> Result<Written, Refused> {
        let document = self.to_json().map_err(Refused::Spec)?;
        let options = options.clone().with_profile(Some(self.profile()));
        match document.write(&options, force) {
            Ok(written) => Ok(written),
            Err(json::Refused::Check { text, findings, .. }) => Err(Refused::Check {
                text,
                findings: findings
                    .into_iter()
                    .map(|f| Finding {
                        place: f.place.as_ref().and_then(|p| self.place_of(p)),
                        diagnostic: f.diagnostic,
                    })
                    .collect(),
            }),
            Err(json::Refused::Json(error)) => Err(Refused::Json(error)),
        }
    }

    /// What a place in the JSON of [`InventoryMif::to_json`] was given as.
    pub fn place_of(&self, place: &JsonPlace) -> Option<Place> {
        if let Some(index) = place.index_after("header_comments") {
            let present = [
                true,
                true,
                self.identity.as_ref().is_some_and(|i| i.agent_id.is_some()),
            ];
            return HEADERS
                .into_iter()
                .zip(present)
                .filter(|(_, present)| *present)
                .nth(index)
                .map(|(keyword, _)| Place::Header(keyword));
        }
        let Some(group) = place.index_after("groups") else {
            return match place.steps.as_slice() {
                [Step::Field("component"), Step::Field("name")] => Some(Place::Component),
                _ => None,
            };
        };
        if let Some(attribute) = place.index_after("attributes") {
            let part = match place.last_field() {
                Some("name") => Part::Name,
                Some("type") => Part::Type,
                _ => Part::Value,
            };
            return Some(Place::Attribute {
                group,
                attribute,
                part,
            });
        }
        Some(match place.last_field() {
            Some("class") => Place::Class(group),
            Some("key") => Place::Key(group),
            _ => Place::Group(group),
        })
    }
}

fn json_attribute(at: usize, attribute: &super::InventoryAttribute) -> JsonAttribute {
    let value = attribute.value.as_str();
    let (data_type, length, value) = match attribute.data_type {
        Some(AttributeType::Integer(kind)) => {
            let name = AttributeType::Integer(kind).to_string();
            // Text that is no integer is written as text: the check then
            // says that it does not fit the type, on the value.
            let value = decode_integer(value.trim())
                .map(JsonValue::Integer)
                .unwrap_or_else(|_| JsonValue::Text(value.to_string()));
            (name, None, value)
        }
        Some(AttributeType::String(size)) => (
            "STRING".to_string(),
            Some(i128::from(size)),
            JsonValue::Text(value.to_string()),
        ),
        None => {
            let size = string_size_for(octets(value, Encoding::SingleByte));
            (
                "STRING".to_string(),
                Some(size as i128),
                JsonValue::Text(value.to_string()),
            )
        }
    };
    JsonAttribute {
        name: Some(attribute.name.clone()),
        id: Some(at as i128 + 1),
        access: Some("READ-ONLY".into()),
        storage: Some("SPECIFIC".into()),
        data_type: Some(data_type),
        length,
        value: Some(value),
        ..JsonAttribute::default()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Identity, InventoryAttribute, InventoryGroup};
    use super::*;

    fn group(values: &[(&str, &str)]) -> InventoryGroup {
        InventoryGroup {
            name: "Asset".into(),
            class: "ACME|Asset|1.0".into(),
            key: Vec::new(),
            attributes: values
                .iter()
                .map(|(n, v)| InventoryAttribute::new(*n, *v))
                .collect(),
        }
    }

    #[test]
    fn a_noidmif_is_written_in_the_canonical_style() {
        let written = InventoryMif::noidmif(group(&[("Tag", "A-42")]))
            .write(&CheckOptions::default(), false)
            .unwrap();
        assert!(written
            .text
            .starts_with("START COMPONENT\r\n    NAME = \"System Information\""));
        assert!(written.text.contains("TYPE = STRING(64)\r\n"));
        assert!(written.warnings.is_empty(), "{:?}", written.warnings);
        let formatted = crate::printer::format_bytes(&written.bytes, &Default::default()).unwrap();
        assert_eq!(formatted, written.bytes);
    }

    #[test]
    fn findings_are_placed_on_what_was_given() {
        let refused = InventoryMif::noidmif(group(&[("Tag", "A-42"), ("Owner ", "Jo")]))
            .write(&CheckOptions::default(), false)
            .unwrap_err();
        let Refused::Check { findings, .. } = refused else {
            panic!("{refused:?}")
        };
        assert_eq!(findings[0].diagnostic.code, "mif::inventory-name-spaces");
        assert_eq!(
            findings[0].place,
            Some(Place::Attribute {
                group: 0,
                attribute: 1,
                part: Part::Name
            })
        );
    }

    #[test]
    fn an_idmif_has_its_headers_and_a_keyed_top_level_group() {
        let identity = Identity {
            architecture: "Asset".into(),
            unique_id: "WW-42".into(),
            agent_id: None,
        };
        let mut top = group(&[("Tag", "42")]);
        top.name = "Asset".into();
        top.class = "Asset".into();
        let written = InventoryMif::idmif(identity.clone(), top.clone())
            .write(&CheckOptions::default(), false)
            .unwrap();
        assert!(written
            .text
            .starts_with("//Architecture<Asset>\r\n//UniqueID<WW-42>\r\n"));
        assert!(written.text.contains("KEY = 1\r\n"));
        let wrong = Identity {
            unique_id: "a>b".into(),
            ..identity
        };
        assert_eq!(
            InventoryMif::idmif(wrong, top).to_json(),
            Err(SpecError::Header {
                keyword: "UniqueID",
                problem: "it contains `<` or `>`, which delimit it"
            })
        );
    }

    #[test]
    fn keys_name_attributes() {
        let mut asset = group(&[("Tag", "1"), ("Owner", "Jo")]);
        asset.key = vec!["owner".into()];
        let json = InventoryMif::noidmif(asset.clone()).to_json().unwrap();
        assert_eq!(json.component.groups[0].key, Some(vec![2]));
        asset.key = vec!["Room".into()];
        assert!(matches!(
            InventoryMif::noidmif(asset).to_json(),
            Err(SpecError::UnknownKey { .. })
        ));
        let twice = group(&[("Tag", "1"), ("tag", "2")]);
        assert!(matches!(
            InventoryMif::noidmif(twice).to_json(),
            Err(SpecError::DuplicateAttribute { .. })
        ));
    }
}
