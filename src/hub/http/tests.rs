//! The readers beside the writer, in-process: a request that only reads is answered while the
//! writer is held (as a long push holds it), which the one lock of before could not do.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use super::{AppState, router};
use crate::hub::Hub;

/// How long a request may take before the test gives up (never reached when it passes).
const DEADLINE: Duration = Duration::from_secs(60);

fn get(uri: &str, token: &str) -> Request<Body> {
    Request::builder().uri(uri).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_are_answered_while_the_writer_is_held() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hub.sqlite");
    let mut hub = Hub::open(&path).unwrap();
    let tokens: std::collections::HashMap<String, String> = hub.seed_demo().unwrap().into_iter().collect();
    // Seen "later" than now, so that signing in needs no write (see `Hub::find_token`).
    hub.seen("u-rev1", "9999-01-01T00:00:00Z").unwrap();
    // A reader, whatever this machine's cores (`pool::readers`).
    let state = AppState::with_readers(hub, 1);
    assert!(state.readers.is_some(), "a hub on a file has readers");
    let app = router(state.clone());
    let token = tokens["u-rev1"].clone();

    // The writer is held, as a push in progress holds it, until `release` is sent.
    let (held, is_held) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let writer = state.hub.clone();
    let holder = std::thread::spawn(move || {
        let _guard = writer.lock().unwrap();
        held.send(()).unwrap();
        released.recv().unwrap();
    });
    is_held.recv().unwrap();

    for uri in ["/api/v1/me", "/api/v1/changes?since=0&limit=50"] {
        let answer = tokio::time::timeout(DEADLINE, app.clone().oneshot(get(uri, &token)))
            .await
            .unwrap_or_else(|_| panic!("{uri} waited for the writer"))
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{uri}");
    }
    release.send(()).unwrap();
    holder.join().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sign_in_of_the_minute_is_answered_while_the_writer_is_held_and_recorded_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hub.sqlite");
    let mut hub = Hub::open(&path).unwrap();
    let tokens: std::collections::HashMap<String, String> = hub.seed_demo().unwrap().into_iter().collect();
    // A reader, whatever this machine's cores (`pool::readers`).
    let state = AppState::with_readers(hub, 1);
    let app = router(state.clone());
    let last_seen = |user: &'static str| {
        let state = state.clone();
        async move {
            state
                .read(move |hub| Ok(hub.users()?.into_iter().find(|u| u.id == user).and_then(|u| u.last_seen)))
                .await
                .unwrap()
        }
    };
    assert_eq!(last_seen("u-rev1").await, None, "never seen yet");

    let (held, is_held) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let writer = state.hub.clone();
    let holder = std::thread::spawn(move || {
        let _guard = writer.lock().unwrap();
        held.send(()).unwrap();
        released.recv().unwrap();
    });
    is_held.recv().unwrap();
    // Never seen, so this sign-in has a "last seen" to write: the answer does not wait for it.
    for user in ["u-rev1", "u-rev2"] {
        let answer = tokio::time::timeout(DEADLINE, app.clone().oneshot(get("/api/v1/me", &tokens[user])))
            .await
            .unwrap_or_else(|_| panic!("{user}'s sign-in waited for the writer"))
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
    }
    assert_eq!(last_seen("u-rev1").await, None, "not written while the writer is held");
    release.send(()).unwrap();
    holder.join().unwrap();
    // Written once the writer is free, both in one go.
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while last_seen("u-rev1").await.is_none() || last_seen("u-rev2").await.is_none() {
        assert!(tokio::time::Instant::now() < deadline, "last seen was never recorded");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_waiting_for_the_writer_are_applied_together_and_each_answered_with_its_own_results() {
    use crate::domain::{JudgementState, Outcome};
    use crate::wire::{JudgementBody, Op, OpKind, OpOutcome, OpsRequest, OpsResponse};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hub.sqlite");
    let mut hub = Hub::open(&path).unwrap();
    let tokens: std::collections::HashMap<String, String> = hub.seed_demo().unwrap().into_iter().collect();
    let op = |hub: &Hub, reviewer: &str, standard: &str| Op {
        op_id: uuid::Uuid::now_v7().to_string(),
        base_rev: hub.judgement("S-2026-014", standard, reviewer).unwrap().map_or(0, |j| j.rev),
        kind: OpKind::Judgement {
            judgement: JudgementBody {
                submission: "S-2026-014".into(),
                standard: standard.into(),
                outcome: Some(Outcome::PartiallyMet),
                rationale: format!("{reviewer} on {standard}: pushed while the writer was busy."),
                state: JudgementState::Draft,
            },
        },
    };
    // Two of Sam's, one of u-rev1's (whose judgements there are submitted: refused).
    let pushes = [
        ("u-demo", op(&hub, "u-demo", "MPF 1.1")),
        ("u-demo", op(&hub, "u-demo", "MPF 1.2")),
        ("u-rev1", op(&hub, "u-rev1", "MPF 1.1")),
    ];
    // A reader, whatever this machine's cores (`pool::readers`).
    let state = AppState::with_readers(hub, 1);
    let app = router(state.clone());

    let (held, is_held) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let writer = state.hub.clone();
    let holder = std::thread::spawn(move || {
        let _guard = writer.lock().unwrap();
        held.send(()).unwrap();
        released.recv().unwrap();
    });
    is_held.recv().unwrap();
    let mut answers = Vec::new();
    for (user, op) in &pushes {
        let body = serde_json::to_vec(&OpsRequest { ops: vec![op.clone()] }).unwrap();
        let request = Request::post("/api/v1/ops")
            .header(header::AUTHORIZATION, format!("Bearer {}", tokens[*user]))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        answers.push(tokio::spawn(app.clone().oneshot(request)));
    }
    // Every push waiting for the writer before it is released.
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while state.pushes.lock().unwrap().waiting.len() < pushes.len() {
        assert!(tokio::time::Instant::now() < deadline, "the pushes never queued");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    release.send(()).unwrap();
    holder.join().unwrap();
    let mut outcomes = Vec::new();
    for ((_, op), answer) in pushes.iter().zip(answers) {
        let answer = tokio::time::timeout(DEADLINE, answer).await.unwrap().unwrap().unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        let body = axum::body::to_bytes(answer.into_body(), usize::MAX).await.unwrap();
        let OpsResponse { results } = serde_json::from_slice(&body).unwrap();
        assert_eq!(results.len(), 1);
        assert_eq!(results[0].op_id, op.op_id, "each push gets its own answer");
        outcomes.push(results[0].outcome.clone());
    }
    assert!(matches!(outcomes[0], OpOutcome::Applied { .. }), "{outcomes:?}");
    assert!(matches!(outcomes[1], OpOutcome::Applied { .. }), "{outcomes:?}");
    assert!(matches!(outcomes[2], OpOutcome::Rejected { .. }), "{outcomes:?}");
    let hub = state.hub.lock().unwrap();
    for standard in ["MPF 1.1", "MPF 1.2"] {
        let j = hub.judgement("S-2026-014", standard, "u-demo").unwrap().expect("applied");
        assert!(j.rationale.contains("while the writer was busy"), "{j:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_signs_in_before_it_judges_the_query() {
    let mut hub = Hub::open_in_memory().unwrap();
    let tokens: std::collections::HashMap<String, String> = hub.seed_demo().unwrap().into_iter().collect();
    let app = router(AppState::new(hub));
    let wrong = "0".repeat(64);
    for (uri, token, status) in [
        ("/api/v1/changes?since=-1", wrong.as_str(), StatusCode::UNAUTHORIZED),
        ("/api/v1/changes?since=0", wrong.as_str(), StatusCode::UNAUTHORIZED),
        ("/api/v1/changes?since=-1", tokens["u-demo"].as_str(), StatusCode::BAD_REQUEST),
        ("/api/v1/changes?limit=0", tokens["u-demo"].as_str(), StatusCode::BAD_REQUEST),
        ("/api/v1/changes?since=0", tokens["u-demo"].as_str(), StatusCode::OK),
    ] {
        let answer = app.clone().oneshot(get(uri, token)).await.unwrap();
        assert_eq!(answer.status(), status, "{uri} with {}", if token == wrong { "a wrong token" } else { "Sam's" });
    }
}

/// Behind a trusted proxy the client is the nearest forwarded address that is not a proxy; from
/// anyone else `X-Forwarded-For` is ignored (a client cannot pick its own throttle allowance).
#[test]
fn the_client_address_comes_from_a_trusted_proxy_only() {
    use std::net::IpAddr;
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    let proxy = ip("10.0.0.2");
    let forwarded = |value: &str| {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    };
    let trusted = [proxy];
    // A client's own claim ("1.2.3.4") is left of what the proxy appended.
    let headers = forwarded("1.2.3.4, 192.0.2.7");
    assert_eq!(super::client_address(proxy, &headers, &trusted), ip("192.0.2.7"));
    assert_eq!(super::client_address(ip("192.0.2.9"), &headers, &trusted), ip("192.0.2.9"), "not from the proxy");
    assert_eq!(super::client_address(proxy, &headers, &[]), proxy, "no proxy trusted");
    assert_eq!(super::client_address(proxy, &forwarded("garbage"), &trusted), proxy, "unreadable: the peer");
    assert_eq!(super::client_address(proxy, &axum::http::HeaderMap::new(), &trusted), proxy);
    // Two proxies in a row: the first untrusted hop from the right.
    let chain = [proxy, ip("10.0.0.3")];
    assert_eq!(super::client_address(proxy, &forwarded("192.0.2.7, 10.0.0.3"), &chain), ip("192.0.2.7"));
}
