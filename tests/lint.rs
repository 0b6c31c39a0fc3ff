//! `oaskit validate` as a linter: one mistake, one finding, at the right line. Every case under
//! `tests/fixtures/lint` is one of the two clean base specs (`base-30.yaml`, `base-31.yaml`) with
//! one mistake, written as a unified diff against it (`NAME-30.patch`: `patch base-30.yaml
//! NAME-30.patch -o NAME-30.yaml` gives the spec, e.g. to run other linters on it). The line of
//! the mistake carries `# expect: RULE LEVEL [FLAGS...]` (a JSON spec, kept whole, has the same
//! in `NAME.json.expect`, with the line number). Each must get exactly that finding.

mod common;

use common::*;
use std::path::{Path, PathBuf};

struct Expectation {
    rule: String,
    level: String,
    line: u64,
    flags: Vec<String>,
}

fn lint_dir() -> PathBuf {
    repo_path("tests/fixtures/lint")
}

/// One case: its name (`NAME-30.yaml`), the spec's text, and the fixture it comes from.
struct Case {
    name: String,
    text: String,
    fixture: PathBuf,
}

/// Applies a unified diff to `base`; a hunk that does not match is a broken fixture.
fn apply_patch(base: &str, patch: &str, fixture: &Path) -> String {
    let base: Vec<&str> = base.lines().collect();
    let mut out: Vec<&str> = Vec::new();
    let mut next = 0; // the next base line (0-based) not yet copied
    for line in patch.lines() {
        if line.starts_with("---") || line.starts_with("+++") {
            continue;
        }
        if let Some(header) = line.strip_prefix("@@ -") {
            let start: usize = header
                .split([',', ' '])
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{}: bad hunk header {line}", fixture.display()));
            // `-0,0` adds at the start; otherwise the hunk's first line is `start` (1-based).
            let at = start.saturating_sub(1).max(next);
            out.extend_from_slice(&base[next..at]);
            next = at;
            continue;
        }
        let (mark, text) = line.split_at(line.len().min(1));
        match mark {
            " " | "-" => {
                assert_eq!(
                    base.get(next).copied(),
                    Some(text),
                    "{}: patch does not match its base at line {}",
                    fixture.display(),
                    next + 1
                );
                if mark == " " {
                    out.push(text);
                }
                next += 1;
            }
            "+" => out.push(text),
            "\\" => {} // "\ No newline at end of file"
            _ => panic!("{}: unexpected patch line {line:?}", fixture.display()),
        }
    }
    out.extend_from_slice(&base[next..]);
    let mut text = out.join("\n");
    text.push('\n');
    text
}

fn load_case(fixture: &Path) -> Case {
    let raw = std::fs::read_to_string(fixture).expect("fixture readable");
    let file_name = fixture.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    match file_name.strip_suffix(".patch") {
        Some(stem) => {
            let base_name = raw
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("--- "))
                .unwrap_or_else(|| panic!("{file_name}: starts with `--- base-3x.yaml`"));
            let base = std::fs::read_to_string(lint_dir().join(base_name.trim()))
                .expect("base spec readable");
            Case {
                name: format!("{stem}.yaml"),
                text: apply_patch(&base, &raw, fixture),
                fixture: fixture.to_path_buf(),
            }
        }
        None => Case {
            name: file_name.to_string(),
            text: raw,
            fixture: fixture.to_path_buf(),
        },
    }
}

/// The expectation written in a case: the `# expect:` comment of a YAML spec (its line is the
/// expected line), or the sidecar file of a JSON spec.
fn expectation(case: &Case) -> Expectation {
    if case.name.ends_with(".json") {
        let sidecar = std::fs::read_to_string(format!("{}.expect", case.fixture.display()))
            .expect("a JSON fixture has a .expect file");
        let words: Vec<&str> = sidecar.split_whitespace().collect();
        return Expectation {
            rule: words[0].to_string(),
            level: words[1].to_string(),
            line: words[2].parse().expect("a line number"),
            flags: words[3..].iter().map(|w| w.to_string()).collect(),
        };
    }
    let marked: Vec<(usize, &str)> = case
        .text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| l.split_once("# expect: ").map(|(_, e)| (i + 1, e)))
        .collect();
    assert_eq!(marked.len(), 1, "{}: one `# expect:` line", case.name);
    let (line, spec) = marked[0];
    let words: Vec<&str> = spec.split_whitespace().collect();
    Expectation {
        rule: words[0].to_string(),
        level: words[1].to_string(),
        line: line as u64,
        flags: words[2..].iter().map(|w| w.to_string()).collect(),
    }
}

fn cases() -> Vec<Case> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(lint_dir())
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".patch") || name.ends_with(".json")
        })
        .collect();
    paths.sort();
    paths.iter().map(|p| load_case(p)).collect()
}

#[test]
fn the_base_specs_are_clean() {
    for base in ["base-30.yaml", "base-31.yaml"] {
        let path = lint_dir().join(base);
        let out = oaskit(&["validate", "--format", "json", &path.display().to_string()]);
        assert_eq!(out.code, 0, "{base}: {}{}", out.stdout, out.stderr);
        assert_eq!(json(&out)["findings"], serde_json::json!([]), "{base}");
    }
}

#[test]
fn every_mistake_gets_exactly_its_finding_at_its_line() {
    let mut failures = Vec::new();
    let cases = cases();
    let dir = tempfile::tempdir().expect("a temp dir");
    for case in &cases {
        let want = expectation(case);
        let name = case.name.as_str();
        let path = dir.path().join(name);
        std::fs::write(&path, &case.text).expect("spec written");
        let file = path.display().to_string();
        let mut args = vec!["validate", "--format", "json"];
        args.extend(want.flags.iter().map(String::as_str));
        args.push(&file);
        let out = oaskit(&args);
        if out.stderr.contains("panicked") {
            failures.push(format!("{name}: panic: {}", out.stderr));
            continue;
        }
        let doc = json(&out);
        let got: Vec<(String, String, u64, String)> = doc["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| {
                        (
                            f["rule"].as_str().unwrap_or("").to_string(),
                            f["level"].as_str().unwrap_or("").to_string(),
                            f["location"]["line"].as_u64().unwrap_or(0),
                            f["message"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let matches = got.len() == 1
            && got[0].0 == want.rule
            && got[0].1 == want.level
            && got[0].2 == want.line;
        if !matches {
            failures.push(format!(
                "{name}: want {} {} at line {}, got {got:#?}",
                want.rule, want.level, want.line
            ));
        }
        let code = if want.level == "error" { 1 } else { 0 };
        if matches && out.code != code {
            failures.push(format!("{name}: exit code {} (want {code})", out.code));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_set_covers_both_versions_and_every_new_rule() {
    let cases = cases();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let expectations: Vec<(String, Expectation)> = cases
        .iter()
        .map(|c| (c.name.clone(), expectation(c)))
        .collect();
    let in_version = |v: &str| {
        expectations
            .iter()
            .filter(|(p, _)| p.contains(&format!("-{v}.")))
            .count()
    };
    assert!(in_version("30") >= 25, "3.0 cases: {}", in_version("30"));
    assert!(in_version("31") >= 25, "3.1 cases: {}", in_version("31"));
    assert!(in_version("32") >= 3, "3.2 cases: {}", in_version("32"));
    for rule in [
        "unknown-field",
        "version-mismatch",
        "missing-required-field",
        "invalid-value",
        "ref-wrong-kind",
        "unresolved-ref",
        "invalid-json",
        "unknown-keyword",
        "ref-siblings",
        "enum-type-mismatch",
        "impossible-range",
        "discriminator-property-missing",
        "ignored-header-parameter",
        "tag-undeclared",
    ] {
        assert!(
            expectations.iter().any(|(_, e)| e.rule == rule),
            "no case for {rule}"
        );
    }
}

/// The `paramters:` typo: the case the generators must not build on.
fn typo_spec(dir: &Path) -> PathBuf {
    let case = load_case(&lint_dir().join("unknown-paramters-30.patch"));
    let path = dir.join("openapi.yaml");
    std::fs::write(&path, case.text).expect("spec written");
    path
}

/// Issue #16, item 5: on the typo the TS client typed the request `{ [key: string]: never }`,
/// its query parameters silently gone. A generator refuses a spec with structural errors (exit
/// 2, the findings printed, nothing written) unless `--allow-invalid`.
#[test]
fn generators_refuse_a_spec_with_structural_errors() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let spec = typo_spec(dir.path()).display().to_string();
    for target in ["ts-client", "rust-server"] {
        let out_dir = dir.path().join(target);
        let output = out_dir.display().to_string();
        let out = oaskit(&["generate", target, &spec, "-o", &output]);
        assert_eq!(out.code, 2, "{target}: {}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains("unknown field `paramters`")
                && out.stderr.contains("[unknown-field]")
                && out.stderr.contains("--allow-invalid"),
            "{target}: {}",
            out.stderr
        );
        assert!(!out_dir.exists(), "{target}: nothing is written");

        let out = oaskit(&["generate", target, &spec, "-o", &output, "--allow-invalid"]);
        assert_eq!(out.code, 0, "{target}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains("generating anyway"), "{}", out.stderr);
        assert!(out_dir.exists(), "{target}: generated");
    }
    // A lint warning alone does not stop them.
    let case = load_case(&lint_dir().join("ref-siblings-30.patch"));
    let warned = dir.path().join("warned.yaml");
    std::fs::write(&warned, case.text).expect("spec written");
    let output = dir.path().join("warned-client").display().to_string();
    let out = oaskit(&[
        "generate",
        "ts-client",
        &warned.display().to_string(),
        "-o",
        &output,
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

/// `oaskit check` does not compare generated code built on a spec with structural errors: it
/// reports `check-generate-skipped` (and the errors themselves), unless `--allow-invalid`.
#[test]
fn check_skips_generated_code_of_a_spec_with_structural_errors() {
    let dir = tempfile::tempdir().expect("a temp dir");
    typo_spec(dir.path());
    std::fs::write(
        dir.path().join("oaskit.toml"),
        "[[specs]]\npath = \"openapi.yaml\"\ngenerate = [{ target = \"ts-client\", output = \"client\" }]\n",
    )
    .expect("config written");
    let out = oaskit_in(dir.path(), &["check", "--format", "json"], None);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let found = rules(&out);
    assert!(
        found.contains(&"check-generate-skipped".to_string())
            && found.contains(&"unknown-field".to_string())
            && !found.contains(&"generated-code-stale".to_string()),
        "{found:?}"
    );
    let out = oaskit_in(
        dir.path(),
        &["check", "--format", "json", "--allow-invalid"],
        None,
    );
    let found = rules(&out);
    assert!(
        found.contains(&"generated-code-stale".to_string())
            && !found.contains(&"check-generate-skipped".to_string()),
        "{found:?}"
    );
}

/// `description` (or `title`, `example`) beside a 3.0 `$ref` is not reported: it loses only its
/// text, and warning about every one (45 of influxdata's 53) would bury the siblings that
/// change the contract, such as the `nullable` of `ref-siblings-30`.
#[test]
fn documentation_beside_a_ref_is_not_a_finding() {
    let case = load_case(&lint_dir().join("ref-siblings-30.patch"));
    let text = case.text.replace(
        "nullable: true  # expect: ref-siblings warning",
        "description: The best friend.",
    );
    assert_ne!(text, case.text);
    let (_dir, spec) = temp_spec("documented.yaml", text.as_bytes());
    let out = oaskit(&["validate", "--format", "json", &spec]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(json(&out)["findings"], serde_json::json!([]));
}
