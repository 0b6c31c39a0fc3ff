//! Type, format and nullability of a schema node.
#![doc = include_str!("docs/schema_types.md")]

use crate::diff::{Relation, SchemaChange, SchemaSubject};
use crate::model::Direction;

use super::registry::{Builder, Category, E, Family, I, SchemaRow};
use super::{Verdict, impact, schema_place, schema_prefix, schema_rule_id, subject_name};

const FAMILY: Family = Family {
    name: "schema-types",
    doc: include_str!("docs/schema_types.md"),
};

const ROWS: &[SchemaRow] = &[
    SchemaRow {
        suffix: "type-changed",
        request: E,
        response: E,
        summary: "the type or format changed to one that neither contains nor is contained in the old",
    },
    SchemaRow {
        suffix: "type-generalized",
        request: I,
        response: E,
        summary: "the type or format accepts more values (`integer` → `number`, `int32` → `int64`)",
    },
    SchemaRow {
        suffix: "type-specialized",
        request: E,
        response: I,
        summary: "the type or format accepts fewer values (`number` → `integer`, a `format` added)",
    },
    SchemaRow {
        suffix: "became-nullable",
        request: I,
        response: E,
        summary: "null is now allowed",
    },
    SchemaRow {
        suffix: "became-not-nullable",
        request: E,
        response: I,
        summary: "null is no longer allowed",
    },
];

pub(super) fn register(b: &mut Builder) {
    b.schema(&FAMILY, Category::Wire, ROWS);
}

pub(super) fn judge(s: &SchemaSubject, change: &SchemaChange, out: &mut Vec<Verdict>) {
    let prefix = schema_prefix(s);
    let name = subject_name(s);
    match change {
        SchemaChange::TypeChanged { from, to, relation } => {
            let suffix = match relation {
                Relation::Incomparable => "type-changed",
                Relation::Widened => "type-generalized",
                Relation::Narrowed => "type-specialized",
            };
            let message = format!("{}: type changed from {from} to {to}", schema_place(s));
            let help = impact::type_change(&name, from, to, s.direction);
            out.push(Verdict::new(schema_rule_id(prefix, suffix), message).help(Some(help)));
        }
        SchemaChange::NullableChanged { nullable } => {
            let (suffix, what) = if *nullable {
                ("became-nullable", "may now be null")
            } else {
                ("became-not-nullable", "may no longer be null")
            };
            let message = format!("{}: {what}", schema_place(s));
            let help = match (nullable, s.direction) {
                (true, Direction::Response) | (false, Direction::Request) => {
                    Some(impact::nullable(&name, *nullable, s.direction))
                }
                _ => None,
            };
            out.push(Verdict::new(schema_rule_id(prefix, suffix), message).help(help));
        }
        _ => {}
    }
}
