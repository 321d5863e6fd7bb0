//! The chair's verbs: `accredit panel ...` and `accredit report`.

use std::path::PathBuf;

use clap::Subcommand;
use color_eyre::eyre::{Result, WrapErr, bail, eyre};
use jiff::civil::Date;

use accredit::domain::Outcome;
use accredit::domain::consolidation::{
    Condition, ConditionStatus, Consolidation, Decision, DecisionKind, Note, PanelOutcome,
    more_lenient_than_most_severe, needs_resolution_note, next_id,
};
use accredit::paths::DataDir;
use accredit::report::{self, Format};
use accredit::store::Store;

use super::OutcomeArg;

#[derive(Debug, Subcommand)]
pub enum PanelCommand {
    /// Record the panel's outcome for one standard.
    #[command(
        after_help = "Example:\n  accredit panel outcome S-2026-009 \"SET-DEMO 5.3\" --outcome partially-met \\\n      --rationale \"...\" --resolution \"The lay member's concern is upheld in part.\""
    )]
    Outcome {
        submission: String,
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
    /// Add a condition (C1, C2, …): must be met by its due date.
    Condition {
        submission: String,
        /// The standards it is tied to, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        standards: Vec<String>,
        #[arg(long)]
        text: String,
        /// What the provider must send.
        #[arg(long)]
        evidence: String,
        #[arg(long)]
        due: Date,
    },
    /// Add a recommendation (R1, R2, …): advice, no deadline.
    Recommend {
        submission: String,
        #[arg(long, value_delimiter = ',', required = true)]
        standards: Vec<String>,
        #[arg(long)]
        text: String,
    },
    /// Add a commendation (G1, G2, …): good practice.
    Commend {
        submission: String,
        #[arg(long, value_delimiter = ',', required = true)]
        standards: Vec<String>,
        #[arg(long)]
        text: String,
    },
    /// Record the decision; one that departs from the rules needs --override-reason.
    Decide {
        submission: String,
        #[arg(long, value_parser = ["accredited", "accredited-with-conditions", "not-accredited", "deferred"])]
        decision: String,
        #[arg(long, default_value = "")]
        override_reason: String,
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
    /// List what keeps the panel report from being complete (exit 1 if anything does).
    Check { submission: String },
    /// Sync, then push the panel report to the hub as a new version (the same report again is
    /// the same version).
    #[command(after_help = "Example:\n  accredit panel push S-2026-009")]
    Push { submission: String },
    /// The versions pushed to the hub, or one of them (the chair and the accreditation office).
    #[command(
        after_help = "Examples:\n  accredit panel reports S-2026-009\n  accredit panel reports S-2026-009 --version 2 --format html --output v2.html"
    )]
    Reports {
        submission: String,
        #[arg(long)]
        version: Option<i64>,
        #[arg(long, default_value = "md", value_parser = ["md", "html", "json"])]
        format: String,
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
fn reviewer_outcomes(store: &Store, submission: &str) -> Result<Vec<(String, Vec<Outcome>)>> {
    let input = store.report_input(submission)?;
    Ok(input
        .standards
        .iter()
        .map(|s| (s.code.clone(), input.judgements.iter().filter(|(c, ..)| c == &s.code).map(|(_, _, o)| *o).collect()))
        .collect())
}

fn check_standards(known: &[(String, Vec<Outcome>)], wanted: &[String]) -> Result<()> {
    for code in wanted {
        if !known.iter().any(|(c, _)| c == code) {
            bail!("{code} is not under review in this submission");
        }
    }
    Ok(())
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
        | PanelCommand::Condition { submission, .. }
        | PanelCommand::Recommend { submission, .. }
        | PanelCommand::Commend { submission, .. }
        | PanelCommand::Decide { submission, .. }
        | PanelCommand::ConditionStatus { submission, .. }
        | PanelCommand::Check { submission } => submission.clone(),
        PanelCommand::Push { submission } => return push(data_dir, store, submission),
        PanelCommand::Reports { submission, version, format, output } => {
            return reports(data_dir, submission, *version, format, output.clone());
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
            check_standards(&standards, std::slice::from_ref(&standard))?;
            let outcome: Outcome = outcome.into();
            if rationale.trim().is_empty() {
                bail!("the panel's outcome needs a rationale in the panel's own words");
            }
            let reviewers = &standards.iter().find(|(c, _)| *c == standard).expect("checked above").1;
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
        PanelCommand::Condition { standards: tied, text, evidence, due, .. } => {
            check_standards(&standards, &tied)?;
            check_text(&text)?;
            let id = next_id('C', consolidation.conditions.iter().map(|c| c.id.as_str()));
            println!("added condition {id}, due {due}");
            consolidation.conditions.push(Condition {
                id,
                standards: tied,
                text,
                evidence_required: evidence,
                due,
                status: ConditionStatus::Open,
            });
        }
        PanelCommand::Recommend { standards: tied, text, .. } => {
            check_standards(&standards, &tied)?;
            check_text(&text)?;
            let id = next_id('R', consolidation.recommendations.iter().map(|n| n.id.as_str()));
            println!("added recommendation {id}");
            consolidation.recommendations.push(Note { id, standards: tied, text });
        }
        PanelCommand::Commend { standards: tied, text, .. } => {
            check_standards(&standards, &tied)?;
            check_text(&text)?;
            let id = next_id('G', consolidation.commendations.iter().map(|n| n.id.as_str()));
            println!("added commendation {id}");
            consolidation.commendations.push(Note { id, standards: tied, text });
        }
        PanelCommand::Decide { decision, override_reason, .. } => {
            let kind = DecisionKind::parse(&decision).ok_or_else(|| eyre!("unknown decision {decision}"))?;
            let suggested = consolidation.suggested_decision(rules);
            if consolidation.contradicts_rules(kind, rules) && override_reason.trim().is_empty() {
                bail!(
                    "the rules suggest \"{}\"; to decide \"{}\" instead, give --override-reason",
                    suggested.label(),
                    kind.label()
                );
            }
            consolidation.decision = Some(Decision { kind, override_reason });
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
            println!("{submission} {}: {}", record.id, condition_status_label(status));
        }
        PanelCommand::Check { .. } => {
            let problems = consolidation.problems(&standards, rules);
            if problems.is_empty() {
                println!(
                    "{submission}: the panel report is complete ({})",
                    consolidation.suggested_decision(rules).label()
                );
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
        PanelCommand::Push { .. } | PanelCommand::Reports { .. } => return Ok(()),
    }
    store.save_consolidation(&submission, &me, &consolidation)?;
    Ok(())
}

/// Syncs (so the hub has the latest consolidation), then asks the hub to publish the report.
fn push(data_dir: &DataDir, store: &mut Store, submission: &str) -> Result<()> {
    chair(store, submission)?;
    let problems = {
        let standards = reviewer_outcomes(store, submission)?;
        let consolidation = store.consolidation(submission)?;
        consolidation.problems(&standards, consolidation.rules())
    };
    if !problems.is_empty() {
        bail!(
            "{submission}: the report is not complete, {} thing(s) to settle first:\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    super::sync::sync(data_dir, store)?;
    let (client, _) = super::sync::client(data_dir)?;
    let pushed = client.push_report(submission).wrap_err_with(|| format!("cannot push the report of {submission}"))?;
    let r = &pushed.report;
    // Kept here so the Report screen can show what changed since.
    let markdown = client.report(submission, r.version, "md")?;
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
    Ok(())
}

fn reports(
    data_dir: &DataDir,
    submission: &str,
    version: Option<i64>,
    format: &str,
    output: Option<PathBuf>,
) -> Result<()> {
    let (client, _) = super::sync::client(data_dir)?;
    let Some(version) = version else {
        let versions = client.reports(submission)?;
        if versions.is_empty() {
            println!("no report of {submission} has been pushed yet");
        }
        for r in versions {
            println!("version {}  pushed {} by {}  sha256 {}", r.version, r.pushed_at, r.pushed_by, &r.sha256[..12]);
        }
        return Ok(());
    };
    let text = client.report(submission, version, format)?;
    match output {
        Some(path) => {
            std::fs::write(&path, text).wrap_err_with(|| format!("cannot write {}", path.display()))?;
            println!("wrote version {version} of the report of {submission} to {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

pub fn report(store: &Store, submission: &str, format: &str, output: Option<PathBuf>) -> Result<()> {
    let format = Format::parse(format).ok_or_else(|| eyre!("--format is md, html or json, not {format}"))?;
    chair(store, submission)?;
    let report = report::build(&store.report_input(submission)?);
    let text = report::render(&report, format);
    match output {
        Some(path) => {
            std::fs::write(&path, text).wrap_err_with(|| format!("cannot write {}", path.display()))?;
            println!("wrote the panel report of {submission} to {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
