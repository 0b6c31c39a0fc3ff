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
