//! What Consilium remembers, and how: the use cases the web layer and the
//! commands call ([`Store`]), the primitives each database backend provides
//! ([`Backend`], [`Tx`]), the row types and the one error type of this layer.
//!
//! Every use case runs inside one transaction of the backend, so the checks
//! it makes, the rows it writes and (from the audit issue on) the audit
//! record it leaves commit together or not at all.

pub mod audit;
pub mod auth;
mod backend;
pub mod cases;
#[cfg(feature = "contract-tests")]
pub mod contract;
mod directory;
mod error;
pub mod expertise;
pub mod identity;
pub mod jobs;
mod model;
pub mod notifications;
pub mod records;
pub mod requests;
#[cfg(feature = "sql-rows")]
pub mod rows;
pub mod saved_searches;
mod seed;
#[cfg(feature = "sql-rows")]
mod sql_tx;
pub mod stats;
mod store;
pub mod uploads;

pub use backend::{Backend, DirectoryTx, Tx};
pub use error::StoreError;
pub use model::*;
pub use seed::*;
pub use store::{Store, StoreSettings};
