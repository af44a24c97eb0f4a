//! Addresses: which group (or table row) and which attribute a value
//! lives in, and finding them in a document.
//!
//! The compact form, as `mif get` and `mif set --set` take it:
//!
//! ```text
//! address = group [ "[" key { "," key } "]" ] [ "." attribute ]
//! ```
//!
//! A group (or table) and an attribute are each a name or an ID: a part of
//! digits only is an ID, anything else a name, compared ignoring case.
//! Quote a part (`"2"`, `"a.b"`) to take it as a name verbatim; inside
//! quotes `\"` and `\\` stand for `"` and `\`. A table row is picked by the
//! values of its key attributes, in the template's `KEY` order. Examples:
//! `InstallStatus.Status`, `2.1`, `"Fan table"[1].State`,
//! `ComponentID.Serial Number`.

use std::fmt;
use std::str::FromStr;

use crate::lexer::Keyword;
use crate::model::tables::{self, KeyValue};
use crate::syntax::{edit_distance, Block, BlockKind, Document, Row, Value};

/// How a group, table or attribute is picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// By `ID`.
    Id(u32),
    /// By `NAME`, ignoring case.
    Name(String),
    /// By `CLASS`, ignoring case (only groups and tables have one).
    Class(String),
}

impl Selector {
    /// A part of an address: digits make an ID unless quoted.
    fn from_part(part: Part) -> Selector {
        if !part.quoted && !part.text.is_empty() && part.text.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(id) = part.text.parse() {
                return Selector::Id(id);
            }
        }
        Selector::Name(part.text)
    }

    fn matches(&self, block: &Block) -> bool {
        match self {
            Selector::Id(id) => block.id() == Some(i128::from(*id)),
            Selector::Name(name) => block.name().is_some_and(|n| n.eq_ignore_ascii_case(name)),
            Selector::Class(class) => block.class().is_some_and(|c| c.eq_ignore_ascii_case(class)),
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Id(id) => write!(f, "{id}"),
            Selector::Name(name) => write_part(f, name, true),
            Selector::Class(class) => write!(f, "CLASS {class:?}"),
        }
    }
}

/// Where a value is: a group or a table row, and optionally one attribute
/// (without one, the address means all attributes of the group or row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// The group or table.
    pub group: Selector,
    /// Key values of a table row, in the template's `KEY` order; empty
    /// for a group.
    pub row: Vec<String>,
    /// The attribute; `None` means every attribute of the group or row.
    pub attribute: Option<Selector>,
}

impl Address {
    /// The address of one attribute of a group.
    pub fn attribute(group: Selector, attribute: Selector) -> Address {
        Address {
            group,
            row: Vec::new(),
            attribute: Some(attribute),
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.group)?;
        if !self.row.is_empty() {
            f.write_str("[")?;
            for (i, key) in self.row.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write_part(f, key, false)?;
            }
            f.write_str("]")?;
        }
        if let Some(attribute) = &self.attribute {
            write!(f, ".{attribute}")?;
        }
        Ok(())
    }
}

/// Write a part so that it parses back to itself; a name of digits only
/// is quoted so that it does not read as an ID.
fn write_part(f: &mut fmt::Formatter<'_>, text: &str, is_name: bool) -> fmt::Result {
    let needs_quotes = text.is_empty()
        || (is_name && text.bytes().all(|b| b.is_ascii_digit()))
        || text.contains(['.', '[', ']', ',', '"', '=', '\\'])
        || text.trim() != text;
    if !needs_quotes {
        f.write_str(text)
    } else {
        write!(f, "\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

impl FromStr for Address {
    type Err = AddressError;

    fn from_str(text: &str) -> Result<Address, AddressError> {
        let syntax = |why: &str| AddressError::Syntax {
            address: text.to_string(),
            why: why.to_string(),
        };
        let mut chars = text.chars().peekable();
        let group = read_part(&mut chars, &['.', '['], &syntax)?;
        if group.text.is_empty() && !group.quoted {
            return Err(syntax("the group is missing"));
        }
        let mut row = Vec::new();
        if chars.peek() == Some(&'[') {
            chars.next();
            loop {
                let key = read_part(&mut chars, &[',', ']'], &syntax)?;
                row.push(key.text);
                match chars.next() {
                    Some(',') => continue,
                    Some(']') => break,
                    _ => return Err(syntax("a `[` without its `]`")),
                }
            }
        }
        let attribute = match chars.next() {
            None => None,
            Some('.') => {
                let part = read_part(&mut chars, &[], &syntax)?;
                if part.text.is_empty() && !part.quoted {
                    return Err(syntax("nothing after the `.`"));
                }
                Some(Selector::from_part(part))
            }
            Some(c) => return Err(syntax(&format!("unexpected `{c}` after the group"))),
        };
        if chars.next().is_some() {
            return Err(syntax("text after the closing quote of the attribute"));
        }
        Ok(Address {
            group: Selector::from_part(group),
            row,
            attribute,
        })
    }
}

/// One part of an address, as written.
struct Part {
    text: String,
    quoted: bool,
}

/// Read a part up to one of `stops` (not consumed): a quoted string, or
/// plain text trimmed of surrounding blanks.
fn read_part(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    stops: &[char],
    syntax: &dyn Fn(&str) -> AddressError,
) -> Result<Part, AddressError> {
    while chars.peek().is_some_and(|c| *c == ' ') {
        chars.next();
    }
    if chars.peek() == Some(&'"') {
        chars.next();
        let mut text = String::new();
        loop {
            match chars.next() {
                Some('"') => break,
                Some('\\') => match chars.next() {
                    Some(c) => text.push(c),
                    None => return Err(syntax("a quote that is never closed")),
                },
                Some(c) => text.push(c),
                None => return Err(syntax("a quote that is never closed")),
            }
        }
        while chars.peek().is_some_and(|c| *c == ' ') {
            chars.next();
        }
        return Ok(Part { text, quoted: true });
    }
    let mut text = String::new();
    while let Some(&c) = chars.peek() {
        if stops.contains(&c) {
            break;
        }
        if c == '"' {
            return Err(syntax(
                "a quote in the middle of a name (quote the whole name)",
            ));
        }
        text.push(c);
        chars.next();
    }
    Ok(Part {
        text: text.trim().to_string(),
        quoted: false,
    })
}

/// An address that does not fit the document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// The text is not an address (from [`Address::from_str`]).
    #[error("cannot read address `{address}`: {why}")]
    Syntax {
        /// The text as given.
        address: String,
        /// What is wrong with it.
        why: String,
    },
    /// The document has no `START COMPONENT` block to look in.
    #[error("the file has no component")]
    NoComponent,
    /// Nothing matches a part of the address.
    #[error("no {what} {wanted}{}", nearest_list(.nearest))]
    NotFound {
        /// What was looked for: "group or table", "attribute", "table".
        what: &'static str,
        /// The part of the address that found nothing.
        wanted: String,
        /// The closest names there are, best first.
        nearest: Vec<String>,
    },
    #[error("{wanted} matches several {what}s: {}; pick one by ID", .candidates.join(", "))]
    /// More than one block (or row) matches; an ID picks one.
    Ambiguous {
        /// What was looked for, as in [`AddressError::NotFound`].
        what: &'static str,
        /// The part of the address that matched more than once.
        wanted: String,
        /// Every match, by name and ID.
        candidates: Vec<String>,
    },
    #[error("{0} is a table: pick a row by its key, e.g. `{0}[1].ATTRIBUTE`")]
    /// The address names a table but no row (the table's name as given).
    RowNeeded(String),
    #[error("{0} has no rows in the file: it is not a table nor the template of one")]
    /// The address gives a row of a group with no table (the group).
    NotATable(String),
    #[error(
        "table {0} has no template group (a keyed GROUP with the same CLASS defined before it)"
    )]
    /// A table with no template group, so its columns are unknown (the
    /// table).
    NoTemplate(String),
    #[error(
        "the cells of {0} have no known order: each attribute of its template needs its own ID"
    )]
    /// A table whose template's attributes do not all have their own ID,
    /// so the cells cannot be matched to them (the table).
    NoColumns(String),
    #[error(
        "table {table} is keyed by {expected} attribute(s) but {given} key value(s) were given"
    )]
    /// The row gives a different number of key values than the
    /// template's `KEY` has IDs.
    KeyCount {
        /// The table.
        table: String,
        /// How many IDs the template's `KEY` has.
        expected: usize,
        /// How many key values the address gives.
        given: usize,
    },
}

fn nearest_list(nearest: &[String]) -> String {
    if nearest.is_empty() {
        String::new()
    } else {
        format!("; nearest: {}", nearest.join(", "))
    }
}

/// What an address resolved to.
pub(crate) struct Resolved<'a> {
    /// The group, or the table holding the row.
    pub group: &'a Block,
    pub row: Option<&'a Row>,
    /// The template's attributes in cell order, for a row.
    pub columns: Vec<&'a Block>,
    /// The addressed attribute, or all of them in file order.
    pub attributes: Vec<&'a Block>,
}

impl Document {
    /// Find what `address` names.
    pub(crate) fn resolve(&self, address: &Address) -> Result<Resolved<'_>, AddressError> {
        let component = self.component().ok_or(AddressError::NoComponent)?;
        let groups: Vec<&Block> = component
            .blocks()
            .filter(|b| matches!(b.kind, BlockKind::Group | BlockKind::Table))
            .collect();
        let mut group = pick(&groups, &address.group, "group or table")?;
        let mut template = group;
        if group.kind == BlockKind::Table {
            if address.row.is_empty() {
                return Err(AddressError::RowNeeded(address.group.to_string()));
            }
            template = tables::template_of(component, group)
                .map_err(|_| AddressError::NoTemplate(label(group)))?;
        } else if !address.row.is_empty() {
            let tables = tables::tables_of(component, group);
            match tables.as_slice() {
                [] => return Err(AddressError::NotATable(label(group))),
                [table] => group = table,
                many => {
                    return Err(AddressError::Ambiguous {
                        what: "table",
                        wanted: format!("the template {}", label(group)),
                        candidates: many.iter().map(|t| label(t)).collect(),
                    })
                }
            }
        }
        let (row, columns) = if group.kind == BlockKind::Table {
            let columns =
                tables::columns(template).ok_or_else(|| AddressError::NoColumns(label(group)))?;
            (
                Some(find_row(group, template, &columns, &address.row)?),
                columns,
            )
        } else {
            (None, Vec::new())
        };
        let all: Vec<&Block> = template.blocks_of(BlockKind::Attribute).collect();
        let attributes = match &address.attribute {
            Some(selector) => vec![pick(&all, selector, "attribute")?],
            None => all,
        };
        Ok(Resolved {
            group,
            row,
            columns,
            attributes,
        })
    }
}

/// The one block `selector` picks, or an error naming the nearest ones.
fn pick<'a>(
    blocks: &[&'a Block],
    selector: &Selector,
    what: &'static str,
) -> Result<&'a Block, AddressError> {
    let found: Vec<&Block> = blocks
        .iter()
        .copied()
        .filter(|b| selector.matches(b))
        .collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(AddressError::NotFound {
            what,
            wanted: selector.to_string(),
            nearest: nearest(selector, blocks),
        }),
        many => Err(AddressError::Ambiguous {
            what,
            wanted: selector.to_string(),
            candidates: many.iter().map(|b| label(b)).collect(),
        }),
    }
}

/// Up to five blocks closest to what was asked for, as labels.
fn nearest(selector: &Selector, blocks: &[&Block]) -> Vec<String> {
    let distance = |b: &Block| match selector {
        Selector::Id(id) => b.id().map_or(usize::MAX, |own| {
            usize::try_from((own - i128::from(*id)).unsigned_abs()).unwrap_or(usize::MAX)
        }),
        Selector::Name(name) => b.name().map_or(usize::MAX, |own| {
            edit_distance(&own.to_lowercase(), &name.to_lowercase())
        }),
        Selector::Class(class) => b.class().map_or(usize::MAX, |own| {
            edit_distance(&own.to_lowercase(), &class.to_lowercase())
        }),
    };
    let mut ranked: Vec<(usize, &Block)> = blocks.iter().map(|b| (distance(b), *b)).collect();
    ranked.sort_by_key(|(d, _)| *d);
    ranked.into_iter().take(5).map(|(_, b)| label(b)).collect()
}

/// How a block is named in messages: `"Name" (ID 2)`.
pub(crate) fn label(block: &Block) -> String {
    let name = block.name().map_or_else(
        || format!("unnamed {}", block.kind.name()),
        |n| format!("{n:?}"),
    );
    match block.id() {
        Some(id) => format!("{name} (ID {id})"),
        None => name,
    }
}

/// The row whose key cells equal `keys` (typed values, in `KEY` order).
fn find_row<'a>(
    table: &'a Block,
    template: &Block,
    columns: &[&Block],
    keys: &[String],
) -> Result<&'a Row, AddressError> {
    let key_columns = tables::key_columns(template, columns);
    if key_columns.len() != keys.len() {
        return Err(AddressError::KeyCount {
            table: label(table),
            expected: key_columns.len(),
            given: keys.len(),
        });
    }
    let key_text = |row: &Row| -> Vec<String> {
        key_columns
            .iter()
            .map(|&column| {
                tables::cell_or_default(row, columns, column)
                    .map_or_else(|| "?".to_string(), value_text)
            })
            .collect()
    };
    let named = |row: &Row| {
        key_columns.iter().zip(keys).all(|(&column, wanted)| {
            tables::cell_or_default(row, columns, column)
                .and_then(KeyValue::of)
                .is_some_and(|value| value.is_named_by(wanted))
        })
    };
    let rows: Vec<&Row> = tables::rows(table).collect();
    let found: Vec<&Row> = rows.iter().copied().filter(|row| named(row)).collect();
    let wanted = format!("row [{}] in {}", keys.join(","), label(table));
    match found.as_slice() {
        [one] => Ok(one),
        [] => {
            let mut ranked: Vec<(usize, String)> = rows
                .iter()
                .map(|r| {
                    let text = key_text(r).join(",");
                    (edit_distance(&text, &keys.join(",")), format!("[{text}]"))
                })
                .collect();
            ranked.sort_by_key(|(d, _)| *d);
            Err(AddressError::NotFound {
                what: "table",
                wanted,
                nearest: ranked.into_iter().take(5).map(|(_, t)| t).collect(),
            })
        }
        many => Err(AddressError::Ambiguous {
            what: "row",
            wanted,
            candidates: many
                .iter()
                .map(|r| format!("[{}]", key_text(r).join(",")))
                .collect(),
        }),
    }
}

/// A value as one line of text: the decoded string, the number in decimal,
/// `UNKNOWN`/`UNSUPPORTED`, or `* "path"`.
pub(crate) fn value_text(value: &Value) -> String {
    match value {
        Value::Integer(int) => int.value().map_or_else(|| "?".into(), |v| v.to_string()),
        Value::String(s) => s.value.to_string(),
        Value::Path { name, .. } => format!("* {:?}", name.value),
        Value::Unknown(_) => Keyword::Unknown.as_str().into(),
        Value::Unsupported(_) => Keyword::Unsupported.as_str().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Address {
        text.parse().unwrap()
    }

    #[test]
    fn compact_addresses_parse_and_print_back() {
        for (text, group, row, attribute) in [
            (
                "InstallStatus.Status",
                Selector::Name("InstallStatus".into()),
                vec![],
                Some(Selector::Name("Status".into())),
            ),
            ("2.1", Selector::Id(2), vec![], Some(Selector::Id(1))),
            (
                "\"Fan table\"[1, \"a,b\"].State",
                Selector::Name("Fan table".into()),
                vec!["1".to_string(), "a,b".to_string()],
                Some(Selector::Name("State".into())),
            ),
            (
                "ComponentID.Serial Number",
                Selector::Name("ComponentID".into()),
                vec![],
                Some(Selector::Name("Serial Number".into())),
            ),
            ("\"7\"", Selector::Name("7".into()), vec![], None),
        ] {
            let address = parse(text);
            assert_eq!(
                address,
                Address {
                    group,
                    row,
                    attribute
                },
                "{text}"
            );
            assert_eq!(parse(&address.to_string()), address, "{text}");
        }
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for text in ["", ".x", "a.", "a[1", "a\"b\".c", "\"open"] {
            assert!(
                matches!(text.parse::<Address>(), Err(AddressError::Syntax { .. })),
                "{text}"
            );
        }
    }
}
