//! Validation of everything a request-body schema says (#12 item 3), against a generated server:
//! every error of a body reported at once with its JSON pointer (serde stops at the first),
//! pointers inside discriminated and untagged unions, and the JSON Schema 2020-12 keywords that
//! have no Rust type (`if`/`then`/`else`, `dependentRequired`, `contains`/`minContains`,
//! `unevaluatedProperties: false`, `items: false`, `patternProperties` values), checked through
//! the schema the generator embeds. The spec is generated into a crate that must pass
//! `cargo clippy -- -D warnings`, and whose own tests (below, run with `cargo test` inside it)
//! send the hostile bodies.
//!
//! The crate is built in `target/rust-corpus` (or `$OASKIT_RUST_TARGET_DIR`), the target
//! directory the corpus script and `rust_server_hostile` share, so dependencies compile once.

mod common;

use common::generated_crate::{TOWER, add_behaviour, fresh_dir, generate, lint_and_test};

const SPEC: &str = r###"openapi: 3.1.0
info: {title: Validation, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
      responses: {'204': {description: ok}}
  /notifications:
    post:
      operationId: notify
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Notification'}}}
      responses: {'204': {description: ok}}
  /rules:
    post:
      operationId: rules
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Rules'}}}
      responses: {'204': {description: ok}}
  /subscriptions:
    post:
      operationId: subscribe
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [email]
              properties:
                email: {type: string, format: email}
                topics: {type: array, items: {type: string}}
                prefs: {type: object, properties: {lang: {type: string}}}
              additionalProperties: false
      responses: {'204': {description: ok}}
  /uploads:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties: {file: {type: string, format: binary}, caption: {type: string}}
              additionalProperties: false
      responses: {'204': {description: ok}}
  /search:
    get:
      operationId: search
      parameters:
        - {name: limit, in: query, schema: {type: integer, format: int32, default: 20}}
        - {name: order, in: query, schema: {type: string, enum: [asc, desc], default: desc}}
        - {name: page, in: query, schema: {type: integer, default: first}}
        - {name: X-Trace, in: header, schema: {type: boolean, default: true}}
        - {name: lang, in: cookie, schema: {type: string, default: en}}
      responses:
        '200':
          description: what the handler saw
          content: {application/json: {schema: {$ref: '#/components/schemas/Settings'}}}
  /settings:
    put:
      operationId: putSettings
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Settings'}}}
      responses:
        '200':
          description: the settings as the handler sees them
          content: {application/json: {schema: {$ref: '#/components/schemas/Settings'}}}
  /preferences:
    post:
      operationId: setPreferences
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties: {theme: {type: string, default: light}, size: {type: integer, default: 3}}
      responses:
        '200':
          description: the settings as the handler sees them
          content: {application/json: {schema: {$ref: '#/components/schemas/Settings'}}}
  /codes:
    post:
      operationId: code
      parameters:
        - {name: id, in: query, schema: {type: [integer, string]}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Coded'}}}
      responses:
        '200':
          description: the body as the handler typed it
          content: {application/json: {schema: {$ref: '#/components/schemas/Coded'}}}
  /things/{code}:
    get:
      operationId: findThings
      parameters:
        - {name: code, in: path, required: true, schema: {type: string, not: {const: none}}}
        - name: filter
          in: query
          style: deepObject
          schema: {type: object, properties: {min: {type: integer}, max: {type: integer}}, dependentRequired: {min: [max]}}
        - {name: tags, in: query, schema: {type: array, items: {type: string, minLength: 1}, contains: {const: a}}}
        - {name: X-Size, in: header, schema: {type: integer, minimum: 0, if: {minimum: 100}, then: {multipleOf: 100}}}
        - {name: session, in: cookie, schema: {type: string, not: {pattern: '^guest'}}}
      responses: {'204': {description: ok}}
  /signups:
    post:
      operationId: signUp
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                plan: {type: string, default: free}
                card: {type: string}
                coupon: {type: string}
                age: {type: integer, not: {const: 13}}
              if: {properties: {plan: {const: paid}}, required: [plan]}
              then: {required: [card]}
              dependentRequired: {coupon: [plan]}
              unevaluatedProperties: false
      responses: {'204': {description: ok}}
  /labels:
    post:
      operationId: setLabels
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, patternProperties: {'^x-': {type: string, maxLength: 3}}, additionalProperties: false}
      responses: {'204': {description: ok}}
  /notes:
    post:
      operationId: addNote
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties: {title: {type: string}, text: {type: string}}
              dependentRequired: {title: [text]}
      responses: {'204': {description: ok}}
  /profiles:
    post:
      operationId: setProfile
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties: {nick: {type: string, not: {const: admin}}, photo: {type: string, format: binary}}
              dependentRequired: {nick: [photo]}
      responses: {'204': {description: ok}}
components:
  schemas:
    Coded:
      type: object
      properties:
        code: {type: [string, integer, "null"], minLength: 2, minimum: 10}
        amount: {type: [integer, number], maximum: 100}
        note: {type: string}
        pair: {type: array, prefixItems: [{type: string}, {type: integer, minimum: 0}], items: false, minItems: 2}
        line: {type: array, prefixItems: [{type: string, minLength: 1}, {type: integer}], items: {type: integer, maximum: 9}, minItems: 1}
        labels: {type: object, patternProperties: {'^x-': {type: integer, maximum: 9}}, additionalProperties: false}
        ext: {type: object, properties: {name: {type: string}}, patternProperties: {'^x-': {type: integer}}, additionalProperties: false}
        either: {type: [object, string], required: [a], properties: {a: {type: integer, minimum: 1}}, minLength: 2}
        pairOrName: {type: [array, string], prefixItems: [{type: string}, {type: integer, minimum: 0}], items: false}
    Reach:
      oneOf:
        - {title: Reach by phone, type: object, required: [phone], properties: {phone: {type: string}}, additionalProperties: false}
        - {title: Email, type: object, required: [email], properties: {email: {type: string}}, additionalProperties: false}
    Settings:
      type: object
      properties:
        theme: {type: string, enum: [light, dark], default: light}
        size: {type: integer, default: 10}
        ratio: {type: number, default: 1}
        tags: {type: array, items: {type: string}, default: [a]}
        note: {type: [string, "null"], default: null}
        motto: {type: [string, "null"], default: hi}
        id: {type: string, readOnly: true, default: none}
        wrong: {type: integer, default: "ten"}
        outside: {type: string, enum: [a, b], default: c}
        limits: {type: object, properties: {max: {type: integer}}, default: {max: 1}}
        unset: {type: integer, default: null}
        level: {type: integer, minimum: 1, default: 0}
    Pet:
      type: object
      required: [name, age]
      properties:
        name: {type: string, minLength: 1}
        age: {type: integer, format: int32, minimum: 0}
        tags: {type: array, items: {type: string}}
        owner:
          type: object
          required: [email]
          properties: {email: {type: string, format: email}}
    Notification:
      type: object
      required: [target]
      properties:
        target: {$ref: '#/components/schemas/Target'}
        backup: {$ref: '#/components/schemas/Contact'}
    Target:
      oneOf:
        - {$ref: '#/components/schemas/Webhook'}
        - {$ref: '#/components/schemas/Mailbox'}
      discriminator:
        propertyName: kind
        mapping: {webhook: '#/components/schemas/Webhook', mailbox: '#/components/schemas/Mailbox'}
    Webhook:
      type: object
      required: [kind, url]
      properties: {kind: {type: string}, url: {type: string, format: uri}, retries: {type: integer, maximum: 5}}
    Mailbox:
      type: object
      required: [kind, address]
      properties: {kind: {type: string}, address: {type: string, format: email}}
    Contact:
      oneOf:
        - {type: object, required: [phone], properties: {phone: {type: string, pattern: '^[0-9]+$'}}, additionalProperties: false}
        - {type: object, required: [email], properties: {email: {type: string, format: email}}, additionalProperties: false}
    Rules:
      type: object
      properties:
        kind: {type: string}
        tags: {type: array, items: {type: string}, contains: {const: urgent}, minContains: 1}
        pair: {type: array, prefixItems: [{type: string}, {type: integer}], items: false}
        labels: {type: object, patternProperties: {'^x-': {type: integer}}}
        limit: {type: integer}
        unit: {type: string}
      if: {properties: {kind: {const: strict}}, required: [kind]}
      then: {required: [tags]}
      dependentRequired: {limit: [unit]}
      unevaluatedProperties: false
"###;

const BEHAVIOUR: &str = r###"
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use validation_server::server::*;
use validation_server::RequestContext;
use validation_server::models;

struct Impl;

impl Api for Impl {
    async fn create_pet(&self, _request: CreatePetRequest, _context: RequestContext) -> CreatePetResponse {
        CreatePetResponse::NoContent
    }

    async fn notify(&self, _request: NotifyRequest, _context: RequestContext) -> NotifyResponse {
        NotifyResponse::NoContent
    }

    async fn rules(&self, _request: RulesRequest, _context: RequestContext) -> RulesResponse {
        RulesResponse::NoContent
    }

    async fn subscribe(&self, _request: SubscribeRequest, _context: RequestContext) -> SubscribeResponse {
        SubscribeResponse::NoContent
    }

    async fn upload(&self, _request: UploadRequest, _context: RequestContext) -> UploadResponse {
        UploadResponse::NoContent
    }

    // Defaults: the handler gets values, not `Option`s (these bindings only compile so).
    async fn search(&self, request: SearchRequest, _context: RequestContext) -> SearchResponse {
        let (limit, order, trace, lang): (i32, models::SearchOrder, bool, String) =
            (request.limit, request.order, request.x_trace, request.lang);
        // An invalid default (`first` for an integer) is not applied.
        let page: Option<i64> = request.page;
        let note = format!("{limit} {order:?} {trace} {lang} {page:?}");
        SearchResponse::Ok(models::Settings { note: Some(note), ..settings() })
    }

    async fn put_settings(&self, request: PutSettingsRequest, _context: RequestContext) -> PutSettingsResponse {
        let body: models::SettingsInput = request.body;
        let (theme, size, ratio, tags): (models::SettingsTheme, i64, f64, Vec<String>) =
            (body.theme, body.size, body.ratio, body.tags);
        let (note, motto): (Option<String>, Option<String>) = (body.note, body.motto);
        // Defaults that do not fit their type, or that a type cannot spell, stay `Option`s.
        let (wrong, outside, limits) = (body.wrong, body.outside, body.limits);
        let (_, _, _, _): (Option<i64>, Option<models::SettingsOutside>, Option<models::SettingsLimits>, Option<i64>) = (wrong, outside, limits, body.unset);
        // So do defaults their own schema refuses (`0` below `minimum: 1`).
        let _: Option<i64> = body.level;
        PutSettingsResponse::Ok(models::Settings { theme, size, ratio, tags, note, motto, ..settings() })
    }

    // `type` arrays are enums of their JSON types.
    async fn code(&self, request: CodeRequest, _context: RequestContext) -> CodeResponse {
        let body: models::Coded = request.body;
        let code: Option<Option<models::CodedCode>> = body.code.clone();
        let amount: Option<models::CodedAmount> = body.amount.clone();
        // `prefixItems` are tuples: fixed with `items: false`, else optional positions and the rest.
        let pair: Option<models::CodedPair> = body.pair.clone();
        let line: Option<(String, Option<i64>, Vec<i64>)> = body.line.clone().map(|models::CodedLine(a, b, rest)| (a, b, rest));
        // Typed `patternProperties` maps.
        let labels: Option<std::collections::BTreeMap<String, i64>> = body.labels.clone();
        let ext: Option<std::collections::BTreeMap<String, i64>> = body.ext.clone().map(|ext| ext.additional_properties);
        // A `type` array with `properties` or `prefixItems`: its object arm is their struct,
        // its array arm their tuple.
        let either: Option<models::CodedEither> = body.either.clone();
        let pair_or_name: Option<models::CodedPairOrName> = body.pair_or_name.clone();
        let note = if let Some(models::CodedEither::Object(models::CodedEitherObject { a })) = &either {
            format!("object {a}")
        } else if let Some(models::CodedEither::String(text)) = &either {
            format!("string {text}")
        } else if let Some(models::CodedPairOrName::Array(models::CodedPairOrNameArray(name, n))) = &pair_or_name {
            format!("pair {name:?} {n:?}")
        } else if let Some(models::CodedPairOrName::String(text)) = &pair_or_name {
            format!("name {text}")
        } else if let Some(ext) = ext {
            format!("{ext:?}")
        } else if let Some(labels) = labels {
            format!("{labels:?}")
        } else if pair.is_some() || line.is_some() {
            format!("{pair:?} {line:?}")
        } else {
            format!("{:?} {code:?} {amount:?}", request.id)
        };
        CodeResponse::Ok(models::Coded { note: Some(note), ..body })
    }

    async fn find_things(&self, _request: FindThingsRequest, _context: RequestContext) -> FindThingsResponse {
        FindThingsResponse::NoContent
    }

    async fn sign_up(&self, _request: SignUpRequest, _context: RequestContext) -> SignUpResponse {
        SignUpResponse::NoContent
    }

    async fn set_labels(&self, _request: SetLabelsRequest, _context: RequestContext) -> SetLabelsResponse {
        SetLabelsResponse::NoContent
    }

    async fn add_note(&self, _request: AddNoteRequest, _context: RequestContext) -> AddNoteResponse {
        AddNoteResponse::NoContent
    }

    async fn set_profile(&self, _request: SetProfileRequest, _context: RequestContext) -> SetProfileResponse {
        SetProfileResponse::NoContent
    }

    async fn set_preferences(&self, request: SetPreferencesRequest, _context: RequestContext) -> SetPreferencesResponse {
        let (theme, size): (String, i64) = (request.body.theme, request.body.size);
        SetPreferencesResponse::Ok(models::Settings { note: Some(format!("{theme} {size}")), ..settings() })
    }
}

/// Every field of `Settings` is optional: it is `Default`, at the spec's defaults.
fn settings() -> models::Settings {
    models::Settings {
        theme: models::SettingsTheme::Dark,
        size: 0,
        ratio: 0.0,
        tags: Vec::new(),
        motto: None,
        id: String::from("s1"),
        ..models::Settings::default()
    }
}

#[test]
fn union_variants_do_not_repeat_the_unions_name() {
    // Untitled branches: `Contact::Variant1(ContactVariant1)`, not `Contact::ContactVariant1`;
    // a title naming the union already is not prefixed twice (`ReachByPhone`).
    let contact = models::Contact::Variant1(models::ContactVariant1::new(String::from("123")));
    let reach = [
        models::Reach::ByPhone(models::ReachByPhone::new(String::from("123"))),
        models::Reach::Email(models::ReachEmail::new(String::from("a@example.com"))),
    ];
    assert_eq!(serde_json::to_value(&contact).ok(), Some(json!({"phone": "123"})));
    assert_eq!(serde_json::to_value(&reach).ok(), Some(json!([{"phone": "123"}, {"email": "a@example.com"}])));
}

#[test]
fn models_are_built_from_their_required_fields() {
    let pet = models::Pet { tags: Some(Vec::new()), ..models::Pet::new(String::from("Rex"), 3) };
    assert_eq!((pet.name.as_str(), pet.age, pet.owner), ("Rex", 3, None));
    let defaults = models::Settings::default();
    assert_eq!((defaults.theme, defaults.size, defaults.motto.as_deref()), (models::SettingsTheme::Light, 10, Some("hi")));
    assert_eq!(serde_json::to_value(models::Settings::new()).ok(), serde_json::from_str::<Value>("{}").ok().and_then(|v| serde_json::from_value::<models::Settings>(v).ok()).and_then(|s| serde_json::to_value(s).ok()));
}

async fn call(request: Request<Body>) -> (u16, Value) {
    let response = router(Impl).oneshot(request).await.unwrap_or_else(|e| match e {});
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap_or_else(|e| panic!("{e}")).to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn absent_values_take_their_defaults() {
    let get = |uri: &str| Request::builder().uri(uri).body(Body::empty()).unwrap_or_else(|e| panic!("{e}"));
    let (status, body) = call(get("/search")).await;
    assert_eq!((status, &body["note"]), (200, &json!("20 Desc true en None")), "{body}");
    let mut given = get("/search?limit=5&order=asc&page=2");
    given.headers_mut().insert("x-trace", "false".parse().unwrap_or_else(|e| panic!("{e:?}")));
    given.headers_mut().insert("cookie", "lang=fr".parse().unwrap_or_else(|e| panic!("{e:?}")));
    assert_eq!(call(given).await.1["note"], json!("5 Asc false fr Some(2)"));

    let put = |body: &str| {
        Request::builder().method("PUT").uri("/settings").header("content-type", "application/json")
            .body(Body::from(body.to_string())).unwrap_or_else(|e| panic!("{e}"))
    };
    let (status, body) = call(put("{}")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"theme": "light", "size": 10, "ratio": 1.0, "tags": ["a"], "note": null, "motto": "hi", "id": "s1"}));
    // `null` for a nullable property with a default is null, not the default.
    let (_, body) = call(put(r#"{"theme": "dark", "size": 2, "motto": null, "tags": []}"#)).await;
    assert_eq!(body, json!({"theme": "dark", "size": 2, "ratio": 1.0, "tags": [], "note": null, "motto": null, "id": "s1"}));

    let form = |body: &str| {
        Request::builder().method("POST").uri("/preferences").header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body.to_string())).unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(call(form("size=7")).await.1["note"], json!("light 7"));
    assert_eq!(call(form("theme=dark")).await.1["note"], json!("dark 3"));
}

/// The status of a JSON POST, and the pointer and detail of each error it reports.
async fn post(uri: &str, body: &str) -> (u16, Vec<(String, String)>) {
    post_as(uri, "application/json", body).await
}

async fn post_as(uri: &str, content_type: &str, body: &str) -> (u16, Vec<(String, String)>) {
    let request = Request::builder()
        .method("POST")
        .uri(uri)
        .header("content-type", content_type)
        .body(Body::from(body.to_string()))
        .unwrap_or_else(|e| panic!("{e}"));
    let response = router(Impl).oneshot(request).await.unwrap_or_else(|e| match e {});
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap_or_else(|e| panic!("{e}")).to_bytes();
    let problem: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let errors = problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["pointer"].as_str().unwrap_or("").to_string(),
                e["detail"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    (status, errors)
}

async fn pointers(uri: &str, body: Value) -> Vec<String> {
    let (status, errors) = post(uri, &body.to_string()).await;
    assert_eq!(status, if errors.is_empty() { 204 } else { 400 }, "{body}: {errors:?}");
    errors.into_iter().map(|(pointer, _)| pointer).collect()
}

#[tokio::test]
async fn a_body_with_three_wrong_fields_gets_three_errors() {
    assert!(pointers("/pets", json!({"name": "Rex", "age": 3})).await.is_empty());
    let (status, errors) = post("/pets", r#"{"name": 5, "age": "three", "owner": {"email": "nope"}}"#).await;
    assert_eq!(status, 400);
    assert_eq!(errors, [
        ("/age".to_string(), "request body at `/age`: invalid type: expected integer".to_string()),
        ("/name".to_string(), "request body at `/name`: invalid type: expected string".to_string()),
        ("/owner/email".to_string(), "request body at `/owner/email`: must be a valid email".to_string()),
    ]);
    // A missing property is pointed at; the int32 range is the schema's too.
    assert_eq!(pointers("/pets", json!({"age": 3_000_000_000_i64, "tags": [1]})).await, ["/age", "/name", "/tags/0"]);
    // JSON Schema's integers: 3.0 is one.
    assert!(pointers("/pets", json!({"name": "Rex", "age": 3.0})).await.is_empty());
    // What is not JSON is one error, as before.
    let (status, errors) = post("/pets", r#"{"name": "#).await;
    assert_eq!((status, errors.len()), (400, 1));
}

#[tokio::test]
async fn errors_inside_unions_point_inside_them() {
    let hook = json!({"kind": "webhook", "url": "https://example.com/hook"});
    assert!(pointers("/notifications", json!({"target": hook})).await.is_empty());
    assert_eq!(pointers("/notifications", json!({"target": {"kind": "webhook", "url": "not a uri"}})).await, ["/target/url"]);
    assert_eq!(pointers("/notifications", json!({"target": {"kind": "webhook", "url": "https://x.test", "retries": 9}})).await, ["/target/retries"]);
    assert_eq!(pointers("/notifications", json!({"target": {"kind": "mailbox", "address": 5}})).await, ["/target/address"]);
    // Untagged: the branch that came closest speaks, at its own pointer, not a Rust type name.
    let (status, errors) = post("/notifications", &json!({"target": hook, "backup": {"phone": "12ab"}}).to_string()).await;
    assert_eq!(status, 400);
    assert_eq!(errors.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), ["/backup/phone"], "{errors:?}");
    assert!(errors.iter().all(|e| !e.1.contains("Contact")), "{errors:?}");
    assert!(pointers("/notifications", json!({"target": hook, "backup": {"email": "a@example.com"}})).await.is_empty());
}

#[tokio::test]
async fn keywords_without_a_rust_type_are_checked() {
    let good = json!({"kind": "strict", "tags": ["urgent", "x"], "pair": ["a", 1], "labels": {"x-a": 1, "b": "s"}, "limit": 1, "unit": "s"});
    assert!(pointers("/rules", good).await.is_empty());
    // if/then/else
    assert_eq!(pointers("/rules", json!({"kind": "strict"})).await, ["/tags"]);
    assert!(pointers("/rules", json!({"kind": "lax"})).await.is_empty());
    // dependentRequired
    assert_eq!(pointers("/rules", json!({"limit": 1})).await, ["/unit"]);
    // contains / minContains
    assert_eq!(pointers("/rules", json!({"tags": ["x"]})).await, ["/tags"]);
    // prefixItems with items: false
    assert_eq!(pointers("/rules", json!({"pair": ["a", "b"]})).await, ["/pair/1"]);
    assert_eq!(pointers("/rules", json!({"pair": ["a", 1, 2]})).await, ["/pair/2"]);
    // patternProperties values
    assert_eq!(pointers("/rules", json!({"labels": {"x-a": "s"}})).await, ["/labels/x-a"]);
    // unevaluatedProperties: false
    assert_eq!(pointers("/rules", json!({"other": 1})).await, ["/other"]);
}

#[tokio::test]
async fn type_arrays_are_read_by_the_json_type_of_the_value() {
    let code = |uri: &str, body: Value| {
        Request::builder().method("POST").uri(uri).header("content-type", "application/json")
            .body(Body::from(body.to_string())).unwrap_or_else(|e| panic!("{e}"))
    };
    let (status, body) = call(code("/codes?id=7", json!({"code": 12, "amount": 2}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"code": 12, "amount": 2, "note": "Some(Integer(7)) Some(Some(Integer(12))) Some(Integer(2))"}));
    let (_, body) = call(code("/codes?id=x", json!({"code": "ab", "amount": 2.5}))).await;
    assert_eq!(body, json!({"code": "ab", "amount": 2.5, "note": "Some(String(\"x\")) Some(Some(String(\"ab\"))) Some(Number(2.5))"}));
    let (_, body) = call(code("/codes", json!({"code": null}))).await;
    assert_eq!(body, json!({"code": null, "note": "None Some(None) None"}));
    // Each variant is checked by the keywords of its type, at the value's pointer.
    assert_eq!(pointers("/codes", json!({"code": 5})).await, ["/code"]);
    assert_eq!(pointers("/codes", json!({"code": "a", "amount": 101.5})).await, ["/amount", "/code"]);
    let mut wrong_types = pointers("/codes", json!({"code": true, "amount": "x"})).await;
    wrong_types.sort();
    assert_eq!(wrong_types, ["/amount", "/code"]);
}

/// `type: [object, string]` with `properties` was the struct alone (a string was refused);
/// `type: [array, string]` with `prefixItems` had an array arm of `Vec<serde_json::Value>`.
#[tokio::test]
async fn type_arrays_type_their_object_and_array_arms() {
    let post = |body: Value| {
        Request::builder().method("POST").uri("/codes").header("content-type", "application/json")
            .body(Body::from(body.to_string())).unwrap_or_else(|e| panic!("{e}"))
    };
    let note = |body: Value| async move {
        let (status, body) = call(post(body)).await;
        assert_eq!(status, 200, "{body}");
        body["note"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(note(json!({"either": {"a": 3}})).await, "object 3");
    assert_eq!(note(json!({"either": "hello"})).await, "string hello");
    assert_eq!(note(json!({"pairOrName": ["n", 2]})).await, "pair Some(\"n\") Some(2)");
    assert_eq!(note(json!({"pairOrName": "rex"})).await, "name rex");
    // Each arm is checked by the keywords of its type.
    assert_eq!(pointers("/codes", json!({"either": {"a": 0}})).await, ["/either/a"]);
    assert_eq!(pointers("/codes", json!({"either": "x"})).await, ["/either"]);
    assert_eq!(pointers("/codes", json!({"either": 7})).await, ["/either"]);
    assert_eq!(pointers("/codes", json!({"pairOrName": ["n", -1]})).await, ["/pairOrName/1"]);
    assert_eq!(pointers("/codes", json!({"pairOrName": ["n", 1, 2]})).await, ["/pairOrName/2"]);
}

#[tokio::test]
async fn prefix_items_are_tuples_checked_per_position() {
    let post_json = |body: Value| {
        Request::builder().method("POST").uri("/codes").header("content-type", "application/json")
            .body(Body::from(body.to_string())).unwrap_or_else(|e| panic!("{e}"))
    };
    let (status, body) = call(post_json(json!({"pair": ["a", 1], "line": ["b"]}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"pair": ["a", 1], "line": ["b"], "note": "Some(CodedPair(\"a\", 1)) Some((\"b\", None, []))"}));
    let (_, body) = call(post_json(json!({"line": ["b", 2, 3, 4]}))).await;
    assert_eq!(body["line"], json!(["b", 2, 3, 4]));
    assert_eq!(body["note"], json!("None Some((\"b\", Some(2), [3, 4]))"));
    // Each position at its index; `items: false` and `minItems` by the tuple's length.
    assert_eq!(pointers("/codes", json!({"pair": ["a", -1]})).await, ["/pair/1"]);
    assert_eq!(pointers("/codes", json!({"pair": ["a", "b"]})).await, ["/pair/1"]);
    assert_eq!(pointers("/codes", json!({"pair": ["a", 1, 2]})).await, ["/pair/2"]);
    assert_eq!(pointers("/codes", json!({"pair": ["a"]})).await, ["/pair"]);
    assert_eq!(pointers("/codes", json!({"line": ["", 1, 2, 10]})).await, ["/line/0", "/line/3"]);
    assert_eq!(pointers("/codes", json!({"line": []})).await, ["/line"]);
}

#[tokio::test]
async fn pattern_properties_are_typed_maps_checked_by_name() {
    let post_json = |body: Value| {
        Request::builder().method("POST").uri("/codes").header("content-type", "application/json")
            .body(Body::from(body.to_string())).unwrap_or_else(|e| panic!("{e}"))
    };
    let (status, body) = call(post_json(json!({"labels": {"x-a": 1, "x-b": 9}}))).await;
    assert_eq!((status, &body["note"]), (200, &json!("{\"x-a\": 1, \"x-b\": 9}")), "{body}");
    assert_eq!(pointers("/codes", json!({"labels": {"x-a": 10, "b": 1}})).await, ["/labels/b", "/labels/x-a"]);
    assert_eq!(pointers("/codes", json!({"labels": {"x-a": "s"}})).await, ["/labels/x-a"]);
    // Beside `properties` (the struct refused `x-b` as an unknown field).
    let (status, body) = call(post_json(json!({"ext": {"name": "n", "x-b": 2}}))).await;
    assert_eq!((status, &body["note"], &body["ext"]), (200, &json!("{\"x-b\": 2}"), &json!({"name": "n", "x-b": 2})), "{body}");
    assert_eq!(pointers("/codes", json!({"ext": {"x-b": 2, "other": 1}})).await, ["/ext/other"]);
}

/// The status of a GET with `headers`, and where each error is: `in parameter pointer`.
async fn get_errors(uri: &str, headers: &[(&str, &str)]) -> (u16, Vec<String>) {
    let mut request = Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let (status, problem) = call(request.body(Body::empty()).unwrap_or_else(|e| panic!("{e}"))).await;
    let errors = problem["errors"].as_array().into_iter().flatten().map(|e| {
        let text = |key: &str| e[key].as_str().unwrap_or("").to_string();
        format!("{} {} {}", text("in"), text("parameter"), text("pointer")).trim_end().to_string()
    });
    (status, errors.collect())
}

/// The keywords without a Rust type in every parameter location: the decoded value is
/// validated against the parameter's schema.
#[tokio::test]
async fn keywords_without_a_rust_type_are_checked_in_parameters() {
    let good = [("x-size", "200"), ("cookie", "session=member1")];
    assert_eq!(get_errors("/things/c1?filter[min]=1&filter[max]=5&tags=a&tags=b", &good).await, (204, vec![]));
    assert_eq!(get_errors("/things/c1", &[("x-size", "50")]).await, (204, vec![]));
    // not (path and cookie), dependentRequired (deepObject query), contains (query), if/then (header)
    let bad = [("x-size", "150"), ("cookie", "session=guest7")];
    let (status, mut errors) = get_errors("/things/none?filter[min]=1&tags=b", &bad).await;
    errors.sort();
    assert_eq!((status, errors), (400, vec![
        "cookie session".to_string(),
        "header X-Size".to_string(),
        "path code".to_string(),
        "query filter /max".to_string(),
        "query tags".to_string(),
    ]));
    // An error the generated checks would also find is reported once.
    let (status, errors) = get_errors("/things/c1?tags=a&tags=", &[("x-size", "-1")]).await;
    assert_eq!((status, errors.len()), (400, 2), "{errors:?}");
}

/// The keywords without a Rust type in a form body: the form is validated as a JSON object
/// of its typed fields (a default the server applies is not in it); a multipart body with files
/// validates each field on its own.
#[tokio::test]
async fn keywords_without_a_rust_type_are_checked_in_form_bodies() {
    let form = "application/x-www-form-urlencoded";
    let at = |errors: Vec<(String, String)>| {
        let mut at: Vec<String> = errors.into_iter().map(|e| e.0).collect();
        at.sort();
        at
    };
    assert_eq!(post_as("/signups", form, "plan=paid&card=4242&age=30").await, (204, vec![]));
    assert_eq!(post_as("/signups", form, "age=30").await, (204, vec![]));
    // if/then
    assert_eq!(at(post_as("/signups", form, "plan=paid").await.1), ["/card"]);
    // dependentRequired: `plan` has a default, but was not sent.
    assert_eq!(at(post_as("/signups", form, "coupon=X").await.1), ["/plan"]);
    // not, on a typed field
    assert_eq!(at(post_as("/signups", form, "age=13").await.1), ["/age"]);
    // unevaluatedProperties: false
    assert_eq!(at(post_as("/signups", form, "age=1&other=1").await.1), ["/other"]);
    // A field refused while it was read is reported once, beside what the schema says.
    let (status, errors) = post_as("/signups", form, "age=x&plan=paid").await;
    assert_eq!((status, at(errors)), (400, vec!["/age".to_string(), "/card".to_string()]));

    // A form whose schema names no field: validated as an object of texts.
    assert_eq!(post_as("/labels", form, "x-a=abc").await, (204, vec![]));
    assert_eq!(at(post_as("/labels", form, "x-a=abcd&b=1").await.1), ["/b", "/x-a"]);

    let multipart = "multipart/form-data; boundary=b";
    let part = |name: &str, value: &str| format!("--b\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
    let note = format!("{}{}--b--\r\n", part("title", "t"), part("text", "x"));
    assert_eq!(post_as("/notes", multipart, &note).await, (204, vec![]));
    let note = format!("{}--b--\r\n", part("title", "t"));
    assert_eq!(at(post_as("/notes", multipart, &note).await.1), ["/text"]);
    let profile = format!("{}{}--b--\r\n", part("nick", "rex"), part("photo", "bytes"));
    assert_eq!(post_as("/profiles", multipart, &profile).await, (204, vec![]));
    let profile = format!("{}{}--b--\r\n", part("nick", "admin"), part("photo", "bytes"));
    assert_eq!(at(post_as("/profiles", multipart, &profile).await.1), ["/nick"]);
}

#[tokio::test]
async fn form_fields_the_schema_does_not_name_are_refused() {
    let form = "application/x-www-form-urlencoded";
    let declared = "email=a%40example.com&topics=x&topics=y&prefs%5Blang%5D=en";
    assert_eq!(post_as("/subscriptions", form, declared).await, (204, vec![]));
    // Each undeclared name once, `x[k]`/`x[j]` (deepObject) as the property `x`.
    let extra = "email=a%40example.com&admin=true&admin=1&x%5Bk%5D=v&x%5Bj%5D=w";
    let (status, errors) = post_as("/subscriptions", form, extra).await;
    assert_eq!(status, 400);
    let at: Vec<&str> = errors.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(at, ["/admin", "/x"], "{errors:?}");
    assert!(errors[0].1.contains("is not a property the schema allows"), "{errors:?}");

    let multipart = "multipart/form-data; boundary=b";
    let part = |name: &str, value: &str| format!("--b\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
    let declared = format!("{}{}--b--\r\n", part("caption", "hi"), part("file", "bytes"));
    assert_eq!(post_as("/uploads", multipart, &declared).await, (204, vec![]));
    let extra = format!("{}{}--b--\r\n", part("caption", "hi"), part("owner", "me"));
    let (status, errors) = post_as("/uploads", multipart, &extra).await;
    assert_eq!((status, errors.iter().map(|e| e.0.as_str()).collect::<Vec<_>>()), (400, vec!["/owner"]), "{errors:?}");
}
"###;

#[test]
fn every_schema_keyword_is_validated_with_pointers() {
    let dir = fresh_dir("rust-server-validation");
    let generated = generate(&dir, "validation.yaml", SPEC);
    // Request bodies and parameters check every keyword: the only "not checked" warning left
    // is for what a multipart body with files says across its fields and files.
    let unchecked: Vec<&str> = generated
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .filter(|m| m.contains("not checked by the generated server"))
        .collect();
    assert_eq!(unchecked.len(), 1, "{unchecked:?}");
    assert!(
        unchecked[0].starts_with(
            "`dependentRequired` not checked by the generated server in a multipart body with files"
        ),
        "{unchecked:?}"
    );
    // Defaults that do not fit their type are left out, with a warning (the crate compiles).
    let mut refused: Vec<&str> = generated
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .filter(|m| m.contains("is not applied"))
        .collect();
    refused.sort_unstable();
    assert_eq!(
        refused,
        [
            "the default \"c\" is not applied: `c` is not one of the enum's values",
            "the default \"first\" is not applied: it is not of type `i64`",
            "the default \"ten\" is not applied: it is not of type `i64`",
            "the default 0 is not applied: 0 is less than the minimum of 1",
        ]
    );
    assert!(generated.files.get("src/request_schemas.rs").is_some());

    let crate_dir = dir.join("crate");
    generated
        .files
        .write(&crate_dir)
        .unwrap_or_else(|e| panic!("{e}"));
    add_behaviour(&crate_dir, TOWER, BEHAVIOUR);
    lint_and_test(&crate_dir);
}
