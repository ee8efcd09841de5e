//! Requests and patients read in bulk, for API clients (FHIR searches,
//! includes and reads): everything of a scope that the actor may read, with
//! the parts asked for, in one transaction and one audit record. The SQL
//! filter is the read column of [`consilium_domain::access::CASE_POLICY`]
//! (the contract tests check the two agree), so what the caller may not
//! read is never loaded: it cannot leak through a search, a total or an
//! include.

use async_trait::async_trait;
use consilium_domain::access::CaseAction;
use jiff::Timestamp;
use uuid::Uuid;

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
    cases::{CaseView, PatientView},
    expertise::{AdviceVersion, Appointment, Message, ReportDoc, StatusEvent},
    requests::Attachment,
};

/// Which requests to read: each list given narrows the scope to requests
/// matching one of its values (an empty list matches nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseScope {
    /// These requests.
    pub case_ids: Option<Vec<Uuid>>,
    /// The requests holding these messages, files, reports or appointments.
    pub object_ids: Option<Vec<Uuid>>,
    /// About these patients.
    pub patient_ids: Option<Vec<Uuid>>,
    /// In these statuses (FHIR `Task.status` codes).
    pub statuses: Option<Vec<String>>,
    /// Addressed to these teams.
    pub team_ids: Option<Vec<Uuid>>,
    /// Owned by these experts.
    pub owner_ids: Option<Vec<Uuid>>,
    /// Filed by these requesters.
    pub requester_ids: Option<Vec<Uuid>>,
}

impl CaseScope {
    /// One request, or the request holding one object: a read.
    fn single_id(&self) -> Option<Uuid> {
        let only = |list: &Option<Vec<Uuid>>| match list.as_deref() {
            Some([id]) => Some(*id),
            _ => None,
        };
        let narrowed = self.patient_ids.is_some()
            || self.statuses.is_some()
            || self.team_ids.is_some()
            || self.owner_ids.is_some()
            || self.requester_ids.is_some();
        match (only(&self.case_ids), only(&self.object_ids)) {
            (Some(id), None) | (None, Some(id)) if !narrowed => Some(id),
            _ => None,
        }
    }
}

/// Which parts of each request to read besides the request itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseParts {
    /// The attached files.
    pub files: bool,
    /// The thread and the advice versions.
    pub thread: bool,
    /// The report versions.
    pub reports: bool,
    /// The appointments.
    pub appointments: bool,
    /// The status history (each line a version of the request).
    pub history: bool,
}

impl CaseParts {
    /// Every part.
    pub const ALL: Self = Self {
        files: true,
        thread: true,
        reports: true,
        appointments: true,
        history: true,
    };
}

/// A file attached to a request, as an API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFile {
    /// The attachment.
    pub attachment: Attachment,
    /// Its sniffed media type.
    pub media_type: String,
    /// Its pixel size, for images.
    pub dimensions: Option<(i32, i32)>,
    /// When its upload began.
    pub created_at: Timestamp,
}

/// A request with the parts read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    /// The request, its patient and names.
    pub case: CaseView,
    /// Its files (when asked).
    pub files: Vec<RecordFile>,
    /// Its thread, oldest first (when asked).
    pub messages: Vec<Message>,
    /// Its advice versions, oldest first (with the thread).
    pub advices: Vec<AdviceVersion>,
    /// Its report versions, oldest first (when asked).
    pub reports: Vec<ReportDoc>,
    /// Its appointments, oldest first (when asked).
    pub appointments: Vec<Appointment>,
    /// Its status history, oldest first (when asked).
    pub history: Vec<StatusEvent>,
}

/// Which patients to read (lists narrow as in [`CaseScope`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatientScope {
    /// These patients.
    pub ids: Option<Vec<Uuid>>,
    /// With these INS.
    pub ins: Option<Vec<String>>,
}

/// The bulk-read primitives. `person_id` is the reader: only what the
/// access policy lets them read is returned.
#[async_trait]
pub trait RecordTx: Send {
    /// The requests of the scope the person may read, by id.
    async fn scoped_cases(
        &mut self,
        person_id: Uuid,
        scope: &CaseScope,
    ) -> Result<Vec<CaseView>, StoreError>;
    /// Their completed files, by request then upload.
    async fn scoped_files(
        &mut self,
        person_id: Uuid,
        scope: &CaseScope,
    ) -> Result<Vec<(Uuid, RecordFile)>, StoreError>;
    /// Their messages (with files), oldest first.
    async fn scoped_messages(
        &mut self,
        person_id: Uuid,
        scope: &CaseScope,
    ) -> Result<Vec<Message>, StoreError>;
    /// Their advice versions, by request and version.
    async fn scoped_advices(
        &mut self,
        person_id: Uuid,
        scope: &CaseScope,
    ) -> Result<Vec<AdviceVersion>, StoreError>;
    /// Their report versions, by request and version.
    async fn scoped_reports(
        &mut self,
        person_id: Uuid,
        scope: &CaseScope,
    ) -> Result<Vec<ReportDoc>, StoreError>;
    /// Their appointments, oldest first.
    async fn scoped_appointments(
        &mut self,
        person_id: Uuid,
        scope: &CaseScope,
    ) -> Result<Vec<Appointment>, StoreError>;
    /// Their status histories, oldest first.
    async fn scoped_events(
        &mut self,
        person_id: Uuid,
        scope: &CaseScope,
    ) -> Result<Vec<StatusEvent>, StoreError>;
    /// The patients of the scope the person may read: those of their
    /// requesting sites, and those of the requests they may read.
    async fn scoped_patients(
        &mut self,
        person_id: Uuid,
        scope: &PatientScope,
    ) -> Result<Vec<PatientView>, StoreError>;
    /// True when a patient with this id exists (to audit a refusal).
    async fn patient_exists(&mut self, id: Uuid) -> Result<bool, StoreError>;
}

/// What a (conditional) patient creation came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatientCreation {
    /// Recorded for the actor's site (an INS already known in the region is
    /// that patient, now known to the site too).
    Created(PatientView),
    /// One patient the actor may read already matched the condition.
    Existing(PatientView),
    /// Several matched: nothing was done.
    Ambiguous(usize),
}

/// A condition on the patients the actor may read (FHIR `If-None-Exist`).
pub type PatientCondition<'a> = &'a (dyn Fn(&PatientView) -> bool + Send + Sync);

impl Store {
    /// Records a patient for the actor's requesting site, unless one they
    /// may read meets `unless`. The check and the insert are one
    /// transaction that holds the audit chain's lock from the start, so two
    /// concurrent calls cannot both create. Audited as a creation, or as a
    /// read of the patient found.
    pub async fn create_patient(
        &self,
        actor: &Actor,
        identity: &crate::NewPatient,
        unless: Option<PatientCondition<'_>>,
        now: Timestamp,
    ) -> Result<PatientCreation, StoreError> {
        let site = crate::requests::requesting_site(actor)?;
        let person = actor.caller.person_id;
        let mut tx = self.backend().begin().await?;
        tx.lock_audit_head().await?;
        let audit = |action, patient_id| AuditEntry {
            organization_id: Some(site),
            patient_id: Some(patient_id),
            ..AuditEntry::by(actor, action, Outcome::Success, now)
        };
        if let Some(condition) = unless {
            let found: Vec<PatientView> = tx
                .scoped_patients(person, &PatientScope::default())
                .await?
                .into_iter()
                .filter(|p| condition(p))
                .collect();
            match found.as_slice() {
                [] => {}
                [patient] => {
                    let entry = audit("patient.read", patient.id);
                    audit::append(tx.as_mut(), self.audit_key(), entry).await?;
                    tx.commit().await?;
                    return Ok(PatientCreation::Existing(patient.clone()));
                }
                many => return Ok(PatientCreation::Ambiguous(many.len())),
            }
        }
        let choice = crate::requests::PatientChoice::New(identity.clone());
        let id = crate::requests::resolve_patient(tx.as_mut(), &choice, site, now).await?;
        let patient = tx
            .scoped_patients(
                person,
                &PatientScope {
                    ids: Some(vec![id]),
                    ..PatientScope::default()
                },
            )
            .await?
            .pop()
            .ok_or_else(|| {
                StoreError::internal("a patient just linked to the site is unreadable")
            })?;
        audit::append(tx.as_mut(), self.audit_key(), audit("patient.create", id)).await?;
        tx.commit().await?;
        Ok(PatientCreation::Created(patient))
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
            },
        };
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
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        Ok(records)
    }

    /// The patients of `scope` the actor may read, by name. One audit
    /// record: a read when the scope names one patient (not found or denied
    /// when it yields nothing), a search otherwise.
    pub async fn patients(
        &self,
        actor: &Actor,
        scope: &PatientScope,
        now: Timestamp,
    ) -> Result<Vec<PatientView>, StoreError> {
        let mut tx = self.backend().begin().await?;
        let patients = tx.scoped_patients(actor.caller.person_id, scope).await?;
        let entry = match scope.ids.as_deref() {
            Some([id]) if scope.ins.is_none() => {
                let outcome = match patients.first() {
                    Some(_) => Outcome::Success,
                    None if tx.patient_exists(*id).await? => Outcome::Denied,
                    None => Outcome::NotFound,
                };
                AuditEntry {
                    patient_id: patients.first().map(|p| p.id),
                    object_id: patients.is_empty().then_some(*id),
                    ..AuditEntry::by(actor, "patient.read", outcome, now)
                }
            }
            _ => AuditEntry::by(actor, "patient.search", Outcome::Success, now),
        };
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        Ok(patients)
    }
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
