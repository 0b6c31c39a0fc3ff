//! The Rust types of a contract's schemas, as an IR that templates only print: which schemas
//! become structs, enums of strings or `oneOf` enums, what every other schema is spelled as
//! (`Vec<T>`, `BTreeMap<String, T>`, `i64`, ...), which fields need a `Box`, and the request
//! and response views of schemas with readOnly / writeOnly properties.

use crate::catalogue::check::generate as rule;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use serde_json::Value;

use super::naming::{Namer, PRELUDE, pascal_ident, snake_ident};
use crate::model::{
    AdditionalProperties, Contract, Direction, InstanceType, Schema, SchemaId, TypeSpace,
};
use crate::report::{Finding, Level};

/// Which view of a schema a type is: schemas without readOnly / writeOnly properties anywhere
/// below them have one type for both directions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum View {
    Neutral,
    Request,
    Response,
}

/// A Rust type, as a field, a parameter or a body has it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ty {
    /// A generated definition: an index into [`Types::defs`].
    Def(usize),
    Bool,
    I32,
    I64,
    U32,
    U64,
    F64,
    String,
    Value,
    Vec(Box<Ty>),
    Map(Box<Ty>),
    Option(Box<Ty>),
    Boxed(Box<Ty>),
}

impl Ty {
    /// The type as written in a module; `models` is the path prefix of generated definitions
    /// (`""` inside `models.rs`, `"models::"` elsewhere).
    pub(super) fn render(&self, defs: &[Def], models: &str) -> String {
        match self {
            Ty::Def(i) => format!("{models}{}", defs[*i].name),
            Ty::Bool => "bool".into(),
            Ty::I32 => "i32".into(),
            Ty::I64 => "i64".into(),
            Ty::U32 => "u32".into(),
            Ty::U64 => "u64".into(),
            Ty::F64 => "f64".into(),
            Ty::String => "String".into(),
            Ty::Value => "serde_json::Value".into(),
            Ty::Vec(t) => format!("Vec<{}>", t.render(defs, models)),
            Ty::Map(t) => format!("BTreeMap<String, {}>", t.render(defs, models)),
            Ty::Option(t) => format!("Option<{}>", t.render(defs, models)),
            Ty::Boxed(t) => format!("Box<{}>", t.render(defs, models)),
        }
    }

    pub(super) fn option(self) -> Ty {
        Ty::Option(Box::new(self))
    }

    /// The shape the parameter parser coerces text into: scalars, arrays of them, and one
    /// level of object (the properties of a `deepObject` or exploded `form` parameter).
    pub(super) fn shape(&self, defs: &[Def]) -> String {
        match self {
            Ty::Def(i) => match &defs[*i].kind {
                DefKind::Struct { fields, .. } => {
                    let fields: Vec<String> = fields
                        .iter()
                        .map(|f| {
                            format!(
                                "({}, {})",
                                super::naming::string_literal(&f.wire),
                                f.ty.scalar_shape(defs)
                            )
                        })
                        .collect();
                    format!("runtime::Shape::Object(&[{}])", fields.join(", "))
                }
                _ => self.scalar_shape(defs),
            },
            Ty::Map(_) => "runtime::Shape::Object(&[])".into(),
            _ => self.scalar_shape(defs),
        }
    }

    fn scalar_shape(&self, defs: &[Def]) -> String {
        match self {
            Ty::Bool => "runtime::Shape::Boolean".into(),
            Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 => "runtime::Shape::Integer".into(),
            Ty::F64 => "runtime::Shape::Number".into(),
            Ty::String => "runtime::Shape::String".into(),
            Ty::Vec(t) => format!("runtime::Shape::Array(&{})", t.scalar_shape(defs)),
            Ty::Option(t) | Ty::Boxed(t) => t.scalar_shape(defs),
            Ty::Def(i) => match &defs[*i].kind {
                DefKind::StringEnum { .. } => "runtime::Shape::String".into(),
                // Text that reads as a number is one (a scalar shape leaves other text a
                // string): `5` is the integer variant of `[integer, string]`.
                DefKind::OneOf {
                    dispatch: Dispatch::JsonType(types),
                    ..
                } => [
                    (InstanceType::Integer, "Integer"),
                    (InstanceType::Number, "Number"),
                    (InstanceType::Boolean, "Boolean"),
                    (InstanceType::String, "String"),
                ]
                .iter()
                .find(|(t, _)| types.contains(t))
                .map_or("runtime::Shape::Any".into(), |(_, shape)| {
                    format!("runtime::Shape::{shape}")
                }),
                _ => "runtime::Shape::Any".into(),
            },
            Ty::Map(_) | Ty::Value => "runtime::Shape::Any".into(),
        }
    }
}

/// A generated type definition.
#[derive(Debug, Clone)]
pub(super) struct Def {
    pub name: String,
    pub schema: SchemaId,
    pub view: View,
    pub doc: Option<String>,
    pub kind: DefKind,
}

#[derive(Debug, Clone)]
pub(super) enum DefKind {
    /// Being built (a recursive reference may point at it meanwhile).
    Pending,
    Struct {
        fields: Vec<Field>,
        /// `additionalProperties` next to properties: a flattened map (field, value type, value
        /// schema).
        additional: Option<(String, Ty, Option<SchemaId>)>,
        deny_unknown: bool,
        /// The flattened map holds the names `patternProperties` types: each value is checked by
        /// the patterns its name matches (see [`Types::pattern_values`]).
        patterned: bool,
    },
    /// `enum` of strings: (variant, wire value).
    StringEnum { variants: Vec<(String, String)> },
    /// `prefixItems`: a tuple struct of the positions (those past `minItems` optional: an array
    /// may end before them), then the other items unless `items: false`.
    Tuple {
        /// Fields named by position (`ident` `0`, `1`, ...; `wire` empty).
        positions: Vec<Field>,
        /// The items after the positions: (type, schema of `items`); `None` for `items: false`.
        rest: Option<(Ty, Option<SchemaId>)>,
    },
    /// `oneOf` / `anyOf`, or a `type` array: an enum whose value is one of its variants.
    OneOf {
        dispatch: Dispatch,
        variants: Vec<Variant>,
    },
}

/// How the value of a union finds its variant when it is read.
#[derive(Debug, Clone)]
pub(super) enum Dispatch {
    /// By the discriminator property (internal tagging).
    Tag(Tagging),
    /// The first variant that deserializes (serde's `untagged`), the most specific first.
    Untagged,
    /// By the value's JSON type (a `type` array such as `[string, integer]`): the JSON type of
    /// each variant, in order. An integer is the integer variant, any other number the number
    /// variant, so no value is ambiguous.
    JsonType(Vec<InstanceType>),
}

#[derive(Debug, Clone)]
pub(super) struct Field {
    pub ident: String,
    pub wire: String,
    /// The type of a present, non-null value.
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    pub schema: SchemaId,
    pub doc: Option<String>,
    /// The expression of an optional field's `default` (an `Option` when nullable): the field
    /// takes it when absent.
    pub default: Option<String>,
}

impl Field {
    /// The field's declared type: `T`, `Option<T>` (optional, or required but nullable) or
    /// `Option<Option<T>>` (optional and nullable: absent and null differ). An optional field
    /// with a default is `T`, or `Option<T>` when nullable (`None`: null).
    pub(super) fn declared(&self) -> Ty {
        match (self.required || self.default.is_some(), self.nullable) {
            (true, false) => self.ty.clone(),
            (true, true) | (false, false) => self.ty.clone().option(),
            (false, true) => self.ty.clone().option().option(),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Variant {
    pub ident: String,
    pub ty: Ty,
    pub schema: SchemaId,
}

#[derive(Debug, Clone)]
pub(super) struct Tagging {
    pub property: String,
    /// Discriminator value → index of the variant.
    pub arms: Vec<(String, usize)>,
}

/// A named component that is not a struct or an enum: `pub type PetId = i64;`.
#[derive(Debug, Clone)]
pub(super) struct Alias {
    pub name: String,
    pub ty: Ty,
    pub doc: Option<String>,
}

/// A `pattern`, compiled in the generated crate as a static.
#[derive(Debug, Clone)]
pub(super) struct PatternDef {
    pub name: String,
    pub source: String,
    pub flags: &'static str,
}

/// How a schema is represented.
enum Class {
    /// It is another schema (a single `oneOf` branch, an `allOf` of scalars): (schema, extra null).
    Same(SchemaId, bool),
    Struct,
    StringEnum(Vec<String>, bool),
    OneOf(Vec<SchemaId>, bool),
    /// A `type` array of several types (`[string, integer]`): an enum with a variant per type.
    ByType(Vec<InstanceType>),
    /// An array with `prefixItems`: a tuple struct.
    Tuple,
    Inline(Ty, bool),
    Array(Option<SchemaId>),
    Map(Option<SchemaId>),
}

/// The properties of an object schema with its `allOf` members merged in.
#[derive(Debug, Default)]
pub(super) struct Merged {
    pub props: IndexMap<String, SchemaId>,
    pub required: HashSet<String>,
    pub additional: Option<AdditionalProperties>,
    /// A member could not be merged (a `oneOf` inside an `allOf`).
    pub unmerged: bool,
}

/// Every generated type of a contract and the builder state that hands them out.
pub(super) struct Types<'c> {
    pub(super) contract: &'c Contract,
    space: &'c TypeSpace,
    directional: Vec<bool>,
    memo: HashMap<(SchemaId, View), (Ty, bool)>,
    in_progress: HashSet<(SchemaId, View)>,
    pub defs: Vec<Def>,
    pub aliases: Vec<Alias>,
    names: Namer,
    component_names: HashMap<SchemaId, String>,
    /// Findings, warnings already given and patterns are recorded while checks are generated
    /// from a shared borrow (templates render from the definitions at the same time).
    pub findings: RefCell<Vec<Finding>>,
    warned: RefCell<HashSet<(SchemaId, &'static str)>>,
    pub patterns: RefCell<IndexMap<String, PatternDef>>,
    /// Per definition: whether validating it can find anything (it has a constraint, or reaches
    /// a type that has one). Until computed, every definition is assumed to.
    pub needs_validation: Vec<bool>,
    /// The schemas of JSON request bodies, in the order handlers name them, and every schema
    /// they reach (validated with `jsonschema` by the server: see `request_schemas.rs`).
    pub request_schemas: RefCell<Vec<SchemaId>>,
    pub schema_validated: RefCell<HashSet<SchemaId>>,
    /// The defaults that fail their own schema, with why (`defaults.rs`), computed on first use.
    pub invalid_defaults: std::cell::OnceCell<HashMap<SchemaId, String>>,
    /// Per schema: whether it reaches a keyword the generated types and checks do not express
    /// (computed on first use, for every schema at once: see `request_schemas.rs`).
    pub reaches_unchecked: std::cell::OnceCell<Vec<bool>>,
}

impl<'c> Types<'c> {
    pub(super) fn new(contract: &'c Contract) -> Types<'c> {
        let space = &contract.types;
        let mut names = Namer::pascal();
        names.reserve(PRELUDE.iter().copied());
        let mut types = Types {
            contract,
            space,
            directional: space.directional_schemas(),
            memo: HashMap::new(),
            in_progress: HashSet::new(),
            defs: Vec::new(),
            aliases: Vec::new(),
            names,
            component_names: HashMap::new(),
            findings: RefCell::new(Vec::new()),
            warned: RefCell::new(HashSet::new()),
            patterns: RefCell::new(IndexMap::new()),
            needs_validation: Vec::new(),
            request_schemas: RefCell::new(Vec::new()),
            schema_validated: RefCell::new(HashSet::new()),
            invalid_defaults: std::cell::OnceCell::new(),
            reaches_unchecked: std::cell::OnceCell::new(),
        };
        // Components get their names first, so that a derived name never takes a component's.
        for (name, id) in space.named() {
            let (target, _) = space.resolve_alias(*id);
            // Only the schema's own name: a component that is a bare `$ref` to another shares
            // its id, and becomes an alias of it.
            let own = space.get(*id).name.as_deref().is_none_or(|n| n == name);
            if own
                && target == *id
                && types.needs_def(*id)
                && !types.component_names.contains_key(id)
            {
                let ident = types.names.fresh(&pascal_ident(name, "T"));
                types.component_names.insert(*id, ident);
            }
        }
        types
    }

    pub(super) fn space(&self) -> &'c TypeSpace {
        self.space
    }

    /// Generates every named component (their response view, or their only one), and an alias
    /// for those that are not structs or enums.
    pub(super) fn add_components(&mut self) {
        for (name, id) in self.space.named() {
            let (ty, nullable) = self.ty(*id, Direction::Response, &pascal_ident(name, "T"));
            let own_def = self
                .space
                .get(*id)
                .name
                .as_deref()
                .is_none_or(|n| n == name)
                && matches!(ty, Ty::Def(i) if self.defs[i].schema == self.space.resolve_alias(*id).0);
            if own_def {
                continue;
            }
            let ty = if nullable { ty.option() } else { ty };
            let ident = self.names.fresh(&pascal_ident(name, "T"));
            let doc = self.doc_of(*id);
            self.aliases.push(Alias {
                name: ident,
                ty,
                doc,
            });
        }
    }

    fn view(&self, id: SchemaId, direction: Direction) -> View {
        match (self.directional[id.0 as usize], direction) {
            (false, _) => View::Neutral,
            (true, Direction::Request) => View::Request,
            (true, Direction::Response) => View::Response,
        }
    }

    /// The schemas a value is read through, outermost first: a schema and the schemas it
    /// stands for (aliases, a single `oneOf` branch, the typed member of an `allOf` of scalars).
    /// Each may carry constraints.
    pub(super) fn chain(&self, id: SchemaId) -> Vec<SchemaId> {
        let mut chain = vec![self.space.resolve_alias(id).0];
        while chain.len() < 16 {
            let Some(last) = chain.last() else { break };
            match self.classify(*last) {
                Class::Same(next, _) => {
                    let next = self.space.resolve_alias(next).0;
                    if chain.contains(&next) {
                        break;
                    }
                    chain.push(next);
                }
                _ => break,
            }
        }
        chain
    }

    fn needs_def(&self, id: SchemaId) -> bool {
        matches!(
            self.classify(id),
            Class::Struct
                | Class::StringEnum(..)
                | Class::OneOf(..)
                | Class::ByType(_)
                | Class::Tuple
        )
    }

    pub(super) fn warn(&self, id: SchemaId, kind: &'static str, message: String) {
        if self.warned.borrow_mut().insert((id, kind)) {
            let loc = self.space.get(id).loc.clone();
            let finding = Finding::new(rule::CODEGEN_APPROXIMATION.id, Level::Warning, message)
                .at(self.contract.location(&loc));
            self.findings.borrow_mut().push(finding);
        }
    }

    /// The Rust type of a schema seen in a direction, and whether `null` is also accepted.
    /// `hint` names the type if the schema needs a definition and is not a component.
    pub(super) fn ty(&mut self, id: SchemaId, direction: Direction, hint: &str) -> (Ty, bool) {
        let (target, nullable) = self.space.resolve_alias(id);
        let view = self.view(target, direction);
        if let Some((ty, null)) = self.memo.get(&(target, view)) {
            return (ty.clone(), nullable || *null);
        }
        let (ty, null) = match self.classify(target) {
            Class::Struct
            | Class::StringEnum(..)
            | Class::OneOf(..)
            | Class::ByType(_)
            | Class::Tuple => (
                self.define(target, view, direction, hint),
                self.extra_null(target),
            ),
            class => {
                if !self.in_progress.insert((target, view)) {
                    self.warn(target, "cycle", "a schema that contains itself only through arrays, maps or aliases is typed as any JSON value".into());
                    return (Ty::Value, nullable);
                }
                let result = self.inline(class, direction, hint);
                self.in_progress.remove(&(target, view));
                result
            }
        };
        self.memo.insert((target, view), (ty.clone(), null));
        (ty, nullable || null)
    }

    fn extra_null(&self, id: SchemaId) -> bool {
        match self.classify(id) {
            Class::StringEnum(_, null) | Class::OneOf(_, null) => null,
            _ => false,
        }
    }

    fn inline(&mut self, class: Class, direction: Direction, hint: &str) -> (Ty, bool) {
        match class {
            Class::Same(id, null) => {
                let (ty, n) = self.ty(id, direction, hint);
                (ty, n || null)
            }
            Class::Inline(ty, null) => (ty, null),
            Class::Array(items) => match items {
                Some(items) => {
                    let (ty, null) = self.ty(items, direction, &format!("{hint}Item"));
                    let ty = if null { ty.option() } else { ty };
                    (Ty::Vec(Box::new(ty)), false)
                }
                None => (Ty::Vec(Box::new(Ty::Value)), false),
            },
            Class::Map(values) => match values {
                Some(values) => {
                    let (ty, null) = self.ty(values, direction, &format!("{hint}Value"));
                    let ty = if null { ty.option() } else { ty };
                    (Ty::Map(Box::new(ty)), false)
                }
                None => (Ty::Map(Box::new(Ty::Value)), false),
            },
            Class::Struct
            | Class::StringEnum(..)
            | Class::OneOf(..)
            | Class::ByType(_)
            | Class::Tuple => (Ty::Value, false),
        }
    }

    /// Allocates a definition (so that recursive references find it), then builds it.
    fn define(&mut self, id: SchemaId, view: View, direction: Direction, hint: &str) -> Ty {
        let base = match self.component_names.get(&id) {
            Some(name) => name.clone(),
            None => pascal_ident(hint, "T"),
        };
        let name = match (view, self.component_names.get(&id)) {
            (View::Request, _) => self.names.fresh(&format!("{base}Input")),
            (_, Some(name)) => name.clone(),
            (_, None) => self.names.fresh(&base),
        };
        let index = self.defs.len();
        let doc = self.doc_of(id);
        self.defs.push(Def {
            name,
            schema: id,
            view,
            doc,
            kind: DefKind::Pending,
        });
        self.memo
            .insert((id, view), (Ty::Def(index), self.extra_null(id)));
        let kind = match self.classify(id) {
            Class::StringEnum(values, _) => self.string_enum(&values),
            Class::OneOf(branches, _) => self.one_of(index, id, &branches, direction),
            Class::ByType(types) => self.by_type(index, id, &types, direction),
            Class::Tuple => self.tuple(index, id, direction),
            _ => self.structure(index, id, view, direction),
        };
        self.defs[index].kind = kind;
        Ty::Def(index)
    }

    fn doc_of(&self, id: SchemaId) -> Option<String> {
        let s = self.space.get(id);
        s.description.clone().or_else(|| s.title.clone())
    }

    /// How a (resolved) schema is represented.
    fn classify(&self, id: SchemaId) -> Class {
        let s = self.space.get(id);
        if s.unresolved {
            return Class::Inline(Ty::Value, false);
        }
        let branches = if s.one_of.is_empty() {
            &s.any_of
        } else {
            &s.one_of
        };
        if !branches.is_empty() && s.properties.is_empty() {
            let (nulls, rest): (Vec<SchemaId>, Vec<SchemaId>) = branches
                .iter()
                .partition(|b| is_null_schema(self.space.get(**b)));
            let null = !nulls.is_empty();
            return match rest.as_slice() {
                [] => Class::Inline(Ty::Value, true),
                [one] => Class::Same(*one, null),
                _ => Class::OneOf(rest, null),
            };
        }
        if let Some(values) = &s.enum_values {
            let null = values.iter().any(Value::is_null);
            let strings: Option<Vec<String>> = values
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| v.as_str().map(str::to_string))
                .collect();
            let string_typed = s
                .types
                .as_ref()
                .is_none_or(|t| t.iter().all(|t| *t == InstanceType::String));
            if let Some(strings) = strings.filter(|s| !s.is_empty())
                && string_typed
            {
                let mut unique: Vec<String> = Vec::new();
                for value in strings {
                    if !unique.contains(&value) {
                        unique.push(value);
                    }
                }
                return Class::StringEnum(unique, null);
            }
        }
        if let Some(Value::String(value)) = &s.rare().const_value {
            return Class::StringEnum(vec![value.clone()], false);
        }
        if !s.all_of.is_empty() {
            let merged = self.merge(id, Direction::Response);
            if !merged.props.is_empty() || self.all_of_is_object(s) {
                return Class::Struct;
            }
            // An allOf of scalars (`allOf: [{type: string}, {maxLength: 5}]`): the first typed member.
            let typed = s.all_of.iter().find(|m| {
                self.space
                    .get(self.space.resolve_alias(**m).0)
                    .types
                    .is_some()
            });
            return match typed {
                Some(member) => Class::Same(*member, false),
                None => Class::Inline(Ty::Value, false),
            };
        }
        match s.types.as_deref() {
            None => {
                if !s.properties.is_empty() {
                    Class::Struct
                } else if let Some(values) = self.typed_pattern_values(id) {
                    Class::Map(Some(values))
                } else if let Some(AdditionalProperties::Schema(values)) = s.additional_properties {
                    Class::Map(Some(values))
                } else if !s.prefix_items.is_empty() {
                    Class::Tuple
                } else if s.items.is_some() {
                    Class::Array(s.items)
                } else {
                    Class::Inline(Ty::Value, false)
                }
            }
            Some([]) => Class::Inline(Ty::Value, true),
            Some([t]) => match t {
                InstanceType::Object => {
                    if !s.properties.is_empty() {
                        Class::Struct
                    } else if let Some(values) = self.typed_pattern_values(id) {
                        Class::Map(Some(values))
                    } else if let Some(AdditionalProperties::Schema(values)) =
                        s.additional_properties
                    {
                        Class::Map(Some(values))
                    } else {
                        Class::Map(None)
                    }
                }
                InstanceType::Array if !s.prefix_items.is_empty() => Class::Tuple,
                InstanceType::Array => Class::Array(s.items),
                InstanceType::String
                | InstanceType::Boolean
                | InstanceType::Number
                | InstanceType::Integer => Class::Inline(
                    scalar_ty(*t, s.format.as_deref()).unwrap_or(Ty::Value),
                    false,
                ),
            },
            Some(types) => {
                let mut distinct: Vec<InstanceType> = Vec::new();
                for t in types {
                    if !distinct.contains(t) {
                        distinct.push(*t);
                    }
                }
                // Several types: an enum whose object arm is the struct of the properties
                // (`type: [object, string]` was the struct alone, which refused the string).
                if distinct.len() == 1 && !s.properties.is_empty() {
                    Class::Struct
                } else {
                    Class::ByType(distinct)
                }
            }
        }
    }

    fn all_of_is_object(&self, s: &Schema) -> bool {
        s.all_of.iter().any(|m| {
            let t = self.space.get(self.space.resolve_alias(*m).0);
            t.has_type(InstanceType::Object) || !t.properties.is_empty() || self.all_of_is_object(t)
        })
    }

    /// An object schema's visible properties with its `allOf` members merged in (members
    /// first, the schema's own properties last, so that they win).
    pub(super) fn merge(&self, id: SchemaId, direction: Direction) -> Merged {
        let mut merged = Merged::default();
        let mut seen = HashSet::new();
        self.merge_into(id, direction, &mut merged, &mut seen, true);
        let props = &merged.props;
        merged.required.retain(|r| props.contains_key(r));
        merged
    }

    fn merge_into(
        &self,
        id: SchemaId,
        direction: Direction,
        out: &mut Merged,
        seen: &mut HashSet<SchemaId>,
        top: bool,
    ) {
        let (target, _) = self.space.resolve_alias(id);
        if !seen.insert(target) {
            return;
        }
        let s = self.space.get(target);
        for member in &s.all_of {
            self.merge_into(*member, direction, out, seen, false);
        }
        if !top && (!s.one_of.is_empty() || !s.any_of.is_empty()) {
            out.unmerged = true;
        }
        for (name, prop) in &s.properties {
            if self.space.property_visible(*prop, direction) {
                out.props.insert(name.clone(), *prop);
            } else {
                out.props.shift_remove(name);
            }
        }
        out.required.extend(s.required.iter().cloned());
        if let Some(additional) = s.additional_properties
            && (top || out.additional.is_none())
        {
            out.additional = Some(additional);
        }
    }

    fn structure(
        &mut self,
        index: usize,
        id: SchemaId,
        view: View,
        direction: Direction,
    ) -> DefKind {
        let merged = self.merge(id, direction);
        if merged.unmerged {
            self.warn(id, "allof-oneof", "an allOf member with oneOf/anyOf is not merged: only the object properties are typed".into());
        }
        let owner = self.defs[index].name.clone();
        let mut idents = Namer::snake();
        let mut fields = Vec::new();
        for (wire, prop) in &merged.props {
            let ident = idents.fresh(&snake_ident(wire));
            let hint = format!("{owner}{}", pascal_ident(wire, "Field"));
            let (ty, nullable) = self.ty(*prop, direction, &hint);
            let p = self.space.get(*prop);
            let mut doc = p.description.clone().or_else(|| p.title.clone());
            let required = merged.required.contains(wire);
            let default = if required {
                None
            } else {
                self.default_expr(*prop, &ty, nullable, "")
            };
            if let (Some(_), Some(value)) = (&default, self.default_value(*prop)) {
                let note = format!("Absent: `{value}`.");
                doc = Some(doc.map_or(note.clone(), |doc| format!("{doc}\n\n{note}")));
            }
            fields.push(Field {
                ident,
                wire: wire.clone(),
                ty,
                required,
                nullable,
                schema: *prop,
                doc,
                default,
            });
        }
        // Names `patternProperties` admits are not unknown: they go to the flattened map, typed
        // when the patterns share a type.
        let with_patterns = !self.space.get(id).rare().pattern_properties.is_empty();
        let pattern_values = if with_patterns {
            self.typed_pattern_values(id)
        } else {
            None
        };
        let additional = match (with_patterns, pattern_values, merged.additional) {
            (true, Some(values), _) | (false, _, Some(AdditionalProperties::Schema(values))) => {
                let (ty, null) = self.ty(values, direction, &format!("{owner}Value"));
                let schema = (!with_patterns).then_some(values);
                Some((if null { ty.option() } else { ty }, schema))
            }
            (true, None, _) => Some((Ty::Value, None)),
            (false, _, Some(AdditionalProperties::Any)) if !fields.is_empty() => {
                Some((Ty::Value, None))
            }
            _ => None,
        };
        let additional =
            additional.map(|(ty, schema)| (idents.fresh("additional_properties"), ty, schema));
        let deny_unknown = !with_patterns
            && merged.additional == Some(AdditionalProperties::Forbidden)
            && view == View::Neutral;
        DefKind::Struct {
            fields,
            additional,
            deny_unknown,
            patterned: pattern_values.is_some(),
        }
    }

    fn string_enum(&mut self, values: &[String]) -> DefKind {
        let mut idents = Namer::pascal();
        let variants = values
            .iter()
            .map(|v| (idents.fresh(&pascal_ident(v, "V")), v.clone()))
            .collect();
        DefKind::StringEnum { variants }
    }

    fn one_of(
        &mut self,
        index: usize,
        id: SchemaId,
        branches: &[SchemaId],
        direction: Direction,
    ) -> DefKind {
        let owner = self.defs[index].name.clone();
        let mut idents = Namer::pascal();
        let mut variants = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let b = self.space.get(*branch);
            // A title that already names the owner is not prefixed again (`Contact` with a
            // branch titled "Contact by phone": `ContactByPhone`, not `ContactContactByPhone`).
            let hint = match b.title.as_deref().map(|t| pascal_ident(t, "T")) {
                Some(title) if title.starts_with(&owner) => title,
                Some(title) => format!("{owner}{title}"),
                None => format!("{owner}Variant{}", i + 1),
            };
            let (ty, _) = self.ty(*branch, direction, &hint);
            let ident = idents.fresh(&self.variant_name(&ty, &owner));
            variants.push(Variant {
                ident,
                ty,
                schema: *branch,
            });
        }
        if let Some(tag) = self.tagging(id, &variants) {
            return DefKind::OneOf {
                dispatch: Dispatch::Tag(tag),
                variants,
            };
        }
        // serde tries untagged variants in order: the most specific first.
        let mut ranked: Vec<(Vec<i64>, Variant)> = variants
            .into_iter()
            .map(|v| (self.rank(&v, direction), v))
            .collect();
        ranked.sort_by(|a, b| a.0.cmp(&b.0));
        DefKind::OneOf {
            dispatch: Dispatch::Untagged,
            variants: ranked.into_iter().map(|(_, v)| v).collect(),
        }
    }

    /// The enum of a `type` array: a variant per JSON type, each read through the schema itself
    /// (its `items`, or the tuple of its `prefixItems`, for the array variant; the struct of its
    /// `properties`, or its `additionalProperties`, for the object one), named after its type
    /// (`Integer(i64)`, `String(String)`, `Object(CodedEitherObject)`).
    fn by_type(
        &mut self,
        index: usize,
        id: SchemaId,
        types: &[InstanceType],
        direction: Direction,
    ) -> DefKind {
        let owner = self.defs[index].name.clone();
        let s = self.space.get(id);
        let (format, items, additional) = (s.format.clone(), s.items, s.additional_properties);
        let (tuple, structure) = (!s.prefix_items.is_empty(), !s.properties.is_empty());
        let view = self.defs[index].view;
        let mut variants = Vec::new();
        for t in types {
            let ty = match t {
                // `prefixItems` and `properties` apply to their type's arm: a tuple struct, a
                // struct, defined beside the enum.
                InstanceType::Array if tuple => self.arm_def(index, id, "Array", |types, arm| {
                    types.tuple(arm, id, direction)
                }),
                InstanceType::Object if structure => {
                    self.arm_def(index, id, "Object", |types, arm| {
                        types.structure(arm, id, view, direction)
                    })
                }
                InstanceType::Array => self.inline(Class::Array(items), direction, &owner).0,
                InstanceType::Object => {
                    let values = match additional {
                        Some(AdditionalProperties::Schema(values)) => Some(values),
                        _ => None,
                    };
                    self.inline(Class::Map(values), direction, &owner).0
                }
                scalar => scalar_ty(*scalar, format.as_deref()).unwrap_or(Ty::Value),
            };
            variants.push(Variant {
                ident: pascal_ident(t.as_str(), "V"),
                ty,
                schema: id,
            });
        }
        DefKind::OneOf {
            dispatch: Dispatch::JsonType(types.to_vec()),
            variants,
        }
    }

    /// A definition of schema `id` for one arm of the `type` array enum `owner` (its object
    /// arm's struct, its array arm's tuple), named `{Owner}{suffix}`.
    fn arm_def(
        &mut self,
        owner: usize,
        id: SchemaId,
        suffix: &str,
        build: impl FnOnce(&mut Self, usize) -> DefKind,
    ) -> Ty {
        let (name, view) = (&self.defs[owner].name, self.defs[owner].view);
        let name = self.names.fresh(&format!("{name}{suffix}"));
        let index = self.defs.len();
        self.defs.push(Def {
            name,
            schema: id,
            view,
            doc: None,
            kind: DefKind::Pending,
        });
        let kind = build(self, index);
        self.defs[index].kind = kind;
        Ty::Def(index)
    }

    /// The tuple struct of an array with `prefixItems`: a field per position, required up to
    /// `minItems`, then the other items (`items`, any JSON value when absent) unless
    /// `items: false`.
    fn tuple(&mut self, index: usize, id: SchemaId, direction: Direction) -> DefKind {
        let owner = self.defs[index].name.clone();
        let s = self.space.get(id);
        let (prefix, items, min_items) = (s.prefix_items.clone(), s.items, s.min_items);
        let mut positions = Vec::new();
        for (i, position) in prefix.iter().enumerate() {
            let (ty, nullable) = self.ty(*position, direction, &format!("{owner}Item{i}"));
            let p = self.space.get(*position);
            positions.push(Field {
                ident: i.to_string(),
                wire: String::new(),
                ty,
                required: min_items.is_some_and(|min| (i as u64) < min),
                nullable,
                schema: *position,
                doc: p.description.clone().or_else(|| p.title.clone()),
                default: None,
            });
        }
        let rest = match items {
            Some(items) if self.is_false(items) => None,
            Some(items) => {
                let (ty, null) = self.ty(items, direction, &format!("{owner}Item"));
                Some((if null { ty.option() } else { ty }, Some(items)))
            }
            None => Some((Ty::Value, None)),
        };
        DefKind::Tuple { positions, rest }
    }

    /// Whether a schema is `false` (read as `not: {}`): it accepts nothing.
    pub(super) fn is_false(&self, id: SchemaId) -> bool {
        let s = self.space.get(id);
        let anything = |s: &Schema| {
            *s == Schema {
                loc: s.loc.clone(),
                ..Schema::default()
            }
        };
        s.not.is_some_and(|not| anything(self.space.get(not)))
            && *s
                == Schema {
                    loc: s.loc.clone(),
                    not: s.not,
                    ..Schema::default()
                }
    }

    /// The schema of a map's values when its `patternProperties` are typed: an object whose
    /// undeclared names all match a pattern or fall to an `additionalProperties` schema (not to
    /// any value), every pattern an ECMA-262 regular expression that no declared property name
    /// matches, every value schema of one Rust type. The map's values (a struct's flattened map
    /// next to its properties) are that type; each is checked by the schemas whose patterns its
    /// name matches (`checks.rs`).
    pub(super) fn pattern_values(&self, id: SchemaId) -> Option<SchemaId> {
        let s = self.space.get(id);
        let patterns = &s.rare().pattern_properties;
        if patterns.is_empty() {
            return None;
        }
        let mut values: Vec<SchemaId> = patterns.values().copied().collect();
        match s.additional_properties {
            Some(AdditionalProperties::Forbidden) => {}
            Some(AdditionalProperties::Schema(additional)) => values.push(additional),
            Some(AdditionalProperties::Any) | None => return None,
        }
        let compiles = |p: &String| {
            regress::Regex::with_flags(p, "u").is_ok() || regress::Regex::new(p).is_ok()
        };
        if !patterns.keys().all(compiles) {
            return None;
        }
        let declared_match = patterns.keys().any(|p| {
            let regex = regress::Regex::with_flags(p, "u").or_else(|_| regress::Regex::new(p));
            regex.is_ok_and(|r| s.properties.keys().any(|name| r.find(name).is_some()))
        });
        if declared_match {
            return None;
        }
        let first = self.type_key(values[0])?;
        values[1..]
            .iter()
            .all(|v| self.type_key(*v).as_ref() == Some(&first))
            .then_some(values[0])
    }

    /// [`Types::pattern_values`], saying once per schema when the values stay
    /// `serde_json::Value`: each is still checked by its pattern's schema (the generated checks,
    /// or the schema of a request body).
    fn typed_pattern_values(&self, id: SchemaId) -> Option<SchemaId> {
        let values = self.pattern_values(id);
        if values.is_none() && !self.space.get(id).rare().pattern_properties.is_empty() {
            self.warn(
                id,
                "untyped-patterns",
                "the values of `patternProperties` are typed as `serde_json::Value`: the patterns' \
                 schemas differ in type, or names no pattern matches are admitted"
                    .into(),
            );
        }
        values
    }

    /// What decides a schema's Rust type, for comparing the value schemas of a map: the
    /// definition it is (its schema), or its inline type and nullability; `None` for arrays
    /// and maps (typed by their own items).
    fn type_key(&self, id: SchemaId) -> Option<String> {
        let (target, nullable) = self.space.resolve_alias(id);
        let last = self.chain(target).last().copied().unwrap_or(target);
        if self.needs_def(last) {
            return Some(format!("def {} {nullable}", last.0));
        }
        match self.classify(last) {
            Class::Inline(ty, null) => Some(format!("{ty:?} {}", nullable || null)),
            _ => None,
        }
    }

    /// Whether `prefixItems` of schema `id` is typed (a tuple struct checks each position).
    pub(super) fn typed_prefix_items(&self, id: SchemaId) -> bool {
        match self.classify(id) {
            Class::Tuple => true,
            // The array arm of a `type` array is the tuple.
            Class::ByType(types) => {
                types.contains(&InstanceType::Array) && !self.space.get(id).prefix_items.is_empty()
            }
            _ => false,
        }
    }

    /// The variant of `owner` holding a `ty`: the type's name without the owner's in front
    /// (`Contact::ByPhone(ContactByPhone)`, `Contact::Variant1(ContactVariant1)`).
    fn variant_name(&self, ty: &Ty, owner: &str) -> String {
        match ty {
            Ty::Def(i) => {
                let name = &self.defs[*i].name;
                match name.strip_prefix(owner) {
                    Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => {
                        pascal_ident(rest, "V")
                    }
                    _ => name.clone(),
                }
            }
            Ty::Bool => "Boolean".into(),
            Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 => "Integer".into(),
            Ty::F64 => "Number".into(),
            Ty::String => "String".into(),
            Ty::Vec(_) => "Array".into(),
            Ty::Map(_) => "Object".into(),
            Ty::Value => "Value".into(),
            Ty::Option(t) | Ty::Boxed(t) => self.variant_name(t, owner),
        }
    }

    /// The sort key of an untagged variant: objects with more required properties first (an
    /// object with fewer would also accept their values), then enums, arrays, integers before
    /// numbers, booleans, strings, free-form objects, anything.
    fn rank(&self, variant: &Variant, direction: Direction) -> Vec<i64> {
        match &variant.ty {
            Ty::Def(_) => {
                let (target, _) = self.space.resolve_alias(variant.schema);
                match self.classify(target) {
                    Class::Struct => {
                        let merged = self.merge(target, direction);
                        vec![
                            0,
                            -(merged.required.len() as i64),
                            -(merged.props.len() as i64),
                        ]
                    }
                    Class::OneOf(..) => vec![1],
                    _ => vec![2],
                }
            }
            Ty::Vec(_) => vec![3],
            Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 => vec![4],
            Ty::F64 => vec![5],
            Ty::Bool => vec![6],
            Ty::String => vec![7],
            Ty::Map(_) => vec![8],
            Ty::Value | Ty::Option(_) | Ty::Boxed(_) => vec![9],
        }
    }

    /// Internal tagging, when the schema has a discriminator and every variant is a struct
    /// with a known tag value (from `mapping`, or its component name).
    fn tagging(&self, id: SchemaId, variants: &[Variant]) -> Option<Tagging> {
        let discriminator = self.space.get(id).rare().discriminator.as_ref()?;
        let mut arms = Vec::new();
        for (i, variant) in variants.iter().enumerate() {
            let Ty::Def(d) = variant.ty else { return None };
            if !matches!(self.classify(self.defs[d].schema), Class::Struct) {
                return None;
            }
            let (target, _) = self.space.resolve_alias(variant.schema);
            let mut tags: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, mapped)| self.space.resolve_alias(**mapped).0 == target)
                .map(|(tag, _)| tag.clone())
                .collect();
            if tags.is_empty() {
                tags.push(self.space.get(target).name.clone()?);
            }
            arms.extend(tags.into_iter().map(|t| (t, i)));
        }
        Some(Tagging {
            property: discriminator.property_name.clone(),
            arms,
        })
    }

    /// A named `static` for a pattern, or `None` (with a finding) when it does not compile as
    /// an ECMA-262 regular expression.
    pub(super) fn pattern(&self, id: SchemaId, source: &str) -> Option<String> {
        if let Some(p) = self.patterns.borrow().get(source) {
            return Some(p.name.clone());
        }
        let flags = if regress::Regex::with_flags(source, "u").is_ok() {
            "u"
        } else if regress::Regex::new(source).is_ok() {
            ""
        } else {
            self.warn(
                id,
                "pattern",
                format!("pattern `{source}` is not an ECMA-262 regular expression: not checked"),
            );
            return None;
        };
        let name = format!("PATTERN_{}", self.patterns.borrow().len() + 1);
        self.patterns.borrow_mut().insert(
            source.to_string(),
            PatternDef {
                name: name.clone(),
                source: source.to_string(),
                flags,
            },
        );
        Some(name)
    }

    /// Decides which definitions need validation: those with a constraint of their own, and
    /// those that reach one through their fields (so that no `validate` only recurses).
    pub(super) fn compute_validation(&mut self) {
        let n = self.defs.len();
        self.needs_validation = vec![false; n];
        let marked = crate::graph::reaching(
            n,
            |i| {
                let mut targets = Vec::new();
                match &self.defs[i].kind {
                    DefKind::Struct {
                        fields, additional, ..
                    } => {
                        fields.iter().for_each(|f| def_refs(&f.ty, &mut targets));
                        if let Some((_, ty, _)) = additional {
                            def_refs(ty, &mut targets);
                        }
                    }
                    DefKind::OneOf { variants, .. } => {
                        variants.iter().for_each(|v| def_refs(&v.ty, &mut targets))
                    }
                    DefKind::Tuple { positions, rest } => {
                        positions.iter().for_each(|p| def_refs(&p.ty, &mut targets));
                        if let Some((ty, _)) = rest {
                            def_refs(ty, &mut targets);
                        }
                    }
                    DefKind::Pending | DefKind::StringEnum { .. } => {}
                }
                targets
            },
            |i| self.has_own_checks(i),
        );
        self.needs_validation = marked;
    }

    /// Whether a definition has a constraint of its own (with no delegation counted: called
    /// while `needs_validation` is all false).
    fn has_own_checks(&self, i: usize) -> bool {
        match &self.defs[i].kind {
            DefKind::Struct {
                fields,
                additional,
                patterned,
                ..
            } => {
                fields
                    .iter()
                    .any(|f| !self.checks(f.schema, &f.declared()).is_empty())
                    || additional.as_ref().is_some_and(|(_, ty, schema)| {
                        schema.is_some_and(|s| !self.checks(s, ty).is_empty())
                    })
                    || (*patterned
                        && additional.as_ref().is_some_and(|(_, ty, _)| {
                            self.pattern_map_checks(self.defs[i].schema, ty, 0)
                                .is_some()
                        }))
            }
            DefKind::OneOf { variants, .. } => variants
                .iter()
                .any(|v| !self.checks(v.schema, &v.ty).is_empty()),
            DefKind::Tuple { .. } => !self.tuple_checks(i).is_empty(),
            DefKind::Pending | DefKind::StringEnum { .. } => false,
        }
    }

    /// Boxes the fields and variants through which a type contains itself by value.
    pub(super) fn box_recursion(&mut self) {
        let n = self.defs.len();
        let edges: Vec<Vec<usize>> = self
            .defs
            .iter()
            .map(|d| by_value_targets(&d.kind))
            .collect();
        let component = strongly_connected(n, &edges);
        for i in 0..n {
            let needs_box =
                |ty: &Ty| by_value_target(ty).is_some_and(|j| component[j] == component[i]);
            match &mut self.defs[i].kind {
                DefKind::Struct { fields, .. } => {
                    for field in fields.iter_mut() {
                        if needs_box(&field.ty) {
                            field.ty = Ty::Boxed(Box::new(field.ty.clone()));
                        }
                    }
                }
                DefKind::OneOf { variants, .. } => {
                    for variant in variants.iter_mut() {
                        if needs_box(&variant.ty) {
                            variant.ty = Ty::Boxed(Box::new(variant.ty.clone()));
                        }
                    }
                }
                DefKind::Tuple { positions, .. } => {
                    for position in positions.iter_mut() {
                        if needs_box(&position.ty) {
                            position.ty = Ty::Boxed(Box::new(position.ty.clone()));
                        }
                    }
                }
                DefKind::Pending | DefKind::StringEnum { .. } => {}
            }
        }
    }
}

/// The definitions a type mentions.
fn def_refs(ty: &Ty, out: &mut Vec<usize>) {
    match ty {
        Ty::Def(i) => out.push(*i),
        Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => def_refs(t, out),
        _ => {}
    }
}

/// The type of a value of one scalar JSON type and `format`; `None` for arrays and objects.
pub(super) fn scalar_ty(ty: InstanceType, format: Option<&str>) -> Option<Ty> {
    Some(match ty {
        InstanceType::String => Ty::String,
        InstanceType::Boolean => Ty::Bool,
        InstanceType::Number => Ty::F64,
        InstanceType::Integer => integer_type(format),
        InstanceType::Array | InstanceType::Object => return None,
    })
}

fn integer_type(format: Option<&str>) -> Ty {
    match format {
        Some("int32" | "int16" | "int8") => Ty::I32,
        Some("uint32" | "uint16" | "uint8") => Ty::U32,
        Some("uint64") => Ty::U64,
        _ => Ty::I64,
    }
}

/// `{type: "null"}` (or a 3.0 schema that is only `nullable`).
fn is_null_schema(s: &Schema) -> bool {
    s.types.as_ref().is_some_and(Vec::is_empty) && s.nullable
}

fn by_value_target(ty: &Ty) -> Option<usize> {
    match ty {
        Ty::Def(i) => Some(*i),
        Ty::Option(t) => by_value_target(t),
        _ => None,
    }
}

fn by_value_targets(kind: &DefKind) -> Vec<usize> {
    match kind {
        DefKind::Struct { fields, .. } => fields
            .iter()
            .filter_map(|f| by_value_target(&f.ty))
            .collect(),
        DefKind::OneOf { variants, .. } => variants
            .iter()
            .filter_map(|v| by_value_target(&v.ty))
            .collect(),
        DefKind::Tuple { positions, .. } => positions
            .iter()
            .filter_map(|p| by_value_target(&p.ty))
            .collect(),
        DefKind::Pending | DefKind::StringEnum { .. } => Vec::new(),
    }
}

/// Tarjan's algorithm, iteratively (type graphs of real specs are deep): the component of
/// each node. A node on a cycle shares its component with the rest of the cycle; a node with
/// a self-edge is its own component and is checked by the caller through the edge.
fn strongly_connected(n: usize, edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((v, edge)) = work.pop() {
            if edge == 0 {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(edge) {
                work.push((v, edge + 1));
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    /// The `src/models.rs` of a spec whose components are `schemas` (YAML, indented by four).
    pub(crate) fn models_of(schemas: &str) -> String {
        let contract = crate::model::test_contract(&format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        ));
        let generated = crate::codegen::rust::generate(&contract, &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        generated
            .files
            .get("src/models.rs")
            .unwrap_or_default()
            .to_string()
    }

    /// `type: [object, string]` with `properties` was the struct alone (a string was refused);
    /// `type: [array, string]` with `prefixItems` had an array arm of `Vec<serde_json::Value>`.
    /// Now the object arm is the struct and the array arm the tuple. Values of
    /// `patternProperties` that stay `serde_json::Value` are said.
    #[test]
    fn type_arrays_type_their_object_and_array_arms() {
        let schemas = "    Thing:\n      type: object\n      properties:\n        either: {type: [object, string], properties: {a: {type: integer, minimum: 1}}, minLength: 2}\n        pairOrName: {type: [array, string], prefixItems: [{type: string}, {type: integer}], items: false}\n        maybe: {type: [object, 'null'], properties: {a: {type: integer}}}\n        mixed: {type: object, patternProperties: {'^x-': {type: integer}, '^s-': {type: string}}, additionalProperties: false}\n";
        let models = models_of(schemas);
        assert!(
            models.contains(
                "pub enum ThingEither {\n    Object(ThingEitherObject),\n    String(String),\n}"
            ),
            "{models}"
        );
        assert!(
            models.contains("pub struct ThingEitherObject {"),
            "{models}"
        );
        assert!(
            models.contains("pub enum ThingPairOrName {\n    Array(ThingPairOrNameArray),\n    String(String),\n}"),
            "{models}"
        );
        assert!(
            models
                .contains("pub struct ThingPairOrNameArray(pub Option<String>, pub Option<i64>);"),
            "{models}"
        );
        assert!(
            models.contains("pub maybe: Option<Option<ThingMaybe>>,"),
            "{models}"
        );
        let contract = crate::model::test_contract(&format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        ));
        let generated = crate::codegen::rust::generate(&contract, &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            generated.findings.iter().any(|f| f
                .message
                .contains("`patternProperties` are typed as `serde_json::Value`")),
            "{:?}",
            generated.findings
        );
    }

    /// `type: [string, integer, "null"]` is an optional enum with a variant per JSON type,
    /// read by the value's type (an integer is never the number variant when there is an
    /// integer one), each variant checked by the keywords of its type; it was
    /// `serde_json::Value`.
    #[test]
    fn type_arrays_are_enums_of_their_types() {
        let models = models_of(
            "    Thing:\n      type: object\n      required: [code]\n      properties:\n        code: {type: [string, integer, 'null'], minLength: 2, minimum: 10}\n        amount: {type: [number, integer], default: 3}\n",
        );
        assert!(models.contains("pub code: Option<ThingCode>,"), "{models}");
        assert!(models.contains("pub amount: ThingAmount,"), "{models}");
        assert!(
            models.contains("pub enum ThingCode {\n    Integer(i64),\n    String(String),\n}"),
            "{models}"
        );
        assert!(
            models.contains("pub enum ThingAmount {\n    Number(f64),\n    Integer(i64),\n}"),
            "{models}"
        );
        // The integer arm is tried first; anything else is an error naming the types.
        let amount = &models[models
            .find("impl<'de> Deserialize<'de> for ThingAmount")
            .unwrap_or(0)..];
        let integer = amount
            .find("if value.is_i64() || value.is_u64()")
            .unwrap_or(usize::MAX);
        let number = amount.find("<f64>::deserialize(value)").unwrap_or(0);
        assert!(integer < number, "{amount}");
        assert!(
            models.contains("\"invalid type: expected integer or string\""),
            "{models}"
        );
        assert!(
            models.contains("Self::String(value) => {\n                runtime::check_length("),
            "{models}"
        );
        assert!(
            models.contains("Self::Integer(value) => {\n                runtime::check_number("),
            "{models}"
        );
        assert!(models.contains("ThingAmount::Integer(3)"), "{models}");
        assert!(!models.contains("serde_json::Value>"), "{models}");
    }

    /// `prefixItems` is a tuple struct (it was `Vec<serde_json::Value>`): positions past
    /// `minItems` are optional, `items: false` refuses more items, other `items` are the rest,
    /// and each position is checked at its index.
    #[test]
    fn prefix_items_are_tuples() {
        let models = models_of(
            "    Shapes:\n      type: object\n      properties:\n        pair: {type: array, prefixItems: [{type: string}, {type: integer, minimum: 0}], items: false, minItems: 2}\n        open: {type: array, prefixItems: [{type: string}, {type: [integer, 'null']}], items: {type: integer, maximum: 9}, minItems: 1, maxItems: 4}\n",
        );
        assert!(models.contains("pub pair: Option<ShapesPair>,"), "{models}");
        assert!(
            models.contains("pub struct ShapesPair(pub String, pub i64);"),
            "{models}"
        );
        assert!(
            models.contains("\"too many items, expected an array of 2 items\""),
            "{models}"
        );
        assert!(
            models.contains("let at = &at.index(1);\n            let value = &self.1;"),
            "{models}"
        );
        assert!(
            models.contains("pub struct ShapesOpen(\n    pub String,\n    pub Option<Option<i64>>,\n    /// The items after the first 2 items.\n    pub Vec<i64>,\n);"),
            "{models}"
        );
        assert!(
            models.contains("let item1: Option<Option<i64>> = seq.next_element()?;"),
            "{models}"
        );
        assert!(
            models.contains("let at = &at.index(2 + index);"),
            "{models}"
        );
        assert!(models.contains("max_items: Some(4)"), "{models}");
        assert!(!models.contains("serde_json::Value>"), "{models}");
    }

    /// `patternProperties` whose value schemas share a type, on an object whose other names are
    /// refused or typed alike, is a map of that type (it was of `serde_json::Value`): each value
    /// is checked by the patterns its name matches, a name matching none by
    /// `additionalProperties`. A map whose other names take anything stays untyped.
    #[test]
    fn pattern_properties_are_typed_maps() {
        let models = models_of(
            "    Labels:\n      type: object\n      properties:\n        strict: {type: object, patternProperties: {'^x-': {type: integer, maximum: 9}}, additionalProperties: false}\n        open: {type: object, patternProperties: {'^[a-z]+$': {type: string}}, additionalProperties: {type: string, maxLength: 3}}\n        loose: {type: object, patternProperties: {'^x-': {type: integer}}}\n        mixed: {type: object, patternProperties: {'^x-': {type: integer}, '^s-': {type: string}}, additionalProperties: false}\n",
        );
        assert!(
            models.contains("pub strict: Option<BTreeMap<String, i64>>,"),
            "{models}"
        );
        assert!(
            models.contains("pub open: Option<BTreeMap<String, String>>,"),
            "{models}"
        );
        assert!(
            models.contains("pub loose: Option<BTreeMap<String, serde_json::Value>>,"),
            "{models}"
        );
        assert!(
            models.contains("pub mixed: Option<BTreeMap<String, serde_json::Value>>,"),
            "{models}"
        );
        assert!(
            models.contains("static PATTERN_1: runtime::Pattern = runtime::Pattern::new(\"^x-\""),
            "{models}"
        );
        assert!(models.contains("if crate::models::PATTERN_1.is_match(key) {\n                        matched = true;\n                        runtime::check_number("), "{models}");
        assert!(models.contains("if !matched {\n                        errors.push(at, \"is not a property the schema allows\");"), "{models}");
        // No name is refused where `additionalProperties` types them: it checks them instead.
        assert!(models.contains("if crate::models::PATTERN_2.is_match(key) {\n                        matched = true;\n                    }\n                    if !matched {\n                        runtime::check_length("), "{models}");
    }

    /// Next to `properties`, `patternProperties` with `additionalProperties: false` made the
    /// struct `deny_unknown_fields`, which refused the names the patterns admit (`x-a` below);
    /// they are now its flattened map, typed and checked by pattern. A declared name a pattern
    /// also matches keeps the map untyped (the schema checks it).
    #[test]
    fn pattern_properties_beside_properties_are_admitted() {
        let models = models_of(
            "    Ext:\n      type: object\n      properties: {name: {type: string}}\n      patternProperties: {'^x-': {type: integer}}\n      additionalProperties: false\n    Both:\n      type: object\n      properties: {x-name: {type: string}}\n      patternProperties: {'^x-': {type: string}}\n      additionalProperties: false\n",
        );
        assert!(!models.contains("deny_unknown_fields"), "{models}");
        assert!(
            models.contains(
                "#[serde(flatten)]\n    pub additional_properties: BTreeMap<String, i64>,"
            ),
            "{models}"
        );
        assert!(
            models.contains("if crate::models::PATTERN_1.is_match(key) {"),
            "{models}"
        );
        // No check reads the values: only the names are visited (an unused `value` fails the
        // generated crate's lint).
        assert!(models.contains("for key in value.keys() {"), "{models}");
        assert!(
            models.contains("#[serde(flatten)]\n    pub additional_properties: BTreeMap<String, serde_json::Value>,"),
            "{models}"
        );
    }

    #[test]
    fn cycles_share_a_component() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 → 0
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let c = strongly_connected(5, &edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[0], c[4]);
        assert_ne!(c[3], c[4]);
    }
}
