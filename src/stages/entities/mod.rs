//! Named entities: mentions with types, grouped into in-article entities with
//! a resolved name ("Mr. Asgari" → "Sirous Asgari") and, for people, a gender.
//!
//! Contract: mentions are in text order and never overlap; every mention
//! belongs to exactly one entity; entity ids are dense, starting at 0, in order
//! of first mention.
//!
//! How: a learned sequence tagger ([`tagger`], weights in
//! `data/models/ner.bin`, trained by `train-ner` from CoreNLP's annotations of
//! news) marks PER/ORG/LOC/MISC runs using word, shape, context, document and
//! gazetteer features ([`gazetteer`]); [`resolve`] turns the runs into typed
//! mentions (GPE vs LOC, NORP) and groups them into entities.

pub mod gazetteer;
pub mod model;
pub mod resolve;
pub mod tagger;

use crate::stages::{EntityType, Gender, Span};
use crate::text::Document;
use gazetteer::Gazetteer;
use model::Model;

/// One mention of an entity in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub entity: u32,
    pub span: Span,
    pub kind: EntityType,
}

/// One real-world entity as the article refers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub id: u32,
    /// The fullest name the article uses, without titles ("Ali Rabiei").
    pub name: String,
    pub kind: EntityType,
    pub gender: Gender,
    /// Indices into [`Entities::mentions`], in text order.
    pub mentions: Vec<u32>,
}

/// The entity stage's output for one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entities {
    pub mentions: Vec<Mention>,
    pub entities: Vec<Entity>,
    /// Per token of the document: [`model::hash_str`] of its lower-case
    /// form, for later stages that key word lists the same way (empty when
    /// not computed).
    pub word_hashes: Vec<u64>,
}

/// The weights `train-ner` wrote.
const WEIGHTS: &[u8] = include_bytes!("../../../data/models/ner.bin");

/// Entity recognition and in-article resolution, with its resources.
#[derive(Debug)]
pub struct EntityStage {
    gazetteer: Gazetteer,
    model: Model,
    tag_weights: tagger::TagWeights,
    /// Word sums of the model, one set per worker at a time: taken for an
    /// article and given back (sums kept across articles make the tagger
    /// faster, never different).
    word_sums: std::sync::Mutex<Vec<tagger::WordSums>>,
}

impl Default for EntityStage {
    fn default() -> Self {
        EntityStage::new()
    }
}

impl EntityStage {
    /// Loads the bundled word lists and weights.
    pub fn new() -> EntityStage {
        let model = Model::from_bytes(WEIGHTS).expect("the bundled entity model is valid");
        let tag_weights = tagger::TagWeights::new(&model);
        EntityStage { gazetteer: Gazetteer::bundled(), model, tag_weights, word_sums: Default::default() }
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Finds the entities of one document. Pure.
    pub fn run(&self, doc: &Document) -> Entities {
        let mut sums = self.word_sums.lock().map(|mut pool| pool.pop()).ok().flatten().unwrap_or_default();
        let features = tagger::DocFeatures::with_facts(doc, &self.gazetteer, &mut sums.facts);
        let tags = tagger::decode_with(&features, &self.model, &self.tag_weights, &mut sums);
        if let Ok(mut pool) = self.word_sums.lock() {
            pool.push(sums);
        }
        let raw = resolve::runs(&tags);
        let mut mentions = resolve::clean_mentions(doc, &features, &raw, &self.gazetteer);
        resolve::leader_modifiers(doc, &features, &mut mentions, &self.gazetteer);
        resolve::domain_names(doc, &features, &mut mentions);
        resolve::propagate(doc, &features, &mut mentions);
        resolve::join_name_particles(doc, &features, &mut mentions, &self.gazetteer);
        resolve::correct_types(doc, &features, &mut mentions, &self.gazetteer);
        resolve::remove_overlaps(&mut mentions);
        let mut found = resolve::group(doc, &mentions, &self.gazetteer);
        found.word_hashes = features.lower_hashes();
        found
    }
}
