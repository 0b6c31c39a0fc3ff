//! Paths, operations, webhooks and callbacks: added, removed, deprecated, sunset, stability.
#![doc = include_str!("docs/endpoints.md")]

use crate::diff::{Change, ChangeKind, Lifecycle, Origin};
use crate::report::Level;

use super::dates::{Sunset, stability_rank};
use super::registry::{Builder, Category, Family, RuleDirection};
use super::{Cx, Verdict};

const FAMILY: Family = Family {
    name: "endpoints",
    doc: include_str!("docs/endpoints.md"),
};

const RULES: &[(&str, Level, &str)] = &[
    (
        "api-path-removed-without-deprecation",
        Level::Error,
        "every operation of a path was removed, not all of them deprecated first",
    ),
    (
        "api-path-removed-with-deprecation",
        Level::Info,
        "a path was removed after its deprecation (and sunset, if any)",
    ),
    (
        "api-path-removed-before-sunset",
        Level::Error,
        "a deprecated path was removed before its `x-sunset` date",
    ),
    (
        "api-path-sunset-parse",
        Level::Error,
        "an operation's `x-sunset` is not a date",
    ),
    (
        "api-removed-without-deprecation",
        Level::Error,
        "an operation was removed without being deprecated first",
    ),
    (
        "api-removed-with-deprecation",
        Level::Info,
        "an operation was removed after its deprecation (and sunset, if any)",
    ),
    (
        "api-removed-before-sunset",
        Level::Error,
        "a deprecated operation was removed before its `x-sunset` date",
    ),
    ("endpoint-added", Level::Info, "an operation was added"),
    (
        "endpoint-deprecated",
        Level::Info,
        "an operation was deprecated without a sunset date",
    ),
    (
        "endpoint-deprecated-with-sunset",
        Level::Info,
        "an operation was deprecated with a sunset date",
    ),
    (
        "endpoint-reactivated",
        Level::Info,
        "an operation is no longer deprecated",
    ),
    (
        "api-deprecated-sunset-parse",
        Level::Error,
        "an operation was deprecated with an `x-sunset` that is not a date",
    ),
    (
        "api-deprecated-sunset-missing",
        Level::Error,
        "an operation was deprecated without an `x-sunset` (only with a deprecation policy)",
    ),
    (
        "api-sunset-date-too-small",
        Level::Error,
        "an operation was deprecated with an `x-sunset` sooner than the policy allows",
    ),
    (
        "sunset-deleted",
        Level::Error,
        "the `x-sunset` of a deprecated operation was deleted",
    ),
    (
        "api-sunset-date-changed-too-small",
        Level::Error,
        "the `x-sunset` of a deprecated operation moved earlier (or below the policy)",
    ),
    (
        "api-stability-decreased",
        Level::Error,
        "an operation's `x-stability-level` decreased",
    ),
    (
        "api-stability-increased",
        Level::Info,
        "an operation's `x-stability-level` increased",
    ),
    (
        "api-invalid-stability-level",
        Level::Error,
        "an `x-stability-level` is not draft, alpha, beta or stable",
    ),
    ("webhook-added", Level::Info, "a webhook was added"),
    (
        "webhook-removed",
        Level::Error,
        "a webhook was removed: consumers stop receiving it",
    ),
    (
        "webhook-removed-with-deprecation",
        Level::Info,
        "a deprecated webhook was removed after its sunset",
    ),
    (
        "api-callback-added",
        Level::Info,
        "a callback operation was added",
    ),
    (
        "api-callback-removed",
        Level::Error,
        "a callback operation was removed: consumers stop receiving it",
    ),
];

pub(super) fn register(b: &mut Builder) {
    for (id, level, summary) in RULES {
        b.add(
            &FAMILY,
            id,
            *level,
            RuleDirection::None,
            Category::Wire,
            summary,
        );
    }
}

fn removal(change: &Change, lifecycle: &Lifecycle, whole_path: bool, cx: &Cx<'_>) -> Verdict {
    let label = change
        .operation
        .as_ref()
        .map_or("the operation", |o| o.label.as_str());
    let origin = change.operation.as_ref().map_or(Origin::Path, |o| o.origin);
    let sunset = Sunset::read(lifecycle.sunset.as_deref(), cx.today);
    let (prefix, what) = match origin {
        Origin::Path if whole_path => ("api-path", "the path of".to_string()),
        Origin::Path => ("api", String::new()),
        Origin::Webhook => ("webhook", String::new()),
        Origin::Callback => ("api-callback", String::new()),
    };
    let subject = if what.is_empty() {
        format!("`{label}`")
    } else {
        format!("{what} `{label}`")
    };
    if origin != Origin::Path {
        return match (lifecycle.deprecated, sunset) {
            (true, Sunset::Absent | Sunset::Passed(_)) if origin == Origin::Webhook => {
                Verdict::new(
                    "webhook-removed-with-deprecation",
                    format!("{subject} was removed after its deprecation"),
                )
            }
            _ => Verdict::new(
                format!("{prefix}-removed"),
                format!("{subject} was removed"),
            ),
        };
    }
    if !lifecycle.deprecated {
        return Verdict::new(
            format!("{prefix}-removed-without-deprecation"),
            format!("{subject} was removed without being deprecated first"),
        )
        .help(Some("Deprecate it first (`deprecated: true` with an `x-sunset` date), then remove it after the sunset. Generated clients lose the method.".to_string()));
    }
    match sunset {
        Sunset::Invalid => Verdict::new(
            "api-path-sunset-parse",
            format!(
                "{subject} was removed, but its `x-sunset: {}` is not a date",
                lifecycle.sunset.as_deref().unwrap_or("")
            ),
        ),
        Sunset::Ahead(date) => Verdict::new(
            format!("{prefix}-removed-before-sunset"),
            format!("{subject} was removed before its sunset date {date}"),
        ),
        Sunset::Absent => Verdict::new(
            format!("{prefix}-removed-with-deprecation"),
            format!("{subject} was removed after its deprecation"),
        ),
        Sunset::Passed(date) => Verdict::new(
            format!("{prefix}-removed-with-deprecation"),
            format!("{subject} was removed after its sunset date {date}"),
        ),
    }
}

pub(super) fn judge(change: &Change, cx: &Cx<'_>, out: &mut Vec<Verdict>) {
    let label = change
        .operation
        .as_ref()
        .map_or("the operation", |o| o.label.as_str());
    let origin = change.operation.as_ref().map_or(Origin::Path, |o| o.origin);
    match &change.kind {
        ChangeKind::OperationRemoved {
            lifecycle,
            whole_path,
        } => out.push(removal(change, lifecycle, *whole_path, cx)),
        ChangeKind::OperationAdded => {
            let id = match origin {
                Origin::Path => "endpoint-added",
                Origin::Webhook => "webhook-added",
                Origin::Callback => "api-callback-added",
            };
            out.push(Verdict::new(id, format!("`{label}` was added")));
        }
        ChangeKind::OperationDeprecated { sunset, stability } => {
            if stability_rank(stability.as_deref()).is_none() {
                let message = format!(
                    "`{label}` has an unknown `x-stability-level: {}`",
                    stability.as_deref().unwrap_or("")
                );
                out.push(Verdict::new("api-invalid-stability-level", message));
            }
            match Sunset::read(sunset.as_deref(), cx.today) {
                Sunset::Invalid => out.push(Verdict::new(
                    "api-deprecated-sunset-parse",
                    format!("`{label}` was deprecated with `x-sunset: {}`, which is not a date (YYYY-MM-DD)", sunset.as_deref().unwrap_or("")),
                )),
                Sunset::Absent => match cx.min_days(stability.as_deref()) {
                    Some(days) if days > 0 => out.push(Verdict::new(
                        "api-deprecated-sunset-missing",
                        format!("`{label}` was deprecated without an `x-sunset` (the policy asks for at least {days} days)"),
                    )),
                    _ => out.push(Verdict::new("endpoint-deprecated", format!("`{label}` was deprecated"))),
                },
                Sunset::Passed(date) | Sunset::Ahead(date) => {
                    let days = cx.min_days(stability.as_deref()).unwrap_or(0);
                    if days > 0 && date < cx.today.plus_days(days) {
                        out.push(Verdict::new(
                            "api-sunset-date-too-small",
                            format!("`{label}` was deprecated with `x-sunset: {date}`, sooner than the {days} days the policy asks for"),
                        ));
                    } else {
                        out.push(Verdict::new("endpoint-deprecated-with-sunset", format!("`{label}` was deprecated, sunset {date}")));
                    }
                }
            }
        }
        ChangeKind::OperationReactivated => out.push(Verdict::new(
            "endpoint-reactivated",
            format!("`{label}` is no longer deprecated"),
        )),
        ChangeKind::OperationSunsetChanged { from, to } => {
            let stability = change
                .operation
                .as_ref()
                .and_then(|o| o.stability.as_deref());
            out.extend(sunset_change(
                cx,
                stability,
                from,
                to.as_deref(),
                &format!("`{label}`"),
                SunsetIds {
                    deleted: "sunset-deleted",
                    parse: "api-path-sunset-parse",
                    too_small: "api-sunset-date-changed-too-small",
                },
            ));
        }
        ChangeKind::OperationStabilityChanged { from, to } => {
            let (Some(a), Some(b)) = (
                stability_rank(from.as_deref()),
                stability_rank(to.as_deref()),
            ) else {
                for (side, level) in [("base", from), ("revision", to)] {
                    if stability_rank(level.as_deref()).is_none() {
                        let message = format!(
                            "`{label}` has an unknown `x-stability-level: {}` in the {side} (draft, alpha, beta or stable)",
                            level.as_deref().unwrap_or("")
                        );
                        out.push(Verdict::new("api-invalid-stability-level", message));
                    }
                }
                return;
            };
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "stable".to_string());
            if b < a {
                out.push(Verdict::new(
                    "api-stability-decreased",
                    format!(
                        "`{label}`: stability decreased from {} to {}",
                        show(from),
                        show(to)
                    ),
                ));
            } else if b > a {
                out.push(Verdict::new(
                    "api-stability-increased",
                    format!(
                        "`{label}`: stability increased from {} to {}",
                        show(from),
                        show(to)
                    ),
                ));
            }
        }
        _ => {}
    }
}

/// The ids a sunset change reports under.
pub(super) struct SunsetIds {
    pub deleted: &'static str,
    pub parse: &'static str,
    pub too_small: &'static str,
}

/// A sunset date of something that stays deprecated was deleted, broken, or moved earlier.
pub(super) fn sunset_change(
    cx: &Cx<'_>,
    stability: Option<&str>,
    from: &str,
    to: Option<&str>,
    what: &str,
    ids: SunsetIds,
) -> Option<Verdict> {
    let Some(to) = to else {
        return Some(Verdict::new(
            ids.deleted,
            format!("{what}: the `x-sunset: {from}` of the deprecation was deleted"),
        ));
    };
    let (Some(old), Some(new)) = (super::Date::parse(from), super::Date::parse(to)) else {
        let bad = if super::Date::parse(from).is_none() {
            from
        } else {
            to
        };
        return Some(Verdict::new(
            ids.parse,
            format!("{what}: `x-sunset: {bad}` is not a date (YYYY-MM-DD)"),
        ));
    };
    let days = cx.min_days(stability).unwrap_or(0);
    if new < old {
        return Some(Verdict::new(
            ids.too_small,
            format!("{what}: the sunset moved earlier, from {old} to {new}"),
        ));
    }
    if days > 0 && new < cx.today.plus_days(days) {
        return Some(Verdict::new(
            ids.too_small,
            format!(
                "{what}: the sunset moved to {new}, sooner than the {days} days the policy asks for"
            ),
        ));
    }
    None
}
