//! Structural rules: what every definition must have, IDs, duplicates.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::lexer::Keyword;
use crate::span::Span;
use crate::syntax::{
    Block, BlockKind, Document, IntLit, Item, Statement, StatementValue, TypeExpr,
};

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    for item in &doc.items {
        if let Item::Block(block) = item {
            check_block(doc, block, out);
        }
    }
}

fn check_block(doc: &Document, block: &Block, out: &mut Vec<Diagnostic>) {
    check_duplicate_statements(doc, block, out);
    check_required(block, out);
    check_id_range(doc, block, out);
    match block.kind {
        BlockKind::Component => check_unique_ids(
            block,
            &[BlockKind::Group, BlockKind::Table],
            "group or table",
            out,
        ),
        BlockKind::Group => check_unique_ids(block, &[BlockKind::Attribute], "attribute", out),
        _ => {}
    }
    for item in &block.items {
        match item {
            Item::Block(child) => check_block(doc, child, out),
            Item::Statement(Statement {
                value: StatementValue::Type(TypeExpr::Enum(inline)),
                ..
            }) => check_block(doc, inline, out),
            _ => {}
        }
    }
}

fn check_duplicate_statements(doc: &Document, block: &Block, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<Keyword, Span> = HashMap::new();
    for statement in block.statements() {
        let span = statement.keyword_span(&doc.tokens);
        if let Some(&first) = seen.get(&statement.keyword) {
            let name = statement.keyword.as_str();
            out.push(
                Diagnostic::error(
                    "mif::duplicate-statement",
                    span,
                    format!("{name} given twice in one {} block", block.kind.name()),
                )
                .with_label(format!("second {name}"))
                .with_related(first, format!("first {name}"))
                .with_help(format!(
                    "each statement may appear once per block; keep one {name}"
                )),
            );
        } else {
            seen.insert(statement.keyword, span);
        }
    }
}

fn check_required(block: &Block, out: &mut Vec<Diagnostic>) {
    let kind = block.kind.name();
    let needs_name = !matches!(block.kind, BlockKind::Enum);
    if needs_name && block.statement(Keyword::Name).is_none() {
        out.push(
            Diagnostic::error(
                "mif::missing-name",
                block.head_span,
                format!("{kind} without a NAME"),
            )
            .with_label(format!("this {kind} has no NAME statement"))
            .with_help(format!("add NAME = \"...\" to the {kind} block")),
        );
    }
    if matches!(block.kind, BlockKind::Attribute | BlockKind::Table)
        && block.statement(Keyword::Id).is_none()
    {
        out.push(
            Diagnostic::error(
                "mif::missing-id",
                block.head_span,
                format!("{kind} without an ID"),
            )
            .with_label(format!("this {kind} has no ID statement"))
            .with_help(format!(
                "add ID = n (a number unique among its siblings) to the {kind} block"
            )),
        );
    }
    if block.kind == BlockKind::Attribute && block.statement(Keyword::Type).is_none() {
        out.push(
            Diagnostic::error(
                "mif::missing-type",
                block.head_span,
                "ATTRIBUTE without a TYPE",
            )
            .with_label("this attribute has no TYPE statement")
            .with_help("add a TYPE such as TYPE = STRING(64) or TYPE = INTEGER"),
        );
    }
}

/// A block's ID as written, when it is an integer with a value: the
/// literal locates and quotes it in messages.
fn id_literal(block: &Block) -> Option<(&IntLit, i128)> {
    let StatementValue::Integer(int) = &block.statement(Keyword::Id)?.value else {
        return None;
    };
    Some((int, int.value()?))
}

fn check_id_range(doc: &Document, block: &Block, out: &mut Vec<Diagnostic>) {
    let Some((int, value)) = id_literal(block) else {
        return;
    };
    if !(1..=i128::from(u32::MAX)).contains(&value) {
        out.push(
            Diagnostic::error(
                "mif::id-out-of-range",
                int.span,
                format!("ID {} is out of range", doc.token_text(int.token)),
            )
            .with_label("IDs are 1 to 4294967295")
            .with_help("use a non-zero ID that fits in 32 bits"),
        );
    }
}

fn check_unique_ids(block: &Block, kinds: &[BlockKind], what: &str, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<i128, Span> = HashMap::new();
    for child in block.blocks().filter(|b| kinds.contains(&b.kind)) {
        let Some((int, id)) = id_literal(child) else {
            continue;
        };
        if let Some(&first) = seen.get(&id) {
            out.push(
                Diagnostic::error(
                    "mif::duplicate-id",
                    int.span,
                    format!(
                        "{what} ID {id} is already used in this {}",
                        block.kind.name()
                    ),
                )
                .with_label("duplicate ID")
                .with_related(first, "first used here")
                .with_help(format!(
                    "give each {what} in the {} its own ID",
                    block.kind.name()
                )),
            );
        } else {
            seen.insert(id, int.span);
        }
    }
}
