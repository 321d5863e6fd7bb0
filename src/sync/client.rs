//! A blocking HTTP client for the hub (ureq), so the TUI needs no async runtime: sync runs on a
//! worker thread.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::resolver::HubResolver;
use ureq::Agent;
use ureq::http::Response;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
use ureq::unversioned::transport::DefaultConnector;

use super::SyncError;
use crate::wire::{
    ChangesResponse, ErrorBody, MAX_ORIGINAL_BYTES, MeResponse, Op, OpResult, OpsRequest, OpsResponse,
    PushReportResponse, ReportVersion, ReportsResponse, User,
};

/// The most a response body may hold (a page of changes with submissions in it).
const MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

pub struct HubClient {
    agent: Agent,
    server: String,
    token: String,
    /// Set when the server's URL may not carry a token (`check_server`): every call fails with
    /// it before anything is sent.
    refused: Option<String>,
}

impl HubClient {
    /// A client trusting the public web's certificate authorities.
    pub fn new(server: &str, token: &str) -> HubClient {
        HubClient::build(server, token, RootCerts::WebPki)
    }

    /// A client trusting only the certificate authorities in the PEM file `ca_cert` (a private
    /// CA, as `accredit login --ca-cert FILE` stores).
    pub fn with_ca(server: &str, token: &str, ca_cert: &Path) -> Result<HubClient, SyncError> {
        Ok(HubClient::build(server, token, RootCerts::new_with_certs(&ca_certificates(ca_cert)?)))
    }

    fn build(server: &str, token: &str, roots: RootCerts) -> HubClient {
        let server = server.trim_end_matches('/').to_string();
        let refused = check_server(&server).err();
        let tls = TlsConfig::builder()
            .root_certs(roots)
            .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .build();
        let config = Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(30)))
            .timeout_connect(Some(Duration::from_secs(5)))
            .http_status_as_error(false)
            .tls_config(tls)
            // A hub reached over https is never followed to plain http.
            .https_only(server.starts_with("https://"))
            .build();
        let agent = Agent::with_parts(config, DefaultConnector::default(), HubResolver::new());
        HubClient { agent, server, token: token.trim().to_string(), refused }
    }

    pub fn server(&self) -> &str {
        &self.server
    }

    /// The agent, unless this server may not be sent a token.
    fn agent(&self) -> Result<&Agent, SyncError> {
        match &self.refused {
            None => Ok(&self.agent),
            Some(reason) => Err(SyncError::Insecure { server: self.server.clone(), reason: reason.clone() }),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server)
    }

    fn unreachable(&self, e: ureq::Error) -> SyncError {
        if let Some(detail) = tls_failure(&e) {
            return SyncError::Untrusted { server: self.server.clone(), detail };
        }
        SyncError::Unreachable { server: self.server.clone(), detail: e.to_string() }
    }

    /// Turns a non-success answer into the error it means.
    fn check(&self, mut response: Response<ureq::Body>) -> Result<Response<ureq::Body>, SyncError> {
        let status = response.status().as_u16();
        if response.status().is_success() {
            return Ok(response);
        }
        if status == 401 {
            return Err(SyncError::Unauthorized);
        }
        let message = response
            .body_mut()
            .read_json::<ErrorBody>()
            .map(|b| b.error.message)
            .unwrap_or_else(|_| "no explanation given".to_string());
        Err(SyncError::Refused { status, message })
    }

    /// An error reading an answer's body: a connection lost in the middle of it is the network
    /// failing (the work is safe and will sync later), not the hub misbehaving.
    fn body_error(&self, what: &str, e: ureq::Error) -> SyncError {
        match e {
            ureq::Error::Io(_) | ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed => self.unreachable(e),
            e => SyncError::Protocol(format!("{what}: {e}")),
        }
    }

    fn read<T: serde::de::DeserializeOwned>(&self, mut response: Response<ureq::Body>) -> Result<T, SyncError> {
        response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_json()
            .map_err(|e| self.body_error("an unreadable answer", e))
    }

    fn get(&self, path: &str) -> Result<Response<ureq::Body>, SyncError> {
        let response = self
            .agent()?
            .get(self.url(path))
            .header("Authorization", &format!("Bearer {}", self.token))
            .call()
            .map_err(|e| self.unreachable(e))?;
        self.check(response)
    }

    /// Who the token belongs to (checks it).
    pub fn me(&self) -> Result<User, SyncError> {
        Ok(self.me_and_organisation()?.0)
    }

    /// Who the token belongs to, and the organisation the hub sends reports for.
    pub fn me_and_organisation(&self) -> Result<(User, Option<String>), SyncError> {
        let me: MeResponse = self.read(self.get("/api/v1/me")?)?;
        Ok((me.user, me.organisation))
    }

    pub fn push(&self, ops: &[Op]) -> Result<Vec<OpResult>, SyncError> {
        let response = self
            .agent()?
            .post(self.url("/api/v1/ops"))
            .header("Authorization", &format!("Bearer {}", self.token))
            .send_json(OpsRequest { ops: ops.to_vec() })
            .map_err(|e| self.unreachable(e))?;
        let answer: OpsResponse = self.read(self.check(response)?)?;
        Ok(answer.results)
    }

    pub fn changes(&self, since: i64, limit: usize) -> Result<ChangesResponse, SyncError> {
        self.read(self.get(&format!("/api/v1/changes?since={since}&limit={limit}"))?)
    }

    /// Pushes the panel report of `submission`: the hub builds it from its own data.
    pub fn push_report(&self, submission: &str) -> Result<PushReportResponse, SyncError> {
        let response = self
            .agent()?
            .post(self.url(&format!("/api/v1/submissions/{submission}/reports")))
            .header("Authorization", &format!("Bearer {}", self.token))
            .send_empty()
            .map_err(|e| self.unreachable(e))?;
        self.read(self.check(response)?)
    }

    /// Confirms, as a panel member, that the pushed report is accurate: `version` if given (the
    /// hub refuses when a newer one was pushed since), else the latest.
    pub fn confirm(
        &self,
        submission: &str,
        comment: &str,
        version: Option<i64>,
    ) -> Result<crate::wire::Confirmation, SyncError> {
        let response = self
            .agent()?
            .post(self.url(&format!("/api/v1/submissions/{submission}/confirmations")))
            .header("Authorization", &format!("Bearer {}", self.token))
            .send_json(crate::wire::ConfirmRequest { comment: comment.to_string(), version })
            .map_err(|e| self.unreachable(e))?;
        self.read(self.check(response)?)
    }

    /// Who has confirmed the report of `submission`, and who has not.
    pub fn confirmations(&self, submission: &str) -> Result<crate::wire::ConfirmationsResponse, SyncError> {
        self.read(self.get(&format!("/api/v1/submissions/{submission}/confirmations"))?)
    }

    /// Every pushed version of a submission's report.
    pub fn reports(&self, submission: &str) -> Result<Vec<ReportVersion>, SyncError> {
        let answer: ReportsResponse = self.read(self.get(&format!("/api/v1/submissions/{submission}/reports"))?)?;
        Ok(answer.reports)
    }

    /// One pushed version, rendered as `format` (`md`, `html` or `json`).
    pub fn report(&self, submission: &str, version: i64, format: &str) -> Result<String, SyncError> {
        self.report_for(submission, version, format, "panel")
    }

    /// One pushed version for `audience` (`panel` or `provider`), rendered as `format`.
    pub fn report_for(
        &self,
        submission: &str,
        version: i64,
        format: &str,
        audience: &str,
    ) -> Result<String, SyncError> {
        let mut response = self
            .get(&format!("/api/v1/submissions/{submission}/reports/{version}?format={format}&audience={audience}"))?;
        response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_string()
            .map_err(|e| SyncError::Protocol(format!("report {submission} version {version}: {e}")))
    }

    /// Several documents' texts, fetched in batches (`POST /api/v1/documents/batch`), each
    /// checked against its SHA-256; `keep` is called with each as it arrives, so an interrupted
    /// download resumes where it stopped. A hub without the batch route gets one GET each.
    pub fn documents(
        &self,
        wanted: &[String],
        mut keep: impl FnMut(&str, &str) -> Result<(), SyncError>,
    ) -> Result<usize, SyncError> {
        let mut rest: Vec<String> = wanted.to_vec();
        let mut fetched = 0;
        while !rest.is_empty() {
            let ask: Vec<String> = rest.iter().take(crate::wire::MAX_DOCUMENTS_PER_BATCH).cloned().collect();
            let response = self
                .agent()?
                .post(self.url("/api/v1/documents/batch"))
                .header("Authorization", &format!("Bearer {}", self.token))
                .send_json(crate::wire::DocumentBatchRequest { sha256: ask.clone() })
                .map_err(|e| self.unreachable(e))?;
            let answer: crate::wire::DocumentBatchResponse = match self.check(response) {
                Ok(response) => self.read(response)?,
                Err(SyncError::Refused { status: 404 | 405, .. }) => {
                    for sha in &rest {
                        keep(sha, &self.document(sha)?)?;
                        fetched += 1;
                    }
                    return Ok(fetched);
                }
                Err(e) => return Err(e),
            };
            if let Some(sha) = answer.forbidden.first() {
                return Err(SyncError::Refused {
                    status: 403,
                    message: format!("document {sha} is not a document of a submission you are on"),
                });
            }
            if answer.documents.is_empty() {
                return Err(SyncError::Protocol("the hub sent an empty document batch".into()));
            }
            for doc in &answer.documents {
                if !ask.contains(&doc.sha256) {
                    return Err(SyncError::Protocol(format!("the hub sent document {} unasked", doc.sha256)));
                }
                verify(&doc.sha256, &doc.text)?;
                keep(&doc.sha256, &doc.text)?;
                fetched += 1;
            }
            rest.retain(|sha| !answer.documents.iter().any(|d| &d.sha256 == sha));
        }
        Ok(fetched)
    }

    /// A document's text, checked against its SHA-256: a corrupt download is refused.
    pub fn document(&self, sha256: &str) -> Result<String, SyncError> {
        let mut response = self.get(&format!("/api/v1/documents/{sha256}"))?;
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_string()
            .map_err(|e| self.body_error(&format!("document {sha256}"), e))?;
        verify(sha256, &text)?;
        Ok(text)
    }
}

impl HubClient {
    /// An original file's bytes (`GET /api/v1/originals/{sha256}`), checked against its SHA-256:
    /// one over `MAX_ORIGINAL_BYTES` or with other bytes than its hash names is refused, and
    /// nothing of it is returned.
    pub fn original(&self, sha256: &str) -> Result<Vec<u8>, SyncError> {
        let response = self
            .agent()?
            .get(self.url(&format!("/api/v1/originals/{sha256}")))
            .header("Authorization", &format!("Bearer {}", self.token))
            // Megabytes over a slow link: the whole-request limit of 30 s would cut them off.
            .config()
            .timeout_global(Some(ORIGINAL_TIMEOUT))
            .build()
            .call()
            .map_err(|e| self.unreachable(e))?;
        let mut response = self.check(response)?;
        let too_large = || {
            SyncError::Protocol(format!(
                "the original {sha256} is larger than the {} MiB a replica takes; nothing was stored",
                MAX_ORIGINAL_BYTES / (1024 * 1024)
            ))
        };
        if response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
            .is_some_and(|n| n > MAX_ORIGINAL_BYTES)
        {
            return Err(too_large());
        }
        let bytes = response.body_mut().with_config().limit(MAX_ORIGINAL_BYTES).read_to_vec().map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => too_large(),
            e => self.body_error(&format!("original {sha256}"), e),
        })?;
        let got = crate::digest::sha256_hex(&bytes);
        if got != sha256 {
            return Err(SyncError::Protocol(format!(
                "original {sha256} arrived corrupt (its SHA-256 is {got}); nothing was stored"
            )));
        }
        Ok(bytes)
    }
}

/// How long one original's download may take.
const ORIGINAL_TIMEOUT: Duration = Duration::from_secs(600);

/// Whether a token may be sent to `server`: over https to anywhere, over plain http only to this
/// machine (`localhost` or a loopback address), where nothing crosses a network.
pub fn check_server(server: &str) -> Result<(), String> {
    let uri: ureq::http::Uri = server.parse().map_err(|_| format!("{server:?} is not a URL"))?;
    let host = uri.host().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    let loopback =
        host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match uri.scheme_str() {
        Some("https") if !host.is_empty() => Ok(()),
        Some("http") if loopback => Ok(()),
        Some("http") => Err(format!(
            "plain http:// would send the token unencrypted to {host}, which is not this machine; use the hub's https:// address"
        )),
        _ => Err(format!("{server:?} is not an http:// or https:// URL")),
    }
}

/// The certificates of a PEM file of certificate authorities.
fn ca_certificates(path: &Path) -> Result<Vec<Certificate<'static>>, SyncError> {
    let bad = |detail: String| SyncError::CaCert { path: path.display().to_string(), detail };
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        if let PemItem::Certificate(cert) = item.map_err(|e| bad(e.to_string()))? {
            certs.push(cert);
        }
    }
    if certs.is_empty() {
        return Err(bad("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into()));
    }
    Ok(certs)
}

/// What went wrong with TLS, if that is what failed: a certificate the client does not trust
/// is not the hub being offline, and waiting will not mend it.
fn tls_failure(e: &ureq::Error) -> Option<String> {
    match e {
        ureq::Error::Rustls(e) => Some(e.to_string()),
        ureq::Error::Tls(e) => Some(e.to_string()),
        ureq::Error::Io(io) => {
            io.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()).map(ToString::to_string)
        }
        _ => None,
    }
}

/// A downloaded document must have the SHA-256 it was asked for.
fn verify(sha256: &str, text: &str) -> Result<(), SyncError> {
    let got = crate::digest::sha256_hex(text.as_bytes());
    if got != sha256 {
        return Err(SyncError::Protocol(format!(
            "document {sha256} arrived corrupt (its SHA-256 is {got}); nothing was stored"
        )));
    }
    Ok(())
}

impl HubClient {
    /// What the caller may see of a submission's history on the hub, oldest first.
    pub fn history(&self, submission: &str) -> Result<Vec<crate::wire::HistoryEntry>, SyncError> {
        let answer: crate::wire::HistoryResponse =
            self.read(self.get(&format!("/api/v1/submissions/{submission}/history"))?)?;
        Ok(answer.entries)
    }
}
