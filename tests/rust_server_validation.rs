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

use std::path::{Path, PathBuf};
use std::process::Command;

use oaskit::codegen::{GenerateOptions, rust};
use oaskit::{Contract, LoadOptions};

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
components:
  schemas:
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

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    let target = std::env::var_os("OASKIT_RUST_TARGET_DIR")
        .map_or_else(|| root().join("target/rust-corpus"), PathBuf::from);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn every_schema_keyword_is_validated_with_pointers() {
    let dir = root().join("target/rust-server-validation");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let spec = dir.join("validation.yaml");
    std::fs::write(&spec, SPEC).unwrap_or_else(|e| panic!("{e}"));
    let contract = Contract::load(&spec.to_string_lossy(), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let options = GenerateOptions {
        templates_dir: None,
        spec_name: "validation.yaml".to_string(),
        ..GenerateOptions::default()
    };
    let generated = rust::generate(&contract, &options).unwrap_or_else(|e| panic!("{e}"));
    // Request bodies check every keyword: no "not checked" warning is left for them.
    let unchecked: Vec<&str> = generated
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .filter(|m| m.contains("not checked by the generated server"))
        .collect();
    assert!(unchecked.is_empty(), "{unchecked:?}");
    assert!(generated.files.get("src/request_schemas.rs").is_some());

    let crate_dir = dir.join("crate");
    generated
        .files
        .write(&crate_dir)
        .unwrap_or_else(|e| panic!("{e}"));
    let manifest = crate_dir.join("Cargo.toml");
    let mut toml = std::fs::read_to_string(&manifest).unwrap_or_else(|e| panic!("{e}"));
    toml.push_str("\n[dev-dependencies]\ntower = { version = \"0.5\", features = [\"util\"] }\n\n[workspace]\n");
    std::fs::write(&manifest, toml).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::copy(root().join("Cargo.lock"), crate_dir.join("Cargo.lock"));
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(crate_dir.join("tests/behaviour.rs"), BEHAVIOUR)
        .unwrap_or_else(|e| panic!("{e}"));

    let (ok, log) = cargo(
        &crate_dir,
        &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"],
    );
    assert!(ok, "clippy on the generated crate failed:\n{log}");
    let (ok, log) = cargo(&crate_dir, &["test", "--quiet"]);
    assert!(ok, "the generated crate's tests failed:\n{log}");
}
