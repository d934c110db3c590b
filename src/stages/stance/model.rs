//! The learned pair model: given two mentions of one sentence (`a` before
//! `b`), which of five labels holds — neutral, a positive toward b, b
//! positive toward a, a negative toward b, b negative toward a (the DSA
//! labels, p and q being the earlier and later mention).
//!
//! A linear model over hashed features of the pair: the words between and
//! around the mentions, their valences, evaluative verbs, passives, quote
//! relations, the mentions' types, and what the rules of [`super::clauses`]
//! and the quote evidence say about the pair. Trained by `train-stance`
//! (`src/bin/train_stance.rs`) from DSA train; the weights ship in
//! `data/models/stance.bin`. The file format: magic `WSSTN1\0\0`, class
//! count (u32, = 5), entry count (u32), scale (f32), neutral bias (f32), the
//! feature templates used (u64, a bit per template), then
//! per entry the feature hash (u64) and five i16 (weight = i16 × scale),
//! sorted by hash. An empty model (no entries) leaves the rules alone.

use std::collections::HashMap;

use super::polarity::{BY, NEGATOR, PASSIVE_AUX};
use super::{Ctx, NONE, WINDOW};
use crate::stages::EntityType;
pub use crate::stages::entities::model::{feature, hash_str};

/// The labels, in the scorer's order; `a`/`b` are the earlier/later mention.
pub const LABELS: [&str; CLASSES] = ["neutral", "pos_pq", "pos_qp", "neg_pq", "neg_qp"];
pub const CLASSES: usize = 5;
pub const NEUTRAL: usize = 0;
pub const POS_AB: usize = 1;
pub const POS_BA: usize = 2;
pub const NEG_AB: usize = 3;
pub const NEG_BA: usize = 4;

const MAGIC: &[u8; 8] = b"WSSTN1\0\0";
const HEADER: usize = 8 + 4 + 4 + 4 + 4 + 8;

/// The label's direction (true: a → b) and sign, or None for neutral.
pub fn direction_and_sign(label: usize) -> Option<(bool, f32)> {
    match label {
        POS_AB => Some((true, 1.0)),
        POS_BA => Some((false, 1.0)),
        NEG_AB => Some((true, -1.0)),
        NEG_BA => Some((false, -1.0)),
        _ => None,
    }
}

/// The label a direction and a signed polarity make (the scorer's rule:
/// the direction with the larger absolute sum wins).
pub fn label_of(ab: f32, ba: f32) -> usize {
    if ab == 0.0 && ba == 0.0 {
        NEUTRAL
    } else if ab.abs() >= ba.abs() {
        if ab > 0.0 { POS_AB } else { NEG_AB }
    } else if ba > 0.0 {
        POS_BA
    } else {
        NEG_BA
    }
}

/// The shipped, read-only model.
///
/// The weights live in a two-choice (cuckoo) table keyed by the feature hash
/// itself: feature hashes are already well mixed, so two groups of its bits
/// choose the feature's two possible slots. A look-up reads both and picks
/// the matching slot's weights, or a row of zeros, without a branch: with
/// linear probing, whether the first slot held the feature, nothing or
/// another one was a coin toss the processor mispredicted for a good part of
/// the pairs' features. Adding a row of (positive) zeros leaves a score as
/// it is. At most half the slots are used.
///
/// A feature set is scored in chunks: first the rows of a chunk's features
/// are found, then added in order. The rows' loads do not wait on one
/// another's additions, so their cache misses overlap.
#[derive(Debug, Clone)]
pub struct PairModel {
    /// Per slot the feature hash, [`EMPTY`] for none.
    keys: Vec<u64>,
    /// Per slot the class weights of its feature, then one row of zeros
    /// (what an absent feature adds), then the row of the feature whose
    /// hash is [`EMPTY`] itself (zeros if the model has none).
    weights: Vec<[f32; CLASSES]>,
    /// Whether the model has a feature whose hash is [`EMPTY`].
    has_empty_key: bool,
    /// Number of features.
    len: usize,
    /// Added to the neutral score: trades neutral recall for the others'.
    neutral_bias: f32,
    /// The feature templates the model was trained with (bit per template).
    templates: u64,
}

/// The key of an empty slot of [`PairModel`]'s table.
const EMPTY: u64 = 0;

/// An empty model (no features, no bias): its table is the row of zeros
/// alone, which every look-up then reads.
impl Default for PairModel {
    fn default() -> Self {
        PairModel::with_slots(0, 0.0, 0)
    }
}

/// Evictions an insertion into [`PairModel`]'s table may make before the
/// table is built again with twice the slots.
const MAX_KICKS: usize = 500;

impl PairModel {
    /// The weights `train-stance` wrote.
    pub fn bundled() -> PairModel {
        PairModel::from_bytes(include_bytes!("../../../data/models/stance.bin")).expect("valid bundled stance model")
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The feature templates the model reads (bit per [`template`] id).
    pub fn templates(&self) -> u64 {
        self.templates
    }

    /// The two slots feature `h` may sit in (`mask`: slots − 1).
    #[inline]
    fn slots_of(h: u64, mask: usize) -> [usize; 2] {
        [h as usize & mask, (h >> 40) as usize & mask]
    }

    /// The row of `weights` to add for feature `h`: its slot's, or the row
    /// of zeros, or for [`EMPTY`] its own row. Both slots are read, and the
    /// choice is made by selects, not branches.
    #[inline]
    fn row(&self, h: u64) -> usize {
        let zeros = self.keys.len();
        if h == EMPTY {
            return zeros + 1;
        }
        if zeros == 0 {
            return zeros;
        }
        let [a, b] = Self::slots_of(h, zeros - 1);
        let b_or_zeros = std::hint::select_unpredictable(self.keys[b] == h, b, zeros);
        std::hint::select_unpredictable(self.keys[a] == h, a, b_or_zeros)
    }

    /// Sets the weights of feature `h` (the last setting wins). The table
    /// must have room ([`Self::with_slots`]); a false return means the
    /// feature found no slot, and the table is to be built again larger.
    fn insert(&mut self, h: u64, w: [f32; CLASSES]) -> bool {
        if h == EMPTY {
            self.len += usize::from(!self.has_empty_key);
            self.has_empty_key = true;
            let row = self.keys.len() + 1;
            self.weights[row] = w;
            return true;
        }
        let mask = self.keys.len() - 1;
        if let Some(&slot) = Self::slots_of(h, mask).iter().find(|&&slot| self.keys[slot] == h) {
            self.weights[slot] = w;
            return true;
        }
        // Cuckoo insertion: take a free one of the two slots, else push the
        // occupant of one to its other slot, and so on.
        let (mut h, mut w) = (h, w);
        let mut slot = Self::slots_of(h, mask)[0];
        for _ in 0..MAX_KICKS {
            let [a, b] = Self::slots_of(h, mask);
            if self.keys[a] == EMPTY {
                slot = a;
            } else if self.keys[b] == EMPTY {
                slot = b;
            } else {
                // Evict from the slot it did not just come from.
                slot = if slot == a { b } else { a };
            }
            std::mem::swap(&mut self.keys[slot], &mut h);
            std::mem::swap(&mut self.weights[slot], &mut w);
            if h == EMPTY {
                self.len += 1;
                return true;
            }
        }
        false
    }

    /// The weights of feature `h`, if the model has it.
    #[cfg(test)]
    fn get(&self, h: u64) -> Option<&[f32; CLASSES]> {
        let row = self.row(h);
        (row < self.keys.len() || (h == EMPTY && self.has_empty_key)).then(|| &self.weights[row])
    }

    /// An empty table of `slots` slots (a power of two).
    fn with_slots(slots: usize, neutral_bias: f32, templates: u64) -> PairModel {
        PairModel {
            keys: vec![EMPTY; slots],
            weights: vec![[0.0; CLASSES]; slots + 2],
            has_empty_key: false,
            len: 0,
            neutral_bias,
            templates,
        }
    }

    /// The class scores of a feature set: the neutral bias, then each
    /// feature's weights added in order.
    pub fn scores(&self, features: &[u64]) -> [f32; CLASSES] {
        const CHUNK: usize = 32;
        let mut scores = [0.0; CLASSES];
        scores[NEUTRAL] = self.neutral_bias;
        let mut rows = [0usize; CHUNK];
        for chunk in features.chunks(CHUNK) {
            for (row, &h) in rows.iter_mut().zip(chunk) {
                *row = self.row(h);
            }
            for &row in &rows[..chunk.len()] {
                for (s, w) in scores.iter_mut().zip(&self.weights[row]) {
                    *s += w;
                }
            }
        }
        scores
    }

    /// The best label and its margin over the runner-up.
    pub fn predict(&self, features: &[u64]) -> (usize, f32) {
        best_of(&self.scores(features))
    }

    /// Reads the shipped binary form.
    pub fn from_bytes(bytes: &[u8]) -> Result<PairModel, String> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err("not a wirescan stance model".into());
        }
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let f32_at = |at: usize| f32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let (classes, count, scale, neutral_bias) = (u32_at(8) as usize, u32_at(12) as usize, f32_at(16), f32_at(20));
        let templates = u64::from_le_bytes(bytes[24..32].try_into().expect("8 bytes"));
        if classes != CLASSES {
            return Err(format!("stance model has {classes} classes, expected {CLASSES}"));
        }
        let entry = 8 + 2 * CLASSES;
        if bytes.len() != HEADER + count * entry {
            return Err(format!("stance model has {} bytes, expected {}", bytes.len(), HEADER + count * entry));
        }
        let entries = (0..count).map(|n| {
            let at = HEADER + n * entry;
            let h = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
            let mut w = [0.0; CLASSES];
            for (c, w) in w.iter_mut().enumerate() {
                *w = i16::from_le_bytes([bytes[at + 8 + 2 * c], bytes[at + 9 + 2 * c]]) as f32 * scale;
            }
            (h, w)
        });
        // At most half full; twice the slots again whenever a feature finds
        // no slot (rare at that load).
        let mut slots = if count == 0 { 0 } else { (2 * count).next_power_of_two() };
        'build: loop {
            let mut model = PairModel::with_slots(slots, neutral_bias, templates);
            for (h, w) in entries.clone() {
                if !model.insert(h, w) {
                    slots *= 2;
                    continue 'build;
                }
            }
            return Ok(model);
        }
    }
}

/// The index of the highest score and its margin over the second.
pub fn best_of(scores: &[f32; CLASSES]) -> (usize, f32) {
    let mut best = 0;
    for c in 1..CLASSES {
        if scores[c] > scores[best] {
            best = c;
        }
    }
    let second = (0..CLASSES).filter(|&c| c != best).map(|c| scores[c]).fold(f32::NEG_INFINITY, f32::max);
    (best, scores[best] - second)
}

/// Writes weights in the shipped form, quantised to i16; features whose
/// largest absolute weight is below `prune` are dropped.
pub fn to_bytes(weights: &HashMap<u64, Vec<f32>>, neutral_bias: f32, templates: u64, prune: f32) -> Vec<u8> {
    let mut kept: Vec<(&u64, &Vec<f32>)> =
        weights.iter().filter(|(_, w)| w.iter().any(|x| x.abs() >= prune && x.abs() > 0.0)).collect();
    kept.sort_by_key(|(h, _)| **h);
    let max = kept.iter().flat_map(|(_, w)| w.iter()).fold(0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / i16::MAX as f32 } else { 1.0 };
    let mut out = Vec::with_capacity(HEADER + kept.len() * (8 + 2 * CLASSES));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(CLASSES as u32).to_le_bytes());
    out.extend_from_slice(&(kept.len() as u32).to_le_bytes());
    out.extend_from_slice(&scale.to_le_bytes());
    out.extend_from_slice(&neutral_bias.to_le_bytes());
    out.extend_from_slice(&templates.to_le_bytes());
    for (h, w) in kept {
        out.extend_from_slice(&h.to_le_bytes());
        for x in w {
            out.extend_from_slice(&((x / scale).round() as i16).to_le_bytes());
        }
    }
    out
}

/// Every feature template.
pub const ALL_TEMPLATES: u64 = (1 << (template::SEPARATORS + 1)) - 2;

/// Feature templates. Their numbers are part of the shipped weights' keys:
/// append, never renumber.
pub mod template {
    pub const BIAS: u32 = 1;
    pub const RULE: u32 = 2;
    pub const RULE_KIND: u32 = 3;
    pub const BETWEEN: u32 = 4;
    pub const BETWEEN_BIGRAM: u32 = 5;
    pub const FIRST_BETWEEN: u32 = 6;
    pub const LAST_BETWEEN: u32 = 7;
    pub const BEFORE_A: u32 = 8;
    pub const AFTER_B: u32 = 9;
    pub const GAP: u32 = 10;
    pub const TYPES: u32 = 11;
    pub const TYPE_A: u32 = 12;
    pub const TYPE_B: u32 = 13;
    pub const BETWEEN_VALENCE: u32 = 14;
    pub const AFTER_VALENCE: u32 = 15;
    pub const BEFORE_VALENCE: u32 = 16;
    pub const SENTENCE_VALENCE: u32 = 17;
    pub const VALENCE_WORD: u32 = 18;
    pub const VERB: u32 = 19;
    pub const QUOTE: u32 = 20;
    pub const MENTIONS_BETWEEN: u32 = 21;
    pub const NAME_A: u32 = 22;
    pub const NAME_B: u32 = 23;
    pub const PASSIVE: u32 = 24;
    pub const POSITION: u32 = 25;
    pub const SEPARATORS: u32 = 26;
}

/// What the rules and quotes say about a pair, as features.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RuleVote {
    /// The label the rule evidence between the two mentions makes.
    pub label: usize,
    /// The kind of the strongest rule row: 0 none, 1 quote, 2 clause, 3 name pair.
    pub kind: u8,
}

/// What the pair features read beyond the [`Ctx`], computed once per
/// article: per token the quote whose content holds it, per quote its
/// speaker's mention (or [`NONE`]) and entity, per sentence its valence sum,
/// per mention the hash of its name.
pub(crate) struct PairContext {
    pub quote_of: Vec<u32>,
    pub speaker_mention: Vec<u32>,
    pub speaker_key: Vec<u32>,
    pub sentence_sum: Vec<f32>,
    pub name_hash: Vec<u64>,
}

/// How many words after `a` and before `b` the word features read.
const BETWEEN_REACH: usize = 12;

/// Stand-in word hashes: a name, the sentence's edge (and a skipped middle).
const NAME_WORD: u64 = 0x6e61_6d65;
const EDGE_WORD: u64 = 0x6564_6765;

/// The features of the mention pair `a` (earlier) and `b` (later) of one
/// sentence, into `out`.
pub(crate) fn pair_features(
    ctx: &Ctx,
    a: u32,
    b: u32,
    rule: RuleVote,
    context: &PairContext,
    templates: u64,
    out: &mut Vec<u64>,
) {
    use template::*;
    let mut push = |template: u32, x: u64, y: u64| {
        if templates & (1 << template) != 0 {
            out.push(feature(template, x, y));
        }
    };
    let word_hash = |t: usize| if ctx.mention_of[t] != NONE { NAME_WORD } else { ctx.word_hash(t) };
    let ar = ctx.mention_tokens(a);
    let br = ctx.mention_tokens(b);
    let sentence = ctx.sentence_tokens(ar.start);
    let between = ar.end..br.start.max(ar.end);
    push(BIAS, 0, 0);
    push(RULE, rule.label as u64, 0);
    push(RULE_KIND, rule.label as u64, rule.kind as u64);
    push(GAP, gap_bucket(between.len()), 0);

    let mut previous = EDGE_WORD;
    let mut mentions = 0u64;
    let mut separators = 0u64;
    let mut last_mention = NONE;
    let (mut aux, mut by) = (false, false);
    for t in between.clone() {
        // A long gap's middle says little about the pair: only the words
        // nearest either mention.
        if t >= between.start + BETWEEN_REACH && t + BETWEEN_REACH < between.end {
            previous = EDGE_WORD + 1;
            continue;
        }
        let m = ctx.mention_of[t];
        if m != NONE {
            if m != last_mention {
                mentions += 1;
                last_mention = m;
            }
            if previous == NAME_WORD {
                continue;
            }
        }
        let w = word_hash(t);
        push(BETWEEN, w, 0);
        push(BETWEEN_BIGRAM, previous, w);
        previous = w;
        if m != NONE {
            continue;
        }
        let flags = ctx.info[t].flags;
        if ctx.is_separator(t) {
            separators += 1;
        }
        aux |= flags & PASSIVE_AUX != 0;
        by |= aux && flags & BY != 0;
        if let Some(v) = ctx.info[t].valence {
            let negated = (t.saturating_sub(3).max(sentence.start)..t).any(|n| ctx.info[n].flags & NEGATOR != 0);
            push(VALENCE_WORD, valence_bucket(v), negated as u64);
        }
        if let Some(sign) = ctx.verb_sign(t) {
            push(VERB, (sign > 0.0) as u64, 0);
        }
    }
    push(BETWEEN_BIGRAM, previous, EDGE_WORD);
    if let (Some(first), Some(last)) = (between.clone().next(), between.clone().last()) {
        push(FIRST_BETWEEN, word_hash(first), 0);
        push(LAST_BETWEEN, word_hash(last), 0);
    }
    push(MENTIONS_BETWEEN, mentions.min(3), 0);
    push(SEPARATORS, separators.min(3), 0);
    push(PASSIVE, aux as u64, by as u64);

    for k in 1..=3usize {
        let before = ar.start.checked_sub(k).filter(|&t| t >= sentence.start);
        push(BEFORE_A, before.map_or(EDGE_WORD, word_hash), k as u64);
        let after = Some(br.end + k - 1).filter(|&t| t < sentence.end);
        push(AFTER_B, after.map_or(EDGE_WORD, word_hash), k as u64);
        if before.is_none() && after.is_none() {
            break;
        }
    }

    let (ta, tb) = (type_code(ctx.parties[a as usize].kind), type_code(ctx.parties[b as usize].kind));
    push(TYPES, ta, tb);
    push(TYPE_A, ta, 0);
    push(TYPE_B, tb, 0);
    push(NAME_A, context.name_hash[a as usize], 0);
    push(NAME_B, context.name_hash[b as usize], 0);

    push(BETWEEN_VALENCE, valence_bucket(ctx.range_sum(between.clone())), 0);
    let after = br.end..(br.end + WINDOW).min(sentence.end).max(br.end);
    push(AFTER_VALENCE, valence_bucket(ctx.range_sum(after)), 0);
    let before = ar.start.saturating_sub(WINDOW).max(sentence.start)..ar.start;
    push(BEFORE_VALENCE, valence_bucket(ctx.range_sum(before)), 0);
    push(SENTENCE_VALENCE, valence_bucket(context.sentence_sum[ctx.sentence_index(ar.start)]), 0);

    // Quote relations: inside quotes, one the other's speaker.
    let (qa, qb) = (context.quote_of[ar.start], context.quote_of[br.start]);
    let speaks = |m: u32, q: u32| {
        q != NONE && (context.speaker_mention[q as usize] == m || context.speaker_key[q as usize] == ctx.entity_of(m))
    };
    let relation = (qa != NONE) as u64
        | ((qb != NONE) as u64) << 1
        | ((qa != NONE && qa == qb) as u64) << 2
        | (speaks(a, qb) as u64) << 3
        | (speaks(b, qa) as u64) << 4;
    push(QUOTE, relation, 0);

    let first_mention = (sentence.start..ar.start).all(|t| ctx.mention_of[t] == NONE);
    let last_mention = (br.end..sentence.end).all(|t| ctx.mention_of[t] == NONE);
    push(POSITION, first_mention as u64, last_mention as u64);
}

/// A valence as a small bucket: sign and rough size.
pub(crate) fn valence_bucket(x: f32) -> u64 {
    let size = match x.abs() {
        0.0 => 0,
        a if a < 0.8 => 1,
        a if a < 1.8 => 2,
        a if a < 3.0 => 3,
        _ => 4,
    };
    if x < 0.0 { 8 + size } else { size }
}

/// A token gap as a small bucket.
pub(crate) fn gap_bucket(n: usize) -> u64 {
    match n {
        0..=3 => n as u64,
        4..=5 => 4,
        6..=8 => 5,
        9..=12 => 6,
        13..=20 => 7,
        _ => 8,
    }
}

/// A type as a feature component (0 for an untagged name).
pub(crate) fn type_code(kind: Option<EntityType>) -> u64 {
    kind.map_or(0, |k| k as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_scorer() {
        assert_eq!(label_of(0.0, 0.0), NEUTRAL);
        assert_eq!(label_of(0.5, -0.2), POS_AB);
        assert_eq!(label_of(0.1, -0.2), NEG_BA);
        assert_eq!(label_of(-0.3, 0.3), NEG_AB);
        assert_eq!(direction_and_sign(POS_BA), Some((false, 1.0)));
        assert_eq!(direction_and_sign(NEUTRAL), None);
    }

    #[test]
    fn weights_survive_the_round_trip() {
        let mut weights = HashMap::new();
        weights.insert(7u64, vec![0.0, 2.0, -1.0, 0.5, 0.0]);
        weights.insert(9u64, vec![0.0, 0.0, 0.0, 0.01, 0.0]);
        let model = PairModel::from_bytes(&to_bytes(&weights, -0.25, ALL_TEMPLATES, 0.1)).expect("valid");
        assert!(!model.is_empty());
        let s = model.scores(&[7, 9, 11]);
        assert!((s[NEUTRAL] + 0.25).abs() < 1e-3);
        assert!((s[POS_AB] - 2.0).abs() < 1e-3);
        assert!((s[POS_BA] + 1.0).abs() < 1e-3);
        // Feature 9 was pruned.
        assert!((s[NEG_AB] - 0.5).abs() < 1e-3);
        assert_eq!(model.predict(&[7]).0, POS_AB);
        assert!(PairModel::from_bytes(b"nonsense").is_err());
    }

    #[test]
    fn the_bundled_model_loads() {
        let _ = PairModel::bundled();
    }

    /// The table finds every feature of the file with its weights, the
    /// feature hashed 0 included, and no other.
    #[test]
    fn the_table_holds_exactly_the_file_s_features() {
        let mut weights = HashMap::new();
        for i in 0..1000u64 {
            let h = if i == 0 { 0 } else { feature(template::BETWEEN, i, 0) };
            weights.insert(h, vec![i as f32, 0.5, -1.0, 2.0, -(i as f32)]);
        }
        let model = PairModel::from_bytes(&to_bytes(&weights, 0.0, ALL_TEMPLATES, 0.0)).expect("valid");
        assert_eq!(model.len, 1000);
        for (&h, w) in &weights {
            let found = model.get(h).expect("present");
            for (a, b) in found.iter().zip(w) {
                assert!((a - b).abs() < 0.05, "{h}: {found:?} {w:?}");
            }
        }
        for i in 1000..3000u64 {
            assert!(model.get(feature(template::BETWEEN, i, 0)).is_none());
        }
        assert!(PairModel::default().get(7).is_none() && PairModel::default().is_empty());
        assert_eq!(PairModel::default().scores(&[7, 0]), [0.0; CLASSES]);
    }

    /// Scores are, bit for bit, the sums of the present features' weights
    /// in feature order (what a table that skips absent features adds), for
    /// a table large enough that insertions evict (and for an empty one),
    /// over chunk boundaries, with and without a feature whose hash is
    /// [`EMPTY`].
    #[test]
    fn scores_are_the_sums_of_the_present_weights_in_order() {
        let mut next = crate::test_rng(0x9e37_79b9_7f4a_7c15u64);
        let mut weights = HashMap::new();
        for _ in 0..40_000 {
            let w: Vec<f32> = (0..CLASSES).map(|_| (next() % 2001) as f32 / 100.0 - 10.0).collect();
            weights.insert(next(), w);
        }
        weights.insert(EMPTY, vec![0.25, -0.5, 1.0, -2.0, 4.0]);
        // The reference: the quantised weights as the file has them, read
        // without the table.
        let read = |bytes: &[u8]| -> (PairModel, HashMap<u64, [f32; CLASSES]>) {
            let scale = f32::from_le_bytes(bytes[16..20].try_into().unwrap());
            let entry = 8 + 2 * CLASSES;
            let file = bytes[HEADER..]
                .chunks(entry)
                .map(|e| {
                    let w = std::array::from_fn(|c| i16::from_le_bytes([e[8 + 2 * c], e[9 + 2 * c]]) as f32 * scale);
                    (u64::from_le_bytes(e[..8].try_into().unwrap()), w)
                })
                .collect();
            (PairModel::from_bytes(bytes).expect("valid"), file)
        };
        let full = read(&to_bytes(&weights, -1.5, ALL_TEMPLATES, 0.0));
        let empty = read(&to_bytes(&HashMap::new(), -1.5, ALL_TEMPLATES, 0.0));
        assert_eq!(full.1.len(), weights.len());
        let present: Vec<u64> = weights.keys().copied().collect();
        for round in 0..2000 {
            let features: Vec<u64> = (0..round % 80)
                .map(|k| match (round + k) % 7 {
                    0 | 3 => next(),
                    5 => EMPTY,
                    _ => present[next() as usize % present.len()],
                })
                .collect();
            for (model, file) in [&full, &empty] {
                let mut want = [0.0f32; CLASSES];
                want[NEUTRAL] = model.neutral_bias;
                for h in &features {
                    if let Some(w) = file.get(h) {
                        for (s, w) in want.iter_mut().zip(w) {
                            *s += w;
                        }
                    }
                }
                let got = model.scores(&features);
                assert_eq!(got.map(f32::to_bits), want.map(f32::to_bits), "{features:?}");
            }
        }
        for &h in &present {
            assert_eq!(full.0.get(h), full.1.get(&h), "{h}");
        }
    }
}
