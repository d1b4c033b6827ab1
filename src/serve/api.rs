//! The JSON API: exercises, grading, health and metrics. Errors are
//! `{"error": "..."}` with the status code saying which kind.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::App;
use super::metrics::Rejection;
use crate::exec::process::Cancel;
use crate::exercise::{Exercise, SymbolRole};
use crate::grade::intake::detect_exercise;
use crate::grade::options::GradeOptions;
use crate::grade::submission::{MAX_SOURCE_BYTES, Submission};
use crate::report;

/// An error answer: a status code and one sentence.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    retry_after: Option<u64>,
    /// A field sent beside the error (a 409 carries the current record).
    extra: Option<Box<(&'static str, Value)>>,
}

impl ApiError {
    /// `status` with `message` as `{"error": message}`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            retry_after: None,
            extra: None,
        }
    }

    /// The same error with `field: value` beside `error`.
    pub fn with_extra(self, field: &'static str, value: Value) -> ApiError {
        ApiError {
            extra: Some(Box::new((field, value))),
            ..self
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "error": self.message });
        if let Some((field, value)) = self.extra.map(|e| *e) {
            body[field] = value;
        }
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Headers on every answer: nothing is cached (verdicts are private), no
/// content sniffing, and the token in a URL never leaks as a referrer.
pub async fn common_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// `GET /healthz`.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /metrics`: the Prometheus text format.
pub async fn metrics(State(app): State<Arc<App>>) -> Response {
    let text = app.metrics.render(app.queue.waiting(), app.queue.running());
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

/// A known route asked with a method it does not take: a JSON 405 like
/// the other errors (axum's own has an empty body).
pub async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    let allowed = match uri.path() {
        "/api/grade" => "POST",
        _ => "GET",
    };
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} takes {allowed}, not {method}", uri.path()),
    )
}

/// Unknown paths: a JSON 404 like the others.
pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such page or API route")
}

/// `GET /api/exercises`: id, title and summary of each.
pub async fn exercises(State(app): State<Arc<App>>) -> Json<Value> {
    Json(Value::Array(
        app.catalog
            .iter()
            .map(|ex| json!({ "id": ex.id(), "title": ex.meta.title, "summary": ex.meta.summary }))
            .collect(),
    ))
}

/// `GET /api/exercises/{id}`: prompt, stub and what is graded.
pub async fn exercise(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let ex = find(&app, &id)?;
    Ok(Json(describe(ex)))
}

fn describe(ex: &Exercise) -> Value {
    let role = |r: SymbolRole| match r {
        SymbolRole::Core => "core",
        SymbolRole::Followup => "followup",
    };
    json!({
        "id": ex.id(),
        "title": ex.meta.title,
        "summary": ex.meta.summary,
        "prompt": ex.prompt,
        "stub": ex.stub,
        "hints": ex.meta.hints,
        "symbols": ex.meta.symbols.iter().map(|s| json!({
            "name": s.name, "role": role(s.role), "signature": s.signature,
        })).collect::<Vec<_>>(),
        "tests": ex.meta.tests.iter().map(|t| json!({
            "name": t.name, "category": t.category, "points": t.points, "summary": t.summary,
        })).collect::<Vec<_>>(),
    })
}

fn find<'a>(app: &'a App, id: &str) -> Result<&'a Exercise, ApiError> {
    app.catalog.get(id).ok_or_else(|| {
        app.metrics.rejected(Rejection::UnknownExercise);
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!(
                "unknown exercise '{id}' (known: {})",
                app.catalog.ids().join(", ")
            ),
        )
    })
}

/// How long a queued request may take to send its body.
const BODY_WAIT: Duration = Duration::from_secs(30);

/// The body of `POST /api/grade`.
#[derive(Debug)]
struct GradeRequest {
    /// An exercise id, or `auto` (the default) to detect it.
    exercise: String,
    source: String,
    /// The harness's random seed, to reproduce a verdict (`--seed`); by
    /// default each grade draws its own.
    seed: Option<u64>,
}

/// The fields of a grade request, as the README documents them.
const GRADE_FIELDS: &str = r#""exercise" (an id, or "auto", the default), "source" (the Go code) and "seed" (optional, a number that reproduces a verdict)"#;

impl GradeRequest {
    /// Reads a request body, with errors in the API's words rather than a
    /// deserializer's (which named Rust types and positions in the text).
    fn parse(body: &[u8]) -> Result<GradeRequest, String> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| format!("the body is not JSON ({e}); send {{\"exercise\": \"auto\", \"source\": \"<Go code>\"}}"))?;
        let Value::Object(fields) = value else {
            return Err(format!(
                "expected a JSON object with {GRADE_FIELDS}, got {}",
                kind(&value)
            ));
        };
        if let Some(unknown) = fields
            .keys()
            .find(|k| !["exercise", "source", "seed"].contains(&k.as_str()))
        {
            return Err(format!(
                "unknown field {unknown:?}; a grade request has {GRADE_FIELDS}"
            ));
        }
        let exercise = match fields.get("exercise") {
            None | Some(Value::Null) => "auto".to_owned(),
            Some(Value::String(id)) => id.clone(),
            Some(other) => {
                return Err(format!(
                    "\"exercise\" must be a string (an id or \"auto\"), got {}",
                    kind(other)
                ));
            }
        };
        let source = match fields.get("source") {
            Some(Value::String(text)) => text.clone(),
            None | Some(Value::Null) => {
                return Err(format!(
                    "missing \"source\" (the Go code to grade); a grade request has {GRADE_FIELDS}"
                ));
            }
            Some(other) => return Err(format!("\"source\" must be a string, got {}", kind(other))),
        };
        let seed = match fields.get("seed") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
            Some(other) => {
                return Err(format!(
                    "\"seed\" must be a whole number from 0 to {}, got {other}",
                    u64::MAX
                ));
            }
        };
        Ok(GradeRequest {
            exercise,
            source,
            seed,
        })
    }
}

/// What kind of JSON value `v` is, in words.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `POST /api/grade`: the verdict, byte for byte what `gograde grade
/// --format json -` prints for the same text. In order: a place in the
/// queue (else 503), the body within the limit (413), JSON of the right
/// shape (400; 408 if it does not arrive in time), the exercise (404, or
/// 422 when it cannot be detected), then a grading slot and the grade on a
/// blocking thread.
///
/// Long on purpose: the steps above in the order the API promises them,
/// each an early return with its status, so the order can be checked
/// against the README's table by reading one function.
pub async fn grade(State(app): State<Arc<App>>, request: Request) -> Result<Response, ApiError> {
    let Some(ticket) = app.queue.admit() else {
        app.metrics.rejected(Rejection::Busy);
        return Err(busy(&app));
    };
    // A place in the queue is scarce: a client trickling its body must not
    // hold one for long.
    let body = tokio::time::timeout(BODY_WAIT, Bytes::from_request(request, &()))
        .await
        .map_err(|_| {
            app.metrics.rejected(Rejection::Malformed);
            ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body did not arrive within {} s",
                    BODY_WAIT.as_secs()
                ),
            )
        })?
        .map_err(|e| {
            let status = e.status();
            let why = if status == StatusCode::PAYLOAD_TOO_LARGE {
                Rejection::TooLarge
            } else {
                Rejection::Malformed
            };
            app.metrics.rejected(why);
            ApiError::new(
                status,
                format!("cannot read the request body: {}", e.body_text()),
            )
        })?;
    let asked = GradeRequest::parse(&body).map_err(|message| {
        app.metrics.rejected(Rejection::Malformed);
        ApiError::new(StatusCode::BAD_REQUEST, message)
    })?;
    drop(body);
    if asked.source.len() as u64 > MAX_SOURCE_BYTES {
        app.metrics.rejected(Rejection::TooLarge);
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the source is {} bytes; submissions are limited to {MAX_SOURCE_BYTES} bytes",
                asked.source.len()
            ),
        ));
    }
    let fixed = match asked.exercise.as_str() {
        "auto" => None,
        id => Some(find(&app, id)?),
    };
    let unprocessable = |message: String| {
        app.metrics.rejected(Rejection::Unprocessable);
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    };
    // Named "-" like stdin, so the verdict equals `gograde grade -`'s.
    let submission = Submission::from_bytes("-", asked.source.into_bytes())
        .map_err(|e| unprocessable(e.to_string()))?;
    let exercise_id = match fixed {
        Some(ex) => ex.id().to_owned(),
        None => detect_exercise(&app.catalog, &submission)
            .map_err(|e| unprocessable(e.to_string()))?
            .id()
            .to_owned(),
    };

    let seed = asked.seed;
    let admitted = Instant::now();
    let running = ticket.start().await;
    app.metrics.queued(admitted.elapsed());
    let cancel = Cancel::new();
    let guard = CancelOnDrop::register(&app, cancel.clone());
    let stopped = cancel.clone();
    let worker = Arc::clone(&app);
    let started = Instant::now();
    let graded = tokio::task::spawn_blocking(move || {
        // The slot goes with the grade: it is freed when the grade has
        // really stopped, not when a disconnected request was dropped.
        let _running = running;
        let exercise = worker
            .catalog
            .get(&exercise_id)
            .expect("the exercise was looked up above");
        let options = GradeOptions {
            cancel: Some(cancel),
            seed: seed.or(worker.options.seed),
            ..worker.options.clone()
        };
        (worker.grader)(&worker.toolchain, exercise, &submission, &options)
    })
    .await;
    guard.finish();
    match graded {
        // Stopped by shutdown with the client still there: what the engine
        // returned describes the interruption, not the code.
        Ok(_) if stopped.is_cancelled() => Err(ApiError {
            retry_after: Some(5),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is shutting down; this grade was stopped",
            )
        }),
        Ok(verdict) => {
            app.metrics.graded(verdict.status, started.elapsed());
            let text = report::render(report::Format::Json, &[verdict], false, false);
            Ok((
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                text,
            )
                .into_response())
        }
        Err(e) => {
            // A panic in one grade costs that request only.
            app.metrics.panicked();
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the grader failed on this submission ({e}); other grades are unaffected"),
            ))
        }
    }
}

/// 503 with `Retry-After`: when a place is likely free, from the grades
/// ahead (running and queued, shared by the slots) and how long grades have
/// taken recently, not since the server started.
fn busy(app: &App) -> ApiError {
    let recent = app.metrics.recent_grade().unwrap_or(Duration::from_secs(1));
    let ahead = (app.queue.waiting() + app.queue.running()) as f64 / app.queue.jobs() as f64;
    let seconds = (recent.as_secs_f64() * ahead).ceil().clamp(1.0, 120.0) as u64;
    ApiError {
        retry_after: Some(seconds),
        ..ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "busy: {} grades running and {} waiting; try again in {seconds} s",
                app.queue.running(),
                app.queue.waiting()
            ),
        )
    }
}

/// Cancels a grade whose request future is dropped before it finished:
/// hyper drops the handler when the client disconnects.
struct CancelOnDrop<'a> {
    app: &'a App,
    id: u64,
    cancel: Cancel,
    finished: bool,
}

impl<'a> CancelOnDrop<'a> {
    fn register(app: &'a App, cancel: Cancel) -> CancelOnDrop<'a> {
        let id = app.next_id.fetch_add(1, Ordering::Relaxed);
        app.inflight
            .lock()
            .expect("inflight lock")
            .insert(id, cancel.clone());
        CancelOnDrop {
            app,
            id,
            cancel,
            finished: false,
        }
    }

    fn finish(mut self) {
        self.finished = true;
    }
}

impl Drop for CancelOnDrop<'_> {
    fn drop(&mut self) {
        self.app
            .inflight
            .lock()
            .expect("inflight lock")
            .remove(&self.id);
        if !self.finished {
            self.cancel.cancel();
            self.app.metrics.cancelled();
        }
    }
}
