//! One go command for many submissions: batch grading stages a group of
//! submissions as packages of one module (`stage::GroupModule`) and builds
//! every test binary with one confined `go test -c -o DIR/ ./...` (Go
//! builds and links them in parallel and fails each package apart), with
//! one `go vet -json ./...` beside it over the candidates' files alone
//! (`stage::VetView`; its findings attributed by the package vet keys them
//! by, `VetFindings`). Only the go command is
//! shared: each submission keeps its own package, binary and sandboxed
//! run, judged by `engine` exactly as a grade alone.
//!
//! Whatever the group build cannot speak for goes through the ordinary
//! grade alone: a package without a binary (its compile errors are then
//! explained exactly as always), and the whole group when the build or vet
//! hit a limit, ran out of time or could not run, so one compile bomb
//! costs the others nothing but a rebuild.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use crate::core::import_path;
use crate::core::vet::{self, Finding};
use crate::exercise::Exercise;
use crate::grade::binary::{self, BuildRun, VET_ARGS};
use crate::grade::engine::Grade;
use crate::grade::options::GradeOptions;
use crate::grade::stage::{self, GroupModule, Stage, VetView};
use crate::grade::toolchain::Toolchain;
use crate::verdict::Verdict;

/// Where the group build writes its test binaries, under the module.
const BIN_DIR: &str = "bin";

/// Submissions per group for `jobs` runners: enough packages for the go
/// command to keep both cores busy compiling and linking, few enough that
/// the runners start early and the next group builds while they run.
pub fn group_size(jobs: usize) -> usize {
    (jobs * 4).clamp(8, 16)
}

/// Whether two exercises can share a module: the kit is staged once.
pub fn same_kit(a: &Exercise, b: &Exercise) -> bool {
    a.kit.len() == b.kit.len()
        && a.kit
            .iter()
            .zip(&b.kit)
            .all(|(x, y)| x.name == y.name && x.contents == y.contents)
}

/// A submission to finish on a runner thread, with `tag` (whatever the
/// caller needs to report it).
pub struct Job<'a, T> {
    pub tag: T,
    work: Work<'a>,
}

enum Work<'a> {
    /// The group build made its test binary: run and judge it.
    Built {
        grade: Grade<'a>,
        staged: Stage,
        /// Kept until the package's run is over (the kit and go.mod are
        /// there); dropped after `staged`.
        module: Arc<GroupModule>,
        /// How long staging and the group build took, and this
        /// submission's share of the build.
        ms: (u64, u64, u64),
        vet: Option<Arc<VetFindings>>,
    },
    /// The group build could not speak for it: grade it alone.
    Alone(Grade<'a>),
}

impl<T> Job<'_, T> {
    /// Runs (building alone first if need be) and judges the submission.
    pub fn finish(self) -> (T, Verdict) {
        let verdict = match self.work {
            Work::Alone(grade) => grade.finish_alone(),
            Work::Built {
                grade,
                staged,
                module,
                ms,
                vet,
            } => {
                let package = package_name(&staged);
                let vet = vet.as_ref().map(|v| v.of(&package));
                let verdict = grade.run_built(&staged, ms, vet);
                drop(staged);
                drop(module);
                verdict
            }
        };
        (self.tag, verdict)
    }
}

/// Stages `grades` as one module, builds them with one go command and
/// returns a job per submission, in order. A group of one is graded alone.
///
/// A little over a hundred lines: stage, build with vet beside it, then
/// hand each package its binary; every step's failure sends the whole
/// group to be graded alone, and that rule reads best in one place.
pub fn build<'a, T>(
    toolchain: &Toolchain,
    options: &GradeOptions,
    grades: Vec<(T, Grade<'a>)>,
) -> Vec<Job<'a, T>> {
    let alone = |grades: Vec<(T, Grade<'a>)>| {
        grades
            .into_iter()
            .map(|(tag, grade)| Job {
                tag,
                work: Work::Alone(grade),
            })
            .collect()
    };
    if grades.len() < 2 {
        return alone(grades);
    }
    let stage_started = Instant::now();
    let module = match GroupModule::create(&toolchain.stage_root(), grades[0].1.exercise()) {
        Ok(m) => Arc::new(m),
        Err(_) => return alone(grades),
    };
    let mut staged = Vec::with_capacity(grades.len());
    for (i, (_, grade)) in grades.iter().enumerate() {
        match Stage::create_package(
            &module,
            &format!("p{i}"),
            grade.exercise(),
            grade.source(),
            grade.followups(),
        ) {
            Ok(s) => staged.push(s),
            Err(_) => return alone(grades),
        }
    }
    let stage_ms = stage_started.elapsed().as_millis() as u64;
    let build_started = Instant::now();
    let deadline = build_started + options.timeout;
    let want_vet = grades.iter().any(|(_, g)| g.wants_vet());
    let vet_view = if want_vet {
        let packages: Vec<&Stage> = staged.iter().collect();
        match VetView::create(&toolchain.stage_root(), &packages) {
            Ok(view) => Some(view),
            Err(_) => return alone(grades),
        }
    } else {
        None
    };
    let outcome = std::thread::scope(|scope| {
        let vet = vet_view.as_ref().map(|view| {
            scope.spawn(|| {
                let mut cmd = toolchain.go_command(view.path(), &view.home());
                cmd.arg("vet").args(VET_ARGS).arg("./...");
                binary::run_confined(
                    toolchain,
                    cmd,
                    deadline,
                    options.output_cap,
                    &options.limits,
                )
            })
        });
        let mut cmd = toolchain.go_command(module.path(), &module.home());
        cmd.args(crate::grade::toolchain::TEST_BUILD_ARGS).args([
            "-o",
            &format!("{BIN_DIR}/"),
            "./...",
        ]);
        let built = binary::run_confined(
            toolchain,
            cmd,
            deadline,
            options.output_cap,
            &options.limits,
        );
        let vet = vet.map(|handle| handle.join().ok().and_then(Result::ok));
        (built, vet)
    });
    let (built, vet) = outcome;
    let build_ms = build_started.elapsed().as_millis() as u64;
    let ms = (stage_ms, build_ms, build_ms / grades.len() as u64);
    // A limit or the deadline stops the whole go command, so no package's
    // result can be trusted: every one is graded alone, within its own
    // limits, and only the culprit fails.
    if !built.as_ref().is_ok_and(finished) {
        return alone(grades);
    }
    let vet = match vet {
        None => None,
        // Output past the cap lost findings of some package, which one
        // cannot be told: graded alone, each gets all of its own.
        Some(Some(run)) if finished(&run) && !run.captured.truncated => {
            Some(Arc::new(VetFindings::parse(&run.captured.stdout)))
        }
        Some(_) => return alone(grades),
    };
    grades
        .into_iter()
        .zip(staged)
        .map(|((tag, grade), staged)| {
            let package = package_name(&staged);
            let made = module.path().join(BIN_DIR).join(format!("{package}.test"));
            let work = if std::fs::rename(&made, staged.binary()).is_ok() {
                Work::Built {
                    grade,
                    staged,
                    module: module.clone(),
                    ms,
                    vet: vet.clone(),
                }
            } else {
                // It did not build: alone, its compile errors are
                // explained (and follow-ups dropped) exactly as always.
                drop(staged);
                Work::Alone(grade)
            };
            Job { tag, work }
        })
        .collect()
}

/// Whether a build command ran to its end (successfully or not) within
/// every limit.
fn finished(run: &BuildRun) -> bool {
    run.limit_hit.is_none() && !run.captured.timed_out
}

fn package_name(staged: &Stage) -> String {
    staged
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// go vet's findings over the module, by package: attributed from
/// `go vet -json`'s structure (the package ID it keys them by), and kept
/// only where the position is in a folder of that package's name. Never
/// from the text: a finding's message quotes the candidate's code, so text
/// shaped like another package's section is only part of a message here.
/// The folder is told by its name, not its whole path: go vet's output is
/// cached by content (`-trimpath` leaves folders out of the key), so a
/// finding replayed from the cache names the folder of the run that first
/// made it, a view since deleted.
#[derive(Debug, Default)]
pub struct VetFindings(BTreeMap<String, Vec<Finding>>);

impl VetFindings {
    /// `stdout` of `go vet -json ./...` run over a module of group packages.
    pub fn parse(stdout: &str) -> VetFindings {
        let prefix = format!("{}/", stage::MODULE);
        let mut by_package: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
        for finding in vet::parse(stdout) {
            let Some(package) = finding
                .import_path()
                .strip_prefix(&prefix)
                .map(|p| p.strip_suffix("_test").unwrap_or(p))
                .filter(|p| is_group_package(p))
                .map(str::to_owned)
            else {
                continue;
            };
            let folder = Path::new(&finding.diagnostic.file)
                .parent()
                .and_then(Path::file_name);
            if folder != Some(std::ffi::OsStr::new(&package)) {
                continue;
            }
            // go vet names types by import path: read as of a grade alone.
            let mut finding = finding;
            let own = format!("{}/{package}", stage::MODULE);
            finding.diagnostic.message =
                import_path::read_as_alone(&finding.diagnostic.message, &own).into_owned();
            by_package.entry(package).or_default().push(finding);
        }
        VetFindings(by_package)
    }

    /// The findings in `package` (none when vet found nothing there).
    pub fn of(&self, package: &str) -> &[Finding] {
        self.0.get(package).map_or(&[], Vec::as_slice)
    }
}

/// Whether `name` is a package name `build` gives: `p` and a number.
fn is_group_package(name: &str) -> bool {
    name.strip_prefix('p')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vet_findings_go_to_the_package_vet_keyed_them_by() {
        // p1's message quotes a raw string shaped like p0's section and
        // p12's finding; p3 keys a finding placed in p0's folder (a //line
        // directive could do that).
        let out = r#"{"gograde.local/solution/p1":{"printf":[{"posn":"/m/p1/a.go:3:2","message":"x `\n# gograde.local/solution/p0\np0/a.go:3:2: copylocks: y\n`"}]}}
{"gograde.local/solution/p12_test [gograde.local/solution/p12.test]":{"printf":[{"posn":"/m/p12/b.go:4:1","message":"y copies gograde.local/solution/p12.Counter"}]}}
{"gograde.local/solution/p3":{"copylocks":[{"posn":"/m/p0/a.go:1:1","message":"z"}]}}
{"gograde.local/solution/q4":{"copylocks":[{"posn":"/m/q4/a.go:1:1","message":"z"}]}}
{"gograde.local/solution/p7":{"copylocks":[{"posn":"/tmp/an-older-view/p7/a.go:2:1","message":"replayed"}]}}
"#;
        let v = VetFindings::parse(out);
        assert_eq!(v.of("p1").len(), 1);
        assert!(v.of("p0").is_empty());
        assert_eq!(v.of("p12")[0].diagnostic.line, 4);
        // Read as of the package alone.
        assert_eq!(
            v.of("p12")[0].diagnostic.message,
            "y copies gograde.local/solution.Counter"
        );
        assert!(v.of("p3").is_empty());
        assert!(v.of("q4").is_empty());
        // Replayed from go vet's cache with the folder of its first run.
        assert_eq!(v.of("p7")[0].diagnostic.message, "replayed");
    }

    #[test]
    fn group_sizes_follow_jobs() {
        assert_eq!(group_size(1), 8);
        assert_eq!(group_size(3), 12);
        assert_eq!(group_size(64), 16);
    }
}
