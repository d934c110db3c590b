//! Shared by the integration tests.

/// Every table a run writes, in the contract's order.
pub const TABLES: [&str; 8] = [
    "articles.csv",
    "mentions.csv",
    "entities.csv",
    "quotes.csv",
    "stance_evidence.csv",
    "stance.csv",
    "sources.csv",
    "rejects.csv",
];
