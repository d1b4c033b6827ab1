//! The check program, put once into gograde's cache
//! (`<cache>/checker/gograde-check-<digest>`): written out of gograde itself
//! when gograde's build built it (`build.rs`) with the Go grading now, else
//! built from its embedded source. The digest covers the program's source
//! and the Go version, so a new gograde or a new Go puts it there again;
//! until then every grade finds it with one `stat`. Older builds
//! are left in place: gograde builds of another version (another checkout's
//! tests, say) may share the cache and still use theirs.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use include_dir::{Dir, include_dir};
use sha2::{Digest, Sha256};

use super::job::CheckError;
use crate::exec::process;
use crate::grade::toolchain::Toolchain;

static SOURCE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/checker");

/// The program as gograde's build built it (empty when it found no Go).
static BUILT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gograde-check"));
/// The Go version `BUILT` was built with (empty with it).
static BUILT_WITH: &str = include_str!(concat!(env!("OUT_DIR"), "/gograde-check.version"));

/// How the program is built when gograde does not carry it: as the test
/// binaries are (race, cgo, -trimpath), so on a cold cache it shares their
/// standard library instead of compiling a second one (only go/types and
/// its few packages are its own). The race instrumentation costs its one
/// small type-check little.
const BUILD_ARGS: &[&str] = &["build", "-race", "-trimpath"];

/// Where the check keeps its binary and its export-data map.
pub fn cache_dir(toolchain: &Toolchain) -> PathBuf {
    toolchain.cache_root.join("checker")
}

/// The program, put in place first if this source and Go version are not
/// there yet: written out when gograde carries it built with this Go, else
/// built.
pub fn ensure_built(toolchain: &Toolchain, deadline: Instant) -> Result<PathBuf, CheckError> {
    let dir = cache_dir(toolchain);
    let binary = binary_path(toolchain);
    if binary.is_file() {
        return Ok(binary);
    }
    // One per process; concurrent gograde processes each write to a name
    // of their own and rename, so none sees half a binary.
    static BUILDING: Mutex<()> = Mutex::new(());
    let _held = BUILDING.lock().unwrap_or_else(|e| e.into_inner());
    if binary.is_file() {
        return Ok(binary);
    }
    std::fs::create_dir_all(&dir).map_err(|e| CheckError::Io(dir.clone(), e))?;
    if carried_for(&toolchain.version) {
        write_carried(&dir, &binary)?;
        return Ok(binary);
    }
    build_from_source(toolchain, &dir, &binary, deadline)?;
    Ok(binary)
}

/// Whether gograde carries the program built with `go_version`.
fn carried_for(go_version: &str) -> bool {
    !BUILT.is_empty() && BUILT_WITH.trim() == go_version
}

/// Writes the carried program to `binary`, executable.
fn write_carried(dir: &Path, binary: &Path) -> Result<(), CheckError> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let mut file = tempfile::Builder::new()
        .prefix("carried-")
        .permissions(std::fs::Permissions::from_mode(0o755))
        .tempfile_in(dir)
        .map_err(|e| CheckError::Io(dir.to_path_buf(), e))?;
    file.write_all(BUILT)
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| CheckError::Io(file.path().to_path_buf(), e))?;
    file.persist(binary)
        .map_err(|e| CheckError::Io(binary.to_path_buf(), e.error))?;
    Ok(())
}

/// Builds the program from its embedded source into `binary`.
pub fn build_from_source(
    toolchain: &Toolchain,
    dir: &Path,
    binary: &Path,
    deadline: Instant,
) -> Result<(), CheckError> {
    let src = tempfile::Builder::new()
        .prefix("src-")
        .tempdir_in(dir)
        .map_err(|e| CheckError::Io(dir.to_path_buf(), e))?;
    write_source(src.path())?;
    let built = src.path().join("gograde-check");
    let mut cmd = toolchain.go_command(src.path(), src.path());
    cmd.args(BUILD_ARGS).arg("-o").arg(&built).arg(".");
    let captured = process::run(cmd, deadline, 64 * 1024, None).map_err(CheckError::Spawn)?;
    if captured.timed_out {
        return Err(CheckError::TimedOut);
    }
    if !captured.status.is_some_and(|s| s.success()) {
        return Err(CheckError::Build(
            format!("{}{}", captured.stdout, captured.stderr)
                .trim()
                .to_owned(),
        ));
    }
    std::fs::rename(&built, binary).map_err(|e| CheckError::Io(binary.to_path_buf(), e))?;
    Ok(())
}

/// The program's files: go.mod, its Go sources (not its tests, nor a
/// binary someone built in the folder) and the tables it embeds with
/// `//go:embed` (`*.txt`: the forbidden imports, which gograde embeds too).
fn source_files() -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = SOURCE
        .files()
        .filter(|f| {
            let name = f.path().to_string_lossy();
            name == "go.mod"
                || name.ends_with(".txt")
                || (name.ends_with(".go") && !name.ends_with("_test.go"))
        })
        .collect();
    files.sort_by_key(|f| f.path());
    files
}

/// Where this source built with this Go lives in the cache.
pub fn binary_path(toolchain: &Toolchain) -> PathBuf {
    cache_dir(toolchain).join(format!(
        "gograde-check-{}",
        &digest(&toolchain.version)[..16]
    ))
}

fn write_source(dir: &Path) -> Result<(), CheckError> {
    for file in source_files() {
        let path = dir.join(file.path());
        std::fs::write(&path, file.contents()).map_err(|e| CheckError::Io(path, e))?;
    }
    Ok(())
}

/// A digest of the embedded source (file names and contents, in name
/// order) and the Go version.
pub fn digest(go_version: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(go_version.as_bytes());
    hash.update(BUILD_ARGS.join(" ").as_bytes());
    for file in source_files() {
        hash.update([0]);
        hash.update(file.path().to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(file.contents());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_program_is_embedded_and_its_digest_follows_the_go_version() {
        let names: Vec<String> = source_files()
            .iter()
            .map(|f| f.path().display().to_string())
            .collect();
        assert!(names.iter().any(|n| n == "go.mod"), "{names:?}");
        assert!(names.iter().any(|n| n == "main.go"), "{names:?}");
        assert!(
            names.iter().any(|n| n == "forbidden-imports.txt"),
            "the table the program embeds is staged with it: {names:?}"
        );
        assert_eq!(digest("go1.26.8"), digest("go1.26.8"));
        assert_ne!(digest("go1.26.8"), digest("go1.26.9"));
    }

    #[test]
    fn the_carried_program_is_used_only_under_the_go_it_was_built_with() {
        if BUILT.is_empty() {
            // Built without Go (GOGRADE_SKIP_CHECKER_BUILD, say).
            assert!(!carried_for(BUILT_WITH.trim()));
            return;
        }
        assert!(BUILT_WITH.starts_with("go"), "{BUILT_WITH:?}");
        assert!(carried_for(BUILT_WITH.trim()));
        assert!(!carried_for("go0.0.0"));
        assert_eq!(&BUILT[..4], b"\x7fELF");
    }
}
