//! Sign-in, sessions, tokens and the access policy through HTTP, on SQLite
//! and on PostgreSQL: `auth_http::sqlite::…` and `auth_http::postgres::…`.

use axum::http::{StatusCode, header};
use jiff::SignedDuration;

use crate::helpers::{
    TestApp, body_text,
    browser_like::{Auth, cookie_of, location},
};

const CLAIRE: &str = "claire.martin@demo.test"; // requester, Saulieu (org admin there)
const PIERRE: &str = "pierre.roche@demo.test"; // requester, Pontarlier
const HELENE: &str = "helene.garnier@demo.test"; // regional admin
const CELINE: &str = "celine.fournier@demo.test"; // coordinator and org admin, CHU Dijon
const SOPHIE: &str = "sophie.lambert@demo.test"; // dermatologist, CHU Dijon

async fn sign_in_pages(app: TestApp) {
    let form = app.get_as("/connexion", Auth::None).await;
    assert_eq!(form.status(), StatusCode::OK);
    assert!(body_text(form).await.contains(r#"<html lang="fr">"#));

    let wrong = app
        .post_form(
            "/connexion",
            None,
            &[("email", CLAIRE), ("password", "pas le bon mot de passe")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        body_text(wrong)
            .await
            .contains("adresse e-mail ou mot de passe incorrect")
    );

    let right = app
        .post_form(
            "/connexion",
            None,
            &[("email", CLAIRE), ("password", "consilium-demo")],
        )
        .await;
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&right), "/connexion/code");
    let set_cookie = right.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(set_cookie.contains(flag), "{set_cookie}");
    }
    assert!(
        set_cookie.starts_with("__Host-"),
        "TLS deployments use the __Host- prefix: {set_cookie}"
    );
    let pending = cookie_of(&right).unwrap();
    let not_yet = app.get_as("/accueil", Auth::Cookie(&pending)).await;
    assert_eq!(
        location(&not_yet),
        "/connexion",
        "half signed in is not signed in"
    );

    let code = app.demo_code(CLAIRE).await;
    let done = app
        .post_form("/connexion/code", Some(&pending), &[("code", &code)])
        .await;
    assert_eq!(location(&done), "/accueil");
    let session = cookie_of(&done).unwrap();
    assert_ne!(session, pending);
    let home = app.get_as("/accueil", Auth::Cookie(&session)).await;
    assert_eq!(home.status(), StatusCode::OK);
    assert_eq!(home.headers()[header::CACHE_CONTROL], "no-store");
    let html = body_text(home).await;
    assert!(
        html.contains("Bonjour Claire Martin") && html.contains("TE-2026-0001"),
        "{html}"
    );

    // The same code, a second time (same 30-second step): refused.
    let again = app
        .post_form(
            "/connexion",
            None,
            &[("email", CLAIRE), ("password", "consilium-demo")],
        )
        .await;
    let pending = cookie_of(&again).unwrap();
    let replay = app
        .post_form("/connexion/code", Some(&pending), &[("code", &code)])
        .await;
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    assert!(body_text(replay).await.contains("déjà servi"));

    let out = app.post_form("/deconnexion", Some(&session), &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&app.get_as("/accueil", Auth::Cookie(&session)).await),
        "/connexion"
    );
    app.finish().await;
}

/// An attacker's hundred wrong passwords from one address slow the
/// attacker down, not the owner: they sign in from another address with
/// their password and code.
async fn a_guesser_is_locked_out_not_the_owner(app: TestApp) {
    let attempt = |password: &'static str, from: &'static str| {
        let app = &app;
        async move {
            let fields = [("email", PIERRE), ("password", password)];
            app.post_form_from("/connexion", None, &fields, Some(from))
                .await
        }
    };
    let mut refused = Vec::new();
    for _ in 0..100 {
        refused.push(
            attempt("mauvais mot de passe", "203.0.113.9")
                .await
                .status(),
        );
    }
    assert!(refused[..5].iter().all(|s| *s == StatusCode::UNAUTHORIZED));
    assert!(
        refused[5..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS)
    );
    let locked = attempt("consilium-demo", "203.0.113.9").await;
    assert_eq!(
        locked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password, from there"
    );
    assert!(body_text(locked).await.contains("trop de tentatives"));

    // The owner, from the hospital: password, then code.
    let pending = attempt("consilium-demo", "198.51.100.7").await;
    assert_eq!(location(&pending), "/connexion/code");
    let cookie = cookie_of(&pending).unwrap();
    let code = app.demo_code(PIERRE).await;
    let signed_in = app
        .post_form_from(
            "/connexion/code",
            Some(&cookie),
            &[("code", &code)],
            Some("198.51.100.7"),
        )
        .await;
    assert_eq!(location(&signed_in), "/accueil");
    let cookies: Vec<_> = signed_in
        .headers()
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("__Host-consilium_device=") && c.contains("HttpOnly")),
        "the browser is now known: {cookies:?}"
    );
    app.clock.advance(SignedDuration::from_mins(16));
    assert_eq!(
        location(&attempt("consilium-demo", "203.0.113.9").await),
        "/connexion/code"
    );
    app.finish().await;
}

async fn requesters_get_404_on_each_others_cases(app: TestApp) {
    let (claire, pierre) = (app.sign_in(CLAIRE).await, app.sign_in(PIERRE).await);
    let (claire_token, pierre_token) = (app.bearer(CLAIRE).await, app.bearer(PIERRE).await);
    let mine = app.case_id("TE-2026-0001").await; // Claire's
    let theirs = app.case_id("TE-2026-0002").await; // Pierre's
    for (own, other, cookie, token) in [
        (mine, theirs, &claire, &claire_token),
        (theirs, mine, &pierre, &pierre_token),
    ] {
        for auth in [Auth::Cookie(cookie), Auth::Bearer(token)] {
            assert_eq!(
                app.get_as(&format!("/dossiers/{own}"), auth).await.status(),
                StatusCode::OK
            );
            assert_eq!(
                app.get_as(&format!("/api/cases/{own}"), auth)
                    .await
                    .status(),
                StatusCode::OK
            );
            let page = app.get_as(&format!("/dossiers/{other}"), auth).await;
            assert_eq!(page.status(), StatusCode::NOT_FOUND);
            assert!(body_text(page).await.contains("Page introuvable"));
            assert_eq!(
                app.get_as(&format!("/api/cases/{other}"), auth)
                    .await
                    .status(),
                StatusCode::NOT_FOUND
            );
            let list = body_text(app.get_as("/api/cases", auth).await).await;
            assert!(list.contains(&own.to_string()) && !list.contains(&other.to_string()));
        }
    }
    let unknown = uuid::Uuid::now_v7();
    let missing = app
        .get_as(
            &format!("/api/cases/{unknown}"),
            Auth::Bearer(&claire_token),
        )
        .await;
    assert_eq!(
        missing.status(),
        StatusCode::NOT_FOUND,
        "a case that does not exist looks the same"
    );
    app.finish().await;
}

async fn regional_admin_gets_404_on_every_case(app: TestApp) {
    let session = app.sign_in(HELENE).await;
    let token = app.bearer(HELENE).await;
    for reference in [
        "TE-2026-0001",
        "TE-2026-0002",
        "TE-2026-0004",
        "TE-2026-0006",
    ] {
        let id = app.case_id(reference).await;
        for auth in [Auth::Cookie(&session), Auth::Bearer(&token)] {
            assert_eq!(
                app.get_as(&format!("/dossiers/{id}"), auth).await.status(),
                StatusCode::NOT_FOUND
            );
            assert_eq!(
                app.get_as(&format!("/api/cases/{id}"), auth).await.status(),
                StatusCode::NOT_FOUND
            );
        }
    }
    assert_eq!(
        body_text(app.get_as("/api/cases", Auth::Bearer(&token)).await).await,
        "[]"
    );
    app.finish().await;
}

async fn password_change_ends_other_sessions_and_tokens(app: TestApp) {
    let (phone, desk) = (app.sign_in(CLAIRE).await, app.sign_in(CLAIRE).await);
    let token = app.bearer(CLAIRE).await;
    assert_eq!(
        app.get_as("/api/me", Auth::Bearer(&token)).await.status(),
        StatusCode::OK
    );
    // Easy to guess: refused, nothing changes.
    for weak in ["aaaaaaaaaaaa", "claire.martin1", "azertyuiop12"] {
        let fields = [
            ("current", "consilium-demo"),
            ("new", weak),
            ("confirm", weak),
        ];
        let refused = app
            .post_form("/compte/mot-de-passe", Some(&desk), &fields)
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        assert!(
            body_text(refused).await.contains("trop facile à deviner"),
            "{weak}"
        );
    }
    assert_eq!(
        app.get_as("/accueil", Auth::Cookie(&phone)).await.status(),
        StatusCode::OK,
        "nothing changed"
    );
    let fields = [
        ("current", "consilium-demo"),
        ("new", "un tout nouveau secret"),
        ("confirm", "un tout nouveau secret"),
    ];
    let changed = app
        .post_form("/compte/mot-de-passe", Some(&desk), &fields)
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert!(body_text(changed).await.contains("Mot de passe changé"));
    assert_eq!(
        app.get_as("/accueil", Auth::Cookie(&desk)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        location(&app.get_as("/accueil", Auth::Cookie(&phone)).await),
        "/connexion"
    );
    assert_eq!(
        app.get_as("/api/me", Auth::Bearer(&token)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.finish().await;
}

async fn admins_act_on_their_organisation_only(app: TestApp) {
    let (celine, claire) = (app.sign_in(CELINE).await, app.sign_in(CLAIRE).await);
    let sophie_session = app.sign_in(SOPHIE).await;
    let users = body_text(
        app.get_as("/admin/utilisateurs", Auth::Cookie(&celine))
            .await,
    )
    .await;
    assert!(
        users.contains(SOPHIE) && !users.contains(CLAIRE),
        "only CHU Dijon's people"
    );
    let sophie = app
        .store
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.person.email.as_str() == SOPHIE)
        .unwrap();
    let path = format!("/admin/utilisateurs/{}/second-facteur", sophie.person.id);
    let refused = app.post_form(&path, Some(&claire), &[]).await;
    assert_eq!(
        refused.status(),
        StatusCode::NOT_FOUND,
        "Saulieu's admin has no power at CHU Dijon"
    );
    assert_eq!(
        app.get_as("/accueil", Auth::Cookie(&sophie_session))
            .await
            .status(),
        StatusCode::OK
    );
    let reset = app.post_form(&path, Some(&celine), &[]).await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(
        location(&app.get_as("/accueil", Auth::Cookie(&sophie_session)).await),
        "/connexion"
    );
    let again = app
        .post_form(
            "/connexion",
            None,
            &[("email", SOPHIE), ("password", "consilium-demo")],
        )
        .await;
    assert_eq!(
        location(&again),
        "/connexion/enrolement",
        "she sets up a new second factor"
    );
    // Not on herself: a stolen token or session must not be enough to
    // replace her second factor (or end her account).
    let celine_id = app.person_id(CELINE).await;
    let token = app.bearer(CELINE).await;
    for action in ["second-facteur", "desactivation"] {
        let own = format!("/admin/utilisateurs/{celine_id}/{action}");
        let by_token = app
            .request(
                axum::http::Request::post(own.as_str())
                    .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(
            by_token.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{action}"
        );
        let by_page = app.post_form(&own, Some(&celine), &[]).await;
        assert_eq!(
            by_page.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{action}"
        );
        assert!(body_text(by_page).await.contains("un autre administrateur"));
    }
    assert_eq!(
        app.get_as("/accueil", Auth::Cookie(&celine)).await.status(),
        StatusCode::OK,
        "still signed in, second factor kept"
    );
    let journal = body_text(app.get_as("/journal", Auth::Cookie(&celine)).await).await;
    assert!(journal.contains("user.second_factor_reset"), "{journal}");
    assert_eq!(
        app.get_as("/journal", Auth::Cookie(&app.sign_in(PIERRE).await))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    app.finish().await;
}

async fn unauthenticated_and_cross_site(app: TestApp) {
    assert_eq!(
        app.get_as("/api/cases", Auth::None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get_as("/api/cases", Auth::Bearer("csl_forged"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        location(&app.get_as("/accueil", Auth::None).await),
        "/connexion"
    );
    let cross_site = axum::http::Request::post("/connexion")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(axum::body::Body::from("email=a%40b.fr&password=x"))
        .unwrap();
    assert_eq!(
        app.request(cross_site).await.status(),
        StatusCode::FORBIDDEN
    );
    app.finish().await;
}

on_both_backends!(
    sign_in_pages,
    a_guesser_is_locked_out_not_the_owner,
    requesters_get_404_on_each_others_cases,
    regional_admin_gets_404_on_every_case,
    password_change_ends_other_sessions_and_tokens,
    admins_act_on_their_organisation_only,
    unauthenticated_and_cross_site,
);
