//! Golden files: one update switch for every test that compares output with a committed file.
//! `OASKIT_BLESS=1 cargo test` rewrites them (review the diff before committing it).

use std::path::Path;

/// The switch's name, for messages.
pub const BLESS: &str = "OASKIT_BLESS";

/// Whether this run rewrites golden files instead of comparing with them.
pub fn blessing() -> bool {
    std::env::var_os(BLESS).is_some()
}

/// Compares `actual` with the golden file at `path`, or rewrites the file when blessing. A
/// mismatch names the first differing line and how to bless.
pub fn check(path: &Path, actual: &str) {
    if blessing() {
        std::fs::write(path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with {BLESS}=1 to create it)", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from what the test produced from line {} on (expected {:?}, got {:?}); \
             run with {BLESS}=1 to rewrite it and review the diff",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>"),
        );
    }
}
