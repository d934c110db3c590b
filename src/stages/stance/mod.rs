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
pub mod polarity;

use std::borrow::Cow;

use crate::stages::entities::Entities;
use crate::stages::quotes::Quote;
use crate::stages::{EntityType, Span};
use crate::text::{Document, Token};
use lexicon::Lexicon;

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
const WINDOW: usize = 6;

/// Sentinel for "no mention" in the per-token table.
pub(crate) const NONE: u32 = u32::MAX;

/// Stance scoring, with its resources.
#[derive(Debug)]
pub struct StanceStage {
    lexicon: Lexicon,
}

impl Default for StanceStage {
    fn default() -> Self {
        StanceStage::new()
    }
}

impl StanceStage {
    /// Loads the bundled lexicons.
    pub fn new() -> StanceStage {
        StanceStage { lexicon: Lexicon::bundled() }
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Finds the stance evidence of one document. Pure.
    pub fn run(&self, doc: &Document, entities: &Entities, quotes: &[Quote]) -> Vec<Evidence> {
        let ctx = Ctx::new(doc, entities);
        let mut out = Vec::new();
        for (qi, quote) in quotes.iter().enumerate() {
            self.quote_evidence(&ctx, qi as u32, quote, &mut out);
        }
        out.extend(clauses::find(&ctx));
        let linked: Vec<(u32, u32)> = out
            .iter()
            .filter_map(|e| Some((ctx.mention_at(e.source.span?)?, ctx.mention_at(e.target.span?)?)))
            .collect();
        out.extend(clauses::pairs(&ctx, &self.lexicon, &linked));
        out
    }

    /// The overall polarity of each quote's content, −1–1 (what quotes.csv
    /// reports).
    pub fn quote_polarities(&self, doc: &Document, entities: &Entities, quotes: &[Quote]) -> Vec<f32> {
        let ctx = Ctx::new(doc, entities);
        quotes.iter().map(|q| self.range_polarity(&ctx, ctx.token_range(q.content))).collect()
    }

    /// The polarity of the tokens `range`, names not scored.
    fn range_polarity(&self, ctx: &Ctx, range: std::ops::Range<usize>) -> f32 {
        polarity::normalize(self.range_sum(ctx, range))
    }

    /// The unnormalised valence sum of the tokens `range`, names not scored.
    fn range_sum(&self, ctx: &Ctx, range: std::ops::Range<usize>) -> f32 {
        let words: Vec<&str> = ctx.lower[range.clone()].iter().map(|w| w.as_ref()).collect();
        let scored: Vec<bool> = ctx.mention_of[range].iter().map(|&m| m == NONE).collect();
        polarity::raw_sum(&self.lexicon, &words, &scored)
    }

    /// The valence a quote's cue verb adds to its targets ("complained",
    /// "praised"); denials and admissions say nothing about the targets.
    fn cue_valence(&self, cue: &str) -> f32 {
        let cue = cue.to_lowercase();
        if cue.starts_with("den") || cue.starts_with("admit") {
            return 0.0;
        }
        self.lexicon.get(&cue).unwrap_or(0.0)
    }

    /// The speaker → mention evidence of one quote.
    fn quote_evidence(&self, ctx: &Ctx, qi: u32, quote: &Quote, out: &mut Vec<Evidence>) {
        let Some(speaker) = quote.speaker.as_ref().filter(|s| !s.name.is_empty()) else { return };
        let content = ctx.token_range(quote.content);
        if content.is_empty() {
            return;
        }
        let cue = quote.cue.map(|c| ctx.doc.text()[c.start as usize..c.end as usize].to_string()).unwrap_or_default();
        let cue_valence = self.cue_valence(&cue);
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
            let text = ctx.doc.text()[mention.span.start as usize..mention.span.end as usize].to_lowercase();
            if matches!(text.as_str(), "we" | "our" | "us") {
                continue;
            }
            let mt = ctx.token_range(mention.span);
            let sentence = ctx.sentence_tokens(mt.start);
            let lo = mt.start.saturating_sub(WINDOW).max(content.start).max(sentence.start);
            let hi = (mt.end + WINDOW).min(content.end).min(sentence.end);
            // The clause: the window cut at the nearest separators.
            let lo = (lo..mt.start).rev().find(|&t| ctx.is_separator(t)).map_or(lo, |t| t + 1);
            let hi = (mt.end..hi).find(|&t| ctx.is_separator(t)).unwrap_or(hi);
            let mut sum = self.range_sum(ctx, lo..hi.max(lo));
            if sum == 0.0 {
                sum = *overall.get_or_insert_with(|| self.range_sum(ctx, content.clone()));
            }
            let p = polarity::normalize(sum + cue_valence);
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

/// One article seen by the stance stage: per token its lower-case word and
/// the entity mention it belongs to.
pub(crate) struct Ctx<'a> {
    pub doc: &'a Document,
    pub tokens: &'a [Token],
    pub lower: Vec<Cow<'a, str>>,
    /// The entity mentions, then capitalised runs the entity stage left out.
    pub parties: Vec<PartyMention>,
    /// Per token: index into `parties`, or [`NONE`].
    pub mention_of: Vec<u32>,
}

/// A mention that can be a source or target: an entity mention, or a run of
/// capitalised words the entity stage did not tag ("Hurd has denounced ...").
pub(crate) struct PartyMention {
    pub span: Span,
    pub entity: Option<u32>,
    /// Equal for mentions of one entity (or one spelling, untagged).
    pub key: u32,
    pub name: String,
    pub kind: Option<EntityType>,
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
    fn new(doc: &'a Document, entities: &'a Entities) -> Ctx<'a> {
        let tokens = doc.tokens();
        let text = doc.text();
        let lower = tokens
            .iter()
            .map(|t| {
                let w = &text[t.range()];
                if w.chars().any(char::is_uppercase) { Cow::Owned(w.to_lowercase()) } else { Cow::Borrowed(w) }
            })
            .collect();
        let lower: Vec<Cow<'a, str>> = lower;
        let mut mention_of = vec![NONE; tokens.len()];
        let mut parties: Vec<PartyMention> = Vec::with_capacity(entities.mentions.len());
        for (mi, m) in entities.mentions.iter().enumerate() {
            let start = tokens.partition_point(|t| t.start < m.span.start);
            for slot in mention_of.iter_mut().skip(start).take(tokens[start..].partition_point(|t| t.end <= m.span.end))
            {
                *slot = mi as u32;
            }
            let e = &entities.entities[m.entity as usize];
            parties.push(PartyMention {
                span: m.span,
                entity: Some(m.entity),
                key: m.entity,
                name: e.name.clone(),
                kind: Some(e.kind),
            });
        }
        // Untagged capitalised runs, keyed by spelling after the entities.
        let mut keys: crate::fxhash::FxHashMap<&str, u32> = crate::fxhash::FxHashMap::default();
        let capitalised: Vec<bool> = (0..tokens.len())
            .map(|t| {
                let token = &tokens[t];
                token.kind == crate::text::TokenKind::Word
                    && text[token.range()].starts_with(|c: char| c.is_uppercase())
                    && !is_capitalised_function_word(&lower[t])
                    && mention_of[t] == NONE
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
            let span = Span { start: tokens[start].start, end: tokens[t - 1].end };
            let name = &text[span.start as usize..span.end as usize];
            let next = entities.entities.len() as u32 + keys.len() as u32;
            let key = *keys.entry(name).or_insert(next);
            let index = parties.len() as u32;
            for slot in &mut mention_of[start..t] {
                *slot = index;
            }
            parties.push(PartyMention { span, entity: None, key, name: name.to_string(), kind: None });
        }
        Ctx { doc, tokens, lower, parties, mention_of }
    }

    /// The tokens inside a cleaned byte span.
    fn token_range(&self, span: Span) -> std::ops::Range<usize> {
        let start = self.tokens.partition_point(|t| t.start < span.start);
        let end = self.tokens.partition_point(|t| t.end <= span.end).max(start);
        start..end
    }

    /// The token range of the sentence holding token `t`.
    fn sentence_tokens(&self, t: usize) -> std::ops::Range<usize> {
        let sentences = self.doc.sentences();
        let i = sentences.partition_point(|s| (s.tokens.end as usize) <= t);
        sentences.get(i).map(|s| s.tokens.start as usize..s.tokens.end as usize).unwrap_or(t..t + 1)
    }

    /// The mention starting at a span's first token, if any.
    fn mention_at(&self, span: Span) -> Option<u32> {
        let t = self.tokens.partition_point(|t| t.start < span.start);
        self.mention_of.get(t).copied().filter(|&m| m != NONE)
    }

    /// A clause separator: `, ; : ( )` or a dash.
    pub fn is_separator(&self, t: usize) -> bool {
        self.tokens[t].kind == crate::text::TokenKind::Punct
            && matches!(
                &self.doc.text()[self.tokens[t].range()],
                "," | ";" | ":" | "(" | ")" | "-" | "--" | "\u{2014}" | "\u{2013}"
            )
    }

    /// Equal for two mentions of one entity.
    pub fn entity_of(&self, mention: u32) -> u32 {
        self.parties[mention as usize].key
    }

    /// A mention as a party: its entity's resolved name and type, its span.
    pub fn party(&self, mention: u32) -> Party {
        let m = &self.parties[mention as usize];
        Party { name: m.name.clone(), kind: m.kind, span: Some(m.span) }
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

    fn find<'a>(ev: &'a [Evidence], source: &str, target: &str) -> Option<&'a Evidence> {
        ev.iter().find(|e| e.source.name.contains(source) && e.target.name.contains(target))
    }

    #[test]
    fn blame_is_negative_from_subject_to_object() {
        let ev = evidence("President Donald Trump blamed China for the virus.");
        let e = find(&ev, "Trump", "China").expect("Trump → China");
        assert!(e.polarity < 0.0, "{e:?}");
        assert_eq!(e.cue, "blamed");
        assert_eq!(e.quote, None);
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

    #[test]
    fn quote_polarities_score_the_content() {
        let stages = Stages::new();
        let doc = Document::new("“This is a terrible, corrupt deal,” said John Smith.");
        let a = crate::pipeline::analyze(&stages, &doc);
        assert_eq!(a.quotes.len(), 1);
        assert!(a.quotes[0].polarity < 0.0);
    }
}
