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
//!
//! ```
//! use mif::printer::{
//!     format_bytes, formats_unchanged, FormatError, FormatOptions, Indent, KeywordCase,
//! };
//!
//! let messy = b"start component name=\"x\" // the product\r\nend component\r\n";
//! let options = FormatOptions {
//!     indent: Indent::Tab,
//!     keyword_case: KeywordCase::Lower,
//!     ..FormatOptions::default()
//! };
//! // Layout and keyword case change; values, comments and the file's
//! // line ending stay.
//! let formatted = format_bytes(messy, &options)?;
//! assert_eq!(
//!     formatted,
//!     b"start component\r\n\tname = \"x\" // the product\r\nend component\r\n"
//! );
//! assert!(formats_unchanged(&formatted, &options)?);
//!
//! // A file with syntax errors is not formatted.
//! let broken = format_bytes(b"START COMPONENT NAME = \"x\n", &FormatOptions::default());
//! assert!(matches!(broken, Err(FormatError::Syntax(_))));
//! # Ok::<(), FormatError>(())
//! ```

use std::fmt;

mod print;
mod stretches;
mod verify;

use crate::diagnostics::Diagnostic;
use crate::lexer::{Token, TokenKind};
use crate::source::{encode_owned, Encoding, Source, Unmappable};
use crate::syntax::Document;

use print::{Layout, Printer};
use stretches::{Pass, Sink};
use verify::{
    output_parses, output_parses_unless_same, same_tokens_as_printed, token_bytes, verify,
    verify_parts,
};

/// The formatter's few knobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatOptions {
    /// One level of indentation: each block's contents go one deeper.
    pub indent: Indent,
    /// The line ending to write.
    pub line_ending: LineEndingChoice,
    /// How to spell keywords; values keep their spelling whatever this is.
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
    /// This many spaces (the canonical style uses 4).
    Spaces(u8),
    /// One tab.
    Tab,
}

/// Which line ending to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEndingChoice {
    /// The file's first line ending outside string literals; LF when it has none.
    Auto,
    /// `\n` everywhere.
    Lf,
    /// `\r\n` everywhere.
    CrLf,
}

/// How to spell keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeywordCase {
    /// `START GROUP` (the canonical style).
    Upper,
    /// `start group`.
    Lower,
    /// Each keyword as the file spells it.
    Preserve,
}

/// Why a file was not formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The file does not parse; these are its diagnostics (errors and warnings).
    Syntax(Vec<Diagnostic>),
    /// The safety net caught output that is not equivalent to the input.
    Unsafe {
        /// What differed, for the bug report.
        message: String,
    },
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

/// Canonical text for a document without syntax errors (decoded text;
/// the caller encodes), passed by the safety net: the editor's and the
/// library's way to format a document already parsed.
pub fn format(doc: &Document, options: &FormatOptions) -> Result<String, FormatError> {
    let text = print_document(doc, options)?;
    verify_parts(&doc.tokens, doc.text(), doc.source.encoding, &text)?;
    Ok(text)
}

/// The printer alone, for documents without syntax errors: its output
/// goes through the safety net before anyone sees it.
fn print_document(doc: &Document, options: &FormatOptions) -> Result<String, FormatError> {
    if doc.has_errors() {
        // In the order every command shows diagnostics in.
        let mut diagnostics = doc.diagnostics.clone();
        crate::check::sort(&mut diagnostics);
        return Err(FormatError::Syntax(diagnostics));
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
    // A file the first bytes say something about (UTF-16 without its
    // mark, not MIF at all) is parsed whole, which refuses it: formatting
    // it by stretches would write it back with a byte-order mark.
    if try_stretches && source.decode_errors.is_empty() && source.sniffed.is_none() {
        let mut out = Vec::with_capacity(output_room(source.text.len()));
        if stretches::format(&source.text, encoding, options, &mut out)? == Pass::Printed {
            return Ok((output_string(out)?, encoding));
        }
    }
    let input = Document::from_source(source);
    let text = print_document(&input, options)?;
    verify(input, &text)?;
    Ok((text, encoding))
}

/// A comment as printed: trailing blanks (spaces and tabs, not other
/// white space, which is text) trimmed.
pub(crate) fn trim_comment(text: &str) -> &str {
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
