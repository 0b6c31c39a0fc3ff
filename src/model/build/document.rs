//! The document-level objects: the OpenAPI Object itself, info, servers, tags, security schemes
//! and requirements.

use super::operations::assign_unique_names;
use super::*;
use crate::catalogue::validate::structure as rule;

impl<'d> Builder<'d> {
    pub(super) fn document(&mut self, root_value: &'d Value) -> DocumentParts {
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
            self.report(
                rule::UNSUPPORTED_SCHEMA_DIALECT.id,
                Level::Error,
                &loc,
                message,
            );
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
        if let Some(paths) = self.object_node(&root, "paths") {
            for (path, item) in paths.members() {
                if path.starts_with("x-") {
                    continue;
                }
                self.path_item(item, path, &OperationKind::Path, &security, &mut operations);
            }
        }

        // Read in 3.0 too (where the shape check reports them): a webhook is not lost silently.
        let mut webhooks = Vec::new();
        if let Some(hooks) = self.object_node(&root, "webhooks") {
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

    pub(super) fn unsupported(&mut self, loc: &Loc, what: &str) {
        let message = format!("{what} (OpenAPI 3.2) is not supported yet and is ignored");
        self.report(rule::UNSUPPORTED_FEATURE.id, Level::Warning, loc, message);
    }

    fn info(&mut self, root: &Node<'d>) -> Info {
        let Some(info) = self.object_node(root, "info") else {
            return Info::default();
        };
        let title = self.string(&info, "title");
        let version = self.string(&info, "version");
        let license = self.object_node(&info, "license").map(|license| License {
            name: self.string(&license, "name").unwrap_or_default(),
            identifier: self.string(&license, "identifier"),
            url: self.string(&license, "url"),
        });
        Info {
            title: title.unwrap_or_default(),
            version: version.unwrap_or_default(),
            description: self.string(&info, "description"),
            summary: self.string(&info, "summary"),
            license,
        }
    }

    pub(super) fn servers(&mut self, node: &Node<'d>) -> Vec<Server> {
        let Some(list) = self.array_node(node, "servers") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in list.items() {
            let Some(url) = self.string(&item, "url") else {
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
                    _ => return None,
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
            _ => return None,
        };
        Some(scheme)
    }

    pub(super) fn security(
        &mut self,
        node: &Node<'d>,
        key: &str,
    ) -> Option<Vec<SecurityRequirement>> {
        let list = self.array_node(node, key)?;
        let mut out = Vec::new();
        for item in list.items() {
            let mut requirement = SecurityRequirement::default();
            if item.object().is_none() {
                continue;
            }
            for (scheme, scopes) in item.members() {
                let scopes = match scopes.value {
                    Value::Array(values) => values
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                    _ => Vec::new(),
                };
                requirement.schemes.insert(scheme.clone(), scopes);
            }
            out.push(requirement);
        }
        Some(out)
    }
}
