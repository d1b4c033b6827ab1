//! Shards: which part of a batch this CI runner grades. The split is
//! deterministic (a hash of each path), so N runners given the same input
//! and shard numbers 1..N grade every submission exactly once between them,
//! and `gograde merge` joins their outputs.

use std::path::Path;

use sha2::{Digest, Sha256};

/// `K/N`: this runner's share of the work (K counts from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `K/N` with 1 <= K <= N.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard expects K/N with 1 <= K <= N, got '{s}'");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u64, u64) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// The shard whose 0-based index is in the environment variable `var`
    /// (read through `lookup`), out of `count`. Kubernetes Indexed Jobs set
    /// `JOB_COMPLETION_INDEX` this way (0..completions-1), as do CircleCI
    /// (`CIRCLE_NODE_INDEX`) and Buildkite (`BUILDKITE_PARALLEL_JOB`).
    /// Manifests cannot do arithmetic, so the 0-based value is taken as it
    /// is rather than asking for K+1.
    pub fn from_env(
        var: &str,
        count: u64,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Shard, String> {
        if count == 0 {
            return Err("--shard-count must be at least 1".into());
        }
        let value = lookup(var).ok_or_else(|| {
            format!("--shard-index-env: the environment variable {var} is not set")
        })?;
        let index: u64 = value.trim().parse().map_err(|_| {
            format!("--shard-index-env: {var}='{value}' is not a 0-based shard index")
        })?;
        if index >= count {
            return Err(format!(
                "--shard-index-env: {var}={index} is out of range for --shard-count {count} (0..{})",
                count - 1
            ));
        }
        Ok(Shard {
            index: index + 1,
            count,
        })
    }

    /// Whether `path` belongs to this shard. A hash of the path, not its
    /// position, decides: adding a file does not move the others.
    pub fn owns(&self, path: &Path) -> bool {
        let digest = Sha256::digest(path.to_string_lossy().as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % self.count == self.index - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn shards_partition_the_work() {
        let paths: Vec<PathBuf> = (0..200)
            .map(|i| PathBuf::from(format!("sub/{i}.go")))
            .collect();
        let shards: Vec<Shard> = (1..=3).map(|k| Shard { index: k, count: 3 }).collect();
        for p in &paths {
            assert_eq!(
                shards.iter().filter(|s| s.owns(p)).count(),
                1,
                "{}",
                p.display()
            );
        }
        let first = paths.iter().filter(|p| shards[0].owns(p)).count();
        assert!((40..=95).contains(&first), "roughly a third: {first}");
    }

    #[test]
    fn shard_syntax() {
        assert_eq!(Shard::parse("2/5").unwrap(), Shard { index: 2, count: 5 });
        for bad in ["0/3", "4/3", "1/0", "x", "1-2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_zero_based_index_from_the_environment_is_shard_index_plus_one() {
        let env = |value: &'static str| move |name: &str| (name == "IDX").then(|| value.to_owned());
        assert_eq!(
            Shard::from_env("IDX", 4, env("0")).unwrap(),
            Shard { index: 1, count: 4 }
        );
        assert_eq!(
            Shard::from_env("IDX", 4, env(" 3\n")).unwrap(),
            Shard { index: 4, count: 4 }
        );
        let out_of_range = Shard::from_env("IDX", 4, env("4")).unwrap_err();
        assert!(out_of_range.contains("out of range"), "{out_of_range}");
        assert!(Shard::from_env("IDX", 4, env("one")).is_err());
        assert!(Shard::from_env("IDX", 0, env("0")).is_err());
        let unset = Shard::from_env("OTHER", 4, env("0")).unwrap_err();
        assert!(unset.contains("OTHER is not set"), "{unset}");
    }
}
