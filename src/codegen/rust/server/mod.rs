//! The server side of the view model: per operation a trait method, a request struct (path,
//! query, header and cookie parameters, body), a response enum with one variant per declared
//! status, and the handler that parses, validates and dispatches; the routes.

mod code_names;
mod handler;
mod responses;
pub(super) use responses::status_variant;
mod security;
mod view;

use crate::catalogue::check::generate as rule;
use indexmap::IndexMap;

use super::models::{Ty, Types};
use super::naming::{Namer, string_literal};
use crate::model::media::{self, MediaKind};
use crate::model::wire::WireContract;
use crate::model::{Contract, Method, Operation};
use crate::report::{Finding, Level};
use security::HookKind;
pub(super) use view::ServerView;
use view::{
    FormBodyView, OperationSecurityView, RouteMethodView, RouteView, SchemeView, SecurityView,
};

/// Names clippy rejects for bindings (`disallowed_names`).
const PLACEHOLDERS: &[&str] = &["foo", "baz", "quux"];

/// Names a handler function must not take: the parameters and locals of `router_with_config`,
/// where handlers are named (`api::<A>` would name the local `api`), and the modules `server.rs`
/// refers to by path (the view detects `models::` in the code it emits).
const HANDLER_NAMES_TAKEN: &[&str] = &["api", "config", "routes", "models", "runtime"];

/// The `Api` trait's own methods, which an operation's method must not take.
const TRAIT_METHODS: &[&str] = &["error_response"];

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

/// The handlers of a route's methods; axum has no method router for QUERY (such operations
/// are reported, not routed).
fn route_methods(methods: &[(Method, String)]) -> Vec<RouteMethodView> {
    methods
        .iter()
        .filter(|(method, _)| *method != Method::Query)
        .map(|(method, handler)| RouteMethodView {
            method: method.key(),
            handler: handler.clone(),
        })
        .collect()
}

pub(super) struct ServerBuilder<'t, 'c> {
    contract: &'c Contract,
    types: &'t mut Types<'c>,
    names: Namer,
    methods: Namer,
    handlers: Namer,
    findings: Vec<Finding>,
    form_bodies: Vec<FormBodyView>,
    /// The body enums of the operation being built (see [`view::BodyChoiceView`]).
    body_choices: Vec<view::BodyChoiceView>,
    has_multipart: bool,
    /// Whether an operation requires credentials (then the trait has a `Principal` and hooks).
    has_security: bool,
    /// SCREAMING_CASE names of the security statics.
    statics: Namer,
    /// Scheme name → its static and how its hook takes the credential, in first-use order.
    schemes: IndexMap<&'c str, (String, HookKind)>,
    scheme_views: Vec<SchemeView>,
    operation_security: Vec<OperationSecurityView>,
    /// Whether trait methods get a default body answering `501` (`--default-not-implemented`).
    default_not_implemented: bool,
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
            methods: {
                let mut methods = Namer::snake();
                methods.reserve(TRAIT_METHODS.iter().copied());
                methods
            },
            handlers,
            findings: Vec::new(),
            form_bodies: Vec::new(),
            body_choices: Vec::new(),
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
            default_not_implemented: false,
        }
    }

    /// Gives every operation method a default body answering `501 Not Implemented`.
    pub(super) fn default_not_implemented(mut self, yes: bool) -> Self {
        self.default_not_implemented = yes;
        self
    }

    fn finding(&mut self, op: &Operation, message: String) {
        self.finding_at(op, &op.loc, message);
    }

    /// A finding about `op` at a place inside it (a media type, a body).
    fn finding_at(&mut self, op: &Operation, loc: &crate::model::Loc, message: String) {
        let finding = Finding::new(rule::CODEGEN_APPROXIMATION.id, Level::Warning, message)
            .with_operation(op.label())
            .at(self.contract.location(loc));
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
                    let methods = routes.entry(route.clone()).or_default();
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
                        view.route = string_literal(&route);
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
            .map(|(path, methods)| RouteView {
                path: string_literal(&path),
                methods: route_methods(&methods),
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
            default_not_implemented: self.default_not_implemented,
            security,
            calls_hooks: false,
        };
        // What the code uses is read off the code itself: exact, and nothing to keep in sync.
        let names = code_names::CodeNames::of(&view);
        view.has_handlers = view.operations.iter().any(|o| o.routed);
        view.reads_body = view.operations.iter().any(|o| o.steps.reads_body);
        // A text response is sent as `Bytes::from(..)`; a fixed status as a constant.
        let variants = || view.operations.iter().flat_map(|o| &o.variants);
        let choices = || view.operations.iter().flat_map(|o| &o.body_choices);
        let sends_text = variants().any(|v| v.body.as_ref().is_some_and(|b| b.kind == "text"))
            || choices().any(|c| c.arms.iter().any(|a| a.body.kind == "text"));
        // A body enum is sent with the status its variant gives.
        let fixed_status =
            variants().any(|v| v.status_constant.is_some()) || choices().next().is_some();
        view.uses_bytes = names.bytes || sends_text;
        view.uses_status_code = names.status_code || fixed_status;
        view.uses_models = names.models;
        view.uses_btree_map = names.btree_map;
        view.calls_hooks = view
            .operations
            .iter()
            .any(|o| o.routed && o.steps.authorize.is_some());
        (view, self.findings, self.has_multipart)
    }

    fn render(&self, ty: &Ty) -> String {
        ty.render(&self.types.defs, "models::")
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
        let contract = crate::model::test_contract(yaml);
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
        let contract = crate::model::test_contract(yaml);
        let generated = super::super::generate(&contract, &Default::default()).expect("generates");
        let server = generated.files.get("src/server.rs").expect("a server");
        let handler = |name: &str| {
            let start = server.find(&format!("\nfn {name}<A: Api>")).expect(name);
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

    /// A response declared in several media types is an enum with an arm per media type, sent
    /// in the arm the handler chose, and the router admits an `Accept` naming any of them.
    /// Before, it was answered in the preferred media type only (OpenAI's
    /// `createChatCompletion` could not stream), and `Accept: text/event-stream` got `406`.
    #[test]
    fn a_response_in_several_media_types_is_an_enum_of_them() {
        let yaml = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /chat:
    post:
      operationId: chat
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {type: object, properties: {text: {type: string}}}}
            text/event-stream: {schema: {type: object, properties: {delta: {type: string}}}}
        '404':
          description: gone
          content:
            '*/*': {schema: {type: object}}
            application/json: {schema: {type: object}}
"#;
        let contract = crate::model::test_contract(yaml);
        let generated = super::super::generate(&contract, &Default::default()).expect("generates");
        let server = generated.files.get("src/server.rs").expect("a server");
        assert!(
            server.contains("pub enum ChatOkBody {\n    /// `application/json`.\n    Json(models::ChatOkJson),\n    /// `text/event-stream`.\n    EventStream(runtime::EventStream<models::ChatOkEventStream>),\n}"),
            "{server}"
        );
        assert!(
            server.contains("pub const MEDIA_TYPES: &'static [&'static str] = &[\n        \"application/json\",\n        \"text/event-stream\",\n    ];"),
            "{server}"
        );
        assert!(
            server.contains(
                "Self::EventStream(body) => runtime::event_stream_response(status, body),"
            ),
            "{server}"
        );
        assert!(
            server.contains("Self::Ok(body) => body.into_response_with(StatusCode::OK),"),
            "{server}"
        );
        assert!(
            server.contains("&[\"application/json\", \"text/event-stream\"]"),
            "the Accept check admits both: {server}"
        );
        // `*/*` sent as JSON is the `application/json` declared beside it: one body.
        assert!(!server.contains("ChatNotFoundBody"), "{server}");
        assert!(
            server.contains("NotFound(BTreeMap<String, serde_json::Value>)"),
            "{server}"
        );
    }

    /// What is still not typed says so once, where it is declared: an XML body (request or
    /// response) is a `String`, a multipart response body bytes the handler encodes. A
    /// urlencoded response is typed and sent as a form: before, it was JSON labelled
    /// `application/x-www-form-urlencoded` (and a multipart one JSON labelled multipart), and
    /// none of these produced a warning.
    #[test]
    fn bodies_that_are_not_typed_are_warned_about_once_each() {
        let yaml = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /form:
    get:
      operationId: getForm
      responses:
        '200':
          description: ok
          content:
            application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: string}}}}
  /both:
    get:
      operationId: getBoth
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {type: object, properties: {a: {type: string}}}}
            multipart/form-data: {schema: {type: object, properties: {a: {type: string}}}}
            application/xml: {schema: {type: object, properties: {a: {type: string}}}}
  /mixed:
    get:
      operationId: getMixed
      responses:
        '200': {description: ok, content: {multipart/mixed: {schema: {type: string, format: binary}}}}
  /xml:
    post:
      operationId: postXml
      requestBody:
        content: {application/xml: {schema: {type: object, properties: {a: {type: string}}}}}
      responses:
        '200': {description: ok, content: {application/xml: {schema: {type: object}}}}
"#;
        let contract = crate::model::test_contract(yaml);
        let generated = super::super::generate(&contract, &Default::default()).expect("generates");
        let server = generated.files.get("src/server.rs").expect("a server");
        let said: Vec<(String, String, String)> = generated
            .findings
            .iter()
            .map(|f| {
                (
                    f.operation.clone().unwrap_or_default(),
                    f.location
                        .as_ref()
                        .map(|l| l.pointer.clone())
                        .unwrap_or_default(),
                    f.message.clone(),
                )
            })
            .collect();
        let xml = "there is no XML data binding";
        let bytes = "is sent as raw bytes (`runtime::ByteStream`)";
        let expected = [
            (
                "GET /both",
                "/paths/~1both/get/responses/200/content/multipart~1form-data",
                "the `multipart/form-data` body of the `200` response of `GET /both` is sent as raw bytes",
                bytes,
            ),
            (
                "GET /both",
                "/paths/~1both/get/responses/200/content/application~1xml",
                "the `application/xml` body of the `200` response of `GET /both` is a `String`",
                xml,
            ),
            (
                "POST /xml",
                "/paths/~1xml/post/requestBody/content/application~1xml",
                "the `application/xml` request body of `POST /xml` is a `String`",
                xml,
            ),
            (
                "POST /xml",
                "/paths/~1xml/post/responses/200/content/application~1xml",
                "the `application/xml` body of the `200` response of `POST /xml` is a `String`",
                xml,
            ),
        ];
        assert_eq!(said.len(), expected.len(), "{said:#?}");
        for (operation, pointer, start, why) in expected {
            let found = said
                .iter()
                .filter(|(o, p, m)| {
                    o == operation && p == pointer && m.starts_with(start) && m.contains(why)
                })
                .count();
            assert_eq!(found, 1, "{operation} {pointer}: {said:#?}");
        }
        // The urlencoded response is typed and sent as a form; the multipart ones are bytes.
        assert!(
            server.contains("runtime::form_response(\n                    StatusCode::OK,\n                    \"application/x-www-form-urlencoded\",\n                    &body,\n"),
            "{server}"
        );
        assert!(server.contains("FormData(runtime::ByteStream)"), "{server}");
        assert!(server.contains("Xml(String)"), "{server}");
        assert!(!server.contains("json_response(\n                    StatusCode::OK,\n                    \"multipart"), "{server}");
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
        let contract = crate::model::test_contract(yaml);
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

    /// Handlers reach the template as steps (where each value is read, in which style, which
    /// body kind, which status), not as Rust statements: a template override can change any
    /// of them. Before, the view carried `handler_lines` and `lines` of source text.
    #[test]
    fn handlers_reach_the_template_as_data() {
        let yaml = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items/{id}:
    put:
      operationId: putItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: tags, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}
        - {name: X-Trace, in: header, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json: {schema: {type: object, properties: {n: {type: integer}}}}
      responses:
        '200': {description: ok, headers: {X-Rate: {schema: {type: integer}}}, content: {text/plain: {schema: {type: string}}}}
        default: {description: error}
"#;
        let contract = crate::model::test_contract(yaml);
        let options = crate::codegen::GenerateOptions::default();
        let wire = crate::model::wire::WireContract::describe(&contract, &options.wire());
        let mut types = super::super::models::Types::new(&contract);
        let (view, _, _) = ServerBuilder::new(&contract, &mut types).build(&wire);
        let op = &view.operations[0];
        let steps = &op.steps;
        let located: Vec<(&str, &str, bool)> = steps
            .parameters
            .iter()
            .map(|p| (p.location, p.style, p.required))
            .collect();
        assert_eq!(
            located,
            [
                ("Path", "Simple", true),
                ("Query", "PipeDelimited", false),
                ("Header", "Simple", false)
            ]
        );
        assert_eq!(steps.parameters[2].wire_name, "\"x-trace\"");
        let body = steps.body.as_ref().expect("a body step");
        assert_eq!(
            (body.kind, body.accepts, body.required),
            ("json", "is_json", true)
        );
        assert_eq!(op.key, "\"putItem\"");
        assert_eq!(steps.required, ["id", "body"]);
        let ok = &op.variants[0];
        assert_eq!(
            (ok.status_constant, ok.status_code),
            (Some("OK"), Some(200))
        );
        let sent = ok.body.as_ref().expect("a body");
        assert_eq!(
            (sent.kind, sent.content_type.as_str()),
            ("text", "\"text/plain\"")
        );
        assert_eq!(ok.headers[0].name, "\"x-rate\"");
        let default = &op.variants[1];
        assert_eq!((default.status_constant, default.status_code), (None, None));
        assert_eq!(default.fields[0].init.field, "status");
        // Nothing in the steps is a statement.
        let json = serde_json::to_string(steps).expect("serializes");
        assert!(!json.contains("let ") && !json.contains("return"), "{json}");
    }
}
