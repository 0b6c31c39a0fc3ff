//! Lint rules that read the model: legal documents that almost certainly do not say what their
//! authors meant. A discriminator whose property a branch never declares, header parameters the
//! specification ignores, tags nobody declared (opt-in). Each is its own rule, at warning level.

use std::collections::HashSet;

use crate::load::FileId;
use crate::model::{Contract, InstanceType, Loc, ParameterLocation, SchemaId};
use crate::report::{Finding, Level};

use crate::catalogue::RuleLevels;
use crate::catalogue::validate::lint;

pub fn check(contract: &Contract, levels: &RuleLevels) -> Vec<Finding> {
    let mut out = Vec::new();
    discriminators(contract, &mut out);
    header_parameters(contract, &mut out);
    if levels.level(&lint::TAG_UNDECLARED).is_some() {
        undeclared_tags(contract, &mut out);
    }
    out
}

fn finding(contract: &Contract, rule: &str, loc: &Loc, message: String) -> Finding {
    Finding::new(rule, Level::Warning, message).at(contract.location(loc))
}

/// Every branch a discriminator selects (its `oneOf`/`anyOf` members and `mapping` targets, or,
/// without them, the schema itself) declares the discriminator property.
fn discriminators(contract: &Contract, out: &mut Vec<Finding>) {
    let types = &contract.types;
    for (id, schema) in types.iter() {
        let Some(discriminator) = &schema.rare().discriminator else {
            continue;
        };
        let mut branches: Vec<SchemaId> = schema
            .one_of
            .iter()
            .chain(&schema.any_of)
            .copied()
            .collect();
        for target in discriminator.mapping.values() {
            if !branches.contains(target) {
                branches.push(*target);
            }
        }
        if branches.is_empty() {
            branches.push(id);
        }
        let name = &discriminator.property_name;
        let at = schema.loc.child("discriminator").child("propertyName");
        let mut reported = HashSet::new();
        for branch in branches {
            let (target, _) = types.resolve_alias(branch);
            if types.get(target).unresolved || declares(contract, target, name) {
                continue;
            }
            if !reported.insert(target) {
                continue;
            }
            let not_object = |s: &crate::model::Schema| {
                s.types
                    .as_ref()
                    .is_some_and(|t| !t.is_empty() && !t.contains(&InstanceType::Object))
            };
            let message = if target == id && not_object(types.get(id)) {
                "a discriminator on a schema that is not an object has no property to select by: put it beside the `oneOf`/`anyOf` of the objects it tells apart (for an array, in `items`)".to_string()
            } else if target == id {
                format!("the discriminator property `{name}` is not declared in `properties`")
            } else if not_object(types.get(target)) {
                format!(
                    "the branch {} is not an object, so it cannot carry the discriminator property `{name}`",
                    schema_name(contract, target)
                )
            } else {
                format!(
                    "the discriminator property `{name}` is not declared by the branch {}",
                    schema_name(contract, target)
                )
            };
            out.push(finding(
                contract,
                lint::DISCRIMINATOR_PROPERTY_MISSING.id,
                &at,
                message,
            ));
        }
    }
}

/// Whether a schema declares a property: itself, through an `allOf` member, or in every
/// alternative of its `oneOf`/`anyOf`. A schema that constrains nothing (`{}`, or a keyword
/// oaskit does not follow such as `$recursiveRef`) is given the benefit of the doubt.
fn declares(contract: &Contract, id: SchemaId, property: &str) -> bool {
    declares_within(contract, id, property, &mut HashSet::new())
}

fn declares_within(
    contract: &Contract,
    id: SchemaId,
    property: &str,
    seen: &mut HashSet<SchemaId>,
) -> bool {
    let types = &contract.types;
    let (id, _) = types.resolve_alias(id);
    if !seen.insert(id) || seen.len() > 512 {
        return true; // a cycle or a very deep tree: not this rule's business
    }
    let schema = types.get(id);
    if schema.unresolved || schema.properties.contains_key(property) {
        return true;
    }
    let unions: Vec<SchemaId> = schema
        .one_of
        .iter()
        .chain(&schema.any_of)
        .copied()
        .collect();
    if schema.all_of.is_empty() && unions.is_empty() && schema.properties.is_empty() {
        return schema.types.is_none() && schema.additional_properties.is_none();
    }
    if schema
        .all_of
        .iter()
        .any(|m| declares_within(contract, *m, property, seen))
    {
        return true;
    }
    !unions.is_empty()
        && unions
            .iter()
            .all(|m| declares_within(contract, *m, property, seen))
}

/// `#/components/schemas/Cat`, or `other.yaml#/Cat`.
fn schema_name(contract: &Contract, id: SchemaId) -> String {
    let loc = &contract.types.get(id).loc;
    if loc.file == FileId::ROOT {
        format!("`#{}`", loc.pointer)
    } else {
        format!(
            "`{}#{}`",
            contract.documents.file(loc.file).name,
            loc.pointer
        )
    }
}

/// Header parameters named Accept, Content-Type or Authorization: "If in is "header" and the
/// name field is "Accept", "Content-Type" or "Authorization", the parameter definition SHALL be
/// ignored."
fn header_parameters(contract: &Contract, out: &mut Vec<Finding>) {
    let mut reported = HashSet::new();
    for op in contract.all_operations() {
        for parameter in op.parameters_in(ParameterLocation::Header) {
            let advice = match parameter.name.to_ascii_lowercase().as_str() {
                "accept" => {
                    "the response media types (`content` of each response) say what is accepted"
                }
                "content-type" => "the request body's `content` media types say what is sent",
                "authorization" => {
                    "declare a security scheme (`http` bearer or basic) and a `security` requirement"
                }
                _ => continue,
            };
            if !reported.insert(parameter.loc.clone()) {
                continue;
            }
            let message = format!(
                "header parameter `{}` is ignored by the specification: {advice}",
                parameter.name
            );
            out.push(
                finding(
                    contract,
                    lint::IGNORED_HEADER_PARAMETER.id,
                    &parameter.loc.child("name"),
                    message,
                )
                .with_operation(op.label()),
            );
        }
    }
}

/// Operation tags missing from the top-level `tags` list.
fn undeclared_tags(contract: &Contract, out: &mut Vec<Finding>) {
    let declared: HashSet<&str> = contract.tags.iter().map(|t| t.name.as_str()).collect();
    for op in contract.all_operations() {
        for (i, tag) in op.tags.iter().enumerate() {
            if declared.contains(tag.as_str()) {
                continue;
            }
            let hint = super::suggest::did_you_mean(tag, declared.iter().copied());
            let message = format!("tag `{tag}` is not declared in the top-level `tags`{hint}");
            let loc = op.loc.child("tags").child(&i.to_string());
            out.push(
                finding(contract, lint::TAG_UNDECLARED.id, &loc, message)
                    .with_operation(op.label()),
            );
        }
    }
}
