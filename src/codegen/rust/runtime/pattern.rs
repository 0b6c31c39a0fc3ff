//! `pattern`: ECMA-262 regular expressions, as JSON Schema specifies them, compiled once, on a
//! linear-time engine wherever the pattern allows it.
//!
//! A backtracking engine takes exponential time on patterns such as `^(a+)+$` (40 s for 31
//! characters with `regress`), and a request timeout cannot preempt a running match. So a
//! pattern is translated to the `regex` crate's syntax (finite automata, linear in the input)
//! with ECMA-262's meanings kept (`\d` and `\w` are ASCII, `.` stops at line terminators); only a
//! pattern `regex` cannot express (backreferences, lookaround) runs on `regress`, and then only on
//! values of at most [`BACKTRACKING_MAX_CHARS`] characters: longer ones are refused unchecked.

use std::sync::OnceLock;

use super::{At, Errors};

/// The longest value a pattern that needs backtracking (backreferences, lookaround) is run on;
/// longer values are refused. It bounds polynomial blow-ups; an exponential pattern can still
/// take long below it, which is why every other pattern runs on the linear-time engine.
pub const BACKTRACKING_MAX_CHARS: usize = 1000;

/// A `pattern`, compiled on first use.
pub struct Pattern {
    source: &'static str,
    /// The flags `regress` accepted the pattern with at generation (`u`, or none).
    flags: &'static str,
    engine: OnceLock<Option<Engine>>,
}

enum Engine {
    Linear(regex::Regex),
    Backtracking(regress::Regex),
}

impl Pattern {
    pub const fn new(source: &'static str, flags: &'static str) -> Pattern {
        Pattern {
            source,
            flags,
            engine: OnceLock::new(),
        }
    }

    fn engine(&self) -> Option<&Engine> {
        self.engine
            .get_or_init(|| {
                if let Some(regex) = to_linear(self.source, self.flags)
                    .and_then(|translated| regex::Regex::new(&translated).ok())
                {
                    return Some(Engine::Linear(regex));
                }
                regress::Regex::with_flags(self.source, self.flags)
                    .ok()
                    .map(Engine::Backtracking)
            })
            .as_ref()
    }

    /// Whether `value` matches (a property name against a `patternProperties` pattern). A
    /// pattern that does not compile matches every value; one that needs backtracking matches
    /// no value longer than [`BACKTRACKING_MAX_CHARS`].
    pub fn is_match(&self, value: &str) -> bool {
        match self.engine() {
            None => true,
            Some(Engine::Linear(regex)) => regex.is_match(value),
            Some(Engine::Backtracking(regex)) => {
                value.chars().count() <= BACKTRACKING_MAX_CHARS && regex.find(value).is_some()
            }
        }
    }

    /// Whether the pattern runs on the linear-time engine.
    pub fn is_linear(&self) -> bool {
        matches!(self.engine(), Some(Engine::Linear(_)))
    }
}

pub fn check_pattern(value: &str, pattern: &Pattern, at: &At, errors: &mut Errors) {
    // A pattern that does not compile was reported when the server was generated; it accepts
    // every value rather than none.
    let matches = match pattern.engine() {
        None => true,
        Some(Engine::Linear(regex)) => regex.is_match(value),
        Some(Engine::Backtracking(regex)) => {
            if value.chars().count() > BACKTRACKING_MAX_CHARS {
                errors.push(
                    at,
                    format_args!(
                        "is longer than {BACKTRACKING_MAX_CHARS} characters, the most checked against the pattern `{}`",
                        pattern.source
                    ),
                );
                return;
            }
            regex.find(value).is_some()
        }
    };
    if !matches {
        errors.push(
            at,
            format_args!("must match the pattern `{}`", pattern.source),
        );
    }
}

/// The pattern in the `regex` crate's syntax with ECMA-262's meanings, or `None` when it uses
/// something whose meaning differs and is not translated (then `regex` is not used; what
/// `regex` does not support at all fails to compile, with the same effect).
///
/// Only a pattern `regress` accepted in Unicode mode (`u`) is translated: there, escapes of
/// letters without a meaning (`\z`, `\A`) are syntax errors, so every escape left has the same
/// meaning in both syntaxes except the ones rewritten here.
fn to_linear(source: &str, flags: &str) -> Option<String> {
    if flags != "u" {
        return None;
    }
    let mut out = String::with_capacity(source.len() + 16);
    let mut chars = source.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next()?;
                match escaped {
                    'd' => out.push_str("[0-9]"),
                    'D' => out.push_str("[^0-9]"),
                    'w' => out.push_str("[0-9A-Za-z_]"),
                    'W' => out.push_str("[^0-9A-Za-z_]"),
                    'b' if !in_class => out.push_str(r"(?-u:\b)"),
                    'B' if !in_class => out.push_str(r"(?-u:\B)"),
                    'u' => {
                        // \u{1F600} or \uFFFF.
                        let hex: String = if chars.peek() == Some(&'{') {
                            chars.next();
                            let hex: String = chars.by_ref().take_while(|c| *c != '}').collect();
                            hex
                        } else {
                            chars.by_ref().take(4).collect()
                        };
                        if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                            return None;
                        }
                        out.push_str(&format!("\\x{{{hex}}}"));
                    }
                    // Letters and digits with an ECMA-262 meaning `regex` shares, or lacks (then
                    // it fails to compile): \s \S \t \n \r \f \v \p{..} \P{..} \x.. \c.. \0 \1.
                    c if c.is_ascii_alphanumeric() => {
                        out.push('\\');
                        out.push(c);
                    }
                    // An escaped symbol is the symbol itself, escaped the way `regex` wants.
                    c => {
                        if in_class {
                            out.push('\\');
                            out.push(c);
                        } else {
                            out.push_str(&regex::escape(&c.to_string()));
                        }
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // `[^]` (anything) and `[]` (nothing) have no `regex` spelling: not translated.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next()?);
                }
                if chars.peek() == Some(&']') {
                    return None;
                }
            }
            // `regex` reads `[` inside a class as a nested class, ECMA-262 as a character.
            '[' => out.push_str(r"\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            // `regex` gives `&&`, `--` and `~~` inside a class a meaning (set operations).
            '&' | '-' | '~' if in_class && chars.peek() == Some(&c) => return None,
            '.' if !in_class => out.push_str(r"[^\n\r\x{2028}\x{2029}]"),
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(source: &'static str, value: &str) -> bool {
        let pattern = Pattern::new(source, "u");
        let mut errors = Errors::new();
        check_pattern(value, &pattern, &At::body(), &mut errors);
        errors.is_empty()
    }

    #[test]
    fn nested_quantifiers_run_in_linear_time() {
        let pattern = Pattern::new("^(a+)+$", "u");
        assert!(pattern.is_linear());
        let started = std::time::Instant::now();
        let mut errors = Errors::new();
        check_pattern(
            &format!("{}!", "a".repeat(100_000)),
            &pattern,
            &At::body(),
            &mut errors,
        );
        assert_eq!(errors.len(), 1);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn ecma_meanings_are_kept() {
        // \d is ASCII in ECMA-262 (regex's \d would take the Arabic-Indic ٣).
        assert!(matches(r"^\d{3}$", "123"));
        assert!(!matches(r"^\d{3}$", "١٢٣"));
        assert!(!matches(r"^\w+$", "é"));
        assert!(matches(r"^\p{L}+$", "Zoë"));
        // `.` stops at line terminators; `$` is the end of the input.
        assert!(!matches("^a.b$", "a\nb"));
        assert!(!matches("^ab$", "ab\n"));
        assert!(matches(r"^\u{1F600}\u0041$", "😀A"));
        assert!(matches(r"^[\[\]a-]+$", "[]-a"));
        assert!(matches(r"^[[a]+$", "[a"));
        assert!(matches(r"^\/\.\*$", "/.*"));
        assert!(matches(r"^[\/\.]+$", "/."));
        // Unanchored, like JSON Schema's pattern.
        assert!(matches("b", "abc"));
    }

    #[test]
    fn backreferences_backtrack_within_a_length_cap() {
        let pattern = Pattern::new(r"^(a)\1$", "u");
        assert!(!pattern.is_linear());
        assert!(matches(r"^(a)\1$", "aa"));
        assert!(!matches(r"^(a)\1$", "ab"));
        assert!(!matches(r"^(?=a)", &"a".repeat(BACKTRACKING_MAX_CHARS + 1)));
        assert!(matches(r"^(?=a)", &"a".repeat(BACKTRACKING_MAX_CHARS)));
    }

    #[test]
    fn untranslated_forms() {
        assert_eq!(to_linear("a", ""), None);
        assert_eq!(to_linear("[^]", "u"), None);
        assert_eq!(to_linear("[a&&b]", "u"), None);
        assert!(Pattern::new("[^]", "u").engine().is_some());
    }
}
