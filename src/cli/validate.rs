//! `oaskit validate SPEC...`

use std::path::Path;

use clap::Args;
use oaskit::Contract;
use oaskit::report::{NoSources, Report, SourceLines};
use oaskit::validate::{ValidateOptions, validate};

use super::output::{
    ManySources, config_error_finding, fail_with_report, load_error_finding, print_load_error,
    print_report, print_stderr,
};
use super::{LoadArgs, ReportArgs, RuleCommand, list_rules, project_levels};

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
            print_stderr(&format!("error: {e}"));
            let config = Path::new(oaskit::check::config::CONFIG_FILE);
            let failures = vec![config_error_finding(config, &e)];
            return fail_with_report(
                Report::default(),
                failures,
                &args.report,
                &NoSources,
                "validate",
            );
        }
    };
    let options = args.load.options();
    let mut contracts = Vec::new();
    let mut failures = Vec::new();
    for spec in &args.specs {
        match Contract::load(spec, &options) {
            Ok(contract) => contracts.push(contract),
            Err(e) => {
                print_load_error(&e);
                failures.push(load_error_finding(&e));
            }
        }
    }
    let validate_options = ValidateOptions {
        format_assertions: !args.no_format_assertions,
        rules: levels,
    };
    let mut report = Report::default();
    for contract in &contracts {
        report.extend(validate(contract, &validate_options));
    }
    let sources = ManySources(
        contracts
            .iter()
            .map(|c| &c.documents as &dyn SourceLines)
            .collect(),
    );
    let code = if failures.is_empty() {
        print_report(&report, &args.report, &sources, "validate");
        report.exit_code(args.report.fail_on)
    } else {
        fail_with_report(report, failures, &args.report, &sources, "validate")
    };
    // The process ends here: let the OS reclaim the documents and models instead of freeing
    // them one allocation at a time (several percent of the run on large specs).
    drop(sources);
    std::mem::forget(contracts);
    code
}
