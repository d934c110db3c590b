//! The extraction stages. Each is a pure function of one article (its
//! [`Document`] and the outputs of the stages before it) plus read-only
//! resources built once in [`Stages::new`]; none does I/O or keeps state
//! between articles, so any number of workers can run them side by side.
//!
//! Spans are cleaned byte ranges of the document ([`Span`]); the output layer
//! maps them to original code point offsets.

pub mod entities;
pub mod quotes;
pub mod stance;

/// A cleaned byte range of a [`Document`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }
}

/// Entity types, named as in OntoNotes (what spaCy users know).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityType {
    Person,
    Org,
    Gpe,
    Loc,
    Norp,
    Misc,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Gpe => "GPE",
            EntityType::Loc => "LOC",
            EntityType::Norp => "NORP",
            EntityType::Misc => "MISC",
        }
    }
}

/// Gender of a person, where the article or first-name statistics tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Gender {
    #[default]
    Unknown,
    Female,
    Male,
}

impl Gender {
    /// The table cell: `female`, `male` or empty.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Unknown => "",
            Gender::Female => "female",
            Gender::Male => "male",
        }
    }
}

/// Everything the stages found in one article.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub entities: entities::Entities,
    pub quotes: Vec<quotes::Quote>,
    pub stance: Vec<stance::Evidence>,
}

/// How far a run goes: each stage needs the ones before it.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Upto {
    /// Entities only: mentions.csv and entities.csv (about twice as fast).
    Entities,
    /// Entities and quotes, without stance.
    Quotes,
    /// Every stage.
    #[default]
    All,
}

/// The stages with their read-only resources, built once per run and shared
/// by reference between workers.
#[derive(Debug, Default)]
pub struct Stages {
    pub entities: entities::EntityStage,
    pub quotes: quotes::QuoteStage,
    pub stance: stance::StanceStage,
    /// The last stage that runs.
    pub upto: Upto,
}

impl Stages {
    pub fn new() -> Stages {
        Stages::default()
    }

    /// The stages up to `upto`.
    pub fn upto(upto: Upto) -> Stages {
        Stages { upto, ..Stages::default() }
    }
}
