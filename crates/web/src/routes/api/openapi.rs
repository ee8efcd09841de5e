//! `GET /api/openapi.json`: OpenAPI 3.1 for the routes outside FHIR that a
//! program calls (the JSON API, uploads, probes). The pages are for
//! browsers (HTML forms behind a session) and FHIR has its own
//! CapabilityStatement; see ADR 0013.

use axum::Json;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use super::schema::{ApiCase, ApiError, ApiPatient, ApiRole, Bytes, Live, Me, Ready};

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Consilium",
        description = "Consilium's API outside FHIR (FHIR R4 is at /fhir/r4, described by /fhir/r4/metadata). Authorization: Bearer <token> (consilium token create --user EMAIL).",
        license(name = "AGPL-3.0-or-later"),
    ),
    paths(
        super::me::show,
        super::cases::list,
        super::cases::show,
        show,
        crate::routes::health::live,
        crate::routes::health::ready,
        crate::routes::health::metrics,
        crate::routes::files::options::show,
        crate::routes::files::create::submit,
        crate::routes::files::head::show,
        crate::routes::files::patch::submit,
        crate::routes::files::delete::submit,
        crate::routes::files::thumbnail::show,
    ),
    components(schemas(ApiCase, ApiError, ApiPatient, ApiRole, Bytes, Live, Me, Ready)),
    modifiers(&BearerTokens),
    tags(
        (name = "api", description = "Who I am, the requests I may read"),
        (name = "uploads", description = "Resumable uploads, tus 1.0.0 (a completed upload reads back as /fhir/r4/Binary/{id})"),
        (name = "probes", description = "Health, readiness, metrics"),
    )
)]
pub struct ApiDoc;

/// Bearer tokens, as `consilium token create` issues them.
struct BearerTokens;

impl Modify for BearerTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `GET /api/openapi.json` (no sign-in needed).
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "openapi",
    tag = "api",
    responses((status = 200, description = "This document (OpenAPI 3.1)", body = Object))
)]
pub async fn show() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
