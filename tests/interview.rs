//! The interview view of `gograde serve` through the real binary and a real
//! database: the API's answers and status codes, the token, a SIGKILL in
//! the middle of saves, the `gograde interview` commands over the same
//! data directory, and (where Debian's chromium and chromedriver are
//! installed) a short interview run through the page in headless Chromium.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

mod common;
use common::browser::{Driver, installed, session, wait_until};
use common::http::{Reply, http, spawn_server, try_http};

/// Long enough for a grade on a busy 2-core machine with a warm cache.
const GRADE_WAIT: Duration = Duration::from_secs(300);

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The binary under the suites' one environment policy; the server's
/// grades need no warm cache before they start.
fn gograde() -> Command {
    common::gograde_with_cache(&common::cache_dir())
}

/// A running `gograde serve` on a data directory, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    token: Option<String>,
}

impl Server {
    fn start(data: &Path, extra: &[&str]) -> Server {
        Server::start_with(data, extra, &[])
    }

    /// `start` with these environment variables set for the server.
    fn start_with(data: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = gograde();
        command
            .envs(env.iter().copied())
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .args(extra);
        let (child, addr) = spawn_server(command);
        let token = extra
            .iter()
            .position(|a| *a == "--token")
            .map(|i| extra[i + 1].to_owned());
        Server { child, addr, token }
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        let auth = self.token.as_ref().map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> =
            auth.iter().map(|a| ("Authorization", a.as_str())).collect();
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        http(&self.addr, method, path, &headers, body.as_bytes())
    }

    fn create(&self, candidate: &str) -> Value {
        let reply = self.call(
            "POST",
            "/api/interviews",
            Some(&json!({"candidate": candidate, "interviewer": "ann"})),
        );
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()
    }

    fn kill9(&mut self) {
        // SIGKILL: no shutdown handler, no flush, as a crash.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

#[test]
fn the_api_keeps_an_interview_and_answers_each_mistake_with_its_status() {
    let data = TempDir::new().unwrap();
    let server = Server::start(data.path(), &[]);

    let guides = server.call("GET", "/api/guides", None).json();
    assert_eq!(guides[0]["id"], "senior-aws-go");
    assert_eq!(guides[0]["planned_minutes"], 60);
    let guide = server.call("GET", "/api/guides/senior-aws-go", None).json();
    assert_eq!(guide["phases"].as_array().unwrap().len(), 6);
    let unknown = server.call("GET", "/api/guides/nope", None);
    assert_eq!(unknown.status, 404);
    assert!(unknown.error().contains("known: senior-aws-go"));

    let created = server.create("cand-7");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["version"], 1);
    assert_eq!(created["candidate"], "cand-7");
    let path = format!("/api/interviews/{id}");

    let change = json!({
        "version": 1,
        "clock": {"action": "start"},
        "answers": {"q1": {"covered": [0, 3], "followups": [1], "rating": 4, "notes": "owned it"}},
        "recommendation": "yes",
    });
    let after = server.call("PATCH", &path, Some(&change));
    assert_eq!(after.status, 200, "{}", after.text());
    let after = after.json();
    assert_eq!(after["version"], 2);
    assert_eq!(after["current_phase"], 1);
    assert!(after["now"].as_i64().unwrap() >= after["running_since"].as_i64().unwrap());

    // The same change made against version 1 again: another tab's view.
    let stale = server.call("PATCH", &path, Some(&change));
    assert_eq!(stale.status, 409);
    assert!(
        stale.error().contains("since version 1"),
        "{}",
        stale.error()
    );
    assert_eq!(stale.json()["current"]["version"], 2);
    assert_eq!(stale.json()["current"]["answers"]["q1"]["rating"], 4);

    let cases = [
        (
            json!({"version": 2, "answers": {"q1": {"rating": 5}}}),
            400,
            "not 1-4",
        ),
        (
            json!({"version": 2, "answers": {"q42": {}}}),
            400,
            "no question",
        ),
        (
            json!({"version": 2, "clock": {"action": "goto", "phase": 9}}),
            400,
            "phase 9",
        ),
        (
            json!({"version": 2, "answers": {"q1": {"notes": "x".repeat(70_000)}}}),
            413,
            "limit",
        ),
        (json!({"versio": 2}), 400, "expected"),
    ];
    for (body, status, words) in cases {
        let reply = server.call("PATCH", &path, Some(&body));
        assert_eq!(reply.status, status, "{body}: {}", reply.text());
        assert!(reply.error().contains(words), "{body}: {}", reply.error());
    }
    // None of the refused changes moved the version.
    let read = server.call("GET", &path, None).json();
    assert_eq!(read["version"], 2);
    assert_eq!(read["answers"]["q1"]["covered"], json!([0, 3]));

    let missing = server.call("GET", "/api/interviews/0000000000000000", None);
    assert_eq!(missing.status, 404);
    assert_eq!(
        server
            .call(
                "PATCH",
                "/api/interviews/0000000000000000",
                Some(&json!({"version": 1}))
            )
            .status,
        404
    );
    let not_a_slot = server.call(
        "POST",
        &format!("{path}/grade"),
        Some(&json!({"exercise": "nope", "source": "package x"})),
    );
    assert_eq!(not_a_slot.status, 400, "{}", not_a_slot.text());
    let no_candidate = server.call("POST", "/api/interviews", Some(&json!({"candidate": " "})));
    assert_eq!(no_candidate.status, 400);

    let md = server.call("GET", &format!("{path}/scorecard?format=markdown"), None);
    assert_eq!(md.status, 200);
    assert!(
        md.header("content-type")
            .unwrap()
            .starts_with("text/markdown")
    );
    let md = md.text();
    assert!(md.contains("- Candidate: `cand-7`"), "{md}");
    assert!(md.contains("- Recommendation: **yes**"));
    assert!(md.contains("Rating: 4/4"));
    let card = server
        .call("GET", &format!("{path}/scorecard?format=json"), None)
        .json();
    assert_eq!(card["questions"][0]["rating"], 4);
    assert_eq!(
        server
            .call("GET", &format!("{path}/scorecard?format=pdf"), None)
            .status,
        400
    );

    // The clock's test hook exists only where the server was started with it.
    let hook = server.call("POST", "/api/test/clock", Some(&json!({"advance_ms": 1})));
    assert_eq!(hook.status, 404, "{}", hook.text());
    let listed = server.call("GET", "/api/interviews", None).json();
    assert_eq!(listed["interviews"].as_array().unwrap().len(), 1);
    assert!(listed["next"].is_null());
    // The record lists versions without source; each version has its own
    // address, and a missing one is 404 in words.
    assert!(
        server.call("GET", &path, None).json()["versions"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let no_version = server.call("GET", &format!("{path}/versions/counter/1"), None);
    assert_eq!(
        (no_version.status, no_version.error().as_str()),
        (404, "the interview has no version 1 of counter")
    );
    assert_eq!(
        server
            .call("GET", &format!("{path}/versions/counter/x"), None)
            .status,
        404
    );
    let export = server.call("GET", &format!("{path}/export"), None).json();
    assert_eq!(
        (export["id"].as_str(), export.get("now")),
        (Some(id.as_str()), None)
    );
    for bad in [
        "?limit=0",
        "?limit=501",
        "?limit=x",
        "?before=nocursor",
        "?page=2",
    ] {
        let reply = server.call("GET", &format!("/api/interviews{bad}"), None);
        assert_eq!(reply.status, 400, "{bad}: {}", reply.text());
    }
    assert_eq!(server.call("DELETE", &path, None).status, 204);
    assert_eq!(server.call("DELETE", &path, None).status, 404);
    assert_eq!(server.call("GET", &path, None).status, 404);
}

#[test]
fn a_token_guards_the_interview_routes_and_the_page() {
    let data = TempDir::new().unwrap();
    let server = Server::start(data.path(), &["--token", "s3cret"]);
    for path in ["/interview", "/api/guides", "/api/interviews"] {
        let bare = http(&server.addr, "GET", path, &[], b"");
        assert_eq!(bare.status, 401, "{path}");
        assert_eq!(server.call("GET", path, None).status, 200, "{path}");
    }
    let page = http(&server.addr, "GET", "/interview?token=s3cret", &[], b"");
    assert_eq!(page.status, 200);
    let policy = page.header("content-security-policy").unwrap();
    assert!(policy.starts_with("default-src 'none'") && policy.contains("script-src 'sha256-"));
}

/// Writers save as fast as the server acknowledges; the server is killed
/// with SIGKILL in the middle; a new server on the same data directory
/// must show every acknowledged save (and at most the one in flight more).
#[test]
fn a_sigkilled_server_loses_no_acknowledged_save() {
    let data = TempDir::new().unwrap();
    let mut server = Server::start(data.path(), &[]);
    let ids: Vec<String> = (0..4)
        .map(|n| {
            server.create(&format!("cand-{n}"))["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let addr = server.addr.clone();
    let writers: Vec<_> = ids
        .iter()
        .cloned()
        .map(|id| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                // (last acknowledged note, its version)
                let mut acked: (u64, i64) = (0, 1);
                for n in 1.. {
                    let body = json!({
                        "version": acked.1,
                        "answers": {"q2": {"notes": format!("save {n}"), "covered": [n % 6]}},
                    })
                    .to_string();
                    let path = format!("/api/interviews/{id}");
                    match try_http(&addr, "PATCH", &path, &[], body.as_bytes()) {
                        Ok(reply) if reply.status == 200 => {
                            acked = (n, reply.json()["version"].as_i64().unwrap());
                        }
                        Ok(reply) => panic!("save {n} of {id}: {} {}", reply.status, reply.text()),
                        Err(_) => return (id, acked),
                    }
                }
                unreachable!()
            })
        })
        .collect();
    // Let the writers get going, then kill the server under them.
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let version = server
            .call("GET", &format!("/api/interviews/{}", ids[0]), None)
            .json()["version"]
            .as_i64()
            .unwrap();
        if version > 20 || Instant::now() > until {
            break;
        }
    }
    server.kill9();
    let acked: Vec<(String, (u64, i64))> = writers.into_iter().map(|w| w.join().unwrap()).collect();
    let total: u64 = acked.iter().map(|(_, (n, _))| n).sum();
    assert!(
        total > 20,
        "only {total} saves before the kill: the kill came too early to test anything"
    );

    let again = Server::start(data.path(), &[]);
    for (id, (note, version)) in acked {
        assert!(note > 0, "writer of {id} saved nothing before the kill");
        let record = again
            .call("GET", &format!("/api/interviews/{id}"), None)
            .json();
        let stored = record["version"].as_i64().unwrap();
        // The save in flight at the kill may have committed without its
        // answer arriving: one more, never fewer.
        assert!(
            stored == version || stored == version + 1,
            "{id}: acknowledged version {version}, stored {stored}"
        );
        let expected = if stored == version { note } else { note + 1 };
        assert_eq!(
            record["answers"]["q2"]["notes"],
            format!("save {expected}"),
            "{id}"
        );
    }
}

#[test]
fn the_interview_commands_read_the_servers_data_directory() {
    let data = TempDir::new().unwrap();
    let id = {
        let server = Server::start(data.path(), &[]);
        server.create("older-1");
        server.create("older-2");
        let created = server.create("cand `x` <b>");
        let id = created["id"].as_str().unwrap().to_owned();
        let change = json!({"version": 1, "summary": "hire", "recommendation": "strong_yes"});
        assert_eq!(
            server
                .call("PATCH", &format!("/api/interviews/{id}"), Some(&change))
                .status,
            200
        );
        // The list a page at a time: the latest changed first, then the
        // rest after the cursor, nothing twice.
        let first = server.call("GET", "/api/interviews?limit=2", None).json();
        let ids = |page: &Value| -> Vec<String> {
            page["interviews"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(ids(&first)[0], id);
        let next = first["next"].as_str().expect("a next page").to_owned();
        let second = server
            .call(
                "GET",
                &format!("/api/interviews?limit=2&before={next}"),
                None,
            )
            .json();
        assert_eq!(ids(&second).len(), 1);
        assert!(second["next"].is_null());
        assert!(!ids(&first).contains(&ids(&second)[0]));
        id
    };
    let run = |args: &[&str]| {
        let out = gograde()
            .args(["interview", "--data-dir"])
            .arg(data.path())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, list, more) = run(&["list", "--limit", "2"]);
    assert_eq!((code, list.lines().count()), (Some(0), 2), "{list}");
    let cursor = more
        .trim()
        .strip_prefix("gograde: more: gograde interview list --before ")
        .unwrap_or_else(|| panic!("no cursor: {more}"));
    let (_, rest, more) = run(&["list", "--before", cursor]);
    assert!(
        rest.lines().count() == 1 && rest.contains("older-") && more.is_empty(),
        "{rest}{more}"
    );
    let (code, list, _) = run(&["list"]);
    assert_eq!(code, Some(0));
    assert!(
        list.starts_with(&id) && list.contains("strong yes") && list.contains("cand `x` <b>"),
        "{list}"
    );
    let (_, md, _) = run(&["show", &id]);
    assert!(md.contains("- Candidate: ``cand `x` <b>``"), "{md}");
    assert!(md.contains("```text\nhire\n```"));
    let (_, json_card, _) = run(&["show", &id, "--format", "json"]);
    let card: Value = serde_json::from_str(&json_card).unwrap();
    assert_eq!(card["recommendation"], "strong_yes");
    let (_, export, _) = run(&["export", &id]);
    let record: Value = serde_json::from_str(&export).unwrap();
    assert_eq!(record["version"], 2);
    assert_eq!(record["guide"]["id"], "senior-aws-go");
    let (code, _, err) = run(&["delete", &id]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = run(&["show", &id]);
    assert_eq!(
        (code, err.trim()),
        (
            Some(2),
            format!("gograde: error: no interview {id}").as_str()
        )
    );
}

// ---- the page in a real browser ------------------------------------------

/// A three-phase guide of one minute each, so the test moves through
/// phases by the buttons without waiting on a clock.
const SHORT_GUIDE: &str = r#"id = "short"
title = "Short screen"
summary = "for the browser test"

[[phases]]
title = "Talk"
minutes = 1
focus = "one question"

[[phases.questions]]
id = "talk"
ask = "How do you find a data race?"
points = ["go test -race", "reads the report"]
followups = [{ ask = "And in production?", probes = "sampling, canaries" }]
anchors = { 3 = "Uses -race routinely" }

[[phases]]
title = "Code"
minutes = 1
focus = "a notepad exercise"

[[phases]]
title = "Close"
minutes = 1
focus = "questions"

[[coding]]
exercise = "counter"
phases = [2]
probes = "concurrency"
"#;

/// A server (on a warm cache) with guide `id`, written from `toml` into a
/// guides folder of its own; the data and guides folders are returned so
/// they live as long as the server.
fn server_with_guide(id: &str, toml: &str) -> (TempDir, TempDir, Server) {
    common::warm_cache();
    let data = TempDir::new().unwrap();
    let guides = TempDir::new().unwrap();
    std::fs::create_dir(guides.path().join(id)).unwrap();
    std::fs::write(guides.path().join(id).join("guide.toml"), toml).unwrap();
    let server = Server::start(
        data.path(),
        &["--guides-dir", guides.path().to_str().unwrap()],
    );
    (data, guides, server)
}

/// Start an interview on the page, tick and rate a question, move to the
/// coding phase, paste a racy counter and its fix (two versions, the first
/// with its race lines), reload and find everything, end and export the
/// Markdown scorecard. `GOGRADE_SCREENSHOT=path.png` saves the first
/// phase's view at 1366x768 (docs/interview.png is made by
/// scripts/interview_screenshot.sh, on the built-in guide).
#[test]
fn an_interview_runs_through_the_page_in_headless_chromium() {
    let (Some(chromium), Some(chromedriver)) = (installed("chromium"), installed("chromedriver"))
    else {
        eprintln!(
            "SKIPPED the browser test: `chromium` and `chromedriver` are not installed (Debian: apt-get install chromium chromium-driver; .ci/run installs them)"
        );
        return;
    };
    let (_data, _guides, server) = server_with_guide("short", SHORT_GUIDE);
    let driver = Driver::start(&chromedriver);
    let profile = TempDir::new().expect("a browser profile dir");
    let racy = std::fs::read_to_string(repo("exercises/counter/solutions/bad/no_sync.go")).unwrap();
    let fixed =
        std::fs::read_to_string(repo("exercises/counter/solutions/good/reference.go")).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let interview_id = runtime.block_on(async {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--window-size=1366,768",
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
        let run = |script: &'static str| client.execute(script, vec![]);
        let with = |script: &'static str, arg: &str| {
            client.execute(script, vec![Value::String(arg.to_owned())])
        };
        let wait = |expr: &'static str| wait_until(&client, expr, Duration::from_secs(30));
        let saved = "document.getElementById('saved').textContent.startsWith('saved')";

        client
            .goto(&format!("http://{}/interview", server.addr))
            .await
            .unwrap();
        wait("document.querySelectorAll('#guide option').length === 2").await;
        run("document.getElementById('guide').value = 'short'; document.getElementById('candidate').value = 'cand-browser'; document.getElementById('interviewer').value = 'ann'; document.getElementById('begin').click();").await.unwrap();
        wait("location.hash.length > 1 && document.querySelector('[data-question=talk]')").await;
        wait("document.getElementById('phase-name').textContent.startsWith('Phase 1: Talk')").await;

        // Tick a point and a follow-up, rate 3, type notes.
        run("document.querySelector('[data-question=talk] [data-point=\"0\"]').click(); document.querySelector('[data-question=talk] [data-followup=\"0\"]').click(); document.querySelector('[data-question=talk] [data-rating=\"3\"]').click();").await.unwrap();
        let notes = client
            .find(fantoccini::Locator::Css("[data-question=talk] textarea[data-field=notes]"))
            .await
            .unwrap();
        notes.send_keys("knows the race detector").await.unwrap();
        wait_until(&client, saved, Duration::from_secs(10)).await;
        if let Some(path) = std::env::var_os("GOGRADE_SCREENSHOT") {
            let png = client.screenshot().await.expect("a screenshot");
            std::fs::write(path, png).expect("write the screenshot");
        }

        // To the coding phase; the racy counter, then its fix.
        run("document.getElementById('next').click();").await.unwrap();
        wait("document.querySelector('[data-exercise=counter] .editor')").await;
        // The question is given: its clock starts (time to first pass
        // counts from here).
        run("document.querySelector('[data-start=counter]').click();").await.unwrap();
        wait("document.querySelector('[data-exercise=counter] [data-started-at]').dataset.startedAt > 0").await;
        let paste_and_grade = "const c = document.querySelector('[data-exercise=counter]'); const e = c.querySelector('.editor textarea'); e.value = arguments[0]; e.dispatchEvent(new Event('input')); [...c.querySelectorAll('button')].find(b => b.textContent === 'Grade').click();";
        with(paste_and_grade, &racy).await.unwrap();
        wait_until(&client, "document.querySelector('[data-exercise=counter] [data-verdict]').textContent.startsWith('v1 fail')", GRADE_WAIT).await;
        let shown = run("return document.querySelector('[data-exercise=counter] [data-verdict]').textContent;").await.unwrap();
        assert!(shown.as_str().unwrap().contains("race at lines "), "{shown}");
        // Below it the quick check's view of the verdict: failing tests,
        // the races with their lines.
        wait("document.querySelector('[data-exercise=counter] .vview .failing .item[data-test^=TestCore_]') && document.querySelector('[data-exercise=counter] .vview .races .item button[data-goto]')").await;
        // The racy lines are quoted under the verdict, from the candidate's code.
        let marked = run("return [...document.querySelectorAll('[data-exercise=counter] .marks [data-line]')].map(m => m.textContent);").await.unwrap();
        let marked = marked.as_array().unwrap();
        assert!(!marked.is_empty());
        assert!(marked.iter().all(|m| m.as_str().unwrap().contains("c.n") && m.as_str().unwrap().ends_with("<- race\n")), "{marked:?}");
        // The editor marks the same lines in its gutter and backdrop, as on
        // the quick-check page.
        let gutter = run("const c = document.querySelector('[data-exercise=counter]'); return [[...c.querySelectorAll('.gutter div.race')].map(d => Number(d.dataset.line)), [...c.querySelectorAll('.backdrop .band.race')].map(d => Number(d.dataset.line)), [...c.querySelectorAll('.marks [data-line]')].map(m => Number(m.dataset.line))];").await.unwrap();
        assert!(!gutter[0].as_array().unwrap().is_empty(), "{gutter}");
        assert_eq!(gutter[0], gutter[1], "gutter and bands disagree: {gutter}");
        assert_eq!(gutter[0], gutter[2], "the editor marks other lines than the verdict quotes: {gutter}");
        // A quoted line's number leads to that line in the editor.
        client.find(fantoccini::Locator::Css("[data-exercise=counter] .marks button[data-goto]")).await.unwrap().click().await.unwrap();
        let selected = run("const e = document.querySelector('[data-exercise=counter] .editor textarea'); return [document.activeElement === e, e.value.slice(e.selectionStart, e.selectionEnd)];").await.unwrap();
        assert_eq!(selected[0], json!(true), "{selected}");
        assert!(selected[1].as_str().unwrap().contains("c.n"), "{selected}");
        // The grader's facts fill the evidence; the interviewer adds to them.
        let evidence = "document.querySelector('[data-exercise=counter] textarea[data-field=evidence]')";
        wait_until(&client, &format!("{evidence}.value.startsWith('fail; core ') && {evidence}.value.includes('race at lines ')"), Duration::from_secs(30)).await;
        let area = client.find(fantoccini::Locator::Css("[data-exercise=counter] textarea[data-field=evidence]")).await.unwrap();
        area.send_keys(" (asked about the mutex)").await.unwrap();
        wait_until(&client, saved, Duration::from_secs(10)).await;
        // The fix is only pasted: the live re-grade grades it when typing stops.
        with("const e = document.querySelector('[data-exercise=counter] .editor textarea'); e.value = arguments[0]; e.dispatchEvent(new Event('input'));", &fixed).await.unwrap();
        wait_until(&client, "document.querySelector('[data-exercise=counter] [data-verdict]').textContent.startsWith('v2 pass')", GRADE_WAIT).await;
        wait("document.querySelectorAll('[data-exercise=counter] [data-seq]').length === 2").await;
        wait_until(&client, saved, Duration::from_secs(10)).await;
        let left = run("return document.querySelectorAll('[data-exercise=counter] .gutter div.race').length;").await.unwrap();
        assert_eq!(left, json!(0), "the fixed code still shows race marks");
        // The re-grade kept the interviewer's evidence and shows its own
        // facts beside it.
        let kept = client.execute(&format!("return [{evidence}.value, document.querySelector('[data-exercise=counter] [data-facts]').textContent];"), vec![]).await.unwrap();
        assert!(kept[0].as_str().unwrap().starts_with("fail; core ") && kept[0].as_str().unwrap().ends_with("(asked about the mutex)"), "{kept}");
        assert!(kept[1].as_str().unwrap().starts_with("Grader's facts (latest version): pass; core "), "{kept}");

        // A reload finds the phase, the versions and the marks.
        client.refresh().await.unwrap();
        wait("document.getElementById('phase-name').textContent.startsWith('Phase 2: Code')").await;
        wait("document.querySelectorAll('[data-exercise=counter] [data-seq]').length === 2").await;
        let after = client.execute(&format!("return {evidence}.value;"), vec![]).await.unwrap();
        assert!(after.as_str().unwrap().ends_with("(asked about the mutex)"), "{after}");
        // The editor holds the last version again, its marks from that
        // version's verdict (none: it passed).
        wait("document.querySelector('[data-exercise=counter] .editor textarea').value.includes('sync.Mutex')").await;
        // Two versions picked: their diff.
        run("document.querySelector('[data-exercise=counter] [data-seq=\"1\"]').click(); document.querySelector('[data-exercise=counter] [data-seq=\"2\"]').click();").await.unwrap();
        wait("document.querySelector('[data-exercise=counter] .diff .add')").await;
        // Another tab saves first: this tab's next change is refused (409),
        // the page shows the other tab's state and says so.
        let id = run("return location.hash.slice(1);").await.unwrap();
        let path = format!("/api/interviews/{}", id.as_str().unwrap());
        let version = server.call("GET", &path, None).json()["version"].clone();
        let other = json!({"version": version, "summary": "from another tab"});
        assert_eq!(server.call("PATCH", &path, Some(&other)).status, 200);
        run("document.querySelector('[data-exercise=counter] [data-rating=\"4\"]').click();").await.unwrap();
        wait("!document.getElementById('conflict').hidden").await;
        wait("document.getElementById('summary').value === 'from another tab'").await;
        let kept = server.call("GET", &path, None).json();
        assert_eq!(kept["summary"], "from another tab");
        assert!(kept["answers"]["code:counter"]["rating"].is_null(), "the stale change was not applied");

        run("document.getElementById('prev').click();").await.unwrap();
        wait("document.querySelector('[data-question=talk]')").await;
        let marks = run("const q = document.querySelector('[data-question=talk]'); return [q.querySelector('[data-point=\"0\"]').checked, q.querySelector('[data-point=\"1\"]').checked, q.querySelector('[data-followup=\"0\"]').checked, q.querySelector('[data-rating=\"3\"]').checked, q.querySelector('textarea[data-field=notes]').value];").await.unwrap();
        assert_eq!(marks, json!([true, false, true, true, "knows the race detector"]));

        // A tick and a phase change at once: the page's own saves queue
        // behind each other, so neither is taken for another tab's.
        run("document.getElementById('conflict').hidden = true; document.querySelector('[data-question=talk] [data-point=\"1\"]').click(); document.getElementById('next').click();").await.unwrap();
        wait("document.getElementById('phase-name').textContent.startsWith('Phase 2: Code')").await;
        wait_until(&client, saved, Duration::from_secs(10)).await;
        let conflict = run("return document.getElementById('conflict').hidden;").await.unwrap();
        assert_eq!(conflict, Value::Bool(true), "the page's own saves collided");

        // Close: recommendation, summary, end, the scorecard.
        run("const r = document.getElementById('recommendation'); r.value = 'yes'; r.dispatchEvent(new Event('change'));").await.unwrap();
        let summary = client.find(fantoccini::Locator::Id("summary")).await.unwrap();
        summary.clear().await.unwrap();
        summary.send_keys("fixed the race quickly").await.unwrap();
        wait_until(&client, saved, Duration::from_secs(10)).await;
        run("document.getElementById('end').click();").await.unwrap();
        wait("document.getElementById('phase-name').textContent.endsWith('(ended)')").await;
        run("document.getElementById('card-md').click();").await.unwrap();
        wait("document.getElementById('scorecard').textContent.includes('## Coding questions')").await;
        let card = run("return document.getElementById('scorecard').textContent;").await.unwrap();
        let card = card.as_str().unwrap();
        for needle in [
            "- Candidate: `cand-browser`",
            "- Recommendation: **yes**",
            "Rating: 3/4 (Uses -race routinely)",
            "- [x] go test -race",
            "- [x] reads the report",
            "- And in production?",
            "knows the race detector",
            "- Final verdict: **pass**",
            "- Versions graded: 2",
            "(from the question's start)",
            "- Grader's facts (final version): `pass; core ",
            "Evidence (written by the interviewer):",
            "(asked about the mutex)",
            "fixed the race quickly",
        ] {
            assert!(card.contains(needle), "{needle} not in\n{card}");
        }
        let hash = run("return location.hash.slice(1);").await.unwrap();

        // The list of interviews offers it for export and deletion.
        run("document.getElementById('to-list').click();").await.unwrap();
        wait("document.querySelectorAll('#past li').length === 1 && document.querySelector('#past [data-export]')").await;
        let listed = run("return document.querySelector('#past li').textContent;").await.unwrap();
        assert!(listed.as_str().unwrap().starts_with("cand-browser ann, "), "{listed}");
        // Past a page's worth, the list ends in "Show older", which brings
        // the rest.
        for n in 0..50 {
            server.create(&format!("later-{n}"));
        }
        run("document.getElementById('to-list').click();").await.unwrap();
        wait("document.querySelectorAll('#past li').length === 50 && document.getElementById('more')").await;
        run("document.getElementById('more').click();").await.unwrap();
        wait("document.querySelectorAll('#past li').length === 51 && !document.getElementById('more')").await;
        let last = run("return document.querySelector('#past li:last-child').textContent;").await.unwrap();
        assert!(last.as_str().unwrap().starts_with("cand-browser ann, "), "{last}");

        // The quick-check page keeps its editor text across a reload too.
        client.goto(&format!("http://{}/", server.addr)).await.unwrap();
        with("const s = document.getElementById('source'); s.value = arguments[0]; s.dispatchEvent(new Event('input'));", "package main // kept").await.unwrap();
        client.refresh().await.unwrap();
        wait("document.getElementById('source').value === 'package main // kept'").await;
        client.close().await.unwrap();
        hash.as_str().unwrap().to_owned()
    });
    // The record lists the versions as summaries; each is whole at its own
    // address. The first kept its race lines; both kept seed and digest.
    let record = server
        .call("GET", &format!("/api/interviews/{interview_id}"), None)
        .json();
    let versions = record["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert!(
        versions
            .iter()
            .all(|v| v.get("source").is_none() && v.get("verdict").is_none()),
        "{record}"
    );
    assert_eq!(versions[0]["status"], "fail");
    assert_eq!(versions[0]["phase"], 2);
    assert_eq!(versions[1]["status"], "pass");
    let first = server
        .call(
            "GET",
            &format!("/api/interviews/{interview_id}/versions/counter/1"),
            None,
        )
        .json();
    assert_eq!(first["source"], racy.as_str());
    assert!(!first["verdict"]["races"].as_array().unwrap().is_empty());
    for v in versions {
        assert!(v["seed"].as_str().is_some() && v["harness_digest"].as_str().unwrap().len() == 64);
    }
    assert!(record["ended_at"].is_i64());
    assert!(record["answers"]["code:counter"]["started_at"].is_i64());
}

/// Minutes of a `mm:ss` clock.
fn minutes(clock: &str) -> u64 {
    let (m, s) = clock
        .split_once(':')
        .unwrap_or_else(|| panic!("not mm:ss: {clock:?}"));
    let secs = m.parse::<u64>().unwrap() * 60 + s.parse::<u64>().unwrap();
    secs / 60
}

/// Ticks the first point and follow-up of every question card on screen,
/// rates it (q1 1, q2 2, ... round the scale) and writes a note.
const MARK_QUESTIONS: &str = "for (const card of document.querySelectorAll('[data-question]')) {
  const n = Number(card.dataset.question.slice(1));
  card.querySelector('[data-point=\"0\"]').click();
  const f = card.querySelector('[data-followup=\"0\"]'); if (f) f.click();
  card.querySelector('[data-rating=\"' + ((n - 1) % 4 + 1) + '\"]').click();
  const notes = card.querySelector('textarea[data-field=notes]');
  notes.value = 'note on ' + card.dataset.question; notes.dispatchEvent(new Event('input'));
}
return document.querySelectorAll('[data-question]').length;";

/// Pastes `arguments[1]` into the card of exercise `arguments[0]` and
/// presses its Grade button.
const PASTE_AND_GRADE: &str = "const c = document.querySelector('[data-exercise=' + arguments[0] + ']');
const e = c.querySelector('.editor textarea'); e.value = arguments[1]; e.dispatchEvent(new Event('input'));
[...c.querySelectorAll('button')].find(b => b.textContent === 'Grade').click();";

/// The built-in one-hour guide run through the page, all six phases: each
/// question marked and rated, coding questions graded in phases 3 and 4,
/// phase 2 run over. The clock is never waited for: the server's
/// interview clock is moved by its test hook (`GOGRADE_TEST_CLOCK=1`,
/// `POST /api/test/clock`) and the page reloaded to read it, which also
/// checks each phase reopens where it was. Then the interview is ended and
/// its Markdown scorecard exported from the page and checked phase by
/// phase, question by question.
#[test]
fn the_seed_hour_runs_through_the_page_and_exports_its_scorecard() {
    let (Some(chromium), Some(chromedriver)) = (installed("chromium"), installed("chromedriver"))
    else {
        eprintln!("SKIPPED the browser test: `chromium` and `chromedriver` are not installed");
        return;
    };
    common::warm_cache();
    let data = TempDir::new().unwrap();
    let server = Server::start_with(data.path(), &[], &[("GOGRADE_TEST_CLOCK", "1")]);
    let guide = server.call("GET", "/api/guides/senior-aws-go", None).json();
    let phases = guide["phases"].as_array().unwrap().clone();
    assert_eq!(phases.len(), 6);
    let read = |p: &str| std::fs::read_to_string(repo(p)).unwrap();
    let racy = read("exercises/counter/solutions/bad/no_sync.go");
    let fixed = read("exercises/counter/solutions/good/reference.go");
    let reverse = read("exercises/reverse/solutions/good/reference.go");
    let advance = |minutes: u64| {
        let body = json!({"advance_ms": minutes * 60_000});
        let reply = server.call("POST", "/api/test/clock", Some(&body));
        assert_eq!(reply.status, 200, "{}", reply.text());
    };
    let driver = Driver::start(&chromedriver);
    let profile = TempDir::new().expect("a browser profile dir");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let card = runtime.block_on(async {
        let client = session(driver.port, &chromium, profile.path(), (1366, 768)).await;
        client.goto(&format!("http://{}/interview", server.addr)).await.unwrap();
        wait30(&client, "document.querySelectorAll('#guide option').length === 1").await;
        js(&client, "document.getElementById('candidate').value = 'cand-hour'; document.getElementById('interviewer').value = 'ann'; document.getElementById('begin').click();", vec![]).await;
        wait30(&client, "location.hash.length > 1").await;
        let saved = "document.getElementById('saved').textContent.startsWith('saved')".to_owned();
        let verdict = |exercise: &str, starts: &str| format!("document.querySelector('[data-exercise={exercise}] [data-verdict]').textContent.startsWith('{starts}')");
        for (i, phase) in phases.iter().enumerate() {
            let n = i + 1;
            let title = phase["title"].as_str().unwrap();
            let first = phase["questions"][0]["id"].as_str().unwrap();
            wait30(&client, format!("document.getElementById('phase-name').textContent.startsWith('Phase {n}: {title}') && document.querySelector('#cards [data-question={first}]')")).await;
            let marked = js(&client, MARK_QUESTIONS, vec![]).await;
            assert_eq!(marked, json!(phase["questions"].as_array().unwrap().len()), "phase {n}");
            // Saved on the server: every card of the phase rated.
            let id = js(&client, "return location.hash.slice(1);", vec![]).await;
            let path = format!("/api/interviews/{}", id.as_str().unwrap());
            let until = Instant::now() + Duration::from_secs(10);
            while !phase["questions"].as_array().unwrap().iter().all(|q| {
                server.call("GET", &path, None).json()["answers"][q["id"].as_str().unwrap()]["rating"].is_u64()
            }) {
                assert!(Instant::now() < until, "phase {n}: the marks were not saved");
                std::thread::sleep(Duration::from_millis(100));
            }
            let planned = phase["minutes"].as_u64().unwrap();
            // Phase 2 runs two minutes over; the others end a minute early
            // (the seconds the test takes stay inside the plan).
            let used = if n == 2 { planned + 2 } else { planned - 1 };
            match n {
                3 => {
                    // Counter given at once: racy, then fixed 7 minutes in.
                    js(&client, "document.querySelector('[data-start=counter]').click();", vec![]).await;
                    wait30(&client, "document.querySelector('[data-exercise=counter] [data-started-at]').dataset.startedAt > 0").await;
                    advance(4);
                    js(&client, PASTE_AND_GRADE, vec![json!("counter"), json!(racy)]).await;
                    wait_until(&client, &verdict("counter", "v1 fail"), GRADE_WAIT).await;
                    if let Some(dir) = std::env::var_os("GOGRADE_SCREENSHOT_DIR") {
                        // The card with its editor and the race marks.
                        js(&client, "document.querySelector('[data-exercise=counter] .editor').scrollIntoView();", vec![]).await;
                        let png = client.screenshot().await.expect("a screenshot");
                        std::fs::write(Path::new(&dir).join("counter-racy.png"), png).unwrap();
                    }
                    advance(3);
                    js(&client, PASTE_AND_GRADE, vec![json!("counter"), json!(fixed)]).await;
                    wait_until(&client, &verdict("counter", "v2 pass"), GRADE_WAIT).await;
                    advance(used - 7);
                }
                4 => {
                    // Reverse, never started on its card, passes 5 minutes
                    // into the phase.
                    advance(5);
                    // Live re-grade off: graded by Ctrl+Enter in the card's
                    // editor, as on the quick-check page.
                    js(&client, "document.querySelector('[data-exercise=reverse] [data-live]').checked = false; const e = document.querySelector('[data-exercise=reverse] .editor textarea'); e.value = arguments[0]; e.dispatchEvent(new Event('input')); e.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', ctrlKey: true, bubbles: true}));", vec![json!(reverse)]).await;
                    wait_until(&client, &verdict("reverse", "v1 pass"), GRADE_WAIT).await;
                    // Evidence written, then handed back to the grader (the
                    // page asks first; the test says yes).
                    let area = "document.querySelector('[data-exercise=reverse] textarea[data-field=evidence]')";
                    js(&client, &format!("const a = {area}; a.value = 'my words'; a.dispatchEvent(new Event('input'));"), vec![]).await;
                    wait30(&client, "document.querySelector('[data-exercise=reverse] [data-facts]').textContent.startsWith('Grader\\'s facts')").await;
                    js(&client, "window.confirm = () => true; [...document.querySelectorAll('[data-exercise=reverse] button')].find(b => b.textContent.startsWith('Use the grader')).click();", vec![]).await;
                    wait30(&client, format!("{area}.value.startsWith('pass; core ') && !{area}.dataset.edited")).await;
                    advance(used - 5);
                }
                _ => advance(used),
            }
            // A reload reads the moved clock and finds the phase again.
            client.refresh().await.unwrap();
            wait30(&client, format!("document.getElementById('phase-name').textContent.startsWith('Phase {n}: {title}')")).await;
            let shown = js(&client, "const c = document.getElementById('clock'); return [c.textContent, !document.getElementById('overrun').hidden, c.getBoundingClientRect().bottom <= innerHeight];", vec![]).await;
            let (on_clock, planned_text) = shown[0].as_str().unwrap().split_once(" / ").unwrap();
            assert_eq!(planned_text, format!("{planned:02}:00"), "phase {n}");
            assert!((used..used + 6).contains(&minutes(on_clock)), "phase {n}: clock {on_clock}, {used} min moved");
            assert_eq!(shown[1], json!(n == 2), "phase {n}: over time shown {shown}");
            assert_eq!(shown[2], json!(true), "phase {n}: the clock is off screen at 1366x768");
            if let Some(dir) = std::env::var_os("GOGRADE_SCREENSHOT_DIR") {
                let png = client.screenshot().await.expect("a screenshot");
                std::fs::write(Path::new(&dir).join(format!("phase{n}.png")), png).unwrap();
            }
            if n < phases.len() {
                js(&client, "document.getElementById('next').click();", vec![]).await;
            }
        }
        js(&client, "const r = document.getElementById('recommendation'); r.value = 'strong_yes'; r.dispatchEvent(new Event('change')); const s = document.getElementById('summary'); s.value = 'a full hour'; s.dispatchEvent(new Event('input'));", vec![]).await;
        wait30(&client, saved.clone()).await;
        js(&client, "document.getElementById('end').click();", vec![]).await;
        wait30(&client, "document.getElementById('phase-name').textContent.endsWith('(ended)')").await;
        js(&client, "document.getElementById('card-md').click();", vec![]).await;
        wait30(&client, "document.getElementById('scorecard').textContent.includes('## Coding questions')").await;
        let card = js(&client, "return document.getElementById('scorecard').textContent;", vec![]).await;
        client.close().await.unwrap();
        card.as_str().unwrap().to_owned()
    });
    check_hour_scorecard(&card, &phases);
}

/// The Markdown of the seed hour as `the_seed_hour_...` ran it.
fn check_hour_scorecard(card: &str, phases: &[Value]) {
    for needle in [
        "- Candidate: `cand-hour`",
        "- Recommendation: **strong yes**",
        "a full hour",
        "| Total | 60:00 | 57:",
    ] {
        assert!(card.contains(needle), "{needle} not in\n{card}");
    }
    // Each phase: planned, used as the clock was moved (plus the seconds
    // the test itself took), over only where it ran over.
    for (i, phase) in phases.iter().enumerate() {
        let n = i + 1;
        let planned = phase["minutes"].as_u64().unwrap();
        let prefix = format!(
            "| {n}. {} | {planned:02}:00 | ",
            phase["title"].as_str().unwrap()
        );
        let row = card
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no row {prefix}\n{card}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let used = if n == 2 { planned + 2 } else { planned - 1 };
        assert!((used..used + 6).contains(&minutes(cells[3])), "{row}");
        assert_eq!(cells[4] == "over", n == 2, "{row}");
        // Every question of the phase was rated, ticked and noted.
        for q in phase["questions"].as_array().unwrap() {
            let id = q["id"].as_str().unwrap();
            let k: usize = id[1..].parse().unwrap();
            let section = card
                .split(&format!("\n### {id} (phase {n}): "))
                .nth(1)
                .unwrap_or_else(|| panic!("no {id}\n{card}"));
            let section = section.split("\n### ").next().unwrap();
            assert!(
                section.contains(&format!("Rating: {}/4", (k - 1) % 4 + 1)),
                "{id}: {section}"
            );
            assert!(section.contains("- [x] "), "{id}: {section}");
            assert!(
                section.contains(&format!("note on {id}")),
                "{id}: {section}"
            );
        }
    }
    assert_eq!(card.matches("\n### q").count(), 11, "{card}");
    // The coding questions: counter from its start on the card, reverse
    // from the start of phase 4.
    let coding = card.split("## Coding questions").nth(1).unwrap();
    let counter = coding
        .split("### `counter`")
        .nth(1)
        .unwrap()
        .split("\n### ")
        .next()
        .unwrap();
    assert!(counter.contains("- Versions graded: 2"), "{counter}");
    assert!(counter.contains("- Final verdict: **pass**"), "{counter}");
    let ttfp = |section: &str| -> (u64, String) {
        let line = section
            .lines()
            .find(|l| l.starts_with("- Time to first pass: "))
            .unwrap_or_else(|| panic!("{section}"));
        let rest = line.trim_start_matches("- Time to first pass: ");
        let (clock, from) = rest.split_once(' ').unwrap();
        (minutes(clock), from.to_owned())
    };
    let (m, from) = ttfp(counter);
    assert!(
        (7..12).contains(&m) && from == "(from the question's start)",
        "{counter}"
    );
    let reverse = coding
        .split("### `reverse`")
        .nth(1)
        .unwrap()
        .split("\n### ")
        .next()
        .unwrap();
    let (m, from) = ttfp(reverse);
    assert!(
        (5..10).contains(&m) && from.starts_with("(from the start of phase 4;"),
        "{reverse}"
    );
    assert!(reverse.contains("- Versions graded: 1"), "{reverse}");
    // Its evidence was handed back: the grader's facts, no words of the
    // interviewer's.
    assert!(
        reverse.contains("- Grader's facts (final version): `pass; core "),
        "{reverse}"
    );
    assert!(!reverse.contains("my words"), "{reverse}");
}

/// Two coding questions in one phase: each card's verdict and links.
const TWO_CARDS_GUIDE: &str = r#"id = "pair"
title = "Two cards"
summary = "for the browser test of the coding cards' verdicts"

[[phases]]
title = "Code"
minutes = 5
focus = "two notepad exercises"

[[coding]]
exercise = "reverse"
phases = [1]
probes = "strings"

[[coding]]
exercise = "json"
phases = [1]
probes = "encoding"
"#;

/// A coding card shows the quick check's view of its verdict (verdict.js,
/// the same elements and classes): the category table, a failing test's
/// expected against actual, the line a panic stopped at; that line is a
/// link into the card's own editor, not the other card's; and an older
/// version, stepped back to, shows the same view, its links going to its
/// own lines.
#[test]
fn a_coding_card_shows_the_quick_checks_verdict_and_links_into_its_own_editor() {
    let (Some(chromium), Some(chromedriver)) = (installed("chromium"), installed("chromedriver"))
    else {
        eprintln!("SKIPPED the browser test: `chromium` and `chromedriver` are not installed");
        return;
    };
    let (_data, _guides, server) = server_with_guide("pair", TWO_CARDS_GUIDE);
    let read = |p: &str| std::fs::read_to_string(repo(p)).unwrap();
    let panics = read("exercises/json/solutions/bad/panics_on_invalid.go");
    let fixed = read("exercises/json/solutions/good/reference.go");
    let other = read("exercises/reverse/solutions/good/reference.go");
    let driver = Driver::start(&chromedriver);
    let profile = TempDir::new().expect("a browser profile dir");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = session(driver.port, &chromium, profile.path(), (1366, 768)).await;
        client.goto(&format!("http://{}/interview", server.addr)).await.unwrap();
        wait30(&client, "document.querySelectorAll('#guide option').length === 2").await;
        js(&client, "document.getElementById('guide').value = 'pair'; document.getElementById('candidate').value = 'cand-cards'; document.getElementById('begin').click();", vec![]).await;
        wait30(&client, "document.querySelector('[data-exercise=reverse] .editor') && document.querySelector('[data-exercise=json] .editor')").await;
        // The first card holds code too, its caret at the top: a link that
        // moved the first editor on the page would show there.
        js(&client, "for (const c of document.querySelectorAll('[data-live]')) c.checked = false; const e = document.querySelector('[data-exercise=reverse] .editor textarea'); e.value = arguments[0]; e.setSelectionRange(0, 0); e.scrollTop = 0;", vec![json!(other)]).await;

        js(&client, PASTE_AND_GRADE, vec![json!("json"), json!(panics)]).await;
        let card = "document.querySelector('[data-exercise=json]')";
        let settled = format!("{card}.querySelector('.vview .failing') && !{card}.querySelector('.vview').classList.contains('stale')");
        wait_until(&client, &format!("{card}.querySelector('[data-verdict]').textContent.startsWith('v1 fail') && {settled}"), GRADE_WAIT).await;
        if let Some(dir) = std::env::var_os("GOGRADE_SCREENSHOT_DIR") {
            // The card with its verdict's view.
            js(&client, &format!("scrollTo(0, {card}.getBoundingClientRect().top + scrollY - document.querySelector('.bar').offsetHeight - 8);"), vec![]).await;
            let png = client.screenshot().await.expect("a screenshot");
            std::fs::write(Path::new(&dir).join("card-verdict.png"), png).unwrap();
        }
        // The category table, as on the quick-check page.
        let table = js(&client, &format!("return [...{card}.querySelectorAll('.vview table tbody tr')].map(r => [r.dataset.category, r.children[1].textContent]);"), vec![]).await;
        let rows = table.as_array().unwrap();
        assert!(rows.len() >= 2 && rows[0][0] == "core" && rows[1][0] == "robustness", "{table}");
        assert!(rows[0][1].as_str().unwrap().contains('/'), "{table}");
        // A failing test's expected against actual.
        let sides = js(&client, &format!("const i = {card}.querySelector('.vview .failing .item[data-test=TestRobust_NonObjectInput]'); return [...i.querySelectorAll('.sides > div')].map(d => [d.querySelector('.label').textContent, d.querySelector('pre').textContent]);"), vec![]).await;
        assert_eq!(sides, json!([["expected", "an error"], ["actual", "{\"role\":\"Engineer\"}"]]));
        // The panic's line is a link; it moves this card's editor only.
        let link = "[data-exercise=json] .vview .item[data-test=TestCore_InvalidJSON] .frame button[data-goto]";
        let line = js(&client, &format!("return Number(document.querySelector('{link}').dataset.goto);"), vec![]).await;
        let line = line.as_u64().unwrap() as usize;
        assert_eq!(panics.lines().nth(line - 1).unwrap().trim(), "panic(err)", "line {line}");
        client.find(fantoccini::Locator::Css(link)).await.unwrap().click().await.unwrap();
        let editors = "const sel = (x) => { const e = document.querySelector('[data-exercise=' + x + '] .editor textarea'); return [document.activeElement === e, e.value.slice(e.selectionStart, e.selectionEnd), e.selectionStart]; }; return [sel('json'), sel('reverse')];";
        let moved = js(&client, editors, vec![]).await;
        assert_eq!(moved[0][0], json!(true), "{moved}");
        assert_eq!(moved[0][1].as_str().unwrap().trim(), "panic(err)", "{moved}");
        assert_eq!(moved[1], json!([false, "", 0]), "the other card's editor moved: {moved}");

        // The fix; then back to v1: the same view again, and its link goes
        // to v1's line in whatever the editor holds now (v1's text here,
        // pasted back without grading).
        js(&client, PASTE_AND_GRADE, vec![json!("json"), json!(fixed)]).await;
        wait_until(&client, &format!("{card}.querySelector('[data-verdict]').textContent.startsWith('v2 pass') && {card}.querySelector('.vview table') && !{card}.querySelector('.vview .failing')"), GRADE_WAIT).await;
        js(&client, &format!("{card}.querySelector('[data-seq=\"1\"]').click();"), vec![]).await;
        wait30(&client, format!("{card}.querySelector('[data-verdict]').textContent.startsWith('v1 fail') && {settled} && {card}.querySelector('.vview .item[data-test=TestRobust_NonObjectInput] .sides')")).await;
        js(&client, "const e = document.querySelector('[data-exercise=json] .editor textarea'); e.value = '// pasted back\\n' + arguments[0]; e.dispatchEvent(new Event('input')); e.setSelectionRange(0, 0);", vec![json!(panics)]).await;
        client.find(fantoccini::Locator::Css(link)).await.unwrap().click().await.unwrap();
        let moved = js(&client, editors, vec![]).await;
        assert_eq!(moved[0][1].as_str().unwrap().trim(), "panic(err)", "{moved}");
        client.close().await.unwrap();
    });
}

async fn js(client: &fantoccini::Client, script: &str, args: Vec<Value>) -> Value {
    client
        .execute(script, args)
        .await
        .expect("run a script in the page")
}

async fn wait30(client: &fantoccini::Client, expr: impl AsRef<str>) {
    wait_until(client, expr.as_ref(), Duration::from_secs(30)).await;
}

/// The load test's short form (bench/interview_load.sh is the 60 s one):
/// 20 interviews at once, each saving every 250 ms for 5 s, as 20 tabs of
/// typing interviewers would. Every save must be answered 200 (no 5xx, and
/// no 409: each client writes only its own interview) with the next
/// version, and afterwards every interview must hold its last save and a
/// version for each save (no write lost).
#[test]
fn twenty_interviews_saving_at_once_lose_no_write() {
    const CLIENTS: usize = 20;
    const SAVES: u64 = 20;
    let data = TempDir::new().unwrap();
    let server = Server::start(data.path(), &[]);
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let id = server.create(&format!("load-{n}"))["id"].as_str().unwrap().to_owned();
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let mut version = 1;
                let mut latencies = Vec::new();
                for save in 1..=SAVES {
                    let started = Instant::now();
                    let body = json!({
                        "version": version,
                        "answers": {"q1": {"notes": format!("save {save} of client {n}"), "covered": [save % 5]}},
                    })
                    .to_string();
                    let reply = http(&addr, "PATCH", &format!("/api/interviews/{id}"), &[], body.as_bytes());
                    latencies.push(started.elapsed());
                    assert_eq!(reply.status, 200, "client {n} save {save}: {}", reply.text());
                    let next = reply.json()["version"].as_i64().unwrap();
                    assert_eq!(next, version + 1, "client {n} save {save}");
                    version = next;
                    std::thread::sleep(Duration::from_millis(250).saturating_sub(started.elapsed()));
                }
                (id, latencies)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for (n, client) in clients.into_iter().enumerate() {
        let (id, mut mine) = client.join().expect("a client finished");
        latencies.append(&mut mine);
        let record = server
            .call("GET", &format!("/api/interviews/{id}"), None)
            .json();
        assert_eq!(record["version"], SAVES as i64 + 1, "client {n}");
        assert_eq!(
            record["answers"]["q1"]["notes"],
            format!("save {SAVES} of client {n}")
        );
    }
    latencies.sort();
    let p95 = latencies[latencies.len() * 95 / 100];
    eprintln!(
        "{} saves from {CLIENTS} clients, all 200; p95 {:.1} ms, max {:.1} ms (debug build)",
        latencies.len(),
        p95.as_secs_f64() * 1000.0,
        latencies.last().unwrap().as_secs_f64() * 1000.0
    );
}
