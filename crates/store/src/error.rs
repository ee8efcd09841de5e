use consilium_domain::{IdError, auth::PasswordError, directory::DirectoryError};

/// The one error type of the store layer. Client errors say what and which
/// value; internal ones keep their cause for the log and are shown to users
/// as an opaque failure by the layers above.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing looked up does not exist (or the caller may not know it does).
    #[error("{what} introuvable : {key} / {what} not found: {key}")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// The key given.
        key: String,
    },
    /// The thing to create exists already.
    #[error("{what} existe déjà : {key} / {what} already exists: {key}")]
    Conflict {
        /// What clashed.
        what: &'static str,
        /// The clashing key.
        key: String,
    },
    /// The directory rules refuse the change.
    #[error(transparent)]
    Rule(#[from] DirectoryError),
    /// An identifier in the input is invalid.
    #[error(transparent)]
    Id(#[from] IdError),
    /// A new patient's identity is refused (identity vigilance).
    #[error(transparent)]
    Identity(#[from] crate::identity::IdentityRefusal),
    /// An answer the questionnaire does not take.
    #[error(transparent)]
    Answer(#[from] consilium_domain::questionnaire::AnswerError),
    /// A birth date that cannot be.
    #[error(transparent)]
    BirthDate(#[from] consilium_domain::patient::BirthDateError),
    /// A new password breaks the rules.
    #[error(transparent)]
    Password(#[from] PasswordError),
    /// Authentication failed.
    #[error(transparent)]
    Auth(crate::auth::AuthError),
    /// The database cannot be reached right now (the request may be retried).
    #[error("base de données indisponible / database unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a bug or a corrupted row. Logged, never shown.
    #[error("internal store error at {location}: {message}")]
    Internal {
        /// What went wrong.
        message: String,
        /// Where it was noticed.
        location: &'static std::panic::Location<'static>,
    },
}

impl StoreError {
    /// An internal error, located at the caller.
    #[track_caller]
    pub fn internal(message: impl std::fmt::Display) -> Self {
        Self::Internal {
            message: message.to_string(),
            location: std::panic::Location::caller(),
        }
    }

    /// True when the user's input caused the error (a 4xx, not a 5xx).
    pub fn is_client_error(&self) -> bool {
        matches!(
            self,
            Self::NotFound { .. }
                | Self::Conflict { .. }
                | Self::Rule(_)
                | Self::Id(_)
                | Self::Auth(_)
                | Self::Password(_)
                | Self::Identity(_)
                | Self::BirthDate(_)
                | Self::Answer(_)
        )
    }
}
