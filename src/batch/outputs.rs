//! A batch's output directory: `verdicts.jsonl` read one line at a time,
//! the reports written from it, and `merge` of several shards' outputs.
//!
//! Memory stays flat however large the batch: no verdict is kept after it
//! is written. The reports need totals before their first line (the JUnit
//! root's counts, the summary table), so they take two passes over the
//! file: one to count, one to write each verdict's part.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::report::{github, junit, summary};
use crate::verdict::Verdict;

/// File of verdicts, one JSON object a line, in the output directory.
pub const VERDICTS_FILE: &str = "verdicts.jsonl";
/// JUnit XML, one testsuite per submission.
pub const JUNIT_FILE: &str = "junit.xml";
/// Counts per exercise and status, and the submissions that did not pass.
pub const SUMMARY_FILE: &str = "summary.txt";
/// GitHub Actions annotations; `cat` it in a workflow step to show them.
pub const ANNOTATIONS_FILE: &str = "annotations.txt";

/// Calls `each` with every verdict of a JSON-lines file, in order, one in
/// memory at a time. Unreadable lines (a run killed mid-write) are skipped.
pub fn for_each_verdict(path: &Path, mut each: impl FnMut(Verdict)) -> Result<(), String> {
    let file = File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if let Ok(verdict) = serde_json::from_str(&line) {
            each(verdict);
        }
    }
    Ok(())
}

/// Writes the JUnit report, the summary and the annotations beside
/// `verdicts.jsonl` in `out_dir`, streaming; returns the counts recorded.
pub fn write_reports(out_dir: &Path) -> Result<summary::Tally, String> {
    let verdicts = out_dir.join(VERDICTS_FILE);
    let mut tally = summary::Tally::default();
    let mut totals = junit::Totals::default();
    for_each_verdict(&verdicts, |v| {
        tally.add(&v);
        totals.add(&v);
    })?;

    let create = |name: &str| {
        let path = out_dir.join(name);
        File::create(&path)
            .map(BufWriter::new)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    let mut junit_out = create(JUNIT_FILE)?;
    let mut summary_out = create(SUMMARY_FILE)?;
    let mut github_out = create(ANNOTATIONS_FILE)?;
    let mut failed: Option<std::io::Error> = None;
    let mut keep = |result: std::io::Result<()>| {
        if let Err(e) = result {
            failed.get_or_insert(e);
        }
    };
    keep(junit_out.write_all(junit::header(&totals).as_bytes()));
    keep(summary_out.write_all(summary::table(&tally).as_bytes()));
    if tally.not_passed() > 0 {
        keep(summary_out.write_all(summary::NOT_PASSED_HEADING.as_bytes()));
    }
    for_each_verdict(&verdicts, |v| {
        keep(junit_out.write_all(junit::suite_xml(&v).as_bytes()));
        if let Some(line) = summary::not_passed_line(&v) {
            keep(summary_out.write_all(line.as_bytes()));
        }
        keep(github_out.write_all(github::annotations(&v).as_bytes()));
    })?;
    keep(junit_out.write_all(junit::FOOTER.as_bytes()));
    for out in [&mut junit_out, &mut summary_out, &mut github_out] {
        keep(out.flush());
    }
    match failed {
        Some(e) => Err(format!(
            "cannot write the reports in {}: {e}",
            out_dir.display()
        )),
        None => Ok(tally),
    }
}

/// Joins the outputs of several shards into `out_dir`: every verdict once
/// (by sha256 and path, in the order met), then the reports. Lines are
/// copied as they are read; only a 32-byte digest per verdict is kept, to
/// drop duplicates (the same shard given twice, a resumed run).
pub fn merge(inputs: &[PathBuf], out_dir: &Path) -> Result<usize, String> {
    std::fs::create_dir_all(out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let path = out_dir.join(VERDICTS_FILE);
    let mut out = File::create(&path)
        .map(BufWriter::new)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let mut seen: BTreeSet<[u8; 32]> = BTreeSet::new();
    let mut failed = None;
    for dir in inputs {
        for_each_verdict(&dir.join(VERDICTS_FILE), |v| {
            let mut key = Sha256::new();
            key.update(v.submission.sha256.as_bytes());
            key.update([0]);
            key.update(v.submission.path.as_bytes());
            if seen.insert(key.finalize().into())
                && let Ok(line) = serde_json::to_string(&v)
                && let Err(e) = writeln!(out, "{line}")
            {
                failed.get_or_insert(e);
            }
        })?;
    }
    if let Some(e) = failed.or_else(|| out.flush().err()) {
        return Err(format!("cannot write {}: {e}", path.display()));
    }
    drop(out);
    write_reports(out_dir)?;
    Ok(seen.len())
}
