//! The interview API of `gograde serve`: guides, interviews (start, read,
//! change with a version check, delete), grading a coding question into
//! the interview, and the scorecard. JSON in and out, errors
//! `{"error": ...}` like the rest of the API; a stale change is 409 with
//! the current interview beside the error, so a page can reload it.
//!
//! Every database call runs on a blocking thread: SQLite's fsync on each
//! acknowledged write must not stall the async workers.

use std::sync::Arc;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Router, http};
use serde::Deserialize;
use serde_json::{Value, json};

use super::App;
use super::api::ApiError;
use crate::guide::render;
use crate::interview::store::{MAX_PAGE, Store, StoreError, new_id, now_ms};
use crate::interview::{ChangeError, CodeVersion, Interview, NewInterview, Patch, scorecard};

/// The interview routes, merged into the server's router.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/interview", get(super::page::interview))
        .route("/api/guides", get(guides))
        .route("/api/guides/{id}", get(guide))
        .route("/api/interviews", get(list).post(create))
        .route(
            "/api/interviews/{id}",
            get(read).patch(change).delete(remove),
        )
        .route("/api/interviews/{id}/grade", post(grade))
        .route("/api/interviews/{id}/export", get(export))
        .route("/api/test/clock", post(advance))
        .route(
            "/api/interviews/{id}/versions/{exercise}/{seq}",
            get(version),
        )
        .route("/api/interviews/{id}/scorecard", get(card))
}

fn store(app: &App) -> Result<Arc<Store>, ApiError> {
    app.interviews.store.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "this server keeps no interviews (no data directory)",
        )
    })
}

/// Runs a store call on a blocking thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(store_error),
        Err(e) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the interview store failed ({e})"),
        )),
    }
}

fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound(id) => ApiError::new(StatusCode::NOT_FOUND, format!("no interview {id}")),
        e @ StoreError::NoVersion { .. } => ApiError::new(StatusCode::NOT_FOUND, e.to_string()),
        StoreError::Change(ChangeError::Invalid(m)) => ApiError::new(StatusCode::BAD_REQUEST, m),
        StoreError::Change(ChangeError::TooLarge(m)) => {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, m)
        }
        StoreError::Stale { asked, current } => ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "this interview changed since version {asked} (another tab or tool saved version {}); reload it and make the change again",
                current.version
            ),
        )
        .with_extra("current", present(&current)),
        other => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            crate::error::chain(&other),
        ),
    }
}

/// An interview as the API shows it: the record, its code versions as
/// summaries (a version's source and verdict are one request each, so a
/// save's answer does not carry every version ever graded), and the
/// server's clock, so a page computes running phase clocks without
/// trusting its own.
fn present(interview: &Interview) -> Value {
    let mut value = serde_json::to_value(interview).expect("an interview serialises");
    for version in value["versions"].as_array_mut().into_iter().flatten() {
        if let Some(map) = version.as_object_mut() {
            map.remove("source");
            map.remove("verdict");
        }
    }
    value["now"] = json!(now_ms());
    value
}

fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes, shape: &str) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("expected {shape}: {e}")))
}

/// `GET /api/guides`.
async fn guides(State(app): State<Arc<App>>) -> Json<Value> {
    Json(Value::Array(
        app.interviews
            .guides
            .iter()
            .map(|g| {
                json!({
                    "id": g.id, "title": g.title, "summary": g.summary,
                    "planned_minutes": g.planned_minutes(), "phases": g.phases.len(),
                })
            })
            .collect(),
    ))
}

/// `GET /api/guides/{id}`: the guide as `gograde guide --format json`.
async fn guide(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let g = app.interviews.guides.get(&id).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!(
                "unknown guide '{id}' (known: {})",
                app.interviews.guides.ids().join(", ")
            ),
        )
    })?;
    Ok(json_text(render::json(g, &app.catalog)))
}

fn json_text(text: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        text,
    )
        .into_response()
}

/// `?limit=&before=` of the list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    before: Option<String>,
}

/// Interviews on one page of the list unless `limit` says otherwise.
const DEFAULT_PAGE: usize = 50;

/// `GET /api/interviews?limit=N&before=CURSOR`: a page of past and current
/// interviews, latest changed first, and the cursor of the next page.
async fn list(
    State(app): State<Arc<App>>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let store = store(&app)?;
    let Query(query) = query.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("expected ?limit=1..{MAX_PAGE}&before=<next of the page before>: {e}"),
        )
    })?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("limit must be 1 to {MAX_PAGE}, not {limit}"),
        ));
    }
    let page = blocking(move || store.list(limit, query.before.as_deref())).await?;
    Ok(Json(json!(page)))
}

/// `POST /api/interviews` `{"guide"?, "candidate", "interviewer"?}`: 201
/// and the new interview.
async fn create(State(app): State<Arc<App>>, body: Bytes) -> Result<Response, ApiError> {
    let store = store(&app)?;
    let asked: NewInterview = parse(
        &body,
        r#"{"guide": "<id>" (optional), "candidate": "<reference>", "interviewer": "<name>"}"#,
    )?;
    crate::interview::check_names(&asked.candidate, &asked.interviewer)
        .map_err(|e| store_error(StoreError::Change(e)))?;
    let guides = &app.interviews.guides;
    let guide = match &asked.guide {
        Some(id) => guides.get(id),
        None => guides.default_guide(),
    }
    .ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!(
                "unknown guide '{}' (known: {})",
                asked.guide.as_deref().unwrap_or(""),
                guides.ids().join(", ")
            ),
        )
    })?
    .clone();
    let interview = Interview::new(new_id(), guide, &asked, now_ms());
    let created = interview.clone();
    blocking(move || store.create(&created)).await?;
    let mut response = (StatusCode::CREATED, Json(present(&interview))).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/interviews/{}", interview.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// `GET /api/interviews/{id}`: the record with version summaries.
async fn read(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = store(&app)?;
    let interview = blocking(move || store.get_summary(&id)).await?;
    Ok(Json(present(&interview)))
}

/// `GET /api/interviews/{id}/export`: the whole record, every version's
/// source and verdict included (as `gograde interview export`).
async fn export(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = store(&app)?;
    let interview = blocking(move || store.get(&id)).await?;
    Ok(Json(json!(interview)))
}

/// `GET /api/interviews/{id}/versions/{exercise}/{seq}`: one graded
/// version, its source and verdict included.
async fn version(
    State(app): State<Arc<App>>,
    Path((id, exercise, seq)): Path<(String, String, String)>,
) -> Result<Json<Value>, ApiError> {
    let store = store(&app)?;
    let seq: u32 = seq.parse().map_err(|_| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no version {seq:?} (versions are numbered 1, 2, ...)"),
        )
    })?;
    let found = blocking(move || store.version(&id, &exercise, seq)).await?;
    Ok(Json(json!(found)))
}

/// `PATCH /api/interviews/{id}`: a change made against `version`; 409 with
/// the current interview when that version is no longer current.
async fn change(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let store = store(&app)?;
    let patch: Patch = parse(
        &body,
        r#"{"version": N, and any of "candidate", "interviewer", "clock": {"action": ...}, "answers": {...}, "recommendation", "summary"}"#,
    )?;
    let interview = blocking(move || store.update(&id, &patch, now_ms())).await?;
    Ok(Json(present(&interview)))
}

/// `DELETE /api/interviews/{id}`: the interview and all its code versions.
async fn remove(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let store = store(&app)?;
    let gone = id.clone();
    if blocking(move || store.delete(&gone)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no interview {id}"),
        ))
    }
}

/// The body of `POST /api/interviews/{id}/grade`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GradeInInterview {
    exercise: String,
    source: String,
    #[serde(default)]
    seed: Option<u64>,
}

/// `POST /api/interviews/{id}/grade`: grades through `/api/grade` (same
/// queue, limits and cancellation) and records the version. Answers
/// `{"version": {...}, "verdict": {...}}`: the version's summary (its
/// number, status, facts, phase...) and the verdict.
async fn grade(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let store = store(&app)?;
    let asked: GradeInInterview = parse(
        &body,
        r#"{"exercise": "<id>", "source": "<Go code>", "seed": N (optional)}"#,
    )?;
    // Checked before grading: a grade costs seconds of CPU.
    let known = {
        let store = Arc::clone(&store);
        let id = id.clone();
        blocking(move || store.get_summary(&id)).await?
    };
    if known.guide.coding_slot(&asked.exercise).is_none() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "the guide of this interview has no coding question '{}'",
                asked.exercise
            ),
        ));
    }
    let inner = json!({"exercise": asked.exercise, "source": asked.source, "seed": asked.seed});
    let request = Request::builder()
        .method(http::Method::POST)
        .uri("/api/grade")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(inner.to_string()))
        .expect("a request");
    let response = super::api::grade(State(Arc::clone(&app)), request).await?;
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("reading the verdict: {e}"),
            )
        })?;
    let verdict: Value = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the verdict is not JSON: {e}"),
        )
    })?;
    let count = |field: &str| verdict["score"][field].as_u64().unwrap_or(0) as u32;
    let version = CodeVersion {
        phase: known.current_phase,
        facts: crate::interview::facts(&verdict),
        exercise: asked.exercise,
        seq: 0,
        created_at: now_ms(),
        source: asked.source,
        status: verdict["status"].as_str().unwrap_or("error").to_owned(),
        summary: verdict["summary"].as_str().unwrap_or("").to_owned(),
        score_earned: count("earned"),
        score_possible: count("possible"),
        // A string: a u64 seed does not survive a JavaScript number.
        seed: verdict["harness"]["seed"].as_u64().map(|s| s.to_string()),
        harness_digest: verdict["harness"]["sha256"].as_str().map(str::to_owned),
        verdict,
    };
    let recorded = blocking(move || store.add_version(&id, version)).await?;
    let verdict = recorded.verdict.clone();
    let mut shown = serde_json::to_value(&recorded).expect("a version serialises");
    if let Some(map) = shown.as_object_mut() {
        // The summary, as in the interview's record: the client has the
        // source it sent, and the verdict is beside it.
        map.remove("verdict");
        map.remove("source");
    }
    Ok(Json(json!({ "version": shown, "verdict": verdict })))
}

/// The body of `POST /api/test/clock`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    advance_ms: i64,
}

/// `POST /api/test/clock` `{"advance_ms": N}`: the test hook that moves the
/// interview clock N ms forward (0 to a day), so a browser test runs an
/// hour's phases in seconds. Unknown (404) unless the server was started
/// with `GOGRADE_TEST_CLOCK=1`.
async fn advance(State(app): State<Arc<App>>, body: Bytes) -> Result<Json<Value>, ApiError> {
    if !app.interviews.test_clock {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no route POST /api/test/clock",
        ));
    }
    let asked: Advance = parse(&body, r#"{"advance_ms": N}"#)?;
    if !(0..=86_400_000).contains(&asked.advance_ms) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "advance_ms must be 0 to 86400000 (the clock only moves forward, at most a day)",
        ));
    }
    let now = crate::interview::store::advance_clock(asked.advance_ms);
    Ok(Json(json!({ "now": now })))
}

/// `?format=` of the scorecard.
#[derive(Debug, Deserialize)]
struct CardQuery {
    #[serde(default)]
    format: Option<String>,
}

/// `GET /api/interviews/{id}/scorecard?format=markdown|json`.
async fn card(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(query): Query<CardQuery>,
) -> Result<Response, ApiError> {
    let store = store(&app)?;
    let format = query.format.unwrap_or_else(|| "markdown".into());
    if format != "markdown" && format != "json" {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("format must be markdown or json, not '{format}'"),
        ));
    }
    let interview = blocking(move || store.get(&id)).await?;
    let now = now_ms();
    Ok(if format == "json" {
        let mut text =
            serde_json::to_string_pretty(&scorecard::json(&interview, now)).expect("JSON");
        text.push('\n');
        json_text(text)
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/markdown; charset=utf-8"),
            )],
            scorecard::markdown(&interview, now),
        )
            .into_response()
    })
}
