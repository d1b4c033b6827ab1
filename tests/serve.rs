//! `gograde serve` tested from outside: the real binary listening on a free
//! loopback port, spoken to over plain TCP (so a test can also hang up
//! mid-request), grading with the real Go toolchain. A few checks drive the
//! router in-process with `tower::ServiceExt::oneshot` instead.
//!
//! Every server uses the shared build cache (`GOGRADE_CACHE`), like the
//! other test files, and is killed (by its own pid) when its test ends.
//! Every wait is bounded, generously enough for a cold build cache.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::Shutdown;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

mod common;
use common::browser::{Driver, installed, wait_until};
use common::http::{Reply, http, parse, send, spawn_server};

/// Long enough for a first grade on a cold cache on a busy 2-core machine.
const GRADE_WAIT: Duration = Duration::from_secs(300);

fn cache_dir() -> PathBuf {
    std::env::temp_dir().join("gograde-test-cache")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).expect("read a repository file")
}

/// The binary under the suites' one environment policy; the server's
/// grades need no warm cache before they start.
fn gograde() -> Command {
    common::gograde_with_cache(&cache_dir())
}

/// Grades one passing file first, so no test sees a cold cache's timings.
fn warm() {
    static WARM: Once = Once::new();
    WARM.call_once(|| {
        std::fs::create_dir_all(cache_dir()).expect("create the cache dir");
        let out = gograde()
            .args(["grade", "--format", "json"])
            .arg(repo("exercises/reverse/solutions/good/reference.go"))
            .stdin(Stdio::null())
            .output()
            .expect("run gograde grade");
        assert!(out.status.success(), "warming grade failed: {out:?}");
    });
}

/// A running `gograde serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    /// The server's interview store, removed with it.
    _data: tempfile::TempDir,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        warm();
        // Its own interview store, never the user's home.
        let data = tempfile::TempDir::new().expect("a data directory");
        let mut command = gograde();
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data.path())
            .args(extra);
        let (child, addr) = spawn_server(command);
        Server {
            child,
            addr,
            _data: data,
        }
    }

    fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    fn get(&self, path: &str) -> Reply {
        http(&self.addr, "GET", path, &[], b"")
    }

    fn post(&self, path: &str, body: &[u8]) -> Reply {
        http(&self.addr, "POST", path, &[], body)
    }

    fn grade(&self, exercise: &str, source: &str) -> Reply {
        let body =
            serde_json::json!({"exercise": exercise, "source": source, "seed": SEED}).to_string();
        self.post("/api/grade", body.as_bytes())
    }

    /// The value of one series on `/metrics`.
    fn metric(&self, series: &str) -> f64 {
        let text = self.get("/metrics").text();
        text.lines()
            .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{series} not in\n{text}"))
    }

    /// Waits (bounded) until `series` on `/metrics` equals `value`.
    fn wait_metric(&self, series: &str, value: f64, within: Duration) {
        let until = Instant::now() + within;
        loop {
            let now = self.metric(series);
            if now == value {
                return;
            }
            assert!(Instant::now() < until, "{series} stayed {now}, not {value}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `gograde grade --format json -` of `source`, as JSON.
/// The harness seed every grade here uses, so API and CLI verdicts of the
/// same text draw the same inputs.
const SEED: u64 = 20261130;

fn cli_verdict(exercise: &str, source: &str) -> Value {
    let mut child = gograde()
        .args(["grade", "--format", "json", "--exercise", exercise, "-"])
        .args(["--seed", &SEED.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run gograde grade");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(source.as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("gograde grade finished");
    serde_json::from_slice(&out.stdout).expect("the CLI printed JSON")
}

/// Drops what differs between any two grades of the same text: timings,
/// and the per-run staging directory in paths.
fn stable(v: &Value) -> Value {
    let stage = regex::Regex::new(r"grade-\d+-[A-Za-z0-9]+").unwrap();
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| *k != "timings_ms" && *k != "duration_ms")
                .map(|(k, v)| (k.clone(), stable(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(stable).collect()),
        Value::String(s) => Value::String(stage.replace_all(s, "grade-N").into_owned()),
        other => other.clone(),
    }
}

#[test]
fn exercises_health_page_and_unknown_routes() {
    let server = Server::start(&[]);
    let list = server.get("/api/exercises");
    assert_eq!(list.status, 200);
    let ids: Vec<String> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["counter", "json", "retry", "reverse", "workerpool"]);

    let one = server.get("/api/exercises/reverse").json();
    assert_eq!(one["id"], "reverse");
    assert!(
        one["stub"]
            .as_str()
            .unwrap()
            .contains("func Reverse(s string) string")
    );
    assert!(!one["prompt"].as_str().unwrap().is_empty());
    assert!(
        one["tests"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["category"] == "core")
    );

    let missing = server.get("/api/exercises/nope");
    assert_eq!(missing.status, 404);
    assert!(
        missing.error().contains("unknown exercise 'nope'"),
        "{}",
        missing.error()
    );
    assert_eq!(server.get("/no/such/route").status, 404);

    let health = server.get("/healthz");
    assert_eq!((health.status, health.text().as_str()), (200, "ok\n"));

    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let policy = page.header("content-security-policy").expect("a CSP");
    assert!(policy.contains("script-src 'sha256-"), "{policy}");
    assert!(
        page.text().contains("<textarea"),
        "the editor is on the page"
    );
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));

    let metrics = server.get("/metrics");
    assert!(
        metrics
            .header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(
        metrics
            .text()
            .contains("# TYPE gograde_grade_duration_seconds histogram")
    );
    assert_eq!(
        server.metric("gograde_rejected_requests_total{reason=\"unknown_exercise\"}"),
        1.0
    );
}

#[test]
fn a_verdict_is_the_clis_verdict_for_the_same_text() {
    let server = Server::start(&[]);
    for (exercise, path, status) in [
        (
            "auto",
            "exercises/counter/solutions/bad/dec_increments.go",
            "fail",
        ),
        (
            "counter",
            "exercises/counter/solutions/good/reference.go",
            "pass",
        ),
        (
            "auto",
            "exercises/reverse/solutions/bad/wrong_signature.go",
            "compile_error",
        ),
    ] {
        let source = read(path);
        let reply = server.grade(exercise, &source);
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        assert_eq!(reply.header("content-type"), Some("application/json"));
        let api = reply.json();
        assert_eq!(api["status"], status, "{path}");
        assert_eq!(api["schema_version"], 1);
        let cli = cli_verdict(exercise, &source);
        assert_eq!(
            stable(&api),
            stable(&cli),
            "{path}: API and CLI verdicts differ"
        );
    }
    assert_eq!(server.metric("gograde_grades_total{status=\"pass\"}"), 1.0);
    assert_eq!(server.metric("gograde_grades_total{status=\"fail\"}"), 1.0);
    assert_eq!(server.metric("gograde_grade_duration_seconds_count"), 3.0);
}

/// The torn-interface attack (a data race in init used to read the kit's
/// key and forge a pass for every test) over `POST /api/grade`: the race
/// detector halts it, and the verdict is the CLI's.
#[test]
fn a_race_attack_over_the_api_fails_as_it_does_in_the_cli() {
    let server = Server::start(&[]);
    let source = read("tests/fixtures/attacks/race_torn_interface_init.go");
    let reply = server.grade("reverse", &source);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let api = reply.json();
    assert_eq!(api["status"], "fail", "{}", api["summary"]);
    assert!(api["score"]["earned"].as_u64().unwrap() <= 9);
    assert_eq!(api["status"], cli_verdict("reverse", &source)["status"]);
}

#[test]
fn bad_requests_get_their_status_codes() {
    let server = Server::start(&[]);
    let malformed = server.post("/api/grade", b"{\"source\": ");
    assert_eq!(malformed.status, 400);
    assert!(
        malformed.error().contains("the body is not JSON"),
        "{}",
        malformed.error()
    );

    let missing_source = server.post("/api/grade", br#"{"exercise": "reverse"}"#);
    assert_eq!(missing_source.status, 400);
    assert!(
        missing_source.error().contains("missing \"source\""),
        "{}",
        missing_source.error()
    );

    let unknown = server.grade("nope", "package main");
    assert_eq!(unknown.status, 404);
    assert!(unknown.error().contains("unknown exercise 'nope'"));

    let undetected = server.grade("auto", "package main\n\nfunc Hello() {}\n");
    assert_eq!(undetected.status, 422);
    assert!(
        undetected.error().contains("cannot tell which exercise"),
        "{}",
        undetected.error()
    );

    // Over the submission limit (256 KiB) as text...
    let big_source = format!("package main\n// {}\n", "x".repeat(300 * 1024));
    let too_big = server.grade("reverse", &big_source);
    assert_eq!(too_big.status, 413);
    assert!(
        too_big.error().contains("limited to 262144 bytes"),
        "{}",
        too_big.error()
    );
    // ... and a body past what any submission can take, refused unread.
    let huge = vec![b' '; 2 * 1024 * 1024];
    assert_eq!(server.post("/api/grade", &huge).status, 413);

    assert_eq!(
        server.metric("gograde_rejected_requests_total{reason=\"malformed\"}"),
        2.0
    );
    assert_eq!(
        server.metric("gograde_rejected_requests_total{reason=\"too_large\"}"),
        2.0
    );
    assert_eq!(server.metric("gograde_grades_total{status=\"error\"}"), 0.0);
    assert_eq!(server.get("/healthz").status, 200, "still serving");
}

/// Issue 18, item 13: `/metrics` shows how long grades waited for a slot,
/// apart from how long they took.
#[test]
fn metrics_show_the_queue_wait_apart_from_the_grade() {
    let server = Server::start(&[]);
    let reply = server.grade(
        "reverse",
        &read("exercises/reverse/solutions/good/reference.go"),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(server.metric("gograde_queue_wait_seconds_count"), 1.0);
    assert_eq!(server.metric("gograde_grade_duration_seconds_count"), 1.0);
    assert!(
        server.metric("gograde_queue_wait_seconds_sum")
            < server.metric("gograde_grade_duration_seconds_sum")
    );
}

/// Issue 18, item 12: every error is `{"error": ...}` in the API's own
/// words: a wrong method (axum's 405 had an empty body), a body that is
/// not an object, an unknown or mistyped field (no Rust type names, and
/// the documented fields listed, `seed` with them).
#[test]
fn every_error_is_json_in_the_apis_words() {
    let server = Server::start(&[]);
    for (method, path, allowed) in [
        ("GET", "/api/grade", "POST"),
        ("POST", "/healthz", "GET"),
        ("DELETE", "/api/exercises", "GET"),
    ] {
        let reply = http(&server.addr, method, path, &[], b"");
        assert_eq!(reply.status, 405, "{method} {path}");
        assert_eq!(
            reply.error(),
            format!("{path} takes {allowed}, not {method}"),
            "{method} {path}"
        );
    }
    let cases: [(&[u8], &str); 6] = [
        (b"[]", "expected a JSON object with \"exercise\""),
        (b"42", "got a number"),
        (
            br#"{"source": "x", "timeout": 3}"#,
            "unknown field \"timeout\"",
        ),
        (
            br#"{"source": 5}"#,
            "\"source\" must be a string, got a number",
        ),
        (
            br#"{"source": "x", "exercise": ["reverse"]}"#,
            "\"exercise\" must be a string",
        ),
        (
            br#"{"source": "x", "seed": -1}"#,
            "\"seed\" must be a whole number",
        ),
    ];
    for (body, expected) in cases {
        let reply = server.post("/api/grade", body);
        assert_eq!(reply.status, 400, "{}", String::from_utf8_lossy(body));
        let error = reply.error();
        assert!(error.contains(expected), "{error}");
        for rust in ["GradeRequest", "invalid type", "line 1 column", "`"] {
            assert!(!error.contains(rust), "{rust:?} in {error}");
        }
    }
    let unknown = server.post("/api/grade", br#"{"source": "x", "timeout": 3}"#);
    assert!(
        unknown
            .error()
            .contains("\"seed\" (optional, a number that reproduces a verdict)"),
        "{}",
        unknown.error()
    );
}

/// A reverse answer that sleeps far past any test: its run lasts until the
/// time limit unless something stops it.
const HANGS: &str = "package main\n\nimport \"time\"\n\nfunc Reverse(s string) string {\n\ttime.Sleep(time.Hour)\n\treturn s\n}\n";

/// Pids of every process below `root`, read from /proc.
fn descendants(root: i32) -> Vec<(i32, String)> {
    let mut parent_of = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = stat[open + 1..close].to_owned();
        let ppid = stat[close + 2..]
            .split(' ')
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        parent_of.push((pid, ppid, comm));
    }
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for (pid, ppid, comm) in &parent_of {
            if *ppid == parent {
                found.push((*pid, comm.clone()));
                frontier.push(*pid);
            }
        }
    }
    found
}

fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        !s.rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z'))
    })
}

/// Waits (bounded) until the server has a running test binary below it.
fn wait_for_test_binary(server: &Server) -> Vec<(i32, String)> {
    let until = Instant::now() + GRADE_WAIT;
    loop {
        let tree = descendants(server.pid());
        if tree
            .iter()
            .any(|(_, comm)| comm == gograde::grade::stage::TEST_BINARY)
        {
            return tree;
        }
        assert!(Instant::now() < until, "no test binary started: {tree:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_client_that_hangs_up_cancels_its_grade_and_kills_its_processes() {
    let server = Server::start(&["--timeout", "120"]);
    let body = serde_json::json!({"exercise": "reverse", "source": HANGS}).to_string();
    let stream = send(&server.addr, "POST", "/api/grade", &[], body.as_bytes());
    let tree = wait_for_test_binary(&server);
    assert_eq!(server.metric("gograde_grades_running"), 1.0);
    let hung_up = Instant::now();
    stream.shutdown(Shutdown::Both).unwrap();
    drop(stream);
    server.wait_metric(
        "gograde_grades_cancelled_total",
        1.0,
        Duration::from_secs(20),
    );
    server.wait_metric("gograde_grades_running", 0.0, Duration::from_secs(20));
    let until = Instant::now() + Duration::from_secs(20);
    while tree.iter().any(|(pid, _)| alive(*pid)) {
        assert!(
            Instant::now() < until,
            "processes outlived the cancelled grade: {tree:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        hung_up.elapsed() < Duration::from_secs(20),
        "the grade was stopped, not run to its 120 s limit"
    );
    assert!(
        descendants(server.pid()).is_empty(),
        "nothing left below the server"
    );
    assert_eq!(
        server.metric("gograde_grades_total{status=\"timeout\"}"),
        0.0,
        "no verdict for a cancelled grade"
    );
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn shutdown_stops_running_grades_and_answers_their_clients() {
    let mut server = Server::start(&["--timeout", "120"]);
    let body = serde_json::json!({"exercise": "reverse", "source": HANGS}).to_string();
    let mut stream = send(&server.addr, "POST", "/api/grade", &[], body.as_bytes());
    let tree = wait_for_test_binary(&server);
    let term = Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .expect("run kill");
    assert!(term.success());
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let reply = parse(&raw);
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert!(reply.error().contains("shutting down"), "{}", reply.error());
    assert!(reply.header("retry-after").is_some());
    let until = Instant::now() + Duration::from_secs(20);
    while server.child.try_wait().expect("poll the server").is_none() {
        assert!(Instant::now() < until, "the server did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
    let until = Instant::now() + Duration::from_secs(20);
    while tree.iter().any(|(pid, _)| alive(*pid)) {
        assert!(
            Instant::now() < until,
            "processes outlived the server: {tree:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_full_queue_answers_503_with_retry_after() {
    let server = Arc::new(Server::start(&[
        "--jobs",
        "1",
        "--queue",
        "0",
        "--timeout",
        "120",
    ]));
    let body = serde_json::json!({"exercise": "reverse", "source": HANGS}).to_string();
    let stream = send(&server.addr, "POST", "/api/grade", &[], body.as_bytes());
    wait_for_test_binary(&server);
    let busy = server.grade(
        "reverse",
        "package main\n\nfunc Reverse(s string) string { return s }\n",
    );
    assert_eq!(busy.status, 503, "{}", busy.text());
    let retry: u64 = busy
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=120).contains(&retry), "{retry}");
    assert!(busy.error().starts_with("busy"), "{}", busy.error());
    assert_eq!(
        server.metric("gograde_rejected_requests_total{reason=\"busy\"}"),
        1.0
    );
    // The slot frees once the first client goes away.
    drop(stream);
    server.wait_metric("gograde_grades_running", 0.0, Duration::from_secs(20));
    let reply = server.grade(
        "reverse",
        &read("exercises/reverse/solutions/good/reference.go"),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["status"], "pass");
}

#[test]
fn a_token_guards_every_route() {
    let server = Server::start(&["--token", "s3cret"]);
    for path in [
        "/",
        "/healthz",
        "/metrics",
        "/api/exercises",
        "/api/exercises/reverse",
    ] {
        let refused = server.get(path);
        assert_eq!(refused.status, 401, "{path} without the token");
        assert_eq!(refused.header("www-authenticate"), Some("Bearer"));
        let wrong = http(
            &server.addr,
            "GET",
            path,
            &[("Authorization", "Bearer s3creT")],
            b"",
        );
        assert_eq!(wrong.status, 401, "{path} with a wrong token");
        let ok = http(
            &server.addr,
            "GET",
            path,
            &[("Authorization", "Bearer s3cret")],
            b"",
        );
        assert_eq!(ok.status, 200, "{path} with the token");
    }
    assert_eq!(
        server.get("/?token=s3cret").status,
        200,
        "the page's URL carries the token"
    );
    assert_eq!(server.post("/api/grade", b"{}").status, 401);
    let graded = http(
        &server.addr,
        "POST",
        "/api/grade",
        &[("Authorization", "Bearer s3cret")],
        serde_json::json!({"source": read("exercises/reverse/solutions/good/reference.go")})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(graded.json()["status"], "pass");
    let metrics = http(
        &server.addr,
        "GET",
        "/metrics",
        &[("Authorization", "Bearer s3cret")],
        b"",
    )
    .text();
    assert!(
        metrics.contains("gograde_rejected_requests_total{reason=\"unauthorized\"} 11"),
        "{metrics}"
    );
}

#[test]
fn listening_beyond_loopback_needs_a_token() {
    let out = gograde()
        .args(["serve", "--listen", "0.0.0.0:0"])
        .stdin(Stdio::null())
        .output()
        .expect("run gograde serve");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--token") && err.contains("0.0.0.0"), "{err}");

    let mut open = gograde()
        .args(["serve", "--listen", "0.0.0.0:0", "--token", "s3cret"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start gograde serve");
    let mut line = String::new();
    BufReader::new(open.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = open.kill();
    let _ = open.wait();
    assert!(
        line.starts_with("gograde: serving on http://0.0.0.0:"),
        "{line}"
    );
    assert!(line.trim_end().ends_with("/?token=s3cret"), "{line}");
}

/// The router in-process, without a socket.
fn app(token: Option<&str>) -> gograde::serve::App {
    let catalog = gograde::exercise::Catalog::load(None).expect("the built-in exercises");
    let toolchain = gograde::grade::toolchain::Toolchain::discover().expect("a Go toolchain");
    gograde::serve::App::new(
        catalog,
        toolchain,
        gograde::grade::options::GradeOptions::default(),
        token.map(str::to_owned),
        gograde::serve::Queue::new(1, 0),
    )
}

fn in_process(token: Option<&str>) -> axum::Router {
    gograde::serve::router(Arc::new(app(token)))
}

async fn call(app: axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.oneshot(request).await.expect("the router answers");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_grade_that_panics_costs_only_its_own_request() {
    fn panics(
        _: &gograde::grade::toolchain::Toolchain,
        _: &gograde::exercise::Exercise,
        _: &gograde::grade::submission::Submission,
        _: &gograde::grade::options::GradeOptions,
    ) -> gograde::verdict::Verdict {
        panic!("a grader bug");
    }
    let app = Arc::new(app(None).with_grader(panics));
    let router = gograde::serve::router(Arc::clone(&app));
    let body = serde_json::json!({"exercise": "reverse", "source": "package main"}).to_string();
    // Twice, with one slot: the first panic must have freed it.
    for _ in 0..2 {
        let request = Request::post("/api/grade")
            .body(Body::from(body.clone()))
            .unwrap();
        let (status, error) = call(router.clone(), request).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            error["error"]
                .as_str()
                .unwrap()
                .contains("other grades are unaffected"),
            "{error}"
        );
    }
    let (status, _) = call(
        router.clone(),
        Request::get("/api/exercises").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "still serving");
    assert_eq!(app.queue.running(), 0);
    let metrics = app.metrics.render(0, 0);
    assert!(
        metrics.contains("gograde_grade_panics_total 2"),
        "{metrics}"
    );
}

#[tokio::test]
async fn in_process_router_answers_without_a_socket() {
    let (status, list) = call(
        in_process(None),
        Request::get("/api/exercises").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().map(Vec::len), Some(5));

    let wrong_shape = Request::post("/api/grade")
        .body(Body::from(r#"{"source": 42}"#))
        .unwrap();
    let (status, error) = call(in_process(None), wrong_shape).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // In the API's words, not the deserializer's ("invalid type: ...").
    assert_eq!(
        error["error"], "\"source\" must be a string, got a number",
        "{error}"
    );

    let (status, _) = call(
        in_process(Some("t")),
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let with_token = Request::get("/api/exercises/json")
        .header("authorization", "Bearer t")
        .body(Body::empty())
        .unwrap();
    let (status, json) = call(in_process(Some("t")), with_token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(json["stub"].as_str().unwrap().contains("AddRole"));
}

// ---- the page in a real browser ------------------------------------------

/// Ends, by pid, every process started with `--user-data-dir=` this
/// profile, even when the test panicked.
struct BrowserProcesses(PathBuf);

impl Drop for BrowserProcesses {
    fn drop(&mut self) {
        let flag = format!("--user-data-dir={}", self.0.display());
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return;
        };
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<i32>().ok())
            else {
                continue;
            };
            let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            if cmdline.split(|b| *b == 0).any(|arg| arg == flag.as_bytes()) {
                // SAFETY: kill(2) with a pid read just now; at worst the
                // process has already gone.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        }
    }
}

/// Debian's chromium and chromedriver, when installed.
struct Browser {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

impl Browser {
    /// Both programs, or `None` with a line saying the test was skipped.
    fn installed() -> Option<Browser> {
        match (installed("chromium"), installed("chromedriver")) {
            (Some(chromium), Some(chromedriver)) => Some(Browser {
                chromium,
                chromedriver,
            }),
            _ => {
                eprintln!(
                    "SKIPPED the browser test: `chromium` and `chromedriver` are not installed (Debian: apt-get install chromium chromium-driver; .ci/run installs them)"
                );
                None
            }
        }
    }

    /// Opens the page of `server` in a fresh headless session with a window
    /// of `size` (CSS pixels), waits for the exercise list, runs `body`,
    /// then ends the session. Each call has its own driver and profile, so
    /// nothing (storage included) carries over between tests.
    fn with_page<F, Fut>(&self, server: &Server, size: (u32, u32), body: F)
    where
        F: FnOnce(fantoccini::Client) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let driver = Driver::start(&self.chromedriver);
        let profile = tempfile::TempDir::new().expect("a browser profile dir");
        // Declared after the driver, so dropped before it: chromium outlives
        // a killed chromedriver (and a session closed in a hurry), so its
        // processes are ended here, found by this session's own profile.
        let _browser = BrowserProcesses(profile.path().to_owned());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut caps = serde_json::Map::new();
            caps.insert(
                "goog:chromeOptions".into(),
                serde_json::json!({
                    "binary": self.chromium,
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-breakpad",
                        format!("--window-size={},{}", size.0, size.1),
                        format!("--user-data-dir={}", profile.path().display()),
                    ],
                }),
            );
            let client = fantoccini::ClientBuilder::new(
                hyper_util::client::legacy::connect::HttpConnector::new(),
            )
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .expect("a chromium session");
            client
                .goto(&format!("http://{}/", server.addr))
                .await
                .expect("open the page");
            wait_until(
                &client,
                "document.querySelectorAll('#exercise option').length === 6",
                Duration::from_secs(30),
            )
            .await;
            body(client.clone()).await;
            client.close().await.expect("end the session");
        });
    }
}

/// Open the page, paste code that hangs and grade it, then paste a racy
/// counter and grade again: the first grade is cancelled on the server, the
/// second says FAIL with the failing test and the racy line marked. Then type the fix in the
/// editor (Tab included) and, without asking, the live re-grade says PASS.
/// With `GOGRADE_SCREENSHOT=path.png` the failing verdict is saved there
/// (that is how docs/serve.png is made).
#[test]
fn the_page_grades_a_racy_counter_then_its_fix_in_headless_chromium() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    let bad = read("exercises/counter/solutions/bad/value_unlocked.go");
    let racy_line = bad
        .lines()
        .position(|l| l.trim() == "return c.n")
        .expect("the unlocked read")
        + 1;
    let server = &server;
    browser.with_page(server, (1100, 1400), |client| async move {
        // Paste: the text lands at once, as a paste does.
        let paste = |text: &str| {
            client.execute(
                "const s = document.getElementById('source'); s.value = arguments[0]; s.dispatchEvent(new Event('input'));",
                vec![Value::String(text.to_owned())],
            )
        };
        let editor = client
            .find(fantoccini::Locator::Id("source"))
            .await
            .unwrap();
        // Ctrl+Enter (WebDriver key codes: Control, Enter, release all).
        let ctrl_enter = "\u{E009}\u{E007}\u{E000}";

        // A grade that would run for minutes, superseded by a newer one:
        // the page aborts its request and the server cancels that grade.
        paste(HANGS).await.unwrap();
        editor.send_keys(ctrl_enter).await.unwrap();
        server.wait_metric("gograde_grades_running", 1.0, Duration::from_secs(30));
        paste(&bad).await.unwrap();
        editor.send_keys(ctrl_enter).await.unwrap();
        server.wait_metric("gograde_grades_cancelled_total", 1.0, Duration::from_secs(30));

        wait_until(
            &client,
            "document.getElementById('banner').dataset.status === 'fail'",
            GRADE_WAIT,
        )
        .await;
        let status = client.find(fantoccini::Locator::Id("status")).await.unwrap();
        assert_eq!(status.text().await.unwrap(), "FAIL");
        let failing = client.find(fantoccini::Locator::Id("failing")).await.unwrap();
        assert!(
            failing
                .text()
                .await
                .unwrap()
                .contains("TestCore_ReadsDuringWrites"),
            "the racy test is listed as failing"
        );
        let marked = client
            .execute(
                "return [...document.querySelectorAll('#gutter div.race')].map(d => Number(d.dataset.line));",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            marked
                .as_array()
                .unwrap()
                .contains(&Value::from(racy_line)),
            "line {racy_line} (return c.n) is marked as racy, marked: {marked}"
        );
        wait_until(
            &client,
            &format!("document.querySelector('#backdrop .band.race[data-line=\"{racy_line}\"]')"),
            Duration::from_secs(5),
        )
        .await;
        if let Some(path) = std::env::var_os("GOGRADE_SCREENSHOT") {
            // Wide enough for the two-column layout.
            client.set_window_size(1440, 1000).await.unwrap();
            tokio::time::sleep(Duration::from_millis(300)).await;
            let png = client.screenshot().await.expect("a screenshot");
            std::fs::write(&path, png).expect("write the screenshot");
            client.set_window_size(1100, 1400).await.unwrap();
        }

        // The fix, typed: the cursor goes before `return c.n`, then the
        // keys (a Tab indents, it does not leave the editor).
        client
            .execute(
                "const s = document.getElementById('source'); const i = s.value.indexOf('return c.n'); s.focus(); s.setSelectionRange(i, i);",
                vec![],
            )
            .await
            .unwrap();
        editor
            .send_keys("c.mu.Lock()\n\tdefer c.mu.Unlock()\n\t")
            .await
            .unwrap();
        let typed = editor.prop("value").await.unwrap().unwrap_or_default();
        assert!(
            typed.contains("\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\treturn c.n"),
            "the fix as typed, with tabs: {typed}"
        );
        wait_until(
            &client,
            "document.getElementById('banner').dataset.status === 'pass'",
            GRADE_WAIT,
        )
        .await;
        assert_eq!(status.text().await.unwrap(), "PASS");
        let leftover = client
            .execute("return document.querySelectorAll('#gutter div.race').length;", vec![])
            .await
            .unwrap();
        assert_eq!(leftover, Value::from(0), "no race marks after the fix");
        let scorecard = client
            .execute("return window.gogradeScorecard();", vec![])
            .await
            .unwrap();
        let scorecard = scorecard.as_str().unwrap_or_default();
        assert!(
            scorecard.starts_with("**gograde: counter: PASS**"),
            "{scorecard}"
        );
    });
}

// ---- the page's scorecard: candidate text stays inert ----------------------

/// What a candidate's panic value would write into the interviewer's notes
/// if the scorecard let it: a heading and bold fake pass, a remote image (a
/// tracking pixel), links (inline, autolink, bare), raw HTML, an entity,
/// backtick runs that would end a short code span, a table row and line
/// breaks that would start blocks of their own.
const HOSTILE: &str = "x\n\n# **PASS** 20/20\n![p](https://evil.example/p.png) <img src=https://evil.example/i.png> [notes](https://evil.example) <https://evil.example/a> www.evil.example &amp; | a | b |\n|---|---|\n```\n`` tick ` \u{202e}done\r\n> quote\n- item";

/// Checks that `md` (CommonMark with GitHub's extensions) holds nothing a
/// candidate could have written as Markdown: no link, image, HTML, heading,
/// quote, code block or table beyond gograde's own category table, one bold
/// run (the title), and outside code spans no link-shaped or HTML-shaped
/// text left unescaped (for renderers that link bare URLs). Returns the
/// text of the code spans.
fn assert_inert(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut strong = 0;
    let mut tables = 0;
    let mut code = Vec::new();
    let mut outside = md.to_owned();
    for (event, range) in Parser::new_ext(md, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::Strong) => strong += 1,
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(
                tag @ (Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::FootnoteDefinition(_)),
            ) => panic!("{tag:?} in the scorecard:\n{md}"),
            Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h:?} in the scorecard:\n{md}"),
            Event::Code(text) => {
                code.push(text.to_string());
                outside.replace_range(range.clone(), &" ".repeat(range.len()));
            }
            _ => {}
        }
    }
    // Backslash-escaped punctuation is text in every renderer.
    let mut unescaped = String::with_capacity(outside.len());
    let mut chars = outside.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            chars.next();
            unescaped.push_str("  ");
        } else {
            unescaped.push(c);
        }
    }
    let outside = unescaped;
    assert_eq!(strong, 1, "only the title is bold:\n{md}");
    assert!(tables <= 1, "only the category table:\n{md}");
    for shape in ["://", "www.", "<", "&amp;", "\u{202e}", "\r"] {
        assert!(
            !outside.contains(shape),
            "{shape:?} outside a code span:\n{outside}"
        );
    }
    code
}

/// The scorecard function on literal data: a verdict whose every
/// candidate-derived field is hostile.
#[test]
fn the_scorecard_keeps_hostile_candidate_text_inert() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    let test = |name: &str, category: &str, status: &str| {
        serde_json::json!({"name": name, "category": category, "status": status, "points": 1,
            "earned": if status == "pass" {1} else {0}, "duration_ms": 1, "description": "d",
            "message": HOSTILE, "expected": HOSTILE, "actual": "`", "hint": HOSTILE})
    };
    let verdict = serde_json::json!({
        "schema_version": 1, "exercise": "reverse", "status": "fail", "summary": HOSTILE,
        "score": {"earned": 1, "possible": 3}, "followups": {"earned": 0, "possible": 1},
        "tests": [test("TestCore_A", "core", "pass"), test("TestCore_B", "core", "error"),
            test("TestRobust_C", "robustness", "fail"), test("TestFollowup_D", "followup", "fail")],
        "races": [{"summary": HOSTILE, "count": 1, "accesses": [
            {"op": "read", "goroutine": 7, "frames": [{"function": HOSTILE, "file": "x.go", "line": 4, "candidate": true}]},
            {"op": "write", "goroutine": 8, "frames": []}]}],
        "compile_errors": [{"file": "x.go", "line": 3, "column": 1, "message": HOSTILE},
            {"file": "x.go", "line": 0, "column": 0, "message": "`"}],
        "notes": [{"kind": "vet", "message": HOSTILE}], "hints": [HOSTILE],
    });
    browser.with_page(&server, (1100, 900), |client| async move {
        let md = client
            .execute(
                "return window.gogradeMarkdown(arguments[0], '2026-12-06T15:30:00Z');",
                vec![verdict],
            )
            .await
            .unwrap();
        let md = md.as_str().expect("a string");
        assert!(
            md.starts_with("**gograde: reverse: FAIL**, score 1/3, follow-ups 0/1 (graded 2026-12-06 15:30 UTC)\n"),
            "{md}"
        );
        let code = assert_inert(md);
        // The candidate's words are all there, as code: the message (with
        // its line breaks shown), the expected value, the function name,
        // the compile and vet messages, and a lone backtick.
        let whole = HOSTILE.replace("\r\n", " ⏎ ").replace('\n', " ⏎ ").replace('\u{202e}', "\\u{202e}");
        assert!(code.iter().filter(|c| **c == whole).count() >= 5, "{code:#?}");
        assert!(code.iter().any(|c| c == "`"), "{code:#?}");
        // Line breaks started no block of their own: the summary is the
        // one paragraph between the title and the table.
        let summary = md.split("\n\n").nth(1).unwrap();
        assert!(!summary.contains('\n') && summary.starts_with("x ⏎"), "{summary:?}");
    });
}

/// A submission whose panic value is Markdown, graded on the page and
/// copied with "Copy as Markdown": the copied scorecard shows the panic
/// value as code and nothing of it as Markdown.
#[test]
fn a_hostile_panic_value_is_inert_in_the_copied_scorecard() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    let source = format!(
        "package main\n\nfunc Reverse(s string) string {{\n\tpanic({:?})\n}}\n",
        HOSTILE.replace('\u{202e}', "")
    );
    browser.with_page(&server, (1366, 768), |client| async move {
        paste_and_grade(&client, &source).await;
        wait_for_status(&client, "fail").await;
        // The clipboard of a headless browser cannot be read back: the
        // page's own copy goes through writeText, recorded here.
        client
            .execute(
                "window.copiedText = null; navigator.clipboard.writeText = (t) => { window.copiedText = t; return Promise.resolve(); };",
                vec![],
            )
            .await
            .unwrap();
        client
            .find(fantoccini::Locator::Id("copy-md"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_until(&client, "window.copiedText", Duration::from_secs(5)).await;
        let copied = client.execute("return window.copiedText;", vec![]).await.unwrap();
        let md = copied.as_str().unwrap();
        assert!(md.starts_with("**gograde: reverse: FAIL**"), "{md}");
        let code = assert_inert(md);
        assert!(
            code.iter().any(|c| c.contains("# **PASS** 20/20 ⏎ ![p](https://evil.example/p.png)")),
            "the panic value is shown as code: {code:#?}"
        );
        assert!(!md.contains("goroutine "), "no stack in the notes: {md}");
    });
}

/// Pastes `text` into the editor (at once, as a paste lands) and presses
/// Ctrl+Enter.
async fn paste_and_grade(client: &fantoccini::Client, text: &str) {
    paste(client, text).await;
    client
        .find(fantoccini::Locator::Id("source"))
        .await
        .unwrap()
        .send_keys("\u{E009}\u{E007}\u{E000}")
        .await
        .unwrap();
}

/// Replaces the editor's text as a paste does (one input event).
async fn paste(client: &fantoccini::Client, text: &str) {
    client
        .execute(
            "const s = document.getElementById('source'); s.focus(); s.select(); document.execCommand('insertText', false, arguments[0]) || (s.value = arguments[0]); s.dispatchEvent(new Event('input'));",
            vec![Value::String(text.to_owned())],
        )
        .await
        .unwrap();
}

/// Waits until the banner shows `status` and no grade is in flight.
async fn wait_for_status(client: &fantoccini::Client, status: &str) {
    wait_until(
        client,
        &format!(
            "document.getElementById('banner').dataset.status === '{status}' && !document.getElementById('banner').classList.contains('stale')"
        ),
        GRADE_WAIT,
    )
    .await;
}

// ---- the page as an interviewer uses it (issue 18) -------------------------

/// With `GOGRADE_SCREENSHOTS=DIR`, saves the page as `DIR/NAME.png` (how
/// docs/screenshots/ is made, before and after a change).
async fn shot(client: &fantoccini::Client, name: &str) {
    if let Some(dir) = std::env::var_os("GOGRADE_SCREENSHOTS") {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let png = client.screenshot().await.expect("a screenshot");
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png)
            .expect("write the screenshot");
    }
}

/// Runs `script` in the page and returns its value.
async fn js(client: &fantoccini::Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .expect("run a script in the page")
}

/// Picks `id` in the exercise list, as a click on it would.
async fn pick(client: &fantoccini::Client, id: &str) {
    client
        .execute(
            "const p = document.getElementById('exercise'); p.value = arguments[0]; p.dispatchEvent(new Event('change'));",
            vec![Value::String(id.to_owned())],
        )
        .await
        .unwrap();
    wait_until(
        client,
        "!document.getElementById('prompt-body').hidden",
        Duration::from_secs(10),
    )
    .await;
}

/// The gutter's marked lines of `kind` ("race" or "error").
async fn marked(client: &fantoccini::Client, kind: &str) -> Vec<u64> {
    let lines = client
        .execute(
            "return [...document.querySelectorAll('#gutter div.' + arguments[0])].map(d => Number(d.dataset.line));",
            vec![Value::String(kind.to_owned())],
        )
        .await
        .unwrap();
    lines
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect()
}

/// Item 1 (and 5): after a verdict, code the server cannot grade (a 422)
/// leaves nothing of the old verdict (no table, failures, marks or
/// exports) and the page's advice names the page's controls.
#[test]
fn an_error_after_a_verdict_leaves_nothing_of_it() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    let racy = read("exercises/counter/solutions/bad/value_unlocked.go");
    browser.with_page(&server, (1366, 768), |client| async move {
        paste_and_grade(&client, &racy).await;
        wait_for_status(&client, "fail").await;
        assert!(!marked(&client, "race").await.is_empty());
        paste_and_grade(&client, "package main\n\nfunc Hello() {}\n").await;
        wait_until(
            &client,
            "document.getElementById('banner').dataset.status === 'error'",
            GRADE_WAIT,
        )
        .await;
        shot(&client, "item1").await;
        let state = js(
            &client,
            "return {children: document.getElementById('verdict').childElementCount, \
             failing: !!document.getElementById('failing'), \
             copy: document.getElementById('copy-md').disabled, \
             download: document.getElementById('download').disabled, \
             scorecard: window.gogradeScorecard(), \
             prompt_hidden: document.getElementById('prompt-body').hidden, \
             title: document.getElementById('status').textContent, \
             summary: document.getElementById('summary').textContent};",
        )
        .await;
        assert_eq!(state["children"], 0, "{state}");
        assert_eq!(state["failing"], false, "{state}");
        assert_eq!(state["copy"], true, "exports are off: {state}");
        assert_eq!(state["download"], true, "exports are off: {state}");
        assert_eq!(state["scorecard"], "", "{state}");
        assert_eq!(
            state["prompt_hidden"], true,
            "no exercise detected now: {state}"
        );
        assert!(marked(&client, "race").await.is_empty(), "no marks left");
        assert_eq!(state["title"], "NOT GRADED", "{state}");
        let summary = state["summary"].as_str().unwrap();
        assert!(
            summary.contains("Pick the exercise in the list at the top")
                && !summary.contains("--exercise")
                && !summary.starts_with("-:")
                && !summary.starts_with("<stdin>"),
            "{summary}"
        );

        // A grade the server never answers (the network gone): the same.
        paste_and_grade(&client, &racy).await;
        wait_for_status(&client, "fail").await;
        js(
            &client,
            "window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));",
        )
        .await;
        paste_and_grade(&client, &format!("{racy}\n// edited\n")).await;
        wait_until(
            &client,
            "document.getElementById('status').textContent === 'NO ANSWER'",
            GRADE_WAIT,
        )
        .await;
        let state = js(
            &client,
            "return {children: document.getElementById('verdict').childElementCount, \
             copy: document.getElementById('copy-md').disabled};",
        )
        .await;
        assert_eq!(state, serde_json::json!({"children": 0, "copy": true}));
        assert!(marked(&client, "race").await.is_empty(), "no marks left");
        client.refresh().await.unwrap();
        wait_until(
            &client,
            "document.querySelectorAll('#exercise option').length === 6",
            Duration::from_secs(30),
        )
        .await;

        // Over the size limit: a title in words, not "HTTP 413".
        paste_and_grade(&client, &format!("// {}\n", "x".repeat(300_000))).await;
        wait_until(
            &client,
            "document.getElementById('status').textContent === 'TOO LARGE'",
            GRADE_WAIT,
        )
        .await;
        let summary = js(
            &client,
            "return document.getElementById('summary').textContent;",
        )
        .await;
        assert!(
            summary.as_str().unwrap().contains("limited to"),
            "{summary}"
        );
    });
}

/// Item 2: "Put stub in editor" can be undone with Ctrl+Z, closes the
/// prompt card, and the editor's text survives a reload.
#[test]
fn the_candidates_code_survives_the_stub_button_and_a_reload() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    browser.with_page(&server, (1366, 768), |client| async move {
        js(&client, "document.getElementById('live').checked = false;").await;
        let mine = "package main\n\n// the candidate's half-written answer\nfunc Reverse(s string) string {\n";
        paste(&client, mine).await;
        pick(&client, "reverse").await;
        client
            .find(fantoccini::Locator::Id("use-stub"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let editor = client.find(fantoccini::Locator::Id("source")).await.unwrap();
        let stub = js(&client, "return document.getElementById('stub-text').textContent;").await;
        assert_eq!(editor.prop("value").await.unwrap().as_deref(), stub.as_str());
        assert_eq!(
            js(&client, "return document.getElementById('prompt-box').open;").await,
            false,
            "the card closes once its stub is used"
        );
        editor.send_keys("\u{E009}z\u{E000}").await.unwrap();
        assert_eq!(
            editor.prop("value").await.unwrap().as_deref(),
            Some(mine),
            "Ctrl+Z brings the candidate's code back"
        );
        client.refresh().await.unwrap();
        wait_until(
            &client,
            &format!(
                "document.getElementById('source').value === {}",
                serde_json::to_string(mine).unwrap()
            ),
            Duration::from_secs(10),
        )
        .await;
        assert_eq!(js(&client, "return document.getElementById('exercise').value;").await, "reverse");
    });
}

/// Item 3: with live re-grade off, lines inserted above the racy lines
/// move their marks with them, the verdict says it is for an earlier
/// version, and a line link selects the code it was about.
#[test]
fn marks_follow_edits_and_the_verdict_says_it_is_outdated() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    let racy = read("exercises/counter/solutions/bad/value_unlocked.go");
    let read_line = racy
        .lines()
        .position(|l| l.trim() == "return c.n")
        .expect("the unlocked read") as u64
        + 1;
    browser.with_page(&server, (1366, 768), |client| async move {
        js(&client, "document.getElementById('live').checked = false;").await;
        paste_and_grade(&client, &racy).await;
        wait_for_status(&client, "fail").await;
        let before = marked(&client, "race").await;
        assert!(before.contains(&read_line), "{before:?}");
        // Item 9: the race's message in the page's terms, on the page and
        // in the scorecard: lines, not stdin.go; no goroutine numbers (the
        // raw output, folded away, stays as it was).
        let words = js(
            &client,
            "return [...document.querySelectorAll('#failing .item > :not(details)')].map(c => c.textContent).join('\\n') + '\\n' + window.gogradeScorecard();",
        )
        .await;
        let words = words.as_str().unwrap();
        assert!(
            !words.contains("stdin.go") && !words.contains("goroutine "),
            "{words}"
        );
        assert!(words.contains(&format!("(line {read_line})")), "{words}");
        shot(&client, "item3-graded").await;
        // Two lines typed at the top of the file.
        js(&client, "const s = document.getElementById('source'); s.focus(); s.setSelectionRange(0, 0);").await;
        client
            .find(fantoccini::Locator::Id("source"))
            .await
            .unwrap()
            .send_keys("// notes\n// more notes\n")
            .await
            .unwrap();
        shot(&client, "item3-edited").await;
        let after = marked(&client, "race").await;
        assert_eq!(
            after,
            before.iter().map(|l| l + 2).collect::<Vec<_>>(),
            "the marks moved down with their lines"
        );
        let state = js(
            &client,
            "return {outdated: document.getElementById('banner').classList.contains('outdated'), \
             note: !document.getElementById('outdated').hidden};",
        )
        .await;
        assert_eq!(state, serde_json::json!({"outdated": true, "note": true}));
        // The link to the unlocked read selects it where it is now.
        client
            .find(fantoccini::Locator::Css(&format!("#races button[data-goto=\"{read_line}\"]")))
            .await
            .expect("a link to the racy read")
            .click()
            .await
            .unwrap();
        let selected = js(
            &client,
            "const s = document.getElementById('source'); return s.value.slice(s.selectionStart, s.selectionEnd);",
        )
        .await;
        assert_eq!(selected.as_str().unwrap().trim(), "return c.n");
        // Grading the edited text makes the verdict current again.
        client
            .find(fantoccini::Locator::Id("source"))
            .await
            .unwrap()
            .send_keys("\u{E009}\u{E007}\u{E000}")
            .await
            .unwrap();
        wait_until(
            &client,
            "!document.getElementById('banner').classList.contains('outdated') && !document.getElementById('banner').classList.contains('stale')",
            GRADE_WAIT,
        )
        .await;
        assert!(marked(&client, "race").await.contains(&(read_line + 2)));
    });
}

/// Rewrites the races of the next verdicts the page receives into two
/// groups on the same pair of lines, with counts and tests of their own:
/// the page used to merge such entries under a key of its own and count
/// them anew.
const TWO_RACE_GROUPS_ON_THE_SAME_LINES: &str = r#"
const real = window.fetch;
window.fetch = async (path, init) => {
  const res = await real(path, init);
  if (!String(path).includes('/api/grade') || !res.ok) return res;
  const v = await res.json();
  const race = (count, tests) => ({summary: 'data race', test: tests[0], tests, count, accesses: [
    {op: 'read', goroutine: 1, previous: false, frames: [{function: 'f', file: 'x.go', line: 5, candidate: true}]},
    {op: 'write', goroutine: 2, previous: true, frames: [{function: 'g', file: 'x.go', line: 3, candidate: true}]}]});
  v.races = [race(3, ['TestCore_A', 'TestCore_B']), race(1, ['TestCore_C'])];
  return new Response(JSON.stringify(v), {status: 200, headers: {'Content-Type': 'application/json'}});
};
"#;

/// Issue 15: the grader groups races once, in the verdict, and the page
/// shows those groups as they are (one item each, the verdict's count and
/// tests), on the page and in the copied scorecard; it never regroups, so
/// it counts what the terminal counts.
#[test]
fn the_page_shows_the_verdicts_race_groups_as_they_are() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    let racy = read("exercises/counter/solutions/bad/value_unlocked.go");
    browser.with_page(&server, (1366, 768), |client| async move {
        js(&client, "document.getElementById('live').checked = false;").await;
        js(&client, TWO_RACE_GROUPS_ON_THE_SAME_LINES).await;
        paste_and_grade(&client, &racy).await;
        wait_for_status(&client, "fail").await;
        let shown = js(
            &client,
            "const text = (n) => n ? n.textContent : null; \
             return {title: [...document.querySelectorAll('#verdict h2')].map(h => h.textContent).find(t => t.startsWith('Data races')), \
               items: [...document.querySelectorAll('#races .item')].map(i => ({lines: i.dataset.lines, \
                 tag: text(i.querySelector('.tag')), seen: text(i.querySelector('.muted'))}))};",
        )
        .await;
        assert_eq!(
            shown,
            serde_json::json!({"title": "Data races (2)", "items": [
                {"lines": "3,5", "tag": "3×", "seen": "seen in TestCore_A, TestCore_B"},
                {"lines": "3,5", "tag": null, "seen": "seen in TestCore_C"},
            ]})
        );
        let md = js(&client, "return window.gogradeScorecard();").await;
        let races: Vec<&str> = md
            .as_str()
            .unwrap()
            .lines()
            .skip_while(|l| *l != "Data races:")
            .skip(1)
            .take_while(|l| l.starts_with("- "))
            .collect();
        assert_eq!(races.len(), 2, "{md}");
        assert!(
            races[0].contains("TestCore_A") && races[0].ends_with("; reported 3 times)"),
            "{md}"
        );
        assert!(
            races[1].contains("TestCore_C") && !races[1].contains("reported"),
            "{md}"
        );
    });
}

/// How much of the editor and the banner is in view.
async fn in_view(client: &fantoccini::Client) -> Value {
    js(
        client,
        "const r = (id) => document.getElementById(id).getBoundingClientRect(); \
         const e = r('source'), b = r('status'); \
         const lh = parseFloat(getComputedStyle(document.getElementById('gutter').firstElementChild).height); \
         return {editor_lines: Math.floor((Math.min(e.bottom, innerHeight) - Math.max(e.top, 0) - 16) / lh), \
           editor_whole: e.top >= 0 && e.bottom <= innerHeight, \
           status_shown: b.top >= 0 && b.bottom <= innerHeight && b.right <= innerWidth, \
           viewport: [innerWidth, innerHeight]};",
    )
    .await
}

/// Item 4: at 1366x768 and 1400x900 the editor shows at least 25 lines
/// and the status is in view: with the prompt card open, once its stub is
/// used, and with a long list of failures.
#[test]
fn editor_and_status_are_both_in_view_at_laptop_sizes() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    for (size, name) in [((1366, 768), "item4"), ((1400, 900), "item4-1400x900")] {
        browser.with_page(&server, size, |client| async move {
            pick(&client, "workerpool").await;
            shot(&client, &format!("{name}-prompt-open")).await;
            let open = in_view(&client).await;
            client
                .find(fantoccini::Locator::Id("use-stub"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            client
                .find(fantoccini::Locator::Id("source"))
                .await
                .unwrap()
                .send_keys("\u{E009}\u{E007}\u{E000}")
                .await
                .unwrap();
            wait_for_status(&client, "fail").await;
            shot(&client, &format!("{name}-graded")).await;
            let graded = in_view(&client).await;
            // Reading down the failures keeps the banner in view.
            js(
                &client,
                "document.getElementById('failing').lastElementChild.scrollIntoView();",
            )
            .await;
            let scrolled = in_view(&client).await;
            for view in [&open, &graded, &scrolled] {
                assert!(view["editor_lines"].as_i64().unwrap() >= 25, "{view}");
                assert_eq!(view["editor_whole"], true, "{view}");
                assert_eq!(view["status_shown"], true, "{view}");
            }
        });
    }
}

/// Items 6 and 7: the banner names at most two failures (the workerpool
/// stub fails seven), and a pass with a failing robustness test says so.
#[test]
fn the_banner_is_short_and_a_pass_names_what_still_fails() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    let stub = read("exercises/workerpool/stub.go");
    let sleepy = read("exercises/retry/solutions/bad/sleeps_after_last_failure.go");
    browser.with_page(&server, (1366, 768), |client| async move {
        paste_and_grade(&client, &sleepy).await;
        wait_for_status(&client, "pass").await;
        shot(&client, "item7").await;
        let state = js(
            &client,
            "return {summary: document.getElementById('summary').textContent, \
             partial: document.getElementById('banner').classList.contains('partial')};",
        )
        .await;
        let summary = state["summary"].as_str().unwrap();
        assert!(
            summary.starts_with("Core passes; 1 robustness test fails: "),
            "{summary}"
        );
        assert_eq!(state["partial"], true, "not all green: {state}");

        paste_and_grade(&client, &stub).await;
        wait_for_status(&client, "fail").await;
        let summary = js(
            &client,
            "return document.getElementById('summary').textContent;",
        )
        .await;
        let summary = summary.as_str().unwrap();
        assert!(summary.contains("more (listed below)"), "{summary}");
        assert!(
            summary.matches(';').count() <= 2 && summary.len() < 300,
            "{summary}"
        );
    });
}

/// Items 10 and 11: a live re-grade of half-typed code shows its compile
/// error quietly (marks, a neutral banner, no 0/0 score) until the text
/// has been still longer; Ctrl+Enter shows it at once. A string's first
/// difference counts characters from 1, as the terminal does; the page has
/// a favicon.
#[test]
fn half_typed_code_is_quiet_until_the_text_rests_or_is_graded_on_demand() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    let bytes = read("exercises/reverse/solutions/bad/bytes_reversed.go");
    browser.with_page(&server, (1366, 768), |client| async move {
        let half = "package main\n\nfunc Reverse(s string) string {\n\treturn s +\n}\n";
        paste(&client, half).await; // live: graded when the typing pauses
        wait_until(
            &client,
            "document.getElementById('banner').dataset.status === 'compile_error'",
            GRADE_WAIT,
        )
        .await;
        let state = js(
            &client,
            "return {quiet: document.getElementById('banner').dataset.quiet, \
             title: document.getElementById('status').textContent, \
             score: document.getElementById('score').textContent};",
        )
        .await;
        assert_eq!(
            state,
            serde_json::json!({"quiet": "yes", "title": "DOES NOT COMPILE YET", "score": ""})
        );
        assert!(!marked(&client, "error").await.is_empty(), "marked at once");
        wait_until(
            &client,
            "document.getElementById('status').textContent === 'COMPILE ERROR'",
            Duration::from_secs(15),
        )
        .await;

        // Asked for: loud at once.
        paste_and_grade(&client, "package main\n\nfunc Reverse(s string) string {\n\treturn 1\n}\n").await;
        wait_until(
            &client,
            "document.getElementById('banner').dataset.status === 'compile_error' && document.getElementById('summary').textContent.includes('1')",
            GRADE_WAIT,
        )
        .await;
        wait_until(
            &client,
            "!document.getElementById('banner').classList.contains('stale')",
            GRADE_WAIT,
        )
        .await;
        assert_eq!(
            js(&client, "return document.getElementById('status').textContent;").await,
            "COMPILE ERROR"
        );

        paste_and_grade(&client, &bytes).await;
        wait_for_status(&client, "fail").await;
        let notes = js(
            &client,
            "return [...document.querySelectorAll('.diffnote')].map(n => n.textContent).join('\\n');",
        )
        .await;
        let notes = notes.as_str().unwrap();
        assert!(notes.contains("first difference at character "), "{notes}");
        assert!(!notes.contains("code point"), "{notes}");
        let icon = js(&client, "return document.querySelector('link[rel=icon]').href;").await;
        assert!(icon.as_str().unwrap().starts_with("data:image/png;base64,"), "{icon}");
    });
}

/// Item 11: the prompt is shown rendered (headings, lists, code), not as
/// raw Markdown, and "Copy prompt" still copies the Markdown as written.
#[test]
fn the_prompt_is_rendered_and_copied_as_written() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    let prompt = read("exercises/workerpool/prompt.md");
    browser.with_page(&server, (1366, 768), |client| async move {
        pick(&client, "workerpool").await;
        let shown = js(
            &client,
            "const p = document.getElementById('prompt-text'); \
             return {headings: p.querySelectorAll('h3').length, code: p.querySelectorAll('code').length, \
               blocks: p.querySelectorAll('pre.code').length, items: p.querySelectorAll('li').length, \
               text: p.textContent};",
        )
        .await;
        assert_eq!(shown["headings"], 1, "{shown}");
        assert!(shown["code"].as_u64().unwrap() > 3, "{shown}");
        assert_eq!(shown["blocks"], 2, "{shown}");
        assert!(shown["items"].as_u64().unwrap() >= 2, "{shown}");
        let text = shown["text"].as_str().unwrap();
        assert!(!text.contains("```") && !text.contains("# Worker"), "{text}");
        js(
            &client,
            "window.copiedText = null; navigator.clipboard.writeText = (t) => { window.copiedText = t; return Promise.resolve(); };",
        )
        .await;
        client
            .find(fantoccini::Locator::Id("copy-prompt"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_until(&client, "window.copiedText", Duration::from_secs(5)).await;
        assert_eq!(js(&client, "return window.copiedText;").await, prompt.as_str());
    });
}

/// Item 8 (vet): go vet's findings mark their lines in the editor, as races
/// and compile errors do.
#[test]
fn vet_findings_mark_their_lines() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    let source = read("exercises/counter/solutions/bad/value_receivers.go");
    let receivers: Vec<u64> = source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("func (c Counter)"))
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert_eq!(receivers.len(), 3);
    browser.with_page(&server, (1366, 768), |client| async move {
        paste_and_grade(&client, &source).await;
        wait_for_status(&client, "fail").await;
        assert_eq!(marked(&client, "vet").await, receivers);
        let title = js(
            &client,
            "return document.querySelector('#gutter div.vet').title;",
        )
        .await;
        assert_eq!(title, "go vet finding on this line");
    });
}

/// Item 8 (panics, deadlocks): the line a failing test stopped at in the
/// candidate's code (a panic's frame) is marked in the editor, and the
/// failing test links to it with the code on that line.
#[test]
fn a_panics_line_is_marked_and_linked() {
    let Some(browser) = Browser::installed() else {
        return;
    };
    let server = Server::start(&[]);
    let source = read("exercises/json/solutions/bad/panics_on_invalid.go");
    let line = source
        .lines()
        .position(|l| l.trim() == "panic(err)")
        .map(|i| i as u64 + 1)
        .unwrap();
    browser.with_page(&server, (1366, 768), |client| async move {
        paste_and_grade(&client, &source).await;
        wait_for_status(&client, "fail").await;
        shot(&client, "item8").await;
        assert_eq!(marked(&client, "stop").await, vec![line]);
        let title = js(
            &client,
            "return document.querySelector('#gutter div.stop').title;",
        )
        .await;
        assert_eq!(
            title,
            "a failing test stopped here: a panic, or a goroutine blocked for good"
        );
        let link = js(
            &client,
            "return document.querySelector('[data-test=\"TestCore_InvalidJSON\"] .frame').textContent;",
        )
        .await;
        assert_eq!(link, format!("line {line} in AddRole: panic(err)"));
        let item = js(
            &client,
            "return document.querySelector('[data-test=\"TestCore_InvalidJSON\"] > div:nth-child(3)').textContent;",
        )
        .await;
        let item = item.as_str().unwrap();
        assert!(
            item == "panicked: unexpected end of JSON input",
            "the message without the kit's stack: {item}"
        );
    });
}

/// On a cold cache the server prepares it as soon as it starts, before any
/// request, so the first paste does not pay for it; a grade asked for
/// meanwhile waits for that preparation and then passes. The suites' one
/// other cold build is the CLI's (`a_cold_first_grade_shows_...`).
#[test]
fn a_cold_server_prepares_the_cache_before_its_first_request() {
    let cache = tempfile::TempDir::new().expect("a cache");
    let data = tempfile::TempDir::new().expect("a data directory");
    let mut command = common::gograde_with_cache(cache.path());
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data.path());
    let (child, addr) = spawn_server(command);
    let server = Server {
        child,
        addr,
        _data: data,
    };
    let stamp = cache.path().join("warm");
    let started = Instant::now();
    while !stamp.is_file() && started.elapsed() < GRADE_WAIT {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        stamp.is_file(),
        "no request made, and the cache was still cold after {GRADE_WAIT:?}"
    );
    let reply = server.grade(
        "reverse",
        &read("exercises/reverse/solutions/good/reference.go"),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["status"], "pass", "{}", reply.text());
}
