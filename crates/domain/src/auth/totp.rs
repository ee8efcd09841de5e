use jiff::Timestamp;
use rand::RngCore;
use totp_rs::{Algorithm, Secret, TOTP};

/// The TOTP step, in seconds (RFC 6238 default, what every authenticator app uses).
const STEP: i64 = 30;

/// A TOTP shared secret (20 random bytes, shown to users in base32).
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

/// Why a code is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    /// Not the code of the current step or of one step either side.
    #[error("code incorrect ou expiré / wrong or expired code")]
    Wrong,
    /// The code of a step already used: a replay.
    #[error(
        "ce code a déjà servi : attendez le suivant / this code was used already: wait for the next one"
    )]
    Replayed,
    /// The stored secret is not base32.
    #[error("invalid TOTP secret")]
    BadSecret,
}

impl TotpSecret {
    /// A new random secret.
    pub fn generate(rng: &mut impl RngCore) -> Self {
        let mut bytes = vec![0u8; 20];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// Reads a base32 secret (as stored, or as typed from an app).
    pub fn from_base32(text: &str) -> Result<Self, TotpError> {
        let cleaned: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        Secret::Encoded(cleaned)
            .to_bytes()
            .map(Self)
            .map_err(|_| TotpError::BadSecret)
    }

    /// The base32 text users type into an authenticator app.
    pub fn to_base32(&self) -> String {
        Secret::Raw(self.0.clone()).to_encoded().to_string()
    }

    fn totp(&self) -> Result<TOTP, TotpError> {
        TOTP::new(Algorithm::SHA1, 6, 0, STEP.unsigned_abs(), self.0.clone())
            .map_err(|_| TotpError::BadSecret)
    }

    /// The step `at` falls in.
    pub fn step_at(at: Timestamp) -> i64 {
        at.as_second().div_euclid(STEP)
    }

    /// The code of `step`.
    pub fn code_for_step(&self, step: i64) -> Result<String, TotpError> {
        let seconds = u64::try_from(step * STEP).map_err(|_| TotpError::Wrong)?;
        Ok(self.totp()?.generate(seconds))
    }

    /// The code valid at `at` (for the demo helper and tests).
    pub fn code_at(&self, at: Timestamp) -> Result<String, TotpError> {
        self.code_for_step(Self::step_at(at))
    }

    /// Checks `code` at `now`, allowing one step of drift either way, and
    /// refusing any step at or before `last_used_step`: each code works once.
    /// Returns the step matched, to be stored as the new `last_used_step`.
    pub fn verify(
        &self,
        code: &str,
        now: Timestamp,
        last_used_step: Option<i64>,
    ) -> Result<i64, TotpError> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let current = Self::step_at(now);
        for step in [current - 1, current, current + 1] {
            if self.code_for_step(step)? == code {
                if last_used_step.is_some_and(|last| step <= last) {
                    return Err(TotpError::Replayed);
                }
                return Ok(step);
            }
        }
        Err(TotpError::Wrong)
    }

    /// The `otpauth://` URI an authenticator app scans.
    pub fn otpauth_uri(&self, account: &str) -> String {
        let label: String = account
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "@.-_".contains(c) {
                    c.to_string()
                } else {
                    format!("%{:02X}", u32::from(c))
                }
            })
            .collect();
        format!(
            "otpauth://totp/Consilium:{label}?secret={}&issuer=Consilium&algorithm=SHA1&digits=6&period={STEP}",
            self.to_base32()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn rfc6238_vector() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) → 287082 (6).
        let secret = TotpSecret(b"12345678901234567890".to_vec());
        assert_eq!(
            secret.code_at(at("1970-01-01T00:00:59Z")).unwrap(),
            "287082"
        );
    }

    #[test]
    fn one_step_of_drift_and_each_code_once() {
        let secret = TotpSecret::generate(&mut rand::rng());
        let now = at("2026-11-23T10:00:15Z");
        let step = TotpSecret::step_at(now);
        let current = secret.code_for_step(step).unwrap();
        let previous = secret.code_for_step(step - 1).unwrap();
        let too_old = secret.code_for_step(step - 2).unwrap();
        assert_eq!(secret.verify(&current, now, None), Ok(step));
        assert_eq!(
            secret.verify(&current, now, Some(step)),
            Err(TotpError::Replayed)
        );
        assert_eq!(secret.verify(&previous, now, None), Ok(step - 1));
        assert_eq!(
            secret.verify(&previous, now, Some(step - 1)),
            Err(TotpError::Replayed)
        );
        if too_old != current
            && too_old != previous
            && too_old != secret.code_for_step(step + 1).unwrap()
        {
            assert_eq!(secret.verify(&too_old, now, None), Err(TotpError::Wrong));
        }
    }

    #[test]
    fn base32_round_trip_and_uri() {
        let secret = TotpSecret::generate(&mut rand::rng());
        let text = secret.to_base32();
        assert_eq!(
            TotpSecret::from_base32(&text.to_lowercase()).unwrap(),
            secret
        );
        let uri = secret.otpauth_uri("claire.martin@demo.test");
        assert!(uri.starts_with("otpauth://totp/Consilium:claire.martin@demo.test?secret="));
        assert!(TotpSecret::from_base32("not base32 !").is_err());
    }
}
