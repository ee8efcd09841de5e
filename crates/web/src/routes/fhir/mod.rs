//! FHIR R4 at `/fhir/r4` (the resources arrive with the request issue).

pub mod binary;
