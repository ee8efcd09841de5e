//! The JSON API (bearer token or session), described at
//! `/api/openapi.json`. FHIR comes under `/fhir/r4`.

pub mod cases;
pub mod me;
pub mod openapi;
pub mod schema;
