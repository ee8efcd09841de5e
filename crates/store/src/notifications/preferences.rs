//! What each person wants by mail: every notification at once (the
//! default), some events muted, or one summary a day at 07:00 (Paris)
//! instead. In-app notifications are never muted.

use jiff::{Timestamp, ToSpan, civil::Time};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Notification;
use crate::{
    Store, StoreError,
    auth::Actor,
    jobs::{Job, NewJob, enqueue_in},
};

/// The job kind of the daily summary.
pub const DIGEST: &str = "digest";

/// The most notifications one summary lists.
const DIGEST_LIMIT: i64 = 500;

/// The events one may mute, in the order a form lists them.
pub const EVENTS: [&str; 11] = [
    "submit",
    "assign",
    "take",
    "decline",
    "ask",
    "reply",
    "advise",
    "propose-visit",
    "close",
    "deadline-soon",
    "deadline-passed",
];

/// A person's mail preferences.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Preferences {
    /// Events not mailed.
    pub muted: Vec<String>,
    /// One summary a day instead of a mail per notification.
    pub daily_digest: bool,
}

impl Preferences {
    /// True when `event` is mailed as it happens.
    pub fn mails_at_once(&self, event: &str) -> bool {
        !self.daily_digest && !self.muted.iter().any(|m| m == event)
    }
}

/// What a `digest` job carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestPayload {
    /// Whose.
    pub person_id: Uuid,
    /// The summary covers what came since then.
    pub since: Timestamp,
}

/// The next 07:00 in Paris after `now`.
pub fn next_digest_time(now: Timestamp) -> Result<Timestamp, StoreError> {
    let paris = jiff::tz::TimeZone::get("Europe/Paris").map_err(StoreError::internal)?;
    let local = now.to_zoned(paris.clone());
    let today = local
        .date()
        .to_datetime(Time::constant(7, 0, 0, 0))
        .to_zoned(paris)
        .map_err(StoreError::internal)?;
    let at = if today.timestamp() > now {
        today
    } else {
        today.checked_add(1.day()).map_err(StoreError::internal)?
    };
    Ok(at.timestamp())
}

async fn schedule_digest(
    tx: &mut dyn crate::Tx,
    person_id: Uuid,
    since: Timestamp,
    now: Timestamp,
) -> Result<(), StoreError> {
    let due_at = next_digest_time(now)?;
    let payload = DigestPayload { person_id, since };
    let job = NewJob {
        kind: DIGEST.to_owned(),
        payload: serde_json::to_value(payload).map_err(StoreError::internal)?,
        dedupe_key: Some(format!("digest:{person_id}:{due_at}")),
        due_at,
        max_attempts: 8,
    };
    enqueue_in(tx, &job, now).await.map(drop)
}

impl Store {
    /// The actor's mail preferences.
    pub async fn preferences(&self, actor: &Actor) -> Result<Preferences, StoreError> {
        self.backend()
            .begin()
            .await?
            .preferences(actor.caller.person_id)
            .await
    }

    /// Saves the actor's mail preferences; choosing the daily summary
    /// schedules the next one.
    pub async fn set_preferences(
        &self,
        actor: &Actor,
        preferences: &Preferences,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let muted: Vec<String> = preferences
            .muted
            .iter()
            .filter(|e| EVENTS.contains(&e.as_str()))
            .cloned()
            .collect();
        let clean = Preferences {
            muted,
            daily_digest: preferences.daily_digest,
        };
        let mut tx = self.backend().begin().await?;
        tx.put_preferences(actor.caller.person_id, &clean).await?;
        if clean.daily_digest {
            schedule_digest(tx.as_mut(), actor.caller.person_id, now, now).await?;
        }
        tx.commit().await
    }

    /// Runs a `digest` job: what the person was told since the last one
    /// (nothing when they no longer want a digest), and schedules the next.
    pub async fn run_digest(
        &self,
        job: &Job,
        now: Timestamp,
    ) -> Result<(Uuid, Vec<Notification>), StoreError> {
        let payload: DigestPayload =
            serde_json::from_value(job.payload.clone()).map_err(StoreError::internal)?;
        let mut tx = self.backend().begin().await?;
        let preferences = tx.preferences(payload.person_id).await?;
        if !preferences.daily_digest {
            return Ok((payload.person_id, Vec::new()));
        }
        // Compared here, not in SQL: SQLite keeps times as text.
        let mut told: Vec<Notification> = tx
            .notifications_of(payload.person_id, DIGEST_LIMIT)
            .await?
            .into_iter()
            .filter(|n| n.created_at >= payload.since && !preferences.muted.contains(&n.event))
            .collect();
        told.reverse();
        schedule_digest(tx.as_mut(), payload.person_id, now, now).await?;
        tx.commit().await?;
        Ok((payload.person_id, told))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_digest_comes_at_seven_in_paris_in_summer_and_winter() {
        // 08:00 Paris (UTC+1) on 23 November: the next is the 24th, 06:00 UTC.
        assert_eq!(
            next_digest_time(at("2026-11-23T07:00:00Z")).ok(),
            Some(at("2026-11-24T06:00:00Z"))
        );
        // 05:00 UTC on 23 November is 06:00 in Paris: today at 07:00.
        assert_eq!(
            next_digest_time(at("2026-11-23T05:00:00Z")).ok(),
            Some(at("2026-11-23T06:00:00Z"))
        );
        // Saturday 24 October (UTC+2) → Sunday 25 after the change (UTC+1).
        assert_eq!(
            next_digest_time(at("2026-10-24T06:00:00Z")).ok(),
            Some(at("2026-10-25T06:00:00Z"))
        );
        assert_eq!(
            next_digest_time(at("2026-07-01T04:00:00Z")).ok(),
            Some(at("2026-07-01T05:00:00Z"))
        );
    }
}
