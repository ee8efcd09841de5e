//! `GET /connexion` and `POST /connexion`: e-mail and password.

use askama::Template;
use axum::{
    Form,
    extract::State,
    http::HeaderMap,
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;

use super::{redirect_with_cookie, refused};
use crate::{
    AppState, Lang,
    auth::{Client, device_token, session_cookie},
    page::{InLang, Nav, PageError},
};
use consilium_store::auth::SessionStage;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    lang: Lang,
    nav: Option<Nav>,
    error: Option<String>,
    email: String,
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
}

/// `GET /connexion`.
pub async fn show(lang: Lang) -> Result<Html<String>, PageError> {
    let page = SignInPage {
        lang,
        nav: None,
        error: None,
        email: String::new(),
    };
    Ok(Html(page.render().in_lang(lang)?))
}

/// `POST /connexion`: on success, a half-done session and the next step.
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    Client(client): Client,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let device = device_token(&headers, &state.config);
    match state
        .store
        .sign_in(
            &form.email,
            &form.password,
            &client,
            device.as_ref(),
            state.clock.now(),
        )
        .await
    {
        Ok(pending) => {
            let next = match pending.stage {
                SessionStage::Enrolment => "/connexion/enrolement",
                _ => "/connexion/code",
            };
            redirect_with_cookie(next, session_cookie(&state.config, &pending.token))
        }
        Err(err) => refused(err, lang, |message| {
            SignInPage {
                lang,
                nav: None,
                error: Some(message),
                email: form.email.clone(),
            }
            .render()
        }),
    }
    .into_response()
}
