use std::fmt;

/// One thing wrong in a file: where, what, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A JSON path (`sections[0].standards[2].code`) or `line L, column C`.
    pub location: String,
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn new(location: impl Into<String>, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self { location: location.into(), message: message.into(), hint: hint.into() }
    }
}

/// Every problem found in one file, reported together so a fix needs one round trip.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FormatError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl FormatError {
    pub fn new(file: &str, problems: Vec<Problem>) -> Self {
        Self { file: file.to_string(), problems }
    }

    pub fn one(file: &str, problem: Problem) -> Self {
        Self::new(file, vec![problem])
    }

    pub fn syntax(file: &str, error: &serde_json::Error) -> Self {
        let hint = match error.classify() {
            serde_json::error::Category::Io => "check the file can be read",
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                "fix the JSON syntax there (a missing comma, quote or bracket?)"
            }
            serde_json::error::Category::Data => "see docs/formats.md for the fields and values this file may hold",
        };
        // serde_json appends " at line L column C"; the location is reported separately.
        let message = error.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        Self::one(file, Problem::new(format!("line {}, column {}", error.line(), error.column()), message, hint))
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "{}: {}: {} ({})", self.file, one.location, one.message, one.hint),
            many => {
                write!(f, "{}: {} problems:", self.file, many.len())?;
                for p in many {
                    write!(f, "\n  {}: {} ({})", p.location, p.message, p.hint)?;
                }
                Ok(())
            }
        }
    }
}
