//! The type-aware check before building. A small Go program (`checker/`,
//! standard library only) parses and type-checks the candidate's prepared
//! file as the only file of its package, and reports what no solution
//! needs and an attacker would use: values of type `unsafe.Pointer`, the
//! raw-memory parts of `reflect`, stack introspection, the race detector's
//! API and `//go:norace`, starting processes, forbidden imports (compared
//! after Go's decoding of the literal) and compiler directives. Each
//! finding names its rule and the candidate's line. It reports findings
//! only: the file's declarations are read by the scanner (`core::golex`),
//! which must read them anyway before anything is staged (to find the
//! exercise and its follow-ups), so the check does not list them again.
//!
//! This module is the pure part: the report as data, read from the
//! program's JSON, and the rejection it means. `build` puts the program into
//! gograde's cache; `job` runs it beside the compile.

pub mod build;
pub mod job;

use serde::Deserialize;

/// One broken rule, at the candidate's own line (0: in lines gograde added
/// before the candidate's first line).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Violation {
    pub rule: String,
    pub line: u32,
    pub column: u32,
    /// What the line does and why that is refused, e.g. "uses reflect.NewAt,
    /// which gives raw memory access".
    pub message: String,
}

/// What the check found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Report {
    /// In source order.
    pub violations: Vec<Violation>,
    /// Type errors seen (the build reports them; findings stay true).
    #[serde(default)]
    pub type_errors: u32,
    /// How the imported packages' types were loaded.
    #[serde(default)]
    pub importer: String,
    /// Imports whose types the check could not load: uses of them went
    /// unresolved, so in a file that compiles the check is incomplete.
    #[serde(default)]
    pub unloaded: Vec<String>,
    /// Declarations that never run under the grader (func main, the
    /// candidate's own tests and what only they use), listed when they are
    /// what let an import of `flag` or `testing` through.
    #[serde(default)]
    pub dead: Vec<Dropped>,
}

/// A declaration the check found never runs under the grader.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Dropped {
    pub name: String,
    pub line: u32,
}

impl Report {
    /// The `rejected` summary for the first finding, if any.
    pub fn rejection(&self) -> Option<String> {
        self.violations.first().map(rejection_summary)
    }

    /// Why the check cannot vouch for a file the compiler accepted: the
    /// types of some imports could not be loaded (a trimmed cache, a failed
    /// `go list`). Code that was not fully checked must not run.
    pub fn incomplete(&self) -> Option<String> {
        (!self.unloaded.is_empty()).then(|| {
            let paths: Vec<String> = self.unloaded.iter().map(|p| format!("\"{p}\"")).collect();
            format!("the types of {} could not be loaded", paths.join(", "))
        })
    }

    /// The note saying what is not graded because it never runs, when the
    /// check let `flag` or `testing` through for it (func main has a note
    /// of its own, from the fix-up).
    pub fn dead_code_note(&self) -> Option<String> {
        let named: Vec<String> = self
            .dead
            .iter()
            .filter(|d| d.name != "main")
            .map(|d| format!("{} (line {})", d.name, d.line))
            .collect();
        (!named.is_empty()).then(|| {
            format!(
                "your own tests, and what only they or func main use, are not graded: {}",
                named.join(", ")
            )
        })
    }

    /// One line per finding after the first, for the verdict's notes.
    pub fn further_findings(&self) -> Vec<String> {
        self.violations
            .iter()
            .skip(1)
            .map(|v| format!("{}: {} (rule: {})", where_(v), v.message, v.rule))
            .collect()
    }
}

/// Reads the program's standard output.
pub fn parse_report(stdout: &str) -> Result<Report, serde_json::Error> {
    serde_json::from_str(stdout.trim())
}

/// "Rejected before running: line 12 uses reflect.NewAt, which gives raw
/// memory access (rule: raw-memory)."
pub fn rejection_summary(v: &Violation) -> String {
    format!(
        "Rejected before running: {} {} (rule: {}).",
        where_(v),
        v.message,
        v.rule
    )
}

fn where_(v: &Violation) -> String {
    if v.line == 0 {
        "the code gograde added".to_owned()
    } else {
        format!("line {}", v.line)
    }
}

/// The line of the prepared file holding gograde's `//line` directive
/// (`fixup` writes one just before the candidate's first line), so the
/// check can report the candidate's own line numbers; 0 when there is none.
pub fn header_line(prepared: &str) -> u32 {
    prepared
        .lines()
        .position(|l| l.starts_with("//line "))
        .map_or(0, |i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"{"violations":[
        {"rule":"raw-memory","line":12,"column":7,"message":"uses reflect.NewAt, which gives raw memory access"},
        {"rule":"forbidden-import","line":0,"column":2,"message":"imports \"unsafe\" (written \"uns\\x61fe\"), which gives raw memory access"}],
      "type_errors":1,"first_errors":["x"],"importer":"export"}
"#;

    #[test]
    fn reads_the_report_and_names_rule_and_line() {
        let report = parse_report(REPORT).unwrap();
        assert_eq!(report.violations.len(), 2);
        assert_eq!(report.type_errors, 1);
        assert_eq!(report.importer, "export");
        assert_eq!(report.incomplete(), None, "unloaded is optional");
        assert_eq!(
            report.rejection().unwrap(),
            "Rejected before running: line 12 uses reflect.NewAt, which gives raw memory access (rule: raw-memory)."
        );
        assert_eq!(
            report.further_findings(),
            [
                "the code gograde added: imports \"unsafe\" (written \"uns\\x61fe\"), which gives raw memory access (rule: forbidden-import)"
            ]
        );
    }

    #[test]
    fn a_clean_report_rejects_nothing() {
        let report = parse_report(r#"{"violations":[],"type_errors":0}"#).unwrap();
        assert_eq!(report.rejection(), None);
        assert!(report.further_findings().is_empty());
    }

    #[test]
    fn dead_code_is_named_in_a_note_besides_main() {
        let report = parse_report(
            r#"{"violations":[],"dead":[{"name":"assertEqual","line":16},{"name":"main","line":20},{"name":"TestReverse","line":23}]}"#,
        )
        .unwrap();
        assert_eq!(
            report.dead_code_note().as_deref(),
            Some(
                "your own tests, and what only they or func main use, are not graded: assertEqual (line 16), TestReverse (line 23)"
            )
        );
        let only_main = parse_report(r#"{"violations":[],"dead":[{"name":"main","line":3}]}"#);
        assert_eq!(only_main.unwrap().dead_code_note(), None);
        assert_eq!(
            parse_report(r#"{"violations":[]}"#)
                .unwrap()
                .dead_code_note(),
            None
        );
    }

    #[test]
    fn unloaded_imports_make_the_check_incomplete() {
        let report =
            parse_report(r#"{"violations":[],"unloaded":["reflect","encoding/json"]}"#).unwrap();
        assert_eq!(
            report.incomplete().unwrap(),
            "the types of \"reflect\", \"encoding/json\" could not be loaded"
        );
    }

    #[test]
    fn output_that_is_not_a_report_is_an_error() {
        assert!(parse_report("").is_err());
        assert!(parse_report("panic: oops").is_err());
        assert!(
            parse_report(r#"{"type_errors":0}"#).is_err(),
            "violations are required"
        );
    }

    #[test]
    fn the_header_ends_at_gogrades_line_directive() {
        let prepared =
            "package solution\nimport (\n\t\"strings\"\n)\n//line answer.go:1:1\nfunc F() {}\n";
        assert_eq!(header_line(prepared), 5);
        assert_eq!(header_line("package solution\nfunc F() {}\n"), 0);
    }
}
