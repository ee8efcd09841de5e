//! The expert's side of a request: the team queue, the case file, and the
//! steps that move a request (take, decline, ask, reply, advise, propose a
//! visit, close). Who may take a step is the access policy's call, when it
//! is possible the state machine's ([`consilium_domain::expertise`]); every
//! step writes its status-history line and its audit record in the same
//! transaction as the change.

mod file;
mod queue;
mod report;
mod steps;
mod thread;

use async_trait::async_trait;
use consilium_domain::expertise::{Advice, TaskState};
use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::{StoreError, cases::CaseView};

pub(crate) use file::files_of;
pub use file::{CaseFile, EarlierCase, FileEntry};
pub use queue::{Queue, QueueFilter};
pub use report::{ReportKit, photo_caption};
pub use steps::{NewAppointment, StepError};
pub use thread::{MessageKind, NewMessage};

/// One line of a request's status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusEvent {
    /// Its id (UUIDv7, so time-ordered).
    pub id: Uuid,
    /// The request.
    pub case_id: Uuid,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor_id: Option<Uuid>,
    /// Their name (read back only).
    pub actor_name: Option<String>,
    /// What was done (`submit`, `take`, `ask`…).
    pub step: String,
    /// Status before.
    pub from_status: String,
    /// Status after.
    pub to_status: String,
    /// A reason or a note.
    pub detail: Option<String>,
    /// The request as this step left it; `None` on lines written before
    /// it was kept.
    #[serde(skip)]
    pub after: Option<TaskSnapshot>,
}

/// Where a request stood after a step: what its FHIR `Task` and
/// `ServiceRequest` showed at that version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSnapshot {
    /// The team it was addressed to.
    pub team_id: Uuid,
    /// The expert who owned it.
    pub owner_id: Option<Uuid>,
    /// When the answer was due (none while on hold).
    pub deadline: Option<Timestamp>,
    /// True once an advice had been sent.
    pub answered: bool,
    /// Why it was declined, while it was.
    pub status_reason: Option<String>,
}

impl TaskSnapshot {
    /// The snapshot of a state.
    pub fn of(state: &TaskState) -> Self {
        Self {
            team_id: state.team_id,
            owner_id: state.owner_id,
            deadline: state.deadline,
            answered: state.answered,
            status_reason: state.status_reason.clone(),
        }
    }
}

/// A message of the thread (FHIR `Communication`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    /// Its id.
    pub id: Uuid,
    /// The request.
    pub case_id: Uuid,
    /// Who wrote it.
    pub author_id: Uuid,
    /// Their name (read back only).
    pub author_name: String,
    /// `question`, `reply` or `advice`.
    pub kind: String,
    /// When.
    pub at: Timestamp,
    /// The text.
    pub body: String,
    /// A question that asks for more photos.
    pub asks_photos: bool,
    /// The files sent with it.
    pub upload_ids: Vec<Uuid>,
}

/// One version of the advice, as signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdviceVersion {
    /// The request.
    pub case_id: Uuid,
    /// 1, then one more per correction.
    pub version: i32,
    /// The `advice` message carrying it.
    pub message_id: Uuid,
    /// The expert.
    pub author_id: Uuid,
    /// Their name (read back only).
    pub author_name: String,
    /// Their RPPS (read back only).
    pub author_rpps: Option<String>,
    /// When they signed it.
    pub signed_at: Timestamp,
    /// What it says.
    pub advice: Advice,
}

impl AdviceVersion {
    /// `advice` as signed now by `actor` (name and RPPS from their account).
    pub fn signed_by(
        actor: &crate::auth::Actor,
        case_id: Uuid,
        version: i32,
        message_id: Uuid,
        advice: &Advice,
        now: Timestamp,
    ) -> Self {
        Self {
            case_id,
            version,
            message_id,
            author_id: actor.caller.person_id,
            author_name: actor.person.display_name(),
            author_rpps: actor
                .person
                .practitioner
                .as_ref()
                .map(|p| p.rpps.to_string()),
            signed_at: now,
            advice: advice.clone(),
        }
    }
}

/// An in-person appointment proposed by the centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appointment {
    /// Its id.
    pub id: Uuid,
    /// The request.
    pub case_id: Uuid,
    /// The coordinator.
    pub proposed_by: Uuid,
    /// Their name (read back only).
    pub proposed_by_name: String,
    /// When it was proposed.
    pub proposed_at: Timestamp,
    /// When the patient is expected.
    pub starts_at: Timestamp,
    /// Where.
    pub place: String,
    /// What to bring or do.
    pub instructions: String,
}

/// One version of the report (compte rendu), sealed in the blob store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportDoc {
    /// Its id (also the `DocumentReference` and `Binary` id).
    pub id: Uuid,
    /// The request.
    pub case_id: Uuid,
    /// 1, then one more per regeneration.
    pub version: i32,
    /// The advice version it states.
    pub advice_version: i32,
    /// The sealed PDF.
    #[serde(skip)]
    pub blob_key: String,
    /// Its size in bytes.
    pub size: i64,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// When it was made.
    pub created_at: Timestamp,
}

/// A person one can pick (an expert to assign, a team to transfer to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// The id.
    pub id: Uuid,
    /// What to show.
    pub label: String,
}

/// The expertise primitives.
#[async_trait]
pub trait ExpertiseTx: Send {
    /// Writes a request's new state if its revision is still `revision`;
    /// false when someone else moved it first.
    async fn update_task(
        &mut self,
        case_id: Uuid,
        revision: i32,
        state: &TaskState,
    ) -> Result<bool, StoreError>;
    /// Adds a status-history line.
    async fn insert_event(&mut self, event: &StatusEvent) -> Result<(), StoreError>;
    /// A request's status history, oldest first.
    async fn case_events(&mut self, case_id: Uuid) -> Result<Vec<StatusEvent>, StoreError>;
    /// Adds a message; false if the author already used `key`.
    async fn insert_message(
        &mut self,
        message: &Message,
        key: Option<&str>,
    ) -> Result<bool, StoreError>;
    /// The message an author wrote with this idempotency key.
    async fn message_by_key(
        &mut self,
        author_id: Uuid,
        key: &str,
    ) -> Result<Option<Uuid>, StoreError>;
    /// Links a file to a message.
    async fn link_message_upload(
        &mut self,
        message_id: Uuid,
        upload_id: Uuid,
    ) -> Result<(), StoreError>;
    /// A request's thread, oldest first, with each message's files.
    async fn case_messages(&mut self, case_id: Uuid) -> Result<Vec<Message>, StoreError>;
    /// Adds an advice version; false if that version exists.
    async fn insert_advice(&mut self, advice: &AdviceVersion) -> Result<bool, StoreError>;
    /// A request's advice versions, oldest first.
    async fn case_advices(&mut self, case_id: Uuid) -> Result<Vec<AdviceVersion>, StoreError>;
    /// Adds an appointment.
    async fn insert_appointment(&mut self, appointment: &Appointment) -> Result<(), StoreError>;
    /// A request's appointments, oldest first.
    async fn case_appointments(&mut self, case_id: Uuid) -> Result<Vec<Appointment>, StoreError>;
    /// Adds a report version; false if that version exists.
    async fn insert_report(&mut self, report: &ReportDoc) -> Result<bool, StoreError>;
    /// A request's reports, oldest first.
    async fn case_reports(&mut self, case_id: Uuid) -> Result<Vec<ReportDoc>, StoreError>;
    /// A report by id.
    async fn report(&mut self, id: Uuid) -> Result<Option<ReportDoc>, StoreError>;
    /// The open requests of the teams the person serves as expert or
    /// coordinator, soonest deadline first (stopped clocks last).
    async fn queue(
        &mut self,
        person_id: Uuid,
        filter: &QueueFilter,
    ) -> Result<Vec<CaseView>, StoreError>;
    /// How many open requests of that queue are in each status.
    async fn queue_counts(&mut self, person_id: Uuid) -> Result<Vec<(String, i64)>, StoreError>;
    /// The patient's other sent requests to teams of the centre, newest first.
    async fn patient_cases_at_centre(
        &mut self,
        patient_id: Uuid,
        centre_id: Uuid,
    ) -> Result<Vec<CaseView>, StoreError>;
    /// The experts of a team.
    async fn team_experts(&mut self, team_id: Uuid) -> Result<Vec<Choice>, StoreError>;
    /// The request a message, report or appointment belongs to.
    async fn case_of_object(&mut self, id: Uuid) -> Result<Option<Uuid>, StoreError>;
    /// The teams of the region offering a specialty, "Centre — Team".
    async fn specialty_teams(&mut self, specialty_code: &str) -> Result<Vec<Choice>, StoreError>;
}
