//! Tele-expertise cases, as far as access control needs them: who may read
//! one, and the list a person sees. Every read, search and refusal is audited.

use async_trait::async_trait;
use consilium_domain::{
    access::{CaseAction, CaseParties},
    expertise::{TaskState, TaskStatus, Urgency},
};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use uuid::Uuid;

use crate::{
    NewPatient, Store, StoreError,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
};

/// A case with what its page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseView {
    /// Its id.
    pub id: Uuid,
    /// Its short reference, e.g. `TE-2026-0001`.
    pub reference: String,
    /// Who it involves.
    #[serde(skip)]
    pub parties: CaseParties,
    /// Its status (FHIR Task status).
    pub status: String,
    /// When it was started.
    pub created_at: Timestamp,
    /// When it was sent, once sent.
    pub submitted_at: Option<Timestamp>,
    /// When the answer is due, once sent.
    pub deadline: Option<Timestamp>,
    /// When the patient's consent was recorded.
    pub consent_at: Option<Timestamp>,
    /// The questionnaire answers (clinical content), as JSON.
    pub answers: serde_json::Value,
    /// The patient.
    pub patient: PatientView,
    /// The requesting site's name.
    pub site_name: String,
    /// The team's name.
    pub team_name: String,
    /// The requester's name.
    pub requester_name: String,
    /// The expert who owns it, once assigned or taken.
    pub owner_id: Option<Uuid>,
    /// Their name.
    pub owner_name: Option<String>,
    /// While on hold: the time that was left when the clock stopped.
    pub hold_remaining: Option<SignedDuration>,
    /// True once an advice was sent.
    pub answered: bool,
    /// Why it was declined, while it is.
    pub status_reason: Option<String>,
    /// `routine` or `urgent` (FHIR `ServiceRequest.priority`).
    pub priority: String,
    /// Bumped by every move (optimistic concurrency).
    #[serde(skip)]
    pub revision: i32,
    /// Its version as FHIR shows it: 1 while a draft, one more per line of
    /// its status history (sending, every step since).
    #[serde(skip)]
    pub version: i32,
    /// When it last changed: the last status-history line, or its start.
    #[serde(skip)]
    pub updated_at: Timestamp,
    /// The requesting site's kind (practice, nursing home…).
    pub site_kind: String,
    /// The requesting site's FINESS.
    pub site_finess: Option<String>,
    /// The specialty asked (SNOMED CT).
    pub specialty_code: String,
    /// The resource centre's name.
    pub centre_name: String,
    /// The resource centre's FINESS.
    pub centre_finess: Option<String>,
    /// How many files are attached.
    pub attachment_count: i64,
}

impl CaseView {
    /// Where the request stands, for the state machine.
    pub fn task_state(&self) -> Result<TaskState, StoreError> {
        Ok(TaskState {
            status: TaskStatus::parse(&self.status)
                .ok_or_else(|| StoreError::internal(format!("cases.status {}", self.status)))?,
            team_id: self.parties.team_id,
            owner_id: self.owner_id,
            deadline: self.deadline,
            hold_remaining: self.hold_remaining,
            answered: self.answered,
            status_reason: self.status_reason.clone(),
        })
    }

    /// The time left at `now` (frozen while on hold; negative when late).
    pub fn time_left(&self, now: &Timestamp) -> Option<SignedDuration> {
        self.deadline
            .map(|due| due.duration_since(*now))
            .or(self.hold_remaining)
    }

    /// Red when late, amber under 12 hours, calm otherwise or on hold.
    pub fn urgency(&self, now: &Timestamp) -> Urgency {
        let running =
            self.deadline.is_some() && TaskStatus::parse(&self.status).is_some_and(|s| s.is_open());
        Urgency::of(self.time_left(now), running)
    }
}

/// A patient as a case shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatientView {
    /// The patient's id.
    pub id: Uuid,
    /// Their identity.
    #[serde(flatten)]
    pub identity: NewPatient,
    /// When the identity was recorded.
    #[serde(skip)]
    pub created_at: Timestamp,
}

/// A case to add from seed data.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// Its reference.
    pub reference: String,
    /// The patient.
    pub patient_id: Uuid,
    /// The requester.
    pub requester_id: Uuid,
    /// The requesting site.
    pub site_id: Uuid,
    /// The team addressed.
    pub team_id: Uuid,
    /// Status.
    pub status: String,
    /// `routine` or `urgent`.
    pub priority: String,
    /// When started.
    pub created_at: Timestamp,
    /// A client-chosen key that makes retries return the same case.
    pub idempotency_key: Option<String>,
}

/// The case primitives.
#[async_trait]
pub trait CaseTx: Send {
    /// Adds a case unless its reference exists.
    async fn insert_case(&mut self, id: Uuid, case: &NewCase) -> Result<bool, StoreError>;
    /// A case with its patient and names.
    async fn case_view(&mut self, id: Uuid) -> Result<Option<CaseView>, StoreError>;
    /// Every case the person may read, newest first. The SQL mirrors
    /// [`consilium_domain::access::CASE_POLICY`]'s read column; the contract
    /// tests check the two agree.
    async fn readable_cases(&mut self, person_id: Uuid) -> Result<Vec<CaseView>, StoreError>;
    /// Every case (for checks).
    async fn all_cases(&mut self) -> Result<Vec<CaseView>, StoreError>;
}

impl Store {
    /// A case, if the actor may read it; otherwise "not found", exactly as if
    /// it did not exist. Audited either way.
    pub async fn case(
        &self,
        actor: &Actor,
        id: Uuid,
        now: Timestamp,
    ) -> Result<CaseView, StoreError> {
        let mut tx = self.backend().begin().await?;
        let case = tx.case_view(id).await?;
        let readable = case
            .as_ref()
            .filter(|c| actor.caller.may(CaseAction::Read, &c.parties));
        let outcome = match (&case, readable) {
            (None, _) => Outcome::NotFound,
            (Some(_), None) => Outcome::Denied,
            (Some(_), Some(_)) => Outcome::Success,
        };
        let entry = AuditEntry {
            case_id: Some(id),
            ..AuditEntry::about_case(actor, readable, "case.read", outcome, now)
        };
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        match (outcome, case) {
            (Outcome::Success, Some(case)) => Ok(case),
            _ => Err(StoreError::NotFound {
                what: "dossier",
                key: id.to_string(),
            }),
        }
    }

    /// The cases the actor may read, newest first. Audited as one search.
    pub async fn cases(&self, actor: &Actor, now: Timestamp) -> Result<Vec<CaseView>, StoreError> {
        let mut tx = self.backend().begin().await?;
        let cases = tx.readable_cases(actor.caller.person_id).await?;
        let entry = AuditEntry::by(actor, "case.search", Outcome::Success, now)
            .naming(cases.iter().map(|c| c.patient.id));
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        Ok(cases)
    }

    /// Every case, unfiltered and unaudited: for the contract tests only.
    #[cfg(feature = "contract-tests")]
    pub async fn all_cases_unaudited(&self) -> Result<Vec<CaseView>, StoreError> {
        self.backend().begin().await?.all_cases().await
    }

    /// Every audit record, for the contract tests only.
    #[cfg(feature = "contract-tests")]
    pub async fn audit_trail_unfiltered(&self) -> Vec<audit::AuditRecord> {
        let mut tx = self
            .backend()
            .begin()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        tx.audit_records(0, i64::MAX)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The latest audit records of the organisations the actor may audit
    /// (coordinators and organisation admins), newest first.
    pub async fn audit_trail(
        &self,
        actor: &Actor,
        limit: i64,
    ) -> Result<Vec<audit::AuditRecord>, StoreError> {
        let orgs = actor.caller.audited_organizations();
        if orgs.is_empty() {
            return Err(StoreError::NotFound {
                what: "journal",
                key: "audit".into(),
            });
        }
        let mut tx = self.backend().begin().await?;
        let mut records = Vec::new();
        for org in orgs {
            records.extend(tx.audit_records_of(org, limit).await?);
        }
        records.sort_by_key(|r| std::cmp::Reverse(r.seq));
        records.truncate(usize::try_from(limit).unwrap_or(0));
        Ok(records)
    }
}
