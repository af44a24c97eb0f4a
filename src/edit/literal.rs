//! A new value as the literal to write: read by the attribute's type, in
//! the form the file already uses. Whether the value is right for the
//! attribute is not judged here: the one check judges the changed file.

use crate::lexer::Keyword;
use crate::model::definitions::Definitions;
use crate::model::status;
use crate::model::types::{cut_to_octets, declared_size};
use crate::model::Profile;
use crate::syntax::{decode_integer, encode_string_for, Block, Document, TypeExpr, Value};

use super::NewValue;

/// How a value is put into the file.
pub(crate) struct Writing<'a> {
    pub doc: &'a Document,
    pub definitions: &'a Definitions<'a>,
    pub profile: Profile,
    /// Cut text to what the attribute may hold.
    pub truncate: bool,
}

/// The literal for a value, and by how much its text was cut (characters
/// before and after).
pub(crate) struct Literal {
    pub text: String,
    pub cut: Option<(usize, usize)>,
}

impl Writing<'_> {
    /// The literal for `new` in `attribute`, whose value is `current`.
    pub fn literal(&self, attribute: &Block, current: Option<&Value>, new: &NewValue) -> Literal {
        let text = match new {
            NewValue::Unknown => Keyword::Unknown.as_str(),
            NewValue::Unsupported => Keyword::Unsupported.as_str(),
            NewValue::Text(text) => return self.text(attribute, current, text),
        };
        Literal {
            text: text.to_string(),
            cut: None,
        }
    }

    fn text(&self, attribute: &Block, current: Option<&Value>, text: &str) -> Literal {
        let data_type = attribute.data_type();
        let enum_items = data_type.and_then(|t| self.definitions.enum_of(t));
        let literal = match (data_type, enum_items) {
            (_, Some(items)) => {
                let as_number = |found_by_number: bool| match current {
                    Some(Value::Integer(_)) => true,
                    Some(Value::String(_)) => false,
                    _ => found_by_number,
                };
                match items.find(text) {
                    Some((number, spelling)) => {
                        let by_number = decode_integer(text.trim()).ok() == Some(number);
                        if as_number(by_number) {
                            number.to_string()
                        } else {
                            self.string(spelling)
                        }
                    }
                    None => self.number_or_string(text),
                }
            }
            (Some(TypeExpr::Integer { .. }), None) => self.number_or_string(text),
            (Some(TypeExpr::String { .. } | TypeExpr::Date { .. }), None) => {
                return self.cut_string(attribute, text);
            }
            (_, None) => match (current, decode_integer(text.trim())) {
                (Some(Value::Integer(_)), Ok(value)) => value.to_string(),
                _ => self.string(text),
            },
        };
        Literal {
            text: literal,
            cut: None,
        }
    }

    /// A number in decimal when the text is one; the text as written when
    /// it is all digits but no integer can hold it (too large), so the
    /// check says why; else a string, which the check reports as text
    /// given for a number.
    fn number_or_string(&self, text: &str) -> String {
        match decode_integer(text.trim()) {
            Ok(value) => value.to_string(),
            Err(_) if is_digits(text.trim()) => text.trim().to_string(),
            Err(_) => self.string(text),
        }
    }

    /// A string literal, cut to the attribute's size (and, in a status
    /// MIF, to ISMIF32's limit for the field) when truncating.
    fn cut_string(&self, attribute: &Block, text: &str) -> Literal {
        if !self.truncate {
            return Literal {
                text: self.string(text),
                cut: None,
            };
        }
        let kept = truncated(self.doc, self.profile, attribute, text);
        let (before, after) = (text.chars().count(), kept.chars().count());
        Literal {
            text: self.string(kept),
            cut: (after < before).then_some((before, after)),
        }
    }

    fn string(&self, text: &str) -> String {
        encode_string_for(text, self.doc.source.encoding.is_wide())
    }
}

/// `text` cut to what `attribute` may hold: its `STRING(n)` size in the
/// file's encoding and, in a status MIF, ISMIF32's limit for the field
/// (`--truncate`, and the language server's "shorten" quick fix).
pub(crate) fn truncated<'t>(
    doc: &Document,
    profile: Profile,
    attribute: &Block,
    text: &'t str,
) -> &'t str {
    let encoding = doc.source.encoding;
    let mut kept = text;
    if let Some(size) = attribute.data_type().and_then(declared_size) {
        kept = cut_to_octets(
            kept,
            usize::try_from(size.max(0)).unwrap_or(usize::MAX),
            encoding,
        );
    }
    if profile == Profile::Status {
        if let Some(field) = status::field_of(doc, attribute) {
            let end = kept
                .char_indices()
                .nth(field.limit())
                .map_or(kept.len(), |(at, _)| at);
            kept = &kept[..end];
        }
    }
    kept
}

/// Whether text is a decimal number as written: digits, maybe after `-`.
fn is_digits(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}
