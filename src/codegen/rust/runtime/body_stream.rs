//! Binary request bodies as streams: a handler reads them chunk by chunk, within the
//! operation's own body limit, and the server answers `413` (too large) or `408` (too slow)
//! for a body that breaks the limits while the handler reads it, whatever the handler returns.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_core::Stream;

use super::problem::joined;
use super::{At, BodyTimeout, ByteStream, Errors, FieldError, Problem};

/// Why a request body could not be read to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// It is longer than the operation's limit, in bytes.
    TooLarge(usize),
    /// The client did not send it within the server's `body_timeout`.
    Timeout,
    /// The connection failed.
    Unreadable(String),
    /// A multipart body that does not parse (no boundary, a part cut short).
    Malformed(String),
    /// A part of a multipart body is longer than its limit (its `maxLength`, or the server's
    /// default body limit for a field), in bytes.
    PartTooLarge { part: String, limit: usize },
    /// A part of a multipart body has a `Content-Type` its `encoding` does not declare.
    PartType {
        part: String,
        expected: String,
        got: String,
    },
    /// Parts of a multipart body the schema refuses (missing, undeclared, out of order), each
    /// with its pointer.
    Invalid(Vec<FieldError>),
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::TooLarge(limit) => {
                write!(f, "the request body is larger than {limit} bytes")
            }
            BodyError::Timeout => write!(f, "{BodyTimeout}"),
            BodyError::Unreadable(e) => write!(f, "cannot read the request body: {e}"),
            BodyError::Malformed(e) => write!(f, "invalid multipart body: {e}"),
            BodyError::PartTooLarge { part, limit } => {
                write!(f, "the part `{part}` is larger than {limit} bytes")
            }
            BodyError::PartType {
                part,
                expected,
                got,
            } => write!(f, "the part `{part}` must be of type {expected}, got {got}"),
            BodyError::Invalid(errors) => f.write_str(&joined(errors)),
        }
    }
}

impl std::error::Error for BodyError {}

impl BodyError {
    /// The problem the server answers with: `413`, `408` or `400`.
    pub fn problem(&self) -> Problem {
        let (status, part) = match self {
            BodyError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, None),
            BodyError::Timeout => (StatusCode::REQUEST_TIMEOUT, None),
            BodyError::Unreadable(_) | BodyError::Malformed(_) => (StatusCode::BAD_REQUEST, None),
            BodyError::PartTooLarge { part, .. } => (StatusCode::PAYLOAD_TOO_LARGE, Some(part)),
            BodyError::PartType { part, .. } => (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some(part)),
            BodyError::Invalid(errors) => {
                let mut problem = Problem::new(StatusCode::BAD_REQUEST, self.to_string());
                problem.errors = errors.clone();
                return problem;
            }
        };
        let mut problem = Problem::new(status, self.to_string());
        if let Some(part) = part {
            let mut errors = Errors::new();
            errors.push(&At::body().child(part), self);
            problem.errors = errors.into_field_errors();
        }
        problem
    }

    /// A read error of the connection's body: the body deadline is wrapped once per body
    /// adapter on the way, so the chain is searched for it.
    pub(super) fn of(e: &axum::Error) -> BodyError {
        let mut cause = std::error::Error::source(e);
        while let Some(error) = cause {
            if error.is::<BodyTimeout>() {
                return BodyError::Timeout;
            }
            cause = error.source();
        }
        BodyError::Unreadable(e.to_string())
    }
}

/// A request body read as it arrives (a `Stream` of chunks), never more than the operation's
/// body limit. Read it with [`BodyStream::chunk`], as a `Stream`, whole with
/// [`BodyStream::bytes`], or send it on as a response with `ByteStream::from`. An error ends
/// it; the server then answers the request with that error's problem (`413`, `408`), not with
/// the handler's response.
pub struct BodyStream {
    body: Body,
    limit: Option<usize>,
    read: usize,
    failure: Arc<Mutex<Option<BodyError>>>,
    done: bool,
}

impl BodyStream {
    /// The next chunk; `None` at the end of the body.
    pub async fn chunk(&mut self) -> Option<Result<Bytes, BodyError>> {
        next_chunk(self).await
    }

    /// The whole body in one buffer (within the limit).
    pub async fn bytes(self) -> Result<Bytes, BodyError> {
        whole(self).await
    }

    /// The body's length, when the client declared it.
    pub fn len(&self) -> Option<u64> {
        self.body.size_hint().exact()
    }

    /// Whether the client declared an empty body.
    pub fn is_empty(&self) -> bool {
        self.body.is_end_stream()
    }

    fn fail(&mut self, error: BodyError) -> Poll<Option<Result<Bytes, BodyError>>> {
        self.done = true;
        if let Ok(mut failure) = self.failure.lock() {
            failure.get_or_insert(error.clone());
        }
        Poll::Ready(Some(Err(error)))
    }
}

impl Default for BodyStream {
    /// An empty body.
    fn default() -> BodyStream {
        BodyStream {
            body: Body::empty(),
            limit: None,
            read: 0,
            failure: Arc::default(),
            done: false,
        }
    }
}

impl Stream for BodyStream {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            let frame = match Pin::new(&mut self.body).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    self.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(e))) => return self.fail(BodyError::of(&e)),
                Poll::Ready(Some(Ok(frame))) => frame,
            };
            // Trailers carry no data.
            let Ok(data) = frame.into_data() else {
                continue;
            };
            self.read = self.read.saturating_add(data.len());
            if let Some(limit) = self.limit.filter(|limit| self.read > *limit) {
                return self.fail(BodyError::TooLarge(limit));
            }
            return Poll::Ready(Some(Ok(data)));
        }
    }
}

impl fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyStream")
            .field("limit", &self.limit)
            .field("read", &self.read)
            .finish_non_exhaustive()
    }
}

impl From<BodyStream> for ByteStream {
    /// The request body sent on as it arrives (an echo, a proxy).
    fn from(body: BodyStream) -> ByteStream {
        ByteStream::from_stream(body)
    }
}

/// What remembers whether a streamed request body broke a limit while the handler read it.
#[derive(Debug, Default)]
pub struct BodyGuard(Arc<Mutex<Option<BodyError>>>);

impl BodyGuard {
    /// Where the streams reading the body record their failure.
    #[cfg(feature = "multipart")]
    pub(super) fn shared(&self) -> Arc<Mutex<Option<BodyError>>> {
        Arc::clone(&self.0)
    }

    /// The problem to answer instead of the handler's response, if the body broke a limit.
    pub fn failure(&self) -> Option<Response> {
        let failure = self.0.lock().ok()?.clone()?;
        Some(failure.problem().into_response())
    }
}

/// A binary request body as a stream within `limit`, refused at once (`413`, see
/// [`BodyError::problem`]) when the declared `Content-Length` is over it; `None` (and a missing-body error if it is `required`) when the
/// body is declared empty.
pub fn body_stream(
    body: Body,
    headers: &HeaderMap,
    limit: Option<usize>,
    required: bool,
    errors: &mut Errors,
) -> Result<(Option<BodyStream>, BodyGuard), BodyError> {
    if let Some(limit) = limit {
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit as u64) {
            return Err(BodyError::TooLarge(limit));
        }
    }
    let guard = BodyGuard::default();
    if body.is_end_stream() {
        if required {
            errors.push(&At::body(), "is required");
        }
        return Ok((None, guard));
    }
    let stream = BodyStream {
        body,
        limit,
        read: 0,
        failure: Arc::clone(&guard.0),
        done: false,
    };
    Ok((Some(stream), guard))
}

/// The next chunk of a streamed body (a [`BodyStream`] or a multipart file); `None` at its end.
pub(crate) async fn next_chunk<S>(stream: &mut S) -> Option<Result<Bytes, BodyError>>
where
    S: Stream<Item = Result<Bytes, BodyError>> + Unpin,
{
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// A streamed body read whole into one buffer; its limits still apply while it is read.
pub(crate) async fn whole<S>(mut stream: S) -> Result<Bytes, BodyError>
where
    S: Stream<Item = Result<Bytes, BodyError>> + Unpin,
{
    let mut buffer = Vec::new();
    while let Some(chunk) = next_chunk(&mut stream).await {
        buffer.extend_from_slice(&chunk?);
    }
    Ok(Bytes::from(buffer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunked(chunks: &'static [&'static [u8]]) -> Body {
        Body::from_stream(Listed(chunks.iter().copied().collect()))
    }

    struct Listed(std::collections::VecDeque<&'static [u8]>);

    impl Stream for Listed {
        type Item = Result<Bytes, std::io::Error>;

        fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.pop_front().map(|c| Ok(Bytes::from_static(c))))
        }
    }

    fn length(n: usize) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_LENGTH, n.into());
        headers
    }

    #[tokio::test]
    async fn a_body_within_the_limit_streams_chunk_by_chunk() {
        let errors = &mut Errors::new();
        let Ok((Some(mut body), guard)) = body_stream(
            chunked(&[b"ab", b"cd"]),
            &HeaderMap::new(),
            Some(4),
            true,
            errors,
        ) else {
            panic!("a body");
        };
        assert_eq!(body.chunk().await, Some(Ok(Bytes::from_static(b"ab"))));
        assert_eq!(body.bytes().await, Ok(Bytes::from_static(b"cd")));
        assert!(guard.failure().is_none());
        assert!(errors.response().is_none());
    }

    #[tokio::test]
    async fn a_body_over_the_limit_ends_in_an_error_and_the_request_in_413() {
        let errors = &mut Errors::new();
        let Ok((Some(body), guard)) = body_stream(
            chunked(&[b"abc", b"def", b"never read"]),
            &HeaderMap::new(),
            Some(4),
            true,
            errors,
        ) else {
            panic!("a body");
        };
        assert_eq!(body.bytes().await, Err(BodyError::TooLarge(4)));
        let failure = guard.failure().map(|r| r.status());
        assert_eq!(failure, Some(StatusCode::PAYLOAD_TOO_LARGE));

        // A declared length over the limit is refused before anything is read.
        let refused = body_stream(chunked(&[]), &length(5), Some(4), true, errors);
        assert_eq!(refused.err(), Some(BodyError::TooLarge(4)));
    }

    #[tokio::test]
    async fn an_empty_body_is_missing() {
        let errors = &mut Errors::new();
        let Ok((None, _)) = body_stream(Body::empty(), &length(0), Some(4), true, errors) else {
            panic!("no body");
        };
        let missing = errors.response().map(|r| r.status());
        assert_eq!(missing, Some(StatusCode::BAD_REQUEST));
    }
}
