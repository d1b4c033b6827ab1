//! Exercism test-runner `results.json`, version 3: `status` pass, fail or
//! error, a `message` when nothing ran, one entry per test. Several
//! submissions give a JSON array of such documents.

use serde_json::{Value, json};

use crate::verdict::{Status, TestStatus, Verdict};

pub fn render(verdicts: &[Verdict], several: bool) -> String {
    super::json::one_or_many(verdicts.iter().map(document).collect(), several)
}

fn document(v: &Verdict) -> Value {
    let status = match v.status {
        Status::Pass => "pass",
        Status::Fail | Status::Timeout => "fail",
        Status::CompileError | Status::Rejected | Status::Error => "error",
    };
    let tests: Vec<Value> = v
        .tests
        .iter()
        .filter(|t| t.status != TestStatus::Skip)
        .map(|t| {
            let status = match t.status {
                TestStatus::Pass => "pass",
                TestStatus::Fail => "fail",
                TestStatus::Error | TestStatus::Timeout | TestStatus::Skip => "error",
            };
            let mut test = json!({"name": t.description, "status": status});
            if !t.message.is_empty() {
                test["message"] = json!(t.message);
            }
            if let Some(output) = &t.output {
                test["output"] = json!(output);
            }
            test
        })
        .collect();
    let mut doc = json!({"version": 3, "status": status, "tests": tests});
    if status == "error" {
        let mut message = v.summary.clone();
        for e in &v.compile_errors {
            message.push_str(&format!(
                "\n{}:{}:{}: {}",
                e.file, e.line, e.column, e.message
            ));
        }
        doc["message"] = json!(message);
    }
    doc
}
