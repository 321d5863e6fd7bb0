//! What is wrong with a config file: every problem at once, each with its line, its key and
//! what is allowed there.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// 1-based line in the file; 0 when the problem is about the file as a whole.
    pub line: usize,
    /// The dotted key, such as `keys.review.judge_met`; empty for a syntax error.
    pub key: String,
    pub message: String,
    /// What is allowed, or what to do.
    pub hint: String,
}

impl ConfigProblem {
    pub fn new(line: usize, key: impl Into<String>, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self { line, key: key.into(), message: message.into(), hint: hint.into() }
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}", self.line)?;
            if !self.key.is_empty() {
                f.write_str(", ")?;
            }
        }
        if !self.key.is_empty() {
            f.write_str(&self.key)?;
        }
        write!(f, ": {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, " ({})", self.hint)?;
        }
        Ok(())
    }
}

/// Every problem found in one config file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub file: String,
    pub problems: Vec<ConfigProblem>,
}

impl ConfigError {
    pub fn new(file: impl Into<String>, mut problems: Vec<ConfigProblem>) -> Self {
        problems.sort_by_key(|p| p.line);
        Self { file: file.into(), problems }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "{}: {one}", self.file),
            many => {
                write!(f, "{}: {} problems:", self.file, many.len())?;
                for p in many {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
        }
    }
}
