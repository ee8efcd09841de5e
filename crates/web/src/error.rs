//! The one error type of the web layer, mapped once to HTTP. Client errors
//! carry a stable code and a human sentence; internal errors are logged
//! with their location and answered with an opaque 500.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use consilium_store::{StoreError, identity::IdentityRefusal};

/// What a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A template failed to render (a bug).
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    /// A step refused for another reason than "not found".
    #[error(transparent)]
    Step(consilium_store::expertise::StepError),
}

impl From<consilium_store::expertise::StepError> for WebError {
    fn from(err: consilium_store::expertise::StepError) -> Self {
        match err {
            consilium_store::expertise::StepError::Store(e) => Self::Store(e),
            other => Self::Step(other),
        }
    }
}

impl WebError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.status_and_code().0
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Store(StoreError::NotFound { .. }) => (StatusCode::NOT_FOUND, "not_found"),
            Self::Store(StoreError::Conflict { .. }) => (StatusCode::CONFLICT, "conflict"),
            Self::Store(StoreError::Auth(consilium_store::auth::AuthError::Locked)) => {
                (StatusCode::TOO_MANY_REQUESTS, "locked")
            }
            Self::Store(StoreError::Auth(_)) => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            Self::Store(
                StoreError::Rule(_)
                | StoreError::Id(_)
                | StoreError::Password(_)
                | StoreError::BirthDate(_)
                | StoreError::Answer(_),
            ) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            Self::Store(StoreError::Identity(IdentityRefusal::Mismatch { .. })) => {
                (StatusCode::CONFLICT, "identity_mismatch")
            }
            Self::Store(StoreError::Identity(IdentityRefusal::TooManyMismatches)) => {
                (StatusCode::TOO_MANY_REQUESTS, "identity_locked")
            }
            Self::Store(StoreError::Unavailable(_)) => {
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
            }
            Self::Step(step) => {
                use consilium_store::expertise::StepError as E;
                match step {
                    E::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
                    E::Flow(_) => (StatusCode::CONFLICT, "not_now"),
                    E::Stale { .. } => (StatusCode::PRECONDITION_FAILED, "stale"),
                    E::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
                    E::Store(_) | E::Report(_) | E::Blob(_) => {
                        (StatusCode::INTERNAL_SERVER_ERROR, "internal")
                    }
                }
            }
            Self::Store(StoreError::Internal { .. }) | Self::Template(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
            match status {
                StatusCode::SERVICE_UNAVAILABLE => {
                    "Service momentanément indisponible, réessayez dans un instant.".to_owned()
                }
                _ => "Erreur interne : l'incident est enregistré.".to_owned(),
            }
        } else {
            self.to_string()
        };
        let body = crate::routes::api::schema::ApiError {
            code: code.to_owned(),
            message,
        };
        (status, Json(body)).into_response()
    }
}
