//! Tells cargo to rebuild when the embedded folders change (`include_dir!`
//! embeds exercises/, harness/, checker/ and guides/ into the binary, but
//! cargo cannot see files read by a macro, so a harness edit alone left the
//! old harness in the binary), and builds the code checker (`checker/`)
//! with the Go found here, so gograde carries it built: a first grade then
//! writes it out instead of compiling go/types and its packages (several
//! seconds of a cold start). The Go version is recorded beside it; gograde
//! uses the built program only under that same version (the export data it
//! reads is version-specific) and builds it from the embedded source
//! otherwise, as it does when this build found no Go at all.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    for dir in ["exercises", "harness", "checker", "guides"] {
        println!("cargo:rerun-if-changed={dir}");
    }
    println!("cargo:rerun-if-env-changed=GOGRADE_SKIP_CHECKER_BUILD");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let binary = out.join("gograde-check");
    let version = out.join("gograde-check.version");
    let built = if std::env::var_os("GOGRADE_SKIP_CHECKER_BUILD").is_some() {
        Err("GOGRADE_SKIP_CHECKER_BUILD is set".to_owned())
    } else {
        build_checker(&binary)
    };
    match built {
        Ok(go_version) => std::fs::write(&version, go_version).expect("write into OUT_DIR"),
        Err(why) => {
            println!(
                "cargo::warning=the code checker is not built in ({why}); gograde builds it on its first grade"
            );
            std::fs::write(&binary, b"").expect("write into OUT_DIR");
            std::fs::write(&version, b"").expect("write into OUT_DIR");
        }
    }
}

/// Builds checker/ into `binary`; returns the Go version it was built with.
fn build_checker(binary: &Path) -> Result<String, String> {
    let go = find_go().ok_or("no go on PATH")?;
    let go_command = || {
        let mut cmd = Command::new(&go);
        cmd.current_dir("checker")
            .env("GOTOOLCHAIN", "local")
            .env("GOPROXY", "off")
            .env("GOFLAGS", "-mod=mod")
            .env("GOWORK", "off")
            // A static program: the checker calls nothing in C.
            .env("CGO_ENABLED", "0");
        cmd
    };
    let version = go_command()
        .args(["env", "GOVERSION"])
        .output()
        .map_err(|e| format!("go env: {e}"))?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    if version.is_empty() {
        return Err("go env GOVERSION said nothing".into());
    }
    let built = go_command()
        .args(["build", "-trimpath", "-ldflags=-s -w", "-o"])
        .arg(binary)
        .arg(".")
        .output()
        .map_err(|e| format!("go build: {e}"))?;
    if !built.status.success() {
        return Err(format!(
            "go build failed: {}",
            String::from_utf8_lossy(&built.stderr).trim()
        ));
    }
    Ok(version)
}

/// `go` on PATH, else Go's default install location (as gograde looks).
fn find_go() -> Option<PathBuf> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join("go"))
                .find(|p| p.is_file())
        })
        .or_else(|| Some(PathBuf::from("/usr/local/go/bin/go")).filter(|p| p.is_file()))
}
