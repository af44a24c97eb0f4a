//! Bytes to characters, straight from mif-reference.md §1.1: a file is
//! Unicode (UTF-16 big-endian) only when it starts with `FE FF`, otherwise
//! ISO 8859-1. As the reference recommends for a tolerant reader, `FF FE`
//! (UTF-16 little-endian) and `EF BB BF` (UTF-8) are accepted too.

/// How a file's bytes are read; part of its meaning (`mif fmt` must keep it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// No byte-order mark: one byte is one ISO 8859-1 character.
    Latin1,
    Utf8Bom,
    Utf16Be,
    Utf16Le,
}

impl Encoding {
    /// The reference's "Unicode file": 2-octet characters, so `\x` takes up
    /// to 4 hex digits and octal escapes up to 6 digits (§1.5). UTF-8 with a
    /// BOM is not in the reference; it is read with the single-byte limits.
    pub fn is_wide(self) -> bool {
        matches!(self, Encoding::Utf16Be | Encoding::Utf16Le)
    }

    /// The encoding a file's first bytes announce.
    pub fn of(bytes: &[u8]) -> Encoding {
        [Encoding::Utf16Be, Encoding::Utf16Le, Encoding::Utf8Bom]
            .into_iter()
            .find(|e| bytes.starts_with(e.bom()))
            .unwrap_or(Encoding::Latin1)
    }

    fn bom(self) -> &'static [u8] {
        match self {
            Encoding::Latin1 => b"",
            Encoding::Utf8Bom => b"\xEF\xBB\xBF",
            Encoding::Utf16Be => b"\xFE\xFF",
            Encoding::Utf16Le => b"\xFF\xFE",
        }
    }
}

/// The encoding and the characters of a file, or why it cannot be decoded.
pub fn decode(bytes: &[u8]) -> Result<(Encoding, Vec<char>), String> {
    let encoding = Encoding::of(bytes);
    let body = &bytes[encoding.bom().len()..];
    let chars = match encoding {
        Encoding::Latin1 => body.iter().map(|&b| char::from(b)).collect(),
        Encoding::Utf8Bom => std::str::from_utf8(body)
            .map_err(|e| format!("invalid UTF-8: {e}"))?
            .chars()
            .collect(),
        Encoding::Utf16Be | Encoding::Utf16Le => {
            if !body.len().is_multiple_of(2) {
                return Err("UTF-16 file with an odd number of bytes".into());
            }
            let units = body.chunks_exact(2).map(|pair| {
                if encoding == Encoding::Utf16Be {
                    u16::from_be_bytes([pair[0], pair[1]])
                } else {
                    u16::from_le_bytes([pair[0], pair[1]])
                }
            });
            char::decode_utf16(units)
                .collect::<Result<_, _>>()
                .map_err(|e| format!("invalid UTF-16: {e}"))?
        }
    };
    Ok((encoding, chars))
}

/// Characters back to bytes with the encoding's BOM; `None` when a
/// character does not fit (only ISO 8859-1 can fail). Used to make mutants.
pub fn encode(chars: &[char], encoding: Encoding) -> Option<Vec<u8>> {
    let mut out = encoding.bom().to_vec();
    for &c in chars {
        match encoding {
            Encoding::Latin1 => out.push(u8::try_from(u32::from(c)).ok()?),
            Encoding::Utf8Bom => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            Encoding::Utf16Be => c
                .encode_utf16(&mut [0; 2])
                .iter()
                .for_each(|u| out.extend_from_slice(&u.to_be_bytes())),
            Encoding::Utf16Le => c
                .encode_utf16(&mut [0; 2])
                .iter()
                .for_each(|u| out.extend_from_slice(&u.to_le_bytes())),
        }
    }
    Some(out)
}
