//! From tagged token runs to mentions and in-article entities.
//!
//! - Mention clean-up: titles and honorifics at the front ("Mr.", "cabinet
//!   spokesman") and a leading "the" are not part of a name; possessive `'s`
//!   never is. A `LOC` that names a country, state or city is a `GPE`; a `MISC`
//!   that is a nationality, religion or party word is a `NORP`.
//! - Grouping: people by surname (or first name) against the fullest name the
//!   article uses ("Mr. Asgari" → "Sirous Asgari"), organisations by name,
//!   acronym or head word ("The Post" → "The Washington Post"), places by name
//!   and the usual aliases ("U.S." → "United States").
//! - Gender of people: the pronouns that refer to them in the article first,
//!   first-name statistics second.

use crate::fxhash::{FxHashMap, FxHashSet};

use super::gazetteer::{G_ADMIN1, G_CITY, G_FEMALE, G_MALE, G_TITLE, Gazetteer, PlaceKind};
use super::tagger::DocFeatures;
use super::{Entities, Entity, Mention};
use crate::stages::{EntityType, Gender, Span};
use crate::text::{Document, TokenKind, with_lowercase};

/// A tagged run of tokens before clean-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawMention {
    /// Token indices `[first, end)`.
    pub first: usize,
    pub end: usize,
    /// 0 PER, 1 ORG, 2 LOC, 3 MISC (the tagger's classes).
    pub class: usize,
}

/// Place aliases news uses for the same country.
const ALIASES: &[(&str, &str)] = &[
    ("u.s.", "United States"),
    ("us", "United States"),
    ("u.s", "United States"),
    ("usa", "United States"),
    ("u.s.a.", "United States"),
    ("america", "United States"),
    ("united states of america", "United States"),
    ("the united states", "United States"),
    ("u.k.", "United Kingdom"),
    ("uk", "United Kingdom"),
    ("britain", "United Kingdom"),
    ("great britain", "United Kingdom"),
    ("u.n.", "United Nations"),
    ("un", "United Nations"),
];

fn word_text(doc: &Document, i: usize) -> &str {
    &doc.text()[doc.tokens()[i].range()]
}

/// Whether token `i` is a title word. Every listed title has `G_TITLE` in
/// the word flags (the flag table has no false negatives), and an ASCII
/// word's flags are keyed by the hash the tagger made of its lowercase form:
/// most words are ruled out there, without lowercasing.
fn is_title_word(doc: &Document, features: &DocFeatures, g: &Gazetteer, i: usize) -> bool {
    let w = word_text(doc, i);
    if w.is_ascii() && g.word_flags.get(features.lower_hash(i)) & G_TITLE == 0 {
        return false;
    }
    with_lowercase(w, |w| g.titles.contains_key(w))
}

/// Cleans up raw runs into typed mention spans (token ranges).
pub fn clean_mentions(
    doc: &Document,
    features: &DocFeatures,
    raw: &[RawMention],
    g: &Gazetteer,
) -> Vec<(usize, usize, EntityType)> {
    let is_title_word = |i: usize| is_title_word(doc, features, g, i);
    let mut out: Vec<(usize, usize, EntityType)> = Vec::with_capacity(raw.len());
    for m in raw {
        let (mut first, mut end) = (m.first, m.end);
        // Leading titles, honorifics and "the". (Only ASCII lowercases to
        // "the".)
        while first < end {
            let is_the = word_text(doc, first).eq_ignore_ascii_case("the");
            // A closing quotation mark or a comma before the name ("“…,”
            // McConnell (R-Ky.) said").
            let mark = matches!(doc.tokens()[first].kind, TokenKind::Quote | TokenKind::Punct);
            // Keep a title that is the whole mention's only capitalised word
            // out of it anyway: "President" alone is not a name.
            if is_the || mark || (m.class == 0 && is_title_word(first)) {
                first += 1;
            } else {
                break;
            }
        }
        // Trailing possessives, punctuation and function words ("CHICAGO AT").
        while end > first {
            let w = word_text(doc, end - 1);
            let kind = doc.tokens()[end - 1].kind;
            let function_word = ["at", "of", "in", "and", "the", "for", "on", "to", "by", "with", "from", "vs", "v"]
                .iter()
                .any(|f| w.eq_ignore_ascii_case(f));
            if w.eq_ignore_ascii_case("'s")
                || w == "'"
                || kind == TokenKind::Quote
                || (kind == TokenKind::Punct && w != ".")
                || function_word
            {
                end -= 1;
            } else {
                break;
            }
        }
        if first >= end {
            continue;
        }
        // A run made only of title words ("Acting Assistant") is no name.
        if (first..end).all(|i| doc.tokens()[i].kind == TokenKind::Punct || is_title_word(i)) {
            continue;
        }
        let text = span_text(doc, first, end);
        // A name has a letter and more than one ("6-3" is a score, "N" a
        // table column), unless it is an initial ("M. Vaughan" is merged below).
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        if letters == 0 || (letters == 1 && !text.ends_with('.')) {
            continue;
        }
        let kind = match m.class {
            0 => EntityType::Person,
            1 => EntityType::Org,
            2 => match with_lowercase(text, |l| g.places.get(l).copied()) {
                Some(PlaceKind::Region) => EntityType::Loc,
                Some(PlaceKind::Continent) => EntityType::Loc,
                _ => EntityType::Gpe,
            },
            _ => {
                if with_lowercase(text, |l| g.norp.contains_key(l)) {
                    EntityType::Norp
                } else {
                    EntityType::Misc
                }
            }
        };
        // A title inside the run splits it: "Russian Prime Minister Viktor
        // Chernomyrdin" is a NORP word, a title and a person.
        if let Some(t) = (first + 1..end).find(|&i| features.capitalized(i) && is_title_word(i)) {
            let mut after = t;
            while after < end && is_title_word(after) {
                after += 1;
            }
            // Multi-word titles start earlier: "Prime Minister".
            let mut t = t;
            while t > first + 1 && with_lowercase(span_text(doc, t - 1, after), |l| g.titles.contains_key(l)) {
                t -= 1;
            }
            let head = span_text(doc, first, t).to_lowercase();
            if g.norp.contains_key(&head) {
                out.push((first, t, EntityType::Norp));
            } else if g.places.contains_key(&head) {
                out.push((first, t, EntityType::Gpe));
            }
            if after < end {
                out.push((after, end, EntityType::Person));
            }
            continue;
        }
        // An initial tagged apart from the surname it starts ("M." "Vaughan").
        if let Some(last) = out.last_mut()
            && last.2 == EntityType::Person
            && kind == EntityType::Person
            && last.1 == first
            && is_initial(span_text(doc, last.0, last.1))
        {
            last.1 = end;
            continue;
        }
        out.push((first, end, kind));
    }
    out.retain(|&(a, b, _)| !is_initial(span_text(doc, a, b)));
    out
}

/// "M." — an initial on its own.
fn is_initial(text: &str) -> bool {
    let mut chars = text.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
}

fn span_text(doc: &Document, first: usize, end: usize) -> &str {
    let t = doc.tokens();
    &doc.text()[t[first].start as usize..t[end - 1].end as usize]
}

/// The words (tokens other than punctuation) of every mention, in one
/// vector: one allocation per article instead of one per mention.
struct MentionWords<'a> {
    words: Vec<&'a str>,
    /// Per mention, its range in `words`.
    bounds: Vec<(u32, u32)>,
}

impl<'a> MentionWords<'a> {
    fn new(doc: &'a Document, mentions: &[(usize, usize, EntityType)]) -> MentionWords<'a> {
        let tokens = doc.tokens();
        let mut words = Vec::with_capacity(mentions.iter().map(|m| m.1 - m.0).sum());
        let mut bounds = Vec::with_capacity(mentions.len());
        for &(a, b, _) in mentions {
            let start = words.len() as u32;
            words.extend((a..b).filter(|&i| tokens[i].kind != TokenKind::Punct).map(|i| word_text(doc, i)));
            bounds.push((start, words.len() as u32));
        }
        MentionWords { words, bounds }
    }

    fn of(&self, m: usize) -> &[&'a str] {
        let (a, b) = self.bounds[m];
        &self.words[a as usize..b as usize]
    }
}

/// Strings side by side in one buffer, each known by its index: one
/// allocation per article for what would be a string per mention.
#[derive(Default)]
struct Texts {
    text: String,
    /// Per string, its byte range in `text`.
    bounds: Vec<(u32, u32)>,
}

impl Texts {
    fn with_capacity(strings: usize) -> Texts {
        Texts { text: String::with_capacity(strings * 16), bounds: Vec::with_capacity(strings) }
    }

    /// Appends what `write` writes to the buffer as the next string, and
    /// returns its index.
    fn push(&mut self, write: impl FnOnce(&mut String)) -> usize {
        let start = self.text.len();
        write(&mut self.text);
        self.bounds.push((start as u32, self.text.len() as u32));
        self.bounds.len() - 1
    }

    /// As [`Self::push`], then lowercases the new string as `to_lowercase`
    /// would the whole of it (in place when it is ASCII).
    fn push_lowercase(&mut self, write: impl FnOnce(&mut String)) -> usize {
        let start = self.text.len();
        write(&mut self.text);
        if self.text[start..].is_ascii() {
            self.text[start..].make_ascii_lowercase();
        } else {
            let lower = self.text[start..].to_lowercase();
            self.text.truncate(start);
            self.text.push_str(&lower);
        }
        self.bounds.push((start as u32, self.text.len() as u32));
        self.bounds.len() - 1
    }

    fn get(&self, i: usize) -> &str {
        let (a, b) = self.bounds[i];
        &self.text[a as usize..b as usize]
    }
}

/// Lower-case particles inside surnames: "Jeroen van der Berg", "Ramon dela
/// Cruz", "Marloes de Wit", "Ursula von der Leyen".
const NAME_PARTICLES: &[&str] = &[
    "da", "das", "de", "del", "dela", "della", "den", "der", "di", "do", "dos", "du", "la", "le", "ten", "ter", "van",
    "von",
];

/// Sentence-opening words that are never a first name before a particle
/// ("When van der Berg left").
const NOT_FIRST_NAMES: &[&str] = &[
    "after", "although", "and", "as", "asked", "because", "before", "but", "dear", "for", "if", "like", "said", "says",
    "since", "so", "then", "though", "unlike", "when", "while", "with", "yet",
];

/// Joins a person's name the tagger cut at its particles: the particles
/// before a person mention, and the first name before them (a person
/// mention, a known first name, or a capitalised word that is no title and
/// not a common word of the article), become one person mention. A name may
/// also start with its particle ("Van der Berg said" at a sentence's start).
/// Mentions inside the joined name (a particle tagged as a place, "de") go.
pub fn join_name_particles(
    doc: &Document,
    features: &DocFeatures,
    mentions: &mut Vec<(usize, usize, EntityType)>,
    g: &Gazetteer,
) {
    let tokens = doc.tokens();
    let text = doc.text();
    let word = |i: usize| word_text(doc, i);
    let particle =
        |i: usize| tokens[i].kind == TokenKind::Word && NAME_PARTICLES.iter().any(|p| word(i).eq_ignore_ascii_case(p));
    // Token `i` and the next are one space apart.
    let touching = |i: usize| &text[tokens[i].end as usize..tokens[i + 1].start as usize] == " ";
    let first_name = |i: usize| {
        if tokens[i].kind != TokenKind::Word || !features.capitalized(i) || is_title_word(doc, features, g, i) {
            return false;
        }
        if g.word_flags.get(features.lower_hash(i)) & (G_FEMALE | G_MALE) != 0 {
            return true;
        }
        let sentences = doc.sentences();
        let opens = sentences
            .get(sentences.partition_point(|s| (s.tokens.end as usize) <= i))
            .is_some_and(|s| s.tokens.start as usize == i);
        let function_word = opens && NOT_FIRST_NAMES.iter().any(|w| word(i).eq_ignore_ascii_case(w));
        !features.seen_lowercase(i) && !function_word
    };
    let mut out: Vec<(usize, usize, EntityType)> = Vec::with_capacity(mentions.len());
    for &(a, b, kind) in mentions.iter() {
        let mut start = a;
        if kind == EntityType::Person {
            while start > 0 && particle(start - 1) && touching(start - 1) {
                start -= 1;
            }
        }
        if start == a {
            out.push((a, b, kind));
            continue;
        }
        // Particles are lower case but for a name's first word.
        let lower = |i: usize| word(i).starts_with(|c: char| c.is_lowercase());
        while out.last().is_some_and(|m| m.0 >= start) {
            out.pop();
        }
        let joined = match out.last() {
            Some(&(pa, pb, EntityType::Person)) if pb == start && touching(start - 1) => {
                out.pop();
                Some(pa)
            }
            _ if start > 0
                && touching(start - 1)
                && first_name(start - 1)
                && out.last().is_none_or(|m| m.1 < start) =>
            {
                Some(start - 1)
            }
            _ => None,
        };
        match joined {
            Some(first) if (start..a).all(lower) => out.push((first, b, EntityType::Person)),
            // "Van der Berg": a capitalised particle opens the name.
            None if !lower(start) && (start + 1..a).all(lower) => out.push((start, b, EntityType::Person)),
            _ => out.push((a, b, kind)),
        }
    }
    *mentions = out;
}

/// A name the article tags somewhere is the same name where the tagger missed
/// it ("Lebed said ..." at a sentence start, after "Alexander Lebed"): every
/// untagged capitalised occurrence of a single-word mention, or of the last
/// word of a person's full name, becomes a mention of that type — unless the
/// article also uses the word in lower case (then it is a common word).
pub fn propagate(doc: &Document, features: &DocFeatures, mentions: &mut Vec<(usize, usize, EntityType)>) {
    let tokens = doc.tokens();
    let text = doc.text();
    let mut known: FxHashMap<&str, EntityType> =
        FxHashMap::with_capacity_and_hasher(mentions.len(), Default::default());
    for &(a, b, kind) in mentions.iter() {
        let mut words = (a..b).filter(|&i| tokens[i].kind != TokenKind::Punct);
        let Some(first) = words.next() else { continue };
        match words.next_back() {
            None => {
                known.entry(word_text(doc, first)).or_insert(kind);
            }
            Some(last) if kind == EntityType::Person => {
                let last = word_text(doc, last);
                if !matches!(last, "Jr" | "Jr." | "Sr" | "Sr." | "II" | "III" | "IV") {
                    known.entry(last).or_insert(kind);
                }
            }
            Some(_) => {}
        }
    }
    if known.is_empty() {
        return;
    }
    let mut covered = vec![false; tokens.len()];
    for &(a, b, _) in mentions.iter() {
        covered[a..b].iter_mut().for_each(|c| *c = true);
    }
    let mut added = Vec::new();
    for i in features.capitalized_tokens() {
        let t = &tokens[i];
        if covered[i] || t.kind != TokenKind::Word || t.end - t.start < 2 {
            continue;
        }
        let Some(&kind) = known.get(&text[t.range()]) else { continue };
        // Words the article writes in lower case somewhere are common words.
        if features.seen_lowercase(i) {
            continue;
        }
        // Not glued to a neighbouring capitalised word (that would be a longer
        // name the tagger chose not to mark).
        let capitalised = |j: usize| tokens[j].kind == TokenKind::Word && features.capitalized(j);
        if (i > 0 && capitalised(i - 1) && !covered[i - 1]) || (i + 1 < tokens.len() && capitalised(i + 1)) {
            continue;
        }
        added.push((i, i + 1, kind));
    }
    if !added.is_empty() {
        mentions.extend(added);
        mentions.sort_unstable_by_key(|m| m.0);
    }
}

/// Nouns that a leader's surname modifies: "Trump administration", "Obama
/// era", "Merkel government".
const LEADER_NOUNS: &[&str] = &[
    "administration",
    "aides",
    "allies",
    "cabinet",
    "camp",
    "campaign",
    "era",
    "government",
    "presidency",
    "regime",
    "years",
];

/// A well-known person's surname before one of [`LEADER_NOUNS`] names that
/// person ("Trump administration officials" mentions Trump), whether the
/// tagger saw a name there or another type.
pub fn leader_modifiers(
    doc: &Document,
    features: &DocFeatures,
    mentions: &mut Vec<(usize, usize, EntityType)>,
    g: &Gazetteer,
) {
    use super::gazetteer::G_PERSON_LAST;
    let tokens = doc.tokens();
    let text = doc.text();
    let mut added = Vec::new();
    for i in features.capitalized_tokens().filter(|&i| i + 1 < tokens.len()) {
        if !LEADER_NOUNS.contains(&&text[tokens[i + 1].range()]) {
            continue;
        }
        let w = &text[tokens[i].range()];
        if g.word_flags.get(super::model::hash_str(&w.to_lowercase())) & G_PERSON_LAST == 0 {
            continue;
        }
        match mentions.iter_mut().find(|m| m.0 <= i && i < m.1) {
            Some(m) if m.1 - m.0 == 1 => m.2 = EntityType::Person,
            Some(_) => {}
            None => added.push((i, i + 1, EntityType::Person)),
        }
    }
    if !added.is_empty() {
        mentions.extend(added);
        mentions.sort_unstable_by_key(|m| m.0);
    }
}

/// A capitalised domain name ("Khabaronline.ir", "Dailypulse.ng") names the
/// site's organisation, whether or not the tagger marked it.
pub fn domain_names(doc: &Document, features: &DocFeatures, mentions: &mut Vec<(usize, usize, EntityType)>) {
    let tokens = doc.tokens();
    let mut added = Vec::new();
    for i in features.capitalized_tokens() {
        if tokens[i].kind == TokenKind::Word
            && features.capitalized_domain(i)
            && !mentions.iter().any(|m| m.0 <= i && i < m.1)
        {
            added.push((i, i + 1, EntityType::Org));
        }
    }
    if !added.is_empty() {
        mentions.extend(added);
        mentions.sort_unstable_by_key(|m| m.0);
    }
}

/// Corrects types with evidence from the whole article:
/// - a domain name ("Khabaronline.ir") is an organisation;
/// - a place whose last word heads organisation names ("United States Navy")
///   is an organisation, and so is one the organisation list holds and the
///   place list does not ("White House", "Kremlin");
/// - the surname of a person the article names in full is that person
///   wherever it stands alone ("White" after "Michael R. White"), and a name
///   that starts with a known first name and ends with such a surname is a
///   person ("Sirous Asgari" when "Asgari" is one);
/// - then the same text gets the type most of its mentions have.
pub fn correct_types(
    doc: &Document,
    features: &DocFeatures,
    mentions: &mut [(usize, usize, EntityType)],
    g: &Gazetteer,
) {
    let words = MentionWords::new(doc, mentions);
    for (k, m) in mentions.iter_mut().enumerate() {
        let words = words.of(k);
        let Some(last) = words.last() else { continue };
        let domain = words.len() == 1 && super::tagger::is_domain(last);
        // A place that is no listed place but whose last word heads
        // organisation names, or that the organisation list holds: "United
        // States Navy"; "the White House said", "the Kremlin".
        let place_is_org = matches!(m.2, EntityType::Gpe | EntityType::Loc)
            && with_lowercase(span_text(doc, m.0, m.1), |l| {
                !g.places.contains_key(l)
                    && (g.orgs.contains(l) || words.len() >= 2 && with_lowercase(last, |w| g.org_words.contains(w)))
            });
        if domain || place_is_org {
            m.2 = EntityType::Org;
        }
    }
    // Surnames of people: the last word of a multi-word person name, and
    // single-word person mentions.
    // (Lowercase, in one buffer; whether of a full name.)
    let mut lower_surnames = Texts::with_capacity(mentions.len());
    let mut of_full_name = Vec::with_capacity(mentions.len());
    for (k, &(_, _, kind)) in mentions.iter().enumerate() {
        if kind == EntityType::Person {
            let words = words.of(k);
            if let Some(last) = strip_suffix(words).last() {
                lower_surnames.push_lowercase(|s| s.push_str(last));
                of_full_name.push(words.len() >= 2);
            }
        }
    }
    let mut surnames: FxHashSet<&str> = FxHashSet::with_capacity_and_hasher(of_full_name.len(), Default::default());
    let mut full_name_surnames: FxHashSet<&str> = FxHashSet::default();
    for (k, &full) in of_full_name.iter().enumerate() {
        let lower = lower_surnames.get(k);
        if full {
            full_name_surnames.insert(lower);
        }
        surnames.insert(lower);
    }
    for (k, m) in mentions.iter_mut().enumerate().filter(|(_, m)| m.2 != EntityType::Person) {
        let words = words.of(k);
        let last = strip_suffix(words).last().copied().unwrap_or_default();
        // A short capitalised name with no organisation or place word in it.
        let name_like = || {
            words.len() <= 4
                && words.iter().all(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        && with_lowercase(w, |lower| !g.org_words.contains(lower) && !g.places.contains_key(lower))
                })
        };
        let person = with_lowercase(last, |lower_last| {
            if words.len() == 1 {
                full_name_surnames.contains(lower_last)
            } else {
                surnames.contains(lower_last) && name_like()
            }
        });
        if person {
            m.2 = EntityType::Person;
        }
    }
    // Majority type per surface text (ties keep each mention's own).
    let mut texts = Texts::with_capacity(mentions.len());
    for &(a, b, _) in mentions.iter() {
        texts.push_lowercase(|s| s.push_str(span_text(doc, a, b)));
    }
    const TYPES: [EntityType; 6] =
        [EntityType::Person, EntityType::Org, EntityType::Gpe, EntityType::Loc, EntityType::Norp, EntityType::Misc];
    let type_index = |t: EntityType| TYPES.iter().position(|&u| u == t).expect("every type is listed");
    // Per text, the number of its mentions of each type (in `TYPES` order).
    let mut counts: FxHashMap<&str, [u32; TYPES.len()]> =
        FxHashMap::with_capacity_and_hasher(mentions.len(), Default::default());
    for (k, m) in mentions.iter().enumerate() {
        counts.entry(texts.get(k)).or_default()[type_index(m.2)] += 1;
    }
    for (k, m) in mentions.iter_mut().enumerate() {
        let options = &counts[texts.get(k)];
        let best = options.iter().copied().max().unwrap_or(0);
        let mut winners = TYPES.iter().zip(options).filter(|&(_, &n)| n == best);
        if let (Some((&winner, _)), None) = (winners.next(), winners.next()) {
            m.2 = winner;
        }
    }
    // Context has the last word for the mentions it speaks about: a club
    // beside its score, an event name, a dateline.
    teams_by_place_name(doc, features, mentions, g);
    events_named_after(doc, mentions);
    datelines(doc, mentions);
}

/// Words that make an article a sports report.
const SPORTS_WORDS: &[&str] = &[
    "beat",
    "championship",
    "coach",
    "cricket",
    "cup",
    "defeated",
    "division",
    "draw",
    "drew",
    "football",
    "game",
    "games",
    "goal",
    "goals",
    "halftime",
    "innings",
    "league",
    "match",
    "midfielder",
    "points",
    "rugby",
    "scored",
    "season",
    "semifinal",
    "soccer",
    "standings",
    "striker",
    "team",
    "tournament",
    "wicket",
    "wickets",
];

/// Words between or beside two teams in a result ("Kent beat Surrey",
/// "Essex v Yorkshire").
const RESULT_WORDS: &[&str] =
    &["against", "beat", "beats", "defeated", "drew", "lost", "v", "v.", "versus", "vs", "vs."];

/// In a sports report, a city or county name that plays — beside a score or a
/// result word — is the club named after it, an organisation (sports teams are
/// ORG in OntoNotes and CoNLL alike); countries stay places.
fn teams_by_place_name(
    doc: &Document,
    features: &DocFeatures,
    mentions: &mut [(usize, usize, EntityType)],
    g: &Gazetteer,
) {
    // The mentions that could be clubs, first: most articles have none, and
    // then the article need not be read for sports words.
    let candidates: Vec<usize> = mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            // A place-named club the tagger took for a person or a thing
            // counts too, when it is a single word ("Kent 241").
            let single = m.1 - m.0 == 1;
            // A one-word city or state has its flag in the word flags (which
            // have no false negatives): most single words are ruled out
            // there, ASCII ones by the tagger's hash of their lowercase form.
            let unlisted = || {
                single
                    && word_text(doc, m.0).is_ascii()
                    && g.word_flags.get(features.lower_hash(m.0)) & (G_CITY | G_ADMIN1) == 0
            };
            (m.2 == EntityType::Gpe
                || (single && matches!(m.2, EntityType::Person | EntityType::Misc | EntityType::Loc)))
                && !unlisted()
                && matches!(
                    with_lowercase(span_text(doc, m.0, m.1), |l| g.places.get(l).copied()),
                    Some(PlaceKind::City | PlaceKind::Admin1)
                )
        })
        .map(|(k, _)| k)
        .collect();
    if candidates.is_empty() {
        return;
    }
    // The hashes sorted for binary search, and a 4096-bit filter: bit `h >>
    // 52` of it is set for each, so that nearly every word is ruled out by a
    // shift and a load (the article is read to its end when it is no sports
    // report: most are not).
    static SPORTS_HASHES: std::sync::OnceLock<(Vec<u64>, [u64; 64])> = std::sync::OnceLock::new();
    let (sports_hashes, sports_filter) = SPORTS_HASHES.get_or_init(|| {
        let mut hashes: Vec<u64> = SPORTS_WORDS.iter().map(|w| super::model::hash_str(w)).collect();
        hashes.sort_unstable();
        let mut filter = [0u64; 64];
        for h in &hashes {
            filter[(h >> 58) as usize] |= 1 << ((h >> 52) & 63);
        }
        (hashes, filter)
    });
    let tokens = doc.tokens();
    let is_sports_word = |i: usize| {
        let h = features.lower_hash(i);
        sports_filter[(h >> 58) as usize] >> ((h >> 52) & 63) & 1 == 1
            && tokens[i].kind == TokenKind::Word
            && sports_hashes.binary_search(&h).is_ok()
    };
    let sports = (0..tokens.len()).filter(|&i| is_sports_word(i)).take(3).count();
    if sports < 3 {
        return;
    }
    let is_cue = |i: usize| {
        let t = &tokens[i];
        let w = &doc.text()[t.range()];
        t.kind == TokenKind::Number || RESULT_WORDS.iter().any(|r| r.eq_ignore_ascii_case(w))
    };
    for k in candidates {
        let m = &mut mentions[k];
        let before = m.0 > 0 && is_cue(m.0 - 1);
        let after = m.1 < tokens.len() && is_cue(m.1);
        if before || after {
            m.2 = EntityType::Org;
        }
    }
}

/// "BONN 1996-08-30", "WASHINGTON (AP) —": a capitalised name that opens a
/// paragraph holding only it and a date, or followed by an agency in
/// brackets or a dash, is the place the story was filed from.
fn datelines(doc: &Document, mentions: &mut [(usize, usize, EntityType)]) {
    let tokens = doc.tokens();
    let text = doc.text();
    for p in doc.paragraphs() {
        let first_sentence = &doc.sentences()[p.sentences.start as usize];
        let first_token = first_sentence.tokens.start as usize;
        let Some(m) = mentions.iter_mut().find(|m| m.0 == first_token) else { continue };
        if !span_text(doc, m.0, m.1).chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
            continue;
        }
        let next = tokens.get(m.1).map(|t| &text[t.range()]);
        let date_line = next
            .is_some_and(|w| w.len() >= 8 && w.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'/'))
            && (m.1 + 1 == tokens.len() || tokens[m.1 + 1].start >= p.end);
        let filed_from = matches!(next, Some("(" | "—" | "–" | "-" | ","));
        if (date_line || filed_from) && matches!(m.2, EntityType::Org | EntityType::Person | EntityType::Misc) {
            m.2 = EntityType::Gpe;
        }
    }
}

/// Words that end the names of events: "U.S. Open", "Hong Kong Open",
/// "Atlanta Games", "World Cup".
const EVENT_HEADS: &[&str] =
    &["Classic", "Championship", "Championships", "Cup", "Games", "Masters", "Open", "Grand Prix"];

/// A name followed by an event word is the event's name (MISC), not the
/// place or sponsor it is named after.
fn events_named_after(doc: &Document, mentions: &mut [(usize, usize, EntityType)]) {
    let tokens = doc.tokens();
    for m in mentions.iter_mut() {
        if let Some(next) = tokens.get(m.1)
            && EVENT_HEADS.contains(&&doc.text()[next.range()])
        {
            m.1 += 1;
            m.2 = EntityType::Misc;
        } else if m.1 - m.0 >= 2 && EVENT_HEADS.contains(&&doc.text()[tokens[m.1 - 1].range()]) {
            // The tagger took the event word in already: "Hong Kong Open".
            m.2 = EntityType::Misc;
        }
    }
}

/// Keeps mentions in text order and never overlapping: of two that overlap,
/// the earlier (or, at the same start, the longer) stays.
pub fn remove_overlaps(mentions: &mut Vec<(usize, usize, EntityType)>) {
    mentions.sort_by_key(|m| (m.0, std::cmp::Reverse(m.1)));
    let mut end = 0;
    mentions.retain(|m| {
        let keep = m.0 >= end;
        if keep {
            end = m.1;
        }
        keep
    });
}

/// Groups mentions into entities and names each by its fullest form.
pub fn group(doc: &Document, mentions: &[(usize, usize, EntityType)], g: &Gazetteer) -> Entities {
    // Cluster key per mention; a cluster's entity is created at its first
    // mention so that ids follow first appearance.
    let words = MentionWords::new(doc, mentions);
    // Lowercase forms, each made once: the whole name (string `m` of
    // `lower`), and of people its first word and its last word before a
    // suffix ("Jr."; only `person_key` reads them).
    let mut lower = Texts::with_capacity(mentions.len() * 2);
    for m in 0..mentions.len() {
        lower.push_lowercase(|s| {
            for (k, w) in words.of(m).iter().enumerate() {
                if k > 0 {
                    s.push(' ');
                }
                s.push_str(w);
            }
        });
    }
    let is_person = |m: usize| mentions[m].2 == EntityType::Person;
    let mut first_words = vec![None; mentions.len()];
    let mut last_words = vec![None; mentions.len()];
    for m in (0..mentions.len()).filter(|&m| is_person(m)) {
        first_words[m] = words.of(m).first().map(|w| lower.push_lowercase(|s| s.push_str(w)));
        last_words[m] = strip_suffix(words.of(m)).last().map(|w| lower.push_lowercase(|s| s.push_str(w)));
    }
    let names = Names { words: &words, lower: &lower, first_words: &first_words, last_words: &last_words };
    // Full person names (two words or more), for surname and first-name
    // look-ups across the whole article.
    // By surname and by first name, each list in mention order.
    let mut person_names = FullNames::default();
    for (m, &(_, _, kind)) in mentions.iter().enumerate() {
        if kind == EntityType::Person && words.of(m).len() >= 2 {
            if let Some(last) = names.last_word(m) {
                person_names.by_last.entry(last).or_default().push(m);
            }
            if let Some(first) = names.first_word(m) {
                person_names.by_first.entry(first).or_default().push(m);
            }
        }
    }
    // Cluster key per mention (string `m` of `keys`). A one-word name's key
    // depends on the word alone and takes a pass over the article's fuller
    // names: found once per word (an article that repeats names thousands of
    // times would otherwise take the square of that).
    let mut one_word_keys: FxHashMap<String, String> = FxHashMap::default();
    let mut keys = Texts::with_capacity(mentions.len());
    for (m, &(_, _, kind)) in mentions.iter().enumerate() {
        let lower = names.lower_name(m);
        keys.push(|key| match kind {
            EntityType::Person => person_key(m, &names, &person_names, &mut one_word_keys, key),
            EntityType::Gpe | EntityType::Loc => {
                key.push_str("place:");
                match ALIASES.iter().find(|(a, _)| *a == lower) {
                    Some((_, canonical)) => key.extend(canonical.chars().flat_map(char::to_lowercase)),
                    None => key.push_str(lower),
                }
            }
            EntityType::Org => org_key(m, &names, mentions, &mut one_word_keys, key),
            EntityType::Norp => key.extend(["norp:", lower]),
            EntityType::Misc => key.extend(["misc:", lower]),
        });
    }

    let mut entities: Vec<Entity> = Vec::with_capacity(mentions.len());
    let mut by_key: FxHashMap<&str, u32> = FxHashMap::with_capacity_and_hasher(mentions.len(), Default::default());
    let mut entity_of = Vec::with_capacity(mentions.len());
    for (m, &(_, _, kind)) in mentions.iter().enumerate() {
        let id = *by_key.entry(keys.get(m)).or_insert_with(|| {
            entities.push(Entity {
                id: entities.len() as u32,
                name: String::new(),
                kind,
                gender: Gender::Unknown,
                mentions: Vec::new(),
            });
            entities.len() as u32 - 1
        });
        entity_of.push(id);
    }
    // Each entity's mention list allocated once, at its length.
    let mut counts = vec![0usize; entities.len()];
    for &id in &entity_of {
        counts[id as usize] += 1;
    }
    for (e, n) in entities.iter_mut().zip(counts) {
        e.mentions.reserve_exact(n);
    }
    let t = doc.tokens();
    let mut out_mentions = Vec::with_capacity(mentions.len());
    for (m, (&(a, b, kind), &id)) in mentions.iter().zip(&entity_of).enumerate() {
        out_mentions.push(Mention { entity: id, span: Span { start: t[a].start, end: t[b - 1].end }, kind });
        entities[id as usize].mentions.push(m as u32);
    }
    for e in &mut entities {
        // The fullest name: most words, then longest, then first seen.
        let best = e
            .mentions
            .iter()
            .copied()
            .max_by_key(|&m| (words.of(m as usize).len(), span_len(&out_mentions[m as usize]), std::cmp::Reverse(m)))
            .expect("an entity has a mention");
        let (a, b, _) = mentions[best as usize];
        e.name = span_text(doc, a, b).to_string();
        if e.kind == EntityType::Gpe || e.kind == EntityType::Loc {
            // The aliases are ASCII lowercase: an ASCII name is compared
            // without a lowercase copy (others are lowercased, as some
            // non-ASCII letters lowercase to ASCII).
            let alias = if e.name.is_ascii() {
                ALIASES.iter().find(|(alias, _)| e.name.eq_ignore_ascii_case(alias))
            } else {
                let lower = e.name.to_lowercase();
                ALIASES.iter().find(|(alias, _)| *alias == lower)
            };
            if let Some((_, canonical)) = alias {
                e.name = canonical.to_string();
            }
        }
        // The type most of its mentions carry (ties: the first). At most one
        // count per type, in order of first appearance, on the stack.
        let mut counts = [(EntityType::Person, 0usize); ENTITY_TYPES];
        let mut kinds = 0;
        for &m in &e.mentions {
            let k = out_mentions[m as usize].kind;
            match counts[..kinds].iter_mut().find(|(t, _)| *t == k) {
                Some((_, n)) => *n += 1,
                None => {
                    counts[kinds] = (k, 1);
                    kinds += 1;
                }
            }
        }
        e.kind = counts[..kinds].iter().fold(counts[0], |best, c| if c.1 > best.1 { *c } else { best }).0;
    }
    assign_genders(doc, &mut entities, &out_mentions, g);
    Entities { mentions: out_mentions, entities, word_hashes: Vec::new() }
}

/// How many [`EntityType`]s there are.
const ENTITY_TYPES: usize = 6;

fn span_len(m: &Mention) -> u32 {
    m.span.end - m.span.start
}

fn strip_suffix<'a, 'b>(words: &'b [&'a str]) -> &'b [&'a str] {
    let n = words.len();
    if n >= 2 && matches!(words[n - 1], "Jr" | "Jr." | "Sr" | "Sr." | "II" | "III" | "IV") {
        &words[..n - 1]
    } else {
        words
    }
}

/// The mentions' words and their lowercase forms, for the cluster keys.
struct Names<'a, 'b> {
    words: &'b MentionWords<'a>,
    /// String `m`: mention `m`'s words joined with spaces, lowercase; then
    /// the words below.
    lower: &'b Texts,
    /// The first word, lowercase, by its index in `lower` (people only).
    first_words: &'b [Option<usize>],
    /// The last word but a suffix ([`strip_suffix`]), lowercase, by its
    /// index in `lower` (people only).
    last_words: &'b [Option<usize>],
}

impl Names<'_, '_> {
    fn lower_name(&self, m: usize) -> &str {
        self.lower.get(m)
    }

    fn first_word(&self, m: usize) -> Option<&str> {
        self.first_words[m].map(|i| self.lower.get(i))
    }

    fn last_word(&self, m: usize) -> Option<&str> {
        self.last_words[m].map(|i| self.lower.get(i))
    }
}

/// A person's cluster key, onto `key`: the full name it refers to.
/// `memo`: the keys of one-word names found so far, by word.
/// The full person names (two words or more) of an article, by their
/// lower-case surname and first name.
#[derive(Default)]
struct FullNames<'a> {
    by_last: FxHashMap<&'a str, Vec<usize>>,
    by_first: FxHashMap<&'a str, Vec<usize>>,
}

fn person_key(m: usize, names: &Names, full_names: &FullNames, memo: &mut FxHashMap<String, String>, key: &mut String) {
    let mine = strip_suffix(names.words.of(m));
    let Some(last) = names.last_word(m) else {
        key.push_str("person:");
        key.push_str(&m.to_string());
        return;
    };
    if mine.len() >= 2 {
        key.extend(["person:", last, ":", names.first_word(m).expect("two words")]);
        return;
    }
    // A single word: the full names with it as surname, else as first name.
    let memo_key = ["person:", last].concat();
    if let Some(known) = memo.get(&memo_key) {
        return key.push_str(known);
    }
    let start = key.len();
    let candidates: &[usize] =
        full_names.by_last.get(last).or_else(|| full_names.by_first.get(last)).map_or(&[], Vec::as_slice);
    let mut keys: Vec<String> = candidates
        .iter()
        .map(|&f| {
            let (last, first) = (names.last_word(f), names.first_word(f));
            ["person:", last.expect("two words"), ":", first.expect("two words")].concat()
        })
        .collect();
    keys.dedup();
    if keys.len() == 1 {
        key.push_str(&keys[0]);
    } else {
        key.extend(["person:", last]);
    }
    memo.insert(memo_key, key[start..].to_string());
}

/// An organisation's cluster key, onto `key`: an acronym or a head-word
/// reference to a fuller name the article uses, else its own name.
/// `memo`: the keys of one-word names found so far, by word.
fn org_key(
    m: usize,
    names: &Names,
    mentions: &[(usize, usize, EntityType)],
    memo: &mut FxHashMap<String, String>,
    key: &mut String,
) {
    let mine = names.words.of(m);
    let lower = names.lower_name(m);
    key.push_str("org:");
    // Only a one-word name refers to a fuller one.
    let [word] = mine else { return key.push_str(lower) };
    let memo_key = ["org:", word].concat();
    if let Some(known) = memo.get(&memo_key) {
        return key.push_str(known);
    }
    let start = key.len();
    let mut matches: Vec<&str> = mentions
        .iter()
        .enumerate()
        .filter(|(o, (_, _, k))| *k == EntityType::Org && names.words.of(*o).len() > 1)
        .filter(|&(o, _)| {
            let theirs = names.words.of(o);
            let acronym = || theirs.iter().filter_map(|w| w.chars().next()).filter(|c| c.is_uppercase());
            (word.len() >= 2 && word.chars().eq(acronym()))
                || theirs.last() == Some(word) && word.chars().next().is_some_and(char::is_uppercase)
        })
        .map(|(o, _)| names.lower_name(o))
        .collect();
    matches.sort_unstable();
    matches.dedup();
    key.push_str(if matches.len() == 1 { matches[0] } else { lower });
    memo.insert(memo_key, key[start..].to_string());
}

/// The pronouns [`assign_genders`] counts.
const FEMALE_PRONOUNS: [&str; 6] = ["she", "She", "her", "Her", "hers", "herself"];
const MALE_PRONOUNS: [&str; 6] = ["he", "He", "his", "His", "him", "himself"];

/// Whether token `t` of `text` may be one of the pronouns: every one has 2
/// to 7 bytes and opens with "sh", "he" or "hi" (its first letter in either
/// case), so most tokens are passed over on that, tested without a branch
/// per condition (which mispredicted from token to token).
#[inline]
fn may_be_pronoun(text: &[u8], t: &crate::text::Token) -> bool {
    let start = t.start as usize;
    let two = match text.get(start..start + 2) {
        Some(&[a, b]) => u16::from_le_bytes([a | 0x20, b]),
        _ => 0,
    };
    let opening = |s: &[u8; 2]| two == u16::from_le_bytes(*s);
    ((t.end - t.start).wrapping_sub(2) <= 5) & (opening(b"sh") | opening(b"he") | opening(b"hi"))
}

/// Pronouns vote for the person most recently mentioned before them (in the
/// same or the previous sentence); first names decide where no pronoun does.
fn assign_genders(doc: &Document, entities: &mut [Entity], mentions: &[Mention], g: &Gazetteer) {
    let mut votes: FxHashMap<u32, (u32, u32)> = FxHashMap::default();
    let tokens = doc.tokens();
    let sentence_of_token = |i: usize| doc.sentences().partition_point(|s| (s.tokens.end as usize) <= i);
    // The mentions that start at or before the current token are passed;
    // the last person among them, with the sentence of the first token at
    // or after its start, is the one a pronoun votes for. Caught up only at
    // the tokens that may be pronouns.
    let mut mi = 0;
    let mut last_person: Option<(u32, usize)> = None; // entity, sentence
    let text = doc.text().as_bytes();
    for (i, t) in tokens.iter().enumerate() {
        if !may_be_pronoun(text, t) {
            continue;
        }
        let mut person = None;
        while mi < mentions.len() && mentions[mi].span.start <= t.start {
            if mentions[mi].kind == EntityType::Person {
                person = Some(mi);
            }
            mi += 1;
        }
        if let Some(m) = person {
            let first = tokens[..=i].partition_point(|t| t.start < mentions[m].span.start);
            last_person = Some((mentions[m].entity, sentence_of_token(first)));
        }
        let w = &doc.text()[t.range()];
        let female = FEMALE_PRONOUNS.contains(&w);
        let male = MALE_PRONOUNS.contains(&w);
        if !(female || male) {
            continue;
        }
        if let Some((entity, sentence)) = last_person
            && sentence_of_token(i) <= sentence + 1
        {
            let v = votes.entry(entity).or_default();
            if female {
                v.0 += 1;
            } else {
                v.1 += 1;
            }
        }
    }
    for e in entities.iter_mut().filter(|e| e.kind == EntityType::Person) {
        let (f, m) = votes.get(&e.id).copied().unwrap_or_default();
        e.gender = if f > m * 2 && f > 0 {
            Gender::Female
        } else if m > f * 2 && m > 0 {
            Gender::Male
        } else {
            let first = e.name.split_whitespace().next().unwrap_or("");
            let has_first_name = e.name.split_whitespace().count() >= 2;
            match g.female_share(first).filter(|_| has_first_name) {
                Some(share) if share >= 0.9 => Gender::Female,
                Some(share) if share <= 0.1 => Gender::Male,
                _ => Gender::Unknown,
            }
        };
    }
}

/// Runs of B/I tags as raw mentions.
pub fn runs(tags: &[usize]) -> Vec<RawMention> {
    use super::tagger::{is_inside, tag_type};
    // Room for the usual count (news runs a name every dozen or two
    // tokens), rather than growing step by step.
    let mut out = Vec::with_capacity(tags.len() / 16 + 1);
    let mut i = 0;
    while i < tags.len() {
        match tag_type(tags[i]) {
            Some(class) => {
                let mut j = i + 1;
                while j < tags.len() && is_inside(tags[j]) && tag_type(tags[j]) == Some(class) {
                    j += 1;
                }
                out.push(RawMention { first: i, end: j, class });
                i = j;
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pronoun passes the quick test; most other words do not.
    #[test]
    fn pronouns_pass_the_quick_test() {
        let text = "she She her Her hers herself he He his His him himself said the Shah history s h SHE HE";
        let doc = Document::new(text);
        let passed: Vec<&str> =
            doc.tokens().iter().filter(|t| may_be_pronoun(text.as_bytes(), t)).map(|t| &text[t.range()]).collect();
        for p in FEMALE_PRONOUNS.iter().chain(&MALE_PRONOUNS) {
            assert!(passed.contains(p), "{p}");
        }
        assert_eq!(passed.len(), 14, "{passed:?}");
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        assert!(SPORTS_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn texts_hold_each_string_and_its_lowercase_form() {
        let mut texts = Texts::default();
        let words = ["Sirous Asgari", "TÉHÉRAN", "ΟΔΟΣ", "", "U.S."];
        for w in words {
            texts.push_lowercase(|s| s.push_str(w));
            texts.push(|s| s.push_str(w));
        }
        for (k, w) in words.iter().enumerate() {
            assert_eq!(texts.get(2 * k), w.to_lowercase());
            assert_eq!(texts.get(2 * k + 1), *w);
        }
    }

    #[test]
    fn overlapping_mentions_keep_the_earlier_and_longer() {
        let mut m = vec![
            (3, 5, EntityType::Misc),
            (0, 2, EntityType::Gpe),
            (4, 6, EntityType::Org),
            (0, 1, EntityType::Person),
        ];
        remove_overlaps(&mut m);
        assert_eq!(m, vec![(0, 2, EntityType::Gpe), (3, 5, EntityType::Misc)]);
    }

    use std::sync::OnceLock;

    fn gazetteer() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(Gazetteer::bundled)
    }

    /// Token index of the first token of `word`.
    fn at(doc: &Document, word: &str) -> usize {
        doc.tokens().iter().position(|t| &doc.text()[t.range()] == word).unwrap_or_else(|| panic!("no token {word}"))
    }

    fn texts(doc: &Document, mentions: &[(usize, usize, EntityType)]) -> Vec<(String, EntityType)> {
        mentions.iter().map(|&(a, b, k)| (span_text(doc, a, b).to_string(), k)).collect()
    }

    #[test]
    fn clean_up_drops_titles_scores_and_joins_initials() {
        let doc = Document::new(
            "Mr. Asgari met M. Vaughan after the 6-3 win with Russian Prime Minister Viktor Chernomyrdin.",
        );
        let raw = [
            RawMention { first: at(&doc, "Mr."), end: at(&doc, "Asgari") + 1, class: 0 },
            RawMention { first: at(&doc, "M."), end: at(&doc, "M.") + 1, class: 0 },
            RawMention { first: at(&doc, "Vaughan"), end: at(&doc, "Vaughan") + 1, class: 0 },
            RawMention { first: at(&doc, "6-3"), end: at(&doc, "6-3") + 1, class: 3 },
            RawMention { first: at(&doc, "Russian"), end: at(&doc, "Chernomyrdin") + 1, class: 3 },
        ];
        let cleaned = clean_mentions(&doc, &DocFeatures::new(&doc, gazetteer()), &raw, gazetteer());
        assert_eq!(
            texts(&doc, &cleaned),
            vec![
                ("Asgari".to_string(), EntityType::Person),
                ("M. Vaughan".to_string(), EntityType::Person),
                ("Russian".to_string(), EntityType::Norp),
                ("Viktor Chernomyrdin".to_string(), EntityType::Person),
            ]
        );
    }

    #[test]
    fn context_corrects_types() {
        let doc = Document::new(
            "Michael R. White served in the United States Navy. White was quoted by Khabaronline.ir at the U.S. Open. \
             The Kremlin said Washington agreed.",
        );
        let span = |first: &str, last: &str, kind| (at(&doc, first), at(&doc, last) + 1, kind);
        let mut mentions = vec![
            span("Michael", "White", EntityType::Person),
            span("United", "Navy", EntityType::Gpe),
            (doc.tokens().iter().rposition(|t| &doc.text()[t.range()] == "White").unwrap(), 0, EntityType::Gpe),
            span("Khabaronline.ir", "Khabaronline.ir", EntityType::Gpe),
            span("U.S.", "U.S.", EntityType::Gpe),
            span("Kremlin", "Kremlin", EntityType::Loc),
            span("Washington", "Washington", EntityType::Gpe),
        ];
        mentions[2].1 = mentions[2].0 + 1;
        correct_types(&doc, &DocFeatures::new(&doc, gazetteer()), &mut mentions, gazetteer());
        let got = texts(&doc, &mentions);
        assert_eq!(got[1], ("United States Navy".to_string(), EntityType::Org));
        assert_eq!(got[2], ("White".to_string(), EntityType::Person));
        assert_eq!(got[3], ("Khabaronline.ir".to_string(), EntityType::Org));
        assert_eq!(got[4], ("U.S. Open".to_string(), EntityType::Misc));
        assert_eq!(got[5], ("Kremlin".to_string(), EntityType::Org));
        assert_eq!(got[6], ("Washington".to_string(), EntityType::Gpe));
    }

    #[test]
    fn name_particles_join_the_name() {
        let doc = Document::new(
            "Van der Berg said so. Ramon dela Cruz agreed with Marloes de Wit. When van Dijk left, Rutte spoke.",
        );
        let one = |w: &str, kind| (at(&doc, w), at(&doc, w) + 1, kind);
        let mut mentions = vec![
            one("Van", EntityType::Person),
            one("Berg", EntityType::Person),
            one("Ramon", EntityType::Person),
            one("Cruz", EntityType::Person),
            one("de", EntityType::Gpe),
            one("Wit", EntityType::Person),
            one("Dijk", EntityType::Person),
            one("Rutte", EntityType::Person),
        ];
        join_name_particles(&doc, &DocFeatures::new(&doc, gazetteer()), &mut mentions, gazetteer());
        let person = |s: &str| (s.to_string(), EntityType::Person);
        assert_eq!(
            texts(&doc, &mentions),
            vec![
                person("Van der Berg"),
                person("Ramon dela Cruz"),
                person("Marloes de Wit"),
                // "When" opens the sentence: no first name there.
                person("Dijk"),
                person("Rutte"),
            ]
        );
    }

    #[test]
    fn datelines_are_places() {
        let doc = Document::new("BONN 1996-08-30\nThe talks went on.");
        let mut mentions = vec![(0, 1, EntityType::Org)];
        correct_types(&doc, &DocFeatures::new(&doc, gazetteer()), &mut mentions, gazetteer());
        assert_eq!(mentions[0].2, EntityType::Gpe);
    }

    #[test]
    fn leaders_before_administration_are_people() {
        let doc = Document::new("Trump administration officials said so.");
        let mut mentions = Vec::new();
        leader_modifiers(&doc, &DocFeatures::new(&doc, gazetteer()), &mut mentions, gazetteer());
        assert_eq!(texts(&doc, &mentions), vec![("Trump".to_string(), EntityType::Person)]);
    }

    #[test]
    fn initials_are_recognised() {
        assert!(is_initial("M."));
        assert!(!is_initial("Mr."));
        assert!(!is_initial("M"));
    }
}
