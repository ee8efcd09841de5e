//! The one integration-test binary: a file per feature, helpers shared.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic

/// Runs each named `async fn(TestApp)` of the calling module on SQLite and on
/// PostgreSQL, as `<module>::sqlite::<name>` and `<module>::postgres::<name>`.
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(crate::helpers::TestApp::demo_on(crate::helpers::Db::Sqlite).await.unwrap()).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(app) = crate::helpers::TestApp::demo_on(crate::helpers::Db::Postgres).await else { return };
                    super::$name(app).await;
                }
            )+
        }
    };
}

mod advice_correction;
mod audit_cli;
mod audit_searches;
mod auth_http;
mod cli;
mod cli_output;
mod clients;
mod draft_photos_http;
mod english_pages;
mod english_steps;
mod expertise_http;
mod fhir_http;
mod fhir_interactions;
mod fhir_limits;
mod fhir_search;
mod fhir_snapshots;
mod helpers;
mod hostile_input;
mod http;
mod identity_http;
mod jobs_cluster;
mod landing_http;
mod metrics_access;
mod notifications_http;
mod references;
mod requests_http;
mod slow_clients;
mod stats_http;
mod store_contract;
mod upload_limits;
mod upload_server;
mod uploads;
