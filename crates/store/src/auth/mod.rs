//! Sign-in, sessions, API tokens and administrators' powers over accounts.
//! Every step that matters is audited in its own transaction.

mod admin;
mod sessions;
mod sign_in;
mod throttling;
mod tokens;

use async_trait::async_trait;
use consilium_domain::{
    Email,
    access::{Caller, CallerRole},
    auth::{SignInCounter, SignInThrottle, TotpError},
};
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

pub use sessions::SessionState;
pub use sign_in::{PendingSignIn, SignedIn};
pub use throttling::DeviceTx;
pub use tokens::ApiToken;

use crate::{
    Person, StoreError,
    audit::{ClientInfo, Via},
};

/// Session lifetimes and sign-in throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthSettings {
    /// A session unused this long ends.
    pub idle_timeout: SignedDuration,
    /// A session ends this long after sign-in, used or not.
    pub lifetime: SignedDuration,
    /// A half-done sign-in (password given, code not yet) ends this long after it began.
    pub pending_lifetime: SignedDuration,
    /// Failures before a lock, and for how long, by key.
    pub throttle: SignInThrottle,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            idle_timeout: SignedDuration::from_mins(30),
            lifetime: SignedDuration::from_hours(12),
            pending_lifetime: SignedDuration::from_mins(10),
            throttle: SignInThrottle::default(),
        }
    }
}

/// Why authentication failed. The messages are the same whether or not the
/// account exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// Wrong e-mail address or password (deliberately not saying which).
    #[error("adresse e-mail ou mot de passe incorrect / wrong e-mail address or password")]
    InvalidCredentials,
    /// Too many failures: wait.
    #[error(
        "trop de tentatives : réessayez dans 15 minutes / too many attempts: try again in 15 minutes"
    )]
    Locked,
    /// The TOTP code was refused.
    #[error(transparent)]
    Code(#[from] TotpError),
    /// No valid session (expired, revoked, or never existed).
    #[error("session expirée : reconnectez-vous / session expired: sign in again")]
    SessionExpired,
    /// No valid token.
    #[error("jeton invalide, expiré ou révoqué / invalid, expired or revoked token")]
    InvalidToken,
}

/// Where a half-done sign-in stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    /// Password checked; the TOTP code is next.
    SecondFactor,
    /// Password checked; the person has no second factor yet and must enrol.
    Enrolment,
    /// Fully signed in.
    Active,
}

impl SessionStage {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::SecondFactor => "second_factor",
            Self::Enrolment => "enrolment",
            Self::Active => "active",
        }
    }

    /// Reads a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        [Self::SecondFactor, Self::Enrolment, Self::Active]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A signed-in person acting through a session, a token or a command: what
/// every use case on patient data takes, and what the audit records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Who, with their roles.
    pub caller: Caller,
    /// Their name and e-mail address, for pages.
    pub person: Person,
    /// How they came.
    pub via: Via,
    /// Where from.
    pub client: ClientInfo,
    /// How many of their notifications are unread (for the header's bell).
    pub unread_notifications: i64,
}

/// An account's password and second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Whose.
    pub person_id: Uuid,
    /// Whether the person is active.
    pub active: bool,
    /// argon2id PHC string.
    pub password_hash: String,
    /// base32 TOTP secret, once enrolled.
    pub totp_secret: Option<String>,
    /// The last TOTP step accepted.
    pub totp_last_step: Option<i64>,
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the cookie value.
    pub token_hash: String,
    /// Whose.
    pub person_id: Uuid,
    /// How far sign-in went.
    pub stage: SessionStage,
    /// The secret being enrolled, during enrolment.
    pub pending_totp_secret: Option<String>,
    /// When it began.
    pub created_at: Timestamp,
    /// When it was last used.
    pub last_seen_at: Timestamp,
    /// From where it began.
    pub client_addr: Option<String>,
}

/// The authentication primitives.
#[async_trait]
pub trait AuthTx: Send {
    /// The credentials of the person with this e-mail address.
    async fn credentials_by_email(
        &mut self,
        email: &Email,
    ) -> Result<Option<Credentials>, StoreError>;
    /// The credentials of a person.
    async fn credentials(&mut self, person_id: Uuid) -> Result<Option<Credentials>, StoreError>;
    /// Adds credentials unless the person has some.
    async fn insert_credentials(
        &mut self,
        person_id: Uuid,
        password_hash: &str,
        totp_secret: Option<&str>,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Sets the password, keeping the second factor.
    async fn set_password_hash(
        &mut self,
        person_id: Uuid,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// Sets (or clears) the TOTP secret and the last step used.
    async fn set_totp(
        &mut self,
        person_id: Uuid,
        secret: Option<&str>,
        last_step: Option<i64>,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// A throttling counter.
    async fn sign_in_counter(&mut self, key: &str) -> Result<Option<SignInCounter>, StoreError>;
    /// Writes a throttling counter.
    async fn put_sign_in_counter(
        &mut self,
        key: &str,
        counter: &SignInCounter,
    ) -> Result<(), StoreError>;
    /// Forgets a throttling counter.
    async fn delete_sign_in_counter(&mut self, key: &str) -> Result<(), StoreError>;

    /// Stores a session.
    async fn insert_session(&mut self, session: &SessionRecord) -> Result<(), StoreError>;
    /// A session by token hash.
    async fn session(&mut self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError>;
    /// Marks a session used at `now`.
    async fn touch_session(&mut self, token_hash: &str, now: Timestamp) -> Result<(), StoreError>;
    /// Ends a session.
    async fn delete_session(&mut self, token_hash: &str) -> Result<(), StoreError>;
    /// Ends every session of a person but `except`; says how many.
    async fn delete_sessions_of(
        &mut self,
        person_id: Uuid,
        except: Option<&str>,
    ) -> Result<u64, StoreError>;

    /// Stores an API token.
    async fn insert_token(&mut self, token: &ApiToken, token_hash: &str) -> Result<(), StoreError>;
    /// A token by hash.
    async fn token_by_hash(&mut self, token_hash: &str) -> Result<Option<ApiToken>, StoreError>;
    /// Every token, newest first.
    async fn tokens(&mut self) -> Result<Vec<ApiToken>, StoreError>;
    /// Revokes a token; false if unknown or revoked already.
    async fn revoke_token(&mut self, id: Uuid, now: Timestamp) -> Result<bool, StoreError>;
    /// Revokes every token of a person; says how many.
    async fn revoke_tokens_of(
        &mut self,
        person_id: Uuid,
        now: Timestamp,
    ) -> Result<u64, StoreError>;

    /// A person by id.
    async fn person(&mut self, person_id: Uuid) -> Result<Option<Person>, StoreError>;
    /// Activates or deactivates a person.
    async fn set_active(
        &mut self,
        person_id: Uuid,
        active: bool,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// The roles of a person, with their organisations' sharing setting.
    async fn caller_roles(&mut self, person_id: Uuid) -> Result<Vec<CallerRole>, StoreError>;

    /// A setting.
    async fn setting(&mut self, key: &str) -> Result<Option<String>, StoreError>;
    /// Writes a setting.
    async fn put_setting(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
}

/// The actor for a person, if active.
pub(crate) async fn actor_for(
    tx: &mut dyn crate::Tx,
    person_id: Uuid,
    via: Via,
    client: ClientInfo,
) -> Result<Option<Actor>, StoreError> {
    let Some(person) = tx.person(person_id).await?.filter(|p| p.active) else {
        return Ok(None);
    };
    let roles = tx.caller_roles(person_id).await?;
    let unread_notifications = tx.unread_count(person_id).await?;
    Ok(Some(Actor {
        caller: Caller { person_id, roles },
        person,
        via,
        client,
        unread_notifications,
    }))
}

impl From<AuthError> for StoreError {
    fn from(err: AuthError) -> Self {
        StoreError::Auth(err)
    }
}
