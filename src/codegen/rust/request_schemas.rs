//! The request-body schemas a generated server validates with `jsonschema` (the runtime's
//! `schema` module): every JSON request body's schema is exported into one JSON Schema document,
//! a string in `src/request_schemas.rs`, and each handler names its entry. serde and the generated checks
//! stay the fast path; the schema reports every error of a body they refuse, and checks every
//! body whose schema says what Rust types cannot (`if`/`then`/`else`, `dependentRequired`, ...).

use std::collections::HashSet;

use super::models::Types;
use crate::json_schema::{ExportOptions, View, definition_name, export_definitions};
use crate::model::{Contract, SchemaId};

/// The module of the document in a generated crate.
pub(super) const MODULE_PATH: &str = "src/request_schemas.rs";

impl Types<'_> {
    /// The `$defs` entry of a JSON request body's schema `id` in the crate's document, and
    /// whether every body must be validated against it (it reaches a keyword the generated types
    /// and checks do not express). Records `id` for the document.
    pub(in crate::codegen::rust) fn body_schema(&self, id: SchemaId) -> (String, bool) {
        let reachable = self.reachable(id);
        let always = reachable
            .iter()
            .any(|s| !self.unchecked_keywords(*s).is_empty());
        self.request_schemas.borrow_mut().push(id);
        self.schema_validated.borrow_mut().extend(reachable);
        (definition_name(id), always)
    }

    /// Whether the request-body schemas validate schema `id` (so that what the generated checks
    /// leave out of it is still checked).
    pub(super) fn schema_validated(&self, id: SchemaId) -> bool {
        self.schema_validated.borrow().contains(&id)
    }

    /// Every schema `id` leads to, itself included.
    fn reachable(&self, id: SchemaId) -> HashSet<SchemaId> {
        let space = self.space();
        let mut seen = HashSet::from([id]);
        let mut queue = vec![id];
        while let Some(next) = queue.pop() {
            let (alias, _) = space.resolve_alias(next);
            for child in space.children(next).into_iter().chain([alias]) {
                if seen.insert(child) {
                    queue.push(child);
                }
            }
        }
        seen
    }
}

/// The module holding the document of every request-body schema recorded (compact JSON in a
/// raw string); `None` when there is none.
pub(super) fn request_schema_module(
    contract: &Contract,
    roots: &[SchemaId],
    header: &str,
) -> Option<String> {
    if roots.is_empty() {
        return None;
    }
    let options = ExportOptions::for_contract(contract, true);
    let document = export_definitions(&contract.types, roots, View::Request, options);
    let text = serde_json::to_string(&document).ok()?;
    let hashes = "#".repeat(longest_hash_run(&text) + 1);
    // Printed as rustfmt prints it (the document never fits on one line), so that committed
    // generated crates pass `cargo fmt --check`.
    Some(format!(
        "// {header}\n\
         //! The JSON Schema document of the request bodies: a body serde refuses is validated\n\
         //! against its schema to report every error, and some bodies always are (see\n\
         //! `runtime::BodySchema`).\n\n\
         use crate::runtime;\n\n\
         pub(crate) static REQUEST_SCHEMAS: runtime::SchemaDocument = \
         runtime::SchemaDocument::new(\n    r{hashes}\"{text}\"{hashes},\n);\n"
    ))
}

/// The longest run of `#` after a `"` in `text`, so that a raw string can hold it.
fn longest_hash_run(text: &str) -> usize {
    text.split('"')
        .skip(1)
        .map(|rest| rest.chars().take_while(|c| *c == '#').count())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::longest_hash_run;

    #[test]
    fn raw_strings_outnumber_the_hashes_of_the_text() {
        assert_eq!(longest_hash_run("{}"), 0);
        assert_eq!(longest_hash_run(r##"{"$ref":"#/$defs/s1"}"##), 1);
        assert_eq!(longest_hash_run(r####"{"p":"a"###b"}"####), 3);
    }
}
