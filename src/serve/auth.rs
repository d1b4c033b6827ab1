//! The token check that guards every route when `--token` is set: a
//! `Authorization: Bearer` header (the API, the page's own requests) or a
//! `token` query parameter (the page's URL, opened in a browser).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::App;
use super::api::ApiError;
use super::metrics::Rejection;

/// Middleware: passes the request on only with the right token.
pub async fn require_token(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let Some(expected) = app.token.as_deref() else {
        return next.run(request).await;
    };
    let from_header = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let from_query = request
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("token=")));
    let presented = from_header.or(from_query);
    if presented.is_some_and(|t| same(t.as_bytes(), expected.as_bytes())) {
        return next.run(request).await;
    }
    app.metrics.rejected(Rejection::Unauthorized);
    let mut response = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "this server needs its token: Authorization: Bearer <token>, or ?token=<token> in the page's URL",
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// Compares in time independent of where the bytes differ, so the token
/// cannot be guessed a byte at a time.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn compares_whole_tokens() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"abcd"));
        assert!(!same(b"", b"a"));
    }
}
