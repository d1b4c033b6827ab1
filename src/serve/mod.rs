//! `gograde serve`: the interviewer's quick-check page and the HTTP API, on
//! tokio and axum. Grades run on blocking threads through the same engine
//! as `gograde grade`, so a verdict from the API is the CLI's verdict.
//!
//! Modules: `api` (the JSON handlers), `page` (the embedded page), `auth`
//! (the token), `queue` (admission), `metrics` (Prometheus text),
//! `interview` (guides, stored interviews and their page).

mod api;
mod auth;
mod interview;
mod metrics;
mod page;
mod queue;

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::exec::process::Cancel;
use crate::exercise::{Catalog, Exercise};
use crate::grade::engine;
use crate::grade::options::GradeOptions;
use crate::grade::submission::{MAX_SOURCE_BYTES, Submission};
use crate::grade::toolchain::Toolchain;
use crate::verdict::Verdict;

pub use metrics::{Metrics, Rejection};
pub use queue::Queue;

/// What `gograde serve` runs with, resolved from its flags by `cli` (the
/// server knows no command-line parser).
#[derive(Debug)]
pub struct ServeConfig {
    /// Address to listen on; beyond loopback only with a token.
    pub listen: String,
    /// Grades run at once.
    pub jobs: usize,
    /// Grade requests waiting behind the running ones.
    pub queue: usize,
    /// Required on every route when set.
    pub token: Option<String>,
    /// Where interviews are kept; `None`: the default data directory.
    pub data_dir: Option<std::path::PathBuf>,
    /// The grade settings every request gets.
    pub options: GradeOptions,
}

/// The largest request body: a source at the submission limit, JSON-escaped
/// at worst (`\u00XX`, six bytes a byte), plus the envelope. Bigger bodies
/// get 413 without being buffered.
pub const MAX_BODY_BYTES: usize = MAX_SOURCE_BYTES as usize * 6 + 4096;

/// What grades one submission: `engine::grade`, or a stand-in in tests.
pub type Grader = fn(&Toolchain, &Exercise, &Submission, &GradeOptions) -> Verdict;

/// Everything the handlers share, behind one `Arc`.
#[derive(Debug)]
pub struct App {
    pub grader: Grader,
    pub catalog: Catalog,
    pub toolchain: Toolchain,
    /// The CLI's defaults (or the flags given), cancel token unset.
    pub options: GradeOptions,
    pub token: Option<String>,
    pub queue: Arc<Queue>,
    pub metrics: Metrics,
    /// Guides and the interview store of the interview view.
    pub interviews: Interviews,
    /// Cancel tokens of the grades in flight, so shutdown can stop them.
    inflight: Mutex<HashMap<u64, Cancel>>,
    next_id: std::sync::atomic::AtomicU64,
}

impl App {
    /// Shared state for `router`.
    pub fn new(
        catalog: Catalog,
        toolchain: Toolchain,
        options: GradeOptions,
        token: Option<String>,
        queue: Arc<Queue>,
    ) -> App {
        // The built-in guides, checked by their unit tests; `main` replaces
        // them with those the user's folders add.
        let interviews = Interviews {
            guides: crate::guide::Guides::load(&catalog, &[]).unwrap_or_default(),
            store: None,
            test_clock: false,
        };
        App {
            grader: engine::grade,
            catalog,
            toolchain,
            options,
            token,
            queue,
            interviews,
            metrics: Metrics::default(),
            inflight: Mutex::new(HashMap::new()),
            next_id: Default::default(),
        }
    }

    /// The same state grading with `grader` (tests use it to make a grade
    /// panic).
    pub fn with_grader(self, grader: Grader) -> App {
        App { grader, ..self }
    }

    /// The same state with these guides and this interview store.
    pub fn with_interviews(self, interviews: Interviews) -> App {
        App { interviews, ..self }
    }

    /// Stops every grade in flight (on shutdown).
    fn cancel_all(&self) {
        for cancel in self.inflight.lock().expect("inflight lock").values() {
            cancel.cancel();
        }
    }
}

/// What the interview view serves: the guides, and the store (none when
/// the server keeps no interviews).
#[derive(Debug, Default)]
pub struct Interviews {
    pub guides: crate::guide::Guides,
    pub store: Option<Arc<crate::interview::store::Store>>,
    /// The test hook `POST /api/test/clock` is on (`GOGRADE_TEST_CLOCK=1`):
    /// it moves the interview clock forward, for browser tests only.
    pub test_clock: bool,
}

/// The whole HTTP surface. Limits are layers: the body limit on every
/// route (the grade handler reads its body only after admission), the token
/// check around everything when a token is set.
pub fn router(app: Arc<App>) -> Router {
    let routes = Router::new()
        .route("/", get(page::index))
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(api::metrics))
        .route("/api/exercises", get(api::exercises))
        .route("/api/exercises/{id}", get(api::exercise))
        .route("/api/grade", post(api::grade))
        .merge(interview::routes())
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let routes = if app.token.is_some() {
        routes.layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            auth::require_token,
        ))
    } else {
        routes
    };
    routes
        .layer(axum::middleware::map_response(api::common_headers))
        .with_state(app)
}

/// Refuses to listen beyond loopback without a token: a candidate on the
/// same network could otherwise use the grader or read what is graded.
pub fn check_exposure(addrs: &[SocketAddr], token: Option<&str>) -> Result<(), String> {
    if token.is_some_and(str::is_empty) {
        return Err("--token must not be empty".into());
    }
    match addrs.iter().find(|a| !a.ip().is_loopback()) {
        Some(open) if token.is_none() => Err(format!(
            "listening on {open} reaches beyond this machine; pass --token (or set GOGRADE_TOKEN) so only the interviewer can use it"
        )),
        Some(_) | None => Ok(()),
    }
}

/// Starts preparing a cold cache for the first exercise while the server
/// waits for its first request, so an interviewer's first paste does not
/// pay for it (`warming::build_missing` lets one preparation run at a
/// time: a grade asked for meanwhile waits for it rather than building the
/// same packages beside it). A failure is left to the grade that follows.
fn prepare_in_background(toolchain: &Toolchain, catalog: &Catalog) {
    let Some(exercise) = catalog.iter().next().cloned() else {
        return;
    };
    let toolchain = toolchain.clone();
    std::thread::spawn(move || {
        let _ = crate::grade::warming::build_missing(&toolchain, &exercise, &Default::default());
    });
}

/// Runs the server until Ctrl-C or SIGTERM.
pub fn main(
    catalog: Catalog,
    guides: crate::guide::Guides,
    args: ServeConfig,
) -> Result<(), String> {
    let started = Instant::now();
    let options = args.options.clone();
    if args.jobs == 0 {
        return Err("--jobs must be at least 1".into());
    }
    let toolchain = Toolchain::discover().map_err(|e| crate::error::chain(&e))?;
    let store = open_store(args.data_dir.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        // The async side only routes requests; grades run on blocking
        // threads, at most --jobs of them.
        .worker_threads(2)
        .max_blocking_threads(args.jobs + 4)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host(&args.listen)
            .await
            .map_err(|e| format!("--listen {}: {e}", args.listen))?
            .collect();
        check_exposure(&addrs, args.token.as_deref())?;
        let listener = tokio::net::TcpListener::bind(addrs.as_slice())
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let local = listener
            .local_addr()
            .map_err(|e| format!("cannot read the bound address: {e}"))?;
        let cold = !toolchain.cache_is_warm();
        if cold {
            prepare_in_background(&toolchain, &catalog);
        }
        let app = Arc::new(App::new(
            catalog,
            toolchain,
            options,
            args.token.clone(),
            Queue::new(args.jobs, args.queue),
        )
        .with_interviews(Interviews {
            guides,
            store: store.map(Arc::new),
            test_clock: std::env::var_os("GOGRADE_TEST_CLOCK").is_some_and(|v| v == "1"),
        }));
        let url = match &args.token {
            Some(token) => format!("http://{local}/?token={token}"),
            None => format!("http://{local}/"),
        };
        let url_interview = match &args.token {
            Some(token) => format!("http://{local}/interview?token={token}"),
            None => format!("http://{local}/interview"),
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "gograde: serving on {url}");
        let _ = out.flush();
        drop(out);
        if app.interviews.test_clock {
            eprintln!(
                "gograde: GOGRADE_TEST_CLOCK=1: POST /api/test/clock moves the interview clock (a test hook; never on a real interview)"
            );
        }
        if let Some(store) = &app.interviews.store {
            eprintln!(
                "gograde: interviews at {url_interview}, kept in {}",
                store.path().display()
            );
        }
        eprintln!(
            "gograde: ready in {} ms; {} grades at once, {} queued; Ctrl-C to stop",
            started.elapsed().as_millis(),
            args.jobs,
            args.queue
        );
        if cold {
            eprintln!(
                "gograde: the Go build cache is cold: preparing it now, in the background (the race-instrumented standard library and a harness, once: about 10 s on 2 idle cores); a grade asked for before then waits for it (`gograde warm` does it ahead of time)"
            );
        }
        let served = axum::serve(listener, router(Arc::clone(&app)))
            .with_graceful_shutdown(shutdown_signal(Arc::clone(&app)))
            .await;
        // Give stopped grades a moment to take their process trees down.
        let until = Instant::now() + Duration::from_secs(5);
        while app.queue.running() > 0 && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        served.map_err(|e| format!("the server failed: {e}"))
    })
}

/// The interview store: in `--data-dir` (an error there is the user's to
/// fix), else in the default data directory, where a failure (a read-only
/// home) only turns the interview view off: the quick check must keep
/// working wherever it did before interviews existed.
fn open_store(
    asked: Option<&std::path::Path>,
) -> Result<Option<crate::interview::store::Store>, String> {
    use crate::interview::store::{Store, default_data_dir};
    if let Some(dir) = asked {
        return Store::open(dir)
            .map(Some)
            .map_err(|e| crate::error::chain(&e));
    }
    let Some(dir) = default_data_dir() else {
        eprintln!(
            "gograde: no data directory (HOME is not set): interviews are off; pass --data-dir"
        );
        return Ok(None);
    };
    match Store::open(&dir) {
        Ok(store) => Ok(Some(store)),
        Err(e) => {
            eprintln!(
                "gograde: interviews are off: {}; pass --data-dir",
                crate::error::chain(&e)
            );
            Ok(None)
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM, after cancelling the grades in flight.
async fn shutdown_signal(app: Arc<App>) {
    let interrupt = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("a SIGTERM handler");
    tokio::select! {
        _ = interrupt => {}
        _ = term.recv() => {}
    }
    eprintln!("gograde: stopping");
    app.cancel_all();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_loopback_needs_a_token() {
        let local: SocketAddr = "127.0.0.1:80".parse().unwrap();
        let local6: SocketAddr = "[::1]:80".parse().unwrap();
        let open: SocketAddr = "0.0.0.0:80".parse().unwrap();
        assert!(check_exposure(&[local, local6], None).is_ok());
        let refused = check_exposure(&[local, open], None).unwrap_err();
        assert!(refused.contains("0.0.0.0:80") && refused.contains("--token"));
        assert!(check_exposure(&[open], Some("s3cret")).is_ok());
        assert!(check_exposure(&[local], Some("")).is_err());
    }
}
