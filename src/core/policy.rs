//! Rules a submission must meet before anything of it runs: which imports
//! are allowed. Pure. A fast first pass on the scanner's import paths
//! (decoded as Go decodes string literals); the type-aware check
//! (`typecheck`) applies the full import rule, and the others, to the
//! file as Go parses it.

/// Import paths refused outright, with the reason shown to the user.
const FORBIDDEN: &[(&str, &str)] = &[
    ("C", "cgo is not allowed"),
    ("unsafe", "unsafe memory access is not allowed"),
    ("syscall", "raw system calls are not allowed"),
    ("os/exec", "starting processes is not allowed"),
    ("plugin", "loading plugins is not allowed"),
    ("net", "network access is not allowed"),
    ("golang.org/x/sys/unix", "raw system calls are not allowed"),
];

/// Why a submission is refused before running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub import: String,
    pub rule: String,
}

/// The rule's name, shared with the type-aware check's import rule.
pub const RULE: &str = "forbidden-import";

impl Refusal {
    /// The `rejected` summary, with the import's line when known: "Rejected
    /// before running: line 3 imports "unsafe": unsafe memory access is not
    /// allowed (rule: forbidden-import)."
    pub fn summary(&self, line: Option<u32>) -> String {
        let at = line.map(|l| format!("line {l} ")).unwrap_or_default();
        format!(
            "Rejected before running: {at}imports \"{}\": {} (rule: {RULE}).",
            self.import, self.rule
        )
    }
}

/// The first import that breaks a rule, if any; `allowed` lists paths an
/// exercise explicitly permits.
pub fn check_imports<'a>(
    imports: impl IntoIterator<Item = &'a String>,
    allowed: &[String],
) -> Option<Refusal> {
    for path in imports {
        if allowed.contains(path) {
            continue;
        }
        for (forbidden, rule) in FORBIDDEN {
            let nested = path.starts_with(&format!("{forbidden}/")) && *forbidden == "net";
            if path == forbidden || nested {
                return Some(Refusal {
                    import: path.clone(),
                    rule: (*rule).to_owned(),
                });
            }
        }
        let first = path.split('/').next().unwrap_or(path);
        if first.contains('.') {
            return Some(Refusal {
                import: path.clone(),
                rule: "only the standard library is available (the grader is offline)".into(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(paths: &[&str]) -> Option<String> {
        let owned: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        check_imports(&owned, &[]).map(|r| r.import)
    }

    #[test]
    fn refuses_dangerous_and_third_party_imports() {
        assert_eq!(check(&["fmt", "sync"]), None);
        assert_eq!(check(&["fmt", "os/exec"]), Some("os/exec".into()));
        assert_eq!(check(&["net/http"]), Some("net/http".into()));
        assert_eq!(check(&["C"]), Some("C".into()));
        assert_eq!(check(&["github.com/x/y"]), Some("github.com/x/y".into()));
        assert_eq!(check(&["network"]), None);
        let refusal = check_imports(&["unsafe".to_string()], &[]).unwrap();
        assert_eq!(
            refusal.summary(Some(3)),
            "Rejected before running: line 3 imports \"unsafe\": unsafe memory access is not allowed (rule: forbidden-import)."
        );
        let net = vec!["net".to_string()];
        assert_eq!(check_imports(&net, &net), None, "allowed by the exercise");
    }
}
