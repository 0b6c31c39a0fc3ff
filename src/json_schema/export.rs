//! The export: every model schema becomes one entry of `$defs` (`s12`) and edges between schemas
//! are `$ref`s, so cycles are ordinary; leaf schemas (no subschemas) are written inline, which
//! makes the documents several times cheaper to compile. Each exported schema carries its model
//! id, so an error's keyword location leads back to the model schema (see [`Locator`]).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use jsonschema::Draft;
use serde_json::{Map, Value, json};

use super::formats::NUMBER_FORMAT_KEYWORD;
use super::{ExportOptions, View};
use crate::model::{AdditionalProperties, Schema, SchemaId, TypeSpace};

const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Which rendering of a schema a `$ref` points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Variant {
    Full,
    /// A schema with a discriminator as the parent of one of its own subtypes (`Cat: allOf:
    /// [Pet]`): without the dispatch to subtypes, which would lead straight back to the subtype.
    Base,
}

/// The `$defs` key of a schema.
pub(super) fn def_name(id: SchemaId, variant: Variant) -> String {
    match variant {
        Variant::Full => format!("s{}", id.0),
        Variant::Base => format!("s{}-base", id.0),
    }
}

/// The annotation that carries a model schema's id in an exported document.
const ID_KEYWORD: &str = "x-oaskit-schema";

/// Finds the model schema an error comes from in an exported document.
#[derive(Debug, Clone)]
pub struct Locator {
    pub(super) document: Arc<Value>,
}

impl Locator {
    /// The model schema that a keyword location (`/$defs/s12/properties/size/type`) belongs
    /// to: the nearest enclosing exported schema.
    pub fn schema_at(&self, keyword_location: &str) -> Option<SchemaId> {
        let mut location = keyword_location;
        while let Some((parent, _)) = location.rsplit_once('/') {
            location = parent;
            let id = crate::load::pointer::get(&self.document, location)
                .and_then(|node| node.get(ID_KEYWORD))
                .and_then(Value::as_u64);
            if let Some(id) = id.and_then(|id| u32::try_from(id).ok()) {
                return Some(SchemaId(id));
            }
        }
        None
    }
}

/// A self-contained JSON Schema 2020-12 document for one schema in one view.
pub fn export_schema(types: &TypeSpace, id: SchemaId, view: View, options: ExportOptions) -> Value {
    let mut exporter = Exporter::new(types, view, options);
    exporter.queue(id, Variant::Full);
    let defs = exporter.run();
    json!({
        "$schema": DIALECT,
        "$ref": format!("#/$defs/{}", def_name(id, Variant::Full)),
        "$defs": defs,
    })
}

/// The `$defs` of every schema reachable from `roots`, as one document, for a consumer that
/// registers it under [`BASE_URI`](super::BASE_URI) itself (the generated Rust server's request bodies): each
/// root is `#/$defs/{definition_name(root)}`.
pub fn export_definitions(
    types: &TypeSpace,
    roots: &[SchemaId],
    view: View,
    options: ExportOptions,
) -> Value {
    let mut distinct: Vec<SchemaId> = roots.to_vec();
    distinct.sort();
    distinct.dedup();
    export_defs(types, &distinct, view, options)
}

/// The `$defs` key under which a schema is exported.
pub fn definition_name(id: SchemaId) -> String {
    def_name(id, Variant::Full)
}

/// The `$defs` of every schema reachable from `roots`, as one document.
pub(super) fn export_defs(
    types: &TypeSpace,
    roots: &[SchemaId],
    view: View,
    options: ExportOptions,
) -> Value {
    let mut exporter = Exporter::new(types, view, options);
    for id in roots {
        exporter.queue(*id, Variant::Full);
    }
    json!({ "$schema": DIALECT, "$defs": exporter.run() })
}

struct Exporter<'t> {
    types: &'t TypeSpace,
    view: View,
    options: ExportOptions,
    defs: Map<String, Value>,
    pending: Vec<(SchemaId, Variant)>,
    queued: HashSet<(SchemaId, Variant)>,
    /// Named schemas that list a schema in their `allOf`: the implicit subtypes of an
    /// `allOf`-style discriminator.
    subtypes: Option<HashMap<SchemaId, Vec<SchemaId>>>,
    /// Every schema that lists a schema in its `allOf`.
    parents: Option<HashMap<SchemaId, Vec<SchemaId>>>,
    patterns: HashMap<String, bool>,
}

impl<'t> Exporter<'t> {
    fn new(types: &'t TypeSpace, view: View, options: ExportOptions) -> Self {
        Exporter {
            types,
            view,
            options,
            defs: Map::new(),
            pending: Vec::new(),
            queued: HashSet::new(),
            subtypes: None,
            parents: None,
            patterns: HashMap::new(),
        }
    }

    fn queue(&mut self, id: SchemaId, variant: Variant) {
        if self.queued.insert((id, variant)) {
            self.pending.push((id, variant));
        }
    }

    fn run(mut self) -> Map<String, Value> {
        while let Some((id, variant)) = self.pending.pop() {
            let def = self.def(id, variant);
            self.defs.insert(def_name(id, variant), def);
        }
        self.defs
    }

    fn reference(&mut self, id: SchemaId, variant: Variant) -> Value {
        if variant == Variant::Full && self.types.children(id).is_empty() {
            // A leaf: inline, it cannot start a cycle and a `$ref` costs more than its content.
            return self.def(id, variant);
        }
        self.queue(id, variant);
        json!({ "$ref": format!("#/$defs/{}", def_name(id, variant)) })
    }

    /// A reference from `from`'s `allOf` to `member`: the base rendering when `from` is one of
    /// the subtypes `member`'s discriminator dispatches to.
    fn all_of_reference(&mut self, from: SchemaId, member: SchemaId) -> Value {
        let is_subtype = self.types.get(member).rare().discriminator.is_some()
            && self
                .dispatch_targets(member)
                .iter()
                .any(|(_, target)| *target == from);
        self.reference(
            member,
            if is_subtype {
                Variant::Base
            } else {
                Variant::Full
            },
        )
    }

    fn def(&mut self, id: SchemaId, variant: Variant) -> Value {
        let types = self.types;
        let s = types.get(id);
        if s.unresolved {
            return Value::Bool(true);
        }
        let dispatching = variant == Variant::Full && s.rare().discriminator.is_some();
        let mut out = Map::new();
        let guard_null = s.nullable
            && null_hostile(s, dispatching)
            && (dispatching || !self.options.type_array_nulls.contains(&id));
        match &s.types {
            Some(names) if !names.is_empty() || s.nullable => {
                let mut list: Vec<Value> = names.iter().map(|t| Value::from(t.as_str())).collect();
                if s.nullable && !guard_null {
                    list.push(Value::from("null"));
                }
                let value = if list.len() == 1 {
                    list.remove(0)
                } else {
                    Value::Array(list)
                };
                out.insert("type".into(), value);
            }
            // `type: []` comes only from unknown type names (`type: file`), already reported.
            _ => {}
        }
        if let Some(format) = s
            .format
            .as_deref()
            .filter(|_| self.options.format_assertions)
        {
            let key = match format {
                "int32" | "int64" | "float" => NUMBER_FORMAT_KEYWORD,
                _ => "format",
            };
            out.insert(key.into(), Value::from(format));
        }
        if let Some(values) = &s.enum_values {
            out.insert("enum".into(), Value::Array(values.clone()));
        }
        if let Some(value) = &s.rare().const_value {
            out.insert("const".into(), value.clone());
        }
        // `multipleOf` must be positive: a schema error (not the example's) otherwise.
        let multiple_of = s
            .rare()
            .multiple_of
            .as_ref()
            .filter(|n| n.as_f64().is_some_and(|f| f > 0.0))
            .cloned();
        let numbers = [
            ("multipleOf", &multiple_of),
            ("maximum", &s.maximum),
            ("exclusiveMaximum", &s.rare().exclusive_maximum),
            ("minimum", &s.minimum),
            ("exclusiveMinimum", &s.rare().exclusive_minimum),
        ];
        for (key, number) in numbers {
            if let Some(n) = number {
                out.insert(key.into(), Value::Number(n.clone()));
            }
        }
        let counts = [
            ("maxLength", s.max_length),
            ("minLength", s.min_length),
            ("maxItems", s.max_items),
            ("minItems", s.min_items),
            ("maxProperties", s.rare().max_properties),
            ("minProperties", s.rare().min_properties),
        ];
        for (key, count) in counts {
            if let Some(n) = count {
                out.insert(key.into(), Value::from(n));
            }
        }
        if let Some(pattern) = &s.pattern
            && self.pattern_supported(pattern)
        {
            out.insert("pattern".into(), Value::from(pattern.as_str()));
        }
        if s.unique_items {
            out.insert("uniqueItems".into(), Value::Bool(true));
        }
        if let Some(items) = s.items {
            out.insert("items".into(), self.reference(items, Variant::Full));
        }
        if !s.prefix_items.is_empty() {
            let refs = s
                .prefix_items
                .iter()
                .map(|p| self.reference(*p, Variant::Full))
                .collect();
            out.insert("prefixItems".into(), Value::Array(refs));
        }
        if let Some(contains) = s.contains {
            out.insert("contains".into(), self.reference(contains, Variant::Full));
        }
        if !s.properties.is_empty() {
            let mut props = Map::new();
            for (name, prop) in &s.properties {
                props.insert(name.clone(), self.reference(*prop, Variant::Full));
            }
            out.insert("properties".into(), Value::Object(props));
        }
        let mut required: Vec<Value> = Vec::new();
        for name in &s.required {
            if !self.required_excused(id, name) {
                required.push(Value::from(name.as_str()));
            }
        }
        if !required.is_empty() {
            out.insert("required".into(), Value::Array(required));
        }
        for (key, additional) in [
            ("additionalProperties", s.additional_properties),
            ("unevaluatedProperties", s.rare().unevaluated_properties),
        ] {
            match additional {
                Some(AdditionalProperties::Forbidden) => {
                    out.insert(key.into(), Value::Bool(false));
                }
                Some(AdditionalProperties::Schema(x)) => {
                    let r = self.reference(x, Variant::Full);
                    out.insert(key.into(), r);
                }
                Some(AdditionalProperties::Any) | None => {}
            }
        }
        if !s.rare().pattern_properties.is_empty() {
            let mut props = Map::new();
            for (pattern, prop) in &s.rare().pattern_properties {
                if self.pattern_supported(pattern) {
                    props.insert(pattern.clone(), self.reference(*prop, Variant::Full));
                }
            }
            out.insert("patternProperties".into(), Value::Object(props));
        }
        if let Some(names) = s.property_names {
            out.insert("propertyNames".into(), self.reference(names, Variant::Full));
        }
        if !s.rare().dependent_required.is_empty() {
            let map = s
                .rare()
                .dependent_required
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            out.insert("dependentRequired".into(), Value::Object(map));
        }
        let mut all_of: Vec<Value> = s
            .all_of
            .iter()
            .map(|m| self.all_of_reference(id, *m))
            .collect();
        if dispatching {
            all_of.extend(self.dispatch(id));
        } else if variant == Variant::Full {
            // A base rendering drops the oneOf/anyOf of its discriminator: its subtypes include it.
            for (key, branches) in [("oneOf", &s.one_of), ("anyOf", &s.any_of)] {
                if !branches.is_empty() {
                    let refs = branches
                        .iter()
                        .map(|b| self.reference(*b, Variant::Full))
                        .collect();
                    out.insert(key.into(), Value::Array(refs));
                }
            }
        }
        if !all_of.is_empty() {
            out.insert("allOf".into(), Value::Array(all_of));
        }
        if let Some(not) = s.not {
            out.insert("not".into(), self.reference(not, Variant::Full));
        }
        if let Some((condition, then, otherwise)) = s.rare().if_then_else {
            out.insert("if".into(), self.reference(condition, Variant::Full));
            if let Some(t) = then {
                out.insert("then".into(), self.reference(t, Variant::Full));
            }
            if let Some(e) = otherwise {
                out.insert("else".into(), self.reference(e, Variant::Full));
            }
        }
        if guard_null {
            // Ruling 1: `nullable` accepts null whatever else the schema says (`allOf: [$ref]`,
            // `enum` without null); other values meet the schema, with errors about it.
            out = Map::from_iter([
                ("if".to_string(), json!({ "type": "null" })),
                ("else".to_string(), Value::Object(out)),
            ]);
        }
        out.insert(ID_KEYWORD.into(), Value::from(id.0));
        Value::Object(out)
    }

    /// Whether `name` in `id`'s `required` is excused in this view because the property is
    /// readOnly/writeOnly. The property may be declared elsewhere in the same `allOf` family:
    /// below (`required` beside `allOf: [Base]`) or beside it (`allOf: [Base, {required: [id]}]`).
    fn required_excused(&mut self, id: SchemaId, name: &str) -> bool {
        let types = self.types;
        let mut seen = HashSet::new();
        let mut stack = vec![id];
        let mut parents_left = 16;
        let mut climbing = vec![id];
        loop {
            while let Some(next) = stack.pop() {
                if seen.len() > 512 || !seen.insert(next) {
                    continue;
                }
                let s = types.get(next);
                if let Some(prop) = s.properties.get(name) {
                    return self.view.excuses(types, *prop);
                }
                stack.extend(s.all_of.iter().rev().copied());
            }
            // Not below: look from the schemas that include this one in their `allOf`.
            let parents: Vec<SchemaId> = climbing
                .iter()
                .flat_map(|c| self.all_of_parents().get(c).cloned().unwrap_or_default())
                .collect();
            parents_left -= 1;
            if parents.is_empty() || parents_left == 0 {
                return false;
            }
            stack.extend(parents.iter().copied());
            climbing = parents;
        }
    }

    fn all_of_parents(&mut self) -> &HashMap<SchemaId, Vec<SchemaId>> {
        let types = self.types;
        self.parents.get_or_insert_with(|| {
            let mut map: HashMap<SchemaId, Vec<SchemaId>> = HashMap::new();
            for (id, schema) in types.iter() {
                for member in &schema.all_of {
                    map.entry(*member).or_default().push(id);
                }
            }
            map
        })
    }

    /// Discriminator value → schema: the mapping, plus implicit names (the names of `oneOf` /
    /// `anyOf` branches, or for an `allOf`-style base the named schemas that extend it).
    fn dispatch_targets(&mut self, id: SchemaId) -> Vec<(String, SchemaId)> {
        let types = self.types;
        let s = types.get(id);
        let Some(discriminator) = &s.rare().discriminator else {
            return Vec::new();
        };
        let mut out: Vec<(String, SchemaId)> = discriminator
            .mapping
            .iter()
            .map(|(value, target)| (value.clone(), *target))
            .collect();
        let implicit: Vec<SchemaId> = if s.one_of.is_empty() && s.any_of.is_empty() {
            self.subtypes().get(&id).cloned().unwrap_or_default()
        } else {
            s.one_of.iter().chain(&s.any_of).copied().collect()
        };
        for target in implicit {
            let Some(name) = &types.get(target).name else {
                continue;
            };
            if !out.iter().any(|(value, t)| value == name || *t == target) {
                out.push((name.clone(), target));
            }
        }
        out.retain(|(_, target)| *target != id);
        out
    }

    fn subtypes(&mut self) -> &HashMap<SchemaId, Vec<SchemaId>> {
        let types = self.types;
        self.subtypes.get_or_insert_with(|| {
            let mut map: HashMap<SchemaId, Vec<SchemaId>> = HashMap::new();
            for id in types.named().values() {
                for parent in &types.get(*id).all_of {
                    map.entry(*parent).or_default().push(*id);
                }
            }
            map
        })
    }

    /// Ruling 6: the discriminator picks the schema to validate against, so errors are about
    /// that branch. An unknown or missing value falls back to the `oneOf`/`anyOf` itself.
    fn dispatch(&mut self, id: SchemaId) -> Vec<Value> {
        let types = self.types;
        let s = types.get(id);
        let Some(discriminator) = &s.rare().discriminator else {
            return Vec::new();
        };
        let property = discriminator.property_name.clone();
        let targets = self.dispatch_targets(id);
        let mut parts = Vec::new();
        for (value, target) in &targets {
            let then = self.reference(*target, Variant::Full);
            parts.push(json!({
                "if": { "type": "object", "required": [property], "properties": { &property: { "const": value } } },
                "then": then,
            }));
        }
        for (key, branches) in [("oneOf", &s.one_of), ("anyOf", &s.any_of)] {
            if branches.is_empty() {
                continue;
            }
            let refs: Vec<Value> = branches
                .iter()
                .map(|b| self.reference(*b, Variant::Full))
                .collect();
            let values: Vec<&String> = targets.iter().map(|(v, _)| v).collect();
            parts.push(json!({
                "if": { "type": "object", "required": [property], "properties": { &property: { "enum": values } } },
                "else": { key: refs },
            }));
        }
        parts
    }

    /// Ruling 6: an invalid `pattern` is one structural finding, not an error per example; a
    /// pattern whose meaning differs between ECMA-262 and the regex engine of `jsonschema`
    /// (see [`non_ecma_anchor`]), or that the engine cannot compile, is skipped the same way.
    fn pattern_supported(&mut self, pattern: &str) -> bool {
        *self.patterns.entry(pattern.to_string()).or_insert_with(|| {
            regress::Regex::new(pattern).is_ok()
                && non_ecma_anchor(pattern).is_none()
                && jsonschema::options()
                    .with_draft(Draft::Draft202012)
                    .build(&json!({ "pattern": pattern }))
                    .is_ok()
        })
    }
}

/// A PCRE/Ruby anchor in a pattern (`\A`, `\Z`, `\z`): ECMA-262 reads it as the letter, the Rust
/// engine of `jsonschema` as an anchor, so neither verdict on an example would be trustworthy.
pub fn non_ecma_anchor(pattern: &str) -> Option<&'static str> {
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            match c {
                'A' => return Some("\\A"),
                'Z' => return Some("\\Z"),
                'z' => return Some("\\z"),
                _ => {}
            }
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        }
    }
    None
}

/// Keywords that would reject `null` although the schema is `nullable`.
fn null_hostile(s: &Schema, dispatching: bool) -> bool {
    s.enum_values
        .as_ref()
        .is_some_and(|values| !values.contains(&Value::Null))
        || s.rare().const_value.as_ref().is_some_and(|v| !v.is_null())
        || !s.all_of.is_empty()
        || !s.one_of.is_empty()
        || !s.any_of.is_empty()
        || s.not.is_some()
        || s.rare().if_then_else.is_some()
        || dispatching
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_locations_lead_back_to_model_schemas() {
        let document = json!({ "$defs": {
            "s12": { "x-oaskit-schema": 12, "properties": {
                "size": { "x-oaskit-schema": 13, "if": { "type": "null" }, "else": { "type": "integer" } }
            } },
            "s7-base": { "x-oaskit-schema": 7, "allOf": [{ "then": { "required": ["a"] } }] }
        } });
        let locator = Locator {
            document: Arc::new(document),
        };
        assert_eq!(
            locator.schema_at("/$defs/s12/properties/size/else/type"),
            Some(SchemaId(13))
        );
        assert_eq!(locator.schema_at("/$defs/s12/required"), Some(SchemaId(12)));
        assert_eq!(
            locator.schema_at("/$defs/s7-base/allOf/0/then/required"),
            Some(SchemaId(7))
        );
        assert_eq!(locator.schema_at("/properties/x"), None);
    }

    #[test]
    fn pcre_anchors_are_recognised() {
        assert_eq!(non_ecma_anchor(r"\A[a-z]+\Z"), Some(r"\A"));
        assert_eq!(non_ecma_anchor(r"^x\z"), Some(r"\z"));
        assert_eq!(
            non_ecma_anchor(r"^\\A$"),
            None,
            "an escaped backslash, then the letter"
        );
        assert_eq!(non_ecma_anchor(r"^[A-Z]$"), None);
    }
}
