//! The rules of the OpenAPI schemas that a table of fields cannot hold: fields that depend on a
//! parameter's `in` or a security scheme's `type`, pairs of which exactly one (or at most one)
//! may be written, names that must follow a pattern, and lists that may not be empty.

use serde_json::{Map, Value};

use super::Walker;
use super::objects::{self, Kind, SECURITY_TYPES};
use crate::catalogue::validate::structure;
use crate::report::Level;
use crate::validate::suggest;

/// The variant rules of one object (its fields are already checked).
pub(super) fn check(w: &mut Walker<'_>, kind: Kind, map: &Map<String, Value>) {
    match kind {
        Kind::Document => document(w, map),
        Kind::Components => components(w, map),
        Kind::Parameter => parameter(w, map),
        Kind::Header => header(w, map),
        Kind::MediaType => at_most_one(w, map, "example", "examples"),
        Kind::Example => {
            at_most_one(w, map, "value", "externalValue");
            if w.bit == objects::V32 {
                at_most_one(w, map, "value", "dataValue");
                at_most_one(w, map, "value", "serializedValue");
                at_most_one(w, map, "serializedValue", "externalValue");
            }
        }
        Kind::Link => link(w, map),
        Kind::License if !w.is_30() => at_most_one(w, map, "identifier", "url"),
        Kind::ServerVariable => server_variable(w, map),
        Kind::SecurityScheme => security_scheme(w, map),
        Kind::Responses => responses(w, map),
        Kind::Discriminator => discriminator(w, map),
        Kind::Operation => {
            if let Some(Value::String(id)) = map.get("operationId") {
                w.operation_ids.insert(id.clone());
            }
        }
        _ => {}
    }
}

/// A member of Paths or Responses whose name is not one the object allows.
pub(super) fn bad_member(w: &mut Walker<'_>, kind: Kind, key: &str) {
    let message = match kind {
        Kind::Paths => format!("path `{key}` must start with `/`"),
        Kind::Responses => {
            let upper = key.trim().to_ascii_uppercase();
            let hint = if objects::is_status_key(&upper) || upper == "DEFAULT" {
                format!(
                    "; did you mean `{}`?",
                    if upper == "DEFAULT" {
                        "default"
                    } else {
                        &upper
                    }
                )
            } else {
                String::new()
            };
            format!("`{key}` is not a status code, a range like `4XX`, or `default`{hint}")
        }
        _ => return,
    };
    w.report(structure::INVALID_VALUE.id, Level::Error, message);
}

fn document(w: &mut Walker<'_>, map: &Map<String, Value>) {
    if !w.is_30()
        && !["paths", "components", "webhooks"]
            .iter()
            .any(|k| map.contains_key(*k))
    {
        let message =
            "the OpenAPI Object needs at least one of `paths`, `components` or `webhooks`"
                .to_string();
        w.report(structure::MISSING_REQUIRED_FIELD.id, Level::Error, message);
    }
}

/// Component names: `^[a-zA-Z0-9.\-_]+$` in every section.
fn components(w: &mut Walker<'_>, map: &Map<String, Value>) {
    for (section, members) in map {
        if section.starts_with("x-") || objects::field(Kind::Components, section).is_none() {
            continue;
        }
        let Some(members) = members.as_object() else {
            continue;
        };
        let len = w.enter(section);
        for name in members.keys() {
            let valid = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
            if !valid {
                let message = format!(
                    "component name `{name}` may contain only letters, digits, `.`, `-` and `_`"
                );
                w.report_key(name, structure::INVALID_VALUE.id, Level::Error, message);
            }
        }
        w.leave(len);
    }
}

/// Styles allowed for each parameter location.
fn styles_for(location: &str, version_32: bool) -> &'static [&'static str] {
    match location {
        "path" => &["matrix", "label", "simple"],
        "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
        "header" => &["simple"],
        "cookie" if version_32 => &["form", "cookie"],
        "cookie" => &["form"],
        _ => &[],
    }
}

const ALL_STYLES: &[&str] = &[
    "matrix",
    "label",
    "simple",
    "form",
    "spaceDelimited",
    "pipeDelimited",
    "deepObject",
    "cookie",
];

fn parameter(w: &mut Walker<'_>, map: &Map<String, Value>) {
    let v32 = w.bit == objects::V32;
    let name = map.get("name").and_then(Value::as_str).unwrap_or("?");
    let location = map.get("in").and_then(Value::as_str);
    if let Some(value) = map.get("in") {
        let len = w.enter("in");
        match value.as_str() {
            Some("body") => {
                let message = "`in: body` is Swagger 2: in OpenAPI 3 the body is the operation's `requestBody` (`requestBody: {content: {application/json: {schema: ...}}}`)".to_string();
                w.report(structure::INVALID_VALUE.id, Level::Error, message);
            }
            Some("formData") => {
                let message = "`in: formData` is Swagger 2: in OpenAPI 3 form fields are the properties of a `requestBody` schema under `application/x-www-form-urlencoded` or `multipart/form-data`".to_string();
                w.report(structure::INVALID_VALUE.id, Level::Error, message);
            }
            Some("querystring") if !v32 => {
                let message =
                    "`in: querystring` is OpenAPI 3.2's; this document is an earlier version"
                        .to_string();
                w.report(structure::VERSION_MISMATCH.id, Level::Error, message);
            }
            _ => {
                let allowed = if v32 {
                    objects::PARAMETER_LOCATIONS
                } else {
                    &objects::PARAMETER_LOCATIONS[..4]
                };
                w.one_of(value, allowed, "parameter location ");
            }
        }
        w.leave(len);
    }
    if location == Some("path") {
        match map.get("required") {
            Some(Value::Bool(true)) => {}
            Some(Value::Bool(false)) | None => {
                let message = format!("path parameter `{name}` must have `required: true`");
                // At `required: false` when written, else at the parameter.
                if map.contains_key("required") {
                    w.report_key(
                        "required",
                        structure::PATH_PARAMETER_NOT_REQUIRED.id,
                        Level::Error,
                        message,
                    );
                } else {
                    w.report(
                        structure::PATH_PARAMETER_NOT_REQUIRED.id,
                        Level::Error,
                        message,
                    );
                }
            }
            Some(_) => {} // not a boolean: reported as such
        }
    }
    if let (Some(Value::String(style)), Some(location)) = (map.get("style"), location) {
        let allowed = styles_for(location, v32);
        if !allowed.contains(&style.as_str()) && !allowed.is_empty() {
            let len = w.enter("style");
            let message = if ALL_STYLES.contains(&style.as_str()) {
                format!(
                    "style `{style}` is not allowed for a {location} parameter (allowed: {})",
                    list(allowed)
                )
            } else {
                format!(
                    "unknown style `{style}` for a {location} parameter (allowed: {}){}",
                    list(allowed),
                    suggest::did_you_mean(style, allowed.iter().copied())
                )
            };
            w.report(structure::INVALID_VALUE.id, Level::Error, message);
            w.leave(len);
        }
    }
    if location == Some("querystring") {
        if !map.contains_key("content") {
            w.missing(Kind::Parameter, "content");
        }
    } else {
        schema_or_content(w, map, Kind::Parameter);
    }
    let content_only = ["style", "explode", "allowReserved", "example", "examples"];
    with_content_not(w, map, &content_only, "a parameter");
    if !w.is_30() {
        for (field, places) in [
            ("allowEmptyValue", &["query"][..]),
            (
                "allowReserved",
                if v32 {
                    &["query", "cookie"][..]
                } else {
                    &["query"][..]
                },
            ),
        ] {
            if map.contains_key(field)
                && let Some(location) = location
                && !places.contains(&location)
                && objects::PARAMETER_LOCATIONS.contains(&location)
            {
                let message = format!(
                    "`{field}` applies only to {} parameters, not to a {location} parameter",
                    places.join(" and ")
                );
                w.report_key(field, structure::UNKNOWN_FIELD.id, Level::Error, message);
            }
        }
    }
    at_most_one(w, map, "example", "examples");
    single_content(w, map);
}

fn header(w: &mut Walker<'_>, map: &Map<String, Value>) {
    schema_or_content(w, map, Kind::Header);
    let content_only: &[&str] = if w.is_30() {
        &["style", "explode", "allowReserved", "example", "examples"]
    } else {
        &["style", "explode", "example", "examples"]
    };
    with_content_not(w, map, content_only, "a header");
    at_most_one(w, map, "example", "examples");
    single_content(w, map);
}

/// A parameter or header has `schema` or `content`, not both and not neither.
fn schema_or_content(w: &mut Walker<'_>, map: &Map<String, Value>, kind: Kind) {
    match (map.contains_key("schema"), map.contains_key("content")) {
        (true, true) => {
            let message = format!(
                "a {} has `schema` or `content`, not both",
                kind.name().trim_end_matches(" Object")
            );
            w.report_key(
                "content",
                structure::INVALID_VALUE.id,
                Level::Error,
                message,
            );
        }
        (false, false) if !w.misnamed_here("schema") && !w.misnamed_here("content") => {
            let message = format!(
                "the {} is missing the required field `schema` (or `content`)",
                kind.name()
            );
            w.report(structure::MISSING_REQUIRED_FIELD.id, Level::Error, message);
        }
        _ => {}
    }
}

/// Fields that describe the serialization of a `schema`, written beside `content`.
fn with_content_not(w: &mut Walker<'_>, map: &Map<String, Value>, fields: &[&str], what: &str) {
    if !map.contains_key("content") || map.contains_key("schema") {
        return;
    }
    for field in fields {
        if map.contains_key(*field) {
            let advice = if field.starts_with("example") {
                "put examples in the media type under `content`"
            } else {
                "the media type under `content` decides the serialization"
            };
            let message = format!("`{field}` is not a field of {what} with `content`: {advice}");
            w.report_key(field, structure::UNKNOWN_FIELD.id, Level::Error, message);
        }
    }
}

/// A parameter's or header's `content` has exactly one media type.
fn single_content(w: &mut Walker<'_>, map: &Map<String, Value>) {
    if let Some(Value::Object(content)) = map.get("content")
        && content.len() != 1
    {
        let message = format!(
            "`content` of a parameter or header must have exactly one entry, not {}",
            content.len()
        );
        w.report_key(
            "content",
            structure::INVALID_VALUE.id,
            Level::Error,
            message,
        );
    }
}

/// Two fields of which at most one may be written.
fn at_most_one(w: &mut Walker<'_>, map: &Map<String, Value>, a: &str, b: &str) {
    if map.contains_key(a) && map.contains_key(b) {
        let message = format!("`{a}` and `{b}` are mutually exclusive: keep one");
        w.report_key(b, structure::INVALID_VALUE.id, Level::Error, message);
    }
}

fn link(w: &mut Walker<'_>, map: &Map<String, Value>) {
    at_most_one(w, map, "operationRef", "operationId");
    if !map.contains_key("operationRef") && !map.contains_key("operationId") {
        let message =
            "the Link Object is missing the required field `operationId` (or `operationRef`)"
                .to_string();
        w.report(structure::MISSING_REQUIRED_FIELD.id, Level::Error, message);
    }
    if let Some(Value::String(reference)) = map.get("operationRef")
        && reference.starts_with('#')
    {
        w.note_ref(Kind::Operation, "operationRef", reference);
    }
    if let Some(Value::String(id)) = map.get("operationId") {
        let at = w.child_pointer("operationId");
        w.link_operation_ids.push((w.file, at, id.clone()));
    }
}

fn server_variable(w: &mut Walker<'_>, map: &Map<String, Value>) {
    if w.is_30() {
        return;
    }
    let Some(Value::Array(values)) = map.get("enum") else {
        return;
    };
    if values.is_empty() {
        let message = "a server variable's `enum` must list at least one value".to_string();
        w.report_key("enum", structure::INVALID_VALUE.id, Level::Error, message);
        return;
    }
    if let Some(default) = map.get("default").and_then(Value::as_str)
        && !values.iter().any(|v| v.as_str() == Some(default))
    {
        let message = format!(
            "default `{default}` is not one of the variable's `enum` values{}",
            suggest::did_you_mean(default, values.iter().filter_map(Value::as_str))
        );
        w.report_key(
            "default",
            structure::INVALID_VALUE.id,
            Level::Error,
            message,
        );
    }
}

/// Which fields each security scheme type has, besides `type` and `description`, and which of
/// them it requires.
fn scheme_fields(kind: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        "apiKey" => (&["name", "in"], &["name", "in"]),
        "http" => (&["scheme", "bearerFormat"], &["scheme"]),
        "oauth2" => (&["flows", "oauth2MetadataUrl"], &["flows"]),
        "openIdConnect" => (&["openIdConnectUrl"], &["openIdConnectUrl"]),
        _ => (&[], &[]),
    }
}

fn security_scheme(w: &mut Walker<'_>, map: &Map<String, Value>) {
    let Some(Value::String(kind)) = map.get("type") else {
        return; // missing or not a string: reported with the fields
    };
    let allowed: Vec<&str> = SECURITY_TYPES
        .iter()
        .copied()
        .filter(|t| *t != "mutualTLS" || !w.is_30())
        .collect();
    if !allowed.contains(&kind.as_str()) {
        let len = w.enter("type");
        let message = match kind.as_str() {
            "basic" => {
                "`type: basic` is Swagger 2: OpenAPI 3 writes `type: http` with `scheme: basic`"
                    .to_string()
            }
            "mutualTLS" => {
                "`mutualTLS` security schemes are OpenAPI 3.1's; this document is 3.0".to_string()
            }
            _ => format!(
                "unknown security scheme type `{kind}` (allowed: {}){}",
                list(&allowed),
                suggest::did_you_mean(kind, allowed.iter().copied())
            ),
        };
        let rule = if kind == "mutualTLS" {
            structure::VERSION_MISMATCH.id
        } else {
            structure::INVALID_VALUE.id
        };
        w.report(rule, Level::Error, message);
        w.leave(len);
        return;
    }
    let (own, required) = scheme_fields(kind);
    for key in map.keys() {
        let known = objects::field(Kind::SecurityScheme, key).is_some();
        let common = matches!(key.as_str(), "type" | "description" | "deprecated");
        if known && !common && !own.contains(&key.as_str()) {
            let message = format!("`{key}` is not a field of a `{kind}` security scheme");
            w.report_key(key, structure::UNKNOWN_FIELD.id, Level::Error, message);
        }
    }
    for field in required {
        if !map.contains_key(*field) && !w.misnamed_here(field) {
            let message =
                format!("the `{kind}` security scheme is missing the required field `{field}`");
            w.report(structure::MISSING_REQUIRED_FIELD.id, Level::Error, message);
        }
    }
    if kind == "http"
        && map.contains_key("bearerFormat")
        && let Some(scheme) = map.get("scheme").and_then(Value::as_str)
        && !scheme.eq_ignore_ascii_case("bearer")
    {
        let message = format!("`bearerFormat` applies only to `scheme: bearer`, not `{scheme}`");
        w.report_key(
            "bearerFormat",
            structure::INVALID_VALUE.id,
            Level::Error,
            message,
        );
    }
}

fn responses(w: &mut Walker<'_>, map: &Map<String, Value>) {
    let any = map
        .keys()
        .any(|k| k == "default" || objects::is_status_key(k) || !k.starts_with("x-"));
    if !any {
        let message =
            "the Responses Object needs at least one response (a status code or `default`)"
                .to_string();
        w.report(structure::MISSING_REQUIRED_FIELD.id, Level::Error, message);
    }
}

fn discriminator(w: &mut Walker<'_>, map: &Map<String, Value>) {
    let Some(Value::Object(mapping)) = map.get("mapping") else {
        return;
    };
    let len = w.enter("mapping");
    for (value, target) in mapping {
        let Some(text) = target.as_str() else {
            continue;
        };
        // A bare name means `#/components/schemas/<name>`.
        let reference = if text.contains('#') || text.contains('/') || text.contains('.') {
            text.to_string()
        } else {
            format!(
                "#/components/schemas/{}",
                crate::load::pointer::escape_token(text)
            )
        };
        w.note_ref(Kind::Schema, value, &reference);
    }
    w.leave(len);
}

fn list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
