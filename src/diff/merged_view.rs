//! A schema with its `allOf` merged in: what the diff compares. `allOf: [A, B]` means "valid
//! against A and B", so properties are united, bounds take the tighter value, enums intersect.
//! Comparing merged views (instead of the `allOf` lists) is what makes moving properties into a
//! shared base schema a non-change.

use indexmap::{IndexMap, IndexSet};
use serde_json::{Number, Value};

use crate::model::{
    AdditionalProperties, Besides, Discriminator, InstanceType, Loc, Schema, SchemaId, TypeSpace,
};

use super::change::Openness;

/// `additionalProperties`-like keywords, merged: `Closed` wins, schemas accumulate.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Extra {
    Open,
    Closed,
    Schemas(Vec<SchemaId>),
}

impl Extra {
    pub(super) fn openness(&self) -> Openness {
        match self {
            Extra::Open => Openness::Open,
            Extra::Closed => Openness::Closed,
            Extra::Schemas(_) => Openness::Schema,
        }
    }

    fn from_model(value: Option<AdditionalProperties>) -> Extra {
        match value {
            None | Some(AdditionalProperties::Any) => Extra::Open,
            Some(AdditionalProperties::Forbidden) => Extra::Closed,
            Some(AdditionalProperties::Schema(id)) => Extra::Schemas(vec![id]),
        }
    }

    fn merge(&mut self, other: Extra) {
        *self = match (std::mem::replace(self, Extra::Open), other) {
            (Extra::Closed, _) | (_, Extra::Closed) => Extra::Closed,
            (Extra::Open, x) | (x, Extra::Open) => x,
            (Extra::Schemas(mut a), Extra::Schemas(b)) => {
                add_unique(&mut a, b);
                Extra::Schemas(a)
            }
        };
    }
}

/// A schema (or a conjunction of schemas) with `allOf` folded in.
#[derive(Debug, Clone)]
pub(super) struct MergedView {
    /// Where the constraints are written: the target of an alias chain.
    pub loc: Loc,
    /// The component name, following aliases.
    pub name: Option<String>,
    pub title: Option<String>,
    pub types: Option<Vec<InstanceType>>,
    pub nullable: bool,
    pub format: Option<String>,
    pub enum_values: Option<Vec<Value>>,
    pub extensible_enum: Option<Vec<Value>>,
    pub const_value: Option<Value>,
    pub default: Option<Value>,
    pub multiple_of: Option<Number>,
    pub maximum: Option<Number>,
    pub exclusive_maximum: Option<Number>,
    pub minimum: Option<Number>,
    pub exclusive_minimum: Option<Number>,
    pub max_length: Option<u64>,
    pub min_length: Option<u64>,
    pub patterns: Vec<String>,
    pub max_items: Option<u64>,
    pub min_items: Option<u64>,
    pub unique_items: bool,
    pub max_properties: Option<u64>,
    pub min_properties: Option<u64>,
    pub properties: IndexMap<String, Vec<SchemaId>>,
    pub required: IndexSet<String>,
    pub additional: Extra,
    pub unevaluated_properties: Extra,
    pub unevaluated_items: Extra,
    pub pattern_properties: IndexMap<String, Vec<SchemaId>>,
    pub property_names: Vec<SchemaId>,
    pub dependent_required: IndexMap<String, Vec<String>>,
    pub dependent_schemas: IndexMap<String, Vec<SchemaId>>,
    pub items: Vec<SchemaId>,
    pub prefix_items: Vec<SchemaId>,
    pub contains: Vec<SchemaId>,
    pub min_contains: Option<u64>,
    pub max_contains: Option<u64>,
    /// The `allOf` members written in the (alias-resolved) schema itself.
    pub all_of: Vec<SchemaId>,
    pub one_of: Vec<SchemaId>,
    pub any_of: Vec<SchemaId>,
    pub not: Vec<SchemaId>,
    pub if_then_else: Option<(SchemaId, Option<SchemaId>, Option<SchemaId>)>,
    pub discriminator: Option<Discriminator>,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub sunset: Option<String>,
    pub stability: Option<String>,
    pub content_media_type: Option<String>,
    pub content_encoding: Option<String>,
    pub content_schema: Vec<SchemaId>,
    /// A `$ref` that could not be resolved is somewhere in the conjunction.
    pub unresolved: bool,
}

impl MergedView {
    fn empty(loc: Loc) -> MergedView {
        MergedView {
            loc,
            name: None,
            title: None,
            types: None,
            nullable: false,
            format: None,
            enum_values: None,
            extensible_enum: None,
            const_value: None,
            default: None,
            multiple_of: None,
            maximum: None,
            exclusive_maximum: None,
            minimum: None,
            exclusive_minimum: None,
            max_length: None,
            min_length: None,
            patterns: Vec::new(),
            max_items: None,
            min_items: None,
            unique_items: false,
            max_properties: None,
            min_properties: None,
            properties: IndexMap::new(),
            required: IndexSet::new(),
            additional: Extra::Open,
            unevaluated_properties: Extra::Open,
            unevaluated_items: Extra::Open,
            pattern_properties: IndexMap::new(),
            property_names: Vec::new(),
            dependent_required: IndexMap::new(),
            dependent_schemas: IndexMap::new(),
            items: Vec::new(),
            prefix_items: Vec::new(),
            contains: Vec::new(),
            min_contains: None,
            max_contains: None,
            all_of: Vec::new(),
            one_of: Vec::new(),
            any_of: Vec::new(),
            not: Vec::new(),
            if_then_else: None,
            discriminator: None,
            read_only: false,
            write_only: false,
            deprecated: false,
            sunset: None,
            stability: None,
            content_media_type: None,
            content_encoding: None,
            content_schema: Vec::new(),
            unresolved: false,
        }
    }

    /// Whether the view can hold a value of this type.
    pub(super) fn admits(&self, t: InstanceType) -> bool {
        match &self.types {
            None => true,
            Some(ts) => {
                ts.contains(&t)
                    || (t == InstanceType::Integer && ts.contains(&InstanceType::Number))
            }
        }
    }
}

/// Builds the merged view of a conjunction of schemas.
pub(super) fn view(types: &TypeSpace, ids: &[SchemaId]) -> MergedView {
    let first = ids.first().map(|id| resolve(types, *id));
    let loc = first
        .map(|id| types.get(id).loc.clone())
        .unwrap_or_default();
    let mut out = MergedView::empty(loc);
    out.name = first.and_then(|id| types.get(id).name.clone());
    out.title = first.and_then(|id| types.get(id).title.clone());
    if let Some(id) = first {
        out.all_of = types.get(id).all_of.clone();
    }
    let mut nullable_all = !ids.is_empty();
    let mut visiting = Vec::new();
    for id in ids {
        nullable_all &= fold(types, *id, &mut out, &mut visiting);
    }
    out.nullable = nullable_all;
    // `oneOf`/`anyOf` of bare constants is an enum with a title per value (Discord writes every
    // enum so): compare it as one, so a new value is an enum value added, not a new alternative.
    for which in [0, 1] {
        let branches = if which == 0 { &out.one_of } else { &out.any_of };
        let Some((values, branch_types)) = constant_branches(types, branches) else {
            continue;
        };
        out.enum_values = Some(match out.enum_values.take() {
            None => values,
            Some(have) => have
                .into_iter()
                .filter(|v| values.iter().any(|w| same_json(v, w)))
                .collect(),
        });
        if out.types.is_none() {
            out.types = branch_types;
        }
        if which == 0 {
            out.one_of.clear();
        } else {
            out.any_of.clear();
        }
    }
    out
}

/// `resolve_alias`, also stepping through 3.0's `allOf: [T, {nullable: true}]`: the schema is T.
fn resolve(types: &TypeSpace, id: SchemaId) -> SchemaId {
    let mut id = types.resolve_alias(id).0;
    for _ in 0..64 {
        let s = types.get(id);
        if s.all_of.len() < 2 || !s.all_of.iter().any(|m| nullable_marker(types, *m)) {
            break;
        }
        let members: Vec<SchemaId> = s
            .all_of
            .iter()
            .copied()
            .filter(|m| !nullable_marker(types, *m))
            .collect();
        let besides = Besides {
            default: true,
            nullable: true,
            all_of: true,
            values: false,
        };
        match members.as_slice() {
            [only] if s.has_only(besides) => id = types.resolve_alias(*only).0,
            _ => break,
        }
    }
    id
}

/// `{nullable: true}` and nothing else that constrains: an `allOf` member written to make the
/// others nullable (the 3.0 spelling `allOf: [{$ref: T}, {nullable: true}]`).
fn nullable_marker(types: &TypeSpace, id: SchemaId) -> bool {
    let s = types.get(id);
    let besides = Besides {
        nullable: true,
        ..Besides::default()
    };
    s.nullable && s.has_only(besides)
}

/// The values (and types, when every branch states one) of `oneOf`/`anyOf` branches that are
/// each a `const` (or an `enum`) with nothing but annotations beside it.
fn constant_branches(
    types: &TypeSpace,
    branches: &[SchemaId],
) -> Option<(Vec<Value>, Option<Vec<InstanceType>>)> {
    if branches.is_empty() {
        return None;
    }
    let mut values: Vec<Value> = Vec::new();
    let mut all_types: Option<Vec<InstanceType>> = Some(Vec::new());
    for branch in branches {
        let (id, nullable) = types.resolve_alias(*branch);
        let s = types.get(id);
        if nullable || s.nullable {
            return None;
        }
        let own: Vec<Value> = match (&s.rare().const_value, &s.enum_values) {
            (Some(c), None) => vec![c.clone()],
            (None, Some(e)) if !e.is_empty() => e.clone(),
            _ => return None,
        };
        let besides = Besides {
            default: true,
            values: true,
            ..Besides::default()
        };
        if !s.has_only(besides) {
            return None;
        }
        match (&mut all_types, &s.types) {
            (Some(have), Some(ts)) => {
                for t in ts {
                    if !have.contains(t) {
                        have.push(*t);
                    }
                }
            }
            (acc, _) => *acc = None,
        }
        for v in own {
            if !values.iter().any(|w| same_json(&v, w)) {
                values.push(v);
            }
        }
    }
    if let Some(ts) = all_types.as_mut() {
        ts.sort();
    }
    Some((values, all_types))
}

/// JSON equality where `1` and `1.0` are the same number.
fn same_json(a: &Value, b: &Value) -> bool {
    super::schema::same_value(a, b)
}

/// Adds schemas to a conjunction, each once: `A` and `A` is `A`. Kept as sets, the schema lists
/// of merged views (and so the diff's memo keys) stop growing around a cycle such as
/// `D: allOf: [B, {additionalProperties: B}]`, `B: {additionalProperties: D}`.
fn add_unique(list: &mut Vec<SchemaId>, ids: impl IntoIterator<Item = SchemaId>) {
    for id in ids {
        if !list.contains(&id) {
            list.push(id);
        }
    }
}

/// Folds one schema and its `allOf` members into `out`. Returns whether the schema admits null.
fn fold(
    types: &TypeSpace,
    id: SchemaId,
    out: &mut MergedView,
    visiting: &mut Vec<SchemaId>,
) -> bool {
    if visiting.contains(&id) || visiting.len() > 64 {
        return true;
    }
    visiting.push(id);
    let schema = types.get(id);
    merge_own(schema, out);
    let mut members_nullable = !schema.all_of.is_empty();
    let mut marked_nullable = false;
    for member in &schema.all_of {
        members_nullable &= fold(types, *member, out, visiting);
        marked_nullable |= nullable_marker(types, *member);
    }
    let members_nullable = members_nullable || marked_nullable;
    visiting.pop();
    schema.nullable || members_nullable
}

fn tighter<T: PartialOrd + Clone>(a: &mut Option<T>, b: &Option<T>, lower: bool) {
    if let Some(bv) = b {
        let replace = match a {
            None => true,
            Some(av) => {
                if lower {
                    *bv > *av
                } else {
                    *bv < *av
                }
            }
        };
        if replace {
            *a = Some(bv.clone());
        }
    }
}

fn tighter_number(a: &mut Option<Number>, b: &Option<Number>, lower: bool) {
    if let Some(bv) = b {
        let replace = match a {
            None => true,
            Some(av) => {
                let (x, y) = (av.as_f64().unwrap_or(0.0), bv.as_f64().unwrap_or(0.0));
                if lower { y > x } else { y < x }
            }
        };
        if replace {
            *a = Some(bv.clone());
        }
    }
}

fn intersect_types(
    a: &Option<Vec<InstanceType>>,
    b: &Option<Vec<InstanceType>>,
) -> Option<Vec<InstanceType>> {
    match (a, b) {
        (None, x) | (x, None) => x.clone(),
        (Some(a), Some(b)) => {
            let mut out = Vec::new();
            for t in a {
                if b.contains(t) {
                    out.push(*t);
                } else if *t == InstanceType::Integer && b.contains(&InstanceType::Number) {
                    out.push(InstanceType::Integer);
                }
            }
            for t in b {
                if *t == InstanceType::Integer
                    && a.contains(&InstanceType::Number)
                    && !out.contains(t)
                {
                    out.push(InstanceType::Integer);
                }
            }
            out.sort();
            Some(out)
        }
    }
}

fn merge_own(s: &Schema, out: &mut MergedView) {
    if s.unresolved {
        out.unresolved = true;
    }
    out.types = intersect_types(&out.types, &s.types);
    if out.format.is_none() {
        out.format.clone_from(&s.format);
    }
    if let Some(values) = &s.enum_values {
        out.enum_values = Some(match out.enum_values.take() {
            None => values.clone(),
            Some(have) => have.into_iter().filter(|v| values.contains(v)).collect(),
        });
    }
    if out.extensible_enum.is_none() {
        out.extensible_enum = s
            .extensions
            .get("x-extensible-enum")
            .and_then(|v| v.as_array().cloned());
    }
    if out.const_value.is_none() {
        out.const_value.clone_from(&s.rare().const_value);
    }
    if out.default.is_none() {
        out.default = s.default.as_deref().cloned();
    }
    if out.multiple_of.is_none() {
        out.multiple_of.clone_from(&s.rare().multiple_of);
    }
    tighter_number(&mut out.maximum, &s.maximum, false);
    tighter_number(
        &mut out.exclusive_maximum,
        &s.rare().exclusive_maximum,
        false,
    );
    tighter_number(&mut out.minimum, &s.minimum, true);
    tighter_number(
        &mut out.exclusive_minimum,
        &s.rare().exclusive_minimum,
        true,
    );
    tighter(&mut out.max_length, &s.max_length, false);
    tighter(&mut out.min_length, &s.min_length, true);
    tighter(&mut out.max_items, &s.max_items, false);
    tighter(&mut out.min_items, &s.min_items, true);
    tighter(&mut out.max_properties, &s.rare().max_properties, false);
    tighter(&mut out.min_properties, &s.rare().min_properties, true);
    tighter(&mut out.max_contains, &s.rare().max_contains, false);
    tighter(&mut out.min_contains, &s.rare().min_contains, true);
    if let Some(p) = &s.pattern
        && !out.patterns.contains(p)
    {
        out.patterns.push(p.clone());
    }
    out.unique_items |= s.unique_items;
    for (name, id) in &s.properties {
        add_unique(out.properties.entry(name.clone()).or_default(), Some(*id));
    }
    for name in &s.required {
        out.required.insert(name.clone());
    }
    out.additional
        .merge(Extra::from_model(s.additional_properties));
    out.unevaluated_properties
        .merge(Extra::from_model(s.rare().unevaluated_properties));
    out.unevaluated_items
        .merge(Extra::from_model(s.rare().unevaluated_items));
    for (pattern, id) in &s.rare().pattern_properties {
        add_unique(
            out.pattern_properties.entry(pattern.clone()).or_default(),
            Some(*id),
        );
    }
    add_unique(&mut out.property_names, s.property_names);
    for (name, list) in &s.rare().dependent_required {
        let have = out.dependent_required.entry(name.clone()).or_default();
        for item in list {
            if !have.contains(item) {
                have.push(item.clone());
            }
        }
    }
    for (name, id) in &s.rare().dependent_schemas {
        add_unique(
            out.dependent_schemas.entry(name.clone()).or_default(),
            Some(*id),
        );
    }
    add_unique(&mut out.items, s.items);
    if out.prefix_items.is_empty() {
        out.prefix_items.clone_from(&s.prefix_items);
    }
    add_unique(&mut out.contains, s.contains);
    if out.one_of.is_empty() {
        out.one_of.clone_from(&s.one_of);
    }
    if out.any_of.is_empty() {
        out.any_of.clone_from(&s.any_of);
    }
    add_unique(&mut out.not, s.not);
    if out.if_then_else.is_none() {
        out.if_then_else = s.rare().if_then_else;
    }
    if out.discriminator.is_none() {
        out.discriminator.clone_from(&s.rare().discriminator);
    }
    out.read_only |= s.read_only;
    out.write_only |= s.write_only;
    out.deprecated |= s.deprecated;
    if out.sunset.is_none() {
        out.sunset = s.extensions.get("x-sunset").map(scalar_text);
    }
    if out.stability.is_none() {
        out.stability = s.extensions.get("x-stability-level").map(scalar_text);
    }
    if out.content_media_type.is_none() {
        out.content_media_type
            .clone_from(&s.rare().content_media_type);
    }
    if out.content_encoding.is_none() {
        out.content_encoding.clone_from(&s.rare().content_encoding);
    }
    out.content_schema.extend(s.content_schema);
}

/// A scalar extension value as text (`x-sunset: 2025-01-01` may be read as a string or a date).
pub(super) fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// True when a schema only carries annotations: an `allOf` member like that constrains nothing.
pub(super) fn annotation_only(types: &TypeSpace, id: SchemaId) -> bool {
    let s = types.get(id);
    let bare = Schema {
        name: s.name.clone(),
        loc: s.loc.clone(),
        title: s.title.clone(),
        description: s.description.clone(),
        deprecated: s.deprecated,
        examples: s.examples.clone(),
        extensions: s.extensions.clone(),
        default: s.default.clone(),
        read_only: s.read_only,
        write_only: s.write_only,
        ..Schema::default()
    };
    bare == *s
}
