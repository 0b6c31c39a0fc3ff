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

use super::body::{PartHeaders, PartTypes, check_part_headers, check_part_type, part_ranges};
use super::body_stream::{BodyError, BodyGuard, body_stream, next_chunk, whole};
use super::{At, ByteStream, Errors, FormFields, Problem, content_type};

/// What the spec says about the parts of a multipart body with files.
#[derive(Debug)]
pub struct MultipartSpec {
    /// The file parts (binary strings, or arrays of them).
    pub files: &'static [FileSpec],
    /// The wire names of the other properties: fields, read before the handler runs.
    pub fields: &'static [&'static str],
    /// The media types the fields' parts may have (`415` for another).
    pub field_types: PartTypes,
    /// `additionalProperties: false`: a part of another name is an error.
    pub closed: bool,
    /// The checks of the headers parts declare (`encoding.headers`): a file's before the
    /// handler sees it, a field's before the handler runs.
    pub part_headers: PartHeaders,
}

/// A file part the schema declares.
#[derive(Debug)]
pub struct FileSpec {
    /// Its wire name.
    pub name: &'static str,
    pub required: bool,
    /// An array of files: the part may be sent more than once.
    pub repeated: bool,
    /// The array's `minItems`: fewer parts of this name are an error when the body ends.
    pub min_items: usize,
    /// The array's `maxItems`: a further part of this name is an error as soon as it starts.
    pub max_items: Option<usize>,
    /// The schema's `maxLength`, in bytes: a longer part is refused (`413`).
    pub limit: Option<usize>,
    /// The media ranges of its `encoding.contentType` (none: any type).
    pub content_types: &'static [&'static str],
}

impl MultipartSpec {
    /// The file of a part's name, with its place in `files` (where its count is kept).
    fn file(&self, name: &str) -> Option<(usize, &'static FileSpec)> {
        self.files
            .iter()
            .enumerate()
            .find(|(_, file)| file.name == name)
    }

    /// The errors of files sent fewer times than the schema asks (`required`, and the
    /// `minItems` of an array that is there), once the body has ended with `sent` parts of
    /// each file (in the order of `files`).
    fn missing(&self, sent: &[usize], errors: &mut Errors) {
        for (file, &sent) in self.files.iter().zip(sent) {
            if sent == 0 && file.required {
                errors.push(&At::body().child(file.name), "is required");
            } else if sent > 0 && sent < file.min_items {
                let message = format!("has {sent} files, fewer than {} (minItems)", file.min_items);
                errors.push(&At::body().child(file.name), message);
            }
        }
    }
}

/// The error of one part, at its place in the body.
fn invalid(name: &str, message: &str) -> BodyError {
    let mut errors = Errors::new();
    errors.push(&At::body().child(name), message);
    BodyError::Invalid(errors.into_field_errors())
}

/// Whether a part of `file` may come now: its `Content-Type` is one its encoding declares, and
/// it is neither a second part of a single file nor one more than the array's `maxItems`
/// (`sent` parts of it came before).
fn admit(file: &FileSpec, headers: &HeaderMap, sent: usize) -> Result<(), BodyError> {
    check_part_type(file.name, file.content_types, headers, true)?;
    if !file.repeated && sent > 0 {
        return Err(invalid(file.name, "is sent more than once"));
    }
    if let Some(max) = file.max_items.filter(|max| sent >= *max) {
        return Err(invalid(
            file.name,
            &format!("has more than {max} files (maxItems)"),
        ));
    }
    Ok(())
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

/// The most bytes of a part's header block, and of the preamble before the first part: `multer`
/// holds each whole (searching it again for its end as every chunk arrives) before the part
/// starts, bounded by nothing but the body limit.
pub const PART_HEAD_LIMIT: usize = 8 * 1024;

/// The body on its way to `multer`, scanned for the multipart framing as it passes: a preamble
/// or a part's header block longer than [`PART_HEAD_LIMIT`] ends it in a `400`.
struct BoundedHeads<S> {
    inner: S,
    /// `--boundary` (the first one may open the body) and `\r\n--boundary` (every other).
    first: Matcher,
    delimiter: Matcher,
    /// The end of a header block.
    head_end: Matcher,
    state: Framing,
    failure: Arc<Mutex<Option<BodyError>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// Before the first boundary, this many bytes.
    Preamble(usize),
    /// After a boundary: a part's headers (or `--`, the end), this many bytes.
    Head(usize),
    /// After a boundary and one `-`: a second one closes the body.
    Dash,
    /// A part's content.
    Content,
    /// After the closing boundary.
    Epilogue,
}

impl<S> BoundedHeads<S> {
    fn new(inner: S, boundary: &str, failure: Arc<Mutex<Option<BodyError>>>) -> BoundedHeads<S> {
        BoundedHeads {
            inner,
            first: Matcher::new(format!("--{boundary}").into_bytes()),
            delimiter: Matcher::new(format!("\r\n--{boundary}").into_bytes()),
            head_end: Matcher::new(b"\r\n\r\n".to_vec()),
            state: Framing::Preamble(0),
            failure,
        }
    }

    /// Follows the framing over `data`; an error when a head grows past the limit.
    fn scan(&mut self, data: &[u8]) -> Result<(), BodyError> {
        let too_long = |what: &str| {
            BodyError::Malformed(format!("{what} are longer than {PART_HEAD_LIMIT} bytes"))
        };
        let mut at = 0;
        while at < data.len() {
            match self.state {
                Framing::Preamble(seen) => {
                    let (used, found) = self.first.feed(&data[at..]);
                    at += used;
                    if seen + used > PART_HEAD_LIMIT {
                        return Err(too_long("the preamble before the first part"));
                    }
                    self.state = if found {
                        Framing::Head(0)
                    } else {
                        Framing::Preamble(seen + used)
                    };
                }
                // `--` right after a boundary closes the body.
                Framing::Head(0) if data[at] == b'-' => {
                    at += 1;
                    self.state = Framing::Dash;
                }
                Framing::Head(seen) => {
                    let (used, found) = self.head_end.feed(&data[at..]);
                    at += used;
                    if seen + used > PART_HEAD_LIMIT {
                        return Err(too_long("a part's headers"));
                    }
                    self.state = if found {
                        Framing::Content
                    } else {
                        Framing::Head(seen + used)
                    };
                }
                Framing::Content => {
                    let (used, found) = self.delimiter.feed(&data[at..]);
                    at += used;
                    if found {
                        self.state = Framing::Head(0);
                    }
                }
                Framing::Dash if data[at] == b'-' => self.state = Framing::Epilogue,
                Framing::Dash => self.state = Framing::Head(1),
                Framing::Epilogue => return Ok(()),
            }
        }
        Ok(())
    }
}

impl<S: Stream<Item = Result<Bytes, BodyError>> + Unpin> Stream for BoundedHeads<S> {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(data))) => match self.scan(&data) {
                Ok(()) => Poll::Ready(Some(Ok(data))),
                Err(error) => {
                    record(&self.failure, &error);
                    Poll::Ready(Some(Err(error)))
                }
            },
            polled => polled,
        }
    }
}

/// A search for one byte string across the chunks of a stream (Knuth-Morris-Pratt: a boundary
/// such as `----WebKitFormBoundary` overlaps itself).
struct Matcher {
    pattern: Vec<u8>,
    /// For each length matched, the longest proper prefix of the pattern that is also a suffix.
    fallback: Vec<usize>,
    matched: usize,
}

impl Matcher {
    fn new(pattern: Vec<u8>) -> Matcher {
        let mut fallback = vec![0; pattern.len() + 1];
        let mut k = 0;
        for i in 1..pattern.len() {
            while k > 0 && pattern[i] != pattern[k] {
                k = fallback[k];
            }
            if pattern[i] == pattern[k] {
                k += 1;
            }
            fallback[i + 1] = k;
        }
        Matcher {
            pattern,
            fallback,
            matched: 0,
        }
    }

    /// Reads `data` up to the end of the next match: the bytes read, and whether it matched.
    fn feed(&mut self, data: &[u8]) -> (usize, bool) {
        let mut i = 0;
        while i < data.len() {
            if self.matched == 0 {
                // Most content holds no first byte of the pattern: skipped at once.
                match data[i..].iter().position(|b| *b == self.pattern[0]) {
                    Some(skip) => i += skip,
                    None => return (data.len(), false),
                }
            }
            let byte = data[i];
            while self.matched > 0 && byte != self.pattern[self.matched] {
                self.matched = self.fallback[self.matched];
            }
            if byte == self.pattern[self.matched] {
                self.matched += 1;
            }
            i += 1;
            if self.matched == self.pattern.len() {
                self.matched = 0;
                return (i, true);
            }
        }
        (data.len(), false)
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
    let stream = BoundedHeads::new(stream, &boundary, Arc::clone(&failure));
    let mut files = FileParts {
        multipart: Some(multer::Multipart::with_constraints(
            stream,
            boundary,
            constraints,
        )),
        pending: None,
        skipping: None,
        spec,
        sent: vec![0; spec.files.len()],
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
/// [`FileParts::next_file`] until it returns `None`, or read them as a `Stream` of
/// [`FilePart`]s. Each must be read (or dropped) before the next is asked for: they arrive one
/// after the other on one connection.
pub struct FileParts {
    multipart: Option<multer::Multipart<'static>>,
    /// The first file, reached while the fields were read.
    pending: Option<multer::Field<'static>>,
    /// An undeclared part of an open schema, read to its end before the next part.
    skipping: Option<multer::Field<'static>>,
    spec: &'static MultipartSpec,
    /// How many parts of each file (in the order of `spec.files`) were received so far.
    sent: Vec<usize>,
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
            if let Some((index, file)) = self.spec.file(&name) {
                admit(file, field.headers(), self.sent[index])?;
                // Reported with the fields' problems, before the handler runs.
                check_part_headers(self.spec.part_headers, &name, field.headers(), errors);
                self.pending = Some(field);
                return Ok(FormFields::from_fields(fields));
            }
            let declared = self.spec.fields.contains(&name.as_str());
            let ranges = part_ranges(self.spec.field_types, &name);
            check_part_type(&name, ranges, field.headers(), false)?;
            check_part_headers(self.spec.part_headers, &name, field.headers(), errors);
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
        self.spec.missing(&self.sent, errors);
        Ok(FormFields::from_fields(fields))
    }

    async fn next_part(&mut self) -> Result<Option<multer::Field<'static>>, BodyError> {
        std::future::poll_fn(|cx| self.poll_next_part(cx)).await
    }

    fn poll_next_part(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Option<multer::Field<'static>>, BodyError>> {
        let Some(multipart) = &mut self.multipart else {
            return Poll::Ready(Ok(None));
        };
        match multipart.poll_next_field(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(field)) => Poll::Ready(Ok(field)),
            Poll::Ready(Err(e)) => Poll::Ready(Err(self.error(&e))),
        }
    }

    /// The problems of the headers the part `name` declares, if it has any: every one.
    fn declared_headers(&self, name: &str, headers: &HeaderMap) -> Result<(), BodyError> {
        let mut errors = Errors::new();
        check_part_headers(self.spec.part_headers, name, headers, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(BodyError::Invalid(errors.into_field_errors()))
        }
    }

    fn error(&self, error: &multer::Error) -> BodyError {
        read_error(&self.failure, error)
    }

    fn fail(&mut self, error: BodyError) -> Poll<Option<Result<FilePart, BodyError>>> {
        self.done = true;
        self.pending = None;
        self.skipping = None;
        self.multipart = None;
        record(&self.failure, &error);
        Poll::Ready(Some(Err(error)))
    }

    /// The next file; `None` after the last. An error ends the files, and the request is
    /// answered with its problem whatever the handler returns: the body broke a limit (`413`,
    /// `408`) or is malformed (`400`), a part has a `Content-Type` its encoding does not declare
    /// (`415`), a required file was not sent, an array of files has fewer parts than its
    /// `minItems` or more than its `maxItems`, a field came after the files, a part has a
    /// name the schema refuses, or a file's headers break what its `encoding.headers` declare
    /// (`400`, with the part's pointer, and the header's name). `FileParts` is also a
    /// `Stream` of the same items.
    pub async fn next_file(&mut self) -> Option<Result<FilePart, BodyError>> {
        std::future::poll_fn(|cx| self.poll_next_file(cx)).await
    }

    fn poll_next_file(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<FilePart, BodyError>>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            // A part neither declared nor refused is read to its end and dropped.
            if let Some(skipped) = &mut self.skipping {
                match Pin::new(skipped).poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Some(Ok(_))) => continue,
                    Poll::Ready(None) => {
                        self.skipping = None;
                        continue;
                    }
                    Poll::Ready(Some(Err(e))) => {
                        let error = self.error(&e);
                        return self.fail(error);
                    }
                }
            }
            let field = match self.pending.take() {
                Some(field) => field,
                None => match self.poll_next_part(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Err(error)) => return self.fail(error),
                    Poll::Ready(Ok(Some(field))) => {
                        let name = field.name().unwrap_or_default();
                        match self.spec.file(name) {
                            Some((index, file)) => {
                                match admit(file, field.headers(), self.sent[index])
                                    .and_then(|()| self.declared_headers(name, field.headers()))
                                {
                                    Ok(()) => field,
                                    Err(error) => return self.fail(error),
                                }
                            }
                            None if self.spec.fields.contains(&name) => {
                                let error = invalid(name, "must be sent before the files");
                                return self.fail(error);
                            }
                            None if self.spec.closed => {
                                let error = invalid(name, "is not a property the schema allows");
                                return self.fail(error);
                            }
                            None => {
                                self.skipping = Some(field);
                                continue;
                            }
                        }
                    }
                    Poll::Ready(Ok(None)) => {
                        self.done = true;
                        let mut errors = Errors::new();
                        self.spec.missing(&self.sent, &mut errors);
                        if errors.is_empty() {
                            return Poll::Ready(None);
                        }
                        return self.fail(BodyError::Invalid(errors.into_field_errors()));
                    }
                },
            };
            let Some((index, file)) = self.spec.file(field.name().unwrap_or_default()) else {
                continue;
            };
            self.sent[index] += 1;
            return Poll::Ready(Some(Ok(FilePart {
                name: file.name,
                file_name: field.file_name().map(str::to_string),
                content_type: field.content_type().map(|m| m.essence_str().to_string()),
                headers: field.headers().clone(),
                field,
                failure: Arc::clone(&self.failure),
                done: false,
            })));
        }
    }
}

impl Stream for FileParts {
    type Item = Result<FilePart, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_next_file(cx)
    }
}

impl std::fmt::Debug for FileParts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileParts")
            .field("sent", &self.sent)
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

    /// The part's headers: those its `encoding.headers` declares are there and valid (the
    /// server checked them before the part reached the handler).
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
        files: &[
            FileSpec {
                name: "photo",
                required: true,
                repeated: false,
                min_items: 0,
                max_items: None,
                limit: Some(8),
                content_types: &["image/png", "image/jpeg"],
            },
            FileSpec {
                name: "pages",
                required: false,
                repeated: true,
                min_items: 2,
                max_items: Some(3),
                limit: None,
                content_types: &[],
            },
        ],
        fields: &["caption", "meta"],
        field_types: &[("meta", &["application/json"])],
        closed: true,
        part_headers: &[
            ("photo", photo_headers),
            ("caption", caption_headers),
            ("pages", pages_headers),
        ],
    };

    /// What the generated code checks for a part declaring a required `X-Rate-Limit` integer.
    fn rate_limit(part: &'static str, headers: &HeaderMap, errors: &mut Errors) {
        use super::super::{Shape, Style, header_value, parameter};
        let value = header_value(
            headers,
            "x-rate-limit",
            &Shape::Integer,
            Style::Simple,
            false,
        );
        let at = At::part_header(part, "X-Rate-Limit");
        let _: Option<i64> = parameter(value, true, &at, errors);
    }

    fn photo_headers(headers: &HeaderMap, errors: &mut Errors) {
        rate_limit("photo", headers, errors);
    }

    fn caption_headers(headers: &HeaderMap, errors: &mut Errors) {
        rate_limit("caption", headers, errors);
    }

    fn pages_headers(headers: &HeaderMap, errors: &mut Errors) {
        rate_limit("pages", headers, errors);
    }

    fn request(body: &'static str) -> (Parts, Body) {
        let request = Request::builder()
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
            .body(Body::from(body))
            .expect("a request");
        request.into_parts()
    }

    fn part(name: &str, kind: &str, value: &str) -> String {
        let limited = if matches!(name, "photo" | "caption" | "pages") {
            "x-rate-limit: 5\r\n"
        } else {
            ""
        };
        limited_part(name, kind, limited, value)
    }

    fn limited_part(name: &str, kind: &str, headers: &str, value: &str) -> String {
        format!(
            "--b\r\ncontent-disposition: form-data; name=\"{name}\"; filename=\"f\"\r\ncontent-type: {kind}\r\n{headers}\r\n{value}\r\n"
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
        let next = files.next_file().await;
        assert!(next.is_none(), "{next:?}");
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

        // Not the encoding's type: 415 before the handler, for a file or a field.
        let body = format!("{}--b--\r\n", part("photo", "text/plain", "x"));
        let refused = read(body).await.1.err().map(|r| r.status());
        assert_eq!(refused, Some(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        let body = format!("{}--b--\r\n", part("meta", "text/plain", "{}"));
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

    #[tokio::test]
    async fn the_headers_parts_declare_are_checked_before_the_handler_sees_them() {
        // A field's and the first file's: with the fields' problems, before the handler.
        let body = format!(
            "{}{}--b--\r\n",
            limited_part("caption", "text/plain", "x-rate-limit: many\r\n", "hi"),
            limited_part("photo", "image/png", "", "png!")
        );
        let (errors, parsed, _) = read(body).await;
        assert!(parsed.is_ok());
        assert_eq!(errors.pointers(), ["/caption", "/photo"]);
        let problem = serde_json::to_value(errors.into_field_errors()).unwrap_or_default();
        assert_eq!(problem[0]["header"], "X-Rate-Limit");
        assert_eq!(problem[1]["in"], "body");
        assert_eq!(
            problem[1]["detail"],
            "header `X-Rate-Limit` of the request body's part at `/photo`: is required"
        );
        // A later file's: the files end in a 400 before the handler sees it.
        let body = format!(
            "{}{}--b--\r\n",
            part("photo", "image/png", "png!"),
            limited_part("pages", "image/png", "x-rate-limit: 1.5\r\n", "png!")
        );
        let (errors, parsed, guard) = read(body).await;
        assert!(errors.is_empty());
        let (_, mut files) = parsed.expect("read");
        drop(files.next_file().await);
        let refused = files.next_file().await;
        assert!(
            matches!(&refused, Some(Err(BodyError::Invalid(found))) if found[0].header == Some("X-Rate-Limit")),
            "{refused:?}"
        );
        assert_eq!(
            guard.failure().map(|r| r.status()),
            Some(StatusCode::BAD_REQUEST)
        );
    }

    #[tokio::test]
    async fn arrays_of_files_hold_between_min_items_and_max_items_parts() {
        let pages = |n: usize| {
            let mut body = part("photo", "image/png", "png!");
            for _ in 0..n {
                body.push_str(&part("pages", "text/plain", "page"));
            }
            body + "--b--\r\n"
        };
        // Read as a Stream of files.
        let names = |body: String| async move {
            let (_, parsed, guard) = read(body).await;
            let (_, files) = parsed.expect("read");
            let mut files = std::pin::pin!(files);
            let mut names = Vec::new();
            while let Some(file) = std::future::poll_fn(|cx| files.as_mut().poll_next(cx)).await {
                match file {
                    Ok(file) => names.push(file.name().to_string()),
                    Err(error) => names.push(error.to_string()),
                }
            }
            (names, guard.failure().map(|r| r.status()))
        };
        let (got, failure) = names(pages(2)).await;
        assert_eq!(
            (got, failure),
            (
                vec!["photo".to_string(), "pages".into(), "pages".into()],
                None
            )
        );
        // One too few: when the body ends.
        let (got, failure) = names(pages(1)).await;
        assert_eq!(
            got.last().map(String::as_str),
            Some("request body at `/pages`: has 1 files, fewer than 2 (minItems)")
        );
        assert_eq!(failure, Some(StatusCode::BAD_REQUEST));
        // One too many: as soon as it starts.
        let (got, failure) = names(pages(4)).await;
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(
            got[4],
            "request body at `/pages`: has more than 3 files (maxItems)"
        );
        assert_eq!(failure, Some(StatusCode::BAD_REQUEST));
        // None at all: an array that is not there has no minimum.
        let body = format!("{}--b--\r\n", part("caption", "text/plain", "hi"));
        let (errors, _, _) = read(body).await;
        assert_eq!(errors.pointers(), ["/photo"]);
    }

    #[tokio::test]
    async fn a_part_with_a_megabyte_of_headers_is_refused_not_buffered() {
        let padding = format!("x-padding: {}\r\n", "p".repeat(1024 * 1024));
        let head = format!(
            "--b\r\ncontent-disposition: form-data; name=\"photo\"; filename=\"f\"\r\n{padding}content-type: image/png\r\n\r\npng!\r\n--b--\r\n"
        );
        // Sent in 16 KiB chunks, as a client would: refused once 8 KiB have passed.
        let refused = |body: String| async move {
            let (parts, _) = request("");
            let chunks: Vec<Result<Bytes, std::io::Error>> = body
                .into_bytes()
                .chunks(16 * 1024)
                .map(|c| Ok(Bytes::copy_from_slice(c)))
                .collect();
            let body = Body::from_stream(futures_util_stream(chunks));
            let mut errors = Errors::new();
            let refused = multipart_stream(&parts, body, None, Some(16), &SPEC, &mut errors).await;
            refused.err().map(|r| r.status())
        };
        assert_eq!(refused(head).await, Some(StatusCode::BAD_REQUEST));
        // So is a preamble as long; a boundary that overlaps itself is still found.
        let long = format!(
            "{}\r\n{}--b--\r\n",
            "q".repeat(PART_HEAD_LIMIT + 1),
            part("photo", "image/png", "x")
        );
        assert_eq!(refused(long).await, Some(StatusCode::BAD_REQUEST));
        let mut matcher = Matcher::new(b"----Web".to_vec());
        assert_eq!(matcher.feed(b"ab-----"), (7, false));
        assert_eq!(matcher.feed(b"-Web, more"), (4, true));
    }

    fn futures_util_stream(
        chunks: Vec<Result<Bytes, std::io::Error>>,
    ) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send {
        struct Chunks(std::vec::IntoIter<Result<Bytes, std::io::Error>>);
        impl Stream for Chunks {
            type Item = Result<Bytes, std::io::Error>;
            fn poll_next(
                mut self: Pin<&mut Self>,
                _: &mut Context<'_>,
            ) -> Poll<Option<Self::Item>> {
                Poll::Ready(self.0.next())
            }
        }
        Chunks(chunks.into_iter())
    }
}
