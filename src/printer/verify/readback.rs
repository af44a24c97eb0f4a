//! The safety net's quick way of reading the output back.
//!
//! The safety net asks whether the output lexes into the input's
//! meaningful tokens (words whatever their case, comments whatever their
//! trailing blanks) and where line breaks fall between them. Lexing the
//! whole output answers that, but the question is narrower than lexing:
//! the next token is known, so it is enough to find it where the output
//! goes on and to know that the lexer would end it exactly there. This
//! pass does only that, and answers only what it can prove the lexer
//! would say; on anything else (a kind of token it does not know, a byte
//! it does not expect) it gives no answer, and the caller lexes the
//! output in full, which also words the error. Test builds lex in full
//! every time as well and require the same answer.
//!
//! Why a token found this way is the token the lexer reads: the lexer
//! starts on the output's first byte, and by induction each token found
//! here starts where the lexer's token starts.
//! - Blanks and line breaks are tokens of their own, which no other
//!   pattern starts with; skipping them lands on the next token's start.
//! - A word, integer, literal, comment or punctuation mark is known by its
//!   first byte, which no other pattern starts with. The lexer then
//!   matches as far as it can: a word or integer runs while the bytes
//!   belong to it, so the expected one ends where the next byte cannot
//!   go on with it; a comment runs to its line's end.
//! - A closed literal is cut where its bytes scan to their closing quote,
//!   and the output's bytes are the input's. The scan could only be cut
//!   short after an unclosed literal, which this pass never accepts.

use crate::chunk::{chunk_at, every_byte, CHUNK};
use crate::lexer::{Token, TokenKind};

use super::{same_word, token_bytes, trim_comment_bytes, Breaks, Meaningful};

/// Whether `out` lexes into the meaningful tokens of `expected` (over
/// `expected_text`), compared as the safety net compares them, and where
/// its line breaks fall; `None` when this pass cannot tell. (Bytes that
/// read as the input's tokens and ASCII blanks are UTF-8 text.)
pub(super) fn read_as_expected(
    expected: impl Iterator<Item = Token>,
    expected_text: &str,
    out: &[u8],
) -> Option<Breaks> {
    // The lexer reads at most the first 4 GiB of a text.
    if u32::try_from(out.len()).is_err() {
        return None;
    }
    let mut at = 0;
    let mut moved = false;
    // The first token's line break is not compared.
    let mut first = true;
    for (token, line_break) in Meaningful(expected) {
        let (start, printed_break) = skip_blanks(out, at);
        let expected = token_bytes(&token, expected_text);
        at = start + printed_length(token.kind, expected, &out[start..])?;
        moved |= printed_break != line_break && !first;
        first = false;
    }
    let breaks = if moved { Breaks::Moved } else { Breaks::Same };
    (skip_blanks(out, at).0 == out.len()).then_some(breaks)
}

/// Past the blanks and line breaks from `at`, and whether there was a
/// line break among them. Between two tokens on a line there is at most
/// one space, which is tried first; longer runs are skipped 8 spaces at a
/// time, as indents are runs of them (the chunk is zero-padded past the
/// end, and a zero byte is no space). A plain per-byte `match` became a
/// jump table whose mispredicted jumps cost more than the rest of the pass.
fn skip_blanks(out: &[u8], mut at: usize) -> (usize, bool) {
    let beyond_blanks = |at: usize| out.get(at).is_none_or(|&byte| byte > b' ');
    if beyond_blanks(at) {
        return (at, false);
    }
    if out[at] == b' ' && beyond_blanks(at + 1) {
        return (at + 1, false);
    }
    let mut line_break = false;
    loop {
        let spaces = (chunk_at(out, at) ^ every_byte(b' ')).trailing_zeros() as usize / CHUNK;
        at += spaces;
        if spaces == CHUNK {
            continue;
        }
        match out.get(at) {
            Some(b'\t') => {}
            Some(b'\n' | b'\r') => line_break = true,
            _ => return (at, line_break),
        }
        at += 1;
    }
}

/// The length of the token of `kind` the lexer would read at the start of
/// `rest`, if it says what `expected` (a token of that kind) says.
fn printed_length(kind: TokenKind, expected: &[u8], rest: &[u8]) -> Option<usize> {
    let length = expected.len();
    let ends_at = |continues: fn(u8) -> bool| !rest.get(length).copied().is_some_and(continues);
    // Tested in turn, most frequent first, rather than matched: a `match`
    // became a jump through a table, which the processor mispredicted on
    // about every token.
    let found = if kind == TokenKind::Word {
        rest.get(..length)
            .is_some_and(|word| same_word(expected, word))
            && ends_at(continues_word)
    } else if ONE_BYTE_KINDS >> kind as u32 & 1 == 1 {
        // Compared as one byte, not through `memcmp`.
        rest.first() == expected.first()
    } else if kind == TokenKind::String {
        rest.starts_with(expected)
    } else if kind == TokenKind::Integer {
        rest.starts_with(expected) && ends_at(continues_integer)
    } else if kind == TokenKind::Comment {
        return comment_length(expected, rest);
    } else {
        // Blanks and line breaks are never expected; error tokens and
        // unclosed literals are left to the lexer.
        false
    };
    found.then_some(length)
}

/// The kinds of one-byte tokens (`=`, parentheses, braces, `,` and `*`),
/// as bits.
const ONE_BYTE_KINDS: u32 = 1 << TokenKind::Equals as u32
    | 1 << TokenKind::LParen as u32
    | 1 << TokenKind::RParen as u32
    | 1 << TokenKind::LBrace as u32
    | 1 << TokenKind::RBrace as u32
    | 1 << TokenKind::Comma as u32
    | 1 << TokenKind::Star as u32;

/// The length of the comment at the start of `rest` (to its line's end),
/// if it is `expected` but for trailing blanks. Comments are rare, so
/// this is kept out of the loop over tokens.
#[cold]
#[inline(never)]
fn comment_length(expected: &[u8], rest: &[u8]) -> Option<usize> {
    let line_end = rest
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(rest.len());
    let comment = &rest[..line_end];
    (comment.starts_with(b"//") && trim_comment_bytes(comment) == trim_comment_bytes(expected))
        .then_some(line_end)
}

/// `[A-Za-z0-9_-]`: the bytes a word goes on with.
fn continues_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
}

/// `[0-9A-Za-z_]`: the bytes an integer goes on with.
fn continues_integer(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::Lexer;
    use crate::printer::verify::same_tokens;
    use proptest::prelude::*;

    /// Pieces of MIF text, and the bytes that end or break tokens.
    const PIECES: &[&str] = &[
        "START",
        "start",
        "Name",
        "READ-ONLY",
        "read-only",
        "x_1",
        "a",
        "-",
        "_",
        "12",
        "-3",
        "0x1F",
        "=",
        "(",
        ")",
        "{",
        "}",
        ",",
        "*",
        "\"a b\"",
        "\"a\\\"b\"",
        "// c",
        "//",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\r",
    ];
    const BREAKERS: &[&str] = &["\"", "\\", "/", "\x1a", "\x00", "\x7f", "\x0d", "\u{e9}"];

    fn piece() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            12 => proptest::sample::select(PIECES),
            1 => proptest::sample::select(BREAKERS),
        ]
    }

    fn pieces() -> impl Strategy<Value = Vec<&'static str>> {
        proptest::collection::vec(piece(), 0..24)
    }

    /// `pieces` changed: a piece swapped, dropped, added or its case
    /// changed, at the given places.
    fn mutate(mut pieces: Vec<String>, edits: &[(usize, u8, &'static str)]) -> String {
        for &(at, how, with) in edits {
            let at = at % (pieces.len() + 1);
            match (how % 5, at < pieces.len()) {
                (0, true) => pieces[at] = with.to_string(),
                (1, true) => drop(pieces.remove(at)),
                (2, true) => pieces[at] = pieces[at].to_ascii_uppercase(),
                (3, true) => pieces[at] = pieces[at].to_ascii_lowercase(),
                _ => pieces.insert(at, with.to_string()),
            }
        }
        pieces.concat()
    }

    /// The quick reading's answer, required to be the lexer's whenever
    /// there is one.
    fn quick_reading(old: &str, new: &str) -> Result<Option<Breaks>, TestCaseError> {
        let quick = read_as_expected(Lexer::new(old), old, new.as_bytes());
        if let Some(breaks) = quick {
            let lexed = same_tokens(Lexer::new(old), old, Lexer::new(new), new);
            prop_assert_eq!(lexed, Ok(breaks), "{:?} read as {:?}", old, new);
        }
        Ok(quick)
    }

    proptest! {
        // About one case in five gets an answer to check (100,000 cases
        // gave 17,413); the rest are refused or differ.
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn the_quick_reading_answers_only_as_the_lexer_would(
            old in pieces(),
            edits in proptest::collection::vec(
                (any::<usize>(), any::<u8>(), piece()),
                0..4,
            ),
        ) {
            let new = mutate(old.iter().map(|p| p.to_string()).collect(), &edits);
            quick_reading(&old.concat(), &new)?;
        }
    }

    #[test]
    fn formatted_text_is_read_without_the_lexer() {
        let old = "start component // c \n name = \"x\" (1,2) {a,,-3} *\nend component\x1a";
        let new = "START COMPONENT // c\n    NAME = \"x\" (1, 2) {a, , -3} *\nEND COMPONENT";
        assert_eq!(
            quick_reading(old, new).unwrap(),
            None,
            "0x1A is left to the lexer"
        );
        let old = &old[..old.len() - 1];
        assert_eq!(quick_reading(old, new).unwrap(), Some(Breaks::Same));
        let joined = "START COMPONENT // c\n    NAME = \"x\" (1, 2) {a, , -3} * END COMPONENT";
        assert_eq!(quick_reading(old, joined).unwrap(), Some(Breaks::Moved));
        for changed in [
            "START COMPONENT // c\n NAME = \"y\" (1, 2) {a, , -3} *\nEND COMPONENT",
            "START COMPONENT //c\n NAME = \"x\" (1, 2) {a, , -3} *\nEND COMPONENT",
            "START COMPONENT\n NAME = \"x\" (1, 2) {a, , -3} *\nEND COMPONENT",
            "START COMPONENT // c\n NAME = \"x\" (12) {a, , -3} *\nEND COMPONENT",
            "START COMPONENT // c\n NAME = \"x\" (1, 2) {a, , - 3} *\nEND COMPONENT",
            "START COMPONENT // c\n NAME = \"x\" (1, 2) {a, , -3} *\nEND COMPONENTS",
            "START COMPONENT // c\n NAME = \"x\" (1, 2) {a, , -3} *\nEND COMPONENT\x00",
        ] {
            assert_eq!(quick_reading(old, changed).unwrap(), None, "{changed:?}");
        }
    }
}
