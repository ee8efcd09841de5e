use consilium_domain::{access::CallerRole, auth::SignInCounter, directory::Role};
use uuid::Uuid;

use super::corrupt;
use crate::{
    StoreError,
    auth::{ApiToken, Credentials, SessionRecord, SessionStage},
};

/// `people` joined with `credentials`.
#[derive(Debug, sqlx::FromRow)]
pub struct CredentialsRow {
    person_id: Uuid,
    active: bool,
    password_hash: String,
    totp_secret: Option<String>,
    totp_last_step: Option<i64>,
}

impl From<CredentialsRow> for Credentials {
    fn from(row: CredentialsRow) -> Self {
        Self {
            person_id: row.person_id,
            active: row.active,
            password_hash: row.password_hash,
            totp_secret: row.totp_secret,
            totp_last_step: row.totp_last_step,
        }
    }
}

/// A row of `sessions`.
#[derive(Debug, sqlx::FromRow)]
pub struct SessionRow {
    token_hash: String,
    person_id: Uuid,
    stage: String,
    pending_totp_secret: Option<String>,
    created_at: jiff_sqlx::Timestamp,
    last_seen_at: jiff_sqlx::Timestamp,
    client_addr: Option<String>,
}

impl TryFrom<SessionRow> for SessionRecord {
    type Error = StoreError;
    fn try_from(row: SessionRow) -> Result<Self, StoreError> {
        Ok(Self {
            token_hash: row.token_hash,
            person_id: row.person_id,
            stage: SessionStage::parse(&row.stage).ok_or_else(|| {
                StoreError::internal(format!("corrupt value in sessions.stage: {}", row.stage))
            })?,
            pending_totp_secret: row.pending_totp_secret,
            created_at: row.created_at.to_jiff(),
            last_seen_at: row.last_seen_at.to_jiff(),
            client_addr: row.client_addr,
        })
    }
}

/// A row of `sign_in_counters`.
#[derive(Debug, sqlx::FromRow)]
pub struct CounterRow {
    failures: i32,
    window_started_at: jiff_sqlx::Timestamp,
    locked_until: Option<jiff_sqlx::Timestamp>,
}

impl From<CounterRow> for SignInCounter {
    fn from(row: CounterRow) -> Self {
        Self {
            failures: u32::try_from(row.failures).unwrap_or(0),
            window_started_at: row.window_started_at.to_jiff(),
            locked_until: row.locked_until.map(|t| t.to_jiff()),
        }
    }
}

/// A row of `api_tokens`.
#[derive(Debug, sqlx::FromRow)]
pub struct TokenRow {
    id: Uuid,
    person_id: Uuid,
    label: String,
    created_at: jiff_sqlx::Timestamp,
    expires_at: jiff_sqlx::Timestamp,
    revoked_at: Option<jiff_sqlx::Timestamp>,
}

impl From<TokenRow> for ApiToken {
    fn from(row: TokenRow) -> Self {
        Self {
            id: row.id,
            person_id: row.person_id,
            label: row.label,
            created_at: row.created_at.to_jiff(),
            expires_at: row.expires_at.to_jiff(),
            revoked_at: row.revoked_at.map(|t| t.to_jiff()),
        }
    }
}

/// A membership with its organisation's sharing setting.
#[derive(Debug, sqlx::FromRow)]
pub struct CallerRoleRow {
    role: String,
    organization_id: Uuid,
    team_id: Option<Uuid>,
    sharing_enabled: bool,
}

impl TryFrom<CallerRoleRow> for CallerRole {
    type Error = StoreError;
    fn try_from(row: CallerRoleRow) -> Result<Self, StoreError> {
        Ok(Self {
            role: Role::parse(&row.role).map_err(corrupt("memberships.role"))?,
            organization_id: row.organization_id,
            team_id: row.team_id,
            sharing_enabled: row.sharing_enabled,
        })
    }
}
