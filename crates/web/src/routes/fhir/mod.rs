//! FHIR R4 at `/fhir/r4`: read, vread, history, search (GET and POST),
//! create, update and patch, batch and transaction, for the resource types
//! of [`consilium_fhir::search::registry`]. Every interaction goes through
//! [`repo::Repo`], which reads through the store's access policy and audit:
//! what the caller may not read does not exist for them.

pub mod batch;
pub mod binary;
pub mod create;
pub mod history;
pub mod metadata;
pub mod prefer;
pub mod read;
pub mod repo;
pub mod search;
pub mod transaction;
pub mod update;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use consilium_fhir::{
    bundle::{etag, outcome},
    meta::{last_updated_of, version_of},
    search::{QueryError, ResourceDef, resource_def},
};
use consilium_store::StoreError;
use serde_json::Value;

use crate::{AppState, WebError};

/// The FHIR media type.
pub const FHIR_JSON: &str = "application/fhir+json";

/// The FHIR routes.
pub fn routes(upload_body_limit: usize) -> Router<AppState> {
    // A transaction may carry photos inline: the uploads' limit. Clients
    // post it to the base with or without a trailing slash.
    let base = || {
        post(batch::submit)
            .get(search::page)
            .layer(DefaultBodyLimit::max(upload_body_limit))
    };
    Router::new()
        .route("/fhir/r4", base())
        .route("/fhir/r4/", base())
        .route("/fhir/r4/metadata", get(metadata::show))
        .route("/fhir/r4/Binary/{id}", get(binary::show))
        .route(
            "/fhir/r4/{resource_type}",
            get(search::by_get).post(create::submit),
        )
        .route("/fhir/r4/{resource_type}/_search", post(search::by_post))
        .route(
            "/fhir/r4/{resource_type}/{id}",
            get(read::show).put(update::put).patch(update::patch),
        )
        .route("/fhir/r4/{resource_type}/{id}/_history", get(history::list))
        .route(
            "/fhir/r4/{resource_type}/{id}/_history/{version}",
            get(read::version),
        )
        .method_not_allowed_fallback(|| async {
            FhirError(
                StatusCode::METHOD_NOT_ALLOWED,
                "not-supported",
                "interaction non prise en charge sur cette ressource / interaction not supported"
                    .into(),
            )
        })
}

/// The server's FHIR base URL (links, full URLs, references).
pub fn base_url(state: &AppState) -> String {
    format!("{}/fhir/r4", state.config.public_url.trim_end_matches('/'))
}

/// A resource (or Bundle) as a FHIR response, with its version as a weak
/// `ETag` and its last change as `Last-Modified` when it has them.
pub fn resource(status: StatusCode, value: &Value) -> Response {
    let mut response = (
        status,
        [(header::CONTENT_TYPE, FHIR_JSON)],
        value.to_string(),
    )
        .into_response();
    version_headers(response.headers_mut(), value);
    response
}

/// `ETag` and `Last-Modified` of a resource.
pub fn version_headers(headers: &mut HeaderMap, value: &Value) {
    if let Some(tag) = version_of(value).and_then(|v| HeaderValue::from_str(&etag(v)).ok()) {
        headers.insert(header::ETAG, tag);
    }
    if let Some(modified) =
        last_updated_of(value).and_then(|at| HeaderValue::from_str(&http_date(at)).ok())
    {
        headers.insert(header::LAST_MODIFIED, modified);
    }
}

/// An HTTP date (RFC 9110 IMF-fixdate).
pub fn http_date(at: jiff::Timestamp) -> String {
    at.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// A FHIR error: its status, an `OperationOutcome` issue code and a
/// sentence (French, then English).
#[derive(Debug)]
pub struct FhirError(pub StatusCode, pub &'static str, pub String);

impl IntoResponse for FhirError {
    fn into_response(self) -> Response {
        resource(self.0, &outcome("error", self.1, &self.2))
    }
}

impl From<StoreError> for FhirError {
    fn from(err: StoreError) -> Self {
        WebError::from(err).into()
    }
}

impl From<consilium_store::expertise::StepError> for FhirError {
    fn from(err: consilium_store::expertise::StepError) -> Self {
        WebError::from(err).into()
    }
}

impl From<WebError> for FhirError {
    fn from(web: WebError) -> Self {
        let status = web.status();
        if status.is_server_error() {
            tracing::error!(error = %web, "FHIR request failed");
            let text = if status == StatusCode::SERVICE_UNAVAILABLE {
                "service momentanément indisponible / service unavailable"
            } else {
                "erreur interne / internal error"
            };
            return Self(status, "exception", text.into());
        }
        let code = match (&web, status) {
            // A move the rules forbid now.
            (WebError::Step(_), StatusCode::CONFLICT) => "business-rule",
            (WebError::Store(StoreError::Identity(_)), _) => "business-rule",
            (_, StatusCode::NOT_FOUND) => "not-found",
            (_, StatusCode::FORBIDDEN) => "forbidden",
            (_, StatusCode::CONFLICT | StatusCode::PRECONDITION_FAILED) => "conflict",
            (_, StatusCode::UNAUTHORIZED) => "login",
            _ => "invalid",
        };
        Self(status, code, web.to_string())
    }
}

impl From<QueryError> for FhirError {
    fn from(err: QueryError) -> Self {
        Self(StatusCode::BAD_REQUEST, err.code, err.message)
    }
}

impl FhirError {
    /// 404 for anything the caller may not see (or that does not exist).
    pub fn not_found() -> Self {
        Self(
            StatusCode::NOT_FOUND,
            "not-found",
            "ressource introuvable / resource not found".into(),
        )
    }

    /// 400 for bad input.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self(StatusCode::BAD_REQUEST, "invalid", message.into())
    }
}

/// The definition of a resource type of the path, if it allows `allowed`.
pub fn resource_type(
    name: &str,
    allowed: impl Fn(&ResourceDef) -> bool,
) -> Result<&'static ResourceDef, FhirError> {
    match resource_def(name) {
        Some(def) if allowed(def) => Ok(def),
        Some(_) => Err(FhirError(
            StatusCode::METHOD_NOT_ALLOWED,
            "not-supported",
            format!(
                "interaction non prise en charge pour {name} (voir /fhir/r4/metadata) / interaction not supported"
            ),
        )),
        None => Err(FhirError(
            StatusCode::NOT_FOUND,
            "not-supported",
            format!("type de ressource inconnu : {name} / unknown resource type"),
        )),
    }
}

/// A request body as JSON, every string without control or invisible
/// formatting characters (free text is cleaned at the boundary).
pub fn body_json(body: &[u8]) -> Result<Value, FhirError> {
    let mut value = serde_json::from_slice(body)
        .map_err(|e| FhirError::invalid(format!("JSON invalide / invalid JSON: {e}")))?;
    clean_strings(&mut value);
    Ok(value)
}

fn clean_strings(value: &mut Value) {
    match value {
        Value::String(text) if text.chars().any(consilium_domain::text::is_forbidden) => {
            *text = consilium_domain::text::clean(text);
        }
        Value::Array(items) => items.iter_mut().for_each(clean_strings),
        Value::Object(fields) => fields.values_mut().for_each(clean_strings),
        _ => {}
    }
}
