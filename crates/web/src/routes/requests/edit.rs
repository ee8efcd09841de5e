//! `GET /demandes/{id}` and `POST /demandes/{id}`: the draft's questionnaire,
//! with its photos where the questionnaire asks for them, saved as the
//! requester goes, and sent once complete. Both outcomes of a post end in a
//! redirect (saved, or what is left to complete), so a reload never posts
//! the form again.

use askama::Template;
use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use consilium_domain::questionnaire::{Answer, Answers, Form};
use consilium_store::{
    cases::CaseView,
    expertise::FileEntry,
    requests::{Attachment, SubmitError},
};
use uuid::Uuid;

use super::{
    fields::{Field, answers, fields},
    photos::PhotoRow,
};
use crate::{
    AppState, Lang, SignedIn, WebError,
    page::{self, InLang, Nav, PageError, localized},
};

#[derive(Template)]
#[template(path = "request_edit.html")]
struct DraftPage {
    lang: Lang,
    nav: Option<Nav>,
    case: CaseView,
    title: String,
    fields: Vec<Field>,
    /// Everything that keeps the request from being sent: the field it is
    /// about (for a link, `#field-…`, or the files), and why.
    problems: Vec<(String, String)>,
    saved: bool,
    /// The files attached, one row each.
    photos: Vec<PhotoRow>,
    /// The row the upload script clones.
    blank: PhotoRow,
    /// The lesion's location as the questionnaire says it, which photos
    /// without their own take.
    location: String,
    /// Always false here: the photo rows belong to a draft, not a reply.
    reply: bool,
}

/// Where the draft's page goes after a post.
enum After {
    Saved,
    ToComplete,
}

async fn load(
    state: &AppState,
    lang: Lang,
    signed_in: &SignedIn,
    id: &str,
) -> Result<Option<(CaseView, Form)>, PageError> {
    let Ok(id) = Uuid::parse_str(id) else {
        return Ok(None);
    };
    let case = state
        .store
        .case(&signed_in.actor, id, state.clock.now())
        .await
        .in_lang(lang)?;
    let team = state
        .store
        .teams()
        .await
        .in_lang(lang)?
        .into_iter()
        .find(|t| t.id == case.parties.team_id);
    let form = team.and_then(|t| state.form_in(t.specialty.as_str(), lang));
    Ok(form.map(|form| (case, form)))
}

/// What keeps the draft from being sent, each with the anchor of its field.
fn problems(
    lang: Lang,
    form: &Form,
    answers: &Answers,
    files: &[FileEntry],
) -> Vec<(String, String)> {
    let mut complete = answers.clone();
    for f in files {
        let entry = complete
            .entry(f.attachment.item.clone())
            .or_insert_with(|| Answer::Attachments(vec![]));
        if let Answer::Attachments(ids) = entry {
            ids.push(f.attachment.upload_id);
        }
    }
    form.problems(&complete)
        .iter()
        .map(|p| {
            let anchor = p
                .link_id()
                .map_or_else(|| "attachments".to_owned(), |id| format!("field-{id}"));
            (anchor, localized(&p.to_string(), lang))
        })
        .collect()
}

/// `GET /demandes/{id}` (`?enregistre` after a save, `?a-completer` after
/// a send that lacked something).
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let Some((case, form)) = load(&state, lang, &signed_in, &id).await? else {
        return Ok(page::not_found(lang));
    };
    if case.status != "draft" || case.parties.requester_id != signed_in.actor.caller.person_id {
        return Ok(Redirect::to(&format!("/dossiers/{}", case.id)).into_response());
    }
    let flag = |name: &str| {
        query
            .as_deref()
            .is_some_and(|q| q.split('&').any(|p| p == name))
    };
    let current: Answers = serde_json::from_value(case.answers.clone()).unwrap_or_default();
    let files = state
        .store
        .attached_files(&signed_in.actor, case.id, state.clock.now())
        .await
        .in_lang(lang)?;
    let problems = if flag("a-completer") {
        problems(lang, &form, &current, &files)
    } else {
        Vec::new()
    };
    let location = match current.get("body_site") {
        Some(Answer::Text(site)) => site.clone(),
        _ => String::new(),
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = DraftPage {
        lang,
        nav: Nav::for_actor(&signed_in.actor),
        title: form.title.clone(),
        fields: fields(&form, &current),
        case,
        saved: flag("enregistre"),
        problems,
        photos: PhotoRow::rows(lang, &files),
        blank: PhotoRow::blank(),
        location,
        reply: false,
    };
    Ok((status, Html(page.render().in_lang(lang)?)).into_response())
}

/// The attached files as the form's per-photo fields (`photo_kind__{id}`,
/// `photo_site__{id}`) describe them; a field the post does not carry
/// leaves that part as it was.
fn described(body: &[u8], attached: Vec<Attachment>) -> Vec<Attachment> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let posted = |name: String| {
        pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| {
            let v: String = consilium_domain::text::clean_line(v)
                .trim()
                .chars()
                .take(200)
                .collect();
            Some(v).filter(|v| !v.is_empty())
        })
    };
    attached
        .into_iter()
        .map(|mut a| {
            if let Some(kind) = posted(format!("photo_kind__{}", a.upload_id)) {
                a.photo_kind = kind.or(a.photo_kind);
            }
            if let Some(site) = posted(format!("photo_site__{}", a.upload_id)) {
                a.body_site = site;
            }
            a
        })
        .collect()
}

/// `POST /demandes/{id}`: `action=save` keeps the draft, `action=send` sends it.
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let Some((case, form)) = load(&state, lang, &signed_in, &id).await? else {
        return Ok(page::not_found(lang));
    };
    let now = state.clock.now();
    let actor = &signed_in.actor;
    if case.status == "draft" {
        state
            .store
            .save_answers(actor, case.id, &answers(&form, &body), now)
            .await
            .in_lang(lang)?;
        let attached = state
            .store
            .attachments(actor, case.id, now)
            .await
            .in_lang(lang)?;
        let photos = described(&body, attached);
        state
            .store
            .describe_attachments(actor, case.id, &photos, now)
            .await
            .in_lang(lang)?;
    }
    let send = form_urlencoded::parse(&body).any(|(k, v)| k == "action" && v == "send");
    let after = if send {
        match state.store.submit_request(actor, case.id, &form, now).await {
            Ok(sent) => {
                return Ok(Redirect::to(&format!("/dossiers/{}?envoyee", sent.id)).into_response());
            }
            Err(SubmitError::Answers(_)) => After::ToComplete,
            Err(SubmitError::Store(err)) => {
                return Err(PageError {
                    error: WebError::from(err),
                    lang,
                });
            }
        }
    } else {
        After::Saved
    };
    let to = match after {
        After::Saved => format!("/demandes/{}?enregistre", case.id),
        After::ToComplete => format!("/demandes/{}?a-completer#error-summary-title", case.id),
    };
    Ok(Redirect::to(&to).into_response())
}

impl DraftPage {
    /// The problem about `field`, if any (its message, shown by the field).
    fn problem_of(&self, field: &str) -> Option<&str> {
        let anchor = format!("field-{field}");
        self.problems
            .iter()
            .find(|(at, _)| *at == anchor)
            .map(|(_, message)| message.as_str())
    }
}
