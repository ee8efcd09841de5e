//! What the benchmarks share: the store settings, the app over a store (demo
//! region installed), and a timer that prints min, median and p95.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::{sync::Arc, time::Instant};

use axum::{body::Body, http::Request};
use consilium_blobs::{BlobStore, Keyring, image::Limits};
use consilium_domain::{Clock, FixedClock};
use consilium_store::{Store, StoreSettings, audit::AuditKey, auth::AuthSettings};
use consilium_web::{AppState, WebConfig};
use jiff::Timestamp;
use metrics_exporter_prometheus::PrometheusBuilder;
use tower::ServiceExt;

/// Timed runs per measure (after one warm-up).
pub const RUNS: usize = 40;

/// The benchmarks' "now".
pub fn now() -> Timestamp {
    "2026-11-23T08:00:00Z".parse().unwrap()
}

pub fn settings() -> StoreSettings {
    StoreSettings {
        audit_key: AuditKey::generate(&mut rand::rng()),
        auth: AuthSettings::default(),
    }
}

/// The router over `store`, with the demo region installed.
pub async fn app(store: Store) -> (axum::Router, tempfile::TempDir) {
    consilium::demo::install(&store, now()).await.unwrap();
    let blob_dir = tempfile::tempdir().unwrap();
    let state = AppState {
        store,
        blobs: BlobStore::local(blob_dir.path(), Keyring::generate()).unwrap(),
        forms: Arc::new(consilium_fhir::specialty_forms().unwrap()),
        reports: Arc::new(consilium_report::TypstReports::new()),
        clock: Arc::new(FixedClock::new(now())) as Arc<dyn Clock>,
        metrics: PrometheusBuilder::new().build_recorder().handle(),
        config: Arc::new(WebConfig {
            public_url: "http://bench.test".into(),
            request_timeout: std::time::Duration::from_secs(60),
            body_limit: 1024 * 1024,
            demo: true,
            upload_limits: Limits::default(),
            upload_quota: consilium_store::uploads::UploadQuota::default(),
            metrics_token_sha256: None,
        }),
    };
    (consilium_web::router(state), blob_dir)
}

/// Times `RUNS` requests (after one warm-up); prints min, median, p95.
pub async fn time(label: &str, router: &axum::Router, make: impl Fn() -> Request<Body>) {
    let mut samples = Vec::with_capacity(RUNS);
    let mut size = 0;
    for run in 0..=RUNS {
        let started = Instant::now();
        let response = router.clone().oneshot(make()).await.unwrap();
        assert!(
            response.status().is_success(),
            "{label}: {}",
            response.status()
        );
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        size = body.len();
        if run > 0 {
            samples.push(elapsed);
        }
    }
    samples.sort_by(f64::total_cmp);
    let pick = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "  {label:<44} min {:>7.1} ms  median {:>7.1} ms  p95 {:>7.1} ms  ({} kB)",
        pick(0.0),
        pick(0.5),
        pick(0.95),
        size / 1024
    );
}

/// Times `RUNS` calls of `f` (after one warm-up); prints min, median, p95.
pub async fn time_calls<F, Fut>(label: &str, f: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut samples = Vec::with_capacity(RUNS);
    for run in 0..=RUNS {
        let started = Instant::now();
        f().await;
        if run > 0 {
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    samples.sort_by(f64::total_cmp);
    let pick = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "  {label:<44} min {:>7.1} ms  median {:>7.1} ms  p95 {:>7.1} ms",
        pick(0.0),
        pick(0.5),
        pick(0.95)
    );
}
