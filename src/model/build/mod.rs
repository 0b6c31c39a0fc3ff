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

use std::collections::{HashMap, HashSet};

use crate::catalogue::validate::structure as rule;

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
        deref_memo: HashMap::new(),
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
    /// Where each `$ref` object already followed by `deref` leads (`None`: nowhere).
    deref_memo: HashMap<(FileId, String), Option<Node<'d>>>,
    /// Referenced schemas allocated but not read yet.
    pending: Vec<(SchemaId, FileId, String)>,
    findings: Vec<Finding>,
}

impl<'d> Builder<'d> {
    // ----- findings -------------------------------------------------------------------------

    /// The builder reports only what is about reading the model (versions, unsupported
    /// constructs, duplicate parameters); whether the document follows its OpenAPI version is
    /// `validate`'s shape check, which sees every node. Reading here is tolerant: a value of the
    /// wrong kind is skipped.
    fn report(&mut self, rule: &str, level: Level, loc: &Loc, message: String) {
        let location = self.docs.location(loc.file, &loc.pointer);
        self.findings
            .push(Finding::new(rule, level, message).at(location));
    }

    // ----- typed field access ---------------------------------------------------------------

    fn string(&mut self, node: &Node<'d>, key: &str) -> Option<String> {
        node.value.get(key)?.as_str().map(str::to_string)
    }

    fn boolean(&mut self, node: &Node<'d>, key: &str) -> Option<bool> {
        node.value.get(key)?.as_bool()
    }

    fn unsigned(&mut self, node: &Node<'d>, key: &str) -> Option<u64> {
        let value = node.value.get(key)?;
        // 10.0 is a valid non-negative integer in JSON Schema.
        value.as_u64().or_else(|| {
            value
                .as_f64()
                .filter(|f| *f >= 0.0 && f.fract() == 0.0 && *f < 9.0e15)
                .map(|f| f as u64)
        })
    }

    fn number(&mut self, node: &Node<'d>, key: &str) -> Option<serde_json::Number> {
        match node.value.get(key)? {
            Value::Number(n) => Some(n.clone()),
            _ => None,
        }
    }

    fn object_node(&mut self, node: &Node<'d>, key: &str) -> Option<Node<'d>> {
        node.get(key).filter(|child| child.object().is_some())
    }

    fn array_node(&mut self, node: &Node<'d>, key: &str) -> Option<Node<'d>> {
        node.get(key).filter(|child| child.value.is_array())
    }

    fn string_list(&mut self, node: &Node<'d>, key: &str) -> Vec<String> {
        match node.value.get(key) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
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

    /// Follows `$ref`s (chains included) from a node to the object they name. `None` when a
    /// reference is broken or the chain loops (the shape check reports both). Where each `$ref`
    /// leads is remembered, so a chain shared by many users is walked once; only a link seen
    /// twice in one walk is a loop (a long acyclic chain is not one).
    fn deref(&mut self, node: Node<'d>) -> Option<Node<'d>> {
        let mut current = node;
        let mut passed: Vec<(FileId, String)> = Vec::new();
        let mut on_chain: HashSet<(FileId, String)> = HashSet::new();
        let found = loop {
            let Some(reference) = ref_of(current.value) else {
                break Some(current);
            };
            let key = (current.file, current.pointer.clone());
            if let Some(known) = self.deref_memo.get(&key) {
                break known.clone();
            }
            if !on_chain.insert(key.clone()) {
                break None;
            }
            passed.push(key);
            let Ok(target) = self.docs.resolve_ref(current.file, reference) else {
                break None;
            };
            current = Node {
                file: target.file,
                pointer: target.pointer.into_owned(),
                value: target.value,
            };
        };
        for key in passed {
            self.deref_memo.insert(key, found.clone());
        }
        found
    }
}

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
