//! `GET /fhir/r4/metadata`: what this server implements (no sign-in needed).

use axum::{extract::State, http::StatusCode, response::Response};
use serde_json::json;

use super::resource;
use crate::AppState;

/// The CapabilityStatement.
pub async fn show(State(state): State<AppState>) -> Response {
    let read = |t: &str| json!({ "type": t, "interaction": [{ "code": "read" }] });
    let by_request = |t: &str, param: &str, create: bool| {
        let mut interaction = vec![json!({ "code": "read" }), json!({ "code": "search-type" })];
        if create {
            interaction.push(json!({ "code": "create" }));
        }
        json!({ "type": t, "interaction": interaction, "searchParam": [{ "name": param, "type": "reference" }] })
    };
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
                    "interaction": [{ "code": "read" }, { "code": "search-type" }, { "code": "update" }, { "code": "patch" }],
                    "searchParam": [
                        { "name": "focus", "type": "reference" },
                        { "name": "owner", "type": "reference" },
                        { "name": "status", "type": "token" },
                        { "name": "_count", "type": "number" },
                    ],
                },
                by_request("Communication", "based-on", true),
                by_request("DocumentReference", "related", false),
                by_request("Appointment", "based-on", false),
            ],
        }],
    });
    resource(StatusCode::OK, &statement)
}
