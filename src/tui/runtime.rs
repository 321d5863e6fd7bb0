//! Runs the effects `App::update` asks for against the store and feeds the results back.
//! The terminal loop and the tests share it, so a test drives exactly what a user drives.

use std::collections::VecDeque;

use jiff::civil::Date;

use super::app::{Action, App, Effect};
use super::settings::Settings;
use crate::store::{Store, StoreError};

pub struct Runtime {
    pub app: App,
    pub store: Store,
    /// A rationale waiting to be edited in `$EDITOR`; the terminal loop takes it.
    pub external_edit: Option<String>,
}

impl Runtime {
    /// Starts on the queue of the cache's owner.
    pub fn new(store: Store, today: Date, settings: Settings) -> Result<Runtime, StoreError> {
        let me = store.me()?.ok_or_else(|| StoreError::Corrupt("the cache has no owner".into()))?;
        let name = store.person_name(&me)?;
        let mut runtime = Runtime { app: App::new(me, name, today, settings), store, external_edit: None };
        if let Some(loaded) = runtime.run(Effect::LoadQueue) {
            runtime.dispatch(loaded);
        }
        runtime.refresh_unsynced();

        Ok(runtime)
    }

    /// Applies `action` and every effect it leads to, in order.
    pub fn dispatch(&mut self, action: Action) {
        let mut pending = VecDeque::from([action]);
        while let Some(action) = pending.pop_front() {
            for effect in self.app.update(action) {
                if let Some(result) = self.run(effect) {
                    pending.push_back(result);
                }
            }
        }
    }

    fn run(&mut self, effect: Effect) -> Option<Action> {
        let me = self.app.me.clone();
        let result = match effect {
            Effect::LoadQueue => self.store.assignments(&me).map(Action::QueueLoaded),
            Effect::OpenReview { submission, select } => self
                .store
                .load_review(&submission, &me)
                .map(|data| Action::ReviewLoaded { data: Box::new(data), select }),
            Effect::OpenDocument { submission, document, locator } => self
                .store
                .document_text(&submission, &document, &me)
                .map(|(info, text)| Action::DocumentLoaded { submission, info, text, locator }),
            Effect::LoadFinder => self.store.finder_entries(&me).map(Action::FinderLoaded),
            Effect::Save { submission, standard, outcome, rationale } => {
                let saved = self.store.save_judgement(&submission, &standard, &me, outcome, &rationale);
                self.refresh_unsynced();
                return Some(match saved {
                    Ok(judgement) => Action::Saved(judgement),
                    Err(e) => Action::SaveFailed { standard, rationale, message: e.to_string() },
                });
            }
            Effect::Submit { submission } => {
                let result = self
                    .store
                    .submit(&submission, &me)
                    .map(|outcome| Action::Submitted { submission, count: outcome.submitted });
                self.refresh_unsynced();
                result
            }
            Effect::EditExternally { text } => {
                self.external_edit = Some(text);
                return None;
            }
        };
        Some(result.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "effect failed");
            Action::Failed(e.to_string())
        }))
    }

    fn refresh_unsynced(&mut self) {
        match self.store.unsynced_count() {
            Ok(n) => self.app.unsynced = n,
            Err(e) => tracing::warn!(error = %e, "cannot count the outbox"),
        }
    }
}
