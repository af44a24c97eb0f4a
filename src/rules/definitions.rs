//! Named definitions and their uses: enums (`TYPE = "Enum Name"`) and
//! paths (`VALUE = * "Path Name"`). Both must be defined once, in the
//! component, before they are used (`crate::model::definitions` says
//! which definition a name refers to).

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::model::definitions::Definitions;
use crate::span::Span;
use crate::syntax::{Block, BlockKind, Document, EnumItem, Item, StringLit, TypeExpr, Value};

pub fn check(
    doc: &Document,
    component: &Block,
    definitions: &Definitions,
    out: &mut Vec<Diagnostic>,
) {
    check_duplicate_names(component, BlockKind::Enum, out);
    check_duplicate_names(component, BlockKind::Path, out);
    for definition in component.blocks_of(BlockKind::Enum) {
        check_enum_items(doc, definition, out);
    }
    for group in component.blocks_of(BlockKind::Group) {
        for attribute in group.blocks_of(BlockKind::Attribute) {
            match attribute.data_type() {
                Some(TypeExpr::EnumRef(name)) => check_enum_use(definitions, name, out),
                Some(TypeExpr::Enum(inline)) => check_enum_items(doc, inline, out),
                _ => {}
            }
            if let Some(value) = attribute.value() {
                check_path_use(definitions, value, out);
            }
        }
    }
    for table in component.blocks_of(BlockKind::Table) {
        for item in &table.items {
            if let Item::Row(row) = item {
                for cell in row.cells.iter().flatten() {
                    check_path_use(definitions, cell, out);
                }
            }
        }
    }
}

fn check_enum_use(definitions: &Definitions, name: &StringLit, out: &mut Vec<Diagnostic>) {
    match definitions.enum_named(&name.value).map(|index| index.definition) {
        None => out.push(
            Diagnostic::error(
                "mif::undefined-enum",
                name.span,
                format!("no enum named \"{}\" in this component", name.value),
            )
            .with_label("not defined")
            .with_help(
                "define it in the component with START ENUM, NAME = \"...\", its items and END ENUM, \
                 or use an inline TYPE = START ENUM ... END ENUM",
            ),
        ),
        Some(definition) if definition.span.start > name.span.start => out.push(
            Diagnostic::error(
                "mif::enum-used-before-definition",
                name.span,
                format!("enum \"{}\" is used before it is defined", name.value),
            )
            .with_label("used here")
            .with_related(definition.head_span, "defined later here")
            .with_help("move the START ENUM block above the first group that uses it"),
        ),
        Some(_) => {}
    }
}

fn check_path_use(definitions: &Definitions, value: &Value, out: &mut Vec<Diagnostic>) {
    let Value::Path { star, name } = value else {
        return;
    };
    let span = star.to(name.span);
    match definitions.path_named(&name.value) {
        None => out.push(
            Diagnostic::error(
                "mif::undefined-path",
                span,
                format!("no path named \"{}\" in this component", name.value),
            )
            .with_label("not defined")
            .with_help(
                "define it with START PATH, NAME = \"...\", one line per platform (WIN32 = \"...\") \
                 and END PATH, before the groups",
            ),
        ),
        Some(definition) if definition.span.start > span.start => out.push(
            Diagnostic::error(
                "mif::path-used-before-definition",
                span,
                format!("path \"{}\" is used before it is defined", name.value),
            )
            .with_label("used here")
            .with_related(definition.head_span, "defined later here")
            .with_help("move the START PATH block to the top of the component"),
        ),
        Some(_) => {}
    }
}

fn check_duplicate_names(component: &Block, kind: BlockKind, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for block in component.blocks_of(kind) {
        let Some(name) = block.name() else {
            continue;
        };
        if let Some(&first) = seen.get(name) {
            let what = kind.name();
            out.push(
                Diagnostic::error(
                    "mif::duplicate-name",
                    block.head_span,
                    format!("a second {what} named \"{name}\""),
                )
                .with_label(format!("{what} name already used"))
                .with_related(first, "first defined here")
                .with_help(format!(
                    "{what} names must be unique in the component; rename or remove one"
                )),
            );
        } else {
            seen.insert(name, block.head_span);
        }
    }
}

fn check_enum_items(doc: &Document, definition: &Block, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<i128, Span> = HashMap::new();
    let items = definition.items.iter().filter_map(|item| match item {
        Item::EnumItem(EnumItem { value, .. }) => Some(value),
        _ => None,
    });
    for value in items {
        let Some(number) = value.value() else {
            continue;
        };
        if let Some(&first) = seen.get(&number) {
            out.push(
                Diagnostic::error(
                    "mif::duplicate-enum-value",
                    value.span,
                    format!("enum value {} is given twice", doc.token_text(value.token)),
                )
                .with_label("duplicate value")
                .with_related(first, "first given here")
                .with_help("each item of an enum needs its own number"),
            );
        } else {
            seen.insert(number, value.span);
        }
    }
}
