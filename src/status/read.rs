//! Reading a status MIF the way SMS does, and saying what would make SMS
//! ignore or misread it.

use super::{Field, JobStatus, COMPONENT_ID_CLASS, JOB_STATUS_CLASS};
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::Encoding;
use crate::span::Span;
use crate::syntax::{Block, BlockKind, Document, Value};

/// Longest Description SMS is known to take (the VB6 setup toolkit cuts
/// there: "SMS does not allow description strings longer than 255 chars").
const DESCRIPTION_HARD_LIMIT: usize = 255;

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
    /// Syntax errors and `mif::status-*` findings, in source order.
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

impl StatusReading {
    fn field_mut(&mut self, field: Field) -> &mut Option<String> {
        match field {
            Field::Manufacturer => &mut self.manufacturer,
            Field::Product => &mut self.product,
            Field::Version => &mut self.version,
            Field::Locale => &mut self.locale,
            Field::SerialNumber => &mut self.serial_number,
            Field::Installation => &mut self.installation,
            Field::Description => &mut self.description,
        }
    }
}

/// Read a parsed status MIF: the InstallStatus group is the group of class
/// `MICROSOFT|JOBSTATUS|1.0` anywhere in the component, with or without a
/// ComponentID group (the SMS 1.x minimal layout has none). Classes and
/// attribute names are compared ignoring case: no source says SMS is
/// stricter, and its documented matching ignores case throughout.
pub fn read(doc: &Document) -> StatusReading {
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
        diagnostics: doc
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect(),
    };
    let diagnostics = &mut reading.diagnostics;
    check_encoding(doc.source.encoding, diagnostics);
    let groups: Vec<&Block> = doc
        .component()
        .map(|c| c.blocks_of(BlockKind::Group).collect())
        .unwrap_or_default();
    let is_class =
        |group: &Block, class: &str| group.class().is_some_and(|c| c.eq_ignore_ascii_case(class));
    let job_groups: Vec<&Block> = groups
        .iter()
        .copied()
        .filter(|g| is_class(g, JOB_STATUS_CLASS))
        .collect();
    match job_groups.as_slice() {
        [] => diagnostics.push(missing_install_status(&groups)),
        [first, rest @ ..] => {
            for extra in rest {
                diagnostics.push(
                    Diagnostic::error(
                        "mif::status-duplicate-install-status",
                        extra.head_span,
                        "a second InstallStatus group",
                    )
                    .with_label("another MICROSOFT|JOBSTATUS|1.0 group")
                    .with_related(first.head_span, "the first one")
                    .with_help("a status MIF reports one result; write one file per program"),
                );
            }
            read_install_status(first, &mut reading);
        }
    }
    match groups.iter().find(|g| is_class(g, COMPONENT_ID_CLASS)) {
        Some(group) => read_component_id(group, &mut reading),
        None if job_groups.is_empty() => {}
        None => reading.diagnostics.push(
            Diagnostic::warning(
                "mif::status-no-component-id",
                doc.component().map_or(Span::new(0, 0), |c| c.head_span),
                "no ComponentID group: nothing for ConfigMgr to match",
            )
            .with_label("component without a DMTF|ComponentID|1.0 group")
            .with_help(
                "SMS 2.0 and later (and ConfigMgr) take a status MIF only when its Manufacturer, Product \
                 and Version match the package; only SMS 1.x uses this minimal layout. `mif new` writes both groups",
            ),
        ),
    }
    reading
        .diagnostics
        .sort_by_key(|d| (d.span.start, d.severity != Severity::Error));
    reading
}

fn check_encoding(encoding: Encoding, diagnostics: &mut Vec<Diagnostic>) {
    if encoding != Encoding::SingleByte {
        diagnostics.push(
            Diagnostic::warning(
                "mif::status-encoding",
                Span::new(0, 0),
                format!("the file is {encoding}, not ANSI"),
            )
            .with_label("byte-order mark")
            .with_help(
                "SMS and ConfigMgr document status MIFs as ANSI (Windows-1252) without a byte-order mark; \
                 whether they read UTF-8 or UTF-16 is unverified. PowerShell 5.1's Out-File writes UTF-16: \
                 use `Out-File -Encoding default`, or write the file with `mif new`",
            ),
        );
    }
}

/// Why there is no InstallStatus group: none at all, or one with the
/// wrong class.
fn missing_install_status(groups: &[&Block]) -> Diagnostic {
    let lookalike = groups.iter().find(|g| {
        g.name()
            .is_some_and(|n| n.eq_ignore_ascii_case("InstallStatus"))
            || g.class()
                .is_some_and(|c| c.to_ascii_uppercase().contains("JOBSTATUS"))
    });
    match lookalike {
        Some(group) => {
            let span = group
                .statement(crate::lexer::Keyword::Class)
                .map_or(group.head_span, |s| s.span);
            Diagnostic::error(
                "mif::status-wrong-class",
                span,
                format!(
                    "the InstallStatus group has class {:?}, so SMS does not see it",
                    group.class().unwrap_or("")
                ),
            )
            .with_label("not MICROSOFT|JOBSTATUS|1.0")
            .with_help("write CLASS = \"MICROSOFT|JOBSTATUS|1.0\"")
        }
        None => Diagnostic::error(
            "mif::status-no-install-status",
            groups.first().map_or(Span::new(0, 0), |g| g.head_span),
            "no InstallStatus group (class MICROSOFT|JOBSTATUS|1.0): this is not a status MIF",
        )
        .with_label("SMS looks for a group of this class")
        .with_help("a status MIF needs a group with CLASS = \"MICROSOFT|JOBSTATUS|1.0\" holding Status and Description"),
    }
}

/// The attribute of a group with this NAME (ignoring case), and its value.
fn attribute<'a>(group: &'a Block, name: &str) -> Option<(&'a Block, Option<(String, Span)>)> {
    let attribute = group
        .blocks_of(BlockKind::Attribute)
        .find(|a| a.name().is_some_and(|n| n.eq_ignore_ascii_case(name)))?;
    let value = attribute.value().and_then(|value| match value {
        Value::String(s) => Some((s.value.clone(), s.span)),
        Value::Integer(i) => i.value.map(|v| (v.to_string(), i.span)),
        _ => None,
    });
    Some((attribute, value))
}

fn read_install_status(group: &Block, reading: &mut StatusReading) {
    let diagnostics = &mut reading.diagnostics;
    match attribute(group, "Status") {
        Some((_, Some((value, span)))) => {
            reading.verdict = check_status(&value, span, diagnostics);
            reading.status = Some(value);
        }
        found => {
            let span = found.map_or(group.head_span, |(a, _)| a.head_span);
            diagnostics.push(
                Diagnostic::error(
                    "mif::status-no-status",
                    span,
                    "the InstallStatus group has no Status value",
                )
                .with_label("Status missing here")
                .with_help(
                    "add an attribute NAME = \"Status\" with VALUE = \"Success\" or \"Failed\"",
                ),
            );
        }
    }
    match attribute(group, "Description") {
        Some((_, Some((value, span)))) => {
            check_description(&value, span, diagnostics);
            reading.description = Some(value);
        }
        _ => diagnostics.push(
            Diagnostic::warning(
                "mif::status-no-description",
                group.head_span,
                "the InstallStatus group has no Description value",
            )
            .with_label("Description missing")
            .with_help("the Description is what the status message shows; SMS 1.x's despooler also logs a warning without it"),
        ),
    }
}

/// Success or Failed, exactly, is what SMS documents.
fn check_status(value: &str, span: Span, diagnostics: &mut Vec<Diagnostic>) -> Option<JobStatus> {
    let word = [JobStatus::Success, JobStatus::Failed]
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(value.trim()));
    match word {
        Some(status) if status.as_str() == value => Some(status),
        Some(status) if value.trim() != value => {
            diagnostics.push(
                Diagnostic::error(
                    "mif::status-whitespace",
                    span,
                    format!("Status {value:?} has spaces around the word"),
                )
                .with_label("white space inside the quotes")
                .with_help(format!("write exactly {:?}", status.as_str())),
            );
            Some(status)
        }
        Some(status) => {
            diagnostics.push(
                Diagnostic::warning(
                    "mif::status-case",
                    span,
                    format!("Status {value:?} is not spelled {:?}", status.as_str()),
                )
                .with_label("other letter case")
                .with_help(format!(
                    "SMS 1.x tools wrote SUCCESS/FAILED, but ConfigMgr documents only Success and Failed; \
                     write {:?}",
                    status.as_str()
                )),
            );
            Some(status)
        }
        None => {
            diagnostics.push(
                Diagnostic::error(
                    "mif::status-invalid",
                    span,
                    format!("Status {value:?} is neither Success nor Failed"),
                )
                .with_label("SMS cannot tell what this means")
                .with_help("the Status value must be the word \"Success\" or the word \"Failed\""),
            );
            None
        }
    }
}

fn check_description(value: &str, span: Span, diagnostics: &mut Vec<Diagnostic>) {
    let length = value.chars().count();
    let limit = Field::Description.limit();
    if value.trim().is_empty() {
        diagnostics.push(
            Diagnostic::warning("mif::status-empty", span, "the Description is empty")
                .with_label("nothing to show in the status message")
                .with_help("say what happened; SMS 1.x's despooler logs a warning for an empty Description"),
        );
    } else if length > DESCRIPTION_HARD_LIMIT {
        diagnostics.push(
            Diagnostic::error(
                "mif::status-too-long",
                span,
                format!("the Description is {length} characters long; SMS takes at most {DESCRIPTION_HARD_LIMIT}"),
            )
            .with_label("too long")
            .with_help(format!("keep it to {limit} characters, the STRING(128) ISMIF32 writes")),
        );
    } else if length > limit {
        diagnostics.push(
            Diagnostic::warning(
                "mif::status-too-long",
                span,
                format!(
                    "the Description is {length} characters long; ISMIF32 writes at most {limit}"
                ),
            )
            .with_label("over 128 characters")
            .with_help("whether ConfigMgr cuts or refuses a longer one is unknown; keep it to 128"),
        );
    }
    if value.contains(['\r', '\n']) {
        diagnostics.push(
            Diagnostic::warning(
                "mif::status-multiline",
                span,
                "the Description spans several lines",
            )
            .with_label("line break in the value")
            .with_help("the status message shows one line; write the text on one line"),
        );
    }
}

fn read_component_id(group: &Block, reading: &mut StatusReading) {
    reading.has_component_id = true;
    for field in Field::COMPONENT_ID {
        let found = attribute(group, field.attribute_name());
        let value = found.as_ref().and_then(|(_, v)| v.clone());
        if let Some((text, span)) = &value {
            let length = text.chars().count();
            if length > field.limit() {
                reading.diagnostics.push(
                    Diagnostic::warning(
                        "mif::status-too-long",
                        *span,
                        format!(
                            "{} is {length} characters long; ISMIF32 writes at most {}",
                            field.attribute_name(),
                            field.limit()
                        ),
                    )
                    .with_label(format!("over {} characters", field.limit()))
                    .with_help("ConfigMgr's package fields are shorter still (Name 50, Manufacturer and Version 32)"),
                );
            }
        }
        if Field::MATCHED.contains(&field) && value.as_ref().is_none_or(|(t, _)| t.is_empty()) {
            let span = match (&value, &found) {
                (Some((_, span)), _) => *span,
                (None, Some((attribute, _))) => attribute.head_span,
                (None, None) => group.head_span,
            };
            reading.diagnostics.push(
                Diagnostic::warning(
                    "mif::status-unmatchable",
                    span,
                    format!("{} is missing or empty", field.attribute_name()),
                )
                .with_label("nothing to match")
                .with_help(
                    "ConfigMgr takes a status MIF only when Manufacturer, Product and Version match the \
                     package (or the Reporting tab's fields), ignoring case",
                ),
            );
        }
        *reading.field_mut(field) = value.map(|(text, _)| text);
    }
}
