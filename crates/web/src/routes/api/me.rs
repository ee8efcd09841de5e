//! `GET /api/me`: who the token or session acts as.

use axum::Json;

use super::schema::{ApiError, ApiRole, Me};
use crate::SignedIn;

/// `GET /api/me`.
#[utoipa::path(
    get,
    path = "/api/me",
    operation_id = "who_am_i",
    tag = "api",
    responses(
        (status = 200, description = "Who the caller is, with their roles", body = Me),
        (status = 401, description = "No valid token or session", body = ApiError),
    ),
    security(("bearer" = []))
)]
pub async fn show(signed_in: SignedIn) -> Json<Me> {
    let actor = &signed_in.actor;
    Json(Me {
        id: actor.person.id,
        email: actor.person.email.to_string(),
        name: actor.person.display_name(),
        via: actor.via.code().to_owned(),
        roles: actor
            .caller
            .roles
            .iter()
            .map(|r| ApiRole {
                role: r.role.code().to_owned(),
                organization_id: r.organization_id,
                team_id: r.team_id,
            })
            .collect(),
    })
}
