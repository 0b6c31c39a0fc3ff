//! JSON pointers (RFC 6901) and the URI fragments that carry them in `$ref`s.

use std::borrow::Cow;

use serde_json::Value;

/// Escapes one reference token: `~` → `~0`, `/` → `~1`. Borrows when there is nothing to escape
/// (nearly always: the validator and the loader call this for every member they walk).
pub fn escape_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Appends a token to a pointer.
pub fn push(pointer: &str, token: &str) -> String {
    let token = escape_token(token);
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    out.push_str(&token);
    out
}

/// The decoded tokens of a pointer; `""` has none. Borrows tokens without escapes.
pub fn tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    pointer.split('/').skip(1).map(|t| {
        if t.contains('~') {
            Cow::Owned(t.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(t)
        }
    })
}

/// The value at `pointer` in `root`.
pub fn get<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    if !pointer.starts_with('/') {
        return None;
    }
    let mut node = root;
    for token in tokens(pointer) {
        node = match node {
            Value::Object(map) => map.get(token.as_ref())?,
            Value::Array(items) => {
                if token.starts_with('+') || (token.len() > 1 && token.starts_with('0')) {
                    return None;
                }
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(node)
}

/// A URI fragment (`/components/schemas/Pet%20Name`) decoded to a JSON pointer. Percent-escapes
/// are decoded as UTF-8; an invalid escape is kept as written.
pub fn from_fragment(fragment: &str) -> String {
    if !fragment.contains('%') {
        return fragment.to_string();
    }
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = (
                char::from(bytes[i + 1]).to_digit(16),
                char::from(bytes[i + 2]).to_digit(16),
            );
            if let (Some(hi), Some(lo)) = hex {
                // Two hex digits make at most 0xFF: the cast cannot truncate.
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The last token of a pointer, decoded (`/components/schemas/Pet` → `Pet`).
pub fn last_token(pointer: &str) -> Option<String> {
    pointer
        .rsplit_once('/')
        .map(|(_, t)| t.replace("~1", "/").replace("~0", "~"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_follows_escaped_tokens_and_indices() {
        let doc = json!({"paths": {"/pets/{id}": {"get": {"tags": ["a", "b"]}}}, "a~b": 1});
        assert_eq!(
            get(&doc, "/paths/~1pets~1{id}/get/tags/1"),
            Some(&json!("b"))
        );
        assert_eq!(get(&doc, "/a~0b"), Some(&json!(1)));
        assert_eq!(get(&doc, "/paths/~1pets~1{id}/get/tags/01"), None);
        assert_eq!(get(&doc, "paths"), None);
        assert_eq!(get(&doc, ""), Some(&doc));
    }

    #[test]
    fn fragments_are_percent_decoded() {
        assert_eq!(
            from_fragment("/components/schemas/Pet%20Name"),
            "/components/schemas/Pet Name"
        );
        assert_eq!(from_fragment("/a%7Bb%7D"), "/a{b}");
        assert_eq!(from_fragment("/bad%zz"), "/bad%zz");
        assert_eq!(from_fragment("/end%2"), "/end%2");
        assert_eq!(push("/paths", "/pets"), "/paths/~1pets");
        assert_eq!(last_token("/components/schemas/a~1b"), Some("a/b".into()));
    }
}
