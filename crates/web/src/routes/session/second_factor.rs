//! `GET /connexion/code` and `POST /connexion/code`: the TOTP code.

use askama::Template;
use axum::{
    Form,
    extract::State,
    response::{Html, IntoResponse, Redirect, Response},
};
use consilium_store::auth::SessionStage;

use super::{CodeForm, refused, signed_in};
use crate::{
    AppState, Lang,
    auth::PendingSignIn,
    page::{InLang, Nav},
};

#[derive(Template)]
#[template(path = "second_factor.html")]
struct CodePage {
    lang: Lang,
    nav: Option<Nav>,
    error: Option<String>,
}

/// `GET /connexion/code`.
pub async fn show(lang: Lang, pending: PendingSignIn) -> Response {
    if pending.stage == SessionStage::Enrolment {
        return Redirect::to("/connexion/enrolement").into_response();
    }
    match (CodePage {
        lang,
        nav: None,
        error: None,
    })
    .render()
    .in_lang(lang)
    {
        Ok(html) => Html(html).into_response(),
        Err(page) => page.into_response(),
    }
}

/// `POST /connexion/code`: a right code completes the sign-in.
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    pending: PendingSignIn,
    Form(form): Form<CodeForm>,
) -> Response {
    let result = state
        .store
        .complete_sign_in(
            &pending.token,
            &form.code,
            &pending.client,
            pending.device.as_ref(),
            state.clock.now(),
        )
        .await;
    match result {
        Ok(signed) => signed_in(&state, &pending.client, &signed).await,
        Err(err) => refused(err, lang, |message| {
            CodePage {
                lang,
                nav: None,
                error: Some(message),
            }
            .render()
        }),
    }
}
