//! Values against their declared types: attribute `VALUE`s here, table
//! cells through [`ValueCheck::check`] from `tables`; and characters the
//! file's encoding cannot hold.

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::date;
use crate::model::definitions::Definitions;
use crate::model::types::{misfit, type_name, Misfit};
use crate::span::Span;
use crate::syntax::{Block, BlockKind, Document, StringLit, TypeExpr, Value};

/// Checks values against types in one component.
pub struct ValueCheck<'a> {
    pub doc: &'a Document,
    pub definitions: &'a Definitions<'a>,
    /// Error in DMI and inventory files, warning in status MIFs (except
    /// for strings longer than declared: always a warning, since real
    /// files, even Microsoft's, overrun `STRING(n)`).
    pub severity: Severity,
}

impl ValueCheck<'_> {
    pub fn check_attributes(&self, component: &Block, out: &mut Vec<Diagnostic>) {
        for group in component.blocks_of(BlockKind::Group) {
            for attribute in group.blocks_of(BlockKind::Attribute) {
                if let (Some(data_type), Some(value)) = (attribute.data_type(), attribute.value()) {
                    self.check(data_type, value, out);
                }
            }
        }
    }

    /// Report how `value` misfits `data_type`, if it does.
    pub fn check(&self, data_type: &TypeExpr, value: &Value, out: &mut Vec<Diagnostic>) {
        let encoding = self.doc.source.encoding;
        let Some(misfit) = misfit(data_type, value, encoding, self.definitions) else {
            return;
        };
        let type_span = data_type.span();
        let type_name = type_name(data_type);
        out.push(match misfit {
            Misfit::OutOfRange {
                value: number,
                min,
                max,
            } => Diagnostic::new(
                "mif::integer-out-of-range",
                self.severity,
                value.span(),
                format!("{number} does not fit in {type_name}"),
            )
            .with_label(format!("{type_name} holds {min} to {max}"))
            .with_related(type_span, "declared type")
            .with_help("use a value in range, or a wider type such as INTEGER64 or COUNTER64"),
            Misfit::TooLong {
                octets,
                chars,
                limit,
            } => Diagnostic::warning(
                "mif::value-too-long",
                value.span(),
                format!(
                    "value is {octets} octets ({chars} characters) but the type allows {limit}"
                ),
            )
            .with_label("longer than declared")
            .with_related(size_span(data_type).unwrap_or(type_span), "declared size")
            .with_help("shorten the value, or raise the size in TYPE = STRING(n)"),
            Misfit::NotADate(problem) => {
                let Value::String(text) = value else {
                    return;
                };
                invalid_date(text, &problem)
            }
            Misfit::NotAnItem => self.not_an_item(data_type, value),
            Misfit::TextForInteger => {
                self.mismatch(data_type, value, "text given for an integer type")
            }
            Misfit::NumberForText => {
                self.mismatch(data_type, value, "a number given for a text type")
            }
        });
    }

    fn not_an_item(&self, data_type: &TypeExpr, value: &Value) -> Diagnostic {
        let given = match value {
            Value::String(text) => format!("\"{}\"", text.value),
            Value::Integer(int) => self.doc.token_text(int.token).to_string(),
            _ => String::new(),
        };
        let mut diagnostic = Diagnostic::new(
            "mif::unknown-enum-value",
            self.severity,
            value.span(),
            format!("{given} is not an item of the enum"),
        )
        .with_label("not among the enum's items");
        let Some(index) = self.definitions.enum_of(data_type) else {
            return diagnostic;
        };
        diagnostic = diagnostic.with_related(index.definition.head_span, "the enum");
        let choices: Vec<String> = index
            .items
            .iter()
            .take(8)
            .filter_map(|e| {
                let text = e.text.as_ref()?;
                Some(format!(
                    "{} = \"{}\"",
                    self.doc.token_text(e.value.token),
                    text.value
                ))
            })
            .collect();
        let more = if index.items.len() > 8 { ", ..." } else { "" };
        if choices.is_empty() {
            diagnostic.with_help("the enum has no items; add the value to it")
        } else {
            diagnostic.with_help(format!(
                "use one of the item texts or numbers: {}{more}",
                choices.join(", ")
            ))
        }
    }

    fn mismatch(&self, data_type: &TypeExpr, value: &Value, message: &str) -> Diagnostic {
        let type_name = type_name(data_type);
        let help = match value {
            Value::String(s) if crate::syntax::decode_integer(s.value.trim()).is_ok() => {
                format!("write the number without quotes: {}", s.value.trim())
            }
            Value::String(s) => format!(
                "give a number, or declare a text type such as STRING({})",
                s.value.chars().count().max(1)
            ),
            _ => "put the value in double quotes, or declare an integer type".to_string(),
        };
        Diagnostic::new(
            "mif::value-type-mismatch",
            self.severity,
            value.span(),
            format!("{message} ({type_name})"),
        )
        .with_label("does not match the declared type")
        .with_related(data_type.span(), "declared type")
        .with_help(help)
    }
}

/// Where `STRING(n)`'s n is written.
fn size_span(data_type: &TypeExpr) -> Option<Span> {
    match data_type {
        TypeExpr::String { size, .. } => size.as_ref().map(|s| s.span),
        _ => None,
    }
}

fn invalid_date(value: &StringLit, problem: &str) -> Diagnostic {
    Diagnostic::warning(
        "mif::invalid-date",
        value.span,
        format!("\"{}\" is not a DMI date: {problem}", value.value),
    )
    .with_label(format!("expected {}", date::FORM))
    .with_help(
        "write 25 characters such as \"19940525133015.000000-300\" (offset in minutes), \
         `*` for each digit not known, or \"\" when there is no date",
    )
}

/// A character the file's encoding cannot hold: the text cannot be saved
/// as this file. Text read from a file never has one; an edited text can.
/// The first such character of each line is reported.
pub fn check_encodable(doc: &Document, out: &mut Vec<Diagnostic>) {
    let encoding = doc.source.encoding;
    if encoding != crate::source::Encoding::SingleByte || doc.text().is_ascii() {
        return;
    }
    let mut line_start = 0;
    for line in doc.text().split_inclusive('\n') {
        if let Some((at, c)) = line.char_indices().find(|&(_, c)| !encoding.holds(c)) {
            let at = line_start + at;
            out.push(
                Diagnostic::error(
                    "mif::unmappable-character",
                    Span::new(at, at + c.len_utf8()),
                    format!(
                        "{c:?} (U+{:04X}) cannot be written in this {encoding} file",
                        c as u32
                    ),
                )
                .with_label("no byte for this character")
                .with_help(
                    "use characters of the Windows-1252 code page, or save the file as UTF-16 \
                     with a byte-order mark",
                ),
            );
        }
        line_start += line.len();
    }
}
