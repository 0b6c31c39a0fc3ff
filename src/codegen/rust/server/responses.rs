//! The response side of an operation: one enum variant per declared status (the body, the
//! declared headers, the status where the spec leaves it open) and how each is sent.

use super::view::{
    BodyArmView, BodyChoiceView, InitView, ResponseBodyView, ResponseHeaderView, VariantFieldView,
    VariantView,
};
use super::{BodyKind, PLACEHOLDERS, ServerBuilder, body_kind};
use crate::codegen::rust::models::Ty;
use crate::codegen::rust::naming::{
    Namer, doc_attrs, pascal_ident, snake_ident, stem, string_literal,
};
use crate::model::media::MediaKind;
use crate::model::wire::{WireMedia, WireOperation, WireResponse};
use crate::model::{Direction, InstanceType, SchemaId, StatusCode};

/// The `Content-Type` a response of a declared media type is sent with.
fn concrete_media_type(media: &str, kind: BodyKind) -> String {
    if !media.contains('*') {
        return media.to_string();
    }
    match kind {
        BodyKind::Json => "application/json".into(),
        BodyKind::Text => "text/plain".into(),
        BodyKind::Form | BodyKind::Binary => "application/octet-stream".into(),
    }
}

/// How a response body of a declared media type is carried: a multipart body (`form-data`
/// too: its parts are not typed) is bytes the handler encodes, a urlencoded one a typed value
/// sent as a form.
fn response_body_kind(m: &WireMedia<'_>) -> BodyKind {
    match m.kind {
        MediaKind::Multipart => BodyKind::Binary,
        kind => body_kind(m.media_type, kind),
    }
}

/// A response variant's name: the status's reason phrase (`NotFound`), `Status2xx`, `Default`.
pub(crate) fn status_variant(status: StatusCode) -> String {
    match status {
        StatusCode::Code(code) => match reason_phrase(code) {
            Some((_, reason)) => reason.to_string(),
            None => format!("Status{code}"),
        },
        StatusCode::Range(digit) => format!("Status{digit}xx"),
        StatusCode::Default => "Default".to_string(),
    }
}

fn reason_phrase(code: u16) -> Option<(&'static str, &'static str)> {
    Some(match code {
        100 => ("CONTINUE", "Continue"),
        101 => ("SWITCHING_PROTOCOLS", "SwitchingProtocols"),
        200 => ("OK", "Ok"),
        201 => ("CREATED", "Created"),
        202 => ("ACCEPTED", "Accepted"),
        203 => (
            "NON_AUTHORITATIVE_INFORMATION",
            "NonAuthoritativeInformation",
        ),
        204 => ("NO_CONTENT", "NoContent"),
        205 => ("RESET_CONTENT", "ResetContent"),
        206 => ("PARTIAL_CONTENT", "PartialContent"),
        207 => ("MULTI_STATUS", "MultiStatus"),
        300 => ("MULTIPLE_CHOICES", "MultipleChoices"),
        301 => ("MOVED_PERMANENTLY", "MovedPermanently"),
        302 => ("FOUND", "Found"),
        303 => ("SEE_OTHER", "SeeOther"),
        304 => ("NOT_MODIFIED", "NotModified"),
        307 => ("TEMPORARY_REDIRECT", "TemporaryRedirect"),
        308 => ("PERMANENT_REDIRECT", "PermanentRedirect"),
        400 => ("BAD_REQUEST", "BadRequest"),
        401 => ("UNAUTHORIZED", "Unauthorized"),
        402 => ("PAYMENT_REQUIRED", "PaymentRequired"),
        403 => ("FORBIDDEN", "Forbidden"),
        404 => ("NOT_FOUND", "NotFound"),
        405 => ("METHOD_NOT_ALLOWED", "MethodNotAllowed"),
        406 => ("NOT_ACCEPTABLE", "NotAcceptable"),
        407 => (
            "PROXY_AUTHENTICATION_REQUIRED",
            "ProxyAuthenticationRequired",
        ),
        408 => ("REQUEST_TIMEOUT", "RequestTimeout"),
        409 => ("CONFLICT", "Conflict"),
        410 => ("GONE", "Gone"),
        411 => ("LENGTH_REQUIRED", "LengthRequired"),
        412 => ("PRECONDITION_FAILED", "PreconditionFailed"),
        413 => ("PAYLOAD_TOO_LARGE", "PayloadTooLarge"),
        414 => ("URI_TOO_LONG", "UriTooLong"),
        415 => ("UNSUPPORTED_MEDIA_TYPE", "UnsupportedMediaType"),
        416 => ("RANGE_NOT_SATISFIABLE", "RangeNotSatisfiable"),
        417 => ("EXPECTATION_FAILED", "ExpectationFailed"),
        418 => ("IM_A_TEAPOT", "ImATeapot"),
        422 => ("UNPROCESSABLE_ENTITY", "UnprocessableEntity"),
        423 => ("LOCKED", "Locked"),
        424 => ("FAILED_DEPENDENCY", "FailedDependency"),
        426 => ("UPGRADE_REQUIRED", "UpgradeRequired"),
        428 => ("PRECONDITION_REQUIRED", "PreconditionRequired"),
        429 => ("TOO_MANY_REQUESTS", "TooManyRequests"),
        431 => (
            "REQUEST_HEADER_FIELDS_TOO_LARGE",
            "RequestHeaderFieldsTooLarge",
        ),
        451 => (
            "UNAVAILABLE_FOR_LEGAL_REASONS",
            "UnavailableForLegalReasons",
        ),
        500 => ("INTERNAL_SERVER_ERROR", "InternalServerError"),
        501 => ("NOT_IMPLEMENTED", "NotImplemented"),
        502 => ("BAD_GATEWAY", "BadGateway"),
        503 => ("SERVICE_UNAVAILABLE", "ServiceUnavailable"),
        504 => ("GATEWAY_TIMEOUT", "GatewayTimeout"),
        505 => ("HTTP_VERSION_NOT_SUPPORTED", "HttpVersionNotSupported"),
        507 => ("INSUFFICIENT_STORAGE", "InsufficientStorage"),
        511 => (
            "NETWORK_AUTHENTICATION_REQUIRED",
            "NetworkAuthenticationRequired",
        ),
        _ => return None,
    })
}

/// One declared media type of a response: how it is sent and what the handler gives.
struct Representation<'c> {
    /// The media type as declared (`*/*`, `application/json`).
    declared: &'c str,
    /// `json`, `text`, `binary`, `events` or `text_events` (see [`ResponseBodyView::kind`]).
    kind: &'static str,
    /// The `Content-Type` it is sent with.
    content_type: String,
    /// The Rust type the handler gives.
    ty: String,
}

impl Representation<'_> {
    fn sent_as(
        &self,
        binding: &str,
        status_constant: Option<&'static str>,
        status_code: Option<u16>,
    ) -> ResponseBodyView {
        ResponseBodyView {
            kind: self.kind,
            content_type: string_literal(&self.content_type),
            binding: binding.to_string(),
            status_constant,
            status_code,
        }
    }
}

/// The name of a media type's arm in a body enum: `Json`, `EventStream`, `ProblemXml`, `Any`
/// for `*/*`, `Image` for `image/*`.
fn media_arm(media_type: &str) -> String {
    let essence = crate::model::media::essence(media_type);
    let (main, sub) = essence.split_once('/').unwrap_or((&essence, ""));
    let words = match (main, sub) {
        ("*", _) => "any",
        (main, "*" | "") => main,
        (_, sub) => sub,
    };
    let words: String = words
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    pascal_ident(&words, "Media")
}

/// The enum of a response declared in several media types: an arm per media type, which the
/// handler picks (by the request's `Accept`, or by what it asked for).
fn body_choice(
    wire: &WireOperation<'_>,
    status: StatusCode,
    name: &str,
    representations: &[Representation<'_>],
) -> BodyChoiceView {
    let mut idents = Namer::pascal();
    let arms: Vec<BodyArmView> = representations
        .iter()
        .map(|r| BodyArmView {
            doc_attrs: doc_attrs(&format!("`{}`.", r.declared)),
            ident: idents.fresh(&media_arm(r.declared)),
            ty: r.ty.clone(),
            body: r.sent_as("body", None, None),
        })
        .collect();
    let doc = format!(
        "The body of the `{status}` response of `{}`, in each media type the spec declares\n\
         for it: the handler returns the one it chooses.\n\n\
         `context.preferred_media_type({name}::MEDIA_TYPES)` (see\n\
         [`runtime::RequestContext::preferred_media_type`]) names the one the request's\n\
         `Accept` ranks highest. An arm `Accept` refuses while it admits another is not\n\
         sent: the router answers `406`.",
        wire.operation.label()
    );
    BodyChoiceView {
        doc_attrs: doc_attrs(&doc),
        name: name.to_string(),
        streams: arms
            .iter()
            .any(|a| matches!(a.body.kind, "binary" | "events" | "text_events")),
        media_types: representations
            .iter()
            .map(|r| string_literal(&r.content_type))
            .collect(),
        arms,
    }
}

impl<'c> ServerBuilder<'_, 'c> {
    /// How a response's declared media types are sent: the preferred one alone when the others
    /// would be sent with the same `Content-Type` (a `*/*` next to `application/json`), else
    /// each of them, in declaration order.
    fn representations(
        &mut self,
        wire: &WireOperation<'c>,
        response: &WireResponse<'c>,
        hint: &str,
    ) -> Vec<Representation<'c>> {
        let Some(preferred) = response.preferred() else {
            return Vec::new();
        };
        // (media, carrier, Content-Type) of each declared media type.
        let mut sent: Vec<(&WireMedia<'c>, BodyKind, String)> = response
            .content
            .iter()
            .map(|m| {
                let kind = response_body_kind(m);
                (m, kind, concrete_media_type(m.media_type, kind))
            })
            .collect();
        // A range sent as a type declared on its own is that type; a type sent twice, once.
        let exact: Vec<String> = sent
            .iter()
            .filter(|(m, _, _)| !m.media_type.contains('*'))
            .map(|(_, _, content_type)| content_type.clone())
            .collect();
        let mut seen: Vec<String> = Vec::new();
        sent.retain(|(m, _, content_type)| {
            let duplicate = (m.media_type.contains('*') && exact.contains(content_type))
                || seen.contains(content_type);
            seen.push(content_type.clone());
            !duplicate
        });
        if sent.len() < 2 {
            // One body: the one the spec's ranking prefers, named as it always was.
            let kind = response_body_kind(preferred);
            sent = vec![(
                preferred,
                kind,
                concrete_media_type(preferred.media_type, kind),
            )];
        }
        for (m, _, _) in &sent {
            if let Some(untyped) = self.untyped_response(m) {
                let message = format!(
                    "the `{}` body of the `{}` response of `{}` {untyped}",
                    m.media_type,
                    response.status,
                    wire.operation.label()
                );
                self.finding_at(wire.operation, &m.media.loc, message);
            }
        }
        let several = sent.len() > 1;
        sent.into_iter()
            .map(|(m, kind, content_type)| {
                let hint = if several {
                    format!("{hint}{}", media_arm(m.media_type))
                } else {
                    format!("{hint}Body")
                };
                let (kind_name, ty) = match kind {
                    _ if m.kind == MediaKind::EventStream => match m.media.schema {
                        // The data of each event, as the TypeScript client reads it: JSON
                        // unless the schema is a plain string.
                        Some(schema) if !self.is_plain_string(schema) => {
                            let ty = self.schema_ty(schema, &hint);
                            ("events", format!("runtime::EventStream<{ty}>"))
                        }
                        _ => ("text_events", "runtime::EventStream<String>".to_string()),
                    },
                    BodyKind::Json | BodyKind::Form => {
                        let ty = match m.media.schema {
                            Some(schema) => self.schema_ty(schema, &hint),
                            None => self.render(&Ty::Value),
                        };
                        (
                            if kind == BodyKind::Form {
                                "form"
                            } else {
                                "json"
                            },
                            ty,
                        )
                    }
                    BodyKind::Text => ("text", "String".to_string()),
                    BodyKind::Binary => ("binary", "runtime::ByteStream".to_string()),
                };
                Representation {
                    declared: m.media_type,
                    kind: kind_name,
                    content_type,
                    ty,
                }
            })
            .collect()
    }

    /// What a response body of this media type is not, for a generation warning: XML is a
    /// `String` the handler writes, a multipart body bytes it encodes (unless its schema is a
    /// binary string: bytes is what it declares).
    fn untyped_response(&self, m: &WireMedia<'_>) -> Option<&'static str> {
        match m.kind {
            MediaKind::Xml => Some(
                "is a `String`: there is no XML data binding, the handler writes the XML itself",
            ),
            MediaKind::Multipart
                if m.media
                    .schema
                    .is_some_and(|schema| !self.is_plain_string(schema)) =>
            {
                Some(
                    "is sent as raw bytes (`runtime::ByteStream`): its parts are not typed, the \
                     handler encodes the multipart body itself",
                )
            }
            _ => None,
        }
    }

    /// The Rust type of a response body's schema (an `Option` where it may be `null`).
    fn schema_ty(&mut self, schema: SchemaId, hint: &str) -> String {
        let (ty, null) = self.types.ty(schema, Direction::Response, hint);
        self.render(&if null { ty.option() } else { ty })
    }

    /// Whether a schema is `type: string` and nothing else (through aliases).
    fn is_plain_string(&self, schema: SchemaId) -> bool {
        let space = self.types.space();
        let schema = space.get(space.resolve_alias(schema).0);
        schema.types.as_deref() == Some(&[InstanceType::String][..])
    }

    pub(super) fn responses(&mut self, wire: &WireOperation<'c>, base: &str) -> Vec<VariantView> {
        let mut variant_names = Namer::pascal();
        let mut variants = Vec::new();
        for wire_response in &wire.responses {
            let response = wire_response.response;
            let ident = variant_names.fresh(&status_variant(response.status));
            let mut names = Namer::snake();
            let mut fields: Vec<VariantFieldView> = Vec::new();
            let mut bindings = Namer::snake();
            bindings.reserve(["response", "status", "body"]);
            let (status_constant, status_code) = match response.status {
                StatusCode::Code(code) => (reason_phrase(code).map(|(c, _)| c), Some(code)),
                StatusCode::Range(_) | StatusCode::Default => {
                    fields.push(VariantFieldView {
                        init: InitView::new(&names.fresh("status"), "status"),
                        ty: "StatusCode".to_string(),
                    });
                    (None, None)
                }
            };
            let mut body = None;
            let mut choice = None;
            let representations =
                self.representations(wire, wire_response, &format!("{base}{ident}"));
            let declared: Vec<&str> = representations.iter().map(|r| r.declared).collect();
            if let Some(first) = representations.first() {
                let field = names.fresh("body");
                let (view, ty) = if representations.len() == 1 {
                    (
                        first.sent_as(&field, status_constant, status_code),
                        first.ty.clone(),
                    )
                } else {
                    let name = self.names.fresh(&format!("{base}{ident}Body"));
                    let view = ResponseBodyView {
                        kind: "choice",
                        content_type: String::new(),
                        binding: field.clone(),
                        status_constant,
                        status_code,
                    };
                    self.body_choices.push(body_choice(
                        wire,
                        response.status,
                        &name,
                        &representations,
                    ));
                    choice = Some(name.clone());
                    (view, name)
                };
                body = Some(view);
                fields.push(VariantFieldView {
                    init: InitView::new(&field, &field),
                    ty,
                });
            }
            let mut headers = Vec::new();
            let mut header_docs = Vec::new();
            for &(name, header) in &wire_response.headers {
                let field = names.fresh(&snake_ident(name));
                let bare = crate::codegen::rust::naming::unraw(&field);
                let binding = if PLACEHOLDERS.contains(&bare)
                    || ["response", "status", "body"].contains(&bare)
                {
                    bindings.fresh(&format!("{}_value", stem(&field)))
                } else {
                    bindings.fresh(&field)
                };
                let ty = match header.schema {
                    Some(schema) => {
                        self.types
                            .ty(
                                schema,
                                Direction::Response,
                                &format!("{base}{ident}{}", pascal_ident(name, "H")),
                            )
                            .0
                    }
                    None => Ty::String,
                };
                let rendered = self.render(&ty);
                headers.push(ResponseHeaderView {
                    name: string_literal(&name.to_ascii_lowercase()),
                    binding: binding.clone(),
                });
                let description = header.description.as_deref().unwrap_or("");
                header_docs.push(format!("- `{field}`: the `{name}` header. {description}"));
                fields.push(VariantFieldView {
                    init: InitView::new(&field, &binding),
                    ty: if header.required {
                        rendered
                    } else {
                        format!("Option<{rendered}>")
                    },
                });
            }
            let tuple = fields.len() == 1
                && body.is_some()
                && status_code.is_some()
                && wire_response.headers.is_empty();
            let mut doc = format!(
                "`{}`: {}",
                response.status,
                response.description.as_deref().unwrap_or("").trim()
            );
            match body.as_ref().map(|b| b.kind) {
                Some("choice") => doc.push_str(&format!(
                    "\n\nBody: `{}`, as the handler chooses.",
                    declared.join("` or `")
                )),
                Some(_) => doc.push_str(&format!("\n\nBody: `{}`.", declared.join("` or `"))),
                None => {}
            }
            if !header_docs.is_empty() {
                doc.push_str(&format!("\n\nHeaders:\n{}", header_docs.join("\n")));
            }
            variants.push(VariantView {
                doc_attrs: doc_attrs(&doc),
                ident,
                tuple,
                fields,
                status_constant,
                status_code,
                body,
                choice,
                headers,
            });
        }
        variants
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names() {
        assert_eq!(status_variant(StatusCode::Code(404)), "NotFound");
        assert_eq!(status_variant(StatusCode::Code(299)), "Status299");
        assert_eq!(status_variant(StatusCode::Range(2)), "Status2xx");
        assert_eq!(reason_phrase(299), None);
        assert_eq!(
            reason_phrase(415).map(|(c, _)| c),
            Some("UNSUPPORTED_MEDIA_TYPE")
        );
    }
}
