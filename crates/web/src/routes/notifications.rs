//! `GET /notifications`: the signed-in person's latest notifications (the
//! request's reference and what happened, a link to it); opening the page
//! marks them read. `POST /notifications/lues` does the same from a form.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Redirect, Response},
};
use consilium_store::notifications::Notification;

use crate::{
    AppState, Lang, SignedIn,
    page::{InLang, Nav, PageError},
};

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    lang: Lang,
    nav: Option<Nav>,
    notifications: Vec<Notification>,
}

/// `GET /notifications`.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Response, PageError> {
    let actor = &signed_in.actor;
    let notifications = state.store.notifications(actor, 50).await.in_lang(lang)?;
    state
        .store
        .mark_notifications_read(actor, state.clock.now())
        .await
        .in_lang(lang)?;
    let mut nav = Nav::for_actor(actor);
    if let Some(nav) = nav.as_mut() {
        nav.unread = 0;
    }
    let html = NotificationsPage {
        lang,
        nav,
        notifications,
    }
    .render()
    .in_lang(lang)?;
    Ok(Html(html).into_response())
}

/// `POST /notifications/lues`.
pub async fn mark_read(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Response, PageError> {
    state
        .store
        .mark_notifications_read(&signed_in.actor, state.clock.now())
        .await
        .in_lang(lang)?;
    Ok(Redirect::to("/notifications").into_response())
}
