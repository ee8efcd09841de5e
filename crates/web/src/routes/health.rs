//! Probes for load balancers and orchestrators, and the metrics scrape.

use super::api::schema::{Live, Ready};
use crate::AppState;
use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
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

/// `GET /metrics`: Prometheus text format, for the bearer of the metrics
/// token (`--metrics-token-file`). Per-route counts tell an attacker how
/// sign-ins and uploads go: without the token — or when none is set — it
/// does not exist here (see `--metrics-listen` for a private address).
#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "metrics",
    tag = "probes",
    params(("Authorization" = String, Header, description = "Bearer and the metrics token")),
    responses(
        (status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"),
        (status = 404, description = "No metrics token set, or not this one", body = String, content_type = "text/plain"),
    )
)]
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let allowed = match (&state.config.metrics_token_sha256, given) {
        // Digests compared: the time taken says nothing about the token.
        (Some(expected), Some(given)) => {
            use sha2::{Digest, Sha256};
            Sha256::digest(given.as_bytes())[..] == expected[..]
        }
        _ => false,
    };
    if !allowed {
        return (StatusCode::NOT_FOUND, "introuvable / not found").into_response();
    }
    metrics_unguarded(State(state)).await.into_response()
}

/// The Prometheus text, on the metrics-only address.
pub async fn metrics_unguarded(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
