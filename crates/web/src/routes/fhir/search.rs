//! `GET /fhir/r4/Task?focus=ServiceRequest/{id}`.

use std::collections::HashMap;

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};
use serde_json::json;
use uuid::Uuid;

use super::{FhirError, request_facts, resource};
use crate::{AppState, SignedIn};

/// The Task of a request, as a searchset (empty when not readable).
pub async fn tasks(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, FhirError> {
    let focus = params.get("focus").ok_or_else(|| {
        FhirError(
            StatusCode::BAD_REQUEST,
            "required",
            "le paramètre focus est requis / focus is required".into(),
        )
    })?;
    let id = focus
        .strip_prefix("ServiceRequest/")
        .and_then(|id| Uuid::parse_str(id).ok());
    let task = match id {
        Some(id) => request_facts(&state, &signed_in, id)
            .await
            .ok()
            .map(|f| consilium_fhir::request::task(&f)),
        None => None,
    };
    let entries: Vec<_> = task.into_iter().map(|t| json!({ "fullUrl": format!("Task/{}", t["id"].as_str().unwrap_or("")), "resource": t, "search": { "mode": "match" } })).collect();
    let bundle = json!({ "resourceType": "Bundle", "type": "searchset", "total": entries.len(), "entry": entries });
    Ok(resource(StatusCode::OK, &bundle))
}
