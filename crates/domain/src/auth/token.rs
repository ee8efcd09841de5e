use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A bearer secret (session cookie or API token): 32 random bytes, URL-safe
/// base64. Only its SHA-256 is stored, so a database leak does not leak
/// working credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct OpaqueToken(String);

impl std::fmt::Debug for OpaqueToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpaqueToken(…)")
    }
}

impl OpaqueToken {
    /// A new random token, with `prefix` (e.g. `csl_`) so leaked tokens are recognisable.
    pub fn generate(rng: &mut impl RngCore, prefix: &str) -> Self {
        let mut bytes = [0u8; 32];
        rng.fill_bytes(&mut bytes);
        Self(format!(
            "{prefix}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        ))
    }

    /// The token as received from a client.
    pub fn from_client(text: &str) -> Self {
        Self(text.trim().to_owned())
    }

    /// The text to hand to the client (once).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the database stores.
    pub fn hash(&self) -> String {
        token_hash(&self.0)
    }
}

/// SHA-256 of a token, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = OpaqueToken::generate(&mut rand::rng(), "csl_");
        let b = OpaqueToken::generate(&mut rand::rng(), "csl_");
        assert_ne!(a, b);
        assert!(a.expose().starts_with("csl_") && a.expose().len() > 40);
        assert_eq!(a.hash().len(), 64);
        assert_eq!(
            OpaqueToken::from_client(&format!(" {} ", a.expose())).hash(),
            a.hash()
        );
    }
}
