//! The request schemas a generated server validates with `jsonschema` (the runtime's `schema`
//! module): every JSON request body's schema is exported into one JSON Schema document, a string
//! in `src/request_schemas.rs`, and each handler names its entry. serde and the generated checks
//! stay the fast path; the schema reports every error of a body they refuse, and checks every
//! body whose schema says what Rust types cannot (`if`/`then`/`else`, `dependentRequired`, ...).
//! The schemas of parameters and form bodies are in the document only when they say such a
//! thing: the decoded value (a form as a JSON object) is then validated against them.

use super::models::Types;
use crate::json_schema::{ExportOptions, View, definition_name, export_definitions};
use crate::model::{Contract, SchemaId, TypeSpace};

/// The module of the document in a generated crate.
pub(super) const MODULE_PATH: &str = "src/request_schemas.rs";

impl Types<'_> {
    /// The `$defs` entry of a JSON request body's schema `id` in the crate's document, and
    /// whether every body must be validated against it (it reaches a keyword the generated types
    /// and checks do not express). Records `id` for the document.
    pub(in crate::codegen::rust) fn body_schema(&self, id: SchemaId) -> (String, bool) {
        let always = self.reaches_unchecked(id);
        self.request_schemas.borrow_mut().push(id);
        self.mark_schema_validated(id);
        (definition_name(id), always)
    }

    /// The `$defs` entry of the schema `id` of a parameter or form body, recorded for the
    /// document, when it reaches a keyword the generated types and checks do not express; `None`
    /// (nothing recorded, nothing to run) when the types and checks say everything it says.
    pub(in crate::codegen::rust) fn value_schema(&self, id: SchemaId) -> Option<String> {
        self.reaches_unchecked(id)
            .then(|| self.validated_schema(id))
    }

    /// The `$defs` entry of the schema `id` of a form body that names no field (the handler
    /// gets the fields as sent, which no type or check reads), recorded for the document when
    /// it says anything of them (`patternProperties`, `additionalProperties`, `required`, ...).
    pub(in crate::codegen::rust) fn raw_form_schema(&self, id: SchemaId) -> Option<String> {
        let space = self.space();
        let s = space.get(space.resolve_alias(id).0);
        let rare = s.rare();
        let constrains = !s.required.is_empty()
            || s.additional_properties.is_some()
            || s.property_names.is_some()
            || !s.all_of.is_empty()
            || !s.any_of.is_empty()
            || !s.one_of.is_empty()
            || rare.min_properties.is_some()
            || rare.max_properties.is_some()
            || !rare.pattern_properties.is_empty();
        (constrains || self.reaches_unchecked(id)).then(|| self.validated_schema(id))
    }

    /// Records schema `id` for the document, validated: its `$defs` entry.
    fn validated_schema(&self, id: SchemaId) -> String {
        self.request_schemas.borrow_mut().push(id);
        self.mark_schema_validated(id);
        definition_name(id)
    }

    /// The keywords the generated types and checks do not express that schema `id` leads to
    /// without going through `skipped` (the fields of a multipart body with files, each checked
    /// on its own), with the schema that says each; in the order met.
    pub(in crate::codegen::rust) fn unchecked_outside(
        &self,
        id: SchemaId,
        skipped: &[SchemaId],
    ) -> Vec<(SchemaId, Vec<&'static str>)> {
        let space = self.space();
        let mut seen = std::collections::HashSet::from([id]);
        let mut queue = vec![id];
        let mut found = Vec::new();
        while let Some(next) = queue.pop() {
            let unchecked = self.unchecked_keywords(next);
            if !unchecked.is_empty() {
                found.push((next, unchecked));
            }
            for child in successors(space, next) {
                if !skipped.contains(&child) && seen.insert(child) {
                    queue.push(child);
                }
            }
        }
        found
    }

    /// Whether the request-body schemas validate schema `id` (so that what the generated checks
    /// leave out of it is still checked).
    pub(super) fn schema_validated(&self, id: SchemaId) -> bool {
        self.schema_validated.borrow().contains(&id)
    }

    /// Marks every schema `id` leads to, itself included, as validated. The set stays closed (a
    /// schema in it has everything it leads to in it), so the walk stops at a schema already
    /// there: each schema is walked once however many bodies reach it (a walk per body was a
    /// third of generating Microsoft Graph, whose thousands of bodies reach the same entities).
    fn mark_schema_validated(&self, id: SchemaId) {
        let space = self.space();
        let mut validated = self.schema_validated.borrow_mut();
        if !validated.insert(id) {
            return;
        }
        let mut queue = vec![id];
        while let Some(next) = queue.pop() {
            for child in successors(space, next) {
                if validated.insert(child) {
                    queue.push(child);
                }
            }
        }
    }

    /// Whether schema `id` leads to a schema with a keyword the generated types and checks do
    /// not express: one backwards pass over every schema, on first use.
    fn reaches_unchecked(&self, id: SchemaId) -> bool {
        let marked = self.reaches_unchecked.get_or_init(|| {
            let space = self.space();
            let id_of = |i: usize| SchemaId(u32::try_from(i).unwrap_or(u32::MAX));
            crate::graph::reaching(
                space.len(),
                |i| successors(space, id_of(i)).map(|s| s.0 as usize).collect(),
                |i| !self.unchecked_keywords(id_of(i)).is_empty(),
            )
        });
        marked.get(id.0 as usize).copied().unwrap_or(false)
    }
}

/// The schemas `id` leads to directly: its children and the target of its alias chain.
fn successors(space: &TypeSpace, id: SchemaId) -> impl Iterator<Item = SchemaId> {
    let (alias, _) = space.resolve_alias(id);
    space.children(id).into_iter().chain([alias])
}

/// The module holding the document of every request-body schema recorded (compact JSON in a
/// raw string); `None` exactly when there is none.
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
    // A `Value` always serializes (its keys are strings).
    let text = document.to_string();
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
