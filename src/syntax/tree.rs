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
    pub start: usize,
    pub end: usize,
}

impl TokenRange {
    pub fn new(start: usize, end: usize) -> TokenRange {
        TokenRange { start, end }
    }

    pub fn indices(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// What a `START ...` block defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Component,
    Path,
    Enum,
    Group,
    Attribute,
    Table,
}

impl BlockKind {
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
    Statement(Statement),
    Block(Block),
    /// `{ cell, cell, ... }` in a table.
    Row(Row),
    /// `value = "text"` in an enum.
    EnumItem(EnumItem),
    /// Tokens the parser could not place; always comes with an error.
    Error(ErrorNode),
}

impl Item {
    pub fn tokens(&self) -> TokenRange {
        match self {
            Item::Statement(s) => s.tokens,
            Item::Block(b) => b.tokens,
            Item::Row(r) => r.tokens,
            Item::EnumItem(e) => e.tokens,
            Item::Error(e) => e.tokens,
        }
    }

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
    pub kind: BlockKind,
    /// The `START <kind>` tokens.
    pub head: TokenRange,
    pub items: Vec<Item>,
    /// The `END <kind>` tokens; `None` when the block was never closed.
    pub tail: Option<TokenRange>,
    pub tokens: TokenRange,
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
    pub keyword: Keyword,
    /// Index of the keyword token.
    pub keyword_token: usize,
    pub value: StatementValue,
    pub tokens: TokenRange,
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
    pub span: Span,
}

/// An integer as written (decimal, `0` octal or `0x` hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntLit {
    pub token: usize,
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
    Integer(IntLit),
    String(StringLit),
    /// `* "path name"`: supplied by instrumentation.
    Path {
        star: Span,
        name: StringLit,
    },
    Unknown(Span),
    Unsupported(Span),
}

impl Value {
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
    Integer,
    Integer64,
    Counter,
    Counter64,
    Gauge,
}

impl IntType {
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
    String,
    DisplayString,
    OctetString,
}

/// The right-hand side of `TYPE =`.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    Integer {
        kind: IntType,
        span: Span,
    },
    Date {
        span: Span,
    },
    String {
        kind: StringType,
        size: Option<IntLit>,
        span: Span,
    },
    /// `TYPE = "Enum Name"`: a named enum defined earlier in the component.
    EnumRef(StringLit),
    /// `TYPE = START ENUM ... END ENUM`.
    Enum(Box<Block>),
}

impl TypeExpr {
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
    pub cells: Vec<Option<Value>>,
    pub tokens: TokenRange,
    pub span: Span,
}

/// `0x01 = "Text"` in an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumItem {
    pub value: IntLit,
    pub text: Option<StringLit>,
    pub tokens: TokenRange,
    pub span: Span,
}

/// Tokens skipped during error recovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorNode {
    pub tokens: TokenRange,
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
