//! FHIR R4 (4.0.1) for Consilium: our own serde structs for the resources we
//! use, and their mapping to and from the domain. No HTTP here.

pub mod audit_event;
pub mod bundle;
pub mod capability;
pub mod directory;
pub mod expertise;
pub mod meta;
pub mod questionnaire;
pub mod request;
pub mod search;
pub mod translation;

pub use questionnaire::{Questionnaire, specialty_forms};
