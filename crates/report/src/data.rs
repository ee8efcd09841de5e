//! What the template reads from `/data.json`: every piece of text already
//! formatted (dates in Paris time, names in capitals), so the template only
//! lays it out. User text reaches typst as JSON strings, never as markup.

use consilium_domain::report::{Report, Signatory};
use jiff::{Timestamp, tz::TimeZone};
use serde::Serialize;

/// The virtual path of the `n`th photo (the template derives the same).
pub(crate) fn photo_path(n: usize) -> String {
    format!("/photo-{n}.jpg")
}

#[derive(Debug, Serialize)]
pub(crate) struct Data<'a> {
    reference: &'a str,
    version: u32,
    generated: String,
    specialty: &'a str,
    requester: Person<'a>,
    expert: Person<'a>,
    patient: Patient<'a>,
    submitted: String,
    question: &'a str,
    consent: Option<Consent<'a>>,
    answers: Vec<Answer<'a>>,
    exchanges: Vec<Exchange<'a>>,
    photos: Vec<Photo<'a>>,
    advice: Advice<'a>,
    advice_version: u32,
    signed: String,
    appointment: Option<Appointment<'a>>,
}

#[derive(Debug, Serialize)]
struct Person<'a> {
    name: &'a str,
    rpps: Option<&'a str>,
    organization: &'a str,
    finess: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Patient<'a> {
    birth_name: String,
    first_names: &'a str,
    birth_date: String,
    sex: &'a str,
    ins: Option<&'a str>,
    identity_status: &'a str,
}

#[derive(Debug, Serialize)]
struct Answer<'a> {
    question: &'a str,
    answer: &'a str,
}

#[derive(Debug, Serialize)]
struct Consent<'a> {
    by: &'a str,
    at: String,
}

#[derive(Debug, Serialize)]
struct Exchange<'a> {
    author: &'a str,
    role: &'static str,
    at: String,
    text: &'a str,
    photos: usize,
}

#[derive(Debug, Serialize)]
struct Photo<'a> {
    path: String,
    caption: &'a str,
}

#[derive(Debug, Serialize)]
struct Advice<'a> {
    hypothesis: &'a str,
    icd10: Option<&'a str>,
    management: &'a str,
    visit: &'a str,
    note: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Appointment<'a> {
    when: String,
    place: &'a str,
    instructions: Option<&'a str>,
}

impl<'a> Data<'a> {
    /// The template's view of `report`, times shown in `tz`.
    pub(crate) fn new(report: &'a Report, tz: &TimeZone) -> Self {
        let at = |t: &Timestamp| datetime(t, tz);
        let advice = &report.advice;
        Self {
            reference: &report.reference,
            version: report.version,
            generated: at(&report.generated_at),
            specialty: &report.specialty,
            requester: Person::new(&report.requester),
            expert: Person::new(&report.expert),
            patient: Patient {
                birth_name: report.patient.birth_family_name.to_uppercase(),
                first_names: &report.patient.first_names,
                birth_date: report.patient.birth_date.strftime("%d/%m/%Y").to_string(),
                sex: &report.patient.sex,
                ins: non_empty(report.patient.ins.as_deref()),
                identity_status: &report.patient.identity_status,
            },
            submitted: at(&report.submitted_at),
            question: &report.question,
            consent: report.consent.as_ref().map(|c| Consent {
                by: &c.recorded_by,
                at: at(&c.at),
            }),
            exchanges: report
                .exchanges
                .iter()
                .map(|m| Exchange {
                    author: &m.author,
                    role: if m.from_expert {
                        "Question de l'expert"
                    } else {
                        "Réponse du demandeur"
                    },
                    at: at(&m.at),
                    text: &m.text,
                    photos: m.photos,
                })
                .collect(),
            answers: report
                .answers
                .iter()
                .map(|a| Answer {
                    question: &a.question,
                    answer: &a.answer,
                })
                .collect(),
            photos: report
                .photos
                .iter()
                .enumerate()
                .map(|(n, p)| Photo {
                    path: photo_path(n),
                    caption: &p.caption,
                })
                .collect(),
            advice: Advice {
                hypothesis: &advice.hypothesis,
                icd10: advice.icd10.as_ref().map(|c| c.as_str()),
                management: &advice.management,
                visit: advice.visit.label_fr(),
                note: non_empty(Some(&advice.note)),
            },
            advice_version: report.advice_version,
            signed: at(&report.signed_at),
            appointment: report.appointment.as_ref().map(|a| Appointment {
                when: at(&a.starts_at),
                place: &a.place,
                instructions: non_empty(Some(&a.instructions)),
            }),
        }
    }
}

impl<'a> Person<'a> {
    fn new(s: &'a Signatory) -> Self {
        Self {
            name: &s.name,
            rpps: non_empty(s.rpps.as_deref()),
            organization: &s.organization,
            finess: non_empty(s.finess.as_deref()),
        }
    }
}

/// Blank text is as good as absent: the template then leaves the line out.
fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// "27/10/2026 à 09:00", in `tz`.
pub(crate) fn datetime(at: &Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone())
        .strftime("%d/%m/%Y à %H:%M")
        .to_string()
}
