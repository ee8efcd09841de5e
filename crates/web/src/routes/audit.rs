//! `GET /journal`: the audit trail of the caller's organisation.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
};
use consilium_store::audit::AuditRecord;

use crate::{
    AppState, Lang, SignedIn,
    page::{InLang, Nav, PageError},
};

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    lang: Lang,
    nav: Option<Nav>,
    records: Vec<AuditRecord>,
}

/// `GET /journal`.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Response, PageError> {
    let records = state
        .store
        .audit_trail(&signed_in.actor, 200)
        .await
        .in_lang(lang)?;
    let html = AuditPage {
        lang,
        nav: Nav::for_actor(&signed_in.actor),
        records,
    }
    .render()
    .in_lang(lang)?;
    Ok(Html(html).into_response())
}
