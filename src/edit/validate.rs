//! A new value against its attribute's type: the literal to write, and
//! the diagnostics (named like `mif check`'s) it would cause.

use crate::diagnostics::Diagnostic;
use crate::lexer::Keyword;
use crate::source::{cp1252_byte, Encoding};
use crate::span::Span;
use crate::syntax::{
    encode_string_for, Block, BlockKind, Document, Item, StringType, TypeExpr, Value,
};

use super::address::label;
use super::NewValue;

/// The literal for a new value and what is wrong with it.
pub(crate) struct Checked {
    /// The text to put in the file, e.g. `"Failed"` or `42`.
    pub literal: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Check `new` against `attribute`'s type. `at` is where the value is
/// (or goes) in the file, for the diagnostics.
pub(crate) fn check(
    doc: &Document,
    attribute: &Block,
    current: Option<&Value>,
    new: &NewValue,
    at: Span,
) -> Checked {
    let mut checker = Checker {
        doc,
        attribute,
        at,
        diagnostics: Vec::new(),
    };
    let literal = match new {
        NewValue::Unknown => Keyword::Unknown.as_str().to_string(),
        NewValue::Unsupported => Keyword::Unsupported.as_str().to_string(),
        NewValue::Text(text) => checker.text(text, current),
    };
    Checked {
        literal,
        diagnostics: checker.diagnostics,
    }
}

struct Checker<'a> {
    doc: &'a Document,
    attribute: &'a Block,
    at: Span,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn text(&mut self, text: &str, current: Option<&Value>) -> String {
        match self.attribute.data_type() {
            Some(TypeExpr::Integer { kind, span }) => {
                let (min, max) = kind.range();
                self.integer(text, min, max, *span)
            }
            Some(TypeExpr::String { size, span, kind }) => {
                let limit = size.as_ref().and_then(|s| s.value());
                self.string(text, limit, *kind, *span)
            }
            Some(TypeExpr::Date { .. }) => {
                self.date(text);
                self.string_literal(text)
            }
            Some(TypeExpr::Enum(block)) => self.enumerated(text, block, current),
            Some(TypeExpr::EnumRef(name)) => match self.named_enum(&name.value) {
                Some(block) => self.enumerated(text, block, current),
                None => self.untyped(text, current),
            },
            None => self.untyped(text, current),
        }
    }

    /// Without a known type, keep the kind of the current value.
    fn untyped(&mut self, text: &str, current: Option<&Value>) -> String {
        match (current, crate::syntax::decode_integer(text.trim())) {
            (Some(Value::Integer(_)), Ok(value)) => value.to_string(),
            _ => self.string_literal(text),
        }
    }

    fn integer(&mut self, text: &str, min: i128, max: i128, type_span: Span) -> String {
        let type_name = self.type_name();
        match crate::syntax::decode_integer(text.trim()) {
            Ok(value) if (min..=max).contains(&value) => value.to_string(),
            Ok(value) => {
                self.push(
                    Diagnostic::error(
                        "mif::integer-out-of-range",
                        self.at,
                        format!("{value} is out of range for {type_name} ({min} to {max})"),
                    )
                    .with_label(format!("{} cannot hold {value}", self.name()))
                    .with_related(type_span, "declared type")
                    .with_help(format!("give a number from {min} to {max}")),
                );
                value.to_string()
            }
            Err(why) => {
                self.push(
                    Diagnostic::error(
                        "mif::value-type-mismatch",
                        self.at,
                        format!(
                            "`{text}` is not an integer, and {} is {type_name}",
                            self.name()
                        ),
                    )
                    .with_label(why)
                    .with_related(type_span, "declared type")
                    .with_help("give a number: decimal, 0x hexadecimal or 0 octal"),
                );
                self.string_literal(text)
            }
        }
    }

    fn string(
        &mut self,
        text: &str,
        limit: Option<i128>,
        kind: StringType,
        type_span: Span,
    ) -> String {
        let literal = self.string_literal(text);
        let Some(limit) = limit else {
            return literal;
        };
        let encoding = self.doc.source.encoding;
        let octets: usize = text.chars().map(|c| encoding.octets(c)).sum();
        if octets as i128 > limit {
            let chars = text.chars().count();
            let keyword = match kind {
                StringType::String => "STRING",
                StringType::DisplayString => "DISPLAYSTRING",
                StringType::OctetString => "OCTETSTRING",
            };
            self.push(
                Diagnostic::warning(
                    "mif::value-too-long",
                    self.at,
                    format!(
                        "new value is {octets} octets ({chars} characters) but the type allows {limit}"
                    ),
                )
                .with_label(format!("{} is {keyword}({limit})", self.name()))
                .with_related(type_span, "declared size")
                .with_help("shorten the value, or raise the size in TYPE = STRING(n); --force writes it anyway"),
            );
        }
        literal
    }

    fn date(&mut self, text: &str) {
        if !is_dmi_date(text) {
            self.push(
                Diagnostic::warning(
                    "mif::invalid-date",
                    self.at,
                    format!("`{text}` is not a DMI date"),
                )
                .with_label(format!("{} is DATE", self.name()))
                .with_help(
                    "write yyyymmddHHMMSS.uuuuuu+ooo (UTC offset in minutes), e.g. \
                     19940525133015.000000-300; unknown fields as `*`; --force writes it anyway",
                ),
            );
        }
    }

    /// An enum value by item text (any case) or by number, written in the
    /// form the current value has (number or text), else as given.
    fn enumerated(&mut self, text: &str, block: &Block, current: Option<&Value>) -> String {
        let items: Vec<(i128, &str)> = block
            .items
            .iter()
            .filter_map(|item| match item {
                Item::EnumItem(e) => Some((e.value.value()?, e.text.as_ref()?.value.as_str())),
                _ => None,
            })
            .collect();
        let by_number = crate::syntax::decode_integer(text.trim())
            .ok()
            .and_then(|number| items.iter().find(|(v, _)| *v == number));
        let by_text = || {
            items
                .iter()
                .find(|(_, t)| *t == text)
                .or_else(|| items.iter().find(|(_, t)| t.eq_ignore_ascii_case(text)))
        };
        let as_number = match current {
            Some(Value::Integer(_)) => true,
            Some(Value::String(_)) => false,
            _ => by_number.is_some(),
        };
        if let Some((number, spelling)) = by_number.or_else(by_text) {
            return if as_number {
                number.to_string()
            } else {
                self.string_literal(spelling)
            };
        }
        let choices: Vec<String> = items.iter().map(|(v, t)| format!("{v} = {t:?}")).collect();
        self.push(
            Diagnostic::error(
                "mif::unknown-enum-value",
                self.at,
                format!("`{text}` is not an item of the enum of {}", self.name()),
            )
            .with_label("not in the enum")
            .with_related(block.span, "the enum")
            .with_help(format!(
                "use an item's text or number: {}",
                choices.join(", ")
            )),
        );
        self.string_literal(text)
    }

    fn named_enum(&self, name: &str) -> Option<&'a Block> {
        self.doc
            .component()?
            .blocks_of(BlockKind::Enum)
            .find(|e| e.name().is_some_and(|n| n.eq_ignore_ascii_case(name)))
    }

    /// A quoted literal, after checking the file's encoding can hold it.
    fn string_literal(&mut self, text: &str) -> String {
        if self.doc.source.encoding == Encoding::SingleByte {
            if let Some(c) = text.chars().find(|c| cp1252_byte(*c).is_none()) {
                self.push(
                    Diagnostic::error(
                        "mif::unmappable-character",
                        self.at,
                        format!(
                            "{c:?} (U+{:04X}) cannot be written in this Windows-1252 file",
                            c as u32
                        ),
                    )
                    .with_label("the new value goes here")
                    .with_help("use characters of the Windows-1252 code page, or convert the file to UTF-16"),
                );
            }
        }
        encode_string_for(text, self.doc.source.encoding.is_wide())
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn name(&self) -> String {
        format!("attribute {}", label(self.attribute))
    }

    fn type_name(&self) -> String {
        self.attribute
            .data_type()
            .map_or_else(|| "untyped".into(), type_name)
    }
}

/// A type as people write it: `STRING(64)`, `COUNTER`, `ENUM "Verify_Type"`.
pub(crate) fn type_name(data_type: &TypeExpr) -> String {
    match data_type {
        TypeExpr::Integer { kind, .. } => format!("{kind:?}").to_uppercase(),
        TypeExpr::Date { .. } => "DATE".into(),
        TypeExpr::String { kind, size, .. } => format!(
            "{}({})",
            format!("{kind:?}").to_uppercase(),
            size.as_ref()
                .and_then(|s| s.value())
                .map_or_else(|| "?".into(), |v| v.to_string())
        ),
        TypeExpr::EnumRef(name) => format!("ENUM {:?}", name.value),
        TypeExpr::Enum(_) => "ENUM".into(),
    }
}

/// `yyyymmddHHMMSS.uuuuuu+ooo`, each field digits in range or all `*`.
fn is_dmi_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 25 || bytes[14] != b'.' || !matches!(bytes[21], b'+' | b'-') {
        return false;
    }
    const FIELDS: [(usize, usize, u32, u32); 8] = [
        (0, 4, 0, 9999),
        (4, 2, 1, 12),
        (6, 2, 1, 31),
        (8, 2, 0, 23),
        (10, 2, 0, 59),
        (12, 2, 0, 60),
        (15, 6, 0, 999_999),
        (22, 3, 0, 720),
    ];
    FIELDS.iter().all(|&(start, len, min, max)| {
        let field = &bytes[start..start + len];
        field.iter().all(|&b| b == b'*')
            || (field.iter().all(u8::is_ascii_digit)
                && (min..=max)
                    .contains(&field.iter().fold(0, |n, &b| n * 10 + u32::from(b - b'0'))))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dmi_dates() {
        assert!(is_dmi_date("19940525133015.000000-300"));
        assert!(is_dmi_date("19940525******.******+***"));
        assert!(!is_dmi_date("1994052513301é.000000-300"));
        assert!(!is_dmi_date("DateTime"));
        assert!(!is_dmi_date("19941325133015.000000-300"));
        assert!(!is_dmi_date("19940525133015.000000-800"));
        assert!(!is_dmi_date("19940525133015,000000-300"));
    }
}
