//! Structural rules that need the whole model: unique operationIds, path templates that match
//! their parameters, no two paths that are the same template, valid ECMA-262 patterns, and
//! security requirements that name declared schemes.

use std::collections::{HashMap, HashSet};

use super::shape::Corrections;
use crate::catalogue::validate::structure as rule;
use crate::model::{
    Contract, Loc, Operation, OperationKind, ParameterLocation, SecurityRequirement, path_template,
};
use crate::report::{Finding, Level};

/// The checks; `corrections` says which fields were written under a wrong name (their
/// consequences are not reported again).
pub fn check(contract: &Contract, corrections: &Corrections) -> Vec<Finding> {
    let mut out = Vec::new();
    duplicate_operation_ids(contract, &mut out);
    equivalent_paths(contract, &mut out);
    let declared = declared_schemes(contract);
    let mut reported = HashSet::new();
    for op in contract.all_operations() {
        if op.kind == OperationKind::Path && !parameters_misnamed(op, corrections) {
            path_parameters(contract, op, &mut reported, &mut out);
        }
        query_string(contract, op, &mut reported, &mut out);
        security_references(
            contract,
            &declared,
            &op.security,
            op.security_overridden.then_some(op),
            &mut out,
        );
    }
    security_references(contract, &declared, &contract.security, None, &mut out);
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

/// OpenAPI 3.2's `in: querystring` parameter is the whole query string: at most one, and no
/// `in: query` parameter beside it (a client could not serialize both). Reported once at the
/// parameter, also when a path item shares it with several operations.
fn query_string(
    contract: &Contract,
    op: &Operation,
    reported: &mut HashSet<(&'static str, Loc)>,
    out: &mut Vec<Finding>,
) {
    let whole: Vec<_> = op.parameters_in(ParameterLocation::QueryString).collect();
    let Some(first) = whole.first() else {
        return;
    };
    let query: Vec<String> = op
        .parameters_in(ParameterLocation::Query)
        .map(|p| format!("`{}`", p.name))
        .collect();
    let mut problems = Vec::new();
    if whole.len() > 1 {
        problems.push(format!(
            "{} `querystring` parameters are declared, and there can be only one",
            whole.len()
        ));
    }
    if !query.is_empty() {
        problems.push(format!(
            "the `query` parameters {} cannot be beside it (describe them inside its schema)",
            query.join(", ")
        ));
    }
    if problems.is_empty() || !reported.insert((rule::INVALID_VALUE.id, first.loc.clone())) {
        return;
    }
    let message = format!(
        "parameter `{}` (`in: querystring`) describes the whole query string: {}",
        first.name,
        problems.join("; ")
    );
    out.push(
        finding(
            contract,
            rule::INVALID_VALUE.id,
            Level::Error,
            &first.loc.child("in"),
            message,
        )
        .with_operation(op.label()),
    );
}

/// A `paramters:` typo in the operation or its path item: the template's variables have no
/// parameters because of it, which is already reported.
fn parameters_misnamed(op: &Operation, corrections: &Corrections) -> bool {
    corrections.misnamed(&op.loc, "parameters") || corrections.misnamed(&path_loc(op), "parameters")
}

/// The template's variables against the path parameters. A parameter whose name is not in the
/// template while a variable has no parameter is one mistake (a rename on one side), reported
/// once at the parameter. A parameter shared by the path item is reported once, not per method.
fn path_parameters(
    contract: &Contract,
    op: &Operation,
    reported: &mut HashSet<(&'static str, Loc)>,
    out: &mut Vec<Finding>,
) {
    let names = path_template::names(&op.path);
    let mut undeclared: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| {
            !op.parameters_in(ParameterLocation::Path)
                .any(|p| p.name == *name)
                && !written_but_unreadable(contract, op, name)
        })
        .collect();
    for param in op.parameters_in(ParameterLocation::Path) {
        if names.contains(&param.name.as_str()) {
            continue;
        }
        let message = if undeclared.is_empty() {
            format!(
                "path parameter `{}` does not appear in the path `{}`",
                param.name, op.path
            )
        } else {
            let variable = undeclared.remove(0);
            format!(
                "path parameter `{}` does not match the path's variable `{{{variable}}}` in `{}`: rename one of them",
                param.name, op.path
            )
        };
        if reported.insert((rule::PATH_PARAMETER_UNUSED.id, param.loc.clone())) {
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
    for name in undeclared {
        let message = format!("path template variable `{{{name}}}` has no path parameter `{name}`");
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

/// A path parameter written in the operation or its path item but too broken to be read (an
/// unknown `in`, a missing schema): its own finding says why.
fn written_but_unreadable(contract: &Contract, op: &Operation, name: &str) -> bool {
    [op.loc.child("parameters"), path_loc(op).child("parameters")]
        .iter()
        .filter_map(|loc| contract.value(loc)?.as_array().map(|a| (loc, a)))
        .any(|(loc, items)| {
            items.iter().any(|item| {
                let item = match item.get("$ref").and_then(serde_json::Value::as_str) {
                    Some(reference) => contract
                        .documents
                        .resolve_ref(loc.file, reference)
                        .map(|r| r.value)
                        .unwrap_or(item),
                    None => item,
                };
                let location = item.get("in").and_then(serde_json::Value::as_str);
                item.get("name").and_then(serde_json::Value::as_str) == Some(name)
                    && !matches!(location, Some("query" | "header" | "cookie"))
            })
        })
}

/// The names under `components/securitySchemes`, including schemes too broken to be read (an
/// unknown `type` is reported once, as such, not again at every requirement that names it).
fn declared_schemes(contract: &Contract) -> HashSet<String> {
    let mut names: HashSet<String> = contract.security_schemes.keys().cloned().collect();
    if let Some(schemes) = contract
        .documents
        .root()
        .root
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
        .and_then(serde_json::Value::as_object)
    {
        names.extend(schemes.keys().cloned());
    }
    names
}

fn security_references(
    contract: &Contract,
    declared: &HashSet<String>,
    requirements: &[SecurityRequirement],
    op: Option<&Operation>,
    out: &mut Vec<Finding>,
) {
    for (i, requirement) in requirements.iter().enumerate() {
        for scheme in requirement.schemes.keys() {
            if declared.contains(scheme) {
                continue;
            }
            let base = op.map_or_else(
                || Loc::new(crate::load::FileId::ROOT, ""),
                |o| o.loc.clone(),
            );
            let loc = base.child("security").child(&i.to_string());
            let hint = super::suggest::did_you_mean(scheme, declared.iter().map(String::as_str));
            let message = format!(
                "security scheme `{scheme}` is not declared in components/securitySchemes{hint}"
            );
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
            && let Some(anchor) = crate::json_schema::non_ecma_anchor(pattern)
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
