//! `GET /dossiers/{id}`: the whole case on one page — patient, consent,
//! answers, photos (with a full-size viewer), thread, advice versions,
//! appointment, reports, history, earlier requests of the patient — with
//! the actions the viewer may take now. Anyone the policy does not allow
//! gets the same 404 as for a case that does not exist.

use askama::Template;
use axum::{
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use consilium_domain::{
    access::CaseAction,
    expertise::{Step, StepContext, Visit},
    questionnaire::{Answer, Answers},
};
use consilium_store::expertise::{AdviceVersion, CaseFile};
use jiff::Timestamp;
use uuid::Uuid;

use super::files::{FileGroup, FileView, file_groups, file_views};
use crate::{
    AppState, Lang, SignedIn,
    page::{self, InLang, Nav, PageError},
    routes::requests::photos::PhotoRow,
};

/// An earlier request of the patient, with its photos.
pub struct EarlierView {
    /// Its id.
    pub id: Uuid,
    /// Its reference.
    pub reference: String,
    /// Its status code.
    pub status: String,
    /// When it was sent.
    pub submitted_at: Option<Timestamp>,
    /// Its files.
    pub files: Vec<FileView>,
}

/// What the viewer may do now: allowed by the policy *and* by the status.
#[derive(Debug, Default)]
pub struct Abilities {
    pub take: bool,
    pub decline: bool,
    pub assign: bool,
    pub ask: bool,
    pub reply: bool,
    pub advise: bool,
    pub visit: bool,
    pub close: bool,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    lang: Lang,
    nav: Option<Nav>,
    file: CaseFile,
    now: Timestamp,
    question: String,
    answers: Vec<(String, String)>,
    consent: bool,
    files: Vec<FileView>,
    /// The same files, grouped by when they came.
    groups: Vec<FileGroup>,
    earlier: Vec<EarlierView>,
    can: Abilities,
    error: Option<String>,
    visits: Vec<(&'static str, &'static str)>,
    key: Uuid,
    /// The reader filed the request: the advice comes first for them.
    reads_as_requester: bool,
    /// The request was just sent (the page says so, and by when).
    just_sent: bool,
    /// What the reader just did, confirmed in words.
    done: Option<&'static str>,
    /// The reply form's photo rows: none until the script adds them.
    photos: Vec<PhotoRow>,
    /// The row the upload script clones.
    blank: PhotoRow,
    /// The lesion's location as the questionnaire says it.
    location: String,
    /// The photo rows belong to a reply.
    reply: bool,
}

impl CasePage {
    fn latest_advice(&self) -> Option<&AdviceVersion> {
        self.file.advices.last()
    }

    /// True when the correction form should start on this visit choice:
    /// the current version's, or "no visit" for a first advice.
    fn visit_checked(&self, code: &str) -> bool {
        match self.latest_advice() {
            Some(a) => a.advice.visit.code() == code,
            None => code == Visit::No.code(),
        }
    }

    /// What version `a` changed from the one before it, in words.
    fn changes(&self, a: &AdviceVersion) -> Vec<&'static str> {
        let Some(before) = self
            .file
            .advices
            .iter()
            .find(|b| b.version + 1 == a.version)
        else {
            return Vec::new();
        };
        let (old, new) = (&before.advice, &a.advice);
        let lang = self.lang;
        [
            (
                old.hypothesis != new.hypothesis,
                lang.t("hypothèse diagnostique", "diagnostic hypothesis"),
            ),
            (old.icd10 != new.icd10, lang.t("code CIM-10", "ICD-10 code")),
            (
                old.management != new.management,
                lang.t("conduite à tenir", "management"),
            ),
            (
                old.visit != new.visit,
                lang.t("consultation en présentiel", "in-person visit"),
            ),
            (old.note != new.note, lang.t("note", "note")),
        ]
        .into_iter()
        .filter_map(|(changed, name)| changed.then_some(name))
        .collect()
    }

    fn visit_label(&self, visit: &Visit) -> &'static str {
        if self.lang.is_fr() {
            visit.label_fr()
        } else {
            visit.label_en()
        }
    }

    fn is_owner(&self, id: &Uuid) -> bool {
        self.file.case.owner_id == Some(*id)
    }

    fn file_caption(&self, id: &Uuid) -> String {
        self.files
            .iter()
            .find(|f| f.id == *id)
            .map_or_else(String::new, |f| f.caption.clone())
    }
}

fn abilities(signed_in: &SignedIn, file: &CaseFile, now: Timestamp) -> Abilities {
    let caller = &signed_in.actor.caller;
    let Ok(state) = file.case.task_state() else {
        return Abilities::default();
    };
    let ctx = StepContext {
        actor_id: caller.person_id,
        now,
        visit_asked: file
            .advices
            .last()
            .is_some_and(|a| a.advice.visit.is_needed()),
    };
    let can = |step: Step| {
        caller.may(step.action(), &file.case.parties) && state.after(&step, ctx).is_ok()
    };
    let decline = Step::Decline {
        kind: consilium_domain::expertise::DeclineKind::Other,
        reason: "—".into(),
        transfer_to: None,
    };
    Abilities {
        take: can(Step::Take),
        decline: can(decline),
        assign: can(Step::Assign {
            expert_id: Uuid::nil(),
        }) && !file.experts.is_empty(),
        ask: can(Step::Ask),
        reply: can(Step::Reply),
        advise: can(Step::Advise),
        visit: can(Step::ProposeVisit),
        close: can(Step::Close),
    }
}

/// Renders the case page, with an error on top when a step was refused.
pub async fn render(
    state: &AppState,
    lang: Lang,
    signed_in: &SignedIn,
    id: Uuid,
    error: Option<(StatusCode, String)>,
) -> Result<Response, PageError> {
    render_page(state, lang, signed_in, id, error, None).await
}

/// What a step's redirect (`?fait=…`) confirms on the page.
fn confirmation(lang: Lang, query: &str) -> Option<&'static str> {
    let done = query.split('&').find_map(|p| p.strip_prefix("fait="))?;
    Some(match done {
        "prise" => lang.t(
            "Demande acceptée : elle est à vous. Posez une question au requérant ou rédigez l'avis ci-dessous.",
            "Request accepted: it is yours. Ask the requester a question or write the advice below.",
        ),
        "cloture" => lang.t("Demande clôturée.", "Request closed."),
        "refus" => lang.t(
            "Demande déclinée : le coordinateur du centre, ou l'équipe choisie, est prévenu.",
            "Request declined: the centre's coordinator, or the chosen team, is told.",
        ),
        "attribution" => lang.t("Demande attribuée.", "Request assigned."),
        "question" => lang.t(
            "Question envoyée : l'horloge est arrêtée jusqu'à la réponse du requérant.",
            "Question sent: the clock is stopped until the requester answers.",
        ),
        "reponse" => lang.t("Réponse envoyée à l'expert.", "Answer sent to the expert."),
        "avis" => lang.t(
            "Avis signé et envoyé au requérant.",
            "Advice signed and sent to the requester.",
        ),
        "rendez-vous" => lang.t(
            "Rendez-vous proposé : le requérant est prévenu.",
            "Appointment proposed: the requester is told.",
        ),
        _ => return None,
    })
}

/// [`render`], saying the request was just sent when it was.
async fn render_page(
    state: &AppState,
    lang: Lang,
    signed_in: &SignedIn,
    id: Uuid,
    error: Option<(StatusCode, String)>,
    query: Option<&str>,
) -> Result<Response, PageError> {
    let just_sent = query.is_some_and(|q| q.split('&').any(|p| p == "envoyee"));
    let done = query.and_then(|q| confirmation(lang, q));
    let now = state.clock.now();
    let file = state
        .store
        .case_file(&signed_in.actor, id, now)
        .await
        .in_lang(lang)?;
    let answers: Answers = serde_json::from_value(file.case.answers.clone()).unwrap_or_default();
    let question = match answers.get("question") {
        Some(Answer::Text(text)) => text.clone(),
        _ => String::new(),
    };
    let consent = matches!(answers.get("consent"), Some(Answer::Boolean(true)));
    let location = match answers.get("body_site") {
        Some(Answer::Text(site)) => site.clone(),
        _ => String::new(),
    };
    let lines = state
        .form_in(&file.case.specialty_code, lang)
        .map(|form| {
            let question_text = form.item("question").map(|i| i.text.clone());
            form.answer_lines(&answers)
                .into_iter()
                .filter(|(q, _)| Some(q) != question_text.as_ref())
                .collect()
        })
        .unwrap_or_default();
    let earlier = file
        .earlier
        .iter()
        .map(|e| EarlierView {
            id: e.case.id,
            reference: e.case.reference.clone(),
            status: e.case.status.clone(),
            submitted_at: e.case.submitted_at,
            files: file_views(lang, &e.files),
        })
        .collect();
    let can = abilities(signed_in, &file, now);
    let reads_as_requester = file.case.parties.requester_id == signed_in.actor.caller.person_id;
    let caller = &signed_in.actor.caller;
    if !caller.may(CaseAction::Read, &file.case.parties) {
        return Ok(page::not_found(lang));
    }
    let (status, error) = match error {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
    };
    let html = CasePage {
        lang,
        nav: Nav::for_actor(&signed_in.actor),
        groups: file_groups(lang, file_views(lang, &file.files), &file.messages),
        files: file_views(lang, &file.files),
        file,
        photos: Vec::new(),
        blank: PhotoRow::blank(),
        location,
        reply: true,
        now,
        question,
        answers: lines,
        consent,
        earlier,
        reads_as_requester,
        just_sent,
        done,
        can,
        error,
        visits: Visit::ALL
            .iter()
            .map(|v| {
                (
                    v.code(),
                    if lang.is_fr() {
                        v.label_fr()
                    } else {
                        v.label_en()
                    },
                )
            })
            .collect(),
        key: Uuid::now_v7(),
    }
    .render()
    .in_lang(lang)?;
    Ok((status, Html(html)).into_response())
}

/// `GET /dossiers/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let Ok(id) = Uuid::parse_str(&id) else {
        return Ok(page::not_found(lang));
    };
    render_page(&state, lang, &signed_in, id, None, query.as_deref()).await
}
