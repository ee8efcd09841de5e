//! `GET /fhir/r4/metadata`: what this server implements (no sign-in needed).

use axum::{extract::State, http::StatusCode, response::Response};
use consilium_fhir::capability::capability_statement;

use super::{base_url, resource};
use crate::AppState;

/// The CapabilityStatement.
pub async fn show(State(state): State<AppState>) -> Response {
    let statement = capability_statement(&base_url(&state), env!("CARGO_PKG_VERSION"));
    resource(StatusCode::OK, &statement)
}
