//! The HTTP surface, in-process: probes, the home page, headers, errors.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};

use crate::helpers::{TestApp, body_text};

#[tokio::test]
async fn probes_answer() {
    let app = TestApp::with_demo().await;
    let live = app.get("/healthz").await;
    assert_eq!(live.status(), StatusCode::OK);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    assert!(body_text(ready).await.contains("\"database\":\"sqlite\""));
    // Per-route counts are for the operators: not public.
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);
    let with = |token: &str| {
        Request::get("/metrics")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        app.request(with("wrong-token")).await.status(),
        StatusCode::NOT_FOUND
    );
    let metrics = app.request(with(crate::helpers::METRICS_TOKEN)).await;
    assert_eq!(metrics.status(), StatusCode::OK);
    assert!(
        metrics.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
}

#[tokio::test]
async fn home_page_is_french_and_shows_the_region() {
    let app = TestApp::with_demo().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = body_text(response).await;
    assert!(html.contains(r#"<html lang="fr">"#), "{html}");
    assert!(html.contains("télé-expertise"));
    assert!(html.contains(r#"href="/connexion">Se connecter</a>"#));
    assert!(
        html.contains(r#"<span class="number">5</span> centres de ressources"#),
        "{html}"
    );
    assert!(html.contains(r#"<span class="number">10</span> sites requérants"#));
    assert!(html.contains("Dermatologie"));
    assert!(!html.contains("<script>"), "no inline script");
}

#[tokio::test]
async fn english_on_request() {
    let app = TestApp::with_demo().await;
    let chosen = app.get("/?lang=en").await;
    // The choice is remembered: the next page, with the cookie, stays English.
    let cookie = chosen.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("lang=en;") && cookie.contains("Max-Age="),
        "{cookie}"
    );
    let html = body_text(chosen).await;
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains("Sign in"));
    let next = Request::get("/connexion")
        .header(header::COOKIE, cookie.split(';').next().unwrap())
        .header(header::ACCEPT_LANGUAGE, "fr-FR")
        .body(Body::empty())
        .unwrap();
    let html = body_text(app.request(next).await).await;
    assert!(
        html.contains(r#"<html lang="en">"#),
        "the next link stays English"
    );
    let request = Request::get("/")
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.8")
        .body(Body::empty())
        .unwrap();
    let html = body_text(app.request(request).await).await;
    assert!(html.contains(r#"<html lang="en">"#));
    let request = Request::get("/")
        .header(header::ACCEPT_LANGUAGE, "de-DE")
        .body(Body::empty())
        .unwrap();
    let html = body_text(app.request(request).await).await;
    assert!(
        html.contains(r#"<html lang="fr">"#),
        "French is the fallback"
    );
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = TestApp::with_demo().await;
    for path in ["/", "/healthz", "/nowhere"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        // The test app's public URL is https: HSTS is sent.
        assert!(
            headers[header::STRICT_TRANSPORT_SECURITY]
                .to_str()
                .unwrap()
                .contains("max-age=")
        );
        assert_eq!(headers[header::CACHE_CONTROL], "no-store", "{path}");
        assert!(headers.contains_key("x-request-id"), "{path}");
    }
    let css = app.get("/static/app.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(
        css.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
}

#[tokio::test]
async fn a_given_request_id_is_kept() {
    let app = TestApp::with_demo().await;
    let request = Request::get("/healthz")
        .header("x-request-id", "abc-123")
        .body(Body::empty())
        .unwrap();
    let response = app.request(request).await;
    assert_eq!(response.headers()["x-request-id"], "abc-123");
}

#[tokio::test]
async fn unknown_pages_are_a_french_404() {
    let app = TestApp::with_demo().await;
    let response = app.get("/connexion-inexistante").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = body_text(response).await;
    assert!(html.contains("Page introuvable"));
    assert!(html.contains(r#"href="/""#));
}
