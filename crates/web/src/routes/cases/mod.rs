//! Cases as pages.

pub mod list;
pub mod show;
