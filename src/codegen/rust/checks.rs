//! The validation statements of a value: what serde cannot check while deserializing (lengths,
//! ranges, patterns, item counts, enums of non-strings), as Rust statements over a variable
//! `value` (a reference), a place `at: &At` and `errors: &mut Errors`.

use serde_json::{Number, Value};

use super::models::{DefKind, Ty, Types};
use super::naming::string_literal;
use crate::model::SchemaId;

/// Deep enough for any real schema; a guard against pathological nesting.
const MAX_DEPTH: usize = 12;

impl Types<'_> {
    /// Statements checking `value`, a reference to a `ty` read from schema `id`.
    pub(super) fn checks(&self, id: SchemaId, ty: &Ty) -> Vec<String> {
        let mut out = Vec::new();
        self.checks_into(id, ty, 0, &mut out);
        out
    }

    fn checks_into(&self, id: SchemaId, ty: &Ty, depth: usize, out: &mut Vec<String>) {
        if depth > MAX_DEPTH {
            return;
        }
        let space = self.space();
        let chain = self.chain(id);
        for link in &chain {
            let unchecked = self.unchecked_keywords(*link);
            if !unchecked.is_empty() && !self.schema_validated(*link) {
                self.warn(
                    *link,
                    "unchecked-keywords",
                    format!(
                        "{} not checked by the generated server: requests are accepted whatever they say",
                        unchecked.join(", ")
                    ),
                );
            }
        }
        let target = chain.last().copied().unwrap_or(id);
        let s = space.get(target);
        match ty {
            Ty::Option(inner) => {
                // `Option<Option<T>>` is matched as `Some(Some(value))`, not by nested `if let`s.
                let (mut pattern, mut inner) = ("Some(value)".to_string(), &**inner);
                while let Ty::Option(next) = inner {
                    pattern = format!("Some({pattern})");
                    inner = next;
                }
                let mut inner_checks = Vec::new();
                self.checks_into(id, inner, depth + 1, &mut inner_checks);
                if !inner_checks.is_empty() {
                    out.push(format!(
                        "if let {pattern} = value {{ {} }}",
                        inner_checks.join(" ")
                    ));
                }
            }
            Ty::Boxed(inner) => self.checks_into(id, inner, depth + 1, out),
            Ty::Def(i) => {
                let needed = self.needs_validation.get(*i).copied().unwrap_or(true);
                if needed && !matches!(self.defs[*i].kind, DefKind::StringEnum { .. }) {
                    out.push("runtime::Validate::validate(value, at, errors);".to_string());
                }
            }
            Ty::String => {
                for link in chain {
                    let s = space.get(link);
                    let rule = [("min_length", s.min_length), ("max_length", s.max_length)];
                    if let Some(rule) = rule_literal("runtime::LengthRule", &rule) {
                        out.push(format!(
                            "runtime::check_length(value, &{rule}, at, errors);"
                        ));
                    }
                    if let Some(pattern) = &s.pattern
                        && let Some(name) = self.pattern(link, pattern)
                    {
                        out.push(format!(
                            "runtime::check_pattern(value, &crate::models::{name}, at, errors);"
                        ));
                    }
                    if let Some(allowed) = string_enum(&s.enum_values, &s.rare().const_value) {
                        out.push(format!(
                            "runtime::check_enum(&value.as_str(), &[{allowed}], at, errors);"
                        ));
                    }
                    if let Some(format) = s.format.as_deref().and_then(string_format) {
                        out.push(format!(
                            "runtime::check_format(value, runtime::Format::{format}, at, errors);"
                        ));
                    }
                }
            }
            Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 | Ty::F64 => {
                for link in chain {
                    let s = space.get(link);
                    let float =
                        |n: &Option<Number>| n.as_ref().and_then(Number::as_f64).map(float_literal);
                    let rule = [
                        ("minimum", float(&s.minimum)),
                        ("maximum", float(&s.maximum)),
                        ("exclusive_minimum", float(&s.rare().exclusive_minimum)),
                        ("exclusive_maximum", float(&s.rare().exclusive_maximum)),
                        ("multiple_of", float(&s.rare().multiple_of)),
                    ];
                    if let Some(rule) = rule_literal("runtime::NumberRule", &rule) {
                        out.push(format!(
                            "runtime::check_number(value, &{rule}, at, errors);"
                        ));
                    }
                    if let Some(allowed) = number_enum(ty, &s.enum_values, &s.rare().const_value) {
                        out.push(format!(
                            "runtime::check_enum(value, &[{allowed}], at, errors);"
                        ));
                    }
                    // int32, int64 and the unsigned formats are the field's Rust type.
                    if *ty == Ty::F64 && s.format.as_deref() == Some("float") {
                        out.push("runtime::check_float_range(value, at, errors);".to_string());
                    }
                }
            }
            Ty::Vec(item) => {
                let rule = [
                    ("min_items", s.min_items.map(|n| n.to_string())),
                    ("max_items", s.max_items.map(|n| n.to_string())),
                    ("unique_items", s.unique_items.then(|| "true".to_string())),
                ];
                if let Some(rule) = rule_literal("runtime::ItemsRule", &rule) {
                    out.push(format!("runtime::check_items(value, &{rule}, at, errors);"));
                }
                if let Some(items) = s.items {
                    let mut item_checks = Vec::new();
                    self.checks_into(items, item, depth + 1, &mut item_checks);
                    if !item_checks.is_empty() {
                        out.push(format!(
                            "for (index, value) in value.iter().enumerate() {{ let at = &at.index(index); {} }}",
                            item_checks.join(" ")
                        ));
                    }
                }
            }
            Ty::Map(values) => {
                if s.rare().min_properties.is_some() || s.rare().max_properties.is_some() {
                    out.push(format!(
                        "runtime::check_properties(value, {}, {}, at, errors);",
                        option_literal(s.rare().min_properties),
                        option_literal(s.rare().max_properties)
                    ));
                }
                if self.pattern_values(target).is_some() {
                    if let Some(check) = self.pattern_map_checks(target, values, depth) {
                        out.push(check);
                    }
                } else if let Some(crate::model::AdditionalProperties::Schema(values_schema)) =
                    s.additional_properties
                {
                    let mut value_checks = Vec::new();
                    self.checks_into(values_schema, values, depth + 1, &mut value_checks);
                    if !value_checks.is_empty() {
                        out.push(format!(
                            "for (key, value) in value {{ let at = &at.child(key); {} }}",
                            value_checks.join(" ")
                        ));
                    }
                }
            }
            Ty::Bool | Ty::Value => {}
        }
    }
}

impl Types<'_> {
    /// The validation statements of tuple definition `index` (over `self`): each position at
    /// its index, the items after them, and what `minItems`, `maxItems` and `uniqueItems` say
    /// beyond the tuple's shape.
    pub(super) fn tuple_checks(&self, index: usize) -> Vec<String> {
        let DefKind::Tuple { positions, rest } = &self.defs[index].kind else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for p in positions {
            let checks = self.checks(p.schema, &p.declared());
            if !checks.is_empty() {
                out.push(format!(
                    "{{ let at = &at.index({0}); let value = &self.{0}; {1} }}",
                    p.ident,
                    checks.join(" ")
                ));
            }
        }
        let count = positions.len();
        if let Some((ty, Some(schema))) = rest {
            let checks = self.checks(*schema, ty);
            if !checks.is_empty() {
                out.push(format!(
                    "for (index, value) in self.{count}.iter().enumerate() {{ let at = &at.index({count} + index); {} }}",
                    checks.join(" ")
                ));
            }
        }
        let s = self.space().get(self.defs[index].schema);
        let count = count as u64;
        let rule = [
            (
                "min_items",
                s.min_items
                    .filter(|min| *min > count)
                    .map(|n| n.to_string()),
            ),
            (
                "max_items",
                s.max_items
                    .filter(|max| rest.is_some() || *max < count)
                    .map(|n| n.to_string()),
            ),
            ("unique_items", s.unique_items.then(|| "true".to_string())),
        ];
        if let Some(rule) = rule_literal("runtime::ItemsRule", &rule) {
            out.push(format!(
                "if let Ok(serde_json::Value::Array(items)) = serde_json::to_value(self) {{ runtime::check_items(&items, &{rule}, at, errors); }}"
            ));
        }
        out
    }

    /// The loop over a typed `patternProperties` map (schema `id`, values of type `values`):
    /// each value is checked by the schema of every pattern its name matches, and a name that
    /// matches none by `additionalProperties` (or refused, when that is `false`).
    pub(super) fn pattern_map_checks(
        &self,
        id: SchemaId,
        values: &Ty,
        depth: usize,
    ) -> Option<String> {
        let s = self.space().get(id);
        let unmatched = match s.additional_properties {
            Some(crate::model::AdditionalProperties::Schema(additional)) => {
                let mut checks = Vec::new();
                self.checks_into(additional, values, depth + 1, &mut checks);
                checks.join(" ")
            }
            _ => "errors.push(at, \"is not a property the schema allows\");".to_string(),
        };
        // Whether a check reads the value (else only the names are visited).
        let mut reads_value = !unmatched.is_empty() && !unmatched.starts_with("errors.push");
        // `matched` only where a name that matches no pattern is checked.
        let (declare, mark) = if unmatched.is_empty() {
            ("", "")
        } else {
            ("let mut matched = false;", "matched = true;")
        };
        let mut arms = Vec::new();
        for (source, schema) in &s.rare().pattern_properties {
            let name = self.pattern(id, source)?;
            let mut checks = Vec::new();
            self.checks_into(*schema, values, depth + 1, &mut checks);
            reads_value |= !checks.is_empty();
            if !checks.is_empty() || !mark.is_empty() {
                arms.push(format!(
                    "if crate::models::{name}.is_match(key) {{ {mark} {} }}",
                    checks.join(" ")
                ));
            }
        }
        if arms.is_empty() {
            return None;
        }
        let unmatched = if unmatched.is_empty() {
            String::new()
        } else {
            format!("if !matched {{ {unmatched} }}")
        };
        let entries = if reads_value {
            "(key, value) in value"
        } else {
            "key in value.keys()"
        };
        Some(format!(
            "for {entries} {{ let at = &at.child(key); {declare} {} {unmatched} }}",
            arms.join(" ")
        ))
    }

    /// The keywords of schema `id` the generated types and checks do not express (see
    /// [`unchecked_keywords`]): `prefixItems` is expressed where the schema is a tuple struct.
    pub(super) fn unchecked_keywords(&self, id: SchemaId) -> Vec<&'static str> {
        let mut unchecked = unchecked_keywords(self.space().get(id));
        if self.typed_prefix_items(id) {
            unchecked.retain(|k| *k != "`prefixItems`");
        }
        if self.pattern_values(id).is_some() {
            unchecked.retain(|k| *k != "`patternProperties`");
        }
        unchecked
    }
}

/// The keywords of a schema the generated types and checks do not express, as they are written
/// in the spec: the schema of a request body or parameter checks them (`request_schemas.rs`);
/// anywhere else (a multipart body with files, across its parts) they are said once per
/// schema, as a generation warning, rather than skipped silently.
fn unchecked_keywords(s: &crate::model::Schema) -> Vec<&'static str> {
    let rare = s.rare();
    let mut unchecked = Vec::new();
    let mut note = |present: bool, keyword: &'static str| {
        if present {
            unchecked.push(keyword);
        }
    };
    note(rare.if_then_else.is_some(), "`if`/`then`/`else`");
    note(s.not.is_some(), "`not`");
    note(!rare.dependent_required.is_empty(), "`dependentRequired`");
    note(!rare.dependent_schemas.is_empty(), "`dependentSchemas`");
    note(
        s.contains.is_some() || rare.min_contains.is_some() || rare.max_contains.is_some(),
        "`contains`",
    );
    note(!s.prefix_items.is_empty(), "`prefixItems`");
    note(!rare.pattern_properties.is_empty(), "`patternProperties`");
    note(
        rare.unevaluated_properties == Some(crate::model::AdditionalProperties::Forbidden),
        "`unevaluatedProperties: false`",
    );
    note(rare.unevaluated_items.is_some(), "`unevaluatedItems`");
    unchecked
}

/// The `runtime::Format` variant that asserts a string `format`; `None` for a format that is an
/// annotation (unknown, or one a string type already is: `binary`, `password`).
pub(super) fn string_format(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "DateTime",
        "date" => "Date",
        "time" => "Time",
        "duration" => "Duration",
        "uuid" => "Uuid",
        "email" => "Email",
        "hostname" => "Hostname",
        "ipv4" => "Ipv4",
        "ipv6" => "Ipv6",
        "uri" => "Uri",
        "uri-reference" => "UriReference",
        "byte" => "Byte",
        _ => return None,
    })
}

/// `runtime::LengthRule { min_length: Some(1), ..Default::default() }`, or `None` when no
/// field is set.
fn rule_literal<T: ToString>(type_path: &str, fields: &[(&str, Option<T>)]) -> Option<String> {
    let set: Vec<String> = fields
        .iter()
        .filter_map(|(name, value)| {
            let value = value.as_ref()?.to_string();
            Some(if value == "true" {
                format!("{name}: true")
            } else {
                format!("{name}: Some({value})")
            })
        })
        .collect();
    if set.is_empty() {
        return None;
    }
    let rest = if set.len() < fields.len() {
        ", ..Default::default()"
    } else {
        ""
    };
    Some(format!("{type_path} {{ {}{rest} }}", set.join(", ")))
}

fn option_literal(value: Option<u64>) -> String {
    match value {
        Some(n) => format!("Some({n})"),
        None => "None".to_string(),
    }
}

/// A float literal Rust accepts (`1.0`, `1e300`, never `inf`).
fn float_literal(value: f64) -> String {
    if value.is_finite() {
        let text = format!("{value:?}");
        if text.contains(['.', 'e', 'E']) {
            text
        } else {
            format!("{text}.0")
        }
    } else if value > 0.0 {
        "f64::MAX".to_string()
    } else {
        "f64::MIN".to_string()
    }
}

/// The values of an `enum` / `const` on a string that is not a Rust enum (it admits other
/// types too), as `&str` literals.
fn string_enum(values: &Option<Vec<Value>>, constant: &Option<Value>) -> Option<String> {
    let values: Vec<&Value> = match (values, constant) {
        (Some(values), _) => values.iter().collect(),
        (None, Some(c)) => vec![c],
        (None, None) => return None,
    };
    let strings: Vec<String> = values
        .iter()
        .filter_map(|v| v.as_str())
        .map(string_literal)
        .collect();
    (!strings.is_empty() && strings.len() == values.iter().filter(|v| !v.is_null()).count())
        .then(|| strings.join(", "))
}

/// The values of an `enum` / `const` on a number, as literals of the field's type; `None`
/// when a value is not a number of that type.
fn number_enum(ty: &Ty, values: &Option<Vec<Value>>, constant: &Option<Value>) -> Option<String> {
    let values: Vec<&Value> = match (values, constant) {
        (Some(values), _) => values.iter().filter(|v| !v.is_null()).collect(),
        (None, Some(c)) => vec![c],
        (None, None) => return None,
    };
    if values.is_empty() {
        return None;
    }
    let literals: Option<Vec<String>> = values
        .iter()
        .map(|v| match ty {
            Ty::I32 => v
                .as_i64()
                .filter(|i| i32::try_from(*i).is_ok())
                .map(|i| i.to_string()),
            Ty::I64 => v.as_i64().map(|i| i.to_string()),
            Ty::U32 => v
                .as_u64()
                .filter(|i| u32::try_from(*i).is_ok())
                .map(|i| i.to_string()),
            Ty::U64 => v.as_u64().map(|i| i.to_string()),
            Ty::F64 => v.as_f64().map(float_literal),
            _ => None,
        })
        .collect();
    literals.map(|l| l.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JSON or form body and a parameter are validated against their schema where it says
    /// what the types cannot (see `request_schemas.rs`); what a multipart body with files says
    /// across its fields and files is not, so it is warned about.
    #[test]
    fn keywords_the_server_does_not_check_are_warned_about() {
        for media_type in ["application/json", "application/x-www-form-urlencoded"] {
            let messages = warnings(media_type);
            assert!(
                !messages.iter().any(|m| m.contains("not checked")),
                "{media_type}: {messages:?}"
            );
        }
        let messages = warnings("multipart/form-data");
        let unchecked: Vec<&String> = messages
            .iter()
            .filter(|m| m.contains("not checked"))
            .collect();
        // The fields are each validated (`contains` of `tags`), the body's own keywords not.
        assert_eq!(unchecked.len(), 1, "{messages:?}");
        assert!(
            unchecked[0].starts_with(
                "`if`/`then`/`else`, `dependentRequired`, `unevaluatedProperties: false` not checked"
            ),
            "{unchecked:?}"
        );
    }

    fn warnings(media_type: &str) -> Vec<String> {
        let yaml = r#"
openapi: 3.1.0
info: {title: x, version: "1"}
paths:
  /things:
    post:
      operationId: create
      requestBody:
        content:
          MEDIA:
            schema:
              type: object
              properties:
                kind: {type: string}
                tags: {type: array, items: {type: string}, contains: {const: a}}
                photo: {type: string, format: binary}
              if: {properties: {kind: {const: a}}}
              then: {required: [tags]}
              dependentRequired: {kind: [tags]}
              unevaluatedProperties: false
      responses: {"204": {description: ok}}
"#;
        let yaml = yaml.replace("MEDIA", media_type);
        let contract = crate::model::test_contract(&yaml);
        let options = crate::codegen::GenerateOptions {
            templates_dir: None,
            spec_name: "spec.yaml".to_string(),
            ..crate::codegen::GenerateOptions::default()
        };
        let generated =
            super::super::generate(&contract, &options).unwrap_or_else(|e| panic!("{e}"));
        generated.findings.into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn literals() {
        assert_eq!(float_literal(1.0), "1.0");
        assert_eq!(float_literal(0.5), "0.5");
        assert_eq!(float_literal(1e300), "1e300");
        assert_eq!(
            rule_literal("R", &[("min_length", Some(1)), ("max_length", None)]).as_deref(),
            Some("R { min_length: Some(1), ..Default::default() }")
        );
        assert_eq!(rule_literal::<u64>("R", &[("a", None)]), None);
        let values = Some(vec![Value::from(1), Value::from(5_000_000_000_i64)]);
        assert_eq!(number_enum(&Ty::I32, &values, &None), None);
        assert_eq!(
            number_enum(&Ty::I64, &values, &None).as_deref(),
            Some("1, 5000000000")
        );
    }
}
