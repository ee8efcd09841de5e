//! The layers every request goes through, outermost first: panic catching,
//! request ids, tracing, CSRF protection, timeout, body limit, metrics,
//! security headers.

mod language;
mod metrics;
mod security_headers;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::StatusCode,
    middleware::{from_fn, from_fn_with_state},
};
use tower::ServiceBuilder;
use tower_http::{
    ServiceBuilderExt, catch_panic::CatchPanicLayer, csrf::CsrfLayer, request_id::MakeRequestUuid,
    timeout::TimeoutLayer, trace::TraceLayer,
};

use crate::AppState;

/// Wraps the routes in Consilium's middleware and gives them their state.
pub fn wrap(routes: Router<AppState>, state: AppState) -> Router {
    let config = state.config.clone();
    // Cross-site form posts are refused (Sec-Fetch-Site / Origin, as Go 1.25
    // does); API clients, which send neither header, are not browsers.
    let csrf = CsrfLayer::new()
        .add_trusted_origin(&config.public_url)
        .unwrap_or_else(|_| CsrfLayer::new());
    routes
        .layer(
            ServiceBuilder::new()
                .layer(CatchPanicLayer::new())
                .set_x_request_id(MakeRequestUuid)
                .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                    let request_id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    // The path only: query strings may one day carry identifiers.
                    tracing::info_span!("http", method = %request.method(), path = %request.uri().path(), request_id)
                }))
                .propagate_x_request_id()
                .layer(csrf)
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    config.request_timeout,
                ))
                .layer(DefaultBodyLimit::max(config.body_limit))
                .layer(from_fn(metrics::record))
                .layer(from_fn(language::remember))
                .layer(from_fn_with_state(state.clone(), security_headers::add)),
        )
        .with_state(state)
}
