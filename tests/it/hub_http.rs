//! The hub's HTTP handlers in-process (`tower::ServiceExt::oneshot` on the router, no socket):
//! status codes, JSON errors and limits of docs/sync-protocol.md.

use std::collections::{BTreeSet, HashMap};

use accredit::hub::Hub;
use accredit::hub::http::{AppState, router};
use accredit::wire::{MAX_BODY_BYTES, MAX_OPS_PER_PUSH, UserRole};
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;

/// Every route the router serves, as (method, path) — the contract's list of endpoints.
const ROUTES: [(&str, &str); 14] = [
    ("get", "/healthz"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/me"),
    ("post", "/api/v1/ops"),
    ("get", "/api/v1/changes"),
    ("get", "/api/v1/documents/{sha256}"),
    ("post", "/api/v1/documents/batch"),
    ("get", "/api/v1/originals/{sha256}"),
    ("post", "/api/v1/submissions/{id}/reports"),
    ("get", "/api/v1/submissions/{id}/reports"),
    ("get", "/api/v1/submissions/{id}/reports/{version}"),
    ("post", "/api/v1/submissions/{id}/confirmations"),
    ("get", "/api/v1/submissions/{id}/confirmations"),
    ("get", "/api/v1/submissions/{id}/history"),
];

struct Api {
    app: Router,
    tokens: HashMap<String, String>,
    /// A document of S-2026-015, a submission u-rev1 is not on (and no submission they are on cites).
    foreign_document: String,
    /// A document of S-2026-014, which u-rev1 reviews.
    own_document: String,
}

fn api() -> Api {
    let mut hub = Hub::open_in_memory().expect("hub in memory");
    let mut tokens: HashMap<String, String> = hub.seed_demo().expect("seed the demo").into_iter().collect();
    let (_, admin) = hub.add_user(Some("u-admin"), "Ada Admin", UserRole::Admin).expect("add an admin");
    tokens.insert("u-admin".into(), admin);
    let documents = |submission: &str| -> BTreeSet<String> {
        hub.store().documents(submission).expect("documents").into_iter().map(|d| d.sha256).collect()
    };
    let readable: BTreeSet<String> = ["S-2026-014"].iter().flat_map(|s| documents(s)).collect();
    let foreign_document = documents("S-2026-015")
        .into_iter()
        .find(|sha| !readable.contains(sha))
        .expect("S-2026-015 has a document of its own");
    let own_document = documents("S-2026-014").into_iter().next().expect("S-2026-014 has documents");
    Api { app: router(AppState::new(hub)), tokens, foreign_document, own_document }
}

struct Answer {
    status: StatusCode,
    content_type: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("the answer ({}) is not JSON: {e}\n{}", self.status, String::from_utf8_lossy(&self.body))
        })
    }

    /// Asserts this is the contract's JSON error with `status` and `code`.
    fn assert_error(&self, status: StatusCode, code: &str) -> Value {
        assert_eq!(self.status, status, "{}", String::from_utf8_lossy(&self.body));
        assert!(self.content_type.starts_with("application/json"), "errors are JSON, got {:?}", self.content_type);
        let body = self.json();
        assert_eq!(body["error"]["code"], code, "{body}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "an error explains itself: {body}");
        body
    }
}

impl Api {
    fn token(&self, user: &str) -> &str {
        &self.tokens[user]
    }

    async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.app.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let content_type =
            response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let body = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024).await.expect("read the body");
        Answer { status, content_type, body: body.to_vec() }
    }

    async fn get(&self, uri: &str, authorization: Option<&str>) -> Answer {
        let mut request = Request::builder().method(Method::GET).uri(uri);
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    async fn get_as(&self, uri: &str, user: &str) -> Answer {
        self.get(uri, Some(&format!("Bearer {}", self.token(user)))).await
    }

    async fn post_ops(&self, user: &str, body: impl Into<Body>) -> Answer {
        let request = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/ops")
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token(user)))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.into())
            .unwrap();
        self.send(request).await
    }
}

fn op(n: usize, standard: &str) -> Value {
    json!({
        "op_id": format!("0190c3a0-0000-7000-8000-{n:012}"),
        "base_rev": 0,
        "kind": "judgement",
        "judgement": {
            "submission": "S-2026-014", "standard": standard, "outcome": "met",
            "rationale": "fine", "state": "draft"
        }
    })
}

#[tokio::test]
async fn healthz_answers_200_without_a_token() {
    let api = api();
    let answer = api.get("/healthz", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["status"], "ok");
}

#[tokio::test]
async fn openapi_lists_exactly_the_routes_the_router_serves() {
    let api = api();
    let answer = api.get("/api/v1/openapi.json", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    let doc = answer.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths is an object");
    let documented: BTreeSet<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().expect("a path item").keys().map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    let routed: BTreeSet<(String, String)> = ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, routed, "openapi.json documents exactly the router's routes and methods");
    // And each documented route is really served (not the 404 fallback).
    let sha = "0".repeat(64);
    for (method, path) in &routed {
        // A submission u-demo reviews but does not chair: the report routes answer 403, not 404.
        let uri = path.replace("{sha256}", &sha).replace("{id}", "S-2026-014").replace("{version}", "1");
        let request = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(&uri)
            .header(header::AUTHORIZATION, format!("Bearer {}", api.token("u-demo")))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(if method == "post" { r#"{"ops":[]}"# } else { "" }))
            .unwrap();
        let answer = api.send(request).await;
        assert_ne!(answer.status, StatusCode::NOT_FOUND, "{method} {uri} is routed");
        assert_ne!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri} is routed");
    }
}

#[tokio::test]
async fn me_refuses_a_missing_malformed_unknown_or_revoked_token() {
    let mut hub = Hub::open_in_memory().unwrap();
    let tokens: HashMap<String, String> = hub.seed_demo().unwrap().into_iter().collect();
    let (_, revoked) = hub.add_user(Some("u-gone"), "Gone Person", UserRole::Reviewer).unwrap();
    hub.revoke("u-gone").unwrap();
    // More failures than the throttle allows at once, all from "no address": this test is about
    // the answers, so the allowance is raised (the throttle is tested in hub_limits.rs).
    let generous = accredit::hub::throttle::Policy { burst: 1000, ..Default::default() };
    let app = router(AppState::with_throttle(hub, generous));
    let api = Api { app, tokens, foreign_document: String::new(), own_document: String::new() };
    let unknown = "ab".repeat(32);
    let valid = api.token("u-demo").to_string();
    let cases: Vec<(&str, Option<String>)> = vec![
        ("no header", None),
        ("not bearer", Some(format!("Basic {valid}"))),
        ("lower-case scheme", Some(format!("bearer {valid}"))),
        ("empty token", Some("Bearer ".into())),
        ("too short", Some(format!("Bearer {}", &valid[..63]))),
        ("not hex", Some(format!("Bearer {}", "zz".repeat(32)))),
        ("unknown token", Some(format!("Bearer {unknown}"))),
        ("revoked token", Some(format!("Bearer {revoked}"))),
    ];
    for (what, header) in cases {
        let answer = api.get("/api/v1/me", header.as_deref()).await;
        let body = answer.assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
        assert!(!body.to_string().contains(&valid), "{what}: the answer never echoes a token");
    }
    // Every authenticated endpoint refuses the same way.
    for uri in ["/api/v1/changes?since=0", &format!("/api/v1/documents/{}", "0".repeat(64))] {
        api.get(uri, None).await.assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/ops")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"ops":[]}"#))
        .unwrap();
    api.send(request).await.assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

#[tokio::test]
async fn me_answers_the_tokens_user() {
    let api = api();
    let answer = api.get_as("/api/v1/me", "u-rev2").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json(),
        json!({
            "user": {"id": "u-rev2", "name": "Dr Anika Sørensen", "role": "reviewer"},
            "organisation": "NHS England — Centre for Advancing Practice"
        })
    );
    let admin = api.get_as("/api/v1/me", "u-admin").await.json();
    assert_eq!(admin["user"]["role"], "admin");
    // Upper-case hex is the same token.
    let upper = format!("Bearer {}", api.token("u-rev2").to_ascii_uppercase());
    assert_eq!(api.get("/api/v1/me", Some(&upper)).await.json()["user"]["id"], "u-rev2");
}

#[tokio::test]
async fn a_push_with_a_bad_body_is_a_400_json_error() {
    let api = api();
    let bad_bodies = [
        ("not JSON", "{not json".to_string()),
        ("no ops", "{}".to_string()),
        ("unknown field", r#"{"ops":[],"extra":1}"#.to_string()),
        ("unknown kind", json!({"ops":[{"op_id":"x","base_rev":0,"kind":"panel","judgement":{}}]}).to_string()),
        ("bad outcome", {
            let mut op = op(1, "MPF 1.1");
            op["judgement"]["outcome"] = json!("excellent");
            json!({ "ops": [op] }).to_string()
        }),
        // The reviewer is always the caller: a body naming someone else is refused outright.
        ("names a reviewer", {
            let mut op = op(1, "MPF 1.1");
            op["judgement"]["reviewer"] = json!("u-rev1");
            json!({ "ops": [op] }).to_string()
        }),
    ];
    for (what, body) in bad_bodies {
        let answer = api.post_ops("u-demo", body).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{what}");
        answer.assert_error(StatusCode::BAD_REQUEST, "bad_request");
    }
    // Nothing was applied by any of them.
    let changes = api.get_as("/api/v1/changes?since=0&limit=1000", "u-demo").await.json();
    let mine = changes["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "judgement" && c["judgement"]["reviewer"] == "u-demo")
        .count();
    assert_eq!(mine, 0);
}

#[tokio::test]
async fn a_body_over_two_mebibytes_is_413_too_large() {
    let api = api();
    let mut big = op(1, "MPF 1.1");
    big["judgement"]["rationale"] = json!("a".repeat(MAX_BODY_BYTES));
    let body = json!({ "ops": [big] }).to_string();
    assert!(body.len() > MAX_BODY_BYTES);
    api.post_ops("u-demo", body).await.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    // Just under the limit is read (and the rationale refused as too long, op by op).
    let mut fits = op(2, "MPF 1.1");
    fits["judgement"]["rationale"] = json!("a".repeat(MAX_BODY_BYTES - 1024));
    let answer = api.post_ops("u-demo", json!({ "ops": [fits] }).to_string()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", String::from_utf8_lossy(&answer.body));
    assert_eq!(answer.json()["results"][0]["status"], "rejected");
}

#[tokio::test]
async fn more_than_500_ops_in_one_push_is_a_400() {
    let api = api();
    let too_many: Vec<Value> = (0..=MAX_OPS_PER_PUSH).map(|n| op(n, "MPF 1.1")).collect();
    let body = api.post_ops("u-demo", json!({ "ops": too_many }).to_string()).await;
    let error = body.assert_error(StatusCode::BAD_REQUEST, "bad_request");
    assert!(error["error"]["message"].as_str().unwrap().contains("500"), "{error}");
    // Nothing of it was applied: the hub has no judgement of u-demo's.
    let changes = api.get_as("/api/v1/changes?since=0&limit=1000", "u-demo").await.json();
    assert!(
        !changes["changes"].as_array().unwrap().iter().any(|c| c["judgement"]["reviewer"] == "u-demo"),
        "a refused push applies nothing"
    );
    // Exactly 500 is accepted, each op answered in order.
    let most: Vec<Value> = (0..MAX_OPS_PER_PUSH).map(|n| op(n, "MPF 1.1")).collect();
    let answer = api.post_ops("u-demo", json!({ "ops": most }).to_string()).await;
    assert_eq!(answer.status, StatusCode::OK);
    let results = answer.json()["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), MAX_OPS_PER_PUSH);
    for (n, result) in results.iter().enumerate() {
        assert_eq!(result["op_id"], op(n, "MPF 1.1")["op_id"], "answers come in the order of the ops");
    }
}

#[tokio::test]
async fn changes_with_bad_parameters_is_a_400() {
    let api = api();
    for query in ["since=-1", "since=abc", "limit=abc", "since=1.5", "until=3", "limit=0", "limit=1001", "limit=-5"] {
        let answer = api.get_as(&format!("/api/v1/changes?{query}"), "u-demo").await;
        answer.assert_error(StatusCode::BAD_REQUEST, "bad_request");
    }
    // The bounds themselves are fine.
    for query in ["", "since=0", "limit=1", "limit=1000", "since=999999"] {
        let answer = api.get_as(&format!("/api/v1/changes?{query}"), "u-demo").await;
        assert_eq!(answer.status, StatusCode::OK, "{query}: {}", String::from_utf8_lossy(&answer.body));
    }
    let one = api.get_as("/api/v1/changes?since=0&limit=1", "u-demo").await.json();
    assert_eq!(one["changes"].as_array().unwrap().len(), 1);
    assert_eq!(one["more"], true);
}

#[tokio::test]
async fn a_document_of_a_submission_i_am_not_on_is_403_like_a_missing_one() {
    let api = api();
    // u-rev1 reviews S-2026-014 and may read its documents.
    let own = api.get_as(&format!("/api/v1/documents/{}", api.own_document), "u-rev1").await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.content_type.starts_with("text/plain"));
    // A document of S-2026-015 exists, but u-rev1 is not on that panel.
    let foreign = api.get_as(&format!("/api/v1/documents/{}", api.foreign_document), "u-rev1").await;
    foreign.assert_error(StatusCode::FORBIDDEN, "forbidden");
    // The answer for a hash nobody cites is exactly the same: existence is not revealed.
    let missing = api.get_as(&format!("/api/v1/documents/{}", "0".repeat(64)), "u-rev1").await;
    assert_eq!((missing.status, &missing.body), (foreign.status, &foreign.body));
    // The members of S-2026-015 do read it.
    let member = api.get_as(&format!("/api/v1/documents/{}", api.foreign_document), "u-rev2").await;
    assert_eq!(member.status, StatusCode::OK);
    // A recused member is treated as not on the panel: u-rev1 is recused from S-2026-009.
    let hub_docs: Vec<String> = {
        let recused = api.get_as("/api/v1/changes?since=0&limit=1000", "u-rev1").await.json();
        recused["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == "submission")
            .map(|c| c["submission"]["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!hub_docs.contains(&"S-2026-009".to_string()), "a recused member is not sent the submission");
    // Not a SHA-256 at all: a 400, not a lookup.
    api.get_as("/api/v1/documents/not-a-hash", "u-rev1").await.assert_error(StatusCode::BAD_REQUEST, "bad_request");
}

#[tokio::test]
async fn an_unknown_route_is_a_404_json_error() {
    let api = api();
    for uri in ["/", "/api/v2/me", "/api/v1/nothing", "/api/v1/documents"] {
        api.get_as(uri, "u-demo").await.assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    // Without a token too: the 404 says nothing about authentication.
    api.get("/api/v1/nothing", None).await.assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_known_route_with_the_wrong_method_is_a_json_error() {
    let api = api();
    let request = Request::builder()
        .method(Method::DELETE)
        .uri("/api/v1/ops")
        .header(header::AUTHORIZATION, format!("Bearer {}", api.token("u-demo")))
        .body(Body::empty())
        .unwrap();
    let answer = api.send(request).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    answer.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

#[tokio::test]
async fn errors_axum_and_tower_make_are_json_too() {
    let api = api();
    // A path parameter that does not parse.
    let answer = api.get_as("/api/v1/submissions/S-2026-009/reports/not-a-number", "u-demo").await;
    let body = answer.assert_error(StatusCode::BAD_REQUEST, "bad_request");
    assert!(body["error"]["message"].as_str().unwrap().contains("not-a-number"), "says what did not parse: {body}");
    // A body declared over the limit is refused before it is read, even without a token.
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/ops")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, (MAX_BODY_BYTES + 1).to_string())
        .body(Body::from(vec![b' '; MAX_BODY_BYTES + 1]))
        .unwrap();
    api.send(request).await.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large");
}
