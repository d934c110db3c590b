//! Named entities: mentions with types, grouped into in-article entities with
//! a resolved name ("Mr. Asgari" → "Sirous Asgari") and, for people, a gender.
//!
//! Contract: mentions are in text order and never overlap; every mention
//! belongs to exactly one entity; entity ids are dense, starting at 0, in order
//! of first mention.
//!
//! Status: the interface is final; recognition itself is the next issue
//! (entities), so [`EntityStage::run`] finds no entities yet.

use crate::stages::{EntityType, Gender, Span};
use crate::text::Document;

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
}

/// Entity recognition and in-article resolution, with its resources.
#[derive(Debug, Default)]
pub struct EntityStage {}

impl EntityStage {
    /// Finds the entities of one document. Pure.
    pub fn run(&self, _doc: &Document) -> Entities {
        Entities::default()
    }
}
