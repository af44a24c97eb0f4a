//! Reading a status MIF the way SMS does: its values and verdict, with
//! the check's findings on what would make SMS ignore or misread it.

use super::{Field, FieldMap, JobStatus};
use crate::check::{check, CheckOptions};
use crate::diagnostics::Diagnostic;
use crate::model::status::{self, StatusWord};
use crate::model::Profile;
use crate::source::Encoding;
use crate::syntax::Document;

/// What a status MIF says, as SMS reads it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatusReading {
    /// The Status value as written.
    pub status: Option<String>,
    /// Success or Failed when the Status names one (in any case).
    pub verdict: Option<JobStatus>,
    /// The values; `None` when the attribute is missing.
    #[serde(flatten)]
    pub fields: FieldMap<Option<String>>,
    /// Whether the ComponentID group is there (SMS 2.0 and later match on it).
    pub has_component_id: bool,
    /// Why no package can ever match the file, if none can.
    pub never_matched: Option<&'static str>,
    /// The file's encoding.
    pub encoding: Encoding,
    /// The check's findings in the status profile.
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

impl StatusReading {
    /// Whether SMS can use the file: it checks without errors and has a
    /// Status that names a verdict.
    pub fn is_usable(&self) -> bool {
        self.verdict.is_some() && !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// A value by field.
    pub fn field(&self, field: Field) -> Option<&str> {
        self.fields[field].as_deref()
    }
}

/// Read a parsed status MIF: the values are taken from the first group
/// of the install status class compared ignoring case (so a case variant
/// still shows what it says) and from the ComponentID group; the findings
/// are those of the one check in the status profile, so `mif status` and
/// `mif check` report one problem with one code.
pub fn read(doc: &Document, options: &CheckOptions) -> StatusReading {
    let options = options.clone().with_profile(Some(Profile::Status));
    let status = status::status_attribute(doc).and_then(status::value_text);
    StatusReading {
        verdict: status.as_deref().and_then(|s| StatusWord::of(s).verdict()),
        status,
        fields: FieldMap::from_fn(|field| {
            status::field_attribute(doc, field).and_then(status::value_text)
        }),
        has_component_id: status::component_id_group(doc).is_some(),
        never_matched: status::never_matched(doc),
        encoding: doc.source.encoding,
        diagnostics: check(doc, &options),
    }
}
