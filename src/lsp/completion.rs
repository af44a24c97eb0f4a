//! Completion: the keywords that fit where the cursor is, and skeletons
//! of whole `START ... END` blocks as snippets.

use std::borrow::Cow;

use lsp_types::{CompletionItem, CompletionItemKind, InsertTextFormat};

use crate::lexer::{Keyword, TokenKind};
use crate::model::classes::{COMPONENT_ID_CLASS, JOB_STATUS_CLASS};
use crate::model::status::{Field, STATUS_SIZE};
use crate::syntax::{statements_in, Block, BlockKind, Document, Item, StatementValue, TypeExpr};

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
    let mut items: Vec<CompletionItem> = statements_in(enclosing.map(|b| b.kind))
        .iter()
        .map(|&k| keyword_item(k, CompletionItemKind::KEYWORD, format!("{} = ", k.as_str())))
        .collect();
    if let Some(block) = enclosing {
        let end = format!("END {}", block.kind.name());
        items.push(plain(&end, CompletionItemKind::KEYWORD, &end));
    }
    if snippets {
        items.extend(
            skeletons()
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
        ..snippet(skeleton.label, &skeleton.body, CompletionItemKind::SNIPPET)
    }
}

/// A block skeleton and the block it belongs in (`None`: the file's top).
struct Skeleton {
    label: &'static str,
    detail: &'static str,
    inside: Option<BlockKind>,
    body: Cow<'static, str>,
}

const INLINE_ENUM: Skeleton = Skeleton {
    label: "START ENUM (inline)",
    detail: "an enum type for this attribute",
    inside: Some(BlockKind::Attribute),
    body: Cow::Borrowed("START ENUM\n\t${1:0} = \"${2:text}\"\n\t$0\nEND ENUM"),
};

/// The block skeletons; the status MIF groups in the layout `mif new`
/// writes, from the model's classes and limits.
fn skeletons() -> Vec<Skeleton> {
    vec![
    Skeleton {
        label: "START COMPONENT",
        detail: "the component block",
        inside: None,
        body: Cow::Borrowed("START COMPONENT\n\tNAME = \"${1:name}\"\n\t$0\nEND COMPONENT"),
    },
    Skeleton {
        label: "START GROUP",
        detail: "a group of attributes",
        inside: Some(BlockKind::Component),
        body: Cow::Borrowed("START GROUP\n\tNAME = \"${1:name}\"\n\tID = ${2:1}\n\tCLASS = \"${3:body|name|1.0}\"\n\t$0\nEND GROUP"),
    },
    Skeleton {
        label: "START GROUP ComponentID",
        detail: "the ComponentID group of a status MIF",
        inside: Some(BlockKind::Component),
        body: Cow::Owned(status_group(
            "ComponentID",
            1,
            COMPONENT_ID_CLASS,
            &[
                (Field::Manufacturer.attribute_name(), Field::Manufacturer.limit(), "${1:publisher}"),
                (Field::Product.attribute_name(), Field::Product.limit(), "${2:product}"),
                (Field::Version.attribute_name(), Field::Version.limit(), "${3:1.0}"),
            ],
        )),
    },
    Skeleton {
        label: "START GROUP InstallStatus",
        detail: "the SMS/ConfigMgr install status group",
        inside: Some(BlockKind::Component),
        body: Cow::Owned(status_group(
            "InstallStatus",
            2,
            JOB_STATUS_CLASS,
            &[
                ("Status", STATUS_SIZE, "${1|Success,Failed|}"),
                (
                    Field::Description.attribute_name(),
                    Field::Description.limit(),
                    "${2:description}",
                ),
            ],
        )),
    },
    Skeleton {
        label: "START TABLE",
        detail: "rows of a template group",
        inside: Some(BlockKind::Component),
        body: Cow::Borrowed("START TABLE\n\tNAME = \"${1:name}\"\n\tID = ${2:2}\n\tCLASS = \"${3:class of the template group}\"\n\t{ $0 }\nEND TABLE"),
    },
    Skeleton {
        label: "START ENUM",
        detail: "a named enum",
        inside: Some(BlockKind::Component),
        body: Cow::Borrowed("START ENUM\n\tNAME = \"${1:name}\"\n\tTYPE = INTEGER\n\t${2:0} = \"${3:text}\"\n\t$0\nEND ENUM"),
    },
    Skeleton {
        label: "START PATH",
        detail: "where instrumentation code lives",
        inside: Some(BlockKind::Component),
        body: Cow::Borrowed("START PATH\n\tNAME = \"${1:name}\"\n\t${2|WIN32,WIN9X,WINNT,WIN16,DOS,OS2,UNIX,MACOS|} = ${3:DIRECT-INTERFACE}\nEND PATH"),
    },
    Skeleton {
        label: "START ATTRIBUTE",
        detail: "an attribute of the group",
        inside: Some(BlockKind::Group),
        body: Cow::Borrowed("START ATTRIBUTE\n\tNAME = \"${1:name}\"\n\tID = ${2:1}\n\tACCESS = ${3|READ-ONLY,READ-WRITE,WRITE-ONLY|}\n\
               \tSTORAGE = ${4|SPECIFIC,COMMON|}\n\tTYPE = ${5:STRING(64)}\n\tVALUE = ${6:\"\"}\nEND ATTRIBUTE"),
    },
]
}

/// A group of string attributes, as `mif new` lays out a status MIF: each
/// attribute with its name, `STRING(n)` size and value placeholder.
fn status_group(name: &str, id: u32, class: &str, attributes: &[(&str, usize, &str)]) -> String {
    let mut body =
        format!("START GROUP\n\tNAME = \"{name}\"\n\tID = {id}\n\tCLASS = \"{class}\"\n");
    for (index, (attribute, size, value)) in attributes.iter().enumerate() {
        body.push_str(&format!(
            "\tSTART ATTRIBUTE\n\t\tNAME = \"{attribute}\"\n\t\tID = {}\n\t\tACCESS = READ-ONLY\n\t\t\
             STORAGE = SPECIFIC\n\t\tTYPE = STRING({size})\n\t\tVALUE = \"{value}\"\n\tEND ATTRIBUTE\n",
            index + 1
        ));
    }
    body.push_str("END GROUP");
    body
}

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

    /// A snippet with its placeholders taken as their defaults.
    fn expand(body: &str) -> String {
        let mut out = String::new();
        let mut rest = body;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            rest = &rest[at + 1..];
            if let Some(inner) = rest.strip_prefix('{') {
                let end = inner.find('}').unwrap();
                let placeholder = &inner[..end];
                let default = match placeholder.split_once(['|', ':']) {
                    Some((_, choices)) if placeholder.contains('|') => {
                        choices.split(',').next().unwrap()
                    }
                    Some((_, text)) => text,
                    None => "",
                };
                out.push_str(default);
                rest = &inner[end + 1..];
            } else {
                rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            }
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn skeletons_sit_where_the_grammar_allows_and_status_groups_check_clean() {
        for skeleton in skeletons() {
            let kind = skeleton.label.split(' ').nth(1).unwrap();
            assert!(
                crate::syntax::blocks_in(skeleton.inside)
                    .iter()
                    .any(|b| b.name() == kind),
                "{}",
                skeleton.label
            );
        }
        let groups: String = skeletons()
            .iter()
            .filter(|s| s.label.starts_with("START GROUP ") && s.label != "START GROUP")
            .map(|s| expand(&s.body) + "\n")
            .collect();
        let doc = Document::parse_str(&format!(
            "START COMPONENT\nNAME = \"c\"\n{groups}END COMPONENT\n"
        ));
        let found = crate::check(&doc, &crate::CheckOptions::default());
        assert_eq!(
            crate::model::Profile::detect(&doc, None),
            crate::model::Profile::Status
        );
        assert!(found.is_empty(), "{found:#?}");
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
