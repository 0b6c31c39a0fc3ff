//! Deprecation, `x-sunset` and `x-stability-level` of properties and bodies.
#![doc = include_str!("../catalogue/docs/schema_lifecycle.md")]

use crate::catalogue::SchemaRule;
use crate::catalogue::diff::schema_lifecycle::*;
use crate::diff::{SchemaChange, SchemaSubject};

use super::dates::{Sunset, stability_rank};
use super::{Cx, Verdict, schema_place, schema_prefix};

pub(super) fn judge(s: &SchemaSubject, change: &SchemaChange, cx: &Cx<'_>, out: &mut Vec<Verdict>) {
    let prefix = schema_prefix(s);
    let place = schema_place(s);
    let verdict = |rule: &SchemaRule, message: String| Verdict::schema(prefix, rule, message);
    match change {
        SchemaChange::DeprecatedChanged { deprecated: false, .. } => {
            out.push(verdict(&REACTIVATED, format!("{place}: no longer deprecated")));
        }
        SchemaChange::DeprecatedChanged { deprecated: true, sunset } => {
            match Sunset::read(sunset.as_deref(), cx.today) {
                Sunset::Invalid => out.push(verdict(
                    &DEPRECATED_SUNSET_INVALID,
                    format!("{place}: deprecated with `x-sunset: {}`, which is not a date (YYYY-MM-DD)", sunset.as_deref().unwrap_or("")),
                )),
                Sunset::Absent => match cx.min_days(None) {
                    Some(days) if days > 0 => out.push(verdict(
                        &DEPRECATED_SUNSET_MISSING,
                        format!("{place}: deprecated without an `x-sunset` (the policy asks for at least {days} days)"),
                    )),
                    _ => out.push(verdict(&DEPRECATED, format!("{place}: deprecated"))),
                },
                Sunset::Passed(date) | Sunset::Ahead(date) => {
                    let days = cx.min_days(None).unwrap_or(0);
                    if date < cx.today.plus_days(days) && days > 0 {
                        out.push(verdict(
                            &SUNSET_DATE_TOO_SMALL,
                            format!("{place}: deprecated with `x-sunset: {date}`, sooner than the {days} days the policy asks for"),
                        ));
                    } else {
                        out.push(verdict(&DEPRECATED_WITH_SUNSET, format!("{place}: deprecated, sunset {date}")));
                    }
                }
            }
        }
        SchemaChange::StabilityChanged { from, to } => {
            let (Some(a), Some(b)) = (stability_rank(from.as_deref()), stability_rank(to.as_deref())) else {
                // An unknown level is reported once, by the operation rules' id.
                if stability_rank(to.as_deref()).is_none() {
                    let message = format!("{place}: unknown `x-stability-level: {}` (draft, alpha, beta or stable)", to.as_deref().unwrap_or(""));
                    out.push(Verdict::new(&crate::catalogue::diff::endpoints::API_INVALID_STABILITY_LEVEL, message));
                }
                return;
            };
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "stable".to_string());
            if b < a {
                out.push(verdict(&STABILITY_DECREASED, format!("{place}: stability decreased from {} to {}", show(from), show(to))));
            } else if b > a {
                out.push(verdict(&STABILITY_INCREASED, format!("{place}: stability increased from {} to {}", show(from), show(to))));
            }
        }
        _ => {}
    }
}
