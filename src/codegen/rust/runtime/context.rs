//! The request context every handler gets next to its typed request: what the spec does not
//! type but an implementation needs (headers, the extensions middleware added, the peer address,
//! who is calling). One argument, so that needing one more thing never changes a signature.

use std::fmt;
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, Method, Uri};

use super::Authenticated;

/// The request a handler is answering, beyond its typed input, and the principal its security
/// authenticated. `P` is the `Api`'s `Principal` (`()` when the spec declares no security).
pub struct RequestContext<P = ()> {
    parts: Parts,
    principals: Vec<Authenticated<P>>,
}

impl<P> RequestContext<P> {
    pub fn new(parts: Parts, principals: Vec<Authenticated<P>>) -> RequestContext<P> {
        RequestContext { parts, principals }
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
}
