//! The hub (`accredit serve`): the source of truth for panels and judgements, and the judge
//! of who may see and change what. Its database extends the cache schema (`store`) with
//! accounts, the op log and the change feed (`schema`).

pub mod admin;
pub mod audit;
mod auth;
pub mod backup;
pub mod confirm;
mod feed;
pub mod http;
pub mod openapi;
mod ops;
pub mod panel;
pub mod permissions;
pub mod pool;
mod schema;
pub mod server;
pub mod throttle;
pub mod tls;

use std::path::Path;

use rusqlite::OptionalExtension;

use crate::domain::{Panel, Stage};
use crate::format::FormatError;
use crate::store::{Store, StoreError};
use crate::wire::User;
use permissions::{Action, Actor, PanelContext};

pub use auth::{Found, hash_token, new_token};
pub use ops::MAX_KEPT_REJECTIONS;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the hub database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error("{0}")]
    Invalid(String),
    #[error(
        "the hub database was written by a newer accredit (hub schema {found}, this one knows {known}); update accredit"
    )]
    TooNew { found: i64, known: i64 },
}

pub type Result<T, E = HubError> = std::result::Result<T, E>;

/// The hub's database.
pub struct Hub {
    store: Store,
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user: User,
}

impl Caller {
    fn actor(&self) -> Actor<'_> {
        Actor { user: &self.user.id, admin: self.user.role == crate::wire::UserRole::Admin }
    }
}

/// One submission's panel as the permission check needs it.
struct SubmissionAccess {
    panel: Panel,
    stage: Stage,
}

impl Hub {
    pub fn open(path: &Path) -> Result<Hub> {
        let mut store = Store::open(path)?;
        schema::migrate(store.connection_mut())?;
        Ok(Hub { store })
    }

    /// A connection to the hub database at `path` that only reads (see `pool`); the database
    /// must already be at this accredit's hub schema (the writer, opened first, migrates it).
    pub fn open_reader(path: &Path) -> Result<Hub> {
        let store = Store::open_reader(path)?;
        let found = schema::version(store.connection())?;
        if found != schema::latest_version() {
            return Err(HubError::Invalid(format!(
                "the hub database is at hub schema {found}, not {}: open it for writing first",
                schema::latest_version()
            )));
        }
        Ok(Hub { store })
    }

    pub fn open_in_memory() -> Result<Hub> {
        let mut store = Store::open_in_memory()?;
        schema::migrate(store.connection_mut())?;
        Ok(Hub { store })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    fn access(&self, submission: &str) -> Result<Option<SubmissionAccess>> {
        let stage: Option<String> = self
            .store
            .connection()
            .prepare_cached("SELECT stage FROM submissions WHERE id = ?1")?
            .query_row([submission], |r| r.get(0))
            .optional()?;
        let Some(stage) = stage else { return Ok(None) };
        let panel = match self.store.panel(submission) {
            Ok(panel) => panel,
            Err(StoreError::UnknownSubmission(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let stage = Stage::parse(&stage).ok_or_else(|| HubError::Invalid(format!("bad stage {stage:?}")))?;
        Ok(Some(SubmissionAccess { panel, stage }))
    }

    /// Whether `user` has submitted every judgement they owe on `submission`.
    fn submitted_all(&self, submission: &str, panel: &Panel, user: &str) -> Result<bool> {
        let Some(member) = panel.member(user).filter(|m| m.role.votes() && !m.recused) else { return Ok(false) };
        let conn = self.store.connection();
        let mut owed =
            conn.prepare_cached("SELECT standard_code FROM submission_standards WHERE submission_id = ?1")?;
        let codes: Vec<String> = owed.query_map([submission], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let owed: Vec<&String> = codes.iter().filter(|c| member.judges(c)).collect();
        if owed.is_empty() {
            return Ok(false);
        }
        let mut submitted = conn.prepare_cached(
            "SELECT standard_code FROM judgements WHERE submission_id = ?1 AND reviewer_id = ?2 AND state = 'submitted'",
        )?;
        let done: Vec<String> =
            submitted.query_map([submission, user], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(owed.iter().all(|c| done.contains(c)))
    }

    /// The caller's panel context for deciding any action.
    fn context<'a>(&self, access: &'a SubmissionAccess, caller: &'a Caller) -> Result<PanelContext<'a>> {
        self.context_with(access, caller, true)
    }

    /// The caller's panel context for deciding `action` alone: whether they have submitted all
    /// theirs is worked out only if the decision depends on it.
    fn context_for<'a>(
        &self,
        access: &'a SubmissionAccess,
        caller: &'a Caller,
        action: &Action<'_>,
    ) -> Result<PanelContext<'a>> {
        self.context_with(access, caller, action.depends_on_submitted_all(&caller.user.id))
    }

    fn context_with<'a>(
        &self,
        access: &'a SubmissionAccess,
        caller: &'a Caller,
        with_submitted_all: bool,
    ) -> Result<PanelContext<'a>> {
        let submitted_all =
            with_submitted_all && self.submitted_all(&access.panel.submission, &access.panel, &caller.user.id)?;
        Ok(PanelContext {
            chair: &access.panel.chair,
            member: access.panel.member(&caller.user.id),
            stage: access.stage,
            submitted_all,
            members: &access.panel.members,
        })
    }
}
