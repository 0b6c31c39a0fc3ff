//! Properties of an object: added, removed, required or not, readOnly/writeOnly, and
//! `additionalProperties`.
#![doc = include_str!("../catalogue/docs/schema_properties.md")]

use crate::catalogue::Rule;
use crate::catalogue::diff::schema_properties::*;
use crate::diff::{Openness, SchemaChange, SchemaSite, SchemaSubject, Visibility};
use crate::model::{Direction, ParameterLocation};

use super::{Verdict, impact, property_path, schema_place, schema_prefix, site_place};

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
    new_required: &'static Rule,
    new_required_with_default: &'static Rule,
    new_optional: &'static Rule,
    removed: &'static Rule,
    became_required: &'static Rule,
    became_required_with_default: &'static Rule,
    became_optional: &'static Rule,
}

const REQUEST_BODY: RequestIds = RequestIds {
    new_required: &NEW_REQUIRED_REQUEST_PROPERTY,
    new_required_with_default: &NEW_REQUIRED_REQUEST_PROPERTY_WITH_DEFAULT,
    new_optional: &NEW_OPTIONAL_REQUEST_PROPERTY,
    removed: &REQUEST_PROPERTY_REMOVED,
    became_required: &REQUEST_PROPERTY_BECAME_REQUIRED,
    became_required_with_default: &REQUEST_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT,
    became_optional: &REQUEST_PROPERTY_BECAME_OPTIONAL,
};

const HEADER_PARAMETER: RequestIds = RequestIds {
    new_required: &NEW_REQUIRED_REQUEST_HEADER_PROPERTY,
    new_required_with_default: &NEW_REQUIRED_REQUEST_HEADER_PROPERTY_WITH_DEFAULT,
    new_optional: &NEW_OPTIONAL_REQUEST_HEADER_PROPERTY,
    removed: &REQUEST_HEADER_PROPERTY_REMOVED,
    became_required: &REQUEST_HEADER_PROPERTY_BECAME_REQUIRED,
    became_required_with_default: &REQUEST_HEADER_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT,
    became_optional: &REQUEST_HEADER_PROPERTY_BECAME_OPTIONAL,
};

const OTHER_PARAMETER: RequestIds = RequestIds {
    new_required: &NEW_REQUIRED_REQUEST_PARAMETER_PROPERTY,
    new_required_with_default: &NEW_REQUIRED_REQUEST_PARAMETER_PROPERTY_WITH_DEFAULT,
    new_optional: &NEW_OPTIONAL_REQUEST_PARAMETER_PROPERTY,
    removed: &REQUEST_PARAMETER_PROPERTY_REMOVED,
    became_required: &REQUEST_PARAMETER_PROPERTY_BECAME_REQUIRED,
    became_required_with_default: &REQUEST_PARAMETER_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT,
    became_optional: &REQUEST_PARAMETER_PROPERTY_BECAME_OPTIONAL,
};

/// Ids of the response-side containers.
struct ResponseIds {
    required_added: &'static Rule,
    optional_added: &'static Rule,
    required_removed: &'static Rule,
    optional_removed: &'static Rule,
    became_required: &'static Rule,
    became_optional: &'static Rule,
}

const RESPONSE_BODY: ResponseIds = ResponseIds {
    required_added: &RESPONSE_REQUIRED_PROPERTY_ADDED,
    optional_added: &RESPONSE_OPTIONAL_PROPERTY_ADDED,
    required_removed: &RESPONSE_REQUIRED_PROPERTY_REMOVED,
    optional_removed: &RESPONSE_OPTIONAL_PROPERTY_REMOVED,
    became_required: &RESPONSE_PROPERTY_BECAME_REQUIRED,
    became_optional: &RESPONSE_PROPERTY_BECAME_OPTIONAL,
};

const RESPONSE_HEADER: ResponseIds = ResponseIds {
    required_added: &RESPONSE_HEADER_REQUIRED_PROPERTY_ADDED,
    optional_added: &RESPONSE_HEADER_OPTIONAL_PROPERTY_ADDED,
    required_removed: &RESPONSE_HEADER_REQUIRED_PROPERTY_REMOVED,
    optional_removed: &RESPONSE_HEADER_OPTIONAL_PROPERTY_REMOVED,
    became_required: &RESPONSE_HEADER_PROPERTY_BECAME_REQUIRED,
    became_optional: &RESPONSE_HEADER_PROPERTY_BECAME_OPTIONAL,
};

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
                        &RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY
                    }
                    (Visibility::WriteOnly, false, Container::ResponseBody) => {
                        &RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY
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
                        &REQUEST_PROPERTY_BECAME_READ_ONLY
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
                        &RESPONSE_REQUIRED_PROPERTY_BECAME_WRITE_ONLY
                    }
                    (Visibility::WriteOnly, false, Container::ResponseBody) => {
                        &RESPONSE_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY
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
            let narrowed = rank(*to) < rank(*from);
            let suffix = if narrowed {
                &ADDITIONAL_PROPERTIES_NARROWED
            } else {
                &ADDITIONAL_PROPERTIES_WIDENED
            };
            let at = schema_place(s);
            let message = format!(
                "{at}: undeclared properties were {}, now {}",
                describe(*from),
                describe(*to)
            );
            let help =
                impact::additional_properties(&super::subject_name(s), narrowed, s.direction);
            out.push(Verdict::schema(schema_prefix(s), suffix, message).help(Some(help)));
        }
        _ => {}
    }
}
