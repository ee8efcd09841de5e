//! `consilium audit verify`.

use anyhow::bail;
use consilium_store::{Store, audit::AuditVerification};

/// Checks the chain; a broken chain is an error naming the first bad record.
pub async fn verify(store: &Store) -> anyhow::Result<()> {
    match store.verify_audit().await? {
        AuditVerification::Intact { records } => {
            println!(
                "journal d'audit intact / audit trail intact: {records} enregistrements / records"
            );
            Ok(())
        }
        AuditVerification::Broken { seq, reason } => {
            bail!(
                "journal d'audit rompu à l'enregistrement {seq} / audit trail broken at record {seq}: {reason}"
            )
        }
    }
}
