//! The Schema Object of each version. 3.0's is a fixed subset of JSON Schema draft 4 with its own
//! forms (`nullable`, boolean `exclusiveMinimum`, one `type` name, `example`): anything else is an
//! error. 3.1's is JSON Schema 2020-12 plus the OAS vocabulary, where an unknown keyword is legal
//! and ignored, so it is a warning (`unknown-keyword`) that names the typo or the 3.0 habit
//! (`nullable`) it probably is. Lints that need only the schema itself (enum values of the wrong
//! type, bounds that exclude every value) are checked here too.

use serde_json::{Map, Value};

use super::objects::{self, Kind, Slot};
use super::{Walker, hints};
use crate::catalogue::validate::{lint, structure};
use crate::model::Loc;
use crate::report::Level;
use crate::validate::suggest;

/// JSON Schema's type names (3.0 has all but `null`).
const TYPES: &[&str] = &[
    "array", "boolean", "integer", "number", "object", "string", "null",
];

impl<'d> Walker<'d> {
    /// A schema at the current position. `bool_ok` allows `true`/`false` in 3.0 (only
    /// `additionalProperties` takes them there).
    pub(super) fn schema(&mut self, value: &'d Value, bool_ok: bool) {
        let map = match value {
            Value::Object(map) => map,
            Value::Bool(_) if bool_ok || !self.is_30() => return,
            Value::Bool(b) => {
                let message = format!(
                    "a boolean schema (`{b}`) is OpenAPI 3.1's; in 3.0 write {}",
                    if *b {
                        "`{}` (any value)"
                    } else {
                        "`not: {}` (no value)"
                    }
                );
                self.report(structure::VERSION_MISMATCH.id, Level::Error, message);
                return;
            }
            other => {
                self.expected("a Schema Object", other);
                return;
            }
        };
        if self.is_30() && map.contains_key("$ref") {
            self.reference(Kind::Schema, value);
            return;
        }
        for (key, member) in map {
            if key.starts_with("x-") {
                continue;
            }
            match objects::field(Kind::Schema, key) {
                Some(field) if field.versions & self.bit != 0 => {
                    self.keyword(key, field.slot, member);
                }
                Some(_) if self.is_30() => {
                    let message = format!(
                        "`{key}` is a JSON Schema 2020-12 keyword of OpenAPI 3.1 schemas, not of 3.0's: {}",
                        hints::keyword_in_30(key)
                    );
                    self.report_key(key, structure::VERSION_MISMATCH.id, Level::Error, message);
                }
                Some(_) => {
                    // `nullable`, the only 3.0 keyword 3.1 dropped.
                    let message = "`nullable` is not a keyword in OpenAPI 3.1 (JSON Schema 2020-12): tools that follow 3.1 ignore it and reject `null` (oaskit accepts `null` here, as 3.0 did); write `type: [<type>, 'null']`, or `oneOf` with `{type: 'null'}`".to_string();
                    self.report_key(key, lint::UNKNOWN_KEYWORD.id, Level::Warning, message);
                }
                None => self.unknown_keyword(key),
            }
        }
        if self.is_30()
            && map.get("readOnly") == Some(&Value::Bool(true))
            && map.get("writeOnly") == Some(&Value::Bool(true))
        {
            let message =
                "a property cannot be both readOnly and writeOnly in OpenAPI 3.0".to_string();
            self.report_key(
                "writeOnly",
                structure::INVALID_VALUE.id,
                Level::Error,
                message,
            );
        }
        self.enum_types(map);
        self.ranges(map);
    }

    /// A keyword this version defines: its value.
    fn keyword(&mut self, key: &str, slot: Slot, value: &'d Value) {
        let len = self.enter(key);
        match key {
            "type" => self.schema_type(value),
            "exclusiveMinimum" | "exclusiveMaximum" => self.exclusive_bound(key, value),
            "items" => match value {
                Value::Array(_) => {
                    let message = if self.is_30() {
                        "`items` is one schema in OpenAPI 3.0, not a list (3.0 has no tuples)"
                    } else {
                        "`items` as a list is JSON Schema draft 2019-09 and older: OpenAPI 3.1 writes a tuple as `prefixItems`"
                    };
                    self.report(
                        structure::INVALID_VALUE.id,
                        Level::Error,
                        message.to_string(),
                    );
                }
                other => self.schema(other, false),
            },
            "required" => self.required_list(value),
            "enum" => match value {
                Value::Array(values) if values.is_empty() && self.is_30() => {
                    let message = "an `enum` must list at least one value".to_string();
                    self.report(structure::INVALID_VALUE.id, Level::Error, message);
                }
                Value::Array(_) => {}
                other => self.expected("an array of values", other),
            },
            "$ref" => match value.as_str() {
                Some(reference) => {
                    self.leave(len);
                    self.note_ref(Kind::Schema, "$ref", reference);
                    return;
                }
                None => self.expected("a reference string", value),
            },
            "discriminator" => match value {
                Value::String(name) => {
                    let message = format!(
                        "a discriminator is an object in OpenAPI 3 (Swagger 2 wrote the property name): write `discriminator: {{propertyName: {name}}}`"
                    );
                    self.report(structure::INVALID_VALUE.id, Level::Error, message);
                }
                other => self.object(Kind::Discriminator, other),
            },
            "examples" => match value {
                Value::Object(_) => {
                    let message = "a schema's `examples` is an array of values; the map of Example Objects belongs to a media type, parameter or header".to_string();
                    self.report(structure::INVALID_VALUE.id, Level::Error, message);
                }
                other => self.slot(slot, other),
            },
            "dependencies" => {
                if let Value::Object(members) = value {
                    for (name, dependency) in members {
                        if dependency.is_object() || dependency.is_boolean() {
                            let inner = self.enter(name);
                            self.schema(dependency, false);
                            self.leave(inner);
                        }
                    }
                } else {
                    self.expected("an object", value);
                }
            }
            _ => self.slot(slot, value),
        }
        self.leave(len);
    }

    /// A keyword this version does not define: an error in 3.0, a warning in 3.1 (where it is
    /// legal and ignored).
    fn unknown_keyword(&mut self, key: &str) {
        let known = objects::fields(Kind::Schema)
            .iter()
            .filter(|f| f.versions & self.bit != 0)
            .map(|f| f.name);
        let near = suggest::nearest(key, known);
        let hint = near
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        let advice = match key {
            "name" | "in" => "; parameter fields belong to the Parameter Object, not its schema",
            "content" => {
                "; `content` belongs to a parameter, request body or response, not to a schema"
            }
            "schema" => "; a schema is written directly here, without a `schema:` key",
            _ if near.is_none() => "; vendor extensions start with `x-`",
            _ => "",
        };
        if self.is_30() {
            let message = format!("`{key}` is not a keyword of OpenAPI 3.0 schemas{hint}{advice}");
            self.report_key(key, structure::UNKNOWN_FIELD.id, Level::Error, message);
        } else {
            let message = format!(
                "`{key}` is not a JSON Schema 2020-12 or OpenAPI keyword, so it is ignored{hint}{advice}"
            );
            self.report_key(key, lint::UNKNOWN_KEYWORD.id, Level::Warning, message);
        }
    }

    /// `type`: one name in 3.0; a name or a list of names in 3.1.
    fn schema_type(&mut self, value: &Value) {
        match value {
            Value::String(name) => self.type_name(name),
            Value::Array(names) if self.is_30() => {
                let written: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
                let others: Vec<&str> = written.iter().copied().filter(|n| *n != "null").collect();
                let advice = match (others.as_slice(), written.contains(&"null")) {
                    ([one], true) => format!("write `type: {one}` with `nullable: true`"),
                    ([one], false) => format!("write `type: {one}`"),
                    _ => "write one type, or `oneOf` with one schema per type".to_string(),
                };
                let message = format!(
                    "a list of types is OpenAPI 3.1's; in 3.0 `type` is one name: {advice}"
                );
                self.report(structure::VERSION_MISMATCH.id, Level::Error, message);
            }
            Value::Array(names) => {
                if names.is_empty() {
                    self.expected("a type name or a non-empty list of type names", value);
                }
                for (i, name) in names.iter().enumerate() {
                    let len = self.enter_index(i);
                    match name {
                        Value::String(n) => self.type_name(n),
                        other => self.expected("a type name", other),
                    }
                    self.leave(len);
                }
                let mut seen = Vec::new();
                for name in names.iter().filter_map(Value::as_str) {
                    if seen.contains(&name) {
                        let message = format!("type `{name}` is listed twice");
                        self.report(structure::INVALID_VALUE.id, Level::Error, message);
                    }
                    seen.push(name);
                }
            }
            other => self.expected("a type name", other),
        }
    }

    fn type_name(&mut self, name: &str) {
        let allowed = if self.is_30() { &TYPES[..6] } else { TYPES };
        if allowed.contains(&name) {
            return;
        }
        let message = match name {
            "null" => {
                "`type: 'null'` is OpenAPI 3.1's; in 3.0 write `nullable: true` beside the type"
                    .to_string()
            }
            "file" => format!(
                "`type: file` is Swagger 2: OpenAPI 3 writes {}",
                if self.is_30() {
                    "`type: string, format: binary`"
                } else {
                    "`type: string, contentMediaType: application/octet-stream` (or `format: binary`)"
                }
            ),
            _ => format!(
                "unknown type `{name}` (allowed: {}){}",
                allowed
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                suggest::did_you_mean(name, allowed.iter().copied())
            ),
        };
        let rule = if name == "null" {
            structure::VERSION_MISMATCH.id
        } else {
            structure::INVALID_VALUE.id
        };
        self.report(rule, Level::Error, message);
    }

    /// 3.0's boolean `exclusiveMinimum` modifies `minimum`; 3.1's is the bound itself.
    fn exclusive_bound(&mut self, key: &str, value: &Value) {
        let inclusive = if key == "exclusiveMinimum" {
            "minimum"
        } else {
            "maximum"
        };
        match (value, self.is_30()) {
            (Value::Bool(_), true) | (Value::Number(_), false) => {}
            (Value::Number(n), true) => {
                let message = format!(
                    "a numeric `{key}` is OpenAPI 3.1's; in 3.0 it is a boolean beside `{inclusive}`: write `{inclusive}: {n}` and `{key}: true`"
                );
                self.report(structure::VERSION_MISMATCH.id, Level::Error, message);
            }
            (Value::Bool(b), false) => {
                let message = format!(
                    "a boolean `{key}` is OpenAPI 3.0's; in 3.1 (JSON Schema 2020-12) it is the bound itself: {}",
                    if *b {
                        format!("replace `{inclusive}: N` and `{key}: true` with `{key}: N`")
                    } else {
                        format!("remove `{key}: false`")
                    }
                );
                self.report(structure::VERSION_MISMATCH.id, Level::Error, message);
            }
            (other, true) => self.expected("true or false", other),
            (other, false) => self.expected("a number", other),
        }
    }

    /// `required` of a schema: the names of the required properties.
    fn required_list(&mut self, value: &Value) {
        match value {
            Value::Bool(_) => {
                let message = "`required` of a schema is the list of the object's required property names: remove it here and add this property's name to its parent's `required` list (`required: true` is a parameter's field)".to_string();
                self.report(structure::INVALID_VALUE.id, Level::Error, message);
            }
            Value::Array(names) => {
                if names.is_empty() && self.is_30() {
                    let message = "`required` must list at least one name in OpenAPI 3.0: remove the empty list".to_string();
                    self.report(structure::INVALID_VALUE.id, Level::Error, message);
                }
                let mut seen = Vec::new();
                for (i, name) in names.iter().enumerate() {
                    match name.as_str() {
                        Some(n) if seen.contains(&n) => {
                            let len = self.enter_index(i);
                            let message = format!("`{n}` is listed twice in `required`");
                            self.report(structure::INVALID_VALUE.id, Level::Error, message);
                            self.leave(len);
                        }
                        Some(n) => seen.push(n),
                        None => {
                            let len = self.enter_index(i);
                            self.expected("a property name", name);
                            self.leave(len);
                        }
                    }
                }
            }
            other => self.expected("an array of property names", other),
        }
    }

    /// `enum` values that the schema's own `type` does not admit.
    fn enum_types(&mut self, map: &Map<String, Value>) {
        let (Some(Value::Array(values)), Some(ty)) = (map.get("enum"), map.get("type")) else {
            return;
        };
        let mut types: Vec<&str> = match ty {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        if !types.iter().all(|t| TYPES.contains(t)) {
            return; // an unknown type name is its own finding
        }
        if self.is_30() && map.get("nullable") == Some(&Value::Bool(true)) {
            types.push("null");
        }
        // One finding per enum, at its first stray value: `enum: [cat, dog]` under
        // `type: integer` is one mistake (most likely the type), not one per value.
        let mut stray: Vec<(usize, String)> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let admitted = match v {
                Value::Null => types.contains(&"null"),
                Value::Bool(_) => types.contains(&"boolean"),
                Value::Number(n) => {
                    types.contains(&"number")
                        || (types.contains(&"integer")
                            && (n.is_i64()
                                || n.is_u64()
                                || n.as_f64().is_some_and(|f| f.fract() == 0.0)))
                }
                Value::String(_) => types.contains(&"string"),
                Value::Array(_) => types.contains(&"array"),
                Value::Object(_) => types.contains(&"object"),
            };
            if !admitted {
                let shown = match v {
                    Value::String(s) => format!("\"{s}\""),
                    other => other.to_string(),
                };
                let shown: String = if shown.chars().count() > 60 {
                    shown.chars().take(57).chain("...".chars()).collect()
                } else {
                    shown
                };
                stray.push((i, shown));
            }
        }
        let Some((first, _)) = stray.first() else {
            return;
        };
        let type_names = types
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        let shown = stray
            .iter()
            .take(5)
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let more = if stray.len() > 5 {
            format!(" and {} more", stray.len() - 5)
        } else {
            String::new()
        };
        let message = if stray.len() == values.len() && values.len() > 1 {
            format!(
                "no enum value is of the schema's type {type_names} ({shown}{more}), so none can ever be valid: is `type` wrong?"
            )
        } else if stray.len() == 1 {
            format!(
                "enum value {shown} is not of the schema's type {type_names}, so it can never be valid"
            )
        } else {
            format!(
                "enum values {shown}{more} are not of the schema's type {type_names}, so they can never be valid"
            )
        };
        let pointer = format!("{}/enum/{first}", self.path);
        self.report_at(
            &pointer,
            lint::ENUM_TYPE_MISMATCH.id,
            Level::Warning,
            message,
        );
    }

    /// Remembers the current schema as one no value satisfies, so example validation does not
    /// repeat it at each example.
    fn note_unsatisfiable(&mut self) {
        self.unsatisfiable
            .insert(Loc::new(self.file, self.path.clone()));
    }

    /// Lower bounds above upper bounds: no value is valid.
    fn ranges(&mut self, map: &Map<String, Value>) {
        let number = |k: &str| map.get(k).and_then(Value::as_f64);
        // Numbers: 3.0 flags exclusivity with booleans, 3.1 writes exclusive bounds as numbers.
        let (mut low, mut low_key, mut low_excl) = (number("minimum"), "minimum", false);
        let (mut high, mut high_key, mut high_excl) = (number("maximum"), "maximum", false);
        if self.is_30() {
            low_excl = map.get("exclusiveMinimum") == Some(&Value::Bool(true));
            high_excl = map.get("exclusiveMaximum") == Some(&Value::Bool(true));
        } else {
            if let Some(x) = number("exclusiveMinimum")
                && low.is_none_or(|l| x >= l)
            {
                (low, low_key, low_excl) = (Some(x), "exclusiveMinimum", true);
            }
            if let Some(x) = number("exclusiveMaximum")
                && high.is_none_or(|h| x <= h)
            {
                (high, high_key, high_excl) = (Some(x), "exclusiveMaximum", true);
            }
        }
        if let (Some(l), Some(h)) = (low, high)
            && (l > h || (l == h && (low_excl || high_excl)))
        {
            let message = format!(
                "`{low_key}: {}` {} `{high_key}: {}`: no number is valid",
                trim_number(l),
                if l > h {
                    "is above"
                } else {
                    "excludes the only value of"
                },
                trim_number(h)
            );
            self.report_key(low_key, lint::IMPOSSIBLE_RANGE.id, Level::Warning, message);
            self.note_unsatisfiable();
        }
        for (min, max, what) in [
            ("minLength", "maxLength", "string"),
            ("minItems", "maxItems", "array"),
            ("minProperties", "maxProperties", "object"),
            ("minContains", "maxContains", "array"),
        ] {
            if let (Some(l), Some(h)) = (number(min), number(max))
                && l > h
            {
                let message = format!(
                    "`{min}: {}` is above `{max}: {}`: no {what} is valid",
                    trim_number(l),
                    trim_number(h)
                );
                self.report_key(min, lint::IMPOSSIBLE_RANGE.id, Level::Warning, message);
                self.note_unsatisfiable();
            }
        }
    }
}

fn trim_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}
