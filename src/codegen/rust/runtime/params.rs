//! Parameters: text from the path, query string, headers and cookies, split by `style` and
//! `explode` and typed as far as the target's shape says, then deserialized into its Rust type.

use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{At, Errors, Problem, push_deserialize_error};

/// What a parameter's value looks like once split, so that `"10"` can become a number and
/// `"a,b"` a list before the value is deserialized into its Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Any,
    String,
    Integer,
    Number,
    Boolean,
    Array(&'static Shape),
    Object(&'static [(&'static str, Shape)]),
}

/// How a parameter is serialized (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    /// `content` instead of `schema`: the value is a JSON document.
    Json,
}

/// A scalar read from text, typed as far as the shape says.
pub fn coerce(raw: &str, shape: &Shape) -> Value {
    match shape {
        Shape::Integer => {
            if let Ok(i) = raw.parse::<i64>() {
                return Value::from(i);
            }
            if let Ok(u) = raw.parse::<u64>() {
                return Value::from(u);
            }
            raw.parse::<f64>()
                .ok()
                .and_then(integral)
                .unwrap_or_else(|| Value::String(raw.to_string()))
        }
        Shape::Number => match raw
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            Some(n) => Value::Number(n),
            None => Value::String(raw.to_string()),
        },
        Shape::Boolean => match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(raw.to_string()),
        },
        Shape::Any | Shape::String | Shape::Array(_) | Shape::Object(_) => {
            Value::String(raw.to_string())
        }
    }
}

/// A float with no fractional part as the integer it is (JSON Schema: `1e2` and `100.0` are the
/// integer 100); `None` for a fraction or a value outside the 64-bit integers.
pub(crate) fn integral(f: f64) -> Option<Value> {
    // 2^63 and 2^64, the first floats outside i64 and u64.
    const I64_END: f64 = 9_223_372_036_854_775_808.0;
    const U64_END: f64 = 18_446_744_073_709_551_616.0;
    if f.fract() != 0.0 || !f.is_finite() {
        None
    } else if (-I64_END..I64_END).contains(&f) {
        #[allow(clippy::cast_possible_truncation)]
        Some(Value::from(f as i64))
    } else if (0.0..U64_END).contains(&f) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Some(Value::from(f as u64))
    } else {
        None
    }
}

/// Rewrites the integral floats of a JSON value as integers (see [`integral`]); whether any was.
pub(crate) fn integralize(value: &mut Value) -> bool {
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => match n.as_f64().and_then(integral) {
            Some(integer) => {
                *value = integer;
                true
            }
            None => false,
        },
        Value::Array(items) => rewrite_all(items.iter_mut()),
        Value::Object(map) => rewrite_all(map.values_mut()),
        _ => false,
    }
}

/// Every value is visited (no short circuit).
fn rewrite_all<'a>(values: impl Iterator<Item = &'a mut Value>) -> bool {
    let mut any = false;
    for value in values {
        any |= integralize(value);
    }
    any
}

pub(crate) fn split_list(raw: &str, separator: char, item: &Shape) -> Value {
    if raw.is_empty() {
        return Value::Array(Vec::new());
    }
    Value::Array(
        raw.split(separator)
            .map(|part| coerce(part, item))
            .collect(),
    )
}

pub(crate) fn object_from_pairs<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
    fields: &[(&'static str, Shape)],
) -> Value {
    let mut map = serde_json::Map::new();
    for (key, raw) in pairs {
        let shape = fields
            .iter()
            .find(|(name, _)| *name == key)
            .map_or(&Shape::Any, |(_, shape)| shape);
        let value = match shape {
            Shape::Array(item) => split_list(raw, ',', item),
            other => coerce(raw, other),
        };
        map.insert(key.to_string(), value);
    }
    Value::Object(map)
}

/// A `simple`-style value (path and header parameters): `a,b,c`, `k,v,k,v` or `k=v,k=v`.
pub fn simple_value(raw: &str, shape: &Shape, explode: bool) -> Value {
    match shape {
        Shape::Array(item) => split_list(raw, ',', item),
        Shape::Object(fields) => {
            let parts: Vec<&str> = raw.split(',').collect();
            if explode {
                object_from_pairs(
                    parts.iter().map(|p| p.split_once('=').unwrap_or((p, ""))),
                    fields,
                )
            } else {
                object_from_pairs(
                    parts
                        .chunks(2)
                        .map(|c| (c[0], c.get(1).copied().unwrap_or(""))),
                    fields,
                )
            }
        }
        other => coerce(raw, other),
    }
}

/// The parsed query string (or `application/x-www-form-urlencoded` body), keys in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryString {
    pairs: Vec<(String, String)>,
}

impl QueryString {
    pub fn parse(query: Option<&str>) -> QueryString {
        QueryString::from_bytes(query.unwrap_or("").as_bytes())
    }

    pub fn from_bytes(bytes: &[u8]) -> QueryString {
        QueryString {
            pairs: form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        }
    }

    fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a parameter, or `None` when it is absent.
    pub fn value(&self, name: &str, shape: &Shape, style: Style, explode: bool) -> Option<Value> {
        match (shape, style) {
            (_, Style::Json) => once(self.values(name), json_or_string),
            (Shape::Object(fields), Style::DeepObject) => {
                let prefix = format!("{name}[");
                let pairs: Vec<(&str, &str)> = self
                    .pairs
                    .iter()
                    .filter_map(|(k, v)| {
                        Some((k.strip_prefix(&prefix)?.strip_suffix(']')?, v.as_str()))
                    })
                    .collect();
                (!pairs.is_empty()).then(|| object_from_pairs(pairs.into_iter(), fields))
            }
            (Shape::Object(fields), Style::SpaceDelimited | Style::PipeDelimited) => {
                let separator = if style == Style::SpaceDelimited {
                    ' '
                } else {
                    '|'
                };
                let raw = match once(self.values(name), |raw| Value::String(raw.to_string()))? {
                    Value::String(raw) => raw,
                    repeated => return Some(repeated),
                };
                let parts: Vec<&str> = raw.split(separator).collect();
                Some(object_from_pairs(
                    parts
                        .chunks(2)
                        .map(|c| (c[0], c.get(1).copied().unwrap_or(""))),
                    fields,
                ))
            }
            (Shape::Object(fields), _) if explode => {
                let pairs: Vec<(&str, &str)> = self
                    .pairs
                    .iter()
                    .filter(|(k, _)| fields.iter().any(|(name, _)| name == k))
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                (!pairs.is_empty()).then(|| object_from_pairs(pairs.into_iter(), fields))
            }
            (Shape::Array(item), _) => {
                let separator = match style {
                    Style::SpaceDelimited => ' ',
                    Style::PipeDelimited => '|',
                    _ => ',',
                };
                let values: Vec<&str> = self.values(name).collect();
                if values.is_empty() {
                    return None;
                }
                if explode && style == Style::Form {
                    Some(Value::Array(
                        values.iter().map(|v| coerce(v, item)).collect(),
                    ))
                } else {
                    Some(Value::Array(
                        values
                            .iter()
                            .flat_map(|v| v.split(separator))
                            .filter(|v| !v.is_empty())
                            .map(|v| coerce(v, item))
                            .collect(),
                    ))
                }
            }
            (shape, _) => once(self.values(name), |raw| simple_value(raw, shape, explode)),
        }
    }
}

/// The value of a parameter that is not an array, which may be given only once: given more
/// often, it is the array of its texts, which no scalar or object type accepts, so that
/// `?limit=1&limit=500` is refused rather than read as whichever value comes first.
pub(crate) fn once<'a>(
    mut values: impl Iterator<Item = &'a str>,
    read: impl Fn(&str) -> Value,
) -> Option<Value> {
    let first = values.next()?;
    let Some(second) = values.next() else {
        return Some(read(first));
    };
    let texts = [first, second].into_iter().chain(values);
    Some(Value::Array(
        texts.map(|text| Value::String(text.to_string())).collect(),
    ))
}

pub(crate) fn json_or_string(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()))
}

/// The path parameters of the matched route, percent-decoded, by position (`p0`, `p1`, ...).
pub struct PathParams<'p>(Params<'p>);

enum Params<'p> {
    /// Slices of the request's path, where its route puts them (none has a `%` to decode).
    InPath { path: &'p str, spans: Spans },
    /// Percent-decoded; `None` where the bytes are not UTF-8.
    Decoded(Vec<Option<String>>),
    /// axum's, for a route of more than [`Spans::MAX`] parameters or a path the route does not
    /// match (the operation called other than through its route).
    Axum(axum::extract::RawPathParams),
}

/// Where a route's parameters are in a path (byte offsets), in the route's order: up to
/// [`Spans::MAX`].
#[derive(Default)]
struct Spans {
    len: usize,
    at: [(u32, u32); Spans::MAX],
    /// Whether a parameter has a `%`.
    encoded: bool,
}

impl Spans {
    /// The most of any corpus spec (Microsoft Graph's deepest paths have 8).
    const MAX: usize = 8;

    fn iter(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.at[..self.len]
            .iter()
            .map(|&(start, end)| (start as usize, end as usize))
    }
}

/// The path parameters of the matched `route` (the axum route the operation is served on,
/// its parameters named by position: `/pets/{p0}`).
///
/// They are found in one walk of the route and the path together, and are slices of the path
/// unless one has something to percent-decode. A path the route does not match (or a route
/// with more than [`Spans::MAX`] parameters) uses axum's parameters.
pub async fn path_params<'p>(
    parts: &'p Parts,
    route: &'static str,
) -> Result<PathParams<'p>, Response> {
    let path = parts.uri.path();
    match spans_in(route, path) {
        Some(spans) if !spans.encoded => return Ok(PathParams(Params::InPath { path, spans })),
        Some(spans) => {
            let decoded = spans
                .iter()
                .map(|(start, end)| percent_decoded(&path[start..end]))
                .collect();
            return Ok(PathParams(Params::Decoded(decoded)));
        }
        None => {}
    }
    // axum's extractor takes the parts whole and mutably; it only reads the extensions.
    let (mut scratch, ()) = axum::http::Request::new(()).into_parts();
    scratch.extensions = parts.extensions.clone();
    use axum::extract::FromRequestParts;
    match axum::extract::RawPathParams::from_request_parts(&mut scratch, &()).await {
        Ok(params) => Ok(PathParams(Params::Axum(params))),
        Err(e) => Err(Problem::new(
            StatusCode::BAD_REQUEST,
            format!("invalid path: {}", e.body_text()),
        )
        .into_response()),
    }
}

/// `text` with its `%XX` escapes decoded (a `%` not followed by two hex digits is kept, as
/// axum keeps it); `None` if the bytes are not UTF-8.
fn percent_decoded(text: &str) -> Option<String> {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', high, low]) => hex(*high).zip(hex(*low)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

/// Where `route`'s parameters are in `path`, if `path` is one the route matches: its literal
/// text is the path's, and a parameter is the non-empty rest of its segment.
fn spans_in(route: &str, path: &str) -> Option<Spans> {
    let (mut route, mut rest) = (route.as_bytes(), path.as_bytes());
    let mut spans = Spans::default();
    loop {
        // The literal text up to the next parameter, or to the end.
        let open = route.iter().position(|&b| b == b'{').unwrap_or(route.len());
        rest = rest.strip_prefix(&route[..open])?;
        route = &route[open..];
        if route.is_empty() {
            return rest.is_empty().then_some(spans);
        }
        // A parameter: the rest of its segment.
        let end = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
        if end == 0 || spans.len == Spans::MAX {
            return None;
        }
        spans.encoded |= rest[..end].contains(&b'%');
        let start = path.len() - rest.len();
        spans.at[spans.len] = (u32::try_from(start).ok()?, u32::try_from(start + end).ok()?);
        spans.len += 1;
        rest = &rest[end..];
        route = &route[route.iter().position(|&b| b == b'/').unwrap_or(route.len())..];
    }
}

impl PathParams<'_> {
    /// The value of the route's parameter `p{position}`: `Some(None)` if it is not UTF-8.
    fn get(&self, position: usize) -> Option<Option<&str>> {
        match &self.0 {
            Params::InPath { path, spans } => {
                let (start, end) = spans.iter().nth(position)?;
                path.get(start..end).map(Some)
            }
            Params::Decoded(values) => values.get(position).map(Option::as_deref),
            Params::Axum(params) => params
                .iter()
                .find(|(name, _)| {
                    name.strip_prefix('p').and_then(|n| n.parse().ok()) == Some(position)
                })
                .map(|(_, value)| Some(value)),
        }
    }
}

/// A path parameter: the route's `p{position}`.
pub fn path_value<'r>(
    params: &'r PathParams<'_>,
    position: usize,
    shape: &Shape,
    style: Style,
    explode: bool,
) -> Option<ParamValue<'r>> {
    let Some(raw) = params.get(position)? else {
        return Some(ParamValue::NotUtf8);
    };
    Some(match (style, shape) {
        // `simple` leaves a scalar as it is: typed from its text by `parameter`.
        (Style::Simple, Shape::Integer | Shape::String | Shape::Any) => {
            ParamValue::Text { raw, shape: *shape }
        }
        _ => ParamValue::Json(styled_path_value(raw, shape, style, explode)),
    })
}

/// A path value of a style (the OpenAPI Specification's "Style Examples"): `label` is `.blue`,
/// `.blue,black,brown` or exploded `.blue.black.brown`, `.R=100.G=200.B=150`; `matrix` is
/// `;color=blue`, `;color=blue,black,brown` or exploded `;color=blue;color=black`,
/// `;R=100;G=200`; `simple` is `blue,black,brown`, `R,100,G,200` or `R=100,G=200`.
pub fn styled_path_value(raw: &str, shape: &Shape, style: Style, explode: bool) -> Value {
    match style {
        Style::Json => json_or_string(raw),
        Style::Label => {
            let inner = raw.strip_prefix('.').unwrap_or(raw);
            match shape {
                Shape::Array(_) | Shape::Object(_) if explode => {
                    exploded_parts(inner.split('.'), shape)
                }
                _ => simple_value(inner, shape, false),
            }
        }
        Style::Matrix => {
            let inner = raw.strip_prefix(';').unwrap_or(raw);
            match shape {
                Shape::Array(item) if explode => {
                    let values = inner
                        .split(';')
                        .filter(|s| !s.is_empty())
                        .map(|s| s.split_once('=').map_or("", |(_, v)| v));
                    Value::Array(values.map(|v| coerce(v, item)).collect())
                }
                Shape::Object(_) if explode => exploded_parts(inner.split(';'), shape),
                _ => simple_value(inner.split_once('=').map_or("", |(_, v)| v), shape, false),
            }
        }
        _ => simple_value(raw, shape, explode),
    }
}

/// The parts of an exploded array (`blue`, `black`) or object (`R=100`, `G=200`).
fn exploded_parts<'a>(parts: impl Iterator<Item = &'a str>, shape: &Shape) -> Value {
    let parts = parts.filter(|p| !p.is_empty());
    match shape {
        Shape::Array(item) => Value::Array(parts.map(|p| coerce(p, item)).collect()),
        Shape::Object(fields) => {
            object_from_pairs(parts.map(|p| p.split_once('=').unwrap_or((p, ""))), fields)
        }
        other => coerce(&parts.collect::<Vec<_>>().join(""), other),
    }
}

/// A header parameter: every occurrence, joined with commas. Values are read as UTF-8 (HTTP
/// allows only ASCII, but clients send UTF-8 and refusing it helps no one).
pub fn header_value(
    headers: &HeaderMap,
    name: &str,
    shape: &Shape,
    style: Style,
    explode: bool,
) -> Option<Value> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .filter_map(|v| std::str::from_utf8(v.as_bytes()).ok())
        .collect();
    if values.is_empty() {
        return None;
    }
    let raw = values.join(",");
    Some(if style == Style::Json {
        json_or_string(&raw)
    } else {
        simple_value(&raw, shape, explode)
    })
}

/// A cookie parameter.
pub fn cookie_value(
    headers: &HeaderMap,
    name: &str,
    shape: &Shape,
    style: Style,
    explode: bool,
) -> Option<Value> {
    let raw = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| std::str::from_utf8(v.as_bytes()).ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)?;
    Some(if style == Style::Json {
        json_or_string(raw)
    } else {
        simple_value(raw, shape, explode)
    })
}

/// A parameter's value as read from the request: a scalar still as its text, or split and typed
/// as JSON by its style and shape.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue<'r> {
    /// The text of a scalar of this shape, typed as [`coerce`] types it.
    Text {
        raw: &'r str,
        shape: Shape,
    },
    Json(Value),
    /// Percent-decoded bytes that are not UTF-8.
    NotUtf8,
}

impl From<Value> for ParamValue<'_> {
    fn from(value: Value) -> Self {
        ParamValue::Json(value)
    }
}

/// Deserializes a parameter; `None` when it is absent or invalid (the error is recorded).
pub fn parameter<'r, T: DeserializeOwned>(
    value: Option<impl Into<ParamValue<'r>>>,
    required: bool,
    at: &At,
    errors: &mut Errors,
) -> Option<T> {
    let value = match value.map(Into::into) {
        Some(ParamValue::Json(value)) => value,
        Some(ParamValue::NotUtf8) => {
            errors.push(at, "is not UTF-8 once percent-decoded");
            return None;
        }
        Some(ParamValue::Text { raw, shape }) => match scalar(raw, &shape) {
            Some(typed) => return Some(typed),
            // Not that simple: the JSON value's deserialization says why.
            None => coerce(raw, &shape),
        },
        None => {
            if required {
                errors.push(at, "is required");
            }
            return None;
        }
    };
    let repeated = value.is_array();
    match serde_path_to_error::deserialize(value) {
        Ok(typed) => Some(typed),
        Err(e) => {
            let mut message = e.inner().to_string();
            if repeated && message.starts_with("invalid type: sequence") {
                message.push_str(" (a parameter that is not an array may be given only once)");
            }
            push_deserialize_error(at, e.path(), message, errors);
            None
        }
    }
}

/// A scalar's text deserialized as the value [`coerce`] makes of it, without making that value
/// (a path parameter is read on every request): an integer that fits an `i64`, or a string.
/// `None` for any other text or any failure, which the JSON value then explains.
fn scalar<T: DeserializeOwned>(raw: &str, shape: &Shape) -> Option<T> {
    use serde::de::value::{I64Deserializer, StrDeserializer};
    match shape {
        Shape::Integer => {
            let integer = raw.parse::<i64>().ok()?;
            T::deserialize(I64Deserializer::<serde_json::Error>::new(integer)).ok()
        }
        Shape::String | Shape::Any => {
            T::deserialize(StrDeserializer::<serde_json::Error>::new(raw)).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const COLOR: Shape = Shape::String;
    const COLORS: Shape = Shape::Array(&Shape::String);
    const RGB: Shape = Shape::Object(&[
        ("R", Shape::Integer),
        ("G", Shape::Integer),
        ("B", Shape::Integer),
    ]);

    fn rgb() -> Value {
        json!({"R": 100, "G": 200, "B": 150})
    }

    fn colors() -> Value {
        json!(["blue", "black", "brown"])
    }

    /// What the handler of `route` reads from the parameters of `uri`, as axum routes it:
    /// `p0|p1`, and whether they were slices of the path.
    async fn path_params_of(route: &'static str, uri: &str) -> String {
        use tower::ServiceExt;
        let handler = move |request: axum::extract::Request| async move {
            let (parts, _) = request.into_parts();
            match path_params(&parts, route).await {
                Ok(params) => format!(
                    "{}|{}{}",
                    params.get(0).map_or("-", |v| v.unwrap_or("!")),
                    params.get(1).map_or("-", |v| v.unwrap_or("!")),
                    if matches!(params.0, Params::InPath { .. }) {
                        " (in path)"
                    } else {
                        ""
                    }
                ),
                Err(response) => format!("{}", response.status()),
            }
        };
        let router = axum::Router::new().route(route, axum::routing::get(handler));
        let request = axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        String::from_utf8(body.to_vec()).unwrap()
    }

    /// Path parameters are read in the path where nothing is percent-encoded, and decoded as
    /// axum decodes them otherwise, literal prefixes left out; bytes that are not UTF-8 are
    /// the parameter's error (`!`), not the whole path's.
    #[tokio::test]
    async fn path_parameters_are_read_where_the_route_puts_them() {
        let route = "/a/{p0}/b/v{p1}";
        for (uri, read) in [
            ("/a/x/b/v1", "x|1 (in path)"),
            ("/a/x.y,z/b/vv", "x.y,z|v (in path)"),
            ("/a/%C3%A9t%C3%A9/b/v%2F", "\u{e9}t\u{e9}|/"),
            ("/a/x/b/v%20", "x| "),
            ("/a/%FF/b/v1", "!|1"),
            ("/a/100%/b/v%4", "100%|%4"),
            ("/a/%2f%2F/b/v%41%zz", "//|A%zz"),
        ] {
            assert_eq!(path_params_of(route, uri).await, read, "{uri}");
        }
        assert_eq!(path_params_of("/", "/").await, "-|- (in path)");
        assert_eq!(path_params_of("/{p0}", "/7").await, "7|- (in path)");
    }

    /// A path the route does not match (when the operation is called other than through its
    /// route) is left to axum's parameters.
    #[test]
    fn a_route_matches_only_its_paths() {
        let route = "/a/{p0}/b/v{p1}";
        let spans = spans_in(route, "/a/xy/b/v1").unwrap();
        assert_eq!(spans.at[..spans.len], [(3, 5), (9, 10)]);
        assert!(!spans.encoded);
        assert!(spans_in(route, "/a/%41/b/v1").unwrap().encoded);
        for path in [
            "/a/x/b/v",
            "/a/x/b/w1",
            "/a//b/v1",
            "/a/x/b/v1/",
            "/a/x/c/v1",
            "/a/x/b",
        ] {
            assert!(spans_in(route, path).is_none(), "{path}");
        }
        let many = "/{p0}/{p1}/{p2}/{p3}/{p4}/{p5}/{p6}/{p7}/{p8}";
        assert!(spans_in(many, "/a/b/c/d/e/f/g/h/i").is_none());
        assert!(spans_in(&many[..many.len() - 5], "/a/b/c/d/e/f/g/h/").is_none());
        let spans = spans_in(&many[..many.len() - 5], "/a/b/c/d/e/f/g/h").unwrap();
        assert_eq!(spans.iter().last(), Some((15, 16)));
    }

    /// The OpenAPI Specification's "Style Examples" (3.1.1, 3.0.4), path styles: what a
    /// server reads from each serialization of `color`.
    #[test]
    fn style_examples_in_the_path() {
        let cases: &[(Style, bool, &str, &Shape, Value)] = &[
            (Style::Matrix, false, ";color=blue", &COLOR, json!("blue")),
            (
                Style::Matrix,
                false,
                ";color=blue,black,brown",
                &COLORS,
                colors(),
            ),
            (
                Style::Matrix,
                false,
                ";color=R,100,G,200,B,150",
                &RGB,
                rgb(),
            ),
            (Style::Matrix, true, ";color=blue", &COLOR, json!("blue")),
            (
                Style::Matrix,
                true,
                ";color=blue;color=black;color=brown",
                &COLORS,
                colors(),
            ),
            (Style::Matrix, true, ";R=100;G=200;B=150", &RGB, rgb()),
            (Style::Label, false, ".blue", &COLOR, json!("blue")),
            (Style::Label, false, ".blue,black,brown", &COLORS, colors()),
            (Style::Label, false, ".R,100,G,200,B,150", &RGB, rgb()),
            (Style::Label, true, ".blue", &COLOR, json!("blue")),
            (Style::Label, true, ".blue.black.brown", &COLORS, colors()),
            (Style::Label, true, ".R=100.G=200.B=150", &RGB, rgb()),
            (Style::Simple, false, "blue", &COLOR, json!("blue")),
            (Style::Simple, false, "blue,black,brown", &COLORS, colors()),
            (Style::Simple, false, "R,100,G,200,B,150", &RGB, rgb()),
            (Style::Simple, true, "blue", &COLOR, json!("blue")),
            (Style::Simple, true, "blue,black,brown", &COLORS, colors()),
            (Style::Simple, true, "R=100,G=200,B=150", &RGB, rgb()),
            // A dot inside a label primitive is data.
            (Style::Label, true, ".1.5", &Shape::Number, json!(1.5)),
            (Style::Label, false, ".", &COLORS, json!([])),
        ];
        for (style, explode, raw, shape, want) in cases {
            let got = styled_path_value(raw, shape, *style, *explode);
            assert_eq!(&got, want, "{style:?} explode={explode} {raw}");
        }
    }

    /// The same table, query styles (the query string as sent, percent-encoded).
    #[test]
    fn style_examples_in_the_query() {
        let cases: &[(Style, bool, &str, &Shape, Value)] = &[
            (Style::Form, false, "color=blue", &COLOR, json!("blue")),
            (
                Style::Form,
                false,
                "color=blue,black,brown",
                &COLORS,
                colors(),
            ),
            (Style::Form, false, "color=R,100,G,200,B,150", &RGB, rgb()),
            (Style::Form, true, "color=blue", &COLOR, json!("blue")),
            (
                Style::Form,
                true,
                "color=blue&color=black&color=brown",
                &COLORS,
                colors(),
            ),
            (Style::Form, true, "R=100&G=200&B=150", &RGB, rgb()),
            (
                Style::SpaceDelimited,
                false,
                "color=blue%20black%20brown",
                &COLORS,
                colors(),
            ),
            (
                Style::SpaceDelimited,
                false,
                "color=R%20100%20G%20200%20B%20150",
                &RGB,
                rgb(),
            ),
            (
                Style::PipeDelimited,
                false,
                "color=blue%7Cblack%7Cbrown",
                &COLORS,
                colors(),
            ),
            (
                Style::PipeDelimited,
                false,
                "color=R%7C100%7CG%7C200%7CB%7C150",
                &RGB,
                rgb(),
            ),
            (
                Style::DeepObject,
                true,
                "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150",
                &RGB,
                rgb(),
            ),
            (
                Style::Json,
                false,
                "color=%7B%22R%22%3A100%2C%22G%22%3A200%2C%22B%22%3A150%7D",
                &Shape::Any,
                rgb(),
            ),
        ];
        for (style, explode, query, shape, want) in cases {
            let got = QueryString::parse(Some(query)).value("color", shape, *style, *explode);
            assert_eq!(
                got.as_ref(),
                Some(want),
                "{style:?} explode={explode} {query}"
            );
        }
        assert_eq!(
            QueryString::parse(Some("other=1")).value("color", &COLOR, Style::Form, true),
            None
        );
    }

    #[test]
    fn text_is_typed_as_far_as_the_shape_says() {
        assert_eq!(coerce("10", &Shape::Integer), json!(10));
        assert_eq!(
            coerce("18446744073709551615", &Shape::Integer),
            json!(u64::MAX)
        );
        assert_eq!(coerce("1e400", &Shape::Number), json!("1e400"));
        assert_eq!(coerce("true", &Shape::Boolean), json!(true));
        assert_eq!(coerce("yes", &Shape::Boolean), json!("yes"));
        assert_eq!(coerce("10", &Shape::String), json!("10"));
    }

    #[test]
    fn headers_and_cookies() {
        let mut headers = HeaderMap::new();
        headers.append("x-ids", "1,2".parse().expect("a header value"));
        headers.append("x-ids", "3".parse().expect("a header value"));
        headers.append(
            header::COOKIE,
            "a=1; color=R,100,G,200,B,150"
                .parse()
                .expect("a header value"),
        );
        let ids = Shape::Array(&Shape::Integer);
        assert_eq!(
            header_value(&headers, "x-ids", &ids, Style::Simple, false),
            Some(json!([1, 2, 3]))
        );
        assert_eq!(
            cookie_value(&headers, "color", &RGB, Style::Form, false),
            Some(rgb())
        );
        assert_eq!(
            cookie_value(&headers, "missing", &COLOR, Style::Form, false),
            None
        );
    }

    #[test]
    fn a_parameter_is_deserialized_or_its_error_recorded() {
        let mut errors = Errors::new();
        let at = At::parameter(super::super::Source::Query, "limit");
        let limit: Option<u32> = parameter(Some(json!(10)), true, &at, &mut errors);
        assert_eq!(limit, Some(10));
        let wrong: Option<u32> = parameter(Some(json!("ten")), true, &at, &mut errors);
        let missing: Option<u32> = parameter(None::<Value>, true, &at, &mut errors);
        assert_eq!((wrong, missing), (None, None));
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn a_scalar_typed_from_its_text_is_typed_as_its_json_value() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Status {
            Available,
            Sold,
        }
        // Both ways, the value or the errors recorded (detail, pointer) must be the same.
        fn both<T: DeserializeOwned + PartialEq + std::fmt::Debug>(raw: &str, shape: Shape) {
            let at = At::parameter(super::super::Source::Path, "id");
            let (mut from_text, mut from_json) = (Errors::new(), Errors::new());
            let text = ParamValue::Text { raw, shape };
            let typed: Option<T> = parameter(Some(text), true, &at, &mut from_text);
            let json: Option<T> = parameter(Some(coerce(raw, &shape)), true, &at, &mut from_json);
            assert_eq!(typed, json, "{raw:?} as {shape:?}");
            assert_eq!(
                format!("{from_text:?}"),
                format!("{from_json:?}"),
                "{raw:?} as {shape:?}"
            );
        }
        for raw in [
            "1",
            "-7",
            "+3",
            "1e2",
            "100.0",
            "1.5",
            "x",
            "",
            "3000000000",
            "18446744073709551615",
            "99999999999999999999",
        ] {
            both::<i64>(raw, Shape::Integer);
            both::<i32>(raw, Shape::Integer);
            both::<u64>(raw, Shape::Integer);
            both::<String>(raw, Shape::String);
            both::<Value>(raw, Shape::Any);
        }
        for raw in ["available", "sold", "Sold", "", "1"] {
            both::<Status>(raw, Shape::String);
            both::<String>(raw, Shape::String);
        }
        // The common cases do not go through a JSON value.
        assert_eq!(scalar::<i64>("42", &Shape::Integer), Some(42));
        assert_eq!(scalar::<Status>("sold", &Shape::String), Some(Status::Sold));
        assert_eq!(scalar::<i64>("1e2", &Shape::Integer), None);
    }

    #[test]
    fn integers_are_json_schema_integers() {
        assert_eq!(coerce("1e2", &Shape::Integer), json!(100));
        assert_eq!(coerce("100.0", &Shape::Integer), json!(100));
        assert_eq!(coerce("1.5", &Shape::Integer), json!("1.5"));
        assert_eq!(coerce("inf", &Shape::Integer), json!("inf"));
        assert_eq!(coerce("1e300", &Shape::Integer), json!("1e300"));
        let mut value = json!({"a": [1e2, 1.5], "b": 18446744073709549568.0});
        assert!(integralize(&mut value));
        assert_eq!(
            value,
            json!({"a": [100, 1.5], "b": 18446744073709549568_u64})
        );
    }

    #[test]
    fn a_scalar_given_twice_is_refused_whatever_the_order() {
        let at = At::parameter(super::super::Source::Query, "limit");
        for query in ["limit=1&limit=500", "limit=500&limit=1"] {
            let query = QueryString::parse(Some(query));
            let mut errors = Errors::new();
            let value = query.value("limit", &Shape::Integer, Style::Form, true);
            let limit: Option<u32> = parameter(value, false, &at, &mut errors);
            assert_eq!(limit, None);
            let Some(response) = errors.response() else {
                panic!("no error")
            };
            assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        }
        let query = QueryString::parse(Some("ids=1&ids=2"));
        let array = Shape::Array(&Shape::Integer);
        assert_eq!(
            query.value("ids", &array, Style::Form, true),
            Some(json!([1, 2]))
        );
    }
}
