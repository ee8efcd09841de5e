//! `GET /dossiers/{id}`: one case; anyone the policy does not allow gets
//! the same 404 as for a case that does not exist.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Response},
};
use consilium_store::cases::CaseView;
use uuid::Uuid;

use crate::{
    AppState, Lang, SignedIn,
    page::{self, InLang, Nav, PageError},
};

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    lang: Lang,
    nav: Option<Nav>,
    case: CaseView,
}

/// `GET /dossiers/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let Ok(id) = Uuid::parse_str(&id) else {
        return Ok(page::not_found(lang));
    };
    let actor = &signed_in.actor;
    let case = state
        .store
        .case(actor, id, state.clock.now())
        .await
        .in_lang(lang)?;
    let html = CasePage {
        lang,
        nav: Nav::for_actor(actor),
        case,
    }
    .render()
    .in_lang(lang)?;
    Ok(Html(html).into_response())
}
