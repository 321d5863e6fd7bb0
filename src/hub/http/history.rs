//! `GET /api/v1/submissions/{id}/history`: who did what when on a submission, from the hub's
//! audit trail, as much of it as the caller may see (`Hub::history`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::{ApiError, AppState};
use crate::hub::Caller;
use crate::wire::HistoryResponse;

#[utoipa::path(get, path = "/api/v1/submissions/{id}/history", params(crate::hub::openapi::SubmissionPath),
    responses((status = 200, description = "the entries of the audit trail the caller may see, oldest first", body = HistoryResponse),
        (status = 403, description = "not on the panel (or no such submission)", body = crate::wire::ErrorBody)))]
pub(super) async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<HistoryResponse>, ApiError> {
    // Read-only: a reader, not the writer.
    match state.read(move |hub| hub.history(&caller, &id, None)).await? {
        Some(entries) => Ok(Json(HistoryResponse { entries })),
        // The same answer for a submission that does not exist.
        None => Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "not on this submission's panel")),
    }
}
