//! The session cookie: `HttpOnly`, `SameSite=Lax`, `Secure` (and the
//! `__Host-` prefix) when Consilium is reached over TLS. No `Max-Age`: the
//! server enforces idle and absolute lifetimes. And the known-device cookie,
//! set once a browser completes a sign-in: it proves nothing by itself, but
//! lets its owner past the locks others' failures put on the account.

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

fn device_name(config: &WebConfig) -> &'static str {
    if config.behind_tls() {
        "__Host-consilium_device"
    } else {
        "consilium_device"
    }
}

/// How long a browser stays known without signing in again: 180 days.
const DEVICE_MAX_AGE_SECS: u32 = 180 * 24 * 3600;

/// The session token the request carries, if any.
pub fn session_token(headers: &HeaderMap, config: &WebConfig) -> Option<OpaqueToken> {
    cookie(headers, name(config))
}

/// The known-device token the request carries, if any.
pub fn device_token(headers: &HeaderMap, config: &WebConfig) -> Option<OpaqueToken> {
    cookie(headers, device_name(config))
}

/// `Set-Cookie` for the browser's known-device token.
pub fn device_cookie(config: &WebConfig, token: &OpaqueToken) -> HeaderValue {
    let secure = if config.behind_tls() { "; Secure" } else { "" };
    let value = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={DEVICE_MAX_AGE_SECS}{secure}",
        device_name(config),
        token.expose()
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn cookie(headers: &HeaderMap, wanted: &str) -> Option<OpaqueToken> {
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
