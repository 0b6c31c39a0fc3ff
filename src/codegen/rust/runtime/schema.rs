//! JSON request bodies validated against the spec's own schemas, with the `jsonschema` crate:
//! the generated types and checks stop at serde's first error, and some 2020-12 keywords
//! (`if`/`then`/`else`, `dependentRequired`, `contains`, `unevaluatedProperties`, ...) have no Rust
//! type. The generator embeds the request-body schemas as one JSON Schema document
//! (`src/request_schemas.json`); each validator is compiled on first use, so a server pays for it
//! only when a body is refused by serde, or on every request for the operations whose schemas
//! say what types cannot. Such schemas of parameters and form bodies are in the document too:
//! their decoded values are validated as JSON (`check_typed`, `FormObject`).

use serde_json::Value;

use super::{At, Errors};

/// What a schema says of a value.
pub(crate) enum Verdict {
    Valid,
    /// The errors, at least one of them precise.
    Invalid(Errors),
    /// Only unions none of whose branches came close (an unknown discriminator value, say): a
    /// deserializer's message, which knows the tag, says it better.
    Vague(Errors),
}

/// The schema of a JSON body whose media type has none: any JSON value.
pub static ANY_JSON: BodySchema = BodySchema {
    document: None,
    definition: "",
    always: false,
    validator: std::sync::OnceLock::new(),
};

/// The `$defs` document of the request-body schemas, parsed and registered on first use.
pub struct SchemaDocument {
    text: &'static str,
    registry: std::sync::OnceLock<Option<jsonschema::Registry<'static>>>,
}

impl SchemaDocument {
    pub const fn new(text: &'static str) -> SchemaDocument {
        SchemaDocument {
            text,
            registry: std::sync::OnceLock::new(),
        }
    }
}

/// The schema of one operation's JSON request body (or of a parameter, or a form body): an
/// entry of a [`SchemaDocument`].
pub struct BodySchema {
    document: Option<&'static SchemaDocument>,
    definition: &'static str,
    always: bool,
    validator: std::sync::OnceLock<Option<jsonschema::Validator>>,
}

impl BodySchema {
    /// The schema `#/$defs/{definition}` of `document`; `always` when the generated types and
    /// checks do not say everything it says, so that every body is validated against it.
    pub const fn new(
        document: &'static SchemaDocument,
        definition: &'static str,
        always: bool,
    ) -> BodySchema {
        BodySchema {
            document: Some(document),
            definition,
            always,
            validator: std::sync::OnceLock::new(),
        }
    }

    /// Whether every body is validated against the schema (not only refused ones).
    pub fn always(&self) -> bool {
        self.always
    }

    /// Records every way `value` fails the schema; `false` when it passes, or when the schema
    /// is not available (the document did not compile).
    pub fn check(&self, value: &Value, at: &At, errors: &mut Errors) -> bool {
        match self.verdict(value, at) {
            Verdict::Valid => false,
            Verdict::Invalid(found) | Verdict::Vague(found) => {
                errors.append(found);
                true
            }
        }
    }

    /// Records every way a decoded value (a parameter, a form field) fails the schema, read as
    /// the JSON it serializes to; `false` when it passes.
    pub fn check_typed<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
        at: &At,
        errors: &mut Errors,
    ) -> bool {
        // Generated types always serialize (their maps have string keys).
        serde_json::to_value(value).is_ok_and(|value| self.check(&value, at, errors))
    }

    /// Records every way a form body, as a JSON object, fails the schema, except where its
    /// fields were already refused.
    pub(crate) fn check_form(&self, object: Value, errors: &mut Errors) {
        let mut found = Errors::new();
        self.check(&object, &At::body(), &mut found);
        errors.append_unreported(found);
    }

    /// What the schema says of `value` (`Valid` when it is not available).
    pub(crate) fn verdict(&self, value: &Value, at: &At) -> Verdict {
        if let Some(validator) = self.validator() {
            // The validator's order follows the schema's keywords; the report's follows the
            // value (properties by name, as `Value` keeps them, items by index).
            let mut found = Errors::new();
            let mut precise = false;
            for error in validator.iter_errors(value) {
                precise |= report(&error, at, &mut found);
            }
            found.sort_by_pointer();
            return match (found.is_empty(), precise) {
                (true, _) => Verdict::Valid,
                (false, true) => Verdict::Invalid(found),
                (false, false) => Verdict::Vague(found),
            };
        }
        Verdict::Valid
    }

    fn validator(&self) -> Option<&jsonschema::Validator> {
        self.validator
            .get_or_init(|| {
                let registry = self.document?.registry()?;
                let reference = format!("{BASE_URI}#/$defs/{}", self.definition);
                options()
                    .with_registry(registry)
                    .build(&serde_json::json!({ "$ref": reference }))
                    .ok()
            })
            .as_ref()
    }
}

/// The URI the generator's document is registered under (its `$ref`s are relative to it).
const BASE_URI: &str = "https://oaskit.invalid/schemas.json";

impl SchemaDocument {
    fn registry(&self) -> Option<&jsonschema::Registry<'static>> {
        self.registry
            .get_or_init(|| {
                let document: Value = serde_json::from_str(self.text).ok()?;
                jsonschema::Registry::new()
                    .draft(jsonschema::Draft::Draft202012)
                    .add(BASE_URI, document)
                    .and_then(|builder| builder.prepare())
                    .ok()
            })
            .as_ref()
    }
}

/// JSON Schema 2020-12 with OpenAPI's formats asserted as the generated checks assert them.
/// Patterns run on `fancy-regex`, which hands those without backreferences or lookaround to the
/// linear-time `regex` engine and bounds the backtracking of the others (a pattern over the
/// bound is an error at the value, never a hang); the generated checks run every pattern too.
fn options() -> jsonschema::ValidationOptions<'static> {
    use super::Format;
    let mut options = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_pattern_options(jsonschema::PatternOptions::fancy_regex().backtrack_limit(100_000))
        .should_validate_formats(true)
        .with_keyword(NUMBER_FORMAT_KEYWORD, |_parent, value, _path| {
            match value.as_str().and_then(NumberFormat::from_name) {
                Some(format) => Ok(Box::new(format) as Box<dyn for<'i> jsonschema::Keyword<'i>>),
                None => Err(jsonschema::ValidationError::schema(
                    "unknown numeric format",
                )),
            }
        });
    for format in [
        Format::DateTime,
        Format::Date,
        Format::Time,
        Format::Duration,
        Format::Uuid,
        Format::Email,
        Format::Hostname,
        Format::Ipv4,
        Format::Ipv6,
        Format::Uri,
        Format::UriReference,
        Format::Byte,
    ] {
        options = options.with_format(format.name(), move |text: &str| format.accepts(text));
    }
    options
}

/// The keyword the generator writes for `int32`, `int64` and `float` (JSON Schema's `format`
/// asserts on strings only).
const NUMBER_FORMAT_KEYWORD: &str = "x-oaskit-number-format";

#[derive(Debug, Clone, Copy)]
struct NumberFormat(&'static str, f64, f64);

impl NumberFormat {
    fn from_name(name: &str) -> Option<NumberFormat> {
        Some(match name {
            "int32" => NumberFormat("int32", f64::from(i32::MIN), f64::from(i32::MAX)),
            // 2^63 is the first float outside the range.
            "int64" => NumberFormat("int64", -9.223_372_036_854_776e18, 9.223_372_036_854_775e18),
            "float" => NumberFormat("float", f64::from(f32::MIN), f64::from(f32::MAX)),
            _ => return None,
        })
    }
}

impl<'i> jsonschema::Keyword<'i> for NumberFormat {
    fn validate(&self, instance: &'i Value) -> Result<(), jsonschema::ValidationError<'i>> {
        if self.is_valid(instance) {
            Ok(())
        } else {
            Err(jsonschema::ValidationError::custom(format!(
                "must be within the {} range",
                self.0
            )))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        let Value::Number(n) = instance else {
            return true;
        };
        match (self.0, n.as_i64(), n.as_u64()) {
            ("int32", Some(i), _) => i32::try_from(i).is_ok(),
            ("int64", Some(_), _) => true,
            ("int32" | "int64", None, Some(_)) => false,
            _ => n.as_f64().is_some_and(|f| f >= self.1 && f <= self.2),
        }
    }
}

/// One schema error as the server's errors are: a JSON pointer to the value, the message without
/// the value (hostile text is not echoed). A missing property is reported at the property, each
/// undeclared property at itself, and a union none of whose branches matches by the errors of
/// the branch that came closest, so that a pointer leads inside the union.
/// `false` when the only thing said is that a union matched none of its branches, none of which
/// came closer than the union's own value.
fn report(error: &jsonschema::ValidationError<'_>, at: &At, errors: &mut Errors) -> bool {
    use jsonschema::error::ValidationErrorKind as Kind;
    let path = error.instance_path().as_str();
    let place = at.pointer(path);
    match error.kind() {
        Kind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            errors.push(&place.child(name), "is required");
        }
        Kind::AdditionalProperties { unexpected } | Kind::UnevaluatedProperties { unexpected } => {
            for name in unexpected {
                errors.push(&place.child(name), "is not a property the schema allows");
            }
        }
        Kind::OneOfNotValid { context } | Kind::AnyOf { context } => {
            let own_depth = path.matches('/').count();
            let closest = context
                .iter()
                .filter(|branch| !branch.is_empty())
                .min_by_key(|branch| closeness(branch))
                .filter(|branch| closeness(branch).0.0 > own_depth);
            match closest {
                Some(branch) => {
                    let mut precise = false;
                    for error in branch {
                        precise |= report(error, at, errors);
                    }
                    return precise;
                }
                None => {
                    errors.push(&place, "matches none of the schemas it may be");
                    return false;
                }
            }
        }
        Kind::Custom { message, .. } => errors.push(&place, message),
        kind => match message(kind) {
            Some(message) => errors.push(&place, message),
            None => errors.push(&place, error.masked()),
        },
    }
    true
}

/// The runtime's own wording (as the generated checks and serde word them) for the common
/// keywords; `None` for the others, which keep `jsonschema`'s (with the value masked).
fn message(kind: &jsonschema::error::ValidationErrorKind) -> Option<String> {
    use jsonschema::error::{TypeKind, ValidationErrorKind as Kind};
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    Some(match kind {
        Kind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            format!("invalid type: expected {expected}")
        }
        Kind::Enum { options } => {
            let list = options
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| {
                    format!(
                        "`{}`",
                        v.as_str().map_or_else(|| v.to_string(), str::to_string)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("must be one of {list}")
        }
        Kind::Constant { expected_value } => format!("must be `{expected_value}`"),
        Kind::Format { format } => format!("must be a valid {format}"),
        Kind::Pattern { pattern } => format!("must match the pattern `{pattern}`"),
        Kind::MinLength { limit } => {
            format!(
                "must be at least {} long",
                plural(*limit, "character", "characters")
            )
        }
        Kind::MaxLength { limit } => {
            format!(
                "must be at most {} long",
                plural(*limit, "character", "characters")
            )
        }
        Kind::Minimum { limit } => format!("must be at least {limit}"),
        Kind::Maximum { limit } => format!("must be at most {limit}"),
        Kind::ExclusiveMinimum { limit } => format!("must be greater than {limit}"),
        Kind::ExclusiveMaximum { limit } => format!("must be less than {limit}"),
        Kind::MultipleOf { multiple_of } => format!("must be a multiple of {multiple_of}"),
        Kind::MinItems { limit } => {
            format!("must have at least {}", plural(*limit, "item", "items"))
        }
        Kind::MaxItems { limit } => {
            format!("must have at most {}", plural(*limit, "item", "items"))
        }
        Kind::MinProperties { limit } => {
            format!(
                "must have at least {}",
                plural(*limit, "property", "properties")
            )
        }
        Kind::MaxProperties { limit } => {
            format!(
                "must have at most {}",
                plural(*limit, "property", "properties")
            )
        }
        Kind::UniqueItems => "must not contain duplicate items".to_string(),
        Kind::Contains => "must contain an item the schema's `contains` allows".to_string(),
        Kind::FalseSchema => "is not allowed here".to_string(),
        _ => return None,
    })
}

/// How close a branch came: the depth of its shallowest error (a branch refused for its own
/// type or discriminator came less close than one that failed inside), then how few errors.
fn closeness(branch: &[jsonschema::ValidationError<'_>]) -> (std::cmp::Reverse<usize>, usize) {
    let shallowest = branch
        .iter()
        .map(|e| e.instance_path().as_str().matches('/').count())
        .min()
        .unwrap_or(0);
    (std::cmp::Reverse(shallowest), branch.len())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    static DOCUMENT: SchemaDocument = SchemaDocument::new(
        r##"{"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": {
        "s1": {"type": "object", "required": ["name", "age"], "additionalProperties": false,
               "properties": {"name": {"type": "string", "minLength": 1},
                              "age": {"type": "integer", "x-oaskit-number-format": "int32"},
                              "id": {"type": "string", "format": "uuid"},
                              "target": {"$ref": "#/$defs/s2"}}},
        "s2": {"oneOf": [{"type": "object", "required": ["url"], "properties": {"url": {"type": "string", "format": "uri"}}},
                         {"type": "object", "required": ["email"], "properties": {"email": {"type": "string", "format": "email"}}}]},
        "s3": {"type": "object", "properties": {"kind": {"type": "string"}, "tags": {"type": "array"}},
               "if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]}, "then": {"required": ["tags"]},
               "dependentRequired": {"tags": ["kind"]}, "unevaluatedProperties": false}
    }}"##,
    );
    static PERSON: BodySchema = BodySchema::new(&DOCUMENT, "s1", false);
    static RULES: BodySchema = BodySchema::new(&DOCUMENT, "s3", true);

    fn pointers(schema: &BodySchema, value: Value) -> Vec<String> {
        let mut errors = Errors::new();
        schema.check(&value, &At::body(), &mut errors);
        errors.pointers()
    }

    #[test]
    fn every_error_has_a_pointer() {
        assert!(pointers(&PERSON, json!({"name": "Ann", "age": 7})).is_empty());
        assert_eq!(
            pointers(
                &PERSON,
                json!({"name": "", "age": 3_000_000_000_i64, "id": "x", "extra": 1})
            ),
            ["/age", "/extra", "/id", "/name"]
        );
        assert_eq!(pointers(&PERSON, json!({"age": "7"})), ["/age", "/name"]);
    }

    #[test]
    fn errors_inside_a_union_point_inside_it() {
        let person = json!({"name": "Ann", "age": 7, "target": {"url": "not a uri"}});
        assert_eq!(pointers(&PERSON, person), ["/target/url"]);
    }

    #[test]
    fn keywords_without_a_rust_type_are_checked() {
        assert!(RULES.always());
        assert!(pointers(&RULES, json!({"kind": "a", "tags": []})).is_empty());
        assert_eq!(pointers(&RULES, json!({"kind": "a"})), ["/tags"]);
        assert_eq!(pointers(&RULES, json!({"tags": []})), ["/kind"]);
        assert_eq!(pointers(&RULES, json!({"kind": "b", "x": 1})), ["/x"]);
    }
}
