//! Reading a test binary's output, on runs recorded from the real
//! toolchain the way the driver runs a test binary.
//!
//! Each case in tests/fixtures/streams/ is a tiny package whose non-test
//! file is `answer.go`, its test binary run as
//! `./solution.test -test.v=test2json -test.paniconexit0 -test.timeout=...
//! -test.run=^(...)$` with stdout and stderr in one pipe: `<case>.out` is
//! that pipe's bytes (what the driver reads, `gotest::parse_framed`),
//! `<case>.exit` the binary's exit code (a binary that dies mid-test leaves
//! that test without a terminal event and the run without the package's
//! final pass/fail), and `<case>.jsonl` what Go's own test2json made of
//! the same bytes in marker mode: the driver's reading must match it. The
//! cases in tests/fixtures/framing/ (one test each, chosen for the framing
//! rules: subtests, pauses, marks mid-line, unfinished lines, long and
//! broken text) are checked the same way. The `record.sh` beside each
//! regenerates them (Go 1.26). Since results travel on the authenticated
//! channel, these runs decide nothing: they attribute output to tests for
//! display, which is what is tested here. Times, addresses, goroutine ids
//! and temp paths change between recordings, so no assertion depends on
//! them.

use gograde::core::collect::{self, Failure, Outcome, RunRecord, TestRecord};
use gograde::core::diagnostics::{self, Diagnostic};
use gograde::core::gotest::{self, Action};
use gograde::core::race;
use gograde::verdict::RaceOp;

const CANDIDATE_FILE: &str = "answer.go";

/// One recorded run: the binary's output, test2json's events for it, and
/// the binary's exit code.
struct Recorded {
    name: &'static str,
    output: &'static str,
    stream: &'static str,
    exit: &'static str,
}

macro_rules! recorded {
    ($name:literal) => {
        Recorded {
            name: $name,
            output: include_str!(concat!("fixtures/streams/", $name, ".out")),
            stream: include_str!(concat!("fixtures/streams/", $name, ".jsonl")),
            exit: include_str!(concat!("fixtures/streams/", $name, ".exit")),
        }
    };
}

const PASS: Recorded = recorded!("pass");
const FAIL: Recorded = recorded!("fail");
const RACE: Recorded = recorded!("race");
const PANIC_GOROUTINE: Recorded = recorded!("panic_goroutine");
const GO_TIMEOUT: Recorded = recorded!("go_timeout");
const EXIT3: Recorded = recorded!("exit3");
const EXIT0: Recorded = recorded!("exit0");
const INIT_EXIT0: Recorded = recorded!("init_exit0");
const FAKE_FRAMING: Recorded = recorded!("fake_framing");
const FAKE_FRAMING_MARKER: Recorded = recorded!("fake_framing_marker");
const FAKE_PASS_THEN_EXIT: Recorded = recorded!("fake_pass_then_exit");
const FORGED_PASSES_THEN_EXIT: Recorded = recorded!("forged_passes_then_exit");
const INIT_FAKE_FRAMING: Recorded = recorded!("init_fake_framing");
const BUILD_FAIL_TEXT: &str = include_str!("fixtures/streams/build_fail.txt");

/// Every recorded run, with the exit code record.sh saw.
const ALL_RUNS: [(&Recorded, i32); 13] = [
    (&PASS, 0),
    (&FAIL, 1),
    (&RACE, 1),
    (&PANIC_GOROUTINE, 2),
    (&GO_TIMEOUT, 2),
    (&EXIT3, 3),
    (&EXIT0, 2),
    (&INIT_EXIT0, 0),
    (&FAKE_FRAMING, 1),
    (&FAKE_FRAMING_MARKER, 1),
    (&FAKE_PASS_THEN_EXIT, 1),
    (&FORGED_PASSES_THEN_EXIT, 1),
    (&INIT_FAKE_FRAMING, 0),
];

impl Recorded {
    fn events(&self) -> Vec<gotest::Event> {
        gotest::parse_framed(self.output)
    }

    fn exit_code(&self) -> i32 {
        self.exit
            .trim()
            .parse()
            .unwrap_or_else(|e| panic!("{}.exit: {e}: {:?}", self.name, self.exit))
    }
}

fn run(case: &Recorded) -> RunRecord {
    collect::collect(&case.events())
}

fn test<'a>(run: &'a RunRecord, name: &str) -> &'a TestRecord {
    run.tests
        .get(name)
        .unwrap_or_else(|| panic!("no record for {name}; have {:?}", names(run)))
}

fn names(run: &RunRecord) -> Vec<&str> {
    run.tests.keys().map(String::as_str).collect()
}

fn interrupted(run: &RunRecord) -> Vec<&str> {
    run.interrupted().collect()
}

fn assert_passed(run: &RunRecord, name: &str) {
    let t = test(run, name);
    assert!(t.started, "{name} should have started");
    assert_eq!(t.outcome, Some(Outcome::Pass), "{name}");
}

fn assert_failed(run: &RunRecord, name: &str) {
    let t = test(run, name);
    assert!(t.started, "{name} should have started");
    assert_eq!(t.outcome, Some(Outcome::Fail), "{name}");
}

/// A test the binary's death cut short: started, no terminal event.
fn assert_cut_short(run: &RunRecord, name: &str) {
    let t = test(run, name);
    assert!(t.started, "{name} should have started");
    assert_eq!(t.outcome, None, "{name} has no terminal event");
}

/// A run that ended without the package's PASS/FAIL, in `crashed`.
fn assert_died_in(run: &RunRecord, crashed: &str) {
    assert_eq!(run.package_result, None, "the binary died before PASS/FAIL");
    assert_eq!(run.last_started.as_deref(), Some(crashed));
    assert_eq!(run.tampered, None);
    assert_eq!(interrupted(run), [crashed]);
}

/// Action and test name of each event, for comparing stream shapes.
fn shape(case: &Recorded) -> Vec<(Action, Option<String>)> {
    case.events()
        .into_iter()
        .map(|e| (e.action, e.test))
        .collect()
}

fn ev(action: Action, test: Option<&str>) -> (Action, Option<String>) {
    (action, test.map(str::to_owned))
}

// ---------------------------------------------------------------- fixtures

#[test]
fn every_fixture_line_is_a_json_event() {
    let all = ALL_RUNS.iter().map(|(case, _)| (case.name, case.stream));
    for (name, stream) in all {
        let lines = stream.lines().filter(|l| !l.trim().is_empty()).count();
        assert!(lines > 0, "{name} is empty");
        for line in stream.lines() {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: {e}: {line}"));
            assert!(value.get("Action").is_some(), "{name}: {line}");
        }
    }
}

#[test]
fn every_run_records_its_exit_code() {
    for (case, exit) in ALL_RUNS {
        assert_eq!(case.exit_code(), exit, "{}", case.name);
    }
}

/// The events test2json wrote, read from its JSON lines (its `start`,
/// which the driver has no use for, left out).
fn from_test2json(json: &str) -> Vec<gotest::Event> {
    json.lines()
        .filter_map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("test2json's JSON");
            let action = v["Action"].as_str().expect("an action");
            (action != "start").then(|| gotest::Event {
                action: Action::parse(action),
                test: v["Test"].as_str().map(str::to_owned),
                elapsed: v["Elapsed"].as_f64(),
                output: v["Output"].as_str().map(str::to_owned),
            })
        })
        .collect()
}

/// What is compared: test2json splits output longer than its buffer into
/// several events and times the package's end with its own clock; neither
/// changes what is read.
fn comparable(events: Vec<gotest::Event>) -> Vec<gotest::Event> {
    let mut joined: Vec<gotest::Event> = Vec::new();
    for mut e in events {
        if e.test.is_none() && matches!(e.action, Action::Pass | Action::Fail) {
            e.elapsed = None;
        }
        if let Some(last) = joined.last_mut()
            && e.action == Action::Output
            && last.action == Action::Output
            && last.test == e.test
            && !last.output.as_deref().unwrap_or("\n").ends_with('\n')
        {
            let more = e.output.unwrap_or_default();
            last.output.get_or_insert_default().push_str(&more);
            continue;
        }
        joined.push(e);
    }
    joined
}

/// The driver reads a binary's output as Go's test2json does, event for
/// event: every recorded case here, and the framing cases.
#[test]
fn every_run_reads_as_test2json_read_it() {
    for (case, _) in ALL_RUNS {
        assert_eq!(
            comparable(case.events()),
            comparable(from_test2json(case.stream)),
            "{}",
            case.name
        );
    }
    let framing = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/framing");
    let mut cases = 0;
    for entry in std::fs::read_dir(&framing).expect("the framing cases") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "out") {
            continue;
        }
        let raw = std::fs::read(&path).expect("a run");
        let json = std::fs::read_to_string(path.with_extension("json")).expect("its events");
        assert_eq!(
            comparable(gotest::parse_framed(&String::from_utf8_lossy(&raw))),
            comparable(from_test2json(&json)),
            "{}",
            path.display()
        );
        cases += 1;
    }
    assert!(
        cases >= 9,
        "only {cases} framing cases in {}",
        framing.display()
    );
}

/// A marked `=== NAME` only says whose output follows: it shows up in no
/// event, and no recorded run (forged ones included) has overlapping
/// top-level tests.
#[test]
fn name_lines_leave_no_trace_and_no_run_looks_tampered() {
    for (case, _) in ALL_RUNS {
        assert!(
            case.events()
                .iter()
                .filter_map(|e| e.output.as_deref())
                .all(|o| !o.starts_with("=== NAME")),
            "{}",
            case.name
        );
        assert_eq!(run(case).tampered, None, "{}", case.name);
    }
}

// ---------------------------------------------------------------- (a) pass

#[test]
fn all_pass() {
    let events = PASS.events();
    let last = events.last().unwrap();
    assert_eq!((last.action, last.test.as_deref()), (Action::Pass, None));

    let run = run(&PASS);
    assert_eq!(
        names(&run),
        ["TestReverse", "TestUnicode"],
        "subtests fold into their parent"
    );
    assert_passed(&run, "TestReverse");
    assert_passed(&run, "TestUnicode");
    assert!(
        test(&run, "TestUnicode")
            .output
            .contains("=== RUN   TestUnicode/accents\n")
    );
    assert!(
        test(&run, "TestUnicode")
            .output
            .contains("--- PASS: TestUnicode/accents")
    );
    assert!(interrupted(&run).is_empty());
    assert!(!run.go_timeout);
    assert_eq!(run.package_output, "PASS\n");
    assert_eq!(run.package_result, Some(Outcome::Pass));
    assert_eq!(run.last_started.as_deref(), Some("TestUnicode"));
    assert_eq!(run.tampered, None);
    assert!(collect::failures(&test(&run, "TestReverse").output).is_empty());
    assert_eq!(
        collect::readable_output(&test(&run, "TestUnicode").output),
        ""
    );
}

// ---------------------------------------------------------------- (b) fail

#[test]
fn one_structured_failure() {
    let run = run(&FAIL);
    assert_eq!(names(&run), ["TestEmpty", "TestReverse"]);
    assert_passed(&run, "TestEmpty");
    assert_failed(&run, "TestReverse");
    assert!(interrupted(&run).is_empty());
    assert!(!run.go_timeout);
    assert_eq!(run.package_output, "FAIL\n");
    assert_eq!(run.package_result, Some(Outcome::Fail));
    assert_eq!(run.last_started.as_deref(), Some("TestReverse"));
    assert_eq!(run.tampered, None);

    let output = &test(&run, "TestReverse").output;
    assert_eq!(
        collect::failures(output),
        [Failure {
            message: "wrong".into(),
            kind: Some("string".into()),
            expected: Some("\"ab\"".into()),
            actual: Some("\"ba\"".into()),
            hint: None,
        }]
    );
    assert_eq!(
        collect::readable_output(output),
        "    answer_test.go:13: wrong"
    );
    assert!(collect::failures(&test(&run, "TestEmpty").output).is_empty());
    assert_eq!(collect::panic_excerpt(output), None);
}

// ---------------------------------------------------------------- (c) race

#[test]
fn data_race_in_a_test() {
    let run = run(&RACE);
    assert_eq!(names(&run), ["TestConcurrent", "TestSequential"]);
    assert_failed(&run, "TestConcurrent");
    assert_passed(&run, "TestSequential");
    assert!(interrupted(&run).is_empty());
    assert_eq!(run.package_result, Some(Outcome::Fail));
    assert_eq!(run.last_started.as_deref(), Some("TestSequential"));
    assert_eq!(run.tampered, None);

    let output = &test(&run, "TestConcurrent").output;
    assert!(output.contains("race detected during execution of test"));
    assert!(race::parse_races(&test(&run, "TestSequential").output, CANDIDATE_FILE).is_empty());
    assert!(race::parse_races(&run.package_output, CANDIDATE_FILE).is_empty());

    let races = race::parse_races(output, CANDIDATE_FILE);
    assert_eq!(races.len(), 1);
    let r = &races[0];
    assert_eq!(r.test, None, "parse_races leaves the test to the caller");
    assert_eq!(r.accesses.len(), 2, "creation stacks are not accesses");

    let (now, before) = (&r.accesses[0], &r.accesses[1]);
    assert_eq!((now.op, now.previous), (RaceOp::Read, false));
    assert_eq!((before.op, before.previous), (RaceOp::Write, true));
    assert!(now.goroutine > 0 && before.goroutine > 0);
    assert_ne!(now.goroutine, before.goroutine);

    for access in [now, before] {
        let frames: Vec<(&str, u32, bool)> = access
            .frames
            .iter()
            .map(|f| (f.function.as_str(), f.line, f.candidate))
            .collect();
        assert_eq!(
            frames,
            [
                ("(*Counter).Inc", 6, true),
                ("TestConcurrent.func1", 15, false)
            ],
            "{access:?}"
        );
        assert!(
            access.frames[0].file.ends_with("/answer.go"),
            "{:?}",
            access.frames[0]
        );
        assert!(
            access.frames[1].file.ends_with("/answer_test.go"),
            "{:?}",
            access.frames[1]
        );
    }
    assert_eq!(
        r.summary,
        format!(
            "data race: read by goroutine {} in (*Counter).Inc (answer.go:6) conflicts with an earlier write by goroutine {} in (*Counter).Inc (answer.go:6)",
            now.goroutine, before.goroutine
        )
    );
}

// ------------------------------------------------ (d)-(g) crashes, timeout

#[test]
fn panic_in_a_goroutine() {
    let run = run(&PANIC_GOROUTINE);
    assert_eq!(
        names(&run),
        ["TestBefore", "TestCrash"],
        "TestAfter never ran"
    );
    assert_passed(&run, "TestBefore");
    assert_cut_short(&run, "TestCrash");
    assert_died_in(&run, "TestCrash");
    assert!(!run.go_timeout);
    assert_eq!(
        run.package_output, "",
        "the crash is attributed to the running test"
    );

    let excerpt = collect::panic_excerpt(&test(&run, "TestCrash").output).expect("a panic");
    assert!(
        excerpt.starts_with("panic: boom from a goroutine\n"),
        "{excerpt}"
    );
    assert!(
        excerpt.contains("gograde.local/solution.Explode()"),
        "{excerpt}"
    );
    assert!(excerpt.contains("/answer.go:4"), "{excerpt}");
    assert_eq!(
        collect::panic_excerpt(&test(&run, "TestBefore").output),
        None
    );
}

#[test]
fn go_timeout() {
    let run = run(&GO_TIMEOUT);
    assert!(run.go_timeout);
    assert_eq!(
        names(&run),
        ["TestQuick", "TestSlow"],
        "TestAfter never ran"
    );
    assert_passed(&run, "TestQuick");
    assert_cut_short(&run, "TestSlow");
    assert_died_in(&run, "TestSlow");
    assert_eq!(run.package_output, "");

    let excerpt = collect::panic_excerpt(&test(&run, "TestSlow").output).expect("a panic");
    assert!(
        excerpt.starts_with("panic: test timed out after 1s\n"),
        "{excerpt}"
    );
    assert!(excerpt.contains("\t\tTestSlow (1s)"), "{excerpt}");
}

#[test]
fn os_exit_3_in_a_test() {
    let run = run(&EXIT3);
    assert_eq!(
        names(&run),
        ["TestBefore", "TestExit"],
        "TestAfter never ran"
    );
    assert_passed(&run, "TestBefore");
    assert_cut_short(&run, "TestExit");
    assert_died_in(&run, "TestExit");
    assert!(!run.go_timeout);
    assert_eq!(
        test(&run, "TestExit").output,
        "=== RUN   TestExit\n",
        "os.Exit prints nothing"
    );
    assert_eq!(collect::panic_excerpt(&test(&run, "TestExit").output), None);
    assert_eq!(run.package_output, "");
}

/// testing prints `--- FAIL: TestExit` before re-panicking, but test2json
/// holds a `--- ` report until the next framing line, and none comes: the
/// line is output, and TestExit gets no `fail` event.
#[test]
fn os_exit_0_in_a_test_panics() {
    let run = run(&EXIT0);
    assert_eq!(
        names(&run),
        ["TestBefore", "TestExit"],
        "TestAfter never ran"
    );
    assert_passed(&run, "TestBefore");
    assert_cut_short(&run, "TestExit");
    assert_died_in(&run, "TestExit");
    assert!(!run.go_timeout);
    assert_eq!(run.package_output, "");

    let output = &test(&run, "TestExit").output;
    assert!(output.contains("--- FAIL: TestExit"));
    let excerpt = collect::panic_excerpt(output).expect("a panic");
    assert!(
        excerpt.starts_with("panic: unexpected call to os.Exit(0) during test"),
        "{excerpt}"
    );
    assert!(
        excerpt.contains("gograde.local/solution.Quit(...)"),
        "{excerpt}"
    );
}

/// With test2json in stdin mode nothing closes the test the binary died in:
/// no final package event (which in command mode carried the running test's
/// name, golang/go#35180), so the crashed test has no outcome. The driver
/// grades it crashed (or timed out) and re-runs the tests after it.
#[test]
fn crashed_tests_are_interrupted() {
    for (case, crashed) in [
        (&PANIC_GOROUTINE, "TestCrash"),
        (&GO_TIMEOUT, "TestSlow"),
        (&EXIT3, "TestExit"),
        (&EXIT0, "TestExit"),
    ] {
        assert_ne!(case.exit_code(), 0, "{}", case.name);
        let run = run(case);
        let t = test(&run, crashed);
        assert!(t.started, "{crashed}");
        assert_eq!(t.outcome, None, "{}: {crashed} has no result", case.name);
        assert_eq!(interrupted(&run), [crashed], "{}", case.name);
        assert_eq!(run.package_result, None, "{}", case.name);
    }
}

// ---------------------------------------------------------- (h) init exit

/// os.Exit(0) in init: no event at all, and a success status. The
/// driver distrusts the run (a clean exit before the selected test ran).
#[test]
fn os_exit_0_in_init_runs_no_test() {
    assert_eq!(shape(&INIT_EXIT0), []);

    let run = run(&INIT_EXIT0);
    assert!(run.tests.is_empty(), "{:?}", names(&run));
    assert!(interrupted(&run).is_empty());
    assert!(!run.go_timeout);
    assert_eq!(run.package_output, "");
    assert_eq!(run.package_result, None);
    assert_eq!(run.last_started, None);
    assert_eq!(run.tampered, None);
    assert_eq!(INIT_EXIT0.exit_code(), 0);
}

// ---------------------------------------------------------- (i) fake framing

#[test]
fn plain_fake_framing_and_json_are_just_output() {
    let events = FAKE_FRAMING.events();
    assert!(
        events
            .iter()
            .all(|e| e.test.as_deref() != Some("TestOther")),
        "no event may name TestOther"
    );

    let run = run(&FAKE_FRAMING);
    assert_eq!(
        names(&run),
        ["TestFake"],
        "no record for a TestOther that never ran"
    );
    assert_failed(&run, "TestFake");
    assert!(interrupted(&run).is_empty());
    assert_eq!(run.package_result, Some(Outcome::Fail));
    assert_eq!(run.tampered, None);

    let output = &test(&run, "TestFake").output;
    assert!(output.contains("--- PASS: TestOther (0.00s)\n"));
    assert!(output.contains(
        r#"{"Action":"pass","Package":"gograde.local/solution","Test":"TestFake","Elapsed":0}"#
    ));
    let failures = collect::failures(output);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].message, "wrong");
    assert_eq!(failures[0].expected.as_deref(), Some("\"ba\""));
    assert_eq!(failures[0].actual.as_deref(), Some("\"ab\""));
}

/// Same fake PASS, but prefixed with ^V, the marker `-test.v=test2json` puts
/// before real framing: test2json believes it and emits a `pass` for
/// TestOther before any `run`. collect ignores that (TestOther had not
/// started), and when TestOther really runs it fails.
#[test]
fn marked_fake_pass_does_not_beat_the_real_fail() {
    let first_pass = shape(&FAKE_FRAMING_MARKER)
        .iter()
        .position(|e| *e == ev(Action::Pass, Some("TestOther")));
    let first_run = shape(&FAKE_FRAMING_MARKER)
        .iter()
        .position(|e| *e == ev(Action::Run, Some("TestOther")));
    assert!(first_pass < first_run, "{first_pass:?} {first_run:?}");

    let run = run(&FAKE_FRAMING_MARKER);
    assert_eq!(names(&run), ["TestFake", "TestOther"]);
    assert_failed(&run, "TestFake");
    assert_failed(&run, "TestOther");
    assert!(interrupted(&run).is_empty());
    assert_eq!(run.package_result, Some(Outcome::Fail));
    assert_eq!(run.last_started.as_deref(), Some("TestOther"));
    assert_eq!(run.tampered, None);
}

/// test2json attributes everything after the marked fake line to TestOther,
/// so TestFake's own structured failure comes as TestOther's output; collect
/// gives it back to the running test.
#[test]
fn marked_fake_pass_keeps_output_with_the_running_test() {
    let run = run(&FAKE_FRAMING_MARKER);
    let failures = collect::failures(&test(&run, "TestFake").output);
    assert_eq!(failures.len(), 1, "TestFake's own failure");
    assert_eq!(failures[0].message, "wrong");
    assert!(collect::failures(&test(&run, "TestOther").output).is_empty());
}

/// A marked fake PASS for a later test, a marked `=== NAME` for the running
/// one, then os.Exit(1): TestOther gets a `pass` event but never a `run`.
#[test]
fn marked_fake_pass_then_exit_shape() {
    assert_eq!(
        shape(&FAKE_PASS_THEN_EXIT),
        [
            ev(Action::Run, Some("TestFake")),
            ev(Action::Output, Some("TestFake")),
            ev(Action::Output, Some("TestOther")),
            ev(Action::Pass, Some("TestOther")),
        ]
    );
    assert_eq!(FAKE_PASS_THEN_EXIT.exit_code(), 1);
}

/// ... so TestFake is cut short, and TestOther has no result and is left for
/// a re-run.
#[test]
fn marked_fake_pass_for_a_test_that_never_ran() {
    let run = run(&FAKE_PASS_THEN_EXIT);
    assert_cut_short(&run, "TestFake");
    assert_died_in(&run, "TestFake");
    assert!(
        run.tests
            .get("TestOther")
            .is_none_or(|t| !t.started && t.outcome.is_none()),
        "TestOther never ran: {:?}",
        run.tests.get("TestOther")
    );
}

/// Inside TestFake, marked framing closes TestFake as passed, runs and
/// passes TestOther, and opens an invented TestZZZ; then os.Exit(1). Every
/// event is one a real run could produce in that order: no overlap, so no
/// tampering is seen.
#[test]
fn marked_forged_passes_then_exit_shape() {
    assert_eq!(
        shape(&FORGED_PASSES_THEN_EXIT),
        [
            ev(Action::Run, Some("TestFake")),
            ev(Action::Output, Some("TestFake")),
            ev(Action::Output, Some("TestFake")),
            ev(Action::Pass, Some("TestFake")),
            ev(Action::Run, Some("TestOther")),
            ev(Action::Output, Some("TestOther")),
            ev(Action::Output, Some("TestOther")),
            ev(Action::Pass, Some("TestOther")),
            ev(Action::Run, Some("TestZZZ")),
            ev(Action::Output, Some("TestZZZ")),
        ]
    );
    assert_eq!(FORGED_PASSES_THEN_EXIT.exit_code(), 1);

    let run = run(&FORGED_PASSES_THEN_EXIT);
    assert_passed(&run, "TestFake");
    assert_passed(&run, "TestOther");
    assert_died_in(&run, "TestZZZ");
}

/// init() prints unmarked `=== RUN`/`--- PASS`/`PASS` for a harness test and
/// exits 0. The marked prefix made test2json demand the marker from the
/// first byte, so all of it is plain package output: no test, no package
/// result, and the driver distrusts the clean exit.
#[test]
fn framing_forged_in_init_is_not_a_pass() {
    assert_eq!(
        shape(&INIT_FAKE_FRAMING),
        [
            ev(Action::Output, None),
            ev(Action::Output, None),
            ev(Action::Output, None),
        ]
    );
    let run = run(&INIT_FAKE_FRAMING);
    assert!(
        run.tests
            .get("TestReverse")
            .is_none_or(|t| t.outcome != Some(Outcome::Pass)),
        "TestReverse never ran"
    );
    assert!(run.tests.is_empty(), "{:?}", names(&run));
    assert_eq!(
        run.package_output,
        "=== RUN   TestReverse\n--- PASS: TestReverse (0.00s)\nPASS\n"
    );
    assert_eq!(run.package_result, None, "an unmarked PASS is output");
    assert_eq!(run.last_started, None);
    assert_eq!(run.tampered, None);
    assert_eq!(INIT_FAKE_FRAMING.exit_code(), 0);
}

// ---------------------------------------------------------- (j) build fail

fn build_diagnostics() -> Vec<Diagnostic> {
    vec![
        Diagnostic {
            file: "answer.go".into(),
            line: 4,
            column: 2,
            message: "declared and not used: x".into(),
        },
        Diagnostic {
            file: "answer.go".into(),
            line: 5,
            column: 9,
            message: "cannot use len(s) (value of type int) as string value in return statement"
                .into(),
        },
    ]
}

#[test]
fn build_failure_plain_text() {
    assert_eq!(
        diagnostics::parse_diagnostics(BUILD_FAIL_TEXT),
        build_diagnostics()
    );
}
