//! Schemas as an arena of normalized nodes. 3.0 and 3.1 spellings of the same constraint come
//! out the same: `nullable: true`, `type: [T, "null"]` and `anyOf: [T, {type: "null"}]` all set
//! [`Schema::nullable`]; 3.0's boolean `exclusiveMinimum` becomes 3.1's number.

use indexmap::IndexMap;
use serde_json::{Number, Value};

use super::{Example, Extensions, Loc};

/// Index of a schema in the [`TypeSpace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaId(pub u32);

/// JSON Schema instance types, except `null`, which is [`Schema::nullable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstanceType {
    Boolean,
    Object,
    Array,
    Number,
    Integer,
    String,
}

impl InstanceType {
    pub fn parse(name: &str) -> Option<InstanceType> {
        Some(match name {
            "boolean" => InstanceType::Boolean,
            "object" => InstanceType::Object,
            "array" => InstanceType::Array,
            "number" => InstanceType::Number,
            "integer" => InstanceType::Integer,
            "string" => InstanceType::String,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InstanceType::Boolean => "boolean",
            InstanceType::Object => "object",
            InstanceType::Array => "array",
            InstanceType::Number => "number",
            InstanceType::Integer => "integer",
            InstanceType::String => "string",
        }
    }
}

/// `additionalProperties` (and 3.1 `unevaluatedProperties`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdditionalProperties {
    /// Absent or `true`.
    Any,
    /// `false`.
    Forbidden,
    Schema(SchemaId),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    pub property_name: String,
    /// Discriminator value → schema, from `mapping` (refs and bare names resolved).
    pub mapping: IndexMap<String, SchemaId>,
}

/// Which side of an exchange a schema is read for. readOnly properties exist only in responses,
/// writeOnly ones only in requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Request,
    Response,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
        }
    }
}

/// The keywords of a [`Schema`] that few real schemas use (bounds on properties and contains,
/// `const`, `multipleOf`, exclusive bounds, 3.1 conditionals and dependencies, pattern
/// properties, content keywords, the discriminator). Kept out of line so that the common
/// schema stays small: GitHub's description has 40,000 schemas.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RareKeywords {
    pub const_value: Option<Value>,
    pub multiple_of: Option<Number>,
    pub exclusive_maximum: Option<Number>,
    pub exclusive_minimum: Option<Number>,
    pub max_properties: Option<u64>,
    pub min_properties: Option<u64>,
    pub unevaluated_properties: Option<AdditionalProperties>,
    pub pattern_properties: IndexMap<String, SchemaId>,
    pub dependent_required: IndexMap<String, Vec<String>>,
    pub min_contains: Option<u64>,
    pub max_contains: Option<u64>,
    /// 3.1 `unevaluatedItems`.
    pub unevaluated_items: Option<AdditionalProperties>,
    /// 3.1 `dependentSchemas`: property name → schema that applies when it is present.
    pub dependent_schemas: IndexMap<String, SchemaId>,
    pub if_then_else: Option<(SchemaId, Option<SchemaId>, Option<SchemaId>)>,
    pub discriminator: Option<Discriminator>,
    pub content_media_type: Option<String>,
    pub content_encoding: Option<String>,
}

static NO_RARE_KEYWORDS: std::sync::LazyLock<RareKeywords> =
    std::sync::LazyLock::new(RareKeywords::default);

/// A map most schemas leave empty (properties of a non-object, vendor extensions), kept out of
/// line: 8 bytes in the schema instead of an inline map's 72, allocated when written to. Reads
/// like the map itself (`Deref`); two are equal when their maps are.
#[derive(Clone, Default)]
pub struct OutOfLine<T: EmptyMap>(Option<Box<T>>);

/// A map type with a shared empty value for [`OutOfLine`] to read when nothing is stored.
pub trait EmptyMap: Default + PartialEq + 'static {
    fn empty() -> &'static Self;
}

impl EmptyMap for IndexMap<String, SchemaId> {
    fn empty() -> &'static Self {
        static EMPTY: std::sync::LazyLock<IndexMap<String, SchemaId>> =
            std::sync::LazyLock::new(IndexMap::new);
        &EMPTY
    }
}

impl EmptyMap for IndexMap<String, Value> {
    fn empty() -> &'static Self {
        static EMPTY: std::sync::LazyLock<IndexMap<String, Value>> =
            std::sync::LazyLock::new(IndexMap::new);
        &EMPTY
    }
}

impl<T: EmptyMap> std::ops::Deref for OutOfLine<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.0 {
            Some(map) => map,
            None => T::empty(),
        }
    }
}

impl<T: EmptyMap> std::ops::DerefMut for OutOfLine<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: EmptyMap> From<T> for OutOfLine<T> {
    fn from(map: T) -> Self {
        OutOfLine((map != *T::empty()).then(|| Box::new(map)))
    }
}

impl<T: EmptyMap> OutOfLine<T> {
    /// The map, taken out (empty when nothing was stored).
    pub fn into_inner(self) -> T {
        self.0.map(|map| *map).unwrap_or_default()
    }
}

impl<T: EmptyMap> PartialEq for OutOfLine<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: EmptyMap + std::fmt::Debug> std::fmt::Debug for OutOfLine<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<'a, T: EmptyMap> IntoIterator for &'a OutOfLine<T>
where
    &'a T: IntoIterator,
{
    type Item = <&'a T as IntoIterator>::Item;
    type IntoIter = <&'a T as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        (**self).into_iter()
    }
}

/// One schema, normalized.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    /// The key under `components/schemas` for a named schema.
    pub name: Option<String>,
    pub loc: Loc,
    pub title: Option<String>,
    pub description: Option<String>,
    /// `None`: any type. Never contains null: see `nullable`.
    pub types: Option<Vec<InstanceType>>,
    /// `null` is accepted in addition to `types` (or is the only value when `types` is empty).
    pub nullable: bool,
    pub format: Option<String>,
    pub enum_values: Option<Vec<Value>>,
    pub maximum: Option<Number>,
    pub minimum: Option<Number>,
    pub max_length: Option<u64>,
    pub min_length: Option<u64>,
    pub pattern: Option<String>,
    pub max_items: Option<u64>,
    pub min_items: Option<u64>,
    pub unique_items: bool,
    /// Out of line: most schemas are not objects.
    pub properties: OutOfLine<IndexMap<String, SchemaId>>,
    pub required: Vec<String>,
    pub additional_properties: Option<AdditionalProperties>,
    pub property_names: Option<SchemaId>,
    pub items: Option<SchemaId>,
    pub prefix_items: Vec<SchemaId>,
    pub contains: Option<SchemaId>,
    /// 3.1 `contentSchema`: the schema of the decoded content of a string.
    pub content_schema: Option<SchemaId>,
    pub all_of: Vec<SchemaId>,
    pub one_of: Vec<SchemaId>,
    pub any_of: Vec<SchemaId>,
    pub not: Option<SchemaId>,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    /// Boxed: few schemas have one, and a value is 72 bytes.
    pub default: Option<Box<Value>>,
    /// `example` and (3.1) `examples` of the schema.
    pub examples: Vec<Example>,
    pub extensions: OutOfLine<Extensions>,
    /// A `$ref` that could not be resolved: this schema stands in for it and accepts anything.
    pub unresolved: bool,
    /// The keywords few schemas use, out of line: `None` when the schema uses none of them.
    /// Read them with [`Schema::rare`].
    pub(crate) rare: Option<Box<RareKeywords>>,
}

impl Schema {
    /// The rarely used keywords (all empty when the schema uses none).
    pub fn rare(&self) -> &RareKeywords {
        self.rare.as_deref().unwrap_or(&NO_RARE_KEYWORDS)
    }

    /// Sets the rarely used keywords, keeping none out of line when they are all empty.
    pub fn set_rare(&mut self, rare: RareKeywords) {
        self.rare = (rare != *NO_RARE_KEYWORDS).then(|| Box::new(rare));
    }

    pub fn has_type(&self, t: InstanceType) -> bool {
        self.types.as_ref().is_some_and(|ts| ts.contains(&t))
    }

    /// The single non-null type, if the schema has exactly one.
    pub fn single_type(&self) -> Option<InstanceType> {
        match self.types.as_deref() {
            Some([t]) => Some(*t),
            _ => None,
        }
    }

    /// True when the schema constrains nothing except through one `allOf` member: it is that
    /// schema, possibly nullable and with its own description (`$ref` with siblings, 3.0's
    /// `nullable` + `allOf: [$ref]`, 3.1's `anyOf: [$ref, {type: null}]`).
    pub fn alias_of(&self) -> Option<SchemaId> {
        let [target] = self.all_of.as_slice() else {
            return None;
        };
        let besides = Besides {
            default: true,
            nullable: true,
            all_of: true,
            values: false,
        };
        self.has_only(besides).then_some(*target)
    }

    /// True when the schema carries nothing but annotations (name, title, description,
    /// `deprecated`, examples, extensions) and the keywords `besides` lets through. Reads the
    /// fields in place: it runs for every alias resolution.
    pub fn has_only(&self, besides: Besides) -> bool {
        let Schema {
            name: _,
            loc: _,
            title: _,
            description: _,
            deprecated: _,
            examples: _,
            extensions: _,
            types,
            nullable,
            format,
            enum_values,
            maximum,
            minimum,
            max_length,
            min_length,
            pattern,
            max_items,
            min_items,
            unique_items,
            properties,
            required,
            additional_properties,
            property_names,
            items,
            prefix_items,
            contains,
            content_schema,
            all_of,
            one_of,
            any_of,
            not,
            read_only,
            write_only,
            default,
            unresolved,
            rare,
        } = self;
        (besides.default || default.is_none())
            && (besides.nullable || !nullable)
            && (besides.all_of || all_of.is_empty())
            && (besides.values || (types.is_none() && format.is_none() && enum_values.is_none()))
            && rare
                .as_deref()
                .is_none_or(|r| besides.values && r.only_const())
            && maximum.is_none()
            && minimum.is_none()
            && max_length.is_none()
            && min_length.is_none()
            && pattern.is_none()
            && max_items.is_none()
            && min_items.is_none()
            && !unique_items
            && properties.is_empty()
            && required.is_empty()
            && additional_properties.is_none()
            && property_names.is_none()
            && items.is_none()
            && prefix_items.is_empty()
            && contains.is_none()
            && content_schema.is_none()
            && one_of.is_empty()
            && any_of.is_empty()
            && not.is_none()
            && !read_only
            && !write_only
            && !unresolved
    }
}

/// The keywords besides annotations that [`Schema::has_only`] accepts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Besides {
    pub default: bool,
    pub nullable: bool,
    pub all_of: bool,
    /// `type`, `format`, `enum` and `const`.
    pub values: bool,
}

impl RareKeywords {
    /// Whether `const` is the only keyword set.
    fn only_const(&self) -> bool {
        let RareKeywords {
            const_value: _,
            multiple_of,
            exclusive_maximum,
            exclusive_minimum,
            max_properties,
            min_properties,
            unevaluated_properties,
            pattern_properties,
            dependent_required,
            min_contains,
            max_contains,
            unevaluated_items,
            dependent_schemas,
            if_then_else,
            discriminator,
            content_media_type,
            content_encoding,
        } = self;
        multiple_of.is_none()
            && exclusive_maximum.is_none()
            && exclusive_minimum.is_none()
            && max_properties.is_none()
            && min_properties.is_none()
            && unevaluated_properties.is_none()
            && pattern_properties.is_empty()
            && dependent_required.is_empty()
            && min_contains.is_none()
            && max_contains.is_none()
            && unevaluated_items.is_none()
            && dependent_schemas.is_empty()
            && if_then_else.is_none()
            && discriminator.is_none()
            && content_media_type.is_none()
            && content_encoding.is_none()
    }
}

impl Default for Loc {
    fn default() -> Self {
        Loc {
            file: crate::load::FileId::ROOT,
            pointer: String::new(),
        }
    }
}

/// How many schemas a chunk of a [`TypeSpace`] holds (~2 MB).
const CHUNK: usize = 4096;

/// The arena of every schema in a contract, in chunks of [`CHUNK`]: schemas are allocated one
/// at a time while the spec's tree is loaded, and one vector doubling at 131,072 schemas held
/// its old 69 MB and the copy at once (N = 16,000 of bench/diff-scale.sh, 528 bytes a schema),
/// at the time the load peaks.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    chunks: Vec<Vec<Schema>>,
    len: usize,
    /// `components/schemas` names → ids, in document order.
    named: IndexMap<String, SchemaId>,
}

impl TypeSpace {
    pub(crate) fn allocate(&mut self, loc: Loc) -> SchemaId {
        let id = SchemaId(u32::try_from(self.len).unwrap_or(u32::MAX));
        let schema = Schema {
            loc,
            ..Schema::default()
        };
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(schema),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(schema);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
        id
    }

    fn slot(&mut self, id: SchemaId) -> &mut Schema {
        let i = id.0 as usize;
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }

    pub(crate) fn set(&mut self, id: SchemaId, mut schema: Schema) {
        let slot = self.slot(id);
        // A component referenced before `components/schemas` is walked is named while its
        // body is still pending: keep that name when the body arrives.
        if schema.name.is_none() {
            schema.name = slot.name.take();
        }
        *slot = schema;
    }

    pub(crate) fn name(&mut self, name: String, id: SchemaId) {
        self.slot(id).name.get_or_insert_with(|| name.clone());
        self.named.insert(name, id);
    }

    pub fn get(&self, id: SchemaId) -> &Schema {
        let i = id.0 as usize;
        &self.chunks[i / CHUNK][i % CHUNK]
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = (SchemaId, &Schema)> {
        self.chunks
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, s)| (SchemaId(i as u32), s))
    }

    /// Named component schemas, in document order.
    pub fn named(&self) -> &IndexMap<String, SchemaId> {
        &self.named
    }

    /// Follows alias chains (see [`Schema::alias_of`]) to the schema that carries the
    /// constraints, and says whether any link of the chain was nullable.
    pub fn resolve_alias(&self, mut id: SchemaId) -> (SchemaId, bool) {
        let mut nullable = false;
        for _ in 0..64 {
            let schema = self.get(id);
            nullable |= schema.nullable;
            match schema.alias_of() {
                Some(target) if target != id => id = target,
                _ => break,
            }
        }
        (id, nullable)
    }

    /// Whether a property is part of the schema in this direction.
    pub fn property_visible(&self, property: SchemaId, direction: Direction) -> bool {
        let (target, _) = self.resolve_alias(property);
        let flags = |s: &Schema| match direction {
            Direction::Request => s.read_only,
            Direction::Response => s.write_only,
        };
        !(flags(self.get(property)) || flags(self.get(target)))
    }

    /// The properties of an object schema seen in a direction (readOnly ones dropped from
    /// requests, writeOnly ones from responses).
    pub fn properties_in(
        &self,
        id: SchemaId,
        direction: Direction,
    ) -> impl Iterator<Item = (&String, SchemaId)> + '_ {
        self.get(id)
            .properties
            .iter()
            .filter(move |(_, p)| self.property_visible(**p, direction))
            .map(|(n, p)| (n, *p))
    }

    /// Whether a required property must be present in this direction: a readOnly property is
    /// not required in a request, a writeOnly one not in a response.
    pub fn required_in(&self, id: SchemaId, property: &str, direction: Direction) -> bool {
        let schema = self.get(id);
        schema.required.iter().any(|r| r == property)
            && schema
                .properties
                .get(property)
                .is_none_or(|p| self.property_visible(*p, direction))
    }

    /// For every schema (indexed by id), whether its request and response views differ: it
    /// has, at any depth, a property that is readOnly or writeOnly (on the property or on the
    /// schema it aliases). One backwards pass over the schema graph.
    pub fn directional_schemas(&self) -> Vec<bool> {
        let id = |i: usize| SchemaId(u32::try_from(i).unwrap_or(u32::MAX));
        crate::graph::reaching(
            self.len(),
            |i| {
                self.children(id(i))
                    .into_iter()
                    .map(|c| c.0 as usize)
                    .collect()
            },
            |i| {
                self.get(id(i)).properties.values().any(|p| {
                    !self.property_visible(*p, Direction::Request)
                        || !self.property_visible(*p, Direction::Response)
                })
            },
        )
    }

    /// Every schema id a schema points at directly.
    pub fn children(&self, id: SchemaId) -> Vec<SchemaId> {
        let s = self.get(id);
        let mut out: Vec<SchemaId> = Vec::new();
        out.extend(s.properties.values().copied());
        out.extend(s.rare().pattern_properties.values().copied());
        for ap in [
            s.additional_properties,
            s.rare().unevaluated_properties,
            s.rare().unevaluated_items,
        ]
        .into_iter()
        .flatten()
        {
            if let AdditionalProperties::Schema(x) = ap {
                out.push(x);
            }
        }
        out.extend(s.property_names);
        out.extend(s.items);
        out.extend(s.prefix_items.iter().copied());
        out.extend(s.contains);
        out.extend(s.rare().dependent_schemas.values().copied());
        out.extend(s.content_schema);
        out.extend(s.all_of.iter().chain(&s.one_of).chain(&s.any_of).copied());
        out.extend(s.not);
        if let Some((i, t, e)) = s.rare().if_then_else {
            out.push(i);
            out.extend(t);
            out.extend(e);
        }
        if let Some(d) = &s.rare().discriminator {
            out.extend(d.mapping.values().copied());
        }
        out
    }
}
