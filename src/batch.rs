//! Batch grading for CI: many submissions, unattended. Each verdict is
//! appended to `verdicts.jsonl` (and flushed) the moment it is ready, so a
//! crash or Ctrl-C loses nothing finished; `--resume` skips submissions
//! whose sha256 already has a verdict there; `--shard K/N` splits the work
//! deterministically (by a hash of each path) across CI runners; `merge`
//! joins their outputs. Reports (JUnit, summary) are written at the end
//! from the JSON lines, not from memory.

use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::engine::{self, GradeOptions};
use crate::exercise::{Catalog, Exercise};
use crate::submission::Submission;
use crate::toolchain::Toolchain;
use crate::verdict::{Status, SubmissionInfo, Verdict};

/// File of verdicts, one JSON object a line, in the output directory.
pub const VERDICTS_FILE: &str = "verdicts.jsonl";
pub const JUNIT_FILE: &str = "junit.xml";
pub const SUMMARY_FILE: &str = "summary.txt";

/// One submission to grade: its path and, from a manifest, its exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub path: PathBuf,
    pub exercise: Option<String>,
}

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

    /// Whether `path` belongs to this shard. A hash of the path, not its
    /// position, decides: adding a file does not move the others.
    pub fn owns(&self, path: &Path) -> bool {
        let digest = Sha256::digest(path.to_string_lossy().as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % self.count == self.index - 1
    }
}

/// The submissions under `input`: every `.go` file below a directory (in
/// path order, skipping hidden directories), or the lines of a manifest
/// (`path` or `path<TAB>exercise`; `#` starts a comment; relative paths are
/// relative to the manifest).
pub fn collect_items(input: &Path) -> Result<Vec<Item>, String> {
    if input.is_dir() {
        let mut items = Vec::new();
        walk(input, &mut items).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
        items.sort_by(|a, b| a.path.cmp(&b.path));
        return Ok(items);
    }
    let file =
        std::fs::File::open(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let base = input.parent().unwrap_or(Path::new("."));
    let mut items = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line.map_err(|e| format!("cannot read {}: {e}", input.display()))?;
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (path, exercise) = match line.split_once('\t') {
            Some((p, e)) => (p.trim(), Some(e.trim().to_owned())),
            None => (line, None),
        };
        let path = Path::new(path);
        items.push(Item {
            path: if path.is_absolute() {
                path.to_path_buf()
            } else {
                base.join(path)
            },
            exercise,
        });
    }
    Ok(items)
}

fn walk(dir: &Path, items: &mut Vec<Item>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type()?.is_dir() {
            if !hidden {
                walk(&path, items)?;
            }
        } else if path.extension().is_some_and(|e| e == "go") {
            items.push(Item {
                path,
                exercise: None,
            });
        }
    }
    Ok(())
}

/// The sha256s that already have a verdict in `verdicts.jsonl`.
pub fn graded_hashes(out_dir: &Path) -> BTreeSet<String> {
    let Ok(file) = std::fs::File::open(out_dir.join(VERDICTS_FILE)) else {
        return BTreeSet::new();
    };
    std::io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter_map(|v| v["submission"]["sha256"].as_str().map(str::to_owned))
        .collect()
}

/// What a batch run did, and what its output now holds.
#[derive(Debug, Default, Clone, Copy)]
pub struct Totals {
    pub graded: usize,
    pub skipped: usize,
    /// Verdicts in the output (this run's and, with --resume, earlier ones).
    pub recorded: usize,
    pub passed: usize,
    pub grader_errors: usize,
}

/// Settings of a batch run.
pub struct BatchPlan<'a> {
    pub items: Vec<Item>,
    pub fixed: Option<&'a Exercise>,
    pub out_dir: PathBuf,
    pub resume: bool,
    pub jobs: usize,
    pub options: GradeOptions,
}

/// Grades every item, appending each verdict as soon as it is ready, with
/// progress on stderr; then writes the reports.
pub fn run(
    catalog: &Catalog,
    toolchain: &Toolchain,
    plan: BatchPlan<'_>,
) -> Result<Totals, String> {
    std::fs::create_dir_all(&plan.out_dir)
        .map_err(|e| format!("cannot create {}: {e}", plan.out_dir.display()))?;
    let done = if plan.resume {
        graded_hashes(&plan.out_dir)
    } else {
        BTreeSet::new()
    };
    let verdicts_path = plan.out_dir.join(VERDICTS_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(plan.resume)
        .write(true)
        .truncate(!plan.resume)
        .open(&verdicts_path)
        .map_err(|e| format!("cannot write {}: {e}", verdicts_path.display()))?;
    let sink = Mutex::new((file, Totals::default()));
    let total = plan.items.len();
    crate::pool::for_each(&plan.items, plan.jobs, |index, item| {
        let verdict = grade_item(catalog, plan.fixed, toolchain, &plan.options, item, &done);
        let mut guard = sink.lock().expect("sink lock");
        let (file, totals) = &mut *guard;
        let Some(verdict) = verdict else {
            totals.skipped += 1;
            eprintln!(
                "[{}/{total}] skipped (already graded) {}",
                index + 1,
                item.path.display()
            );
            return;
        };
        totals.graded += 1;
        if let Ok(line) = serde_json::to_string(&verdict) {
            // One write and a flush per verdict: what is finished is
            // on disk before the next one starts.
            let _ = writeln!(file, "{line}");
            let _ = file.flush();
        }
        eprintln!(
            "[{}/{total}] {:<13} {:<10} {} ({} ms)",
            index + 1,
            verdict.status.as_str(),
            verdict.exercise,
            item.path.display(),
            verdict.timings_ms.total
        );
    });
    let (_, mut totals) = sink.into_inner().expect("sink lock");
    let recorded = write_reports(&plan.out_dir)?;
    totals.recorded = recorded.len();
    totals.passed = recorded.iter().filter(|s| s.is_success()).count();
    totals.grader_errors = recorded.iter().filter(|s| **s == Status::Error).count();
    Ok(totals)
}

/// Grades one item, or `None` when `done` already has its sha256. Input
/// that cannot be graded still gets a verdict, so nothing goes missing.
fn grade_item(
    catalog: &Catalog,
    fixed: Option<&Exercise>,
    toolchain: &Toolchain,
    options: &GradeOptions,
    item: &Item,
    done: &BTreeSet<String>,
) -> Option<Verdict> {
    let path = item.path.display().to_string();
    let submission = match Submission::load(&path) {
        Ok(s) => s,
        Err(e) => {
            let bytes = std::fs::read(&item.path).unwrap_or_default();
            let sha256 = format!("{:x}", Sha256::digest(&bytes));
            if done.contains(&sha256) {
                return None;
            }
            let info = SubmissionInfo {
                path,
                sha256,
                bytes: bytes.len() as u64,
            };
            return Some(engine::refused(
                info,
                "",
                Status::Rejected,
                &format!("Not graded: {}.", crate::error::chain(&e)),
            ));
        }
    };
    if done.contains(&submission.sha256) {
        return None;
    }
    let named = item.exercise.as_deref().or(fixed.map(Exercise::id));
    let exercise = match named {
        Some(id) => catalog
            .get(id)
            .ok_or_else(|| format!("unknown exercise '{id}'")),
        None => crate::cli::detect_exercise(catalog, &submission).map_err(|e| e.to_string()),
    };
    let info = || SubmissionInfo {
        path: submission.path.clone(),
        sha256: submission.sha256.clone(),
        bytes: submission.bytes,
    };
    Some(match exercise {
        Ok(ex) => engine::grade(toolchain, ex, &submission, options),
        Err(why) => engine::refused(
            info(),
            named.unwrap_or(""),
            Status::Rejected,
            &format!("Not graded: {why}."),
        ),
    })
}

/// Reads every `verdicts.jsonl` line of `out_dir` and writes the JUnit
/// report and the summary beside it; returns the statuses recorded.
pub fn write_reports(out_dir: &Path) -> Result<Vec<Status>, String> {
    let verdicts = read_verdicts(&out_dir.join(VERDICTS_FILE))?;
    let write = |name: &str, text: String| {
        std::fs::write(out_dir.join(name), text)
            .map_err(|e| format!("cannot write {}: {e}", out_dir.join(name).display()))
    };
    write(JUNIT_FILE, crate::report::junit::render(&verdicts))?;
    write(SUMMARY_FILE, crate::report::summary::render(&verdicts))?;
    Ok(verdicts.iter().map(|v| v.status).collect())
}

/// Every verdict in a JSON-lines file; unreadable lines (a run killed
/// mid-write) are skipped.
pub fn read_verdicts(path: &Path) -> Result<Vec<Verdict>, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(std::io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str(&l).ok())
        .collect())
}

/// Joins the outputs of several shards into `out_dir`: every verdict once
/// (by sha256 and path), then the reports.
pub fn merge(inputs: &[PathBuf], out_dir: &Path) -> Result<usize, String> {
    std::fs::create_dir_all(out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let mut seen = BTreeSet::new();
    let mut lines = String::new();
    for dir in inputs {
        for v in read_verdicts(&dir.join(VERDICTS_FILE))? {
            if seen.insert((v.submission.sha256.clone(), v.submission.path.clone()))
                && let Ok(line) = serde_json::to_string(&v)
            {
                lines.push_str(&line);
                lines.push('\n');
            }
        }
    }
    let path = out_dir.join(VERDICTS_FILE);
    std::fs::write(&path, lines).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    write_reports(out_dir)?;
    Ok(seen.len())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn manifest_lines_with_exercises_and_comments() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join("list.txt");
        std::fs::write(
            &manifest,
            "# submissions\na.go\tretry\n\nsub/b.go  # trailing comment\n/abs/c.go\n",
        )
        .unwrap();
        let items = collect_items(&manifest).unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(
            items[0],
            Item {
                path: dir.path().join("a.go"),
                exercise: Some("retry".into())
            }
        );
        assert_eq!(items[1].path, dir.path().join("sub/b.go"));
        assert_eq!(items[2].path, PathBuf::from("/abs/c.go"));
    }
}
