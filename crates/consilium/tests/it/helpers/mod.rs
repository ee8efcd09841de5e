//! What the tests share: fresh stores on both backends, the app in-process,
//! the real binary on a real socket.

pub mod binary;
pub mod browser_like;
pub mod fhir;
pub mod postgres;
pub mod smtp;

use std::sync::Arc;

use axum::{body::Body, http::Request, response::Response};
use consilium_blobs::{BlobStore, Keyring, image::Limits};
use consilium_domain::{Clock as _, FixedClock};
use consilium_store::{Store, StoreSettings, audit::AuditKey, auth::AuthSettings};
use consilium_store_sqlite::SqliteBackend;
use consilium_web::{AppState, WebConfig};
use metrics_exporter_prometheus::PrometheusBuilder;
use tempfile::TempDir;
use tower::ServiceExt;

/// The token `/metrics` asks for in the in-process app.
pub const METRICS_TOKEN: &str = "metrics-token-for-tests";

/// Store settings for tests: a random audit key, default lifetimes.
pub fn test_settings() -> StoreSettings {
    StoreSettings {
        audit_key: AuditKey::generate(&mut rand::rng()),
        auth: AuthSettings::default(),
    }
}

/// A fresh SQLite store in its own temporary directory (deleted on drop).
pub async fn sqlite_store() -> (Store, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteBackend::open(dir.path())
        .await
        .unwrap()
        .into_store(test_settings());
    (store, dir)
}

/// What keeps a test's database alive, and removes it afterwards.
pub enum TestDb {
    /// A temporary SQLite directory, deleted when dropped.
    Sqlite { _dir: TempDir },
    /// A PostgreSQL schema.
    Postgres(postgres::PgSchema),
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy)]
pub enum Db {
    Sqlite,
    Postgres,
}

impl Db {
    /// A fresh store; `None` for PostgreSQL when it is absent outside CI.
    pub async fn fresh(self) -> Option<(Store, TestDb)> {
        match self {
            Db::Sqlite => {
                let (store, dir) = sqlite_store().await;
                Some((store, TestDb::Sqlite { _dir: dir }))
            }
            Db::Postgres => {
                let schema = postgres::PgSchema::fresh().await?;
                Some((schema.store.clone(), TestDb::Postgres(schema)))
            }
        }
    }
}

/// The application, called in-process through its router.
pub struct TestApp {
    pub router: axum::Router,
    pub store: Store,
    pub clock: Arc<FixedClock>,
    db: TestDb,
    /// Where the blobs are (deleted on drop).
    pub blob_dir: TempDir,
}

impl TestApp {
    /// The app on a fresh SQLite store, with the demo region loaded.
    pub async fn with_demo() -> Self {
        Self::demo_on(Db::Sqlite).await.unwrap()
    }

    /// The app on a fresh store of `db`, with the demo region and its accounts.
    pub async fn demo_on(db: Db) -> Option<Self> {
        let (store, db) = db.fresh().await?;
        let clock = Arc::new(FixedClock::new("2026-11-23T08:00:00Z".parse().unwrap()));
        consilium::demo::install(&store, clock.now()).await.unwrap();
        let blob_dir = tempfile::tempdir().unwrap();
        let blobs = BlobStore::local(blob_dir.path(), Keyring::generate()).unwrap();
        let state = AppState {
            blobs,
            forms: Arc::new(consilium_fhir::specialty_forms().unwrap()),
            reports: Arc::new(consilium_report::TypstReports::new()),
            store: store.clone(),
            clock: clock.clone(),
            metrics: PrometheusBuilder::new().build_recorder().handle(),
            config: Arc::new(WebConfig {
                public_url: "https://consilium.test".into(),
                request_timeout: std::time::Duration::from_secs(30),
                body_limit: 1024 * 1024,
                demo: true,
                upload_limits: Limits::default(),
                upload_quota: consilium_store::uploads::UploadQuota::default(),
                metrics_token_sha256: Some(
                    sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(
                        METRICS_TOKEN,
                    ))
                    .into(),
                ),
            }),
        };
        consilium::demo::install_requests(&store, &state.report_kit(), clock.now())
            .await
            .unwrap();
        // The demo's own notifications (and reminders) went out before the
        // test begins: their jobs are settled, not run.
        let later = clock.now() + jiff::SignedDuration::from_hours(24 * 400);
        let lease = jiff::SignedDuration::from_hours(1);
        for job in store
            .claim_jobs("setup", later, lease, 10_000)
            .await
            .unwrap()
        {
            store.complete_job(&job, "setup", later).await.unwrap();
        }
        Some(Self {
            router: consilium_web::router(state),
            store,
            clock,
            db,
            blob_dir,
        })
    }

    /// Removes the test's database (a PostgreSQL schema; SQLite cleans itself).
    pub async fn finish(self) {
        if let TestDb::Postgres(schema) = self.db {
            schema.drop().await;
        }
    }

    pub async fn request(&self, request: Request<Body>) -> Response {
        self.router.clone().oneshot(request).await.unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Request::get(path).body(Body::empty()).unwrap())
            .await
    }
}

/// A response body as text.
pub async fn body_text(response: Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 10 * 1024 * 1024)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}
