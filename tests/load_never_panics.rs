//! Property: loading and building a contract never panics, whatever the bytes. Inputs are
//! arbitrary bytes, YAML-ish text, and mutations of a real spec.

use oaskit::LoadOptions;
use oaskit::load::{Documents, Origin};
use oaskit::model::build_contract;
use oaskit::validate::{ValidateOptions, validate};
use proptest::prelude::*;

fn load_and_validate(bytes: &[u8]) {
    let options = LoadOptions::default();
    if let Ok(docs) = Documents::from_bytes(Origin::Path("fuzz.yaml".into()), bytes, &options)
        && let Ok(contract) = build_contract(docs)
    {
        let _ = validate(&contract, &ValidateOptions::default());
    }
}

const SEED: &str = r##"openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {$ref: '#/components/schemas/Id'}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {anyOf: [{$ref: '#/components/schemas/Node'}, {type: 'null'}]}
              example: {id: 1, next: {id: 2}}
components:
  schemas:
    Id: {type: integer, format: int64, exclusiveMinimum: 0}
    Node:
      type: object
      required: [id]
      properties:
        id: {$ref: '#/components/schemas/Id'}
        next: {$ref: '#/components/schemas/Node'}
      discriminator: {propertyName: id, mapping: {a: Node}}
"##;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        load_and_validate(&bytes);
    }

    #[test]
    fn yaml_like_text(text in "[a-z0-9:{}\\[\\],\\-\n &*!|>'\"#$/.~ ]{0,400}") {
        let mut doc = String::from("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n");
        doc.push_str(&text);
        load_and_validate(doc.as_bytes());
        load_and_validate(text.as_bytes());
    }

    #[test]
    fn mutated_spec(edits in proptest::collection::vec((0usize..SEED.len(), any::<u8>()), 1..8)) {
        let mut bytes = SEED.as_bytes().to_vec();
        for (at, byte) in edits {
            bytes[at] = byte;
        }
        load_and_validate(&bytes);
    }

    #[test]
    fn spliced_spec(cut in 0usize..SEED.len(), dup in 0usize..SEED.len()) {
        // Truncation and duplicated fragments: unbalanced flow collections, repeated keys.
        let mut bytes = SEED.as_bytes()[..cut].to_vec();
        bytes.extend_from_slice(&SEED.as_bytes()[dup..]);
        load_and_validate(&bytes);
    }
}

#[test]
fn the_seed_itself_is_clean() {
    let docs = Documents::from_bytes(
        Origin::Path("seed.yaml".into()),
        SEED.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let contract = build_contract(docs).unwrap_or_else(|e| panic!("{e}"));
    let findings = validate(&contract, &ValidateOptions::default());
    assert!(findings.is_empty(), "{findings:?}");
}
