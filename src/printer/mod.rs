//! The canonical printer behind `mif fmt` (style: `docs/style.md`).
//!
//! It works from the typed tree plus the lossless token vector: the tree
//! says where statements, rows and blocks begin and end; the tokens between
//! them are the trivia (own-line comments, blank lines). Values keep their
//! source spelling; only layout and keyword case change. [`format_bytes`]
//! adds a safety net that reads the output back (finds the input's
//! tokens in it one after another, lexing it in full wherever that is not
//! provably what the lexer would read; compares line breaks; parses it
//! where they differ) and refuses anything that is not provably the same
//! file.

use std::fmt;

mod print;
mod readback;
mod stretches;

use crate::chunk::every_byte;
use crate::diagnostics::Diagnostic;
use crate::lexer::{Lexer, Token, TokenKind};
use crate::source::{encode_owned, Encoding, Source, Unmappable};
use crate::syntax::Document;

use print::{Layout, Printer};
use stretches::{Pass, Sink};

/// The formatter's few knobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatOptions {
    pub indent: Indent,
    pub line_ending: LineEndingChoice,
    pub keyword_case: KeywordCase,
}

impl Default for FormatOptions {
    /// The canonical style: 4 spaces, the file's own line ending, upper-case keywords.
    fn default() -> FormatOptions {
        FormatOptions {
            indent: Indent::Spaces(4),
            line_ending: LineEndingChoice::Auto,
            keyword_case: KeywordCase::Upper,
        }
    }
}

/// One level of indentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indent {
    Spaces(u8),
    Tab,
}

/// Which line ending to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEndingChoice {
    /// The file's first line ending outside string literals; LF when it has none.
    Auto,
    Lf,
    CrLf,
}

/// How to spell keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeywordCase {
    Upper,
    Lower,
    Preserve,
}

/// Why a file was not formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The file does not parse; these are its diagnostics (errors and warnings).
    Syntax(Vec<Diagnostic>),
    /// The safety net caught output that is not equivalent to the input.
    Unsafe { message: String },
    /// The output has a character the file's encoding cannot hold.
    Unencodable(Unmappable),
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Syntax(diagnostics) => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                write!(
                    f,
                    "the file has {errors} syntax error{}; fix {} first (`mif check` explains each)",
                    if errors == 1 { "" } else { "s" },
                    if errors == 1 { "it" } else { "them" }
                )
            }
            FormatError::Unsafe { message } => write!(
                f,
                "internal error: the formatted text would not be equivalent to the input \
                 ({message}); nothing was changed, please report this"
            ),
            FormatError::Unencodable(unmappable) => write!(
                f,
                "the formatted text cannot be written in the file's encoding: {unmappable}"
            ),
        }
    }
}

impl std::error::Error for FormatError {}

/// Canonical text for a document without syntax errors (decoded text; the caller encodes).
pub fn format_document(doc: &Document, options: &FormatOptions) -> Result<String, FormatError> {
    if doc.has_errors() {
        return Err(FormatError::Syntax(doc.diagnostics.clone()));
    }
    let newline = line_ending(options.line_ending, &doc.tokens, doc.text());
    let mut layout = Layout::new(options, newline, doc.text().len());
    Printer::new(doc.text(), &doc.tokens, &mut layout).file(&doc.items);
    layout
        .into_text()
        .map_err(|message| FormatError::Unsafe { message })
}

/// Whole pipeline: decode, parse, refuse on syntax errors, format, run the
/// safety net, encode in the input's encoding and BOM. Files are formatted
/// one stretch at a time where they allow it (see `stretches.rs`), else whole.
pub fn format_bytes(bytes: &[u8], options: &FormatOptions) -> Result<Vec<u8>, FormatError> {
    let ascii = ascii_text(bytes);
    if let Some(text) = ascii {
        let mut out = Vec::with_capacity(output_room(text.len()));
        if stretches::format(text, Encoding::SingleByte, options, &mut out)? == Pass::Printed {
            return encode_checked(output_string(out)?, Encoding::SingleByte);
        }
    }
    let (text, encoding) = format_decoded(Source::decode(bytes), ascii.is_none(), options)?;
    encode_checked(text, encoding)
}

/// Whether [`format_bytes`] would give back `bytes` unchanged: what
/// `mif fmt --check` asks. Where the file is formatted in stretches, the
/// output is compared with the input as the safety net passes it, and
/// not kept, so a large file needs room for its input only.
pub fn formats_unchanged(bytes: &[u8], options: &FormatOptions) -> Result<bool, FormatError> {
    let ascii = ascii_text(bytes);
    if let Some(text) = ascii {
        let mut same = SameAs {
            input: bytes,
            at: 0,
            same: true,
        };
        if stretches::format(text, Encoding::SingleByte, options, &mut same)? == Pass::Printed {
            return Ok(same.same && same.at == bytes.len());
        }
    }
    let (text, encoding) = format_decoded(Source::decode(bytes), ascii.is_none(), options)?;
    Ok(encode_checked(text, encoding)? == bytes)
}

/// A file's bytes as text when they are ASCII, which is its own text in a
/// single-byte file (every BOM starts with a byte above 0x7F): the stretch
/// pass then reads the bytes in place, and a large file is not copied once
/// more to be decoded.
fn ascii_text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes)
        .ok()
        .filter(|text| text.is_ascii())
}

/// Room for the output of `input_len` bytes: canonical indents make messy
/// text grow by about a fifth, and room for that up front saves copying
/// the output when it outgrows its buffer.
fn output_room(input_len: usize) -> usize {
    input_len + input_len / 4 + 64
}

/// The stretch pass's output compared with an ASCII input as it comes,
/// for [`formats_unchanged`]. ASCII text is its own single-byte encoding,
/// and the output of an ASCII input is ASCII: the safety net has found
/// the input's tokens in it, and the printer adds only ASCII layout.
struct SameAs<'a> {
    input: &'a [u8],
    /// How much output has been compared.
    at: usize,
    same: bool,
}

impl Sink for SameAs<'_> {
    fn put(&mut self, printed: &[u8]) {
        let end = self.at + printed.len();
        self.same = self.same && self.input.get(self.at..end) == Some(printed);
        self.at = end;
    }
}

/// The safety net's message for output that is not UTF-8, which would
/// mean a token was cut.
fn not_utf8(error: std::str::Utf8Error) -> String {
    format!("the output is not UTF-8 ({error})")
}

/// Printed bytes as text (the printer puts in only ASCII and whole tokens
/// of a `str`, so they are UTF-8 unless a token was cut).
fn output_text(printed: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(printed).map_err(not_utf8)
}

/// [`output_text`] for the whole output.
fn output_string(printed: Vec<u8>) -> Result<String, FormatError> {
    String::from_utf8(printed).map_err(|error| FormatError::Unsafe {
        message: not_utf8(error.utf8_error()),
    })
}

/// `text` in `encoding`, refused if it would read back as another encoding.
fn encode_checked(text: String, encoding: Encoding) -> Result<Vec<u8>, FormatError> {
    let out = encode_owned(text, encoding).map_err(FormatError::Unencodable)?;
    let written = Encoding::of(&out);
    if written != encoding {
        return Err(FormatError::Unsafe {
            message: format!("the encoding changed from {encoding} to {written}"),
        });
    }
    Ok(out)
}

/// [`format_bytes`] for a decoded file: by stretches when `try_stretches`
/// and the file decoded cleanly, else whole.
fn format_decoded(
    source: Source,
    try_stretches: bool,
    options: &FormatOptions,
) -> Result<(String, Encoding), FormatError> {
    let encoding = source.encoding;
    if try_stretches && source.decode_errors.is_empty() {
        let mut out = Vec::with_capacity(output_room(source.text.len()));
        if stretches::format(&source.text, encoding, options, &mut out)? == Pass::Printed {
            return Ok((output_string(out)?, encoding));
        }
    }
    let input = Document::from_source(source);
    let text = format_document(&input, options)?;
    verify(input, &text)?;
    Ok((text, encoding))
}

/// The safety net: the output has the input's meaningful tokens and
/// comments, in order, and parses without errors. (That formatting is
/// idempotent is a property of the printer, held by the tests and the
/// fuzzers; checking it here would cost a third pass over every file.)
fn verify(input: Document, text: &str) -> Result<(), FormatError> {
    let unsafe_output = |message: String| FormatError::Unsafe { message };
    // Compare token streams before the output's tree is built, freeing the
    // input's tree first and its tokens after: this keeps the peak memory
    // near one document's instead of two.
    let Document {
        source: input_source,
        tokens: input_tokens,
        items,
        diagnostics,
    } = input;
    drop((items, diagnostics));
    let breaks = same_tokens_as_printed(
        input_tokens.iter().copied(),
        &input_source.text,
        text.as_bytes(),
    )
    .map_err(unsafe_output)?;
    drop(input_tokens);
    output_parses_unless_same(breaks, || output_parses(text, input_source.encoding))
}

/// The safety net's last check: the output, read as a file in `encoding`,
/// parses without errors.
fn output_parses(text: &str, encoding: Encoding) -> Result<(), FormatError> {
    let output = Document::from_source(Source::from_text(text.to_string(), encoding));
    match output.diagnostics.iter().find(|d| d.is_error()) {
        Some(error) => Err(FormatError::Unsafe {
            message: format!("the output does not parse: {}", error.message),
        }),
        None => Ok(()),
    }
}

/// Run `parse` (the output's parse) unless `breaks` shows it would read
/// what the input's parse read. The parser sees only the meaningful
/// tokens (words whatever their case) and whether a line break comes
/// before each token after the first (`Parser::new` fixes the answer for
/// the first); the lexical checks look only at the tokens' own bytes.
/// `tests/parser_layout.rs` holds the parser to that. So when the tokens
/// and those line breaks are the same, the output parses exactly as the
/// input did, without errors, and its parse would be a second, slower way
/// of learning nothing. Test builds parse anyway and fail loudly if that
/// ever stops being true.
fn output_parses_unless_same<E: fmt::Debug>(
    breaks: Breaks,
    parse: impl FnOnce() -> Result<(), E>,
) -> Result<(), E> {
    if breaks == Breaks::Same {
        if cfg!(debug_assertions) {
            let parsed = parse();
            assert!(
                parsed.is_ok(),
                "output with the input's tokens and line breaks does not parse: {parsed:?}"
            );
        }
        return Ok(());
    }
    parse()
}

/// Where the line breaks of two token streams with the same tokens fall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Breaks {
    /// Before the same tokens (the first token aside).
    Same,
    /// Some token moved onto or off a line of its own.
    Moved,
}

/// [`same_tokens`] of the input's tokens and the printed bytes, read back
/// the quick way when it gives an answer (see `readback.rs`), else lexed.
fn same_tokens_as_printed(
    old: impl Iterator<Item = Token> + Clone,
    old_text: &str,
    printed: &[u8],
) -> Result<Breaks, String> {
    let lexed = || {
        let printed = output_text(printed)?;
        same_tokens(old.clone(), old_text, Lexer::new(printed), printed)
    };
    match readback::read_as_expected(old.clone(), old_text, printed) {
        Some(breaks) => {
            if cfg!(debug_assertions) {
                assert_eq!(
                    lexed(),
                    Ok(breaks),
                    "the quick reading disagrees with the lexer"
                );
            }
            Ok(breaks)
        }
        None => lexed(),
    }
}

/// Compare meaningful tokens (words ignoring case) and comments (ignoring
/// trailing blanks) of two token streams over their texts, in order, and
/// say whether line breaks come before the same ones. The streams are
/// read as they come, so the output's tokens need not be stored.
fn same_tokens(
    old: impl Iterator<Item = Token>,
    old_text: &str,
    new: impl Iterator<Item = Token>,
    new_text: &str,
) -> Result<Breaks, String> {
    let mut old_tokens = Meaningful(old);
    let mut new_tokens = Meaningful(new);
    let mut breaks = Breaks::Same;
    let mut index = 0;
    loop {
        index += 1;
        match (old_tokens.next(), new_tokens.next()) {
            (None, None) => return Ok(breaks),
            (Some((a, a_break)), Some((b, b_break)))
                if a.kind == b.kind
                    && same_text(a.kind, token_bytes(&a, old_text), token_bytes(&b, new_text)) =>
            {
                if a_break != b_break && index > 1 {
                    breaks = Breaks::Moved;
                }
            }
            (a, b) => {
                let shown = |token: Option<(Token, bool)>, text: &str| {
                    token.map_or("nothing".to_string(), |(t, _)| {
                        format!("`{}`", t.text(text).escape_debug())
                    })
                };
                return Err(format!(
                    "token {index} changed from {} to {}",
                    shown(a, old_text),
                    shown(b, new_text)
                ));
            }
        }
    }
}

/// Whether two tokens of the same `kind` say the same thing.
fn same_text(kind: TokenKind, old: &[u8], new: &[u8]) -> bool {
    match kind {
        TokenKind::Word => same_word(old, new),
        TokenKind::Comment => trim_comment_bytes(old) == trim_comment_bytes(new),
        _ => old == new,
    }
}

/// Whether `new` is the word `old` ignoring case, as
/// `eq_ignore_ascii_case` says, for `old` a word (`[A-Za-z][A-Za-z0-9_-]*`,
/// as the lexer makes them) and `new` any bytes. Two bytes are the same
/// ignoring case when they are equal, or when they differ in bit 0x20
/// alone and `old`'s is a letter. That is checked up to 8 bytes at a
/// time: a word of 2 bytes or more is compared as its first and last 2,
/// 4 or 8 bytes, which overlap or meet, and any 8-byte chunks between.
fn same_word(old: &[u8], new: &[u8]) -> bool {
    /// `N` bytes of `bytes` from `at`, read as a number.
    fn chunk<const N: usize>(bytes: &[u8], at: usize) -> u64 {
        let mut wide = [0; 8];
        wide[..N].copy_from_slice(&bytes[at..at + N]);
        u64::from_le_bytes(wide)
    }
    /// Whether the `N` bytes from `at` differ in more than the case of
    /// `old`'s letters.
    fn differ_at<const N: usize>(old: &[u8], new: &[u8], at: usize) -> u64 {
        let old = chunk::<N>(old, at);
        (old ^ chunk::<N>(new, at)) & !letters(old)
    }
    /// Bit 0x20 of each byte of an ASCII `chunk` that is a letter: `| 0x20`
    /// lowers a letter, and adding `0x80 - b'a'` sets a byte's high bit
    /// exactly from `a` on, adding `0x80 - (b'z' + 1)` exactly past `z`.
    /// No byte carries into the next, as none is above 0x7F.
    fn letters(chunk: u64) -> u64 {
        let lower = chunk | every_byte(0x20);
        let from_a = lower + every_byte(0x80 - b'a');
        let past_z = lower + every_byte(0x80 - b'z' - 1);
        (from_a & !past_z & every_byte(0x80)) >> 2
    }
    /// Whether the first and the last `N` bytes match.
    fn ends_match<const N: usize>(old: &[u8], new: &[u8]) -> bool {
        differ_at::<N>(old, new, 0) | differ_at::<N>(old, new, old.len() - N) == 0
    }
    debug_assert!(old.is_ascii(), "words are ASCII");
    if old.len() != new.len() {
        return false;
    }
    match old.len() {
        0 => true,
        1 => old[0].eq_ignore_ascii_case(&new[0]),
        2..4 => ends_match::<2>(old, new),
        4..8 => ends_match::<4>(old, new),
        _ => {
            (0..old.len() / 8).all(|i| differ_at::<8>(old, new, i * 8) == 0)
                && ends_match::<8>(old, new)
        }
    }
}

/// The tokens that carry meaning or comments, each with whether a line
/// break comes between it and the one before.
struct Meaningful<I>(I);

impl<I: Iterator<Item = Token>> Iterator for Meaningful<I> {
    type Item = (Token, bool);

    fn next(&mut self) -> Option<(Token, bool)> {
        let mut line_break = false;
        for token in self.0.by_ref() {
            match token.kind {
                TokenKind::Whitespace => {}
                TokenKind::Newline => line_break = true,
                _ => return Some((token, line_break)),
            }
        }
        None
    }
}

/// A token's bytes (token offsets always fall on character boundaries).
fn token_bytes<'t>(token: &Token, text: &'t str) -> &'t [u8] {
    &text.as_bytes()[token.span().range()]
}

/// [`trim_comment`] on bytes, for the comparison.
fn trim_comment_bytes(mut bytes: &[u8]) -> &[u8] {
    while let [rest @ .., b' ' | b'\t'] = bytes {
        bytes = rest;
    }
    bytes
}

/// A comment as printed: trailing blanks trimmed.
fn trim_comment(text: &str) -> &str {
    text.trim_end_matches([' ', '\t'])
}

/// `// mif-fmt: off` and `// mif-fmt: on`, with any blanks around the words.
fn is_directive(comment: &str, switch: &str) -> bool {
    comment
        .strip_prefix("//")
        .map(str::trim)
        .and_then(|rest| rest.strip_prefix("mif-fmt:"))
        .is_some_and(|rest| rest.trim() == switch)
}

/// Whether a space goes between two tokens on one line: a look-up in a
/// table of [`space_between`], as it is asked for every token printed.
fn needs_space(previous: TokenKind, next: TokenKind) -> bool {
    SPACES[previous as usize][next as usize]
}

/// [`space_between`] for every pair of token kinds.
const SPACES: [[bool; KINDS]; KINDS] = {
    let mut table = [[true; KINDS]; KINDS];
    let mut previous = 0;
    while previous < KINDS {
        let mut next = 0;
        while next < KINDS {
            let (a, b) = (TokenKind::ALL[previous], TokenKind::ALL[next]);
            table[a as usize][b as usize] = space_between(a, b);
            next += 1;
        }
        previous += 1;
    }
    table
};

/// How many kinds of token there are.
const KINDS: usize = TokenKind::ALL.len();

/// Whether a space goes between two tokens on one line.
const fn space_between(previous: TokenKind, next: TokenKind) -> bool {
    use TokenKind::*;
    match (previous, next) {
        // An empty cell: `{1, , 3}`.
        (Comma, Comma) => true,
        (_, Comma | RParen | RBrace) | (LParen | LBrace, _) | (Word, LParen) => false,
        _ => true,
    }
}

/// The line ending to write: the chosen one, or the first line break
/// among `tokens` (those outside string literals; LF when there is none).
fn line_ending<'t>(
    choice: LineEndingChoice,
    tokens: impl IntoIterator<Item = &'t Token>,
    text: &str,
) -> &'static str {
    match choice {
        LineEndingChoice::Lf => "\n",
        LineEndingChoice::CrLf => "\r\n",
        LineEndingChoice::Auto => tokens
            .into_iter()
            .find(|t| t.kind == TokenKind::Newline)
            .map_or("\n", |t| match t.text(text) {
                "\r\n" => "\r\n",
                "\r" => "\r",
                _ => "\n",
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUT: &str = "start component // c\n name = \"x\"\nend component\n";

    fn check(output: &str) -> Result<(), FormatError> {
        let input = Document::parse_str(INPUT);
        verify(input, output)
    }

    #[test]
    fn the_safety_net_accepts_the_formatted_text() {
        let formatted = format_document(&Document::parse_str(INPUT), &FormatOptions::default());
        let formatted = formatted.unwrap();
        assert_eq!(
            formatted,
            "START COMPONENT // c\n    NAME = \"x\"\nEND COMPONENT\n"
        );
        assert!(check(&formatted).is_ok());
    }

    #[test]
    fn the_safety_net_refuses_lost_comments_changed_values_and_broken_output() {
        for (output, why) in [
            (
                "START COMPONENT\n    NAME = \"x\"\nEND COMPONENT\n",
                "`// c` to `NAME`",
            ),
            (
                "START COMPONENT // c\n    NAME = \"y\"\nEND COMPONENT\n",
                "token 6 changed",
            ),
        ] {
            let error = check(output).unwrap_err();
            assert!(
                matches!(&error, FormatError::Unsafe { message } if message.contains(why)),
                "{why}: {error}"
            );
        }
        // The parser reads the same tokens the same way however the lines
        // fall, so output with the input's tokens parses; the last check
        // stands guard all the same.
        let error = output_parses("START COMPONENT\nNAME = x\nEND COMPONENT\n", Encoding::Utf8);
        assert!(
            matches!(&error, Err(FormatError::Unsafe { message }) if message.contains("does not parse")),
            "{error:?}"
        );
    }

    #[test]
    fn only_line_breaks_before_other_tokens_send_the_output_to_the_parser() {
        let breaks = |old: &str, new: &str| same_tokens(Lexer::new(old), old, Lexer::new(new), new);
        // Blanks, case, blank lines and the first token's line aside.
        assert_eq!(
            breaks("A = 1 // c\nB", "\n\n  a  =\t1 // c\r\n\n b"),
            Ok(Breaks::Same)
        );
        assert_eq!(breaks("A = 1\nB", "A\n= 1\nB"), Ok(Breaks::Moved));
        assert_eq!(breaks("A = 1\nB", "A = 1 B"), Ok(Breaks::Moved));
        assert_eq!(breaks("A // c\n= 1", "A\n// c\n= 1"), Ok(Breaks::Moved));
    }

    proptest::proptest! {
        #[test]
        fn words_compare_as_byte_by_byte_ignoring_case(
            word in "[A-Za-z][A-Za-z0-9_-]{0,24}",
            flips in proptest::collection::vec(proptest::bool::ANY, 25),
            change in proptest::option::of((0..25usize, proptest::num::u8::ANY)),
        ) {
            // Flipping bit 0x20 changes a letter's case, and turns a digit,
            // `-` or `_` into a byte no word holds.
            let mut other: Vec<u8> = word
                .bytes()
                .zip(&flips)
                .map(|(b, &flip)| if flip { b ^ 0x20 } else { b })
                .collect();
            if let Some((at, with)) = change {
                if at < other.len() {
                    other[at] = with;
                } else {
                    other.push(with);
                }
            }
            let expected = word.as_bytes().eq_ignore_ascii_case(&other);
            proptest::prop_assert_eq!(same_word(word.as_bytes(), &other), expected);
        }
    }

    #[test]
    fn the_space_table_follows_the_rule() {
        assert!(needs_space(TokenKind::Comma, TokenKind::Comma));
        assert!(!needs_space(TokenKind::Word, TokenKind::LParen));
        assert!(needs_space(TokenKind::Word, TokenKind::Equals));
    }

    #[test]
    fn directives_need_the_exact_words() {
        assert!(is_directive("//   mif-fmt:   off  ", "off"));
        assert!(is_directive("// mif-fmt: on", "on"));
        assert!(!is_directive("// mif-fmt: off please", "off"));
        assert!(!is_directive("// mif-fmt: on", "off"));
    }
}
