//! Spec pairs per rule family (`tests/fixtures/diff/<case>/{base,revision}.yaml`): each case names
//! the rules that must fire, at which level, and the rules that must not (usually the same
//! change seen in the other direction, or a refactor that changes nothing on the wire).

use oaskit::report::{Finding, Level};
use oaskit::rules::{CheckOptions, Date};
use oaskit::{Contract, LoadOptions};

const E: Level = Level::Error;
const W: Level = Level::Warning;
const I: Level = Level::Info;

struct Case {
    name: &'static str,
    fires: &'static [(&'static str, Level)],
    quiet: &'static [&'static str],
    /// No finding at error level may appear besides those in `fires`.
    no_other_errors: bool,
}

const fn case(
    name: &'static str,
    fires: &'static [(&'static str, Level)],
    quiet: &'static [&'static str],
) -> Case {
    Case {
        name,
        fires,
        quiet,
        no_other_errors: true,
    }
}

const CASES: &[Case] = &[
    case(
        "response_type_widened",
        &[("response-property-type-generalized", E)],
        &[],
    ),
    case(
        "request_type_widened",
        &[("request-property-type-generalized", I)],
        &["request-property-type-changed"],
    ),
    case(
        "response_type_changed",
        &[("response-property-type-changed", E)],
        &[],
    ),
    case(
        "request_type_narrowed",
        &[("request-property-type-specialized", E)],
        &[],
    ),
    case(
        "response_became_nullable",
        &[("response-property-became-nullable", E)],
        &[],
    ),
    case(
        "request_became_nullable",
        &[("request-property-became-nullable", I)],
        &["request-property-became-not-nullable"],
    ),
    case(
        "request_required_property_added",
        &[("new-required-request-property", E)],
        &[],
    ),
    case(
        "response_required_property_added",
        &[("response-required-property-added", I)],
        &["new-required-request-property"],
    ),
    case(
        "response_required_property_removed",
        &[("response-required-property-removed", E)],
        &[],
    ),
    case(
        "request_property_removed",
        &[("request-property-removed", W)],
        &["response-optional-property-removed"],
    ),
    case(
        "response_property_became_optional",
        &[("response-property-became-optional", E)],
        &[],
    ),
    case(
        "request_property_became_optional",
        &[("request-property-became-optional", I)],
        &["response-property-became-optional"],
    ),
    case(
        "request_enum_value_removed",
        &[("request-property-enum-value-removed", E)],
        &[],
    ),
    case(
        "response_enum_value_removed",
        &[("response-property-enum-value-removed", I)],
        &[],
    ),
    case(
        "response_enum_value_added",
        &[("response-property-enum-value-added", W)],
        &[],
    ),
    case(
        "request_max_length_decreased",
        &[("request-property-max-length-decreased", E)],
        &[],
    ),
    case(
        "response_max_length_decreased",
        &[("response-property-max-length-decreased", I)],
        &[],
    ),
    case(
        "response_minimum_decreased",
        &[("response-property-min-decreased", E)],
        &[],
    ),
    case(
        "request_pattern_added",
        &[("request-property-pattern-added", E)],
        &[],
    ),
    case(
        "request_closed_object",
        &[("request-body-additional-properties-narrowed", E)],
        &[],
    ),
    // The response growth policy: a warning, as a new response enum value is.
    case(
        "response_one_of_added",
        &[("response-body-one-of-added", W)],
        &[],
    ),
    case(
        "request_one_of_added",
        &[("request-body-one-of-added", I)],
        &["response-body-one-of-added"],
    ),
    case(
        "request_one_of_removed",
        &[("request-body-one-of-removed", E)],
        &[],
    ),
    case(
        "one_of_reordered",
        &[],
        &["response-body-one-of-added", "response-body-one-of-removed"],
    ),
    case(
        "response_wrapped_in_one_of",
        &[("response-body-wrapped-in-one-of", E)],
        &["response-body-type-generalized"],
    ),
    case(
        "request_discriminator_mapping_deleted",
        &[("request-body-discriminator-mapping-deleted", E)],
        &[],
    ),
    case(
        "all_of_refactor",
        &[("request-body-all-of-added", W)],
        &[
            "new-required-request-property",
            "response-required-property-removed",
        ],
    ),
    case(
        "all_of_member_adds_required",
        &[
            ("request-body-all-of-added", W),
            ("new-required-request-property", E),
        ],
        &[],
    ),
    case(
        "component_renamed",
        &[("api-schema-renamed", W)],
        &["api-schema-removed"],
    ),
    case(
        "inline_moved_to_component",
        &[],
        &[
            "response-body-type-changed",
            "response-required-property-removed",
        ],
    ),
    case(
        "operation_removed",
        &[("api-path-removed-without-deprecation", E)],
        &[],
    ),
    case(
        "deprecated_operation_removed_after_sunset",
        &[("api-path-removed-with-deprecation", I)],
        &["api-path-removed-without-deprecation"],
    ),
    case(
        "deprecated_operation_removed_before_sunset",
        &[("api-path-removed-before-sunset", E)],
        &[],
    ),
    case(
        "alpha_operation_removed",
        &[("api-path-removed-without-deprecation", I)],
        &[],
    ),
    case(
        "stability_decreased",
        &[("api-stability-decreased", E)],
        &[],
    ),
    case(
        "path_parameter_renamed",
        &[("request-path-parameter-renamed", W)],
        &["endpoint-added", "api-path-removed-without-deprecation"],
    ),
    case(
        "required_query_parameter_added",
        &[("new-required-request-parameter", E)],
        &[],
    ),
    case(
        "optional_query_parameter_added",
        &[("new-optional-request-parameter", I)],
        &[],
    ),
    case(
        "query_parameter_became_required",
        &[("request-parameter-became-required", E)],
        &[],
    ),
    case(
        "query_parameter_enum_value_removed",
        &[("request-parameter-enum-value-removed", E)],
        &[],
    ),
    case(
        "query_parameter_integer_to_string",
        &[("request-parameter-type-generalized", I)],
        &["request-parameter-type-changed"],
    ),
    case(
        "query_parameter_default_changed",
        &[("request-parameter-default-value-changed", E)],
        &[],
    ),
    case(
        "request_body_became_required",
        &[("request-body-became-required", E)],
        &[],
    ),
    case(
        "success_status_removed",
        &[("response-success-status-removed", E)],
        &[],
    ),
    case(
        "response_media_type_removed",
        &[("response-media-type-removed", E)],
        &[],
    ),
    case(
        "required_response_header_removed",
        &[("required-response-header-removed", E)],
        &[],
    ),
    case(
        "response_header_became_optional",
        &[("response-header-became-optional", E)],
        &[],
    ),
    case(
        "authentication_now_required",
        &[("api-global-security-tightened", E)],
        &[],
    ),
    // Parameters and headers are text: `20` and `"20"` are the same default, `[1, 2, 3]` and
    // `["1", "2", "3"]` the same enum. In a JSON body a default still changes by value.
    case(
        "query_parameter_default_same_on_the_wire",
        &[("response-property-default-value-changed", I)],
        &[
            "request-parameter-default-value-changed",
            "request-parameter-enum-value-removed",
            "request-parameter-enum-value-added",
            "request-header-property-default-value-changed",
        ],
    ),
    // A format no validator or generator asserts (`unixtime`, `probability`, `counter`,
    // `password`) is an annotation on strings as on numbers: adding or removing it is no change.
    case(
        "unknown_format_removed",
        &[],
        &[
            "response-property-type-generalized",
            "response-property-type-specialized",
            "response-property-type-changed",
            "request-parameter-type-generalized",
        ],
    ),
    // `integer` → `string` + `format: uuid` in a query parameter: `customer=5` was accepted and is
    // now refused, so the set of values is not wider although the type alone (as text) is.
    case(
        "parameter_type_to_narrowing_format",
        &[
            ("request-parameter-type-changed", E),
            ("request-parameter-type-generalized", I),
        ],
        &[],
    ),
    // The response growth policy: a new enum value and a new `oneOf` alternative in a response
    // are one kind of change, judged alike (a warning unless `response-growth` says otherwise).
    case(
        "response_growth",
        &[
            ("response-property-enum-value-added", W),
            ("response-property-one-of-added", W),
        ],
        &[],
    ),
    // The path part of the default server moved: every operation is at a new URL.
    case(
        "server_path_changed",
        &[("server-path-changed", E)],
        &["server-host-changed"],
    ),
    // Only the host (and its variables' defaults) changed: a deployment matter.
    case(
        "server_host_changed",
        &[("server-host-changed", I)],
        &["server-path-changed"],
    ),
    case(
        "webhook_payload_type_changed",
        &[
            ("response-property-type-changed", E),
            ("request-property-type-changed", E),
        ],
        &[],
    ),
    // Two `http bearer` schemes, or two API keys in the same header, ask the client for the
    // same thing: moving an operation between them changes nothing it sends.
    case(
        "security_same_wire_scheme_renamed",
        &[],
        &["api-security-tightened", "api-security-added"],
    ),
    // Bearer to basic, a header key to a query key: the client must send something else.
    case(
        "security_moved_to_another_credential",
        &[("api-security-tightened", E)],
        &[],
    ),
    case(
        "security_scope_added",
        &[("api-security-scope-added", E)],
        &[],
    ),
    case(
        "operation_id_and_tag_changed",
        &[
            ("api-operation-id-updated", W),
            ("api-tag-removed", W),
            ("api-tag-added", I),
        ],
        &[],
    ),
    case(
        "read_only_required_property_added",
        &[("response-required-property-added", I)],
        &["new-required-request-property"],
    ),
    case(
        "write_only_property_removed",
        &[("request-property-removed", W)],
        &["response-required-property-removed"],
    ),
    case(
        "recursive_schema_changed",
        &[("response-property-type-changed", E)],
        &[],
    ),
    case(
        "nullable_spellings_equal",
        &[],
        &[
            "response-property-became-nullable",
            "response-property-became-not-nullable",
        ],
    ),
    // Discord spells every enum as a `oneOf` of titled constants: a new constant is an enum
    // value added, not a new alternative; `enum: [2]` beside `allOf: [that]` stays 2.
    case(
        "one_of_consts_are_an_enum",
        &[
            ("response-property-enum-value-added", W),
            ("request-property-became-enum", E),
        ],
        &[
            "response-property-one-of-added",
            "response-property-wrapped-in-one-of",
            "response-property-type-generalized",
            "request-property-const-added",
        ],
    ),
    // `null` belongs to the union: the branch a plain schema is matched with need not admit it.
    case(
        "wrapped_in_nullable_union",
        &[
            ("response-property-wrapped-in-any-of", E),
            ("response-property-became-not-enum", E),
            ("response-property-became-nullable", E),
        ],
        &[
            "request-property-became-not-nullable",
            "response-property-became-not-nullable",
        ],
    ),
    // `anyOf: [string, Error]` became `Error` (a `oneOf`): one alternative dropped, not the
    // branches of `Error` added.
    case(
        "union_became_its_own_branch",
        &[
            ("request-property-unwrapped-from-any-of", E),
            ("response-property-unwrapped-from-any-of", I),
        ],
        &[
            "response-property-one-of-added",
            "request-property-any-of-removed",
            "response-property-any-of-removed",
        ],
    ),
    // `format: unixtime` on an integer is an annotation: still an int64 to every generator.
    case(
        "unknown_integer_format",
        &[("response-property-type-generalized", E)],
        &[
            "response-property-type-changed",
            "request-property-type-changed",
        ],
    ),
    // 3.0's `$ref` + `nullable` and `allOf: [$ref, {nullable: true}]` say the same thing.
    case(
        "all_of_nullable_marker",
        &[],
        &[
            "request-property-became-not-nullable",
            "response-property-became-not-nullable",
            "request-property-all-of-added",
        ],
    ),
    // Every operation declares its own `security`: the document-level one reaches no request.
    case(
        "global_security_not_inherited",
        &[("api-global-security-tightened", I)],
        &[],
    ),
    // Two spellings of one template (invalid, but written): each matches its own spelling.
    case(
        "duplicate_path_templates",
        &[],
        &["api-operation-id-updated", "request-path-parameter-renamed"],
    ),
    // `int64` → `int32` under `maximum: 21600` changes no value; without bounds it narrows.
    case(
        "integer_format_within_bounds",
        &[("request-property-type-specialized", E)],
        &[],
    ),
    case(
        "shared_schema_reached_twice",
        &[("response-property-type-changed", E)],
        &[],
    ),
    case(
        "response_integer_to_number_silent",
        &[("response-property-type-generalized", E)],
        &[],
    ),
];

fn fixture(case: &str, side: &str) -> String {
    format!(
        "{}/tests/fixtures/diff/{case}/{side}.yaml",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn load(path: &str) -> Contract {
    Contract::load(path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn run(case: &str) -> Vec<Finding> {
    let base = load(&fixture(case, "base"));
    let revision = load(&fixture(case, "revision"));
    let changes = oaskit::diff::diff(&base, &revision);
    let options = CheckOptions {
        today: Date::parse("2025-06-01"),
        ..CheckOptions::default()
    };
    oaskit::rules::check(&changes, &base, &revision, &options)
}

fn listing(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("\n  {} {}: {}", f.level, f.rule, f.message))
        .collect()
}

#[test]
fn each_case_fires_its_rules_and_nothing_it_must_not() {
    let mut problems = Vec::new();
    for case in CASES {
        let findings = run(case.name);
        for (id, level) in case.fires {
            match findings.iter().find(|f| f.rule == *id) {
                None => problems.push(format!(
                    "{}: `{id}` did not fire{}",
                    case.name,
                    listing(&findings)
                )),
                Some(f) if f.level != *level => {
                    problems.push(format!(
                        "{}: `{id}` fired at {}, expected {level}",
                        case.name, f.level
                    ));
                }
                Some(_) => {}
            }
        }
        for id in case.quiet {
            if findings.iter().any(|f| f.rule == *id) {
                problems.push(format!(
                    "{}: `{id}` must not fire{}",
                    case.name,
                    listing(&findings)
                ));
            }
        }
        if case.no_other_errors {
            for f in &findings {
                if f.level == Level::Error && !case.fires.iter().any(|(id, _)| *id == f.rule) {
                    problems.push(format!(
                        "{}: unexpected error {}: {}",
                        case.name, f.rule, f.message
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_fixture_directory_is_a_case() {
    let dir = format!("{}/tests/fixtures/diff", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(&dir).expect("fixtures dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            CASES.iter().any(|c| c.name == name),
            "fixture `{name}` has no case in CASES"
        );
    }
}

#[test]
fn a_spec_diffed_with_itself_is_empty() {
    for case in CASES {
        for side in ["base", "revision"] {
            let spec = load(&fixture(case.name, side));
            let changes = oaskit::diff::diff(&spec, &spec);
            assert!(changes.is_empty(), "{}/{side}: {changes:#?}", case.name);
        }
    }
    for spec in [
        "specs/petstore.yaml",
        "specs/petstore-v2-compatible.yaml",
        "specs/petstore-v2-breaking.yaml",
    ] {
        let spec = load(&format!("{}/{spec}", env!("CARGO_MANIFEST_DIR")));
        assert!(oaskit::diff::diff(&spec, &spec).is_empty());
    }
}

#[test]
fn the_silent_break_is_spelled_out() {
    let findings = run("response_integer_to_number_silent");
    let f = findings
        .iter()
        .find(|f| f.rule == "response-property-type-generalized")
        .expect("fires");
    let help = f.help.as_deref().unwrap_or_default();
    assert!(help.contains("stays `number`"), "{help}");
    assert!(help.contains("silent break"), "{help}");
    assert!(help.contains("`i64` → `f64`"), "{help}");
}

#[test]
fn the_price_incident_names_the_generated_types() {
    let findings = run("response_type_changed");
    let f = findings
        .iter()
        .find(|f| f.rule == "response-property-type-changed")
        .expect("fires");
    assert!(f.message.contains("/price"), "{}", f.message);
    let help = f.help.as_deref().unwrap_or_default();
    assert!(help.contains("`price: number` → `price: string`"), "{help}");
    assert!(help.contains("`i64` → `String`"), "{help}");
    assert!(f.base_location.is_some() && f.location.is_some());
}

#[test]
fn a_recursive_change_is_reported_once_per_operation() {
    let findings = run("recursive_schema_changed");
    let hits: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == "response-property-type-changed")
        .collect();
    assert_eq!(hits.len(), 1, "{}", listing(&findings));
    assert!(hits[0].message.contains("`/value`"), "{}", hits[0].message);
}

#[test]
fn a_constant_pinned_by_enum_ignores_new_constants_of_its_type() {
    let findings = run("one_of_consts_are_an_enum");
    let pinned: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.message.contains("/button"))
        .collect();
    assert!(pinned.is_empty(), "{}", listing(&findings));
}

#[test]
fn only_the_integer_that_was_sized_smaller_changes_with_an_unknown_format() {
    let findings = run("unknown_integer_format");
    for f in &findings {
        assert!(f.message.contains("/count"), "{}", listing(&findings));
    }
}

#[test]
fn an_integer_format_change_inside_the_bounds_is_no_change() {
    let findings = run("integer_format_within_bounds");
    assert!(
        findings
            .iter()
            .all(|f| !f.message.contains("rate_limit_per_user")),
        "{}",
        listing(&findings)
    );
    assert!(
        findings.iter().any(|f| f.message.contains("/big")),
        "{}",
        listing(&findings)
    );
}

/// A change in a schema reached by several paths is reported once, at the shortest path.
#[test]
fn a_change_reached_twice_is_reported_at_the_shortest_path() {
    let findings = run("shared_schema_reached_twice");
    let messages: Vec<&str> = findings
        .iter()
        .filter(|f| f.rule == "response-property-type-changed")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages.len(), 1, "{}", listing(&findings));
    assert!(
        messages[0].contains("`/total/amount`"),
        "{}",
        listing(&findings)
    );
}

/// A webhook's request body is the payload the API sends: its messages say so, not "response
/// property ... (request body)".
#[test]
fn webhook_findings_name_the_payload() {
    let findings = run("webhook_payload_type_changed");
    let payload = findings
        .iter()
        .find(|f| f.rule == "response-property-type-changed")
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert_eq!(
        payload.message,
        "webhook payload property `/id` (application/json): type changed from integer to string"
    );
    assert!(
        findings
            .iter()
            .all(|f| !f.message.contains("(request body")),
        "{findings:#?}"
    );
    assert!(
        findings.iter().any(|f| f
            .message
            .starts_with("webhook response property `/ack` (200, application/json)")),
        "{findings:#?}"
    );
}

/// `[diff] response-growth` sets the level of every response growth rule at once, under the
/// per-rule levels.
#[test]
fn response_growth_policy_is_one_setting() {
    let base = load(&fixture("response_growth", "base"));
    let revision = load(&fixture("response_growth", "revision"));
    let today = Date::parse("2025-06-01").expect("date");
    let judged = |toml: &str| {
        let config = oaskit::rules::DiffConfig::from_toml(toml, "oaskit.toml", true)
            .expect("config")
            .unwrap_or_default();
        let mut levels: Vec<(String, Level)> =
            oaskit::rules::judge_diff(&base, &revision, &config, today)
                .findings
                .into_iter()
                .map(|f| (f.rule, f.level))
                .collect();
        levels.sort_by(|a, b| a.0.cmp(&b.0));
        levels
    };
    let both = |level: Level| {
        vec![
            ("response-property-enum-value-added".to_string(), level),
            ("response-property-one-of-added".to_string(), level),
        ]
    };
    assert_eq!(judged(""), both(W));
    assert_eq!(judged("[diff]\nresponse-growth = \"error\"\n"), both(E));
    assert_eq!(judged("[diff]\nresponse-growth = \"off\"\n"), vec![]);
    assert_eq!(
        judged(
            "[diff]\nresponse-growth = \"error\"\n[diff.rules]\nresponse-property-enum-value-added = \"info\"\n"
        ),
        vec![
            ("response-property-enum-value-added".to_string(), I),
            ("response-property-one-of-added".to_string(), E),
        ]
    );
}
