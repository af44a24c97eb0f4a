//! Lossless lexer: every character of the text belongs to exactly one token,
//! white space, line breaks and comments included, so the token texts
//! concatenate back to the input. Bad input becomes error tokens; lexing
//! never stops early and never fails.

use logos::Logos;

use crate::span::Span;

/// What a token is. Keywords are not told apart here: every bare word is a
/// [`TokenKind::Word`], classified case-insensitively by [`Keyword::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Blanks and tabs.
    Whitespace,
    /// `\n`, `\r\n` or `\r`.
    Newline,
    /// `//` to end of line.
    Comment,
    /// `[A-Za-z][A-Za-z0-9_-]*`: a keyword or a stray bare word.
    Word,
    /// Digits with an optional leading `-`; validity is checked when decoded.
    Integer,
    /// A closed `"..."` literal (may span lines).
    String,
    /// A `"` with no closing quote; runs to the end of its line.
    UnterminatedString,
    Equals,
    LParen,
    RParen,
    LBrace,
    RBrace,
    Comma,
    Star,
    /// 0x1A, the DOS end-of-file byte some old editors appended.
    DosEof,
    /// A control character (NUL and the like) outside a literal.
    Control,
    /// Any other character that cannot start a token.
    Stray,
}

impl TokenKind {
    /// Tokens that carry no meaning for the grammar.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            TokenKind::Whitespace
                | TokenKind::Newline
                | TokenKind::Comment
                | TokenKind::DosEof
                | TokenKind::Control
                | TokenKind::Stray
        )
    }
}

/// One token: its kind and where it is in the decoded text.
///
/// Offsets are stored as `u32` (12 bytes a token instead of 24): files
/// have about 0.3 tokens per byte, so the token vector is the largest
/// structure in memory. [`lex`] covers at most the first 4 GiB of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    start: u32,
    end: u32,
}

impl Token {
    /// A token over `span`, which must lie in the first 4 GiB of the text.
    pub fn new(kind: TokenKind, span: Span) -> Token {
        Token {
            kind,
            start: offset(span.start),
            end: offset(span.end),
        }
    }

    /// Where the token is in the decoded text.
    pub fn span(self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }

    pub fn text(self, text: &str) -> &str {
        &text[self.span().range()]
    }
}

/// A text offset as stored in a token; [`lex`] never lexes past `u32::MAX`.
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// Lexer state: where a string was already found to have no closing quote.
/// Any later string has none either (the scanners agree from the first
/// shared position on), so it is cut at its line end without a rescan;
/// this keeps lexing linear on files full of stray quotes.
#[derive(Default)]
struct Extras {
    unterminated_from: Option<usize>,
}

#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(extras = Extras)]
enum RawToken {
    #[regex(r"[ \t]+")]
    Whitespace,
    #[regex(r"\r\n|\n|\r")]
    Newline,
    #[regex(r"//[^\r\n]*", allow_greedy = true)]
    Comment,
    #[regex(r"[A-Za-z][A-Za-z0-9_\-]*")]
    Word,
    #[regex(r"-?[0-9][0-9A-Za-z_]*")]
    Integer,
    #[token("\"", lex_string)]
    String(bool),
    #[token("=")]
    Equals,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token(",")]
    Comma,
    #[token("*")]
    Star,
    #[token("\x1A")]
    DosEof,
    #[regex(r"[\x00-\x08\x0B\x0C\x0E-\x19\x1B-\x1F\x7F]")]
    Control,
}

/// Scan a literal after its opening quote. Returns whether it was closed;
/// an unclosed one ends at its first line break.
fn lex_string(lex: &mut logos::Lexer<RawToken>) -> bool {
    let start = lex.span().start;
    let rest = lex.remainder().as_bytes();
    if lex.extras.unterminated_from.is_none_or(|from| start < from) {
        let mut i = 0;
        while i < rest.len() {
            match rest[i] {
                b'"' => {
                    lex.bump(i + 1);
                    return true;
                }
                // Skip the escaped byte; continuation bytes of a multi-byte
                // character never equal '"' or '\\', so landing inside one is safe.
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
        lex.extras.unterminated_from = Some(start);
    }
    let line_end = rest
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(rest.len());
    lex.bump(line_end);
    false
}

/// Split text into tokens covering it completely (texts over 4 GiB: their
/// first 4 GiB, as token offsets are 32-bit; the CLI reads at most 64 MiB).
pub fn lex(text: &str) -> Vec<Token> {
    // Typical MIF text has about 0.3 tokens per byte; reserving that avoids
    // copying the whole vector when it grows.
    let mut tokens = Vec::with_capacity(text.len().min(u32::MAX as usize) / 3 + 16);
    tokens.extend(Lexer::new(text));
    tokens
}

/// The tokens of a text one at a time, as [`lex`] gives them, for passes
/// that need not keep them all (the formatter's segments, its safety net).
pub struct Lexer<'a> {
    text: &'a str,
    raw: logos::Lexer<'a, RawToken>,
    /// The token read but not yet given out: the next raw token may still
    /// widen or merge into it.
    pending: Option<Token>,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Lexer<'a> {
        let mut limit = text.len().min(u32::MAX as usize);
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let text = &text[..limit];
        Lexer {
            text,
            raw: RawToken::lexer(text),
            pending: None,
        }
    }

    fn next_raw(&mut self) -> Option<(TokenKind, usize, usize)> {
        let result = self.raw.next()?;
        let range = self.raw.span();
        let kind = match result {
            Ok(RawToken::Whitespace) => TokenKind::Whitespace,
            Ok(RawToken::Newline) => TokenKind::Newline,
            Ok(RawToken::Comment) => TokenKind::Comment,
            Ok(RawToken::Word) => TokenKind::Word,
            Ok(RawToken::Integer) => TokenKind::Integer,
            Ok(RawToken::String(true)) => TokenKind::String,
            Ok(RawToken::String(false)) => TokenKind::UnterminatedString,
            Ok(RawToken::Equals) => TokenKind::Equals,
            Ok(RawToken::LParen) => TokenKind::LParen,
            Ok(RawToken::RParen) => TokenKind::RParen,
            Ok(RawToken::LBrace) => TokenKind::LBrace,
            Ok(RawToken::RBrace) => TokenKind::RBrace,
            Ok(RawToken::Comma) => TokenKind::Comma,
            Ok(RawToken::Star) => TokenKind::Star,
            Ok(RawToken::DosEof) => TokenKind::DosEof,
            Ok(RawToken::Control) => TokenKind::Control,
            Err(()) => TokenKind::Stray,
        };
        Some((kind, range.start, range.end))
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    /// The next token, error tokens widened to whole characters and runs
    /// of stray characters merged, so one bad word gives one diagnostic.
    fn next(&mut self) -> Option<Token> {
        loop {
            let Some((kind, start, mut end)) = self.next_raw() else {
                return self.pending.take();
            };
            while !self.text.is_char_boundary(end) {
                end += 1;
            }
            if let Some(last) = self.pending.as_mut() {
                let last_end = last.end as usize;
                if last_end > start {
                    // The previous error token was widened over this one's bytes.
                    if end > last_end {
                        last.end = offset(end);
                    }
                    continue;
                }
                if kind == TokenKind::Stray && last.kind == TokenKind::Stray && last_end == start {
                    last.end = offset(end);
                    continue;
                }
            }
            let token = Token::new(kind, Span::new(start, end));
            if let Some(ready) = self.pending.replace(token) {
                return Some(ready);
            }
        }
    }
}

/// Every keyword of the MIF grammar. Matching is case-insensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    Start,
    End,
    Component,
    Path,
    /// `PATHS`: an old spelling of `PATH` in IBM samples.
    Paths,
    Enum,
    Group,
    Attribute,
    Table,
    Language,
    Name,
    Description,
    Pragma,
    Class,
    Id,
    Key,
    Type,
    Access,
    Storage,
    Value,
    ReadOnly,
    ReadWrite,
    WriteOnly,
    Common,
    Specific,
    Unsupported,
    Unknown,
    DirectInterface,
    Dos,
    MacOs,
    Os2,
    Unix,
    Win16,
    Win32,
    Win9x,
    WinNt,
    Integer,
    Int,
    Integer64,
    Int64,
    Gauge,
    Counter,
    Counter64,
    String,
    DisplayString,
    OctetString,
    Date,
}

impl Keyword {
    const ALL: &'static [(&'static str, Keyword)] = &[
        ("START", Keyword::Start),
        ("END", Keyword::End),
        ("COMPONENT", Keyword::Component),
        ("PATH", Keyword::Path),
        ("PATHS", Keyword::Paths),
        ("ENUM", Keyword::Enum),
        ("GROUP", Keyword::Group),
        ("ATTRIBUTE", Keyword::Attribute),
        ("TABLE", Keyword::Table),
        ("LANGUAGE", Keyword::Language),
        ("NAME", Keyword::Name),
        ("DESCRIPTION", Keyword::Description),
        ("PRAGMA", Keyword::Pragma),
        ("CLASS", Keyword::Class),
        ("ID", Keyword::Id),
        ("KEY", Keyword::Key),
        ("TYPE", Keyword::Type),
        ("ACCESS", Keyword::Access),
        ("STORAGE", Keyword::Storage),
        ("VALUE", Keyword::Value),
        ("READ-ONLY", Keyword::ReadOnly),
        ("READ-WRITE", Keyword::ReadWrite),
        ("WRITE-ONLY", Keyword::WriteOnly),
        ("COMMON", Keyword::Common),
        ("SPECIFIC", Keyword::Specific),
        ("UNSUPPORTED", Keyword::Unsupported),
        ("UNKNOWN", Keyword::Unknown),
        ("DIRECT-INTERFACE", Keyword::DirectInterface),
        ("DOS", Keyword::Dos),
        ("MACOS", Keyword::MacOs),
        ("OS2", Keyword::Os2),
        ("UNIX", Keyword::Unix),
        ("WIN16", Keyword::Win16),
        ("WIN32", Keyword::Win32),
        ("WIN9X", Keyword::Win9x),
        ("WINNT", Keyword::WinNt),
        ("INTEGER", Keyword::Integer),
        ("INT", Keyword::Int),
        ("INTEGER64", Keyword::Integer64),
        ("INT64", Keyword::Int64),
        ("GAUGE", Keyword::Gauge),
        ("COUNTER", Keyword::Counter),
        ("COUNTER64", Keyword::Counter64),
        ("STRING", Keyword::String),
        ("DISPLAYSTRING", Keyword::DisplayString),
        ("OCTETSTRING", Keyword::OctetString),
        ("DATE", Keyword::Date),
    ];

    /// Classify a bare word, ignoring case. Called for every word the
    /// parser meets, so it upper-cases into a stack buffer and lets a
    /// `match` (a decision tree on length and bytes) do the lookup.
    pub fn parse(word: &str) -> Option<Keyword> {
        const LONGEST: usize = "DIRECT-INTERFACE".len();
        let mut buffer = [0u8; LONGEST];
        let upper = buffer.get_mut(..word.len())?;
        upper.copy_from_slice(word.as_bytes());
        upper.make_ascii_uppercase();
        Some(match &*upper {
            b"START" => Keyword::Start,
            b"END" => Keyword::End,
            b"COMPONENT" => Keyword::Component,
            b"PATH" => Keyword::Path,
            b"PATHS" => Keyword::Paths,
            b"ENUM" => Keyword::Enum,
            b"GROUP" => Keyword::Group,
            b"ATTRIBUTE" => Keyword::Attribute,
            b"TABLE" => Keyword::Table,
            b"LANGUAGE" => Keyword::Language,
            b"NAME" => Keyword::Name,
            b"DESCRIPTION" => Keyword::Description,
            b"PRAGMA" => Keyword::Pragma,
            b"CLASS" => Keyword::Class,
            b"ID" => Keyword::Id,
            b"KEY" => Keyword::Key,
            b"TYPE" => Keyword::Type,
            b"ACCESS" => Keyword::Access,
            b"STORAGE" => Keyword::Storage,
            b"VALUE" => Keyword::Value,
            b"READ-ONLY" => Keyword::ReadOnly,
            b"READ-WRITE" => Keyword::ReadWrite,
            b"WRITE-ONLY" => Keyword::WriteOnly,
            b"COMMON" => Keyword::Common,
            b"SPECIFIC" => Keyword::Specific,
            b"UNSUPPORTED" => Keyword::Unsupported,
            b"UNKNOWN" => Keyword::Unknown,
            b"DIRECT-INTERFACE" => Keyword::DirectInterface,
            b"DOS" => Keyword::Dos,
            b"MACOS" => Keyword::MacOs,
            b"OS2" => Keyword::Os2,
            b"UNIX" => Keyword::Unix,
            b"WIN16" => Keyword::Win16,
            b"WIN32" => Keyword::Win32,
            b"WIN9X" => Keyword::Win9x,
            b"WINNT" => Keyword::WinNt,
            b"INTEGER" => Keyword::Integer,
            b"INT" => Keyword::Int,
            b"INTEGER64" => Keyword::Integer64,
            b"INT64" => Keyword::Int64,
            b"GAUGE" => Keyword::Gauge,
            b"COUNTER" => Keyword::Counter,
            b"COUNTER64" => Keyword::Counter64,
            b"STRING" => Keyword::String,
            b"DISPLAYSTRING" => Keyword::DisplayString,
            b"OCTETSTRING" => Keyword::OctetString,
            b"DATE" => Keyword::Date,
            _ => return None,
        })
    }

    /// The canonical (upper-case) spelling.
    pub fn as_str(self) -> &'static str {
        Keyword::ALL
            .iter()
            .find(|&&(_, keyword)| keyword == self)
            .map_or("", |&(name, _)| name)
    }

    /// Environment keywords of a PATH block.
    pub fn is_environment(self) -> bool {
        matches!(
            self,
            Keyword::Dos
                | Keyword::MacOs
                | Keyword::Os2
                | Keyword::Unix
                | Keyword::Win16
                | Keyword::Win32
                | Keyword::Win9x
                | Keyword::WinNt
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        lex(text)
            .into_iter()
            .map(|t| (t.kind, t.text(text)))
            .collect()
    }

    #[test]
    fn tokens_cover_the_text() {
        let text = "Start Group // c\r\n  Name=\"a \\\"b\"\"c\" key = 1,0x1F,-2 {,*} \x1A é|";
        let tokens = lex(text);
        let joined: String = tokens.iter().map(|t| t.text(text)).collect();
        assert_eq!(joined, text);
        for pair in tokens.windows(2) {
            assert_eq!(pair[0].span().end, pair[1].span().start);
        }
    }

    #[test]
    fn hyphenated_keywords_are_one_word() {
        assert_eq!(
            kinds("read-only Direct-Interface"),
            vec![
                (TokenKind::Word, "read-only"),
                (TokenKind::Whitespace, " "),
                (TokenKind::Word, "Direct-Interface")
            ]
        );
        assert_eq!(
            Keyword::parse("Direct-Interface"),
            Some(Keyword::DirectInterface)
        );
        assert_eq!(Keyword::parse("rEaD-wRiTe"), Some(Keyword::ReadWrite));
        assert_eq!(Keyword::parse("bogus"), None);
        assert_eq!(Keyword::parse("direct-interfaces"), None);
    }

    #[test]
    fn every_keyword_parses_from_its_spelling_in_any_case() {
        for &(name, keyword) in Keyword::ALL {
            assert_eq!(Keyword::parse(name), Some(keyword));
            assert_eq!(Keyword::parse(&name.to_ascii_lowercase()), Some(keyword));
            assert_eq!(keyword.as_str(), name);
        }
    }

    #[test]
    fn strings_may_span_lines_and_unterminated_ones_stop_at_the_line_end() {
        assert_eq!(kinds("\"a\nb\"")[0], (TokenKind::String, "\"a\nb\""));
        let text = "\"abc\nNAME = 1";
        let tokens = kinds(text);
        assert_eq!(tokens[0], (TokenKind::UnterminatedString, "\"abc"));
        assert_eq!(tokens[1], (TokenKind::Newline, "\n"));
        assert_eq!(tokens[2], (TokenKind::Word, "NAME"));
    }

    #[test]
    fn stray_characters_merge_and_keep_char_boundaries() {
        assert_eq!(kinds("é|."), vec![(TokenKind::Stray, "é|.")]);
        assert_eq!(kinds("\0")[0].0, TokenKind::Control);
    }

    #[test]
    fn many_stray_quotes_lex_in_linear_time() {
        // Every quote after the first is escaped, so no string ever closes.
        let text = format!("\"a\n{}", "\\\"a\n".repeat(200_000));
        let tokens = lex(&text);
        let unterminated = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::UnterminatedString)
            .count();
        assert_eq!(unterminated, 200_001);
    }
}
