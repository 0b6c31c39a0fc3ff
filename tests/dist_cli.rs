//! The conventions of a CLI people already know: `--version` with the commit, shell
//! completions, man pages, the config schema command, `generate` with no target writing every
//! configured output, and `check --base` overriding the configured bases.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

#[test]
fn version_names_the_commit() {
    let out = oaskit(&["--version"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = out.stdout.trim();
    let expected = format!("oaskit {} (", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(&expected), "{line}");
    let commit = line
        .trim_start_matches(&expected)
        .trim_end_matches(')')
        .to_string();
    // Built from this repository's work tree, so the commit is known: 12 hex digits.
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if let Some(head) = head {
        assert_eq!(commit.len(), 12, "{line}");
        assert!(commit.chars().all(|c| c.is_ascii_hexdigit()), "{line}");
        // A commit made since the last build may be newer; the recorded one is in history.
        let known = Command::new("git")
            .args(["cat-file", "-e", &format!("{commit}^{{commit}}")])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(
            known,
            "{commit} is not a commit of this repository (HEAD {head})"
        );
    }
}

#[test]
fn completions_cover_every_command_in_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = oaskit(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        for word in [
            "validate",
            "generate",
            "diff",
            "probe",
            "check",
            "config-schema",
            "fail-on",
            "rust-server",
        ] {
            assert!(out.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    let out = oaskit(&["completions", "tcsh"]);
    assert_eq!(out.code, 2);
}

#[test]
fn bash_accepts_the_completion_script() {
    let out = oaskit(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let script = dir.path().join("oaskit.bash");
    std::fs::write(&script, &out.stdout).unwrap_or_else(|e| panic!("{e}"));
    // Sourcing defines the function and registers it; asking it to complete `oaskit gen`
    // offers `generate`.
    let probe = format!(
        "source {}; COMP_WORDS=(oaskit gen); COMP_CWORD=1; _oaskit oaskit gen oaskit; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let Ok(result) = Command::new("bash").args(["-c", &probe]).output() else {
        return; // no bash on this machine: the script's content is checked above
    };
    let offered = String::from_utf8_lossy(&result.stdout);
    assert!(
        offered.lines().any(|l| l == "generate"),
        "{offered}{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

#[test]
fn man_pages_document_every_command() {
    let out = oaskit(&["man"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(".TH oaskit 1"), "{}", out.stdout);
    assert!(out.stdout.contains("oaskit\\-check(1)"), "{}", out.stdout);

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pages = dir.path().join("man1");
    let out = oaskit(&["man", "--output", &pages.display().to_string()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for command in ["validate", "generate", "diff", "probe", "check"] {
        let page = std::fs::read_to_string(pages.join(format!("oaskit-{command}.1")))
            .unwrap_or_else(|e| panic!("oaskit-{command}.1: {e}"));
        assert!(page.contains(&format!(".TH oaskit-{command} 1")), "{page}");
        assert!(page.contains("\\-\\-help"), "{page}");
    }
    let check = std::fs::read_to_string(pages.join("oaskit-check.1")).unwrap_or_default();
    assert!(check.contains("\\-\\-base"), "{check}");
}

#[test]
fn config_schema_prints_the_committed_schema() {
    let out = oaskit(&["config-schema"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let committed = std::fs::read_to_string(repo_path("oaskit.schema.json")).unwrap_or_default();
    assert_eq!(out.stdout, committed);
}

/// The number of files in the tree `dir`.
fn file_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|entry| {
            if entry.path().is_dir() {
                file_count(&entry.path())
            } else {
                1
            }
        })
        .sum()
}

/// A project with the petstore and an oaskit.toml generating both targets.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir.path().join("api")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(
        repo_path("specs/petstore.yaml"),
        dir.path().join("api/openapi.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("oaskit.toml"),
        "[[specs]]\npath = \"api/openapi.yaml\"\ngenerate = [\n  \
         { target = \"ts-client\", output = \"web/client\" },\n  \
         { target = \"rust-server\", output = \"server\" },\n]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn generate_without_a_target_writes_every_configured_output() {
    let dir = project();
    // From a subdirectory: the config is found upwards, paths are relative to it.
    let sub = dir.path().join("api");
    let out = oaskit_in(&sub, &["generate"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("wrote 11 of 11 files to web/client"),
        "{}",
        out.stderr
    );
    // As many files as the committed server generated from the same spec.
    let server_files = file_count(&repo_path("generated/rust-server"));
    assert!(
        out.stderr.contains(&format!(
            "wrote {server_files} of {server_files} files to server"
        )),
        "{}",
        out.stderr
    );
    let client = std::fs::read_to_string(dir.path().join("web/client/src/client.ts"))
        .unwrap_or_else(|e| panic!("{e}"));
    let committed = std::fs::read_to_string(repo_path("generated/ts-client/src/client.ts"))
        .unwrap_or_else(|e| panic!("{e}"));
    // The same client as the committed one but for the spec path in the header.
    assert_eq!(
        client.lines().skip(1).collect::<Vec<_>>(),
        committed.lines().skip(1).collect::<Vec<_>>()
    );
    assert!(dir.path().join("server/src/server.rs").is_file());

    let out = oaskit_in(dir.path(), &["generate", "--check"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);

    std::fs::write(dir.path().join("server/src/models.rs"), "// edited\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = oaskit_in(dir.path(), &["generate", "--check"], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("server is out of date"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("web/client is up to date"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("-// edited"), "{}", out.stdout);

    let out = oaskit_in(
        dir.path(),
        &["generate", "--config", "oaskit.toml", "--check"],
        None,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[test]
fn generate_without_a_target_or_a_config_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = oaskit_in(dir.path(), &["generate"], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no oaskit.toml"), "{}", out.stderr);
    assert!(
        out.stderr.contains("oaskit generate ts-client SPEC -o DIR"),
        "{}",
        out.stderr
    );

    std::fs::write(
        dir.path().join("oaskit.toml"),
        "[[specs]]\npath = \"a.yaml\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = oaskit_in(dir.path(), &["generate"], None);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no spec has a `generate` entry"),
        "{}",
        out.stderr
    );

    // A target needs its spec and output; --config belongs to the configured form.
    let out = oaskit_in(dir.path(), &["generate", "ts-client"], None);
    assert_eq!(out.code, 2);
    let out = oaskit_in(
        dir.path(),
        &[
            "generate",
            "ts-client",
            "a.yaml",
            "-o",
            "x",
            "--config",
            "oaskit.toml",
        ],
        None,
    );
    assert_eq!(out.code, 2);
}

#[test]
fn a_template_override_that_replaces_nothing_is_an_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(templates.join("clent.ts.hbs"), "{{header}}\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = oaskit_in(
        dir.path(),
        &[
            "generate",
            "ts-client",
            &repo_path("specs/petstore.yaml").display().to_string(),
            "-o",
            "out",
            "--templates",
            "templates",
        ],
        None,
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean client.ts.hbs?"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn check_base_overrides_the_configured_base() {
    let dir = project();
    git(dir.path(), &["init", "-q"]);
    // The generated code is not the point here.
    std::fs::write(
        dir.path().join("oaskit.toml"),
        "[[specs]]\npath = \"api/openapi.yaml\"\nbase = \"HEAD\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "v1"]);
    git(dir.path(), &["branch", "v1"]);
    std::fs::copy(
        repo_path("specs/petstore-v2-breaking.yaml"),
        dir.path().join("api/openapi.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    git(dir.path(), &["commit", "-q", "-am", "v2"]);

    // The configured base (HEAD) is the breaking revision itself: nothing to report.
    let out = oaskit_in(dir.path(), &["check"], None);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // Against the branch the pull request targets, the price break fails the gate.
    let out = oaskit_in(
        dir.path(),
        &["check", "--base", "v1", "--format", "json"],
        None,
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(rules(&out).contains(&"response-property-type-changed".to_string()));
    // A file named on the command line is relative to the working directory.
    let old = dir.path().join("old.yaml");
    std::fs::copy(repo_path("specs/petstore.yaml"), &old).unwrap_or_else(|e| panic!("{e}"));
    let out = oaskit_in(
        &dir.path().join("api"),
        &["check", "--base", "../old.yaml"],
        None,
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    // A revision that does not exist is an error, not a silent pass.
    let out = oaskit_in(dir.path(), &["check", "--base", "no-such-branch"], None);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
}

/// A repository whose oaskit project lives in `api/`, with a spec that has an invalid example.
fn nested_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let api = dir.path().join("api");
    std::fs::create_dir_all(dir.path().join(".git")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(api.join("specs")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        api.join("oaskit.toml"),
        "[[specs]]\npath = \"specs/api.yaml\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        api.join("specs/api.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
         responses:\n        '200':\n          description: ok\n          content:\n            \
         application/json:\n              schema: {type: integer}\n              example: x\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// `oaskit check` in `dir` with `GITHUB_WORKSPACE` set to `workspace` (or unset).
fn check_in(dir: &Path, format: &str, workspace: Option<&Path>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oaskit"));
    command
        .args(["check", "--format", format])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_WORKSPACE");
    if let Some(workspace) = workspace {
        command.env("GITHUB_WORKSPACE", workspace);
    }
    let out = command.output().unwrap_or_else(|e| panic!("oaskit: {e}"));
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// GitHub places annotations and code-scanning results by repository-relative paths: `check`
/// found oaskit.toml by an absolute path and reported every file by it (#14, #15).
#[test]
fn check_reports_files_relative_to_the_repository() {
    let dir = nested_project();
    let root = dir.path();
    let api = root.join("api");
    let abs = root.display().to_string();
    for workspace in [None, Some(root)] {
        let github = check_in(&api, "github", workspace);
        assert!(github.contains("file=api/specs/api.yaml,"), "{github}");
        assert!(!github.contains(&abs), "{github}");
        let sarif = check_in(&api, "sarif", workspace);
        let log: serde_json::Value = serde_json::from_str(&sarif).unwrap_or_default();
        let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"];
        assert_eq!(uri, "api/specs/api.yaml", "{sarif}");
        assert!(!sarif.contains(&abs), "{sarif}");
    }
    // The other formats name files as the user would from the working directory.
    let json = check_in(&api, "json", None);
    let findings: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(
        findings["findings"][0]["location"]["file"], "specs/api.yaml",
        "{json}"
    );
}
