//! Background jobs, in the database so that any node may run any job and a
//! job runs once: a node *claims* due jobs with a lease (PostgreSQL
//! `FOR UPDATE SKIP LOCKED`, SQLite's one writer at a time), then marks each
//! done, or failed with a retry after a growing delay. A node that dies
//! holding jobs loses them when its lease ends; another node takes them.
//! Handlers must be idempotent: a job whose handler ran but whose
//! completion was not recorded runs again.

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp, Unit};
use serde::Serialize;
use uuid::Uuid;

use crate::{Store, StoreError};

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// What runs it (a handler's name, e.g. `uploads.sweep`).
    pub kind: String,
    /// Its input.
    pub payload: serde_json::Value,
    /// The same key enqueues once (a scheduled run, one notification).
    pub dedupe_key: Option<String>,
    /// Not before.
    pub due_at: Timestamp,
    /// How many runs before it is marked failed.
    pub max_attempts: i32,
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    /// Its id.
    pub id: Uuid,
    /// Its kind.
    pub kind: String,
    /// Its input.
    pub payload: serde_json::Value,
    /// Runs so far, this one included.
    pub attempts: i32,
    /// Runs allowed.
    pub max_attempts: i32,
}

/// Where a job stands (for operators and tests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobStatus {
    /// `pending`, `done` or `failed`.
    pub state: String,
    /// Runs so far.
    pub attempts: i32,
    /// When it is due (next).
    pub due_at: Timestamp,
    /// The last failure.
    pub last_error: Option<String>,
}

/// What happened to a job that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// It runs again, not before then.
    RetryAt(Timestamp),
    /// It will not run again.
    GaveUp,
    /// The lease was lost (another node has it): nothing recorded.
    LeaseLost,
}

/// The job primitives.
#[async_trait]
pub trait JobTx: Send {
    /// Adds a job; false when its dedupe key exists.
    async fn insert_job(
        &mut self,
        id: Uuid,
        job: &NewJob,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Leases up to `limit` due, unleased (or lease-expired) pending jobs to `owner`.
    async fn claim_jobs(
        &mut self,
        owner: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<Job>, StoreError>;
    /// Marks a job done if `owner` still holds it.
    async fn finish_job(
        &mut self,
        id: Uuid,
        owner: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Records a failure; `retry_at` (pending again) or none (failed).
    async fn fail_job(
        &mut self,
        id: Uuid,
        owner: &str,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Gives back the jobs `owner` holds, uncounted (graceful shutdown).
    async fn release_jobs(&mut self, owner: &str) -> Result<u64, StoreError>;
    /// A job's state.
    async fn job_status(&mut self, id: Uuid) -> Result<Option<JobStatus>, StoreError>;
}

/// Whole seconds: stored as text on SQLite, text order is time order.
fn second(at: Timestamp) -> Result<Timestamp, StoreError> {
    at.round(Unit::Second).map_err(StoreError::internal)
}

/// 30 s, 1 min, 2 min… up to an hour.
fn backoff(attempts: i32) -> SignedDuration {
    let exponent = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    SignedDuration::from_secs((30_i64 << exponent).min(3600))
}

impl Store {
    /// Enqueues a job in its own transaction (a scheduled run); returns its
    /// id, or `None` when its dedupe key was already used.
    pub async fn enqueue(&self, job: &NewJob, now: Timestamp) -> Result<Option<Uuid>, StoreError> {
        let mut tx = self.backend().begin().await?;
        let id = enqueue_in(tx.as_mut(), job, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Leases up to `limit` due jobs (soonest due first) to `owner` for
    /// `lease`, returned in the order they were enqueued.
    pub async fn claim_jobs(
        &self,
        owner: &str,
        now: Timestamp,
        lease: SignedDuration,
        limit: i64,
    ) -> Result<Vec<Job>, StoreError> {
        let now = second(now)?;
        let until = second(now.checked_add(lease).map_err(StoreError::internal)?)?;
        let mut tx = self.backend().begin().await?;
        let mut jobs = tx.claim_jobs(owner, now, until, limit).await?;
        tx.commit().await?;
        // `RETURNING` has no order: run them in the order they were enqueued.
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }

    /// Records that `owner` ran `job`; false when its lease was lost.
    pub async fn complete_job(
        &self,
        job: &Job,
        owner: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.backend().begin().await?;
        let done = tx.finish_job(job.id, owner, now).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Records that `job` failed: it runs again after a growing delay, or
    /// is marked failed after its last attempt.
    pub async fn job_failed(
        &self,
        job: &Job,
        owner: &str,
        error: &str,
        now: Timestamp,
    ) -> Result<AfterFailure, StoreError> {
        let retry_at = (job.attempts < job.max_attempts)
            .then(|| {
                second(
                    now.checked_add(backoff(job.attempts))
                        .map_err(StoreError::internal)?,
                )
            })
            .transpose()?;
        let error: String = error.chars().take(2000).collect();
        let mut tx = self.backend().begin().await?;
        let recorded = tx.fail_job(job.id, owner, &error, retry_at, now).await?;
        tx.commit().await?;
        Ok(match (recorded, retry_at) {
            (false, _) => AfterFailure::LeaseLost,
            (true, Some(at)) => AfterFailure::RetryAt(at),
            (true, None) => AfterFailure::GaveUp,
        })
    }

    /// Gives back the jobs `owner` holds without counting the attempt.
    pub async fn release_jobs(&self, owner: &str) -> Result<u64, StoreError> {
        let mut tx = self.backend().begin().await?;
        let released = tx.release_jobs(owner).await?;
        tx.commit().await?;
        Ok(released)
    }

    /// Where a job stands.
    pub async fn job_status(&self, id: Uuid) -> Result<Option<JobStatus>, StoreError> {
        self.backend().begin().await?.job_status(id).await
    }
}

/// Enqueues inside `tx`, so the job exists if and only if the change that
/// causes it commits.
pub(crate) async fn enqueue_in(
    tx: &mut dyn crate::Tx,
    job: &NewJob,
    now: Timestamp,
) -> Result<Option<Uuid>, StoreError> {
    let job = NewJob {
        due_at: second(job.due_at)?,
        ..job.clone()
    };
    let id = Uuid::now_v7();
    Ok(tx.insert_job(id, &job, now).await?.then_some(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_stops_at_an_hour() {
        let secs: Vec<i64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }
}
