//! Rows of the expert's side: history, thread, advice, appointments, reports.

use consilium_domain::expertise::{Advice, Icd10, Visit};
use uuid::Uuid;

use super::{corrupt, optional};
use crate::{
    StoreError,
    expertise::{
        AdviceVersion, Appointment, Choice, Message, ReportDoc, StatusEvent, TaskSnapshot,
    },
};

fn name(given: Option<String>, family: Option<String>) -> Option<String> {
    given.zip(family).map(|(g, f)| format!("{g} {f}"))
}

/// A row of `case_events` with the actor's name.
#[derive(Debug, sqlx::FromRow)]
pub struct EventRow {
    id: Uuid,
    case_id: Uuid,
    at: jiff_sqlx::Timestamp,
    actor_id: Option<Uuid>,
    given_names: Option<String>,
    family_name: Option<String>,
    step: String,
    from_status: String,
    to_status: String,
    detail: Option<String>,
    team_id: Option<Uuid>,
    owner_id: Option<Uuid>,
    deadline: Option<jiff_sqlx::Timestamp>,
    answered: Option<bool>,
    status_reason: Option<String>,
}

impl TryFrom<EventRow> for StatusEvent {
    type Error = StoreError;
    fn try_from(row: EventRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: row.id,
            case_id: row.case_id,
            at: row.at.to_jiff(),
            actor_id: row.actor_id,
            actor_name: name(row.given_names, row.family_name),
            step: row.step,
            from_status: row.from_status,
            to_status: row.to_status,
            detail: row.detail,
            after: row.team_id.map(|team_id| TaskSnapshot {
                team_id,
                owner_id: row.owner_id,
                deadline: row.deadline.map(|d| d.to_jiff()),
                answered: row.answered.unwrap_or(false),
                status_reason: row.status_reason,
            }),
        })
    }
}

/// A row of `case_messages` with the author's name.
#[derive(Debug, sqlx::FromRow)]
pub struct MessageRow {
    id: Uuid,
    case_id: Uuid,
    author_id: Uuid,
    given_names: String,
    family_name: String,
    kind: String,
    at: jiff_sqlx::Timestamp,
    body: String,
    asks_photos: bool,
}

impl TryFrom<MessageRow> for Message {
    type Error = StoreError;
    fn try_from(row: MessageRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: row.id,
            case_id: row.case_id,
            author_id: row.author_id,
            author_name: format!("{} {}", row.given_names, row.family_name),
            kind: row.kind,
            at: row.at.to_jiff(),
            body: row.body,
            asks_photos: row.asks_photos,
            upload_ids: Vec::new(),
        })
    }
}

/// A row of `message_attachments`.
#[derive(Debug, sqlx::FromRow)]
pub struct MessageUploadRow {
    /// The message.
    pub message_id: Uuid,
    /// The file.
    pub upload_id: Uuid,
}

/// A row of `advices` with the author's name and RPPS.
#[derive(Debug, sqlx::FromRow)]
pub struct AdviceRow {
    case_id: Uuid,
    version: i32,
    message_id: Uuid,
    author_id: Uuid,
    given_names: String,
    family_name: String,
    rpps: Option<String>,
    signed_at: jiff_sqlx::Timestamp,
    hypothesis: String,
    icd10: Option<String>,
    management: String,
    visit: String,
    note: String,
}

impl TryFrom<AdviceRow> for AdviceVersion {
    type Error = StoreError;
    fn try_from(row: AdviceRow) -> Result<Self, StoreError> {
        Ok(Self {
            case_id: row.case_id,
            version: row.version,
            message_id: row.message_id,
            author_id: row.author_id,
            author_name: format!("{} {}", row.given_names, row.family_name),
            author_rpps: row.rpps,
            signed_at: row.signed_at.to_jiff(),
            advice: Advice {
                hypothesis: row.hypothesis,
                icd10: optional(row.icd10, "advices.icd10", Icd10::parse)?,
                management: row.management,
                visit: Visit::parse(&row.visit)
                    .ok_or_else(|| corrupt("advices.visit")(&row.visit))?,
                note: row.note,
            },
        })
    }
}

/// A row of `appointments` with the coordinator's name.
#[derive(Debug, sqlx::FromRow)]
pub struct AppointmentRow {
    id: Uuid,
    case_id: Uuid,
    proposed_by: Uuid,
    given_names: String,
    family_name: String,
    proposed_at: jiff_sqlx::Timestamp,
    starts_at: jiff_sqlx::Timestamp,
    place: String,
    instructions: String,
}

impl TryFrom<AppointmentRow> for Appointment {
    type Error = StoreError;
    fn try_from(row: AppointmentRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: row.id,
            case_id: row.case_id,
            proposed_by: row.proposed_by,
            proposed_by_name: format!("{} {}", row.given_names, row.family_name),
            proposed_at: row.proposed_at.to_jiff(),
            starts_at: row.starts_at.to_jiff(),
            place: row.place,
            instructions: row.instructions,
        })
    }
}

/// A row of `reports`.
#[derive(Debug, sqlx::FromRow)]
pub struct ReportRow {
    id: Uuid,
    case_id: Uuid,
    version: i32,
    advice_version: i32,
    blob_key: String,
    size: i64,
    sha256: String,
    created_at: jiff_sqlx::Timestamp,
}

impl TryFrom<ReportRow> for ReportDoc {
    type Error = StoreError;
    fn try_from(row: ReportRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: row.id,
            case_id: row.case_id,
            version: row.version,
            advice_version: row.advice_version,
            blob_key: row.blob_key,
            size: row.size,
            sha256: row.sha256,
            created_at: row.created_at.to_jiff(),
        })
    }
}

/// An id and a label.
#[derive(Debug, sqlx::FromRow)]
pub struct ChoiceRow {
    id: Uuid,
    label: String,
}

impl TryFrom<ChoiceRow> for Choice {
    type Error = StoreError;
    fn try_from(row: ChoiceRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: row.id,
            label: row.label,
        })
    }
}

/// A status and how many requests are in it.
#[derive(Debug, sqlx::FromRow)]
pub struct CountRow {
    /// The status.
    pub status: String,
    /// How many.
    pub n: i64,
}
