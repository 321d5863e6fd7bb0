//! A blocking HTTP client for the hub (ureq), so the TUI needs no async runtime: sync runs on a
//! worker thread.

use std::time::Duration;

use sha2::{Digest, Sha256};
use ureq::Agent;
use ureq::http::Response;

use super::SyncError;
use crate::wire::{
    ChangesResponse, ErrorBody, MeResponse, Op, OpResult, OpsRequest, OpsResponse, PushReportResponse, ReportVersion,
    ReportsResponse, User,
};

/// The most a response body may hold (a page of changes with submissions in it).
const MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

pub struct HubClient {
    agent: Agent,
    server: String,
    token: String,
}

impl HubClient {
    pub fn new(server: &str, token: &str) -> HubClient {
        let agent: Agent = Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(30)))
            .timeout_connect(Some(Duration::from_secs(5)))
            .http_status_as_error(false)
            .build()
            .into();
        HubClient { agent, server: server.trim_end_matches('/').to_string(), token: token.trim().to_string() }
    }

    pub fn server(&self) -> &str {
        &self.server
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server)
    }

    fn unreachable(&self, e: ureq::Error) -> SyncError {
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
            .agent
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
            .agent
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
            .agent
            .post(self.url(&format!("/api/v1/submissions/{submission}/reports")))
            .header("Authorization", &format!("Bearer {}", self.token))
            .send_empty()
            .map_err(|e| self.unreachable(e))?;
        self.read(self.check(response)?)
    }

    /// Every pushed version of a submission's report.
    pub fn reports(&self, submission: &str) -> Result<Vec<ReportVersion>, SyncError> {
        let answer: ReportsResponse = self.read(self.get(&format!("/api/v1/submissions/{submission}/reports"))?)?;
        Ok(answer.reports)
    }

    /// One pushed version, rendered as `format` (`md`, `html` or `json`).
    pub fn report(&self, submission: &str, version: i64, format: &str) -> Result<String, SyncError> {
        let mut response = self.get(&format!("/api/v1/submissions/{submission}/reports/{version}?format={format}"))?;
        response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_string()
            .map_err(|e| SyncError::Protocol(format!("report {submission} version {version}: {e}")))
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
        let got: String = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        if got != sha256 {
            return Err(SyncError::Protocol(format!(
                "document {sha256} arrived corrupt (its SHA-256 is {got}); nothing was stored"
            )));
        }
        Ok(text)
    }
}
