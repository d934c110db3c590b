//! Run-wide tables as folds of per-article facts: stance per source
//! (stance.csv) and sources (sources.csv).
//!
//! Both are pure folds over the evidence in input order, keyed and sorted by
//! their text columns, so that the tables of a run over parts of a dump can be
//! recomputed from the parts' evidence rows and come out the same.
//!
//! A polarity above +0.05 counts as positive, below −0.05 as negative, and
//! anything between as neutral (VADER's convention).

use std::collections::{BTreeMap, BTreeSet};

use crate::stages::Gender;

/// Polarity beyond which evidence counts as positive or negative.
pub const NEUTRAL_BAND: f32 = 0.05;

/// A quoted source in one article.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFact {
    pub name: String,
    pub kind: String,
    pub gender: Gender,
    pub anonymous: bool,
}

/// One piece of stance evidence in one article.
#[derive(Debug, Clone, PartialEq)]
pub struct StanceFact {
    pub source: String,
    pub source_type: String,
    pub target: String,
    pub target_type: String,
    pub polarity: f32,
}

/// What one article contributes to the run-wide tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleFacts {
    pub outlet: String,
    /// One entry per attributed quote.
    pub sources: Vec<SourceFact>,
    pub stance: Vec<StanceFact>,
}

type StanceKey = (String, String, String, String);
type SourceKey = (String, String);

#[derive(Debug, Default, Clone)]
struct StanceTotals {
    evidence: u64,
    articles: u64,
    positive: u64,
    negative: u64,
    neutral: u64,
    polarity_sum: f64,
}

#[derive(Debug, Default, Clone)]
struct SourceTotals {
    quotes: u64,
    articles: u64,
    outlets: BTreeSet<String>,
    female: u64,
    male: u64,
    anonymous_quotes: u64,
}

/// The run-wide folds.
#[derive(Debug, Default)]
pub struct RunTotals {
    stance: BTreeMap<StanceKey, StanceTotals>,
    sources: BTreeMap<SourceKey, SourceTotals>,
}

impl RunTotals {
    /// Folds in one article's facts.
    pub fn add(&mut self, facts: &ArticleFacts) {
        for ev in &facts.stance {
            let key = (ev.source.clone(), ev.source_type.clone(), ev.target.clone(), ev.target_type.clone());
            let totals = self.stance.entry(key).or_default();
            totals.evidence += 1;
            match classify(ev.polarity) {
                Sign::Positive => totals.positive += 1,
                Sign::Negative => totals.negative += 1,
                Sign::Neutral => totals.neutral += 1,
            }
            totals.polarity_sum += ev.polarity as f64;
        }
        // `articles` counts each key once per article.
        let pairs: BTreeSet<StanceKey> = facts
            .stance
            .iter()
            .map(|ev| (ev.source.clone(), ev.source_type.clone(), ev.target.clone(), ev.target_type.clone()))
            .collect();
        for key in pairs {
            self.stance.get_mut(&key).expect("added above").articles += 1;
        }

        for s in &facts.sources {
            let totals = self.sources.entry((s.name.clone(), s.kind.clone())).or_default();
            totals.quotes += 1;
            match s.gender {
                Gender::Female => totals.female += 1,
                Gender::Male => totals.male += 1,
                Gender::Unknown => {}
            }
            totals.anonymous_quotes += u64::from(s.anonymous);
        }
        let keys: BTreeSet<SourceKey> = facts.sources.iter().map(|s| (s.name.clone(), s.kind.clone())).collect();
        for key in keys {
            let totals = self.sources.get_mut(&key).expect("added above");
            totals.articles += 1;
            if !facts.outlet.is_empty() {
                totals.outlets.insert(facts.outlet.clone());
            }
        }
    }

    /// stance.csv rows (no header), sorted by source, source type, target,
    /// target type.
    pub fn write_stance(&self, out: &mut Vec<u8>) {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(out);
        for ((source, source_type, target, target_type), t) in &self.stance {
            let mean = t.polarity_sum / t.evidence as f64;
            w.write_record([
                source.as_str(),
                source_type,
                target,
                target_type,
                &t.evidence.to_string(),
                &t.articles.to_string(),
                &t.positive.to_string(),
                &t.negative.to_string(),
                &t.neutral.to_string(),
                &format_mean(mean),
            ])
            .expect("writing to memory");
        }
        w.flush().expect("writing to memory");
    }

    /// sources.csv rows (no header), sorted by source and source type.
    /// `gender` is the majority of the genders its quotes carried (empty on a
    /// tie or none); `anonymous` is true when most of its quotes were
    /// anonymous.
    pub fn write_sources(&self, out: &mut Vec<u8>) {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(out);
        for ((name, kind), t) in &self.sources {
            let gender = match t.female.cmp(&t.male) {
                std::cmp::Ordering::Greater => Gender::Female,
                std::cmp::Ordering::Less => Gender::Male,
                std::cmp::Ordering::Equal => Gender::Unknown,
            };
            let anonymous = t.anonymous_quotes * 2 > t.quotes;
            w.write_record([
                name.as_str(),
                kind,
                gender.as_str(),
                &t.quotes.to_string(),
                &t.articles.to_string(),
                &t.outlets.len().to_string(),
                &anonymous.to_string(),
            ])
            .expect("writing to memory");
        }
        w.flush().expect("writing to memory");
    }
}

enum Sign {
    Positive,
    Negative,
    Neutral,
}

fn classify(polarity: f32) -> Sign {
    if polarity > NEUTRAL_BAND {
        Sign::Positive
    } else if polarity < -NEUTRAL_BAND {
        Sign::Negative
    } else {
        Sign::Neutral
    }
}

fn format_mean(mean: f64) -> String {
    let rounded = (mean * 1000.0).round() / 1000.0;
    if rounded == 0.0 { "0.000".to_string() } else { format!("{rounded:.3}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stance(source: &str, target: &str, polarity: f32) -> StanceFact {
        StanceFact {
            source: source.into(),
            source_type: "PERSON".into(),
            target: target.into(),
            target_type: "GPE".into(),
            polarity,
        }
    }

    fn source(name: &str, gender: Gender, anonymous: bool) -> SourceFact {
        SourceFact { name: name.into(), kind: "PERSON".into(), gender, anonymous }
    }

    fn tables(articles: &[ArticleFacts]) -> (String, String) {
        let mut totals = RunTotals::default();
        for a in articles {
            totals.add(a);
        }
        let (mut s, mut p) = (Vec::new(), Vec::new());
        totals.write_stance(&mut s);
        totals.write_sources(&mut p);
        (String::from_utf8(s).unwrap(), String::from_utf8(p).unwrap())
    }

    #[test]
    fn folds_count_evidence_articles_and_signs() {
        let a = ArticleFacts {
            outlet: "wire".into(),
            sources: vec![source("Ali Rabiei", Gender::Male, false), source("Ali Rabiei", Gender::Male, false)],
            stance: vec![stance("Ali Rabiei", "United States", -0.6), stance("Ali Rabiei", "United States", 0.0)],
        };
        let b = ArticleFacts {
            outlet: "post".into(),
            sources: vec![
                source("Ali Rabiei", Gender::Unknown, false),
                source("a senior official", Gender::Unknown, true),
            ],
            stance: vec![stance("Ali Rabiei", "United States", 0.3), stance("Ali Rabiei", "Iran", 0.5)],
        };
        let (stance_csv, sources_csv) = tables(&[a, b]);
        assert_eq!(
            stance_csv,
            "Ali Rabiei,PERSON,Iran,GPE,1,1,1,0,0,0.500\nAli Rabiei,PERSON,United States,GPE,3,2,1,1,1,-0.100\n"
        );
        assert_eq!(sources_csv, "Ali Rabiei,PERSON,male,3,2,2,false\na senior official,PERSON,,1,1,1,true\n");
    }

    #[test]
    fn rows_are_sorted_by_key_whatever_the_input_order() {
        let articles: Vec<ArticleFacts> = (0..6)
            .map(|i| ArticleFacts {
                outlet: format!("o{}", i % 2),
                sources: vec![source(&format!("S{}", 5 - i), Gender::Female, false)],
                // Exact binary fractions, so the sums do not depend on order.
                stance: vec![stance(&format!("S{}", i % 3), "T", (i as f32 - 2.0) / 4.0)],
            })
            .collect();
        let forward = tables(&articles);
        let mut reversed = articles.clone();
        reversed.reverse();
        assert_eq!(forward, tables(&reversed));
        assert!(forward.1.starts_with("S0,"));
        assert!(forward.0.starts_with("S0,PERSON,T,GPE,2,2,1,1,0,-0.125\n"), "{}", forward.0);
    }
}
