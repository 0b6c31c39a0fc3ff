//! Schemas whose TypeScript type reduces to `never`: no value can be written with it, so a request
//! that uses one cannot be made and a response typed by one cannot be read. The spec usually means
//! something else (an `allOf` of a string and an integer, members fixing one property to
//! different values, an empty `enum`); the generator says so with the schema's location instead of
//! letting `tsc` accept a client that nobody can call. The discriminator's own contradictions are
//! reported where unions are tagged (`types.rs`).

use std::collections::BTreeSet;

use serde_json::Value;

use super::types::{Aliases, Approximation};
use crate::model::{InstanceType, Schema, SchemaId, TypeSpace};

/// How deep `allOf` chains and property types are followed (cycles stop earlier: `seen`).
const MAX_DEPTH: usize = 16;

/// A kind of TypeScript value (integers are numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    String,
    Number,
    Boolean,
    Null,
    Object,
    Array,
}

impl Kind {
    fn of_type(t: InstanceType) -> Kind {
        match t {
            InstanceType::String => Kind::String,
            InstanceType::Number | InstanceType::Integer => Kind::Number,
            InstanceType::Boolean => Kind::Boolean,
            InstanceType::Object => Kind::Object,
            InstanceType::Array => Kind::Array,
        }
    }

    fn of_value(v: &Value) -> Kind {
        match v {
            Value::String(_) => Kind::String,
            Value::Number(_) => Kind::Number,
            Value::Bool(_) => Kind::Boolean,
            Value::Null => Kind::Null,
            Value::Object(_) => Kind::Object,
            Value::Array(_) => Kind::Array,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Null => "null",
            Kind::Object => "object",
            Kind::Array => "array",
        }
    }
}

/// What a schema's type admits, as far as it matters here: `None` is "not restricted".
#[derive(Debug, Clone, Default)]
struct Admits {
    kinds: Option<BTreeSet<Kind>>,
    /// The only values (`enum`, `const`).
    values: Option<Vec<Value>>,
}

impl Admits {
    fn nothing(&self) -> bool {
        self.kinds.as_ref().is_some_and(BTreeSet::is_empty)
            || self.values.as_ref().is_some_and(Vec::is_empty)
    }

    /// Both at once (`A & B`); values are also filtered by the kinds.
    fn meet(self, other: Admits) -> Admits {
        let kinds = match (self.kinds, other.kinds) {
            (Some(a), Some(b)) => Some(a.intersection(&b).copied().collect()),
            (a, b) => a.or(b),
        };
        let mut values = match (self.values, other.values) {
            (Some(a), Some(b)) => Some(a.into_iter().filter(|v| b.contains(v)).collect()),
            (a, b) => a.or(b),
        };
        if let (Some(values), Some(kinds)) = (&mut values, &kinds) {
            values.retain(|v| kinds.contains(&Kind::of_value(v)));
        }
        Admits { kinds, values }
    }

    fn with_null(mut self) -> Admits {
        if let Some(kinds) = &mut self.kinds {
            kinds.insert(Kind::Null);
        }
        if let Some(values) = &mut self.values
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
        self
    }
}

struct Analysis<'a> {
    types: &'a TypeSpace,
    aliases: &'a Aliases,
}

/// One warning per schema whose type is `never` by its own keywords (a schema that is `never`
/// only because a member or property is, is not reported again: the innermost one is).
pub fn never_types(types: &TypeSpace, aliases: &Aliases) -> Vec<Approximation> {
    let analysis = Analysis { types, aliases };
    let mut found = Vec::new();
    for (id, schema) in types.iter() {
        if schema.unresolved || aliases.of(id).is_some() {
            continue;
        }
        if let Some(reason) = analysis.reason(id) {
            let what = match &schema.name {
                Some(name) => format!("schema `{name}`"),
                None => "this schema".to_string(),
            };
            found.push(Approximation {
                loc: schema.loc.clone(),
                message: format!(
                    "{what} is `never` in TypeScript ({reason}): no value has its type, so \
                     requests that send it cannot compile and responses typed by it cannot be used"
                ),
            });
        }
    }
    found
}

impl Analysis<'_> {
    /// Why the schema's own keywords admit nothing, if they do not.
    fn reason(&self, id: SchemaId) -> Option<String> {
        let s = self.types.get(id);
        if s.enum_values.as_ref().is_some_and(Vec::is_empty) {
            return Some("an empty `enum`".to_string());
        }
        // Members that are `never` themselves are reported on their own.
        if s.all_of.iter().any(|m| self.admits(*m, 0).nothing()) {
            return None;
        }
        let own = self.own(s);
        let mut all = own.clone();
        let mut members = vec![("the schema itself".to_string(), own)];
        for member in &s.all_of {
            let admits = self.admits(*member, 0);
            all = all.meet(admits.clone());
            members.push((self.describe(*member), admits));
        }
        if all.nothing() && !s.nullable {
            let said: Vec<String> = members
                .iter()
                .filter(|(_, a)| a.kinds.is_some() || a.values.is_some())
                .map(|(who, a)| format!("{who} {}", admits_text(a)))
                .collect();
            return Some(format!(
                "`allOf` with nothing in common: {}",
                said.join("; ")
            ));
        }
        if s.nullable {
            return None;
        }
        self.property_conflict(id)
    }

    /// What the schema's own `type`, `enum` and `const` admit (its `nullable` too).
    fn own(&self, s: &Schema) -> Admits {
        let kinds = s
            .types
            .as_ref()
            .filter(|t| !t.is_empty())
            .map(|t| t.iter().map(|t| Kind::of_type(*t)).collect());
        let values = match &s.rare().const_value {
            Some(value) => Some(vec![value.clone()]),
            None => s.enum_values.clone(),
        };
        Admits { kinds, values }
    }

    /// What a schema admits: its own keywords, its `allOf` members, its `oneOf`/`anyOf`
    /// branches when every one of them admits nothing, and `null` when nullable.
    fn admits(&self, id: SchemaId, depth: usize) -> Admits {
        let s = self.types.get(id);
        if s.unresolved || depth > MAX_DEPTH {
            return Admits::default();
        }
        let mut all = self.own(s);
        for member in &s.all_of {
            all = all.meet(self.admits(*member, depth + 1));
        }
        let branches = if s.one_of.is_empty() {
            &s.any_of
        } else {
            &s.one_of
        };
        if !branches.is_empty()
            && branches
                .iter()
                .all(|b| self.admits(*b, depth + 1).nothing())
        {
            all.kinds = Some(BTreeSet::new());
        }
        if s.nullable { all.with_null() } else { all }
    }

    /// A property that the schema and its `allOf` members fix to values with none in common,
    /// required by one of them: TypeScript reduces such an intersection to `never`.
    fn property_conflict(&self, id: SchemaId) -> Option<String> {
        let mut parts = Vec::new();
        let mut stack = vec![(id, 0usize)];
        let mut seen = BTreeSet::new();
        while let Some((id, depth)) = stack.pop() {
            if depth > MAX_DEPTH || !seen.insert(id) {
                continue;
            }
            let s = self.types.get(id);
            parts.push(id);
            stack.extend(s.all_of.iter().map(|m| (*m, depth + 1)));
        }
        if parts.len() < 2 {
            return None;
        }
        let mut names: Vec<&String> = parts
            .iter()
            .flat_map(|p| self.types.get(*p).properties.keys())
            .collect();
        names.sort();
        names.dedup();
        for name in names {
            let mut admitted: Option<Admits> = None;
            let mut required = false;
            let mut fixed = 0;
            for part in &parts {
                let s = self.types.get(*part);
                required |= s.required.iter().any(|r| r == name);
                let Some(property) = s.properties.get(name) else {
                    continue;
                };
                let admits = self.admits(*property, 1);
                if admits.values.is_some() {
                    fixed += 1;
                }
                admitted = Some(match admitted {
                    Some(a) => a.meet(admits),
                    None => admits,
                });
            }
            if required && fixed >= 2 && admitted.is_some_and(|a| a.nothing()) {
                return Some(format!(
                    "its `allOf` members fix the required property `{name}` to values with none in common"
                ));
            }
        }
        None
    }

    fn describe(&self, id: SchemaId) -> String {
        let target = self.aliases.resolve(id);
        match &self.types.get(target).name {
            Some(name) => format!("`{name}`"),
            None => "a member".to_string(),
        }
    }
}

fn admits_text(a: &Admits) -> String {
    match (&a.values, &a.kinds) {
        (Some(values), _) => {
            let shown: Vec<String> = values.iter().take(4).map(Value::to_string).collect();
            let more = if values.len() > 4 { ", ..." } else { "" };
            format!("allows {}{more}", shown.join(", "))
        }
        (None, Some(kinds)) => {
            let words: Vec<&str> = kinds.iter().map(|k| k.word()).collect();
            format!("is {}", words.join(" | "))
        }
        (None, None) => "allows anything".to_string(),
    }
}
