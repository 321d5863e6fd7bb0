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
    let state = AppState::new(hub);
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
    let state = AppState::new(hub);
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
