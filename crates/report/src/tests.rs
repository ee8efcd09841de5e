use std::{
    io::{Cursor, Write},
    process::{Command, Stdio},
    time::Instant,
};

use consilium_domain::{
    expertise::{Advice, Visit},
    report::{
        ReportAnswer, ReportAppointment, ReportConsent, ReportMessage, ReportPatient, ReportPhoto,
        Signatory,
    },
};
use jiff::{Timestamp, civil::date};

use super::*;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A small JPEG, as the blob pipeline would hand over a thumbnail.
fn jpeg(width: u32, height: u32, tint: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([tint, (x * 255 / width) as u8, (y * 255 / height) as u8])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn sample() -> Report {
    Report {
        reference: "TE-2026-4F2A9C".into(),
        version: 2,
        generated_at: at("2026-10-27T08:00:00Z"),
        specialty: "Dermatologie".into(),
        requester: Signatory {
            name: "Dr Paul Martin".into(),
            rpps: Some("10001234567".into()),
            organization: "Centre de santé de Saint-Laurent-du-Maroni".into(),
            finess: Some("970302345".into()),
        },
        expert: Signatory {
            name: "Dr Claire Dubois".into(),
            rpps: Some("10009876543".into()),
            organization: "CHU de Martinique — Dermatologie".into(),
            finess: Some("970211207".into()),
        },
        patient: ReportPatient {
            birth_family_name: "Lefèvre".into(),
            first_names: "Marie Louise".into(),
            birth_date: date(1958, 3, 12),
            sex: "Féminin".into(),
            ins: Some("258037512345678".into()),
            identity_status: "Identité qualifiée".into(),
        },
        submitted_at: at("2026-10-25T14:30:00Z"),
        question: "Lésion pigmentée de l'avant-bras gauche apparue il y a six mois.\n\
                   Faut-il l'exciser ?"
            .into(),
        consent: Some(ReportConsent {
            recorded_by: "Dr Paul Martin".into(),
            at: at("2026-10-25T14:20:00Z"),
        }),
        exchanges: vec![
            ReportMessage {
                author: "Dr Claire Dubois".into(),
                from_expert: true,
                at: at("2026-10-26T09:00:00Z"),
                text: "Pouvez-vous envoyer une photo dermoscopique ?".into(),
                photos: 0,
            },
            ReportMessage {
                author: "Dr Paul Martin".into(),
                from_expert: false,
                at: at("2026-10-26T11:15:00Z"),
                text: "Voici la photo demandée.".into(),
                photos: 1,
            },
        ],
        answers: vec![
            ReportAnswer {
                question: "Depuis quand la lésion est-elle présente ?".into(),
                answer: "Six mois".into(),
            },
            ReportAnswer {
                question: "La lésion a-t-elle changé d'aspect ?".into(),
                answer: "Oui, elle s'est étendue".into(),
            },
            ReportAnswer {
                question: "Antécédents de mélanome".into(),
                answer: "Non".into(),
            },
        ],
        photos: vec![
            ReportPhoto {
                jpeg: jpeg(96, 64, 200),
                caption: "Avant-bras gauche — vue d'ensemble".into(),
            },
            ReportPhoto {
                jpeg: jpeg(64, 64, 90),
                caption: "Avant-bras gauche — gros plan".into(),
            },
        ],
        advice: Advice::new(
            "Kératose séborrhéique",
            "L82",
            "Abstention thérapeutique ; surveillance clinique à trois mois.",
            Visit::WithinMonth,
            "Photographier à nouveau en cas de changement.",
        )
        .unwrap(),
        advice_version: 1,
        signed_at: at("2026-10-26T16:05:00Z"),
        appointment: Some(ReportAppointment {
            starts_at: at("2026-11-12T09:30:00Z"),
            place: "Consultation de dermatologie, bâtiment B, 2e étage".into(),
            instructions: "Apporter les traitements en cours.".into(),
        }),
    }
}

/// The PDF's text as `pdftotext` reads it, whitespace collapsed so that a
/// phrase wrapped over two lines still matches.
fn text_of(pdf: &[u8]) -> String {
    let raw = pdftotext(pdf);
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pdftotext(pdf: &[u8]) -> String {
    let mut child = match Command::new("pdftotext")
        .args(["-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => panic!(
            "cannot run `pdftotext` ({e}): these tests need it, \
             install poppler-utils (apt-get install -y poppler-utils)"
        ),
    };
    let mut stdin = child.stdin.take().unwrap();
    let pdf = pdf.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&pdf));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "pdftotext failed: {}", out.status);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_report_renders_to_a_pdf_stating_its_facts() {
    let started = Instant::now();
    let reports = TypstReports::new();
    println!("new took {:?}", started.elapsed());
    let report = sample();
    let started = Instant::now();
    let pdf = reports.render(&report).unwrap();
    println!("render took {:?}", started.elapsed());
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    if let Some(path) = std::env::var_os("CONSILIUM_REPORT_SAMPLE") {
        std::fs::write(path, &pdf).unwrap();
    }

    let text = text_of(&pdf);
    for expected in [
        "Compte rendu de télé-expertise",
        "TE-2026-4F2A9C",
        "10009876543",
        "LEFÈVRE",
        "Marie Louise",
        "12/03/1958",
        "258037512345678",
        "Kératose séborrhéique",
        "CIM-10 : L82",
        "Abstention thérapeutique ; surveillance clinique à trois mois.",
        Visit::WithinMonth.label_fr(),
        "Avant-bras gauche — gros plan",
        "La lésion a-t-elle changé d'aspect ?",
        // 16:05 UTC in October is 17:05 in Paris (summer time until the 25th).
        "signé par Dr Claire Dubois le 26/10/2026 à 17:05",
        // After the change to winter time: UTC+1.
        "12/11/2026 à 10:30",
        "Consultation de dermatologie, bâtiment B, 2e étage",
        "généré le 27/10/2026 à 09:00",
        "Page 1 sur 2",
        // The consent, and the exchange before the advice (issue 15).
        "Consentement du patient : recueilli par Dr Paul Martin le 25/10/2026 à 15:20",
        "Échanges avant l’avis",
        "Pouvez-vous envoyer une photo dermoscopique ?",
        "Réponse du demandeur — Dr Paul Martin, 26/10/2026 à 12:15 (1 photo(s) jointe(s))",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn typst_markup_in_user_text_renders_literally() {
    let mut report = sample();
    let tricky = r#"#strong[x] *gras* _pench_ $x^2$ [crochets] \ @ref <lab> // pas un commentaire #panic("non")"#;
    report.question = tricky.into();
    report.patient.first_names = "#set page(width: 1cm) ]".into();
    report.advice.management = "$ # * [ ] `code` = Titre".into();
    report.photos[0].caption = "#image(\"/data.json\")".into();

    let text = text_of(&reports().render(&report).unwrap());
    for expected in [
        tricky,
        "#set page(width: 1cm) ]",
        "$ # * [ ] `code` = Titre",
        "#image(\"/data.json\")",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let reports = reports();
    let report = sample();
    assert_eq!(
        reports.render(&report).unwrap(),
        reports.render(&report).unwrap()
    );
}

#[test]
fn optional_parts_may_be_missing() {
    let mut report = sample();
    report.requester.rpps = None;
    report.expert.finess = Some("  ".into());
    report.patient.ins = None;
    report.answers.clear();
    report.photos.clear();
    report.advice = Advice::new("Eczéma", "", "Dermocorticoïdes", Visit::No, "").unwrap();
    report.appointment = None;

    let text = text_of(&reports().render(&report).unwrap());
    assert!(text.contains("Pas de consultation en présentiel"), "{text}");
    for absent in [
        "CIM-10",
        "Questionnaire",
        "Photographies",
        "Rendez-vous",
        "Note",
    ] {
        assert!(!text.contains(absent), "unexpected {absent:?} in:\n{text}");
    }
}

#[test]
fn long_texts_flow_onto_further_pages() {
    let mut report = sample();
    let long = "Surveiller l'évolution de la lésion et noter tout changement. ".repeat(150);
    report.advice.management = format!("{long}FIN-DE-LA-CONDUITE");
    report.question = "Question longue. ".repeat(300);

    let text = text_of(&reports().render(&report).unwrap());
    assert!(text.contains("FIN-DE-LA-CONDUITE"), "{text}");
    assert!(text.contains("Page 2 sur "), "{text}");
}

#[test]
fn a_photo_typst_cannot_read_is_an_error_not_a_panic() {
    let mut report = sample();
    report.photos[1].jpeg = b"not a jpeg".to_vec();
    let err = reports().render(&report).unwrap_err();
    assert!(err.0.starts_with("mise en page"), "{err}");
}

#[test]
fn times_are_french_local_time() {
    let paris = TimeZone::get("Europe/Paris").unwrap();
    assert_eq!(
        data::datetime(&at("2026-10-27T08:00:00Z"), &paris),
        "27/10/2026 à 09:00"
    );
    assert_eq!(
        data::datetime(&at("2026-07-01T08:00:00Z"), &paris),
        "01/07/2026 à 10:00"
    );
}

fn reports() -> TypstReports {
    TypstReports::new()
}
