//! Serving connections: hyper's HTTP/1 connection loop with the connection limits of
//! [`ServerConfig`] (the header-read and keep-alive idle timeout, the connection limit), the
//! peer address for handlers, and graceful shutdown.
//!
//! The loop is hyper's rather than `axum::serve`, which sets no header-read timeout and no
//! connection limit: a few hundred clients trickling their headers one byte at a time would
//! otherwise hold the server's connections (and file descriptors) for as long as they like.
//!
//! The header-read timeout is not hyper's own (`header_read_timeout`), which allocates and
//! registers a fresh timer for every request and makes hyper try one more read after every
//! response. Each connection has one timer instead ([`IdleTimer`]), which the requests do
//! not touch: a response's end only records the time, and the timer, when it fires, works out
//! whether the connection has really been waiting that long.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::response::Response;
use axum::routing::future::RouteFuture;
use tokio::time::Instant;

use super::ServerConfig;

/// Serves `router` on `listener` with the default connection limits of [`ServerConfig`] until
/// `shutdown` completes, then lets the requests in flight finish (graceful shutdown).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_config(listener, router, &ServerConfig::default(), shutdown).await
}

/// [`serve`] with the connection limits of `config`: the header-read (and keep-alive idle)
/// timeout and the connection limit. Handlers can read the peer address as axum's
/// `ConnectInfo<SocketAddr>` extension.
pub async fn serve_with_config(
    listener: tokio::net::TcpListener,
    router: Router,
    config: &ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    // No timer: the header-read timeout is `IdleTimer`'s.
    http.header_read_timeout(None);
    let header_read_timeout = config.header_read_timeout;
    let slots = config
        .max_connections
        .map(|n| Arc::new(tokio::sync::Semaphore::new(n.max(1))));
    // Graceful shutdown: every connection holds a receiver, told when the server stops.
    let (stopping, stop) = tokio::sync::watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = match &slots {
            Some(slots) => tokio::select! {
                slot = slots.clone().acquire_owned() => slot.ok(),
                () = &mut shutdown => break,
            },
            None => None,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(&e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let service = ConnectionService {
            router: router.clone(),
            peer,
            activity: Arc::clone(&activity),
        };
        let connection =
            http.serve_connection(hyper_util::rt::TokioIo::new(Socket::new(stream)), service);
        let stop = stop.clone();
        tokio::spawn(async move {
            run(connection, stop, &activity, header_read_timeout).await;
            drop(slot);
        });
    }
    drop(listener);
    drop(stop);
    // Tell the connections, then wait until each has ended (dropped its receiver).
    let _ = stopping.send(());
    stopping.closed().await;
    Ok(())
}

type Http1Connection =
    hyper::server::conn::http1::Connection<hyper_util::rt::TokioIo<Socket>, ConnectionService>;

/// Serves one connection until it ends: shut down gracefully (the request in flight finishes)
/// once `stop` changes, closed once it has waited `header_read_timeout` for a request's headers.
///
/// This future is its task's own (spawned by `serve_with_config`), so it is always polled with
/// the same waker, and the futures that only wake it (the shutdown signal, the timer) are
/// polled only when they may have fired: `stop`'s version, which the signal changes, and the
/// timer's state say so without registering the waker again on every poll.
async fn run(
    connection: Http1Connection,
    mut stop: tokio::sync::watch::Receiver<()>,
    activity: &Activity,
    header_read_timeout: Option<Duration>,
) {
    let signal = stop.clone();
    let mut connection = std::pin::pin!(connection);
    let mut stopping = std::pin::pin!(stop.changed());
    let (mut watching, mut stopped) = (false, false);
    let mut timer = header_read_timeout.map(|timeout| IdleTimer::new(activity, timeout));
    std::future::poll_fn(|cx| {
        if !stopped && (!watching || !matches!(signal.has_changed(), Ok(false))) {
            watching = true;
            if stopping.as_mut().poll(cx).is_ready() {
                stopped = true;
                connection.as_mut().graceful_shutdown();
            }
        }
        if connection.as_mut().poll(cx).is_ready() {
            return Poll::Ready(());
        }
        match timer.as_mut().map(|timer| timer.poll_expired(cx)) {
            Some(true) => Poll::Ready(()),
            _ => Poll::Pending,
        }
    })
    .await;
}

/// What a connection's timer needs to know: whether the connection is answering a request, and
/// since when it has not been. Its requests write it, its timer reads it.
struct Activity {
    opened: Instant,
    /// Requests whose head has arrived and whose response has not been written whole (one at a
    /// time on HTTP/1; a count so that an overlap cannot mark the connection idle too early).
    answering: AtomicUsize,
    /// When the last response was written whole, in nanoseconds after `opened`.
    idle_since: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            answering: AtomicUsize::new(0),
            idle_since: AtomicU64::new(0),
        }
    }

    /// When the connection will have waited `timeout` for a request's headers: `timeout` after
    /// its opening or the end of its last response. `None` while it is answering a request (its
    /// request body is `body_timeout`'s, a long download or event stream is not limited).
    fn idle_deadline(&self, timeout: Duration) -> Option<Instant> {
        if self.answering.load(Ordering::Acquire) > 0 {
            return None;
        }
        let idle_since = Duration::from_nanos(self.idle_since.load(Ordering::Acquire));
        Some(self.opened + idle_since + timeout)
    }
}

/// Marks its connection as answering a request from the request's head until it is dropped
/// with the response's body, once the body has been written whole (or the connection dropped).
struct Answering(Arc<Activity>);

impl Answering {
    fn start(activity: &Arc<Activity>) -> Answering {
        activity.answering.fetch_add(1, Ordering::AcqRel);
        Answering(Arc::clone(activity))
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        let activity = &self.0;
        let since = Instant::now().saturating_duration_since(activity.opened);
        let nanos = u64::try_from(since.as_nanos()).unwrap_or(u64::MAX);
        activity.idle_since.store(nanos, Ordering::Release);
        activity.answering.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A connection's header-read timer: expired once the connection has waited `timeout` for a
/// request's headers ([`Activity::idle_deadline`]).
///
/// One timer for the connection's lifetime, armed at the first deadline. The requests only
/// record when their responses end; the timer, when it fires, is moved to the deadline those
/// records give (or one `timeout` later while a response is still being written), and expires
/// only if that deadline has passed. A busy connection's timer therefore fires about once per
/// `timeout` rather than being reset for every request, and a client trickling its headers is
/// still cut at the deadline.
struct IdleTimer<'a> {
    activity: &'a Activity,
    timeout: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
    /// Whether `sleep` has been polled since it was armed (registering the task's waker).
    polled: bool,
}

impl<'a> IdleTimer<'a> {
    fn new(activity: &'a Activity, timeout: Duration) -> IdleTimer<'a> {
        IdleTimer {
            activity,
            timeout,
            sleep: Box::pin(tokio::time::sleep_until(activity.opened + timeout)),
            polled: false,
        }
    }

    /// Whether the deadline has passed; if not, the task is woken when the timer fires (`cx`'s
    /// waker is registered the first time and stays the task's).
    fn poll_expired(&mut self, cx: &mut Context<'_>) -> bool {
        if self.polled && !self.sleep.is_elapsed() {
            return false;
        }
        self.polled = true;
        while self.sleep.as_mut().poll(cx).is_ready() {
            let now = Instant::now();
            match self.activity.idle_deadline(self.timeout) {
                Some(deadline) if deadline <= now => return true,
                Some(deadline) => self.sleep.as_mut().reset(deadline),
                None => self.sleep.as_mut().reset(now + self.timeout),
            }
        }
        false
    }
}

/// The router as one connection's hyper service: each request gets the peer address as
/// `ConnectInfo<SocketAddr>` and marks the connection as answering until its response ends.
struct ConnectionService {
    router: Router,
    peer: SocketAddr,
    activity: Arc<Activity>,
}

impl hyper::service::Service<Request<hyper::body::Incoming>> for ConnectionService {
    type Response = Response<ResponseBody>;
    type Error = Infallible;
    type Future = Answer;

    fn call(&self, mut request: Request<hyper::body::Incoming>) -> Answer {
        let answering = Answering::start(&self.activity);
        request.extensions_mut().insert(ConnectInfo(self.peer));
        // A `Router` is always ready (its `poll_ready` is `Ready(Ok(()))`), so it is called
        // directly rather than through `ServiceExt::oneshot`; the clone is an `Arc`'s.
        let future = tower::Service::call(&mut self.router.clone(), request);
        Answer {
            future,
            answering: Some(answering),
        }
    }
}

/// The router's answer to one request, its body carrying the connection's [`Answering`] mark.
struct Answer {
    future: RouteFuture<Infallible>,
    answering: Option<Answering>,
}

impl Future for Answer {
    type Output = Result<Response<ResponseBody>, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Poll::Ready(Ok(response)) = Pin::new(&mut self.future).poll(cx) else {
            return Poll::Pending;
        };
        let answering = self.answering.take();
        Poll::Ready(Ok(response.map(|body| ResponseBody {
            body,
            _answering: answering,
        })))
    }
}

/// A response body that marks the end of its response when hyper drops it, having written it
/// whole.
struct ResponseBody {
    body: Body,
    _answering: Option<Answering>,
}

impl HttpBody for ResponseBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// A connection's socket, whose first read returns a single byte.
///
/// hyper reads a connection into a buffer of 8 KiB, which a request's head (its URI, its header
/// values) shares until the request is dropped. While a request is in flight, hyper also reads
/// to notice a client that hangs up, and wants 8 KiB free for that read. Once a head has been
/// split off an 8 KiB buffer, less is free; the buffer cannot be reclaimed while the head is
/// alive, so hyper allocates a fresh 8 KiB one: once per request, with glibc's slow path
/// (`malloc_consolidate`) and cold memory for the next read.
///
/// A first read that cannot hold a whole request line makes hyper grow its buffer to 16 KiB
/// when it reads the rest, as it does behind `axum::serve`, whose HTTP/2 preface check reads a
/// connection's first 24 bytes apart. Reads then find their 8 KiB free for a few hundred
/// requests, and when they do not, it is at the next head's read, where the buffer is the
/// connection's alone again and is reclaimed rather than replaced. The cost is one more read
/// per connection.
struct Socket {
    stream: tokio::net::TcpStream,
    first_read: bool,
}

impl Socket {
    fn new(stream: tokio::net::TcpStream) -> Socket {
        Socket {
            stream,
            first_read: true,
        }
    }
}

impl tokio::io::AsyncRead for Socket {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if !self.first_read || buf.remaining() == 0 {
            return Pin::new(&mut self.stream).poll_read(cx, buf);
        }
        let mut byte = [0u8; 1];
        let mut first = tokio::io::ReadBuf::new(&mut byte);
        let polled = Pin::new(&mut self.stream).poll_read(cx, &mut first);
        if let Poll::Ready(Ok(())) = polled {
            self.first_read = false;
            buf.put_slice(first.filled());
        }
        polled
    }
}

impl tokio::io::AsyncWrite for Socket {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// After a failed `accept`: a connection that failed on its own is skipped; anything else (out
/// of file descriptors) is waited out briefly rather than retried in a busy loop.
async fn accept_failed(error: &std::io::Error) {
    use std::io::ErrorKind;
    if !matches!(
        error.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    ) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Completes on Ctrl-C or (on Unix) SIGTERM: the usual `shutdown` for [`serve`].
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// The timer closes a connection only once it has waited `timeout` since its opening or its
    /// last response's end, however often it fires before: not while a response is being
    /// written (for three timeouts here), nor a timeout after the requests that came before.
    #[tokio::test(start_paused = true)]
    async fn a_connection_is_closed_once_it_has_waited_the_timeout_for_headers() {
        let timeout = Duration::from_millis(300);
        let activity = Arc::new(Activity::new());
        let opened = activity.opened;
        let closed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watched = {
            let (activity, closed) = (Arc::clone(&activity), Arc::clone(&closed));
            tokio::spawn(async move {
                let mut timer = IdleTimer::new(&activity, timeout);
                std::future::poll_fn(|cx| match timer.poll_expired(cx) {
                    true => Poll::Ready(()),
                    false => Poll::Pending,
                })
                .await;
                closed.store(true, Ordering::Release);
            })
        };
        let at = |ms: u64| tokio::time::sleep_until(opened + Duration::from_millis(ms));
        let is_closed = || closed.load(Ordering::Acquire);

        // A request at 100 ms whose response is written until 1,000 ms.
        at(100).await;
        let answering = Answering::start(&activity);
        at(1_000).await;
        assert!(!is_closed(), "closed while answering");
        drop(answering);
        // Requests answered at once every 200 ms keep it open.
        for ms in [1_200, 1_400, 1_600] {
            at(ms).await;
            drop(Answering::start(&activity));
            assert!(!is_closed(), "closed at {ms} ms");
        }
        // Idle after the last one: open until 1,600 + 300 ms, closed then.
        at(1_850).await;
        assert!(!is_closed(), "closed before the deadline");
        at(1_950).await;
        assert!(is_closed(), "open after the deadline");
        assert!(watched.await.is_ok());
    }

    /// A connection's first read returns one byte, whatever is waiting; the reads after it, and
    /// the writes, are the socket's own.
    #[tokio::test]
    async fn a_socket_reads_its_first_byte_alone() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = tokio::net::TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (stream, _) = listener.accept().await.unwrap();
        let mut socket = Socket::new(stream);
        let request = b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
        client.write_all(request).await.unwrap();
        let mut buffer = [0; 256];
        assert_eq!(socket.read(&mut buffer).await.unwrap(), 1);
        assert_eq!(buffer[0], b'G');
        let mut rest = Vec::new();
        while rest.len() < request.len() - 1 {
            let n = socket.read(&mut buffer).await.unwrap();
            assert!(
                n > 1 || rest.len() + n == request.len() - 1,
                "a short read of {n}"
            );
            rest.extend_from_slice(&buffer[..n]);
        }
        assert_eq!(rest, request[1..]);
        socket
            .write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
            .await
            .unwrap();
        socket.shutdown().await.unwrap();
        let mut answer = String::new();
        client.read_to_string(&mut answer).await.unwrap();
        assert_eq!(answer, "HTTP/1.1 204 No Content\r\n\r\n");
    }

    /// Reads from `stream` until `end` has been read or the server closes the connection.
    async fn read_until(stream: &mut tokio::net::TcpStream, end: &str) -> String {
        let mut read = Vec::new();
        let mut buffer = [0; 4096];
        while !String::from_utf8_lossy(&read).ends_with(end) {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => read.extend_from_slice(&buffer[..n]),
            }
        }
        String::from_utf8_lossy(&read).into_owned()
    }

    /// Over HTTP: a response that streams for longer than the header-read timeout arrives
    /// whole, the next request on the connection is answered, and the connection is closed
    /// once idle.
    #[tokio::test]
    async fn a_response_streaming_past_the_header_read_timeout_is_not_cut() {
        async fn slow() -> Response {
            let (sender, body) = super::super::ByteStream::channel(1);
            tokio::spawn(async move {
                for chunk in ["one", "two", "three", "four"] {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    let _ = sender.send(Ok(Bytes::from(chunk))).await;
                }
            });
            super::super::stream_response(axum::http::StatusCode::OK, "text/plain", body)
        }
        let router = Router::new()
            .route("/slow", axum::routing::get(slow))
            .route("/", axum::routing::get(|| async { "ok" }));
        let config = ServerConfig {
            header_read_timeout: Some(Duration::from_millis(500)),
            ..ServerConfig::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        tokio::spawn(async move {
            serve_with_config(listener, router, &config, std::future::pending()).await
        });

        let mut client = tokio::net::TcpStream::connect(addr)
            .await
            .unwrap_or_else(|e| panic!("connect: {e}"));
        let get = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
        let _ = client.write_all(get("/slow").as_bytes()).await;
        let streamed = read_until(&mut client, "0\r\n\r\n").await;
        assert!(
            streamed.starts_with("HTTP/1.1 200") && streamed.ends_with("4\r\nfour\r\n0\r\n\r\n"),
            "{streamed}"
        );
        let _ = client.write_all(get("/").as_bytes()).await;
        let next = read_until(&mut client, "\r\n\r\nok").await;
        assert!(next.starts_with("HTTP/1.1 200"), "{next}");
        let mut rest = Vec::new();
        let idle = tokio::time::timeout(Duration::from_secs(5), client.read_to_end(&mut rest));
        assert!(
            matches!(idle.await, Ok(Ok(0))),
            "still open when idle: {rest:?}"
        );
    }
}
