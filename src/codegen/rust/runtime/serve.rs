//! Serving: the limits a server protects itself with, the fallbacks for unknown paths and
//! methods, panics as `500` problems, and graceful shutdown.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Problem;

/// How the server protects itself. Every limit can be changed or switched off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The largest request body accepted, in bytes: larger ones get `413 Payload Too Large`.
    /// `None` accepts any size.
    pub body_limit: Option<usize>,
    /// How long a request may take, body reading included: slower ones get
    /// `503 Service Unavailable`. `None` waits forever.
    pub request_timeout: Option<Duration>,
    /// Whether a panic in a handler becomes a `500` problem (the server keeps serving) rather
    /// than a dropped connection.
    pub catch_panics: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            body_limit: Some(2 * 1024 * 1024),
            request_timeout: Some(Duration::from_secs(30)),
            catch_panics: true,
        }
    }
}

/// `404` for a path no operation matches.
pub async fn not_found(request: Request) -> Response {
    Problem::new(
        StatusCode::NOT_FOUND,
        format!("no operation matches {}", request.uri().path()),
    )
    .into_response()
}

/// `405` for a path whose operations do not include the method (axum adds `Allow`).
pub async fn method_not_allowed(request: Request) -> Response {
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

/// Applies the hardening layers of `config` to a router.
pub fn harden<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    config: &ServerConfig,
) -> Router<S> {
    let mut router = router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::disable());
    if let Some(timeout) = config.request_timeout {
        router = router.layer(axum::middleware::from_fn(
            move |request: Request, next: Next| async move {
                match tokio::time::timeout(timeout, next.run(request)).await {
                    Ok(response) => response,
                    Err(_) => Problem::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        format!("the request took longer than {} ms", timeout.as_millis()),
                    )
                    .into_response(),
                }
            },
        ));
    }
    if config.catch_panics {
        router = router.layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ));
    }
    router
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish (graceful shutdown).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
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
