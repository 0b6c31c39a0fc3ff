//! `oaskit check [--config oaskit.toml]`: the contract gate in one command.

use std::path::{Path, PathBuf};

use clap::Args;
use oaskit::check::{self, CheckConfig};
use oaskit::report::{Finding, Format, LOAD_ERROR, Level, NoSources, Report, SourceLines};
use oaskit::rules::Date;

use super::output::{
    ManySources, config_error_finding, fail_with_report, load_error_finding, print_load_error,
    print_report, print_stderr, print_stdout,
};
use super::{LoadArgs, ReportArgs, RuleCommand, list_rules, parse_date};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The configuration (default: `oaskit.toml` in this directory or the nearest above).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Diff every spec against this instead of its configured `base`: a git revision (the
    /// spec's path at that revision, e.g. `origin/main` in a pull request), `REV:path`, a file
    /// or a URL.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Judge waiver expiries and `x-sunset` dates as of this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<Date>,
    /// Compare generated code even when a spec has structural errors (by default its
    /// generators are skipped with a `check-generate-skipped` error).
    #[arg(long)]
    pub allow_invalid: bool,
    /// Diff findings: one per operation a change reaches instead of one per change listing
    /// the operations.
    #[arg(long)]
    pub per_operation: bool,
    #[command(flatten)]
    pub load: LoadArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(args: &CheckArgs) -> i32 {
    if args.report.list_rules {
        return list_rules(RuleCommand::Check);
    }
    let fail = |failure: Finding| {
        fail_with_report(
            Report::default(),
            vec![failure],
            &args.report,
            &NoSources,
            "check",
        )
    };
    let file = match &args.config {
        Some(f) => f.clone(),
        None => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            match CheckConfig::discover(&cwd) {
                // Relative to the working directory when it is there, so the report names
                // files as `validate specs/api.yaml` would, not by absolute paths.
                Ok(f) => f.strip_prefix(&cwd).map_or(f.clone(), Path::to_path_buf),
                Err(e) => {
                    print_stderr(&format!("error: {e}"));
                    return fail(Finding::new(LOAD_ERROR, Level::Error, e.to_string()));
                }
            }
        }
    };
    let mut config = match CheckConfig::read(&file).and_then(|mut c| {
        c.diff.levels = args.report.levels(&c.diff.levels)?;
        c.diff.per_operation = args.per_operation;
        Ok(c)
    }) {
        Ok(c) => c,
        Err(e) => {
            print_stderr(&format!("error: {e}"));
            return fail(config_error_finding(&file, &e.to_string()));
        }
    };
    if let Some(base) = &args.base {
        // A file named on the command line is relative to the working directory, not to
        // oaskit.toml as a configured one is.
        let base = match std::path::absolute(base) {
            Ok(path) if !base.contains(':') && path.is_file() => path.display().to_string(),
            _ => base.clone(),
        };
        for spec in &mut config.specs {
            spec.base = Some(base.clone());
        }
    }
    let today = args.today.unwrap_or_else(Date::today);
    let outcome = match check::run(&config, &args.load.options(), today, args.allow_invalid) {
        Ok(o) => o,
        Err(check::CheckError::Load(e)) => {
            print_load_error(&e);
            return fail(load_error_finding(&e));
        }
        Err(e) => {
            print_stderr(&format!("error: {e}"));
            return fail(config_error_finding(&file, &e.to_string()));
        }
    };
    let report = Report::new(outcome.findings).with_waived(outcome.waived);
    let sources = ManySources(
        outcome
            .contracts
            .iter()
            .map(|c| &c.documents as &dyn SourceLines)
            .collect(),
    );
    print_report(&report, &args.report, &sources, "check");
    if !outcome.stale.is_empty() {
        // The diffs go to stderr when stdout carries a machine-readable report.
        let to_stdout = args.report.format == Format::Text;
        for (dir, diff) in &outcome.stale {
            let text = diff.describe(dir);
            if to_stdout {
                print_stdout(&text)
            } else {
                print_stderr(text.trim_end_matches('\n'))
            }
        }
    }
    // The command line beats the config (which comes with the pull request): a `fail-on` in
    // oaskit.toml applies only when `--fail-on` was not given.
    let fail_on = match config.fail_on {
        Some(configured) if !args.report.fail_on_given => configured,
        _ => args.report.fail_on,
    };
    report.exit_code(fail_on)
}
