//! Values for parameters and bodies, read from the schema: the one value a request is built
//! from (its example, default, first enum value, or one made up from the type), and the small
//! fixed set of values at and just past each bound that the variants send. Every candidate's
//! claim (valid or not) is checked by the validator before it is sent, so a schema this module
//! reads too simply costs a variant, never a false alarm.

use serde_json::{Number, Value};

use crate::model::{Contract, Direction, InstanceType, SchemaId};

/// A value to try, and what the spec says about it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    pub value: Value,
    /// What the value is, for reports: `maximum 50`, `maximum + 1`, `not in the enum`.
    pub label: String,
    pub valid: bool,
}

impl Candidate {
    fn new(value: Value, label: impl Into<String>, valid: bool) -> Candidate {
        Candidate {
            value,
            label: label.into(),
            valid,
        }
    }
}

/// A value for a schema: its example, default, first enum value or const, else one made up from
/// the type (the smallest value its bounds allow). `all`: optional properties too.
pub(crate) fn synthesize(contract: &Contract, id: SchemaId, all: bool, depth: usize) -> Value {
    let types = &contract.types;
    let (target, _) = types.resolve_alias(id);
    let schema = types.get(target);
    if let Some(v) = schema
        .examples
        .iter()
        .find_map(|e| e.value.as_ref().and_then(|l| contract.value(l)))
    {
        return v.clone();
    }
    if let Some(v) = schema
        .default
        .as_deref()
        .or(schema.rare().const_value.as_ref())
        .cloned()
    {
        return v;
    }
    if let Some(first) = schema.enum_values.as_ref().and_then(|e| e.first()) {
        return first.clone();
    }
    if depth > 8 {
        return Value::Null;
    }
    if let Some(first) = schema
        .all_of
        .first()
        .or(schema.one_of.first())
        .or(schema.any_of.first())
        && schema.types.is_none()
        && schema.properties.is_empty()
    {
        return synthesize(contract, *first, all, depth + 1);
    }
    match kind_of(contract, target) {
        InstanceType::Boolean => Value::Bool(true),
        InstanceType::Integer => {
            let low = lowest(contract, target).map_or(1.0, |l| l.max(1.0).ceil());
            let high = highest(contract, target).unwrap_or(f64::MAX);
            Value::from(low.min(high.floor()) as i64)
        }
        InstanceType::Number => {
            let low = lowest(contract, target).unwrap_or(1.0);
            Number::from_f64(low).map_or(Value::from(1), Value::Number)
        }
        InstanceType::String => Value::String(match schema.format.as_deref() {
            Some("date-time") => "2024-01-01T00:00:00Z".to_string(),
            Some("date") => "2024-01-01".to_string(),
            Some("time") => "00:00:00Z".to_string(),
            Some("uuid") => "00000000-0000-4000-8000-000000000000".to_string(),
            Some("email") => "someone@example.com".to_string(),
            Some("uri" | "url") => "https://example.com/".to_string(),
            Some("ipv4") => "192.0.2.1".to_string(),
            _ => "x".repeat(
                usize::try_from(schema.min_length.unwrap_or(1))
                    .unwrap_or(1)
                    .clamp(1, 64),
            ),
        }),
        InstanceType::Array => match schema.items {
            Some(items) if schema.min_items.unwrap_or(0) > 0 => {
                Value::Array(vec![synthesize(contract, items, all, depth + 1)])
            }
            _ => Value::Array(Vec::new()),
        },
        InstanceType::Object => {
            let mut map = serde_json::Map::new();
            for (name, prop) in types.properties_in(target, Direction::Request) {
                if all || types.required_in(target, name, Direction::Request) {
                    map.insert(name.clone(), synthesize(contract, prop, all, depth + 1));
                }
            }
            Value::Object(map)
        }
    }
}

/// The type a value for the schema gets: its (first) declared type, else object when it has
/// properties, else string.
pub(crate) fn kind_of(contract: &Contract, id: SchemaId) -> InstanceType {
    let (target, _) = contract.types.resolve_alias(id);
    let schema = contract.types.get(target);
    schema
        .types
        .as_ref()
        .and_then(|t| t.first().copied())
        .unwrap_or(if schema.properties.is_empty() {
            InstanceType::String
        } else {
            InstanceType::Object
        })
}

fn lowest(contract: &Contract, id: SchemaId) -> Option<f64> {
    let schema = contract.types.get(id);
    let inclusive = schema.minimum.as_ref().and_then(Number::as_f64);
    let exclusive = schema
        .rare()
        .exclusive_minimum
        .as_ref()
        .and_then(Number::as_f64);
    match (inclusive, exclusive) {
        (Some(i), _) => Some(i),
        (None, Some(e)) => Some(e + 1.0),
        _ => None,
    }
}

fn highest(contract: &Contract, id: SchemaId) -> Option<f64> {
    let schema = contract.types.get(id);
    let inclusive = schema.maximum.as_ref().and_then(Number::as_f64);
    let exclusive = schema
        .rare()
        .exclusive_maximum
        .as_ref()
        .and_then(Number::as_f64);
    match (inclusive, exclusive) {
        (Some(i), _) => Some(i),
        (None, Some(e)) => Some(e - 1.0),
        _ => None,
    }
}

/// A number as JSON: an integer when it is one.
fn number(value: f64) -> Option<Value> {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Some(Value::from(value as i64))
    } else {
        Number::from_f64(value).map(Value::Number)
    }
}

/// The boundary and negative values for a schema (a parameter's or a body property's), beside
/// `current`, the value the request already carries: each bound at itself and one past it, the
/// shortest and longest strings, other enum values and one outside the enum, and a value of the
/// wrong type. `filler` is the letter made-up strings repeat (from the run's seed).
pub(crate) fn candidates(
    contract: &Contract,
    id: SchemaId,
    current: Option<&Value>,
    filler: char,
) -> Vec<Candidate> {
    let (target, _) = contract.types.resolve_alias(id);
    let schema = contract.types.get(target);
    let mut out = Vec::new();
    if let Some(values) = &schema.enum_values {
        if let Some(last) = values.last()
            && Some(last) != current
        {
            out.push(Candidate::new(last.clone(), "the last enum value", true));
        }
        let outside = match values.first() {
            Some(Value::Number(_)) => values
                .iter()
                .filter_map(Value::as_i64)
                .max()
                .map(|m| Value::from(m.saturating_add(1))),
            _ => Some(Value::String(format!("oaskit-not-in-enum-{filler}"))),
        };
        if let Some(outside) = outside {
            out.push(Candidate::new(outside, "a value outside the enum", false));
        }
        return out;
    }
    match kind_of(contract, target) {
        kind @ (InstanceType::Integer | InstanceType::Number) => {
            let step = if kind == InstanceType::Integer {
                1.0
            } else {
                0.5
            };
            if let Some(low) = lowest(contract, target) {
                out.extend(number(low).map(|v| Candidate::new(v, "the minimum", true)));
                out.extend(
                    number(low - step).map(|v| Candidate::new(v, "below the minimum", false)),
                );
            }
            if let Some(high) = highest(contract, target) {
                out.extend(number(high).map(|v| Candidate::new(v, "the maximum", true)));
                out.extend(
                    number(high + step).map(|v| Candidate::new(v, "above the maximum", false)),
                );
            }
            let word = if kind == InstanceType::Integer {
                "not an integer"
            } else {
                "not a number"
            };
            out.push(Candidate::new(
                Value::String(format!("{filler}{filler}")),
                word,
                false,
            ));
        }
        InstanceType::String => {
            if schema.format.is_none() {
                let text = |n: u64| Value::String(filler.to_string().repeat(n as usize));
                let min = schema.min_length.unwrap_or(0);
                if min > 0 {
                    out.push(Candidate::new(text(min), "the shortest string", true));
                    out.push(Candidate::new(
                        text(min - 1),
                        "shorter than minLength",
                        false,
                    ));
                }
                if let Some(max) = schema.max_length.filter(|m| *m <= 4096) {
                    out.push(Candidate::new(text(max), "the longest string", true));
                    out.push(Candidate::new(
                        text(max + 1),
                        "longer than maxLength",
                        false,
                    ));
                }
            }
        }
        InstanceType::Boolean => {
            out.push(Candidate::new(
                Value::String("oaskit".into()),
                "not a boolean",
                false,
            ));
        }
        InstanceType::Array => {
            if let Some(items) = schema.items {
                let item = synthesize(contract, items, false, 1);
                if let Some(max) = schema.max_items.filter(|m| *m <= 256) {
                    let many = |n: u64| Value::Array(vec![item.clone(); n as usize]);
                    if !schema.unique_items {
                        out.push(Candidate::new(many(max), "the most items", true));
                        out.push(Candidate::new(many(max + 1), "more than maxItems", false));
                    }
                }
            }
            out.push(Candidate::new(
                Value::String("oaskit".into()),
                "not an array",
                false,
            ));
        }
        InstanceType::Object => {
            out.push(Candidate::new(
                Value::String("oaskit".into()),
                "not an object",
                false,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoadOptions;

    fn contract(schema: &str) -> (Contract, SchemaId) {
        let doc = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents: {{schemas: {{S: {schema}}}}}\n"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.yaml");
        std::fs::write(&path, doc).expect("write");
        let c = Contract::load(&path.to_string_lossy(), &LoadOptions::default()).expect("load");
        let id = *c.types.named().get("S").expect("S");
        (c, id)
    }

    fn labels(c: &[Candidate]) -> Vec<(String, bool)> {
        c.iter()
            .map(|c| (format!("{} {}", c.label, c.value), c.valid))
            .collect()
    }

    #[test]
    fn integer_bounds_at_and_past_each_end() {
        let (c, id) = contract("{type: integer, minimum: 1, maximum: 50}");
        assert_eq!(
            labels(&candidates(&c, id, None, 'x')),
            vec![
                ("the minimum 1".to_string(), true),
                ("below the minimum 0".to_string(), false),
                ("the maximum 50".to_string(), true),
                ("above the maximum 51".to_string(), false),
                ("not an integer \"xx\"".to_string(), false),
            ]
        );
        assert_eq!(synthesize(&c, id, false, 0), Value::from(1));
    }

    #[test]
    fn exclusive_bounds_move_inside() {
        let (c, id) = contract("{type: integer, exclusiveMinimum: 0, exclusiveMaximum: 10}");
        let got = labels(&candidates(&c, id, None, 'x'));
        assert!(
            got.contains(&("the minimum 1".to_string(), true)),
            "{got:?}"
        );
        assert!(
            got.contains(&("the maximum 9".to_string(), true)),
            "{got:?}"
        );
        assert!(
            got.contains(&("above the maximum 10".to_string(), false)),
            "{got:?}"
        );
    }

    #[test]
    fn strings_and_enums() {
        let (c, id) = contract("{type: string, minLength: 2, maxLength: 4}");
        let got = labels(&candidates(&c, id, None, 'q'));
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got.contains(&("longer than maxLength \"qqqqq\"".to_string(), false)));
        let (c, id) = contract("{type: string, enum: [a, b, c]}");
        let got = labels(&candidates(&c, id, Some(&Value::from("a")), 'q'));
        assert_eq!(
            got,
            vec![
                ("the last enum value \"c\"".to_string(), true),
                (
                    "a value outside the enum \"oaskit-not-in-enum-q\"".to_string(),
                    false
                )
            ]
        );
    }
}
