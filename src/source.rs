//! Bytes <-> text.
//!
//! A MIF file is ISO 8859-1 unless it starts with a byte-order mark (DMI:
//! only `FE FF`; in the field also `FF FE` and `EF BB BF`). Single-byte files
//! are decoded as Windows-1252 with the five unassigned bytes mapped to the
//! C1 control of the same value, so every byte maps to one char and back and
//! any file round-trips byte for byte. Writers re-encode with the same
//! [`Encoding`], BOM and line-ending style.

use std::fmt;

/// How the file's bytes were turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// One byte per character: Windows-1252 (a superset of printable ISO 8859-1).
    SingleByte,
    /// UTF-8 after an `EF BB BF` byte-order mark.
    Utf8,
    /// UTF-16 big-endian after `FE FF`: DMI's "Unicode" MIF.
    Utf16Be,
    /// UTF-16 little-endian after `FF FE` (Windows PowerShell 5.1 `Out-File`).
    Utf16Le,
}

impl Encoding {
    /// The byte-order mark that selects this encoding (empty for single-byte).
    pub fn bom(self) -> &'static [u8] {
        match self {
            Encoding::SingleByte => b"",
            Encoding::Utf8 => b"\xEF\xBB\xBF",
            Encoding::Utf16Be => b"\xFE\xFF",
            Encoding::Utf16Le => b"\xFF\xFE",
        }
    }

    /// True for the two-octets-per-character encodings, where `STRING(n)`
    /// holds n/2 characters and escapes take up to 4 hex / 6 octal digits.
    pub fn is_wide(self) -> bool {
        matches!(self, Encoding::Utf16Be | Encoding::Utf16Le)
    }

    /// The encoding a file's bytes announce by their byte-order mark.
    pub fn of(bytes: &[u8]) -> Encoding {
        [Encoding::Utf16Be, Encoding::Utf16Le, Encoding::Utf8]
            .into_iter()
            .find(|encoding| bytes.starts_with(encoding.bom()))
            .unwrap_or(Encoding::SingleByte)
    }

    /// Whether a character can be written in this encoding: any in the
    /// Unicode ones, those of the Windows-1252 code page in a single-byte
    /// file.
    pub fn holds(self, c: char) -> bool {
        self != Encoding::SingleByte || cp1252_byte(c).is_some()
    }

    /// Octets one character takes in this encoding (for `STRING(n)` limits).
    pub fn octets(self, c: char) -> usize {
        match self {
            Encoding::SingleByte => 1,
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16Be | Encoding::Utf16Le => c.len_utf16() * 2,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::SingleByte => "Windows-1252",
            Encoding::Utf8 => "UTF-8 with BOM",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Utf16Le => "UTF-16LE",
        })
    }
}

/// The line-ending style a writer should use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEnding {
    /// `\n` (Unix).
    Lf,
    /// `\r\n` (Windows, DOS).
    CrLf,
    /// `\r` alone (old Mac OS).
    Cr,
}

impl LineEnding {
    /// The line break itself.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
            LineEnding::Cr => "\r",
        }
    }
}

/// A byte sequence that could not be decoded; the text holds U+FFFD there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Offset in the file's bytes.
    pub byte_offset: usize,
    /// Offset of the replacement character in the decoded text.
    pub text_offset: usize,
    /// What was wrong with the bytes, for a diagnostic.
    pub message: String,
}

/// A decoded file: its text and what is needed to write it back.
#[derive(Debug, Clone)]
pub struct Source {
    /// The decoded text, without the byte-order mark.
    pub text: String,
    /// How to turn the text back into the file's bytes.
    pub encoding: Encoding,
    /// First line ending seen (the style writers keep); `None` for a file
    /// with no line break.
    pub line_ending: Option<LineEnding>,
    /// More than one line-ending style occurs.
    pub mixed_line_endings: bool,
    /// The byte sequences that could not be decoded, in file order; empty
    /// for a clean file.
    pub decode_errors: Vec<DecodeError>,
}

impl Source {
    /// Decode a file's bytes; never fails: undecodable bytes are reported in
    /// `decode_errors` and replaced by U+FFFD.
    pub fn decode(bytes: &[u8]) -> Source {
        let (encoding, body) = if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
            (Encoding::Utf16Be, rest)
        } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
            (Encoding::Utf16Le, rest)
        } else if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            (Encoding::Utf8, rest)
        } else {
            (Encoding::SingleByte, bytes)
        };
        let bom_len = bytes.len() - body.len();
        let mut decode_errors = Vec::new();
        let text = match encoding {
            // ASCII bytes are their own UTF-8 (so the default is never
            // taken): copy them without a per-byte map or a lossy scan.
            Encoding::SingleByte if body.is_ascii() => {
                String::from_utf8(body.to_vec()).unwrap_or_default()
            }
            Encoding::SingleByte => body.iter().map(|&b| cp1252_char(b)).collect(),
            Encoding::Utf8 => decode_utf8(body, bom_len, &mut decode_errors),
            Encoding::Utf16Be | Encoding::Utf16Le => decode_utf16(
                body,
                encoding == Encoding::Utf16Be,
                bom_len,
                &mut decode_errors,
            ),
        };
        Source {
            decode_errors,
            ..Source::from_text(text, encoding)
        }
    }

    /// Text that is already decoded (an editor's buffer), from a file in
    /// `encoding`: line endings are detected, there are no decode errors.
    pub fn from_text(text: String, encoding: Encoding) -> Source {
        let (line_ending, mixed_line_endings) = detect_line_endings(&text);
        Source {
            text,
            encoding,
            line_ending,
            mixed_line_endings,
            decode_errors: Vec::new(),
        }
    }

    /// Encode `text` the way this file was encoded (same BOM).
    pub fn encode(&self, text: &str) -> Result<Vec<u8>, Unmappable> {
        encode(text, self.encoding)
    }
}

/// A character the target encoding cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmappable {
    /// The character.
    pub ch: char,
    /// Byte offset of the character in the text being encoded.
    pub offset: usize,
}

impl fmt::Display for Unmappable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "character {:?} (U+{:04X}) has no Windows-1252 byte",
            self.ch, self.ch as u32
        )
    }
}

impl std::error::Error for Unmappable {}

/// Encode text with the BOM of `encoding`.
pub fn encode(text: &str, encoding: Encoding) -> Result<Vec<u8>, Unmappable> {
    let mut out = Vec::with_capacity(text.len() + 3);
    out.extend_from_slice(encoding.bom());
    match encoding {
        Encoding::SingleByte if text.is_ascii() => out.extend_from_slice(text.as_bytes()),
        Encoding::SingleByte => {
            for (offset, ch) in text.char_indices() {
                out.push(cp1252_byte(ch).ok_or(Unmappable { ch, offset })?);
            }
        }
        Encoding::Utf8 => out.extend_from_slice(text.as_bytes()),
        Encoding::Utf16Be => text
            .encode_utf16()
            .for_each(|u| out.extend_from_slice(&u.to_be_bytes())),
        Encoding::Utf16Le => text
            .encode_utf16()
            .for_each(|u| out.extend_from_slice(&u.to_le_bytes())),
    }
    Ok(out)
}

/// [`encode`], reusing the text's buffer when the bytes are the text's
/// own (ASCII in a single-byte file, UTF-8): a large file's formatted text
/// is then not copied once more.
pub fn encode_owned(text: String, encoding: Encoding) -> Result<Vec<u8>, Unmappable> {
    match encoding {
        Encoding::SingleByte if text.is_ascii() => Ok(text.into_bytes()),
        Encoding::Utf8 => {
            let mut bytes = text.into_bytes();
            bytes.splice(0..0, encoding.bom().iter().copied());
            Ok(bytes)
        }
        _ => encode(&text, encoding),
    }
}

/// Windows-1252 bytes 0x80..=0x9F; the five unassigned ones keep their C1 value.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// The character a single-byte file's byte stands for.
pub fn cp1252_char(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// The Windows-1252 byte for a character, if it has one.
pub fn cp1252_byte(c: char) -> Option<u8> {
    let code = c as u32;
    match code {
        0..=0x7F | 0xA0..=0xFF => Some(code as u8),
        _ => CP1252_HIGH
            .iter()
            .position(|&h| h == c)
            .map(|i| 0x80 + i as u8),
    }
}

fn decode_utf8(body: &[u8], bom_len: usize, errors: &mut Vec<DecodeError>) -> String {
    let mut text = String::with_capacity(body.len());
    for chunk in body.utf8_chunks() {
        text.push_str(chunk.valid());
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            let byte_offset = bom_len + (invalid.as_ptr() as usize - body.as_ptr() as usize);
            errors.push(DecodeError {
                byte_offset,
                text_offset: text.len(),
                message: format!("invalid UTF-8 byte sequence at byte {byte_offset}"),
            });
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    text
}

fn decode_utf16(
    body: &[u8],
    big_endian: bool,
    bom_len: usize,
    errors: &mut Vec<DecodeError>,
) -> String {
    let mut text = String::with_capacity(body.len() / 2);
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut byte_offset = bom_len;
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(c) => {
                text.push(c);
                byte_offset += c.len_utf16() * 2;
            }
            Err(_) => {
                errors.push(DecodeError {
                    byte_offset,
                    text_offset: text.len(),
                    message: format!("unpaired UTF-16 surrogate at byte {byte_offset}"),
                });
                text.push(char::REPLACEMENT_CHARACTER);
                byte_offset += 2;
            }
        }
    }
    if body.len() % 2 == 1 {
        let byte_offset = bom_len + body.len() - 1;
        errors.push(DecodeError {
            byte_offset,
            text_offset: text.len(),
            message: format!(
                "UTF-16 file has an odd number of bytes: a lone byte at offset {byte_offset}"
            ),
        });
        text.push(char::REPLACEMENT_CHARACTER);
    }
    text
}

fn detect_line_endings(text: &str) -> (Option<LineEnding>, bool) {
    let bytes = text.as_bytes();
    // The first break decides the style; after that a whole-text search
    // for the other byte (vectorised by memchr, or counted in a loop the
    // compiler vectorises) says whether any break differs, instead of
    // stopping at every line. This runs over every file read.
    let Some(first) = memchr::memchr2(b'\r', b'\n', bytes) else {
        return (None, false);
    };
    let rest = &bytes[first..];
    match rest {
        [b'\r', b'\n', ..] => (Some(LineEnding::CrLf), has_lone_cr_or_lf(rest)),
        [b'\r', ..] => (Some(LineEnding::Cr), memchr::memchr(b'\n', rest).is_some()),
        _ => (Some(LineEnding::Lf), memchr::memchr(b'\r', rest).is_some()),
    }
}

/// Whether a CR not followed by LF, or an LF not preceded by CR, is in
/// `bytes` (which starts with CR LF). Each byte pair is checked without
/// branching, a chunk at a time, so the compiler vectorises the loop.
fn has_lone_cr_or_lf(bytes: &[u8]) -> bool {
    let (firsts, seconds) = (&bytes[..bytes.len() - 1], &bytes[1..]);
    let lone = firsts.chunks(64).zip(seconds.chunks(64)).any(|(a, b)| {
        a.iter().zip(b).fold(false, |lone, (&x, &y)| {
            lone | ((x == b'\r') != (y == b'\n'))
        })
    });
    lone || bytes.last() == Some(&b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_value_round_trips() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        let source = Source::decode(&bytes);
        assert_eq!(source.encoding, Encoding::SingleByte);
        assert_eq!(source.text.chars().count(), 256);
        assert!(source.decode_errors.is_empty());
        assert_eq!(source.encode(&source.text).unwrap(), bytes);
    }

    #[test]
    fn each_byte_maps_to_a_distinct_char() {
        let mut seen = std::collections::HashSet::new();
        for b in 0..=255u8 {
            let c = cp1252_char(b);
            assert!(seen.insert(c), "byte {b:#x} collides");
            assert_eq!(cp1252_byte(c), Some(b));
        }
        assert_eq!(cp1252_char(0x80), '€');
        assert_eq!(cp1252_byte('Ā'), None);
    }

    #[test]
    fn boms_select_the_encoding_and_round_trip() {
        for (bytes, encoding) in [
            (&b"\xFE\xFF\x00A\x00\n"[..], Encoding::Utf16Be),
            (&b"\xFF\xFEA\x00\r\x00\n\x00"[..], Encoding::Utf16Le),
            (&b"\xEF\xBB\xBFA\xC3\xA9\n"[..], Encoding::Utf8),
        ] {
            let source = Source::decode(bytes);
            assert_eq!(source.encoding, encoding);
            assert!(source.decode_errors.is_empty());
            assert_eq!(source.encode(&source.text).unwrap(), bytes);
        }
    }

    #[test]
    fn broken_unicode_is_reported_with_byte_offsets() {
        let odd = Source::decode(b"\xFF\xFEA\x00B");
        assert_eq!(odd.decode_errors[0].byte_offset, 4);
        let surrogate = Source::decode(b"\xFE\xFF\xD8\x00\x00A");
        assert_eq!(surrogate.decode_errors[0].byte_offset, 2);
        assert_eq!(surrogate.text, "\u{FFFD}A");
        let utf8 = Source::decode(b"\xEF\xBB\xBFab\xFFc");
        assert_eq!(utf8.decode_errors[0].byte_offset, 5);
    }

    #[test]
    fn line_endings_are_detected() {
        assert_eq!(
            Source::decode(b"a\r\nb\r\n").line_ending,
            Some(LineEnding::CrLf)
        );
        assert_eq!(Source::decode(b"a\rb").line_ending, Some(LineEnding::Cr));
        assert_eq!(Source::decode(b"ab").line_ending, None);
        let mixed = Source::decode(b"a\nb\r\n");
        assert_eq!(mixed.line_ending, Some(LineEnding::Lf));
        assert!(mixed.mixed_line_endings);
    }

    /// The line ending of each break in turn, the plain way.
    fn endings_one_by_one(text: &str) -> Vec<LineEnding> {
        let mut endings = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' if chars.peek() == Some(&'\n') => {
                    chars.next();
                    endings.push(LineEnding::CrLf);
                }
                '\r' => endings.push(LineEnding::Cr),
                '\n' => endings.push(LineEnding::Lf),
                _ => {}
            }
        }
        endings
    }

    #[test]
    fn line_endings_agree_with_a_break_by_break_reading() {
        for length in 0..=8 {
            for mut n in 0..3usize.pow(length) {
                let mut text = String::new();
                for _ in 0..length {
                    text.push(['a', '\r', '\n'][n % 3]);
                    n /= 3;
                }
                let endings = endings_one_by_one(&text);
                let expected = (
                    endings.first().copied(),
                    endings.iter().any(|e| Some(*e) != endings.first().copied()),
                );
                assert_eq!(detect_line_endings(&text), expected, "{text:?}");
            }
        }
    }

    #[test]
    fn a_lone_break_is_found_anywhere_in_a_long_crlf_text() {
        let clean = "ab\r\n".repeat(60);
        assert_eq!(detect_line_endings(&clean), (Some(LineEnding::CrLf), false));
        for at in 1..clean.len() {
            for lone in ["\r", "\n"] {
                let mut text = clean.clone();
                text.insert_str(at, lone);
                let expected = endings_one_by_one(&text).len() > 60;
                assert_eq!(detect_line_endings(&text).1, expected, "{lone:?} at {at}");
            }
        }
    }
}
