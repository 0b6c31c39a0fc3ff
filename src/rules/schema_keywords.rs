//! The JSON Schema 2020-12 keywords of OpenAPI 3.1: `contains`, `prefixItems`,
//! `patternProperties`, `propertyNames`, `dependent*`, `unevaluated*`, `content*`.
#![doc = include_str!("../catalogue/docs/schema_keywords.md")]

use crate::catalogue::SchemaRule;
use crate::catalogue::diff::schema_keywords::*;
use crate::diff::{Keyword, SchemaChange, SchemaSubject};

use super::{Verdict, schema_place, schema_prefix};

/// The rules of a keyword: (added, removed); `not` and the conditionals are composition's.
fn keyword_rules(k: &Keyword) -> Option<[&'static SchemaRule; 2]> {
    Some(match k {
        Keyword::Contains => [&CONTAINS_ADDED, &CONTAINS_REMOVED],
        Keyword::PrefixItems => [&PREFIX_ITEMS_ADDED, &PREFIX_ITEMS_REMOVED],
        Keyword::PatternProperty(_) => [&PATTERN_PROPERTY_ADDED, &PATTERN_PROPERTY_REMOVED],
        Keyword::PropertyNames => [&PROPERTY_NAMES_ADDED, &PROPERTY_NAMES_REMOVED],
        Keyword::DependentSchema(_) => [&DEPENDENT_SCHEMA_ADDED, &DEPENDENT_SCHEMA_REMOVED],
        Keyword::UnevaluatedItems => [&UNEVALUATED_ITEMS_ADDED, &UNEVALUATED_ITEMS_REMOVED],
        Keyword::UnevaluatedProperties => [
            &UNEVALUATED_PROPERTIES_ADDED,
            &UNEVALUATED_PROPERTIES_REMOVED,
        ],
        Keyword::ContentSchema => [&CONTENT_SCHEMA_ADDED, &CONTENT_SCHEMA_REMOVED],
        Keyword::Not | Keyword::If | Keyword::Then | Keyword::Else => return None,
    })
}

fn what(k: &Keyword) -> String {
    match k {
        Keyword::PatternProperty(p) => format!("`patternProperties` entry `{p}`"),
        Keyword::DependentSchema(p) => format!("`dependentSchemas` entry `{p}`"),
        other => format!("`{}`", other.keyword()),
    }
}

fn opt(v: &Option<String>) -> String {
    v.as_deref()
        .map_or_else(|| "none".to_string(), |s| format!("`{s}`"))
}

pub(super) fn judge(s: &SchemaSubject, change: &SchemaChange, out: &mut Vec<Verdict>) {
    let prefix = schema_prefix(s);
    let place = schema_place(s);
    let verdict = |rule: &SchemaRule, message: String| Verdict::schema(prefix, rule, message);
    match change {
        SchemaChange::KeywordAdded { keyword } => {
            if let Some([added, _]) = keyword_rules(keyword) {
                out.push(verdict(added, format!("{place}: {} added", what(keyword))));
            }
        }
        SchemaChange::KeywordRemoved { keyword } => {
            if let Some([_, removed]) = keyword_rules(keyword) {
                out.push(verdict(
                    removed,
                    format!("{place}: {} removed", what(keyword)),
                ));
            }
        }
        SchemaChange::DependentRequiredAdded { property } => {
            out.push(verdict(
                &DEPENDENT_REQUIRED_ADDED,
                format!("{place}: `dependentRequired` entry `{property}` added"),
            ));
        }
        SchemaChange::DependentRequiredRemoved { property } => {
            out.push(verdict(
                &DEPENDENT_REQUIRED_REMOVED,
                format!("{place}: `dependentRequired` entry `{property}` removed"),
            ));
        }
        SchemaChange::DependentRequiredChanged { property } => {
            out.push(verdict(
                &DEPENDENT_REQUIRED_CHANGED,
                format!("{place}: `dependentRequired` entry `{property}` changed"),
            ));
        }
        SchemaChange::ContentMediaTypeChanged { from, to } => {
            out.push(verdict(
                &CONTENT_MEDIA_TYPE_CHANGED,
                format!(
                    "{place}: `contentMediaType` changed from {} to {}",
                    opt(from),
                    opt(to)
                ),
            ));
        }
        SchemaChange::ContentEncodingChanged { from, to } => {
            out.push(verdict(
                &CONTENT_ENCODING_CHANGED,
                format!(
                    "{place}: `contentEncoding` changed from {} to {}",
                    opt(from),
                    opt(to)
                ),
            ));
        }
        _ => {}
    }
}
