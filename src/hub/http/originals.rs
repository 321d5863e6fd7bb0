//! `GET /api/v1/originals/{sha256}`: a document's original file (a PDF, DOCX or XLSX) byte for
//! byte, so a reviewer can open it offline (docs/sync-protocol.md §7). The same permission as the
//! document's text (`Hub::original`): only someone on a submission that holds it, and a lay
//! member only where their standards cite the document.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{ApiError, AppState};
use crate::hub::Caller;

#[utoipa::path(get, path = "/api/v1/originals/{sha256}", params(crate::hub::openapi::DocumentPath),
    responses((status = 200, description = "the original's bytes (at most 64 MiB, the largest file intake reads)", body = crate::hub::openapi::Binary, content_type = "application/octet-stream"),
        (status = 403, description = "not the original of a document the caller may read (or no such original)", body = crate::wire::ErrorBody)))]
pub(super) async fn original(
    State(state): State<AppState>,
    caller: Caller,
    Path(sha256): Path<String>,
) -> Result<Response, ApiError> {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::bad_request("an original is named by the 64 hex characters of its SHA-256"));
    }
    let sha256 = sha256.to_ascii_lowercase();
    match state.read(move |hub| hub.original(&caller, &sha256)).await? {
        Some(bytes) => Ok(([(header::CONTENT_TYPE, "application/octet-stream")], Body::from(bytes)).into_response()),
        // The same answer as the text route's, whether or not the original exists.
        None => Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "not a document of a submission you are on")),
    }
}
