//! DMI conventions beyond the grammar: the ComponentID group and the form
//! of the LANGUAGE string.

use crate::diagnostics::Diagnostic;
use crate::lexer::Keyword;
use crate::model::classes::{self, COMPONENT_ID_CLASS};
use crate::syntax::{BlockKind, Document, StatementValue};

/// Group 1 must be the ComponentID group. A warning: SMS files often
/// number their groups differently (reference 2.12, 3.1). SMS inventory
/// MIFs never meet a DMI service layer, so the rule is not theirs.
pub fn check_component_id(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(component) = doc.component() else {
        return;
    };
    if classes::is_sms_inventory(doc) {
        return;
    }
    let Some(group) = component
        .blocks_of(BlockKind::Group)
        .find(|g| g.id() == Some(1))
    else {
        out.push(
            Diagnostic::warning(
                "mif::missing-componentid",
                component.head_span,
                "no ComponentID group (group ID 1)",
            )
            .with_label("this component has no group with ID = 1")
            .with_help(format!(
                "DMI components start with a group NAME = \"ComponentID\", ID = 1, \
                 CLASS = \"{COMPONENT_ID_CLASS}\" (Manufacturer, Product, Version, Serial Number, \
                 Installation, Verify)"
            )),
        );
        return;
    };
    let class = group.statement(Keyword::Class);
    let class_text = group.class().unwrap_or_default();
    if classes::is_component_id(class_text) {
        return;
    }
    let span = match class.map(|s| &s.value) {
        Some(StatementValue::String(s)) => s.span,
        _ => group.head_span,
    };
    out.push(
        Diagnostic::warning(
            "mif::componentid-class",
            span,
            format!("group 1 has class \"{class_text}\", not the ComponentID class"),
        )
        .with_label("ID 1 is reserved for the ComponentID group")
        .with_help(format!(
            "use CLASS = \"{COMPONENT_ID_CLASS}\" for group 1, or give this group another ID \
                 and add a ComponentID group"
        )),
    );
}

/// `LANGUAGE = "ll|CC|encoding"`: ISO 639 language, ISO 3166 territory,
/// `iso8859-1` or `unicode`; empty fields are allowed, both bars are not
/// optional.
pub fn check_language(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(statement) = doc.language() else {
        return;
    };
    let StatementValue::String(value) = &statement.value else {
        return;
    };
    if let Some(problem) = language_problem(&value.value) {
        out.push(
            Diagnostic::warning(
                "mif::invalid-language",
                value.span,
                format!("\"{}\" is not a DMI language string: {problem}", value.value),
            )
            .with_label("expected \"ll|CC|encoding\"")
            .with_help("write e.g. LANGUAGE = \"en|US|iso8859-1\" (language|territory|iso8859-1 or unicode)"),
        );
    }
}

fn language_problem(text: &str) -> Option<String> {
    let fields: Vec<&str> = text.split('|').collect();
    let [language, territory, encoding] = fields[..] else {
        return Some(format!(
            "{} fields instead of 3 separated by `|`",
            fields.len()
        ));
    };
    let two_letters =
        |s: &str| s.is_empty() || (s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()));
    if !two_letters(language) {
        return Some(format!(
            "language `{language}` is not a two-letter ISO 639 code"
        ));
    }
    if !two_letters(territory) {
        return Some(format!(
            "territory `{territory}` is not a two-letter ISO 3166 code"
        ));
    }
    let known = ["", "iso8859-1", "unicode"];
    if !known.iter().any(|k| k.eq_ignore_ascii_case(encoding)) {
        return Some(format!(
            "encoding `{encoding}` is neither iso8859-1 nor unicode"
        ));
    }
    None
}
