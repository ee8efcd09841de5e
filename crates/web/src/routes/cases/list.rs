//! `GET /accueil`: the signed-in person's home, with the cases they may read.

use askama::Template;
use axum::{
    extract::{RawQuery, State},
    response::Html,
};
use consilium_domain::directory::Role;
use consilium_store::cases::CaseView;

use crate::{
    AppState, Lang, SignedIn,
    page::{InLang, Nav, PageError},
};

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    lang: Lang,
    nav: Option<Nav>,
    name: String,
    cases: Vec<CaseView>,
    requester: bool,
    now: jiff::Timestamp,
    /// A draft was just deleted: the page says so.
    draft_deleted: bool,
}

/// `GET /accueil`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, PageError> {
    let actor = &signed_in.actor;
    let mut cases = state
        .store
        .cases(actor, state.clock.now())
        .await
        .in_lang(lang)?;
    // What waits for the reader comes first: an expert's question to
    // answer, then an advice to read.
    let waiting = |c: &CaseView| {
        let mine = c.parties.requester_id == actor.caller.person_id;
        match (mine, c.status.as_str(), c.answered) {
            (true, "on-hold", _) => 0,
            (true, status, true) if status != "completed" => 1,
            _ => 2,
        }
    };
    cases.sort_by_key(waiting);
    let requester = actor.caller.roles.iter().any(|r| r.role == Role::Requester);
    let page = DashboardPage {
        lang,
        nav: Nav::for_actor(actor),
        name: actor.person.display_name(),
        cases,
        requester,
        now: state.clock.now(),
        draft_deleted: query.is_some_and(|q| q.split('&').any(|p| p == "brouillon-supprime")),
    };
    Ok(Html(page.render().in_lang(lang)?))
}
