//! Structural rules that need the whole model: unique operationIds, path templates that match
//! their parameters, no two paths that are the same template, valid ECMA-262 patterns, and
//! security requirements that name declared schemes.

use crate::catalogue::validate::structure as rule;
use std::collections::{HashMap, HashSet};

use crate::model::{
    Contract, Loc, Operation, OperationKind, ParameterLocation, SecurityRequirement, path_template,
};
use crate::report::{Finding, Level};

pub fn check(contract: &Contract) -> Vec<Finding> {
    let mut out = Vec::new();
    duplicate_operation_ids(contract, &mut out);
    equivalent_paths(contract, &mut out);
    for op in contract.all_operations() {
        if op.kind == OperationKind::Path {
            path_parameters(contract, op, &mut out);
        }
        security_references(
            contract,
            &op.security,
            op.security_overridden.then_some(op),
            &mut out,
        );
    }
    security_references(contract, &contract.security, None, &mut out);
    patterns(contract, &mut out);
    out
}

fn finding(contract: &Contract, rule: &str, level: Level, loc: &Loc, message: String) -> Finding {
    Finding::new(rule, level, message).at(contract.location(loc))
}

fn duplicate_operation_ids(contract: &Contract, out: &mut Vec<Finding>) {
    let mut first: HashMap<&str, &Operation> = HashMap::new();
    for op in contract.all_operations() {
        let Some(id) = op.operation_id.as_deref() else {
            continue;
        };
        match first.get(id) {
            Some(earlier) => {
                let message = format!("operationId `{id}` is also used by {}", earlier.label());
                out.push(
                    finding(
                        contract,
                        rule::DUPLICATE_OPERATION_ID.id,
                        Level::Error,
                        &op.loc.child("operationId"),
                        message,
                    )
                    .with_operation(op.label()),
                );
            }
            None => {
                first.insert(id, op);
            }
        }
    }
}

fn equivalent_paths(contract: &Contract, out: &mut Vec<Finding>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut reported = HashSet::new();
    for op in &contract.operations {
        let shape = path_template::shape(&op.path);
        match seen.get(&shape) {
            Some(first) if *first != op.path => {
                if reported.insert(op.path.clone()) {
                    let message = format!("path `{}` is the same template as `{first}`", op.path);
                    out.push(finding(
                        contract,
                        rule::DUPLICATE_PATH.id,
                        Level::Error,
                        &path_loc(op),
                        message,
                    ));
                }
            }
            Some(_) => {}
            None => {
                seen.insert(shape, &op.path);
            }
        }
    }
}

/// The Path Item of an operation: its location minus the method token.
fn path_loc(op: &Operation) -> Loc {
    let pointer = op
        .loc
        .pointer
        .rsplit_once('/')
        .map_or(String::new(), |(p, _)| p.to_string());
    Loc::new(op.loc.file, pointer)
}

fn path_parameters(contract: &Contract, op: &Operation, out: &mut Vec<Finding>) {
    let names = path_template::names(&op.path);
    for name in &names {
        let declared = op
            .parameters_in(ParameterLocation::Path)
            .any(|p| p.name == *name);
        if !declared {
            let message =
                format!("path template variable `{{{name}}}` has no path parameter `{name}`");
            out.push(
                finding(
                    contract,
                    rule::PATH_PARAMETER_UNDECLARED.id,
                    Level::Error,
                    &op.loc,
                    message,
                )
                .with_operation(op.label()),
            );
        }
    }
    for param in op.parameters_in(ParameterLocation::Path) {
        if !names.contains(&param.name.as_str()) {
            let message = format!(
                "path parameter `{}` does not appear in the path `{}`",
                param.name, op.path
            );
            out.push(
                finding(
                    contract,
                    rule::PATH_PARAMETER_UNUSED.id,
                    Level::Error,
                    &param.loc,
                    message,
                )
                .with_operation(op.label()),
            );
        }
    }
}

fn security_references(
    contract: &Contract,
    requirements: &[SecurityRequirement],
    op: Option<&Operation>,
    out: &mut Vec<Finding>,
) {
    for (i, requirement) in requirements.iter().enumerate() {
        for scheme in requirement.schemes.keys() {
            if contract.security_schemes.contains_key(scheme) {
                continue;
            }
            let base = op.map_or_else(
                || Loc::new(crate::load::FileId::ROOT, ""),
                |o| o.loc.clone(),
            );
            let loc = base.child("security").child(&i.to_string());
            let message =
                format!("security scheme `{scheme}` is not declared in components/securitySchemes");
            let mut f = finding(
                contract,
                rule::SECURITY_SCHEME_UNDEFINED.id,
                Level::Error,
                &loc,
                message,
            );
            if let Some(op) = op {
                f = f.with_operation(op.label());
            }
            out.push(f);
        }
    }
}

fn patterns(contract: &Contract, out: &mut Vec<Finding>) {
    for (_, schema) in contract.types.iter() {
        if let Some(pattern) = &schema.pattern
            && let Err(e) = regress::Regex::new(pattern)
        {
            let message = format!("`{pattern}` is not a valid ECMA-262 regular expression: {e}");
            out.push(finding(
                contract,
                rule::INVALID_PATTERN.id,
                Level::Error,
                &schema.loc.child("pattern"),
                message,
            ));
        } else if let Some(pattern) = &schema.pattern
            && let Some(anchor) = super::schema_export::non_ecma_anchor(pattern)
        {
            // Examples are not checked against such a pattern: this one finding stands for them.
            let message = format!(
                "`{pattern}`: `{anchor}` is a PCRE/Ruby anchor; in ECMA-262 it matches a letter: use `^` and `$`"
            );
            out.push(finding(
                contract,
                rule::INVALID_PATTERN.id,
                Level::Warning,
                &schema.loc.child("pattern"),
                message,
            ));
        }
        for pattern in schema.rare().pattern_properties.keys() {
            if let Err(e) = regress::Regex::new(pattern) {
                let message =
                    format!("`{pattern}` is not a valid ECMA-262 regular expression: {e}");
                let loc = schema.loc.child("patternProperties").child(pattern);
                out.push(finding(
                    contract,
                    rule::INVALID_PATTERN.id,
                    Level::Error,
                    &loc,
                    message,
                ));
            }
        }
    }
}
