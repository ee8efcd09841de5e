//! Which sign-in attempts are checked now, and what a failure counts
//! against ([`SignInThrottle`], ADR 0015): the account from this address,
//! the address, the account — or, for a browser that completed a sign-in to
//! this account before (a known device), that browser alone. Counters live
//! in the database, so every node sees the same.

use async_trait::async_trait;
use consilium_domain::auth::{OpaqueToken, SignInThrottle, ThrottleRule};
use jiff::Timestamp;
use uuid::Uuid;

use crate::{StoreError, Tx, audit::ClientInfo};

/// The known-device primitives.
#[async_trait]
pub trait DeviceTx: Send {
    /// Whose known device this is, if anyone's.
    async fn known_device(&mut self, token_hash: &str) -> Result<Option<Uuid>, StoreError>;
    /// Remembers (or refreshes) a device of a person.
    async fn remember_device(
        &mut self,
        token_hash: &str,
        person_id: Uuid,
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// Forgets every device of a person (second factor reset, deactivation).
    async fn forget_devices_of(&mut self, person_id: Uuid) -> Result<(), StoreError>;
}

/// The counters one sign-in attempt is checked against and counts under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AttemptKeys {
    /// Whose known device the browser is, with its key, if it is the
    /// account's own.
    device: Option<String>,
    pair: String,
    address: Option<String>,
    account: String,
}

impl AttemptKeys {
    /// The keys of an attempt on `email` from `client`, with the browser's
    /// device cookie if it sent one. The device counts only if it belongs
    /// to `person` (the account tried, when it exists).
    pub(super) async fn of(
        tx: &mut dyn Tx,
        email: &str,
        client: &ClientInfo,
        device: Option<&OpaqueToken>,
        person: Option<Uuid>,
    ) -> Result<Self, StoreError> {
        let account = email.trim().to_lowercase();
        let address = client.addr.clone();
        let device = match (device, person) {
            (Some(token), Some(person)) => {
                let hash = token.hash();
                (tx.known_device(&hash).await? == Some(person)).then(|| format!("device:{hash}"))
            }
            _ => None,
        };
        Ok(Self {
            device,
            pair: format!("pair:{account}|{}", address.as_deref().unwrap_or("-")),
            address: address.map(|a| format!("address:{a}")),
            account: format!("account:{account}"),
        })
    }

    /// True when the browser is a known device of the account.
    pub(super) fn known_device(&self) -> bool {
        self.device.is_some()
    }

    fn checked(&self, rules: &SignInThrottle) -> Vec<(&str, ThrottleRule)> {
        match &self.device {
            Some(device) => vec![(device.as_str(), rules.device)],
            None => std::iter::once((self.pair.as_str(), rules.pair))
                .chain(self.address.as_deref().map(|a| (a, rules.address)))
                .chain(std::iter::once((self.account.as_str(), rules.account)))
                .collect(),
        }
    }

    /// True when any counter this attempt is checked against is locked.
    pub(super) async fn locked(
        &self,
        tx: &mut dyn Tx,
        rules: &SignInThrottle,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        for (key, rule) in self.checked(rules) {
            if rule.is_locked(tx.sign_in_counter(key).await?.as_ref(), now) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Counts a failure under every key the attempt is checked against.
    pub(super) async fn count_failure(
        &self,
        tx: &mut dyn Tx,
        rules: &SignInThrottle,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        for (key, rule) in self.checked(rules) {
            let counter = rule.after_failure(tx.sign_in_counter(key).await?.as_ref(), now);
            tx.put_sign_in_counter(key, &counter).await?;
        }
        Ok(())
    }

    /// After a success: this pair's and this device's failures are forgotten
    /// (not the address's or the account's, which others may have caused).
    pub(super) async fn clear(&self, tx: &mut dyn Tx) -> Result<(), StoreError> {
        tx.delete_sign_in_counter(&self.pair).await?;
        if let Some(device) = &self.device {
            tx.delete_sign_in_counter(device).await?;
        }
        Ok(())
    }
}
