//! Each step of a request notifies the people who must act, through a job
//! enqueued with the step and run by the worker; on SQLite and PostgreSQL.

use std::sync::Arc;

use consilium::{config::Config, mailer::Mailer, worker::Worker};
use consilium_domain::Clock;
use serde_json::json;

use crate::helpers::{TestApp, body_text, browser_like::Auth, smtp::Smtp};

const CLAIRE: &str = "claire.martin@demo.test";
const SOPHIE: &str = "sophie.lambert@demo.test";
const MARC: &str = "marc.aubry@demo.test";
const CELINE: &str = "celine.fournier@demo.test";
const KARIM: &str = "karim.benali@demo.test";

async fn bell(app: &TestApp, cookie: &str) -> String {
    let page = body_text(app.get_as("/accueil", Auth::Cookie(cookie)).await).await;
    page.split("class=\"bell\"")
        .nth(1)
        .unwrap_or_default()
        .split("</a>")
        .next()
        .unwrap_or_default()
        .to_owned()
}

async fn steps_notify_who_must_act(app: TestApp) {
    let clock: Arc<dyn Clock> = app.clock.clone();
    let worker = Worker::named(app.store.clone(), clock, "node-1".into());
    let claire = app.bearer(CLAIRE).await;
    let (case_id, _) = app.file_request(&claire).await;
    let reference = app.reference_of(&case_id).await;

    let cookies: Vec<(&str, String)> = {
        let mut v = Vec::new();
        for email in [SOPHIE, MARC, CELINE, KARIM, CLAIRE] {
            v.push((email, app.sign_in(email).await));
        }
        v
    };
    let cookie = |email: &str| cookies.iter().find(|(e, _)| *e == email).unwrap().1.clone();
    assert!(
        !bell(&app, &cookie(SOPHIE)).await.contains("badge"),
        "nothing before the worker runs"
    );
    assert_eq!(worker.run_once().await.unwrap(), 1, "one notify job");
    assert_eq!(worker.run_once().await.unwrap(), 0, "and it ran once");
    for email in [SOPHIE, MARC, CELINE] {
        assert!(
            bell(&app, &cookie(email)).await.contains(">1<"),
            "{email} has one unread"
        );
        let list = body_text(
            app.get_as("/notifications", Auth::Cookie(&cookie(email)))
                .await,
        )
        .await;
        assert!(
            list.contains(&reference) && list.contains("nouvelle demande pour votre équipe"),
            "{email}"
        );
        assert!(
            !bell(&app, &cookie(email)).await.contains("badge"),
            "read once listed"
        );
    }
    for email in [KARIM, CLAIRE] {
        let list = body_text(
            app.get_as("/notifications", Auth::Cookie(&cookie(email)))
                .await,
        )
        .await;
        assert!(!list.contains(&reference), "{email} is not told");
    }

    // Sophie takes it: Claire is told, Sophie is not told of her own step.
    let sophie = app.bearer(SOPHIE).await;
    let task = json!({ "resourceType": "Task", "status": "accepted", "intent": "order" });
    let put = app
        .fhir(
            "PUT",
            &format!("/fhir/r4/Task/{case_id}"),
            &sophie,
            None,
            Some(&task),
        )
        .await;
    assert_eq!(put.status(), 200);
    assert_eq!(worker.run_once().await.unwrap(), 1);
    let list = body_text(
        app.get_as("/notifications", Auth::Cookie(&cookie(CLAIRE)))
            .await,
    )
    .await;
    assert!(
        list.contains("votre demande a été acceptée par un expert"),
        "{list}"
    );
    let sophie_list = body_text(
        app.get_as("/notifications", Auth::Cookie(&cookie(SOPHIE)))
            .await,
    )
    .await;
    assert!(!sophie_list.contains("acceptée"));
    // No notification names the patient.
    for (_, c) in &cookies {
        let list = body_text(app.get_as("/notifications", Auth::Cookie(c)).await).await;
        assert!(
            !list.contains("Durand") && !list.contains("Lucie"),
            "no patient name"
        );
    }
    app.finish().await;
}

async fn a_job_run_twice_notifies_once(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    app.file_request(&claire).await;
    let jobs = app
        .store
        .claim_jobs(
            "node-a",
            app.clock.now(),
            jiff::SignedDuration::from_secs(60),
            10,
        )
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1);
    let first = app
        .store
        .run_notify(&jobs[0], false, app.clock.now())
        .await
        .unwrap();
    assert_eq!(first, 3, "two dermatologists and the coordinator");
    // node-a dies before recording completion: another node runs it again.
    let again = app
        .store
        .claim_jobs(
            "node-b",
            app.clock.now() + jiff::SignedDuration::from_secs(61),
            jiff::SignedDuration::from_secs(60),
            10,
        )
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(
        app.store
            .run_notify(&again[0], false, app.clock.now())
            .await
            .unwrap(),
        0,
        "nobody told twice"
    );
    app.finish().await;
}

async fn mail_says_only_that_something_awaits(app: TestApp) {
    let Some(smtp) = Smtp::start() else {
        return app.finish().await;
    };
    let config = Config {
        smtp_url: Some(format!("smtp://127.0.0.1:{}", smtp.port)),
        public_url: Some("https://consilium.test".into()),
        ..Config::default()
    };
    let mailer = Mailer::from_config(&config).unwrap();
    let clock: Arc<dyn Clock> = app.clock.clone();
    let worker = Worker::named(app.store.clone(), clock, "node-1".into()).with_mailer(mailer);
    let claire = app.bearer(CLAIRE).await;
    let (case_id, _) = app.file_request(&claire).await;
    assert_eq!(worker.run_once().await.unwrap(), 1, "the notify job");
    assert_eq!(
        worker.run_once().await.unwrap(),
        3,
        "one mail job per person"
    );
    assert_eq!(worker.run_once().await.unwrap(), 0);
    let sophie = app.bearer(SOPHIE).await;
    let task = format!("/fhir/r4/Task/{case_id}");
    let accepted = json!({ "resourceType": "Task", "status": "accepted", "intent": "order" });
    app.fhir("PUT", &task, &sophie, None, Some(&accepted)).await;
    let question = json!({ "resourceType": "Task", "status": "on-hold", "intent": "order",
        "note": [{ "text": "Une photo en gros plan de la jambe droite ?" }] });
    app.fhir("PUT", &task, &sophie, None, Some(&question)).await;
    while worker.run_once().await.unwrap() > 0 {}

    let mails = smtp.messages();
    let to = |m: &serde_json::Value| m["to"].as_str().unwrap().to_owned();
    let mut recipients: Vec<String> = mails.iter().map(to).collect();
    recipients.sort();
    assert_eq!(recipients.len(), 5, "{recipients:?}");
    for email in [SOPHIE, MARC, CELINE] {
        assert_eq!(
            recipients.iter().filter(|r| r.contains(email)).count(),
            1,
            "{email} once"
        );
    }
    assert_eq!(
        recipients.iter().filter(|r| r.contains(CLAIRE)).count(),
        2,
        "taken, then asked"
    );
    let link = format!("https://consilium.test/dossiers/{case_id}");
    for mail in &mails {
        let (subject, body) = (
            mail["subject"].as_str().unwrap(),
            mail["body"].as_str().unwrap(),
        );
        assert!(subject.starts_with("[Consilium] TE-"), "{subject}");
        assert!(body.contains(&link), "{body}");
        // The link and the reference are random hex: "1986" may be in them.
        let reference = app.reference_of(&case_id).await;
        let hide = |text: &str| {
            text.replace(&link, "[link]")
                .replace(&reference, "[reference]")
        };
        let (subject, body) = (hide(subject), hide(body));
        // The patient of `bundle()`, and what the questionnaire and the question say.
        for secret in [
            "Durand",
            "DURAND",
            "Lucie",
            "Anne",
            "1986",
            "12/05",
            "Nævus",
            "Lévothyroxine",
            "Jambe",
            "jambe",
            "gros plan",
            "286057512345",
        ] {
            assert!(
                !subject.contains(secret) && !body.contains(secret),
                "{secret} leaked: {subject} / {body}"
            );
        }
    }
    assert!(mails.iter().any(|m| {
        m["subject"]
            .as_str()
            .unwrap()
            .contains("l'expert vous pose une question")
    }));
    app.finish().await;
}

async fn preferences_mute_or_gather_mail(app: TestApp) {
    let Some(smtp) = Smtp::start() else {
        return app.finish().await;
    };
    let config = Config {
        smtp_url: Some(format!("smtp://127.0.0.1:{}", smtp.port)),
        ..Config::default()
    };
    let clock: Arc<dyn Clock> = app.clock.clone();
    let worker = Worker::named(app.store.clone(), clock, "node-1".into())
        .with_mailer(Mailer::from_config(&config).unwrap());
    // Sophie mutes new requests; Marc wants one summary a day.
    let sophie = app.sign_in(SOPHIE).await;
    let every_but_submit: Vec<(&str, &str)> = consilium_store::notifications::EVENTS
        .iter()
        .filter(|e| **e != "submit")
        .map(|e| ("mail", *e))
        .chain([("frequency", "immediate")])
        .collect();
    let saved = app
        .post_form("/compte/notifications", Some(&sophie), &every_but_submit)
        .await;
    assert!(body_text(saved).await.contains("Préférences enregistrées"));
    let marc = app.sign_in(MARC).await;
    app.post_form(
        "/compte/notifications",
        Some(&marc),
        &[("mail", "submit"), ("frequency", "daily")],
    )
    .await;
    let page = body_text(
        app.get_as("/compte/notifications", Auth::Cookie(&marc))
            .await,
    )
    .await;
    assert!(
        page.contains(r#"value="daily" checked"#),
        "the choice is kept"
    );

    let claire = app.bearer(CLAIRE).await;
    let (case_id, _) = app.file_request(&claire).await;
    let reference = app.reference_of(&case_id).await;
    while worker.run_once().await.unwrap() > 0 {}
    let mails = smtp.messages();
    let to: Vec<&str> = mails.iter().map(|m| m["to"].as_str().unwrap()).collect();
    assert_eq!(to.len(), 1, "{to:?}");
    assert!(
        to[0].contains(CELINE),
        "only the coordinator is mailed at once"
    );
    let bell = body_text(app.get_as("/notifications", Auth::Cookie(&sophie)).await).await;
    assert!(
        bell.contains(&reference),
        "muted mail, but the bell still tells"
    );

    // Next morning at 07:00 Paris (06:00 UTC in November), Marc's summary.
    let seven = consilium_store::notifications::next_digest_time(app.clock.now()).unwrap();
    assert_eq!(seven.to_string(), "2026-11-24T06:00:00Z");
    app.clock
        .advance(seven.duration_since(app.clock.now()) - jiff::SignedDuration::from_secs(1));
    while worker.run_once().await.unwrap() > 0 {}
    assert_eq!(smtp.messages().len(), 1, "not before 07:00");
    app.clock.advance(jiff::SignedDuration::from_secs(1));
    while worker.run_once().await.unwrap() > 0 {}
    let mails = smtp.messages();
    let digest = mails
        .iter()
        .find(|m| m["to"].as_str().unwrap().contains(MARC))
        .unwrap();
    assert!(
        digest["subject"]
            .as_str()
            .unwrap()
            .contains("Résumé du jour : 1 notification")
    );
    let body = digest["body"].as_str().unwrap();
    assert!(
        body.contains(&reference) && body.contains(&case_id),
        "{body}"
    );
    for secret in ["Durand", "Lucie", "1986", "Nævus", "Jambe"] {
        assert!(!body.contains(secret), "{secret} in the summary");
    }
    app.finish().await;
}

on_both_backends!(
    preferences_mute_or_gather_mail,
    steps_notify_who_must_act,
    a_job_run_twice_notifies_once,
    mail_says_only_that_something_awaits
);
