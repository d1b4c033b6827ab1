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

use common::gograde;

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
    // GitHub annotations: the wrong answer's failing tests and the binary
    // file, nothing for the passing ones.
    let annotations = std::fs::read_to_string(out.path().join("annotations.txt")).unwrap();
    let files: Vec<&str> = annotations
        .lines()
        .map(|l| {
            assert!(
                l.starts_with("::error file=") || l.starts_with("::warning file="),
                "{l}"
            );
            l.split("file=").nth(1).unwrap().split(',').next().unwrap()
        })
        .collect();
    assert!(
        files.iter().any(|f| f.ends_with("bob/answer.go")),
        "{annotations}"
    );
    assert!(
        files.iter().any(|f| f.ends_with("dave.go")),
        "{annotations}"
    );
    assert!(
        !files
            .iter()
            .any(|f| f.ends_with("alice/answer.go") || f.ends_with("counter.go")),
        "{annotations}"
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

/// A verdict without what varies from run to run of the same submission:
/// timings, and test output (which carries goroutine ids and addresses).
fn sanitised(mut v: Value) -> Value {
    let object = v.as_object_mut().unwrap();
    object.remove("timings_ms");
    for test in object["tests"].as_array_mut().unwrap() {
        let test = test.as_object_mut().unwrap();
        test.remove("duration_ms");
        test.remove("output");
    }
    v
}

fn sanitised_by_path(out: &Path) -> Vec<(String, Value)> {
    let mut got: Vec<(String, Value)> = verdicts(out)
        .into_iter()
        .map(|v| {
            (
                v["submission"]["path"].as_str().unwrap().to_owned(),
                sanitised(v),
            )
        })
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    got
}

#[test]
fn n_shards_partition_a_batch_exactly_and_merge_to_the_unsharded_verdicts() {
    let input = submissions();
    let dir = input.path();
    // More kinds of verdict, cheap to judge: rejected, compile error, a
    // second copy of a right answer (same sha256, another path).
    std::fs::write(
        dir.join("erin.go"),
        "package main\n\nimport \"os/exec\"\n\nfunc Reverse(s string) string {\n\t_ = exec.Command\n\treturn s\n}\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("frank")).unwrap();
    std::fs::write(
        dir.join("frank/answer.go"),
        "package main\n\nfunc Reverse(s string) string {\n\treturn nope\n}\n",
    )
    .unwrap();
    std::fs::copy(
        solution("reverse", "good", "reference.go"),
        dir.join("grace.go"),
    )
    .unwrap();
    std::fs::copy(
        solution("retry", "bad", "linear_backoff.go"),
        dir.join("heidi.go"),
    )
    .unwrap();
    let all = TempDir::new().unwrap();
    let o = run(&[
        "batch",
        dir.to_str().unwrap(),
        "-o",
        all.path().to_str().unwrap(),
        "-j",
        "3",
        // One seed for every run: the same inputs, so the same verdicts.
        "--seed",
        "7",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let unsharded = sanitised_by_path(all.path());
    assert_eq!(unsharded.len(), 8);

    // Three shards: two named K/N, the last from the environment as a
    // Kubernetes Indexed Job gives it (0-based).
    let shards: Vec<TempDir> = (0..3).map(|_| TempDir::new().unwrap()).collect();
    for (k, out) in shards.iter().enumerate() {
        let mut cmd = gograde();
        cmd.args([
            "batch",
            dir.to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
            "--seed",
            "7",
        ]);
        if k < 2 {
            cmd.args(["--shard", &format!("{}/3", k + 1)]);
        } else {
            cmd.args([
                "--shard-index-env",
                "JOB_COMPLETION_INDEX",
                "--shard-count",
                "3",
            ])
            .env("JOB_COMPLETION_INDEX", k.to_string());
        }
        let o = cmd.output().unwrap();
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "shard {k}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let mut owners: Vec<(String, usize)> = Vec::new();
    for (k, out) in shards.iter().enumerate() {
        for (path, _) in sanitised_by_path(out.path()) {
            owners.push((path, k));
        }
    }
    owners.sort();
    let paths: Vec<&String> = owners.iter().map(|(p, _)| p).collect();
    let expected: Vec<&String> = unsharded.iter().map(|(p, _)| p).collect();
    assert_eq!(
        paths, expected,
        "every submission in exactly one shard: {owners:?}"
    );

    let merged = TempDir::new().unwrap();
    let mut args = vec!["merge", "-o", merged.path().to_str().unwrap()];
    args.extend(shards.iter().map(|o| o.path().to_str().unwrap()));
    let o = run(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let merged_verdicts = sanitised_by_path(merged.path());
    for ((path, got), (_, want)) in merged_verdicts.iter().zip(&unsharded) {
        assert_eq!(got, want, "{path}: expected (unsharded) / got (merged)");
    }
    assert_eq!(merged_verdicts.len(), unsharded.len());
    let table = |out: &Path| {
        std::fs::read_to_string(out.join("summary.txt"))
            .unwrap()
            .split("\n\n")
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(table(merged.path()), table(all.path()));
}

#[test]
fn shard_from_the_environment_is_checked() {
    let o = gograde()
        .args([
            "batch",
            ".",
            "--shard-index-env",
            "GOGRADE_TEST_UNSET_INDEX",
            "--shard-count",
            "3",
        ])
        .env_remove("GOGRADE_TEST_UNSET_INDEX")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("GOGRADE_TEST_UNSET_INDEX is not set"),
        "{stderr}"
    );
    let o = gograde()
        .args([
            "batch",
            ".",
            "--shard-index-env",
            "IDX",
            "--shard-count",
            "3",
        ])
        .env("IDX", "3")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("out of range"));
    let o = run(&["batch", ".", "--shard-index-env", "IDX"]);
    assert_eq!(o.status.code(), Some(2), "--shard-count is required");
    let o = run(&[
        "batch",
        ".",
        "--shard",
        "1/2",
        "--shard-index-env",
        "IDX",
        "--shard-count",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(2), "one way to name the shard");
}

#[test]
fn jobs_default_to_what_the_machine_can_use() {
    let empty = TempDir::new().unwrap();
    let out = TempDir::new().unwrap();
    let o = run(&[
        "batch",
        empty.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let expected = gograde::batch::parallelism::machine_jobs(2048);
    assert!(expected >= 1);
    assert!(
        stderr.contains(&format!("({expected} at once)")),
        "expected {expected} jobs: {stderr}"
    );
}

#[test]
fn on_a_terminal_a_progress_bar_and_only_what_did_not_pass_above_it() {
    let input = submissions();
    let out = TempDir::new().unwrap();
    // script(1) gives gograde a pseudo-terminal for stdout and stderr.
    let command = format!(
        "{} batch {} -o {} -j 2",
        env!("CARGO_BIN_EXE_gograde"),
        input.path().display(),
        out.path().display()
    );
    let o = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env(
            "GOGRADE_CACHE",
            std::env::temp_dir().join("gograde-test-cache"),
        )
        .env("TERM", "xterm")
        .stdin(Stdio::null())
        .output()
        .expect("script(1) from util-linux");
    let screen = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{screen}");
    assert!(screen.contains("not passed"), "the bar's message: {screen}");
    assert!(screen.contains("/4"), "done/total: {screen}");
    assert!(
        screen.contains("fail ") && screen.contains("bob/answer.go"),
        "a failure is printed above the bar: {screen}"
    );
    assert!(
        !screen.contains("alice/answer.go"),
        "passing submissions are counted, not listed: {screen}"
    );
    assert_eq!(verdicts(out.path()).len(), 4);
}

/// Runs `cmd` to its end, bounded generously (a cold, loaded machine): a
/// hung grader fails the test instead of hanging it.
fn run_bounded(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gograde");
    let started = Instant::now();
    while child.try_wait().expect("wait for gograde").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("gograde did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().expect("collect gograde's output")
}

/// `v` without what differs between any two runs of one binary: the stage
/// directory's name, goroutine numbers and addresses in panic stacks.
fn without_run_details(v: Value) -> Value {
    let text = v.to_string();
    let mut text = regex::Regex::new(r"grade-[0-9]+-[A-Za-z0-9]+")
        .unwrap()
        .replace_all(&text, "grade-X")
        .into_owned();
    for (pattern, with) in [
        (r"goroutine [0-9]+", "goroutine N"),
        (r"0x[0-9a-f]+", "0xN"),
    ] {
        text = regex::Regex::new(pattern)
            .unwrap()
            .replace_all(&text, with)
            .into_owned();
    }
    serde_json::from_str(&text).unwrap()
}

/// A folder of the named files (copied under unique names).
fn folder(files: &[(PathBuf, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (from, to) in files {
        std::fs::copy(from, dir.path().join(to)).unwrap();
    }
    dir
}

fn cli_fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/cli").join(name)
}

/// Submissions built by one go command in a batch get the verdict a grade
/// alone gives (same seed), whether they pass, fail, panic, draw vet
/// findings or do not compile; and they really were built together.
#[test]
fn a_group_build_gives_the_verdicts_of_grades_alone() {
    let input = folder(&[
        (solution("reverse", "good", "reference.go"), "r_good.go"),
        (
            solution("reverse", "bad", "bytes_reversed.go"),
            "r_bytes.go",
        ),
        (
            solution("reverse", "bad", "manual_decode_panics.go"),
            "r_panics.go",
        ),
        (solution("reverse", "bad", "wrong_signature.go"), "r_sig.go"),
        (solution("counter", "good", "reference.go"), "c_good.go"),
        (
            solution("counter", "bad", "value_receivers.go"),
            "c_value.go",
        ),
        (cli_fixture("syntax_error_line7.go"), "r_syntax.go"),
    ]);
    let out = TempDir::new().unwrap();
    let mut batch = gograde();
    batch.args([
        "batch",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--jobs",
        "2",
        "--seed",
        "11",
    ]);
    let o = run_bounded(batch, Duration::from_secs(900));
    assert!(o.status.code().is_some(), "batch: {o:?}");
    let batched = sanitised_by_path(out.path());
    assert_eq!(batched.len(), 7, "{batched:#?}");
    // One build for the group: its members report the same compile time,
    // to the millisecond, which builds of their own would not.
    let compiled: Vec<u64> = verdicts(out.path())
        .iter()
        .filter(|v| v["status"] != "compile_error")
        .map(|v| v["timings_ms"]["compile"].as_u64().unwrap())
        .collect();
    let shared = compiled
        .iter()
        .filter(|&&ms| ms > 0 && compiled.iter().filter(|&&m| m == ms).count() > 1)
        .count();
    assert!(shared >= 2, "no two verdicts share a build: {compiled:?}");
    for (path, from_batch) in batched {
        let mut grade = gograde();
        grade.args(["grade", "--format", "json", "--seed", "11", &path]);
        let o = run_bounded(grade, Duration::from_secs(600));
        let alone: Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{path}: no verdict ({e}): {o:?}"));
        assert_eq!(
            without_run_details(sanitised(alone)),
            without_run_details(from_batch),
            "{path}: the batch's verdict differs from the grade alone"
        );
    }
}

/// A constant-folding bomb in a batch of good solutions: its group build
/// stops at the memory limit, the group is graded one by one, the good
/// ones pass and the bomb alone gets its compile error.
#[test]
fn a_compile_bomb_in_a_batch_costs_the_others_nothing() {
    let input = folder(&[
        (solution("reverse", "good", "reference.go"), "a_reverse.go"),
        (solution("counter", "good", "reference.go"), "b_counter.go"),
        (cli_fixture("compile_bomb.go"), "c_bomb.go"),
        (solution("counter", "good", "rwmutex.go"), "d_counter.go"),
    ]);
    let out = TempDir::new().unwrap();
    let mut batch = gograde();
    batch.args([
        "batch",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--jobs",
        "2",
        "--memory-mib",
        "512",
    ]);
    let o = run_bounded(batch, Duration::from_secs(900));
    assert!(o.status.code().is_some(), "batch: {o:?}");
    let got = paths_and_statuses(out.path());
    assert_eq!(
        got,
        [
            ("a_reverse.go".to_owned(), "pass".to_owned()),
            ("b_counter.go".to_owned(), "pass".to_owned()),
            ("c_bomb.go".to_owned(), "compile_error".to_owned()),
            ("d_counter.go".to_owned(), "pass".to_owned()),
        ],
        "{o:?}"
    );
    let bomb = verdicts(out.path())
        .into_iter()
        .find(|v| {
            v["submission"]["path"]
                .as_str()
                .unwrap()
                .ends_with("c_bomb.go")
        })
        .unwrap();
    assert!(
        bomb["summary"]
            .as_str()
            .unwrap()
            .contains("512 MiB memory limit"),
        "{}",
        bomb["summary"]
    );
}

/// The type-aware check holds in a group build too: a submission it refuses
/// is rejected before anything of it runs, beside good ones that pass.
#[test]
fn a_group_build_still_checks_each_submission_before_running_it() {
    let dir = TempDir::new().unwrap();
    for name in ["a.go", "c.go"] {
        std::fs::copy(
            solution("reverse", "good", "reference.go"),
            dir.path().join(name),
        )
        .unwrap();
    }
    let fixtures = repo().join("tests/fixtures/typecheck");
    let attack = std::fs::read_dir(&fixtures)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("newat"))
        .expect("a reflect.NewAt attack fixture");
    std::fs::copy(attack, dir.path().join("b.go")).unwrap();
    let out = TempDir::new().unwrap();
    run(&[
        "batch",
        dir.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--exercise",
        "reverse",
    ]);
    assert_eq!(
        paths_and_statuses(out.path()),
        [
            ("a.go".to_owned(), "pass".to_owned()),
            ("b.go".to_owned(), "rejected".to_owned()),
            ("c.go".to_owned(), "pass".to_owned()),
        ]
    );
}

/// The torn-interface attacks (a data race used to read the kit's key and
/// forge passes) graded in one batch, beside a correct reverse: none
/// passes or earns more than the identity function earns honestly (9),
/// and the correct one still passes.
#[test]
fn race_attacks_in_a_batch_neither_pass_nor_spoil_their_neighbours() {
    let dir = TempDir::new().unwrap();
    let attacks = repo().join("tests/fixtures/attacks");
    for name in [
        "race_torn_interface_init.go",
        "race_torn_interface_test.go",
        "race_torn_interface_goroutine.go",
    ] {
        std::fs::copy(attacks.join(name), dir.path().join(name)).unwrap();
    }
    std::fs::copy(
        solution("reverse", "good", "reference.go"),
        dir.path().join("reference.go"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let ran = run(&[
        "batch",
        dir.path().to_str().unwrap(),
        "--exercise",
        "reverse",
        "--jobs",
        "2",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(ran.status.code(), Some(1), "{ran:?}");
    let all = verdicts(&out);
    assert_eq!(all.len(), 4);
    for verdict in &all {
        let path = verdict["submission"]["path"].as_str().unwrap();
        let earned = verdict["score"]["earned"].as_u64().unwrap();
        if path.ends_with("reference.go") {
            assert_eq!(verdict["status"], "pass", "{verdict}");
        } else {
            assert_eq!(verdict["status"], "fail", "{path}: {}", verdict["summary"]);
            assert!(earned <= 9, "{path} earned {earned}");
        }
    }
}

/// One submission cannot edit another's vet findings in a group build. The
/// forger's Printf quotes a raw string in vet's message, and its lines read
/// like every other package's vet section with a copylocks finding in
/// `answer.go`; the victim, a correct Counter (15/15 and vet-free alone),
/// must get in the batch exactly the verdict it gets alone.
#[test]
fn a_submission_cannot_forge_vet_findings_for_another_in_its_group() {
    let input = TempDir::new().unwrap();
    for (from, to) in [
        (solution("counter", "good", "reference.go"), "alice"),
        (repo().join("tests/fixtures/batch/vet_forger.go"), "mallory"),
    ] {
        std::fs::create_dir_all(input.path().join(to)).unwrap();
        std::fs::copy(from, input.path().join(to).join("answer.go")).unwrap();
    }
    let victim = input.path().join("alice/answer.go");
    let victim = victim.to_str().unwrap();
    let mut grade = gograde();
    grade.args(["grade", "--format", "json", "--seed", "7", victim]);
    let o = run_bounded(grade, Duration::from_secs(600));
    let alone: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("no verdict ({e}): {o:?}"));
    assert_eq!(alone["status"], "pass", "{alone:#}");
    assert_eq!(alone["score"]["earned"], alone["score"]["possible"]);
    assert!(
        alone["tests"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "GoVet" && t["status"] == "pass"),
        "the victim is vet-free alone: {alone:#}"
    );

    let out = TempDir::new().unwrap();
    let mut batch = gograde();
    batch.args([
        "batch",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--jobs",
        "2",
        "--seed",
        "7",
    ]);
    let o = run_bounded(batch, Duration::from_secs(900));
    assert!(o.status.code().is_some(), "batch: {o:?}");
    let batched = sanitised_by_path(out.path());
    assert_eq!(batched.len(), 2, "{batched:#?}");
    // Built together, or the test shows nothing.
    let compiled: Vec<u64> = verdicts(out.path())
        .iter()
        .map(|v| v["timings_ms"]["compile"].as_u64().unwrap())
        .collect();
    assert_eq!(
        compiled[0], compiled[1],
        "not one group build: {compiled:?}"
    );
    let (_, from_batch) = batched
        .into_iter()
        .find(|(path, _)| path == victim)
        .expect("the victim's verdict");
    assert_eq!(
        without_run_details(from_batch),
        without_run_details(sanitised(alone)),
        "the forger changed the victim's verdict"
    );
}
