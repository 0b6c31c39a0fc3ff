//! The view model of `client.ts`: one method per path operation, its request type (parameters
//! and body), its result union (one variant per declared status), the descriptor the runtime
//! uses to build the request, and the credentials of the security schemes.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::{Value, json};

use super::modules::OperationModule;
use super::naming::{
    MemberNamer, Namer, camel_case, is_object_prototype_member, jsdoc, property_key, string_literal,
};
use super::types::{Aliases, Approximation, Renderer, SchemaName, Ts, doc_lines};
use crate::model::media::{self, MediaKind};
use crate::model::wire::{Serialization, WireContract, WireOperation, WireResponse};
use crate::model::{
    AdditionalProperties, Contract, Direction, Method, Operation, ParameterLocation,
    SecurityScheme, StatusCode,
};

#[derive(Debug, Clone, Serialize)]
pub struct ClientView {
    pub default_base_url: String,
    pub base_url_doc: String,
    pub status_types: Vec<StatusTypeView>,
    pub schemes: Vec<SchemeView>,
    /// `["name", {descriptor}]` entries of the runtime's scheme table, one per line.
    pub scheme_entries: Vec<String>,
    pub operations: Vec<OperationView>,
    /// The modules of `src/operations/`, in the order of their first operation.
    pub modules: Vec<OperationModule>,
    /// The operations `pagination.ts` iterates.
    pub paginated: Vec<super::pagination::PaginatedView>,
    /// The modules that hold them (`pagination.ts` imports their request types).
    pub paginated_modules: Vec<OperationModule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusTypeView {
    pub name: String,
    pub literals: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SchemeView {
    pub doc: String,
    pub key: String,
    pub ty: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperationView {
    /// The method's JSDoc (indented for the class).
    pub doc: String,
    /// The `Client` method's name.
    pub method: String,
    /// The operation function's name (unique in the package) and its JSDoc.
    pub function: String,
    pub function_doc: String,
    /// The namespace of the operation's module in `client.ts`.
    pub module_alias: String,
    /// The index of the operation's module in [`ClientView::modules`].
    #[serde(skip)]
    pub module: usize,
    /// The facade's `request` parameter, overloads and result, with the module's namespace.
    pub facade_param: String,
    pub facade_overloads: String,
    pub facade_results: String,
    /// The function's overload signatures (one per line), or empty.
    pub function_overloads: String,
    pub request_type: String,
    pub request_doc: String,
    /// Interface members, or empty when the operation takes nothing.
    pub request_members: String,
    /// `request: T` or `request: T = {}` when nothing is required.
    pub request_param: String,
    pub result_type: String,
    pub result_doc: String,
    pub variants: Vec<String>,
    /// What the implementation returns: the result type, or it and the stream result.
    pub all_results: String,
    /// The result of a call whose request field chose streaming (empty without one).
    pub stream_result_type: String,
    pub stream_result_doc: String,
    pub stream_variants: Vec<String>,
    /// The runtime descriptor, a JSON object literal on one line.
    pub descriptor: String,
    /// How `pagination.ts` iterates the operation's pages, if it is a list.
    pub pagination: Option<super::pagination::PaginatedView>,
}

/// Names of the runtime exports and internals of `client.ts`: taken before any spec name.
pub const RUNTIME_NAMES: &[&str] = &[
    "Client",
    "ClientOptions",
    "RequestOptions",
    "Credentials",
    "CredentialValue",
    "BasicCredentials",
    "ClientError",
    "UnexpectedStatusError",
    "NetworkError",
    "TimeoutError",
    "CallContext",
    "IDEMPOTENT",
    "MAX_RETRY_AFTER_MS",
    "shouldRetry",
    "retryDelay",
    "sleep",
    "attemptSignal",
    "newIdempotencyKey",
    "ResponseBodyError",
    "DEFAULT_BASE_URL",
    "Status1XX",
    "Status2XX",
    "Status3XX",
    "Status4XX",
    "Status5XX",
    "SuccessStatus",
    "ErrorStatus",
    "HttpStatus",
    "BodyKind",
    "ParamSpec",
    "EncodingSpec",
    "RequestBodySpec",
    "OperationSpec",
    "SchemeSpec",
    "AnyCredential",
    "SECURITY_SCHEMES",
    "own",
    "isPlainObject",
    "entries",
    "primitive",
    "encode",
    "pathValue",
    "queryPairs",
    "deepObjectPairs",
    "headerValue",
    "cookiePairs",
    "encodeBody",
    "readBody",
    "linkedUrl",
    "eventData",
    "EventStream",
    "EventStreamParser",
    "ServerSentEvent",
    "RawServerSentEvent",
    "END",
    "responseKey",
    "basicToken",
    "describeError",
    "M",
    "send",
];

pub struct ClientContext<'a> {
    pub contract: &'a Contract,
    pub wire: &'a WireContract<'a>,
    pub names: &'a HashMap<SchemaId, SchemaName>,
    pub aliases: &'a Aliases,
}

use crate::model::SchemaId;

/// How the runtime of `client.ts` writes or reads a body of a [`MediaKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

fn body_kind(kind: MediaKind) -> BodyKind {
    match kind {
        MediaKind::Json | MediaKind::Any => BodyKind::Json,
        MediaKind::Form => BodyKind::Form,
        MediaKind::Multipart => BodyKind::Multipart,
        MediaKind::Text | MediaKind::EventStream | MediaKind::Xml => BodyKind::Text,
        MediaKind::Binary => BodyKind::Binary,
    }
}

/// All status codes of a class (`2` → 200..=299) as literal types, ten per line.
fn status_literals(class: u16) -> String {
    let codes: Vec<String> = (class * 100..class * 100 + 100)
        .map(|c| c.to_string())
        .collect();
    codes
        .chunks(10)
        .map(|line| format!("\n  | {}", line.join(" | ")))
        .collect()
}

pub fn client_view(
    ctx: &ClientContext<'_>,
    namer: &mut Namer,
    approximations: &mut Vec<Approximation>,
) -> ClientView {
    let contract = ctx.contract;
    let base = &ctx.wire.default_base_url;
    let base_url_doc = match contract.servers.first() {
        Some(server) if !server.variables.is_empty() => {
            format!("`{}` with its variables at their defaults.", server.url)
        }
        Some(_) => "The first server of the spec.".to_string(),
        None => "The spec declares no server: pass `baseUrl`.".to_string(),
    };
    let status_types = (1..=5u16)
        .map(|class| StatusTypeView {
            name: format!("Status{class}XX"),
            literals: status_literals(class),
        })
        .collect();

    let mut schemes = Vec::new();
    let mut scheme_entries = Vec::new();
    let mut known_schemes = HashSet::new();
    for (name, scheme) in &contract.security_schemes {
        let (descriptor, ty, how, description) = match scheme {
            SecurityScheme::Http {
                scheme,
                bearer_format,
                description,
            } => {
                let lower = scheme.to_ascii_lowercase();
                if lower == "bearer" {
                    let format = bearer_format
                        .as_ref()
                        .map(|f| format!(" ({f})"))
                        .unwrap_or_default();
                    (
                        json!({"kind": "bearer"}),
                        "CredentialValue",
                        format!(
                            "HTTP bearer token{format}, sent as `Authorization: Bearer <token>`."
                        ),
                        description,
                    )
                } else if lower == "basic" {
                    (
                        json!({"kind": "basic"}),
                        "BasicCredentials | (() => BasicCredentials | Promise<BasicCredentials>)",
                        "HTTP basic authentication.".to_string(),
                        description,
                    )
                } else {
                    (
                        json!({"kind": "http", "scheme": scheme}),
                        "CredentialValue",
                        format!(
                            "HTTP `{scheme}` authentication: the credentials after the scheme name."
                        ),
                        description,
                    )
                }
            }
            SecurityScheme::ApiKey {
                name: key_name,
                location,
                description,
            } => {
                let place = match location {
                    ParameterLocation::Query => "query",
                    ParameterLocation::Cookie => "cookie",
                    _ => "header",
                };
                (
                    json!({"kind": "apiKey", "in": place, "name": key_name}),
                    "CredentialValue",
                    format!("API key, sent in the {place} `{key_name}`."),
                    description,
                )
            }
            SecurityScheme::OAuth2 { description, .. } => (
                json!({"kind": "bearer"}),
                "CredentialValue",
                "OAuth 2 access token, sent as `Authorization: Bearer <token>`.".to_string(),
                description,
            ),
            SecurityScheme::OpenIdConnect { description, .. } => (
                json!({"kind": "bearer"}),
                "CredentialValue",
                "OpenID Connect access token, sent as `Authorization: Bearer <token>`.".to_string(),
                description,
            ),
            SecurityScheme::MutualTls { .. } => continue,
        };
        known_schemes.insert(name.clone());
        let mut lines = Vec::new();
        if let Some(d) = description {
            lines.push(d.clone());
        }
        lines.push(how);
        schemes.push(SchemeView {
            doc: jsdoc(&lines, 2),
            key: property_key(name),
            ty: ty.to_string(),
        });
        scheme_entries.push(format!("[{}, {}]", string_literal(name), descriptor));
    }

    let (modules, module_of) = super::modules::assign(&ctx.wire.operations);
    let mut members = MemberNamer::default();
    let mut operations = Vec::new();
    for (wire, &module) in ctx.wire.operations.iter().zip(&module_of) {
        let method = members.name(&wire.operation.name, "operation");
        let mut view = operation_view(
            ctx,
            wire,
            method,
            (module, &modules[module].alias),
            namer,
            &known_schemes,
            approximations,
        );
        view.module = module;
        operations.push(view);
    }
    let paginated = operations
        .iter()
        .filter_map(|o| o.pagination.clone())
        .collect();
    let paginated_modules = modules
        .iter()
        .enumerate()
        .filter(|(index, _)| {
            operations
                .iter()
                .any(|o| o.module == *index && o.pagination.is_some())
        })
        .map(|(_, module)| module.clone())
        .collect();
    ClientView {
        paginated,
        paginated_modules,
        modules,
        default_base_url: string_literal(base),
        base_url_doc,
        status_types,
        schemes,
        scheme_entries,
        operations,
    }
}

fn location_word(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "Path",
        ParameterLocation::Query => "Query",
        ParameterLocation::Header => "Header",
        ParameterLocation::Cookie => "Cookie",
        ParameterLocation::QueryString => "QueryString",
    }
}

fn operation_view(
    ctx: &ClientContext<'_>,
    wire: &WireOperation<'_>,
    method: String,
    (module, module_alias): (usize, &str),
    namer: &mut Namer,
    known_schemes: &HashSet<String>,
    approximations: &mut Vec<Approximation>,
) -> OperationView {
    let op = wire.operation;
    let types = &ctx.contract.types;
    let mut renderer = Renderer::new(types, ctx.aliases, ctx.names, "M.");
    let pascal = super::operation_stem(&op.name);
    let names = super::operation_names(&op.name);
    let function = namer.claim(camel_case(&op.name, "operation"), "Operation");
    // A spec's own schema often has the operation's name (OpenAI's `CreateFileRequest` is the
    // body of `createFile`): then the request type is `CreateFileParams`, not `CreateFileRequest2`.
    let request_type = namer.claim_first(&[names.request, format!("{pascal}Params")], "Type");
    let result_type = namer.claim_first(&[names.result, format!("{pascal}Outcome")], "Type");

    // Request members: parameters by their own names (renamed on collision), then `body`.
    let mut keys_used: HashSet<String> = HashSet::new();
    let mut query_keys: Vec<(String, String)> = Vec::new();
    if wire.body.is_some() {
        keys_used.insert("body".to_string());
    }
    let mut object = super::types::ObjectType::default();
    let mut params_json = Vec::new();
    let mut any_required = false;
    for wp in &wire.parameters {
        let p = wp.parameter;
        let mut key = p.name.clone();
        if is_object_prototype_member(&key) || keys_used.contains(&key) {
            let base = format!(
                "{}In{}",
                camel_case(&p.name, "param"),
                location_word(p.location)
            );
            key = base.clone();
            let mut n = 1;
            while keys_used.contains(&key) {
                n += 1;
                key = format!("{base}{n}");
            }
        }
        keys_used.insert(key.clone());
        if p.location == ParameterLocation::Query {
            query_keys.push((p.name.clone(), key.clone()));
        }
        let schema = wp.schema;
        let ty = match schema {
            Some(id) => renderer.reference(id, Direction::Request, false),
            None => Ts::UNKNOWN,
        };
        let required = wp.required;
        any_required |= required;
        let mut doc = Vec::new();
        if let Some(d) = &p.description {
            doc.push(d.clone());
        }
        if key != p.name || p.location != ParameterLocation::Query {
            doc.push(format!(
                "Sent in the {}: `{}`.",
                p.location.as_str(),
                p.name
            ));
        }
        if p.deprecated {
            doc.push("@deprecated".to_string());
        }
        if let Some(id) = schema {
            doc.extend(
                doc_lines(types, ctx.aliases, id)
                    .into_iter()
                    .filter(|l| l.starts_with('@') && l != "@deprecated"),
            );
        }
        object.members.push(super::types::Member {
            key: property_key(&key),
            optional: !required,
            ty,
            doc,
        });
        // A `content` parameter keeps the location's default style for the text it becomes.
        let (style, explode, allow_reserved) = match wp.serialization {
            Serialization::Style {
                style,
                explode,
                allow_reserved,
            } => (style, explode, allow_reserved),
            Serialization::Content { .. } => (p.style, p.explode, p.allow_reserved),
        };
        let mut spec = json!({
            "key": key,
            "name": p.name,
            "in": p.location.as_str(),
            "style": style.as_str(),
            "explode": explode,
        });
        if allow_reserved {
            spec["allowReserved"] = Value::Bool(true);
        }
        if wp.serialization.is_json() {
            spec["json"] = Value::Bool(true);
        }
        params_json.push(spec);
    }
    let mut body_json = Value::Null;
    // fetch throws on a GET or HEAD request with a body: the client has no `body` for them.
    let bodyless = matches!(op.method, Method::Get | Method::Head);
    // Stripe declares an optional form body with no properties on every GET: nothing is lost.
    let carries_nothing = |wire_body: &crate::model::wire::WireBody<'_>| {
        !wire_body.required
            && wire_body.media.schema.is_some_and(|id| {
                let s = types.get(ctx.aliases.resolve(id));
                s.properties.is_empty()
                    && matches!(
                        s.additional_properties,
                        Some(AdditionalProperties::Forbidden)
                    )
            })
    };
    if let Some(wire_body) = wire
        .body
        .as_ref()
        .filter(|b| bodyless && !carries_nothing(b))
    {
        approximations.push(Approximation {
            loc: wire_body.body.loc.clone(),
            message: format!(
                "a request body on {} cannot be sent with fetch: the client leaves it out",
                op.method.as_upper()
            ),
        });
    }
    if let Some(wire_body) = wire.body.as_ref().filter(|_| !bodyless) {
        let (body, media, media_type) = (wire_body.body, wire_body.media_type, wire_body.media);
        let kind = body_kind(wire_body.kind);
        let ty = match kind {
            BodyKind::Text => Ts::Keyword("string"),
            // Whatever fetch sends as bytes as it is (the runtime's encodeBody passes them on).
            BodyKind::Binary => Ts::union(
                [
                    "Blob",
                    "ArrayBuffer",
                    "ArrayBufferView",
                    "ReadableStream<Uint8Array>",
                ]
                .into_iter()
                .map(Ts::Keyword)
                .collect(),
            ),
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => match media_type.schema {
                Some(id) => renderer.reference(id, Direction::Request, false),
                None if kind == BodyKind::Json => Ts::UNKNOWN,
                None => Ts::Object(super::types::ObjectType {
                    members: Vec::new(),
                    index: Some(Box::new(Ts::UNKNOWN)),
                }),
            },
        };
        any_required |= body.required;
        let mut doc = Vec::new();
        if let Some(d) = &body.description {
            doc.push(d.clone());
        }
        doc.push(format!("Sent as `{}`.", comment_safe_media(media)));
        if !wire_body.alternatives.is_empty() {
            doc.push(format!(
                "The operation also accepts: {}.",
                wire_body.alternatives.join(", ")
            ));
        }
        object.members.push(super::types::Member {
            key: "body".to_string(),
            optional: !body.required,
            ty,
            doc,
        });
        let kind_name = match kind {
            BodyKind::Json => "json",
            BodyKind::Form => "form",
            BodyKind::Multipart => "multipart",
            BodyKind::Text => "text",
            BodyKind::Binary => "binary",
        };
        let content_type = if media.contains('*') || kind == BodyKind::Multipart {
            Value::Null
        } else {
            Value::String(media.to_string())
        };
        let mut spec = json!({"kind": kind_name, "contentType": content_type});
        if !media_type.encoding.is_empty() {
            let encoding: Vec<Value> = media_type
                .encoding
                .iter()
                .map(|(name, e)| {
                    let mut entry = json!({"name": name});
                    if let Some(style) = e.style {
                        entry["style"] = Value::String(style.as_str().to_string());
                    }
                    if let Some(explode) = e.explode {
                        entry["explode"] = Value::Bool(explode);
                    }
                    if let Some(ct) = &e.content_type {
                        entry["contentType"] = Value::String(ct.clone());
                    }
                    entry
                })
                .collect();
            spec["encoding"] = Value::Array(encoding);
        }
        body_json = spec;
    }
    let request_members = if object.members.is_empty() {
        String::new()
    } else {
        let mut out = String::new();
        object.write_members(&mut out, 1);
        out
    };

    // A request field chooses between a stream and JSON (OpenAI's `stream`): two result types,
    // and overloads that pick one by the field's literal value.
    let chooses_stream = wire.body.as_ref().is_some_and(|b| {
        !bodyless
            && matches!(
                b.kind,
                MediaKind::Json | MediaKind::Form | MediaKind::Multipart
            )
            && b.media
                .schema
                .is_some_and(|id| stream_field(types, ctx.aliases, id))
    }) && wire
        .responses
        .iter()
        .any(|r| r.status.is_success() && has_stream_alternative(r));
    let (variants, responses_json) = result_variants(
        &mut renderer,
        wire,
        if chooses_stream {
            Streaming::Off
        } else {
            Streaming::Either
        },
    );
    let stream_variants = if chooses_stream {
        result_variants(&mut renderer, wire, Streaming::On).0
    } else {
        Vec::new()
    };
    let events = wire
        .responses
        .iter()
        .flat_map(|r| &r.content)
        .find(|m| m.declared == MediaKind::EventStream)
        .map(|m| events_are_json(types, ctx.aliases, m.media));

    // The alternatives the client can satisfy: every scheme declared and not mutual TLS.
    let security: Vec<Vec<&str>> = wire
        .security
        .iter()
        .map(|alternative| alternative.schemes.iter().map(|s| s.name).collect())
        .filter(|names: &Vec<&str>| names.iter().all(|s| known_schemes.contains(*s)))
        .collect();
    let mut descriptor = json!({
        "method": op.method.as_upper(),
        "path": op.path,
        "params": params_json,
        "responses": responses_json,
        "security": security,
    });
    let accept = accept_header(wire);
    if !accept.is_empty() {
        descriptor["accept"] = Value::String(accept);
    }
    if let Some(header) = idempotency_key(ctx.contract, wire) {
        descriptor["idempotencyKey"] = Value::String(header);
    }
    if let Some(json) = events {
        descriptor["events"] = Value::String(if json { "json" } else { "text" }.to_string());
    }
    if !body_json.is_null() {
        descriptor["body"] = body_json;
    }
    if default_is_error(wire) {
        descriptor["defaultError"] = Value::Bool(true);
    }

    let mut doc = Vec::new();
    if let Some(summary) = &op.summary {
        doc.push(summary.clone());
    }
    if let Some(description) = &op.description
        && op.summary.as_deref() != Some(description.as_str())
    {
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(description.clone());
    }
    if !doc.is_empty() {
        doc.push(String::new());
    }
    doc.push(format!("`{} {}`", op.method.as_upper(), op.path));
    if op.deprecated {
        doc.push("@deprecated".to_string());
    }
    let pagination = super::pagination::paginated_view(
        &mut renderer,
        wire,
        &super::pagination::PagedOperation {
            method: &method,
            request_type: &format!("{module_alias}.{request_type}"),
            query_keys: &query_keys,
        },
        approximations,
    );
    approximations.extend(renderer.approximations);
    let request_param = if any_required {
        format!("request: {request_type}")
    } else {
        format!("request: {request_type} = {{}}")
    };
    let stream_result_type = if chooses_stream {
        namer.claim(format!("{pascal}StreamResult"), "Type")
    } else {
        String::new()
    };
    // The function's and the facade's signatures: the facade names the types through the
    // module's namespace.
    let signatures = |prefix: &str, client: &str| {
        let (request, result) = (
            format!("{prefix}{request_type}"),
            format!("{prefix}{result_type}"),
        );
        if !chooses_stream {
            return (String::new(), result);
        }
        let stream = format!("{prefix}{stream_result_type}");
        // The field is optional in most specs (`stream?: boolean | null`): absent, false or
        // null is JSON; a `boolean` only known at run time gets either result.
        let overloads = [
            format!("request: {request} & {{ body: {{ stream: true }} }}, options?: RequestOptions): Promise<{stream}>;"),
            format!("request: {request} & {{ body?: {{ stream?: false | null }} }}, options?: RequestOptions): Promise<{result}>;"),
            format!("request: {request}, options?: RequestOptions): Promise<{result} | {stream}>;"),
        ]
        .iter()
        .map(|rest| format!("{client}{rest}\n"))
        .collect();
        (overloads, format!("{result} | {stream}"))
    };
    let (function_overloads, all_results) = signatures(
        "",
        &format!("export function {function}(client: ClientOptions, "),
    );
    let (facade_overloads, facade_results) =
        signatures(&format!("{module_alias}."), &format!("  {method}("));
    let facade_param = if any_required {
        format!("request: {module_alias}.{request_type}")
    } else {
        format!("request: {module_alias}.{request_type} = {{}}")
    };
    OperationView {
        doc: jsdoc(&doc, 2),
        function_doc: jsdoc(&doc, 0),
        function,
        module_alias: module_alias.to_string(),
        module,
        facade_param,
        facade_overloads,
        facade_results,
        function_overloads,
        method,
        request_doc: jsdoc(
            &[format!("The parameters and body of `{}`.", op.label())],
            0,
        ),
        request_type,
        request_members,
        request_param,
        result_doc: jsdoc(
            &[format!(
                "The declared responses of `{}`, by status.",
                op.label()
            )],
            0,
        ),
        stream_result_doc: jsdoc(
            &[format!(
                "The declared responses of `{}` when the request asks for a stream.",
                op.label()
            )],
            0,
        ),
        stream_result_type,
        stream_variants,
        all_results,
        result_type,
        variants,
        descriptor: format_descriptor(&descriptor),
        pagination,
    }
}

/// One result variant per declared status (`default` and ranges cover what is left), and the
/// runtime's reading of each status.
fn result_variants(
    renderer: &mut Renderer<'_>,
    wire: &WireOperation<'_>,
    streaming: Streaming,
) -> (Vec<String>, serde_json::Map<String, Value>) {
    let op = wire.operation;
    let declared_codes: Vec<u16> = wire
        .responses
        .iter()
        .filter_map(|r| match r.status {
            StatusCode::Code(c) => Some(c),
            _ => None,
        })
        .collect();
    let declared_ranges: Vec<u8> = wire
        .responses
        .iter()
        .filter_map(|r| match r.status {
            StatusCode::Range(d) => Some(d),
            _ => None,
        })
        .collect();
    let mut variants = Vec::new();
    let mut responses_json = serde_json::Map::new();
    let mut ordered: Vec<&WireResponse<'_>> = wire.responses.iter().collect();
    ordered.sort_by_key(|r| r.status);
    for response in ordered {
        let (data, kind) = response_data(renderer, op, response, streaming);
        responses_json.insert(response.status.to_string(), Value::String(kind.to_string()));
        let data = data.print(1);
        let variant = |status: String, ok: bool| {
            let field = if ok { "data" } else { "error" };
            format!("{{ status: {status}; ok: {ok}; {field}: {data}; response: Response }}")
        };
        match response.status {
            StatusCode::Code(c) => variants.push(variant(c.to_string(), (200..300).contains(&c))),
            StatusCode::Range(d) => {
                let class = u16::from(d);
                let exclude: Vec<String> = declared_codes
                    .iter()
                    .filter(|c| **c / 100 == class)
                    .map(|c| c.to_string())
                    .collect();
                let status = if exclude.is_empty() {
                    format!("Status{d}XX")
                } else {
                    format!("Exclude<Status{d}XX, {}>", exclude.join(" | "))
                };
                variants.push(variant(status, d == 2));
            }
            StatusCode::Default => {
                // Beside other responses, `default` describes the errors (Stripe: 200 + an error
                // `default`), so `if (result.ok) result.data.id` compiles; alone, its 2xx are
                // the successes.
                let split = if default_is_error(wire) {
                    vec![(false, vec![1u16, 2, 3, 4, 5])]
                } else {
                    vec![(true, vec![2u16]), (false, vec![1u16, 3, 4, 5])]
                };
                for (ok, classes) in split {
                    let open: Vec<u16> = classes
                        .iter()
                        .copied()
                        .filter(|c| !declared_ranges.contains(&(*c as u8)))
                        .collect();
                    if open.is_empty() {
                        continue;
                    }
                    let union = open
                        .iter()
                        .map(|c| format!("Status{c}XX"))
                        .collect::<Vec<_>>()
                        .join(" | ");
                    let exclude: Vec<String> = declared_codes
                        .iter()
                        .filter(|c| open.contains(&(**c / 100)))
                        .map(|c| c.to_string())
                        .collect();
                    let status = if exclude.is_empty() {
                        union
                    } else {
                        format!("Exclude<{union}, {}>", exclude.join(" | "))
                    };
                    variants.push(variant(status, ok));
                }
            }
        }
    }
    if variants.is_empty() {
        variants.push("never".to_string());
    }
    (variants, responses_json)
}

/// The descriptor as an object literal, one top-level member (and one parameter) per line,
/// indented for the body of a method. Its keys are fixed names; spec text only appears in
/// values, as JSON strings, or as the elements of arrays (never as keys of an object literal,
/// where `"__proto__"` would set the prototype).
fn format_descriptor(descriptor: &Value) -> String {
    let Value::Object(map) = descriptor else {
        return descriptor.to_string();
    };
    let mut out = String::from("{\n");
    for (key, value) in map {
        match value {
            Value::Array(items) if key == "params" && !items.is_empty() => {
                out.push_str(&format!("      {key}: [\n"));
                for item in items {
                    out.push_str(&format!("        {item},\n"));
                }
                out.push_str("      ],\n");
            }
            _ => out.push_str(&format!("      {key}: {value},\n")),
        }
    }
    out.push_str("    }");
    out
}

/// The extension naming the header of an idempotency key, on the document (every operation whose
/// method is not idempotent) or on an operation (`false` turns it off there).
pub const IDEMPOTENCY_KEY_EXTENSION: &str = "x-oaskit-idempotency-key";

/// The header of an operation's idempotency key: a declared header parameter called
/// `Idempotency-Key` (any case), else the extension. Retries of such calls are safe.
fn idempotency_key(contract: &Contract, wire: &WireOperation<'_>) -> Option<String> {
    let op = wire.operation;
    if let Some(p) = wire.parameters.iter().find(|p| {
        p.parameter.location == ParameterLocation::Header
            && p.parameter.name.eq_ignore_ascii_case("idempotency-key")
    }) {
        return Some(p.parameter.name.clone());
    }
    let header = |value: &Value| match value {
        Value::String(name) if is_header_name(name) => Some(Some(name.clone())),
        Value::Bool(false) => Some(None),
        _ => None,
    };
    if let Some(choice) = op
        .extensions
        .get(IDEMPOTENCY_KEY_EXTENSION)
        .and_then(header)
    {
        return choice;
    }
    let idempotent = matches!(
        op.method,
        Method::Get | Method::Head | Method::Options | Method::Put | Method::Delete | Method::Trace
    );
    if idempotent {
        return None;
    }
    contract
        .extensions
        .get(IDEMPOTENCY_KEY_EXTENSION)
        .and_then(header)
        .flatten()
}

/// An HTTP field name (RFC 9110 token): anything else would make every call fail in `Headers`.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The `Accept` header of an operation: the media types of its responses, once each, in status
/// order; spec text that is not a plain header token list (non-ASCII, control characters, commas)
/// is left out rather than make every call fail.
fn accept_header(wire: &WireOperation<'_>) -> String {
    let mut ordered: Vec<&WireResponse<'_>> = wire.responses.iter().collect();
    ordered.sort_by_key(|r| r.status);
    let mut seen: Vec<&str> = Vec::new();
    for response in ordered {
        for media in &response.content {
            let m = media.media_type;
            let plain = !m.is_empty() && m.bytes().all(|b| (0x20..=0x7e).contains(&b) && b != b',');
            if plain && !seen.contains(&m) {
                seen.push(m);
            }
        }
    }
    seen.join(", ")
}

/// Media types are spec text: keep them out of comment syntax.
fn comment_safe_media(media: &str) -> String {
    media.replace('`', "'")
}

/// Whether the `default` response is an error response for `ok`: it is unless it is the only one.
fn default_is_error(wire: &WireOperation<'_>) -> bool {
    wire.responses.len() > 1
        && wire
            .responses
            .iter()
            .any(|r| r.status == StatusCode::Default)
}

/// Which of a response's media types a result type covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Streaming {
    /// Every declared media type (no request field chooses).
    Either,
    /// The request asked for no stream: the event streams are left out.
    Off,
    /// The request asked for a stream: only the event streams (where a response has one).
    On,
}

/// The type of a response's body and how the runtime reads it (from every media type, whatever
/// `streaming` keeps in the type: the runtime decides by the Content-Type that arrives).
fn response_data(
    renderer: &mut Renderer<'_>,
    op: &Operation,
    response: &WireResponse<'_>,
    streaming: Streaming,
) -> (Ts, &'static str) {
    if response.content.is_empty() || op.method == Method::Head {
        return (Ts::Keyword("undefined"), "none");
    }
    let has_stream = response
        .content
        .iter()
        .any(|m| m.declared == MediaKind::EventStream);
    let mut types = Vec::new();
    let mut kinds = HashSet::new();
    for wire_media in &response.content {
        let (media, media_type) = (wire_media.media_type, wire_media.media);
        let is_stream = wire_media.declared == MediaKind::EventStream;
        let kept = match streaming {
            Streaming::Either => true,
            Streaming::Off => !is_stream || !has_stream_alternative(response),
            Streaming::On => is_stream || !has_stream,
        };
        if is_stream {
            kinds.insert("events");
            if kept {
                let data = event_data_type(renderer, media_type);
                types.push(Ts::Named(format!("EventStream<{}>", data.print(1))));
            }
            continue;
        }
        // A reader accepts whatever a declared range lets through: `*/*` is read by the actual
        // Content-Type, so its declared kind (not the resolved one) decides.
        let kind = body_kind(wire_media.declared);
        kinds.insert(match kind {
            BodyKind::Json => "json",
            BodyKind::Text | BodyKind::Form => "text",
            BodyKind::Binary | BodyKind::Multipart => "binary",
        });
        if !kept {
            continue;
        }
        types.push(match kind {
            BodyKind::Json if media.contains('*') => match media_type.schema {
                Some(id) => renderer.reference(id, Direction::Response, false),
                None => Ts::UNKNOWN,
            },
            BodyKind::Json => match media_type.schema {
                Some(id) => renderer.reference(id, Direction::Response, false),
                None => Ts::UNKNOWN,
            },
            BodyKind::Text | BodyKind::Form => Ts::Keyword("string"),
            BodyKind::Binary | BodyKind::Multipart => Ts::Keyword("Blob"),
        });
    }
    let wildcard = response
        .content
        .iter()
        .any(|m| media::is_range(m.media_type));
    let kind = if kinds.len() == 1 && !wildcard {
        kinds.into_iter().next().unwrap_or("auto")
    } else {
        "auto"
    };
    (Ts::union(types), kind)
}

/// A response with an event stream and something else: a request field may choose.
fn has_stream_alternative(response: &WireResponse<'_>) -> bool {
    let streams = response
        .content
        .iter()
        .filter(|m| m.declared == MediaKind::EventStream)
        .count();
    streams > 0 && streams < response.content.len()
}

/// The type of each event's data: the schema of the `text/event-stream` media type describes the
/// data of one event (OpenAI's convention), parsed as JSON unless it is a plain string.
fn event_data_type(renderer: &mut Renderer<'_>, media: &crate::model::MediaType) -> Ts {
    match media.schema {
        Some(id) if events_are_json(renderer.types, renderer.aliases, media) => {
            renderer.reference(id, Direction::Response, false)
        }
        _ => Ts::Keyword("string"),
    }
}

/// Whether the runtime parses event data as JSON: a schema that is not just a string.
fn events_are_json(
    types: &crate::model::TypeSpace,
    aliases: &Aliases,
    media: &crate::model::MediaType,
) -> bool {
    media.schema.is_some_and(|id| {
        let schema = types.get(aliases.resolve(id));
        schema.types.as_deref() != Some(&[crate::model::InstanceType::String][..])
    })
}

/// The boolean request body field that chooses streaming, as OpenAI's `stream`: a property of
/// that name (directly or through `allOf`) whose type is boolean.
fn stream_field(types: &crate::model::TypeSpace, aliases: &Aliases, body: SchemaId) -> bool {
    fn find(
        types: &crate::model::TypeSpace,
        aliases: &Aliases,
        id: SchemaId,
        depth: usize,
    ) -> bool {
        if depth > 16 {
            return false;
        }
        let schema = types.get(aliases.resolve(id));
        if let Some(field) = schema.properties.get("stream") {
            let field = types.get(aliases.resolve(*field));
            return field.types.as_deref() == Some(&[crate::model::InstanceType::Boolean][..]);
        }
        schema
            .all_of
            .iter()
            .any(|part| find(types, aliases, *part, depth + 1))
    }
    find(types, aliases, body, 0)
}
