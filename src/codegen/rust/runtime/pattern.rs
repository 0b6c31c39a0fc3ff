//! `pattern`: ECMA-262 regular expressions, as JSON Schema specifies them, compiled once.

use super::{At, Errors};

/// A `pattern`, compiled once as the ECMA-262 regular expression JSON Schema specifies.
pub struct Pattern {
    source: &'static str,
    regex: std::sync::LazyLock<Option<regress::Regex>>,
}

impl Pattern {
    pub const fn new(source: &'static str, compile: fn() -> Option<regress::Regex>) -> Pattern {
        Pattern {
            source,
            regex: std::sync::LazyLock::new(compile),
        }
    }
}

pub fn check_pattern(value: &str, pattern: &Pattern, at: &At, errors: &mut Errors) {
    // A pattern that does not compile was reported when the server was generated; it accepts
    // every value rather than none.
    if let Some(regex) = pattern.regex.as_ref()
        && regex.find(value).is_none()
    {
        errors.push(
            at,
            format_args!("must match the pattern `{}`", pattern.source),
        );
    }
}
