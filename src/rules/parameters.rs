//! Parameters of an operation: added, removed, required, serialization, deprecation.
#![doc = include_str!("docs/parameters.md")]

use crate::diff::{Change, ChangeKind, Subject};
use crate::model::ParameterLocation;
use crate::report::Level;

use super::dates::Sunset;
use super::endpoints::{SunsetIds, sunset_change};
use super::registry::{Builder, Category, Family, RuleDirection};
use super::{Cx, Verdict, place};

const FAMILY: Family = Family {
    name: "parameters",
    doc: include_str!("docs/parameters.md"),
};

const RULES: &[(&str, Level, Category, &str)] = &[
    (
        "new-required-request-parameter",
        Level::Error,
        Category::Wire,
        "a new required parameter",
    ),
    (
        "new-optional-request-parameter",
        Level::Info,
        Category::Wire,
        "a new optional parameter",
    ),
    (
        "new-request-path-parameter",
        Level::Error,
        Category::Wire,
        "a new path parameter",
    ),
    (
        "new-required-request-default-parameter-to-existing-path",
        Level::Error,
        Category::Wire,
        "a new required parameter at the path-item level of an existing path",
    ),
    (
        "new-optional-request-default-parameter-to-existing-path",
        Level::Info,
        Category::Wire,
        "a new optional parameter at the path-item level of an existing path",
    ),
    (
        "request-parameter-removed",
        Level::Warning,
        Category::Wire,
        "a parameter was removed",
    ),
    (
        "request-parameter-removed-with-deprecation",
        Level::Info,
        Category::Wire,
        "a deprecated parameter was removed after its sunset",
    ),
    (
        "request-parameter-removed-before-sunset",
        Level::Error,
        Category::Wire,
        "a deprecated parameter was removed before its `x-sunset` date",
    ),
    (
        "request-parameter-sunset-parse",
        Level::Error,
        Category::Wire,
        "a parameter's `x-sunset` is not a date",
    ),
    (
        "request-parameter-became-required",
        Level::Error,
        Category::Wire,
        "an optional parameter became required",
    ),
    (
        "request-parameter-became-optional",
        Level::Info,
        Category::Wire,
        "a required parameter became optional",
    ),
    (
        "request-parameter-deprecated",
        Level::Info,
        Category::Wire,
        "a parameter was deprecated",
    ),
    (
        "request-parameter-reactivated",
        Level::Info,
        Category::Wire,
        "a parameter is no longer deprecated",
    ),
    (
        "request-parameter-deprecated-sunset-missing",
        Level::Error,
        Category::Wire,
        "a parameter was deprecated without an `x-sunset` (only with a deprecation policy)",
    ),
    (
        "request-parameter-sunset-date-too-small",
        Level::Error,
        Category::Wire,
        "a parameter was deprecated with an `x-sunset` sooner than the policy allows",
    ),
    (
        "request-parameter-sunset-deleted",
        Level::Error,
        Category::Wire,
        "the `x-sunset` of a deprecated parameter was deleted",
    ),
    (
        "request-parameter-sunset-date-changed-too-small",
        Level::Error,
        Category::Wire,
        "the `x-sunset` of a deprecated parameter moved earlier",
    ),
    (
        "request-parameter-style-changed",
        Level::Error,
        Category::Wire,
        "a parameter's `style` changed: values are serialized differently",
    ),
    (
        "request-parameter-explode-changed",
        Level::Error,
        Category::Wire,
        "a parameter's `explode` changed: values are serialized differently",
    ),
    (
        "request-path-parameter-renamed",
        Level::Warning,
        Category::Sdk,
        "a path parameter was renamed (same template): generated argument names change",
    ),
];

pub(super) fn register(b: &mut Builder) {
    for (id, level, category, summary) in RULES {
        b.add(
            &FAMILY,
            id,
            *level,
            RuleDirection::Request,
            *category,
            summary,
        );
    }
}

pub(super) fn judge(change: &Change, cx: &Cx<'_>, out: &mut Vec<Verdict>) {
    let Subject::Parameter(p) = &change.subject else {
        return;
    };
    let at = place(&change.subject);
    match &change.kind {
        ChangeKind::ParameterAdded {
            required,
            has_default: _,
            path_level,
        } => {
            let (id, help) = if p.location == ParameterLocation::Path {
                ("new-request-path-parameter", None)
            } else if *path_level {
                if *required {
                    (
                        "new-required-request-default-parameter-to-existing-path",
                        Some(()),
                    )
                } else {
                    (
                        "new-optional-request-default-parameter-to-existing-path",
                        None,
                    )
                }
            } else if *required {
                ("new-required-request-parameter", Some(()))
            } else {
                ("new-optional-request-parameter", None)
            };
            let kind = if *required { "required" } else { "optional" };
            let help = help.map(|()| {
                format!("TypeScript client: a new required argument `{}`: existing calls fail to compile once regenerated, and clients built from the old spec get a 400.", p.name)
            });
            out.push(Verdict::new(id, format!("new {kind} {at}")).help(help));
        }
        ChangeKind::ParameterRemoved { lifecycle } => {
            if !lifecycle.deprecated {
                out.push(Verdict::new(
                    "request-parameter-removed",
                    format!("{at} was removed"),
                ));
                return;
            }
            let verdict = match Sunset::read(lifecycle.sunset.as_deref(), cx.today) {
                Sunset::Invalid => Verdict::new(
                    "request-parameter-sunset-parse",
                    format!(
                        "{at} was removed, but its `x-sunset: {}` is not a date",
                        lifecycle.sunset.as_deref().unwrap_or("")
                    ),
                ),
                Sunset::Ahead(date) => Verdict::new(
                    "request-parameter-removed-before-sunset",
                    format!("{at} was removed before its sunset date {date}"),
                ),
                Sunset::Absent | Sunset::Passed(_) => Verdict::new(
                    "request-parameter-removed-with-deprecation",
                    format!("{at} was removed after its deprecation"),
                ),
            };
            out.push(verdict);
        }
        ChangeKind::ParameterRequiredChanged { required: true } => {
            out.push(Verdict::new(
                "request-parameter-became-required",
                format!("{at} became required"),
            ));
        }
        ChangeKind::ParameterRequiredChanged { required: false } => {
            out.push(Verdict::new(
                "request-parameter-became-optional",
                format!("{at} became optional"),
            ));
        }
        ChangeKind::ParameterDeprecated { sunset } => {
            let stability = change
                .operation
                .as_ref()
                .and_then(|o| o.stability.as_deref());
            match Sunset::read(sunset.as_deref(), cx.today) {
                Sunset::Invalid => out.push(Verdict::new(
                    "request-parameter-sunset-parse",
                    format!("{at} was deprecated with `x-sunset: {}`, which is not a date", sunset.as_deref().unwrap_or("")),
                )),
                Sunset::Absent => match cx.min_days(stability) {
                    Some(days) if days > 0 => out.push(Verdict::new(
                        "request-parameter-deprecated-sunset-missing",
                        format!("{at} was deprecated without an `x-sunset` (the policy asks for at least {days} days)"),
                    )),
                    _ => out.push(Verdict::new("request-parameter-deprecated", format!("{at} was deprecated"))),
                },
                Sunset::Passed(date) | Sunset::Ahead(date) => {
                    let days = cx.min_days(stability).unwrap_or(0);
                    if days > 0 && date < cx.today.plus_days(days) {
                        out.push(Verdict::new(
                            "request-parameter-sunset-date-too-small",
                            format!("{at} was deprecated with `x-sunset: {date}`, sooner than the {days} days the policy asks for"),
                        ));
                    } else {
                        out.push(Verdict::new("request-parameter-deprecated", format!("{at} was deprecated, sunset {date}")));
                    }
                }
            }
        }
        ChangeKind::ParameterReactivated => {
            out.push(Verdict::new(
                "request-parameter-reactivated",
                format!("{at} is no longer deprecated"),
            ));
        }
        ChangeKind::ParameterSunsetChanged { from, to } => {
            let stability = change
                .operation
                .as_ref()
                .and_then(|o| o.stability.as_deref());
            out.extend(sunset_change(
                cx,
                stability,
                from,
                to.as_deref(),
                &at,
                SunsetIds {
                    deleted: "request-parameter-sunset-deleted",
                    parse: "request-parameter-sunset-parse",
                    too_small: "request-parameter-sunset-date-changed-too-small",
                },
            ));
        }
        ChangeKind::ParameterStyleChanged { from, to } => {
            out.push(Verdict::new(
                "request-parameter-style-changed",
                format!("{at}: style changed from `{from}` to `{to}`"),
            ));
        }
        ChangeKind::ParameterExplodeChanged { from, to } => {
            out.push(Verdict::new(
                "request-parameter-explode-changed",
                format!("{at}: explode changed from {from} to {to}"),
            ));
        }
        ChangeKind::ParameterRenamed { from, to } => {
            let help = format!(
                "The URL is the same; the argument of generated clients is renamed from `{from}` to `{to}`."
            );
            out.push(
                Verdict::new(
                    "request-path-parameter-renamed",
                    format!("path parameter `{from}` renamed to `{to}`"),
                )
                .help(Some(help)),
            );
        }
        _ => {}
    }
}
