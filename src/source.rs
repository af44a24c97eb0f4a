//! Bytes <-> text.
//!
//! A MIF file is ISO 8859-1 unless it starts with a byte-order mark (DMI:
//! only `FE FF`; in the field also `FF FE` and `EF BB BF`). Single-byte files
//! are decoded as Windows-1252 with the five unassigned bytes mapped to the
//! C1 control of the same value, so every byte maps to one char and back and
//! any file round-trips byte for byte. Writers re-encode with the same
//! [`Encoding`], BOM and line-ending style.

use std::fmt;

use crate::diagnostics::{Diagnostic, Severity};
use crate::span::Span;

/// A file that is not MIF text at all.
pub const NOT_A_MIF: &str = "mif::not-a-mif";
/// UTF-16 without its byte-order mark.
pub const MISSING_BOM: &str = "mif::utf16-without-bom";
/// Bytes that do not decode in the file's encoding.
pub const INVALID_ENCODING: &str = "mif::invalid-encoding";

/// The codes of [`Source::diagnostics`]: problems with how the bytes are
/// written, which come before anything read from them.
pub const READING_CODES: [&str; 4] = [
    NOT_A_MIF,
    MISSING_BOM,
    INVALID_ENCODING,
    "mif::nonstandard-encoding",
];

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
    /// What the bytes say that their encoding does not: a UTF-16 file
    /// without its byte-order mark, or a file that is not MIF text at all
    /// (see [`Sniffed`]); `None` for the usual file.
    pub sniffed: Option<Sniffed>,
}

/// What a file without a byte-order mark turned out to be, when that is
/// not the single-byte text DMI expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// UTF-16 without its byte-order mark: a NUL in every other byte of
    /// the first lines. Decoded as UTF-16 ([`Source::encoding`]), so the
    /// rest of the report reads the text; writers never add the mark.
    MissingBom,
    /// Not a DMI MIF file: the kind of file it looks like. Decoded as
    /// single-byte text (so it round-trips), and not parsed.
    Foreign(Foreign),
}

/// Kinds of files that are not DMI MIF files, told by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    /// A gzip-compressed file (a `.mif.gz` renamed, say).
    Gzip,
    /// A ZIP archive, or an Office document (which is one).
    Zip,
    /// A PNG image.
    Png,
    /// A JPEG image.
    Jpeg,
    /// A GIF image.
    Gif,
    /// A PDF document.
    Pdf,
    /// An OLE compound file: an old Office document or an MSI package.
    Ole,
    /// A Windows or DOS executable.
    Executable,
    /// An ELF executable or library.
    Elf,
    /// FrameMaker's Maker Interchange Format, which shares the extension.
    FrameMaker,
    /// A Quartus (Altera) memory initialization file, which shares it too.
    QuartusMemory,
    /// A MapInfo Interchange Format file, which shares it too.
    MapInfo,
    /// Control characters spread through the first bytes.
    Binary,
}

impl fmt::Display for Foreign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Foreign::Gzip => "a gzip-compressed file",
            Foreign::Zip => "a ZIP archive (or an Office document)",
            Foreign::Png => "a PNG image",
            Foreign::Jpeg => "a JPEG image",
            Foreign::Gif => "a GIF image",
            Foreign::Pdf => "a PDF document",
            Foreign::Ole => "an OLE compound file (an old Office document or an MSI package)",
            Foreign::Executable => "a Windows program",
            Foreign::Elf => "an ELF program or library",
            Foreign::FrameMaker => "a FrameMaker MIF file (Maker Interchange Format)",
            Foreign::QuartusMemory => "a Quartus memory initialization file",
            Foreign::MapInfo => "a MapInfo Interchange Format file",
            Foreign::Binary => "binary data",
        })
    }
}

impl Foreign {
    /// What to do about it, for the diagnostic's help.
    pub fn advice(self) -> &'static str {
        match self {
            Foreign::Gzip => "decompress it first; mif reads the MIF text itself",
            Foreign::Zip => "extract the MIF file from the archive first",
            Foreign::FrameMaker | Foreign::QuartusMemory | Foreign::MapInfo => {
                "this format shares the .mif extension; mif reads only DMI's Management \
                 Information Format (DMI components, SMS/ConfigMgr status and inventory MIFs)"
            }
            Foreign::Binary => {
                "control characters are spread through the first bytes: not a text file, or a \
                 damaged copy; mif reads DMI Management Information Format text"
            }
            _ => {
                "mif reads only DMI's Management Information Format (DMI components, \
                  SMS/ConfigMgr status and inventory MIFs)"
            }
        }
    }
}

/// Magic numbers of common files that are not MIF text.
const MAGIC: [(&[u8], Foreign); 11] = [
    (b"\x1F\x8B", Foreign::Gzip),
    (b"PK\x03\x04", Foreign::Zip),
    (b"PK\x05\x06", Foreign::Zip),
    (b"\x89PNG\r\n\x1A\n", Foreign::Png),
    (b"\xFF\xD8\xFF", Foreign::Jpeg),
    (b"GIF8", Foreign::Gif),
    (b"%PDF-", Foreign::Pdf),
    (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Foreign::Ole),
    (b"MZ", Foreign::Executable),
    (b"\x7FELF", Foreign::Elf),
    (b"<MIFFile", Foreign::FrameMaker),
];

/// How many first bytes the sniffing looks at.
const SNIFF_BYTES: usize = 4096;

/// What a file without a byte-order mark is, from its first bytes (only
/// they are read, so sniffing costs nothing on a large file): its
/// encoding, and anything unusual. Checked in turn:
///
/// 1. a magic number ([`MAGIC`]);
/// 2. UTF-16 without its mark: in the first 512 bytes, nine in ten
///    character pairs are an ASCII character and a NUL (little-endian) or
///    a NUL and an ASCII character (big-endian), as the first lines of a
///    MIF, all keywords, are;
/// 3. binary data: a control character other than tab, line breaks, form
///    feed and 0x1A in the first 512 bytes, and such characters making up
///    a 32nd of the first 4 KB (text damaged by a few NULs is still read,
///    and its control characters reported where they are);
/// 4. the first lines of a format that shares the `.mif` extension:
///    Quartus memory initialization (`DEPTH = 256;`, `WIDTH = 8;`) or
///    MapInfo (`Version 300`).
fn sniff(bytes: &[u8]) -> (Encoding, Option<Sniffed>) {
    if let Some(&(_, foreign)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return (Encoding::SingleByte, Some(Sniffed::Foreign(foreign)));
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return (encoding, Some(Sniffed::MissingBom));
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let foreign = if looks_binary(head) {
        Some(Foreign::Binary)
    } else {
        foreign_text(head)
    };
    (Encoding::SingleByte, foreign.map(Sniffed::Foreign))
}

/// The UTF-16 byte order of a file without a byte-order mark whose first
/// bytes pair ASCII characters with NULs; `None` for any other file.
fn utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    let pairs = bytes.chunks_exact(2).take(256);
    let count = pairs.len();
    if count < 2 {
        return None;
    }
    let ascii = |b: u8| b != 0 && b < 0x80;
    let (mut little, mut big) = (0, 0);
    for pair in pairs {
        little += usize::from(ascii(pair[0]) && pair[1] == 0);
        big += usize::from(pair[0] == 0 && ascii(pair[1]));
    }
    if little * 10 >= count * 9 {
        Some(Encoding::Utf16Le)
    } else if big * 10 >= count * 9 {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Control characters that text does not hold (tab, line breaks, form
/// feed and the DOS end-of-file byte 0x1A aside).
fn is_binary_byte(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A)) || b == 0x7F
}

/// Whether the first bytes of a file are binary data rather than text
/// with a few stray control characters (see [`sniff`]).
fn looks_binary(head: &[u8]) -> bool {
    let early = &head[..head.len().min(512)];
    early.iter().any(|&b| is_binary_byte(b))
        && head.iter().filter(|&&b| is_binary_byte(b)).count() * 32 >= head.len()
}

/// Formats that share the `.mif` extension, told by their first lines
/// (blank lines and comments skipped). Only the lines before a MIF's own
/// first statement can say so, and a DMI MIF never starts so.
fn foreign_text(head: &[u8]) -> Option<Foreign> {
    let lines = head
        .split(|&b| b == b'\n' || b == b'\r')
        .map(|line| line.trim_ascii())
        .filter(|line| {
            !line.is_empty()
                && !line.starts_with(b"--")
                && !line.starts_with(b"%")
                && !line.starts_with(b"//")
        })
        .take(4);
    for (index, line) in lines.enumerate() {
        if line.starts_with(b"<MIFFile") {
            return Some(Foreign::FrameMaker);
        }
        let upper = line.to_ascii_uppercase();
        let setting = |name: &[u8]| {
            upper.strip_prefix(name).is_some_and(|rest| {
                let rest = rest.trim_ascii_start();
                rest.starts_with(b"=") && rest.trim_ascii_end().ends_with(b";")
            })
        };
        if [&b"DEPTH"[..], b"WIDTH", b"ADDRESS_RADIX", b"DATA_RADIX"]
            .iter()
            .any(|name| setting(name))
        {
            return Some(Foreign::QuartusMemory);
        }
        let version = upper.strip_prefix(b"VERSION").is_some_and(|rest| {
            rest.first().is_some_and(u8::is_ascii_whitespace)
                && !rest.trim_ascii().is_empty()
                && rest.trim_ascii().iter().all(u8::is_ascii_digit)
        });
        if index == 0 && version {
            return Some(Foreign::MapInfo);
        }
    }
    None
}

impl Source {
    /// Decode a file's bytes; never fails: undecodable bytes are reported in
    /// `decode_errors` and replaced by U+FFFD.
    pub fn decode(bytes: &[u8]) -> Source {
        let (encoding, body, sniffed) = if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
            (Encoding::Utf16Be, rest, None)
        } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
            (Encoding::Utf16Le, rest, None)
        } else if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            (Encoding::Utf8, rest, None)
        } else {
            let (encoding, sniffed) = sniff(bytes);
            (encoding, bytes, sniffed)
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
            sniffed,
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
            sniffed: None,
        }
    }

    /// The byte-order mark the file starts with (none for a single-byte
    /// file, or a UTF-16 file that lacks it).
    pub fn bom(&self) -> &'static [u8] {
        match self.sniffed {
            Some(Sniffed::MissingBom) => b"",
            _ => self.encoding.bom(),
        }
    }

    /// Encode `text` the way this file was encoded (same BOM, or none
    /// where the file had none).
    pub fn encode(&self, text: &str) -> Result<Vec<u8>, Unmappable> {
        let mut bytes = encode(text, self.encoding)?;
        let missing = self.encoding.bom().len() - self.bom().len();
        bytes.drain(..missing);
        Ok(bytes)
    }

    /// What is wrong with how the file's bytes are written, before any
    /// MIF is read: a file that is not MIF text (then nothing else is
    /// said of it), UTF-16 without its byte-order mark, bytes that do not
    /// decode, an encoding DMI does not know. Their codes are
    /// [`READING_CODES`], and they are shown first.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        if let Some(foreign) = self.foreign() {
            return vec![Diagnostic::about_file(
                NOT_A_MIF,
                Severity::Error,
                format!("not a DMI MIF file: looks like {foreign}"),
            )
            .with_help(foreign.advice())];
        }
        let mut diagnostics = Vec::new();
        if self.sniffed == Some(Sniffed::MissingBom) {
            let encoding = self.encoding;
            let powershell = match encoding {
                Encoding::Utf16Be => "BigEndianUnicode",
                _ => "Unicode",
            };
            diagnostics.push(
                Diagnostic::error(
                    MISSING_BOM,
                    Span::new(0, 0),
                    format!("this looks like {encoding} without a byte-order mark"),
                )
                .with_label(format!("read as {encoding} from here"))
                .with_help(format!(
                    "a NUL in every other byte: mif reads it as {encoding} for this report, but DMI \
                     and SMS read a file without a byte-order mark as single-byte text. Re-save it \
                     as ANSI (what SMS and ConfigMgr want; PowerShell: Get-Content -Encoding \
                     {powershell} in.mif | Set-Content -Encoding Default out.mif) or as UTF-16 with \
                     a byte-order mark; mif fmt does not add one"
                )),
            );
        }
        let bom = if self.bom().is_empty() {
            format!("the file reads as {}", self.encoding)
        } else {
            format!("the file starts with a {} byte-order mark", self.encoding)
        };
        for error in &self.decode_errors {
            let span = Span::new(
                error.text_offset,
                error.text_offset + char::REPLACEMENT_CHARACTER.len_utf8(),
            );
            diagnostics.push(
                Diagnostic::error(INVALID_ENCODING, span, error.message.clone())
                    .with_label("cannot be decoded")
                    .with_help(format!(
                        "{bom}, so all of it must be in that encoding (a truncated or \
                         concatenated file?); re-save it as {}",
                        self.encoding
                    )),
            );
        }
        let has_bom = !self.bom().is_empty();
        if has_bom && matches!(self.encoding, Encoding::Utf8 | Encoding::Utf16Le) {
            diagnostics.push(
                Diagnostic::warning(
                    "mif::nonstandard-encoding",
                    Span::new(0, 0),
                    format!("{} is not a DMI encoding", self.encoding),
                )
                .with_label("byte-order mark here")
                .with_help(
                    "DMI reads ISO 8859-1, or UTF-16 big-endian after FE FF; SMS and ConfigMgr want \
                     ANSI (Windows-1252) without a byte-order mark",
                ),
            );
        }
        diagnostics
    }

    /// Whether the file is not MIF text at all (see [`Sniffed::Foreign`]).
    pub fn foreign(&self) -> Option<Foreign> {
        match self.sniffed {
            Some(Sniffed::Foreign(foreign)) => Some(foreign),
            _ => None,
        }
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

    const MIF: &str = "START COMPONENT\r\n  NAME = \"Caf\u{e9}\"\r\nEND COMPONENT\r\n";

    #[test]
    fn utf16_without_its_mark_is_read_as_utf16_and_written_back_without_one() {
        for (bytes, encoding) in [
            (
                MIF.encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<u8>>(),
                Encoding::Utf16Le,
            ),
            (
                MIF.encode_utf16().flat_map(u16::to_be_bytes).collect(),
                Encoding::Utf16Be,
            ),
        ] {
            let source = Source::decode(&bytes);
            assert_eq!(
                (source.encoding, source.sniffed),
                (encoding, Some(Sniffed::MissingBom))
            );
            assert_eq!(source.text, MIF);
            assert_eq!(source.bom(), b"");
            assert_eq!(source.encode(&source.text).unwrap(), bytes);
            assert_eq!(source.diagnostics()[0].code, MISSING_BOM);
        }
    }

    #[test]
    fn files_that_are_not_mif_text_are_named() {
        let cases: [(&[u8], Foreign); 9] = [
            (b"\x1F\x8B\x08\x00\x00\x00", Foreign::Gzip),
            (b"PK\x03\x04\x14\x00", Foreign::Zip),
            (b"\x89PNG\r\n\x1A\n\x00\x00", Foreign::Png),
            (
                b"<MIFFile 7.00> # Generated by FrameMaker\n",
                Foreign::FrameMaker,
            ),
            (b"  <MIFFile 9.00>\n", Foreign::FrameMaker),
            (
                b"-- Quartus memory\n\nWIDTH=8;\nDEPTH=256;\nCONTENT BEGIN\n",
                Foreign::QuartusMemory,
            ),
            (b"DEPTH = 16 ;\n", Foreign::QuartusMemory),
            (
                b"Version 300\nCharset \"WindowsLatin1\"\n",
                Foreign::MapInfo,
            ),
            (
                b"\x01\x9c\x00\xff\x13\x07abc\x00\x00\x02\x11\x05de\x7f\x00\x1b",
                Foreign::Binary,
            ),
        ];
        for (bytes, foreign) in cases {
            let source = Source::decode(bytes);
            assert_eq!(source.foreign(), Some(foreign), "{bytes:?}");
            assert_eq!(source.encoding, Encoding::SingleByte);
            assert_eq!(source.encode(&source.text).unwrap(), bytes);
            let diagnostics = source.diagnostics();
            assert_eq!(diagnostics.len(), 1);
            assert_eq!(diagnostics[0].code, NOT_A_MIF);
            assert!(diagnostics[0].is_about_file());
        }
    }

    #[test]
    fn mif_text_is_not_taken_for_another_format() {
        for text in [
            MIF,
            "// Version 300\nSTART COMPONENT\n",
            "START COMPONENT\n  NAME = \"a\"\0\nEND COMPONENT\n",
            "LANGUAGE = \"en|US|iso8859-1\"\n",
            "START COMPONENT NAME = \"DEPTH = 16;\" END COMPONENT",
            "",
            "S",
            "START COMPONENT\n\t\x0C\x1A",
        ] {
            let source = Source::decode(text.as_bytes());
            assert_eq!(source.sniffed, None, "{text:?}");
        }
        // A damaged copy: its text is read, and its NULs reported where
        // they are.
        let mut damaged = MIF.repeat(40).into_bytes();
        damaged[700..720].fill(0);
        assert_eq!(Source::decode(&damaged).sniffed, None);
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
