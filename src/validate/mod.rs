//! `validate`: what is wrong with a spec as a contract. The structural part checks the document
//! against its OpenAPI version (`shape`: every object's fields, types, required fields and
//! `$ref` targets), the model as a whole (`structure`: operation ids, path templates, patterns,
//! security references), strict JSON, and lint rules; example validation checks every example
//! and default against its schema. Levels come from [`rules`], which the user may override.

pub mod examples;
mod json_syntax;
mod lints;
mod shape;
mod structure;
pub mod suggest;

use crate::catalogue::validate::examples as example_rules;
use crate::catalogue::{self, RuleLevels};
use std::collections::HashSet;

use crate::model::{Contract, Loc};
use crate::report::{Finding, Level};

/// Options of `oaskit validate`.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// Assert `format` in examples (date-time, uuid, int32 ranges, byte, ...). Default: on.
    pub format_assertions: bool,
    /// Rule levels set by the user (`--rule`, `[rules]`); opt-in rules report only when set.
    pub rules: RuleLevels,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            format_assertions: true,
            rules: RuleLevels::default(),
        }
    }
}

/// Every finding for one contract, unsorted (a [`crate::report::Report`] sorts).
pub fn validate(contract: &Contract, options: &ValidateOptions) -> Vec<Finding> {
    let (mut findings, unsatisfiable) = structural_and_unsatisfiable(contract, &options.rules);
    let example_options = examples::ExampleOptions {
        format_assertions: options.format_assertions,
        unsatisfiable,
    };
    findings.extend(
        options
            .rules
            .apply(examples::check(contract, &example_options).0),
    );
    findings
}

/// The findings about the document itself, without examples: what a generator must not build
/// on when any of them is an error. Levels as configured.
pub fn structural(contract: &Contract, levels: &RuleLevels) -> Vec<Finding> {
    structural_and_unsatisfiable(contract, levels).0
}

/// The structural findings, and the schemas whose bounds exclude every value (which example
/// validation must not blame on each example).
fn structural_and_unsatisfiable(
    contract: &Contract,
    levels: &RuleLevels,
) -> (Vec<Finding>, HashSet<Loc>) {
    let mut findings = contract.findings.clone();
    findings.extend(json_syntax::check(&contract.documents));
    let shape = shape::check(contract);
    findings.extend(shape.findings);
    findings.extend(structure::check(contract, &shape.corrections));
    findings.extend(lints::check(contract, levels));
    (levels.apply(findings), shape.unsatisfiable)
}

/// Whether a finding (after levels) stops the generators: an error about the document itself,
/// not about an example (an invalid example does not change the generated code).
pub fn blocks_generation(finding: &Finding) -> bool {
    finding.level == Level::Error
        && catalogue::lookup(&finding.rule)
            .is_none_or(|r| r.family.name != example_rules::FAMILY.name)
}
