//! JSON text to a [`Value`] whose objects and arrays are allocated at their final size.
//!
//! `serde_json`'s own `Value` deserializer grows each object from empty, and an insertion order
//! preserving map grows to room for three entries (a 4-bucket table and 3 entry slots of 112
//! bytes) at its first key: most objects of a spec have one or two keys (`{"$ref": …}`,
//! `{"type": "string"}`, `{"schema": …}`), so two thirds of the entry memory of a loaded spec
//! was empty slots. Here the entries of an object are collected first and the map is built with
//! exactly their number. The tree is the same as `serde_json::from_str::<Value>` builds (same
//! order, the last of duplicate keys wins in the first one's place), and so are the errors, which
//! come from the same `serde_json` deserializer.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses a whole JSON text, as `serde_json::from_str::<Value>` does.
pub fn from_str(text: &str) -> Result<Value, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = CompactValue.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Deserializes one JSON value with exactly sized objects and arrays.
#[derive(Clone, Copy)]
struct CompactValue;

impl<'de> DeserializeSeed<'de> for CompactValue {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CompactValue {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = access.next_element_seed(self)? {
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(self)?;
            entries.push((key, value));
        }
        let mut map = Map::with_capacity(entries.len());
        for (key, value) in entries {
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same trees and the same errors as `serde_json`'s own deserializer.
    #[test]
    fn matches_serde_json() {
        let texts = [
            r#"{"b": 1, "a": [1, -2, 3.5, 1e400, null, true, "x\u00e9"], "c": {}}"#,
            r#"{"k": 1, "j": 2, "k": {"nested": [[], {}]}}"#,
            r#"{"big": 18446744073709551615, "neg": -9223372036854775808, "f": -0.0}"#,
            r#"{"a": 1,}"#,
            r#"{"a": [1 2]}"#,
            r#"{"a": 1} x"#,
            r#"{"a": "unterminated"#,
            "[1, 2]",
        ];
        for text in texts {
            let ours = from_str(text).map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<Value>(text).map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{text}");
            if let Ok(value) = ours {
                let keys = |v: &Value| v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>());
                assert_eq!(keys(&value), keys(theirs.as_ref().unwrap()), "{text}");
            }
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(
            from_str(&deep).map_err(|e| e.to_string()),
            serde_json::from_str::<Value>(&deep).map_err(|e| e.to_string())
        );
    }
}
