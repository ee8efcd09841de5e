//! One module per feature, one handler per action.

mod assets;
mod health;
mod home;
mod not_found;

use axum::{Router, routing::get};

use crate::AppState;

/// Every route of the application.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(health::metrics))
        .route("/static/app.css", get(assets::stylesheet))
        .route("/static/favicon.svg", get(assets::favicon))
        .fallback(not_found::show)
}
