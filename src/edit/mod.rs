//! Query and change single values in place, keeping every other byte.
//!
//! Administrators change one value at a time from scripts (a new asset
//! tag, a status flipped to Failed); regenerating the file or running
//! `sed` over it loses comments and layout or breaks the syntax. Here a
//! change replaces only the value's own text, checked against the
//! attribute's type, and the result is re-parsed to prove nothing else
//! moved.
//!
//! ```
//! use mif::edit::{Address, NewValue};
//!
//! let text = "START COMPONENT NAME = \"App\"\n\
//!     START GROUP NAME = \"InstallStatus\" ID = 2 CLASS = \"MICROSOFT|JOBSTATUS|1.0\"\n\
//!       START ATTRIBUTE NAME = \"Status\" ID = 1 TYPE = STRING(32)\n\
//!         VALUE = \"Success\" // set by setup\n\
//!       END ATTRIBUTE\n\
//!     END GROUP\n\
//!     END COMPONENT\n";
//! let mut doc = mif::Document::parse(text.as_bytes());
//! let status: Address = "InstallStatus.Status".parse()?;
//! assert_eq!(doc.get(&status)?.values[0].text().as_deref(), Some("Success"));
//!
//! doc.set_value(&status, NewValue::Text("Failed".into()))?;
//! assert_eq!(doc.text(), text.replace("\"Success\"", "\"Failed\""));
//!
//! // Checked against the type: STRING(32) holds no more than 32 octets.
//! assert!(doc.set_value(&status, NewValue::Text("x".repeat(33))).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod address;
mod validate;

pub use address::{Address, AddressError, Selector};

use crate::diagnostics::{Diagnostic, Severity};
use crate::lexer::TokenKind;
use crate::source::Source;
use crate::span::Span;
use crate::syntax::{Block, Document, Row, Value};

use address::{columns, value_text};

/// A value to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewValue {
    /// Text read by the attribute's type: a number for integer types, an
    /// item's text or number for enums, the string itself otherwise.
    Text(String),
    /// The `UNKNOWN` keyword: supported, value not known now.
    Unknown,
    /// The `UNSUPPORTED` keyword.
    Unsupported,
}

/// One change: where, and what to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub address: Address,
    pub value: NewValue,
}

/// What an address found: the group (or table and row) and its values.
#[derive(Debug)]
pub struct Found<'a> {
    /// The group, or the table holding the row.
    pub group: &'a Block,
    pub row: Option<&'a Row>,
    /// The addressed attribute's value, or every attribute's in file order.
    pub values: Vec<FoundValue<'a>>,
}

/// One attribute's value.
#[derive(Debug)]
pub struct FoundValue<'a> {
    pub attribute: &'a Block,
    /// The value as written; `None` when the attribute has no VALUE.
    pub value: Option<&'a Value>,
    /// True when a table cell is empty and `value` is the template's default.
    pub from_template: bool,
    slot: Slot,
}

impl FoundValue<'_> {
    /// The value as one line of text: the decoded string, the number in
    /// decimal, `UNKNOWN`/`UNSUPPORTED`, or `* "path"`.
    pub fn text(&self) -> Option<String> {
        self.value.map(value_text)
    }

    /// The attribute's type as written in messages (`STRING(64)`).
    pub fn type_name(&self) -> Option<String> {
        self.attribute.data_type().map(validate::type_name)
    }

    /// Where the value is in the text (empty where an empty cell's value
    /// would go).
    pub fn span(&self) -> Option<Span> {
        match self.slot {
            Slot::Replace(span) => Some(span),
            Slot::Insert { at, .. } => Some(Span::new(at, at)),
            Slot::Missing => None,
        }
    }
}

/// Where a new value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// Over the current value's text.
    Replace(Span),
    /// Into an empty or missing table cell, after `commas` new commas.
    Insert { at: usize, commas: usize },
    /// Nowhere: the attribute has no VALUE statement.
    Missing,
}

/// Why a change was not made. The document is then unchanged.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EditError {
    #[error(transparent)]
    Address(#[from] AddressError),
    #[error("{0} names a whole group; add the attribute: {0}.ATTRIBUTE")]
    NeedsAttribute(String),
    #[error("{0} has no VALUE statement to change")]
    NoValue(String),
    #[error("the file has syntax errors; fix them first (see mif check)")]
    SyntaxErrors(Vec<Diagnostic>),
    /// The new values break their types; the diagnostics say how.
    #[error("the new value does not fit its attribute's type")]
    Invalid(Vec<Diagnostic>),
    #[error("{0} and {1} change the same value")]
    Conflict(String, String),
    #[error("the change would alter more than the value ({0})")]
    Reparse(String),
}

impl Document {
    /// The value(s) at `address`.
    pub fn get(&self, address: &Address) -> Result<Found<'_>, AddressError> {
        let resolved = self.resolve(address)?;
        let columns = columns(resolved.template);
        let values = resolved
            .attributes
            .iter()
            .map(|attribute| match resolved.row {
                None => FoundValue {
                    attribute,
                    value: attribute.value(),
                    from_template: false,
                    slot: attribute
                        .value()
                        .map_or(Slot::Missing, |v| Slot::Replace(v.span())),
                },
                Some(row) => {
                    let column = columns
                        .iter()
                        .position(|c| std::ptr::eq(*c, *attribute))
                        .unwrap_or(usize::MAX);
                    match row.cells.get(column) {
                        Some(Some(value)) => FoundValue {
                            attribute,
                            value: Some(value),
                            from_template: false,
                            slot: Slot::Replace(value.span()),
                        },
                        _ => FoundValue {
                            attribute,
                            value: attribute.value(),
                            from_template: true,
                            slot: self.cell_slot(row, column),
                        },
                    }
                }
            })
            .collect();
        Ok(Found {
            group: resolved.group,
            row: resolved.row,
            values,
        })
    }

    /// Set one value, refusing anything the type does not allow (warnings
    /// included). See [`Document::apply`].
    pub fn set_value(&mut self, address: &Address, value: NewValue) -> Result<(), EditError> {
        let edit = Edit {
            address: address.clone(),
            value,
        };
        self.apply(&[edit], false).map(|_| ())
    }

    /// Make several changes, all or none. Each new value is checked against
    /// its attribute's type; any error refuses the lot, and so does any
    /// warning unless `force`. Only the values' text changes; the result is
    /// re-parsed and refused unless it reads the same apart from the values.
    /// Returns the warnings that `force` let through. Diagnostics point into
    /// the text as it was before the call.
    pub fn apply(&mut self, edits: &[Edit], force: bool) -> Result<Vec<Diagnostic>, EditError> {
        if self.has_errors() {
            let errors = self.diagnostics.iter().filter(|d| d.is_error()).cloned();
            return Err(EditError::SyntaxErrors(errors.collect()));
        }
        let mut planned: Vec<(Slot, String, &Address)> = Vec::new();
        let mut diagnostics = Vec::new();
        for edit in edits {
            let found = self.get(&edit.address)?;
            let [value] = found.values.as_slice() else {
                return Err(EditError::NeedsAttribute(edit.address.to_string()));
            };
            if value.slot == Slot::Missing {
                return Err(EditError::NoValue(edit.address.to_string()));
            }
            if let Some((_, _, other)) = planned.iter().find(|(s, _, _)| at(*s) == at(value.slot)) {
                return Err(EditError::Conflict(
                    other.to_string(),
                    edit.address.to_string(),
                ));
            }
            let current = if value.from_template {
                None
            } else {
                value.value
            };
            let span = value.span().unwrap_or_default();
            let checked = validate::check(self, value.attribute, current, &edit.value, span);
            diagnostics.extend(checked.diagnostics);
            planned.push((value.slot, checked.literal, &edit.address));
        }
        let refused = diagnostics
            .iter()
            .any(|d| d.is_error() || (d.severity == Severity::Warning && !force));
        if refused {
            return Err(EditError::Invalid(diagnostics));
        }
        planned.sort_by_key(|(slot, _, _)| std::cmp::Reverse(at(*slot)));
        let mut text = self.text().to_string();
        for (slot, literal, _) in &planned {
            match *slot {
                Slot::Replace(span) => text.replace_range(span.range(), literal),
                Slot::Insert { at, commas } => {
                    text.insert_str(at, &format!("{}{literal}", ",".repeat(commas)));
                }
                Slot::Missing => {}
            }
        }
        let changed = Document::from_source(Source {
            text,
            decode_errors: Vec::new(),
            ..self.source.clone()
        });
        self.verify(&changed, &planned)?;
        *self = changed;
        Ok(diagnostics)
    }

    /// Refuse a re-parsed result that differs in more than the new values:
    /// each literal must be one token, the result must parse cleanly, and
    /// its outline may differ from the old one only in one line per value.
    fn verify(
        &self,
        changed: &Document,
        planned: &[(Slot, String, &Address)],
    ) -> Result<(), EditError> {
        if let Some(error) = changed.diagnostics.iter().find(|d| d.is_error()) {
            return Err(EditError::Reparse(format!(
                "it would not parse: {}",
                error.message
            )));
        }
        let before = self.dump();
        let after = changed.dump();
        let (before, after): (Vec<&str>, Vec<&str>) =
            (before.lines().collect(), after.lines().collect());
        let moved = before.iter().zip(&after).filter(|(a, b)| a != b).count();
        if before.len() != after.len() || moved > planned.len() {
            return Err(EditError::Reparse("the structure would change".into()));
        }
        for (_, literal, address) in planned {
            let tokens = crate::lexer::lex(literal);
            let single = matches!(
                tokens.as_slice(),
                [token] if matches!(token.kind, TokenKind::String | TokenKind::Integer | TokenKind::Word)
            );
            if !single {
                return Err(EditError::Reparse(format!(
                    "{address}: {literal} is not one literal"
                )));
            }
        }
        Ok(())
    }

    /// Where a value goes in an empty cell (before the comma or brace that
    /// ends it), or past the end of a short row.
    fn cell_slot(&self, row: &Row, column: usize) -> Slot {
        let starts_of = |kind: TokenKind| -> Vec<usize> {
            row.tokens
                .indices()
                .filter(|&i| self.tokens[i].kind == kind)
                .map(|i| self.tokens[i].span().start)
                .collect()
        };
        let Some(&close) = starts_of(TokenKind::RBrace).last() else {
            return Slot::Missing;
        };
        if column == usize::MAX {
            return Slot::Missing;
        }
        if column < row.cells.len() {
            let at = starts_of(TokenKind::Comma)
                .get(column)
                .copied()
                .unwrap_or(close);
            Slot::Insert { at, commas: 0 }
        } else {
            // `{}` has no cell yet; `{a}` has one and needs a comma per further cell.
            let commas = column - row.cells.len().saturating_sub(1);
            Slot::Insert { at: close, commas }
        }
    }
}

/// The text offset a slot changes, to order and compare edits.
fn at(slot: Slot) -> usize {
    match slot {
        Slot::Replace(span) => span.start,
        Slot::Insert { at, .. } => at,
        Slot::Missing => usize::MAX,
    }
}
