//! Random edits, submissions, conflict resolutions and syncs by two reviewers, each on two
//! machines, and a chair, against an in-process hub, driven by a seeded PRNG (taskchampion's
//! syncing proptest, without the dependency). After everyone syncs and settles their conflicts,
//! every replica agrees with the hub, the chair holds every submitted judgement, and every text
//! ever typed is still in a judgement or a conflict record.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use accredit::domain::Outcome;
use accredit::hub::Hub;
use accredit::hub::admin::Assignment;
use accredit::store::{Resolution, StoreError};
use accredit::wire::UserRole;

use crate::support::{Machine, Row, TestHub, conflict_texts};

const SEEDS: u64 = 30;
const STEPS: usize = 40;
/// Two standards only, so the machines collide often.
const SUBMISSION: &str = "S-2026-021";
const STANDARDS: [&str; 2] = ["SET-DEMO 2.1", "SET-DEMO 5.2"];
const REVIEWERS: [&str; 2] = ["r-one", "r-two"];
const CHAIR: &str = "c-chair";

/// xorshift64*: tiny, deterministic, good enough to pick actions.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A hub with one small panel: two reviewers and a chair on S-2026-021.
fn small_hub() -> TestHub {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("hub.sqlite");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut tokens = HashMap::new();
    {
        let mut hub = Hub::open(&db).expect("open the hub");
        for id in REVIEWERS.iter().chain([&CHAIR]) {
            let (_, token) = hub.add_user(Some(id), &format!("Person {id}"), UserRole::Reviewer).expect("add a user");
            tokens.insert(id.to_string(), token);
        }
        hub.import_framework_file(&fixtures.join("frameworks/set-demo-1.json")).expect("import the framework");
        hub.import_submission_dir(&fixtures.join("submissions").join(SUBMISSION)).expect("import the submission");
        let panel = Assignment {
            chair: CHAIR.into(),
            reviewers: REVIEWERS.iter().map(|r| r.to_string()).collect(),
            ..Assignment::default()
        };
        hub.assign(SUBMISSION, &panel).expect("assign the panel");
    }
    TestHub::serve(dir, db, tokens)
}

/// The world of one run: the hub, four reviewer machines (two per reviewer) and the chair's.
struct World {
    hub: TestHub,
    machines: Vec<Machine>,
    chair: Machine,
    /// Every text typed that must survive (a text the author then replaced is taken out).
    typed: BTreeSet<String>,
    /// What happened, for the failure message.
    log: Vec<String>,
}

impl World {
    fn new() -> World {
        let hub = small_hub();
        let machines: Vec<Machine> = (0..4).map(|i| hub.machine(REVIEWERS[i / 2])).collect();
        let chair = hub.machine(CHAIR);
        let mut world = World { hub, machines, chair, typed: BTreeSet::new(), log: Vec::new() };
        for m in 0..4 {
            world.sync(m);
        }
        world.chair.sync();
        world
    }

    fn sync(&mut self, m: usize) {
        let summary = self.machines[m].sync();
        self.log.push(format!("machine {m} ({}) synced: {summary}", self.machines[m].me));
    }

    fn edit(&mut self, m: usize, standard: &str, outcome: Option<Outcome>, text: String) {
        let machine = &mut self.machines[m];
        let me = machine.me.clone();
        let before = machine.row(SUBMISSION, standard, &me).map(|r| r.rationale);
        match machine.store.save_judgement(SUBMISSION, standard, &me, outcome, &text) {
            Ok(_) => {
                // The author replaced the text they were looking at: that one may go.
                if let Some(before) = before {
                    self.typed.remove(&before);
                }
                self.log.push(format!("machine {m} typed {text:?} on {standard}"));
                self.typed.insert(text);
            }
            Err(StoreError::AlreadySubmitted(_)) => self.log.push(format!("machine {m}: {standard} is submitted here")),
            Err(e) => panic!("machine {m} could not save: {e}"),
        }
    }

    fn submit(&mut self, m: usize) {
        let machine = &mut self.machines[m];
        let me = machine.me.clone();
        match machine.store.submit(SUBMISSION, &me) {
            Ok(done) => self.log.push(format!("machine {m} submitted {}", done.submitted)),
            Err(StoreError::Gaps { .. } | StoreError::AlreadySubmitted(_)) => {}
            Err(e) => panic!("machine {m} could not submit: {e}"),
        }
    }

    fn resolve(&mut self, m: usize, choice: usize, text: String) {
        let machine = &mut self.machines[m];
        let me = machine.me.clone();
        let Some(conflict) = machine.store.open_conflicts().unwrap().into_iter().next() else { return };
        let resolution = match choice {
            0 => Resolution::KeepMine,
            1 => Resolution::TakeTheirs,
            _ => {
                self.typed.insert(text.clone());
                Resolution::Merge { outcome: Some(Outcome::PartiallyMet), rationale: text }
            }
        };
        self.log.push(format!("machine {m} resolved {} {} by {resolution:?}", conflict.kind, conflict.standard));
        machine.store.resolve_conflict(&me, conflict.id, resolution).unwrap();
    }

    /// Everyone syncs and settles (keep mine; take theirs where the hub refuses for good) until
    /// nothing is left to send or settle.
    fn settle(&mut self) {
        for round in 0..12 {
            let mut busy = false;
            for m in 0..4 {
                self.sync(m);
                let me = self.machines[m].me.clone();
                for conflict in self.machines[m].store.open_conflicts().unwrap() {
                    busy = true;
                    let resolution =
                        if conflict.kind == "rejected" { Resolution::TakeTheirs } else { Resolution::KeepMine };
                    self.log.push(format!(
                        "settling: machine {m} {} {} by {resolution:?}",
                        conflict.kind, conflict.standard
                    ));
                    self.machines[m].store.resolve_conflict(&me, conflict.id, resolution).unwrap();
                }
                busy |= self.machines[m].store.unsynced_count().unwrap() > 0;
            }
            if !busy {
                for m in 0..4 {
                    self.sync(m);
                }
                self.chair.sync();
                return;
            }
            assert!(round < 11, "still unsettled after 12 rounds\n{}", self.log.join("\n"));
        }
    }

    fn check(&self, seed: u64) {
        let context = || format!("seed {seed}\n{}", self.log.join("\n"));
        let hub_rows: Vec<Row> = self.hub.rows().into_iter().filter(|r| r.submission == SUBMISSION).collect();
        let of = |rows: Vec<Row>, reviewer: &str| -> Vec<Row> {
            rows.into_iter().filter(|r| r.submission == SUBMISSION && r.reviewer == reviewer).collect()
        };
        let submitted_all = |reviewer: &str| {
            let mine = of(hub_rows.clone(), reviewer);
            mine.len() == STANDARDS.len() && mine.iter().all(|r| r.state == "submitted")
        };
        for (m, machine) in self.machines.iter().enumerate() {
            let me = machine.me.as_str();
            assert!(
                machine.store.open_conflicts().unwrap().is_empty(),
                "machine {m} has open conflicts\n{}",
                context()
            );
            assert_eq!(machine.store.unsynced_count().unwrap(), 0, "machine {m} has unsent ops\n{}", context());
            assert_eq!(
                of(machine.rows(), me),
                of(hub_rows.clone(), me),
                "machine {m} agrees with the hub\n{}",
                context()
            );
            let other = REVIEWERS.iter().find(|r| **r != me).unwrap();
            let expected: Vec<Row> = if submitted_all(me) {
                of(hub_rows.clone(), other).into_iter().filter(|r| r.state == "submitted").collect()
            } else {
                Vec::new()
            };
            assert_eq!(of(machine.rows(), other), expected, "machine {m}: the other reviewer's rows\n{}", context());
        }
        let submitted: Vec<Row> = hub_rows.iter().filter(|r| r.state == "submitted").cloned().collect();
        let chair_rows: Vec<Row> = self.chair.rows().into_iter().filter(|r| r.submission == SUBMISSION).collect();
        assert_eq!(chair_rows, submitted, "the chair holds every submitted judgement, no draft\n{}", context());

        // Every text typed is somewhere: a judgement (hub or replica) or a conflict record
        // (replica, or the hub's conflict copies).
        let mut kept: BTreeSet<String> = hub_rows.iter().map(|r| r.rationale.clone()).collect();
        for machine in self.machines.iter().chain([&self.chair]) {
            kept.extend(machine.rows().into_iter().map(|r| r.rationale));
            kept.extend(conflict_texts(&machine.store));
        }
        let hub = self.hub.open();
        let mut stmt = hub.store().connection().prepare("SELECT payload FROM hub_conflicts").unwrap();
        let copies: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap();
        for copy in copies {
            let value: serde_json::Value = serde_json::from_str(&copy).unwrap();
            kept.insert(value["rationale"].as_str().unwrap_or_default().to_string());
        }
        let lost: Vec<&String> = self.typed.iter().filter(|t| !kept.contains(*t)).collect();
        assert!(lost.is_empty(), "typed texts lost: {lost:?}\n{}", context());
    }
}

/// One run: random steps, then everyone settles, then the checks. Returns (conflicts and
/// rejections seen, full submissions made) so the test can tell the runs did something.
fn run(seed: u64) -> (usize, usize) {
    let mut rng = Rng::new(seed);
    let mut world = World::new();
    for step in 0..STEPS {
        let m = rng.below(4);
        match rng.below(100) {
            0..45 => {
                let standard = STANDARDS[rng.below(STANDARDS.len())];
                let outcome =
                    [Some(Outcome::Met), Some(Outcome::PartiallyMet), Some(Outcome::NotMet), None][rng.below(4)];
                world.edit(m, standard, outcome, format!("seed {seed} step {step} machine {m}"));
            }
            45..52 => world.submit(m),
            52..62 => {
                let choice = rng.below(3);
                world.resolve(m, choice, format!("seed {seed} step {step} merge on {m}"));
            }
            62..95 => world.sync(m),
            _ => {
                world.chair.sync();
            }
        }
    }
    let troubles = world.log.iter().filter(|l| l.contains("conflict") || l.contains("rejected")).count();
    let submissions = world.log.iter().filter(|l| l.contains("submitted 2")).count();
    world.settle();
    world.check(seed);
    (troubles, submissions)
}

#[test]
fn random_edits_and_syncs_converge_and_lose_nothing() {
    // The runs are independent and mostly wait on fsync: a few at a time keep this fast.
    let next = std::sync::atomic::AtomicU64::new(1);
    let totals = std::sync::Mutex::new((0, 0));
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                loop {
                    let seed = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if seed > SEEDS {
                        break;
                    }
                    let (troubles, submissions) = run(seed);
                    let mut totals = totals.lock().unwrap();
                    totals.0 += troubles;
                    totals.1 += submissions;
                }
            });
        }
    });
    let (troubles, submissions) = *totals.lock().unwrap();
    // The runs exercised what they are for.
    assert!(troubles > 10, "few conflicts or rejections arose ({troubles}); the steps need tuning");
    assert!(submissions > 5, "few submissions happened ({submissions}); the steps need tuning");
}
