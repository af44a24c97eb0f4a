//! The outline: component > paths, enums, groups (> attributes), tables.

use lsp_types::{DocumentSymbol, SymbolKind};

use super::position::LineMap;
use crate::lexer::Keyword;
use crate::syntax::{Block, BlockKind, Document, Item, StatementValue, TypeExpr};

/// One symbol per block, nested as the blocks are, named by their NAME.
pub fn document_symbols(doc: &Document) -> Vec<DocumentSymbol> {
    let map = LineMap::new(doc.text());
    doc.items
        .iter()
        .filter_map(|item| match item {
            Item::Block(block) => Some(block_symbol(doc, &map, block)),
            _ => None,
        })
        .collect()
}

fn block_symbol(doc: &Document, map: &LineMap, block: &Block) -> DocumentSymbol {
    let mut children: Vec<DocumentSymbol> = block
        .blocks()
        .map(|child| block_symbol(doc, map, child))
        .collect();
    if let Some(TypeExpr::Enum(inline)) = block.data_type() {
        children.push(block_symbol(doc, map, inline));
    }
    if block.kind == BlockKind::Enum {
        children.extend(enum_items(map, block));
    }
    let name_span = match block.statement(Keyword::Name).map(|s| &s.value) {
        Some(StatementValue::String(name)) => name.span,
        _ => block.head_span,
    };
    symbol(
        block
            .name()
            .map_or_else(|| unnamed(block.kind), str::to_string),
        detail(doc, block),
        kind(block.kind),
        map,
        (block.span, name_span),
        children,
    )
}

fn enum_items(map: &LineMap, block: &Block) -> Vec<DocumentSymbol> {
    block
        .items
        .iter()
        .filter_map(|item| match item {
            Item::EnumItem(entry) => Some(symbol(
                entry
                    .text
                    .as_ref()
                    .map_or_else(|| "(no text)".to_string(), |t| t.value.to_string()),
                entry.value.value().map(|v| v.to_string()),
                SymbolKind::ENUM_MEMBER,
                map,
                (entry.span, entry.value.span),
                Vec::new(),
            )),
            _ => None,
        })
        .collect()
}

/// `ID 2 · MICROSOFT|JOBSTATUS|1.0` for a group, the type for an attribute.
fn detail(doc: &Document, block: &Block) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(id) = block.id() {
        parts.push(format!("ID {id}"));
    }
    if block.kind == BlockKind::Attribute {
        if let Some(data_type) = block.data_type() {
            parts.push(type_text(doc, data_type));
        }
    }
    if let Some(class) = block.class() {
        parts.push(class.to_string());
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

fn type_text(doc: &Document, data_type: &TypeExpr) -> String {
    match data_type {
        TypeExpr::Enum(_) => "ENUM".to_string(),
        TypeExpr::EnumRef(name) => format!("ENUM \"{}\"", name.value),
        other => {
            let written = &doc.text()[other.span().range()];
            written.split_whitespace().collect::<Vec<_>>().join("")
        }
    }
}

fn unnamed(kind: BlockKind) -> String {
    format!("({} without NAME)", kind.name())
}

fn kind(kind: BlockKind) -> SymbolKind {
    match kind {
        BlockKind::Component => SymbolKind::MODULE,
        BlockKind::Path => SymbolKind::FILE,
        BlockKind::Enum => SymbolKind::ENUM,
        BlockKind::Group => SymbolKind::CLASS,
        BlockKind::Attribute => SymbolKind::FIELD,
        BlockKind::Table => SymbolKind::ARRAY,
    }
}

fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    map: &LineMap,
    (span, selection): (crate::span::Span, crate::span::Span),
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    #[allow(deprecated)] // `deprecated` is a required field of the type
    DocumentSymbol {
        name: if name.trim().is_empty() {
            "(empty NAME)".to_string()
        } else {
            name
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: map.range(span),
        selection_range: map.range(selection),
        children: (!children.is_empty()).then_some(children),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(symbols: &[DocumentSymbol], depth: usize, out: &mut String) {
        for s in symbols {
            let detail = s.detail.as_deref().unwrap_or("");
            out.push_str(&format!(
                "{}{:?} {} [{detail}] {}:{}-{}:{} sel {}:{}\n",
                "  ".repeat(depth),
                s.kind,
                s.name,
                s.range.start.line,
                s.range.start.character,
                s.range.end.line,
                s.range.end.character,
                s.selection_range.start.line,
                s.selection_range.start.character,
            ));
            outline(s.children.as_deref().unwrap_or(&[]), depth + 1, out);
        }
    }

    #[test]
    fn blocks_nest_with_names_details_and_ranges() {
        let text = "\
START COMPONENT
  NAME = \"Wörkstation\"
  START PATH NAME = \"Agent\" WIN32 = \"agent.dll\" END PATH
  START ENUM NAME = \"Verify\" TYPE = INTEGER 0 = \"Error\" 7 = \"OK\" END ENUM
  START GROUP
    NAME = \"InstallStatus\" ID = 2 CLASS = \"MICROSOFT|JOBSTATUS|1.0\"
    START ATTRIBUTE NAME = \"Status\" ID = 1 TYPE = String ( 32 ) VALUE = \"Success\" END ATTRIBUTE
    START ATTRIBUTE ID = 2 TYPE = START ENUM 1 = \"a\" END ENUM END ATTRIBUTE
  END GROUP
  START TABLE NAME = \"Rows\" ID = 3 CLASS = \"X|Y|1\" { 1 } END TABLE
END COMPONENT
";
        let doc = Document::parse_str(text);
        let mut out = String::new();
        outline(&document_symbols(&doc), 0, &mut out);
        assert_eq!(
            out,
            "\
Module Wörkstation [] 0:0-10:13 sel 1:9
  File Agent [] 2:2-2:56 sel 2:20
  Enum Verify [] 3:2-3:73 sel 3:20
    EnumMember Error [0] 3:44-3:55 sel 3:44
    EnumMember OK [7] 3:56-3:64 sel 3:56
  Class InstallStatus [ID 2 · MICROSOFT|JOBSTATUS|1.0] 4:2-8:11 sel 5:11
    Field Status [ID 1 · String(32)] 6:4-6:95 sel 6:27
    Field (ATTRIBUTE without NAME) [ID 2 · ENUM] 7:4-7:75 sel 7:4
      Enum (ENUM without NAME) [] 7:34-7:61 sel 7:34
        EnumMember a [1] 7:45-7:52 sel 7:45
  Array Rows [ID 3 · X|Y|1] 9:2-9:66 sel 9:21
"
        );
    }
}
