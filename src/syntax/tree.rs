//! The syntax tree.
//!
//! Nodes are typed but light: each records the range of token indices it
//! covers in [`Document::tokens`](super::Document::tokens) and its text span.
//! The tokens hold every byte of the file (white space and comments
//! included), so the trivia of a node is the run of trivia tokens between it
//! and its previous sibling, and printing the tree verbatim gives back the
//! input exactly.

use smol_str::SmolStr;

use crate::lexer::Keyword;
use crate::span::Span;

/// A half-open range of token indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TokenRange {
    /// Index of the first token.
    pub start: usize,
    /// Index just past the last token; equal to `start` when empty.
    pub end: usize,
}

impl TokenRange {
    /// The tokens from `start` up to, not including, `end`.
    pub fn new(start: usize, end: usize) -> TokenRange {
        TokenRange { start, end }
    }

    /// The range as `start..end`, to index or slice the token vector.
    pub fn indices(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// What a `START ...` block defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// `COMPONENT`: the file's one top-level block.
    Component,
    /// `PATH` (or the old `PATHS`): where a component's instrumentation
    /// code is, one statement per environment.
    Path,
    /// `ENUM`: named integer values, for a type.
    Enum,
    /// `GROUP`: a set of attributes; with a `KEY`, a table's template.
    Group,
    /// `ATTRIBUTE`: one named, typed value in a group.
    Attribute,
    /// `TABLE`: rows of values for a keyed group.
    Table,
}

impl BlockKind {
    /// The keyword after `START` and `END` (`PATH`, never the old `PATHS`).
    pub fn keyword(self) -> Keyword {
        match self {
            BlockKind::Component => Keyword::Component,
            BlockKind::Path => Keyword::Path,
            BlockKind::Enum => Keyword::Enum,
            BlockKind::Group => Keyword::Group,
            BlockKind::Attribute => Keyword::Attribute,
            BlockKind::Table => Keyword::Table,
        }
    }

    /// The block `START <keyword>` opens (`PATHS` opens a path); `None`
    /// for a keyword that opens none.
    pub fn from_keyword(keyword: Keyword) -> Option<BlockKind> {
        Some(match keyword {
            Keyword::Component => BlockKind::Component,
            Keyword::Path | Keyword::Paths => BlockKind::Path,
            Keyword::Enum => BlockKind::Enum,
            Keyword::Group => BlockKind::Group,
            Keyword::Attribute => BlockKind::Attribute,
            Keyword::Table => BlockKind::Table,
            _ => return None,
        })
    }

    /// Upper-case name as used in messages (`GROUP`).
    pub fn name(self) -> &'static str {
        self.keyword().as_str()
    }
}

/// Anything that can stand inside a block or at the top of the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `KEYWORD = value`.
    Statement(Statement),
    /// A nested `START ... END` block.
    Block(Block),
    /// `{ cell, cell, ... }` in a table.
    Row(Row),
    /// `value = "text"` in an enum.
    EnumItem(EnumItem),
    /// Tokens the parser could not place; always comes with an error.
    Error(ErrorNode),
}

impl Item {
    /// The tokens the item covers.
    pub fn tokens(&self) -> TokenRange {
        match self {
            Item::Statement(s) => s.tokens,
            Item::Block(b) => b.tokens,
            Item::Row(r) => r.tokens,
            Item::EnumItem(e) => e.tokens,
            Item::Error(e) => e.tokens,
        }
    }

    /// Where the item is in the text.
    pub fn span(&self) -> Span {
        match self {
            Item::Statement(s) => s.span,
            Item::Block(b) => b.span,
            Item::Row(r) => r.span,
            Item::EnumItem(e) => e.span,
            Item::Error(e) => e.span,
        }
    }
}

/// `START <kind> ... END <kind>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What the block defines.
    pub kind: BlockKind,
    /// The `START <kind>` tokens.
    pub head: TokenRange,
    /// What stands between `START` and `END`, in order. Trivia is not an
    /// item: it is in the tokens between items.
    pub items: Vec<Item>,
    /// The `END <kind>` tokens; `None` when the block was never closed.
    pub tail: Option<TokenRange>,
    /// From `START` to the last token read for the block (its `END <kind>`
    /// when closed).
    pub tokens: TokenRange,
    /// Where those tokens are in the text.
    pub span: Span,
    /// Span of the `START <kind>` words, for labels.
    pub head_span: Span,
}

impl Block {
    /// The statements directly in this block.
    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.items.iter().filter_map(|item| match item {
            Item::Statement(s) => Some(s),
            _ => None,
        })
    }

    /// The first statement with this keyword.
    pub fn statement(&self, keyword: Keyword) -> Option<&Statement> {
        self.statements().find(|s| s.keyword == keyword)
    }

    /// The blocks directly in this block.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.items.iter().filter_map(|item| match item {
            Item::Block(b) => Some(b),
            _ => None,
        })
    }

    /// The blocks of one kind directly in this block (a group's
    /// attributes, a component's groups).
    pub fn blocks_of(&self, kind: BlockKind) -> impl Iterator<Item = &Block> {
        self.blocks().filter(move |b| b.kind == kind)
    }

    /// The decoded `NAME` string.
    pub fn name(&self) -> Option<&str> {
        self.string_of(Keyword::Name)
    }

    /// The decoded `CLASS` string.
    pub fn class(&self) -> Option<&str> {
        self.string_of(Keyword::Class)
    }

    /// The `ID` value, when present and well-formed.
    pub fn id(&self) -> Option<i128> {
        match &self.statement(Keyword::Id)?.value {
            StatementValue::Integer(int) => int.value(),
            _ => None,
        }
    }

    /// The decoded string of the first statement with this keyword;
    /// `None` when there is none or its value is not a string.
    pub fn string_of(&self, keyword: Keyword) -> Option<&str> {
        match &self.statement(keyword)?.value {
            StatementValue::String(s) => Some(&s.value),
            _ => None,
        }
    }

    /// The `TYPE` of an attribute.
    pub fn data_type(&self) -> Option<&TypeExpr> {
        match &self.statement(Keyword::Type)?.value {
            StatementValue::Type(t) => Some(t),
            _ => None,
        }
    }

    /// The `VALUE` of an attribute.
    pub fn value(&self) -> Option<&Value> {
        match &self.statement(Keyword::Value)?.value {
            StatementValue::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The attribute IDs of a `KEY` statement.
    pub fn key(&self) -> Option<&[IntLit]> {
        match &self.statement(Keyword::Key)?.value {
            StatementValue::Keys(keys) => Some(keys),
            _ => None,
        }
    }
}

/// `KEYWORD = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The keyword left of `=`.
    pub keyword: Keyword,
    /// Index of the keyword token.
    pub keyword_token: usize,
    /// What is right of `=`, read as the keyword says.
    pub value: StatementValue,
    /// From the keyword to the last token of the value.
    pub tokens: TokenRange,
    /// Where those tokens are in the text.
    pub span: Span,
}

impl Statement {
    /// Span of the keyword, for labels.
    pub fn keyword_span(&self, tokens: &[crate::lexer::Token]) -> Span {
        tokens[self.keyword_token].span()
    }
}

/// The right-hand side of a statement, by statement kind.
#[derive(Debug, Clone, PartialEq)]
pub enum StatementValue {
    /// NAME, DESCRIPTION, CLASS, PRAGMA, LANGUAGE, and path environments.
    String(StringLit),
    /// ID.
    Integer(IntLit),
    /// KEY = 1, 2, 3.
    Keys(Vec<IntLit>),
    /// TYPE.
    Type(TypeExpr),
    /// ACCESS, STORAGE and `DIRECT-INTERFACE` in a path: a keyword value.
    Keyword(Keyword, Span),
    /// VALUE.
    Value(Value),
    /// Could not be read; an error was reported.
    Invalid,
}

/// A string: one or more adjacent literals, joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringLit {
    /// Token indices from the first piece to just past the last; the
    /// pieces are the string tokens in it (`"a" "b"` has two). A range, not
    /// a list, so a string costs no allocation beyond its value.
    pub pieces: TokenRange,
    /// The decoded, joined value. A `SmolStr` keeps up to 23 bytes (most
    /// names and values) inline: no allocation to make or free per string.
    pub value: SmolStr,
    /// From the first piece's opening quote to the last piece's closing one.
    pub span: Span,
}

/// An integer as written (decimal, `0` octal or `0x` hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntLit {
    /// Index of the integer token.
    pub token: usize,
    /// Where the integer is written.
    pub span: Span,
    /// The value as a magnitude and a sign, not an `Option<i128>`: an
    /// `i128` is 16-byte aligned and made every tree node holding an
    /// integer (and so every `Item`) larger. No MIF integer needs more than
    /// a `u64` magnitude ([`decode_integer`](super::decode_integer)).
    magnitude: u64,
    sign: IntSign,
}

/// The sign of an [`IntLit`], or that it has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IntSign {
    /// Zero is always stored as positive, so equal values compare equal.
    Positive,
    Negative,
    Invalid,
}

impl IntLit {
    /// `value` is the magnitude and whether a `-` leads it, `None` when the
    /// spelling is not a valid integer.
    pub(crate) fn new(token: usize, span: Span, value: Option<(u64, bool)>) -> IntLit {
        let (magnitude, sign) = match value {
            Some((magnitude, true)) if magnitude != 0 => (magnitude, IntSign::Negative),
            Some((magnitude, _)) => (magnitude, IntSign::Positive),
            None => (0, IntSign::Invalid),
        };
        IntLit {
            token,
            span,
            magnitude,
            sign,
        }
    }

    /// The value; `None` when the spelling is not a valid integer.
    pub fn value(&self) -> Option<i128> {
        let magnitude = i128::from(self.magnitude);
        match self.sign {
            IntSign::Positive => Some(magnitude),
            IntSign::Negative => Some(-magnitude),
            IntSign::Invalid => None,
        }
    }
}

/// An attribute value or table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An integer literal; also an enum value given by number.
    Integer(IntLit),
    /// A string literal; also an enum value given by its item's text.
    String(StringLit),
    /// `* "path name"`: supplied by instrumentation.
    Path {
        /// The `*`.
        star: Span,
        /// The path's name, as a `PATH` block defines it.
        name: StringLit,
    },
    /// `UNKNOWN`: supported, value not known now.
    Unknown(Span),
    /// `UNSUPPORTED`: the component does not provide this value.
    Unsupported(Span),
}

impl Value {
    /// Where the value is written; a path's runs from the `*` to its name.
    pub fn span(&self) -> Span {
        match self {
            Value::Integer(i) => i.span,
            Value::String(s) => s.span,
            Value::Path { star, name } => star.to(name.span),
            Value::Unknown(span) | Value::Unsupported(span) => *span,
        }
    }
}

/// Integer data types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntType {
    /// `INTEGER` or `INT`: signed, 32 bits.
    Integer,
    /// `INTEGER64` or `INT64`: signed, 64 bits.
    Integer64,
    /// `COUNTER`: unsigned, 32 bits, only counts up.
    Counter,
    /// `COUNTER64`: unsigned, 64 bits, only counts up.
    Counter64,
    /// `GAUGE`: unsigned, 32 bits, goes up and down.
    Gauge,
}

impl IntType {
    /// The integer type a `TYPE` keyword names (`INT` is `INTEGER`);
    /// `None` for any other keyword.
    pub fn from_keyword(keyword: Keyword) -> Option<IntType> {
        Some(match keyword {
            Keyword::Integer | Keyword::Int => IntType::Integer,
            Keyword::Integer64 | Keyword::Int64 => IntType::Integer64,
            Keyword::Counter => IntType::Counter,
            Keyword::Counter64 => IntType::Counter64,
            Keyword::Gauge => IntType::Gauge,
            _ => return None,
        })
    }

    /// The values the type can hold.
    pub fn range(self) -> (i128, i128) {
        match self {
            IntType::Integer => (i32::MIN.into(), i32::MAX.into()),
            IntType::Integer64 => (i64::MIN.into(), i64::MAX.into()),
            IntType::Counter | IntType::Gauge => (0, u32::MAX.into()),
            IntType::Counter64 => (0, u64::MAX.into()),
        }
    }
}

/// String data types; all take a size in octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringType {
    /// `STRING(n)`.
    String,
    /// `DISPLAYSTRING(n)`: text meant for people.
    DisplayString,
    /// `OCTETSTRING(n)`: bytes.
    OctetString,
}

/// The right-hand side of `TYPE =`.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    /// One of the integer types.
    Integer {
        /// Which one.
        kind: IntType,
        /// The type keyword.
        span: Span,
    },
    /// `DATE`: a date and time, written as a string.
    Date {
        /// The `DATE` keyword.
        span: Span,
    },
    /// A string type and its size.
    String {
        /// Which one.
        kind: StringType,
        /// The size in octets; `None` when missing (an error was reported).
        size: Option<IntLit>,
        /// From the keyword to the `)`; shorter when the size or the `)`
        /// is missing.
        span: Span,
    },
    /// `TYPE = "Enum Name"`: a named enum defined earlier in the component.
    EnumRef(StringLit),
    /// `TYPE = START ENUM ... END ENUM`.
    Enum(Box<Block>),
}

impl TypeExpr {
    /// Where the type is written.
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Integer { span, .. }
            | TypeExpr::Date { span }
            | TypeExpr::String { span, .. } => *span,
            TypeExpr::EnumRef(s) => s.span,
            TypeExpr::Enum(b) => b.span,
        }
    }
}

/// A table row. An empty cell (`{1,,3}`) is `None`: the template default.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The cells in order.
    pub cells: Vec<Option<Value>>,
    /// From `{` to `}`, or to the last cell read when the row is not
    /// closed.
    pub tokens: TokenRange,
    /// Where those tokens are in the text.
    pub span: Span,
}

/// `0x01 = "Text"` in an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumItem {
    /// The number left of `=`.
    pub value: IntLit,
    /// The item's text; `None` when it could not be read (an error was
    /// reported).
    pub text: Option<StringLit>,
    /// From the number to the text.
    pub tokens: TokenRange,
    /// Where those tokens are in the text.
    pub span: Span,
}

/// Tokens skipped during error recovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorNode {
    /// The skipped tokens.
    pub tokens: TokenRange,
    /// Where they are in the text.
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Document;

    #[test]
    fn integers_keep_every_value_a_mif_file_can_hold() {
        let int = |value| IntLit::new(0, Span::default(), value);
        let largest = i128::from(u64::MAX);
        assert_eq!(int(Some((u64::MAX, false))).value(), Some(largest));
        assert_eq!(int(Some((u64::MAX, true))).value(), Some(-largest));
        assert_eq!(int(Some((0, true))).value(), Some(0));
        assert_eq!(int(Some((0, true))), int(Some((0, false))));
        assert_eq!(int(None).value(), None);
    }

    #[test]
    fn string_values_join_their_pieces_whatever_each_needs() {
        for (literals, value) in [
            (r#""plain""#, "plain"),
            (
                r#""longer than the twenty-three bytes kept inline""#,
                "longer than the twenty-three bytes kept inline",
            ),
            (r#""a" "b""#, "ab"),
            (r#""a\"b" "c""#, "a\"bc"),
            (r#""a" "b\tc""#, "ab\tc"),
            (r#""" "x""#, "x"),
        ] {
            let doc = Document::parse_str(&format!(
                "START COMPONENT\nNAME = {literals}\nEND COMPONENT\n"
            ));
            assert!(!doc.has_errors(), "{literals}");
            assert_eq!(doc.component().and_then(Block::name), Some(value));
        }
    }
}
