//! `gograde guide` through the real binary: the default guide in each
//! format, a guides folder that adds and replaces, and the errors a user
//! can make. No Go toolchain is needed: a guide is only read and printed.

mod common;

use std::path::Path;
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

/// A guide needs no Go, so no warm cache either.
fn gograde(args: &[&str]) -> Output {
    common::gograde_with_cache(&common::cache_dir())
        .args(args)
        .output()
        .expect("run gograde")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn the_default_guide() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("guides/senior-aws-go/guide.toml"),
    )
    .unwrap()
}

#[test]
fn the_default_guide_prints_in_each_format() {
    let human = gograde(&["guide"]);
    assert!(human.status.success(), "{}", text(&human.stderr));
    let out = text(&human.stdout);
    assert!(out.starts_with("Senior engineer, AWS and Go (one hour) (senior-aws-go, 60 min)"));
    for (n, minutes) in [5, 10, 15, 15, 10, 5].iter().enumerate() {
        let needle = format!("Phase {}  ", n + 1);
        let line = out.lines().find(|l| l.starts_with(&needle)).expect(&needle);
        assert!(line.contains(&format!("[{minutes} min,")), "{line}");
    }
    assert_eq!(out.matches("A strong answer covers:").count(), 11);

    let md = gograde(&["guide", "senior-aws-go", "--format", "markdown"]);
    assert!(md.status.success());
    let md = text(&md.stdout);
    assert!(md.starts_with("# Senior engineer, AWS and Go (one hour)\n"));
    assert_eq!(md.matches("\n### q").count(), 11);
    assert!(md.contains("| `counter` | "));

    let json = gograde(&["guide", "--format", "json"]);
    assert!(json.status.success());
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["id"], "senior-aws-go");
    assert_eq!(value["planned_minutes"], 60);
    let coding: Vec<&str> = value["coding"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["exercise"].as_str().unwrap())
        .collect();
    assert_eq!(
        coding,
        ["reverse", "counter", "workerpool", "retry", "json"]
    );
}

#[test]
fn a_guides_dir_adds_a_guide_and_a_broken_one_is_refused_with_its_place() {
    let dir = TempDir::new().unwrap();
    let short = the_default_guide()
        .replace("id = \"senior-aws-go\"", "id = \"short\"")
        .replace("minutes = 15", "minutes = 1");
    std::fs::create_dir(dir.path().join("short")).unwrap();
    std::fs::write(dir.path().join("short/guide.toml"), short).unwrap();
    let guides_dir = dir.path().to_str().unwrap();

    let list = gograde(&["guide", "--list", "--guides-dir", guides_dir]);
    assert!(list.status.success(), "{}", text(&list.stderr));
    let list = text(&list.stdout);
    assert!(list.contains("senior-aws-go    60 min, 6 phases"), "{list}");
    assert!(list.contains("short            32 min, 6 phases"), "{list}");

    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    let text_of_broken = the_default_guide()
        .replace("id = \"senior-aws-go\"", "id = \"broken\"")
        .replace("exercise = \"retry\"", "exercise = \"retyr\"");
    let line = text_of_broken
        .lines()
        .position(|l| l.contains("retyr"))
        .unwrap()
        + 1;
    std::fs::write(broken.join("guide.toml"), text_of_broken).unwrap();
    let refused = gograde(&["guide", "short", "--guides-dir", guides_dir]);
    assert_eq!(refused.status.code(), Some(2));
    let err = text(&refused.stderr);
    let place = format!(
        "{}:{line}: field `coding.exercise`",
        broken.join("guide.toml").display()
    );
    assert!(err.contains(&place), "{err}");
    assert!(err.contains("unknown exercise \"retyr\""), "{err}");
}

#[test]
fn an_unknown_guide_names_the_known_ones() {
    let out = gograde(&["guide", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "gograde: error: unknown guide 'nope' (known: senior-aws-go)\n"
    );
    assert!(out.stdout.is_empty());
}
