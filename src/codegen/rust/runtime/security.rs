//! Security, enforced before a handler runs: the credentials of each scheme an operation names
//! are read from the request, handed to the implementer's hook of that scheme, and the spec's
//! semantics applied (alternatives OR, the schemes of one alternative AND, `{}` anonymous).
//! Failures are problem+json: `401` with `WWW-Authenticate` when credentials are missing or
//! invalid, `403` when they lack a required scope. Credentials are never logged nor echoed.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Problem;

/// How a security scheme carries its credentials (its OpenAPI `type`, and `scheme` or `in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `http` `bearer`: `Authorization: Bearer TOKEN`.
    Bearer,
    /// `http` `basic`: `Authorization: Basic base64(USER:PASSWORD)`.
    Basic,
    /// Another `http` scheme (`digest`, ...): `Authorization: SCHEME CREDENTIALS`, as written.
    Http(&'static str),
    /// `apiKey`: a header, query parameter or cookie of this name.
    ApiKey(KeyLocation, &'static str),
    /// `oauth2`: an access token sent as a bearer token.
    OAuth2,
    /// `openIdConnect`: an ID or access token sent as a bearer token.
    OpenIdConnect,
    /// `mutualTLS`: provided by the layer that terminates TLS, which puts a [`VerifiedClient`]
    /// in the request's extensions once it has verified the client's certificate.
    MutualTls,
    /// A scheme the requirement names but the document does not declare (or an `apiKey` in a
    /// location that cannot carry one): never satisfied.
    Unusable,
}

/// Where an API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

/// A security scheme of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its name under `components.securitySchemes`.
    pub name: &'static str,
    pub kind: SchemeKind,
}

/// One scheme of a security requirement, with the scopes (or roles) it requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemeRequirement {
    pub scheme: &'static SecurityScheme,
    pub scopes: &'static [&'static str],
}

/// The security of one operation, as the spec declares it (the operation's own `security`, or
/// the document's): what a middleware needs to know about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationSecurity {
    /// The `operationId`, or `METHOD /path` when there is none.
    pub operation: &'static str,
    /// `GET`, `POST`, ...
    pub method: &'static str,
    /// The path template as the spec writes it (without the base path).
    pub path: &'static str,
    /// Alternatives: one satisfied is enough. The schemes of one alternative are all required;
    /// an empty alternative (`{}`) allows anonymous requests. No alternative at all: open.
    pub requirements: &'static [&'static [SchemeRequirement]],
}

impl OperationSecurity {
    /// Whether a request without credentials is let through.
    pub fn allows_anonymous(&self) -> bool {
        self.requirements.is_empty() || self.requirements.iter().any(|r| r.is_empty())
    }
}

/// What the TLS layer puts in a request's extensions once it has verified the client's
/// certificate: the `mutualTLS` scheme is satisfied only by requests that carry it.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedClient {
    /// The certificate's subject (or whatever identity the layer extracted).
    pub subject: String,
}

impl fmt::Debug for VerifiedClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedClient").finish_non_exhaustive()
    }
}

/// The credentials a request presents for one scheme. `Debug` does not show them.
pub enum Credential<'r> {
    /// A bearer token (`http` `bearer`, `oauth2`, `openIdConnect`).
    Token(&'r str),
    /// A user and password (`http` `basic`).
    Basic { user: String, password: String },
    /// The credentials of another `http` scheme, after the scheme's name.
    Http(&'r str),
    /// An API key (percent-decoded when it comes from the query string).
    ApiKey(Cow<'r, str>),
    /// The client the TLS layer verified.
    Client(&'r VerifiedClient),
}

impl fmt::Debug for Credential<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Credential::Token(_) => "Token",
            Credential::Basic { .. } => "Basic",
            Credential::Http(_) => "Http",
            Credential::ApiKey(_) => "ApiKey",
            Credential::Client(_) => "Client",
        };
        write!(f, "Credential::{kind}(..)")
    }
}

/// Why a hook refused credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthError {
    /// The credentials are not valid (unknown, expired, revoked): `401`.
    Unauthenticated,
    /// The credentials are valid but do not grant the required scopes: `403`.
    Forbidden,
    /// They could not be checked (the identity provider is down): `503`.
    Unavailable,
}

/// The principal one scheme authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated<P> {
    /// The scheme's name.
    pub scheme: &'static str,
    pub principal: P,
}

/// Checks the credentials of one scheme: what the generated code implements by calling the
/// implementer's hook of that scheme.
pub trait Authenticator: Sync {
    type Principal: Send;

    fn authenticate(
        &self,
        scheme: &'static SecurityScheme,
        credential: Credential<'_>,
        scopes: &'static [&'static str],
    ) -> impl Future<Output = Result<Self::Principal, AuthError>> + Send;
}

/// What the request presents for a scheme.
enum Presented<'r> {
    Absent,
    /// Present but unreadable (two values, bad base64, an empty token): invalid.
    Malformed,
    Present(Credential<'r>),
}

/// Reads the credentials of `scheme` from a request.
fn presented<'r>(scheme: &SecurityScheme, parts: &'r Parts) -> Presented<'r> {
    match scheme.kind {
        SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => {
            authorization(&parts.headers, "Bearer", Credential::Token)
        }
        SchemeKind::Http(name) => authorization(&parts.headers, name, Credential::Http),
        SchemeKind::Basic => match authorization(&parts.headers, "Basic", Credential::Http) {
            Presented::Present(Credential::Http(encoded)) => basic(encoded),
            Presented::Present(_) | Presented::Malformed => Presented::Malformed,
            Presented::Absent => Presented::Absent,
        },
        SchemeKind::ApiKey(KeyLocation::Header, name) => {
            let mut values = parts.headers.get_all(name).iter();
            match (values.next(), values.next()) {
                (None, _) => Presented::Absent,
                (Some(value), None) => match value.to_str() {
                    Ok(key) if !key.trim().is_empty() => {
                        Presented::Present(Credential::ApiKey(Cow::Borrowed(key.trim())))
                    }
                    _ => Presented::Malformed,
                },
                (Some(_), Some(_)) => Presented::Malformed,
            }
        }
        SchemeKind::ApiKey(KeyLocation::Query, name) => {
            let query = parts.uri.query().unwrap_or("");
            let mut values = form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k == name);
            match (values.next(), values.next()) {
                (None, _) => Presented::Absent,
                (Some((_, key)), None) if !key.is_empty() => {
                    Presented::Present(Credential::ApiKey(key))
                }
                _ => Presented::Malformed,
            }
        }
        SchemeKind::ApiKey(KeyLocation::Cookie, name) => {
            let mut values = parts
                .headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|pair| pair.trim().split_once('='))
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| v.trim().trim_matches('"'));
            match (values.next(), values.next()) {
                (None, _) => Presented::Absent,
                (Some(key), None) if !key.is_empty() => {
                    Presented::Present(Credential::ApiKey(Cow::Borrowed(key)))
                }
                _ => Presented::Malformed,
            }
        }
        SchemeKind::MutualTls => match parts.extensions.get::<VerifiedClient>() {
            Some(client) => Presented::Present(Credential::Client(client)),
            None => Presented::Absent,
        },
        SchemeKind::Unusable => Presented::Absent,
    }
}

/// The credentials after `SCHEME ` in the one `Authorization` header, if its scheme is `name`.
fn authorization<'r>(
    headers: &'r HeaderMap,
    name: &str,
    credential: fn(&'r str) -> Credential<'r>,
) -> Presented<'r> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let value = match (values.next(), values.next()) {
        (None, _) => return Presented::Absent,
        (Some(value), None) => value,
        (Some(_), Some(_)) => return Presented::Malformed,
    };
    let Ok(text) = value.to_str() else {
        return Presented::Malformed;
    };
    let text = text.trim();
    let (scheme, rest) = text.split_once(' ').unwrap_or((text, ""));
    if !scheme.eq_ignore_ascii_case(name) {
        return Presented::Absent;
    }
    match rest.trim() {
        "" => Presented::Malformed,
        rest => Presented::Present(credential(rest)),
    }
}

/// `base64(user:password)`, as RFC 7617 sends it (UTF-8).
fn basic<'r>(encoded: &str) -> Presented<'r> {
    let Some(decoded) = decode_base64(encoded) else {
        return Presented::Malformed;
    };
    let Ok(text) = String::from_utf8(decoded) else {
        return Presented::Malformed;
    };
    match text.split_once(':') {
        Some((user, password)) => Presented::Present(Credential::Basic {
            user: user.to_string(),
            password: password.to_string(),
        }),
        None => Presented::Malformed,
    }
}

/// Standard base64 with optional padding; `None` on any other character.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    // A lone trailing character carries fewer than 8 bits: not base64.
    if bits >= 6 {
        return None;
    }
    Some(out)
}

/// How one alternative fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// A credential it needs was not sent: the alternative does not apply.
    Missing,
    Invalid,
    Forbidden,
    Unavailable,
}

/// Applies `security` to a request: the principals of the alternative that is satisfied (none
/// for an anonymous request an empty alternative allows), or the `401`/`403`/`503` problem.
///
/// Alternatives are tried in order; a hook is called only when every credential of its
/// alternative is present, and the first fully authenticated alternative wins. Credentials that
/// are sent must be valid even where anonymous access is allowed: a client that believes it is
/// authenticated is told it is not, rather than being served as anonymous.
///
/// Examining the credentials takes no hook: the future is ready at once unless a hook has to
/// say (every credential of an alternative is present). The hooks' futures are then boxed, so
/// that their size does not weigh on every handler's future, which axum boxes and moves for
/// each request (an anonymous call allocates nothing here).
pub fn authorize<'a, A: Authenticator>(
    authenticator: &'a A,
    parts: &'a Parts,
    security: &'static OperationSecurity,
    realm: &'a str,
) -> Authorization<'a, A::Principal> {
    let mut worst = Outcome::Missing;
    let mut presented_any = false;
    for requirement in security.requirements.iter().filter(|r| !r.is_empty()) {
        let examined = examine(requirement, parts);
        let Some(outcome) = examined.outcome else {
            let hooks = authenticate(authenticator, parts, security);
            return Authorization {
                state: AuthorizationState::Hooks(Box::pin(hooks)),
                security,
                realm,
            };
        };
        presented_any |= examined.presented_any();
        worst = worst.max(outcome);
    }
    Authorization {
        state: AuthorizationState::Ready(Some(decide(security, worst, presented_any))),
        security,
        realm,
    }
}

/// The future [`authorize`] returns: the principals, or the `401`/`403`/`503` problem.
pub struct Authorization<'a, P> {
    state: AuthorizationState<'a, P>,
    security: &'static OperationSecurity,
    realm: &'a str,
}

type Decision<P> = Result<Vec<Authenticated<P>>, Outcome>;

enum AuthorizationState<'a, P> {
    Ready(Option<Decision<P>>),
    Hooks(Pin<Box<dyn Future<Output = Decision<P>> + Send + 'a>>),
}

// Nothing of it is pinned in place: the hooks' future is pinned in its box.
impl<P> Unpin for Authorization<'_, P> {}

impl<P> Future for Authorization<'_, P> {
    type Output = Result<Vec<Authenticated<P>>, Response>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let decision = match &mut this.state {
            AuthorizationState::Ready(decision) => match decision.take() {
                Some(decision) => decision,
                None => panic!("`Authorization` polled after completion"),
            },
            AuthorizationState::Hooks(hooks) => std::task::ready!(hooks.as_mut().poll(cx)),
        };
        Poll::Ready(decision.map_err(|outcome| refusal(this.security, outcome, this.realm)))
    }
}

/// What a request presents for one alternative: the credentials it needs, and why it does not
/// apply (`None`: every credential is there, for the hooks to judge).
struct Examined<'r> {
    credentials: Vec<(&'static SchemeRequirement, Credential<'r>)>,
    outcome: Option<Outcome>,
}

impl Examined<'_> {
    /// Whether the client sent something for this alternative (a credential, or one malformed).
    fn presented_any(&self) -> bool {
        !self.credentials.is_empty() || self.outcome == Some(Outcome::Invalid)
    }
}

fn examine<'r>(requirement: &'static [SchemeRequirement], parts: &'r Parts) -> Examined<'r> {
    // Allocated only when a credential is sent: an anonymous call allocates nothing here.
    let mut credentials = Vec::new();
    let mut outcome = None;
    for needed in requirement {
        match presented(needed.scheme, parts) {
            Presented::Present(credential) => credentials.push((needed, credential)),
            Presented::Absent => {
                outcome.get_or_insert(Outcome::Missing);
            }
            Presented::Malformed => {
                outcome = Some(Outcome::Invalid);
            }
        }
    }
    Examined {
        credentials,
        outcome,
    }
}

/// Alternatives are tried in order, each hook called only when every credential of its
/// alternative is present.
async fn authenticate<A: Authenticator>(
    authenticator: &A,
    parts: &Parts,
    security: &'static OperationSecurity,
) -> Decision<A::Principal> {
    let mut worst = Outcome::Missing;
    let mut presented_any = false;
    for requirement in security.requirements.iter().filter(|r| !r.is_empty()) {
        let examined = examine(requirement, parts);
        presented_any |= examined.presented_any();
        let mut outcome = examined.outcome;
        if outcome.is_none() {
            let mut principals = Vec::new();
            for (needed, credential) in examined.credentials {
                let result = authenticator
                    .authenticate(needed.scheme, credential, needed.scopes)
                    .await;
                match result {
                    Ok(principal) => principals.push(Authenticated {
                        scheme: needed.scheme.name,
                        principal,
                    }),
                    Err(error) => {
                        outcome = Some(match error {
                            AuthError::Unauthenticated => Outcome::Invalid,
                            AuthError::Forbidden => Outcome::Forbidden,
                            AuthError::Unavailable => Outcome::Unavailable,
                        });
                        break;
                    }
                }
            }
            if outcome.is_none() {
                return Ok(principals);
            }
        }
        worst = worst.max(outcome.unwrap_or(Outcome::Missing));
    }
    decide(security, worst, presented_any)
}

/// The end of the alternatives, none satisfied: anonymous access where the operation allows it
/// and the client sent nothing, else the worst outcome.
fn decide<P>(security: &OperationSecurity, worst: Outcome, presented_any: bool) -> Decision<P> {
    if worst == Outcome::Missing && (security.allows_anonymous() && !presented_any) {
        return Ok(Vec::new());
    }
    Err(worst)
}

/// The problem a refused request gets. Its detail names schemes and places, never a value.
fn refusal(security: &OperationSecurity, outcome: Outcome, realm: &str) -> Response {
    let (status, detail) = match outcome {
        Outcome::Missing => (
            StatusCode::UNAUTHORIZED,
            format!("this operation requires {}", describe(security)),
        ),
        Outcome::Invalid => (
            StatusCode::UNAUTHORIZED,
            format!(
                "the credentials sent are not valid; this operation requires {}",
                describe(security)
            ),
        ),
        Outcome::Forbidden => (
            StatusCode::FORBIDDEN,
            "the credentials sent do not grant the scopes this operation requires".to_string(),
        ),
        Outcome::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the credentials could not be checked; try again later".to_string(),
        ),
    };
    let mut response = Problem::new(status, detail).into_response();
    let challenges = match outcome {
        Outcome::Missing | Outcome::Invalid => challenges(security, realm, outcome),
        Outcome::Forbidden => bearer_scope_challenges(security, realm),
        Outcome::Unavailable => Vec::new(),
    };
    for challenge in challenges {
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            response
                .headers_mut()
                .append(header::WWW_AUTHENTICATE, value);
        }
    }
    response
}

/// `a bearer token (bearer) or an API key in the X-API-Key header (api_key) and ...`.
fn describe(security: &OperationSecurity) -> String {
    let alternatives: Vec<String> = security
        .requirements
        .iter()
        .filter(|r| !r.is_empty())
        .map(|requirement| {
            let schemes: Vec<String> = requirement
                .iter()
                .map(|needed| {
                    let scheme = needed.scheme;
                    let what = match scheme.kind {
                        SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => {
                            "a bearer token".to_string()
                        }
                        SchemeKind::Basic => "a user and password (Basic)".to_string(),
                        SchemeKind::Http(name) => format!("{name} credentials"),
                        SchemeKind::ApiKey(KeyLocation::Header, name) => {
                            format!("an API key in the {name} header")
                        }
                        SchemeKind::ApiKey(KeyLocation::Query, name) => {
                            format!("an API key in the {name} query parameter")
                        }
                        SchemeKind::ApiKey(KeyLocation::Cookie, name) => {
                            format!("an API key in the {name} cookie")
                        }
                        SchemeKind::MutualTls => "a verified client certificate".to_string(),
                        SchemeKind::Unusable => "a scheme this server cannot check".to_string(),
                    };
                    format!("{what} ({})", scheme.name)
                })
                .collect();
            schemes.join(" and ")
        })
        .collect();
    alternatives.join(", or ")
}

/// The `WWW-Authenticate` challenges of the schemes `security` names, first use first.
fn challenges(security: &OperationSecurity, realm: &str, outcome: Outcome) -> Vec<String> {
    let realm = quoted(realm);
    let mut seen: Vec<&str> = Vec::new();
    let mut challenges = Vec::new();
    for needed in security.requirements.iter().flat_map(|r| r.iter()) {
        let scheme = needed.scheme;
        if seen.contains(&scheme.name) {
            continue;
        }
        seen.push(scheme.name);
        let challenge = match scheme.kind {
            SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => {
                let mut challenge = format!("Bearer realm={realm}");
                if !needed.scopes.is_empty() {
                    challenge.push_str(&format!(", scope={}", quoted(&needed.scopes.join(" "))));
                }
                if outcome == Outcome::Invalid {
                    challenge.push_str(", error=\"invalid_token\"");
                }
                challenge
            }
            SchemeKind::Basic => format!("Basic realm={realm}, charset=\"UTF-8\""),
            SchemeKind::Http(name) => format!("{name} realm={realm}"),
            SchemeKind::ApiKey(location, name) => {
                let location = match location {
                    KeyLocation::Header => "header",
                    KeyLocation::Query => "query",
                    KeyLocation::Cookie => "cookie",
                };
                format!(
                    "ApiKey realm={realm}, in=\"{location}\", name={}",
                    quoted(name)
                )
            }
            SchemeKind::MutualTls | SchemeKind::Unusable => continue,
        };
        if !challenges.contains(&challenge) {
            challenges.push(challenge);
        }
    }
    challenges
}

/// RFC 6750's `insufficient_scope` challenge for every bearer-like scheme requiring scopes.
fn bearer_scope_challenges(security: &OperationSecurity, realm: &str) -> Vec<String> {
    let realm = quoted(realm);
    let mut challenges: Vec<String> = Vec::new();
    for needed in security.requirements.iter().flat_map(|r| r.iter()) {
        let bearer = matches!(
            needed.scheme.kind,
            SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect
        );
        if bearer && !needed.scopes.is_empty() {
            let challenge = format!(
                "Bearer realm={realm}, error=\"insufficient_scope\", scope={}",
                quoted(&needed.scopes.join(" "))
            );
            if !challenges.contains(&challenge) {
                challenges.push(challenge);
            }
        }
    }
    challenges
}

/// An HTTP quoted-string; control characters (which a header cannot carry) become spaces.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use axum::http::Request;

    static BEARER: SecurityScheme = SecurityScheme {
        name: "bearer",
        kind: SchemeKind::Bearer,
    };
    static KEY: SecurityScheme = SecurityScheme {
        name: "api_key",
        kind: SchemeKind::ApiKey(KeyLocation::Header, "x-api-key"),
    };
    static BASIC: SecurityScheme = SecurityScheme {
        name: "basic",
        kind: SchemeKind::Basic,
    };
    static QUERY_KEY: SecurityScheme = SecurityScheme {
        name: "q",
        kind: SchemeKind::ApiKey(KeyLocation::Query, "key"),
    };
    static COOKIE_KEY: SecurityScheme = SecurityScheme {
        name: "c",
        kind: SchemeKind::ApiKey(KeyLocation::Cookie, "session"),
    };

    /// `[{bearer: [write]}, {api_key: [], bearer: []}]`.
    static DELETE: OperationSecurity = OperationSecurity {
        operation: "deletePet",
        method: "DELETE",
        path: "/pets/{petId}",
        requirements: &[
            &[SchemeRequirement {
                scheme: &BEARER,
                scopes: &["write"],
            }],
            &[
                SchemeRequirement {
                    scheme: &KEY,
                    scopes: &[],
                },
                SchemeRequirement {
                    scheme: &BEARER,
                    scopes: &[],
                },
            ],
        ],
    };

    /// `[{}, {basic: []}, {q: []}, {c: []}]`.
    static OPTIONAL: OperationSecurity = OperationSecurity {
        operation: "list",
        method: "GET",
        path: "/",
        requirements: &[
            &[],
            &[SchemeRequirement {
                scheme: &BASIC,
                scopes: &[],
            }],
            &[SchemeRequirement {
                scheme: &QUERY_KEY,
                scopes: &[],
            }],
            &[SchemeRequirement {
                scheme: &COOKIE_KEY,
                scopes: &[],
            }],
        ],
    };

    /// Accepts the token `t` (scope `write` only with `t-write`), the key `k`, the user
    /// `u:p`; `down` is unavailable.
    struct Hooks;

    impl Authenticator for Hooks {
        type Principal = String;

        async fn authenticate(
            &self,
            scheme: &'static SecurityScheme,
            credential: Credential<'_>,
            scopes: &'static [&'static str],
        ) -> Result<String, AuthError> {
            let who = match credential {
                Credential::Token("down") => return Err(AuthError::Unavailable),
                Credential::Token("t") if scopes.is_empty() => "token",
                Credential::Token("t") => return Err(AuthError::Forbidden),
                Credential::Token("t-write") => "writer",
                Credential::ApiKey(key) if key == "k" => "key",
                Credential::Basic { user, password } if user == "u" && password == "p" => "user",
                _ => return Err(AuthError::Unauthenticated),
            };
            Ok(format!("{}:{who}", scheme.name))
        }
    }

    fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut request = Request::builder().uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).expect("a request").into_parts().0
    }

    fn run(
        security: &'static OperationSecurity,
        uri: &str,
        headers: &[(&str, &str)],
    ) -> Result<Vec<String>, (u16, Vec<String>, String)> {
        let parts = parts(uri, headers);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        match runtime.block_on(authorize(&Hooks, &parts, security, "Pet \"store\"")) {
            Ok(principals) => Ok(principals.into_iter().map(|p| p.principal).collect()),
            Err(response) => {
                let status = response.status().as_u16();
                let challenges = response
                    .headers()
                    .get_all(header::WWW_AUTHENTICATE)
                    .iter()
                    .map(|v| v.to_str().unwrap_or("").to_string())
                    .collect();
                let body = runtime.block_on(async {
                    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
                        .await
                        .unwrap_or_default();
                    String::from_utf8_lossy(&bytes).into_owned()
                });
                Err((status, challenges, body))
            }
        }
    }

    #[test]
    fn alternatives_are_or_and_schemes_inside_one_are_and() {
        // The first alternative, with its scope.
        assert_eq!(
            run(&DELETE, "/", &[("authorization", "Bearer t-write")]),
            Ok(vec!["bearer:writer".to_string()])
        );
        // The second: the key and a token, both.
        assert_eq!(
            run(
                &DELETE,
                "/",
                &[("authorization", "bearer t"), ("x-api-key", "k")]
            ),
            Ok(vec!["api_key:key".to_string(), "bearer:token".to_string()])
        );
        // The key alone satisfies neither.
        let (status, challenges, body) =
            run(&DELETE, "/", &[("x-api-key", "k")]).expect_err("refused");
        assert_eq!(status, 401);
        assert_eq!(
            challenges,
            [
                "Bearer realm=\"Pet \\\"store\\\"\", scope=\"write\"",
                "ApiKey realm=\"Pet \\\"store\\\"\", in=\"header\", name=\"x-api-key\""
            ]
        );
        assert!(
            body.contains("a bearer token (bearer), or an API key in the x-api-key header (api_key) and a bearer token (bearer)"),
            "{body}"
        );
    }

    #[test]
    fn scopes_missing_is_403_and_bad_credentials_401_without_echo() {
        let (status, challenges, body) =
            run(&DELETE, "/", &[("authorization", "Bearer t")]).expect_err("refused");
        assert_eq!(status, 403);
        assert_eq!(
            challenges,
            ["Bearer realm=\"Pet \\\"store\\\"\", error=\"insufficient_scope\", scope=\"write\""]
        );
        assert!(body.contains("\"status\":403"), "{body}");

        let secret = "s3cr3t-value";
        let (status, challenges, body) = run(
            &DELETE,
            "/",
            &[("authorization", &format!("Bearer {secret}"))],
        )
        .expect_err("refused");
        assert_eq!(status, 401);
        assert!(
            challenges[0].ends_with("error=\"invalid_token\""),
            "{challenges:?}"
        );
        assert!(!body.contains(secret), "{body}");

        let (status, _, _) =
            run(&DELETE, "/", &[("authorization", "Bearer down")]).expect_err("refused");
        assert_eq!(status, 503);
    }

    #[test]
    fn anonymous_is_allowed_by_an_empty_alternative_but_bad_credentials_are_not() {
        assert_eq!(run(&OPTIONAL, "/", &[]), Ok(vec![]));
        assert_eq!(
            run(&OPTIONAL, "/", &[("authorization", "Basic dTpw")]),
            Ok(vec!["basic:user".to_string()])
        );
        assert_eq!(
            run(&OPTIONAL, "/?key=k", &[]),
            Ok(vec!["q:key".to_string()])
        );
        assert_eq!(
            run(&OPTIONAL, "/", &[("cookie", "a=1; session=k")]),
            Ok(vec!["c:key".to_string()])
        );
        // Sent but wrong: refused, although anonymous access is allowed.
        let (status, challenges, _) =
            run(&OPTIONAL, "/", &[("authorization", "Basic dTp4")]).expect_err("refused");
        assert_eq!(status, 401);
        assert_eq!(
            challenges[0],
            "Basic realm=\"Pet \\\"store\\\"\", charset=\"UTF-8\""
        );
        // Malformed or repeated: refused.
        for (uri, headers) in [
            ("/", vec![("authorization", "Basic !!!")]),
            ("/", vec![("authorization", "Basic dXA=")]),
            ("/?key=k&key=k", vec![]),
            ("/?key=", vec![]),
            ("/", vec![("cookie", "session=k; session=k")]),
        ] {
            assert_eq!(
                run(&OPTIONAL, uri, &headers).map_err(|e| e.0),
                Err(401),
                "{uri} {headers:?}"
            );
        }
        // Another Authorization scheme is not this scheme's credential.
        assert_eq!(
            run(&OPTIONAL, "/", &[("authorization", "Bearer t")]),
            Ok(vec![])
        );
    }

    #[test]
    fn open_operations_need_nothing() {
        static OPEN: OperationSecurity = OperationSecurity {
            operation: "open",
            method: "GET",
            path: "/",
            requirements: &[],
        };
        assert_eq!(run(&OPEN, "/", &[]), Ok(vec![]));
        assert!(OPEN.allows_anonymous());
        assert!(!DELETE.allows_anonymous());
    }

    /// mutualTLS is what the TLS layer says: a `VerifiedClient` in the extensions, or nothing.
    #[test]
    fn mutual_tls_is_provided_by_the_layer() {
        static MTLS: SecurityScheme = SecurityScheme {
            name: "mtls",
            kind: SchemeKind::MutualTls,
        };
        static CLIENT_ONLY: OperationSecurity = OperationSecurity {
            operation: "m",
            method: "GET",
            path: "/",
            requirements: &[&[SchemeRequirement {
                scheme: &MTLS,
                scopes: &[],
            }]],
        };
        struct Layer;
        impl Authenticator for Layer {
            type Principal = String;
            async fn authenticate(
                &self,
                _scheme: &'static SecurityScheme,
                credential: Credential<'_>,
                _scopes: &'static [&'static str],
            ) -> Result<String, AuthError> {
                match credential {
                    Credential::Client(client) => Ok(client.subject.clone()),
                    _ => Err(AuthError::Unauthenticated),
                }
            }
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        let mut verified = parts("/", &[]);
        verified.extensions.insert(VerifiedClient {
            subject: "CN=shop".into(),
        });
        let principals = runtime
            .block_on(authorize(&Layer, &verified, &CLIENT_ONLY, "r"))
            .expect("verified");
        assert_eq!(principals[0].principal, "CN=shop");
        let refused = runtime
            .block_on(authorize(&Layer, &parts("/", &[]), &CLIENT_ONLY, "r"))
            .expect_err("no certificate");
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
        // No challenge exists for a certificate.
        assert!(refused.headers().get(header::WWW_AUTHENTICATE).is_none());
        assert_eq!(
            format!(
                "{:?}",
                VerifiedClient {
                    subject: "CN=x".into()
                }
            ),
            "VerifiedClient { .. }"
        );
    }

    #[test]
    fn base64_is_decoded_strictly() {
        assert_eq!(decode_base64("dTpw"), Some(b"u:p".to_vec()));
        assert_eq!(decode_base64("YQ=="), Some(b"a".to_vec()));
        assert_eq!(decode_base64("YWI="), Some(b"ab".to_vec()));
        assert_eq!(decode_base64("Y"), None);
        assert_eq!(decode_base64("a b"), None);
        assert_eq!(
            format!("{:?}", Credential::Token("secret")),
            "Credential::Token(..)"
        );
    }
}
