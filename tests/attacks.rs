//! Attacks on the verdict, written as a candidate who has read the public
//! harness would write them, graded by the real binary with real Go.
//!
//! Each file in `tests/fixtures/attacks/` starts with
//! `// gograde-attack: exercise=ID status=S [max_earned=N] [args=A,B]`:
//! `status=!pass` means anything but a pass, and `max_earned` is the score
//! the same wrong code earns honestly, which no attack may raise. Correct
//! twins (`status=pass`) show that good-faith code that merely looks like
//! an attack (helpers named like builtins or harness internals) still
//! passes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

mod common;

#[derive(Debug, Default)]
struct Attack {
    file: PathBuf,
    exercise: String,
    status: String,
    max_earned: Option<u64>,
    args: Vec<String>,
}

fn attacks() -> Vec<Attack> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attacks");
    let mut found: Vec<Attack> = std::fs::read_dir(&dir)
        .expect("attack fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "go"))
        .map(|file| {
            let text = std::fs::read_to_string(&file).unwrap();
            let header = text
                .lines()
                .find_map(|l| l.strip_prefix("// gograde-attack:"))
                .unwrap_or_else(|| panic!("{}: no gograde-attack line", file.display()));
            let mut attack = Attack {
                file: file.clone(),
                ..Attack::default()
            };
            for field in header.split_whitespace() {
                let (key, value) = field.split_once('=').expect("key=value");
                match key {
                    "exercise" => attack.exercise = value.to_owned(),
                    "status" => attack.status = value.to_owned(),
                    "max_earned" => attack.max_earned = Some(value.parse().unwrap()),
                    "args" => attack.args = value.split(',').map(str::to_owned).collect(),
                    other => panic!("{}: unknown key {other}", file.display()),
                }
            }
            attack
        })
        .collect();
    found.sort_by(|a, b| a.file.cmp(&b.file));
    assert!(found.len() >= 10, "attack fixtures went missing");
    found
}

/// Grades the attacks sharing an exercise and extra arguments in one run.
fn grade(group: &[&Attack]) -> Vec<Value> {
    let first = group[0];
    let out = common::gograde()
        .args(["grade", "--format", "json", "--jobs", "2", "--exercise"])
        .arg(&first.exercise)
        .args(&first.args)
        .args(group.iter().map(|a| &a.file))
        .output()
        .expect("run gograde");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let parsed: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}); stderr: {stderr}"));
    match parsed {
        Value::Array(list) => list,
        one => vec![one],
    }
}

#[test]
fn no_attack_raises_a_verdict_and_no_twin_is_punished() {
    let all = attacks();
    let mut groups: BTreeMap<(String, Vec<String>), Vec<&Attack>> = BTreeMap::new();
    for attack in &all {
        groups
            .entry((attack.exercise.clone(), attack.args.clone()))
            .or_default()
            .push(attack);
    }
    let mut problems = Vec::new();
    for group in groups.values() {
        for (attack, verdict) in group.iter().zip(grade(group)) {
            let name = attack.file.file_name().unwrap().to_string_lossy();
            let status = verdict["status"].as_str().unwrap_or("?");
            let earned = verdict["score"]["earned"].as_u64().unwrap_or(0);
            let expected = match attack.status.strip_prefix('!') {
                Some(not) => status != not,
                None => status == attack.status,
            };
            if !expected {
                problems.push(format!(
                    "{name}: status {status}, wanted {}: {}",
                    attack.status, verdict["summary"]
                ));
            }
            if let Some(max) = attack.max_earned
                && earned > max
            {
                problems.push(format!(
                    "{name}: earned {earned} points, the honest wrong code earns {max}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
