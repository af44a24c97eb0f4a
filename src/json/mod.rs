//! A MIF document as JSON, both ways, for scripts (schema:
//! `docs/json.md`).
//!
//! [`Document::to_json`] gives the whole document as a [`JsonDocument`]:
//! encoding, line ending, header comments, the component with its paths,
//! enums, groups and tables, each value decoded and as written.
//! [`Document::from_json`] writes one back as a MIF in the canonical style
//! of `mif fmt`; [`JsonDocument::write`] does the same for a file about to
//! be written, judged by the one check first, as every writer is.
//! Comments other than the header comments, layout, the spelling of
//! values and the order of statements within a block are not kept; what
//! the file means is.
//!
//! ```
//! use mif::json::{self, JsonDocument};
//! use mif::Document;
//!
//! let doc = Document::parse(
//!     b"START COMPONENT\n\
//!       NAME = \"System Information\"\n\
//!       START GROUP\n\
//!         NAME = \"Asset\" ID = 1 CLASS = \"ACME|Asset|1.0\"\n\
//!         START ATTRIBUTE NAME = \"Tag\" ID = 1 TYPE = STRING(64) VALUE = \"A-42\" END ATTRIBUTE\n\
//!       END GROUP\n\
//!       END COMPONENT\n",
//! );
//! let mut value = doc.to_json()?;
//! assert_eq!(value.component.groups[0].attributes[0].value, Some(json::JsonValue::Text("A-42".into())));
//!
//! // Scripts change the JSON; the MIF written from it says the same.
//! value.component.groups[0].attributes[0].value = Some(json::JsonValue::Text("A-43".into()));
//! let text = json::to_string(&value);
//! let back: JsonDocument = json::from_str(&text)?;
//! let written = Document::from_json(&back)?;
//! assert!(written.text().contains("VALUE = \"A-43\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod place;
mod read;
mod render;
mod write;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use place::{JsonPlace, Step};
pub use write::{JsonFinding, Refused, Written};

use crate::source::{Encoding, LineEnding};
use crate::syntax::Document;

/// The schema's version, written as `schema_version`: it changes only
/// when a field changes meaning or goes away (`docs/json.md`).
pub const SCHEMA_VERSION: u32 = 1;

/// A whole MIF file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonDocument {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The file's encoding.
    #[serde(default)]
    pub encoding: JsonEncoding,
    /// The file's line ending.
    #[serde(default)]
    pub line_ending: JsonLineEnding,
    /// The profile the file is checked under (`dmi`, `status`, `noidmif`,
    /// `idmif`); when absent on input, it is detected from the content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The comments before `START COMPONENT`, each `//...` as written
    /// (IDMIF headers such as `//Architecture<Asset>` are among them).
    #[serde(default)]
    pub header_comments: Vec<String>,
    /// The IDMIF headers read from those comments; ignored on input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idmif_headers: Option<IdmifHeaders>,
    /// The LANGUAGE statement's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The component.
    pub component: JsonComponent,
}

/// What an IDMIF's header comments say (output only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdmifHeaders {
    /// `//Architecture<...>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    /// `//UniqueID<...>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
    /// `//AgentID<...>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

/// A file's encoding, by the name scripts know it by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum JsonEncoding {
    /// One byte per character, no byte-order mark ("ANSI"): what SMS and
    /// ConfigMgr read.
    #[default]
    #[serde(rename = "windows-1252")]
    Windows1252,
    /// UTF-8 after a byte-order mark.
    #[serde(rename = "utf-8")]
    Utf8,
    /// UTF-16 little-endian after a byte-order mark.
    #[serde(rename = "utf-16le")]
    Utf16Le,
    /// UTF-16 big-endian after a byte-order mark (DMI's Unicode MIF).
    #[serde(rename = "utf-16be")]
    Utf16Be,
}

impl From<Encoding> for JsonEncoding {
    fn from(encoding: Encoding) -> JsonEncoding {
        match encoding {
            Encoding::SingleByte => JsonEncoding::Windows1252,
            Encoding::Utf8 => JsonEncoding::Utf8,
            Encoding::Utf16Le => JsonEncoding::Utf16Le,
            Encoding::Utf16Be => JsonEncoding::Utf16Be,
        }
    }
}

impl From<JsonEncoding> for Encoding {
    fn from(encoding: JsonEncoding) -> Encoding {
        match encoding {
            JsonEncoding::Windows1252 => Encoding::SingleByte,
            JsonEncoding::Utf8 => Encoding::Utf8,
            JsonEncoding::Utf16Le => Encoding::Utf16Le,
            JsonEncoding::Utf16Be => Encoding::Utf16Be,
        }
    }
}

/// A file's line ending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonLineEnding {
    /// `\r\n`, as Windows and SMS write.
    #[default]
    Crlf,
    /// `\n`.
    Lf,
    /// `\r` alone.
    Cr,
}

impl From<LineEnding> for JsonLineEnding {
    fn from(ending: LineEnding) -> JsonLineEnding {
        match ending {
            LineEnding::CrLf => JsonLineEnding::Crlf,
            LineEnding::Lf => JsonLineEnding::Lf,
            LineEnding::Cr => JsonLineEnding::Cr,
        }
    }
}

impl From<JsonLineEnding> for LineEnding {
    fn from(ending: JsonLineEnding) -> LineEnding {
        match ending {
            JsonLineEnding::Crlf => LineEnding::CrLf,
            JsonLineEnding::Lf => LineEnding::Lf,
            JsonLineEnding::Cr => LineEnding::Cr,
        }
    }
}

/// `START COMPONENT ... END COMPONENT`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonComponent {
    /// NAME.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// DESCRIPTION.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// PRAGMA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pragma: Option<String>,
    /// The PATH blocks, in file order.
    #[serde(default)]
    pub paths: Vec<JsonPath>,
    /// The named ENUM blocks, in file order.
    #[serde(default)]
    pub enums: Vec<JsonEnum>,
    /// The GROUP blocks, in file order.
    #[serde(default)]
    pub groups: Vec<JsonGroup>,
    /// The TABLE blocks, in file order.
    #[serde(default)]
    pub tables: Vec<JsonTable>,
}

/// `START PATH ... END PATH`: where instrumentation code is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonPath {
    /// NAME, which `* "name"` values refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// One per environment statement, in file order.
    #[serde(default)]
    pub environments: Vec<JsonEnvironment>,
}

/// `WIN32 = "probe.dll"` or `OS2 = DIRECT-INTERFACE` in a path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonEnvironment {
    /// The environment keyword: `WIN32`, `WIN9X`, `WINNT`, `WIN16`, `DOS`,
    /// `OS2`, `UNIX`, `MACOS`.
    pub environment: String,
    /// The file's path (text), or `{"keyword": "DIRECT-INTERFACE"}`.
    pub value: JsonValue,
}

/// `START ENUM ... END ENUM`, named at component level or inline in an
/// attribute's TYPE.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonEnum {
    /// NAME (optional for an inline enum).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The enum's own TYPE statement (`INTEGER`), when it has one.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub data_type: Option<String>,
    /// The items, in file order.
    #[serde(default)]
    pub items: Vec<JsonEnumItem>,
}

/// `0x01 = "Text"` in an enum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonEnumItem {
    /// The number.
    pub value: i128,
    /// The text.
    pub text: String,
}

/// `START GROUP ... END GROUP`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonGroup {
    /// NAME.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// CLASS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i128>,
    /// KEY: attribute IDs, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Vec<i128>>,
    /// DESCRIPTION.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// PRAGMA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pragma: Option<String>,
    /// The attributes, in file order.
    #[serde(default)]
    pub attributes: Vec<JsonAttribute>,
}

/// `START ATTRIBUTE ... END ATTRIBUTE`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonAttribute {
    /// NAME.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i128>,
    /// DESCRIPTION.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// PRAGMA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pragma: Option<String>,
    /// The type keyword: `STRING`, `DISPLAYSTRING`, `OCTETSTRING`,
    /// `INTEGER`, `INTEGER64`, `COUNTER`, `COUNTER64`, `GAUGE`, `DATE` or
    /// `ENUM`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub data_type: Option<String>,
    /// The n of `STRING(n)` (and the other string types): octets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<i128>,
    /// For `ENUM`: the named enum the type refers to.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_name: Option<String>,
    /// For `ENUM`: the enum defined inline in the type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_enum: Option<JsonEnum>,
    /// ACCESS: `READ-ONLY`, `READ-WRITE` or `WRITE-ONLY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<String>,
    /// STORAGE: `COMMON` or `SPECIFIC`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    /// VALUE, decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<JsonValue>,
    /// VALUE as written in the file (quotes, escapes, `0x`); ignored on
    /// input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
}

/// `START TABLE ... END TABLE`: rows of a template group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonTable {
    /// NAME.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i128>,
    /// CLASS: the template group's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The template group and its columns; ignored on input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<JsonTemplate>,
    /// The rows: one value per cell in the template's ascending attribute
    /// ID order, `null` for an empty cell (the template's value).
    #[serde(default)]
    pub rows: Vec<Vec<Option<JsonValue>>>,
}

/// A table's template group, as the check finds it (output only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonTemplate {
    /// The template group's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Its index in `component.groups`.
    pub index: usize,
    /// Its attributes in cell order.
    #[serde(default)]
    pub columns: Vec<JsonColumn>,
}

/// One column of a table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonColumn {
    /// The attribute's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i128>,
    /// The attribute's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A value: an attribute's VALUE, a table cell, a path's target. Text is
/// a JSON string and a number a JSON number; the rest are objects:
/// `{"path": "name"}` for `* "name"`, `{"keyword": "UNKNOWN"}` for the
/// keywords `UNKNOWN`, `UNSUPPORTED` and (in paths) `DIRECT-INTERFACE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonValue {
    /// A quoted string (also an enum value given by its text, and a date).
    Text(String),
    /// An integer (also an enum value given by its number).
    Integer(i128),
    /// `* "name"`: supplied by the instrumentation a PATH names.
    Path(String),
    /// A keyword: `UNKNOWN`, `UNSUPPORTED`, `DIRECT-INTERFACE`.
    Keyword(String),
}

impl Serialize for JsonValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            JsonValue::Text(text) => serializer.serialize_str(text),
            JsonValue::Integer(int) => match i64::try_from(*int) {
                Ok(small) => serializer.serialize_i64(small),
                Err(_) => serializer.serialize_i128(*int),
            },
            JsonValue::Path(name) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("path", name)?;
                map.end()
            }
            JsonValue::Keyword(keyword) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("keyword", keyword)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<JsonValue, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> serde::de::Visitor<'de> for ValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a string, an integer, {\"path\": \"name\"} or {\"keyword\": \"UNKNOWN\"|\"UNSUPPORTED\"}",
        )
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::Text(text.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<JsonValue, E> {
        Ok(JsonValue::Text(text))
    }

    fn visit_i64<E: serde::de::Error>(self, int: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Integer(int.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, int: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::Integer(int.into()))
    }

    fn visit_i128<E: serde::de::Error>(self, int: i128) -> Result<JsonValue, E> {
        Ok(JsonValue::Integer(int))
    }

    fn visit_f64<E: serde::de::Error>(self, number: f64) -> Result<JsonValue, E> {
        Err(E::custom(format!(
            "{number} is not an integer MIF can hold (whole numbers from -2^64 to 2^64)"
        )))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        use serde::de::Error;
        let Some((key, value)) = map.next_entry::<String, String>()? else {
            return Err(A::Error::custom(
                "an empty object; write {\"path\": \"name\"} or {\"keyword\": \"UNKNOWN\"}",
            ));
        };
        if map.next_key::<String>()?.is_some() {
            return Err(A::Error::custom("a value object has one field"));
        }
        match key.as_str() {
            "path" => Ok(JsonValue::Path(value)),
            "keyword" => Ok(JsonValue::Keyword(value)),
            other => Err(A::Error::unknown_field(other, &["path", "keyword"])),
        }
    }
}

/// Why a document could not be turned into JSON, or JSON into a MIF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// The document has syntax errors: the tree is not what the file says.
    Syntax {
        /// How many errors.
        errors: usize,
    },
    /// The document has no component.
    NoComponent,
    /// The JSON names a schema this library does not read.
    Version(u32),
    /// A field holds what no MIF can say.
    Field {
        /// Where.
        place: JsonPlace,
        /// What is wrong and what would do.
        message: String,
    },
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Syntax { errors } => write!(
                f,
                "the file has {errors} syntax error{}; `mif check` explains {}",
                if *errors == 1 { "" } else { "s" },
                if *errors == 1 { "it" } else { "them" }
            ),
            JsonError::NoComponent => f.write_str("the file has no component"),
            JsonError::Version(version) => write!(
                f,
                "schema_version {version} is not one this mif reads (it reads {SCHEMA_VERSION})"
            ),
            JsonError::Field { place, message } => write!(f, "{place}: {message}"),
        }
    }
}

impl std::error::Error for JsonError {}

impl Document {
    /// The whole document as JSON (`docs/json.md`). The profile is the one
    /// detected from the content; set [`JsonDocument::profile`] when the
    /// file's path says more (a `Noidmifs` folder). Fails on a document
    /// with syntax errors, whose tree is not what the file says.
    pub fn to_json(&self) -> Result<JsonDocument, JsonError> {
        read::document(self)
    }

    /// The MIF a JSON document describes, in the canonical style of `mif
    /// fmt`, as parsed from its text. It is not checked: a writer judges
    /// it with [`JsonDocument::write`].
    pub fn from_json(json: &JsonDocument) -> Result<Document, JsonError> {
        render::document(json).map(|rendered| rendered.document)
    }
}

/// Read a JSON document (`serde_json`'s errors say the line and column).
pub fn from_str(text: &str) -> Result<JsonDocument, serde_json::Error> {
    serde_json::from_str(text)
}

/// A JSON document as pretty-printed text, with a final line break.
pub fn to_string(json: &JsonDocument) -> String {
    let mut text = serde_json::to_string_pretty(json).unwrap_or_default();
    text.push('\n');
    text
}
