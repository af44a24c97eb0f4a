//! SMS/ConfigMgr install status MIFs: rules S1-S13 of
//! `status-mif-behaviour.md` section (a). A status MIF is read by the
//! client after a program runs; these rules find what makes it unreadable,
//! unmatched or misread. What the client reads, and ISMIF32's limits, are
//! in `crate::model::status`.

use crate::diagnostics::Diagnostic;
use crate::lexer::Keyword;
use crate::model::classes::{COMPONENT_ID_CLASS, JOB_STATUS_CLASS};
use crate::model::status::{
    self, attribute, control_character, Field, JobStatus, StatusWord, DESCRIPTION_HARD_LIMIT,
    STATUS_SIZE,
};
use crate::source::Encoding;
use crate::span::Span;
use crate::syntax::{Block, Document, StatementValue, Value};

/// The rules of the status profile; `path` is the file's, for S11.
pub fn check(doc: &Document, path: Option<&str>, out: &mut Vec<Diagnostic>) {
    let Some(component) = doc.component() else {
        return;
    };
    let mut status_groups = status::job_status_groups(doc);
    match status_groups.next() {
        None => out.push(missing_group(doc, component)),
        Some(group) => check_install_status(group, out),
    }
    let first = status::job_status_groups(doc).next().map(|g| g.head_span);
    for extra in status_groups {
        let mut diagnostic = Diagnostic::error(
            "mif::status-duplicate-group",
            extra.head_span,
            "a second InstallStatus group",
        )
        .with_label("only one status per file")
        .with_help("write one status MIF per program run, with one InstallStatus group");
        if let Some(first) = first {
            diagnostic = diagnostic.with_related(first, "first InstallStatus group");
        }
        out.push(diagnostic);
    }
    check_component_id(doc, component, out);
    check_encoding(doc, out);
    check_file_name(doc, path, out);
}

fn string_value(attribute: &Block) -> Option<(&str, Span)> {
    match attribute.value()? {
        Value::String(s) => Some((s.value.as_str(), s.span)),
        _ => None,
    }
}

/// S1: no group of exactly the JOBSTATUS class; points at the group meant
/// to be it when there is one: a case variant of the class, else a group
/// named InstallStatus or with JOBSTATUS in its class.
fn missing_group(doc: &Document, component: &Block) -> Diagnostic {
    let class_of = |g: &Block| match &g.statement(Keyword::Class)?.value {
        StatementValue::String(class) => Some(class.clone()),
        _ => None,
    };
    let case_variant = doc
        .groups()
        .filter_map(class_of)
        .find(|class| class.value.eq_ignore_ascii_case(JOB_STATUS_CLASS));
    let lookalike = || {
        doc.groups().find(|g| {
            g.name()
                .is_some_and(|n| n.eq_ignore_ascii_case("InstallStatus"))
                || g.class()
                    .is_some_and(|c| c.to_ascii_uppercase().contains("JOBSTATUS"))
        })
    };
    let fix = format!("write CLASS = \"{JOB_STATUS_CLASS}\"");
    let (span, label, help) = match (case_variant, lookalike()) {
        (Some(class), _) => (
            class.span,
            "class must be written exactly in upper case".to_string(),
            fix,
        ),
        (None, Some(group)) => (
            group
                .statement(Keyword::Class)
                .map_or(group.head_span, |s| s.span),
            format!("not {JOB_STATUS_CLASS}, so SMS does not see this group"),
            fix,
        ),
        (None, None) => (
            component.head_span,
            "a status MIF needs this group".to_string(),
            format!(
                "add START GROUP, NAME = \"InstallStatus\", ID = 2, CLASS = \"{JOB_STATUS_CLASS}\", \
                 with the attributes Status and Description"
            ),
        ),
    };
    Diagnostic::error(
        "mif::status-missing-group",
        span,
        format!("no InstallStatus group with CLASS = \"{JOB_STATUS_CLASS}\""),
    )
    .with_label(label)
    .with_help(help)
}

fn check_install_status(group: &Block, out: &mut Vec<Diagnostic>) {
    match attribute(group, "Status") {
        None => out.push(
            Diagnostic::error(
                "mif::status-missing-status",
                group.head_span,
                "the InstallStatus group has no Status attribute",
            )
            .with_label("ConfigMgr reads the verdict from Status")
            .with_help(format!(
                "add START ATTRIBUTE, NAME = \"Status\", ID = 1, TYPE = STRING({STATUS_SIZE}), \
                 VALUE = \"Success\" (or \"Failed\"), END ATTRIBUTE"
            )),
        ),
        Some(status) => check_status_value(status, out),
    }
    match attribute(group, Field::Description.attribute_name()) {
        None => out.push(
            Diagnostic::warning(
                "mif::status-missing-description",
                group.head_span,
                "the InstallStatus group has no Description attribute",
            )
            .with_label("no text for the status message")
            .with_help(format!(
                "add START ATTRIBUTE, NAME = \"Description\", ID = 2, TYPE = STRING({}), \
                 VALUE = \"what happened\", END ATTRIBUTE",
                Field::Description.limit()
            )),
        ),
        Some(description) => check_description(description, out),
    }
}

fn check_status_value(status: &Block, out: &mut Vec<Diagnostic>) {
    let Some((value, span)) = string_value(status) else {
        let span = status.value().map_or(status.head_span, Value::span);
        out.push(invalid_status(span, "Status has no text value"));
        return;
    };
    match StatusWord::of(value) {
        StatusWord::Exact(_) => {}
        StatusWord::Padded(_) => out.push(
            Diagnostic::error(
                "mif::status-value-whitespace",
                span,
                format!("Status \"{value}\" has white space around it"),
            )
            .with_label("leading or trailing white space")
            .with_help(format!("write VALUE = \"{}\"", value.trim())),
        ),
        StatusWord::OtherCase(fixed) => out.push(
            Diagnostic::warning(
                "mif::status-value-case",
                span,
                format!("Status \"{value}\" is not spelled \"{fixed}\""),
            )
            .with_label("unusual case")
            .with_help(format!(
                "SMS 1.x tools wrote {value}; whether ConfigMgr ignores case is undocumented, \
                 write VALUE = \"{fixed}\""
            )),
        ),
        StatusWord::Invalid => out.push(invalid_status(
            span,
            &format!("Status \"{value}\" is neither Success nor Failed"),
        )),
    }
}

fn invalid_status(span: Span, message: &str) -> Diagnostic {
    let [success, failed] = JobStatus::ALL.map(JobStatus::as_str);
    Diagnostic::error("mif::invalid-status-value", span, message)
        .with_label("not a status ConfigMgr knows")
        .with_help(format!(
            "write VALUE = \"{success}\" or VALUE = \"{failed}\""
        ))
}

fn check_description(description: &Block, out: &mut Vec<Diagnostic>) {
    let Some((value, span)) = string_value(description) else {
        return;
    };
    let chars = value.chars().count();
    let limit = Field::Description.limit();
    if value.trim().is_empty() {
        out.push(
            Diagnostic::warning(
                "mif::status-empty-description",
                span,
                "the status Description is empty",
            )
            .with_label("empty")
            .with_help(
                "say what happened; SMS 1.x logged an empty Description as a despooler error",
            ),
        );
    } else if chars > DESCRIPTION_HARD_LIMIT {
        out.push(
            Diagnostic::error(
                "mif::status-description-too-long",
                span,
                format!("Description is {chars} characters, over {DESCRIPTION_HARD_LIMIT}"),
            )
            .with_label(format!("longer than {DESCRIPTION_HARD_LIMIT} characters"))
            .with_help(format!(
                "SMS does not allow descriptions over {DESCRIPTION_HARD_LIMIT} characters; \
                 keep it within {limit}"
            )),
        );
    } else if chars > limit {
        out.push(field_too_long(Field::Description, chars, span));
    }
    if value.contains(['\r', '\n']) {
        out.push(
            Diagnostic::warning(
                "mif::status-multiline-description",
                span,
                "the status Description spans several lines",
            )
            .with_label("contains a line break")
            .with_help("the status message is one line; join the lines with spaces"),
        );
    }
    if let Some(c) = control_character(&value.replace(['\r', '\n'], "")) {
        out.push(control(Field::Description, c, span));
    }
}

fn field_too_long(field: Field, chars: usize, span: Span) -> Diagnostic {
    let (name, limit) = (field.attribute_name(), field.limit());
    Diagnostic::warning(
        "mif::status-field-too-long",
        span,
        format!("{name} is {chars} characters; ISMIF allows {limit}"),
    )
    .with_label(format!("over {limit} characters"))
    .with_help(format!(
        "InstallStatusMIF takes at most {limit} characters for {name}; ConfigMgr's handling of longer \
         values is undocumented, so shorten it"
    ))
}

fn control(field: Field, c: char, span: Span) -> Diagnostic {
    Diagnostic::warning(
        "mif::status-control-character",
        span,
        format!(
            "{} contains the control character U+{:04X}",
            field.attribute_name(),
            c as u32
        ),
    )
    .with_label("not one line of plain text")
    .with_help("status values are one line of text, shown in a status message; use spaces instead")
}

/// S5, S6, S9: the fields ConfigMgr matches against the package.
fn check_component_id(doc: &Document, component: &Block, out: &mut Vec<Diagnostic>) {
    let Some(group) = status::component_id_group(doc) else {
        out.push(
            Diagnostic::warning(
                "mif::status-no-componentid",
                component.head_span,
                "no ComponentID group: SMS 2.0 and later cannot match this MIF to a program",
            )
            .with_label("only SMS 1.x collected MIFs without one")
            .with_help(format!(
                "add a group NAME = \"ComponentID\", ID = 1, CLASS = \"{COMPONENT_ID_CLASS}\" with \
                 Manufacturer, Product and Version equal to the package's (or its MIF matching fields)"
            )),
        );
        return;
    };
    let product = attribute(group, Field::Product.attribute_name()).and_then(string_value);
    if product.is_none_or(|(value, _)| value.trim().is_empty()) {
        let span = product.map_or(group.head_span, |(_, span)| span);
        out.push(
            Diagnostic::warning(
                "mif::status-empty-product",
                span,
                "no Product in the ComponentID group: ConfigMgr matches the MIF by it",
            )
            .with_label("Product missing or empty")
            .with_help("set Product to the package's name (or its MIF Name matching field)"),
        );
    }
    for &field in Field::COMPONENT_ID {
        let Some((value, span)) = attribute(group, field.attribute_name()).and_then(string_value)
        else {
            continue;
        };
        let chars = value.chars().count();
        if chars > field.limit() {
            out.push(field_too_long(field, chars, span));
        }
        if let Some(c) = control_character(value) {
            out.push(control(field, c, span));
        }
    }
}

/// S10: status MIFs are ANSI text.
fn check_encoding(doc: &Document, out: &mut Vec<Diagnostic>) {
    let encoding = doc.source.encoding;
    if encoding == Encoding::SingleByte {
        return;
    }
    let outside = doc
        .text()
        .chars()
        .filter(|&c| !Encoding::SingleByte.holds(c))
        .count();
    let extra = match outside {
        0 => String::new(),
        1 => "; 1 character has no Windows-1252 form".to_string(),
        n => format!("; {n} characters have no Windows-1252 form"),
    };
    out.push(
        Diagnostic::warning(
            "mif::status-encoding",
            Span::new(0, 0),
            format!("status MIF saved as {encoding}{extra}"),
        )
        .with_label("ConfigMgr expects ANSI")
        .with_help(
            "save it as ANSI (Windows-1252) without a byte-order mark; in PowerShell use \
             Out-File -Encoding Default (5.1) or -Encoding ansi (7.4+)",
        ),
    );
}

/// S11: the client only looks for `*.mif` files.
fn check_file_name(doc: &Document, path: Option<&str>, out: &mut Vec<Diagnostic>) {
    let Some(path) = path else {
        return;
    };
    let name = std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
    if !status::is_mif_file_name(&name) {
        let span = doc.component().map_or(Span::new(0, 0), |c| c.head_span);
        out.push(
            Diagnostic::warning(
                "mif::status-file-extension",
                span,
                format!("status MIF `{name}` does not end in .mif"),
            )
            .with_label("the client looks for *.mif files")
            .with_help("rename the file to end in .mif"),
        );
    }
}
