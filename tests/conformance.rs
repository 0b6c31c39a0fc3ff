//! The client–server conformance suite (tests/conformance/): the TypeScript client and the Rust
//! server generated from one spec (every parameter location × style × explode, every body kind,
//! every response kind) agree on the wire. The server (tests/conformance/server, generated and
//! committed) answers with the typed values it parsed; the client (generated here) compares
//! them with what it sent, case by case (tests/conformance/client.ts); then `oaskit probe`
//! checks every response of the same server against the spec.

mod common;
#[path = "conformance/echo.rs"]
mod echo;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::node::{emit_into_dist, node_project, tsc};
use common::*;
use oaskit::codegen::{GenerateOptions, rust, typescript};
use oaskit::{Contract, LoadOptions};

const SPEC: &str = "tests/conformance/conformance.yaml";
const REGENERATE: &str = "cargo run -- generate rust-server tests/conformance/conformance.yaml -o tests/conformance/server";

fn contract() -> Contract {
    Contract::load(&repo_path(SPEC).to_string_lossy(), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn options() -> GenerateOptions {
    GenerateOptions {
        spec_name: SPEC.to_string(),
        ..GenerateOptions::default()
    }
}

/// Starts the conformance server on an ephemeral port; returns the URL clients call (with the
/// base path of the spec's server, `/base`).
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
            let base = conformance_server::server::BASE_PATH;
            let _ = tx.send(format!("http://{addr}{base}"));
            let router = conformance_server::router(echo::EchoApi);
            let _ = conformance_server::serve(listener, router, std::future::pending::<()>()).await;
        });
    });
    rx.recv()
        .unwrap_or_else(|e| panic!("the server did not start: {e}"))
}

fn run(dir: &Path, program: &str, args: &[&str]) -> (bool, String) {
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
    (out.status.success(), text)
}

/// The generated client and the cases, compiled to JavaScript in a scratch directory.
fn compiled_cases() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("conformance");
    let _ = std::fs::remove_dir_all(&dir);
    let client = typescript::generate(&contract(), &options()).unwrap_or_else(|e| panic!("{e}"));
    client
        .files
        .write(&dir.join("client"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir.join("cases")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(
        repo_path("tests/conformance/client.ts"),
        dir.join("cases/client.ts"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    node_project(&dir, &emit_into_dist(&["client/src", "cases"]));
    let (ok, text) = run(&dir, "node", &[tsc(), "-p", "tsconfig.json"]);
    assert!(
        ok,
        "tsc --strict failed on the client or the cases:\n{text}"
    );
    dir
}

#[test]
fn the_committed_server_is_what_the_generator_writes() {
    let generated = rust::generate(&contract(), &options()).unwrap_or_else(|e| panic!("{e}"));
    let diffs = generated
        .files
        .check(&repo_path("tests/conformance/server"));
    let stale: Vec<String> = diffs
        .iter()
        .map(|d| d.path().display().to_string())
        .collect();
    assert!(stale.is_empty(), "stale: {stale:?}; run `{REGENERATE}`");
}

#[test]
fn client_and_server_agree_on_every_case_and_the_probe_finds_nothing() {
    let base = start_server();
    let dir = compiled_cases();
    let (ok, output) = run(&dir, "node", &["dist/cases/client.js", &base]);
    assert!(ok && output.contains(" 0 failed"), "{output}");
    let cases = output.lines().filter(|l| l.starts_with("ok ")).count();
    assert!(cases >= 30, "only {cases} cases passed:\n{output}");

    let out = oaskit(&[
        "probe",
        SPEC,
        "--base-url",
        &base,
        "--include-unsafe",
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
    assert!(problems.is_empty(), "{problems:#?}");
}
