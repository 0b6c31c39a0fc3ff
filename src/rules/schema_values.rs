//! Allowed values of a schema node: `enum`, `x-extensible-enum`, `const`, `default`.
#![doc = include_str!("../catalogue/docs/schema_values.md")]

use crate::catalogue::SchemaRule;
use crate::catalogue::diff::schema_values::*;
use crate::diff::{SchemaChange, SchemaSubject};
use crate::model::Direction;

use super::{Verdict, impact, schema_place, schema_prefix, show, show_list, subject_name};

pub(super) fn judge(s: &SchemaSubject, change: &SchemaChange, out: &mut Vec<Verdict>) {
    let prefix = schema_prefix(s);
    let place = schema_place(s);
    let name = subject_name(s);
    let verdict = |rule: &SchemaRule, message: String| Verdict::schema(prefix, rule, message);
    match change {
        SchemaChange::BecameEnum { values } => {
            let help = (s.direction == Direction::Request)
                .then(|| impact::enum_values(&name, false, Direction::Request));
            out.push(
                verdict(
                    &BECAME_ENUM,
                    format!("{place}: restricted to the values {}", show_list(values)),
                )
                .help(help),
            );
        }
        SchemaChange::EnumDropped => out.push(verdict(
            &BECAME_NOT_ENUM,
            format!("{place}: no longer restricted to an enum"),
        )),
        SchemaChange::EnumValuesAdded { values } => {
            let help = (s.direction == Direction::Response)
                .then(|| impact::enum_values(&name, true, Direction::Response));
            out.push(
                verdict(
                    &ENUM_VALUE_ADDED,
                    format!("{place}: enum values added: {}", show_list(values)),
                )
                .help(help),
            );
        }
        SchemaChange::EnumValuesRemoved { values } => {
            let help = (s.direction == Direction::Request)
                .then(|| impact::enum_values(&name, false, Direction::Request));
            out.push(
                verdict(
                    &ENUM_VALUE_REMOVED,
                    format!("{place}: enum values removed: {}", show_list(values)),
                )
                .help(help),
            );
        }
        SchemaChange::ExtensibleEnumValuesRemoved { values } => {
            let message = format!(
                "{place}: x-extensible-enum values removed: {}",
                show_list(values)
            );
            out.push(verdict(&X_EXTENSIBLE_ENUM_VALUE_REMOVED, message));
        }
        SchemaChange::ConstChanged { from, to } => match (from, to) {
            (None, Some(v)) => out.push(verdict(
                &CONST_ADDED,
                format!("{place}: now must be {}", show(v)),
            )),
            (Some(v), None) => out.push(verdict(
                &CONST_REMOVED,
                format!("{place}: no longer fixed to {}", show(v)),
            )),
            (Some(a), Some(b)) => out.push(verdict(
                &CONST_CHANGED,
                format!("{place}: const changed from {} to {}", show(a), show(b)),
            )),
            (None, None) => {}
        },
        SchemaChange::DefaultChanged { from, to } => match (from, to) {
            (None, Some(v)) => out.push(verdict(
                &DEFAULT_VALUE_ADDED,
                format!("{place}: default {} added", show(v)),
            )),
            (Some(v), None) => out.push(
                verdict(
                    &DEFAULT_VALUE_REMOVED,
                    format!("{place}: default {} removed", show(v)),
                )
                .help(Some(impact::default_value(&name))),
            ),
            (Some(a), Some(b)) => {
                out.push(
                    verdict(
                        &DEFAULT_VALUE_CHANGED,
                        format!("{place}: default changed from {} to {}", show(a), show(b)),
                    )
                    .help(Some(impact::default_value(&name))),
                );
            }
            (None, None) => {}
        },
        _ => {}
    }
}
