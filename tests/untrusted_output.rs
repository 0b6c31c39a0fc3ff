//! What oaskit prints and writes cannot be turned against the CI that runs it on a stranger's
//! pull request (issue #10, part B). Reports: spec text that forges GitHub workflow commands
//! (`\n::error ...`, `##[...]`) or carries control characters is escaped in all six formats and
//! on standard error; a spec that cannot be loaded is a `load-error` finding in every format, not
//! an empty report.

mod common;

use common::*;
use serde_json::Value;

/// A spec whose path, operation and example text try to start workflow commands and drive the
/// terminal. It loads, and its findings quote that text.
const FORGERY: &str = r#"openapi: 3.0.3
info: {title: forgery, version: "1"}
paths:
  "/a/{id}\n::error title=Forged::owned\n  ::set-output name=x::y\n##[group]g\n\e[31mred\u202e":
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: integer}
              example: "x\n::error title=Forged::value ##[endgroup]\e]8;;http://x\a"
  "/files/{name}.json\n::error title=Forged::routing":
    get:
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
"#;

const MINIMAL: &str = "openapi: 3.0.3\ninfo: {title: forgery, version: '1'}\npaths: {}\n";

const FORMATS: [&str; 6] = ["text", "json", "github", "junit", "sarif", "markdown"];

/// What the GitHub Actions runner reads as a command: a line that starts with `::` after leading
/// whitespace, or that contains `##[` (actions/runner, ActionCommand.TryParseV2 / TryParse).
fn commands(output: &str) -> Vec<&str> {
    output
        .split(['\n', '\r'])
        .filter(|line| line.trim_start().starts_with("::") || line.contains("##["))
        .collect()
}

/// Characters that must never reach a log raw.
fn raw_controls(output: &str) -> Vec<char> {
    output
        .chars()
        .filter(|&c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{202e}')
        .collect()
}

fn forged_spec() -> (tempfile::TempDir, String) {
    temp_spec("forgery.yaml", FORGERY.as_bytes())
}

#[test]
fn no_output_line_of_any_format_is_a_workflow_command() {
    let (dir, spec) = forged_spec();
    let base = dir.path().join("base.yaml");
    std::fs::write(&base, MINIMAL).unwrap_or_else(|e| panic!("{e}"));
    let base = base.display().to_string();
    let runs = [
        vec!["validate", spec.as_str()],
        vec!["diff", base.as_str(), spec.as_str()],
    ];
    for run in &runs {
        let findings = json(&oaskit(&[run.as_slice(), &["--format", "json"]].concat()))["findings"]
            .as_array()
            .map_or(0, Vec::len);
        assert!(findings >= 2, "{run:?}");
        for format in FORMATS {
            let args = [run.as_slice(), &["--format", format]].concat();
            let out = oaskit(&args);
            assert!(out.code == 1 || out.code == 0, "{args:?}: {}", out.stderr);
            assert!(
                out.stdout.contains("Forged"),
                "{args:?}: the hostile text is reported:\n{}",
                out.stdout
            );
            assert_eq!(raw_controls(&out.stdout), Vec::<char>::new(), "{args:?}");
            assert_eq!(raw_controls(&out.stderr), Vec::<char>::new(), "{args:?}");
            assert_eq!(commands(&out.stderr), Vec::<&str>::new(), "{args:?}");
            if format != "github" {
                assert_eq!(commands(&out.stdout), Vec::<&str>::new(), "{args:?}");
                continue;
            }
            // One command per finding, and nothing else; the forged text is data.
            let lines: Vec<&str> = out.stdout.lines().collect();
            assert_eq!(lines.len(), findings, "{}", out.stdout);
            for line in lines {
                assert!(
                    ["::error ", "::warning ", "::notice "]
                        .iter()
                        .any(|p| line.starts_with(p)),
                    "{line}"
                );
            }
        }
    }
}

#[test]
fn github_annotations_escape_what_the_runner_unescapes() {
    let (_dir, spec) = forged_spec();
    let out = oaskit(&["validate", &spec, "--format", "github"]);
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("example-invalid"))
        .unwrap_or_else(|| panic!("{}", out.stdout));
    // Data: %, CR and LF; the rest is text. The annotation shows the forged line as text.
    assert!(line.contains("%0A::error title=Forged::owned%0A"), "{line}");
    assert!(line.contains("\\u{1b}[31mred\\u{202e}"), "{line}");
    let properties = &line[..line[2..].find("::").map_or(0, |i| i + 2)];
    assert!(properties.contains("title=example-invalid"), "{line}");
}

#[test]
fn control_characters_are_visible_escapes_in_every_format() {
    let (_dir, spec) = forged_spec();
    for format in FORMATS {
        let out = oaskit(&["validate", &spec, "--format", format]);
        let text = if matches!(format, "json" | "sarif") {
            // What a consumer reads after decoding the JSON.
            serde_json::from_str::<Value>(&out.stdout)
                .unwrap_or_else(|e| panic!("{format}: {e}\n{}", out.stdout))
                .to_string()
        } else {
            out.stdout.clone()
        };
        for escaped in ["u{1b}[31mred", "u{202e}"] {
            assert!(text.contains(escaped), "{format}: {escaped} in\n{text}");
        }
    }
    // JSON keeps the text exactly, `##[` included, once decoded.
    let out = oaskit(&["validate", &spec, "--format", "json"]);
    let report = json(&out);
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["message"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        messages.iter().any(|m| m.contains("\n##[group]g\n")),
        "{messages:?}"
    );
}

#[test]
fn standard_error_is_escaped_too() {
    // The rust-server generator reports the unroutable path (spec text) on standard error.
    let (dir, spec) = forged_spec();
    let out_dir = dir.path().join("server").display().to_string();
    // `/a/{id}` declares no `id` (a structural error since #16): generate anyway, and the
    // structural errors go to standard error too, escaped as well.
    let out = oaskit(&[
        "generate",
        "rust-server",
        &spec,
        "-o",
        &out_dir,
        "--allow-invalid",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Forged::routing"), "{}", out.stderr);
    assert_eq!(commands(&out.stderr), Vec::<&str>::new(), "{}", out.stderr);
    // A file name is spec-controlled text as well.
    let named = dir.path().join("x\n::error title=Forged::name\n.yaml");
    std::fs::write(&named, "openapi: [").unwrap_or_else(|e| panic!("{e}"));
    let out = oaskit(&["validate", &named.display().to_string()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("Forged::name"), "{}", out.stderr);
    assert_eq!(commands(&out.stderr), Vec::<&str>::new(), "{}", out.stderr);
    assert_eq!(commands(&out.stdout), Vec::<&str>::new(), "{}", out.stdout);
}

/// The rules of the findings in a report of each format.
fn reported_rules(format: &str, stdout: &str) -> Vec<String> {
    match format {
        "json" => serde_json::from_str::<Value>(stdout)
            .ok()
            .and_then(|v| v["findings"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|f| f["rule"].as_str().map(str::to_string))
            .collect(),
        "sarif" => serde_json::from_str::<Value>(stdout)
            .ok()
            .and_then(|v| v["runs"][0]["results"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|f| f["ruleId"].as_str().map(str::to_string))
            .collect(),
        "github" => stdout
            .lines()
            .filter_map(|l| l.split("title=").nth(1))
            .map(|t| t.split([',', ':']).next().unwrap_or_default().to_string())
            .collect(),
        "junit" => stdout
            .split("<failure type=\"")
            .skip(1)
            .map(|t| t.split('"').next().unwrap_or_default().to_string())
            .collect(),
        // Rows of the findings tables; the summary table's rows (`| `rule` | 1 | 0 | 0 |`) count.
        "markdown" => stdout
            .lines()
            .filter(|l| l.starts_with("| `"))
            .filter(|l| {
                l.split('|')
                    .nth(2)
                    .is_none_or(|c| c.trim().parse::<usize>().is_err())
            })
            .map(|l| l[3..].split('`').next().unwrap_or_default().to_string())
            .collect(),
        // text: `  [line:col  ]level  rule  message`
        _ => stdout
            .lines()
            .filter_map(|l| {
                let parts: Vec<&str> = l.split("  ").collect();
                let level = parts
                    .iter()
                    .position(|p| ["error", "warning", "info"].contains(p))?;
                parts.get(level + 1).map(|r| (*r).to_string())
            })
            .collect(),
    }
}

#[test]
fn a_spec_that_cannot_be_loaded_is_a_load_error_in_every_format() {
    let (dir, broken) = temp_spec("broken.yaml", b"openapi: 3.0.3\ninfo: [\n");
    let config = dir.path().join("oaskit.toml");
    std::fs::write(&config, "[[specs]]\npath = 3\n").unwrap_or_else(|e| panic!("{e}"));
    let config = config.display().to_string();
    let runs: [Vec<&str>; 5] = [
        vec!["validate", "no/such/spec.yaml"],
        vec!["validate", &broken],
        vec!["diff", "specs/petstore.yaml", "no/such/spec.yaml"],
        vec!["check", "--config", &config],
        vec![
            "probe",
            "no/such/spec.yaml",
            "--base-url",
            "http://127.0.0.1:9",
        ],
    ];
    for run in &runs {
        for format in FORMATS {
            let mut args = run.clone();
            args.extend(["--format", format]);
            let out = oaskit(&args);
            assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
            assert!(out.stderr.contains("error"), "{args:?}: {}", out.stderr);
            let rules = reported_rules(format, &out.stdout);
            assert_eq!(
                rules,
                ["load-error"],
                "{args:?}: the report says why:\n{}",
                out.stdout
            );
            assert!(!out.stdout.contains("no findings"), "{args:?}");
            assert!(!out.stdout.contains("No findings"), "{args:?}");
        }
    }
    // The finding points where the parser stopped.
    let out = oaskit(&["validate", &broken, "--format", "json"]);
    let location = &json(&out)["findings"][0]["location"];
    assert!(
        location["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("broken.yaml")),
        "{location}"
    );
    assert!(location["line"].is_number(), "{location}");
}

// Safe writes (issue #10 item 7): the output directory may come from the pull request too.

const PETSTORE: &str = "specs/petstore.yaml";

fn generate(out: &std::path::Path, extra: &[&str]) -> Outcome {
    let out = out.display().to_string();
    let mut args = vec!["generate", "ts-client", PETSTORE, "-o", out.as_str()];
    args.extend_from_slice(extra);
    oaskit(&args)
}

/// Every path under `dir` (hidden files too) with its contents; links shown as their target.
fn tree(dir: &std::path::Path) -> Vec<(String, String)> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            match entry.file_type() {
                Ok(t) if t.is_symlink() => out.push((
                    rel,
                    format!(
                        "-> {}",
                        std::fs::read_link(&path).unwrap_or_default().display()
                    ),
                )),
                Ok(t) if t.is_dir() => {
                    out.push((format!("{rel}/"), String::new()));
                    walk(root, &path, out);
                }
                _ => out.push((rel, std::fs::read_to_string(&path).unwrap_or_default())),
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[cfg(unix)]
#[test]
fn generation_never_writes_through_a_committed_symbolic_link() {
    let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let secret = outside.path().join("secret");
    std::fs::write(&secret, "keep").unwrap_or_else(|e| panic!("{e}"));

    // A link named like the temporary file of earlier versions: not used, not followed.
    let repo = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = repo.path().join("client");
    std::fs::create_dir_all(out.join("src")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&secret, out.join("src/.models.ts.oaskit-tmp"))
        .unwrap_or_else(|e| panic!("{e}"));
    let result = generate(&out, &[]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(std::fs::read_to_string(&secret).unwrap_or_default(), "keep");

    // A linked `src/` (or a linked file) under the output directory: exit 2, nothing changes.
    for link in ["src", "src/models.ts"] {
        let repo = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = repo.path().join("client");
        std::fs::create_dir_all(out.join("src")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(out.join("package.json"), "old").unwrap_or_else(|e| panic!("{e}"));
        let target = if link == "src" {
            std::fs::remove_dir(out.join("src")).unwrap_or_else(|e| panic!("{e}"));
            outside.path().to_path_buf()
        } else {
            secret.clone()
        };
        std::os::unix::fs::symlink(&target, out.join(link)).unwrap_or_else(|e| panic!("{e}"));
        let before = tree(repo.path());
        let outside_before = tree(outside.path());
        let result = generate(&out, &[]);
        assert_eq!(result.code, 2, "{link}: {}", result.stderr);
        assert!(result.stderr.contains("symbolic link"), "{}", result.stderr);
        assert_eq!(
            tree(repo.path()),
            before,
            "{link}: nothing under the output changes"
        );
        assert_eq!(
            tree(outside.path()),
            outside_before,
            "{link}: nothing outside changes"
        );
    }
}

#[test]
fn a_write_that_fails_half_way_changes_nothing_and_leaves_no_temporary_file() {
    let repo = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = repo.path().join("client");
    // package.json and src/client.ts come before src/models.ts, which cannot be written.
    std::fs::create_dir_all(out.join("src/models.ts")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(out.join("package.json"), "old").unwrap_or_else(|e| panic!("{e}"));
    let before = tree(repo.path());
    let result = generate(&out, &[]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert_eq!(tree(repo.path()), before);
}

#[test]
fn files_no_longer_generated_are_removed() {
    let repo = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = repo.path().join("client");
    std::fs::create_dir_all(out.join("src")).unwrap_or_else(|e| panic!("{e}"));
    let legacy = "// generated by oaskit from specs/old.yaml, do not edit\nexport {};\n";
    std::fs::write(out.join("src/legacy.ts"), legacy).unwrap_or_else(|e| panic!("{e}"));
    let mine = "// my code, next to what oaskit generated\nexport {};\n";
    std::fs::write(out.join("src/mine.ts"), mine).unwrap_or_else(|e| panic!("{e}"));
    let check = generate(&out, &["--check"]);
    assert_eq!(check.code, 1);
    assert!(
        check.stdout.contains("no longer generated"),
        "{}",
        check.stdout
    );
    let result = generate(&out, &[]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(result.stderr.contains("removed 1"), "{}", result.stderr);
    assert!(!out.join("src/legacy.ts").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("src/mine.ts")).unwrap_or_default(),
        mine
    );
    assert_eq!(generate(&out, &["--check"]).code, 0);
}

/// Runs oaskit, killing it after `seconds` (a read that blocks must fail the test, not hang it).
#[cfg(unix)]
fn oaskit_within(seconds: u64, args: &[&str]) -> Option<(i32, String)> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_oaskit"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    // Standard output is drained as it comes: a full pipe would block the child.
    let mut pipe = child
        .stdout
        .take()
        .unwrap_or_else(|| panic!("stdout is piped"));
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
        text
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while std::time::Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            let stdout = reader.join().unwrap_or_default();
            return Some((status.code().unwrap_or(-1), stdout));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[cfg(unix)]
#[test]
fn check_never_reads_through_links_fifos_or_whole_huge_files() {
    let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(outside.path().join("token"), "TOKEN-4242").unwrap_or_else(|e| panic!("{e}"));
    let repo = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = repo.path().join("client");
    assert_eq!(generate(&out, &[]).code, 0);
    // models.ts is a link to a secret, index.ts a FIFO, client.ts 8 MB, tsconfig.json binary.
    std::fs::remove_file(out.join("src/models.ts")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(outside.path().join("token"), out.join("src/models.ts"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_file(out.join("src/index.ts")).unwrap_or_else(|e| panic!("{e}"));
    let fifo = std::process::Command::new("mkfifo")
        .arg(out.join("src/index.ts"))
        .status()
        .is_ok_and(|s| s.success());
    std::fs::write(out.join("src/client.ts"), "x".repeat(8 << 20))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(out.join("tsconfig.json"), b"\x7fELF\x00\x00").unwrap_or_else(|e| panic!("{e}"));
    // A stale generated file whose name forges a workflow command.
    std::fs::write(
        out.join("src/x\n::error title=Forged::stale.ts"),
        "// generated by oaskit from a.yaml, do not edit\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out_arg = out.display().to_string();
    let (code, stdout) = oaskit_within(
        60,
        &["generate", "ts-client", PETSTORE, "-o", &out_arg, "--check"],
    )
    .unwrap_or_else(|| panic!("--check hung"));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        !stdout.contains("TOKEN-4242"),
        "read through the link:\n{stdout}"
    );
    assert!(stdout.contains("symbolic link"), "{stdout}");
    if fifo {
        assert!(stdout.contains("not a regular file"), "{stdout}");
    }
    assert!(stdout.contains("not a text file"), "{stdout}");
    assert!(stdout.len() < 4 << 20, "bounded: {} bytes", stdout.len());
    assert!(stdout.contains("Forged::stale"), "{stdout}");
    assert_eq!(commands(&stdout), Vec::<&str>::new());
}

/// The spec path in generated headers is relative to the repository's top: the same spec named
/// three ways generates the same bytes, so `--check` in CI does not depend on how a developer
/// spelled the path (`./specs/x.yaml` made every header differ).
#[test]
fn generated_headers_name_the_spec_from_the_repository_top() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = repo_path("");
    let tests_dir = repo_path("tests");
    let spellings: [(&std::path::Path, &str); 3] = [
        (&root, "specs/petstore.yaml"),
        (&root, "./specs/./petstore.yaml"),
        (&tests_dir, "../specs/petstore.yaml"),
    ];
    let mut trees = Vec::new();
    for (i, (dir, spec)) in spellings.iter().enumerate() {
        let target = out.path().join(i.to_string());
        let target_arg = target.display().to_string();
        let result = oaskit_in(
            dir,
            &["generate", "ts-client", spec, "-o", &target_arg],
            None,
        );
        assert_eq!(result.code, 0, "{spec}: {}", result.stderr);
        trees.push(tree(&target));
    }
    assert_eq!(trees[0], trees[1], "./ and . spelled out");
    assert_eq!(trees[0], trees[2], "from a subdirectory");
    let header = std::fs::read_to_string(out.path().join("0/src/client.ts")).unwrap_or_default();
    assert!(
        header.starts_with("// generated by oaskit from specs/petstore.yaml, do not edit"),
        "{header}"
    );
}
