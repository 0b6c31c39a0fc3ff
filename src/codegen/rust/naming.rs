//! Rust identifiers from whatever a spec calls things: case conversion, keywords (raw
//! identifiers where Rust allows them, renames where it does not), names that would shadow the
//! prelude, collisions after conversion, and literals that no spec text can break out of.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2024 (weak keywords like `union` are identifiers).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `name` is a Rust keyword (strict or reserved).
pub(super) fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Keywords that cannot be raw identifiers: they are renamed instead.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// Names of the std prelude (and of what generated modules import) that a generated type must
/// not shadow: `Option`, `Result`, `Box`, `String`, `Vec`, their variants, the derive traits.
pub(super) const PRELUDE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Box",
    "String",
    "ToString",
    "Vec",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Default",
    "Iterator",
    "Extend",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "ToOwned",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Future",
    "IntoFuture",
    "Debug",
    "Hash",
    "Serialize",
    "Deserialize",
    "BTreeMap",
    "Validate",
    "Self",
];

/// `snake_case` for fields, functions and variables; keywords become raw identifiers
/// (`r#type`), or get a trailing underscore where Rust forbids raw ones (`self_`).
pub(super) fn snake_ident(raw: &str) -> String {
    let base = ascii_words(raw).to_snake_case();
    let base = if base.is_empty() {
        "field".to_string()
    } else {
        base
    };
    let base = if base.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{base}")
    } else {
        base
    };
    escape_keyword(base)
}

/// `UpperCamelCase` for types and enum variants; `prefix` goes before a leading digit.
pub(super) fn pascal_ident(raw: &str, prefix: &str) -> String {
    let base = ascii_words(raw).to_upper_camel_case();
    let base = if base.is_empty() {
        prefix.to_string()
    } else {
        base
    };
    let base = if base.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{base}")
    } else {
        base
    };
    escape_keyword(base)
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Keeps ASCII letters and digits, turns separators into word breaks, spells out signs that
/// carry meaning (`+1` and `-1` must not both become `1`), and writes other characters as their
/// code point so that distinct non-ASCII names stay distinct.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (i, c) in raw.chars().enumerate() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => out.push(c),
            '+' if i == 0 => out.push_str("plus "),
            '-' if i == 0 => out.push_str("minus "),
            c if c.is_ascii() => out.push(' '),
            c => out.push_str(&format!(" u{:x} ", u32::from(c))),
        }
    }
    out
}

/// An identifier to build longer names on: without `r#` and without the trailing underscore of a
/// renamed keyword (`Self_` + `Request` must be `SelfRequest`).
pub(super) fn stem(ident: &str) -> &str {
    let bare = unraw(ident);
    let trimmed = bare.trim_end_matches('_');
    if trimmed.is_empty() { bare } else { trimmed }
}

/// The identifier without its `r#` prefix, as serde sees it.
pub(super) fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Hands out unique identifiers in one namespace, in the order asked (so output is stable).
#[derive(Debug, Default, Clone)]
pub(super) struct Namer {
    used: HashSet<String>,
    /// How a second `name` is spelled: `"_"` gives `name_2` (snake case), `""` gives `Name2`.
    separator: &'static str,
}

impl Namer {
    pub(super) fn snake() -> Namer {
        Namer {
            used: HashSet::new(),
            separator: "_",
        }
    }

    pub(super) fn pascal() -> Namer {
        Namer {
            used: HashSet::new(),
            separator: "",
        }
    }

    /// Marks names as taken (imports, prelude, generated helpers).
    pub(super) fn reserve<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        self.used.extend(names.into_iter().map(str::to_string));
    }

    /// `ident` if it is free, otherwise `ident2`, `ident3`... (`ident_2` in snake case).
    pub(super) fn fresh(&mut self, ident: &str) -> String {
        if self.used.insert(unraw(ident).to_string()) {
            return ident.to_string();
        }
        // `self_` + 2 is `self_2`, not `self__2`, which the case lints reject.
        let base = stem(ident);
        let mut n: u64 = 2;
        loop {
            let candidate = format!("{base}{}{n}", self.separator);
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// A Rust string literal holding `text` exactly: quotes, backslashes and control characters
/// escaped, so no spec text can end the literal early.
pub(super) fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `#[doc = "..."]` attributes for a description: one per line, as literals (prettyplease
/// prints them as `///` lines). Tabs become spaces and control characters are dropped, so the
/// text reads the same and clippy's doc lints stay quiet on it.
pub(super) fn doc_attrs(text: &str) -> Vec<String> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    text.lines()
        .map(|line| {
            let clean: String = line
                .replace('\t', "    ")
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>();
            let clean = clean.trim_end();
            if clean.is_empty() {
                "#[doc = \"\"]".to_string()
            } else {
                format!("#[doc = {}]", string_literal(&format!(" {clean}")))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_survive_hostile_names() {
        let cases = [
            ("petId", "pet_id"),
            ("X-Total-Count", "x_total_count"),
            ("type", "r#type"),
            ("self", "self_"),
            ("Self", "self_"),
            ("super", "super_"),
            ("crate", "crate_"),
            ("$ref", "r#ref"),
            ("@type", "r#type"),
            ("2fa", "_2fa"),
            ("", "field"),
            ("+1", "plus_1"),
            ("-1", "minus_1"),
            ("名前", "u540d_u524d"),
            ("async", "r#async"),
            ("gen", "r#gen"),
            ("union", "union"),
        ];
        for (raw, want) in cases {
            assert_eq!(snake_ident(raw), want, "{raw:?}");
        }
        let cases = [
            ("pet_status", "PetStatus"),
            ("Self", "Self_"),
            ("self", "Self_"),
            ("200", "V200"),
            ("", "V"),
            ("not-found", "NotFound"),
            ("type", "Type"),
        ];
        for (raw, want) in cases {
            assert_eq!(pascal_ident(raw, "V"), want, "{raw:?}");
        }
    }

    #[test]
    fn namer_disambiguates_collisions_after_case_conversion() {
        let mut snake = Namer::snake();
        assert_eq!(snake.fresh(&snake_ident("fooBar")), "foo_bar");
        assert_eq!(snake.fresh(&snake_ident("foo_bar")), "foo_bar_2");
        assert_eq!(snake.fresh(&snake_ident("FOO-BAR")), "foo_bar_3");
        assert_eq!(snake.fresh("r#type"), "r#type");
        assert_eq!(snake.fresh("r#type"), "type_2");
        assert_eq!(snake.fresh("self_"), "self_");
        assert_eq!(snake.fresh("self_"), "self_2");
        let mut pascal = Namer::pascal();
        pascal.reserve(PRELUDE.iter().copied());
        assert_eq!(pascal.fresh("Result"), "Result2");
        assert_eq!(pascal.fresh("Pet"), "Pet");
        assert_eq!(pascal.fresh("Pet"), "Pet2");
        assert_eq!(pascal.fresh("Self_"), "Self_");
        assert_eq!(pascal.fresh("Self_"), "Self2");
    }

    #[test]
    fn literals_and_docs_cannot_be_escaped() {
        assert_eq!(string_literal("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(string_literal("\u{0}"), r#""\u{0}""#);
        let docs = doc_attrs("line */ one\n\n\tsecond \"quoted\"\r\n");
        assert_eq!(
            docs,
            vec![
                r#"#[doc = " line */ one"]"#,
                r#"#[doc = ""]"#,
                r#"#[doc = "     second \"quoted\""]"#
            ]
        );
        for attr in docs {
            syn::parse_str::<syn::File>(&format!("{attr}\nstruct A;"))
                .unwrap_or_else(|e| panic!("{attr}: {e}"));
        }
    }
}
