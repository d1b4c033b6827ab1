//! `gograde grade --format github` with the real binary and real Go: the
//! annotations land on the candidate's own file and line.

mod common;

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cli")
        .join(name)
}

/// 1-based number of the first line of `path` containing `needle`.
fn line_of(path: &Path, needle: &str) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1
}

fn grade_github(file: &Path) -> (Option<i32>, String, String) {
    let o = common::gograde()
        .args(["grade", "--format", "github", file.to_str().unwrap()])
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_compile_error_is_annotated_at_its_line_and_column() {
    let file = fixture("syntax_error_line7.go");
    let (code, stdout, stderr) = grade_github(&file);
    assert_eq!(code, Some(1), "{stderr}");
    let expected = format!("::error file={},line=7,col=", file.display());
    assert!(
        stdout.starts_with(&expected),
        "expected {expected}...\ngot {stdout}"
    );
    assert!(
        stdout.contains("title=gograde reverse%3A compile error::"),
        "{stdout}"
    );
}

#[test]
fn a_crash_is_annotated_at_the_candidates_panicking_line() {
    let file = fixture("counter_goroutine_panic.go");
    let panic_line = line_of(&file, "panic(\"boom from a goroutine\")");
    let (code, stdout, stderr) = grade_github(&file);
    assert_eq!(code, Some(1), "{stderr}");
    let at_panic = format!("::error file={},line={panic_line},", file.display());
    assert!(
        stdout.lines().any(|l| l.starts_with(&at_panic)),
        "expected a line starting {at_panic}\ngot {stdout}"
    );
    // One command a line, whatever the messages held.
    for line in stdout.lines() {
        assert!(
            line.starts_with("::error ") || line.starts_with("::warning "),
            "{line}"
        );
    }
}

#[test]
fn a_pass_prints_no_annotation() {
    let (code, stdout, stderr) = grade_github(&fixture("reverse_good.go"));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "");
}
