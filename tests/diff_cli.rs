//! The `oaskit diff` contract: the petstore incident, exit codes, every SPEC form, every format,
//! level overrides, accepted breaks with reasons and expiries, stable fingerprints.

mod common;

use common::*;

const V1: &str = "specs/petstore.yaml";
const BREAKING: &str = "specs/petstore-v2-breaking.yaml";
const COMPATIBLE: &str = "specs/petstore-v2-compatible.yaml";

fn findings(out: &Outcome) -> Vec<serde_json::Value> {
    json(out)["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn the_price_incident_fails_in_requests_and_responses() {
    let out = oaskit(&["diff", V1, BREAKING, "--format", "json"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let all = findings(&out);
    assert!(!all.is_empty());
    for f in &all {
        assert_eq!(f["level"], "error");
        assert!(
            f["message"].as_str().unwrap_or_default().contains("price"),
            "{f}"
        );
        assert_eq!(f["location"]["file"], BREAKING);
        assert_eq!(
            f["location"]["pointer"],
            "/components/schemas/Pet/properties/price/type"
        );
        assert_eq!(f["base_location"]["file"], V1);
        assert!(f["location"]["line"].as_u64().is_some());
        assert!(
            f["help"]
                .as_str()
                .unwrap_or_default()
                .contains("TypeScript client"),
            "{f}"
        );
    }
    let rules: Vec<&str> = all.iter().filter_map(|f| f["rule"].as_str()).collect();
    assert!(
        rules.contains(&"response-property-type-changed"),
        "{rules:?}"
    );
    assert!(
        rules.contains(&"request-property-type-changed"),
        "{rules:?}"
    );
    // One finding per change, each listing the operations it reaches.
    let ops: Vec<String> = all
        .iter()
        .flat_map(|f| f["operations"].as_array().cloned().unwrap_or_default())
        .filter_map(|o| o.as_str().map(str::to_string))
        .collect();
    for op in [
        "GET /pets",
        "GET /pets/{petId}",
        "POST /pets",
        "PUT /pets/{petId}",
    ] {
        assert!(ops.iter().any(|o| o == op), "{op} missing from {ops:?}");
    }
}

#[test]
fn compatible_changes_pass() {
    let out = oaskit(&["diff", V1, COMPATIBLE, "--format", "json"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(json(&out)["summary"]["error"], 0);
    assert!(rules(&out).contains(&"endpoint-added".to_string()));
    // A warning gate still passes: nothing needs review.
    assert_eq!(
        oaskit(&["diff", V1, COMPATIBLE, "--fail-on", "warning"]).code,
        0
    );
    // An info gate does not.
    assert_eq!(
        oaskit(&["diff", V1, COMPATIBLE, "--fail-on", "info"]).code,
        1
    );
}

#[test]
fn a_spec_against_itself_has_no_findings() {
    let out = oaskit(&["diff", V1, V1]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("no findings"), "{}", out.stdout);
}

#[test]
fn every_spec_form_is_accepted() {
    let bytes = std::fs::read(repo_path(BREAKING)).expect("spec");
    let out = oaskit_stdin(&["diff", V1, "-", "--format", "json"], &bytes);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(findings(&out)[0]["location"]["file"], "<stdin>");
    // A git revision of this repository: the committed petstore against the breaking variant.
    let out = oaskit(&["diff", &format!("HEAD:{V1}"), BREAKING, "--format", "json"]);
    if out.code == 2 && out.stderr.contains("git") {
        eprintln!("note: git is not usable here: {}", out.stderr);
    } else {
        assert_eq!(out.code, 1, "{}", out.stderr);
    }
}

#[test]
fn unreadable_input_is_exit_2() {
    let out = oaskit(&["diff", "no/such/spec.yaml", V1]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no/such/spec.yaml"), "{}", out.stderr);
    assert_eq!(oaskit(&["diff", V1]).code, 2);
    assert_eq!(
        oaskit(&["diff", V1, V1, "--rule", "no-such-rule=off"]).code,
        2
    );
    assert_eq!(oaskit(&["diff", V1, V1, "--rule", "api-tag-added"]).code, 2);
    assert_eq!(oaskit(&["diff", V1, V1, "--today", "tomorrow"]).code, 2);
}

#[test]
fn fail_on_and_rule_levels() {
    assert_eq!(
        oaskit(&["diff", V1, BREAKING, "--fail-on", "never"]).code,
        0
    );
    let out = oaskit(&[
        "diff",
        V1,
        BREAKING,
        "--format",
        "json",
        "--rule",
        "response-property-type-changed=off",
        "--rule",
        "request-property-type-changed=warning",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let all = findings(&out);
    assert!(
        all.iter()
            .all(|f| f["rule"] == "request-property-type-changed" && f["level"] == "warning")
    );
}

#[test]
fn accepted_breaks_need_a_reason_and_expire() {
    let dir = tempfile::tempdir().expect("temp dir");
    let accepted = dir.path().join("accepted.toml");
    std::fs::write(
        &accepted,
        r#"
[[ignore]]
rule = "response-property-type-changed"
contains = "/price"
reason = "prices are decimal strings from v2 on; every client migrated"
expires = "2999-12-31"

[[ignore]]
rule = "request-property-type-changed"
reason = "same migration"
"#,
    )
    .expect("write");
    let path = accepted.display().to_string();
    let out = oaskit(&["diff", V1, BREAKING, "--ignore", &path]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);

    // Past its expiry, an entry no longer suppresses and is itself reported.
    let out = oaskit(&[
        "diff",
        V1,
        BREAKING,
        "--ignore",
        &path,
        "--today",
        "3000-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1);
    let rules = rules(&out);
    assert!(
        rules.contains(&"response-property-type-changed".to_string()),
        "{rules:?}"
    );
    assert!(
        rules.contains(&"diff-ignore-expired".to_string()),
        "{rules:?}"
    );
    assert!(
        !rules.contains(&"request-property-type-changed".to_string()),
        "{rules:?}"
    );

    // No reason: refused.
    std::fs::write(
        &accepted,
        "[[ignore]]\nrule = \"request-property-type-changed\"\n",
    )
    .expect("write");
    let out = oaskit(&["diff", V1, BREAKING, "--ignore", &path]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("reason"), "{}", out.stderr);
}

#[test]
fn project_config_diff_section() {
    let dir = tempfile::tempdir().expect("temp dir");
    for spec in [V1, BREAKING] {
        let target = dir
            .path()
            .join(std::path::Path::new(spec).file_name().expect("name"));
        std::fs::copy(repo_path(spec), target).expect("copy");
    }
    std::fs::write(
        dir.path().join("oaskit.toml"),
        "[check]\nsomething = true\n\n[diff.rules]\nresponse-property-type-changed = \"warning\"\nrequest-property-type-changed = \"info\"\n",
    )
    .expect("write");
    let out = oaskit_in(
        dir.path(),
        &[
            "diff",
            "petstore.yaml",
            "petstore-v2-breaking.yaml",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(json(&out)["summary"]["error"], 0);
    assert!(json(&out)["summary"]["warning"].as_u64().unwrap_or(0) > 0);
}

#[test]
fn fingerprints_are_stable_and_distinct() {
    let a = findings(&oaskit(&["diff", V1, BREAKING, "--format", "json"]));
    let b = findings(&oaskit(&["diff", V1, BREAKING, "--format", "json"]));
    let fa: Vec<&str> = a.iter().filter_map(|f| f["fingerprint"].as_str()).collect();
    let fb: Vec<&str> = b.iter().filter_map(|f| f["fingerprint"].as_str()).collect();
    assert_eq!(fa, fb);
    let mut unique = fa.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), fa.len());
}

#[test]
fn every_format_renders() {
    for format in ["text", "json", "github", "junit", "sarif", "markdown"] {
        let out = oaskit(&["diff", V1, BREAKING, "--format", format, "--color", "never"]);
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        assert!(out.stdout.contains("price"), "{format}: {}", out.stdout);
    }
    let markdown = oaskit(&["diff", V1, BREAKING, "--format", "markdown"]).stdout;
    assert!(markdown.starts_with("### API changes"), "{markdown}");
    assert!(markdown.contains("#### Breaking changes (2)"), "{markdown}");
    assert!(
        markdown.contains("**Shared by several operations**"),
        "{markdown}"
    );
    assert!(markdown.contains("in 4 operations: "), "{markdown}");
}

#[test]
fn github_format_appends_the_markdown_report_to_the_job_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_oaskit"))
        .args(["diff", V1, BREAKING, "--format", "github"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("::error "), "{stdout}");
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written.starts_with("earlier step\n### API changes\n"),
        "{written}"
    );
    assert!(written.contains("| **all** | 2 | 0 | 0 |"), "{written}");
    // Without the variable, nothing but the annotations.
    assert!(
        !oaskit(&["diff", V1, BREAKING, "--format", "github"])
            .stdout
            .contains("API changes")
    );
}

#[test]
fn min_level_hides_infos_in_text() {
    let all = oaskit(&["diff", V1, COMPATIBLE, "--color", "never"]);
    let errors_only = oaskit(&[
        "diff",
        V1,
        COMPATIBLE,
        "--color",
        "never",
        "--min-level",
        "error",
    ]);
    assert_eq!(all.code, errors_only.code);
    assert!(all.stdout.contains("  info  "), "{}", all.stdout);
    assert!(
        !errors_only.stdout.contains("  info  "),
        "{}",
        errors_only.stdout
    );
    assert!(
        errors_only.stdout.contains("not shown: --min-level"),
        "{}",
        errors_only.stdout
    );
}

#[test]
fn the_rule_list_is_the_catalogue() {
    let out = oaskit(&["diff", "--list-rules"]);
    assert_eq!(out.code, 0);
    for id in [
        "response-property-type-changed",
        "api-removed-without-deprecation",
        "api-operation-id-updated",
    ] {
        assert!(out.stdout.contains(&format!("`{id}`")), "{id}");
    }
}

/// The price change is one change per direction, not one finding per operation that returns or
/// takes a Pet: the response change lists its four operations, has a change id a waiver can
/// name, and `--per-operation` gives today's six findings back.
#[test]
fn one_finding_per_change_listing_its_operations() {
    let out = oaskit(&["diff", V1, BREAKING, "--format", "json"]);
    let grouped = findings(&out);
    assert_eq!(grouped.len(), 2, "{}", out.stdout);
    let response = grouped
        .iter()
        .find(|f| f["rule"] == "response-property-type-changed")
        .unwrap_or_else(|| panic!("{}", out.stdout));
    let mut operations: Vec<&str> = response["operations"]
        .as_array()
        .map(|a| a.iter().filter_map(|o| o.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(Some(operations[0]), response["operation"].as_str());
    operations.sort_unstable();
    assert_eq!(
        operations,
        [
            "GET /pets",
            "GET /pets/{petId}",
            "POST /pets",
            "PUT /pets/{petId}"
        ]
    );
    let change = response["change"].as_str().unwrap_or_default();
    assert_eq!(change.len(), 8, "{response}");

    let text = oaskit(&["diff", V1, BREAKING]);
    assert!(
        text.stdout.contains(&format!("[change {change}]")),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("and 1 more operation"),
        "{}",
        text.stdout
    );
    let markdown = oaskit(&["diff", V1, BREAKING, "--format", "markdown"]);
    assert!(markdown.stdout.contains(change), "{}", markdown.stdout);

    let expanded = oaskit(&["diff", V1, BREAKING, "--format", "json", "--per-operation"]);
    let expanded = findings(&expanded);
    assert_eq!(expanded.len(), 6);
    assert!(expanded.iter().all(|f| f.get("operations").is_none()));
    assert!(expanded.iter().all(|f| f["change"].is_string()));

    // A waiver naming the change takes it out in every operation, and the summary counts it.
    let (_dir, path) = temp_spec(
        "waive.toml",
        format!("[[ignore]]\nchange = \"{change}\"\nreason = \"clients read strings\"\n")
            .as_bytes(),
    );
    let waived = oaskit(&["diff", V1, BREAKING, "--format", "json", "--ignore", &path]);
    let report = json(&waived);
    assert_eq!(
        rules(&waived),
        ["request-property-type-changed"],
        "{}",
        waived.stdout
    );
    assert_eq!(report["summary"]["waived"], 1);
    let per_operation = oaskit(&[
        "diff",
        V1,
        BREAKING,
        "--format",
        "json",
        "--per-operation",
        "--ignore",
        &path,
    ]);
    assert_eq!(json(&per_operation)["summary"]["waived"], 4);
    let text = oaskit(&["diff", V1, BREAKING, "--ignore", &path]);
    assert!(
        text.stdout
            .contains("1 error, 0 warnings, 0 infos (1 waived)"),
        "{}",
        text.stdout
    );
    // The grouped finding's fingerprint waives the change too.
    let fingerprint = response["fingerprint"].as_str().unwrap_or_default();
    let (_dir, path) = temp_spec(
        "waive.toml",
        format!("[[ignore]]\nfingerprint = \"{fingerprint}\"\nreason = \"clients read strings\"\n")
            .as_bytes(),
    );
    let waived = oaskit(&["diff", V1, BREAKING, "--format", "json", "--ignore", &path]);
    assert_eq!(rules(&waived), ["request-property-type-changed"]);
}
