//! Who is calling: a session cookie (pages) or a bearer token (API), turned
//! into a typed [`Actor`] by the store. Handlers take [`SignedIn`] in their
//! signature, so none can forget to authenticate.

mod client;
mod cookies;

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use consilium_domain::auth::OpaqueToken;
use consilium_store::{
    StoreError,
    audit::ClientInfo,
    auth::{Actor, AuthError, SessionStage, SessionState},
};

pub use client::Client;
pub use cookies::{
    clear_session_cookie, device_cookie, device_token, session_cookie, session_token,
};

use crate::{AppState, WebError};

/// The client's address and request id, cleaned for the audit trail.
pub fn client_info(parts: &Parts) -> ClientInfo {
    let addr = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let request_id = parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok());
    ClientInfo::sanitized(addr.as_deref(), request_id)
}

fn bearer(parts: &Parts) -> Option<OpaqueToken> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| OpaqueToken::from_client(token))
}

fn is_api(parts: &Parts) -> bool {
    let path = parts.uri.path();
    path.starts_with("/api/") || path.starts_with("/fhir/") || path.starts_with("/files/")
}

/// A fully signed-in person (session with both factors, or a valid token).
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Who, with their roles, how and from where.
    pub actor: Actor,
    /// The session cookie's value, when signed in by session.
    pub session: Option<OpaqueToken>,
}

/// Why a request is not signed in: pages go to the sign-in page, the API
/// answers 401.
#[derive(Debug)]
pub enum NotSignedIn {
    /// A page: redirect.
    Page,
    /// An API route: 401 with a stable code.
    Api,
    /// A FHIR route: 401 with an `OperationOutcome`.
    Fhir,
    /// The store failed.
    Store(WebError),
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            Self::Page => Redirect::to("/connexion").into_response(),
            Self::Api => (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                axum::Json(serde_json::json!({
                    "code": "unauthenticated",
                    "message": "authentification requise / authentication required"
                })),
            )
                .into_response(),
            Self::Fhir => {
                let outcome = consilium_fhir::bundle::outcome(
                    "error",
                    "login",
                    "authentification requise : Authorization: Bearer <jeton> / authentication required",
                );
                (
                    StatusCode::UNAUTHORIZED,
                    [
                        (header::WWW_AUTHENTICATE, "Bearer"),
                        (header::CONTENT_TYPE, "application/fhir+json"),
                    ],
                    outcome.to_string(),
                )
                    .into_response()
            }
            Self::Store(err) => err.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = NotSignedIn;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // An entry of a FHIR batch acts as the caller who sent the batch,
        // authenticated already (extensions never come from the client).
        if let Some(signed_in) = parts.extensions.get::<Self>() {
            return Ok(signed_in.clone());
        }
        let client = client_info(parts);
        let now = state.clock.now();
        let denied = || {
            if parts.uri.path().starts_with("/fhir/") {
                NotSignedIn::Fhir
            } else if is_api(parts) {
                NotSignedIn::Api
            } else {
                NotSignedIn::Page
            }
        };
        let store_error = |err: StoreError| match err {
            StoreError::Auth(_) => denied(),
            other => NotSignedIn::Store(other.into()),
        };
        if let Some(token) = bearer(parts) {
            let actor = state
                .store
                .token_actor(&token, &client, now)
                .await
                .map_err(store_error)?;
            return Ok(Self {
                actor,
                session: None,
            });
        }
        let token = session_token(&parts.headers, &state.config).ok_or_else(denied)?;
        match state
            .store
            .session(&token, &client, now)
            .await
            .map_err(store_error)?
        {
            SessionState::Active(actor) => Ok(Self {
                actor: *actor,
                session: Some(token),
            }),
            SessionState::Pending(_) => Err(denied()),
        }
    }
}

/// A half-done sign-in: password checked, second factor (or enrolment) next.
#[derive(Debug, Clone)]
pub struct PendingSignIn {
    /// The session cookie's value.
    pub token: OpaqueToken,
    /// What comes next.
    pub stage: SessionStage,
    /// Where from.
    pub client: ClientInfo,
    /// The browser's known-device cookie, if it sent one.
    pub device: Option<OpaqueToken>,
}

impl FromRequestParts<AppState> for PendingSignIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let client = client_info(parts);
        let Some(token) = session_token(&parts.headers, &state.config) else {
            return Err(Redirect::to("/connexion").into_response());
        };
        match state
            .store
            .session(&token, &client, state.clock.now())
            .await
        {
            Ok(SessionState::Pending(stage)) => Ok(Self {
                token,
                stage,
                client,
                device: device_token(&parts.headers, &state.config),
            }),
            Ok(SessionState::Active(_)) => Err(Redirect::to("/accueil").into_response()),
            Err(StoreError::Auth(AuthError::SessionExpired)) => {
                Err(Redirect::to("/connexion").into_response())
            }
            Err(err) => Err(WebError::from(err).into_response()),
        }
    }
}
