//! Decoding literal strings and integers as the DMI spec reads them.

use crate::chunk::{every_byte, marks, padded, CHUNK};
use crate::diagnostics::Diagnostic;
use crate::source::cp1252_char;
use crate::span::Span;

/// Decode one string literal token (quotes included; an unterminated one
/// has no closing quote). `offset` is where the token starts in the text;
/// `wide` selects the Unicode-file escape limits.
pub fn decode_string(
    raw: &str,
    offset: usize,
    wide: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let body = literal_body(raw);
    let mut value = String::new();
    match first_special(body.as_bytes()) {
        // Nothing to decode or warn about: most literals.
        None => value.push_str(body),
        Some(special) => decode_body_into(body, special, offset + 1, wide, diagnostics, &mut value),
    }
    value
}

/// [`decode_string`] for a literal's body whose first backslash or line
/// break is at `first_special` (the parser has found it already, so it is
/// not looked for twice), appending to `value`: the parser decodes every
/// literal into one reused buffer. `offset` is where the body starts in
/// the text.
pub(super) fn decode_body_into(
    body: &str,
    first_special: usize,
    offset: usize,
    wide: bool,
    diagnostics: &mut Vec<Diagnostic>,
    value: &mut String,
) {
    value.reserve(body.len());
    let mut warned_newline = false;
    let mut pos = 0;
    let mut next_special = Some(first_special);
    loop {
        // Copy the plain run up to the next backslash or line break at
        // once (character by character, escaped literals cost ten times more).
        let special = next_special.unwrap_or(body.len());
        value.push_str(&body[pos..special]);
        // The usual escapes, one ASCII byte after the backslash, need no
        // character iterator: the rest of this loop never sees them.
        if let Some(&[b'\\', escaped]) = body.as_bytes().get(special..special + 2) {
            if let Some(c) = simple_escape(escaped) {
                value.push(c);
                pos = special + 2;
                next_special = find_special_from(body, pos);
                continue;
            }
        }
        // The special character and what it takes along; offsets in `chars`
        // count from `special`.
        let mut chars = body[special..].char_indices().peekable();
        let Some((_, c)) = chars.next() else {
            break;
        };
        let at = offset + special;
        match c {
            '\\' => {
                let Some((j, e)) = chars.next() else {
                    break;
                };
                let j = special + j;
                let escape_span = Span::new(at, offset + j + e.len_utf8());
                match e {
                    'x' | 'X' => {
                        let max = if wide { 4 } else { 2 };
                        let digits = take_digits(&mut chars, max, 16);
                        let end = offset + j + 1 + digits.len();
                        if digits.is_empty() {
                            diagnostics.push(
                                Diagnostic::error(
                                    "mif::invalid-escape",
                                    Span::new(at, end),
                                    "`\\x` escape without hex digits",
                                )
                                .with_label("expected 1 to 2 hex digits after \\x")
                                .with_help("write `\\x41` for a code, or `\\\\x` for a backslash followed by x"),
                            );
                        } else {
                            let code = u32::from_str_radix(&digits, 16).unwrap_or(0);
                            push_code(value, code, wide, Span::new(at, end), diagnostics);
                        }
                    }
                    '0'..='7' => {
                        let max = if wide { 6 } else { 3 };
                        let mut digits = String::from(e);
                        digits.push_str(&take_digits(&mut chars, max - 1, 8));
                        let end = offset + j + digits.len();
                        let code = u32::from_str_radix(&digits, 8).unwrap_or(u32::MAX);
                        let limit = if wide { 0o177777 } else { 0o377 };
                        if code > limit {
                            diagnostics.push(
                                Diagnostic::error(
                                    "mif::invalid-escape",
                                    Span::new(at, end),
                                    format!("octal escape `\\{digits}` is above `\\{limit:o}`"),
                                )
                                .with_label("out of range for this file's encoding")
                                .with_help(if wide {
                                    "octal escapes in Unicode files go up to \\177777"
                                } else {
                                    "octal escapes in single-byte files go up to \\377"
                                }),
                            );
                        } else {
                            push_code(value, code, wide, Span::new(at, end), diagnostics);
                        }
                    }
                    other => {
                        diagnostics.push(
                            Diagnostic::warning(
                                "mif::unknown-escape",
                                escape_span,
                                format!("unknown escape `\\{other}`: the backslash is dropped"),
                            )
                            .with_label(format!("reads as `{other}`"))
                            .with_help(format!(
                                "write `\\\\{other}` to keep the backslash (Windows paths need `\\\\`), or `{other}` alone"
                            )),
                        );
                        value.push(other);
                    }
                }
            }
            '\r' | '\n' => {
                if !warned_newline {
                    warned_newline = true;
                    diagnostics.push(
                        Diagnostic::warning(
                            "mif::newline-in-string",
                            Span::new(at, at + c.len_utf8()),
                            "line break inside a string literal",
                        )
                        .with_label("raw line break")
                        .with_help(
                            "DMI forbids line breaks in literals (SMS's ISMIF32 wrote them): \
                             if the string should end on this line, add its closing `\"` here; \
                             else split the text into adjacent literals (\"a \" \"b\") or use `\\n`",
                        ),
                    );
                }
                value.push(c);
            }
            _ => value.push(c),
        }
        pos = special + chars.peek().map_or(body.len() - special, |&(k, _)| k);
        next_special = find_special_from(body, pos);
    }
}

/// The first backslash or line break at or after `pos` in `body`.
fn find_special_from(body: &str, pos: usize) -> Option<usize> {
    first_special(&body.as_bytes()[pos..]).map(|k| pos + k)
}

/// The text between a literal's quotes (an unterminated literal has no
/// closing quote).
pub(super) fn literal_body(raw: &str) -> &str {
    let body_end = if raw.len() > 1 && raw.ends_with('"') && !ends_with_escaped_quote(raw) {
        raw.len() - 1
    } else {
        raw.len()
    };
    raw.get(1..body_end).unwrap_or("")
}

/// Where a literal's body holds its first escape or raw line break;
/// without them its value is the body itself, and decoding reports nothing.
///
/// Looks at 8 bytes at a time: literals are short (most under 24 bytes), so
/// this costs less than setting up a vectorised search, and far less than a
/// test per byte. [`special_bytes`] marks the matching bytes of a chunk;
/// the lowest mark is always exact, and that is the one used.
pub(super) fn first_special(body: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(chunk) = body[at..].first_chunk::<8>() {
        let found = special_bytes(u64::from_le_bytes(*chunk));
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    // The last 0 to 7 bytes, padded with zero bytes, which match nothing.
    let found = special_bytes(u64::from_le_bytes(padded(&body[at..])));
    (found != 0).then(|| at + found.trailing_zeros() as usize / 8)
}

/// What the parser learns from one pass over a literal's body.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct BodyScan {
    /// As [`first_special`] finds it: where decoding has work to do.
    pub(super) first_special: Option<usize>,
    /// The body holds a raw control character the lexical checks report
    /// ([`has_forbidden_control`](super::has_forbidden_control)).
    pub(super) forbidden_control: bool,
}

/// [`first_special`] and the control check in one pass, 8 bytes at a
/// time, for the parser: it reads every literal, so a stretch whose parse
/// is clean needs no other scan of its text. A chunk holding no
/// backslash, no byte below a space and no DEL, the usual case, costs one
/// test; only one holding such a byte (a tab, a line break, an escape) is
/// looked at closer.
pub(super) fn scan_body(body: &[u8]) -> BodyScan {
    let mut scan = BodyScan {
        first_special: None,
        forbidden_control: false,
    };
    let mut at = 0;
    while let Some(bytes) = body[at..].first_chunk::<CHUNK>() {
        scan.look_at(at, bytes);
        at += CHUNK;
    }
    if at == body.len() {
        return scan;
    }
    match body.last_chunk::<CHUNK>() {
        // The last 8 bytes, some seen already: they held no special byte
        // if none was found, so the first found here is still the first.
        Some(bytes) => scan.look_at(body.len() - CHUNK, bytes),
        // A body under 8 bytes, padded with spaces, which match nothing.
        None => {
            let mut bytes = [b' '; CHUNK];
            for (to, from) in bytes.iter_mut().zip(body) {
                *to = *from;
            }
            scan.look_at(0, &bytes);
        }
    }
    scan
}

impl BodyScan {
    /// Take in the chunk of the body at `at`.
    #[inline]
    fn look_at(&mut self, at: usize, bytes: &[u8; CHUNK]) {
        let chunk = u64::from_le_bytes(*bytes);
        let controls = below_space(chunk) | marks(chunk, 0x7F);
        if marks(chunk, b'\\') | controls == 0 {
            return;
        }
        let found = special_bytes(chunk);
        if self.first_special.is_none() && found != 0 {
            self.first_special = Some(at + found.trailing_zeros() as usize / 8);
        }
        if controls != 0 && super::has_forbidden_control(bytes) {
            self.forbidden_control = true;
        }
    }
}

/// Nonzero exactly when a byte of `chunk` is below 0x20 (which bytes are
/// marked is not exact): the lowest such byte borrows into its own high
/// bit, and bytes at or above 0x20 borrow nothing.
fn below_space(chunk: u64) -> u64 {
    chunk.wrapping_sub(every_byte(0x20)) & !chunk & every_byte(0x80)
}

/// The high bit of each byte of `chunk` that is a backslash, CR or LF;
/// the lowest mark is exact ([`marks`]).
fn special_bytes(chunk: u64) -> u64 {
    marks(chunk, b'\\') | marks(chunk, b'\r') | marks(chunk, b'\n')
}

/// What a backslash and this byte stand for, for the one-letter escapes.
fn simple_escape(escaped: u8) -> Option<char> {
    Some(match escaped {
        b'a' => '\x07',
        b'b' => '\x08',
        b'f' => '\x0C',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'v' => '\x0B',
        b'\\' => '\\',
        b'"' => '"',
        _ => return None,
    })
}

/// True when the final quote is itself escaped (`"abc\"` with no close).
fn ends_with_escaped_quote(raw: &str) -> bool {
    let before = &raw.as_bytes()[1..raw.len() - 1];
    let backslashes = before.iter().rev().take_while(|&&b| b == b'\\').count();
    backslashes % 2 == 1
}

fn take_digits(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    max: usize,
    radix: u32,
) -> String {
    let mut digits = String::new();
    while digits.len() < max {
        match chars.peek() {
            Some(&(_, c)) if c.is_digit(radix) => {
                digits.push(c);
                chars.next();
            }
            _ => break,
        }
    }
    digits
}

fn push_code(
    value: &mut String,
    code: u32,
    wide: bool,
    span: Span,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let ch = if wide {
        char::from_u32(code)
    } else {
        u8::try_from(code).ok().map(cp1252_char)
    };
    match ch {
        Some(c) => value.push(c),
        None => diagnostics.push(
            Diagnostic::error(
                "mif::invalid-escape",
                span,
                format!("escape stands for U+{code:04X}, which is not a character"),
            )
            .with_label("a lone UTF-16 surrogate")
            .with_help("escape whole characters only"),
        ),
    }
}

/// Write a value as one string literal (quotes included) that decodes back
/// to exactly `value`: `\\` and `"` are escaped, and so are control
/// characters (as `\n`, `\t`, ... or `\xHH`), so the literal stays on one line.
pub fn encode_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0B' => out.push_str("\\v"),
            '\x0C' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\x7F' => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// [`encode_string`] for a file of the given width. In Unicode files `\x`
/// takes up to four hex digits, so there its escapes get four, which a
/// following hex digit cannot extend (`"\x01A"` would read as U+01A).
pub fn encode_string_for(value: &str, wide: bool) -> String {
    let narrow = encode_string(value);
    if !wide {
        return narrow;
    }
    let mut out = String::with_capacity(narrow.len() + 8);
    let mut chars = narrow.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '\\' {
            match chars.next() {
                Some('x') => out.push_str("x00"),
                Some(escaped) => out.push(escaped),
                None => {}
            }
        }
    }
    out
}

/// Read an integer as written: decimal, `0` octal, `0x` hex, with an
/// optional leading `-`.
pub fn decode_integer(raw: &str) -> Result<i128, String> {
    let (magnitude, negative) = decode_integer_parts(raw)?;
    let value = i128::from(magnitude);
    Ok(if negative { -value } else { value })
}

/// [`decode_integer`] as a magnitude and whether a `-` leads it: the form
/// the tree keeps, without a round trip through an `i128`.
pub(super) fn decode_integer_parts(raw: &str) -> Result<(u64, bool), String> {
    match short_decimal(raw.as_bytes()) {
        Some(value) => Ok((value, false)),
        None => decode_any_integer(raw),
    }
}

/// The value of a plain decimal of 1 to 19 digits without a leading zero
/// (nearly every integer in a MIF file: IDs, sizes, enum values), read
/// without the radix, sign and overflow checks [`decode_any_integer`]
/// makes: 19 digits always fit a `u64`. `None` for anything else.
pub(super) fn short_decimal(bytes: &[u8]) -> Option<u64> {
    let (&first, _) = bytes.split_first()?;
    if bytes.len() > 19 || (first == b'0' && bytes.len() > 1) {
        return None;
    }
    bytes.iter().try_fold(0, |value: u64, &byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u64::from(byte - b'0'))
    })
}

/// [`decode_integer_parts`] for any spelling, errors included.
fn decode_any_integer(raw: &str) -> Result<(u64, bool), String> {
    let (negative, digits) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    let (radix, body) = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, hex)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    let kind = match radix {
        16 => "hexadecimal",
        8 => "octal",
        _ => "decimal",
    };
    if body.is_empty() {
        return Err(format!("`{raw}` has no digits"));
    }
    // No MIF integer type holds more than a u64: counting in one is
    // cheaper than in an i128 and overflows exactly where the limit is.
    let mut value: u64 = 0;
    // Digits are ASCII: read bytes, and find the character only to name
    // a bad one (every byte before it was a digit, so it starts there).
    for (at, &byte) in body.as_bytes().iter().enumerate() {
        let Some(digit) = char::from(byte).to_digit(radix) else {
            let c = body[at..].chars().next().unwrap_or(char::from(byte));
            return Err(format!("`{c}` is not a {kind} digit in `{raw}`"));
        };
        value = value
            .checked_mul(radix.into())
            .and_then(|v| v.checked_add(digit.into()))
            .ok_or_else(|| format!("`{raw}` is too large for any MIF integer type"))?;
    }
    Ok((value, negative))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(raw: &str, wide: bool) -> (String, Vec<&'static str>) {
        let mut diagnostics = Vec::new();
        let value = decode_string(raw, 0, wide, &mut diagnostics);
        (value, diagnostics.iter().map(|d| d.code).collect())
    }

    #[test]
    fn escapes_decode_as_the_spec_says() {
        assert_eq!(decode(r#""a\tb\\c\"d""#, false).0, "a\tb\\c\"d");
        assert_eq!(decode(r#""\x41\x4a2\101\0""#, false).0, "AJ2A\0");
        assert_eq!(decode(r#""\x20AC""#, true).0, "€");
        assert_eq!(decode(r#""\x80""#, false).0, "€");
        assert_eq!(
            decode(r#""\q""#, false),
            ("q".into(), vec!["mif::unknown-escape"])
        );
        assert_eq!(decode(r#""\x""#, false).1, vec!["mif::invalid-escape"]);
        assert_eq!(decode(r#""\400""#, false).1, vec!["mif::invalid-escape"]);
        assert_eq!(decode(r#""\400""#, true).0, "\u{100}");
        assert_eq!(
            decode("\"a\nb\"", false),
            ("a\nb".into(), vec!["mif::newline-in-string"])
        );
    }

    #[test]
    fn unterminated_strings_keep_their_text() {
        assert_eq!(decode("\"abc", false).0, "abc");
        assert_eq!(decode("\"abc\\\"", false).0, "abc\"");
        assert_eq!(decode("\"", false).0, "");
    }

    #[test]
    fn encoded_strings_decode_to_the_same_value() {
        for value in [
            "",
            "plain",
            "C:\\Program Files\\x",
            "say \"hi\"",
            "a\nb\tc\x01\x7f",
            "é€",
        ] {
            let literal = encode_string(value);
            assert!(!literal.contains('\n'));
            assert_eq!(decode(&literal, false), (value.to_string(), vec![]));
        }
    }

    #[test]
    fn wide_files_get_hex_escapes_a_digit_cannot_extend() {
        for value in ["\x01A", "\\x41\x7f0", "plain"] {
            let literal = encode_string_for(value, true);
            assert_eq!(decode(&literal, true), (value.to_string(), vec![]));
            assert_eq!(encode_string_for(value, false), encode_string(value));
        }
    }

    /// Literal bodies of up to 40 bytes, half of them drawn from `bytes`
    /// that the scans look for or must step over.
    fn bodies(bytes: &'static [u8]) -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            proptest::prop_oneof![
                proptest::sample::select(bytes.to_vec()),
                proptest::prelude::any::<u8>(),
            ],
            0..40,
        )
    }

    proptest::proptest! {
        #[test]
        fn short_decimals_read_as_any_integer_does(raw in "-?0?[0-9xX]{0,22}[a-z]?") {
            proptest::prop_assert_eq!(decode_integer_parts(&raw), decode_any_integer(&raw));
        }

        #[test]
        fn first_special_finds_what_a_byte_scan_finds(
            body in bodies(b"\\\r\n\"a\x00\x0b\x0d\x5c\x8a\xdc\xff")
        ) {
            let by_byte = body.iter().position(|b| matches!(b, b'\\' | b'\r' | b'\n'));
            proptest::prop_assert_eq!(first_special(&body), by_byte);
        }

        #[test]
        fn scan_body_finds_what_two_byte_scans_find(
            body in bodies(b"\\\r\n\t \x00\x01\x1f\x20\x7f\x80\x9f\xa0\xff")
        ) {
            let expected = BodyScan {
                first_special: body.iter().position(|b| matches!(b, b'\\' | b'\r' | b'\n')),
                forbidden_control: body.iter().any(|&b| super::super::is_forbidden_control(char::from(b))),
            };
            proptest::prop_assert_eq!(scan_body(&body), expected);
        }
    }

    #[test]
    fn integers_in_every_base() {
        assert_eq!(decode_integer("42"), Ok(42));
        assert_eq!(decode_integer("0x1F"), Ok(31));
        assert_eq!(decode_integer("017"), Ok(15));
        assert_eq!(decode_integer("0"), Ok(0));
        assert_eq!(decode_integer("-5"), Ok(-5));
        assert!(decode_integer("08").is_err());
        assert!(decode_integer("0x").is_err());
        assert!(decode_integer("12abc").is_err());
        assert!(decode_integer("99999999999999999999999").is_err());
    }
}
