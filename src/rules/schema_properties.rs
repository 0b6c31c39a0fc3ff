//! Properties of an object: added, removed, required or not, readOnly/writeOnly, and
//! `additionalProperties`.
#![doc = include_str!("docs/schema_properties.md")]

use crate::diff::{Openness, SchemaChange, SchemaSite, SchemaSubject, Visibility};
use crate::model::{Direction, ParameterLocation};
use crate::report::Level;

use super::registry::{Builder, Category, E, Family, I, RuleDirection, SchemaRow};
use super::{
    Verdict, impact, property_path, schema_place, schema_prefix, schema_rule_id, site_place,
};

const FAMILY: Family = Family {
    name: "schema-properties",
    doc: include_str!("docs/schema_properties.md"),
};

/// Which object the property is in, for its id.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    RequestBody,
    ResponseBody,
    HeaderParameter,
    OtherParameter,
    ResponseHeader,
}

fn container(s: &SchemaSubject) -> Container {
    match (&s.site, s.direction) {
        (SchemaSite::RequestBody { .. } | SchemaSite::Response { .. }, Direction::Request) => {
            Container::RequestBody
        }
        (SchemaSite::RequestBody { .. } | SchemaSite::Response { .. }, Direction::Response) => {
            Container::ResponseBody
        }
        (SchemaSite::Parameter(p), Direction::Request)
            if p.location == ParameterLocation::Header =>
        {
            Container::HeaderParameter
        }
        (SchemaSite::Parameter(_) | SchemaSite::ResponseHeader { .. }, Direction::Request) => {
            Container::OtherParameter
        }
        (SchemaSite::Parameter(_) | SchemaSite::ResponseHeader { .. }, Direction::Response) => {
            Container::ResponseHeader
        }
    }
}

/// Ids of the request-side containers: (new required, new required with default, new
/// optional, removed, became required, became required with default, became optional).
struct RequestIds {
    new_required: &'static str,
    new_required_with_default: &'static str,
    new_optional: &'static str,
    removed: &'static str,
    became_required: &'static str,
    became_required_with_default: &'static str,
    became_optional: &'static str,
}

const REQUEST_BODY: RequestIds = RequestIds {
    new_required: "new-required-request-property",
    new_required_with_default: "new-required-request-property-with-default",
    new_optional: "new-optional-request-property",
    removed: "request-property-removed",
    became_required: "request-property-became-required",
    became_required_with_default: "request-property-became-required-with-default",
    became_optional: "request-property-became-optional",
};

const HEADER_PARAMETER: RequestIds = RequestIds {
    new_required: "new-required-request-header-property",
    new_required_with_default: "new-required-request-header-property-with-default",
    new_optional: "new-optional-request-header-property",
    removed: "request-header-property-removed",
    became_required: "request-header-property-became-required",
    became_required_with_default: "request-header-property-became-required-with-default",
    became_optional: "request-header-property-became-optional",
};

const OTHER_PARAMETER: RequestIds = RequestIds {
    new_required: "new-required-request-parameter-property",
    new_required_with_default: "new-required-request-parameter-property-with-default",
    new_optional: "new-optional-request-parameter-property",
    removed: "request-parameter-property-removed",
    became_required: "request-parameter-property-became-required",
    became_required_with_default: "request-parameter-property-became-required-with-default",
    became_optional: "request-parameter-property-became-optional",
};

/// Ids of the response-side containers.
struct ResponseIds {
    required_added: &'static str,
    optional_added: &'static str,
    required_removed: &'static str,
    optional_removed: &'static str,
    became_required: &'static str,
    became_optional: &'static str,
}

const RESPONSE_BODY: ResponseIds = ResponseIds {
    required_added: "response-required-property-added",
    optional_added: "response-optional-property-added",
    required_removed: "response-required-property-removed",
    optional_removed: "response-optional-property-removed",
    became_required: "response-property-became-required",
    became_optional: "response-property-became-optional",
};

const RESPONSE_HEADER: ResponseIds = ResponseIds {
    required_added: "response-header-required-property-added",
    optional_added: "response-header-optional-property-added",
    required_removed: "response-header-required-property-removed",
    optional_removed: "response-header-optional-property-removed",
    became_required: "response-header-property-became-required",
    became_optional: "response-header-property-became-optional",
};

const VISIBILITY: [(&str, Level, RuleDirection, &str); 5] = [
    (
        "request-property-became-read-only",
        Level::Warning,
        RuleDirection::Request,
        "a request property became `readOnly`: clients that send it are ignored or rejected",
    ),
    (
        "response-required-property-became-write-only",
        Level::Error,
        RuleDirection::Response,
        "a required response property became `writeOnly`: responses no longer carry it",
    ),
    (
        "response-optional-property-became-write-only",
        Level::Warning,
        RuleDirection::Response,
        "an optional response property became `writeOnly`: responses no longer carry it",
    ),
    (
        "response-required-property-became-not-write-only",
        Level::Warning,
        RuleDirection::Response,
        "a required property is no longer `writeOnly`: responses now carry it",
    ),
    (
        "response-optional-property-became-not-write-only",
        Level::Info,
        RuleDirection::Response,
        "an optional property is no longer `writeOnly`: responses may carry it",
    ),
];

const ADDITIONAL: &[SchemaRow] = &[
    SchemaRow {
        suffix: "additional-properties-narrowed",
        request: E,
        response: I,
        summary: "`additionalProperties` now allows fewer undeclared properties",
    },
    SchemaRow {
        suffix: "additional-properties-widened",
        request: I,
        response: I,
        summary: "`additionalProperties` now allows more undeclared properties",
    },
];

pub(super) fn register(b: &mut Builder) {
    for ids in [REQUEST_BODY, HEADER_PARAMETER, OTHER_PARAMETER] {
        let rows = [
            (
                ids.new_required,
                Level::Error,
                "a new required property: requests without it are rejected",
            ),
            (
                ids.new_required_with_default,
                Level::Error,
                "a new required property with a default: requests without it are rejected",
            ),
            (ids.new_optional, Level::Info, "a new optional property"),
            (
                ids.removed,
                Level::Warning,
                "a property was removed: clients that still send it depend on what the server does with it",
            ),
            (
                ids.became_required,
                Level::Error,
                "an optional property became required",
            ),
            (
                ids.became_required_with_default,
                Level::Error,
                "an optional property with a default became required",
            ),
            (
                ids.became_optional,
                Level::Info,
                "a required property became optional",
            ),
        ];
        for (id, level, summary) in rows {
            b.add(
                &FAMILY,
                id,
                level,
                RuleDirection::Request,
                Category::Wire,
                summary,
            );
        }
    }
    for ids in [RESPONSE_BODY, RESPONSE_HEADER] {
        let rows = [
            (ids.required_added, Level::Info, "a new required property"),
            (ids.optional_added, Level::Info, "a new optional property"),
            (
                ids.required_removed,
                Level::Error,
                "a required property was removed: clients that read it get nothing",
            ),
            (
                ids.optional_removed,
                Level::Warning,
                "an optional property was removed",
            ),
            (
                ids.became_required,
                Level::Info,
                "an optional property became required",
            ),
            (
                ids.became_optional,
                Level::Error,
                "a required property became optional: clients that assume it get nothing",
            ),
        ];
        for (id, level, summary) in rows {
            b.add(
                &FAMILY,
                id,
                level,
                RuleDirection::Response,
                Category::Wire,
                summary,
            );
        }
    }
    for (id, level, direction, summary) in VISIBILITY {
        b.add(&FAMILY, id, level, direction, Category::Wire, summary);
    }
    b.schema(&FAMILY, Category::Wire, ADDITIONAL);
}

pub(super) fn judge(s: &SchemaSubject, change: &SchemaChange, out: &mut Vec<Verdict>) {
    let c = container(s);
    let request_ids = match c {
        Container::RequestBody => Some(&REQUEST_BODY),
        Container::HeaderParameter => Some(&HEADER_PARAMETER),
        Container::OtherParameter => Some(&OTHER_PARAMETER),
        _ => None,
    };
    let response_ids = match c {
        Container::ResponseBody => Some(&RESPONSE_BODY),
        Container::ResponseHeader => Some(&RESPONSE_HEADER),
        _ => None,
    };
    let at = site_place(s);
    match change {
        SchemaChange::PropertyAdded {
            name: short,
            required,
            has_default,
            why,
        } => {
            let name = &property_path(s, short);
            let note = match why {
                Visibility::Declared => "",
                Visibility::ReadOnly => " (no longer readOnly)",
                Visibility::WriteOnly => " (no longer writeOnly)",
            };
            if let Some(ids) = request_ids {
                let (id, help) = match (required, has_default) {
                    (true, false) => (
                        ids.new_required,
                        Some(impact::request_property_required(short)),
                    ),
                    (true, true) => (
                        ids.new_required_with_default,
                        Some(impact::request_property_required(short)),
                    ),
                    (false, _) => (ids.new_optional, None),
                };
                let kind = if *required { "required" } else { "optional" };
                out.push(
                    Verdict::new(id, format!("{at}: new {kind} property `{name}`{note}"))
                        .help(help),
                );
            } else if let Some(ids) = response_ids {
                let id = match (why, required, c) {
                    (Visibility::WriteOnly, true, Container::ResponseBody) => {
                        "response-required-property-became-not-write-only"
                    }
                    (Visibility::WriteOnly, false, Container::ResponseBody) => {
                        "response-optional-property-became-not-write-only"
                    }
                    (_, true, _) => ids.required_added,
                    (_, false, _) => ids.optional_added,
                };
                let kind = if *required { "required" } else { "optional" };
                out.push(Verdict::new(
                    id,
                    format!("{at}: new {kind} property `{name}`{note}"),
                ));
            }
        }
        SchemaChange::PropertyRemoved {
            name: short,
            required,
            why,
        } => {
            let name = &property_path(s, short);
            if let Some(ids) = request_ids {
                let id = match (why, c) {
                    (Visibility::ReadOnly, Container::RequestBody) => {
                        "request-property-became-read-only"
                    }
                    _ => ids.removed,
                };
                let what = if *why == Visibility::ReadOnly {
                    "became readOnly"
                } else {
                    "was removed"
                };
                out.push(Verdict::new(id, format!("{at}: property `{name}` {what}")));
            } else if let Some(ids) = response_ids {
                let id = match (why, required, c) {
                    (Visibility::WriteOnly, true, Container::ResponseBody) => {
                        "response-required-property-became-write-only"
                    }
                    (Visibility::WriteOnly, false, Container::ResponseBody) => {
                        "response-optional-property-became-write-only"
                    }
                    (_, true, _) => ids.required_removed,
                    (_, false, _) => ids.optional_removed,
                };
                let kind = if *required { "required" } else { "optional" };
                let what = if *why == Visibility::WriteOnly {
                    "became writeOnly"
                } else {
                    "was removed"
                };
                let help = (*required).then(|| impact::response_property_optional(short, true));
                out.push(
                    Verdict::new(id, format!("{at}: {kind} property `{name}` {what}")).help(help),
                );
            }
        }
        SchemaChange::PropertyRequiredChanged {
            name: short,
            required,
            has_default,
        } => {
            let name = &property_path(s, short);
            if let Some(ids) = request_ids {
                let (id, help) = match (required, has_default) {
                    (true, false) => (
                        ids.became_required,
                        Some(impact::request_property_required(short)),
                    ),
                    (true, true) => (
                        ids.became_required_with_default,
                        Some(impact::request_property_required(short)),
                    ),
                    (false, _) => (ids.became_optional, None),
                };
                let what = if *required {
                    "became required"
                } else {
                    "became optional"
                };
                out.push(Verdict::new(id, format!("{at}: property `{name}` {what}")).help(help));
            } else if let Some(ids) = response_ids {
                let (id, help) = if *required {
                    (ids.became_required, None)
                } else {
                    (
                        ids.became_optional,
                        Some(impact::response_property_optional(short, false)),
                    )
                };
                let what = if *required {
                    "became required"
                } else {
                    "became optional"
                };
                out.push(Verdict::new(id, format!("{at}: property `{name}` {what}")).help(help));
            }
        }
        SchemaChange::AdditionalPropertiesChanged { from, to } => {
            let rank = |o: Openness| match o {
                Openness::Closed => 0,
                Openness::Schema => 1,
                Openness::Open => 2,
            };
            let describe = |o: Openness| match o {
                Openness::Closed => "not allowed",
                Openness::Schema => "allowed if they match a schema",
                Openness::Open => "allowed",
            };
            let suffix = if rank(*to) < rank(*from) {
                "additional-properties-narrowed"
            } else {
                "additional-properties-widened"
            };
            let at = schema_place(s);
            let message = format!(
                "{at}: undeclared properties were {}, now {}",
                describe(*from),
                describe(*to)
            );
            out.push(Verdict::new(
                schema_rule_id(schema_prefix(s), suffix),
                message,
            ));
        }
        _ => {}
    }
}
