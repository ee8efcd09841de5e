//! The server's age identities. The first encrypts; all of them decrypt, so
//! objects sealed before a rotation stay readable.

use std::{io::Write, path::Path, str::FromStr};

use age::{secrecy::ExposeSecret, x25519};
use sha2::{Digest, Sha256};

use crate::BlobError;

/// A short, stable name for a key: the first 16 hex digits of the SHA-256
/// of its public recipient. Stored beside each object's row for rotation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyId(pub String);

impl std::fmt::Display for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn key_id(identity: &x25519::Identity) -> KeyId {
    let recipient = identity.to_public().to_string();
    KeyId(hex::encode(&Sha256::digest(recipient.as_bytes())[..8]))
}

/// The identities, newest first.
pub struct Keyring {
    identities: Vec<x25519::Identity>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<KeyId> = self.identities.iter().map(key_id).collect();
        f.debug_struct("Keyring").field("key_ids", &ids).finish()
    }
}

impl Keyring {
    /// A keyring with one new identity.
    pub fn generate() -> Self {
        Self {
            identities: vec![x25519::Identity::generate()],
        }
    }

    /// Reads `AGE-SECRET-KEY-1…` lines (newest first; `#` comments allowed).
    pub fn from_text(text: &str) -> Result<Self, BlobError> {
        let identities = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| x25519::Identity::from_str(l).map_err(|e| BlobError::Keyring(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        if identities.is_empty() {
            return Err(BlobError::Keyring("no key in the keyring".into()));
        }
        Ok(Self { identities })
    }

    /// The keyring file's text (secret).
    pub fn to_text(&self) -> String {
        let mut text = String::from(
            "# Consilium blob keys, newest first. Keep secret; keep old keys until rotated out.\n",
        );
        for identity in &self.identities {
            text.push_str(identity.to_string().expose_secret());
            text.push('\n');
        }
        text
    }

    /// Reads the keyring at `path`, creating it (mode 0600) on first use.
    pub fn load_or_create(path: &Path) -> Result<Self, BlobError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::from_text(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let keyring = Self::generate();
                keyring.save_new(path)?;
                Ok(keyring)
            }
            Err(e) => Err(BlobError::Keyring(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    fn save_new(&self, path: &Path) -> Result<(), BlobError> {
        let io =
            |e: std::io::Error| BlobError::Keyring(format!("cannot write {}: {e}", path.display()));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(io)?;
        file.write_all(self.to_text().as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)
    }

    /// Adds a new identity in front: new objects are sealed to it.
    pub fn rotate(&mut self) {
        self.identities.insert(0, x25519::Identity::generate());
    }

    /// The id of the key new objects are sealed to.
    pub fn current_id(&self) -> KeyId {
        key_id(&self.identities[0])
    }

    /// Seals `plaintext` to the current key.
    pub(crate) fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>, BlobError> {
        let recipient = self.identities[0].to_public();
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| BlobError::Crypto(e.to_string()))?;
        let mut sealed = Vec::with_capacity(plaintext.len() + 256);
        let mut writer = encryptor
            .wrap_output(&mut sealed)
            .map_err(|e| BlobError::Crypto(e.to_string()))?;
        writer
            .write_all(plaintext)
            .map_err(|e| BlobError::Crypto(e.to_string()))?;
        writer
            .finish()
            .map_err(|e| BlobError::Crypto(e.to_string()))?;
        Ok(sealed)
    }

    /// Seals `plaintext` (for the benchmark, which lives outside the crate).
    #[doc(hidden)]
    pub fn encrypt_for_bench(&self, plaintext: &[u8]) -> Vec<u8> {
        self.encrypt(plaintext).unwrap_or_default()
    }

    /// Opens an object sealed to any key of the ring. A modified object fails
    /// authentication: an error, never wrong data.
    pub(crate) fn decrypt(&self, sealed: &[u8]) -> Result<Vec<u8>, BlobError> {
        let decryptor =
            age::Decryptor::new(sealed).map_err(|e| BlobError::Crypto(e.to_string()))?;
        let identities = self.identities.iter().map(|i| i as &dyn age::Identity);
        let mut reader = decryptor
            .decrypt(identities)
            .map_err(|e| BlobError::Crypto(e.to_string()))?;
        let mut plaintext = Vec::with_capacity(sealed.len());
        std::io::Read::read_to_end(&mut reader, &mut plaintext)
            .map_err(|e| BlobError::Crypto(e.to_string()))?;
        Ok(plaintext)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_rotation_and_tampering() {
        let mut ring = Keyring::generate();
        let old = ring.encrypt(b"photo de la lesion").unwrap();
        let old_id = ring.current_id();
        ring.rotate();
        assert_ne!(ring.current_id(), old_id);
        assert_eq!(
            ring.decrypt(&old).unwrap(),
            b"photo de la lesion",
            "old objects stay readable"
        );
        let new = ring.encrypt(b"nouvelle photo").unwrap();
        let reloaded = Keyring::from_text(&ring.to_text()).unwrap();
        assert_eq!(reloaded.decrypt(&new).unwrap(), b"nouvelle photo");
        for i in [old.len() / 2, old.len() - 1, 40] {
            let mut flipped = old.clone();
            flipped[i] ^= 0x01;
            assert!(
                ring.decrypt(&flipped).is_err(),
                "byte {i} flipped must fail"
            );
        }
        let stranger = Keyring::generate();
        assert!(stranger.decrypt(&new).is_err());
    }
}
