//! What people type, read forgivingly and checked once: standard codes and dates. The CLI and the
//! TUI call these, so every verb forgives and refuses the same things in the same words.

use jiff::civil::Date;

/// Finds the standard the user means among `codes`, forgiving case, spaces and hyphens
/// (`mpf1.6`, `MPF-1.6` for `MPF 1.6`); `None` when nothing (or more than one) matches.
pub fn resolve_code<'a>(codes: impl Iterator<Item = &'a str> + Clone, wanted: &str) -> Option<String> {
    let wanted = wanted.trim();
    if let Some(exact) = codes.clone().find(|c| *c == wanted) {
        return Some(exact.to_string());
    }
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_lowercase();
    let wanted = squash(wanted);
    if wanted.is_empty() {
        return None;
    }
    let mut matches = codes.filter(|c| squash(c) == wanted);
    match (matches.next(), matches.next()) {
        (Some(one), None) => Some(one.to_string()),
        _ => None,
    }
}

/// Why a list of typed codes cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("no standard given: name one or more, such as --standards \"MPF 1.4\" or --standards mpf1.4,mpf1.5")]
    Empty,
    #[error("\"{0}\" is not under review in this submission (codes such as \"MPF 1.4\" or mpf1.4)")]
    Unknown(String),
}

/// Every typed code resolved, in order and without repeats; refuses an empty list and names the
/// first code that is not under review.
pub fn resolve_codes<'a>(
    codes: impl Iterator<Item = &'a str> + Clone,
    wanted: &[String],
) -> Result<Vec<String>, CodeError> {
    let mut out: Vec<String> = Vec::new();
    for typed in wanted.iter().filter(|w| !w.trim().is_empty()) {
        let code = resolve_code(codes.clone(), typed).ok_or_else(|| CodeError::Unknown(typed.trim().to_string()))?;
        if !out.contains(&code) {
            out.push(code);
        }
    }
    if out.is_empty() {
        return Err(CodeError::Empty);
    }
    Ok(out)
}

/// Reads a date written `YYYY-MM-DD`, saying how to write it when it is not.
pub fn parse_date(text: &str) -> Result<Date, String> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| format!("\"{}\" is not a date: write it as YYYY-MM-DD, such as 2026-06-30", text.trim()))
}

/// A due date in the past is a slip unless the chair confirms it (a condition recorded late).
pub fn check_due(due: Date, today: Date, confirmed: bool) -> Result<(), String> {
    if due < today && !confirmed {
        return Err(format!(
            "{due} is in the past (today is {today}): give a future date, or confirm a past one with --past-due-ok"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_codes_are_forgiving_but_not_ambiguous() {
        let codes = ["MPF 1.6", "MPF 1.1", "SET-DEMO 4.1", "MPF 1.4"];
        assert_eq!(resolve_code(codes.iter().copied(), "MPF 1.6").as_deref(), Some("MPF 1.6"));
        assert_eq!(resolve_code(codes.iter().copied(), "mpf1.4").as_deref(), Some("MPF 1.4"));
        assert_eq!(resolve_code(codes.iter().copied(), "set demo 4.1").as_deref(), Some("SET-DEMO 4.1"));
        assert_eq!(resolve_code(codes.iter().copied(), "MPF 9.9"), None);
        assert_eq!(resolve_code(codes.iter().copied(), "  "), None);
        assert_eq!(resolve_code(["A 1", "A1"].iter().copied(), "a-1"), None, "ambiguous");
    }

    #[test]
    fn lists_of_codes_refuse_empty_and_name_the_unknown() {
        let codes = ["MPF 1.4", "MPF 1.5"];
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            resolve_codes(codes.iter().copied(), &list(&["mpf1.5", "MPF 1.4", "mpf 1.5"])),
            Ok(list(&["MPF 1.5", "MPF 1.4"]))
        );
        assert_eq!(resolve_codes(codes.iter().copied(), &list(&[""])), Err(CodeError::Empty));
        assert!(CodeError::Empty.to_string().contains("no standard given"));
        assert_eq!(
            resolve_codes(codes.iter().copied(), &list(&["mpf1.4", "x9"])),
            Err(CodeError::Unknown("x9".into()))
        );
    }

    #[test]
    fn dates_say_how_to_write_them_and_past_due_dates_need_confirming() {
        assert_eq!(parse_date(" 2026-06-30 "), Ok(jiff::civil::date(2026, 6, 30)));
        assert!(parse_date("30/06/2026").unwrap_err().contains("write it as YYYY-MM-DD"));
        let today = jiff::civil::date(2026, 3, 1);
        assert!(check_due(jiff::civil::date(2020, 1, 1), today, false).unwrap_err().contains("in the past"));
        assert_eq!(check_due(jiff::civil::date(2020, 1, 1), today, true), Ok(()));
        assert_eq!(check_due(today, today, false), Ok(()));
    }
}
