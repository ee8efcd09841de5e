//! Where files go: every object is sealed with age to the server's X25519
//! keys before it touches storage (a local folder, or S3-compatible storage
//! through `object_store`), and every uploaded image is checked, cleaned of
//! its metadata and thumbnailed before it is stored.

pub mod image;
mod keyring;
mod store;

pub use keyring::{KeyId, Keyring};
pub use store::{BlobError, BlobStore, StoredBlob};
