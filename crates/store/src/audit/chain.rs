use hmac::{Hmac, Mac};
use jiff::Unit;
use sha2::{Digest, Sha256};

use super::{AuditEntry, AuditHead, AuditRecord};
use crate::{StoreError, Tx};

/// The hash that precedes the first record.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The secret that signs the chain's head. It lives outside the database
/// (a file), so someone who can edit the database cannot re-sign a
/// shortened chain.
#[derive(Clone)]
pub struct AuditKey(Vec<u8>);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

impl AuditKey {
    /// A key from its bytes (at least 32).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, StoreError> {
        if bytes.len() < 32 {
            return Err(StoreError::internal(
                "the audit key must have at least 32 bytes",
            ));
        }
        Ok(Self(bytes))
    }

    /// A new random key.
    pub fn generate(rng: &mut impl rand::RngCore) -> Self {
        let mut bytes = vec![0u8; 32];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The key's bytes, to save it.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The MAC of a head position and hash.
    pub(crate) fn mac(&self, seq: i64, hash: &str) -> String {
        // HMAC accepts keys of any length: this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        mac.update(format!("{seq}\n{hash}").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// The hash of a record: SHA-256 over the previous hash and every field,
/// one per line, labelled, so no field can bleed into the next.
pub(crate) fn record_hash(record: &AuditRecord) -> String {
    let opt = |v: &Option<uuid::Uuid>| v.map(|u| u.to_string()).unwrap_or_default();
    let text = format!(
        "prev={}\nseq={}\nat={}\nactor={}\nvia={}\norg={}\npatient={}\ncase={}\nobject={}\naction={}\noutcome={}\naddr={}\nrequest={}",
        record.prev_hash,
        record.seq,
        record.at,
        opt(&record.actor_id),
        record.via,
        opt(&record.organization_id),
        opt(&record.patient_id),
        opt(&record.case_id),
        opt(&record.object_id),
        record.action,
        record.outcome,
        record.client_addr.as_deref().unwrap_or(""),
        record.request_id.as_deref().unwrap_or(""),
    );
    // Added later: hashed only when present, so older records verify as written.
    let text = if record.patients.is_empty() {
        text
    } else {
        let ids: Vec<String> = record.patients.iter().map(ToString::to_string).collect();
        format!("{text}\npatients={}", ids.join(" "))
    };
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Appends `entry` to the chain inside `tx`: the caller's commit makes the
/// record and the change it describes durable together.
pub(crate) async fn append(
    tx: &mut dyn Tx,
    key: &super::AuditKey,
    entry: AuditEntry,
) -> Result<(), StoreError> {
    let head = tx.lock_audit_head().await?;
    let (prev_seq, prev_hash) = head.map_or((0, GENESIS.to_owned()), |h| (h.seq, h.hash));
    // PostgreSQL keeps microseconds: hash what will be read back.
    let at = entry
        .at
        .round(Unit::Microsecond)
        .map_err(StoreError::internal)?;
    let mut record = AuditRecord {
        seq: prev_seq + 1,
        at,
        actor_id: entry.actor_id,
        via: entry.via.code().to_owned(),
        organization_id: entry.organization_id,
        patient_id: entry.patient_id,
        case_id: entry.case_id,
        object_id: entry.object_id,
        patients: entry.patients,
        action: entry.action.to_owned(),
        outcome: entry.outcome.code().to_owned(),
        client_addr: entry.client.addr,
        request_id: entry.client.request_id,
        prev_hash,
        hash: String::new(),
    };
    record.hash = record_hash(&record);
    tx.insert_audit(&record).await?;
    let mac = key.mac(record.seq, &record.hash);
    tx.put_audit_head(&AuditHead {
        seq: record.seq,
        hash: record.hash,
        mac,
    })
    .await
}
