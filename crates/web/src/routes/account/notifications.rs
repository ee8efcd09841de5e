//! `GET/POST /compte/notifications`: which events reach the person by
//! mail, and whether at once or in one summary a day (07:00, Paris).

use askama::Template;
use axum::{
    body::Bytes,
    extract::State,
    response::{Html, IntoResponse, Response},
};
use consilium_store::notifications::{EVENTS, Preferences};

use crate::{
    AppState, Lang, SignedIn,
    page::{InLang, Nav, PageError},
};

#[derive(Template)]
#[template(path = "notification_preferences.html")]
struct PreferencesPage {
    lang: Lang,
    nav: Option<Nav>,
    /// (event, mailed?)
    events: Vec<(&'static str, bool)>,
    daily_digest: bool,
    saved: bool,
}

fn page(lang: Lang, signed_in: &SignedIn, prefs: &Preferences, saved: bool) -> PreferencesPage {
    PreferencesPage {
        lang,
        nav: Nav::for_actor(&signed_in.actor),
        events: EVENTS
            .iter()
            .map(|e| (*e, !prefs.muted.iter().any(|m| m == e)))
            .collect(),
        daily_digest: prefs.daily_digest,
        saved,
    }
}

/// `GET /compte/notifications`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Response, PageError> {
    let prefs = state
        .store
        .preferences(&signed_in.actor)
        .await
        .in_lang(lang)?;
    let html = page(lang, &signed_in, &prefs, false)
        .render()
        .in_lang(lang)?;
    Ok(Html(html).into_response())
}

/// `POST /compte/notifications`: `mail` (repeated: the events mailed) and
/// `frequency` (`immediate` or `daily`).
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let mailed: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "mail")
        .map(|(_, v)| v.as_str())
        .collect();
    let prefs = Preferences {
        muted: EVENTS
            .iter()
            .filter(|e| !mailed.contains(e))
            .map(|e| (*e).to_owned())
            .collect(),
        daily_digest: fields.iter().any(|(k, v)| k == "frequency" && v == "daily"),
    };
    state
        .store
        .set_preferences(&signed_in.actor, &prefs, state.clock.now())
        .await
        .in_lang(lang)?;
    let html = page(lang, &signed_in, &prefs, true)
        .render()
        .in_lang(lang)?;
    Ok(Html(html).into_response())
}
