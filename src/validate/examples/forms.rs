//! Form examples (`application/x-www-form-urlencoded`, `multipart/form-data`) as the data they
//! stand for: every value travels as text.

use super::*;

/// A form example as the data it stands for. A form sends every value as text, so examples are
/// written that way (`Muted: 'true'`, `Port: '5060'`): a string is read as the boolean or number
/// its property's schema asks for, and a single value of an array property as a one-item array
/// (`a=1` is the array `[1]`). Anything else (a wrong enum value, a URL that is not one) is
/// checked as written. `None` when nothing needs reading.
pub(super) fn form_data(types: &TypeSpace, schema: SchemaId, value: &Value) -> Option<Value> {
    let Value::Object(fields) = value else {
        return None;
    };
    let properties = form_properties(types, schema);
    let mut changed = false;
    let data = fields
        .iter()
        .map(|(name, v)| {
            let read = properties
                .get(name.as_str())
                .and_then(|p| form_value(types, *p, v));
            changed |= read.is_some();
            (name.clone(), read.unwrap_or_else(|| v.clone()))
        })
        .collect();
    changed.then_some(Value::Object(data))
}

/// The properties of a form's schema, through `$ref`s and `allOf`.
fn form_properties(types: &TypeSpace, schema: SchemaId) -> HashMap<&str, SchemaId> {
    let mut properties = HashMap::new();
    let mut seen = HashSet::new();
    let mut stack = vec![schema];
    while let Some(id) = stack.pop() {
        let (id, _) = types.resolve_alias(id);
        if seen.len() > 256 || !seen.insert(id) {
            continue;
        }
        let s = types.get(id);
        for (name, property) in &s.properties {
            properties.entry(name.as_str()).or_insert(*property);
        }
        stack.extend(s.all_of.iter().copied());
    }
    properties
}

/// One form value as the data it stands for, or `None` when it is read as written.
fn form_value(types: &TypeSpace, schema: SchemaId, value: &Value) -> Option<Value> {
    let (id, _) = types.resolve_alias(schema);
    let s = types.get(id);
    if s.has_type(InstanceType::Array) {
        let item = |v: &Value| match s.items {
            Some(items) => form_scalar(types, items, v),
            None => None,
        };
        return match value {
            Value::Array(values) => {
                let read: Vec<Option<Value>> = values.iter().map(item).collect();
                read.iter().any(Option::is_some).then(|| {
                    Value::Array(
                        read.into_iter()
                            .zip(values)
                            .map(|(r, v)| r.unwrap_or_else(|| v.clone()))
                            .collect(),
                    )
                })
            }
            single => Some(Value::Array(vec![
                item(single).unwrap_or_else(|| single.clone()),
            ])),
        };
    }
    form_scalar(types, id, value)
}

/// A string sent for a boolean or number property, as that boolean or number.
fn form_scalar(types: &TypeSpace, schema: SchemaId, value: &Value) -> Option<Value> {
    let text = value.as_str()?;
    let (id, _) = types.resolve_alias(schema);
    let s = types.get(id);
    if s.types.is_none() || s.has_type(InstanceType::String) {
        return None;
    }
    if s.has_type(InstanceType::Boolean) {
        match text {
            "true" => return Some(Value::Bool(true)),
            "false" => return Some(Value::Bool(false)),
            _ => {}
        }
    }
    if s.has_type(InstanceType::Integer) || s.has_type(InstanceType::Number) {
        if let Ok(n) = text.parse::<i64>() {
            return Some(Value::from(n));
        }
        if let Ok(n) = text.parse::<u64>() {
            return Some(Value::from(n));
        }
        if let Some(n) = text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            return Some(Value::Number(n));
        }
    }
    None
}
