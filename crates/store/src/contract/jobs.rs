//! Background jobs, on every backend: a due job is leased to one node at a
//! time, runs again after a lease ends, backs off when it fails, and gives
//! up after its last attempt.

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use super::now;
use crate::{
    Store,
    jobs::{AfterFailure, NewJob},
};

fn job(kind: &str, key: Option<&str>, due_at: Timestamp, max_attempts: i32) -> NewJob {
    NewJob {
        kind: kind.into(),
        payload: serde_json::json!({ "n": 1 }),
        dedupe_key: key.map(str::to_owned),
        due_at,
        max_attempts,
    }
}

fn secs(n: i64) -> Timestamp {
    now() + SignedDuration::from_secs(n)
}

const LEASE: SignedDuration = SignedDuration::from_secs(60);

pub async fn a_job_is_leased_to_one_node_at_a_time(store: Store) {
    let first = store
        .enqueue(&job("a", Some("k"), now(), 5), now())
        .await
        .unwrap();
    assert!(first.is_some());
    assert_eq!(
        store
            .enqueue(&job("a", Some("k"), now(), 5), now())
            .await
            .unwrap(),
        None,
        "the same dedupe key enqueues once"
    );
    store
        .enqueue(&job("b", None, now(), 5), now())
        .await
        .unwrap();
    store
        .enqueue(&job("later", None, secs(3600), 5), now())
        .await
        .unwrap();

    let a = store.claim_jobs("node-a", now(), LEASE, 10).await.unwrap();
    assert_eq!(
        a.iter().map(|j| j.kind.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(a[0].payload, serde_json::json!({ "n": 1 }));
    assert_eq!(a[0].attempts, 1);
    assert!(
        store
            .claim_jobs("node-b", secs(30), LEASE, 10)
            .await
            .unwrap()
            .is_empty(),
        "leased"
    );

    // node-a dies: once its lease ends, node-b takes its jobs.
    let b = store
        .claim_jobs("node-b", secs(60), LEASE, 10)
        .await
        .unwrap();
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].attempts, 2);
    assert!(
        !store.complete_job(&a[0], "node-a", secs(61)).await.unwrap(),
        "lease lost"
    );
    assert!(store.complete_job(&b[0], "node-b", secs(61)).await.unwrap());
    assert!(
        !store.complete_job(&b[0], "node-b", secs(62)).await.unwrap(),
        "done once"
    );
    assert_eq!(
        store.job_status(b[0].id).await.unwrap().unwrap().state,
        "done"
    );

    // A graceful stop gives jobs back, the attempt uncounted.
    assert_eq!(store.release_jobs("node-b").await.unwrap(), 1);
    let again = store
        .claim_jobs("node-c", secs(62), LEASE, 10)
        .await
        .unwrap();
    assert_eq!((again.len(), again[0].attempts), (1, 2));
    assert!(
        store
            .complete_job(&again[0], "node-c", secs(63))
            .await
            .unwrap()
    );
    let later = store
        .claim_jobs("node-c", secs(3600), LEASE, 10)
        .await
        .unwrap();
    assert_eq!(
        later.iter().map(|j| j.kind.as_str()).collect::<Vec<_>>(),
        ["later"]
    );
}

pub async fn a_failing_job_backs_off_then_gives_up(store: Store) {
    let id = store
        .enqueue(&job("flaky", None, now(), 3), now())
        .await
        .unwrap()
        .unwrap();
    let claimed = store.claim_jobs("n", now(), LEASE, 1).await.unwrap();
    assert_eq!(
        store
            .job_failed(&claimed[0], "n", "SMTP 451", now())
            .await
            .unwrap(),
        AfterFailure::RetryAt(secs(30))
    );
    assert!(
        store
            .claim_jobs("n", secs(29), LEASE, 1)
            .await
            .unwrap()
            .is_empty(),
        "not before the retry"
    );
    let second = store.claim_jobs("n", secs(30), LEASE, 1).await.unwrap();
    assert_eq!(
        store
            .job_failed(&second[0], "n", "SMTP 451", secs(30))
            .await
            .unwrap(),
        AfterFailure::RetryAt(secs(90))
    );
    let third = store.claim_jobs("n", secs(90), LEASE, 1).await.unwrap();
    assert_eq!(third[0].attempts, 3);
    assert_eq!(
        store
            .job_failed(&third[0], "n", "SMTP 550", secs(90))
            .await
            .unwrap(),
        AfterFailure::GaveUp
    );
    let status = store.job_status(id).await.unwrap().unwrap();
    assert_eq!(
        (status.state.as_str(), status.last_error.as_deref()),
        ("failed", Some("SMTP 550"))
    );
    assert!(
        store
            .claim_jobs("n", secs(100_000), LEASE, 1)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .job_failed(&third[0], "n", "late", secs(91))
            .await
            .unwrap(),
        AfterFailure::LeaseLost,
        "a failed job records nothing more"
    );
}

pub async fn concurrent_claimers_never_share_a_job(store: Store) {
    for n in 0..40 {
        store
            .enqueue(&job(&format!("j{n}"), None, now(), 5), now())
            .await
            .unwrap();
    }
    let (a, b, c, d) = tokio::join!(
        store.claim_jobs("a", now(), LEASE, 15),
        store.claim_jobs("b", now(), LEASE, 15),
        store.claim_jobs("c", now(), LEASE, 15),
        store.claim_jobs("d", now(), LEASE, 15),
    );
    let ids: Vec<Uuid> = [a, b, c, d]
        .into_iter()
        .flat_map(|claimed| claimed.unwrap())
        .map(|j| j.id)
        .collect();
    let distinct: HashSet<&Uuid> = ids.iter().collect();
    assert_eq!(ids.len(), 40, "every due job claimed");
    assert_eq!(distinct.len(), 40, "none claimed twice");
}
