//! `oaskit validate SPEC...`

use clap::Args;
use oaskit::Contract;
use oaskit::report::{Report, SourceLines};
use oaskit::validate::{ValidateOptions, validate};

use super::output::{ManySources, print_load_error, print_report};
use super::{EXIT_ERROR, LoadArgs, ReportArgs, RuleCommand, list_rules, project_levels};

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Specs to check: a path, `-` for stdin, an http(s) URL, or `REV:path` (git).
    #[arg(required_unless_present = "list_rules", value_name = "SPEC")]
    pub specs: Vec<String>,
    /// Treat `format` in examples as an annotation: do not check date-time, uuid, email, int32
    /// ranges, byte (base64) and the other formats.
    #[arg(long)]
    pub no_format_assertions: bool,
    #[command(flatten)]
    pub load: LoadArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(args: &ValidateArgs) -> i32 {
    if args.report.list_rules {
        return list_rules(RuleCommand::Validate);
    }
    let levels = match project_levels().and_then(|l| args.report.levels(&l)) {
        Ok(levels) => levels,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let options = args.load.options();
    let mut contracts = Vec::new();
    let mut failed = false;
    for spec in &args.specs {
        match Contract::load(spec, &options) {
            Ok(contract) => contracts.push(contract),
            Err(e) => {
                print_load_error(&e);
                failed = true;
            }
        }
    }
    let validate_options = ValidateOptions {
        format_assertions: !args.no_format_assertions,
        allow_remote_refs: args.load.allow_remote_refs,
        fetch: options.fetch.clone(),
    };
    let mut report = Report::default();
    for contract in &contracts {
        report.extend(levels.apply(validate(contract, &validate_options)));
    }
    let sources = ManySources(
        contracts
            .iter()
            .map(|c| &c.documents as &dyn SourceLines)
            .collect(),
    );
    print_report(&report, &args.report, &sources, "validate");
    let code = if failed {
        EXIT_ERROR
    } else {
        report.exit_code(args.report.fail_on)
    };
    // The process ends here: let the OS reclaim the documents and models instead of freeing
    // them one allocation at a time (several percent of the run on large specs).
    drop(sources);
    std::mem::forget(contracts);
    code
}
