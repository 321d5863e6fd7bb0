//! Snapshots of every screen at 80×24 and 160×48, drawn by the real view code into a
//! `TestBackend` from states reached with real keys.

use accredit::tui::theme::Theme;
use accredit::tui::{Action, Runtime, Settings, views};
use jiff::civil::date;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

use crate::support::demo_store;

/// The common size, a wide one, and the two small ones a reader hit (issue 9).
const SIZES: [(u16, u16); 4] = [(80, 24), (160, 48), (60, 20), (40, 10)];

fn runtime() -> Runtime {
    Runtime::new(demo_store(), date(2026, 3, 1), Settings::default()).expect("runtime")
}

fn press(rt: &mut Runtime, code: KeyCode) {
    rt.dispatch(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn keys(rt: &mut Runtime, text: &str) {
    for c in text.chars() {
        press(rt, KeyCode::Char(c));
    }
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

/// Snapshots the screen at both sizes.
fn snapshot(name: &str, rt: &Runtime) {
    for (width, height) in SIZES {
        let terminal = draw(rt, width, height);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), terminal.backend());
    }
}

fn find(rt: &mut Runtime, query: &str) {
    keys(rt, "/");
    keys(rt, query);
    press(rt, KeyCode::Enter);
}

#[test]
fn queue() {
    snapshot("queue", &runtime());
}

#[test]
fn review_of_a_fresh_submission() {
    let mut rt = runtime();
    press(&mut rt, KeyCode::Enter);
    snapshot("review_fresh", &rt);
}

#[test]
fn review_while_writing_a_rationale() {
    let mut rt = runtime();
    press(&mut rt, KeyCode::Enter);
    find(&mut rt, "S-2026-014 SET-DEMO 4.1");
    keys(&mut rt, "2e");
    keys(&mut rt, "Protected time is promised but not yet confirmed by every trust (E05).");
    snapshot("review_editing", &rt);
}

#[test]
fn review_after_submitting_shows_the_other_members() {
    let mut rt = runtime();
    press(&mut rt, KeyCode::Enter);
    for _ in 0..51 {
        keys(&mut rt, "1]");
    }
    keys(&mut rt, "Sy");
    find(&mut rt, "S-2026-014 MPF 2.11");
    snapshot("review_submitted", &rt);
}

#[test]
fn submit_confirmation_listing_gaps() {
    let mut rt = runtime();
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "1j3S");
    snapshot("confirm_gaps", &rt);
}

#[test]
fn document_viewer_at_the_cited_page() {
    let mut rt = runtime();
    find(&mut rt, "S-2026-014 MPF 1.6");
    press(&mut rt, KeyCode::Enter);
    snapshot("document", &rt);
}

/// A PDF whose cover is unnumbered: the cited printed page opens, and the status line says
/// which physical page it is; with wrapping off the lines stay whole and scroll sideways.
#[test]
fn pdf_document_at_its_printed_page_wrapped_and_whole() {
    let mut rt = runtime();
    find(&mut rt, "S-2026-014 MPF 1.7");
    press(&mut rt, KeyCode::Tab);
    keys(&mut rt, "j");
    press(&mut rt, KeyCode::Enter);
    let doc = rt.app.document.as_ref().expect("the document is open");
    assert_eq!((doc.info.id.as_str(), doc.locator.as_str()), ("E01", "p.3"));
    assert_eq!(doc.page_at_scroll().map(|(_, page)| page.label()), Some("p.3 (PDF p.4)".into()));
    snapshot("document_pdf", &rt);
    keys(&mut rt, "w");
    press(&mut rt, KeyCode::Right);
    let terminal = draw(&rt, 80, 24);
    insta::assert_snapshot!("document_pdf_whole_lines_80x24", terminal.backend());
    keys(&mut rt, "p2");
    press(&mut rt, KeyCode::Enter);
    assert_eq!(
        rt.app.document.as_ref().unwrap().page_at_scroll().map(|(_, page)| page.label()),
        Some("p.2 (PDF p.3)".into())
    );
}

#[test]
fn finder_overlay() {
    let mut rt = runtime();
    keys(&mut rt, "/supervis");
    snapshot("finder", &rt);
}

/// Below the fuzzy results, the pages whose text has the words; Enter on one opens the page
/// with them picked out.
#[test]
fn finder_with_hits_in_the_text_of_the_evidence() {
    let mut rt = runtime();
    keys(&mut rt, "/mini-CEX");
    let Some(accredit::tui::Overlay::Finder(finder)) = &rt.app.overlay else { panic!("the finder is open") };
    assert!(!finder.text_hits.is_empty(), "the words are in the evidence");
    assert!(finder.text_hits.iter().all(|h| h.snippet.contains("«")), "{:?}", finder.text_hits);
    let fuzzy = finder.results.len();
    snapshot("finder_text_hits", &rt);
    for _ in 0..fuzzy {
        keys(&mut rt, "j");
    }
    // The first page hit (a narrative can rank above it: S-2026-030's MPF 1.6 names mini-CEX).
    let is_page = |rt: &Runtime| {
        let Some(accredit::tui::Overlay::Finder(finder)) = &rt.app.overlay else { panic!("the finder is open") };
        matches!(finder.selected_hit().map(|h| &h.place), Some(accredit::store::HitPlace::Page { .. }))
    };
    for _ in 0..10 {
        if is_page(&rt) {
            break;
        }
        press(&mut rt, KeyCode::Down);
    }
    let Some(accredit::tui::Overlay::Finder(finder)) = &rt.app.overlay else { panic!("the finder is open") };
    let hit = finder.selected_hit().cloned().expect("a text hit is selected");
    press(&mut rt, KeyCode::Enter);
    let doc = rt.app.document.as_ref().expect("the hit's document is open");
    let accredit::store::HitPlace::Page { document, page, .. } = &hit.place else { panic!("a page hit: {hit:?}") };
    assert_eq!((&doc.info.id, doc.cited), (document, false));
    assert_eq!(doc.page_at_scroll().and_then(|(_, p)| p.cited), Some(*page));
    assert!(doc.match_count().is_some_and(|c| c.contains("1 of")), "{:?}", doc.match_count());
}

#[test]
fn help_overlay_in_review() {
    let mut rt = runtime();
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "?");
    snapshot("help_review", &rt);
}

#[test]
fn chair_view_of_a_panel() {
    let mut rt = runtime();
    find(&mut rt, "S-2026-009 SET-DEMO 5.3");
    snapshot("chair_review", &rt);
}

#[test]
fn a_narrative_with_escape_sequences_is_shown_clean() {
    let mut rt = runtime();
    find(&mut rt, "S-2026-014 MPF 3.4");
    let terminal = draw(&rt, 160, 48);
    let screen = terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect::<String>();
    assert!(!screen.contains('\u{1b}'));
    assert!(!screen.contains("[2J"));
    assert!(!screen.contains("pwned"));
    snapshot("review_escape_sequences", &rt);
}

#[test]
fn tiny_terminals_get_a_message_not_a_panic() {
    let mut rt = runtime();
    press(&mut rt, KeyCode::Enter);
    for (width, height) in [(0, 0), (1, 1), (20, 5), (39, 30), (60, 9)] {
        let terminal = draw(&rt, width, height);
        if width >= 10 && height >= 3 {
            let text = terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect::<String>();
            assert!(text.contains("accredit needs"), "{width}x{height}: {text}");
        }
    }
    // Just above the minimum every screen still draws.
    for screen_keys in ["", "/", "?", "S"] {
        keys(&mut rt, screen_keys);
        draw(&rt, 40, 10);
        press(&mut rt, KeyCode::Esc);
    }
    insta::assert_snapshot!("too_small", draw(&rt, 30, 8).backend());
}

#[test]
fn no_color_uses_no_colours_at_all() {
    let mut rt = Runtime::new(demo_store(), date(2026, 3, 1), Settings::with_theme(Theme::monochrome())).unwrap();
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "1j2j3");
    let terminal = draw(&rt, 120, 40);
    for cell in terminal.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "cell {:?} is coloured", cell.symbol());
    }
}

#[test]
fn sync_screen_with_a_conflict() {
    use accredit::domain::{JudgementState, Outcome};
    use accredit::wire::{HubJudgement, OpOutcome, OpResult};
    let mut rt = runtime();
    rt.store.save_judgement("S-2026-014", "MPF 1.6", "u-demo", Some(Outcome::Met), "Mine: assessed twice.").unwrap();
    rt.store.save_judgement("S-2026-014", "MPF 1.7", "u-demo", Some(Outcome::Met), "").unwrap();
    let ops = rt.store.outbox_batch(1).unwrap();
    let theirs = HubJudgement {
        submission: "S-2026-014".into(),
        standard: "MPF 1.6".into(),
        reviewer: "u-demo".into(),
        outcome: Some(Outcome::PartiallyMet),
        rationale: "Theirs: from the other laptop.".into(),
        state: JudgementState::Draft,
        rev: 4,
        updated_at: "2026-03-01T10:00:00Z".into(),
    };
    rt.store
        .apply_push_results(
            "u-demo",
            &[OpResult { op_id: ops[0].op_id.clone(), outcome: OpOutcome::Conflict { current: theirs } }],
        )
        .unwrap();
    keys(&mut rt, "y");
    for (width, height) in SIZES {
        // The outbox and conflict times are wall-clock; everything else is fixed.
        let screen = redact_timestamps(&draw(&rt, width, height).backend().to_string());
        insta::assert_snapshot!(format!("sync_conflict_{width}x{height}"), screen);
    }
}

/// Replaces ISO timestamps (`2026-11-25T09:10:11`) with a fixed marker.
fn redact_timestamps(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let window: String = chars[i..chars.len().min(i + 19)].iter().collect();
        let is_stamp = window.len() == 19
            && window.char_indices().all(|(k, c)| match k {
                4 | 7 => c == '-',
                10 => c == 'T',
                13 | 16 => c == ':',
                _ => c.is_ascii_digit(),
            });
        if is_stamp {
            out.push_str("YYYY-MM-DDTHH:MM:SS");
            i += 19;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Issue 9 #17: the `:` palette lists the screen's and the global actions with their keys,
/// narrows by name, and Enter runs the action as its key would.
#[test]
fn command_palette_runs_an_action_by_name() {
    let mut rt = runtime();
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, ":");
    snapshot("palette_review", &rt);
    keys(&mut rt, "partially");
    snapshot("palette_review_partially", &rt);
    press(&mut rt, KeyCode::Enter);
    assert!(rt.app.overlay.is_none(), "running an action closes the palette");
    let review = rt.app.review.as_ref().expect("the review");
    let mine = review.current().and_then(|s| s.mine.as_ref()).and_then(|j| j.outcome);
    assert_eq!(mine, Some(accredit::domain::Outcome::PartiallyMet), "the palette ran `2`");
    let stored = rt.store.load_review("S-2026-014", "u-demo").expect("the review");
    let code = review.current().expect("selected").code.clone();
    let in_store = stored.standards().find(|s| s.code == code).and_then(|s| s.mine.as_ref()).and_then(|j| j.outcome);
    assert_eq!(in_store, Some(accredit::domain::Outcome::PartiallyMet), "and it is saved");
}

/// Issue 9 #10: grapheme clusters (a ZWJ sequence with a variation selector, a flag, emoji
/// presentation) neither break the layout nor leave cells behind, in the rationale editor, the
/// judgement pane and a queue column cut short. Terminals disagree on the width of a ZWJ
/// sequence (tmux blanked the 🏥 after 👩‍⚕️) and of a flag (a stray 🇧 stayed behind), so the
/// screens draw them as their parts: 👩⚕ side by side, the flag as its letters; each of those
/// has one width everywhere.
#[test]
fn wide_graphemes_neither_break_the_layout_nor_leave_cells_behind() {
    let store = demo_store();
    store
        .connection()
        .execute(
            "UPDATE submissions SET programme = 'MSc 🇧🇪 Advanced Clinical Practice 👩‍⚕️ (Belgium)' WHERE id = 'S-2026-021'",
            [],
        )
        .expect("rename a programme");
    let mut rt = Runtime::new(store, date(2026, 3, 1), Settings::default()).expect("runtime");
    snapshot("emoji_queue", &rt);
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "1e");
    rt.dispatch(Action::Paste("Seen on the ward 👩‍⚕️🏥✅ and at the 🇧🇪 site.".into()));
    snapshot("emoji_editor", &rt);
    press(&mut rt, KeyCode::Esc);
    snapshot("emoji_review", &rt);
    // Whole where there is room for the judgement's text (the small sizes cut it, whole graphemes
    // only, as the snapshots show).
    for (width, height) in [(80, 24), (160, 48)] {
        let terminal = draw(&rt, width, height);
        let text: String = terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect();
        // (A wide character's second cell reads as a space in the buffer.)
        assert!(text.contains("👩 ⚕🏥 ✅  and at the BE site"), "drawn as their parts at {width}x{height}:\n{text}");
        let joined =
            terminal.backend().buffer().content().iter().any(|c| {
                c.symbol().chars().any(|ch| matches!(ch, '\u{200d}' | '\u{fe0f}' | '\u{1F1E6}'..='\u{1F1FF}'))
            });
        assert!(!joined, "no joiner, variation selector or flag half reaches a cell at {width}x{height}");
    }
}
