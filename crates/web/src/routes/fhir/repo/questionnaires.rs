//! The specialty questionnaires shipped with the binary.

use consilium_fhir::meta::{content_version, stamp};
use serde_json::Value;

use crate::AppState;

/// When the shipped questionnaires were last edited.
const EDITED: &str = "2026-11-23T00:00:00Z";

/// Every questionnaire, versioned by its content.
pub(super) fn all(state: &AppState) -> Vec<Value> {
    let edited = EDITED.parse().unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    state
        .forms
        .iter()
        .filter_map(|(questionnaire, _)| serde_json::to_value(questionnaire).ok())
        .map(|mut resource| {
            let version = content_version(&resource);
            stamp(&mut resource, &version, edited);
            resource
        })
        .collect()
}
