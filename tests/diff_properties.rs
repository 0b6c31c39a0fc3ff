//! Properties of the diff on generated specs: a spec diffed with itself has no change, and
//! diffing any two specs terminates without panicking, whatever their `$ref` cycles, `allOf`,
//! `oneOf` and `anyOf` nesting.

use oaskit::LoadOptions;
use oaskit::load::{Documents, Origin};
use oaskit::model::build_contract;
use oaskit::rules::CheckOptions;
use proptest::prelude::*;
use serde_json::{Value, json};

const COMPONENTS: [&str; 4] = ["A", "B", "C", "D"];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        (
            prop_oneof![
                Just("integer"),
                Just("number"),
                Just("string"),
                Just("boolean")
            ],
            any::<bool>(),
            0u8..4
        )
            .prop_map(|(t, nullable, extra)| {
                let mut s = json!({"type": t});
                if nullable {
                    s["nullable"] = json!(true);
                }
                match (t, extra) {
                    ("string", 1) => s["maxLength"] = json!(10),
                    ("string", 2) => s["enum"] = json!(["x", "y"]),
                    ("string", 3) => s["pattern"] = json!("^a"),
                    ("integer" | "number", 1) => s["minimum"] = json!(0),
                    ("integer", 2) => s["format"] = json!("int32"),
                    _ => {}
                }
                s
            }),
        (0..COMPONENTS.len())
            .prop_map(|i| json!({"$ref": format!("#/components/schemas/{}", COMPONENTS[i])})),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            (
                proptest::collection::vec(inner.clone(), 1..4),
                any::<u8>(),
                any::<bool>()
            )
                .prop_map(|(props, mask, ro)| {
                    let names = ["id", "name", "kind", "next"];
                    let mut properties = serde_json::Map::new();
                    let mut required = Vec::new();
                    for (i, p) in props.into_iter().enumerate() {
                        let mut p = p;
                        if ro && i == 0 && p.is_object() && p.get("$ref").is_none() {
                            p["readOnly"] = json!(true);
                        }
                        properties.insert(names[i].to_string(), p);
                        if mask & (1 << i) != 0 {
                            required.push(names[i]);
                        }
                    }
                    json!({"type": "object", "properties": properties, "required": required})
                }),
            inner
                .clone()
                .prop_map(|items| json!({"type": "array", "items": items})),
            proptest::collection::vec(inner.clone(), 1..3).prop_map(|m| json!({"allOf": m})),
            proptest::collection::vec(inner.clone(), 1..4).prop_map(|m| json!({"oneOf": m})),
            proptest::collection::vec(inner.clone(), 1..3).prop_map(|m| json!({"anyOf": m})),
            inner.prop_map(|v| json!({"type": "object", "additionalProperties": v})),
        ]
    })
}

fn spec() -> impl Strategy<Value = Value> {
    (proptest::collection::vec(schema(), 4), schema(), schema(), any::<bool>()).prop_map(|(components, request, response, extra_op)| {
        let mut schemas = serde_json::Map::new();
        for (name, s) in COMPONENTS.iter().zip(components) {
            schemas.insert((*name).to_string(), s);
        }
        let mut paths = json!({
            "/things/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "put": {
                    "requestBody": {"content": {"application/json": {"schema": request}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}}
                }
            }
        });
        if extra_op {
            paths["/other"] = json!({"get": {"responses": {"204": {"description": "none"}}}});
        }
        json!({
            "openapi": "3.0.3",
            "info": {"title": "generated", "version": "1"},
            "paths": paths,
            "components": {"schemas": schemas}
        })
    })
}

fn contract(v: &Value) -> oaskit::Contract {
    let bytes = serde_json::to_vec(v).expect("serializable");
    let docs = Documents::from_bytes(
        Origin::Path("gen.json".into()),
        bytes,
        &LoadOptions::default(),
    )
    .expect("loads");
    build_contract(docs).expect("builds")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn a_spec_has_no_change_against_itself(a in spec()) {
        let a = contract(&a);
        let changes = oaskit::diff::diff(&a, &a);
        prop_assert!(changes.is_empty(), "{:#?}", changes);
    }

    #[test]
    fn any_two_specs_diff_and_judge(a in spec(), b in spec()) {
        let (a, b) = (contract(&a), contract(&b));
        let changes = oaskit::diff::diff(&a, &b);
        let _ = oaskit::rules::check(&changes, &a, &b, &CheckOptions::default());
        let back = oaskit::diff::diff(&b, &a);
        let _ = oaskit::rules::check(&back, &b, &a, &CheckOptions::default());
    }
}
