//! Reading a status MIF the way SMS does: its values and verdict, with
//! the status rules' findings on what would make SMS ignore or misread it.

use super::{Field, JobStatus, JOB_STATUS_CLASS};
use crate::diagnostics::{Diagnostic, Severity};
use crate::rules::{component_id_group, status_rules};
use crate::source::Encoding;
use crate::syntax::{Block, BlockKind, Document, Value};

/// What a status MIF says, as SMS reads it. Values are `None` when the
/// attribute is missing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatusReading {
    /// The Status value as written.
    pub status: Option<String>,
    /// Success or Failed when the Status names one (in any case).
    pub verdict: Option<JobStatus>,
    pub description: Option<String>,
    pub manufacturer: Option<String>,
    pub product: Option<String>,
    pub version: Option<String>,
    pub locale: Option<String>,
    pub serial_number: Option<String>,
    pub installation: Option<String>,
    /// Whether the ComponentID group is there (SMS 2.0 and later match on it).
    pub has_component_id: bool,
    pub encoding: Encoding,
    /// Syntax errors and the status rules' findings, in source order.
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

impl StatusReading {
    /// Whether SMS can use the file: it parses and has a valid Status.
    pub fn is_usable(&self) -> bool {
        self.verdict.is_some() && !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// A ComponentID value by field.
    pub fn field(&self, field: Field) -> Option<&str> {
        match field {
            Field::Manufacturer => self.manufacturer.as_deref(),
            Field::Product => self.product.as_deref(),
            Field::Version => self.version.as_deref(),
            Field::Locale => self.locale.as_deref(),
            Field::SerialNumber => self.serial_number.as_deref(),
            Field::Installation => self.installation.as_deref(),
            Field::Description => self.description.as_deref(),
        }
    }
}

/// Read a parsed status MIF: the values are taken from the first group of
/// class `MICROSOFT|JOBSTATUS|1.0` compared ignoring case (so a case
/// variant still shows what it says) and from the ComponentID group; the
/// findings are the document's syntax errors and the status rules of
/// `mif check` ([`status_rules`]), so both commands report one problem
/// with one code.
pub fn read(doc: &Document) -> StatusReading {
    let mut diagnostics: Vec<Diagnostic> = doc
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    diagnostics.extend(status_rules(doc));
    diagnostics.sort_by_key(|d| (d.span.start, d.severity != Severity::Error));
    let mut reading = StatusReading {
        status: None,
        verdict: None,
        description: None,
        manufacturer: None,
        product: None,
        version: None,
        locale: None,
        serial_number: None,
        installation: None,
        has_component_id: false,
        encoding: doc.source.encoding,
        diagnostics,
    };
    let Some(component) = doc.component() else {
        return reading;
    };
    let install_status = component.blocks_of(BlockKind::Group).find(|g| {
        g.class()
            .is_some_and(|c| c.eq_ignore_ascii_case(JOB_STATUS_CLASS))
    });
    if let Some(group) = install_status {
        reading.status = text_value(group, "Status");
        reading.verdict = reading.status.as_deref().and_then(verdict);
        reading.description = text_value(group, "Description");
    }
    if let Some(group) = component_id_group(component) {
        let value = |field: Field| text_value(group, field.attribute_name());
        reading.has_component_id = true;
        reading.manufacturer = value(Field::Manufacturer);
        reading.product = value(Field::Product);
        reading.version = value(Field::Version);
        reading.locale = value(Field::Locale);
        reading.serial_number = value(Field::SerialNumber);
        reading.installation = value(Field::Installation);
    }
    reading
}

/// The value of a group's attribute with this NAME (ignoring case), as
/// text; integers as written in decimal.
fn text_value(group: &Block, name: &str) -> Option<String> {
    let attribute = group
        .blocks_of(BlockKind::Attribute)
        .find(|a| a.name().is_some_and(|n| n.eq_ignore_ascii_case(name)))?;
    match attribute.value()? {
        Value::String(s) => Some(s.value.to_string()),
        Value::Integer(i) => i.value().map(|v| v.to_string()),
        _ => None,
    }
}

/// The verdict a Status names, ignoring case and surrounding white space;
/// the status rules say when the spelling is off.
fn verdict(status: &str) -> Option<JobStatus> {
    [JobStatus::Success, JobStatus::Failed]
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(status.trim()))
}
