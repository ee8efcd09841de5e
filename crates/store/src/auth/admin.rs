//! What administrators and operators do to accounts: initial passwords,
//! second-factor resets, deactivation; and the demo accounts' secrets.

use std::collections::BTreeSet;

use consilium_domain::{Email, auth::TotpSecret};
use jiff::Timestamp;
use uuid::Uuid;

use super::Actor;
use crate::{
    Store, StoreError, UserSummary,
    audit::{self, AuditEntry, Outcome},
    directory::users_in,
};

const DEMO_SETTING: &str = "demo_mode";

impl Store {
    /// Gives a person their first password (argon2id hash) and, optionally,
    /// an already enrolled TOTP secret; does nothing if they have credentials.
    pub async fn set_initial_credentials(
        &self,
        email: &Email,
        password_hash: &str,
        totp_secret: Option<&TotpSecret>,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.backend().begin().await?;
        let person = crate::directory::existing_person(tx.as_mut(), email).await?;
        let secret = totp_secret.map(TotpSecret::to_base32);
        let added = tx
            .insert_credentials(person.id, password_hash, secret.as_deref(), now)
            .await?;
        tx.commit().await?;
        Ok(added)
    }

    /// The people an organisation admin manages (members of their organisations).
    pub async fn managed_users(&self, actor: &Actor) -> Result<Vec<UserSummary>, StoreError> {
        let mine: BTreeSet<Uuid> = actor
            .caller
            .administered_organizations()
            .into_iter()
            .collect();
        let mut tx = self.backend().begin().await?;
        Ok(users_in(tx.as_mut())
            .await?
            .into_iter()
            .filter(|u| {
                u.memberships
                    .iter()
                    .any(|m| mine.contains(&m.organization_id))
            })
            .collect())
    }

    /// Clears a person's second factor (they enrol again at next sign-in) and
    /// ends their sessions and tokens. Someone the admin does not manage is not found.
    pub async fn reset_second_factor(
        &self,
        actor: &Actor,
        person_id: Uuid,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.administer(actor, person_id, "user.second_factor_reset", now, false)
            .await
    }

    /// Deactivates a person: they cannot sign in, their sessions and tokens end at once.
    pub async fn deactivate(
        &self,
        actor: &Actor,
        person_id: Uuid,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.administer(actor, person_id, "user.deactivate", now, true)
            .await
    }

    async fn administer(
        &self,
        actor: &Actor,
        person_id: Uuid,
        action: &'static str,
        now: Timestamp,
        deactivate: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.backend().begin().await?;
        if person_id == actor.caller.person_id {
            let entry = AuditEntry {
                object_id: Some(person_id),
                ..AuditEntry::by(actor, action, Outcome::Failure, now)
            };
            audit::append(tx.as_mut(), self.audit_key(), entry).await?;
            tx.commit().await?;
            return Err(consilium_domain::directory::DirectoryError::SelfAdministration.into());
        }
        let target_orgs: Vec<Uuid> = tx
            .caller_roles(person_id)
            .await?
            .into_iter()
            .map(|r| r.organization_id)
            .collect();
        let allowed =
            actor.caller.may_manage(&target_orgs) && tx.person(person_id).await?.is_some();
        let mut entry = AuditEntry {
            organization_id: actor.caller.administered_organizations().first().copied(),
            ..AuditEntry::by(actor, action, Outcome::Success, now)
        };
        if !allowed {
            entry.outcome = Outcome::Denied;
            audit::append(tx.as_mut(), self.audit_key(), entry).await?;
            tx.commit().await?;
            return Err(StoreError::NotFound {
                what: "utilisateur",
                key: person_id.to_string(),
            });
        }
        if deactivate {
            tx.set_active(person_id, false, now).await?;
        } else {
            tx.set_totp(person_id, None, None, now).await?;
        }
        tx.delete_sessions_of(person_id, None).await?;
        tx.revoke_tokens_of(person_id, now).await?;
        tx.forget_devices_of(person_id).await?;
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await
    }

    /// Marks this storage as a demo (set by `serve --demo`).
    pub async fn set_demo_mode(&self) -> Result<(), StoreError> {
        let mut tx = self.backend().begin().await?;
        tx.put_setting(DEMO_SETTING, "true").await?;
        tx.commit().await
    }

    /// True when `serve --demo` has run on this storage.
    pub async fn is_demo_mode(&self) -> Result<bool, StoreError> {
        let mut tx = self.backend().begin().await?;
        Ok(tx.setting(DEMO_SETTING).await?.as_deref() == Some("true"))
    }

    /// The TOTP secret of an account, for demo accounts only: `None` unless
    /// this is a demo storage and the address is under `demo_domain`.
    pub async fn demo_totp_secret(
        &self,
        email: &Email,
        demo_domain: &str,
    ) -> Result<Option<TotpSecret>, StoreError> {
        if !email.as_str().ends_with(demo_domain) || !self.is_demo_mode().await? {
            return Ok(None);
        }
        let mut tx = self.backend().begin().await?;
        let secret = tx
            .credentials_by_email(email)
            .await?
            .and_then(|c| c.totp_secret);
        secret
            .map(|s| TotpSecret::from_base32(&s).map_err(StoreError::internal))
            .transpose()
    }
}
