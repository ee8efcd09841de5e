//! FHIR search, independent of HTTP and storage: which parameters each
//! resource type has ([`registry`]), how a query string reads
//! ([`query`]), and whether a resource matches and in which order results
//! come ([`matching`]). The web layer loads what the caller may read,
//! narrowed where the database can, then this decides.

pub mod dates;
pub mod matching;
pub mod query;
pub mod registry;

pub use query::{Filter, Include, Modifier, QueryError, SearchQuery, Value};
pub use registry::{ParamType, RESOURCES, ResourceDef, SearchParam, resource_def};

#[cfg(test)]
mod tests;
