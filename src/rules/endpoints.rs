//! Paths, operations, webhooks and callbacks: added, removed, deprecated, sunset, stability.
#![doc = include_str!("../catalogue/docs/endpoints.md")]

use crate::catalogue::Rule;
use crate::catalogue::diff::endpoints::*;
use crate::diff::{Change, ChangeKind, DeclaredIn, Lifecycle};

use super::dates::{Sunset, stability_rank};
use super::{Cx, Verdict, impact};

fn removal(change: &Change, lifecycle: &Lifecycle, whole_path: bool, cx: &Cx<'_>) -> Verdict {
    let label = change
        .operation
        .as_ref()
        .map_or("the operation", |o| o.label.as_str());
    let declared_in = change
        .operation
        .as_ref()
        .map_or(DeclaredIn::Path, |o| o.declared_in);
    let sunset = Sunset::read(lifecycle.sunset.as_deref(), cx.today);
    // (removed without deprecation, before its sunset, after it) for a path or an operation.
    let (ids, what) = match declared_in {
        DeclaredIn::Path if whole_path => (
            [
                &API_PATH_REMOVED_WITHOUT_DEPRECATION,
                &API_PATH_REMOVED_BEFORE_SUNSET,
                &API_PATH_REMOVED_WITH_DEPRECATION,
            ],
            "the path of",
        ),
        _ => (
            [
                &API_REMOVED_WITHOUT_DEPRECATION,
                &API_REMOVED_BEFORE_SUNSET,
                &API_REMOVED_WITH_DEPRECATION,
            ],
            "",
        ),
    };
    let [without_deprecation, before_sunset, with_deprecation] = ids;
    let subject = if what.is_empty() {
        format!("`{label}`")
    } else {
        format!("{what} `{label}`")
    };
    if declared_in != DeclaredIn::Path {
        return match (lifecycle.deprecated, sunset) {
            (true, Sunset::Absent | Sunset::Passed(_)) if declared_in == DeclaredIn::Webhook => {
                Verdict::new(
                    &WEBHOOK_REMOVED_WITH_DEPRECATION,
                    format!("{subject} was removed after its deprecation"),
                )
            }
            _ if declared_in == DeclaredIn::Webhook => {
                Verdict::new(&WEBHOOK_REMOVED, format!("{subject} was removed"))
            }
            _ => Verdict::new(&API_CALLBACK_REMOVED, format!("{subject} was removed")),
        };
    }
    if !lifecycle.deprecated {
        return Verdict::new(
            without_deprecation,
            format!("{subject} was removed without being deprecated first"),
        )
        .help(Some(match impact::operation_names(change) {
            Some(names) => format!(
                "Deprecate it first (`deprecated: true` with an `x-sunset` date), then remove it after the sunset. {}",
                impact::operation_removed(&names)
            ),
            None => "Deprecate it first (`deprecated: true` with an `x-sunset` date), then remove it after the sunset. Generated clients lose the method.".to_string(),
        }));
    }
    match sunset {
        Sunset::Invalid => Verdict::new(
            &API_PATH_SUNSET_PARSE,
            format!(
                "{subject} was removed, but its `x-sunset: {}` is not a date",
                lifecycle.sunset.as_deref().unwrap_or("")
            ),
        ),
        Sunset::Ahead(date) => Verdict::new(
            before_sunset,
            format!("{subject} was removed before its sunset date {date}"),
        ),
        Sunset::Absent => Verdict::new(
            with_deprecation,
            format!("{subject} was removed after its deprecation"),
        ),
        Sunset::Passed(date) => Verdict::new(
            with_deprecation,
            format!("{subject} was removed after its sunset date {date}"),
        ),
    }
}

pub(super) fn judge(change: &Change, cx: &Cx<'_>, out: &mut Vec<Verdict>) {
    let label = change
        .operation
        .as_ref()
        .map_or("the operation", |o| o.label.as_str());
    let declared_in = change
        .operation
        .as_ref()
        .map_or(DeclaredIn::Path, |o| o.declared_in);
    match &change.kind {
        ChangeKind::ServerUrlChanged {
            from,
            to,
            path_changed: true,
        } => out.push(Verdict::new(
            &SERVER_PATH_CHANGED,
            format!(
                "the default server moved from `{from}` to `{to}`: the path part changed, so every operation that does not declare its own servers is at a new URL"
            ),
        ).help(Some("TypeScript client: `DEFAULT_BASE_URL` changes: clients built from the old spec, and callers that pass the old URL as `baseUrl`, reach paths that no longer exist. Rust server: its routes are the operations' paths, without the server's path: whatever mounts it under the old prefix (a proxy, `Router::nest`) must move to the new one.".to_string()))),
        ChangeKind::ServerUrlChanged { from, to, .. } => out.push(Verdict::new(
            &SERVER_HOST_CHANGED,
            format!("the default server moved from `{from}` to `{to}` (same path)"),
        )),
        ChangeKind::OperationRemoved {
            lifecycle,
            whole_path,
        } => out.push(removal(change, lifecycle, *whole_path, cx)),
        ChangeKind::OperationAdded => {
            let id = match declared_in {
                DeclaredIn::Path => &ENDPOINT_ADDED,
                DeclaredIn::Webhook => &WEBHOOK_ADDED,
                DeclaredIn::Callback => &API_CALLBACK_ADDED,
            };
            out.push(Verdict::new(id, format!("`{label}` was added")));
        }
        ChangeKind::OperationDeprecated { sunset, stability } => {
            if stability_rank(stability.as_deref()).is_none() {
                let message = format!(
                    "`{label}` has an unknown `x-stability-level: {}`",
                    stability.as_deref().unwrap_or("")
                );
                out.push(Verdict::new(&API_INVALID_STABILITY_LEVEL, message));
            }
            match Sunset::read(sunset.as_deref(), cx.today) {
                Sunset::Invalid => out.push(Verdict::new(
                    &API_DEPRECATED_SUNSET_PARSE,
                    format!("`{label}` was deprecated with `x-sunset: {}`, which is not a date (YYYY-MM-DD)", sunset.as_deref().unwrap_or("")),
                )),
                Sunset::Absent => match cx.min_days(stability.as_deref()) {
                    Some(days) if days > 0 => out.push(Verdict::new(
                        &API_DEPRECATED_SUNSET_MISSING,
                        format!("`{label}` was deprecated without an `x-sunset` (the policy asks for at least {days} days)"),
                    )),
                    _ => out.push(Verdict::new(&ENDPOINT_DEPRECATED, format!("`{label}` was deprecated"))),
                },
                Sunset::Passed(date) | Sunset::Ahead(date) => {
                    let days = cx.min_days(stability.as_deref()).unwrap_or(0);
                    if days > 0 && date < cx.today.plus_days(days) {
                        out.push(Verdict::new(
                            &API_SUNSET_DATE_TOO_SMALL,
                            format!("`{label}` was deprecated with `x-sunset: {date}`, sooner than the {days} days the policy asks for"),
                        ));
                    } else {
                        out.push(Verdict::new(&ENDPOINT_DEPRECATED_WITH_SUNSET, format!("`{label}` was deprecated, sunset {date}")));
                    }
                }
            }
        }
        ChangeKind::OperationReactivated => out.push(Verdict::new(
            &ENDPOINT_REACTIVATED,
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
                    deleted: &SUNSET_DELETED,
                    parse: &API_PATH_SUNSET_PARSE,
                    too_small: &API_SUNSET_DATE_CHANGED_TOO_SMALL,
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
                        out.push(Verdict::new(&API_INVALID_STABILITY_LEVEL, message));
                    }
                }
                return;
            };
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "stable".to_string());
            if b < a {
                out.push(Verdict::new(
                    &API_STABILITY_DECREASED,
                    format!(
                        "`{label}`: stability decreased from {} to {}",
                        show(from),
                        show(to)
                    ),
                ));
            } else if b > a {
                out.push(Verdict::new(
                    &API_STABILITY_INCREASED,
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
    pub deleted: &'static Rule,
    pub parse: &'static Rule,
    pub too_small: &'static Rule,
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
