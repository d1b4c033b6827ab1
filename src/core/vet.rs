//! Reads `go vet -json`: one JSON object per vetted package, keyed by the
//! package's ID and then by analyzer, each finding with its position.
//! Findings are attributed from that structure, never from vet's text,
//! because a finding's message quotes candidate code: a `Printf` argument
//! written as a raw string keeps its newlines, and in the text output its
//! lines can pass for another package's section and findings (a group
//! build vets many submissions' packages in one run). Pure.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::core::diagnostics::Diagnostic;

/// One finding: the package ID vet keyed it under (an import path, with
/// ` [... .test]` for a test variant) and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub package: String,
    pub analyzer: String,
    /// `file` as vet wrote it (absolute, after `//line` directives).
    pub diagnostic: Diagnostic,
}

impl Finding {
    /// The import path of the package, without a test variant's suffix.
    pub fn import_path(&self) -> &str {
        self.package
            .split_once(' ')
            .map_or(self.package.as_str(), |(path, _)| path)
    }
}

/// Every finding in vet's standard output under `-json`, in order, each
/// once (a package and its test variant report the same file twice).
/// Only whole JSON values are read: an analyzer's error (an object, not a
/// list) and anything that is not JSON are skipped.
pub fn parse(stdout: &str) -> Vec<Finding> {
    // The go command may put a `# package` line before a package's
    // object; a line starting with `#` cannot be inside JSON (strings
    // escape their newlines), so dropping such lines drops nothing else.
    let json: String = stdout
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| [l, "\n"])
        .collect();
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for value in serde_json::Deserializer::from_str(&json).into_iter::<Value>() {
        let Ok(Value::Object(packages)) = value else {
            break;
        };
        for (package, analyzers) in packages {
            let Value::Object(analyzers) = analyzers else {
                continue;
            };
            for (analyzer, diagnostics) in analyzers {
                let Value::Array(diagnostics) = diagnostics else {
                    continue;
                };
                for d in diagnostics {
                    let (Some(posn), Some(message)) = (d["posn"].as_str(), d["message"].as_str())
                    else {
                        continue;
                    };
                    let Some(diagnostic) = diagnostic(posn, message) else {
                        continue;
                    };
                    let key = (
                        diagnostic.file.clone(),
                        diagnostic.line,
                        diagnostic.column,
                        diagnostic.message.clone(),
                    );
                    if seen.insert(key) {
                        found.push(Finding {
                            package: package.clone(),
                            analyzer: analyzer.clone(),
                            diagnostic,
                        });
                    }
                }
            }
        }
    }
    found
}

/// `file:line:column` (the file may hold colons; line and column are the
/// last two fields) and the message.
fn diagnostic(posn: &str, message: &str) -> Option<Diagnostic> {
    let (rest, column) = posn.rsplit_once(':')?;
    let (file, line) = rest.rsplit_once(':')?;
    Some(Diagnostic {
        file: file.to_owned(),
        line: line.parse().ok()?,
        column: column.parse().ok()?,
        message: message.to_owned(),
    })
}

/// The findings in the candidate's file (`candidate_file` is the name its
/// `//line` directive gives it), as the candidate should read them: the
/// staged package's path means nothing to them, so a type is named alone.
pub fn in_candidate_file(findings: &[Finding], candidate_file: &str) -> Vec<Diagnostic> {
    findings
        .iter()
        .map(|f| &f.diagnostic)
        .filter(|d| d.file == candidate_file || d.file.ends_with(&format!("/{candidate_file}")))
        .map(|d| Diagnostic {
            message: d
                .message
                // Vetted alone as a package of one file, which go calls
                // command-line-arguments; staged as the module's package.
                .replace("command-line-arguments.", "")
                .replace(&format!("{}.", crate::core::STAGED_MODULE), ""),
            ..d.clone()
        })
        .collect()
}

/// What a grade's go vet run says: the findings in the candidate's file,
/// or, when vet failed (`go vet -json` exits 0 with findings; anything
/// else is vet itself failing), the grader's note saying so. A failed vet
/// must never read as one that found nothing.
pub fn outcome(
    exited_ok: bool,
    stdout: &str,
    stderr: &str,
    candidate_file: &str,
) -> Result<Vec<Diagnostic>, String> {
    if exited_ok {
        return Ok(in_candidate_file(&parse(stdout), candidate_file));
    }
    let why = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("no reason given");
    Err(format!("go vet failed ({why}); its findings are missing"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_vet_is_not_a_clean_one() {
        let failed = outcome(
            false,
            "",
            "# command-line-arguments\nvet: ./candidate.go:2:23: cannot use \"x\" as int value\n",
            "answer.go",
        );
        assert_eq!(
            failed,
            Err("go vet failed (vet: ./candidate.go:2:23: cannot use \"x\" as int value); its findings are missing".into())
        );
        assert_eq!(outcome(true, "{}\n", "", "answer.go"), Ok(Vec::new()));
    }

    /// Recorded from `go vet -json ./...` over a group module (go 1.26),
    /// the forger's raw string included.
    const GROUP: &str = r#"{}
{
	"gograde.local/solution/p1": {
		"printf": [
			{
				"posn": "/m/p1/answer.go:18:15",
				"end": "/m/p1/answer.go:18:17",
				"message": "fmt.Printf format %d has arg `\n# gograde.local/solution/p0\np0/answer.go:9:1: Inc passes lock by value: gograde.local/solution/p0.Counter contains sync.Mutex\n` of wrong type string"
			}
		]
	}
}
# gograde.local/solution/p2
{
	"gograde.local/solution/p2 [gograde.local/solution/p2.test]": {
		"copylocks": [
			{
				"posn": "/m/p2/answer.go:12:9",
				"message": "Inc passes lock by value: gograde.local/solution/p2.Counter contains sync.Mutex"
			}
		],
		"printf": {"error": "analysis skipped"}
	},
	"gograde.local/solution/p2": {
		"copylocks": [
			{
				"posn": "/m/p2/answer.go:12:9",
				"message": "Inc passes lock by value: gograde.local/solution/p2.Counter contains sync.Mutex"
			}
		]
	}
}
{}
"#;

    #[test]
    fn findings_come_from_the_structure_not_the_text() {
        let found = parse(GROUP);
        let summary: Vec<(&str, &str, u32)> = found
            .iter()
            .map(|f| (f.import_path(), f.analyzer.as_str(), f.diagnostic.line))
            .collect();
        assert_eq!(
            summary,
            [
                ("gograde.local/solution/p1", "printf", 18),
                ("gograde.local/solution/p2", "copylocks", 12),
            ]
        );
        assert!(found[0].diagnostic.message.contains("\np0/answer.go:9:1:"));
        assert_eq!(found[1].diagnostic.file, "/m/p2/answer.go");
        assert_eq!(found[1].diagnostic.column, 9);
    }

    #[test]
    fn the_candidates_findings_name_their_types_alone() {
        let alone = r#"{"command-line-arguments":{"copylocks":[{"posn":"/s/c.go:3:1","message":"Inc passes lock by value: command-line-arguments.Counter contains sync.Mutex"}]}}"#;
        let found = in_candidate_file(&parse(alone), "c.go");
        assert_eq!(
            found,
            [Diagnostic {
                file: "/s/c.go".into(),
                line: 3,
                column: 1,
                message: "Inc passes lock by value: Counter contains sync.Mutex".into(),
            }]
        );
        assert!(in_candidate_file(&parse(alone), "b.go").is_empty());
    }

    #[test]
    fn text_and_broken_output_give_nothing() {
        assert!(parse("p0/a.go:1:1: copylocks: x\n").is_empty());
        assert!(parse("{\"p\": {\"printf\": [{\"posn\": \"a.go:1:").is_empty());
    }
}
