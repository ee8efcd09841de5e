//! `GET /fhir/r4/metadata`: what this server implements (no sign-in needed).

use axum::{extract::State, http::StatusCode, response::Response};
use serde_json::json;

use super::resource;
use crate::AppState;

/// The CapabilityStatement.
pub async fn show(State(state): State<AppState>) -> Response {
    let read = |t: &str| json!({ "type": t, "interaction": [{ "code": "read" }] });
    let statement = json!({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-11-23",
        "kind": "instance",
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json"],
        "implementation": { "description": "Consilium", "url": format!("{}/fhir/r4", state.config.public_url) },
        "rest": [{
            "mode": "server",
            "security": { "description": "Authorization: Bearer <token> (consilium token create)" },
            "interaction": [{ "code": "transaction" }],
            "resource": [
                read("Patient"), read("ServiceRequest"), read("QuestionnaireResponse"), read("Media"), read("Binary"),
                {
                    "type": "Task",
                    "interaction": [{ "code": "read" }, { "code": "search-type" }],
                    "searchParam": [{ "name": "focus", "type": "reference" }],
                },
            ],
        }],
    });
    resource(StatusCode::OK, &statement)
}
