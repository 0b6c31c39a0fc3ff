//! `multipart/form-data` bodies with files, read part by part as they arrive (on `multer`, the
//! parser axum's own `Multipart` uses): the fields sent before the first file are read, typed and
//! validated before the handler runs; the files reach it as [`FileParts`], each a stream of
//! bytes with its name, filename and `Content-Type`, never held whole by the server. Limits hold
//! while the handler reads: the operation's body limit, each file's `maxLength`, each field's
//! size (the server's default body limit), and `body_timeout`; a part the spec refuses (a
//! `Content-Type` its `encoding` does not declare, a name `additionalProperties: false`
//! refuses, a field after the files) ends the stream in a [`BodyError`], and the request is
//! then answered with that error's problem whatever the handler returns.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_core::Stream;

use super::body_stream::{BodyError, BodyGuard, body_stream, next_chunk, whole};
use super::{At, ByteStream, Errors, FormFields, Problem, content_type};

/// What the spec says about the parts of a multipart body with files.
#[derive(Debug)]
pub struct MultipartSpec {
    /// The file parts (binary strings, or arrays of them).
    pub files: &'static [FileSpec],
    /// The wire names of the other properties: fields, read before the handler runs.
    pub fields: &'static [&'static str],
    /// `additionalProperties: false`: a part of another name is an error.
    pub closed: bool,
}

/// A file part the schema declares.
#[derive(Debug)]
pub struct FileSpec {
    /// Its wire name.
    pub name: &'static str,
    pub required: bool,
    /// An array of files: the part may be sent more than once.
    pub repeated: bool,
    /// The schema's `maxLength`, in bytes: a longer part is refused (`413`).
    pub limit: Option<usize>,
    /// The media ranges of its `encoding.contentType` (none: any type).
    pub content_types: &'static [&'static str],
}

impl MultipartSpec {
    fn file(&self, name: &str) -> Option<&'static FileSpec> {
        self.files.iter().find(|file| file.name == name)
    }
}

/// The error of one part, at its place in the body.
fn invalid(name: &str, message: &str) -> BodyError {
    let mut errors = Errors::new();
    errors.push(&At::body().child(name), message);
    BodyError::Invalid(errors.into_field_errors())
}

/// Whether a part of `file` may come now: its `Content-Type` is one its encoding declares, and
/// it is not a second part of a single file.
fn admit(file: &FileSpec, headers: &HeaderMap, seen: &[&str]) -> Result<(), BodyError> {
    if !file.repeated && seen.contains(&file.name) {
        return Err(invalid(file.name, "is sent more than once"));
    }
    if file.content_types.is_empty() {
        return Ok(());
    }
    let sent = content_type(headers);
    let matches = |range: &&str| {
        sent.as_deref()
            .is_some_and(|sent| super::media::ranges_match(range, sent))
    };
    if file.content_types.iter().any(matches) {
        return Ok(());
    }
    Err(BodyError::PartType {
        part: file.name.to_string(),
        expected: file.content_types.join(", "),
        got: sent.unwrap_or_else(|| "no Content-Type".to_string()),
    })
}

/// The error of a part the parser could not read: the body's own failure (too large, too slow)
/// when that is what stopped it, else a malformed body.
fn read_error(failure: &Mutex<Option<BodyError>>, error: &multer::Error) -> BodyError {
    if let Some(failure) = failure.lock().ok().and_then(|f| f.clone()) {
        return failure;
    }
    match error {
        // A file's `maxLength`, counted by the parser, also over what the handler skips.
        multer::Error::FieldSizeExceeded { limit, field_name } => BodyError::PartTooLarge {
            part: field_name.clone().unwrap_or_default(),
            limit: usize::try_from(*limit).unwrap_or(usize::MAX),
        },
        error => BodyError::Malformed(error.to_string()),
    }
}

fn record(failure: &Mutex<Option<BodyError>>, error: &BodyError) {
    if let Ok(mut failure) = failure.lock() {
        failure.get_or_insert(error.clone());
    }
}

/// Reads a `multipart/form-data` body with files up to its first file: `None` when it is
/// empty, `415` when it is of another type, `400` for a missing or malformed boundary, `413`
/// (over `limit`, or a field over `field_limit`) and `408` at once. The fields are returned
/// for the generated code to type and validate (with the errors of undeclared parts recorded
/// in `errors`, and of missing files when the body ends before any), the files as the stream
/// the handler reads; the guard answers for what breaks a limit while it reads.
pub async fn multipart_stream(
    parts: &Parts,
    body: Body,
    limit: Option<usize>,
    field_limit: Option<usize>,
    spec: &'static MultipartSpec,
    errors: &mut Errors,
) -> Result<(Option<(FormFields, FileParts)>, BodyGuard), Response> {
    let guard = BodyGuard::default();
    if http_body::Body::is_end_stream(&body) {
        return Ok((None, guard));
    }
    let media_type = content_type(&parts.headers).unwrap_or_default();
    if media_type != "multipart/form-data" {
        let detail =
            format!("expected a request body of type multipart/form-data, got {media_type}");
        return Err(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, detail).into_response());
    }
    let header = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = multer::parse_boundary(header).map_err(|e| {
        BodyError::Malformed(e.to_string())
            .problem()
            .into_response()
    })?;
    let (stream, guard) = match body_stream(body, &parts.headers, limit, false, errors) {
        Ok((Some(stream), guard)) => (stream, guard),
        Ok((None, guard)) => return Ok((None, guard)),
        Err(refused) => return Err(refused.problem().into_response()),
    };
    let failure = guard.shared();
    let mut limits = multer::SizeLimit::new();
    for file in spec.files {
        if let Some(limit) = file.limit {
            limits = limits.for_field(file.name, limit as u64);
        }
    }
    let constraints = multer::Constraints::new().size_limit(limits);
    let mut files = FileParts {
        multipart: Some(multer::Multipart::with_constraints(
            stream,
            boundary,
            constraints,
        )),
        pending: None,
        spec,
        seen: Vec::new(),
        failure,
        done: false,
    };
    let fields = match files.fields(field_limit, errors).await {
        Ok(fields) => fields,
        Err(error) => return Err(error.problem().into_response()),
    };
    Ok((Some((fields, files)), guard))
}

/// The files of a multipart body, in the order the client sends them: call
/// [`FileParts::next_file`] until it returns `None`. Each [`FilePart`] must be read (or
/// dropped) before the next is asked for: they arrive one after the other on one connection.
pub struct FileParts {
    multipart: Option<multer::Multipart<'static>>,
    /// The first file, reached while the fields were read.
    pending: Option<multer::Field<'static>>,
    spec: &'static MultipartSpec,
    /// The names of the files received so far.
    seen: Vec<&'static str>,
    failure: Arc<Mutex<Option<BodyError>>>,
    done: bool,
}

impl FileParts {
    /// The fields up to the first file, each within `field_limit`.
    async fn fields(
        &mut self,
        field_limit: Option<usize>,
        errors: &mut Errors,
    ) -> Result<FormFields, BodyError> {
        let mut fields = Vec::new();
        while let Some(mut field) = self.next_part().await? {
            let name = field.name().unwrap_or_default().to_string();
            if let Some(file) = self.spec.file(&name) {
                admit(file, field.headers(), &self.seen)?;
                self.pending = Some(field);
                return Ok(FormFields::from_fields(fields));
            }
            let declared = self.spec.fields.contains(&name.as_str());
            if !declared && self.spec.closed {
                errors.push(
                    &At::body().child(&name),
                    "is not a property the schema allows",
                );
            }
            let mut value = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| self.error(&e))? {
                value.extend_from_slice(&chunk);
                if let Some(limit) = field_limit.filter(|limit| value.len() > *limit) {
                    return Err(BodyError::PartTooLarge { part: name, limit });
                }
            }
            // An undeclared part of an open schema is read (and dropped): the typed body has
            // no place for it.
            if declared {
                fields.push((name, Bytes::from(value)));
            }
        }
        self.done = true;
        let mut missing = Errors::new();
        for file in self.spec.files.iter().filter(|file| file.required) {
            missing.push(&At::body().child(file.name), "is required");
        }
        errors.append(missing);
        Ok(FormFields::from_fields(fields))
    }

    async fn next_part(&mut self) -> Result<Option<multer::Field<'static>>, BodyError> {
        let Some(multipart) = &mut self.multipart else {
            return Ok(None);
        };
        match multipart.next_field().await {
            Ok(field) => Ok(field),
            Err(e) => Err(self.error(&e)),
        }
    }

    fn error(&self, error: &multer::Error) -> BodyError {
        read_error(&self.failure, error)
    }

    fn fail(&mut self, error: BodyError) -> Option<Result<FilePart, BodyError>> {
        self.done = true;
        self.pending = None;
        self.multipart = None;
        record(&self.failure, &error);
        Some(Err(error))
    }

    /// The next file; `None` after the last. An error ends the files, and the request is
    /// answered with its problem whatever the handler returns: the body broke a limit (`413`,
    /// `408`) or is malformed (`400`), a part has a `Content-Type` its encoding does not declare
    /// (`415`), a required file was not sent, a field came after the files, or a part has a name
    /// the schema refuses (`400`, with the part's pointer).
    pub async fn next_file(&mut self) -> Option<Result<FilePart, BodyError>> {
        loop {
            if self.done {
                return None;
            }
            let field = match self.pending.take() {
                Some(field) => field,
                None => match self.next_part().await {
                    Err(error) => return self.fail(error),
                    Ok(Some(mut field)) => {
                        let name = field.name().unwrap_or_default();
                        match self.spec.file(name) {
                            Some(file) => match admit(file, field.headers(), &self.seen) {
                                Ok(()) => field,
                                Err(error) => return self.fail(error),
                            },
                            None if self.spec.fields.contains(&name) => {
                                return self.fail(invalid(name, "must be sent before the files"));
                            }
                            None if self.spec.closed => {
                                return self
                                    .fail(invalid(name, "is not a property the schema allows"));
                            }
                            // Not declared, not refused: skipped.
                            None => {
                                while let Some(chunk) = field.chunk().await.transpose() {
                                    if let Err(e) = chunk {
                                        let error = self.error(&e);
                                        return self.fail(error);
                                    }
                                }
                                continue;
                            }
                        }
                    }
                    Ok(None) => {
                        self.done = true;
                        let missing: Vec<_> = self
                            .spec
                            .files
                            .iter()
                            .filter(|file| file.required && !self.seen.contains(&file.name))
                            .collect();
                        if missing.is_empty() {
                            return None;
                        }
                        let mut errors = Errors::new();
                        for file in missing {
                            errors.push(&At::body().child(file.name), "is required");
                        }
                        return self.fail(BodyError::Invalid(errors.into_field_errors()));
                    }
                },
            };
            let Some(file) = self.spec.file(field.name().unwrap_or_default()) else {
                continue;
            };
            self.seen.push(file.name);
            return Some(Ok(FilePart {
                name: file.name,
                file_name: field.file_name().map(str::to_string),
                content_type: field.content_type().map(|m| m.essence_str().to_string()),
                headers: field.headers().clone(),
                field,
                failure: Arc::clone(&self.failure),
                done: false,
            }));
        }
    }
}

impl std::fmt::Debug for FileParts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileParts")
            .field("seen", &self.seen)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// One file of a multipart body, read as it arrives (never more than its `maxLength` nor the
/// operation's limit): [`FilePart::chunk`], as a `Stream`, whole with [`FilePart::bytes`], or
/// sent on with `ByteStream::from`.
pub struct FilePart {
    name: &'static str,
    file_name: Option<String>,
    content_type: Option<String>,
    headers: HeaderMap,
    field: multer::Field<'static>,
    failure: Arc<Mutex<Option<BodyError>>>,
    done: bool,
}

impl FilePart {
    /// The part's name: the property of the schema it is.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The `filename` the client gave, if any (untrusted: not a path to write to).
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The part's media type, without parameters, if it has one.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The part's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The next chunk; `None` at the end of the part.
    pub async fn chunk(&mut self) -> Option<Result<Bytes, BodyError>> {
        next_chunk(self).await
    }

    /// The whole part in one buffer (within its limits).
    pub async fn bytes(self) -> Result<Bytes, BodyError> {
        whole(self).await
    }

    fn fail(&mut self, error: BodyError) -> Poll<Option<Result<Bytes, BodyError>>> {
        self.done = true;
        record(&self.failure, &error);
        Poll::Ready(Some(Err(error)))
    }
}

impl Stream for FilePart {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match Pin::new(&mut self.field).poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Poll::Ready(Some(Err(e))) => {
                let error = read_error(&self.failure, &e);
                self.fail(error)
            }
            Poll::Ready(Some(Ok(data))) => Poll::Ready(Some(Ok(data))),
        }
    }
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("name", &self.name)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl From<FilePart> for ByteStream {
    /// The file sent on as it arrives.
    fn from(part: FilePart) -> ByteStream {
        ByteStream::from_stream(part)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::extract::Request;
    use axum::http::header;

    static SPEC: MultipartSpec = MultipartSpec {
        files: &[FileSpec {
            name: "photo",
            required: true,
            repeated: false,
            limit: Some(8),
            content_types: &["image/png", "image/jpeg"],
        }],
        fields: &["caption"],
        closed: true,
    };

    fn request(body: &'static str) -> (Parts, Body) {
        let request = Request::builder()
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
            .body(Body::from(body))
            .expect("a request");
        request.into_parts()
    }

    fn part(name: &str, kind: &str, value: &str) -> String {
        format!(
            "--b\r\ncontent-disposition: form-data; name=\"{name}\"; filename=\"f\"\r\ncontent-type: {kind}\r\n\r\n{value}\r\n"
        )
    }

    async fn read(body: String) -> (Errors, Result<(FormFields, FileParts), Response>, BodyGuard) {
        let (parts, body) = request(Box::leak(body.into_boxed_str()));
        let mut errors = Errors::new();
        match multipart_stream(&parts, body, Some(1024), Some(16), &SPEC, &mut errors).await {
            Ok((Some(read), guard)) => (errors, Ok(read), guard),
            Ok((None, guard)) => panic!("a body {guard:?}"),
            Err(response) => (errors, Err(response), BodyGuard::default()),
        }
    }

    #[tokio::test]
    async fn fields_come_before_the_handler_and_files_as_they_arrive() {
        let body = format!(
            "{}{}--b--\r\n",
            part("caption", "text/plain", "hi"),
            part("photo", "image/png", "png!")
        );
        let (errors, parsed, guard) = read(body).await;
        assert!(errors.is_empty());
        let (fields, mut files) = parsed.expect("read");
        assert_eq!(
            fields.value("caption", &super::super::Shape::String),
            Some(serde_json::json!("hi"))
        );
        let file = files.next_file().await.expect("a file").expect("no error");
        assert_eq!(
            (file.name(), file.file_name(), file.content_type()),
            ("photo", Some("f"), Some("image/png"))
        );
        assert_eq!(file.bytes().await, Ok(Bytes::from_static(b"png!")));
        assert!(files.next_file().await.is_none());
        assert!(guard.failure().is_none());
    }

    #[tokio::test]
    async fn parts_the_spec_refuses_end_the_files_in_their_problem() {
        // Over the file's maxLength: 413.
        let body = format!("{}--b--\r\n", part("photo", "image/png", "123456789"));
        let (_, parsed, guard) = read(body).await;
        let (_, mut files) = parsed.expect("read");
        let file = files.next_file().await.expect("a file").expect("no error");
        assert!(matches!(
            file.bytes().await,
            Err(BodyError::PartTooLarge { .. })
        ));
        assert_eq!(
            guard.failure().map(|r| r.status()),
            Some(StatusCode::PAYLOAD_TOO_LARGE)
        );

        // Also when the handler skips the file: checked on the way to the next.
        let body = format!("{}--b--\r\n", part("photo", "image/png", "123456789"));
        let (_, parsed, guard) = read(body).await;
        let (_, mut files) = parsed.expect("read");
        drop(files.next_file().await);
        let skipped = files.next_file().await;
        assert!(
            matches!(skipped, Some(Err(BodyError::PartTooLarge { .. }))),
            "{skipped:?}"
        );
        assert!(guard.failure().is_some());

        // Not the encoding's type: 415 before the handler.
        let body = format!("{}--b--\r\n", part("photo", "text/plain", "x"));
        let refused = read(body).await.1.err().map(|r| r.status());
        assert_eq!(refused, Some(StatusCode::UNSUPPORTED_MEDIA_TYPE));

        // A field after the files, a second single file: 400.
        let body = format!(
            "{}{}--b--\r\n",
            part("photo", "image/png", "x"),
            part("caption", "text/plain", "late")
        );
        let (_, parsed, guard) = read(body).await;
        let (_, mut files) = parsed.expect("read");
        drop(files.next_file().await);
        assert!(matches!(
            files.next_file().await,
            Some(Err(BodyError::Invalid(_)))
        ));
        assert_eq!(
            guard.failure().map(|r| r.status()),
            Some(StatusCode::BAD_REQUEST)
        );

        // No file, an undeclared part, a field over its limit.
        let body = format!("{}--b--\r\n", part("owner", "text/plain", "me"));
        let (errors, _, _) = read(body).await;
        assert_eq!(errors.pointers(), ["/owner", "/photo"]);
        let body = format!(
            "{}--b--\r\n",
            part("caption", "text/plain", &"c".repeat(17))
        );
        let refused = read(body).await.1.err().map(|r| r.status());
        assert_eq!(refused, Some(StatusCode::PAYLOAD_TOO_LARGE));
        // A body cut before its closing boundary: 400.
        let body = part("caption", "text/plain", "hi");
        let refused = read(body).await.1.err().map(|r| r.status());
        assert_eq!(refused, Some(StatusCode::BAD_REQUEST));
    }
}
