//! What one person may hold in uploads not yet sent with a request: a cap on
//! pending bytes and files, so that one account — or a stolen token —
//! cannot fill the disk (SECURITY 17). Only the roles that attach files to
//! requests may upload at all.

use serde::Serialize;

/// The most a person may have pending: uploads still arriving or complete
/// but not attached to a sent request (drafts count: they are not sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UploadQuota {
    /// Bytes announced by the pending uploads.
    pub max_bytes: u64,
    /// Number of pending uploads.
    pub max_files: u64,
}

impl Default for UploadQuota {
    /// 256 MB and 100 files: ten requests' worth of phone photos.
    fn default() -> Self {
        Self {
            max_bytes: 256 * 1024 * 1024,
            max_files: 100,
        }
    }
}

/// A person's pending uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pending {
    /// How many.
    pub files: u64,
    /// Their announced bytes.
    pub bytes: u64,
}

impl UploadQuota {
    /// True when one more upload of `length` bytes stays within the quota.
    pub fn allows(&self, pending: Pending, length: u64) -> bool {
        pending.files < self.max_files && pending.bytes.saturating_add(length) <= self.max_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_and_files_are_both_capped() {
        let quota = UploadQuota {
            max_bytes: 100,
            max_files: 2,
        };
        let one = Pending {
            files: 1,
            bytes: 60,
        };
        assert!(quota.allows(one, 40));
        assert!(!quota.allows(one, 41));
        assert!(!quota.allows(Pending { files: 2, bytes: 0 }, 1));
        assert!(quota.allows(Pending::default(), 100));
    }
}
