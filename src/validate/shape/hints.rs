//! Advice for the fields people carry over from Swagger 2, put in the wrong object, or write in
//! another OpenAPI version's way. Each says what to write instead, in one line.

use serde_json::Value;

use super::objects::Kind;
use crate::model::SpecVersion;

/// A Swagger 2 field in an OpenAPI 3 object, and what replaces it.
pub(super) fn swagger2(kind: Kind, key: &str, value: &Value) -> Option<String> {
    let advice = match (kind, key) {
        (Kind::Document, "host" | "basePath" | "schemes") => {
            "OpenAPI 3 writes the address as `servers: [{url: https://host/basePath}]`"
        }
        (Kind::Document | Kind::Operation, "consumes") => {
            "OpenAPI 3 lists request media types under `requestBody.content` (e.g. `content: {application/json: {schema: ...}}`)"
        }
        (Kind::Document | Kind::Operation, "produces") => {
            "OpenAPI 3 lists response media types under each response's `content` (e.g. `content: {application/json: {schema: ...}}`)"
        }
        (Kind::Operation, "schemes") => "OpenAPI 3 writes the address in the operation's `servers`",
        (Kind::Document, "definitions") => "OpenAPI 3 keeps schemas under `components/schemas`",
        (Kind::Document, "securityDefinitions") => {
            "OpenAPI 3 keeps security schemes under `components/securitySchemes`"
        }
        (Kind::Document, "parameters") => {
            "OpenAPI 3 keeps shared parameters under `components/parameters`"
        }
        (Kind::Document, "responses") => {
            "OpenAPI 3 keeps shared responses under `components/responses`"
        }
        (Kind::Response, "schema") => {
            "OpenAPI 3 puts a response body's schema under `content`, by media type: `content: {application/json: {schema: ...}}`"
        }
        (Kind::Response, "examples") if value.is_object() => {
            "OpenAPI 3 puts examples under `content/<media type>/examples`"
        }
        (Kind::Parameter | Kind::Header, "type" | "format" | "items") => {
            "OpenAPI 3 puts the type under `schema`: `schema: {type: ...}`"
        }
        (Kind::Parameter | Kind::Header, "collectionFormat") => {
            "OpenAPI 3 writes `style` and `explode` instead (csv is `style: form, explode: false`)"
        }
        (Kind::SecurityScheme, "flow" | "authorizationUrl" | "tokenUrl" | "scopes") => {
            "OpenAPI 3 puts these in `flows`, by flow: `flows: {authorizationCode: {authorizationUrl: ..., tokenUrl: ..., scopes: ...}}`"
        }
        _ => return None,
    };
    Some(advice.to_string())
}

/// A field that belongs to another object, and where.
pub(super) fn misplaced(kind: Kind, key: &str) -> Option<String> {
    const SCHEMA_KEYWORDS: &[&str] = &[
        "enum",
        "default",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "multipleOf",
        "nullable",
        "properties",
        "additionalProperties",
        "oneOf",
        "anyOf",
        "allOf",
    ];
    let advice = match (kind, key) {
        (
            Kind::Document,
            "schemas" | "requestBodies" | "headers" | "examples" | "securitySchemes" | "links"
            | "callbacks" | "pathItems",
        ) => format!("it belongs under `components` (`components/{key}`)"),
        (Kind::Document, "get" | "put" | "post" | "delete" | "patch" | "options" | "head") => {
            "operations belong to a path under `paths` (`paths: {/things: {get: ...}}`)".into()
        }
        (Kind::Components, "definitions") => "schemas go under `components/schemas`".into(),
        (Kind::Components, "securityDefinitions") => {
            "security schemes go under `components/securitySchemes`".into()
        }
        (
            Kind::PathItem,
            "responses" | "requestBody" | "operationId" | "tags" | "security" | "callbacks"
            | "deprecated",
        ) => format!(
            "`{key}` belongs to an operation (`get`, `post`, ...), not to the path item"
        ),
        (Kind::Operation, "get" | "put" | "post" | "delete" | "patch" | "options" | "head") => {
            "an operation is a member of the path item, not of another operation".into()
        }
        (Kind::Operation, "content" | "schema") => {
            "a request body goes under `requestBody: {content: {<media type>: {schema: ...}}}`, a response body under `responses`".into()
        }
        (Kind::Operation, "body") => {
            "the request body is `requestBody`".into()
        }
        (Kind::Parameter | Kind::Header, k) if SCHEMA_KEYWORDS.contains(&k) => {
            format!("`{k}` is a schema keyword: it belongs in the `schema`")
        }
        (Kind::Header, "name" | "in") => {
            "a Header Object has no `name` or `in`: its name is its key under `headers`".into()
        }
        (Kind::RequestBody, "schema") => {
            "a request body's schema goes under `content`, by media type: `content: {application/json: {schema: ...}}`".into()
        }
        (Kind::RequestBody, "name" | "in") => {
            "a request body is not a parameter: it has no `name` or `in`".into()
        }
        (Kind::MediaType, "type" | "properties" | "items" | "required" | "$ref" | "allOf" | "oneOf" | "anyOf" | "format" | "enum") => {
            format!("`{key}` belongs in the media type's `schema`")
        }
        (Kind::Response, "content-type" | "mediaType") => {
            "a response's media types are the keys of its `content`".into()
        }
        (
            Kind::Responses | Kind::Info | Kind::Server | Kind::Operation | Kind::Components
            | Kind::Tag | Kind::Paths | Kind::ExternalDocs,
            "$ref",
        ) => format!(
            "a {} cannot be a `$ref`; refer to the objects inside it instead",
            kind.name()
        ),
        _ => return None,
    };
    Some(advice)
}

/// The required field a misplaced or Swagger 2 field stands in for: with it reported, the
/// required field's absence is the same mistake.
pub(super) fn stands_for(kind: Kind, key: &str) -> Option<&'static str> {
    match (kind, key) {
        (Kind::RequestBody, "schema") => Some("content"),
        (Kind::Parameter | Kind::Header, "type" | "format" | "items" | "enum" | "default") => {
            Some("schema")
        }
        (Kind::SecurityScheme, "flow" | "authorizationUrl" | "tokenUrl" | "scopes") => {
            Some("flows")
        }
        _ => None,
    }
}

/// How to write a field of another version in this one.
pub(super) fn version_advice(kind: Kind, key: &str, version: SpecVersion) -> Option<&'static str> {
    let v30 = version == SpecVersion::V3_0;
    match (kind, key) {
        (Kind::Document, "webhooks") if v30 => Some(
            "3.0 has no webhooks; describe them as `callbacks` of an operation, or use `openapi: 3.1.0`",
        ),
        (Kind::Info, "summary") if v30 => Some("use `description` in 3.0"),
        (Kind::License, "identifier") if v30 => Some("use `url` in 3.0"),
        (Kind::Components, "pathItems") if v30 => {
            Some("3.0 refers to path items in other files instead")
        }
        (Kind::PathItem, "query") => {
            Some("3.0 and 3.1 have no `query` method: use `post`, or `openapi: 3.2.0`")
        }
        (Kind::Header, "allowEmptyValue" | "allowReserved") if !v30 => {
            Some("a header has no such field since 3.1")
        }
        _ => None,
    }
}

/// Swagger 2's top-level sections and their OpenAPI 3 places (for `$ref: '#/definitions/Pet'`).
pub(super) fn swagger2_section(token: &str) -> Option<&'static str> {
    match token {
        "definitions" => Some("components/schemas"),
        "parameters" => Some("components/parameters"),
        "responses" => Some("components/responses"),
        "securityDefinitions" => Some("components/securitySchemes"),
        _ => None,
    }
}

/// A 3.1 schema keyword written in a 3.0 document: what 3.0 writes instead.
pub(super) fn keyword_in_30(key: &str) -> &'static str {
    match key {
        "const" => "write `enum: [value]`",
        "examples" => "a 3.0 schema has one `example`",
        "prefixItems" => "3.0 has no tuples: describe the items with one `items` schema",
        "$defs" | "definitions" => "put shared schemas under `components/schemas`",
        "if" | "then" | "else" => "express the condition with `oneOf`",
        "contentMediaType" | "contentEncoding" | "contentSchema" => {
            "3.0 writes binary content as `type: string, format: binary` (or `format: byte` for base64)"
        }
        "unevaluatedProperties" => "use `additionalProperties` in 3.0",
        "patternProperties" | "propertyNames" | "dependentRequired" | "dependentSchemas" => {
            "3.0 has no equivalent keyword"
        }
        "$schema" | "$id" | "$anchor" | "$comment" | "$dynamicRef" | "$dynamicAnchor"
        | "$vocabulary" => "3.0 schemas have no JSON Schema core keywords besides `$ref`",
        "contains" | "minContains" | "maxContains" | "unevaluatedItems" => {
            "3.0 has no equivalent keyword"
        }
        _ => "use `openapi: 3.1.0` to write JSON Schema 2020-12",
    }
}
