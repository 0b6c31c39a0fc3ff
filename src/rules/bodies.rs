//! Request bodies, responses, media types and response headers.
#![doc = include_str!("docs/bodies.md")]

use crate::diff::{Change, ChangeKind, Subject};
use crate::report::Level;

use super::registry::{Builder, Category, Family, RuleDirection};
use super::{Verdict, place};

const FAMILY: Family = Family {
    name: "bodies",
    doc: include_str!("docs/bodies.md"),
};

const RULES: &[(&str, Level, RuleDirection, &str)] = &[
    (
        "added-required-request-body",
        Level::Error,
        RuleDirection::Request,
        "a required request body was added",
    ),
    (
        "added-optional-request-body",
        Level::Info,
        RuleDirection::Request,
        "an optional request body was added",
    ),
    (
        "request-body-removed",
        Level::Error,
        RuleDirection::Request,
        "the request body was removed: what clients send is ignored",
    ),
    (
        "request-body-became-required",
        Level::Error,
        RuleDirection::Request,
        "the request body became required",
    ),
    (
        "request-body-became-optional",
        Level::Info,
        RuleDirection::Request,
        "the request body became optional",
    ),
    (
        "request-body-media-type-added",
        Level::Info,
        RuleDirection::Request,
        "a request media type was added",
    ),
    (
        "request-body-media-type-removed",
        Level::Error,
        RuleDirection::Request,
        "a request media type was removed",
    ),
    (
        "request-body-media-type-schema-added",
        Level::Error,
        RuleDirection::Request,
        "a request media type that accepted anything now has a schema",
    ),
    (
        "request-body-media-type-schema-removed",
        Level::Info,
        RuleDirection::Request,
        "a request media type lost its schema: it accepts anything",
    ),
    (
        "response-success-status-added",
        Level::Info,
        RuleDirection::Response,
        "a success status was added",
    ),
    (
        "response-non-success-status-added",
        Level::Info,
        RuleDirection::Response,
        "an error status was added",
    ),
    (
        "response-success-status-removed",
        Level::Error,
        RuleDirection::Response,
        "a success status was removed",
    ),
    (
        "response-non-success-status-removed",
        Level::Info,
        RuleDirection::Response,
        "an error status was removed",
    ),
    (
        "response-media-type-added",
        Level::Info,
        RuleDirection::Response,
        "a response media type was added",
    ),
    (
        "response-media-type-removed",
        Level::Error,
        RuleDirection::Response,
        "a media type of a success response was removed",
    ),
    (
        "response-non-success-media-type-removed",
        Level::Warning,
        RuleDirection::Response,
        "a media type of an error response was removed: clients that read error details get none",
    ),
    (
        "response-body-media-type-schema-added",
        Level::Info,
        RuleDirection::Response,
        "a response media type now has a schema",
    ),
    (
        "response-body-media-type-schema-removed",
        Level::Error,
        RuleDirection::Response,
        "a response media type lost its schema: it may carry anything",
    ),
    (
        "response-header-added",
        Level::Info,
        RuleDirection::Response,
        "a response header was added",
    ),
    (
        "required-response-header-removed",
        Level::Error,
        RuleDirection::Response,
        "a required response header was removed",
    ),
    (
        "optional-response-header-removed",
        Level::Warning,
        RuleDirection::Response,
        "an optional response header was removed",
    ),
    (
        "response-header-became-optional",
        Level::Error,
        RuleDirection::Response,
        "a required response header became optional",
    ),
    (
        "response-header-became-required",
        Level::Info,
        RuleDirection::Response,
        "an optional response header became required",
    ),
];

pub(super) fn register(b: &mut Builder) {
    for (id, level, direction, summary) in RULES {
        b.add(&FAMILY, id, *level, *direction, Category::Wire, summary);
    }
}

pub(super) fn judge(change: &Change, out: &mut Vec<Verdict>) {
    let at = place(&change.subject);
    let v = |id: &str, message: String| Verdict::new(id, message);
    let request_side = matches!(
        change.subject,
        Subject::RequestBody | Subject::RequestMedia(_)
    );
    let verdict = match &change.kind {
        ChangeKind::RequestBodyAdded { required: true } => v(
            "added-required-request-body",
            "a required request body was added".to_string(),
        ),
        ChangeKind::RequestBodyAdded { required: false } => v(
            "added-optional-request-body",
            "an optional request body was added".to_string(),
        ),
        ChangeKind::RequestBodyRemoved => v(
            "request-body-removed",
            "the request body was removed".to_string(),
        ),
        ChangeKind::RequestBodyRequiredChanged { required: true } => v(
            "request-body-became-required",
            "the request body became required".to_string(),
        ),
        ChangeKind::RequestBodyRequiredChanged { required: false } => v(
            "request-body-became-optional",
            "the request body became optional".to_string(),
        ),
        ChangeKind::MediaTypeAdded { media_type } if request_side => v(
            "request-body-media-type-added",
            format!("request media type `{media_type}` added"),
        ),
        ChangeKind::MediaTypeRemoved { media_type } if request_side => v(
            "request-body-media-type-removed",
            format!("request media type `{media_type}` removed"),
        ),
        ChangeKind::MediaTypeAdded { media_type } => v(
            "response-media-type-added",
            format!("{at}: media type `{media_type}` added"),
        ),
        ChangeKind::MediaTypeRemoved { media_type } => {
            let success =
                matches!(&change.subject, Subject::Response(status) if status.is_success());
            let id = if success {
                "response-media-type-removed"
            } else {
                "response-non-success-media-type-removed"
            };
            v(id, format!("{at}: media type `{media_type}` removed"))
        }
        ChangeKind::MediaTypeSchemaAdded if request_side => v(
            "request-body-media-type-schema-added",
            format!("{at}: a schema now restricts it"),
        ),
        ChangeKind::MediaTypeSchemaRemoved if request_side => v(
            "request-body-media-type-schema-removed",
            format!("{at}: its schema was removed"),
        ),
        ChangeKind::MediaTypeSchemaAdded => v(
            "response-body-media-type-schema-added",
            format!("{at}: a schema now describes it"),
        ),
        ChangeKind::MediaTypeSchemaRemoved => v(
            "response-body-media-type-schema-removed",
            format!("{at}: its schema was removed"),
        ),
        ChangeKind::ResponseAdded | ChangeKind::ResponseRemoved => {
            let Subject::Response(status) = &change.subject else {
                return;
            };
            let added = change.kind == ChangeKind::ResponseAdded;
            let id = match (status.is_success(), added) {
                (true, true) => "response-success-status-added",
                (false, true) => "response-non-success-status-added",
                (true, false) => "response-success-status-removed",
                (false, false) => "response-non-success-status-removed",
            };
            v(
                id,
                format!(
                    "response {status} {}",
                    if added { "added" } else { "removed" }
                ),
            )
        }
        ChangeKind::HeaderAdded { required } => {
            let kind = if *required { "required" } else { "optional" };
            v("response-header-added", format!("{at}: new {kind} header"))
        }
        ChangeKind::HeaderRemoved { required: true } => v(
            "required-response-header-removed",
            format!("{at}: required header removed"),
        ),
        ChangeKind::HeaderRemoved { required: false } => v(
            "optional-response-header-removed",
            format!("{at}: optional header removed"),
        ),
        ChangeKind::HeaderRequiredChanged { required: false } => v(
            "response-header-became-optional",
            format!("{at}: became optional"),
        ),
        ChangeKind::HeaderRequiredChanged { required: true } => v(
            "response-header-became-required",
            format!("{at}: became required"),
        ),
        _ => return,
    };
    out.push(verdict);
}
