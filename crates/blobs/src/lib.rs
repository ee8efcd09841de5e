//! Where files go: every object is sealed with age to the server's X25519
//! keys before it touches storage (a local folder, or S3-compatible storage
//! through `object_store`), and every uploaded image is checked, cleaned of
//! its metadata and thumbnailed before it is stored.

pub mod image;
mod keyring;
mod store;
#[cfg(any(test, feature = "test-support"))]
pub mod testdata;

pub use keyring::{KeyId, Keyring};
pub use store::{BlobError, BlobStore, StoredBlob};

/// SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
