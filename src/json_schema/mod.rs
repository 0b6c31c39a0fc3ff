//! Model schemas as JSON Schema 2020-12 documents for the `jsonschema` crate, seen from one side
//! of an exchange. Example validation (`validate`) and the live probe (`probe`) both validate
//! through this module, so the DESIGN rulings (nullable, discriminator, additionalProperties,
//! invalid patterns, formats) are applied in one place.
//!
//! - [`export`](export_schema): the documents (one `$defs` entry per model schema, `$ref` edges).
//! - [`CompiledSchemas`], [`compile_batch`] (with [`batch_instance`], [`batch_slot`]): validators compiled once and shared per view.
//! - the OpenAPI formats `jsonschema` does not know (`byte`, numeric ranges).
//! - [`misdirected_properties`]: readOnly values in requests, writeOnly values in responses.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::Value;

use crate::model::{Contract, Direction, SchemaId, SpecVersion, TypeSpace};

mod compile;
mod export;
mod formats;
mod misdirected;

pub use compile::{CompiledSchemas, batch_instance, batch_slot, compile_batch, validation_options};
pub use export::{Locator, definition_name, export_definitions, export_schema, non_ecma_anchor};
pub use formats::is_base64;
pub use misdirected::{Misdirected, misdirected_properties};

/// The URI under which the `$defs` document of a view is registered.
pub const BASE_URI: &str = "https://oaskit.invalid/schemas.json";

/// The side of an exchange a schema is validated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum View {
    /// readOnly properties are not required (and, if present, reported by
    /// [`misdirected_properties`]).
    Request,
    /// writeOnly properties are not required.
    Response,
    /// Neither readOnly nor writeOnly properties are required: a component seen in both
    /// directions, or in none.
    Both,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::Request => "request",
            View::Response => "response",
            View::Both => "both directions",
        }
    }

    /// The direction whose misdirected properties are worth a warning.
    pub fn direction(self) -> Option<Direction> {
        match self {
            View::Request => Some(Direction::Request),
            View::Response => Some(Direction::Response),
            View::Both => None,
        }
    }

    /// Whether a property stops being required in this view.
    fn excuses(self, types: &TypeSpace, property: SchemaId) -> bool {
        let hidden = |d| !types.property_visible(property, d);
        match self {
            View::Request => hidden(Direction::Request),
            View::Response => hidden(Direction::Response),
            View::Both => hidden(Direction::Request) || hidden(Direction::Response),
        }
    }
}

impl From<Direction> for View {
    fn from(direction: Direction) -> View {
        match direction {
            Direction::Request => View::Request,
            Direction::Response => View::Response,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// Assert `format` (date-time, uuid, email, int32 ranges, byte = base64, ...). Off: formats
    /// are annotations.
    pub format_assertions: bool,
    /// Schemas whose null comes from their own 3.1 `type` array: JSON Schema applies to them in
    /// full, so an `enum` or `const` beside `type: [string, "null"]` that lacks null rejects it
    /// (ruling 1, which accepts null whatever else the schema says, is about 3.0's `nullable`).
    /// See [`type_array_nulls`].
    pub type_array_nulls: Arc<HashSet<SchemaId>>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format_assertions: true,
            type_array_nulls: Arc::default(),
        }
    }
}

impl ExportOptions {
    /// The options for validating against `contract`'s schemas.
    pub fn for_contract(contract: &Contract, format_assertions: bool) -> Self {
        ExportOptions {
            format_assertions,
            type_array_nulls: Arc::new(type_array_nulls(contract)),
        }
    }
}

/// The 3.1+ schemas that admit null through their own `type` array (`type: [string, "null"]`),
/// as written: not through 3.0's `nullable` (also when a 3.1 document uses it), and not through
/// an `anyOf`/`oneOf` branch `{type: "null"}`, which the model folds into the same flag.
pub fn type_array_nulls(contract: &Contract) -> HashSet<SchemaId> {
    if contract.version == SpecVersion::V3_0 {
        return HashSet::new();
    }
    let count =
        |node: &Value, key: &str| node.get(key).and_then(Value::as_array).map_or(0, Vec::len);
    contract
        .types
        .iter()
        .filter(|(_, s)| s.nullable)
        .filter(|(_, s)| {
            let Some(node) = contract.value(&s.loc) else {
                return false;
            };
            let null_in_type = node
                .get("type")
                .and_then(Value::as_array)
                .is_some_and(|types| types.iter().any(|t| t == "null"));
            null_in_type
                && node.get("nullable") != Some(&Value::Bool(true))
                && count(node, "anyOf") == s.any_of.len()
                && count(node, "oneOf") == s.one_of.len()
                && count(node, "allOf") == s.all_of.len()
        })
        .map(|(id, _)| id)
        .collect()
}
