//! A compact, stable outline of a tree, for snapshot tests and debugging.

use std::fmt::Write;

use super::{Block, Document, Item, Statement, StatementValue, StringLit, TypeExpr, Value};

impl Document {
    /// One line per node, indented by depth: blocks with their statements'
    /// decoded values, rows, enum items, skipped (error) regions.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "encoding={} line_ending={:?}{}",
            self.source.encoding,
            self.source.line_ending,
            if self.source.mixed_line_endings {
                " (mixed)"
            } else {
                ""
            }
        );
        for (_, comment) in self.header_comments() {
            let _ = writeln!(out, "header {comment}");
        }
        self.dump_items(&self.items, 0, &mut out);
        out
    }

    fn dump_items(&self, items: &[Item], depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        for item in items {
            match item {
                Item::Block(block) => self.dump_block(block, depth, out),
                Item::Statement(statement) => {
                    let _ = writeln!(out, "{pad}{}", self.dump_statement(statement));
                    if let StatementValue::Type(TypeExpr::Enum(block)) = &statement.value {
                        self.dump_block(block, depth + 1, out);
                    }
                }
                Item::Row(row) => {
                    let cells: Vec<String> = row
                        .cells
                        .iter()
                        .map(|c| c.as_ref().map_or("_".into(), |v| self.dump_value(v)))
                        .collect();
                    let _ = writeln!(out, "{pad}row {{{}}}", cells.join(", "));
                }
                Item::EnumItem(e) => {
                    let value = e.value.value().map_or("?".into(), |v| v.to_string());
                    let text = e.text.as_ref().map_or("?".into(), dump_string);
                    let _ = writeln!(out, "{pad}{value} = {text}");
                }
                Item::Error(e) => {
                    let _ = writeln!(out, "{pad}error {:?}", &self.text()[e.span.range()]);
                }
            }
        }
    }

    fn dump_block(&self, block: &Block, depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        let open = if block.tail.is_some() {
            ""
        } else {
            " (unclosed)"
        };
        let _ = writeln!(out, "{pad}{}{open}", block.kind.name());
        self.dump_items(&block.items, depth + 1, out);
    }

    fn dump_statement(&self, statement: &Statement) -> String {
        let value = match &statement.value {
            StatementValue::String(s) => dump_string(s),
            StatementValue::Integer(i) => i.value().map_or("?".into(), |v| v.to_string()),
            StatementValue::Keys(keys) => keys
                .iter()
                .map(|k| k.value().map_or("?".into(), |v| v.to_string()))
                .collect::<Vec<_>>()
                .join(","),
            StatementValue::Type(t) => match t {
                TypeExpr::Integer { kind, .. } => format!("{kind:?}"),
                TypeExpr::Date { .. } => "Date".into(),
                TypeExpr::String { kind, size, .. } => format!(
                    "{kind:?}({})",
                    size.as_ref()
                        .and_then(|s| s.value())
                        .map_or("?".into(), |v| v.to_string())
                ),
                TypeExpr::EnumRef(s) => format!("enum {}", dump_string(s)),
                TypeExpr::Enum(_) => "inline enum".into(),
            },
            StatementValue::Keyword(k, _) => k.as_str().into(),
            StatementValue::Value(v) => self.dump_value(v),
            StatementValue::Invalid => "<invalid>".into(),
        };
        format!("{} = {value}", statement.keyword.as_str())
    }

    fn dump_value(&self, value: &Value) -> String {
        match value {
            Value::Integer(i) => i.value().map_or("?".into(), |v| v.to_string()),
            Value::String(s) => dump_string(s),
            Value::Path { name, .. } => format!("* {}", dump_string(name)),
            Value::Unknown(_) => "UNKNOWN".into(),
            Value::Unsupported(_) => "UNSUPPORTED".into(),
        }
    }
}

fn dump_string(s: &StringLit) -> String {
    format!("{:?}", s.value)
}
