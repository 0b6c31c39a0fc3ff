//! `oneOf`, `anyOf`, `allOf`, discriminators, `not` and `if`/`then`/`else`.
#![doc = include_str!("docs/schema_composition.md")]

use crate::diff::{Composition, Keyword, SchemaChange, SchemaSubject};

use super::registry::{Builder, Category, E, Family, I, SchemaRow, W};
use super::{Verdict, schema_place, schema_prefix, schema_rule_id};

const FAMILY: Family = Family {
    name: "schema-composition",
    doc: include_str!("docs/schema_composition.md"),
};

const WIRE: &[SchemaRow] = &[
    SchemaRow {
        suffix: "one-of-added",
        request: I,
        response: E,
        summary: "a `oneOf` alternative was added",
    },
    SchemaRow {
        suffix: "one-of-removed",
        request: E,
        response: I,
        summary: "a `oneOf` alternative was removed",
    },
    SchemaRow {
        suffix: "any-of-added",
        request: I,
        response: E,
        summary: "an `anyOf` alternative was added",
    },
    SchemaRow {
        suffix: "any-of-removed",
        request: E,
        response: I,
        summary: "an `anyOf` alternative was removed",
    },
    SchemaRow {
        suffix: "wrapped-in-one-of",
        request: E,
        response: E,
        summary: "the schema became one alternative of a `oneOf`",
    },
    SchemaRow {
        suffix: "wrapped-in-any-of",
        request: I,
        response: E,
        summary: "the schema became one alternative of an `anyOf`",
    },
    SchemaRow {
        suffix: "unwrapped-from-one-of",
        request: E,
        response: I,
        summary: "a `oneOf` was replaced by one of its alternatives",
    },
    SchemaRow {
        suffix: "unwrapped-from-any-of",
        request: E,
        response: I,
        summary: "an `anyOf` was replaced by one of its alternatives",
    },
    SchemaRow {
        suffix: "discriminator-added",
        request: I,
        response: I,
        summary: "a discriminator was added",
    },
    SchemaRow {
        suffix: "discriminator-removed",
        request: I,
        response: I,
        summary: "the discriminator was removed",
    },
    SchemaRow {
        suffix: "discriminator-property-name-changed",
        request: E,
        response: E,
        summary: "the discriminator property changed: the tag clients send and read moved",
    },
    SchemaRow {
        suffix: "discriminator-mapping-added",
        request: I,
        response: I,
        summary: "discriminator values were added",
    },
    SchemaRow {
        suffix: "discriminator-mapping-deleted",
        request: E,
        response: I,
        summary: "discriminator values were removed",
    },
    SchemaRow {
        suffix: "discriminator-mapping-changed",
        request: E,
        response: E,
        summary: "a discriminator value now selects another schema",
    },
    SchemaRow {
        suffix: "not-added",
        request: E,
        response: I,
        summary: "a `not` now excludes values",
    },
    SchemaRow {
        suffix: "not-removed",
        request: I,
        response: E,
        summary: "the `not` was removed",
    },
    SchemaRow {
        suffix: "if-added",
        request: E,
        response: I,
        summary: "an `if` condition was added",
    },
    SchemaRow {
        suffix: "if-removed",
        request: I,
        response: E,
        summary: "the `if` condition was removed",
    },
    SchemaRow {
        suffix: "then-added",
        request: E,
        response: I,
        summary: "a `then` branch was added",
    },
    SchemaRow {
        suffix: "then-removed",
        request: I,
        response: E,
        summary: "the `then` branch was removed",
    },
    SchemaRow {
        suffix: "else-added",
        request: E,
        response: I,
        summary: "an `else` branch was added",
    },
    SchemaRow {
        suffix: "else-removed",
        request: I,
        response: E,
        summary: "the `else` branch was removed",
    },
];

const SDK: &[SchemaRow] = &[
    SchemaRow {
        suffix: "all-of-added",
        request: W,
        response: I,
        summary: "an `allOf` member was added (its constraints are reported by the other rules)",
    },
    SchemaRow {
        suffix: "all-of-removed",
        request: W,
        response: I,
        summary: "an `allOf` member was removed (its constraints are reported by the other rules)",
    },
    SchemaRow {
        suffix: "all-of-added-annotation-only",
        request: I,
        response: I,
        summary: "an `allOf` member that only carries annotations was added",
    },
    SchemaRow {
        suffix: "all-of-removed-annotation-only",
        request: I,
        response: I,
        summary: "an `allOf` member that only carries annotations was removed",
    },
];

pub(super) fn register(b: &mut Builder) {
    b.schema(&FAMILY, Category::Wire, WIRE);
    b.schema(&FAMILY, Category::Sdk, SDK);
}

fn stem(c: Composition) -> &'static str {
    match c {
        Composition::OneOf => "one-of",
        Composition::AnyOf => "any-of",
        Composition::AllOf => "all-of",
    }
}

pub(super) fn judge(s: &SchemaSubject, change: &SchemaChange, out: &mut Vec<Verdict>) {
    let prefix = schema_prefix(s);
    let place = schema_place(s);
    let verdict =
        |suffix: &str, message: String| Verdict::new(schema_rule_id(prefix, suffix), message);
    match change {
        SchemaChange::BranchAdded {
            composition,
            label,
            annotation_only,
        } => {
            let suffix = if *annotation_only {
                format!("{}-added-annotation-only", stem(*composition))
            } else {
                format!("{}-added", stem(*composition))
            };
            out.push(verdict(
                &suffix,
                format!(
                    "{place}: `{}` member `{label}` added",
                    composition.keyword()
                ),
            ));
        }
        SchemaChange::BranchRemoved {
            composition,
            label,
            annotation_only,
        } => {
            let suffix = if *annotation_only {
                format!("{}-removed-annotation-only", stem(*composition))
            } else {
                format!("{}-removed", stem(*composition))
            };
            out.push(verdict(
                &suffix,
                format!(
                    "{place}: `{}` member `{label}` removed",
                    composition.keyword()
                ),
            ));
        }
        SchemaChange::WrappedIn {
            composition: Composition::OneOf,
            label,
            overlapping: false,
        } if s.direction == crate::model::Direction::Request => {
            // The other alternatives have other types: every value sent before matches exactly
            // one branch, so requests only widened.
            out.push(verdict(
                "type-generalized",
                format!(
                    "{place}: became the `{label}` alternative of a new `oneOf` (the other alternatives have other types)"
                ),
            ));
        }
        SchemaChange::WrappedIn {
            composition, label, ..
        } => {
            let suffix = format!("wrapped-in-{}", stem(*composition));
            out.push(verdict(
                &suffix,
                format!(
                    "{place}: became the `{label}` alternative of a new `{}`",
                    composition.keyword()
                ),
            ));
        }
        SchemaChange::UnwrappedFrom { composition, label } => {
            let suffix = format!("unwrapped-from-{}", stem(*composition));
            out.push(verdict(
                &suffix,
                format!(
                    "{place}: the `{}` was replaced by its `{label}` alternative",
                    composition.keyword()
                ),
            ));
        }
        SchemaChange::DiscriminatorAdded { property } => out.push(verdict(
            "discriminator-added",
            format!("{place}: discriminator `{property}` added"),
        )),
        SchemaChange::DiscriminatorRemoved { property } => out.push(verdict(
            "discriminator-removed",
            format!("{place}: discriminator `{property}` removed"),
        )),
        SchemaChange::DiscriminatorPropertyChanged { from, to } => {
            out.push(verdict(
                "discriminator-property-name-changed",
                format!("{place}: discriminator property changed from `{from}` to `{to}`"),
            ));
        }
        SchemaChange::DiscriminatorMappingAdded { values } => {
            out.push(verdict(
                "discriminator-mapping-added",
                format!("{place}: discriminator values added: {}", values.join(", ")),
            ));
        }
        SchemaChange::DiscriminatorMappingRemoved { values } => {
            out.push(verdict(
                "discriminator-mapping-deleted",
                format!(
                    "{place}: discriminator values removed: {}",
                    values.join(", ")
                ),
            ));
        }
        SchemaChange::DiscriminatorMappingChanged { value, from, to } => {
            out.push(verdict(
                "discriminator-mapping-changed",
                format!(
                    "{place}: discriminator value `{value}` now selects `{to}` instead of `{from}`"
                ),
            ));
        }
        SchemaChange::KeywordAdded {
            keyword: k @ (Keyword::Not | Keyword::If | Keyword::Then | Keyword::Else),
        } => {
            out.push(verdict(
                &format!("{}-added", k.keyword()),
                format!("{place}: `{}` added", k.keyword()),
            ));
        }
        SchemaChange::KeywordRemoved {
            keyword: k @ (Keyword::Not | Keyword::If | Keyword::Then | Keyword::Else),
        } => {
            out.push(verdict(
                &format!("{}-removed", k.keyword()),
                format!("{place}: `{}` removed", k.keyword()),
            ));
        }
        _ => {}
    }
}
