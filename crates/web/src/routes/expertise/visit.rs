//! `POST /dossiers/{id}/rendez-vous`: the coordinator proposes the in-person
//! visit the advice asked for (the report is remade with it);
//! `GET /dossiers/{id}/convocation`: a page the requester prints for the patient.

use askama::Template;
use axum::{
    body::Bytes,
    extract::{Path, State},
    response::{Html, IntoResponse, Response},
};
use consilium_store::cases::CaseView;
use consilium_store::expertise::{Appointment, NewAppointment, StepError};
use jiff::{Timestamp, civil::DateTime, tz::TimeZone};

use super::{after_step, case_id, field};
use crate::{
    AppState, Lang, SignedIn,
    page::{self, InLang, PageError},
};

/// The civil date and time typed in the form, as an instant in Paris.
fn starts_at(date: &str, time: &str) -> Option<Timestamp> {
    let civil: DateTime = format!("{date}T{time}").parse().ok()?;
    let paris = TimeZone::get("Europe/Paris").ok()?;
    civil.to_zoned(paris).ok().map(|z| z.timestamp())
}

/// `POST /dossiers/{id}/rendez-vous`: `date`, `time`, `place`, `instructions`.
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let Some(id) = case_id(&id) else {
        return Ok(page::not_found(lang));
    };
    let appointment = starts_at(&field(&body, "date"), &field(&body, "time"))
        .map(|starts_at| NewAppointment {
            starts_at,
            place: field(&body, "place"),
            instructions: field(&body, "instructions"),
        })
        .ok_or_else(|| {
            StepError::Invalid(
                lang.t("Date ou heure invalide", "Invalid date or time")
                    .into(),
            )
        });
    let result = match appointment {
        Ok(new) => {
            state
                .store
                .propose_visit(
                    &signed_in.actor,
                    &state.report_kit(),
                    id,
                    &new,
                    state.clock.now(),
                )
                .await
        }
        Err(e) => Err(e),
    };
    after_step(
        &state,
        lang,
        &signed_in,
        id,
        result,
        "?fait=rendez-vous#rendez-vous",
    )
    .await
}

#[derive(Template)]
#[template(path = "convocation.html")]
struct NoticePage {
    lang: Lang,
    case: CaseView,
    appointment: Appointment,
}

/// `GET /dossiers/{id}/convocation`: the latest appointment, to print.
pub async fn notice(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let Some(id) = case_id(&id) else {
        return Ok(page::not_found(lang));
    };
    let mut file = state
        .store
        .case_file(&signed_in.actor, id, state.clock.now())
        .await
        .in_lang(lang)?;
    let Some(appointment) = file.appointments.pop() else {
        return Ok(page::not_found(lang));
    };
    let html = NoticePage {
        lang,
        case: file.case,
        appointment,
    }
    .render()
    .in_lang(lang)?;
    Ok(Html(html).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_times_across_the_seasons() {
        let winter = starts_at("2026-12-01", "10:30").map(|t| t.to_string());
        assert_eq!(winter.as_deref(), Some("2026-12-01T09:30:00Z"));
        let summer = starts_at("2026-07-01", "10:30").map(|t| t.to_string());
        assert_eq!(summer.as_deref(), Some("2026-07-01T08:30:00Z"));
        assert_eq!(starts_at("2026-13-01", "10:30"), None);
        assert_eq!(starts_at("2026-12-01", ""), None);
    }
}
