//! Query and change single values in place, keeping every other byte.
//!
//! Administrators change one value at a time from scripts (a new asset
//! tag, a status flipped to Failed); regenerating the file or running
//! `sed` over it loses comments and layout or breaks the syntax. Here a
//! change replaces only the value's own text, and the changed file is
//! judged by the one check ([`crate::check`](crate::check())) before it
//! replaces the old one: a value that breaks its type, or anything else
//! the check finds wrong with it, is refused, exactly as `mif check`
//! would report it in the changed file.
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
//! // Judged as `mif check` judges the file: "fail" is no status.
//! assert!(doc.set_value(&status, NewValue::Text("fail".into())).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod address;
mod literal;

pub use address::{Address, AddressError, Selector};

use crate::check::{check, judge, Change, CheckOptions};
use crate::diagnostics::Diagnostic;
use crate::lexer::TokenKind;
use crate::model::definitions::Definitions;
use crate::model::types::type_name;
use crate::source::Source;
use crate::span::Span;
use crate::syntax::{Block, Document, Row, Value};

use address::value_text;
pub(crate) use literal::truncated;
use literal::Writing;

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
    /// Where the value is.
    pub address: Address,
    /// What to write there.
    pub value: NewValue,
}

/// How [`Document::apply`] writes and judges.
#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    /// Write values that only break warning-level rules.
    pub force: bool,
    /// Cut text to what its attribute may hold (its `STRING(n)` size, and
    /// in a status MIF ISMIF32's limit for the field) instead of refusing.
    pub truncate: bool,
    /// How the file is checked: its path and profile.
    pub check: CheckOptions,
}

/// What [`Document::apply`] did besides the changes.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// Warnings the changed file has that the old one did not (about the
    /// new values only when forced); their spans point into the new text.
    pub warnings: Vec<EditFinding>,
    /// Values cut to fit: the address, characters before and after.
    pub truncated: Vec<(Address, usize, usize)>,
}

/// A finding of the check on the changed file, with the change it is
/// about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditFinding {
    /// The address of the value it is about; `None` for one elsewhere.
    pub address: Option<Address>,
    /// The finding; its spans point into the changed text.
    pub diagnostic: Diagnostic,
}

/// What an address found: the group (or table and row) and its values.
#[derive(Debug)]
pub struct Found<'a> {
    /// The group, or the table holding the row.
    pub group: &'a Block,
    /// The row, for a table.
    pub row: Option<&'a Row>,
    /// The addressed attribute's value, or every attribute's in file order.
    pub values: Vec<FoundValue<'a>>,
}

/// One attribute's value.
#[derive(Debug)]
pub struct FoundValue<'a> {
    /// The attribute (of the template, for a table row).
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
        self.attribute.data_type().map(type_name)
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
    /// The address does not name a value of the document.
    #[error(transparent)]
    Address(#[from] AddressError),
    /// The address names a group or row, not one attribute.
    #[error("{0} names a whole group; add the attribute: {0}.ATTRIBUTE")]
    NeedsAttribute(String),
    /// The attribute has no `VALUE` to replace.
    #[error("{0} has no VALUE statement to change")]
    NoValue(String),
    /// The file does not parse; its syntax errors.
    #[error("the file has syntax errors; fix them first")]
    SyntaxErrors(Vec<Diagnostic>),
    /// The check refuses the changed file: the findings say why, and
    /// point into `text`, the file as it would have been.
    #[error("{}", refusal_summary(.findings))]
    Refused {
        /// The changed text the findings point into.
        text: String,
        /// What refuses it.
        findings: Vec<EditFinding>,
    },
    /// Two edits change the same value.
    #[error("{0} and {1} change the same value")]
    Conflict(String, String),
    /// The changed text would read as more than new values.
    #[error("the change would alter more than the value ({0})")]
    Reparse(String),
}

fn refusal_summary(findings: &[EditFinding]) -> String {
    let errors = findings.iter().filter(|f| f.diagnostic.is_error()).count();
    if errors == 0 {
        "the check warns about the new value".to_string()
    } else {
        "the check refuses the changed file".to_string()
    }
}

impl Document {
    /// The value(s) at `address`.
    pub fn get(&self, address: &Address) -> Result<Found<'_>, AddressError> {
        let resolved = self.resolve(address)?;
        let columns = &resolved.columns;
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

    /// Set one value, refusing anything the check finds wrong with it
    /// (warnings included). See [`Document::apply`].
    pub fn set_value(&mut self, address: &Address, value: NewValue) -> Result<(), EditError> {
        let edit = Edit {
            address: address.clone(),
            value,
        };
        self.apply(&[edit], &ApplyOptions::default()).map(|_| ())
    }

    /// Make several changes, all or none. Only the values' text changes;
    /// the result is re-parsed and refused unless it reads the same apart
    /// from the values. Then the one check judges the changed file against
    /// the old one ([`crate::check::judge`]): an error about a new value,
    /// or a new error anywhere, refuses the lot, and so does a warning
    /// about a new value unless `options.force`.
    pub fn apply(&mut self, edits: &[Edit], options: &ApplyOptions) -> Result<Applied, EditError> {
        if self.has_errors() {
            let errors = self.diagnostics.iter().filter(|d| d.is_error()).cloned();
            return Err(EditError::SyntaxErrors(errors.collect()));
        }
        let check_options = CheckOptions {
            profile: Some(options.check.profile_of(self)),
            file_size: None,
            ..options.check.clone()
        };
        let definitions = self.component().map(Definitions::collect);
        let mut planned: Vec<Planned> = Vec::new();
        let mut truncated = Vec::new();
        for edit in edits {
            let found = self.get(&edit.address)?;
            let [value] = found.values.as_slice() else {
                return Err(EditError::NeedsAttribute(edit.address.to_string()));
            };
            if value.slot == Slot::Missing {
                return Err(EditError::NoValue(edit.address.to_string()));
            }
            if let Some(other) = planned.iter().find(|p| at(p.slot) == at(value.slot)) {
                return Err(EditError::Conflict(
                    other.address.to_string(),
                    edit.address.to_string(),
                ));
            }
            let current = if value.from_template {
                None
            } else {
                value.value
            };
            let Some(definitions) = &definitions else {
                return Err(AddressError::NoComponent.into());
            };
            let writing = Writing {
                doc: self,
                definitions,
                profile: check_options.profile.unwrap_or(crate::model::Profile::Dmi),
                truncate: options.truncate,
            };
            let literal = writing.literal(value.attribute, current, &edit.value);
            if let Some((before, after)) = literal.cut {
                truncated.push((edit.address.clone(), before, after));
            }
            planned.push(Planned {
                slot: value.slot,
                literal: literal.text,
                address: &edit.address,
            });
        }
        let (text, changes) = self.with_literals(&planned);
        let changed = Document::from_source(Source {
            text,
            decode_errors: Vec::new(),
            ..self.source.clone()
        });
        self.verify(&changed, &planned)?;
        let before = check(self, &check_options);
        let after = check(&changed, &check_options);
        let judgement = judge(&before, &after, &changes, options.force);
        let finding = |f: crate::check::Finding| EditFinding {
            address: f.change.map(|i| planned[i].address.clone()),
            diagnostic: f.diagnostic,
        };
        if !judgement.allows() {
            return Err(EditError::Refused {
                text: changed.source.text,
                findings: judgement.refusals.into_iter().map(finding).collect(),
            });
        }
        let warnings = judgement.warnings.into_iter().map(finding).collect();
        *self = changed;
        Ok(Applied {
            warnings,
            truncated,
        })
    }

    /// The text with every planned literal in place, and where each went
    /// ([`Change`]s in the order of `planned`).
    fn with_literals(&self, planned: &[Planned]) -> (String, Vec<Change>) {
        let mut order: Vec<usize> = (0..planned.len()).collect();
        order.sort_by_key(|&i| at(planned[i].slot));
        let mut changes = vec![
            Change {
                before: Span::default(),
                after: Span::default(),
            };
            planned.len()
        ];
        let mut text = String::with_capacity(self.text().len() + 64);
        let mut copied = 0;
        for i in order {
            let Planned { slot, literal, .. } = &planned[i];
            let (replaced, insert) = match *slot {
                Slot::Replace(span) => (span, literal.clone()),
                Slot::Insert { at, commas } => (
                    Span::new(at, at),
                    format!("{}{literal}", ",".repeat(commas)),
                ),
                Slot::Missing => continue,
            };
            text.push_str(&self.text()[copied..replaced.start]);
            let start = text.len() + insert.len() - literal.len();
            text.push_str(&insert);
            changes[i] = Change {
                before: replaced,
                after: Span::new(start, start + literal.len()),
            };
            copied = replaced.end;
        }
        text.push_str(&self.text()[copied..]);
        (text, changes)
    }

    /// Refuse a re-parsed result that differs in more than the new values:
    /// each literal must be one token, and, when the result parses, its
    /// outline may differ from the old one only in one line per value. (A
    /// literal the parser rejects, such as an integer too large for any
    /// type, is left to the check, which says why at its place.)
    fn verify(&self, changed: &Document, planned: &[Planned]) -> Result<(), EditError> {
        for Planned {
            literal, address, ..
        } in planned
        {
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
        if changed.has_errors() {
            return Ok(());
        }
        let before = self.dump();
        let after = changed.dump();
        let (before, after): (Vec<&str>, Vec<&str>) =
            (before.lines().collect(), after.lines().collect());
        let moved = before.iter().zip(&after).filter(|(a, b)| a != b).count();
        if before.len() != after.len() || moved > planned.len() {
            return Err(EditError::Reparse("the structure would change".into()));
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

/// A value to write: where, the literal, and the address it came from.
struct Planned<'e> {
    slot: Slot,
    literal: String,
    address: &'e Address,
}

/// The text offset a slot changes, to order and compare edits.
fn at(slot: Slot) -> usize {
    match slot {
        Slot::Replace(span) => span.start,
        Slot::Insert { at, .. } => at,
        Slot::Missing => usize::MAX,
    }
}
