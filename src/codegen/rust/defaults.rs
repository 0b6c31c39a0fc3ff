//! A schema's `default` as a Rust expression: a property, parameter or form field with a
//! default is not an `Option`, the server fills the default when the value is absent. A default
//! that does not fit its type (a string for an integer, a value outside an enum, `-1` for a `u32`) is left out with a warning, so the generated crate still compiles; one the type
//! cannot spell (an object, a `oneOf`) leaves the value an `Option`.

use serde_json::Value;

use super::models::{Def, DefKind, Dispatch, Ty, Types};
use std::collections::HashMap;

use super::naming::string_literal;
use crate::json_schema::{ExportOptions, View, batch_instance, batch_slot, compile_batch};
use crate::model::SchemaId;
use crate::model::{Contract, InstanceType};

impl Types<'_> {
    /// The expression of `id`'s default as a `ty` (`models` prefixes generated types), or as an
    /// `Option<ty>` when `nullable` (a `null` default is `None`); `None` when there is none.
    pub(super) fn default_expr(
        &self,
        id: SchemaId,
        ty: &Ty,
        nullable: bool,
        models: &str,
    ) -> Option<String> {
        let value = self.default_value(id)?;
        if value.is_null() {
            // On a schema that refuses null, `default: null` says "no default" (common in
            // real specs): the value stays an `Option`, without a warning.
            return nullable.then(|| "None".to_string());
        }
        if nullable {
            return self
                .checked(id, ty, value, models)
                .map(|expr| format!("Some({expr})"));
        }
        self.checked(id, ty, value, models)
    }

    /// The `default` of `id`, or of the schema it refers to.
    pub(super) fn default_value(&self, id: SchemaId) -> Option<&Value> {
        let space = self.space();
        space
            .get(id)
            .default
            .as_deref()
            .or_else(|| space.get(space.resolve_alias(id).0).default.as_deref())
    }

    fn checked(&self, id: SchemaId, ty: &Ty, value: &Value, models: &str) -> Option<String> {
        match expression(ty, value, &self.defs, models) {
            Ok(Some(expr)) => match self.default_violation(id) {
                // The server would hand its handler a value it refuses from a client.
                Some(why) => {
                    self.warn(
                        id,
                        "default",
                        format!("the default {value} is not applied: {why}"),
                    );
                    None
                }
                None => Some(expr),
            },
            Ok(None) => None,
            Err(why) => {
                self.warn(
                    id,
                    "default",
                    format!("the default {value} is not applied: {why}"),
                );
                None
            }
        }
    }
}

impl Types<'_> {
    /// Why the default of `id` (or of the schema it refers to, as [`Types::default_value`]
    /// reads it) fails its own schema (`minimum`, `pattern`, `format`, `enum`, ...); `None` when
    /// it passes.
    fn default_violation(&self, id: SchemaId) -> Option<&str> {
        let space = self.space();
        let owner = if space.get(id).default.is_some() {
            id
        } else {
            space.resolve_alias(id).0
        };
        self.invalid_defaults
            .get_or_init(|| invalid_defaults(self.contract))
            .get(&owner)
            .map(String::as_str)
    }
}

/// The defaults of a contract that fail their own schema, with the first reason: every default
/// a Rust expression can spell (not `null`, not an object) validated at once, by one validator
/// (as `oaskit validate` checks them, rule `default-invalid`).
fn invalid_defaults(contract: &Contract) -> HashMap<SchemaId, String> {
    let space = &contract.types;
    let (roots, values): (Vec<SchemaId>, Vec<Value>) = space
        .iter()
        .filter_map(|(id, s)| {
            let value = s.default.as_deref()?;
            (!value.is_null() && !value.is_object()).then(|| (id, value.clone()))
        })
        .unzip();
    if roots.is_empty() {
        return HashMap::new();
    }
    let options = ExportOptions::for_contract(contract, true);
    let Ok((validator, _)) = compile_batch(space, &roots, View::Request, options) else {
        return HashMap::new();
    };
    let instance = batch_instance(values);
    let mut invalid = HashMap::new();
    for error in validator.iter_errors(&instance) {
        if let Some(id) = batch_slot(&error).and_then(|slot| roots.get(slot)) {
            invalid.entry(*id).or_insert_with(|| error.to_string());
        }
    }
    invalid
}

/// `Ok(None)`: a value `ty` cannot spell as an expression; `Err`: a value that is not a `ty`.
fn expression(
    ty: &Ty,
    value: &Value,
    defs: &[Def],
    models: &str,
) -> Result<Option<String>, String> {
    let mismatch = || Err(format!("it is not of type `{}`", ty.render(defs, "")));
    Ok(Some(match (ty, value) {
        (Ty::Bool, Value::Bool(b)) => b.to_string(),
        (Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64, Value::Number(n)) => {
            let integral = n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 1e19)
                        .map(|f| f as i128)
                });
            let Some(integral) = integral else {
                return Err("it is not an integer".to_string());
            };
            let fits = match ty {
                Ty::I32 => i32::try_from(integral).is_ok(),
                Ty::I64 => i64::try_from(integral).is_ok(),
                Ty::U32 => u32::try_from(integral).is_ok(),
                _ => u64::try_from(integral).is_ok(),
            };
            if !fits {
                return Err(format!("it does not fit type `{}`", ty.render(defs, "")));
            }
            integral.to_string()
        }
        (Ty::F64, Value::Number(n)) => match n.as_f64() {
            Some(f) if f.is_finite() => format!("{f:?}"),
            _ => return Err("it is not a finite number".to_string()),
        },
        (Ty::String, Value::String(s)) => format!("String::from({})", string_literal(s)),
        (Ty::Def(i), _) => match (&defs[*i].kind, value) {
            (DefKind::StringEnum { variants }, Value::String(s)) => {
                match variants.iter().find(|(_, wire)| wire == s) {
                    Some((ident, _)) => format!("{models}{}::{ident}", defs[*i].name),
                    None => return Err(format!("`{s}` is not one of the enum's values")),
                }
            }
            (DefKind::StringEnum { .. }, _) => return mismatch(),
            (
                DefKind::OneOf {
                    dispatch: Dispatch::JsonType(types),
                    variants,
                },
                _,
            ) => {
                let Some(variant) = types
                    .iter()
                    .position(|t| of_json_type(value, *t, types))
                    .map(|index| &variants[index])
                else {
                    return mismatch();
                };
                match expression(&variant.ty, value, defs, models)? {
                    Some(expr) => format!("{models}{}::{}({expr})", defs[*i].name, variant.ident),
                    None => return Ok(None),
                }
            }
            _ => return Ok(None),
        },
        (Ty::Vec(_), Value::Array(values)) if values.is_empty() => "Vec::new()".to_string(),
        (Ty::Vec(item), Value::Array(values)) => {
            let mut items = Vec::new();
            for value in values {
                match expression(item, value, defs, models)? {
                    Some(expr) => items.push(expr),
                    None => return Ok(None),
                }
            }
            format!("vec![{}]", items.join(", "))
        }
        (Ty::Boxed(inner), _) => match expression(inner, value, defs, models)? {
            Some(expr) => format!("Box::new({expr})"),
            None => return Ok(None),
        },
        (Ty::Value | Ty::Map(_) | Ty::Option(_), _) => return Ok(None),
        _ => return mismatch(),
    }))
}

/// Whether `value` is the variant of JSON type `t` of a `type` array's enum (of `types`): an
/// integer is the integer variant when there is one, else the number variant.
fn of_json_type(value: &Value, t: InstanceType, types: &[InstanceType]) -> bool {
    match (t, value) {
        (InstanceType::Boolean, Value::Bool(_))
        | (InstanceType::String, Value::String(_))
        | (InstanceType::Array, Value::Array(_))
        | (InstanceType::Object, Value::Object(_)) => true,
        (InstanceType::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (InstanceType::Number, Value::Number(n)) => {
            !(types.contains(&InstanceType::Integer) && (n.is_i64() || n.is_u64()))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::expression;
    use crate::codegen::rust::models::{Def, DefKind, Ty, View};
    use crate::model::SchemaId;
    use serde_json::json;

    /// A default its own schema refuses (`minimum`, `pattern`, `format`, `enum`, `maxLength`)
    /// is not applied, with a warning: the handler would get a value the server refuses from
    /// a client. `oaskit validate` reports the same defaults (rule `default-invalid`).
    #[test]
    fn defaults_that_fail_their_schema_are_not_applied() {
        let contract = crate::model::test_contract(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S:\n      type: object\n      properties:\n        a: {type: integer, minimum: 0, default: -1}\n        b: {type: string, pattern: '^[0-9]+$', default: abc}\n        c: {type: string, format: email, default: nope}\n        d: {type: integer, enum: [1, 2], default: 3}\n        e: {type: string, maxLength: 2, default: long}\n        f: {type: array, items: {type: integer, maximum: 1}, default: [2]}\n        good: {type: integer, minimum: 0, default: 1}\n",
        );
        let generated = crate::codegen::rust::generate(&contract, &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let models = generated.files.get("src/models.rs").unwrap_or_default();
        assert!(models.contains("fn default_good() -> i64"), "{models}");
        for field in ["a", "b", "c", "d", "e", "f"] {
            assert!(
                !models.contains(&format!("fn default_{field}()")),
                "{field}: {models}"
            );
            assert!(
                models.contains(&format!("pub {field}: Option<")),
                "{field}: {models}"
            );
        }
        let mut refused: Vec<String> = generated
            .findings
            .into_iter()
            .map(|f| f.message)
            .filter(|m| m.contains("is not applied"))
            .collect();
        refused.sort();
        assert_eq!(refused.len(), 6, "{refused:?}");
        assert!(
            refused.contains(
                &"the default -1 is not applied: -1 is less than the minimum of 0".to_string()
            ),
            "{refused:?}"
        );
    }

    #[test]
    fn defaults_become_expressions_of_their_type() {
        let defs = vec![Def {
            name: "Status".into(),
            schema: SchemaId(0),
            view: View::Neutral,
            doc: None,
            kind: DefKind::StringEnum {
                variants: vec![("Available".into(), "available".into())],
            },
        }];
        let expr = |ty: &Ty, value| expression(ty, &value, &defs, "models::");
        assert_eq!(expr(&Ty::Bool, json!(true)), Ok(Some("true".into())));
        assert_eq!(expr(&Ty::I32, json!(1e2)), Ok(Some("100".into())));
        assert_eq!(expr(&Ty::F64, json!(2)), Ok(Some("2.0".into())));
        assert_eq!(
            expr(&Ty::String, json!("a\"b")),
            Ok(Some("String::from(\"a\\\"b\")".into()))
        );
        assert_eq!(
            expr(&Ty::Vec(Box::new(Ty::Def(0))), json!(["available"])),
            Ok(Some("vec![models::Status::Available]".into()))
        );
        assert_eq!(expr(&Ty::Value, json!({"a": 1})), Ok(None));
        // Defaults that do not fit their type are refused, not printed.
        assert!(expr(&Ty::U32, json!(-1)).is_err());
        assert!(expr(&Ty::I32, json!(1.5)).is_err());
        assert!(expr(&Ty::I64, json!("10")).is_err());
        assert!(expr(&Ty::Def(0), json!("gone")).is_err());
        assert!(expr(&Ty::Vec(Box::new(Ty::Bool)), json!([true, 1])).is_err());
    }
}
