//! The CLI contract: sources, formats, exit codes, and the structural rules of `validate`.

mod common;

use common::*;

const BROKEN: &str = r#"openapi: 3.0.3
info:
  title: Broken
  version: "1"
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: integer}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: string
                pattern: "[unclosed"
  /pets/{id}:
    get:
      operationId: getPet
      security:
        - nope: []
      responses:
        "200": {description: ok}
"#;

#[test]
fn shipped_specs_are_clean() {
    for spec in [
        "specs/petstore.yaml",
        "specs/petstore-v2-compatible.yaml",
        "specs/petstore-v2-breaking.yaml",
    ] {
        let out = oaskit(&["validate", spec]);
        assert_eq!(out.code, 0, "{spec}: {}{}", out.stdout, out.stderr);
        assert!(out.stdout.contains("no findings"), "{}", out.stdout);
    }
}

#[test]
fn multi_file_specs_with_cross_file_cycles_load() {
    let out = oaskit(&[
        "validate",
        "--format",
        "json",
        &fixture("multi/openapi.yaml"),
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn stdin_is_a_source() {
    let spec = std::fs::read(repo_path("specs/petstore.yaml")).expect("petstore");
    let out = oaskit_stdin(&["validate", "-"], &spec);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = oaskit_stdin(&["validate", "--format", "json", "-"], BROKEN.as_bytes());
    assert_eq!(out.code, 1);
    assert_eq!(json(&out)["findings"][0]["location"]["file"], "<stdin>");
}

#[test]
fn git_revisions_are_a_source() {
    let dir = tempfile::tempdir().expect("temp dir");
    let git = |args: &[&str]| git(dir.path(), args);
    git(&["init", "-q"]);
    std::fs::create_dir_all(dir.path().join("api/schemas")).expect("mkdir");
    std::fs::write(
        dir.path().join("api/openapi.yaml"),
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'schemas/a.yaml'}\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("api/schemas/a.yaml"), "type: string\n").expect("write");
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "v1"]);
    // Break the working tree: the revision must still be read from git.
    std::fs::write(dir.path().join("api/schemas/a.yaml"), "type: [").expect("write");
    let out = oaskit_in(dir.path(), &["validate", "HEAD:api/openapi.yaml"], None);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let out = oaskit_in(dir.path(), &["validate", "HEAD:api/missing.yaml"], None);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("HEAD:api/missing.yaml"),
        "{}",
        out.stderr
    );
}

#[test]
fn structural_rules_fire_with_locations() {
    let (_d, p) = temp_spec("broken.yaml", BROKEN.as_bytes());
    let out = oaskit(&["validate", "--format", "json", &p]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let mut found = rules(&out);
    found.sort();
    assert_eq!(
        found,
        vec![
            "duplicate-operation-id",
            "duplicate-path",
            "invalid-pattern",
            "path-parameter-undeclared",
            "path-parameter-unused",
            "security-scheme-undefined",
        ]
    );
    let doc = json(&out);
    let pattern = doc["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["rule"] == "invalid-pattern"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(pattern["location"]["line"], 21);
    assert_eq!(
        pattern["location"]["pointer"],
        "/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema/pattern"
    );
    // `id` against `{petId}` is one mistake (a rename), reported once at the parameter.
    assert_eq!(doc["summary"]["error"], 6);
}

#[test]
fn every_format_renders() {
    let (_d, p) = temp_spec("broken.yaml", BROKEN.as_bytes());
    for format in ["text", "json", "github", "junit", "sarif", "markdown"] {
        let out = oaskit(&["validate", "--format", format, &p]);
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        assert!(
            out.stdout.contains("duplicate-operation-id"),
            "{format}: {}",
            out.stdout
        );
    }
    let sarif: serde_json::Value =
        serde_json::from_str(&oaskit(&["validate", "--format", "sarif", &p]).stdout)
            .expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let github = oaskit(&["validate", "--format", "github", &p]).stdout;
    assert!(github.lines().all(|l| l.starts_with("::error ")
        || l.starts_with("::warning ")
        || l.starts_with("::notice ")));
}

#[test]
fn text_output_shows_the_source_line() {
    let (_d, p) = temp_spec("broken.yaml", BROKEN.as_bytes());
    let out = oaskit(&["validate", &p]);
    assert!(
        out.stdout.contains("pattern: \"[unclosed\""),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains('\u{1b}'),
        "no colour when NO_COLOR is set"
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    let text = "openapi: 3.5.0\ninfo: {title: t, version: '1'}\npaths: {}\n"; // a warning only
    let (_d, p) = temp_spec("w.yaml", text.as_bytes());
    assert_eq!(oaskit(&["validate", &p]).code, 0);
    assert_eq!(oaskit(&["validate", "--fail-on", "warning", &p]).code, 1);
    assert_eq!(oaskit(&["validate", "--fail-on", "info", &p]).code, 1);
    let (_d2, broken) = temp_spec("broken.yaml", BROKEN.as_bytes());
    assert_eq!(oaskit(&["validate", "--fail-on", "never", &broken]).code, 0);
}

#[test]
fn bad_flags_exit_2_and_help_exits_0() {
    assert_eq!(
        oaskit(&["validate", "--format", "yaml", "specs/petstore.yaml"]).code,
        2
    );
    assert_eq!(oaskit(&["validate"]).code, 2);
    assert_eq!(oaskit(&["frobnicate"]).code, 2);
    assert_eq!(oaskit(&["--help"]).code, 0);
    assert_eq!(oaskit(&["--version"]).code, 0);
}

#[test]
fn several_specs_report_together_and_a_bad_one_makes_exit_2() {
    let (_d, broken) = temp_spec("broken.yaml", BROKEN.as_bytes());
    let out = oaskit(&[
        "validate",
        "--format",
        "json",
        "specs/petstore.yaml",
        &broken,
    ]);
    assert_eq!(out.code, 1);
    let out = oaskit(&[
        "validate",
        "--format",
        "json",
        "specs/petstore.yaml",
        "nope.yaml",
    ]);
    assert_eq!(out.code, 2);
    // The readable spec is still reported, and the unreadable one is a finding.
    let report = json(&out);
    assert_eq!(report["summary"]["error"], 1, "{report}");
    assert_eq!(report["findings"][0]["rule"], "load-error");
    assert!(
        report["findings"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("nope.yaml")),
        "{report}"
    );
}

#[test]
fn output_is_deterministic() {
    let (_d, p) = temp_spec("broken.yaml", BROKEN.as_bytes());
    let a = oaskit(&["validate", "--format", "json", &p]).stdout;
    let b = oaskit(&["validate", "--format", "json", &p]).stdout;
    assert_eq!(a, b);
}

/// `oaskit … | head`: a reader that stops early is not a crash (no panic, exit code not 101).
#[test]
fn a_closed_stdout_is_not_a_panic() {
    for args in [
        &["diff", "--list-rules"][..],
        &["validate", "--format", "json", "specs/petstore.yaml"][..],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_oaskit"))
            .args(args)
            .current_dir(repo_path(""))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs oaskit");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("waits");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
}
