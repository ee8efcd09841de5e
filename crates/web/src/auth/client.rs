use axum::{extract::FromRequestParts, http::request::Parts};
use consilium_store::audit::ClientInfo;

/// The client's address and request id, as an extractor.
#[derive(Debug, Clone)]
pub struct Client(pub ClientInfo);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(super::client_info(parts)))
    }
}
