//! The team queue: what is due, soonest first.

use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
    cases::CaseView,
};

/// What a queue shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueFilter {
    /// One status only.
    pub status: Option<String>,
    /// One specialty only (SNOMED CT code).
    pub specialty: Option<String>,
    /// One requesting site only.
    pub site_id: Option<Uuid>,
    /// One owner only (an expert).
    pub owner_id: Option<Uuid>,
    /// One team only.
    pub team_id: Option<Uuid>,
    /// At most this many.
    pub limit: i64,
}

/// A queue page: the requests and how many are in each status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Queue {
    /// Soonest deadline first; stopped clocks, then answered ones, last.
    pub entries: Vec<CaseView>,
    /// How many open requests of the whole queue are in each status.
    pub counts: Vec<(String, i64)>,
}

impl Store {
    /// The open requests of the teams the actor serves as expert or
    /// coordinator. Audited as one search. Someone who serves no team gets
    /// an empty queue.
    pub async fn queue(
        &self,
        actor: &Actor,
        filter: &QueueFilter,
        now: Timestamp,
    ) -> Result<Queue, StoreError> {
        let mut tx = self.backend().begin().await?;
        let person = actor.caller.person_id;
        let entries = tx.queue(person, filter).await?;
        let counts = tx.queue_counts(person).await?;
        let entry = AuditEntry::by(actor, "case.queue", Outcome::Success, now)
            .naming(entries.iter().map(|c| c.patient.id));
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        Ok(Queue { entries, counts })
    }
}
