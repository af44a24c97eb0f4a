//! Text read 8 bytes at a time as one little-endian `u64` (the first byte
//! is the lowest), for the hot loops of the lexer, the literal decoder and
//! the printer: a few operations per chunk where a loop would test each
//! byte. Each is marked `#[inline]`: called from other modules, they
//! would otherwise stay calls where a few instructions are the point.

/// The bytes read at once.
pub(crate) const CHUNK: usize = 8;

/// A byte repeated in all 8 bytes of a `u64`.
#[inline]
pub(crate) const fn every_byte(byte: u8) -> u64 {
    u64::from_le_bytes([byte; CHUNK])
}

/// `bytes` (at most a chunk of them) followed by zeros.
#[inline]
pub(crate) fn padded(bytes: &[u8]) -> [u8; CHUNK] {
    let mut chunk = [0; CHUNK];
    for (to, from) in chunk.iter_mut().zip(bytes) {
        *to = *from;
    }
    chunk
}

/// The 8 bytes of `text` from `at` (which must lie inside it), zeros past
/// the text's end.
#[inline]
pub(crate) fn chunk_at(text: &[u8], at: usize) -> u64 {
    match text[at..].first_chunk::<CHUNK>() {
        Some(chunk) => u64::from_le_bytes(*chunk),
        None => u64::from_le_bytes(padded(&text[at..])),
    }
}

/// The high bit (0x80) of each byte of `chunk` below `limit` (at most
/// 0x80). A byte below it wraps round when `limit` is subtracted, which
/// sets its high bit; as in [`marks`], a borrow can mark a byte above a
/// true one, never one below, so the lowest mark is exact.
#[inline]
pub(crate) fn below(chunk: u64, limit: u8) -> u64 {
    chunk.wrapping_sub(every_byte(limit)) & !chunk & every_byte(0x80)
}

/// The high bit (0x80) of each byte of `chunk` that equals `byte`. The
/// usual zero-byte test: a matching byte is zero after the XOR, and
/// subtracting 1 from it borrows into its high bit. The borrow can mark a
/// byte above a true match too, never one below, so the lowest mark is
/// exact, and that is the only one callers use.
#[inline]
pub(crate) fn marks(chunk: u64, byte: u8) -> u64 {
    let zeroed = chunk ^ every_byte(byte);
    zeroed.wrapping_sub(every_byte(1)) & !zeroed & every_byte(0x80)
}
