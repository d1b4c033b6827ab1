//! Gradescope autograder `results.json`: the score (core, robustness and
//! performance points), the summary as output, one entry per test with its
//! points. Several submissions give a JSON array.

use serde_json::{Value, json};

use crate::verdict::{Category, TestStatus, Verdict};

pub fn render(verdicts: &[Verdict], several: bool) -> String {
    super::json::one_or_many(verdicts.iter().map(document).collect(), several)
}

fn document(v: &Verdict) -> Value {
    let tests: Vec<Value> = v
        .tests
        .iter()
        .map(|t| {
            let passed = t.status == TestStatus::Pass;
            let mut output = t.message.clone();
            if let (Some(e), Some(a)) = (&t.expected, &t.actual) {
                output.push_str(&format!("\nexpected: {e}\nactual:   {a}"));
            }
            let mut test = json!({
                "name": format!("{} ({})", t.description, t.name),
                "status": if passed { "passed" } else { "failed" },
                "output": output,
            });
            if t.category != Category::Followup {
                test["score"] = json!(t.earned);
                test["max_score"] = json!(t.points);
            }
            test
        })
        .collect();
    let mut output = format!("{}: {}", v.status.as_str(), v.summary);
    for e in &v.compile_errors {
        output.push_str(&format!(
            "\n{}:{}:{}: {}",
            e.file, e.line, e.column, e.message
        ));
    }
    json!({
        "score": v.score.earned,
        "max_score": v.score.possible,
        "output": output,
        "visibility": "visible",
        "tests": tests,
    })
}
