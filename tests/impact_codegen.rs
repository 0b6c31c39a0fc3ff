//! The diff's help promises what regeneration does to the generated code ("Rust server: `u32` →
//! `f64`"). Here both versions of a spec are generated and every type the help names is looked up
//! in the generated models: the help must name exactly the types the generators emit.

use oaskit::codegen::{GenerateOptions, rust, typescript};
use oaskit::load::{Documents, Origin};
use oaskit::model::build_contract;
use oaskit::rules::CheckOptions;
use oaskit::{Contract, LoadOptions};

fn spec(fields: &[(&str, &str)]) -> String {
    let mut properties = String::new();
    let mut required = Vec::new();
    for (name, schema) in fields {
        properties.push_str(&format!("        {name}: {schema}\n"));
        required.push(*name);
    }
    format!(
        r##"openapi: 3.0.3
info: {{title: impact, version: "1"}}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Item"}}
components:
  schemas:
    Item:
      type: object
      required: [{}]
      properties:
{properties}"##,
        required.join(", ")
    )
}

fn contract(text: &str) -> Contract {
    let docs = Documents::from_bytes(
        Origin::Path("spec.yaml".into()),
        text.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    build_contract(docs).unwrap_or_else(|e| panic!("{e}"))
}

/// The generated Rust and TypeScript models of a contract.
fn models(contract: &Contract) -> (String, String) {
    let options = GenerateOptions::default();
    let rs = rust::generate(contract, &options).unwrap_or_else(|e| panic!("{e}"));
    let ts = typescript::generate(contract, &options).unwrap_or_else(|e| panic!("{e}"));
    let file = |files: &oaskit::codegen::FileSet, path: &str| {
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .to_string()
    };
    (
        file(&rs.files, "src/models.rs"),
        file(&ts.files, "src/models.ts"),
    )
}

/// The text between the first pair of backticks after `marker`.
fn quoted_after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let start = rest.find('`')? + 1;
    let end = start + rest[start..].find('`')?;
    Some(&rest[start..end])
}

#[test]
fn the_help_names_the_types_the_generators_emit() {
    let base_fields = [
        ("count", "{type: integer, format: uint32}"),
        ("ratio", "{type: number, format: float}"),
        ("file", "{type: string, format: binary}"),
        ("big", "{type: integer, format: int64}"),
        ("small", "{type: integer, format: int32}"),
    ];
    let revision_fields = [
        ("count", "{type: number, format: float}"),
        ("ratio", "{type: integer, format: int32}"),
        ("file", "{type: string}"),
        ("big", "{type: string}"),
        ("small", "{type: integer, format: uint64}"),
    ];
    let base = contract(&spec(&base_fields));
    let revision = contract(&spec(&revision_fields));
    let changes = oaskit::diff::diff(&base, &revision);
    let findings = oaskit::rules::check(&changes, &base, &revision, &CheckOptions::default());
    let (rs_base, ts_base) = models(&base);
    let (rs_revision, ts_revision) = models(&revision);

    let mut checked = Vec::new();
    for (field, _) in base_fields {
        let finding = findings
            .iter()
            .find(|f| f.message.contains(&format!("/{field}")) && f.help.is_some())
            .unwrap_or_else(|| panic!("no finding with help for {field}: {findings:#?}"));
        let help = finding.help.as_deref().unwrap_or_default();
        // Rust: "Rust server: `A` → `B`." or "Rust server: `A` either way."
        let rust_part = &help[help.find("Rust server:").expect("a Rust part")..];
        let rs_from = quoted_after(rust_part, "Rust server:").expect("a Rust type");
        let rs_to = quoted_after(rust_part, "→").unwrap_or(rs_from);
        assert!(
            rs_base.contains(&format!("pub {field}: {rs_from},")),
            "help says `{rs_from}` for {field}, the base server has:\n{rs_base}"
        );
        assert!(
            rs_revision.contains(&format!("pub {field}: {rs_to},")),
            "help says `{rs_to}` for {field}, the revised server has:\n{rs_revision}"
        );
        // TypeScript: "`f: A` → `f: B`" or "`f` stays `A`".
        let (ts_from, ts_to) = match quoted_after(help, &format!("`{field}` stays")) {
            Some(same) => (same.to_string(), same.to_string()),
            None => {
                let from = quoted_after(help, "TypeScript client:").expect("a TS type");
                let to = quoted_after(help, &format!("`{from}` →")).expect("a TS type");
                let strip = |t: &str| t.trim_start_matches(&format!("{field}: ")).to_string();
                (strip(from), strip(to))
            }
        };
        assert!(
            ts_base.contains(&format!("{field}: {ts_from};")),
            "help says `{ts_from}` for {field}, the base client has:\n{ts_base}"
        );
        assert!(
            ts_revision.contains(&format!("{field}: {ts_to};")),
            "help says `{ts_to}` for {field}, the revised client has:\n{ts_revision}"
        );
        checked.push(format!(
            "{field}: {rs_from} -> {rs_to}, {ts_from} -> {ts_to}"
        ));
    }
    // The cases the hand-written mapping got wrong: `u32`, `f64` for float, `String` and `Blob`
    // for binary.
    assert_eq!(
        checked,
        [
            "count: u32 -> f64, number -> number",
            "ratio: f64 -> i32, number -> number",
            "file: String -> String, Blob -> string",
            "big: i64 -> String, number -> string",
            "small: i32 -> u64, number -> number",
        ]
    );
}

/// The generated client and server of a spec: (server.rs, the operation modules of the client,
/// where the request and result types are declared).
fn operation_code(text: &str) -> (String, String) {
    let contract = contract(text);
    let options = GenerateOptions::default();
    let rs = rust::generate(&contract, &options).unwrap_or_else(|e| panic!("{e}"));
    let ts = typescript::generate(&contract, &options).unwrap_or_else(|e| panic!("{e}"));
    let file = |files: &oaskit::codegen::FileSet, path: &str| {
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .to_string()
    };
    let operations: String = ts
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("src/operations"))
        .map(|(_, text)| text)
        .collect();
    assert!(!operations.is_empty(), "no operation module");
    (file(&rs.files, "src/server.rs"), operations)
}

fn order_spec(status: &str, limit_required: bool, body_required: bool) -> String {
    format!(
        r##"openapi: 3.0.3
info: {{title: impact, version: "1"}}
paths:
  /orders:
    post:
      operationId: place_order
      parameters:
        - {{name: dryRun, in: query, required: {limit_required}, schema: {{type: boolean}}}}
      requestBody:
        required: {body_required}
        content:
          application/json:
            schema: {{type: object, properties: {{sku: {{type: string}}}}}}
      responses:
        "{status}":
          description: ok
          content:
            application/json:
              schema: {{type: object, properties: {{id: {{type: string}}}}}}
        "404":
          description: missing
"##
    )
}

/// Statuses, parameters and bodies: the help names the operation's request and result types,
/// the response enum's variant and the struct field, each of which the generated code declares.
#[test]
fn the_help_names_the_operation_types_the_generators_emit() {
    let base_text = order_spec("201", false, false);
    let revision_text = order_spec("202", true, true);
    let base = contract(&base_text);
    let revision = contract(&revision_text);
    let changes = oaskit::diff::diff(&base, &revision);
    let findings = oaskit::rules::check(&changes, &base, &revision, &CheckOptions::default());
    let help = |rule: &str| {
        findings
            .iter()
            .find(|f| f.rule == rule)
            .and_then(|f| f.help.clone())
            .unwrap_or_else(|| panic!("no help for {rule}: {findings:#?}"))
    };
    let (rs_base, ts_base) = operation_code(&base_text);
    let (rs_revision, ts_revision) = operation_code(&revision_text);

    let removed = help("response-success-status-removed");
    assert!(
        removed.contains("`PlaceOrderResult` loses its `status: 201` member"),
        "{removed}"
    );
    assert!(
        removed.contains("`PlaceOrderResponse::Created`"),
        "{removed}"
    );
    assert!(
        ts_base.contains("export type PlaceOrderResult =")
            && ts_base.contains("{ status: 201; ok: true;")
    );
    assert!(!ts_revision.contains("{ status: 201;"));
    assert!(rs_base.contains("pub enum PlaceOrderResponse") && rs_base.contains("    Created"));
    assert!(!rs_revision.contains("    Created"));

    let param = help("request-parameter-became-required");
    assert!(
        param.contains("`PlaceOrderRequest.dryRun?` becomes `PlaceOrderRequest.dryRun`"),
        "{param}"
    );
    assert!(param.contains("`placeOrder()`"), "{param}");
    assert!(
        param.contains("`PlaceOrderRequest.dry_run` is no longer an `Option`"),
        "{param}"
    );
    assert!(ts_base.contains("dryRun?: boolean;") && ts_revision.contains("dryRun: boolean;"));
    assert!(
        ts_base.contains("function placeOrder(client: ClientOptions, request: PlaceOrderRequest")
    );
    assert!(
        rs_base.contains("pub dry_run: Option<bool>,")
            && rs_revision.contains("pub dry_run: bool,")
    );
    assert!(rs_base.contains("pub struct PlaceOrderRequest"));

    let body = help("request-body-became-required");
    assert!(
        body.contains("`PlaceOrderRequest.body` becomes required"),
        "{body}"
    );
    assert!(
        body.contains("`PlaceOrderRequest.body` is no longer an `Option`"),
        "{body}"
    );
    assert!(ts_base.contains("body?: ") && ts_revision.contains("body: "));
    assert!(rs_base.contains("pub body: Option<") && rs_revision.contains("pub body: models::"));
}

fn shop_spec(
    second_op_id: &str,
    with_cancel: bool,
    with_receipt: bool,
    with_header: bool,
) -> String {
    let cancel = if with_cancel {
        r##"
  /orders/{id}:
    delete:
      operationId: cancel_order
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: cancelled}"##
    } else {
        ""
    };
    let receipt = if with_receipt {
        r##"
    Receipt:
      type: object
      properties: {total: {type: integer}}"##
    } else {
        ""
    };
    let header = if with_header {
        r##"
          headers:
            X-Rate-Limit: {schema: {type: integer}}"##
    } else {
        ""
    };
    format!(
        r##"openapi: 3.0.3
info: {{title: impact, version: "1"}}
paths:
  /orders:
    post:
      operationId: {second_op_id}
      requestBody:
        content:
          application/json:
            schema: {{$ref: "#/components/schemas/Order"}}
      responses:
        "201":
          description: ok{header}
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Order"}}{cancel}
components:
  schemas:
    Order:
      type: object
      properties: {{sku: {{type: string}}}}{receipt}
"##
    )
}

/// The help of removals and renames (an operation, an operationId, a component schema, a
/// response header) names what the generators emit for the base and no longer for the revision.
#[test]
fn the_help_of_removals_names_the_generated_code_they_remove() {
    let base_text = shop_spec("place_order", true, true, true);
    let revision_text = shop_spec("create_order", false, false, false);
    let base = contract(&base_text);
    let revision = contract(&revision_text);
    let changes = oaskit::diff::diff(&base, &revision);
    let findings = oaskit::rules::check(&changes, &base, &revision, &CheckOptions::default());
    let help = |rule: &str| {
        findings
            .iter()
            .find(|f| f.rule == rule)
            .and_then(|f| f.help.clone())
            .unwrap_or_else(|| panic!("no help for {rule}: {findings:#?}"))
    };
    let (rs_base, ts_base) = operation_code(&base_text);
    let (rs_revision, ts_revision) = operation_code(&revision_text);
    let (rs_models_base, ts_models_base) = models(&base);
    let (rs_models_revision, ts_models_revision) = models(&revision);

    let removed = help("api-path-removed-without-deprecation");
    for name in [
        "`cancelOrder()`",
        "`CancelOrderRequest`",
        "`CancelOrderResult`",
    ] {
        assert!(removed.contains(name), "{removed}");
        let bare = name.trim_matches('`').trim_end_matches("()");
        assert!(
            ts_base.contains(bare) && !ts_revision.contains(bare),
            "{bare}"
        );
    }
    for name in [
        "`cancel_order`",
        "`CancelOrderRequest`",
        "`CancelOrderResponse`",
    ] {
        assert!(removed.contains(name), "{removed}");
        let bare = name.trim_matches('`');
        assert!(
            rs_base.contains(bare) && !rs_revision.contains(bare),
            "{bare}"
        );
    }

    let renamed = help("api-operation-id-updated");
    assert!(
        renamed.contains("`placeOrder()` becomes `createOrder()`")
            && renamed.contains("`PlaceOrderResult` → `CreateOrderResult`")
            && renamed.contains("`place_order` becomes `create_order`"),
        "{renamed}"
    );
    assert!(
        ts_base.contains("export function placeOrder(")
            && ts_revision.contains("export function createOrder(")
    );
    assert!(rs_base.contains("fn place_order(") && rs_revision.contains("fn create_order("));

    let schema = help("api-schema-removed");
    assert!(
        schema.contains("`Receipt` is no longer exported"),
        "{schema}"
    );
    assert!(ts_models_base.contains("export interface Receipt"));
    assert!(!ts_models_revision.contains("Receipt"));
    assert!(
        rs_models_base.contains("pub struct Receipt") && !rs_models_revision.contains("Receipt")
    );

    let header = help("optional-response-header-removed");
    // The operation is named as the revision names it (here also renamed).
    assert!(
        header.contains("`CreateOrderResponse::Created` loses its `x_rate_limit` field"),
        "{header}"
    );
    assert!(rs_base.contains("x_rate_limit: Option<") && !rs_revision.contains("x_rate_limit"));
    let result_type = |ts: &str| {
        let start = ts
            .find("export type PlaceOrderResult")
            .expect("the result type");
        ts[start..start + ts[start..].find(";\n\n").unwrap_or(200)].to_string()
    };
    assert!(
        !result_type(&ts_base).to_ascii_lowercase().contains("rate"),
        "{}",
        result_type(&ts_base)
    );
}
