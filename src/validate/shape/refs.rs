//! `$ref`s: each one met in the walk is resolved (chains followed, cycles found), its target is
//! checked for the kind of object the `$ref`'s place expects, and a target outside the root
//! document's own structure (another file, an `x-` extension) is walked as that kind. A wrong
//! kind is reported at the `$ref`, once, and its target is not read as the wrong kind (which
//! would blame the target for the reference's mistake).

use std::collections::HashMap;

use serde_json::Value;

use super::objects::{self, Kind, Slot};
use super::{Walker, describe};
use crate::catalogue::validate::{lint, structure};
use crate::load::{FileId, pointer};
use crate::report::{Finding, Level};
use crate::validate::suggest;

/// A `$ref` met in the walk.
#[derive(Debug, Clone)]
pub(super) struct RefUse {
    pub file: FileId,
    /// The pointer of the reference string (the `$ref` member, or a discriminator mapping value).
    pub at: String,
    pub reference: String,
    pub expected: Kind,
}

/// An unresolved reference, held back until the walk knows whether a misplaced key explains it.
pub(super) struct Unresolved {
    pub target_file: FileId,
    pub pointer: String,
    pub finding: Finding,
}

/// What sits at a position of a document: an object of a kind, or something else (a map of
/// schemas, a string, ...).
enum Place {
    Object(Kind),
    Other(Slot),
}

/// Where a chain of `$ref`s ends, remembered for every link passed on the way: a chain of n
/// links shared by n references is followed once (following it per reference was quadratic:
/// a 10,000-link chain ran for minutes), and only a link met twice in one walk is a loop, so a
/// long acyclic chain is not one.
#[derive(Debug, Clone)]
pub(super) enum ChainEnd {
    /// The object the chain reaches.
    Target(FileId, String),
    /// The chain runs into a loop: its sorted members.
    Cycle(Vec<(FileId, String)>),
    /// The reference `reference`, written in `file`, does not resolve.
    Broken(FileId, String),
}

impl<'d> Walker<'d> {
    /// A Reference Object where an object of `kind` may be: its siblings, and the reference
    /// itself (resolved after the walk).
    pub(super) fn reference(&mut self, kind: Kind, value: &'d Value) {
        let Some(map) = value.as_object() else {
            return;
        };
        let Some(Value::String(reference)) = map.get("$ref") else {
            let len = self.enter("$ref");
            if let Some(v) = map.get("$ref") {
                self.expected("a reference string", v);
            }
            self.leave(len);
            return;
        };
        // 3.1 lets a Reference Object carry `summary` and `description`. 3.0 does not, but a
        // documentation-only sibling loses nothing but its text (and most tools show it):
        // warning about each would bury the siblings that change the contract (`nullable`,
        // `type`, `readOnly`, `required`), which tools that follow 3.0 drop.
        let allowed: &[&str] = &[
            "$ref",
            "summary",
            "description",
            "title",
            "example",
            "$comment",
        ];
        let mut siblings: Vec<&String> = map
            .keys()
            .filter(|k| !allowed.contains(&k.as_str()) && !k.starts_with("x-"))
            .collect();
        // A sibling that repeats the target (`type: object` beside a `$ref` to an object) says
        // nothing the target does not.
        if !siblings.is_empty()
            && let Ok(target) = self.docs.resolve_ref(self.file, reference)
        {
            siblings.retain(|k| target.value.get(k.as_str()) != map.get(k.as_str()));
        }
        if let Some(first) = siblings.first() {
            let names = siblings
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let (verb, what) = if siblings.len() == 1 {
                ("is", "it")
            } else {
                ("are", "them")
            };
            let message = if kind == Kind::Schema {
                format!(
                    "{names} beside `$ref` {verb} ignored by OpenAPI {} (a Reference Object has no other fields) and by tools that follow it (oaskit reads {what} as if beside an `allOf`): wrap the reference as `allOf: [{{$ref: ...}}]` to keep {what}",
                    super::version_text(self.version)
                )
            } else {
                format!(
                    "{names} beside `$ref` {verb} ignored (a Reference Object has only `$ref`{}): move {what} into the target",
                    if self.is_30() {
                        ""
                    } else {
                        ", `summary` and `description`"
                    }
                )
            };
            let first = first.to_string();
            self.report_key(&first, lint::REF_SIBLINGS.id, Level::Warning, message);
        }
        self.note_ref(kind, "$ref", reference);
    }

    /// Registers a reference written at `key` under the current node.
    pub(super) fn note_ref(&mut self, expected: Kind, key: &str, reference: &str) {
        self.refs.push(RefUse {
            file: self.file,
            at: self.child_pointer(key),
            reference: reference.to_string(),
            expected,
        });
    }

    /// A Path Item's `$ref`: a Path Item elsewhere, beside which fields may stand.
    pub(super) fn path_item_ref(&mut self, value: &'d Value) {
        match value.as_str() {
            Some(reference) => self.note_ref(Kind::PathItem, "$ref", reference),
            None => {
                let len = self.enter("$ref");
                self.expected("a reference string", value);
                self.leave(len);
            }
        }
    }

    /// Resolves every reference met, walking the targets that nothing else walks (which may
    /// meet more references).
    pub(super) fn resolve_refs(&mut self) {
        let mut next = 0;
        while next < self.refs.len() {
            let use_ = self.refs[next].clone();
            next += 1;
            self.resolve(&use_);
        }
        self.report_cycles();
    }

    /// A loop of `$ref`s is one mistake: reported at the references that form it, not again at
    /// every reference that leads into it (those are reported only when no member of the loop
    /// was met, e.g. a loop inside another file).
    fn report_cycles(&mut self) {
        let mut cycles = std::mem::take(&mut self.cycles);
        cycles.sort_by(|a, b| a.0.cmp(&b.0));
        for group in cycles.chunk_by(|a, b| a.0 == b.0) {
            let is_member = |use_: &RefUse| {
                let object = use_.at.strip_suffix("/$ref").unwrap_or(&use_.at);
                group[0]
                    .0
                    .iter()
                    .any(|(file, pointer)| *file == use_.file && pointer == object)
            };
            let members: Vec<&RefUse> = group
                .iter()
                .map(|(_, u)| u)
                .filter(|u| is_member(u))
                .collect();
            let reported = if members.is_empty() {
                vec![&group[0].1]
            } else {
                members
            };
            for use_ in reported {
                let message = format!(
                    "the $ref chain through `{}` loops without reaching an object",
                    use_.reference
                );
                self.report_ref(use_, structure::REF_CYCLE.id, message);
            }
        }
    }

    fn resolve(&mut self, use_: &RefUse) {
        let mut file = use_.file;
        let mut reference = use_.reference.clone();
        // The chained links passed, in order, and where each is in that list.
        let mut passed: Vec<(FileId, String)> = Vec::new();
        let mut on_chain: HashMap<(FileId, String), usize> = HashMap::new();
        let end = loop {
            let Ok(target) = self.docs.resolve_ref(file, &reference) else {
                break ChainEnd::Broken(file, reference);
            };
            let key = (target.file, target.pointer.into_owned());
            if let Some(known) = self.chain_ends.get(&key) {
                break known.clone();
            }
            if let Some(&start) = on_chain.get(&key) {
                let mut cycle = passed[start..].to_vec();
                cycle.sort();
                break ChainEnd::Cycle(cycle);
            }
            let docs: &'d crate::load::Documents = self.docs;
            match pointer::get(&docs.file(key.0).root, &key.1).and_then(chained) {
                Some(next) => {
                    file = key.0;
                    reference = next.to_string();
                    on_chain.insert(key.clone(), passed.len());
                    passed.push(key);
                }
                None => break ChainEnd::Target(key.0, key.1),
            }
        };
        for key in passed {
            self.chain_ends.insert(key, end.clone());
        }
        match end {
            ChainEnd::Target(file, target) => {
                // Read again through `docs` alone, so the value outlives the reference text.
                let docs: &'d crate::load::Documents = self.docs;
                if let Some(value) = pointer::get(&docs.file(file).root, &target) {
                    self.check_target(use_, file, &target, value);
                }
            }
            ChainEnd::Cycle(cycle) => self.cycles.push((cycle, use_.clone())),
            ChainEnd::Broken(file, reference) => self.broken_ref(use_, file, &reference),
        }
    }

    /// A reference met on `use_`'s chain that does not resolve: refused on purpose (outside
    /// the root, not a file, over a limit, a private address: its own rule, and nothing to
    /// suggest from what was not read), or missing.
    fn broken_ref(&mut self, use_: &RefUse, file: FileId, reference: &str) {
        let Err(error) = self.docs.resolve_ref(file, reference) else {
            return;
        };
        if error.is_refusal() {
            let rule = error.rule(&structure::UNRESOLVED_REF);
            let message = format!("unresolved $ref `{reference}`: {error}");
            self.report_ref(use_, rule.id, message);
        } else {
            self.unresolved_ref(use_, file, reference, &error.to_string());
        }
    }

    fn report_ref(&mut self, use_: &RefUse, rule: &str, message: String) {
        let location = self.docs.location(use_.file, &use_.at);
        self.findings
            .push(Finding::new(rule, Level::Error, message).at(location));
    }

    /// The target of a reference: of the expected kind, of another kind (reported), or at a
    /// place whose kind the document does not say (walked as the expected kind).
    fn check_target(&mut self, use_: &RefUse, file: FileId, target: &str, value: &'d Value) {
        match self.place(file, target) {
            // Walked where it stands.
            Some(Place::Object(kind)) if kind == use_.expected && file == FileId::ROOT => return,
            Some(Place::Object(kind)) if kind == use_.expected => {}
            Some(place) => {
                let found = match place {
                    Place::Object(kind) => {
                        format!("{} {}", super::article(kind.name()), kind.name())
                    }
                    Place::Other(slot) => describe_slot(slot, value),
                };
                let message = format!(
                    "`$ref: {}` points at {found}, but {} {} belongs here",
                    use_.reference,
                    super::article(use_.expected.name()),
                    use_.expected.name()
                );
                self.report_ref(use_, structure::REF_WRONG_KIND.id, message);
                return;
            }
            None => {}
        }
        if !self
            .walked
            .insert((file, target.to_string(), use_.expected))
        {
            return;
        }
        let (saved_file, saved_path) = (self.file, std::mem::take(&mut self.path));
        self.file = file;
        self.path = target.to_string();
        if use_.expected == Kind::Schema {
            self.schema(value, false);
        } else {
            self.object(use_.expected, value);
        }
        self.file = saved_file;
        self.path = saved_path;
    }

    /// What the document's structure puts at a pointer: found by descending the object tables
    /// from the root of an OpenAPI document. `None` for a file that is not one, and for places
    /// the structure does not type (extensions, example values).
    fn place(&self, file: FileId, target: &str) -> Option<Place> {
        let root = &self.docs.file(file).root;
        if file != FileId::ROOT && root.get("openapi").is_none() {
            return None;
        }
        let mut slot = Slot::Object(Kind::Document);
        let mut value = root;
        for token in pointer::tokens(target) {
            let child = match value {
                Value::Object(map) => map.get(token.as_ref())?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
            slot = self.child_slot(slot, &token, value)?;
            value = child;
        }
        Some(match slot {
            Slot::Object(kind) | Slot::OrRef(kind) => Place::Object(kind),
            Slot::Schema | Slot::SchemaOrBool => Place::Object(Kind::Schema),
            other => Place::Other(other),
        })
    }

    /// The slot of member `token` of a node in `slot` whose value is `parent`.
    fn child_slot(&self, slot: Slot, token: &str, parent: &Value) -> Option<Slot> {
        match slot {
            Slot::Object(kind) | Slot::OrRef(kind) if kind != Kind::Schema => {
                if kind.extensible() && token.starts_with("x-") {
                    return None;
                }
                if let Some(member) = objects::member_slot(kind, token) {
                    return Some(member);
                }
                objects::fields(kind)
                    .iter()
                    .find(|f| f.name == token && f.versions & self.bit != 0)
                    .map(|f| f.slot)
            }
            Slot::Object(_) | Slot::OrRef(_) | Slot::Schema | Slot::SchemaOrBool => {
                schema_child_slot(token, parent, self.bit)
            }
            Slot::Map(inner) | Slot::List(inner) => Some(*inner),
            Slot::Schemas => Some(Slot::Schema),
            _ => None,
        }
    }

    /// A reference that does not resolve: say what is missing and what is near.
    fn unresolved_ref(&mut self, use_: &RefUse, from: FileId, reference: &str, reason: &str) {
        let (document, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target_file = if document.is_empty() {
            Some(from)
        } else {
            self.docs
                .file(from)
                .origin
                .join(document)
                .ok()
                .and_then(|origin| {
                    self.docs
                        .files()
                        .find(|(_, f)| f.origin == origin)
                        .map(|(id, _)| id)
                })
        };
        let (message, target_file, missing_pointer) = match target_file {
            Some(file) if fragment.is_empty() || fragment.starts_with('/') => {
                let target = pointer::from_fragment(fragment);
                let detail = self.missing_detail(file, &target, from);
                (
                    format!("unresolved $ref `{reference}`: {detail}"),
                    file,
                    target,
                )
            }
            _ => (
                format!("unresolved $ref `{reference}`: {reason}"),
                from,
                String::new(),
            ),
        };
        let location = self.docs.location(use_.file, &use_.at);
        self.unresolved.push(Unresolved {
            target_file,
            pointer: missing_pointer,
            finding: Finding::new(structure::UNRESOLVED_REF.id, Level::Error, message).at(location),
        });
    }

    /// `components/schemas has no `Pett`; did you mean `Pet`?`: the first token of a pointer
    /// that does not exist, where, and the nearest name there.
    fn missing_detail(&self, file: FileId, target: &str, from: FileId) -> String {
        let root = &self.docs.file(file).root;
        let mut parent = root;
        let mut parent_pointer = String::new();
        for token in pointer::tokens(target) {
            let child = match parent {
                Value::Object(map) => map.get(token.as_ref()),
                Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            let Some(child) = child else {
                let place = if parent_pointer.is_empty() {
                    "the document root".to_string()
                } else {
                    format!("`{}`", &parent_pointer[1..])
                };
                let in_file = if file == from {
                    String::new()
                } else {
                    format!(" of {}", self.docs.file(file).name)
                };
                let near = match parent {
                    Value::Object(map) => suggest::nearest(&token, map.keys().map(String::as_str)),
                    _ => None,
                };
                let mut text = match parent {
                    Value::Object(_) => format!("{place}{in_file} has no `{token}`"),
                    _ => format!(
                        "{place}{in_file} is {}, not an object or array",
                        describe(parent)
                    ),
                };
                if let Some(near) = near {
                    text.push_str(&format!("; did you mean `{near}`?"));
                } else if parent_pointer.is_empty()
                    && let Some(modern) = super::hints::swagger2_section(&token)
                {
                    text.push_str(&format!(
                        "; `#/{token}/` is Swagger 2's place: OpenAPI 3 keeps them under `#/{modern}/`"
                    ));
                }
                return text;
            };
            parent_pointer = pointer::push(&parent_pointer, &token);
            parent = child;
        }
        "it does not resolve".to_string()
    }
}

/// The next reference of a chain: a target that is itself only a reference (annotations and
/// extensions aside).
fn chained(value: &Value) -> Option<&str> {
    let map = value.as_object()?;
    let reference = map.get("$ref")?.as_str()?;
    map.keys()
        .all(|k| {
            matches!(k.as_str(), "$ref" | "$comment" | "summary" | "description")
                || k.starts_with("x-")
        })
        .then_some(reference)
}

/// The slot of a schema keyword's value: a schema, a list or map of schemas, an OAS object, or
/// nothing typed (data and annotations).
fn schema_child_slot(token: &str, parent: &Value, bit: u8) -> Option<Slot> {
    match token {
        "items" => match parent.get("items") {
            Some(Value::Array(_)) => Some(Slot::Schemas),
            _ => Some(Slot::Schema),
        },
        "discriminator" => Some(Slot::Object(Kind::Discriminator)),
        "dependencies" => match parent.get("dependencies") {
            Some(Value::Object(_)) => Some(Slot::Map(&Slot::Schema)),
            _ => None,
        },
        _ => {
            let field = objects::field(Kind::Schema, token)?;
            if field.versions & bit == 0 {
                return None;
            }
            match field.slot {
                Slot::Any | Slot::String | Slot::Bool | Slot::Number | Slot::Count => None,
                other => Some(other),
            }
        }
    }
}

/// What a non-object place holds, for a wrong-kind message.
fn describe_slot(slot: Slot, value: &Value) -> String {
    match slot {
        Slot::Map(inner) => format!("a map of {}", super::plural(*inner)),
        Slot::List(inner) => format!("a list of {}", super::plural(*inner)),
        Slot::Schemas => "a list of schemas".to_string(),
        _ => describe(value),
    }
}
