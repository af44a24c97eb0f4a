//! What a team decided about codes: never report some (`allow`), report
//! some errors as warnings (`warn`), some warnings as errors (`deny`);
//! from `mif.toml` or the command line. A syntax error is never silenced
//! or lowered: it means the file cannot be read as written, and the
//! writers refuse such a file whatever is configured.

use std::collections::BTreeSet;

use crate::diagnostics::{Diagnostic, Severity};

/// Codes whose diagnostics are dropped, lowered or raised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Severities {
    /// Never reported.
    pub allow: BTreeSet<&'static str>,
    /// Errors reported as warnings (rule findings only).
    pub warn: BTreeSet<&'static str>,
    /// Warnings reported as errors.
    pub deny: BTreeSet<&'static str>,
}

impl Severities {
    /// Whether nothing is changed.
    pub fn is_empty(&self) -> bool {
        self.allow.is_empty() && self.warn.is_empty() && self.deny.is_empty()
    }

    /// The same, with `other`'s choices added (command-line flags over a
    /// file): a code named in `other` takes `other`'s choice.
    pub fn overridden_by(&self, other: &Severities) -> Severities {
        let named = |code: &&str| {
            !other.allow.contains(code) && !other.warn.contains(code) && !other.deny.contains(code)
        };
        let merge = |mine: &BTreeSet<&'static str>, theirs: &BTreeSet<&'static str>| {
            mine.iter()
                .copied()
                .filter(named)
                .chain(theirs.iter().copied())
                .collect()
        };
        Severities {
            allow: merge(&self.allow, &other.allow),
            warn: merge(&self.warn, &other.warn),
            deny: merge(&self.deny, &other.deny),
        }
    }

    /// Apply to one diagnostic; `None` when it is allowed. `syntax` says
    /// the diagnostic is the parser's: its errors stay errors.
    pub(crate) fn apply(&self, mut diagnostic: Diagnostic, syntax: bool) -> Option<Diagnostic> {
        let code = diagnostic.code;
        let fixed = syntax && diagnostic.is_error();
        if fixed {
            return Some(diagnostic);
        }
        if self.allow.contains(code) {
            return None;
        }
        if self.warn.contains(code) && diagnostic.severity == Severity::Error {
            diagnostic.severity = Severity::Warning;
        } else if self.deny.contains(code) && diagnostic.severity == Severity::Warning {
            diagnostic.severity = Severity::Error;
        }
        Some(diagnostic)
    }
}

/// A code as people write it (`value-too-long` or `mif::value-too-long`,
/// any case), as the documented code; else why not, with the nearest.
pub fn known_code(name: &str) -> Result<&'static str, String> {
    let bare = name.trim();
    let bare = bare
        .strip_prefix("mif::")
        .unwrap_or(bare)
        .to_ascii_lowercase();
    crate::explain::codes()
        .into_iter()
        .find(|code| code.strip_prefix("mif::") == Some(bare.as_str()))
        .ok_or_else(|| {
            let nearest = crate::explain::nearest_codes(&bare, 1);
            match nearest.first() {
                Some(code) => format!("no diagnostic code `{name}`; did you mean `{code}`?"),
                None => format!("no diagnostic code `{name}`"),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    #[test]
    fn codes_are_read_as_people_write_them() {
        assert_eq!(known_code("Value-Too-Long"), Ok("mif::value-too-long"));
        assert_eq!(known_code("mif::value-too-long"), Ok("mif::value-too-long"));
        let wrong = known_code("value-to-long").unwrap_err();
        assert!(
            wrong.contains("did you mean `mif::value-too-long`"),
            "{wrong}"
        );
    }

    #[test]
    fn syntax_errors_are_never_silenced_or_lowered() {
        let severities = Severities {
            allow: ["mif::unterminated-string", "mif::paths-keyword"].into(),
            warn: ["mif::duplicate-id"].into(),
            deny: ["mif::value-too-long"].into(),
        };
        let error = |code| Diagnostic::error(code, Span::default(), "m");
        let warning = |code| Diagnostic::warning(code, Span::default(), "m");
        assert!(severities
            .apply(error("mif::unterminated-string"), true)
            .is_some());
        assert!(severities
            .apply(warning("mif::paths-keyword"), true)
            .is_none());
        let lowered = severities.apply(error("mif::duplicate-id"), false).unwrap();
        assert_eq!(lowered.severity, Severity::Warning);
        let raised = severities
            .apply(warning("mif::value-too-long"), false)
            .unwrap();
        assert_eq!(raised.severity, Severity::Error);
        let flags = Severities {
            deny: ["mif::duplicate-id"].into(),
            ..Severities::default()
        };
        let merged = severities.overridden_by(&flags);
        assert!(merged.warn.is_empty() && merged.deny.contains("mif::duplicate-id"));
    }
}
