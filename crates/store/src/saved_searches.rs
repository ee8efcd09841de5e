//! A search's result list, kept for a while so that the pages of a long
//! result stay the same while data changes: the next page continues the
//! list as it was when the search ran, on any node. Only ids are kept;
//! every page is read again through the access policy, so something the
//! reader may no longer see drops out rather than leaks.

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp, Unit};
use uuid::Uuid;

use crate::{Store, StoreError, auth::Actor};

/// How long a result list is kept.
pub const SAVED_SEARCH_LIFETIME: SignedDuration = SignedDuration::from_hours(1);

/// A kept result list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    /// Its id (in page links).
    pub id: Uuid,
    /// Who searched: nobody else may page through it.
    pub person_id: Uuid,
    /// When the search ran.
    pub created_at: Timestamp,
    /// When the list is forgotten.
    pub expires_at: Timestamp,
    /// What was searched (a resource type).
    pub kind: String,
    /// The normalised query, for links and what each page adds.
    pub query: String,
    /// How many matched, the list included.
    pub total: u64,
    /// The matching resources' ids, in order (at most as many as are kept).
    pub results: Vec<String>,
}

/// The saved-search primitives.
#[async_trait]
pub trait SavedSearchTx: Send {
    /// Keeps a result list.
    async fn insert_saved_search(&mut self, search: &SavedSearch) -> Result<(), StoreError>;
    /// A kept result list.
    async fn saved_search(&mut self, id: Uuid) -> Result<Option<SavedSearch>, StoreError>;
    /// Forgets the lists expired at `now`.
    async fn delete_expired_searches(&mut self, now: Timestamp) -> Result<u64, StoreError>;
}

impl Store {
    /// Keeps the result list of a search the actor ran (and forgets
    /// expired ones). The search itself was audited when it ran.
    pub async fn save_search(
        &self,
        actor: &Actor,
        kind: &str,
        query: &str,
        total: u64,
        results: Vec<String>,
        now: Timestamp,
    ) -> Result<SavedSearch, StoreError> {
        // Ids are FHIR ids ([A-Za-z0-9-.]): they never hold the separator.
        if let Some(bad) = results.iter().find(|id| {
            id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.".contains(c))
        }) {
            return Err(StoreError::internal(format!("not an id: {bad:?}")));
        }
        // Whole seconds: stored as text on SQLite, text order is time order.
        let created_at = now.round(Unit::Second).map_err(StoreError::internal)?;
        let search = SavedSearch {
            id: Uuid::now_v7(),
            person_id: actor.caller.person_id,
            created_at,
            expires_at: created_at + SAVED_SEARCH_LIFETIME,
            kind: kind.to_owned(),
            query: query.to_owned(),
            total,
            results,
        };
        let mut tx = self.backend().begin().await?;
        tx.delete_expired_searches(created_at).await?;
        tx.insert_saved_search(&search).await?;
        tx.commit().await?;
        Ok(search)
    }

    /// A result list the actor kept (expired or not); anyone else's, or
    /// one forgotten, is not found.
    pub async fn saved_search(&self, actor: &Actor, id: Uuid) -> Result<SavedSearch, StoreError> {
        self.backend()
            .begin()
            .await?
            .saved_search(id)
            .await?
            .filter(|s| s.person_id == actor.caller.person_id)
            .ok_or_else(|| StoreError::NotFound {
                what: "recherche",
                key: id.to_string(),
            })
    }
}
