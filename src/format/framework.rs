use std::collections::HashSet;

use serde::Deserialize;

use super::{Checker, FRAMEWORK_FORMAT, FormatError, is_identifier, parse_json};
use crate::domain::{Framework, Outcome, Section};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkFile {
    #[allow(dead_code)]
    format: String,
    id: String,
    version: String,
    title: String,
    #[serde(default = "official_by_default")]
    official: bool,
    #[serde(default)]
    note: Option<String>,
    rationale_required: Vec<Outcome>,
    sections: Vec<Section>,
}

fn official_by_default() -> bool {
    true
}

/// Parses and validates a `framework.json`; `file` names it in errors.
pub fn parse_framework(file: &str, text: &str) -> Result<Framework, FormatError> {
    let f: FrameworkFile = parse_json(file, text, FRAMEWORK_FORMAT)?;
    let mut check = Checker::default();
    if !is_identifier(&f.id, &['-']) || f.id.chars().any(|c| c.is_ascii_uppercase()) {
        check.push(
            "id",
            format!("\"{}\" is not a framework id", f.id),
            "use lower-case letters, digits and '-', like \"mpf-2017\"",
        );
    }
    check.non_empty(|| "version".into(), &f.version);
    check.non_empty(|| "title".into(), &f.title);
    if f.sections.is_empty() {
        check.push("sections", "there are no sections", "a framework needs at least one section of standards");
    }
    let mut section_codes = HashSet::new();
    let mut standard_codes = HashSet::new();
    for (i, section) in f.sections.iter().enumerate() {
        check.non_empty(|| format!("sections[{i}].code"), &section.code);
        check.non_empty(|| format!("sections[{i}].title"), &section.title);
        if !section_codes.insert(section.code.as_str()) {
            check.push(
                format!("sections[{i}].code"),
                format!("section code \"{}\" is used twice", section.code),
                "give each section its own code",
            );
        }
        if section.standards.is_empty() {
            check.push(
                format!("sections[{i}].standards"),
                "the section has no standards",
                "add its standards or remove the section",
            );
        }
        for (j, standard) in section.standards.iter().enumerate() {
            let at = |field: &str| format!("sections[{i}].standards[{j}].{field}");
            check.non_empty(|| at("code"), &standard.code);
            check.non_empty(|| at("title"), &standard.title);
            check.non_empty(|| at("statement"), &standard.statement);
            if !standard.code.trim().is_empty() && !standard_codes.insert(standard.code.as_str()) {
                check.push(
                    at("code"),
                    format!("standard code \"{}\" is used twice", standard.code),
                    "standard codes must be unique in a framework",
                );
            }
        }
    }
    let framework = Framework {
        id: f.id,
        version: f.version,
        title: f.title,
        official: f.official,
        note: f.note,
        rationale_required: f.rationale_required,
        sections: f.sections,
    };
    check.finish(file, framework)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
      "format": "accredit.framework.v1", "id": "mpf-2017", "version": "2017", "title": "MPF",
      "rationale_required": ["partially_met", "not_met"],
      "sections": [{"code": "P1", "title": "Clinical practice", "standards": [
        {"code": "MPF 1.1", "title": "Scope", "statement": "Practise within scope.", "guidance": "Look."}
      ]}]
    }"#;

    #[test]
    fn a_good_framework_parses() {
        let f = parse_framework("f.json", GOOD).unwrap();
        assert_eq!(f.id, "mpf-2017");
        assert!(f.official);
        assert_eq!(f.standard("MPF 1.1").unwrap().title, "Scope");
    }
}
