//! FHIR R4 (4.0.1) for Consilium: our own serde structs for the resources we
//! use, and their mapping to and from the domain. No HTTP here.

pub mod expertise;
pub mod questionnaire;
pub mod request;

pub use questionnaire::{Questionnaire, specialty_forms};
