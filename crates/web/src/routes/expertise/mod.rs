//! The expert's side as pages: the team queue, and the forms of the case
//! page (take, decline, assign, question, reply, advice, appointment,
//! close), the report download and the patient's printable notice.

pub mod advice;
pub mod messages;
pub mod queue;
pub mod report;
pub mod steps;
pub mod visit;

use axum::response::{IntoResponse, Redirect, Response};
use consilium_store::expertise::StepError;
use uuid::Uuid;

use crate::{
    AppState, Lang, SignedIn, WebError,
    page::{PageError, localized},
    routes::cases::show,
};

/// After a step: back to the case page (303), or the case page again with
/// the refusal on top; "not found" stays a plain 404.
pub async fn after_step<T>(
    state: &AppState,
    lang: Lang,
    signed_in: &SignedIn,
    case_id: Uuid,
    result: Result<T, StepError>,
    anchor: &str,
) -> Result<Response, PageError> {
    let error = match result {
        Ok(_) => {
            return Ok(Redirect::to(&format!("/dossiers/{case_id}{anchor}")).into_response());
        }
        Err(err) => WebError::from(err),
    };
    let status = error.status();
    if matches!(error, WebError::Store(_)) || status.is_server_error() {
        return Err(PageError { error, lang });
    }
    let message = localized(&error.to_string(), lang);
    show::render(state, lang, signed_in, case_id, Some((status, message))).await
}

/// The case id of a path, or `None` (→ 404) when it is not a UUID.
pub fn case_id(raw: &str) -> Option<Uuid> {
    Uuid::parse_str(raw).ok()
}

/// One field of an urlencoded body (the first occurrence), without control
/// or invisible formatting characters.
pub fn field(body: &[u8], name: &str) -> String {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| consilium_domain::text::clean(&v))
        .unwrap_or_default()
}
