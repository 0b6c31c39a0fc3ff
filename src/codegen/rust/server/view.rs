//! What `server.rs.hbs` receives: data, not Rust source. Each handler is a list of extraction
//! steps (parameters with their location, style and shape, the body with its kind and limit), its
//! security step and its response mapping, so that a template override can change any statement
//! of the generated server and a quoting mistake is a type error here, not a `syn` error later.
//!
//! What stays text is what is a Rust *name* or *type* already resolved by the model
//! (`Option<models::Pet>`, identifiers, string literals already quoted), and the validation
//! statements and value shapes the type IR renders (`models.rs`, `checks.rs`).

use serde::Serialize;

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct ServerView {
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
    /// Whether trait methods answer `501` by default (`--default-not-implemented`).
    pub default_not_implemented: bool,
    /// What enforces the spec's security, when an operation requires credentials.
    pub security: Option<SecurityView>,
    /// Whether a routed handler calls the hooks (`SecurityHooks`, the realm).
    pub calls_hooks: bool,
}

/// The security of the API: the schemes and each operation's requirements as statics (the
/// table middleware reads), and a hook per scheme on the `Api` trait.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct SecurityView {
    /// The realm of `WWW-Authenticate` challenges (the API's title), as a string literal.
    pub realm: String,
    pub schemes: Vec<SchemeView>,
    pub operations: Vec<OperationSecurityView>,
    pub hooks: Vec<HookView>,
}

/// A `runtime::SecurityScheme` static.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct SchemeView {
    pub doc_attrs: Vec<String>,
    /// `SCHEME_API_KEY`.
    pub ident: String,
    /// The scheme's name in the spec, as a string literal.
    pub name: String,
    /// The `runtime::SchemeKind` variant: `Bearer`, `Basic`, `Http`, `ApiKey`, `OAuth2`,
    /// `OpenIdConnect`, `MutualTls` or `Unusable`.
    pub kind: &'static str,
    /// For `Http`: the scheme's name (`Digest`), as a string literal.
    pub http_scheme: Option<String>,
    /// For `ApiKey`: the `runtime::KeyLocation` variant and the key's name, a string literal
    /// (lower case for a header).
    pub key_location: Option<&'static str>,
    pub key_name: Option<String>,
}

/// A `runtime::OperationSecurity` static.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct OperationSecurityView {
    pub doc_attrs: Vec<String>,
    /// `SECURITY_GET_PET`.
    pub ident: String,
    /// The operationId (or `METHOD /path`), the method and the path, as string literals.
    pub operation: String,
    pub method: String,
    pub path: String,
    /// The alternatives (any one suffices), each the schemes it requires together.
    pub requirements: Vec<Vec<RequirementView>>,
}

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct RequirementView {
    /// The scheme's static.
    pub scheme: String,
    /// The scopes, as string literals.
    pub scopes: Vec<String>,
}

/// A trait method checking the credentials of one scheme, and the arm of the runtime's
/// dispatcher calling it.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct HookView {
    pub doc_attrs: Vec<String>,
    pub method: String,
    /// The scheme's name, as a string literal.
    pub scheme: String,
    /// The `runtime::Credential` variant the hook takes: `Token`, `Basic`, `Http`, `ApiKey`,
    /// `Client`.
    pub credential: &'static str,
    /// Whether the variant has named fields (`Basic { user, password }`).
    pub named: bool,
    /// The hook's parameters before `scopes`, in the variant's order.
    pub params: Vec<HookParamView>,
}

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct HookParamView {
    pub name: &'static str,
    pub ty: &'static str,
    /// Whether the dispatcher passes it borrowed (`&key`: the credential owns a `String`).
    pub borrowed: bool,
}

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct OperationView {
    pub doc_attrs: Vec<String>,
    pub method: String,
    pub request_type: String,
    pub request_doc_attrs: Vec<String>,
    pub request_fields: Vec<FieldView>,
    pub response_type: String,
    pub response_doc_attrs: Vec<String>,
    pub variants: Vec<VariantView>,
    /// The enums of the bodies declared in several media types, which variants hold.
    pub body_choices: Vec<BodyChoiceView>,
    /// Whether a variant holds such an enum: the handler keeps the request's `Accept`
    /// (`runtime::Accept`) and answers `406` when the arm the handler chose is refused while
    /// another is admitted.
    pub negotiates: bool,
    /// Whether a variant holds no such enum (the response enum's `chosen_media_type` has a
    /// catch-all arm).
    pub negotiates_some: bool,
    /// Whether the request holds a stream (a binary body, read as it arrives): the struct then
    /// derives only `Debug`, and the handler answers `413`/`408` for a body that broke the
    /// limits while the trait method read it.
    pub request_streams: bool,
    /// Whether a variant holds a stream (a binary or `text/event-stream` body), which can be
    /// neither cloned nor compared: the enum then derives only `Debug`.
    pub streams: bool,
    pub routed: bool,
    /// The axum route it is served on (a string literal; empty while not routed), which its
    /// handler reads the path parameters from.
    pub route: String,
    /// The operation's key in the per-operation limits (`ServerConfig::operation_body_limits`
    /// and `operation_body_timeouts`): operationId, or `METHOD /path`, a string literal.
    pub key: String,
    pub handler: String,
    /// What the handler does before it calls the trait method.
    pub steps: HandlerView,
    /// The type of the handler's context argument.
    pub context_type: String,
    /// With `--default-not-implemented`: the extra response variant the trait method's default
    /// body returns (`NotImplemented`, sent as a `501` problem), and its problem's detail literal.
    pub not_implemented: Option<NotImplementedView>,
}

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct NotImplementedView {
    pub ident: String,
    pub detail: String,
}

/// A handler, in the order it runs: split the request, check credentials, read the path and
/// query, extract and validate each parameter, read and validate the body, answer every error
/// found at once, then call the trait method with the request struct.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct HandlerView {
    /// The body is read (`http_body`, else `_http_body`).
    pub reads_body: bool,
    /// The operation's security static, when it requires credentials: checked first, so a
    /// caller who may not call the operation learns nothing about it. The principals reach
    /// the context.
    pub authorize: Option<String>,
    /// The media types the successful responses are sent with, as string literals: a request
    /// whose `Accept` admits none of them is answered `406` (none: nothing to negotiate).
    pub produces: Vec<String>,
    pub path_params: bool,
    pub query_string: bool,
    pub parameters: Vec<ValueStep>,
    pub body: Option<BodyStep>,
    /// A malformed path parameter answers 404 (the operation declares a 404 and no 400).
    pub path_errors_are_404: bool,
    /// The locals that must be `Some` once no error was found (required fields).
    pub required: Vec<String>,
    /// The request struct's fields and the locals they are built from.
    pub fields: Vec<InitView>,
}

/// `field: local` in a struct literal or pattern, or `field` alone when they are one name.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct InitView {
    pub field: String,
    pub local: String,
    pub shorthand: bool,
}

impl InitView {
    pub fn new(field: &str, local: &str) -> InitView {
        InitView {
            field: field.to_string(),
            local: local.to_string(),
            shorthand: field == local,
        }
    }
}

/// One parameter or form field, read from its location with its style and checked.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct ValueStep {
    pub local: String,
    /// The value's type (without the `Option`).
    pub ty: String,
    pub required: bool,
    /// `Path`, `Query`, `Header` or `Cookie` (a `runtime::Source` variant), `Form` for a
    /// field of a form body, or `PartHeader` for a header a multipart part declares (read from
    /// `headers`, the part's).
    pub location: &'static str,
    /// The parameter's (or field's) name, as a string literal (what errors name).
    pub name: String,
    /// For `PartHeader` (a header of a multipart body's part): the part's wire name, a string
    /// literal (empty otherwise).
    pub part: String,
    /// The name it is looked up by, as a string literal (lower case for a header).
    pub wire_name: String,
    /// For a path parameter: its position in the route (`p0`, `p1`...).
    pub position: usize,
    /// The `runtime::Shape` of the value.
    pub shape: String,
    /// The `runtime::Style` variant (`Json` for a JSON `content` parameter).
    pub style: &'static str,
    pub explode: bool,
    /// Validation statements over `value`, `at` and `errors`.
    pub checks: Vec<String>,
    /// The expression of the schema's `default`, taken when the value is absent (the value is
    /// then no `Option` for the handler).
    pub default: Option<String>,
    /// When the schema says what the type and checks cannot (`if`/`then`, `not`, ...): its
    /// `$defs` entry in `REQUEST_SCHEMAS`, a string literal, which the value is validated
    /// against before the checks run.
    pub schema: Option<String>,
}

/// The request body, read within the operation's limit.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct BodyStep {
    pub local: String,
    /// `json`, `text`, `binary` or `form` (urlencoded or multipart/form-data).
    pub kind: &'static str,
    pub required: bool,
    /// The value's type (without the `Option`).
    pub ty: String,
    /// The declared media type, as a string literal (what a 415 names).
    pub media: String,
    /// The runtime predicate accepting the request's `Content-Type` (`is_json`, `is_xml`,
    /// `is_text`).
    pub accepts: &'static str,
    pub checks: Vec<String>,
    /// For a JSON body with a schema: its `$defs` entry in `REQUEST_SCHEMAS`, a string literal.
    /// For a form body that is not streamed: the same, only when the schema says what the
    /// fields' types and checks cannot (the form is then validated as a JSON object).
    pub schema_definition: Option<String>,
    /// Whether every body is validated against that schema (it says what the types cannot).
    pub schema_always: bool,
    /// For a form body: its fields, when the schema names them.
    pub form: Option<FormStep>,
}

/// A form body read field by field into its struct.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct FormStep {
    /// The struct's name.
    pub name: String,
    pub fields: Vec<FormFieldStep>,
    /// Whether a field is required (the struct is built only when all of them are present).
    pub any_required: bool,
    /// `additionalProperties: false`: a field the schema does not name is an error.
    pub closed: bool,
    /// A multipart body with files: streamed, the files reaching the handler as they arrive.
    pub streamed: Option<StreamedFormView>,
    /// The media ranges each field's part may have, a `runtime::PartTypes` expression
    /// (`&[("meta", &["application/json"])]`): its `encoding.contentType`, or JSON for an
    /// object.
    pub part_types: String,
    /// The parts (files or fields) whose `encoding.headers` declare headers: a function each,
    /// in a module `part_headers` of the handler, listed in its `CHECKS` (a
    /// `runtime::PartHeaders`).
    pub part_headers: Vec<PartHeadersView>,
}

/// The check of the headers one part declares: `fn {ident}(headers: &HeaderMap, errors)`.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct PartHeadersView {
    /// The part's wire name, a string literal.
    pub part: String,
    pub ident: String,
    /// Each header, read from the part's `headers` and checked (its local is unused: the
    /// values do not reach the handler).
    pub headers: Vec<ValueStep>,
}

/// The parts of a streamed multipart body (a `runtime::MultipartSpec`) and the struct field
/// holding its files.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct StreamedFormView {
    /// The field of the `runtime::FileParts`, built from the local `file_parts`.
    pub init: InitView,
    pub files: Vec<FileView>,
    /// The wire names of the other properties, as string literals.
    pub fields: Vec<String>,
}

/// A file part (a `runtime::FileSpec`).
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct FileView {
    /// Its wire name, as it is and as a string literal.
    pub name: String,
    pub literal: String,
    pub required: bool,
    /// An array of files: the part may repeat.
    pub repeated: bool,
    /// The array's `minItems` (0 without one), and its `maxItems` as an `Option` expression.
    pub min_items: usize,
    pub max_items: String,
    /// `maxLength`, in bytes.
    pub limit: Option<usize>,
    /// The media ranges of `encoding.contentType`, as string literals.
    pub content_types: Vec<String>,
    #[serde(skip)]
    pub doc: String,
}

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct FormFieldStep {
    #[serde(flatten)]
    pub init: InitView,
    /// The field's wire name, as a string literal.
    pub wire: String,
    pub required: bool,
    /// A file (bytes): read as they are. Any other field is a value parsed by its shape.
    pub binary: bool,
    pub value: Option<ValueStep>,
}

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct FieldView {
    pub doc_attrs: Vec<String>,
    pub ident: String,
    pub ty: String,
}

/// A response variant and how it becomes an HTTP response.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct VariantView {
    pub doc_attrs: Vec<String>,
    pub ident: String,
    /// The body alone, as a tuple variant: `Ok(Vec<models::Pet>)`.
    pub tuple: bool,
    /// The members (none for a unit variant); each binds a local of its own in the match.
    pub fields: Vec<VariantFieldView>,
    /// The status: an `http::StatusCode` constant, a code without one, or (for a range or
    /// `default`) the variant's `status` member.
    pub status_constant: Option<&'static str>,
    pub status_code: Option<u16>,
    pub body: Option<ResponseBodyView>,
    /// For a body declared in several media types: its enum ([`BodyChoiceView`]), whose arm
    /// the handler chose.
    pub choice: Option<String>,
    pub headers: Vec<ResponseHeaderView>,
}

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct VariantFieldView {
    #[serde(flatten)]
    pub init: InitView,
    pub ty: String,
}

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct ResponseBodyView {
    /// `json`, `form` (urlencoded), `text`, `binary` (a `runtime::ByteStream`: a buffer or a
    /// stream), `events` (a
    /// `runtime::EventStream` of JSON data), `text_events` (of text data) or `choice` (a
    /// [`BodyChoiceView`] enum, which sends the arm the handler chose).
    pub kind: &'static str,
    /// The `Content-Type` it is sent with, as a string literal (empty for a `choice`).
    pub content_type: String,
    /// The local bound to the body.
    pub binding: String,
    /// The status it is sent with, as [`VariantView`] has it; neither (the `status` argument)
    /// in the arm of a body enum.
    pub status_constant: Option<&'static str>,
    pub status_code: Option<u16>,
}

/// The enum of a response body declared in several media types (`application/json` and
/// `text/event-stream`): an arm per media type, the handler returns the one it chooses.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct BodyChoiceView {
    pub doc_attrs: Vec<String>,
    pub name: String,
    /// Whether an arm holds a stream (the enum then derives only `Debug`).
    pub streams: bool,
    /// The `Content-Type` of each arm, as string literals, in declaration order.
    pub media_types: Vec<String>,
    pub arms: Vec<BodyArmView>,
}

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct BodyArmView {
    pub doc_attrs: Vec<String>,
    pub ident: String,
    pub ty: String,
    /// How the arm is sent (bound to `body`, with the `status` argument).
    pub body: ResponseBodyView,
}

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct ResponseHeaderView {
    /// The header's name in lower case, as a string literal.
    pub name: String,
    pub binding: String,
}

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct FormBodyView {
    pub doc_attrs: Vec<String>,
    pub name: String,
    pub fields: Vec<FieldView>,
    /// It holds the files of a streamed multipart body: it derives only `Debug`.
    pub streams: bool,
}

/// A path and the handlers of its methods.
#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct RouteView {
    /// The axum route, as a string literal.
    pub path: String,
    pub methods: Vec<RouteMethodView>,
}

#[derive(Debug, Serialize)]
pub(in crate::codegen::rust) struct RouteMethodView {
    /// axum's method router function (`get`, `post`...).
    pub method: &'static str,
    pub handler: String,
}
