//! Status MIFs (reference section 3, `status-mif-behaviour.md`): the
//! groups SMS and ConfigMgr read, the fields with ISMIF32's limits, the
//! verdict words, and how the client matches a file to a program.

use std::fmt;
use std::ops::{Index, IndexMut};

use super::classes::{is_component_id, is_job_status_any_case, JOB_STATUS_CLASS};
use crate::syntax::{Block, BlockKind, Document, Value};

/// The verdict a status MIF reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum JobStatus {
    /// The program reports success.
    Success,
    /// The program reports failure.
    Failed,
}

impl JobStatus {
    /// Both verdicts.
    pub const ALL: [JobStatus; 2] = [JobStatus::Success, JobStatus::Failed];

    /// The exact word SMS documents: `Success` or `Failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Success => "Success",
            JobStatus::Failed => "Failed",
        }
    }

    /// A verdict as people give it to a writer: `success` or `failed` in
    /// any case, or ISMIF32.EXE's `1` and `0`, so old scripts translate one
    /// to one. The same words for every writer.
    pub fn parse(text: &str) -> Option<JobStatus> {
        match text.trim().to_ascii_lowercase().as_str() {
            "success" | "1" => Some(JobStatus::Success),
            "failed" | "0" => Some(JobStatus::Failed),
            _ => None,
        }
    }

    /// The verdict nearest in spelling to a word [`JobStatus::parse`]
    /// refused, for "did you mean".
    pub fn nearest(text: &str) -> JobStatus {
        let lower = text.trim().to_ascii_lowercase();
        let distance = |status: &JobStatus| {
            crate::syntax::edit_distance(&lower, &status.as_str().to_ascii_lowercase())
        };
        JobStatus::ALL
            .into_iter()
            .min_by_key(distance)
            .unwrap_or(JobStatus::Failed)
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the client reads a Status value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusWord {
    /// Exactly `Success` or `Failed`.
    Exact(JobStatus),
    /// The word in another case (`SUCCESS`, as SMS 1.x tools wrote it):
    /// read as the verdict, though ConfigMgr's handling is undocumented.
    OtherCase(JobStatus),
    /// The word with white space around it.
    Padded(JobStatus),
    /// Anything else: the client cannot use the file.
    Invalid,
}

impl StatusWord {
    /// Read a Status value.
    pub fn of(value: &str) -> StatusWord {
        let exact = JobStatus::ALL.into_iter().find(|s| s.as_str() == value);
        let loose = || {
            JobStatus::ALL
                .into_iter()
                .find(|s| s.as_str().eq_ignore_ascii_case(value.trim()))
        };
        match (exact, loose()) {
            (Some(status), _) => StatusWord::Exact(status),
            (None, Some(status)) if value.trim() != value => StatusWord::Padded(status),
            (None, Some(status)) => StatusWord::OtherCase(status),
            (None, None) => StatusWord::Invalid,
        }
    }

    /// The verdict the word names, however it is spelled.
    pub fn verdict(self) -> Option<JobStatus> {
        match self {
            StatusWord::Exact(s) | StatusWord::OtherCase(s) | StatusWord::Padded(s) => Some(s),
            StatusWord::Invalid => None,
        }
    }
}

/// The values of a status MIF besides its verdict, each with the
/// attribute that holds it and ISMIF32's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// ComponentID: the publisher, matched against the package.
    Manufacturer,
    /// ComponentID: the product, matched against the package's name.
    Product,
    /// ComponentID: the version, matched against the package.
    Version,
    /// ComponentID: the locale, such as `ENU`.
    Locale,
    /// ComponentID: a serial number.
    SerialNumber,
    /// ComponentID: ISMIF32 writes the literal text `DateTime` here.
    Installation,
    /// InstallStatus: what happened, shown in the status message.
    Description,
}

impl Field {
    /// Every field, in file order.
    pub const ALL: [Field; 7] = [
        Field::Manufacturer,
        Field::Product,
        Field::Version,
        Field::Locale,
        Field::SerialNumber,
        Field::Installation,
        Field::Description,
    ];

    /// The ComponentID attributes, in file order: all but the Description.
    pub const COMPONENT_ID: &'static [Field] = Field::ALL.as_slice().split_at(6).0;

    /// The fields the client compares with the package, ignoring case.
    pub const MATCHED: [Field; 3] = [Field::Manufacturer, Field::Product, Field::Version];

    /// The attribute's `NAME` in the file.
    pub fn attribute_name(self) -> &'static str {
        match self {
            Field::Manufacturer => "Manufacturer",
            Field::Product => "Product",
            Field::Version => "Version",
            Field::Locale => "Locale",
            Field::SerialNumber => "Serial Number",
            Field::Installation => "Installation",
            Field::Description => "Description",
        }
    }

    /// A name for programs (JSON keys): `serial_number`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Manufacturer => "manufacturer",
            Field::Product => "product",
            Field::Version => "version",
            Field::Locale => "locale",
            Field::SerialNumber => "serial_number",
            Field::Installation => "installation",
            Field::Description => "description",
        }
    }

    /// Most characters the value may have: the attribute's `STRING(n)` in
    /// the layout ISMIF32.DLL writes, which is also what it accepts.
    pub fn limit(self) -> usize {
        match self {
            Field::Locale => 16,
            Field::Description => 128,
            _ => 64,
        }
    }

    /// The group that holds the field.
    pub fn in_component_id(self) -> bool {
        self != Field::Description
    }

    /// The field an attribute `NAME` stands for, ignoring case.
    pub fn named(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.attribute_name().eq_ignore_ascii_case(name))
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// `STRING(n)` of the Status attribute in ISMIF32's layout.
pub const STATUS_SIZE: usize = 32;

/// Descriptions longer than this were cut by Microsoft's own tools (the
/// VB Setup Toolkit: "SMS does not allow description strings longer than
/// 255 chars").
pub const DESCRIPTION_HARD_LIMIT: usize = 255;

/// One value per field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap<T>([T; 7]);

impl<T> FieldMap<T> {
    /// A map from a value per field.
    pub fn from_fn(mut value: impl FnMut(Field) -> T) -> FieldMap<T> {
        FieldMap(Field::ALL.map(&mut value))
    }

    /// The fields with their values, in file order.
    pub fn iter(&self) -> impl Iterator<Item = (Field, &T)> {
        Field::ALL.into_iter().zip(self.0.iter())
    }
}

impl<T> Index<Field> for FieldMap<T> {
    type Output = T;

    fn index(&self, field: Field) -> &T {
        &self.0[field.index()]
    }
}

impl<T> IndexMut<Field> for FieldMap<T> {
    fn index_mut(&mut self, field: Field) -> &mut T {
        &mut self.0[field.index()]
    }
}

impl<T: serde::Serialize> serde::Serialize for FieldMap<T> {
    /// An object keyed by [`Field::key`].
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(Field::ALL.len()))?;
        for (field, value) in self.iter() {
            map.serialize_entry(field.key(), value)?;
        }
        map.end()
    }
}

/// The groups of exactly the install status class.
pub fn job_status_groups(doc: &Document) -> impl Iterator<Item = &Block> {
    doc.groups().filter(|g| g.class() == Some(JOB_STATUS_CLASS))
}

/// Whether the file is a status MIF: a group of the install status class
/// in any case (a case variant is then reported by the rules).
pub fn has_job_status_group(doc: &Document) -> bool {
    doc.groups()
        .any(|g| g.class().is_some_and(is_job_status_any_case))
}

/// The group the verdict is read from: the first of the install status
/// class compared ignoring case, so a case variant still shows what it
/// says.
pub fn install_status_group(doc: &Document) -> Option<&Block> {
    doc.groups()
        .find(|g| g.class().is_some_and(is_job_status_any_case))
}

/// The ComponentID group the client matches against the package: the
/// first of the ComponentID class, or named ComponentID.
pub fn component_id_group(doc: &Document) -> Option<&Block> {
    doc.groups().find(|group| {
        group.class().is_some_and(is_component_id)
            || group
                .name()
                .is_some_and(|n| n.eq_ignore_ascii_case("ComponentID"))
    })
}

/// A group's attribute of this `NAME`, ignoring case.
pub fn attribute<'a>(group: &'a Block, name: &str) -> Option<&'a Block> {
    group
        .blocks_of(BlockKind::Attribute)
        .find(|a| a.name().is_some_and(|n| n.eq_ignore_ascii_case(name)))
}

/// The attribute that holds the Status.
pub fn status_attribute(doc: &Document) -> Option<&Block> {
    attribute(install_status_group(doc)?, "Status")
}

/// The attribute that holds a field.
pub fn field_attribute(doc: &Document, field: Field) -> Option<&Block> {
    let group = if field.in_component_id() {
        component_id_group(doc)?
    } else {
        install_status_group(doc)?
    };
    attribute(group, field.attribute_name())
}

/// The field an attribute of the document holds, if it is one.
pub fn field_of(doc: &Document, attribute: &Block) -> Option<Field> {
    Field::ALL.into_iter().find(|&field| {
        field_attribute(doc, field).is_some_and(|found| std::ptr::eq(found, attribute))
    })
}

/// A value as the client reads it: text as is, an integer in decimal.
pub fn value_text(attribute: &Block) -> Option<String> {
    match attribute.value()? {
        Value::String(s) => Some(s.value.to_string()),
        Value::Integer(i) => i.value().map(|v| v.to_string()),
        _ => None,
    }
}

/// Whether the client would look at a file of this name: it reads
/// `*.mif` files only (the extension in any case).
pub fn is_mif_file_name(name: &str) -> bool {
    std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("mif"))
}

/// The first control character of a value: status values are one line
/// of text, shown in a status message.
pub fn control_character(value: &str) -> Option<char> {
    value.chars().find(|c| c.is_control())
}

/// Whether a file's value matches what the package asks for, as the
/// client compares them: ignoring case.
pub fn matches_package(value: &str, wanted: &str) -> bool {
    value.to_lowercase() == wanted.to_lowercase()
}

/// Why the client can never match a file to a program, whatever the
/// package says, or `None`. SMS 2.0 and later compare the ComponentID's
/// Product with the package's name, which is never empty.
pub fn never_matched(doc: &Document) -> Option<&'static str> {
    let Some(group) = component_id_group(doc) else {
        return Some(
            "it has no ComponentID group, so SMS 2.0 and later cannot match it to a program \
             (only SMS 1.x took any new MIF)",
        );
    };
    let product = attribute(group, Field::Product.attribute_name()).and_then(value_text);
    if product.is_none_or(|p| p.trim().is_empty()) {
        return Some(
            "its Product is empty or missing, so it never equals a package's name: SMS 2.0 and \
             later never match it",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_read_as_the_client_reads_them() {
        assert_eq!(
            StatusWord::of("Success"),
            StatusWord::Exact(JobStatus::Success)
        );
        assert_eq!(
            StatusWord::of("FAILED"),
            StatusWord::OtherCase(JobStatus::Failed)
        );
        assert_eq!(
            StatusWord::of("Failed "),
            StatusWord::Padded(JobStatus::Failed)
        );
        assert_eq!(StatusWord::of("OK"), StatusWord::Invalid);
        assert_eq!(StatusWord::of(""), StatusWord::Invalid);
    }

    #[test]
    fn writers_take_the_same_words() {
        for (text, status) in [
            ("success", Some(JobStatus::Success)),
            ("SUCCESS", Some(JobStatus::Success)),
            ("1", Some(JobStatus::Success)),
            ("Failed", Some(JobStatus::Failed)),
            ("0", Some(JobStatus::Failed)),
            ("fail", None),
            ("banana", None),
        ] {
            assert_eq!(JobStatus::parse(text), status, "{text}");
        }
        assert_eq!(JobStatus::nearest("fail"), JobStatus::Failed);
        assert_eq!(JobStatus::nearest("sucess"), JobStatus::Success);
    }

    #[test]
    fn field_maps_index_and_serialize_by_field() {
        let mut map = FieldMap::from_fn(|f| f.limit());
        map[Field::Locale] = 99;
        assert_eq!(map[Field::Locale], 99);
        assert_eq!(map[Field::Description], 128);
        let json = serde_json::to_value(&map).unwrap();
        assert_eq!(json["serial_number"], 64);
        assert_eq!(Field::named("serial number"), Some(Field::SerialNumber));
    }
}
