//! Path items and what they hold: operations, parameters, request bodies, responses, headers,
//! media types and their examples.

use super::*;
use crate::catalogue::validate::structure as rule;

impl<'d> Builder<'d> {
    pub(super) fn path_item(
        &mut self,
        item: Node<'d>,
        path: &str,
        kind: &OperationKind,
        default_security: &[SecurityRequirement],
        out: &mut Vec<Operation>,
    ) {
        let Some(item) = self.deref(item) else { return };
        if item.object().is_none() {
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
        // Vectors of a spec's every operation: no room to grow left (a GET with two
        // parameters held four, a single response four: N = 16,000 of bench/diff-scale.sh,
        // ~40 MB per spec while the spec's tree is still loaded).
        parameters.shrink_to_fit();
        let request_body = node.get("requestBody").and_then(|b| self.request_body(b));
        let responses = match self.object_node(&node, "responses") {
            Some(r) => self.responses(&r),
            None => Vec::new(),
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
                self.report(rule::DUPLICATE_PARAMETER.id, Level::Error, &site, message);
                continue;
            }
            out.push(param);
        }
        out
    }

    fn parameter(&mut self, node: &Node<'d>) -> Option<Parameter> {
        let name = self.string(node, "name")?;
        let location = match self.string(node, "in").as_deref() {
            Some("path") => ParameterLocation::Path,
            Some("query") => ParameterLocation::Query,
            Some("header") => ParameterLocation::Header,
            Some("cookie") => ParameterLocation::Cookie,
            Some("querystring") if self.version >= SpecVersion::V3_2 => {
                ParameterLocation::QueryString
            }
            _ => return None,
        };
        let required = self.boolean(node, "required").unwrap_or(false);
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
            _ => return None,
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
        node.object()?;
        let content = match self.object_node(&node, "content") {
            Some(c) => self.content(&c),
            None => IndexMap::new(),
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
                continue;
            };
            let Some(response) = self.deref(response) else {
                continue;
            };
            if response.object().is_none() {
                continue;
            }
            let description = self.string(&response, "description");
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
        out.shrink_to_fit();
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
pub(super) fn assign_unique_names(operations: &mut [Operation]) {
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
