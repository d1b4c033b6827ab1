//! Turns a candidate's file, often pasted from a notepad, into a Go file the
//! harness can compile against: the package clause becomes the harness's,
//! and (unless strict) a missing clause, missing standard-library imports and
//! unused imports are fixed. Every change is listed for the verdict's notes.
//! A `//line` directive keeps compiler and runtime positions in the
//! candidate's own file and lines. Pure: text in, text out.

use crate::core::golex::{self, GoFile};

/// Package the harness and the staged candidate file share.
pub const PACKAGE: &str = "solution";

/// Standard-library packages whose import gograde adds when a snippet uses
/// them without importing them: name as used in code, import path.
pub const KNOWN_PACKAGES: &[(&str, &str)] = &[
    ("atomic", "sync/atomic"),
    ("bufio", "bufio"),
    ("bytes", "bytes"),
    ("context", "context"),
    ("errors", "errors"),
    ("fmt", "fmt"),
    ("io", "io"),
    ("json", "encoding/json"),
    ("log", "log"),
    ("maps", "maps"),
    ("math", "math"),
    ("rand", "math/rand"),
    ("reflect", "reflect"),
    ("runtime", "runtime"),
    ("slices", "slices"),
    ("sort", "sort"),
    ("strconv", "strconv"),
    ("strings", "strings"),
    ("sync", "sync"),
    ("time", "time"),
    ("unicode", "unicode"),
    ("utf8", "unicode/utf8"),
];

/// The file to stage, and what was done to it.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Source to write into the staging directory.
    pub text: String,
    /// One sentence per change, for the verdict's notes.
    pub notes: Vec<String>,
    /// What the scanner saw in the original (empty if it could not scan).
    pub analysis: GoFile,
    /// Import paths of the staged file, including added ones.
    pub imports: Vec<String>,
}

/// Refused in strict mode: the file needs a fix-up to compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictViolation {
    pub line: u32,
    pub message: String,
}

/// Prepares `src` for staging; `line_name` is the file name the compiler
/// and runtime will report (see `//line`).
pub fn prepare(src: &str, line_name: &str, strict: bool) -> Result<Prepared, StrictViolation> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut body = src.as_bytes().to_vec();
    let mut notes = Vec::new();
    let analysis = match golex::analyse(src) {
        Ok(analysis) => analysis,
        Err(_) => {
            // The compiler will report the scanning problem precisely; just
            // make sure the package is the harness's.
            return Ok(unscannable(src, line_name));
        }
    };
    match &analysis.package {
        Some(clause) => {
            blank(&mut body, clause.start, clause.end);
            if clause.name != PACKAGE && clause.name != "main" {
                notes.push(format!(
                    "package {} compiled as package {PACKAGE}, beside the harness",
                    clause.name
                ));
            }
        }
        None if strict => {
            return Err(StrictViolation {
                line: 1,
                message: "expected 'package', found the start of the code (--strict requires a package clause)".into(),
            });
        }
        None => notes.push("added the missing package clause".into()),
    }
    if analysis.declares("main") {
        notes.push("func main is ignored: the harness calls your functions directly".into());
    }

    let used: Vec<&str> = analysis.package_uses.iter().map(String::as_str).collect();
    let mut imports = Vec::new();
    if !strict {
        blank_unused_imports(&analysis, &used, &mut body, &mut notes);
    }
    for spec in &analysis.imports {
        let removed = !strict && is_unused(spec, &used);
        if !removed {
            imports.push(spec.path.clone());
        }
    }
    let mut added = Vec::new();
    if !strict {
        for name in &used {
            let imported = analysis.imports.iter().any(|s| s.local_name() == *name);
            if imported {
                continue;
            }
            if let Some((_, path)) = KNOWN_PACKAGES.iter().find(|(n, _)| n == name) {
                added.push(*path);
                imports.push((*path).to_owned());
                notes.push(format!("added the missing import \"{path}\""));
            }
        }
    }

    let mut text = format!("package {PACKAGE}\n");
    if !added.is_empty() {
        text.push_str("import (\n");
        for path in &added {
            text.push_str(&format!("\t\"{path}\"\n"));
        }
        text.push_str(")\n");
    }
    text.push_str(&line_directive(line_name));
    text.push_str(&String::from_utf8(body).unwrap_or_else(|_| src.to_owned()));
    Ok(Prepared {
        text,
        notes,
        analysis,
        imports,
    })
}

/// A source the scanner could not read: only swap the package clause.
fn unscannable(src: &str, line_name: &str) -> Prepared {
    let mut text = format!("package {PACKAGE}\n{}", line_directive(line_name));
    let mut replaced = false;
    for line in src.split_inclusive('\n') {
        if !replaced && line.trim_start().starts_with("package ") {
            replaced = true;
            text.push_str(&" ".repeat(line.trim_end_matches('\n').len()));
            if line.ends_with('\n') {
                text.push('\n');
            }
        } else {
            text.push_str(line);
        }
    }
    Prepared {
        text,
        notes: Vec::new(),
        analysis: GoFile::default(),
        imports: Vec::new(),
    }
}

fn line_directive(line_name: &str) -> String {
    format!("//line {line_name}:1:1\n")
}

fn is_unused(spec: &golex::ImportSpec, used: &[&str]) -> bool {
    let name = spec.local_name();
    name != "_" && name != "." && !used.contains(&name)
}

fn blank_unused_imports(
    analysis: &GoFile,
    used: &[&str],
    body: &mut [u8],
    notes: &mut Vec<String>,
) {
    for (index, decl) in analysis.import_decls.iter().enumerate() {
        let specs: Vec<_> = analysis
            .imports
            .iter()
            .filter(|s| s.decl == index)
            .collect();
        let unused: Vec<_> = specs.iter().filter(|s| is_unused(s, used)).collect();
        if unused.is_empty() {
            continue;
        }
        if !decl.grouped {
            blank(body, decl.start, decl.end);
        } else {
            for spec in &unused {
                blank(body, spec.start, spec.end);
            }
        }
        for spec in unused {
            notes.push(format!("removed the unused import \"{}\"", spec.path));
        }
    }
}

/// Replaces a span with spaces, keeping line breaks so positions hold.
fn blank(body: &mut [u8], start: usize, end: usize) {
    for byte in &mut body[start..end] {
        if *byte != b'\n' {
            *byte = b' ';
        }
    }
}

/// The file name to give the compiler for a submission path: its base name,
/// made safe for a `//line` directive.
pub fn line_name_for(path: &str) -> String {
    let base = std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "submission.go".into());
    let safe: String = base
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == ':' {
                '_'
            } else {
                c
            }
        })
        .collect();
    if safe.ends_with(".go") {
        safe
    } else {
        format!("{safe}.go")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_gets_package_and_imports() {
        let src = "func Reverse(s string) string {\n\treturn strings.ToUpper(s)\n}\n";
        let p = prepare(src, "answer.go", false).unwrap();
        assert!(p.text.starts_with(
            "package solution\nimport (\n\t\"strings\"\n)\n//line answer.go:1:1\nfunc Reverse"
        ));
        assert_eq!(
            p.notes,
            [
                "added the missing package clause",
                "added the missing import \"strings\""
            ]
        );
    }

    #[test]
    fn package_main_with_unused_import_and_main() {
        let src =
            "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() { fmt.Println(1) }\n";
        let p = prepare(src, "a.go", false).unwrap();
        assert!(
            p.text.contains("//line a.go:1:1\n            \n"),
            "{}",
            p.text
        );
        assert!(p.text.contains("\t\"fmt\"\n\t    \n)"), "{}", p.text);
        assert_eq!(p.imports, ["fmt"]);
        assert!(p.notes.iter().any(|n| n.contains("unused import \"os\"")));
        assert!(p.notes.iter().any(|n| n.contains("func main")));
        // Line count is unchanged after the directive.
        let staged_body = p.text.split_once("//line a.go:1:1\n").unwrap().1;
        assert_eq!(staged_body.lines().count(), src.lines().count());
    }

    #[test]
    fn strict_keeps_everything_and_needs_a_package() {
        let src = "func F() { strings.ToUpper(\"\") }\n";
        let err = prepare(src, "a.go", true).unwrap_err();
        assert_eq!(err.line, 1);
        let ok = prepare("package x\nimport \"os\"\nfunc F() {}\n", "a.go", true).unwrap();
        assert!(ok.text.contains("import \"os\""));
        assert!(ok.notes.iter().any(|n| n.contains("package x")));
    }

    #[test]
    fn local_variable_named_like_a_package_is_not_imported() {
        let src = "func F() { time := T{}; time.X() }\n";
        let p = prepare(src, "a.go", false).unwrap();
        assert!(!p.text.contains("\"time\""), "{}", p.text);
    }

    #[test]
    fn unscannable_source_still_gets_the_package() {
        let p = prepare("package main\nvar s = \"oops\n", "a.go", false).unwrap();
        assert!(
            p.text
                .starts_with("package solution\n//line a.go:1:1\n            \n")
        );
    }

    #[test]
    fn line_names_are_safe() {
        assert_eq!(line_name_for("/x/my answer.go"), "my_answer.go");
        assert_eq!(line_name_for("-"), "-.go");
        assert_eq!(line_name_for("dir/sol.txt"), "sol.txt.go");
    }
}
