//! The formatter's safety net: the output is read back and must be the
//! input's tokens and comments, in order, and parse without errors, or
//! nothing is written. Every public way to format goes through it.

mod readback;

use std::fmt;

use crate::chunk::every_byte;
use crate::lexer::{Lexer, Token, TokenKind};
use crate::source::{Encoding, Source};
use crate::syntax::Document;

use super::{output_text, FormatError};

/// The safety net: the output has the input's meaningful tokens and
/// comments, in order, and parses without errors. (That formatting is
/// idempotent is a property of the printer, held by the tests and the
/// fuzzers; checking it here would cost a third pass over every file.)
pub(super) fn verify(input: Document, text: &str) -> Result<(), FormatError> {
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
    let breaks = same_breaks(&input_tokens, &input_source.text, text)?;
    drop(input_tokens);
    output_parses_unless_same(breaks, || output_parses(text, input_source.encoding))
}

/// [`verify`] for an input that stays: `tokens` and `input` are its
/// tokens and text, `encoding` its file's.
pub(super) fn verify_parts(
    tokens: &[Token],
    input: &str,
    encoding: Encoding,
    text: &str,
) -> Result<(), FormatError> {
    let breaks = same_breaks(tokens, input, text)?;
    output_parses_unless_same(breaks, || output_parses(text, encoding))
}

fn same_breaks(tokens: &[Token], input: &str, text: &str) -> Result<Breaks, FormatError> {
    same_tokens_as_printed(tokens.iter().copied(), input, text.as_bytes())
        .map_err(|message| FormatError::Unsafe { message })
}

/// The safety net's last check: the output, read as a file in `encoding`,
/// parses without errors.
pub(super) fn output_parses(text: &str, encoding: Encoding) -> Result<(), FormatError> {
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
pub(super) fn output_parses_unless_same<E: fmt::Debug>(
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
pub(super) enum Breaks {
    /// Before the same tokens (the first token aside).
    Same,
    /// Some token moved onto or off a line of its own.
    Moved,
}

/// [`same_tokens`] of the input's tokens and the printed bytes, read back
/// the quick way when it gives an answer (see `readback.rs`), else lexed.
pub(super) fn same_tokens_as_printed(
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
pub(super) fn same_word(old: &[u8], new: &[u8]) -> bool {
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
pub(super) fn token_bytes<'t>(token: &Token, text: &'t str) -> &'t [u8] {
    &text.as_bytes()[token.span().range()]
}

/// [`trim_comment`] on bytes, for the comparison.
pub(super) fn trim_comment_bytes(mut bytes: &[u8]) -> &[u8] {
    while let [rest @ .., b' ' | b'\t'] = bytes {
        bytes = rest;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer::{print_document, FormatOptions};

    const INPUT: &str = "start component // c\n name = \"x\"\nend component\n";

    fn check(output: &str) -> Result<(), FormatError> {
        let input = Document::parse_str(INPUT);
        verify(input, output)
    }

    #[test]
    fn the_safety_net_accepts_the_formatted_text() {
        let formatted = print_document(&Document::parse_str(INPUT), &FormatOptions::default());
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
}
