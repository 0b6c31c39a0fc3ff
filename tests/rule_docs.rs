//! docs/rules.md's rule tables are generated from the catalogue: this test fails when they
//! differ, and `OASKIT_BLESS=1 cargo test --test rule_docs` rewrites them.

mod common;

use oaskit::catalogue::markdown::{families_missing_from, render_regions};

#[test]
fn rule_tables_match_the_catalogue() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let text = std::fs::read_to_string(path).expect("docs/rules.md");
    let rendered = render_regions(&text).expect("docs/rules.md regions");
    let missing = families_missing_from(&text);
    assert!(
        missing.is_empty(),
        "families without a `<!-- rules:NAME -->` region in docs/rules.md: {missing:?}"
    );
    common::golden::check(std::path::Path::new(path), &rendered);
}
