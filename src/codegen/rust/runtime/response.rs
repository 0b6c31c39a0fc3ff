//! Responses: typed bodies and headers written as the spec declares them.

use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use super::Problem;

/// A response with a body of the given media type.
pub fn bytes_response(status: StatusCode, media_type: &str, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Some(value) = content_type_value(media_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// The `Content-Type` of a media type: the JSON ones without copying the text.
fn content_type_value(media_type: &str) -> Option<HeaderValue> {
    match media_type {
        "application/json" => Some(HeaderValue::from_static("application/json")),
        "application/problem+json" => Some(HeaderValue::from_static("application/problem+json")),
        other => HeaderValue::from_str(other).ok(),
    }
}

/// A response with a JSON body; a value that cannot be serialized is a `500` problem.
pub fn json_response<T: Serialize>(status: StatusCode, media_type: &str, body: &T) -> Response {
    // As axum's `Json` does: a small body is written without growing the buffer several times.
    let mut bytes = Vec::with_capacity(128);
    match serde_json::to_writer(&mut bytes, body) {
        Ok(()) => bytes_response(status, media_type, Bytes::from(bytes)),
        Err(e) => Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot serialize the response: {e}"),
        )
        .into_response(),
    }
}

/// A response with an `application/x-www-form-urlencoded` body: each property of the object
/// a field, as a form body is read (an array one field per item, an object or an array's object
/// as JSON text; `null` left out). A value that is not an object is a `500` problem.
pub fn form_response<T: Serialize>(status: StatusCode, media_type: &str, body: &T) -> Response {
    let fields = match serde_json::to_value(body) {
        Ok(Value::Object(fields)) => fields,
        Ok(_) => {
            let detail = "cannot send the response as a form: it is not an object";
            return Problem::new(StatusCode::INTERNAL_SERVER_ERROR, detail).into_response();
        }
        Err(e) => {
            let detail = format!("cannot serialize the response: {e}");
            return Problem::new(StatusCode::INTERNAL_SERVER_ERROR, detail).into_response();
        }
    };
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (name, value) in &fields {
        match value {
            Value::Null => {}
            Value::Array(items) => {
                for item in items {
                    form.append_pair(name, &scalar_text(item));
                }
            }
            value => {
                form.append_pair(name, &scalar_text(value));
            }
        }
    }
    bytes_response(status, media_type, Bytes::from(form.finish()))
}

/// A response without a body.
pub fn empty_response(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// Sets a response header from a typed value (`simple` style); `None` sets nothing.
pub fn set_header<T: Serialize>(response: &mut Response, name: &str, value: &T) {
    let text = match serde_json::to_value(value) {
        Ok(Value::Null) | Err(_) => return,
        Ok(Value::String(s)) => s,
        Ok(Value::Array(items)) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        Ok(Value::Object(map)) => map
            .iter()
            .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
            .collect::<Vec<_>>()
            .join(","),
        Ok(other) => other.to_string(),
    };
    if let (Ok(name), Ok(value)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(&text),
    ) {
        response.headers_mut().append(name, value);
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;
    use serde_json::json;

    #[tokio::test]
    async fn form_responses_are_sent_as_forms_are_read() {
        let media_type = "application/x-www-form-urlencoded";
        let body = json!({"name": "Rex & co", "age": 5, "tags": ["a", "b"], "owner": {"id": 1}, "gone": null});
        let response = form_response(StatusCode::OK, media_type, &body);
        assert_eq!(
            response
                .headers()
                .get(header::CONTENT_TYPE)
                .map(|v| v.as_bytes()),
            Some(media_type.as_bytes())
        );
        let bytes = response.into_body().collect().await.map(|b| b.to_bytes());
        let bytes = bytes.unwrap_or_default();
        // In the object's order, which serde_json's features decide.
        let mut pairs: Vec<(String, String)> =
            form_urlencoded::parse(&bytes).into_owned().collect();
        pairs.sort();
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(
            pairs,
            [
                pair("age", "5"),
                pair("name", "Rex & co"),
                pair("owner", "{\"id\":1}"),
                pair("tags", "a"),
                pair("tags", "b")
            ]
        );
        let refused = form_response(StatusCode::OK, media_type, &json!([1]));
        assert_eq!(refused.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
