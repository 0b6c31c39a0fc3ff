//! The OpenAPI objects as tables: for each kind of object, its fields, what each holds, in which
//! versions it exists and where it is required. Written from the official schemas
//! (`schemas/v3.0/schema.yaml` 2021-09-28, `schemas/v3.1/schema.yaml` 2022-10-07 with the OAS
//! 3.1 dialect over JSON Schema 2020-12, and `schemas/v3.2/schema.yaml`), and compared with
//! them field by field when written: every property name and required field of the 22 objects
//! the schemas describe as such, per version, plus the security schemes and OAuth flows (the
//! published files are not vendored here; fields the 3.1 schemas declare only inside
//! conditional subschemas, such as a parameter's `style`, were checked by hand).
//!
//! What a table cannot say (one of two fields, fields that depend on `in` or `type`) is checked in
//! `variants.rs`.

/// Version bits: which OpenAPI minor versions have a field.
pub const V30: u8 = 0b001;
pub const V31: u8 = 0b010;
pub const V32: u8 = 0b100;
pub const ALL: u8 = V30 | V31 | V32;
pub const FROM31: u8 = V31 | V32;
pub const NONE: u8 = 0;

/// The objects of an OpenAPI document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Document,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    Paths,
    PathItem,
    Operation,
    ExternalDocs,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Callback,
    Example,
    Link,
    Header,
    Tag,
    Schema,
    Discriminator,
    Xml,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow(Flow),
    SecurityRequirement,
}

/// The four (3.2: five) OAuth flows, whose fields differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flow {
    Implicit,
    Password,
    ClientCredentials,
    AuthorizationCode,
    DeviceAuthorization,
}

impl Kind {
    /// The name the specification gives the object.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Document => "OpenAPI Object",
            Kind::Info => "Info Object",
            Kind::Contact => "Contact Object",
            Kind::License => "License Object",
            Kind::Server => "Server Object",
            Kind::ServerVariable => "Server Variable Object",
            Kind::Components => "Components Object",
            Kind::Paths => "Paths Object",
            Kind::PathItem => "Path Item Object",
            Kind::Operation => "Operation Object",
            Kind::ExternalDocs => "External Documentation Object",
            Kind::Parameter => "Parameter Object",
            Kind::RequestBody => "Request Body Object",
            Kind::MediaType => "Media Type Object",
            Kind::Encoding => "Encoding Object",
            Kind::Responses => "Responses Object",
            Kind::Response => "Response Object",
            Kind::Callback => "Callback Object",
            Kind::Example => "Example Object",
            Kind::Link => "Link Object",
            Kind::Header => "Header Object",
            Kind::Tag => "Tag Object",
            Kind::Schema => "Schema Object",
            Kind::Discriminator => "Discriminator Object",
            Kind::Xml => "XML Object",
            Kind::SecurityScheme => "Security Scheme Object",
            Kind::OAuthFlows => "OAuth Flows Object",
            Kind::OAuthFlow(_) => "OAuth Flow Object",
            Kind::SecurityRequirement => "Security Requirement Object",
        }
    }

    /// Whether `x-` members are extensions (rather than fields or names).
    pub fn extensible(self) -> bool {
        !matches!(self, Kind::SecurityRequirement)
    }
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Any JSON value (an example, a default, a link's request body).
    Any,
    String,
    Bool,
    Number,
    /// A number above zero (`multipleOf`).
    Positive,
    /// A non-negative integer (`maxLength`, ...).
    Count,
    /// An array of strings.
    Strings,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// That object; a `$ref` is not allowed here.
    Object(Kind),
    /// That object or a Reference Object. (A Path Item is always `Object`: its `$ref` is a field
    /// that siblings may accompany.)
    OrRef(Kind),
    /// A Schema Object (3.0: or a Reference Object; 3.1: or a boolean).
    Schema,
    /// A schema or a boolean, in every version (`additionalProperties`).
    SchemaOrBool,
    /// A non-empty array of schemas (`allOf`, ...).
    Schemas,
    /// An object whose members are names mapped to this slot.
    Map(&'static Slot),
    /// An array of this slot.
    List(&'static Slot),
}

/// One field of an object.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub slot: Slot,
    /// The versions that define the field.
    pub versions: u8,
    /// The versions in which it is required.
    pub required: u8,
}

const fn f(name: &'static str, slot: Slot) -> Field {
    Field {
        name,
        slot,
        versions: ALL,
        required: NONE,
    }
}

const fn only(versions: u8, name: &'static str, slot: Slot) -> Field {
    Field {
        name,
        slot,
        versions,
        required: NONE,
    }
}

const fn req(name: &'static str, slot: Slot) -> Field {
    Field {
        name,
        slot,
        versions: ALL,
        required: ALL,
    }
}

use Slot::{Any, Bool, Count, Number, Positive, Schema, SchemaOrBool, Schemas, Strings};
const S: Slot = Slot::String;

const SERVERS: Slot = Slot::List(&Slot::Object(Kind::Server));
const PARAMETERS: Slot = Slot::List(&Slot::OrRef(Kind::Parameter));
const OPERATION: Slot = Slot::Object(Kind::Operation);
/// Media types by name. A Media Type Object may be a `$ref` from 3.2 on (earlier, the walk
/// reports one as a version mismatch).
const CONTENT: Slot = Slot::Map(&Slot::OrRef(Kind::MediaType));
const HEADERS: Slot = Slot::Map(&Slot::OrRef(Kind::Header));
const EXAMPLES: Slot = Slot::Map(&Slot::OrRef(Kind::Example));
const EXTERNAL_DOCS: Slot = Slot::Object(Kind::ExternalDocs);
const ENCODING_STYLES: &[&str] = &["form", "spaceDelimited", "pipeDelimited", "deepObject"];

pub const DOCUMENT: &[Field] = &[
    req("openapi", S),
    req("info", Slot::Object(Kind::Info)),
    only(FROM31, "jsonSchemaDialect", S),
    only(V32, "$self", S),
    f("servers", SERVERS),
    Field {
        required: V30,
        ..f("paths", Slot::Object(Kind::Paths))
    },
    only(FROM31, "webhooks", Slot::Map(&Slot::Object(Kind::PathItem))),
    f("components", Slot::Object(Kind::Components)),
    f(
        "security",
        Slot::List(&Slot::Object(Kind::SecurityRequirement)),
    ),
    f("tags", Slot::List(&Slot::Object(Kind::Tag))),
    f("externalDocs", EXTERNAL_DOCS),
];

pub const INFO: &[Field] = &[
    req("title", S),
    only(FROM31, "summary", S),
    f("description", S),
    f("termsOfService", S),
    f("contact", Slot::Object(Kind::Contact)),
    f("license", Slot::Object(Kind::License)),
    req("version", S),
];

pub const CONTACT: &[Field] = &[f("name", S), f("url", S), f("email", S)];

pub const LICENSE: &[Field] = &[req("name", S), only(FROM31, "identifier", S), f("url", S)];

pub const SERVER: &[Field] = &[
    req("url", S),
    f("description", S),
    only(V32, "name", S),
    f("variables", Slot::Map(&Slot::Object(Kind::ServerVariable))),
];

pub const SERVER_VARIABLE: &[Field] = &[f("enum", Strings), req("default", S), f("description", S)];

pub const COMPONENTS: &[Field] = &[
    f("schemas", Slot::Map(&Schema)),
    f("responses", Slot::Map(&Slot::OrRef(Kind::Response))),
    f("parameters", Slot::Map(&Slot::OrRef(Kind::Parameter))),
    f("examples", EXAMPLES),
    f("requestBodies", Slot::Map(&Slot::OrRef(Kind::RequestBody))),
    f("headers", HEADERS),
    f(
        "securitySchemes",
        Slot::Map(&Slot::OrRef(Kind::SecurityScheme)),
    ),
    f("links", Slot::Map(&Slot::OrRef(Kind::Link))),
    f("callbacks", Slot::Map(&Slot::OrRef(Kind::Callback))),
    only(
        FROM31,
        "pathItems",
        Slot::Map(&Slot::Object(Kind::PathItem)),
    ),
    only(V32, "mediaTypes", Slot::Map(&Slot::OrRef(Kind::MediaType))),
];

pub const PATH_ITEM: &[Field] = &[
    f("$ref", S),
    f("summary", S),
    f("description", S),
    f("get", OPERATION),
    f("put", OPERATION),
    f("post", OPERATION),
    f("delete", OPERATION),
    f("options", OPERATION),
    f("head", OPERATION),
    f("patch", OPERATION),
    f("trace", OPERATION),
    only(V32, "query", OPERATION),
    only(V32, "additionalOperations", Slot::Map(&OPERATION)),
    f("servers", SERVERS),
    f("parameters", PARAMETERS),
];

pub const OPERATION_FIELDS: &[Field] = &[
    f("tags", Strings),
    f("summary", S),
    f("description", S),
    f("externalDocs", EXTERNAL_DOCS),
    f("operationId", S),
    f("parameters", PARAMETERS),
    f("requestBody", Slot::OrRef(Kind::RequestBody)),
    Field {
        required: V30,
        ..f("responses", Slot::Object(Kind::Responses))
    },
    f("callbacks", Slot::Map(&Slot::OrRef(Kind::Callback))),
    f("deprecated", Bool),
    f(
        "security",
        Slot::List(&Slot::Object(Kind::SecurityRequirement)),
    ),
    f("servers", SERVERS),
];

pub const EXTERNAL_DOCS_FIELDS: &[Field] = &[f("description", S), req("url", S)];

/// Parameter locations; `querystring` is 3.2's.
pub const PARAMETER_LOCATIONS: &[&str] = &["path", "query", "header", "cookie", "querystring"];

pub const PARAMETER: &[Field] = &[
    req("name", S),
    req("in", S),
    f("description", S),
    f("required", Bool),
    f("deprecated", Bool),
    f("allowEmptyValue", Bool),
    f("style", S),
    f("explode", Bool),
    f("allowReserved", Bool),
    f("schema", Schema),
    f("content", CONTENT),
    f("example", Any),
    f("examples", EXAMPLES),
];

pub const REQUEST_BODY: &[Field] = &[
    f("description", S),
    req("content", CONTENT),
    f("required", Bool),
];

pub const MEDIA_TYPE: &[Field] = &[
    only(V32, "description", S),
    f("schema", Schema),
    only(V32, "itemSchema", Schema),
    f("example", Any),
    f("examples", EXAMPLES),
    f("encoding", Slot::Map(&Slot::Object(Kind::Encoding))),
    only(
        V32,
        "prefixEncoding",
        Slot::List(&Slot::Object(Kind::Encoding)),
    ),
    only(V32, "itemEncoding", Slot::Object(Kind::Encoding)),
];

pub const ENCODING: &[Field] = &[
    f("contentType", S),
    f("headers", HEADERS),
    f("style", Slot::Enum(ENCODING_STYLES)),
    f("explode", Bool),
    f("allowReserved", Bool),
    only(V32, "encoding", Slot::Map(&Slot::Object(Kind::Encoding))),
    only(
        V32,
        "prefixEncoding",
        Slot::List(&Slot::Object(Kind::Encoding)),
    ),
    only(V32, "itemEncoding", Slot::Object(Kind::Encoding)),
];

pub const RESPONSE: &[Field] = &[
    only(V32, "summary", S),
    Field {
        required: V30 | V31,
        ..f("description", S)
    },
    f("headers", HEADERS),
    f("content", CONTENT),
    f("links", Slot::Map(&Slot::OrRef(Kind::Link))),
];

pub const EXAMPLE: &[Field] = &[
    f("summary", S),
    f("description", S),
    f("value", Any),
    only(V32, "dataValue", Any),
    only(V32, "serializedValue", S),
    f("externalValue", S),
];

pub const LINK: &[Field] = &[
    f("operationRef", S),
    f("operationId", S),
    f("parameters", Slot::Map(&Any)),
    f("requestBody", Any),
    f("description", S),
    f("server", Slot::Object(Kind::Server)),
];

pub const HEADER: &[Field] = &[
    f("description", S),
    f("required", Bool),
    f("deprecated", Bool),
    only(V30, "allowEmptyValue", Bool),
    f("style", Slot::Enum(&["simple"])),
    f("explode", Bool),
    only(V30, "allowReserved", Bool),
    f("schema", Schema),
    f("content", CONTENT),
    f("example", Any),
    f("examples", EXAMPLES),
];

pub const TAG: &[Field] = &[
    req("name", S),
    only(V32, "summary", S),
    f("description", S),
    f("externalDocs", EXTERNAL_DOCS),
    only(V32, "parent", S),
    only(V32, "kind", S),
];

pub const DISCRIMINATOR: &[Field] = &[
    req("propertyName", S),
    f("mapping", Slot::Map(&S)),
    only(V32, "defaultMapping", S),
];

pub const XML: &[Field] = &[
    only(
        V32,
        "nodeType",
        Slot::Enum(&["element", "attribute", "text", "cdata", "none"]),
    ),
    f("name", S),
    f("namespace", S),
    f("prefix", S),
    f("attribute", Bool),
    f("wrapped", Bool),
];

/// Security scheme types; `mutualTLS` is 3.1's.
pub const SECURITY_TYPES: &[&str] = &["apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"];

/// Every field of a Security Scheme; which ones a given `type` allows is in `variants.rs`.
pub const SECURITY_SCHEME: &[Field] = &[
    req("type", S),
    f("description", S),
    f("name", S),
    f("in", Slot::Enum(&["query", "header", "cookie"])),
    f("scheme", S),
    f("bearerFormat", S),
    f("flows", Slot::Object(Kind::OAuthFlows)),
    f("openIdConnectUrl", S),
    only(V32, "oauth2MetadataUrl", S),
    only(V32, "deprecated", Bool),
];

pub const OAUTH_FLOWS: &[Field] = &[
    f("implicit", Slot::Object(Kind::OAuthFlow(Flow::Implicit))),
    f("password", Slot::Object(Kind::OAuthFlow(Flow::Password))),
    f(
        "clientCredentials",
        Slot::Object(Kind::OAuthFlow(Flow::ClientCredentials)),
    ),
    f(
        "authorizationCode",
        Slot::Object(Kind::OAuthFlow(Flow::AuthorizationCode)),
    ),
    only(
        V32,
        "deviceAuthorization",
        Slot::Object(Kind::OAuthFlow(Flow::DeviceAuthorization)),
    ),
];

const SCOPES: Slot = Slot::Map(&S);
pub const IMPLICIT_FLOW: &[Field] = &[
    req("authorizationUrl", S),
    f("refreshUrl", S),
    req("scopes", SCOPES),
];
pub const TOKEN_FLOW: &[Field] = &[
    req("tokenUrl", S),
    f("refreshUrl", S),
    req("scopes", SCOPES),
];
pub const AUTHORIZATION_CODE_FLOW: &[Field] = &[
    req("authorizationUrl", S),
    req("tokenUrl", S),
    f("refreshUrl", S),
    req("scopes", SCOPES),
];
pub const DEVICE_FLOW: &[Field] = &[
    req("deviceAuthorizationUrl", S),
    req("tokenUrl", S),
    f("refreshUrl", S),
    req("scopes", SCOPES),
];

/// The keywords of a Schema Object. 3.0's are its own subset of JSON Schema draft 4 (with
/// `nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`); 3.1's are JSON Schema 2020-12's
/// (core, applicator, unevaluated, validation, meta-data, format-annotation and content
/// vocabularies, plus the deprecated `definitions`, `dependencies`, `$recursiveRef` and
/// `$recursiveAnchor` its meta-schema still lists) and the OAS base vocabulary. `type`,
/// `exclusiveMinimum`/`exclusiveMaximum`, `items`, `required`, `enum` and `$ref` are read by
/// `schema.rs` itself.
pub const SCHEMA: &[Field] = &[
    // OpenAPI 3.0 and JSON Schema 2020-12 alike
    f("title", S),
    f("multipleOf", Positive),
    f("maximum", Number),
    f("exclusiveMaximum", Any),
    f("minimum", Number),
    f("exclusiveMinimum", Any),
    f("maxLength", Count),
    f("minLength", Count),
    f("pattern", S),
    f("maxItems", Count),
    f("minItems", Count),
    f("uniqueItems", Bool),
    f("maxProperties", Count),
    f("minProperties", Count),
    f("required", Any),
    f("enum", Any),
    f("type", Any),
    f("not", Schema),
    f("allOf", Schemas),
    f("oneOf", Schemas),
    f("anyOf", Schemas),
    f("items", Any),
    f("properties", Slot::Map(&Schema)),
    f("additionalProperties", SchemaOrBool),
    f("description", S),
    f("format", S),
    f("default", Any),
    f("readOnly", Bool),
    f("writeOnly", Bool),
    f("deprecated", Bool),
    // OpenAPI's own keywords
    f("discriminator", Any),
    f("xml", Slot::Object(Kind::Xml)),
    f("externalDocs", EXTERNAL_DOCS),
    f("example", Any),
    only(V30, "nullable", Bool),
    // JSON Schema 2020-12: core
    f("$ref", S),
    only(FROM31, "$id", S),
    only(FROM31, "$schema", S),
    only(FROM31, "$anchor", S),
    only(FROM31, "$dynamicRef", S),
    only(FROM31, "$dynamicAnchor", S),
    only(FROM31, "$vocabulary", Slot::Map(&Bool)),
    only(FROM31, "$comment", S),
    only(FROM31, "$defs", Slot::Map(&Schema)),
    // applicator
    only(FROM31, "prefixItems", Schemas),
    only(FROM31, "contains", Schema),
    only(FROM31, "patternProperties", Slot::Map(&Schema)),
    only(FROM31, "dependentSchemas", Slot::Map(&Schema)),
    only(FROM31, "propertyNames", Schema),
    only(FROM31, "if", Schema),
    only(FROM31, "then", Schema),
    only(FROM31, "else", Schema),
    // unevaluated
    only(FROM31, "unevaluatedItems", Schema),
    only(FROM31, "unevaluatedProperties", Schema),
    // validation
    only(FROM31, "const", Any),
    only(FROM31, "maxContains", Count),
    only(FROM31, "minContains", Count),
    only(FROM31, "dependentRequired", Slot::Map(&Strings)),
    // meta-data
    only(FROM31, "examples", Slot::List(&Any)),
    // content
    only(FROM31, "contentEncoding", S),
    only(FROM31, "contentMediaType", S),
    only(FROM31, "contentSchema", Schema),
    // deprecated, still in the 2020-12 meta-schema
    only(FROM31, "definitions", Slot::Map(&Schema)),
    only(FROM31, "dependencies", Slot::Map(&Any)),
    only(FROM31, "$recursiveRef", S),
    only(FROM31, "$recursiveAnchor", Bool),
];

/// The fields of a kind of object (empty for the objects whose members are names: Paths,
/// Responses, Callback, Security Requirement).
pub fn fields(kind: Kind) -> &'static [Field] {
    match kind {
        Kind::Document => DOCUMENT,
        Kind::Info => INFO,
        Kind::Contact => CONTACT,
        Kind::License => LICENSE,
        Kind::Server => SERVER,
        Kind::ServerVariable => SERVER_VARIABLE,
        Kind::Components => COMPONENTS,
        Kind::PathItem => PATH_ITEM,
        Kind::Operation => OPERATION_FIELDS,
        Kind::ExternalDocs => EXTERNAL_DOCS_FIELDS,
        Kind::Parameter => PARAMETER,
        Kind::RequestBody => REQUEST_BODY,
        Kind::MediaType => MEDIA_TYPE,
        Kind::Encoding => ENCODING,
        Kind::Response => RESPONSE,
        Kind::Example => EXAMPLE,
        Kind::Link => LINK,
        Kind::Header => HEADER,
        Kind::Tag => TAG,
        Kind::Schema => SCHEMA,
        Kind::Discriminator => DISCRIMINATOR,
        Kind::Xml => XML,
        Kind::SecurityScheme => SECURITY_SCHEME,
        Kind::OAuthFlows => OAUTH_FLOWS,
        Kind::OAuthFlow(Flow::Implicit) => IMPLICIT_FLOW,
        Kind::OAuthFlow(Flow::Password | Flow::ClientCredentials) => TOKEN_FLOW,
        Kind::OAuthFlow(Flow::AuthorizationCode) => AUTHORIZATION_CODE_FLOW,
        Kind::OAuthFlow(Flow::DeviceAuthorization) => DEVICE_FLOW,
        Kind::Paths | Kind::Responses | Kind::Callback | Kind::SecurityRequirement => &[],
    }
}

/// The field of `kind` named `name`, in any version.
pub fn field(kind: Kind, name: &str) -> Option<&'static Field> {
    fields(kind).iter().find(|f| f.name == name)
}

/// The slot a member of an object holds, for the objects whose members are names.
pub fn member_slot(kind: Kind, key: &str) -> Option<Slot> {
    match kind {
        Kind::Paths if key.starts_with('/') => Some(Slot::Object(Kind::PathItem)),
        Kind::Responses if key == "default" || is_status_key(key) => {
            Some(Slot::OrRef(Kind::Response))
        }
        Kind::Callback if !key.starts_with("x-") => Some(Slot::Object(Kind::PathItem)),
        Kind::SecurityRequirement => Some(Strings),
        _ => None,
    }
}

/// `200`, `4XX`: a Responses key other than `default`.
pub fn is_status_key(key: &str) -> bool {
    let b = key.as_bytes();
    b.len() == 3
        && (b'1'..=b'5').contains(&b[0])
        && ((b[1].is_ascii_digit() && b[2].is_ascii_digit()) || (b[1] == b'X' && b[2] == b'X'))
}

/// The bit of a version.
pub fn version_bit(version: crate::model::SpecVersion) -> u8 {
    match version {
        crate::model::SpecVersion::V3_0 => V30,
        crate::model::SpecVersion::V3_1 => V31,
        crate::model::SpecVersion::V3_2 => V32,
    }
}

/// "OpenAPI 3.1 and later", "OpenAPI 3.0": the versions that have a field, for messages.
pub fn versions_text(bits: u8) -> &'static str {
    match bits {
        V30 => "OpenAPI 3.0",
        V31 => "OpenAPI 3.1",
        V32 => "OpenAPI 3.2",
        FROM31 => "OpenAPI 3.1 and later",
        b if b == V30 | V31 => "OpenAPI 3.0 and 3.1",
        _ => "another OpenAPI version",
    }
}
