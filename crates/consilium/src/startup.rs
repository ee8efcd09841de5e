//! Opening the store and serving: takes a bound listener and a shutdown
//! future, so tests run the real server on port 0.

use std::{future::Future, sync::Arc};

use anyhow::Context;
use consilium_blobs::{
    BlobStore, Keyring,
    image::{DecodeBudget, Limits},
};
use consilium_domain::{Clock, SystemClock};
use consilium_store::{Store, StoreSettings, auth::AuthSettings, uploads::UploadQuota};
use consilium_store_postgres::PostgresBackend;
use consilium_store_sqlite::SqliteBackend;
use consilium_web::{AppState, WebConfig};
use jiff::SignedDuration;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;

use crate::{audit_key, config::Config, server::ServerSettings};

/// Opens the configured database (PostgreSQL if a URL is set, else SQLite in
/// the data directory) and applies pending migrations.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let settings = store_settings(config)?;
    match &config.database_url {
        Some(url) => Ok(PostgresBackend::open(url)
            .await
            .context("connexion à PostgreSQL impossible / cannot open PostgreSQL")?
            .into_store(settings)),
        None => Ok(SqliteBackend::open(&config.data_dir)
            .await
            .with_context(|| {
                format!(
                    "ouverture de la base SQLite impossible / cannot open SQLite in {}",
                    config.data_dir.display()
                )
            })?
            .into_store(settings)),
    }
}

fn store_settings(config: &Config) -> anyhow::Result<StoreSettings> {
    let to_signed =
        |d: std::time::Duration| SignedDuration::try_from(d).context("duration too long");
    Ok(StoreSettings {
        audit_key: audit_key::load_or_create(&config.audit_key_path())?,
        auth: AuthSettings {
            idle_timeout: to_signed(config.session_idle_timeout.0)?,
            lifetime: to_signed(config.session_lifetime.0)?,
            ..AuthSettings::default()
        },
    })
}

/// Opens the encrypted blob store (creating its keyring on first use).
pub fn open_blobs(config: &Config) -> anyhow::Result<BlobStore> {
    let keyring = Keyring::load_or_create(&config.blob_keyring_path())
        .context("trousseau de chiffrement illisible / cannot open the blob keyring")?;
    let blobs = BlobStore::local(&config.blob_dir(), keyring)
        .context("stockage des fichiers indisponible / cannot open blob storage")?;
    Ok(match config.image_memory {
        0 => blobs,
        bytes => blobs.with_decode_budget(DecodeBudget::new(bytes)),
    })
}

/// The application state for `config`.
pub fn app_state(
    store: Store,
    blobs: BlobStore,
    config: &Config,
    clock: Arc<dyn Clock>,
    metrics: PrometheusHandle,
) -> anyhow::Result<AppState> {
    let forms = Arc::new(
        consilium_fhir::specialty_forms()
            .context("questionnaires invalides / invalid questionnaires")?,
    );
    Ok(AppState {
        store,
        blobs,
        forms,
        reports: Arc::new(consilium_report::TypstReports::new()),
        clock,
        metrics,
        config: Arc::new(WebConfig {
            public_url: config.public_url(),
            request_timeout: config.request_timeout.0,
            body_limit: config.body_limit,
            demo: config.demo,
            upload_limits: Limits {
                max_bytes: config.upload_max_bytes,
                max_pixels: config.upload_max_pixels,
            },
            metrics_token_sha256: config.metrics_token.as_ref().map(|token| {
                use sha2::{Digest, Sha256};
                Sha256::digest(token.as_bytes()).into()
            }),
            upload_quota: UploadQuota {
                max_bytes: config.upload_quota,
                ..UploadQuota::default()
            },
        }),
    })
}

/// Installs the process-wide metrics recorder (once, in `main`'s path).
pub fn install_metrics() -> anyhow::Result<PrometheusHandle> {
    PrometheusBuilder::new()
        .install_recorder()
        .context("cannot install the metrics recorder")
}

/// The real clock.
pub fn system_clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

/// Listens on `addr` with a deep accept queue (4096, or the kernel's
/// `somaxconn` if lower): the standard 128 overflows under a burst of
/// connections, and a dropped SYN costs a legitimate client a second.
pub fn bind(addr: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    let socket = match addr {
        std::net::SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        std::net::SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// How the server treats connections, from the configuration.
pub fn server_settings(config: &Config) -> ServerSettings {
    ServerSettings {
        limits: config.connection_limits(),
        header_read_timeout: config.header_read_timeout.0,
    }
}

/// Lets this process hold as many sockets as the system allows (the soft
/// limit is often 1024, the hard one far more).
pub fn raise_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!(limit, "file descriptor limit"),
        Err(error) => tracing::warn!(%error, "cannot raise the file descriptor limit"),
    }
}

/// Serves `state` on `listener` until `shutdown` completes, then lets
/// requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    settings: ServerSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = consilium_web::router(state);
    crate::server::serve(listener, app, settings, shutdown)
        .await
        .context("server failed")
}

/// A future that completes on Ctrl-C or SIGTERM. The handlers are installed
/// when this is called, not when the future is first polled: a signal that
/// arrives right after start-up still shuts down gracefully.
pub fn shutdown_signal() -> anyhow::Result<impl Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {},
            _ = interrupt.recv() => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    })
}
