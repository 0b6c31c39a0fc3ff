//! Judging an exchange by what its request was for: a valid variant must get a declared 2xx (or
//! a 4xx that is not a rejection of its values), an invalid one a 4xx, a request without
//! credentials a 401/403, a HEAD what its GET got, a method the path lacks a 405 with `Allow`,
//! and every response the contract's shape. The outcome is a list of [`Observation`]s, grouped
//! into findings later.

use super::request::PlannedRequest;
use super::response::{self, Problem};
use super::transport::{FailureKind, Outcome};
use super::variants::Expect;
use crate::catalogue::{Rule, probe as rule};
use crate::json_schema::CompiledSchemas;
use crate::model::{Contract, Loc, media};

/// Why a request was sent.
#[derive(Debug, Clone)]
pub(crate) enum Purpose {
    /// The operation itself, with values the spec says are valid, invalid or absent, or
    /// without credentials.
    Call { expect: Expect },
    /// HEAD beside a GET that got `status` with `content_type`.
    Head {
        status: u16,
        content_type: Option<String>,
    },
    /// A method the path does not declare; `declared` are those it does.
    UndeclaredMethod { declared: Vec<String> },
    /// A link a response gave (`next`, `Link`), followed once.
    Link { from: String },
}

/// One request as sent, what it was for, and what it tests.
#[derive(Debug, Clone)]
pub(crate) struct Probe {
    pub request: PlannedRequest,
    pub purpose: Purpose,
    /// What the request carries, for reports: `example`, `limit=51 (above the maximum)`.
    pub label: String,
    /// Where findings about its values point.
    pub subject: Loc,
}

/// A finding before grouping: one request showed it.
#[derive(Debug, Clone)]
pub(crate) struct Observation {
    pub operation: usize,
    pub rule: &'static Rule,
    pub loc: Loc,
    pub key: String,
    pub message: String,
    pub label: String,
    pub evidence: String,
    pub curl: String,
}

/// The response, in a few lines: status line, the headers that matter, a body excerpt.
pub(crate) fn evidence(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Response {
            status,
            headers,
            body,
        } => {
            let reason = reqwest::StatusCode::from_u16(*status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("");
            let mut text = format!("response: {status} {reason}");
            for (name, value) in headers {
                if [
                    "content-type",
                    "content-length",
                    "location",
                    "allow",
                    "www-authenticate",
                    "link",
                ]
                .contains(&name.as_str())
                {
                    text.push_str(&format!("\n  {name}: {}", excerpt(value.as_bytes(), 120)));
                }
            }
            if !body.is_empty() {
                text.push_str(&format!("\n  body: {}", excerpt(body, 200)));
            }
            text
        }
        Outcome::TooLarge { status, limit } => {
            format!("response: {status}, a body over {limit} bytes")
        }
        Outcome::Failed { detail, .. } => {
            format!("no response: {}", excerpt(detail.as_bytes(), 300))
        }
    }
}

/// At most `max` characters of `bytes` as text, control characters escaped.
pub(crate) fn excerpt(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Every observation an exchange gives.
pub(crate) fn judge(
    contract: &Contract,
    schemas: &CompiledSchemas,
    probe: &Probe,
    outcome: &Outcome,
) -> Vec<Observation> {
    let operation = probe.request.operation_index;
    let op = &contract.operations[operation];
    let observe = |rule: &'static Rule, loc: &Loc, key: String, message: String| Observation {
        operation,
        rule,
        loc: loc.clone(),
        key,
        message,
        label: probe.label.clone(),
        evidence: evidence(outcome),
        curl: probe.request.curl.clone(),
    };
    let from_problem = |p: Problem| observe(p.rule, &p.loc, p.key, p.message);
    let (status, headers, body) = match outcome {
        Outcome::Failed { kind, .. } => {
            let (rule, what) = match kind {
                FailureKind::Timeout => (&rule::PROBE_TIMEOUT, "no response before the timeout"),
                FailureKind::Connection => (&rule::PROBE_CONNECTION_ERROR, "the connection failed"),
                FailureKind::Redirects => (&rule::PROBE_REDIRECT_LOOP, "too many redirects"),
                FailureKind::Other => (&rule::PROBE_REQUEST_FAILED, "the request failed"),
            };
            return vec![observe(
                rule,
                &probe.subject,
                String::new(),
                format!("{what} ({})", probe.request.method),
            )];
        }
        Outcome::TooLarge { status, limit } => {
            let message = format!(
                "status {status}: the body is larger than the {limit}-byte cap; not validated"
            );
            return vec![observe(
                &rule::PROBE_BODY_TOO_LARGE,
                &op.loc,
                String::new(),
                message,
            )];
        }
        Outcome::Response {
            status,
            headers,
            body,
        } => (*status, headers, body),
    };
    let success = (200..300).contains(&status);
    let mut out = Vec::new();
    match &probe.purpose {
        Purpose::Head {
            status: get_status,
            content_type,
        } => {
            let head_type = header(headers, "content-type").map(media::essence);
            let get_type = content_type.as_deref().map(media::essence);
            let mut differences = Vec::new();
            if status != *get_status {
                differences.push(format!("status {status} where GET got {get_status}"));
            }
            if status == *get_status && head_type != get_type {
                differences.push(format!(
                    "Content-Type {} where GET got {}",
                    head_type.as_deref().unwrap_or("none"),
                    get_type.as_deref().unwrap_or("none")
                ));
            }
            if !body.is_empty() {
                differences.push(format!("a body of {} bytes", body.len()));
            }
            if !differences.is_empty() {
                out.push(observe(
                    &rule::PROBE_HEAD_MISMATCH,
                    &op.loc,
                    String::new(),
                    format!("HEAD answers with {}", differences.join(", ")),
                ));
            }
            return out;
        }
        Purpose::UndeclaredMethod { declared } => {
            let method = &probe.request.method;
            // The path item: the operation's pointer without its method.
            let path_loc = Loc::new(
                op.loc.file,
                op.loc
                    .pointer
                    .rsplit_once('/')
                    .map_or("", |(parent, _)| parent),
            );
            // 501 is the RFC's answer to a method the server does not implement at all.
            if status >= 500 && status != 501 {
                out.push(observe(
                    &rule::PROBE_SERVER_ERROR,
                    &path_loc,
                    String::new(),
                    format!("status {status} to {method}, a method the path does not declare"),
                ));
            } else if success {
                out.push(observe(
                    &rule::PROBE_UNDECLARED_METHOD_ACCEPTED,
                    &path_loc,
                    String::new(),
                    format!("{method} is not declared for this path, but got status {status}"),
                ));
            } else if status == 405 {
                match header(headers, "allow") {
                    None => out.push(observe(
                        &rule::PROBE_405_WITHOUT_ALLOW,
                        &path_loc,
                        String::new(),
                        format!(
                            "405 to {method} without an `Allow` header (declared: {})",
                            declared.join(", ")
                        ),
                    )),
                    Some(allow) => {
                        let allowed: Vec<String> = allow
                            .split(',')
                            .map(|m| m.trim().to_ascii_uppercase())
                            .collect();
                        let missing: Vec<&String> =
                            declared.iter().filter(|m| !allowed.contains(m)).collect();
                        if !missing.is_empty() {
                            let missing: Vec<&str> = missing.iter().map(|m| m.as_str()).collect();
                            out.push(observe(
                                &rule::PROBE_405_WITHOUT_ALLOW,
                                &path_loc,
                                String::new(),
                                format!(
                                    "405 to {method}: `Allow: {allow}` lacks the declared {}",
                                    missing.join(", ")
                                ),
                            ));
                        }
                    }
                }
            }
            return out;
        }
        Purpose::Link { from } => {
            if !success {
                out.push(observe(
                    &rule::PROBE_LINK_BROKEN,
                    &op.loc,
                    String::new(),
                    format!("the link {from} answers status {status}"),
                ));
                if status >= 500 {
                    return out;
                }
            }
        }
        Purpose::Call { expect } => {
            if status >= 500 {
                let what = match expect {
                    Expect::Valid => "a valid request",
                    Expect::Invalid => "an invalid request (a 4xx is due)",
                    Expect::Absent => "a request for a resource that does not exist (a 4xx is due)",
                    Expect::Refused => "a request without valid credentials (a 401 or 403 is due)",
                };
                out.push(observe(
                    &rule::PROBE_SERVER_ERROR,
                    &probe.subject,
                    String::new(),
                    format!("status {status} to {what}"),
                ));
                return out;
            }
            match expect {
                Expect::Invalid if success => out.push(observe(
                    &rule::PROBE_INVALID_ACCEPTED,
                    &probe.subject,
                    String::new(),
                    format!("status {status} to a request the spec says is invalid"),
                )),
                Expect::Valid if matches!(status, 400 | 422) => out.push(observe(
                    &rule::PROBE_VALID_REJECTED,
                    &probe.subject,
                    String::new(),
                    format!("status {status} to a request the spec says is valid"),
                )),
                Expect::Refused if success => out.push(observe(
                    &rule::PROBE_AUTH_NOT_ENFORCED,
                    &op.loc.child("security"),
                    String::new(),
                    format!("status {status} to a request {}", probe.label),
                )),
                _ => {}
            }
        }
    }
    out.extend(
        response::check(
            contract,
            op,
            &probe.request.method,
            status,
            headers,
            body,
            schemas,
        )
        .into_iter()
        .map(from_problem),
    );
    out
}
