//! `POST /deconnexion`.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::{
    AppState, Lang,
    auth::{Client, clear_session_cookie, session_token},
    page::InLang,
};

/// Ends the session and goes home.
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    Client(client): Client,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = session_token(&headers, &state.config) {
        let result = state
            .store
            .sign_out(&token, &client, state.clock.now())
            .await
            .in_lang(lang);
        if let Err(page) = result {
            return page.into_response();
        }
    }
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, "/".to_owned())],
        [(header::SET_COOKIE, clear_session_cookie(&state.config))],
    )
        .into_response()
}
