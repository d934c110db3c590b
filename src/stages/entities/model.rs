//! A multiclass linear model over hashed features: the averaged perceptron
//! that trains it and the compact table that ships it.
//!
//! Features are 64-bit hashes (see [`feature`]); a class score is the sum of
//! the weights of the token's features. The shipped form is a little-endian
//! file: magic `WSNER1\0\0`, class count (u32), entry count (u32), scale (f32),
//! then per entry the feature hash (u64) and one i16 per class (weight =
//! i16 × scale), sorted by hash. Loading builds an open-addressing table, so
//! scoring a feature is one probe in the common case.

use std::collections::HashMap;

const MAGIC: &[u8; 8] = b"WSNER1\0\0";

/// Hashes the bytes of a string into a feature component, eight bytes at a
/// time. Stable across builds and platforms (the shipped weights are keyed by
/// it).
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// [`hash_str`] of a string's bytes.
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    hash_words(bytes, |word| word)
}

/// [`hash_bytes`] of the ASCII lowercase form of `bytes`, which must be
/// ASCII, without making that form: each eight-byte word is lowercased in a
/// register.
pub fn hash_ascii_lowercase(bytes: &[u8]) -> u64 {
    debug_assert!(bytes.is_ascii());
    hash_words(bytes, ascii_lowercase_word)
}

/// [`hash_ascii_lowercase`] of `bytes` and whether they hold a capital, if
/// they are all ASCII (`None` otherwise): both answers come from the words
/// the hash reads anyway, instead of from passes of their own.
#[inline]
pub fn hash_ascii_lowercase_checked(bytes: &[u8]) -> Option<(u64, bool)> {
    let (mut all, mut changed) = (0u64, 0u64);
    let h = hash_words(bytes, |word| {
        all |= word;
        let lower = ascii_lowercase_word(word);
        changed |= lower ^ word;
        lower
    });
    (all & 0x8080_8080_8080_8080 == 0).then_some((h, changed != 0))
}

/// [`hash_ascii_lowercase`] of the first three, the last three and the last
/// two bytes of the ASCII `bytes` (all of them where there are fewer): the
/// prefix and suffix features, from two loads rather than three hashes of
/// slices. `lower` is [`hash_ascii_lowercase`] of all of `bytes` (which the
/// caller has): a word of fewer than four bytes is its own prefix and suffix.
#[inline]
pub fn ascii_affix_hashes(bytes: &[u8], lower: u64) -> (u64, u64, u64) {
    debug_assert!(bytes.is_ascii() && lower == hash_ascii_lowercase(bytes));
    let len = bytes.len();
    if len < 4 {
        if len < 3 {
            return (lower, lower, lower);
        }
        let last_two = ascii_lowercase_word(bytes[1] as u64 | (bytes[2] as u64) << 8);
        return (lower, lower, hash_short(last_two, 2));
    }
    let head = ascii_lowercase_word(u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes")) as u64);
    let tail = ascii_lowercase_word(u32::from_le_bytes(bytes[len - 4..].try_into().expect("4 bytes")) as u64);
    (hash_short(head & 0xff_ffff, 3), hash_short(tail >> 8, 3), hash_short(tail >> 16, 2))
}

/// [`hash_bytes`] of the first `len` (at most 8) bytes of `word`, read
/// little-endian; its bytes from `len` on must be zero.
#[inline]
pub fn hash_short(word: u64, len: usize) -> u64 {
    debug_assert!(len <= 8 && (len == 8 || word >> (8 * len) == 0));
    // What `hash_words` does with at most one word (none when `len` is 0,
    // where the word is 0 and changes nothing).
    mix(((len as u64).wrapping_mul(K) ^ word).wrapping_mul(K).rotate_left(31))
}

const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// The hash of `bytes` with each eight-byte little-endian word (the last one
/// padded with zeros) passed through `map` first.
#[inline(always)]
fn hash_words(bytes: &[u8], mut map: impl FnMut(u64) -> u64) -> u64 {
    let len = bytes.len();
    if len < 8 {
        // A short word (nearly every one, and every affix): its one tail
        // word (none when empty), without setting up the loop below.
        if len == 0 {
            return mix(0);
        }
        return mix(((len as u64).wrapping_mul(K) ^ map(tail_word(bytes, len))).wrapping_mul(K).rotate_left(31));
    }
    let mut h: u64 = (len as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        h = (h ^ map(u64::from_le_bytes(chunk.try_into().expect("8 bytes")))).wrapping_mul(K).rotate_left(31);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = (h ^ map(tail_word(bytes, rest.len()))).wrapping_mul(K).rotate_left(31);
    }
    mix(h)
}

/// Lowercases the ASCII letters among eight bytes that are all below 0x80
/// (zero padding included): for each byte, `b + 0x3f` has its high bit set
/// from 'A' up and `b + 0x25` from '[' up, without carrying into the next
/// byte; where the first is set and the second not, the byte is a capital
/// and gets 0x20 added.
#[inline(always)]
fn ascii_lowercase_word(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let from_a = word.wrapping_add(ONES * 0x3f);
    let past_z = word.wrapping_add(ONES * 0x25);
    let capitals = from_a & !past_z & (ONES * 0x80);
    word | (capitals >> 2)
}

/// The last `n` (1..=7) bytes of `bytes` as a little-endian word padded with
/// zeros, read with whole loads (a copy into a zeroed buffer costs a call and
/// a stalled load, on every word of every article).
#[inline]
fn tail_word(bytes: &[u8], n: usize) -> u64 {
    let len = bytes.len();
    if len >= 8 {
        let word = u64::from_le_bytes(bytes[len - 8..].try_into().expect("8 bytes"));
        return word >> (8 * (8 - n));
    }
    // The whole string is the tail (n == len).
    crate::fxhash::short_word(bytes)
}

/// Combines a feature template id with one or two component hashes.
#[inline]
pub fn feature(template: u32, a: u64, b: u64) -> u64 {
    mix(a ^ b.rotate_left(29) ^ (template as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

#[inline]
fn mix(mut x: u64) -> u64 {
    // splitmix64 finaliser.
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Classes of the shipped model (the tagger's BIO tags).
pub const CLASSES: usize = 9;

/// The shipped, read-only model: an open-addressing table keyed by feature
/// hash.
///
/// Keys and weights live in separate arrays. A lookup first probes the keys,
/// 32-bit fingerprints (the hash's high half; the low bits choose the slot),
/// which for the shipped model take half a megabyte and stay in cache; most
/// features of a token are absent from the model and are settled there. Only a
/// hit reads weights from the table at large (a miss adds the row of zeros,
/// which stays in cache). Two features of the table never share a fingerprint
/// within a probe run (checked when the table is built); an absent feature
/// matches a present one's fingerprint with probability 2⁻³² per probe.
///
/// A probe compares [`GROUP`] fingerprints at once and takes the first that
/// is the feature's or empty, so that the run a feature's probe crosses,
/// short or long, costs no branch that mispredicts; only a run longer than
/// a group goes on one slot at a time. The keys are followed by copies of
/// their first `GROUP - 1`, so a group may start at any slot; the weights
/// by a row of zeros, which an absent feature adds.
#[derive(Debug, Clone)]
pub struct Model {
    mask: usize,
    /// `mask + 1` fingerprints, then the first `GROUP - 1` again.
    keys: Vec<u32>,
    /// `mask + 1` rows, then the row of zeros.
    weights: Vec<[i16; CLASSES]>,
    /// Weight = i16 × scale.
    scale: f32,
}

/// Fingerprint marking an empty slot (a real one equal to it is remapped).
const EMPTY: u32 = 0;

/// Slots a probe compares at once.
const GROUP: usize = 8;

#[inline]
fn fingerprint(h: u64) -> u32 {
    ((h >> 32) as u32).max(1)
}

impl Model {
    pub(crate) fn with_entries(
        scale: f32,
        entries: impl ExactSizeIterator<Item = (u64, [i16; CLASSES])>,
    ) -> Result<Model, String> {
        // Load factor between 0.35 and 0.7: short probes, a compact table.
        let size = (entries.len() * 10 / 7).next_power_of_two().max(16);
        let mut model =
            Model { mask: size - 1, keys: vec![EMPTY; size + GROUP - 1], weights: vec![[0; CLASSES]; size + 1], scale };
        for (h, weights) in entries {
            let key = fingerprint(h);
            let mut i = (h as usize) & model.mask;
            while model.keys[i] != EMPTY {
                if model.keys[i] == key {
                    return Err(format!("features {h:#x} and another share a fingerprint; retrain with another seed"));
                }
                i = (i + 1) & model.mask;
            }
            model.keys[i] = key;
            model.weights[i] = weights;
        }
        model.keys.copy_within(..GROUP - 1, size);
        Ok(model)
    }

    pub fn classes(&self) -> usize {
        CLASSES
    }

    /// Adds the weights of `features` into `scores` (one per class).
    #[inline]
    pub fn score(&self, features: &[u64], scores: &mut [f32]) {
        let mut sum = [0i32; CLASSES];
        self.add_weights(features, &mut sum);
        self.add_scores(&sum, scores);
    }

    /// Adds the quantised weights of `features` into `sum`, one per class.
    /// Integer sums: features may be added in any order and in any grouping,
    /// [`Self::add_scores`] gives the same scores.
    ///
    /// The rows of a chunk of features are found first, then added: the
    /// loads of the rows do not wait on one another, so their cache misses
    /// overlap instead of one stalling the next.
    #[inline]
    pub fn add_weights(&self, features: &[u64], sum: &mut [i32; CLASSES]) {
        const CHUNK: usize = 32;
        let mut rows = [0usize; CHUNK];
        for chunk in features.chunks(CHUNK) {
            for (row, &h) in rows.iter_mut().zip(chunk) {
                *row = self.row(h);
            }
            for &row in &rows[..chunk.len()] {
                for (s, &w) in sum.iter_mut().zip(&self.weights[row]) {
                    *s += w as i32;
                }
            }
        }
    }

    /// Adds the quantised weights of one feature into `sum`: what
    /// [`Self::add_weights`] adds for it.
    #[inline]
    pub fn add_weight(&self, h: u64, sum: &mut [i32; CLASSES]) {
        for (s, &w) in sum.iter_mut().zip(&self.weights[self.row(h)]) {
            *s += w as i32;
        }
    }

    /// The row of `weights` for feature `h`: its slot's, or the row of
    /// zeros if the model does not have it. The slot is the first from the
    /// feature's home slot on that holds its fingerprint, unless an empty
    /// one comes first.
    #[inline]
    fn row(&self, h: u64) -> usize {
        let key = fingerprint(h);
        let mut start = (h as usize) & self.mask;
        loop {
            let group: &[u32; GROUP] = self.keys[start..start + GROUP].try_into().expect("a group of slots");
            // Bit k: slot `start + k` holds the key; is empty.
            let (mut found, mut empty) = (0u32, 0u32);
            for (k, &here) in group.iter().enumerate() {
                found |= u32::from(here == key) << k;
                empty |= u32::from(here == EMPTY) << k;
            }
            let settled = found | empty;
            if settled != 0 {
                let first = settled.trailing_zeros();
                let slot = (start + first as usize) & self.mask;
                return std::hint::select_unpredictable(found >> first & 1 == 1, slot, self.mask + 1);
            }
            start = (start + GROUP) & self.mask;
        }
    }

    /// Adds the class scores of the weight sums from [`Self::add_weights`]
    /// into `scores`.
    #[inline]
    pub fn add_scores(&self, sum: &[i32; CLASSES], scores: &mut [f32]) {
        for (s, &total) in scores.iter_mut().zip(sum) {
            *s += total as f32 * self.scale;
        }
    }

    /// Reads the shipped binary form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let header = 8 + 4 + 4 + 4;
        if bytes.len() < header || &bytes[..8] != MAGIC {
            return Err("not a wirescan model file".into());
        }
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let classes = u32_at(8) as usize;
        let count = u32_at(12) as usize;
        let scale = f32::from_le_bytes(bytes[16..20].try_into().expect("4 bytes"));
        if classes != CLASSES {
            return Err(format!("model has {classes} classes, expected {CLASSES}"));
        }
        // (The tagger compares weight sums for scores: a positive scale.)
        if !(scale > 0.0 && scale.is_finite()) {
            return Err(format!("model has scale {scale}, expected a positive number"));
        }
        let entry = 8 + 2 * classes;
        if bytes.len() != header + count * entry {
            return Err(format!("model file has {} bytes, expected {}", bytes.len(), header + count * entry));
        }
        let entries = bytes[header..].chunks_exact(entry).map(|e| {
            let (h, weights) = e.split_at(8);
            let mut w = [0i16; CLASSES];
            for (w, pair) in w.iter_mut().zip(weights.chunks_exact(2)) {
                *w = i16::from_le_bytes([pair[0], pair[1]]);
            }
            (u64::from_le_bytes(h.try_into().expect("8 bytes")), w)
        });
        Model::with_entries(scale, entries)
    }
}

/// Writes weights in the shipped binary form, quantised to i16. Features
/// whose largest absolute weight is below `prune` are dropped.
pub fn to_bytes(classes: usize, weights: &HashMap<u64, Vec<f32>>, prune: f32) -> Vec<u8> {
    let mut kept: Vec<(&u64, &Vec<f32>)> =
        weights.iter().filter(|(_, w)| w.iter().any(|x| x.abs() >= prune && x.abs() > 0.0)).collect();
    kept.sort_by_key(|(h, _)| **h);
    let max = kept.iter().flat_map(|(_, w)| w.iter()).fold(0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / i16::MAX as f32 } else { 1.0 };
    let mut out = Vec::with_capacity(20 + kept.len() * (8 + 2 * classes));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(classes as u32).to_le_bytes());
    out.extend_from_slice(&(kept.len() as u32).to_le_bytes());
    out.extend_from_slice(&scale.to_le_bytes());
    for (h, w) in kept {
        out.extend_from_slice(&h.to_le_bytes());
        for x in w {
            out.extend_from_slice(&((x / scale).round() as i16).to_le_bytes());
        }
    }
    out
}

/// Averaged perceptron training state.
pub struct Perceptron {
    classes: usize,
    weights: HashMap<u64, Vec<f32>>,
    /// Running sums for averaging, and when each weight last changed.
    totals: HashMap<u64, Vec<f64>>,
    stamps: HashMap<u64, Vec<u64>>,
    instances: u64,
}

impl Perceptron {
    pub fn new(classes: usize) -> Perceptron {
        Perceptron { classes, weights: HashMap::new(), totals: HashMap::new(), stamps: HashMap::new(), instances: 0 }
    }

    /// Current (not averaged) scores.
    pub fn scores(&self, features: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        for h in features {
            if let Some(w) = self.weights.get(h) {
                for (s, w) in scores.iter_mut().zip(w) {
                    *s += w;
                }
            }
        }
    }

    /// One training instance: moves weight from `guess` to `truth`.
    pub fn update(&mut self, features: &[u64], truth: usize, guess: usize) {
        self.instances += 1;
        if truth == guess {
            return;
        }
        for &h in features {
            for (class, delta) in [(truth, 1.0f32), (guess, -1.0f32)] {
                let w = self.weights.entry(h).or_insert_with(|| vec![0.0; self.classes]);
                let t = self.totals.entry(h).or_insert_with(|| vec![0.0; self.classes]);
                let s = self.stamps.entry(h).or_insert_with(|| vec![0; self.classes]);
                t[class] += (self.instances - s[class]) as f64 * w[class] as f64;
                s[class] = self.instances;
                w[class] += delta;
            }
        }
    }

    /// The averaged weights.
    pub fn averaged(&self) -> HashMap<u64, Vec<f32>> {
        let n = self.instances.max(1) as f64;
        self.weights
            .iter()
            .map(|(h, w)| {
                let t = &self.totals[h];
                let s = &self.stamps[h];
                let avg = (0..self.classes)
                    .map(|c| ((t[c] + (self.instances - s[c]) as f64 * w[c] as f64) / n) as f32)
                    .collect();
                (*h, avg)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A feature's row is the one a plain linear probe finds, slot by slot:
    /// for features present and absent, in runs longer than a group and
    /// runs that wrap around the end of the table; and the sums are the
    /// sums of those rows.
    #[test]
    fn grouped_probes_find_what_slot_by_slot_probes_find() {
        let mut next = crate::test_rng(0x2545_f491_4f6c_dd1d);
        // 2,000 features, 4,096 slots; 300 of them at home in the last six
        // slots, so that one run crosses the end and is far longer than a
        // group.
        let size = 4096u64;
        let mut entries: Vec<(u64, [i16; CLASSES])> = (0..2000)
            .map(|n| {
                let h = next();
                let h = if n < 300 { h & !(size - 1) | (size - 1 - h % 6) } else { h };
                (h, std::array::from_fn(|c| (n * CLASSES + c) as i16 - 9000))
            })
            .collect();
        entries.sort_unstable_by_key(|e| e.0);
        entries.dedup_by_key(|e| e.0);
        let model = Model::with_entries(0.5, entries.iter().copied()).expect("distinct fingerprints");
        assert_eq!(model.mask + 1, size as usize);
        let slot_by_slot = |h: u64| -> usize {
            let mut i = (h as usize) & model.mask;
            loop {
                match model.keys[i] {
                    EMPTY => return model.mask + 1,
                    here if here == fingerprint(h) => return i,
                    _ => i = (i + 1) & model.mask,
                }
            }
        };
        let absent = (0..3000).map(|n| if n % 2 == 0 { next() } else { next() & !(size - 1) | (size - 1 - n % 9) });
        let features: Vec<u64> = entries.iter().map(|e| e.0).chain(absent).collect();
        let mut want = [0i32; CLASSES];
        for &h in &features {
            let row = slot_by_slot(h);
            assert_eq!(model.row(h), row, "{h:#x}");
            let mut one = [0i32; CLASSES];
            model.add_weight(h, &mut one);
            assert_eq!(one, model.weights[row].map(i32::from));
            for (w, o) in want.iter_mut().zip(one) {
                *w += o;
            }
        }
        for (h, weights) in &entries {
            assert_eq!(&model.weights[model.row(*h)], weights);
        }
        let mut sum = [0i32; CLASSES];
        model.add_weights(&features, &mut sum);
        assert_eq!(sum, want);
        assert!(model.weights[model.mask + 1].iter().all(|&w| w == 0));
    }

    #[test]
    fn perceptron_learns_a_separable_problem_and_survives_the_round_trip() {
        // Class = which of three marker features is present.
        let data: Vec<(Vec<u64>, usize)> =
            (0..300).map(|i| (vec![hash_str("bias"), hash_str(&format!("marker{}", i % 3))], i % 3)).collect();
        let mut p = Perceptron::new(CLASSES);
        let mut scores = vec![0.0; CLASSES];
        for _ in 0..5 {
            for (f, y) in &data {
                p.scores(f, &mut scores);
                let guess = argmax(&scores);
                p.update(f, *y, guess);
            }
        }
        let bytes = to_bytes(CLASSES, &p.averaged(), 0.0);
        let model = Model::from_bytes(&bytes).unwrap();
        for (f, y) in data.iter().take(3) {
            let mut s = vec![0.0; CLASSES];
            model.score(f, &mut s);
            assert_eq!(argmax(&s), *y);
        }
        assert!(Model::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    }

    fn argmax(s: &[f32]) -> usize {
        (0..s.len()).fold(0, |best, i| if s[i] > s[best] { i } else { best })
    }

    #[test]
    fn tail_words_are_the_zero_padded_tail() {
        let text = b"abcdefghijklmnopq";
        for len in 1..text.len() {
            let bytes = &text[..len];
            let n = len % 8;
            if n == 0 {
                continue;
            }
            let mut padded = [0u8; 8];
            padded[..n].copy_from_slice(&bytes[len - n..]);
            assert_eq!(tail_word(bytes, n), u64::from_le_bytes(padded), "{len}");
        }
        // The hash the shipped weights were trained with, written plainly.
        fn reference(s: &str) -> u64 {
            const K: u64 = 0x9e37_79b9_7f4a_7c15;
            let mut h: u64 = (s.len() as u64).wrapping_mul(K);
            for chunk in s.as_bytes().chunks(8) {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K).rotate_left(31);
            }
            mix(h)
        }
        for s in ["", "a", "ab", "abc", "Iran", "Rabiei", "Teheran", "Khabaronline.ir", "Cuccinelli II", "Téhéran ’s"]
        {
            assert_eq!(hash_str(s), reference(s), "{s}");
        }
    }

    /// `words`, then every suffix and every prefix of the ASCII characters.
    fn with_ascii_runs(words: &[&str]) -> Vec<String> {
        let all: String = (0u8..0x80).map(char::from).collect();
        let mut out: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        out.extend((0..all.len()).map(|i| all[i..].to_string()));
        out.extend((1..all.len()).map(|i| all[..i].to_string()));
        out
    }

    #[test]
    fn ascii_lowercase_hashes_are_the_hashes_of_the_lowercase_form() {
        let words =
            with_ascii_runs(&["", "A", "Iran", "WASHINGTON", "U.S.", "McDonald's", "@Z[`a{", "Khabaronline.IR"]);
        for w in &words {
            assert_eq!(hash_ascii_lowercase(w.as_bytes()), hash_str(&w.to_ascii_lowercase()), "{w:?}");
        }
    }

    #[test]
    fn checked_and_short_hashes_are_the_plain_ones() {
        let words = with_ascii_runs(&[
            "",
            "a",
            "Iran",
            "WASHINGTON",
            "Téhéran",
            "é",
            "aé",
            "abcdefgé",
            "abcdefghé",
            "Ünïcode",
            "x’s",
            "ab\u{80}",
        ]);
        for w in &words {
            let expected =
                w.is_ascii().then(|| (hash_str(&w.to_ascii_lowercase()), w.bytes().any(|b| b.is_ascii_uppercase())));
            assert_eq!(hash_ascii_lowercase_checked(w.as_bytes()), expected, "{w:?}");
        }
        for w in ["", "a", "Xx", "X.X.", "d-d-d", "xxxxxxx", "Xx.xXx.X"] {
            let mut word = [0u8; 8];
            word[..w.len()].copy_from_slice(w.as_bytes());
            assert_eq!(hash_short(u64::from_le_bytes(word), w.len()), hash_str(w), "{w:?}");
        }
    }

    #[test]
    fn affix_hashes_are_the_hashes_of_the_lowercase_affixes() {
        let text = "AbCdEfGhIjK";
        for start in 0..4 {
            for end in start..text.len() {
                let w = &text.as_bytes()[start..end];
                let len = w.len();
                let expected = (
                    hash_ascii_lowercase(&w[..len.min(3)]),
                    hash_ascii_lowercase(&w[len - len.min(3)..]),
                    hash_ascii_lowercase(&w[len - len.min(2)..]),
                );
                assert_eq!(ascii_affix_hashes(w, hash_ascii_lowercase(w)), expected, "{start}..{end}");
            }
        }
    }

    #[test]
    fn hashes_are_stable() {
        // The shipped weights are keyed by these values: they must never change.
        assert_eq!(hash_str(""), mix(0));
        assert_ne!(hash_str("ab"), hash_str("ab\0"));
        assert_ne!(feature(1, hash_str("a"), 0), feature(2, hash_str("a"), 0));
    }
}
