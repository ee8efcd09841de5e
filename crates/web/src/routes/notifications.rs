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

/// `GET /notifications/flux`: Server-Sent Events with the unread count,
/// sent when it changes (the count is read from the database, so a
/// notification written by any node's worker shows up).
pub async fn stream(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> axum::response::sse::Sse<
    impl futures_util::Stream<Item = Result<axum::response::sse::Event, std::convert::Infallible>>,
> {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let actor = signed_in.actor;
    let first = actor.unread_notifications;
    let started = tokio::time::Instant::now();
    let events = futures_util::stream::unfold(
        (state, actor, None::<i64>),
        move |(state, actor, last)| async move {
            loop {
                let count = if last.is_none() {
                    first
                } else {
                    // A short-lived stream: the browser reconnects by itself,
                    // and a stopping server never waits long for it.
                    if started.elapsed() > LIFETIME {
                        return None;
                    }
                    tokio::time::sleep(POLL).await;
                    state
                        .store
                        .unread_notifications(&actor)
                        .await
                        .unwrap_or(first)
                };
                if last != Some(count) {
                    let event = Event::default().event("unread").data(count.to_string());
                    return Some((Ok(event), (state, actor, Some(count))));
                }
            }
        },
    );
    Sse::new(events).keep_alive(KeepAlive::default())
}

/// How often a live page's count is re-read.
const POLL: std::time::Duration = std::time::Duration::from_secs(2);
/// How long one stream lasts before the browser opens the next.
const LIFETIME: std::time::Duration = std::time::Duration::from_secs(25);
