//! Schema Objects into the type arena: pure `$ref`s become ids read later from a work queue, and
//! `anyOf`/`oneOf` null branches fold into `nullable`.

use super::*;

impl<'d> Builder<'d> {
    /// The id of the schema written at `node` (following a pure `$ref` to its target).
    pub(super) fn schema(&mut self, node: Node<'d>) -> SchemaId {
        if let Some(reference) = pure_ref(node.value) {
            return self.schema_ref(&node, reference);
        }
        let key = (node.file, node.pointer.clone());
        if let Some(id) = self.schema_ids.get(&key) {
            return *id;
        }
        let id = self.types.allocate(node.loc());
        self.schema_ids.insert(key, id);
        let schema = self.schema_object(&node);
        self.types.set(id, schema);
        id
    }

    /// The id of the schema a `$ref` names: allocated now, read later from the queue. A broken
    /// reference or a loop of references gets an "anything" stand-in (the shape check reports
    /// both). Every `$ref` passed on the way to it names the same schema and is remembered as
    /// naming it, so each link of a chain is followed once however many schemas enter the chain
    /// (a chain of n links costs O(n), not O(n²)). Only a link seen twice is a loop: a long
    /// acyclic chain is not one.
    fn schema_ref(&mut self, at: &Node<'d>, reference: &str) -> SchemaId {
        let ref_loc = at.loc().child("$ref");
        let mut file = at.file;
        let mut reference = reference.to_string();
        let mut passed: Vec<(FileId, String)> = Vec::new();
        let mut on_chain: HashSet<(FileId, String)> = HashSet::new();
        let id = loop {
            let Ok(target) = self.docs.resolve_ref(file, &reference) else {
                break self.stand_in(&ref_loc);
            };
            let key = (target.file, target.pointer.to_string());
            if let Some(id) = self.schema_ids.get(&key) {
                break *id;
            }
            if let Some(next) = pure_ref(target.value) {
                if !on_chain.insert(key.clone()) {
                    break self.stand_in(&ref_loc);
                }
                passed.push(key);
                file = target.file;
                reference = next.to_string();
                continue;
            }
            let loc = Loc::new(target.file, target.pointer.to_string());
            let id = self.types.allocate(loc);
            self.schema_ids.insert(key.clone(), id);
            self.pending.push((id, key.0, key.1));
            break id;
        };
        for key in passed {
            self.schema_ids.insert(key, id);
        }
        id
    }

    /// An "accepts anything" schema standing in for a broken reference.
    fn stand_in(&mut self, loc: &Loc) -> SchemaId {
        let id = self.types.allocate(loc.clone());
        self.types.set(
            id,
            Schema {
                loc: loc.clone(),
                unresolved: true,
                ..Schema::default()
            },
        );
        id
    }

    pub(super) fn drain_pending(&mut self) {
        while let Some((id, file, pointer)) = self.pending.pop() {
            let Some(value) = pointer::get(&self.docs.file(file).root, &pointer) else {
                continue;
            };
            let node = Node {
                file,
                pointer,
                value,
            };
            let schema = self.schema_object(&node);
            self.types.set(id, schema);
        }
    }

    fn schema_object(&mut self, node: &Node<'d>) -> Schema {
        let mut schema = Schema {
            loc: node.loc(),
            ..Schema::default()
        };
        let map = match node.value {
            Value::Object(map) => map,
            Value::Bool(true) => return schema,
            Value::Bool(false) => {
                // `false` accepts nothing: not(anything).
                let anything = self.types.allocate(node.loc());
                schema.not = Some(anything);
                return schema;
            }
            _ => return schema,
        };
        if let Some(reference) = ref_of(node.value) {
            // `$ref` beside other keywords (3.1, and the 3.0 habit of `nullable`/`description`
            // next to a `$ref`): the referenced schema plus the siblings.
            let target = self.schema_ref(node, reference);
            schema.all_of.push(target);
        }
        self.schema_types(node, &mut schema);
        schema.title = self.string(node, "title");
        schema.description = self.string(node, "description");
        schema.format = self.string(node, "format");
        schema.pattern = self.string(node, "pattern");
        let mut rare = RareKeywords::default();
        schema.enum_values = match node.get("enum") {
            Some(e) => match e.value {
                Value::Array(values) => Some(values.clone()),
                _ => None,
            },
            None => None,
        };
        rare.const_value = map.get("const").cloned();
        schema.default = map.get("default").cloned().map(Box::new);
        rare.multiple_of = self.number(node, "multipleOf");
        schema.maximum = self.number(node, "maximum");
        schema.minimum = self.number(node, "minimum");
        self.exclusive_bound(
            node,
            "exclusiveMaximum",
            &mut schema.maximum,
            &mut rare.exclusive_maximum,
        );
        self.exclusive_bound(
            node,
            "exclusiveMinimum",
            &mut schema.minimum,
            &mut rare.exclusive_minimum,
        );
        schema.max_length = self.unsigned(node, "maxLength");
        schema.min_length = self.unsigned(node, "minLength");
        schema.max_items = self.unsigned(node, "maxItems");
        schema.min_items = self.unsigned(node, "minItems");
        schema.unique_items = self.boolean(node, "uniqueItems").unwrap_or(false);
        rare.max_properties = self.unsigned(node, "maxProperties");
        rare.min_properties = self.unsigned(node, "minProperties");
        schema.read_only = self.boolean(node, "readOnly").unwrap_or(false);
        schema.write_only = self.boolean(node, "writeOnly").unwrap_or(false);
        if self.version == SpecVersion::V3_0 && schema.read_only && schema.write_only {
            // Forbidden together in 3.0 (validate reports it once): read as neither, so each
            // example does not repeat the mistake as a direction warning.
            schema.read_only = false;
            schema.write_only = false;
        }
        schema.deprecated = self.boolean(node, "deprecated").unwrap_or(false);
        rare.content_media_type = self.string(node, "contentMediaType");
        rare.content_encoding = self.string(node, "contentEncoding");
        schema.required = self.string_list(node, "required");

        if let Some(props) = self.object_node(node, "properties") {
            for (name, prop) in props.members() {
                let id = self.schema(prop);
                schema.properties.insert(name.clone(), id);
            }
        }
        if let Some(props) = self.object_node(node, "patternProperties") {
            for (pattern, prop) in props.members() {
                let id = self.schema(prop);
                rare.pattern_properties.insert(pattern.clone(), id);
            }
        }
        schema.additional_properties = node.get("additionalProperties").map(|n| self.additional(n));
        rare.unevaluated_properties = node
            .get("unevaluatedProperties")
            .map(|n| self.additional(n));
        schema.property_names = node.get("propertyNames").map(|n| self.schema(n));
        if let Some(dep) = self.object_node(node, "dependentRequired") {
            for (name, list) in dep.members() {
                let names = list.value.as_array().map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                });
                rare.dependent_required
                    .insert(name.clone(), names.unwrap_or_default());
            }
        }
        match node.get("items") {
            Some(items) if items.value.is_array() => {
                schema.prefix_items = items.items().into_iter().map(|i| self.schema(i)).collect();
            }
            Some(items) => schema.items = Some(self.schema(items)),
            None => {}
        }
        if let Some(prefix) = self.array_node(node, "prefixItems") {
            schema.prefix_items = prefix.items().into_iter().map(|i| self.schema(i)).collect();
        }
        schema.contains = node.get("contains").map(|n| self.schema(n));
        rare.min_contains = self.unsigned(node, "minContains");
        rare.max_contains = self.unsigned(node, "maxContains");
        rare.unevaluated_items = node.get("unevaluatedItems").map(|n| self.additional(n));
        if let Some(deps) = self.object_node(node, "dependentSchemas") {
            for (name, dep) in deps.members() {
                let id = self.schema(dep);
                rare.dependent_schemas.insert(name.clone(), id);
            }
        }
        schema.content_schema = node.get("contentSchema").map(|n| self.schema(n));
        let all_of = self.schema_list(node, "allOf");
        schema.all_of.extend(all_of);
        schema.one_of = self.schema_list(node, "oneOf");
        schema.any_of = self.schema_list(node, "anyOf");
        schema.not = node.get("not").map(|n| self.schema(n));
        if let Some(condition) = node.get("if") {
            let if_id = self.schema(condition);
            let then_id = node.get("then").map(|n| self.schema(n));
            let else_id = node.get("else").map(|n| self.schema(n));
            rare.if_then_else = Some((if_id, then_id, else_id));
        }
        rare.discriminator = self.discriminator(node);
        schema.examples = self.schema_examples(node);
        schema.extensions = self.extensions(node).into();
        schema.set_rare(rare);
        self.fold_null_branches(&mut schema);
        schema
    }

    fn schema_types(&mut self, node: &Node<'d>, schema: &mut Schema) {
        let mut nullable = self.boolean(node, "nullable").unwrap_or(false);
        if let Some(t) = node.get("type") {
            let names: Vec<&str> = match t.value {
                Value::String(s) => vec![s.as_str()],
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            let mut types = Vec::new();
            for name in names {
                if name == "null" {
                    nullable = true;
                } else if let Some(ty) = InstanceType::parse(name)
                    && !types.contains(&ty)
                {
                    types.push(ty);
                }
            }
            types.sort();
            schema.types = Some(types);
        }
        schema.nullable = nullable;
    }

    /// 3.0's `exclusiveMaximum: true` (with `maximum`) and 3.1's `exclusiveMaximum: 10` come out
    /// the same: the exclusive bound set, the inclusive one cleared.
    fn exclusive_bound(
        &mut self,
        node: &Node<'d>,
        key: &str,
        inclusive: &mut Option<serde_json::Number>,
        exclusive: &mut Option<serde_json::Number>,
    ) {
        let Some(child) = node.get(key) else { return };
        match child.value {
            Value::Bool(true) => *exclusive = inclusive.take(),
            Value::Bool(false) => {}
            Value::Number(n) => *exclusive = Some(n.clone()),
            _ => {}
        }
    }

    fn additional(&mut self, node: Node<'d>) -> AdditionalProperties {
        match node.value {
            Value::Bool(true) => AdditionalProperties::Any,
            Value::Bool(false) => AdditionalProperties::Forbidden,
            _ => AdditionalProperties::Schema(self.schema(node)),
        }
    }

    fn schema_list(&mut self, node: &Node<'d>, key: &str) -> Vec<SchemaId> {
        let Some(list) = self.array_node(node, key) else {
            return Vec::new();
        };
        list.items().into_iter().map(|i| self.schema(i)).collect()
    }

    /// `anyOf`/`oneOf` branches that only admit null become `nullable`; a single remaining
    /// branch is the schema itself (`allOf: [it]`), so `anyOf: [T, {type: null}]` equals
    /// 3.0's `nullable` beside `allOf: [T]`.
    fn fold_null_branches(&mut self, schema: &mut Schema) {
        for which in [0, 1] {
            let branches = if which == 0 {
                &mut schema.any_of
            } else {
                &mut schema.one_of
            };
            if branches.is_empty() {
                continue;
            }
            let before = branches.len();
            branches.retain(|b| !is_null_only(self.types.get(*b)));
            if branches.len() == before {
                continue;
            }
            schema.nullable = true;
            if branches.len() != 1 {
                continue;
            }
            let only = branches.remove(0);
            let branch = self.types.get(only);
            let inline =
                branch.name.is_none() && !self.pending.iter().any(|(id, _, _)| *id == only);
            if inline && is_bare(schema) {
                // `anyOf: [{type: string}, {type: "null"}]` is `type: [string, "null"]`.
                let mut merged = branch.clone();
                merged.nullable = true;
                merged.title = schema.title.take().or(merged.title);
                merged.description = schema.description.take().or(merged.description);
                merged.default = schema.default.take().or(merged.default);
                merged.deprecated |= schema.deprecated;
                let mut examples = std::mem::take(&mut schema.examples);
                examples.append(&mut merged.examples);
                merged.examples = examples;
                for (k, v) in std::mem::take(&mut schema.extensions).into_inner() {
                    merged.extensions.entry(k).or_insert(v);
                }
                *schema = merged;
                return;
            }
            schema.all_of.push(only);
        }
    }

    fn discriminator(&mut self, node: &Node<'d>) -> Option<Discriminator> {
        let d = self.object_node(node, "discriminator")?;
        let property_name = self.string(&d, "propertyName")?;
        let mut mapping = IndexMap::new();
        if let Some(map) = self.object_node(&d, "mapping") {
            for (value, target) in map.members() {
                let Some(text) = target.value.as_str() else {
                    continue;
                };
                // A bare name means `#/components/schemas/<name>`.
                let reference = if text.contains('#') || text.contains('/') || text.contains('.') {
                    text.to_string()
                } else {
                    format!("#/components/schemas/{}", pointer::escape_token(text))
                };
                let id = self.schema_ref(&target, &reference);
                mapping.insert(value.clone(), id);
            }
        }
        Some(Discriminator {
            property_name,
            mapping,
        })
    }

    fn schema_examples(&mut self, node: &Node<'d>) -> Vec<Example> {
        let mut out = Vec::new();
        if let Some(example) = node.get("example") {
            out.push(Example {
                name: None,
                summary: None,
                value: Some(example.loc()),
                external_value: None,
                declared_at: example.loc(),
            });
        }
        // 3.0 schemas have no `examples` (the shape check reports one): not read as examples.
        if let Some(examples) = node
            .get("examples")
            .filter(|_| self.version >= SpecVersion::V3_1)
        {
            for (i, item) in examples.items().into_iter().enumerate() {
                out.push(Example {
                    name: Some(i.to_string()),
                    summary: None,
                    value: Some(item.loc()),
                    external_value: None,
                    declared_at: item.loc(),
                });
            }
        }
        out
    }
}

/// True when a schema has nothing but annotations, nullability and (the branches being folded)
/// `anyOf`/`oneOf`.
fn is_bare(schema: &Schema) -> bool {
    let bare = Schema {
        loc: schema.loc.clone(),
        name: schema.name.clone(),
        title: schema.title.clone(),
        description: schema.description.clone(),
        nullable: schema.nullable,
        default: schema.default.clone(),
        deprecated: schema.deprecated,
        examples: schema.examples.clone(),
        extensions: schema.extensions.clone(),
        any_of: schema.any_of.clone(),
        one_of: schema.one_of.clone(),
        ..Schema::default()
    };
    bare == *schema && schema.name.is_none()
}

fn is_null_only(schema: &Schema) -> bool {
    schema.nullable
        && schema.types.as_ref().is_some_and(Vec::is_empty)
        && schema.all_of.is_empty()
        && schema.any_of.is_empty()
        && schema.one_of.is_empty()
        && schema.properties.is_empty()
}
