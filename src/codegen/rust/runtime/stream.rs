//! Streamed responses: bytes sent as they are produced (downloads) and server-sent events
//! (`text/event-stream`) whose data is the type the spec declares, framed here so that no value
//! can break the framing.

use std::collections::VecDeque;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use futures_core::Stream;
use serde::Serialize;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A binary response body: a buffer (`From<Bytes>`, `Vec<u8>`, `String`, `&'static [u8]`,
/// `&'static str`), sent with its `Content-Length`, or a stream of chunks
/// ([`ByteStream::from_stream`], [`ByteStream::channel`]) sent as they come, never held whole
/// in memory. A stream that yields an error, panics, or whose channel's producer panics ends
/// the response there: the client sees a truncated body (no final chunk), never a
/// complete-looking one, and the connection is closed.
#[derive(Default)]
pub struct ByteStream(Body);

impl ByteStream {
    /// The chunks of `stream`, sent as it yields them.
    pub fn from_stream<S, B, E>(stream: S) -> ByteStream
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        ByteStream(Body::from_stream(Unwinding::new(stream)))
    }

    /// A body written through a channel: every chunk sent is sent on; dropping the sender ends
    /// the body, sending an error aborts it, and so does a panic of the task holding the
    /// sender. `capacity` chunks are buffered before `send` waits for the client
    /// (backpressure).
    pub fn channel(capacity: usize) -> (StreamSender<std::io::Result<Bytes>>, Self) {
        let (sender, receiver) = channel(capacity);
        let chunks = Ended {
            receiver,
            item: |chunk| chunk,
            aborted: || Err(std::io::Error::other(PRODUCER_PANICKED)),
        };
        (sender, ByteStream::from_stream(chunks))
    }

    /// The body's length, when it is a buffer.
    pub fn len(&self) -> Option<u64> {
        self.0.size_hint().exact()
    }

    /// Whether the body is a buffer of no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.len() {
            Some(len) => write!(f, "ByteStream({len} bytes)"),
            None => f.write_str("ByteStream(stream)"),
        }
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        ByteStream(Body::from(bytes))
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream(Body::from(bytes))
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        ByteStream(Body::from(text))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        ByteStream(Body::from(bytes))
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        ByteStream(Body::from(text))
    }
}

impl From<Body> for ByteStream {
    fn from(body: Body) -> Self {
        ByteStream(body)
    }
}

/// Why a stream fed by a channel ended early.
const PRODUCER_PANICKED: &str = "the task producing the response body panicked";

/// The sending end of a response body's channel ([`ByteStream::channel`],
/// [`EventStream::channel`]): a `tokio` sender (every method of
/// [`tokio::sync::mpsc::Sender`] through `Deref`) that tells the body when it is dropped by a
/// panicking task, so that the response is cut short rather than ended as if complete.
pub struct StreamSender<T> {
    sender: tokio::sync::mpsc::Sender<T>,
    panicked: Arc<AtomicBool>,
}

impl<T> Clone for StreamSender<T> {
    fn clone(&self) -> Self {
        StreamSender {
            sender: self.sender.clone(),
            panicked: Arc::clone(&self.panicked),
        }
    }
}

impl<T> std::ops::Deref for StreamSender<T> {
    type Target = tokio::sync::mpsc::Sender<T>;

    fn deref(&self) -> &Self::Target {
        &self.sender
    }
}

impl<T> Drop for StreamSender<T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // Before the channel closes (the fields drop after this): the receiver reads it.
            self.panicked.store(true, Ordering::Release);
        }
    }
}

impl<T> fmt::Debug for StreamSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamSender")
            .field("closed", &self.sender.is_closed())
            .finish_non_exhaustive()
    }
}

/// A channel whose receiver knows whether a sender was dropped by a panic.
fn channel<T>(capacity: usize) -> (StreamSender<T>, Receiver<T>) {
    let (sender, receiver) = tokio::sync::mpsc::channel(capacity.max(1));
    let panicked = Arc::new(AtomicBool::new(false));
    let receiver = Receiver {
        receiver,
        panicked: Arc::clone(&panicked),
    };
    (StreamSender { sender, panicked }, receiver)
}

/// A response streaming `body` with the given media type.
pub fn stream_response(status: StatusCode, media_type: &str, body: ByteStream) -> Response {
    let mut response = Response::new(body.0);
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(media_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// One server-sent event: its data (the spec's schema type), and optionally an event name, an
/// id, a reconnection delay and a comment. An event with only a comment is a keep-alive.
///
/// No value can break the framing: data with line breaks is sent as several `data:` lines
/// (which the client joins back with `\n`), a comment as several comment lines, and line
/// breaks in the name or id (which a field cannot carry) are sent as spaces; NUL, which makes
/// a client ignore an id, is left out of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    data: Option<T>,
    event: Option<String>,
    id: Option<String>,
    retry: Option<Duration>,
    comment: Option<String>,
}

impl<T> Event<T> {
    /// An event carrying `data` (dispatched to the client as a `message` unless named).
    pub fn new(data: T) -> Event<T> {
        Event {
            data: Some(data),
            event: None,
            id: None,
            retry: None,
            comment: None,
        }
    }

    /// A comment alone: clients ignore it; it keeps idle connections (and proxies) open.
    pub fn comment(text: impl Into<String>) -> Event<T> {
        Event {
            data: None,
            event: None,
            id: None,
            retry: None,
            comment: Some(text.into()),
        }
    }

    /// The event's name (`event:`), which clients dispatch on.
    pub fn event(mut self, name: impl Into<String>) -> Event<T> {
        self.event = Some(name.into());
        self
    }

    /// The event's id (`id:`), which a reconnecting client sends back as `Last-Event-ID`.
    pub fn id(mut self, id: impl Into<String>) -> Event<T> {
        self.id = Some(id.into());
        self
    }

    /// How long a client waits before reconnecting (`retry:`, in milliseconds).
    pub fn retry(mut self, delay: Duration) -> Event<T> {
        self.retry = Some(delay);
        self
    }

    /// A comment sent with the event.
    pub fn with_comment(mut self, text: impl Into<String>) -> Event<T> {
        self.comment = Some(text.into());
        self
    }

    /// The event's data, if it carries any.
    pub fn data(&self) -> Option<&T> {
        self.data.as_ref()
    }

    /// The event as it travels; `data` is its data as text.
    fn frame(&self, data: Option<&str>) -> String {
        let mut out = String::new();
        if let Some(comment) = &self.comment {
            for line in lines(comment) {
                out.push(':');
                if !line.is_empty() {
                    out.push(' ');
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        if let Some(name) = &self.event {
            push_field(&mut out, "event", name);
        }
        if let Some(id) = &self.id {
            push_field(&mut out, "id", &id.replace('\0', ""));
        }
        if let Some(retry) = self.retry {
            out.push_str(&format!("retry: {}\n", retry.as_millis()));
        }
        if let Some(data) = data {
            for line in lines(data) {
                push_field(&mut out, "data", line);
            }
        }
        out.push('\n');
        out
    }
}

/// The lines of `text` as the event stream format splits them: at CRLF, LF and CR.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.find(['\r', '\n']) {
            Some(at) => {
                let skip = if text[at..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&text[at + skip..]);
                Some(&text[..at])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// `name: value` on one line; line breaks in the value become spaces.
fn push_field(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str(": ");
    out.extend(
        value
            .chars()
            .map(|c| if matches!(c, '\r' | '\n') { ' ' } else { c }),
    );
    out.push('\n');
}

/// A `text/event-stream` response body: the events a handler yields, sent as they come. Make
/// one from any stream ([`EventStream::from_stream`]), a channel ([`EventStream::channel`]) or
/// a list ([`EventStream::from_events`]); [`EventStream::keep_alive`] adds comments while the
/// stream is idle. The stream ends the response when it ends.
pub struct EventStream<T> {
    /// An error ends the stream early (the producer of a channel panicked).
    events: Pin<Box<dyn Stream<Item = Result<Event<T>, BoxError>> + Send>>,
    keep_alive: Option<Duration>,
}

impl<T: Send + 'static> EventStream<T> {
    /// The events of `stream`, sent as it yields them.
    pub fn from_stream<S>(stream: S) -> EventStream<T>
    where
        S: Stream<Item = Event<T>> + Send + 'static,
    {
        EventStream {
            events: Box::pin(Succeeding(Box::pin(stream))),
            keep_alive: None,
        }
    }

    /// Events known in advance, sent at once.
    pub fn from_events(events: impl IntoIterator<Item = Event<T>>) -> EventStream<T> {
        EventStream::from_stream(Listed(events.into_iter().collect()))
    }

    /// Events sent through a channel; dropping the sender ends the stream, a panic of the
    /// task holding it cuts the response short. `capacity` events are buffered before `send`
    /// waits for the client (backpressure).
    pub fn channel(capacity: usize) -> (StreamSender<Event<T>>, EventStream<T>) {
        let (sender, receiver) = channel(capacity);
        let events = Ended {
            receiver,
            item: Ok,
            aborted: || Err(PRODUCER_PANICKED.into()),
        };
        let stream = EventStream {
            events: Box::pin(events),
            keep_alive: None,
        };
        (sender, stream)
    }
}

impl<T> EventStream<T> {
    /// Sends a comment line (`:`) whenever no event was sent for `every`, so that proxies and
    /// clients do not close an idle stream.
    pub fn keep_alive(mut self, every: Duration) -> EventStream<T> {
        self.keep_alive = Some(every);
        self
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("keep_alive", &self.keep_alive)
            .finish_non_exhaustive()
    }
}

/// A `text/event-stream` response whose events' data is JSON.
pub fn event_stream_response<T: Serialize + Send + 'static>(
    status: StatusCode,
    events: EventStream<T>,
) -> Response {
    events_response(status, events, |data| serde_json::to_string(data))
}

/// A `text/event-stream` response whose events' data is text (the spec's schema is a string).
pub fn text_event_stream_response(status: StatusCode, events: EventStream<String>) -> Response {
    events_response(status, events, |data| Ok(data.clone()))
}

fn events_response<T: Send + 'static>(
    status: StatusCode,
    events: EventStream<T>,
    encode: fn(&T) -> Result<String, serde_json::Error>,
) -> Response {
    let keep_alive = events
        .keep_alive
        .map(|every| (every, Box::pin(tokio::time::sleep(every))));
    let body = Framed {
        events: events.events,
        keep_alive,
        encode,
        done: false,
    };
    let mut response = Response::new(Body::from_stream(Unwinding::new(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The events of a stream as the bytes of the event stream format.
struct Framed<T> {
    events: Pin<Box<dyn Stream<Item = Result<Event<T>, BoxError>> + Send>>,
    keep_alive: Option<(Duration, Pin<Box<tokio::time::Sleep>>)>,
    encode: fn(&T) -> Result<String, serde_json::Error>,
    done: bool,
}

impl<T> Stream for Framed<T> {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match self.events.as_mut().poll_next(cx) {
            Poll::Ready(Some(Err(e))) => {
                // The stream ends without its final chunk: the client sees the failure.
                self.done = true;
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(Some(Ok(event))) => {
                if let Some((every, timer)) = &mut self.keep_alive {
                    timer.as_mut().reset(tokio::time::Instant::now() + *every);
                }
                let data = match event.data.as_ref().map(self.encode).transpose() {
                    Ok(data) => data,
                    Err(e) => {
                        // The stream ends without its final chunk: the client sees the failure.
                        self.done = true;
                        return Poll::Ready(Some(Err(e.into())));
                    }
                };
                Poll::Ready(Some(Ok(Bytes::from(event.frame(data.as_deref())))))
            }
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => {
                let Some((every, timer)) = &mut self.keep_alive else {
                    return Poll::Pending;
                };
                if timer.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                timer.as_mut().reset(tokio::time::Instant::now() + *every);
                // Registers the waker with the timer again.
                let _ = timer.as_mut().poll(cx);
                Poll::Ready(Some(Ok(Bytes::from_static(b":\n\n"))))
            }
        }
    }
}

/// A channel's receiving end.
struct Receiver<T> {
    receiver: tokio::sync::mpsc::Receiver<T>,
    panicked: Arc<AtomicBool>,
}

/// A channel's items as a stream (each as `item` makes it), then `aborted()` if a sender was
/// dropped by a panic.
struct Ended<T, U> {
    receiver: Receiver<T>,
    item: fn(T) -> U,
    aborted: fn() -> U,
}

// Nothing in it is pinned.
impl<T, U> Unpin for Ended<T, U> {}

impl<T, U> Stream for Ended<T, U> {
    type Item = U;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<U>> {
        let receiver = &mut self.receiver;
        match receiver.receiver.poll_recv(cx) {
            Poll::Ready(None) if receiver.panicked.swap(false, Ordering::Acquire) => {
                Poll::Ready(Some((self.aborted)()))
            }
            poll => poll.map(|item| item.map(self.item)),
        }
    }
}

/// A stream of events that cannot fail, as the stream of results [`EventStream`] holds.
struct Succeeding<S>(Pin<Box<S>>);

impl<S: Stream> Stream for Succeeding<S> {
    type Item = Result<S::Item, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx).map(|item| item.map(Ok))
    }
}

/// A stream whose panic ends it with an error instead of unwinding through the server's
/// connection: the response is cut short and the connection closed, as for any error of the
/// body. The panic hook has logged the panic, as it logs a handler's.
struct Unwinding<S> {
    stream: Pin<Box<S>>,
    done: bool,
}

impl<S> Unwinding<S> {
    fn new(stream: S) -> Unwinding<S> {
        Unwinding {
            stream: Box::pin(stream),
            done: false,
        }
    }
}

impl<S, B, E> Stream for Unwinding<S>
where
    S: Stream<Item = Result<B, E>>,
    E: Into<BoxError>,
{
    type Item = Result<B, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let stream = &mut self.stream;
        match std::panic::catch_unwind(AssertUnwindSafe(|| stream.as_mut().poll_next(cx))) {
            Ok(Poll::Ready(Some(item))) => Poll::Ready(Some(item.map_err(Into::into))),
            Ok(Poll::Ready(None)) => {
                self.done = true;
                Poll::Ready(None)
            }
            Ok(Poll::Pending) => Poll::Pending,
            Err(_panic) => {
                self.done = true;
                Poll::Ready(Some(Err("the response body's stream panicked".into())))
            }
        }
    }
}

/// Events known in advance as a stream.
struct Listed<T>(VecDeque<Event<T>>);

// The events are never pinned: they are moved out whole.
impl<T> Unpin for Listed<T> {}

impl<T> Stream for Listed<T> {
    type Item = Event<T>;

    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Event<T>>> {
        Poll::Ready(self.0.pop_front())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    /// A stream that panics when polled.
    struct Panicking;

    impl Stream for Panicking {
        type Item = Result<Bytes, std::io::Error>;

        fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            panic!("the stream failed")
        }
    }

    async fn text(response: Response) -> String {
        let bytes = response.into_body().collect().await.map(|b| b.to_bytes());
        String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned()
    }

    #[test]
    fn lines_split_at_every_line_break() {
        fn split(text: &str) -> Vec<&str> {
            lines(text).collect()
        }
        assert_eq!(split("a"), ["a"]);
        assert_eq!(split(""), [""]);
        assert_eq!(split("a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(split("a\n"), ["a", ""]);
        assert_eq!(split("\r\n\r\n"), ["", "", ""]);
    }

    #[tokio::test]
    async fn events_are_framed_and_nothing_breaks_the_framing() {
        let events = EventStream::from_events([
            Event::new("one line".to_string()),
            Event::new("two\nlines\r\nand\rmore".to_string())
                .event("delta\ndata: injected")
                .id("7\r\nid: 8\0")
                .retry(Duration::from_millis(1500)),
            Event::comment("keep\nalive"),
            Event::new(" leading space".to_string()).with_comment(""),
        ]);
        let response = text_event_stream_response(StatusCode::OK, events);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE),
            Some(&HeaderValue::from_static("text/event-stream"))
        );
        assert_eq!(
            text(response).await,
            "data: one line\n\n\
             event: delta data: injected\nid: 7  id: 8\nretry: 1500\n\
             data: two\ndata: lines\ndata: and\ndata: more\n\n\
             : keep\n: alive\n\n\
             :\ndata:  leading space\n\n"
        );
    }

    #[tokio::test]
    async fn json_data_is_one_line_of_json() {
        #[derive(Serialize)]
        struct Delta {
            text: String,
        }
        let events = EventStream::from_events([Event::new(Delta {
            text: "a\nb".into(),
        })
        .event("delta")]);
        let response = event_stream_response(StatusCode::OK, events);
        assert_eq!(
            text(response).await,
            "event: delta\ndata: {\"text\":\"a\\nb\"}\n\n"
        );
    }

    #[tokio::test]
    async fn idle_streams_get_keep_alive_comments() {
        let (sender, events) = EventStream::<String>::channel(4);
        let response = text_event_stream_response(
            StatusCode::OK,
            events.keep_alive(Duration::from_millis(20)),
        );
        let mut body = response.into_body();
        let producer = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(150)).await;
            let _ = sender.send(Event::new("late".into())).await;
        });
        let mut frames = Vec::new();
        while let Some(Ok(frame)) = body.frame().await {
            if let Ok(data) = frame.into_data() {
                frames.push(String::from_utf8_lossy(&data).into_owned());
            }
        }
        let _ = producer.await;
        let Some((last, idle)) = frames.split_last() else {
            panic!("no frames")
        };
        assert_eq!(last, "data: late\n\n");
        assert!(!idle.is_empty(), "{frames:?}");
        assert!(idle.iter().all(|frame| frame == ":\n\n"), "{frames:?}");
    }

    #[tokio::test]
    async fn byte_streams_send_chunks_and_buffers_keep_their_length() {
        let buffered = ByteStream::from(vec![1u8, 2, 3]);
        assert_eq!(buffered.len(), Some(3));
        assert_eq!(format!("{buffered:?}"), "ByteStream(3 bytes)");
        let (sender, streamed) = ByteStream::channel(2);
        assert_eq!(streamed.len(), None);
        tokio::spawn(async move {
            for chunk in ["ab", "cd"] {
                let _ = sender.send(Ok(Bytes::from_static(chunk.as_bytes()))).await;
            }
        });
        let response = stream_response(StatusCode::OK, "application/pdf", streamed);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE),
            Some(&HeaderValue::from_static("application/pdf"))
        );
        assert_eq!(text(response).await, "abcd");

        let (sender, failing) = ByteStream::channel(2);
        tokio::spawn(async move {
            let _ = sender.send(Ok(Bytes::from_static(b"partial"))).await;
            let _ = sender.send(Err(std::io::Error::other("disk gone"))).await;
        });
        let collected = stream_response(StatusCode::OK, "application/pdf", failing)
            .into_body()
            .collect()
            .await;
        assert!(
            collected.is_err(),
            "an aborted stream is not a complete body"
        );
    }

    /// A panic while the body is produced cuts it short (an error, which makes the server
    /// close the connection without the final chunk) instead of unwinding through the
    /// server's connection, or ending the body as if it were complete. Before, a channel's
    /// producer that panicked ended the body cleanly.
    #[tokio::test]
    async fn a_panic_while_streaming_cuts_the_body_short() {
        let polled = ByteStream::from_stream(Panicking);
        let from_stream = stream_response(StatusCode::OK, "application/pdf", polled);
        let (sender, body) = ByteStream::channel(2);
        let producer = tokio::spawn(async move {
            let _ = sender.send(Ok(Bytes::from_static(b"partial"))).await;
            panic!("the producer failed");
        });
        let from_channel = stream_response(StatusCode::OK, "application/pdf", body);
        let (sender, events) = EventStream::<String>::channel(2);
        let events_producer = tokio::spawn(async move {
            let _ = sender.send(Event::new("first".into())).await;
            panic!("the producer failed");
        });
        let from_events = text_event_stream_response(StatusCode::OK, events);
        for response in [from_stream, from_channel, from_events] {
            let collected = response.into_body().collect().await;
            assert!(collected.is_err(), "a body cut short is not complete");
        }
        assert!(producer.await.is_err() && events_producer.await.is_err());

        // A producer that ends without a panic ends the body as complete.
        let (sender, body) = ByteStream::channel(2);
        drop(sender.clone());
        drop(sender);
        let response = stream_response(StatusCode::OK, "application/pdf", body);
        assert_eq!(text(response).await, "");
    }
}
