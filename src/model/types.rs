//! Data types and how a value fits one (reference sections 2.9 and 2.10):
//! integer ranges, `STRING(n)` sizes in octets of the file's encoding,
//! the DMI date form, enums by item text or number.

use crate::source::Encoding;
use crate::syntax::{StringType, TypeExpr, Value};

use super::date::date_problem;
use super::definitions::Definitions;

/// Why a value does not fit its attribute's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misfit {
    /// An integer outside the type's range.
    OutOfRange {
        /// The value given.
        value: i128,
        /// The lowest value the type holds.
        min: i128,
        /// The highest value the type holds.
        max: i128,
    },
    /// Text longer than `STRING(n)`'s n octets in the file's encoding.
    TooLong {
        /// Octets the value takes in the file's encoding.
        octets: usize,
        /// Characters in the value.
        chars: usize,
        /// The declared size.
        limit: i128,
    },
    /// A `DATE` value that is not a DMI date; the reason in words.
    NotADate(String),
    /// A value that is none of the enum's items.
    NotAnItem,
    /// Quoted text where the type is an integer.
    TextForInteger,
    /// A number where the type is text or a date.
    NumberForText,
}

/// How `value` misfits `data_type` in a file of `encoding`, or `None`
/// when it fits. `* "path"`, `UNKNOWN` and `UNSUPPORTED` fit every type;
/// an enum that is not defined, and an integer whose spelling is invalid
/// (a syntax error already), are not judged here.
pub fn misfit(
    data_type: &TypeExpr,
    value: &Value,
    encoding: Encoding,
    definitions: &Definitions,
) -> Option<Misfit> {
    match (data_type, value) {
        (_, Value::Path { .. } | Value::Unknown(_) | Value::Unsupported(_)) => None,
        (TypeExpr::Integer { kind, .. }, Value::Integer(int)) => {
            let value = int.value()?;
            let (min, max) = kind.range();
            (!(min..=max).contains(&value)).then_some(Misfit::OutOfRange { value, min, max })
        }
        (TypeExpr::String { .. }, Value::String(text)) => {
            let limit = declared_size(data_type)?;
            let octets = octets(&text.value, encoding);
            (octets as i128 > limit).then(|| Misfit::TooLong {
                octets,
                chars: text.value.chars().count(),
                limit,
            })
        }
        (TypeExpr::Date { .. }, Value::String(text)) => {
            date_problem(&text.value).map(Misfit::NotADate)
        }
        (TypeExpr::EnumRef(_) | TypeExpr::Enum(_), value) => {
            let index = definitions.enum_of(data_type)?;
            let found = match value {
                Value::String(text) => index.has_text(&text.value),
                Value::Integer(int) => int.value().is_none_or(|v| index.has_number(v)),
                _ => true,
            };
            (!found).then_some(Misfit::NotAnItem)
        }
        (TypeExpr::Integer { .. }, Value::String(_)) => Some(Misfit::TextForInteger),
        (TypeExpr::String { .. } | TypeExpr::Date { .. }, Value::Integer(_)) => {
            Some(Misfit::NumberForText)
        }
    }
}

/// Octets `text` takes in `encoding`: what `STRING(n)` counts.
pub fn octets(text: &str, encoding: Encoding) -> usize {
    if encoding == Encoding::SingleByte {
        return text.chars().count();
    }
    text.chars().map(|c| encoding.octets(c)).sum()
}

/// The n of `STRING(n)` (and `DISPLAYSTRING`, `OCTETSTRING`), when given
/// and valid.
pub fn declared_size(data_type: &TypeExpr) -> Option<i128> {
    match data_type {
        TypeExpr::String { size, .. } => size.as_ref()?.value(),
        _ => None,
    }
}

/// A type as people write it: `STRING(64)`, `COUNTER`, `ENUM "Verify"`.
pub fn type_name(data_type: &TypeExpr) -> String {
    match data_type {
        TypeExpr::Integer { kind, .. } => format!("{kind:?}").to_uppercase(),
        TypeExpr::Date { .. } => "DATE".into(),
        TypeExpr::String { kind, size, .. } => {
            let keyword = match kind {
                StringType::String => "STRING",
                StringType::DisplayString => "DISPLAYSTRING",
                StringType::OctetString => "OCTETSTRING",
            };
            let size = size
                .as_ref()
                .and_then(|s| s.value())
                .map_or_else(|| "?".into(), |v| v.to_string());
            format!("{keyword}({size})")
        }
        TypeExpr::EnumRef(name) => format!("ENUM {:?}", name.value),
        TypeExpr::Enum(_) => "ENUM".into(),
    }
}

/// `text` cut to at most `limit` octets in `encoding`, on a character
/// boundary.
pub fn cut_to_octets(text: &str, limit: usize, encoding: Encoding) -> &str {
    let mut used = 0;
    for (at, c) in text.char_indices() {
        used += encoding.octets(c);
        if used > limit {
            return &text[..at];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octets_follow_the_encoding() {
        assert_eq!(octets("été", Encoding::SingleByte), 3);
        assert_eq!(octets("été", Encoding::Utf8), 5);
        assert_eq!(octets("été", Encoding::Utf16Be), 6);
        assert_eq!(octets("😀", Encoding::Utf16Le), 4);
    }

    #[test]
    fn cuts_fall_on_characters() {
        assert_eq!(cut_to_octets("abcdef", 4, Encoding::SingleByte), "abcd");
        assert_eq!(cut_to_octets("ééé", 3, Encoding::Utf8), "é");
        assert_eq!(cut_to_octets("ab", 9, Encoding::Utf16Be), "ab");
        assert_eq!(cut_to_octets("a😀", 4, Encoding::Utf16Be), "a");
    }
}
