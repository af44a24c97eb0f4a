//! Tables (reference sections 2.8 and 2.11): a `TABLE` holds rows of a
//! template group of the same class defined before it; a row's cells are
//! the template's attributes in ascending ID order, an empty cell takes
//! the attribute's value in the template, and the `KEY` attributes tell
//! rows apart.

use crate::lexer::Keyword;
use crate::syntax::{Block, BlockKind, Item, Row, Value};

/// Why a table has no template.
#[derive(Debug, Clone, Copy)]
pub enum NoTemplate<'a> {
    /// The table has no `CLASS` to name its template by.
    NoClass,
    /// No group of the table's class comes before it; `later` is one that
    /// comes after, if any.
    NotBefore {
        /// A group of the class defined after the table.
        later: Option<&'a Block>,
    },
}

/// The template of `table` in `component`: among the groups of exactly
/// the table's class defined before it, the first with a `KEY` (templates
/// are keyed), else the first.
pub fn template_of<'a>(component: &'a Block, table: &Block) -> Result<&'a Block, NoTemplate<'a>> {
    let class = table.class().ok_or(NoTemplate::NoClass)?;
    let same_class = || {
        component
            .blocks_of(BlockKind::Group)
            .filter(move |g| g.class() == Some(class))
    };
    let before = || same_class().filter(|g| g.span.start < table.span.start);
    before()
        .find(|g| g.key().is_some())
        .or_else(|| before().next())
        .ok_or_else(|| NoTemplate::NotBefore {
            later: same_class().next(),
        })
}

/// The tables whose template is `group`.
pub fn tables_of<'a>(component: &'a Block, group: &Block) -> Vec<&'a Block> {
    component
        .blocks_of(BlockKind::Table)
        .filter(|table| template_of(component, table).is_ok_and(|t| std::ptr::eq(t, group)))
        .collect()
}

/// A template's attributes in cell order (ascending ID). `None` when the
/// order is not known: an attribute without a valid ID, or two with the
/// same ID (both reported by the structure rules). Nothing is then read
/// from or written to the table's cells, rather than guessed.
pub fn columns(template: &Block) -> Option<Vec<&Block>> {
    let mut columns: Vec<(i128, &Block)> = template
        .blocks_of(BlockKind::Attribute)
        .map(|a| a.id().map(|id| (id, a)))
        .collect::<Option<_>>()?;
    columns.sort_by_key(|(id, _)| *id);
    if columns.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        return None;
    }
    Some(columns.into_iter().map(|(_, a)| a).collect())
}

/// The indexes in `columns` of the template's `KEY` attributes, in `KEY`
/// order; an ID that names no attribute is left out (a rule reports it).
pub fn key_columns(template: &Block, columns: &[&Block]) -> Vec<usize> {
    template
        .key()
        .unwrap_or_default()
        .iter()
        .filter_map(|k| columns.iter().position(|c| c.id() == k.value()))
        .collect()
}

/// The rows of a table, in file order.
pub fn rows(table: &Block) -> impl Iterator<Item = &Row> {
    table.items.iter().filter_map(|item| match item {
        Item::Row(row) => Some(row),
        _ => None,
    })
}

/// A row's value in one column: its cell, or the template's default when
/// the cell is empty or missing.
pub fn cell_or_default<'a>(
    row: &'a Row,
    columns: &[&'a Block],
    column: usize,
) -> Option<&'a Value> {
    match row.cells.get(column) {
        Some(Some(value)) => Some(value),
        _ => columns.get(column).and_then(|a| a.value()),
    }
}

/// A key cell's value, compared between rows and with what a person types.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeyValue {
    /// An integer, by value (`0x10` equals `16`).
    Integer(i128),
    /// Text, exactly.
    Text(String),
    /// `UNKNOWN`.
    Unknown,
    /// `UNSUPPORTED`.
    Unsupported,
}

impl KeyValue {
    /// The key value a cell holds; `None` for a path or an invalid integer.
    pub fn of(value: &Value) -> Option<KeyValue> {
        match value {
            Value::Integer(int) => int.value().map(KeyValue::Integer),
            Value::String(text) => Some(KeyValue::Text(text.value.to_string())),
            Value::Unknown(_) => Some(KeyValue::Unknown),
            Value::Unsupported(_) => Some(KeyValue::Unsupported),
            Value::Path { .. } => None,
        }
    }

    /// Whether a key value as typed names this one: numbers by value, the
    /// keywords in any case, text exactly.
    pub fn is_named_by(&self, typed: &str) -> bool {
        match self {
            KeyValue::Integer(value) => {
                crate::syntax::decode_integer(typed.trim()).ok() == Some(*value)
            }
            KeyValue::Text(text) => text == typed,
            KeyValue::Unknown => typed.eq_ignore_ascii_case(Keyword::Unknown.as_str()),
            KeyValue::Unsupported => typed.eq_ignore_ascii_case(Keyword::Unsupported.as_str()),
        }
    }
}

/// A row's key: the values of its key cells (an empty cell takes the
/// template's default); `None` when a key cell has no value to compare.
pub fn row_key(row: &Row, columns: &[&Block], key_columns: &[usize]) -> Option<Vec<KeyValue>> {
    key_columns
        .iter()
        .map(|&column| cell_or_default(row, columns, column).and_then(KeyValue::of))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Document;

    fn component(doc: &Document) -> &Block {
        doc.component().unwrap()
    }

    #[test]
    fn the_template_is_the_keyed_group_of_the_class_before_the_table() {
        let doc = Document::parse_str(
            "START COMPONENT NAME = \"c\"\n\
             START GROUP NAME = \"plain\" ID = 1 CLASS = \"a|t|1\" END GROUP\n\
             START GROUP NAME = \"keyed\" CLASS = \"a|t|1\" KEY = 1\n\
               START ATTRIBUTE NAME = \"k\" ID = 1 TYPE = INTEGER END ATTRIBUTE END GROUP\n\
             START TABLE NAME = \"t\" ID = 2 CLASS = \"a|t|1\" {1} END TABLE\n\
             START TABLE NAME = \"early\" ID = 3 CLASS = \"a|u|1\" {1} END TABLE\n\
             START GROUP NAME = \"late\" CLASS = \"a|u|1\" KEY = 1 END GROUP\n\
             END COMPONENT\n",
        );
        let component = component(&doc);
        let tables: Vec<&Block> = component.blocks_of(BlockKind::Table).collect();
        let template = template_of(component, tables[0]).unwrap();
        assert_eq!(template.name(), Some("keyed"));
        assert_eq!(tables_of(component, template).len(), 1);
        match template_of(component, tables[1]) {
            Err(NoTemplate::NotBefore { later: Some(late) }) => {
                assert_eq!(late.name(), Some("late"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn columns_need_an_id_on_every_attribute() {
        let doc = Document::parse_str(
            "START COMPONENT NAME = \"c\"\n\
             START GROUP NAME = \"g\" CLASS = \"a|t|1\" KEY = 2\n\
               START ATTRIBUTE NAME = \"two\" ID = 2 TYPE = INTEGER END ATTRIBUTE\n\
               START ATTRIBUTE NAME = \"one\" ID = 1 TYPE = INTEGER END ATTRIBUTE\n\
             END GROUP\n\
             START GROUP NAME = \"h\" CLASS = \"a|u|1\" KEY = 1\n\
               START ATTRIBUTE NAME = \"k\" ID = 1 TYPE = INTEGER END ATTRIBUTE\n\
               START ATTRIBUTE NAME = \"no id\" TYPE = STRING(8) END ATTRIBUTE\n\
             END GROUP\n\
             END COMPONENT\n",
        );
        let groups: Vec<&Block> = component(&doc).blocks_of(BlockKind::Group).collect();
        let columns = columns(groups[0]).unwrap();
        let names: Vec<_> = columns.iter().map(|c| c.name().unwrap()).collect();
        assert_eq!(names, ["one", "two"]);
        assert_eq!(key_columns(groups[0], &columns), [1]);
        assert!(super::columns(groups[1]).is_none());
    }

    #[test]
    fn key_values_compare_as_typed() {
        assert!(KeyValue::Integer(16).is_named_by("0x10"));
        assert!(!KeyValue::Integer(16).is_named_by("sixteen"));
        assert!(KeyValue::Text("a b".into()).is_named_by("a b"));
        assert!(!KeyValue::Text("A".into()).is_named_by("a"));
        assert!(KeyValue::Unknown.is_named_by("unknown"));
    }
}
