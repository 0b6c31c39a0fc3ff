//! Unit tests of the view model on small specs: names, views, unions, findings.

use super::*;

fn generate_from(yaml: &str) -> Generated {
    let contract = crate::model::test_contract(yaml);
    let options = GenerateOptions {
        templates_dir: None,
        spec_name: "spec.yaml".to_string(),
        ..GenerateOptions::default()
    };
    generate(&contract, &options).unwrap_or_else(|e| panic!("{e}"))
}

fn file<'a>(g: &'a Generated, path: &str) -> &'a str {
    g.files
        .get(path)
        .unwrap_or_else(|| panic!("{path} is generated"))
}

/// Every module of `src/operations/`, one after the other.
fn operations(g: &Generated) -> String {
    let mut modules: Vec<(&std::path::Path, &str)> = g
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("src/operations"))
        .collect();
    modules.sort();
    modules.into_iter().map(|(_, text)| text).collect()
}

fn models(g: &Generated) -> &str {
    file(g, "src/models.ts")
}

const HOSTILE: &str = r#"
openapi: 3.1.0
info: {title: "x", version: "1"}
paths: {}
components:
  schemas:
    Record: {type: object, properties: {a: {type: string}}}
    Promise: {type: string}
    camelCase: {type: object, properties: {a: {type: string}}}
    camel_case: {type: object, properties: {b: {type: string}}}
    "1st": {type: integer}
    class: {type: boolean}
    "*/ alert(1) /*":
      type: object
      description: "ends */ the comment"
      properties:
        "__proto__": {type: string}
        "a-b": {type: string, description: "line one\nline */ two"}
    Client: {type: string}
"#;

#[test]
fn hostile_names_become_distinct_identifiers() {
    let g = generate_from(HOSTILE);
    let m = models(&g);
    for declaration in [
        "export interface RecordModel {",
        "export type PromiseModel = string;",
        "export interface CamelCase {",
        "export interface CamelCase2 {",
        "export type _1st = number;",
        "export type Class = boolean;",
        "export interface Alert1 {",
        "  __proto__?: string;",
        "  \"a-b\"?: string;",
        "export type Client2 = string;",
    ] {
        assert!(m.contains(declaration), "missing `{declaration}` in\n{m}");
    }
    assert!(
        m.contains("ends *\\/ the comment") && m.contains("line *\\/ two"),
        "{m}"
    );
    // No comment is closed early: every `*/` ends a line.
    for line in m.lines() {
        if let Some(at) = line.find("*/") {
            assert_eq!(line[at..].trim_end(), "*/", "{line}");
        }
    }
}

const VIEWS: &str = r#"
openapi: 3.0.3
info: {title: "x", version: "1"}
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, format: int64, readOnly: true}
        name: {type: string}
        password: {type: string, writeOnly: true}
        tag: {type: string, nullable: true}
    Order:
      type: object
      properties:
        pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
        note: {type: string}
    Plain:
      type: object
      additionalProperties: {type: integer}
      properties:
        a: {type: string}
"#;

#[test]
fn request_and_response_views_follow_read_and_write_only() {
    let g = generate_from(VIEWS);
    let m = models(&g);
    let pet = m
        .split("export interface Pet {")
        .nth(1)
        .and_then(|s| s.split("\n}").next())
        .unwrap_or_default();
    assert!(
        pet.contains("  id: number;") && !pet.contains("password"),
        "{pet}"
    );
    assert!(
        pet.contains("  tag?: string | null;"),
        "optional and nullable stay distinct: {pet}"
    );
    assert!(pet.contains("@integer int64"), "{pet}");
    let input = m
        .split("export interface PetInput {")
        .nth(1)
        .and_then(|s| s.split("\n}").next())
        .unwrap_or_default();
    assert!(
        !input.contains(" id") && input.contains("  password?: string;"),
        "{input}"
    );
    // Views propagate to the schemas that contain them.
    assert!(
        m.contains("export interface OrderInput {") && m.contains("  pets?: PetInput[];"),
        "{m}"
    );
    assert!(
        !m.contains("PlainInput"),
        "a schema without read/write-only properties has one view"
    );
    assert!(
        m.contains("  [key: string]: number | string | undefined;"),
        "index signatures admit the properties: {m}"
    );
    let client = operations(&g);
    assert!(client.contains("body: M.OrderInput;"), "{client}");
    assert!(
        client.contains("{ status: 201; ok: true; data: M.Order; response: Response }"),
        "{client}"
    );
}

const APPROXIMATED: &str = r#"
openapi: 3.1.0
info: {title: "x", version: "1"}
paths: {}
components:
  schemas:
    Animal:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
      oneOf:
        - {$ref: '#/components/schemas/Cat'}
        - {$ref: '#/components/schemas/Dog'}
      discriminator:
        propertyName: kind
        mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}
    Cat:
      allOf:
        - {$ref: '#/components/schemas/Animal'}
        - {type: object, properties: {meows: {type: boolean}}}
    Dog:
      allOf:
        - {$ref: '#/components/schemas/Animal'}
        - {type: object, properties: {barks: {type: boolean}}}
    NotString:
      not: {type: string}
    Never: false
    Conditional:
      type: object
      if: {properties: {a: {const: 1}}}
      then: {required: [b]}
"#;

#[test]
fn circular_compositions_and_inexpressible_keywords_are_findings_not_crashes() {
    let g = generate_from(APPROXIMATED);
    let m = models(&g);
    let messages: Vec<String> = g
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f.location
                    .as_ref()
                    .map(|l| l.pointer.as_str())
                    .unwrap_or(""),
                f.message
            )
        })
        .collect();
    assert!(
        g.findings
            .iter()
            .all(|f| f.rule == APPROXIMATION_RULE && f.level == Level::Warning)
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("/components/schemas/Cat ") && m.contains("circular")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("/components/schemas/NotString ") && m.contains("`not`")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("/components/schemas/Conditional ") && m.contains("`if`")),
        "{messages:?}"
    );
    assert!(m.contains("export type Never = never;"), "{m}");
    // The cut reference is replaced by Animal's own structure, so Cat keeps `kind`.
    let cat = m
        .split("export type Cat =")
        .nth(1)
        .and_then(|s| s.split(";\n\n").next())
        .unwrap_or_default();
    assert!(
        cat.contains("kind: string") && cat.contains("meows"),
        "{cat}"
    );
    assert!(m.contains("Cat & { kind: \"cat\" }"), "{m}");
}

#[test]
fn inline_schemas_that_recur_or_are_shared_get_names() {
    let g = generate_from(
        r##"
openapi: 3.1.0
info: {title: "x", version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  child: {$ref: '#/paths/~1a/get/responses/200/content/application~1json/schema'}
  /b:
    get:
      responses:
        "200": {$ref: '#/components/responses/Shared'}
  /c:
    get:
      responses:
        "200": {$ref: '#/components/responses/Shared'}
components:
  responses:
    Shared:
      description: shared
      content:
        application/json:
          schema: {type: object, properties: {x: {type: string}}}
"##,
    );
    let m = models(&g);
    assert!(m.contains("export interface SharedResponse {"), "{m}");
    assert!(
        m.contains("export interface AGetResponses200 {\n  child?: AGetResponses200;"),
        "{m}"
    );
    let client = operations(&g);
    assert!(
        client.contains("getA(client: ClientOptions, request: GetARequest = {}"),
        "{client}"
    );
    assert!(client.contains("data: M.SharedResponse;"), "{client}");
}

#[test]
fn templates_can_be_overridden_and_headers_are_sanitized() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("index.ts.hbs"),
        "{{header}}\nexport const custom = true;\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let contract = crate::model::test_contract(VIEWS);
    let options = GenerateOptions {
        templates_dir: Some(dir.path().to_path_buf()),
        spec_name: "evil\nprocess.exit(1) */".to_string(),
        ..GenerateOptions::default()
    };
    let g = generate(&contract, &options).unwrap_or_else(|e| panic!("{e}"));
    let index = file(&g, "src/index.ts");
    assert_eq!(
        index,
        "// generated by oaskit from evil process.exit(1) *\\/, do not edit\nexport const custom = true;\n"
    );
    let package: serde_json::Value =
        serde_json::from_str(file(&g, "package.json")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(package["type"], "module");
    assert!(package.get("dependencies").is_none());
    for (path, text) in g.files.iter() {
        assert!(
            text.lines()
                .take(3)
                .any(|l| l.contains(crate::codegen::GENERATED_MARKER)),
            "{}",
            path.display()
        );
    }
}

/// OpenAI's chat messages: a discriminator without `mapping` whose branches fix the property
/// with a one-value enum or a const (directly, through a `$ref` or an `allOf` member).
const DISCRIMINATOR_FIXED_BY_BRANCHES: &str = r#"
openapi: 3.1.0
info: {title: "x", version: "1"}
paths: {}
components:
  schemas:
    Message:
      oneOf:
        - {$ref: '#/components/schemas/UserMessage'}
        - {$ref: '#/components/schemas/ToolMessage'}
        - {$ref: '#/components/schemas/SystemMessage'}
        - {$ref: '#/components/schemas/Plain'}
      discriminator: {propertyName: role}
    UserMessage:
      type: object
      required: [role]
      properties:
        role: {type: string, enum: [user]}
    ToolRole: {type: string, const: tool}
    ToolMessage:
      type: object
      properties:
        role: {$ref: '#/components/schemas/ToolRole'}
    SystemMessage:
      allOf:
        - {type: object, properties: {role: {type: string, enum: [system, developer]}}}
    Plain:
      type: object
      properties:
        role: {type: string}
    Mapped:
      oneOf:
        - {$ref: '#/components/schemas/UserMessage'}
      discriminator: {propertyName: role, mapping: {human: '#/components/schemas/UserMessage'}}
"#;

#[test]
fn discriminator_without_mapping_takes_each_branch_value_from_its_enum_or_const() {
    let g = generate_from(DISCRIMINATOR_FIXED_BY_BRANCHES);
    let m = models(&g);
    for tagged in [
        "UserMessage & { role: \"user\" }",
        "ToolMessage & { role: \"tool\" }",
        "SystemMessage & { role: \"system\" | \"developer\" }",
        // A branch that does not fix the property is selected by its schema name.
        "Plain & { role: \"Plain\" }",
    ] {
        assert!(m.contains(tagged), "{tagged} in\n{m}");
    }
    assert!(!m.contains("role: \"UserMessage\""), "{m}");
    // An explicit mapping that contradicts the branch makes it never: a warning names it.
    let never: Vec<&str> = g
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .filter(|m| m.contains("is `never`"))
        .collect();
    assert_eq!(never.len(), 1, "{never:?}");
    assert!(
        never[0].contains("`role`")
            && never[0].contains("`UserMessage`")
            && never[0].contains("user"),
        "{never:?}"
    );
}

#[test]
fn a_body_on_get_is_left_out_with_a_warning() {
    let g = generate_from(
        r#"
openapi: 3.1.0
info: {title: "x", version: "1"}
paths:
  /search:
    get:
      operationId: search
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, properties: {q: {type: string}}}}}
      responses: {"204": {description: ok}}
    post:
      operationId: searchPost
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, properties: {q: {type: string}}}}}
      responses: {"204": {description: ok}}
"#,
    );
    let client = operations(&g);
    let search = client
        .split("function search(")
        .nth(1)
        .and_then(|s| s.split("function searchPost(").next())
        .unwrap_or_default();
    assert!(
        !search.contains("body:") && !search.contains("body?:"),
        "{search}"
    );
    let post = client
        .split("function searchPost(")
        .nth(1)
        .unwrap_or_default();
    assert!(post.contains("body?:") || post.contains("body:"), "{post}");
    let warnings: Vec<&str> = g
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .filter(|m| m.contains("request body on GET"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", g.findings);
}

#[test]
fn idempotency_keys_come_from_a_header_parameter_or_the_extension() {
    let g = generate_from(
        r#"
openapi: 3.0.3
info: {title: x, version: "1"}
x-oaskit-idempotency-key: Idempotency-Key
paths:
  /a:
    post: {operationId: byDocument, responses: {"204": {description: ok}}}
    get: {operationId: idempotentAnyway, responses: {"204": {description: ok}}}
  /b:
    post:
      operationId: turnedOff
      x-oaskit-idempotency-key: false
      responses: {"204": {description: ok}}
    put:
      operationId: declared
      parameters: [{name: idempotency-key, in: header, schema: {type: string}}]
      responses: {"204": {description: ok}}
  /c:
    patch:
      operationId: hostileName
      x-oaskit-idempotency-key: "Bad Header\n"
      responses: {"204": {description: ok}}
"#,
    );
    let client = operations(&g);
    let key_of = |method: &str| {
        let start = client
            .find(&format!("function {method}("))
            .unwrap_or_else(|| panic!("{method}"));
        let end = start + client[start..].find("\n}\n").unwrap_or(0);
        client[start..end]
            .lines()
            .find_map(|l| l.trim().strip_prefix("idempotencyKey: "))
            .map(str::to_string)
    };
    assert_eq!(
        key_of("byDocument").as_deref(),
        Some("\"Idempotency-Key\",")
    );
    assert_eq!(key_of("idempotentAnyway"), None);
    assert_eq!(key_of("turnedOff"), None);
    assert_eq!(key_of("declared").as_deref(), Some("\"idempotency-key\","));
    // Not a header name: the document's default applies instead of a key that breaks every call.
    assert_eq!(
        key_of("hostileName").as_deref(),
        Some("\"Idempotency-Key\",")
    );
}

#[test]
fn pagination_is_detected_or_declared_and_a_bad_declaration_is_a_warning() {
    let g = generate_from(
        r#"
openapi: 3.0.3
info: {title: x, version: "1"}
paths:
  /linked:
    get:
      operationId: linked
      responses:
        "200":
          description: ok
          headers: {link: {schema: {type: string}}}
          content: {application/json: {schema: {type: object, properties: {total: {type: integer}, items: {type: array, items: {type: string}}}}}}
  /unlinked:
    get:
      operationId: unlinked
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /declared:
    get:
      operationId: declared
      x-oaskit-pagination: {kind: cursor, param: nope, items: things}
      parameters: [{name: cursor, in: query, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, properties: {things: {type: array, items: {type: string}}}}}}}
"#,
    );
    let pagination = file(&g, "src/pagination.ts");
    assert!(
        pagination.contains(r#"["linked", {"kind":"link","items":"items"}]"#),
        "{pagination}"
    );
    assert!(!pagination.contains("\"unlinked\""), "{pagination}");
    assert!(!pagination.contains("\"declared\""), "{pagination}");
    let messages: Vec<&str> = g.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains(
            "x-oaskit-pagination: `nope` is not a query parameter of the operation; no pagination"
        )),
        "{messages:?}"
    );
}

#[test]
fn input_views_exist_only_for_schemas_requests_reach() {
    let g = generate_from(
        r#"
openapi: 3.0.3
info: {title: x, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Audit'}}}}
components:
  schemas:
    Pet:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        owner: {$ref: '#/components/schemas/Owner'}
    Owner:
      type: object
      properties:
        since: {type: string, readOnly: true}
    Audit:
      type: object
      properties:
        at: {type: string, readOnly: true}
"#,
    );
    let m = models(&g);
    assert!(m.contains("export interface PetInput {"), "{m}");
    assert!(m.contains("export type OwnerInput = "), "{m}");
    // Only responses use Audit: a request view of it would be dead code.
    assert!(!m.contains("AuditInput"), "{m}");
}

const NEVER: &str = r##"
openapi: 3.1.0
info: {title: "x", version: "1"}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/StringAndNumber"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  status: {type: string, enum: []}
components:
  schemas:
    StringAndNumber:
      allOf: [{type: string}, {type: integer}]
    TwoRoles:
      allOf:
        - {type: object, required: [role], properties: {role: {type: string, enum: [user]}}}
        - {type: object, properties: {role: {const: assistant}}}
    Colors: {type: string, enum: [red, green]}
    NoColor:
      allOf: [{$ref: "#/components/schemas/Colors"}, {enum: [blue]}]
    OfNever:
      allOf: [{$ref: "#/components/schemas/StringAndNumber"}, {type: string}]
    NullableMismatch:
      nullable: true
      allOf: [{type: string}, {type: integer}]
    Fine:
      allOf:
        - {$ref: "#/components/schemas/Colors"}
        - {enum: [red, blue]}
    StringContact:
      type: string
      allOf: [{$ref: "#/components/schemas/Contact"}]
    Contact: {type: object, properties: {name: {type: string}}}
    OptionalRoles:
      allOf:
        - {type: object, properties: {role: {const: user}}}
        - {type: object, properties: {role: {const: assistant}}}
"##;

/// Issue #13: a type that reduces to `never` is a warning naming the schema and its pointer;
/// a schema that is `never` only through a member is not reported twice, and types with a value
/// (a nullable one, an intersection with values in common, optional properties) are not reported.
#[test]
fn types_that_reduce_to_never_are_warnings_naming_the_schema() {
    let g = generate_from(NEVER);
    let never: Vec<(&str, &str)> = g
        .findings
        .iter()
        .filter(|f| f.message.contains("is `never` in TypeScript"))
        .map(|f| {
            (
                f.location
                    .as_ref()
                    .map(|l| l.pointer.as_str())
                    .unwrap_or(""),
                f.message.as_str(),
            )
        })
        .collect();
    let pointers: Vec<&str> = never.iter().map(|(p, _)| *p).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/NoColor",
            "/components/schemas/StringAndNumber",
            "/components/schemas/StringContact",
            "/components/schemas/TwoRoles",
            "/paths/~1things/post/responses/200/content/application~1json/schema/properties/status",
        ],
        "{never:#?}"
    );
    let message = |pointer: &str| never.iter().find(|(p, _)| *p == pointer).map(|(_, m)| *m);
    assert!(
        message("/components/schemas/StringAndNumber").is_some_and(|m| m.contains(
            "schema `StringAndNumber` is `never` in TypeScript (`allOf` with nothing in common: a member is string; a member is number)"
        )),
        "{never:#?}"
    );
    assert!(
        message("/components/schemas/NoColor")
            .is_some_and(|m| m.contains("`Colors` allows \"red\", \"green\"")),
        "{never:#?}"
    );
    assert!(
        message("/components/schemas/TwoRoles").is_some_and(|m| m.contains("property `role`")),
        "{never:#?}"
    );
    assert!(
        message("/components/schemas/StringContact").is_some_and(|m| m.contains(
            "(`allOf` with nothing in common: the schema itself is string; `Contact` is object)"
        )),
        "{never:#?}"
    );
    assert!(never[4].1.contains("an empty `enum`"), "{never:#?}");
}

/// Issue #13: every operation is also a function in its tag's module, the `Client` facade calls
/// it, and the index re-exports the modules; `delete` (a reserved word) gets a function name that
/// is an identifier, while the method keeps its name.
#[test]
fn operations_are_functions_in_modules_by_tag() {
    let g = generate_from(
        r#"
openapi: 3.1.0
info: {title: "x", version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      tags: [Pet Store, other]
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses: {"204": {description: ok}}
    delete:
      operationId: delete
      tags: ["../pet  store"]
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses: {"204": {description: ok}}
  /health:
    get:
      operationId: health
      responses: {"204": {description: ok}}
"#,
    );
    let pets = file(&g, "src/operations/pet-store.ts");
    assert!(
        pets.contains("export function getPet(client: ClientOptions, request: GetPetRequest, options?: RequestOptions): Promise<GetPetResult> {\n  return send<GetPetResult>(client, {"),
        "{pets}"
    );
    assert!(
        pets.contains(
            "export function deleteOperation(client: ClientOptions, request: DeleteRequest"
        ),
        "{pets}"
    );
    assert!(pets.contains("export interface GetPetRequest {"), "{pets}");
    assert!(
        !pets.contains("import type * as M"),
        "no model is used: {pets}"
    );
    let untagged = file(&g, "src/operations/untagged.ts");
    assert!(untagged.contains("export function health("), "{untagged}");
    let client = file(&g, "src/client.ts");
    for line in [
        "import * as petStoreOperations from \"./operations/pet-store.js\";",
        "import * as untaggedOperations from \"./operations/untagged.js\";",
        "  getPet(request: petStoreOperations.GetPetRequest, options?: RequestOptions): Promise<petStoreOperations.GetPetResult> {",
        "    return petStoreOperations.getPet(this.#options, request, options);",
        "  delete(request: petStoreOperations.DeleteRequest, options?: RequestOptions): Promise<petStoreOperations.DeleteResult> {",
        "    return petStoreOperations.deleteOperation(this.#options, request, options);",
    ] {
        assert!(client.contains(line), "missing `{line}` in\n{client}");
    }
    let index = file(&g, "src/index.ts");
    assert!(
        index.contains("export * from \"./operations/pet-store.js\";")
            && index.contains("export * from \"./operations/untagged.js\";"),
        "{index}"
    );
    assert!(
        file(&g, "package.json")
            .contains("\"./operations/*\": {\n      \"types\": \"./dist/operations/*.d.ts\""),
        "{}",
        file(&g, "package.json")
    );
}

/// OpenAI names the body of `createFile` `CreateFileRequest` (and 48 more like it): the
/// operation's own types take `Params` and `Outcome` instead of `CreateFileRequest2` and
/// `CreateFileResult2`.
#[test]
fn operation_types_do_not_number_themselves_after_the_specs_schemas() {
    let g = generate_from(
        r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /files:
    post:
      operationId: createFile
      requestBody:
        content:
          application/json: {schema: {$ref: '#/components/schemas/CreateFileRequest'}}
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/CreateFileResult'}}
components:
  schemas:
    CreateFileRequest: {type: object, properties: {name: {type: string}}}
    CreateFileResult: {type: object, properties: {id: {type: string}}}
"#,
    );
    let code = operations(&g);
    assert!(
        code.contains("export interface CreateFileParams {"),
        "{code}"
    );
    assert!(code.contains("export type CreateFileOutcome ="), "{code}");
    assert!(code.contains("body?: M.CreateFileRequest"), "{code}");
    assert!(
        !code.contains("CreateFileRequest2") && !code.contains("CreateFileResult2"),
        "{code}"
    );
}
