//! Serving: the limits a server protects itself with (per request, per connection, per body),
//! the fallbacks for unknown paths and methods and panics as `500` problems. The connection
//! limits take effect in the connection loop (module `connection`).

use std::collections::BTreeMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::{HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Problem;
use super::problem::MadeProblem;

/// How the server protects itself. Every limit can be changed or switched off (`None`); the
/// defaults are what a service facing the internet would choose.
///
/// The request limits take effect through `router_with_config`, the connection limits through
/// [`serve_with_config`](super::serve_with_config) (pass both the same config;
/// [`serve`](super::serve) uses the defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The largest request body accepted, in bytes: larger ones get `413 Payload Too Large`.
    /// `None` accepts any size. Operations listed in `operation_body_limits` have their own.
    pub body_limit: Option<usize>,
    /// Body limits of single operations, by `operationId` (`METHOD /path` for an operation
    /// without one), for example a photo upload allowed 50 MB while every JSON operation keeps
    /// `body_limit`.
    pub operation_body_limits: BTreeMap<String, Option<usize>>,
    /// How long a request may take, body reading included: slower ones get
    /// `503 Service Unavailable`. `None` waits forever.
    pub request_timeout: Option<Duration>,
    /// How long a client may take to send a request body, from its first byte to its last:
    /// slower ones get `408 Request Timeout`. `None` waits as long as `request_timeout`.
    /// Operations listed in `operation_body_timeouts` have their own.
    pub body_timeout: Option<Duration>,
    /// Body timeouts of single operations, by `operationId` (`METHOD /path` for an operation
    /// without one), for example a few minutes for a large upload while every other operation
    /// keeps `body_timeout`. An operation's own timeout longer than `request_timeout` is also
    /// its request timeout (else the request's would cut the body's short).
    pub operation_body_timeouts: BTreeMap<String, Option<Duration>>,
    /// How long a client may take to send a request's headers, counted from the connection's
    /// opening or the end of the previous response on the connection, so that it is also the
    /// idle keep-alive timeout. The connection is closed when it passes. `None` waits forever.
    pub header_read_timeout: Option<Duration>,
    /// The most connections served at once; further clients wait in the listen backlog until
    /// one closes. `None` serves any number.
    pub max_connections: Option<usize>,
    /// The longest request target (path and query) accepted, in bytes: longer ones get
    /// `414 URI Too Long`.
    pub max_uri_length: Option<usize>,
    /// The most header bytes (names and values) a request may have: more get
    /// `431 Request Header Fields Too Large`.
    pub max_header_bytes: Option<usize>,
    /// Whether a panic in a handler becomes a `500` problem (the server keeps serving) rather
    /// than a dropped connection.
    pub catch_panics: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            body_limit: Some(2 * 1024 * 1024),
            operation_body_limits: BTreeMap::new(),
            request_timeout: Some(Duration::from_secs(30)),
            body_timeout: Some(Duration::from_secs(20)),
            operation_body_timeouts: BTreeMap::new(),
            header_read_timeout: Some(Duration::from_secs(10)),
            max_connections: Some(4096),
            max_uri_length: Some(8 * 1024),
            max_header_bytes: Some(32 * 1024),
            catch_panics: true,
        }
    }
}

impl ServerConfig {
    /// The body limit of an operation, by `operationId`.
    pub fn body_limit_for(&self, operation_id: &str) -> Option<usize> {
        match self.operation_body_limits.get(operation_id) {
            Some(limit) => *limit,
            None => self.body_limit,
        }
    }

    /// The body timeout of an operation, by `operationId`.
    pub fn body_timeout_for(&self, operation_id: &str) -> Option<Duration> {
        match self.operation_body_timeouts.get(operation_id) {
            Some(timeout) => *timeout,
            None => self.body_timeout,
        }
    }

    /// The request timeout of an operation: `request_timeout`, or the operation's own body
    /// timeout when that is longer.
    pub fn request_timeout_for(&self, operation_id: &str) -> Option<Duration> {
        match (
            self.request_timeout,
            self.operation_body_timeouts.get(operation_id),
        ) {
            (Some(request), Some(Some(body))) => Some(request.max(*body)),
            (request, _) => request,
        }
    }
}

/// The error a request body gives when the client takes longer than `body_timeout` to send
/// it; reading the body answers `408` for it.
#[derive(Debug)]
pub struct BodyTimeout;

impl std::fmt::Display for BodyTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body was not received in time")
    }
}

impl std::error::Error for BodyTimeout {}

/// A request body with one deadline for all of it (a per-read timeout would let a client
/// trickle one byte just inside each). The timer is armed the first time the body has to wait
/// for the client, so a body that is never read, or that has arrived whole with the headers
/// (most small ones), costs no timer; the deadline still counts from the request's arrival.
struct DeadlineBody {
    body: Body,
    deadline: LazyDeadline,
}

/// A deadline whose timer is armed only once something has to wait for it: the request
/// timeout of a handler and the deadline of a body, most of which are done in their first
/// poll and so cost no timer.
struct LazyDeadline {
    at: tokio::time::Instant,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl LazyDeadline {
    fn new(at: tokio::time::Instant) -> LazyDeadline {
        LazyDeadline { at, timer: None }
    }

    fn is_armed(&self) -> bool {
        self.timer.is_some()
    }

    /// Whether the deadline has passed; if not, `cx` is woken when it does (the timer is armed
    /// on the first call).
    fn poll_expired(&mut self, cx: &mut Context<'_>) -> bool {
        let at = self.at;
        self.timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(at)))
            .as_mut()
            .poll(cx)
            .is_ready()
    }
}

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        // A body that has waited before is timed out even when its next frame is there.
        if self.deadline.is_armed() && self.deadline.poll_expired(cx) {
            return Poll::Ready(Some(Err(axum::Error::new(BodyTimeout))));
        }
        let polled = Pin::new(&mut self.body).poll_frame(cx);
        if polled.is_pending() && !self.deadline.is_armed() && self.deadline.poll_expired(cx) {
            return Poll::Ready(Some(Err(axum::Error::new(BodyTimeout))));
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

fn too_long(status: StatusCode, detail: String) -> Response {
    Problem::new(status, detail).into_response()
}

/// `414` / `431` as problems, before routing (hyper's own limits, far above these, answer
/// without a body).
fn oversized_head(request: &Request, config: &ServerConfig) -> Option<Response> {
    if let Some(max) = config.max_uri_length {
        let length = request
            .uri()
            .path_and_query()
            .map_or(0, |p| p.as_str().len());
        if length > max {
            return Some(too_long(
                StatusCode::URI_TOO_LONG,
                format!("the request target is longer than {max} bytes"),
            ));
        }
    }
    if let Some(max) = config.max_header_bytes {
        let bytes: usize = request
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len())
            .sum();
        if bytes > max {
            return Some(too_long(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                format!("the request headers are larger than {max} bytes"),
            ));
        }
    }
    None
}

/// `404` for a path no operation matches.
fn not_found(request: Request) -> Response {
    Problem::new(
        StatusCode::NOT_FOUND,
        format!("no operation matches {}", request.uri().path()),
    )
    .into_response()
}

/// `405` for a path whose operations do not include the method (axum adds `Allow`).
fn method_not_allowed(request: Request) -> Response {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} is not allowed on {}",
            request.method(),
            request.uri().path()
        ),
    )
    .into_response()
}

fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    // The panic message stays in the server's log (the panic hook printed it): it may hold
    // internals that clients must not see.
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the server failed to handle the request",
    )
    .into_response()
}

/// Runs `handler` on `request` under the request limits of `config` for the operation
/// `operation_id` (its key in the per-operation limits, `""` for none): `414`/`431` before it
/// runs, the body deadline, the request timeout and panics as `500` problems. `map` answers every error
/// the server makes itself (validation `400`, `401`/`403`, `404`, `405`, `406`, `408`, `413`,
/// `414`, `415`, `431`, a panic's `500`, a timeout's `503`) from its problem details, leaving
/// handlers' responses alone: the `Api`'s error hook, so that these errors can take the shape
/// the spec declares. Headers the server set for the error (`Allow`, `WWW-Authenticate`...) are
/// kept unless `map` sets them itself.
///
/// Generated handlers call it around their own work rather than the router wrapping its routes
/// in layers: each `Router::layer` wraps every route in another boxed service, cloned and boxed
/// again for each request, and two of them (the limits and the problem mapping) cost the
/// generated server about a third of a hand-written handler's instructions per request
/// (bench/server-throughput.sh). It checks the request and calls `handler` at once, and returns
/// a [`Guard`] holding the handler's future, rather than being an `async fn`: an `async fn`
/// would keep its own copy of the request beside the handler's, in a future axum boxes and
/// moves for every request.
#[inline(always)]
pub fn guard<F, M>(
    config: &ServerConfig,
    operation_id: &str,
    request: Request,
    handler: impl FnOnce(Request) -> F,
    map: M,
) -> Guard<F, M>
where
    F: Future<Output = Response>,
    M: FnOnce(Problem) -> Response,
{
    let stage = match oversized_head(&request, config) {
        Some(refused) => Stage::Refused {
            response: Some(refused),
        },
        None => Stage::Running {
            future: handler(with_body_deadline(
                request,
                config.body_timeout_for(operation_id),
            )),
        },
    };
    Guard {
        stage,
        catch_panics: config.catch_panics,
        timeout: config.request_timeout_for(operation_id).map(|timeout| {
            (
                timeout,
                LazyDeadline::new(tokio::time::Instant::now() + timeout),
            )
        }),
        map: Some(map),
    }
}

pin_project_lite::pin_project! {
    /// The future [`guard`] returns: the handler's future under the request timeout (counted
    /// from the request's arrival) with panics caught, its response passed through the error
    /// hook. The timer is set only if the handler has to wait: most requests are answered in
    /// their first poll, and those cost no timer.
    pub struct Guard<F, M> {
        #[pin]
        stage: Stage<F>,
        catch_panics: bool,
        // The request timeout and the deadline it gives.
        timeout: Option<(Duration, LazyDeadline)>,
        map: Option<M>,
    }
}

pin_project_lite::pin_project! {
    #[project = StageProjection]
    enum Stage<F> {
        // Refused before the handler ran (`414`, `431`).
        Refused { response: Option<Response> },
        Running { #[pin] future: F },
    }
}

impl<F, M> Future for Guard<F, M>
where
    F: Future<Output = Response>,
    M: FnOnce(Problem) -> Response,
{
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        let this = self.project();
        let response = match this.stage.project() {
            StageProjection::Refused { response } => response.take(),
            StageProjection::Running { future } => {
                match poll_catching(future, cx, *this.catch_panics) {
                    Poll::Ready(response) => Some(response),
                    Poll::Pending => {
                        let Some((timeout, deadline)) = this.timeout else {
                            return Poll::Pending;
                        };
                        if !deadline.poll_expired(cx) {
                            return Poll::Pending;
                        }
                        Some(
                            Problem::new(
                                StatusCode::SERVICE_UNAVAILABLE,
                                format!("the request took longer than {} ms", timeout.as_millis()),
                            )
                            .into_response(),
                        )
                    }
                }
            }
        };
        match (response, this.map.take()) {
            (Some(response), Some(map)) => Poll::Ready(answer_problem(response, map)),
            _ => panic!("a guarded request polled after it was answered"),
        }
    }
}

/// `request` with its body under `timeout` (counted from now), unless it has none.
fn with_body_deadline(request: Request, timeout: Option<Duration>) -> Request {
    match timeout {
        Some(timeout) if !request.body().is_end_stream() => {
            let deadline = tokio::time::Instant::now() + timeout;
            request.map(|body| {
                Body::new(DeadlineBody {
                    body,
                    deadline: LazyDeadline::new(deadline),
                })
            })
        }
        _ => request,
    }
}

/// Polls a handler's future, a panic while it runs turned into a `500` problem when `catch`.
fn poll_catching<F: Future<Output = Response>>(
    future: Pin<&mut F>,
    cx: &mut Context<'_>,
    catch: bool,
) -> Poll<Response> {
    if !catch {
        return future.poll(cx);
    }
    match std::panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
        Ok(poll) => poll,
        Err(panic) => Poll::Ready(panic_response(panic)),
    }
}

/// `response`, or `map`'s answer to the problem it carries if the server made it.
fn answer_problem(mut response: Response, map: impl FnOnce(Problem) -> Response) -> Response {
    let Some(MadeProblem(problem)) = response.extensions_mut().remove::<MadeProblem>() else {
        return response;
    };
    let mut mapped = map(problem);
    mapped.extensions_mut().remove::<MadeProblem>();
    let own: Vec<HeaderName> = mapped.headers().keys().cloned().collect();
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH && !own.contains(name) {
            mapped.headers_mut().append(name.clone(), value.clone());
        }
    }
    mapped
}

/// The fallbacks of a router, under [`guard`] with `config` and `map`: `404` for a path no
/// operation matches, `405` (with `Allow`) for a method its operations do not include.
pub fn harden<S, M>(router: Router<S>, config: &ServerConfig, map: M) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    M: Fn(Problem) -> Response + Clone + Send + Sync + 'static,
{
    let config = Arc::new(config.clone());
    let guarded = move |answer: fn(Request) -> Response| {
        let (config, map) = (Arc::clone(&config), map.clone());
        move |request: Request| {
            guard(
                &config,
                "",
                request,
                |request| std::future::ready(answer(request)),
                map.clone(),
            )
        }
    };
    router
        .fallback(guarded(not_found))
        .method_not_allowed_fallback(guarded(method_not_allowed))
}

/// An operation's route: its handler and the state the handlers share, served as a `tower`
/// service. A handler takes the whole request, so it needs none of axum's extractors, and its
/// future is boxed once by the router rather than again inside axum's own handler future.
pub struct Operation<S, H> {
    state: Arc<S>,
    handler: H,
}

impl<S, H> Operation<S, H> {
    pub fn new(state: &Arc<S>, handler: H) -> Operation<S, H> {
        Operation {
            state: Arc::clone(state),
            handler,
        }
    }
}

impl<S, H: Clone> Clone for Operation<S, H> {
    fn clone(&self) -> Self {
        Operation {
            state: Arc::clone(&self.state),
            handler: self.handler.clone(),
        }
    }
}

impl<S, H, F> tower::Service<Request> for Operation<S, H>
where
    H: Fn(&Arc<S>, Request) -> F,
    F: Future<Output = Response>,
{
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = Answered<F>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Answered<F> {
        Answered {
            future: (self.handler)(&self.state, request),
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of an [`Operation`]: the handler's response, which never fails.
    pub struct Answered<F> {
        #[pin]
        future: F,
    }
}

impl<F: Future<Output = Response>> Future for Answered<F> {
    type Output = Result<Response, std::convert::Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.project().future.poll(cx).map(Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    /// A body that arrived whole is read without a timer, even past its deadline; one that
    /// has to wait for the client arms it (and a slow one still ends in `BodyTimeout`).
    #[tokio::test]
    async fn the_body_timer_is_armed_only_when_the_body_has_to_wait() {
        let past = tokio::time::Instant::now();
        let mut whole = DeadlineBody {
            body: Body::from("{}"),
            deadline: LazyDeadline::new(past),
        };
        let frame = whole
            .frame()
            .await
            .map(|f| f.map(|f| f.into_data().is_ok()));
        assert!(matches!(frame, Some(Ok(true))));
        assert!(!whole.deadline.is_armed());

        /// A client that never sends its body.
        struct Silent;
        impl HttpBody for Silent {
            type Data = Bytes;
            type Error = std::convert::Infallible;
            fn poll_frame(
                self: Pin<&mut Self>,
                _cx: &mut Context<'_>,
            ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
                Poll::Pending
            }
        }
        let mut slow = DeadlineBody {
            body: Body::new(Silent),
            deadline: LazyDeadline::new(tokio::time::Instant::now() + Duration::from_millis(50)),
        };
        let error = slow
            .frame()
            .await
            .and_then(Result::err)
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("the request body was not received in time")
        );
        assert!(slow.deadline.is_armed());
    }

    /// A handler answering in its first poll costs no timer; one that waits gets the timer, and
    /// the `503` when it passes the request timeout.
    #[tokio::test]
    async fn the_request_timer_is_set_only_when_the_handler_waits() {
        let config = ServerConfig {
            request_timeout: Some(Duration::from_millis(30)),
            ..ServerConfig::default()
        };
        let request = || Request::new(Body::empty());
        let hook = |problem: Problem| problem.into_response();

        let quick = guard(
            &config,
            "",
            request(),
            |_| async { StatusCode::OK.into_response() },
            hook,
        );
        let mut quick = std::pin::pin!(quick);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let answered = quick.as_mut().poll(&mut cx);
        assert!(matches!(&answered, Poll::Ready(r) if r.status() == StatusCode::OK));
        let armed = |timeout: &Option<(Duration, LazyDeadline)>| {
            timeout
                .as_ref()
                .is_some_and(|(_, deadline)| deadline.is_armed())
        };
        assert!(!armed(&quick.timeout));

        let slow = |_| async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            StatusCode::OK.into_response()
        };
        let mut slow = std::pin::pin!(guard(&config, "", request(), slow, hook));
        assert!(slow.as_mut().poll(&mut cx).is_pending());
        assert!(armed(&slow.timeout));
        let response = slow.await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    }

    /// The hook sees the server's own errors, not handlers' responses, and the headers the
    /// server set for the error stay.
    #[tokio::test]
    async fn the_hook_answers_the_servers_errors_in_its_shape() {
        fn hook(problem: Problem) -> Response {
            let body = format!(
                "{{\"code\":{},\"message\":{:?}}}",
                problem.status, problem.title
            );
            (
                StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                body,
            )
                .into_response()
        }
        async fn refused(request: Request) -> Response {
            let handler = |_| async {
                Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "expected JSON").into_response()
            };
            guard(&ServerConfig::default(), "", request, handler, hook).await
        }
        async fn own(request: Request) -> Response {
            let handler = |_| async { (StatusCode::CONFLICT, "handler's own").into_response() };
            guard(&ServerConfig::default(), "", request, handler, hook).await
        }
        let routes = Router::new()
            .route("/refused", axum::routing::get(refused))
            .route("/own", axum::routing::get(own));
        let router = harden(routes, &ServerConfig::default(), hook);
        let call = |method: &str, uri: &str| {
            let request = Request::builder()
                .method(method)
                .uri(uri)
                .body(Body::empty())
                .unwrap_or_default();
            router.clone().oneshot(request)
        };
        let text = |response: Response| async move {
            let bytes = response.into_body().collect().await.map(|b| b.to_bytes());
            String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned()
        };

        let refused = call("GET", "/refused").await.unwrap_or_default();
        assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(
            text(refused).await,
            r#"{"code":415,"message":"Unsupported Media Type"}"#
        );
        let missing = call("GET", "/nowhere").await.unwrap_or_default();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(text(missing).await, r#"{"code":404,"message":"Not Found"}"#);
        let method = call("POST", "/own").await.unwrap_or_default();
        assert_eq!(method.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert!(method.headers().contains_key(header::ALLOW));
        let own = call("GET", "/own").await.unwrap_or_default();
        assert_eq!(text(own).await, "handler's own");
    }
}
