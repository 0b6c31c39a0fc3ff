//! `oaskit generate ts-client|rust-server SPEC -o DIR [--check]`

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use oaskit::Contract;
use oaskit::codegen::{self, GenerateOptions};

use super::output::{print_load_error, print_stdout};
use super::{EXIT_ERROR, EXIT_OK, LoadArgs};

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A typed TypeScript client (fetch, no runtime dependencies).
    TsClient,
    /// A typed Rust server (axum): a trait to implement, a router, models.
    RustServer,
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// What to generate.
    #[arg(value_enum)]
    pub target: Target,
    /// The spec: a path, `-`, an http(s) URL, or `REV:path`.
    #[arg(value_name = "SPEC")]
    pub spec: String,
    /// Output directory.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Do not write: compare with DIR, print a unified diff and exit 1 when it is stale.
    #[arg(long)]
    pub check: bool,
    /// A directory of templates replacing the embedded ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    #[command(flatten)]
    pub load: LoadArgs,
}

pub fn run(args: &GenerateArgs) -> i32 {
    let contract = match Contract::load(&args.spec, &args.load.options()) {
        Ok(c) => c,
        Err(e) => {
            print_load_error(&e);
            return EXIT_ERROR;
        }
    };
    let options = GenerateOptions {
        templates_dir: args.templates.clone(),
        spec_name: args.spec.clone(),
    };
    let generated = match args.target {
        Target::TsClient => codegen::typescript::generate(&contract, &options),
        Target::RustServer => codegen::rust::generate(&contract, &options),
    };
    let generated = match generated {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    for finding in &generated.findings {
        let at = finding
            .location
            .as_ref()
            .map(|l| format!("{}: ", l.display_short()))
            .unwrap_or_default();
        eprintln!(
            "{}: {at}{} [{}]",
            finding.level, finding.message, finding.rule
        );
    }
    if args.check {
        let diffs = generated.files.check(&args.output);
        if diffs.is_empty() {
            eprintln!(
                "{} is up to date ({} files)",
                args.output.display(),
                generated.files.len()
            );
            return EXIT_OK;
        }
        for diff in &diffs {
            print_stdout(&diff.describe(&args.output));
        }
        eprintln!(
            "{} is out of date: {} of {} files differ; run `oaskit generate` without --check",
            args.output.display(),
            diffs.len(),
            generated.files.len()
        );
        return 1;
    }
    match generated.files.write(&args.output) {
        Ok(written) => {
            eprintln!(
                "wrote {written} of {} files to {}",
                generated.files.len(),
                args.output.display()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: cannot write to {}: {e}", args.output.display());
            EXIT_ERROR
        }
    }
}
