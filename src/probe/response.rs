//! Judging one response against what the operation declares.

use crate::catalogue::probe as rule;
use serde_json::Value;

use super::{FailureKind, Outcome, PlannedRequest};
use crate::model::media;
use crate::model::{Contract, InstanceType, Operation, Response, StatusCode};
use crate::report::{Finding, Level};
use crate::validate::schema_export::{CompiledSchemas, View};

pub(crate) fn check(
    contract: &Contract,
    op: &Operation,
    plan: &PlannedRequest,
    outcome: &Outcome,
    schemas: &CompiledSchemas,
) -> Vec<Finding> {
    let finding = |rule: &str, level: Level, message: String, loc: &crate::model::Loc| {
        Finding::new(rule, level, message)
            .with_operation(op.label())
            .at(contract.location(loc))
            .with_help(format!("reproduce: {}", plan.curl))
    };
    let (status, headers, body) = match outcome {
        Outcome::Failed { kind, detail } => {
            let (rule, what) = match kind {
                FailureKind::Timeout => (rule::PROBE_TIMEOUT.id, "no response before the timeout"),
                FailureKind::Connection => {
                    (rule::PROBE_CONNECTION_ERROR.id, "the connection failed")
                }
                FailureKind::Redirects => (rule::PROBE_REDIRECT_LOOP.id, "too many redirects"),
                FailureKind::Other => (rule::PROBE_REQUEST_FAILED.id, "the request failed"),
            };
            return vec![finding(
                rule,
                Level::Error,
                format!("{what}: {detail}"),
                &op.loc,
            )];
        }
        Outcome::TooLarge { status, limit } => {
            let message = format!(
                "status {status}: the body is larger than the {limit}-byte cap; not validated"
            );
            return vec![finding(
                rule::PROBE_BODY_TOO_LARGE.id,
                Level::Warning,
                message,
                &op.loc,
            )];
        }
        Outcome::Response {
            status,
            headers,
            body,
        } => (*status, headers, body),
    };
    let Some(response) = matching_response(op, status) else {
        let declared: Vec<String> = op.responses.iter().map(|r| r.status.to_string()).collect();
        let message = format!(
            "status {status} is not declared (declared: {})",
            declared.join(", ")
        );
        return vec![finding(
            rule::PROBE_UNDECLARED_STATUS.id,
            Level::Error,
            message,
            &op.loc.child("responses"),
        )];
    };
    let mut out = Vec::new();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };

    for (name, declared) in &response.headers {
        if name.eq_ignore_ascii_case("content-type") {
            continue;
        }
        match header(name) {
            None if declared.required => out.push(finding(
                rule::PROBE_MISSING_HEADER.id,
                Level::Error,
                format!("status {status}: the required header `{name}` is missing"),
                &declared.loc,
            )),
            None => {}
            Some(text) => {
                if let Some(schema) = declared.schema {
                    let value = header_value(contract, schema, text);
                    for problem in violations(schemas, schema, &value) {
                        out.push(finding(
                            rule::PROBE_HEADER_INVALID.id,
                            Level::Error,
                            format!("status {status}: header `{name}`: {problem}"),
                            &declared.loc,
                        ));
                    }
                }
            }
        }
    }

    if plan.method == "HEAD" || status == 204 || status == 304 {
        return out;
    }
    if response.content.is_empty() {
        if !body.is_empty() {
            let message = format!(
                "status {status} declares no content, but the body has {} bytes",
                body.len()
            );
            out.push(finding(
                rule::PROBE_UNEXPECTED_BODY.id,
                Level::Warning,
                message,
                &response.loc,
            ));
        }
        return out;
    }
    let content_type = header("content-type").unwrap_or("").to_string();
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
        out.push(finding(
            rule::PROBE_UNDECLARED_CONTENT_TYPE.id,
            Level::Error,
            message,
            &response.loc.child("content"),
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
            out.push(finding(
                rule::PROBE_INVALID_JSON.id,
                Level::Error,
                message,
                &media.loc,
            ));
            return out;
        }
    };
    if let Some(schema) = media.schema {
        for problem in violations(schemas, schema, &value) {
            out.push(finding(
                rule::PROBE_RESPONSE_INVALID.id,
                Level::Error,
                format!("status {status} {media_type}: {problem}"),
                &media.loc.child("schema"),
            ));
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

/// Messages for every way `value` violates the response view of `schema`.
fn violations(
    schemas: &CompiledSchemas,
    schema: crate::model::SchemaId,
    value: &Value,
) -> Vec<String> {
    match schemas.validator(schema, View::Response) {
        Ok(validator) => validator
            .iter_errors(value)
            .map(|e| {
                let path = e.instance_path().as_str().to_string();
                if path.is_empty() {
                    e.to_string()
                } else {
                    format!("{path}: {e}")
                }
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}
