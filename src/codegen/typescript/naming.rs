//! Safe TypeScript identifiers, property keys, string literals and comments from spec text.
//! Nothing a spec says reaches the output unescaped: names become ASCII identifiers that avoid
//! reserved words, the globals the generated code relies on, and each other; every other string
//! is a JSON-quoted literal or sanitized comment text.

use std::collections::HashSet;

use heck::{ToLowerCamelCase, ToUpperCamelCase};

/// JavaScript and TypeScript reserved words, and words that are legal but confusing as names.
const RESERVED_WORDS: &[&str] = &[
    "abstract",
    "any",
    "arguments",
    "as",
    "asserts",
    "async",
    "await",
    "bigint",
    "boolean",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "constructor",
    "continue",
    "debugger",
    "declare",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "eval",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "from",
    "function",
    "get",
    "global",
    "if",
    "implements",
    "import",
    "in",
    "infer",
    "instanceof",
    "interface",
    "is",
    "keyof",
    "let",
    "module",
    "namespace",
    "never",
    "new",
    "null",
    "number",
    "object",
    "of",
    "package",
    "private",
    "protected",
    "public",
    "readonly",
    "require",
    "return",
    "set",
    "static",
    "string",
    "super",
    "switch",
    "symbol",
    "this",
    "throw",
    "true",
    "try",
    "type",
    "typeof",
    "undefined",
    "unique",
    "unknown",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

/// Global names a generated module (or its user) relies on: a spec type with one of these names
/// would shadow the global, so it is renamed.
const GLOBAL_NAMES: &[&str] = &[
    "AbortController",
    "AbortSignal",
    "Array",
    "ArrayBuffer",
    "ArrayLike",
    "Awaited",
    "BigInt",
    "Blob",
    "Boolean",
    "BodyInit",
    "DataView",
    "Date",
    "Document",
    "Element",
    "Error",
    "Event",
    "EventTarget",
    "Exclude",
    "Extract",
    "File",
    "FormData",
    "Function",
    "Headers",
    "HeadersInit",
    "Infinity",
    "InstanceType",
    "Intl",
    "Iterable",
    "Iterator",
    "JSON",
    "Map",
    "Math",
    "NaN",
    "NonNullable",
    "Number",
    "Object",
    "Omit",
    "Parameters",
    "Partial",
    "Pick",
    "Promise",
    "PromiseLike",
    "Proxy",
    "Readonly",
    "ReadonlyArray",
    "ReadableStream",
    "Record",
    "Reflect",
    "RegExp",
    "Request",
    "RequestInit",
    "Required",
    "Response",
    "ReturnType",
    "Set",
    "String",
    "Symbol",
    "TextDecoder",
    "TextEncoder",
    "TypeError",
    "URL",
    "URLSearchParams",
    "Uint8Array",
    "WeakMap",
    "WeakSet",
    "Window",
    "globalThis",
];

/// Whether `text` can be written as a bare identifier (ASCII only, on purpose: the output is
/// plain ASCII whatever the spec's script).
pub fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

pub fn is_reserved_word(text: &str) -> bool {
    RESERVED_WORDS.contains(&text)
}

/// Words of `raw`: runs of ASCII letters and digits; everything else separates.
fn ascii_words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `pet_status`, `pet-status`, `Pet.Status` → `PetStatus`; never empty, never starts with a digit.
pub fn pascal_case(raw: &str, fallback: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// `list-pets`, `list_pets`, `ListPets` → `listPets`; never empty, never starts with a digit.
pub fn camel_case(raw: &str, fallback: &str) -> String {
    let mut name = ascii_words(raw).to_lower_camel_case();
    if name.is_empty() {
        name = fallback.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// A property key as written in an object type or literal: bare when it is an identifier,
/// otherwise a quoted string literal. Reserved words are legal bare property names.
pub fn property_key(name: &str) -> String {
    if is_identifier(name) {
        name.to_string()
    } else {
        string_literal(name)
    }
}

/// A JavaScript string literal: JSON's escaping is valid JavaScript.
pub fn string_literal(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// Text that cannot end a block comment or break a line comment: `*/` is split, and line
/// terminators (including U+2028/2029) and other control characters become spaces.
pub fn comment_text(text: &str) -> String {
    let special = |c: char| c.is_control() || c == '\u{2028}' || c == '\u{2029}';
    if !text.contains(special) && !text.contains("*/") {
        return text.to_string();
    }
    let flat: String = text
        .chars()
        .map(|c| if special(c) { ' ' } else { c })
        .collect();
    flat.replace("*/", "*\\/")
}

/// A JSDoc block at `indent` (spaces) from lines of text, or an empty string when there are none.
pub fn jsdoc(lines: &[String], indent: usize) -> String {
    let mut body: Vec<String> = Vec::new();
    for line in lines {
        for part in line.split(['\n', '\u{2028}', '\u{2029}']) {
            body.push(
                comment_text(part.trim_end_matches('\r'))
                    .trim_end()
                    .to_string(),
            );
        }
    }
    while body.last().is_some_and(|l| l.is_empty()) {
        body.pop();
    }
    let first = body
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(body.len());
    let body = &body[first..];
    let pad = " ".repeat(indent);
    match body {
        [] => String::new(),
        [only] => format!("{pad}/** {only} */\n"),
        _ => {
            let mut out = String::with_capacity(
                body.iter().map(|l| l.len() + indent + 4).sum::<usize>() + 2 * indent + 8,
            );
            out.push_str(&pad);
            out.push_str("/**\n");
            for line in body {
                out.push_str(&pad);
                out.push_str(if line.is_empty() { " *" } else { " * " });
                out.push_str(line);
                out.push('\n');
            }
            out.push_str(&pad);
            out.push_str(" */\n");
            out
        }
    }
}

/// Hands out exported names that are unique in the generated package (models and client share
/// one namespace through `index.ts`), avoiding reserved words and globals.
#[derive(Debug, Clone, Default)]
pub struct Namer {
    used: HashSet<String>,
}

impl Namer {
    pub fn new() -> Namer {
        let mut namer = Namer::default();
        for name in GLOBAL_NAMES.iter().chain(RESERVED_WORDS) {
            namer.used.insert((*name).to_string());
        }
        namer
    }

    /// Marks a name as taken (a runtime export of the client).
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }

    /// A type name for `raw`: PascalCase, renamed with `suffix` when it is a global or a
    /// reserved word, numbered when it is already taken.
    pub fn type_name(&mut self, raw: &str, fallback: &str, suffix: &str) -> String {
        let base = pascal_case(raw, fallback);
        self.claim(base, suffix)
    }

    /// The first of `candidates` nobody has claimed, else the first one numbered (`claim`).
    pub fn claim_first(&mut self, candidates: &[String], suffix: &str) -> String {
        let first = candidates.first().cloned().unwrap_or_default();
        let free = candidates.iter().find(|c| !self.used.contains(*c));
        self.claim(free.cloned().unwrap_or(first), suffix)
    }

    /// Claims `base` as it is (already an identifier), or a renamed variant.
    pub fn claim(&mut self, base: String, suffix: &str) -> String {
        let base = if self.used.contains(&base)
            && (GLOBAL_NAMES.contains(&base.as_str()) || is_reserved_word(&base))
        {
            format!("{base}{suffix}")
        } else {
            base
        };
        let mut candidate = base.clone();
        let mut n = 1;
        while self.used.contains(&candidate) {
            n += 1;
            candidate = format!("{base}{n}");
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

/// The members every object inherits from `Object.prototype`. As a client method, one of these
/// replaces what string conversion, equality helpers and libraries call on any object; as an
/// optional property of a request type, it cannot be left out (TypeScript reads the inherited
/// member's type for a missing property: `{}` is not a `{ toString?: string }`), and at run time
/// `request.toString` is always there.
const OBJECT_PROTOTYPE_MEMBERS: &[&str] = &[
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
    "__proto__",
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "toString",
    "valueOf",
];

/// Whether every object already has a member called `name` (so a key of that name is not ours).
pub fn is_object_prototype_member(name: &str) -> bool {
    OBJECT_PROTOTYPE_MEMBERS.contains(&name)
}

/// Whether a client method may not be called `name`: an inherited member, or `then` (an object
/// with a `then` method is a thenable, so `await client` would send a request and never settle).
fn is_reserved_member(name: &str) -> bool {
    name == "then" || is_object_prototype_member(name)
}

/// Unique camelCase member names (client methods) within one class.
#[derive(Debug, Clone, Default)]
pub struct MemberNamer {
    used: HashSet<String>,
}

/// A class member's name before collisions are resolved: camelCase, `_` after a reserved one.
pub(super) fn member_name(raw: &str, fallback: &str) -> String {
    let mut base = camel_case(raw, fallback);
    if is_reserved_member(&base) {
        base.push('_');
    }
    base
}

impl MemberNamer {
    pub fn name(&mut self, raw: &str, fallback: &str) -> String {
        let base = member_name(raw, fallback);
        let mut candidate = base.clone();
        let mut n = 1;
        while !self.used.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{base}{n}");
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_identifiers_whatever_the_spec_says() {
        let mut namer = Namer::new();
        assert_eq!(namer.type_name("camelCase", "Schema", "Model"), "CamelCase");
        assert_eq!(
            namer.type_name("camel_case", "Schema", "Model"),
            "CamelCase2"
        );
        assert_eq!(namer.type_name("Record", "Schema", "Model"), "RecordModel");
        assert_eq!(
            namer.type_name("Promise", "Schema", "Model"),
            "PromiseModel"
        );
        assert_eq!(
            namer.type_name("200-response", "Schema", "Model"),
            "_200Response"
        );
        assert_eq!(namer.type_name("__proto__", "Schema", "Model"), "Proto");
        assert_eq!(namer.type_name("宠物", "Schema", "Model"), "Schema");
        assert_eq!(
            namer.type_name("*/ alert(1) /*", "Schema", "Model"),
            "Alert1"
        );
        let mut members = MemberNamer::default();
        assert_eq!(members.name("constructor", "op"), "constructor_");
        assert_eq!(members.name("then", "op"), "then_");
        assert_eq!(members.name("to_string", "op"), "toString_");
        assert_eq!(members.name("hasOwnProperty", "op"), "hasOwnProperty_");
        assert_eq!(members.name("valueOf", "op"), "valueOf_");
        assert_eq!(members.name("__proto__", "op"), "proto");
        assert_eq!(members.name("1st", "op"), "_1st");
        assert_eq!(members.name("repos/list-for-org", "op"), "reposListForOrg");
        assert_eq!(members.name("repos_list_for_org", "op"), "reposListForOrg2");
    }

    #[test]
    fn keys_literals_and_comments_are_escaped() {
        assert_eq!(property_key("petId"), "petId");
        assert_eq!(property_key("delete"), "delete");
        assert_eq!(property_key("X-Request-Id"), "\"X-Request-Id\"");
        assert_eq!(property_key("__proto__"), "__proto__");
        assert_eq!(string_literal("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(comment_text("end */ here\u{2028}x"), "end *\\/ here x");
        assert_eq!(jsdoc(&["one */".to_string()], 2), "  /** one *\\/ */\n");
        assert_eq!(
            jsdoc(&["a\n\nb".to_string()], 0),
            "/**\n * a\n *\n * b\n */\n"
        );
    }
}
