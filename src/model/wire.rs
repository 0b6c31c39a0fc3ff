//! What every operation looks like on the wire, decided once from the contract and read by both
//! generators, probe and the diff's help: which parameters travel and how (location, style,
//! explode, reserved characters, `content`), which request body is sent (one media type, chosen
//! by [`media::preferred_request`]), what each declared response carries (status, headers, media
//! kinds, the one a server answers with), which security alternatives apply, and the base path
//! every operation is served under. A generated client and a generated server built from the
//! same description cannot disagree about a request.
//!
//! ## The base path
//!
//! The path of the first `servers` URL, its variables at their defaults, without a trailing
//! slash (`https://api.example.com/v1/` → `/v1`; `/api/v3` → `/api/v3`; no server, or a server
//! at the root → empty). The Rust server routes every operation under it; the TypeScript client
//! keeps it in its base URL (`DEFAULT_BASE_URL` is the whole first server URL), so a client whose
//! `baseUrl` names the same server and base path calls the server's routes. `--base-path`
//! replaces it for both. Servers declared on a path item or an operation do not change it.

use indexmap::IndexMap;

use super::media::{self, MediaKind};
use super::{
    Contract, Encoding, Header, MediaType, Operation, Parameter, ParameterLocation, ParameterStyle,
    RequestBody, Response, SchemaId, SecurityScheme, StatusCode,
};

/// The wire description of a contract's path operations.
#[derive(Debug)]
pub struct WireContract<'c> {
    /// Every operation's path is served under this (empty, or `/` followed by segments).
    pub base_path: String,
    /// The URL a client calls by default: the first server's, its path replaced by an
    /// overridden base path; empty when the spec declares no server.
    pub default_base_url: String,
    /// The path operations, in contract order.
    pub operations: Vec<WireOperation<'c>>,
}

/// What changes the description: the base path override of the generators' `--base-path`.
#[derive(Debug, Clone, Default)]
pub struct WireOptions {
    pub base_path: Option<String>,
}

#[derive(Debug)]
pub struct WireOperation<'c> {
    pub operation: &'c Operation,
    /// The parameters that travel, in declaration order. `Accept`, `Content-Type` and
    /// `Authorization` header parameters are not among them: the OpenAPI Specification says such
    /// definitions SHALL be ignored (content negotiation and security own those headers).
    pub parameters: Vec<WireParameter<'c>>,
    pub body: Option<WireBody<'c>>,
    /// In declaration order.
    pub responses: Vec<WireResponse<'c>>,
    /// Alternatives: any one of them satisfies the operation; all schemes inside one apply
    /// together; an empty alternative means anonymous access is allowed.
    pub security: Vec<SecurityAlternative<'c>>,
}

#[derive(Debug)]
pub struct WireParameter<'c> {
    pub parameter: &'c Parameter,
    pub name: &'c str,
    pub location: ParameterLocation,
    /// Path parameters are always required.
    pub required: bool,
    pub serialization: Serialization<'c>,
    /// The schema of the value (for `content`, the media type's schema).
    pub schema: Option<SchemaId>,
}

/// How a parameter value is written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Serialization<'c> {
    /// `style` and `explode` (defaults applied), and whether reserved characters stay unencoded
    /// (`allowReserved`, query parameters only).
    Style {
        style: ParameterStyle,
        explode: bool,
        allow_reserved: bool,
    },
    /// `content`: the value is a document of this media type (JSON in practice), then encoded
    /// for its location.
    Content {
        media_type: &'c str,
        kind: MediaKind,
    },
}

impl<'c> Serialization<'c> {
    /// How a parameter or header declared with `content` (which wins) or with a `schema` and
    /// a style is written, and the schema of its value.
    pub fn of(
        content: &'c Option<(String, MediaType)>,
        schema: Option<SchemaId>,
        style: ParameterStyle,
        explode: bool,
        allow_reserved: bool,
    ) -> (Serialization<'c>, Option<SchemaId>) {
        match content {
            Some((media_type, media)) => (
                Serialization::Content {
                    media_type,
                    kind: media::classify(media_type),
                },
                media.schema,
            ),
            None => (
                Serialization::Style {
                    style,
                    explode,
                    allow_reserved,
                },
                schema,
            ),
        }
    }

    /// Whether the value travels as a JSON document.
    pub fn is_json(&self) -> bool {
        matches!(
            self,
            Serialization::Content {
                kind: MediaKind::Json,
                ..
            }
        )
    }
}

#[derive(Debug)]
pub struct WireBody<'c> {
    pub body: &'c RequestBody,
    pub required: bool,
    /// The media type a client sends and a server reads into its typed request.
    pub media_type: &'c str,
    /// Its kind, `*/*` resolved by the schema ([`media::kind_of`]).
    pub kind: MediaKind,
    pub media: &'c MediaType,
    /// The other declared media types, in declaration order.
    pub alternatives: Vec<&'c str>,
}

impl<'c> WireBody<'c> {
    pub fn schema(&self) -> Option<SchemaId> {
        self.media.schema
    }

    /// How each named field of a form or multipart body is encoded.
    pub fn encoding(&self) -> &'c IndexMap<String, Encoding> {
        &self.media.encoding
    }
}

#[derive(Debug)]
pub struct WireResponse<'c> {
    pub response: &'c Response,
    pub status: StatusCode,
    /// Declared headers except `Content-Type` (which the spec says is ignored there).
    pub headers: Vec<(&'c str, &'c Header)>,
    /// Every declared media type, in declaration order.
    pub content: Vec<WireMedia<'c>>,
    /// The index in `content` of the media type a generated server answers with
    /// ([`media::preferred_response`]).
    pub preferred: Option<usize>,
}

impl<'c> WireResponse<'c> {
    /// The media type a generated server answers with.
    pub fn preferred(&self) -> Option<&WireMedia<'c>> {
        self.preferred.and_then(|i| self.content.get(i))
    }
}

#[derive(Debug, Clone, Copy)]
pub struct WireMedia<'c> {
    pub media_type: &'c str,
    /// As classified ([`media::classify`]): `*/*` stays [`MediaKind::Any`] here, since a reader
    /// must accept whatever arrives.
    pub declared: MediaKind,
    /// `*/*` resolved by the schema: what a writer sends.
    pub kind: MediaKind,
    pub media: &'c MediaType,
}

#[derive(Debug, Clone, Default)]
pub struct SecurityAlternative<'c> {
    pub schemes: Vec<SchemeUse<'c>>,
}

#[derive(Debug, Clone)]
pub struct SchemeUse<'c> {
    pub name: &'c str,
    /// `None` when the requirement names a scheme the document does not declare.
    pub scheme: Option<&'c SecurityScheme>,
    pub scopes: &'c [String],
}

impl<'c> WireContract<'c> {
    /// Describes every path operation of `contract`.
    pub fn describe(contract: &'c Contract, options: &WireOptions) -> WireContract<'c> {
        let server_url = default_server_url(contract);
        let (base_path, default_base_url) = match &options.base_path {
            Some(path) => {
                let path = normalize_base_path(path);
                let url = format!("{}{path}", origin_of(&server_url));
                (path, url)
            }
            None => (base_path(contract), server_url),
        };
        WireContract {
            base_path,
            default_base_url,
            operations: contract
                .operations
                .iter()
                .map(|op| WireOperation::describe(contract, op))
                .collect(),
        }
    }
}

impl<'c> WireOperation<'c> {
    pub fn describe(contract: &'c Contract, op: &'c Operation) -> WireOperation<'c> {
        let types = &contract.types;
        let parameters = op
            .parameters
            .iter()
            .filter(|p| !is_ignored_header(p))
            .map(|p| {
                let (serialization, schema) =
                    Serialization::of(&p.content, p.schema, p.style, p.explode, p.allow_reserved);
                WireParameter {
                    parameter: p,
                    name: &p.name,
                    location: p.location,
                    required: p.required || p.location == ParameterLocation::Path,
                    serialization,
                    schema,
                }
            })
            .collect();
        let body = op.request_body.as_ref().and_then(|body| {
            let (media_type, media, kind) =
                media::preferred_request(&body.content, |m, t| media::kind_of(types, m, t))?;
            Some(WireBody {
                body,
                required: body.required,
                media_type,
                kind,
                media,
                alternatives: body
                    .content
                    .keys()
                    .filter(|m| *m != media_type)
                    .map(String::as_str)
                    .collect(),
            })
        });
        let responses = op
            .responses
            .iter()
            .map(|response| {
                let content: Vec<WireMedia<'c>> = response
                    .content
                    .iter()
                    .map(|(media_type, media)| WireMedia {
                        media_type,
                        declared: media::classify(media_type),
                        kind: media::kind_of(types, media_type, media),
                        media,
                    })
                    .collect();
                let preferred = content
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, m)| m.kind.response_rank())
                    .map(|(i, _)| i);
                WireResponse {
                    response,
                    status: response.status,
                    headers: response
                        .headers
                        .iter()
                        .filter(|(name, _)| !name.eq_ignore_ascii_case("content-type"))
                        .map(|(name, header)| (name.as_str(), header))
                        .collect(),
                    content,
                    preferred,
                }
            })
            .collect();
        let security = op
            .security
            .iter()
            .map(|requirement| SecurityAlternative {
                schemes: requirement
                    .schemes
                    .iter()
                    .map(|(name, scopes)| SchemeUse {
                        name,
                        scheme: contract.security_schemes.get(name),
                        scopes,
                    })
                    .collect(),
            })
            .collect();
        WireOperation {
            operation: op,
            parameters,
            body,
            responses,
            security,
        }
    }
}

/// `Accept`, `Content-Type` and `Authorization` header parameters, which the OpenAPI
/// Specification says SHALL be ignored.
fn is_ignored_header(p: &Parameter) -> bool {
    p.location == ParameterLocation::Header
        && ["accept", "content-type", "authorization"]
            .iter()
            .any(|h| p.name.eq_ignore_ascii_case(h))
}

/// The first server's URL with its variables at their defaults, without a trailing slash.
pub fn default_server_url(contract: &Contract) -> String {
    let Some(server) = contract.servers.first() else {
        return String::new();
    };
    let mut url = server.url.clone();
    for (name, variable) in &server.variables {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url.trim_end_matches('/').to_string()
}

/// The base path of the contract (see the module documentation).
pub fn base_path(contract: &Contract) -> String {
    let url = default_server_url(contract);
    normalize_base_path(&url[origin_of(&url).len()..])
}

/// `scheme://authority` of an absolute URL; empty for a relative one.
fn origin_of(url: &str) -> &str {
    match url.find("://") {
        Some(scheme_end) => {
            let after = scheme_end + 3;
            let end = url[after..]
                .find(['/', '?', '#'])
                .map_or(url.len(), |i| after + i);
            &url[..end]
        }
        None => "",
    }
}

/// A base path as routes use it: no query or fragment, one leading slash, no trailing slash, no
/// empty segments; the root is empty. Braces left by a variable the server does not declare are
/// percent-encoded, so that a router never reads them as a path parameter.
pub fn normalize_base_path(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        String::new()
    } else {
        format!("/{}", segments.join("/"))
            .replace('{', "%7B")
            .replace('}', "%7D")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::test_contract as contract;

    #[test]
    fn base_path_rule() {
        for (path, want) in [
            ("", ""),
            ("/", ""),
            ("/api/v3/", "/api/v3"),
            ("api//v1?x=1#f", "/api/v1"),
            ("/{undeclared}/v1", "/%7Bundeclared%7D/v1"),
        ] {
            assert_eq!(normalize_base_path(path), want, "{path}");
        }
        let spec = |url: &str| {
            format!(
                "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nservers:\n  - url: '{url}'\n    variables:\n      region: {{default: eu}}\npaths: {{}}\n"
            )
        };
        assert_eq!(
            base_path(&contract(&spec("https://x.example/api/"))),
            "/api"
        );
        assert_eq!(base_path(&contract(&spec("https://x.example"))), "");
        assert_eq!(base_path(&contract(&spec("/api/v3"))), "/api/v3");
        assert_eq!(
            base_path(&contract(&spec("https://{region}.x.example/{region}/v1"))),
            "/eu/v1"
        );
        let c = contract(&spec("https://x.example/api"));
        let overridden = WireContract::describe(
            &c,
            &WireOptions {
                base_path: Some("/v2/".into()),
            },
        );
        assert_eq!(overridden.base_path, "/v2");
        assert_eq!(overridden.default_base_url, "https://x.example/v2");
        assert_eq!(
            WireContract::describe(&c, &WireOptions::default()).default_base_url,
            "https://x.example/api"
        );
    }

    #[test]
    fn operation_description() {
        let c = contract(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
paths:
  /items/{id}:
    post:
      security: [{key: []}, {}, {oauth: [write]}]
      parameters:
        - {name: id, in: path, schema: {type: string}}
        - {name: Accept, in: header, schema: {type: string}}
        - {name: filter, in: query, content: {application/json: {schema: {type: object}}}}
        - {name: tags, in: query, explode: false, allowReserved: true, schema: {type: array, items: {type: string}}}
      requestBody:
        content:
          application/octet-stream: {}
          text/plain: {schema: {type: string}}
          '*/*': {schema: {type: object}}
      responses:
        '200':
          description: ok
          headers:
            Content-Type: {schema: {type: string}}
            X-Rate: {schema: {type: integer}}
          content:
            application/octet-stream: {}
            application/json: {schema: {type: object}}
        2XX: {description: other}
        default: {description: error}
"#,
        );
        let wire = WireContract::describe(&c, &WireOptions::default());
        let op = &wire.operations[0];
        let names: Vec<&str> = op.parameters.iter().map(|p| p.name).collect();
        assert_eq!(names, ["id", "filter", "tags"]);
        assert!(op.parameters[0].required);
        assert!(op.parameters[1].serialization.is_json());
        assert_eq!(
            op.parameters[2].serialization,
            Serialization::Style {
                style: ParameterStyle::Form,
                explode: false,
                allow_reserved: true
            }
        );
        let body = op.body.as_ref().expect("a body");
        assert_eq!((body.media_type, body.kind), ("*/*", MediaKind::Json));
        assert_eq!(
            body.alternatives,
            ["application/octet-stream", "text/plain"]
        );
        let ok = &op.responses[0];
        assert_eq!(ok.headers.len(), 1);
        assert_eq!(
            ok.preferred().map(|m| m.media_type),
            Some("application/json")
        );
        let statuses: Vec<StatusCode> = op.responses.iter().map(|r| r.status).collect();
        assert_eq!(
            statuses,
            [
                StatusCode::Code(200),
                StatusCode::Range(2),
                StatusCode::Default
            ]
        );
        assert_eq!(op.security.len(), 3);
        assert!(op.security[0].schemes[0].scheme.is_some());
        assert!(op.security[1].schemes.is_empty());
        assert!(op.security[2].schemes[0].scheme.is_none());
        assert_eq!(op.security[2].schemes[0].scopes, ["write".to_string()]);
    }
}
