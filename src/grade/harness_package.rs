//! The harness as a package of its own, compiled once for every grade.
//!
//! Go compiles the external test package again whenever the package under
//! test changes, and the harness used to be that package: a few hundred
//! milliseconds of every grade went to compiling the same harness source.
//! Where every symbol the harness needs is a function (its check reads
//! `var Name Type = candidate.Name`), the harness files are staged instead
//! as package `harness/<exercise>` of the module, holding a variable of the
//! symbol's type; the generated test file binds the candidate's functions
//! into it and has one small wrapper per test. That package imports nothing
//! of the candidate's, so with `-trimpath` its compiled form is the same for
//! every grade and the build cache keeps it. Exercises whose harness needs a
//! candidate type (a struct whose zero value it declares) keep the harness
//! in the test package.

use std::path::Path;

use crate::core::fixup::KNOWN_PACKAGES;
use crate::error::GraderError;
use crate::exercise::Exercise;

/// Folder of the harness packages, under a module's root.
pub const HARNESS_DIR: &str = "harness";
/// The package clause every harness file carries in the repository.
const TEST_PACKAGE_CLAUSE: &str = "package solution_test";
/// Generated file of the harness package: the symbol variables and their
/// binders.
const BIND_FILE: &str = "gograde_bind.go";

/// A candidate function the harness calls through a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// The name the harness calls it by (the symbol's name).
    pub name: String,
    /// Its Go type, e.g. `func(string) string`.
    pub go_type: String,
}

/// The symbols `exercise`'s harness reaches through variables, when its
/// harness can be a package of its own; `None` keeps it in the test
/// package.
pub fn bound_symbols(exercise: &Exercise) -> Option<Vec<Bound>> {
    let check = regex::Regex::new(
        r"^var ([A-Za-z_][A-Za-z0-9_]*) (func\(.*) = candidate\.([A-Za-z_][A-Za-z0-9_]*)$",
    )
    .expect("valid regex");
    let mut bound = Vec::new();
    for symbol in &exercise.meta.symbols {
        let found = check.captures(symbol.check.trim())?;
        if found[1] != symbol.name || found[3] != symbol.name {
            return None;
        }
        bound.push(Bound {
            name: symbol.name.clone(),
            go_type: found[2].to_owned(),
        });
    }
    let every_file_is_the_test_package = exercise.harness.iter().all(|f| {
        f.contents
            .lines()
            .any(|l| l.trim_end() == TEST_PACKAGE_CLAUSE)
    });
    (!bound.is_empty() && every_file_is_the_test_package).then_some(bound)
}

/// The harness package's import path under `module`.
pub fn import_path(module: &str, exercise: &Exercise) -> String {
    format!("{module}/{HARNESS_DIR}/{}", exercise.id())
}

/// Writes `exercise`'s harness package under the module at `root`, unless
/// a package of the group already did. Returns its files, relative to the
/// module root.
pub fn write(
    root: &Path,
    exercise: &Exercise,
    bound: &[Bound],
) -> Result<Vec<String>, GraderError> {
    let folder = format!("{HARNESS_DIR}/{}", exercise.id());
    let dir = root.join(&folder);
    let mut files: Vec<(String, String)> = exercise
        .harness
        .iter()
        .map(|f| {
            (
                package_file_name(&f.name),
                as_package_source(&f.contents, exercise),
            )
        })
        .collect();
    files.push((BIND_FILE.to_owned(), bind_file(exercise, bound)));
    let names = files
        .iter()
        .map(|(name, _)| format!("{folder}/{name}"))
        .collect();
    if dir.is_dir() {
        return Ok(names);
    }
    std::fs::create_dir_all(&dir).map_err(|e| stage_error(&dir, e))?;
    for (name, contents) in files {
        let path = dir.join(name);
        std::fs::write(&path, contents).map_err(|e| stage_error(&path, e))?;
    }
    Ok(names)
}

/// The lines the generated test file adds in this mode: the binding of
/// each checked symbol (declared by the check lines above them) and one
/// wrapper per test in `tests`, each named as the harness's own test.
pub fn test_file_lines(bound: &[&Bound], tests: &[&str]) -> String {
    let mut text = String::from(
        "\n// The candidate's functions, bound into the harness package (compiled\n// once, apart from any candidate) before any test runs.\nfunc init() {\n",
    );
    for symbol in bound {
        text.push_str(&format!("\tharness.Gograde_bind_{0}({0})\n", symbol.name));
    }
    text.push_str("}\n\n");
    for test in tests {
        text.push_str(&format!(
            "func {test}(t *testing.T) {{ harness.{test}(t) }}\n"
        ));
    }
    text
}

/// `reverse_test.go` → `reverse.go`: a package's `_test.go` files are its
/// tests, not its code.
fn package_file_name(name: &str) -> String {
    match name.strip_suffix("_test.go") {
        Some(stem) => format!("{stem}.go"),
        None => name.to_owned(),
    }
}

/// A harness file's source as a file of the harness package.
fn as_package_source(contents: &str, exercise: &Exercise) -> String {
    let clause = format!("package {}", package_name(exercise));
    let mut replaced = false;
    contents
        .lines()
        .map(|line| {
            if !replaced && line.trim_end() == TEST_PACKAGE_CLAUSE {
                replaced = true;
                clause.as_str()
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The harness package's name: the exercise id as a Go identifier.
fn package_name(exercise: &Exercise) -> String {
    let id: String = exercise
        .id()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("harness_{id}")
}

/// The harness package's variables for the candidate's functions, and the
/// exported binders the test file calls (a variable may be unexported, as
/// `worker` is).
fn bind_file(exercise: &Exercise, bound: &[Bound]) -> String {
    let mut text = format!("package {}\n\n", package_name(exercise));
    let types: String = bound.iter().map(|b| b.go_type.as_str()).collect();
    let imports: Vec<&str> = KNOWN_PACKAGES
        .iter()
        .filter(|(name, _)| types.contains(&format!("{name}.")))
        .map(|(_, path)| *path)
        .collect();
    for path in imports {
        text.push_str(&format!("import \"{path}\"\n"));
    }
    for symbol in bound {
        text.push_str(&format!(
            "\n// {0} is the candidate's, once the test file has bound it.\nvar {0} {1}\n\nfunc Gograde_bind_{0}(f {1}) {{ {0} = f }}\n",
            symbol.name, symbol.go_type
        ));
    }
    text
}

fn stage_error(path: &Path, source: std::io::Error) -> GraderError {
    GraderError::Stage {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_file_becomes_a_package_file() {
        assert_eq!(package_file_name("reverse_test.go"), "reverse.go");
        assert_eq!(package_file_name("helpers.go"), "helpers.go");
    }

    #[test]
    fn the_wrappers_bind_then_hand_each_test_over() {
        let bound = Bound {
            name: "worker".into(),
            go_type: "func(int)".into(),
        };
        let text = test_file_lines(&[&bound], &["TestCore_A"]);
        assert!(
            text.contains("\tharness.Gograde_bind_worker(worker)\n"),
            "{text}"
        );
        assert!(
            text.contains("func TestCore_A(t *testing.T) { harness.TestCore_A(t) }\n"),
            "{text}"
        );
    }
}
