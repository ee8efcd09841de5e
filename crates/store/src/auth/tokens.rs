//! API tokens: created by an operator for a person, stored hashed, expiring,
//! revocable; a request with one acts as that person.

use consilium_domain::{Email, auth::OpaqueToken};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use uuid::Uuid;

use super::{Actor, AuthError, actor_for};
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry, ClientInfo, Outcome, Via},
};

/// A stored API token (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    /// Its id, to revoke it.
    pub id: Uuid,
    /// Whom it acts as.
    pub person_id: Uuid,
    /// What it is for.
    pub label: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
}

impl Store {
    /// Creates a token acting as the person with `email` for `ttl`; returns
    /// the secret (shown once) and the stored token.
    pub async fn create_token(
        &self,
        email: &Email,
        ttl: SignedDuration,
        label: &str,
        now: Timestamp,
    ) -> Result<(OpaqueToken, ApiToken), StoreError> {
        let mut tx = self.backend().begin().await?;
        let person = tx
            .credentials_by_email(email)
            .await?
            .filter(|c| c.active)
            .ok_or_else(|| StoreError::NotFound {
                what: "utilisateur actif",
                key: email.to_string(),
            })?;
        let secret = OpaqueToken::generate(&mut rand::rng(), "csl_");
        let token = ApiToken {
            id: Uuid::now_v7(),
            person_id: person.person_id,
            label: label
                .chars()
                .filter(|c| !c.is_control())
                .take(100)
                .collect(),
            created_at: now,
            expires_at: now.saturating_add(ttl).map_err(StoreError::internal)?,
            revoked_at: None,
        };
        tx.insert_token(&token, &secret.hash()).await?;
        self.audit_command(tx.as_mut(), person.person_id, "token.create", now)
            .await?;
        tx.commit().await?;
        Ok((secret, token))
    }

    /// Every token, newest first.
    pub async fn tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        self.backend().begin().await?.tokens().await
    }

    /// Revokes a token.
    pub async fn revoke_token(&self, id: Uuid, now: Timestamp) -> Result<(), StoreError> {
        let mut tx = self.backend().begin().await?;
        let token = tx.tokens().await?.into_iter().find(|t| t.id == id);
        let (Some(token), true) = (token, tx.revoke_token(id, now).await?) else {
            return Err(StoreError::NotFound {
                what: "jeton actif",
                key: id.to_string(),
            });
        };
        self.audit_command(tx.as_mut(), token.person_id, "token.revoke", now)
            .await?;
        tx.commit().await
    }

    /// The person a bearer token acts as, if it is valid now.
    pub async fn token_actor(
        &self,
        secret: &OpaqueToken,
        client: &ClientInfo,
        now: Timestamp,
    ) -> Result<Actor, StoreError> {
        let mut tx = self.backend().begin().await?;
        let token = tx
            .token_by_hash(&secret.hash())
            .await?
            .filter(|t| t.revoked_at.is_none() && now < t.expires_at)
            .ok_or(AuthError::InvalidToken)?;
        actor_for(tx.as_mut(), token.person_id, Via::Token, client.clone())
            .await?
            .ok_or_else(|| AuthError::InvalidToken.into())
    }

    /// A person acting through an operator's command on the server (the
    /// demo region's requests are filed this way): their roles, no session.
    pub async fn command_actor(
        &self,
        email: &consilium_domain::Email,
    ) -> Result<Actor, StoreError> {
        let mut tx = self.backend().begin().await?;
        let person = crate::directory::existing_person(tx.as_mut(), email).await?;
        actor_for(tx.as_mut(), person.id, Via::Command, ClientInfo::command())
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: "utilisateur",
                key: email.to_string(),
            })
    }

    pub(crate) async fn audit_command(
        &self,
        tx: &mut dyn crate::Tx,
        subject: Uuid,
        action: &'static str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let entry = AuditEntry {
            at: now,
            actor_id: Some(subject),
            via: Via::Command,
            organization_id: None,
            patient_id: None,
            case_id: None,
            object_id: None,
            patients: Vec::new(),
            action,
            outcome: Outcome::Success,
            client: ClientInfo::command(),
        };
        audit::append(tx, self.audit_key(), entry).await
    }
}
