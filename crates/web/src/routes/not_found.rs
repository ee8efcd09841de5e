//! The page for addresses that lead nowhere (and for records one may not see).

use axum::response::Response;

use crate::{Lang, page};

/// Any unknown address: a 404 page in the user's language.
pub async fn show(lang: Lang) -> Response {
    page::not_found(lang)
}
