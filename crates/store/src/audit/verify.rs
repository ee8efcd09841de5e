use super::chain::{GENESIS, record_hash};
use crate::{Store, StoreError};

/// What `consilium audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerification {
    /// Every record links to the previous one and the signed head matches the last.
    Intact {
        /// How many records were checked.
        records: i64,
    },
    /// The first place where the chain breaks.
    Broken {
        /// The record at fault (or the missing one).
        seq: i64,
        /// What is wrong.
        reason: String,
    },
}

const BATCH: i64 = 1000;

impl Store {
    /// Walks the whole chain and checks it against the signed head.
    pub async fn verify_audit(&self) -> Result<AuditVerification, StoreError> {
        let mut tx = self.backend().begin().await?;
        let head = tx.lock_audit_head().await?;
        let mut expected_seq = 1;
        let mut prev_hash = GENESIS.to_owned();
        loop {
            let batch = tx.audit_records(expected_seq - 1, BATCH).await?;
            if batch.is_empty() {
                break;
            }
            for record in batch {
                if record.seq != expected_seq {
                    return Ok(broken(
                        expected_seq,
                        format!("record missing or reordered (found {} next)", record.seq),
                    ));
                }
                if record.prev_hash != prev_hash {
                    return Ok(broken(
                        record.seq,
                        "does not link to the previous record (deleted or reordered)",
                    ));
                }
                if record_hash(&record) != record.hash {
                    return Ok(broken(
                        record.seq,
                        "content does not match its hash (edited)",
                    ));
                }
                prev_hash = record.hash;
                expected_seq += 1;
            }
        }
        let last = expected_seq - 1;
        let Some(head) = head else {
            return Ok(if last == 0 {
                AuditVerification::Intact { records: 0 }
            } else {
                broken(last, "records exist but the signed head is missing")
            });
        };
        if head.mac != self.audit_key().mac(head.seq, &head.hash) {
            return Ok(broken(
                head.seq,
                "the head's signature is wrong (head edited, or wrong audit key)",
            ));
        }
        if head.seq > last {
            return Ok(broken(
                last + 1,
                format!(
                    "the chain ends at {last} but the signed head says {} (truncated)",
                    head.seq
                ),
            ));
        }
        if head.seq < last || head.hash != prev_hash {
            return Ok(broken(head.seq, "the signed head does not match the chain"));
        }
        Ok(AuditVerification::Intact { records: last })
    }
}

fn broken(seq: i64, reason: impl Into<String>) -> AuditVerification {
    AuditVerification::Broken {
        seq,
        reason: reason.into(),
    }
}
