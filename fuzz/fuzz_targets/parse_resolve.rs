//! Fuzzes the whole loading path: parse (JSON or YAML), source map, `$ref` resolution, model
//! building and structural validation. Run: `cargo +nightly fuzz run parse_resolve`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oaskit::LoadOptions;
use oaskit::load::{Documents, Origin};
use oaskit::model::build_contract;
use oaskit::validate::{ValidateOptions, validate};

fuzz_target!(|data: &[u8]| {
    let Ok(docs) = Documents::from_bytes(Origin::Path("fuzz.yaml".into()), data, &LoadOptions::default()) else {
        return;
    };
    if let Some(pointer) = docs.root().root.as_object().and_then(|m| m.keys().next()).map(|k| format!("/{k}")) {
        let _ = docs.location(oaskit::load::FileId::ROOT, &pointer);
    }
    if let Ok(contract) = build_contract(docs) {
        for finding in validate(&contract, &ValidateOptions::default()) {
            let _ = finding.fingerprint();
        }
    }
});
