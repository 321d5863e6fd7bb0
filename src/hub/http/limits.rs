//! Limits on a request's head. The hub answers a head over its limits with `431` and the
//! contract's JSON error itself; hyper, which parses the head before the hub sees it, has higher
//! limits of its own and answers past those with a bare `431` (it has no way to say more), so
//! the JSON answer covers everything but a head many times any real client's.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;

/// The most header lines a request may carry (a client sends about ten).
pub const MAX_HEADERS: usize = 64;
/// The most bytes a request's headers may hold, names and values together.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// hyper's own limits, past which it answers a bare 431 before the hub sees the request.
pub const HYPER_MAX_HEADERS: usize = 256;
pub const HYPER_MAX_HEADER_BYTES: usize = 64 * 1024;

/// Refuses a request whose headers are over the limits, before anything else looks at it.
pub async fn headers(request: Request, next: Next) -> Response {
    let count = request.headers().len();
    // As sent: `name: value\r\n`.
    let bytes: usize = request.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    if count > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!(
                "the request's headers are too large ({count} lines, {bytes} bytes): at most {MAX_HEADERS} lines and {MAX_HEADER_BYTES} bytes"
            ),
        )
        .into_response();
    }
    next.run(request).await
}
