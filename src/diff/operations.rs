//! The API-level walk: security schemes, global security and components, then operations matched
//! by method and path template, and inside them parameters, bodies, responses and headers. Schema
//! comparisons are delegated to [`SchemaDiffer`].

use std::collections::HashSet;

use indexmap::IndexMap;

use crate::load::FileId;
use crate::model::{
    Contract, Direction, Header, MediaType, Operation, OperationKind, Parameter, ParameterLocation,
    SchemaId, SecurityRequirement, SecurityScheme, path_template,
};

use super::change::{
    Change, ChangeKind, DeclaredIn, Lifecycle, OperationRef, ParameterRef, SchemaPath, SchemaSite,
    SchemaSubject, SecurityChange, Subject,
};
use super::merged_view::scalar_text;
use super::schema::{Carrier, SchemaDiffer};
use crate::model::Loc;

pub(super) struct Differ<'a, 's> {
    base: &'a Contract,
    revision: &'a Contract,
    schemas: SchemaDiffer<'a>,
    /// Changes not yet handed to `each`.
    out: Vec<Change>,
    each: &'s mut dyn FnMut(&[Change]),
    /// Security requirements are compared by what the client sends (see [`WireNames`]).
    wire_names: WireNames,
}

/// The name a security requirement is compared by: schemes that ask the client for the same
/// thing on the wire (two `http bearer` schemes, two API keys in the same header) are one
/// scheme, named after the first of them in the base (else the revision), so an operation that
/// moves from `bearerAuth` to `jwt` changes nothing a client sends. OAuth2 and OpenID Connect
/// schemes keep their names: their tokens come from the flows each declares.
struct WireNames {
    base: IndexMap<String, String>,
    revision: IndexMap<String, String>,
}

impl WireNames {
    fn new(base: &Contract, revision: &Contract) -> WireNames {
        let mut canonical: IndexMap<String, String> = IndexMap::new();
        let mut names = |contract: &Contract| {
            let mut renamed = IndexMap::new();
            for (name, scheme) in &contract.security_schemes {
                let Some(wire) = wire_identity(scheme) else {
                    continue;
                };
                let first = canonical.entry(wire).or_insert_with(|| name.clone());
                if first != name {
                    renamed.insert(name.clone(), first.clone());
                }
            }
            renamed
        };
        let base = names(base);
        let revision = names(revision);
        WireNames { base, revision }
    }

    /// `requirements` with each scheme under its wire name (borrowed when nothing is renamed).
    fn apply<'r>(
        &self,
        requirements: &'r [SecurityRequirement],
        side: Side,
    ) -> std::borrow::Cow<'r, [SecurityRequirement]> {
        let renamed = match side {
            Side::Base => &self.base,
            Side::Revision => &self.revision,
        };
        let touches = |r: &SecurityRequirement| r.schemes.keys().any(|k| renamed.contains_key(k));
        if !requirements.iter().any(touches) {
            return std::borrow::Cow::Borrowed(requirements);
        }
        let mapped = requirements
            .iter()
            .map(|requirement| {
                let mut schemes: IndexMap<String, Vec<String>> = IndexMap::new();
                for (name, scopes) in &requirement.schemes {
                    let name = renamed.get(name).unwrap_or(name).clone();
                    let entry = schemes.entry(name).or_default();
                    for scope in scopes {
                        if !entry.contains(scope) {
                            entry.push(scope.clone());
                        }
                    }
                }
                SecurityRequirement { schemes }
            })
            .collect();
        std::borrow::Cow::Owned(mapped)
    }
}

/// Which version a security requirement is written in.
#[derive(Debug, Clone, Copy)]
enum Side {
    Base,
    Revision,
}

/// What a scheme asks the client to send, for the schemes that are nothing more than that.
fn wire_identity(scheme: &SecurityScheme) -> Option<String> {
    match scheme {
        SecurityScheme::Http { scheme, .. } => {
            Some(format!("http {}", scheme.to_ascii_lowercase()))
        }
        SecurityScheme::ApiKey { name, location, .. } => {
            // Header names are case-insensitive; query and cookie names are not.
            let name = match location.as_str() {
                "header" => name.to_ascii_lowercase(),
                _ => name.clone(),
            };
            Some(format!("apiKey {} {name}", location.as_str()))
        }
        _ => None,
    }
}

/// Which way data flows in the request and in the response of an operation.
fn flows(declared_in: DeclaredIn) -> (Direction, Direction) {
    match declared_in {
        DeclaredIn::Path => (Direction::Request, Direction::Response),
        // The provider sends a webhook's request: it reads like a response to the consumer.
        DeclaredIn::Webhook | DeclaredIn::Callback => (Direction::Response, Direction::Request),
    }
}

fn operation_key(op: &Operation) -> (String, String, &'static str) {
    match &op.kind {
        OperationKind::Path => (
            String::new(),
            path_template::shape(&op.path),
            op.method.key(),
        ),
        OperationKind::Webhook => (String::new(), op.path.clone(), op.method.key()),
        OperationKind::Callback { name, expression } => {
            (name.clone(), expression.clone(), op.method.key())
        }
    }
}

fn where_declared(op: &Operation) -> DeclaredIn {
    match op.kind {
        OperationKind::Path => DeclaredIn::Path,
        OperationKind::Webhook => DeclaredIn::Webhook,
        OperationKind::Callback { .. } => DeclaredIn::Callback,
    }
}

fn extension_text(extensions: &crate::model::Extensions, key: &str) -> Option<String> {
    extensions.get(key).map(scalar_text)
}

fn lifecycle(deprecated: bool, extensions: &crate::model::Extensions) -> Lifecycle {
    Lifecycle {
        deprecated,
        sunset: extension_text(extensions, "x-sunset"),
        stability: extension_text(extensions, "x-stability-level"),
    }
}

/// The location of the parent of a node (`/paths/~1pets/get` → `/paths/~1pets`).
fn parent(loc: &Loc) -> Loc {
    let pointer = match loc.pointer.rfind('/') {
        Some(i) => loc.pointer[..i].to_string(),
        None => String::new(),
    };
    Loc::new(loc.file, pointer)
}

/// A security requirement as people write it: `oauth[read, write] + api_key`, or `anonymous`.
fn requirement_text(req: &SecurityRequirement) -> String {
    if req.schemes.is_empty() {
        return "anonymous".to_string();
    }
    req.schemes
        .iter()
        .map(|(scheme, scopes)| {
            if scopes.is_empty() {
                scheme.clone()
            } else {
                format!("{scheme}[{}]", scopes.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn same_scheme_set(a: &SecurityRequirement, b: &SecurityRequirement) -> bool {
    a.schemes.len() == b.schemes.len() && a.schemes.keys().all(|k| b.schemes.contains_key(k))
}

fn same_requirement(a: &SecurityRequirement, b: &SecurityRequirement) -> bool {
    same_scheme_set(a, b)
        && a.schemes.iter().all(|(k, scopes)| {
            let other = &b.schemes[k];
            scopes.len() == other.len() && scopes.iter().all(|s| other.contains(s))
        })
}

/// Whether a client holding the credentials of `held` satisfies `needed`.
fn satisfies(held: &SecurityRequirement, needed: &SecurityRequirement) -> bool {
    needed.schemes.iter().all(|(scheme, scopes)| {
        held.schemes
            .get(scheme)
            .is_some_and(|have| scopes.iter().all(|s| have.contains(s)))
    })
}

/// How a list of security alternatives changed. An empty list means anonymous access.
pub(super) fn compare_security(
    base: &[SecurityRequirement],
    revision: &[SecurityRequirement],
) -> Vec<SecurityChange> {
    let anonymous = [SecurityRequirement::default()];
    let base = if base.is_empty() {
        &anonymous[..]
    } else {
        base
    };
    let revision = if revision.is_empty() {
        &anonymous[..]
    } else {
        revision
    };
    let mut out = Vec::new();
    for b in base {
        if revision.iter().any(|r| same_requirement(b, r)) {
            continue;
        }
        if let Some(r) = revision
            .iter()
            .find(|r| same_scheme_set(b, r) && !r.schemes.is_empty())
        {
            for (scheme, scopes) in &r.schemes {
                let had = &b.schemes[scheme];
                for scope in scopes.iter().filter(|s| !had.contains(s)) {
                    out.push(SecurityChange::ScopeAdded {
                        scheme: scheme.clone(),
                        scope: scope.clone(),
                    });
                }
                for scope in had.iter().filter(|s| !scopes.contains(s)) {
                    out.push(SecurityChange::ScopeRemoved {
                        scheme: scheme.clone(),
                        scope: scope.clone(),
                    });
                }
            }
            continue;
        }
        let requirement = requirement_text(b);
        if revision.iter().any(|r| satisfies(b, r)) {
            out.push(SecurityChange::RequirementRemoved { requirement });
        } else {
            out.push(SecurityChange::RequirementTightened { requirement });
        }
    }
    for r in revision {
        let known = base
            .iter()
            .any(|b| same_requirement(b, r) || (same_scheme_set(b, r) && !r.schemes.is_empty()));
        if !known {
            out.push(SecurityChange::RequirementAdded {
                requirement: requirement_text(r),
            });
        }
    }
    out
}

fn scheme_kind(s: &SecurityScheme) -> String {
    match s {
        SecurityScheme::ApiKey { name, location, .. } => {
            format!("apiKey ({} `{name}`)", location.as_str())
        }
        SecurityScheme::Http { scheme, .. } => format!("http {}", scheme.to_ascii_lowercase()),
        SecurityScheme::OAuth2 { .. } => "oauth2".to_string(),
        SecurityScheme::OpenIdConnect { url, .. } => format!("openIdConnect ({url})"),
        SecurityScheme::MutualTls { .. } => "mutualTLS".to_string(),
    }
}

impl<'a, 's> Differ<'a, 's> {
    pub(super) fn new(
        base: &'a Contract,
        revision: &'a Contract,
        each: &'s mut dyn FnMut(&[Change]),
    ) -> Self {
        Differ {
            base,
            revision,
            schemas: SchemaDiffer::new(base, revision),
            out: Vec::new(),
            each,
            wire_names: WireNames::new(base, revision),
        }
    }

    pub(super) fn run(mut self) {
        self.security_schemes();
        let global = compare_security(
            &self.wire_names.apply(&self.base.security, Side::Base),
            &self
                .wire_names
                .apply(&self.revision.security, Side::Revision),
        );
        let (bl, rl) = (self.base_root("/security"), self.revision_root("/security"));
        let inherited = !global.is_empty() && self.global_security_inherited();
        for change in global {
            self.push_doc(
                ChangeKind::GlobalSecurity { change, inherited },
                Some(bl.clone()),
                Some(rl.clone()),
            );
        }
        self.servers();
        self.components();
        let (base, revision) = (self.base, self.revision);
        self.operations(&base.operations, &revision.operations);
        self.operations(&base.webhooks, &revision.webhooks);
        self.hand_over();
    }

    /// Hands the changes found so far to the caller.
    fn hand_over(&mut self) {
        if !self.out.is_empty() {
            (self.each)(&self.out);
            self.out.clear();
        }
    }

    /// Whether an operation of both versions declares no `security` of its own, so that the
    /// document-level one applies to it before and after.
    fn global_security_inherited(&self) -> bool {
        let inheriting: HashSet<(String, String, &'static str)> = self
            .base
            .operations
            .iter()
            .filter(|op| !op.security_overridden)
            .map(operation_key)
            .collect();
        self.revision
            .operations
            .iter()
            .any(|op| !op.security_overridden && inheriting.contains(&operation_key(op)))
    }

    fn base_root(&self, pointer: &str) -> Loc {
        Loc::new(FileId::ROOT, pointer)
    }

    fn revision_root(&self, pointer: &str) -> Loc {
        Loc::new(FileId::ROOT, pointer)
    }

    fn push_doc(&mut self, kind: ChangeKind, base: Option<Loc>, revision: Option<Loc>) {
        let anchor = revision.clone().or_else(|| Some(self.revision_root("")));
        self.out.push(Change {
            subject: Subject::Document,
            kind,
            operation: None,
            base,
            revision,
            revision_anchor: anchor,
        });
    }

    /// The default server: what every generated client calls unless told otherwise. Compared
    /// only when both versions declare one (a document without `servers` is served from
    /// wherever it is, which says nothing about a move).
    fn servers(&mut self) {
        let (Some(b), Some(r)) = (self.base.servers.first(), self.revision.servers.first()) else {
            return;
        };
        let (from, to) = (server_url(b), server_url(r));
        if from == to {
            return;
        }
        let path_changed = url_path(&from) != url_path(&to);
        self.push_doc(
            ChangeKind::ServerUrlChanged {
                from,
                to,
                path_changed,
            },
            Some(self.base_root("/servers/0/url")),
            Some(self.revision_root("/servers/0/url")),
        );
    }

    fn security_schemes(&mut self) {
        let at = |name: &str| {
            Loc::new(
                FileId::ROOT,
                format!(
                    "/components/securitySchemes/{}",
                    crate::load::pointer::escape_token(name)
                ),
            )
        };
        for (name, scheme) in &self.base.security_schemes {
            let Some(other) = self.revision.security_schemes.get(name) else {
                self.push_doc(
                    ChangeKind::SecuritySchemeRemoved { name: name.clone() },
                    Some(at(name)),
                    None,
                );
                continue;
            };
            let (from, to) = (scheme_kind(scheme), scheme_kind(other));
            if from != to {
                let kind = ChangeKind::SecuritySchemeTypeChanged {
                    name: name.clone(),
                    from,
                    to,
                };
                self.push_doc(kind, Some(at(name)), Some(at(name)));
                continue;
            }
            if let (
                SecurityScheme::OAuth2 { flows: bf, .. },
                SecurityScheme::OAuth2 { flows: rf, .. },
            ) = (scheme, other)
            {
                for (flow, b) in bf {
                    let Some(r) = rf.get(flow) else { continue };
                    for (field, x, y) in [
                        (
                            "authorizationUrl",
                            &b.authorization_url,
                            &r.authorization_url,
                        ),
                        ("tokenUrl", &b.token_url, &r.token_url),
                        ("refreshUrl", &b.refresh_url, &r.refresh_url),
                    ] {
                        if x != y {
                            let kind = ChangeKind::SecuritySchemeUrlChanged {
                                name: name.clone(),
                                field: format!("{flow}.{field}"),
                                from: x.clone(),
                                to: y.clone(),
                            };
                            self.push_doc(kind, Some(at(name)), Some(at(name)));
                        }
                    }
                    for scope in b.scopes.keys().filter(|s| !r.scopes.contains_key(*s)) {
                        let kind = ChangeKind::SecuritySchemeScopeRemoved {
                            name: name.clone(),
                            flow: flow.clone(),
                            scope: scope.clone(),
                        };
                        self.push_doc(kind, Some(at(name)), Some(at(name)));
                    }
                    for scope in r.scopes.keys().filter(|s| !b.scopes.contains_key(*s)) {
                        let kind = ChangeKind::SecuritySchemeScopeAdded {
                            name: name.clone(),
                            flow: flow.clone(),
                            scope: scope.clone(),
                        };
                        self.push_doc(kind, Some(at(name)), Some(at(name)));
                    }
                }
            }
        }
        for name in self.revision.security_schemes.keys() {
            if !self.base.security_schemes.contains_key(name) {
                self.push_doc(
                    ChangeKind::SecuritySchemeAdded { name: name.clone() },
                    None,
                    Some(at(name)),
                );
            }
        }
    }

    /// Component schemas that disappeared: renamed when a new component has the same shape.
    fn components(&mut self) {
        let base_named = self.base.types.named();
        let rev_named = self.revision.types.named();
        let added: Vec<(&String, SchemaId)> = rev_named
            .iter()
            .filter(|(n, _)| !base_named.contains_key(*n))
            .map(|(n, id)| (n, *id))
            .collect();
        let mut taken: HashSet<&String> = HashSet::new();
        for (name, id) in base_named {
            if rev_named.contains_key(name) {
                continue;
            }
            let base_loc = self.base.types.get(*id).loc.clone();
            let renamed = added.iter().find(|(new_name, new_id)| {
                !taken.contains(new_name)
                    && self.schemas.same_shape(*id, *new_id, Direction::Request)
                    && self.schemas.same_shape(*id, *new_id, Direction::Response)
            });
            match renamed {
                Some((new_name, new_id)) => {
                    taken.insert(new_name);
                    let rev_loc = self.revision.types.get(*new_id).loc.clone();
                    let kind = ChangeKind::ComponentSchemaRenamed {
                        from: name.clone(),
                        to: (*new_name).clone(),
                    };
                    self.push_doc(kind, Some(base_loc), Some(rev_loc));
                }
                None => {
                    let kind = ChangeKind::ComponentSchemaRemoved { name: name.clone() };
                    let anchor = Loc::new(FileId::ROOT, "/components/schemas");
                    self.out.push(Change {
                        subject: Subject::Document,
                        kind,
                        operation: None,
                        base: Some(base_loc),
                        revision: None,
                        revision_anchor: Some(anchor),
                    });
                }
            }
        }
    }

    fn operations(&mut self, base_ops: &'a [Operation], rev_ops: &'a [Operation]) {
        // Operations of one key, in document order: a spec may (invalidly) hold `/pet/{id}` and
        // `/pet/{id2}` both, and each is then matched with its own spelling first.
        let mut by_key: IndexMap<(String, String, &'static str), Vec<usize>> = IndexMap::new();
        for (i, op) in rev_ops.iter().enumerate() {
            by_key.entry(operation_key(op)).or_default().push(i);
        }
        let mut used = vec![false; rev_ops.len()];
        let rev_paths: HashSet<(String, String)> = rev_ops
            .iter()
            .map(|op| {
                let k = operation_key(op);
                (k.0, k.1)
            })
            .collect();
        let mut matched: HashSet<(String, String, &'static str)> = HashSet::new();
        for b in base_ops {
            let key = operation_key(b);
            let pick = by_key.get(&key).and_then(|candidates| {
                let free = |i: &&usize| !used[**i];
                candidates
                    .iter()
                    .filter(free)
                    .find(|i| rev_ops[**i].path == b.path)
                    .or_else(|| candidates.iter().find(free))
                    .or(candidates.first())
                    .copied()
            });
            let Some(r) = pick.map(|i| {
                used[i] = true;
                &rev_ops[i]
            }) else {
                let whole_path = !rev_paths.contains(&(key.0.clone(), key.1.clone()));
                let anchor = rev_ops
                    .iter()
                    .find(|op| {
                        let k = operation_key(op);
                        k.0 == key.0 && k.1 == key.1
                    })
                    .map(|op| parent(&op.loc))
                    .unwrap_or_else(|| parent(&parent(&b.loc)));
                let operation = OperationRef {
                    label: b.label(),
                    name: b.name.clone(),
                    declared_in: where_declared(b),
                    stability: extension_text(&b.extensions, "x-stability-level"),
                };
                self.out.push(Change {
                    subject: Subject::Operation,
                    kind: ChangeKind::OperationRemoved {
                        lifecycle: lifecycle(b.deprecated, &b.extensions),
                        whole_path,
                    },
                    operation: Some(operation),
                    base: Some(b.loc.clone()),
                    revision: None,
                    revision_anchor: Some(anchor),
                });
                continue;
            };
            matched.insert(key);
            self.operation(b, r);
        }
        for (i, r) in rev_ops.iter().enumerate() {
            let key = operation_key(r);
            if used[i]
                || matched.contains(&key)
                || by_key.get(&key).is_some_and(|c| c.first() != Some(&i))
            {
                continue;
            }
            let operation = OperationRef {
                label: r.label(),
                name: r.name.clone(),
                declared_in: where_declared(r),
                stability: None,
            };
            self.out.push(Change {
                subject: Subject::Operation,
                kind: ChangeKind::OperationAdded,
                operation: Some(operation),
                base: None,
                revision: Some(r.loc.clone()),
                revision_anchor: None,
            });
        }
    }

    fn operation(&mut self, b: &'a Operation, r: &'a Operation) {
        let op = OperationRef {
            label: r.label(),
            name: r.name.clone(),
            declared_in: where_declared(r),
            stability: extension_text(&b.extensions, "x-stability-level"),
        };
        let (request_flow, response_flow) = flows(op.declared_in);
        let mut cx = OpCx {
            op: &op,
            out: Vec::new(),
        };
        let (bl, rl) = (Some(b.loc.clone()), Some(r.loc.clone()));
        let (bx, rx) = (
            lifecycle(b.deprecated, &b.extensions),
            lifecycle(r.deprecated, &r.extensions),
        );
        if !bx.deprecated && rx.deprecated {
            cx.push(
                Subject::Operation,
                ChangeKind::OperationDeprecated {
                    sunset: rx.sunset.clone(),
                    stability: rx.stability.clone(),
                },
                bl.clone(),
                rl.clone(),
            );
        } else if bx.deprecated && !rx.deprecated {
            cx.push(
                Subject::Operation,
                ChangeKind::OperationReactivated,
                bl.clone(),
                rl.clone(),
            );
        } else if bx.deprecated
            && rx.deprecated
            && let Some(from) = &bx.sunset
            && rx.sunset.as_ref() != Some(from)
        {
            cx.push(
                Subject::Operation,
                ChangeKind::OperationSunsetChanged {
                    from: from.clone(),
                    to: rx.sunset.clone(),
                },
                bl.clone(),
                rl.clone(),
            );
        }
        if bx.stability != rx.stability {
            cx.push(
                Subject::Operation,
                ChangeKind::OperationStabilityChanged {
                    from: bx.stability.clone(),
                    to: rx.stability.clone(),
                },
                bl.clone(),
                rl.clone(),
            );
        }
        if b.operation_id != r.operation_id {
            let kind = ChangeKind::OperationIdChanged {
                from: b.operation_id.clone(),
                to: r.operation_id.clone(),
            };
            cx.push(
                Subject::Operation,
                kind,
                Some(b.loc.child("operationId")),
                Some(r.loc.child("operationId")),
            );
        }
        for tag in b.tags.iter().filter(|t| !r.tags.contains(t)) {
            cx.push(
                Subject::Operation,
                ChangeKind::TagRemoved { tag: tag.clone() },
                Some(b.loc.child("tags")),
                Some(r.loc.clone()),
            );
        }
        for tag in r.tags.iter().filter(|t| !b.tags.contains(t)) {
            cx.push(
                Subject::Operation,
                ChangeKind::TagAdded { tag: tag.clone() },
                Some(b.loc.clone()),
                Some(r.loc.child("tags")),
            );
        }
        if b.security_overridden || r.security_overridden {
            let changes = compare_security(
                &self.wire_names.apply(&b.security, Side::Base),
                &self.wire_names.apply(&r.security, Side::Revision),
            );
            for change in changes {
                let at = |o: &Operation| {
                    if o.security_overridden {
                        o.loc.child("security")
                    } else {
                        o.loc.clone()
                    }
                };
                cx.push(
                    Subject::Operation,
                    ChangeKind::Security(change),
                    Some(at(b)),
                    Some(at(r)),
                );
            }
        }
        self.parameters(b, r, request_flow, &mut cx);
        self.request_body(b, r, request_flow, &mut cx);
        self.responses(b, r, response_flow, &mut cx);
        let out = std::mem::take(&mut cx.out);
        self.out.extend(out);
        self.hand_over();
        self.operations(&b.callbacks, &r.callbacks);
    }

    fn parameters(&mut self, b: &Operation, r: &Operation, dir: Direction, cx: &mut OpCx<'_>) {
        let b_names = path_template::names(&b.path);
        let r_names = path_template::names(&r.path);
        let same = |x: &Parameter, y: &Parameter| {
            if x.location != y.location {
                return false;
            }
            match x.location {
                ParameterLocation::Path => {
                    let i = b_names.iter().position(|n| *n == x.name);
                    let j = r_names.iter().position(|n| *n == y.name);
                    match (i, j) {
                        (Some(i), Some(j)) => i == j,
                        _ => x.name == y.name,
                    }
                }
                ParameterLocation::Header => x.name.eq_ignore_ascii_case(&y.name),
                _ => x.name == y.name,
            }
        };
        let mut used = vec![false; r.parameters.len()];
        for bp in &b.parameters {
            let found = r
                .parameters
                .iter()
                .enumerate()
                .find(|(i, rp)| !used[*i] && same(bp, rp));
            let subject = Subject::Parameter(ParameterRef {
                location: bp.location,
                name: bp.name.clone(),
            });
            let Some((i, rp)) = found else {
                let kind = ChangeKind::ParameterRemoved {
                    lifecycle: lifecycle(bp.deprecated, &bp.extensions),
                };
                cx.push_removed(subject, kind, bp.loc.clone(), r.loc.clone());
                continue;
            };
            used[i] = true;
            self.parameter(bp, rp, dir, cx);
        }
        for (i, rp) in r.parameters.iter().enumerate() {
            if used[i] {
                continue;
            }
            let has_default = rp.schema.is_some_and(|id| {
                self.revision
                    .types
                    .get(self.revision.types.resolve_alias(id).0)
                    .default
                    .is_some()
            });
            let path_level = !self.declared_by_operation(r, rp);
            let subject = Subject::Parameter(ParameterRef {
                location: rp.location,
                name: rp.name.clone(),
            });
            let kind = ChangeKind::ParameterAdded {
                required: rp.required,
                has_default,
                path_level,
            };
            cx.push(subject, kind, Some(b.loc.clone()), Some(rp.loc.clone()));
        }
    }

    /// Whether the operation itself (not its path item) declares a parameter.
    fn declared_by_operation(&self, op: &Operation, p: &Parameter) -> bool {
        // Read through the file's accessors: `oaskit diff` has released the value trees.
        let file = self.revision.documents.file(op.loc.file);
        let list = op.loc.child("parameters");
        let Some(len) = file.array_len(&list.pointer) else {
            return false;
        };
        (0..len).any(|i| {
            let entry = list.child(&i.to_string());
            let text = |key: &str| file.string_at(&entry.child(key).pointer);
            if let Some(reference) = text("$ref") {
                return reference.ends_with(&p.loc.pointer) || p.loc.pointer.is_empty();
            }
            text("name").as_deref() == Some(p.name.as_str())
                && text("in").as_deref() == Some(p.location.as_str())
        })
    }

    fn parameter(&mut self, bp: &Parameter, rp: &Parameter, dir: Direction, cx: &mut OpCx<'_>) {
        let subject = Subject::Parameter(ParameterRef {
            location: rp.location,
            name: rp.name.clone(),
        });
        let (bl, rl) = (Some(bp.loc.clone()), Some(rp.loc.clone()));
        if bp.name != rp.name && bp.location == ParameterLocation::Path {
            let kind = ChangeKind::ParameterRenamed {
                from: bp.name.clone(),
                to: rp.name.clone(),
            };
            cx.push(subject.clone(), kind, bl.clone(), rl.clone());
        }
        if bp.required != rp.required {
            cx.push(
                subject.clone(),
                ChangeKind::ParameterRequiredChanged {
                    required: rp.required,
                },
                bl.clone(),
                rl.clone(),
            );
        }
        let (bx, rx) = (
            lifecycle(bp.deprecated, &bp.extensions),
            lifecycle(rp.deprecated, &rp.extensions),
        );
        if !bx.deprecated && rx.deprecated {
            cx.push(
                subject.clone(),
                ChangeKind::ParameterDeprecated {
                    sunset: rx.sunset.clone(),
                },
                bl.clone(),
                rl.clone(),
            );
        } else if bx.deprecated && !rx.deprecated {
            cx.push(
                subject.clone(),
                ChangeKind::ParameterReactivated,
                bl.clone(),
                rl.clone(),
            );
        } else if bx.deprecated
            && rx.deprecated
            && let Some(from) = &bx.sunset
            && rx.sunset.as_ref() != Some(from)
        {
            cx.push(
                subject.clone(),
                ChangeKind::ParameterSunsetChanged {
                    from: from.clone(),
                    to: rx.sunset.clone(),
                },
                bl.clone(),
                rl.clone(),
            );
        }
        if bp.style != rp.style {
            let kind = ChangeKind::ParameterStyleChanged {
                from: bp.style.as_str().to_string(),
                to: rp.style.as_str().to_string(),
            };
            cx.push(subject.clone(), kind, bl.clone(), rl.clone());
        }
        if bp.explode != rp.explode {
            cx.push(
                subject.clone(),
                ChangeKind::ParameterExplodeChanged {
                    from: bp.explode,
                    to: rp.explode,
                },
                bl.clone(),
                rl.clone(),
            );
        }
        if let (Some(bs), Some(rs)) = (bp.schema, rp.schema) {
            let site = SchemaSite::Parameter(ParameterRef {
                location: rp.location,
                name: rp.name.clone(),
            });
            self.schema(site, bs, rs, dir, cx);
        }
    }

    fn request_body(&mut self, b: &Operation, r: &Operation, dir: Direction, cx: &mut OpCx<'_>) {
        match (&b.request_body, &r.request_body) {
            (None, None) => {}
            (None, Some(rb)) => {
                cx.push(
                    Subject::RequestBody,
                    ChangeKind::RequestBodyAdded {
                        required: rb.required,
                    },
                    Some(b.loc.clone()),
                    Some(rb.loc.clone()),
                );
            }
            (Some(bb), None) => cx.push_removed(
                Subject::RequestBody,
                ChangeKind::RequestBodyRemoved,
                bb.loc.clone(),
                r.loc.clone(),
            ),
            (Some(bb), Some(rb)) => {
                if bb.required != rb.required {
                    let kind = ChangeKind::RequestBodyRequiredChanged {
                        required: rb.required,
                    };
                    cx.push(
                        Subject::RequestBody,
                        kind,
                        Some(bb.loc.clone()),
                        Some(rb.loc.clone()),
                    );
                }
                self.content(
                    &bb.content,
                    &rb.content,
                    (&bb.loc, &rb.loc),
                    dir,
                    cx,
                    &|| Subject::RequestBody,
                    &|mt: &str| Subject::RequestMedia(mt.to_string()),
                    &|mt: &str| SchemaSite::RequestBody {
                        media_type: mt.to_string(),
                    },
                );
            }
        }
    }

    fn responses(&mut self, b: &Operation, r: &Operation, dir: Direction, cx: &mut OpCx<'_>) {
        for br in &b.responses {
            let status = br.status;
            let Some(rr) = r.responses.iter().find(|x| x.status == status) else {
                cx.push_removed(
                    Subject::Response(status),
                    ChangeKind::ResponseRemoved,
                    br.loc.clone(),
                    r.loc.child("responses"),
                );
                continue;
            };
            self.headers(
                status,
                &br.headers,
                &rr.headers,
                (&br.loc, &rr.loc),
                dir,
                cx,
            );
            self.content(
                &br.content,
                &rr.content,
                (&br.loc, &rr.loc),
                dir,
                cx,
                &|| Subject::Response(status),
                &|mt: &str| Subject::ResponseMedia(status, mt.to_string()),
                &|mt: &str| SchemaSite::Response {
                    status,
                    media_type: mt.to_string(),
                },
            );
        }
        for rr in &r.responses {
            if !b.responses.iter().any(|x| x.status == rr.status) {
                cx.push(
                    Subject::Response(rr.status),
                    ChangeKind::ResponseAdded,
                    Some(b.loc.clone()),
                    Some(rr.loc.clone()),
                );
            }
        }
    }

    fn headers(
        &mut self,
        status: crate::model::StatusCode,
        base: &IndexMap<String, Header>,
        revision: &IndexMap<String, Header>,
        (b_loc, r_loc): (&Loc, &Loc),
        dir: Direction,
        cx: &mut OpCx<'_>,
    ) {
        for (name, bh) in base {
            let subject = Subject::ResponseHeader(status, name.clone());
            let Some((rname, rh)) = revision.iter().find(|(n, _)| n.eq_ignore_ascii_case(name))
            else {
                cx.push_removed(
                    subject,
                    ChangeKind::HeaderRemoved {
                        required: bh.required,
                    },
                    bh.loc.clone(),
                    r_loc.clone(),
                );
                continue;
            };
            let subject = Subject::ResponseHeader(status, rname.clone());
            if bh.required != rh.required {
                cx.push(
                    subject.clone(),
                    ChangeKind::HeaderRequiredChanged {
                        required: rh.required,
                    },
                    Some(bh.loc.clone()),
                    Some(rh.loc.clone()),
                );
            }
            if let (Some(bs), Some(rs)) = (bh.schema, rh.schema) {
                let site = SchemaSite::ResponseHeader {
                    status,
                    name: rname.clone(),
                };
                self.schema(site, bs, rs, dir, cx);
            }
        }
        for (name, rh) in revision {
            if !base.keys().any(|n| n.eq_ignore_ascii_case(name)) {
                let subject = Subject::ResponseHeader(status, name.clone());
                cx.push(
                    subject,
                    ChangeKind::HeaderAdded {
                        required: rh.required,
                    },
                    Some(b_loc.clone()),
                    Some(rh.loc.clone()),
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn content(
        &mut self,
        base: &IndexMap<String, MediaType>,
        revision: &IndexMap<String, MediaType>,
        (b_loc, r_loc): (&Loc, &Loc),
        dir: Direction,
        cx: &mut OpCx<'_>,
        owner: &dyn Fn() -> Subject,
        media_subject: &dyn Fn(&str) -> Subject,
        site: &dyn Fn(&str) -> SchemaSite,
    ) {
        let mut compared: HashSet<(SchemaId, SchemaId)> = HashSet::new();
        for (mt, bm) in base {
            let found = revision.get_key_value(mt).or_else(|| {
                revision
                    .iter()
                    .find(|(k, _)| crate::model::media::same(k, mt))
            });
            let Some((rmt, rm)) = found else {
                cx.push_removed(
                    owner(),
                    ChangeKind::MediaTypeRemoved {
                        media_type: mt.clone(),
                    },
                    bm.loc.clone(),
                    r_loc.child("content"),
                );
                continue;
            };
            match (bm.schema, rm.schema) {
                (None, None) => {}
                (Some(_), None) => cx.push(
                    media_subject(rmt),
                    ChangeKind::MediaTypeSchemaRemoved,
                    Some(bm.loc.child("schema")),
                    Some(rm.loc.clone()),
                ),
                (None, Some(_)) => cx.push(
                    media_subject(rmt),
                    ChangeKind::MediaTypeSchemaAdded,
                    Some(bm.loc.clone()),
                    Some(rm.loc.child("schema")),
                ),
                (Some(bs), Some(rs)) => {
                    if compared.insert((bs, rs)) {
                        self.schema(site(rmt), bs, rs, dir, cx);
                    }
                }
            }
        }
        for (mt, rm) in revision {
            let known =
                base.contains_key(mt) || base.keys().any(|k| crate::model::media::same(k, mt));
            if !known {
                cx.push(
                    owner(),
                    ChangeKind::MediaTypeAdded {
                        media_type: mt.clone(),
                    },
                    Some(b_loc.clone()),
                    Some(rm.loc.clone()),
                );
            }
        }
    }

    fn schema(
        &mut self,
        site: SchemaSite,
        base: SchemaId,
        revision: SchemaId,
        dir: Direction,
        cx: &mut OpCx<'_>,
    ) {
        let carrier = match site {
            SchemaSite::RequestBody { .. } | SchemaSite::Response { .. } => Carrier::Json,
            SchemaSite::Parameter(_) | SchemaSite::ResponseHeader { .. } => Carrier::Text,
        };
        let found = self.schemas.compare(base, revision, dir, carrier);
        for f in found.iter() {
            let item = f.item();
            let subject = Subject::Schema(SchemaSubject {
                site: site.clone(),
                path: SchemaPath(f.path()),
                direction: dir,
                declared_in: cx.op.declared_in,
            });
            cx.push(
                subject,
                ChangeKind::Schema(item.change.clone()),
                item.base.clone(),
                item.revision.clone(),
            );
        }
    }
}

/// Collects the changes of one operation.
struct OpCx<'o> {
    op: &'o OperationRef,
    out: Vec<Change>,
}

impl OpCx<'_> {
    fn push(
        &mut self,
        subject: Subject,
        kind: ChangeKind,
        base: Option<Loc>,
        revision: Option<Loc>,
    ) {
        self.out.push(Change {
            subject,
            kind,
            operation: Some(self.op.clone()),
            base,
            revision,
            revision_anchor: None,
        });
    }

    fn push_removed(&mut self, subject: Subject, kind: ChangeKind, base: Loc, anchor: Loc) {
        self.out.push(Change {
            subject,
            kind,
            operation: Some(self.op.clone()),
            base: Some(base),
            revision: None,
            revision_anchor: Some(anchor),
        });
    }
}

/// A server's URL with its variables at their defaults.
fn server_url(server: &crate::model::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in &server.variables {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}

/// The path part of a server URL, without a trailing `/` (`https://api.x.com/v1/` → `/v1`,
/// `/v1` → `/v1`, `https://api.x.com` → ``): what prefixes every operation's path.
pub(super) fn url_path(url: &str) -> &str {
    fn after_host(after: &str) -> &str {
        after.find('/').map_or("", |i| &after[i..])
    }
    let rest = match (url.split_once("://"), url.strip_prefix("//")) {
        (Some((_, after)), _) => after_host(after),
        // Protocol-relative: `//cdn.example.com/v2`.
        (None, Some(after)) => after_host(after),
        (None, None) => url,
    };
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    rest.trim_end_matches('/')
}
