//! Organisation admins: their people, second-factor resets, deactivation.

pub mod users;
