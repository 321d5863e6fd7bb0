//! The panel report: S-2026-014 consolidated as the domain brief (F.5) expects, rendered to
//! checked-in Markdown, HTML and JSON, byte for byte. `ACCREDIT_UPDATE_GOLDEN=1` rewrites them.

use std::path::PathBuf;

use accredit::domain::Outcome;
use accredit::domain::consolidation::{
    Condition, ConditionStatus, Consolidation, Decision, DecisionKind, Note, PanelOutcome, Rules,
};
use accredit::report::{self, Audience, Format};
use accredit::store::Store;
use jiff::civil::date;

use crate::support::demo_store;

const SUBMISSION: &str = "S-2026-014";

/// The F.5 resolution: met everywhere except SET-DEMO 4.1 (partially met, condition C1), with
/// R1, R2 and G1, accredited with conditions.
fn consolidate(store: &Store) -> Consolidation {
    let special: [(&str, Outcome, &str); 5] = [
        (
            "MPF 1.6",
            Outcome::Met,
            "Expert clinical reasoning is taught in a 30-credit module and assessed by a 12-station OSCE and three workplace case-based discussions (E02 p.4, E04 p.18–22).",
        ),
        (
            "MPF 2.11",
            Outcome::Met,
            "Learners draft a scope-of-practice statement in year 1 with their supervisor and line manager; it is assessed in year 3 (E06 §3, E02 p.27).",
        ),
        (
            "MPF 4.1",
            Outcome::Met,
            "The 60-credit dissertation requires a service evaluation, audit or empirical study with ethical or governance approval (E02 p.31).",
        ),
        (
            "SET-DEMO 4.1",
            Outcome::PartiallyMet,
            "Supervisors are named and prepared (E05), but protected supervision time is not yet confirmed in writing by every employing trust.",
        ),
        (
            "SET-DEMO 5.3",
            Outcome::Met,
            "Service users sat on the curriculum design team and help score OSCE stations; payment follows the university's involvement policy (E10 p.2–5).",
        ),
    ];
    let input = store.report_input(SUBMISSION).unwrap();
    let outcomes = input
        .standards
        .iter()
        .map(|s| {
            let (outcome, rationale) = special
                .iter()
                .find(|(code, ..)| *code == s.code)
                .map(|(_, o, r)| (*o, r.to_string()))
                .unwrap_or((Outcome::Met, format!("The mapping and its evidence show {} is taught and assessed at level 7.", s.code)));
            let differs = input.judgements.iter().any(|(code, _, o)| code == &s.code && *o != outcome);
            let resolution_note = match (s.code.as_str(), differs) {
                ("SET-DEMO 4.1", _) => "Reviewers split three ways; the panel agreed supervisors are prepared but protected time is not yet assured, so partially met with a condition.".to_string(),
                ("MPF 2.11", _) => "One reviewer found no evidence of revisiting the statement after year 1; E06 §3 shows it is reviewed at each tripartite meeting. Recommendation R1 makes that explicit.".to_string(),
                ("MPF 4.1", _) => "One reviewer found the governance route unclear for apprentices; the route exists (E02 p.31). Recommendation R2 asks for guidance.".to_string(),
                (_, true) => "The panel weighed the minority view and found the evidence sufficient.".to_string(),
                (_, false) => String::new(),
            };
            PanelOutcome { standard: s.code.clone(), outcome, rationale, resolution_note, no_condition_reason: String::new() }
        })
        .collect();
    let note = |id: &str, standard: &str, text: &str| Note {
        id: id.into(),
        standards: vec![standard.into()],
        text: text.into(),
        withdrawn: false,
    };
    Consolidation {
        outcomes,
        conditions: vec![Condition {
            id: "C1".into(),
            standards: vec!["SET-DEMO 4.1".into()],
            text: "Send signed confirmation from every employing organisation that each learner's workplace supervisor has protected supervision time, and send the supervisor-preparation schedule for 2026/27.".into(),
            evidence_required: "Signed employer letters and the schedule.".into(),
            due: date(2026, 6, 10),
            status: ConditionStatus::Open,
            signed_off_on: None,
        }],
        recommendations: vec![
            note("R1", "MPF 2.11", "Make the scope-of-practice statement a standing item at every tripartite review."),
            note("R2", "MPF 4.1", "Publish guidance for apprentices on the governance approval route for workplace projects."),
        ],
        commendations: vec![note("G1", "SET-DEMO 5.3", "Service users take part in scoring OSCE stations.")],
        decision: Some(Decision {
            decided_on: Some(jiff::civil::date(2026, 4, 8)),
            ..Decision::new(DecisionKind::AccreditedWithConditions, "")
        }),
        max_conditions: None,
    }
}

/// The demo with Sam's judgements submitted (all met) and the F.5 consolidation.
fn consolidated_store() -> Store {
    let mut store = demo_store();
    let review = store.load_review(SUBMISSION, "u-demo").unwrap();
    for s in review.standards() {
        store.save_judgement(SUBMISSION, &s.code, "u-demo", Some(Outcome::Met), "").unwrap();
    }
    store.submit(SUBMISSION, "u-demo").unwrap();
    let consolidation = consolidate(&store);
    // Stored as the chair would store it: the chair of S-2026-014 is u-chair.
    store.save_consolidation(SUBMISSION, "u-chair", &consolidation).unwrap();
    store
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name)
}

fn check_golden(name: &str, rendered: &str) {
    let path = golden(name);
    if std::env::var_os("ACCREDIT_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, rendered).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (ACCREDIT_UPDATE_GOLDEN=1 writes it)", path.display()));
    assert!(
        expected == rendered,
        "{} differs from the rendering; diff it with ACCREDIT_UPDATE_GOLDEN=1 and git diff",
        path.display()
    );
}

#[test]
fn the_f5_consolidation_is_complete_and_follows_the_rules() {
    let store = consolidated_store();
    let input = store.report_input(SUBMISSION).unwrap();
    assert_eq!(input.consolidation.problems(&input.judged(), Rules::default()), Vec::<String>::new());
    assert_eq!(input.consolidation.suggested_decision(Rules::default()), DecisionKind::AccreditedWithConditions);
    let report = report::build(&input);
    assert_eq!((report.counts.met, report.counts.partially_met, report.counts.not_met), (50, 1, 0));
    assert_eq!((report.counts.conditions, report.counts.recommendations, report.counts.commendations), (1, 2, 1));
    let split = report.appendix.rows.iter().find(|r| r.standard == "SET-DEMO 4.1").unwrap();
    assert_eq!(split.agreement, Some(accredit::domain::agreement::Agreement::Split));
    assert!(report.appendix.kappa.is_some());
}

#[test]
fn the_report_renders_to_the_golden_files_byte_for_byte() {
    let store = consolidated_store();
    let report = report::build(&store.report_input(SUBMISSION).unwrap());
    check_golden("S-2026-014.md", &report::render(&report, Format::Markdown));
    check_golden("S-2026-014.html", &report::render(&report, Format::Html));
    check_golden("S-2026-014.json", &report::render(&report, Format::Json));
    let provider = report.for_audience(Audience::Provider);
    check_golden("S-2026-014.provider.md", &report::render(&provider, Format::Markdown));
    check_golden("S-2026-014.provider.html", &report::render(&provider, Format::Html));
    check_golden("S-2026-014.provider.json", &report::render(&provider, Format::Json));
}

#[test]
fn the_provider_reads_a_decision_letter_without_the_internal_appendix() {
    let store = consolidated_store();
    let panel = report::build(&store.report_input(SUBMISSION).unwrap());
    let provider = panel.clone().for_audience(Audience::Provider);
    for format in [Format::Markdown, Format::Html, Format::Json] {
        let (p, r) = (report::render(&panel, format), report::render(&provider, format));
        assert!(
            p.contains("Appendix (internal") || p.contains("\"appendix\""),
            "{format:?}: the panel's record has it"
        );
        assert!(!r.contains("Appendix (internal") && !r.contains("\"appendix\""), "{format:?}: the provider's has not");
        assert!(!r.contains("Reviewers split three ways"), "{format:?}: no resolution notes for the provider");
    }
    let json: serde_json::Value = serde_json::from_str(&report::render(&provider, Format::Json)).unwrap();
    assert_eq!(json["audience"], "provider");
    assert_eq!(json["issue"]["status"], "draft");
    assert_eq!(json["issue"]["reference"], "S-2026-014/DRAFT");
    assert_eq!(json["issue"]["decided_on"], "2026-04-08");
    // Decision-letter order: summary, outcome, conditions with due dates, recommendations,
    // commendations, next steps, monitoring, then the findings and the sign-off.
    let md = report::render(&provider, Format::Markdown);
    let at = |needle: &str| md.find(needle).unwrap_or_else(|| panic!("{needle} missing"));
    assert!(md.starts_with("# Panel report"));
    assert!(at("NHS England — Centre for Advancing Practice reviewed") < at("## Outcome"));
    assert!(at("## Outcome") < at("## Conditions"));
    assert!(at("## Conditions") < at("due **2026-06-10**"));
    assert!(at("due **2026-06-10**") < at("## Recommendations"));
    assert!(at("## Recommendations") < at("## Commendations"));
    assert!(at("## Commendations") < at("## Accreditation monitoring"));
    assert!(at("## Accreditation monitoring") < at("## Findings by standard"));
    assert!(at("## Findings by standard") < at("## Sign-off"));
    assert!(md.contains("If a condition is not met by its due date"), "what follows unmet conditions");
    assert!(md.contains("- Approved by the panel chair: Dr Ruth Adebayo-Hughes\n- Date: 2026-04-08"), "{md}");
    let html = report::render(&provider, Format::Html);
    assert!(html.contains("<a href=\"#C1\">C1</a>") && html.contains("<tr id=\"C1\">"), "See C1 links to C1");
    assert!(html.contains("<thead>"), "table headers repeat on every printed page");
    assert!(html.contains("counter(page) \" of \" counter(pages)"));
    assert!(html.contains("@top-left { content: \"NHS England — Centre for Advancing Practice\""));
}

#[test]
fn the_panel_record_keeps_what_the_chair_wrote_for_the_office() {
    let store = consolidated_store();
    let mut input = store.report_input(SUBMISSION).unwrap();
    let code = "SET-DEMO 5.3";
    let outcome = input.consolidation.outcomes.iter_mut().find(|o| o.standard == code).unwrap();
    outcome.outcome = Outcome::PartiallyMet;
    outcome.no_condition_reason = "Recommendation R3 covers it; the gap is minor.".into();
    outcome.resolution_note = "The panel weighed it.".into();
    let report = report::build(&input);
    let md = report::render(&report, Format::Markdown);
    assert!(md.contains("- SET-DEMO 5.3: Recommendation R3 covers it; the gap is minor."), "{md}");
    let provider = report::render(&report.clone().for_audience(Audience::Provider), Format::Markdown);
    assert!(!provider.contains("Recommendation R3 covers it"), "the note is internal");
    // A panel outcome more lenient than the most severe reviewer is flagged for the office.
    let lenient = input.consolidation.outcomes.iter_mut().find(|o| o.standard == "SET-DEMO 4.1").unwrap();
    lenient.outcome = Outcome::Met;
    let report = report::build(&input);
    assert!(report.appendix.leniency.contains(&"SET-DEMO 4.1".to_string()), "{:?}", report.appendix.leniency);
}

#[test]
fn rendering_is_deterministic() {
    let a = report::build(&consolidated_store().report_input(SUBMISSION).unwrap());
    let b = report::build(&consolidated_store().report_input(SUBMISSION).unwrap());
    for format in [Format::Markdown, Format::Html, Format::Json] {
        assert_eq!(report::render(&a, format), report::render(&b, format));
    }
}

#[test]
fn only_the_chair_consolidates() {
    let mut store = demo_store();
    let error = store.save_consolidation(SUBMISSION, "u-demo", &Consolidation::default()).unwrap_err();
    assert!(error.to_string().contains("only the chair"), "{error}");
}

#[test]
fn report_text_is_escaped_for_each_format() {
    let mut store = consolidated_store();
    let mut consolidation = store.consolidation(SUBMISSION).unwrap();
    consolidation.outcomes[0].rationale = "<script>alert(1)</script> *bold* \u{1b}[2J".into();
    store.save_consolidation(SUBMISSION, "u-chair", &consolidation).unwrap();
    let report = report::build(&store.report_input(SUBMISSION).unwrap());
    let html = report::render(&report, Format::Html);
    assert!(!html.contains("<script>alert"), "HTML is escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let md = report::render(&report, Format::Markdown);
    assert!(md.contains("\\*bold\\*"), "Markdown markup is escaped");
    assert!(!md.contains('\u{1b}') && !html.contains('\u{1b}'), "no terminal escapes in reports");
}

mod verbs {
    use crate::support::{accredit, demo_data_dir, stderr, stdout};

    const CHAIRED: &str = "S-2026-009";

    #[test]
    fn the_chair_consolidates_and_renders_from_the_command_line() {
        let dir = demo_data_dir();
        let run = |args: &[&str]| accredit(dir.path(), args);
        // Split standard: a resolution note is required, and the leniency is warned about.
        let refused = run(&[
            "panel",
            "outcome",
            CHAIRED,
            "SET-DEMO 5.3",
            "--outcome",
            "met",
            "--rationale",
            "Involvement is real.",
        ]);
        assert_eq!(refused.status.code(), Some(1));
        assert!(stderr(&refused).contains("--resolution"), "{}", stderr(&refused));
        let warned = run(&[
            "panel",
            "outcome",
            CHAIRED,
            "SET-DEMO 5.3",
            "--outcome",
            "partially-met",
            "--rationale",
            "Service users design but do not assess.",
            "--resolution",
            "The lay member's view that assessment involvement is missing is upheld in part.",
        ]);
        assert!(warned.status.success(), "{}", stderr(&warned));
        assert!(stderr(&warned).contains("more lenient than the most severe"), "{}", stderr(&warned));

        let added = run(&[
            "panel",
            "condition",
            CHAIRED,
            "--standards",
            "SET-DEMO 5.3",
            "--text",
            "Involve service users in OSCE scoring.",
            "--evidence",
            "The revised assessment strategy.",
            "--due",
            "2030-06-30",
        ]);
        assert!(stdout(&added).contains("added condition C1"), "{}", stderr(&added));
        let recommended = run(&[
            "panel",
            "recommend",
            CHAIRED,
            "--standards",
            "SET-DEMO 5.3",
            "--text",
            "Pay service users promptly.",
        ]);
        assert!(stdout(&recommended).contains("added recommendation R1"));

        // Deciding against the rules needs a reason.
        let contradicting = run(&["panel", "decide", CHAIRED, "--decision", "accredited"]);
        assert_eq!(contradicting.status.code(), Some(1));
        assert!(stderr(&contradicting).contains("Accredited with conditions"), "{}", stderr(&contradicting));
        assert!(run(&["panel", "decide", CHAIRED, "--decision", "accredited-with-conditions"]).status.success());

        // Most standards have no panel outcome yet: the check lists them all.
        let check = run(&["panel", "check", CHAIRED]);
        assert_eq!(check.status.code(), Some(1));
        assert!(stderr(&check).contains("MPF 1.1: no panel outcome yet"), "{}", stderr(&check));

        let report = tempfile::NamedTempFile::new().unwrap();
        let path = report.path().to_str().unwrap();
        assert!(run(&["report", CHAIRED, "--format", "html", "--output", path]).status.success());
        let html = std::fs::read_to_string(path).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Involve service users in OSCE scoring."));
        let markdown = stdout(&run(&["report", CHAIRED]));
        assert!(markdown.contains("**C1** (SET-DEMO 5.3) — due **2030-06-30**"), "{markdown}");
    }

    #[test]
    fn the_configured_maximum_of_conditions_drives_the_rules_and_travels_with_the_consolidation() {
        let dir = demo_data_dir();
        std::fs::write(dir.path().join("config.toml"), "max_conditions = 1\n").unwrap();
        let run = |args: &[&str]| accredit(dir.path(), args);
        for text in ["First.", "Second."] {
            let added = run(&[
                "panel",
                "condition",
                CHAIRED,
                "--standards",
                "SET-DEMO 5.3",
                "--text",
                text,
                "--evidence",
                "Letters.",
                "--due",
                "2030-06-30",
            ]);
            assert!(added.status.success(), "{}", stderr(&added));
        }
        // Two conditions is over this chair's maximum of one: the rules suggest refusal.
        let refused = run(&["panel", "decide", CHAIRED, "--decision", "accredited-with-conditions"]);
        assert_eq!(refused.status.code(), Some(1));
        assert!(stderr(&refused).contains("the rules suggest \"Not accredited\""), "{}", stderr(&refused));
        let store = accredit::store::Store::open(&dir.path().join("cache.sqlite")).unwrap();
        assert_eq!(store.consolidation(CHAIRED).unwrap().max_conditions, Some(1), "saved with the consolidation");
        assert_eq!(store.report_input(CHAIRED).unwrap().rules.max_conditions, 1);
    }

    #[test]
    fn a_reviewer_cannot_consolidate_or_render_the_report() {
        let dir = demo_data_dir();
        let output = accredit(dir.path(), &["report", "S-2026-014"]);
        assert_eq!(output.status.code(), Some(1));
        assert!(stderr(&output).contains("only the chair"), "{}", stderr(&output));
        let output = accredit(dir.path(), &["panel", "decide", "S-2026-014", "--decision", "deferred"]);
        assert_eq!(output.status.code(), Some(1));
    }
}

/// The HTML report prints to PDF in headless Chromium without errors (Debian's `chromium`,
/// installed by .ci/run).
#[test]
fn the_html_report_prints_to_pdf_in_headless_chromium() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| std::process::Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success()))
        .expect("this test needs Chromium: `apt-get install chromium` (CI installs it)");
    let store = consolidated_store();
    let report = report::build(&store.report_input(SUBMISSION).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let pdf = dir.path().join("report.pdf");
    std::fs::write(&html, report::render(&report, Format::Html)).unwrap();
    let output = std::process::Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("run chromium");
    assert!(output.status.success(), "chromium failed: {}", String::from_utf8_lossy(&output.stderr));
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("this test reads the PDF back with pdftotext: `apt-get install poppler-utils`");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Page 1 of"), "page numbers: {text}");
    assert!(text.contains("S-2026-014/DRAFT"), "the running header carries the reference");
    assert!(text.contains("Centre for Advancing Practice"), "the running header names the organisation");
    let first_two: String = text.split('\u{c}').take(2).collect();
    assert!(first_two.contains("Send signed confirmation"), "condition C1 is on page 1 or 2");
    let bytes = std::fs::read(&pdf).expect("chromium wrote no PDF");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    assert!(bytes.len() > 10_000, "a {}-byte PDF is too small for a 51-standard report", bytes.len());
    let pages = bytes
        .windows(b"/Type /Page\n".len())
        .filter(|w| w.starts_with(b"/Type /Page") && !w.starts_with(b"/Type /Pages"))
        .count();
    assert!(pages >= 3, "{pages} pages: the report and its appendix should span several A4 pages");
}

mod push {
    use accredit::domain::consolidation::Consolidation;
    use accredit::sync::SyncError;
    use accredit::wire::{Change, UserRole};

    use crate::support::{Machine, TestHub};

    const CHAIRED: &str = "S-2026-009";

    /// Every standard met, with a resolution note wherever a reviewer differed.
    fn complete(chair: &Machine) -> Consolidation {
        crate::support::complete_for(&chair.store, CHAIRED)
    }

    fn office_hub() -> TestHub {
        TestHub::demo_with(|hub, tokens| {
            let (user, token) = hub.add_user(Some("u-office"), "Accreditation office", UserRole::Admin).unwrap();
            tokens.insert(user.id, token);
        })
    }

    #[test]
    fn the_chair_pushes_versions_the_office_reads_them_and_reviewers_cannot() {
        let hub = office_hub();
        let mut chair = hub.machine("u-demo");
        chair.sync();
        // Incomplete: refused with every problem.
        let refused = chair.client.push_report(CHAIRED).unwrap_err();
        assert!(
            matches!(&refused, SyncError::Refused { status: 409, message } if message.contains("no panel outcome yet")),
            "{refused}"
        );

        let consolidation = complete(&chair);
        chair.store.save_consolidation(CHAIRED, "u-demo", &consolidation).unwrap();
        chair.sync();
        let first = chair.client.push_report(CHAIRED).unwrap();
        assert!(first.created);
        assert_eq!(first.report.version, 1);
        let again = chair.client.push_report(CHAIRED).unwrap();
        assert!(!again.created, "the same report is the same version");
        assert_eq!(again.report, first.report);

        let mut changed = consolidation.clone();
        changed.outcomes[0].rationale = "Reworded after the panel meeting.".into();
        chair.store.save_consolidation(CHAIRED, "u-demo", &changed).unwrap();
        chair.sync();
        let second = chair.client.push_report(CHAIRED).unwrap();
        assert_eq!((second.report.version, second.created), (2, true));

        // The office reads every version, in every format.
        let office = hub.client("u-office");
        let versions = office.reports(CHAIRED).unwrap();
        assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![1, 2]);
        let v1 = office.report(CHAIRED, 1, "md").unwrap();
        let v2 = office.report(CHAIRED, 2, "md").unwrap();
        assert!(v1.contains("MPF 1.1 is met on the evidence.") && v2.contains("Reworded after the panel meeting."));
        assert!(office.report(CHAIRED, 2, "html").unwrap().starts_with("<!DOCTYPE html>"));
        assert!(office.report(CHAIRED, 1, "json").unwrap().contains("\"format\": \"accredit.report.v1\""));

        // A reviewer on the panel (who has submitted) reads the pushed versions, to confirm
        // them, but does not push nor see the chair's consolidation on the change feed; the
        // feed brings them the latest version.
        let reviewer = hub.client("u-rev2");
        assert!(matches!(reviewer.push_report(CHAIRED), Err(SyncError::Refused { status: 403, .. })));
        assert_eq!(reviewer.reports(CHAIRED).unwrap().len(), 2);
        let feed = reviewer.changes(0, 1000).unwrap();
        assert!(
            !feed.changes.iter().any(|c| matches!(c, Change::Consolidation { .. })),
            "the chair's draft stays the chair's"
        );
        let reports: Vec<i64> = feed
            .changes
            .iter()
            .filter_map(|c| if let Change::Report { pushed, .. } = c { Some(pushed.report.version) } else { None })
            .collect();
        assert_eq!(reports, vec![2], "the feed carries the latest version, once");
    }

    #[test]
    fn the_consolidation_syncs_between_the_chairs_machines() {
        let hub = office_hub();
        let mut laptop = hub.machine("u-demo");
        let mut desktop = hub.machine("u-demo");
        laptop.sync();
        desktop.sync();
        let consolidation = complete(&laptop);
        laptop.store.save_consolidation(CHAIRED, "u-demo", &consolidation).unwrap();
        assert_eq!(laptop.sync().applied, 1);
        desktop.sync();
        let saved = laptop.store.consolidation(CHAIRED).unwrap();
        assert_eq!(saved.decision.as_ref().and_then(|d| d.decided_on), Some(jiff::Zoned::now().date()), "stamped");
        assert_eq!(desktop.store.consolidation(CHAIRED).unwrap(), saved);
        // The office sees it on its feed too.
        let office = hub.client("u-office");
        assert!(
            office
                .changes(0, 1000)
                .unwrap()
                .changes
                .iter()
                .any(|c| matches!(c, Change::Consolidation { submission, .. } if submission == CHAIRED))
        );
    }
}

mod since_pushed {
    use accredit::report::diff::Change;
    use accredit::store::Store;
    use accredit::tui::{Action, Runtime, Settings};
    use jiff::civil::date;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use crate::support::complete_for;
    use crate::support::{TestHub, accredit, stderr, stdout};

    const CHAIRED: &str = "S-2026-009";

    #[test]
    fn a_push_from_the_command_line_is_kept_and_the_report_screen_shows_what_changed_since() {
        let hub = TestHub::demo();
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| accredit(dir.path(), args);
        assert!(run(&["login", "--server", &hub.url, "--token", hub.token("u-demo")]).status.success());
        assert!(run(&["sync"]).status.success());
        {
            let mut store = Store::open(&dir.path().join("cache.sqlite")).unwrap();
            let consolidation = complete_for(&store, CHAIRED);
            store.save_consolidation(CHAIRED, "u-demo", &consolidation).unwrap();
        }
        let pushed = run(&["panel", "push", CHAIRED]);
        assert!(stdout(&pushed).contains("as version 1"), "{}{}", stdout(&pushed), stderr(&pushed));
        let again = run(&["panel", "push", CHAIRED]);
        assert!(stdout(&again).contains("already holds this report as version 1"), "{}", stdout(&again));

        // Reword one standard, then look at the Report screen: it shows exactly that change.
        let mut store = Store::open(&dir.path().join("cache.sqlite")).unwrap();
        let version = store.last_pushed_report(CHAIRED).unwrap().expect("the push is kept").version;
        assert_eq!(version, 1);
        let mut consolidation = store.consolidation(CHAIRED).unwrap();
        consolidation.outcomes[0].rationale = "Reworded after the panel meeting.".into();
        store.save_consolidation(CHAIRED, "u-demo", &consolidation).unwrap();
        let mut rt = Runtime::new(store, date(2026, 4, 9), Settings::default()).unwrap();
        let row = rt.app.queue.iter().position(|a| a.submission == CHAIRED).unwrap();
        for _ in 0..row {
            rt.dispatch(Action::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)));
        }
        rt.dispatch(Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
        rt.dispatch(Action::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::NONE)));
        let preview = rt.app.report.as_ref().expect("the Report screen is open");
        let since = preview.since_pushed.as_ref().expect("a version was pushed");
        assert_eq!(since.version, 1);
        assert!(
            since.changes.iter().any(|(c, l)| *c == Change::Added && l.contains("Reworded after the panel meeting."))
        );
        assert!(
            since.changes.iter().any(|(c, l)| *c == Change::Removed && l.contains("MPF 1.1 is met on the evidence."))
        );
        assert_eq!(since.changes.len(), 2, "{:?}", since.changes);
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| {
                accredit::tui::views::render(&rt.app, frame);
            })
            .unwrap();
        let today = jiff::Zoned::now().date().to_string();
        let screen = terminal.backend().to_string().replace(&today, "TODAY-DATE");
        insta::assert_snapshot!("report_changes_since_pushed_80x24", screen);
    }
}

mod condition_status {
    use crate::support::{accredit, demo_data_dir, stderr, stdout};

    #[test]
    fn a_condition_is_signed_off_and_withdrawn_from_the_command_line() {
        let dir = demo_data_dir();
        let run = |args: &[&str]| accredit(dir.path(), args);
        let added = run(&[
            "panel",
            "condition",
            "S-2026-009",
            "--standards",
            "SET-DEMO 1.1",
            "--text",
            "Protect learning time.",
            "--evidence",
            "Employer letters.",
            "--due",
            "2030-06-30",
        ]);
        assert!(added.status.success(), "{}", stderr(&added));
        let met = run(&["panel", "condition-status", "S-2026-009", "c1", "--status", "met"]);
        assert!(stdout(&met).contains("C1: met"), "{}{}", stdout(&met), stderr(&met));
        let report = stdout(&run(&["report", "S-2026-009"]));
        assert!(report.contains("due **2030-06-30** — met: signed off by the panel"), "{report}");
        let withdrawn = run(&["panel", "condition-status", "S-2026-009", "C1", "--status", "withdrawn"]);
        assert!(withdrawn.status.success());
        let report = stdout(&run(&["report", "S-2026-009"]));
        assert!(!report.contains("Protect learning time."), "a withdrawn condition leaves the report");
        let missing = run(&["panel", "condition-status", "S-2026-009", "C9", "--status", "met"]);
        assert_eq!(missing.status.code(), Some(1));
        assert!(stderr(&missing).contains("no condition C9 (its conditions: C1)"), "{}", stderr(&missing));
    }
}

/// Every bad input of the chair's verbs gets an error saying what to do (issue 12, items 1 and
/// 4 to 8).
mod chair_inputs {
    use crate::support::{accredit, demo_data_dir, stderr, stdout};

    const CHAIRED: &str = "S-2026-009";

    #[test]
    fn standard_codes_are_forgiving_and_an_empty_list_is_refused() {
        let dir = demo_data_dir();
        let run = |args: &[&str]| accredit(dir.path(), args);
        let ok = run(&["panel", "recommend", CHAIRED, "--standards", "mpf1.4,set-demo 5.3", "--text", "Consider it."]);
        assert!(ok.status.success(), "{}", stderr(&ok));
        let report = stdout(&run(&["report", CHAIRED]));
        assert!(report.contains("**R1** (MPF 1.4, SET-DEMO 5.3): Consider it."), "{report}");
        let empty = run(&["panel", "recommend", CHAIRED, "--standards", "", "--text", "Consider it."]);
        assert_eq!(empty.status.code(), Some(1));
        assert!(stderr(&empty).contains("no standard given"), "{}", stderr(&empty));
        let unknown = run(&["panel", "commend", CHAIRED, "--standards", "mpf9.9", "--text", "Good."]);
        assert!(stderr(&unknown).contains("\"mpf9.9\" is not under review"), "{}", stderr(&unknown));
        let outcome =
            run(&["panel", "outcome", CHAIRED, "mpf1.1", "--outcome", "met", "--rationale", "Met on E03 p.4."]);
        assert!(stdout(&outcome).contains("MPF 1.1: the panel's outcome is met"), "{}", stderr(&outcome));
        let cleared = run(&["panel", "clear-outcome", CHAIRED, "MPF-1.1"]);
        assert!(stdout(&cleared).contains("MPF 1.1: the panel's outcome is cleared"), "{}", stderr(&cleared));
        let again = run(&["panel", "clear-outcome", CHAIRED, "MPF 1.1"]);
        assert!(stderr(&again).contains("has no panel outcome to clear"), "{}", stderr(&again));
        // The framework asks a rationale only for partially met and not met (issue 12 item 3).
        let bare = run(&["panel", "outcome", CHAIRED, "mpf1.1", "--outcome", "met", "--rationale", ""]);
        assert!(bare.status.success(), "a unanimous met needs no rationale: {}", stderr(&bare));
        let short = run(&["panel", "outcome", CHAIRED, "mpf1.2", "--outcome", "not-met", "--rationale", " "]);
        assert!(stderr(&short).contains("not met needs a rationale"), "{}", stderr(&short));
    }

    #[test]
    fn dates_are_checked() {
        let dir = demo_data_dir();
        let run = |args: &[&str]| accredit(dir.path(), args);
        let condition = |due: &str, extra: &[&str]| {
            let mut args = vec![
                "panel",
                "condition",
                CHAIRED,
                "--standards",
                "mpf1.4",
                "--text",
                "Publish it.",
                "--evidence",
                "The document.",
                "--due",
            ];
            args.push(due);
            args.extend_from_slice(extra);
            run(&args)
        };
        let bad = condition("30/06/2030", &[]);
        assert_eq!(bad.status.code(), Some(2), "a usage error");
        assert!(stderr(&bad).contains("write it as YYYY-MM-DD"), "{}", stderr(&bad));
        let past = condition("2020-01-01", &[]);
        assert_eq!(past.status.code(), Some(1));
        assert!(stderr(&past).contains("2020-01-01 is in the past"), "{}", stderr(&past));
        let confirmed = condition("2020-01-01", &["--past-due-ok"]);
        assert!(stdout(&confirmed).contains("added condition C1, due 2020-01-01"), "{}", stderr(&confirmed));
        let edit = run(&["panel", "edit", CHAIRED, "C1", "--due", "2019-01-01"]);
        assert!(stderr(&edit).contains("in the past"), "{}", stderr(&edit));
    }

    #[test]
    fn records_are_edited_removed_and_numbered_stably() {
        let dir = demo_data_dir();
        let run = |args: &[&str]| accredit(dir.path(), args);
        for text in ["First.", "Second.", "Third."] {
            let added = run(&[
                "panel",
                "condition",
                CHAIRED,
                "--standards",
                "mpf1.4",
                "--text",
                text,
                "--evidence",
                "Letters.",
                "--due",
                "2030-06-30",
            ]);
            assert!(added.status.success(), "{}", stderr(&added));
        }
        let edited =
            run(&["panel", "edit", CHAIRED, "c2", "--text", "Second, reworded.", "--standards", "mpf1.5,mpf1.4"]);
        assert!(stdout(&edited).contains("C2: edited (due 2030-06-30, MPF 1.5, MPF 1.4)"), "{}", stderr(&edited));
        let removed = run(&["panel", "remove", CHAIRED, "C1"]);
        assert!(stdout(&removed).contains("C1: removed"), "{}", stderr(&removed));
        let report = stdout(&run(&["report", CHAIRED]));
        assert!(!report.contains("First."), "removed");
        assert!(report.contains("**C2** (MPF 1.5, MPF 1.4) — due **2030-06-30**"), "{report}");
        assert!(report.contains("Second, reworded.") && report.contains("**C3**"), "the others keep their ids");
        let nothing = run(&["panel", "edit", CHAIRED, "C2"]);
        assert!(stderr(&nothing).contains("nothing to change"), "{}", stderr(&nothing));
        let missing = run(&["panel", "remove", CHAIRED, "R7"]);
        assert!(stderr(&missing).contains("has no record R7 (its records: C2, C3)"), "{}", stderr(&missing));
    }

    #[test]
    fn deferring_asks_for_information_by_a_date_and_check_names_the_recorded_decision() {
        let dir = demo_data_dir();
        let run = |args: &[&str]| accredit(dir.path(), args);
        let bare = run(&["panel", "decide", CHAIRED, "--decision", "deferred"]);
        assert_eq!(bare.status.code(), Some(1));
        assert!(stderr(&bare).contains("--requested-information"), "{}", stderr(&bare));
        let deferred = run(&[
            "panel",
            "decide",
            CHAIRED,
            "--decision",
            "deferred",
            "--requested-information",
            "The signed placement agreements for 2026.",
            "--information-due",
            "2030-05-01",
        ]);
        assert!(deferred.status.success(), "{}", stderr(&deferred));
        let report = stdout(&run(&["report", CHAIRED, "--audience", "provider"]));
        assert!(report.contains("## Information requested\n\nDue by 2030-05-01."), "{report}");
        assert!(report.contains("The signed placement agreements for 2026."));
        assert!(!report.contains("sends the evidence for each"), "no condition-evidence instruction: {report}");
        let check = run(&["panel", "check", CHAIRED]);
        let said = format!("{}{}", stdout(&check), stderr(&check));
        assert!(!said.contains("Accredited with conditions"), "{said}");
        assert!(!said.contains("say what information"), "the deferral is complete: {said}");
    }

    #[test]
    fn a_signed_off_condition_leaves_the_to_do_list_with_its_date() {
        let dir = demo_data_dir();
        let run = |args: &[&str]| accredit(dir.path(), args);
        for standard in ["mpf1.4", "mpf1.5"] {
            let added = run(&[
                "panel",
                "condition",
                CHAIRED,
                "--standards",
                standard,
                "--text",
                "Do it.",
                "--evidence",
                "Proof.",
                "--due",
                "2030-06-30",
            ]);
            assert!(added.status.success(), "{}", stderr(&added));
        }
        let today = jiff::Zoned::now().date().to_string();
        let met = run(&["panel", "condition-status", CHAIRED, "C1", "--status", "met"]);
        assert!(stdout(&met).contains(&format!("C1: met: signed off on {today}")), "{}", stdout(&met));
        let report = stdout(&run(&["report", CHAIRED]));
        assert!(report.contains("open condition by its due date (C2 by 2030-06-30)"), "{report}");
        assert!(report.contains(&format!("C1 was signed off as met by the panel chair on {today}")), "{report}");
    }

    #[test]
    fn every_verb_has_examples_in_its_help() {
        let dir = demo_data_dir();
        for verb in [
            "outcome",
            "clear-outcome",
            "condition",
            "recommend",
            "commend",
            "edit",
            "remove",
            "decide",
            "condition-status",
            "check",
            "push",
            "reports",
        ] {
            let help = accredit(dir.path(), &["panel", verb, "--help"]);
            assert!(stdout(&help).contains("Example"), "panel {verb} --help has no example");
        }
        let help = stdout(&accredit(dir.path(), &["report", "--help"]));
        assert!(help.contains("--audience provider --format pdf"), "{help}");
        for verb in [
            &["--help"][..],
            &["panel", "--help"],
            &["hub", "--help"],
            &["hub", "init", "--help"],
            &["hub", "add-user", "--help"],
            &["hub", "set-organisation", "--help"],
            &["hub", "revoke", "--help"],
            &["hub", "import-framework", "--help"],
            &["hub", "import-submission", "--help"],
            &["hub", "assign", "--help"],
            &["judge", "--help"],
            &["submit", "--help"],
            &["sync", "--help"],
            &["status", "--help"],
            &["login", "--help"],
            &["demo", "--help"],
            &["serve", "--help"],
        ] {
            let help = accredit(dir.path(), verb);
            assert!(stdout(&help).contains("Example"), "accredit {} has no example", verb.join(" "));
        }
    }

    #[test]
    fn a_pdf_needs_an_output_file() {
        let dir = demo_data_dir();
        let out = accredit(dir.path(), &["report", CHAIRED, "--format", "pdf"]);
        assert!(stderr(&out).contains("--format pdf writes a file: give --output FILE.pdf"), "{}", stderr(&out));
    }
}

/// The hub names the organisation; a pushed report is FINAL with its version, a changed one a
/// DRAFT again; `panel reports` names who pushed and which versions exist.
mod issued {
    use crate::support::{TestHub, accredit, stderr, stdout};
    use accredit::store::Store;

    use crate::support::complete_for;

    const CHAIRED: &str = "S-2026-009";

    #[test]
    fn a_pushed_report_is_final_and_a_changed_one_a_draft_again() {
        let hub = TestHub::demo();
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| accredit(dir.path(), args);
        assert!(run(&["login", "--server", &hub.url, "--token", hub.token("u-demo")]).status.success());
        assert!(run(&["sync"]).status.success());
        {
            let mut store = Store::open(&dir.path().join("cache.sqlite")).unwrap();
            let consolidation = complete_for(&store, CHAIRED);
            store.save_consolidation(CHAIRED, "u-demo", &consolidation).unwrap();
        }
        let draft = stdout(&run(&["report", CHAIRED, "--audience", "provider"]));
        assert!(draft.contains("NHS England — Centre for Advancing Practice · S-2026-009/DRAFT"), "{draft}");
        let pushed = run(&["panel", "push", CHAIRED]);
        assert!(pushed.status.success(), "{}", stderr(&pushed));
        let final_ = stdout(&run(&["report", CHAIRED, "--audience", "provider"]));
        assert!(final_.contains("S-2026-009/R1 · FINAL, version 1"), "{final_}");
        let today = jiff::Zoned::now().date().to_string();
        assert!(final_.contains(&format!("| Date of issue | {today} |")), "{final_}");
        let hubs = stdout(&run(&["panel", "reports", CHAIRED, "--version", "1"]));
        assert!(hubs.contains("S-2026-009/R1 · FINAL, version 1"), "the hub keeps the FINAL rendering");
        assert!(hubs.contains("Appendix (internal"), "by default the panel's record");
        let letter = stdout(&run(&["panel", "reports", CHAIRED, "--version", "1", "--audience", "provider"]));
        assert!(letter.contains("S-2026-009/R1 · FINAL, version 1"), "{letter}");
        assert!(!letter.contains("Appendix (internal"), "the provider's letter has no appendix");
        let json = stdout(&run(&[
            "panel",
            "reports",
            CHAIRED,
            "--version",
            "1",
            "--audience",
            "provider",
            "--format",
            "json",
        ]));
        assert!(json.contains("\"audience\": \"provider\""), "the JSON says which: {json}");
        let list = stdout(&run(&["panel", "reports", CHAIRED]));
        assert!(list.contains("by Sam Okafor"), "names, not ids: {list}");
        let missing = run(&["panel", "reports", CHAIRED, "--version", "3"]);
        assert!(stderr(&missing).contains("no report version 3: the hub holds version 1"), "{}", stderr(&missing));

        let outcome = run(&[
            "panel",
            "outcome",
            CHAIRED,
            "mpf1.1",
            "--outcome",
            "met",
            "--rationale",
            "Reworded after the meeting.",
        ]);
        assert!(outcome.status.success(), "{}", stderr(&outcome));
        let changed = stdout(&run(&["report", CHAIRED]));
        assert!(changed.contains("S-2026-009/DRAFT · DRAFT: not issued"), "{changed}");
    }

    #[test]
    fn members_confirm_from_their_own_data_folder_and_the_sign_off_lists_them() {
        let hub = TestHub::demo();
        let chair_dir = tempfile::tempdir().unwrap();
        let member_dir = tempfile::tempdir().unwrap();
        let chair = |args: &[&str]| accredit(chair_dir.path(), args);
        let member = |args: &[&str]| accredit(member_dir.path(), args);
        assert!(chair(&["login", "--server", &hub.url, "--token", hub.token("u-demo")]).status.success());
        assert!(member(&["login", "--server", &hub.url, "--token", hub.token("u-rev2")]).status.success());
        assert!(chair(&["sync"]).status.success());
        let early = member(&["panel", "confirm", CHAIRED]);
        assert_eq!(early.status.code(), Some(1));
        assert!(stderr(&early).contains("has not pushed a report to confirm yet"), "{}", stderr(&early));
        {
            let mut store = Store::open(&chair_dir.path().join("cache.sqlite")).unwrap();
            let consolidation = complete_for(&store, CHAIRED);
            store.save_consolidation(CHAIRED, "u-demo", &consolidation).unwrap();
        }
        let first = chair(&["panel", "push", CHAIRED]);
        let said = stdout(&first);
        assert!(said.contains("as version 1"), "{said}{}", stderr(&first));
        assert!(said.contains("not yet confirmed by: Dr Anika Sørensen, Tomasz Wiśniewski"), "{said}");
        let own = chair(&["panel", "confirm", CHAIRED]);
        assert!(stderr(&own).contains("only the panel's voting members confirm"), "{}", stderr(&own));
        let confirmed = member(&["panel", "confirm", CHAIRED, "--comment", "Accurate; one typo in MPF 1.2."]);
        assert!(
            stdout(&confirmed).contains("Dr Anika Sørensen confirmed version 1 of the report of S-2026-009"),
            "{}{}",
            stdout(&confirmed),
            stderr(&confirmed)
        );
        let second = chair(&["panel", "push", CHAIRED]);
        let said = stdout(&second);
        assert!(said.contains("as version 2"), "a confirmation is a new version: {said}{}", stderr(&second));
        assert!(said.contains("not yet confirmed by: Tomasz Wiśniewski"), "{said}");
        let today = jiff::Zoned::now().date().to_string();
        let record = stdout(&chair(&["report", CHAIRED]));
        assert!(record.contains("S-2026-009/R2 · FINAL, version 2"), "the local draft matches the hub's: {record}");
        assert!(
            record.contains(&format!(
                "- Confirmed accurate by Dr Anika Sørensen on {today} (version 1) — comment: Accurate; one typo in MPF 1.2."
            )),
            "{record}"
        );
        let letter = stdout(&chair(&["report", CHAIRED, "--audience", "provider"]));
        assert!(letter.contains(&format!("- Confirmed accurate by Dr Anika Sørensen on {today} (version 1)\n")));
        assert!(!letter.contains("one typo"), "comments stay in the panel's record");
    }
}

/// Issue 9 #4: the problems of a consolidation have one home (`ReportInput::problems`): the
/// chair's queue count, the Panel screen, `accredit panel check` and the hub's refusal of a push
/// give the same list.
#[test]
fn every_part_lists_the_same_problems_of_a_consolidation() {
    use accredit::tui::{Action, Runtime, Settings};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    let submission = "S-2026-009";
    let expected = demo_store().report_input(submission).unwrap().problems();
    assert!(expected.len() > 10, "the demo's consolidation has things to settle: {expected:?}");

    let mut rt = Runtime::new(demo_store(), date(2026, 3, 1), Settings::default()).unwrap();
    assert_eq!(rt.app.queue_to_settle.get(submission), Some(&expected.len()), "the queue's count");
    let row = rt.app.queue.iter().position(|a| a.submission == submission).unwrap();
    for _ in 0..row {
        rt.dispatch(Action::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)));
    }
    rt.dispatch(Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert_eq!(rt.app.panel.as_ref().expect("the Panel screen").data.problems(), expected, "the Panel screen");

    let dir = crate::support::demo_data_dir();
    let check = crate::support::accredit(dir.path(), &["panel", "check", submission]);
    let listed: Vec<String> =
        crate::support::stderr(&check).lines().filter_map(|l| l.strip_prefix("  ")).map(str::to_string).collect();
    assert_eq!(listed, expected, "accredit panel check");

    // The hub refuses the push with the same list, from its own copy.
    let hub = crate::support::TestHub::demo();
    let mut chair = hub.machine("u-demo");
    chair.sync();
    let refused = chair.client.push_report(submission).unwrap_err().to_string();
    for problem in &expected {
        assert!(refused.contains(problem.as_str()), "the hub's refusal lacks {problem:?}: {refused}");
    }
}

/// Issue 12 #14: a member sees the pushed report in their queue, reads it and confirms it from
/// the TUI, offline too; the confirmation reaches the hub with the next sync, and one the hub
/// refuses (a newer version pushed since) keeps its comment for confirming again.
mod member_confirms {
    use accredit::store::{ConfirmStatus, Store};
    use accredit::tui::{Runtime, Settings};
    use jiff::civil::date;
    use ratatui::crossterm::event::KeyCode;

    use crate::support::complete_for;
    use crate::support::{TestHub, accredit, keys, press, stderr, stdout};

    const CHAIRED: &str = "S-2026-009";

    struct Panel {
        hub: TestHub,
        chair: tempfile::TempDir,
        member: tempfile::TempDir,
    }

    impl Panel {
        /// The demo hub with its chair and one member logged in on their own data folders, and
        /// version 1 of the report pushed.
        fn pushed() -> Panel {
            let hub = TestHub::demo();
            let panel = Panel { chair: tempfile::tempdir().unwrap(), member: tempfile::tempdir().unwrap(), hub };
            assert!(
                panel
                    .chair(&["login", "--server", &panel.hub.url, "--token", panel.hub.token("u-demo")])
                    .status
                    .success()
            );
            assert!(
                panel
                    .member(&["login", "--server", &panel.hub.url, "--token", panel.hub.token("u-rev2")])
                    .status
                    .success()
            );
            assert!(panel.chair(&["sync"]).status.success());
            {
                let mut store = Store::open(&panel.chair.path().join("cache.sqlite")).unwrap();
                let consolidation = complete_for(&store, CHAIRED);
                store.save_consolidation(CHAIRED, "u-demo", &consolidation).unwrap();
            }
            let pushed = panel.chair(&["panel", "push", CHAIRED]);
            assert!(stdout(&pushed).contains("as version 1"), "{}{}", stdout(&pushed), stderr(&pushed));
            panel
        }

        fn chair(&self, args: &[&str]) -> std::process::Output {
            accredit(self.chair.path(), args)
        }

        fn member(&self, args: &[&str]) -> std::process::Output {
            accredit(self.member.path(), args)
        }

        /// The member's TUI on their cache, not connected (offline), on the report's row.
        fn member_tui(&self) -> Runtime {
            let store = Store::open(&self.member.path().join("cache.sqlite")).unwrap();
            let mut rt = Runtime::new(store, date(2026, 4, 9), Settings::default()).unwrap();
            let row = rt.app.queue.iter().position(|a| a.submission == CHAIRED).unwrap();
            for _ in 0..row {
                press(&mut rt, KeyCode::Down);
            }
            rt
        }
    }

    fn status(rt: &Runtime) -> Option<ConfirmStatus> {
        rt.app.queue.iter().find(|a| a.submission == CHAIRED).and_then(|a| a.report.clone())
    }

    #[test]
    fn a_member_reads_the_pushed_report_and_confirms_it_offline_and_the_next_sync_sends_it() {
        let panel = Panel::pushed();
        assert!(panel.member(&["sync"]).status.success());
        let mut rt = panel.member_tui();
        assert_eq!(status(&rt), Some(ConfirmStatus::ToConfirm { version: 1 }));
        assert_eq!(rt.app.queue[0].submission, CHAIRED, "a report to confirm needs me: it comes first");

        press(&mut rt, KeyCode::Char('r'));
        let report = rt.app.report.as_ref().expect("the report the chair pushed");
        assert_eq!(report.confirming.as_ref().map(|c| c.version), Some(1));
        assert!(
            report.lines.iter().any(|l| l.contains("S-2026-009/R1")),
            "the FINAL version 1: {:?}",
            &report.lines[..5]
        );
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| drop(accredit::tui::views::render(&rt.app, frame))).unwrap();
        let screen = terminal.backend().to_string();
        assert!(screen.contains("version 1 as the chair pushed it"), "{screen}");
        assert!(screen.contains("Awaited from: Dr Anika Sørensen, Tomasz Wiśniewski,"), "{screen}");
        assert!(screen.contains("c confirm"), "the hint bar offers confirming: {screen}");
        assert!(!screen.contains("P push"), "a member does not push: {screen}");

        press(&mut rt, KeyCode::Char('c'));
        keys(&mut rt, "Accurate; one typo in MPF 1.2.");
        press(&mut rt, KeyCode::Enter);
        assert_eq!(status(&rt), Some(ConfirmStatus::Waiting { version: 1 }));
        let flash = format!("{:?}", rt.app.flash);
        assert!(flash.contains("goes to the hub with the next sync"), "{flash}");
        drop(rt);

        // The comment is on disk before any sync; the next sync (here the CLI's) sends it.
        let synced = panel.member(&["sync"]);
        assert!(stdout(&synced).contains("sent 1 report confirmation"), "{}{}", stdout(&synced), stderr(&synced));
        let rt = panel.member_tui();
        assert_eq!(status(&rt), Some(ConfirmStatus::Confirmed { version: 1, latest: 1 }));
        let pushed = panel.chair(&["panel", "push", CHAIRED]);
        assert!(stdout(&pushed).contains("not yet confirmed by: Tomasz Wiśniewski"), "{}", stdout(&pushed));
        let record = stdout(&panel.chair(&["report", CHAIRED]));
        assert!(
            record.contains("by Dr Anika Sørensen on") && record.contains("comment: Accurate; one typo in MPF 1.2."),
            "{record}"
        );
    }

    /// The panel's record has every reviewer's judgement of every standard in its appendix: a
    /// member limited to some standards reads (and confirms) the provider's report instead.
    #[test]
    fn a_member_limited_to_some_standards_reads_the_providers_report_not_the_record() {
        let panel = Panel::pushed();
        let lay = panel.hub.client("u-lay");
        let feed = lay.changes(0, 1000).unwrap();
        let pushed = feed
            .changes
            .iter()
            .find_map(|c| if let accredit::wire::Change::Report { pushed, .. } = c { Some(pushed) } else { None })
            .expect("the feed brings the lay member the pushed report");
        assert!(pushed.markdown.contains("S-2026-009/R1"), "{}", pushed.markdown);
        assert!(!pushed.markdown.contains("Appendix (internal"), "the provider's report, without the appendix");
        assert!(
            matches!(lay.report(CHAIRED, 1, "md"), Err(accredit::sync::SyncError::Refused { status: 403, .. })),
            "the panel's record is refused"
        );
        let reviewer = panel.hub.client("u-rev2");
        assert!(
            reviewer.report(CHAIRED, 1, "md").unwrap().contains("Appendix (internal"),
            "an unlimited member reads it"
        );
        let confirmed = lay.confirm(CHAIRED, "", Some(1)).expect("the lay member confirms");
        assert_eq!(confirmed.version, 1);
    }

    #[test]
    fn a_confirmation_of_a_superseded_version_is_refused_and_its_comment_kept() {
        let panel = Panel::pushed();
        assert!(panel.member(&["sync"]).status.success());
        let mut rt = panel.member_tui();
        press(&mut rt, KeyCode::Char('r'));
        press(&mut rt, KeyCode::Char('c'));
        keys(&mut rt, "Read on the train.");
        press(&mut rt, KeyCode::Enter);
        drop(rt);

        // Meanwhile the chair rewords a standard and pushes version 2.
        {
            let mut store = Store::open(&panel.chair.path().join("cache.sqlite")).unwrap();
            let mut consolidation = store.consolidation(CHAIRED).unwrap();
            consolidation.outcomes[0].rationale = "Reworded after the panel meeting.".into();
            store.save_consolidation(CHAIRED, "u-demo", &consolidation).unwrap();
        }
        assert!(stdout(&panel.chair(&["panel", "push", CHAIRED])).contains("as version 2"));

        let synced = panel.member(&["sync"]);
        assert!(synced.status.success(), "a refusal does not fail the sync: {}", stderr(&synced));
        let mut rt = panel.member_tui();
        let Some(ConfirmStatus::Refused { version: 1, reason }) = status(&rt) else { panic!("{:?}", status(&rt)) };
        assert!(reason.contains("pushed version 2 since"), "{reason}");
        assert_eq!(rt.app.queue[0].submission, CHAIRED, "a refused confirmation needs me again");

        // Reading version 2 and confirming again starts from the kept comment.
        press(&mut rt, KeyCode::Char('r'));
        assert_eq!(rt.app.report.as_ref().and_then(|r| r.confirming.as_ref()).map(|c| c.version), Some(2));
        press(&mut rt, KeyCode::Char('c'));
        press(&mut rt, KeyCode::Enter);
        drop(rt);
        assert!(stdout(&panel.member(&["sync"])).contains("sent 1 report confirmation"));
        let list = stdout(&panel.chair(&["panel", "push", CHAIRED]));
        assert!(list.contains("not yet confirmed by: Tomasz Wiśniewski"), "{list}");
        let record = stdout(&panel.chair(&["report", CHAIRED]));
        assert!(record.contains("(version 2) — comment: Read on the train."), "{record}");
    }
}
