//! The audit key file: 32 random bytes, hex, readable by the owner only.

use std::{io::Write, path::Path};

use anyhow::{Context, bail};
use consilium_store::audit::AuditKey;

/// Reads the key at `path`, creating it (and its folder) on first use.
pub fn load_or_create(path: &Path) -> anyhow::Result<AuditKey> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let bytes = hex::decode(text.trim()).with_context(|| {
                format!(
                    "clé d'audit illisible / unreadable audit key {}",
                    path.display()
                )
            })?;
            Ok(AuditKey::from_bytes(bytes)?)
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(err) => bail!(
            "clé d'audit illisible / cannot read audit key {}: {err}",
            path.display()
        ),
    }
}

fn create(path: &Path) -> anyhow::Result<AuditKey> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let key = AuditKey::generate(&mut rand::rng());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(hex::encode(key.bytes()).as_bytes())?;
            file.sync_all()?;
            Ok(key)
        }
        // Another process created it first: use theirs.
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => load_or_create(path),
        Err(err) => bail!("cannot create audit key {}: {err}", path.display()),
    }
}
