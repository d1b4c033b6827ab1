//! Lays out one grading run in its own temporary directory: a go.mod, the
//! shared harness helpers, the exercise harness (follow-up files only for
//! symbols the candidate wrote), a generated file of signature checks, and
//! the candidate's prepared source. Removed when dropped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::error::GraderError;
use crate::exercise::{Exercise, SymbolRole};
use crate::fixup::{KNOWN_PACKAGES, PACKAGE};

/// Generated file holding one signature check per line.
pub const SIGNATURES_FILE: &str = "gograde_signatures_test.go";
/// The candidate's prepared source, as staged.
pub const CANDIDATE_FILE: &str = "candidate.go";
/// The compiled test binary.
pub const TEST_BINARY: &str = "solution.test";
/// Module path of the staged package.
pub const MODULE: &str = "gograde.local/solution";

/// A staged run; the directory is deleted on drop.
pub struct Stage {
    dir: TempDir,
    /// Signature-check line number and the symbol it checks.
    pub signature_lines: Vec<(u32, String)>,
    /// Harness files staged, by name.
    pub harness_files: Vec<String>,
}

impl Stage {
    /// Writes everything for `exercise` with the candidate's `source`,
    /// staging the follow-up files of `followups` only.
    pub fn create(
        parent: &Path,
        exercise: &Exercise,
        source: &str,
        followups: &BTreeSet<String>,
    ) -> Result<Stage, GraderError> {
        std::fs::create_dir_all(parent).map_err(|e| stage_error(parent, e))?;
        static SWEPT: std::sync::Once = std::sync::Once::new();
        SWEPT.call_once(|| {
            crate::process::sweep_dead_owners(parent, &["grade-", "root-", "probe-"])
        });
        let dir = tempfile::Builder::new()
            .prefix(&format!("grade-{}-", std::process::id()))
            .tempdir_in(parent)
            .map_err(|e| stage_error(parent, e))?;
        // Traversable (not listable) by the sandbox's uid, which reaches the
        // test binary by its path.
        set_mode(dir.path(), 0o711)?;
        let mut stage = Stage {
            dir,
            signature_lines: Vec::new(),
            harness_files: Vec::new(),
        };
        stage.write("go.mod", &format!("module {MODULE}\n\ngo 1.25\n"))?;
        std::fs::create_dir_all(stage.home()).map_err(|e| stage_error(&stage.home(), e))?;
        for file in &exercise.common {
            stage.write(&file.name, &file.contents)?;
            stage.harness_files.push(file.name.clone());
        }
        for file in &exercise.harness {
            let owner = exercise.followup_owning(&file.name);
            if owner.is_some_and(|s| !followups.contains(&s.name)) {
                continue;
            }
            stage.write(&file.name, &file.contents)?;
            stage.harness_files.push(file.name.clone());
        }
        stage.write_signatures(exercise, followups)?;
        stage.write(CANDIDATE_FILE, source)?;
        Ok(stage)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// HOME and TMPDIR for everything run here.
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub fn binary(&self) -> PathBuf {
        self.dir.path().join(TEST_BINARY)
    }

    /// Drops a follow-up symbol's files and its check, after it failed to
    /// compile, so the core can still be graded.
    pub fn drop_followup(
        &mut self,
        exercise: &Exercise,
        symbol: &str,
        keep: &BTreeSet<String>,
    ) -> Result<(), GraderError> {
        if let Some(spec) = exercise.meta.symbols.iter().find(|s| s.name == symbol) {
            for file in &spec.files {
                let _ = std::fs::remove_file(self.dir.path().join(file));
                self.harness_files.retain(|f| f != file);
            }
        }
        self.write_signatures(exercise, keep)
    }

    fn write_signatures(
        &mut self,
        exercise: &Exercise,
        followups: &BTreeSet<String>,
    ) -> Result<(), GraderError> {
        let checks: Vec<_> = exercise
            .meta
            .symbols
            .iter()
            .filter(|s| s.role == SymbolRole::Core || followups.contains(&s.name))
            .collect();
        let joined: String = checks
            .iter()
            .map(|s| s.check.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        // Imports carry a gg alias, as in every harness file, so they cannot
        // clash with the candidate's names; the checks are rewritten to match.
        let used: Vec<(&str, &str)> = KNOWN_PACKAGES
            .iter()
            .filter(|(name, _)| joined.contains(&format!("{name}.")))
            .copied()
            .collect();
        let mut text = format!("package {PACKAGE}\n\n");
        for (name, path) in &used {
            text.push_str(&format!("import gg{name} \"{path}\"\n"));
        }
        text.push('\n');
        self.signature_lines.clear();
        for symbol in checks {
            let line = text.lines().count() as u32 + 1;
            text.push_str(&alias_qualifiers(symbol.check.trim(), &used));
            text.push('\n');
            self.signature_lines.push((line, symbol.name.clone()));
        }
        self.write(SIGNATURES_FILE, &text)
    }

    fn write(&self, name: &str, contents: &str) -> Result<(), GraderError> {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).map_err(|e| stage_error(&path, e))
    }
}

/// `sync.WaitGroup` becomes `ggsync.WaitGroup` for each used package.
fn alias_qualifiers(check: &str, used: &[(&str, &str)]) -> String {
    let mut out = check.to_owned();
    for (name, _) in used {
        let pattern = regex::Regex::new(&format!(r"\b{name}\.")).expect("valid regex");
        out = pattern
            .replace_all(&out, format!("gg{name}.").as_str())
            .into_owned();
    }
    out
}

fn set_mode(path: &Path, mode: u32) -> Result<(), GraderError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| stage_error(path, e))
}

fn stage_error(path: &Path, source: std::io::Error) -> GraderError {
    GraderError::Stage {
        path: path.to_path_buf(),
        source,
    }
}
