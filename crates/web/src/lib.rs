//! Consilium's HTTP layer: it parses requests into domain values, calls one
//! store use case, and renders a page or JSON. It decides nothing itself.

mod auth;
mod error;
mod i18n;
mod middleware;
mod page;
mod routes;
mod state;

pub use auth::SignedIn;
pub use error::WebError;
pub use i18n::Lang;
pub use state::{AppState, WebConfig};

/// `/metrics` alone, without a token: for a second address on a private
/// network (`--metrics-listen`).
pub fn metrics_router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(routes::metrics_unguarded))
        .with_state(state)
}

/// The whole application as one router, with its middleware.
pub fn router(state: AppState) -> axum::Router {
    let upload_body_limit = state.config.upload_limits.max_bytes + 64 * 1024;
    middleware::wrap(routes::routes(upload_body_limit), state)
}
