//! Errors as RFC 9457 problem details: one `400` listing every problem of a request, each with
//! where it is (the body or a parameter, and a JSON pointer below it).

use std::fmt::Display;

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::bytes_response;

/// The media type of the errors this server produces itself.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem details object: the body of every error the server produces itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// What is wrong with the request, one entry per problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            problem_type: "about:blank".to_string(),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: Some(detail.into()),
            errors: Vec::new(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = match serde_json::to_vec(&self) {
            Ok(body) => bytes_response(status, PROBLEM_JSON, Bytes::from(body)),
            Err(_) => status.into_response(),
        };
        response.extensions_mut().insert(MadeProblem(self));
        response
    }
}

/// The problem of a response the server made for an error of its own (not a handler's
/// response), kept in its extensions so that the `Api`'s error hook can answer it instead
/// ([`super::guard`]).
#[derive(Debug, Clone)]
pub(crate) struct MadeProblem(pub(crate) Problem);

/// One thing wrong with a request, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// What is wrong, naming the field.
    pub detail: String,
    /// `body`, `path`, `query`, `header` or `cookie`.
    #[serde(rename = "in")]
    pub location: &'static str,
    /// The parameter's name, for a parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<&'static str>,
    /// A JSON pointer into the body or the parameter's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// For a header of a multipart body's part (its `encoding.headers`): the header's name
    /// (the part is `pointer`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<&'static str>,
}

/// Where a request part comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Body,
    Path,
    Query,
    Header,
    Cookie,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Body => "body",
            Source::Path => "path",
            Source::Query => "query",
            Source::Header => "header",
            Source::Cookie => "cookie",
        }
    }
}

/// A place in a request: the body or a parameter, and a JSON pointer below it. A place below
/// another borrows it and spells its pointer only when an error is recorded there, so that
/// checking a valid request allocates nothing for the places it passes.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    source: Source,
    parameter: Option<&'static str>,
    /// A header of the body's part at this place.
    header: Option<&'static str>,
    parent: Option<&'a At<'a>>,
    step: Step<'a>,
}

/// How a place is reached from its parent.
#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    /// The body or the parameter's value itself.
    Whole,
    /// A property, by name (escaped when the pointer is spelled).
    Property(&'a str),
    Index(usize),
    /// A JSON pointer, already escaped.
    Pointer(&'a str),
}

impl<'a> At<'a> {
    pub fn body() -> At<'static> {
        At {
            source: Source::Body,
            parameter: None,
            header: None,
            parent: None,
            step: Step::Whole,
        }
    }

    pub fn parameter(source: Source, name: &'static str) -> At<'static> {
        At {
            source,
            parameter: Some(name),
            header: None,
            parent: None,
            step: Step::Whole,
        }
    }

    /// A property of the body (a form field): `At::body().child(name)` without a place to
    /// borrow.
    pub fn body_property(name: &'a str) -> At<'a> {
        At {
            step: Step::Property(name),
            ..At::body()
        }
    }

    /// A header of the part `part` of a multipart body, which its `encoding.headers` declares.
    pub fn part_header(part: &'a str, header: &'static str) -> At<'a> {
        At {
            header: Some(header),
            ..At::body_property(part)
        }
    }

    /// A property below this place.
    pub fn child<'b>(&'b self, name: &'b str) -> At<'b> {
        self.below(Step::Property(name))
    }

    /// An array item below this place.
    pub fn index(&self, index: usize) -> At<'_> {
        self.below(Step::Index(index))
    }

    /// The place `pointer` (a JSON pointer, already escaped) below this one.
    pub fn pointer<'b>(&'b self, pointer: &'b str) -> At<'b> {
        self.below(Step::Pointer(pointer))
    }

    fn below<'b>(&'b self, step: Step<'b>) -> At<'b> {
        At {
            source: self.source,
            parameter: self.parameter,
            header: self.header,
            parent: Some(self),
            step,
        }
    }

    /// The JSON pointer of this place below the body or the parameter's value (`""` for the
    /// value itself).
    pub fn json_pointer(&self) -> String {
        let mut pointer = String::new();
        self.write_pointer(&mut pointer);
        pointer
    }

    fn write_pointer(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write_pointer(out);
        }
        match self.step {
            Step::Whole => {}
            Step::Property(name) => {
                out.push('/');
                for c in name.chars() {
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        c => out.push(c),
                    }
                }
            }
            Step::Index(index) => {
                use std::fmt::Write;
                let _ = write!(out, "/{index}");
            }
            Step::Pointer(pointer) => out.push_str(pointer),
        }
    }

    /// How a message names this place: "request body at `/name`", "query parameter `limit`".
    pub fn describe(&self) -> String {
        self.describe_at(&self.json_pointer())
    }

    fn describe_at(&self, pointer: &str) -> String {
        let whole = match (self.source, self.parameter) {
            (Source::Body, _) | (_, None) => "request body".to_string(),
            (source, Some(name)) => format!("{} parameter `{name}`", source.as_str()),
        };
        match self.header {
            Some(header) => format!("header `{header}` of the {whole}'s part at `{pointer}`"),
            None if pointer.is_empty() => whole,
            None => format!("{whole} at `{pointer}`"),
        }
    }
}

/// The problems found in one request, reported together as one `400`.
#[derive(Debug, Default)]
pub struct Errors {
    errors: Vec<FieldError>,
}

impl Errors {
    pub fn new() -> Errors {
        Errors::default()
    }

    pub fn push(&mut self, at: &At, message: impl Display) {
        let pointer = at.json_pointer();
        self.errors.push(FieldError {
            detail: format!("{}: {message}", at.describe_at(&pointer)),
            location: at.source.as_str(),
            parameter: at.parameter,
            pointer: (!pointer.is_empty()).then_some(pointer),
            header: at.header,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Moves `other`'s errors after these.
    pub fn append(&mut self, mut other: Errors) {
        self.errors.append(&mut other.errors);
    }

    /// Moves after these the errors of `other` at places none of these is at: a form field
    /// refused while it was read is not also reported missing by its schema.
    /// Linear in both: a hostile form has as many errors as fields.
    pub(crate) fn append_unreported(&mut self, other: Errors) {
        let place = |e: &FieldError| (e.location, e.parameter, e.pointer.clone());
        let reported: std::collections::HashSet<_> = self.errors.iter().map(place).collect();
        let fresh: Vec<FieldError> = other
            .errors
            .into_iter()
            .filter(|o| !reported.contains(&place(o)))
            .collect();
        self.errors.extend(fresh);
    }

    /// Orders the errors by where they are: token by token, array indexes as numbers (a stable
    /// sort: errors at one place keep their order).
    pub fn sort_by_pointer(&mut self) {
        fn tokens(error: &FieldError) -> Vec<(u64, &str)> {
            let pointer = error.pointer.as_deref().unwrap_or("");
            pointer
                .split('/')
                .skip(1)
                .map(|token| (token.parse::<u64>().unwrap_or(u64::MAX), token))
                .collect()
        }
        self.errors.sort_by(|a, b| tokens(a).cmp(&tokens(b)));
    }

    /// The JSON pointers of the errors found so far (`""` for a whole value), in order.
    pub fn pointers(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|e| e.pointer.clone().unwrap_or_default())
            .collect()
    }

    /// The `400` for the errors found so far, if there are any (they are taken out).
    pub fn response(&mut self) -> Option<Response> {
        if self.errors.is_empty() {
            return None;
        }
        Some(std::mem::take(self).into_response())
    }

    /// Like [`Errors::response`], except that errors all in path parameters are a `404 Not
    /// Found`: a malformed id names no resource. The generator calls this for an operation that
    /// declares a 404 and no 400, so that the server answers only what its spec declares.
    pub fn response_or_not_found(&mut self) -> Option<Response> {
        if self.errors.is_empty() {
            return None;
        }
        if !self
            .errors
            .iter()
            .all(|e| e.location == Source::Path.as_str())
        {
            return self.response();
        }
        let errors = std::mem::take(&mut self.errors);
        let mut problem = Problem::new(
            StatusCode::NOT_FOUND,
            format!("no resource at this path: {}", joined(&errors)),
        );
        problem.errors = errors;
        Some(problem.into_response())
    }

    /// The errors, for a problem of another status.
    pub(super) fn into_field_errors(self) -> Vec<FieldError> {
        self.errors
    }

    /// The `400 Bad Request` problem listing every error.
    pub fn into_response(self) -> Response {
        let mut problem = Problem::new(StatusCode::BAD_REQUEST, joined(&self.errors));
        problem.errors = self.errors;
        problem.into_response()
    }
}

/// The details of `errors`, for a problem's `detail`.
pub(super) fn joined(errors: &[FieldError]) -> String {
    match errors {
        [] => "the request is invalid".to_string(),
        [one] => one.detail.clone(),
        many => many
            .iter()
            .map(|e| e.detail.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// A `400` without details, for a value that is missing although no error was recorded
/// (which the generated handlers rule out).
pub fn invalid_request() -> Response {
    Problem::new(StatusCode::BAD_REQUEST, "the request is invalid").into_response()
}

/// A status code that has no `http` constant.
pub fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push_str(&format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

/// Records a deserialization error at the innermost place serde reached.
pub(crate) fn push_deserialize_error(
    at: &At,
    path: &serde_path_to_error::Path,
    message: String,
    errors: &mut Errors,
) {
    let tail = pointer_of(path);
    let at = at.pointer(&tail);
    match message
        .strip_prefix("missing field `")
        .and_then(|m| m.split_once('`'))
    {
        Some((field, _)) => errors.push(&at.child(field), "is required"),
        None => errors.push(&at, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_described_with_pointers() {
        let body = At::body();
        let items = body.child("items");
        let third = items.index(2);
        assert_eq!(
            third.child("a/b~c").describe(),
            "request body at `/items/2/a~1b~0c`"
        );
        assert_eq!(
            At::body_property("a/b").describe(),
            "request body at `/a~1b`"
        );
        assert_eq!(body.describe(), "request body");
        let query = At::parameter(Source::Query, "limit");
        assert_eq!(query.describe(), "query parameter `limit`");
    }

    #[test]
    fn every_error_is_listed_in_one_400() {
        let mut errors = Errors::new();
        assert!(errors.response().is_none());
        errors.push(&At::parameter(Source::Path, "id"), "must be an integer");
        errors.push(&At::body().child("name"), "is required");
        let response = errors.response().expect("a response");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response.headers()["content-type"], PROBLEM_JSON);
        assert!(errors.is_empty(), "the errors were taken out");
    }

    #[test]
    fn path_errors_alone_are_a_404_when_asked() {
        let mut errors = Errors::new();
        assert!(errors.response_or_not_found().is_none());
        errors.push(&At::parameter(Source::Path, "id"), "invalid type");
        let response = errors.response_or_not_found().expect("a response");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(response.headers()["content-type"], PROBLEM_JSON);
        assert!(errors.is_empty(), "the errors were taken out");
        // With an error elsewhere the request is invalid, not a missing resource.
        errors.push(&At::parameter(Source::Path, "id"), "invalid type");
        errors.push(&At::parameter(Source::Query, "limit"), "invalid type");
        let response = errors.response_or_not_found().expect("a response");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn serde_paths_become_pointers() {
        let mut errors = Errors::new();
        let value = serde_json::json!({"pets": [{"name": 1}]});
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Pet {
            name: String,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Pets {
            pets: Vec<Pet>,
        }
        let typed: Option<Pets> =
            super::super::parameter(Some(value), true, &At::body(), &mut errors);
        assert!(typed.is_none());
        assert_eq!(errors.errors[0].pointer.as_deref(), Some("/pets/0/name"));
    }
}
