//! The background worker of `serve`: claims due jobs from the database
//! with a lease, runs each with its handler, records the outcome, and on
//! shutdown finishes the job in hand and gives the others back. Every node
//! runs one; the database makes sure a job runs on one node at a time.

use std::{sync::Arc, time::Duration};

use consilium_domain::Clock;
use consilium_store::{
    Store, StoreError,
    jobs::{AfterFailure, Job},
    notifications::{DIGEST, EMAIL, EmailPayload, NOTIFY, REMINDER},
};

use crate::mailer::{Mailer, Notice};
use jiff::SignedDuration;
use tokio::sync::watch;

/// How long a node holds the jobs it claimed before others may take them,
/// unless configured (`CONSILIUM_JOB_LEASE`).
const LEASE: SignedDuration = SignedDuration::from_secs(60);
/// How many jobs a node claims at once.
const BATCH: i64 = 10;

/// A worker of one node.
#[derive(Debug, Clone)]
pub struct Worker {
    store: Store,
    clock: Arc<dyn Clock>,
    /// This node's name in the leases.
    owner: String,
    /// Mail, when an SMTP server is configured.
    mailer: Option<Mailer>,
    /// How long claimed jobs are held.
    lease: SignedDuration,
}

impl Worker {
    /// A worker for this process (its name: host, pid and a random part).
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        let owner = format!("{}-{}", std::process::id(), uuid::Uuid::now_v7().simple());
        Self::named(store, clock, owner)
    }

    /// A worker with a given lease owner name (tests).
    pub fn named(store: Store, clock: Arc<dyn Clock>, owner: String) -> Self {
        Self {
            store,
            clock,
            owner,
            mailer: None,
            lease: LEASE,
        }
    }

    /// The same worker, holding claimed jobs for `lease`.
    #[must_use]
    pub fn with_lease(self, lease: std::time::Duration) -> Self {
        let lease = SignedDuration::try_from(lease).unwrap_or(LEASE);
        Self { lease, ..self }
    }

    /// The same worker, also sending notification mail.
    #[must_use]
    pub fn with_mailer(self, mailer: Option<Mailer>) -> Self {
        Self { mailer, ..self }
    }

    /// Claims and runs one batch of due jobs; returns how many ran.
    pub async fn run_once(&self) -> Result<usize, StoreError> {
        let jobs = self
            .store
            .claim_jobs(&self.owner, self.clock.now(), self.lease, BATCH)
            .await?;
        let count = jobs.len();
        for job in jobs {
            self.run_job(&job).await?;
        }
        Ok(count)
    }

    async fn run_job(&self, job: &Job) -> Result<(), StoreError> {
        let outcome = match job.kind.as_str() {
            NOTIFY => self
                .store
                .run_notify(job, self.mailer.is_some(), self.clock.now())
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            REMINDER => self
                .store
                .run_reminder(job, self.mailer.is_some(), self.clock.now())
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            EMAIL => self.mail(job).await,
            DIGEST => self.digest(job).await,
            other => Err(format!("no handler for job kind {other}")),
        };
        let now = self.clock.now();
        match outcome {
            Ok(()) => {
                if !self.store.complete_job(job, &self.owner, now).await? {
                    tracing::warn!(job = %job.id, "job ran after its lease ended; another node may run it again");
                }
            }
            Err(error) => match self.store.job_failed(job, &self.owner, &error, now).await? {
                AfterFailure::RetryAt(at) => {
                    tracing::warn!(job = %job.id, %error, %at, "job failed; will retry")
                }
                AfterFailure::GaveUp => {
                    tracing::error!(job = %job.id, %error, "job failed for good")
                }
                AfterFailure::LeaseLost => {
                    tracing::warn!(job = %job.id, %error, "job failed after its lease ended")
                }
            },
        }
        Ok(())
    }

    /// Sends the mail of an `email` job. Without a mailer (SMTP removed
    /// from the configuration since), the job is dropped as done.
    async fn mail(&self, job: &Job) -> Result<(), String> {
        let Some(mailer) = &self.mailer else {
            return Ok(());
        };
        let payload: EmailPayload =
            serde_json::from_value(job.payload.clone()).map_err(|e| e.to_string())?;
        let Some(person) = self
            .store
            .contact(payload.person_id)
            .await
            .map_err(|e| e.to_string())?
        else {
            return Ok(());
        };
        let name = person.display_name();
        let notice = Notice {
            to: person.email.as_str(),
            name: &name,
            reference: &payload.reference,
            case_id: payload.case_id,
            event: &payload.event,
        };
        mailer.send(&notice).await.map_err(|e| format!("{e:#}"))
    }

    /// Runs a `digest` job: the summary mail, when there is something to
    /// say and somewhere to send it.
    async fn digest(&self, job: &Job) -> Result<(), String> {
        let (person_id, told) = self
            .store
            .run_digest(job, self.clock.now())
            .await
            .map_err(|e| e.to_string())?;
        let (Some(mailer), false) = (&self.mailer, told.is_empty()) else {
            return Ok(());
        };
        let Some(person) = self
            .store
            .contact(person_id)
            .await
            .map_err(|e| e.to_string())?
        else {
            return Ok(());
        };
        let items: Vec<(String, String, uuid::Uuid)> = told
            .into_iter()
            .map(|n| (n.reference, n.event, n.case_id))
            .collect();
        mailer
            .send_digest(person.email.as_str(), &person.display_name(), &items)
            .await
            .map_err(|e| format!("{e:#}"))
    }

    /// Runs until `stop` turns true: polls every second when idle, at once
    /// when a batch was full. On stop, gives back what it still holds.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                break;
            }
            let ran = match self.run_once().await {
                Ok(n) => n,
                Err(error) => {
                    tracing::error!(%error, "job worker: database error");
                    0
                }
            };
            if usize::try_from(BATCH).is_ok_and(|batch| ran >= batch) {
                continue;
            }
            tokio::select! {
                _ = stop.changed() => {}
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
        match self.store.release_jobs(&self.owner).await {
            Ok(n) if n > 0 => tracing::info!(released = n, "job worker stopped; jobs given back"),
            Ok(_) => tracing::info!("job worker stopped"),
            Err(error) => tracing::error!(%error, "job worker: could not give jobs back"),
        }
    }
}
