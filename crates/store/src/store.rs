use std::sync::Arc;

use crate::{Backend, audit::AuditKey, auth::AuthSettings};

/// What the store needs besides a database.
#[derive(Debug, Clone)]
pub struct StoreSettings {
    /// Signs the audit chain's head.
    pub audit_key: AuditKey,
    /// Session lifetimes and sign-in throttling.
    pub auth: AuthSettings,
}

/// The store: every use case, on whichever backend it was opened with.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Arc<dyn Backend>,
    settings: Arc<StoreSettings>,
}

impl Store {
    /// A store over `backend`.
    pub fn new(backend: Arc<dyn Backend>, settings: StoreSettings) -> Self {
        Self {
            backend,
            settings: Arc::new(settings),
        }
    }

    pub(crate) fn backend(&self) -> &dyn Backend {
        self.backend.as_ref()
    }

    pub(crate) fn audit_key(&self) -> &AuditKey {
        &self.settings.audit_key
    }

    /// Session lifetimes and throttling in force.
    pub fn auth_settings(&self) -> &AuthSettings {
        &self.settings.auth
    }
}
