//! `GET /compte/mot-de-passe` and `POST /compte/mot-de-passe`.

use askama::Template;
use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use consilium_domain::auth::Password;
use consilium_store::StoreError;
use serde::Deserialize;

use crate::{
    AppState, Lang, SignedIn,
    page::{InLang, Nav, PageError, localized},
};

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    lang: Lang,
    nav: Option<Nav>,
    error: Option<String>,
    done: bool,
}

/// The password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

/// `GET /compte/mot-de-passe`.
pub async fn show(lang: Lang, signed_in: SignedIn) -> Result<Html<String>, PageError> {
    let page = PasswordPage {
        lang,
        nav: Nav::for_actor(&signed_in.actor),
        error: None,
        done: false,
    };
    Ok(Html(page.render().in_lang(lang)?))
}

/// `POST /compte/mot-de-passe`: ends every other session and token.
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let nav = Nav::for_actor(&signed_in.actor);
    let render = |status: StatusCode, error: Option<String>| -> Result<Response, PageError> {
        let done = error.is_none();
        let html = PasswordPage {
            lang,
            nav,
            error,
            done,
        }
        .render()
        .in_lang(lang)?;
        Ok((status, Html(html)).into_response())
    };
    if form.new != form.confirm {
        let message = lang.t(
            "Les deux nouveaux mots de passe diffèrent.",
            "The two new passwords differ.",
        );
        return render(StatusCode::UNPROCESSABLE_ENTITY, Some(message.to_owned()));
    }
    let person = &signed_in.actor.person;
    let personal = [
        person.given_names.as_str(),
        person.family_name.as_str(),
        person.email.as_str(),
    ];
    let new = match Password::parse_for(&form.new, &personal) {
        Ok(new) => new,
        Err(err) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(localized(&err.to_string(), lang)),
            );
        }
    };
    let now = state.clock.now();
    let result = state
        .store
        .change_password(
            &signed_in.actor,
            signed_in.session.as_ref(),
            &form.current,
            &new,
            now,
        )
        .await;
    match result {
        Ok(()) => render(StatusCode::OK, None),
        Err(StoreError::Auth(err)) => render(
            StatusCode::UNAUTHORIZED,
            Some(localized(&err.to_string(), lang)),
        ),
        Err(err) => Err(PageError {
            error: err.into(),
            lang,
        }),
    }
}
