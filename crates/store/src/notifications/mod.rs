//! In-app notifications of a request's steps: each step enqueues a
//! `notify` job in its own transaction; the job (run by any node's worker)
//! writes one notification per person who must act or know. A job run twice
//! notifies once. Notifications carry the request's short reference only —
//! never a patient's name or clinical content.

use async_trait::async_trait;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod preferences;

pub use preferences::{DIGEST, DigestPayload, EVENTS, Preferences, next_digest_time};

use crate::{
    Store, StoreError, Tx,
    auth::Actor,
    jobs::{Job, NewJob, enqueue_in},
};

/// The job kind that makes notifications.
pub const NOTIFY: &str = "notify";
/// The job kind that mails one notification.
pub const EMAIL: &str = "email";

/// What an `email` job carries: whom to tell what about which request —
/// the reference, never the patient or clinical content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailPayload {
    /// The recipient.
    pub person_id: Uuid,
    /// The request (for the link).
    pub case_id: Uuid,
    /// Its short reference.
    pub reference: String,
    /// The step.
    pub event: String,
}

/// What a `notify` job carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyPayload {
    /// The request.
    pub case_id: Uuid,
    /// The step (`submit`, `take`, `ask`…).
    pub event: String,
    /// Who took it (not notified of their own step).
    pub actor_id: Uuid,
}

/// A notification as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    /// Its id.
    pub id: Uuid,
    /// The request.
    pub case_id: Uuid,
    /// Its short reference.
    pub reference: String,
    /// The step.
    pub event: String,
    /// When.
    pub created_at: Timestamp,
    /// When it was read.
    pub read_at: Option<Timestamp>,
}

/// Who hears of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The experts of the team and the centre's coordinators.
    Team,
    /// The requester who filed it.
    Requester,
    /// The expert who owns it.
    Owner,
    /// The centre's coordinators.
    Coordinators,
    /// The expert who owns it, or the whole team while nobody does.
    OwnerOrTeam,
}

/// Who hears of each step.
pub fn audiences(event: &str) -> &'static [Audience] {
    match event {
        "submit" => &[Audience::Team],
        "take" | "ask" | "advise" | "propose-visit" => &[Audience::Requester],
        "decline" => &[Audience::Requester, Audience::Coordinators, Audience::Team],
        // The visit may have changed: who organises it hears of it too.
        "advise-corrected" => &[Audience::Requester, Audience::Coordinators],
        "assign" | "reply" | "close" => &[Audience::Owner],
        "deadline-soon" => &[Audience::OwnerOrTeam],
        "deadline-passed" => &[Audience::Coordinators, Audience::Owner],
        _ => &[],
    }
}

/// The notification primitives.
#[async_trait]
pub trait NotificationTx: Send {
    /// The people an audience of a request is made of.
    async fn audience(
        &mut self,
        case_id: Uuid,
        audience: Audience,
    ) -> Result<Vec<Uuid>, StoreError>;
    /// Adds a notification unless this job already made one for this person.
    async fn insert_notification(
        &mut self,
        person_id: Uuid,
        notification: &Notification,
        source_job: Uuid,
    ) -> Result<bool, StoreError>;
    /// A person's latest notifications, newest first.
    async fn notifications_of(
        &mut self,
        person_id: Uuid,
        limit: i64,
    ) -> Result<Vec<Notification>, StoreError>;
    /// How many a person has not read.
    async fn unread_count(&mut self, person_id: Uuid) -> Result<i64, StoreError>;
    /// Marks all of a person's notifications read.
    async fn mark_read(&mut self, person_id: Uuid, now: Timestamp) -> Result<u64, StoreError>;
    /// A person's mail preferences (the defaults when never set).
    async fn preferences(&mut self, person_id: Uuid) -> Result<Preferences, StoreError>;
    /// Replaces a person's mail preferences.
    async fn put_preferences(
        &mut self,
        person_id: Uuid,
        preferences: &Preferences,
    ) -> Result<(), StoreError>;
}

/// What a `reminder` job carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderPayload {
    /// The request.
    pub case_id: Uuid,
    /// `deadline-soon` or `deadline-passed`.
    pub event: String,
    /// The deadline it was set for: a moved or stopped clock makes it moot.
    pub deadline: Timestamp,
}

/// The job kind of deadline reminders.
pub const REMINDER: &str = "reminder";

/// How long before the deadline the reminder comes.
pub const REMIND_BEFORE: jiff::SignedDuration = jiff::SignedDuration::from_hours(12);

/// Schedules the reminder (12 h before) and the escalation (at the
/// deadline) of a request's new deadline, inside the transaction that set it.
pub(crate) async fn schedule_reminders(
    tx: &mut dyn Tx,
    case_id: Uuid,
    deadline: Timestamp,
    now: Timestamp,
) -> Result<(), StoreError> {
    let soon = deadline
        .checked_sub(REMIND_BEFORE)
        .map_err(StoreError::internal)?
        .max(now);
    for (event, due_at) in [("deadline-soon", soon), ("deadline-passed", deadline)] {
        let payload = ReminderPayload {
            case_id,
            event: event.to_owned(),
            deadline,
        };
        let job = NewJob {
            kind: REMINDER.to_owned(),
            payload: serde_json::to_value(payload).map_err(StoreError::internal)?,
            dedupe_key: Some(format!("{event}:{case_id}:{deadline}")),
            due_at,
            max_attempts: 8,
        };
        enqueue_in(tx, &job, now).await?;
    }
    Ok(())
}

/// Who is told what, by which job.
struct Telling<'a> {
    job: &'a Job,
    event: &'a str,
    /// Not told of their own step.
    author: Option<Uuid>,
    email: bool,
    now: Timestamp,
}

/// Writes the notifications (and mail jobs) of `told` about `case`.
async fn tell(
    tx: &mut dyn Tx,
    case: &crate::cases::CaseView,
    told: &Telling<'_>,
) -> Result<usize, StoreError> {
    let mut people = Vec::new();
    for audience in audiences(told.event) {
        people.extend(tx.audience(case.id, *audience).await?);
    }
    people.sort_unstable();
    people.dedup();
    people.retain(|p| Some(*p) != told.author);
    let mut made = 0;
    for person in people {
        let one = Notification {
            id: Uuid::now_v7(),
            case_id: case.id,
            reference: case.reference.clone(),
            event: told.event.to_owned(),
            created_at: told.now,
            read_at: None,
        };
        made += usize::from(tx.insert_notification(person, &one, told.job.id).await?);
        if told.email && tx.preferences(person).await?.mails_at_once(told.event) {
            let payload = EmailPayload {
                person_id: person,
                case_id: case.id,
                reference: case.reference.clone(),
                event: told.event.to_owned(),
            };
            let mail = NewJob {
                kind: EMAIL.to_owned(),
                payload: serde_json::to_value(payload).map_err(StoreError::internal)?,
                dedupe_key: Some(format!("email:{}:{person}", told.job.id)),
                due_at: told.now,
                max_attempts: 8,
            };
            enqueue_in(tx, &mail, told.now).await?;
        }
    }
    Ok(made)
}

/// Enqueues the notification of `event` inside the step's transaction.
pub(crate) async fn enqueue_notify(
    tx: &mut dyn Tx,
    actor: &Actor,
    case_id: Uuid,
    event: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    if audiences(event).is_empty() {
        return Ok(());
    }
    let payload = NotifyPayload {
        case_id,
        event: event.to_owned(),
        actor_id: actor.caller.person_id,
    };
    let job = NewJob {
        kind: NOTIFY.to_owned(),
        payload: serde_json::to_value(payload).map_err(StoreError::internal)?,
        dedupe_key: None,
        due_at: now,
        max_attempts: 8,
    };
    enqueue_in(tx, &job, now).await.map(drop)
}

impl Store {
    /// Runs a `notify` job: one notification per person of the step's
    /// audiences but its author, and with `email`, one `email` job each
    /// (keyed by this job and the person, so enqueued once). Idempotent.
    pub async fn run_notify(
        &self,
        job: &Job,
        email: bool,
        now: Timestamp,
    ) -> Result<usize, StoreError> {
        let payload: NotifyPayload =
            serde_json::from_value(job.payload.clone()).map_err(StoreError::internal)?;
        let mut tx = self.backend().begin().await?;
        let Some(case) = tx.case_view(payload.case_id).await? else {
            return Ok(0);
        };
        let told = Telling {
            job,
            event: &payload.event,
            author: Some(payload.actor_id),
            email,
            now,
        };
        let made = tell(tx.as_mut(), &case, &told).await?;
        tx.commit().await?;
        Ok(made)
    }

    /// Runs a `reminder` job: when the request still has the deadline the
    /// reminder was set for (not answered, not on hold, not moved), tells
    /// who must act that it is near, or the coordinators that it passed.
    pub async fn run_reminder(
        &self,
        job: &Job,
        email: bool,
        now: Timestamp,
    ) -> Result<usize, StoreError> {
        let payload: ReminderPayload =
            serde_json::from_value(job.payload.clone()).map_err(StoreError::internal)?;
        let mut tx = self.backend().begin().await?;
        let Some(case) = tx.case_view(payload.case_id).await? else {
            return Ok(0);
        };
        let still_due = case.deadline == Some(payload.deadline)
            && !case.answered
            && consilium_domain::expertise::TaskStatus::parse(&case.status).is_some_and(|s| {
                s.is_open() && s != consilium_domain::expertise::TaskStatus::OnHold
            });
        if !still_due {
            return Ok(0);
        }
        let told = Telling {
            job,
            event: &payload.event,
            author: None,
            email,
            now,
        };
        let made = tell(tx.as_mut(), &case, &told).await?;
        tx.commit().await?;
        Ok(made)
    }

    /// A person's e-mail address and name, for mailing them.
    pub async fn contact(&self, person_id: Uuid) -> Result<Option<crate::Person>, StoreError> {
        Ok(self
            .backend()
            .begin()
            .await?
            .person(person_id)
            .await?
            .filter(|p| p.active))
    }

    /// The actor's latest notifications, newest first.
    pub async fn notifications(
        &self,
        actor: &Actor,
        limit: i64,
    ) -> Result<Vec<Notification>, StoreError> {
        self.backend()
            .begin()
            .await?
            .notifications_of(actor.caller.person_id, limit)
            .await
    }

    /// How many notifications the actor has not read.
    pub async fn unread_notifications(&self, actor: &Actor) -> Result<i64, StoreError> {
        self.backend()
            .begin()
            .await?
            .unread_count(actor.caller.person_id)
            .await
    }

    /// Marks the actor's notifications read.
    pub async fn mark_notifications_read(
        &self,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        let mut tx = self.backend().begin().await?;
        let n = tx.mark_read(actor.caller.person_id, now).await?;
        tx.commit().await?;
        Ok(n)
    }
}
