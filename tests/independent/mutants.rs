//! Deterministic mutants of the seed files, made as `tests/mutations.rs`
//! makes them (SplitMix64 from a fixed seed; bit flips, truncation,
//! splicing, duplicated lines, random case, line endings, re-encoding),
//! plus insertions of the pieces most likely to confuse a lexer: quotes,
//! escapes, comment markers and control characters inside literals.

use super::decode::{decode, encode, Encoding};

/// SplitMix64: tiny, deterministic, good enough to pick mutations.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

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

fn flip_bits(rng: &mut Rng, bytes: &mut [u8]) -> &'static str {
    for _ in 0..=rng.below(4) {
        if !bytes.is_empty() {
            let at = rng.below(bytes.len());
            bytes[at] ^= 1 << rng.below(8);
        }
    }
    "bit flips"
}

fn truncate(rng: &mut Rng, bytes: &mut Vec<u8>) -> &'static str {
    let at = rng.below(bytes.len() + 1);
    bytes.truncate(at);
    "truncation"
}

fn splice(rng: &mut Rng, bytes: &mut Vec<u8>, other: &[u8]) -> &'static str {
    let at = rng.below(bytes.len() + 1);
    let from = rng.below(other.len() + 1);
    bytes.truncate(at);
    bytes.extend_from_slice(&other[from..]);
    "splice"
}

fn line_starts(bytes: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect()
}

fn duplicate_line(rng: &mut Rng, bytes: &mut Vec<u8>) -> &'static str {
    let start = *rng.pick(&line_starts(bytes));
    let end = bytes[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| start + i + 1);
    let line = bytes[start..end].to_vec();
    for _ in 0..=rng.below(2) {
        bytes.splice(end..end, line.iter().copied());
    }
    "duplicated line"
}

fn random_case(rng: &mut Rng, bytes: &mut [u8]) -> &'static str {
    let one_in = 1 + rng.below(4);
    for byte in bytes.iter_mut() {
        if byte.is_ascii_alphabetic() && rng.chance(one_in) {
            *byte ^= 0x20;
        }
    }
    "random case"
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
