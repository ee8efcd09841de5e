//! `POST /dossiers/{id}/questions` (expert) and `POST /dossiers/{id}/reponses`
//! (requester, with the photos the upload widget added as `photo` fields:
//! `upload-id|kind|body site`).

use axum::{
    body::Bytes,
    extract::{Path, State},
    response::Response,
};
use consilium_store::{
    expertise::{MessageKind, NewMessage, StepError},
    requests::Attachment,
};
use uuid::Uuid;

use super::{after_step, case_id, field};
use crate::{
    AppState, Lang, SignedIn,
    page::{self, PageError},
};

const KINDS: [&str; 3] = ["overview", "close_up", "dermoscopic"];

fn attachments(body: &[u8]) -> Result<Vec<Attachment>, StepError> {
    form_urlencoded::parse(body)
        .filter(|(k, _)| k == "photo")
        .map(|(_, v)| {
            let mut parts = v.splitn(3, '|');
            let id = parts.next().and_then(|p| Uuid::parse_str(p).ok());
            let kind = parts
                .next()
                .filter(|k| KINDS.contains(k))
                .map(str::to_owned);
            let site: String = consilium_domain::text::clean_line(parts.next().unwrap_or_default())
                .chars()
                .take(200)
                .collect();
            let upload_id = id.ok_or_else(|| StepError::Invalid("pièce jointe invalide".into()))?;
            Ok(Attachment {
                upload_id,
                item: "photos".into(),
                body_site: Some(site).filter(|s| !s.trim().is_empty()),
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
    after_step(&state, lang, &signed_in, id, result, "").await
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
