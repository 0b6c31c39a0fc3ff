//! Building one request per operation from what the spec says: parameter and body values come
//! from examples (the parameter's, then its schema's), then `default`, the first `enum` value,
//! or a value made up from the schema's type. Serialized by style and explode.

use serde_json::Value;

use super::ProbeAuth;
use super::secrets::{CredentialHeaders, MASK};
use super::target::{Target, shown_url};
use crate::model::media;
use crate::model::{
    Contract, InstanceType, Operation, Parameter, ParameterLocation, ParameterStyle, SchemaId,
    SecurityScheme,
};

/// A request ready to send, with the curl line that reproduces it.
#[derive(Debug, Clone)]
pub struct PlannedRequest {
    /// Index of the operation in `Contract::operations`.
    pub operation_index: usize,
    pub method: String,
    pub url: url::Url,
    pub headers: Vec<HeaderField>,
    pub body: Option<Vec<u8>>,
    /// The reproduction, with every credential shown as `***`.
    pub curl: String,
}

/// A header to send; `credential` ones are shown as `***` and never follow a redirect to
/// another origin.
#[derive(Debug, Clone)]
pub struct HeaderField {
    pub name: String,
    pub value: String,
    pub credential: bool,
}

/// A query pair; a `credential` value (an apiKey in the query) is shown as `***`.
#[derive(Debug, Clone)]
struct QueryPair {
    name: String,
    value: String,
    credential: bool,
}

/// Why an operation is not probed.
#[derive(Debug, Clone)]
pub(crate) enum NotPlanned {
    /// No value for a required parameter, or a required body probe cannot write.
    NoValue(String),
    /// The URL would leave the base URL (a spec path without a leading `/`, or one that climbs
    /// out of the base path): refused, since credentials would go with it.
    Refused(super::target::JoinError),
}

/// Plans the request for `op`; `Err` says why it cannot be probed.
pub fn plan(
    contract: &Contract,
    op: &Operation,
    target: &Target,
    auth: &ProbeAuth,
    credential_headers: &CredentialHeaders,
) -> Result<PlannedRequest, NotPlanned> {
    let operation_index = contract
        .operations
        .iter()
        .position(|o| std::ptr::eq(o, op))
        .ok_or_else(|| NotPlanned::NoValue("not a path operation".to_string()))?;
    let mut path = op.path.clone();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut headers: Vec<HeaderField> = auth
        .headers
        .iter()
        .map(|(name, value)| HeaderField {
            name: name.clone(),
            value: value.clone(),
            credential: credential_headers.contains(name),
        })
        .collect();
    let mut plain_headers: Vec<(String, String)> = Vec::new();
    let mut cookies: Vec<(String, String)> = Vec::new();
    for param in &op.parameters {
        let value = match parameter_value(contract, param) {
            Some(v) => v,
            None if param.required => {
                return Err(NotPlanned::NoValue(format!(
                    "no value for the required {} parameter `{}`",
                    param.location.as_str(),
                    param.name
                )));
            }
            None => continue,
        };
        if !param.required && !has_example(contract, param) {
            continue; // optional parameters are sent only when the spec shows a value
        }
        match param.location {
            ParameterLocation::Path => {
                let text = encode_path_segment(&scalar_or_joined(&value, ","));
                path = path.replace(&format!("{{{}}}", param.name), &text);
            }
            ParameterLocation::Query => query_pairs(param, &value, &mut query),
            ParameterLocation::Header => {
                plain_headers.push((param.name.clone(), scalar_or_joined(&value, ",")))
            }
            ParameterLocation::Cookie => {
                cookies.push((param.name.clone(), scalar_or_joined(&value, ",")))
            }
            ParameterLocation::QueryString => {}
        }
    }
    let mut query: Vec<QueryPair> = query
        .into_iter()
        .map(|(name, value)| QueryPair {
            name,
            value,
            credential: false,
        })
        .collect();
    headers.extend(plain_headers.into_iter().map(|(name, value)| HeaderField {
        credential: credential_headers.contains(&name),
        name,
        value,
    }));
    let credentials = credentials_for(contract, op, auth);
    for (location, name, value) in credentials {
        match location {
            ParameterLocation::Query => query.push(QueryPair {
                name,
                value,
                credential: true,
            }),
            ParameterLocation::Cookie => cookies.push((name, value)),
            _ => headers.push(HeaderField {
                name,
                value,
                credential: true,
            }),
        }
    }
    if !cookies.is_empty() {
        let line = cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        // One Cookie header per request (RFC 6265): a `--header Cookie:` gets the rest appended.
        match headers
            .iter_mut()
            .find(|h| h.name.eq_ignore_ascii_case("cookie"))
        {
            Some(given) => {
                given.value = format!("{}; {line}", given.value);
                given.credential = true;
            }
            None => headers.push(HeaderField {
                name: "Cookie".to_string(),
                value: line,
                credential: true,
            }),
        }
    }
    let mut body = None;
    if let Some(request_body) = &op.request_body {
        let json = request_body
            .content
            .iter()
            .find(|(mt, _)| media::is_json(mt));
        match json {
            Some((media_type, media)) => {
                let example = media
                    .examples
                    .iter()
                    .find_map(|e| e.value.as_ref().and_then(|l| contract.value(l)).cloned())
                    .or_else(|| media.schema.map(|s| synthesize(contract, s, 0)));
                if let Some(value) = example {
                    headers.push(HeaderField {
                        name: "Content-Type".to_string(),
                        value: media_type.clone(),
                        credential: false,
                    });
                    body = Some(
                        serde_json::to_vec(&value)
                            .map_err(|e| NotPlanned::NoValue(e.to_string()))?,
                    );
                }
            }
            None if request_body.required => {
                let kinds: Vec<&str> = request_body.content.keys().map(String::as_str).collect();
                return Err(NotPlanned::NoValue(format!(
                    "the request body is required and not JSON ({})",
                    kinds.join(", ")
                )));
            }
            None => {}
        }
    }
    let query_text = |shown: bool| {
        query
            .iter()
            .map(|q| {
                let value = if shown && q.credential {
                    MASK.to_string()
                } else {
                    encode_query(&q.value)
                };
                format!("{}={}", encode_query(&q.name), value)
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    let url = target
        .join(&path, &query_text(false))
        .map_err(NotPlanned::Refused)?;
    let shown = target
        .join(&path, &query_text(true))
        .map_err(NotPlanned::Refused)?;
    let method = op.method.as_upper().to_string();
    let curl = curl_line(&method, &shown_url(&shown), &headers, body.as_deref());
    Ok(PlannedRequest {
        operation_index,
        method,
        url,
        headers,
        body,
        curl,
    })
}

fn has_example(contract: &Contract, param: &Parameter) -> bool {
    param.examples.iter().any(|e| e.value.is_some())
        || param.schema.is_some_and(|s| {
            let schema = contract.types.get(contract.types.resolve_alias(s).0);
            !schema.examples.is_empty() || schema.default.is_some()
        })
}

/// The value to send for a parameter.
fn parameter_value(contract: &Contract, param: &Parameter) -> Option<Value> {
    if let Some(v) = param
        .examples
        .iter()
        .find_map(|e| e.value.as_ref().and_then(|l| contract.value(l)))
    {
        return Some(v.clone());
    }
    param.schema.map(|s| synthesize(contract, s, 0))
}

/// A value for a schema: its example, default, first enum value or const, else one made up from
/// the type (the smallest value its bounds allow).
pub(crate) fn synthesize(contract: &Contract, id: SchemaId, depth: usize) -> Value {
    let types = &contract.types;
    let (target, _) = types.resolve_alias(id);
    let schema = types.get(target);
    if let Some(v) = schema
        .examples
        .iter()
        .find_map(|e| e.value.as_ref().and_then(|l| contract.value(l)))
    {
        return v.clone();
    }
    if let Some(v) = schema
        .default
        .clone()
        .or_else(|| schema.rare().const_value.clone())
    {
        return v;
    }
    if let Some(first) = schema.enum_values.as_ref().and_then(|e| e.first()) {
        return first.clone();
    }
    if depth > 8 {
        return Value::Null;
    }
    if let Some(first) = schema
        .all_of
        .first()
        .or(schema.one_of.first())
        .or(schema.any_of.first())
        && schema.types.is_none()
        && schema.properties.is_empty()
    {
        return synthesize(contract, *first, depth + 1);
    }
    let kind = schema
        .types
        .as_ref()
        .and_then(|t| t.first().copied())
        .unwrap_or_else(|| {
            if schema.properties.is_empty() {
                InstanceType::String
            } else {
                InstanceType::Object
            }
        });
    match kind {
        InstanceType::Boolean => Value::Bool(true),
        InstanceType::Integer => {
            let min = schema
                .minimum
                .as_ref()
                .and_then(serde_json::Number::as_i64)
                .unwrap_or(1);
            Value::from(min.max(1))
        }
        InstanceType::Number => Value::from(
            schema
                .minimum
                .as_ref()
                .and_then(serde_json::Number::as_f64)
                .unwrap_or(1.0),
        ),
        InstanceType::String => Value::String(match schema.format.as_deref() {
            Some("date-time") => "2024-01-01T00:00:00Z".to_string(),
            Some("date") => "2024-01-01".to_string(),
            Some("uuid") => "00000000-0000-4000-8000-000000000000".to_string(),
            Some("email") => "someone@example.com".to_string(),
            Some("uri") => "https://example.com/".to_string(),
            _ => "x".repeat(
                usize::try_from(schema.min_length.unwrap_or(1))
                    .unwrap_or(1)
                    .clamp(1, 64),
            ),
        }),
        InstanceType::Array => match schema.items {
            Some(items) if schema.min_items.unwrap_or(0) > 0 => {
                Value::Array(vec![synthesize(contract, items, depth + 1)])
            }
            _ => Value::Array(Vec::new()),
        },
        InstanceType::Object => {
            let mut map = serde_json::Map::new();
            for (name, prop) in types.properties_in(target, crate::model::Direction::Request) {
                if types.required_in(target, name, crate::model::Direction::Request) {
                    map.insert(name.clone(), synthesize(contract, prop, depth + 1));
                }
            }
            Value::Object(map)
        }
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn scalar_or_joined(value: &Value, separator: &str) -> String {
    match value {
        Value::Array(items) => items
            .iter()
            .map(scalar_text)
            .collect::<Vec<_>>()
            .join(separator),
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
            .collect::<Vec<_>>()
            .join(separator),
        other => scalar_text(other),
    }
}

/// Query serialization by style and explode (OpenAPI's style table).
fn query_pairs(param: &Parameter, value: &Value, out: &mut Vec<(String, String)>) {
    let name = &param.name;
    match (value, param.style) {
        (Value::Object(map), ParameterStyle::DeepObject) => {
            for (k, v) in map {
                out.push((format!("{name}[{k}]"), scalar_text(v)));
            }
        }
        (Value::Object(map), _) if param.explode => {
            for (k, v) in map {
                out.push((k.clone(), scalar_text(v)));
            }
        }
        (Value::Array(items), ParameterStyle::Form) if param.explode => {
            for item in items {
                out.push((name.clone(), scalar_text(item)));
            }
        }
        (Value::Array(_), ParameterStyle::SpaceDelimited) => {
            out.push((name.clone(), scalar_or_joined(value, " ")))
        }
        (Value::Array(_), ParameterStyle::PipeDelimited) => {
            out.push((name.clone(), scalar_or_joined(value, "|")))
        }
        _ => out.push((name.clone(), scalar_or_joined(value, ","))),
    }
}

/// The credentials for the first security alternative the probe can satisfy, as (where, name,
/// value).
fn credentials_for(
    contract: &Contract,
    op: &Operation,
    auth: &ProbeAuth,
) -> Vec<(ParameterLocation, String, String)> {
    for requirement in &op.security {
        let mut added = Vec::new();
        let mut satisfied = true;
        for scheme_name in requirement.schemes.keys() {
            match contract.security_schemes.get(scheme_name) {
                Some(SecurityScheme::Http { scheme, .. })
                    if scheme.eq_ignore_ascii_case("bearer") =>
                {
                    match &auth.bearer {
                        Some(token) => added.push((
                            ParameterLocation::Header,
                            "Authorization".to_string(),
                            format!("Bearer {token}"),
                        )),
                        None => satisfied = false,
                    }
                }
                Some(SecurityScheme::Http { scheme, .. })
                    if scheme.eq_ignore_ascii_case("basic") =>
                {
                    match &auth.basic {
                        Some(pair) => added.push((
                            ParameterLocation::Header,
                            "Authorization".to_string(),
                            format!("Basic {}", base64(pair.as_bytes())),
                        )),
                        None => satisfied = false,
                    }
                }
                Some(SecurityScheme::ApiKey { name, location, .. }) => match &auth.api_key {
                    Some(key) => added.push((*location, name.clone(), key.clone())),
                    None => satisfied = false,
                },
                _ => satisfied = false,
            }
        }
        if satisfied {
            return added;
        }
    }
    Vec::new()
}

pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn encode_path_segment(text: &str) -> String {
    percent_encode(text, |b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

pub(crate) fn encode_query(text: &str) -> String {
    percent_encode(text, |b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

fn percent_encode(text: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// The curl command that sends the request, credentials shown as `***` (the scheme word of an
/// `Authorization` value is kept: `Bearer ***`).
fn curl_line(method: &str, url: &str, headers: &[HeaderField], body: Option<&[u8]>) -> String {
    let mut line = format!("curl -X {method} {}", shell_quote(url));
    for h in headers {
        let shown = if h.credential {
            match h.value.split_once(' ') {
                Some((scheme, _))
                    if h.name.eq_ignore_ascii_case("authorization")
                        || h.name.eq_ignore_ascii_case("proxy-authorization") =>
                {
                    format!("{scheme} {MASK}")
                }
                _ => MASK.to_string(),
            }
        } else {
            h.value.clone()
        };
        line.push_str(&format!(
            " -H {}",
            shell_quote(&format!("{}: {shown}", h.name))
        ));
    }
    if let Some(body) = body {
        line.push_str(&format!(
            " --data-raw {}",
            shell_quote(&String::from_utf8_lossy(body))
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
    }

    #[test]
    fn curl_lines_quote_safely() {
        let header = |name: &str, value: &str, credential| HeaderField {
            name: name.into(),
            value: value.into(),
            credential,
        };
        let line = curl_line(
            "GET",
            "http://h/a?b=c",
            &[
                header("X-A", "it's", false),
                header("Authorization", "Bearer tok", true),
                header("X-Key", "k", true),
            ],
            Some(b"{}"),
        );
        assert_eq!(
            line,
            "curl -X GET 'http://h/a?b=c' -H 'X-A: it'\\''s' -H 'Authorization: Bearer ***' \
             -H 'X-Key: ***' --data-raw '{}'"
        );
    }

    #[test]
    fn encoding() {
        assert_eq!(encode_path_segment("a b/c"), "a%20b%2Fc");
    }
}
