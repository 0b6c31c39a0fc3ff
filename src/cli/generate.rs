//! `oaskit generate ts-client|rust-server SPEC -o DIR [--check]`, and `oaskit generate [--check]`
//! with no target: every output configured in `oaskit.toml`, so a project regenerates its code
//! with the same command whatever it generates (and `check` verifies exactly that set).

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use oaskit::Contract;
use oaskit::catalogue::RuleLevels;
use oaskit::check::{self, CheckConfig};
use oaskit::codegen::{
    self, GenerateOptions, Generated, PackageOptions, RuntimeSource, RustServerOptions,
};
use oaskit::load::Origin;
use oaskit::validate;

use super::output::{print_load_error, print_stderr, print_stdout};
use super::{EXIT_ERROR, EXIT_OK, LoadArgs, project_levels};

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A typed TypeScript client (fetch, no runtime dependencies).
    TsClient,
    /// A typed Rust server (axum): a trait to implement, a router, models.
    RustServer,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    Vendored,
    Crate,
}

#[derive(Args, Debug)]
#[command(
    after_help = "Without a target, every `generate` entry of oaskit.toml is written \
(or checked, with --check)."
)]
pub struct GenerateArgs {
    /// What to generate; without it, every output configured in oaskit.toml.
    #[arg(value_enum, requires_all = ["spec", "output"])]
    pub target: Option<Target>,
    /// The spec: a path, `-`, an http(s) URL, or `REV:path`.
    #[arg(value_name = "SPEC", requires = "target")]
    pub spec: Option<String>,
    /// Output directory.
    #[arg(short, long, value_name = "DIR", requires = "target")]
    pub output: Option<PathBuf>,
    /// Do not write: compare with DIR, print a unified diff and exit 1 when it is stale.
    #[arg(long)]
    pub check: bool,
    /// A directory of templates replacing the embedded ones of the same name (a file that
    /// names no template is an error).
    #[arg(long, value_name = "DIR", requires = "target")]
    pub templates: Option<PathBuf>,
    /// Without a target: the configuration (default: `oaskit.toml` in this directory or the
    /// nearest above).
    #[arg(long, value_name = "FILE", conflicts_with = "target")]
    pub config: Option<PathBuf>,
    /// Generate even when the spec has structural errors (they are printed). Without it, a
    /// spec with errors is refused with exit code 2: a typo such as `paramters:` would
    /// otherwise silently drop part of the generated API.
    #[arg(long)]
    pub allow_invalid: bool,
    /// The path every operation is served under, instead of the path of the spec's first
    /// server URL (`/` for none). The Rust server routes under it; the TypeScript client's
    /// default base URL ends with it.
    #[arg(long, value_name = "PATH", requires = "target")]
    pub base_path: Option<String>,
    /// rust-server: copy the runtime's modules into the crate (`vendored`, the default), or
    /// depend on the `oaskit-runtime` crate of this version (`crate`).
    #[arg(long, value_enum, default_value = "vendored")]
    pub runtime: Runtime,
    /// rust-server: the generated crate's name (default: from `info.title`, `petstore-server`).
    #[arg(long, value_name = "NAME", requires = "target")]
    pub crate_name: Option<String>,
    /// rust-server: give every operation of the `Api` trait a default body answering `501 Not
    /// Implemented`, so that an operation added to the spec does not break the implementation.
    #[arg(long, requires = "target")]
    pub default_not_implemented: bool,
    /// ts-client: the npm package name (default: from `info.title`, `petstore-client`).
    #[arg(long, value_name = "NAME", requires = "target")]
    pub package_name: Option<String>,
    /// ts-client: the package version (default: `info.version`; a date becomes `YYYY.M.D`).
    #[arg(long, value_name = "SEMVER", requires = "target")]
    pub package_version: Option<String>,
    /// ts-client: an SPDX license expression (default: `info.license`, else `UNLICENSED`).
    #[arg(long, value_name = "SPDX", requires = "target")]
    pub license: Option<String>,
    /// ts-client: the package's repository URL.
    #[arg(long, value_name = "URL", requires = "target")]
    pub repository: Option<String>,
    #[command(flatten)]
    pub load: LoadArgs,
}

pub fn run(args: &GenerateArgs) -> i32 {
    let (Some(target), Some(spec), Some(output)) = (args.target, &args.spec, &args.output) else {
        return run_configured(args);
    };
    let contract = match Contract::load(spec, &args.load.options()) {
        Ok(c) => c,
        Err(e) => {
            print_load_error(&e);
            return EXIT_ERROR;
        }
    };
    let levels = match project_levels() {
        Ok(levels) => levels,
        Err(e) => {
            print_stderr(&format!("error: {e}"));
            return EXIT_ERROR;
        }
    };
    let options = GenerateOptions {
        templates_dir: args.templates.clone(),
        spec_name: codegen::header_spec_name(spec),
        base_path: args.base_path.clone(),
        runtime: match args.runtime {
            Runtime::Vendored => RuntimeSource::Vendored,
            Runtime::Crate => RuntimeSource::Crate,
        },
        package: PackageOptions {
            name: args.package_name.clone(),
            version: args.package_version.clone(),
            license: args.license.clone(),
            repository: args.repository.clone(),
        },
        rust_server: RustServerOptions {
            crate_name: args.crate_name.clone(),
            default_not_implemented: args.default_not_implemented,
        },
    };
    let generated = unless_refused(
        &contract,
        &levels,
        spec,
        args.allow_invalid,
        || match target {
            Target::TsClient => codegen::typescript::generate(&contract, &options),
            Target::RustServer => codegen::rust::generate(&contract, &options),
        },
    );
    let Some(generated) = generated else {
        return EXIT_ERROR;
    };
    let code = match &generated {
        Ok(generated) => emit(generated, output, output, args.check),
        Err(e) => {
            print_stderr(&format!("error: {e}"));
            EXIT_ERROR
        }
    };
    // The process ends here: let the OS reclaim the model and the generated text instead of
    // freeing them one allocation at a time (8-13% of generating GitHub's client, perf).
    std::mem::forget(contract);
    std::mem::forget(generated);
    code
}

/// Every `generate` entry of every spec in `oaskit.toml`. The exit code is the worst one: 2 if
/// any output could not be generated or written, else 1 if any is stale (with `--check`).
fn run_configured(args: &GenerateArgs) -> i32 {
    let file = match &args.config {
        Some(f) => f.clone(),
        None => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            match CheckConfig::discover(&cwd) {
                Ok(f) => f,
                Err(e) => {
                    print_stderr(&format!(
                        "error: {e}\n  `oaskit generate` without a target writes the outputs \
                         configured there; or name one: `oaskit generate ts-client SPEC -o DIR`"
                    ));
                    return EXIT_ERROR;
                }
            }
        }
    };
    let config = match CheckConfig::read(&file) {
        Ok(c) => c,
        Err(e) => {
            print_stderr(&format!("error: {e}"));
            return EXIT_ERROR;
        }
    };
    let entries: usize = config.specs.iter().map(|s| s.generate.len()).sum();
    if entries == 0 {
        print_stderr(&format!(
            "error: {}: no spec has a `generate` entry, so there is nothing to generate",
            file.display()
        ));
        return EXIT_ERROR;
    }
    let mut code = EXIT_OK;
    let load = config.load_options(&args.load.options());
    for spec in config.specs.iter().filter(|s| !s.generate.is_empty()) {
        let path = match config.resolve_input("path", &spec.path) {
            Ok(path) => path,
            Err(e) => {
                print_stderr(&format!("error: {e}"));
                code = EXIT_ERROR;
                continue;
            }
        };
        let contract = match Contract::load_origin(Origin::Path(path), &load) {
            Ok(c) => c,
            Err(e) => {
                print_load_error(&e);
                code = EXIT_ERROR;
                continue;
            }
        };
        let generate_all = || {
            spec.generate
                .iter()
                .map(|entry| check::generate_entry(&config, spec, entry, &contract))
                .collect::<Vec<_>>()
        };
        let Some(all) = unless_refused(
            &contract,
            &config.diff.levels,
            &spec.path,
            args.allow_invalid,
            generate_all,
        ) else {
            code = EXIT_ERROR;
            continue;
        };
        for (entry, generated) in spec.generate.iter().zip(all) {
            let generated = match generated {
                Ok(g) => g,
                Err(e) => {
                    print_stderr(&format!("error: {e}"));
                    code = EXIT_ERROR;
                    continue;
                }
            };
            let output = match config.resolve_output(&entry.output) {
                Ok(output) => output,
                Err(e) => {
                    print_stderr(&format!("error: {e}"));
                    code = EXIT_ERROR;
                    continue;
                }
            };
            let outcome = emit(&generated, &output, Path::new(&entry.output), args.check);
            code = code.max(outcome);
        }
    }
    code
}

/// Runs `generate` unless the spec has structural errors that refuse generation (see
/// [`refuses`]): `None` when refused. Both only read the contract, so the generator runs on a
/// second thread while the spec is checked (the check takes 30% of the generator's time on
/// GitHub's client); a refused spec's generated code is dropped unseen.
fn unless_refused<T: Send>(
    contract: &Contract,
    levels: &RuleLevels,
    spec: &str,
    allow_invalid: bool,
    generate: impl FnOnce() -> T + Send,
) -> Option<T> {
    std::thread::scope(|scope| {
        let generating = scope.spawn(generate);
        let refused = refuses(contract, levels, spec, allow_invalid);
        let generated = generating
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (!refused).then_some(generated)
    })
}

/// Prints the structural errors of a spec (those at error level after the configured levels;
/// invalid examples do not count) and says whether generation stops because of them. With
/// `--allow-invalid` they are printed and generation goes on.
fn refuses(contract: &Contract, levels: &RuleLevels, spec: &str, allow_invalid: bool) -> bool {
    let findings = validate::structural(contract, levels);
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| validate::blocks_generation(f))
        .collect();
    if errors.is_empty() {
        return false;
    }
    for finding in &errors {
        let at = finding
            .location
            .as_ref()
            .map(|l| format!("{}: ", l.display_short()))
            .unwrap_or_default();
        print_stderr(&format!(
            "error: {at}{} [{}]",
            finding.message, finding.rule
        ));
    }
    let count = errors.len();
    let plural = if count == 1 { "" } else { "s" };
    if allow_invalid {
        print_stderr(&format!(
            "warning: {spec} has {count} structural error{plural}; generating anyway (--allow-invalid)"
        ));
        return false;
    }
    print_stderr(&format!(
        "error: {spec} has {count} structural error{plural}: not generating, since the generated code would silently lack what they break (fix them, see `oaskit validate {spec}`, or pass --allow-invalid)"
    ));
    true
}

/// Prints the generator's findings, then writes the files or (`--check`) compares them.
/// `shown` is how `output` is named in messages (as the user wrote it).
fn emit(generated: &Generated, output: &Path, shown: &Path, check: bool) -> i32 {
    for finding in &generated.findings {
        let at = finding
            .location
            .as_ref()
            .map(|l| format!("{}: ", l.display_short()))
            .unwrap_or_default();
        print_stderr(&format!(
            "{}: {at}{} [{}]",
            finding.level, finding.message, finding.rule
        ));
    }
    if check {
        let diffs = generated.files.check(output);
        if diffs.is_empty() {
            print_stderr(&format!(
                "{} is up to date ({} files)",
                shown.display(),
                generated.files.len()
            ));
            return EXIT_OK;
        }
        for diff in &diffs {
            print_stdout(&diff.describe(shown));
        }
        print_stderr(&format!(
            "{} is out of date: {} of {} files differ; run `oaskit generate` without --check",
            shown.display(),
            diffs.len(),
            generated.files.len()
        ));
        return 1;
    }
    match generated.files.write(output) {
        Ok(written) => {
            let mut message = format!(
                "wrote {} of {} files to {}",
                written.written,
                generated.files.len(),
                shown.display()
            );
            if !written.removed.is_empty() {
                let removed: Vec<String> = written
                    .removed
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect();
                message.push_str(&format!(
                    "; removed {} no longer generated: {}",
                    removed.len(),
                    removed.join(", ")
                ));
            }
            print_stderr(&message);
            EXIT_OK
        }
        Err(e) => {
            print_stderr(&format!("error: cannot write to {}: {e}", shown.display()));
            EXIT_ERROR
        }
    }
}
