//! Signing in (password, then TOTP code or its enrolment) and out.

pub mod enrolment;
pub mod second_factor;
pub mod sign_in;
pub mod sign_out;

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use consilium_store::{StoreError, auth::AuthError};
use serde::Deserialize;

use crate::{
    Lang, WebError,
    page::{InLang, PageError, localized},
};

/// A 303 to `to`, setting `cookie`.
fn redirect_with_cookie(to: &'static str, cookie: HeaderValue) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, HeaderValue::from_static(to)),
            (header::SET_COOKIE, cookie),
        ],
    )
        .into_response()
}

/// A 303 to where the signed-in person's work is, setting the session and
/// the known-device cookies.
async fn signed_in(
    state: &crate::AppState,
    client: &consilium_store::audit::ClientInfo,
    signed: &consilium_store::auth::SignedIn,
) -> Response {
    let config = &state.config;
    let landing = match state
        .store
        .session(&signed.session, client, state.clock.now())
        .await
    {
        Ok(consilium_store::auth::SessionState::Active(actor)) => crate::page::landing(&actor),
        _ => "/accueil",
    };
    let session = crate::auth::session_cookie(config, &signed.session);
    let device = crate::auth::device_cookie(config, &signed.device);
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, HeaderValue::from_static(landing))],
        // Appended: an array of headers keeps only the last of one name.
        axum::response::AppendHeaders([
            (header::SET_COOKIE, session),
            (header::SET_COOKIE, device),
        ]),
    )
        .into_response()
}

/// The form with one TOTP code.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    code: String,
}

/// Renders a sign-in step again with the refusal's message, or fails as a page.
fn refused(
    err: StoreError,
    lang: Lang,
    render: impl FnOnce(String) -> Result<String, askama::Error>,
) -> Response {
    let StoreError::Auth(auth) = err else {
        return PageError {
            error: err.into(),
            lang,
        }
        .into_response();
    };
    let status = match auth {
        AuthError::Locked => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::UNAUTHORIZED,
    };
    match render(localized(&auth.to_string(), lang)).in_lang(lang) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(page) => page.into_response(),
    }
}

impl From<askama::Error> for PageError {
    fn from(err: askama::Error) -> Self {
        PageError {
            error: WebError::from(err),
            lang: Lang::Fr,
        }
    }
}
