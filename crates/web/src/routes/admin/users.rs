//! `GET /admin/utilisateurs`, and the two actions on a person.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Response},
};
use consilium_store::UserSummary;
use uuid::Uuid;

use crate::{
    AppState, Lang, SignedIn,
    page::{self, InLang, Nav, PageError},
};

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    lang: Lang,
    nav: Option<Nav>,
    users: Vec<UserSummary>,
    message: Option<String>,
}

async fn render(
    state: &AppState,
    lang: Lang,
    signed_in: &SignedIn,
    message: Option<String>,
) -> Result<Response, PageError> {
    let actor = &signed_in.actor;
    if actor.caller.administered_organizations().is_empty() {
        return Ok(page::not_found(lang));
    }
    let users = state.store.managed_users(actor).await.in_lang(lang)?;
    let html = UsersPage {
        lang,
        nav: Nav::for_actor(actor),
        users,
        message,
    }
    .render()
    .in_lang(lang)?;
    Ok(Html(html).into_response())
}

/// `GET /admin/utilisateurs`: the people of the admin's organisations.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Response, PageError> {
    render(&state, lang, &signed_in, None).await
}

/// `POST /admin/utilisateurs/{id}/second-facteur`.
pub async fn reset_second_factor(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    state
        .store
        .reset_second_factor(&signed_in.actor, id, state.clock.now())
        .await
        .in_lang(lang)?;
    let done = lang.t(
        "Second facteur réinitialisé : la personne en configurera un nouveau à sa prochaine connexion.",
        "Second factor reset: they will set up a new one at their next sign-in.",
    );
    render(&state, lang, &signed_in, Some(done.to_owned())).await
}

/// `POST /admin/utilisateurs/{id}/desactivation`.
pub async fn deactivate(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    state
        .store
        .deactivate(&signed_in.actor, id, state.clock.now())
        .await
        .in_lang(lang)?;
    let done = lang.t(
        "Compte désactivé : ses sessions et jetons sont fermés.",
        "Account deactivated: its sessions and tokens are ended.",
    );
    render(&state, lang, &signed_in, Some(done.to_owned())).await
}
