//! Reads the compiler's diagnostics and explains them in the candidate's
//! terms: errors in the candidate's file keep their line and column; errors
//! in the generated signature checks become "expected func X(...), found
//! ...". Pure.

use regex::Regex;
use std::sync::LazyLock;

use crate::core::golex::{DeclKind, GoFile};
use crate::exercise::SymbolSpec;

/// One `file:line:col: message` diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

static DIAGNOSTIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<file>[^\s:][^:]*\.go):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<msg>.*)$")
        .expect("valid regex")
});

/// Parses `go build`/`go vet` output; continuation lines (indented) join
/// the diagnostic above them.
pub fn parse_diagnostics(output: &str) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for line in output.lines() {
        if let Some(c) = DIAGNOSTIC.captures(line) {
            let file = c["file"].trim_start_matches("./").to_owned();
            out.push(Diagnostic {
                file,
                line: c["line"].parse().unwrap_or(0),
                column: c
                    .name("col")
                    .and_then(|m| m.as_str().parse().ok())
                    .unwrap_or(0),
                // The staged module path means nothing to the candidate.
                message: c["msg"].replace("gograde.local/solution.", ""),
            });
        } else if (line.starts_with('\t') || line.starts_with("    "))
            && let Some(last) = out.last_mut()
        {
            last.message.push('\n');
            last.message.push_str(line.trim());
        }
    }
    out
}

/// Describes what the candidate declared for a symbol, for "found ...".
pub fn found_declaration(analysis: &GoFile, symbol: &SymbolSpec) -> String {
    match analysis.top_level(&symbol.name) {
        Some(decl) if decl.kind == DeclKind::Type => {
            let methods: Vec<String> = analysis
                .methods_of(&symbol.name)
                .map(|m| method_header(&m.signature))
                .collect();
            if methods.is_empty() {
                format!("{} with no methods", decl.signature)
            } else {
                format!("{} with methods {}", decl.signature, methods.join(", "))
            }
        }
        Some(decl) => decl.signature.clone(),
        None => {
            let case_insensitive = analysis
                .decls
                .iter()
                .find(|d| d.kind != DeclKind::Method && d.name.eq_ignore_ascii_case(&symbol.name));
            match case_insensitive {
                Some(d) => format!("{} (names are case-sensitive)", d.signature),
                None => format!("no {} in the file", symbol.name),
            }
        }
    }
}

/// `func (c *Counter) Value() int64` → `Value() int64`.
fn method_header(signature: &str) -> String {
    let after_receiver = signature
        .strip_prefix("func ")
        .and_then(|rest| rest.split_once(") "))
        .map_or(signature, |(_, r)| r);
    after_receiver.to_owned()
}

/// The message for a symbol whose shape does not match.
pub fn signature_message(analysis: &GoFile, symbol: &SymbolSpec) -> String {
    format!(
        "expected {}, found {}",
        symbol.signature,
        found_declaration(analysis, symbol)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::golex::analyse;
    use crate::exercise::SymbolRole;

    fn spec(name: &str, signature: &str) -> SymbolSpec {
        SymbolSpec {
            name: name.into(),
            role: SymbolRole::Core,
            signature: signature.into(),
            check: String::new(),
            files: vec![],
        }
    }

    #[test]
    fn parses_build_output() {
        let out = "# gograde.local/solution [gograde.local/solution.test]\n./gograde_signatures_test.go:3:29: cannot use Reverse (value of type func(s []rune) []rune) as func(string) string value in variable declaration\nanswer.go:4:2: declared and not used: x\nanswer.go:9:1: syntax error: unexpected }\n\thave (int)\n";
        let d = parse_diagnostics(out);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].file, "gograde_signatures_test.go");
        assert_eq!((d[1].line, d[1].column), (4, 2));
        assert_eq!(d[2].message, "syntax error: unexpected }\nhave (int)");
    }

    #[test]
    fn explains_wrong_and_missing_signatures() {
        let a =
            analyse("func Reverse(s []rune) []rune { return s }\nfunc reverse2() {}\n").unwrap();
        assert_eq!(
            signature_message(&a, &spec("Reverse", "func Reverse(s string) string")),
            "expected func Reverse(s string) string, found func Reverse(s []rune) []rune"
        );
        assert_eq!(
            signature_message(
                &a,
                &spec(
                    "Retry",
                    "func Retry(operation func() error, attempts int) error"
                )
            ),
            "expected func Retry(operation func() error, attempts int) error, found no Retry in the file"
        );
        let lower = analyse("func reverse(s string) string { return s }\n").unwrap();
        assert!(
            signature_message(&lower, &spec("Reverse", "func Reverse(s string) string"))
                .ends_with("found func reverse(s string) string (names are case-sensitive)")
        );
        let counter = analyse(
            "type Counter struct{ n int64 }\nfunc (c *Counter) Value() int64 { return c.n }\n",
        )
        .unwrap();
        assert_eq!(
            found_declaration(&counter, &spec("Counter", "")),
            "type Counter struct with methods Value() int64"
        );
    }
}
