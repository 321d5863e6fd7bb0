//! The built-in demo: fixtures compiled into the binary, and a synthetic cache for benchmarks.

pub mod synthetic;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
}

use crate::domain::Framework;
use crate::format::{self, FormatError, SubmissionPackage};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("a built-in fixture is invalid (a bug in this build): {0}")]
    Fixture(#[from] FormatError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the built-in fixture {0} is missing (a bug in this build)")]
    Missing(String),
}

/// A fixture file's text, by its path under `fixtures/`.
pub fn fixture(path: &str) -> Option<&'static str> {
    embedded::FILES.iter().find(|(p, _)| *p == path).map(|(_, text)| *text)
}

fn required(path: &str) -> Result<&'static str, DemoError> {
    fixture(path).ok_or_else(|| DemoError::Missing(path.to_string()))
}

/// The demo frameworks, parsed and validated.
pub fn frameworks() -> Result<Vec<Framework>, DemoError> {
    embedded::FILES
        .iter()
        .filter(|(p, _)| p.starts_with("frameworks/") && p.ends_with(".json"))
        .map(|(p, text)| Ok(format::parse_framework(&format!("fixtures/{p}"), text)?))
        .collect()
}

/// The ids of the demo submissions, from the folders under `fixtures/submissions/`.
pub fn submission_ids() -> Vec<&'static str> {
    embedded::FILES
        .iter()
        .filter_map(|(p, _)| p.strip_prefix("submissions/")?.strip_suffix("/submission.json"))
        .collect()
}

/// The demo user's id.
pub fn demo_user() -> Result<String, DemoError> {
    Ok(format::parse_people("fixtures/demo/people.json", required("demo/people.json")?)?.me)
}

/// Fills `store` with the demo data and makes the demo user its owner.
/// The organisation the demo's hub sends reports for.
pub const DEMO_ORGANISATION: &str = "NHS England — Centre for Advancing Practice";

pub fn install(store: &mut Store) -> Result<(), DemoError> {
    let people = format::parse_people("fixtures/demo/people.json", required("demo/people.json")?)?;
    store.import_people(&people.people)?;
    let frameworks = frameworks()?;
    for framework in &frameworks {
        store.import_framework(framework)?;
    }
    let find = |id: &str, version: &str| frameworks.iter().find(|f| f.id == id && f.version == version);
    for id in submission_ids() {
        let dir = format!("submissions/{id}");
        let file = format!("fixtures/{dir}/submission.json");
        let submission = format::parse_submission(&file, required(&format!("{dir}/submission.json"))?, find)?;
        let package = SubmissionPackage::assemble_extracted(&file, submission, |path| {
            fixture(&format!("{dir}/{path}"))
                .map(|text| text.as_bytes().to_vec())
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not among the fixtures"))
        })?;
        store.import_submission(&package)?;
        let in_scope = |code: &str| {
            package.submission.frameworks.iter().any(|fref| {
                find(&fref.id, &fref.version).is_some_and(|f| f.standard(code).is_some())
                    && fref.standards.as_ref().is_none_or(|l| l.iter().any(|c| c == code))
            })
        };
        let known = |user: &str| people.people.iter().any(|p| p.id == user);
        let panel_file = format!("fixtures/{dir}/panel.json");
        let panel = format::parse_panel(&panel_file, required(&format!("{dir}/panel.json"))?, known, in_scope)?;
        store.import_panel(&panel)?;
    }
    store.set_meta("me", &people.me)?;
    store.set_meta("kind", "demo")?;
    // The demo's hub is the Centre's.
    store.set_meta(crate::store::ORGANISATION_KEY, DEMO_ORGANISATION)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_installs_into_an_empty_cache() {
        let mut store = Store::open_in_memory().unwrap();
        install(&mut store).unwrap();
        assert_eq!(store.me().unwrap().as_deref(), Some("u-demo"));
        assert!(submission_ids().contains(&"S-2026-014"));
        assert!(store.integrity_check().unwrap() == "ok");
    }
}
