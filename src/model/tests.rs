//! The model's promises: spellings normalized, references shared, cycles ordinary.

use super::*;
use crate::model::test_contract as contract;

fn named<'a>(c: &'a Contract, name: &str) -> &'a Schema {
    let id = c
        .types
        .named()
        .get(name)
        .copied()
        .unwrap_or_else(|| panic!("no schema {name}"));
    c.types.get(id)
}

/// A schema with its location and annotations blanked, for comparing meaning.
fn meaning(s: &Schema) -> Schema {
    Schema {
        loc: Loc::default(),
        name: None,
        description: None,
        ..s.clone()
    }
}

#[test]
fn three_spellings_of_nullable_are_one() {
    let v30 = contract(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string, nullable: true, maxLength: 3}\n",
    );
    let v31 = contract(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A: {type: [string, 'null'], maxLength: 3}\n    B:\n      anyOf:\n        - {type: string, maxLength: 3}\n        - {type: 'null'}\n    C:\n      oneOf:\n        - {type: 'null'}\n        - {type: string, maxLength: 3}\n",
    );
    let a30 = meaning(named(&v30, "A"));
    assert!(a30.nullable);
    assert_eq!(a30.types, Some(vec![InstanceType::String]));
    assert_eq!(a30, meaning(named(&v31, "A")));
    assert_eq!(a30, meaning(named(&v31, "B")));
    assert_eq!(a30, meaning(named(&v31, "C")));
}

#[test]
fn nullable_references_are_aliases_in_both_versions() {
    let v30 = contract(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    T: {type: integer}\n    A: {nullable: true, allOf: [{$ref: '#/components/schemas/T'}]}\n",
    );
    let v31 = contract(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    T: {type: integer}\n    A: {anyOf: [{$ref: '#/components/schemas/T'}, {type: 'null'}]}\n",
    );
    for c in [&v30, &v31] {
        let a = named(c, "A");
        let t = c.types.named()["T"];
        assert_eq!(a.alias_of(), Some(t));
        assert_eq!(c.types.resolve_alias(c.types.named()["A"]), (t, true));
    }
}

#[test]
fn exclusive_bounds_normalize() {
    let v30 = contract(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 9}\n",
    );
    let v31 = contract(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A: {type: number, exclusiveMinimum: 0, maximum: 9}\n",
    );
    assert_eq!(meaning(named(&v30, "A")), meaning(named(&v31, "A")));
    assert_eq!(named(&v30, "A").minimum, None);
}

#[test]
fn references_share_ids_and_cycles_close() {
    let c = contract(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        next: {$ref: '#/components/schemas/Node'}\n        kids: {type: array, items: {$ref: '#/components/schemas/Node'}}\n",
    );
    let node = c.types.named()["Node"];
    let s = c.types.get(node);
    assert_eq!(s.properties["next"], node);
    assert_eq!(c.types.get(s.properties["kids"]).items, Some(node));
    assert!(c.findings.is_empty(), "{:?}", c.findings);
}

#[test]
fn operations_merge_path_parameters_and_derive_names() {
    let c = contract(
        r#"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
      - {name: verbose, in: query, schema: {type: boolean}}
    get:
      parameters:
        - {name: verbose, in: query, required: true, schema: {type: boolean}}
      responses:
        '200': {description: ok}
        4XX: {description: client error}
        default: {description: other}
"#,
    );
    let op = &c.operations[0];
    assert_eq!(op.name, "get_pets_pet_id");
    assert_eq!(op.label(), "GET /pets/{petId}");
    assert_eq!(op.parameters.len(), 2);
    let verbose = op
        .parameters
        .iter()
        .find(|p| p.name == "verbose")
        .map(|p| p.required);
    assert_eq!(verbose, Some(true), "the operation's parameter wins");
    let statuses: Vec<String> = op.responses.iter().map(|r| r.status.to_string()).collect();
    assert_eq!(statuses, ["200", "4XX", "default"]);
    assert_eq!(op.parameters[1].style, ParameterStyle::Form);
    assert!(op.parameters[1].explode);
}

#[test]
fn request_and_response_views() {
    let c = contract(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      required: [id, name, secret]\n      properties:\n        id: {type: integer, readOnly: true}\n        name: {type: string}\n        secret: {type: string, writeOnly: true}\n",
    );
    let pet = c.types.named()["Pet"];
    let request: Vec<&String> = c
        .types
        .properties_in(pet, Direction::Request)
        .map(|(n, _)| n)
        .collect();
    let response: Vec<&String> = c
        .types
        .properties_in(pet, Direction::Response)
        .map(|(n, _)| n)
        .collect();
    assert_eq!(request, ["name", "secret"]);
    assert_eq!(response, ["id", "name"]);
    assert!(!c.types.required_in(pet, "id", Direction::Request));
    assert!(c.types.required_in(pet, "id", Direction::Response));
    assert!(!c.types.required_in(pet, "secret", Direction::Response));
    assert!(c.types.directional_schemas()[pet.0 as usize]);
}

#[test]
fn query_method_only_in_3_2() {
    let spec = |v: &str| {
        format!(
            "openapi: {v}\ninfo: {{title: t, version: '1'}}\npaths:\n  /search:\n    query:\n      responses: {{'200': {{description: ok}}}}\n"
        )
    };
    assert_eq!(contract(&spec("3.2.0")).operations.len(), 1);
    assert_eq!(contract(&spec("3.1.0")).operations.len(), 0);
}

/// A contract holds one `Schema` per schema it declares (N = 16,000 of bench/diff-scale.sh:
/// 160,000 a side): the maps most schemas leave empty and the rare `default` are out of line.
#[test]
fn a_schema_keeps_its_rarely_filled_maps_out_of_line() {
    assert!(
        std::mem::size_of::<Schema>() <= 560,
        "Schema is {} bytes",
        std::mem::size_of::<Schema>()
    );
    let c = contract(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      x-tag: 1\n      properties:\n        b: {type: string, default: x}\n",
    );
    let a = named(&c, "A");
    assert_eq!(a.properties.keys().collect::<Vec<_>>(), ["b"]);
    assert_eq!(a.extensions.get("x-tag"), Some(&serde_json::json!(1)));
    let b = c.types.get(a.properties["b"]);
    assert!(b.properties.is_empty() && b.extensions.is_empty());
    assert_eq!(b.default.as_deref(), Some(&serde_json::json!("x")));
}

/// Schemas live in fixed chunks: allocating more never moves the ones built (one vector
/// doubled at 131,072 schemas, holding its old and new buffer while the spec's tree was still
/// loaded: bench/diff-scale.sh N = 16,000).
#[test]
fn allocating_schemas_never_moves_the_ones_built() {
    let mut space = TypeSpace::default();
    let first = space.allocate(Loc::new(crate::load::FileId::ROOT, "/a"));
    let at = std::ptr::from_ref(space.get(first));
    for _ in 0..20_000 {
        space.allocate(Loc::default());
    }
    assert_eq!(std::ptr::from_ref(space.get(first)), at);
    assert_eq!(space.len(), 20_001);
    assert_eq!(space.iter().count(), 20_001);
    assert_eq!(
        space.iter().nth(4096).map(|(id, _)| id),
        Some(SchemaId(4096))
    );
    assert_eq!(space.get(first).loc.pointer, "/a");
}

/// Every operation keeps its parameters and responses: no room to grow is left in them (a
/// single response held four slots).
#[test]
fn operations_hold_no_spare_room() {
    let c = contract(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: q, in: query, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n",
    );
    let op = &c.operations[0];
    assert_eq!(op.parameters.len(), 2);
    assert_eq!(op.parameters.capacity(), 2);
    assert_eq!(op.responses.capacity(), 1);
}
