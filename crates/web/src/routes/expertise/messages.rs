//! `POST /dossiers/{id}/questions` (expert) and `POST /dossiers/{id}/reponses`
//! (requester, with the photos the upload widget added as `photo` fields,
//! each with its view and body site).

use axum::{
    body::Bytes,
    extract::{Path, State},
    response::Response,
};
use consilium_store::{
    expertise::{MessageKind, NewMessage, StepError},
    requests::{Attachment, PHOTO_KINDS},
};
use uuid::Uuid;

use super::{after_step, case_id, field};
use crate::{
    AppState, Lang, SignedIn,
    page::{self, PageError},
};

/// The reply's files: each `photo` field holds an upload id (or, from an
/// older page, `id|kind|site`), with its view and site in
/// `photo_kind__{id}` and `photo_site__{id}` when the page has them.
fn attachments(body: &[u8]) -> Result<Vec<Attachment>, StepError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let named = |name: String| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    };
    pairs
        .iter()
        .filter(|(k, _)| k == "photo")
        .map(|(_, v)| {
            let mut parts = v.splitn(3, '|');
            let id = parts.next().and_then(|p| Uuid::parse_str(p).ok());
            let upload_id = id.ok_or_else(|| {
                StepError::Invalid("pièce jointe invalide / invalid attachment".into())
            })?;
            let kind = named(format!("photo_kind__{upload_id}"))
                .or_else(|| parts.next().map(str::to_owned))
                .filter(|k| PHOTO_KINDS.contains(&k.as_str()));
            let site = named(format!("photo_site__{upload_id}"))
                .or_else(|| parts.next().map(str::to_owned))
                .unwrap_or_default();
            let site: String = consilium_domain::text::clean_line(&site)
                .trim()
                .chars()
                .take(200)
                .collect();
            Ok(Attachment {
                upload_id,
                item: "photos".into(),
                body_site: Some(site).filter(|s| !s.is_empty()),
                photo_kind: kind,
            })
        })
        .collect()
}

async fn send(
    state: AppState,
    lang: Lang,
    signed_in: SignedIn,
    id: &str,
    kind: MessageKind,
    body: &[u8],
) -> Result<Response, PageError> {
    let Some(id) = case_id(id) else {
        return Ok(page::not_found(lang));
    };
    let key = Some(field(body, "key")).filter(|k| !k.is_empty() && k.len() <= 100);
    let result = match attachments(body) {
        Ok(attachments) => {
            let message = NewMessage {
                body: field(body, "body"),
                asks_photos: field(body, "asks_photos") == "yes",
                attachments,
                idempotency_key: key,
            };
            state
                .store
                .send_message(&signed_in.actor, id, kind, &message, state.clock.now())
                .await
        }
        Err(e) => Err(e),
    };
    let done = match kind {
        MessageKind::Question => "?fait=question#echanges",
        MessageKind::Reply => "?fait=reponse",
    };
    after_step(&state, lang, &signed_in, id, result, done).await
}

/// `POST /dossiers/{id}/questions`.
pub async fn ask(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    send(state, lang, signed_in, &id, MessageKind::Question, &body).await
}

/// `POST /dossiers/{id}/reponses`.
pub async fn reply(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    send(state, lang, signed_in, &id, MessageKind::Reply, &body).await
}
