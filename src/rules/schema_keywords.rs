//! The JSON Schema 2020-12 keywords of OpenAPI 3.1: `contains`, `prefixItems`,
//! `patternProperties`, `propertyNames`, `dependent*`, `unevaluated*`, `content*`.
#![doc = include_str!("docs/schema_keywords.md")]

use crate::diff::{Keyword, SchemaChange, SchemaSubject};

use super::registry::{Builder, Category, E, Family, I, SchemaRow};
use super::{Verdict, schema_place, schema_prefix, schema_rule_id};

const FAMILY: Family = Family {
    name: "schema-keywords",
    doc: include_str!("docs/schema_keywords.md"),
};

const ROWS: &[SchemaRow] = &[
    SchemaRow {
        suffix: "contains-added",
        request: E,
        response: I,
        summary: "a `contains` now requires a matching item",
    },
    SchemaRow {
        suffix: "contains-removed",
        request: I,
        response: E,
        summary: "the `contains` was removed",
    },
    SchemaRow {
        suffix: "prefix-items-added",
        request: E,
        response: E,
        summary: "`prefixItems` gained positions: the tuple shape changed",
    },
    SchemaRow {
        suffix: "prefix-items-removed",
        request: E,
        response: E,
        summary: "`prefixItems` lost positions: the tuple shape changed",
    },
    SchemaRow {
        suffix: "pattern-property-added",
        request: E,
        response: I,
        summary: "a `patternProperties` entry now constrains matching properties",
    },
    SchemaRow {
        suffix: "pattern-property-removed",
        request: I,
        response: E,
        summary: "a `patternProperties` entry was removed",
    },
    SchemaRow {
        suffix: "property-names-added",
        request: E,
        response: I,
        summary: "a `propertyNames` schema now constrains keys",
    },
    SchemaRow {
        suffix: "property-names-removed",
        request: I,
        response: E,
        summary: "the `propertyNames` schema was removed",
    },
    SchemaRow {
        suffix: "dependent-required-added",
        request: E,
        response: I,
        summary: "a `dependentRequired` entry was added",
    },
    SchemaRow {
        suffix: "dependent-required-removed",
        request: I,
        response: E,
        summary: "a `dependentRequired` entry was removed",
    },
    SchemaRow {
        suffix: "dependent-required-changed",
        request: E,
        response: E,
        summary: "a `dependentRequired` entry changed",
    },
    SchemaRow {
        suffix: "dependent-schema-added",
        request: E,
        response: I,
        summary: "a `dependentSchemas` entry was added",
    },
    SchemaRow {
        suffix: "dependent-schema-removed",
        request: I,
        response: E,
        summary: "a `dependentSchemas` entry was removed",
    },
    SchemaRow {
        suffix: "unevaluated-items-added",
        request: E,
        response: I,
        summary: "`unevaluatedItems` now constrains extra items",
    },
    SchemaRow {
        suffix: "unevaluated-items-removed",
        request: I,
        response: E,
        summary: "`unevaluatedItems` was removed",
    },
    SchemaRow {
        suffix: "unevaluated-properties-added",
        request: E,
        response: I,
        summary: "`unevaluatedProperties` now constrains extra properties",
    },
    SchemaRow {
        suffix: "unevaluated-properties-removed",
        request: I,
        response: E,
        summary: "`unevaluatedProperties` was removed",
    },
    SchemaRow {
        suffix: "content-schema-added",
        request: E,
        response: I,
        summary: "a `contentSchema` now constrains the decoded content",
    },
    SchemaRow {
        suffix: "content-schema-removed",
        request: I,
        response: E,
        summary: "the `contentSchema` was removed",
    },
    SchemaRow {
        suffix: "content-media-type-changed",
        request: E,
        response: E,
        summary: "`contentMediaType` changed",
    },
    SchemaRow {
        suffix: "content-encoding-changed",
        request: E,
        response: E,
        summary: "`contentEncoding` changed",
    },
];

pub(super) fn register(b: &mut Builder) {
    b.schema(&FAMILY, Category::Wire, ROWS);
}

fn stem(k: &Keyword) -> Option<&'static str> {
    Some(match k {
        Keyword::Contains => "contains",
        Keyword::PrefixItems => "prefix-items",
        Keyword::PatternProperty(_) => "pattern-property",
        Keyword::PropertyNames => "property-names",
        Keyword::DependentSchema(_) => "dependent-schema",
        Keyword::UnevaluatedItems => "unevaluated-items",
        Keyword::UnevaluatedProperties => "unevaluated-properties",
        Keyword::ContentSchema => "content-schema",
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
    let verdict =
        |suffix: &str, message: String| Verdict::new(schema_rule_id(prefix, suffix), message);
    match change {
        SchemaChange::KeywordAdded { keyword } => {
            if let Some(stem) = stem(keyword) {
                out.push(verdict(
                    &format!("{stem}-added"),
                    format!("{place}: {} added", what(keyword)),
                ));
            }
        }
        SchemaChange::KeywordRemoved { keyword } => {
            if let Some(stem) = stem(keyword) {
                out.push(verdict(
                    &format!("{stem}-removed"),
                    format!("{place}: {} removed", what(keyword)),
                ));
            }
        }
        SchemaChange::DependentRequiredAdded { property } => {
            out.push(verdict(
                "dependent-required-added",
                format!("{place}: `dependentRequired` entry `{property}` added"),
            ));
        }
        SchemaChange::DependentRequiredRemoved { property } => {
            out.push(verdict(
                "dependent-required-removed",
                format!("{place}: `dependentRequired` entry `{property}` removed"),
            ));
        }
        SchemaChange::DependentRequiredChanged { property } => {
            out.push(verdict(
                "dependent-required-changed",
                format!("{place}: `dependentRequired` entry `{property}` changed"),
            ));
        }
        SchemaChange::ContentMediaTypeChanged { from, to } => {
            out.push(verdict(
                "content-media-type-changed",
                format!(
                    "{place}: `contentMediaType` changed from {} to {}",
                    opt(from),
                    opt(to)
                ),
            ));
        }
        SchemaChange::ContentEncodingChanged { from, to } => {
            out.push(verdict(
                "content-encoding-changed",
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
