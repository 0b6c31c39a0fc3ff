//! Schema → TypeScript type expressions. Schemas are first turned into a small type AST
//! ([`Ts`]), which is normalized (flattened, deduplicated unions) and printed with the right
//! parentheses and indentation; nothing here looks at the spec, only at the [`TypeSpace`].

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::naming::{jsdoc, property_key, string_literal};
use crate::model::{
    AdditionalProperties, Besides, Direction, InstanceType, Loc, Schema, SchemaId, TypeSpace,
};

/// A TypeScript type expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ts {
    /// A reference to a declared type (already prefixed, e.g. `M.Pet`).
    Named(String),
    /// `string`, `number`, `boolean`, `unknown`, `null`, `never`, `undefined`, `Blob`.
    Keyword(&'static str),
    /// A literal type, already escaped (`"available"`, `3`, `true`).
    Literal(String),
    Array(Box<Ts>),
    Tuple {
        items: Vec<(Ts, bool)>,
        rest: Option<Box<Ts>>,
    },
    Object(ObjectType),
    Union(Vec<Ts>),
    Intersection(Vec<Ts>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectType {
    pub members: Vec<Member>,
    /// The value type of `[key: string]: T`.
    pub index: Option<Box<Ts>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Already a valid property key (bare or quoted).
    pub key: String,
    pub optional: bool,
    pub ty: Ts,
    pub doc: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    Top,
    UnionMember,
    IntersectionMember,
    ArrayElement,
}

impl Ts {
    pub const UNKNOWN: Ts = Ts::Keyword("unknown");

    /// `A | B` with nested unions flattened, duplicates and `never` removed; `unknown` absorbs.
    pub fn union(parts: Vec<Ts>) -> Ts {
        let mut out: Vec<Ts> = Vec::new();
        let mut stack: Vec<Ts> = parts.into_iter().rev().collect();
        while let Some(part) = stack.pop() {
            match part {
                Ts::Union(inner) => stack.extend(inner.into_iter().rev()),
                Ts::Keyword("never") => {}
                Ts::Keyword("unknown") => return Ts::UNKNOWN,
                other => {
                    if !out.contains(&other) {
                        out.push(other);
                    }
                }
            }
        }
        match out.len() {
            0 => Ts::Keyword("never"),
            1 => out.remove(0),
            _ => Ts::Union(out),
        }
    }

    /// `A & B` with nested intersections flattened, duplicates and `unknown` removed.
    pub fn intersection(parts: Vec<Ts>) -> Ts {
        let mut out: Vec<Ts> = Vec::new();
        let mut stack: Vec<Ts> = parts.into_iter().rev().collect();
        while let Some(part) = stack.pop() {
            match part {
                Ts::Intersection(inner) => stack.extend(inner.into_iter().rev()),
                Ts::Keyword("unknown") => {}
                other => {
                    if !out.contains(&other) {
                        out.push(other);
                    }
                }
            }
        }
        match out.len() {
            0 => Ts::UNKNOWN,
            1 => out.remove(0),
            _ => Ts::Intersection(out),
        }
    }

    pub fn nullable(self, nullable: bool) -> Ts {
        if nullable {
            Ts::union(vec![self, Ts::Keyword("null")])
        } else {
            self
        }
    }

    /// The type printed at nesting level `indent` (in units of two spaces).
    pub fn print(&self, indent: usize) -> String {
        let mut out = String::new();
        self.write(&mut out, indent, Position::Top);
        out
    }

    fn write(&self, out: &mut String, indent: usize, position: Position) {
        match self {
            Ts::Named(name) => out.push_str(name),
            Ts::Keyword(k) => out.push_str(k),
            Ts::Literal(l) => out.push_str(l),
            Ts::Array(item) => {
                item.write(out, indent, Position::ArrayElement);
                out.push_str("[]");
            }
            Ts::Tuple { items, rest } => {
                out.push('[');
                let mut first = true;
                for (item, optional) in items {
                    if !first {
                        out.push_str(", ");
                    }
                    first = false;
                    item.write(
                        out,
                        indent,
                        if *optional {
                            Position::ArrayElement
                        } else {
                            Position::Top
                        },
                    );
                    if *optional {
                        out.push('?');
                    }
                }
                if let Some(rest) = rest {
                    if !first {
                        out.push_str(", ");
                    }
                    out.push_str("...");
                    rest.write(out, indent, Position::ArrayElement);
                    out.push_str("[]");
                }
                out.push(']');
            }
            Ts::Object(object) => object.write(out, indent),
            Ts::Union(parts) => {
                let parens = matches!(
                    position,
                    Position::IntersectionMember | Position::ArrayElement
                );
                if parens {
                    out.push('(');
                }
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" | ");
                    }
                    part.write(out, indent, Position::UnionMember);
                }
                if parens {
                    out.push(')');
                }
            }
            Ts::Intersection(parts) => {
                let parens = position == Position::ArrayElement;
                if parens {
                    out.push('(');
                }
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" & ");
                    }
                    part.write(out, indent, Position::IntersectionMember);
                }
                if parens {
                    out.push(')');
                }
            }
        }
    }

    /// The right-hand side of a type alias: a long union gets one member per line.
    pub fn print_declaration(&self) -> String {
        let one_line = self.print(0);
        match self {
            Ts::Union(parts) if one_line.len() > 80 || one_line.contains('\n') => {
                let mut out = String::new();
                for part in parts {
                    out.push_str("\n  | ");
                    part.write(&mut out, 1, Position::UnionMember);
                }
                out
            }
            _ => format!(" {one_line}"),
        }
    }

    /// Whether this is a plain object type, declarable as an interface.
    pub fn as_object(&self) -> Option<&ObjectType> {
        match self {
            Ts::Object(o) => Some(o),
            _ => None,
        }
    }
}

impl ObjectType {
    fn write(&self, out: &mut String, indent: usize) {
        // `{ kind: "circle" }`: a single undocumented member on one line.
        if let [member] = self.members.as_slice()
            && member.doc.is_empty()
            && self.index.is_none()
        {
            let mut ty = String::new();
            member.ty.write(&mut ty, indent, Position::Top);
            if !ty.contains('\n') {
                let optional = if member.optional { "?" } else { "" };
                out.push_str(&format!("{{ {}{optional}: {ty} }}", member.key));
                return;
            }
        }
        if self.members.is_empty() {
            out.push_str("{ [key: string]: ");
            match &self.index {
                Some(t) => t.write(out, indent, Position::Top),
                None => out.push_str("never"),
            }
            out.push_str(" }");
            return;
        }
        out.push_str("{\n");
        self.write_members(out, indent + 1);
        out.push_str(&"  ".repeat(indent));
        out.push('}');
    }

    /// The members, one per line, at `indent`.
    pub fn write_members(&self, out: &mut String, indent: usize) {
        let pad = "  ".repeat(indent);
        for member in &self.members {
            out.push_str(&jsdoc(&member.doc, indent * 2));
            out.push_str(&pad);
            out.push_str(&member.key);
            if member.optional {
                out.push('?');
            }
            out.push_str(": ");
            member.ty.write(out, indent, Position::Top);
            out.push_str(";\n");
        }
        if let Some(index) = &self.index {
            out.push_str(&pad);
            out.push_str("[key: string]: ");
            index.write(out, indent, Position::Top);
            out.push_str(";\n");
        }
    }
}

/// How a named schema is referred to: its type name, and the name of its request view when the
/// two views differ.
#[derive(Debug, Clone)]
pub struct SchemaName {
    pub name: String,
    pub input_name: Option<String>,
}

impl SchemaName {
    pub fn in_direction(&self, direction: Direction) -> &str {
        match (direction, &self.input_name) {
            (Direction::Request, Some(input)) => input,
            _ => &self.name,
        }
    }
}

/// Alias targets of every schema, computed once: [`Schema::alias_of`] compares a copy of the
/// schema, too costly to repeat for every property of every view of a large spec.
pub struct Aliases {
    targets: Vec<Option<SchemaId>>,
}

impl Aliases {
    pub fn new(types: &TypeSpace) -> Aliases {
        Aliases {
            targets: types.iter().map(|(_, s)| s.alias_of()).collect(),
        }
    }

    pub fn of(&self, id: SchemaId) -> Option<SchemaId> {
        self.targets.get(id.0 as usize).copied().flatten()
    }

    /// Like [`TypeSpace::resolve_alias`], without the nullability.
    pub fn resolve(&self, mut id: SchemaId) -> SchemaId {
        for _ in 0..64 {
            match self.of(id) {
                Some(target) if target != id => id = target,
                _ => break,
            }
        }
        id
    }

    /// [`TypeSpace::property_visible`], with cached alias resolution.
    pub fn visible(&self, types: &TypeSpace, property: SchemaId, direction: Direction) -> bool {
        let flag = |s: &Schema| match direction {
            Direction::Request => s.read_only,
            Direction::Response => s.write_only,
        };
        !(flag(types.get(property)) || flag(types.get(self.resolve(property))))
    }

    /// [`TypeSpace::required_in`], with cached alias resolution.
    pub fn required_in(
        &self,
        types: &TypeSpace,
        id: SchemaId,
        property: &str,
        direction: Direction,
    ) -> bool {
        let schema = types.get(id);
        schema.required.iter().any(|r| r == property)
            && schema
                .properties
                .get(property)
                .is_none_or(|p| self.visible(types, *p, direction))
    }
}

/// Something the generated type can only approximate, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Approximation {
    pub loc: Loc,
    pub message: String,
}

/// Turns schemas into [`Ts`] in one direction, referring to named schemas by name.
pub struct Renderer<'a> {
    pub types: &'a TypeSpace,
    pub aliases: &'a Aliases,
    pub names: &'a HashMap<SchemaId, SchemaName>,
    /// Put before every type name (`M.` in the client module).
    pub prefix: &'a str,
    /// Eager references from the definition being rendered that must not be written as names
    /// (they would make a type alias circular): the target's own structure is inlined instead.
    pub cut: HashSet<SchemaId>,
    /// Named schemas referred to at eager positions (outside object members and array items) by
    /// the definition being rendered: the edges of type alias cycles.
    pub eager: Vec<SchemaId>,
    pub approximations: Vec<Approximation>,
    depth: usize,
}

/// Nesting depth of inline schemas beyond which the renderer gives up (`unknown`).
const MAX_INLINE_DEPTH: usize = 48;

impl<'a> Renderer<'a> {
    pub fn new(
        types: &'a TypeSpace,
        aliases: &'a Aliases,
        names: &'a HashMap<SchemaId, SchemaName>,
        prefix: &'a str,
    ) -> Renderer<'a> {
        Renderer {
            aliases,
            types,
            names,
            prefix,
            cut: HashSet::new(),
            eager: Vec::new(),
            approximations: Vec::new(),
            depth: 0,
        }
    }

    fn approximate(&mut self, schema: &Schema, message: String) {
        self.approximations.push(Approximation {
            loc: schema.loc.clone(),
            message,
        });
    }

    /// The type of a schema used somewhere: its name when it has one, else its structure.
    pub fn reference(&mut self, id: SchemaId, direction: Direction, eager: bool) -> Ts {
        if let Some(name) = self.names.get(&id) {
            if eager {
                self.eager.push(id);
                if self.cut.contains(&id) {
                    return self.body(id, direction, eager, false);
                }
            }
            return Ts::Named(format!("{}{}", self.prefix, name.in_direction(direction)));
        }
        if self.depth >= MAX_INLINE_DEPTH {
            let schema = self.types.get(id);
            self.approximate(
                schema,
                "schema nested too deeply: typed as `unknown`".to_string(),
            );
            return Ts::UNKNOWN;
        }
        self.depth += 1;
        let t = self.body(id, direction, eager, true);
        self.depth -= 1;
        t
    }

    /// The structure of a schema (what a named schema's declaration says). Without
    /// `compositions`, only its own keywords count (allOf/oneOf/anyOf and aliasing are skipped):
    /// that is what a cut reference inlines.
    pub fn body(
        &mut self,
        id: SchemaId,
        direction: Direction,
        eager: bool,
        compositions: bool,
    ) -> Ts {
        let types = self.types;
        let s = types.get(id);
        if s.unresolved {
            return Ts::UNKNOWN;
        }
        if compositions && let Some(target) = self.aliases.of(id) {
            let inner = if target == id {
                Ts::UNKNOWN
            } else {
                self.reference(target, direction, eager)
            };
            return inner.nullable(s.nullable);
        }
        let has_compositions =
            compositions && (!s.all_of.is_empty() || !s.one_of.is_empty() || !s.any_of.is_empty());
        let mut parts: Vec<Ts> = Vec::new();
        if let Some(value) = &s.rare().const_value {
            match literal(value) {
                Some(l) => parts.push(l),
                None => {
                    self.approximate(
                        s,
                        "`const` with an object or array value: typed by its schema".to_string(),
                    );
                    parts.extend(self.base(id, s, direction, has_compositions));
                }
            }
        } else if let Some(values) = &s.enum_values {
            let literals: Vec<Ts> = values.iter().filter_map(literal).collect();
            if literals.len() < values.len() {
                self.approximate(
                    s,
                    "`enum` with object or array values: those values are typed by the schema"
                        .to_string(),
                );
                parts.extend(self.base(id, s, direction, has_compositions));
            } else {
                parts.push(Ts::union(literals));
            }
        } else {
            parts.extend(self.base(id, s, direction, has_compositions));
        }
        if compositions {
            for member in &s.all_of {
                parts.push(self.reference(*member, direction, eager));
            }
            for branches in [&s.one_of, &s.any_of] {
                if !branches.is_empty() {
                    parts.push(self.branches(s, branches, direction, eager));
                }
            }
        }
        if let Some(not) = s.not {
            if is_anything(types.get(not)) {
                return Ts::Keyword("never");
            }
            self.approximate(
                s,
                "`not` cannot be expressed in TypeScript: ignored".to_string(),
            );
        }
        if s.rare().if_then_else.is_some() {
            self.approximate(
                s,
                "`if`/`then`/`else` cannot be expressed in TypeScript: ignored".to_string(),
            );
        }
        let t = if parts.is_empty() {
            Ts::UNKNOWN
        } else {
            Ts::intersection(parts)
        };
        t.nullable(s.nullable)
    }

    /// The type given by `type` (or implied by object / array keywords when `type` is absent).
    fn base(
        &mut self,
        id: SchemaId,
        s: &Schema,
        direction: Direction,
        has_compositions: bool,
    ) -> Option<Ts> {
        let object_keywords = !s.properties.is_empty()
            || s.additional_properties.is_some()
            || !s.rare().pattern_properties.is_empty()
            || s.rare()
                .unevaluated_properties
                .is_some_and(|u| matches!(u, AdditionalProperties::Schema(_)));
        let array_keywords = s.items.is_some() || !s.prefix_items.is_empty();
        let listed: Vec<InstanceType> = match &s.types {
            Some(list) if list.is_empty() => return Some(Ts::Keyword("null")),
            Some(list) => list.clone(),
            None if object_keywords => vec![InstanceType::Object],
            None if array_keywords => vec![InstanceType::Array],
            None => return None,
        };
        let mut alternatives = Vec::new();
        for ty in listed {
            // A bare `type: object` beside allOf/oneOf says nothing the members do not.
            if ty == InstanceType::Object && has_compositions && !object_keywords {
                if s.types.as_ref().is_some_and(|l| l.len() == 1) {
                    return None;
                }
                continue;
            }
            alternatives.push(self.instance(id, s, ty, direction));
        }
        Some(Ts::union(alternatives))
    }

    fn instance(&mut self, id: SchemaId, s: &Schema, ty: InstanceType, direction: Direction) -> Ts {
        match ty {
            InstanceType::Array => self.array(s, direction),
            InstanceType::Object => Ts::Object(self.object(id, s, direction)),
            scalar => {
                Ts::Keyword(scalar_type_name(scalar, s.format.as_deref()).unwrap_or("unknown"))
            }
        }
    }

    fn array(&mut self, s: &Schema, direction: Direction) -> Ts {
        if s.prefix_items.is_empty() {
            let item = match s.items {
                Some(item) => self.reference(item, direction, false),
                None => Ts::UNKNOWN,
            };
            return Ts::Array(Box::new(item));
        }
        let min = s.min_items.unwrap_or(0);
        let items = s
            .prefix_items
            .iter()
            .enumerate()
            .map(|(i, item)| (self.reference(*item, direction, false), (i as u64) >= min))
            .collect::<Vec<_>>();
        let closed = s.max_items.is_some_and(|max| max <= items.len() as u64);
        let rest = match s.items {
            _ if closed => None,
            Some(item) => Some(Box::new(self.reference(item, direction, false))),
            None => Some(Box::new(Ts::UNKNOWN)),
        };
        Ts::Tuple { items, rest }
    }

    pub fn object(&mut self, id: SchemaId, s: &Schema, direction: Direction) -> ObjectType {
        let types = self.types;
        let mut members = Vec::new();
        let aliases = self.aliases;
        let visible = s
            .properties
            .iter()
            .filter(|(_, p)| aliases.visible(types, **p, direction));
        for (name, property) in visible.map(|(n, p)| (n, *p)) {
            let ty = self.reference(property, direction, false);
            members.push(Member {
                key: property_key(name),
                optional: !aliases.required_in(types, id, name, direction),
                ty,
                doc: doc_lines(types, aliases, property),
            });
        }
        let mut index_parts = Vec::new();
        let additional = s.additional_properties.or(s.rare().unevaluated_properties);
        match additional {
            Some(AdditionalProperties::Schema(x)) => {
                index_parts.push(self.reference(x, direction, false))
            }
            Some(AdditionalProperties::Any) => index_parts.push(Ts::UNKNOWN),
            Some(AdditionalProperties::Forbidden) => {}
            None if s.properties.is_empty() && s.rare().pattern_properties.is_empty() => {
                index_parts.push(Ts::UNKNOWN)
            }
            None => {}
        }
        for pattern_schema in s.rare().pattern_properties.values() {
            index_parts.push(self.reference(*pattern_schema, direction, false));
        }
        if index_parts.is_empty() && members.is_empty() && additional.is_none() {
            index_parts.push(Ts::UNKNOWN);
        }
        let index = if index_parts.is_empty() {
            None
        } else {
            // Every property must fit the index signature.
            if !members.is_empty() {
                for member in &members {
                    index_parts.push(member.ty.clone());
                    if member.optional {
                        index_parts.push(Ts::Keyword("undefined"));
                    }
                }
            }
            Some(Box::new(Ts::union(index_parts)))
        };
        ObjectType { members, index }
    }

    /// oneOf/anyOf as a union; with a discriminator, each branch is tagged with the values of
    /// the discriminator property that select it: the explicit mapping, else the values the
    /// branch itself fixes the property to (`role: enum [user]`, `const`), else the schema's
    /// name (OpenAPI 3.1 § Discriminator Object). A tag that contradicts the values the branch
    /// fixes makes that branch `never`: a warning names it.
    fn branches(
        &mut self,
        s: &Schema,
        branches: &[SchemaId],
        direction: Direction,
        eager: bool,
    ) -> Ts {
        let types = self.types;
        let mut alternatives = Vec::new();
        for branch in branches {
            let t = self.reference(*branch, direction, eager);
            let Some(discriminator) = &s.rare().discriminator else {
                alternatives.push(t);
                continue;
            };
            let target = self.aliases.resolve(*branch);
            let mut values: Vec<Ts> = discriminator
                .mapping
                .iter()
                .filter(|(_, mapped)| {
                    **mapped == *branch || self.aliases.resolve(**mapped) == target
                })
                .map(|(value, _)| Ts::Literal(string_literal(value)))
                .collect();
            let fixed = self.fixed_values(*branch, &discriminator.property_name);
            if let (true, Some(fixed)) = (values.is_empty(), &fixed) {
                values.extend(fixed.iter().map(|v| Ts::Literal(string_literal(v))));
            }
            if values.is_empty() {
                let name = types
                    .get(*branch)
                    .name
                    .as_ref()
                    .or(types.get(target).name.as_ref());
                if let Some(name) = name {
                    values.push(Ts::Literal(string_literal(name)));
                }
            }
            if values.is_empty() {
                alternatives.push(t);
                continue;
            }
            if let Some(fixed) = &fixed {
                let allowed: Vec<Ts> = fixed
                    .iter()
                    .map(|v| Ts::Literal(string_literal(v)))
                    .collect();
                if !values.iter().any(|v| allowed.contains(v)) {
                    let branch_name = types
                        .get(target)
                        .name
                        .clone()
                        .unwrap_or_else(|| "an inline schema".to_string());
                    self.approximate(
                        s,
                        format!(
                            "discriminator `{}` selects branch `{}` by values its own schema \
                             does not allow ({}): that branch of the union is `never` (fix the \
                             discriminator's `mapping`)",
                            discriminator.property_name,
                            branch_name,
                            fixed.join(", ")
                        ),
                    );
                }
            }
            let tag = ObjectType {
                members: vec![Member {
                    key: property_key(&discriminator.property_name),
                    optional: false,
                    ty: Ts::union(values),
                    doc: Vec::new(),
                }],
                index: None,
            };
            alternatives.push(Ts::intersection(vec![t, Ts::Object(tag)]));
        }
        Ts::union(alternatives)
    }

    /// The string values a schema fixes `property` to with a `const` or an `enum` of strings,
    /// looking through `allOf` members and `$ref` aliases; `None` when it does not fix it.
    fn fixed_values(&self, id: SchemaId, property: &str) -> Option<Vec<String>> {
        let mut seen = HashSet::new();
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            let id = self.aliases.resolve(id);
            if !seen.insert(id) {
                continue;
            }
            let s = self.types.get(id);
            if let Some(p) = s.properties.get(property) {
                let p = self.types.get(self.aliases.resolve(*p));
                if let Some(Value::String(value)) = &p.rare().const_value {
                    return Some(vec![value.clone()]);
                }
                if let Some(values) = &p.enum_values {
                    let strings: Option<Vec<String>> = values
                        .iter()
                        .map(|v| v.as_str().map(str::to_string))
                        .collect();
                    if let Some(strings) = strings.filter(|v| !v.is_empty()) {
                        return Some(strings);
                    }
                }
            }
            stack.extend(s.all_of.iter().rev());
        }
        None
    }
}

/// A literal type for a primitive JSON value.
fn literal(value: &Value) -> Option<Ts> {
    match value {
        Value::Null => Some(Ts::Keyword("null")),
        Value::Bool(b) => Some(Ts::Literal(b.to_string())),
        Value::Number(n) => Some(Ts::Literal(n.to_string())),
        Value::String(s) => Some(Ts::Literal(string_literal(s))),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// The values of an enum as literal expressions, when all of them are primitive.
pub fn enum_literals(values: &[Value]) -> Option<Vec<String>> {
    values
        .iter()
        .map(|v| match v {
            Value::Null => Some("null".to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) => Some(string_literal(s)),
            Value::Array(_) | Value::Object(_) => None,
        })
        .collect()
}

/// A schema that accepts anything: `{}` or `true` (the model writes `false` as `not` of one).
fn is_anything(s: &Schema) -> bool {
    !s.deprecated && s.has_only(Besides::default())
}

/// The bounds written as doc tags (`@minimum 1`) on a property, the only trace they leave in
/// the client's types (the diff's help says so: `rules::impact::bound`).
const VALUE_BOUND_TAGS: [&str; 4] = ["minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"];
const SIZE_BOUND_TAGS: [&str; 4] = ["minLength", "maxLength", "minItems", "maxItems"];

/// Whether the client writes the bound `keyword` as a doc tag of the property.
pub fn documents_bound(keyword: &str) -> bool {
    VALUE_BOUND_TAGS.contains(&keyword) || SIZE_BOUND_TAGS.contains(&keyword)
}

/// JSDoc lines for a schema: description, deprecation, integer-ness and format, constraints.
pub fn doc_lines(types: &TypeSpace, aliases: &Aliases, id: SchemaId) -> Vec<String> {
    let s = types.get(id);
    let target = types.get(aliases.resolve(id));
    let mut lines = Vec::new();
    if let Some(text) = s.description.as_ref().or(s.title.as_ref()) {
        lines.push(text.clone());
    }
    if s.deprecated {
        lines.push("@deprecated".to_string());
    }
    if s.read_only || (target.read_only && !std::ptr::eq(s, target)) {
        lines.push("Read-only: sent by the server, never accepted in requests.".to_string());
    }
    if s.write_only || (target.write_only && !std::ptr::eq(s, target)) {
        lines.push("Write-only: accepted in requests, never returned.".to_string());
    }
    // Constraints live on the schema itself, not on a named target (which has its own docs).
    let integer = s.has_type(InstanceType::Integer);
    match (integer, s.format.as_deref()) {
        (true, Some("int64")) => {
            lines.push(
                "@integer int64: exact only up to Number.MAX_SAFE_INTEGER (2^53 - 1)".to_string(),
            );
        }
        (true, Some(format)) => lines.push(format!("@integer {format}")),
        (true, None) => lines.push("@integer".to_string()),
        (false, Some(format)) => lines.push(format!("@format {format}")),
        (false, None) => {}
    }
    let [minimum, exclusive_minimum, maximum, exclusive_maximum] = VALUE_BOUND_TAGS;
    for (tag, value) in [
        (minimum, &s.minimum),
        (exclusive_minimum, &s.rare().exclusive_minimum),
        (maximum, &s.maximum),
        (exclusive_maximum, &s.rare().exclusive_maximum),
    ] {
        if let Some(v) = value {
            lines.push(format!("@{tag} {v}"));
        }
    }
    let [min_length, max_length, min_items, max_items] = SIZE_BOUND_TAGS;
    for (tag, value) in [
        (min_length, s.min_length),
        (max_length, s.max_length),
        (min_items, s.min_items),
        (max_items, s.max_items),
    ] {
        if let Some(v) = value {
            lines.push(format!("@{tag} {v}"));
        }
    }
    if let Some(pattern) = &s.pattern {
        lines.push(format!("@pattern {pattern}"));
    }
    if let Some(default) = &s.default {
        let text = default.to_string();
        if text.len() <= 120 {
            lines.push(format!("@default {text}"));
        }
    }
    lines
}

/// The TypeScript type of a JSON value of one scalar type and `format` (`integer` and `number`
/// are `number`, a binary string is `Blob`), or `None` for arrays and objects. The diff's help
/// (`rules::impact`) prints these, so it names exactly what the client declares.
pub fn scalar_type_name(ty: InstanceType, format: Option<&str>) -> Option<&'static str> {
    Some(match ty {
        InstanceType::Boolean => "boolean",
        InstanceType::Integer | InstanceType::Number => "number",
        InstanceType::String if format == Some("binary") => "Blob",
        InstanceType::String => "string",
        InstanceType::Array | InstanceType::Object => return None,
    })
}
