//! The JSON API (bearer token or session). FHIR comes under `/fhir/r4`.

pub mod cases;
pub mod me;
