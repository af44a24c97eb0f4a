//! Keys and tables: `KEY` naming the group's attributes, and table rows
//! checked against the template group of the same class defined before them.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::span::Span;
use crate::syntax::{Block, BlockKind, Item, Row, Value};

use super::values::ValueCheck;

pub fn check(values: &ValueCheck, component: &Block, out: &mut Vec<Diagnostic>) {
    for group in component.blocks_of(BlockKind::Group) {
        check_key(group, out);
    }
    for table in component.blocks_of(BlockKind::Table) {
        if let Some(template) = find_template(component, table, out) {
            check_rows(values, table, template, out);
        }
    }
}

fn check_key(group: &Block, out: &mut Vec<Diagnostic>) {
    let Some(key) = group.key() else {
        return;
    };
    let ids: Vec<i128> = group
        .blocks_of(BlockKind::Attribute)
        .filter_map(Block::id)
        .collect();
    let mut seen: HashMap<i128, Span> = HashMap::new();
    for part in key {
        let Some(id) = part.value() else {
            continue;
        };
        if let Some(&first) = seen.get(&id) {
            out.push(
                Diagnostic::error(
                    "mif::duplicate-key-attribute",
                    part.span,
                    format!("attribute {id} is named twice in KEY"),
                )
                .with_label("already in the key")
                .with_related(first, "first named here")
                .with_help("name each key attribute once"),
            );
            continue;
        }
        seen.insert(id, part.span);
        if !ids.contains(&id) {
            let known: Vec<String> = ids.iter().map(i128::to_string).collect();
            out.push(
                Diagnostic::error(
                    "mif::unknown-key-attribute",
                    part.span,
                    format!("KEY names attribute {id}, which the group does not have"),
                )
                .with_label("no attribute with this ID in the group")
                .with_help(if known.is_empty() {
                    "the group has no attributes with IDs; add the key attribute".to_string()
                } else {
                    format!("the group's attribute IDs are {}", known.join(", "))
                }),
            );
        }
    }
}

/// The group of the table's class defined before it; reports when there
/// is none.
fn find_template<'a>(
    component: &'a Block,
    table: &Block,
    out: &mut Vec<Diagnostic>,
) -> Option<&'a Block> {
    let Some(class) = table.class() else {
        out.push(
            Diagnostic::error(
                "mif::table-without-template",
                table.head_span,
                "TABLE without a CLASS",
            )
            .with_label("no CLASS names the template group")
            .with_help("add CLASS = \"...\" with the class of the template group defined above"),
        );
        return None;
    };
    let mut same_class = component
        .blocks_of(BlockKind::Group)
        .filter(|g| g.class() == Some(class));
    let first = same_class.next();
    match first {
        Some(group) if group.span.start < table.span.start => Some(group),
        later => {
            let mut diagnostic = Diagnostic::error(
                "mif::table-without-template",
                table.head_span,
                format!("no template group of class \"{class}\" before this table"),
            )
            .with_label("rows cannot be read without a template")
            .with_help(
                "define a group with this CLASS and a KEY (its attributes are the columns) above the table",
            );
            if let Some(group) = later {
                diagnostic = diagnostic.with_related(group.head_span, "defined after the table");
            }
            out.push(diagnostic);
            None
        }
    }
}

/// A key cell's value, for comparing rows.
#[derive(Debug, PartialEq, Eq, Hash)]
enum KeyPart {
    Integer(i128),
    Text(String),
}

fn key_part(value: Option<&Value>) -> Option<KeyPart> {
    match value? {
        Value::Integer(int) => int.value().map(KeyPart::Integer),
        Value::String(text) => Some(KeyPart::Text(text.value.to_string())),
        _ => None,
    }
}

fn check_rows(values: &ValueCheck, table: &Block, template: &Block, out: &mut Vec<Diagnostic>) {
    let mut columns: Vec<&Block> = template.blocks_of(BlockKind::Attribute).collect();
    columns.sort_by_key(|attribute| attribute.id());
    let key_columns: Vec<usize> = template
        .key()
        .unwrap_or_default()
        .iter()
        .filter_map(|k| columns.iter().position(|c| c.id() == k.value()))
        .collect();
    let mut keys: HashMap<Vec<KeyPart>, Span> = HashMap::new();
    for item in &table.items {
        let Item::Row(row) = item else {
            continue;
        };
        if row.cells.len() > columns.len() {
            out.push(
                Diagnostic::error(
                    "mif::too-many-cells",
                    row.span,
                    format!(
                        "row has {} cells but the template has {} attributes",
                        row.cells.len(),
                        columns.len()
                    ),
                )
                .with_label("too many cells")
                .with_related(template.head_span, "template group")
                .with_help(
                    "cells are the template's attributes in ascending ID order; remove the extra cells \
                     or add attributes to the template",
                ),
            );
        }
        for (cell, column) in row.cells.iter().zip(&columns) {
            if let (Some(value), Some(data_type)) = (cell, column.data_type()) {
                values.check(data_type, value, out);
            }
        }
        if key_columns.is_empty() {
            continue;
        }
        if let Some(key) = row_key(row, &columns, &key_columns) {
            if let Some(&first) = keys.get(&key) {
                out.push(
                    Diagnostic::error(
                        "mif::duplicate-table-key",
                        row.span,
                        "two rows have the same key",
                    )
                    .with_label("same key values as an earlier row")
                    .with_related(first, "first row with this key")
                    .with_help("key attributes identify a row; give each row its own key values"),
                );
            } else {
                keys.insert(key, row.span);
            }
        }
    }
}

/// The row's key values (an empty cell takes the template's default);
/// `None` when a key cell has no literal value to compare.
fn row_key(row: &Row, columns: &[&Block], key_columns: &[usize]) -> Option<Vec<KeyPart>> {
    key_columns
        .iter()
        .map(|&index| {
            let cell = row.cells.get(index).and_then(Option::as_ref);
            key_part(cell.or_else(|| columns[index].value()))
        })
        .collect()
}
