//! Whether a writer may write: the check's findings on the new text
//! against those on the old one.
//!
//! A writer changes values and nothing else, so every finding on the new
//! text is either about a changed value (its place overlaps the value),
//! or one the old text had at the same place (shifted by the changes
//! before it), or new. The policy, the same for every writer:
//!
//! - any error about a changed value, and any new error elsewhere,
//!   refuses the write: the file would be worse than it was;
//! - a warning about a changed value refuses it too, unless forced: the
//!   value was given on purpose, so it is judged in full;
//! - other new warnings (a file grown past a size limit) are told, and
//!   do not stop the write;
//! - what the old text already had elsewhere is not the writer's doing
//!   and is not repeated.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Severity};
use crate::span::Span;

/// A value a writer replaced: its place in the old text and in the new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// Where the old value was.
    pub before: Span,
    /// Where the new value is.
    pub after: Span,
}

/// A finding on the new text, with the change it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The finding; its spans point into the new text.
    pub diagnostic: Diagnostic,
    /// Index of the change (in the slice given to [`judge`]) whose value
    /// the finding is about; `None` for one elsewhere.
    pub change: Option<usize>,
}

/// What [`judge`] decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Judgement {
    /// The findings that refuse the write; empty when it may go ahead.
    pub refusals: Vec<Finding>,
    /// New warnings to tell when the write goes ahead (those about changed
    /// values only when forced).
    pub warnings: Vec<Finding>,
}

impl Judgement {
    /// Whether the write may go ahead.
    pub fn allows(&self) -> bool {
        self.refusals.is_empty()
    }
}

/// Judge a write: `before` and `after` are the check's findings on the
/// old and the new text, `changes` the values replaced (in any order),
/// `force` lets warnings about the changed values through.
pub fn judge(
    before: &[Diagnostic],
    after: &[Diagnostic],
    changes: &[Change],
    force: bool,
) -> Judgement {
    let mut known: HashMap<(&str, usize), usize> = HashMap::new();
    for d in before {
        *known.entry((d.code, d.span.start)).or_default() += 1;
    }
    let mut judgement = Judgement::default();
    for diagnostic in after.iter().filter(|d| d.severity != Severity::Info) {
        let change = changes
            .iter()
            .position(|c| overlaps(diagnostic.span, c.after));
        let finding = Finding {
            diagnostic: diagnostic.clone(),
            change,
        };
        let is_error = diagnostic.severity == Severity::Error;
        if change.is_some() {
            if is_error || !force {
                judgement.refusals.push(finding);
            } else {
                judgement.warnings.push(finding);
            }
            continue;
        }
        let old_start = shift_back(diagnostic.span.start, changes);
        if let Some(count) = known
            .get_mut(&(diagnostic.code, old_start))
            .filter(|n| **n > 0)
        {
            *count -= 1;
        } else if is_error {
            judgement.refusals.push(finding);
        } else {
            judgement.warnings.push(finding);
        }
    }
    judgement
}

/// Whether a finding's place touches a changed value (an empty place
/// touches a value it lies at).
fn overlaps(place: Span, value: Span) -> bool {
    if place.is_empty() || value.is_empty() {
        value.start <= place.start && place.start <= value.end
            || place.start <= value.start && value.start <= place.end
    } else {
        place.start < value.end && value.start < place.end
    }
}

/// Where an offset of the new text was in the old one, past the changes
/// before it.
fn shift_back(offset: usize, changes: &[Change]) -> usize {
    let grown: isize = changes
        .iter()
        .filter(|c| c.after.end <= offset)
        .map(|c| c.after.len() as isize - c.before.len() as isize)
        .sum();
    offset.saturating_add_signed(-grown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(code: &'static str, severity: Severity, start: usize, end: usize) -> Diagnostic {
        Diagnostic::new(code, severity, Span::new(start, end), "m")
    }

    #[test]
    fn findings_about_changed_values_refuse_unless_forced_warnings() {
        let change = [Change {
            before: Span::new(10, 12),
            after: Span::new(10, 15),
        }];
        let warning = at("mif::value-too-long", Severity::Warning, 10, 15);
        let error = at("mif::invalid-status-value", Severity::Error, 10, 15);
        let judged = judge(&[], std::slice::from_ref(&warning), &change, false);
        assert_eq!(judged.refusals[0].change, Some(0));
        let forced = judge(&[], std::slice::from_ref(&warning), &change, true);
        assert!(forced.allows());
        assert_eq!(forced.warnings.len(), 1);
        assert!(!judge(&[], &[error], &change, true).allows());
    }

    #[test]
    fn old_findings_elsewhere_are_not_the_writers_doing() {
        let change = [Change {
            before: Span::new(10, 12),
            after: Span::new(10, 15),
        }];
        let old = [
            at("mif::duplicate-id", Severity::Error, 3, 4),
            at("mif::duplicate-id", Severity::Error, 40, 41),
        ];
        let new = [
            at("mif::duplicate-id", Severity::Error, 3, 4),
            at("mif::duplicate-id", Severity::Error, 43, 44),
        ];
        let judged = judge(&old, &new, &change, false);
        assert!(judged.allows(), "{judged:?}");
        assert!(judged.warnings.is_empty());
        let moved = [at("mif::duplicate-id", Severity::Error, 50, 51)];
        assert!(!judge(&old, &moved, &change, false).allows());
        let grown = [at(
            "mif::inventory-over-default-size",
            Severity::Warning,
            0,
            0,
        )];
        let judged = judge(&[], &grown, &change, false);
        assert!(judged.allows());
        assert_eq!(judged.warnings[0].change, None);
    }
}
