//! Stance: evidence that a source holds a stance toward a target, from quotes
//! (the speaker toward each entity in the content) and from evaluative clauses
//! ("Trump blamed China").
//!
//! How:
//! - [`lexicon`] holds word valences (VADER's lexicon plus news words);
//! - [`polarity`] scores a run of words VADER-style (negation, intensifiers,
//!   "but");
//! - quotes: for every quote with a speaker, each entity mention in the
//!   content other than the speaker is a target; the polarity is that of the
//!   window of ±6 tokens around the mention within the content (names carry
//!   no valence), else the content's overall polarity; the cue is the quote's;
//! - [`clauses`]: "X VERB Y" with an evaluative verb, quotes or not.

pub mod clauses;
pub mod lexicon;
pub mod model;
pub mod polarity;

use crate::stages::entities::Entities;
use crate::stages::quotes::Quote;
use crate::stages::{EntityType, Span};
use crate::text::{Document, Token};
use lexicon::Lexicon;
use model::{PairContext, PairModel, RuleVote};

/// One side of a stance: who holds it, or whom it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub name: String,
    pub kind: Option<EntityType>,
    pub span: Option<Span>,
}

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Index into the article's quotes, when the evidence is a quote.
    pub quote: Option<u32>,
    pub source: Party,
    pub target: Party,
    /// −1–1, 0 neutral.
    pub polarity: f32,
    /// The cue verb or predicate, as written.
    pub cue: String,
}

/// Tokens on either side of a target mention whose words score it.
pub(crate) const WINDOW: usize = 6;

/// How many tokens may stand between two mentions of a sentence for the
/// pair model to score them.
const MODEL_PAIR_GAP: usize = 30;

/// A mention pair the pair model scores, with its features (what
/// `train-stance` learns from).
#[derive(Debug, Clone)]
pub struct PairCandidate {
    /// The earlier and the later mention.
    pub a: Span,
    pub b: Span,
    pub features: Vec<u64>,
    /// The label the rules alone give the pair (an index into
    /// [`model::LABELS`]).
    pub rule: usize,
}

/// Sentinel for "no mention" in the per-token table.
pub(crate) const NONE: u32 = u32::MAX;

/// Stance scoring, with its resources.
#[derive(Debug)]
pub struct StanceStage {
    lexicon: Lexicon,
    model: PairModel,
}

impl Default for StanceStage {
    fn default() -> Self {
        StanceStage::new()
    }
}

impl StanceStage {
    /// Loads the bundled lexicons.
    pub fn new() -> StanceStage {
        StanceStage { lexicon: Lexicon::bundled(), model: PairModel::bundled() }
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Finds the stance evidence of one document. Pure.
    pub fn run(&self, doc: &Document, entities: &Entities, quotes: &[Quote]) -> Vec<Evidence> {
        let ctx = Ctx::new(doc, entities, &self.lexicon);
        self.evidence(&ctx, quotes)
    }

    /// What the pipeline calls: sets each quote's polarity (as
    /// [`Self::quote_polarities`] would) and returns the evidence (as
    /// [`Self::run`] would), reading the article's tokens once for both.
    pub fn score_quotes_and_run(&self, doc: &Document, entities: &Entities, quotes: &mut [Quote]) -> Vec<Evidence> {
        let ctx = Ctx::new(doc, entities, &self.lexicon);
        for quote in quotes.iter_mut() {
            quote.polarity = quote_polarity(&ctx, quote);
        }
        self.evidence(&ctx, quotes)
    }

    fn evidence(&self, ctx: &Ctx, quotes: &[Quote]) -> Vec<Evidence> {
        let (mut out, kinds) = self.rule_evidence(ctx, quotes);
        if !self.model.is_empty() {
            self.apply_model(ctx, quotes, &mut out, &kinds);
        }
        out
    }

    /// The stage with the bundled lexicons and `model` (an empty model
    /// leaves the rules' evidence as it is).
    pub fn with_model(model: PairModel) -> StanceStage {
        StanceStage { lexicon: Lexicon::bundled(), model }
    }

    /// The evidence of the rules — quotes, evaluative clauses, name pairs —
    /// and each row's kind (1 quote, 2 clause, 3 name pair).
    fn rule_evidence(&self, ctx: &Ctx, quotes: &[Quote]) -> (Vec<Evidence>, Vec<u8>) {
        let mut out = Vec::new();
        for (qi, quote) in quotes.iter().enumerate() {
            self.quote_evidence(ctx, qi as u32, quote, &mut out);
        }
        let mut kinds = vec![1u8; out.len()];
        out.extend(clauses::find(ctx));
        kinds.resize(out.len(), 2);
        let linked: Vec<(u32, u32)> = out
            .iter()
            .filter_map(|e| Some((ctx.mention_at(e.source.span?)?, ctx.mention_at(e.target.span?)?)))
            .collect();
        out.extend(clauses::pairs(ctx, &linked));
        kinds.resize(out.len(), 3);
        (out, kinds)
    }

    /// The mention pairs the pair model scores, with their features and the
    /// rules' label (for `train-stance`).
    /// `templates` selects the feature templates (bits of [`model::template`]).
    pub fn pair_candidates(
        &self,
        doc: &Document,
        entities: &Entities,
        quotes: &[Quote],
        templates: u64,
    ) -> Vec<PairCandidate> {
        let ctx = Ctx::new(doc, entities, &self.lexicon);
        let (rows, kinds) = self.rule_evidence(&ctx, quotes);
        let ends = row_mentions(&ctx, &rows);
        let between = rows_by_pair(&ends);
        let pair_context = pair_context(&ctx, quotes);
        let mut out = Vec::new();
        for_each_pair(&ctx, |a, b| {
            let rows_between = rows_of(&between, a, b);
            let rule = rule_vote(&rows, &kinds, &ends, rows_between, a, b);
            let mut features = Vec::new();
            model::pair_features(&ctx, a, b, rule, &pair_context, templates, &mut features);
            out.push(PairCandidate {
                a: ctx.parties[a as usize].span,
                b: ctx.parties[b as usize].span,
                features,
                rule: rule.label,
            });
        });
        out
    }

    /// Lets the pair model decide the mention pairs of a sentence that the
    /// rules leave neutral (no row between the two, or rows that cancel out):
    /// where it finds a stance, rows between the two that agree with it take
    /// its sign, quote rows that do not are kept as neutral, other rows that
    /// do not are dropped, and with no agreeing row one is added (cue: the
    /// evaluative verb, else the word with the strongest valence, between the
    /// two). Pairs the rules give a stance keep it: on DSA train's held-out
    /// sentences the rules are the better judge there, the model of the rest.
    fn apply_model(&self, ctx: &Ctx, quotes: &[Quote], rows: &mut Vec<Evidence>, kinds: &[u8]) {
        let ends = row_mentions(ctx, rows);
        let between = rows_by_pair(&ends);
        let pair_context = pair_context(ctx, quotes);
        let mut keep = vec![true; rows.len()];
        let mut added = Vec::new();
        let mut features = Vec::with_capacity(96);
        for_each_pair(ctx, |a, b| {
            let rows_between = rows_of(&between, a, b);
            let rule = rule_vote(rows, kinds, &ends, rows_between, a, b);
            if rule.label != model::NEUTRAL {
                return;
            }
            features.clear();
            model::pair_features(ctx, a, b, rule, &pair_context, self.model.templates(), &mut features);
            let (label, margin) = self.model.predict(&features);
            if label == model::NEUTRAL {
                return;
            }
            let decided = model::direction_and_sign(label);
            let strength = polarity::normalize(margin).max(0.1);
            let mut agreed = false;
            for &i in rows_between {
                let i = i as usize;
                let forward = ends[i] == Some((a, b));
                match decided {
                    Some((ab, sign)) if ab == forward => {
                        rows[i].polarity = sign * strength.max(rows[i].polarity.abs());
                        agreed = true;
                    }
                    _ if rows[i].quote.is_some() => rows[i].polarity = 0.0,
                    _ => keep[i] = false,
                }
            }
            if let Some((ab, sign)) = decided
                && !agreed
            {
                let (source, target) = if ab { (a, b) } else { (b, a) };
                let between = ctx.mention_tokens(a).end..ctx.mention_tokens(b).start;
                let verb = between.clone().find(|&t| ctx.verb_sign(t).is_some());
                let cue = verb.map_or_else(|| clauses::strongest_word(ctx, between), |t| ctx.word(t));
                added.push(Evidence {
                    quote: None,
                    source: ctx.party(source),
                    target: ctx.party(target),
                    polarity: sign * strength,
                    cue: cue.to_string(),
                });
            }
        });
        let mut i = 0;
        rows.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        rows.extend(added);
    }

    /// The overall polarity of each quote's content, −1–1 (what quotes.csv
    /// reports; see [`quote_polarity`]). The pipeline gets the same figures
    /// from [`Self::score_quotes_and_run`], which builds the token table once.
    pub fn quote_polarities(&self, doc: &Document, entities: &Entities, quotes: &[Quote]) -> Vec<f32> {
        let ctx = Ctx::new(doc, entities, &self.lexicon);
        quotes.iter().map(|quote| quote_polarity(&ctx, quote)).collect()
    }

    /// The valence a quote's cue verb adds to its targets ("complained",
    /// "praised"), given in lower case; denials and admissions say nothing
    /// about the targets.
    fn cue_valence(&self, cue: &str) -> f32 {
        if cue.starts_with("deni") || cue.starts_with("deny") || cue.starts_with("admit") {
            return 0.0;
        }
        self.lexicon.get(cue).unwrap_or(0.0)
    }

    /// The speaker → mention evidence of one quote.
    fn quote_evidence(&self, ctx: &Ctx, qi: u32, quote: &Quote, out: &mut Vec<Evidence>) {
        let Some(speaker) = quote.speaker.as_ref().filter(|s| !s.name.is_empty()) else { return };
        let content = ctx.token_range(quote.content);
        if content.is_empty() {
            return;
        }
        let cue = quote.cue.map(|c| ctx.doc.text()[c.start as usize..c.end as usize].to_string()).unwrap_or_default();
        let lower_cue = cue.to_lowercase();
        let cue_valence = self.cue_valence(&lower_cue);
        // "refused to endorse Trump": what is refused to do counts against
        // (not "rejecting the Iranian claims": what is rejected is the claim).
        let infinitive = ctx.doc.text()[quote.content.start as usize..].starts_with("to ");
        let refusal = infinitive && ["refus", "declin"].iter().any(|r| lower_cue.starts_with(r));
        let sign = if refusal { -1.0 } else { 1.0 };
        let mut overall = None;
        let mut last = NONE;
        for t in content.clone() {
            let m = ctx.mention_of[t];
            if m == NONE || m == last {
                continue;
            }
            last = m;
            let mention = &ctx.parties[m as usize];
            if mention.entity.is_some() && mention.entity == speaker.entity {
                continue;
            }
            if mention.name == speaker.name {
                continue;
            }
            let text = &ctx.doc.text()[mention.span.start as usize..mention.span.end as usize];
            if ["we", "our", "us"].iter().any(|w| text.eq_ignore_ascii_case(w)) {
                continue;
            }
            let mt = ctx.mention_tokens(m);
            let sentence = ctx.sentence_tokens(mt.start);
            let lo = mt.start.saturating_sub(WINDOW).max(content.start).max(sentence.start);
            let hi = (mt.end + WINDOW).min(content.end).min(sentence.end);
            // The clause: the window cut at the nearest separators.
            let lo = (lo..mt.start).rev().find(|&t| ctx.is_separator(t)).map_or(lo, |t| t + 1);
            let hi = (mt.end..hi).find(|&t| ctx.is_separator(t)).unwrap_or(hi);
            let mut sum = ctx.range_sum(lo..hi.max(lo));
            if sum == 0.0 {
                sum = *overall.get_or_insert_with(|| ctx.range_sum(content.clone()));
            }
            let p = polarity::normalize(sign * sum + cue_valence);
            out.push(Evidence {
                quote: Some(qi),
                source: Party { name: speaker.name.clone(), kind: speaker.kind, span: Some(speaker.mention) },
                target: ctx.party(m),
                polarity: p,
                cue: cue.clone(),
            });
        }
    }
}

/// Each row's (source, target) mentions, when both are mentions.
fn row_mentions(ctx: &Ctx, rows: &[Evidence]) -> Vec<Option<(u32, u32)>> {
    rows.iter().map(|e| Some((ctx.mention_at(e.source.span?)?, ctx.mention_at(e.target.span?)?))).collect()
}

/// The indices of the rows between each two mentions, in row order, keyed
/// by the pair's lower index first ([`rows_of`] reads it): found once
/// instead of by a pass over the rows per pair, which grows with the square
/// of the article's names.
fn rows_by_pair(ends: &[Option<(u32, u32)>]) -> crate::fxhash::FxHashMap<(u32, u32), Vec<u32>> {
    let mut by_pair: crate::fxhash::FxHashMap<(u32, u32), Vec<u32>> = crate::fxhash::FxHashMap::default();
    for (i, end) in ends.iter().enumerate() {
        if let Some((s, t)) = *end {
            by_pair.entry((s.min(t), s.max(t))).or_default().push(i as u32);
        }
    }
    by_pair
}

/// The rows between mentions `a` and `b` in [`rows_by_pair`]'s index.
fn rows_of(by_pair: &crate::fxhash::FxHashMap<(u32, u32), Vec<u32>>, a: u32, b: u32) -> &[u32] {
    by_pair.get(&(a.min(b), a.max(b))).map_or(&[], Vec::as_slice)
}

/// What the rule rows between mentions `a` and `b` say, summed per
/// direction as the DSA scorer does.
/// `between`: the indices of the rows between them, in order.
fn rule_vote(
    rows: &[Evidence],
    kinds: &[u8],
    ends: &[Option<(u32, u32)>],
    between: &[u32],
    a: u32,
    b: u32,
) -> RuleVote {
    let (mut ab, mut ba, mut strongest, mut kind) = (0.0f32, 0.0f32, 0.0f32, 0u8);
    for &i in between {
        let i = i as usize;
        let Some((s, t)) = ends[i] else { continue };
        let p = rows[i].polarity;
        if (s, t) == (a, b) {
            ab += p;
        } else if (s, t) == (b, a) {
            ba += p;
        } else {
            continue;
        }
        if kind == 0 || p.abs() > strongest {
            strongest = p.abs();
            kind = kinds[i];
        }
    }
    RuleVote { label: model::label_of(ab, ba), kind }
}

/// Per token the quote whose content holds it; per quote its speaker; per
/// sentence its valence sum; per mention its name's hash.
fn pair_context(ctx: &Ctx, quotes: &[Quote]) -> PairContext {
    let mut quote_of = vec![NONE; ctx.tokens.len()];
    let mut speaker_mention = Vec::with_capacity(quotes.len());
    let mut speaker_key = Vec::with_capacity(quotes.len());
    for (qi, q) in quotes.iter().enumerate() {
        for slot in &mut quote_of[ctx.token_range(q.content)] {
            *slot = qi as u32;
        }
        let m = q.speaker.as_ref().and_then(|s| ctx.mention_at(s.mention));
        speaker_mention.push(m.unwrap_or(NONE));
        let entity = q.speaker.as_ref().and_then(|s| s.entity);
        speaker_key.push(entity.or(m.map(|m| ctx.entity_of(m))).unwrap_or(NONE));
    }
    let sentence_sum =
        ctx.doc.sentences().iter().map(|s| ctx.range_sum(s.tokens.start as usize..s.tokens.end as usize)).collect();
    let name_hash = ctx.parties.iter().map(|p| model::hash_str(p.name)).collect();
    PairContext { quote_of, speaker_mention, speaker_key, sentence_sum, name_hash }
}

/// Calls `f(a, b)` for every pair of mentions of one sentence, `a` first,
/// of two different entities, at most [`MODEL_PAIR_GAP`] tokens apart.
fn for_each_pair(ctx: &Ctx, mut f: impl FnMut(u32, u32)) {
    let mut starts: Vec<(usize, usize, u32)> = Vec::new();
    for sentence in ctx.doc.sentences() {
        starts.clear();
        let mut last = NONE;
        for t in sentence.tokens.start as usize..sentence.tokens.end as usize {
            let m = ctx.mention_of[t];
            if m != NONE && m != last {
                starts.push((t, t + 1, m));
            } else if m != NONE
                && let Some(s) = starts.last_mut()
            {
                s.1 = t + 1;
            }
            last = m;
        }
        for (i, &(_, a_end, a)) in starts.iter().enumerate() {
            for &(b_start, _, b) in &starts[i + 1..] {
                if b_start - a_end > MODEL_PAIR_GAP {
                    break;
                }
                if ctx.entity_of(a) != ctx.entity_of(b) {
                    f(a, b);
                }
            }
        }
    }
}

/// One article seen by the stance stage: per token its lower-case word and
/// the entity mention it belongs to.
pub(crate) struct Ctx<'a> {
    pub doc: &'a Document,
    pub tokens: &'a [Token],
    /// The article lower-cased once (see [`Ctx::word`]), instead of a String
    /// per capitalised word.
    lower: String,
    /// Per token: its lower-case form's byte range in `lower`.
    lower_span: Vec<(u32, u32)>,
    /// Per token: its valence, verb sign and flags, looked up once per
    /// article.
    pub info: Vec<lexicon::WordInfo>,
    /// Per token: the hash of its lower-case form (lexicon key, model
    /// feature).
    word_hashes: Vec<u64>,
    /// The entity mentions, then capitalised runs the entity stage left out.
    pub parties: Vec<PartyMention<'a>>,
    /// Per token: index into `parties`, or [`NONE`].
    pub mention_of: Vec<u32>,
    /// Per party: its tokens (see [`Ctx::mention_tokens`]), found once per
    /// article instead of by two binary searches per use.
    party_tokens: Vec<(u32, u32)>,
    /// Per token: the index of its sentence (see [`Ctx::sentence_index`]).
    sentence_of: Vec<u32>,
    /// The words whose valence [`Ctx::range_sum`] counts, indexed.
    valence_index: polarity::ValenceIndex,
}

/// A mention that can be a source or target: an entity mention, or a run of
/// capitalised words the entity stage did not tag ("Hurd has denounced ...").
pub(crate) struct PartyMention<'a> {
    pub span: Span,
    pub entity: Option<u32>,
    /// Equal for mentions of one entity (or one spelling, untagged).
    pub key: u32,
    pub name: &'a str,
    pub kind: Option<EntityType>,
}

/// The tokens inside a cleaned byte span.
fn token_range(tokens: &[Token], span: Span) -> std::ops::Range<usize> {
    let start = tokens.partition_point(|t| t.start < span.start);
    let end = tokens.partition_point(|t| t.end <= span.end).max(start);
    start..end
}

/// A quote's overall polarity from the article's token table: names —
/// entity mentions and capitalised words that are not function words —
/// carry no valence.
fn quote_polarity(ctx: &Ctx, quote: &Quote) -> f32 {
    let range = token_range(ctx.tokens, quote.content);
    let text = ctx.doc.text();
    let name = |t: usize| {
        let token = &ctx.tokens[t];
        ctx.entity_mention(t)
            || (token.kind == crate::text::TokenKind::Word
                && token.starts_upper(text)
                && !is_capitalised_function_word(ctx.word(t)))
    };
    let start = range.start;
    polarity::normalize(polarity::sum_flagged(
        range.len(),
        // A name's valence does not count: asked only of words with one.
        |i| ctx.info[start + i].valence.filter(|_| !name(start + i)),
        |i| ctx.info[start + i].flags,
    ))
}

/// `text` lower-cased with every byte offset kept, or None when some letter's
/// lower case has another UTF-8 length.
fn lower_in_place(text: &str) -> Option<String> {
    let mut lower = text.to_ascii_lowercase();
    if text.is_ascii() {
        return Some(lower);
    }
    // Only the non-ASCII characters need a look: step over ASCII bytes
    // without decoding them, eight at a time where they run on.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8)
            && u64::from_le_bytes(word.try_into().expect("8 bytes")) & 0x8080_8080_8080_8080 == 0
        {
            i += 8;
            continue;
        }
        if bytes[i].is_ascii() {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("a character starts here");
        if c.is_uppercase() {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) if x.len_utf8() == c.len_utf8() => {
                    let mut buf = [0u8; 4];
                    lower.replace_range(i..i + c.len_utf8(), x.encode_utf8(&mut buf));
                }
                _ => return None,
            }
        }
        i += c.len_utf8();
    }
    Some(lower)
}

/// Token `t`'s lower-case form in a [`Ctx`]'s buffer.
#[inline]
fn word_at<'b>(lower: &'b str, lower_span: &[(u32, u32)], t: usize) -> &'b str {
    let (start, end) = lower_span[t];
    &lower[start as usize..end as usize]
}

/// Whether a token ends with a quotation mark, a colon or a dash: a capital
/// after it may be there for that alone, as at a sentence's start ("MANILA
/// (Wirescan News) — More than ...").
fn opens_a_clause(token: &str) -> bool {
    token.ends_with([':', '“', '‘', '"', '—', '–'])
}

/// Capitalised words that are not names.
fn is_capitalised_function_word(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "he"
            | "she"
            | "it"
            | "they"
            | "we"
            | "i"
            | "you"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "my"
            | "this"
            | "that"
            | "these"
            | "those"
            | "but"
            | "and"
            | "or"
            | "if"
            | "in"
            | "on"
            | "at"
            | "for"
            | "of"
            | "to"
            | "with"
            | "by"
            | "from"
            | "as"
            | "after"
            | "before"
            | "when"
            | "while"
            | "since"
            | "although"
            | "though"
            | "because"
            | "so"
            | "yet"
            | "also"
            | "last"
            | "next"
            | "there"
            | "here"
            | "what"
            | "who"
            | "why"
            | "how"
            | "where"
            | "some"
            | "many"
            | "most"
            | "all"
            | "no"
            | "not"
            | "mr"
            | "mrs"
            | "ms"
            | "dr"
            | "prof"
            | "prof."
            | "mr."
            | "mrs."
            | "ms."
            | "dr."
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "president"
            | "senator"
            | "sen."
            | "rep."
            | "gov."
            | "governor"
            | "minister"
            | "secretary"
            | "former"
            | "then"
            | "now"
            | "still"
            | "even"
            | "just"
            | "only"
            | "however"
            | "meanwhile"
            | "instead"
            | "today"
            | "yesterday"
    )
}

impl<'a> Ctx<'a> {
    fn new(doc: &'a Document, entities: &'a Entities, lexicon: &Lexicon) -> Ctx<'a> {
        let tokens = doc.tokens();
        let text = doc.text();
        // Lower-case once per article. Lower-casing ASCII and almost every
        // other letter keeps its UTF-8 length, so the lower-case copy has
        // the text's byte offsets and token ranges index it directly; only a
        // text with a letter that changes length ("İ") is lower-cased token
        // by token into one buffer.
        let (lower, lower_span): (String, Vec<(u32, u32)>) = match lower_in_place(text) {
            Some(lower) => (lower, tokens.iter().map(|t| (t.start, t.end)).collect()),
            None => {
                let mut lower = String::with_capacity(text.len());
                let spans = tokens
                    .iter()
                    .map(|t| {
                        let start = lower.len() as u32;
                        lower.extend(text[t.range()].chars().flat_map(char::to_lowercase));
                        (start, lower.len() as u32)
                    })
                    .collect();
                (lower, spans)
            }
        };
        // The entity stage hashed the same lower-case forms already.
        let word_hashes: Vec<u64> = if entities.word_hashes.len() == tokens.len() {
            entities.word_hashes.clone()
        } else {
            lower_span.iter().map(|&(s, e)| model::hash_str(&lower[s as usize..e as usize])).collect()
        };
        let lower_bytes = lower.as_bytes();
        let info: Vec<lexicon::WordInfo> = word_hashes
            .iter()
            .zip(&lower_span)
            .map(|(&h, &(s, e))| {
                let mut info = lexicon.info_hashed(h);
                // (By bytes: a word's lower-case form ends where its token
                // does, and most words settle on their last byte.)
                if polarity::ends_with_nt_bytes(&lower_bytes[s as usize..e as usize]) {
                    info.flags |= polarity::NEGATOR;
                }
                info
            })
            .collect();
        let mut mention_of = vec![NONE; tokens.len()];
        let mut parties: Vec<PartyMention<'a>> = Vec::with_capacity(entities.mentions.len());
        // Per party its tokens (what `token_range` of its span gives), found
        // here once instead of by two binary searches more per party.
        let mut party_tokens: Vec<(u32, u32)> = Vec::with_capacity(entities.mentions.len());
        for (mi, m) in entities.mentions.iter().enumerate() {
            let start = tokens.partition_point(|t| t.start < m.span.start);
            let end = start + tokens[start..].partition_point(|t| t.end <= m.span.end);
            for slot in &mut mention_of[start..end] {
                *slot = mi as u32;
            }
            party_tokens.push((start as u32, end as u32));
            let e = &entities.entities[m.entity as usize];
            parties.push(PartyMention {
                span: m.span,
                entity: Some(m.entity),
                key: m.entity,
                name: &e.name,
                kind: Some(e.kind),
            });
        }
        // Untagged capitalised runs, keyed by spelling after the entities.
        // A common word alone at the opening of a sentence (a quote, a
        // dateline's text) is capitalised for that alone: "Every", "People",
        // "Call" there are not names. Runs of more words ("White House",
        // "North Korea") stay whole.
        // The first sentence ending after each token, as a binary search of
        // the sentences would find it (one past the last for a token after
        // every sentence).
        let sentences = doc.sentences();
        let mut sentence_of: Vec<u32> = Vec::with_capacity(tokens.len());
        for (si, s) in sentences.iter().enumerate() {
            let end = (s.tokens.end as usize).min(tokens.len());
            if end > sentence_of.len() {
                sentence_of.resize(end, si as u32);
            }
        }
        sentence_of.resize(tokens.len(), sentences.len() as u32);
        let opens_sentence =
            |t: usize| sentences.get(sentence_of[t] as usize).is_some_and(|s| s.tokens.start as usize == t);
        let mut keys: crate::fxhash::FxHashMap<&str, u32> = crate::fxhash::FxHashMap::default();
        let capitalised: Vec<bool> = tokens
            .iter()
            .zip(&mention_of)
            .enumerate()
            .map(|(t, (token, &m))| {
                m == NONE
                    && token.kind == crate::text::TokenKind::Word
                    && token.starts_upper(text)
                    && !is_capitalised_function_word(word_at(&lower, &lower_span, t))
            })
            .collect();
        let mut t = 0;
        while t < tokens.len() {
            if !capitalised[t] {
                t += 1;
                continue;
            }
            let start = t;
            while t < tokens.len() && capitalised[t] {
                t += 1;
            }
            if t == start + 1
                && lexicon.is_common_hashed(word_hashes[start])
                && (opens_sentence(start) || (start > 0 && opens_a_clause(&text[tokens[start - 1].range()])))
            {
                continue;
            }
            // Words run on from an entity's mention are the rest of a name
            // the entity stage cut short ("Australian National" University,
            // "Telcove Systems" Inc.), not a party of their own.
            let entity = |i: usize| (mention_of[i] as usize) < entities.mentions.len();
            let touching = |left: usize| {
                text.as_bytes()[tokens[left].end as usize..tokens[left + 1].start as usize].iter().all(|&b| b == b' ')
            };
            if (start > 0 && entity(start - 1) && touching(start - 1))
                || (t < tokens.len() && entity(t) && touching(t - 1))
            {
                continue;
            }
            let span = Span { start: tokens[start].start, end: tokens[t - 1].end };
            let name = &text[span.start as usize..span.end as usize];
            let next = entities.entities.len() as u32 + keys.len() as u32;
            let key = *keys.entry(name).or_insert(next);
            let index = parties.len() as u32;
            for slot in &mut mention_of[start..t] {
                *slot = index;
            }
            parties.push(PartyMention { span, entity: None, key, name, kind: None });
            party_tokens.push((start as u32, t as u32));
        }
        let valence_index = polarity::ValenceIndex::new(
            tokens.len(),
            |t| if mention_of[t] == NONE { info[t].valence } else { None },
            |t| info[t].flags,
        );
        Ctx {
            doc,
            tokens,
            lower,
            lower_span,
            info,
            word_hashes,
            parties,
            mention_of,
            party_tokens,
            sentence_of,
            valence_index,
        }
    }

    /// The hash of token `t`'s lower-case form.
    #[inline]
    pub fn word_hash(&self, t: usize) -> u64 {
        self.word_hashes[t]
    }

    /// The tokens of mention `m`.
    #[inline]
    pub fn mention_tokens(&self, m: u32) -> std::ops::Range<usize> {
        let (start, end) = self.party_tokens[m as usize];
        start as usize..end as usize
    }

    /// Token `t` in lower case.
    #[inline]
    pub fn word(&self, t: usize) -> &str {
        word_at(&self.lower, &self.lower_span, t)
    }

    /// The unnormalised valence sum of the tokens `range`, names not scored.
    pub fn range_sum(&self, range: std::ops::Range<usize>) -> f32 {
        self.valence_index.sum(range, |t| self.info[t].flags)
    }

    /// The sign of token `t` as an evaluative verb.
    #[inline]
    pub fn verb_sign(&self, t: usize) -> Option<f32> {
        let v = self.info[t].verb;
        (v != 0.0).then_some(v)
    }

    /// The tokens inside a cleaned byte span.
    fn token_range(&self, span: Span) -> std::ops::Range<usize> {
        token_range(self.tokens, span)
    }

    /// The index of the sentence holding token `t`.
    #[inline]
    pub fn sentence_index(&self, t: usize) -> usize {
        match self.sentence_of.get(t) {
            Some(&i) => i as usize,
            None => self.doc.sentences().partition_point(|s| (s.tokens.end as usize) <= t),
        }
    }

    /// The token range of the sentence holding token `t`.
    pub fn sentence_tokens(&self, t: usize) -> std::ops::Range<usize> {
        let sentences = self.doc.sentences();
        let i = self.sentence_index(t);
        sentences.get(i).map(|s| s.tokens.start as usize..s.tokens.end as usize).unwrap_or(t..t + 1)
    }

    /// The mention starting at a span's first token, if any.
    fn mention_at(&self, span: Span) -> Option<u32> {
        let t = self.tokens.partition_point(|t| t.start < span.start);
        self.mention_of.get(t).copied().filter(|&m| m != NONE)
    }

    /// A clause separator: `, ; : ( )` or a dash.
    #[inline]
    pub fn is_separator(&self, t: usize) -> bool {
        self.info[t].flags & polarity::SEPARATOR != 0 && self.tokens[t].kind == crate::text::TokenKind::Punct
    }

    /// Equal for two mentions of one entity.
    /// Whether token `t` is inside an entity stage mention (not one of the
    /// untagged capitalised runs).
    fn entity_mention(&self, t: usize) -> bool {
        let m = self.mention_of[t];
        m != NONE && self.parties[m as usize].entity.is_some()
    }

    pub fn entity_of(&self, mention: u32) -> u32 {
        self.parties[mention as usize].key
    }

    /// A mention as a party: its entity's resolved name and type, its span.
    pub fn party(&self, mention: u32) -> Party {
        let m = &self.parties[mention as usize];
        Party { name: m.name.to_string(), kind: m.kind, span: Some(m.span) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::Stages;

    fn evidence(text: &str) -> Vec<Evidence> {
        let stages = Stages::new();
        let doc = Document::new(text);
        crate::pipeline::analyze(&stages, &doc).stance
    }

    /// The entity stage's word hashes are the ones the stance context would
    /// compute itself (it takes them instead), also for non-ASCII words.
    #[test]
    fn entity_word_hashes_are_the_context_s_own() {
        let stages = Stages::new();
        let doc = Document::new("ÉTAT: Ali Rabiei SAID the İstanbul talks FAILED, “badly”.");
        let found = stages.entities.run(&doc);
        assert_eq!(found.word_hashes.len(), doc.tokens().len());
        let without = Entities { word_hashes: Vec::new(), ..found.clone() };
        let own = Ctx::new(&doc, &without, &stages.stance.lexicon);
        let shared = Ctx::new(&doc, &found, &stages.stance.lexicon);
        assert_eq!(own.word_hashes, shared.word_hashes);
    }

    fn find<'a>(ev: &'a [Evidence], source: &str, target: &str) -> Option<&'a Evidence> {
        ev.iter().find(|e| e.source.name.contains(source) && e.target.name.contains(target))
    }

    #[test]
    fn blame_is_negative_from_subject_to_object() {
        let ev = evidence("President Donald Trump blamed China for the virus.");
        // The clause row, and the quote row ("blamed" reports what Trump
        // holds: "China for the virus"), both negative.
        let clause = ev.iter().find(|e| e.quote.is_none() && e.target.name.contains("China")).expect("clause row");
        assert!(clause.polarity < 0.0 && clause.source.name.contains("Trump"), "{clause:?}");
        assert_eq!(clause.cue, "blamed");
        let quoted = ev.iter().find(|e| e.quote.is_some() && e.target.name.contains("China")).expect("quote row");
        assert!(quoted.polarity < 0.0 && quoted.source.name.contains("Trump"), "{quoted:?}");
    }

    #[test]
    fn praise_is_positive_and_negation_flips() {
        let ev = evidence("Senator Elizabeth Warren praised Governor Andrew Cuomo on Tuesday.");
        let e = find(&ev, "Warren", "Cuomo").expect("Warren → Cuomo");
        assert!(e.polarity > 0.0, "{e:?}");
        let ev = evidence("Senator Elizabeth Warren did not support Governor Andrew Cuomo on Tuesday.");
        let e = find(&ev, "Warren", "Cuomo").expect("Warren → Cuomo");
        assert!(e.polarity < 0.0, "{e:?}");
    }

    #[test]
    fn passive_with_agent_reads_backwards() {
        let ev = evidence("Germany was criticised by France over the budget.");
        let e = find(&ev, "France", "Germany").expect("France → Germany");
        assert!(e.polarity < 0.0, "{e:?}");
    }

    #[test]
    fn quote_targets_take_the_polarity_around_them() {
        let text = "“Russia is a corrupt and dangerous regime, and Canada is a great friend,” said Foreign Minister Jeremy Hunt.";
        let ev = evidence(text);
        let russia = find(&ev, "Hunt", "Russia").expect("Hunt → Russia");
        assert!(russia.polarity < 0.0, "{russia:?}");
        assert_eq!(russia.cue, "said");
        assert!(russia.quote.is_some());
        let canada = find(&ev, "Hunt", "Canada").expect("Hunt → Canada");
        assert!(canada.polarity > 0.0, "{canada:?}");
    }

    #[test]
    fn an_evaluative_cue_colours_the_targets() {
        let ev = evidence("Foreign Minister Jeremy Hunt complained that Russia had ignored the request.");
        let e = find(&ev, "Hunt", "Russia").expect("Hunt → Russia");
        assert!(e.polarity < 0.0, "{e:?}");
    }

    #[test]
    fn untagged_capitalised_names_can_be_parties() {
        let ev = evidence("Hurd has also denounced Trump.");
        let e = find(&ev, "Hurd", "Trump").expect("Hurd → Trump");
        assert!(e.polarity < 0.0, "{e:?}");
    }

    #[test]
    fn passive_pairs_read_from_the_agent() {
        let ev = evidence("Toig was warmly praised by Jay Z for his leadership.");
        let e = find(&ev, "Jay Z", "Toig").expect("Jay Z → Toig");
        assert!(e.polarity > 0.0, "{e:?}");
        assert!(find(&ev, "Toig", "Jay Z").is_none());
    }

    #[test]
    fn subjects_are_found_past_appositives_and_through_pronouns() {
        let ev = evidence("Cruz, speaking at the convention on a hot evening, criticized Trump.");
        let e = find(&ev, "Cruz", "Trump").expect("Cruz → Trump");
        assert!(e.polarity < 0.0, "{e:?}");
        let ev = evidence("Cruz spoke at the convention, and he pointedly refused to endorse Trump.");
        let e = find(&ev, "Cruz", "Trump").expect("Cruz → Trump");
        assert!(e.polarity < 0.0, "{e:?}");
    }

    /// The rules' evidence and the evidence with a pair model, for `text`.
    fn with_model(text: &str, model: PairModel) -> (Vec<Evidence>, Vec<Evidence>) {
        let stages = Stages::new();
        let doc = Document::new(text);
        let entities = stages.entities.run(&doc);
        let quotes = stages.quotes.run(&doc, &entities);
        let rules = StanceStage::with_model(PairModel::default()).run(&doc, &entities, &quotes);
        let learned = StanceStage::with_model(model).run(&doc, &entities, &quotes);
        (rules, learned)
    }

    /// A model that gives every pair `label`.
    fn constant_model(label: usize) -> PairModel {
        let mut weights = std::collections::HashMap::new();
        let mut w = vec![0.0; model::CLASSES];
        w[label] = 5.0;
        weights.insert(model::feature(model::template::BIAS, 0, 0), w);
        PairModel::from_bytes(&model::to_bytes(&weights, 0.0, model::ALL_TEMPLATES, 0.0)).expect("valid")
    }

    #[test]
    fn the_pair_model_decides_pairs_the_rules_leave_neutral() {
        let text = "Senator Elizabeth Warren met Governor Andrew Cuomo on Tuesday.";
        let (rules, learned) = with_model(text, constant_model(model::NEG_BA));
        assert!(find(&rules, "Warren", "Cuomo").is_none() && find(&rules, "Cuomo", "Warren").is_none());
        let e = find(&learned, "Cuomo", "Warren").expect("Cuomo → Warren from the model");
        assert!(e.polarity < 0.0, "{e:?}");
        assert_eq!(e.quote, None);
        assert!(find(&learned, "Warren", "Cuomo").is_none(), "{learned:?}");
    }

    #[test]
    fn the_pair_model_leaves_the_rules_stances_alone() {
        let text =
            "“Russia is a corrupt and dangerous regime,” said Foreign Minister Jeremy Hunt. Warren praised Cuomo.";
        let (rules, learned) = with_model(text, constant_model(model::POS_BA));
        assert!(find(&learned, "Hunt", "Russia").is_some_and(|e| e.polarity < 0.0), "{learned:?}");
        assert!(find(&learned, "Warren", "Cuomo").is_some_and(|e| e.polarity > 0.0));
        assert!(find(&learned, "Cuomo", "Warren").is_none(), "{learned:?}");
        // A model that finds no stance anywhere changes nothing.
        let (_, neutral) = with_model(text, constant_model(model::NEUTRAL));
        assert_eq!(neutral, rules);
    }

    /// The per-article tables of mention tokens and sentences give what
    /// the binary searches they replace give.
    #[test]
    fn common_words_opening_a_sentence_are_not_parties() {
        let stages = Stages::new();
        let text = "Every critic praised Toig. People blamed him: “Nobody listened.” \
                    Toig was warmly praised. MANILA (Wirescan News) — Thousands fled. Mr Brown thanked Hope Street.";
        let doc = Document::new(text);
        let entities = stages.entities.run(&doc);
        let ctx = Ctx::new(&doc, &entities, &stages.stance.lexicon);
        let untagged: Vec<&str> = ctx.parties.iter().filter(|p| p.entity.is_none()).map(|p| p.name).collect();
        for junk in ["Every", "People", "Nobody", "Thousands"] {
            assert!(!untagged.contains(&junk), "{junk} in {untagged:?}");
        }
        // A name at a sentence's start stays, and so do capitalised common
        // words inside a sentence or in a run of several.
        let names: Vec<&str> = ctx.parties.iter().map(|p| p.name).collect();
        assert!(names.iter().filter(|&&n| n == "Toig").count() == 2, "{names:?}");
        assert!(names.iter().any(|n| n.contains("Hope Street")), "{names:?}");
        assert!(!names.contains(&"Mr"), "{names:?}");
    }

    #[test]
    fn words_run_on_from_an_entity_are_not_parties_of_their_own() {
        let stages = Stages::new();
        let text = "The minister had ordered an independent review led by Prof. Ruth Kingsley of the Australian \
                    National University. It had been caused by a failed software update at a data centre run by a \
                    private contractor, Telcove Systems Inc.\nThe opposition blamed Ashdown.";
        let doc = Document::new(text);
        let entities = stages.entities.run(&doc);
        let ctx = Ctx::new(&doc, &entities, &stages.stance.lexicon);
        let untagged: Vec<&PartyMention> = ctx.parties.iter().filter(|p| p.entity.is_none()).collect();
        for p in &untagged {
            for m in &entities.mentions {
                let gap = if m.span.end <= p.span.start {
                    &text[m.span.end as usize..p.span.start as usize]
                } else if p.span.end <= m.span.start {
                    &text[p.span.end as usize..m.span.start as usize]
                } else {
                    continue;
                };
                assert!(!gap.bytes().all(|b| b == b' '), "{:?} runs on from an entity", p.name);
            }
        }
        let names: Vec<&str> = untagged.iter().map(|p| p.name).collect();
        assert!(!names.contains(&"University") && !names.contains(&"Inc."), "{names:?}");
    }

    #[test]
    fn mention_and_sentence_tables_agree_with_searches() {
        let stages = Stages::new();
        for text in [
            "Senator Elizabeth Warren met Governor Andrew Cuomo on Tuesday. Hurd has also denounced Trump.",
            "“Russia is a corrupt regime,” said Jeremy Hunt.\n\nMüller criticised İstanbul's mayor, Ekrem İmamoğlu.",
            "But Warren did not hold Cuomo responsible, and Hurd very strongly praised the good deal but never Trump.",
            "",
        ] {
            let doc = Document::new(text);
            let entities = stages.entities.run(&doc);
            let ctx = Ctx::new(&doc, &entities, &stages.stance.lexicon);
            for (m, party) in ctx.parties.iter().enumerate() {
                assert_eq!(ctx.mention_tokens(m as u32), ctx.token_range(party.span));
            }
            for t in 0..ctx.tokens.len() + 2 {
                assert_eq!(ctx.sentence_index(t), doc.sentences().partition_point(|s| (s.tokens.end as usize) <= t));
            }
            // Range sums through the valence index, names not scored.
            for start in 0..=ctx.tokens.len() {
                for end in start..=ctx.tokens.len() {
                    let direct = polarity::sum_flagged(
                        end - start,
                        |i| if ctx.mention_of[start + i] == NONE { ctx.info[start + i].valence } else { None },
                        |i| ctx.info[start + i].flags,
                    );
                    assert_eq!(ctx.range_sum(start..end).to_bits(), direct.to_bits());
                }
            }
        }
        for word in ["Éva", "éva", "A", "a", "", "1", "İ"] {
            let token = crate::text::Token { start: 0, end: word.len() as u32, kind: crate::text::TokenKind::Word };
            assert_eq!(token.starts_upper(word), word.starts_with(|c: char| c.is_uppercase()), "{word}");
        }
    }

    #[test]
    fn words_are_lower_cased_once_with_or_without_ascii() {
        let stages = Stages::new();
        for text in ["Müller DIDN'T praise Ärger in Paris.", "Muller DIDN'T praise Arger in Paris."] {
            let doc = Document::new(text);
            let entities = stages.entities.run(&doc);
            let lexicon = Lexicon::bundled();
            let ctx = Ctx::new(&doc, &entities, &lexicon);
            let words: Vec<&str> = (0..ctx.tokens.len()).map(|t| ctx.word(t)).collect();
            assert_eq!(words[1..4], ["did", "n't", "praise"], "{words:?}");
            assert!(words[0] == "müller" || words[0] == "muller");
            assert_eq!(ctx.verb_sign(3), Some(1.0));
            assert_ne!(ctx.info[2].flags & polarity::NEGATOR, 0);
            // The per-article sums agree with scoring the words directly.
            let all: Vec<&str> = words.clone();
            let scored: Vec<bool> = ctx.mention_of.iter().map(|&m| m == NONE).collect();
            let direct = polarity::raw_sum(&lexicon, &all, &scored);
            assert!((ctx.range_sum(0..words.len()) - direct).abs() < 1e-6);
            assert!(direct < 0.0, "didn't praise: {direct}");
        }
    }

    #[test]
    fn quote_polarities_score_the_content() {
        let stages = Stages::new();
        let doc = Document::new("“This is a terrible, corrupt deal,” said John Smith.");
        let a = crate::pipeline::analyze(&stages, &doc);
        assert_eq!(a.quotes.len(), 1);
        assert!(a.quotes[0].polarity < 0.0);
        // The stand-alone call gives what the pipeline wrote.
        assert_eq!(stages.stance.quote_polarities(&doc, &a.entities, &a.quotes), vec![a.quotes[0].polarity]);
    }
}
