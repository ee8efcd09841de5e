//! The subcommands. Each parses its input into domain values before it
//! opens the store, so bad input is refused without touching the data.

mod audit;
mod org;
mod serve;
mod token;
mod user;

use crate::{
    cli::{AuditCommand, Cli, Command, OrgCommand, TokenCommand, UserCommand},
    config::{Config, LogFormat},
    startup,
};

/// Runs the command the user typed.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Serve(args) => serve::run(&cli.storage, args).await,
        Command::Migrate => {
            let config = Config::load(&cli.storage, None)?;
            init_tracing(LogFormat::Pretty, "warn");
            let store = startup::open_store(&config).await?;
            println!(
                "migrations appliquées / migrations applied ({})",
                store.backend_name()
            );
            Ok(())
        }
        Command::User(UserCommand::List { json }) => {
            let store = open_for_command(&cli).await?;
            user::list(&store, *json).await
        }
        Command::User(UserCommand::Create(args)) => {
            let new = user::parse(args)?;
            let password = user::first_password(args)?;
            let store = open_for_command(&cli).await?;
            user::create(&store, &new, &password).await
        }
        Command::User(UserCommand::Code { email }) => {
            let email = consilium_domain::Email::parse(email)?;
            let store = open_for_command(&cli).await?;
            user::demo_code(&store, &email).await
        }
        Command::Token(TokenCommand::Create { user, ttl, label }) => {
            let (email, ttl) = token::parse(user, ttl)?;
            let store = open_for_command(&cli).await?;
            token::create(&store, &email, ttl, label).await
        }
        Command::Token(TokenCommand::List) => token::list(&open_for_command(&cli).await?).await,
        Command::Token(TokenCommand::Revoke { id }) => {
            let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| {
                anyhow::anyhow!("identifiant de jeton invalide / invalid token id: {id}")
            })?;
            token::revoke(&open_for_command(&cli).await?, id).await
        }
        Command::Audit(AuditCommand::Verify) => audit::verify(&open_for_command(&cli).await?).await,
        Command::Org(OrgCommand::List { json }) => {
            let store = open_for_command(&cli).await?;
            org::list(&store, *json).await
        }
        Command::Org(OrgCommand::Create(args)) => {
            let new = org::parse(args)?;
            let store = open_for_command(&cli).await?;
            org::create(&store, &new).await
        }
    }
}

async fn open_for_command(cli: &Cli) -> anyhow::Result<consilium_store::Store> {
    let config = Config::load(&cli.storage, None)?;
    init_tracing(LogFormat::Pretty, "warn");
    startup::open_store(&config).await
}

/// Logs to stderr, so that a command's stdout stays machine-readable.
pub(crate) fn init_tracing(format: LogFormat, default_level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CONSILIUM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second initialisation (tests) is harmless: keep the first.
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// Writes one line to standard output. A reader that went away (`| head`)
/// is an error [`is_closed_pipe`] recognises, so the command stops quietly
/// instead of panicking as `println!` would.
pub fn print_line(line: impl std::fmt::Display) -> anyhow::Result<()> {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{line}")?;
    Ok(())
}

/// True when `err` is a write to a pipe whose reader is gone.
pub fn is_closed_pipe(err: &anyhow::Error) -> bool {
    err.downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
