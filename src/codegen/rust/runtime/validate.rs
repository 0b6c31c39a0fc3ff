//! What a deserialized value must still satisfy: the schema's numeric ranges, lengths, item
//! counts, uniqueness and enums, checked by the generated `Validate` implementations.

use std::collections::BTreeMap;
use std::fmt::Display;

use axum::body::Bytes;
use serde::de::Visitor;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::{At, Errors};

/// Constraints a deserialized value must still satisfy (lengths, ranges, patterns, ...).
pub trait Validate {
    fn validate(&self, at: &At, errors: &mut Errors);
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &At, errors: &mut Errors) {
        if let Some(value) = self {
            value.validate(at, errors);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, at: &At, errors: &mut Errors) {
        (**self).validate(at, errors);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, at: &At, errors: &mut Errors) {
        for (index, item) in self.iter().enumerate() {
            item.validate(&at.index(index), errors);
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, at: &At, errors: &mut Errors) {
        for (key, value) in self {
            value.validate(&at.child(key), errors);
        }
    }
}

macro_rules! unconstrained {
    ($($t:ty),*) => {
        $(impl Validate for $t {
            fn validate(&self, _at: &At, _errors: &mut Errors) {}
        })*
    };
}

unconstrained!(bool, i32, i64, u32, u64, f32, f64, String, Value, Bytes, ());

/// Deserializes an optional, nullable field: absent is `None` (through `#[serde(default)]`),
/// `null` is `Some(None)`.
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// The deserializer every generated struct reads itself through: a struct is a JSON object only.
/// serde's derived structs also accept a sequence of their fields in order (`["Rex", 5]` would be
/// a `Pet`), which JSON Schema's `type: object` never does; this adapter asks for a map where
/// the derive asks for a struct, so an array is `invalid type: sequence, expected struct Pet`.
/// Only the struct's own level goes through it: nested structs wrap their own deserializer.
pub struct ObjectsOnly<D>(pub D);

macro_rules! forward {
    ($($method:ident),*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(visitor)
        })*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectsOnly<D> {
    type Error = D::Error;

    forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// Numbers as the validation rules compare them.
pub trait Number: Copy + Display {
    fn to_f64(self) -> f64;
}

macro_rules! number {
    ($($t:ty),*) => {
        $(impl Number for $t {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn to_f64(self) -> f64 {
                self as f64
            }
        })*
    };
}

number!(i32, i64, u32, u64, f32, f64);

/// The numeric constraints of a schema.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NumberRule {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: Option<f64>,
    pub exclusive_maximum: Option<f64>,
    pub multiple_of: Option<f64>,
}

pub fn check_number<N: Number>(value: &N, rule: &NumberRule, at: &At, errors: &mut Errors) {
    let v = value.to_f64();
    if let Some(min) = rule.minimum.filter(|min| v < *min) {
        errors.push(at, format_args!("must be at least {min}, got {value}"));
    }
    if let Some(max) = rule.maximum.filter(|max| v > *max) {
        errors.push(at, format_args!("must be at most {max}, got {value}"));
    }
    if let Some(min) = rule.exclusive_minimum.filter(|min| v <= *min) {
        errors.push(at, format_args!("must be greater than {min}, got {value}"));
    }
    if let Some(max) = rule.exclusive_maximum.filter(|max| v >= *max) {
        errors.push(at, format_args!("must be less than {max}, got {value}"));
    }
    if let Some(step) = rule.multiple_of.filter(|step| *step > 0.0) {
        let quotient = v / step;
        if (quotient - quotient.round()).abs() > 1e-9 {
            errors.push(
                at,
                format_args!("must be a multiple of {step}, got {value}"),
            );
        }
    }
}

/// The length constraints of a string schema, in characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LengthRule {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
}

pub fn check_length(value: &str, rule: &LengthRule, at: &At, errors: &mut Errors) {
    let length = value.chars().count();
    if let Some(min) = rule.min_length.filter(|min| length < *min) {
        let unit = if min == 1 { "character" } else { "characters" };
        errors.push(
            at,
            format_args!("must be at least {min} {unit} long, got {length}"),
        );
    }
    if let Some(max) = rule.max_length.filter(|max| length > *max) {
        let unit = if max == 1 { "character" } else { "characters" };
        errors.push(
            at,
            format_args!("must be at most {max} {unit} long, got {length}"),
        );
    }
}

/// The constraints of an array schema.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemsRule {
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
}

pub fn check_items<T: PartialEq>(value: &[T], rule: &ItemsRule, at: &At, errors: &mut Errors) {
    let count = value.len();
    if let Some(min) = rule.min_items.filter(|min| count < *min) {
        errors.push(
            at,
            format_args!("must have at least {min} items, got {count}"),
        );
    }
    if let Some(max) = rule.max_items.filter(|max| count > *max) {
        errors.push(
            at,
            format_args!("must have at most {max} items, got {count}"),
        );
    }
    if rule.unique_items {
        let duplicate = value
            .iter()
            .enumerate()
            .any(|(i, a)| value[..i].iter().any(|b| a == b));
        if duplicate {
            errors.push(at, "must not contain duplicate items");
        }
    }
}

/// The size constraints of a map.
pub fn check_properties<T>(
    value: &BTreeMap<String, T>,
    min: Option<usize>,
    max: Option<usize>,
    at: &At,
    errors: &mut Errors,
) {
    let count = value.len();
    if let Some(min) = min.filter(|min| count < *min) {
        errors.push(
            at,
            format_args!("must have at least {min} properties, got {count}"),
        );
    }
    if let Some(max) = max.filter(|max| count > *max) {
        errors.push(
            at,
            format_args!("must have at most {max} properties, got {count}"),
        );
    }
}

/// `enum` (and `const`) of a schema whose values are not all strings.
pub fn check_enum<T: PartialEq + Display>(value: &T, allowed: &[T], at: &At, errors: &mut Errors) {
    if !allowed.contains(value) {
        let list = allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        errors.push(at, format_args!("must be one of {list}, got `{value}`"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(check: impl FnOnce(&At, &mut Errors)) -> usize {
        let mut errors = Errors::new();
        check(&At::body(), &mut errors);
        errors.len()
    }

    #[test]
    fn numbers() {
        let rule = NumberRule {
            minimum: Some(1.0),
            maximum: Some(10.0),
            multiple_of: Some(0.5),
            ..NumberRule::default()
        };
        assert_eq!(messages(|at, e| check_number(&5.5, &rule, at, e)), 0);
        assert_eq!(messages(|at, e| check_number(&0.25, &rule, at, e)), 2);
        let exclusive = NumberRule {
            exclusive_minimum: Some(0.0),
            exclusive_maximum: Some(1.0),
            ..NumberRule::default()
        };
        assert_eq!(messages(|at, e| check_number(&0u32, &exclusive, at, e)), 1);
        assert_eq!(messages(|at, e| check_number(&1i64, &exclusive, at, e)), 1);
    }

    #[test]
    fn lengths_count_characters() {
        let rule = LengthRule {
            min_length: Some(2),
            max_length: Some(3),
        };
        assert_eq!(messages(|at, e| check_length("日本語", &rule, at, e)), 0);
        assert_eq!(messages(|at, e| check_length("a", &rule, at, e)), 1);
        assert_eq!(messages(|at, e| check_length("abcd", &rule, at, e)), 1);
    }

    #[test]
    fn items_and_enums() {
        let rule = ItemsRule {
            min_items: Some(1),
            max_items: Some(2),
            unique_items: true,
        };
        assert_eq!(messages(|at, e| check_items(&[1, 1], &rule, at, e)), 1);
        assert_eq!(messages(|at, e| check_items::<i32>(&[], &rule, at, e)), 1);
        assert_eq!(messages(|at, e| check_enum(&3, &[1, 2], at, e)), 1);
        let map: BTreeMap<String, i32> = [("a".to_string(), 1)].into();
        assert_eq!(
            messages(|at, e| check_properties(&map, Some(2), None, at, e)),
            1
        );
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(remote = "Self")]
    struct Pet {
        name: String,
        age: u32,
    }

    impl<'de> Deserialize<'de> for Pet {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            Pet::deserialize(ObjectsOnly(deserializer))
        }
    }

    #[test]
    fn structs_are_objects_only() {
        let pet = Pet {
            name: "Rex".into(),
            age: 5,
        };
        assert_eq!(
            serde_json::from_str::<Pet>(r#"{"name": "Rex", "age": 5}"#).ok(),
            Some(pet)
        );
        let error = serde_json::from_str::<Pet>(r#"["Rex", 5]"#)
            .map(|_| ())
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("invalid type: sequence, expected struct Pet"),
            "{error}"
        );
        let nested = serde_json::from_str::<Vec<Pet>>(r#"[["Rex", 5]]"#);
        assert!(nested.is_err());
        let value = serde_json::json!(["Rex", 5]);
        assert!(<Pet as Deserialize>::deserialize(&value).is_err());
    }
}
