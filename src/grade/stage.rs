//! Lays out one grading run in its own temporary directory, as a module of
//! two packages. The candidate's prepared source is the only code of package
//! `solution`, beside one generated file that imports the harness kit (so
//! the kit initialises before any candidate code) and exports the
//! unexported symbols the harness needs. The harness tests live in the
//! external test package `solution_test`, with a generated file that brings
//! the candidate's symbols in under their own names, checked against the
//! expected signatures, and a `TestMain` that hands over to the kit (where
//! the harness can be a package of its own, compiled once, the test package
//! only binds the candidate's functions into it and wraps its tests:
//! `harness_package`). The
//! kit is a package of its own (`kit/`). No candidate declaration can change
//! what a harness identifier means, and no harness state is reachable by
//! name. Removed when dropped.
//!
//! Batch grading stages many submissions as packages of one module
//! ([`GroupModule`]): the kit once at the module root, each package laid out
//! exactly as above with its generated import pointing at that package, so
//! one go command builds all their test binaries.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::core::fixup::{KNOWN_PACKAGES, PACKAGE};
use crate::error::GraderError;
use crate::exercise::{Exercise, SymbolRole, SymbolSpec};
use crate::grade::harness_package;

/// Generated file of the test package: one symbol declaration (checked
/// against its signature) per line, and `TestMain`.
pub const SYMBOLS_FILE: &str = "gograde_symbols_test.go";
/// Generated file of the candidate's package: the kit import and exports.
pub const EXPORT_FILE: &str = "gograde_export_test.go";
/// Prefix of the exported aliases of unexported candidate symbols.
pub const EXPORT_PREFIX: &str = "Gograde_";
/// Where the kit package is staged, under the module.
pub const KIT_DIR: &str = "kit";
/// The candidate's prepared source, as staged.
pub const CANDIDATE_FILE: &str = "candidate.go";
/// The compiled test binary, under a neutral name: the code under test
/// should not learn from its own path that it is being tested.
pub const TEST_BINARY: &str = "solution";
/// Module path of the staged package (the core reads it back).
pub const MODULE: &str = crate::core::STAGED_MODULE;

/// Where a stage lives: its own module, or a package of a group's module.
enum Place {
    Module(TempDir),
    /// The package directory and its name (the last element of its import
    /// path); the module owns go.mod and the kit.
    Package {
        dir: PathBuf,
        name: String,
    },
}

/// A staged run; the directory is deleted on drop.
pub struct Stage {
    dir: Place,
    /// Line number in `SYMBOLS_FILE` and the symbol it declares.
    pub signature_lines: Vec<(u32, String)>,
    /// Line number in `EXPORT_FILE` and the symbol it exports.
    pub export_lines: Vec<(u32, String)>,
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
            crate::exec::process::sweep_dead_owners(parent, &["grade-", "root-", "probe-"])
        });
        let dir = stage_folder(parent)?;
        let stage = Stage {
            dir: Place::Module(dir),
            signature_lines: Vec::new(),
            export_lines: Vec::new(),
            harness_files: Vec::new(),
        };
        write_module_files(stage.path(), exercise)?;
        stage.populate(exercise, source, followups)
    }

    /// Stages a submission as package `name` of `module`, laid out as
    /// [`Stage::create`] lays out a module's root package. Removed when
    /// dropped (before the module is).
    pub fn create_package(
        module: &GroupModule,
        name: &str,
        exercise: &Exercise,
        source: &str,
        followups: &BTreeSet<String>,
    ) -> Result<Stage, GraderError> {
        let dir = module.path().join(name);
        std::fs::create_dir(&dir).map_err(|e| stage_error(&dir, e))?;
        set_mode(&dir, 0o711)?;
        let stage = Stage {
            dir: Place::Package {
                dir,
                name: name.to_owned(),
            },
            signature_lines: Vec::new(),
            export_lines: Vec::new(),
            harness_files: Vec::new(),
        };
        stage.populate(exercise, source, followups)
    }

    /// Writes the package's own files: harness, generated files, source.
    fn populate(
        mut self,
        exercise: &Exercise,
        source: &str,
        followups: &BTreeSet<String>,
    ) -> Result<Stage, GraderError> {
        let stage = &mut self;
        std::fs::create_dir_all(stage.home()).map_err(|e| stage_error(&stage.home(), e))?;
        match harness_package::bound_symbols(exercise) {
            // Every follow-up's file is in the package, compiled once; the
            // test file wraps only the tests of follow-ups present.
            Some(bound) => {
                stage.harness_files =
                    harness_package::write(stage.module_root(), exercise, &bound)?;
            }
            None => {
                for file in &exercise.harness {
                    let owner = exercise.followup_owning(&file.name);
                    if owner.is_some_and(|s| !followups.contains(&s.name)) {
                        continue;
                    }
                    stage.write(&file.name, &file.contents)?;
                    stage.harness_files.push(file.name.clone());
                }
            }
        }
        stage.write_signatures(exercise, followups)?;
        stage.write(CANDIDATE_FILE, source)?;
        Ok(self)
    }

    pub fn path(&self) -> &Path {
        match &self.dir {
            Place::Module(dir) => dir.path(),
            Place::Package { dir, .. } => dir,
        }
    }

    /// Where go.mod and the kit are.
    fn module_root(&self) -> &Path {
        match &self.dir {
            Place::Module(dir) => dir.path(),
            Place::Package { dir, .. } => dir.parent().unwrap_or(dir),
        }
    }

    /// Import path of the candidate's package: the module's alone, its
    /// own in a group (which Go's names and paths in its output carry).
    pub fn import_path(&self) -> String {
        match &self.dir {
            Place::Module(_) => MODULE.to_owned(),
            Place::Package { name, .. } => format!("{MODULE}/{name}"),
        }
    }

    /// HOME and TMPDIR for everything run here.
    pub fn home(&self) -> PathBuf {
        self.path().join("home")
    }

    /// sha256 over every staged file but the candidate's (kit, harness,
    /// generated files, go.mod), by name: exactly what judged. A package of
    /// a group digests as if staged alone (its generated import read as the
    /// module's), so the same harness has the same digest either way.
    pub fn harness_digest(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut names: Vec<String> = vec!["go.mod".into(), EXPORT_FILE.into(), SYMBOLS_FILE.into()];
        names.extend(self.harness_files.iter().cloned());
        if let Ok(kit) = std::fs::read_dir(self.module_root().join(KIT_DIR)) {
            names.extend(
                kit.flatten()
                    .map(|e| format!("{KIT_DIR}/{}", e.file_name().to_string_lossy())),
            );
        }
        names.sort();
        let mut hash = Sha256::new();
        for name in names {
            let contents = self.read_as_alone(&name);
            hash.update(name.as_bytes());
            hash.update([0]);
            hash.update((contents.len() as u64).to_be_bytes());
            hash.update(&contents);
        }
        format!("{:x}", hash.finalize())
    }

    /// A staged file's contents as a stage of its own would hold them.
    fn read_as_alone(&self, name: &str) -> Vec<u8> {
        let in_module = name == "go.mod"
            || name.starts_with(&format!("{KIT_DIR}/"))
            || name.starts_with(&format!("{}/", harness_package::HARNESS_DIR));
        let base = if in_module {
            self.module_root()
        } else {
            self.path()
        };
        let contents = std::fs::read(base.join(name)).unwrap_or_default();
        match &self.dir {
            Place::Package { .. } if name == SYMBOLS_FILE => String::from_utf8_lossy(&contents)
                .replace(
                    &format!("\"{}\"", self.import_path()),
                    &format!("\"{MODULE}\""),
                )
                .into_bytes(),
            Place::Package { .. } | Place::Module(_) => contents,
        }
    }

    pub fn binary(&self) -> PathBuf {
        self.path().join(TEST_BINARY)
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
                let _ = std::fs::remove_file(self.path().join(file));
                self.harness_files.retain(|f| f != file);
            }
        }
        self.write_signatures(exercise, keep)
    }

    /// Writes both generated files for the core symbols and the follow-ups
    /// in `followups`.
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
        let bridge = harness_package::bound_symbols(exercise).map(|bound| {
            let bound: Vec<&harness_package::Bound> = bound
                .iter()
                .filter(|b| checks.iter().any(|c| c.name == b.name))
                .collect();
            let tests: Vec<&str> = exercise
                .meta
                .tests
                .iter()
                .filter(|t| t.requires.as_ref().is_none_or(|s| followups.contains(s)))
                .map(|t| t.name.as_str())
                .collect();
            (
                harness_package::import_path(MODULE, exercise),
                harness_package::test_file_lines(&bound, &tests),
            )
        });
        let generated = generate(&checks, &self.import_path(), bridge);
        self.signature_lines = generated.symbol_lines;
        self.export_lines = generated.export_lines;
        self.write(EXPORT_FILE, &generated.export_file)?;
        self.write(SYMBOLS_FILE, &generated.symbols_file)
    }

    fn write(&self, name: &str, contents: &str) -> Result<(), GraderError> {
        let path = self.path().join(name);
        std::fs::write(&path, contents).map_err(|e| stage_error(&path, e))
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        match &self.dir {
            // TempDir removes itself.
            Place::Module(_) => {}
            Place::Package { dir, .. } => {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

/// go.mod and the kit package at a module's root.
/// A fresh folder in `parent` for a stage, a group's module or a vet
/// view: named with the `grade-<pid>-` prefix, so a dead grader's leftovers
/// are swept alike, and traversable (not listable) by the sandbox's uid,
/// which reaches the test binary by its path. Deleted on drop.
fn stage_folder(parent: &Path) -> Result<TempDir, GraderError> {
    let dir = tempfile::Builder::new()
        .prefix(&format!("grade-{}-", std::process::id()))
        .tempdir_in(parent)
        .map_err(|e| stage_error(parent, e))?;
    set_mode(dir.path(), 0o711)?;
    Ok(dir)
}

/// The HOME (and TMPDIR) folder of go commands run over a whole module.
fn make_home(root: &Path) -> Result<(), GraderError> {
    let home = root.join("home");
    std::fs::create_dir_all(&home).map_err(|e| stage_error(&home, e))
}

fn write_go_mod(root: &Path) -> Result<(), GraderError> {
    let path = root.join("go.mod");
    std::fs::write(&path, format!("module {MODULE}\n\ngo 1.25\n"))
        .map_err(|e| stage_error(&path, e))
}

fn write_module_files(root: &Path, exercise: &Exercise) -> Result<(), GraderError> {
    let write = |name: &str, contents: &str| {
        let path = root.join(name);
        std::fs::write(&path, contents).map_err(|e| stage_error(&path, e))
    };
    write_go_mod(root)?;
    let kit = root.join(KIT_DIR);
    std::fs::create_dir_all(&kit).map_err(|e| stage_error(&kit, e))?;
    for file in &exercise.kit {
        write(&format!("{KIT_DIR}/{}", file.name), &file.contents)?;
    }
    Ok(())
}

/// One module holding many staged packages (see [`Stage::create_package`])
/// that share `exercise`'s kit, so one go command builds them all. Deleted
/// on drop.
pub struct GroupModule {
    dir: TempDir,
}

impl GroupModule {
    pub fn create(parent: &Path, exercise: &Exercise) -> Result<GroupModule, GraderError> {
        std::fs::create_dir_all(parent).map_err(|e| stage_error(parent, e))?;
        let dir = stage_folder(parent)?;
        write_module_files(dir.path(), exercise)?;
        make_home(dir.path())?;
        Ok(GroupModule { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// HOME and TMPDIR of the go commands run over the whole module.
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }
}

/// A module of the group's candidates' files alone, one package each at
/// the group's package paths, for one `go vet ./...`: vetting the group's
/// module itself type-checked every package's harness tests too (vet looks
/// at a package with its tests), work a grade alone never does (it vets
/// `candidate.go` as a package of one file) and whose findings are all
/// dropped. Deleted on drop.
pub struct VetView {
    dir: TempDir,
}

impl VetView {
    /// Copies each of `packages`' candidate file.
    pub fn create(parent: &Path, packages: &[&Stage]) -> Result<VetView, GraderError> {
        let dir = stage_folder(parent)?;
        write_go_mod(dir.path())?;
        for package in packages {
            let Place::Package { name, .. } = &package.dir else {
                continue;
            };
            let folder = dir.path().join(name);
            std::fs::create_dir(&folder).map_err(|e| stage_error(&folder, e))?;
            set_mode(&folder, 0o711)?;
            let to = folder.join(CANDIDATE_FILE);
            std::fs::copy(package.path().join(CANDIDATE_FILE), &to)
                .map_err(|e| stage_error(&to, e))?;
        }
        make_home(dir.path())?;
        Ok(VetView { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// HOME and TMPDIR of the go vet run here.
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }
}

/// The two generated files and where each symbol's line is.
struct Generated {
    export_file: String,
    export_lines: Vec<(u32, String)>,
    symbols_file: String,
    symbol_lines: Vec<(u32, String)>,
}

/// Import name of the candidate's package in the generated test file.
const CANDIDATE_IMPORT: &str = "candidate";

/// Generates the export file (package `solution`) and the symbols file
/// (package `solution_test`) for `checks`. Each check names the candidate's
/// symbols as `candidate.Name`; unexported ones are reached through an
/// exported alias, `Gograde_name`, declared in the export file.
///
/// With `bridge` (the harness package's import path and the test file's
/// lines for it), the harness is a package of its own
/// (`harness_package`): it is imported as `harness` and the lines follow
/// the checks.
fn generate(
    checks: &[&SymbolSpec],
    candidate_path: &str,
    bridge: Option<(String, String)>,
) -> Generated {
    let reference = regex::Regex::new(&format!(r"\b{CANDIDATE_IMPORT}\.([A-Za-z_][A-Za-z0-9_]*)"))
        .expect("valid regex");
    let mut export_file = format!(
        "package {PACKAGE}\n\n// The harness kit initialises before any code of this package.\nimport _ \"{MODULE}/{KIT_DIR}\"\n\n"
    );
    let mut export_lines = Vec::new();
    let mut exported = BTreeSet::new();
    let mut lines = Vec::new();
    for symbol in checks {
        let check = reference.replace_all(symbol.check.trim(), |c: &regex::Captures| {
            let name = &c[1];
            if name.starts_with(|ch: char| ch.is_ascii_uppercase()) {
                return format!("{CANDIDATE_IMPORT}.{name}");
            }
            if exported.insert(name.to_owned()) {
                let line = export_file.lines().count() as u32 + 1;
                export_file.push_str(&format!("var {EXPORT_PREFIX}{name} = {name}\n"));
                export_lines.push((line, symbol.name.clone()));
            }
            format!("{CANDIDATE_IMPORT}.{EXPORT_PREFIX}{name}")
        });
        lines.push((symbol.name.clone(), check.into_owned()));
    }
    let joined: String = lines.iter().map(|(_, l)| l.as_str()).collect();
    let mut imports: BTreeSet<(String, String)> = [
        ("".to_owned(), "os".to_owned()),
        ("".to_owned(), "testing".to_owned()),
        ("".to_owned(), format!("{MODULE}/{KIT_DIR}")),
        (CANDIDATE_IMPORT.to_owned(), candidate_path.to_owned()),
    ]
    .into_iter()
    .collect();
    if let Some((path, _)) = &bridge {
        imports.insert(("harness".to_owned(), path.clone()));
    }
    for (name, path) in KNOWN_PACKAGES {
        if joined.contains(&format!("{name}.")) {
            imports.insert((String::new(), (*path).to_owned()));
        }
    }
    let mut symbols_file = format!("package {PACKAGE}_test\n\nimport (\n");
    for (alias, path) in &imports {
        let alias = if alias.is_empty() {
            String::new()
        } else {
            format!("{alias} ")
        };
        symbols_file.push_str(&format!("\t{alias}\"{path}\"\n"));
    }
    symbols_file.push_str(")\n\n");
    let mut symbol_lines = Vec::new();
    for (symbol, line) in lines {
        symbol_lines.push((symbols_file.lines().count() as u32 + 1, symbol));
        symbols_file.push_str(&line);
        symbols_file.push('\n');
    }
    if let Some((_, lines)) = &bridge {
        symbols_file.push_str(lines);
    }
    symbols_file.push_str(
        "\n// The kit re-asserts gograde's flags and reports the exit code.\nfunc TestMain(m *testing.M) { os.Exit(kit.Main(m)) }\n",
    );
    Generated {
        export_file,
        export_lines,
        symbols_file,
        symbol_lines,
    }
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
