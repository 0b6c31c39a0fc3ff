//! The end-to-end proof of the contract-first loop, from `specs/petstore*`:
//! 1. the generated Rust server (generated/rust-server), implemented in memory, serves on
//!    127.0.0.1;
//! 2. the generated TypeScript client (generated/ts-client), run by node, performs a scenario
//!    against it: create, list, get, update, delete, and error cases;
//! 3. `oaskit probe` validates every response the server gives against the spec;
//! 4. `oaskit check` fails on the breaking revision (`price` integer → string) with the expected
//!    finding, and passes on the compatible revision.

mod common;
#[path = "common/petstore_store.rs"]
mod store;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::node::{emit_into_dist, node_project, tsc};
use common::*;

/// Starts the generated server with the in-memory store on an ephemeral port, in a thread that
/// lives as long as the test process. Returns its base URL.
fn start_server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .unwrap_or_else(|e| panic!("bind: {e}"));
            let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
            // Clients call the server with its base path (`/v1`, from the spec's server URL).
            let _ = tx.send(format!(
                "http://{addr}{}",
                petstore_server::server::BASE_PATH
            ));
            let router = petstore_server::router(store::Store::default());
            let _ = petstore_server::serve(listener, router, std::future::pending::<()>()).await;
        });
    });
    rx.recv()
        .unwrap_or_else(|e| panic!("the server did not start: {e}"))
}

fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{program} {args:?} failed:\n{text}");
    text
}

/// The generated client and the scenario, compiled to JavaScript in a scratch directory.
fn compiled_scenario() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("e2e")).unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&repo_path("generated/ts-client"), &dir.join("petstore"));
    std::fs::copy(
        repo_path("tests/e2e/scenario.ts"),
        dir.join("e2e/scenario.ts"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    node_project(&dir, &emit_into_dist(&["petstore/src", "e2e"]));
    run(&dir, "node", &[tsc(), "-p", "tsconfig.json"]);
    dir
}

#[test]
fn generated_client_and_server_agree_and_the_probe_finds_nothing() {
    let base = start_server();
    let dir = compiled_scenario();
    let output = run(&dir, "node", &["dist/e2e/scenario.js", &base]);
    assert!(output.contains("scenario ok"), "{output}");

    // Every response of the live server, unsafe methods included, against the spec.
    let out = oaskit(&[
        "probe",
        "specs/petstore.yaml",
        "--base-url",
        &base,
        "--include-unsafe",
        "--api-key",
        store::API_KEY,
        "--bearer",
        store::STAFF_TOKEN,
        // Not only the examples: probe's variants too (missing credentials, malformed ids,
        // invalid bodies), each answered with a status the spec declares.
        "--format",
        "json",
        "--fail-on",
        "warning",
    ]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let doc = json(&out);
    let problems: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .map(|a| a.iter().filter(|f| f["level"] != "info").collect())
        .unwrap_or_default();
    assert!(problems.is_empty(), "{problems:?}");
    let probed: usize = out
        .stderr
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_default();
    assert!(probed >= 6, "requests sent: {}", out.stderr);
}

/// Probe throughput against the generated server on loopback: `bench/probe.sh` runs this in
/// release mode and reads the `requests/s` line.
#[test]
#[ignore = "a benchmark: run by bench/probe.sh"]
fn probe_throughput() {
    let base = start_server();
    let out = oaskit(&[
        "probe",
        "specs/petstore.yaml",
        "--base-url",
        &base,
        "--repeat",
        "2000",
        "--concurrency",
        "16",
        "--operation",
        "listPets",
        "--operation",
        "getPet",
        "--operation",
        "getInventory",
        "--api-key",
        "k",
        "--examples-only",
        "--max-requests",
        "6000",
    ]);
    println!("{}", out.stderr.trim());
    assert!(out.stderr.contains("requests/s"), "{}", out.stderr);
}

/// A git repository holding the petstore as `openapi.yaml` and a gate config diffing against
/// `HEAD`.
fn gate_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let git = |args: &[&str]| git(dir.path(), args);
    std::fs::copy(
        repo_path("specs/petstore.yaml"),
        dir.path().join("openapi.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("oaskit.toml"),
        "[[specs]]\npath = \"openapi.yaml\"\nbase = \"HEAD\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "v1"]);
    dir
}

#[test]
fn the_gate_fails_on_the_price_break_and_passes_the_compatible_revision() {
    let repo = gate_repo();
    let spec = repo.path().join("openapi.yaml");

    std::fs::copy(repo_path("specs/petstore-v2-breaking.yaml"), &spec)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = oaskit_in(repo.path(), &["check", "--format", "json"], None);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let doc = json(&out);
    let price_breaks: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|f| {
                    f["rule"] == "response-property-type-changed"
                        && f["message"].as_str().unwrap_or("").contains("price")
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(!price_breaks.is_empty(), "{}", out.stdout);
    let get_pet = price_breaks.iter().find(|f| {
        f["operation"] == "GET /pets/{petId}"
            || f["operations"]
                .as_array()
                .is_some_and(|ops| ops.iter().any(|o| o == "GET /pets/{petId}"))
    });
    let help = get_pet.and_then(|f| f["help"].as_str()).unwrap_or("");
    assert!(help.contains("`price: number` → `price: string`"), "{help}");
    assert_eq!(
        get_pet.map(|f| f["level"].clone()),
        Some(serde_json::json!("error"))
    );

    std::fs::copy(repo_path("specs/petstore-v2-compatible.yaml"), &spec)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = oaskit_in(repo.path(), &["check"], None);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
}

#[test]
fn a_missing_or_malformed_config_is_exit_2() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = oaskit_in(dir.path(), &["check"], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("oaskit.toml"), "{}", out.stderr);
    std::fs::write(dir.path().join("oaskit.toml"), "[[specs]]\npath = 3\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = oaskit_in(dir.path(), &["check"], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("oaskit.toml"), "{}", out.stderr);
}

#[test]
fn an_expired_waiver_is_judged_the_same_by_diff_and_check() {
    // One pipeline: the waiver finding has the same rule and level in both commands, and the
    // break it no longer waives fails both.
    let repo = gate_repo();
    let spec = repo.path().join("openapi.yaml");
    std::fs::copy(repo_path("specs/petstore-v2-breaking.yaml"), &spec)
        .unwrap_or_else(|e| panic!("{e}"));
    let waiver = "\n[[diff.ignore]]\nrule = \"response-property-type-changed\"\nreason = \"migrated\"\nexpires = \"2020-01-01\"\n";
    let config = repo.path().join("oaskit.toml");
    let mut text = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    text.push_str(waiver);
    std::fs::write(&config, text).unwrap_or_else(|e| panic!("{e}"));
    let level_of = |out: &Outcome| {
        json(out)["findings"]
            .as_array()
            .and_then(|a| a.iter().find(|f| f["rule"] == "diff-ignore-expired"))
            .map(|f| f["level"].clone())
    };
    let check = oaskit_in(repo.path(), &["check", "--format", "json"], None);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let base = repo_path("specs/petstore.yaml").display().to_string();
    let diff = oaskit_in(
        repo.path(),
        &["diff", &base, "openapi.yaml", "--format", "json"],
        None,
    );
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert_eq!(level_of(&check), Some(serde_json::json!("warning")));
    assert_eq!(level_of(&check), level_of(&diff));
}

#[test]
fn rule_levels_reach_every_rule_from_the_command_line_and_the_config() {
    let repo = gate_repo();
    let spec = repo.path().join("openapi.yaml");
    std::fs::copy(repo_path("specs/petstore-v2-breaking.yaml"), &spec)
        .unwrap_or_else(|e| panic!("{e}"));
    // `--rule` switches a diff rule off in `check`: the price break no longer fails the gate.
    let off = oaskit_in(
        repo.path(),
        &[
            "check",
            "--rule",
            "response-property-type-changed=off",
            "--rule",
            "request-property-type-changed=off",
            "--format",
            "json",
        ],
        None,
    );
    let rules = rules(&off);
    assert!(
        !rules.iter().any(|r| r.ends_with("property-type-changed")),
        "{rules:?}"
    );
    // `[rules]` in oaskit.toml sets a check rule: a missing base becomes a warning.
    let config = repo.path().join("oaskit.toml");
    std::fs::write(
        &config,
        "[rules]\ncheck-no-base = \"warning\"\n\n[[specs]]\npath = \"openapi.yaml\"\nbase = \"HEAD:nope.yaml\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = oaskit_in(repo.path(), &["check", "--format", "json"], None);
    let no_base = json(&out)["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["rule"] == "check-no-base"))
        .map(|f| f["level"].clone());
    assert_eq!(
        no_base,
        Some(serde_json::json!("warning")),
        "{}{}",
        out.stdout,
        out.stderr
    );
    // An unknown id is a usage error, whatever the command.
    for args in [vec!["check"], vec!["validate", "openapi.yaml"]] {
        let command = args[0];
        let mut args = args.clone();
        args.extend(["--rule", "no-such-rule=error"]);
        let out = oaskit_in(repo.path(), &args, None);
        assert_eq!(out.code, 2, "{command}: {}", out.stderr);
        assert!(out.stderr.contains("unknown rule"), "{}", out.stderr);
    }
}

#[test]
fn validate_rules_have_levels_and_every_command_lists_its_rules() {
    let (_dir, path) = temp_spec(
        "api.yaml",
        b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: integer}\n              example: nope\n",
    );
    let out = oaskit(&["validate", &path, "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let out = oaskit(&[
        "validate",
        &path,
        "--rule",
        "example-invalid=warning",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(json(&out)["summary"]["warning"], 1);
    for (command, id) in [
        ("validate", "example-invalid"),
        ("diff", "response-property-type-changed"),
        ("probe", "probe-undeclared-status"),
        ("check", "generated-code-stale"),
    ] {
        let out = oaskit(&[command, "--list-rules"]);
        assert_eq!(out.code, 0, "{command}: {}", out.stderr);
        assert!(out.stdout.contains(&format!("`{id}`")), "{command}");
    }
}
