//! The chair's Panel and Report screens, driven with keys through `Runtime` and checked in the
//! store: S-2026-009, which the demo user chairs (reviewers u-rev2 and u-rev3, lay member u-lay
//! on four standards, u-rev1 recused). Snapshots at 80×24 and 160×48.

use std::time::{Duration, Instant};

use accredit::config::Layout;
use accredit::domain::agreement::Agreement;
use accredit::domain::consolidation::{Consolidation, DecisionKind, PanelOutcome};
use accredit::domain::{MemberRole, Outcome};
use accredit::tui::app::Flash;
use accredit::tui::keymap::Context;
use accredit::tui::screens::panel::{Cell, Flag, FormField, PanelFocus, PanelState};
use accredit::tui::theme::Theme;
use accredit::tui::{Action, Runtime, ScreenId, Settings, views};
use jiff::civil::date;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui::style::Color;

use crate::support::{judgement_rows, keys, press, runtime_with};

const ME: &str = "u-demo";
const SUBMISSION: &str = "S-2026-009";
/// The common size, a wide one, and the two small ones a reader hit (issue 9).
const SIZES: [(u16, u16); 4] = [(80, 24), (160, 48), (60, 20), (40, 10)];

/// The queue, down to the submission the demo user chairs, and Enter.
fn open_panel(rt: &mut Runtime) {
    let row = rt.app.queue.iter().position(|a| a.submission == SUBMISSION).expect("the chair's row");
    for _ in 0..row {
        press(rt, KeyCode::Down);
    }
    press(rt, KeyCode::Enter);
    assert_eq!(rt.app.screen, ScreenId::Panel, "Enter on a submission I chair opens the Panel screen");
}

fn chair() -> Runtime {
    let mut rt = runtime_with(Settings::default());
    open_panel(&mut rt);
    rt
}

fn panel(rt: &Runtime) -> &PanelState {
    rt.app.panel.as_ref().expect("the panel is open")
}

fn selected(rt: &Runtime) -> String {
    panel(rt).current().expect("a standard is selected").code.clone()
}

/// Moves the selection to `code` with j and k.
fn go_to(rt: &mut Runtime, code: &str) {
    let target = panel(rt).position(code).unwrap_or_else(|| panic!("{code} is not listed"));
    while panel(rt).selected < target {
        press(rt, KeyCode::Char('j'));
    }
    while panel(rt).selected > target {
        press(rt, KeyCode::Char('k'));
    }
    assert_eq!(selected(rt), code);
}

fn stored(rt: &Runtime) -> Consolidation {
    rt.store.consolidation(SUBMISSION).expect("the consolidation")
}

fn stored_outcome(rt: &Runtime, code: &str) -> PanelOutcome {
    stored(rt).outcome(code).cloned().unwrap_or_else(|| panic!("no panel outcome of {code} in the store"))
}

fn flash(rt: &Runtime) -> String {
    match &rt.app.flash {
        Some(Flash::Info(text) | Flash::Error(text)) => text.clone(),
        None => String::new(),
    }
}

fn flags(rt: &Runtime, code: &str) -> Vec<Flag> {
    let data = &panel(rt).data;
    data.flags(data.standard(code).expect("the standard"))
}

/// The rationale a reviewer submitted for a standard, as the store holds it.
fn reviewer_rationale(rt: &Runtime, code: &str, reviewer: &str) -> String {
    let review = rt.store.load_review(SUBMISSION, ME).expect("the chair's review");
    let standard = review.standards().find(|s| s.code == code).expect("the standard");
    standard.others.iter().find(|o| o.reviewer == reviewer).expect("their judgement").rationale.clone()
}

/// A sync has brought changes (here: written straight to the store): the panel reloads.
fn synced(rt: &mut Runtime) {
    rt.dispatch(Action::SyncFinished { result: Ok("pulled".into()), at: "10:00".into() });
}

fn tick_later(rt: &mut Runtime) {
    rt.dispatch(Action::Tick(Instant::now() + Duration::from_secs(2)));
}

fn draw(rt: &Runtime, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| {
            views::render(&rt.app, frame);
        })
        .expect("draw");
    terminal
}

fn screen_text(rt: &Runtime, width: u16, height: u16) -> String {
    let terminal = draw(rt, width, height);
    let rows: Vec<String> = terminal
        .backend()
        .buffer()
        .content()
        .chunks(width as usize)
        .map(|row| row.iter().map(|c| c.symbol()).collect())
        .collect();
    rows.join("\n")
}

fn snapshot(name: &str, rt: &Runtime) {
    for (width, height) in SIZES {
        // Saving stamps the decision with today's date: shown as TODAY-DATE (same width).
        let today = jiff::Zoned::now().date().to_string();
        let screen = draw(rt, width, height).backend().to_string().replace(&today, "TODAY-DATE");
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), screen);
    }
}

#[test]
fn the_grid_has_a_column_per_voting_reviewer_and_lay_limits_are_not_gaps() {
    let rt = chair();
    let data = &panel(&rt).data;
    let voters: Vec<&str> = data.voters.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(voters, ["u-rev2", "u-rev3", "u-lay"], "the recused u-rev1 and the officer have no column");
    assert_eq!(data.recused, ["Daniel Whitcombe"]);
    assert_eq!(panel(&rt).rows.len(), 51);
    let mpf = data.standard("MPF 1.1").unwrap();
    assert_eq!(mpf.cells[2], Cell::NotTheirs, "the lay member does not judge MPF 1.1");
    assert_eq!(data.flags(mpf), vec![Flag::NoOutcome], "a lay member's absence is not missing");
    let lay = data.standard("SET-DEMO 5.3").unwrap();
    assert_eq!(
        lay.cells.iter().map(Cell::outcome).collect::<Vec<_>>(),
        [Some(Outcome::Met), Some(Outcome::PartiallyMet), Some(Outcome::NotMet)]
    );
    assert_eq!(lay.agreement, Some(Agreement::Split));
    // The figures are the report appendix's, not computed again here.
    let report = accredit::report::build(&rt.store.report_input(SUBMISSION).unwrap());
    assert_eq!((data.kappa, data.observed), (report.appendix.kappa, report.appendix.observed_agreement));
    assert!(data.kappa.is_some());
    assert_eq!(data.problems().len(), 52, "51 standards without a panel outcome, and no decision");
    let text = screen_text(&rt, 80, 24);
    assert!(text.contains("κ 0.370"), "{text}");
    assert!(text.contains("⚑ 52 to settle"), "{text}");
}

#[test]
fn outcomes_notes_and_adopted_wording_go_to_the_store_and_never_touch_a_judgement() {
    let mut rt = chair();
    let judgements_before = judgement_rows(rt.store.connection());

    // Not met where both reviewers said met: a resolution note is required, and a condition.
    go_to(&mut rt, "MPF 1.1");
    keys(&mut rt, "3");
    assert_eq!(stored_outcome(&rt, "MPF 1.1").outcome, Outcome::NotMet);
    assert!(flash(&rt).contains("resolution note"), "{}", flash(&rt));
    assert_eq!(flags(&rt, "MPF 1.1"), vec![Flag::NoRationale, Flag::NoteRequired, Flag::ConditionRequired]);
    assert!(
        panel(&rt)
            .data
            .problems()
            .iter()
            .any(|p| p == "MPF 1.1: differs from a reviewer, so it needs a resolution note"),
        "the count in the header is Consolidation::problems"
    );

    // The resolution note, typed inline: saved on Esc.
    keys(&mut rt, "n");
    assert_eq!(rt.app.context(), Context::Editor);
    keys(&mut rt, "Both reviewers missed the unsigned scope policy.");
    press(&mut rt, KeyCode::Esc);
    assert_eq!(stored_outcome(&rt, "MPF 1.1").resolution_note, "Both reviewers missed the unsigned scope policy.");
    assert_eq!(flags(&rt, "MPF 1.1"), vec![Flag::NoRationale, Flag::ConditionRequired]);

    // The "no condition because" note, and the rationale saved within a second by the tick.
    keys(&mut rt, "b");
    keys(&mut rt, "Addressed by R1.");
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "e");
    keys(&mut rt, "The scope policy is unsigned");
    assert!(rt.app.wants_tick());
    tick_later(&mut rt);
    assert_eq!(stored_outcome(&rt, "MPF 1.1").rationale, "The scope policy is unsigned", "saved while typing");
    press(&mut rt, KeyCode::Esc);
    assert_eq!(flags(&rt, "MPF 1.1"), vec![], "settled");
    assert_eq!(stored_outcome(&rt, "MPF 1.1").no_condition_reason, "Addressed by R1.");

    // Adopting a reviewer's wording: their text starts the panel rationale, and their outcome
    // is taken when the panel has none yet.
    go_to(&mut rt, "SET-DEMO 5.3");
    press(&mut rt, KeyCode::Enter);
    assert_eq!(panel(&rt).focus, PanelFocus::Detail);
    press(&mut rt, KeyCode::Tab);
    assert_eq!(panel(&rt).voter().unwrap().id, "u-rev3");
    keys(&mut rt, "a");
    let wording = reviewer_rationale(&rt, "SET-DEMO 5.3", "u-rev3");
    let adopted = stored_outcome(&rt, "SET-DEMO 5.3");
    assert_eq!((adopted.outcome, adopted.rationale.as_str()), (Outcome::PartiallyMet, wording.as_str()));
    assert_eq!(rt.app.context(), Context::Editor, "the adopted wording is open to be made the panel's own");
    keys(&mut rt, " The panel agrees.");
    press(&mut rt, KeyCode::Esc);
    assert_eq!(stored_outcome(&rt, "SET-DEMO 5.3").rationale, format!("{wording} The panel agrees."));
    // It differs from the met of u-rev2 and the not met of u-lay: a note is required; it is
    // more lenient than the lay member, which is a warning only.
    assert!(flags(&rt, "SET-DEMO 5.3").contains(&Flag::NoteRequired));
    let standard = panel(&rt).data.standard("SET-DEMO 5.3").unwrap().clone();
    assert_eq!(panel(&rt).data.leniency(&standard), Some(Outcome::NotMet));
    keys(&mut rt, "1");
    assert!(flash(&rt).contains("More lenient than the most severe reviewer (not met)"), "{}", flash(&rt));
    assert_eq!(stored_outcome(&rt, "SET-DEMO 5.3").outcome, Outcome::Met, "a warning, not a block");
    keys(&mut rt, "2");

    // Adopting again appends: nothing the chair wrote is lost.
    press(&mut rt, KeyCode::BackTab);
    assert_eq!(panel(&rt).voter().unwrap().id, "u-rev2");
    keys(&mut rt, "a");
    press(&mut rt, KeyCode::Esc);
    let text = stored_outcome(&rt, "SET-DEMO 5.3").rationale;
    assert!(text.starts_with(&format!("{wording} The panel agrees.\n\n")), "{text}");
    assert!(text.ends_with(&reviewer_rationale(&rt, "SET-DEMO 5.3", "u-rev2")));
    assert_eq!(stored_outcome(&rt, "SET-DEMO 5.3").outcome, Outcome::PartiallyMet, "the outcome stays the chair's");

    // Tab passes over a lay member on a standard they do not judge (issue 12 item 12).
    go_to(&mut rt, "MPF 1.2");
    let start = panel(&rt).reviewer;
    for _ in 0..2 {
        press(&mut rt, KeyCode::Tab);
        assert_ne!(panel(&rt).voter().unwrap().role, MemberRole::Lay, "the lay member does not judge MPF 1.2");
    }
    assert_eq!(panel(&rt).reviewer, start, "two reviewers judge it: two Tabs come back");
    assert!(stored(&rt).outcome("MPF 1.2").is_none());

    assert_eq!(judgement_rows(rt.store.connection()), judgements_before, "reviewer judgements are never changed");
}

#[test]
fn recommendations_commendations_conditions_and_the_decision() {
    let mut rt = chair();
    go_to(&mut rt, "SET-DEMO 5.3");
    keys(&mut rt, "2");
    keys(&mut rt, "r");
    assert_eq!(rt.app.context(), Context::Prompt);
    keys(&mut rt, "Publish the involvement plan.");
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "c");
    keys(&mut rt, "Co-designed curriculum.");
    press(&mut rt, KeyCode::Enter);
    assert_eq!(rt.app.context(), Context::Panel);

    // A condition is a small form: text, evidence, due date, standards; a bad date is refused
    // and the form stays, on that field; a record may cover several standards (issue 12 items 2, 11).
    assert!(flags(&rt, "SET-DEMO 5.3").contains(&Flag::ConditionRequired));
    keys(&mut rt, "C");
    assert_eq!(panel(&rt).form.as_ref().unwrap().title(), "New condition for SET-DEMO 5.3");
    keys(&mut rt, "Involve service users in assessment.");
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "Minutes of the assessment board.");
    press(&mut rt, KeyCode::Tab);
    assert_eq!(panel(&rt).form.as_ref().unwrap().value(FormField::Due), "2026-06-01", "the due date is offered");
    for _ in 0..10 {
        press(&mut rt, KeyCode::Backspace);
    }
    keys(&mut rt, "June");
    press(&mut rt, KeyCode::Enter);
    assert!(flash(&rt).contains("not a date"), "{}", flash(&rt));
    assert_eq!(panel(&rt).form.as_ref().unwrap().fields[panel(&rt).form.as_ref().unwrap().focus].0, FormField::Due);
    for _ in 0..4 {
        press(&mut rt, KeyCode::Backspace);
    }
    keys(&mut rt, "2026-06-30");
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, ", set-demo 5.9");
    press(&mut rt, KeyCode::Enter);
    assert!(flash(&rt).contains("set-demo 5.9"), "an unknown code is refused: {}", flash(&rt));
    for _ in 0..", set-demo 5.9".len() {
        press(&mut rt, KeyCode::Backspace);
    }
    keys(&mut rt, ", mpf1.4");
    press(&mut rt, KeyCode::Enter);
    assert_eq!(rt.app.context(), Context::Panel, "{}", flash(&rt));

    let c = stored(&rt);
    assert_eq!(c.recommendations.len(), 1);
    assert_eq!(
        (c.recommendations[0].id.as_str(), c.recommendations[0].text.as_str()),
        ("R1", "Publish the involvement plan.")
    );
    assert_eq!(c.recommendations[0].standards, ["SET-DEMO 5.3"]);
    assert_eq!((c.commendations[0].id.as_str(), c.commendations[0].text.as_str()), ("G1", "Co-designed curriculum."));
    let condition = &c.conditions[0];
    assert_eq!(
        (condition.id.as_str(), condition.standards.as_slice()),
        ("C1", ["SET-DEMO 5.3".to_string(), "MPF 1.4".to_string()].as_slice())
    );
    assert_eq!(condition.evidence_required, "Minutes of the assessment board.");
    assert_eq!(condition.due, date(2026, 6, 30));
    assert!(!flags(&rt, "SET-DEMO 5.3").contains(&Flag::ConditionRequired), "the condition settles it");

    // Esc cancels a prompt and saves nothing.
    keys(&mut rt, "r");
    keys(&mut rt, "Never mind");
    press(&mut rt, KeyCode::Esc);
    assert_eq!(stored(&rt).recommendations.len(), 1);

    // The decision: the rules suggest accredited with conditions; accredited asks why.
    keys(&mut rt, "d");
    assert_eq!(rt.app.context(), Context::Decide);
    assert_eq!(panel(&rt).suggested(), DecisionKind::AccreditedWithConditions);
    assert_eq!(panel(&rt).chooser, Some(1), "the chooser opens on what the rules suggest");
    keys(&mut rt, "k");
    press(&mut rt, KeyCode::Enter);
    assert_eq!(rt.app.context(), Context::Prompt, "a decision against the rules needs a reason");
    assert!(stored(&rt).decision.is_none());
    keys(&mut rt, "Appeal upheld.");
    press(&mut rt, KeyCode::Enter);
    let decision = stored(&rt).decision.unwrap();
    assert_eq!((decision.kind, decision.override_reason.as_str()), (DecisionKind::Accredited, "Appeal upheld."));

    // What the rules suggest is recorded at once, and the override reason is dropped.
    keys(&mut rt, "dj");
    press(&mut rt, KeyCode::Enter);
    let decision = stored(&rt).decision.unwrap();
    assert_eq!((decision.kind, decision.override_reason.as_str()), (DecisionKind::AccreditedWithConditions, ""));
}

#[test]
fn needs_me_filter_sorting_and_jumping() {
    let mut rt = chair();
    // Settle MPF 1.2 completely: met (as both reviewers), with a rationale.
    go_to(&mut rt, "MPF 1.2");
    keys(&mut rt, "1e");
    keys(&mut rt, "Met as both reviewers found.");
    press(&mut rt, KeyCode::Esc);
    assert!(flags(&rt, "MPF 1.2").is_empty());

    keys(&mut rt, "f");
    assert!(panel(&rt).needs_me_only);
    assert_eq!(panel(&rt).rows.len(), 50);
    assert!(panel(&rt).position("MPF 1.2").is_none(), "a settled standard is not listed");
    assert_eq!(selected(&rt), "MPF 1.3", "the selection moves to the next that needs me");

    // Settling the selected row keeps it until the selection moves on.
    keys(&mut rt, "1e");
    keys(&mut rt, "Met.");
    press(&mut rt, KeyCode::Esc);
    assert_eq!(selected(&rt), "MPF 1.3");
    keys(&mut rt, "j");
    assert_eq!(selected(&rt), "MPF 1.4", "the next row, not one further");
    assert_eq!(panel(&rt).rows.len(), 49);

    // Splits first: the four splits, in the frameworks' order, then the rest.
    keys(&mut rt, "o");
    let order: Vec<String> =
        panel(&rt).rows.iter().take(5).map(|&i| panel(&rt).data.standards[i].code.clone()).collect();
    assert_eq!(order, ["MPF 1.4", "MPF 4.5", "SET-DEMO 5.2", "SET-DEMO 5.3", "MPF 1.1"]);
    assert_eq!(selected(&rt), "MPF 1.4", "sorting keeps the selected standard");

    // Every row settled but the splits: the filter lists only them, and ] walks them.
    keys(&mut rt, "fo");
    let mut c = stored(&rt);
    for s in &panel(&rt).data.standards {
        if s.agreement != Some(Agreement::Split) && c.outcome(&s.code).is_none() {
            c.outcomes.push(PanelOutcome {
                standard: s.code.clone(),
                outcome: Outcome::Met,
                rationale: "Met.".into(),
                resolution_note: if s.reviewer_outcomes.iter().all(|&o| o == Outcome::Met) {
                    String::new()
                } else {
                    "Evidence seen at the panel.".into()
                },
                no_condition_reason: String::new(),
            });
        }
    }
    rt.store.save_consolidation(SUBMISSION, ME, &c).unwrap();
    synced(&mut rt);
    keys(&mut rt, "f");
    let listed: Vec<String> = panel(&rt).rows.iter().map(|&i| panel(&rt).data.standards[i].code.clone()).collect();
    assert_eq!(listed, ["MPF 1.4", "MPF 4.5", "SET-DEMO 5.2", "SET-DEMO 5.3"]);
    keys(&mut rt, "g]");
    assert_eq!(selected(&rt), "MPF 4.5");
    keys(&mut rt, "]]");
    assert_eq!(selected(&rt), "SET-DEMO 5.3");
    keys(&mut rt, "]");
    assert_eq!(selected(&rt), "MPF 1.4", "] wraps");
    keys(&mut rt, "[");
    assert_eq!(selected(&rt), "SET-DEMO 5.3");
}

#[test]
fn the_report_screen_lists_what_is_missing_then_the_markdown() {
    let mut rt = chair();
    keys(&mut rt, "p");
    assert_eq!(rt.app.screen, ScreenId::Report);
    let report = rt.app.report.as_ref().unwrap();
    let input = rt.store.report_input(SUBMISSION).unwrap();
    let markdown = accredit::report::render(&accredit::report::build(&input), accredit::report::Format::Markdown);
    assert_eq!(report.lines.join("\n"), markdown.trim_end(), "the preview is the Markdown `accredit report` writes");
    assert_eq!(report.problems, panel(&rt).data.problems(), "the same problems as the panel's count");
    assert!(report.problems.iter().any(|p| p == "no decision yet"));
    keys(&mut rt, "G");
    assert!(rt.app.report.as_ref().unwrap().scroll > 0);
    keys(&mut rt, "g");
    assert_eq!(rt.app.report.as_ref().unwrap().scroll, 0);
    press(&mut rt, KeyCode::Esc);
    assert_eq!(rt.app.screen, ScreenId::Panel);
    press(&mut rt, KeyCode::Esc);
    assert_eq!(rt.app.screen, ScreenId::Queue);
    assert!(rt.app.panel.is_none());
}

/// Everything consolidated but SET-DEMO 5.3, as if the chair had worked through the grid.
fn nearly_consolidated(rt: &mut Runtime) {
    let data = &panel(rt).data;
    let mut c = Consolidation::default();
    for s in &data.standards {
        if s.code == "SET-DEMO 5.3" {
            continue;
        }
        let split = s.agreement == Some(Agreement::Split);
        let outcome = if s.code == "SET-DEMO 1.1" { Outcome::PartiallyMet } else { Outcome::Met };
        c.outcomes.push(PanelOutcome {
            standard: s.code.clone(),
            outcome,
            rationale: format!("The panel finds {} {}.", s.code, outcome.label()),
            resolution_note: if split { "The evidence seen at the panel settles it.".into() } else { String::new() },
            no_condition_reason: if outcome == Outcome::Met { String::new() } else { "Addressed by R1.".into() },
        });
    }
    rt.store.save_consolidation(SUBMISSION, ME, &c).unwrap();
    synced(rt);
}

#[test]
fn snapshots_of_the_panel_screens() {
    let mut rt = chair();
    go_to(&mut rt, "MPF 1.4");
    keys(&mut rt, "2");
    go_to(&mut rt, "SET-DEMO 1.1");
    keys(&mut rt, "1");
    keys(&mut rt, "og");
    rt.app.flash = None;
    snapshot("panel_grid", &rt);

    go_to(&mut rt, "SET-DEMO 5.3");
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "2");
    rt.app.flash = None;
    snapshot("panel_detail", &rt);

    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "a");
    keys(&mut rt, " The panel agrees.");
    rt.app.flash = None;
    snapshot("panel_editing", &rt);
    press(&mut rt, KeyCode::Esc);

    keys(&mut rt, "d");
    snapshot("panel_decide", &rt);
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "r");
    keys(&mut rt, "Publish the involvement plan.");
    snapshot("panel_prompt", &rt);
}

#[test]
fn snapshots_of_the_report_screen() {
    let mut rt = chair();
    nearly_consolidated(&mut rt);
    keys(&mut rt, "p");
    snapshot("report_preview", &rt);
    for _ in 0..12 {
        keys(&mut rt, "j");
    }
    snapshot("report_preview_scrolled", &rt);
}

#[test]
fn every_panel_screen_draws_at_small_sizes_and_without_colour() {
    let mut rt = runtime_with(Settings::with_theme(Theme::monochrome()));
    open_panel(&mut rt);
    // The grid, a standard, its editor, the decision chooser, a prompt, the report.
    let states = ["", "\n", "1e", "\u{1b}d", "\u{1b}r", "\u{1b}p"];
    for keys_to_press in states {
        for c in keys_to_press.chars() {
            match c {
                '\n' => press(&mut rt, KeyCode::Enter),
                '\u{1b}' => press(&mut rt, KeyCode::Esc),
                c => press(&mut rt, KeyCode::Char(c)),
            }
        }
        for (width, height) in [(0, 0), (1, 1), (20, 5), (40, 10), (41, 11), (50, 12), (80, 24), (200, 60)] {
            let terminal = draw(&rt, width, height);
            for cell in terminal.backend().buffer().content() {
                assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "cell {:?} is coloured", cell.symbol());
            }
        }
    }
    assert_eq!(rt.app.screen, ScreenId::Report);
}

#[test]
fn the_linear_layout_says_where_the_keys_are_on_the_panel_screens() {
    let mut rt = runtime_with(Settings { layout: Layout::Linear, ..Settings::default() });
    open_panel(&mut rt);
    let said = |rt: &Runtime| {
        let text = screen_text(rt, 80, 24);
        assert!(!text.chars().any(|c| ('\u{2500}'..='\u{257f}').contains(&c)), "box drawing in:\n{text}");
        text.lines().skip(1).take(4).map(str::trim).collect::<Vec<_>>().join(" ")
    };
    let grid = said(&rt);
    assert!(grid.starts_with("Panel S-2026-009, 52 things to settle. Selected 1 of 51: MPF 1.1:"), "{grid}");
    assert!(grid.contains("Lowther not theirs"), "{grid}");
    press(&mut rt, KeyCode::Enter);
    let detail = said(&rt);
    assert!(detail.contains("Selected reviewer 1 of 3: Dr Anika Sørensen, met; a adopts their wording."), "{detail}");
    keys(&mut rt, "1e");
    assert!(said(&rt).starts_with("Editing the panel rationale of MPF 1.1. Esc when done"), "{}", said(&rt));
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "d");
    assert!(said(&rt).starts_with("Choosing the panel's decision. Selected 1 of 4: Accredited"), "{}", said(&rt));
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "r");
    assert!(said(&rt).starts_with("New recommendation for MPF 1.1: field 1 of 2"), "{}", said(&rt));
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "p");
    assert!(said(&rt).starts_with("Report preview of S-2026-009, as Markdown: 51 things to settle"), "{}", said(&rt));
    insta::assert_snapshot!("panel_linear_report_80x24", draw(&rt, 80, 24).backend());
    press(&mut rt, KeyCode::Esc);
    press(&mut rt, KeyCode::Esc);
    insta::assert_snapshot!("panel_linear_grid_80x24", draw(&rt, 80, 24).backend());
}

#[test]
fn the_flags_of_each_row_agree_with_the_problems_the_report_lists() {
    use accredit::domain::consolidation::{Condition, ConditionStatus};
    let mut rt = chair();
    let mut c = Consolidation::default();
    let outcome = |code: &str, outcome, rationale: &str, note: &str, because: &str| PanelOutcome {
        standard: code.into(),
        outcome,
        rationale: rationale.into(),
        resolution_note: note.into(),
        no_condition_reason: because.into(),
    };
    c.outcomes.push(outcome("MPF 1.1", Outcome::Met, "", "", ""));
    c.outcomes.push(outcome("MPF 1.2", Outcome::PartiallyMet, "Thin.", "", ""));
    c.outcomes.push(outcome("MPF 1.3", Outcome::NotMet, "Absent.", "Seen at the panel.", "Refused outright."));
    c.outcomes.push(outcome("MPF 1.4", Outcome::PartiallyMet, "Uneven.", "The OSCE station is one of ten.", ""));
    c.outcomes.push(outcome("MPF 4.5", Outcome::Met, "Fine.", "", ""));
    c.outcomes.push(outcome("SET-DEMO 1.1", Outcome::PartiallyMet, "As both found.", "", ""));
    c.conditions.push(Condition {
        id: "C1".into(),
        standards: vec!["SET-DEMO 1.1".into()],
        text: "Do it.".into(),
        evidence_required: "Letters.".into(),
        due: date(2026, 6, 30),
        status: ConditionStatus::Open,
        signed_off_on: None,
    });
    c.conditions.push(Condition {
        id: "C2".into(),
        standards: vec!["MPF 1.4".into()],
        text: "Withdrawn.".into(),
        evidence_required: String::new(),
        due: date(2026, 6, 30),
        status: ConditionStatus::Withdrawn,
        signed_off_on: None,
    });
    rt.store.save_consolidation(SUBMISSION, ME, &c).unwrap();
    synced(&mut rt);
    let data = &panel(&rt).data;
    let problems = data.problems();
    for s in &data.standards {
        let listed = problems.iter().any(|p| p.starts_with(&format!("{}:", s.code)));
        assert_eq!(!data.flags(s).is_empty(), listed, "{}: flags {:?}, problems {problems:?}", s.code, data.flags(s));
    }
    // The demo frameworks ask a rationale only where a standard falls short: a met needs none.
    assert_eq!(data.flags(data.standard("MPF 1.1").unwrap()), vec![]);
    assert_eq!(data.flags(data.standard("MPF 1.2").unwrap()), vec![Flag::NoteRequired, Flag::ConditionRequired]);
    assert_eq!(data.flags(data.standard("MPF 1.3").unwrap()), vec![]);
    assert_eq!(data.flags(data.standard("MPF 1.4").unwrap()), vec![Flag::Split, Flag::ConditionRequired], "withdrawn");
    assert_eq!(data.flags(data.standard("MPF 4.5").unwrap()), vec![Flag::Split, Flag::NoteRequired]);
    assert_eq!(data.flags(data.standard("SET-DEMO 1.1").unwrap()), vec![], "a condition settles it");
}

#[test]
fn the_mouse_selects_a_row_of_the_grid_and_the_wheel_moves_and_scrolls() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut rt = runtime_with(Settings { mouse: true, ..Settings::default() });
    open_panel(&mut rt);
    let mouse = |rt: &mut Runtime, kind, column, row| {
        rt.dispatch(Action::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE }));
    };
    let text = screen_text(&rt, 100, 30);
    // The app keeps where the frame it drew put each row, for the clicks that follow.
    Terminal::new(TestBackend::new(100, 30)).unwrap().draw(|frame| views::draw(&mut rt.app, frame)).unwrap();
    let y = text.lines().position(|l| l.contains("MPF 1.3 ")).expect("MPF 1.3 is drawn");
    mouse(&mut rt, MouseEventKind::Down(MouseButton::Left), 10, y as u16);
    assert_eq!(selected(&rt), "MPF 1.3");
    mouse(&mut rt, MouseEventKind::ScrollDown, 10, 10);
    assert_eq!(selected(&rt), "MPF 1.4");
    press(&mut rt, KeyCode::Enter);
    mouse(&mut rt, MouseEventKind::ScrollDown, 10, 10);
    assert_eq!((selected(&rt).as_str(), panel(&rt).detail_scroll), ("MPF 1.4", 3), "the wheel scrolls the rationales");
}

#[test]
fn help_on_the_panel_screen_lists_its_keys_from_the_keymap() {
    let mut rt = chair();
    keys(&mut rt, "?");
    let text = screen_text(&rt, 160, 48);
    for line in ["Panel (chair)", "adopt the selected reviewer's wording", "filter: only the standards that need me"] {
        assert!(text.contains(line), "{line} is not in:\n{text}");
    }
    snapshot("panel_help", &rt);
}

#[test]
fn reading_the_review_returns_to_the_panel_and_a_sync_keeps_the_chair_where_they_are() {
    let mut rt = chair();
    keys(&mut rt, "o");
    go_to(&mut rt, "SET-DEMO 5.2");
    keys(&mut rt, "v");
    assert_eq!(rt.app.screen, ScreenId::Review);
    assert_eq!(rt.app.review.as_ref().unwrap().current().unwrap().code, "SET-DEMO 5.2", "the same standard");
    press(&mut rt, KeyCode::Esc);
    assert_eq!(rt.app.screen, ScreenId::Panel);
    synced(&mut rt);
    assert_eq!(rt.app.screen, ScreenId::Panel, "a sync reloads the panel in place");
    assert!(panel(&rt).splits_first);
    assert_eq!(selected(&rt), "SET-DEMO 5.2");

    // A sync while the chair types reloads only when the editor closes, and loses no text.
    keys(&mut rt, "2e");
    keys(&mut rt, "Typed during a sync");
    synced(&mut rt);
    assert_eq!(rt.app.context(), Context::Editor);
    assert!(panel(&rt).stale);
    press(&mut rt, KeyCode::Esc);
    assert!(!panel(&rt).stale);
    assert_eq!(stored_outcome(&rt, "SET-DEMO 5.2").rationale, "Typed during a sync");
    assert_eq!(panel(&rt).data.consolidation.outcome("SET-DEMO 5.2").unwrap().rationale, "Typed during a sync");
}

#[test]
fn pushing_from_the_report_screen_asks_first_and_only_when_complete() {
    use accredit::domain::consolidation::Decision;
    use accredit::tui::Overlay;
    let mut rt = chair();
    keys(&mut rt, "p");
    keys(&mut rt, "P");
    assert!(rt.app.overlay.is_none(), "an incomplete report is not offered for pushing");
    assert!(flash(&rt).contains("Not complete: 52 things to settle"), "{}", flash(&rt));

    // Complete: every standard met as the reviewers found, the splits explained, a decision.
    let mut c = Consolidation::default();
    for s in &panel(&rt).data.standards {
        let agree = s.reviewer_outcomes.iter().all(|&o| o == Outcome::Met);
        c.outcomes.push(PanelOutcome {
            standard: s.code.clone(),
            outcome: Outcome::Met,
            rationale: "Met.".into(),
            resolution_note: if agree { String::new() } else { "Settled at the panel meeting.".into() },
            no_condition_reason: String::new(),
        });
    }
    c.decision = Some(Decision::new(DecisionKind::Accredited, ""));
    rt.store.save_consolidation(SUBMISSION, ME, &c).unwrap();
    synced(&mut rt);
    assert_eq!(rt.app.report.as_ref().unwrap().problems, Vec::<String>::new(), "the sync reloaded the preview");
    keys(&mut rt, "P");
    assert!(matches!(&rt.app.overlay, Some(Overlay::ConfirmPush { submission }) if submission == SUBMISSION));
    assert_eq!(rt.app.context(), Context::Confirm);
    snapshot("report_confirm_push", &rt);
    keys(&mut rt, "n");
    assert!(rt.app.overlay.is_none());
    keys(&mut rt, "Py");
    // No hub in this test: the push is asked of the sync thread, and the runtime says why not.
    assert!(flash(&rt).contains("was not pushed: this cache is not connected to a hub"), "{}", flash(&rt));
}

/// Issue 9 #7: a sync (here the periodic one finishing) while the Panel is open keeps the chair
/// on the Panel, even with another submission's review still loaded from before, and Enter on the
/// queue opens the panel again afterwards.
#[test]
fn a_sync_while_on_the_panel_never_moves_the_chair() {
    let mut rt = runtime_with(Settings::default());
    let other = rt
        .app
        .queue
        .iter()
        .position(|a| a.submission != SUBMISSION && !a.recused && a.role != accredit::domain::MemberRole::Chair)
        .expect("a submission I review");
    let other_id = rt.app.queue[other].submission.clone();
    for _ in 0..other {
        press(&mut rt, KeyCode::Down);
    }
    press(&mut rt, KeyCode::Enter);
    assert_eq!(rt.app.screen, ScreenId::Review, "Enter opens the review of {other_id}");
    press(&mut rt, KeyCode::Esc);
    assert_eq!(rt.app.screen, ScreenId::Queue);
    press(&mut rt, KeyCode::Char('g'));
    open_panel(&mut rt);

    synced(&mut rt);
    assert_eq!(rt.app.screen, ScreenId::Panel, "a sync leaves the chair on the Panel");
    assert_eq!(panel(&rt).data.submission.id, SUBMISSION);
    let title = screen_text(&rt, 80, 24);
    assert!(title.contains(&format!("Panel {SUBMISSION}")), "the title still names the panel:\n{title}");

    // Back to the queue and in again: Enter still opens the panel.
    press(&mut rt, KeyCode::Esc);
    press(&mut rt, KeyCode::Esc);
    assert_eq!(rt.app.screen, ScreenId::Queue, "Esc twice leaves the panel for the queue");
    synced(&mut rt);
    assert_eq!(rt.app.screen, ScreenId::Queue, "a sync leaves the user on the queue");
    press(&mut rt, KeyCode::Char('g'));
    open_panel(&mut rt);
}

/// Issue 12 item 3: one confirmed action settles every unanimous standard the reviewers' shared
/// outcome settles by itself, lists them first, leaves the rest open, and is undone as one step.
#[test]
fn the_unanimous_are_settled_in_one_confirmed_step_and_undone_in_one() {
    let mut rt = chair();
    let plan = panel(&rt).settle_plan();
    assert!(!plan.settle.is_empty());
    for (code, outcome) in &plan.settle {
        let s = panel(&rt).data.standard(code).unwrap();
        assert_eq!(s.agreement, Some(Agreement::Unanimous), "{code}");
        assert!(s.reviewer_outcomes.iter().all(|o| o == outcome), "{code}: the reviewers' shared outcome");
    }
    // A unanimous partially met needs the panel's rationale and a condition: it stays open.
    for (code, outcome) in &plan.stay_open {
        assert_ne!(*outcome, Outcome::Met, "{code}: a unanimous met needs nothing more here");
    }
    let before = panel(&rt).data.problems().len();
    keys(&mut rt, "A");
    assert_eq!(rt.app.context(), Context::Confirm, "it asks first");
    let text = screen_text(&rt, 80, 24);
    assert!(text.contains(&format!("Settle {} unanimous standards", plan.settle.len())), "{text}");
    assert!(stored(&rt).outcomes.is_empty(), "nothing is written before the confirmation");
    keys(&mut rt, "y");
    let c = stored(&rt);
    assert_eq!(c.outcomes.len(), plan.settle.len());
    assert!(flash(&rt).contains(&format!("Settled {}", plan.settle.len())), "{}", flash(&rt));
    assert_eq!(panel(&rt).data.problems().len(), before - plan.settle.len(), "each of them is settled");
    for (code, _) in &plan.settle {
        assert!(flags(&rt, code).is_empty(), "{code}: {:?}", flags(&rt, code));
    }
    for (code, _) in &plan.stay_open {
        assert!(c.outcome(code).is_none(), "{code} stays open");
    }
    // Another change, then undo twice: the change, then the whole settle at once.
    go_to(&mut rt, "SET-DEMO 5.3");
    keys(&mut rt, "2");
    keys(&mut rt, "u");
    assert!(stored(&rt).outcome("SET-DEMO 5.3").is_none());
    assert_eq!(stored(&rt).outcomes.len(), plan.settle.len());
    keys(&mut rt, "u");
    assert!(stored(&rt).outcomes.is_empty(), "one undo takes back the whole settle");
    assert!(flash(&rt).contains("settling"), "{}", flash(&rt));
    // Esc cancels and writes nothing.
    keys(&mut rt, "A");
    press(&mut rt, KeyCode::Esc);
    assert!(stored(&rt).outcomes.is_empty());
}

/// Issue 12 item 1: edit a record's text, evidence, due date and standards; remove one never
/// pushed; withdraw one after a push (kept, numbering stable); clear an outcome; undo.
#[test]
fn records_are_edited_removed_withdrawn_and_undone_from_the_panel() {
    let mut rt = chair();
    go_to(&mut rt, "SET-DEMO 5.3");
    keys(&mut rt, "2");
    for (key, text) in [("C", "Involve service users."), ("C", "Publish minutes."), ("r", "Consider a forum.")] {
        keys(&mut rt, key);
        keys(&mut rt, text);
        press(&mut rt, KeyCode::Enter);
    }
    assert_eq!(stored(&rt).record_ids(), ["C1", "C2", "R1"]);

    // The records pane takes the keys: select C1 and edit every field.
    keys(&mut rt, "R");
    assert_eq!(panel(&rt).focus, PanelFocus::Records);
    keys(&mut rt, "e");
    assert_eq!(panel(&rt).form.as_ref().unwrap().title(), "Edit condition C1");
    keys(&mut rt, " With the board.");
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "Board minutes.");
    press(&mut rt, KeyCode::Tab);
    for _ in 0..10 {
        press(&mut rt, KeyCode::Backspace);
    }
    keys(&mut rt, "2026-09-30");
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, ", mpf 1.4");
    press(&mut rt, KeyCode::Enter);
    let c1 = stored(&rt).conditions[0].clone();
    assert_eq!(c1.text, "Involve service users. With the board.");
    assert_eq!(c1.evidence_required, "Board minutes.");
    assert_eq!(c1.due, date(2026, 9, 30));
    assert_eq!(c1.standards, ["SET-DEMO 5.3", "MPF 1.4"]);
    keys(&mut rt, "u");
    assert_eq!(stored(&rt).conditions[0].text, "Involve service users.", "undo takes back the edit");

    // Never pushed: x removes C2 outright; undo brings it back.
    keys(&mut rt, "j");
    keys(&mut rt, "x");
    assert_eq!(stored(&rt).record_ids(), ["C1", "R1"]);
    keys(&mut rt, "u");
    assert_eq!(stored(&rt).record_ids(), ["C1", "C2", "R1"]);

    // After a push, x withdraws: kept in the history, out of the count, the numbers stay.
    rt.store.record_pushed_report(SUBMISSION, 1, "0123456789abcdef", "# report", ME).unwrap();
    synced(&mut rt);
    assert!(panel(&rt).data.pushed);
    assert_eq!(panel(&rt).focus, PanelFocus::Records, "a reload keeps the focus");
    keys(&mut rt, "gx");
    let c = stored(&rt);
    assert_eq!(c.record_ids(), ["C1", "C2", "R1"]);
    assert_eq!(c.conditions[0].status, accredit::domain::consolidation::ConditionStatus::Withdrawn);
    assert!(flash(&rt).contains("Withdrew C1"), "{}", flash(&rt));
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "C");
    keys(&mut rt, "Another.");
    press(&mut rt, KeyCode::Enter);
    assert_eq!(stored(&rt).record_ids(), ["C1", "C2", "C3", "R1"], "C1 keeps its number");

    // Clear the panel's outcome; undo restores it.
    keys(&mut rt, "0");
    assert!(stored(&rt).outcome("SET-DEMO 5.3").is_none());
    keys(&mut rt, "u");
    assert_eq!(stored_outcome(&rt, "SET-DEMO 5.3").outcome, Outcome::PartiallyMet);
}

/// Issue 12 item 12: after `o` the cursor is on the first split.
#[test]
fn sorting_splits_first_puts_the_cursor_on_the_first_split() {
    let mut rt = chair();
    keys(&mut rt, "o");
    let current = panel(&rt).current().unwrap();
    assert_eq!(current.agreement, Some(Agreement::Split), "{}", current.code);
    assert_eq!(panel(&rt).selected, 0);
}

/// Issue 12 item 10: the CLI changes the consolidation beside the open TUI: the Panel shows it
/// without moving the chair, and a form being typed in keeps its text.
#[test]
fn a_change_from_another_process_reloads_the_panel_without_losing_typing() {
    let mut rt = chair();
    go_to(&mut rt, "MPF 1.4");
    keys(&mut rt, "r");
    keys(&mut rt, "Half typed");
    let mut c = stored(&rt);
    c.recommendations.push(accredit::domain::consolidation::Note {
        id: "R1".into(),
        standards: vec!["MPF 1.1".into()],
        text: "From the CLI.".into(),
        withdrawn: false,
    });
    rt.store.save_consolidation(SUBMISSION, ME, &c).unwrap();
    rt.dispatch(Action::CacheChanged);
    assert_eq!(panel(&rt).form.as_ref().unwrap().value(FormField::Text), "Half typed", "the typing stays");
    press(&mut rt, KeyCode::Esc);
    assert_eq!(panel(&rt).data.consolidation.record_ids(), ["R1"], "reloaded once the form closed");
    assert_eq!(panel(&rt).current().unwrap().code, "MPF 1.4", "where the chair was");
}

/// An undo never takes back what another process wrote: after an outside change the Panel
/// shows it and the undo history starts afresh (it held snapshots from before that change).
#[test]
fn undo_after_a_change_from_another_process_does_not_revert_it() {
    let mut rt = chair();
    go_to(&mut rt, "MPF 1.4");
    keys(&mut rt, "1");
    assert!(stored(&rt).outcome("MPF 1.4").is_some(), "the chair's outcome is saved");
    let mut c = stored(&rt);
    c.recommendations.push(accredit::domain::consolidation::Note {
        id: "R1".into(),
        standards: vec!["MPF 1.1".into()],
        text: "From the CLI.".into(),
        withdrawn: false,
    });
    rt.store.save_consolidation(SUBMISSION, ME, &c).unwrap();
    rt.dispatch(Action::CacheChanged);
    assert!(flash(&rt).contains("undo starts afresh"), "{}", flash(&rt));
    keys(&mut rt, "u");
    let after = stored(&rt);
    assert_eq!(after.record_ids(), ["R1"], "the other process's recommendation stays");
    assert!(after.outcome("MPF 1.4").is_some(), "and nothing older is taken back");
}

/// Issue 12 item 12: the side-by-side view hints its own keys; Find from the Panel stays in
/// the Panel; the lay member's column is narrow where they do not judge; at 80×24 the other
/// reviewers' rationales get more than one row.
#[test]
fn the_detail_view_hints_its_keys_and_fits_the_reviewers() {
    let mut rt = chair();
    go_to(&mut rt, "MPF 1.4");
    press(&mut rt, KeyCode::Enter);
    let hints: Vec<String> = rt.app.hints().into_iter().map(|(k, _)| k).collect();
    for key in ["Tab", "1 2 3", "n", "b", "C r c", "Esc"] {
        assert!(hints.iter().any(|h| h == key), "{key} in {hints:?}");
    }
    // MPF 1.4 is not the lay member's: two wide columns and a narrow one, even at 80×24.
    let screen = screen_text(&rt, 80, 24);
    assert!(screen.contains("Sørensen") && screen.contains("Wiśniewski"), "{screen}");
    let row = screen.lines().find(|l| l.contains("Sørensen")).unwrap();
    assert!(row.contains("Wiśniewski"), "side by side: {row}");
    // A standard the lay member judges: stacked, each unselected rationale over several rows.
    go_to(&mut rt, "SET-DEMO 5.3");
    press(&mut rt, KeyCode::Enter);
    let screen = screen_text(&rt, 80, 24);
    let at = screen.lines().position(|l| l.contains("Tomasz Wiśniewski")).unwrap();
    let next: Vec<&str> = screen.lines().skip(at + 1).take(2).collect();
    assert!(next.iter().all(|l| l.starts_with("│  ") && l.trim_matches(['│', ' ']).len() > 10), "{screen}");
    press(&mut rt, KeyCode::Esc);

    // Find from the Panel opens the standard in the Panel.
    keys(&mut rt, "/");
    if rt.app.finder_entries.is_none() {
        rt.dispatch(Action::Tick(Instant::now()));
    }
    keys(&mut rt, "MPF 2.3");
    press(&mut rt, KeyCode::Enter);
    assert_eq!(rt.app.screen, ScreenId::Panel, "a chair stays on the Panel");
    assert_eq!(panel(&rt).current().unwrap().code, "MPF 2.3");
}
