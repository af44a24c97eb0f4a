//! `mif check`'s diagnostics in the protocol's form.

use std::str::FromStr;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Uri,
};

use super::position::LineMap;
use crate::diagnostics::{Diagnostic, Severity};

/// The absolute URI of `docs/diagnostics.md` that code links point into:
/// `configured` (the client's `initializationOptions.diagnosticsDocs`) when
/// it is an absolute URI, else none. Without it no link is sent: a path
/// on the machine the binary was built on means nothing on another, and
/// the documentation's public address is not known to the build. A
/// relative link is never sent either: strict clients drop every
/// diagnostic of a notification that has one.
pub fn docs_location(configured: Option<&str>) -> Option<Uri> {
    configured
        .and_then(|text| Uri::from_str(text).ok())
        .filter(|uri| uri.scheme().is_some())
}

/// One diagnostic for the client, its help under the message; `related`
/// places point into the same file; the code links into `docs` if known.
pub fn to_lsp(
    diagnostic: &Diagnostic,
    uri: &Uri,
    map: &LineMap,
    docs: Option<&Uri>,
) -> lsp_types::Diagnostic {
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
        code_description: docs
            .and_then(|docs| docs_link(docs, diagnostic.code))
            .map(|href| CodeDescription { href }),
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

/// `…/diagnostics.md#mifunterminated-string` for `mif::unterminated-string`:
/// the anchor a Markdown heading of the code gets on GitHub.
fn docs_link(docs: &Uri, code: &str) -> Option<Uri> {
    let anchor: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let page = docs.as_str().split('#').next().unwrap_or_default();
    Uri::from_str(&format!("{page}#{anchor}")).ok()
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
        let docs = docs_location(Some("https://mif.example/docs/diagnostics.md"));
        let lsp = to_lsp(&diagnostic, &uri, &map, docs.as_ref());
        assert_eq!(lsp.severity, Some(DiagnosticSeverity::WARNING));
        assert_eq!(
            lsp.code,
            Some(NumberOrString::String("mif::duplicate-statement".into()))
        );
        assert_eq!(
            lsp.code_description.unwrap().href.as_str(),
            "https://mif.example/docs/diagnostics.md#mifduplicate-statement"
        );
        assert!(to_lsp(&diagnostic, &uri, &map, None)
            .code_description
            .is_none());
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
    fn only_absolute_docs_locations_are_used() {
        assert!(docs_location(Some("docs/diagnostics.md")).is_none());
        assert!(docs_location(Some("not a uri")).is_none());
        let file = docs_location(Some("file:///opt/mif/docs/diagnostics.md")).unwrap();
        assert_eq!(file.as_str(), "file:///opt/mif/docs/diagnostics.md");
        // Unless the client says where, no link at all.
        assert!(docs_location(None).is_none());
    }
}
