//! `GET /demandes/{id}` and `POST /demandes/{id}`: the draft's questionnaire,
//! saved as the requester goes, and sent once complete.

use askama::Template;
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use consilium_domain::questionnaire::{Answer, Answers, Form, ItemType};
use consilium_store::{
    cases::CaseView,
    requests::{Attachment, SubmitError},
};
use uuid::Uuid;

use super::fields::{Field, answers, fields};
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
    /// The questionnaire's file question (`photos`, `ecg`, `documents`), if any.
    files: Option<Field>,
    attached: Vec<Attachment>,
}

fn draft_page(
    lang: Lang,
    signed_in: &SignedIn,
    (case, form): (CaseView, &Form),
    answers: &Answers,
    attached: Vec<Attachment>,
) -> DraftPage {
    let files = form
        .items
        .iter()
        .find(|i| i.item_type == ItemType::Attachment)
        .map(|i| Field {
            name: i.link_id.clone(),
            text: i.text.clone(),
            kind: "attachment",
            required: i.required,
            options: vec![],
            value: String::new(),
            checked: false,
        });
    DraftPage {
        lang,
        nav: Nav::for_actor(&signed_in.actor),
        title: form.title.clone(),
        fields: fields(form, answers),
        case,
        problems: Vec::new(),
        saved: false,
        files,
        attached,
    }
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
    let form = team.and_then(|t| state.form(t.specialty.as_str()).cloned());
    Ok(form.map(|form| (case, form)))
}

/// `GET /demandes/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let Some((case, form)) = load(&state, lang, &signed_in, &id).await? else {
        return Ok(page::not_found(lang));
    };
    if case.status != "draft" || case.parties.requester_id != signed_in.actor.caller.person_id {
        return Ok(Redirect::to(&format!("/dossiers/{}", case.id)).into_response());
    }
    let current: Answers = serde_json::from_value(case.answers.clone()).unwrap_or_default();
    let attached = state
        .store
        .attachments(&signed_in.actor, case.id, state.clock.now())
        .await
        .in_lang(lang)?;
    let html = draft_page(lang, &signed_in, (case, &form), &current, attached)
        .render()
        .in_lang(lang)?;
    Ok(Html(html).into_response())
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
    let posted = answers(&form, &body);
    let now = state.clock.now();
    let actor = &signed_in.actor;
    if case.status == "draft" {
        state
            .store
            .save_answers(actor, case.id, &posted, now)
            .await
            .in_lang(lang)?;
    }
    let send = form_urlencoded::parse(&body).any(|(k, v)| k == "action" && v == "send");
    let attached = state
        .store
        .attachments(actor, case.id, now)
        .await
        .in_lang(lang)?;
    if !send {
        let mut page = draft_page(lang, &signed_in, (case, &form), &posted, attached);
        page.saved = true;
        return Ok(Html(page.render().in_lang(lang)?).into_response());
    }
    match state.store.submit_request(actor, case.id, &form, now).await {
        Ok(sent) => Ok(Redirect::to(&format!("/dossiers/{}?envoyee", sent.id)).into_response()),
        Err(SubmitError::Answers(_)) => {
            // Every problem at once, each linked to its field.
            let mut complete = posted.clone();
            for a in &attached {
                let entry = complete
                    .entry(a.item.clone())
                    .or_insert_with(|| Answer::Attachments(vec![]));
                if let Answer::Attachments(ids) = entry {
                    ids.push(a.upload_id);
                }
            }
            let problems = form
                .problems(&complete)
                .iter()
                .map(|p| {
                    let anchor = p
                        .link_id()
                        .map_or_else(|| "attachments".to_owned(), |id| format!("field-{id}"));
                    (anchor, localized(&p.to_string(), lang))
                })
                .collect();
            let mut page = draft_page(lang, &signed_in, (case, &form), &posted, attached);
            page.problems = problems;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(page.render().in_lang(lang)?),
            )
                .into_response())
        }
        Err(SubmitError::Store(err)) => Err(PageError {
            error: WebError::from(err),
            lang,
        }),
    }
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
