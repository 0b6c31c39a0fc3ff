//! Parameters of an operation: added, removed, required, serialization, deprecation.
#![doc = include_str!("../catalogue/docs/parameters.md")]

use crate::catalogue::diff::parameters::*;
use crate::diff::{Change, ChangeKind, Subject};
use crate::model::ParameterLocation;

use super::dates::Sunset;
use super::endpoints::{SunsetIds, sunset_change};
use super::{Cx, Verdict, impact, place};

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
                (&NEW_REQUEST_PATH_PARAMETER, Some(()))
            } else if *path_level {
                if *required {
                    (
                        &NEW_REQUIRED_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH,
                        Some(()),
                    )
                } else {
                    (
                        &NEW_OPTIONAL_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH,
                        None,
                    )
                }
            } else if *required {
                (&NEW_REQUIRED_REQUEST_PARAMETER, Some(()))
            } else {
                (&NEW_OPTIONAL_REQUEST_PARAMETER, None)
            };
            let kind = if *required { "required" } else { "optional" };
            let names = impact::operation_names(change);
            let help = help.and_then(|()| {
                names
                    .as_ref()
                    .map(|n| impact::parameter_required(n, &p.name, true))
            });
            out.push(Verdict::new(id, format!("new {kind} {at}")).help(help));
        }
        ChangeKind::ParameterRemoved { lifecycle } => {
            if !lifecycle.deprecated {
                out.push(Verdict::new(
                    &REQUEST_PARAMETER_REMOVED,
                    format!("{at} was removed"),
                ));
                return;
            }
            let verdict = match Sunset::read(lifecycle.sunset.as_deref(), cx.today) {
                Sunset::Invalid => Verdict::new(
                    &REQUEST_PARAMETER_SUNSET_PARSE,
                    format!(
                        "{at} was removed, but its `x-sunset: {}` is not a date",
                        lifecycle.sunset.as_deref().unwrap_or("")
                    ),
                ),
                Sunset::Ahead(date) => Verdict::new(
                    &REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET,
                    format!("{at} was removed before its sunset date {date}"),
                ),
                Sunset::Absent | Sunset::Passed(_) => Verdict::new(
                    &REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION,
                    format!("{at} was removed after its deprecation"),
                ),
            };
            out.push(verdict);
        }
        ChangeKind::ParameterRequiredChanged { required: true } => {
            let help = impact::operation_names(change)
                .map(|n| impact::parameter_required(&n, &p.name, false));
            out.push(
                Verdict::new(
                    &REQUEST_PARAMETER_BECAME_REQUIRED,
                    format!("{at} became required"),
                )
                .help(help),
            );
        }
        ChangeKind::ParameterRequiredChanged { required: false } => {
            out.push(Verdict::new(
                &REQUEST_PARAMETER_BECAME_OPTIONAL,
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
                    &REQUEST_PARAMETER_SUNSET_PARSE,
                    format!("{at} was deprecated with `x-sunset: {}`, which is not a date", sunset.as_deref().unwrap_or("")),
                )),
                Sunset::Absent => match cx.min_days(stability) {
                    Some(days) if days > 0 => out.push(Verdict::new(
                        &REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING,
                        format!("{at} was deprecated without an `x-sunset` (the policy asks for at least {days} days)"),
                    )),
                    _ => out.push(Verdict::new(&REQUEST_PARAMETER_DEPRECATED, format!("{at} was deprecated"))),
                },
                Sunset::Passed(date) | Sunset::Ahead(date) => {
                    let days = cx.min_days(stability).unwrap_or(0);
                    if days > 0 && date < cx.today.plus_days(days) {
                        out.push(Verdict::new(
                            &REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL,
                            format!("{at} was deprecated with `x-sunset: {date}`, sooner than the {days} days the policy asks for"),
                        ));
                    } else {
                        out.push(Verdict::new(&REQUEST_PARAMETER_DEPRECATED, format!("{at} was deprecated, sunset {date}")));
                    }
                }
            }
        }
        ChangeKind::ParameterReactivated => {
            out.push(Verdict::new(
                &REQUEST_PARAMETER_REACTIVATED,
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
                    deleted: &REQUEST_PARAMETER_SUNSET_DELETED,
                    parse: &REQUEST_PARAMETER_SUNSET_PARSE,
                    too_small: &REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL,
                },
            ));
        }
        ChangeKind::ParameterStyleChanged { from, to } => {
            out.push(
                Verdict::new(
                    &REQUEST_PARAMETER_STYLE_CHANGED,
                    format!("{at}: style changed from `{from}` to `{to}`"),
                )
                .help(
                    impact::operation_names(change)
                        .map(|n| impact::parameter_serialization(&n, &p.name)),
                ),
            );
        }
        ChangeKind::ParameterExplodeChanged { from, to } => {
            out.push(
                Verdict::new(
                    &REQUEST_PARAMETER_EXPLODE_CHANGED,
                    format!("{at}: explode changed from {from} to {to}"),
                )
                .help(
                    impact::operation_names(change)
                        .map(|n| impact::parameter_serialization(&n, &p.name)),
                ),
            );
        }
        ChangeKind::ParameterRenamed { from, to } => {
            let help = format!(
                "The URL is the same; the argument of generated clients is renamed from `{from}` to `{to}`."
            );
            out.push(
                Verdict::new(
                    &REQUEST_PATH_PARAMETER_RENAMED,
                    format!("path parameter `{from}` renamed to `{to}`"),
                )
                .help(Some(help)),
            );
        }
        _ => {}
    }
}
