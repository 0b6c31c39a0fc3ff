//! Unit tests of the view model on small specs: names, views, unions, findings.

use super::*;
use crate::load::{Documents, LoadOptions, Origin};

fn generate_from(yaml: &str) -> Generated {
    let docs = Documents::from_bytes(
        Origin::Path("spec.yaml".into()),
        yaml.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let contract = crate::model::build_contract(docs).unwrap_or_else(|e| panic!("{e}"));
    let options = GenerateOptions {
        templates_dir: None,
        spec_name: "spec.yaml".to_string(),
    };
    generate(&contract, &options).unwrap_or_else(|e| panic!("{e}"))
}

fn file<'a>(g: &'a Generated, path: &str) -> &'a str {
    g.files
        .get(path)
        .unwrap_or_else(|| panic!("{path} is generated"))
}
