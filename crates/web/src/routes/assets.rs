//! Static assets, embedded in the binary so that one file is the whole server.

use axum::{http::header, response::IntoResponse};

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}

/// `GET /static/app.css`.
pub async fn stylesheet() -> impl IntoResponse {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../static/app.css"),
    )
}

/// `GET /static/favicon.svg`.
pub async fn favicon() -> impl IntoResponse {
    asset("image/svg+xml", include_str!("../../static/favicon.svg"))
}

/// `GET /static/tus.min.js`: the tus client from npm, embedded at build time.
pub async fn tus_client() -> impl IntoResponse {
    asset(
        "text/javascript; charset=utf-8",
        include_str!(concat!(env!("OUT_DIR"), "/tus.min.js")),
    )
}

/// `GET /static/upload.js`: the upload widget of the request page.
pub async fn upload_widget() -> impl IntoResponse {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/upload.js"),
    )
}

/// `GET /static/viewer.js`: the full-size photo viewer of the case page.
pub async fn viewer() -> impl IntoResponse {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/viewer.js"),
    )
}

/// `GET /static/notifications.js`: keeps the bell's count live.
pub async fn notifications() -> impl IntoResponse {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/notifications.js"),
    )
}

/// `GET /static/menu.js`: folds the header's links behind "Menu" on a phone.
pub async fn menu() -> impl IntoResponse {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/menu.js"),
    )
}
