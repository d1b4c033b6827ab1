//! The check program, embedded in gograde and built once into its cache
//! (`<cache>/checker/gograde-check-<digest>`). The digest covers the
//! program's source and the Go version, so a new gograde or a new Go builds
//! it again; until then every grade finds it with one `stat`. Older builds
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

/// How the program is built: as the test binaries are (race, cgo,
/// -trimpath), so on a cold cache it shares their standard library instead
/// of compiling a second one (only go/types and its few packages are its
/// own). The race instrumentation costs its one small type-check little.
const BUILD_ARGS: &[&str] = &["build", "-race", "-trimpath"];

/// Where the check keeps its binary and its export-data map.
pub fn cache_dir(toolchain: &Toolchain) -> PathBuf {
    toolchain.cache_root.join("checker")
}

/// The built program, building it first if this source and Go version have
/// not been built yet.
pub fn ensure_built(toolchain: &Toolchain, deadline: Instant) -> Result<PathBuf, CheckError> {
    let dir = cache_dir(toolchain);
    let binary = binary_path(toolchain);
    if binary.is_file() {
        return Ok(binary);
    }
    // One build per process; concurrent gograde processes each build to a
    // name of their own and rename, so none sees half a binary.
    static BUILDING: Mutex<()> = Mutex::new(());
    let _held = BUILDING.lock().unwrap_or_else(|e| e.into_inner());
    if binary.is_file() {
        return Ok(binary);
    }
    std::fs::create_dir_all(&dir).map_err(|e| CheckError::Io(dir.clone(), e))?;
    let src = tempfile::Builder::new()
        .prefix("src-")
        .tempdir_in(&dir)
        .map_err(|e| CheckError::Io(dir.clone(), e))?;
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
    std::fs::rename(&built, &binary).map_err(|e| CheckError::Io(binary.clone(), e))?;
    Ok(binary)
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
}
