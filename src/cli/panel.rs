//! The chair's verbs: `accredit panel ...` and `accredit report`.

use std::path::PathBuf;

use clap::Subcommand;
use color_eyre::eyre::{Result, WrapErr, bail, eyre};
use jiff::civil::Date;

use accredit::domain::Outcome;
use accredit::domain::consolidation::{
    Condition, ConditionStatus, Consolidation, Decision, DecisionKind, Judged, Note, PanelOutcome, RecordEdit,
    RecordError, Removed, more_lenient_than_most_severe, needs_resolution_note, next_id, panel_rationale_required,
};
use accredit::domain::input::{check_due, parse_date, resolve_codes};
use accredit::domain::report_input::ConfirmationFacts;
use accredit::paths::DataDir;
use accredit::report::{self, Audience, Format, IssueInput};
use accredit::store::Store;

use super::OutcomeArg;

/// `--due 2026-06-30`: a date, or a message saying how to write one.
fn date_arg(text: &str) -> std::result::Result<Date, String> {
    parse_date(text)
}

#[derive(Debug, Subcommand)]
pub enum PanelCommand {
    /// Record the panel's outcome for one standard.
    #[command(
        after_help = "Examples:\n  accredit panel outcome S-2026-009 \"SET-DEMO 5.3\" --outcome partially-met \\\n      --rationale \"...\" --resolution \"The lay member's concern is upheld in part.\"\n  accredit panel outcome S-2026-009 mpf1.4 --outcome met --rationale \"Met on E03 p.4.\""
    )]
    Outcome {
        submission: String,
        /// The standard's code, such as \"MPF 1.4\" (case, spaces and hyphens are forgiven: mpf1.4).
        standard: String,
        #[arg(long, value_enum)]
        outcome: OutcomeArg,
        #[arg(long)]
        rationale: String,
        /// Why the panel differs from a reviewer (required when it does).
        #[arg(long, default_value = "")]
        resolution: String,
        /// Why a partially met or not met standard carries no condition.
        #[arg(long, default_value = "")]
        no_condition_because: String,
    },
    /// Clear the panel's outcome for one standard (it is open again).
    #[command(after_help = "Example:\n  accredit panel clear-outcome S-2026-009 mpf1.4")]
    ClearOutcome { submission: String, standard: String },
    /// Add a condition (C1, C2, …): must be met by its due date.
    #[command(
        after_help = "Example:\n  accredit panel condition S-2026-009 --standards mpf1.4,\"SET-DEMO 5.3\" \\\n      --text \"Publish the supervision agreement.\" --evidence \"The signed agreement\" --due 2026-06-30"
    )]
    Condition {
        submission: String,
        /// The standards it is tied to, comma-separated (mpf1.4 is read as MPF 1.4).
        #[arg(long, value_delimiter = ',', required = true)]
        standards: Vec<String>,
        #[arg(long)]
        text: String,
        /// What the provider must send.
        #[arg(long)]
        evidence: String,
        /// When it is due, written YYYY-MM-DD.
        #[arg(long, value_parser = date_arg)]
        due: Date,
        /// Accept a due date in the past (a condition recorded late).
        #[arg(long)]
        past_due_ok: bool,
    },
    /// Add a recommendation (R1, R2, …): advice, no deadline.
    #[command(
        after_help = "Example:\n  accredit panel recommend S-2026-009 --standards mpf1.4 --text \"Consider a supervisor forum.\""
    )]
    Recommend {
        submission: String,
        #[arg(long, value_delimiter = ',', required = true)]
        standards: Vec<String>,
        #[arg(long)]
        text: String,
    },
    /// Add a commendation (G1, G2, …): good practice.
    #[command(
        after_help = "Example:\n  accredit panel commend S-2026-009 --standards \"MPF 2.1\" --text \"Exemplary learner support.\""
    )]
    Commend {
        submission: String,
        #[arg(long, value_delimiter = ',', required = true)]
        standards: Vec<String>,
        #[arg(long)]
        text: String,
    },
    /// Edit a condition, recommendation or commendation; what is not given stays.
    #[command(
        after_help = "Examples:\n  accredit panel edit S-2026-009 C1 --due 2026-07-31\n  accredit panel edit S-2026-009 R2 --text \"Consider ...\" --standards mpf1.4,mpf1.5"
    )]
    Edit {
        submission: String,
        /// The record's id: C1, R2, G1 …
        id: String,
        #[arg(long)]
        text: Option<String>,
        /// Conditions only: what the provider must send.
        #[arg(long)]
        evidence: Option<String>,
        /// Conditions only: the new due date, YYYY-MM-DD.
        #[arg(long, value_parser = date_arg)]
        due: Option<Date>,
        #[arg(long)]
        past_due_ok: bool,
        #[arg(long, value_delimiter = ',')]
        standards: Option<Vec<String>>,
    },
    /// Remove a record never pushed; one already in a pushed report is withdrawn instead (kept
    /// in the history, out of the report; the numbering of the others does not change).
    #[command(after_help = "Example:\n  accredit panel remove S-2026-009 C2")]
    Remove { submission: String, id: String },
    /// Record the decision; one that departs from the rules needs --override-reason, and
    /// deferring needs the information requested and its due date.
    #[command(
        after_help = "Examples:\n  accredit panel decide S-2026-009 --decision accredited-with-conditions\n  accredit panel decide S-2026-009 --decision deferred \\\n      --requested-information \"The 2026 placement agreements\" --information-due 2026-05-01"
    )]
    Decide {
        submission: String,
        #[arg(long, value_parser = ["accredited", "accredited-with-conditions", "not-accredited", "deferred"])]
        decision: String,
        #[arg(long, default_value = "")]
        override_reason: String,
        /// Deferred: what the provider must send.
        #[arg(long, default_value = "")]
        requested_information: String,
        /// Deferred: by when, YYYY-MM-DD.
        #[arg(long, value_parser = date_arg)]
        information_due: Option<Date>,
        #[arg(long)]
        past_due_ok: bool,
    },
    /// Sign a condition off as met, withdraw it, or open it again.
    #[command(after_help = "Example:\n  accredit panel condition-status S-2026-009 C1 --status met")]
    ConditionStatus {
        submission: String,
        /// The condition's id, such as C1.
        condition: String,
        #[arg(long, value_parser = ["open", "met", "withdrawn"])]
        status: String,
    },
    /// Confirm, as a member of the panel, that the report the chair pushed is accurate (with an
    /// optional comment); the next push lists it in the sign-off.
    #[command(
        after_help = "Examples:\n  accredit panel confirm S-2026-009\n  accredit panel confirm S-2026-009 --comment \"C1's date should read 10 June.\""
    )]
    Confirm {
        submission: String,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// List what keeps the panel report from being complete (exit 1 if anything does).
    #[command(after_help = "Example:\n  accredit panel check S-2026-009")]
    Check { submission: String },
    /// Sync, then push the panel report to the hub as a new version (the same report again is
    /// the same version).
    #[command(after_help = "Example:\n  accredit panel push S-2026-009")]
    Push { submission: String },
    /// The versions pushed to the hub, or one of them (the chair and the accreditation office).
    #[command(
        after_help = "Examples:\n  accredit panel reports S-2026-009\n  accredit panel reports S-2026-009 --version 2 --format html --output v2.html\n  accredit panel reports S-2026-009 --version 2 --audience provider --output letter-v2.md"
    )]
    Reports {
        submission: String,
        #[arg(long)]
        version: Option<i64>,
        #[arg(long, default_value = "md", value_parser = ["md", "html", "json"])]
        format: String,
        /// provider: the letter as sent to the university; panel: the record with the appendix.
        #[arg(long, default_value = "panel", value_parser = ["provider", "panel"])]
        audience: String,
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

fn chair(store: &Store, submission: &str) -> Result<String> {
    let me = store.me()?.unwrap_or_default();
    let panel = store.panel(submission)?;
    if panel.chair != me {
        bail!(
            "only the chair of {submission}'s panel consolidates it ({} chairs it)",
            store.person_name(&panel.chair)?
        );
    }
    Ok(me)
}

/// Each standard under review with its reviewers' submitted outcomes.
fn reviewer_outcomes(store: &Store, submission: &str) -> Result<Vec<Judged>> {
    Ok(store.report_input(submission)?.judged())
}

/// The typed codes as the submission spells them (forgiving case, spaces and hyphens).
fn check_standards(known: &[Judged], wanted: &[String]) -> Result<Vec<String>> {
    Ok(resolve_codes(known.iter().map(|j| j.code.as_str()), wanted)?)
}

fn check_standard(known: &[Judged], wanted: &str) -> Result<String> {
    Ok(check_standards(known, &[wanted.to_string()])?.remove(0))
}

fn today() -> Date {
    jiff::Zoned::now().date()
}

fn check_due_date(due: Date, confirmed: bool) -> Result<()> {
    check_due(due, today(), confirmed).map_err(|e| eyre!(e))
}

fn condition_status_label(status: ConditionStatus) -> &'static str {
    match status {
        ConditionStatus::Open => "open",
        ConditionStatus::Met => "met: signed off",
        ConditionStatus::Withdrawn => "withdrawn: no longer in the report",
    }
}

fn check_text(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        bail!("--text is empty: say what the provider must do, or what the panel advises or commends");
    }
    Ok(())
}

pub fn run(data_dir: &DataDir, store: &mut Store, command: PanelCommand, max_conditions: usize) -> Result<()> {
    let submission = match &command {
        PanelCommand::Outcome { submission, .. }
        | PanelCommand::ClearOutcome { submission, .. }
        | PanelCommand::Edit { submission, .. }
        | PanelCommand::Remove { submission, .. }
        | PanelCommand::Condition { submission, .. }
        | PanelCommand::Recommend { submission, .. }
        | PanelCommand::Commend { submission, .. }
        | PanelCommand::Decide { submission, .. }
        | PanelCommand::ConditionStatus { submission, .. }
        | PanelCommand::Check { submission } => submission.clone(),
        PanelCommand::Push { submission } => return push(data_dir, store, submission),
        PanelCommand::Confirm { submission, comment } => return confirm(data_dir, submission, comment),
        PanelCommand::Reports { submission, version, format, audience, output } => {
            return reports(data_dir, store, submission, *version, format, audience, output.clone());
        }
    };
    let me = chair(store, &submission)?;
    let standards = reviewer_outcomes(store, &submission)?;
    let mut consolidation: Consolidation = store.consolidation(&submission)?;
    // The rules the chair's config sets apply from this edit on, here, on the hub and in reports.
    consolidation.max_conditions = Some(max_conditions);
    let rules = consolidation.rules();
    match command {
        PanelCommand::Outcome { standard, outcome, rationale, resolution, no_condition_because, .. } => {
            let standard = check_standard(&standards, &standard)?;
            let outcome: Outcome = outcome.into();
            let judged = standards.iter().find(|j| j.code == standard).expect("checked above");
            if panel_rationale_required(outcome, &judged.rationale_required) && rationale.trim().is_empty() {
                bail!("the panel's {} needs a rationale in the panel's own words", outcome.label());
            }
            let reviewers = &judged.reviewers;
            if needs_resolution_note(outcome, reviewers) && resolution.trim().is_empty() {
                bail!(
                    "{standard}: the panel's {} differs from a reviewer's; say why with --resolution",
                    outcome.label()
                );
            }
            if more_lenient_than_most_severe(outcome, reviewers) {
                eprintln!("warning: {standard}: {} is more lenient than the most severe reviewer", outcome.label());
            }
            let record = PanelOutcome {
                standard: standard.clone(),
                outcome,
                rationale,
                resolution_note: resolution,
                no_condition_reason: no_condition_because,
            };
            match consolidation.outcomes.iter_mut().find(|o| o.standard == standard) {
                Some(existing) => *existing = record,
                None => consolidation.outcomes.push(record),
            }
            println!("{submission} {standard}: the panel's outcome is {}", outcome.label());
        }
        PanelCommand::ClearOutcome { standard, .. } => {
            let standard = check_standard(&standards, &standard)?;
            let before = consolidation.outcomes.len();
            consolidation.outcomes.retain(|o| o.standard != standard);
            if consolidation.outcomes.len() == before {
                bail!("{submission} {standard} has no panel outcome to clear");
            }
            println!("{submission} {standard}: the panel's outcome is cleared (open again)");
        }
        PanelCommand::Edit { id, text, evidence, due, past_due_ok, standards: tied, .. } => {
            let tied = tied.map(|t| check_standards(&standards, &t)).transpose()?;
            if let Some(text) = &text {
                check_text(text)?;
            }
            if let Some(due) = due {
                check_due_date(due, past_due_ok)?;
            }
            let edit = RecordEdit { text, evidence, due, standards: tied };
            let id = consolidation.edit_record(&id, edit).map_err(|e| match e {
                RecordError::Nothing => {
                    eyre!("nothing to change: give --text, --standards, or for a condition --evidence or --due")
                }
                e => eyre!("{submission} {e}"),
            })?;
            match consolidation.conditions.iter().find(|c| c.id == id) {
                Some(c) => println!("{submission} {id}: edited (due {}, {})", c.due, c.standards.join(", ")),
                None => {
                    let notes = consolidation.recommendations.iter().chain(&consolidation.commendations);
                    let tied = notes.filter(|n| n.id == id).flat_map(|n| n.standards.clone()).collect::<Vec<_>>();
                    println!("{submission} {id}: edited ({})", tied.join(", "));
                }
            }
        }
        PanelCommand::Remove { id, .. } => {
            let pushed = store.last_pushed_report(&submission)?.is_some();
            match consolidation.remove_record(&id, pushed).map_err(|e| eyre!("{submission} {e}"))? {
                Removed::Removed(id) => println!("{submission} {id}: removed"),
                Removed::Withdrawn(id) => {
                    println!("{submission} {id}: withdrawn (a pushed report carried it; kept in the history)")
                }
            }
        }
        PanelCommand::Condition { standards: tied, text, evidence, due, past_due_ok, .. } => {
            let tied = check_standards(&standards, &tied)?;
            check_text(&text)?;
            check_due_date(due, past_due_ok)?;
            let id = next_id('C', consolidation.conditions.iter().map(|c| c.id.as_str()));
            println!("added condition {id}, due {due}");
            consolidation.conditions.push(Condition {
                id,
                standards: tied,
                text,
                evidence_required: evidence,
                due,
                status: ConditionStatus::Open,
                signed_off_on: None,
            });
        }
        PanelCommand::Recommend { standards: tied, text, .. } => {
            let tied = check_standards(&standards, &tied)?;
            check_text(&text)?;
            let id = next_id('R', consolidation.recommendations.iter().map(|n| n.id.as_str()));
            println!("added recommendation {id}");
            consolidation.recommendations.push(Note { id, standards: tied, text, withdrawn: false });
        }
        PanelCommand::Commend { standards: tied, text, .. } => {
            let tied = check_standards(&standards, &tied)?;
            check_text(&text)?;
            let id = next_id('G', consolidation.commendations.iter().map(|n| n.id.as_str()));
            println!("added commendation {id}");
            consolidation.commendations.push(Note { id, standards: tied, text, withdrawn: false });
        }
        PanelCommand::Decide {
            decision, override_reason, requested_information, information_due, past_due_ok, ..
        } => {
            let kind = DecisionKind::parse(&decision).ok_or_else(|| eyre!("unknown decision {decision}"))?;
            if kind == DecisionKind::Deferred {
                if requested_information.trim().is_empty() || information_due.is_none() {
                    bail!(
                        "deferring asks the provider for something by a date: give --requested-information \"...\" and --information-due YYYY-MM-DD"
                    );
                }
            } else if !requested_information.trim().is_empty() || information_due.is_some() {
                bail!("--requested-information and --information-due go with --decision deferred only");
            }
            if let Some(due) = information_due {
                check_due_date(due, past_due_ok)?;
            }
            let suggested = consolidation.suggested_decision(rules);
            if consolidation.contradicts_rules(kind, rules) && override_reason.trim().is_empty() {
                bail!(
                    "the rules suggest \"{}\"; to decide \"{}\" instead, give --override-reason",
                    suggested.label(),
                    kind.label()
                );
            }
            consolidation.decision =
                Some(Decision { requested_information, information_due, ..Decision::new(kind, override_reason) });
            println!("{submission}: {}", kind.label());
        }
        PanelCommand::ConditionStatus { condition, status, .. } => {
            let status = match status.as_str() {
                "met" => ConditionStatus::Met,
                "withdrawn" => ConditionStatus::Withdrawn,
                _ => ConditionStatus::Open,
            };
            let Some(record) = consolidation.conditions.iter_mut().find(|c| c.id.eq_ignore_ascii_case(&condition))
            else {
                let ids: Vec<&str> = consolidation.conditions.iter().map(|c| c.id.as_str()).collect();
                bail!(
                    "{submission} has no condition {condition} (its conditions: {})",
                    if ids.is_empty() { "none".to_string() } else { ids.join(", ") }
                );
            };
            record.status = status;
            let id = record.id.clone();
            store.save_consolidation(&submission, &me, &consolidation)?;
            let signed = store.consolidation(&submission)?;
            let on = signed.conditions.iter().find(|c| c.id == id).and_then(|c| c.signed_off_on);
            match on {
                Some(on) => println!("{submission} {id}: {} on {on}", condition_status_label(status)),
                None => println!("{submission} {id}: {}", condition_status_label(status)),
            }
            return Ok(());
        }
        PanelCommand::Check { .. } => {
            let problems = consolidation.problems(&standards, rules);
            if problems.is_empty() {
                // The decision the chair recorded (complete means there is one), not a suggestion.
                let decided = consolidation.decision.as_ref().map_or("no decision", |d| d.kind.label());
                println!("{submission}: the panel report is complete (decision recorded: {decided})");
                return Ok(());
            }
            bail!(
                "{submission}: {} thing{} to settle before the report is complete:\n  {}",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                problems.join("\n  ")
            );
        }
        // Answered above, before the consolidation is loaded.
        PanelCommand::Push { .. } | PanelCommand::Reports { .. } | PanelCommand::Confirm { .. } => return Ok(()),
    }
    store.save_consolidation(&submission, &me, &consolidation)?;
    Ok(())
}

/// Syncs (so the hub has the latest consolidation), then asks the hub to publish the report.
fn push(data_dir: &DataDir, store: &mut Store, submission: &str) -> Result<()> {
    chair(store, submission)?;
    let problems = store.report_input(submission)?.problems();
    if !problems.is_empty() {
        bail!(
            "{submission}: the report is not complete, {} thing(s) to settle first:\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    super::sync::sync(data_dir, store)?;
    let (client, _) = super::sync::client(data_dir)?;
    // The organisation's name heads the report; keep the hub's, so drafts here match it.
    if let Ok((_, Some(organisation))) = client.me_and_organisation() {
        store.set_meta(accredit::store::ORGANISATION_KEY, &organisation)?;
    }
    // The members' confirmations go into the sign-off; kept here too, so drafts match the hub.
    let confirmations =
        client.confirmations(submission).wrap_err_with(|| format!("cannot read the confirmations of {submission}"))?;
    let facts: Vec<ConfirmationFacts> = confirmations.confirmations.iter().map(ConfirmationFacts::from).collect();
    store.record_confirmations(submission, &facts)?;
    let pushed = client.push_report(submission).wrap_err_with(|| format!("cannot push the report of {submission}"))?;
    let r = &pushed.report;
    // Kept here so the Report screen can show what changed since.
    let markdown = client.report(submission, r.version, "md")?;
    let markdown = report::kept_markdown(&store.report_input(submission)?, &r.sha256, &markdown);
    store.record_pushed_report(submission, r.version, &r.sha256, &markdown, &r.pushed_by)?;
    if pushed.created {
        println!("pushed the panel report of {submission} as version {} (sha256 {})", r.version, &r.sha256[..12]);
    } else {
        println!(
            "the hub already holds this report as version {} (sha256 {}): nothing new to push",
            r.version,
            &r.sha256[..12]
        );
    }
    if confirmations.awaiting.is_empty() {
        println!("every member has confirmed the report");
    } else {
        println!("not yet confirmed by: {}", confirmations.awaiting.join(", "));
    }
    Ok(())
}

/// A member confirms the latest pushed report.
fn confirm(data_dir: &DataDir, submission: &str, comment: &str) -> Result<()> {
    let (client, _) = super::sync::client(data_dir)?;
    let done = client
        .confirm(submission, comment, None)
        .wrap_err_with(|| format!("cannot confirm the report of {submission}"))?;
    println!(
        "{} confirmed version {} of the report of {submission}{}",
        done.name,
        done.version,
        if done.comment.is_empty() { String::new() } else { format!(", commenting: {}", done.comment) }
    );
    Ok(())
}

fn reports(
    data_dir: &DataDir,
    store: &Store,
    submission: &str,
    version: Option<i64>,
    format: &str,
    audience: &str,
    output: Option<PathBuf>,
) -> Result<()> {
    let (client, _) = super::sync::client(data_dir)?;
    let versions = client.reports(submission).wrap_err_with(|| format!("cannot list the reports of {submission}"))?;
    let Some(version) = version else {
        if versions.is_empty() {
            println!("no report of {submission} has been pushed yet");
        }
        for r in versions {
            // Names, not user ids; an id the cache does not know stays as it is.
            let by = store.person_name(&r.pushed_by).unwrap_or_else(|_| r.pushed_by.clone());
            println!(
                "version {}  pushed {} by {}  sha256 {}",
                r.version,
                r.pushed_at,
                by,
                r.sha256.get(..12).unwrap_or(&r.sha256)
            );
        }
        return Ok(());
    };
    if !versions.iter().any(|r| r.version == version) {
        let existing: Vec<String> = versions.iter().map(|r| r.version.to_string()).collect();
        bail!(
            "{submission} has no report version {version}: {}",
            if existing.is_empty() {
                "none has been pushed yet".to_string()
            } else {
                format!("the hub holds version{} {}", if existing.len() == 1 { "" } else { "s" }, existing.join(", "))
            }
        );
    }
    let text = client.report_for(submission, version, format, audience)?;
    match output {
        Some(path) => {
            std::fs::write(&path, text).wrap_err_with(|| format!("cannot write {}", path.display()))?;
            println!("wrote version {version} of the report of {submission} to {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

/// Builds the report as the chair's cache sees it: FINAL with the hub's version when the
/// consolidation is exactly what was last pushed, DRAFT otherwise.
pub fn build_report(store: &Store, submission: &str, audience: Audience) -> Result<report::Report> {
    let mut input = store.report_input(submission)?;
    let draft = report::build(&input);
    if let Some((version, sha256, pushed_at)) = store.last_pushed_version(submission)?
        && report::content_sha256(&draft) == sha256
    {
        let issued_on = pushed_at.get(..10).unwrap_or(&pushed_at).to_string();
        input.issue = IssueInput::Final { version, issued_on };
        return Ok(report::build(&input).for_audience(audience));
    }
    Ok(draft.for_audience(audience))
}

pub fn report(store: &Store, submission: &str, format: &str, audience: &str, output: Option<PathBuf>) -> Result<()> {
    let audience = Audience::parse(audience).ok_or_else(|| eyre!("--audience is provider or panel, not {audience}"))?;
    chair(store, submission)?;
    let report = build_report(store, submission, audience)?;
    let label = match audience {
        Audience::Provider => "the provider's report",
        Audience::Panel => "the panel's record (with the internal appendix)",
    };
    if format == "pdf" {
        let Some(path) = output else {
            bail!("--format pdf writes a file: give --output FILE.pdf");
        };
        let html = report::render(&report, Format::Html);
        report::pdf::print(&html, &path).wrap_err_with(|| format!("cannot print {submission} to PDF"))?;
        println!("wrote {label} of {submission} to {} ({})", path.display(), report.issue.status_words());
        return Ok(());
    }
    let format = Format::parse(format).ok_or_else(|| eyre!("--format is md, html, json or pdf, not {format}"))?;
    let text = report::render(&report, format);
    match output {
        Some(path) => {
            std::fs::write(&path, text).wrap_err_with(|| format!("cannot write {}", path.display()))?;
            println!("wrote {label} of {submission} to {} ({})", path.display(), report.issue.status_words());
        }
        None => print!("{text}"),
    }
    Ok(())
}
