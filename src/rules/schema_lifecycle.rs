//! Deprecation, `x-sunset` and `x-stability-level` of properties and bodies.
#![doc = include_str!("docs/schema_lifecycle.md")]

use crate::diff::{SchemaChange, SchemaSubject};

use super::dates::{Sunset, stability_rank};
use super::registry::{Builder, Category, E, Family, I, SchemaRow};
use super::{Cx, Verdict, schema_place, schema_prefix, schema_rule_id};

const FAMILY: Family = Family {
    name: "schema-lifecycle",
    doc: include_str!("docs/schema_lifecycle.md"),
};

const ROWS: &[SchemaRow] = &[
    SchemaRow {
        suffix: "deprecated",
        request: I,
        response: I,
        summary: "deprecated without a sunset date",
    },
    SchemaRow {
        suffix: "deprecated-with-sunset",
        request: I,
        response: I,
        summary: "deprecated with a sunset date",
    },
    SchemaRow {
        suffix: "reactivated",
        request: I,
        response: I,
        summary: "no longer deprecated",
    },
    SchemaRow {
        suffix: "deprecated-sunset-invalid",
        request: E,
        response: E,
        summary: "deprecated with an `x-sunset` that is not a date",
    },
    SchemaRow {
        suffix: "deprecated-sunset-missing",
        request: E,
        response: E,
        summary: "deprecated without an `x-sunset` (only with a deprecation policy)",
    },
    SchemaRow {
        suffix: "sunset-date-too-small",
        request: E,
        response: E,
        summary: "deprecated with an `x-sunset` sooner than the deprecation policy allows",
    },
    SchemaRow {
        suffix: "stability-decreased",
        request: E,
        response: E,
        summary: "`x-stability-level` decreased",
    },
    SchemaRow {
        suffix: "stability-increased",
        request: I,
        response: I,
        summary: "`x-stability-level` increased",
    },
];

pub(super) fn register(b: &mut Builder) {
    b.schema(&FAMILY, Category::Wire, ROWS);
}

pub(super) fn judge(s: &SchemaSubject, change: &SchemaChange, cx: &Cx<'_>, out: &mut Vec<Verdict>) {
    let prefix = schema_prefix(s);
    let place = schema_place(s);
    let verdict =
        |suffix: &str, message: String| Verdict::new(schema_rule_id(prefix, suffix), message);
    match change {
        SchemaChange::DeprecatedChanged { deprecated: false, .. } => {
            out.push(verdict("reactivated", format!("{place}: no longer deprecated")));
        }
        SchemaChange::DeprecatedChanged { deprecated: true, sunset } => {
            match Sunset::read(sunset.as_deref(), cx.today) {
                Sunset::Invalid => out.push(verdict(
                    "deprecated-sunset-invalid",
                    format!("{place}: deprecated with `x-sunset: {}`, which is not a date (YYYY-MM-DD)", sunset.as_deref().unwrap_or("")),
                )),
                Sunset::Absent => match cx.min_days(None) {
                    Some(days) if days > 0 => out.push(verdict(
                        "deprecated-sunset-missing",
                        format!("{place}: deprecated without an `x-sunset` (the policy asks for at least {days} days)"),
                    )),
                    _ => out.push(verdict("deprecated", format!("{place}: deprecated"))),
                },
                Sunset::Passed(date) | Sunset::Ahead(date) => {
                    let days = cx.min_days(None).unwrap_or(0);
                    if date < cx.today.plus_days(days) && days > 0 {
                        out.push(verdict(
                            "sunset-date-too-small",
                            format!("{place}: deprecated with `x-sunset: {date}`, sooner than the {days} days the policy asks for"),
                        ));
                    } else {
                        out.push(verdict("deprecated-with-sunset", format!("{place}: deprecated, sunset {date}")));
                    }
                }
            }
        }
        SchemaChange::StabilityChanged { from, to } => {
            let (Some(a), Some(b)) = (stability_rank(from.as_deref()), stability_rank(to.as_deref())) else {
                // An unknown level is reported once, by the operation rules' id.
                if stability_rank(to.as_deref()).is_none() {
                    let message = format!("{place}: unknown `x-stability-level: {}` (draft, alpha, beta or stable)", to.as_deref().unwrap_or(""));
                    out.push(Verdict::new("api-invalid-stability-level", message));
                }
                return;
            };
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "stable".to_string());
            if b < a {
                out.push(verdict("stability-decreased", format!("{place}: stability decreased from {} to {}", show(from), show(to))));
            } else if b > a {
                out.push(verdict("stability-increased", format!("{place}: stability increased from {} to {}", show(from), show(to))));
            }
        }
        _ => {}
    }
}
