//! The JSON Schema of oaskit.toml says what the config parser accepts: the committed
//! `oaskit.schema.json` is what `oaskit config-schema` prints, and on a table of configs (every
//! key, every kind of mistake) the schema and `CheckConfig::parse` give the same verdict.

use std::path::Path;

use oaskit::check::CheckConfig;
use oaskit::check::config_schema::{SCHEMA_FILE, config_schema, config_schema_text};
use serde_json::Value;

/// TOML as an editor's schema validator sees it: dates and times are strings.
fn to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn schema_accepts(validator: &jsonschema::Validator, text: &str) -> Result<(), String> {
    let value: toml::Value = toml::from_str(text).map_err(|e| e.to_string())?;
    let errors: Vec<String> = validator
        .iter_errors(&to_json(&value))
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

const SPEC: &str = "[[specs]]\npath = \"api.yaml\"\n";

/// Configs the parser accepts.
const VALID: &[&str] = &[
    SPEC,
    "fail-on = \"warning\"\n[[specs]]\npath = \"a.yaml\"\n",
    "fail-on = \"never\"\n[validate]\nformat-assertions = false\n[[specs]]\npath = \"a.yaml\"\nbase = \"origin/main\"\n",
    "[validate]\n[[specs]]\npath = \"a.yaml\"\ngenerate = []\n",
    "[[specs]]\npath = \"a.yaml\"\ngenerate = [{ target = \"ts-client\", output = \"web\" }, { target = \"rust-server\", output = \"srv\", templates = \"tpl\" }]\n[[specs]]\npath = \"b.yaml\"\nbase = \"v1:b.yaml\"\n",
    "[[specs]]\npath = \"a.yaml\"\n[diff]\n",
    "[[specs]]\npath = \"a.yaml\"\n[diff.rules]\napi-tag-removed = \"off\"\nresponse-property-type-changed = \"Warning\"\napi-removed-without-deprecation = \"IGNORE\"\n",
    "[[specs]]\npath = \"a.yaml\"\n[diff.rules]\napi-tag-removed = \"warn\"\n[diff]\ndeprecation-days = { stable = 180, beta = 0 }\n",
    "[[specs]]\npath = \"a.yaml\"\n[diff]\ndeprecation-days = {}\n",
    "[[specs]]\npath = \"a.yaml\"\n[[diff.ignore]]\nrule = \"response-property-type-changed\"\noperation = \"GET /pets/{petId}\"\ncontains = \"/price\"\nreason = \"accepted (PROJ-1)\"\nexpires = \"2027-03-31\"\n",
    "[[specs]]\npath = \"a.yaml\"\n[[diff.ignore]]\nfingerprint = \"5e1f0c8a9b2d7e34\"\nreason = \"x\"\nexpires = 2027-03-31\n",
    "[[specs]]\npath = \"a.yaml\"\n[[diff.ignore]]\nrule = \"api-tag-removed\"\nreason = \"x\"\nexpires = \"2027-03-31T10:00:00Z\"\n",
];

/// Configs the parser refuses, each for another reason.
const INVALID: &[&str] = &[
    "",
    "fail-on = \"warning\"\n",
    "specs = []\n",
    "fail-on = \"sometimes\"\n[[specs]]\npath = \"a\"\n",
    "fail-on = 1\n[[specs]]\npath = \"a\"\n",
    "colour = 1\n[[specs]]\npath = \"a\"\n",
    "[validate]\nformat-assertions = \"yes\"\n[[specs]]\npath = \"a\"\n",
    "[validate]\nstrict = true\n[[specs]]\npath = \"a\"\n",
    "validate = 1\n[[specs]]\npath = \"a\"\n",
    "[[specs]]\nbase = \"origin/main\"\n",
    "[[specs]]\npath = 1\n",
    "[[specs]]\npath = \"a\"\nbase = 2\n",
    "[[specs]]\npath = \"a\"\ncolour = 1\n",
    "specs = \"a.yaml\"\n",
    "[[specs]]\npath = \"a\"\ngenerate = [{ target = \"go\", output = \"x\" }]\n",
    "[[specs]]\npath = \"a\"\ngenerate = [{ target = \"ts-client\" }]\n",
    "[[specs]]\npath = \"a\"\ngenerate = [{ output = \"x\" }]\n",
    "[[specs]]\npath = \"a\"\ngenerate = [{ target = \"ts-client\", output = \"x\", template = \"t\" }]\n",
    "[[specs]]\npath = \"a\"\ngenerate = { target = \"ts-client\", output = \"x\" }\n",
    "[[specs]]\npath = \"a\"\ndiff = 1\n",
    "diff = 1\n[[specs]]\npath = \"a\"\n",
    "[[specs]]\npath = \"a\"\n[diff]\ncolour = 1\n",
    "[[specs]]\npath = \"a\"\n[diff.rules]\nno-such-rule = \"off\"\n",
    "[[specs]]\npath = \"a\"\n[diff.rules]\napi-tag-removed = \"loud\"\n",
    "[[specs]]\npath = \"a\"\n[diff.rules]\napi-tag-removed = 1\n",
    "[[specs]]\npath = \"a\"\n[diff]\ndeprecation-days = { stable = -1 }\n",
    "[[specs]]\npath = \"a\"\n[diff]\ndeprecation-days = { stable = 5000000000 }\n",
    "[[specs]]\npath = \"a\"\n[diff]\ndeprecation-days = { alpha = 3 }\n",
    "[[specs]]\npath = \"a\"\n[diff]\ndeprecation-days = 30\n",
    "[[specs]]\npath = \"a\"\n[[diff.ignore]]\nrule = \"api-tag-removed\"\n",
    "[[specs]]\npath = \"a\"\n[[diff.ignore]]\nrule = \"api-tag-removed\"\nreason = \"  \"\n",
    "[[specs]]\npath = \"a\"\n[[diff.ignore]]\noperation = \"GET /a\"\nreason = \"x\"\n",
    "[[specs]]\npath = \"a\"\n[[diff.ignore]]\nrule = \"no-such-rule\"\nreason = \"x\"\n",
    "[[specs]]\npath = \"a\"\n[[diff.ignore]]\nrule = \"api-tag-removed\"\nreason = \"x\"\nexpires = \"soon\"\n",
    "[[specs]]\npath = \"a\"\n[[diff.ignore]]\nrule = \"api-tag-removed\"\nreason = \"x\"\nexpires = \"2027-13-01\"\n",
    "[[specs]]\npath = \"a\"\n[[diff.ignore]]\nrule = \"api-tag-removed\"\nreason = \"x\"\nexpires = 2027\n",
    "[[specs]]\npath = \"a\"\n[[diff.ignore]]\nrule = \"api-tag-removed\"\nreason = \"x\"\nwhy = \"y\"\n",
    "[[specs]]\npath = \"a\"\n[diff]\nignore = { rule = \"api-tag-removed\", reason = \"x\" }\n",
];

#[test]
fn the_schema_and_the_parser_agree() {
    let validator = jsonschema::validator_for(&config_schema())
        .unwrap_or_else(|e| panic!("the schema is a valid JSON Schema: {e}"));
    let parse = |text: &str| CheckConfig::parse(text, Path::new("oaskit.toml"));
    let mut disagreements = Vec::new();
    for text in VALID {
        let parsed = parse(text).err();
        let schema = schema_accepts(&validator, text).err();
        if parsed.is_some() || schema.is_some() {
            disagreements.push(format!(
                "meant valid:\n{text}parser: {parsed:?}\nschema: {schema:?}\n"
            ));
        }
    }
    for text in INVALID {
        let parsed = parse(text).err();
        let schema = schema_accepts(&validator, text).err();
        if parsed.is_none() || schema.is_none() {
            disagreements.push(format!(
                "meant invalid:\n{text}parser: {parsed:?}\nschema: {schema:?}\n"
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn every_rule_id_is_completed() {
    let schema = config_schema();
    let ids = &schema["$defs"]["rule-id"]["enum"];
    let ids = ids.as_array().map(Vec::len).unwrap_or_default();
    assert_eq!(ids, oaskit::catalogue::all().len());
    assert!(ids > 100, "{ids}");
}

#[test]
fn the_repositorys_own_config_is_valid() {
    let validator = jsonschema::validator_for(&config_schema())
        .unwrap_or_else(|e| panic!("the schema is a valid JSON Schema: {e}"));
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("oaskit.toml"))
        .unwrap_or_else(|e| panic!("oaskit.toml: {e}"));
    schema_accepts(&validator, &text).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_committed_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_FILE);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == config_schema_text(),
        "{SCHEMA_FILE} is not what `oaskit config-schema` prints (a rule or a config key was \
         added?): run `cargo run -- config-schema > {SCHEMA_FILE}` and commit it"
    );
}
