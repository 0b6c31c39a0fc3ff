//! Request bodies, responses, media types and response headers.
#![doc = include_str!("../catalogue/docs/bodies.md")]

use crate::catalogue::diff::bodies::*;
use crate::diff::{Change, ChangeKind, Subject};

use super::{Verdict, impact, place};

pub(super) fn judge(change: &Change, out: &mut Vec<Verdict>) {
    let at = place(&change.subject);
    let v = |rule: &'static crate::catalogue::Rule, message: String| Verdict::new(rule, message);
    let request_side = matches!(
        change.subject,
        Subject::RequestBody | Subject::RequestMedia(_)
    );
    let names = impact::operation_names(change);
    let verdict = match &change.kind {
        ChangeKind::RequestBodyAdded { required: true } => v(
            &ADDED_REQUIRED_REQUEST_BODY,
            "a required request body was added".to_string(),
        )
        .help(names.as_ref().map(impact::request_body_required)),
        ChangeKind::RequestBodyAdded { required: false } => v(
            &ADDED_OPTIONAL_REQUEST_BODY,
            "an optional request body was added".to_string(),
        ),
        ChangeKind::RequestBodyRemoved => v(
            &REQUEST_BODY_REMOVED,
            "the request body was removed".to_string(),
        )
        .help(names.as_ref().map(impact::request_body_removed)),
        ChangeKind::RequestBodyRequiredChanged { required: true } => v(
            &REQUEST_BODY_BECAME_REQUIRED,
            "the request body became required".to_string(),
        )
        .help(names.as_ref().map(impact::request_body_required)),
        ChangeKind::RequestBodyRequiredChanged { required: false } => v(
            &REQUEST_BODY_BECAME_OPTIONAL,
            "the request body became optional".to_string(),
        ),
        ChangeKind::MediaTypeAdded { media_type } if request_side => v(
            &REQUEST_BODY_MEDIA_TYPE_ADDED,
            format!("request media type `{media_type}` added"),
        ),
        ChangeKind::MediaTypeRemoved { media_type } if request_side => v(
            &REQUEST_BODY_MEDIA_TYPE_REMOVED,
            format!("request media type `{media_type}` removed"),
        ),
        ChangeKind::MediaTypeAdded { media_type } => v(
            &RESPONSE_MEDIA_TYPE_ADDED,
            format!("{at}: media type `{media_type}` added"),
        ),
        ChangeKind::MediaTypeRemoved { media_type } => {
            let success =
                matches!(&change.subject, Subject::Response(status) if status.is_success());
            let id = if success {
                &RESPONSE_MEDIA_TYPE_REMOVED
            } else {
                &RESPONSE_NON_SUCCESS_MEDIA_TYPE_REMOVED
            };
            v(id, format!("{at}: media type `{media_type}` removed"))
        }
        ChangeKind::MediaTypeSchemaAdded if request_side => v(
            &REQUEST_BODY_MEDIA_TYPE_SCHEMA_ADDED,
            format!("{at}: a schema now restricts it"),
        ),
        ChangeKind::MediaTypeSchemaRemoved if request_side => v(
            &REQUEST_BODY_MEDIA_TYPE_SCHEMA_REMOVED,
            format!("{at}: its schema was removed"),
        ),
        ChangeKind::MediaTypeSchemaAdded => v(
            &RESPONSE_BODY_MEDIA_TYPE_SCHEMA_ADDED,
            format!("{at}: a schema now describes it"),
        ),
        ChangeKind::MediaTypeSchemaRemoved => v(
            &RESPONSE_BODY_MEDIA_TYPE_SCHEMA_REMOVED,
            format!("{at}: its schema was removed"),
        ),
        ChangeKind::ResponseAdded | ChangeKind::ResponseRemoved => {
            let Subject::Response(status) = &change.subject else {
                return;
            };
            let added = change.kind == ChangeKind::ResponseAdded;
            let id = match (status.is_success(), added) {
                (true, true) => &RESPONSE_SUCCESS_STATUS_ADDED,
                (false, true) => &RESPONSE_NON_SUCCESS_STATUS_ADDED,
                (true, false) => &RESPONSE_SUCCESS_STATUS_REMOVED,
                (false, false) => &RESPONSE_NON_SUCCESS_STATUS_REMOVED,
            };
            v(
                id,
                format!(
                    "response {status} {}",
                    if added { "added" } else { "removed" }
                ),
            )
            .help(names.as_ref().map(|n| impact::status(n, *status, added)))
        }
        ChangeKind::HeaderAdded { required } => {
            let kind = if *required { "required" } else { "optional" };
            v(&RESPONSE_HEADER_ADDED, format!("{at}: new {kind} header"))
        }
        ChangeKind::HeaderRemoved { required: true } => v(
            &REQUIRED_RESPONSE_HEADER_REMOVED,
            format!("{at}: required header removed"),
        ),
        ChangeKind::HeaderRemoved { required: false } => v(
            &OPTIONAL_RESPONSE_HEADER_REMOVED,
            format!("{at}: optional header removed"),
        ),
        ChangeKind::HeaderRequiredChanged { required: false } => v(
            &RESPONSE_HEADER_BECAME_OPTIONAL,
            format!("{at}: became optional"),
        ),
        ChangeKind::HeaderRequiredChanged { required: true } => v(
            &RESPONSE_HEADER_BECAME_REQUIRED,
            format!("{at}: became required"),
        ),
        _ => return,
    };
    out.push(verdict);
}
