//! Requests and patients read in bulk, for API clients (FHIR searches,
//! includes and reads): everything of a scope that the actor may read, with
//! the parts asked for, in one transaction and one audit record. The SQL
//! filter is the read column of [`consilium_domain::access::CASE_POLICY`]
//! (the contract tests check the two agree), so what the caller may not
//! read is never loaded: it cannot leak through a search, a total or an
//! include.

mod cases;
mod patients;

use async_trait::async_trait;
use jiff::Timestamp;
use uuid::Uuid;

pub use cases::{CasePage, CaseSort, CaseSortKey};
pub use patients::{PatientCondition, PatientCreation};

use crate::{
    StoreError,
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
    /// Owned by no expert (still the team's).
    pub unowned: bool,
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
            || self.requester_ids.is_some()
            || self.unowned;
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
    /// The ids of the requests of the scope the person may read, in order
    /// (then by id).
    async fn scoped_case_ids(
        &mut self,
        person_id: Uuid,
        scope: &CaseScope,
        order: &[CaseSortKey],
    ) -> Result<Vec<Uuid>, StoreError>;
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
