//! Judging one response against what the operation declares, whatever request it answers.

use serde_json::Value;

use crate::catalogue::{Rule, probe as rule};
use crate::json_schema::{CompiledSchemas, View};
use crate::model::media;
use crate::model::{Contract, InstanceType, Loc, Operation, Response, StatusCode};

/// One way a response breaks the contract, before it is tied to the request that showed it.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub rule: &'static Rule,
    pub loc: Loc,
    /// Groups problems beyond `loc`: the instance path (indices as `*`) and the keyword.
    pub key: String,
    pub message: String,
}

impl Problem {
    fn new(rule: &'static Rule, loc: &Loc, message: String) -> Problem {
        Problem {
            rule,
            loc: loc.clone(),
            key: String::new(),
            message,
        }
    }
}

/// What a response is checked against: its status declared, its Content-Type declared, its
/// headers present and valid, its body valid against the response view of the schema, and the
/// HTTP rules for bodiless statuses.
pub(crate) fn check(
    contract: &Contract,
    op: &Operation,
    method: &str,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    schemas: &CompiledSchemas,
) -> Vec<Problem> {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let mut out = Vec::new();
    if matches!(status, 204 | 304) {
        let length = header("content-length").and_then(|l| l.trim().parse::<u64>().ok());
        let mut carried = Vec::new();
        if !body.is_empty() || length.is_some_and(|l| l > 0) {
            carried.push(format!(
                "a body ({} bytes)",
                length.unwrap_or(body.len() as u64)
            ));
        }
        if let Some(ct) = header("content-type") {
            carried.push(format!("Content-Type `{ct}`"));
        }
        if !carried.is_empty() {
            out.push(Problem::new(
                &rule::PROBE_NO_CONTENT_WITH_BODY,
                &op.loc.child("responses"),
                format!(
                    "status {status} carries {}; it has no content by definition",
                    carried.join(" and ")
                ),
            ));
        }
    }
    let Some(response) = matching_response(op, status) else {
        let declared: Vec<String> = op.responses.iter().map(|r| r.status.to_string()).collect();
        let message = format!(
            "status {status} is not declared (declared: {})",
            declared.join(", ")
        );
        out.push(Problem::new(
            &rule::PROBE_UNDECLARED_STATUS,
            &op.loc.child("responses"),
            message,
        ));
        return out;
    };

    for (name, declared) in &response.headers {
        if name.eq_ignore_ascii_case("content-type") {
            continue;
        }
        let location_due = name.eq_ignore_ascii_case("location")
            && (status == 201 || (300..400).contains(&status));
        match header(name) {
            None if declared.required || location_due => out.push(Problem::new(
                &rule::PROBE_MISSING_HEADER,
                &declared.loc,
                format!("status {status}: the declared header `{name}` is missing"),
            )),
            None => {}
            Some(text) => {
                if let Some(schema) = declared.schema {
                    let value = header_value(contract, schema, text);
                    for (key, problem) in violations(schemas, schema, &value) {
                        out.push(Problem {
                            rule: &rule::PROBE_HEADER_INVALID,
                            loc: declared.loc.clone(),
                            key,
                            message: format!("status {status}: header `{name}`: {problem}"),
                        });
                    }
                }
            }
        }
    }

    if method == "HEAD" || status == 204 || status == 304 {
        return out;
    }
    if response.content.is_empty() {
        if !body.is_empty() {
            let message = format!(
                "status {status} declares no content, but the body has {} bytes",
                body.len()
            );
            out.push(Problem::new(
                &rule::PROBE_UNEXPECTED_BODY,
                &response.loc,
                message,
            ));
        }
        return out;
    }
    let content_type = header("content-type").unwrap_or("").to_string();
    if body.is_empty() && content_type.is_empty() {
        // Declared content may be empty (an empty list is `[]`, but a body-less 200 to a
        // request with nothing to return is the server's call); no Content-Type is due then.
        return out;
    }
    let Some((media_type, media)) = media::covering(&response.content, &content_type) else {
        let declared: Vec<&str> = response.content.keys().map(String::as_str).collect();
        let shown = if content_type.is_empty() {
            "no Content-Type".to_string()
        } else {
            format!("Content-Type `{content_type}`")
        };
        let message = format!(
            "status {status}: {shown} is not declared (declared: {})",
            declared.join(", ")
        );
        out.push(Problem::new(
            &rule::PROBE_UNDECLARED_CONTENT_TYPE,
            &response.loc.child("content"),
            message,
        ));
        return out;
    };
    if !media::is_json(media_type) {
        return out;
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            let message = format!("status {status}: the body is not valid JSON ({e})");
            out.push(Problem::new(&rule::PROBE_INVALID_JSON, &media.loc, message));
            return out;
        }
    };
    if let Some(schema) = media.schema {
        for (key, problem) in violations(schemas, schema, &value) {
            out.push(Problem {
                rule: &rule::PROBE_RESPONSE_INVALID,
                loc: media.loc.child("schema"),
                key,
                message: format!("status {status} {media_type}: {problem}"),
            });
        }
    }
    out
}

/// The declared response for a status: the exact code, else its range, else `default`.
fn matching_response(op: &Operation, status: u16) -> Option<&Response> {
    let by =
        |want: fn(StatusCode, u16) -> bool| op.responses.iter().find(|r| want(r.status, status));
    by(|s, c| s == StatusCode::Code(c))
        .or_else(|| by(|s, c| matches!(s, StatusCode::Range(_)) && s.matches(c)))
        .or_else(|| by(|s, _| s == StatusCode::Default))
}

/// A header's text as the JSON value its schema expects.
fn header_value(contract: &Contract, schema: crate::model::SchemaId, text: &str) -> Value {
    let (target, _) = contract.types.resolve_alias(schema);
    match contract.types.get(target).single_type() {
        Some(InstanceType::Integer | InstanceType::Number) => {
            serde_json::from_str::<serde_json::Number>(text.trim())
                .map_or_else(|_| Value::String(text.to_string()), Value::Number)
        }
        Some(InstanceType::Boolean) => match text.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_string()),
        },
        _ => Value::String(text.to_string()),
    }
}

/// Every way `value` violates the response view of `schema`, as (grouping key, message): the
/// key is the instance path with array indices as `*` and the failing keyword, so one broken
/// field of a list is one finding, not one per element.
pub(crate) fn violations(
    schemas: &CompiledSchemas,
    schema: crate::model::SchemaId,
    value: &Value,
) -> Vec<(String, String)> {
    match schemas.validator(schema, View::Response) {
        Ok(validator) => validator
            .iter_errors(value)
            .map(|e| {
                let path = e.instance_path().as_str().to_string();
                let generic: Vec<&str> = path
                    .split('/')
                    .map(|t| {
                        if t.bytes().all(|b| b.is_ascii_digit()) && !t.is_empty() {
                            "*"
                        } else {
                            t
                        }
                    })
                    .collect();
                let key = format!("{} {}", generic.join("/"), e.schema_path().as_str());
                let message = if path.is_empty() {
                    e.to_string()
                } else {
                    format!("{path}: {e}")
                };
                (key, message)
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}
