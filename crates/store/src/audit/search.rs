//! The audit trail as API clients search it (FHIR `AuditEvent`): the
//! records of the organisations the reader audits (coordinators and
//! organisation admins, their own organisation only), newest first, read
//! in bounded batches. Reading the trail is itself recorded.

use jiff::Timestamp;
use uuid::Uuid;

use super::{AuditEntry, AuditRecord, Outcome};
use crate::{Store, StoreError, auth::Actor};

/// What to look for; each list narrows to records matching one of its
/// values (an empty list matches nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// These positions in the chain.
    pub seqs: Option<Vec<i64>>,
    /// Who acted.
    pub actor_ids: Option<Vec<Uuid>>,
    /// About these patients.
    pub patient_ids: Option<Vec<Uuid>>,
    /// About these requests.
    pub case_ids: Option<Vec<Uuid>>,
    /// These actions (`case.read`…).
    pub actions: Option<Vec<String>>,
    /// These outcomes (`success`, `denied`…).
    pub outcomes: Option<Vec<String>>,
    /// At or after.
    pub from: Option<Timestamp>,
    /// Strictly before.
    pub to: Option<Timestamp>,
}

/// Records found, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFinding {
    /// At most the limit asked.
    pub records: Vec<AuditRecord>,
    /// False when more records matched than the limit.
    pub complete: bool,
}

impl Store {
    /// The records of the organisations the actor audits matching `query`,
    /// at most `limit` of them, newest first. Audited as `audit.search`;
    /// someone who audits nothing finds nothing.
    pub async fn audit_events(
        &self,
        actor: &Actor,
        query: &AuditQuery,
        limit: usize,
        now: Timestamp,
    ) -> Result<AuditFinding, StoreError> {
        let organizations = actor.caller.audited_organizations();
        let mut tx = self.backend().begin().await?;
        let mut records = if organizations.is_empty() {
            Vec::new()
        } else {
            let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
            tx.audit_search(&organizations, query, fetch).await?
        };
        let complete = records.len() <= limit;
        records.truncate(limit);
        let entry = AuditEntry {
            patient_id: match query.patient_ids.as_deref() {
                Some([patient]) => Some(*patient),
                _ => None,
            },
            ..AuditEntry::by(actor, "audit.search", Outcome::Success, now)
        };
        super::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        Ok(AuditFinding { records, complete })
    }
}
