//! Sessions: looking one up (idle and absolute limits), signing out,
//! changing one's password (which ends every other session and token).

use consilium_domain::auth::{OpaqueToken, Password, hash_password, verify_password};
use jiff::{SignedDuration, Timestamp};

use super::{Actor, AuthError, SessionStage, actor_for};
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry, ClientInfo, Outcome, Via},
};

/// A session is written back at most this often, not on every request.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// What a session cookie stands for.
#[derive(Debug, Clone)]
pub enum SessionState {
    /// Fully signed in.
    Active(Box<Actor>),
    /// Password given; the second factor (or its enrolment) is next.
    Pending(SessionStage),
}

impl Store {
    /// The session behind a cookie value. An idle, too old or revoked session
    /// (or a deactivated person's) is deleted and reported expired.
    pub async fn session(
        &self,
        token: &OpaqueToken,
        client: &ClientInfo,
        now: Timestamp,
    ) -> Result<SessionState, StoreError> {
        let settings = *self.auth_settings();
        let mut tx = self.backend().begin().await?;
        let hash = token.hash();
        let session = tx.session(&hash).await?.ok_or(AuthError::SessionExpired)?;
        let (limit_from, limit) = match session.stage {
            SessionStage::Active => (session.created_at, settings.lifetime),
            _ => (session.created_at, settings.pending_lifetime),
        };
        let expired = now.duration_since(limit_from) >= limit
            || now.duration_since(session.last_seen_at) >= settings.idle_timeout;
        if expired {
            tx.delete_session(&hash).await?;
            tx.commit().await?;
            return Err(AuthError::SessionExpired.into());
        }
        if session.stage != SessionStage::Active {
            return Ok(SessionState::Pending(session.stage));
        }
        let Some(actor) =
            actor_for(tx.as_mut(), session.person_id, Via::Session, client.clone()).await?
        else {
            tx.delete_session(&hash).await?;
            tx.commit().await?;
            return Err(AuthError::SessionExpired.into());
        };
        if now.duration_since(session.last_seen_at) >= TOUCH_EVERY {
            tx.touch_session(&hash, now).await?;
            tx.commit().await?;
        }
        Ok(SessionState::Active(Box::new(actor)))
    }

    /// Ends a session.
    pub async fn sign_out(
        &self,
        token: &OpaqueToken,
        client: &ClientInfo,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.backend().begin().await?;
        let hash = token.hash();
        if let Some(session) = tx.session(&hash).await? {
            tx.delete_session(&hash).await?;
            let entry = AuditEntry {
                at: now,
                actor_id: Some(session.person_id),
                via: Via::Session,
                organization_id: None,
                patient_id: None,
                case_id: None,
                object_id: None,
                patients: Vec::new(),
                action: "auth.sign_out",
                outcome: Outcome::Success,
                client: client.clone(),
            };
            audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        }
        tx.commit().await
    }

    /// Changes the actor's password after checking the current one; every
    /// other session and every API token of theirs ends.
    pub async fn change_password(
        &self,
        actor: &Actor,
        keep_session: Option<&OpaqueToken>,
        current: &str,
        new: &Password,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let person_id = actor.caller.person_id;
        let credentials = {
            let mut tx = self.backend().begin().await?;
            tx.credentials(person_id)
                .await?
                .ok_or(AuthError::InvalidCredentials)?
        };
        let current_ok = verify_password(&credentials.password_hash, current);
        let new_hash = if current_ok {
            Some(hash_password(new, &mut rand::rng())?)
        } else {
            None
        };
        let mut tx = self.backend().begin().await?;
        let mut entry = AuditEntry {
            at: now,
            actor_id: Some(person_id),
            via: actor.via,
            organization_id: actor.caller.home_organization(),
            patient_id: None,
            case_id: None,
            object_id: None,
            patients: Vec::new(),
            action: "auth.password_change",
            outcome: Outcome::Success,
            client: actor.client.clone(),
        };
        let Some(new_hash) = new_hash else {
            entry.outcome = Outcome::Failure;
            audit::append(tx.as_mut(), self.audit_key(), entry).await?;
            tx.commit().await?;
            return Err(AuthError::InvalidCredentials.into());
        };
        tx.set_password_hash(person_id, &new_hash, now).await?;
        let keep = keep_session.map(OpaqueToken::hash);
        tx.delete_sessions_of(person_id, keep.as_deref()).await?;
        tx.revoke_tokens_of(person_id, now).await?;
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await
    }
}
