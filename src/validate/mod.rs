//! `validate`: what is wrong with a spec as a contract. Structural checks run on the model (the
//! builder's own findings, operation ids, path templates, patterns, security references);
//! example validation extends this module.

mod structure;

use crate::model::Contract;
use crate::report::Finding;

/// Options of `oaskit validate`.
#[derive(Debug, Clone, Default)]
pub struct ValidateOptions {}

/// Every finding for one contract, unsorted (a [`crate::report::Report`] sorts).
pub fn validate(contract: &Contract, _options: &ValidateOptions) -> Vec<Finding> {
    let mut findings = contract.findings.clone();
    findings.extend(structure::check(contract));
    findings
}
