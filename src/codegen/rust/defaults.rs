//! A schema's `default` as a Rust expression: a property, parameter or form field with a
//! default is not an `Option`, the server fills the default when the value is absent. A default
//! that does not fit its type (a string for an integer, a value outside an enum, `-1` for a `u32`) is left out with a warning, so the generated crate still compiles; one the type
//! cannot spell (an object, a `oneOf`) leaves the value an `Option`.

use serde_json::Value;

use super::models::{Def, DefKind, Ty, Types};
use super::naming::string_literal;
use crate::model::SchemaId;

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
            .as_ref()
            .or_else(|| space.get(space.resolve_alias(id).0).default.as_ref())
    }

    fn checked(&self, id: SchemaId, ty: &Ty, value: &Value, models: &str) -> Option<String> {
        match expression(ty, value, &self.defs, models) {
            Ok(expr) => expr,
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

#[cfg(test)]
mod tests {
    use super::expression;
    use crate::codegen::rust::models::{Def, DefKind, Ty, View};
    use crate::model::SchemaId;
    use serde_json::json;

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
