//! Bounds and patterns of a schema node: numbers, lengths, counts, `multipleOf`, `uniqueItems`.
#![doc = include_str!("docs/schema_bounds.md")]

use serde_json::Number;

use crate::diff::{Bound, SchemaChange, SchemaSubject};

use super::registry::{Builder, Category, E, Family, I, SchemaRow, W};
use super::{Verdict, schema_place, schema_prefix, schema_rule_id};

const FAMILY: Family = Family {
    name: "schema-bounds",
    doc: include_str!("docs/schema_bounds.md"),
};

/// The id stem of a bound (`max-length` for `maxLength`).
fn stem(bound: Bound) -> &'static str {
    match bound {
        Bound::Minimum => "min",
        Bound::Maximum => "max",
        Bound::ExclusiveMinimum => "exclusive-min",
        Bound::ExclusiveMaximum => "exclusive-max",
        Bound::MinLength => "min-length",
        Bound::MaxLength => "max-length",
        Bound::MinItems => "min-items",
        Bound::MaxItems => "max-items",
        Bound::MinProperties => "min-properties",
        Bound::MaxProperties => "max-properties",
        Bound::MinContains => "min-contains",
        Bound::MaxContains => "max-contains",
    }
}

const ALL_BOUNDS: [Bound; 12] = [
    Bound::Minimum,
    Bound::Maximum,
    Bound::ExclusiveMinimum,
    Bound::ExclusiveMaximum,
    Bound::MinLength,
    Bound::MaxLength,
    Bound::MinItems,
    Bound::MaxItems,
    Bound::MinProperties,
    Bound::MaxProperties,
    Bound::MinContains,
    Bound::MaxContains,
];

const OTHER_ROWS: &[SchemaRow] = &[
    SchemaRow {
        suffix: "multiple-of-set",
        request: W,
        response: I,
        summary: "a `multipleOf` was added",
    },
    SchemaRow {
        suffix: "multiple-of-unset",
        request: I,
        response: W,
        summary: "the `multipleOf` was removed",
    },
    SchemaRow {
        suffix: "multiple-of-changed",
        request: E,
        response: E,
        summary: "the `multipleOf` changed",
    },
    SchemaRow {
        suffix: "unique-items-set",
        request: W,
        response: I,
        summary: "`uniqueItems: true` was added",
    },
    SchemaRow {
        suffix: "unique-items-unset",
        request: I,
        response: W,
        summary: "`uniqueItems: true` was removed",
    },
    SchemaRow {
        suffix: "pattern-added",
        request: E,
        response: I,
        summary: "a `pattern` now restricts the string",
    },
    SchemaRow {
        suffix: "pattern-removed",
        request: I,
        response: W,
        summary: "the `pattern` was removed",
    },
    SchemaRow {
        suffix: "pattern-changed",
        request: W,
        response: W,
        summary: "the `pattern` changed",
    },
];

pub(super) fn register(b: &mut Builder) {
    for bound in ALL_BOUNDS {
        let stem = stem(bound);
        let kw = bound.keyword();
        let (tighter, looser) = if bound.is_lower() {
            ("increased", "decreased")
        } else {
            ("decreased", "increased")
        };
        let rows = [
            (
                format!("{stem}-{tighter}"),
                E,
                I,
                format!("`{kw}` tightened"),
            ),
            (format!("{stem}-{looser}"), I, E, format!("`{kw}` loosened")),
            (
                format!("{stem}-set"),
                W,
                I,
                format!("`{kw}` set where there was none"),
            ),
            (format!("{stem}-unset"), I, W, format!("`{kw}` removed")),
        ];
        for (suffix, request, response, summary) in rows {
            b.schema_row(
                &FAMILY,
                Category::Wire,
                &suffix,
                request,
                response,
                &summary,
            );
        }
    }
    b.schema(&FAMILY, Category::Wire, OTHER_ROWS);
}

fn number_text(n: &Number) -> String {
    n.to_string()
}

pub(super) fn judge(s: &SchemaSubject, change: &SchemaChange, out: &mut Vec<Verdict>) {
    let prefix = schema_prefix(s);
    let place = schema_place(s);
    let verdict =
        |suffix: &str, message: String| Verdict::new(schema_rule_id(prefix, suffix), message);
    match change {
        SchemaChange::BoundChanged { bound, from, to } => {
            let kw = bound.keyword();
            let (suffix, message) = match (from, to) {
                (None, Some(v)) => (
                    format!("{}-set", stem(*bound)),
                    format!("{place}: `{kw}: {}` set", number_text(v)),
                ),
                (Some(v), None) => (
                    format!("{}-unset", stem(*bound)),
                    format!("{place}: `{kw}: {}` removed", number_text(v)),
                ),
                (Some(a), Some(b)) => {
                    let increased = b.as_f64().unwrap_or(0.0) > a.as_f64().unwrap_or(0.0);
                    let word = if increased { "increased" } else { "decreased" };
                    (
                        format!("{}-{word}", stem(*bound)),
                        format!(
                            "{place}: `{kw}` {word} from {} to {}",
                            number_text(a),
                            number_text(b)
                        ),
                    )
                }
                (None, None) => return,
            };
            out.push(verdict(&suffix, message));
        }
        SchemaChange::MultipleOfChanged { from, to } => match (from, to) {
            (None, Some(v)) => out.push(verdict(
                "multiple-of-set",
                format!("{place}: `multipleOf: {v}` set"),
            )),
            (Some(v), None) => out.push(verdict(
                "multiple-of-unset",
                format!("{place}: `multipleOf: {v}` removed"),
            )),
            (Some(a), Some(b)) => out.push(verdict(
                "multiple-of-changed",
                format!("{place}: `multipleOf` changed from {a} to {b}"),
            )),
            (None, None) => {}
        },
        SchemaChange::UniqueItemsChanged { unique } => {
            if *unique {
                out.push(verdict(
                    "unique-items-set",
                    format!("{place}: items must now be unique"),
                ));
            } else {
                out.push(verdict(
                    "unique-items-unset",
                    format!("{place}: items may now repeat"),
                ));
            }
        }
        SchemaChange::PatternChanged { from, to } => match (from, to) {
            (None, Some(p)) => out.push(verdict(
                "pattern-added",
                format!("{place}: must now match `{p}`"),
            )),
            (Some(p), None) => out.push(verdict(
                "pattern-removed",
                format!("{place}: no longer has to match `{p}`"),
            )),
            (Some(a), Some(b)) => out.push(verdict(
                "pattern-changed",
                format!("{place}: pattern changed from `{a}` to `{b}`"),
            )),
            (None, None) => {}
        },
        _ => {}
    }
}
