//! A small, fast, non-cryptographic hasher for the lookup tables built at
//! start-up (word lists, per-article word counts). The standard SipHash is
//! built to resist hash flooding, which costs more than the look-up itself
//! for short words; these tables hold fixed, trusted keys or the words of one
//! article, so speed wins. (The multiply-rotate scheme of rustc's FxHasher.)

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(short_word(rest));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// `bytes` (one to seven of them) as a little-endian word padded with zeros,
/// read with whole loads that overlap: a copy into a zeroed buffer costs a
/// `memcpy` call, for nearly every key hashed.
#[inline(always)]
pub fn short_word(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    debug_assert!((1..8).contains(&n));
    if n >= 4 {
        let lo = u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes")) as u64;
        let hi = u32::from_le_bytes(bytes[n - 4..].try_into().expect("4 bytes")) as u64;
        lo | hi << (8 * (n - 4))
    } else {
        bytes[0] as u64 | (bytes[n / 2] as u64) << (8 * (n / 2)) | (bytes[n - 1] as u64) << (8 * (n - 1))
    }
}

/// `bytes` (one to eight of them) as a little-endian word padded with zeros:
/// [`short_word`], and one load for exactly eight.
#[inline(always)]
pub fn short_word_or_full(bytes: &[u8]) -> u64 {
    match <[u8; 8]>::try_from(bytes) {
        Ok(eight) => u64::from_le_bytes(eight),
        Err(_) => short_word(bytes),
    }
}

pub type FxBuildHasher = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = HashMap<K, V, FxBuildHasher>;
pub type FxHashSet<K> = HashSet<K, FxBuildHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work_with_strings() {
        let mut m: FxHashMap<String, u32> = FxHashMap::default();
        m.insert("iran".into(), 1);
        m.insert("united states".into(), 2);
        assert_eq!(m.get("iran"), Some(&1));
        assert_eq!(m.get("united states"), Some(&2));
        assert_eq!(m.get("irak"), None);
    }

    #[test]
    fn short_words_are_the_zero_padded_bytes() {
        let text = b"abcdefg";
        for n in 1..8 {
            let mut padded = [0u8; 8];
            padded[..n].copy_from_slice(&text[..n]);
            assert_eq!(short_word(&text[..n]), u64::from_le_bytes(padded), "{n}");
        }
    }
}
