//! Cases as pages.

pub mod files;
pub mod list;
pub mod show;
