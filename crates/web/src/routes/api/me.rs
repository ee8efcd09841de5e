//! `GET /api/me`: who the token or session acts as.

use axum::Json;
use serde_json::{Value, json};

use crate::SignedIn;

/// `GET /api/me`.
pub async fn show(signed_in: SignedIn) -> Json<Value> {
    let actor = &signed_in.actor;
    let roles: Vec<Value> = actor
        .caller
        .roles
        .iter()
        .map(|r| json!({ "role": r.role.code(), "organization_id": r.organization_id, "team_id": r.team_id }))
        .collect();
    Json(json!({
        "id": actor.person.id,
        "email": actor.person.email,
        "name": actor.person.display_name(),
        "via": actor.via.code(),
        "roles": roles,
    }))
}
