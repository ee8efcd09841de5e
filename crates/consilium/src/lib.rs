//! The Consilium binary's library half: configuration, start-up, the demo
//! region and the operators' commands, so that tests drive exactly what
//! `main` runs.

pub mod audit_key;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod mailer;
pub mod server;
pub mod startup;
pub mod worker;
