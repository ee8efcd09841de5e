//! Several `consilium serve` nodes on one PostgreSQL database, mailing
//! notifications to a real SMTP server: every job runs once, and a node
//! killed (`kill -9`) while holding jobs loses them, after its lease, to a
//! node that sends each mail once.

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use base64::Engine;
use consilium_blobs::testdata;
use serde_json::Value;
use sqlx::Connection;

use crate::{
    helpers::fhir::bundle,
    helpers::{
        binary::{Server, http, token},
        postgres::PgDatabase,
        smtp::Smtp,
    },
};

/// A request filed by transaction, with one small inline photo.
fn request_bundle() -> Value {
    let inline = base64::engine::general_purpose::STANDARD.encode(testdata::jpeg_with_gps(64, 48));
    let mut body = bundle(true, "unused", &inline);
    if let Some(entries) = body["entry"].as_array_mut() {
        entries.retain(|e| e["fullUrl"] != "urn:uuid:media-1");
    }
    body
}

/// Files `count` requests, spread over `nodes`, eight at a time (a burst of
/// GPs, not a flood: each request ingests a photo and waits its turn at the
/// audit chain).
async fn file_requests(nodes: &[&str], token: &str, count: usize) {
    let body = request_bundle().to_string();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..count {
        if tasks.len() >= 8 {
            tasks.join_next().await.unwrap().unwrap();
        }
        let addr = nodes[n % nodes.len()].to_owned();
        let (token, body) = (token.to_owned(), body.clone());
        tasks.spawn(async move {
            let headers = [
                ("authorization", format!("Bearer {token}")),
                ("content-type", "application/fhir+json".to_owned()),
                ("idempotency-key", format!("cluster-{n}")),
            ];
            let (status, _, response) =
                http(&addr, "POST", "/fhir/r4", &headers, body.as_bytes()).await;
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&response));
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
}

/// Waits (up to two minutes) until `smtp` holds `count` mails; returns how
/// many times each (recipient, subject) arrived.
async fn mails(smtp: &Smtp, count: usize) -> HashMap<(String, String), usize> {
    let started = Instant::now();
    loop {
        let messages = smtp.messages();
        if messages.len() >= count || started.elapsed() > Duration::from_secs(120) {
            let mut seen = HashMap::new();
            for m in messages {
                let key = (
                    m["to"].as_str().unwrap().to_owned(),
                    m["subject"].as_str().unwrap().to_owned(),
                );
                *seen.entry(key).or_insert(0) += 1;
            }
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Seeds the demo region with a node that sends no mail, and waits until
/// the demo's own notifications are done: the mails counted next are the
/// test's alone.
async fn seed_demo(flags: &[String], url: &str) {
    let seeding = Server::start(flags, &["--demo"]).await;
    let due = "SELECT COUNT(*) FROM jobs WHERE kind IN ('notify', 'email') AND state = 'pending' AND due_at <= now()";
    let started = Instant::now();
    while pending_jobs(url, due).await > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the demo's jobs never ran"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(seeding.stop().await.0);
}

async fn pending_jobs(url: &str, sql: &str) -> i64 {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn two_nodes_run_every_job_once() {
    let Some(db) = PgDatabase::fresh().await else {
        return;
    };
    let Some(smtp) = Smtp::start() else {
        return db.drop().await;
    };
    let dir = tempfile::tempdir().unwrap();
    let flags = vec![
        "--data-dir".to_owned(),
        dir.path().display().to_string(),
        "--database-url".to_owned(),
        db.url.clone(),
    ];
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    seed_demo(&flags, &db.url).await;
    let a = Server::start(&flags, &["--smtp-url", &smtp_url]).await;
    let b = Server::start(&flags, &["--smtp-url", &smtp_url]).await;
    let claire = token(&flags, "claire.martin@demo.test").await;
    file_requests(&[&a.addr, &b.addr], &claire, 200).await;

    // Each request tells the team (two dermatologists and the coordinator).
    let seen = mails(&smtp, 600).await;
    assert_eq!(seen.len(), 600, "600 distinct mails");
    assert!(
        seen.values().all(|n| *n == 1),
        "none twice: {:?}",
        seen.values().max()
    );
    let left = pending_jobs(
        &db.url,
        "SELECT COUNT(*) FROM jobs WHERE kind IN ('notify', 'email') AND state <> 'done'",
    )
    .await;
    assert_eq!(left, 0, "every notify and email job done");
    assert!(a.stop().await.0 && b.stop().await.0, "both stop cleanly");
    db.drop().await;
}

#[tokio::test]
async fn a_killed_node_loses_its_jobs_to_another_which_sends_each_mail_once() {
    let Some(db) = PgDatabase::fresh().await else {
        return;
    };
    let Some(smtp) = Smtp::start() else {
        return db.drop().await;
    };
    // A mail server that accepts connections and never answers: the first
    // node hangs mid-send, holding the jobs it claimed.
    let black_hole = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hole = black_hole.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let held: Vec<_> = black_hole.incoming().collect();
        drop(held);
    });
    let dir = tempfile::tempdir().unwrap();
    let flags = vec![
        "--data-dir".to_owned(),
        dir.path().display().to_string(),
        "--database-url".to_owned(),
        db.url.clone(),
    ];
    let lease = [("CONSILIUM_JOB_LEASE", "3s")];
    let hung = format!("smtp://127.0.0.1:{hole}");
    seed_demo(&flags, &db.url).await;
    let a = Server::start_with_env(&flags, &["--smtp-url", &hung], &lease).await;
    let claire = token(&flags, "claire.martin@demo.test").await;
    file_requests(&[&a.addr], &claire, 5).await;
    let started = Instant::now();
    let held = "SELECT COUNT(*) FROM jobs WHERE kind = 'email' AND lease_owner IS NOT NULL AND state = 'pending'";
    while pending_jobs(&db.url, held).await == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the first node never held a mail job"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    a.kill9().await;

    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let b = Server::start_with_env(&flags, &["--smtp-url", &smtp_url], &lease).await;
    let seen = mails(&smtp, 15).await;
    assert_eq!(
        seen.len(),
        15,
        "every mail of the five requests, the dead node's included"
    );
    assert!(seen.values().all(|n| *n == 1), "none twice");
    let left = pending_jobs(
        &db.url,
        "SELECT COUNT(*) FROM jobs WHERE kind = 'email' AND state <> 'done'",
    )
    .await;
    assert_eq!(left, 0);
    assert!(b.stop().await.0);
    db.drop().await;
}
