//! Which list operations `pagination.ts` can iterate, and how: detected from the spec where the
//! scheme is unambiguous (a `Link` response header, as GitHub declares; Stripe's
//! `starting_after` + `has_more` + `data`), or declared with `x-oaskit-pagination` where not.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::naming::string_literal;
use super::types::{Approximation, Renderer};
use crate::model::wire::WireOperation;
use crate::model::{Direction, InstanceType, Method, SchemaId};

/// The extension on an operation: `false`, `{kind: link, items?}` or `{kind: cursor, param,
/// items, hasMore?, cursorField?, nextCursor?}`.
pub const PAGINATION_EXTENSION: &str = "x-oaskit-pagination";

#[derive(Debug, Clone, Serialize)]
pub struct PaginatedView {
    pub method: String,
    pub method_literal: String,
    pub request_type: String,
    pub page_type: String,
    pub item_type: String,
    /// The runtime's scheme, a JSON object literal on one line.
    pub scheme: String,
}

/// What an operation gives the detection: its method name, request type and the request keys of
/// its query parameters (`(wire name, key)`: a key may have been renamed).
pub struct PagedOperation<'a> {
    pub method: &'a str,
    pub request_type: &'a str,
    pub query_keys: &'a [(String, String)],
}

/// The pagination of an operation, if it has one.
pub fn paginated_view(
    renderer: &mut Renderer<'_>,
    wire: &WireOperation<'_>,
    paged: &PagedOperation<'_>,
    approximations: &mut Vec<Approximation>,
) -> Option<PaginatedView> {
    let op = wire.operation;
    let declared = op.extensions.get(PAGINATION_EXTENSION);
    if matches!(declared, Some(Value::Bool(false))) {
        return None;
    }
    let page = success_json(wire);
    let scheme = match declared {
        Some(value) => match declared_scheme(renderer, value, page, paged) {
            Ok(scheme) => scheme,
            Err(message) => {
                approximations.push(Approximation {
                    loc: op.loc.child(PAGINATION_EXTENSION),
                    message: format!("{PAGINATION_EXTENSION}: {message}; no pagination"),
                });
                return None;
            }
        },
        None if op.method == Method::Get => detected_scheme(renderer, wire, page?, paged)?,
        None => return None,
    };
    let page_id = page?;
    let items_of = |renderer: &Renderer<'_>| match scheme.get("items").and_then(Value::as_str) {
        Some(property) => {
            property_of(renderer, page_id, property).and_then(|p| array_items(renderer, p))
        }
        None => array_items(renderer, page_id),
    };
    let item = items_of(renderer)?;
    Some(PaginatedView {
        method: paged.method.to_string(),
        method_literal: string_literal(paged.method),
        request_type: paged.request_type.to_string(),
        page_type: renderer
            .reference(page_id, Direction::Response, false)
            .print(1),
        item_type: renderer
            .reference(item, Direction::Response, false)
            .print(1),
        scheme: Value::Object(scheme).to_string(),
    })
}

/// The schema of the first success response's JSON body.
fn success_json(wire: &WireOperation<'_>) -> Option<SchemaId> {
    let mut responses: Vec<_> = wire
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .collect();
    responses.sort_by_key(|r| r.status);
    responses.into_iter().find_map(|r| {
        r.content
            .iter()
            .filter(|m| m.declared == crate::model::media::MediaKind::Json)
            .find_map(|m| m.media.schema)
    })
}

fn resolved<'r>(renderer: &'r Renderer<'_>, id: SchemaId) -> &'r crate::model::Schema {
    renderer.types.get(renderer.aliases.resolve(id))
}

/// The items schema of an array schema.
fn array_items(renderer: &Renderer<'_>, id: SchemaId) -> Option<SchemaId> {
    let schema = resolved(renderer, id);
    let array = schema
        .types
        .as_deref()
        .is_some_and(|t| t == [InstanceType::Array]);
    if array { schema.items } else { None }
}

fn property_of(renderer: &Renderer<'_>, id: SchemaId, name: &str) -> Option<SchemaId> {
    resolved(renderer, id).properties.get(name).copied()
}

fn is_boolean(renderer: &Renderer<'_>, id: SchemaId) -> bool {
    resolved(renderer, id).types.as_deref() == Some(&[InstanceType::Boolean][..])
}

/// GitHub: a `Link` response header and an array body (or an object with one array property).
/// Stripe: a `starting_after` query parameter and a `has_more` + `data` page of items with ids.
fn detected_scheme(
    renderer: &Renderer<'_>,
    wire: &WireOperation<'_>,
    page: SchemaId,
    paged: &PagedOperation<'_>,
) -> Option<Map<String, Value>> {
    let link = wire.responses.iter().any(|r| {
        r.status.is_success()
            && r.headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("link"))
    });
    if link {
        if array_items(renderer, page).is_some() {
            return Some(json_object(json!({"kind": "link"})));
        }
        let arrays: Vec<&String> = resolved(renderer, page)
            .properties
            .iter()
            .filter(|(_, id)| array_items(renderer, **id).is_some())
            .map(|(name, _)| name)
            .collect();
        return match arrays.as_slice() {
            [only] => Some(json_object(json!({"kind": "link", "items": only}))),
            _ => None,
        };
    }
    let (_, param) = paged
        .query_keys
        .iter()
        .find(|(name, _)| name == "starting_after")?;
    let has_more = property_of(renderer, page, "has_more")?;
    let data = property_of(renderer, page, "data")?;
    let item = array_items(renderer, data)?;
    let with_id = property_of(renderer, item, "id").is_some();
    (is_boolean(renderer, has_more) && with_id).then(|| {
        json_object(json!({
            "kind": "cursor", "param": param, "items": "data", "hasMore": "has_more", "cursorField": "id",
        }))
    })
}

/// The scheme `x-oaskit-pagination` declares, checked against the operation.
fn declared_scheme(
    renderer: &Renderer<'_>,
    value: &Value,
    page: Option<SchemaId>,
    paged: &PagedOperation<'_>,
) -> Result<Map<String, Value>, String> {
    let Value::Object(fields) = value else {
        return Err("expected false or an object with `kind`".to_string());
    };
    let page = page.ok_or("the operation has no JSON success response")?;
    let text = |key: &str| -> Result<Option<&str>, String> {
        match fields.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.as_str())),
            Some(_) => Err(format!("`{key}` must be a non-empty string")),
        }
    };
    let items = text("items")?;
    if let Some(items) = items {
        property_of(renderer, page, items)
            .and_then(|p| array_items(renderer, p))
            .ok_or_else(|| format!("the page has no array property `{items}`"))?;
    }
    let mut scheme = Map::new();
    match text("kind")? {
        Some("link") => {
            if items.is_none() && array_items(renderer, page).is_none() {
                return Err("the page is not an array: name its array with `items`".to_string());
            }
            scheme.insert("kind".into(), "link".into());
        }
        Some("cursor") => {
            let param = text("param")?.ok_or("a cursor needs `param`, a query parameter")?;
            let (_, key) = paged
                .query_keys
                .iter()
                .find(|(name, _)| name == param)
                .ok_or_else(|| format!("`{param}` is not a query parameter of the operation"))?;
            items.ok_or("a cursor needs `items`, the page's array property")?;
            let next_cursor = text("nextCursor")?;
            let cursor_field = text("cursorField")?;
            if next_cursor.is_some() && cursor_field.is_some() {
                return Err("`nextCursor` and `cursorField` exclude each other".to_string());
            }
            scheme.insert("kind".into(), "cursor".into());
            scheme.insert("param".into(), key.clone().into());
            if let Some(has_more) = text("hasMore")? {
                scheme.insert("hasMore".into(), has_more.into());
            }
            if let Some(next) = next_cursor {
                scheme.insert("nextCursor".into(), next.into());
            } else {
                scheme.insert("cursorField".into(), cursor_field.unwrap_or("id").into());
            }
        }
        _ => return Err("`kind` must be \"link\" or \"cursor\"".to_string()),
    }
    if let Some(items) = items {
        scheme.insert("items".into(), items.into());
    }
    Ok(scheme)
}

fn json_object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
