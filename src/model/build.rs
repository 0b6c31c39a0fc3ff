//! Builds a [`Contract`] from loaded documents. One pass over the document: objects are read
//! tolerantly (a malformed field becomes a finding with its location, not a failure), `$ref`s
//! are resolved through [`Documents`], and schemas are put in the arena through a work queue so
//! that deep or cyclic reference graphs never recurse without bound.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::schema::{
    AdditionalProperties, Discriminator, InstanceType, RareKeywords, Schema, SchemaId, TypeSpace,
};
use super::*;
use crate::load::{Documents, FileId, LoadError, pointer};
use crate::report::{Finding, Level};

/// Builds the contract of a loaded document set. Fails (exit 2) only when the root is not an
/// OpenAPI 3.x document at all; everything else that is wrong becomes a finding.
pub fn build_contract(documents: Documents) -> Result<Contract, LoadError> {
    let root = &documents.root().root;
    let (version, openapi, mut findings) = detect_version(&documents, root)?;
    let mut builder = Builder {
        docs: &documents,
        version,
        types: TypeSpace::default(),
        schema_ids: HashMap::new(),
        pending: Vec::new(),
        findings: Vec::new(),
    };
    let parts = builder.document(root);
    builder.drain_pending();
    findings.append(&mut builder.findings);
    let types = builder.types;
    Ok(Contract {
        version,
        openapi,
        info: parts.info,
        servers: parts.servers,
        operations: parts.operations,
        webhooks: parts.webhooks,
        types,
        security_schemes: parts.security_schemes,
        security: parts.security,
        tags: parts.tags,
        extensions: parts.extensions,
        findings,
        documents,
    })
}

fn detect_version(
    docs: &Documents,
    root: &Value,
) -> Result<(SpecVersion, String, Vec<Finding>), LoadError> {
    let at = |pointer: &str| docs.location(FileId::ROOT, pointer);
    if let Some(swagger) = root.get("swagger") {
        return Err(LoadError::Parse {
            location: at("/swagger"),
            message: format!(
                "this is a Swagger {} document; oaskit reads OpenAPI 3.0 and 3.1: convert it first (for example with swagger2openapi)",
                scalar_text(swagger)
            ),
        });
    }
    let Some(openapi) = root.get("openapi") else {
        return Err(LoadError::Parse {
            location: at(""),
            message: "not an OpenAPI document: the `openapi` field is missing".to_string(),
        });
    };
    let Some(text) = openapi.as_str() else {
        return Err(LoadError::Parse {
            location: at("/openapi"),
            message: format!(
                "`openapi` must be a version string such as \"3.1.0\", not {}",
                scalar_text(openapi)
            ),
        });
    };
    let mut parts = text.split('.');
    let (major, minor) = (parts.next(), parts.next());
    let mut findings = Vec::new();
    let version = match (major, minor) {
        (Some("3"), Some("0")) => SpecVersion::V3_0,
        (Some("3"), Some("1")) => SpecVersion::V3_1,
        (Some("3"), Some("2")) => SpecVersion::V3_2,
        (Some("3"), Some(_)) => {
            findings.push(
                Finding::new(
                    "unknown-openapi-version",
                    Level::Warning,
                    format!("unknown OpenAPI version {text}: read as 3.2"),
                )
                .at(at("/openapi")),
            );
            SpecVersion::V3_2
        }
        _ => {
            return Err(LoadError::Parse {
                location: at("/openapi"),
                message: format!(
                    "unknown OpenAPI version {text}: oaskit reads 3.0.x, 3.1.x and 3.2.x"
                ),
            });
        }
    };
    Ok((version, text.to_string(), findings))
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A node being read: where it is and what it holds.
#[derive(Clone)]
struct Node<'d> {
    file: FileId,
    pointer: String,
    value: &'d Value,
}

impl<'d> Node<'d> {
    fn loc(&self) -> Loc {
        Loc::new(self.file, self.pointer.clone())
    }

    fn child(&self, key: &str, value: &'d Value) -> Node<'d> {
        Node {
            file: self.file,
            pointer: pointer::push(&self.pointer, key),
            value,
        }
    }

    fn get(&self, key: &str) -> Option<Node<'d>> {
        self.value.get(key).map(|v| self.child(key, v))
    }

    fn object(&self) -> Option<&'d Map<String, Value>> {
        self.value.as_object()
    }

    /// The members of an object node, as child nodes.
    fn members(&self) -> Vec<(&'d String, Node<'d>)> {
        match self.value.as_object() {
            Some(map) => map.iter().map(|(k, v)| (k, self.child(k, v))).collect(),
            None => Vec::new(),
        }
    }

    fn items(&self) -> Vec<Node<'d>> {
        match self.value.as_array() {
            Some(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| self.child(&i.to_string(), v))
                .collect(),
            None => Vec::new(),
        }
    }
}

struct DocumentParts {
    info: Info,
    servers: Vec<Server>,
    operations: Vec<Operation>,
    webhooks: Vec<Operation>,
    security_schemes: IndexMap<String, SecurityScheme>,
    security: Vec<SecurityRequirement>,
    tags: Vec<Tag>,
    extensions: Extensions,
}

struct Builder<'d> {
    docs: &'d Documents,
    version: SpecVersion,
    types: TypeSpace,
    /// Schema objects already given an id, by where they are written.
    schema_ids: HashMap<(FileId, String), SchemaId>,
    /// Referenced schemas allocated but not read yet.
    pending: Vec<(SchemaId, FileId, String)>,
    findings: Vec<Finding>,
}

impl<'d> Builder<'d> {
    // ----- findings -------------------------------------------------------------------------

    fn report(&mut self, rule: &str, level: Level, loc: &Loc, message: String) {
        let location = self.docs.location(loc.file, &loc.pointer);
        self.findings
            .push(Finding::new(rule, level, message).at(location));
    }

    fn invalid(&mut self, node: &Node<'d>, expected: &str) {
        let message = format!("expected {expected}, found {}", describe(node.value));
        self.report("invalid-value", Level::Error, &node.loc(), message);
    }

    fn missing(&mut self, node: &Node<'d>, field: &str, object: &str) {
        let message = format!("{object} is missing the required field `{field}`");
        self.report("missing-required-field", Level::Error, &node.loc(), message);
    }

    // ----- typed field access ---------------------------------------------------------------

    fn string(&mut self, node: &Node<'d>, key: &str) -> Option<String> {
        let child = node.get(key)?;
        match child.value {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.invalid(&child, "a string");
                None
            }
        }
    }

    fn boolean(&mut self, node: &Node<'d>, key: &str) -> Option<bool> {
        let child = node.get(key)?;
        match child.value {
            Value::Bool(b) => Some(*b),
            _ => {
                self.invalid(&child, "true or false");
                None
            }
        }
    }

    fn unsigned(&mut self, node: &Node<'d>, key: &str) -> Option<u64> {
        let child = node.get(key)?;
        match child.value.as_u64() {
            Some(n) => Some(n),
            // 10.0 is a valid non-negative integer in JSON Schema.
            None => match child.value.as_f64() {
                Some(f) if f >= 0.0 && f.fract() == 0.0 && f < 9.0e15 => Some(f as u64),
                _ => {
                    self.invalid(&child, "a non-negative integer");
                    None
                }
            },
        }
    }

    fn number(&mut self, node: &Node<'d>, key: &str) -> Option<serde_json::Number> {
        let child = node.get(key)?;
        match child.value {
            Value::Number(n) => Some(n.clone()),
            _ => {
                self.invalid(&child, "a number");
                None
            }
        }
    }

    fn object_node(&mut self, node: &Node<'d>, key: &str) -> Option<Node<'d>> {
        let child = node.get(key)?;
        if child.object().is_some() {
            Some(child)
        } else {
            self.invalid(&child, "an object");
            None
        }
    }

    fn array_node(&mut self, node: &Node<'d>, key: &str) -> Option<Node<'d>> {
        let child = node.get(key)?;
        if child.value.is_array() {
            Some(child)
        } else {
            self.invalid(&child, "an array");
            None
        }
    }

    fn string_list(&mut self, node: &Node<'d>, key: &str) -> Vec<String> {
        let Some(list) = self.array_node(node, key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in list.items() {
            match item.value {
                Value::String(s) => out.push(s.clone()),
                _ => self.invalid(&item, "a string"),
            }
        }
        out
    }

    fn extensions(&self, node: &Node<'d>) -> Extensions {
        node.object()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| k.starts_with("x-"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    // ----- references -----------------------------------------------------------------------

    /// Follows `$ref`s (chains included) from a node to the object they name. `None`, with a
    /// finding, when a reference is broken or the chain loops.
    fn deref(&mut self, node: Node<'d>) -> Option<Node<'d>> {
        let mut current = node;
        let mut seen: Vec<(FileId, String)> = Vec::new();
        while let Some(reference) = ref_of(current.value) {
            let ref_node = current.get("$ref").unwrap_or_else(|| current.clone());
            if seen.contains(&(current.file, current.pointer.clone())) || seen.len() > 64 {
                let message = format!(
                    "the $ref chain through `{reference}` loops without reaching an object"
                );
                self.report("ref-cycle", Level::Error, &ref_node.loc(), message);
                return None;
            }
            seen.push((current.file, current.pointer.clone()));
            match self.docs.resolve_ref(current.file, reference) {
                Ok(target) => {
                    current = Node {
                        file: target.file,
                        pointer: target.pointer.into_owned(),
                        value: target.value,
                    }
                }
                Err(reason) => {
                    let message = format!("unresolved $ref `{reference}`: {reason}");
                    self.report("unresolved-ref", Level::Error, &ref_node.loc(), message);
                    return None;
                }
            }
        }
        Some(current)
    }

    // ----- the document -----------------------------------------------------------------------

    fn document(&mut self, root_value: &'d Value) -> DocumentParts {
        let root = Node {
            file: FileId::ROOT,
            pointer: String::new(),
            value: root_value,
        };
        if self.version >= SpecVersion::V3_1
            && let Some(dialect) = self.string(&root, "jsonSchemaDialect")
            && !dialect.starts_with("https://spec.openapis.org/oas/3.1/dialect")
            && dialect != "https://json-schema.org/draft/2020-12/schema"
        {
            let loc = root.loc().child("jsonSchemaDialect");
            let message = format!(
                "jsonSchemaDialect `{dialect}` is not supported: schemas are read as OpenAPI 3.1's dialect (JSON Schema 2020-12)"
            );
            self.report("unsupported-schema-dialect", Level::Error, &loc, message);
        }
        if self.version == SpecVersion::V3_2 && root.get("$self").is_some() {
            self.unsupported(&root.loc().child("$self"), "`$self`");
        }
        let info = self.info(&root);
        let servers = self.servers(&root);
        let tags = self.tags(&root);
        let security_schemes = self.security_schemes(&root);
        let security = self.security(&root, "security").unwrap_or_default();

        // Named schemas first, so their ids follow the document's order.
        if let Some(components) = self.object_node(&root, "components")
            && let Some(schemas) = self.object_node(&components, "schemas")
        {
            for (name, node) in schemas.members() {
                let id = self.schema(node);
                self.types.name(name.clone(), id);
            }
        }

        let mut operations = Vec::new();
        match self.object_node(&root, "paths") {
            Some(paths) => {
                for (path, item) in paths.members() {
                    if path.starts_with("x-") {
                        continue;
                    }
                    if !path.starts_with('/') {
                        let message = format!("path `{path}` must start with `/`");
                        self.report("invalid-value", Level::Error, &item.loc(), message);
                    }
                    self.path_item(item, path, &OperationKind::Path, &security, &mut operations);
                }
            }
            None => {
                let has_alternative = self.version >= SpecVersion::V3_1
                    && (root.get("webhooks").is_some() || root.get("components").is_some());
                if root.get("paths").is_none() && !has_alternative {
                    self.missing(&root, "paths", "the OpenAPI Object");
                }
            }
        }

        let mut webhooks = Vec::new();
        if let Some(hooks) = self.object_node(&root, "webhooks") {
            if self.version == SpecVersion::V3_0 {
                let message = "`webhooks` is an OpenAPI 3.1 field; read anyway".to_string();
                self.report("invalid-value", Level::Warning, &hooks.loc(), message);
            }
            for (name, item) in hooks.members() {
                self.path_item(
                    item,
                    name,
                    &OperationKind::Webhook,
                    &security,
                    &mut webhooks,
                );
            }
        }
        assign_unique_names(&mut operations);

        DocumentParts {
            info,
            servers,
            operations,
            webhooks,
            security_schemes,
            security,
            tags,
            extensions: self.extensions(&root),
        }
    }

    fn unsupported(&mut self, loc: &Loc, what: &str) {
        let message = format!("{what} (OpenAPI 3.2) is not supported yet and is ignored");
        self.report("unsupported-feature", Level::Warning, loc, message);
    }

    fn info(&mut self, root: &Node<'d>) -> Info {
        let Some(info) = self.object_node(root, "info") else {
            if root.get("info").is_none() {
                self.missing(root, "info", "the OpenAPI Object");
            }
            return Info::default();
        };
        let title = self.string(&info, "title");
        if title.is_none() && info.get("title").is_none() {
            self.missing(&info, "title", "the Info Object");
        }
        let version = self.string(&info, "version");
        if version.is_none() && info.get("version").is_none() {
            self.missing(&info, "version", "the Info Object");
        }
        Info {
            title: title.unwrap_or_default(),
            version: version.unwrap_or_default(),
            description: self.string(&info, "description"),
            summary: self.string(&info, "summary"),
        }
    }

    fn servers(&mut self, node: &Node<'d>) -> Vec<Server> {
        let Some(list) = self.array_node(node, "servers") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in list.items() {
            let Some(url) = self.string(&item, "url") else {
                if item.get("url").is_none() {
                    self.missing(&item, "url", "a Server Object");
                }
                continue;
            };
            let mut variables = IndexMap::new();
            if let Some(vars) = self.object_node(&item, "variables") {
                for (name, var) in vars.members() {
                    let default = self.string(&var, "default").unwrap_or_default();
                    let allowed = self.string_list(&var, "enum");
                    let description = self.string(&var, "description");
                    variables.insert(
                        name.clone(),
                        ServerVariable {
                            default,
                            allowed,
                            description,
                        },
                    );
                }
            }
            let description = self.string(&item, "description");
            out.push(Server {
                url,
                description,
                variables,
            });
        }
        out
    }

    fn tags(&mut self, root: &Node<'d>) -> Vec<Tag> {
        let Some(list) = self.array_node(root, "tags") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in list.items() {
            if let Some(name) = self.string(&item, "name") {
                let description = self.string(&item, "description");
                out.push(Tag { name, description });
            }
        }
        out
    }

    fn security_schemes(&mut self, root: &Node<'d>) -> IndexMap<String, SecurityScheme> {
        let mut out = IndexMap::new();
        let Some(components) = root.get("components") else {
            return out;
        };
        let Some(schemes) = self.object_node(&components, "securitySchemes") else {
            return out;
        };
        for (name, node) in schemes.members() {
            let Some(node) = self.deref(node) else {
                continue;
            };
            if let Some(scheme) = self.security_scheme(&node) {
                out.insert(name.clone(), scheme);
            }
        }
        out
    }

    fn security_scheme(&mut self, node: &Node<'d>) -> Option<SecurityScheme> {
        let description = self.string(node, "description");
        let kind = self.string(node, "type");
        let scheme = match kind.as_deref() {
            Some("apiKey") => {
                let name = self.string(node, "name").unwrap_or_default();
                let location = match self.string(node, "in").as_deref() {
                    Some("header") => ParameterLocation::Header,
                    Some("query") => ParameterLocation::Query,
                    Some("cookie") => ParameterLocation::Cookie,
                    _ => {
                        let message =
                            "an apiKey scheme needs `in`: header, query or cookie".to_string();
                        self.report("invalid-value", Level::Error, &node.loc(), message);
                        return None;
                    }
                };
                SecurityScheme::ApiKey {
                    name,
                    location,
                    description,
                }
            }
            Some("http") => SecurityScheme::Http {
                scheme: self.string(node, "scheme").unwrap_or_default(),
                bearer_format: self.string(node, "bearerFormat"),
                description,
            },
            Some("oauth2") => {
                let mut flows = IndexMap::new();
                if let Some(flow_nodes) = self.object_node(node, "flows") {
                    for (flow_name, flow) in flow_nodes.members() {
                        let mut scopes = IndexMap::new();
                        if let Some(scope_nodes) = self.object_node(&flow, "scopes") {
                            for (scope, text) in scope_nodes.members() {
                                scopes.insert(
                                    scope.clone(),
                                    text.value.as_str().unwrap_or_default().to_string(),
                                );
                            }
                        }
                        flows.insert(
                            flow_name.clone(),
                            OAuthFlow {
                                authorization_url: self.string(&flow, "authorizationUrl"),
                                token_url: self.string(&flow, "tokenUrl"),
                                refresh_url: self.string(&flow, "refreshUrl"),
                                scopes,
                            },
                        );
                    }
                }
                SecurityScheme::OAuth2 { flows, description }
            }
            Some("openIdConnect") => SecurityScheme::OpenIdConnect {
                url: self.string(node, "openIdConnectUrl").unwrap_or_default(),
                description,
            },
            Some("mutualTLS") => SecurityScheme::MutualTls { description },
            Some(other) => {
                let message = format!("unknown security scheme type `{other}`");
                self.report(
                    "invalid-value",
                    Level::Error,
                    &node.loc().child("type"),
                    message,
                );
                return None;
            }
            None => {
                self.missing(node, "type", "a Security Scheme Object");
                return None;
            }
        };
        Some(scheme)
    }

    fn security(&mut self, node: &Node<'d>, key: &str) -> Option<Vec<SecurityRequirement>> {
        let list = self.array_node(node, key)?;
        let mut out = Vec::new();
        for item in list.items() {
            let mut requirement = SecurityRequirement::default();
            if item.object().is_none() {
                self.invalid(&item, "a security requirement object");
                continue;
            }
            for (scheme, scopes) in item.members() {
                let scopes = match scopes.value {
                    Value::Array(values) => values
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                    _ => {
                        self.invalid(&scopes, "an array of scope names");
                        Vec::new()
                    }
                };
                requirement.schemes.insert(scheme.clone(), scopes);
            }
            out.push(requirement);
        }
        Some(out)
    }

    // ----- paths and operations ---------------------------------------------------------------

    fn path_item(
        &mut self,
        item: Node<'d>,
        path: &str,
        kind: &OperationKind,
        default_security: &[SecurityRequirement],
        out: &mut Vec<Operation>,
    ) {
        let Some(item) = self.deref(item) else { return };
        if item.object().is_none() {
            self.invalid(&item, "a Path Item Object");
            return;
        }
        let shared_parameters = self.parameter_list(&item);
        let shared_servers = self.servers(&item);
        if self.version == SpecVersion::V3_2 && item.get("additionalOperations").is_some() {
            self.unsupported(
                &item.loc().child("additionalOperations"),
                "`additionalOperations`",
            );
        }
        for method in Method::ALL {
            let Some(op_node) = item.get(method.key()) else {
                continue;
            };
            if method == Method::Query && self.version < SpecVersion::V3_2 {
                continue; // `query` is an ordinary (ignored) key before 3.2
            }
            if op_node.object().is_none() {
                self.invalid(&op_node, "an Operation Object");
                continue;
            }
            let op = self.operation(
                op_node,
                method,
                path,
                kind,
                &shared_parameters,
                &shared_servers,
                default_security,
            );
            out.push(op);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        node: Node<'d>,
        method: Method,
        path: &str,
        kind: &OperationKind,
        shared_parameters: &[Parameter],
        shared_servers: &[Server],
        default_security: &[SecurityRequirement],
    ) -> Operation {
        let operation_id = self.string(&node, "operationId");
        let mut parameters = shared_parameters.to_vec();
        for own in self.parameter_list(&node) {
            match parameters
                .iter_mut()
                .find(|p| p.name == own.name && p.location == own.location)
            {
                Some(existing) => *existing = own,
                None => parameters.push(own),
            }
        }
        let request_body = node.get("requestBody").and_then(|b| self.request_body(b));
        let responses = match self.object_node(&node, "responses") {
            Some(r) => self.responses(&r),
            None => {
                if node.get("responses").is_none() && self.version == SpecVersion::V3_0 {
                    self.missing(&node, "responses", "an Operation Object");
                }
                Vec::new()
            }
        };
        let own_security = self.security(&node, "security");
        let security_overridden = own_security.is_some();
        let security = own_security.unwrap_or_else(|| default_security.to_vec());
        let mut servers = self.servers(&node);
        if servers.is_empty() {
            servers = shared_servers.to_vec();
        }
        let mut callbacks = Vec::new();
        if let Some(callback_nodes) = self.object_node(&node, "callbacks") {
            for (name, callback) in callback_nodes.members() {
                let Some(callback) = self.deref(callback) else {
                    continue;
                };
                for (expression, item) in callback.members() {
                    if expression.starts_with("x-") {
                        continue;
                    }
                    let kind = OperationKind::Callback {
                        name: name.clone(),
                        expression: expression.clone(),
                    };
                    self.path_item(item, expression, &kind, default_security, &mut callbacks);
                }
            }
        }
        let name = operation_id
            .clone()
            .unwrap_or_else(|| derived_operation_name(method, path));
        Operation {
            kind: kind.clone(),
            method,
            path: path.to_string(),
            operation_id,
            name,
            summary: self.string(&node, "summary"),
            description: self.string(&node, "description"),
            tags: self.string_list(&node, "tags"),
            deprecated: self.boolean(&node, "deprecated").unwrap_or(false),
            parameters,
            request_body,
            responses,
            security,
            security_overridden,
            callbacks,
            servers,
            extensions: self.extensions(&node),
            loc: node.loc(),
        }
    }

    fn parameter_list(&mut self, node: &Node<'d>) -> Vec<Parameter> {
        let Some(list) = self.array_node(node, "parameters") else {
            return Vec::new();
        };
        let mut out: Vec<Parameter> = Vec::new();
        for item in list.items() {
            let site = item.loc();
            let Some(param) = self.deref(item).and_then(|p| self.parameter(&p)) else {
                continue;
            };
            if out
                .iter()
                .any(|p| p.name == param.name && p.location == param.location)
            {
                let message = format!(
                    "parameter `{}` in {} is declared twice",
                    param.name,
                    param.location.as_str()
                );
                self.report("duplicate-parameter", Level::Error, &site, message);
                continue;
            }
            out.push(param);
        }
        out
    }

    fn parameter(&mut self, node: &Node<'d>) -> Option<Parameter> {
        if node.object().is_none() {
            self.invalid(node, "a Parameter Object");
            return None;
        }
        let Some(name) = self.string(node, "name") else {
            self.missing(node, "name", "a Parameter Object");
            return None;
        };
        let location = match self.string(node, "in").as_deref() {
            Some("path") => ParameterLocation::Path,
            Some("query") => ParameterLocation::Query,
            Some("header") => ParameterLocation::Header,
            Some("cookie") => ParameterLocation::Cookie,
            Some("querystring") if self.version >= SpecVersion::V3_2 => {
                ParameterLocation::QueryString
            }
            Some(other) => {
                let message = format!("parameter `{name}` has an unknown location `in: {other}`");
                self.report(
                    "invalid-value",
                    Level::Error,
                    &node.loc().child("in"),
                    message,
                );
                return None;
            }
            None => {
                self.missing(node, "in", &format!("parameter `{name}`"));
                return None;
            }
        };
        let required = self.boolean(node, "required").unwrap_or(false);
        if location == ParameterLocation::Path && !required {
            let message = format!("path parameter `{name}` must have `required: true`");
            self.report(
                "path-parameter-not-required",
                Level::Error,
                &node.loc(),
                message,
            );
        }
        let default_style = match location {
            ParameterLocation::Path | ParameterLocation::Header => ParameterStyle::Simple,
            _ => ParameterStyle::Form,
        };
        let style = self.style(node).unwrap_or(default_style);
        let explode = self
            .boolean(node, "explode")
            .unwrap_or(style == ParameterStyle::Form);
        let (schema, content) = self.schema_or_content(node);
        Some(Parameter {
            name,
            location,
            required: required || location == ParameterLocation::Path,
            deprecated: self.boolean(node, "deprecated").unwrap_or(false),
            description: self.string(node, "description"),
            style,
            explode,
            allow_reserved: self.boolean(node, "allowReserved").unwrap_or(false),
            allow_empty_value: self.boolean(node, "allowEmptyValue").unwrap_or(false),
            schema,
            content,
            examples: self.examples(node),
            extensions: self.extensions(node),
            loc: node.loc(),
        })
    }

    fn style(&mut self, node: &Node<'d>) -> Option<ParameterStyle> {
        let text = self.string(node, "style")?;
        let style = match text.as_str() {
            "matrix" => ParameterStyle::Matrix,
            "label" => ParameterStyle::Label,
            "simple" => ParameterStyle::Simple,
            "form" => ParameterStyle::Form,
            "spaceDelimited" => ParameterStyle::SpaceDelimited,
            "pipeDelimited" => ParameterStyle::PipeDelimited,
            "deepObject" => ParameterStyle::DeepObject,
            other => {
                let message = format!("unknown style `{other}`");
                self.report(
                    "invalid-value",
                    Level::Error,
                    &node.loc().child("style"),
                    message,
                );
                return None;
            }
        };
        Some(style)
    }

    /// A parameter's or header's `schema`, or its single `content` entry.
    fn schema_or_content(
        &mut self,
        node: &Node<'d>,
    ) -> (Option<SchemaId>, Option<(String, MediaType)>) {
        if let Some(schema) = node.get("schema") {
            return (Some(self.schema(schema)), None);
        }
        if let Some(content) = self.object_node(node, "content") {
            let mut entries = content.members();
            if entries.len() != 1 {
                let message =
                    "`content` of a parameter or header must have exactly one entry".to_string();
                self.report("invalid-value", Level::Error, &content.loc(), message);
            }
            if !entries.is_empty() {
                let (media_type, media) = entries.swap_remove(0);
                let media = self.media_type(media);
                return (media.schema, Some((media_type.clone(), media)));
            }
        }
        (None, None)
    }

    fn request_body(&mut self, node: Node<'d>) -> Option<RequestBody> {
        let node = self.deref(node)?;
        if node.object().is_none() {
            self.invalid(&node, "a Request Body Object");
            return None;
        }
        let content = match self.object_node(&node, "content") {
            Some(c) => self.content(&c),
            None => {
                self.missing(&node, "content", "a Request Body Object");
                IndexMap::new()
            }
        };
        Some(RequestBody {
            description: self.string(&node, "description"),
            required: self.boolean(&node, "required").unwrap_or(false),
            content,
            loc: node.loc(),
        })
    }

    fn responses(&mut self, node: &Node<'d>) -> Vec<Response> {
        let mut out = Vec::new();
        for (key, response) in node.members() {
            if key.starts_with("x-") {
                continue;
            }
            let Some(status) = StatusCode::parse(key) else {
                let message =
                    format!("`{key}` is not a status code, a range like `4XX`, or `default`");
                self.report("invalid-value", Level::Error, &response.loc(), message);
                continue;
            };
            let Some(response) = self.deref(response) else {
                continue;
            };
            if response.object().is_none() {
                self.invalid(&response, "a Response Object");
                continue;
            }
            let description = self.string(&response, "description");
            if description.is_none() && response.get("description").is_none() {
                self.missing(&response, "description", &format!("response {key}"));
            }
            let headers = self.headers(&response);
            let content = match self.object_node(&response, "content") {
                Some(c) => self.content(&c),
                None => IndexMap::new(),
            };
            let links = response
                .get("links")
                .and_then(|l| l.value.as_object().cloned())
                .map(|m| m.into_iter().collect())
                .unwrap_or_default();
            out.push(Response {
                status,
                description,
                headers,
                content,
                links,
                loc: response.loc(),
            });
        }
        out
    }

    fn headers(&mut self, node: &Node<'d>) -> IndexMap<String, Header> {
        let mut out = IndexMap::new();
        let Some(headers) = self.object_node(node, "headers") else {
            return out;
        };
        for (name, header) in headers.members() {
            let Some(header) = self.deref(header) else {
                continue;
            };
            if header.object().is_none() {
                self.invalid(&header, "a Header Object");
                continue;
            }
            let style = self.style(&header).unwrap_or(ParameterStyle::Simple);
            let (schema, content) = self.schema_or_content(&header);
            out.insert(
                name.clone(),
                Header {
                    description: self.string(&header, "description"),
                    required: self.boolean(&header, "required").unwrap_or(false),
                    deprecated: self.boolean(&header, "deprecated").unwrap_or(false),
                    style,
                    explode: self.boolean(&header, "explode").unwrap_or(false),
                    schema,
                    content,
                    examples: self.examples(&header),
                    loc: header.loc(),
                },
            );
        }
        out
    }

    fn content(&mut self, node: &Node<'d>) -> IndexMap<String, MediaType> {
        let mut out = IndexMap::new();
        for (media_type, media) in node.members() {
            let media = self.media_type(media);
            out.insert(media_type.clone(), media);
        }
        out
    }

    fn media_type(&mut self, node: Node<'d>) -> MediaType {
        let node = self.deref(node.clone()).unwrap_or(node);
        if self.version == SpecVersion::V3_2 {
            for key in ["itemSchema", "itemEncoding", "prefixEncoding"] {
                if node.get(key).is_some() {
                    self.unsupported(&node.loc().child(key), &format!("`{key}`"));
                }
            }
        }
        let schema = node.get("schema").map(|s| self.schema(s));
        let mut encoding = IndexMap::new();
        if let Some(enc) = self.object_node(&node, "encoding") {
            for (property, e) in enc.members() {
                encoding.insert(
                    property.clone(),
                    Encoding {
                        content_type: self.string(&e, "contentType"),
                        headers: self.headers(&e),
                        style: self.style(&e),
                        explode: self.boolean(&e, "explode"),
                    },
                );
            }
        }
        MediaType {
            schema,
            examples: self.examples(&node),
            encoding,
            loc: node.loc(),
        }
    }

    /// `example` and the `examples` map of a parameter, header or media type.
    fn examples(&mut self, node: &Node<'d>) -> Vec<Example> {
        let mut out = Vec::new();
        if let Some(example) = node.get("example") {
            out.push(Example {
                name: None,
                summary: None,
                value: Some(example.loc()),
                external_value: None,
                declared_at: example.loc(),
            });
        }
        if let Some(examples) = self.object_node(node, "examples") {
            for (name, example) in examples.members() {
                let declared_at = example.loc();
                let Some(example) = self.deref(example) else {
                    continue;
                };
                if example.object().is_none() {
                    self.invalid(&example, "an Example Object");
                    continue;
                }
                out.push(Example {
                    name: Some(name.clone()),
                    summary: self.string(&example, "summary"),
                    value: example.get("value").map(|v| v.loc()),
                    external_value: self.string(&example, "externalValue"),
                    declared_at,
                });
            }
        }
        out
    }

    // ----- schemas ------------------------------------------------------------------------------

    /// The id of the schema written at `node` (following a pure `$ref` to its target).
    fn schema(&mut self, node: Node<'d>) -> SchemaId {
        if let Some(reference) = pure_ref(node.value) {
            return self.schema_ref(&node, reference);
        }
        let key = (node.file, node.pointer.clone());
        if let Some(id) = self.schema_ids.get(&key) {
            return *id;
        }
        let id = self.types.allocate(node.loc());
        self.schema_ids.insert(key, id);
        let schema = self.schema_object(&node);
        self.types.set(id, schema);
        id
    }

    /// The id of the schema a `$ref` names: allocated now, read later from the queue.
    fn schema_ref(&mut self, at: &Node<'d>, reference: &str) -> SchemaId {
        let ref_loc = at.loc().child("$ref");
        let mut file = at.file;
        let mut reference = reference.to_string();
        let mut hops = 0;
        loop {
            let target = match self.docs.resolve_ref(file, &reference) {
                Ok(t) => t,
                Err(reason) => {
                    let message = format!("unresolved $ref `{reference}`: {reason}");
                    self.report("unresolved-ref", Level::Error, &ref_loc, message);
                    return self.stand_in(&ref_loc);
                }
            };
            let key = (target.file, target.pointer.to_string());
            if let Some(id) = self.schema_ids.get(&key) {
                return *id;
            }
            if let Some(next) = pure_ref(target.value) {
                hops += 1;
                if hops > 64 || (target.file == file && next == reference) {
                    let message = format!(
                        "the $ref chain through `{reference}` loops without reaching a schema"
                    );
                    self.report("ref-cycle", Level::Error, &ref_loc, message);
                    return self.stand_in(&ref_loc);
                }
                file = target.file;
                reference = next.to_string();
                continue;
            }
            let loc = Loc::new(target.file, target.pointer.to_string());
            let id = self.types.allocate(loc);
            self.schema_ids.insert(key.clone(), id);
            self.pending.push((id, key.0, key.1));
            return id;
        }
    }

    /// An "accepts anything" schema standing in for a broken reference.
    fn stand_in(&mut self, loc: &Loc) -> SchemaId {
        let id = self.types.allocate(loc.clone());
        self.types.set(
            id,
            Schema {
                loc: loc.clone(),
                unresolved: true,
                ..Schema::default()
            },
        );
        id
    }

    fn drain_pending(&mut self) {
        while let Some((id, file, pointer)) = self.pending.pop() {
            let Some(value) = pointer::get(&self.docs.file(file).root, &pointer) else {
                continue;
            };
            let node = Node {
                file,
                pointer,
                value,
            };
            let schema = self.schema_object(&node);
            self.types.set(id, schema);
        }
    }

    fn schema_object(&mut self, node: &Node<'d>) -> Schema {
        let mut schema = Schema {
            loc: node.loc(),
            ..Schema::default()
        };
        let map = match node.value {
            Value::Object(map) => map,
            Value::Bool(true) => return schema,
            Value::Bool(false) => {
                // `false` accepts nothing: not(anything).
                let anything = self.types.allocate(node.loc());
                schema.not = Some(anything);
                return schema;
            }
            _ => {
                self.invalid(node, "a Schema Object");
                return schema;
            }
        };
        if let Some(reference) = ref_of(node.value) {
            // `$ref` beside other keywords (3.1, and the 3.0 habit of `nullable`/`description`
            // next to a `$ref`): the referenced schema plus the siblings.
            let target = self.schema_ref(node, reference);
            schema.all_of.push(target);
        }
        self.schema_types(node, &mut schema);
        schema.title = self.string(node, "title");
        schema.description = self.string(node, "description");
        schema.format = self.string(node, "format");
        schema.pattern = self.string(node, "pattern");
        let mut rare = RareKeywords::default();
        schema.enum_values = match node.get("enum") {
            Some(e) => match e.value {
                Value::Array(values) => Some(values.clone()),
                _ => {
                    self.invalid(&e, "an array of values");
                    None
                }
            },
            None => None,
        };
        rare.const_value = map.get("const").cloned();
        schema.default = map.get("default").cloned();
        rare.multiple_of = self.number(node, "multipleOf");
        schema.maximum = self.number(node, "maximum");
        schema.minimum = self.number(node, "minimum");
        self.exclusive_bound(
            node,
            "exclusiveMaximum",
            &mut schema.maximum,
            &mut rare.exclusive_maximum,
        );
        self.exclusive_bound(
            node,
            "exclusiveMinimum",
            &mut schema.minimum,
            &mut rare.exclusive_minimum,
        );
        schema.max_length = self.unsigned(node, "maxLength");
        schema.min_length = self.unsigned(node, "minLength");
        schema.max_items = self.unsigned(node, "maxItems");
        schema.min_items = self.unsigned(node, "minItems");
        schema.unique_items = self.boolean(node, "uniqueItems").unwrap_or(false);
        rare.max_properties = self.unsigned(node, "maxProperties");
        rare.min_properties = self.unsigned(node, "minProperties");
        schema.read_only = self.boolean(node, "readOnly").unwrap_or(false);
        schema.write_only = self.boolean(node, "writeOnly").unwrap_or(false);
        schema.deprecated = self.boolean(node, "deprecated").unwrap_or(false);
        rare.content_media_type = self.string(node, "contentMediaType");
        rare.content_encoding = self.string(node, "contentEncoding");
        schema.required = self.string_list(node, "required");

        if let Some(props) = self.object_node(node, "properties") {
            for (name, prop) in props.members() {
                let id = self.schema(prop);
                schema.properties.insert(name.clone(), id);
            }
        }
        if let Some(props) = self.object_node(node, "patternProperties") {
            for (pattern, prop) in props.members() {
                let id = self.schema(prop);
                rare.pattern_properties.insert(pattern.clone(), id);
            }
        }
        schema.additional_properties = node.get("additionalProperties").map(|n| self.additional(n));
        rare.unevaluated_properties = node
            .get("unevaluatedProperties")
            .map(|n| self.additional(n));
        schema.property_names = node.get("propertyNames").map(|n| self.schema(n));
        if let Some(dep) = self.object_node(node, "dependentRequired") {
            for (name, list) in dep.members() {
                let names = list.value.as_array().map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                });
                rare.dependent_required
                    .insert(name.clone(), names.unwrap_or_default());
            }
        }
        match node.get("items") {
            Some(items) if items.value.is_array() => {
                schema.prefix_items = items.items().into_iter().map(|i| self.schema(i)).collect();
            }
            Some(items) => schema.items = Some(self.schema(items)),
            None => {}
        }
        if let Some(prefix) = self.array_node(node, "prefixItems") {
            schema.prefix_items = prefix.items().into_iter().map(|i| self.schema(i)).collect();
        }
        schema.contains = node.get("contains").map(|n| self.schema(n));
        rare.min_contains = self.unsigned(node, "minContains");
        rare.max_contains = self.unsigned(node, "maxContains");
        rare.unevaluated_items = node.get("unevaluatedItems").map(|n| self.additional(n));
        if let Some(deps) = self.object_node(node, "dependentSchemas") {
            for (name, dep) in deps.members() {
                let id = self.schema(dep);
                rare.dependent_schemas.insert(name.clone(), id);
            }
        }
        schema.content_schema = node.get("contentSchema").map(|n| self.schema(n));
        let all_of = self.schema_list(node, "allOf");
        schema.all_of.extend(all_of);
        schema.one_of = self.schema_list(node, "oneOf");
        schema.any_of = self.schema_list(node, "anyOf");
        schema.not = node.get("not").map(|n| self.schema(n));
        if let Some(condition) = node.get("if") {
            let if_id = self.schema(condition);
            let then_id = node.get("then").map(|n| self.schema(n));
            let else_id = node.get("else").map(|n| self.schema(n));
            rare.if_then_else = Some((if_id, then_id, else_id));
        }
        rare.discriminator = self.discriminator(node);
        schema.examples = self.schema_examples(node);
        schema.extensions = self.extensions(node);
        schema.set_rare(rare);
        self.fold_null_branches(&mut schema);
        schema
    }

    fn schema_types(&mut self, node: &Node<'d>, schema: &mut Schema) {
        let mut nullable = self.boolean(node, "nullable").unwrap_or(false);
        if let Some(t) = node.get("type") {
            let names: Vec<(&str, Node<'d>)> = match t.value {
                Value::String(s) => vec![(s.as_str(), t.clone())],
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.as_str().map(|s| (s, t.child(&i.to_string(), v))))
                    .collect(),
                _ => {
                    self.invalid(&t, "a type name or an array of type names");
                    Vec::new()
                }
            };
            let mut types = Vec::new();
            for (name, at) in names {
                if name == "null" {
                    nullable = true;
                } else if let Some(ty) = InstanceType::parse(name) {
                    if !types.contains(&ty) {
                        types.push(ty);
                    }
                } else {
                    let message = format!("unknown type `{name}`");
                    self.report("invalid-value", Level::Error, &at.loc(), message);
                }
            }
            types.sort();
            schema.types = Some(types);
        }
        schema.nullable = nullable;
    }

    /// 3.0's `exclusiveMaximum: true` (with `maximum`) and 3.1's `exclusiveMaximum: 10` come out
    /// the same: the exclusive bound set, the inclusive one cleared.
    fn exclusive_bound(
        &mut self,
        node: &Node<'d>,
        key: &str,
        inclusive: &mut Option<serde_json::Number>,
        exclusive: &mut Option<serde_json::Number>,
    ) {
        let Some(child) = node.get(key) else { return };
        match child.value {
            Value::Bool(true) => *exclusive = inclusive.take(),
            Value::Bool(false) => {}
            Value::Number(n) => *exclusive = Some(n.clone()),
            _ => self.invalid(&child, "a number (or, in 3.0, a boolean)"),
        }
    }

    fn additional(&mut self, node: Node<'d>) -> AdditionalProperties {
        match node.value {
            Value::Bool(true) => AdditionalProperties::Any,
            Value::Bool(false) => AdditionalProperties::Forbidden,
            _ => AdditionalProperties::Schema(self.schema(node)),
        }
    }

    fn schema_list(&mut self, node: &Node<'d>, key: &str) -> Vec<SchemaId> {
        let Some(list) = self.array_node(node, key) else {
            return Vec::new();
        };
        list.items().into_iter().map(|i| self.schema(i)).collect()
    }

    /// `anyOf`/`oneOf` branches that only admit null become `nullable`; a single remaining
    /// branch is the schema itself (`allOf: [it]`), so `anyOf: [T, {type: null}]` equals
    /// 3.0's `nullable` beside `allOf: [T]`.
    fn fold_null_branches(&mut self, schema: &mut Schema) {
        for which in [0, 1] {
            let branches = if which == 0 {
                &mut schema.any_of
            } else {
                &mut schema.one_of
            };
            if branches.is_empty() {
                continue;
            }
            let before = branches.len();
            branches.retain(|b| !is_null_only(self.types.get(*b)));
            if branches.len() == before {
                continue;
            }
            schema.nullable = true;
            if branches.len() != 1 {
                continue;
            }
            let only = branches.remove(0);
            let branch = self.types.get(only);
            let inline =
                branch.name.is_none() && !self.pending.iter().any(|(id, _, _)| *id == only);
            if inline && is_bare(schema) {
                // `anyOf: [{type: string}, {type: "null"}]` is `type: [string, "null"]`.
                let mut merged = branch.clone();
                merged.nullable = true;
                merged.title = schema.title.take().or(merged.title);
                merged.description = schema.description.take().or(merged.description);
                merged.default = schema.default.take().or(merged.default);
                merged.deprecated |= schema.deprecated;
                let mut examples = std::mem::take(&mut schema.examples);
                examples.append(&mut merged.examples);
                merged.examples = examples;
                for (k, v) in std::mem::take(&mut schema.extensions) {
                    merged.extensions.entry(k).or_insert(v);
                }
                *schema = merged;
                return;
            }
            schema.all_of.push(only);
        }
    }

    fn discriminator(&mut self, node: &Node<'d>) -> Option<Discriminator> {
        let d = self.object_node(node, "discriminator")?;
        let Some(property_name) = self.string(&d, "propertyName") else {
            self.missing(&d, "propertyName", "a Discriminator Object");
            return None;
        };
        let mut mapping = IndexMap::new();
        if let Some(map) = self.object_node(&d, "mapping") {
            for (value, target) in map.members() {
                let Some(text) = target.value.as_str() else {
                    self.invalid(&target, "a schema name or reference");
                    continue;
                };
                // A bare name means `#/components/schemas/<name>`.
                let reference = if text.contains('#') || text.contains('/') || text.contains('.') {
                    text.to_string()
                } else {
                    format!("#/components/schemas/{}", pointer::escape_token(text))
                };
                let id = self.schema_ref_at(&target, &reference);
                mapping.insert(value.clone(), id);
            }
        }
        Some(Discriminator {
            property_name,
            mapping,
        })
    }

    /// Like `schema_ref`, for a reference that is the node itself (a discriminator mapping
    /// entry) rather than its `$ref` member: findings point at the node.
    fn schema_ref_at(&mut self, at: &Node<'d>, reference: &str) -> SchemaId {
        let before = self.findings.len();
        let id = self.schema_ref(at, reference);
        for finding in &mut self.findings[before..] {
            if let Some(location) = &mut finding.location
                && location.pointer.ends_with("/$ref")
            {
                *location = self.docs.location(at.file, &at.pointer);
            }
        }
        id
    }

    fn schema_examples(&mut self, node: &Node<'d>) -> Vec<Example> {
        let mut out = Vec::new();
        if let Some(example) = node.get("example") {
            out.push(Example {
                name: None,
                summary: None,
                value: Some(example.loc()),
                external_value: None,
                declared_at: example.loc(),
            });
        }
        if let Some(examples) = node.get("examples") {
            match examples.value {
                Value::Array(_) => {
                    for (i, item) in examples.items().into_iter().enumerate() {
                        out.push(Example {
                            name: Some(i.to_string()),
                            summary: None,
                            value: Some(item.loc()),
                            external_value: None,
                            declared_at: item.loc(),
                        });
                    }
                }
                _ => self.invalid(&examples, "an array of example values"),
            }
        }
        out
    }
}

/// The `$ref` of an object, if it has one.
fn ref_of(value: &Value) -> Option<&str> {
    value.as_object()?.get("$ref")?.as_str()
}

/// The `$ref` of an object that has nothing else that matters (annotations aside).
fn pure_ref(value: &Value) -> Option<&str> {
    let map = value.as_object()?;
    let reference = map.get("$ref")?.as_str()?;
    let only_annotations = map
        .keys()
        .all(|k| k == "$ref" || k == "$comment" || k == "summary");
    only_annotations.then_some(reference)
}

/// True when a schema has nothing but annotations, nullability and (the branches being folded)
/// `anyOf`/`oneOf`.
fn is_bare(schema: &Schema) -> bool {
    let bare = Schema {
        loc: schema.loc.clone(),
        name: schema.name.clone(),
        title: schema.title.clone(),
        description: schema.description.clone(),
        nullable: schema.nullable,
        default: schema.default.clone(),
        deprecated: schema.deprecated,
        examples: schema.examples.clone(),
        extensions: schema.extensions.clone(),
        any_of: schema.any_of.clone(),
        one_of: schema.one_of.clone(),
        ..Schema::default()
    };
    bare == *schema && schema.name.is_none()
}

fn is_null_only(schema: &Schema) -> bool {
    schema.nullable
        && schema.types.as_ref().is_some_and(Vec::is_empty)
        && schema.all_of.is_empty()
        && schema.any_of.is_empty()
        && schema.one_of.is_empty()
        && schema.properties.is_empty()
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => "a string".to_string(),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// `get /pets/{petId}/photo` → `get_pets_pet_id_photo`: a stable name for operations without an
/// `operationId`. Languages re-case it.
pub(crate) fn derived_operation_name(method: Method, path: &str) -> String {
    let mut name = method.key().to_string();
    let mut word = String::new();
    let flush = |word: &mut String, name: &mut String| {
        if !word.is_empty() {
            name.push('_');
            name.push_str(&word.to_ascii_lowercase());
            word.clear();
        }
    };
    let mut prev_lower = false;
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower {
                flush(&mut word, &mut name);
            }
            word.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            flush(&mut word, &mut name);
            prev_lower = false;
        }
    }
    flush(&mut word, &mut name);
    name
}

/// Derived names may collide with each other or with operationIds: number the later ones.
fn assign_unique_names(operations: &mut [Operation]) {
    let mut used: HashMap<String, usize> = HashMap::new();
    for op in operations.iter() {
        if op.operation_id.is_some() {
            *used.entry(op.name.clone()).or_default() += 0;
        }
    }
    for op in operations.iter_mut() {
        if op.operation_id.is_some() {
            continue;
        }
        let base = op.name.clone();
        let mut candidate = base.clone();
        let mut n = 1;
        while used.contains_key(&candidate) {
            n += 1;
            candidate = format!("{base}_{n}");
        }
        used.insert(candidate.clone(), 0);
        op.name = candidate;
    }
}
