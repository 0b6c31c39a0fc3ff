//! Example validation: one golden file per fixture under tests/fixtures/examples/ (every
//! location and rule, each bad example with a valid twin that must produce no finding), plus
//! targeted assertions on the rulings. `OASKIT_BLESS=1 cargo test --test examples` rewrites the
//! golden files (tests/common/golden.rs); review the diff before committing it.

mod common;

use std::path::Path;

use oaskit::validate::examples::{ExampleOptions, ExampleStats, check};
use oaskit::validate::{ValidateOptions, validate};
use oaskit::{Contract, Finding, LoadOptions};

fn load(name: &str) -> Contract {
    // Relative to the crate root (the tests' working directory), so golden files are portable.
    let path = format!("tests/fixtures/examples/{name}");
    Contract::load(&path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn run(name: &str, options: &ExampleOptions) -> (Vec<Finding>, ExampleStats) {
    let contract = load(name);
    let (mut findings, stats) = check(&contract, options);
    findings.sort_by_key(render);
    (findings, stats)
}

fn render(f: &Finding) -> String {
    let location = f.location.as_ref().map_or_else(String::new, |l| {
        format!(
            "{}:{}:{} {}",
            l.file,
            l.line.unwrap_or(0),
            l.column.unwrap_or(0),
            l.pointer
        )
    });
    let operation = f
        .operation
        .as_deref()
        .map_or_else(String::new, |o| format!(" [{o}]"));
    format!(
        "{} {} {location}{operation}\n    {}",
        f.level, f.rule, f.message
    )
}

/// Compares the findings of a fixture with its golden file `<name>.golden`.
fn golden(name: &str, options: &ExampleOptions) -> (Vec<Finding>, ExampleStats) {
    let (findings, stats) = run(name, options);
    let mut text: String = findings.iter().map(|f| render(f) + "\n").collect();
    text.push_str(&format!(
        "-- {} examples ({} invalid), {} defaults ({} invalid), {} unchecked\n",
        stats.examples,
        stats.invalid_examples,
        stats.defaults,
        stats.invalid_defaults,
        stats.unchecked
    ));
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let golden_path = common::repo_path(&format!("tests/fixtures/examples/{stem}.golden"));
    common::golden::check(&golden_path, &text);
    (findings, stats)
}

/// No finding may point into the named examples (the valid twins).
fn assert_clean(findings: &[Finding], pointers: &[&str]) {
    for f in findings {
        let at = f.location.as_ref().map_or("", |l| l.pointer.as_str());
        for p in pointers {
            assert!(
                !(at == *p || at.starts_with(&format!("{p}/"))),
                "a valid example has a finding: {}",
                render(f)
            );
        }
    }
}

fn defaults() -> ExampleOptions {
    ExampleOptions::default()
}

#[test]
fn media_type_examples() {
    let (findings, stats) = golden("media-types.yaml", &defaults());
    let body = "/paths/~1toys/post/requestBody/content/application~1json/examples";
    let ok = "/paths/~1toys/post/responses";
    assert_clean(
        &findings,
        &[
            &format!("{body}/good"),
            "/components/examples/GoodBox",
            &format!("{ok}/201/content/application~1vnd.api+json"),
            &format!("{ok}/202/content/text~1plain/examples/fine"),
            &format!("{ok}/202/content/text~1plain/examples/number"),
            &format!("{ok}/202/content/text~1csv"),
            &format!("{ok}/202/content/application~1octet-stream"),
            &format!("{ok}/202/content/application~1xml"),
            "/paths/~1calls/post/requestBody/content/application~1x-www-form-urlencoded/examples/asText",
            "/paths/~1calls/post/requestBody/content/multipart~1form-data",
        ],
    );
    // A form example is checked as the data its text stands for: one finding per wrong field.
    let wrong = "/paths/~1calls/post/requestBody/content/application~1x-www-form-urlencoded/examples/wrong/value";
    let mut in_form: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.location.as_ref())
        .filter_map(|l| l.pointer.strip_prefix(wrong))
        .collect();
    in_form.sort();
    assert_eq!(
        in_form,
        ["/Events/1", "/Method", "/Muted", "/Port", "/Url"],
        "{findings:#?}"
    );
    // The canonical message: property path, value, type, schema location.
    assert!(
        findings.iter().any(|f| f.message
            == "/toys/1/size: \"big\" is not of type integer (schema: #/components/schemas/Toy/properties/size)"),
        "{findings:#?}"
    );
    // A $ref'd example is reported where its value lives, naming the operation.
    let by_ref = findings
        .iter()
        .find(|f| {
            f.location
                .as_ref()
                .is_some_and(|l| l.pointer.starts_with("/components/examples/BadBox"))
        })
        .expect("the $ref'd bad example is reported");
    assert_eq!(by_ref.operation.as_deref(), Some("POST /toys"));
    assert_eq!(
        stats.examples, 15,
        "text/csv (object schema), binary and XML are skipped: {stats:?}"
    );
}

#[test]
fn parameter_and_header_examples() {
    let (findings, _) = golden("parameters-headers.yaml", &defaults());
    assert_clean(
        &findings,
        &[
            "/paths/~1pets~1{id}/get/parameters/0/examples/good",
            "/paths/~1pets~1{id}/get/parameters/3",
            "/paths/~1pets~1{id}/get/responses/200/headers/X-Fine",
        ],
    );
    for needle in [
        "/parameters/0/example",
        "/parameters/0/examples/bad",
        "toolong",
        "cow",
        "lots",
        "not-a-uuid",
    ] {
        assert!(
            findings.iter().any(|f| render(f).contains(needle)),
            "nothing about {needle}: {findings:#?}"
        );
    }
}

#[test]
fn schema_level_examples_and_defaults() {
    let (findings, stats) = golden("schemas.yaml", &defaults());
    assert_clean(
        &findings,
        &[
            "/components/schemas/Thing/properties/label/examples/0",
            "/components/schemas/Thing/properties/label/default",
            "/components/schemas/Thing/properties/ratio",
            "/components/schemas/Thing/example",
            "/components/schemas/Thing/examples/0",
            "/components/schemas/Unused/default",
        ],
    );
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "default-invalid" && f.level == oaskit::Level::Warning)
    );
    assert_eq!(stats.invalid_defaults, 1, "{stats:?}");
}

#[test]
fn read_only_and_write_only_follow_the_direction() {
    let (findings, _) = golden("direction.yaml", &defaults());
    assert_clean(
        &findings,
        &[
            "/paths/~1users/post/requestBody/content/application~1json/examples/withoutId",
            "/paths/~1users/post/responses/201/content/application~1json/examples/withoutPassword",
            // Used in both directions: neither readOnly nor writeOnly is required.
            "/components/schemas/User/example",
            // allOf: [Base, {required: [number]}] with a readOnly `number` in Base.
            "/paths/~1accounts/post/requestBody",
            "/paths/~1accounts/post/responses",
        ],
    );
    let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(rules.contains(&"example-read-only-in-request"), "{rules:?}");
    assert!(
        rules.contains(&"example-write-only-in-response"),
        "{rules:?}"
    );
    // Through two levels of $ref (example and schema), still a request.
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "example-read-only-in-request"
                && f.location.as_ref().is_some_and(
                    |l| l.pointer == "/components/examples/UserInRequestValue/value/id"
                )),
        "{findings:#?}"
    );
}

#[test]
fn nullable_in_3_0_and_3_1() {
    for name in ["nullable-30.yaml", "nullable-31.yaml"] {
        let (findings, _) = golden(name, &defaults());
        let examples = "/paths/~1pets/get/responses/200/content/application~1json/examples";
        assert_clean(
            &findings,
            &[
                &format!("{examples}/nulls"),
                &format!("{examples}/insideBound"),
            ],
        );
        // Ruling 3: null where the schema does not admit it is invalid.
        assert!(
            findings
                .iter()
                .any(|f| f.message.starts_with("/nick: null is not of type string")),
            "{findings:#?}"
        );
    }
    // 3.1 is JSON Schema: an enum beside `type: [string, "null"]` that lacks null rejects null
    // (3.0's `nullable: true` beside such an enum accepts it: ruling 1, `kind` above).
    let (findings, _) = run("nullable-31.yaml", &defaults());
    assert!(
        findings
            .iter()
            .any(|f| f.message.starts_with("/stage: null is not one of")),
        "{findings:#?}"
    );
}

#[test]
fn discriminator_selects_the_branch() {
    let (findings, _) = golden("discriminator.yaml", &defaults());
    let body = "/paths/~1pets/post/requestBody/content/application~1json/examples";
    let response = "/paths/~1pets/post/responses/200/content/application~1json/examples";
    assert_clean(
        &findings,
        &[
            &format!("{body}/goodCat"),
            &format!("{body}/goodDog"),
            &format!("{response}/goodBird"),
            &format!("{response}/plain"),
        ],
    );
    // Errors are about the selected branch, not "matches none of the oneOf alternatives".
    assert!(
        findings.iter().all(|f| !f.message.contains("alternatives")),
        "{findings:#?}"
    );
    assert!(findings.iter().any(|f| {
        f.message
            .contains("#/components/schemas/Cat/properties/meows")
    }));
    assert!(findings.iter().any(|f| {
        f.message
            .contains("#/components/schemas/Dog/properties/barks")
    }));
    assert!(
        findings
            .iter()
            .any(|f| f.message.contains("/properties/wings"))
    );
}

#[test]
fn formats_are_asserted_unless_turned_off() {
    let (findings, _) = golden("formats.yaml", &defaults());
    assert_clean(
        &findings,
        &["/paths/~1events/get/responses/200/content/application~1json/examples/good"],
    );
    assert_eq!(
        findings.len(),
        10,
        "one finding per bad value: {findings:#?}"
    );
    let off = ExampleOptions {
        format_assertions: false,
        ..defaults()
    };
    let (findings, _) = run("formats.yaml", &off);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn callbacks_and_webhooks() {
    let (findings, _) = golden("callbacks-webhooks.yaml", &defaults());
    assert_clean(
        &findings,
        &[
            "/paths/~1subscribe/post/callbacks/onEvent/{$request.body#~1url}/post/requestBody/content/application~1json/examples/good",
            "/webhooks/newEvent/post/requestBody/content/application~1json/examples/good",
        ],
    );
    let operations: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.operation.as_deref())
        .collect();
    assert!(
        operations.iter().any(|o| o.starts_with("webhook newEvent")),
        "{operations:?}"
    );
    assert!(
        operations.iter().any(|o| o.starts_with("callback onEvent")),
        "{operations:?}"
    );
}

#[test]
fn external_values_are_loaded_relative_to_the_document() {
    let (findings, stats) = golden("external.yaml", &defaults());
    let examples = "/paths/~1toys/get/responses/200/content/application~1json/examples";
    assert_clean(
        &findings,
        &[
            &format!("{examples}/good"),
            "/paths/~1toys/get/responses/200/content/image~1png",
        ],
    );
    let unreadable: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == "example-external-unreadable")
        .collect();
    assert_eq!(
        unreadable.len(),
        2,
        "the missing file and the URL: {unreadable:#?}"
    );
    assert_eq!(stats.unchecked, 2);
}

#[test]
fn undeclared_properties_literal_refs_and_bad_patterns() {
    let (findings, _) = golden("additional.yaml", &defaults());
    assert_clean(
        &findings,
        &[
            "/paths/~1open",
            "/paths/~1closed/get/responses/200/content/application~1json/examples/fine",
            "/paths/~1unevaluated/get/responses/200/content/application~1json/examples/fine",
            "/paths/~1pattern",
            "/paths/~1pcre-anchors",
        ],
    );
    // A pattern that is not (or not meant as) ECMA-262 is one structural finding, not one per
    // example.
    let contract = load("additional.yaml");
    let patterns: Vec<String> = validate(&contract, &ValidateOptions::default())
        .into_iter()
        .filter(|f| f.rule == "invalid-pattern")
        .map(|f| {
            format!(
                "{} {}",
                f.level,
                f.location.map(|l| l.pointer).unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        patterns,
        [
            "error /paths/~1pattern/get/responses/200/content/application~1json/schema/pattern",
            "warning /paths/~1pcre-anchors/get/responses/200/content/application~1json/schema/pattern"
        ]
    );
    // One finding per unexpected property.
    let closed = findings
        .iter()
        .filter(|f| f.message.contains("additionalProperties: false"))
        .count();
    assert_eq!(closed, 2, "{findings:#?}");
    assert!(findings.iter().any(|f| {
        f.message
            .contains("`$ref` inside an example value is literal data")
    }));
}

#[test]
fn shipped_specs_have_no_example_findings() {
    for spec in [
        "specs/petstore.yaml",
        "specs/petstore-v2-compatible.yaml",
        "specs/petstore-v2-breaking.yaml",
    ] {
        let contract =
            Contract::load(spec, &LoadOptions::default()).expect("the shipped spec loads");
        let (findings, stats) = check(&contract, &defaults());
        assert!(findings.is_empty(), "{spec}: {findings:#?}");
        assert!(stats.examples > 0, "{spec} has examples to check");
        assert!(
            validate(&contract, &ValidateOptions::default()).is_empty(),
            "{spec}"
        );
    }
}

/// `OASKIT_EXAMPLE_STATS=dir-or-file cargo test --release --test examples -- --ignored --nocapture`
/// prints, per spec, the examples checked and the findings per rule (for the corpus notes).
#[test]
#[ignore]
fn example_stats() {
    let Some(target) = std::env::var_os("OASKIT_EXAMPLE_STATS") else {
        return;
    };
    let target = Path::new(&target);
    let mut specs: Vec<_> = if target.is_dir() {
        std::fs::read_dir(target)
            .expect("a readable directory")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect()
    } else {
        vec![target.to_path_buf()]
    };
    specs.sort();
    for spec in specs {
        let Ok(contract) = Contract::load(&spec.display().to_string(), &LoadOptions::default())
        else {
            continue;
        };
        let start = std::time::Instant::now();
        let (findings, stats) = check(&contract, &defaults());
        let mut rules: std::collections::BTreeMap<&str, usize> = Default::default();
        for f in &findings {
            *rules.entry(f.rule.as_str()).or_default() += 1;
        }
        println!(
            "{}\t{} examples\t{} invalid\t{} defaults\t{} invalid defaults\t{} unchecked\t{:?}\t{:.2}s",
            spec.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            stats.examples,
            stats.invalid_examples,
            stats.defaults,
            stats.invalid_defaults,
            stats.unchecked,
            rules,
            start.elapsed().as_secs_f64()
        );
    }
}

#[test]
fn invalid_schema_keywords_are_not_blamed_on_examples() {
    let (findings, stats) = run("invalid-keywords.yaml", &defaults());
    let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "\"nope\" is not of type integer (schema: #/paths/~1b/get/responses/200/content/application~1json/schema)"
        ]
    );
    assert_eq!(stats.examples, 2);
}
