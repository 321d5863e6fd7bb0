//! Shared set-up: demo caches in temporary data folders, and the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use accredit::store::Store;
use tempfile::TempDir;

/// A data folder holding a freshly installed demo cache (as `accredit demo` makes it).
pub fn demo_data_dir() -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open(&dir.path().join("cache.sqlite")).expect("open cache");
    accredit::demo::install(&mut store).expect("install the demo");
    dir
}

/// The TUI's runtime on a demo store in memory, on the day the demo's snapshots are taken.
pub fn runtime_with(settings: accredit::tui::Settings) -> accredit::tui::Runtime {
    accredit::tui::Runtime::new(demo_store(), jiff::civil::date(2026, 3, 1), settings).expect("runtime")
}

/// As `runtime_with`, with the built-in settings.
pub fn runtime() -> accredit::tui::Runtime {
    runtime_with(accredit::tui::Settings::default())
}

/// One key press, as the terminal would send it.
pub fn press(rt: &mut accredit::tui::Runtime, code: ratatui::crossterm::event::KeyCode) {
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
    rt.dispatch(accredit::tui::Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Each character of `text` typed as a key.
pub fn keys(rt: &mut accredit::tui::Runtime, text: &str) {
    for c in text.chars() {
        press(rt, ratatui::crossterm::event::KeyCode::Char(c));
    }
}

/// A demo store in memory, for tests that need no files.
pub fn demo_store() -> Store {
    let mut store = Store::open_in_memory().expect("in-memory cache");
    accredit::demo::install(&mut store).expect("install the demo");
    store
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_accredit"))
}

/// Runs `accredit --data-dir DIR ARGS...` to completion.
pub fn accredit(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(binary())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("ACCREDIT_DATA_DIR")
        .output()
        .expect("run accredit")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Sync: a hub in-process on 127.0.0.1:0, the real `accredit serve`, client replicas, a loopback
// proxy that injects faults, and polling with deadlines.
// ---------------------------------------------------------------------------------------------

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use accredit::domain::Outcome;
use accredit::hub::Hub;
use accredit::sync::{Credentials, HubClient, Summary, SyncError};

/// How long anything a test waits for may take (CI machines have two busy cores).
pub const DEADLINE: Duration = Duration::from_secs(60);

/// Polls `done` until it holds, failing the test with `what` at the deadline.
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < DEADLINE, "gave up after {DEADLINE:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// One judgement row as stored (hub or replica), for comparing and for readable failures.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    pub submission: String,
    pub standard: String,
    pub reviewer: String,
    pub outcome: Option<String>,
    pub rationale: String,
    pub state: String,
}

/// Every judgement in a cache or hub database, in key order.
pub fn judgement_rows(conn: &rusqlite::Connection) -> Vec<Row> {
    let mut stmt = conn
        .prepare(
            "SELECT submission_id, standard_code, reviewer_id, outcome, rationale, state FROM judgements
             ORDER BY submission_id, standard_code, reviewer_id",
        )
        .expect("query judgements");
    stmt.query_map([], |r| {
        Ok(Row {
            submission: r.get(0)?,
            standard: r.get(1)?,
            reviewer: r.get(2)?,
            outcome: r.get(3)?,
            rationale: r.get(4)?,
            state: r.get(5)?,
        })
    })
    .expect("read judgements")
    .collect::<rusqlite::Result<_>>()
    .expect("read judgements")
}

/// A hub seeded with the demo in a database file under `dir`; returns it and the tokens by user.
pub fn demo_hub_db(dir: &Path) -> (PathBuf, HashMap<String, String>) {
    let db = dir.join("hub.sqlite");
    let mut hub = Hub::open(&db).expect("open the hub database");
    let tokens = hub.seed_demo().expect("seed the demo").into_iter().collect();
    (db, tokens)
}

/// The hub served in-process (axum on a tokio runtime in its own thread) on 127.0.0.1:0, over a
/// database file the test can also open; stopped when dropped.
pub struct TestHub {
    pub url: String,
    pub addr: SocketAddr,
    pub db: PathBuf,
    pub tokens: HashMap<String, String>,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: TempDir,
}

impl TestHub {
    /// A hub holding the demo data; `tokens` has every demo person's token.
    pub fn demo() -> TestHub {
        TestHub::demo_with(|_, _| {})
    }

    /// A demo hub that `setup` changes (more users, other panels) before it is served.
    pub fn demo_with(setup: impl FnOnce(&mut Hub, &mut HashMap<String, String>)) -> TestHub {
        let dir = tempfile::tempdir().expect("temporary folder");
        let (db, mut tokens) = demo_hub_db(dir.path());
        setup(&mut Hub::open(&db).expect("open the hub database"), &mut tokens);
        TestHub::serve(dir, db, tokens)
    }

    /// Serves the hub database `db` (inside `dir`, kept until the hub is dropped).
    pub fn serve(dir: TempDir, db: PathBuf, tokens: HashMap<String, String>) -> TestHub {
        let hub = Hub::open(&db).expect("open the hub database");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let addr = listener.local_addr().expect("bound address");
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let thread = std::thread::Builder::new()
            .name("test-hub".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("tokio runtime");
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                    // The hub's own connection loop (client addresses, header limits), as `serve` runs it.
                    let state = accredit::hub::http::AppState::new(hub);
                    let mut graceful = stopped.clone();
                    let server = accredit::hub::http::serve_with(
                        listener,
                        state,
                        accredit::hub::server::Transport::Plain,
                        async move {
                            let _ = graceful.wait_for(|stop| *stop).await;
                        },
                    );
                    // A connection held open by a faulty test must not keep the hub from stopping.
                    let mut forced = stopped;
                    tokio::select! {
                        result = server => result.expect("the test hub failed"),
                        _ = async move {
                            let _ = forced.wait_for(|stop| *stop).await;
                            tokio::time::sleep(Duration::from_secs(3)).await;
                        } => {}
                    }
                });
            })
            .expect("start the hub thread");
        TestHub { url: format!("http://{addr}"), addr, db, tokens, stop: Some(stop), thread: Some(thread), _dir: dir }
    }

    pub fn token(&self, user: &str) -> &str {
        self.tokens.get(user).unwrap_or_else(|| panic!("no token for {user}"))
    }

    /// A second connection to the hub's database, to look at what it holds.
    pub fn open(&self) -> Hub {
        Hub::open(&self.db).expect("open the hub database")
    }

    pub fn rows(&self) -> Vec<Row> {
        judgement_rows(self.open().store().connection())
    }

    /// A client for `user` talking straight to this hub.
    pub fn client(&self, user: &str) -> HubClient {
        HubClient::new(&self.url, self.token(user))
    }

    /// A replica (data folder) for `user`, logged in to this hub, not yet synced.
    pub fn machine(&self, user: &str) -> Machine {
        Machine::new(&self.url, self.token(user), user)
    }
}

impl Drop for TestHub {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One workstation: a data folder with its cache and credentials, driven through the library.
pub struct Machine {
    /// Kept for the life of the machine: the cache and credentials live in it.
    _dir: TempDir,
    pub store: Store,
    pub client: HubClient,
    pub me: String,
}

impl Machine {
    pub fn new(server: &str, token: &str, me: &str) -> Machine {
        let dir = tempfile::tempdir().expect("temporary folder");
        let store = Store::open(&dir.path().join("cache.sqlite")).expect("open the cache");
        store.set_meta("me", me).expect("set the owner");
        Credentials { server: server.to_string(), token: token.to_string(), user: me.to_string(), ca_cert: None }
            .save(&dir.path().join("credentials.json"))
            .expect("save credentials");
        Machine { _dir: dir, store, client: HubClient::new(server, token), me: me.to_string() }
    }

    /// Points this machine at another address (a proxy, a restarted hub).
    pub fn reconnect(&mut self, server: &str, token: &str) {
        self.client = HubClient::new(server, token);
    }

    pub fn try_sync(&mut self) -> Result<Summary, SyncError> {
        accredit::sync::sync(&mut self.store, &self.client, &self.me)
    }

    pub fn sync(&mut self) -> Summary {
        self.try_sync().unwrap_or_else(|e| panic!("{} could not sync: {e}", self.me))
    }

    pub fn save(&mut self, submission: &str, standard: &str, outcome: Option<Outcome>, rationale: &str) {
        self.store
            .save_judgement(submission, standard, &self.me, outcome, rationale)
            .unwrap_or_else(|e| panic!("{} could not save {submission} {standard}: {e}", self.me));
    }

    pub fn rows(&self) -> Vec<Row> {
        judgement_rows(self.store.connection())
    }

    /// This machine's rows of `reviewer`'s judgements.
    pub fn rows_of(&self, reviewer: &str) -> Vec<Row> {
        self.rows().into_iter().filter(|r| r.reviewer == reviewer).collect()
    }

    pub fn row(&self, submission: &str, standard: &str, reviewer: &str) -> Option<Row> {
        self.rows().into_iter().find(|r| r.submission == submission && r.standard == standard && r.reviewer == reviewer)
    }
}

/// Every rationale a replica keeps in its conflict records (both sides, open or resolved).
pub fn conflict_texts(store: &Store) -> Vec<String> {
    let mut texts = Vec::new();
    let mut stmt = store.connection().prepare("SELECT mine, theirs FROM conflicts").expect("query conflicts");
    let rows: Vec<(String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("read conflicts")
        .collect::<rusqlite::Result<_>>()
        .expect("read conflicts");
    for (mine, theirs) in rows {
        for json in std::iter::once(mine).chain(theirs) {
            let value: serde_json::Value = serde_json::from_str(&json).expect("a conflict side is JSON");
            texts.push(value["rationale"].as_str().unwrap_or_default().to_string());
        }
    }
    texts
}

/// The real `accredit serve`, on a database file, killed when dropped.
pub struct HubProcess {
    pub child: Child,
    pub url: String,
    pub addr: SocketAddr,
    db: PathBuf,
    data_dir: PathBuf,
    /// More arguments to `serve` (TLS), kept for a restart.
    args: Vec<std::ffi::OsString>,
}

impl HubProcess {
    /// Starts `accredit serve --db DB --listen LISTEN` and waits for its "listening" line.
    pub fn start(db: &Path, listen: &str) -> Result<HubProcess, String> {
        HubProcess::start_with(db, listen, &[])
    }

    /// Starts `accredit serve --db DB --listen LISTEN ARGS...` (e.g. `--tls-cert F --tls-key F`).
    pub fn start_with(db: &Path, listen: &str, args: &[std::ffi::OsString]) -> Result<HubProcess, String> {
        let data_dir = db.parent().expect("the database is in a folder").join("serve");
        std::fs::create_dir_all(&data_dir).expect("hub data folder");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(data_dir.join("serve.stderr"))
            .expect("hub log file");
        let mut child = Command::new(binary())
            .arg("--data-dir")
            .arg(&data_dir)
            .args(["serve", "--listen", listen, "--db"])
            .arg(db)
            .args(args)
            .env_remove("ACCREDIT_DATA_DIR")
            .env("ACCREDIT_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("start accredit serve");
        let stdout = child.stdout.take().expect("the hub's stdout");
        let (lines, received) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let start = Instant::now();
        loop {
            match received.recv_timeout(Duration::from_millis(50)) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("accredit hub listening on ") {
                        let url = url.trim().to_string();
                        let addr = url
                            .trim_start_matches("https://")
                            .trim_start_matches("http://")
                            .parse()
                            .expect("the hub prints host:port");
                        return Ok(HubProcess {
                            child,
                            url,
                            addr,
                            db: db.to_path_buf(),
                            data_dir,
                            args: args.to_vec(),
                        });
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    let status = child.wait().expect("wait for the hub");
                    let log = std::fs::read_to_string(data_dir.join("serve.stderr")).unwrap_or_default();
                    return Err(format!("accredit serve stopped ({status}) before listening:\n{log}"));
                }
            }
            if start.elapsed() > DEADLINE {
                let _ = child.kill();
                return Err("accredit serve did not say it was listening in time".into());
            }
        }
    }

    /// Kills the hub at once (SIGKILL: no graceful shutdown) and reaps it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the hub again on the same database, on the same port if it is free, else on a
    /// new one (check `url`).
    pub fn restart(&mut self) {
        self.kill();
        let same_port = format!("{}", self.addr);
        let started = HubProcess::start_with(&self.db, &same_port, &self.args)
            .or_else(|_| HubProcess::start_with(&self.db, "127.0.0.1:0", &self.args));
        let started = started.unwrap_or_else(|e| panic!("cannot restart the hub: {e}"));
        let old = std::mem::replace(self, started);
        drop(old); // already dead
    }

    /// What the hub wrote on stderr, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data_dir.join("serve.stderr")).unwrap_or_default()
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// What the proxy does with one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Forward the request and the whole answer.
    Pass,
    /// Forward the request, let the hub answer, then close without answering.
    DropAnswer,
    /// Forward the request and the first `n` bytes of the answer, then close.
    CutAnswerAfter(usize),
    /// Close without forwarding the request at all.
    Refuse,
    /// Forward, but change one byte of the answer's body (same length).
    Tamper,
    /// Forward the request, let the hub answer, then hold the answer until released.
    Hold,
    /// Answer 404 (as the hub does for what the caller may not read) without forwarding.
    NotFound,
}

/// A loopback HTTP proxy in front of a hub, one request per connection, applying to each
/// request the fault its policy chooses. It records the request lines it saw.
pub struct FaultProxy {
    pub url: String,
    pub seen: Arc<Mutex<Vec<String>>>,
    /// Requests being held (`Fault::Hold`): how many are waiting.
    pub holding: Arc<Mutex<usize>>,
    release: Arc<Mutex<bool>>,
    stop: Arc<Mutex<bool>>,
    addr: SocketAddr,
}

type Policy = dyn Fn(usize, &str) -> Fault + Send + Sync;

impl FaultProxy {
    /// `policy(n, request_line)` chooses the fault for the `n`th request (from 0).
    pub fn start(upstream: SocketAddr, policy: impl Fn(usize, &str) -> Fault + Send + Sync + 'static) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let holding = Arc::new(Mutex::new(0));
        let release = Arc::new(Mutex::new(false));
        let stop = Arc::new(Mutex::new(false));
        let policy: Arc<Policy> = Arc::new(policy);
        {
            let (seen, holding, release, stop) = (seen.clone(), holding.clone(), release.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if *stop.lock().unwrap() {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (seen, holding, release, policy) =
                        (seen.clone(), holding.clone(), release.clone(), policy.clone());
                    std::thread::spawn(move || {
                        let _ = proxy_one(stream, upstream, &seen, &holding, &release, &*policy);
                    });
                }
            });
        }
        FaultProxy { url: format!("http://{addr}"), seen, holding, release, stop, addr }
    }

    /// Lets every held answer through (and any later `Hold` pass at once).
    pub fn release(&self) {
        *self.release.lock().unwrap() = true;
    }

    pub fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        *self.stop.lock().unwrap() = true;
        self.release();
        let _ = TcpStream::connect(self.addr); // wake the accept loop
    }
}

/// Reads one HTTP/1.1 request (head and body, by Content-Length or chunked) off `stream`.
fn read_request(stream: &mut TcpStream) -> std::io::Result<(String, Vec<u8>, Vec<u8>)> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut head = Vec::new();
    let mut line = String::new();
    let mut request_line = String::new();
    let mut length = 0usize;
    let mut chunked = false;
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no request"));
        }
        if request_line.is_empty() {
            request_line = line.trim_end().to_string();
            head.extend_from_slice(line.as_bytes());
            continue;
        }
        if line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
        if lower.starts_with("connection:") {
            continue; // replaced by `Connection: close`
        }
        head.extend_from_slice(line.as_bytes());
    }
    head.extend_from_slice(b"Connection: close\r\n\r\n");
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            body.extend_from_slice(line.as_bytes());
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            body.extend_from_slice(&chunk);
            if size == 0 {
                break;
            }
        }
    } else {
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    }
    Ok((request_line, head, body))
}

fn proxy_one(
    mut client: TcpStream,
    upstream: SocketAddr,
    seen: &Mutex<Vec<String>>,
    holding: &Mutex<usize>,
    release: &Mutex<bool>,
    policy: &Policy,
) -> std::io::Result<()> {
    let (request_line, head, body) = read_request(&mut client)?;
    let n = {
        let mut seen = seen.lock().unwrap();
        seen.push(request_line.clone());
        seen.len() - 1
    };
    let fault = policy(n, &request_line);
    if fault == Fault::Refuse {
        return client.shutdown(std::net::Shutdown::Both);
    }
    if fault == Fault::NotFound {
        let body = r#"{"error":{"code":"not_found","message":"no such original"}}"#;
        let answer = format!(
            "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        return client.write_all(answer.as_bytes());
    }
    let mut hub = TcpStream::connect(upstream)?;
    hub.write_all(&head)?;
    hub.write_all(&body)?;
    let mut answer = Vec::new();
    hub.read_to_end(&mut answer)?;
    match fault {
        Fault::Pass | Fault::Refuse | Fault::NotFound => client.write_all(&answer)?,
        Fault::DropAnswer => {}
        Fault::CutAnswerAfter(n) => client.write_all(&answer[..n.min(answer.len())])?,
        Fault::Tamper => {
            let start = answer.windows(4).position(|w| w == b"\r\n\r\n").map_or(answer.len(), |p| p + 4);
            if let Some(byte) = answer[start..].iter_mut().find(|b| b.is_ascii_alphabetic()) {
                *byte = if *byte == b'x' { b'y' } else { b'x' };
            }
            client.write_all(&answer)?;
        }
        Fault::Hold => {
            *holding.lock().unwrap() += 1;
            while !*release.lock().unwrap() {
                std::thread::sleep(Duration::from_millis(10));
            }
            *holding.lock().unwrap() -= 1;
            client.write_all(&answer)?;
        }
    }
    client.flush()?;
    client.shutdown(std::net::Shutdown::Both)
}

/// A complete consolidation of `submission`: every standard met, with a resolution note
/// wherever a reviewer differed, and the decision Accredited.
pub fn complete_for(store: &Store, submission: &str) -> accredit::domain::consolidation::Consolidation {
    use accredit::domain::Outcome;
    use accredit::domain::consolidation::{Consolidation, Decision, DecisionKind, PanelOutcome};
    let input = store.report_input(submission).unwrap();
    let outcomes = input
        .standards
        .iter()
        .map(|s| {
            let differs = input.judgements.iter().any(|(c, _, o)| c == &s.code && *o != Outcome::Met);
            PanelOutcome {
                standard: s.code.clone(),
                outcome: Outcome::Met,
                rationale: format!("{} is met on the evidence.", s.code),
                resolution_note: if differs {
                    "The panel found the evidence sufficient.".into()
                } else {
                    String::new()
                },
                no_condition_reason: String::new(),
            }
        })
        .collect();
    Consolidation { outcomes, decision: Some(Decision::new(DecisionKind::Accredited, "")), ..Default::default() }
}
