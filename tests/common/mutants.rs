//! Deterministic byte-level mutations of test inputs, shared by the
//! mutation tests (`tests/mutations.rs`) and the independent reader's
//! (`tests/independent/mutants.rs`), which add their own text-level ones.

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

pub fn flip_bits(rng: &mut Rng, bytes: &mut [u8]) -> &'static str {
    for _ in 0..=rng.below(4) {
        if !bytes.is_empty() {
            let at = rng.below(bytes.len());
            bytes[at] ^= 1 << rng.below(8);
        }
    }
    "bit flips"
}

pub fn truncate(rng: &mut Rng, bytes: &mut Vec<u8>) -> &'static str {
    let at = rng.below(bytes.len() + 1);
    bytes.truncate(at);
    "truncation"
}

pub fn splice(rng: &mut Rng, bytes: &mut Vec<u8>, other: &[u8]) -> &'static str {
    let at = rng.below(bytes.len() + 1);
    let from = rng.below(other.len() + 1);
    bytes.truncate(at);
    bytes.extend_from_slice(&other[from..]);
    "splice"
}

pub fn duplicate_line(rng: &mut Rng, bytes: &mut Vec<u8>) -> &'static str {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    let start = *rng.pick(&starts);
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

pub fn random_case(rng: &mut Rng, bytes: &mut [u8]) -> &'static str {
    let one_in = 1 + rng.below(4);
    for byte in bytes.iter_mut() {
        if byte.is_ascii_alphabetic() && rng.chance(one_in) {
            *byte ^= 0x20;
        }
    }
    "random case"
}
