//! `POST /fhir/r4`: a `batch` or `transaction` Bundle. A batch's entries
//! are processed one by one, each exactly as if sent alone (the same
//! routes, rights and audit), and answered in order. A transaction that
//! files a request is all or nothing ([`super::transaction`]); one that only
//! reads, or holds a single entry, is processed like a batch; any other is
//! refused, since its writes could not be made atomic.
//!
//! A Bundle holds at most [`MAX_ENTRIES`] entries, and only the filing
//! transaction (which may carry photos inline) may be larger than an
//! ordinary request body: one request must not turn into thousands of
//! audited reads. Entries still waiting when half the request's time is
//! spent are answered `too-costly` without being run, so the audit trail
//! only holds reads whose results were sent.

use axum::{
    body::{Body, Bytes},
    extract::State,
    http::{HeaderMap, Method, Request, StatusCode, header},
    response::Response,
};
use base64::Engine;
use serde_json::{Value, json};
use tower::ServiceExt;

use consilium_fhir::bundle::MAX_ENTRIES;

use super::{FhirError, base_url, body_json, resource, transaction};
use crate::{AppState, SignedIn};

/// Processes a batch or a transaction.
pub async fn submit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FhirError> {
    let bundle = body_json(&body)?;
    if bundle["resourceType"] != "Bundle" {
        return Err(FhirError::invalid(
            "un Bundle de type batch ou transaction est attendu / a batch or transaction Bundle is expected",
        ));
    }
    let entries = bundle["entry"].as_array().cloned().unwrap_or_default();
    if entries.len() > MAX_ENTRIES {
        return Err(too_costly(format!(
            "{} entrées : {MAX_ENTRIES} au plus par Bundle, envoyez-en plusieurs / {} entries: at most {MAX_ENTRIES} per Bundle, send several",
            entries.len(),
            entries.len()
        )));
    }
    let files_a_request = bundle["type"] == "transaction" && transaction::files_a_request(&bundle);
    if !files_a_request && body.len() > state.config.body_limit {
        return Err(too_costly(format!(
            "Bundle de {} octets : {} au plus hors dépôt de demande / Bundle of {} bytes: at most {} unless it files a request",
            body.len(),
            state.config.body_limit,
            body.len(),
            state.config.body_limit
        )));
    }
    match bundle["type"].as_str() {
        Some("transaction") if files_a_request => {
            transaction::file(&state, &signed_in, &headers, &bundle).await
        }
        Some("transaction") => {
            let reads_only = entries.iter().all(|e| e["request"]["method"] == "GET");
            if !reads_only && entries.len() > 1 {
                return Err(FhirError(
                    StatusCode::BAD_REQUEST,
                    "not-supported",
                    "transaction : seule la transaction qui dépose une demande peut écrire plusieurs ressources ; envoyez un batch / only the request-filing transaction writes several resources: send a batch".into(),
                ));
            }
            let answers = run_all(&state, &signed_in, &entries).await;
            // All or nothing: the first failure is the transaction's.
            if let Some(failed) = answers.iter().find(|a| !a.status.is_success()) {
                let outcome = failed.outcome.clone().unwrap_or_else(|| {
                    consilium_fhir::bundle::outcome("error", "processing", "échec / failed")
                });
                return Ok(resource(failed.status, &outcome));
            }
            Ok(respond(&state, "transaction-response", answers))
        }
        Some("batch") => {
            let answers = run_all(&state, &signed_in, &entries).await;
            Ok(respond(&state, "batch-response", answers))
        }
        _ => Err(FhirError::invalid(
            "Bundle.type doit être batch ou transaction / Bundle.type must be batch or transaction",
        )),
    }
}

/// What one entry came to.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    resource: Option<Value>,
    outcome: Option<Value>,
}

impl Answer {
    fn refused(status: StatusCode, code: &str, text: &str) -> Self {
        Self {
            status,
            headers: HeaderMap::new(),
            resource: None,
            outcome: Some(consilium_fhir::bundle::outcome("error", code, text)),
        }
    }
}

fn too_costly(text: String) -> FhirError {
    FhirError(StatusCode::PAYLOAD_TOO_LARGE, "too-costly", text)
}

async fn run_all(state: &AppState, signed_in: &SignedIn, entries: &[Value]) -> Vec<Answer> {
    let started = state.clock.now();
    let budget = state.config.request_timeout / 2;
    let mut answers = Vec::with_capacity(entries.len());
    for entry in entries {
        let spent = state.clock.now().duration_since(started).unsigned_abs();
        if spent > budget {
            answers.push(Answer::refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-costly",
                "non traitée : le Bundle a pris trop de temps, renvoyez cette entrée / not processed: the Bundle took too long, send this entry again",
            ));
            continue;
        }
        answers.push(run_one(state, signed_in, entry).await);
    }
    answers
}

/// The request an entry stands for, on our routes.
fn request_of(state: &AppState, entry: &Value) -> Result<Request<Body>, String> {
    let bad = |text: &str| text.to_owned();
    let method = entry["request"]["method"]
        .as_str()
        .and_then(|m| Method::from_bytes(m.as_bytes()).ok())
        .filter(|m| [Method::GET, Method::POST, Method::PUT, Method::PATCH].contains(m))
        .ok_or_else(|| bad("request.method : GET, POST, PUT ou PATCH"))?;
    let url = entry["request"]["url"]
        .as_str()
        .ok_or_else(|| bad("request.url est requis / is required"))?;
    let base = base_url(state);
    let relative = url
        .strip_prefix(&base)
        .unwrap_or(url)
        .trim_start_matches('/');
    if relative.is_empty() || relative.starts_with('?') || relative.contains("://") {
        return Err(bad(
            "request.url : [type]… relatif à la base FHIR / relative to the FHIR base",
        ));
    }
    let mut request = Request::builder()
        .method(method.clone())
        .uri(format!("/fhir/r4/{relative}"))
        .header(header::ACCEPT, super::FHIR_JSON);
    for (field, name) in [
        ("ifMatch", header::IF_MATCH),
        ("ifNoneMatch", header::IF_NONE_MATCH),
        ("ifModifiedSince", header::IF_MODIFIED_SINCE),
    ] {
        if let Some(value) = entry["request"][field].as_str() {
            request = request.header(name, value);
        }
    }
    if let Some(value) = entry["request"]["ifNoneExist"].as_str() {
        request = request.header("if-none-exist", value);
    }
    let body = match method {
        Method::POST | Method::PUT => entry["resource"].to_string(),
        // FHIR carries a patch in a batch as a Binary holding it.
        Method::PATCH => {
            let data = entry["resource"]["data"].as_str().ok_or_else(|| {
                bad("PATCH : resource Binary (data = le patch en base64) attendue")
            })?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .map_err(|_| bad("PATCH : base64 invalide"))?;
            String::from_utf8(bytes).map_err(|_| bad("PATCH : UTF-8 attendu"))?
        }
        _ => String::new(),
    };
    request
        .header(header::CONTENT_TYPE, super::FHIR_JSON)
        .body(Body::from(body))
        .map_err(|_| bad("requête invalide / invalid request"))
}

/// Runs one entry through the FHIR routes, as the caller.
async fn run_one(state: &AppState, signed_in: &SignedIn, entry: &Value) -> Answer {
    let mut request = match request_of(state, entry) {
        Ok(request) => request,
        Err(why) => return Answer::refused(StatusCode::BAD_REQUEST, "invalid", &why),
    };
    // The entry acts as the caller who sent the Bundle.
    request.extensions_mut().insert(signed_in.clone());
    let limit = state.config.upload_limits.max_bytes + 64 * 1024;
    let routes = super::routes(limit).with_state(state.clone());
    let Ok(response) = routes.oneshot(request).await;
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let body: Option<Value> = serde_json::from_slice(&bytes).ok();
    let (resource, outcome) = match body {
        Some(v) if v["resourceType"] == "OperationOutcome" => (None, Some(v)),
        other => (other, None),
    };
    Answer {
        status,
        headers,
        resource,
        outcome,
    }
}

fn respond(state: &AppState, kind: &str, answers: Vec<Answer>) -> Response {
    let base = base_url(state);
    let entries: Vec<Value> = answers
        .into_iter()
        .map(|a| {
            let header = |name: header::HeaderName| a.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let mut response = json!({
                "status": format!("{} {}", a.status.as_u16(), a.status.canonical_reason().unwrap_or_default()),
            });
            for (field, name) in [
                ("location", header::LOCATION),
                ("etag", header::ETAG),
            ] {
                if let Some(value) = header(name) {
                    response[field] = json!(value);
                }
            }
            if let Some(modified) = a.resource.as_ref().and_then(|r| r["meta"]["lastUpdated"].as_str()) {
                response["lastModified"] = json!(modified);
            }
            if let Some(outcome) = a.outcome {
                response["outcome"] = outcome;
            }
            let mut entry = json!({ "response": response });
            if let Some(r) = a.resource {
                if let Some(url) = consilium_fhir::bundle::full_url(&base, &r)
                    && r["resourceType"] != "Bundle"
                {
                    entry["fullUrl"] = json!(url);
                }
                entry["resource"] = r;
            }
            entry
        })
        .collect();
    resource(
        StatusCode::OK,
        &json!({ "resourceType": "Bundle", "type": kind, "entry": entries }),
    )
}
