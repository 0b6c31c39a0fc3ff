//! Resources as the paths show them (`/items` and `/items/{itemId}`), and the values a server
//! gives that later requests use: ids from list responses and from what a create returns, and
//! the `next` links a list response carries. Requests built from the spec alone always use the
//! example id; real backends fail for some ids only, and for the id they just created.

use serde_json::Value;
use url::Url;

use super::judge::header;
use crate::model::{Contract, Method, Operation, OperationKind};

/// A collection path and its item path, with the operations on each.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resource {
    pub item_path: String,
    /// The item path's last parameter: `itemId` in `/items/{itemId}`.
    pub param: String,
    pub list: Option<usize>,
    pub create: Option<usize>,
    pub read: Option<usize>,
    pub update: Option<usize>,
    pub delete: Option<usize>,
}

/// Every (collection, item) pair: a path, and the same path plus one `/{param}` segment.
pub(crate) fn resources(contract: &Contract) -> Vec<Resource> {
    let ops: Vec<(usize, &Operation)> = contract
        .operations
        .iter()
        .enumerate()
        .filter(|(_, o)| o.kind == OperationKind::Path)
        .collect();
    let find = |path: &str, method: Method| {
        ops.iter()
            .find(|(_, o)| o.path == path && o.method == method)
            .map(|(i, _)| *i)
    };
    let mut items: Vec<&str> = ops.iter().map(|(_, o)| o.path.as_str()).collect();
    items.sort_unstable();
    items.dedup();
    let mut out = Vec::new();
    for item in items {
        let Some((collection, last)) = item.rsplit_once('/') else {
            continue;
        };
        let Some(param) = last.strip_prefix('{').and_then(|l| l.strip_suffix('}')) else {
            continue;
        };
        if param.contains(['{', '}']) || collection.is_empty() {
            continue;
        }
        let resource = Resource {
            item_path: item.to_string(),
            param: param.to_string(),
            list: find(collection, Method::Get),
            create: find(collection, Method::Post),
            read: find(item, Method::Get),
            update: find(item, Method::Put).or_else(|| find(item, Method::Patch)),
            delete: find(item, Method::Delete),
        };
        if resource.list.is_some() || resource.create.is_some() {
            out.push(resource);
        }
    }
    out
}

/// The names an id goes by in a body: the parameter's own, `id`, and `itemId` → `item_id`.
fn id_fields(param: &str) -> Vec<String> {
    let mut names = vec![param.to_string(), "id".to_string()];
    let snake: String = param
        .chars()
        .flat_map(|c| {
            if c.is_ascii_uppercase() {
                vec!['_', c.to_ascii_lowercase()]
            } else {
                vec![c]
            }
        })
        .collect();
    if snake != param {
        names.push(snake);
    }
    names
}

/// The id of one object, under one of its usual names.
pub(crate) fn id_of(object: &Value, param: &str) -> Option<Value> {
    let map = object.as_object()?;
    id_fields(param)
        .iter()
        .find_map(|name| map.get(name))
        .filter(|v| v.is_string() || v.is_number())
        .cloned()
}

/// The elements of a list response: the body itself when it is an array, else its first
/// property that is an array of objects (`items`, `data`, `results`...).
fn elements(body: &Value) -> Option<&Vec<Value>> {
    match body {
        Value::Array(items) => Some(items),
        Value::Object(map) => map.values().find_map(|v| match v {
            Value::Array(items) if items.iter().any(Value::is_object) => Some(items),
            _ => None,
        }),
        _ => None,
    }
}

/// Up to `max` ids from a list response, spread over it: the first three, the middle, the last.
pub(crate) fn ids_from_list(body: &Value, param: &str, max: usize) -> Vec<Value> {
    let Some(items) = elements(body) else {
        return Vec::new();
    };
    let ids: Vec<Value> = items.iter().filter_map(|i| id_of(i, param)).collect();
    let n = ids.len();
    let mut picks: Vec<usize> = vec![0, 1, 2, n / 2, n.saturating_sub(1)];
    picks.retain(|i| *i < n);
    let mut out: Vec<Value> = Vec::new();
    for i in picks {
        if !out.contains(&ids[i]) && out.len() < max {
            out.push(ids[i].clone());
        }
    }
    out
}

/// The id a create returned: the last segment of its `Location`, else an id field of its body.
pub(crate) fn created_id(
    request_url: &Url,
    headers: &[(String, String)],
    body: &[u8],
    param: &str,
) -> Option<Value> {
    if let Some(location) = header(headers, "location")
        && let Ok(url) = request_url.join(location)
        && let Some(last) = url.path_segments().and_then(|mut s| s.next_back())
        && !last.is_empty()
    {
        let text = percent_decode(last);
        return Some(
            text.parse::<i64>()
                .map_or_else(|_| Value::String(text.clone()), Value::from),
        );
    }
    let value: Value = serde_json::from_slice(body).ok()?;
    id_of(&value, param)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The links a response gives that the spec describes: a top-level `next` property of the
/// body (when the response schema has one) and `Link: <...>; rel="next"` (when declared).
pub(crate) fn next_links(
    contract: &Contract,
    op: &Operation,
    status: u16,
    request_url: &Url,
    headers: &[(String, String)],
    body: &[u8],
) -> Vec<(Url, String)> {
    let Some(response) = op
        .responses
        .iter()
        .find(|r| r.status.matches(status) && r.status.is_success())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let declares_next = response.content.values().any(|m| {
        m.schema.is_some_and(|s| {
            let (target, _) = contract.types.resolve_alias(s);
            contract.types.get(target).properties.contains_key("next")
        })
    });
    if declares_next
        && let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body)
        && let Some(Value::String(next)) = map.get("next")
        && let Ok(url) = request_url.join(next)
    {
        out.push((url, "`next` of the body".to_string()));
    }
    let declares_link = response
        .headers
        .keys()
        .any(|k| k.eq_ignore_ascii_case("link"));
    if declares_link && let Some(link) = header(headers, "link") {
        for part in link.split(',') {
            let mut pieces = part.split(';');
            let target = pieces.next().unwrap_or("").trim();
            let is_next = pieces.any(|p| {
                let p = p.trim().to_ascii_lowercase();
                p == "rel=\"next\"" || p == "rel=next"
            });
            if is_next
                && let Some(inner) = target.strip_prefix('<').and_then(|t| t.strip_suffix('>'))
                && let Ok(url) = request_url.join(inner)
            {
                out.push((url, "the `Link` header's rel=\"next\"".to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_come_from_lists_spread_over_them() {
        let body = json!({"items": [{"id": 1}, {"id": 2}, {"id": 3}, {"id": 4}, {"id": 5}, {"id": 6}, {"id": 7}], "next": null});
        assert_eq!(
            ids_from_list(&body, "itemId", 5),
            vec![json!(1), json!(2), json!(3), json!(4), json!(7)]
        );
        let body = json!([{"pet_id": "a"}, {"pet_id": "b"}]);
        assert_eq!(
            ids_from_list(&body, "petId", 5),
            vec![json!("a"), json!("b")]
        );
    }

    #[test]
    fn created_ids_from_location_or_body() {
        let url = Url::parse("http://h/v1/items").expect("url");
        let headers = vec![("location".to_string(), "/v1/items/42".to_string())];
        assert_eq!(created_id(&url, &headers, b"", "itemId"), Some(json!(42)));
        let headers = vec![("location".to_string(), "items/a%20b".to_string())];
        assert_eq!(
            created_id(&url, &headers, b"", "itemId"),
            Some(json!("a b"))
        );
        assert_eq!(
            created_id(&url, &[], br#"{"id": "x1"}"#, "itemId"),
            Some(json!("x1"))
        );
    }
}
