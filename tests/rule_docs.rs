//! docs/rules.md's rule tables are generated from the catalogue: this test fails when they
//! differ, and `OASKIT_BLESS=1 cargo test --test rule_docs` rewrites them.

use oaskit::catalogue::markdown::{families_missing_from, render_regions};

#[test]
fn rule_tables_match_the_catalogue() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let text = std::fs::read_to_string(path).expect("docs/rules.md");
    let rendered = render_regions(&text).expect("docs/rules.md regions");
    if std::env::var_os("OASKIT_BLESS").is_some() {
        std::fs::write(path, &rendered).expect("write docs/rules.md");
        return;
    }
    let missing = families_missing_from(&text);
    assert!(
        missing.is_empty(),
        "families without a `<!-- rules:NAME -->` region in docs/rules.md: {missing:?}"
    );
    if rendered != text {
        let first = rendered
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "docs/rules.md's rule tables differ from the catalogue from line {} on; run `OASKIT_BLESS=1 cargo test --test rule_docs`",
            first + 1
        );
    }
}
