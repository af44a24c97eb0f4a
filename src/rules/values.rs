//! Values against their declared types: attribute `VALUE`s here, table
//! cells through [`ValueCheck::check`] from `tables`.

use crate::diagnostics::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::{Block, BlockKind, Document, IntLit, IntType, StringLit, TypeExpr, Value};

use super::definitions::{Definitions, EnumIndex};

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

    /// Whether `value` fits `data_type`; `*` paths, UNKNOWN and UNSUPPORTED
    /// fit every type.
    pub fn check(&self, data_type: &TypeExpr, value: &Value, out: &mut Vec<Diagnostic>) {
        match (data_type, value) {
            (_, Value::Path { .. } | Value::Unknown(_) | Value::Unsupported(_)) => {}
            (TypeExpr::Integer { kind, span }, Value::Integer(int)) => {
                self.check_range(*kind, *span, int, out);
            }
            (TypeExpr::String { size, .. }, Value::String(string)) => {
                if let Some(size) = size {
                    self.check_length(size, string, out);
                }
            }
            (TypeExpr::Date { .. }, Value::String(string)) => self.check_date(string, out),
            (TypeExpr::EnumRef(name), value) => {
                if let Some(definition) = self.definitions.enum_named(&name.value) {
                    self.check_enum(definition, value, out);
                }
            }
            (TypeExpr::Enum(definition), value) => self.check_enum(definition, value, out),
            (TypeExpr::Integer { span, .. }, Value::String(_)) => {
                self.mismatch(value, *span, "text given for an integer type", out);
            }
            (TypeExpr::String { span, .. } | TypeExpr::Date { span }, Value::Integer(_)) => {
                self.mismatch(value, *span, "a number given for a text type", out);
            }
        }
    }

    fn type_text(&self, span: Span) -> &str {
        self.doc.text().get(span.range()).unwrap_or("the type")
    }

    fn check_range(&self, kind: IntType, type_span: Span, int: &IntLit, out: &mut Vec<Diagnostic>) {
        let Some(value) = int.value() else {
            return;
        };
        let (min, max) = kind.range();
        if !(min..=max).contains(&value) {
            let type_name = self.type_text(type_span).to_uppercase();
            out.push(
                Diagnostic::new(
                    "mif::integer-out-of-range",
                    self.severity,
                    int.span,
                    format!("{value} does not fit in {type_name}"),
                )
                .with_label(format!("{type_name} holds {min} to {max}"))
                .with_related(type_span, "declared type")
                .with_help("use a value in range, or a wider type such as INTEGER64 or COUNTER64"),
            );
        }
    }

    fn check_length(&self, size: &IntLit, value: &StringLit, out: &mut Vec<Diagnostic>) {
        let Some(limit) = size.value() else {
            return;
        };
        let encoding = self.doc.source.encoding;
        let octets: usize = value.value.chars().map(|c| encoding.octets(c)).sum();
        if octets as i128 > limit {
            let chars = value.value.chars().count();
            out.push(
                Diagnostic::warning(
                    "mif::value-too-long",
                    value.span,
                    format!(
                        "value is {octets} octets ({chars} characters) but the type allows {limit}"
                    ),
                )
                .with_label("longer than declared")
                .with_related(size.span, "declared size")
                .with_help("shorten the value, or raise the size in TYPE = STRING(n)"),
            );
        }
    }

    fn check_date(&self, value: &StringLit, out: &mut Vec<Diagnostic>) {
        if let Some(problem) = date_problem(&value.value) {
            out.push(
                Diagnostic::warning(
                    "mif::invalid-date",
                    value.span,
                    format!("\"{}\" is not a DMI date: {problem}", value.value),
                )
                .with_label("expected yyyymmddHHMMSS.uuuuuu+ooo")
                .with_help(
                    "write 25 characters such as \"19940525133015.000000-300\" (offset in minutes), \
                     `*` for each digit not known, or \"\" when there is no date",
                ),
            );
        }
    }

    fn check_enum(&self, definition: &Block, value: &Value, out: &mut Vec<Diagnostic>) {
        // Named enums are indexed once per component; an inline one here.
        let own;
        let index = match definition
            .name()
            .and_then(|n| self.definitions.enum_index(n))
        {
            Some(index) if std::ptr::eq(index.definition, definition) => index,
            _ => {
                own = EnumIndex::new(definition);
                &own
            }
        };
        let items = &index.items;
        let (found, given) = match value {
            Value::String(text) => (
                index.texts.contains(text.value.as_str()),
                format!("\"{}\"", text.value),
            ),
            Value::Integer(int) => (
                int.value().is_none_or(|v| index.values.contains(&v)),
                self.doc.token_text(int.token).to_string(),
            ),
            _ => return,
        };
        if found {
            return;
        }
        let choices: Vec<String> = items
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
        let more = if items.len() > 8 { ", ..." } else { "" };
        let mut diagnostic = Diagnostic::new(
            "mif::unknown-enum-value",
            self.severity,
            value.span(),
            format!("{given} is not an item of the enum"),
        )
        .with_label("not among the enum's items")
        .with_related(definition.head_span, "the enum");
        diagnostic = if choices.is_empty() {
            diagnostic.with_help("the enum has no items; add the value to it")
        } else {
            diagnostic.with_help(format!(
                "use one of the item texts or numbers: {}{more}",
                choices.join(", ")
            ))
        };
        out.push(diagnostic);
    }

    fn mismatch(&self, value: &Value, type_span: Span, message: &str, out: &mut Vec<Diagnostic>) {
        let type_name = self.type_text(type_span).to_uppercase();
        let help = match value {
            Value::String(s) if mif_integer(&s.value) => {
                format!("write the number without quotes: {}", s.value.trim())
            }
            Value::String(s) => format!(
                "give a number, or declare a text type such as STRING({})",
                s.value.chars().count().max(1)
            ),
            _ => "put the value in double quotes, or declare an integer type".to_string(),
        };
        out.push(
            Diagnostic::new(
                "mif::value-type-mismatch",
                self.severity,
                value.span(),
                format!("{message} ({type_name})"),
            )
            .with_label("does not match the declared type")
            .with_related(type_span, "declared type")
            .with_help(help),
        );
    }
}

/// Whether quoted text is an integer constant that lost its way into quotes.
fn mif_integer(text: &str) -> bool {
    crate::syntax::decode_integer(text.trim()).is_ok()
}

/// What is wrong with a DMI date string (`yyyymmddHHMMSS.uuuuuu+ooo`, `*`
/// for unknown fields, empty for none), or `None` when it is fine.
fn date_problem(text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != 25 {
        return Some(format!("{} characters instead of 25", chars.len()));
    }
    if chars[14] != '.' {
        return Some("character 15 must be `.`".into());
    }
    if !matches!(chars[21], '+' | '-' | '*') {
        return Some("character 22 must be `+` or `-` (the UTC offset's sign)".into());
    }
    // (name, first index, length, highest value)
    const FIELDS: [(&str, usize, usize, u32); 8] = [
        ("year", 0, 4, 9999),
        ("month", 4, 2, 12),
        ("day", 6, 2, 31),
        ("hour", 8, 2, 23),
        ("minutes", 10, 2, 59),
        ("seconds", 12, 2, 60),
        ("microseconds", 15, 6, 999_999),
        ("offset minutes", 22, 3, 720),
    ];
    for (name, start, len, max) in FIELDS {
        let field = &chars[start..start + len];
        if field.iter().all(|&c| c == '*') {
            continue;
        }
        if !field.iter().all(char::is_ascii_digit) {
            return Some(format!(
                "the {name} must be digits, or all `*` when unknown"
            ));
        }
        let value: u32 = field.iter().collect::<String>().parse().unwrap_or(u32::MAX);
        let min = u32::from(matches!(name, "month" | "day"));
        if !(min..=max).contains(&value) {
            return Some(format!("the {name} {value} is out of range"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::date_problem;

    #[test]
    fn dates() {
        assert_eq!(date_problem(""), None);
        assert_eq!(date_problem("19940525133015.000000-300"), None);
        assert_eq!(date_problem("1994052513****.******+***"), None);
        assert!(date_problem("19941325133015.000000-300").is_some());
        assert!(date_problem("07/01/98 10:30:30").is_some());
        assert!(date_problem("19940525133015.000000-721").is_some());
        assert!(date_problem("1994052513301x.000000-300").is_some());
    }
}
