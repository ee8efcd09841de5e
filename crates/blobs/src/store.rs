//! The encrypted object store.

use std::{path::PathBuf, sync::Arc};

use bytes::Bytes;
use object_store::{
    ObjectStore, ObjectStoreExt, PutPayload, local::LocalFileSystem, path::Path as ObjectPath,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{KeyId, Keyring, image::DecodeBudget};

/// What can go wrong with stored objects.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The keyring file is missing, unreadable or empty.
    #[error("keyring: {0}")]
    Keyring(String),
    /// Sealing or opening failed; on reads this means the object was altered
    /// or sealed to a key we do not have.
    #[error("encryption: {0}")]
    Crypto(String),
    /// The storage failed (disk, network).
    #[error("storage: {0}")]
    Storage(String),
    /// No object under that key.
    #[error("no object {0}")]
    NotFound(String),
}

/// A stored object: where, sealed to which key, and what it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    /// The object's key in the store.
    pub key: String,
    /// The key it is sealed to.
    pub key_id: KeyId,
    /// The plaintext's size in bytes.
    pub size: u64,
    /// The plaintext's SHA-256, hex.
    pub sha256: String,
}

/// Objects sealed with age before they are written anywhere.
#[derive(Debug, Clone)]
pub struct BlobStore {
    inner: Arc<dyn ObjectStore>,
    keyring: Arc<Keyring>,
    /// For a local folder: where it is, so writes can be flushed to disk.
    local_root: Option<PathBuf>,
    /// Memory for decoding uploaded images, shared by every upload.
    decode_budget: DecodeBudget,
}

impl BlobStore {
    /// Objects in a local folder.
    pub fn local(root: &std::path::Path, keyring: Keyring) -> Result<Self, BlobError> {
        std::fs::create_dir_all(root).map_err(|e| BlobError::Storage(e.to_string()))?;
        let fs = LocalFileSystem::new_with_prefix(root)
            .map_err(|e| BlobError::Storage(e.to_string()))?;
        Ok(Self {
            inner: Arc::new(fs),
            keyring: Arc::new(keyring),
            local_root: Some(root.to_owned()),
            decode_budget: DecodeBudget::from_system_memory(),
        })
    }

    /// The same store, decoding images within `budget`.
    pub fn with_decode_budget(mut self, budget: DecodeBudget) -> Self {
        self.decode_budget = budget;
        self
    }

    /// The memory uploaded images may be decoded in.
    pub fn decode_budget(&self) -> &DecodeBudget {
        &self.decode_budget
    }

    /// Seals and writes `plaintext` under a new key; durable when it returns.
    pub async fn put(&self, plaintext: &[u8]) -> Result<StoredBlob, BlobError> {
        let sealed = self.keyring.encrypt(plaintext)?;
        let id = Uuid::now_v7().simple().to_string();
        // Two levels of folders keep directories small.
        let key = format!(
            "{}/{}/{id}.age",
            &id[id.len() - 2..],
            &id[id.len() - 4..id.len() - 2]
        );
        let path = ObjectPath::from(key.as_str());
        self.inner
            .put(&path, PutPayload::from(Bytes::from(sealed)))
            .await
            .map_err(|e| BlobError::Storage(e.to_string()))?;
        self.flush(&key).await?;
        Ok(StoredBlob {
            key,
            key_id: self.keyring.current_id(),
            size: plaintext.len() as u64,
            sha256: hex::encode(Sha256::digest(plaintext)),
        })
    }

    /// Reads and opens an object. A flipped byte is an error.
    pub async fn get(&self, key: &str) -> Result<Vec<u8>, BlobError> {
        let result = self
            .inner
            .get(&ObjectPath::from(key))
            .await
            .map_err(|e| match e {
                object_store::Error::NotFound { .. } => BlobError::NotFound(key.to_owned()),
                other => BlobError::Storage(other.to_string()),
            })?;
        let sealed = result
            .bytes()
            .await
            .map_err(|e| BlobError::Storage(e.to_string()))?;
        self.keyring.decrypt(&sealed)
    }

    /// Removes an object. Removing one already gone is done, as on S3
    /// (a retried clean-up, or a chunk deleted when its upload completed).
    pub async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match self.inner.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(BlobError::Storage(e.to_string())),
        }
    }

    /// On a local folder, the object and its folder reach the disk before
    /// the write is acknowledged (a power cut then loses nothing acknowledged).
    async fn flush(&self, key: &str) -> Result<(), BlobError> {
        let Some(root) = &self.local_root else {
            return Ok(());
        };
        let file = root.join(key);
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            std::fs::File::open(&file)?.sync_all()?;
            if let Some(dir) = file.parent() {
                std::fs::File::open(dir)?.sync_all()?;
            }
            Ok(())
        })
        .await
        .map_err(|e| BlobError::Storage(e.to_string()))?
        .map_err(|e| BlobError::Storage(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn objects_on_disk_are_sealed_and_tamper_evident() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::local(dir.path(), Keyring::generate()).unwrap();
        let jpeg_like = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[7u8; 4096][..]].concat();
        let stored = store.put(&jpeg_like).await.unwrap();
        assert_eq!(stored.size, 4100);
        assert_eq!(store.get(&stored.key).await.unwrap(), jpeg_like);
        let on_disk = std::fs::read(dir.path().join(&stored.key)).unwrap();
        assert!(on_disk.starts_with(b"age-encryption.org/v1"));
        assert!(
            !on_disk.windows(3).any(|w| w == [0xFF, 0xD8, 0xFF]),
            "no JPEG signature on disk"
        );
        let mut flipped = on_disk.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x80;
        std::fs::write(dir.path().join(&stored.key), &flipped).unwrap();
        assert!(matches!(
            store.get(&stored.key).await,
            Err(BlobError::Crypto(_))
        ));
        assert!(matches!(
            store.get("no/such.age").await,
            Err(BlobError::NotFound(_))
        ));
    }

    #[tokio::test]
    async fn deleting_twice_is_done_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::local(dir.path(), Keyring::generate()).unwrap();
        let stored = store.put(b"chunk").await.unwrap();
        store.delete(&stored.key).await.unwrap();
        assert!(matches!(
            store.get(&stored.key).await,
            Err(BlobError::NotFound(_))
        ));
        store.delete(&stored.key).await.unwrap();
    }
}
