//! The report (compte rendu) of a tele-expertise: what it says, as data.
//! Rendering it (typst → PDF) lives in the `consilium-report` crate; the
//! store asks a [`RenderReport`] for the bytes and seals them like any blob.

use jiff::{Timestamp, civil::Date};

use crate::expertise::Advice;

/// A health professional as the report names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signatory {
    /// Given names and family name.
    pub name: String,
    /// Their RPPS number, when they have one.
    pub rpps: Option<String>,
    /// Their organisation's name.
    pub organization: String,
    /// Its FINESS number.
    pub finess: Option<String>,
}

/// The patient as the report names them (INS rules: birth name, first
/// names, birth date, sex, INS and identity status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPatient {
    /// Birth family name.
    pub birth_family_name: String,
    /// First names.
    pub first_names: String,
    /// Birth date.
    pub birth_date: Date,
    /// Sex, in French.
    pub sex: String,
    /// INS, when known.
    pub ins: Option<String>,
    /// Identity status, in French.
    pub identity_status: String,
}

/// A photo in the report: its thumbnail and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPhoto {
    /// A JPEG thumbnail (no metadata).
    pub jpeg: Vec<u8>,
    /// Body site and kind, e.g. "Avant-bras gauche — gros plan".
    pub caption: String,
}

/// The in-person appointment the centre proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportAppointment {
    /// When.
    pub starts_at: Timestamp,
    /// Where.
    pub place: String,
    /// What the patient should bring or do.
    pub instructions: String,
}

/// One question-and-answer of the request's questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportAnswer {
    /// The question, as the form asked it.
    pub question: String,
    /// The answer, as text.
    pub answer: String,
}

/// The patient's consent, as the requester recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportConsent {
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub at: Timestamp,
}

/// One message of the exchange between expert and requester.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportMessage {
    /// Who wrote it.
    pub author: String,
    /// A question of the expert (`true`) or the requester's reply.
    pub from_expert: bool,
    /// When.
    pub at: Timestamp,
    /// What it says.
    pub text: String,
    /// How many photos came with it.
    pub photos: usize,
}

/// Everything the report states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The request's reference, e.g. `TE-2026-4F2A9C`.
    pub reference: String,
    /// The report's version (1, then one more per regeneration).
    pub version: u32,
    /// When this version was made.
    pub generated_at: Timestamp,
    /// The specialty, in French.
    pub specialty: String,
    /// The requester and their site.
    pub requester: Signatory,
    /// The expert who signed the advice and their centre.
    pub expert: Signatory,
    /// The patient.
    pub patient: ReportPatient,
    /// When the request was sent.
    pub submitted_at: Timestamp,
    /// The requester's question.
    pub question: String,
    /// The patient's consent (HAS: recorded before the act).
    pub consent: Option<ReportConsent>,
    /// The questionnaire's answers (consent and photos excluded).
    pub answers: Vec<ReportAnswer>,
    /// The questions and replies exchanged before the advice, oldest first.
    pub exchanges: Vec<ReportMessage>,
    /// Photo thumbnails.
    pub photos: Vec<ReportPhoto>,
    /// The advice.
    pub advice: Advice,
    /// Which version of the advice this is.
    pub advice_version: u32,
    /// When the expert signed it.
    pub signed_at: Timestamp,
    /// The appointment, if one was proposed.
    pub appointment: Option<ReportAppointment>,
}

/// Why a report could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("le compte rendu n'a pas pu être produit : {0}")]
pub struct RenderError(pub String);

/// Turns a [`Report`] into PDF bytes.
pub trait RenderReport: Send + Sync + std::fmt::Debug {
    /// The PDF. CPU-bound: callers run it off the async executor.
    fn render(&self, report: &Report) -> Result<Vec<u8>, RenderError>;
}
