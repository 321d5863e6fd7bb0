//! The OpenAPI document generated from the types (issue 11, item 8): served as generated, every
//! reference resolves, and where it says a body takes no other fields the hub refuses them.

use std::collections::{BTreeSet, HashMap};

use accredit::hub::Hub;
use accredit::hub::http::{AppState, router};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;

async fn send(app: &axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.clone().oneshot(request).await.expect("the router answers");
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024).await.expect("read the body");
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn demo() -> (axum::Router, HashMap<String, String>) {
    let mut hub = Hub::open_in_memory().expect("hub in memory");
    let tokens = hub.seed_demo().expect("seed the demo").into_iter().collect();
    (router(AppState::new(hub)), tokens)
}

/// Every `$ref` in `value`.
fn refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                out.insert(target.clone());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_served_document_is_the_generated_one_and_every_reference_resolves() {
    let (app, _) = demo();
    let get = Request::builder().uri("/api/v1/openapi.json").body(Body::empty()).unwrap();
    let (status, served) = send(&app, get).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(served, accredit::hub::openapi::document());
    let mut found = BTreeSet::new();
    refs(&served, &mut found);
    assert!(!found.is_empty());
    for target in found {
        let name = target.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("a local schema: {target}"));
        assert!(served["components"]["schemas"][name].is_object(), "{target} resolves");
    }
}

#[tokio::test]
async fn a_field_the_document_does_not_name_is_refused() {
    let (app, tokens) = demo();
    let post = |body: Value| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/ops")
            .header(header::AUTHORIZATION, format!("Bearer {}", tokens["u-demo"]))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let op = json!({
        "op_id": "0190c3a0-0000-7000-8000-000000000001", "base_rev": 0, "kind": "judgement",
        "judgement": { "submission": "S-2026-014", "standard": "MPF 1.1", "outcome": "met", "rationale": "", "state": "draft" }
    });
    let (status, _) = send(&app, post(json!({ "ops": [op.clone()] }))).await;
    assert_eq!(status, StatusCode::OK, "the op as documented is taken");
    let mut extra = op.clone();
    extra["note"] = json!("an undocumented field");
    let (status, body) = send(&app, post(json!({ "ops": [extra] }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("unknown field")), "{body}");
    let consolidation = json!({
        "op_id": "0190c3a0-0000-7000-8000-000000000002", "base_rev": 0, "kind": "consolidation",
        "submission": "S-2026-009",
        "consolidation": { "outcomes": [], "conditions": [], "recommendations": [], "commendations": [],
            "decision": null, "signed": true }
    });
    let (status, body) = send(&app, post(json!({ "ops": [consolidation] }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unknown field inside the consolidation too: {body}");
}
