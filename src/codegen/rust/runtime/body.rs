//! Request bodies: read within the size limit, checked against the declared media kind (`415`
//! otherwise), and parsed as JSON, text, bytes or form fields.

use axum::body::{Body, Bytes};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::body_stream::BodyError;
use super::params::{coerce, integralize, json_or_string, object_from_pairs, once, simple_value};
use super::schema::Verdict;
use super::{At, BodySchema, Errors, Problem, Shape, push_deserialize_error};

/// Reads the whole request body, refusing more than `limit` bytes with `413`.
pub async fn read_body(
    body: Body,
    headers: &HeaderMap,
    limit: Option<usize>,
) -> Result<Bytes, Response> {
    let too_large = |limit: usize| BodyError::TooLarge(limit).problem().into_response();
    if let Some(limit) = limit {
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit as u64) {
            return Err(too_large(limit));
        }
    }
    let mut body = body;
    // The first frame is kept as it came (a small body arrives in one): copied only when a
    // second one follows.
    let mut first = Bytes::new();
    let mut buffer: Option<Vec<u8>> = None;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| BodyError::of(&e).problem().into_response())?;
        if let Ok(data) = frame.into_data() {
            let length = match &mut buffer {
                None if first.is_empty() => {
                    first = data;
                    first.len()
                }
                buffer => {
                    let buffer = buffer.get_or_insert_with(|| first.to_vec());
                    buffer.extend_from_slice(&data);
                    buffer.len()
                }
            };
            if let Some(limit) = limit.filter(|limit| length > *limit) {
                return Err(too_large(limit));
            }
        }
    }
    Ok(buffer.map_or(first, Bytes::from))
}

/// The media type of the request, without parameters, lowercased.
pub fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

// The media kinds of a request `Content-Type` (lowercased, without parameters), classified as
// oaskit's `model::media` classifies the spec's media types.

/// The `415` for a request whose media type is not accepted, if it is not; an empty body
/// passes (it is either optional or reported as missing).
pub fn unsupported_media_type(
    headers: &HeaderMap,
    body: &[u8],
    accepts: fn(&str) -> bool,
    expected: &str,
) -> Option<Response> {
    if body.is_empty() {
        return None;
    }
    // The usual case, a lowercase media type the operation accepts, without allocating.
    let sent = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim());
    if sent.is_some_and(|sent| !sent.bytes().any(|b| b.is_ascii_uppercase()) && accepts(sent)) {
        return None;
    }
    let got = match content_type(headers) {
        Some(media_type) if accepts(&media_type) => return None,
        Some(media_type) => media_type,
        None => "no Content-Type".to_string(),
    };
    let detail = format!("expected a request body of type {expected}, got {got}");
    Some(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, detail).into_response())
}

/// Records a missing body if it is required.
pub fn missing_body(required: bool, errors: &mut Errors) {
    if required {
        errors.push(&At::body(), "is required");
    }
}

/// A JSON request body; `None` when it is absent or invalid (every error is recorded). serde
/// reads it straight into its type; only a body it refuses is read again as JSON and validated
/// against `schema`, which reports every error (serde stops at the first), with its pointer.
/// A schema that says more than the types and checks can ([`BodySchema::always`]) validates
/// every body first.
pub fn json_body<T: DeserializeOwned>(
    body: &[u8],
    required: bool,
    schema: &BodySchema,
    errors: &mut Errors,
) -> Option<T> {
    if body.is_empty() {
        missing_body(required, errors);
        return None;
    }
    if schema.always() {
        return checked_json_body(body, schema, errors);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => match deserializer.end() {
            Ok(()) => Some(value),
            Err(e) => {
                errors.push(&At::body(), e);
                None
            }
        },
        Err(e) => {
            // Only refused bodies pay for this second reading.
            if let Ok(mut value) = serde_json::from_slice::<Value>(body) {
                match schema.verdict(&value, &At::body()) {
                    Verdict::Invalid(found) => {
                        errors.append(found);
                        return None;
                    }
                    // serde's message names the unknown tag the schema could only call a
                    // mismatch.
                    Verdict::Vague(_) | Verdict::Valid => {}
                }
                // JSON Schema's integers include `1e2` and `100.0`, serde's do not.
                if integralize(&mut value)
                    && let Ok(typed) = T::deserialize(value)
                {
                    return Some(typed);
                }
            }
            let message = e.inner().to_string();
            push_deserialize_error(&At::body(), e.path(), message, errors);
            None
        }
    }
}

/// A body validated against its schema before it is deserialized.
fn checked_json_body<T: DeserializeOwned>(
    body: &[u8],
    schema: &BodySchema,
    errors: &mut Errors,
) -> Option<T> {
    let mut value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => {
            errors.push(&At::body(), e);
            return None;
        }
    };
    if schema.check(&value, &At::body(), errors) {
        return None;
    }
    integralize(&mut value);
    match serde_path_to_error::deserialize(value) {
        Ok(typed) => Some(typed),
        Err(e) => {
            let message = e.inner().to_string();
            push_deserialize_error(&At::body(), e.path(), message, errors);
            None
        }
    }
}

/// A text request body.
pub fn text_body(body: &[u8], required: bool, errors: &mut Errors) -> Option<String> {
    if body.is_empty() {
        missing_body(required, errors);
        return None;
    }
    match std::str::from_utf8(body) {
        Ok(text) => Some(text.to_string()),
        Err(_) => {
            errors.push(&At::body(), "is not valid UTF-8");
            None
        }
    }
}

/// The media ranges the part of a multipart field may have, by its wire name: its
/// `encoding.contentType`, or `application/json` for an object (OpenAPI's default).
pub type PartTypes = &'static [(&'static str, &'static [&'static str])];

/// The checks of the headers a multipart body's parts declare (`encoding.headers`), by the
/// part's wire name: each reads and validates its part's declared headers (as request headers
/// are read), recording every problem in the errors it is given.
pub type PartHeaders = &'static [(&'static str, fn(&HeaderMap, &mut Errors))];

#[cfg(feature = "multipart")]
/// Checks the declared headers of a part named `part`, if it declares any.
pub(super) fn check_part_headers(
    checks: PartHeaders,
    part: &str,
    headers: &HeaderMap,
    errors: &mut Errors,
) {
    if let Some((_, check)) = checks.iter().find(|(name, _)| *name == part) {
        check(headers, errors);
    }
}

#[cfg(feature = "multipart")]
/// Whether a part named `part` may have the `Content-Type` in `headers`: one of `ranges`
/// (any when there are none). A part without one is a file's error (`strict`), a field's
/// declared type (browsers send a field's part without one).
pub(super) fn check_part_type(
    part: &str,
    ranges: &[&str],
    headers: &HeaderMap,
    strict: bool,
) -> Result<(), BodyError> {
    if ranges.is_empty() {
        return Ok(());
    }
    let got = match content_type(headers) {
        None if !strict => return Ok(()),
        None => "no Content-Type".to_string(),
        Some(sent)
            if ranges
                .iter()
                .any(|range| super::media::ranges_match(range, &sent)) =>
        {
            return Ok(());
        }
        Some(sent) => sent,
    };
    Err(BodyError::PartType {
        part: part.to_string(),
        expected: ranges.join(", "),
        got,
    })
}

#[cfg(feature = "multipart")]
/// The declared media ranges of the field `name` (none: any).
pub(super) fn part_ranges(types: PartTypes, name: &str) -> &'static [&'static str] {
    types
        .iter()
        .find(|(field, _)| *field == name)
        .map_or(&[], |(_, ranges)| ranges)
}

/// The fields of a form body (`application/x-www-form-urlencoded` or `multipart/form-data`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormFields {
    fields: Vec<(String, Bytes)>,
}

impl FormFields {
    #[cfg(feature = "multipart")]
    pub(super) fn from_fields(fields: Vec<(String, Bytes)>) -> FormFields {
        FormFields { fields }
    }

    /// Reads a form body of the `declared` media type (`application/x-www-form-urlencoded`
    /// or `multipart/form-data`); `None` when it is empty, `415` when it is of another type (a
    /// multipart-only operation does not take a urlencoded body, nor the reverse), or when a
    /// part's `Content-Type` is not among its field's `types`. The headers a part declares
    /// (`part_headers`) are checked as it is read, their problems recorded in `errors`.
    pub async fn read(
        parts: &Parts,
        body: Bytes,
        declared: &str,
        types: PartTypes,
        part_headers: PartHeaders,
        errors: &mut Errors,
    ) -> Result<Option<FormFields>, Response> {
        if body.is_empty() {
            return Ok(None);
        }
        let media_type = content_type(&parts.headers).unwrap_or_default();
        let declared = declared.split(';').next().unwrap_or("").trim();
        if !media_type.eq_ignore_ascii_case(declared) {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("expected a request body of type {declared}, got {media_type}"),
            )
            .into_response());
        }
        if media_type == "application/x-www-form-urlencoded" {
            let pairs = form_urlencoded::parse(&body)
                .map(|(k, v)| (k.into_owned(), Bytes::from(v.into_owned())))
                .collect();
            return Ok(Some(FormFields { fields: pairs }));
        }
        #[cfg(not(feature = "multipart"))]
        let _ = (types, part_headers, errors);
        #[cfg(feature = "multipart")]
        if media_type == "multipart/form-data" {
            return read_multipart(parts, body, types, part_headers, errors)
                .await
                .map(Some);
        }
        Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("expected a form body, got {media_type}"),
        )
        .into_response())
    }

    fn text(&self, name: &str) -> impl Iterator<Item = &str> + '_ {
        let name = name.to_string();
        self.fields
            .iter()
            .filter(move |(k, _)| *k == name)
            .filter_map(|(_, v)| std::str::from_utf8(v).ok())
    }

    /// A field read like a query parameter, except that an object is JSON (the OpenAPI
    /// Specification's default content type for an object field, also for each object of an
    /// array of repeated fields); an object may also be sent as `name[key]=value` fields
    /// (`deepObject`, one level).
    pub fn value(&self, name: &str, shape: &Shape) -> Option<Value> {
        let values: Vec<&str> = self.text(name).collect();
        if let (Shape::Object(fields), true) = (shape, values.is_empty()) {
            let prefix = format!("{name}[");
            let pairs: Vec<(&str, &str)> = self
                .fields
                .iter()
                .filter_map(|(k, v)| {
                    Some((
                        k.strip_prefix(&prefix)?.strip_suffix(']')?,
                        std::str::from_utf8(v).ok()?,
                    ))
                })
                .collect();
            return (!pairs.is_empty()).then(|| object_from_pairs(pairs.into_iter(), fields));
        }
        match shape {
            Shape::Array(item) if !values.is_empty() => Some(Value::Array(
                values
                    .iter()
                    .map(|v| match item {
                        Shape::Object(_) | Shape::Any => json_or_string(v),
                        item => coerce(v, item),
                    })
                    .collect(),
            )),
            Shape::Object(_) | Shape::Any => once(values.into_iter(), json_or_string),
            shape => once(values.into_iter(), |v| simple_value(v, shape, true)),
        }
    }

    /// Records one error for each field name `declared` does not hold (the schema says
    /// `additionalProperties: false`); `name[key]` is the field `name` (`deepObject`), reported
    /// once however many keys it has.
    pub fn refuse_undeclared(&self, declared: &[&str], errors: &mut Errors) {
        let mut refused = std::collections::HashSet::new();
        for (name, _) in &self.fields {
            let base = name.split_once('[').map_or(name.as_str(), |(base, _)| base);
            if !declared.contains(&base) && refused.insert(base) {
                errors.push(
                    &At::body().child(base),
                    "is not a property the schema allows",
                );
            }
        }
    }

    /// A binary field (a file).
    pub fn bytes(&self, name: &str) -> Option<Bytes> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// A form body as the JSON object its schema is validated against, when the schema says what
/// the generated types and checks cannot (`if`/`then`, `dependentRequired`, ...): each typed field
/// sent as the JSON its value serializes to (a default the server applied is not in it), every
/// other field as its text (an array of texts when repeated, `name[key]` fields an object).
pub struct FormObject {
    object: serde_json::Map<String, Value>,
    sent: std::collections::HashSet<String>,
}

impl FormObject {
    /// The fields of `form` not named in `typed`, as text; those `typed` names come from
    /// [`FormObject::field`].
    pub fn new(form: &FormFields, typed: &[&str]) -> FormObject {
        let mut object = serde_json::Map::new();
        let mut sent = std::collections::HashSet::new();
        for (name, value) in &form.fields {
            let nested = name
                .split_once('[')
                .and_then(|(base, rest)| Some((base, rest.strip_suffix(']')?)));
            let base = nested.map_or(name.as_str(), |(base, _)| base);
            if !sent.contains(base) {
                sent.insert(base.to_string());
            }
            if typed.contains(&base) {
                continue;
            }
            let text = Value::String(String::from_utf8_lossy(value).into_owned());
            match (nested, object.get_mut(base)) {
                (Some((_, key)), Some(Value::Object(keys))) => {
                    keys.insert(key.to_string(), text);
                }
                (Some((base, key)), None) => {
                    let keys = serde_json::Map::from_iter([(key.to_string(), text)]);
                    object.insert(base.to_string(), Value::Object(keys));
                }
                (None, Some(Value::Array(texts))) => texts.push(text),
                (None, Some(first @ Value::String(_))) => {
                    *first = Value::Array(vec![first.take(), text]);
                }
                (None, None) => {
                    object.insert(name.clone(), text);
                }
                // `name` and `name[key]` both sent: the first shape read stays.
                _ => {}
            }
        }
        FormObject { object, sent }
    }

    /// The typed value of the field `name`, when the client sent it.
    pub fn field<T: serde::Serialize>(mut self, name: &str, value: &Option<T>) -> FormObject {
        if let Some(value) = value
            && self.sent.contains(name)
            && let Ok(json) = serde_json::to_value(value)
        {
            self.object.insert(name.to_string(), json);
        }
        self
    }

    /// Records every way the form fails `schema`, except at fields already refused.
    pub fn check(self, schema: &BodySchema, errors: &mut Errors) {
        schema.check_form(Value::Object(self.object), errors);
    }
}

/// A binary form field; `None` when it is absent.
pub fn form_bytes(
    fields: &FormFields,
    name: &'static str,
    required: bool,
    errors: &mut Errors,
) -> Option<Bytes> {
    let value = fields.bytes(name);
    if value.is_none() && required {
        errors.push(&At::body().child(name), "is required");
    }
    value
}

#[cfg(feature = "multipart")]
async fn read_multipart(
    parts: &Parts,
    body: Bytes,
    types: PartTypes,
    part_headers: PartHeaders,
    errors: &mut Errors,
) -> Result<FormFields, Response> {
    use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request};
    use tower::{Layer, ServiceExt};
    let mut request = Request::new(Body::from(body));
    *request.headers_mut() = parts.headers.clone();
    let bad_request = |e: axum::extract::multipart::MultipartError| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            format!("invalid multipart body: {}", e.body_text()),
        )
        .into_response()
    };
    // The body was read within the configured limit already: axum must not apply its own
    // (2 MB), which only `DefaultBodyLimit`'s layer can lift.
    let extract = tower::service_fn(|request: Request| Multipart::from_request(request, &()));
    let mut multipart = match DefaultBodyLimit::disable()
        .layer(extract)
        .oneshot(request)
        .await
    {
        Ok(multipart) => multipart,
        Err(rejection) => return Err(rejection.into_response()),
    };
    let mut fields = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(bad_request)? {
        let name = field.name().unwrap_or("").to_string();
        check_part_type(&name, part_ranges(types, &name), field.headers(), false)
            .map_err(|refused| refused.problem().into_response())?;
        check_part_headers(part_headers, &name, field.headers(), errors);
        let data = field.bytes().await.map_err(bad_request)?;
        fields.push((name, data));
    }
    Ok(FormFields { fields })
}

#[cfg(test)]
mod tests {
    use axum::extract::Request;
    use serde_json::json;

    use super::*;

    fn parts(content_type: &str) -> Parts {
        let request = Request::builder()
            .header(header::CONTENT_TYPE, content_type)
            .body(())
            .expect("a request");
        request.into_parts().0
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_refused() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            read_body(Body::from("12345"), &headers, Some(5)).await.ok(),
            Some(Bytes::from("12345"))
        );
        let refused = read_body(Body::from("123456"), &headers, Some(5))
            .await
            .expect_err("413");
        assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
        headers.insert(
            header::CONTENT_LENGTH,
            "100".parse().expect("a header value"),
        );
        let declared = read_body(Body::from("1"), &headers, Some(5))
            .await
            .expect_err("413");
        assert_eq!(declared.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn media_types_are_checked_unless_the_body_is_empty() {
        let headers = parts("Application/JSON; charset=utf-8").headers;
        assert_eq!(content_type(&headers).as_deref(), Some("application/json"));
        assert!(
            unsupported_media_type(&headers, b"{}", is_json_kind, "application/json").is_none()
        );
        let xml = parts("application/xml").headers;
        let refused =
            unsupported_media_type(&xml, b"<a/>", is_json_kind, "application/json").expect("415");
        assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(unsupported_media_type(&xml, b"", is_json_kind, "application/json").is_none());
    }

    fn is_json_kind(media_type: &str) -> bool {
        super::super::is_json(media_type)
    }

    static NO_DOCUMENT: super::super::SchemaDocument = super::super::SchemaDocument::new("{}");
    static NO_SCHEMA: BodySchema = BodySchema::new(&NO_DOCUMENT, "s0", false);

    fn json_body<T: DeserializeOwned>(
        body: &[u8],
        required: bool,
        errors: &mut Errors,
    ) -> Option<T> {
        super::json_body(body, required, &NO_SCHEMA, errors)
    }

    #[test]
    fn json_bodies_report_where_they_are_wrong() {
        let mut errors = Errors::new();
        let ok: Option<Vec<u32>> = json_body(b"[1,2]", true, &mut errors);
        assert_eq!(ok, Some(vec![1, 2]));
        let integral: Option<Vec<u32>> = json_body(b"[1e2, 100.0, 3]", true, &mut errors);
        assert_eq!(integral, Some(vec![100, 100, 3]));
        assert!(errors.is_empty());
        let fraction: Option<Vec<u32>> = json_body(b"[1e2, 1.5]", true, &mut errors);
        assert_eq!(fraction, None);
        assert_eq!(errors.len(), 1);
        let mut errors = Errors::new();
        let trailing: Option<Vec<u32>> = json_body(b"[1] x", true, &mut errors);
        let missing: Option<Vec<u32>> = json_body(b"", true, &mut errors);
        let optional: Option<Vec<u32>> = json_body(b"", false, &mut errors);
        assert_eq!((trailing, missing, optional), (None, None, None));
        assert_eq!(errors.len(), 2);
        assert_eq!(
            text_body("é".as_bytes(), true, &mut errors).as_deref(),
            Some("é")
        );
        assert_eq!(text_body(&[0xff], true, &mut errors), None);
        assert_eq!(errors.len(), 3);
    }

    #[tokio::test]
    async fn form_fields() {
        let body = Bytes::from(
            "name=Rex&tags=a&tags=b&owner%5Bname%5D=Ann&owner%5Bage%5D=7&note=%7B%22a%22%3A1%7D\
             &lines=%7B%22n%22%3A1%7D&lines=%7B%22n%22%3A2%7D",
        );
        let fields = FormFields::read(
            &parts("application/x-www-form-urlencoded"),
            body,
            "application/x-www-form-urlencoded",
            &[],
            &[],
            &mut Errors::new(),
        )
        .await
        .ok()
        .flatten()
        .expect("fields");
        assert_eq!(fields.value("name", &Shape::String), Some(json!("Rex")));
        assert_eq!(
            fields.value("tags", &Shape::Array(&Shape::String)),
            Some(json!(["a", "b"]))
        );
        let owner = Shape::Object(&[("name", Shape::String), ("age", Shape::Integer)]);
        assert_eq!(
            fields.value("owner", &owner),
            Some(json!({"name": "Ann", "age": 7}))
        );
        assert_eq!(fields.value("note", &Shape::Any), Some(json!({"a": 1})));
        // Each object of an array of objects is one JSON field.
        const LINE: Shape = Shape::Object(&[("n", Shape::Integer)]);
        assert_eq!(
            fields.value("lines", &Shape::Array(&LINE)),
            Some(json!([{"n": 1}, {"n": 2}]))
        );
        assert_eq!(fields.value("absent", &Shape::String), None);
        let mut errors = Errors::new();
        fields.refuse_undeclared(&["name", "tags", "owner", "note", "lines"], &mut errors);
        assert!(errors.is_empty());
        fields.refuse_undeclared(&["name", "tags", "note"], &mut errors);
        assert_eq!(errors.pointers(), ["/owner", "/lines"]);
        let refused = FormFields::read(
            &parts("text/plain"),
            Bytes::from("x"),
            "application/x-www-form-urlencoded",
            &[],
            &[],
            &mut Errors::new(),
        )
        .await
        .expect_err("415");
        assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        // A multipart-only operation refuses a urlencoded body (it took it before).
        let refused = FormFields::read(
            &parts("application/x-www-form-urlencoded"),
            Bytes::from("name=Rex"),
            "multipart/form-data",
            &[],
            &[],
            &mut Errors::new(),
        )
        .await
        .expect_err("415");
        assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    /// Typed fields as their values, when sent; the others as text.
    #[test]
    fn a_form_is_validated_as_an_object_of_what_was_sent() {
        let text = |pairs: &[(&str, &str)]| FormFields {
            fields: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Bytes::from(v.to_string())))
                .collect(),
        };
        let form = text(&[
            ("age", "30"),
            ("tag", "a"),
            ("tag", "b"),
            ("note", "hi"),
            ("f[x]", "1"),
            ("f[y]", "2"),
        ]);
        let FormObject { object, .. } = FormObject::new(&form, &["age", "plan"])
            .field("age", &Some(30))
            .field("plan", &Some("free"));
        assert_eq!(
            Value::Object(object),
            json!({"age": 30, "tag": ["a", "b"], "note": "hi", "f": {"x": "1", "y": "2"}})
        );
    }

    /// A form of many fields, all refused twice (undeclared, and by the schema): each is
    /// reported once, in time linear in the fields (quadratic took minutes on 2 MiB).
    #[test]
    fn a_form_of_many_fields_is_checked_in_linear_time() {
        static DOCUMENT: super::super::SchemaDocument = super::super::SchemaDocument::new(
            r#"{"$defs": {"s1": {"type": "object", "properties": {"a": {}}, "additionalProperties": false}}}"#,
        );
        static CLOSED: BodySchema = BodySchema::new(&DOCUMENT, "s1", true);
        let count = 100_000;
        let form = FormFields {
            fields: (0..count)
                .map(|i| (format!("f{i}"), Bytes::from_static(b"")))
                .collect(),
        };
        let started = std::time::Instant::now();
        let mut errors = Errors::new();
        form.refuse_undeclared(&["a"], &mut errors);
        FormObject::new(&form, &["a"]).check(&CLOSED, &mut errors);
        assert_eq!(errors.len(), count);
        let spent = started.elapsed();
        assert!(spent < std::time::Duration::from_secs(20), "{spent:?}");
    }
}
