//! What the tests share: fresh stores on both backends, the app in-process,
//! the real binary on a real socket.

pub mod binary;
pub mod postgres;

use std::sync::Arc;

use axum::{body::Body, http::Request, response::Response};
use consilium_domain::{Clock as _, FixedClock};
use consilium_store::{Store, StoreSettings, audit::AuditKey, auth::AuthSettings};
use consilium_store_sqlite::SqliteBackend;
use consilium_web::{AppState, WebConfig};
use metrics_exporter_prometheus::PrometheusBuilder;
use tempfile::TempDir;
use tower::ServiceExt;

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

/// The application, called in-process through its router.
pub struct TestApp {
    pub router: axum::Router,
    _dir: TempDir,
}

impl TestApp {
    /// The app on a fresh SQLite store, with the demo region loaded.
    pub async fn with_demo() -> Self {
        let (store, dir) = sqlite_store().await;
        let clock = Arc::new(FixedClock::new("2026-11-23T08:00:00Z".parse().unwrap()));
        store
            .import_directory(&consilium::demo::seed().unwrap(), clock.now())
            .await
            .unwrap();
        let state = AppState {
            store,
            clock,
            metrics: PrometheusBuilder::new().build_recorder().handle(),
            config: Arc::new(WebConfig {
                public_url: "https://consilium.test".into(),
                request_timeout: std::time::Duration::from_secs(30),
                body_limit: 1024 * 1024,
                demo: true,
            }),
        };
        Self {
            router: consilium_web::router(state),
            _dir: dir,
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
