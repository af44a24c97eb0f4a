//! Values against their declared types.

use crate::diagnostics::Diagnostic;
use crate::syntax::{Block, BlockKind, Document, TypeExpr, Value};

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(component) = doc.component() else {
        return;
    };
    for group in component.blocks_of(BlockKind::Group) {
        for attribute in group.blocks_of(BlockKind::Attribute) {
            check_string_length(doc, attribute, out);
        }
    }
}

fn check_string_length(doc: &Document, attribute: &Block, out: &mut Vec<Diagnostic>) {
    let (
        Some(TypeExpr::String {
            size: Some(size), ..
        }),
        Some(Value::String(value)),
    ) = (attribute.data_type(), attribute.value())
    else {
        return;
    };
    let Some(limit) = size.value else {
        return;
    };
    let encoding = doc.source.encoding;
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
