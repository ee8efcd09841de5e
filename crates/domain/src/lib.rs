//! Consilium's domain: the identifiers French health care uses, the region's
//! directory (organisations, specialties, teams, people and their roles) and
//! the rules that decide what is valid. No I/O lives here: the store
//! remembers, the web layer translates, this crate decides.

pub mod access;
pub mod auth;
pub mod clock;
pub mod directory;
pub mod expertise;
pub mod identifiers;
pub mod patient;
pub mod questionnaire;
pub mod report;
pub mod stats;
pub mod text;

pub use clock::{Clock, FixedClock, SystemClock};
pub use identifiers::{Email, Finess, IdError, Ins, NamePart, Rpps};
