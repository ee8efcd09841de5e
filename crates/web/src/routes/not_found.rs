//! The page for addresses that lead nowhere (and for records one may not see).

use askama::Template;
use axum::{
    http::StatusCode,
    response::{Html, IntoResponse},
};

use crate::{Lang, WebError};

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    lang: Lang,
}

/// Any unknown address: a 404 page in the user's language.
pub async fn show(lang: Lang) -> Result<impl IntoResponse, WebError> {
    let page = NotFoundPage { lang }.render()?;
    Ok((StatusCode::NOT_FOUND, Html(page)))
}
