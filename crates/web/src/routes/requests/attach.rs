//! `POST /demandes/{id}/pieces`: attaches a completed upload to a draft,
//! with its body site and kind; answers JSON for the upload widget.

use axum::{
    Form, Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use consilium_store::requests::{Attachment, PHOTO_KINDS};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::{AppState, Lang, SignedIn, WebError, page::localized};

/// The widget's form.
#[derive(Debug, Deserialize)]
pub struct AttachForm {
    upload: String,
    item: String,
    #[serde(default)]
    body_site: String,
    #[serde(default)]
    photo_kind: String,
}

const ITEMS: [&str; 3] = ["photos", "ecg", "documents"];

fn refused(status: StatusCode, message: String) -> Response {
    (
        status,
        Json(json!({ "code": "invalid", "message": message })),
    )
        .into_response()
}

/// Attaches and says how the photo looks (the retake hint).
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<AttachForm>,
) -> Response {
    let (Ok(case_id), Ok(upload_id)) = (Uuid::parse_str(&id), Uuid::parse_str(&form.upload)) else {
        return refused(
            StatusCode::NOT_FOUND,
            lang.t("Introuvable", "Not found").into(),
        );
    };
    if !ITEMS.contains(&form.item.as_str())
        || !(form.photo_kind.is_empty() || PHOTO_KINDS.contains(&form.photo_kind.as_str()))
    {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("Type de pièce inconnu", "Unknown kind of file")
                .into(),
        );
    }
    let body_site: String = consilium_domain::text::clean_line(&form.body_site)
        .chars()
        .take(200)
        .collect();
    let attachment = Attachment {
        upload_id,
        item: form.item,
        body_site: Some(body_site).filter(|s| !s.trim().is_empty()),
        photo_kind: Some(form.photo_kind).filter(|k| !k.is_empty()),
    };
    let now = state.clock.now();
    if let Err(err) = state
        .store
        .attach_upload(
            &signed_in.actor,
            case_id,
            &attachment,
            &state.all_forms(),
            now,
        )
        .await
    {
        let web = WebError::from(err);
        return refused(web.status(), localized(&web.to_string(), lang));
    }
    let upload = state
        .store
        .upload(&signed_in.actor, upload_id, now)
        .await
        .ok();
    let file = upload.and_then(|u| u.file);
    let hint = file.as_ref().and_then(|f| f.hint.clone());
    let hint_text = hint.as_deref().map(|h| lang.photo_hint(h));
    let thumbnail = file
        .filter(|f| f.thumbnail_key.is_some())
        .map(|_| format!("/files/{upload_id}/vignette"));
    Json(json!({ "ok": true, "hint": hint, "hint_text": hint_text, "thumbnail": thumbnail }))
        .into_response()
}
