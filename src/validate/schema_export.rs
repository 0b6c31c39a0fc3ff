//! Model schemas as JSON Schema 2020-12 documents for the `jsonschema` crate, seen from one side
//! of an exchange. Example validation and the live probe both validate through this module, so
//! the DESIGN rulings (nullable, discriminator, additionalProperties, invalid patterns, formats)
//! are applied in one place.
//!
//! Every model schema becomes one entry of `$defs` (`s12`) and edges between schemas are `$ref`s,
//! so cycles are ordinary; leaf schemas (no subschemas) are written inline, which makes the
//! documents several times cheaper to compile. Each exported schema carries its model id, so an
//! error's keyword location leads back to the model schema (see [`Locator`]).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use jsonschema::{Draft, Keyword, Registry, ValidationError, Validator};
use serde_json::{Map, Value, json};

use crate::model::{
    AdditionalProperties, Contract, Direction, Schema, SchemaId, SpecVersion, TypeSpace,
};

/// The URI under which the `$defs` document of a view is registered.
pub const BASE_URI: &str = "https://oaskit.invalid/schemas.json";
const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";
/// Range checks for OpenAPI's numeric formats (`format` only asserts on strings in JSON Schema).
const NUMBER_FORMAT_KEYWORD: &str = "x-oaskit-number-format";

/// The side of an exchange a schema is validated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum View {
    /// readOnly properties are not required (and, if present, reported by
    /// [`misdirected_properties`]).
    Request,
    /// writeOnly properties are not required.
    Response,
    /// Neither readOnly nor writeOnly properties are required: a component seen in both
    /// directions, or in none.
    Both,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::Request => "request",
            View::Response => "response",
            View::Both => "both directions",
        }
    }

    /// The direction whose misdirected properties are worth a warning.
    pub fn direction(self) -> Option<Direction> {
        match self {
            View::Request => Some(Direction::Request),
            View::Response => Some(Direction::Response),
            View::Both => None,
        }
    }

    /// Whether a property stops being required in this view.
    fn excuses(self, types: &TypeSpace, property: SchemaId) -> bool {
        let hidden = |d| !types.property_visible(property, d);
        match self {
            View::Request => hidden(Direction::Request),
            View::Response => hidden(Direction::Response),
            View::Both => hidden(Direction::Request) || hidden(Direction::Response),
        }
    }
}

impl From<Direction> for View {
    fn from(direction: Direction) -> View {
        match direction {
            Direction::Request => View::Request,
            Direction::Response => View::Response,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// Assert `format` (date-time, uuid, email, int32 ranges, byte = base64, ...). Off: formats
    /// are annotations.
    pub format_assertions: bool,
    /// Schemas whose null comes from their own 3.1 `type` array: JSON Schema applies to them in
    /// full, so an `enum` or `const` beside `type: [string, "null"]` that lacks null rejects it
    /// (ruling 1, which accepts null whatever else the schema says, is about 3.0's `nullable`).
    /// See [`type_array_nulls`].
    pub type_array_nulls: Arc<HashSet<SchemaId>>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format_assertions: true,
            type_array_nulls: Arc::default(),
        }
    }
}

impl ExportOptions {
    /// The options for validating against `contract`'s schemas.
    pub fn for_contract(contract: &Contract, format_assertions: bool) -> Self {
        ExportOptions {
            format_assertions,
            type_array_nulls: Arc::new(type_array_nulls(contract)),
        }
    }
}

/// The 3.1+ schemas that admit null through their own `type` array (`type: [string, "null"]`),
/// as written: not through 3.0's `nullable` (also when a 3.1 document uses it), and not through
/// an `anyOf`/`oneOf` branch `{type: "null"}`, which the model folds into the same flag.
pub fn type_array_nulls(contract: &Contract) -> HashSet<SchemaId> {
    if contract.version == SpecVersion::V3_0 {
        return HashSet::new();
    }
    let count =
        |node: &Value, key: &str| node.get(key).and_then(Value::as_array).map_or(0, Vec::len);
    contract
        .types
        .iter()
        .filter(|(_, s)| s.nullable)
        .filter(|(_, s)| {
            let Some(node) = contract.value(&s.loc) else {
                return false;
            };
            let null_in_type = node
                .get("type")
                .and_then(Value::as_array)
                .is_some_and(|types| types.iter().any(|t| t == "null"));
            null_in_type
                && node.get("nullable") != Some(&Value::Bool(true))
                && count(node, "anyOf") == s.any_of.len()
                && count(node, "oneOf") == s.one_of.len()
                && count(node, "allOf") == s.all_of.len()
        })
        .map(|(id, _)| id)
        .collect()
}

/// Which rendering of a schema a `$ref` points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Variant {
    Full,
    /// A schema with a discriminator as the parent of one of its own subtypes (`Cat: allOf:
    /// [Pet]`): without the dispatch to subtypes, which would lead straight back to the subtype.
    Base,
}

/// The `$defs` key of a schema.
fn def_name(id: SchemaId, variant: Variant) -> String {
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
    document: Arc<Value>,
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

/// The `$defs` of every schema reachable from `roots`, as one document.
fn export_defs(types: &TypeSpace, roots: &[SchemaId], view: View, options: ExportOptions) -> Value {
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

/// A compiled validator, or why the schema could not be compiled.
type Compiled = Result<Arc<Validator>, String>;

/// The exported `$defs` of one view, registered for `$ref`s into it.
struct Registered {
    registry: Registry<'static>,
    locator: Locator,
}

/// Exports the schemas reachable from `roots` in one view and registers them under
/// [`BASE_URI`].
fn register(
    types: &TypeSpace,
    roots: &[SchemaId],
    view: View,
    options: ExportOptions,
) -> Result<Registered, String> {
    let mut distinct: Vec<SchemaId> = roots.to_vec();
    distinct.sort();
    distinct.dedup();
    let document = Arc::new(export_defs(types, &distinct, view, options));
    let registry = Registry::new()
        .draft(Draft::Draft202012)
        .add(BASE_URI, Arc::clone(&document))
        .and_then(|builder| builder.prepare())
        .map_err(|e| format!("cannot register the exported schemas: {e}"))?;
    Ok(Registered {
        registry,
        locator: Locator { document },
    })
}

fn root_reference(id: SchemaId) -> Value {
    json!({ "$ref": format!("{BASE_URI}#/$defs/{}", def_name(id, Variant::Full)) })
}

/// Compiled validators for (schema, view) pairs, each compiled once on first use. The `$defs` of
/// a view are registered once and shared by every validator of that view.
pub struct CompiledSchemas {
    options: ExportOptions,
    registries: HashMap<View, Result<Registered, String>>,
    validators: HashMap<(SchemaId, View), OnceLock<Compiled>>,
}

impl CompiledSchemas {
    /// Prepares the schemas that [`CompiledSchemas::validator`] will be asked for.
    pub fn new(
        types: &TypeSpace,
        roots: impl IntoIterator<Item = (SchemaId, View)>,
        options: ExportOptions,
    ) -> Self {
        let mut by_view: HashMap<View, Vec<SchemaId>> = HashMap::new();
        let mut validators = HashMap::new();
        for (id, view) in roots {
            if validators.insert((id, view), OnceLock::new()).is_none() {
                by_view.entry(view).or_default().push(id);
            }
        }
        let registries = by_view
            .into_iter()
            .map(|(view, ids)| (view, register(types, &ids, view, options.clone())))
            .collect();
        CompiledSchemas {
            options,
            registries,
            validators,
        }
    }

    /// The validator of a prepared (schema, view); an error says why it could not be compiled.
    pub fn validator(&self, id: SchemaId, view: View) -> Result<&Validator, String> {
        let Some(cell) = self.validators.get(&(id, view)) else {
            return Err(format!(
                "schema {} was not prepared for the {} view",
                id.0,
                view.as_str()
            ));
        };
        let compiled = cell.get_or_init(|| {
            let registered = match self.registries.get(&view) {
                Some(Ok(registered)) => registered,
                Some(Err(e)) => return Err(e.clone()),
                None => return Err("no schemas were exported for this view".to_string()),
            };
            validation_options(&self.options)
                .with_registry(&registered.registry)
                .build(&root_reference(id))
                .map(Arc::new)
                .map_err(|e| format!("the schema cannot be compiled: {e}"))
        });
        compiled.as_ref().map(|v| v.as_ref()).map_err(Clone::clone)
    }

    /// Maps the keyword locations of a view's errors back to model schemas.
    pub fn locator(&self, view: View) -> Option<&Locator> {
        self.registries
            .get(&view)?
            .as_ref()
            .ok()
            .map(|r| &r.locator)
    }
}

/// One validator for many schemas of one view: validates `{"0": value0, "1": value1, ...}`
/// against `roots[0]`, `roots[1]`, ... (errors carry the slot as the first instance-path token).
/// Compiling the shared closure once is far cheaper than compiling every root on its own.
pub fn compile_batch(
    types: &TypeSpace,
    roots: &[SchemaId],
    view: View,
    options: ExportOptions,
) -> Result<(Validator, Locator), String> {
    let registered = register(types, roots, view, options.clone())?;
    let properties: Map<String, Value> = roots
        .iter()
        .enumerate()
        .map(|(slot, id)| (slot.to_string(), root_reference(*id)))
        .collect();
    let validator = validation_options(&options)
        .with_registry(&registered.registry)
        .build(&json!({ "properties": properties }))
        .map_err(|e| format!("the schemas cannot be compiled: {e}"))?;
    Ok((validator, registered.locator))
}

/// The `jsonschema` options every oaskit validator is built with: 2020-12, the OpenAPI formats.
pub fn validation_options(options: &ExportOptions) -> jsonschema::ValidationOptions<'static> {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(options.format_assertions)
        .with_format("byte", is_base64)
        .with_keyword(NUMBER_FORMAT_KEYWORD, |_parent, value, _path| {
            let format = match value.as_str() {
                Some("int32") => NumberFormat::Int32,
                Some("int64") => NumberFormat::Int64,
                Some("float") => NumberFormat::Float,
                _ => return Err(ValidationError::schema("unknown numeric format")),
            };
            Ok(Box::new(format) as Box<dyn for<'i> Keyword<'i>>)
        })
}

/// OpenAPI's numeric formats, as ranges.
#[derive(Debug, Clone, Copy)]
enum NumberFormat {
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

/// A property present in an instance although its direction excludes it: readOnly in a request,
/// writeOnly in a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misdirected {
    /// JSON pointer of the property's value in the instance.
    pub instance_path: String,
    pub property: String,
    /// The property's schema.
    pub schema: SchemaId,
}

/// readOnly properties in a request instance, writeOnly ones in a response instance. A property
/// declared both ways by alternative branches is not reported.
pub fn misdirected_properties(
    types: &TypeSpace,
    id: SchemaId,
    direction: Direction,
    instance: &Value,
) -> Vec<Misdirected> {
    let mut walk = MisdirectionWalk {
        types,
        direction,
        seen: HashSet::new(),
        found: Vec::new(),
        allowed: HashSet::new(),
    };
    walk.walk(id, instance, String::new(), 0);
    let MisdirectionWalk { found, allowed, .. } = walk;
    let mut reported = HashSet::new();
    found
        .into_iter()
        .filter(|m| !allowed.contains(&m.instance_path) && reported.insert(m.instance_path.clone()))
        .collect()
}

struct MisdirectionWalk<'t> {
    types: &'t TypeSpace,
    direction: Direction,
    seen: HashSet<(SchemaId, String)>,
    found: Vec<Misdirected>,
    /// Instance paths some applicable schema declares visible in this direction.
    allowed: HashSet<String>,
}

impl MisdirectionWalk<'_> {
    fn walk(&mut self, id: SchemaId, instance: &Value, path: String, depth: usize) {
        if depth > 512 || !self.seen.insert((id, path.clone())) {
            return;
        }
        let types = self.types;
        let s = types.get(id);
        match instance {
            Value::Object(map) => {
                for (name, prop) in &s.properties {
                    let Some(value) = map.get(name) else { continue };
                    let child = crate::load::pointer::push(&path, name);
                    if types.property_visible(*prop, self.direction) {
                        self.allowed.insert(child.clone());
                        self.walk(*prop, value, child, depth + 1);
                    } else {
                        self.found.push(Misdirected {
                            instance_path: child,
                            property: name.clone(),
                            schema: *prop,
                        });
                    }
                }
                if let Some(AdditionalProperties::Schema(extra)) = s.additional_properties {
                    for (name, value) in map {
                        if !s.properties.contains_key(name) {
                            let child = crate::load::pointer::push(&path, name);
                            self.walk(extra, value, child, depth + 1);
                        }
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let schema = s.prefix_items.get(i).copied().or(s.items);
                    if let Some(schema) = schema {
                        self.walk(schema, item, format!("{path}/{i}"), depth + 1);
                    }
                }
            }
            _ => {}
        }
        for member in &s.all_of {
            self.walk(*member, instance, path.clone(), depth + 1);
        }
        let chosen = s.rare().discriminator.as_ref().and_then(|d| {
            let value = instance.get(&d.property_name)?.as_str()?;
            d.mapping.get(value).copied().or_else(|| {
                s.one_of
                    .iter()
                    .chain(&s.any_of)
                    .copied()
                    .find(|b| types.get(*b).name.as_deref() == Some(value))
            })
        });
        match chosen {
            Some(branch) => self.walk(branch, instance, path, depth + 1),
            None => {
                for branch in s.one_of.iter().chain(&s.any_of) {
                    self.walk(*branch, instance, path.clone(), depth + 1);
                }
            }
        }
    }
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
