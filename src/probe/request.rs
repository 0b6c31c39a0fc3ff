//! Building requests: an [`Assignment`] (a value or nothing for each parameter, and a body)
//! becomes a URL, headers and bytes, serialized by each parameter's style and explode, with the
//! credentials the run was given (or none, or wrong ones), and the curl line that reproduces it.

use serde_json::Value;

use super::ProbeAuth;
use super::secrets::{CredentialHeaders, MASK};
use super::target::{JoinError, Target, shown_url};
use super::values::synthesize;
use crate::model::media;
use crate::model::{
    Contract, Operation, Parameter, ParameterLocation, ParameterStyle, SecurityScheme,
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
    /// The URL as the curl line shows it.
    shown_url: String,
}

impl PlannedRequest {
    /// The same request with another method (HEAD beside a GET; a method the path does not
    /// declare) and no body.
    pub(crate) fn with_method(&self, method: &str) -> PlannedRequest {
        let mut plan = self.clone();
        plan.method = method.to_string();
        plan.body = None;
        plan.headers
            .retain(|h| !h.name.eq_ignore_ascii_case("content-type"));
        plan.curl = curl_line(method, &plan.shown_url, &plan.headers, None);
        plan
    }

    /// A GET of `url` (a link a response gave) with this request's headers, or `None` when the
    /// URL is on another origin: credentials are not sent there, and another server is not
    /// probe's to test.
    pub(crate) fn follow(&self, target: &Target, url: url::Url) -> Option<PlannedRequest> {
        if !target.same_origin(&url) {
            return None;
        }
        let mut plan = self.with_method("GET");
        plan.shown_url = shown_url(&url);
        plan.curl = curl_line("GET", &plan.shown_url, &plan.headers, None);
        plan.url = url;
        Some(plan)
    }
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
    Refused(JoinError),
}

/// What one request sends: for each of the operation's parameters (same order) a value or
/// nothing, and the body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Assignment {
    pub params: Vec<Option<Value>>,
    pub body: Payload,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Payload {
    None,
    Json {
        media_type: String,
        value: Value,
    },
    /// Bytes that are not the JSON of any value (a malformed body).
    Raw {
        media_type: String,
        bytes: Vec<u8>,
    },
}

/// Which credentials a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthMode {
    /// Those the run was given, for the first security alternative they satisfy.
    Given,
    /// None at all (also no credential `--header`).
    Omitted,
    /// A wrong value in place of each credential of the first alternative.
    Wrong,
}

/// What every request of a run is built with.
pub(crate) struct Builder<'a> {
    pub contract: &'a Contract,
    pub target: &'a Target,
    pub auth: &'a ProbeAuth,
    pub credential_headers: &'a CredentialHeaders,
}

/// The JSON media type of a request body, when it has one.
pub(crate) fn json_body_media(op: &Operation) -> Option<(&String, &crate::model::MediaType)> {
    op.request_body
        .as_ref()?
        .content
        .iter()
        .find(|(mt, _)| media::is_json(mt))
}

/// The request built from the spec alone: example values for parameters (optional ones only
/// when the spec shows a value), and the body's example or one made up from its schema.
pub(crate) fn baseline(contract: &Contract, op: &Operation) -> Result<Assignment, NotPlanned> {
    let mut params = Vec::with_capacity(op.parameters.len());
    for param in &op.parameters {
        let value = parameter_value(contract, param);
        match value {
            None if param.required => {
                return Err(NotPlanned::NoValue(format!(
                    "no value for the required {} parameter `{}`",
                    param.location.as_str(),
                    param.name
                )));
            }
            Some(v) if param.required || has_example(contract, param) => params.push(Some(v)),
            _ => params.push(None),
        }
    }
    let body = match (&op.request_body, json_body_media(op)) {
        (Some(_), Some((media_type, media))) => media
            .examples
            .iter()
            .find_map(|e| e.value.as_ref().and_then(|l| contract.value(l)).cloned())
            .or_else(|| media.schema.map(|s| synthesize(contract, s, false, 0)))
            .map_or(Payload::None, |value| Payload::Json {
                media_type: media_type.clone(),
                value,
            }),
        (Some(body), None) if body.required => {
            let kinds: Vec<&str> = body.content.keys().map(String::as_str).collect();
            return Err(NotPlanned::NoValue(format!(
                "the request body is required and not JSON ({})",
                kinds.join(", ")
            )));
        }
        _ => Payload::None,
    };
    Ok(Assignment { params, body })
}

impl Builder<'_> {
    /// The request for `assignment` to operation `operation_index`.
    pub(crate) fn build(
        &self,
        operation_index: usize,
        assignment: &Assignment,
        auth_mode: AuthMode,
    ) -> Result<PlannedRequest, NotPlanned> {
        let contract = self.contract;
        let op = &contract.operations[operation_index];
        let mut path = op.path.clone();
        let mut query: Vec<(String, String)> = Vec::new();
        let mut headers: Vec<HeaderField> = self
            .auth
            .headers
            .iter()
            .map(|(name, value)| HeaderField {
                name: name.clone(),
                value: value.clone(),
                credential: self.credential_headers.contains(name),
            })
            .filter(|h| auth_mode == AuthMode::Given || !h.credential)
            .collect();
        let mut cookies: Vec<(String, String)> = Vec::new();
        for (param, value) in op.parameters.iter().zip(&assignment.params) {
            let Some(value) = value else { continue };
            match param.location {
                ParameterLocation::Path => {
                    path = path.replace(&format!("{{{}}}", param.name), &path_text(param, value));
                }
                ParameterLocation::Query => query_pairs(param, value, &mut query),
                ParameterLocation::Header => headers.push(HeaderField {
                    credential: self.credential_headers.contains(&param.name),
                    name: param.name.clone(),
                    value: scalar_or_joined(value, ","),
                }),
                ParameterLocation::Cookie => {
                    cookies.push((param.name.clone(), scalar_or_joined(value, ",")))
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
        let credentials = match auth_mode {
            AuthMode::Given => credentials_for(contract, op, self.auth),
            AuthMode::Wrong => wrong_credentials_for(contract, op),
            AuthMode::Omitted => Vec::new(),
        };
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
            // One Cookie header per request (RFC 6265): a `--header Cookie:` gets the rest
            // appended.
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
        let body = match &assignment.body {
            Payload::None => None,
            Payload::Json { media_type, value } => {
                headers.push(HeaderField {
                    name: "Content-Type".to_string(),
                    value: media_type.clone(),
                    credential: false,
                });
                Some(serde_json::to_vec(value).map_err(|e| NotPlanned::NoValue(e.to_string()))?)
            }
            Payload::Raw { media_type, bytes } => {
                headers.push(HeaderField {
                    name: "Content-Type".to_string(),
                    value: media_type.clone(),
                    credential: false,
                });
                Some(bytes.clone())
            }
        };
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
        let url = self
            .target
            .join(&path, &query_text(false))
            .map_err(NotPlanned::Refused)?;
        let shown = shown_url(
            &self
                .target
                .join(&path, &query_text(true))
                .map_err(NotPlanned::Refused)?,
        );
        let method = op.method.as_upper().to_string();
        let curl = curl_line(&method, &shown, &headers, body.as_deref());
        Ok(PlannedRequest {
            operation_index,
            method,
            url,
            headers,
            body,
            curl,
            shown_url: shown,
        })
    }
}

fn has_example(contract: &Contract, param: &Parameter) -> bool {
    param.examples.iter().any(|e| e.value.is_some())
        || param.schema.is_some_and(|s| {
            let schema = contract.types.get(contract.types.resolve_alias(s).0);
            !schema.examples.is_empty() || schema.default.is_some()
        })
}

/// The value to send for a parameter.
pub(crate) fn parameter_value(contract: &Contract, param: &Parameter) -> Option<Value> {
    if let Some(v) = param
        .examples
        .iter()
        .find_map(|e| e.value.as_ref().and_then(|l| contract.value(l)))
    {
        return Some(v.clone());
    }
    let schema = param.schema?;
    match synthesize(contract, schema, false, 0) {
        // An empty array is an empty path segment (or a lone `.`, a dot segment URLs remove):
        // a path parameter gets one item.
        Value::Array(items) if items.is_empty() && param.location == ParameterLocation::Path => {
            let (target, _) = contract.types.resolve_alias(schema);
            let item = contract.types.get(target).items?;
            Some(Value::Array(vec![synthesize(contract, item, false, 1)]))
        }
        value => Some(value),
    }
}

/// Whether the operation can be called without credentials (no security, or an empty
/// alternative).
pub(crate) fn is_public(op: &Operation) -> bool {
    op.security.is_empty() || op.security.iter().any(|r| r.schemes.is_empty())
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

/// Whether the credentials given satisfy one of the operation's security alternatives.
pub(crate) fn credentials_satisfy(contract: &Contract, op: &Operation, auth: &ProbeAuth) -> bool {
    is_public(op) || !credentials_for(contract, op, auth).is_empty()
}

/// The value a wrong credential carries: well-formed, and accepted by nobody.
const WRONG: &str = "oaskit-wrong-credential";

/// Wrong values for the first security alternative probe can write (http bearer or basic,
/// apiKey); empty when it can write none (oauth2, openIdConnect, mutualTLS).
fn wrong_credentials_for(
    contract: &Contract,
    op: &Operation,
) -> Vec<(ParameterLocation, String, String)> {
    for requirement in &op.security {
        let mut added = Vec::new();
        for scheme_name in requirement.schemes.keys() {
            match contract.security_schemes.get(scheme_name) {
                Some(SecurityScheme::Http { scheme, .. })
                    if scheme.eq_ignore_ascii_case("bearer") =>
                {
                    added.push((
                        ParameterLocation::Header,
                        "Authorization".to_string(),
                        format!("Bearer {WRONG}"),
                    ))
                }
                Some(SecurityScheme::Http { scheme, .. })
                    if scheme.eq_ignore_ascii_case("basic") =>
                {
                    added.push((
                        ParameterLocation::Header,
                        "Authorization".to_string(),
                        format!("Basic {}", base64(format!("oaskit:{WRONG}").as_bytes())),
                    ))
                }
                Some(SecurityScheme::ApiKey { name, location, .. }) => {
                    added.push((*location, name.clone(), WRONG.to_string()))
                }
                _ => {
                    added.clear();
                    break;
                }
            }
        }
        if !added.is_empty() {
            return added;
        }
    }
    Vec::new()
}

/// Whether probe can send wrong credentials for the operation.
pub(crate) fn can_send_wrong_credentials(contract: &Contract, op: &Operation) -> bool {
    !wrong_credentials_for(contract, op).is_empty()
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

/// A path parameter's segment by style and explode (OpenAPI's style table: `simple`, `label`
/// `.`, `matrix` `;name=`), each name and value percent-encoded, the delimiters not.
fn path_text(param: &Parameter, value: &Value) -> String {
    let name = encode_path_segment(&param.name);
    let text = |v: &Value| encode_path_segment(&scalar_text(v));
    let list = |items: &[Value], separator: &str| {
        items.iter().map(text).collect::<Vec<_>>().join(separator)
    };
    // `R,100,G,200` (not exploded) and `R=100,G=200` (exploded, with the style's separator).
    let flat = |map: &serde_json::Map<String, Value>| {
        map.iter()
            .flat_map(|(k, v)| [encode_path_segment(k), text(v)])
            .collect::<Vec<_>>()
            .join(",")
    };
    let assigned = |map: &serde_json::Map<String, Value>, separator: &str| {
        map.iter()
            .map(|(k, v)| format!("{}={}", encode_path_segment(k), text(v)))
            .collect::<Vec<_>>()
            .join(separator)
    };
    let explode = param.explode;
    match (param.style, value) {
        (ParameterStyle::Label, Value::Array(items)) => {
            format!(".{}", list(items, if explode { "." } else { "," }))
        }
        (ParameterStyle::Label, Value::Object(map)) if explode => {
            format!(".{}", assigned(map, "."))
        }
        (ParameterStyle::Label, Value::Object(map)) => format!(".{}", flat(map)),
        (ParameterStyle::Label, other) => format!(".{}", text(other)),
        (ParameterStyle::Matrix, Value::Array(items)) if explode => items
            .iter()
            .map(|v| format!(";{name}={}", text(v)))
            .collect(),
        (ParameterStyle::Matrix, Value::Array(items)) => format!(";{name}={}", list(items, ",")),
        (ParameterStyle::Matrix, Value::Object(map)) if explode => {
            format!(";{}", assigned(map, ";"))
        }
        (ParameterStyle::Matrix, Value::Object(map)) => format!(";{name}={}", flat(map)),
        (ParameterStyle::Matrix, other) => format!(";{name}={}", text(other)),
        (_, Value::Array(items)) => list(items, ","),
        (_, Value::Object(map)) if explode => assigned(map, ","),
        (_, Value::Object(map)) => flat(map),
        (_, other) => text(other),
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

    /// The OpenAPI Specification's "Style Examples" for path styles (color = blue /
    /// ["blue","black","brown"] / {"R":100,"G":200,"B":150}).
    #[test]
    fn path_segments_follow_the_style_examples_table() {
        use serde_json::json;
        let param = |style, explode| Parameter {
            name: "color".to_string(),
            location: ParameterLocation::Path,
            required: true,
            deprecated: false,
            description: None,
            style,
            explode,
            allow_reserved: false,
            allow_empty_value: false,
            schema: None,
            content: None,
            examples: Vec::new(),
            extensions: Default::default(),
            loc: crate::model::Loc::new(crate::load::FileId::ROOT, ""),
        };
        let (prim, arr, obj) = (
            json!("blue"),
            json!(["blue", "black", "brown"]),
            json!({"R": 100, "G": 200, "B": 150}),
        );
        let table = [
            (
                ParameterStyle::Simple,
                false,
                ["blue", "blue,black,brown", "R,100,G,200,B,150"],
            ),
            (
                ParameterStyle::Simple,
                true,
                ["blue", "blue,black,brown", "R=100,G=200,B=150"],
            ),
            (
                ParameterStyle::Label,
                false,
                [".blue", ".blue,black,brown", ".R,100,G,200,B,150"],
            ),
            (
                ParameterStyle::Label,
                true,
                [".blue", ".blue.black.brown", ".R=100.G=200.B=150"],
            ),
            (
                ParameterStyle::Matrix,
                false,
                [
                    ";color=blue",
                    ";color=blue,black,brown",
                    ";color=R,100,G,200,B,150",
                ],
            ),
            (
                ParameterStyle::Matrix,
                true,
                [
                    ";color=blue",
                    ";color=blue;color=black;color=brown",
                    ";R=100;G=200;B=150",
                ],
            ),
        ];
        for (style, explode, want) in table {
            let p = param(style, explode);
            let got = [&prim, &arr, &obj].map(|v| path_text(&p, v));
            assert_eq!(got, want, "{} explode={explode}", style.as_str());
        }
    }

    #[test]
    fn encoding() {
        assert_eq!(encode_path_segment("a b/c"), "a%20b%2Fc");
    }
}
