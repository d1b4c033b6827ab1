//! Sandbox overhead: the same compiled test binary (the reverse exercise's
//! reference solution) run repeatedly without and with the sandbox, in
//! alternation, on the same machine. Prints medians and the difference.
//! Run with `cargo bench --bench sandbox_overhead` (as root for the full
//! set of layers).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gograde::core::fixup;
use gograde::exec::sandbox::{self, Sandbox};
use gograde::exercise::Catalog;
use gograde::grade::stage::Stage;
use gograde::grade::toolchain::Toolchain;

const RUNS: usize = 41;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let toolchain = Toolchain::discover().expect("go toolchain");
    let catalog = Catalog::load(None).expect("catalog");
    let exercise = catalog.get("reverse").expect("reverse exercise");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source =
        std::fs::read_to_string(root.join("exercises/reverse/solutions/good/reference.go"))
            .unwrap();
    let prepared = fixup::prepare(&source, "reference.go", false).unwrap();
    let scratch = toolchain.stage_root();
    let staged = Stage::create(&scratch, exercise, &prepared.text, &Default::default()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let compiled =
        gograde::grade::binary::compile_tests(&toolchain, &staged, deadline, 1 << 20, None)
            .unwrap()
            .captured;
    assert!(
        compiled.status.is_some_and(|s| s.success()),
        "compile failed: {}",
        compiled.stderr
    );

    let (config, layers) = sandbox::machine_config(&scratch);
    let config = config.expect("a sandbox configuration");
    let args = [
        "-test.v=test2json",
        "-test.paniconexit0",
        "-test.run=^TestCore_",
    ];
    let run_plain = || {
        let t = Instant::now();
        let status = Command::new(staged.binary())
            .args(args)
            .current_dir(staged.path())
            .env_clear()
            .envs(toolchain.run_env(&staged.home()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        t.elapsed()
    };
    let run_sandboxed = || {
        let t = Instant::now();
        let binary = staged.binary();
        let home = staged.home();
        let mut sb = Sandbox::prepare(
            config,
            staged.path(),
            &[&binary],
            &home,
            sandbox::Limits::default(),
        )
        .unwrap();
        let mut cmd = Command::new(sb.inside(staged.path(), &staged.binary()));
        cmd.args(args)
            .current_dir(staged.path())
            .env_clear()
            .envs(toolchain.run_env(&sb.inside(staged.path(), &staged.home())))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        sb.apply(&mut cmd);
        let status = cmd.status().unwrap();
        sb.finish();
        assert!(status.success());
        t.elapsed()
    };
    // Warm both paths.
    run_plain();
    run_sandboxed();
    let mut plain = Vec::new();
    let mut boxed = Vec::new();
    for _ in 0..RUNS {
        plain.push(run_plain());
        boxed.push(run_sandboxed());
    }
    let (p, b) = (median(plain), median(boxed));
    let active: Vec<&str> = layers
        .list()
        .into_iter()
        .filter(|(_, s)| *s == sandbox::LayerState::Active)
        .map(|(n, _)| n)
        .collect();
    println!("sandbox layers active: {}", active.join("; "));
    println!("runs: {RUNS} each, alternating");
    println!(
        "plain test binary:     median {:.1} ms",
        p.as_secs_f64() * 1e3
    );
    println!(
        "sandboxed test binary: median {:.1} ms",
        b.as_secs_f64() * 1e3
    );
    println!(
        "overhead: {:.1} ms per run (target < 20 ms)",
        (b.as_secs_f64() - p.as_secs_f64()) * 1e3
    );
}
