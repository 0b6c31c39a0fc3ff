//! The fixed set of requests per operation beyond the baseline, chosen from the schema: optional
//! parameters left out; each bound at and past its end; the shortest and longest strings; other
//! enum values and one outside; a required parameter or body field missing; a wrong type; a
//! malformed JSON body; an id that names no resource. Each says what the spec promises for it
//! (a 2xx, a 4xx), and each claim is confirmed by the request view's validator.

use serde_json::Value;

use super::request::{Assignment, Payload, json_body_media};
use super::values::{Candidate, candidates, kind_of, synthesize};
use crate::json_schema::{CompiledSchemas, View};
use crate::model::{
    Contract, Direction, InstanceType, Loc, Operation, ParameterLocation, ParameterStyle, SchemaId,
};

/// What the spec promises for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// Valid by the spec: never a 5xx, never a 400/422.
    Valid,
    /// Invalid by the spec: a 4xx.
    Invalid,
    /// Valid, but naming a resource that does not exist: a 4xx.
    Absent,
    /// Without credentials, or with wrong ones, to a secured operation: a 401 or 403.
    Refused,
}

/// One request of an operation and what it tests.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    pub assignment: Assignment,
    pub expect: Expect,
    /// What differs from the baseline, for reports: `limit=51 (above the maximum)`.
    pub label: String,
    /// The parameter or schema the variant exercises; findings are grouped by it.
    pub subject: Loc,
}

/// Most boundary variants per operation: a wide schema must not eat the request budget.
const MAX_PER_OPERATION: usize = 48;

/// The request-view schemas variants are checked against: every parameter's and JSON body's.
pub(crate) fn request_roots(contract: &Contract) -> Vec<(SchemaId, View)> {
    contract
        .operations
        .iter()
        .flat_map(|op| {
            op.parameters
                .iter()
                .filter_map(|p| p.schema)
                .chain(json_body_media(op).and_then(|(_, m)| m.schema))
        })
        .map(|id| (id, View::Request))
        .collect()
}

/// Whether `value` is valid against the request view of `schema`; `None` when the schema could
/// not be compiled (then no variant is built from it).
fn is_valid(schemas: &CompiledSchemas, schema: SchemaId, value: &Value) -> Option<bool> {
    schemas
        .validator(schema, View::Request)
        .ok()
        .map(|v| v.is_valid(value))
}

fn show(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > 24 {
        let head: String = text.chars().take(12).collect();
        format!("{head}… ({} chars)", text.chars().count())
    } else {
        text
    }
}

/// The variants of `op` around `baseline`.
pub(crate) fn variants(
    contract: &Contract,
    op: &Operation,
    baseline: &Assignment,
    schemas: &CompiledSchemas,
    filler: char,
) -> Vec<Variant> {
    let mut out = Vec::new();
    // Optional parameters left out, when the baseline sends some.
    let optional_sent = op
        .parameters
        .iter()
        .zip(&baseline.params)
        .any(|(p, v)| !p.required && v.is_some());
    if optional_sent {
        let mut assignment = baseline.clone();
        for (p, v) in op.parameters.iter().zip(assignment.params.iter_mut()) {
            if !p.required {
                *v = None;
            }
        }
        out.push(Variant {
            assignment,
            expect: Expect::Valid,
            label: "optional parameters left out".to_string(),
            subject: op.loc.child("parameters"),
        });
    }
    for (index, param) in op.parameters.iter().enumerate() {
        let Some(schema) = param.schema else { continue };
        let current = baseline.params.get(index).cloned().flatten();
        let with = |value: Option<Value>| {
            let mut assignment = baseline.clone();
            assignment.params[index] = value;
            assignment
        };
        if param.location == ParameterLocation::Path {
            out.extend(absent_resource(
                contract, schemas, param, schema, index, baseline,
            ));
            continue;
        }
        if param.required {
            out.push(Variant {
                assignment: with(None),
                expect: Expect::Invalid,
                label: format!(
                    "without the required {} parameter `{}`",
                    param.location.as_str(),
                    param.name
                ),
                subject: param.loc.clone(),
            });
        }
        for Candidate {
            value,
            label,
            valid,
        } in candidates(contract, schema, current.as_ref(), filler)
        {
            if is_valid(schemas, schema, &value) != Some(valid)
                || !fits_location(param.location, &value)
                || (!valid && !style_tells_apart(contract, param, schema, &value))
            {
                continue;
            }
            out.push(Variant {
                label: format!("{}={} ({label})", param.name, show(&value)),
                assignment: with(Some(value)),
                expect: if valid {
                    Expect::Valid
                } else {
                    Expect::Invalid
                },
                subject: param.loc.clone(),
            });
        }
    }
    out.extend(body_variants(contract, op, baseline, schemas, filler));
    out.truncate(MAX_PER_OPERATION);
    out
}

/// Header and cookie values are single-line text; anything else cannot be sent as one.
fn fits_location(location: ParameterLocation, value: &Value) -> bool {
    match location {
        ParameterLocation::Header | ParameterLocation::Cookie => {
            !matches!(value, Value::Object(_) | Value::Array(_))
        }
        _ => true,
    }
}

/// Whether a wrong-typed text, written in the parameter's style, still reads as a wrong type.
/// It does not for an array (a lone `x` is the one-item array `["x"]` in every style) nor for an
/// object exploded into its own fields (form with explode, deepObject): `obj=x` names none of
/// them, so the object is simply absent. A server that accepts those is right.
fn style_tells_apart(
    contract: &Contract,
    param: &crate::model::Parameter,
    schema: SchemaId,
    value: &Value,
) -> bool {
    if param.content.is_some() || !value.is_string() {
        return true;
    }
    match kind_of(contract, schema) {
        InstanceType::Array => false,
        InstanceType::Object => !matches!(
            (param.style, param.explode),
            (ParameterStyle::Form, true) | (ParameterStyle::DeepObject, _)
        ),
        _ => true,
    }
}

/// A path parameter that names nothing (a 4xx is due), and one of the wrong type.
fn absent_resource(
    contract: &Contract,
    schemas: &CompiledSchemas,
    param: &crate::model::Parameter,
    schema: SchemaId,
    index: usize,
    baseline: &Assignment,
) -> Vec<Variant> {
    let (target, _) = contract.types.resolve_alias(schema);
    let s = contract.types.get(target);
    let mut out = Vec::new();
    let absent = match (kind_of(contract, target), s.format.as_deref()) {
        _ if s.enum_values.is_some() => None,
        (InstanceType::Integer | InstanceType::Number, _) => Some(Value::from(987_654_321)),
        (InstanceType::String, Some("uuid")) => {
            Some(Value::from("ffffffff-ffff-4fff-bfff-ffffffffffff"))
        }
        (InstanceType::String, None) if s.pattern.is_none() => Some(Value::from("oaskit-absent")),
        _ => None,
    };
    if let Some(value) = absent
        && is_valid(schemas, schema, &value) == Some(true)
    {
        let mut assignment = baseline.clone();
        assignment.params[index] = Some(value.clone());
        out.push(Variant {
            assignment,
            expect: Expect::Absent,
            label: format!("{}={} (names no resource)", param.name, show(&value)),
            subject: param.loc.clone(),
        });
    }
    if matches!(
        kind_of(contract, target),
        InstanceType::Integer | InstanceType::Number
    ) {
        let value = Value::from("oaskit");
        if is_valid(schemas, schema, &value) == Some(false) {
            let mut assignment = baseline.clone();
            assignment.params[index] = Some(value);
            out.push(Variant {
                assignment,
                expect: Expect::Invalid,
                label: format!("{}=oaskit (not a number)", param.name),
                subject: param.loc.clone(),
            });
        }
    }
    out
}

/// Body variants: every optional field, each required one missing, each field at its bounds
/// and of a wrong type, and bytes that are not JSON.
fn body_variants(
    contract: &Contract,
    op: &Operation,
    baseline: &Assignment,
    schemas: &CompiledSchemas,
    filler: char,
) -> Vec<Variant> {
    let mut out = Vec::new();
    let Payload::Json { media_type, value } = &baseline.body else {
        return out;
    };
    let Some((_, media)) = json_body_media(op) else {
        return out;
    };
    let Some(schema) = media.schema else {
        return out;
    };
    let subject = media.loc.child("schema");
    let with_body = |value: Value| {
        let mut assignment = baseline.clone();
        assignment.body = Payload::Json {
            media_type: media_type.clone(),
            value,
        };
        assignment
    };
    let push = |out: &mut Vec<Variant>, body: Value, valid: bool, label: String, subject: Loc| {
        if is_valid(schemas, schema, &body) == Some(valid) {
            out.push(Variant {
                assignment: with_body(body),
                expect: if valid {
                    Expect::Valid
                } else {
                    Expect::Invalid
                },
                label,
                subject,
            });
        }
    };
    let types = &contract.types;
    let (target, _) = types.resolve_alias(schema);
    if let Value::Object(fields) = value {
        // Every optional field, made up where the baseline has none.
        let full = synthesize(contract, schema, true, 0);
        if let Value::Object(all) = &full {
            let mut merged = fields.clone();
            let before = merged.len();
            for (k, v) in all {
                merged.entry(k.clone()).or_insert_with(|| v.clone());
            }
            if merged.len() > before {
                push(
                    &mut out,
                    Value::Object(merged),
                    true,
                    "every optional body field".to_string(),
                    subject.clone(),
                );
            }
        }
        for (name, prop) in types.properties_in(target, Direction::Request) {
            let prop_subject = types.get(prop).loc.clone();
            if types.required_in(target, name, Direction::Request) && fields.contains_key(name) {
                let mut without = fields.clone();
                without.remove(name);
                push(
                    &mut out,
                    Value::Object(without),
                    false,
                    format!("body without the required `{name}`"),
                    prop_subject.clone(),
                );
            }
            for Candidate {
                value: v,
                label,
                valid,
            } in candidates(contract, prop, fields.get(name), filler)
            {
                let mut changed = fields.clone();
                changed.insert(name.clone(), v.clone());
                push(
                    &mut out,
                    Value::Object(changed),
                    valid,
                    format!("body `{name}`: {} ({label})", show(&v)),
                    prop_subject.clone(),
                );
            }
        }
    }
    let mut assignment = baseline.clone();
    assignment.body = Payload::Raw {
        media_type: media_type.clone(),
        bytes: b"{\"oaskit\": ".to_vec(),
    };
    out.push(Variant {
        assignment,
        expect: Expect::Invalid,
        label: "a body that is not JSON".to_string(),
        subject,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoadOptions;

    /// A lone text is a valid one-item array, and `obj=x` is an absent exploded object: a
    /// server that accepts them is right (the conformance server did, and was reported).
    #[test]
    fn wrong_types_the_style_cannot_tell_apart_are_not_sent() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /q:
    get:
      parameters:
        - {name: arr, in: query, schema: {type: array, items: {type: string}}}
        - {name: obj, in: query, schema: {type: object, properties: {R: {type: integer}}}}
        - {name: deep, in: query, style: deepObject, schema: {type: object, properties: {R: {type: integer}}}}
        - {name: flat, in: query, explode: false, schema: {type: object, properties: {R: {type: integer}}}}
        - {name: n, in: query, schema: {type: integer}}
        - {name: json, in: query, content: {application/json: {schema: {type: array, items: {type: string}}}}}
      responses: {'200': {description: ok}}
"#;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.yaml");
        std::fs::write(&path, spec).expect("write");
        let c = Contract::load(&path.to_string_lossy(), &LoadOptions::default()).expect("load");
        let op = &c.operations[0];
        let text = Value::from("oaskit");
        let told: Vec<(&str, bool)> = op
            .parameters
            .iter()
            .map(|p| {
                let schema = p.schema.expect("a schema");
                (p.name.as_str(), style_tells_apart(&c, p, schema, &text))
            })
            .collect();
        assert_eq!(
            told,
            [
                ("arr", false),
                ("obj", false),
                ("deep", false),
                ("flat", true),
                ("n", true),
                ("json", true)
            ]
        );
    }
}
