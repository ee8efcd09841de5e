//! `GET /demandes/nouvelle` and `POST /demandes`: the specialty and the patient.

use askama::Template;
use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use consilium_domain::{
    Ins, NamePart,
    directory::{OrganizationKind, SpecialtyCode},
    patient::{IdentityStatus, Sex},
};
use consilium_store::{
    NewPatient, OrgKey, StoreError,
    cases::PatientView,
    requests::{NewRequest, PatientChoice},
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppState, Lang, SignedIn, WebError,
    page::{InLang, Nav, PageError, localized},
};

#[derive(Template)]
#[template(path = "request_new.html")]
struct NewRequestPage {
    lang: Lang,
    nav: Option<Nav>,
    specialties: Vec<(String, String)>,
    centres: Vec<(String, String)>,
    patients: Vec<PatientView>,
    key: String,
    error: Option<String>,
    /// What was typed, when the page comes back with an error.
    typed: NewRequestForm,
}

/// The posted first step.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewRequestForm {
    key: String,
    specialty: String,
    patient: String,
    #[serde(default)]
    centre: String,
    #[serde(default)]
    urgent: String,
    #[serde(default)]
    ins: String,
    #[serde(default)]
    birth_family_name: String,
    #[serde(default)]
    first_names: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    identity_status: String,
}

async fn render(
    state: &AppState,
    lang: Lang,
    signed_in: &SignedIn,
    error: Option<String>,
    typed: Option<&NewRequestForm>,
) -> Result<Html<String>, PageError> {
    let patients = state
        .store
        .site_patients(&signed_in.actor, state.clock.now())
        .await
        .in_lang(lang)?;
    let specialties = state
        .store
        .specialties()
        .await
        .in_lang(lang)?
        .into_iter()
        .map(|s| {
            (
                s.code.to_string(),
                if lang.is_fr() { s.name_fr } else { s.name_en },
            )
        })
        .collect();
    let centres = state
        .store
        .organizations()
        .await
        .in_lang(lang)?
        .into_iter()
        .filter(|o| o.kind == OrganizationKind::ResourceCentre)
        .map(|o| (o.id.to_string(), o.name.to_string()))
        .collect();
    let page = NewRequestPage {
        lang,
        nav: Nav::for_actor(&signed_in.actor),
        specialties,
        centres,
        patients,
        // One key per form shown: sending it twice gives the same request.
        key: Uuid::now_v7().to_string(),
        error,
        typed: typed.cloned().unwrap_or_default(),
    };
    Ok(Html(page.render().in_lang(lang)?))
}

/// `GET /demandes/nouvelle`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, PageError> {
    render(&state, lang, &signed_in, None, None).await
}

fn new_patient(form: &NewRequestForm) -> Result<NewPatient, String> {
    let ins = match form.ins.trim() {
        "" => None,
        text => Some(Ins::parse(text).map_err(|e| e.to_string())?),
    };
    Ok(NewPatient {
        ins,
        birth_family_name: NamePart::parse(&form.birth_family_name)
            .map_err(|e| format!("Nom de naissance : {e}"))?,
        first_names: NamePart::parse(&form.first_names).map_err(|e| format!("Prénoms : {e}"))?,
        birth_date: form
            .birth_date
            .parse()
            .map_err(|_| "Date de naissance invalide / invalid birth date".to_owned())?,
        sex: Sex::parse(&form.sex).map_err(|_| {
            "Sexe : choisissez Féminin, Masculin ou Indéterminé / Sex: choose female, male or undetermined"
                .to_owned()
        })?,
        identity_status: IdentityStatus::parse(&form.identity_status).map_err(|e| e.to_string())?,
    })
}

fn parse(form: &NewRequestForm) -> Result<NewRequest, String> {
    let specialty = SpecialtyCode::parse(&form.specialty).map_err(|e| e.to_string())?;
    let patient = if form.patient == "new" {
        PatientChoice::New(new_patient(form)?)
    } else {
        PatientChoice::Known(
            Uuid::parse_str(&form.patient)
                .map_err(|_| "Choisissez un patient / choose a patient".to_owned())?,
        )
    };
    let centre = match form.centre.as_str() {
        "" => None,
        id => Some(OrgKey::Id(
            Uuid::parse_str(id).map_err(|_| "Centre inconnu / unknown centre".to_owned())?,
        )),
    };
    Ok(NewRequest {
        patient,
        specialty,
        centre,
        idempotency_key: Some(form.key.chars().take(64).collect()),
        urgent: form.urgent == "yes",
    })
}

async fn refused(
    state: &AppState,
    lang: Lang,
    signed_in: &SignedIn,
    typed: &NewRequestForm,
    (status, message): (StatusCode, &str),
) -> Result<Response, PageError> {
    let error = Some(localized(message, lang));
    let html = render(state, lang, signed_in, error, Some(typed)).await?;
    Ok((status, html).into_response())
}

/// `POST /demandes`: starts the draft and goes to its questionnaire.
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Form(form): Form<NewRequestForm>,
) -> Result<Response, PageError> {
    let new = match parse(&form) {
        Ok(new) => new,
        Err(message) => {
            let refusal = (StatusCode::UNPROCESSABLE_ENTITY, message.as_str());
            return refused(&state, lang, &signed_in, &form, refusal).await;
        }
    };
    match state
        .store
        .start_request(&signed_in.actor, &new, state.clock.now())
        .await
    {
        Ok(case) => Ok(Redirect::to(&format!("/demandes/{}", case.id)).into_response()),
        Err(StoreError::NotFound {
            what: "équipe", ..
        }) => {
            let message = "Pas d'équipe de cette spécialité au centre choisi (ou sur la route habituelle du site) / no team of this specialty at that centre";
            let refusal = (StatusCode::UNPROCESSABLE_ENTITY, message);
            refused(&state, lang, &signed_in, &form, refusal).await
        }
        // The identity is refused: the page comes back as typed, with why.
        Err(err @ (StoreError::Identity(_) | StoreError::BirthDate(_))) => {
            let message = err.to_string();
            let status = WebError::from(err).status();
            refused(&state, lang, &signed_in, &form, (status, &message)).await
        }
        Err(err) => Err(PageError {
            error: WebError::from(err),
            lang,
        }),
    }
}
