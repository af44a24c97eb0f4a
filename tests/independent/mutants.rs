//! Deterministic mutants of the seed files, made as `tests/mutations.rs`
//! makes them (SplitMix64 from a fixed seed; bit flips, truncation,
//! splicing, duplicated lines, random case, line endings, re-encoding),
//! plus insertions of the pieces most likely to confuse a lexer: quotes,
//! escapes, comment markers and control characters inside literals.

use super::decode::{decode, encode, Encoding};
pub use crate::common::mutants::Rng;
use crate::common::mutants::{duplicate_line, flip_bits, random_case, splice, truncate};

/// Pieces put right after a quote, so most land inside a literal.
const IN_LITERAL: &[&str] = &[
    "//",
    "{",
    "}",
    ",",
    "=",
    "\\\"",
    "\\\\",
    "\\",
    "\\\n",
    "\\\r\n",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\\x41",
    "\\x4",
    "\\101",
    "\\0",
    "\\q",
    "\\t",
    "\0",
    "\x1A",
    "é",
    "\u{FF}",
    "\" \"",
    "END COMPONENT",
    "\" // c\n\"",
];

/// Lines put at the start of a random line.
const LINES: &[&str] = &[
    "// a \"quoted\" comment\n",
    "//Architecture<X>  \n",
    "\r",
    "  \t\n",
    "// mif-fmt: off\n",
    "// mif-fmt: on\n",
    "//\n",
    "// {1, \"a\"}\r\n",
];

/// One to three mutations of a seed, and what they were.
pub fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> (Vec<u8>, String) {
    let mut bytes = rng.pick(seeds).clone();
    let mut steps = Vec::new();
    for _ in 0..=rng.below(3) {
        let step = match rng.below(9) {
            0 => flip_bits(rng, &mut bytes),
            1 => truncate(rng, &mut bytes),
            2 => {
                let other = rng.pick(seeds).clone();
                splice(rng, &mut bytes, &other)
            }
            3 => duplicate_line(rng, &mut bytes),
            4 => random_case(rng, &mut bytes),
            5 => on_chars(&mut bytes, |chars, _| line_endings(rng, chars)),
            6 => reencode(rng, &mut bytes),
            7 => on_chars(&mut bytes, |chars, _| in_literal(rng, chars)),
            _ => on_chars(&mut bytes, |chars, _| insert_line(rng, chars)),
        };
        steps.push(step);
    }
    (bytes, steps.join(", "))
}

/// Apply a change to the decoded characters and encode them back the same
/// way; files that do not decode, or no longer encode, are left alone.
fn on_chars(
    bytes: &mut Vec<u8>,
    change: impl FnOnce(&mut Vec<char>, Encoding) -> &'static str,
) -> &'static str {
    let Ok((encoding, mut chars)) = decode(bytes) else {
        return "nothing (undecodable)";
    };
    let step = change(&mut chars, encoding);
    if let Some(encoded) = encode(&chars, encoding) {
        *bytes = encoded;
    }
    step
}

/// Every line ending made LF, CRLF, CR or a random mix.
fn line_endings(rng: &mut Rng, chars: &mut Vec<char>) -> &'static str {
    let endings: &[&str] = match rng.below(4) {
        0 => &["\n"],
        1 => &["\r\n"],
        2 => &["\r"],
        _ => &["\n", "\r\n", "\r"],
    };
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let crlf = chars[i] == '\r' && chars.get(i + 1) == Some(&'\n');
        if chars[i] == '\n' || chars[i] == '\r' {
            out.extend(rng.pick(endings).chars());
            i += if crlf { 2 } else { 1 };
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    *chars = out;
    "line endings"
}

fn reencode(rng: &mut Rng, bytes: &mut Vec<u8>) -> &'static str {
    let Ok((_, chars)) = decode(bytes) else {
        return "nothing (undecodable)";
    };
    let encoding = *rng.pick(&[
        Encoding::Latin1,
        Encoding::Utf8Bom,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
    ]);
    if let Some(encoded) = encode(&chars, encoding) {
        *bytes = encoded;
    }
    "re-encoding"
}

fn in_literal(rng: &mut Rng, chars: &mut Vec<char>) -> &'static str {
    let quotes: Vec<usize> = (0..chars.len()).filter(|&i| chars[i] == '"').collect();
    if quotes.is_empty() {
        return "nothing (no quote)";
    }
    let at = rng.pick(&quotes) + 1;
    chars.splice(at..at, rng.pick(IN_LITERAL).chars());
    "piece in a literal"
}

fn insert_line(rng: &mut Rng, chars: &mut Vec<char>) -> &'static str {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            (0..chars.len())
                .filter(|&i| chars[i] == '\n')
                .map(|i| i + 1),
        )
        .collect();
    let at = *rng.pick(&starts);
    chars.splice(at..at, rng.pick(LINES).chars());
    "inserted line"
}
