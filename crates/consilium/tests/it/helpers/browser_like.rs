//! Driving the pages in-process the way a browser would: forms, cookies,
//! redirects; and the demo accounts' codes.

use axum::{
    body::Body,
    http::{Request, header},
    response::Response,
};
use consilium::demo::DEMO_DOMAIN;
use consilium_domain::{Clock as _, Email};
use jiff::SignedDuration;
use uuid::Uuid;

use super::TestApp;

/// The `name=value` of the cookie a response sets, if any.
pub fn cookie_of(response: &Response) -> Option<String> {
    let set = response.headers().get(header::SET_COOKIE)?.to_str().ok()?;
    set.split(';').next().map(str::to_owned)
}

/// The `Location` a response redirects to.
pub fn location(response: &Response) -> String {
    response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned()
}

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    None,
    Cookie(&'a str),
    Bearer(&'a str),
}

impl TestApp {
    /// `GET path` as `auth`.
    pub async fn get_as(&self, path: &str, auth: Auth<'_>) -> Response {
        let request = Request::get(path);
        let request = match auth {
            Auth::None => request,
            Auth::Cookie(cookie) => request.header(header::COOKIE, cookie),
            Auth::Bearer(token) => request.header(header::AUTHORIZATION, format!("Bearer {token}")),
        };
        self.request(request.body(Body::empty()).unwrap()).await
    }

    /// `POST path` with a URL-encoded form, as a same-origin browser would.
    pub async fn post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Response {
        self.post_form_from(path, cookie, fields, None).await
    }

    /// The same, from the client address `from` (as the server sees it).
    pub async fn post_form_from(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
        from: Option<&str>,
    ) -> Response {
        let body: String = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(from) = from {
            let addr: std::net::SocketAddr = format!("{from}:40000").parse().unwrap();
            request = request.extension(axum::extract::ConnectInfo(addr));
        }
        self.request(request.body(Body::from(body)).unwrap()).await
    }

    /// The current code of a demo account.
    pub async fn demo_code(&self, email: &str) -> String {
        let secret = self
            .store
            .demo_totp_secret(&Email::parse(email).unwrap(), DEMO_DOMAIN)
            .await
            .unwrap()
            .unwrap();
        secret.code_at(self.clock.now()).unwrap()
    }

    /// Moves time on by one TOTP step, so the next sign-in gets a fresh code.
    pub fn next_step(&self) {
        self.clock.advance(SignedDuration::from_secs(30));
    }

    /// Signs a demo account in through the pages; returns its session cookie.
    pub async fn sign_in(&self, email: &str) -> String {
        let response = self
            .post_form(
                "/connexion",
                None,
                &[
                    ("email", email),
                    ("password", consilium::demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(location(&response), "/connexion/code", "{email}");
        let pending = cookie_of(&response).unwrap();
        let code = self.demo_code(email).await;
        let response = self
            .post_form("/connexion/code", Some(&pending), &[("code", &code)])
            .await;
        // Each lands where their work is: requests, queue or dashboards.
        assert!(
            ["/accueil", "/file-attente", "/stats"].contains(&location(&response).as_str()),
            "{email} landed on {}",
            location(&response)
        );
        let cookie = cookie_of(&response).unwrap();
        self.next_step();
        cookie
    }

    /// A one-hour API token acting as `email`.
    pub async fn bearer(&self, email: &str) -> String {
        let email = Email::parse(email).unwrap();
        let (secret, _) = self
            .store
            .create_token(
                &email,
                SignedDuration::from_hours(1),
                "test",
                self.clock.now(),
            )
            .await
            .unwrap();
        secret.expose().to_owned()
    }

    /// The reference of a case by its id.
    pub async fn reference_of(&self, case_id: &str) -> String {
        let cases = self.store.all_cases_unaudited().await.unwrap();
        cases
            .into_iter()
            .find(|c| c.id.to_string() == case_id)
            .unwrap()
            .reference
    }

    /// The id of a demo case.
    pub async fn case_id(&self, reference: &str) -> Uuid {
        let cases = self.store.all_cases_unaudited().await.unwrap();
        cases
            .into_iter()
            .find(|c| c.reference == reference)
            .unwrap()
            .id
    }
}

fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
