//! The OpenAPI formats JSON Schema does not define: `byte` (base64) and the numeric ranges of
//! `int32`, `int64` and `float` (JSON Schema's `format` asserts only on strings, so the ranges are
//! a keyword of their own).

use jsonschema::{Keyword, ValidationError};
use serde_json::Value;

/// Range checks for OpenAPI's numeric formats (`format` only asserts on strings in JSON Schema).
pub(super) const NUMBER_FORMAT_KEYWORD: &str = "x-oaskit-number-format";

/// OpenAPI's numeric formats, as ranges.
#[derive(Debug, Clone, Copy)]
pub(super) enum NumberFormat {
    Int32,
    Int64,
    Float,
}

impl NumberFormat {
    fn name(self) -> &'static str {
        match self {
            NumberFormat::Int32 => "int32",
            NumberFormat::Int64 => "int64",
            NumberFormat::Float => "float",
        }
    }

    fn accepts(self, n: &serde_json::Number) -> bool {
        match self {
            NumberFormat::Int32 => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => i32::try_from(i).is_ok(),
                (None, Some(_)) => false,
                _ => n
                    .as_f64()
                    .is_some_and(|f| f >= f64::from(i32::MIN) && f <= f64::from(i32::MAX)),
            },
            NumberFormat::Int64 => match (n.as_i64(), n.as_u64()) {
                (Some(_), _) => true,
                (None, Some(_)) => false,
                // 2^63 is the first float outside the range.
                _ => n.as_f64().is_some_and(|f| {
                    (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f)
                }),
            },
            NumberFormat::Float => n.as_f64().is_some_and(|f| f.abs() <= f64::from(f32::MAX)),
        }
    }
}

impl<'i> Keyword<'i> for NumberFormat {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        if Keyword::is_valid(self, instance) {
            Ok(())
        } else {
            Err(ValidationError::custom(format!(
                "{instance} is out of the {} range",
                self.name()
            )))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        match instance {
            Value::Number(n) => self.accepts(n),
            _ => true,
        }
    }
}

/// `format: byte`: base64 (RFC 4648 §4, or the URL-safe alphabet of §5), padding optional.
pub fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    let padding = text.len() - body.len();
    if padding > 2 || (padding > 0 && !text.len().is_multiple_of(4)) || body.len() % 4 == 1 {
        return false;
    }
    let standard = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    let url_safe = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    standard || url_safe
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64_is_recognised() {
        for ok in ["", "U3dhZ2dlciByb2Nrcw==", "YWJj", "YWI", "YQ", "-_-_"] {
            assert!(is_base64(ok), "{ok}");
        }
        for bad in ["Y", "YQ=", "not base64!", "YWJj===", "+_"] {
            assert!(!is_base64(bad), "{bad}");
        }
    }

    #[test]
    fn numeric_formats_are_ranges() {
        let n = |v: Value| match v {
            Value::Number(n) => n,
            _ => unreachable!(),
        };
        assert!(NumberFormat::Int32.accepts(&n(json!(2_147_483_647))));
        assert!(!NumberFormat::Int32.accepts(&n(json!(2_147_483_648_i64))));
        assert!(!NumberFormat::Int32.accepts(&n(json!(-2_147_483_649_i64))));
        assert!(NumberFormat::Int64.accepts(&n(json!(i64::MIN))));
        assert!(!NumberFormat::Int64.accepts(&n(json!(u64::MAX))));
        assert!(!NumberFormat::Int64.accepts(&n(json!(1e19))));
        assert!(!NumberFormat::Float.accepts(&n(json!(1e39))));
    }
}
