//! The session cookie: `HttpOnly`, `SameSite=Lax`, `Secure` (and the
//! `__Host-` prefix) when Consilium is reached over TLS. No `Max-Age`: the
//! server enforces idle and absolute lifetimes.

use axum::http::{HeaderMap, HeaderValue, header};
use consilium_domain::auth::OpaqueToken;

use crate::WebConfig;

fn name(config: &WebConfig) -> &'static str {
    if config.behind_tls() {
        "__Host-consilium_session"
    } else {
        "consilium_session"
    }
}

/// The session token the request carries, if any.
pub fn session_token(headers: &HeaderMap, config: &WebConfig) -> Option<OpaqueToken> {
    let wanted = name(config);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == wanted)
        .map(|(_, v)| OpaqueToken::from_client(v))
}

/// `Set-Cookie` for a new session.
pub fn session_cookie(config: &WebConfig, token: &OpaqueToken) -> HeaderValue {
    let secure = if config.behind_tls() { "; Secure" } else { "" };
    let value = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax{secure}",
        name(config),
        token.expose()
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_session_cookie(config: &WebConfig) -> HeaderValue {
    let secure = if config.behind_tls() { "; Secure" } else { "" };
    let value = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        name(config)
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}
