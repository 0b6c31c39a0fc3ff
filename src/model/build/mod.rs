//! Builds a [`Contract`] from loaded documents. One pass over the document: objects are read
//! tolerantly (a malformed field becomes a finding with its location, not a failure), `$ref`s
//! are resolved through [`Documents`], and schemas are put in the arena through a work queue so
//! that deep or cyclic reference graphs never recurse without bound.
//!
//! The builder is one type spread over files along the document's seams: the document-level
//! objects (`document`), paths and operations (`operations`), and schemas (`schemas`).

mod document;
mod operations;
mod schemas;

use crate::catalogue::validate::structure as rule;
use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::schema::{
    AdditionalProperties, Discriminator, InstanceType, RareKeywords, Schema, SchemaId, TypeSpace,
};
use super::*;
use crate::load::{Documents, FileId, LoadError, pointer};
use crate::report::{Finding, Level};

/// Builds the contract of a loaded document set. Fails (exit 2) only when the root is not an
/// OpenAPI 3.x document at all; everything else that is wrong becomes a finding.
pub fn build_contract(documents: Documents) -> Result<Contract, LoadError> {
    let root = &documents.root().root;
    let (version, openapi, mut findings) = detect_version(&documents, root)?;
    let mut builder = Builder {
        docs: &documents,
        version,
        types: TypeSpace::default(),
        schema_ids: HashMap::new(),
        pending: Vec::new(),
        findings: Vec::new(),
    };
    let parts = builder.document(root);
    builder.drain_pending();
    findings.append(&mut builder.findings);
    let types = builder.types;
    Ok(Contract {
        version,
        openapi,
        info: parts.info,
        servers: parts.servers,
        operations: parts.operations,
        webhooks: parts.webhooks,
        types,
        security_schemes: parts.security_schemes,
        security: parts.security,
        tags: parts.tags,
        extensions: parts.extensions,
        findings,
        documents,
    })
}

fn detect_version(
    docs: &Documents,
    root: &Value,
) -> Result<(SpecVersion, String, Vec<Finding>), LoadError> {
    let at = |pointer: &str| docs.location(FileId::ROOT, pointer);
    if let Some(swagger) = root.get("swagger") {
        return Err(LoadError::Parse {
            location: at("/swagger"),
            message: format!(
                "this is a Swagger {} document; oaskit reads OpenAPI 3.0 and 3.1: convert it first (for example with swagger2openapi)",
                scalar_text(swagger)
            ),
        });
    }
    let Some(openapi) = root.get("openapi") else {
        return Err(LoadError::Parse {
            location: at(""),
            message: "not an OpenAPI document: the `openapi` field is missing".to_string(),
        });
    };
    let Some(text) = openapi.as_str() else {
        return Err(LoadError::Parse {
            location: at("/openapi"),
            message: format!(
                "`openapi` must be a version string such as \"3.1.0\", not {}",
                scalar_text(openapi)
            ),
        });
    };
    let mut parts = text.split('.');
    let (major, minor) = (parts.next(), parts.next());
    let mut findings = Vec::new();
    let version = match (major, minor) {
        (Some("3"), Some("0")) => SpecVersion::V3_0,
        (Some("3"), Some("1")) => SpecVersion::V3_1,
        (Some("3"), Some("2")) => SpecVersion::V3_2,
        (Some("3"), Some(_)) => {
            findings.push(
                Finding::new(
                    rule::UNKNOWN_OPENAPI_VERSION.id,
                    Level::Warning,
                    format!("unknown OpenAPI version {text}: read as 3.2"),
                )
                .at(at("/openapi")),
            );
            SpecVersion::V3_2
        }
        _ => {
            return Err(LoadError::Parse {
                location: at("/openapi"),
                message: format!(
                    "unknown OpenAPI version {text}: oaskit reads 3.0.x, 3.1.x and 3.2.x"
                ),
            });
        }
    };
    Ok((version, text.to_string(), findings))
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A node being read: where it is and what it holds.
#[derive(Clone)]
struct Node<'d> {
    file: FileId,
    pointer: String,
    value: &'d Value,
}

impl<'d> Node<'d> {
    fn loc(&self) -> Loc {
        Loc::new(self.file, self.pointer.clone())
    }

    fn child(&self, key: &str, value: &'d Value) -> Node<'d> {
        Node {
            file: self.file,
            pointer: pointer::push(&self.pointer, key),
            value,
        }
    }

    fn get(&self, key: &str) -> Option<Node<'d>> {
        self.value.get(key).map(|v| self.child(key, v))
    }

    fn object(&self) -> Option<&'d Map<String, Value>> {
        self.value.as_object()
    }

    /// The members of an object node, as child nodes.
    fn members(&self) -> Vec<(&'d String, Node<'d>)> {
        match self.value.as_object() {
            Some(map) => map.iter().map(|(k, v)| (k, self.child(k, v))).collect(),
            None => Vec::new(),
        }
    }

    fn items(&self) -> Vec<Node<'d>> {
        match self.value.as_array() {
            Some(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| self.child(&i.to_string(), v))
                .collect(),
            None => Vec::new(),
        }
    }
}

struct DocumentParts {
    info: Info,
    servers: Vec<Server>,
    operations: Vec<Operation>,
    webhooks: Vec<Operation>,
    security_schemes: IndexMap<String, SecurityScheme>,
    security: Vec<SecurityRequirement>,
    tags: Vec<Tag>,
    extensions: Extensions,
}

struct Builder<'d> {
    docs: &'d Documents,
    version: SpecVersion,
    types: TypeSpace,
    /// Schema objects already given an id, by where they are written.
    schema_ids: HashMap<(FileId, String), SchemaId>,
    /// Referenced schemas allocated but not read yet.
    pending: Vec<(SchemaId, FileId, String)>,
    findings: Vec<Finding>,
}

impl<'d> Builder<'d> {
    // ----- findings -------------------------------------------------------------------------

    fn report(&mut self, rule: &str, level: Level, loc: &Loc, message: String) {
        let location = self.docs.location(loc.file, &loc.pointer);
        self.findings
            .push(Finding::new(rule, level, message).at(location));
    }

    fn invalid(&mut self, node: &Node<'d>, expected: &str) {
        let message = format!("expected {expected}, found {}", describe(node.value));
        self.report(rule::INVALID_VALUE.id, Level::Error, &node.loc(), message);
    }

    fn missing(&mut self, node: &Node<'d>, field: &str, object: &str) {
        let message = format!("{object} is missing the required field `{field}`");
        self.report(
            rule::MISSING_REQUIRED_FIELD.id,
            Level::Error,
            &node.loc(),
            message,
        );
    }

    // ----- typed field access ---------------------------------------------------------------

    fn string(&mut self, node: &Node<'d>, key: &str) -> Option<String> {
        let child = node.get(key)?;
        match child.value {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.invalid(&child, "a string");
                None
            }
        }
    }

    fn boolean(&mut self, node: &Node<'d>, key: &str) -> Option<bool> {
        let child = node.get(key)?;
        match child.value {
            Value::Bool(b) => Some(*b),
            _ => {
                self.invalid(&child, "true or false");
                None
            }
        }
    }

    fn unsigned(&mut self, node: &Node<'d>, key: &str) -> Option<u64> {
        let child = node.get(key)?;
        match child.value.as_u64() {
            Some(n) => Some(n),
            // 10.0 is a valid non-negative integer in JSON Schema.
            None => match child.value.as_f64() {
                Some(f) if f >= 0.0 && f.fract() == 0.0 && f < 9.0e15 => Some(f as u64),
                _ => {
                    self.invalid(&child, "a non-negative integer");
                    None
                }
            },
        }
    }

    fn number(&mut self, node: &Node<'d>, key: &str) -> Option<serde_json::Number> {
        let child = node.get(key)?;
        match child.value {
            Value::Number(n) => Some(n.clone()),
            _ => {
                self.invalid(&child, "a number");
                None
            }
        }
    }

    fn object_node(&mut self, node: &Node<'d>, key: &str) -> Option<Node<'d>> {
        let child = node.get(key)?;
        if child.object().is_some() {
            Some(child)
        } else {
            self.invalid(&child, "an object");
            None
        }
    }

    fn array_node(&mut self, node: &Node<'d>, key: &str) -> Option<Node<'d>> {
        let child = node.get(key)?;
        if child.value.is_array() {
            Some(child)
        } else {
            self.invalid(&child, "an array");
            None
        }
    }

    fn string_list(&mut self, node: &Node<'d>, key: &str) -> Vec<String> {
        let Some(list) = self.array_node(node, key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in list.items() {
            match item.value {
                Value::String(s) => out.push(s.clone()),
                _ => self.invalid(&item, "a string"),
            }
        }
        out
    }

    fn extensions(&self, node: &Node<'d>) -> Extensions {
        node.object()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| k.starts_with("x-"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    // ----- references -----------------------------------------------------------------------

    /// Follows `$ref`s (chains included) from a node to the object they name. `None`, with a
    /// finding, when a reference is broken or the chain loops.
    fn deref(&mut self, node: Node<'d>) -> Option<Node<'d>> {
        let mut current = node;
        let mut seen: Vec<(FileId, String)> = Vec::new();
        while let Some(reference) = ref_of(current.value) {
            let ref_node = current.get("$ref").unwrap_or_else(|| current.clone());
            if seen.contains(&(current.file, current.pointer.clone())) || seen.len() > 64 {
                let message = format!(
                    "the $ref chain through `{reference}` loops without reaching an object"
                );
                self.report(rule::REF_CYCLE.id, Level::Error, &ref_node.loc(), message);
                return None;
            }
            seen.push((current.file, current.pointer.clone()));
            match self.docs.resolve_ref(current.file, reference) {
                Ok(target) => {
                    current = Node {
                        file: target.file,
                        pointer: target.pointer.into_owned(),
                        value: target.value,
                    }
                }
                Err(reason) => {
                    let message = format!("unresolved $ref `{reference}`: {reason}");
                    self.report(
                        rule::UNRESOLVED_REF.id,
                        Level::Error,
                        &ref_node.loc(),
                        message,
                    );
                    return None;
                }
            }
        }
        Some(current)
    }
}

/// The `$ref` of an object, if it has one.
fn ref_of(value: &Value) -> Option<&str> {
    value.as_object()?.get("$ref")?.as_str()
}

/// The `$ref` of an object that has nothing else that matters (annotations aside).
fn pure_ref(value: &Value) -> Option<&str> {
    let map = value.as_object()?;
    let reference = map.get("$ref")?.as_str()?;
    let only_annotations = map
        .keys()
        .all(|k| k == "$ref" || k == "$comment" || k == "summary");
    only_annotations.then_some(reference)
}

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
