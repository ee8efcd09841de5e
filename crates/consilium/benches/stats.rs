//! The regional dashboard over a million requests: synthetic history
//! written in bulk, then the dashboard's queries (`Store::dashboard`) and
//! the whole page (`GET /stats`: queries, two SVG charts, rendering) timed
//! in-process, on SQLite and on PostgreSQL. Also the demo region's size.
//!
//! `cargo bench -p consilium --bench stats` (PostgreSQL from
//! `CONSILIUM_TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`;
//! skipped with a message when unreachable). `BENCH_CASES` changes the count.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::{str::FromStr, time::Instant};

use axum::{
    body::Body,
    http::{Request, header},
};
use common::{app, now, settings, time, time_calls};
use consilium_domain::{
    Email,
    directory::OrganizationKind,
    stats::{Period, synthetic::Plan},
};
use consilium_store::{
    Store,
    audit::ClientInfo,
    stats::{StatsFilter, StatsScope},
};
use jiff::SignedDuration;
use sqlx::Connection;
use uuid::Uuid;

const ADMIN: &str = "helene.garnier@demo.test";

async fn measure(backend: &str, store: Store, count: usize) {
    let (router, _blobs) = app(store.clone()).await;
    let started = Instant::now();
    let plan = Plan {
        seed: 2026,
        requests: count,
        patients: (count / 4).max(100),
        until: now(),
        days: 365,
    };
    store.insert_synthetic_history(&plan).await.unwrap();
    println!(
        "{backend}: {count} synthetic requests written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let email = Email::parse(ADMIN).unwrap();
    let (token, _) = store
        .create_token(&email, SignedDuration::from_hours(1), "bench", now())
        .await
        .unwrap();
    let actor = store
        .token_actor(&token, &ClientInfo::default(), now())
        .await
        .unwrap();
    let year = Period::last_year(now());
    let filters = [
        (
            "regional dashboard queries (12 months)",
            StatsFilter::all(year),
        ),
        (
            "  … dermatology only",
            StatsFilter {
                specialty: Some("394582007".into()),
                ..StatsFilter::all(year)
            },
        ),
        (
            "  … nursing homes only",
            StatsFilter {
                site_kind: Some(OrganizationKind::NursingHome),
                ..StatsFilter::all(year)
            },
        ),
    ];
    for (label, filter) in filters {
        time_calls(label, || {
            let (store, actor, filter) = (store.clone(), actor.clone(), filter.clone());
            async move {
                let board = store
                    .dashboard(&actor, StatsScope::Region, filter, now())
                    .await
                    .unwrap();
                assert!(board.requests > 0);
            }
        })
        .await;
    }
    let bearer = format!("Bearer {}", token.expose());
    time("page  GET /stats (queries, charts, HTML)", &router, || {
        Request::get("/stats")
            .header(header::AUTHORIZATION, &bearer)
            .body(Body::empty())
            .unwrap()
    })
    .await;
    time("CSV   GET /stats/export.csv", &router, || {
        Request::get("/stats/export.csv")
            .header(header::AUTHORIZATION, &bearer)
            .body(Body::empty())
            .unwrap()
    })
    .await;
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::var("BENCH_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    println!("Dashboard benchmark, {} timed runs each", common::RUNS);

    // The demo region as `serve --demo` starts it.
    let dir = tempfile::tempdir().unwrap();
    let demo = consilium_store_sqlite::SqliteBackend::open(dir.path())
        .await
        .unwrap()
        .into_store(settings());
    measure("SQLite, demo region", demo, consilium::demo::HISTORY).await;

    let dir = tempfile::tempdir().unwrap();
    let store = consilium_store_sqlite::SqliteBackend::open(dir.path())
        .await
        .unwrap()
        .into_store(settings());
    measure("SQLite", store, count).await;

    let server = std::env::var("CONSILIUM_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let Ok(mut admin) = sqlx::PgConnection::connect(&server).await else {
        println!("PostgreSQL unreachable at {server}: skipped");
        return;
    };
    let name = format!("consilium_bench_{}", Uuid::now_v7().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let options = sqlx::postgres::PgConnectOptions::from_str(&server)
        .unwrap()
        .database(&name);
    let store = consilium_store_postgres::PostgresBackend::open_with(options.clone())
        .await
        .unwrap()
        .into_store(settings());
    measure("PostgreSQL", store, count).await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
}
