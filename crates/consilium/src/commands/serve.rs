//! `consilium serve`.

use anyhow::Context;
use consilium_domain::directory::Role;
use consilium_store::{ImportReport, Store};

use super::init_tracing;
use crate::{
    cli::{ServeArgs, StorageArgs},
    config::Config,
    demo, startup,
};

/// Opens the store, seeds the demo region if asked, and serves until Ctrl-C or SIGTERM.
pub async fn run(storage: &StorageArgs, args: &ServeArgs) -> anyhow::Result<()> {
    let config = Config::load(storage, Some(args))?;
    init_tracing(config.log_format, "info");
    startup::raise_file_limit();
    let metrics = startup::install_metrics()?;
    let clock = startup::system_clock();
    let store = startup::open_store(&config).await?;
    let blobs = startup::open_blobs(&config)?;
    let state = startup::app_state(store.clone(), blobs, &config, clock.clone(), metrics)?;
    let demo_report = if config.demo {
        let report = demo::install(&store, clock.now()).await?;
        demo::install_history(&store, clock.now()).await?;
        demo::install_requests(&store, &state.report_kit(), clock.now()).await?;
        Some(report)
    } else {
        None
    };
    // Requests sent before the dashboards existed get their facts now.
    let backfilled = store.backfill_facts().await?;
    if backfilled > 0 {
        tracing::info!(backfilled, "dashboard facts written for earlier requests");
    }
    let addr = config.listen_addr()?;
    let listener = startup::bind(addr)
        .with_context(|| format!("impossible d'écouter sur {addr} / cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    let metrics_listener = bind_metrics(&config)?;
    let shutdown = startup::shutdown_signal()?;
    println!(
        "Consilium écoute sur / listens on http://{local} ({})",
        store.backend_name()
    );
    if let Some(report) = demo_report {
        // Listening on port 0 (tests) the real port is only known now.
        let public_url = match &config.public_url {
            Some(_) => config.public_url(),
            None => format!("http://{local}"),
        };
        print_demo_banner(&store, &report, &public_url).await?;
    }
    tracing::info!(%local, database = store.backend_name(), "serving");
    // One signal stops both: the server finishes requests in flight, the
    // worker the job in hand, and gives its other jobs back.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mailer = crate::mailer::Mailer::from_config(&config)?;
    let worker = crate::worker::Worker::new(store.clone(), clock.clone())
        .with_mailer(mailer)
        .with_lease(config.job_lease.0);
    let worker = tokio::spawn(worker.run(stopped));
    let settings = startup::server_settings(&config);
    let metrics_server = metrics_listener.map(|listener| {
        let mut stopped = stop.subscribe();
        let app = consilium_web::metrics_router(state.clone());
        tokio::spawn(crate::server::serve(listener, app, settings, async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        }))
    });
    let served = startup::serve(listener, state, settings, async move {
        shutdown.await;
        let _ = stop.send(true);
    })
    .await;
    if let Some(metrics_server) = metrics_server {
        let _ = metrics_server.await;
    }
    if let Err(error) = worker.await {
        tracing::error!(%error, "job worker ended abnormally");
    }
    served
}

/// The metrics-only listener, if `--metrics-listen` is set.
fn bind_metrics(config: &Config) -> anyhow::Result<Option<tokio::net::TcpListener>> {
    let Some(addr) = &config.metrics_listen else {
        return Ok(None);
    };
    let addr: std::net::SocketAddr = addr.parse()?;
    let listener = startup::bind(addr)
        .with_context(|| format!("impossible d'écouter sur {addr} / cannot listen on {addr}"))?;
    println!(
        "Métriques (sans jeton) / metrics (no token): http://{}/metrics",
        listener.local_addr()?
    );
    Ok(Some(listener))
}

/// Tells a newcomer what was seeded and which account to use for each role.
async fn print_demo_banner(
    store: &Store,
    report: &ImportReport,
    public_url: &str,
) -> anyhow::Result<()> {
    if report.is_empty() {
        println!("Région de démonstration déjà en place : rien d'ajouté.");
    } else {
        println!(
            "Région de démonstration créée : {} organisations, {} équipes, {} utilisateurs, {} patients.",
            report.organizations, report.teams, report.people, report.patients
        );
    }
    println!("Ouvrir / open: {public_url}");
    println!("Comptes de démonstration (page de connexion : {public_url}/connexion)");
    println!("  mot de passe / password: {}", demo::DEMO_PASSWORD);
    println!(
        "  code à 6 chiffres / 6-digit code: consilium user code EMAIL (ou le secret TOTP dans une application)"
    );
    // The seed's order puts the accounts with demo cases first.
    let seed = demo::seed()?;
    for (role, label) in [
        (Role::Requester, "Requérant·e (site requérant)"),
        (Role::Expert, "Expert·e (centre de ressources)"),
        (Role::Coordinator, "Coordination (centre de ressources)"),
        (Role::RegionalAdmin, "Administration régionale (ARS)"),
    ] {
        let Some(user) = seed
            .users
            .iter()
            .find(|u| u.memberships.iter().any(|m| m.role == role))
        else {
            continue;
        };
        let email = &user.person.email;
        let secret = store.demo_totp_secret(email, demo::DEMO_DOMAIN).await?;
        let secret = secret.map(|s| s.to_base32()).unwrap_or_default();
        println!("  {label:<38} {email:<30} TOTP {secret}");
    }
    println!("Tous les comptes / every account: consilium user list");
    Ok(())
}
