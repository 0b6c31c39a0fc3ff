//! `oneOf`, `anyOf`, `allOf`, discriminators, `not` and `if`/`then`/`else`.
#![doc = include_str!("../catalogue/docs/schema_composition.md")]

use crate::catalogue::SchemaRule;
use crate::catalogue::diff::schema_composition::*;
use crate::diff::{Composition, Keyword, SchemaChange, SchemaSubject};

use super::{Verdict, impact, schema_place, schema_prefix, subject_name};

/// The rules of a composition: (member added, member removed).
fn branch_rules(c: Composition, annotation_only: bool) -> [&'static SchemaRule; 2] {
    match c {
        Composition::OneOf => [&ONE_OF_ADDED, &ONE_OF_REMOVED],
        Composition::AnyOf => [&ANY_OF_ADDED, &ANY_OF_REMOVED],
        Composition::AllOf if annotation_only => [
            &ALL_OF_ADDED_ANNOTATION_ONLY,
            &ALL_OF_REMOVED_ANNOTATION_ONLY,
        ],
        Composition::AllOf => [&ALL_OF_ADDED, &ALL_OF_REMOVED],
    }
}

/// The rules of a schema (wrapped in, unwrapped from) a composition; `allOf` has none.
fn wrap_rules(c: Composition) -> Option<[&'static SchemaRule; 2]> {
    match c {
        Composition::OneOf => Some([&WRAPPED_IN_ONE_OF, &UNWRAPPED_FROM_ONE_OF]),
        Composition::AnyOf => Some([&WRAPPED_IN_ANY_OF, &UNWRAPPED_FROM_ANY_OF]),
        Composition::AllOf => None,
    }
}

/// The rules of `not`, `if`, `then` and `else`: (added, removed).
fn keyword_rules(k: &Keyword) -> Option<[&'static SchemaRule; 2]> {
    match k {
        Keyword::Not => Some([&NOT_ADDED, &NOT_REMOVED]),
        Keyword::If => Some([&IF_ADDED, &IF_REMOVED]),
        Keyword::Then => Some([&THEN_ADDED, &THEN_REMOVED]),
        Keyword::Else => Some([&ELSE_ADDED, &ELSE_REMOVED]),
        _ => None,
    }
}

pub(super) fn judge(s: &SchemaSubject, change: &SchemaChange, out: &mut Vec<Verdict>) {
    let prefix = schema_prefix(s);
    let place = schema_place(s);
    let verdict = |rule: &SchemaRule, message: String| Verdict::schema(prefix, rule, message);
    match change {
        SchemaChange::BranchAdded {
            composition,
            label,
            annotation_only,
        } => {
            let [added, _] = branch_rules(*composition, *annotation_only);
            let help = (*composition != Composition::AllOf)
                .then(|| impact::union_member(&subject_name(s), label, true, s.direction));
            out.push(
                verdict(
                    added,
                    format!(
                        "{place}: `{}` member `{label}` added",
                        composition.keyword()
                    ),
                )
                .help(help),
            );
        }
        SchemaChange::BranchRemoved {
            composition,
            label,
            annotation_only,
        } => {
            let [_, removed] = branch_rules(*composition, *annotation_only);
            let help = (*composition != Composition::AllOf)
                .then(|| impact::union_member(&subject_name(s), label, false, s.direction));
            out.push(
                verdict(
                    removed,
                    format!(
                        "{place}: `{}` member `{label}` removed",
                        composition.keyword()
                    ),
                )
                .help(help),
            );
        }
        SchemaChange::WrappedIn {
            composition: Composition::OneOf,
            label,
            overlapping: false,
        } if s.direction == crate::model::Direction::Request => {
            // The other alternatives have other types: every value sent before matches exactly
            // one branch, so requests only widened.
            out.push(verdict(
                &crate::catalogue::diff::schema_types::TYPE_GENERALIZED,
                format!(
                    "{place}: became the `{label}` alternative of a new `oneOf` (the other alternatives have other types)"
                ),
            ));
        }
        SchemaChange::WrappedIn {
            composition, label, ..
        } => {
            let Some([wrapped, _]) = wrap_rules(*composition) else {
                return;
            };
            out.push(
                verdict(
                    wrapped,
                    format!(
                        "{place}: became the `{label}` alternative of a new `{}`",
                        composition.keyword()
                    ),
                )
                .help(Some(impact::union_wrapping(
                    &subject_name(s),
                    label,
                    true,
                    s.direction,
                ))),
            );
        }
        SchemaChange::UnwrappedFrom { composition, label } => {
            let Some([_, unwrapped]) = wrap_rules(*composition) else {
                return;
            };
            out.push(
                verdict(
                    unwrapped,
                    format!(
                        "{place}: the `{}` was replaced by its `{label}` alternative",
                        composition.keyword()
                    ),
                )
                .help(Some(impact::union_wrapping(
                    &subject_name(s),
                    label,
                    false,
                    s.direction,
                ))),
            );
        }
        SchemaChange::DiscriminatorAdded { property } => out.push(verdict(
            &DISCRIMINATOR_ADDED,
            format!("{place}: discriminator `{property}` added"),
        )),
        SchemaChange::DiscriminatorRemoved { property } => out.push(verdict(
            &DISCRIMINATOR_REMOVED,
            format!("{place}: discriminator `{property}` removed"),
        )),
        SchemaChange::DiscriminatorPropertyChanged { from, to } => {
            out.push(verdict(
                &DISCRIMINATOR_PROPERTY_NAME_CHANGED,
                format!("{place}: discriminator property changed from `{from}` to `{to}`"),
            ));
        }
        SchemaChange::DiscriminatorMappingAdded { values } => {
            out.push(verdict(
                &DISCRIMINATOR_MAPPING_ADDED,
                format!("{place}: discriminator values added: {}", values.join(", ")),
            ));
        }
        SchemaChange::DiscriminatorMappingRemoved { values } => {
            out.push(verdict(
                &DISCRIMINATOR_MAPPING_DELETED,
                format!(
                    "{place}: discriminator values removed: {}",
                    values.join(", ")
                ),
            ));
        }
        SchemaChange::DiscriminatorMappingChanged { value, from, to } => {
            out.push(verdict(
                &DISCRIMINATOR_MAPPING_CHANGED,
                format!(
                    "{place}: discriminator value `{value}` now selects `{to}` instead of `{from}`"
                ),
            ));
        }
        SchemaChange::KeywordAdded { keyword: k } if keyword_rules(k).is_some() => {
            let Some([added, _]) = keyword_rules(k) else {
                return;
            };
            out.push(verdict(added, format!("{place}: `{}` added", k.keyword())));
        }
        SchemaChange::KeywordRemoved { keyword: k } if keyword_rules(k).is_some() => {
            let Some([_, removed]) = keyword_rules(k) else {
                return;
            };
            out.push(verdict(
                removed,
                format!("{place}: `{}` removed", k.keyword()),
            ));
        }
        _ => {}
    }
}
