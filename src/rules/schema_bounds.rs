//! Bounds and patterns of a schema node: numbers, lengths, counts, `multipleOf`, `uniqueItems`.
#![doc = include_str!("../catalogue/docs/schema_bounds.md")]

use serde_json::Number;

use crate::catalogue::SchemaRule;
use crate::catalogue::diff::schema_bounds::*;
use crate::diff::{Bound, SchemaChange, SchemaSubject};

use super::{Verdict, impact, schema_place, schema_prefix, subject_name};

/// The rules of a bound: (set, unset, tightened, loosened).
fn bound_rules(bound: Bound) -> [&'static SchemaRule; 4] {
    match bound {
        Bound::Minimum => [&MIN_SET, &MIN_UNSET, &MIN_INCREASED, &MIN_DECREASED],
        Bound::Maximum => [&MAX_SET, &MAX_UNSET, &MAX_DECREASED, &MAX_INCREASED],
        Bound::ExclusiveMinimum => [
            &EXCLUSIVE_MIN_SET,
            &EXCLUSIVE_MIN_UNSET,
            &EXCLUSIVE_MIN_INCREASED,
            &EXCLUSIVE_MIN_DECREASED,
        ],
        Bound::ExclusiveMaximum => [
            &EXCLUSIVE_MAX_SET,
            &EXCLUSIVE_MAX_UNSET,
            &EXCLUSIVE_MAX_DECREASED,
            &EXCLUSIVE_MAX_INCREASED,
        ],
        Bound::MinLength => [
            &MIN_LENGTH_SET,
            &MIN_LENGTH_UNSET,
            &MIN_LENGTH_INCREASED,
            &MIN_LENGTH_DECREASED,
        ],
        Bound::MaxLength => [
            &MAX_LENGTH_SET,
            &MAX_LENGTH_UNSET,
            &MAX_LENGTH_DECREASED,
            &MAX_LENGTH_INCREASED,
        ],
        Bound::MinItems => [
            &MIN_ITEMS_SET,
            &MIN_ITEMS_UNSET,
            &MIN_ITEMS_INCREASED,
            &MIN_ITEMS_DECREASED,
        ],
        Bound::MaxItems => [
            &MAX_ITEMS_SET,
            &MAX_ITEMS_UNSET,
            &MAX_ITEMS_DECREASED,
            &MAX_ITEMS_INCREASED,
        ],
        Bound::MinProperties => [
            &MIN_PROPERTIES_SET,
            &MIN_PROPERTIES_UNSET,
            &MIN_PROPERTIES_INCREASED,
            &MIN_PROPERTIES_DECREASED,
        ],
        Bound::MaxProperties => [
            &MAX_PROPERTIES_SET,
            &MAX_PROPERTIES_UNSET,
            &MAX_PROPERTIES_DECREASED,
            &MAX_PROPERTIES_INCREASED,
        ],
        Bound::MinContains => [
            &MIN_CONTAINS_SET,
            &MIN_CONTAINS_UNSET,
            &MIN_CONTAINS_INCREASED,
            &MIN_CONTAINS_DECREASED,
        ],
        Bound::MaxContains => [
            &MAX_CONTAINS_SET,
            &MAX_CONTAINS_UNSET,
            &MAX_CONTAINS_DECREASED,
            &MAX_CONTAINS_INCREASED,
        ],
    }
}

fn number_text(n: &Number) -> String {
    n.to_string()
}

pub(super) fn judge(s: &SchemaSubject, change: &SchemaChange, out: &mut Vec<Verdict>) {
    let prefix = schema_prefix(s);
    let place = schema_place(s);
    let verdict = |rule: &SchemaRule, message: String| Verdict::schema(prefix, rule, message);
    match change {
        SchemaChange::BoundChanged { bound, from, to } => {
            let kw = bound.keyword();
            let [set, unset, tightened, loosened] = bound_rules(*bound);
            let (rule, message) = match (from, to) {
                (None, Some(v)) => (set, format!("{place}: `{kw}: {}` set", number_text(v))),
                (Some(v), None) => (
                    unset,
                    format!("{place}: `{kw}: {}` removed", number_text(v)),
                ),
                (Some(a), Some(b)) => {
                    let increased = b.as_f64().unwrap_or(0.0) > a.as_f64().unwrap_or(0.0);
                    let word = if increased { "increased" } else { "decreased" };
                    let tighter = increased == bound.is_lower();
                    (
                        if tighter { tightened } else { loosened },
                        format!(
                            "{place}: `{kw}` {word} from {} to {}",
                            number_text(a),
                            number_text(b)
                        ),
                    )
                }
                (None, None) => return,
            };
            let help = impact::bound(&subject_name(s), kw, s.direction);
            out.push(verdict(rule, message).help(Some(help)));
        }
        SchemaChange::MultipleOfChanged { from, to } => match (from, to) {
            (None, Some(v)) => out.push(verdict(
                &MULTIPLE_OF_SET,
                format!("{place}: `multipleOf: {v}` set"),
            )),
            (Some(v), None) => out.push(verdict(
                &MULTIPLE_OF_UNSET,
                format!("{place}: `multipleOf: {v}` removed"),
            )),
            (Some(a), Some(b)) => out.push(verdict(
                &MULTIPLE_OF_CHANGED,
                format!("{place}: `multipleOf` changed from {a} to {b}"),
            )),
            (None, None) => {}
        },
        SchemaChange::UniqueItemsChanged { unique } => {
            if *unique {
                out.push(verdict(
                    &UNIQUE_ITEMS_SET,
                    format!("{place}: items must now be unique"),
                ));
            } else {
                out.push(verdict(
                    &UNIQUE_ITEMS_UNSET,
                    format!("{place}: items may now repeat"),
                ));
            }
        }
        SchemaChange::PatternChanged { from, to } => match (from, to) {
            (None, Some(p)) => out.push(verdict(
                &PATTERN_ADDED,
                format!("{place}: must now match `{p}`"),
            )),
            (Some(p), None) => out.push(verdict(
                &PATTERN_REMOVED,
                format!("{place}: no longer has to match `{p}`"),
            )),
            (Some(a), Some(b)) => out.push(verdict(
                &PATTERN_CHANGED,
                format!("{place}: pattern changed from `{a}` to `{b}`"),
            )),
            (None, None) => {}
        },
        _ => {}
    }
}
