//! The signed-in person's own account.

pub mod notifications;
pub mod password;
