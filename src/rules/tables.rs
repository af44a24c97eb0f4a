//! Keys and tables: `KEY` naming the group's attributes, and table rows
//! checked against their template (`crate::model::tables` says which
//! group that is and in what order its cells come).

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::model::tables::{self, NoTemplate};
use crate::span::Span;
use crate::syntax::{Block, BlockKind};

use super::values::ValueCheck;

pub fn check(values: &ValueCheck, component: &Block, out: &mut Vec<Diagnostic>) {
    for group in component.blocks_of(BlockKind::Group) {
        check_key(group, out);
    }
    for table in component.blocks_of(BlockKind::Table) {
        match tables::template_of(component, table) {
            Ok(template) => check_rows(values, table, template, out),
            Err(why) => out.push(no_template(table, why)),
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

fn no_template(table: &Block, why: NoTemplate) -> Diagnostic {
    let Some(class) = table.class() else {
        return Diagnostic::error(
            "mif::table-without-template",
            table.head_span,
            "TABLE without a CLASS",
        )
        .with_label("no CLASS names the template group")
        .with_help("add CLASS = \"...\" with the class of the template group defined above");
    };
    let diagnostic = Diagnostic::error(
        "mif::table-without-template",
        table.head_span,
        format!("no template group of class \"{class}\" before this table"),
    )
    .with_label("rows cannot be read without a template")
    .with_help(
        "define a group with this CLASS and a KEY (its attributes are the columns) above the table",
    );
    match why {
        NoTemplate::NotBefore { later: Some(group) } => {
            diagnostic.with_related(group.head_span, "defined after the table")
        }
        _ => diagnostic,
    }
}

fn check_rows(values: &ValueCheck, table: &Block, template: &Block, out: &mut Vec<Diagnostic>) {
    // Without a known cell order nothing in the rows can be read; the
    // attribute without an ID (or the repeated ID) is reported already.
    let Some(columns) = tables::columns(template) else {
        return;
    };
    let key_columns = tables::key_columns(template, &columns);
    let mut keys: HashMap<Vec<tables::KeyValue>, Span> = HashMap::new();
    for row in tables::rows(table) {
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
        if let Some(key) = tables::row_key(row, &columns, &key_columns) {
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
