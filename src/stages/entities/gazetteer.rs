//! Word lists the entity stage reads: first names with gender counts (US SSA,
//! public domain), surnames (US Census, public domain), places (GeoNames,
//! CC-BY 4.0), demonyms, organisations, organisation words and titles
//! (project-written). See data/README.md for sources and licences.
//!
//! Built once per run from files compiled into the binary; read-only after.
//! All keys are lowercase; multi-word entries are keyed by their words joined
//! with single spaces.

use crate::fxhash::{FxHashMap, FxHashSet};

// Flags of a single word in the lists (see [`Gazetteer::word_flags`]).
pub const G_FEMALE: u32 = 1 << 0;
pub const G_MALE: u32 = 1 << 1;
pub const G_SURNAME: u32 = 1 << 2;
pub const G_COUNTRY: u32 = 1 << 3;
pub const G_ADMIN1: u32 = 1 << 4;
pub const G_CITY: u32 = 1 << 5;
pub const G_REGION: u32 = 1 << 6;
pub const G_NORP: u32 = 1 << 7;
pub const G_ORG: u32 = 1 << 8;
pub const G_ORG_HEAD: u32 = 1 << 9;
pub const G_ORG_WORD: u32 = 1 << 10;
pub const G_TITLE: u32 = 1 << 11;
/// The last word of a well-known person's name ("Trump", "Merkel").
pub const G_PERSON_LAST: u32 = 1 << 15;
/// A well-known person's full name (set by phrase matching).
pub const G_PERSON: u32 = 1 << 16;

/// What kind of place a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    Country,
    Admin1,
    City,
    Continent,
    /// Regions and bodies of water: LOC rather than GPE.
    Region,
}

/// What kind of NORP word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NorpKind {
    Nationality,
    Religion,
    Political,
}

/// A title or job word that precedes a name and is not part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Title {
    pub female: bool,
    pub male: bool,
}

#[derive(Debug, Default)]
pub struct Gazetteer {
    /// First name → (female count, male count), keyed like `word_flags` by
    /// the hash of the lowercase name ([`lowercase_hash`]).
    pub first_names: FxHashMap<u64, (u32, u32)>,
    pub places: FxHashMap<String, PlaceKind>,
    pub norp: FxHashMap<String, NorpKind>,
    pub orgs: FxHashSet<String>,
    /// Words that end organisation names ("Ministry", "Party", "Inc").
    pub org_heads: FxHashSet<String>,
    /// Words that appear inside organisation names.
    pub org_words: FxHashSet<String>,
    pub titles: FxHashMap<String, Title>,
    /// Well-known people's full names.
    pub people: FxHashSet<String>,
    /// Every single word in any list, with its `G_*` flags: one look-up per
    /// token instead of one per list, keyed by the word's hash
    /// ([`super::model::hash_str`] of the lowercase word, which the tagger
    /// computes anyway).
    pub word_flags: HashedFlags,
    /// First words of multi-word entries (places, organisations, titles,
    /// NORP phrases): where a phrase look-up can start. Keyed like
    /// `word_flags`.
    pub phrase_starts: HashedFlags,
    /// Multi-word entries by the hash of their words joined with spaces, with
    /// the one flag the tagger gives them (place kind, person, organisation,
    /// title, NORP — in that order of precedence).
    pub phrase_flags: HashedFlags,
    /// The first two or more words (not all) of multi-word entries, keyed
    /// like `phrase_flags`: a phrase look-up that is none of these can stop,
    /// no longer phrase is listed.
    pub phrase_prefixes: HashedFlags,
    /// Longest multi-word entry, in words.
    pub max_phrase_words: usize,
}

const FIRST_NAMES: &str = include_str!("../../../data/names/first_names.tsv");
const SURNAMES: &str = include_str!("../../../data/names/surnames.tsv");
const PLACES: &str = include_str!("../../../data/places/places.tsv");
const EXTRA_PLACES: &str = include_str!("../../../data/places/extra.tsv");
const DEMONYMS: &str = include_str!("../../../data/norp/demonyms.tsv");
const ORGS: &str = include_str!("../../../data/orgs/orgs.tsv");
const ORG_WORDS: &str = include_str!("../../../data/orgs/org_words.tsv");
const TITLES: &str = include_str!("../../../data/titles.tsv");
const PEOPLE: &str = include_str!("../../../data/people/people.tsv");

/// One row of a TSV file: its first fields (the lists use at most four) and
/// how many fields it has. No allocation per row: startup reads 120 000.
#[derive(Clone, Copy)]
struct Row<'a> {
    fields: [&'a str; 4],
    len: usize,
}

impl<'a> Row<'a> {
    fn get(&self, i: usize) -> Option<&'a str> {
        (i < self.len.min(self.fields.len())).then(|| self.fields[i])
    }
}

impl<'a> std::ops::Index<usize> for Row<'a> {
    type Output = &'a str;
    fn index(&self, i: usize) -> &&'a str {
        assert!(i < self.len, "field {i} of a row with {} fields", self.len);
        &self.fields[i]
    }
}

/// Rows of a TSV file with a header line, as fields: the rows of
/// `tsv.lines().skip(1)` that are not blank, split at tabs. One pass over the
/// bytes of the file, eight at a time (a search per line and another per tab
/// cost more than the short lines themselves).
fn rows<'a>(tsv: &'a str) -> impl Iterator<Item = Row<'a>> {
    // A line that starts with a printable ASCII character is not blank:
    // `trim` is for the others.
    let blank = |l: &str| !l.as_bytes().first().is_some_and(|b| (b'!'..=b'~').contains(b)) && l.trim().is_empty();
    let bytes = tsv.as_bytes();
    let mut start = memchr::memchr(b'\n', bytes).map_or(bytes.len(), |i| i + 1);
    std::iter::from_fn(move || {
        while start < bytes.len() {
            let line_start = start;
            let mut row = Row { fields: [""; 4], len: 0 };
            let push = |row: &mut Row<'a>, field: std::ops::Range<usize>| {
                if let Some(slot) = row.fields.get_mut(row.len) {
                    *slot = &tsv[field];
                }
                row.len += 1;
            };
            let mut field_start = start;
            let mut line_end = bytes.len();
            start = bytes.len();
            let mut i = line_start;
            while let Some(at) = next_separator(bytes, i) {
                if bytes[at] == b'\t' {
                    push(&mut row, field_start..at);
                    field_start = at + 1;
                    i = at + 1;
                } else {
                    // As `lines`: "\r\n" ends a line too.
                    line_end = if at > line_start && bytes[at - 1] == b'\r' { at - 1 } else { at };
                    start = at + 1;
                    break;
                }
            }
            push(&mut row, field_start..line_end);
            if !blank(&tsv[line_start..line_end]) {
                return Some(row);
            }
        }
        None
    })
}

/// The first tab or line feed in `bytes` from `from` on. Eight bytes at a
/// time: a word's bytes below 11 (tab is 9, line feed 10) are found by the
/// zero-byte trick, whose lowest hit is always exact.
fn next_separator(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let low = word.wrapping_sub(ONES * 11) & !word & HIGHS;
        if low == 0 {
            i += 8;
            continue;
        }
        let at = i + (low.trailing_zeros() / 8) as usize;
        if matches!(bytes[at], b'\t' | b'\n') {
            return Some(at);
        }
        i = at + 1;
    }
    (i..bytes.len()).find(|&k| matches!(bytes[k], b'\t' | b'\n'))
}

/// The number of lines of a file: room for its rows, so that a table is
/// allocated once instead of grown (and rehashed) a dozen times.
fn line_count(tsv: &str) -> usize {
    memchr::memchr_iter(b'\n', tsv.as_bytes()).count()
}

/// A hash map with room for `n` entries.
fn map_for<K, V>(n: usize) -> FxHashMap<K, V> {
    FxHashMap::with_capacity_and_hasher(n, Default::default())
}

/// [`hash_str`](super::model::hash_str) of `s.to_lowercase()`, without
/// making that string when `s` is ASCII (every bundled name is).
pub fn lowercase_hash(s: &str) -> u64 {
    match super::model::hash_ascii_lowercase_checked(s.as_bytes()) {
        Some((h, _)) => h,
        None => super::model::hash_str(&s.to_lowercase()),
    }
}

impl Gazetteer {
    /// The bundled lists.
    pub fn bundled() -> Gazetteer {
        let mut g = Gazetteer {
            first_names: map_for(line_count(FIRST_NAMES)),
            places: map_for(line_count(PLACES) + line_count(EXTRA_PLACES)),
            norp: map_for(line_count(DEMONYMS)),
            orgs: FxHashSet::with_capacity_and_hasher(line_count(ORGS), Default::default()),
            titles: map_for(line_count(TITLES)),
            people: FxHashSet::with_capacity_and_hasher(line_count(PEOPLE), Default::default()),
            ..Gazetteer::default()
        };
        for r in rows(FIRST_NAMES) {
            if let (Some(name), Some(female), Some(male)) = (r.get(0), r.get(1), r.get(2)) {
                g.first_names.insert(lowercase_hash(name), (female.parse().unwrap_or(0), male.parse().unwrap_or(0)));
            }
        }
        for r in rows(PLACES).chain(rows(EXTRA_PLACES)) {
            if r.len < 2 {
                continue;
            }
            let kind = match r[1] {
                "country" => PlaceKind::Country,
                "admin1" => PlaceKind::Admin1,
                "city" => PlaceKind::City,
                "continent" => PlaceKind::Continent,
                _ => PlaceKind::Region,
            };
            let key = normalize_phrase(r[0]);
            // A name that is both a country and a city keeps the larger kind.
            let entry = g.places.entry(key).or_insert(kind);
            if rank(kind) < rank(*entry) {
                *entry = kind;
            }
        }
        for r in rows(DEMONYMS) {
            let kind = match r.get(1) {
                Some("religion") => NorpKind::Religion,
                Some("political") => NorpKind::Political,
                _ => NorpKind::Nationality,
            };
            g.norp.insert(normalize_phrase(r[0]), kind);
        }
        for r in rows(ORGS) {
            g.orgs.insert(normalize_phrase(r[0]));
        }
        for r in rows(ORG_WORDS) {
            let word = normalize_phrase(r[0]);
            if r.get(1) == Some("head") {
                g.org_heads.insert(word.clone());
            }
            g.org_words.insert(word);
        }
        for r in rows(TITLES) {
            let gender = r.get(1).unwrap_or("");
            g.titles.insert(normalize_phrase(r[0]), Title { female: gender == "female", male: gender == "male" });
        }
        for r in rows(PEOPLE) {
            g.people.insert(normalize_phrase(r[0]));
        }
        g.max_phrase_words = g
            .places
            .keys()
            .chain(g.orgs.iter())
            .chain(g.titles.keys())
            .chain(g.norp.keys())
            .chain(g.people.iter())
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1)
            .min(6);
        g.index_words();
        g
    }

    /// `G_*` flags of a lowercase word.
    pub fn flags_of(&self, lower: &str) -> u32 {
        self.word_flags.get(super::model::hash_str(lower))
    }

    /// Builds [`Self::word_flags`], [`Self::phrase_starts`] and
    /// [`Self::phrase_flags`]. Surnames go straight into `word_flags`: their
    /// flag is all the tagger and the resolver ask of them.
    fn index_words(&mut self) {
        use super::model::hash_str;
        // Keyed by the word's hash, as the tables are: each word is hashed
        // once, and the map hashes a number instead of the string again.
        let words = self.first_names.len() + line_count(SURNAMES) + self.places.len() + self.norp.len();
        let mut flags: FxHashMap<u64, u32> = map_for(words + self.orgs.len() + self.titles.len() + self.people.len());
        let mut add_hashed = |h: u64, bits: u32| *flags.entry(h).or_default() |= bits;
        for (&name, &(f, m)) in &self.first_names {
            let mut bits = 0;
            if f >= m.saturating_mul(3) && f >= 20 {
                bits |= G_FEMALE;
            }
            if m >= f.saturating_mul(3) && m >= 20 {
                bits |= G_MALE;
            }
            if bits != 0 {
                add_hashed(name, bits);
            }
        }
        for r in rows(SURNAMES) {
            add_hashed(lowercase_hash(r[0]), G_SURNAME);
        }
        let mut add = |name: &str, bits: u32| add_hashed(hash_str(name), bits);
        for (name, kind) in &self.places {
            if !name.contains(' ') {
                add(name, place_flag(*kind));
            }
        }
        for name in self.norp.keys().filter(|n| !n.contains(' ')) {
            add(name, G_NORP);
        }
        for name in self.orgs.iter().filter(|n| !n.contains(' ')) {
            add(name, G_ORG);
        }
        for name in &self.org_heads {
            add(name, G_ORG_HEAD);
        }
        for name in self.org_words.difference(&self.org_heads) {
            add(name, G_ORG_WORD);
        }
        for name in self.titles.keys().filter(|n| !n.contains(' ')) {
            add(name, G_TITLE);
        }
        for name in &self.people {
            if let Some((_, last)) = name.rsplit_once(' ') {
                add(last, G_PERSON_LAST);
            }
        }
        let phrases = self
            .places
            .keys()
            .chain(self.orgs.iter())
            .chain(self.titles.keys())
            .chain(self.norp.keys())
            .chain(self.people.iter());
        let mut starts: FxHashSet<u64> = FxHashSet::default();
        let mut prefixes: FxHashSet<u64> = FxHashSet::default();
        for phrase in phrases {
            let mut spaces = phrase.match_indices(' ').map(|(at, _)| at);
            if let Some(first) = spaces.next() {
                starts.insert(hash_str(&phrase[..first]));
            }
            prefixes.extend(spaces.map(|at| hash_str(&phrase[..at])));
        }
        self.phrase_starts = HashedFlags::new(starts.into_iter().map(|h| (h, 1)));
        self.phrase_prefixes = HashedFlags::new(prefixes.into_iter().map(|h| (h, 1)));
        // Lowest precedence first: later inserts of the same phrase win.
        let mut phrase: FxHashMap<u64, u32> = map_for(self.places.len() + self.orgs.len() + self.people.len());
        for (name, kind) in self.norp.iter().filter(|(n, k)| n.contains(' ') && **k != NorpKind::Nationality) {
            let _ = kind;
            phrase.insert(hash_str(name), G_NORP);
        }
        for name in self.titles.keys().filter(|n| n.contains(' ')) {
            phrase.insert(hash_str(name), G_TITLE);
        }
        for name in self.orgs.iter().filter(|n| n.contains(' ')) {
            phrase.insert(hash_str(name), G_ORG);
        }
        for name in self.people.iter().filter(|n| n.contains(' ')) {
            phrase.insert(hash_str(name), G_PERSON);
        }
        for (name, kind) in self.places.iter().filter(|(n, _)| n.contains(' ')) {
            phrase.insert(hash_str(name), place_flag(*kind));
        }
        self.phrase_flags = HashedFlags::new(phrase.into_iter());
        self.word_flags = HashedFlags::new(flags.into_iter());
    }

    /// Share of female births among people with this first name, if known
    /// with enough evidence.
    pub fn female_share(&self, first: &str) -> Option<f32> {
        let (f, m) = *self.first_names.get(&lowercase_hash(first))?;
        let total = f + m;
        (total >= 20).then(|| f as f32 / total as f32)
    }
}

/// Flags keyed by a 64-bit word hash, in one flat open-addressing table: one
/// cache line per look-up, no string comparison (a text's word that is not
/// listed matches a listed one's slot and fingerprint with probability 2⁻³²
/// per probe: negligible).
#[derive(Debug, Default)]
pub struct HashedFlags {
    /// Per slot: the hash's high 32 bits (0 = empty) and the flags, side by
    /// side, so that a look-up touches one cache line; the low bits choose
    /// the slot.
    slots: Vec<(u32, u32)>,
    mask: usize,
    /// Entries whose fingerprints met in one probe run and were merged (none
    /// in the bundled lists: a test checks).
    merged: usize,
}

#[inline]
fn fingerprint(h: u64) -> u32 {
    ((h >> 32) as u32).max(1)
}

impl HashedFlags {
    fn new(entries: impl Iterator<Item = (u64, u32)>) -> HashedFlags {
        let entries: Vec<(u64, u32)> = entries.filter(|&(_, f)| f != 0).collect();
        // Load factor between 0.35 and 0.7.
        let size = (entries.len() * 10 / 7).next_power_of_two().max(16);
        let mut table = HashedFlags { slots: vec![(0, 0); size], mask: size - 1, merged: 0 };
        // The entries are distinct words, so a fingerprint met again is
        // another word's.
        for (h, f) in entries {
            let key = fingerprint(h);
            let mut i = h as usize & table.mask;
            while table.slots[i].0 != 0 && table.slots[i].0 != key {
                i = (i + 1) & table.mask;
            }
            table.merged += (table.slots[i].0 == key) as usize;
            table.slots[i].0 = key;
            table.slots[i].1 |= f;
        }
        table
    }

    /// Starts loading the first slot [`Self::get`] of `h` reads.
    #[inline]
    pub fn prefetch(&self, h: u64) {
        if let Some(slot) = self.slots.get(h as usize & self.mask) {
            crate::prefetch::prefetch(slot);
        }
    }

    /// The flags of a hash, 0 when absent.
    #[inline]
    pub fn get(&self, h: u64) -> u32 {
        if self.slots.is_empty() {
            return 0;
        }
        let key = fingerprint(h);
        let mut i = h as usize & self.mask;
        loop {
            match self.slots[i] {
                (k, flags) if k == key => return flags,
                (0, _) => return 0,
                _ => i = (i + 1) & self.mask,
            }
        }
    }
}

/// The `G_*` flag of a kind of place.
pub fn place_flag(kind: PlaceKind) -> u32 {
    match kind {
        PlaceKind::Country | PlaceKind::Continent => G_COUNTRY,
        PlaceKind::Admin1 => G_ADMIN1,
        PlaceKind::City => G_CITY,
        PlaceKind::Region => G_REGION,
    }
}

fn rank(kind: PlaceKind) -> u8 {
    match kind {
        PlaceKind::Country => 0,
        PlaceKind::Continent => 1,
        PlaceKind::Admin1 => 2,
        PlaceKind::City => 3,
        PlaceKind::Region => 4,
    }
}

/// Lowercase, single spaces: the key form of every list.
pub fn normalize_phrase(s: &str) -> String {
    // Most entries are printable ASCII words with single spaces between:
    // lowercasing the bytes gives the same string, without a pass per char.
    let bytes = s.as_bytes();
    let plain = bytes.iter().all(|&b| (b' '..=b'~').contains(&b))
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !s.contains("  ");
    if plain {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_tables_have_no_merged_fingerprints() {
        let g = Gazetteer::bundled();
        for table in [&g.word_flags, &g.phrase_starts, &g.phrase_flags, &g.phrase_prefixes] {
            assert_eq!(table.merged, 0);
        }
        let t = HashedFlags::new([(5u64 << 32 | 3, 1), (5u64 << 32 | 19, 2)].into_iter());
        assert_eq!(t.merged, 1, "same fingerprint, same first slot");
    }

    #[test]
    fn rows_are_the_fields_of_the_lines_after_the_header() {
        fn reference(tsv: &str) -> Vec<Vec<&str>> {
            tsv.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.split('\t').take(4).collect()).collect()
        }
        for tsv in [
            "",
            "header",
            "name\tkind\n",
            "name\tkind\na\tb\n\n  \nc\n\td\te\tf\tg\th\n",
            "h\r\nx\ty\r\nz\r\n \t \r\nlast\tno newline",
            "h\nbare\r\tcr\r",
            // Fields past eight bytes, other bytes below 11, non-ASCII.
            "name\tkind\n'Alī Ābād-e Katūl\tcity\tIR\t52838\nbell\x07ring\x08\x0b\tx\x01y\r\n\x0c \x0c\r\n\x08\n",
            "h\nexactly8\texactly8\nsixteen-bytes-xx\t\t\n",
        ] {
            let got: Vec<Vec<&str>> = rows(tsv).map(|r| (0..r.len.min(4)).map(|i| r[i]).collect()).collect();
            assert_eq!(got, reference(tsv), "{tsv:?}");
        }
        let lens: Vec<usize> = rows("h\na\tb\tc\td\te\tf\n").map(|r| r.len).collect();
        assert_eq!(lens, [6]);
    }

    #[test]
    fn lowercase_hashes_are_the_hashes_of_the_lowercase_form() {
        for s in ["mary", "Mary", "MARY", "José", "ÉLODIE", "", "o'brien"] {
            assert_eq!(lowercase_hash(s), super::super::model::hash_str(&s.to_lowercase()), "{s:?}");
        }
    }

    #[test]
    fn phrases_normalize_with_or_without_the_ascii_shortcut() {
        fn reference(s: &str) -> String {
            s.split_whitespace()
                .map(|w| w.chars().flat_map(char::to_lowercase).collect::<String>())
                .collect::<Vec<_>>()
                .join(" ")
        }
        for s in ["New York", "'Alī Ābād-e Katūl", " Padded  Twice ", "Tab\tSeparated", "", "U.S.", "ΣΟΦΟΣ Ltd"]
        {
            assert_eq!(normalize_phrase(s), reference(s), "{s:?}");
        }
    }

    #[test]
    fn bundled_lists_load_and_answer() {
        let g = Gazetteer::bundled();
        assert!(g.places.contains_key("iran"));
        assert!(g.places.contains_key("california"));
        assert!(g.norp.contains_key("iranian"));
        assert!(g.female_share("mary").unwrap() > 0.9);
        assert!(g.female_share("michael").unwrap() < 0.1);
        assert!(g.titles.contains_key("mr."));
        assert!(g.max_phrase_words >= 2);
        let hash = super::super::model::hash_str;
        assert!(g.phrase_flags.get(hash("new york")) != 0);
        assert!(g.phrase_prefixes.get(hash("new york")) != 0, "New York City");
        assert!(g.phrase_prefixes.get(hash("new")) == 0, "first words are phrase_starts");
        assert!(g.phrase_prefixes.get(hash("new york city")) == 0 || g.phrase_flags.get(hash("new york city")) != 0);
    }
}
