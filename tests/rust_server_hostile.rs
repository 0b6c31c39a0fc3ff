//! A spec written to break a generator (keywords, `self`/`Self`/`crate`/`super`, names that
//! collide after case conversion or shadow the prelude, comment terminators in descriptions,
//! patterns, every parameter location and style, tagged and untagged `oneOf`, forms, recursion)
//! is generated into a crate that must pass `cargo clippy -- -D warnings`, and whose own tests
//! (written below, run with `cargo test` inside it) check the behaviour of what was generated.
//!
//! The crate is built in `target/rust-corpus` (or `$OASKIT_RUST_TARGET_DIR`), the target
//! directory the corpus script shares, so dependencies compile once.

mod common;

use common::generated_crate::{TOWER, add_behaviour, fresh_dir, generate, lint_and_test};

const SPEC: &str = r###"openapi: 3.1.0
info:
  title: "Hostile */ \"names\" \n\t"
  version: "1"
  description: "Ends a comment */ and a string \" and has a code block:\n\n```\nnot rust\n```\n\n    indented code\n"
paths:
  /things/{type}:
    get:
      operationId: self
      summary: "*/ fn main() {} /*"
      parameters:
        - {name: type, in: path, required: true, schema: {type: string, pattern: '^[a-z]+$'}}
        - {name: Result, in: query, schema: {type: integer, format: int32, maximum: 10}}
        - {name: result, in: query, schema: {type: string, enum: [a, b]}}
        - {name: X-Request-ID, in: header, required: true, schema: {type: string, minLength: 3}}
        - {name: session, in: cookie, schema: {type: string, pattern: '^\p{L}+$'}}
        - {name: async, in: query, schema: {type: boolean}}
        - {name: errors, in: query, schema: {type: array, items: {type: integer}, maxItems: 2}}
        - {name: filter, in: query, style: deepObject, schema: {type: object, properties: {min: {type: integer}, max: {type: integer}}}}
        - {name: Accept, in: header, schema: {type: string}}
        - {name: foo, in: query, schema: {type: string}}
      responses:
        '200':
          description: "ok */"
          headers:
            X-Rate-Limit: {schema: {type: integer}}
            Response: {schema: {type: string}}
            foo: {schema: {type: string}}
            Content-Type: {schema: {type: string}}
          content: {application/json: {schema: {$ref: '#/components/schemas/Option'}}}
        '2XX': {description: "some success", content: {text/plain: {schema: {type: string}}}}
        '299': {description: "odd"}
        default: {description: error, content: {application/octet-stream: {}}}
  /things:
    post:
      operationId: super
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Shape'}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Box'}}}}
    put:
      operationId: Self
      requestBody:
        content: {text/plain: {schema: {type: string}}}
      responses:
        '204': {description: done}
  /crate/{id}:
    patch:
      operationId: crate
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, required: [count], properties: {count: {type: integer, minimum: 1}, names: {type: array, items: {type: string}}, range: {type: object, properties: {from: {type: integer}, to: {type: integer}}}}}
            encoding: {range: {style: deepObject, explode: true}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
  /crate/{name}/tree:
    get:
      operationId: get_tree
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Tree'}}}}
  /files/{name}.json:
    get:
      operationId: unroutable
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /names/keywords:
    get: {operationId: type, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
    post: {operationId: Match, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
    put: {operationId: Box, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
    delete: {operationId: fn, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
  /names/router:
    get: {operationId: api, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
    post: {operationId: config, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
    put: {operationId: routes, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
    delete: {operationId: models, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
  /names/conversions:
    get: {operationId: into, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
    post: {operationId: try_into, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
    put: {operationId: from_json, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
    delete: {operationId: into_archive, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
    patch: {operationId: new, responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}}
  /secure:
    get:
      operationId: authenticate_self
      security:
        - self: []
          api-key: []
        - api_key: ['a"b', '*/']
        - type: []
        - undeclared: []
        - mtls: []
        - digest: []
        - oauth: [write]
      responses:
        '200': {description: ok, content: {text/plain: {schema: {type: string}}}}
    post:
      operationId: Principal
      security: []
      responses:
        '200': {description: ok, content: {text/plain: {schema: {type: string}}}}
  /bin:
    post:
      operationId: binary
      requestBody: {content: {application/octet-stream: {schema: {type: string, format: binary}}}}
      responses:
        '200': {description: ok, content: {image/png: {schema: {type: string, format: binary}}}}
  /formats/{id}:
    post:
      operationId: formats
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
        - {name: day, in: query, schema: {type: string, format: date}}
        - {name: X-Mail, in: header, schema: {type: string, format: email}}
        - {name: ip, in: cookie, schema: {type: string, format: ipv4}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                at: {type: string, format: date-time}
                hosts: {type: array, items: {type: string, format: hostname}}
                nested:
                  type: object
                  properties:
                    url: {type: string, format: uri}
                    ratio: {type: number, format: float}
                    raw: {type: string, format: byte}
                    span: {type: string, format: duration}
                unknown: {type: string, format: made-up}
      responses: {'204': {description: done}}
components:
  securitySchemes:
    self: {type: http, scheme: bearer, description: "*/ fn main() {} /*"}
    api-key: {type: apiKey, in: cookie, name: sid}
    api_key: {type: apiKey, in: query, name: 'k"ey'}
    type: {type: http, scheme: Basic}
    mtls: {type: mutualTLS}
    digest: {type: http, scheme: Digest}
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://example.com/token', scopes: {write: w}}}}
  schemas:
    Option:
      type: object
      required: [Some, self]
      properties:
        Some: {type: string, maxLength: 3}
        None: {type: integer}
        self: {type: string}
        Self: {type: string}
        type: {type: string}
        fooBar: {type: string}
        foo_bar: {type: string}
        "": {type: string}
        "2fa": {type: string}
        "名前": {type: string}
        nullable_required: {type: [string, "null"]}
        nothing: {}
        mixed: {type: [string, integer]}
        "r#raw": {type: string}
    Result: {type: string, enum: [ok, Ok, "+1", "-1", "", "a b", "*/"]}
    Box:
      oneOf:
        - {type: string, pattern: '^\d{3}$'}
        - {type: integer, minimum: 5}
        - {type: number}
        - {type: object, properties: {x: {type: integer}}}
        - {type: object, required: [x, y], properties: {x: {type: integer}, y: {type: integer}}}
        - {$ref: '#/components/schemas/Result'}
        - {type: 'null'}
    Shape:
      oneOf: [{$ref: '#/components/schemas/Circle'}, {$ref: '#/components/schemas/Square'}]
      discriminator:
        propertyName: kind
        mapping: {round: '#/components/schemas/Circle', Square: '#/components/schemas/Square'}
    Circle:
      type: object
      required: [kind, radius]
      properties: {kind: {type: string}, radius: {type: number, exclusiveMinimum: 0}}
      additionalProperties: false
    Square:
      type: object
      required: [kind, side]
      properties: {kind: {type: string}, side: {type: integer, multipleOf: 2}}
    Vec: {type: array, items: {$ref: '#/components/schemas/Vec'}}
    Tree:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
        parent: {$ref: '#/components/schemas/Tree'}
        either: {oneOf: [{$ref: '#/components/schemas/Tree'}, {type: string}]}
    String: {type: string, pattern: '^\d{3}$'}
    Error:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [code]
          properties: {code: {type: integer, format: int64, enum: [1, 2, 3]}}
    Base:
      type: object
      required: [message]
      properties: {message: {type: string}}
      additionalProperties: {type: integer, maximum: 9}
    Secret:
      type: object
      required: [id, password]
      properties:
        id: {type: integer, readOnly: true}
        password: {type: string, writeOnly: true}
    Wrapper:
      type: object
      properties:
        secret: {$ref: '#/components/schemas/Secret'}
        secrets: {type: array, items: {$ref: '#/components/schemas/Secret'}}
    PetInput: {type: object, properties: {a: {type: string}}}
    Pet: {type: object, properties: {b: {type: string, readOnly: true}}}
    Alias: {$ref: '#/components/schemas/Tree'}
    Count: {type: integer, format: int32, minimum: 0}
    Errors: {type: object, properties: {At: {type: string}}}
    Validate: {type: string, enum: [x]}
"###;

/// Tests run inside the generated crate, against its generated names.
const BEHAVIOUR: &str = r###"//! Behaviour of the server generated from the hostile spec.

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use hostile_names_server::models::{Box2, Error, Option2, Result2, Shape, Tree};
use hostile_names_server::server::*;
use hostile_names_server::{AuthError, RequestContext};
use serde_json::{Value, json};
use tower::ServiceExt;

struct Impl;

impl hostile_names_server::Api for Impl {
    type Principal = String;

    // Schemes named like the operation `authenticate_self` and like each other after case
    // conversion (`api-key`, `api_key`) get numbered hooks.
    async fn authenticate_self_2(&self, token: &str, scopes: &'static [&'static str]) -> Result<String, AuthError> {
        assert!(scopes.is_empty());
        if token == "t" { Ok("self".into()) } else { Err(AuthError::Unauthenticated) }
    }
    async fn authenticate_api_key(&self, key: &str, _scopes: &'static [&'static str]) -> Result<String, AuthError> {
        if key == "c" { Ok("api-key".into()) } else { Err(AuthError::Unauthenticated) }
    }
    async fn authenticate_api_key_2(&self, key: &str, scopes: &'static [&'static str]) -> Result<String, AuthError> {
        assert_eq!(scopes, ["a\"b", "*/"]);
        if key == "q y" { Ok("api_key".into()) } else { Err(AuthError::Forbidden) }
    }
    async fn authenticate_type(&self, user: &str, password: &str, _scopes: &'static [&'static str]) -> Result<String, AuthError> {
        if (user, password) == ("ü", "p:w") { Ok("type".into()) } else { Err(AuthError::Unauthenticated) }
    }
    async fn authenticate_digest(&self, credentials: &str, _scopes: &'static [&'static str]) -> Result<String, AuthError> {
        if credentials == "username=\"u\"" { Ok("digest".into()) } else { Err(AuthError::Unavailable) }
    }
    async fn authenticate_oauth(&self, token: &str, scopes: &'static [&'static str]) -> Result<String, AuthError> {
        assert_eq!(scopes, ["write"]);
        if token == "o" { Ok("oauth".into()) } else { Err(AuthError::Unauthenticated) }
    }
    // `authenticate_mtls` is not implemented: it refuses.

    async fn authenticate_self(&self, _request: AuthenticateSelfRequest, context: RequestContext<String>) -> AuthenticateSelfResponse {
        let who: Vec<String> = context.principals().iter().map(|p| format!("{}={}", p.scheme, p.principal)).collect();
        AuthenticateSelfResponse::Ok(who.join("+"))
    }
    async fn principal(&self, _request: PrincipalRequest, context: RequestContext<String>) -> PrincipalResponse {
        PrincipalResponse::Ok(format!("{:?}", context.principal()))
    }

    async fn self_(&self, request: SelfRequest, _context: hostile_names_server::RequestContext<String>) -> SelfResponse {
        let body = Option2 {
            some: "ok".to_string(),
            none: request.result.map(i64::from),
            self_: format!("{:?}|{:?}|{:?}", request.result_2, request.r#async, request.errors),
            self_2: Some(request.x_request_id),
            r#type: Some(request.r#type),
            foo_bar: request.session,
            foo_bar_2: request.filter.and_then(|f| f.min).map(|m| m.to_string()),
            field: None,
            _2fa: None,
            u540d_u524d: None,
            nullable_required: Some(None),
            nothing: None,
            mixed: Some(hostile_names_server::models::Option2Mixed::Integer(3)),
            r_raw: None,
        };
        SelfResponse::Ok { body, x_rate_limit: Some(5), response: request.foo, foo: None }
    }

    async fn self_2(&self, request: SelfRequest2, _context: hostile_names_server::RequestContext<String>) -> SelfResponse2 {
        assert_eq!(request.body.as_deref(), Some("plain text"));
        SelfResponse2::NoContent
    }

    async fn super_(&self, request: SuperRequest, _context: hostile_names_server::RequestContext<String>) -> SuperResponse {
        match request.body {
            Shape::Circle(_) => SuperResponse::Created(Some(Box2::Integer(7))),
            Shape::Square(_) => SuperResponse::Created(None),
        }
    }

    async fn crate_(&self, request: CrateRequest, _context: hostile_names_server::RequestContext<String>) -> CrateResponse {
        let mut error = Error { message: "m".to_string(), code: 1, additional_properties: Default::default() };
        error.additional_properties.insert("count".to_string(), request.body.count);
        error.additional_properties.insert("names".to_string(), request.body.names.map_or(0, |n| n.len() as i64));
        error.additional_properties.insert("id".to_string(), request.id);
        if let Some(range) = request.body.range {
            error.additional_properties.insert("from".to_string(), range.from.unwrap_or_default());
        }
        CrateResponse::Ok(error)
    }

    async fn get_tree(&self, request: GetTreeRequest, _context: hostile_names_server::RequestContext<String>) -> GetTreeResponse {
        let leaf = Tree { children: None, parent: None, either: None };
        GetTreeResponse::Ok(Tree {
            children: Some(vec![leaf.clone()]),
            parent: Some(Box::new(leaf)),
            either: Some(Box::new(hostile_names_server::models::TreeEither::String(request.name))),
        })
    }

    async fn unroutable(&self, _request: UnroutableRequest, _context: hostile_names_server::RequestContext<String>) -> UnroutableResponse {
        UnroutableResponse::Ok
    }

    async fn binary(&self, request: BinaryRequest, _context: hostile_names_server::RequestContext<String>) -> BinaryResponse {
        BinaryResponse::Ok(request.body.unwrap_or_default().into())
    }

    // Operations named like keywords, like the router's own locals and modules, and like the
    // conversion methods every type has: each is routed to its own method.
    async fn r#type(&self, _request: TypeRequest, _context: hostile_names_server::RequestContext<String>) -> TypeResponse { TypeResponse::Ok("type".into()) }
    async fn r#match(&self, _request: MatchRequest, _context: hostile_names_server::RequestContext<String>) -> MatchResponse { MatchResponse::Ok("Match".into()) }
    async fn r#box(&self, _request: BoxRequest, _context: hostile_names_server::RequestContext<String>) -> BoxResponse { BoxResponse::Ok("Box".into()) }
    async fn r#fn(&self, _request: FnRequest, _context: hostile_names_server::RequestContext<String>) -> FnResponse { FnResponse::Ok("fn".into()) }
    async fn api(&self, _request: ApiRequest, _context: hostile_names_server::RequestContext<String>) -> ApiResponse { ApiResponse::Ok("api".into()) }
    async fn config(&self, _request: ConfigRequest, _context: hostile_names_server::RequestContext<String>) -> ConfigResponse { ConfigResponse::Ok("config".into()) }
    async fn routes(&self, _request: RoutesRequest, _context: hostile_names_server::RequestContext<String>) -> RoutesResponse { RoutesResponse::Ok("routes".into()) }
    async fn models(&self, _request: ModelsRequest, _context: hostile_names_server::RequestContext<String>) -> ModelsResponse { ModelsResponse::Ok("models".into()) }
    async fn into(&self, _request: IntoRequest, _context: hostile_names_server::RequestContext<String>) -> IntoResponse2 { IntoResponse2::Ok("into".into()) }
    async fn try_into(&self, _request: TryIntoRequest, _context: hostile_names_server::RequestContext<String>) -> TryIntoResponse { TryIntoResponse::Ok("try_into".into()) }
    async fn from_json(&self, _request: FromJsonRequest, _context: hostile_names_server::RequestContext<String>) -> FromJsonResponse { FromJsonResponse::Ok("from_json".into()) }
    async fn into_archive(&self, _request: IntoArchiveRequest, _context: hostile_names_server::RequestContext<String>) -> IntoArchiveResponse { IntoArchiveResponse::Ok("into_archive".into()) }
    async fn new(&self, _request: NewRequest, _context: hostile_names_server::RequestContext<String>) -> NewResponse { NewResponse::Ok("new".into()) }
    async fn formats(&self, _request: FormatsRequest, _context: hostile_names_server::RequestContext<String>) -> FormatsResponse { FormatsResponse::NoContent }
}

async fn call(method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> (u16, String, Value) {
    let mut builder = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder.body(Body::from(body.to_string())).unwrap_or_else(|e| panic!("{e}"));
    let response = hostile_names_server::router(Impl).oneshot(request).await.unwrap_or_else(|e| match e {});
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let rate = response.headers().get("x-rate-limit").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let bytes = response.into_body().collect().await.unwrap_or_else(|e| panic!("{e}")).to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, format!("{content_type}|{rate}"), json)
}

async fn challenges(uri: &str, headers: &[(&str, &str)]) -> (u16, Vec<String>, String) {
    let mut builder = Request::builder().uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder.body(Body::empty()).unwrap_or_else(|e| panic!("{e}"));
    let response = hostile_names_server::router(Impl).oneshot(request).await.unwrap_or_else(|e| match e {});
    let status = response.status().as_u16();
    let challenges = response.headers().get_all("www-authenticate").iter().map(|v| v.to_str().unwrap_or("?").to_string()).collect();
    let bytes = response.into_body().collect().await.unwrap_or_else(|e| panic!("{e}")).to_bytes();
    (status, challenges, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn every_scheme_kind_reaches_its_hook_and_alternatives_are_or() {
    let ok = |who: &str| (200, String::from("text/plain|"), Value::String(who.to_string()));
    // bearer AND cookie key.
    assert_eq!(call("GET", "/secure", &[("authorization", "Bearer t"), ("cookie", "sid=c")], "").await, ok("self=self+api-key=api-key"));
    // A query key, percent-decoded, under a name with a quote.
    assert_eq!(call("GET", "/secure?k%22ey=q%20y", &[], "").await, ok("api_key=api_key"));
    // Basic, UTF-8, a colon in the password: base64("ü:p:w").
    assert_eq!(call("GET", "/secure", &[("authorization", "Basic w7w6cDp3")], "").await, ok("type=type"));
    assert_eq!(call("GET", "/secure", &[("authorization", "digest username=\"u\"")], "").await, ok("digest=digest"));
    // A bearer token the AND alternative cannot use (no cookie) is oauth2's.
    assert_eq!(call("GET", "/secure", &[("authorization", "Bearer o")], "").await, ok("oauth=oauth"));
    // `security: []` opens an operation.
    assert_eq!(call("POST", "/secure", &[], "").await, ok("None"));

    // Nothing sent: every scheme's challenge once, the realm quoted.
    let (status, found, body) = challenges("/secure", &[]).await;
    assert_eq!(status, 401, "{body}");
    let realm = r#"realm="Hostile */ \"names\"""#;
    assert_eq!(found, [
        format!("Bearer {realm}"),
        format!(r#"ApiKey {realm}, in="cookie", name="sid""#),
        format!(r#"ApiKey {realm}, in="query", name="k\"ey""#),
        format!(r#"Basic {realm}, charset="UTF-8""#),
        format!("Digest {realm}"),
        format!(r#"Bearer {realm}, scope="write""#),
    ]);
    assert!(body.contains("a verified client certificate (mtls)"), "{body}");
    assert!(body.contains("a scheme this server cannot check (undeclared)"), "{body}");
    // Half of the AND alternative: refused.
    assert_eq!(challenges("/secure", &[("cookie", "sid=c")]).await.0, 401);
    // A hook's Forbidden is 403, its Unavailable 503; a client certificate no layer verified is no credential.
    assert_eq!(challenges("/secure?k%22ey=other", &[]).await.0, 403);
    assert_eq!(challenges("/secure", &[("authorization", "Digest x")]).await.0, 503);
}

fn assert_invalid(reply: &(u16, String, Value), needle: &str) {
    assert_eq!(reply.0, 400, "{reply:?}");
    assert!(reply.2["detail"].as_str().is_some_and(|d| d.contains(needle)), "{needle:?} not in {reply:?}");
}

const ID: (&str, &str) = ("x-request-id", "abc");

#[tokio::test]
async fn parameters_in_every_location_are_typed_and_validated() {
    let (status, headers, body) = call(
        "GET",
        "/things/abc?Result=3&result=b&async=true&errors=1&errors=2&filter%5Bmin%5D=4&foo=bar",
        &[ID, ("cookie", "other=1; session=Zoë")],
        "",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers, "application/json|5");
    assert_eq!(body["type"], json!("abc"));
    assert_eq!(body["Some"], json!("ok"));
    assert_eq!(body["None"], json!(3));
    assert_eq!(body["self"], json!("Some(B)|Some(true)|Some([1, 2])"));
    assert_eq!(body["Self"], json!("abc"));
    assert_eq!(body["fooBar"], json!("Zoë"));
    assert_eq!(body["foo_bar"], json!("4"));
    assert_eq!(body["nullable_required"], Value::Null);
    assert!(body.get("名前").is_none());

    assert_invalid(&call("GET", "/things/ABC", &[ID], "").await, "path parameter `type`: must match the pattern `^[a-z]+$`");
    assert_invalid(&call("GET", "/things/abc", &[ID, ("cookie", "session=123")], "").await, "cookie parameter `session`: must match");
    assert_invalid(&call("GET", "/things/abc", &[], "").await, "header parameter `X-Request-ID`: is required");
    assert_invalid(&call("GET", "/things/abc", &[("x-request-id", "ab")], "").await, "at least 3 characters");
    assert_invalid(&call("GET", "/things/abc?Result=11", &[ID], "").await, "query parameter `Result`: must be at most 10");
    assert_invalid(&call("GET", "/things/abc?Result=99999999999", &[ID], "").await, "query parameter `Result`: invalid value");
    assert_invalid(&call("GET", "/things/abc?result=c", &[ID], "").await, "query parameter `result`: unknown variant `c`");
    assert_invalid(&call("GET", "/things/abc?async=yes", &[ID], "").await, "query parameter `async`: invalid type");
    assert_invalid(&call("GET", "/things/abc?errors=1&errors=2&errors=3", &[ID], "").await, "at most 2 items");
    assert_invalid(&call("GET", "/things/abc?filter%5Bmax%5D=x", &[ID], "").await, "query parameter `filter` at `/max`: invalid type");
}

#[tokio::test]
async fn operations_named_like_keywords_locals_and_conversions_reach_their_own_method() {
    let cases = [
        ("GET", "/names/keywords", "type"),
        ("POST", "/names/keywords", "Match"),
        ("PUT", "/names/keywords", "Box"),
        ("DELETE", "/names/keywords", "fn"),
        ("GET", "/names/router", "api"),
        ("POST", "/names/router", "config"),
        ("PUT", "/names/router", "routes"),
        ("DELETE", "/names/router", "models"),
        ("GET", "/names/conversions", "into"),
        ("POST", "/names/conversions", "try_into"),
        ("PUT", "/names/conversions", "from_json"),
        ("DELETE", "/names/conversions", "into_archive"),
        ("PATCH", "/names/conversions", "new"),
    ];
    for (method, uri, name) in cases {
        let (status, _, body) = call(method, uri, &[], "").await;
        assert_eq!((status, body), (200, json!(name)), "{method} {uri}");
    }
}

#[tokio::test]
async fn one_of_with_a_discriminator_dispatches_on_the_tag() {
    let json = ("content-type", "application/json");
    let (status, _, body) = call("POST", "/things", &[json], r#"{"kind": "round", "radius": 1.5}"#).await;
    assert_eq!((status, body), (201, json!(7)));
    let (status, _, body) = call("POST", "/things", &[json], r#"{"kind": "Square", "side": 2}"#).await;
    assert_eq!((status, body), (201, Value::Null));
    assert_invalid(&call("POST", "/things", &[json], r#"{"kind": "Square", "side": 3}"#).await, "must be a multiple of 2");
    assert_invalid(&call("POST", "/things", &[json], r#"{"kind": "round", "radius": 0}"#).await, "must be greater than 0");
    assert_invalid(&call("POST", "/things", &[json], r#"{"kind": "round", "radius": 1, "extra": 1}"#).await, "request body at `/extra`: is not a property the schema allows");
    assert_invalid(&call("POST", "/things", &[json], r#"{"kind": "hexagon"}"#).await, "unknown kind `hexagon`, expected one of `round`, `Square`");
    assert_invalid(&call("POST", "/things", &[json], r#"{"radius": 1}"#).await, "kind");
    assert_eq!(call("POST", "/things", &[json], r#"["round", 1.5]"#).await.0, 400);
    assert_invalid(&call("POST", "/formats/123e4567-e89b-12d3-a456-426614174000", &[json], r#"{"nested": ["x"]}"#).await, "request body at `/nested`: invalid type: expected object");
}

#[tokio::test]
async fn formats_are_checked_in_every_location() {
    let uuid = "/formats/123e4567-e89b-12d3-a456-426614174000";
    let good = [("content-type", "application/json"), ("x-mail", "a@example.com"), ("cookie", "ip=127.0.0.1")];
    let body = r#"{"at": "2024-02-29T12:00:00Z", "hosts": ["example.com"], "nested": {"url": "https://x.test/a", "ratio": 1.5, "raw": "aGk=", "span": "P1DT2H"}, "unknown": "anything"}"#;
    let (status, _, reply) = call("POST", &format!("{uuid}?day=2024-02-29"), &good, body).await;
    assert_eq!(status, 204, "{reply}");

    assert_invalid(&call("POST", "/formats/..%2F..%2Fetc%2Fpasswd", &good, body).await, "path parameter `id`: must be a valid uuid");
    // Percent-decoded bytes that are not UTF-8: the parameter's error, named as the spec names it.
    assert_invalid(&call("POST", "/formats/%FF%FE", &good, body).await, "path parameter `id`: is not UTF-8 once percent-decoded");
    assert_invalid(&call("POST", &format!("{uuid}?day=yesterday"), &good, body).await, "query parameter `day`: must be a valid date");
    let bad = [("content-type", "application/json"), ("x-mail", "nope"), ("cookie", "ip=256.1.1.1")];
    let body = r#"{"at": "2023-02-29T12:00:00Z", "hosts": ["ok.test", "-bad"], "nested": {"url": "/relative", "ratio": 1e39, "raw": "not base64!", "span": "P1H"}}"#;
    let reply = call("POST", "/formats/x", &bad, body).await;
    let details: Vec<&str> = reply.2["errors"].as_array().into_iter().flatten().filter_map(|e| e["detail"].as_str()).collect();
    assert_eq!(details, [
        "path parameter `id`: must be a valid uuid",
        "header parameter `X-Mail`: must be a valid email",
        "cookie parameter `ip`: must be a valid ipv4",
        "request body at `/at`: must be a valid date-time",
        "request body at `/hosts/1`: must be a valid hostname",
        "request body at `/nested/url`: must be a valid uri",
        "request body at `/nested/ratio`: must be within the range of a float (32 bits)",
        "request body at `/nested/raw`: must be a valid byte",
        "request body at `/nested/span`: must be a valid duration",
    ], "{reply:?}");
}

#[test]
fn untagged_one_of_deserializes_the_most_specific_variant() {
    let parse = |text: &str| serde_json::from_str::<Option<Box2>>(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert!(matches!(parse(r#"{"x": 1, "y": 2}"#), Some(Box2::Variant5(_))));
    assert!(matches!(parse(r#"{"x": 1}"#), Some(Box2::Variant4(_))));
    assert!(matches!(parse(r#""ok""#), Some(Box2::Result2(Result2::Ok))));
    assert!(matches!(parse(r#""*/""#), Some(Box2::Result2(Result2::V2))));
    assert!(matches!(parse(r#""123""#), Some(Box2::String(_))));
    assert!(matches!(parse("5"), Some(Box2::Integer(5))));
    assert!(matches!(parse("5.5"), Some(Box2::Number(_))));
    assert!(parse("null").is_none());
    // An object variant is never read from an array (serde's derive would take `[1, 2]` as {x, y}).
    assert!(serde_json::from_str::<Option<Box2>>("[1, 2]").is_err());
}

#[tokio::test]
async fn forms_text_binary_maps_and_recursion() {
    let form = ("content-type", "application/x-www-form-urlencoded");
    let (status, _, body) = call("PATCH", "/crate/9", &[form], "count=2&names=a&names=b").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"message": "m", "code": 1, "count": 2, "names": 2, "id": 9}));
    let (_, _, body) = call("PATCH", "/crate/9", &[form], "count=1&range%5Bfrom%5D=3&range%5Bto%5D=4").await;
    assert_eq!(body["from"], json!(3), "{body}");
    assert_invalid(&call("PATCH", "/crate/9", &[form], "count=1&range%5Bto%5D=x").await, "request body at `/range/to`: invalid type");
    assert_invalid(&call("PATCH", "/crate/9", &[form], "count=0").await, "request body at `/count`: must be at least 1");
    assert_invalid(&call("PATCH", "/crate/9", &[form], "names=a").await, "request body at `/count`: is required");
    assert_invalid(&call("PATCH", "/crate/9", &[form], "").await, "request body: is required");

    let (status, _, _) = call("PUT", "/things", &[("content-type", "text/plain")], "plain text").await;
    assert_eq!(status, 204);
    let (status, headers, body) = call("POST", "/bin", &[("content-type", "application/octet-stream")], "raw").await;
    assert_eq!((status, headers.as_str(), body), (200, "image/png|", json!("raw")));

    let (status, _, body) = call("GET", "/crate/x%20y/tree", &[], "").await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"children": [{}], "parent": {}, "either": "x y"}));

    // The operation whose path axum cannot route is not served.
    assert_eq!(call("GET", "/files/a.json", &[], "").await.0, 404);
}
"###;

#[test]
fn hostile_names_compile_cleanly_and_behave() {
    let dir = fresh_dir("rust-server-hostile");
    let generated = generate(&dir, "hostile.yaml", SPEC);

    // What could not be generated exactly is said, with a location.
    let messages: Vec<&str> = generated
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`/files/{name}.json` cannot be routed")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("contains itself only through arrays")),
        "{messages:?}"
    );
    assert!(generated.findings.iter().all(|f| f.location.is_some()));

    // The comment terminators and quotes of the spec stay inside doc comments and literals.
    let server = generated.files.get("src/server.rs").unwrap_or_default();
    assert!(
        server.contains("/// */ fn main() {} /*"),
        "summary as a doc line"
    );
    assert!(
        !server
            .lines()
            .any(|l| l.trim_start().starts_with("fn main")),
        "no code injected"
    );

    let crate_dir = dir.join("crate");
    generated
        .files
        .write(&crate_dir)
        .unwrap_or_else(|e| panic!("{e}"));
    add_behaviour(&crate_dir, TOWER, BEHAVIOUR);
    lint_and_test(&crate_dir);
}
