//! `consilium token create|list|revoke`.

use anyhow::Context;
use consilium_domain::Email;
use consilium_store::Store;
use jiff::SignedDuration;
use uuid::Uuid;

use crate::startup::system_clock;

/// Parses the user and the lifetime before touching the store.
pub fn parse(user: &str, ttl: &str) -> anyhow::Result<(Email, SignedDuration)> {
    let email = Email::parse(user)?;
    let ttl = humantime::parse_duration(ttl)
        .ok()
        .and_then(|d| SignedDuration::try_from(d).ok())
        .filter(|d| d.is_positive() && *d <= SignedDuration::from_hours(24 * 366))
        .with_context(|| {
            format!("--ttl « {ttl} » invalide : entre 1s et 366d, par ex. 30d / invalid --ttl")
        })?;
    Ok((email, ttl))
}

/// Creates the token and prints it alone on stdout, for scripts.
pub async fn create(
    store: &Store,
    email: &Email,
    ttl: SignedDuration,
    label: &str,
) -> anyhow::Result<()> {
    let (secret, token) = store
        .create_token(email, ttl, label, system_clock().now())
        .await?;
    eprintln!(
        "jeton {} pour / token for {email}, valable jusqu'au / valid until {}",
        token.id, token.expires_at
    );
    println!("{}", secret.expose());
    Ok(())
}

/// Lists tokens, one JSON object per line, each with its owner's e-mail
/// address (never the secret).
pub async fn list(store: &Store) -> anyhow::Result<()> {
    let owners: std::collections::HashMap<_, _> = store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.person.id, u.person.email.to_string()))
        .collect();
    for token in store.tokens().await? {
        let mut line = serde_json::to_value(&token)?;
        line["owner"] = serde_json::json!(owners.get(&token.person_id));
        super::print_line(line)?;
    }
    Ok(())
}

/// Revokes a token.
pub async fn revoke(store: &Store, id: Uuid) -> anyhow::Result<()> {
    store.revoke_token(id, system_clock().now()).await?;
    println!("jeton révoqué / token revoked: {id}");
    Ok(())
}
