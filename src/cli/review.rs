//! The reviewer's scriptable verbs: `status`, `judge`, `submit`.

use std::io::Read;
use std::path::Path;

use color_eyre::eyre::{Result, WrapErr, bail};
use jiff::civil::Date;
use serde_json::json;

use accredit::domain::{Gap, MemberRole, Outcome, Stage};
use accredit::store::{Assignment, Store, StoreError};
use accredit::text::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFormat {
    /// Aligned columns for people at a terminal.
    Table,
    /// One fact per line, no symbols or columns, for screen readers.
    Plain,
    /// `accredit.status.v1`.
    Json,
}

pub fn status(store: &Store, today: &Date, format: StatusFormat) -> Result<()> {
    let me = store.me()?.unwrap_or_default();
    let name = store.person_name(&me)?;
    let assignments = store.assignments(&me)?;
    let unsynced = store.unsynced_count()?;
    let last_sync = store.meta("last_sync")?;
    if format == StatusFormat::Plain {
        print!("{}", plain_status(&name, &me, unsynced, last_sync.as_deref(), &assignments, *today));
        return Ok(());
    }
    if format == StatusFormat::Json {
        let doc = json!({
            "format": "accredit.status.v1",
            "user": { "id": me, "name": name },
            "unsynced": unsynced,
            "last_sync": last_sync,
            "assignments": assignments.iter().map(|a| json!({
                "submission": a.submission,
                "provider": a.provider,
                "programme": a.programme,
                "stage": a.stage.as_str(),
                "role": a.role.as_str(),
                "recused": a.recused,
                "due": a.due.to_string(),
                "overdue": a.overdue(*today),
                "judged": a.done,
                "total": a.total,
                "submitted": a.submitted,
                "reviewers_submitted": a.reviewers_submitted,
                "reviewers_total": a.reviewers_total,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    println!(
        "{} ({}) · {} unsynced change{} · {}",
        sanitize(&name),
        sanitize(&me),
        unsynced,
        if unsynced == 1 { "" } else { "s" },
        last_sync.map_or("never synced".to_string(), |t| format!("last sync {t}"))
    );
    if assignments.is_empty() {
        println!("You are on no panel in this cache.");
        return Ok(());
    }
    println!();
    println!("{:<12} {:<10} {:<20} {:<22} PROGRAMME", "SUBMISSION", "ROLE", "DUE", "PROGRESS");
    for a in &assignments {
        let due = if a.overdue(*today) { format!("{} overdue", a.due) } else { a.due.to_string() };
        println!(
            "{:<12} {:<10} {:<20} {:<22} {}",
            sanitize(&a.submission),
            if a.recused { "recused" } else { a.role.as_str() },
            due,
            progress(a),
            sanitize(&a.programme)
        );
    }
    Ok(())
}

/// The status as sentences, one fact per line, each submission in its own paragraph.
fn plain_status(
    name: &str,
    me: &str,
    unsynced: usize,
    last_sync: Option<&str>,
    assignments: &[Assignment],
    today: Date,
) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(format!("User: {} ({})", sanitize(name), sanitize(me)));
    line(format!("Unsynced changes: {unsynced}"));
    line(format!("Last sync: {}", last_sync.map_or("never".to_string(), |t| sanitize(t).into_owned())));
    line(format!("Submissions: {}", assignments.len()));
    for a in assignments {
        line(String::new());
        line(format!("Submission: {}", sanitize(&a.submission)));
        line(format!("Programme: {}", sanitize(&a.programme)));
        line(format!("Provider: {}", sanitize(&a.provider)));
        line(format!("Stage: {}", a.stage.label()));
        line(format!("Role: {}", if a.recused { "recused" } else { a.role.label() }));
        let overdue = if a.overdue(today) { ", overdue" } else { "" };
        line(format!("Due: {}{overdue}", a.due));
        line(format!("Progress: {}", plain_progress(a)));
    }
    out
}

fn plain_progress(a: &Assignment) -> String {
    match a.role {
        _ if a.recused => "none, you are recused".into(),
        MemberRole::Chair => format!("{} of {} reviewers have submitted", a.reviewers_submitted, a.reviewers_total),
        MemberRole::Officer => "none, you do not judge".into(),
        _ if a.stage == Stage::Returned => "none, returned without a standards review".into(),
        _ if a.submitted => "submitted".into(),
        _ => format!("{} of {} standards judged", a.done, a.total),
    }
}

fn progress(a: &Assignment) -> String {
    match a.role {
        _ if a.recused => "-".into(),
        MemberRole::Chair => format!("{}/{} reviewers in", a.reviewers_submitted, a.reviewers_total),
        MemberRole::Officer => "-".into(),
        _ if a.stage == Stage::Returned => "returned, no review".into(),
        _ if a.submitted => "submitted".into(),
        _ => format!("{}/{} judged", a.done, a.total),
    }
}

pub fn read_rationale_file(file: &Path) -> Result<String> {
    let mut text = String::new();
    if file == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).wrap_err("cannot read the rationale from standard input")?;
    } else {
        text = std::fs::read_to_string(file)
            .wrap_err_with(|| format!("cannot read the rationale file {}", file.display()))?;
    }
    Ok(text.strip_suffix('\n').unwrap_or(&text).to_string())
}

pub fn judge(
    store: &mut Store,
    submission: &str,
    standard: &str,
    outcome: Outcome,
    rationale: Option<String>,
) -> Result<()> {
    let me = store.me()?.unwrap_or_default();
    let review = store.load_review(submission, &me)?;
    let codes: Vec<&str> = review.standards().map(|s| s.code.as_str()).collect();
    let code = resolve_standard(codes.iter().copied(), standard)
        .ok_or_else(|| StoreError::UnknownStandard { submission: submission.into(), standard: standard.into() })?;
    let current =
        review.standards().find(|s| s.code == code).and_then(|s| s.mine.as_ref()).map(|j| j.rationale.clone());
    let rationale = rationale.or(current).unwrap_or_default();
    let saved = store.save_judgement(submission, &code, &me, Some(outcome), &rationale)?;
    println!("{submission} {code}: {} (draft, saved; submit with `accredit submit {submission}`)", outcome.label());
    let required =
        review.standards().find(|s| s.code == code).map(|s| s.rationale_required.clone()).unwrap_or_default();
    if let Some(gap @ Gap::RationaleRequired(_)) = Gap::of(saved.outcome, &saved.rationale, &required) {
        eprintln!("note: {}: add one with --rationale before submitting", gap.describe());
    }
    Ok(())
}

/// Finds the standard the user means, forgiving case, spaces and hyphens (`mpf1.6`, `MPF-1.6`).
fn resolve_standard<'a>(codes: impl Iterator<Item = &'a str> + Clone, wanted: &str) -> Option<String> {
    accredit::domain::input::resolve_code(codes, wanted)
}

pub fn submit(store: &mut Store, submission: &str) -> Result<()> {
    let me = store.me()?.unwrap_or_default();
    match store.submit(submission, &me) {
        Ok(done) => {
            println!(
                "Submitted {} judgements for {submission}. They are read-only now; other members' submitted judgements are visible to you.",
                done.submitted
            );
            Ok(())
        }
        Err(StoreError::Gaps { submission, gaps }) => {
            let list: Vec<String> = gaps.iter().map(|(code, gap)| format!("  {code}: {}", gap.describe())).collect();
            bail!(
                "{submission} cannot be submitted yet, {} gap{} to close:\n{}",
                gaps.len(),
                if gaps.len() == 1 { "" } else { "s" },
                list.join("\n")
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::resolve_standard;

    #[test]
    fn standard_codes_are_forgiving_but_not_ambiguous() {
        let codes = ["MPF 1.6", "MPF 1.1", "SET-DEMO 4.1"];
        assert_eq!(resolve_standard(codes.iter().copied(), "MPF 1.6").as_deref(), Some("MPF 1.6"));
        assert_eq!(resolve_standard(codes.iter().copied(), "mpf1.6").as_deref(), Some("MPF 1.6"));
        assert_eq!(resolve_standard(codes.iter().copied(), "set demo 4.1").as_deref(), Some("SET-DEMO 4.1"));
        assert_eq!(resolve_standard(codes.iter().copied(), "MPF 9.9"), None);
    }
}
