//! The catalogue's own contract: unique kebab-case ids, a summary for each, documented
//! families, SDK rules that never fail a default gate, and levels that configuration can set.

use super::*;
use crate::report::Level;

#[test]
fn ids_are_unique_kebab_case_and_summarized() {
    assert!(
        duplicates().is_empty(),
        "declared twice: {:?}",
        duplicates()
    );
    for rule in all() {
        assert!(
            rule.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}",
            rule.id
        );
        assert!(!rule.summary.is_empty(), "{} has no summary", rule.id);
        assert_eq!(lookup(rule.id).map(|r| r.id), Some(rule.id));
    }
    // Every command has rules, and the diff's schema suffixes are expanded.
    for command in [
        Command::Validate,
        Command::Diff,
        Command::Probe,
        Command::Check,
    ] {
        assert!(for_command(command).count() > 0, "{command:?}");
    }
    assert!(for_command(Command::Diff).count() > 300);
}

#[test]
fn every_family_documents_what_and_why_with_an_example() {
    for entry in FAMILIES {
        let doc = entry.family.doc;
        assert!(
            doc.contains("**What breaks.**")
                || doc.contains("**What it checks.**")
                || doc.contains("**What it reports.**"),
            "{}: {doc}",
            entry.family.name
        );
        assert!(doc.contains("**Example.**"), "{}", entry.family.name);
        assert!(!entry.family.title.is_empty());
    }
}

#[test]
fn sdk_rules_never_fail_a_default_gate() {
    for rule in all() {
        if rule.category == Category::Sdk {
            assert!(rule.level < Level::Error, "{}", rule.id);
        }
    }
}

#[test]
fn schema_rules_resolve_per_side() {
    use diff::schema_types::{BECAME_NULLABLE, TYPE_CHANGED};
    let rule = schema_rule("response-property", &TYPE_CHANGED).map(|r| r.id);
    assert_eq!(rule, Some("response-property-type-changed"));
    assert_eq!(
        schema_rule("response-body", &diff::schema_values::ENUM_VALUE_REMOVED).map(|r| r.id),
        Some("response-mediatype-enum-value-removed")
    );
    assert_eq!(
        schema_rule("request-parameter", &diff::schema_lifecycle::DEPRECATED).map(|r| r.id),
        Some("request-parameter-schema-deprecated")
    );
    // became-nullable exists on both sides, at different levels.
    let request = schema_rule("request-body", &BECAME_NULLABLE).map(|r| r.level);
    let response = schema_rule("response-body", &BECAME_NULLABLE).map(|r| r.level);
    assert_eq!((request, response), (Some(Level::Info), Some(Level::Error)));
}

#[test]
fn levels_are_set_by_id_and_apply_to_findings() {
    let mut levels = RuleLevels::default();
    levels.set_arg("example-invalid=warning").unwrap();
    levels.set("response-property-type-changed", "off").unwrap();
    assert!(
        levels
            .set_arg("no-such-rule=error")
            .unwrap_err()
            .contains("unknown rule")
    );
    assert!(
        levels
            .set_arg("example-invalid")
            .unwrap_err()
            .contains("ID=LEVEL")
    );
    assert!(
        levels
            .set("example-invalid", "fatal")
            .unwrap_err()
            .contains("unknown level")
    );
    let findings = vec![
        validate::examples::EXAMPLE_INVALID.finding("bad example"),
        Finding::new("response-property-type-changed", Level::Error, "changed"),
        validate::structure::INVALID_VALUE.finding("bad value"),
    ];
    let out = levels.apply(findings);
    let got: Vec<(&str, Level)> = out.iter().map(|f| (f.rule.as_str(), f.level)).collect();
    assert_eq!(
        got,
        [
            ("example-invalid", Level::Warning),
            ("invalid-value", Level::Error)
        ]
    );
}

#[test]
fn every_command_lists_its_own_rules() {
    let validate = markdown::tables_for(Command::Validate);
    assert!(validate.contains("`example-invalid`"));
    assert!(!validate.contains("`probe-timeout`"));
    let diff = markdown::tables_for(Command::Diff);
    assert!(diff.contains("`response-property-type-changed`"));
    assert!(diff.contains("`diff-ignore-expired`"));
    assert!(!diff.contains("`example-invalid`"));
    let check = markdown::tables_for(Command::Check);
    for id in [
        "example-invalid",
        "api-tag-removed",
        "generated-code-stale",
        "probe-timeout",
    ] {
        assert!(check.contains(&format!("`{id}`")), "{id}");
    }
}
