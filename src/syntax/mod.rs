//! The syntax tree and the parser that builds it.
//!
//! [`Document::parse`] takes a file's bytes and always returns a document:
//! the decoded source, every token (trivia included) and the typed tree,
//! with the lexical and syntax diagnostics found on the way.
//!
//! ```
//! use mif::syntax::{BlockKind, Document, Value};
//!
//! let doc = Document::parse(
//!     b"START COMPONENT\n\
//!       NAME = \"Widget\"\n\
//!       START GROUP\n\
//!         NAME = \"ComponentID\" ID = 1 CLASS = \"DMTF|ComponentID|1.0\"\n\
//!         START ATTRIBUTE\n\
//!           NAME = \"Version\" ID = 3 TYPE = STRING(16) VALUE = \"2.1\"\n\
//!         END ATTRIBUTE\n\
//!       END GROUP\n\
//!       END COMPONENT\n",
//! );
//! assert!(!doc.has_errors());
//! let component = doc.component().expect("the file has a component");
//! let group = component.blocks_of(BlockKind::Group).next().expect("one group");
//! assert_eq!((group.name(), group.id()), (Some("ComponentID"), Some(1)));
//! let version = group.blocks_of(BlockKind::Attribute).next().expect("one attribute");
//! assert!(matches!(version.value(), Some(Value::String(s)) if s.value == "2.1"));
//!
//! // A broken file still gives a document: diagnostics say what is wrong
//! // and where, and every byte is kept.
//! let broken = Document::parse(b"START COMPONENT\nNAME = \"Widget\n");
//! assert!(broken.has_errors());
//! assert!(broken.diagnostics.iter().any(|d| d.code == "mif::unterminated-string"));
//! assert_eq!(broken.print_verbatim(), broken.text());
//! ```

mod dump;
mod literal;
mod parser;
mod tree;

pub use literal::{decode_integer, decode_string, encode_string, encode_string_for};
pub(crate) use parser::edit_distance;
pub use parser::{blocks_in, statements_in, MAX_ERRORS};
pub use tree::*;

use crate::diagnostics::{Diagnostic, Severity};
use crate::lexer::{self, Keyword, Token, TokenKind};
use crate::source::{Encoding, Source};
use crate::span::Span;

/// A parsed MIF file. Nothing of the input is lost: the tokens cover the
/// text, and the text plus `source`'s encoding give back the bytes.
#[derive(Debug, Clone)]
pub struct Document {
    /// The decoded file: its text and how to write it back.
    pub source: Source,
    /// Every token of the text, trivia included, in order; tree nodes
    /// refer to them by index.
    pub tokens: Vec<Token>,
    /// Top-level items: the LANGUAGE statement, the component, and
    /// anything the parser had to skip.
    pub items: Vec<Item>,
    /// Lexical and syntax diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Document {
    /// Decode and parse a file's bytes.
    pub fn parse(bytes: &[u8]) -> Document {
        Document::from_source(Source::decode(bytes))
    }

    /// Parse text that came from a single-byte file (handy in tests).
    pub fn parse_str(text: &str) -> Document {
        Document::from_source(Source {
            text: text.to_string(),
            encoding: crate::source::Encoding::SingleByte,
            line_ending: None,
            mixed_line_endings: false,
            decode_errors: Vec::new(),
        })
    }

    /// Parse already-decoded source.
    pub fn from_source(source: Source) -> Document {
        let tokens = lexer::lex(&source.text);
        let mut parser = parser::Parser::new(&source.text, &tokens, source.encoding.is_wide());
        for error in &source.decode_errors {
            let span = Span::new(
                error.text_offset,
                error.text_offset + char::REPLACEMENT_CHARACTER.len_utf8(),
            );
            parser.report(
                Diagnostic::error("mif::invalid-encoding", span, error.message.clone())
                    .with_label("cannot be decoded")
                    .with_help(format!(
                        "the file starts with a {} byte-order mark, so all of it must be in that encoding; \
                         re-save it as {}",
                        source.encoding, source.encoding
                    )),
            );
        }
        if matches!(
            source.encoding,
            crate::source::Encoding::Utf8 | crate::source::Encoding::Utf16Le
        ) {
            parser.report(
                Diagnostic::warning(
                    "mif::nonstandard-encoding",
                    Span::new(0, 0),
                    format!("{} is not a DMI encoding", source.encoding),
                )
                .with_label("byte-order mark here")
                .with_help(
                    "DMI reads ISO 8859-1, or UTF-16 big-endian after FE FF; SMS and ConfigMgr want \
                     ANSI (Windows-1252) without a byte-order mark",
                ),
            );
        }
        let items = parser.parse_file();
        let quiet = std::mem::take(&mut parser.quiet);
        if let Some(first) = first_suspect(&source.text, &tokens) {
            let suspects = Suspects {
                first,
                quiet: &quiet,
            };
            lexical_diagnostics(
                &source.text,
                source.encoding,
                &tokens,
                suspects,
                &mut parser,
            );
        }
        let mut diagnostics = parser.diagnostics;
        diagnostics.sort_by_key(|d| (d.span.start, d.severity != Severity::Error));
        Document {
            source,
            tokens,
            items,
            diagnostics,
        }
    }

    /// The decoded text (what every [`Span`] points into).
    pub fn text(&self) -> &str {
        &self.source.text
    }

    /// Whether any diagnostic is an error (the file does not parse cleanly).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The file's component (the first, if there are several).
    pub fn component(&self) -> Option<&Block> {
        self.items.iter().find_map(|item| match item {
            Item::Block(b) if b.kind == BlockKind::Component => Some(b),
            _ => None,
        })
    }

    /// The groups of the file's component, in file order.
    pub fn groups(&self) -> impl Iterator<Item = &Block> {
        self.component()
            .into_iter()
            .flat_map(|c| c.blocks_of(BlockKind::Group))
    }

    /// The LANGUAGE statement.
    pub fn language(&self) -> Option<&Statement> {
        self.items.iter().find_map(|item| match item {
            Item::Statement(s) if s.keyword == Keyword::Language => Some(s),
            _ => None,
        })
    }

    /// Text of one token.
    pub fn token_text(&self, index: usize) -> &str {
        self.tokens[index].text(&self.source.text)
    }

    /// The comments before the component (IDMIF headers such as
    /// `//Architecture<System>` live here).
    pub fn header_comments(&self) -> impl Iterator<Item = (Span, &str)> {
        let end = self
            .component()
            .map_or(self.tokens.len(), |c| c.tokens.start);
        self.tokens[..end]
            .iter()
            .filter(|t| t.kind == TokenKind::Comment)
            .map(|t| (t.span(), t.text(&self.source.text)))
    }

    /// Print the tree back as it was read: every token of every node and
    /// the trivia between them, in order. Equals the decoded input.
    pub fn print_verbatim(&self) -> String {
        let mut out = String::with_capacity(self.source.text.len());
        let mut next = 0;
        self.print_items(&self.items, &mut next, &mut out);
        self.emit_tokens(&mut next, self.tokens.len(), &mut out);
        out
    }

    fn print_items(&self, items: &[Item], next: &mut usize, out: &mut String) {
        for item in items {
            match item {
                Item::Block(block) => self.print_block(block, next, out),
                Item::Statement(Statement {
                    value: StatementValue::Type(TypeExpr::Enum(block)),
                    tokens,
                    ..
                }) => {
                    self.print_block(block, next, out);
                    self.emit_tokens(next, tokens.end, out);
                }
                other => self.emit_tokens(next, other.tokens().end, out),
            }
        }
    }

    fn print_block(&self, block: &Block, next: &mut usize, out: &mut String) {
        self.emit_tokens(next, block.head.end, out);
        self.print_items(&block.items, next, out);
        self.emit_tokens(next, block.tokens.end, out);
    }

    /// Emit the tokens from `next` up to `to`, advancing `next`.
    fn emit_tokens(&self, next: &mut usize, to: usize, out: &mut String) {
        for token in self.tokens.get(*next..to).unwrap_or(&[]) {
            out.push_str(token.text(&self.source.text));
        }
        *next = (*next).max(to);
    }
}

/// Parse a stretch of a component's items (whole blocks and statements,
/// no START or END COMPONENT) on its own: `text` is what the tokens'
/// offsets point into. The formatter handles files this way, one stretch
/// at a time. Fails with the first error's message when anything in the
/// stretch is an error, lexical ones included, and for any 0x1A byte
/// (allowed only at the very end of a file); the caller then parses the
/// whole file, which says what is wrong and where.
pub(crate) fn parse_component_items(
    text: &str,
    encoding: Encoding,
    tokens: &[Token],
) -> Result<Vec<Item>, String> {
    let mut parser = parser::Parser::new(text, tokens, encoding.is_wide());
    let items = parser.parse_component_items();
    // A parse without errors has passed every token and read every
    // literal, and noted any that may need a lexical diagnostic: without
    // one, the tokens and the text need no other look.
    let clean = !parser.suspect_seen && !parser.diagnostics.iter().any(Diagnostic::is_error);
    debug_assert!(!clean || first_suspect(text, tokens).is_none());
    if clean {
        return Ok(items);
    }
    // A 0x1A byte is a suspect token, so none comes before the first one.
    let first = first_suspect(text, tokens);
    if first.is_some_and(|first| tokens[first..].iter().any(|t| t.kind == TokenKind::DosEof)) {
        return Err("a 0x1A byte before the end of the file".into());
    }
    let quiet = std::mem::take(&mut parser.quiet);
    if let Some(first) = first {
        let suspects = Suspects {
            first,
            quiet: &quiet,
        };
        lexical_diagnostics(text, encoding, tokens, suspects, &mut parser);
    }
    match parser.diagnostics.into_iter().find(Diagnostic::is_error) {
        Some(error) => Err(error.message),
        None => Ok(items),
    }
}

/// Index of the first token that may need a lexical diagnostic: a stray or
/// control character, an unterminated string, a 0x1A byte, or a literal
/// holding a forbidden control character. Most texts have none, and this
/// scan is then all the lexical checks cost.
fn first_suspect(text: &str, tokens: &[Token]) -> Option<usize> {
    let bytes = text.as_bytes();
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return None;
    };
    // Fast path, without a branch per token or per byte: no token of a
    // suspect kind, and no forbidden control byte anywhere in the text the
    // tokens cover, so none in a literal either.
    const SUSPECT_KINDS: u32 = 1 << TokenKind::Stray as u32
        | 1 << TokenKind::Control as u32
        | 1 << TokenKind::UnterminatedString as u32
        | 1 << TokenKind::DosEof as u32;
    let kinds = tokens.chunks(64).fold(0, |kinds, chunk| {
        kinds | chunk.iter().fold(0, |kinds, t| kinds | 1 << t.kind as u32)
    });
    if kinds & SUSPECT_KINDS == 0
        && !has_forbidden_control(&bytes[first.span().start..last.span().end])
    {
        return None;
    }
    tokens.iter().position(|t| match t.kind {
        TokenKind::Stray
        | TokenKind::Control
        | TokenKind::UnterminatedString
        | TokenKind::DosEof => true,
        TokenKind::String => has_forbidden_control(&bytes[t.span().range()]),
        _ => false,
    })
}

/// Where [`lexical_diagnostics`] starts looking, and the spans the parser
/// already explained.
struct Suspects<'a> {
    /// From [`first_suspect`]: no token before it needs a diagnostic.
    first: usize,
    quiet: &'a [Span],
}

/// Diagnostics about single tokens: stray and control characters,
/// unterminated strings, a 0x1A byte before the end. One pass, linear in
/// the number of tokens however many of them are bad.
fn lexical_diagnostics(
    text: &str,
    encoding: Encoding,
    tokens: &[Token],
    suspects: Suspects,
    parser: &mut parser::Parser,
) {
    let last_significant = tokens.iter().rposition(|t| {
        !matches!(
            t.kind,
            TokenKind::Whitespace | TokenKind::Newline | TokenKind::DosEof
        )
    });
    // `quiet` spans come in source order, as do tokens: walk both together.
    let mut quiet = suspects.quiet.iter().peekable();
    // (For a stretch of a file, counting starts at the stretch.)
    let mut byte_offsets = ByteOffsets {
        text,
        encoding,
        text_at: tokens.first().map_or(0, |t| t.span().start),
        byte_at: encoding.bom().len(),
    };
    for (index, token) in tokens.iter().enumerate().skip(suspects.first) {
        let suspect = match token.kind {
            TokenKind::Stray | TokenKind::Control | TokenKind::UnterminatedString => true,
            TokenKind::DosEof => last_significant.is_some_and(|last| last > index),
            TokenKind::String => has_forbidden_control(token.text(text).as_bytes()),
            _ => false,
        };
        if !suspect {
            continue;
        }
        if parser.is_saturated() {
            break;
        }
        let span = token.span();
        let at_byte = byte_offsets.at(span.start);
        while quiet.peek().is_some_and(|q| q.end <= span.start) {
            quiet.next();
        }
        let in_quiet = quiet
            .peek()
            .is_some_and(|q| q.start <= span.start && span.end <= q.end);
        match token.kind {
            TokenKind::Stray if !in_quiet => {
                let raw = token.text(text);
                let help = if raw.contains('|') {
                    "`|` only appears inside quoted strings such as CLASS = \"DMTF|ComponentID|1.0\""
                } else if raw.starts_with('/') {
                    "comments start with `//` and run to the end of the line"
                } else {
                    "outside quoted strings and comments only keywords, numbers and = ( ) { } , * may appear"
                };
                parser.report(
                    Diagnostic::error(
                        "mif::stray-character",
                        span,
                        format!("unexpected character `{}`", raw.escape_debug()),
                    )
                    .with_label("not part of any token")
                    .with_help(help),
                );
            }
            TokenKind::Control => {
                let c = token.text(text).chars().next().unwrap_or('\0');
                parser.report(
                    Diagnostic::error(
                        "mif::control-character",
                        span,
                        format!(
                            "control character U+{:04X} at byte offset {at_byte}",
                            c as u32
                        ),
                    )
                    .with_label("control characters are not allowed in a MIF file")
                    .with_help(
                        "MIF files are plain text; remove the character (a binary file or a damaged copy?)",
                    ),
                );
            }
            TokenKind::DosEof if last_significant.is_some_and(|last| last > index) => {
                parser.report(
                    Diagnostic::error(
                        "mif::stray-character",
                        span,
                        "DOS end-of-file byte (0x1A) before the end of the file",
                    )
                    .with_label("only allowed as the last byte")
                    .with_help("remove it; old editors appended it at the very end"),
                );
            }
            TokenKind::String | TokenKind::UnterminatedString
                if has_forbidden_control(token.text(text).as_bytes()) =>
            {
                report_controls_in_literal(text, encoding, token, at_byte, parser);
                if token.kind == TokenKind::UnterminatedString {
                    report_unterminated(span, parser);
                }
            }
            TokenKind::UnterminatedString => report_unterminated(span, parser),
            _ => {}
        }
    }
}

/// Byte offsets in the file of text offsets asked for in increasing order:
/// the text is counted once, however many offsets are asked.
struct ByteOffsets<'a> {
    text: &'a str,
    encoding: Encoding,
    text_at: usize,
    byte_at: usize,
}

impl ByteOffsets<'_> {
    fn at(&mut self, text_offset: usize) -> usize {
        let between = &self.text[self.text_at..text_offset];
        self.byte_at += if between.is_ascii() {
            between.len() * self.encoding.octets(' ')
        } else {
            between.chars().map(|c| self.encoding.octets(c)).sum()
        };
        self.text_at = text_offset;
        self.byte_at
    }
}

/// Whether a literal holds a control character it may not hold raw (see
/// [`is_forbidden_control`]); these are all ASCII, so bytes will do.
fn has_forbidden_control(literal: &[u8]) -> bool {
    // A branch-free test per chunk (the compiler vectorises it): the whole
    // text of a stretch goes through here.
    literal.chunks(256).any(|chunk| {
        chunk.iter().fold(false, |found, &b| {
            found | (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) | (b == 0x7F)
        })
    })
}

/// Control characters a literal may not hold raw (tab and line breaks are
/// allowed or reported elsewhere).
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\r' | '\n') && (c as u32) < 0x80
}

fn report_controls_in_literal(
    text: &str,
    encoding: Encoding,
    token: &Token,
    at_byte: usize,
    parser: &mut parser::Parser,
) {
    let raw = token.text(text);
    let mut byte = at_byte;
    for (i, c) in raw.char_indices() {
        if is_forbidden_control(c) {
            let start = token.span().start + i;
            parser.report(
                Diagnostic::error(
                    "mif::control-character",
                    Span::new(start, start + c.len_utf8()),
                    format!("control character U+{:04X} at byte offset {byte}", c as u32),
                )
                .with_label("raw control character inside a string")
                .with_help(format!(
                    "write it as an escape (\\x{:02X}) or remove it",
                    c as u32
                )),
            );
        }
        byte += encoding.octets(c);
    }
}

fn report_unterminated(span: Span, parser: &mut parser::Parser) {
    parser.report(
        Diagnostic::error(
            "mif::unterminated-string",
            span,
            "string literal without a closing quote",
        )
        .with_label("this string is never closed")
        .with_help("add the closing `\"`; a `\"` inside a string is written `\\\"`"),
    );
}
