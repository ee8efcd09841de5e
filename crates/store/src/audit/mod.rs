//! The audit trail: one record per access to patient data (and per
//! security event), written in the same transaction as the access,
//! append-only and hash-chained, with a MAC-signed head so that a truncated
//! tail is detected. Records hold who, for which organisation, which
//! patient and case, what, when, the outcome and where from — never
//! clinical content, secrets or tokens.

mod chain;
mod search;
mod verify;

use async_trait::async_trait;
use jiff::Timestamp;
use uuid::Uuid;

pub use chain::AuditKey;
pub(crate) use chain::append;
pub use search::{AuditFinding, AuditQuery};
pub use verify::AuditVerification;

use crate::StoreError;

/// How the actor reached Consilium.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A browser session.
    Session,
    /// An API token.
    Token,
    /// An operator's command on the server.
    Command,
    /// Nobody signed in (a failed sign-in).
    Anonymous,
}

impl Via {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::Token => "token",
            Self::Command => "command",
            Self::Anonymous => "anonymous",
        }
    }
}

/// What came of the attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Success,
    /// Refused by the access policy (the caller was told "not found").
    Denied,
    /// Nothing by that id.
    NotFound,
    /// Refused for another reason (wrong password, wrong code, locked).
    Failure,
}

impl Outcome {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Denied => "denied",
            Self::NotFound => "not_found",
            Self::Failure => "failure",
        }
    }
}

/// Where a request came from, as the web layer saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    /// The client's address.
    pub addr: Option<String>,
    /// The request id (`x-request-id`).
    pub request_id: Option<String>,
}

impl ClientInfo {
    /// Keeps only characters that cannot forge a log line or a field:
    /// letters, digits and `.:-_`, at most 64 of them.
    pub fn sanitized(addr: Option<&str>, request_id: Option<&str>) -> Self {
        let clean = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric() || ".:-_".contains(*c))
                .take(64)
                .collect()
        };
        Self {
            addr: addr.map(clean),
            request_id: request_id.map(clean),
        }
    }

    /// For operators' commands.
    pub fn command() -> Self {
        Self {
            addr: Some("local".into()),
            request_id: None,
        }
    }
}

/// One thing to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When (UTC; stored to the microsecond).
    pub at: Timestamp,
    /// Who, when known.
    pub actor_id: Option<Uuid>,
    /// How they came.
    pub via: Via,
    /// For which organisation they acted.
    pub organization_id: Option<Uuid>,
    /// Which patient, if any.
    pub patient_id: Option<Uuid>,
    /// Which case, if any.
    pub case_id: Option<Uuid>,
    /// Which other object (an upload, a token), if any.
    pub object_id: Option<Uuid>,
    /// Every other patient whose data the access returned (a search's
    /// matches and includes), beyond `patient_id`.
    pub patients: Vec<Uuid>,
    /// What: a stable code such as `case.read` or `auth.sign_in`.
    pub action: &'static str,
    /// What came of it.
    pub outcome: Outcome,
    /// Where from.
    pub client: ClientInfo,
}

impl AuditEntry {
    /// What `actor` did, for their home organisation, naming no patient,
    /// case or object yet (set those with struct update syntax).
    pub fn by(
        actor: &crate::auth::Actor,
        action: &'static str,
        outcome: Outcome,
        at: Timestamp,
    ) -> Self {
        Self {
            at,
            actor_id: Some(actor.caller.person_id),
            via: actor.via,
            organization_id: actor.caller.home_organization(),
            patient_id: None,
            case_id: None,
            object_id: None,
            patients: Vec::new(),
            action,
            outcome,
            client: actor.client.clone(),
        }
    }

    /// The same entry, naming every patient of `ids` (once each; the one
    /// `patient_id` names is not repeated): whose data a search returned.
    pub fn naming(mut self, ids: impl IntoIterator<Item = Uuid>) -> Self {
        let mut all: Vec<Uuid> = ids
            .into_iter()
            .filter(|id| Some(*id) != self.patient_id)
            .collect();
        all.sort_unstable();
        all.dedup();
        self.patients = all;
        self
    }

    /// What `actor` did about a case: for the organisation they act for on
    /// it and naming its patient when they may read it (`readable`), for
    /// their home organisation and naming nothing else otherwise.
    pub fn about_case(
        actor: &crate::auth::Actor,
        readable: Option<&crate::cases::CaseView>,
        action: &'static str,
        outcome: Outcome,
        at: Timestamp,
    ) -> Self {
        Self {
            organization_id: readable
                .and_then(|c| actor.caller.acting_for(&c.parties))
                .or_else(|| actor.caller.home_organization()),
            patient_id: readable.map(|c| c.patient.id),
            case_id: readable.map(|c| c.id),
            ..Self::by(actor, action, outcome, at)
        }
    }
}

/// A stored record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditRecord {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor_id: Option<Uuid>,
    /// How: `session`, `token`, `command`, `anonymous`.
    pub via: String,
    /// For which organisation.
    pub organization_id: Option<Uuid>,
    /// Which patient.
    pub patient_id: Option<Uuid>,
    /// Which case.
    pub case_id: Option<Uuid>,
    /// Which other object.
    pub object_id: Option<Uuid>,
    /// Every other patient the access returned.
    pub patients: Vec<Uuid>,
    /// What.
    pub action: String,
    /// Outcome code.
    pub outcome: String,
    /// Client address.
    pub client_addr: Option<String>,
    /// Request id.
    pub request_id: Option<String>,
    /// Hash of the previous record (64 zeros for the first).
    pub prev_hash: String,
    /// Hash of this record.
    pub hash: String,
}

/// The chain's head: the last record's position and hash, MAC-signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    /// Last position.
    pub seq: i64,
    /// Last hash.
    pub hash: String,
    /// HMAC-SHA256 of position and hash with the audit key.
    pub mac: String,
}

/// The audit trail's primitives.
#[async_trait]
pub trait AuditTx: Send {
    /// Serialises writers of the chain until the transaction ends, and reads the head.
    async fn lock_audit_head(&mut self) -> Result<Option<AuditHead>, StoreError>;
    /// Appends a record.
    async fn insert_audit(&mut self, record: &AuditRecord) -> Result<(), StoreError>;
    /// Writes the head.
    async fn put_audit_head(&mut self, head: &AuditHead) -> Result<(), StoreError>;
    /// Records with `seq > after`, in order, at most `limit`.
    async fn audit_records(
        &mut self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, StoreError>;
    /// The latest records of one organisation, newest first.
    async fn audit_records_of(
        &mut self,
        organization_id: Uuid,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, StoreError>;
    /// The latest records of these organisations matching `query`, newest
    /// first, at most `limit`.
    async fn audit_search(
        &mut self,
        organization_ids: &[Uuid],
        query: &AuditQuery,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, StoreError>;
}
