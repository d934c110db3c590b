//! Checkpoints of a run, for `--resume`, and the identity of a run's
//! command, which a resumed run and the shards of a merge must share.
//!
//! Every so often the writer flushes and syncs the `.partial` tables and
//! replaces `checkpoint.json` atomically (write a temporary file, sync,
//! rename, sync the directory). It records the command's identity, the
//! run-wide index of the first line not yet written, the counts so far, and
//! the byte length of every per-article table. A run killed at any moment
//! leaves a checkpoint that matches a prefix of its tables: `--resume` cuts
//! the tables back to those lengths, folds the run-wide tables from their
//! rows, and goes on from that line.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::cli::Config;
use crate::input::{FieldMap, InputSpec, Shard};
use crate::stages::Upto;

/// The checkpoint's file name in the output directory.
pub const FILE_NAME: &str = "checkpoint.json";
const FORMAT: u32 = 1;

/// What makes two runs produce the same tables: the inputs (by name as
/// given, and size) and every flag that changes the rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunIdentity {
    pub inputs: Vec<InputIdentity>,
    pub fields: FieldMap,
    pub max_article_bytes: usize,
    pub shard: Option<Shard>,
    /// `--stages`: a run that stops after entities writes other tables.
    pub stages: Upto,
    /// `--unattributed`: quotes.csv also holds quotes without a speaker.
    #[serde(default)]
    pub unattributed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputIdentity {
    pub name: String,
    pub size: Option<u64>,
}

impl RunIdentity {
    pub fn of(config: &Config, inputs: &[InputSpec]) -> RunIdentity {
        RunIdentity {
            inputs: inputs.iter().map(|i| InputIdentity { name: i.name.to_string(), size: i.size }).collect(),
            fields: config.fields.clone(),
            max_article_bytes: config.max_article_bytes,
            shard: config.shard,
            stages: config.stages,
            unattributed: config.unattributed,
        }
    }

    /// What differs between `self` (the checkpoint's) and `now`, in words.
    pub fn difference(&self, now: &RunIdentity) -> Option<String> {
        if self.inputs.len() != now.inputs.len() {
            return Some(format!("it read {} inputs, this command names {}", self.inputs.len(), now.inputs.len()));
        }
        for (then, now) in self.inputs.iter().zip(&now.inputs) {
            if then.name != now.name {
                return Some(format!("it read {} where this command reads {}", then.name, now.name));
            }
            if then.size != now.size {
                let size = |s: Option<u64>| s.map_or("unknown".to_string(), |s| format!("{s} bytes"));
                return Some(format!("{} was {} and is now {}", then.name, size(then.size), size(now.size)));
            }
        }
        if self.fields != now.fields {
            return Some("the field flags (--id-field, --text-field, …) differ".into());
        }
        if self.max_article_bytes != now.max_article_bytes {
            return Some(format!(
                "--max-article-bytes was {} and is now {}",
                self.max_article_bytes, now.max_article_bytes
            ));
        }
        if self.shard != now.shard {
            let shard = |s: Option<Shard>| s.map_or("none".to_string(), |s| format!("{}/{}", s.index, s.count));
            return Some(format!("--shard was {} and is now {}", shard(self.shard), shard(now.shard)));
        }
        if self.stages != now.stages {
            let name = |u: Upto| format!("{u:?}").to_lowercase();
            return Some(format!("--stages was {} and is now {}", name(self.stages), name(now.stages)));
        }
        if self.unattributed != now.unattributed {
            let given = |u: bool| if u { "given" } else { "not given" };
            return Some(format!(
                "--unattributed was {} and is now {}",
                given(self.unattributed),
                given(now.unattributed)
            ));
        }
        None
    }
}

/// A run's state at a batch boundary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    pub format: u32,
    pub identity: RunIdentity,
    /// Modification times of the inputs (seconds.nanoseconds since the
    /// epoch), so that an input rewritten in place is noticed.
    pub modified: Vec<Option<String>>,
    /// Run-wide index of the first line not yet accounted for.
    pub next_line: u64,
    pub articles: u64,
    pub rejects: u64,
    pub input_bytes: u64,
    /// Byte length of every per-article table (and the shard index).
    pub lengths: BTreeMap<String, u64>,
}

impl Checkpoint {
    pub fn new(identity: RunIdentity, inputs: &[InputSpec]) -> Checkpoint {
        Checkpoint {
            format: FORMAT,
            identity,
            modified: modified_times(inputs),
            next_line: 0,
            articles: 0,
            rejects: 0,
            input_bytes: 0,
            lengths: BTreeMap::new(),
        }
    }

    /// Replaces the checkpoint in `dir` atomically.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(FILE_NAME);
        let tmp = dir.join(format!("{FILE_NAME}.tmp"));
        let json = serde_json::to_vec_pretty(self).expect("a checkpoint serialises");
        let mut file = File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
        file.write_all(&json)
            .and_then(|_| file.sync_all())
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        fs::rename(&tmp, &path).with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))?;
        super::sync_dir(dir)
    }

    /// The checkpoint in `dir`, if there is one.
    pub fn load(dir: &Path) -> Result<Option<Checkpoint>> {
        let path = dir.join(FILE_NAME);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let checkpoint: Checkpoint = serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not a wirescan checkpoint", path.display()))?;
        if checkpoint.format != FORMAT {
            bail!("{} has format {}, this wirescan reads {FORMAT}", path.display(), checkpoint.format);
        }
        Ok(Some(checkpoint))
    }

    /// Checks that this checkpoint was written by the same command over the
    /// same, unchanged inputs.
    pub fn check(&self, dir: &Path, identity: &RunIdentity, inputs: &[InputSpec]) -> Result<()> {
        let path = dir.join(FILE_NAME);
        if let Some(difference) = self.identity.difference(identity) {
            bail!(
                "cannot resume: {} is from another command ({difference}); rerun that command with --resume, or \
                 delete {} to start this one over",
                path.display(),
                path.display()
            );
        }
        for ((then, now), spec) in self.modified.iter().zip(modified_times(inputs)).zip(inputs) {
            if *then != now {
                bail!(
                    "cannot resume: input {} was modified after {} was written; delete the checkpoint to start over",
                    spec.name,
                    path.display()
                );
            }
        }
        Ok(())
    }
}

/// Removes the checkpoint (the run completed), and a temporary one a kill
/// may have left.
pub fn remove(dir: &Path) -> Result<()> {
    let _ = fs::remove_file(dir.join(format!("{FILE_NAME}.tmp")));
    let path: PathBuf = dir.join(FILE_NAME);
    match fs::remove_file(&path) {
        Ok(()) => super::sync_dir(dir),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot remove {}", path.display())),
    }
}

fn modified_times(inputs: &[InputSpec]) -> Vec<Option<String>> {
    inputs
        .iter()
        .map(|spec| {
            let modified = fs::metadata(&spec.path).and_then(|m| m.modified()).ok()?;
            let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
            Some(format!("{}.{:09}", since.as_secs(), since.subsec_nanos()))
        })
        .collect()
}
