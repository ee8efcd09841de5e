//! The statements filing a request needs, implemented once per backend
//! (`sql_tx/requests.rs`).

use async_trait::async_trait;
use consilium_domain::directory::SpecialtyCode;
use jiff::Timestamp;
use uuid::Uuid;

use super::Attachment;
use crate::{StoreError, Team};

/// The request primitives.
#[async_trait]
pub trait RequestTx: Send {
    /// The team a site sends a specialty to by default.
    async fn site_route(
        &mut self,
        site_id: Uuid,
        specialty: &SpecialtyCode,
    ) -> Result<Option<Team>, StoreError>;
    /// A team by id.
    async fn team_by_id(&mut self, id: Uuid) -> Result<Option<Team>, StoreError>;
    /// True when the site knows the patient.
    async fn patient_at_site(
        &mut self,
        patient_id: Uuid,
        site_id: Uuid,
    ) -> Result<bool, StoreError>;
    /// The patients a site knows.
    async fn site_patients(
        &mut self,
        site_id: Uuid,
    ) -> Result<Vec<crate::cases::PatientView>, StoreError>;
    /// The request a requester made with this key.
    async fn case_by_key(
        &mut self,
        requester_id: Uuid,
        key: &str,
    ) -> Result<Option<Uuid>, StoreError>;
    /// Replaces a draft's answers and consent; false if not a draft.
    async fn save_answers(
        &mut self,
        case_id: Uuid,
        answers: &serde_json::Value,
        consent: Option<(Uuid, Timestamp)>,
    ) -> Result<bool, StoreError>;
    /// Moves a draft to `requested`; false if it was not a draft (any more).
    async fn submit_case(
        &mut self,
        case_id: Uuid,
        at: Timestamp,
        deadline: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Attaches an upload; false if already attached.
    async fn attach(&mut self, case_id: Uuid, attachment: &Attachment) -> Result<bool, StoreError>;
    /// A request's attachments.
    async fn attachments(&mut self, case_id: Uuid) -> Result<Vec<Attachment>, StoreError>;
    /// Takes an upload off a request; false if it was not on it.
    async fn detach(&mut self, case_id: Uuid, upload_id: Uuid) -> Result<bool, StoreError>;
    /// Sets an attached file's view and body site; false if it is not on the request.
    async fn describe_attachment(
        &mut self,
        case_id: Uuid,
        attachment: &Attachment,
    ) -> Result<bool, StoreError>;
    /// Deletes a draft's row (its files already taken off); false if it is
    /// not a draft (any more).
    async fn delete_draft(&mut self, case_id: Uuid) -> Result<bool, StoreError>;
    /// The request an upload is attached to.
    async fn case_of_upload(&mut self, upload_id: Uuid) -> Result<Option<Uuid>, StoreError>;
    /// The next number of the `prefix` references of `year` (from 1).
    async fn next_reference(&mut self, prefix: &str, year: i16) -> Result<i64, StoreError>;
}
