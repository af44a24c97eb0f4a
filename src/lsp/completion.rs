//! Completion: the keywords that fit where the cursor is, and skeletons
//! of whole `START ... END` blocks as snippets.

use lsp_types::{CompletionItem, CompletionItemKind, InsertTextFormat};

use crate::lexer::{Keyword, TokenKind};
use crate::syntax::{Block, BlockKind, Document, Item, StatementValue, TypeExpr};

/// Completion items at `offset`. Snippet items only when the client can
/// expand snippets.
pub fn complete(doc: &Document, offset: usize, snippets: bool) -> Vec<CompletionItem> {
    let (nearest, second) = previous_significant(doc, offset);
    let keyword_of = |index: Option<usize>| {
        index
            .filter(|&i| doc.tokens[i].kind == TokenKind::Word)
            .and_then(|i| Keyword::parse(doc.token_text(i)))
    };
    let after_equals = nearest.is_some_and(|i| doc.tokens[i].kind == TokenKind::Equals);
    match keyword_of(nearest) {
        Some(Keyword::Start | Keyword::End) => return block_kinds(),
        _ if after_equals => return values(keyword_of(second), snippets),
        _ => {}
    }
    let enclosing = enclosing_block(doc, &doc.items, offset);
    let mut items: Vec<CompletionItem> = statement_keywords(enclosing.map(|b| b.kind))
        .iter()
        .map(|&k| keyword_item(k, CompletionItemKind::KEYWORD, format!("{} = ", k.as_str())))
        .collect();
    if let Some(block) = enclosing {
        let end = format!("END {}", block.kind.name());
        items.push(plain(&end, CompletionItemKind::KEYWORD, &end));
    }
    if snippets {
        items.extend(
            SKELETONS
                .iter()
                .filter(|s| s.inside == enclosing.map(|b| b.kind))
                .map(skeleton_item),
        );
    }
    items
}

/// The two significant tokens before the cursor, skipping a word the
/// cursor is in or just after (the prefix being typed).
fn previous_significant(doc: &Document, offset: usize) -> (Option<usize>, Option<usize>) {
    let mut before = doc.tokens.partition_point(|t| t.span().start < offset);
    if before > 0 && doc.tokens[before - 1].kind == TokenKind::Word {
        before -= 1;
    }
    let mut significant = (0..before)
        .rev()
        .filter(|&i| !doc.tokens[i].kind.is_trivia());
    (significant.next(), significant.next())
}

/// The innermost block the cursor is in; an unclosed block runs to the end.
fn enclosing_block<'a>(doc: &'a Document, items: &'a [Item], offset: usize) -> Option<&'a Block> {
    items.iter().find_map(|item| {
        let block = match item {
            Item::Block(block) => block,
            Item::Statement(s) => match &s.value {
                StatementValue::Type(TypeExpr::Enum(block)) => block,
                _ => return None,
            },
            _ => return None,
        };
        let end = block.tail.map_or(usize::MAX, |tail| {
            doc.tokens
                .get(tail.start)
                .map_or(block.span.end, |t| t.span().start)
        });
        let inside = block.head_span.end <= offset && offset <= end;
        inside.then(|| enclosing_block(doc, &block.items, offset).unwrap_or(block))
    })
}

fn statement_keywords(inside: Option<BlockKind>) -> &'static [Keyword] {
    use Keyword as K;
    match inside {
        None => &[K::Language],
        Some(BlockKind::Component) => &[K::Name, K::Description, K::Pragma],
        Some(BlockKind::Path) => &[
            K::Name,
            K::Win32,
            K::Win9x,
            K::WinNt,
            K::Win16,
            K::Dos,
            K::Os2,
            K::Unix,
            K::MacOs,
        ],
        Some(BlockKind::Enum) => &[K::Name, K::Type],
        Some(BlockKind::Group) => &[K::Name, K::Class, K::Id, K::Description, K::Key, K::Pragma],
        Some(BlockKind::Attribute) => &[
            K::Name,
            K::Id,
            K::Description,
            K::Type,
            K::Access,
            K::Storage,
            K::Value,
        ],
        Some(BlockKind::Table) => &[K::Name, K::Id, K::Class],
    }
}

/// After `START` or `END`: the block kinds.
fn block_kinds() -> Vec<CompletionItem> {
    [
        Keyword::Component,
        Keyword::Path,
        Keyword::Enum,
        Keyword::Group,
        Keyword::Attribute,
        Keyword::Table,
    ]
    .iter()
    .map(|&k| keyword_item(k, CompletionItemKind::KEYWORD, k.as_str().to_string()))
    .collect()
}

/// After `KEYWORD =`: the values that keyword takes.
fn values(statement: Option<Keyword>, snippets: bool) -> Vec<CompletionItem> {
    use Keyword as K;
    let keywords: &[Keyword] = match statement {
        Some(K::Type) => &[
            K::Integer,
            K::Integer64,
            K::Counter,
            K::Counter64,
            K::Gauge,
            K::Date,
        ],
        Some(K::Access) => &[K::ReadOnly, K::ReadWrite, K::WriteOnly],
        Some(K::Storage) => &[K::Common, K::Specific],
        Some(K::Value) => &[K::Unsupported, K::Unknown],
        Some(k) if k.is_environment() => &[K::DirectInterface],
        _ => &[],
    };
    let mut items: Vec<CompletionItem> = keywords
        .iter()
        .map(|&k| keyword_item(k, CompletionItemKind::VALUE, k.as_str().to_string()))
        .collect();
    if statement == Some(K::Type) {
        for sized in [K::String, K::DisplayString, K::OctetString] {
            let name = sized.as_str();
            items.push(if snippets {
                snippet(
                    name,
                    &format!("{name}(${{1:64}})"),
                    CompletionItemKind::VALUE,
                )
            } else {
                keyword_item(sized, CompletionItemKind::VALUE, format!("{name}(64)"))
            });
        }
        if snippets {
            items.push(skeleton_item(&INLINE_ENUM));
        }
    }
    items
}

fn keyword_item(keyword: Keyword, kind: CompletionItemKind, insert: String) -> CompletionItem {
    CompletionItem {
        documentation: Some(markdown(super::hover::keyword_doc(keyword))),
        ..plain(keyword.as_str(), kind, &insert)
    }
}

fn plain(label: &str, kind: CompletionItemKind, insert: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        insert_text: Some(insert.to_string()),
        insert_text_format: Some(InsertTextFormat::PLAIN_TEXT),
        ..CompletionItem::default()
    }
}

fn snippet(label: &str, body: &str, kind: CompletionItemKind) -> CompletionItem {
    CompletionItem {
        insert_text_format: Some(InsertTextFormat::SNIPPET),
        ..plain(label, kind, body)
    }
}

fn markdown(text: &str) -> lsp_types::Documentation {
    lsp_types::Documentation::MarkupContent(lsp_types::MarkupContent {
        kind: lsp_types::MarkupKind::Markdown,
        value: text.to_string(),
    })
}

fn skeleton_item(skeleton: &Skeleton) -> CompletionItem {
    CompletionItem {
        detail: Some(skeleton.detail.to_string()),
        ..snippet(skeleton.label, skeleton.body, CompletionItemKind::SNIPPET)
    }
}

/// A block skeleton and the block it belongs in (`None`: the file's top).
struct Skeleton {
    label: &'static str,
    detail: &'static str,
    inside: Option<BlockKind>,
    body: &'static str,
}

const INLINE_ENUM: Skeleton = Skeleton {
    label: "START ENUM (inline)",
    detail: "an enum type for this attribute",
    inside: Some(BlockKind::Attribute),
    body: "START ENUM\n\t${1:0} = \"${2:text}\"\n\t$0\nEND ENUM",
};

const SKELETONS: &[Skeleton] = &[
    Skeleton {
        label: "START COMPONENT",
        detail: "the component block",
        inside: None,
        body: "START COMPONENT\n\tNAME = \"${1:name}\"\n\t$0\nEND COMPONENT",
    },
    Skeleton {
        label: "START GROUP",
        detail: "a group of attributes",
        inside: Some(BlockKind::Component),
        body: "START GROUP\n\tNAME = \"${1:name}\"\n\tID = ${2:1}\n\tCLASS = \"${3:body|name|1.0}\"\n\t$0\nEND GROUP",
    },
    Skeleton {
        label: "START GROUP ComponentID",
        detail: "the ComponentID group of a status MIF",
        inside: Some(BlockKind::Component),
        body: "START GROUP\n\tNAME = \"ComponentID\"\n\tID = 1\n\tCLASS = \"DMTF|ComponentID|1.0\"\n\
               \tSTART ATTRIBUTE\n\t\tNAME = \"Manufacturer\"\n\t\tID = 1\n\t\tACCESS = READ-ONLY\n\t\tSTORAGE = SPECIFIC\n\t\tTYPE = STRING(64)\n\t\tVALUE = \"${1:publisher}\"\n\tEND ATTRIBUTE\n\
               \tSTART ATTRIBUTE\n\t\tNAME = \"Product\"\n\t\tID = 2\n\t\tACCESS = READ-ONLY\n\t\tSTORAGE = SPECIFIC\n\t\tTYPE = STRING(64)\n\t\tVALUE = \"${2:product}\"\n\tEND ATTRIBUTE\n\
               \tSTART ATTRIBUTE\n\t\tNAME = \"Version\"\n\t\tID = 3\n\t\tACCESS = READ-ONLY\n\t\tSTORAGE = SPECIFIC\n\t\tTYPE = STRING(64)\n\t\tVALUE = \"${3:1.0}\"\n\tEND ATTRIBUTE\n\
               END GROUP",
    },
    Skeleton {
        label: "START GROUP InstallStatus",
        detail: "the SMS/ConfigMgr install status group",
        inside: Some(BlockKind::Component),
        body: "START GROUP\n\tNAME = \"InstallStatus\"\n\tID = 2\n\tCLASS = \"MICROSOFT|JOBSTATUS|1.0\"\n\
               \tSTART ATTRIBUTE\n\t\tNAME = \"Status\"\n\t\tID = 1\n\t\tACCESS = READ-ONLY\n\t\tSTORAGE = SPECIFIC\n\t\tTYPE = STRING(32)\n\t\tVALUE = \"${1|Success,Failed|}\"\n\tEND ATTRIBUTE\n\
               \tSTART ATTRIBUTE\n\t\tNAME = \"Description\"\n\t\tID = 2\n\t\tACCESS = READ-ONLY\n\t\tSTORAGE = SPECIFIC\n\t\tTYPE = STRING(128)\n\t\tVALUE = \"${2:description}\"\n\tEND ATTRIBUTE\n\
               END GROUP",
    },
    Skeleton {
        label: "START TABLE",
        detail: "rows of a template group",
        inside: Some(BlockKind::Component),
        body: "START TABLE\n\tNAME = \"${1:name}\"\n\tID = ${2:2}\n\tCLASS = \"${3:class of the template group}\"\n\t{ $0 }\nEND TABLE",
    },
    Skeleton {
        label: "START ENUM",
        detail: "a named enum",
        inside: Some(BlockKind::Component),
        body: "START ENUM\n\tNAME = \"${1:name}\"\n\tTYPE = INTEGER\n\t${2:0} = \"${3:text}\"\n\t$0\nEND ENUM",
    },
    Skeleton {
        label: "START PATH",
        detail: "where instrumentation code lives",
        inside: Some(BlockKind::Component),
        body: "START PATH\n\tNAME = \"${1:name}\"\n\t${2|WIN32,WIN9X,WINNT,WIN16,DOS,OS2,UNIX,MACOS|} = ${3:DIRECT-INTERFACE}\nEND PATH",
    },
    Skeleton {
        label: "START ATTRIBUTE",
        detail: "an attribute of the group",
        inside: Some(BlockKind::Group),
        body: "START ATTRIBUTE\n\tNAME = \"${1:name}\"\n\tID = ${2:1}\n\tACCESS = ${3|READ-ONLY,READ-WRITE,WRITE-ONLY|}\n\
               \tSTORAGE = ${4|SPECIFIC,COMMON|}\n\tTYPE = ${5:STRING(64)}\n\tVALUE = ${6:\"\"}\nEND ATTRIBUTE",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str, snippets: bool) -> Vec<String> {
        let offset = text.find('|').unwrap();
        let text = text.replacen('|', "", 1);
        let doc = Document::parse_str(&text);
        complete(&doc, offset, snippets)
            .into_iter()
            .map(|item| item.label)
            .collect()
    }

    #[test]
    fn the_top_of_a_file_offers_language_and_the_component() {
        assert_eq!(labels("|", true), ["LANGUAGE", "START COMPONENT"]);
        assert_eq!(labels("|", false), ["LANGUAGE"]);
    }

    #[test]
    fn inside_a_block_its_statements_end_and_child_skeletons() {
        let labels = labels(
            "START COMPONENT\n  START GROUP\n    |\n  END GROUP\nEND COMPONENT\n",
            true,
        );
        assert_eq!(
            labels,
            [
                "NAME",
                "CLASS",
                "ID",
                "DESCRIPTION",
                "KEY",
                "PRAGMA",
                "END GROUP",
                "START ATTRIBUTE"
            ]
        );
    }

    #[test]
    fn an_unclosed_block_still_counts_and_a_typed_prefix_is_ignored() {
        let labels = labels("START COMPONENT\n  NAME = \"x\"\n  STA|", true);
        assert!(
            labels.contains(&"START GROUP InstallStatus".to_string()),
            "{labels:?}"
        );
        assert!(labels.contains(&"END COMPONENT".to_string()), "{labels:?}");
    }

    #[test]
    fn after_start_and_after_equals_the_fitting_words() {
        assert_eq!(labels("START COMPONENT START |", true).len(), 6);
        assert_eq!(
            labels("START ATTRIBUTE ACCESS = re|", true),
            ["READ-ONLY", "READ-WRITE", "WRITE-ONLY"]
        );
        let types = labels("START ATTRIBUTE TYPE = |\nEND ATTRIBUTE", true);
        assert!(
            types.contains(&"STRING".to_string())
                && types.contains(&"START ENUM (inline)".to_string())
        );
        assert_eq!(labels("START PATH WIN32 = |", false), ["DIRECT-INTERFACE"]);
    }
}
