//! The request headers that shape a FHIR answer: `Prefer` (`return=`,
//! `handling=`), `If-Match`, `If-None-Match`, `If-Modified-Since`,
//! `If-None-Exist`.

use axum::{
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use consilium_fhir::{
    bundle::outcome,
    meta::{last_updated_of, version_of},
};
use serde_json::Value;

use super::{FhirError, resource, version_headers};

/// What the client asked for in `Prefer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Prefer {
    /// `handling=strict`: unknown search parameters are an error.
    pub strict: bool,
    /// `return=`.
    pub returns: Return,
}

/// `Prefer: return=…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Return {
    /// The resource (the default).
    #[default]
    Representation,
    /// Headers only.
    Minimal,
    /// An `OperationOutcome` saying what was done.
    OperationOutcome,
}

impl Prefer {
    /// Reads every `Prefer` header (comma-separated preferences).
    pub fn of(headers: &HeaderMap) -> Self {
        let mut prefer = Self::default();
        for value in headers.get_all("prefer") {
            for token in value.to_str().unwrap_or_default().split([',', ';']) {
                match token.trim().to_ascii_lowercase().replace(' ', "").as_str() {
                    "handling=strict" => prefer.strict = true,
                    "handling=lenient" => prefer.strict = false,
                    "return=minimal" => prefer.returns = Return::Minimal,
                    "return=representation" => prefer.returns = Return::Representation,
                    "return=operationoutcome" => prefer.returns = Return::OperationOutcome,
                    _ => {}
                }
            }
        }
        prefer
    }

    /// The answer to a create or an update: `Location`, `ETag`,
    /// `Last-Modified`, and the body the client preferred.
    pub fn respond(self, status: StatusCode, base: &str, value: &Value, what: &str) -> Response {
        let mut response = match self.returns {
            Return::Representation => resource(status, value),
            Return::Minimal => status.into_response(),
            Return::OperationOutcome => {
                resource(status, &outcome("information", "informational", what))
            }
        };
        version_headers(response.headers_mut(), value);
        if let (Some(t), Some(id), Some(version)) = (
            value["resourceType"].as_str(),
            value["id"].as_str(),
            version_of(value),
        ) && let Ok(location) = format!("{base}/{t}/{id}/_history/{version}").parse()
        {
            response.headers_mut().insert(header::LOCATION, location);
        }
        response
    }
}

/// The version an `If-Match` names (`W/"3"`, `"3"` or `3`).
pub fn if_match(headers: &HeaderMap) -> Result<Option<String>, FhirError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| FhirError::invalid("If-Match illisible / unreadable If-Match"))?
        .trim();
    let version = text.trim_start_matches("W/").trim_matches('"');
    if version.is_empty() {
        return Err(FhirError::invalid("If-Match vide / empty If-Match"));
    }
    Ok(Some(version.to_owned()))
}

/// The 412 of a stale `If-Match`.
pub fn stale(wanted: &str, current: &str) -> FhirError {
    FhirError(
        StatusCode::PRECONDITION_FAILED,
        "conflict",
        format!(
            "If-Match : la version {wanted} n'est plus la version actuelle ({current}) / version {wanted} is not the current one ({current})"
        ),
    )
}

/// True when the client's cached copy is still current (`If-None-Match`
/// names this version, or `If-Modified-Since` is not older): answer 304.
pub fn not_modified(headers: &HeaderMap, value: &Value) -> bool {
    if let Some(tags) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return version_of(value).is_some_and(|v| {
            tags.split(',').any(|t| {
                t.trim() == "*" || t.trim().trim_start_matches("W/").trim_matches('"') == v
            })
        });
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| jiff::fmt::rfc2822::parse(v).ok())
        .map(|z| z.timestamp());
    match (since, last_updated_of(value)) {
        // HTTP dates have whole seconds.
        (Some(since), Some(updated)) => updated.as_second() <= since.as_second(),
        _ => false,
    }
}

/// The 304 answer, with the version headers.
pub fn not_modified_response(value: &Value) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    version_headers(response.headers_mut(), value);
    response
}
