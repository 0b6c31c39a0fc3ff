//! Generated server crates built and tested by the tests: a crate is written with a test file of
//! the caller's (`tests/behaviour.rs`), then checked with clippy `-D warnings` and its tests run.
//!
//! Every such crate builds in `target/rust-corpus` (or `$OASKIT_RUST_TARGET_DIR`), the target
//! directory `.ci/rust-corpus.sh` uses too, so their dependencies compile once.

use std::path::{Path, PathBuf};
use std::process::Command;

use oaskit::codegen::{GenerateOptions, Generated, rust};
use oaskit::{Contract, LoadOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `target/NAME` in the repository, created empty.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = root().join("target").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// Writes `spec` as `dir/file_name`, loads it and generates its Rust server with the default
/// options.
pub fn generate(dir: &Path, file_name: &str, spec: &str) -> Generated {
    let path = dir.join(file_name);
    std::fs::write(&path, spec).unwrap_or_else(|e| panic!("{e}"));
    let contract = Contract::load(&path.to_string_lossy(), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let options = GenerateOptions {
        templates_dir: None,
        spec_name: file_name.to_string(),
        ..GenerateOptions::default()
    };
    rust::generate(&contract, &options).unwrap_or_else(|e| panic!("{e}"))
}

/// Makes the crate in `crate_dir` a workspace of its own with `extra_manifest` appended (a
/// `[dev-dependencies]` table, say), locks it to the versions oaskit is tested with, and adds
/// `behaviour` as its integration test.
pub fn add_behaviour(crate_dir: &Path, extra_manifest: &str, behaviour: &str) {
    let manifest = crate_dir.join("Cargo.toml");
    let mut toml = std::fs::read_to_string(&manifest).unwrap_or_else(|e| panic!("{e}"));
    toml.push_str(extra_manifest);
    toml.push_str("\n[workspace]\n");
    std::fs::write(&manifest, toml).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::copy(root().join("Cargo.lock"), crate_dir.join("Cargo.lock"));
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(crate_dir.join("tests/behaviour.rs"), behaviour)
        .unwrap_or_else(|e| panic!("{e}"));
}

/// The `[dev-dependencies]` a behaviour test needs to call the router in process.
pub const TOWER: &str =
    "\n[dev-dependencies]\ntower = { version = \"0.5\", features = [\"util\"] }\n";

/// Clippy `-D warnings` on the crate and its tests, then its tests: both must pass.
pub fn lint_and_test(crate_dir: &Path) {
    let (ok, log) = cargo(
        crate_dir,
        &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"],
    );
    assert!(ok, "clippy on the generated crate failed:\n{log}");
    let (ok, log) = cargo(crate_dir, &["test", "--quiet"]);
    assert!(ok, "the generated crate's tests failed:\n{log}");
}

fn cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    let target = std::env::var_os("OASKIT_RUST_TARGET_DIR")
        .map_or_else(|| root().join("target/rust-corpus"), PathBuf::from);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}
