//! `validate`: what is wrong with a spec as a contract. Structural checks run on the model (the
//! builder's own findings, operation ids, path templates, patterns, security references);
//! example validation checks every example and default against its schema.

pub mod examples;
pub mod schema_export;
mod structure;

use crate::load::FetchOptions;
use crate::model::Contract;
use crate::report::Finding;

/// Options of `oaskit validate`.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// Assert `format` in examples (date-time, uuid, int32 ranges, byte, ...). Default: on.
    pub format_assertions: bool,
    /// Fetch `externalValue` URLs named by local documents.
    pub allow_remote_refs: bool,
    pub fetch: FetchOptions,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            format_assertions: true,
            allow_remote_refs: false,
            fetch: FetchOptions::default(),
        }
    }
}

/// Every finding for one contract, unsorted (a [`crate::report::Report`] sorts).
pub fn validate(contract: &Contract, options: &ValidateOptions) -> Vec<Finding> {
    let mut findings = contract.findings.clone();
    findings.extend(structure::check(contract));
    let example_options = examples::ExampleOptions {
        format_assertions: options.format_assertions,
        allow_remote_refs: options.allow_remote_refs,
        fetch: options.fetch.clone(),
    };
    findings.extend(examples::check(contract, &example_options).0);
    findings
}
