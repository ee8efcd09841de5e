//! Rows of `jobs`.

use uuid::Uuid;

use crate::{
    StoreError,
    jobs::{Job, JobStatus},
};

/// A claimed job.
#[derive(Debug, sqlx::FromRow)]
pub struct JobRow {
    id: Uuid,
    kind: String,
    payload: String,
    attempts: i32,
    max_attempts: i32,
}

impl TryFrom<JobRow> for Job {
    type Error = StoreError;
    fn try_from(row: JobRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: row.id,
            kind: row.kind,
            payload: serde_json::from_str(&row.payload).map_err(super::corrupt("jobs.payload"))?,
            attempts: row.attempts,
            max_attempts: row.max_attempts,
        })
    }
}

/// A job's state.
#[derive(Debug, sqlx::FromRow)]
pub struct JobStatusRow {
    state: String,
    attempts: i32,
    due_at: jiff_sqlx::Timestamp,
    last_error: Option<String>,
}

impl TryFrom<JobStatusRow> for JobStatus {
    type Error = StoreError;
    fn try_from(row: JobStatusRow) -> Result<Self, StoreError> {
        Ok(Self {
            state: row.state,
            attempts: row.attempts,
            due_at: row.due_at.to_jiff(),
            last_error: row.last_error,
        })
    }
}

/// A row of `notifications`.
#[derive(Debug, sqlx::FromRow)]
pub struct NotificationRow {
    id: Uuid,
    case_id: Uuid,
    reference: String,
    event: String,
    created_at: jiff_sqlx::Timestamp,
    read_at: Option<jiff_sqlx::Timestamp>,
}

impl TryFrom<NotificationRow> for crate::notifications::Notification {
    type Error = StoreError;
    fn try_from(row: NotificationRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: row.id,
            case_id: row.case_id,
            reference: row.reference,
            event: row.event,
            created_at: row.created_at.to_jiff(),
            read_at: row.read_at.map(|t| t.to_jiff()),
        })
    }
}
