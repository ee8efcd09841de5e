//! The one integration-test binary: a file per feature, helpers shared.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic

mod audit_cli;
mod auth_http;
mod cli;
mod helpers;
mod http;
mod requests_http;
mod store_contract;
mod upload_server;
mod uploads;
