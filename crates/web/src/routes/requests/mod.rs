//! Filing a request from the pages: choose the specialty and the patient,
//! answer the questionnaire, send.

pub mod attach;
pub mod edit;
pub mod fields;
pub mod new;
pub mod photos;
