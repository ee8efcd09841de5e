//! Requests read in bulk: a scope's records, or one page of an ordered
//! search with the ids of every match.

use consilium_domain::access::CaseAction;
use jiff::Timestamp;
use uuid::Uuid;

use super::{CaseParts, CaseRecord, CaseScope};
use crate::{
    Store, StoreError, Tx,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
};

/// What the database can order requests by (FHIR sort keys of
/// `ServiceRequest` and `Task`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseSort {
    /// The id (UUIDv7: creation order).
    Id,
    /// The deadline; requests without one (on hold, drafts) come last.
    Deadline,
    /// The last change: the last status-history line, or the start.
    LastUpdated,
    /// When sent (started, for a draft).
    Submitted,
    /// When started.
    Created,
}

/// One sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseSortKey {
    /// By what.
    pub by: CaseSort,
    /// Latest first.
    pub descending: bool,
}

/// A page of an ordered search of requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePage {
    /// How many requests matched.
    pub total: u64,
    /// The ids of the first matches in order (at most as many as asked to keep).
    pub ids: Vec<Uuid>,
    /// The first page's requests, in order.
    pub records: Vec<CaseRecord>,
}

impl Store {
    /// The requests of `scope` the actor may read, in `order` (then by id):
    /// how many, the ids of the first `keep`, and the first `page` with
    /// their `parts`. One transaction, one audit record (a search): the
    /// database sorts and counts, so only a page is read in full.
    #[allow(clippy::too_many_arguments)]
    pub async fn case_page(
        &self,
        actor: &Actor,
        scope: &CaseScope,
        order: &[CaseSortKey],
        keep: usize,
        page: usize,
        parts: CaseParts,
        now: Timestamp,
    ) -> Result<CasePage, StoreError> {
        let mut tx = self.backend().begin().await?;
        let person = actor.caller.person_id;
        let all = tx.scoped_case_ids(person, scope, order).await?;
        let first: Vec<Uuid> = all.iter().take(page).copied().collect();
        let page_scope = CaseScope {
            case_ids: Some(first.clone()),
            ..CaseScope::default()
        };
        let mut cases = if first.is_empty() {
            Vec::new()
        } else {
            tx.scoped_cases(person, &page_scope).await?
        };
        cases.sort_by_key(|c| first.iter().position(|id| *id == c.id));
        let records = with_parts(tx.as_mut(), person, &page_scope, cases, parts).await?;
        let entry = AuditEntry {
            patient_id: match scope.patient_ids.as_deref() {
                Some([patient]) => Some(*patient),
                _ => None,
            },
            ..AuditEntry::by(actor, "case.search", Outcome::Success, now)
        }
        .naming(records.iter().map(|r| r.case.patient.id));
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        Ok(CasePage {
            total: all.len() as u64,
            ids: all.into_iter().take(keep).collect(),
            records,
        })
    }

    /// The requests of `scope` the actor may read, with `parts`, newest
    /// first. One audit record: a read of that request when the scope names
    /// one request or object (not found or denied when it yields nothing),
    /// a search otherwise.
    pub async fn case_records(
        &self,
        actor: &Actor,
        scope: &CaseScope,
        parts: CaseParts,
        now: Timestamp,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        let mut tx = self.backend().begin().await?;
        let person = actor.caller.person_id;
        let cases = tx.scoped_cases(person, scope).await?;
        let entry = match scope.single_id() {
            Some(id) => {
                let found = cases.first();
                let outcome = match found {
                    Some(_) => Outcome::Success,
                    None => refusal(tx.as_mut(), actor, id).await?,
                };
                AuditEntry {
                    case_id: found.map(|c| c.id),
                    object_id: (found.is_none_or(|c| c.id != id)).then_some(id),
                    ..AuditEntry::about_case(actor, found, "case.read", outcome, now)
                }
            }
            None => AuditEntry {
                patient_id: match scope.patient_ids.as_deref() {
                    Some([patient]) => Some(*patient),
                    _ => None,
                },
                ..AuditEntry::by(actor, "case.search", Outcome::Success, now)
            }
            .naming(cases.iter().map(|c| c.patient.id)),
        };
        let records = with_parts(tx.as_mut(), person, scope, cases, parts).await?;
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        Ok(records)
    }
}

/// The requests with the parts asked for, read in one query per part.
async fn with_parts(
    tx: &mut dyn Tx,
    person: Uuid,
    scope: &CaseScope,
    cases: Vec<crate::cases::CaseView>,
    parts: CaseParts,
) -> Result<Vec<CaseRecord>, StoreError> {
    let mut records: Vec<CaseRecord> = cases
        .into_iter()
        .map(|case| CaseRecord {
            case,
            files: Vec::new(),
            messages: Vec::new(),
            advices: Vec::new(),
            reports: Vec::new(),
            appointments: Vec::new(),
            history: Vec::new(),
        })
        .collect();
    if !records.is_empty() {
        let index: std::collections::HashMap<Uuid, usize> = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.case.id, i))
            .collect();
        let slot = |case_id: Uuid| index.get(&case_id).copied();
        if parts.files {
            for (case_id, file) in tx.scoped_files(person, scope).await? {
                if let Some(i) = slot(case_id) {
                    records[i].files.push(file);
                }
            }
        }
        if parts.thread {
            for message in tx.scoped_messages(person, scope).await? {
                if let Some(i) = slot(message.case_id) {
                    records[i].messages.push(message);
                }
            }
            for advice in tx.scoped_advices(person, scope).await? {
                if let Some(i) = slot(advice.case_id) {
                    records[i].advices.push(advice);
                }
            }
        }
        if parts.reports {
            for report in tx.scoped_reports(person, scope).await? {
                if let Some(i) = slot(report.case_id) {
                    records[i].reports.push(report);
                }
            }
        }
        if parts.history {
            for event in tx.scoped_events(person, scope).await? {
                if let Some(i) = slot(event.case_id) {
                    records[i].history.push(event);
                }
            }
        }
        if parts.appointments {
            for appointment in tx.scoped_appointments(person, scope).await? {
                if let Some(i) = slot(appointment.case_id) {
                    records[i].appointments.push(appointment);
                }
            }
        }
    }
    Ok(records)
}

/// Why a one-request read found nothing: the request (or the one holding
/// the object) exists but may not be read, or nothing has that id.
async fn refusal(tx: &mut dyn crate::Tx, actor: &Actor, id: Uuid) -> Result<Outcome, StoreError> {
    let case_id = match tx.case_view(id).await? {
        Some(_) => Some(id),
        None => match tx.case_of_object(id).await? {
            Some(case_id) => Some(case_id),
            None => tx.case_of_upload(id).await?,
        },
    };
    let case = match case_id {
        Some(case_id) => tx.case_view(case_id).await?,
        None => None,
    };
    Ok(match case {
        Some(c) if !actor.caller.may(CaseAction::Read, &c.parties) => Outcome::Denied,
        // Readable but filtered out (a synthetic request), or absent.
        _ => Outcome::NotFound,
    })
}
