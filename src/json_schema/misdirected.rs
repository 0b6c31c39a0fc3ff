//! Properties present in an instance although their direction excludes them: readOnly in a
//! request, writeOnly in a response. JSON Schema has no such rule, so it is a walk of its own.

use std::collections::HashSet;

use serde_json::Value;

use crate::model::{AdditionalProperties, Direction, SchemaId, TypeSpace};

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
