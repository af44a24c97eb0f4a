//! Lossless lexer: every character of the text belongs to exactly one token,
//! white space, line breaks and comments included, so the token texts
//! concatenate back to the input. Bad input becomes error tokens; lexing
//! never stops early and never fails.

use logos::Logos;

use crate::chunk::marks;
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
    /// `=`.
    Equals,
    /// `(`: opens a string type's size.
    LParen,
    /// `)`: closes a string type's size.
    RParen,
    /// `{`: opens a table row.
    LBrace,
    /// `}`: closes a table row.
    RBrace,
    /// `,`: between row cells and `KEY` IDs.
    Comma,
    /// `*`: marks a value supplied by a path (`* "path name"`).
    Star,
    /// 0x1A, the DOS end-of-file byte some old editors appended.
    DosEof,
    /// A control character (NUL and the like) outside a literal.
    Control,
    /// Any other character that cannot start a token.
    Stray,
}

impl TokenKind {
    /// Every kind, in the order declared, for tables indexed by kind. A
    /// kind added to the enum goes here too (a test holds the list to the
    /// order and to the last kind).
    pub const ALL: [TokenKind; 17] = [
        TokenKind::Whitespace,
        TokenKind::Newline,
        TokenKind::Comment,
        TokenKind::Word,
        TokenKind::Integer,
        TokenKind::String,
        TokenKind::UnterminatedString,
        TokenKind::Equals,
        TokenKind::LParen,
        TokenKind::RParen,
        TokenKind::LBrace,
        TokenKind::RBrace,
        TokenKind::Comma,
        TokenKind::Star,
        TokenKind::DosEof,
        TokenKind::Control,
        TokenKind::Stray,
    ];

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
/// Offsets are stored as `u32` and the fields packed (9 bytes a token
/// instead of 24): files have about 0.3 tokens per byte, so the token
/// vector is the largest structure in memory, and a token without padding
/// is stored in two moves, not copied with its padding bytes. (Packed
/// fields cannot be borrowed, only copied; all three are `Copy`.) [`lex`]
/// covers at most the first 4 GiB of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, packed)]
pub struct Token {
    /// What the token is.
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

    /// The token's text, read from `text`, the text it was lexed from.
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
#[derive(Default, Clone)]
struct Extras {
    unterminated_from: Option<usize>,
}

/// The tokens logos finds; anything it cannot match is an error, which
/// becomes [`TokenKind::Stray`]. The variants are [`TokenKind`]'s, in its
/// order, so turning one into the other is a plain copy.
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
    /// `-?[0-9][0-9A-Za-z_]*`, written as two branches so that each has
    /// a loop of its own, which logos inlines: the shared loop of the
    /// shorter pattern was an out-of-line call for every number.
    #[regex(r"[0-9][0-9A-Za-z_]*|-[0-9][0-9A-Za-z_]*")]
    Integer,
    #[token("\"", lex_string)]
    String,
    /// Given by `lex_string` for a literal with no closing quote.
    UnterminatedString,
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

impl From<RawToken> for TokenKind {
    fn from(raw: RawToken) -> TokenKind {
        match raw {
            RawToken::Whitespace => TokenKind::Whitespace,
            RawToken::Newline => TokenKind::Newline,
            RawToken::Comment => TokenKind::Comment,
            RawToken::Word => TokenKind::Word,
            RawToken::Integer => TokenKind::Integer,
            RawToken::String => TokenKind::String,
            RawToken::UnterminatedString => TokenKind::UnterminatedString,
            RawToken::Equals => TokenKind::Equals,
            RawToken::LParen => TokenKind::LParen,
            RawToken::RParen => TokenKind::RParen,
            RawToken::LBrace => TokenKind::LBrace,
            RawToken::RBrace => TokenKind::RBrace,
            RawToken::Comma => TokenKind::Comma,
            RawToken::Star => TokenKind::Star,
            RawToken::DosEof => TokenKind::DosEof,
            RawToken::Control => TokenKind::Control,
        }
    }
}

/// Scan a literal after its opening quote; an unclosed one ends at its
/// first line break. Kept out of logos's matching function, which every
/// token goes through: inlined there, it costs each token more registers
/// to save than it saves a literal.
#[inline(never)]
fn lex_string(lex: &mut logos::Lexer<RawToken>) -> RawToken {
    let start = lex.span().start;
    let rest = lex.remainder().as_bytes();
    if lex.extras.unterminated_from.is_none_or(|from| start < from) {
        let mut i = 0;
        while i < rest.len() {
            // Plain bytes 8 at a time, to the next quote or backslash.
            if let Some(chunk) = rest[i..].first_chunk::<8>() {
                let found = quotes_or_backslashes(u64::from_le_bytes(*chunk));
                if found == 0 {
                    i += 8;
                    continue;
                }
                i += found.trailing_zeros() as usize / 8;
            }
            match rest[i] {
                b'"' => {
                    lex.bump(i + 1);
                    return RawToken::String;
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
    RawToken::UnterminatedString
}

/// Marks (0x80) the bytes of `chunk` that are `"` or `\\`, for skipping
/// a literal's plain bytes 8 at a time; the lowest mark is exact.
fn quotes_or_backslashes(chunk: u64) -> u64 {
    marks(chunk, b'"') | marks(chunk, b'\\')
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
    /// Where the last token ended, which is where the next one starts.
    end: usize,
}

impl<'a> Lexer<'a> {
    /// A lexer over `text`, or over its first 4 GiB (cut at a character
    /// boundary) as for [`lex`].
    pub fn new(text: &'a str) -> Lexer<'a> {
        let mut limit = text.len().min(u32::MAX as usize);
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let text = &text[..limit];
        Lexer {
            text,
            raw: RawToken::lexer(text),
            end: 0,
        }
    }

    /// A token read from the text: its offsets fit in `u32` unchecked, as
    /// [`Lexer::new`] cut the text to at most `u32::MAX` bytes.
    fn token(kind: TokenKind, start: usize, end: usize) -> Token {
        Token {
            kind,
            start: start as u32,
            end: end as u32,
        }
    }

    /// Where a stray token ending at `end` really ends: at the end of the
    /// character it ends in, as only an error token can end inside a
    /// character (every other token's pattern takes whole characters).
    fn char_end(&self, mut end: usize) -> usize {
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        end
    }

    /// The stray token the raw lexer just gave, widened to whole characters
    /// and merged with the stray tokens right after it. The raw tokens after
    /// it are read on a copy of the raw lexer, which is kept only while they
    /// merge, so the first token that does not merge is read again by the
    /// next call to `next`.
    #[cold]
    #[inline(never)]
    fn stray(&mut self) -> Token {
        let start = self.raw.span().start;
        let mut end = self.char_end(self.raw.span().end);
        loop {
            let mut ahead = self.raw.clone();
            let Some(result) = ahead.next() else { break };
            let range = ahead.span();
            // A token the stray token was widened over, or a stray token
            // right after it.
            let merges = range.start < end || (result.is_err() && range.start == end);
            if !merges {
                break;
            }
            let token_end = match result {
                Ok(_) => range.end,
                Err(()) => self.char_end(range.end),
            };
            end = end.max(token_end);
            self.raw = ahead;
        }
        Lexer::token(TokenKind::Stray, start, end)
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    /// The next token, error tokens widened to whole characters and runs
    /// of stray characters merged, so one bad word gives one diagnostic.
    #[inline]
    fn next(&mut self) -> Option<Token> {
        let Ok(raw) = self.raw.next()? else {
            let stray = self.stray();
            self.end = stray.span().end;
            return Some(stray);
        };
        // Tokens cover the text one after another, so this one starts
        // where the last ended. Reading the start from the raw lexer as
        // well made the compiler load both offsets as one 16-byte value,
        // which the processor cannot forward from the two separate stores
        // that wrote them: a stall on every token.
        let start = self.end;
        debug_assert_eq!(start, self.raw.span().start);
        self.end = self.raw.span().end;
        Some(Lexer::token(raw.into(), start, self.end))
    }
}

/// Every keyword of the MIF grammar. Matching is case-insensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    /// `START`: opens a block.
    Start,
    /// `END`: closes a block.
    End,
    /// `COMPONENT`: the file's top-level block.
    Component,
    /// `PATH`: a block naming the code that supplies values.
    Path,
    /// `PATHS`: an old spelling of `PATH` in IBM samples.
    Paths,
    /// `ENUM`: a block of named integer values.
    Enum,
    /// `GROUP`: a block of attributes.
    Group,
    /// `ATTRIBUTE`: a block for one value.
    Attribute,
    /// `TABLE`: a block of rows for a keyed group.
    Table,
    /// `LANGUAGE`: the file's language, before `START COMPONENT`.
    Language,
    /// `NAME`: a block's name.
    Name,
    /// `DESCRIPTION`: text for people.
    Description,
    /// `PRAGMA`: hints for the program that reads the file.
    Pragma,
    /// `CLASS`: a group's class, `"defining body|name|version"`.
    Class,
    /// `ID`: a group's or attribute's number.
    Id,
    /// `KEY`: the attribute IDs that tell a table's rows apart.
    Key,
    /// `TYPE`: an attribute's data type.
    Type,
    /// `ACCESS`: whether an attribute may be read, written or both.
    Access,
    /// `STORAGE`: how an attribute's values vary between systems.
    Storage,
    /// `VALUE`: an attribute's value.
    Value,
    /// `READ-ONLY`: an access.
    ReadOnly,
    /// `READ-WRITE`: an access.
    ReadWrite,
    /// `WRITE-ONLY`: an access.
    WriteOnly,
    /// `COMMON`: a storage: values from a small set shared by many systems.
    Common,
    /// `SPECIFIC`: a storage: values particular to each system.
    Specific,
    /// `UNSUPPORTED`: a value the component does not provide.
    Unsupported,
    /// `UNKNOWN`: a value supported but not known now.
    Unknown,
    /// `DIRECT-INTERFACE`: no path: the code registers with the service
    /// layer itself.
    DirectInterface,
    /// `DOS`: a path environment.
    Dos,
    /// `MACOS`: a path environment.
    MacOs,
    /// `OS2`: a path environment.
    Os2,
    /// `UNIX`: a path environment.
    Unix,
    /// `WIN16`: a path environment.
    Win16,
    /// `WIN32`: a path environment.
    Win32,
    /// `WIN9X`: a path environment.
    Win9x,
    /// `WINNT`: a path environment.
    WinNt,
    /// `INTEGER`: a 32-bit signed type.
    Integer,
    /// `INT`: short for `INTEGER`.
    Int,
    /// `INTEGER64`: a 64-bit signed type.
    Integer64,
    /// `INT64`: short for `INTEGER64`.
    Int64,
    /// `GAUGE`: a 32-bit unsigned type that goes up and down.
    Gauge,
    /// `COUNTER`: a 32-bit unsigned type that counts up.
    Counter,
    /// `COUNTER64`: a 64-bit unsigned type that counts up.
    Counter64,
    /// `STRING`: a string type, with a size.
    String,
    /// `DISPLAYSTRING`: a string type for text meant for people.
    DisplayString,
    /// `OCTETSTRING`: a string type for bytes.
    OctetString,
    /// `DATE`: a date and time type.
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

    /// Classify a bare word, ignoring case; `None` for a word that is no
    /// keyword. `PATHS` is [`Keyword::Paths`], `INT` is [`Keyword::Int`]:
    /// the old and short spellings are told apart from the ones they
    /// stand for.
    pub fn parse(word: &str) -> Option<Keyword> {
        // Called for every word the parser meets, so it copies nothing: no
        // two keywords share their first letter, last letter and length,
        // and `keyword_slot` gives those three a slot of their own in
        // `KEYWORD_SLOTS`, which holds the one candidate ready to compare:
        // its length, and its name's ends as `word_ends` reads them,
        // lower-cased.
        Keyword::parse_bytes(word.as_bytes())
    }

    /// [`Keyword::parse`] for a word's bytes: the parser classifies words
    /// straight from the text's bytes, without slicing the text as a
    /// `str` (which checks both ends for a character boundary).
    pub(crate) fn parse_bytes(bytes: &[u8]) -> Option<Keyword> {
        let (&first, &last) = (bytes.first()?, bytes.last()?);
        let slot = &KEYWORD_SLOTS[keyword_slot(first, last, bytes.len())];
        if slot.len != bytes.len() {
            return None;
        }
        let (word_first, word_last) = word_ends(bytes)?;
        let (name_first, name_last) = slot.lower_ends;
        let (case_first, case_last) = slot.case_bits;
        (word_first | case_first == name_first && word_last | case_last == name_last)
            .then_some(slot.keyword)
    }

    /// The canonical (upper-case) spelling.
    pub fn as_str(self) -> &'static str {
        // `ALL` lists the keywords in declaration order (a test holds it to that).
        Keyword::ALL[self as usize].0
    }

    /// The environments a PATH block names code for.
    pub const ENVIRONMENTS: [Keyword; 8] = [
        Keyword::Win32,
        Keyword::Win9x,
        Keyword::WinNt,
        Keyword::Win16,
        Keyword::Dos,
        Keyword::Os2,
        Keyword::Unix,
        Keyword::MacOs,
    ];

    /// Environment keywords of a PATH block.
    pub fn is_environment(self) -> bool {
        Keyword::ENVIRONMENTS.contains(&self)
    }
}

/// Where a keyword with this first and last byte and length sits in
/// [`KEYWORD_SLOTS`]: the three packed in a number, each byte with its
/// case bit set (a letter's case does not matter; keywords hold no other
/// byte that bit changes), times a constant chosen so that the top 7 bits
/// differ for every keyword. A word that is no keyword may land on any
/// slot: `parse` compares the candidate in full. (A longer word's length
/// is cut short here; `parse` compares lengths.)
const fn keyword_slot(first: u8, last: u8, len: usize) -> usize {
    let key = (first as u32 | (last as u32) << 8 | (len as u32) << 16) | 0x2020;
    (key.wrapping_mul(0x13DA_D127) >> 25) as usize
}

/// A keyword as [`Keyword::parse`] compares a word with it.
#[derive(Clone, Copy)]
struct Slot {
    keyword: Keyword,
    /// The name's length; 0 in an empty slot, which no word matches.
    len: usize,
    /// The name's first and last 8, 4 or 2 bytes (as [`word_ends`] reads
    /// a word of its length), lower-cased.
    lower_ends: (u64, u64),
    /// The case bit of every letter in those bytes ([`case_bits`]): a
    /// word's byte with that bit set equals the lower-cased name's only if
    /// the word has the letter there, in either case.
    case_bits: (u64, u64),
}

/// Each keyword in the slot [`keyword_slot`] gives it; building the table
/// fails to compile if two keywords ever share a slot.
const KEYWORD_SLOTS: [Slot; 128] = {
    let empty = Slot {
        keyword: Keyword::Start,
        len: 0,
        lower_ends: (0, 0),
        case_bits: (0, 0),
    };
    let mut slots = [empty; 128];
    let mut index = 0;
    while index < Keyword::ALL.len() {
        let (name, keyword) = Keyword::ALL[index];
        let bytes = name.as_bytes();
        let len = bytes.len();
        let slot = keyword_slot(bytes[0], bytes[len - 1], len);
        assert!(slots[slot].len == 0, "two keywords share a slot");
        let chunk = ends_width(len);
        let first = read_number(bytes, 0, chunk);
        let last = read_number(bytes, len - chunk, chunk);
        slots[slot] = Slot {
            keyword,
            len,
            lower_ends: (first | case_bits(first), last | case_bits(last)),
            case_bits: (case_bits(first), case_bits(last)),
        };
        index += 1;
    }
    slots
};

/// How many bytes at each end of a word of `len` bytes [`word_ends`]
/// reads: the two chunks overlap or meet, so together they cover a word
/// of 2 to 16 bytes, the lengths of the keywords.
const fn ends_width(len: usize) -> usize {
    match len {
        8.. => 8,
        4.. => 4,
        _ => 2,
    }
}

/// The case bit (0x20) of each letter in a number read from a name:
/// letters are the only bytes of a name with bit 0x40.
const fn case_bits(name: u64) -> u64 {
    (name & 0x4040_4040_4040_4040) >> 1
}

/// `width` bytes of `bytes` from `at`, read as a little-endian number (at
/// compile time, where slices cannot be copied).
const fn read_number(bytes: &[u8], at: usize, width: usize) -> u64 {
    let mut number = 0;
    let mut i = width;
    while i > 0 {
        i -= 1;
        number = number << 8 | bytes[at + i] as u64;
    }
    number
}

/// The first and the last 8, 4 or 2 bytes of a word ([`ends_width`]),
/// each read as a number; `None` for a word of one byte.
fn word_ends(bytes: &[u8]) -> Option<(u64, u64)> {
    match ends_width(bytes.len()) {
        8 => ends::<8>(bytes),
        4 => ends::<4>(bytes),
        _ => ends::<2>(bytes),
    }
}

/// The first and the last `N` bytes of `bytes`, each read as a number.
fn ends<const N: usize>(bytes: &[u8]) -> Option<(u64, u64)> {
    let number = |chunk: &[u8; N]| {
        let mut wide = [0; 8];
        wide[..N].copy_from_slice(chunk);
        u64::from_le_bytes(wide)
    };
    Some((number(bytes.first_chunk()?), number(bytes.last_chunk()?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_kind_is_listed_in_its_order() {
        for (index, kind) in TokenKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, index, "{kind:?}");
        }
        assert_eq!(TokenKind::ALL.len(), TokenKind::Stray as usize + 1);
    }

    /// The tokens as the lexer gave them before stray tokens got a fast
    /// path: every token waits in the pending slot in case the next raw
    /// token merges into it.
    fn tokens_with_every_token_pending(text: &str) -> Vec<Token> {
        let mut raw = RawToken::lexer(text);
        let mut pending: Option<Token> = None;
        let mut tokens = Vec::new();
        while let Some(result) = raw.next() {
            let kind = result.map_or(TokenKind::Stray, TokenKind::from);
            let (start, mut end) = (raw.span().start, raw.span().end);
            while !text.is_char_boundary(end) {
                end += 1;
            }
            if let Some(last) = pending.as_mut() {
                let last_end = last.end as usize;
                if last_end > start {
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
            tokens.extend(pending.replace(Token::new(kind, Span::new(start, end))));
        }
        tokens.extend(pending);
        tokens
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn stray_fast_path_gives_the_same_tokens(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("\""), Just("\\"), Just("\r"), Just("\n"), Just("\r\n"), Just(" "),
                    Just("\t"), Just("//"), Just("-"), Just("1"), Just("a"), Just("START"),
                    Just("é"), Just("€"), Just("😀"), Just("\u{1a}"), Just("\u{0}"), Just("\u{7f}"),
                    Just("@"), Just("#"), Just("$"), Just("{"), Just("}"), Just(","), Just("="),
                    Just("("), Just(")"), Just("*"), Just("\u{85}"), Just("\u{a0}"),
                ],
                0..40,
            )
        ) {
            let text: String = pieces.concat();
            prop_assert_eq!(lex(&text), tokens_with_every_token_pending(&text));
        }

        #[test]
        fn stray_fast_path_gives_the_same_tokens_on_any_text(text in "\\PC{0,60}") {
            prop_assert_eq!(lex(&text), tokens_with_every_token_pending(&text));
        }
    }

    /// Where a literal opened at `text[0]` ends, found a byte at a time:
    /// after its closing quote, or `None` when it has none.
    fn closing_quote(text: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut i = 1;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => return Some(i + 1),
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
        None
    }

    proptest! {
        #[test]
        fn literals_end_where_a_byte_by_byte_scan_ends_them(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("\""), Just("\\"), Just("\\\""), Just("a"), Just("abcdefgh"),
                    Just(" "), Just("\n"), Just("é"), Just("€"), Just("😀"),
                ],
                0..40,
            )
        ) {
            let text = format!("\"{}", pieces.concat());
            let first = lex(&text)[0];
            match closing_quote(&text) {
                Some(end) => prop_assert_eq!((first.kind, first.span().end), (TokenKind::String, end)),
                None => prop_assert_eq!(first.kind, TokenKind::UnterminatedString),
            }
        }
    }

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
        for (index, &(name, keyword)) in Keyword::ALL.iter().enumerate() {
            assert_eq!(keyword as usize, index, "{name} is out of order in ALL");
            assert_eq!(Keyword::parse(name), Some(keyword));
            assert_eq!(Keyword::parse(&name.to_ascii_lowercase()), Some(keyword));
            assert_eq!(keyword.as_str(), name);
        }
    }

    /// What `Keyword::parse` must answer: the keyword spelled like `word`
    /// ignoring ASCII case, found the slow way.
    fn keyword_by_search(word: &str) -> Option<Keyword> {
        Keyword::ALL
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(word))
            .map(|&(_, keyword)| keyword)
    }

    #[test]
    fn keywords_parse_in_mixed_case_and_near_misses_do_not() {
        let mut words = vec![String::new(), "\u{212A}EY".to_string(), "ſtart".to_string()];
        for &(name, keyword) in Keyword::ALL {
            let mixed: String = name
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_lowercase()
                    } else {
                        c
                    }
                })
                .collect();
            assert_eq!(Keyword::parse(&mixed), Some(keyword), "{mixed}");
            for at in 0..=name.len() {
                let (before, after) = name.split_at(at);
                for extra in ["A", "-", "0", "é", " "] {
                    words.push(format!("{before}{extra}{after}"));
                }
                if at < name.len() {
                    words.push(format!("{before}{}", &after[1..]));
                    for other in ["X", "1", "é", "_"] {
                        words.push(format!("{before}{other}{}", &after[1..]));
                    }
                }
            }
        }
        for word in &words {
            assert_eq!(Keyword::parse(word), keyword_by_search(word), "{word:?}");
        }
    }

    #[test]
    fn integers_take_an_optional_minus_and_a_lone_minus_is_stray() {
        assert_eq!(
            kinds("-12ab 0x1F -x 7-"),
            vec![
                (TokenKind::Integer, "-12ab"),
                (TokenKind::Whitespace, " "),
                (TokenKind::Integer, "0x1F"),
                (TokenKind::Whitespace, " "),
                (TokenKind::Stray, "-"),
                (TokenKind::Word, "x"),
                (TokenKind::Whitespace, " "),
                (TokenKind::Integer, "7"),
                (TokenKind::Stray, "-"),
            ]
        );
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
