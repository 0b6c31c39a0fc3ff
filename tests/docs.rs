//! Every code block of README.md and docs/*.md is run or compiled, so none can go stale:
//!
//! - `sh`: each command runs (the `oaskit` under test first on PATH; `npx oaskit` runs it too,
//!   the npm route itself is proven by .ci/dist.sh) in a sandbox git repository holding this
//!   repository's specs/, generated/ and oaskit.toml, plus `openapi.yaml` and `api.yaml` (the
//!   petstore) and an `origin/main` ref. Exit 0 or 1 (findings) pass; 2, a crash or an unknown
//!   command fail.
//! - `toml`: parsed; an `oaskit.toml` (with `[[specs]]`) must be accepted by the config parser
//!   and the JSON Schema; a Cargo manifest must be a file of this repository (see below).
//! - `yaml`: parsed; a workflow's `oaskit/oaskit` steps may only use inputs action.yml declares,
//!   a pre-commit config only hooks .pre-commit-hooks.yaml declares, an OpenAPI document must
//!   validate.
//! - `rust` and Cargo manifests: the block follows `<!-- docs-test: file PATH -->` and is that
//!   file's content (or a part of it), and the file is compiled by `cargo test --workspace`.
//! - `ts`: compiled with `tsc --strict --noEmit` beside the committed petstore client, which the
//!   blocks import as `./client/src/index.js`.
//! - `json`: parsed.
//!
//! A block that cannot run here says why just above it: `<!-- docs-test: skip REASON -->`
//! (network installs, the test command itself); the test lists them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_dir, git, repo_path};

struct Block {
    file: String,
    line: usize,
    lang: String,
    text: String,
    /// The `<!-- docs-test: ... -->` directive just above the fence.
    directive: Option<String>,
}

impl Block {
    fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

fn doc_files() -> Vec<PathBuf> {
    let mut files = vec![repo_path("README.md")];
    if let Ok(entries) = std::fs::read_dir(repo_path("docs")) {
        let mut docs: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        docs.sort();
        files.extend(docs);
    }
    files
}

fn blocks() -> Vec<Block> {
    let mut all = Vec::new();
    for path in doc_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let file = path
            .strip_prefix(repo_path(""))
            .unwrap_or(&path)
            .display()
            .to_string();
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let Some(fence_lang) = lines[i].trim_start().strip_prefix("```") else {
                i += 1;
                continue;
            };
            let lang = fence_lang.trim().to_string();
            let directive = (i > 0)
                .then(|| lines[i - 1].trim())
                .and_then(|l| l.strip_prefix("<!-- docs-test:"))
                .and_then(|l| l.strip_suffix("-->"))
                .map(|d| d.trim().to_string());
            let start = i;
            let mut body = Vec::new();
            i += 1;
            while i < lines.len() && lines[i].trim_start() != "```" {
                body.push(lines[i]);
                i += 1;
            }
            i += 1;
            let mut text = body.join("\n");
            text.push('\n');
            all.push(Block {
                file: file.clone(),
                line: start + 1,
                lang,
                text,
                directive,
            });
        }
    }
    all
}

fn skip_reason(block: &Block) -> Option<&str> {
    block
        .directive
        .as_deref()
        .and_then(|d| d.strip_prefix("skip"))
        .map(str::trim)
}

fn shown_file(block: &Block) -> Option<PathBuf> {
    block
        .directive
        .as_deref()
        .and_then(|d| d.strip_prefix("file"))
        .map(|p| repo_path(p.trim()))
}

/// The blocks of one language that are not skipped (a skip without a reason is an error).
fn runnable(lang: &[&str]) -> Vec<Block> {
    blocks()
        .into_iter()
        .filter(|b| lang.contains(&b.lang.as_str()))
        .filter(|b| match skip_reason(b) {
            Some("") => panic!("{}: a skipped block must say why", b.at()),
            Some(_) => false,
            None => true,
        })
        .collect()
}

#[test]
fn every_block_has_a_known_language() {
    let known = [
        "sh", "toml", "yaml", "rust", "ts", "json", "text", "console",
    ];
    let mut problems = Vec::new();
    let mut skipped = Vec::new();
    for block in blocks() {
        if !known.contains(&block.lang.as_str()) {
            problems.push(format!(
                "{}: block without a known language (`{}`): say sh, toml, yaml, rust, ts, json \
                 or text",
                block.at(),
                block.lang
            ));
        }
        if let Some(reason) = skip_reason(&block) {
            skipped.push(format!("{} ({}): {reason}", block.at(), block.lang));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!("blocks not run here:\n  {}", skipped.join("\n  "));
}

/// A git repository laid out as the docs' examples assume.
fn sandbox() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    copy_dir(&repo_path("specs"), &root.join("specs"));
    copy_dir(&repo_path("generated"), &root.join("generated"));
    for (from, to) in [
        ("oaskit.toml", "oaskit.toml"),
        ("specs/petstore.yaml", "openapi.yaml"),
        ("specs/petstore.yaml", "api.yaml"),
    ] {
        std::fs::copy(repo_path(from), root.join(to)).unwrap_or_else(|e| panic!("{from}: {e}"));
    }
    std::fs::create_dir_all(root.join("my-templates")).unwrap_or_else(|e| panic!("{e}"));
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "."],
        &["commit", "-q", "-m", "base"],
        &["update-ref", "refs/remotes/origin/main", "HEAD"],
    ] {
        git(root, args);
    }
    dir
}

/// The commands of a shell block: comments and blank lines dropped, `\` continuations joined.
fn commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
            continue;
        }
        current.push_str(trimmed);
        out.push(std::mem::take(&mut current));
    }
    out
}

#[test]
fn shell_blocks_run() {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_oaskit"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures = Vec::new();
    let mut ran = 0;
    for block in runnable(&["sh"]) {
        let dir = sandbox();
        for command in commands(&block.text) {
            // `npx oaskit ...` is `oaskit ...` here (.ci/dist.sh installs the npm package).
            let script = format!("npx() {{ \"$@\"; }}\n{command}\n");
            let out = Command::new("bash")
                .args(["-c", &script])
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("NO_COLOR", "1")
                .output()
                .unwrap_or_else(|e| panic!("bash: {e}"));
            ran += 1;
            let code = out.status.code();
            if !matches!(code, Some(0 | 1)) {
                failures.push(format!(
                    "{}: `{command}` exited {code:?}\n{}{}",
                    block.at(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(ran >= 10, "only {ran} commands ran");
}

#[test]
fn toml_blocks_parse_and_configs_are_accepted() {
    let schema = oaskit::check::config_schema::config_schema();
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    for block in runnable(&["toml"]) {
        let value: toml::Value = match toml::from_str(&block.text) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{}: not TOML: {e}", block.at()));
                continue;
            }
        };
        if block.text.contains("[[specs]]") {
            if let Err(e) = oaskit::check::CheckConfig::parse(&block.text, Path::new("oaskit.toml"))
            {
                failures.push(format!("{}: the config parser refuses it: {e}", block.at()));
            }
            let json = serde_json::to_value(&value).unwrap_or_default();
            if !validator.is_valid(&json) {
                failures.push(format!("{}: oaskit.schema.json refuses it", block.at()));
            }
        } else if block.directive.is_none() && block.text.contains("[rules]") {
            // A `[rules]` section of oaskit.toml, shown alone.
            let whole = format!("{}\n[[specs]]\npath = \"a.yaml\"\n", block.text);
            if let Err(e) = oaskit::check::CheckConfig::parse(&whole, Path::new("oaskit.toml")) {
                failures.push(format!("{}: the config parser refuses it: {e}", block.at()));
            }
        } else if block.directive.is_none() && block.text.contains("[diff") {
            // A `[diff]` section or an ignore file (`oaskit diff --ignore FILE`).
            if let Err(e) = oaskit::rules::DiffConfig::from_toml(&block.text, "block", false) {
                failures.push(format!("{}: not a diff configuration: {e}", block.at()));
            }
        } else if let Some(problem) = check_shown_file(&block) {
            failures.push(problem);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A block that shows a file of this repository (a Cargo manifest, Rust code) must be in it.
fn check_shown_file(block: &Block) -> Option<String> {
    let Some(path) = shown_file(block) else {
        return Some(format!(
            "{}: a {} block must show a compiled file: put `<!-- docs-test: file PATH -->` above it",
            block.at(),
            block.lang
        ));
    };
    let content = std::fs::read_to_string(&path).unwrap_or_default();
    (!content.contains(block.text.trim_end())).then(|| {
        format!(
            "{}: the block is not (a part of) {} any more: copy the file's text",
            block.at(),
            path.display()
        )
    })
}

#[test]
fn rust_blocks_are_compiled_files() {
    let failures: Vec<String> = runnable(&["rust"])
        .iter()
        .filter_map(check_shown_file)
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn yaml(text: &str) -> Result<serde_json::Value, String> {
    oaskit::load::parse::parse_document(text.as_bytes())
        .map(|d| d.root)
        .map_err(|e| e.to_string())
}

#[test]
fn yaml_blocks_parse_and_use_what_exists() {
    let action = yaml(&std::fs::read_to_string(repo_path("action.yml")).unwrap_or_default())
        .unwrap_or_else(|e| panic!("action.yml: {e}"));
    let inputs: Vec<String> = action["inputs"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    // A YAML sequence, which the OpenAPI loader does not take: its `- id:` lines are enough.
    let hook_ids: Vec<String> = std::fs::read_to_string(repo_path(".pre-commit-hooks.yaml"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix("- id:"))
        .map(|id| id.trim().to_string())
        .collect();
    let mut failures = Vec::new();
    for block in runnable(&["yaml"]) {
        let doc = match yaml(&block.text) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{}: not YAML: {e}", block.at()));
                continue;
            }
        };
        if let Some(jobs) = doc["jobs"].as_object() {
            for step in jobs
                .values()
                .flat_map(|j| j["steps"].as_array().into_iter().flatten())
            {
                let uses = step["uses"].as_str().unwrap_or_default();
                if !uses.starts_with("oaskit/oaskit@") {
                    continue;
                }
                for key in step["with"].as_object().into_iter().flat_map(|w| w.keys()) {
                    if !inputs.contains(key) {
                        failures.push(format!("{}: action.yml has no input `{key}`", block.at()));
                    }
                }
            }
        } else if let Some(repos) = doc["repos"].as_array() {
            for hook in repos
                .iter()
                .flat_map(|r| r["hooks"].as_array().into_iter().flatten())
            {
                let id = hook["id"].as_str().unwrap_or_default().to_string();
                if !hook_ids.contains(&id) {
                    failures.push(format!("{}: no pre-commit hook `{id}`", block.at()));
                }
            }
        } else if doc.get("openapi").is_some() {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let spec = dir.path().join("block.yaml");
            std::fs::write(&spec, &block.text).unwrap_or_else(|e| panic!("{e}"));
            let out = common::oaskit(&["validate", &spec.display().to_string()]);
            if out.code != 0 {
                failures.push(format!(
                    "{}: does not validate:\n{}",
                    block.at(),
                    out.stdout
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn json_blocks_parse() {
    for block in runnable(&["json"]) {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&block.text) {
            panic!("{}: not JSON: {e}", block.at());
        }
    }
}

#[test]
fn typescript_blocks_compile() {
    let blocks = runnable(&["ts"]);
    if blocks.is_empty() {
        return;
    }
    let tsc = repo_path("node_modules/typescript/bin/tsc");
    if !tsc.is_file() {
        let ok = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(repo_path(""))
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok && tsc.is_file(), "npm ci did not install TypeScript");
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(
        &repo_path("generated/ts-client"),
        &dir.path().join("client"),
    );
    // ES modules, as the client is: top-level await is allowed.
    std::fs::write(dir.path().join("package.json"), r#"{"type":"module"}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut names = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let name = format!("block{i}.ts");
        // Each block is a module of its own; its line in the docs is in the error messages.
        let text = format!("// {}\nexport {{}};\n{}", block.at(), block.text);
        std::fs::write(dir.path().join(&name), text).unwrap_or_else(|e| panic!("{e}"));
        names.push(name);
    }
    let tsconfig = serde_json::json!({
        "compilerOptions": {
            "strict": true, "noEmit": true, "target": "ES2022", "module": "NodeNext",
            "moduleResolution": "NodeNext", "lib": ["ES2022", "DOM"], "skipLibCheck": true,
            "types": []
        },
        "files": names,
    });
    std::fs::write(dir.path().join("tsconfig.json"), tsconfig.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new("node")
        .arg(&tsc)
        .args(["-p", "tsconfig.json"])
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("node: {e}"));
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The README's `oaskit check` config waives the `price` break it describes: with it, the pull
/// request that makes `price` a decimal string has no `response-property-type-changed` left (an
/// earlier example named one operation of the five that return a Pet).
#[test]
fn the_readme_waiver_makes_the_price_pull_request_pass() {
    let config = runnable(&["toml"])
        .into_iter()
        .find(|b| {
            b.file == "README.md"
                && b.text.contains("[[diff.ignore]]")
                && b.text.contains("[[specs]]")
        })
        .unwrap_or_else(|| panic!("the README's check config with a waiver"));
    let dir = sandbox();
    std::fs::write(dir.path().join("oaskit.toml"), &config.text).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(
        repo_path("specs/petstore-v2-breaking.yaml"),
        dir.path().join("specs/petstore.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = common::oaskit_in(
        dir.path(),
        &["check", "--format", "json", "--today", "2026-01-01"],
        None,
    );
    let findings = common::rules(&out);
    assert!(
        !findings
            .iter()
            .any(|r| r == "response-property-type-changed"),
        "{}{}",
        out.stdout,
        out.stderr
    );
    // Without the waiver, the same change fails the gate with that rule.
    let without: String = config
        .text
        .split("[[diff.ignore]]")
        .next()
        .unwrap_or_default()
        .to_string();
    std::fs::write(dir.path().join("oaskit.toml"), without).unwrap_or_else(|e| panic!("{e}"));
    let out = common::oaskit_in(dir.path(), &["check", "--format", "json"], None);
    assert!(
        common::rules(&out)
            .iter()
            .any(|r| r == "response-property-type-changed")
    );
}
