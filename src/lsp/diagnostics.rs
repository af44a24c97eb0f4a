//! `mif check`'s diagnostics in the protocol's form.

use std::str::FromStr;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Uri,
};

use super::position::LineMap;
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::Document;

/// Where each code is explained; the code's heading anchor is appended.
pub const DIAGNOSTICS_DOCS: &str = "docs/diagnostics.md";

/// All diagnostics of a document, exactly as `mif check` finds them:
/// syntax first, the rules only when the syntax is sound.
pub fn check(doc: &Document) -> Vec<Diagnostic> {
    let mut diagnostics = doc.diagnostics.clone();
    if !doc.has_errors() {
        diagnostics.extend(crate::rules::check(doc));
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.severity != Severity::Error));
    diagnostics
}

/// One diagnostic for the client, its help under the message; `related`
/// places point into the same file.
pub fn to_lsp(diagnostic: &Diagnostic, uri: &Uri, map: &LineMap) -> lsp_types::Diagnostic {
    let related = diagnostic
        .related
        .iter()
        .map(|(span, label)| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), map.range(*span)),
            message: label.clone(),
        })
        .collect::<Vec<_>>();
    let message = match &diagnostic.help {
        Some(help) => format!("{}\nhelp: {help}", diagnostic.message),
        None => diagnostic.message.clone(),
    };
    lsp_types::Diagnostic {
        range: map.range(diagnostic.span),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: docs_link(diagnostic.code).map(|href| CodeDescription { href }),
        source: Some("mif".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// `docs/diagnostics.md#mifunterminated-string` for `mif::unterminated-string`:
/// the anchor a Markdown heading of the code gets on GitHub.
fn docs_link(code: &str) -> Option<Uri> {
    let anchor: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Uri::from_str(&format!("{DIAGNOSTICS_DOCS}#{anchor}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    #[test]
    fn a_diagnostic_keeps_code_severity_link_and_related_places() {
        let text = "NAME = \"é\"\nNAME = \"x\"\n";
        let map = LineMap::new(text);
        let uri = Uri::from_str("file:///tmp/a.mif").unwrap();
        let diagnostic =
            Diagnostic::warning("mif::duplicate-statement", Span::new(12, 16), "twice")
                .with_label("second NAME")
                .with_help("remove one")
                .with_related(Span::new(0, 4), "first NAME");
        let lsp = to_lsp(&diagnostic, &uri, &map);
        assert_eq!(lsp.severity, Some(DiagnosticSeverity::WARNING));
        assert_eq!(
            lsp.code,
            Some(NumberOrString::String("mif::duplicate-statement".into()))
        );
        assert_eq!(
            lsp.code_description.unwrap().href.as_str(),
            "docs/diagnostics.md#mifduplicate-statement"
        );
        assert_eq!(lsp.message, "twice\nhelp: remove one");
        assert_eq!(lsp.range.start, lsp_types::Position::new(1, 0));
        let related = lsp.related_information.unwrap();
        assert_eq!(
            related[0].location.range.end,
            lsp_types::Position::new(0, 4)
        );
        assert_eq!(related[0].message, "first NAME");
    }

    #[test]
    fn rules_run_only_on_sound_syntax() {
        let broken = Document::parse_str("START COMPONENT\nNAME = \"x\nEND COMPONENT\n");
        assert!(check(&broken)
            .iter()
            .any(|d| d.code == "mif::unterminated-string"));
        let sound = Document::parse_str("START COMPONENT\nEND COMPONENT\n");
        assert_eq!(check(&sound), crate::rules::check(&sound));
    }
}
