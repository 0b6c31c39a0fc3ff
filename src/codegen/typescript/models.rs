//! The declarations of `models.ts`: which schemas get a name (components, plus inline schemas
//! that are shared or recursive), which of them need separate request and response views
//! (`Pet` / `PetInput`), and their type declarations, with type alias cycles cut.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::naming::{Namer, jsdoc};
use super::types::{Aliases, Approximation, Renderer, SchemaName, Ts, doc_lines, enum_literals};
use crate::model::{AdditionalProperties, Contract, Direction, SchemaId, TypeSpace};

/// One exported declaration of `models.ts`.
#[derive(Debug, Clone, Serialize)]
pub struct DeclarationView {
    /// The JSDoc block (with its newline), or empty.
    pub doc: String,
    pub name: String,
    /// `interface` declarations print `members`; `type` ones print `alias`.
    pub interface: bool,
    /// The members of an interface, one per line, indented.
    pub members: String,
    /// The right-hand side of a type alias.
    pub alias: String,
    /// For enums: `export const {name} = [..] as const`.
    pub values: Option<EnumValuesView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumValuesView {
    pub name: String,
    pub literals: String,
}

/// Named schemas and the facts every renderer needs.
pub struct SchemaNames {
    pub names: HashMap<SchemaId, SchemaName>,
    /// Named schemas in declaration order (a component that is a pure `$ref` to another shares
    /// its id and becomes an alias declaration).
    pub order: Vec<NamedEntry>,
    pub directional: HashSet<SchemaId>,
    pub aliases: Aliases,
}

#[derive(Debug, Clone)]
pub struct NamedEntry {
    pub id: SchemaId,
    pub name: String,
    pub input_name: Option<String>,
    /// False for a second name of the same schema.
    pub primary: bool,
}

/// Children whose types the renderer prints (not `not`, `if`, `contains`, ...).
fn rendered_children(types: &TypeSpace, id: SchemaId) -> Vec<SchemaId> {
    let s = types.get(id);
    let mut out: Vec<SchemaId> = s.properties.values().copied().collect();
    out.extend(s.rare().pattern_properties.values().copied());
    for ap in [s.additional_properties, s.rare().unevaluated_properties]
        .into_iter()
        .flatten()
    {
        if let AdditionalProperties::Schema(x) = ap {
            out.push(x);
        }
    }
    out.extend(s.items);
    out.extend(s.prefix_items.iter().copied());
    out.extend(s.all_of.iter().chain(&s.one_of).chain(&s.any_of).copied());
    out
}

/// Schemas whose request and response views differ and that requests use: those with a
/// readOnly or writeOnly property, and everything that contains one of them, when a parameter or
/// request body of a path operation reaches them. Only those get an `Input` view (GitHub's spec
/// has 46 schemas with readOnly properties; requests reach one).
fn directional_schemas(contract: &Contract, aliases: &Aliases) -> HashSet<SchemaId> {
    let types = &contract.types;
    let differing = differing_views(types, aliases);
    let mut stack: Vec<SchemaId> = Vec::new();
    for op in &contract.operations {
        for p in &op.parameters {
            stack.extend(p.schema);
            stack.extend(p.content.as_ref().and_then(|(_, m)| m.schema));
        }
        if let Some(body) = &op.request_body {
            stack.extend(body.content.values().filter_map(|m| m.schema));
        }
    }
    let mut requested: HashSet<SchemaId> = HashSet::new();
    while let Some(id) = stack.pop() {
        if requested.insert(id) {
            stack.extend(rendered_children(types, id));
            stack.extend(aliases.of(id));
        }
    }
    differing.intersection(&requested).copied().collect()
}

/// Schemas whose request and response views differ: those with a readOnly or writeOnly
/// property, and everything that contains one of them.
fn differing_views(types: &TypeSpace, aliases: &Aliases) -> HashSet<SchemaId> {
    let id = |i: usize| SchemaId(u32::try_from(i).unwrap_or(u32::MAX));
    let marked = crate::graph::reaching(
        types.len(),
        |i| {
            rendered_children(types, id(i))
                .into_iter()
                .map(|c| c.0 as usize)
                .collect()
        },
        |i| {
            types.get(id(i)).properties.values().any(|p| {
                aliases.visible(types, *p, Direction::Request)
                    != aliases.visible(types, *p, Direction::Response)
            })
        },
    );
    (0..marked.len()).filter(|i| marked[*i]).map(id).collect()
}

/// Decides the names: component schemas first (document order), then inline schemas that are
/// used from several places or sit on a cycle of inline schemas (they could not be inlined),
/// then the request views.
pub fn name_schemas(contract: &Contract, namer: &mut Namer) -> SchemaNames {
    let types = &contract.types;
    let aliases = Aliases::new(types);
    let directional = directional_schemas(contract, &aliases);
    let mut names: HashMap<SchemaId, SchemaName> = HashMap::new();
    let mut order: Vec<NamedEntry> = Vec::new();
    for (raw, id) in types.named() {
        let name = namer.type_name(raw, "Schema", "Model");
        let primary = !names.contains_key(id);
        if primary {
            names.insert(
                *id,
                SchemaName {
                    name: name.clone(),
                    input_name: None,
                },
            );
        }
        order.push(NamedEntry {
            id: *id,
            name,
            input_name: None,
            primary,
        });
    }
    for id in synthetic_candidates(contract, &names, &aliases) {
        let raw = name_from_pointer(&types.get(id).loc.pointer);
        let name = namer.type_name(&raw, "InlineSchema", "Model");
        names.insert(
            id,
            SchemaName {
                name: name.clone(),
                input_name: None,
            },
        );
        order.push(NamedEntry {
            id,
            name,
            input_name: None,
            primary: true,
        });
    }
    for entry in &mut order {
        if directional.contains(&entry.id) {
            let input = namer.claim(format!("{}Input", entry.name), "Model");
            if entry.primary
                && let Some(name) = names.get_mut(&entry.id)
            {
                name.input_name = Some(input.clone());
            }
            entry.input_name = Some(input);
        }
    }
    SchemaNames {
        names,
        order,
        directional,
        aliases,
    }
}

/// Unnamed schemas that need a name: shared ones with structure, and members of cycles.
fn synthetic_candidates(
    contract: &Contract,
    named: &HashMap<SchemaId, SchemaName>,
    aliases: &Aliases,
) -> Vec<SchemaId> {
    let types = &contract.types;
    let mut uses: HashMap<SchemaId, usize> = HashMap::new();
    for (id, _) in types.iter() {
        for child in rendered_children(types, id) {
            *uses.entry(child).or_default() += 1;
        }
    }
    for op in &contract.operations {
        let mut ids: Vec<SchemaId> = op.parameters.iter().filter_map(|p| p.schema).collect();
        if let Some(body) = &op.request_body {
            ids.extend(body.content.values().filter_map(|m| m.schema));
        }
        for response in &op.responses {
            ids.extend(response.content.values().filter_map(|m| m.schema));
        }
        for id in ids {
            *uses.entry(id).or_default() += 1;
        }
    }
    let mut out: HashSet<SchemaId> = HashSet::new();
    for (id, s) in types.iter() {
        if named.contains_key(&id) || aliases.of(id).is_some() {
            continue;
        }
        let structured =
            !s.properties.is_empty() || s.one_of.len() + s.any_of.len() + s.all_of.len() > 1;
        if structured && uses.get(&id).copied().unwrap_or(0) > 1 {
            out.insert(id);
        }
    }
    // Cycles through unnamed schemas only: strongly connected components (iterative Tarjan).
    let unnamed = |id: SchemaId| !named.contains_key(&id);
    for component in strongly_connected(types, &unnamed) {
        out.extend(component);
    }
    let mut sorted: Vec<SchemaId> = out.into_iter().collect();
    sorted.sort();
    sorted
}

/// Components of the graph of unnamed schemas that contain a cycle.
fn strongly_connected(types: &TypeSpace, include: &dyn Fn(SchemaId) -> bool) -> Vec<Vec<SchemaId>> {
    let n = types.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<SchemaId> = Vec::new();
    let mut next = 0usize;
    let mut out = Vec::new();
    let children = |id: SchemaId| -> Vec<SchemaId> {
        rendered_children(types, id)
            .into_iter()
            .filter(|c| include(*c))
            .collect()
    };
    for (start, _) in types.iter() {
        if !include(start) || index[start.0 as usize] != usize::MAX {
            continue;
        }
        // Frames: (node, its children, position of the next child to visit).
        let mut frames: Vec<(SchemaId, Vec<SchemaId>, usize)> = vec![(start, children(start), 0)];
        index[start.0 as usize] = next;
        low[start.0 as usize] = next;
        next += 1;
        stack.push(start);
        on_stack[start.0 as usize] = true;
        while let Some(frame) = frames.last_mut() {
            let v = frame.0;
            if frame.2 < frame.1.len() {
                let w = frame.1[frame.2];
                frame.2 += 1;
                let wi = w.0 as usize;
                if index[wi] == usize::MAX {
                    index[wi] = next;
                    low[wi] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[wi] = true;
                    frames.push((w, children(w), 0));
                } else if on_stack[wi] {
                    low[v.0 as usize] = low[v.0 as usize].min(index[wi]);
                }
                continue;
            }
            frames.pop();
            if let Some(parent) = frames.last() {
                let p = parent.0.0 as usize;
                low[p] = low[p].min(low[v.0 as usize]);
            }
            if low[v.0 as usize] == index[v.0 as usize] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w.0 as usize] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                let cyclic = component.len() > 1 || rendered_children(types, v).contains(&v);
                if cyclic {
                    out.push(component);
                }
            }
        }
    }
    out
}

/// A readable name for an inline schema from where it is written:
/// `/components/responses/NotFound/content/application~1json/schema` → `NotFoundResponse`.
pub fn name_from_pointer(pointer: &str) -> String {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut words: Vec<String> = Vec::new();
    let mut i = 0;
    if tokens.first().map(String::as_str) == Some("components") && tokens.len() >= 3 {
        words.push(tokens[2].clone());
        let kind = match tokens[1].as_str() {
            "responses" => "Response",
            "requestBodies" => "Body",
            "parameters" => "Parameter",
            "headers" => "Header",
            _ => "",
        };
        words.push(kind.to_string());
        i = 3;
    }
    while i < tokens.len() {
        let token = &tokens[i];
        match token.as_str() {
            "content" if i + 1 < tokens.len() => i += 1, // skip the media type too
            "schema" | "properties" | "paths" | "components" | "schemas" => {}
            "items" => words.push("Item".to_string()),
            "additionalProperties" => words.push("Value".to_string()),
            other => words.push(other.to_string()),
        }
        i += 1;
    }
    words.join(" ")
}

/// The declarations of every named schema, in order, and what could only be approximated.
/// `value_names` are the names of the enums' `…Values` constants ([`name_enum_values`]).
pub fn declarations(
    types: &TypeSpace,
    names: &SchemaNames,
    value_names: &HashMap<SchemaId, String>,
) -> (Vec<DeclarationView>, Vec<Approximation>) {
    // Node of the type alias graph: a declaration (schema, view). Schemas without directional
    // views have one declaration, keyed by the response view.
    let key = |id: SchemaId, direction: Direction| {
        if names.directional.contains(&id) {
            (id, direction)
        } else {
            (id, Direction::Response)
        }
    };
    let mut primary: Vec<(SchemaId, Direction)> = Vec::new();
    for entry in names.order.iter().filter(|e| e.primary) {
        primary.push((entry.id, Direction::Response));
        if names.directional.contains(&entry.id) {
            primary.push((entry.id, Direction::Request));
        }
    }
    let mut edges: HashMap<(SchemaId, Direction), Vec<(SchemaId, Direction)>> = HashMap::new();
    let mut bodies: HashMap<(SchemaId, Direction), Ts> = HashMap::new();
    let mut approximations = Vec::new();
    for &(id, direction) in &primary {
        let mut renderer = Renderer::new(types, &names.aliases, &names.names, "");
        let t = renderer.body(id, direction, true, true);
        edges.insert(
            (id, direction),
            renderer.eager.iter().map(|t| key(*t, direction)).collect(),
        );
        bodies.insert((id, direction), t);
        approximations.extend(renderer.approximations);
    }
    // Cut the back edges of eager reference cycles, then render those declarations again.
    for (from, targets) in back_edges(&primary, &edges) {
        let mut renderer = Renderer::new(types, &names.aliases, &names.names, "");
        renderer.cut = targets.iter().map(|t| t.0).collect();
        let t = renderer.body(from.0, from.1, true, true);
        bodies.insert(from, t);
        let s = types.get(from.0);
        let cut: Vec<&str> = targets
            .iter()
            .filter_map(|t| names.names.get(&t.0).map(|n| n.in_direction(t.1)))
            .collect();
        approximations.push(Approximation {
            loc: s.loc.clone(),
            message: format!(
                "circular composition (through {}): the reference is replaced by the referenced schema's own properties",
                cut.join(", ")
            ),
        });
    }

    let mut out = Vec::new();
    for entry in &names.order {
        let id = &entry.id;
        let Some(schema_name) = names.names.get(id) else {
            continue;
        };
        let directions: &[Direction] = if names.directional.contains(id) {
            &[Direction::Response, Direction::Request]
        } else {
            &[Direction::Response]
        };
        if !entry.primary {
            // Another component name for the same schema (a component that is only a `$ref`).
            for direction in directions {
                let (alias_name, target) = match (direction, &entry.input_name) {
                    (Direction::Request, Some(input)) => {
                        (input.clone(), schema_name.in_direction(Direction::Request))
                    }
                    _ => (entry.name.clone(), schema_name.name.as_str()),
                };
                out.push(DeclarationView {
                    doc: String::new(),
                    name: alias_name,
                    interface: false,
                    members: String::new(),
                    alias: format!(" {target}"),
                    values: None,
                });
            }
            continue;
        }
        for direction in directions {
            let Some(body) = bodies.get(&(*id, *direction)) else {
                continue;
            };
            let mut doc = doc_lines(types, &names.aliases, *id);
            if *direction == Direction::Request {
                doc.push(format!(
                    "The request view of `{}`: without its read-only properties.",
                    schema_name.name
                ));
            } else if schema_name.input_name.is_some() {
                doc.push("The response view: without write-only properties.".to_string());
            }
            let decl_name = schema_name.in_direction(*direction).to_string();
            let values = match (value_names.get(id), direction) {
                (Some(name), Direction::Response) => {
                    enum_values(types, &names.aliases, *id).map(|literals| EnumValuesView {
                        name: name.clone(),
                        literals: literals.join(", "),
                    })
                }
                _ => None,
            };
            let (interface, members, alias) = match body.as_object() {
                Some(object) if !object.members.is_empty() => {
                    let mut members = String::new();
                    object.write_members(&mut members, 1);
                    (true, members, String::new())
                }
                _ => (false, String::new(), body.print_declaration()),
            };
            out.push(DeclarationView {
                doc: jsdoc(&doc, 0),
                name: decl_name,
                interface,
                members,
                alias,
                values,
            });
        }
    }
    (out, approximations)
}

/// A declaration: a named schema in one view.
type Node = (SchemaId, Direction);

/// Back edges of a depth-first walk over the eager reference graph (iterative), grouped by the
/// declaration they leave.
fn back_edges(nodes: &[Node], edges: &HashMap<Node, Vec<Node>>) -> Vec<(Node, Vec<Node>)> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Open,
        Done,
    }
    let mut state: HashMap<Node, State> = HashMap::new();
    let mut cuts: Vec<(Node, Vec<Node>)> = Vec::new();
    let empty = Vec::new();
    for start in nodes {
        if state.contains_key(start) {
            continue;
        }
        let mut frames: Vec<(Node, usize)> = vec![(*start, 0)];
        state.insert(*start, State::Open);
        while let Some(frame) = frames.last_mut() {
            let node = frame.0;
            let targets = edges.get(&node).unwrap_or(&empty);
            if frame.1 < targets.len() {
                let target = targets[frame.1];
                frame.1 += 1;
                match state.get(&target) {
                    None if edges.contains_key(&target) => {
                        state.insert(target, State::Open);
                        frames.push((target, 0));
                    }
                    Some(State::Open) => match cuts.iter_mut().find(|(from, _)| *from == node) {
                        Some((_, list)) => list.push(target),
                        None => cuts.push((node, vec![target])),
                    },
                    _ => {}
                }
                continue;
            }
            state.insert(node, State::Done);
            frames.pop();
        }
    }
    cuts
}

/// Fills in the names of enum value arrays (`PetStatusValues`), claimed after every type name
/// so that types keep the names closest to the spec.
/// Names the `…Values` constants of the enum declarations (`PetStatusValues`), in declaration
/// order, by schema. Needs only the schemas' names, not their declarations, so that the
/// operations' names can be claimed next while the declarations are rendered.
pub fn name_enum_values(
    types: &TypeSpace,
    names: &SchemaNames,
    namer: &mut Namer,
) -> HashMap<SchemaId, String> {
    let mut out = HashMap::new();
    for entry in names.order.iter().filter(|e| e.primary) {
        if let Some(name) = names.names.get(&entry.id)
            && enum_values(types, &names.aliases, entry.id).is_some()
        {
            let response = name.in_direction(Direction::Response);
            out.insert(entry.id, namer.claim(format!("{response}Values"), "Model"));
        }
    }
    out
}

/// The literals of an enum schema's `…Values` constant: none for an alias of another
/// declaration or values that are not all literals.
fn enum_values(types: &TypeSpace, aliases: &Aliases, id: SchemaId) -> Option<Vec<String>> {
    let values = types.get(id).enum_values.as_ref()?;
    if aliases.of(id).is_some() {
        return None;
    }
    enum_literals(values)
}
