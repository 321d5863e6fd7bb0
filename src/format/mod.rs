//! Reading and validating the files accredit imports (docs/formats.md).
//!
//! Parsing is pure (text in, value or every problem out) so it is tested without files;
//! `load_*` functions add the reading.

mod error;
pub mod form;
mod framework;
pub mod media;
mod panel;
mod submission;

pub use error::{FormatError, Problem};
pub use framework::parse_framework;
pub use panel::{DemoPeople, PanelJudgement, PanelPackage, parse_panel, parse_people};
pub use submission::{
    Original, Reuse, SubmissionPackage, load_submission_dir, load_submission_dir_reusing, parse_submission,
};

pub const FRAMEWORK_FORMAT: &str = "accredit.framework.v1";
pub const SUBMISSION_FORMAT: &str = "accredit.submission.v1";
pub const PANEL_FORMAT: &str = "accredit.demo-panel.v1";
pub const PEOPLE_FORMAT: &str = "accredit.demo-people.v1";

use serde::de::DeserializeOwned;

/// Parses JSON text into `T` after checking its `format` field.
fn parse_json<T: DeserializeOwned>(file: &str, text: &str, expected_format: &str) -> Result<T, FormatError> {
    #[derive(serde::Deserialize)]
    struct Probe {
        format: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_str(text).map_err(|e| FormatError::syntax(file, &e))?;
    match probe.format {
        Some(serde_json::Value::String(f)) if f == expected_format => {}
        Some(other) => {
            return Err(FormatError::one(
                file,
                Problem::new(
                    "format",
                    format!("the format is {other}, not \"{expected_format}\""),
                    format!(
                        "is this the right kind of file? A {} file starts with \"format\": \"{expected_format}\"",
                        kind(expected_format)
                    ),
                ),
            ));
        }
        None => {
            return Err(FormatError::one(
                file,
                Problem::new(
                    "format",
                    "the \"format\" field is missing",
                    format!("add \"format\": \"{expected_format}\" at the top of the object"),
                ),
            ));
        }
    }
    serde_json::from_str(text).map_err(|e| FormatError::syntax(file, &e))
}

fn kind(format: &str) -> &str {
    format.trim_start_matches("accredit.").split('.').next().unwrap_or(format)
}

/// Collects problems found while checking a parsed file.
#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn non_empty(&mut self, path: impl FnOnce() -> String, value: &str) {
        if value.trim().is_empty() {
            self.problems.push(Problem::new(path(), "is empty", "write a value"));
        }
    }

    fn push(&mut self, path: impl Into<String>, message: impl Into<String>, hint: impl Into<String>) {
        self.problems.push(Problem::new(path, message, hint));
    }

    fn finish<T>(self, file: &str, value: T) -> Result<T, FormatError> {
        if self.problems.is_empty() { Ok(value) } else { Err(FormatError::new(file, self.problems)) }
    }
}

fn is_identifier(text: &str, extra: &[char]) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
}
