//! Places in a JSON document (`component.groups[0].attributes[2].value`),
//! and the place in the JSON of a finding on the MIF written from it.

use std::fmt;

use crate::lexer::Keyword;
use crate::span::Span;
use crate::syntax::{Block, BlockKind, Document, Item, StatementValue, TypeExpr};

/// One step of a [`JsonPlace`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A field of an object.
    Field(&'static str),
    /// An element of an array.
    Index(usize),
}

/// Where in a JSON document a value is, as a path from the top.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPlace {
    /// The steps from the top.
    pub steps: Vec<Step>,
}

impl JsonPlace {
    /// The same place, one field further.
    pub fn field(&self, name: &'static str) -> JsonPlace {
        let mut steps = self.steps.clone();
        steps.push(Step::Field(name));
        JsonPlace { steps }
    }

    /// The same place, one element further.
    pub fn index(&self, index: usize) -> JsonPlace {
        let mut steps = self.steps.clone();
        steps.push(Step::Index(index));
        JsonPlace { steps }
    }

    /// The index that follows the field `name`, if the path has it
    /// (`groups` in `component.groups[2].class` gives 2).
    pub fn index_after(&self, name: &str) -> Option<usize> {
        self.steps.windows(2).find_map(|pair| match pair {
            [Step::Field(field), Step::Index(index)] if *field == name => Some(*index),
            _ => None,
        })
    }

    /// The last field named in the path (`class` in
    /// `component.groups[2].class`).
    pub fn last_field(&self) -> Option<&'static str> {
        self.steps.iter().rev().find_map(|step| match step {
            Step::Field(field) => Some(*field),
            Step::Index(_) => None,
        })
    }
}

impl fmt::Display for JsonPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, step) in self.steps.iter().enumerate() {
            match step {
                Step::Field(name) if n == 0 => f.write_str(name)?,
                Step::Field(name) => write!(f, ".{name}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// The JSON field a statement's keyword is written from.
fn field_of(keyword: Keyword) -> &'static str {
    match keyword {
        Keyword::Name => "name",
        Keyword::Description => "description",
        Keyword::Pragma => "pragma",
        Keyword::Class => "class",
        Keyword::Id => "id",
        Keyword::Key => "key",
        Keyword::Type => "type",
        Keyword::Access => "access",
        Keyword::Storage => "storage",
        Keyword::Value => "value",
        Keyword::Language => "language",
        _ => "environments",
    }
}

/// The place in the JSON that the text at `span` of `doc` was written
/// from, for a document written by [`Document::from_json`]: its blocks
/// of each kind are the JSON's arrays, in order. `None` for a place
/// outside them (the file as a whole).
pub(super) fn place_of(doc: &Document, span: Span) -> Option<JsonPlace> {
    let top = JsonPlace::default();
    if span.is_empty() && span.start == 0 {
        return None;
    }
    for (index, (comment, _)) in doc.header_comments().enumerate() {
        if comment.start <= span.start && span.start < comment.end.max(comment.start + 1) {
            return Some(top.field("header_comments").index(index));
        }
    }
    if let Some(language) = doc.language() {
        if contains(language.span, span) {
            return Some(top.field("language"));
        }
    }
    let component = doc.component()?;
    Some(in_block(component, span, top.field("component")))
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.start < outer.end.max(outer.start + 1)
}

/// The place within `block`, which the JSON at `here` describes.
fn in_block(block: &Block, span: Span, here: JsonPlace) -> JsonPlace {
    let mut counts = [0usize; 6];
    let mut rows = 0;
    let mut environments = 0;
    let mut items = 0;
    for item in &block.items {
        match item {
            Item::Block(child) => {
                let kind = child.kind as usize;
                let index = counts[kind];
                counts[kind] += 1;
                if !contains(child.span, span) {
                    continue;
                }
                let field = match child.kind {
                    BlockKind::Path => "paths",
                    BlockKind::Enum => "enums",
                    BlockKind::Group => "groups",
                    BlockKind::Attribute => "attributes",
                    BlockKind::Table => "tables",
                    BlockKind::Component => return here,
                };
                return in_block(child, span, here.field(field).index(index));
            }
            Item::Statement(statement) => {
                let environment = statement.keyword.is_environment();
                let index = environments;
                if environment {
                    environments += 1;
                }
                if !contains(statement.span, span) {
                    continue;
                }
                if environment {
                    return here.field("environments").index(index);
                }
                if let StatementValue::Type(TypeExpr::Enum(inline)) = &statement.value {
                    if contains(inline.span, span) {
                        return in_block(inline, span, here.field("inline_enum"));
                    }
                }
                return here.field(field_of(statement.keyword));
            }
            Item::Row(row) => {
                let index = rows;
                rows += 1;
                if !contains(row.span, span) {
                    continue;
                }
                let place = here.field("rows").index(index);
                let cell = row
                    .cells
                    .iter()
                    .position(|cell| cell.as_ref().is_some_and(|v| contains(v.span(), span)));
                return match cell {
                    Some(cell) => place.index(cell),
                    None => place,
                };
            }
            Item::EnumItem(item) => {
                let index = items;
                items += 1;
                if contains(item.span, span) {
                    return here.field("items").index(index);
                }
            }
            Item::Error(_) => {}
        }
    }
    here
}

/// Every place in `doc` that holds something the JSON gave: each
/// statement's value, each row and enum item, each header comment. A
/// writer judges findings there as about values given on purpose.
pub(super) fn given_spans(doc: &Document) -> Vec<Span> {
    let mut spans: Vec<Span> = doc.header_comments().map(|(span, _)| span).collect();
    fn walk(items: &[Item], doc: &Document, spans: &mut Vec<Span>) {
        for item in items {
            match item {
                Item::Block(block) => walk(&block.items, doc, spans),
                Item::Statement(statement) => {
                    let keyword = statement.keyword_span(&doc.tokens);
                    let value = Span::new(keyword.end, statement.span.end);
                    match &statement.value {
                        StatementValue::Type(TypeExpr::Enum(inline)) => {
                            walk(&inline.items, doc, spans);
                        }
                        // NAME and the like: the value, not the keyword
                        // (a finding on a keyword is about the layout).
                        _ => spans.push(value_span(statement, value)),
                    }
                }
                Item::Row(row) => spans.push(row.span),
                Item::EnumItem(enum_item) => spans.push(enum_item.span),
                Item::Error(_) => {}
            }
        }
    }
    walk(&doc.items, doc, &mut spans);
    spans
}

/// Where a statement's value is written.
fn value_span(statement: &crate::syntax::Statement, after_keyword: Span) -> Span {
    match &statement.value {
        StatementValue::String(s) => s.span,
        StatementValue::Integer(i) => i.span,
        StatementValue::Value(v) => v.span(),
        StatementValue::Type(t) => t.span(),
        StatementValue::Keyword(_, span) => *span,
        StatementValue::Keys(keys) => match (keys.first(), keys.last()) {
            (Some(first), Some(last)) => first.span.to(last.span),
            _ => after_keyword,
        },
        StatementValue::Invalid => after_keyword,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_as_paths() {
        let place = JsonPlace::default()
            .field("component")
            .field("groups")
            .index(2)
            .field("attributes")
            .index(0)
            .field("value");
        assert_eq!(place.to_string(), "component.groups[2].attributes[0].value");
        assert_eq!(place.index_after("groups"), Some(2));
        assert_eq!(place.index_after("attributes"), Some(0));
        assert_eq!(place.last_field(), Some("value"));
    }

    #[test]
    fn a_finding_is_placed_in_the_json() {
        let text = "//Architecture<A>\nSTART COMPONENT\nNAME = \"c\"\n\
            START ENUM NAME = \"e\" 1 = \"x\" END ENUM\n\
            START GROUP NAME = \"g\" ID = 1 CLASS = \"k\"\n\
            START ATTRIBUTE NAME = \"a\" ID = 1 TYPE = STRING(4) VALUE = \"v\" END ATTRIBUTE\n\
            START ATTRIBUTE NAME = \"b\" ID = 2 TYPE = INTEGER VALUE = 7 END ATTRIBUTE\n\
            END GROUP END COMPONENT\n";
        let doc = Document::parse_str(text);
        let at = |needle: &str| {
            let start = text.find(needle).unwrap();
            place_of(&doc, Span::new(start, start + needle.len())).map(|p| p.to_string())
        };
        assert_eq!(
            at("7").as_deref(),
            Some("component.groups[0].attributes[1].value")
        );
        assert_eq!(at("\"k\"").as_deref(), Some("component.groups[0].class"));
        assert_eq!(
            at("1 = \"x\"").as_deref(),
            Some("component.enums[0].items[0]")
        );
        assert_eq!(at("//Arch").as_deref(), Some("header_comments[0]"));
        assert_eq!(place_of(&doc, Span::new(0, 0)), None);
        assert!(given_spans(&doc).len() > 10);
    }
}
