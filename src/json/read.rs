//! A parsed document as JSON.

use crate::lexer::Keyword;
use crate::model::inventory;
use crate::model::tables::{columns, template_of};
use crate::model::types::type_name;
use crate::model::Profile;
use crate::printer::trim_comment;
use crate::syntax::{Block, BlockKind, Document, Item, StatementValue, TypeExpr, Value};

use super::{
    IdmifHeaders, JsonAttribute, JsonColumn, JsonComponent, JsonDocument, JsonEnum, JsonEnumItem,
    JsonEnvironment, JsonError, JsonGroup, JsonPath, JsonTable, JsonTemplate, JsonValue,
    SCHEMA_VERSION,
};

pub(super) fn document(doc: &Document) -> Result<JsonDocument, JsonError> {
    let errors = doc.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        return Err(JsonError::Syntax { errors });
    }
    let component = doc.component().ok_or(JsonError::NoComponent)?;
    let header = |keyword| inventory::header(doc, keyword).map(|h| h.value.to_string());
    let idmif_headers = IdmifHeaders {
        architecture: header("Architecture"),
        unique_id: header("UniqueID"),
        agent_id: header("AgentID"),
    };
    let has_headers = idmif_headers.architecture.is_some()
        || idmif_headers.unique_id.is_some()
        || idmif_headers.agent_id.is_some();
    Ok(JsonDocument {
        schema_version: SCHEMA_VERSION,
        encoding: doc.source.encoding.into(),
        line_ending: doc.source.line_ending.map(Into::into).unwrap_or_default(),
        profile: Some(Profile::detect(doc, None).name().to_string()),
        header_comments: doc
            .header_comments()
            .map(|(_, text)| trim_comment(text).to_string())
            .collect(),
        idmif_headers: has_headers.then_some(idmif_headers),
        language: doc
            .language()
            .and_then(|statement| string(&statement.value)),
        component: read_component(doc, component),
    })
}

fn string(value: &StatementValue) -> Option<String> {
    match value {
        StatementValue::String(s) => Some(s.value.to_string()),
        _ => None,
    }
}

fn integer(value: &StatementValue) -> Option<i128> {
    match value {
        StatementValue::Integer(int) => int.value(),
        _ => None,
    }
}

/// The first statement's value, as the rest of `mif` reads a block.
fn text_of(block: &Block, keyword: Keyword) -> Option<String> {
    block.string_of(keyword).map(str::to_string)
}

fn read_component(doc: &Document, component: &Block) -> JsonComponent {
    let groups: Vec<&Block> = component.blocks_of(BlockKind::Group).collect();
    JsonComponent {
        name: text_of(component, Keyword::Name),
        description: text_of(component, Keyword::Description),
        pragma: text_of(component, Keyword::Pragma),
        paths: component
            .blocks_of(BlockKind::Path)
            .map(read_path)
            .collect(),
        enums: component
            .blocks_of(BlockKind::Enum)
            .map(read_enum)
            .collect(),
        groups: groups.iter().map(|g| read_group(doc, g)).collect(),
        tables: component
            .blocks_of(BlockKind::Table)
            .map(|table| read_table(component, &groups, table))
            .collect(),
    }
}

fn read_path(path: &Block) -> JsonPath {
    JsonPath {
        name: text_of(path, Keyword::Name),
        environments: path
            .statements()
            .filter(|s| s.keyword.is_environment())
            .filter_map(|s| {
                let value = match &s.value {
                    StatementValue::String(text) => JsonValue::Text(text.value.to_string()),
                    StatementValue::Keyword(keyword, _) => {
                        JsonValue::Keyword(keyword.as_str().to_string())
                    }
                    _ => return None,
                };
                Some(JsonEnvironment {
                    environment: s.keyword.as_str().to_string(),
                    value,
                })
            })
            .collect(),
    }
}

fn read_enum(block: &Block) -> JsonEnum {
    JsonEnum {
        name: text_of(block, Keyword::Name),
        data_type: block.data_type().map(type_name),
        items: block
            .items
            .iter()
            .filter_map(|item| match item {
                Item::EnumItem(e) => Some(JsonEnumItem {
                    value: e.value.value()?,
                    text: e.text.as_ref()?.value.to_string(),
                }),
                _ => None,
            })
            .collect(),
    }
}

fn read_group(doc: &Document, group: &Block) -> JsonGroup {
    JsonGroup {
        name: text_of(group, Keyword::Name),
        class: text_of(group, Keyword::Class),
        id: group.statement(Keyword::Id).and_then(|s| integer(&s.value)),
        key: group
            .key()
            .map(|keys| keys.iter().filter_map(|k| k.value()).collect()),
        description: text_of(group, Keyword::Description),
        pragma: text_of(group, Keyword::Pragma),
        attributes: group
            .blocks_of(BlockKind::Attribute)
            .map(|a| read_attribute(doc, a))
            .collect(),
    }
}

fn keyword(block: &Block, keyword: Keyword) -> Option<String> {
    match &block.statement(keyword)?.value {
        StatementValue::Keyword(k, _) => Some(k.as_str().to_string()),
        _ => None,
    }
}

fn read_attribute(doc: &Document, attribute: &Block) -> JsonAttribute {
    let mut json = JsonAttribute {
        name: text_of(attribute, Keyword::Name),
        id: attribute
            .statement(Keyword::Id)
            .and_then(|s| integer(&s.value)),
        description: text_of(attribute, Keyword::Description),
        pragma: text_of(attribute, Keyword::Pragma),
        access: keyword(attribute, Keyword::Access),
        storage: keyword(attribute, Keyword::Storage),
        value: attribute.value().and_then(value),
        written: attribute
            .value()
            .map(|v| doc.text()[v.span().range()].to_string()),
        ..JsonAttribute::default()
    };
    match attribute.data_type() {
        Some(TypeExpr::EnumRef(name)) => {
            json.data_type = Some("ENUM".into());
            json.enum_name = Some(name.value.to_string());
        }
        Some(TypeExpr::Enum(inline)) => {
            json.data_type = Some("ENUM".into());
            json.inline_enum = Some(read_enum(inline));
        }
        Some(data_type @ TypeExpr::String { size, .. }) => {
            let name = type_name(data_type);
            json.data_type = name.split('(').next().map(str::to_string);
            json.length = size.as_ref().and_then(|s| s.value());
        }
        Some(other) => json.data_type = Some(type_name(other)),
        None => {}
    }
    json
}

/// A value as JSON; `None` for an integer whose spelling is invalid (a
/// syntax error, so never in a document that is read).
pub(super) fn value(value: &Value) -> Option<JsonValue> {
    Some(match value {
        Value::Integer(int) => JsonValue::Integer(int.value()?),
        Value::String(text) => JsonValue::Text(text.value.to_string()),
        Value::Path { name, .. } => JsonValue::Path(name.value.to_string()),
        Value::Unknown(_) => JsonValue::Keyword(Keyword::Unknown.as_str().to_string()),
        Value::Unsupported(_) => JsonValue::Keyword(Keyword::Unsupported.as_str().to_string()),
    })
}

fn read_table(component: &Block, groups: &[&Block], table: &Block) -> JsonTable {
    let template = template_of(component, table).ok().map(|template| {
        let index = groups
            .iter()
            .position(|g| std::ptr::eq(*g, template))
            .unwrap_or_default();
        JsonTemplate {
            group: text_of(template, Keyword::Name),
            index,
            columns: columns(template)
                .unwrap_or_default()
                .into_iter()
                .map(|attribute| JsonColumn {
                    id: attribute.id(),
                    name: text_of(attribute, Keyword::Name),
                })
                .collect(),
        }
    });
    JsonTable {
        name: text_of(table, Keyword::Name),
        id: table.statement(Keyword::Id).and_then(|s| integer(&s.value)),
        class: text_of(table, Keyword::Class),
        template,
        rows: crate::model::tables::rows(table)
            .map(|row| {
                row.cells
                    .iter()
                    .map(|cell| cell.as_ref().and_then(value))
                    .collect()
            })
            .collect(),
    }
}
