//! Unit tests of the diff's building blocks; whole spec pairs are in `tests/diff_rules.rs`.

// Cloned values read better than `slice::from_ref` in these tables.
#![allow(clippy::cloned_ref_to_slice_refs)]

use indexmap::IndexMap;

use super::operations::compare_security;
use super::*;
use crate::model::SecurityRequirement;
use crate::model::test_contract as contract;

fn requirement(schemes: &[(&str, &[&str])]) -> SecurityRequirement {
    let mut map = IndexMap::new();
    for (scheme, scopes) in schemes {
        map.insert(
            scheme.to_string(),
            scopes.iter().map(|s| s.to_string()).collect(),
        );
    }
    SecurityRequirement { schemes: map }
}

#[test]
fn security_alternatives() {
    let bearer = requirement(&[("bearer", &[])]);
    let key = requirement(&[("key", &[])]);
    let read = requirement(&[("oauth", &["read"])]);
    let read_write = requirement(&[("oauth", &["read", "write"])]);

    // Anonymous access (no requirement) lost.
    let changes = compare_security(&[], &[bearer.clone()]);
    assert!(changes.contains(&SecurityChange::RequirementTightened {
        requirement: "anonymous".into()
    }));
    assert!(changes.contains(&SecurityChange::RequirementAdded {
        requirement: "bearer".into()
    }));

    // An extra alternative loosens; dropping one that still has a fallback is compatible.
    assert_eq!(
        compare_security(&[bearer.clone()], &[bearer.clone(), key.clone()]),
        [SecurityChange::RequirementAdded {
            requirement: "key".into()
        }]
    );
    assert_eq!(
        compare_security(&[bearer.clone(), key.clone()], &[key.clone()]),
        [SecurityChange::RequirementTightened {
            requirement: "bearer".into()
        }]
    );
    assert_eq!(
        compare_security(&[bearer.clone()], &[]),
        [
            SecurityChange::RequirementRemoved {
                requirement: "bearer".into()
            },
            SecurityChange::RequirementAdded {
                requirement: "anonymous".into()
            }
        ]
    );

    // Scopes of the same scheme.
    assert_eq!(
        compare_security(&[read.clone()], &[read_write.clone()]),
        [SecurityChange::ScopeAdded {
            scheme: "oauth".into(),
            scope: "write".into()
        }]
    );
    assert_eq!(
        compare_security(&[read_write], &[read.clone()]),
        [SecurityChange::ScopeRemoved {
            scheme: "oauth".into(),
            scope: "write".into()
        }]
    );
    assert!(compare_security(&[read.clone(), bearer.clone()], &[bearer, read]).is_empty());
}

const PETS: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets/{petId}:
    get:
      parameters: [{name: petId, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        next: {$ref: '#/components/schemas/Node'}
        other: {$ref: '#/components/schemas/Other'}
    Other:
      type: object
      properties:
        back: {$ref: '#/components/schemas/Node'}
"#;

#[test]
fn cycles_terminate_and_report_each_change_once() {
    let base = contract(PETS);
    let revision = contract(
        &PETS
            .replace("id: {type: integer}", "id: {type: string}")
            .replace("{petId}", "{id}")
            .replace("name: petId", "name: id"),
    );
    let changes = diff(&base, &revision);
    let types: Vec<&Change> = changes
        .iter()
        .filter(|c| matches!(c.kind, ChangeKind::Schema(SchemaChange::TypeChanged { .. })))
        .collect();
    assert_eq!(types.len(), 1, "{changes:#?}");
    let Subject::Schema(subject) = &types[0].subject else {
        panic!("a schema change")
    };
    assert_eq!(subject.path.to_string(), "/id");
    assert_eq!(subject.direction, crate::model::Direction::Response);
    assert_eq!(
        types[0].operation.as_ref().map(|o| o.label.as_str()),
        Some("GET /pets/{id}")
    );
    assert!(types[0].base.is_some() && types[0].revision.is_some());
    assert!(changes.iter().any(|c| matches!(&c.kind, ChangeKind::ParameterRenamed { from, to } if from == "petId" && to == "id")));
}

#[test]
fn schema_paths_read_like_json_paths() {
    let path = SchemaPath(vec![
        Step::Property("pets".into()),
        Step::Items,
        Step::OneOf("Cat".into()),
        Step::Property("name".into()),
    ]);
    assert_eq!(path.to_string(), "/pets/[]/oneOf[Cat]/name");
    assert_eq!(path.property(), Some("name"));
    assert_eq!(SchemaPath::default().to_string(), "/");
}

/// Bounds beyond any integer (`exclusiveMinimum: 1e40`) saturate instead of overflowing while an
/// integer format change is judged by the values it lets through.
#[test]
fn huge_integer_bounds_do_not_overflow() {
    let spec = |format: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /n:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: integer, format: {format}, exclusiveMinimum: 1e40, exclusiveMaximum: -1e40}}\n"
        )
    };
    let changes = diff(&contract(&spec("int64")), &contract(&spec("int32")));
    assert!(
        changes
            .iter()
            .all(|c| !matches!(c.kind, ChangeKind::Schema(SchemaChange::TypeChanged { .. }))),
        "no value passes either side: {changes:#?}"
    );
}

/// `D: allOf: [B, {additionalProperties: B}]` with `B: {additionalProperties: D}`: the merged
/// view of `additionalProperties` must not grow at every level (it once did, and the diff ran
/// for minutes on this 20-line spec, found by the diff property test).
#[test]
fn a_conjunction_cycle_through_additional_properties_terminates() {
    const SPEC: &str = r"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/D'}
components:
  schemas:
    B: {type: object, additionalProperties: {$ref: '#/components/schemas/D'}}
    D:
      allOf:
        - {$ref: '#/components/schemas/B'}
        - {type: object, additionalProperties: {$ref: '#/components/schemas/B'}}
";
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let spec = contract(SPEC);
        let _ = done.send(diff(&spec, &spec).is_empty());
    });
    let empty = finished
        .recv_timeout(std::time::Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("the diff of a spec with itself did not end within 20 s"));
    assert!(empty);
}

#[test]
fn the_path_of_a_server_url_is_what_prefixes_every_operation() {
    use super::operations::url_path;
    assert_eq!(url_path("https://api.example.com/v1/"), "/v1");
    assert_eq!(url_path("https://api.example.com/v1?x=1"), "/v1");
    assert_eq!(url_path("https://api.example.com"), "");
    assert_eq!(url_path("https://api.example.com/"), "");
    assert_eq!(url_path("/v1"), "/v1");
    assert_eq!(url_path("//cdn.example.com/v2"), "/v2");
}

/// A pair of JSON specs whose shared `Pet` changes a property type and gains a keyword, with
/// parameters declared at the path and at the operation (`declared_by_operation` reads them).
fn pet_pair() -> (String, String) {
    let spec = |price: &str, extra: &str| {
        format!(
            r##"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}},
  "paths": {{
    "/pets": {{
      "parameters": [{{"name": "trace", "in": "header", "schema": {{"type": "string"}}}}],
      "get": {{"parameters": [{{"$ref": "#/components/parameters/limit"}}{extra}],
        "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{
          "schema": {{"type": "array", "items": {{"$ref": "#/components/schemas/Pet"}}}}}}}}}}}}}},
      "post": {{"requestBody": {{"content": {{"application/json": {{
          "schema": {{"$ref": "#/components/schemas/Pet"}}}}}}}},
        "responses": {{"201": {{"description": "ok"}}}}}}}},
    "/pets/{{id}}": {{"get": {{"parameters": [{{"name": "id", "in": "path", "required": true,
        "schema": {{"type": "string"}}}}],
      "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{
        "schema": {{"$ref": "#/components/schemas/Pet"}}}}}}}}}}}}}}}},
  "components": {{
    "parameters": {{"limit": {{"name": "limit", "in": "query", "schema": {{"type": "integer"}}}}}},
    "schemas": {{"Pet": {{"type": "object", "required": ["name"], "properties": {{
      "name": {{"type": "string"}}, "price": {price}}}}}}}}}}}"##
        )
    };
    (
        spec(r#"{"type": "integer", "minimum": 0}"#, ""),
        spec(
            r#"{"type": "string", "maxLength": 9}"#,
            r#", {"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}"#,
        ),
    )
}

/// `oaskit diff` drops the value trees once the models are built: the diff then reads the
/// text (whether a keyword is written, an operation's own parameters, line and column) and
/// must find the same changes at the same places.
#[test]
fn released_trees_give_the_same_changes_and_places() {
    let (base_text, revision_text) = pet_pair();
    let (base, revision) = (contract(&base_text), contract(&revision_text));
    let expected = diff(&base, &revision);
    assert!(expected.len() >= 4, "{expected:#?}");
    let place = |c: &Contract, loc: &Option<crate::model::Loc>| {
        loc.as_ref().map(|l| {
            let at = c.location(l);
            (at.pointer, at.line, at.column)
        })
    };
    let places = |b: &Contract, r: &Contract, changes: &[Change]| {
        changes
            .iter()
            .map(|ch| (place(b, &ch.base), place(r, &ch.revision)))
            .collect::<Vec<_>>()
    };
    let expected_places = places(&base, &revision, &expected);
    assert!(expected_places.iter().all(|(b, r)| {
        b.as_ref().is_none_or(|p| p.1.is_some()) && r.as_ref().is_none_or(|p| p.1.is_some())
    }));
    let (mut base, mut revision) = (base, revision);
    base.documents.release_json_trees();
    revision.documents.release_json_trees();
    assert!(base.documents.root().tree_released() && base.documents.root().root.is_null());
    assert!(revision.documents.root().root.is_null());
    let released = diff(&base, &revision);
    assert_eq!(released, expected);
    assert_eq!(places(&base, &revision, &released), expected_places);
}

/// A YAML document keeps its tree: its positions are not read from its text.
#[test]
fn a_yaml_document_keeps_its_tree() {
    let mut yaml = contract("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n");
    yaml.documents.release_json_trees();
    assert!(!yaml.documents.root().tree_released());
    assert!(yaml.documents.root().root.is_object());
}

/// The diff hands each operation's changes over as it goes (the pipeline judges and drops
/// them batch by batch), in the order `diff` returns them.
#[test]
fn changes_are_handed_over_one_operation_at_a_time() {
    let (base_text, revision_text) = pet_pair();
    let (base, revision) = (contract(&base_text), contract(&revision_text));
    let mut batches: Vec<Vec<Change>> = Vec::new();
    diff_each(&base, &revision, &mut |changes| {
        batches.push(changes.to_vec())
    });
    assert_eq!(batches.len(), 3, "one batch per operation that changed");
    for batch in &batches {
        let label = batch[0].operation.as_ref().map(|o| o.label.clone());
        assert!(
            batch
                .iter()
                .all(|c| c.operation.as_ref().map(|o| o.label.clone()) == label)
        );
    }
    assert_eq!(batches.concat(), diff(&base, &revision));
}
