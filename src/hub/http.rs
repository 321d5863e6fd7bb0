//! The hub's HTTP face: routes, authentication, JSON errors, limits, graceful shutdown.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

mod documents;
mod history;
pub mod limits;
mod originals;
#[cfg(test)]
mod tests;

use super::panel::PushRefused;
use super::pool::{self, Readers};
use super::server::Transport;
use super::throttle::{self, Client, Throttle};
use super::{Caller, Hub};
use crate::report::Format;
use crate::wire::{
    ChangesResponse, DEFAULT_PULL_LIMIT, ErrorBody, ErrorDetail, MAX_BODY_BYTES, MAX_OPS_PER_PUSH, MAX_PULL_LIMIT,
    MeResponse, OpsRequest, OpsResponse, PushReportResponse, ReportsResponse,
};

/// The hub's one writer behind a lock (SQLite has one writer, and each write holds it for
/// milliseconds), readers beside it for what only reads (`hub::pool`; a hub in memory has none
/// and reads through the writer), and the failed-authentication allowance of each address.
#[derive(Clone)]
pub struct AppState {
    /// Reverse proxies whose `X-Forwarded-For` names the client (`accredit serve --trusted-proxy`).
    trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    hub: Arc<Mutex<Hub>>,
    readers: Option<Arc<Readers>>,
    throttle: Arc<Mutex<Throttle>>,
    seen: Arc<Mutex<Sightings>>,
    pushes: Arc<Mutex<PushQueue>>,
}

/// The pushes waiting for the writer, and whether a drain of them is on its way: one blocking
/// task at a time takes every push waiting, applies them, and goes round again until none is
/// left. A push never waits for more than the round it is in, nor wakes a thread of its own to
/// find its work done by another (with one task per push, each handler waited for its own task
/// to get the writer after a round had already answered it: half of a push's time under load).
#[derive(Default)]
struct PushQueue {
    waiting: Vec<Push>,
    draining: bool,
}

/// A push waiting for the writer. Whoever gets the writer signs in every push waiting then and
/// applies them in one transaction (`Hub::apply_pushes`: one flush to disk for them all), and
/// answers each: its results, or `None` for a token that signs no one in. Signing in on the
/// writer rather than on a reader spares a push a second wait, in the readers' queue, which
/// is the longest under a pull load.
struct Push {
    token: String,
    ops: Vec<crate::wire::Op>,
    answer: tokio::sync::oneshot::Sender<super::Result<Option<Pushed>>>,
}

/// A push applied: who it signed in, and each op's result.
struct Pushed {
    found: super::auth::Found,
    results: Vec<crate::wire::OpResult>,
}

/// "Last seen" minutes not yet written: written by the writer after the requests that found
/// them are answered, all at once (a request never waits for this write, nor for a push
/// holding the writer; at the turn of a minute every active user has one).
#[derive(Default)]
struct Sightings {
    minutes: std::collections::HashMap<String, String>,
    /// A write of them is on its way.
    writing: bool,
}

impl AppState {
    pub fn new(hub: Hub) -> AppState {
        AppState::with_throttle(hub, throttle::Policy::default())
    }

    /// A hub whose authentication is throttled by `policy` rather than the default.
    pub fn with_throttle(hub: Hub, policy: throttle::Policy) -> AppState {
        AppState::build(hub, policy, pool::readers())
    }

    /// A hub with `readers` read connections (0: every request takes the writer, as before
    /// there were readers; the sync benchmark's baseline).
    pub fn with_readers(hub: Hub, readers: usize) -> AppState {
        AppState::build(hub, throttle::Policy::default(), readers)
    }

    fn build(hub: Hub, policy: throttle::Policy, readers: usize) -> AppState {
        let path =
            hub.store().connection().path().filter(|p| !p.is_empty() && readers > 0).map(std::path::PathBuf::from);
        let readers = path.and_then(|path| match Readers::open(&path, readers) {
            Ok(readers) => Some(Arc::new(readers)),
            // Still a working hub, only slower under load: every read goes through the writer.
            Err(e) => {
                tracing::warn!(error = %e, db = %path.display(), "cannot open readers; reads wait for the writer");
                None
            }
        });
        AppState {
            trusted_proxies: Arc::default(),
            hub: Arc::new(Mutex::new(hub)),
            readers,
            throttle: Arc::new(Mutex::new(Throttle::new(policy))),
            seen: Arc::default(),
            pushes: Arc::default(),
        }
    }

    /// Takes the client's address from `X-Forwarded-For` when the connection comes from one of
    /// `proxies` (a TLS proxy in front of a plain-HTTP hub): without it every client behind the
    /// proxy shares one allowance of failed authentications, so one bad client locks out all.
    pub fn trusting_proxies(mut self, proxies: Vec<std::net::IpAddr>) -> AppState {
        self.trusted_proxies = Arc::new(proxies);
        self
    }

    /// Signs in `bearer` and applies `ops` as them, together with the other pushes waiting for
    /// the writer.
    async fn push(&self, bearer: Bearer, ops: Vec<crate::wire::Op>) -> Result<Vec<crate::wire::OpResult>, ApiError> {
        let Bearer { client, token } = bearer;
        let Some(token) = token else { return Err(self.failed_sign_in(client)) };
        let (answer, answered) = tokio::sync::oneshot::channel();
        let start = {
            let mut queue = self.pushes.lock().unwrap_or_else(|p| p.into_inner());
            queue.waiting.push(Push { token, ops, answer });
            !std::mem::replace(&mut queue.draining, true)
        };
        if start {
            let (hub, pushes) = (self.hub.clone(), self.pushes.clone());
            tokio::task::spawn_blocking(move || drain_pushes(&hub, &pushes));
        }
        // A drain that fails, or a round whose transaction fails, drops the answers: each push
        // is told.
        let pushed = match answered.await {
            Ok(Ok(Some(pushed))) => pushed,
            Ok(Ok(None)) => return Err(self.failed_sign_in(client)),
            Ok(Err(e)) => return Err(request_failed(e)),
            Err(_) => return Err(ApiError::internal("the hub could not complete the request")),
        };
        self.signed_in(&pushed.found);
        Ok(pushed.results)
    }

    /// Notes that `user` was seen at `minute`, and starts writing the noted sightings unless a
    /// write is already on its way (it takes what is noted when it gets the writer).
    fn note_seen(&self, user: String, minute: String) {
        let start = {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            seen.minutes.insert(user, minute);
            !std::mem::replace(&mut seen.writing, true)
        };
        if !start {
            return;
        }
        let state = self.clone();
        tokio::spawn(async move {
            let seen = state.seen.clone();
            let written = state
                .with_hub(move |hub| {
                    let minutes = {
                        let mut seen = seen.lock().unwrap_or_else(|p| p.into_inner());
                        seen.writing = false;
                        std::mem::take(&mut seen.minutes)
                    };
                    hub.seen_all(minutes.iter().map(|(user, minute)| (user.as_str(), minute.as_str())))
                })
                .await;
            // Only "last seen" is lost, and the user's next request notes it again.
            if written.is_err() {
                tracing::warn!("could not record when users were last seen");
            }
        });
    }

    /// Runs read-only `work` on a reader (or the writer, without readers) off the async threads.
    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Hub) -> super::Result<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let Some(readers) = self.readers.clone() else { return self.with_hub(move |hub| work(hub)).await };
        tokio::task::spawn_blocking(move || readers.read(work).map_err(request_failed))
            .await
            .map_err(|_| ApiError::internal("the request was interrupted"))?
    }

    /// Runs `work` on the throttle table (held for microseconds, never across an await).
    fn with_throttle_table<T>(&self, work: impl FnOnce(&mut Throttle) -> T) -> T {
        let mut table = self.throttle.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        work(&mut table)
    }

    /// Runs `work` on the hub off the async threads.
    async fn with_hub<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Hub) -> super::Result<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let hub = self.hub.clone();
        tokio::task::spawn_blocking(move || {
            let mut hub = hub.lock().map_err(|_| ApiError::internal("the hub's database lock is poisoned"))?;
            work(&mut hub).map_err(request_failed)
        })
        .await
        .map_err(|_| ApiError::internal("the request was interrupted"))?
    }
}

/// Applies the waiting pushes a round at a time, each round in one transaction on the writer,
/// until none is waiting (`PushQueue`). Blocking: runs on the blocking pool.
fn drain_pushes(hub: &Mutex<Hub>, pushes: &Mutex<PushQueue>) {
    // A round that panics must not leave `draining` set, or no push would be applied again:
    // the next push starts a new drain (its round's pushes are answered 500, as before).
    struct Unwinding<'a>(&'a Mutex<PushQueue>);
    impl Drop for Unwinding<'_> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                self.0.lock().unwrap_or_else(|p| p.into_inner()).draining = false;
            }
        }
    }
    let _unwinding = Unwinding(pushes);
    loop {
        // The writer first, then what is waiting: a round takes every push that arrived while
        // the writer was busy.
        let writer = hub.lock();
        let waiting = {
            let mut queue = pushes.lock().unwrap_or_else(|p| p.into_inner());
            if queue.waiting.is_empty() {
                queue.draining = false;
                return;
            }
            std::mem::take(&mut queue.waiting)
        };
        // A poisoned writer answers no one: every `answer` is dropped with `waiting`.
        let Ok(mut hub) = writer else { continue };
        let mut signed_in = Vec::with_capacity(waiting.len());
        for push in waiting {
            match hub.find_token(&push.token) {
                Ok(Some(found)) => signed_in.push((found, push)),
                Ok(None) => drop(push.answer.send(Ok(None))),
                Err(e) => drop(push.answer.send(Err(e))),
            }
        }
        match hub.apply_pushes(signed_in.iter().map(|(found, p)| (&found.caller, p.ops.as_slice()))) {
            Ok(results) => {
                for ((found, push), result) in signed_in.into_iter().zip(results) {
                    let _ = push.answer.send(result.map(|results| Some(Pushed { found, results })));
                }
            }
            Err(e) => tracing::error!(error = %e, "a round of pushes failed"),
        }
    }
}

fn request_failed(e: super::HubError) -> ApiError {
    tracing::error!(error = %e, "request failed");
    ApiError::internal("the hub could not complete the request")
}

/// An error answered as `{"error": {"code", "message"}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// Seconds, sent as `Retry-After`.
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), retry_after: None }
    }

    fn throttled(wait: Duration) -> ApiError {
        let seconds = throttle::retry_after_seconds(wait);
        ApiError {
            retry_after: Some(seconds),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                format!("too many failed sign-ins from your address; try again in {seconds} s"),
            )
        }
    }

    fn internal(message: &str) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid token is needed: `Authorization: Bearer <token>`",
        )
    }

    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code.to_string(), message: self.message } };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("the body is over {MAX_BODY_BYTES} bytes"),
            ),
            _ => ApiError::bad_request(rejection.body_text()),
        }
    }
}

/// A request's bearer token and client address, past the throttle (`hub::throttle`): an
/// address over its allowance of failures is answered 429 without its token being looked at. A
/// request without an address (in-process, `tower::ServiceExt::oneshot`) counts against one
/// shared allowance. Authenticated by `Caller`'s extractor, or by `AppState::read_as` in the
/// same read as the work it is for.
pub struct Bearer {
    client: Client,
    token: Option<String>,
}

impl FromRequestParts<AppState> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Bearer, ApiError> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        let client = Client::of(peer.map(|peer| client_address(peer, &parts.headers, &state.trusted_proxies)));
        if let Err(wait) = state.with_throttle_table(|t| t.check(client, Instant::now())) {
            tracing::debug!(%client, "authentication throttled");
            return Err(ApiError::throttled(wait));
        }
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string());
        Ok(Bearer { client, token })
    }
}

/// The client's address: the connection's peer, unless the peer is a trusted proxy, then the
/// nearest address in `X-Forwarded-For` that is not one (the proxies append; an address a client
/// wrote itself is further left and is never taken past an untrusted hop).
fn client_address(
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|hop| hop.trim().parse())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    hops.into_iter().rev().find(|hop| !trusted.contains(hop)).unwrap_or(peer)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    /// Authenticates the bearer token (`Bearer`).
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let bearer = Bearer::from_request_parts(parts, state).await?;
        state.read_as(bearer, |_, caller| Ok(caller.clone())).await
    }
}

impl AppState {
    /// Authenticates `bearer` and runs read-only `work` as the caller in the same read (one
    /// trip to a reader, or to the writer without readers, rather than one to sign in and
    /// another for the work).
    async fn read_as<T: Send + 'static>(
        &self,
        bearer: Bearer,
        work: impl FnOnce(&Hub, &Caller) -> super::Result<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let Bearer { client, token } = bearer;
        let found = match token {
            Some(token) => {
                self.read(move |hub| match hub.find_token(&token)? {
                    Some(found) => {
                        let out = work(hub, &found.caller)?;
                        Ok(Some((found, out)))
                    }
                    None => Ok(None),
                })
                .await?
            }
            None => None,
        };
        let Some((found, out)) = found else { return Err(self.failed_sign_in(client)) };
        self.signed_in(&found);
        Ok(out)
    }

    /// Notes a sign-in's "last seen": a write, so the writer's, once a minute per user at most,
    /// and not the request's to wait for.
    fn signed_in(&self, found: &super::auth::Found) {
        if let Some(minute) = &found.seen_now {
            self.note_seen(found.caller.user.id.clone(), minute.clone());
        }
    }

    /// Counts a failed sign-in against `client`'s allowance and logs it.
    fn failed_sign_in(&self, client: Client) -> ApiError {
        self.with_throttle_table(|t| t.failed(client, Instant::now()));
        // The address and never the token: the log is no place for a secret, even a wrong one.
        let (left, blocked) =
            self.with_throttle_table(|t| (t.remaining(client, Instant::now()), t.blocked_for(client, Instant::now())));
        match blocked {
            Some(wait) => tracing::warn!(
                %client,
                "authentication failed; further attempts from this address refused for {} s",
                throttle::retry_after_seconds(wait)
            ),
            None => tracing::warn!(%client, tries_left = left, "authentication failed"),
        }
        ApiError::unauthorized()
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/me", get(me))
        .route("/api/v1/ops", post(push))
        .route("/api/v1/changes", get(changes))
        .route("/api/v1/documents/batch", post(documents::batch))
        .route("/api/v1/documents/{sha256}", get(document))
        .route("/api/v1/originals/{sha256}", get(originals::original))
        .route("/api/v1/submissions/{id}/reports", post(push_report).get(list_reports))
        .route("/api/v1/submissions/{id}/reports/{version}", get(get_report))
        .route("/api/v1/submissions/{id}/confirmations", post(confirm).get(list_confirmations))
        .route("/api/v1/submissions/{id}/history", get(history::history))
        // After the routes: a known path called with another method answers JSON too (axum's
        // default 405 has an empty body, which breaks the "errors are JSON" rule).
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A body declared over the limit is refused before it is read, whoever sends it.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(limits::headers))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(axum::middleware::map_response(json_errors))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Every error answer is the contract's JSON, also those that axum and tower-http make
/// themselves as text or an empty body: a bad path parameter, a body too slow (408) or declared
/// too large (413, answered before the body is read).
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    // The text axum gives names what was wrong (the parameter that did not parse); keep it.
    let text = axum::body::to_bytes(response.into_body(), 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_string();
    let (code, message) = match status {
        StatusCode::BAD_REQUEST => {
            ("bad_request", if text.is_empty() { "the request is malformed".into() } else { text })
        }
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", format!("the body is over {MAX_BODY_BYTES} bytes")),
        StatusCode::REQUEST_TIMEOUT => {
            ("timeout", "the request was not received within 30 seconds; send it again".into())
        }
        _ => ("error", status.canonical_reason().unwrap_or("the request failed").to_string()),
    };
    ApiError::new(status, code, message).into_response()
}

#[utoipa::path(get, path = "/healthz", security(()), responses((status = 200, description = "the hub is up", body = serde_json::Value)))]
async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

#[utoipa::path(get, path = "/api/v1/openapi.json", security(()), responses((status = 200, description = "this document (OpenAPI 3.1)", body = serde_json::Value)))]
async fn openapi() -> Json<serde_json::Value> {
    Json(super::openapi::document())
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route; see /api/v1/openapi.json")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route takes another method; see /api/v1/openapi.json",
    )
}

#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, description = "who the token belongs to", body = MeResponse)))]
async fn me(State(state): State<AppState>, caller: Caller) -> Result<Json<MeResponse>, ApiError> {
    let organisation = state.read(|hub| Ok(hub.store().meta(crate::store::ORGANISATION_KEY)?)).await?;
    Ok(Json(MeResponse { user: caller.user, organisation }))
}

#[utoipa::path(post, path = "/api/v1/ops", request_body = OpsRequest,
    responses((status = 200, description = "one result per op, in order: applied, conflict or rejected", body = OpsResponse)))]
async fn push(
    State(state): State<AppState>,
    bearer: Bearer,
    body: Result<Json<OpsRequest>, JsonRejection>,
) -> Result<Json<OpsResponse>, ApiError> {
    let checked = body.map_err(ApiError::from).and_then(|Json(request)| {
        if request.ops.len() > MAX_OPS_PER_PUSH {
            return Err(ApiError::bad_request(format!(
                "at most {MAX_OPS_PER_PUSH} ops per push; send the rest in another"
            )));
        }
        Ok(request.ops)
    });
    match checked {
        // Signed in by the writer in the same trip as the push is applied.
        Ok(ops) => Ok(Json(OpsResponse { results: state.push(bearer, ops).await? })),
        // Who is asking first (401 before 400), as on every route.
        Err(bad) => {
            state.read_as(bearer, |_, _| Ok(())).await?;
            Err(bad)
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ChangesQuery {
    /// The cursor: changes after this sequence number (0: from the start).
    #[serde(default)]
    #[param(minimum = 0, default = 0)]
    since: i64,
    /// The most changes in one page.
    #[param(minimum = 1, maximum = 1000, default = 500)]
    limit: Option<usize>,
}

#[utoipa::path(get, path = "/api/v1/changes", params(ChangesQuery),
    responses((status = 200, description = "a page of the changes the caller may see, in order", body = ChangesResponse)))]
async fn changes(
    State(state): State<AppState>,
    bearer: Bearer,
    query: Result<Query<ChangesQuery>, QueryRejection>,
) -> Result<Json<ChangesResponse>, ApiError> {
    let checked = query.map_err(|e| ApiError::bad_request(e.body_text())).and_then(|Query(query)| {
        if query.since < 0 {
            return Err(ApiError::bad_request("since must be 0 or more"));
        }
        let limit = query.limit.unwrap_or(DEFAULT_PULL_LIMIT);
        // The contract's range (docs/sync-protocol.md §5): out of it is the caller's mistake,
        // said plainly rather than silently clamped.
        if !(1..=MAX_PULL_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!("limit must be 1 to {MAX_PULL_LIMIT}")));
        }
        Ok((query.since, limit))
    });
    match checked {
        // The most common request of all: signed in and answered in one read.
        Ok((since, limit)) => {
            Ok(Json(state.read_as(bearer, move |hub, caller| hub.changes(caller, since, limit)).await?))
        }
        // Who is asking first (401 before 400), as on every route.
        Err(bad) => {
            state.read_as(bearer, |_, _| Ok(())).await?;
            Err(bad)
        }
    }
}

#[utoipa::path(get, path = "/api/v1/documents/{sha256}", params(super::openapi::DocumentPath),
    responses((status = 200, description = "the document's text", body = String, content_type = "text/plain"),
        (status = 403, description = "not a document of a submission the caller is on (or no such document)", body = ErrorBody)))]
async fn document(
    State(state): State<AppState>,
    caller: Caller,
    Path(sha256): Path<String>,
) -> Result<Response, ApiError> {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::bad_request("a document is named by the 64 hex characters of its SHA-256"));
    }
    match state.read(move |hub| hub.document(&caller, &sha256)).await? {
        Some(text) => Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()),
        None => Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "not a document of a submission you are on")),
    }
}

fn forbidden() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "only the panel's chair (and the accreditation office) may do this",
    )
}

#[utoipa::path(post, path = "/api/v1/submissions/{id}/reports", params(super::openapi::SubmissionPath),
    responses((status = 201, description = "a new version", body = PushReportResponse),
        (status = 200, description = "this exact report was pushed before", body = PushReportResponse),
        (status = 403, description = "not the panel's chair", body = ErrorBody),
        (status = 409, description = "not at the panel review stage, members yet to submit, or incomplete: every problem listed", body = ErrorBody)))]
async fn push_report(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<PushReportResponse>), ApiError> {
    match state.with_hub(move |hub| hub.push_report(&caller, &id)).await? {
        Ok((report, created)) => {
            let status = if created { StatusCode::CREATED } else { StatusCode::OK };
            Ok((status, Json(PushReportResponse { report, created })))
        }
        Err(PushRefused::Forbidden) => Err(forbidden()),
        Err(PushRefused::Stage(stage)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "stage",
            format!("the submission is at the {stage} stage: a panel report is pushed only at the panel review stage"),
        )),
        Err(PushRefused::NotSubmitted(names)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_submitted",
            format!(
                "the panel report waits for every voting member's judgements; not submitted yet: {}",
                names.join(", ")
            ),
        )),
        Err(PushRefused::Incomplete(problems)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "incomplete",
            format!("the panel report is not complete: {}", problems.join("; ")),
        )),
    }
}

#[utoipa::path(get, path = "/api/v1/submissions/{id}/reports", params(super::openapi::SubmissionPath),
    responses((status = 200, description = "every pushed version", body = ReportsResponse),
        (status = 403, description = "neither the chair, the office nor a voting member who has submitted", body = ErrorBody)))]
async fn list_reports(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ReportsResponse>, ApiError> {
    match state.read(move |hub| hub.reports(&caller, &id)).await? {
        Some(reports) => Ok(Json(ReportsResponse { reports })),
        None => Err(forbidden()),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ReportQuery {
    #[serde(default = "markdown")]
    #[param(inline, value_type = Option<super::openapi::ReportFormat>)]
    format: String,
    /// `panel` (default: the record, with the internal appendix) or `provider` (the letter).
    #[serde(default)]
    #[param(inline, value_type = Option<super::openapi::ReportAudience>)]
    audience: Option<String>,
}

fn markdown() -> String {
    "md".into()
}

#[utoipa::path(get, path = "/api/v1/submissions/{id}/reports/{version}", params(super::openapi::ReportPath, ReportQuery),
    responses((status = 200, description = "the version, rendered", content(
            (String = "text/markdown"), (String = "text/html"), (serde_json::Value = "application/json"))),
        (status = 403, description = "on the panel but not allowed this rendering (a member limited to some standards reads the provider's report, not the panel's record)", body = ErrorBody),
        (status = 404, description = "no such version", body = ErrorBody)))]
async fn get_report(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, version)): Path<(String, i64)>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let format = Format::parse(&query.format).ok_or_else(|| ApiError::bad_request("format is md, html or json"))?;
    let content_type = match format {
        Format::Markdown => "text/markdown; charset=utf-8",
        Format::Html => "text/html; charset=utf-8",
        Format::Json => "application/json",
    };
    let allowed = {
        let (caller, id) = (caller.clone(), id.clone());
        state.read(move |hub| hub.reports(&caller, &id)).await?.is_some()
    };
    if !allowed {
        return Err(forbidden());
    }
    let audience = match query.audience.as_deref() {
        None => crate::report::Audience::Panel,
        Some(text) => crate::report::Audience::parse(text)
            .ok_or_else(|| ApiError::bad_request("audience is provider or panel"))?,
    };
    match state.read(move |hub| hub.report_for(&caller, &id, version, format, audience)).await? {
        Ok(text) => Ok(([(header::CONTENT_TYPE, content_type)], text).into_response()),
        Err(super::panel::ReportRefused::Missing) => {
            Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such version of this report"))
        }
        Err(super::panel::ReportRefused::Denied(reason)) => {
            Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", reason))
        }
    }
}

/// Serves the hub over plain HTTP on `listener` until Ctrl-C or SIGTERM, finishing requests in
/// flight.
pub async fn serve(listener: tokio::net::TcpListener, hub: Hub) -> std::io::Result<()> {
    serve_with(listener, AppState::new(hub), Transport::Plain, shutdown_signal()).await
}

/// Serves the hub on `listener` with `transport` until `shutdown` resolves, finishing requests
/// in flight. `accredit serve` stops on Ctrl-C or SIGTERM ([`stop_signal`]).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    transport: Transport,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    super::server::run(listener, router(state), transport, shutdown).await
}

/// Ctrl-C or SIGTERM.
pub async fn stop_signal() {
    shutdown_signal().await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Binds `addr` (port 0 picks a free one) and reports the address actually bound.
pub async fn bind(addr: SocketAddr) -> std::io::Result<(tokio::net::TcpListener, SocketAddr)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}

#[utoipa::path(post, path = "/api/v1/submissions/{id}/confirmations", params(super::openapi::SubmissionPath),
    request_body = crate::wire::ConfirmRequest,
    responses((status = 200, description = "the caller's confirmation of the latest pushed version", body = crate::wire::Confirmation),
        (status = 400, description = "the comment is too long", body = ErrorBody),
        (status = 403, description = "not a voting member of the panel", body = ErrorBody),
        (status = 409, description = "no report pushed yet, or a newer version than the one read", body = ErrorBody)))]
async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<crate::wire::ConfirmRequest>, JsonRejection>,
) -> Result<Json<crate::wire::Confirmation>, ApiError> {
    let Json(body) = body?;
    match state.with_hub(move |hub| hub.confirm(&caller, &id, &body.comment, body.version)).await? {
        Ok(confirmation) => Ok(Json(confirmation)),
        Err(super::confirm::ConfirmRefused::NotAMember) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only the panel's voting members confirm its report (the chair approves it)",
        )),
        Err(super::confirm::ConfirmRefused::NothingPushed) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "nothing_pushed",
            "the chair has not pushed a report to confirm yet",
        )),
        Err(super::confirm::ConfirmRefused::NewerReport { read, latest }) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "newer_report",
            format!(
                "you read version {read}, but the chair has pushed version {latest} since: read it and confirm again"
            ),
        )),
        Err(super::confirm::ConfirmRefused::CommentTooLong) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("a comment is at most {} characters", super::ops::MAX_RATIONALE_CHARS),
        )),
    }
}

#[utoipa::path(get, path = "/api/v1/submissions/{id}/confirmations", params(super::openapi::SubmissionPath),
    responses((status = 200, description = "who confirmed the report and who has not", body = crate::wire::ConfirmationsResponse),
        (status = 403, description = "not on the panel", body = ErrorBody)))]
async fn list_confirmations(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<crate::wire::ConfirmationsResponse>, ApiError> {
    match state.read(move |hub| hub.confirmations(&caller, &id)).await? {
        Some(list) => Ok(Json(list)),
        None => Err(forbidden()),
    }
}

/// The routes above, for the OpenAPI document (`super::openapi`): listed here, where the
/// handlers are, so that a new route is one line away from being documented.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    healthz,
    openapi,
    me,
    push,
    changes,
    document,
    documents::batch,
    originals::original,
    push_report,
    list_reports,
    get_report,
    confirm,
    list_confirmations,
    history::history
))]
pub(super) struct Routes;
