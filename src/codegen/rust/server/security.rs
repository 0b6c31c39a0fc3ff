//! The security of the generated server: a static per scheme and per operation (what the
//! router enforces and middleware reads), and a hook per usable scheme on the `Api` trait.

use super::ServerBuilder;
use super::view::{HookParamView, HookView, OperationSecurityView, RequirementView, SchemeView};
use crate::codegen::rust::naming::{doc_attrs, snake_ident, stem, string_literal};
use crate::model::wire::SecurityAlternative;
use crate::model::{Operation, ParameterLocation, SecurityScheme};

/// How a scheme's credential reaches its hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HookKind {
    Token,
    Basic,
    Http,
    ApiKey,
    Client,
    /// An undeclared scheme, or an API key where none can travel: no hook, never satisfied.
    Unusable,
}

/// The runtime's description of a scheme (`runtime::SchemeKind`).
struct KindView {
    kind: &'static str,
    http_scheme: Option<String>,
    key_location: Option<&'static str>,
    key_name: Option<String>,
}

impl KindView {
    fn plain(kind: &'static str) -> KindView {
        KindView {
            kind,
            http_scheme: None,
            key_location: None,
            key_name: None,
        }
    }
}

/// The runtime's description of a scheme, how its hook takes the credential, and a note for
/// the implementer.
fn scheme_kind(scheme: Option<&SecurityScheme>) -> (KindView, HookKind, String) {
    let Some(scheme) = scheme else {
        return (
            KindView::plain("Unusable"),
            HookKind::Unusable,
            "Not declared in `components.securitySchemes`: requests never satisfy it.".into(),
        );
    };
    match scheme {
        SecurityScheme::Http {
            scheme,
            bearer_format,
            ..
        } => match scheme.to_ascii_lowercase().as_str() {
            "bearer" => (
                KindView::plain("Bearer"),
                HookKind::Token,
                match bearer_format {
                    Some(format) => format!("HTTP bearer token (`Authorization: Bearer ...`, {format})."),
                    None => "HTTP bearer token (`Authorization: Bearer ...`).".into(),
                },
            ),
            "basic" => (
                KindView::plain("Basic"),
                HookKind::Basic,
                "HTTP Basic (`Authorization: Basic base64(user:password)`).".into(),
            ),
            _ => (
                KindView {
                    http_scheme: Some(string_literal(scheme)),
                    ..KindView::plain("Http")
                },
                HookKind::Http,
                format!("HTTP `{scheme}` (`Authorization: {scheme} ...`): the hook gets what follows the scheme's name."),
            ),
        },
        SecurityScheme::ApiKey { name, location, .. } => {
            let (location, name) = match location {
                ParameterLocation::Header => ("Header", name.to_ascii_lowercase()),
                ParameterLocation::Query => ("Query", name.clone()),
                ParameterLocation::Cookie => ("Cookie", name.clone()),
                ParameterLocation::Path | ParameterLocation::QueryString => {
                    return (
                        KindView::plain("Unusable"),
                        HookKind::Unusable,
                        format!("An API key in the {} cannot be read: requests never satisfy it.", location.as_str()),
                    );
                }
            };
            (
                KindView {
                    key_location: Some(location),
                    key_name: Some(string_literal(&name)),
                    ..KindView::plain("ApiKey")
                },
                HookKind::ApiKey,
                format!("API key in the `{name}` {}.", location.to_ascii_lowercase()),
            )
        }
        SecurityScheme::OAuth2 { .. } => (
            KindView::plain("OAuth2"),
            HookKind::Token,
            "OAuth 2 access token, sent as a bearer token: check it and its scopes.".into(),
        ),
        SecurityScheme::OpenIdConnect { url, .. } => (
            KindView::plain("OpenIdConnect"),
            HookKind::Token,
            format!("OpenID Connect ({url}) token, sent as a bearer token."),
        ),
        SecurityScheme::MutualTls { .. } => (
            KindView::plain("MutualTls"),
            HookKind::Client,
            "Mutual TLS, provided by the layer that terminates TLS: it verifies the client's certificate and puts a `runtime::VerifiedClient` in the request's extensions; requests without one do not satisfy the scheme.".into(),
        ),
    }
}

fn scheme_description(scheme: Option<&SecurityScheme>) -> Option<&str> {
    match scheme? {
        SecurityScheme::ApiKey { description, .. }
        | SecurityScheme::Http { description, .. }
        | SecurityScheme::OAuth2 { description, .. }
        | SecurityScheme::OpenIdConnect { description, .. }
        | SecurityScheme::MutualTls { description } => description.as_deref(),
    }
}

/// The SCREAMING_CASE form of an identifier (`r#type` → `TYPE`).
fn screaming(ident: &str) -> String {
    crate::codegen::rust::naming::unraw(ident).to_ascii_uppercase()
}
impl<'c> ServerBuilder<'_, 'c> {
    /// The static of a scheme, declared on first use.
    fn scheme_static(&mut self, op: &Operation, name: &'c str) -> String {
        if let Some((ident, _)) = self.schemes.get(name) {
            return ident.clone();
        }
        let scheme = self.contract.security_schemes.get(name);
        let (kind, hook, note) = scheme_kind(scheme);
        if hook == HookKind::Unusable {
            self.finding(
                op,
                format!(
                    "security scheme `{name}`: {note} Operations requiring it refuse every request."
                ),
            );
        }
        let ident = screaming(&self.statics.fresh(&snake_ident(&format!("scheme {name}"))));
        let description = scheme_description(scheme).unwrap_or("").trim();
        self.scheme_views.push(SchemeView {
            doc_attrs: doc_attrs(&format!(
                "The security scheme `{name}`: {note}\n\n{description}"
            )),
            ident: ident.clone(),
            name: string_literal(name),
            kind: kind.kind,
            http_scheme: kind.http_scheme,
            key_location: kind.key_location,
            key_name: kind.key_name,
        });
        self.schemes.insert(name, (ident.clone(), hook));
        ident
    }

    /// The static describing an operation's security; whether it requires credentials.
    pub(super) fn operation_security(
        &mut self,
        op: &'c Operation,
        handler: &str,
        security: &[SecurityAlternative<'c>],
    ) -> (String, bool) {
        let mut requirements = Vec::new();
        for alternative in security {
            let schemes: Vec<RequirementView> = alternative
                .schemes
                .iter()
                .map(|used| RequirementView {
                    scheme: self.scheme_static(op, used.name),
                    scopes: used.scopes.iter().map(|s| string_literal(s)).collect(),
                })
                .collect();
            requirements.push(schemes);
        }
        let ident = screaming(
            &self
                .statics
                .fresh(&snake_ident(&format!("security {}", stem(handler)))),
        );
        let operation = op.operation_id.clone().unwrap_or_else(|| op.label());
        let method = op.method.key().to_ascii_uppercase();
        self.operation_security.push(OperationSecurityView {
            doc_attrs: doc_attrs(&format!("The security of `{}`.", op.label())),
            ident: ident.clone(),
            operation: string_literal(&operation),
            method: string_literal(&method),
            path: string_literal(&op.path),
            requirements,
        });
        let requires = security.iter().any(|a| !a.schemes.is_empty());
        (ident, requires)
    }

    /// A hook on the trait per usable scheme, named after it.
    pub(super) fn hooks(&mut self) -> Vec<HookView> {
        let schemes: Vec<(&'c str, HookKind)> = self
            .schemes
            .iter()
            .map(|(name, (_, hook))| (*name, *hook))
            .collect();
        let mut hooks = Vec::new();
        for (name, hook) in schemes {
            let (credential, named, params) = match hook {
                HookKind::Token => (
                    "Token",
                    false,
                    vec![HookParamView {
                        name: "token",
                        ty: "&str",
                        borrowed: false,
                    }],
                ),
                HookKind::Basic => (
                    "Basic",
                    true,
                    vec![
                        HookParamView {
                            name: "user",
                            ty: "&str",
                            borrowed: true,
                        },
                        HookParamView {
                            name: "password",
                            ty: "&str",
                            borrowed: true,
                        },
                    ],
                ),
                HookKind::Http => (
                    "Http",
                    false,
                    vec![HookParamView {
                        name: "credentials",
                        ty: "&str",
                        borrowed: false,
                    }],
                ),
                HookKind::ApiKey => (
                    "ApiKey",
                    false,
                    vec![HookParamView {
                        name: "key",
                        ty: "&str",
                        borrowed: true,
                    }],
                ),
                HookKind::Client => (
                    "Client",
                    false,
                    vec![HookParamView {
                        name: "client",
                        ty: "&runtime::VerifiedClient",
                        borrowed: false,
                    }],
                ),
                HookKind::Unusable => continue,
            };
            let method = self
                .methods
                .fresh(&snake_ident(&format!("authenticate {name}")));
            let scheme = self.contract.security_schemes.get(name);
            let (_, _, note) = scheme_kind(scheme);
            let doc = format!(
                "Checks the credentials of the security scheme `{name}`: {note}\n\n\
                 Return the principal they identify, `Err(AuthError::Unauthenticated)` when they \
                 are not valid (`401`), `Err(AuthError::Forbidden)` when they do not grant \
                 `scopes`, the scopes (or roles) the operation requires (`403`), or \
                 `Err(AuthError::Unavailable)` when they cannot be checked now (`503`). Called \
                 before the handler, only when the request carries the credentials.\n\n\
                 Not implemented, it refuses every request: an implementation that does not \
                 authenticate lets nobody in."
            );
            hooks.push(HookView {
                doc_attrs: doc_attrs(&doc),
                scheme: string_literal(name),
                credential,
                named,
                params,
                method,
            });
        }
        hooks
    }
}
