//! `gograde batch` and `gograde merge` with the real binary and real Go:
//! verdicts streamed to JSON lines, nothing lost when a submission or the
//! grader itself misbehaves, resume by sha256, deterministic shards, merge.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

mod common;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn solution(exercise: &str, kind: &str, name: &str) -> PathBuf {
    repo()
        .join("exercises")
        .join(exercise)
        .join("solutions")
        .join(kind)
        .join(name)
}

fn gograde() -> Command {
    common::warm_cache();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gograde"));
    cmd.env("GOGRADE_CACHE", common::cache_dir())
        .stdin(Stdio::null());
    cmd
}

fn run(args: &[&str]) -> Output {
    gograde().args(args).output().expect("run gograde")
}

fn verdicts(out: &Path) -> Vec<Value> {
    std::fs::read_to_string(out.join("verdicts.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is a whole verdict"))
        .collect()
}

fn paths_and_statuses(out: &Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = verdicts(out)
        .iter()
        .map(|v| {
            let path = v["submission"]["path"].as_str().unwrap();
            let name = Path::new(path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, v["status"].as_str().unwrap().to_owned())
        })
        .collect();
    v.sort();
    v
}

/// A folder of submissions: two reverse answers (one right, one wrong), a
/// counter answer, a binary file named .go, and things batch must ignore.
fn submissions() -> TempDir {
    let dir = TempDir::new().unwrap();
    let copy = |from: PathBuf, to: &str| {
        let to = dir.path().join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    };
    copy(
        solution("reverse", "good", "reference.go"),
        "alice/answer.go",
    );
    copy(
        solution("reverse", "bad", "bytes_reversed.go"),
        "bob/answer.go",
    );
    copy(
        solution("counter", "good", "reference.go"),
        "carol/counter.go",
    );
    std::fs::write(
        dir.path().join("dave.go"),
        [0x7f, b'E', b'L', b'F', 0, 0, 1],
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not go").unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".git/hook.go"), "package main").unwrap();
    dir
}

#[test]
fn batch_writes_a_verdict_per_submission_and_the_reports() {
    let input = submissions();
    let out = TempDir::new().unwrap();
    let o = run(&[
        "batch",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "-j",
        "2",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(1),
        "one wrong answer and one unreadable file: {stderr}"
    );
    assert_eq!(
        paths_and_statuses(out.path()),
        [
            ("answer.go".to_owned(), "fail".to_owned()),
            ("answer.go".to_owned(), "pass".to_owned()),
            ("counter.go".to_owned(), "pass".to_owned()),
            ("dave.go".to_owned(), "rejected".to_owned()),
        ]
    );
    let rejected = verdicts(out.path())
        .into_iter()
        .find(|v| v["status"] == "rejected")
        .unwrap();
    assert!(
        rejected["summary"].as_str().unwrap().contains("binary"),
        "{rejected}"
    );
    assert_eq!(rejected["submission"]["sha256"].as_str().unwrap().len(), 64);
    assert!(stderr.contains("[4/4]"), "progress on stderr: {stderr}");
    assert!(o.stdout.is_empty(), "results go to the output directory");
    let junit = std::fs::read_to_string(out.path().join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testsuite ").count(), 4, "{junit}");
    let summary = std::fs::read_to_string(out.path().join("summary.txt")).unwrap();
    let all = summary.lines().find(|l| l.starts_with("all")).unwrap();
    assert_eq!(
        all.split_whitespace().collect::<Vec<_>>(),
        ["all", "2", "1", "0", "1", "0", "0", "4"]
    );
}

#[test]
fn resume_skips_what_is_already_graded() {
    let input = submissions();
    let out = TempDir::new().unwrap();
    let args = [
        "batch",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--resume",
    ];
    run(&args);
    assert_eq!(verdicts(out.path()).len(), 4);
    std::fs::copy(
        solution("retry", "good", "reference.go"),
        input.path().join("erin.go"),
    )
    .unwrap();
    let o = run(&args);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        stderr.matches("skipped (already graded)").count(),
        4,
        "{stderr}"
    );
    assert!(stderr.contains("1 graded now"), "{stderr}");
    let graded = paths_and_statuses(out.path());
    assert_eq!(graded.len(), 5, "{graded:?}");
    assert!(graded.contains(&("erin.go".to_owned(), "pass".to_owned())));
}

#[test]
fn shards_split_the_work_and_merge_joins_them() {
    let input = submissions();
    let outs: Vec<TempDir> = (0..3).map(|_| TempDir::new().unwrap()).collect();
    for (k, out) in outs.iter().enumerate() {
        let shard = format!("{}/3", k + 1);
        run(&[
            "batch",
            input.path().to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
            "--shard",
            &shard,
        ]);
    }
    let per_shard: Vec<usize> = outs.iter().map(|o| verdicts(o.path()).len()).collect();
    assert_eq!(
        per_shard.iter().sum::<usize>(),
        4,
        "every submission in exactly one shard: {per_shard:?}"
    );
    let merged = TempDir::new().unwrap();
    let mut args = vec!["merge", "-o", merged.path().to_str().unwrap()];
    args.extend(outs.iter().map(|o| o.path().to_str().unwrap()));
    let o = run(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(paths_and_statuses(merged.path()).len(), 4);
    let junit = std::fs::read_to_string(merged.path().join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testsuite ").count(), 4);
    // The same command again gives the same shards.
    let again = TempDir::new().unwrap();
    run(&[
        "batch",
        input.path().to_str().unwrap(),
        "-o",
        again.path().to_str().unwrap(),
        "--shard",
        "1/3",
    ]);
    assert_eq!(
        paths_and_statuses(again.path()),
        paths_and_statuses(outs[0].path())
    );
}

#[test]
fn a_manifest_names_files_and_their_exercises() {
    let dir = TempDir::new().unwrap();
    std::fs::copy(
        solution("json", "good", "reference.go"),
        dir.path().join("one.go"),
    )
    .unwrap();
    std::fs::copy(
        solution("retry", "bad", "linear_backoff.go"),
        dir.path().join("two.go"),
    )
    .unwrap();
    let manifest = dir.path().join("list.txt");
    std::fs::write(
        &manifest,
        "# candidates\none.go\tjson\ntwo.go\tretry\nmissing.go\tretry\n",
    )
    .unwrap();
    let out = TempDir::new().unwrap();
    run(&[
        "batch",
        manifest.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    let got = verdicts(out.path());
    let by_name = |n: &str| {
        got.iter()
            .find(|v| v["submission"]["path"].as_str().unwrap().ends_with(n))
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("one.go")["exercise"], "json");
    assert_eq!(by_name("one.go")["status"], "pass");
    assert_eq!(by_name("two.go")["status"], "fail");
    let missing = by_name("missing.go");
    assert_eq!(missing["status"], "rejected");
    assert!(
        missing["summary"]
            .as_str()
            .unwrap()
            .contains("no such file"),
        "{missing}"
    );
}

#[test]
fn a_killed_batch_loses_nothing_it_finished() {
    let dir = TempDir::new().unwrap();
    std::fs::copy(
        solution("reverse", "good", "reference.go"),
        dir.path().join("a.go"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.go"),
        "package main\n\nfunc Reverse(s string) string {\n\tfor {\n\t}\n}\n",
    )
    .unwrap();
    let out = TempDir::new().unwrap();
    let mut child = gograde()
        .args([
            "batch",
            dir.path().to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
            "-j",
            "1",
            "--timeout",
            "60",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait on the progress itself: the first verdict on disk. The bound is
    // only there so a broken grader cannot hang the suite; it fits a cold
    // machine many times over.
    let started = Instant::now();
    while verdicts(out.path()).is_empty() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the batch ended before its first verdict was on disk"
        );
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "no verdict after 10 minutes"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // b.go spins; kill the grader in the middle of it.
    std::thread::sleep(Duration::from_millis(500));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        paths_and_statuses(out.path()),
        [("a.go".to_owned(), "pass".to_owned())]
    );
    // Resuming finishes the rest (with a shorter limit for the spinner).
    run(&[
        "batch",
        dir.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--resume",
        "--timeout",
        "5",
    ]);
    let got = paths_and_statuses(out.path());
    assert_eq!(got.len(), 2, "{got:?}");
    assert_ne!(got[1].1, "pass");
}

#[test]
fn bad_shard_is_a_usage_error() {
    let o = run(&["batch", ".", "--shard", "4/3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--shard"));
}
