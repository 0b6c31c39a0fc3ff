//! The README's rule tables are generated from the catalogue: this test fails when they
//! differ, and `OASKIT_BLESS=1 cargo test --test readme_rules` rewrites them.

use oaskit::catalogue::readme::{families_missing_from, render_readme};

#[test]
fn readme_rule_tables_match_the_catalogue() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let text = std::fs::read_to_string(path).expect("README.md");
    let rendered = render_readme(&text).expect("README regions");
    if std::env::var_os("OASKIT_BLESS").is_some() {
        std::fs::write(path, &rendered).expect("write README.md");
        return;
    }
    let missing = families_missing_from(&text);
    assert!(
        missing.is_empty(),
        "families without a `<!-- rules:NAME -->` region in the README: {missing:?}"
    );
    if rendered != text {
        let first = rendered
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "README.md rule tables differ from the catalogue from line {} on; run `OASKIT_BLESS=1 cargo test --test readme_rules`",
            first + 1
        );
    }
}
