use std::sync::LazyLock;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};
use rand::RngCore;

/// How many guesses (log10) zxcvbn must estimate for a password.
const MIN_GUESSES_LOG10: f64 = 9.0;

/// A password as chosen by a user: 12 to 128 characters, not blank, and not
/// easy to guess (zxcvbn: no common password, word, name, keyboard walk,
/// sequence or repetition that an attacker tries first). Its text is never
/// printed by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// Why a password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Too short or too long.
    #[error(
        "le mot de passe doit compter de 12 à 128 caractères / the password must have 12 to 128 characters"
    )]
    Length,
    /// Long enough but easy to guess.
    #[error(
        "mot de passe trop facile à deviner (mot courant, suite, répétition ou votre nom) : choisissez par exemple quatre mots sans rapport entre eux / password too easy to guess (common word, sequence, repetition or your name): try four unrelated words"
    )]
    Guessable,
    /// Hashing failed (a bug or an exhausted machine).
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

impl Password {
    /// Checks the rules (NIST SP 800-63B: length and a check against
    /// passwords attackers try first, not composition).
    pub fn parse(text: &str) -> Result<Self, PasswordError> {
        Self::checked(text, &[])
    }

    /// The same for a password a person chooses, also refusing one built on
    /// `personal` words (their names, e-mail address) or the site's name.
    pub fn parse_for(text: &str, personal: &[&str]) -> Result<Self, PasswordError> {
        // Lower case, and each part of a name or address on its own.
        let words: Vec<String> = personal
            .iter()
            .flat_map(|p| p.split(|c: char| !c.is_alphanumeric()))
            .chain(personal.iter().copied())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_lowercase)
            .collect();
        let mut inputs: Vec<&str> = vec!["consilium", "telemedecine", "motdepasse", "medecin"];
        inputs.extend(words.iter().map(String::as_str));
        Self::checked(text, &inputs)
    }

    fn checked(text: &str, inputs: &[&str]) -> Result<Self, PasswordError> {
        let count = text.chars().count();
        if !(12..=128).contains(&count) || text.trim().is_empty() {
            return Err(PasswordError::Length);
        }
        // A billion guesses: past zxcvbn's "safely unguessable" line (10^8),
        // which a name, a dot and a digit still reach.
        if zxcvbn::zxcvbn(text, inputs).guesses_log10() < MIN_GUESSES_LOG10 {
            return Err(PasswordError::Guessable);
        }
        Ok(Self(text.to_owned()))
    }

    /// The text, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The argon2id PHC string of `password`, with a fresh random salt.
pub fn hash_password(password: &Password, rng: &mut impl RngCore) -> Result<String, PasswordError> {
    let mut salt_bytes = [0u8; 16];
    rng.fill_bytes(&mut salt_bytes);
    let salt =
        SaltString::encode_b64(&salt_bytes).map_err(|e| PasswordError::Hashing(e.to_string()))?;
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// True when `candidate` matches the stored PHC string.
pub fn verify_password(stored: &str, candidate: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(candidate.as_bytes(), &hash)
            .is_ok()
    })
}

/// A hash nobody's password matches, verified for unknown accounts so that
/// they take as long as known ones (no account enumeration by timing).
static DECOY: LazyLock<String> = LazyLock::new(|| {
    Password::parse("decoy password that nobody has")
        .ok()
        .and_then(|p| hash_password(&p, &mut rand::rng()).ok())
        .unwrap_or_default()
});

/// Spends the time a real verification takes; always false.
pub fn verify_unknown_account(candidate: &str) -> bool {
    let _ = verify_password(&DECOY, candidate);
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_salts_differ() {
        let password = Password::parse("correct horse battery").unwrap();
        let a = hash_password(&password, &mut rand::rng()).unwrap();
        let b = hash_password(&password, &mut rand::rng()).unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify_password(&a, "correct horse battery"));
        assert!(!verify_password(&a, "correct horse batterY"));
        assert!(!verify_password("not a hash", "correct horse battery"));
        assert!(!verify_unknown_account("correct horse battery"));
    }

    #[test]
    fn length_rule() {
        assert_eq!(Password::parse("short"), Err(PasswordError::Length));
        assert_eq!(Password::parse(&" ".repeat(20)), Err(PasswordError::Length));
        assert!(Password::parse("ruisseau violet lampe").is_ok());
        assert!(
            !format!("{:?}", Password::parse("ruisseau violet lampe").unwrap()).contains("lampe")
        );
    }

    #[test]
    fn common_and_repetitive_passwords_are_refused() {
        for weak in [
            "aaaaaaaaaaaa",
            "123456789012",
            "azertyuiopqs",
            "password1234",
            "abcdefghijkl",
        ] {
            assert_eq!(
                Password::parse(weak),
                Err(PasswordError::Guessable),
                "{weak}"
            );
        }
        assert_eq!(
            Password::parse_for("sophielambert1", &["Sophie", "Lambert"]),
            Err(PasswordError::Guessable)
        );
        assert_eq!(
            Password::parse_for("consilium2026", &[]),
            Err(PasswordError::Guessable),
            "not the site's name"
        );
        assert!(Password::parse("correct horse battery").is_ok());
    }
}
