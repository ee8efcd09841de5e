//! Identifiers with validating constructors: parse at the boundary, and an
//! invalid RPPS, INS, FINESS or e-mail address cannot exist past it.

mod email;
mod finess;
mod ins;
mod luhn;
mod name;
mod rpps;

pub use email::Email;
pub use finess::Finess;
pub use ins::Ins;
pub use name::NamePart;
pub use rpps::Rpps;

/// Why an identifier was refused. Each message names the value and says
/// what is wrong, in French first (the users' language) then English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The value has the wrong length or characters.
    #[error("{kind} « {value} » invalide : {expected} / invalid {kind} '{value}': {expected_en}")]
    Format {
        /// RPPS, INS, FINESS…
        kind: &'static str,
        /// The value as given (trimmed).
        value: String,
        /// What a valid value looks like, in French.
        expected: &'static str,
        /// The same, in English.
        expected_en: &'static str,
    },
    /// The value is well formed but its check digit or key is wrong.
    #[error(
        "{kind} « {value} » invalide : clé de contrôle incorrecte / invalid {kind} '{value}': wrong check digit"
    )]
    CheckDigit {
        /// RPPS, INS, FINESS…
        kind: &'static str,
        /// The value as given (trimmed).
        value: String,
    },
}

/// The identifier as typed, without its spaces and upper-cased (so `2a` is
/// `2A`): people copy numbers from cards and letters in groups.
fn compact_upper(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Implements the string conversions every identifier shares, so each one
/// only has to say how it parses.
macro_rules! string_identifier {
    ($type:ident) => {
        impl $type {
            /// The normalised text of the identifier.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $type {
            type Err = $crate::identifiers::IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $type {
            type Error = $crate::identifiers::IdError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$type> for String {
            fn from(id: $type) -> String {
                id.0
            }
        }

        impl AsRef<str> for $type {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}
pub(crate) use string_identifier;
