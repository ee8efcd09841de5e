//! The JSON shapes of the API, as `/api/openapi.json` describes them.

use consilium_store::cases::CaseView;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// An error: a stable code and a sentence (French, then English).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiError {
    /// `not_found`, `unauthenticated`, `invalid`, `conflict`, `locked`,
    /// `forbidden`, `not_now`, `stale`, `unavailable`, `internal`.
    pub code: String,
    /// What happened.
    pub message: String,
}

/// One role of the caller.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiRole {
    /// `requester`, `expert`, `coordinator`, `org_admin`, `regional_admin`.
    pub role: String,
    /// In which organisation.
    pub organization_id: Uuid,
    /// In which team (experts, team coordinators).
    pub team_id: Option<Uuid>,
}

/// Who the token or session acts as.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Me {
    /// The person's id.
    pub id: Uuid,
    /// Their e-mail address (login).
    pub email: String,
    /// "Given Family".
    pub name: String,
    /// `session` or `token`.
    pub via: String,
    /// Their roles.
    pub roles: Vec<ApiRole>,
}

/// A patient as a request shows them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiPatient {
    /// Id.
    pub id: Uuid,
    /// INS (NIR and key), when known.
    pub ins: Option<String>,
    /// Birth family name.
    pub birth_family_name: String,
    /// First names.
    pub first_names: String,
    /// Birth date (YYYY-MM-DD).
    #[schema(format = Date)]
    pub birth_date: String,
    /// `female`, `male`, `other`.
    pub sex: String,
    /// `provisoire`, `recuperee`, `validee`, `qualifiee`.
    pub identity_status: String,
}

/// A tele-expertise request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiCase {
    /// Id (also its FHIR ServiceRequest and Task id).
    pub id: Uuid,
    /// Short reference, e.g. `TE-2026-4F2A9C`.
    pub reference: String,
    /// FHIR Task status: `draft`, `requested`, `accepted`, `rejected`,
    /// `in-progress`, `on-hold`, `completed`, `cancelled`.
    pub status: String,
    /// Started (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Sent.
    #[schema(format = DateTime)]
    pub submitted_at: Option<String>,
    /// Due (none while on hold).
    #[schema(format = DateTime)]
    pub deadline: Option<String>,
    /// Consent recorded.
    #[schema(format = DateTime)]
    pub consent_at: Option<String>,
    /// The questionnaire's answers, by item.
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
    /// The patient.
    pub patient: ApiPatient,
    /// The requesting site.
    pub site_name: String,
    /// The team asked.
    pub team_name: String,
    /// The requester.
    pub requester_name: String,
    /// The expert who owns it.
    pub owner_id: Option<Uuid>,
    /// Their name.
    pub owner_name: Option<String>,
    /// While on hold: the time that was left (ISO 8601 duration).
    pub hold_remaining: Option<String>,
    /// True once an advice was sent.
    pub answered: bool,
    /// Why it was declined, while it is.
    pub status_reason: Option<String>,
    /// `routine` or `urgent`.
    pub priority: String,
    /// The requesting site's kind.
    pub site_kind: String,
    /// Its FINESS.
    pub site_finess: Option<String>,
    /// The specialty (SNOMED CT).
    pub specialty_code: String,
    /// The resource centre.
    pub centre_name: String,
    /// Its FINESS.
    pub centre_finess: Option<String>,
    /// How many files are attached.
    pub attachment_count: i64,
}

impl From<CaseView> for ApiCase {
    fn from(c: CaseView) -> Self {
        let identity = c.patient.identity;
        Self {
            id: c.id,
            reference: c.reference,
            status: c.status,
            created_at: c.created_at.to_string(),
            submitted_at: c.submitted_at.map(|t| t.to_string()),
            deadline: c.deadline.map(|t| t.to_string()),
            consent_at: c.consent_at.map(|t| t.to_string()),
            answers: c.answers,
            patient: ApiPatient {
                id: c.patient.id,
                ins: identity.ins.map(|i| i.to_string()),
                birth_family_name: identity.birth_family_name.to_string(),
                first_names: identity.first_names.to_string(),
                birth_date: identity.birth_date.to_string(),
                sex: identity.sex.code().to_owned(),
                identity_status: identity.identity_status.code().to_owned(),
            },
            site_name: c.site_name,
            team_name: c.team_name,
            requester_name: c.requester_name,
            owner_id: c.owner_id,
            owner_name: c.owner_name,
            hold_remaining: c.hold_remaining.map(|d| d.to_string()),
            answered: c.answered,
            status_reason: c.status_reason,
            priority: c.priority,
            site_kind: c.site_kind,
            site_finess: c.site_finess,
            specialty_code: c.specialty_code,
            centre_name: c.centre_name,
            centre_finess: c.centre_finess,
            attachment_count: c.attachment_count,
        }
    }
}

/// `/healthz`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Live {
    /// Always `ok`.
    pub status: String,
}

/// `/readyz`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Ready {
    /// `ready` or `unavailable`.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
}

/// Raw bytes (a file chunk, an image): a name for the document only.
#[derive(Debug)]
pub struct Bytes;

impl utoipa::PartialSchema for Bytes {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for Bytes {}

/// The tus protocol version Consilium speaks: a name for the document only.
#[derive(Debug)]
pub struct TusVersion;

impl utoipa::PartialSchema for TusVersion {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some([crate::routes::files::TUS_VERSION]))
            .into()
    }
}

impl ToSchema for TusVersion {}
