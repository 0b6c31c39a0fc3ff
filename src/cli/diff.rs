//! `oaskit diff BASE REVISION`: the breaking-change gate. Loads both specs, diffs them
//! (`oaskit::diff`), judges the changes (`oaskit::rules`), applies the project's levels and
//! accepted breaks, and reports.

use std::path::PathBuf;

use clap::Args;
use oaskit::Contract;
use oaskit::report::{Finding, LOAD_ERROR, Level, NoSources, Report, SourceLines};
use oaskit::rules::{Date, DeprecationPolicy, DiffConfig};

use super::output::{
    ManySources, fail_with_report, load_error_finding, print_load_error, print_report, print_stderr,
};
use super::{EXIT_ERROR, LoadArgs, ReportArgs, RuleCommand, list_rules, parse_date};

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The spec before the change: a path, `-` for stdin, an http(s) URL, or `REV:path` (git),
    /// e.g. `origin/main:openapi.yaml`.
    #[arg(value_name = "BASE", required_unless_present = "list_rules")]
    pub base: Option<String>,
    /// The spec after the change, in any of the same forms.
    #[arg(value_name = "REVISION", required_unless_present = "list_rules")]
    pub revision: Option<String>,
    /// A TOML file of accepted breaks (`[[ignore]]` entries with a `reason` and an optional
    /// `expires`) and rule levels. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub ignore: Vec<PathBuf>,
    /// Project configuration whose `[diff]` section is read if the file exists.
    #[arg(long, value_name = "FILE", default_value = "oaskit.toml")]
    pub config: PathBuf,
    /// Require deprecations of stable operations, parameters and properties to carry an
    /// `x-sunset` at least this many days ahead.
    #[arg(long, value_name = "DAYS")]
    pub deprecation_days_stable: Option<u32>,
    /// The same for `x-stability-level: beta`.
    #[arg(long, value_name = "DAYS")]
    pub deprecation_days_beta: Option<u32>,
    /// Judge `x-sunset` dates and ignore-entry expiries as of this day (YYYY-MM-DD) instead
    /// of today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<Date>,
    /// One finding per operation a change reaches, as oasdiff reports, instead of one per
    /// change listing the operations.
    #[arg(long)]
    pub per_operation: bool,
    #[command(flatten)]
    pub load: LoadArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(args: &DiffArgs) -> i32 {
    if args.report.list_rules {
        return list_rules(RuleCommand::Diff);
    }
    let (Some(base_spec), Some(revision_spec)) = (&args.base, &args.revision) else {
        print_stderr("error: BASE and REVISION are required");
        return EXIT_ERROR;
    };
    let config = match configuration(args) {
        Ok(c) => c,
        Err(message) => {
            print_stderr(&format!("error: {message}"));
            let failure = Finding::new(LOAD_ERROR, Level::Error, message);
            return fail_with_report(
                Report::default(),
                vec![failure],
                &args.report,
                &NoSources,
                "diff",
            );
        }
    };
    let today = args.today.unwrap_or_else(Date::today);
    let options = args.load.options();
    // The two specs are independent: load them side by side (half the wall time on big specs).
    // Once the model is built the diff reads the documents' text only (positions, and whether a
    // keyword is written): the value trees go (N = 16,000: ~175 MB per spec).
    let load = |spec: &str| {
        Contract::load(spec, &options).map(|mut contract| {
            contract.documents.release_json_trees();
            contract
        })
    };
    let (base, revision) = std::thread::scope(|scope| {
        let base = scope.spawn(|| load(base_spec));
        let revision = load(revision_spec);
        (base.join(), revision)
    });
    let base = match base {
        Ok(result) => result,
        Err(_) => {
            let message = format!("loading {base_spec} failed unexpectedly");
            print_stderr(&format!("error: {message}"));
            let failure = Finding::new(LOAD_ERROR, Level::Error, message);
            return fail_with_report(
                Report::default(),
                vec![failure],
                &args.report,
                &NoSources,
                "diff",
            );
        }
    };
    let (base, revision) = match (base, revision) {
        (Ok(b), Ok(r)) => (b, r),
        (b, r) => {
            let mut failures = Vec::new();
            for e in [b.err(), r.err()].into_iter().flatten() {
                print_load_error(&e);
                failures.push(load_error_finding(&e));
            }
            return fail_with_report(
                Report::default(),
                failures,
                &args.report,
                &NoSources,
                "diff",
            );
        }
    };
    let judged = oaskit::rules::judge_diff(&base, &revision, &config, today);
    let report = Report::new(judged.findings).with_waived(judged.waived);
    let sources = ManySources(vec![
        &revision.documents as &dyn SourceLines,
        &base.documents as &dyn SourceLines,
    ]);
    print_report(&report, &args.report, &sources, "diff");
    let code = report.exit_code(args.report.fail_on);
    // The process ends here: the OS reclaims the two contracts and the report at once.
    drop(sources);
    std::mem::forget((base, revision, report));
    code
}

/// `oaskit.toml` `[diff]` (if the file exists), then each `--ignore` file, then `--rule` and the
/// deprecation flags.
fn configuration(args: &DiffArgs) -> Result<DiffConfig, String> {
    let mut config = DiffConfig::default();
    if args.config.exists() {
        let text = oaskit::check::config::read_config_file(&args.config)?;
        if let Some(section) =
            DiffConfig::from_toml(&text, &args.config.display().to_string(), true)?
        {
            config.merge(section);
        }
    } else if args.config.as_path() != std::path::Path::new("oaskit.toml") {
        return Err(format!("{}: no such file", args.config.display()));
    }
    for path in &args.ignore {
        let text = oaskit::check::config::read_config_file(path)?;
        if let Some(section) = DiffConfig::from_toml(&text, &path.display().to_string(), false)? {
            config.merge(section);
        }
    }
    config.levels = args.report.levels(&config.levels)?;
    config.per_operation = args.per_operation;
    if args.deprecation_days_stable.is_some() || args.deprecation_days_beta.is_some() {
        let mut policy = config.deprecation_days.unwrap_or_default();
        if let Some(days) = args.deprecation_days_stable {
            policy.stable = days;
        }
        if let Some(days) = args.deprecation_days_beta {
            policy.beta = days;
        }
        config.deprecation_days = Some(DeprecationPolicy { ..policy });
    }
    Ok(config)
}
