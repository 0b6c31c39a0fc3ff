//! Type, format and nullability of a schema node.
#![doc = include_str!("../catalogue/docs/schema_types.md")]

use crate::catalogue::diff::schema_types::*;
use crate::diff::{Relation, SchemaChange, SchemaSubject};
use crate::model::Direction;

use super::{Verdict, impact, schema_place, schema_prefix, subject_name};

pub(super) fn judge(s: &SchemaSubject, change: &SchemaChange, out: &mut Vec<Verdict>) {
    let prefix = schema_prefix(s);
    let name = subject_name(s);
    match change {
        SchemaChange::TypeChanged { from, to, relation } => {
            let suffix = match relation {
                Relation::Incomparable => &TYPE_CHANGED,
                Relation::Widened => &TYPE_GENERALIZED,
                Relation::Narrowed => &TYPE_SPECIALIZED,
            };
            let message = format!("{}: type changed from {from} to {to}", schema_place(s));
            let help = impact::type_change(&name, from, to, s.direction);
            out.push(Verdict::schema(prefix, suffix, message).help(Some(help)));
        }
        SchemaChange::NullableChanged { nullable } => {
            let (suffix, what) = if *nullable {
                (&BECAME_NULLABLE, "may now be null")
            } else {
                (&BECAME_NOT_NULLABLE, "may no longer be null")
            };
            let message = format!("{}: {what}", schema_place(s));
            let help = match (nullable, s.direction) {
                (true, Direction::Response) | (false, Direction::Request) => {
                    Some(impact::nullable(&name, *nullable, s.direction))
                }
                _ => None,
            };
            out.push(Verdict::schema(prefix, suffix, message).help(help));
        }
        _ => {}
    }
}
