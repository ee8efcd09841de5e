//! Static assets, embedded in the binary so that one file is the whole server.

use axum::{http::header, response::IntoResponse};

/// `GET /static/app.css`.
pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
}
