//! The shape of a document: every object checked against what its OpenAPI version allows, with
//! positions. One walk over the raw documents (the root, and every other file as far as `$ref`s
//! reach into it) knows at each node which object it expects, so it can say that `paramters` is
//! not an Operation field and mean `parameters`, that `type: [string, 'null']` is 3.1's way and
//! not 3.0's, and that a `$ref` in a schema's place names a Parameter.
//!
//! The model's builder reads tolerantly and reports nothing of this: one mistake, one finding,
//! here. Findings that would only repeat a mistake already reported (a `$ref` into `schemas:`
//! written at the root instead of under `components`) are folded into it.
//!
//! `objects` holds the tables, `variants` the rules a table cannot express, `schema` the Schema
//! Object of each version, `refs` the `$ref` targets, `hints` the advice for Swagger 2 leftovers
//! and misplaced fields.

mod hints;
mod objects;
mod refs;
mod schema;
mod variants;

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::load::{Documents, FileId, pointer};
use crate::model::{Contract, Loc, SpecVersion};
use crate::report::{Finding, Level};

use super::suggest;
use crate::catalogue::validate::structure;
use objects::{Field, Kind, Slot, V30};

/// What the walk found, and what later checks need to know to stay quiet about its consequences.
pub struct Shape {
    pub findings: Vec<Finding>,
    pub corrections: Corrections,
    /// Schemas whose bounds exclude every value (`impossible-range`).
    pub unsatisfiable: HashSet<Loc>,
}

/// Fields written under a near name (`paramters`): a check that misses the field (an undeclared
/// path parameter) is a consequence of the typo already reported.
#[derive(Debug, Default)]
pub struct Corrections {
    misnamed: HashSet<(FileId, String, String)>,
}

impl Corrections {
    /// Whether the object at `object` has `field` written under another name.
    pub fn misnamed(&self, object: &Loc, field: &str) -> bool {
        self.misnamed
            .contains(&(object.file, object.pointer.clone(), field.to_string()))
    }
}

/// Walks a contract's documents.
pub fn check(contract: &Contract) -> Shape {
    let mut walker = Walker {
        docs: &contract.documents,
        version: contract.version,
        bit: objects::version_bit(contract.version),
        file: FileId::ROOT,
        path: String::new(),
        findings: Vec::new(),
        corrections: Corrections::default(),
        refs: Vec::new(),
        walked: HashSet::new(),
        misplaced: Vec::new(),
        unresolved: Vec::new(),
        operation_ids: HashSet::new(),
        link_operation_ids: Vec::new(),
        cycles: Vec::new(),
        chain_ends: HashMap::new(),
        unsatisfiable: HashSet::new(),
    };
    let root = &contract.documents.root().root;
    walker.object(Kind::Document, root);
    walker.resolve_refs();
    walker.finish()
}

/// A key reported as written in the wrong object, with where it belongs: `$ref`s that point
/// where it belongs are its consequences.
struct Misplaced {
    file: FileId,
    written: String,
    intended: String,
    finding: usize,
    refs: usize,
}

struct Walker<'d> {
    docs: &'d Documents,
    version: SpecVersion,
    bit: u8,
    /// Where the walk is: the file and the JSON pointer of the current node.
    file: FileId,
    path: String,
    findings: Vec<Finding>,
    corrections: Corrections,
    refs: Vec<refs::RefUse>,
    /// Targets walked where the reference led (outside the root document's own structure).
    walked: HashSet<(FileId, String, Kind)>,
    misplaced: Vec<Misplaced>,
    unresolved: Vec<refs::Unresolved>,
    /// Every operationId of the walked operations, and the links that name one.
    operation_ids: HashSet<String>,
    link_operation_ids: Vec<(FileId, String, String)>,
    /// `$ref` chains that loop: the sorted targets of the loop, and the reference that met it.
    cycles: Vec<(Vec<(FileId, String)>, refs::RefUse)>,
    /// Where each `$ref` passed in a chain leads, so a chain shared by many references is
    /// followed once (see `refs::ChainEnd`).
    chain_ends: HashMap<(FileId, String), refs::ChainEnd>,
    unsatisfiable: HashSet<Loc>,
}

impl<'d> Walker<'d> {
    // ----- position and findings ------------------------------------------------------------

    /// Descends into a member; returns the length to restore with [`Walker::leave`].
    fn enter(&mut self, token: &str) -> usize {
        let len = self.path.len();
        self.path.push('/');
        self.path.push_str(&pointer::escape_token(token));
        len
    }

    /// Descends into an array item.
    fn enter_index(&mut self, index: usize) -> usize {
        use std::fmt::Write as _;
        let len = self.path.len();
        // Writing to a String cannot fail.
        let _ = write!(self.path, "/{index}");
        len
    }

    fn leave(&mut self, len: usize) {
        self.path.truncate(len);
    }

    fn child_pointer(&self, key: &str) -> String {
        pointer::push(&self.path, key)
    }

    /// Reports at a pointer of the current file; returns the finding's index.
    fn report_at(&mut self, pointer: &str, rule: &str, level: Level, message: String) -> usize {
        let location = self.docs.location(self.file, pointer);
        self.findings
            .push(Finding::new(rule, level, message).at(location));
        self.findings.len() - 1
    }

    fn report(&mut self, rule: &str, level: Level, message: String) -> usize {
        let pointer = self.path.clone();
        self.report_at(&pointer, rule, level, message)
    }

    fn report_key(&mut self, key: &str, rule: &str, level: Level, message: String) -> usize {
        let pointer = self.child_pointer(key);
        self.report_at(&pointer, rule, level, message)
    }

    /// `expected a string, found the number 12`.
    fn expected(&mut self, what: &str, found: &Value) {
        let message = format!("expected {what}, found {}", describe(found));
        self.report(structure::INVALID_VALUE.id, Level::Error, message);
    }

    fn missing(&mut self, kind: Kind, field: &str) {
        let message = format!(
            "the {} is missing the required field `{field}`",
            kind.name()
        );
        self.report(structure::MISSING_REQUIRED_FIELD.id, Level::Error, message);
    }

    /// Whether a field of the current object was written under another name (and reported).
    fn misnamed_here(&self, field: &str) -> bool {
        self.corrections
            .misnamed
            .contains(&(self.file, self.path.clone(), field.to_string()))
    }

    fn is_30(&self) -> bool {
        self.bit == V30
    }

    // ----- values -----------------------------------------------------------------------------

    /// Checks a value against what its place holds.
    fn slot(&mut self, slot: Slot, value: &'d Value) {
        match slot {
            Slot::Any => {}
            Slot::String => {
                if !value.is_string() {
                    self.expected("a string", value);
                }
            }
            Slot::Bool => {
                if !value.is_boolean() {
                    self.expected("true or false", value);
                }
            }
            Slot::Number => {
                if !value.is_number() {
                    self.expected("a number", value);
                }
            }
            Slot::Positive => {
                if !value.as_f64().is_some_and(|n| n > 0.0) {
                    self.expected("a number above 0", value);
                }
            }
            Slot::Count => {
                if !is_count(value) {
                    self.expected("a non-negative integer", value);
                }
            }
            Slot::Strings => match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if !item.is_string() {
                            let len = self.enter_index(i);
                            self.expected("a string", item);
                            self.leave(len);
                        }
                    }
                }
                None => self.expected("an array of strings", value),
            },
            Slot::Enum(allowed) => {
                self.one_of(value, allowed, "");
            }
            Slot::Object(kind) => self.object(kind, value),
            Slot::OrRef(Kind::MediaType)
                if value.get("$ref").is_some() && self.bit != objects::V32 =>
            {
                let message = format!(
                    "a Media Type Object cannot be a `$ref` in OpenAPI {} (only from 3.2 on): write the media type here",
                    version_text(self.version)
                );
                let len = self.enter("$ref");
                self.report(structure::VERSION_MISMATCH.id, Level::Error, message);
                self.leave(len);
            }
            Slot::OrRef(kind) => {
                if value.get("$ref").is_some() {
                    self.reference(kind, value);
                } else {
                    self.object(kind, value);
                }
            }
            Slot::Schema => self.schema(value, false),
            Slot::SchemaOrBool => self.schema(value, true),
            Slot::Schemas => match value.as_array() {
                Some(items) => {
                    if items.is_empty() {
                        let message = "expected a non-empty array of schemas, found an empty array (JSON Schema requires at least one)".to_string();
                        self.report(structure::INVALID_VALUE.id, Level::Error, message);
                    }
                    for (i, item) in items.iter().enumerate() {
                        let len = self.enter_index(i);
                        self.schema(item, false);
                        self.leave(len);
                    }
                }
                None => self.expected("an array of schemas", value),
            },
            Slot::Map(inner) => match value.as_object() {
                Some(map) => {
                    for (key, member) in map {
                        let len = self.enter(key);
                        self.slot(*inner, member);
                        self.leave(len);
                    }
                }
                None => self.expected(&format!("a map of {}", plural(*inner)), value),
            },
            Slot::List(inner) => match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let len = self.enter_index(i);
                        self.slot(*inner, item);
                        self.leave(len);
                    }
                }
                None => self.expected(&format!("an array of {}", plural(*inner)), value),
            },
        }
    }

    /// A string among `allowed` (with the nearest one suggested); `what` names the field.
    fn one_of(&mut self, value: &Value, allowed: &[&str], what: &str) -> bool {
        match value.as_str() {
            Some(s) if allowed.contains(&s) => true,
            Some(s) => {
                let hint = suggest::did_you_mean(s, allowed.iter().copied());
                let message = format!(
                    "{what}`{s}` is not one of {}{hint}",
                    allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                self.report(structure::INVALID_VALUE.id, Level::Error, message);
                false
            }
            None => {
                self.expected("a string", value);
                false
            }
        }
    }

    // ----- objects ----------------------------------------------------------------------------

    fn object(&mut self, kind: Kind, value: &'d Value) {
        if kind == Kind::Schema {
            self.schema(value, false);
            return;
        }
        let Some(map) = value.as_object() else {
            self.expected(&format!("{} {}", article(kind.name()), kind.name()), value);
            return;
        };
        match kind {
            Kind::Paths | Kind::Responses | Kind::Callback | Kind::SecurityRequirement => {
                self.named_members(kind, map);
            }
            _ => self.fields(kind, map),
        }
        variants::check(self, kind, map);
    }

    /// The fixed fields of an object: each known field's value, fields of other versions,
    /// unknown fields, and required fields.
    fn fields(&mut self, kind: Kind, map: &'d Map<String, Value>) {
        let table = objects::fields(kind);
        for (key, value) in map {
            if kind.extensible() && key.starts_with("x-") {
                continue;
            }
            match table.iter().find(|f| f.name == key) {
                Some(field) if field.versions & self.bit != 0 => {
                    if kind == Kind::PathItem && key == "$ref" {
                        self.path_item_ref(value);
                        continue;
                    }
                    let len = self.enter(key);
                    self.slot(field.slot, value);
                    self.leave(len);
                }
                Some(field) => self.other_version_field(kind, key, field),
                None => self.unknown_field(kind, map, key, value),
            }
        }
        for field in table {
            if field.required & self.bit != 0
                && !map.contains_key(field.name)
                && !self.misnamed_here(field.name)
            {
                self.missing(kind, field.name);
            }
        }
    }

    /// Paths, Responses, Callbacks and Security Requirements: members are names.
    fn named_members(&mut self, kind: Kind, map: &'d Map<String, Value>) {
        for (key, value) in map {
            if kind.extensible() && key.starts_with("x-") {
                continue;
            }
            if key == "$ref" && matches!(kind, Kind::Paths | Kind::Responses) {
                self.unknown_field(kind, map, key, value);
                continue;
            }
            let len = self.enter(key);
            match objects::member_slot(kind, key) {
                Some(slot) => self.slot(slot, value),
                None => {
                    variants::bad_member(self, kind, key);
                    // Read what is there anyway, so its own mistakes are not hidden behind this one.
                    if let Some(slot) = match kind {
                        Kind::Paths => Some(Slot::Object(Kind::PathItem)),
                        Kind::Responses => Some(Slot::OrRef(Kind::Response)),
                        _ => None,
                    } {
                        self.slot(slot, value);
                    }
                }
            }
            self.leave(len);
        }
    }

    /// A field that exists in another version of OpenAPI.
    fn other_version_field(&mut self, kind: Kind, key: &str, field: &Field) {
        let message = format!(
            "`{key}` is a field of the {} in {}; this document is OpenAPI {}{}",
            kind.name(),
            objects::versions_text(field.versions),
            version_text(self.version),
            hints::version_advice(kind, key, self.version)
                .map(|a| format!(": {a}"))
                .unwrap_or_default()
        );
        self.report_key(key, structure::VERSION_MISMATCH.id, Level::Error, message);
    }

    /// A member of an object that the object does not have.
    fn unknown_field(&mut self, kind: Kind, map: &Map<String, Value>, key: &str, value: &Value) {
        if let Some(field) = hints::stands_for(kind, key) {
            self.corrections
                .misnamed
                .insert((self.file, self.path.clone(), field.to_string()));
        }
        if let Some(advice) = hints::swagger2(kind, key, value) {
            let message = format!(
                "`{key}` is a Swagger 2 field, not one of the {}: {advice}",
                kind.name()
            );
            let index = self.report_key(key, structure::UNKNOWN_FIELD.id, Level::Error, message);
            self.note_misplaced(kind, key, index);
            return;
        }
        if let Some(advice) = hints::misplaced(kind, key) {
            let message = format!("`{key}` is not a field of the {}: {advice}", kind.name());
            let index = self.report_key(key, structure::UNKNOWN_FIELD.id, Level::Error, message);
            self.note_misplaced(kind, key, index);
            return;
        }
        let table = objects::fields(kind);
        let allowed = table
            .iter()
            .filter(|f| f.versions & self.bit != 0 && f.name != "$ref")
            .map(|f| f.name);
        if let Some(near) = suggest::nearest(key, allowed.clone()) {
            let field = table.iter().find(|f| f.name == near);
            let required =
                field.is_some_and(|f| f.required & self.bit != 0) && !map.contains_key(near);
            if let Some(field) = field {
                self.corrections.misnamed.insert((
                    self.file,
                    self.path.clone(),
                    field.name.to_string(),
                ));
            }
            let message = format!(
                "unknown field `{key}` in the {}; did you mean `{near}`?{}",
                kind.name(),
                if required { " (a required field)" } else { "" }
            );
            let index = self.report_key(key, structure::UNKNOWN_FIELD.id, Level::Error, message);
            if kind == Kind::Document || kind == Kind::Components {
                self.misplaced.push(Misplaced {
                    file: self.file,
                    written: self.child_pointer(key),
                    intended: self.child_pointer(near),
                    finding: index,
                    refs: 0,
                });
            }
            return;
        }
        let names: Vec<&str> = allowed.collect();
        let listing = if names.len() <= 16 {
            format!(
                " (its fields: {})",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            String::new()
        };
        let message = format!(
            "`{key}` is not a field of the {}{listing}; vendor extensions start with `x-`",
            kind.name()
        );
        self.report_key(key, structure::UNKNOWN_FIELD.id, Level::Error, message);
    }

    /// Remembers where a misplaced key of the document root belongs, for the `$ref`s that
    /// look for it there.
    fn note_misplaced(&mut self, kind: Kind, key: &str, finding: usize) {
        if kind != Kind::Document {
            return;
        }
        let intended = match key {
            "definitions" => "/components/schemas".to_string(),
            "securityDefinitions" => "/components/securitySchemes".to_string(),
            "parameters" | "responses" | "schemas" | "examples" | "requestBodies" | "headers"
            | "securitySchemes" | "links" | "callbacks" | "pathItems" => {
                format!("/components/{key}")
            }
            _ => return,
        };
        self.misplaced.push(Misplaced {
            file: self.file,
            written: self.child_pointer(key),
            intended,
            finding,
            refs: 0,
        });
    }

    /// The findings, with the consequences of misplaced keys folded into them.
    fn finish(mut self) -> Shape {
        for (file, at, id) in std::mem::take(&mut self.link_operation_ids) {
            if !self.operation_ids.contains(&id) {
                let message = format!(
                    "the link names operationId `{id}`, which no operation has{}",
                    suggest::did_you_mean(&id, self.operation_ids.iter().map(String::as_str))
                );
                let location = self.docs.location(file, &at);
                self.findings.push(
                    Finding::new(structure::INVALID_VALUE.id, Level::Error, message).at(location),
                );
            }
        }
        let unresolved = std::mem::take(&mut self.unresolved);
        for u in unresolved {
            let folded = self.misplaced.iter_mut().find(|m| {
                m.file == u.target_file
                    && (u.pointer == m.intended
                        || u.pointer.starts_with(&format!("{}/", m.intended)))
                    && pointer::get(
                        &self.docs.file(m.file).root,
                        &format!("{}{}", m.written, &u.pointer[m.intended.len()..]),
                    )
                    .is_some()
            });
            match folded {
                Some(m) => m.refs += 1,
                None => self.findings.push(u.finding),
            }
        }
        for m in &self.misplaced {
            if m.refs > 0 {
                let message = &mut self.findings[m.finding].message;
                message.push_str(&format!(
                    " ({} `$ref`{} to `#{}` look{} for it there)",
                    m.refs,
                    if m.refs == 1 { "" } else { "s" },
                    m.intended,
                    if m.refs == 1 { "s" } else { "" }
                ));
            }
        }
        Shape {
            findings: self.findings,
            corrections: self.corrections,
            unsatisfiable: self.unsatisfiable,
        }
    }
}

/// A value for a message.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => "a string".to_string(),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// A non-negative integer; `10.0` is one in JSON Schema.
fn is_count(value: &Value) -> bool {
    value.as_u64().is_some()
        || value
            .as_f64()
            .is_some_and(|f| f >= 0.0 && f.fract() == 0.0 && f < 9.0e15)
}

fn article(name: &str) -> &'static str {
    match name.chars().next() {
        Some('A' | 'E' | 'I' | 'O' | 'U' | 'X') => "an",
        _ => "a",
    }
}

fn version_text(version: SpecVersion) -> &'static str {
    match version {
        SpecVersion::V3_0 => "3.0",
        SpecVersion::V3_1 => "3.1",
        SpecVersion::V3_2 => "3.2",
    }
}

/// "schemas", "Response Objects": what a map or list holds, for messages.
fn plural(slot: Slot) -> String {
    match slot {
        Slot::Object(k) | Slot::OrRef(k) => format!("{}s", k.name()),
        Slot::Schema | Slot::SchemaOrBool => "schemas".to_string(),
        Slot::Strings => "string arrays".to_string(),
        Slot::String => "strings".to_string(),
        Slot::Bool => "booleans".to_string(),
        _ => "values".to_string(),
    }
}
