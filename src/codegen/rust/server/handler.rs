//! The extraction steps of a handler: which parameters it reads from where, with which style
//! and shape, how it reads and checks the body, what it requires; data the template turns
//! into statements.

use super::view::{
    BodyStep, FieldView, FileView, FormBodyView, FormFieldStep, FormStep, HandlerView, InitView,
    NotImplementedView, OperationView, PartHeadersView, StreamedFormView, ValueStep,
};
use super::{BodyKind, ServerBuilder, body_kind};
use crate::codegen::rust::models::Ty;
use crate::codegen::rust::naming::{
    Namer, doc_attrs, pascal_ident, snake_ident, stem, string_literal,
};
use crate::model::media::{self, MediaKind};
use crate::model::wire::{Serialization, WireOperation};
use crate::model::{
    Direction, InstanceType, MediaType, Operation, ParameterLocation, ParameterStyle, SchemaId,
    StatusCode, path_template,
};

/// Names the handler body binds, which the local of a parameter or form field must not shadow
/// (the field keeps its name; its local gets another).
const HANDLER_LOCALS: &[&str] = &[
    "api_state",
    "http_parts",
    "http_body",
    "errors",
    "query_string",
    "path_params",
    "form_fields",
    "principals",
    "context",
    "response_headers",
    "file_parts",
    "request_accept",
];

/// Names clippy rejects for bindings (`disallowed_names`).
const PLACEHOLDERS: &[&str] = &["foo", "baz", "quux"];

/// The local variable holding a field's value while the handler parses the request (or a
/// match binds it).
fn local_for(field: &str, locals: &mut Namer) -> String {
    let bare = crate::codegen::rust::naming::unraw(field);
    if HANDLER_LOCALS.contains(&bare) || PLACEHOLDERS.contains(&bare) {
        locals.fresh(&format!("{}_value", stem(field)))
    } else {
        locals.fresh(field)
    }
}

/// The runtime predicate accepting a request `Content-Type` of a body's kind.
fn accepts(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Xml => "is_xml",
        MediaKind::Json | MediaKind::Any => "is_json",
        _ => "is_text",
    }
}

/// The `runtime::Style` variant of a parameter style.
fn style_variant(style: ParameterStyle) -> &'static str {
    match style {
        ParameterStyle::Matrix => "Matrix",
        ParameterStyle::Label => "Label",
        ParameterStyle::Simple => "Simple",
        ParameterStyle::Form => "Form",
        ParameterStyle::SpaceDelimited => "SpaceDelimited",
        ParameterStyle::PipeDelimited => "PipeDelimited",
        ParameterStyle::DeepObject => "DeepObject",
    }
}

impl<'c> ServerBuilder<'_, 'c> {
    /// The trait method, request struct, response enum and handler steps of an operation.
    pub(super) fn operation(&mut self, wire: &WireOperation<'c>) -> OperationView {
        let op = wire.operation;
        let base = stem(&pascal_ident(&op.name, "Op")).to_string();
        let names = super::super::operation_names(&op.name);
        let request_type = self.names.fresh(&names.request);
        let response_type = self.names.fresh(&names.response);
        let method = self.methods.fresh(&snake_ident(&op.name));
        // Keywords stay raw identifiers (`r#type`): without `r#` they are not names at all.
        let handler = self.handlers.fresh(&snake_ident(&op.name));
        let label = op.label();

        let mut docs = Vec::new();
        if let Some(summary) = &op.summary {
            docs.push(summary.clone());
        }
        if let Some(description) = &op.description {
            docs.push(description.clone());
        }
        let id = op
            .operation_id
            .as_deref()
            .map(|id| format!(" (`{id}`)"))
            .unwrap_or_default();
        let deprecated = if op.deprecated { " Deprecated." } else { "" };
        docs.push(format!("`{label}`{id}.{deprecated}"));
        let method_docs = doc_attrs(&docs.join("\n\n"));

        let mut fields = Namer::snake();
        let mut locals = Namer::snake();
        locals.reserve(HANDLER_LOCALS.iter().copied());
        let mut request_fields = Vec::new();
        let mut required = Vec::new();
        let mut inits = Vec::new();

        let path_names = path_template::names(&op.path);
        let uses_path = wire
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Path);
        let uses_query = wire
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Query);
        let body = wire.body.as_ref();
        let mut authorize = None;
        if self.has_security {
            let (security, requires) = self.operation_security(op, &handler, &wire.security);
            if requires {
                authorize = Some(security);
            }
        }

        // The body's field and local are both `body`: reserved before any parameter.
        let body_ident = body.as_ref().map(|_| locals.fresh(&fields.fresh("body")));

        let mut parameters = Vec::new();
        for wp in &wire.parameters {
            let p = wp.parameter;
            if p.location == ParameterLocation::QueryString {
                self.finding(op, format!("the querystring parameter `{}` is not supported: not passed to the handler", p.name));
                continue;
            }
            let ident = fields.fresh(&snake_ident(&p.name));
            let local = local_for(&ident, &mut locals);
            let hint = format!("{base}{}", pascal_ident(&p.name, "P"));
            let schema = wp.schema;
            // A non-JSON `content` parameter keeps the location's default style.
            let (style, explode) = match wp.serialization {
                _ if wp.serialization.is_json() => ("Json", p.explode),
                Serialization::Style { style, explode, .. } => (style_variant(style), explode),
                Serialization::Content { .. } => (style_variant(p.style), p.explode),
            };
            let ty = match schema {
                Some(schema) => self.types.ty(schema, Direction::Request, &hint).0,
                None => Ty::String,
            };
            let shape = ty.shape(&self.types.defs);
            let name = string_literal(&p.name);
            let mut wire_name = name.clone();
            let mut position = 0;
            let location = match p.location {
                ParameterLocation::Path => {
                    position = path_names
                        .iter()
                        .position(|n| *n == p.name)
                        .unwrap_or(usize::MAX);
                    if position == usize::MAX {
                        self.finding(
                            op,
                            format!("path parameter `{}` is not in the path template", p.name),
                        );
                    }
                    "Path"
                }
                ParameterLocation::Query => "Query",
                ParameterLocation::Header => {
                    wire_name = string_literal(&p.name.to_ascii_lowercase());
                    "Header"
                }
                ParameterLocation::Cookie => "Cookie",
                ParameterLocation::QueryString => continue,
            };
            let is_required = wp.required;
            let (value_schema, checks) = self.value_checks(schema, &ty);
            let default = schema
                .filter(|_| !is_required)
                .and_then(|schema| self.types.default_expr(schema, &ty, false, "models::"));
            // A value with a default is always there once read.
            let always = is_required || default.is_some();
            let rendered = self.render(&ty);
            let mut doc = p.description.clone().unwrap_or_default();
            let where_ = format!("{} parameter `{}`", p.location.as_str(), p.name);
            doc = if doc.is_empty() {
                format!("The {where_}.")
            } else {
                format!("{doc}\n\nThe {where_}.")
            };
            if let (Some(_), Some(value)) =
                (&default, schema.and_then(|s| self.types.default_value(s)))
            {
                doc = format!("{doc} Absent: `{value}`.");
            }
            request_fields.push(FieldView {
                doc_attrs: doc_attrs(&doc),
                ident: ident.clone(),
                ty: if always {
                    rendered.clone()
                } else {
                    format!("Option<{rendered}>")
                },
            });
            parameters.push(ValueStep {
                local: local.clone(),
                ty: rendered,
                required: is_required,
                location,
                name,
                part: String::new(),
                wire_name,
                position,
                shape,
                style,
                explode,
                checks,
                default,
                schema: value_schema,
            });
            if always {
                required.push(local.clone());
            }
            inits.push(InitView::new(&ident, &local));
        }

        let mut body_step = None;
        if let (Some(wire_body), Some(ident)) = (body, body_ident) {
            let (request_body, media, media_type, media_kind) = (
                wire_body.body,
                wire_body.media_type,
                wire_body.media,
                wire_body.kind,
            );
            let kind = body_kind(media, media_kind);
            let is_required = request_body.required;
            let hint = format!("{base}Body");
            let mut step = BodyStep {
                local: ident.clone(),
                kind: "binary",
                required: is_required,
                ty: "runtime::BodyStream".to_string(),
                media: string_literal(media),
                accepts: accepts(media_kind),
                checks: Vec::new(),
                schema_definition: None,
                schema_always: false,
                form: None,
            };
            match kind {
                BodyKind::Json => {
                    let ty = match media_type.schema {
                        Some(schema) => self.types.ty(schema, Direction::Request, &hint).0,
                        None => Ty::Value,
                    };
                    step.kind = "json";
                    step.ty = self.render(&ty);
                    step.accepts = "is_json";
                    if let Some(schema) = media_type.schema {
                        // The schema first: what it validates is not warned about by the checks.
                        let (definition, always) = self.types.body_schema(schema);
                        step.schema_definition = Some(string_literal(&definition));
                        step.schema_always = always;
                        step.checks = self.types.checks(schema, &ty);
                    }
                }
                BodyKind::Text => {
                    step.kind = "text";
                    step.ty = "String".to_string();
                    if media_kind == MediaKind::Xml {
                        let message = format!(
                            "the `{media}` request body of `{label}` is a `String`: there is no XML data binding, the handler parses the XML itself (the server checks only its `Content-Type`)"
                        );
                        self.finding_at(op, &media_type.loc, message);
                    }
                }
                BodyKind::Binary => {}
                BodyKind::Form => {
                    let multipart = media.to_ascii_lowercase().starts_with("multipart/");
                    self.has_multipart |= multipart;
                    step.kind = "form";
                    (step.form, step.schema_definition) =
                        self.form_body(op, &base, media_type, multipart);
                    step.ty = match &step.form {
                        Some(form) => form.name.clone(),
                        None => "runtime::FormFields".to_string(),
                    };
                }
            }
            let doc = request_body
                .description
                .clone()
                .unwrap_or_else(|| "The request body.".to_string());
            request_fields.push(FieldView {
                doc_attrs: doc_attrs(&format!("{doc}\n\nSent as `{media}`.")),
                ident: ident.clone(),
                ty: if is_required {
                    step.ty.clone()
                } else {
                    format!("Option<{}>", step.ty)
                },
            });
            if is_required {
                required.push(ident.clone());
            }
            inits.push(InitView::new(&ident, &ident));
            body_step = Some(step);
        }

        // Answer only what the spec declares: a malformed path parameter of an operation that
        // declares a 404 and no 400 (nor 4XX, nor default) names no resource.
        let declares =
            |wanted: fn(&StatusCode) -> bool| wire.responses.iter().any(|r| wanted(&r.status));
        let path_errors_are_404 = op
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Path)
            && declares(|s| *s == StatusCode::Code(404))
            && !declares(|s| {
                matches!(
                    s,
                    StatusCode::Code(400) | StatusCode::Range(4) | StatusCode::Default
                )
            });

        let variants = self.responses(wire, &base);
        let body_choices = std::mem::take(&mut self.body_choices);
        let mut produces: Vec<String> = Vec::new();
        for (response, variant) in wire.responses.iter().zip(&variants) {
            let success = match response.status {
                StatusCode::Code(code) => (200..300).contains(&code),
                StatusCode::Range(digit) => digit == 2,
                StatusCode::Default => false,
            };
            let Some(body) = variant.body.as_ref().filter(|_| success) else {
                continue;
            };
            // A body enum answers in any of its media types.
            let sent: Vec<&String> = match body_choices
                .iter()
                .find(|c| body.kind == "choice" && variant.fields.iter().any(|f| f.ty == c.name))
            {
                Some(choice) => choice.media_types.iter().collect(),
                None => vec![&body.content_type],
            };
            for content_type in sent {
                if !produces.contains(content_type) {
                    produces.push(content_type.clone());
                }
            }
        }
        let not_implemented = self.default_not_implemented.then(|| {
            let mut names = Namer::pascal();
            names.reserve(variants.iter().map(|v| v.ident.as_str()));
            NotImplementedView {
                ident: names.fresh("NotImplemented"),
                detail: string_literal(&format!("{label} is not implemented")),
            }
        });
        OperationView {
            doc_attrs: method_docs,
            method,
            request_doc_attrs: doc_attrs(&format!("The input of `{label}`, parsed and validated.")),
            request_type,
            request_fields,
            response_doc_attrs: doc_attrs(&format!(
                "The responses `{label}` declares: a handler can return only these."
            )),
            response_type,
            request_streams: body_step.as_ref().is_some_and(|b| {
                b.kind == "binary" || b.form.as_ref().is_some_and(|f| f.streamed.is_some())
            }),
            streams: variants.iter().any(|v| {
                v.body.as_ref().is_some_and(|b| {
                    matches!(b.kind, "binary" | "events" | "text_events")
                        || (b.kind == "choice"
                            && v.fields
                                .iter()
                                .any(|f| body_choices.iter().any(|c| c.streams && c.name == f.ty)))
                })
            }),
            negotiates: variants.iter().any(|v| v.choice.is_some()),
            negotiates_some: not_implemented.is_some()
                || variants.iter().any(|v| v.choice.is_none()),
            variants,
            body_choices,
            not_implemented,
            routed: false,
            route: String::new(),
            // Per-operation limits are keyed by operationId, or by `METHOD /path` without one.
            key: string_literal(op.operation_id.as_deref().unwrap_or(&label)),
            handler,
            steps: HandlerView {
                reads_body: body.is_some(),
                authorize,
                produces,
                path_params: uses_path,
                query_string: uses_query,
                parameters,
                body: body_step,
                path_errors_are_404,
                required,
                fields: inits,
            },
            context_type: if self.has_security {
                "runtime::RequestContext<Self::Principal>".into()
            } else {
                "runtime::RequestContext".into()
            },
        }
    }

    /// A struct for a form body whose schema names its fields, and how each field is read;
    /// `None` when it names none (the handler gets the raw `runtime::FormFields`). A multipart
    /// body with files is streamed: its struct holds the other fields, typed, and the files as
    /// `runtime::FileParts`, read by the handler as they arrive.
    /// With it, the `$defs` entry (a string literal) of the schema the whole form is validated
    /// against, as a JSON object, when the schema says what the fields' types and checks cannot
    /// (a streamed body validates each field on its own: its files come after the fields).
    fn form_body(
        &mut self,
        op: &Operation,
        base: &str,
        media_type: &MediaType,
        multipart: bool,
    ) -> (Option<FormStep>, Option<String>) {
        let whole_schema = |builder: &Self| {
            media_type
                .schema
                .and_then(|s| builder.types.value_schema(s))
                .map(|definition| string_literal(&definition))
        };
        let Some(merged) = media_type
            .schema
            .map(|s| self.types.merge(s, Direction::Request))
            .filter(|m| !m.props.is_empty())
        else {
            let raw = media_type
                .schema
                .and_then(|s| self.types.raw_form_schema(s))
                .map(|definition| string_literal(&definition));
            return (None, raw);
        };
        let name = self.names.fresh(&format!("{base}Body"));
        let encoding = |wire: &str| {
            media_type
                .encoding
                .get(wire)
                .and_then(|e| e.content_type.as_deref())
        };
        let files: Vec<FileView> = if multipart {
            merged
                .props
                .iter()
                .filter_map(|(wire, prop)| self.file_part(wire, *prop, encoding(wire)))
                .map(|mut file| {
                    file.required = merged.required.contains(&file.name);
                    file
                })
                .collect()
        } else {
            Vec::new()
        };
        let streamed = !files.is_empty();
        // The schema first: what it validates is not warned about by the checks.
        let form_schema = if streamed {
            let fields: Vec<SchemaId> = merged.props.values().copied().collect();
            self.warn_unchecked_around_files(media_type, &fields);
            None
        } else {
            whole_schema(self)
        };
        let mut idents = Namer::snake();
        let mut locals = Namer::snake();
        locals.reserve(HANDLER_LOCALS.iter().copied());
        let mut fields = Vec::new();
        let mut steps = Vec::new();
        let mut any_required = false;
        let mut field_names = Vec::new();
        let mut part_types = Vec::new();
        for (wire, prop) in &merged.props {
            if files.iter().any(|f| f.name == *wire) {
                continue;
            }
            if multipart && let Some(ranges) = self.part_types(*prop, encoding(wire)) {
                part_types.push(format!(
                    "({}, &[{}])",
                    string_literal(wire),
                    ranges.join(", ")
                ));
            }
            let field = idents.fresh(&snake_ident(wire));
            let local = local_for(&field, &mut locals);
            let required = merged.required.contains(wire);
            let binary = self.is_binary(*prop, encoding(wire));
            let mut step = FormFieldStep {
                init: InitView::new(&field, &local),
                wire: string_literal(wire),
                required,
                binary,
                value: None,
            };
            field_names.push(step.wire.clone());
            let mut ty = "Bytes".to_string();
            let mut always = required;
            if !binary {
                let hint = format!("{name}{}", pascal_ident(wire, "Field"));
                let (value_ty, _) = self.types.ty(*prop, Direction::Request, &hint);
                let shape = value_ty.shape(&self.types.defs);
                // A streamed body's fields are validated each on its own, the others as one form.
                let (value_schema, checks) = if streamed {
                    self.value_checks(Some(*prop), &value_ty)
                } else {
                    (None, self.types.checks(*prop, &value_ty))
                };
                let default = (!required)
                    .then(|| self.types.default_expr(*prop, &value_ty, false, "models::"))
                    .flatten();
                // A field with a default is always there once read.
                always |= default.is_some();
                step.required = always;
                ty = self.render(&value_ty);
                step.value = Some(ValueStep {
                    local: local.clone(),
                    ty: ty.clone(),
                    required,
                    location: "Form",
                    name: step.wire.clone(),
                    part: String::new(),
                    wire_name: step.wire.clone(),
                    position: 0,
                    shape,
                    style: "Form",
                    explode: true,
                    checks,
                    default,
                    schema: value_schema,
                });
            }
            fields.push(FieldView {
                doc_attrs: doc_attrs(&self.property_doc(*prop)),
                ident: field.clone(),
                ty: if always { ty } else { format!("Option<{ty}>") },
            });
            any_required |= always;
            steps.push(step);
        }
        let streamed = streamed.then(|| {
            let ident = idents.fresh("files");
            let names: Vec<String> = files.iter().map(|f| format!("`{}`", f.name)).collect();
            let mut doc = format!(
                "The files ({}), read as they arrive: call `next_file().await` until it\n\
                 returns `None`; each is a stream of bytes with its name, filename and content\n\
                 type. The fields above were sent before the files.",
                names.join(", ")
            );
            for file in &files {
                if !file.doc.is_empty() {
                    doc.push_str(&format!("\n\n`{}`: {}", file.name, file.doc));
                }
            }
            fields.push(FieldView {
                doc_attrs: doc_attrs(&doc),
                ident: ident.clone(),
                ty: "runtime::FileParts".to_string(),
            });
            StreamedFormView {
                init: InitView::new(&ident, "file_parts"),
                files,
                fields: field_names,
            }
        });
        let part_headers = if multipart {
            let mut idents = Namer::snake();
            merged
                .props
                .iter()
                .filter_map(|(wire, _)| {
                    let encoding = media_type.encoding.get(wire.as_str())?;
                    self.part_headers(&name, wire, &encoding.headers, &mut idents)
                })
                .collect()
        } else {
            Vec::new()
        };
        let doc = format!("The form body of `{}`.", op.label());
        self.form_bodies.push(FormBodyView {
            doc_attrs: doc_attrs(&doc),
            name: name.clone(),
            fields,
            streams: streamed.is_some(),
        });
        let form = FormStep {
            name,
            fields: steps,
            any_required,
            closed: merged.additional == Some(crate::model::AdditionalProperties::Forbidden),
            streamed,
            part_types: format!("&[{}]", part_types.join(", ")),
            part_headers,
        };
        (Some(form), form_schema)
    }

    /// The `$defs` entry (a string literal) a value of schema `schema` is validated against,
    /// when the schema says what the generated types and checks cannot, and the checks of the
    /// value as a `ty`. The schema first: what it validates is not warned about by the checks.
    fn value_checks(&self, schema: Option<SchemaId>, ty: &Ty) -> (Option<String>, Vec<String>) {
        let Some(schema) = schema else {
            return (None, Vec::new());
        };
        let definition = self.types.value_schema(schema);
        (
            definition.map(|definition| string_literal(&definition)),
            self.types.checks(schema, ty),
        )
    }

    /// Warns about what the schema of a multipart body with files says beyond its fields
    /// (`if`/`then` across fields, `dependentRequired`, ...): the fields are checked before the
    /// handler runs, the files only as the handler reads them, so no object holds them all.
    fn warn_unchecked_around_files(&self, media_type: &MediaType, fields: &[SchemaId]) {
        let Some(schema) = media_type.schema else {
            return;
        };
        for (id, unchecked) in self.types.unchecked_outside(schema, fields) {
            self.types.warn(
                id,
                "unchecked-keywords",
                format!(
                    "{} not checked by the generated server in a multipart body with files (its fields are checked before the handler runs, its files as the handler reads them): requests are accepted whatever they say",
                    unchecked.join(", ")
                ),
            );
        }
    }

    /// The check of the headers a multipart part declares (`encoding.headers`), read and
    /// validated as request headers are; `None` when it declares none. `Content-Type` (the
    /// spec ignores it there: `contentType` says it) and `Content-Disposition` (the part's
    /// framing) are not checked.
    fn part_headers(
        &mut self,
        body: &str,
        part: &str,
        headers: &indexmap::IndexMap<String, crate::model::Header>,
        idents: &mut Namer,
    ) -> Option<PartHeadersView> {
        let mut locals = Namer::snake();
        locals.reserve(["headers", "errors", "at", "value"]);
        let steps: Vec<ValueStep> = headers
            .iter()
            .filter(|(name, _)| {
                !name.eq_ignore_ascii_case("content-type")
                    && !name.eq_ignore_ascii_case("content-disposition")
            })
            .map(|(name, header)| {
                let (serialization, schema) = Serialization::of(
                    &header.content,
                    header.schema,
                    header.style,
                    header.explode,
                    false,
                );
                let hint = format!(
                    "{body}{}{}",
                    pascal_ident(part, "Part"),
                    pascal_ident(name, "Header")
                );
                let ty = match schema {
                    Some(schema) => self.types.ty(schema, Direction::Request, &hint).0,
                    None => Ty::String,
                };
                let (value_schema, checks) = self.value_checks(schema, &ty);
                ValueStep {
                    local: locals.fresh(&format!(
                        "_{}",
                        crate::codegen::rust::naming::unraw(&snake_ident(name))
                    )),
                    ty: self.render(&ty),
                    required: header.required,
                    location: "PartHeader",
                    name: string_literal(name),
                    part: string_literal(part),
                    wire_name: string_literal(&name.to_ascii_lowercase()),
                    position: 0,
                    shape: ty.shape(&self.types.defs),
                    style: if serialization.is_json() {
                        "Json"
                    } else {
                        style_variant(header.style)
                    },
                    explode: header.explode,
                    checks,
                    default: None,
                    schema: value_schema,
                }
            })
            .collect();
        (!steps.is_empty()).then(|| PartHeadersView {
            part: string_literal(part),
            ident: idents.fresh(&snake_ident(part)),
            headers: steps,
        })
    }

    /// The media ranges a field's part may have, as string literals: its encoding's
    /// `contentType`, or `application/json` for an object or an array of objects (OpenAPI's
    /// default); `None` for any (a primitive's default, `text/plain`, is not enforced: clients
    /// send such parts without a type, or with their own).
    fn part_types(&self, prop: SchemaId, content_type: Option<&str>) -> Option<Vec<String>> {
        if let Some(content_type) = content_type {
            let ranges: Vec<String> = content_type
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(string_literal)
                .collect();
            return (!ranges.is_empty()).then_some(ranges);
        }
        let space = self.types.space();
        let is_object = |id: SchemaId| {
            let s = space.get(space.resolve_alias(id).0);
            s.types
                .as_ref()
                .is_some_and(|t| t.len() == 1 && t.contains(&InstanceType::Object))
        };
        let s = space.get(space.resolve_alias(prop).0);
        let object = is_object(prop)
            || (s
                .types
                .as_ref()
                .is_some_and(|t| t.contains(&InstanceType::Array))
                && s.items.is_some_and(is_object));
        object.then(|| vec![string_literal("application/json")])
    }

    /// A property's description (or title) for its field's docs.
    fn property_doc(&self, prop: SchemaId) -> String {
        let p = self.types.space().get(prop);
        p.description
            .clone()
            .or_else(|| p.title.clone())
            .unwrap_or_default()
    }

    /// A file part of a multipart body: a binary property, or an array of them (repeated
    /// parts), with its `maxLength` and the media types its encoding declares.
    fn file_part(
        &self,
        wire: &str,
        prop: SchemaId,
        content_type: Option<&str>,
    ) -> Option<FileView> {
        let space = self.types.space();
        let s = space.get(space.resolve_alias(prop).0);
        let is_array = s
            .types
            .as_ref()
            .is_some_and(|t| t.contains(&InstanceType::Array));
        let (file, repeated) = match (is_array, s.items) {
            (true, Some(items)) if self.is_binary(items, content_type) => (items, true),
            (false, _) if self.is_binary(prop, content_type) => (prop, false),
            _ => return None,
        };
        let file_schema = space.get(space.resolve_alias(file).0);
        let content_types = content_type
            .map(|c| {
                c.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(string_literal)
                    .collect()
            })
            .or_else(|| {
                file_schema
                    .rare()
                    .content_media_type
                    .as_deref()
                    .map(|c| vec![string_literal(c)])
            })
            .unwrap_or_default();
        let items = |count: Option<u64>| count.map(|c| usize::try_from(c).unwrap_or(usize::MAX));
        Some(FileView {
            name: wire.to_string(),
            literal: string_literal(wire),
            required: false,
            repeated,
            min_items: if repeated {
                items(s.min_items).unwrap_or(0)
            } else {
                0
            },
            max_items: match items(s.max_items) {
                Some(max) if repeated => format!("Some({max})"),
                _ => "None".to_string(),
            },
            limit: file_schema
                .max_length
                .map(|m| usize::try_from(m).unwrap_or(usize::MAX)),
            content_types,
            doc: self.property_doc(prop),
        })
    }

    /// Whether a form field is a file: a binary string, or an encoding that is not text.
    fn is_binary(&self, prop: SchemaId, content_type: Option<&str>) -> bool {
        let space = self.types.space();
        let s = space.get(space.resolve_alias(prop).0);
        let binary_format = s.format.as_deref() == Some("binary");
        let string = s
            .types
            .as_ref()
            .is_none_or(|t| t.contains(&InstanceType::String));
        let encoded = content_type.is_some_and(|c| !c.starts_with("text/") && !media::is_json(c));
        // A 3.1 `contentMediaType` without `contentEncoding` is raw bytes (with one, text).
        let raw_media =
            s.rare().content_media_type.is_some() && s.rare().content_encoding.is_none();
        string && (binary_format || encoded || raw_media)
    }
}
