//! Allowed values of a schema node: `enum`, `x-extensible-enum`, `const`, `default`.
#![doc = include_str!("docs/schema_values.md")]

use crate::diff::{SchemaChange, SchemaSubject};
use crate::model::Direction;

use super::registry::{Builder, Category, E, Family, I, SchemaRow, W};
use super::{
    Verdict, impact, schema_place, schema_prefix, schema_rule_id, show, show_list, subject_name,
};

const FAMILY: Family = Family {
    name: "schema-values",
    doc: include_str!("docs/schema_values.md"),
};

const ROWS: &[SchemaRow] = &[
    SchemaRow {
        suffix: "became-enum",
        request: E,
        response: I,
        summary: "an `enum` now restricts a value that was free",
    },
    SchemaRow {
        suffix: "became-not-enum",
        request: I,
        response: E,
        summary: "the `enum` was removed: any value of the type is allowed",
    },
    SchemaRow {
        suffix: "enum-value-added",
        request: I,
        response: W,
        summary: "an `enum` gained values",
    },
    SchemaRow {
        suffix: "enum-value-removed",
        request: E,
        response: I,
        summary: "an `enum` lost values",
    },
    SchemaRow {
        suffix: "x-extensible-enum-value-removed",
        request: E,
        response: I,
        summary: "an `x-extensible-enum` lost values",
    },
    SchemaRow {
        suffix: "const-added",
        request: E,
        response: I,
        summary: "a `const` now fixes the value",
    },
    SchemaRow {
        suffix: "const-removed",
        request: I,
        response: E,
        summary: "the `const` was removed",
    },
    SchemaRow {
        suffix: "const-changed",
        request: E,
        response: E,
        summary: "the `const` value changed",
    },
    SchemaRow {
        suffix: "default-value-added",
        request: I,
        response: I,
        summary: "a `default` was added",
    },
    SchemaRow {
        suffix: "default-value-removed",
        request: W,
        response: I,
        summary: "the `default` was removed: the server's behaviour for an omitted value is unspecified",
    },
    SchemaRow {
        suffix: "default-value-changed",
        request: E,
        response: I,
        summary: "the `default` changed: clients that omit the value get a different behaviour",
    },
];

pub(super) fn register(b: &mut Builder) {
    b.schema(&FAMILY, Category::Wire, ROWS);
}

pub(super) fn judge(s: &SchemaSubject, change: &SchemaChange, out: &mut Vec<Verdict>) {
    let prefix = schema_prefix(s);
    let place = schema_place(s);
    let name = subject_name(s);
    let verdict =
        |suffix: &str, message: String| Verdict::new(schema_rule_id(prefix, suffix), message);
    match change {
        SchemaChange::BecameEnum { values } => {
            let help = (s.direction == Direction::Request)
                .then(|| impact::enum_values(&name, false, Direction::Request));
            out.push(
                verdict(
                    "became-enum",
                    format!("{place}: restricted to the values {}", show_list(values)),
                )
                .help(help),
            );
        }
        SchemaChange::EnumDropped => out.push(verdict(
            "became-not-enum",
            format!("{place}: no longer restricted to an enum"),
        )),
        SchemaChange::EnumValuesAdded { values } => {
            let help = (s.direction == Direction::Response)
                .then(|| impact::enum_values(&name, true, Direction::Response));
            out.push(
                verdict(
                    "enum-value-added",
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
                    "enum-value-removed",
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
            out.push(verdict("x-extensible-enum-value-removed", message));
        }
        SchemaChange::ConstChanged { from, to } => match (from, to) {
            (None, Some(v)) => out.push(verdict(
                "const-added",
                format!("{place}: now must be {}", show(v)),
            )),
            (Some(v), None) => out.push(verdict(
                "const-removed",
                format!("{place}: no longer fixed to {}", show(v)),
            )),
            (Some(a), Some(b)) => out.push(verdict(
                "const-changed",
                format!("{place}: const changed from {} to {}", show(a), show(b)),
            )),
            (None, None) => {}
        },
        SchemaChange::DefaultChanged { from, to } => match (from, to) {
            (None, Some(v)) => out.push(verdict(
                "default-value-added",
                format!("{place}: default {} added", show(v)),
            )),
            (Some(v), None) => out.push(verdict(
                "default-value-removed",
                format!("{place}: default {} removed", show(v)),
            )),
            (Some(a), Some(b)) => {
                out.push(verdict(
                    "default-value-changed",
                    format!("{place}: default changed from {} to {}", show(a), show(b)),
                ));
            }
            (None, None) => {}
        },
        _ => {}
    }
}
