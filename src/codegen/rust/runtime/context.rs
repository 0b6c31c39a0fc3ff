//! The request context every handler gets next to its typed request: what the spec does not
//! type but an implementation needs (headers, the extensions middleware added, the peer address,
//! who is calling) and what a response carries beyond its declared shape (repeated and
//! undeclared headers, several `Set-Cookie`). One argument, so that needing one more thing never
//! changes a signature.

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::ConnectInfo;
use axum::http::header::{IntoHeaderName, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, HeaderValue, Method, Uri};
use axum::response::Response;

use super::Authenticated;

/// The request a handler is answering, beyond its typed input, and the principal its security
/// authenticated. `P` is the `Api`'s `Principal` (`()` when the spec declares no security).
pub struct RequestContext<P = ()> {
    parts: Parts,
    principals: Vec<Authenticated<P>>,
    response_headers: ResponseHeaders,
}

impl<P> RequestContext<P> {
    pub fn new(parts: Parts, principals: Vec<Authenticated<P>>) -> RequestContext<P> {
        RequestContext {
            parts,
            principals,
            response_headers: ResponseHeaders::default(),
        }
    }

    /// Every header as received, declared or not (`Authorization` included: do not log it).
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }

    /// What middleware layered on the router put in the request (a request id, a tracing
    /// span, a database transaction, ...).
    pub fn extensions(&self) -> &Extensions {
        &self.parts.extensions
    }

    /// Mutable access to the extensions, to take something out of them.
    pub fn extensions_mut(&mut self) -> &mut Extensions {
        &mut self.parts.extensions
    }

    pub fn method(&self) -> &Method {
        &self.parts.method
    }

    /// The URI as received (the path includes the base path).
    pub fn uri(&self) -> &Uri {
        &self.parts.uri
    }

    /// The address of the client's end of the connection: set by [`serve`](super::serve) and
    /// [`serve_with_config`](super::serve_with_config) (or axum's
    /// `router.into_make_service_with_connect_info::<SocketAddr>()`); behind a proxy, the
    /// proxy's address (read `X-Forwarded-For` from [`headers`](Self::headers) only
    /// if the proxy is trusted to set it).
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0)
    }

    /// Of `offered` (a body enum's `MEDIA_TYPES`), the media type the request's `Accept` ranks
    /// highest, the first offered among equals; the first with no `Accept`; `None` when it
    /// admits none of them (the router has then answered `406` already, unless every media type
    /// it admits belongs to another response).
    pub fn preferred_media_type<'a>(&self, offered: &[&'a str]) -> Option<&'a str> {
        super::media::preferred_media_type(&self.parts.headers, offered)
    }

    /// The principal the operation's security authenticated: the first scheme's of the
    /// satisfied alternative. `None` when the operation is open or was called anonymously
    /// (where `{}` allows it); never `None` on an operation that requires credentials.
    pub fn principal(&self) -> Option<&P> {
        self.principals.first().map(|p| &p.principal)
    }

    /// Every scheme's principal, when the satisfied alternative combines several schemes
    /// (`{api_key: [], bearer: []}`), in the spec's order.
    pub fn principals(&self) -> &[Authenticated<P>] {
        &self.principals
    }

    /// The principal, by value.
    pub fn into_principal(self) -> Option<P> {
        self.principals.into_iter().next().map(|p| p.principal)
    }

    /// Adds a header to the response the handler returns, whatever it is: a header the spec
    /// does not declare, or another value of one (appended: values already there are kept).
    pub fn append_response_header(&self, name: impl IntoHeaderName, value: HeaderValue) {
        self.response_headers.append(name, value);
    }

    /// Adds a `Set-Cookie` to the response the handler returns (one per cookie: call it for each).
    pub fn set_cookie(&self, cookie: HeaderValue) {
        self.response_headers.append(SET_COOKIE, cookie);
    }

    /// The headers [`append_response_header`](Self::append_response_header) and
    /// [`set_cookie`](Self::set_cookie) collect: a handle the router keeps to add them to the
    /// handler's response (and that a task the handler spawns can add to until it returns).
    pub fn response_headers(&self) -> ResponseHeaders {
        self.response_headers.clone()
    }
}

/// Headers added to a handler's response beyond the ones its variant declares, shared between
/// the handler's [`RequestContext`] and the router, which appends them once the handler returns.
#[derive(Clone, Default)]
pub struct ResponseHeaders(Arc<Mutex<HeaderMap>>);

impl ResponseHeaders {
    /// Adds a value (values already there are kept).
    pub fn append(&self, name: impl IntoHeaderName, value: HeaderValue) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .append(name, value);
    }

    /// `response` with every header added so far appended to its own.
    pub fn apply(&self, mut response: Response) -> Response {
        let added = {
            let mut added = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            // Most handlers add none: the response is left as it is.
            if added.is_empty() {
                return response;
            }
            std::mem::take(&mut *added)
        };
        let headers = response.headers_mut();
        let mut name = None;
        for (next, value) in added {
            // `HeaderMap::into_iter` names a header once, before its first value.
            if next.is_some() {
                name = next;
            }
            if let Some(name) = &name {
                headers.append(name, value);
            }
        }
        response
    }
}

/// Shows the header names, never their values (cookies are credentials).
impl fmt::Debug for ResponseHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let added = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let names: Vec<&str> = added.keys().map(|k| k.as_str()).collect();
        f.debug_tuple("ResponseHeaders").field(&names).finish()
    }
}

/// Shows the method, the URI, the header names and the schemes, never a header's value nor a
/// principal: a context logged with `{:?}` does not leak credentials.
impl<P> fmt::Debug for RequestContext<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.parts.headers.keys().map(|k| k.as_str()).collect();
        let schemes: Vec<&str> = self.principals.iter().map(|p| p.scheme).collect();
        f.debug_struct("RequestContext")
            .field("method", &self.parts.method)
            .field("uri", &self.parts.uri)
            .field("headers", &headers)
            .field("authenticated", &schemes)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_credentials() {
        let (mut parts, ()) = axum::http::Request::builder()
            .uri("/pets?limit=1")
            .header("authorization", "Bearer s3cr3t")
            .body(())
            .expect("a request")
            .into_parts();
        parts
            .extensions
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 9))));
        let context = RequestContext::new(
            parts,
            vec![Authenticated {
                scheme: "bearer",
                principal: "alice",
            }],
        );
        let shown = format!("{context:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("alice"),
            "{shown}"
        );
        assert!(
            shown.contains("authorization") && shown.contains("bearer"),
            "{shown}"
        );
        assert_eq!(context.principal(), Some(&"alice"));
        assert_eq!(
            context.peer_addr(),
            Some(SocketAddr::from(([127, 0, 0, 1], 9)))
        );
        assert_eq!(context.headers().len(), 1);
        assert_eq!(context.into_principal(), Some("alice"));
    }

    #[test]
    fn added_headers_are_appended_to_the_response() {
        let (parts, ()) = axum::http::Request::builder()
            .body(())
            .expect("a request")
            .into_parts();
        let context = RequestContext::<()>::new(parts, Vec::new());
        let handle = context.response_headers();
        context.set_cookie(HeaderValue::from_static("a=1; HttpOnly"));
        context.set_cookie(HeaderValue::from_static("b=2"));
        context.append_response_header("x-trace", HeaderValue::from_static("t1"));
        context.append_response_header("x-rate-limit", HeaderValue::from_static("9"));
        assert_eq!(
            format!("{handle:?}"),
            r#"ResponseHeaders(["set-cookie", "x-trace", "x-rate-limit"])"#
        );
        drop(context);

        let mut response = Response::new(axum::body::Body::empty());
        response
            .headers_mut()
            .insert("x-rate-limit", HeaderValue::from_static("10"));
        let response = handle.apply(response);
        let values = |name: &str| -> Vec<&str> {
            response
                .headers()
                .get_all(name)
                .iter()
                .map(|v| v.to_str().unwrap_or("?"))
                .collect()
        };
        assert_eq!(values("set-cookie"), ["a=1; HttpOnly", "b=2"]);
        assert_eq!(values("x-trace"), ["t1"]);
        assert_eq!(values("x-rate-limit"), ["10", "9"]);
        // Applied once: the handle is empty afterwards.
        assert_eq!(format!("{handle:?}"), "ResponseHeaders([])");
    }
}
