//! Exercises as data: metadata, prompt, stub and Go harness files, embedded
//! in the binary at build time and optionally extended or replaced from a
//! folder on disk (`--exercises-dir`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde::Deserialize;

use crate::error::CatalogError;
use crate::verdict::Category;

static EMBEDDED_EXERCISES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/exercises");
static EMBEDDED_HARNESS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/harness");

/// Name of the folder of Go helpers staged beside every harness.
/// The harness kit: a package of its own staged beside every harness.
const KIT_DIR: &str = "kit";

/// `exercise.toml`, as written by an exercise author.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseMeta {
    pub id: String,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub hints: Vec<String>,
    /// Run `go vet` and report its findings as a robustness result.
    #[serde(default)]
    pub vet: bool,
    pub symbols: Vec<SymbolSpec>,
    pub tests: Vec<TestSpec>,
    #[serde(default)]
    pub import_notes: Vec<ImportNote>,
    /// Imports the policy would refuse but this exercise needs (a network
    /// exercise may allow "net"); the sandbox still contains the run.
    #[serde(default)]
    pub allow_imports: Vec<String>,
}

/// A Go symbol the harness uses.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SymbolSpec {
    pub name: String,
    pub role: SymbolRole,
    /// The expected declaration, shown when the candidate's differs.
    pub signature: String,
    /// Go code that compiles only when the symbol has the expected shape.
    pub check: String,
    /// Harness files staged only when the candidate declared this symbol.
    #[serde(default)]
    pub files: Vec<String>,
}

/// Whether the exercise needs a symbol or only a follow-up does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SymbolRole {
    Core,
    Followup,
}

/// One top-level Go test of the harness.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestSpec {
    pub name: String,
    pub category: Category,
    pub points: u32,
    pub summary: String,
    #[serde(default)]
    pub hint: Option<String>,
    /// Follow-up symbol without which the test is skipped.
    #[serde(default)]
    pub requires: Option<String>,
    /// The test needs the machine's cores for its own goroutines (it waits
    /// until they have been seen to run at the same time): no other
    /// exclusive test of its grade runs beside it, or each would slow the
    /// others' overlap down. Quick tests still fill the other cores.
    #[serde(default)]
    pub exclusive: bool,
}

/// A note added when the candidate imports a given package.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportNote {
    pub import: String,
    pub note: String,
    #[serde(default)]
    pub hint: Option<String>,
}

/// A source file: name and contents.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub contents: String,
}

/// Everything needed to present and grade one exercise.
#[derive(Debug, Clone)]
pub struct Exercise {
    pub meta: ExerciseMeta,
    pub prompt: String,
    pub stub: String,
    /// The exercise's own `_test.go` files.
    pub harness: Vec<SourceFile>,
    /// The harness kit (`package kit`), shared by every harness.
    pub kit: Vec<SourceFile>,
}

impl Exercise {
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The test spec with this name, if the harness declares it.
    pub fn test(&self, name: &str) -> Option<&TestSpec> {
        self.meta.tests.iter().find(|t| t.name == name)
    }

    /// Symbols with the given role.
    pub fn symbols(&self, role: SymbolRole) -> impl Iterator<Item = &SymbolSpec> {
        self.meta.symbols.iter().filter(move |s| s.role == role)
    }

    /// Whether a harness file belongs to a follow-up symbol, and which.
    pub fn followup_owning(&self, file: &str) -> Option<&SymbolSpec> {
        self.symbols(SymbolRole::Followup)
            .find(|s| s.files.iter().any(|f| f == file))
    }
}

/// The set of exercises gograde knows, in id order.
#[derive(Debug, Clone)]
pub struct Catalog {
    exercises: BTreeMap<String, Exercise>,
}

impl Catalog {
    /// The exercises built into the binary, plus those in `extra_dir` (same
    /// layout as the repository: `exercises/<id>/` and `harness/<id>/`),
    /// which replace built-in ones of the same id.
    pub fn load(extra_dir: Option<&Path>) -> Result<Catalog, CatalogError> {
        let mut exercises = BTreeMap::new();
        let kit = embedded_go_files(EMBEDDED_HARNESS.get_dir(KIT_DIR));
        for dir in EMBEDDED_EXERCISES.dirs() {
            let id = dir_name(dir.path());
            let file = |name: &str| {
                dir.get_file(dir.path().join(name))
                    .and_then(|f| f.contents_utf8())
                    .map(str::to_owned)
            };
            let Some(toml_text) = file("exercise.toml") else {
                continue;
            };
            let meta = parse_meta(&toml_text, &format!("built-in exercise {id}"))?;
            let harness = embedded_go_files(EMBEDDED_HARNESS.get_dir(&id));
            let exercise = Exercise {
                meta,
                prompt: file("prompt.md").unwrap_or_default(),
                stub: file("stub.go").unwrap_or_default(),
                harness,
                kit: kit.clone(),
            };
            validate(&exercise)?;
            exercises.insert(id, exercise);
        }
        if let Some(root) = extra_dir {
            load_from_disk(root, &kit, &mut exercises)?;
        }
        Ok(Catalog { exercises })
    }

    pub fn get(&self, id: &str) -> Option<&Exercise> {
        self.exercises.get(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Exercise> {
        self.exercises.values()
    }

    pub fn ids(&self) -> Vec<&str> {
        self.exercises.keys().map(String::as_str).collect()
    }
}

fn dir_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn parse_meta(text: &str, origin: &str) -> Result<ExerciseMeta, CatalogError> {
    toml::from_str(text).map_err(|e| CatalogError::Metadata {
        origin: origin.to_owned(),
        message: e.to_string(),
    })
}

fn embedded_go_files(dir: Option<&Dir<'_>>) -> Vec<SourceFile> {
    let Some(dir) = dir else {
        return Vec::new();
    };
    let mut files: Vec<SourceFile> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "go"))
        .filter_map(|f| {
            Some(SourceFile {
                name: dir_name(f.path()),
                contents: f.contents_utf8()?.to_owned(),
            })
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

fn disk_go_files(dir: &Path) -> Result<Vec<SourceFile>, CatalogError> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| CatalogError::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "go") {
            let contents = read(&path)?;
            files.push(SourceFile {
                name: dir_name(&path),
                contents,
            });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

fn read(path: &Path) -> Result<String, CatalogError> {
    std::fs::read_to_string(path).map_err(|e| CatalogError::Io {
        path: path.to_path_buf(),
        source: e,
    })
}

fn load_from_disk(
    root: &Path,
    embedded_kit: &[SourceFile],
    exercises: &mut BTreeMap<String, Exercise>,
) -> Result<(), CatalogError> {
    let exercises_dir = root.join("exercises");
    if !exercises_dir.is_dir() {
        return Err(CatalogError::NotAnExercisesDir {
            path: root.to_path_buf(),
        });
    }
    let kit_dir = root.join("harness").join(KIT_DIR);
    let kit = if kit_dir.is_dir() {
        disk_go_files(&kit_dir)?
    } else {
        embedded_kit.to_vec()
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&exercises_dir)
        .map_err(|e| CatalogError::Io {
            path: exercises_dir.clone(),
            source: e,
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("exercise.toml").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let toml_path = dir.join("exercise.toml");
        let meta = parse_meta(&read(&toml_path)?, &toml_path.display().to_string())?;
        let harness_dir = root.join("harness").join(&meta.id);
        let exercise = Exercise {
            prompt: read(&dir.join("prompt.md")).unwrap_or_default(),
            stub: read(&dir.join("stub.go")).unwrap_or_default(),
            harness: disk_go_files(&harness_dir)?,
            kit: kit.clone(),
            meta,
        };
        validate(&exercise)?;
        exercises.insert(exercise.meta.id.clone(), exercise);
    }
    Ok(())
}

/// Catches authoring mistakes early: a test whose `requires` names no
/// follow-up symbol, or a follow-up file that does not exist.
fn validate(exercise: &Exercise) -> Result<(), CatalogError> {
    let bad = |message: String| CatalogError::Metadata {
        origin: format!("exercise {}", exercise.meta.id),
        message,
    };
    for test in &exercise.meta.tests {
        if let Some(symbol) = &test.requires
            && !exercise.meta.symbols.iter().any(|s| &s.name == symbol)
        {
            return Err(bad(format!(
                "test {} requires unknown symbol {symbol}",
                test.name
            )));
        }
    }
    for symbol in &exercise.meta.symbols {
        for file in &symbol.files {
            if !exercise.harness.iter().any(|f| &f.name == file) {
                return Err(bad(format!(
                    "symbol {} lists missing harness file {file}",
                    symbol.name
                )));
            }
        }
    }
    if exercise.harness.is_empty() {
        return Err(bad("no harness files".to_owned()));
    }
    for file in &exercise.harness {
        check_harness_package(file).map_err(bad)?;
    }
    Ok(())
}

/// Harness tests belong to the external test package, never to the
/// candidate's: there, nothing the candidate declares can shadow or reach
/// them.
fn check_harness_package(file: &SourceFile) -> Result<(), String> {
    let analysis = crate::core::golex::analyse(&file.contents)
        .map_err(|e| format!("{}: {}", file.name, e.message))?;
    let package = analysis.package.as_ref().map(|p| p.name.as_str());
    let wanted = format!("{}_test", crate::core::fixup::PACKAGE);
    if !file.name.ends_with("_test.go") || package != Some(wanted.as_str()) {
        return Err(format!(
            "{}: a harness file must be a _test.go file of package {wanted} (found package {})",
            file.name,
            package.unwrap_or("none")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_exercises_load_and_follow_the_harness_rules() {
        let catalog = Catalog::load(None).unwrap();
        assert_eq!(
            catalog.ids(),
            ["counter", "json", "retry", "reverse", "workerpool"]
        );
    }

    /// Hints are what the interviewer reads under "Ask next" on a call: each
    /// must be a question to put to the candidate, never an instruction
    /// (issue 18, item 9: "Add context cancellation or jitter.").
    #[test]
    fn every_shipped_hint_is_a_question() {
        let catalog = Catalog::load(None).unwrap();
        // The harness's own hints travel in failure records (`Hint:`, or a
        // constant named for them).
        let harness_hint =
            regex::Regex::new(r#"(?:Hint:\s*|\b\w*Hint\w*\s*=\s*)"((?:[^"\\]|\\.)*)""#).unwrap();
        let mut seen = 0;
        let mut not_questions = Vec::new();
        for exercise in catalog.iter() {
            let meta = &exercise.meta;
            let from_harness = exercise
                .harness
                .iter()
                .flat_map(|f| harness_hint.captures_iter(&f.contents))
                .map(|c| c[1].to_owned());
            let hints: Vec<String> = meta
                .hints
                .iter()
                .cloned()
                .chain(meta.tests.iter().filter_map(|t| t.hint.clone()))
                .chain(meta.import_notes.iter().filter_map(|n| n.hint.clone()))
                .chain(from_harness)
                .collect();
            seen += hints.len();
            not_questions.extend(
                hints
                    .into_iter()
                    .filter(|h| !h.trim_end().ends_with('?'))
                    .map(|h| format!("{}: {h}", meta.id)),
            );
        }
        assert!(seen > 50, "only {seen} hints found: is the scan blind?");
        assert!(
            not_questions.is_empty(),
            "hints that are not questions:\n{}",
            not_questions.join("\n")
        );
    }

    #[test]
    fn a_harness_file_in_the_candidates_package_is_refused() {
        let file = SourceFile {
            name: "x_test.go".into(),
            contents: "package solution\n\nimport \"testing\"\n".into(),
        };
        let err = check_harness_package(&file).unwrap_err();
        assert!(err.contains("package solution_test"), "{err}");
        let ok = SourceFile {
            name: "x_test.go".into(),
            contents: "package solution_test\n\nimport \"runtime/debug\"\n".into(),
        };
        assert!(check_harness_package(&ok).is_ok());
    }
}
