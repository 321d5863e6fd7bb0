//! The OpenAPI document served at `/api/v1/openapi.json`, describing exactly the routes of
//! `http::router` and the wire types they take and return.

use serde_json::{Value, json};

pub fn document() -> Value {
    let error = json!({ "$ref": "#/components/schemas/Error" });
    let errors = |extra: &[(&str, &str)]| {
        let mut responses = serde_json::Map::new();
        responses.insert("401".into(), json!({ "description": "unknown, malformed or revoked token", "content": { "application/json": { "schema": error } } }));
        for (code, what) in extra {
            responses.insert(
                (*code).into(),
                json!({ "description": what, "content": { "application/json": { "schema": error } } }),
            );
        }
        responses
    };
    let with = |mut base: serde_json::Map<String, Value>, code: &str, description: &str, schema: Value| {
        base.insert(
            code.into(),
            json!({ "description": description, "content": { "application/json": { "schema": schema } } }),
        );
        Value::Object(base)
    };
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "accredit hub",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Sync API between accredit workstations and the hub: see docs/sync-protocol.md."
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": {
                    "type": "object", "required": ["error"],
                    "properties": { "error": { "type": "object", "required": ["code", "message"],
                        "properties": { "code": { "type": "string" }, "message": { "type": "string" } } } }
                },
                "Outcome": { "type": ["string", "null"], "enum": ["met", "partially_met", "not_met", null] },
                "State": { "type": "string", "enum": ["draft", "submitted"] },
                "JudgementBody": {
                    "type": "object", "additionalProperties": false,
                    "required": ["submission", "standard", "outcome", "rationale", "state"],
                    "properties": {
                        "submission": { "type": "string" }, "standard": { "type": "string" },
                        "outcome": { "$ref": "#/components/schemas/Outcome" }, "rationale": { "type": "string" },
                        "state": { "$ref": "#/components/schemas/State" }
                    }
                },
                "HubJudgement": {
                    "type": "object",
                    "required": ["submission", "standard", "reviewer", "outcome", "rationale", "state", "rev", "updated_at"],
                    "properties": {
                        "submission": { "type": "string" }, "standard": { "type": "string" }, "reviewer": { "type": "string" },
                        "outcome": { "$ref": "#/components/schemas/Outcome" }, "rationale": { "type": "string" },
                        "state": { "$ref": "#/components/schemas/State" }, "rev": { "type": "integer" },
                        "updated_at": { "type": "string" }
                    }
                },
                "Op": {
                    "type": "object", "required": ["op_id", "base_rev", "kind"],
                    "properties": {
                        "op_id": { "type": "string", "description": "UUID v7 made by the client" },
                        "base_rev": { "type": "integer", "minimum": 0 },
                        "kind": { "type": "string", "enum": ["judgement", "consolidation"] },
                        "judgement": { "$ref": "#/components/schemas/JudgementBody", "description": "with kind judgement" },
                        "submission": { "type": "string", "description": "with kind consolidation" },
                        "consolidation": { "type": "object", "description": "with kind consolidation: the chair's whole consolidation" }
                    }
                },
                "OpResult": {
                    "type": "object", "required": ["op_id", "status"],
                    "properties": {
                        "op_id": { "type": "string" },
                        "status": { "type": "string", "enum": ["applied", "conflict", "rejected"] },
                        "rev": { "type": "integer" }, "seq": { "type": "integer" },
                        "current": { "$ref": "#/components/schemas/HubJudgement" },
                        "reason": { "type": "string" }
                    }
                },
                "ReportVersion": {
                    "type": "object", "required": ["submission", "version", "sha256", "pushed_by", "pushed_at"],
                    "properties": { "submission": { "type": "string" }, "version": { "type": "integer" }, "sha256": { "type": "string" },
                        "pushed_by": { "type": "string" }, "pushed_at": { "type": "string" } }
                },
                "PushReportResponse": {
                    "type": "object", "required": ["report", "created"],
                    "properties": { "report": { "$ref": "#/components/schemas/ReportVersion" }, "created": { "type": "boolean" } }
                },
                "Change": {
                    "type": "object", "required": ["kind", "seq"],
                    "properties": {
                        "kind": { "type": "string", "enum": ["framework", "submission", "panel", "judgement", "consolidation"] },
                        "seq": { "type": "integer" },
                        "framework": { "type": "object", "description": "accredit.framework.v1 without its format field" },
                        "submission": { "type": "object", "description": "accredit.submission.v1 fields; documents carry sha256 instead of path" },
                        "panel": { "type": "object" },
                        "judgement": { "$ref": "#/components/schemas/HubJudgement" }
                    }
                }
            }
        },
        "security": [{ "bearer": [] }],
        "paths": {
            "/healthz": { "get": { "summary": "liveness", "security": [],
                "responses": { "200": { "description": "the hub is up" } } } },
            "/api/v1/openapi.json": { "get": { "summary": "this document", "security": [],
                "responses": { "200": { "description": "OpenAPI 3.1" } } } },
            "/api/v1/me": { "get": { "summary": "who the token belongs to",
                "responses": with(errors(&[]), "200", "the caller",
                    json!({ "type": "object", "required": ["user"], "properties": { "user": { "type": "object",
                        "required": ["id", "name", "role"], "properties": { "id": { "type": "string" }, "name": { "type": "string" },
                        "role": { "type": "string", "enum": ["reviewer", "chair", "admin"] } } },
                        "organisation": { "type": "string", "description": "the organisation that issues panel reports" } } })) } },
            "/api/v1/submissions/{id}/confirmations": {
                "post": { "summary": "a voting member confirms the latest pushed report is accurate (optionally commenting); again replaces theirs",
                    "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } } ],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": {
                        "type": "object", "additionalProperties": false, "properties": { "comment": { "type": "string" } } } } } },
                    "responses": with(errors(&[("403", "not a voting member of the panel"), ("409", "no report pushed yet")]), "200", "the confirmation",
                        json!({ "type": "object", "required": ["member", "name", "version", "confirmed_at"] })) },
                "get": { "summary": "who confirmed the report, and who has not (the panel and the office)",
                    "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } } ],
                    "responses": with(errors(&[("403", "not on the panel")]), "200", "confirmations and who is awaited",
                        json!({ "type": "object", "required": ["confirmations", "awaiting"] })) } },
            "/api/v1/submissions/{id}/history": { "get": { "summary": "who did what when on the submission, from the audit trail, as far as the caller may see it",
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } } ],
                "responses": with(errors(&[("403", "not on the panel (or no such submission)")]), "200", "the entries, oldest first",
                    json!({ "type": "object", "required": ["entries"] })) } },
            "/api/v1/ops": { "post": { "summary": "push ops; each answered applied, conflict or rejected",
                "requestBody": { "required": true, "content": { "application/json": { "schema": {
                    "type": "object", "additionalProperties": false, "required": ["ops"],
                    "properties": { "ops": { "type": "array", "maxItems": crate::wire::MAX_OPS_PER_PUSH, "items": { "$ref": "#/components/schemas/Op" } } } } } } },
                "responses": with(errors(&[("400", "malformed body or too many ops"), ("413", "body over the size limit")]), "200", "one result per op, in order",
                    json!({ "type": "object", "required": ["results"], "properties": { "results": { "type": "array", "items": { "$ref": "#/components/schemas/OpResult" } } } })) } },
            "/api/v1/changes": { "get": { "summary": "the changes after a cursor that the caller may see",
                "parameters": [
                    { "name": "since", "in": "query", "schema": { "type": "integer", "minimum": 0, "default": 0 } },
                    { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": crate::wire::MAX_PULL_LIMIT, "default": crate::wire::DEFAULT_PULL_LIMIT } }
                ],
                "responses": with(errors(&[("400", "bad parameters")]), "200", "a page of changes",
                    json!({ "type": "object", "required": ["changes", "next", "more"], "properties": {
                        "changes": { "type": "array", "items": { "$ref": "#/components/schemas/Change" } },
                        "next": { "type": "integer" }, "more": { "type": "boolean" } } })) } },
            "/api/v1/documents/{sha256}": { "get": { "summary": "a document's text by the SHA-256 of its bytes",
                "parameters": [ { "name": "sha256", "in": "path", "required": true, "schema": { "type": "string", "pattern": "^[0-9a-f]{64}$" } } ],
                "responses": {
                    "200": { "description": "the document", "content": { "text/plain": { "schema": { "type": "string" } } } },
                    "400": { "description": "not a SHA-256", "content": { "application/json": { "schema": error } } },
                    "401": { "description": "unknown, malformed or revoked token", "content": { "application/json": { "schema": error } } },
                    "403": { "description": "not a document of a submission the caller is on (or no such document)", "content": { "application/json": { "schema": error } } }
                } } },
            "/api/v1/documents/batch": { "post": { "summary": "several documents' texts at once (at most 64; the answer stops past 16 MB, ask again for the rest)",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["sha256"],
                    "properties": { "sha256": { "type": "array", "maxItems": 64, "items": { "type": "string", "pattern": "^[0-9a-f]{64}$" } } } } } } },
                "responses": with(errors(&[("400", "not a list of SHA-256s, or too many")]), "200", "the documents sent, in the order asked, and those refused",
                    json!({ "type": "object", "required": ["documents", "forbidden"], "properties": {
                        "documents": { "type": "array", "items": { "type": "object", "required": ["sha256", "text"],
                            "properties": { "sha256": { "type": "string" }, "text": { "type": "string" } } } },
                        "forbidden": { "type": "array", "items": { "type": "string" } } } })) } },
            "/api/v1/submissions/{id}/reports": {
                "post": { "summary": "push the panel report: the hub builds it from its own data and keeps it as a new version (the same report again is the same version)",
                    "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } } ],
                    "responses": with(with(errors(&[("403", "not the panel's chair"), ("409", "the consolidation is not a complete report: every problem is listed")]),
                        "201", "a new version", json!({ "$ref": "#/components/schemas/PushReportResponse" })).as_object().cloned().unwrap_or_default(),
                        "200", "this exact report was pushed before", json!({ "$ref": "#/components/schemas/PushReportResponse" })) },
                "get": { "summary": "every pushed version (the chair and the accreditation office)",
                    "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } } ],
                    "responses": with(errors(&[("403", "not the panel's chair or the office")]), "200", "the versions",
                        json!({ "type": "object", "required": ["reports"], "properties": { "reports": { "type": "array", "items": { "$ref": "#/components/schemas/ReportVersion" } } } })) } },
            "/api/v1/submissions/{id}/reports/{version}": { "get": { "summary": "one pushed version, rendered",
                "parameters": [
                    { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } },
                    { "name": "version", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 } },
                    { "name": "format", "in": "query", "schema": { "type": "string", "enum": ["md", "html", "json"], "default": "md" } }
                ],
                "responses": {
                    "200": { "description": "the report", "content": { "text/markdown": { "schema": { "type": "string" } }, "text/html": { "schema": { "type": "string" } }, "application/json": { "schema": { "type": "object" } } } },
                    "400": { "description": "bad format", "content": { "application/json": { "schema": error } } },
                    "401": { "description": "unknown, malformed or revoked token", "content": { "application/json": { "schema": error } } },
                    "403": { "description": "not the panel's chair or the office", "content": { "application/json": { "schema": error } } },
                    "404": { "description": "no such version", "content": { "application/json": { "schema": error } } }
                } } }
        }
    })
}
