//! Class signatures (`status-mif-behaviour.md` rule N6): the shape of a
//! group class that the inventory loader turns into a table, one column
//! per attribute. ConfigMgr keeps a class as it first loaded it; a file
//! from another client that defines the same class with other attribute
//! names, IDs, types, lengths or keys is a "column or datatype mismatch"
//! and goes to `BadMifs`. Each file looks fine alone: only signatures
//! compared across files show it.

use std::fmt;

use crate::span::{LineIndex, Span};
use crate::syntax::{Block, BlockKind, Document, TypeExpr};

use super::types::{declared_size, type_name};

/// One attribute as the loader makes a column of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AttributeSignature {
    /// The attribute's ID; `None` when it has none.
    pub id: Option<i128>,
    /// Its name (the column's name); empty when it has none.
    pub name: String,
    /// Its type keyword: `STRING`, `INTEGER`, `COUNTER`, `DATE`, `ENUM`, ...
    #[serde(rename = "type")]
    pub data_type: String,
    /// The n of `STRING(n)`; `None` for the other types.
    pub length: Option<i128>,
    /// Whether the group's `KEY` names it.
    pub key: bool,
}

impl AttributeSignature {
    /// The type as written: `STRING(64)`, `INTEGER`.
    pub fn type_text(&self) -> String {
        match self.length {
            Some(length) => format!("{}({length})", self.data_type),
            None => self.data_type.clone(),
        }
    }
}

/// A group class as one file defines it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClassSignature {
    /// The `CLASS` string, which keys the inventory class.
    pub class: String,
    /// The name of the group that defines it.
    pub group: String,
    /// The attributes in file order.
    pub attributes: Vec<AttributeSignature>,
    /// The `KEY` attribute IDs, in `KEY` order.
    pub key: Vec<i128>,
    /// Where the defining group starts (`START GROUP`).
    #[serde(skip)]
    pub span: Span,
    /// Its line, from 1.
    pub line: usize,
}

/// How a class differs between two definitions: `here` is the one being
/// judged, `there` the one it is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// An attribute `there` has and `here` lacks.
    Missing {
        /// Its name.
        name: String,
    },
    /// An attribute `here` has and `there` lacks.
    Extra {
        /// Its name.
        name: String,
    },
    /// An attribute with another ID.
    Id {
        /// Its name.
        name: String,
        /// The ID here.
        here: Option<i128>,
        /// The ID there.
        there: Option<i128>,
    },
    /// An attribute with another type or length.
    Type {
        /// Its name.
        name: String,
        /// The type here (`STRING(32)`).
        here: String,
        /// The type there.
        there: String,
    },
    /// Another `KEY`: the key attributes' names, in `KEY` order.
    Key {
        /// The key here.
        here: Vec<String>,
        /// The key there.
        there: Vec<String>,
    },
}

impl Difference {
    /// The difference in words, with `there` naming the other definition
    /// (`in a.mif`).
    pub fn describe(&self, there: &str) -> String {
        let id = |id: &Option<i128>| id.map_or_else(|| "none".to_string(), |id| id.to_string());
        let key = |names: &[String]| {
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        };
        match self {
            Difference::Missing { name } => format!("attribute \"{name}\" is missing here"),
            Difference::Extra { name } => format!("attribute \"{name}\" is not {there}"),
            Difference::Id {
                name,
                here,
                there: theirs,
            } => format!(
                "attribute \"{name}\" has ID {} here, {} {there}",
                id(here),
                id(theirs)
            ),
            Difference::Type {
                name,
                here,
                there: theirs,
            } => format!("attribute \"{name}\" is {here} here, {theirs} {there}"),
            Difference::Key {
                here,
                there: theirs,
            } => format!("KEY is {} here, {} {there}", key(here), key(theirs)),
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe("there"))
    }
}

impl ClassSignature {
    /// The signature of one group; `None` for a group without a `CLASS`.
    pub fn of(group: &Block, lines: &LineIndex) -> Option<ClassSignature> {
        let class = group.class()?.to_string();
        let key: Vec<i128> = group
            .key()
            .unwrap_or_default()
            .iter()
            .filter_map(|k| k.value())
            .collect();
        let attributes = group
            .blocks_of(BlockKind::Attribute)
            .map(|attribute| {
                let id = attribute.id();
                let (data_type, length) = match attribute.data_type() {
                    Some(t) => (type_keyword(t), declared_size(t)),
                    None => (String::new(), None),
                };
                AttributeSignature {
                    id,
                    name: attribute.name().unwrap_or_default().to_string(),
                    data_type,
                    length,
                    key: id.is_some_and(|id| key.contains(&id)),
                }
            })
            .collect();
        Some(ClassSignature {
            class,
            group: group.name().unwrap_or_default().to_string(),
            attributes,
            key,
            span: group.head_span,
            line: lines.line_col(group.head_span.start).0,
        })
    }

    /// The names of the key attributes, in `KEY` order (`#n` for an ID no
    /// attribute has).
    pub fn key_names(&self) -> Vec<String> {
        self.key
            .iter()
            .map(|id| {
                self.attributes
                    .iter()
                    .find(|a| a.id == Some(*id))
                    .map_or_else(|| format!("#{id}"), |a| a.name.clone())
            })
            .collect()
    }

    /// How this definition differs from `there`'s, attributes matched by
    /// name; empty when the loader sees the same class.
    pub fn differences(&self, there: &ClassSignature) -> Vec<Difference> {
        let mut found = Vec::new();
        for theirs in &there.attributes {
            match self.attributes.iter().find(|a| a.name == theirs.name) {
                None => found.push(Difference::Missing {
                    name: theirs.name.clone(),
                }),
                Some(mine) => {
                    if mine.id != theirs.id {
                        found.push(Difference::Id {
                            name: mine.name.clone(),
                            here: mine.id,
                            there: theirs.id,
                        });
                    }
                    if mine.data_type != theirs.data_type || mine.length != theirs.length {
                        found.push(Difference::Type {
                            name: mine.name.clone(),
                            here: mine.type_text(),
                            there: theirs.type_text(),
                        });
                    }
                }
            }
        }
        for mine in &self.attributes {
            if !there.attributes.iter().any(|a| a.name == mine.name) {
                found.push(Difference::Extra {
                    name: mine.name.clone(),
                });
            }
        }
        let (here, there) = (self.key_names(), there.key_names());
        if here != there {
            found.push(Difference::Key { here, there });
        }
        found
    }

    /// One line per attribute, each whole on its own (so that `sort`,
    /// `diff` and `grep` work on them): class, ID, name, type, and `key`
    /// for a key attribute, separated by tabs.
    pub fn lines(&self) -> Vec<String> {
        self.attributes
            .iter()
            .map(|a| {
                let id = a.id.map_or_else(|| "-".to_string(), |id| id.to_string());
                let key = if a.key { "\tkey" } else { "" };
                format!(
                    "{}\t{id}\t\"{}\"\t{}{key}",
                    self.class,
                    a.name,
                    a.type_text()
                )
            })
            .collect()
    }
}

/// The type keyword of a type, without its size.
fn type_keyword(data_type: &TypeExpr) -> String {
    match data_type {
        TypeExpr::EnumRef(_) | TypeExpr::Enum(_) => "ENUM".into(),
        TypeExpr::String { .. } => {
            let name = type_name(data_type);
            name.split('(').next().unwrap_or_default().to_string()
        }
        other => type_name(other),
    }
}

/// The classes a file defines, each by the first group of that class (the
/// groups of a multi-instance class are instances of one definition).
pub fn signatures(doc: &Document) -> Vec<ClassSignature> {
    let lines = LineIndex::new(doc.text());
    let mut found: Vec<ClassSignature> = Vec::new();
    for group in doc.groups() {
        if let Some(signature) = ClassSignature::of(group, &lines) {
            if !found.iter().any(|s| s.class == signature.class) {
                found.push(signature);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> ClassSignature {
        let doc = Document::parse_str(text);
        signatures(&doc).remove(0)
    }

    const ASSET: &str = "START COMPONENT NAME = \"c\"\n\
        START GROUP NAME = \"Asset\" ID = 1 CLASS = \"ACME|Asset|1.0\" KEY = 1\n\
        START ATTRIBUTE NAME = \"Tag\" ID = 1 TYPE = STRING(32) VALUE = \"a\" END ATTRIBUTE\n\
        START ATTRIBUTE NAME = \"Size\" ID = 2 TYPE = INT VALUE = 1 END ATTRIBUTE\n\
        END GROUP END COMPONENT\n";

    #[test]
    fn a_signature_has_each_attribute_with_its_type_and_key() {
        let signature = one(ASSET);
        assert_eq!(signature.class, "ACME|Asset|1.0");
        assert_eq!(signature.line, 2);
        assert_eq!(
            signature.lines(),
            [
                "ACME|Asset|1.0\t1\t\"Tag\"\tSTRING(32)\tkey",
                "ACME|Asset|1.0\t2\t\"Size\"\tINTEGER"
            ]
        );
        assert!(signature.differences(&signature).is_empty());
    }

    #[test]
    fn differences_are_named_from_here() {
        let here = one(ASSET);
        let there = one(&ASSET
            .replace("STRING(32)", "STRING(64)")
            .replace("KEY = 1", "KEY = 2")
            .replace("\"Size\" ID = 2", "\"Count\" ID = 2"));
        let found: Vec<String> = here
            .differences(&there)
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            found,
            [
                "attribute \"Tag\" is STRING(32) here, STRING(64) there",
                "attribute \"Count\" is missing here",
                "attribute \"Size\" is not there",
                "KEY is Tag here, Count there"
            ]
        );
    }
}
