//! `oaskit probe SPEC --base-url URL`

use std::path::Path;
use std::time::Duration;

use clap::Args;
use oaskit::Contract;
use oaskit::probe::{ProbeAuth, ProbeOptions, ProbeStats, probe};
use oaskit::report::{NoSources, Report, escape};

use super::output::{
    config_error_finding, fail_with_report, load_error_finding, print_load_error, print_report,
    print_stderr,
};
use super::{EXIT_ERROR, LoadArgs, ReportArgs, RuleCommand, list_rules, project_levels};

#[derive(Args, Debug)]
pub struct ProbeArgs {
    /// The spec: a path, `-`, an http(s) URL, or `REV:path`.
    #[arg(value_name = "SPEC", required_unless_present = "list_rules")]
    pub spec: Option<String>,
    /// Where the server runs, e.g. `http://127.0.0.1:8080/v1` (paths are appended to it).
    #[arg(long, value_name = "URL", required_unless_present = "list_rules")]
    pub base_url: Option<String>,
    /// Also send POST, PUT, PATCH and DELETE requests (they may change data on the server).
    #[arg(long)]
    pub include_unsafe: bool,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub concurrency: usize,
    /// Seconds before a request is given up.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub timeout: u64,
    /// Response bodies larger than this many bytes are reported, not validated.
    #[arg(long, default_value_t = 8 * 1024 * 1024, value_name = "BYTES")]
    pub max_body: usize,
    /// Only probe this operation (operationId or `METHOD /path`). Repeatable.
    #[arg(long = "operation", value_name = "ID")]
    pub operations: Vec<String>,
    /// Bearer token for http bearer schemes (default: $OASKIT_BEARER).
    #[arg(
        long,
        env = "OASKIT_BEARER",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub bearer: Option<String>,
    /// `user:password` for http basic schemes (default: $OASKIT_BASIC).
    #[arg(
        long,
        env = "OASKIT_BASIC",
        hide_env_values = true,
        value_name = "USER:PASS"
    )]
    pub basic: Option<String>,
    /// Key for apiKey schemes (default: $OASKIT_API_KEY).
    #[arg(
        long,
        env = "OASKIT_API_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub api_key: Option<String>,
    /// An extra header `Name: value` sent with every request. Repeatable.
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// Send every request built from the examples this many times (a load smoke test; see the
    /// requests/s line).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub repeat: usize,
    /// Most requests in the run; variants past it are listed as not exercised.
    #[arg(long, default_value_t = oaskit::probe::DEFAULT_MAX_REQUESTS, value_name = "N")]
    pub max_requests: usize,
    /// Decides which variants go first under --max-requests and the letters of made-up
    /// strings; the same seed sends the same requests.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub seed: u64,
    /// Only the requests built from the examples: no variants, ids, lifecycles, auth negatives
    /// or HTTP-semantics requests.
    #[arg(long)]
    pub examples_only: bool,
    /// Do not assert `format` (date-time, uuid, int32, ...) in response bodies.
    #[arg(long)]
    pub no_format_assertions: bool,
    #[command(flatten)]
    pub load: LoadArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(args: &ProbeArgs) -> i32 {
    if args.report.list_rules {
        return list_rules(RuleCommand::Probe);
    }
    let (Some(spec), Some(base_url)) = (&args.spec, &args.base_url) else {
        print_stderr("error: SPEC and --base-url are required");
        return EXIT_ERROR;
    };
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
                "probe",
            );
        }
    };
    let mut headers = Vec::new();
    for h in &args.headers {
        match h.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() => {
                headers.push((name.trim().to_string(), value.trim().to_string()))
            }
            _ => {
                print_stderr(&format!("error: --header `{h}`: expected `Name: value`"));
                return EXIT_ERROR;
            }
        }
    }
    let contract = match Contract::load(spec, &args.load.options()) {
        Ok(c) => c,
        Err(e) => {
            print_load_error(&e);
            let failures = vec![load_error_finding(&e)];
            return fail_with_report(
                Report::default(),
                failures,
                &args.report,
                &NoSources,
                "probe",
            );
        }
    };
    let options = ProbeOptions {
        base_url: base_url.clone(),
        include_unsafe: args.include_unsafe,
        concurrency: args.concurrency,
        timeout: Duration::from_secs(args.timeout.max(1)),
        max_body_bytes: args.max_body,
        only: args.operations.clone(),
        auth: ProbeAuth {
            bearer: args.bearer.clone(),
            basic: args.basic.clone(),
            api_key: args.api_key.clone(),
            headers,
        },
        format_assertions: !args.no_format_assertions,
        repeat: args.repeat,
        max_requests: args.max_requests,
        seed: args.seed,
        examples_only: args.examples_only,
    };
    let (findings, stats) = match probe(&contract, &options) {
        Ok(r) => r,
        Err(e) => {
            print_stderr(&format!("error: {e}"));
            return EXIT_ERROR;
        }
    };
    let report = Report::new(levels.apply(findings));
    print_report(&report, &args.report, &contract.documents, "probe");
    // Through print_stderr: operation labels and notes come from the spec (escaped, and no
    // line a CI runner would read as a command).
    print_stderr(summary(&stats).trim_end());
    report.exit_code(args.report.fail_on)
}

/// Requests and statuses per operation, what was not exercised, and the totals (stderr: the
/// report on stdout stays one document).
fn summary(stats: &ProbeStats) -> String {
    // The totals line comes first: scripts read it as the first line, as before.
    let mut out = format!(
        "probe: {} requests in {:.2}s ({:.0} requests/s), {} operations skipped, seed {}\n",
        stats.sent,
        stats.elapsed.as_secs_f64(),
        stats.requests_per_second(),
        stats.skipped,
        stats.seed
    );
    out.push_str("probe: requests per operation\n");
    for op in &stats.operations {
        let statuses: Vec<String> = op
            .statuses
            .iter()
            .map(|(status, n)| format!("{status}×{n}"))
            .collect();
        out.push_str(&format!(
            "  {:>4}  {}  {}\n",
            op.sent,
            escape::single_line(&op.operation),
            statuses.join(" ")
        ));
        for note in &op.not_exercised {
            out.push_str(&format!(
                "        not exercised: {}\n",
                escape::single_line(note)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oaskit::probe::OperationSummary;

    /// Operation labels and notes are spec text: a path with a line feed must not start a line
    /// of its own (a CI runner reads `::error::` at the start of a line as a command).
    #[test]
    fn summary_keeps_spec_text_on_its_line() {
        let stats = ProbeStats {
            sent: 1,
            operations: vec![OperationSummary {
                operation: "GET /a\n::error::forged".to_string(),
                sent: 1,
                statuses: [(200, 1)].into_iter().collect(),
                not_exercised: vec!["why\n::warning::forged".to_string()],
            }],
            ..ProbeStats::default()
        };
        let text = summary(&stats);
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(
            text.lines()
                .all(|line| !line.trim_start().starts_with("::")),
            "{text}"
        );
        assert!(text.contains("GET /a\\u{a}::error::forged"), "{text}");
    }
}
