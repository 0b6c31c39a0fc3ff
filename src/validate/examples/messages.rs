//! The wording of a violation: one per unexpected property, the closest branch of a failed
//! `oneOf`/`anyOf`, values shortened.

use super::run::{Violation, schema_ref};
use super::*;

/// One violation per unexpected property, one per other error; message:
/// `/toys/1/size: "big" is not of type integer (schema: #/components/schemas/Toy/properties/size)`.
pub(super) fn describe(
    error: &ValidationError<'_>,
    prefix: &str,
    contract: &Contract,
    locator: Option<&Locator>,
) -> Vec<Violation> {
    let full = error.instance_path().as_str();
    let path = full.strip_prefix(prefix).unwrap_or(full).to_string();
    let schema_id = locator.and_then(|l| l.schema_at(error.schema_path().as_str()));
    let schema = schema_id.map(|id| schema_ref(contract, id));
    let suffix = schema
        .map(|s| format!(" (schema: {s})"))
        .unwrap_or_default();
    let bound = matches!(
        error.kind().keyword(),
        "minimum"
            | "maximum"
            | "exclusiveMinimum"
            | "exclusiveMaximum"
            | "minLength"
            | "maxLength"
            | "minItems"
            | "maxItems"
            | "minProperties"
            | "maxProperties"
            | "minContains"
            | "maxContains"
    );
    let at = |p: &str, text: String| Violation {
        schema: schema_id,
        bound,
        instance_path: p.to_string(),
        message: if p.is_empty() {
            format!("{text}{suffix}")
        } else {
            format!("{p}: {text}{suffix}")
        },
    };
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let keyword = error.kind().keyword();
            unexpected
                .iter()
                .map(|name| {
                    let p = pointer::push(&path, name);
                    at(
                        &p,
                        format!("property `{name}` is not allowed ({keyword}: false)"),
                    )
                })
                .collect()
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            let keyword = error.kind().keyword();
            let text = format!(
                "{} matches none of the {keyword} alternatives",
                show(error.instance())
            );
            let mut violation = at(&path, text);
            if let Some(first) = closest_branch(context)
                .and_then(|c| describe(c, prefix, contract, locator).into_iter().next())
            {
                violation
                    .message
                    .push_str(&format!("; closest: {}", first.message));
            }
            vec![violation]
        }
        ValidationErrorKind::Type { .. } if path.is_empty() => {
            let mut text = message(error);
            if let Some(hint) = serialized_json_hint(error.instance()) {
                text.push_str(hint);
            }
            vec![at(&path, text)]
        }
        _ => vec![at(&path, message(error))],
    }
}

/// An example written as a string holding JSON (`example: '{"id": 1}'`) for a JSON media type:
/// the value should be written as data.
fn serialized_json_hint(instance: &Value) -> Option<&'static str> {
    let text = instance.as_str()?.trim();
    let looks_like_json = (text.starts_with('{') && text.ends_with('}'))
        || (text.starts_with('[') && text.ends_with(']'));
    (looks_like_json && serde_json::from_str::<Value>(text).is_ok()).then_some(
        " (the example is JSON serialized into a string: write it as a value, not as a string)",
    )
}

/// The branch of a failed `oneOf`/`anyOf` that came nearest to matching: the fewest errors,
/// preferring the deepest (an error about a property means the branch's shape fitted).
fn closest_branch<'a>(
    context: &'a [Vec<ValidationError<'static>>],
) -> Option<&'a ValidationError<'static>> {
    context
        .iter()
        .filter(|errors| !errors.is_empty())
        .min_by_key(|errors| {
            let depth = errors
                .iter()
                .map(|e| e.instance_path().as_str().matches('/').count())
                .max()
                .unwrap_or(0);
            (errors.len(), usize::MAX - depth)
        })
        .and_then(|errors| errors.first())
}

fn message(error: &ValidationError<'_>) -> String {
    let instance = show(error.instance());
    match error.kind() {
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            format!("{instance} is not of type {expected}")
        }
        ValidationErrorKind::Required { property } => {
            format!("required property {property} is missing")
        }
        ValidationErrorKind::Enum { options } => {
            format!("{instance} is not one of {}", show_choices(options))
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("{instance} is not {}", show(expected_value))
        }
        ValidationErrorKind::Format { format } if format == "byte" => {
            format!("{instance} is not base64 (format: byte)")
        }
        ValidationErrorKind::Format { format } => format!("{instance} is not a valid {format}"),
        ValidationErrorKind::Pattern { pattern } => {
            format!("{instance} does not match the pattern `{pattern}`")
        }
        ValidationErrorKind::Not { .. } => {
            format!("{instance} matches a schema it must not match (not)")
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            format!("{instance} matches more than one oneOf alternative")
        }
        ValidationErrorKind::FalseSchema => {
            format!("{instance} is not allowed here (false schema)")
        }
        ValidationErrorKind::Custom { message, .. } => message.clone(),
        _ => {
            // The crate's wording, with the instance shortened.
            let full = error.to_string();
            let raw = error.instance().to_string();
            if raw.len() > 80 {
                full.replacen(&raw, &instance, 1)
            } else {
                full
            }
        }
    }
}

/// The values of an `enum`: all of them when short, else the first few and how many more.
fn show_choices(options: &Value) -> String {
    let Some(values) = options.as_array() else {
        return show(options);
    };
    let mut shown: Vec<String> = Vec::new();
    let mut length = 0;
    for value in values {
        let item = show(value);
        if !shown.is_empty() && length + item.len() > 100 {
            return format!(
                "[{}, … {} more]",
                shown.join(", "),
                values.len() - shown.len()
            );
        }
        length += item.len() + 2;
        shown.push(item);
    }
    format!("[{}]", shown.join(", "))
}

/// A value for a message: short values as JSON, long ones summarised.
fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 80 {
        return text;
    }
    match value {
        Value::Object(map) => format!("an object with {} properties", map.len()),
        Value::Array(items) => format!("an array of {} items", items.len()),
        Value::String(s) => {
            let head: String = s.chars().take(60).collect();
            format!("\"{head}…\"")
        }
        _ => text,
    }
}
