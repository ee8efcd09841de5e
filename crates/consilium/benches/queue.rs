//! The team queue under load: 100,000 requests in the database (a fifth of
//! them open), then the expert's queue page and FHIR searches (`Task`,
//! `ServiceRequest` with includes, one the search engine filters), timed
//! in-process through the real router (handler, SQL, rendering), on SQLite
//! and on PostgreSQL.
//!
//! `cargo bench -p consilium --bench queue` (PostgreSQL from
//! `CONSILIUM_TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`;
//! skipped with a message when unreachable). `BENCH_CASES` changes the count.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{app, now, settings, time};

use std::{str::FromStr, time::Instant};

use axum::{
    body::Body,
    http::{Request, header},
};
use consilium_domain::Email;
use consilium_store::Store;
use jiff::SignedDuration;
use sqlx::{Connection, QueryBuilder};
use tower::ServiceExt;
use uuid::Uuid;

const RUNS: usize = 40;
const EXPERT: &str = "sophie.lambert@demo.test";

/// The people, sites, patients and teams the synthetic requests use.
#[derive(sqlx::FromRow)]
struct Filer {
    person_id: Uuid,
    organization_id: Uuid,
}

/// One synthetic request, as bound to the insert.
struct Row {
    id: Uuid,
    reference: String,
    patient_id: Uuid,
    filer: usize,
    team_id: Uuid,
    status: &'static str,
    deadline: Option<jiff_sqlx::Timestamp>,
    hold: Option<i64>,
}

fn rows(count: usize, filers: &[Filer], patients: &[Uuid], teams: &[Uuid]) -> Vec<Row> {
    (0..count)
        .map(|i| {
            // A fifth open (requested, accepted, in progress, on hold), the rest completed.
            let status = ["requested", "accepted", "in-progress", "on-hold"]
                .get(i % 20)
                .copied()
                .unwrap_or("completed");
            let offset =
                SignedDuration::from_mins(((i * 7919) % (20 * 24 * 60)) as i64 - 10 * 24 * 60);
            Row {
                id: Uuid::now_v7(),
                reference: format!("TE-BENCH-{i:06}"),
                patient_id: patients[i % patients.len()],
                filer: i % filers.len(),
                team_id: teams[i % teams.len()],
                status,
                deadline: (status != "on-hold").then(|| (now() + offset).into()),
                hold: (status == "on-hold").then_some(36 * 3600),
            }
        })
        .collect()
}

macro_rules! fill {
    ($pool:expr, $count:expr) => {{
        let pool = $pool;
        let filers: Vec<Filer> = sqlx::query_as(
            "SELECT person_id, organization_id FROM memberships WHERE role = 'requester'",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        let patients: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM patients").fetch_all(pool).await.unwrap();
        let teams: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM teams").fetch_all(pool).await.unwrap();
        let all = rows($count, &filers, &patients, &teams);
        let started = Instant::now();
        let mut tx = pool.begin().await.unwrap();
        for chunk in all.chunks(1000) {
            let mut insert = QueryBuilder::new(
                "INSERT INTO cases (id, reference, patient_id, requester_id, site_id, team_id, status, created_at, \
                 submitted_at, deadline, hold_remaining_secs) ",
            );
            insert.push_values(chunk, |mut b, r| {
                let filer = &filers[r.filer];
                let at: jiff_sqlx::Timestamp = (now() - SignedDuration::from_hours(72)).into();
                b.push_bind(r.id)
                    .push_bind(r.reference.clone())
                    .push_bind(r.patient_id)
                    .push_bind(filer.person_id)
                    .push_bind(filer.organization_id)
                    .push_bind(r.team_id)
                    .push_bind(r.status)
                    .push_bind(at)
                    .push_bind(at)
                    .push_bind(r.deadline)
                    .push_bind(r.hold);
            });
            insert.build().execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
        println!("  {} requests inserted in {:.1} s", all.len(), started.elapsed().as_secs_f64());
    }};
}

fn cookie_of(response: &axum::response::Response) -> String {
    let set = response.headers()[header::SET_COOKIE].to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

/// A session cookie for the expert, through the sign-in pages.
async fn session(router: &axum::Router, store: &Store) -> String {
    let form = |body: String, cookie: Option<&str>, path: &str| {
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::from(body)).unwrap()
    };
    let email = EXPERT.replace('@', "%40");
    let pending = router
        .clone()
        .oneshot(form(
            format!("email={email}&password=consilium-demo"),
            None,
            "/connexion",
        ))
        .await
        .unwrap();
    let pending = cookie_of(&pending);
    let secret = store
        .demo_totp_secret(&Email::parse(EXPERT).unwrap(), consilium::demo::DEMO_DOMAIN)
        .await
        .unwrap()
        .unwrap();
    let code = secret.code_at(now()).unwrap();
    let signed = router
        .clone()
        .oneshot(form(
            format!("code={code}"),
            Some(&pending),
            "/connexion/code",
        ))
        .await
        .unwrap();
    cookie_of(&signed)
}

async fn measure(backend: &str, store: Store, router: axum::Router) {
    let cookie = session(&router, &store).await;
    let (token, _) = store
        .create_token(
            &Email::parse(EXPERT).unwrap(),
            SignedDuration::from_hours(1),
            "bench",
            now(),
        )
        .await
        .unwrap();
    let bearer = format!("Bearer {}", token.expose());
    println!("{backend}:");
    time("queue page  GET /file-attente", &router, || {
        Request::get("/file-attente")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap()
    })
    .await;
    time(
        "queue page  GET /file-attente?statut=requested",
        &router,
        || {
            Request::get("/file-attente?statut=requested")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap()
        },
    )
    .await;
    time("FHIR  GET /fhir/r4/Task?status=requested", &router, || {
        Request::get("/fhir/r4/Task?status=requested&_count=100")
            .header(header::AUTHORIZATION, &bearer)
            .body(Body::empty())
            .unwrap()
    })
    .await;
    let fhir = |path: &'static str| {
        let bearer = bearer.clone();
        move || {
            Request::get(path)
                .header(header::AUTHORIZATION, &bearer)
                .body(Body::empty())
                .unwrap()
        }
    };
    time(
        "FHIR  GET /fhir/r4/Task (every Task, 100)",
        &router,
        fhir("/fhir/r4/Task?_count=100"),
    )
    .await;
    time(
        "FHIR  GET /fhir/r4/ServiceRequest+Task (50)",
        &router,
        fhir("/fhir/r4/ServiceRequest?_count=50&_include=ServiceRequest:subject&_revinclude=Task:focus"),
    )
    .await;
    // A filter the database cannot apply: the engine reads the candidates.
    time(
        "FHIR  GET /fhir/r4/Task?_lastUpdated (engine)",
        &router,
        fhir("/fhir/r4/Task?status=requested&_lastUpdated=ge2026-01-01&_count=100"),
    )
    .await;
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes --bench; nothing else to parse.
    let count: usize = std::env::var("BENCH_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    println!("Queue benchmark: {count} requests, {RUNS} timed runs each");

    let dir = tempfile::tempdir().unwrap();
    let store = consilium_store_sqlite::SqliteBackend::open(dir.path())
        .await
        .unwrap()
        .into_store(settings());
    let (router, _blobs) = app(store.clone()).await;
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(dir.path().join(consilium_store_sqlite::DATABASE_FILE))
        .busy_timeout(std::time::Duration::from_secs(30));
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    println!("SQLite (WAL, synchronous=FULL):");
    fill!(&pool, count);
    measure("SQLite", store, router).await;

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
    let mut options = sqlx::postgres::PgConnectOptions::from_str(&server).unwrap();
    options = options.database(&name);
    let store = consilium_store_postgres::PostgresBackend::open_with(options.clone())
        .await
        .unwrap()
        .into_store(settings());
    let (router, _blobs) = app(store.clone()).await;
    let pool = sqlx::PgPool::connect_with(options).await.unwrap();
    println!("PostgreSQL:");
    fill!(&pool, count);
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    measure("PostgreSQL", store, router).await;
    pool.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
}
