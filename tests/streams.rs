//! The test2json parser on streams recorded from the real toolchain.
//!
//! Each fixture in tests/fixtures/streams/ is the stdout of
//! `test2json -t -p gograde.local/solution ./solution.test -test.v=test2json
//! -test.paniconexit0 -test.timeout=...` for a tiny package whose non-test
//! file is `answer.go`; `record.sh` there regenerates them (Go 1.26). Times,
//! addresses, goroutine ids and temp paths change between recordings, so no
//! assertion depends on them.

use gograde::collect::{self, Failure, Outcome, RunRecord, TestRecord};
use gograde::compile::{self, Diagnostic};
use gograde::gotest::{self, Action};
use gograde::race;
use gograde::verdict::RaceOp;

const CANDIDATE_FILE: &str = "answer.go";

const PASS: &str = include_str!("fixtures/streams/pass.jsonl");
const FAIL: &str = include_str!("fixtures/streams/fail.jsonl");
const RACE: &str = include_str!("fixtures/streams/race.jsonl");
const PANIC_GOROUTINE: &str = include_str!("fixtures/streams/panic_goroutine.jsonl");
const GO_TIMEOUT: &str = include_str!("fixtures/streams/go_timeout.jsonl");
const EXIT3: &str = include_str!("fixtures/streams/exit3.jsonl");
const EXIT0: &str = include_str!("fixtures/streams/exit0.jsonl");
const INIT_EXIT0: &str = include_str!("fixtures/streams/init_exit0.jsonl");
const FAKE_FRAMING: &str = include_str!("fixtures/streams/fake_framing.jsonl");
const FAKE_FRAMING_MARKER: &str = include_str!("fixtures/streams/fake_framing_marker.jsonl");
const FAKE_PASS_THEN_EXIT: &str = include_str!("fixtures/streams/fake_pass_then_exit.jsonl");
const INIT_FAKE_FRAMING: &str = include_str!("fixtures/streams/init_fake_framing.jsonl");
const BUILD_FAIL_JSON: &str = include_str!("fixtures/streams/build_fail.jsonl");
const BUILD_FAIL_TEXT: &str = include_str!("fixtures/streams/build_fail.txt");

const ALL_JSONL: [(&str, &str); 13] = [
    ("pass", PASS),
    ("fail", FAIL),
    ("race", RACE),
    ("panic_goroutine", PANIC_GOROUTINE),
    ("go_timeout", GO_TIMEOUT),
    ("exit3", EXIT3),
    ("exit0", EXIT0),
    ("init_exit0", INIT_EXIT0),
    ("fake_framing", FAKE_FRAMING),
    ("fake_framing_marker", FAKE_FRAMING_MARKER),
    ("fake_pass_then_exit", FAKE_PASS_THEN_EXIT),
    ("init_fake_framing", INIT_FAKE_FRAMING),
    ("build_fail", BUILD_FAIL_JSON),
];

fn run(stream: &str) -> RunRecord {
    collect::collect(&gotest::parse_stream(stream))
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

/// A test the crash cut short: started, not passed. Holds both for today's
/// parser and for the one the ignored `crashed_tests_are_interrupted` wants.
fn assert_started_not_passed(run: &RunRecord, name: &str) {
    let t = test(run, name);
    assert!(t.started, "{name} should have started");
    assert_ne!(t.outcome, Some(Outcome::Pass), "{name} must not pass");
    assert_ne!(t.outcome, Some(Outcome::Skip), "{name} must not be skipped");
}

// ---------------------------------------------------------------- fixtures

#[test]
fn every_fixture_line_is_a_json_event() {
    for (name, stream) in ALL_JSONL {
        let lines = stream.lines().filter(|l| !l.trim().is_empty()).count();
        assert!(lines > 0, "{name} is empty");
        for line in stream.lines() {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: {e}: {line}"));
            assert!(value.get("Action").is_some(), "{name}: {line}");
        }
        assert_eq!(gotest::parse_stream(stream).len(), lines, "{name}");
    }
}

// ---------------------------------------------------------------- (a) pass

#[test]
fn all_pass() {
    let events = gotest::parse_stream(PASS);
    assert_eq!(events[0].action, Action::Start);
    assert_eq!(events[0].test, None);
    let last = events.last().unwrap();
    assert_eq!((last.action, last.test.as_deref()), (Action::Pass, None));

    let run = run(PASS);
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
    assert!(collect::failures(&test(&run, "TestReverse").output).is_empty());
    assert_eq!(
        collect::readable_output(&test(&run, "TestUnicode").output),
        ""
    );
}

// ---------------------------------------------------------------- (b) fail

#[test]
fn one_structured_failure() {
    let run = run(FAIL);
    assert_eq!(names(&run), ["TestEmpty", "TestReverse"]);
    assert_passed(&run, "TestEmpty");
    assert_failed(&run, "TestReverse");
    assert!(interrupted(&run).is_empty());
    assert!(!run.go_timeout);
    assert_eq!(run.package_output, "FAIL\n");

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
    let run = run(RACE);
    assert_eq!(names(&run), ["TestConcurrent", "TestSequential"]);
    assert_failed(&run, "TestConcurrent");
    assert_passed(&run, "TestSequential");
    assert!(interrupted(&run).is_empty());

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
    let run = run(PANIC_GOROUTINE);
    assert_eq!(
        names(&run),
        ["TestBefore", "TestCrash"],
        "TestAfter never ran"
    );
    assert_passed(&run, "TestBefore");
    assert_started_not_passed(&run, "TestCrash");
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
    let run = run(GO_TIMEOUT);
    assert!(run.go_timeout);
    assert_eq!(
        names(&run),
        ["TestQuick", "TestSlow"],
        "TestAfter never ran"
    );
    assert_passed(&run, "TestQuick");
    assert_started_not_passed(&run, "TestSlow");

    let excerpt = collect::panic_excerpt(&test(&run, "TestSlow").output).expect("a panic");
    assert!(
        excerpt.starts_with("panic: test timed out after 1s\n"),
        "{excerpt}"
    );
    assert!(excerpt.contains("\t\tTestSlow (1s)"), "{excerpt}");
}

#[test]
fn os_exit_3_in_a_test() {
    let run = run(EXIT3);
    assert_eq!(
        names(&run),
        ["TestBefore", "TestExit"],
        "TestAfter never ran"
    );
    assert_passed(&run, "TestBefore");
    assert_started_not_passed(&run, "TestExit");
    assert!(!run.go_timeout);
    assert_eq!(
        test(&run, "TestExit").output,
        "=== RUN   TestExit\n",
        "os.Exit prints nothing"
    );
    assert_eq!(collect::panic_excerpt(&test(&run, "TestExit").output), None);
    assert_eq!(run.package_output, "");
}

#[test]
fn os_exit_0_in_a_test_panics() {
    let run = run(EXIT0);
    assert_eq!(
        names(&run),
        ["TestBefore", "TestExit"],
        "TestAfter never ran"
    );
    assert_passed(&run, "TestBefore");
    assert_started_not_passed(&run, "TestExit");
    assert!(!run.go_timeout);

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

/// test2json ends every stream with the package's own pass/fail event, and
/// when the binary dies mid-test that event carries the running test's name
/// (Converter.writeEvent fills an empty Test with the current test; see
/// golang/go#35180, #38382). `collect` takes it for the test's own result, so
/// a crashed or timed-out test comes out as `Some(Fail)` with the whole run's
/// elapsed time, `interrupted()` is empty, and the driver's crash and
/// timeout branches (outcome `None`) never fire on real streams.
#[test]
#[ignore = "bug: test2json's final package event names the crashed test; collect records it as the test's Fail, so interrupted() is empty"]
fn crashed_tests_are_interrupted() {
    for (stream, crashed) in [
        (PANIC_GOROUTINE, "TestCrash"),
        (GO_TIMEOUT, "TestSlow"),
        (EXIT3, "TestExit"),
        (EXIT0, "TestExit"),
    ] {
        let run = run(stream);
        let t = test(&run, crashed);
        assert!(t.started, "{crashed}");
        assert_eq!(
            t.outcome, None,
            "{crashed}: the package's fail event is not the test's"
        );
        assert_eq!(interrupted(&run), [crashed]);
    }
}

// ---------------------------------------------------------- (h) init exit

#[test]
fn os_exit_0_in_init_runs_no_test() {
    let events = gotest::parse_stream(INIT_EXIT0);
    let shape: Vec<(Action, Option<&str>)> = events
        .iter()
        .map(|e| (e.action, e.test.as_deref()))
        .collect();
    assert_eq!(shape, [(Action::Start, None), (Action::Pass, None)]);

    let run = run(INIT_EXIT0);
    assert!(run.tests.is_empty(), "{:?}", names(&run));
    assert!(interrupted(&run).is_empty());
    assert!(!run.go_timeout);
    assert_eq!(run.package_output, "");
}

// ---------------------------------------------------------- (i) fake framing

#[test]
fn plain_fake_framing_and_json_are_just_output() {
    let events = gotest::parse_stream(FAKE_FRAMING);
    assert!(
        events
            .iter()
            .all(|e| e.test.as_deref() != Some("TestOther")),
        "no event may name TestOther"
    );

    let run = run(FAKE_FRAMING);
    assert_eq!(
        names(&run),
        ["TestFake"],
        "no record for a TestOther that never ran"
    );
    assert_failed(&run, "TestFake");
    assert!(interrupted(&run).is_empty());

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
/// before real framing: test2json believes it. Here TestOther really runs
/// afterwards and fails, so the worst-outcome rule keeps it failed.
#[test]
fn marked_fake_pass_does_not_beat_the_real_fail() {
    let run = run(FAKE_FRAMING_MARKER);
    assert_eq!(names(&run), ["TestFake", "TestOther"]);
    assert_failed(&run, "TestFake");
    assert_failed(&run, "TestOther");
    assert!(interrupted(&run).is_empty());
}

/// test2json attributes everything after the marked fake line to TestOther
/// (and emits a `pass` for TestOther before any `run`), so TestFake's own
/// structured failure lands in TestOther's output.
#[test]
fn marked_fake_pass_keeps_output_with_the_running_test() {
    let run = run(FAKE_FRAMING_MARKER);
    let failures = collect::failures(&test(&run, "TestFake").output);
    assert_eq!(failures.len(), 1, "TestFake's own failure");
    assert_eq!(failures[0].message, "wrong");
    assert!(collect::failures(&test(&run, "TestOther").output).is_empty());
}

/// A marked fake PASS for a later test, then os.Exit(1): TestOther gets a
/// `pass` event but never a `run`, and the driver would grade it passed.
#[test]
fn marked_fake_pass_for_a_test_that_never_ran() {
    let run = run(FAKE_PASS_THEN_EXIT);
    assert_started_not_passed(&run, "TestFake");
    if let Some(other) = run.tests.get("TestOther") {
        assert!(!other.started);
        assert_eq!(other.outcome, None, "TestOther never ran: {other:?}");
    }
}

/// What the stream says today for the case above, minus the bug: TestFake
/// is cut short and TestOther never starts.
#[test]
fn marked_fake_pass_then_exit_shape() {
    let run = run(FAKE_PASS_THEN_EXIT);
    assert_started_not_passed(&run, "TestFake");
    assert!(
        run.tests.get("TestOther").is_none_or(|t| !t.started),
        "TestOther never got a run event"
    );
}

/// Before the first ^V line test2json accepts unmarked framing, so init()
/// can print `=== RUN`/`--- PASS`/`PASS` for a harness test and exit 0: the
/// stream is indistinguishable from a real pass. Only the driver can defend
/// (e.g. demand the marker from the first line by reading the raw stream, or
/// check a result channel the candidate cannot write).
#[test]
#[ignore = "bug (needs a driver-level fix): unmarked framing printed from init() before any test forges a run and a pass"]
fn framing_forged_in_init_is_not_a_pass() {
    let run = run(INIT_FAKE_FRAMING);
    assert!(
        run.tests
            .get("TestReverse")
            .is_none_or(|t| t.outcome != Some(Outcome::Pass)),
        "TestReverse never ran"
    );
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
        compile::parse_diagnostics(BUILD_FAIL_TEXT),
        build_diagnostics()
    );
}

#[test]
fn build_failure_json_events() {
    let events = gotest::parse_stream(BUILD_FAIL_JSON);
    assert_eq!(events.len(), 4);
    assert!(
        events
            .iter()
            .all(|e| e.action == Action::Other && e.test.is_none())
    );

    let run = run(BUILD_FAIL_JSON);
    assert!(run.tests.is_empty());
    assert_eq!(
        run.package_output, BUILD_FAIL_TEXT,
        "build-output events carry the compiler's text"
    );
    assert_eq!(
        compile::parse_diagnostics(&run.package_output),
        build_diagnostics()
    );
}
