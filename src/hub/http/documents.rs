//! `POST /api/v1/documents/batch`: a first sync fetches documents many at a time instead of one
//! GET each (docs/sync-protocol.md). The same permission as the single GET: a document is sent
//! only to someone on a submission that cites it.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;

use super::{ApiError, AppState};
use crate::hub::Caller;
use crate::wire::{
    DOCUMENT_BATCH_BYTES, DocumentBatchRequest, DocumentBatchResponse, DocumentText, MAX_DOCUMENTS_PER_BATCH,
};

#[utoipa::path(post, path = "/api/v1/documents/batch", request_body = DocumentBatchRequest,
    responses((status = 200, description = "the documents sent, in the order asked (a prefix when the answer is full), and those refused", body = DocumentBatchResponse)))]
pub(super) async fn batch(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<DocumentBatchRequest>, JsonRejection>,
) -> Result<Json<DocumentBatchResponse>, ApiError> {
    let Json(request) = body.map_err(|e| ApiError::bad_request(format!("the body is not a document batch: {e}")))?;
    if request.sha256.len() > MAX_DOCUMENTS_PER_BATCH {
        return Err(ApiError::bad_request(format!("ask for at most {MAX_DOCUMENTS_PER_BATCH} documents at once")));
    }
    if let Some(bad) = request.sha256.iter().find(|s| s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit())) {
        return Err(ApiError::bad_request(format!("\"{bad}\" is not the 64 hex characters of a SHA-256")));
    }
    let answer = state
        .read(move |hub| {
            let mut documents = Vec::new();
            let mut forbidden = Vec::new();
            let mut bytes = 0usize;
            for sha256 in request.sha256 {
                // Always at least one document, so a huge one still arrives.
                if bytes >= DOCUMENT_BATCH_BYTES && !documents.is_empty() {
                    break;
                }
                match hub.document(&caller, &sha256)? {
                    Some(text) => {
                        bytes += text.len();
                        documents.push(DocumentText { sha256, text });
                    }
                    None => forbidden.push(sha256),
                }
            }
            Ok(DocumentBatchResponse { documents, forbidden })
        })
        .await?;
    Ok(Json(answer))
}
