//! Configuration, layered: built-in defaults → TOML file → `CONSILIUM_*`
//! environment → command-line flags, then [`Config::validate`]. Loaded once
//! in `main` and passed down; never a global.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::{Context, bail};
use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

use crate::cli::{ServeArgs, StorageArgs};

mod duration;
pub use duration::HumanDuration;

/// Everything Consilium can be configured with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Data directory: the SQLite database and the encrypted files.
    pub data_dir: PathBuf,
    /// PostgreSQL URL; SQLite in `data_dir` when absent.
    pub database_url: Option<String>,
    /// A file holding the PostgreSQL URL (it may carry a password).
    pub database_url_file: Option<PathBuf>,
    /// Address to listen on.
    pub listen: String,
    /// Address users reach Consilium at; `http://` + `listen` when unset.
    pub public_url: Option<String>,
    /// Longest a request may take, e.g. `30s`.
    pub request_timeout: HumanDuration,
    /// Largest request body outside uploads, in bytes.
    pub body_limit: usize,
    /// Where encrypted files go (`file:///path`); the data directory's `blobs/` when unset.
    pub blob_url: Option<String>,
    /// The age keyring sealing every file; `keys/blobs.keys` in the data
    /// directory when unset (created on first use). Nodes share it.
    pub blob_keyring_file: Option<PathBuf>,
    /// Largest upload, in bytes.
    pub upload_max_bytes: usize,
    /// Largest image, in pixels.
    pub upload_max_pixels: u64,
    /// Most bytes one person may have in uploads not yet sent with a request.
    pub upload_quota: u64,
    /// The key that signs the audit chain's head; `audit.key` in the data
    /// directory when unset (created on first use). Nodes sharing a
    /// PostgreSQL database must share this file.
    pub audit_key_file: Option<PathBuf>,
    /// A session unused this long ends, e.g. `30m`.
    pub session_idle_timeout: HumanDuration,
    /// A session ends this long after sign-in, e.g. `12h`.
    pub session_lifetime: HumanDuration,
    /// Log format: `json` (default, for machines) or `pretty` (for people).
    pub log_format: LogFormat,
    /// Seed and show the demo region.
    pub demo: bool,
    /// Mail server: `smtp://host:port` (plain, for a local relay),
    /// `smtp://host:port?tls=required` (STARTTLS) or `smtps://host:port`;
    /// the user name in the URL. No mail is sent when unset.
    pub smtp_url: Option<String>,
    /// A file holding the SMTP password.
    pub smtp_password_file: Option<PathBuf>,
    /// The sender of Consilium's mail.
    pub smtp_from: String,
    /// How long a node holds the background jobs it claimed; another node
    /// takes them once it ends (a node that died).
    pub job_lease: HumanDuration,
    /// A client must send each request's headers within this time.
    pub header_read_timeout: HumanDuration,
    /// Most connections open at once; 0: from the file-descriptor limit.
    pub max_connections: usize,
    /// Most connections from one client address; 0: no limit (behind a
    /// reverse proxy, every connection comes from its address).
    pub max_connections_per_address: usize,
    /// A second address serving `/metrics` alone, without a token (a
    /// private network for Prometheus).
    pub metrics_listen: Option<String>,
    /// A file holding the bearer token `/metrics` asks for on the main
    /// address; without it, `/metrics` is only on `metrics_listen`.
    pub metrics_token_file: Option<PathBuf>,
    /// The token read from `metrics_token_file`.
    #[serde(skip)]
    pub metrics_token: Option<String>,
    /// Memory for decoding uploaded images at once, in bytes; 0: 512 MB or
    /// a quarter of the machine's memory.
    pub image_memory: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("consilium-data"),
            database_url: None,
            database_url_file: None,
            listen: "127.0.0.1:8080".to_owned(),
            public_url: None,
            request_timeout: HumanDuration(Duration::from_secs(30)),
            body_limit: 1024 * 1024,
            blob_url: None,
            blob_keyring_file: None,
            upload_max_bytes: 25 * 1024 * 1024,
            upload_max_pixels: 50_000_000,
            upload_quota: 256 * 1024 * 1024,
            audit_key_file: None,
            session_idle_timeout: HumanDuration(Duration::from_secs(30 * 60)),
            session_lifetime: HumanDuration(Duration::from_secs(12 * 3600)),
            log_format: LogFormat::Json,
            demo: false,
            smtp_url: None,
            smtp_password_file: None,
            smtp_from: "Consilium <ne-pas-repondre@consilium.invalid>".to_owned(),
            job_lease: HumanDuration(Duration::from_secs(60)),
            header_read_timeout: HumanDuration(Duration::from_secs(10)),
            max_connections: 0,
            max_connections_per_address: 256,
            metrics_listen: None,
            metrics_token_file: None,
            metrics_token: None,
            image_memory: 0,
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One JSON object per line.
    Json,
    /// Human-readable lines.
    Pretty,
}

/// The flags that override everything else; only those given are set.
#[derive(Debug, Default, Serialize)]
struct FlagOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    blob_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    demo: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    smtp_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    smtp_password_file: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    smtp_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metrics_listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metrics_token_file: Option<PathBuf>,
}

impl Config {
    /// Loads the layers in order and validates the result.
    pub fn load(storage: &StorageArgs, serve: Option<&ServeArgs>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = &storage.config {
            if !file.is_file() {
                bail!(
                    "fichier de configuration introuvable / config file not found: {}",
                    file.display()
                );
            }
            figment = figment.merge(Toml::file(file));
        }
        let flags = FlagOverrides {
            data_dir: storage.data_dir.clone(),
            database_url: storage.database_url.clone(),
            blob_url: storage.blob_url.clone(),
            listen: serve.and_then(|s| s.listen.clone()),
            public_url: serve.and_then(|s| s.public_url.clone()),
            demo: serve.and_then(|s| s.demo.then_some(true)),
            smtp_url: serve.and_then(|s| s.smtp_url.clone()),
            smtp_password_file: serve.and_then(|s| s.smtp_password_file.clone()),
            smtp_from: serve.and_then(|s| s.smtp_from.clone()),
            metrics_listen: serve.and_then(|s| s.metrics_listen.clone()),
            metrics_token_file: serve.and_then(|s| s.metrics_token_file.clone()),
        };
        let mut config: Config = figment
            .merge(Env::prefixed("CONSILIUM_").ignore(&["config"]))
            .merge(Serialized::defaults(flags))
            .extract()
            .context("configuration invalide / invalid configuration")?;
        config.read_secret_files()?;
        config.validate()?;
        Ok(config)
    }

    fn read_secret_files(&mut self) -> anyhow::Result<()> {
        if let Some(file) = &self.database_url_file {
            let url = read_secret(file)?;
            self.database_url = Some(url);
        }
        if let Some(file) = &self.metrics_token_file {
            let token = read_secret(file)?;
            if token.len() < 16 {
                bail!(
                    "le jeton de --metrics-token-file doit compter au moins 16 caractères / the metrics token must have at least 16 characters"
                );
            }
            self.metrics_token = Some(token);
        }
        Ok(())
    }

    /// Checks values that types alone cannot, with messages that say what to write.
    pub fn validate(&self) -> anyhow::Result<()> {
        if let Some(url) = &self.database_url
            && !(url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            bail!(
                "--database-url doit commencer par postgres:// / --database-url must start with postgres://"
            );
        }
        if self.listen.parse::<SocketAddr>().is_err() {
            bail!(
                "--listen « {} » n'est pas une adresse IP:port (ex. 127.0.0.1:8080) / --listen is not an IP:port address",
                self.listen
            );
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            bail!(
                "--public-url doit commencer par http:// ou https:// / --public-url must start with http:// or https://"
            );
        }
        let timeout = self.request_timeout.0;
        if timeout < Duration::from_secs(1) || timeout > Duration::from_secs(600) {
            bail!(
                "request_timeout doit être entre 1s et 10min / request_timeout must be between 1s and 10min"
            );
        }
        let (idle, lifetime) = (self.session_idle_timeout.0, self.session_lifetime.0);
        if idle < Duration::from_secs(60)
            || lifetime < idle
            || lifetime > Duration::from_secs(7 * 24 * 3600)
        {
            bail!(
                "durées de session invalides : 1 min ≤ inactivité ≤ durée de vie ≤ 7 j / invalid session durations: 1 min ≤ idle ≤ lifetime ≤ 7 d"
            );
        }
        if let Some(url) = &self.blob_url
            && !url.starts_with("file://")
        {
            bail!(
                "--blob-url « {url} » : seul file:///chemin est pris en charge pour l'instant / only file:///path is supported for now"
            );
        }
        if self.upload_max_bytes < 1024
            || self.upload_max_pixels < 1_000_000
            || self.upload_quota < self.upload_max_bytes as u64
        {
            bail!(
                "upload_max_bytes ≥ 1024, upload_max_pixels ≥ 1000000 et upload_quota ≥ upload_max_bytes / upload limits too small"
            );
        }
        if let Some(url) = &self.smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            bail!(
                "--smtp-url doit commencer par smtp:// ou smtps:// / --smtp-url must start with smtp:// or smtps://"
            );
        }
        if self.smtp_from.parse::<lettre::message::Mailbox>().is_err() {
            bail!(
                "--smtp-from « {} » n'est pas une adresse (ex. Consilium <ne-pas-repondre@exemple.fr>) / --smtp-from is not an address",
                self.smtp_from
            );
        }
        let lease = self.job_lease.0;
        if lease < Duration::from_secs(1) || lease > Duration::from_secs(3600) {
            bail!("job_lease doit être entre 1s et 1h / job_lease must be between 1s and 1h");
        }
        let header = self.header_read_timeout.0;
        if header < Duration::from_secs(1) || header > Duration::from_secs(300) {
            bail!(
                "header_read_timeout doit être entre 1s et 5min / header_read_timeout must be between 1s and 5min"
            );
        }
        if let Some(addr) = &self.metrics_listen
            && addr.parse::<SocketAddr>().is_err()
        {
            bail!(
                "--metrics-listen « {addr} » n'est pas une adresse IP:port / --metrics-listen is not an IP:port address"
            );
        }
        if self.body_limit < 1024 {
            bail!(
                "body_limit doit être d'au moins 1024 octets / body_limit must be at least 1024 bytes"
            );
        }
        Ok(())
    }

    /// The address users reach Consilium at, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.listen),
        }
    }

    /// Where encrypted files go.
    pub fn blob_dir(&self) -> PathBuf {
        match &self.blob_url {
            Some(url) => PathBuf::from(url.trim_start_matches("file://")),
            None => self.data_dir.join("blobs"),
        }
    }

    /// Where the blob keyring lives.
    pub fn blob_keyring_path(&self) -> PathBuf {
        self.blob_keyring_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("keys").join("blobs.keys"))
    }

    /// Where the audit key lives.
    pub fn audit_key_path(&self) -> PathBuf {
        self.audit_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit.key"))
    }

    /// The connection limits: `max_connections`, or what the process's
    /// file-descriptor limit leaves room for (a thousand kept for the
    /// database, files and the rest).
    pub fn connection_limits(&self) -> crate::server::ConnectionLimits {
        let total = match self.max_connections {
            0 => {
                let (soft, _) = rlimit::Resource::NOFILE.get().unwrap_or((1024, 1024));
                usize::try_from(soft.saturating_sub(1024))
                    .unwrap_or(usize::MAX)
                    .clamp(64, 10_000)
            }
            n => n,
        };
        crate::server::ConnectionLimits {
            total,
            per_address: self.max_connections_per_address,
        }
    }

    /// The listening address (validated).
    pub fn listen_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listen.parse()?)
    }
}

fn read_secret(file: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(file).with_context(|| {
        format!(
            "fichier secret illisible / cannot read secret file {}",
            file.display()
        )
    })?;
    Ok(text.trim().to_owned())
}

#[cfg(test)]
mod tests;
