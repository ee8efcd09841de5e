//! The command line (clap). Every flag `--foo-bar` also reads
//! `CONSILIUM_FOO_BAR`; storage options are global, so every subcommand
//! takes them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Consilium — regional telemedicine: tele-expertise, teleconsultation, telemonitoring.
#[derive(Debug, Parser)]
#[command(name = "consilium", version, about)]
pub struct Cli {
    /// Where Consilium keeps its data and where to reach the database.
    #[command(flatten)]
    pub storage: StorageArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand shares. Unset flags fall back to the
/// environment, then the configuration file, then built-in defaults.
#[derive(Debug, Clone, Default, Args)]
pub struct StorageArgs {
    /// A TOML configuration file.
    #[arg(long, global = true, env = "CONSILIUM_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The data directory (SQLite database, encrypted files). Default: ./consilium-data
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A PostgreSQL URL (postgres://…); without it, SQLite in the data directory.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Where encrypted files go: file:///path (default: the data directory's blobs/).
    #[arg(long, global = true, value_name = "URL")]
    pub blob_url: Option<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application.
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
}

/// `consilium token …`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a bearer token acting as a user; prints the token (shown once).
    Create {
        /// The user's e-mail address.
        #[arg(long)]
        user: String,
        /// How long it works, e.g. 12h, 30d.
        #[arg(long, default_value = "30d")]
        ttl: String,
        /// What it is for.
        #[arg(long, default_value = "api")]
        label: String,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id.
    Revoke {
        /// The token's id (from `token list`).
        id: String,
    },
}

/// `consilium audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain and its signed head: exit 0 when intact, 1 naming the first bad record.
    Verify,
}

/// Options of `serve`.
#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Seed the demo region (once; starting again adds nothing).
    #[arg(long)]
    pub demo: bool,
    /// The address to listen on. Default: 127.0.0.1:8080
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// The address users reach Consilium at. Default: http:// and the listening address
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Mail server for notifications: smtp://host:port, smtp://…?tls=required, smtps://…
    #[arg(long, value_name = "URL")]
    pub smtp_url: Option<String>,
    /// A file holding the SMTP password.
    #[arg(long, value_name = "FILE")]
    pub smtp_password_file: Option<PathBuf>,
    /// The sender of notification mail, e.g. "Consilium <ne-pas-repondre@chu.fr>".
    #[arg(long, value_name = "ADDRESS")]
    pub smtp_from: Option<String>,
    /// A second address serving /metrics alone, without a token (for Prometheus on a private network).
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<String>,
    /// A file holding the bearer token /metrics asks for on the main address.
    #[arg(long, value_name = "FILE")]
    pub metrics_token_file: Option<PathBuf>,
}

/// `consilium user …`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// List users with their roles.
    List {
        /// One JSON object per line, per user.
        #[arg(long)]
        json: bool,
    },
    /// Add a user with one or more roles in one organisation; prints their first password.
    Create(UserCreateArgs),
    /// Print the current TOTP code of a demo account (demo storage only).
    Code {
        /// The demo account's e-mail address.
        email: String,
    },
}

/// Options of `user create`.
#[derive(Debug, Clone, Args)]
pub struct UserCreateArgs {
    /// E-mail address (the login).
    #[arg(long)]
    pub email: String,
    /// Given names.
    #[arg(long)]
    pub given_names: String,
    /// Family name.
    #[arg(long)]
    pub family_name: String,
    /// Profession, for a practitioner: doctor, midwife, nurse, physiotherapist,
    /// speech_therapist, podiatrist, orthoptist.
    #[arg(long, requires = "rpps")]
    pub profession: Option<String>,
    /// RPPS number (11 digits), for a practitioner.
    #[arg(long, requires = "profession")]
    pub rpps: Option<String>,
    /// The organisation, by FINESS number or id.
    #[arg(long)]
    pub organization: String,
    /// Role: requester, expert, coordinator, org_admin, regional_admin (repeatable).
    #[arg(long = "role", required = true)]
    pub roles: Vec<String>,
    /// The specialty team (SNOMED CT code, e.g. 394582007) for an expert or a team coordinator.
    #[arg(long)]
    pub specialty: Option<String>,
    /// A file holding the first password; without it one is generated and printed.
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
}

/// `consilium org …`
#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// List organisations.
    List {
        /// One JSON object per line, per organisation.
        #[arg(long)]
        json: bool,
    },
    /// Add an organisation.
    Create(OrgCreateArgs),
}

/// Options of `org create`.
#[derive(Debug, Clone, Args)]
pub struct OrgCreateArgs {
    /// Name.
    #[arg(long)]
    pub name: String,
    /// Kind: resource_centre, practice, health_centre, nursing_home,
    /// disability_facility, regional_agency.
    #[arg(long)]
    pub kind: String,
    /// FINESS number (9 characters), if it has one.
    #[arg(long)]
    pub finess: Option<String>,
    /// Town.
    #[arg(long)]
    pub city: Option<String>,
}
