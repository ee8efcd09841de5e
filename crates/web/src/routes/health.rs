//! Probes for load balancers and orchestrators, and the metrics scrape.

use super::api::schema::{Live, Ready};
use crate::AppState;
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};

/// `GET /healthz`: the process is up and answering.
#[utoipa::path(
    get,
    path = "/healthz",
    operation_id = "healthz",
    tag = "probes",
    responses((status = 200, description = "The process answers", body = Live))
)]
pub async fn live() -> impl IntoResponse {
    Json(Live {
        status: "ok".into(),
    })
}

/// `GET /readyz`: the database answers; 503 otherwise, so a load balancer
/// sends users to another node.
#[utoipa::path(
    get,
    path = "/readyz",
    operation_id = "readyz",
    tag = "probes",
    responses(
        (status = 200, description = "The database answers", body = Ready),
        (status = 503, description = "The database does not answer", body = Ready),
    )
)]
pub async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let database = state.store.backend_name().to_owned();
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(Ready {
                status: "ready".into(),
                database,
            }),
        ),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Ready {
                    status: "unavailable".into(),
                    database,
                }),
            )
        }
    }
}

/// `GET /metrics`: Prometheus text format.
#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "metrics",
    tag = "probes",
    responses((status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"))
)]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
