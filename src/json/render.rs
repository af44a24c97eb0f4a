//! A JSON document as MIF text: written plainly, then laid out by the
//! printer in the canonical style of `mif fmt`.

use crate::lexer::Keyword;
use crate::printer::{format, FormatOptions};
use crate::source::{Encoding, LineEnding, Source};
use crate::syntax::{encode_string_for, Document};

use super::{
    JsonAttribute, JsonDocument, JsonEnum, JsonError, JsonGroup, JsonPlace, JsonValue,
    SCHEMA_VERSION,
};

/// The MIF written from a JSON document.
pub(super) struct Rendered {
    /// The canonical text (decoded; the JSON's encoding says how to write it).
    pub text: String,
    /// The text parsed.
    pub document: Document,
}

pub(super) fn document(json: &JsonDocument) -> Result<Rendered, JsonError> {
    if json.schema_version != SCHEMA_VERSION {
        return Err(JsonError::Version(json.schema_version));
    }
    let encoding = Encoding::from(json.encoding);
    let newline = LineEnding::from(json.line_ending).as_str();
    let mut out = Writer {
        text: String::new(),
        newline,
        wide: encoding.is_wide(),
    };
    out.write(json)?;
    let plain = Document::from_source(Source::from_text(out.text, encoding));
    // The printer lays out what was written plainly; a document it
    // refuses (a JSON value MIF cannot parse back) is reported as such.
    let text = format(&plain, &FormatOptions::default()).map_err(|error| JsonError::Field {
        place: JsonPlace::default().field("component"),
        message: format!("the MIF written from it does not read back: {error}"),
    })?;
    let document = Document::from_source(Source::from_text(text.clone(), encoding));
    Ok(Rendered { text, document })
}

/// Plain MIF text, one statement per line.
struct Writer {
    text: String,
    newline: &'static str,
    wide: bool,
}

fn field_error(place: &JsonPlace, message: impl Into<String>) -> JsonError {
    JsonError::Field {
        place: place.clone(),
        message: message.into(),
    }
}

/// The keyword a JSON field names (`READ-ONLY`, `win32`), in any case.
fn keyword_named(text: &str) -> Option<Keyword> {
    Keyword::parse(text.trim())
}

impl Writer {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push_str(self.newline);
    }

    fn quoted(&self, text: &str) -> String {
        encode_string_for(text, self.wide)
    }

    fn string(&mut self, keyword: &str, value: &Option<String>) {
        if let Some(value) = value {
            let line = format!("{keyword} = {}", self.quoted(value));
            self.line(&line);
        }
    }

    fn integer(&mut self, keyword: &str, value: Option<i128>) {
        if let Some(value) = value {
            self.line(&format!("{keyword} = {value}"));
        }
    }

    fn write(&mut self, json: &JsonDocument) -> Result<(), JsonError> {
        let top = JsonPlace::default();
        if let Some(profile) = &json.profile {
            if crate::model::Profile::named(profile).is_none() {
                return Err(field_error(
                    &top.field("profile"),
                    format!("{profile:?} is not a profile; use dmi, status, noidmif or idmif"),
                ));
            }
        }
        for (index, comment) in json.header_comments.iter().enumerate() {
            let place = top.field("header_comments").index(index);
            if !comment.starts_with("//") {
                return Err(field_error(
                    &place,
                    format!("{comment:?} is not a comment; comments start with //"),
                ));
            }
            if comment.contains(['\r', '\n']) {
                return Err(field_error(
                    &place,
                    "a comment is one line; give each line its own entry",
                ));
            }
            self.line(comment);
        }
        self.string("LANGUAGE", &json.language);
        let component = &json.component;
        let here = top.field("component");
        self.line("START COMPONENT");
        self.string("NAME", &component.name);
        self.string("DESCRIPTION", &component.description);
        self.string("PRAGMA", &component.pragma);
        for (index, path) in component.paths.iter().enumerate() {
            let place = here.field("paths").index(index);
            self.line("START PATH");
            self.string("NAME", &path.name);
            for (index, environment) in path.environments.iter().enumerate() {
                let place = place.field("environments").index(index);
                let keyword = keyword_named(&environment.environment)
                    .filter(|k| k.is_environment())
                    .ok_or_else(|| {
                        field_error(
                            &place.field("environment"),
                            format!(
                                "{:?} is not an environment; use WIN32, WIN9X, WINNT, WIN16, \
                                 DOS, OS2, UNIX or MACOS",
                                environment.environment
                            ),
                        )
                    })?;
                let target = match &environment.value {
                    JsonValue::Text(path) => self.quoted(path),
                    JsonValue::Keyword(word)
                        if keyword_named(word) == Some(Keyword::DirectInterface) =>
                    {
                        Keyword::DirectInterface.as_str().to_string()
                    }
                    _ => {
                        return Err(field_error(
                            &place.field("value"),
                            "a path is text, or {\"keyword\": \"DIRECT-INTERFACE\"}",
                        ))
                    }
                };
                self.line(&format!("{} = {target}", keyword.as_str()));
            }
            self.line("END PATH");
        }
        for (index, definition) in component.enums.iter().enumerate() {
            self.enumeration("START ENUM", definition, &here.field("enums").index(index))?;
        }
        for (index, group) in component.groups.iter().enumerate() {
            self.group(group, &here.field("groups").index(index))?;
        }
        for (index, table) in component.tables.iter().enumerate() {
            let place = here.field("tables").index(index);
            self.line("START TABLE");
            self.string("NAME", &table.name);
            self.integer("ID", table.id);
            self.string("CLASS", &table.class);
            for (index, row) in table.rows.iter().enumerate() {
                let place = place.field("rows").index(index);
                let mut cells = Vec::with_capacity(row.len());
                for (index, cell) in row.iter().enumerate() {
                    cells.push(match cell {
                        Some(value) => self.value(value, &place.index(index))?,
                        None => String::new(),
                    });
                }
                self.line(&format!("{{{}}}", cells.join(", ")));
            }
            self.line("END TABLE");
        }
        self.line("END COMPONENT");
        Ok(())
    }

    /// An enum block; `head` is its first line (`START ENUM`, or `TYPE =
    /// START ENUM` inline).
    fn enumeration(
        &mut self,
        head: &str,
        definition: &JsonEnum,
        place: &JsonPlace,
    ) -> Result<(), JsonError> {
        self.line(head);
        self.string("NAME", &definition.name);
        if let Some(data_type) = &definition.data_type {
            let keyword = keyword_named(data_type)
                .filter(|k| crate::syntax::IntType::from_keyword(*k).is_some())
                .ok_or_else(|| {
                    field_error(
                        &place.field("type"),
                        format!("{data_type:?} is not an integer type; an enum's TYPE is INTEGER"),
                    )
                })?;
            self.line(&format!("TYPE = {}", keyword.as_str()));
        }
        for item in &definition.items {
            let line = format!("{} = {}", item.value, self.quoted(&item.text));
            self.line(&line);
        }
        self.line("END ENUM");
        Ok(())
    }

    fn group(&mut self, group: &JsonGroup, place: &JsonPlace) -> Result<(), JsonError> {
        self.line("START GROUP");
        self.string("NAME", &group.name);
        self.integer("ID", group.id);
        self.string("CLASS", &group.class);
        if let Some(key) = &group.key {
            if key.is_empty() {
                return Err(field_error(
                    &place.field("key"),
                    "an empty KEY; give the key attributes' IDs, or leave the field out",
                ));
            }
            let ids: Vec<String> = key.iter().map(i128::to_string).collect();
            self.line(&format!("KEY = {}", ids.join(", ")));
        }
        self.string("DESCRIPTION", &group.description);
        self.string("PRAGMA", &group.pragma);
        for (index, attribute) in group.attributes.iter().enumerate() {
            self.attribute(attribute, &place.field("attributes").index(index))?;
        }
        self.line("END GROUP");
        Ok(())
    }

    fn attribute(&mut self, attribute: &JsonAttribute, place: &JsonPlace) -> Result<(), JsonError> {
        self.line("START ATTRIBUTE");
        self.string("NAME", &attribute.name);
        self.integer("ID", attribute.id);
        self.string("DESCRIPTION", &attribute.description);
        self.string("PRAGMA", &attribute.pragma);
        for (field, keyword, allowed) in [
            (
                "access",
                &attribute.access,
                &[Keyword::ReadOnly, Keyword::ReadWrite, Keyword::WriteOnly][..],
            ),
            (
                "storage",
                &attribute.storage,
                &[Keyword::Common, Keyword::Specific][..],
            ),
        ] {
            let Some(text) = keyword else { continue };
            // ACCESS = UNKNOWN or UNSUPPORTED is read with a warning;
            // written back as read.
            let unusual = field == "access"
                && matches!(
                    keyword_named(text),
                    Some(Keyword::Unknown | Keyword::Unsupported)
                );
            let Some(found) = keyword_named(text).filter(|k| allowed.contains(k) || unusual) else {
                let names: Vec<&str> = allowed.iter().map(|k| k.as_str()).collect();
                return Err(field_error(
                    &place.field(field),
                    format!("{text:?} is not one of {}", names.join(", ")),
                ));
            };
            self.line(&format!(
                "{} = {}",
                field.to_ascii_uppercase(),
                found.as_str()
            ));
        }
        if let Some(data_type) = self.data_type(attribute, place)? {
            self.line(&format!("TYPE = {data_type}"));
        } else if let Some(inline) = &attribute.inline_enum {
            self.enumeration("TYPE = START ENUM", inline, &place.field("inline_enum"))?;
        }
        if let Some(value) = &attribute.value {
            let value = self.value(value, &place.field("value"))?;
            self.line(&format!("VALUE = {value}"));
        }
        self.line("END ATTRIBUTE");
        Ok(())
    }

    /// The TYPE statement's value, except for an inline enum (`None`,
    /// written as a block).
    fn data_type(
        &self,
        attribute: &JsonAttribute,
        place: &JsonPlace,
    ) -> Result<Option<String>, JsonError> {
        let here = place.field("type");
        let Some(name) = &attribute.data_type else {
            if attribute.length.is_some()
                || attribute.enum_name.is_some()
                || attribute.inline_enum.is_some()
            {
                return Err(field_error(&here, "give the type with its length or enum"));
            }
            return Ok(None);
        };
        let keyword = keyword_named(name);
        let sized = matches!(
            keyword,
            Some(Keyword::String | Keyword::DisplayString | Keyword::OctetString)
        );
        if sized != attribute.length.is_some() {
            return Err(field_error(
                &place.field("length"),
                if sized {
                    format!("{name} needs a length (octets): \"length\": 64")
                } else {
                    format!("only string types have a length, not {name}")
                },
            ));
        }
        let is_enum = name.trim().eq_ignore_ascii_case("ENUM");
        if !is_enum && (attribute.enum_name.is_some() || attribute.inline_enum.is_some()) {
            return Err(field_error(
                &here,
                format!("an enum is given, so the type is ENUM, not {name}"),
            ));
        }
        if is_enum {
            return match (&attribute.enum_name, &attribute.inline_enum) {
                (Some(enum_name), None) => Ok(Some(self.quoted(enum_name))),
                (None, Some(_)) => Ok(None),
                _ => Err(field_error(
                    &here,
                    "an ENUM type needs either \"enum\" (a named enum) or \"inline_enum\"",
                )),
            };
        }
        match keyword {
            Some(k) if sized => Ok(Some(format!(
                "{}({})",
                k.as_str(),
                attribute.length.unwrap_or_default()
            ))),
            Some(k @ Keyword::Date) => Ok(Some(k.as_str().to_string())),
            Some(k) if crate::syntax::IntType::from_keyword(k).is_some() => {
                Ok(Some(k.as_str().to_string()))
            }
            _ => Err(field_error(
                &here,
                format!(
                    "{name:?} is not a MIF type; use STRING, DISPLAYSTRING, OCTETSTRING, INTEGER, \
                     INTEGER64, COUNTER, COUNTER64, GAUGE, DATE or ENUM"
                ),
            )),
        }
    }

    fn value(&self, value: &JsonValue, place: &JsonPlace) -> Result<String, JsonError> {
        Ok(match value {
            JsonValue::Text(text) => self.quoted(text),
            JsonValue::Integer(int) => int.to_string(),
            JsonValue::Path(name) => format!("* {}", self.quoted(name)),
            JsonValue::Keyword(word) => match keyword_named(word) {
                Some(k @ (Keyword::Unknown | Keyword::Unsupported)) => k.as_str().to_string(),
                _ => {
                    return Err(field_error(
                        place,
                        format!("{word:?} is not a value keyword; use UNKNOWN or UNSUPPORTED"),
                    ))
                }
            },
        })
    }
}
