//! Prints what example validation checked in each spec: distinct examples and defaults
//! validated, how many were invalid, how many could not be checked, and the findings by rule.
//! The counts behind the example comparison with redocly and spectral (issue #3):
//! `cargo run --release --example example_stats -- SPEC...`.

use std::collections::BTreeMap;

use oaskit::validate::examples::{ExampleOptions, check};
use oaskit::{Contract, LoadOptions};

fn main() {
    let mut failed = false;
    for spec in std::env::args().skip(1) {
        let contract = match Contract::load(&spec, &LoadOptions::default()) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
                continue;
            }
        };
        let (findings, stats) = check(&contract, &ExampleOptions::default());
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for finding in &findings {
            *by_rule.entry(finding.rule.as_str()).or_default() += 1;
        }
        let rules: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r}={n}")).collect();
        println!(
            "{spec}\texamples={}\tinvalid_examples={}\tdefaults={}\tinvalid_defaults={}\tunchecked={}\t{}",
            stats.examples,
            stats.invalid_examples,
            stats.defaults,
            stats.invalid_defaults,
            stats.unchecked,
            rules.join(" ")
        );
    }
    std::process::exit(i32::from(failed));
}
