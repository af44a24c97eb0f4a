//! Named definitions: enums (`TYPE = "Enum Name"`) and paths
//! (`VALUE = * "Path Name"`). Names are compared exactly, as DMI compares
//! strings; the first definition of a name is the one that counts.

use std::collections::{HashMap, HashSet};

use crate::syntax::{Block, BlockKind, EnumItem, Item, TypeExpr};

/// The component's named enums and paths, first definition per name.
pub struct Definitions<'a> {
    enums: HashMap<&'a str, EnumIndex<'a>>,
    paths: HashMap<&'a str, &'a Block>,
}

impl<'a> Definitions<'a> {
    /// Index the enums and paths defined directly in `component`.
    pub fn collect(component: &'a Block) -> Definitions<'a> {
        let enums = first_by_name(component, BlockKind::Enum)
            .into_iter()
            .map(|(name, block)| (name, EnumIndex::new(block)))
            .collect();
        Definitions {
            enums,
            paths: first_by_name(component, BlockKind::Path),
        }
    }

    /// The named enum an attribute's `TYPE = "name"` refers to.
    pub fn enum_named(&self, name: &str) -> Option<&EnumIndex<'a>> {
        self.enums.get(name)
    }

    /// The path a `* "name"` value refers to.
    pub fn path_named(&self, name: &str) -> Option<&'a Block> {
        self.paths.get(name).copied()
    }

    /// The enum whose items a value of this type must be: the named one
    /// it refers to, or its own inline one. `None` for other types, and
    /// for a name that is not defined.
    pub fn enum_of(&self, data_type: &'a TypeExpr) -> Option<EnumRef<'_, 'a>> {
        match data_type {
            TypeExpr::EnumRef(name) => self.enum_named(&name.value).map(EnumRef::Indexed),
            TypeExpr::Enum(inline) => Some(EnumRef::Inline(EnumIndex::new(inline))),
            _ => None,
        }
    }
}

/// An enum a type names: indexed once per component when named, indexed
/// on the spot when inline.
pub enum EnumRef<'d, 'a> {
    /// A named enum of the component.
    Indexed(&'d EnumIndex<'a>),
    /// An inline `TYPE = START ENUM ... END ENUM`.
    Inline(EnumIndex<'a>),
}

impl<'a> std::ops::Deref for EnumRef<'_, 'a> {
    type Target = EnumIndex<'a>;

    fn deref(&self) -> &EnumIndex<'a> {
        match self {
            EnumRef::Indexed(index) => index,
            EnumRef::Inline(index) => index,
        }
    }
}

/// An enum's items, with their texts and numbers at hand: a component
/// may hold thousands of attributes of one large enum, and each value is
/// looked up in constant time.
pub struct EnumIndex<'a> {
    /// The `START ENUM` block.
    pub definition: &'a Block,
    /// The items in file order.
    pub items: Vec<&'a EnumItem>,
    texts: HashSet<&'a str>,
    values: HashSet<i128>,
}

impl<'a> EnumIndex<'a> {
    /// Index the items of an enum block.
    pub fn new(definition: &'a Block) -> EnumIndex<'a> {
        let items: Vec<&EnumItem> = definition
            .items
            .iter()
            .filter_map(|item| match item {
                Item::EnumItem(e) => Some(e),
                _ => None,
            })
            .collect();
        let texts = items
            .iter()
            .filter_map(|e| e.text.as_ref().map(|t| t.value.as_str()))
            .collect();
        let values = items.iter().filter_map(|e| e.value.value()).collect();
        EnumIndex {
            definition,
            items,
            texts,
            values,
        }
    }

    /// Whether `text` is an item's text, exactly (DMI maps text to number
    /// by exact comparison).
    pub fn has_text(&self, text: &str) -> bool {
        self.texts.contains(text)
    }

    /// Whether `number` is an item's number.
    pub fn has_number(&self, number: i128) -> bool {
        self.values.contains(&number)
    }

    /// The item a person means by `input`: its number, its exact text, or
    /// its text in another case. Returns the item's number and its text as
    /// the enum spells it, so what is written is what [`has_text`] and
    /// [`has_number`] accept.
    ///
    /// [`has_text`]: EnumIndex::has_text
    /// [`has_number`]: EnumIndex::has_number
    pub fn find(&self, input: &str) -> Option<(i128, &'a str)> {
        let pairs = || {
            self.items
                .iter()
                .filter_map(|e| Some((e.value.value()?, e.text.as_ref()?.value.as_str())))
        };
        let by_number = crate::syntax::decode_integer(input.trim())
            .ok()
            .and_then(|number| pairs().find(|(v, _)| *v == number));
        by_number
            .or_else(|| pairs().find(|(_, t)| *t == input))
            .or_else(|| pairs().find(|(_, t)| t.eq_ignore_ascii_case(input)))
    }
}

fn first_by_name(component: &Block, kind: BlockKind) -> HashMap<&str, &Block> {
    let mut found = HashMap::new();
    for block in component.blocks_of(kind) {
        if let Some(name) = block.name() {
            found.entry(name).or_insert(block);
        }
    }
    found
}
