//! generated/rust-server is byte for byte what `oaskit generate rust-server specs/petstore.yaml`
//! writes today; `--check` agrees and reports drift as a diff; generation is deterministic; and
//! templates can be overridden (and a broken one fails generation, not the user's build).

use std::path::{Path, PathBuf};
use std::process::Command;

use oaskit::codegen::{CodegenError, GenerateOptions, Generated, rust};
use oaskit::{Contract, LoadOptions};

const REGENERATE: &str =
    "cargo run -- generate rust-server specs/petstore.yaml -o generated/rust-server";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generate(templates_dir: Option<PathBuf>) -> Result<Generated, CodegenError> {
    let spec = root().join("specs/petstore.yaml");
    let contract = Contract::load(&spec.to_string_lossy(), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    // The name the committed files were generated with (from the repository root).
    let options = GenerateOptions {
        templates_dir,
        spec_name: "specs/petstore.yaml".to_string(),
        ..GenerateOptions::default()
    };
    rust::generate(&contract, &options)
}

fn oaskit(args: &[&str], dir: &Path) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_oaskit"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run oaskit: {e}"));
    let code = output.status.code().unwrap_or(-1);
    (
        code,
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_committed_server_is_what_generation_produces() {
    let generated = generate(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.findings.is_empty(), "{:?}", generated.findings);
    let diffs = generated.files.check(&root().join("generated/rust-server"));
    let shown: String = diffs
        .iter()
        .map(|d| d.describe(Path::new("generated/rust-server")))
        .collect();
    assert!(
        diffs.is_empty(),
        "generated/rust-server is stale; run `{REGENERATE}`:\n{shown}"
    );
}

#[test]
fn generation_is_deterministic_and_marks_every_file() {
    let first = generate(None).unwrap_or_else(|e| panic!("{e}"));
    let second = generate(None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.files, second.files);
    let paths: Vec<String> = first
        .files
        .iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "Cargo.toml",
            "src/lib.rs",
            "src/models.rs",
            "src/request_schemas.rs",
            "src/runtime/body.rs",
            "src/runtime/body_stream.rs",
            "src/runtime/connection.rs",
            "src/runtime/context.rs",
            "src/runtime/format.rs",
            "src/runtime/media.rs",
            "src/runtime/mod.rs",
            "src/runtime/multipart.rs",
            "src/runtime/params.rs",
            "src/runtime/pattern.rs",
            "src/runtime/problem.rs",
            "src/runtime/response.rs",
            "src/runtime/schema.rs",
            "src/runtime/security.rs",
            "src/runtime/serve.rs",
            "src/runtime/stream.rs",
            "src/runtime/validate.rs",
            "src/server.rs"
        ]
    );
    for (path, text) in first.files.iter() {
        let header = text
            .lines()
            .take(3)
            .any(|l| l.contains(oaskit::codegen::GENERATED_MARKER));
        assert!(header, "{} has no generated header", path.display());
        assert!(
            !text.contains(".unwrap()") && !text.contains(".expect("),
            "{} unwraps",
            path.display()
        );
    }
}

#[test]
fn the_cli_checks_writes_and_reports_drift() {
    let (code, _, stderr) = oaskit(
        &[
            "generate",
            "rust-server",
            "specs/petstore.yaml",
            "-o",
            "generated/rust-server",
            "--check",
        ],
        &root(),
    );
    assert_eq!(code, 0, "{stderr}");

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("server");
    let out_arg = out.to_string_lossy().into_owned();
    let (code, _, stderr) = oaskit(
        &[
            "generate",
            "rust-server",
            "specs/petstore.yaml",
            "-o",
            &out_arg,
        ],
        &root(),
    );
    assert_eq!(code, 0, "{stderr}");
    let committed = std::fs::read_to_string(root().join("generated/rust-server/src/server.rs"))
        .unwrap_or_default();
    assert_eq!(
        std::fs::read_to_string(out.join("src/server.rs")).unwrap_or_default(),
        committed
    );

    // An edited file is shown as a diff; a generated file that is no longer generated is named.
    let models = out.join("src/models.rs");
    let edited = std::fs::read_to_string(&models)
        .unwrap_or_default()
        .replace("pub price: i64", "pub price: String");
    std::fs::write(&models, edited).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        out.join("src/old.rs"),
        "//! Code generated by oaskit from specs/old.yaml: do not edit, regenerate.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, _) = oaskit(
        &[
            "generate",
            "rust-server",
            "specs/petstore.yaml",
            "-o",
            &out_arg,
            "--check",
        ],
        &root(),
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains("-    pub price: String,") && stdout.contains("+    pub price: i64,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("no longer generated") && stdout.contains("old.rs"),
        "{stdout}"
    );
}

#[test]
fn templates_are_overridable_and_checked() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let lib = "//! A custom crate root for {{crate_name}}.\npub mod models;\npub mod runtime;\npub mod server;\n";
    std::fs::write(dir.path().join("lib.rs.hbs"), lib).unwrap_or_else(|e| panic!("{e}"));
    let generated = generate(Some(dir.path().to_path_buf())).unwrap_or_else(|e| panic!("{e}"));
    let lib_rs = generated.files.get("src/lib.rs").unwrap_or_default();
    assert!(
        lib_rs.contains("//! A custom crate root for petstore-server."),
        "{lib_rs}"
    );
    // The banner is a plain comment above the docs, not their summary line (rustdoc's first
    // paragraph), in an overridden template too.
    assert!(
        lib_rs.starts_with("// Code generated by oaskit from specs/petstore.yaml: do not edit, regenerate.\n//! A custom crate root"),
        "{lib_rs}"
    );

    std::fs::write(dir.path().join("lib.rs.hbs"), "pub fn broken( {\n")
        .unwrap_or_else(|e| panic!("{e}"));
    match generate(Some(dir.path().to_path_buf())) {
        Err(CodegenError::InvalidRust { file, .. }) => assert_eq!(file, "src/lib.rs"),
        other => panic!(
            "expected invalid Rust, got {:?}",
            other.map(|g| g.files.len())
        ),
    }
    std::fs::write(dir.path().join("lib.rs.hbs"), "{{no_such_field}}")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(
            generate(Some(dir.path().to_path_buf())),
            Err(CodegenError::Template(_))
        ),
        "strict mode"
    );
}

/// The runtime is the `oaskit-runtime` crate (`runtime/Cargo.toml`, sources in `src/codegen/rust/runtime/`), copied verbatim (its tests left out) by default, or a
/// dependency by version with `--runtime crate`.
#[test]
fn the_runtime_is_vendored_or_a_dependency() {
    let vendored = generate(None).unwrap_or_else(|e| panic!("{e}"));
    let params = vendored
        .files
        .get("src/runtime/params.rs")
        .unwrap_or_else(|| panic!("no vendored params.rs"));
    let source = std::fs::read_to_string(root().join("src/codegen/rust/runtime/params.rs"))
        .unwrap_or_else(|e| panic!("{e}"));
    let code = &source[..source.find("\n#[cfg(test)]").unwrap_or(source.len())];
    assert!(
        params.contains(code.trim_end()),
        "params.rs is not the crate's"
    );
    assert!(!params.contains("mod tests"));
    let lib = vendored.files.get("src/lib.rs").unwrap_or_default();
    assert!(lib.contains("pub mod runtime;"), "{lib}");

    let spec = root().join("specs/petstore.yaml");
    let contract = Contract::load(&spec.to_string_lossy(), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let options = GenerateOptions {
        runtime: oaskit::codegen::RuntimeSource::Crate,
        ..GenerateOptions::default()
    };
    let by_crate = rust::generate(&contract, &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        by_crate
            .files
            .iter()
            .all(|(p, _)| !p.starts_with("src/runtime"))
    );
    let manifest = by_crate.files.get("Cargo.toml").unwrap_or_default();
    let version = rust::RUNTIME_VERSION;
    assert!(
        manifest.contains(&format!("oaskit-runtime = {{ version = \"{version}\"")),
        "{manifest}"
    );
    let lib = by_crate.files.get("src/lib.rs").unwrap_or_default();
    assert!(lib.contains("pub use oaskit_runtime as runtime;"), "{lib}");
}

/// Every generated module says what it is in its first doc line (rustdoc's summary), with the
/// "generated" banner a plain comment above it.
#[test]
fn module_docs_start_with_what_the_module_is() {
    let generated = generate(None).unwrap_or_else(|e| panic!("{e}"));
    for (path, summary) in [
        (
            "src/lib.rs",
            "//! Petstore 1.0.0: a typed axum server generated from the spec.",
        ),
        ("src/models.rs", "//! The types of the spec's schemas"),
        ("src/server.rs", "//! The server contract:"),
        ("src/runtime/mod.rs", "//! "),
    ] {
        let text = generated.files.get(path).unwrap_or_default();
        let mut lines = text.lines();
        let banner = lines.next().unwrap_or_default();
        assert!(
            banner.starts_with("// Code generated by oaskit from specs/petstore.yaml"),
            "{path}: {banner}"
        );
        let first_doc = lines.next().unwrap_or_default();
        assert!(first_doc.starts_with(summary), "{path}: {first_doc}");
        assert!(!text.contains("//! Code generated"), "{path}");
    }
}
