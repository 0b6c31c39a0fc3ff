//! The server side of the view model: per operation a trait method, a request struct (path,
//! query, header and cookie parameters, body), a response enum with one variant per declared
//! status, and the handler that parses, validates and dispatches; the routes.

use crate::catalogue::check::generate as rule;
use indexmap::IndexMap;
use serde::Serialize;

use super::models::{Ty, Types};
use super::naming::{Namer, doc_attrs, pascal_ident, snake_ident, stem, string_literal};
use crate::model::media::{self, MediaKind};
use crate::model::wire::SecurityAlternative;
use crate::model::wire::{Serialization, WireContract, WireOperation};
use crate::model::{
    Contract, Direction, InstanceType, MediaType, Method, Operation, ParameterLocation,
    ParameterStyle, SchemaId, SecurityScheme, StatusCode, path_template,
};
use crate::report::{Finding, Level};

/// Names the handler body binds, which the local of a parameter or form field must not shadow
/// (the field keeps its name; its local gets another).
const HANDLER_LOCALS: &[&str] = &[
    "api_state",
    "http_parts",
    "http_body",
    "errors",
    "query_string",
    "path_params",
    "form_fields",
    "principals",
    "context",
];

/// Names clippy rejects for bindings (`disallowed_names`).
const PLACEHOLDERS: &[&str] = &["foo", "baz", "quux"];

/// The local variable holding a field's value while the handler parses the request (or a
/// match binds it).
fn local_for(field: &str, locals: &mut Namer) -> String {
    let bare = super::naming::unraw(field);
    if HANDLER_LOCALS.contains(&bare) || PLACEHOLDERS.contains(&bare) {
        locals.fresh(&format!("{}_value", stem(field)))
    } else {
        locals.fresh(field)
    }
}

/// `field` or `field: local` in a struct literal.
fn field_init(field: &str, local: &str) -> String {
    if field == local {
        field.to_string()
    } else {
        format!("{field}: {local}")
    }
}

/// Names a handler function must not take: the parameters and locals of `router_with_config`,
/// where handlers are named (`api::<A>` would name the local `api`), and the modules `server.rs`
/// refers to by path (the view detects `models::` in the code it emits).
const HANDLER_NAMES_TAKEN: &[&str] = &["api", "config", "routes", "models", "runtime"];

/// Names `server.rs` imports or defines.
const SERVER_NAMES: &[&str] = &[
    "Api",
    "ApiState",
    "Arc",
    "Bytes",
    "Request",
    "State",
    "StatusCode",
    "IntoResponse",
    "Response",
    "Router",
    "ServerConfig",
    "Validate",
    "router",
    "router_with_config",
    "BASE_PATH",
    "SecurityHooks",
];

#[derive(Debug, Serialize)]
pub(super) struct ServerView {
    /// The base path, as a string literal.
    pub base_path: String,
    pub operations: Vec<OperationView>,
    pub form_bodies: Vec<FormBodyView>,
    pub routes: Vec<RouteView>,
    /// Which imports and shared state the generated code uses, so that there are no others.
    pub has_handlers: bool,
    pub reads_body: bool,
    pub uses_bytes: bool,
    pub uses_status_code: bool,
    pub uses_models: bool,
    pub uses_btree_map: bool,
    /// What enforces the spec's security, when an operation requires credentials.
    pub security: Option<SecurityView>,
    /// Whether a routed handler calls the hooks (`SecurityHooks`, the realm).
    pub calls_hooks: bool,
}

/// The security of the API: the schemes and each operation's requirements as statics (the
/// table middleware reads), and a hook per scheme on the `Api` trait.
#[derive(Debug, Serialize)]
pub(super) struct SecurityView {
    /// The realm of `WWW-Authenticate` challenges (the API's title), as a string literal.
    pub realm: String,
    pub schemes: Vec<SchemeView>,
    pub operations: Vec<OperationSecurityView>,
    pub hooks: Vec<HookView>,
}

#[derive(Debug, Serialize)]
pub(super) struct SchemeView {
    pub doc_attrs: Vec<String>,
    /// `SCHEME_API_KEY`.
    pub ident: String,
    /// `runtime::SecurityScheme { .. }`.
    pub value: String,
}

#[derive(Debug, Serialize)]
pub(super) struct OperationSecurityView {
    pub doc_attrs: Vec<String>,
    /// `SECURITY_GET_PET`.
    pub ident: String,
    /// `runtime::OperationSecurity { .. }`.
    pub value: String,
}

/// A trait method checking the credentials of one scheme, and the match arm calling it.
#[derive(Debug, Serialize)]
pub(super) struct HookView {
    pub doc_attrs: Vec<String>,
    pub method: String,
    /// `token: &str, scopes: &'static [&'static str]`.
    pub params: String,
    /// `token, scopes`: what the default implementation ignores.
    pub args: String,
    /// `(\"bearer\", runtime::Credential::Token(token)) => Api::authenticate_bearer(self.0, token, scopes).await`.
    pub arm: String,
}

#[derive(Debug, Serialize)]
pub(super) struct OperationView {
    pub doc_attrs: Vec<String>,
    pub method: String,
    pub request_type: String,
    pub request_doc_attrs: Vec<String>,
    pub request_fields: Vec<FieldView>,
    pub response_type: String,
    pub response_doc_attrs: Vec<String>,
    pub variants: Vec<VariantView>,
    pub routed: bool,
    pub handler: String,
    /// The handler's statements up to the call of the trait method.
    pub handler_lines: Vec<String>,
    /// The fields of the request struct literal.
    pub construct: String,
    /// The type of the handler's context argument.
    pub context_type: String,
    /// The principals the context gets: `principals` or `Vec::new()`.
    pub principals: String,
}

#[derive(Debug, Serialize)]
pub(super) struct FieldView {
    pub doc_attrs: Vec<String>,
    pub ident: String,
    pub ty: String,
}

#[derive(Debug, Serialize)]
pub(super) struct VariantView {
    pub doc_attrs: Vec<String>,
    /// The variant as declared: `NoContent`, `Ok(Vec<models::Pet>)`, `Ok { body: .., .. }`.
    pub decl: String,
    /// The match pattern binding its fields.
    pub pattern: String,
    /// Statements building the response; the last is its value.
    pub lines: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(super) struct FormBodyView {
    pub doc_attrs: Vec<String>,
    pub name: String,
    pub fields: Vec<FieldView>,
}

#[derive(Debug, Serialize)]
pub(super) struct RouteView {
    pub path: String,
    pub method_router: String,
}

/// The code of the view without its doc comments, as text: what the imports are read off. A
/// description saying `fileSizeInBytes` must not import `Bytes` (an unused import, which
/// `-D warnings` refuses).
fn code_text(view: &ServerView) -> String {
    fn strip_docs(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.retain(|key, _| !key.ends_with("doc_attrs"));
                map.values_mut().for_each(strip_docs);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip_docs),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(view).unwrap_or_default();
    strip_docs(&mut value);
    value.to_string()
}

/// Whether `text` names `ident` as a whole identifier (not `fileSizeInBytes`, not `Bytes2`).
fn names_ident(text: &str, ident: &str) -> bool {
    let is_ident_char = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(ident).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + ident.len()..].chars().next();
        !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
    })
}

/// How a request or response body is carried by the generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Json,
    Form,
    Text,
    Binary,
}

/// The carrier of a body of a declared media type (see [`media::kind_of`]): multipart other
/// than `form-data` has no named fields, so it stays bytes.
fn body_kind(media: &str, kind: MediaKind) -> BodyKind {
    match kind {
        MediaKind::Json | MediaKind::Any => BodyKind::Json,
        MediaKind::Form => BodyKind::Form,
        MediaKind::Multipart if media::essence(media) == "multipart/form-data" => BodyKind::Form,
        MediaKind::Text | MediaKind::EventStream | MediaKind::Xml => BodyKind::Text,
        MediaKind::Multipart | MediaKind::Binary => BodyKind::Binary,
    }
}

/// The runtime function accepting a request `Content-Type` of a body's kind.
fn accepts_expr(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Xml => "runtime::is_xml",
        MediaKind::Json | MediaKind::Any => "runtime::is_json",
        _ => "runtime::is_text",
    }
}

/// The `Content-Type` a response of a declared media type is sent with.
fn concrete_media_type(media: &str, kind: BodyKind) -> String {
    if !media.contains('*') {
        return media.to_string();
    }
    match kind {
        BodyKind::Json => "application/json".into(),
        BodyKind::Text => "text/plain".into(),
        BodyKind::Form | BodyKind::Binary => "application/octet-stream".into(),
    }
}

/// A response variant's name: the status's reason phrase (`NotFound`), `Status2xx`, `Default`.
fn status_variant(status: StatusCode) -> String {
    match status {
        StatusCode::Code(code) => match reason_phrase(code) {
            Some((_, reason)) => reason.to_string(),
            None => format!("Status{code}"),
        },
        StatusCode::Range(digit) => format!("Status{digit}xx"),
        StatusCode::Default => "Default".to_string(),
    }
}

/// The expression of a fixed status: an `http` constant where there is one.
fn status_expr(code: u16) -> String {
    match reason_phrase(code) {
        Some((constant, _)) => format!("StatusCode::{constant}"),
        None => format!("runtime::status({code})"),
    }
}

fn reason_phrase(code: u16) -> Option<(&'static str, &'static str)> {
    Some(match code {
        100 => ("CONTINUE", "Continue"),
        101 => ("SWITCHING_PROTOCOLS", "SwitchingProtocols"),
        200 => ("OK", "Ok"),
        201 => ("CREATED", "Created"),
        202 => ("ACCEPTED", "Accepted"),
        203 => (
            "NON_AUTHORITATIVE_INFORMATION",
            "NonAuthoritativeInformation",
        ),
        204 => ("NO_CONTENT", "NoContent"),
        205 => ("RESET_CONTENT", "ResetContent"),
        206 => ("PARTIAL_CONTENT", "PartialContent"),
        207 => ("MULTI_STATUS", "MultiStatus"),
        300 => ("MULTIPLE_CHOICES", "MultipleChoices"),
        301 => ("MOVED_PERMANENTLY", "MovedPermanently"),
        302 => ("FOUND", "Found"),
        303 => ("SEE_OTHER", "SeeOther"),
        304 => ("NOT_MODIFIED", "NotModified"),
        307 => ("TEMPORARY_REDIRECT", "TemporaryRedirect"),
        308 => ("PERMANENT_REDIRECT", "PermanentRedirect"),
        400 => ("BAD_REQUEST", "BadRequest"),
        401 => ("UNAUTHORIZED", "Unauthorized"),
        402 => ("PAYMENT_REQUIRED", "PaymentRequired"),
        403 => ("FORBIDDEN", "Forbidden"),
        404 => ("NOT_FOUND", "NotFound"),
        405 => ("METHOD_NOT_ALLOWED", "MethodNotAllowed"),
        406 => ("NOT_ACCEPTABLE", "NotAcceptable"),
        407 => (
            "PROXY_AUTHENTICATION_REQUIRED",
            "ProxyAuthenticationRequired",
        ),
        408 => ("REQUEST_TIMEOUT", "RequestTimeout"),
        409 => ("CONFLICT", "Conflict"),
        410 => ("GONE", "Gone"),
        411 => ("LENGTH_REQUIRED", "LengthRequired"),
        412 => ("PRECONDITION_FAILED", "PreconditionFailed"),
        413 => ("PAYLOAD_TOO_LARGE", "PayloadTooLarge"),
        414 => ("URI_TOO_LONG", "UriTooLong"),
        415 => ("UNSUPPORTED_MEDIA_TYPE", "UnsupportedMediaType"),
        416 => ("RANGE_NOT_SATISFIABLE", "RangeNotSatisfiable"),
        417 => ("EXPECTATION_FAILED", "ExpectationFailed"),
        418 => ("IM_A_TEAPOT", "ImATeapot"),
        422 => ("UNPROCESSABLE_ENTITY", "UnprocessableEntity"),
        423 => ("LOCKED", "Locked"),
        424 => ("FAILED_DEPENDENCY", "FailedDependency"),
        426 => ("UPGRADE_REQUIRED", "UpgradeRequired"),
        428 => ("PRECONDITION_REQUIRED", "PreconditionRequired"),
        429 => ("TOO_MANY_REQUESTS", "TooManyRequests"),
        431 => (
            "REQUEST_HEADER_FIELDS_TOO_LARGE",
            "RequestHeaderFieldsTooLarge",
        ),
        451 => (
            "UNAVAILABLE_FOR_LEGAL_REASONS",
            "UnavailableForLegalReasons",
        ),
        500 => ("INTERNAL_SERVER_ERROR", "InternalServerError"),
        501 => ("NOT_IMPLEMENTED", "NotImplemented"),
        502 => ("BAD_GATEWAY", "BadGateway"),
        503 => ("SERVICE_UNAVAILABLE", "ServiceUnavailable"),
        504 => ("GATEWAY_TIMEOUT", "GatewayTimeout"),
        505 => ("HTTP_VERSION_NOT_SUPPORTED", "HttpVersionNotSupported"),
        507 => ("INSUFFICIENT_STORAGE", "InsufficientStorage"),
        511 => (
            "NETWORK_AUTHENTICATION_REQUIRED",
            "NetworkAuthenticationRequired",
        ),
        _ => return None,
    })
}

fn style_expr(style: ParameterStyle) -> &'static str {
    match style {
        ParameterStyle::Matrix => "runtime::Style::Matrix",
        ParameterStyle::Label => "runtime::Style::Label",
        ParameterStyle::Simple => "runtime::Style::Simple",
        ParameterStyle::Form => "runtime::Style::Form",
        ParameterStyle::SpaceDelimited => "runtime::Style::SpaceDelimited",
        ParameterStyle::PipeDelimited => "runtime::Style::PipeDelimited",
        ParameterStyle::DeepObject => "runtime::Style::DeepObject",
    }
}

/// The axum route of a path template, its parameters renamed by position (`/pets/{p0}`) so
/// that templates naming the same position differently (`/a/{id}`, `/a/{name}/b`) do not
/// conflict; `None` when axum cannot route it (a parameter with a suffix in its segment).
fn axum_route(template: &str) -> Option<(String, Vec<String>)> {
    if !template.starts_with('/') {
        return None;
    }
    let mut names = Vec::new();
    let mut segments = Vec::new();
    for segment in template.split('/') {
        match segment.find('{') {
            None if !segment.contains('}') => segments.push(segment.to_string()),
            None => return None,
            Some(open) => {
                let rest = &segment[open + 1..];
                let close = rest.find('}')?;
                if close + 1 != rest.len()
                    || rest[..close].is_empty()
                    || segment[..open].contains(['{', '}', '*'])
                {
                    return None;
                }
                segments.push(format!("{}{{p{}}}", &segment[..open], names.len()));
                names.push(rest[..close].to_string());
            }
        }
    }
    Some((segments.join("/"), names))
}

fn routing_call(method: Method, first: bool, handler: &str) -> Option<String> {
    // axum has no method router for QUERY: such operations are reported, not routed.
    if method == Method::Query {
        return None;
    }
    let name = method.key();
    Some(if first {
        format!("axum::routing::{name}({handler}::<A>)")
    } else {
        format!(".{name}({handler}::<A>)")
    })
}

pub(super) struct ServerBuilder<'t, 'c> {
    contract: &'c Contract,
    types: &'t mut Types<'c>,
    names: Namer,
    methods: Namer,
    handlers: Namer,
    findings: Vec<Finding>,
    form_bodies: Vec<FormBodyView>,
    has_multipart: bool,
    /// Whether an operation requires credentials (then the trait has a `Principal` and hooks).
    has_security: bool,
    /// SCREAMING_CASE names of the security statics.
    statics: Namer,
    /// Scheme name → its static and how its hook takes the credential, in first-use order.
    schemes: IndexMap<&'c str, (String, HookKind)>,
    scheme_views: Vec<SchemeView>,
    operation_security: Vec<OperationSecurityView>,
}

/// How a scheme's credential reaches its hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HookKind {
    Token,
    Basic,
    Http,
    ApiKey,
    Client,
    /// An undeclared scheme, or an API key where none can travel: no hook, never satisfied.
    Unusable,
}

/// The runtime's description of a scheme, how its hook takes the credential, and a note for
/// the implementer.
fn scheme_kind(scheme: Option<&SecurityScheme>) -> (String, HookKind, String) {
    let Some(scheme) = scheme else {
        return (
            "runtime::SchemeKind::Unusable".into(),
            HookKind::Unusable,
            "Not declared in `components.securitySchemes`: requests never satisfy it.".into(),
        );
    };
    match scheme {
        SecurityScheme::Http {
            scheme,
            bearer_format,
            ..
        } => match scheme.to_ascii_lowercase().as_str() {
            "bearer" => (
                "runtime::SchemeKind::Bearer".into(),
                HookKind::Token,
                match bearer_format {
                    Some(format) => format!("HTTP bearer token (`Authorization: Bearer ...`, {format})."),
                    None => "HTTP bearer token (`Authorization: Bearer ...`).".into(),
                },
            ),
            "basic" => (
                "runtime::SchemeKind::Basic".into(),
                HookKind::Basic,
                "HTTP Basic (`Authorization: Basic base64(user:password)`).".into(),
            ),
            _ => (
                format!("runtime::SchemeKind::Http({})", string_literal(scheme)),
                HookKind::Http,
                format!("HTTP `{scheme}` (`Authorization: {scheme} ...`): the hook gets what follows the scheme's name."),
            ),
        },
        SecurityScheme::ApiKey { name, location, .. } => {
            let (location, name) = match location {
                ParameterLocation::Header => ("Header", name.to_ascii_lowercase()),
                ParameterLocation::Query => ("Query", name.clone()),
                ParameterLocation::Cookie => ("Cookie", name.clone()),
                ParameterLocation::Path | ParameterLocation::QueryString => {
                    return (
                        "runtime::SchemeKind::Unusable".into(),
                        HookKind::Unusable,
                        format!("An API key in the {} cannot be read: requests never satisfy it.", location.as_str()),
                    );
                }
            };
            (
                format!(
                    "runtime::SchemeKind::ApiKey(runtime::KeyLocation::{location}, {})",
                    string_literal(&name)
                ),
                HookKind::ApiKey,
                format!("API key in the `{name}` {}.", location.to_ascii_lowercase()),
            )
        }
        SecurityScheme::OAuth2 { .. } => (
            "runtime::SchemeKind::OAuth2".into(),
            HookKind::Token,
            "OAuth 2 access token, sent as a bearer token: check it and its scopes.".into(),
        ),
        SecurityScheme::OpenIdConnect { url, .. } => (
            "runtime::SchemeKind::OpenIdConnect".into(),
            HookKind::Token,
            format!("OpenID Connect ({url}) token, sent as a bearer token."),
        ),
        SecurityScheme::MutualTls { .. } => (
            "runtime::SchemeKind::MutualTls".into(),
            HookKind::Client,
            "Mutual TLS, provided by the layer that terminates TLS: it verifies the client's certificate and puts a `runtime::VerifiedClient` in the request's extensions; requests without one do not satisfy the scheme.".into(),
        ),
    }
}

fn scheme_description(scheme: Option<&SecurityScheme>) -> Option<&str> {
    match scheme? {
        SecurityScheme::ApiKey { description, .. }
        | SecurityScheme::Http { description, .. }
        | SecurityScheme::OAuth2 { description, .. }
        | SecurityScheme::OpenIdConnect { description, .. }
        | SecurityScheme::MutualTls { description } => description.as_deref(),
    }
}

/// The SCREAMING_CASE form of an identifier (`r#type` → `TYPE`).
fn screaming(ident: &str) -> String {
    super::naming::unraw(ident).to_ascii_uppercase()
}

impl<'t, 'c> ServerBuilder<'t, 'c> {
    pub(super) fn new(contract: &'c Contract, types: &'t mut Types<'c>) -> ServerBuilder<'t, 'c> {
        let mut names = Namer::pascal();
        names.reserve(super::naming::PRELUDE.iter().copied());
        names.reserve(SERVER_NAMES.iter().copied());
        let mut handlers = Namer::snake();
        handlers.reserve(SERVER_NAMES.iter().copied());
        handlers.reserve(HANDLER_NAMES_TAKEN.iter().copied());
        ServerBuilder {
            contract,
            types,
            names,
            methods: Namer::snake(),
            handlers,
            findings: Vec::new(),
            form_bodies: Vec::new(),
            has_multipart: false,
            has_security: false,
            statics: {
                let mut statics = Namer::snake();
                statics.reserve(["base_path", "security_realm", "operation_security"]);
                statics
            },
            schemes: IndexMap::new(),
            scheme_views: Vec::new(),
            operation_security: Vec::new(),
        }
    }

    /// The static of a scheme, declared on first use.
    fn scheme_static(&mut self, op: &Operation, name: &'c str) -> String {
        if let Some((ident, _)) = self.schemes.get(name) {
            return ident.clone();
        }
        let scheme = self.contract.security_schemes.get(name);
        let (kind, hook, note) = scheme_kind(scheme);
        if hook == HookKind::Unusable {
            self.finding(
                op,
                format!(
                    "security scheme `{name}`: {note} Operations requiring it refuse every request."
                ),
            );
        }
        let ident = screaming(&self.statics.fresh(&snake_ident(&format!("scheme {name}"))));
        let description = scheme_description(scheme).unwrap_or("").trim();
        self.scheme_views.push(SchemeView {
            doc_attrs: doc_attrs(&format!(
                "The security scheme `{name}`: {note}\n\n{description}"
            )),
            ident: ident.clone(),
            value: format!(
                "runtime::SecurityScheme {{ name: {}, kind: {kind} }}",
                string_literal(name)
            ),
        });
        self.schemes.insert(name, (ident.clone(), hook));
        ident
    }

    /// The static describing an operation's security; whether it requires credentials.
    fn operation_security(
        &mut self,
        op: &'c Operation,
        handler: &str,
        security: &[SecurityAlternative<'c>],
    ) -> (String, bool) {
        let mut requirements = Vec::new();
        for alternative in security {
            let schemes: Vec<String> = alternative
                .schemes
                .iter()
                .map(|used| {
                    let ident = self.scheme_static(op, used.name);
                    let scopes: Vec<String> =
                        used.scopes.iter().map(|s| string_literal(s)).collect();
                    format!(
                        "runtime::SchemeRequirement {{ scheme: &{ident}, scopes: &[{}] }}",
                        scopes.join(", ")
                    )
                })
                .collect();
            requirements.push(format!("&[{}]", schemes.join(", ")));
        }
        let ident = screaming(
            &self
                .statics
                .fresh(&snake_ident(&format!("security {}", stem(handler)))),
        );
        let operation = op.operation_id.clone().unwrap_or_else(|| op.label());
        let method = op.method.key().to_ascii_uppercase();
        self.operation_security.push(OperationSecurityView {
            doc_attrs: doc_attrs(&format!("The security of `{}`.", op.label())),
            ident: ident.clone(),
            value: format!(
                "runtime::OperationSecurity {{ operation: {}, method: {}, path: {}, requirements: &[{}] }}",
                string_literal(&operation),
                string_literal(&method),
                string_literal(&op.path),
                requirements.join(", ")
            ),
        });
        let requires = security.iter().any(|a| !a.schemes.is_empty());
        (ident, requires)
    }

    /// A hook on the trait per usable scheme, named after it.
    fn hooks(&mut self) -> Vec<HookView> {
        let schemes: Vec<(&'c str, HookKind)> = self
            .schemes
            .iter()
            .map(|(name, (_, hook))| (*name, *hook))
            .collect();
        let mut hooks = Vec::new();
        for (name, hook) in schemes {
            let (params, args, credential, call) = match hook {
                HookKind::Token => (
                    "token: &str",
                    "token",
                    "runtime::Credential::Token(token)",
                    "token",
                ),
                HookKind::Basic => (
                    "user: &str, password: &str",
                    "user, password",
                    "runtime::Credential::Basic { user, password }",
                    "&user, &password",
                ),
                HookKind::Http => (
                    "credentials: &str",
                    "credentials",
                    "runtime::Credential::Http(credentials)",
                    "credentials",
                ),
                HookKind::ApiKey => (
                    "key: &str",
                    "key",
                    "runtime::Credential::ApiKey(key)",
                    "&key",
                ),
                HookKind::Client => (
                    "client: &runtime::VerifiedClient",
                    "client",
                    "runtime::Credential::Client(client)",
                    "client",
                ),
                HookKind::Unusable => continue,
            };
            let method = self
                .methods
                .fresh(&snake_ident(&format!("authenticate {name}")));
            let scheme = self.contract.security_schemes.get(name);
            let (_, _, note) = scheme_kind(scheme);
            let doc = format!(
                "Checks the credentials of the security scheme `{name}`: {note}\n\n\
                 Return the principal they identify, `Err(AuthError::Unauthenticated)` when they \
                 are not valid (`401`), `Err(AuthError::Forbidden)` when they do not grant \
                 `scopes`, the scopes (or roles) the operation requires (`403`), or \
                 `Err(AuthError::Unavailable)` when they cannot be checked now (`503`). Called \
                 before the handler, only when the request carries the credentials.\n\n\
                 Not implemented, it refuses every request: an implementation that does not \
                 authenticate lets nobody in."
            );
            hooks.push(HookView {
                doc_attrs: doc_attrs(&doc),
                params: format!("{params}, scopes: &'static [&'static str]"),
                args: format!("{args}, scopes"),
                arm: format!(
                    "({}, {credential}) => Api::{method}(self.0, {call}, scopes).await",
                    string_literal(name)
                ),
                method,
            });
        }
        hooks
    }

    fn finding(&mut self, op: &Operation, message: String) {
        let finding = Finding::new(rule::CODEGEN_APPROXIMATION.id, Level::Warning, message)
            .with_operation(op.label())
            .at(self.contract.location(&op.loc));
        self.findings.push(finding);
    }

    /// The view, the findings about what could not be served as declared, and whether a
    /// multipart body is read.
    pub(super) fn build(mut self, wire: &WireContract<'c>) -> (ServerView, Vec<Finding>, bool) {
        let mut operations = Vec::new();
        // axum route → (method, handler) in declaration order.
        let mut routes: IndexMap<String, Vec<(Method, String)>> = IndexMap::new();
        self.has_security = wire
            .operations
            .iter()
            .any(|o| o.security.iter().any(|a| !a.schemes.is_empty()));
        for wire_op in &wire.operations {
            let op = wire_op.operation;
            let mut view = self.operation(wire_op);
            // Served under the base path, where the client calls it (see `model::wire`).
            match axum_route(&format!("{}{}", wire.base_path, op.path)) {
                Some((route, _)) => {
                    let methods = routes.entry(route).or_default();
                    if op.method == Method::Query {
                        self.finding(
                            op,
                            "the QUERY method is not routed: axum cannot route it".into(),
                        );
                    } else if methods.iter().any(|(m, _)| *m == op.method) {
                        self.finding(
                            op,
                            format!(
                                "{} is routed by an earlier operation with an equivalent path",
                                op.label()
                            ),
                        );
                    } else {
                        methods.push((op.method, view.handler.clone()));
                        view.routed = true;
                    }
                }
                None => self.finding(
                    op,
                    format!(
                        "path `{}` cannot be routed by axum: the operation is not served",
                        op.path
                    ),
                ),
            }
            operations.push(view);
        }
        let routes = routes
            .into_iter()
            .filter(|(_, methods)| !methods.is_empty())
            .map(|(path, methods)| {
                let calls: Vec<String> = methods
                    .iter()
                    .enumerate()
                    .filter_map(|(i, (method, handler))| routing_call(*method, i == 0, handler))
                    .collect();
                RouteView {
                    path: string_literal(&path),
                    method_router: calls.concat(),
                }
            })
            .collect();
        let security = self.has_security.then(|| {
            let hooks = self.hooks();
            SecurityView {
                realm: string_literal(self.contract.info.title.trim()),
                schemes: std::mem::take(&mut self.scheme_views),
                operations: std::mem::take(&mut self.operation_security),
                hooks,
            }
        });
        let mut view = ServerView {
            base_path: string_literal(&wire.base_path),
            operations,
            form_bodies: std::mem::take(&mut self.form_bodies),
            routes,
            has_handlers: false,
            reads_body: false,
            uses_bytes: false,
            uses_status_code: false,
            uses_models: false,
            uses_btree_map: false,
            security,
            calls_hooks: false,
        };
        // What the code uses is read off the code itself: exact, and nothing to keep in sync.
        let text = code_text(&view);
        view.has_handlers = view.operations.iter().any(|o| o.routed);
        view.reads_body = text.contains("api_state.config");
        view.uses_bytes = names_ident(&text, "Bytes");
        view.uses_status_code = names_ident(&text, "StatusCode");
        view.uses_models = text.contains("models::");
        view.uses_btree_map = text.contains("BTreeMap<");
        view.calls_hooks = view
            .operations
            .iter()
            .any(|o| o.routed && o.handler_lines.iter().any(|l| l.contains("SecurityHooks(")));
        (view, self.findings, self.has_multipart)
    }

    fn render(&self, ty: &Ty) -> String {
        ty.render(&self.types.defs, "models::")
    }

    fn operation(&mut self, wire: &WireOperation<'c>) -> OperationView {
        let op = wire.operation;
        let base = stem(&pascal_ident(&op.name, "Op")).to_string();
        let request_type = self.names.fresh(&format!("{base}Request"));
        let response_type = self.names.fresh(&format!("{base}Response"));
        let method = self.methods.fresh(&snake_ident(&op.name));
        // Keywords stay raw identifiers (`r#type`): without `r#` they are not names at all.
        let handler = self.handlers.fresh(&snake_ident(&op.name));
        let label = op.label();

        let mut docs = Vec::new();
        if let Some(summary) = &op.summary {
            docs.push(summary.clone());
        }
        if let Some(description) = &op.description {
            docs.push(description.clone());
        }
        let id = op
            .operation_id
            .as_deref()
            .map(|id| format!(" (`{id}`)"))
            .unwrap_or_default();
        let deprecated = if op.deprecated { " Deprecated." } else { "" };
        docs.push(format!("`{label}`{id}.{deprecated}"));
        let method_docs = doc_attrs(&docs.join("\n\n"));

        let mut fields = Namer::snake();
        let mut locals = Namer::snake();
        locals.reserve(HANDLER_LOCALS.iter().copied());
        let mut request_fields = Vec::new();
        let mut handler_lines = Vec::new();
        let mut required = Vec::new();
        let mut construct = Vec::new();

        let path_names = path_template::names(&op.path);
        let uses_path = wire
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Path);
        let uses_query = wire
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Query);
        let body = wire.body.as_ref();
        // The parts end in the handler's context.
        let parts = if uses_path {
            "mut http_parts"
        } else {
            "http_parts"
        };
        let http_body = if body.is_some() {
            "http_body"
        } else {
            "_http_body"
        };
        handler_lines.push(format!(
            "let ({parts}, {http_body}) = request.into_parts();"
        ));
        // Credentials first: a caller who may not call the operation learns nothing about it.
        let mut principals = "Vec::new()".to_string();
        if self.has_security {
            let (security, requires) = self.operation_security(op, &handler, &wire.security);
            if requires {
                handler_lines.push(format!(
                    "let principals = match runtime::authorize(&SecurityHooks(&api_state.api), &http_parts, &{security}, SECURITY_REALM).await {{ Ok(principals) => principals, Err(response) => return response }};"
                ));
                principals = "principals".to_string();
            }
        }
        handler_lines.push("let errors = &mut runtime::Errors::new();".into());
        if uses_path {
            handler_lines.push(
                "let path_params = match runtime::path_params(&mut http_parts).await { Ok(params) => params, Err(response) => return response };".into(),
            );
        }
        if uses_query {
            handler_lines.push(
                "let query_string = runtime::QueryString::parse(http_parts.uri.query());".into(),
            );
        }

        // A body field named `body` when there is a body: reserve it before the parameters.
        // The body's field and local are both `body`: reserved before any parameter.
        let body_ident = body.as_ref().map(|_| locals.fresh(&fields.fresh("body")));

        for wp in &wire.parameters {
            let p = wp.parameter;
            let lower = p.name.to_ascii_lowercase();
            if p.location == ParameterLocation::QueryString {
                self.finding(op, format!("the querystring parameter `{}` is not supported: not passed to the handler", p.name));
                continue;
            }
            let ident = fields.fresh(&snake_ident(&p.name));
            let local = local_for(&ident, &mut locals);
            let hint = format!("{base}{}", pascal_ident(&p.name, "P"));
            let schema = wp.schema;
            // A non-JSON `content` parameter keeps the location's default style.
            let (style, explode) = match wp.serialization {
                _ if wp.serialization.is_json() => ("runtime::Style::Json", p.explode),
                Serialization::Style { style, explode, .. } => (style_expr(style), explode),
                Serialization::Content { .. } => (style_expr(p.style), p.explode),
            };
            let ty = match schema {
                Some(schema) => self.types.ty(schema, Direction::Request, &hint).0,
                None => Ty::String,
            };
            let shape = ty.shape(&self.types.defs);
            let name = string_literal(&p.name);
            let (source, location) = match p.location {
                ParameterLocation::Path => {
                    let position = path_names
                        .iter()
                        .position(|n| *n == p.name)
                        .unwrap_or(usize::MAX);
                    if position == usize::MAX {
                        self.finding(
                            op,
                            format!("path parameter `{}` is not in the path template", p.name),
                        );
                    }
                    (
                        format!(
                            "runtime::path_value(&path_params, \"p{position}\", &{shape}, {style}, {explode})"
                        ),
                        "Path",
                    )
                }
                ParameterLocation::Query => (
                    format!("query_string.value({name}, &{shape}, {style}, {explode})"),
                    "Query",
                ),
                ParameterLocation::Header => {
                    let name = string_literal(&lower);
                    (
                        format!(
                            "runtime::header_value(&http_parts.headers, {name}, &{shape}, {style}, {explode})"
                        ),
                        "Header",
                    )
                }
                ParameterLocation::Cookie => (
                    format!(
                        "runtime::cookie_value(&http_parts.headers, {name}, &{shape}, {style}, {explode})"
                    ),
                    "Cookie",
                ),
                ParameterLocation::QueryString => continue,
            };
            let is_required = wp.required;
            let checks = match schema {
                Some(schema) => self.types.checks(schema, &ty),
                None => Vec::new(),
            };
            let rendered = self.render(&ty);
            let at = format!("&runtime::At::parameter(runtime::Source::{location}, {name})");
            if checks.is_empty() {
                handler_lines.push(format!(
                    "let {local}: Option<{rendered}> = runtime::parameter({source}, {is_required}, {at}, errors);"
                ));
            } else {
                handler_lines.push(format!(
                    "let {local}: Option<{rendered}> = {{ let at = {at}; let value: Option<{rendered}> = runtime::parameter({source}, {is_required}, at, errors); if let Some(value) = &value {{ {} }} value }};",
                    checks.join(" ")
                ));
            }
            let mut doc = p.description.clone().unwrap_or_default();
            let where_ = format!("{} parameter `{}`", p.location.as_str(), p.name);
            doc = if doc.is_empty() {
                format!("The {where_}.")
            } else {
                format!("{doc}\n\nThe {where_}.")
            };
            request_fields.push(FieldView {
                doc_attrs: doc_attrs(&doc),
                ident: ident.clone(),
                ty: if is_required {
                    rendered
                } else {
                    format!("Option<{rendered}>")
                },
            });
            if is_required {
                required.push(local.clone());
            }
            construct.push(field_init(&ident, &local));
        }

        if let (Some(wire_body), Some(ident)) = (body, body_ident) {
            let (request_body, media, media_type, media_kind) = (
                wire_body.body,
                wire_body.media_type,
                wire_body.media,
                wire_body.kind,
            );
            let kind = body_kind(media, media_kind);
            // Per-operation limits are keyed by operationId, or by `METHOD /path` without one.
            let limit_key = string_literal(op.operation_id.as_deref().unwrap_or(&label));
            handler_lines.push(format!("let http_body = match runtime::read_body(http_body, &http_parts.headers, api_state.config.body_limit_for({limit_key})).await {{ Ok(bytes) => bytes, Err(response) => return response }};"));
            let is_required = request_body.required;
            let hint = format!("{base}Body");
            let media_literal = string_literal(media);
            let ty = match kind {
                BodyKind::Json => {
                    let ty = match media_type.schema {
                        Some(schema) => self.types.ty(schema, Direction::Request, &hint).0,
                        None => Ty::Value,
                    };
                    let rendered = self.render(&ty);
                    handler_lines.push(format!(
                        "if let Some(response) = runtime::unsupported_media_type(&http_parts.headers, &http_body, runtime::is_json, {media_literal}) {{ return response; }}"
                    ));
                    let checks = match media_type.schema {
                        Some(schema) => self.types.checks(schema, &ty),
                        None => Vec::new(),
                    };
                    handler_lines.push(format!(
                        "let {ident}: Option<{rendered}> = runtime::json_body(&http_body, {is_required}, errors);"
                    ));
                    if !checks.is_empty() {
                        handler_lines.push(format!(
                            "if let Some(value) = &{ident} {{ let at = &runtime::At::body(); {} }}",
                            checks.join(" ")
                        ));
                    }
                    rendered
                }
                BodyKind::Text => {
                    handler_lines.push(format!(
                        "if let Some(response) = runtime::unsupported_media_type(&http_parts.headers, &http_body, {}, {media_literal}) {{ return response; }}",
                        accepts_expr(media_kind)
                    ));
                    handler_lines.push(format!("let {ident}: Option<String> = runtime::text_body(&http_body, {is_required}, errors);"));
                    "String".to_string()
                }
                BodyKind::Binary => {
                    handler_lines.push(format!("let {ident}: Option<Bytes> = runtime::bytes_body(http_body, {is_required}, errors);"));
                    "Bytes".to_string()
                }
                BodyKind::Form => {
                    if media.to_ascii_lowercase().starts_with("multipart/") {
                        self.has_multipart = true;
                    }
                    self.form_body(
                        op,
                        &base,
                        &ident,
                        media_type,
                        is_required,
                        &mut handler_lines,
                    )
                }
            };
            let doc = request_body
                .description
                .clone()
                .unwrap_or_else(|| "The request body.".to_string());
            request_fields.push(FieldView {
                doc_attrs: doc_attrs(&format!("{doc}\n\nSent as `{media}`.")),
                ident: ident.clone(),
                ty: if is_required {
                    ty
                } else {
                    format!("Option<{ty}>")
                },
            });
            if is_required {
                required.push(ident.clone());
            }
            construct.push(ident);
        }

        // Answer only what the spec declares: a malformed path parameter of an operation that
        // declares a 404 and no 400 (nor 4XX, nor default) names no resource.
        let declares =
            |wanted: fn(&StatusCode) -> bool| wire.responses.iter().any(|r| wanted(&r.status));
        let path_errors_are_404 = op
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Path)
            && declares(|s| *s == StatusCode::Code(404))
            && !declares(|s| {
                matches!(
                    s,
                    StatusCode::Code(400) | StatusCode::Range(4) | StatusCode::Default
                )
            });
        handler_lines.push(if path_errors_are_404 {
            "if let Some(response) = errors.response_or_not_found() { return response; }".into()
        } else {
            "if let Some(response) = errors.response() { return response; }".into()
        });
        for ident in &required {
            handler_lines.push(format!(
                "let Some({ident}) = {ident} else {{ return runtime::invalid_request(); }};"
            ));
        }

        let variants = self.responses(wire, &base);
        OperationView {
            doc_attrs: method_docs,
            method,
            request_doc_attrs: doc_attrs(&format!("The input of `{label}`, parsed and validated.")),
            request_type,
            request_fields,
            response_doc_attrs: doc_attrs(&format!(
                "The responses `{label}` declares: a handler can return only these."
            )),
            response_type,
            variants,
            routed: false,
            handler,
            handler_lines,
            construct: construct.join(", "),
            context_type: if self.has_security {
                "runtime::RequestContext<Self::Principal>".into()
            } else {
                "runtime::RequestContext".into()
            },
            principals,
        }
    }

    /// A struct for a form body, and the statements reading it into the variable `ident`.
    fn form_body(
        &mut self,
        op: &Operation,
        base: &str,
        ident: &str,
        media_type: &MediaType,
        is_required: bool,
        lines: &mut Vec<String>,
    ) -> String {
        let merged = media_type
            .schema
            .map(|s| self.types.merge(s, Direction::Request))
            .filter(|m| !m.props.is_empty());
        let read = format!(
            "let {ident} = match runtime::FormFields::read(&http_parts, http_body).await {{ Err(response) => return response, Ok(None) => {{ runtime::missing_body({is_required}, errors); None }}, Ok(Some(form_fields)) => {{"
        );
        let Some(merged) = merged else {
            lines.push(format!("{read} Some(form_fields) }} }};"));
            return "runtime::FormFields".to_string();
        };
        let name = self.names.fresh(&format!("{base}Body"));
        let mut idents = Namer::snake();
        let mut locals = Namer::snake();
        locals.reserve(HANDLER_LOCALS.iter().copied());
        let mut fields = Vec::new();
        let mut statements = Vec::new();
        let mut bindings = Vec::new();
        let mut inits = Vec::new();
        let mut patterns = Vec::new();
        let mut any_required = false;
        for (wire, prop) in &merged.props {
            let field = idents.fresh(&snake_ident(wire));
            let local = local_for(&field, &mut locals);
            let required = merged.required.contains(wire);
            let wire_literal = string_literal(wire);
            let binary = self.is_binary(
                *prop,
                media_type
                    .encoding
                    .get(wire)
                    .and_then(|e| e.content_type.as_deref()),
            );
            let ty = if binary {
                statements.push(format!("let {local} = runtime::form_bytes(&form_fields, {wire_literal}, {required}, errors);"));
                "Bytes".to_string()
            } else {
                let hint = format!("{name}{}", pascal_ident(wire, "Field"));
                let (ty, _) = self.types.ty(*prop, Direction::Request, &hint);
                let shape = ty.shape(&self.types.defs);
                let checks = self.types.checks(*prop, &ty);
                let rendered = self.render(&ty);
                let at = format!("&runtime::At::body().child({wire_literal})");
                let source = format!("form_fields.value({wire_literal}, &{shape})");
                if checks.is_empty() {
                    statements.push(format!("let {local}: Option<{rendered}> = runtime::parameter({source}, {required}, {at}, errors);"));
                } else {
                    statements.push(format!(
                        "let {local}: Option<{rendered}> = {{ let at = {at}; let value: Option<{rendered}> = runtime::parameter({source}, {required}, at, errors); if let Some(value) = &value {{ {} }} value }};",
                        checks.join(" ")
                    ));
                }
                rendered
            };
            let p = self.types.space().get(*prop);
            let doc = p
                .description
                .clone()
                .or_else(|| p.title.clone())
                .unwrap_or_default();
            fields.push(FieldView {
                doc_attrs: doc_attrs(&doc),
                ident: field.clone(),
                ty: if required {
                    ty
                } else {
                    format!("Option<{ty}>")
                },
            });
            inits.push(field_init(&field, &local));
            bindings.push(local.clone());
            patterns.push(if required {
                format!("Some({local})")
            } else {
                local.clone()
            });
            any_required |= required;
        }
        let construct = format!("{name} {{ {} }}", inits.join(", "));
        let result = if any_required {
            format!(
                "if let ({},) = ({},) {{ Some({construct}) }} else {{ None }}",
                patterns.join(", "),
                bindings.join(", ")
            )
        } else {
            format!("Some({construct})")
        };
        lines.push(format!("{read} {} {result} }} }};", statements.join(" ")));
        let doc = format!("The form body of `{}`.", op.label());
        self.form_bodies.push(FormBodyView {
            doc_attrs: doc_attrs(&doc),
            name: name.clone(),
            fields,
        });
        name
    }

    /// Whether a form field is a file: a binary string, or an encoding that is not text.
    fn is_binary(&self, prop: SchemaId, content_type: Option<&str>) -> bool {
        let space = self.types.space();
        let s = space.get(space.resolve_alias(prop).0);
        let binary_format = s.format.as_deref() == Some("binary");
        let string = s
            .types
            .as_ref()
            .is_none_or(|t| t.contains(&InstanceType::String));
        let encoded = content_type.is_some_and(|c| !c.starts_with("text/") && !media::is_json(c));
        string && (binary_format || encoded || s.rare().content_media_type.is_some())
    }

    fn responses(&mut self, wire: &WireOperation<'c>, base: &str) -> Vec<VariantView> {
        let mut variant_names = Namer::pascal();
        let mut variants = Vec::new();
        for wire_response in &wire.responses {
            let response = wire_response.response;
            let ident = variant_names.fresh(&status_variant(response.status));
            let mut names = Namer::snake();
            // (field, type, the binding a match gives it)
            let mut members: Vec<(String, String, String)> = Vec::new();
            let mut bindings = Namer::snake();
            bindings.reserve(["response", "status", "body"]);
            let fixed = match response.status {
                StatusCode::Code(code) => Some(code),
                StatusCode::Range(_) | StatusCode::Default => None,
            };
            let status = match fixed {
                Some(code) => status_expr(code),
                None => {
                    members.push((
                        names.fresh("status"),
                        "StatusCode".to_string(),
                        "status".to_string(),
                    ));
                    "status".to_string()
                }
            };
            let mut lines = Vec::new();
            let body = wire_response
                .preferred()
                .map(|m| (m.media_type, m.media, body_kind(m.media_type, m.kind)));
            let body_expr = match body {
                None => format!("runtime::empty_response({status})"),
                Some((media, media_type, kind)) => {
                    let field = names.fresh("body");
                    let content_type = string_literal(&concrete_media_type(media, kind));
                    let (ty, expr) = match kind {
                        BodyKind::Json | BodyKind::Form => {
                            let ty = match media_type.schema {
                                Some(schema) => {
                                    let (ty, null) = self.types.ty(
                                        schema,
                                        Direction::Response,
                                        &format!("{base}{ident}Body"),
                                    );
                                    if null { ty.option() } else { ty }
                                }
                                None => Ty::Value,
                            };
                            (
                                self.render(&ty),
                                format!(
                                    "runtime::json_response({status}, {content_type}, &{field})"
                                ),
                            )
                        }
                        BodyKind::Text => (
                            "String".to_string(),
                            format!(
                                "runtime::bytes_response({status}, {content_type}, Bytes::from({field}))"
                            ),
                        ),
                        BodyKind::Binary => (
                            "Bytes".to_string(),
                            format!("runtime::bytes_response({status}, {content_type}, {field})"),
                        ),
                    };
                    members.push((field.clone(), ty, field));
                    expr
                }
            };
            let mut header_lines = Vec::new();
            let mut header_docs = Vec::new();
            for &(name, header) in &wire_response.headers {
                let field = names.fresh(&snake_ident(name));
                let bare = super::naming::unraw(&field);
                let binding = if PLACEHOLDERS.contains(&bare)
                    || ["response", "status", "body"].contains(&bare)
                {
                    bindings.fresh(&format!("{}_value", stem(&field)))
                } else {
                    bindings.fresh(&field)
                };
                let ty = match header.schema {
                    Some(schema) => {
                        self.types
                            .ty(
                                schema,
                                Direction::Response,
                                &format!("{base}{ident}{}", pascal_ident(name, "H")),
                            )
                            .0
                    }
                    None => Ty::String,
                };
                let rendered = self.render(&ty);
                header_lines.push(format!(
                    "runtime::set_header(&mut response, {}, &{binding});",
                    string_literal(&name.to_ascii_lowercase())
                ));
                let description = header.description.as_deref().unwrap_or("");
                header_docs.push(format!("- `{field}`: the `{name}` header. {description}"));
                members.push((
                    field,
                    if header.required {
                        rendered
                    } else {
                        format!("Option<{rendered}>")
                    },
                    binding,
                ));
            }
            if header_lines.is_empty() {
                lines.push(body_expr);
            } else {
                lines.push(format!("let mut response = {body_expr};"));
                lines.extend(header_lines);
                lines.push("response".to_string());
            }
            let only_body = members.len() == 1
                && body.is_some()
                && fixed.is_some()
                && wire_response.headers.is_empty();
            let (decl, pattern) = if members.is_empty() {
                (ident.clone(), format!("Self::{ident}"))
            } else if only_body {
                (
                    format!("{ident}({})", members[0].1),
                    format!("Self::{ident}({})", members[0].2),
                )
            } else {
                let decl: Vec<String> = members
                    .iter()
                    .map(|(f, t, _)| format!("{f}: {t}"))
                    .collect();
                let bind: Vec<String> = members.iter().map(|(f, _, b)| field_init(f, b)).collect();
                (
                    format!("{ident} {{ {} }}", decl.join(", ")),
                    format!("Self::{ident} {{ {} }}", bind.join(", ")),
                )
            };
            let mut doc = format!(
                "`{}`: {}",
                response.status,
                response.description.as_deref().unwrap_or("").trim()
            );
            if let Some((media, _, _)) = body {
                doc.push_str(&format!("\n\nBody: `{media}`."));
            }
            if !header_docs.is_empty() {
                doc.push_str(&format!("\n\nHeaders:\n{}", header_docs.join("\n")));
            }
            variants.push(VariantView {
                doc_attrs: doc_attrs(&doc),
                decl,
                pattern,
                lines,
            });
        }
        variants
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_positional_and_refuse_what_axum_cannot_route() {
        assert_eq!(
            axum_route("/pets/{petId}"),
            Some(("/pets/{p0}".to_string(), vec!["petId".to_string()]))
        );
        assert_eq!(
            axum_route("/a/{x}/b/v{y}"),
            Some((
                "/a/{p0}/b/v{p1}".to_string(),
                vec!["x".to_string(), "y".to_string()]
            ))
        );
        assert_eq!(axum_route("/files/{name}.json"), None);
        assert_eq!(axum_route("/a/{x}-{y}"), None);
        assert_eq!(axum_route("pets"), None);
        assert_eq!(axum_route("/"), Some(("/".to_string(), vec![])));
    }

    /// The imports are read off the code, not its docs: a description that says
    /// `fileSizeInBytes` imported `axum::body::Bytes` unused (od-atlassian-jira failed clippy).
    #[test]
    fn imports_follow_the_code_not_the_docs() {
        let yaml = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items:
    post:
      description: "const fileSizeInBytes = stats.size;"
      requestBody:
        content:
          application/json: {schema: {type: object, properties: {n: {type: integer}}}}
      responses:
        '200': {description: ok}
"#;
        let documents = crate::load::Documents::from_bytes(
            crate::load::Origin::Path("spec.yaml".into()),
            yaml.as_bytes(),
            &crate::load::LoadOptions::default(),
        )
        .expect("the test spec loads");
        let contract = crate::model::build_contract(documents).expect("the test spec builds");
        let generated = super::super::generate(&contract, &Default::default()).expect("generates");
        let server = generated.files.get("src/server.rs").expect("a server");
        assert!(server.contains("fileSizeInBytes"), "{server}");
        assert!(!server.contains("use axum::body::Bytes;"), "{server}");

        assert!(names_ident("x: Bytes,", "Bytes"));
        assert!(names_ident("Option<Bytes>", "Bytes"));
        assert!(!names_ident("fileSizeInBytes", "Bytes"));
        assert!(!names_ident("Bytes2 BytesX", "Bytes"));
    }

    /// The operation's `security` replaces the document's; `security: []` opens an operation
    /// (no check before its handler); an undeclared scheme is said, and never satisfied.
    #[test]
    fn operation_security_overrides_the_documents() {
        let yaml = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
security: [{key: []}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    token: {type: http, scheme: bearer}
paths:
  /default:
    get: {operationId: inherits, responses: {'200': {description: ok}}}
  /own:
    get: {operationId: own, security: [{token: [read]}, {ghost: []}], responses: {'200': {description: ok}}}
  /open:
    get: {operationId: open, security: [], responses: {'200': {description: ok}}}
"#;
        let documents = crate::load::Documents::from_bytes(
            crate::load::Origin::Path("spec.yaml".into()),
            yaml.as_bytes(),
            &crate::load::LoadOptions::default(),
        )
        .expect("the test spec loads");
        let contract = crate::model::build_contract(documents).expect("the test spec builds");
        let generated = super::super::generate(&contract, &Default::default()).expect("generates");
        let server = generated.files.get("src/server.rs").expect("a server");
        let handler = |name: &str| {
            let start = server
                .find(&format!("async fn {name}<A: Api>"))
                .expect(name);
            let end = server[start..]
                .find("\n}\n")
                .map_or(server.len(), |e| start + e);
            server[start..end].to_string()
        };
        assert!(
            handler("inherits").contains("&SECURITY_INHERITS"),
            "{server}"
        );
        assert!(handler("own").contains("&SECURITY_OWN"), "{server}");
        assert!(!handler("open").contains("runtime::authorize"), "{server}");
        let own = server.find("pub static SECURITY_OWN").expect("the static");
        let own = &server[own..own + 600];
        assert!(
            own.contains("scheme: &SCHEME_TOKEN") && own.contains("scopes: &[\"read\"]"),
            "{own}"
        );
        assert!(!own.contains("SCHEME_KEY"), "{own}");
        assert!(server.contains("SchemeKind::Unusable"), "{server}");
        assert!(
            server.contains("fn authenticate_key(") && server.contains("fn authenticate_token(")
        );
        assert!(!server.contains("fn authenticate_ghost("));
        assert!(
            generated
                .findings
                .iter()
                .any(|f| f.message.contains("security scheme `ghost`")),
            "{:?}",
            generated.findings
        );
    }

    /// Only schemes that cannot be checked: the hooks' dispatcher is no one-arm `match`
    /// (clippy's match_single_binding) and reads its field (dead_code); clippy on such a crate
    /// failed before.
    #[test]
    fn security_with_no_checkable_scheme_still_lints_clean() {
        let yaml = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get: {operationId: a, security: [{ghost: []}], responses: {'200': {description: ok}}}
"#;
        let documents = crate::load::Documents::from_bytes(
            crate::load::Origin::Path("spec.yaml".into()),
            yaml.as_bytes(),
            &crate::load::LoadOptions::default(),
        )
        .expect("the test spec loads");
        let contract = crate::model::build_contract(documents).expect("the test spec builds");
        let generated = super::super::generate(&contract, &Default::default()).expect("generates");
        let server = generated.files.get("src/server.rs").expect("a server");
        assert!(
            server.contains("let _ = (self.0, scheme, credential, scopes);"),
            "{server}"
        );
        assert!(
            !server.contains("match (scheme.name, credential)"),
            "{server}"
        );
        assert!(server.contains("type Principal"), "{server}");
    }

    #[test]
    fn status_names() {
        assert_eq!(status_variant(StatusCode::Code(404)), "NotFound");
        assert_eq!(status_variant(StatusCode::Code(299)), "Status299");
        assert_eq!(status_variant(StatusCode::Range(2)), "Status2xx");
        assert_eq!(status_expr(299), "runtime::status(299)");
    }
}
