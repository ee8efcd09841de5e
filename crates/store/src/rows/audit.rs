use uuid::Uuid;

use crate::audit::{AuditHead, AuditRecord};

/// A row of `audit_log`.
#[derive(Debug, sqlx::FromRow)]
pub struct AuditRow {
    seq: i64,
    at: jiff_sqlx::Timestamp,
    actor_id: Option<Uuid>,
    via: String,
    organization_id: Option<Uuid>,
    patient_id: Option<Uuid>,
    case_id: Option<Uuid>,
    object_id: Option<Uuid>,
    patients: Option<String>,
    action: String,
    outcome: String,
    client_addr: Option<String>,
    request_id: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<AuditRow> for AuditRecord {
    fn from(row: AuditRow) -> Self {
        Self {
            seq: row.seq,
            at: row.at.to_jiff(),
            actor_id: row.actor_id,
            via: row.via,
            organization_id: row.organization_id,
            patient_id: row.patient_id,
            case_id: row.case_id,
            object_id: row.object_id,
            patients: row
                .patients
                .as_deref()
                .unwrap_or("")
                .split_whitespace()
                .filter_map(|id| Uuid::parse_str(id).ok())
                .collect(),
            action: row.action,
            outcome: row.outcome,
            client_addr: row.client_addr,
            request_id: row.request_id,
            prev_hash: row.prev_hash,
            hash: row.hash,
        }
    }
}

/// The row of `audit_head`.
#[derive(Debug, sqlx::FromRow)]
pub struct AuditHeadRow {
    seq: i64,
    hash: String,
    mac: String,
}

impl From<AuditHeadRow> for AuditHead {
    fn from(row: AuditHeadRow) -> Self {
        Self {
            seq: row.seq,
            hash: row.hash,
            mac: row.mac,
        }
    }
}
