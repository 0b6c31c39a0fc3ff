//! oasdiff's own test pairs as a peer suite: for every pair in
//! `../shared/corpus/oasdiff/EXPECTED.md` whose expected rule ids all exist in our registry,
//! `oaskit diff` must report each of them at the same level or stricter. Also measures how much
//! of oasdiff's error-level vocabulary the registry covers.
//!
//! Without the corpus (a checkout outside the project tree) the test prints a note and passes;
//! `.ci/run` sets `OASKIT_REQUIRE_CORPUS=1`, which turns a missing corpus into a failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use oaskit::report::Level;
use oaskit::rules::{CheckOptions, DeprecationPolicy, DiffConfig, lookup};
use oaskit::{Contract, LoadOptions};

/// Pass rate the suite must reach (share of eligible pairs).
const PASS_RATE_TARGET: f64 = 0.95;
/// Share of oasdiff's error-level ids (in EXPECTED.md) the registry must cover.
const COVERAGE_TARGET: f64 = 0.90;

struct Row {
    /// False for the "expect no change" table.
    changes: bool,
    number: usize,
    base: String,
    revision: String,
    expected: Vec<(String, Level)>,
    checks: String,
}

fn corpus() -> Option<PathBuf> {
    let shared = std::env::var_os("OASKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = shared.join("corpus/oasdiff");
    dir.join("EXPECTED.md").is_file().then_some(dir)
}

fn level(text: &str) -> Option<Level> {
    match text {
        "error" => Some(Level::Error),
        "warning" => Some(Level::Warning),
        "info" => Some(Level::Info),
        _ => None,
    }
}

fn parse(expected_md: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut section = None;
    for line in expected_md.lines() {
        if line.starts_with("## ") {
            section = if line.starts_with("## Pairs with expected changes") {
                Some(true)
            } else if line.starts_with("## Pairs the tests expect to report no change") {
                Some(false)
            } else {
                None
            };
            continue;
        }
        let Some(changes) = section else { continue };
        if !line.starts_with("| ") || line.starts_with("| #") {
            continue;
        }
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split(" | ")
            .map(str::trim)
            .collect();
        if cells.len() < 5 {
            continue;
        }
        if !changes {
            rows.push(Row {
                changes,
                number: cells[0].parse().unwrap_or(0),
                base: cells[1].trim_matches('`').to_string(),
                revision: cells[2].trim_matches('`').to_string(),
                expected: Vec::new(),
                checks: cells[3].to_string(),
            });
            continue;
        }
        let Ok(number) = cells[0].parse() else {
            continue;
        };
        let mut expected = Vec::new();
        for item in cells[3].split("<br>") {
            let item = item.trim();
            let Some(rest) = item.strip_prefix('`') else {
                continue;
            };
            let Some((id, tail)) = rest.split_once('`') else {
                continue;
            };
            let lvl = tail.trim().trim_start_matches('(').trim_end_matches(')');
            if let Some(l) = level(lvl) {
                expected.push((id.to_string(), l));
            }
        }
        rows.push(Row {
            changes,
            number,
            base: cells[1].trim_matches('`').to_string(),
            revision: cells[2].trim_matches('`').to_string(),
            expected,
            checks: cells[5].to_string(),
        });
    }
    rows
}

/// `(deprecation days: beta 31, stable 180)` in the checks column.
fn policy(checks: &str) -> Option<DeprecationPolicy> {
    let start = checks.find("deprecation days:")?;
    let text = &checks[start..];
    let number_after = |key: &str| -> Option<u32> {
        let i = text.find(key)? + key.len();
        text[i..]
            .trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    Some(DeprecationPolicy {
        stable: number_after("stable")?,
        beta: number_after("beta")?,
    })
}

/// oasdiff's levels where ours are a policy: it judges a new `oneOf` alternative in a response
/// an error (an `anyOf` one info, an enum value a warning), so the suite runs with
/// `[diff] response-growth = "error"`, the setting a team wanting oasdiff's verdicts would use.
fn oasdiff_levels() -> oaskit::rules::RuleLevels {
    let config = DiffConfig {
        response_growth: Some(Some(Level::Error)),
        ..DiffConfig::default()
    };
    config.effective_levels()
}

#[test]
fn oasdiff_pairs_report_the_expected_rules() {
    let Some(dir) = corpus() else {
        if std::env::var_os("OASKIT_REQUIRE_CORPUS").is_some() {
            panic!(
                "OASKIT_REQUIRE_CORPUS is set but ../shared/corpus/oasdiff/EXPECTED.md is missing"
            );
        }
        eprintln!("note: ../shared/corpus/oasdiff not found; skipping the oasdiff peer suite");
        return;
    };
    let text = std::fs::read_to_string(dir.join("EXPECTED.md")).expect("EXPECTED.md is readable");
    let rows = parse(&text);
    assert!(
        rows.len() > 300,
        "parsed only {} rows of EXPECTED.md",
        rows.len()
    );

    // Coverage of the error-level vocabulary.
    let mut error_ids: BTreeMap<String, bool> = BTreeMap::new();
    for row in &rows {
        for (id, l) in &row.expected {
            if *l == Level::Error {
                error_ids.insert(id.clone(), lookup(id).is_some());
            }
        }
    }
    let covered = error_ids.values().filter(|c| **c).count();
    let coverage = covered as f64 / error_ids.len() as f64;
    let missing: Vec<&String> = error_ids
        .iter()
        .filter(|(_, c)| !**c)
        .map(|(id, _)| id)
        .collect();

    let verbose = std::env::var_os("OASKIT_DIFF_VERBOSE").is_some();
    // `OASKIT_DIFF_ONLY=12,40` runs only those rows (for debugging).
    let only: Vec<usize> = std::env::var("OASKIT_DIFF_ONLY")
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_default();
    let options = LoadOptions::default();
    let (mut eligible, mut passed) = (0usize, 0usize);
    let mut failures = Vec::new();
    let mut quiet_pairs = (0usize, 0usize);
    for row in rows
        .iter()
        .filter(|r| !r.changes && r.checks.starts_with("all checks"))
    {
        // oasdiff runs all its checks on these and expects nothing at WARN or above.
        let load = |p: &str| Contract::load(&dir.join(p).display().to_string(), &options);
        let (Ok(base), Ok(revision)) = (load(&row.base), load(&row.revision)) else {
            continue;
        };
        let changes = oaskit::diff::diff(&base, &revision);
        let findings = oaskit::rules::check(&changes, &base, &revision, &CheckOptions::default());
        let loud: Vec<String> = findings
            .iter()
            .filter(|f| f.level >= Level::Warning)
            .map(|f| format!("{} {}: {}", f.level, f.rule, f.message))
            .collect();
        quiet_pairs.1 += 1;
        if loud.is_empty() {
            quiet_pairs.0 += 1;
        } else {
            eprintln!(
                "  no-change pair #{} {} -> {} reports: {}",
                row.number,
                row.base,
                row.revision,
                loud.join("; ")
            );
        }
    }
    eprintln!(
        "oasdiff no-change pairs (all checks): {}/{} quiet at warning and above",
        quiet_pairs.0, quiet_pairs.1
    );
    for row in rows.iter().filter(|r| r.changes) {
        if row.expected.is_empty() || !row.expected.iter().all(|(id, _)| lookup(id).is_some()) {
            continue;
        }
        if !only.is_empty() && !only.contains(&row.number) {
            continue;
        }
        eligible += 1;
        let base_path = dir.join(&row.base);
        let revision_path = dir.join(&row.revision);
        let loaded = (
            Contract::load(&base_path.display().to_string(), &options),
            Contract::load(&revision_path.display().to_string(), &options),
        );
        let (base, revision) = match loaded {
            (Ok(b), Ok(r)) => (b, r),
            (b, r) => {
                let why = b
                    .err()
                    .or(r.err())
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                failures.push(format!(
                    "#{} {} -> {}: load error: {why}",
                    row.number, row.base, row.revision
                ));
                continue;
            }
        };
        let check_options = CheckOptions {
            deprecation_days: policy(&row.checks),
            levels: oasdiff_levels(),
            ..CheckOptions::default()
        };
        let changes = oaskit::diff::diff(&base, &revision);
        let findings = oaskit::rules::check(&changes, &base, &revision, &check_options);
        let mut missing_here = Vec::new();
        for (id, want) in &row.expected {
            let best = findings
                .iter()
                .filter(|f| f.rule == *id)
                .map(|f| f.level)
                .max();
            match best {
                Some(got) if got >= *want => {}
                Some(got) => missing_here.push(format!("{id} at {got}, expected {want}")),
                None => missing_here.push(format!("{id} missing")),
            }
        }
        if missing_here.is_empty() {
            passed += 1;
        } else {
            let mut report = format!(
                "#{} {} -> {}: {}",
                row.number,
                row.base,
                row.revision,
                missing_here.join("; ")
            );
            if verbose {
                for f in &findings {
                    report.push_str(&format!(
                        "\n      got {} {}: {}",
                        f.level, f.rule, f.message
                    ));
                }
            }
            failures.push(report);
        }
    }
    let rate = passed as f64 / eligible.max(1) as f64;
    eprintln!(
        "oasdiff peer suite: {passed}/{eligible} eligible pairs pass ({:.1}%); registry covers {covered}/{} error-level ids ({:.1}%)",
        rate * 100.0,
        error_ids.len(),
        coverage * 100.0
    );
    if !missing.is_empty() {
        eprintln!(
            "error-level ids not in the registry: {}",
            missing
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for f in &failures {
        eprintln!("  FAIL {f}");
    }
    assert!(
        rate >= PASS_RATE_TARGET,
        "pass rate {:.1}% is below {:.0}%",
        rate * 100.0,
        PASS_RATE_TARGET * 100.0
    );
    assert!(
        coverage >= COVERAGE_TARGET,
        "coverage {:.1}% is below {:.0}%",
        coverage * 100.0,
        COVERAGE_TARGET * 100.0
    );
}
