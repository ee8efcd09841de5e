//! `GET /connexion/enrolement` and `POST /connexion/enrolement`: a person
//! without a second factor sets one up at first sign-in.

use askama::Template;
use axum::{
    Form,
    extract::State,
    response::{Html, IntoResponse, Redirect, Response},
};
use consilium_domain::auth::TotpSecret;
use consilium_store::auth::SessionStage;
use qrcode::{QrCode, render::svg};

use super::{CodeForm, refused, signed_in};
use crate::{
    AppState, Lang, WebError,
    auth::PendingSignIn,
    page::{InLang, Nav, PageError},
};

#[derive(Template)]
#[template(path = "enrolment.html")]
struct EnrolmentPage {
    lang: Lang,
    nav: Option<Nav>,
    error: Option<String>,
    qr_svg: String,
    secret: String,
}

fn page(
    lang: Lang,
    secret: &TotpSecret,
    account: &str,
    error: Option<String>,
) -> Result<String, askama::Error> {
    // The QR code is drawn as SVG on the server: no script, no image request.
    let qr_svg = QrCode::new(secret.otpauth_uri(account).as_bytes())
        .map(|code| code.render::<svg::Color>().min_dimensions(220, 220).build())
        .unwrap_or_default();
    let qr_svg = qr_svg
        .split_once("?>")
        .map_or(qr_svg.as_str(), |(_, svg)| svg)
        .trim()
        .to_owned();
    EnrolmentPage {
        lang,
        nav: None,
        error,
        qr_svg,
        secret: secret.to_base32(),
    }
    .render()
}

/// `GET /connexion/enrolement`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    pending: PendingSignIn,
) -> Result<Response, PageError> {
    if pending.stage != SessionStage::Enrolment {
        return Ok(Redirect::to("/connexion/code").into_response());
    }
    let (secret, email) = state
        .store
        .enrolment_secret(&pending.token, state.clock.now())
        .await
        .in_lang(lang)?;
    let html = page(lang, &secret, email.as_str(), None).in_lang(lang)?;
    Ok(Html(html).into_response())
}

/// `POST /connexion/enrolement`: the first code confirms the secret.
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    pending: PendingSignIn,
    Form(form): Form<CodeForm>,
) -> Response {
    let now = state.clock.now();
    match state
        .store
        .complete_sign_in(
            &pending.token,
            &form.code,
            &pending.client,
            pending.device.as_ref(),
            now,
        )
        .await
    {
        Ok(signed) => signed_in(&state, &pending.client, &signed).await,
        Err(err) => {
            let secret = state.store.enrolment_secret(&pending.token, now).await;
            match secret {
                Ok((secret, email)) => refused(err, lang, |message| {
                    page(lang, &secret, email.as_str(), Some(message))
                }),
                Err(other) => PageError {
                    error: WebError::from(other),
                    lang,
                }
                .into_response(),
            }
        }
    }
}
