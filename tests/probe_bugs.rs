//! `oaskit probe` against the probe target (tests/probe_target): every seeded contract bug is
//! reported under its operation and rule, nothing else is; the correct twin gives no findings;
//! the same seed sends the same requests.

mod common;
mod probe_target;

use common::*;
use probe_target::{API_KEY, Bug, Bugs};
use std::time::{Duration, Instant};

struct Run {
    findings: Vec<serde_json::Value>,
    stdout: String,
    stderr: String,
    code: i32,
    elapsed: Duration,
}

fn probe(bugs: Bugs, extra: &[&str]) -> Run {
    let addr = probe_target::start(bugs, 0);
    let (_dir, spec) = temp_spec("inventory.yaml", probe_target::SPEC.as_bytes());
    let base = format!("http://{addr}");
    let mut args = vec![
        "probe",
        &spec,
        "--base-url",
        &base,
        "--include-unsafe",
        "--timeout",
        "5",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let start = Instant::now();
    let out = oaskit(&args);
    let elapsed = start.elapsed();
    let doc = json(&out);
    Run {
        findings: doc["findings"].as_array().cloned().unwrap_or_default(),
        stdout: out.stdout,
        stderr: out.stderr,
        code: out.code,
        elapsed,
    }
}

fn with_key() -> [&'static str; 2] {
    ["--api-key", API_KEY]
}

fn requests_sent(stderr: &str) -> usize {
    stderr
        .lines()
        .find_map(|l| {
            l.strip_prefix("probe: ")?
                .split(" requests in")
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

fn matches(finding: &serde_json::Value, (operation, rule, needle): (&str, &str, &str)) -> bool {
    finding["operation"] == operation
        && finding["rule"] == rule
        && (finding["message"].as_str().unwrap_or("").contains(needle)
            || finding["help"].as_str().unwrap_or("").contains(needle))
}

#[test]
fn the_correct_twin_gives_no_findings() {
    let run = probe(Bugs::none(), &with_key());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.findings.is_empty(), "{}\n{}", run.stdout, run.stderr);
    let sent = requests_sent(&run.stderr);
    assert!(
        (60..=300).contains(&sent),
        "{sent} requests: {}",
        run.stderr
    );
}

#[test]
fn every_seeded_bug_is_found_and_nothing_else() {
    let run = probe(Bugs::all(), &with_key());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let missed: Vec<Bug> = Bug::ALL
        .into_iter()
        .filter(|bug| !run.findings.iter().any(|f| matches(f, bug.expected())))
        .collect();
    assert!(
        missed.is_empty(),
        "missed {missed:?}\n{}\n{}",
        run.stdout,
        run.stderr
    );
    // Every finding is one of the seeded bugs (a bug may show under more than one operation).
    let unexplained: Vec<String> = run
        .findings
        .iter()
        .filter(|f| !Bug::ALL.into_iter().any(|bug| bug.explains(f)))
        .map(|f| format!("{} {} {}", f["operation"], f["rule"], f["message"]))
        .collect();
    assert!(unexplained.is_empty(), "{unexplained:#?}");
    let sent = requests_sent(&run.stderr);
    assert!(sent <= 300, "{sent} requests");
    assert!(run.elapsed < Duration::from_secs(20), "{:?}", run.elapsed);
}

#[test]
fn the_same_seed_sends_the_same_requests() {
    let first = probe(Bugs::all(), &with_key());
    let second = probe(Bugs::all(), &with_key());
    let shape = |run: &Run| -> Vec<String> {
        run.findings
            .iter()
            .map(|f| format!("{} {} {}", f["operation"], f["rule"], f["message"]))
            .collect()
    };
    // Ports differ between the two servers; the findings (and their requests) do not.
    assert_eq!(shape(&first), shape(&second));
    assert!(first.stderr.contains("seed 0"), "{}", first.stderr);
    let other = probe(Bugs::all(), &["--api-key", API_KEY, "--seed", "7"]);
    assert!(other.stderr.contains("seed 7"), "{}", other.stderr);
}

#[test]
fn without_credentials_secured_operations_are_refusals_and_a_warning_says_so() {
    let run = probe(Bugs::none(), &[]);
    let rules: Vec<&str> = run
        .findings
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, vec!["probe-no-credentials"], "{}", run.stdout);
    assert_eq!(run.code, 0, "a warning does not fail under --fail-on error");
}

#[test]
fn a_bound_budget_is_kept_and_what_was_left_out_is_listed() {
    let run = probe(
        Bugs::none(),
        &["--api-key", API_KEY, "--max-requests", "20"],
    );
    assert_eq!(requests_sent(&run.stderr), 20, "{}", run.stderr);
    assert!(run.stderr.contains("over --max-requests"), "{}", run.stderr);
}

#[test]
fn an_unknown_operation_is_an_error() {
    let (_dir, spec) = temp_spec("inventory.yaml", probe_target::SPEC.as_bytes());
    let out = oaskit(&[
        "probe",
        &spec,
        "--base-url",
        "http://127.0.0.1:9",
        "--operation",
        "listItemz",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("listItemz"), "{}", out.stderr);
}
