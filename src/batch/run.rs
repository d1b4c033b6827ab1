//! Batch grading for CI: many submissions, unattended. Each verdict is
//! appended to `verdicts.jsonl` (and flushed) the moment it is ready, so a
//! crash or Ctrl-C loses nothing finished; `--resume` skips submissions
//! whose sha256 already has a verdict there; `--shard K/N` splits the work
//! deterministically (by a hash of each path) across CI runners; `merge`
//! joins their outputs. Reports (JUnit, summary, annotations) are written
//! at the end from the JSON lines by `outputs`, not from memory. Progress
//! is reported as [`Event`]s to a consumer (see `progress`).
//!
//! The grading itself is `pipeline`'s, shared with `grade` of several
//! files.

use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::batch::outputs;
use crate::batch::pipeline;
use crate::exercise::{Catalog, Exercise};
use crate::grade::engine;
use crate::grade::options::GradeOptions;
use crate::grade::submission::Submission;
use crate::grade::toolchain::Toolchain;
use crate::verdict::{Status, SubmissionInfo, Verdict};

/// One submission to grade: its path and, from a manifest, its exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub path: PathBuf,
    pub exercise: Option<String>,
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

/// The sha256s that already have a verdict in `verdicts.jsonl`: what
/// `--resume` skips. (The one thing kept per submission, 64 bytes each.)
pub fn graded_hashes(out_dir: &Path) -> BTreeSet<String> {
    let Ok(file) = std::fs::File::open(out_dir.join(outputs::VERDICTS_FILE)) else {
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

/// What the batch runner tells whoever watches it (a progress bar, plain
/// log lines). The runner itself never prints.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// Grading begins: `total` submissions in this run's share.
    Started { total: usize },
    /// One submission is done: graded now (`Some`, already on disk) or
    /// skipped because its sha256 already had a verdict (`None`).
    Finished {
        path: &'a Path,
        verdict: Option<&'a Verdict>,
    },
}

/// Grades every item, appending each verdict to `verdicts.jsonl` as soon
/// as it is ready and telling `on_event`; then writes the reports. Events
/// arrive one at a time (never concurrently), in the order verdicts hit
/// the disk. Nothing about a submission is kept once its line is written.
pub fn run(
    catalog: &Catalog,
    toolchain: &Toolchain,
    plan: BatchPlan<'_>,
    on_event: &(dyn Fn(Event<'_>) + Sync),
) -> Result<Totals, String> {
    std::fs::create_dir_all(&plan.out_dir)
        .map_err(|e| format!("cannot create {}: {e}", plan.out_dir.display()))?;
    let done = if plan.resume {
        graded_hashes(&plan.out_dir)
    } else {
        BTreeSet::new()
    };
    let verdicts_path = plan.out_dir.join(outputs::VERDICTS_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(plan.resume)
        .write(true)
        .truncate(!plan.resume)
        .open(&verdicts_path)
        .map_err(|e| format!("cannot write {}: {e}", verdicts_path.display()))?;
    on_event(Event::Started {
        total: plan.items.len(),
    });
    let sink = Mutex::new((file, Totals::default()));
    let record = |item: &Item, verdict: Option<Verdict>| {
        let mut guard = sink.lock().expect("sink lock");
        let (file, totals) = &mut *guard;
        match &verdict {
            Some(verdict) => {
                totals.graded += 1;
                if let Ok(line) = serde_json::to_string(verdict) {
                    // One write and a flush per verdict: what is finished
                    // is on disk before the next one starts.
                    let _ = writeln!(file, "{line}");
                    let _ = file.flush();
                }
            }
            None => totals.skipped += 1,
        }
        on_event(Event::Finished {
            path: &item.path,
            verdict: verdict.as_ref(),
        });
    };
    let ready = plan.items.iter().filter_map(|item| {
        let (submission, exercise) = match resolve(catalog, plan.fixed, item, &done) {
            Resolved::Skip => {
                record(item, None);
                return None;
            }
            Resolved::Done(verdict) => {
                record(item, Some(*verdict));
                return None;
            }
            Resolved::Ready(submission, exercise) => (submission, exercise),
        };
        match engine::begin(toolchain, exercise, &submission, &plan.options) {
            Ok(grade) => Some((item, grade)),
            Err(verdict) => {
                record(item, Some(*verdict));
                None
            }
        }
    });
    pipeline::grade_all(
        toolchain,
        &plan.options,
        plan.jobs,
        ready,
        &|item, verdict| record(item, Some(verdict)),
    );
    let (_, mut totals) = sink.into_inner().expect("sink lock");
    let recorded = outputs::write_reports(&plan.out_dir)?;
    totals.recorded = recorded.total();
    totals.passed = recorded.count(Status::Pass);
    totals.grader_errors = recorded.count(Status::Error);
    Ok(totals)
}

/// What to do with one item.
enum Resolved<'a> {
    /// `done` already has its sha256.
    Skip,
    /// It cannot be graded; this verdict says why.
    Done(Box<Verdict>),
    /// Grade it against this exercise.
    Ready(Submission, &'a Exercise),
}

/// Loads one item and finds its exercise. Input that cannot be graded
/// still gets a verdict, so nothing goes missing.
fn resolve<'a>(
    catalog: &'a Catalog,
    fixed: Option<&'a Exercise>,
    item: &Item,
    done: &BTreeSet<String>,
) -> Resolved<'a> {
    let path = item.path.display().to_string();
    let submission = match Submission::load(&path) {
        Ok(s) => s,
        Err(e) => {
            let bytes = std::fs::read(&item.path).unwrap_or_default();
            let sha256 = format!("{:x}", Sha256::digest(&bytes));
            if done.contains(&sha256) {
                return Resolved::Skip;
            }
            let info = SubmissionInfo {
                path,
                sha256,
                bytes: bytes.len() as u64,
            };
            return Resolved::Done(Box::new(engine::refused(
                info,
                "",
                Status::Rejected,
                &format!("Not graded: {}.", crate::error::chain(&e)),
            )));
        }
    };
    if done.contains(&submission.sha256) {
        return Resolved::Skip;
    }
    let named = item.exercise.as_deref().or(fixed.map(Exercise::id));
    let exercise = match named {
        Some(id) => catalog
            .get(id)
            .ok_or_else(|| format!("unknown exercise '{id}'")),
        None => {
            crate::grade::intake::detect_exercise(catalog, &submission).map_err(|e| e.to_string())
        }
    };
    match exercise {
        Ok(ex) => Resolved::Ready(submission, ex),
        Err(why) => {
            let info = SubmissionInfo {
                path: submission.path.clone(),
                sha256: submission.sha256.clone(),
                bytes: submission.bytes,
            };
            Resolved::Done(Box::new(engine::refused(
                info,
                named.unwrap_or(""),
                Status::Rejected,
                &format!("Not graded: {why}."),
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
