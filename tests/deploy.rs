//! The files in `deploy/` as far as they can be checked without GitHub, a
//! Kubernetes cluster or a Docker engine: the YAML parses, the shard
//! counts agree everywhere they are written, every `gograde` command in
//! them is a valid command line of this version (parsed by the real
//! argument parser), the shards they name partition a batch, and the
//! Dockerfile copies everything the build reads: checked on the text, and
//! for real by building its build stage's files, copied alone into an
//! empty folder, offline.

use std::path::{Path, PathBuf};

use clap::Parser;
use gograde::batch::shard::Shard;
use gograde::cli::{Cli, Command};
use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn load(path: &str) -> Vec<Yaml> {
    let text = std::fs::read_to_string(repo().join(path)).unwrap();
    YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `gograde ...` commands in a shell script, split into words: the
/// segments between `&&`, `||`, `;`, `|` and `(`/`)` that start with the
/// program name. Continuation lines are joined first.
fn gograde_commands(script: &str) -> Vec<Vec<String>> {
    let joined = script.replace("\\\n", " ");
    let mut commands = Vec::new();
    for line in joined.lines() {
        let mut segments = vec![line.to_owned()];
        for sep in ["&&", "||", ";", "|", "(", ")"] {
            segments = segments
                .iter()
                .flat_map(|s| s.split(sep).map(str::to_owned).collect::<Vec<_>>())
                .collect();
        }
        for segment in segments {
            let words: Vec<String> = segment.split_whitespace().map(str::to_owned).collect();
            if words.first().is_some_and(|w| w == "gograde" || w == "exec") {
                let words = if words[0] == "exec" {
                    words[1..].to_vec()
                } else {
                    words
                };
                if words.first().is_some_and(|w| w == "gograde") {
                    commands.push(words);
                }
            }
        }
    }
    commands
}

fn parse(words: &[String]) -> Cli {
    Cli::try_parse_from(words).unwrap_or_else(|e| panic!("{words:?} is not valid: {e}"))
}

#[test]
fn github_workflow_shards_agree_and_every_command_parses() {
    let docs = load("deploy/github-actions/grade.yml");
    let wf = &docs[0];
    let matrix: Vec<i64> = wf["jobs"]["grade"]["strategy"]["matrix"]["shard"]
        .as_vec()
        .expect("a shard matrix")
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    let n = matrix.len() as i64;
    assert_eq!(matrix, (1..=n).collect::<Vec<_>>(), "shards are 1..=N");
    assert_eq!(
        wf["env"]["SHARDS"].as_i64(),
        Some(n),
        "env SHARDS is the matrix size"
    );

    let steps = |job: &str| -> Vec<Yaml> { wf["jobs"][job]["steps"].as_vec().unwrap().clone() };
    let scripts = |job: &str| -> Vec<String> {
        steps(job)
            .iter()
            .filter_map(|s| s["run"].as_str().map(str::to_owned))
            .collect()
    };
    let mut subcommands = Vec::new();
    for k in &matrix {
        let mut batch_outputs = Vec::new();
        for script in scripts("grade") {
            let script = script
                .replace("${{ matrix.shard }}", &k.to_string())
                .replace("${{ env.SHARDS }}", &n.to_string());
            for words in gograde_commands(&script) {
                let cli = parse(&words);
                subcommands.push(words[1].clone());
                if let Command::Batch(args) = cli.command {
                    let shard = Shard::parse(args.shard.as_deref().expect("--shard K/N")).unwrap();
                    assert_eq!(
                        shard,
                        Shard {
                            index: *k as u64,
                            count: n as u64
                        }
                    );
                    batch_outputs.push(args.output);
                }
            }
        }
        assert_eq!(batch_outputs.len(), 1, "one batch per shard");
        let upload = steps("grade")
            .into_iter()
            .find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("actions/upload-artifact"))
            })
            .expect("an upload step");
        assert_eq!(
            upload["with"]["path"].as_str().map(PathBuf::from),
            Some(batch_outputs[0].join("verdicts.jsonl")),
            "the shard uploads the verdicts it wrote"
        );
        assert_eq!(
            upload["with"]["name"].as_str(),
            Some("verdicts-${{ matrix.shard }}")
        );
    }

    let download = steps("merge")
        .into_iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/download-artifact"))
        })
        .expect("a download step");
    assert_eq!(download["with"]["pattern"].as_str(), Some("verdicts-*"));
    let into = download["with"]["path"].as_str().unwrap();
    let mut merged = None;
    for script in scripts("merge") {
        for words in gograde_commands(&script) {
            subcommands.push(words[1].clone());
            if let Command::Merge { inputs, output } = parse(&words).command {
                // download-artifact puts each artifact in a folder of its name.
                let expected: Vec<PathBuf> = matrix
                    .iter()
                    .map(|k| Path::new(into).join(format!("verdicts-{k}")))
                    .collect();
                assert_eq!(inputs, expected, "the merge takes every shard");
                merged = Some(output);
            }
        }
    }
    let merged = merged.expect("a merge step");
    let reports: Vec<String> = steps("merge")
        .iter()
        .filter_map(|s| s["with"]["report_paths"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(reports, [merged.join("junit.xml").display().to_string()]);
    assert!(
        scripts("merge")
            .iter()
            .any(|s| s.contains(&merged.join("summary.txt").display().to_string())),
        "the summary is published"
    );
    for expected in ["doctor", "warm", "batch", "merge"] {
        assert!(
            subcommands.iter().any(|s| s == expected),
            "{expected}: {subcommands:?}"
        );
    }
}

#[test]
fn kubernetes_completion_index_is_the_shard_and_the_merge_takes_every_shard() {
    let grade = &load("deploy/kubernetes/grade-job.yaml")[0];
    assert_eq!(grade["kind"].as_str(), Some("Job"));
    let spec = &grade["spec"];
    assert_eq!(spec["completionMode"].as_str(), Some("Indexed"));
    let n = spec["completions"].as_i64().expect("completions") as u64;
    let container = &spec["template"]["spec"]["containers"][0];
    assert_eq!(
        container["securityContext"]["seccompProfile"]["type"].as_str(),
        Some("Unconfined"),
        "the sandbox's user namespace needs it"
    );
    let command: Vec<&str> = container["command"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(command[..2], ["sh", "-c"]);
    let mut outputs = Vec::new();
    let mut owners = vec![0; 64];
    let paths: Vec<PathBuf> = (0..64)
        .map(|i| PathBuf::from(format!("s/{i}.go")))
        .collect();
    for index in 0..n {
        let script = command[2].replace("$JOB_COMPLETION_INDEX", &index.to_string());
        let commands = gograde_commands(&script);
        assert_eq!(commands.len(), 1, "{script}");
        let Command::Batch(args) = parse(&commands[0]).command else {
            panic!("a batch: {script}")
        };
        assert_eq!(
            args.shard_count,
            Some(n),
            "--shard-count equals completions"
        );
        let var = args.shard_index_env.expect("--shard-index-env");
        assert_eq!(var, "JOB_COMPLETION_INDEX");
        assert!(args.resume, "a retried pod keeps what it finished");
        let shard = Shard::from_env(&var, n, |_| Some(index.to_string())).unwrap();
        for (owner, path) in owners.iter_mut().zip(&paths) {
            *owner += usize::from(shard.owns(path));
        }
        outputs.push(args.output);
    }
    assert!(
        owners.iter().all(|&k| k == 1),
        "each path in exactly one pod's shard"
    );

    let merge = &load("deploy/kubernetes/merge-job.yaml")[0];
    let mut words = vec!["gograde".to_owned()];
    words.extend(
        merge["spec"]["template"]["spec"]["containers"][0]["args"]
            .as_vec()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap().to_owned()),
    );
    let Command::Merge { inputs, .. } = parse(&words).command else {
        panic!("a merge: {words:?}")
    };
    assert_eq!(inputs, outputs, "the merge reads every pod's output");
}

/// The Dockerfile's instructions (continuation lines joined, comments
/// dropped), split into its build stage and its runtime stage.
fn dockerfile_stages() -> (Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(repo().join("deploy/docker/Dockerfile")).unwrap();
    let joined = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("\\\n", " ");
    let instructions: Vec<String> = joined
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let stages: Vec<usize> = instructions
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("FROM "))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(stages.len(), 2, "a build stage and a runtime stage");
    let (build, runtime) = instructions.split_at(stages[1]);
    (build.to_vec(), runtime.to_vec())
}

/// The paths the build stage copies from the build context.
fn build_stage_copies(build: &[String]) -> Vec<String> {
    build
        .iter()
        .filter_map(|l| l.strip_prefix("COPY "))
        .flat_map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            words[..words.len() - 1]
                .iter()
                .map(|w| w.trim_end_matches('/').to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every `.rs` file under `dir`, at any depth.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

#[test]
fn dockerfile_copies_what_the_build_reads_and_warms_the_cache() {
    let (build, runtime) = dockerfile_stages();
    let copied = build_stage_copies(&build);
    // What cargo reads: the manifest's target paths and the folders the
    // source embeds with include_dir!.
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(repo().join("Cargo.toml")).unwrap()).unwrap();
    let mut needed: Vec<String> = vec!["Cargo.toml".into(), "Cargo.lock".into()];
    // The build script, which cargo runs when it is there.
    if repo().join("build.rs").exists() {
        needed.push("build.rs".into());
    }
    for section in ["lib"] {
        if let Some(p) = manifest[section]["path"].as_str() {
            needed.push(p.split('/').next().unwrap().to_owned());
        }
    }
    for section in ["bin", "bench"] {
        for target in manifest[section].as_array().into_iter().flatten() {
            needed.push(
                target["path"]
                    .as_str()
                    .unwrap()
                    .split('/')
                    .next()
                    .unwrap()
                    .to_owned(),
            );
        }
    }
    // Wherever a module is (src/grade/typecheck/ embeds checker/), and whatever
    // embeds (include_dir!, include_str!, include_bytes!) from outside src/.
    let mut sources = rust_files(&repo().join("src"));
    sources.push(repo().join("build.rs"));
    for file in sources {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for part in text.split("$CARGO_MANIFEST_DIR/").skip(1) {
            needed.push(part.split(['/', '"']).next().unwrap().to_owned());
        }
    }
    assert!(
        needed.iter().any(|n| n == "checker"),
        "the search finds src/grade/typecheck/'s checker/: {needed:?}"
    );
    for path in &needed {
        assert!(
            copied.iter().any(|c| c == path || c == "."),
            "the build stage does not copy {path}: {copied:?}"
        );
    }
    let runtime: Vec<&str> = runtime.iter().map(String::as_str).collect();
    assert!(runtime[0].starts_with("FROM golang:"), "{}", runtime[0]);
    let position = |needle: &str| {
        runtime
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("the runtime stage lacks {needle}"))
    };
    assert!(
        position("gcc") < position("gograde warm"),
        "gcc before warming (-race needs cgo)"
    );
    assert!(position("COPY --from=build") < position("gograde warm"));
    assert!(
        position("ENV GOGRADE_CACHE") < position("gograde warm"),
        "the cache is kept in the image"
    );
    assert!(
        runtime
            .iter()
            .any(|l| l.starts_with("ENTRYPOINT [\"gograde\"]"))
    );
}

/// The build stage for real, without Docker: exactly what it copies, put
/// in an empty folder, must build offline (`cargo check`: the embedding
/// macros and the build script run; the code generation would add nothing
/// about the files). Its own target directory under `target/` keeps the
/// dependencies between runs, so after the first it costs seconds; it is
/// not this run's own target directory, which cargo keeps locked while the
/// tests run.
#[test]
fn the_dockerfiles_build_stage_builds_from_exactly_what_it_copies() {
    let (build, _) = dockerfile_stages();
    let context = tempfile::TempDir::new().unwrap();
    for path in build_stage_copies(&build) {
        let from = repo().join(&path);
        let to = context.path().join(&path);
        let status = std::process::Command::new("cp")
            .arg("-a")
            .arg(&from)
            .arg(&to)
            .status()
            .unwrap();
        assert!(status.success(), "copy {}", from.display());
    }
    let target = repo().join("target/dockerfile-check");
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "check",
            "--offline",
            "--locked",
            "--quiet",
            "--bin",
            "gograde",
        ])
        .current_dir(context.path())
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the build stage fails on what it copies:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
