//! Probes for load balancers and orchestrators, and the metrics scrape.

use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use serde_json::json;

use crate::AppState;

/// `GET /healthz`: the process is up and answering.
pub async fn live() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: the database answers; 503 otherwise, so a load balancer
/// sends users to another node.
pub async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let database = state.store.backend_name();
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({ "status": "ready", "database": database })),
        ),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": database })),
            )
        }
    }
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
