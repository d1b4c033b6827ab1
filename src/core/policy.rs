//! Rules a submission must meet before anything of it runs: which imports
//! are allowed. Pure. A fast first pass on the scanner's import paths
//! (decoded as Go decodes string literals); the type-aware check
//! (`typecheck`) applies the full import rule, and the others, to the
//! file as Go parses it.
//!
//! The forbidden imports are one table, `checker/forbidden-imports.txt`,
//! embedded here and in the check program, so both layers refuse the same
//! paths in the same words. This pass refuses the rules marked `always`;
//! those marked `live` (refused only when code that runs uses them) need
//! the check's types to tell, so this pass leaves them to it.

use std::sync::LazyLock;

/// The table, as the check program embeds it too.
const TABLE: &str = include_str!("../../checker/forbidden-imports.txt");

/// When a rule of the table refuses its import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Wherever it is imported: both layers refuse it.
    Always,
    /// Only when code that runs uses it: the type-aware check alone decides.
    Live,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForbiddenImport {
    /// A path; ending in `/`, every path below it; `*.*`, every path whose
    /// first element has a dot.
    pub path: &'static str,
    pub when: When,
    /// Shown after `imports "PATH", `.
    pub reason: String,
}

impl ForbiddenImport {
    fn covers(&self, path: &str) -> bool {
        match self.path {
            "*.*" => path
                .split('/')
                .next()
                .is_some_and(|first| first.contains('.')),
            rule if rule.ends_with('/') => path.starts_with(rule),
            rule => path == rule,
        }
    }
}

/// Reads the table: `PATH WHEN REASON...` a line, `#` comments. A line that
/// does not read is gograde's own bug, reported with its line number.
pub fn parse_table(text: &'static str) -> Result<Vec<ForbiddenImport>, String> {
    let mut rules = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let (path, when) = (fields.next(), fields.next());
        let reason = fields.collect::<Vec<_>>().join(" ");
        let when = match when {
            Some("always") => When::Always,
            Some("live") => When::Live,
            other => return Err(format!("line {}: WHEN is {other:?}", n + 1)),
        };
        match path {
            Some(path) if !reason.is_empty() => rules.push(ForbiddenImport { path, when, reason }),
            _ => return Err(format!("line {}: no PATH or no REASON", n + 1)),
        }
    }
    Ok(rules)
}

/// The embedded table (checked by this module's tests, so it reads).
pub fn table() -> &'static [ForbiddenImport] {
    static RULES: LazyLock<Vec<ForbiddenImport>> = LazyLock::new(|| {
        parse_table(TABLE).unwrap_or_else(|e| panic!("checker/forbidden-imports.txt: {e}"))
    });
    &RULES
}

/// The first rule of the table covering `path`, if any.
pub fn rule_for(path: &str) -> Option<&'static ForbiddenImport> {
    table().iter().find(|rule| rule.covers(path))
}

/// Why a submission is refused before running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub import: String,
    pub rule: String,
}

/// The rule's name, shared with the type-aware check's import rule.
pub const RULE: &str = "forbidden-import";

impl Refusal {
    /// The `rejected` summary in the check's words, with the import's line
    /// and its literal as written when known: "Rejected before running:
    /// line 3 imports "unsafe" (written "uns\x61fe"), which gives raw
    /// memory access (rule: forbidden-import)." The literal is shown when
    /// it is not the plain quoted path, as the check shows it.
    pub fn summary(&self, line: Option<u32>, literal: Option<&str>) -> String {
        let at = line.map(|l| format!("line {l} ")).unwrap_or_default();
        let quoted = format!("\"{}\"", self.import);
        let written = literal
            .filter(|l| *l != quoted)
            .map(|l| format!(" (written {l})"))
            .unwrap_or_default();
        format!(
            "Rejected before running: {at}imports {quoted}{written}, {} (rule: {RULE}).",
            self.rule
        )
    }
}

/// The first import an `always` rule refuses, if any; `allowed` lists paths
/// an exercise explicitly permits.
pub fn check_imports<'a>(
    imports: impl IntoIterator<Item = &'a String>,
    allowed: &[String],
) -> Option<Refusal> {
    imports
        .into_iter()
        .filter(|path| !allowed.contains(path))
        .find_map(|path| {
            let rule = rule_for(path).filter(|r| r.when == When::Always)?;
            Some(Refusal {
                import: path.clone(),
                rule: rule.reason.clone(),
            })
        })
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
        assert_eq!(check(&["syscall/js"]), Some("syscall/js".into()));
        assert_eq!(check(&["C"]), Some("C".into()));
        assert_eq!(check(&["runtime/debug"]), Some("runtime/debug".into()));
        assert_eq!(check(&["github.com/x/y"]), Some("github.com/x/y".into()));
        assert_eq!(check(&["network"]), None);
        assert_eq!(check(&["runtime"]), None);
        let refusal = check_imports(&["unsafe".to_string()], &[]).unwrap();
        assert_eq!(
            refusal.summary(Some(3), Some("\"uns\\x61fe\"")),
            "Rejected before running: line 3 imports \"unsafe\" (written \"uns\\x61fe\"), which gives raw memory access (rule: forbidden-import)."
        );
        assert_eq!(
            refusal.summary(None, Some("\"unsafe\"")),
            "Rejected before running: imports \"unsafe\", which gives raw memory access (rule: forbidden-import)."
        );
        let net = vec!["net".to_string()];
        assert_eq!(check_imports(&net, &net), None, "allowed by the exercise");
    }

    /// flag and testing are excused in code that never runs, which only
    /// the type-aware check can see: this pass lets them through to it.
    #[test]
    fn live_rules_are_left_to_the_type_aware_check() {
        assert_eq!(check(&["flag", "testing", "testing/quick"]), None);
        assert_eq!(rule_for("testing/quick").map(|r| r.when), Some(When::Live));
        assert_eq!(rule_for("flag").map(|r| r.when), Some(When::Live));
    }

    #[test]
    fn the_embedded_table_reads_and_first_match_decides() {
        let rules = table();
        assert!(rules.len() >= 20, "{rules:?}");
        let unix = rule_for("golang.org/x/sys/unix").unwrap();
        assert_eq!(unix.reason, "which makes raw system calls");
        assert_eq!(rule_for("example.com/m").unwrap().path, "*.*");
        assert!(parse_table("unsafe sometimes why").is_err());
        assert!(parse_table("unsafe always").is_err());
        assert_eq!(parse_table("# only a comment\n\n").unwrap(), []);
    }
}
