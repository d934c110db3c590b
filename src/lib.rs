//! wirescan turns news dumps (JSONL, optionally gzip or zstd compressed) into
//! tables: articles, entity mentions, quotes with resolved speakers, and stance
//! per source. See ARCHITECTURE.md for the data flow and README.md for the
//! table contract.
//!
//! Layers, in the order data moves through them: [`input`] (files,
//! decompression, lines, field mapping) → [`text`] (cleaned text with offset
//! alignment, segmentation) → [`stages`] (entities, quotes, stance; pure
//! functions of one article) → [`output`] (table rows, CSV files, run-wide
//! folds). [`pipeline`] is the only module that knows the order and owns the
//! threads.

pub mod alloc;
pub mod cli;
pub mod direct_io;
pub mod fxhash;
pub mod input;
pub mod merge;
pub mod output;
pub mod pipeline;
pub mod prefetch;
pub mod stages;
pub mod text;

pub use cli::Config;
pub use pipeline::{Outcome, run};

/// A deterministic stream of pseudo-random words for tests (xorshift64,
/// `seed` not 0).
#[cfg(test)]
pub(crate) fn test_rng(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
