//! `meta.versionId` and `meta.lastUpdated`: where a resource's version
//! comes from. Resources whose every version is kept (a request's
//! `ServiceRequest` and `Task`, a report's `DocumentReference`) count them;
//! resources that never change are version 1; directory resources, which
//! change in place without history, take a hash of their content, so their
//! `ETag` changes exactly when they do.

use jiff::Timestamp;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Sets `meta.versionId` and `meta.lastUpdated` (keeping tags).
pub fn stamp(resource: &mut Value, version: &str, last_updated: Timestamp) {
    if !resource["meta"].is_object() {
        resource["meta"] = json!({});
    }
    resource["meta"]["versionId"] = json!(version);
    resource["meta"]["lastUpdated"] = json!(last_updated.to_string());
}

/// A version naming the content: 16 hex digits of its SHA-256 (meta aside).
pub fn content_version(resource: &Value) -> String {
    let mut content = resource.clone();
    if let Some(meta) = content.get_mut("meta").and_then(Value::as_object_mut) {
        meta.remove("versionId");
        meta.remove("lastUpdated");
        if meta.is_empty()
            && let Some(object) = content.as_object_mut()
        {
            object.remove("meta");
        }
    }
    let digest = Sha256::digest(content.to_string().as_bytes());
    hex::encode(&digest[..8])
}

/// The resource's `meta.versionId`.
pub fn version_of(resource: &Value) -> Option<&str> {
    resource["meta"]["versionId"].as_str()
}

/// The resource's `meta.lastUpdated`.
pub fn last_updated_of(resource: &Value) -> Option<Timestamp> {
    resource["meta"]["lastUpdated"].as_str()?.parse().ok()
}

/// The resource's type and id.
pub fn key_of(resource: &Value) -> Option<(&str, &str)> {
    Some((resource["resourceType"].as_str()?, resource["id"].as_str()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_version_ignores_meta_and_follows_content() {
        let mut a = json!({ "resourceType": "Practitioner", "id": "x", "active": true });
        let v1 = content_version(&a);
        stamp(&mut a, &v1, Timestamp::UNIX_EPOCH);
        assert_eq!(content_version(&a), v1, "stamping does not change it");
        a["active"] = json!(false);
        assert_ne!(content_version(&a), v1);
        assert_eq!(version_of(&a), Some(v1.as_str()));
        assert_eq!(last_updated_of(&a), Some(Timestamp::UNIX_EPOCH));
    }
}
