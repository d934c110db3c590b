//! Stance: evidence that a source holds a stance toward a target, from quotes
//! (the speaker toward each entity in the content) and from evaluative clauses
//! ("Trump blamed China").
//!
//! Status: the interface is final; scoring is the stance issue, so
//! [`StanceStage::run`] finds no evidence yet.

use crate::stages::entities::Entities;
use crate::stages::quotes::Quote;
use crate::stages::{EntityType, Span};
use crate::text::Document;

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

/// Stance scoring, with its resources.
#[derive(Debug, Default)]
pub struct StanceStage {}

impl StanceStage {
    /// Finds the stance evidence of one document. Pure.
    pub fn run(&self, _doc: &Document, _entities: &Entities, _quotes: &[Quote]) -> Vec<Evidence> {
        Vec::new()
    }
}
