//! The contract model: one normalized, owned representation of an OpenAPI 3.0 / 3.1 (and 3.2
//! read as 3.1) document. Every consumer (validate, diff, codegen, probe) reads only this.
//! Schemas live in an arena ([`TypeSpace`]) addressed by [`SchemaId`]; `$ref`s become ids, so
//! cycles are ordinary edges.

mod build;
pub mod media;
pub mod path_template;
mod schema;
pub mod wire;

pub use build::build_contract;
pub use schema::{
    AdditionalProperties, Besides, Direction, Discriminator, EmptyMap, InstanceType, OutOfLine,
    RareKeywords, Schema, SchemaId, TypeSpace,
};

use indexmap::IndexMap;
use serde_json::Value;

use crate::load::{Documents, FileId, LoadError, LoadOptions};
use crate::report::{Finding, Location};

/// A place in the loaded documents: a file and a JSON pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub file: FileId,
    pub pointer: String,
}

impl Loc {
    pub fn new(file: FileId, pointer: impl Into<String>) -> Loc {
        Loc {
            file,
            pointer: pointer.into(),
        }
    }

    /// The location of a child of this node.
    pub fn child(&self, token: &str) -> Loc {
        Loc {
            file: self.file,
            pointer: crate::load::pointer::push(&self.pointer, token),
        }
    }
}

/// Vendor extensions (`x-…`) of an object, in document order.
pub type Extensions = IndexMap<String, Value>;

/// The OpenAPI version family a document is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SpecVersion {
    V3_0,
    V3_1,
    /// Read as 3.1 plus the `query` method; other 3.2-only constructs are reported.
    V3_2,
}

#[derive(Debug, Clone, Default)]
pub struct Info {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub summary: Option<String>,
    pub license: Option<License>,
}

/// `info.license`: `identifier` (an SPDX expression, 3.1) or a `url`, beside the `name`.
#[derive(Debug, Clone, Default)]
pub struct License {
    pub name: String,
    pub identifier: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    pub variables: IndexMap<String, ServerVariable>,
}

#[derive(Debug, Clone)]
pub struct ServerVariable {
    pub default: String,
    pub allowed: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub description: Option<String>,
}

/// HTTP methods an operation can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// OpenAPI 3.2's `query`.
    Query,
}

impl Method {
    pub const ALL: [Method; 9] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
        Method::Query,
    ];

    /// The key of this method in a Path Item Object.
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
            Method::Query => "query",
        }
    }

    pub fn as_upper(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
        }
    }

    /// Safe methods have no side effects (RFC 9110 §9.2.1).
    pub fn is_safe(self) -> bool {
        matches!(
            self,
            Method::Get | Method::Head | Method::Options | Method::Trace | Method::Query
        )
    }
}

/// Where an operation is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationKind {
    /// Under `paths`.
    Path,
    /// Under `webhooks`: `path` holds the webhook's name.
    Webhook,
    /// Under an operation's `callbacks`: the callback name and its runtime expression.
    Callback { name: String, expression: String },
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub kind: OperationKind,
    pub method: Method,
    /// The path template (`/pets/{petId}`), the webhook name, or the callback URL expression.
    pub path: String,
    pub operation_id: Option<String>,
    /// `operationId`, or a name derived from method and path when it is missing; unique among
    /// the contract's path operations.
    pub name: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    /// Path-level and operation-level parameters merged (the operation's win), resolved.
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// The effective security: the operation's own, or the document's default.
    pub security: Vec<SecurityRequirement>,
    /// `true` when the operation declares `security` itself (even an empty list).
    pub security_overridden: bool,
    pub callbacks: Vec<Operation>,
    pub servers: Vec<Server>,
    pub extensions: Extensions,
    pub loc: Loc,
}

impl Operation {
    /// `GET /pets/{id}`, the way findings name an operation.
    pub fn label(&self) -> String {
        match &self.kind {
            OperationKind::Path => format!("{} {}", self.method.as_upper(), self.path),
            OperationKind::Webhook => format!("webhook {} {}", self.path, self.method.as_upper()),
            OperationKind::Callback { name, .. } => {
                format!("callback {name} {} {}", self.method.as_upper(), self.path)
            }
        }
    }

    pub fn parameters_in(&self, location: ParameterLocation) -> impl Iterator<Item = &Parameter> {
        self.parameters
            .iter()
            .filter(move |p| p.location == location)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
    /// OpenAPI 3.2's `querystring`: the whole query string as one value.
    QueryString,
}

impl ParameterLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
            ParameterLocation::QueryString => "querystring",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParameterStyle {
    Matrix,
    Label,
    Simple,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

impl ParameterStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterStyle::Matrix => "matrix",
            ParameterStyle::Label => "label",
            ParameterStyle::Simple => "simple",
            ParameterStyle::Form => "form",
            ParameterStyle::SpaceDelimited => "spaceDelimited",
            ParameterStyle::PipeDelimited => "pipeDelimited",
            ParameterStyle::DeepObject => "deepObject",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub location: ParameterLocation,
    pub required: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    /// Always set: the spec's value or the default for the location.
    pub style: ParameterStyle,
    pub explode: bool,
    pub allow_reserved: bool,
    pub allow_empty_value: bool,
    /// The schema, or the schema of the single `content` entry.
    pub schema: Option<SchemaId>,
    /// `content` instead of `schema`: the media type and its object.
    pub content: Option<(String, MediaType)>,
    pub examples: Vec<Example>,
    pub extensions: Extensions,
    /// Where the Parameter Object is written (the component, for a `$ref`).
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub description: Option<String>,
    pub required: bool,
    pub content: IndexMap<String, MediaType>,
    pub loc: Loc,
}

/// A response's status key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusCode {
    Code(u16),
    /// `2XX`: the digit.
    Range(u8),
    Default,
}

impl StatusCode {
    pub fn parse(key: &str) -> Option<StatusCode> {
        if key == "default" {
            return Some(StatusCode::Default);
        }
        let bytes = key.as_bytes();
        if bytes.len() == 3 && (b'1'..=b'5').contains(&bytes[0]) {
            if bytes[1..].eq_ignore_ascii_case(b"XX") {
                return Some(StatusCode::Range(bytes[0] - b'0'));
            }
            return key.parse::<u16>().ok().map(StatusCode::Code);
        }
        None
    }

    pub fn is_success(self) -> bool {
        match self {
            StatusCode::Code(c) => (200..300).contains(&c),
            StatusCode::Range(d) => d == 2,
            StatusCode::Default => false,
        }
    }

    /// Whether an actual status matches this key.
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusCode::Code(c) => c == status,
            StatusCode::Range(d) => status / 100 == u16::from(d),
            StatusCode::Default => true,
        }
    }
}

impl std::fmt::Display for StatusCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusCode::Code(c) => write!(f, "{c}"),
            StatusCode::Range(d) => write!(f, "{d}XX"),
            StatusCode::Default => f.write_str("default"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: StatusCode,
    pub description: Option<String>,
    pub headers: IndexMap<String, Header>,
    pub content: IndexMap<String, MediaType>,
    pub links: IndexMap<String, Value>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub description: Option<String>,
    pub required: bool,
    pub deprecated: bool,
    pub style: ParameterStyle,
    pub explode: bool,
    pub schema: Option<SchemaId>,
    pub content: Option<(String, MediaType)>,
    pub examples: Vec<Example>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct MediaType {
    pub schema: Option<SchemaId>,
    pub examples: Vec<Example>,
    pub encoding: IndexMap<String, Encoding>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Encoding {
    pub content_type: Option<String>,
    pub headers: IndexMap<String, Header>,
    pub style: Option<ParameterStyle>,
    pub explode: Option<bool>,
}

/// An example value, wherever it was written. The value itself stays in the document (examples
/// can be large); read it with [`Contract::value`].
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The key in an `examples` map, or `None` for a single `example`.
    pub name: Option<String>,
    pub summary: Option<String>,
    /// Where the example's value is written, if it has an inline one.
    pub value: Option<Loc>,
    /// `externalValue` as written, for the example validator to load.
    pub external_value: Option<String>,
    /// Where the example is declared (the `$ref` site for referenced examples).
    pub declared_at: Loc,
}

#[derive(Debug, Clone)]
pub enum SecurityScheme {
    ApiKey {
        name: String,
        location: ParameterLocation,
        description: Option<String>,
    },
    Http {
        scheme: String,
        bearer_format: Option<String>,
        description: Option<String>,
    },
    OAuth2 {
        flows: IndexMap<String, OAuthFlow>,
        description: Option<String>,
    },
    OpenIdConnect {
        url: String,
        description: Option<String>,
    },
    MutualTls {
        description: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct OAuthFlow {
    pub authorization_url: Option<String>,
    pub token_url: Option<String>,
    pub refresh_url: Option<String>,
    pub scopes: IndexMap<String, String>,
}

/// One alternative of a security requirement list: all of its schemes apply together. An empty
/// requirement means "no authentication" is an accepted alternative.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecurityRequirement {
    pub schemes: IndexMap<String, Vec<String>>,
}

/// A loaded, normalized OpenAPI document.
pub struct Contract {
    pub documents: Documents,
    pub version: SpecVersion,
    /// The `openapi` field as written.
    pub openapi: String,
    pub info: Info,
    pub servers: Vec<Server>,
    pub operations: Vec<Operation>,
    pub webhooks: Vec<Operation>,
    pub types: TypeSpace,
    pub security_schemes: IndexMap<String, SecurityScheme>,
    pub security: Vec<SecurityRequirement>,
    pub tags: Vec<Tag>,
    pub extensions: Extensions,
    /// What building the model found wrong (unresolved `$ref`s, malformed objects, unsupported
    /// constructs): reported by `validate`.
    pub findings: Vec<Finding>,
}

impl Contract {
    /// Loads a SPEC argument and builds its contract.
    pub fn load(spec: &str, options: &LoadOptions) -> Result<Contract, LoadError> {
        build_contract(Documents::load(spec, options)?)
    }

    /// Loads a document from a known origin and builds its contract.
    pub fn load_origin(
        origin: crate::load::Origin,
        options: &LoadOptions,
    ) -> Result<Contract, LoadError> {
        build_contract(Documents::load_origin(origin, options)?)
    }

    /// The value written at a location. Not after [`Documents::release_json_trees`] (the tree
    /// is gone): read through [`SourceFile`](crate::load::SourceFile)'s accessors then.
    pub fn value(&self, loc: &Loc) -> Option<&Value> {
        let file = self.documents.file(loc.file);
        debug_assert!(
            !file.tree_released(),
            "Contract::value after the tree was released"
        );
        crate::load::pointer::get(&file.root, &loc.pointer)
    }

    /// A location with line and column, for a finding.
    pub fn location(&self, loc: &Loc) -> Location {
        self.documents.location(loc.file, &loc.pointer)
    }

    /// Path operations, webhooks and callbacks (depth first), in document order.
    pub fn all_operations(&self) -> Vec<&Operation> {
        fn walk<'a>(op: &'a Operation, out: &mut Vec<&'a Operation>) {
            out.push(op);
            for cb in &op.callbacks {
                walk(cb, out);
            }
        }
        let mut out = Vec::new();
        for op in self.operations.iter().chain(&self.webhooks) {
            walk(op, &mut out);
        }
        out
    }
}

/// The contract of `text`, a one-file spec named `spec.yaml`, for unit tests. Panics when it does
/// not load or build: then the test's own spec is wrong.
#[cfg(test)]
pub(crate) fn test_contract(text: &str) -> Contract {
    let documents = Documents::from_bytes(
        crate::load::Origin::Path("spec.yaml".into()),
        text.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("the test spec does not load: {e}"));
    build_contract(documents).unwrap_or_else(|e| panic!("the test spec does not build: {e}"))
}

#[cfg(test)]
mod tests;
