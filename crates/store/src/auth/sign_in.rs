//! Password, then second factor (or enrolment of one).

use consilium_domain::{
    Email,
    auth::{OpaqueToken, TotpSecret, verify_password, verify_unknown_account},
};
use jiff::Timestamp;

use super::{AuthError, Credentials, SessionRecord, SessionStage, throttling::AttemptKeys};
use crate::{
    Store, StoreError, Tx,
    audit::{self, AuditEntry, ClientInfo, Outcome, Via},
};

/// A sign-in whose password was right: the cookie to set, and what comes next.
#[derive(Debug, Clone)]
pub struct PendingSignIn {
    /// The session cookie's value (stage: second factor or enrolment).
    pub token: OpaqueToken,
    /// What the person must do next.
    pub stage: SessionStage,
}

/// A completed sign-in: the session, and the browser's device token (the
/// one it sent, if already known for this account, or a new one).
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The session cookie's value.
    pub session: OpaqueToken,
    /// The known-device cookie's value.
    pub device: OpaqueToken,
}

impl Store {
    /// Checks an e-mail address and password. Unknown accounts take the same
    /// time and get the same answer as wrong passwords. Failures are
    /// throttled by account and address without locking the owner out
    /// ([`super::throttling`]); `device` is the browser's known-device
    /// cookie, if it sent one.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
        device: Option<&OpaqueToken>,
        now: Timestamp,
    ) -> Result<PendingSignIn, StoreError> {
        let rules = self.auth_settings().throttle;
        let (credentials, keys, locked) = {
            let mut tx = self.backend().begin().await?;
            let credentials = match Email::parse(email) {
                Ok(email) => tx.credentials_by_email(&email).await?,
                Err(_) => None,
            };
            let person = credentials.as_ref().map(|c| c.person_id);
            let keys = AttemptKeys::of(tx.as_mut(), email, client, device, person).await?;
            let locked = keys.locked(tx.as_mut(), &rules, now).await?;
            (credentials, keys, locked)
        };
        // Verify outside any transaction: argon2 is slow on purpose.
        let password_ok = match credentials.as_ref().filter(|c| c.active) {
            Some(c) if !locked => verify_password(&c.password_hash, password),
            _ => verify_unknown_account(password),
        };
        let mut tx = self.backend().begin().await?;
        let known = credentials.as_ref().filter(|c| c.active);
        let entry = |outcome| AuditEntry {
            at: now,
            actor_id: known.map(|c| c.person_id),
            via: Via::Anonymous,
            organization_id: None,
            patient_id: None,
            case_id: None,
            object_id: None,
            patients: Vec::new(),
            action: "auth.password",
            outcome,
            client: client.clone(),
        };
        let (Some(credentials), true, false) = (known, password_ok, locked) else {
            // A refused attempt is not counted: the hundredth weighs no more than the fifth.
            if !locked {
                keys.count_failure(tx.as_mut(), &rules, now).await?;
            }
            audit::append(tx.as_mut(), self.audit_key(), entry(Outcome::Failure)).await?;
            tx.commit().await?;
            return Err(if locked {
                AuthError::Locked
            } else {
                AuthError::InvalidCredentials
            }
            .into());
        };
        keys.clear(tx.as_mut()).await?;
        let (stage, pending) = match credentials.totp_secret {
            Some(_) => (SessionStage::SecondFactor, None),
            None => (
                SessionStage::Enrolment,
                Some(TotpSecret::generate(&mut rand::rng()).to_base32()),
            ),
        };
        let token = OpaqueToken::generate(&mut rand::rng(), "");
        tx.insert_session(&SessionRecord {
            token_hash: token.hash(),
            person_id: credentials.person_id,
            stage,
            pending_totp_secret: pending,
            created_at: now,
            last_seen_at: now,
            client_addr: client.addr.clone(),
        })
        .await?;
        audit::append(tx.as_mut(), self.audit_key(), entry(Outcome::Success)).await?;
        tx.commit().await?;
        Ok(PendingSignIn { token, stage })
    }

    /// The secret being enrolled, for the enrolment page (QR code and text).
    pub async fn enrolment_secret(
        &self,
        token: &OpaqueToken,
        now: Timestamp,
    ) -> Result<(TotpSecret, Email), StoreError> {
        let mut tx = self.backend().begin().await?;
        let session = self
            .pending_session(tx.as_mut(), token, SessionStage::Enrolment, now)
            .await?;
        let person = tx
            .person(session.person_id)
            .await?
            .ok_or(AuthError::SessionExpired)?;
        let secret = session
            .pending_totp_secret
            .as_deref()
            .ok_or(AuthError::SessionExpired)?;
        Ok((
            TotpSecret::from_base32(secret).map_err(StoreError::internal)?,
            person.email,
        ))
    }

    /// Checks the TOTP code of a half-done sign-in (second factor, or the
    /// first code of an enrolment) and returns the new, fully signed-in
    /// session's cookie value (the old value stops working: no fixation),
    /// with the browser's known-device token for this account.
    pub async fn complete_sign_in(
        &self,
        token: &OpaqueToken,
        code: &str,
        client: &ClientInfo,
        device: Option<&OpaqueToken>,
        now: Timestamp,
    ) -> Result<SignedIn, StoreError> {
        let rules = self.auth_settings().throttle;
        let mut tx = self.backend().begin().await?;
        let session = tx
            .session(&token.hash())
            .await?
            .ok_or(AuthError::SessionExpired)?;
        if session.stage == SessionStage::Active {
            return Err(AuthError::SessionExpired.into());
        }
        let session = self
            .pending_session(tx.as_mut(), token, session.stage, now)
            .await?;
        let credentials: Credentials = tx
            .credentials(session.person_id)
            .await?
            .filter(|c| c.active)
            .ok_or(AuthError::SessionExpired)?;
        let person = tx
            .person(session.person_id)
            .await?
            .ok_or(AuthError::SessionExpired)?;
        let keys = AttemptKeys::of(
            tx.as_mut(),
            person.email.as_str(),
            client,
            device,
            Some(person.id),
        )
        .await?;
        if keys.locked(tx.as_mut(), &rules, now).await? {
            return Err(AuthError::Locked.into());
        }
        let (secret_text, last_step, action) = match session.stage {
            SessionStage::Enrolment => (
                session.pending_totp_secret.clone(),
                None,
                "auth.totp_enrolment",
            ),
            _ => (
                credentials.totp_secret.clone(),
                credentials.totp_last_step,
                "auth.totp",
            ),
        };
        let secret =
            TotpSecret::from_base32(secret_text.as_deref().ok_or(AuthError::SessionExpired)?)
                .map_err(StoreError::internal)?;
        let mut entry = AuditEntry {
            at: now,
            actor_id: Some(session.person_id),
            via: Via::Anonymous,
            organization_id: None,
            patient_id: None,
            case_id: None,
            object_id: None,
            patients: Vec::new(),
            action,
            outcome: Outcome::Success,
            client: client.clone(),
        };
        let step = match secret.verify(code, now, last_step) {
            Ok(step) => step,
            Err(err) => {
                keys.count_failure(tx.as_mut(), &rules, now).await?;
                entry.outcome = Outcome::Failure;
                audit::append(tx.as_mut(), self.audit_key(), entry).await?;
                tx.commit().await?;
                return Err(AuthError::Code(err).into());
            }
        };
        tx.set_totp(
            session.person_id,
            Some(&secret.to_base32()),
            Some(step),
            now,
        )
        .await?;
        let device = match device {
            Some(known) if keys.known_device() => known.clone(),
            _ => OpaqueToken::generate(&mut rand::rng(), ""),
        };
        tx.remember_device(&device.hash(), session.person_id, now)
            .await?;
        keys.clear(tx.as_mut()).await?;
        tx.delete_session(&session.token_hash).await?;
        let active = OpaqueToken::generate(&mut rand::rng(), "");
        tx.insert_session(&SessionRecord {
            token_hash: active.hash(),
            person_id: session.person_id,
            stage: SessionStage::Active,
            pending_totp_secret: None,
            created_at: now,
            last_seen_at: now,
            client_addr: client.addr.clone(),
        })
        .await?;
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        Ok(SignedIn {
            session: active,
            device,
        })
    }

    async fn pending_session(
        &self,
        tx: &mut dyn Tx,
        token: &OpaqueToken,
        stage: SessionStage,
        now: Timestamp,
    ) -> Result<SessionRecord, StoreError> {
        let session = tx
            .session(&token.hash())
            .await?
            .filter(|s| s.stage == stage);
        match session {
            Some(s) if now.duration_since(s.created_at) < self.auth_settings().pending_lifetime => {
                Ok(s)
            }
            _ => Err(AuthError::SessionExpired.into()),
        }
    }
}
