//! oaskit: a contract-first toolchain for OpenAPI 3.0 and 3.1.
//!
//! The data flow (see DESIGN.md): [`load`] reads documents and resolves `$ref`s, [`model`]
//! normalizes them into one [`model::Contract`], the consumers ([`validate`], ...) turn the contract
//! into [`report::Finding`]s, and [`report`] renders them.

pub mod build_script;
pub mod catalogue;
pub mod check;
pub mod codegen;
pub mod diff;
mod graph;
pub mod json_schema;
pub mod load;
pub mod model;
pub mod probe;
pub mod report;
pub mod rules;
pub mod validate;

pub use build_script::Generate;
pub use load::{LoadError, LoadOptions};
pub use model::Contract;
pub use report::{Finding, Level, Report};
