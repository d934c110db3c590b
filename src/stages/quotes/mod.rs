//! Quotes: direct, mixed and indirect reported speech, each with its cue, the
//! local speaker mention and the resolved speaker.
//!
//! Contract: quotes are in text order of their content; a quote split by its
//! attribution ("A," he said, "B") is two quotes sharing speaker mention and
//! cue.
//!
//! Status: the interface is final; extraction is the quotes issue, so
//! [`QuoteStage::run`] finds no quotes yet.

use crate::stages::entities::Entities;
use crate::stages::{EntityType, Gender, Span};
use crate::text::Document;

/// How the content is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QuoteKind {
    /// Entirely inside quotation marks.
    Direct,
    /// Reported speech carrying a quoted fragment.
    Mixed,
    /// Reported speech without quotation marks.
    Indirect,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Mixed => "mixed",
            QuoteKind::Indirect => "indirect",
        }
    }
}

/// Who a quote is attributed to.
#[derive(Debug, Clone, PartialEq)]
pub struct Speaker {
    /// The local mention the attribution was made from ("he", "the spokesman").
    pub mention: Span,
    /// The resolved name, or the description of an unnamed source.
    pub name: String,
    pub kind: Option<EntityType>,
    pub entity: Option<u32>,
    pub gender: Gender,
    pub anonymous: bool,
}

/// One quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub kind: QuoteKind,
    pub content: Span,
    pub cue: Option<Span>,
    pub speaker: Option<Speaker>,
    /// 0–1.
    pub confidence: f32,
    /// −1–1, the content's overall polarity.
    pub polarity: f32,
}

/// Quote extraction, with its resources.
#[derive(Debug, Default)]
pub struct QuoteStage {}

impl QuoteStage {
    /// Finds the quotes of one document. Pure.
    pub fn run(&self, _doc: &Document, _entities: &Entities) -> Vec<Quote> {
        Vec::new()
    }
}
