//! Media types, decided once: what kind of body a media type (or range) carries, which declared
//! media type a request is sent as and a response answered with, and which declared entry covers
//! an actual `Content-Type`. Example validation, both generators, probe and the diff read these
//! answers instead of each matching strings of their own (they used to disagree: one took
//! `text/json`, one `*/*`, one compared with `"*/*json"`).

use indexmap::IndexMap;
use serde::Serialize;

use super::{InstanceType, MediaType, SchemaId, TypeSpace};

/// What a body of a media type is, on the wire and in generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MediaKind {
    /// `application/json`, `text/json`, and every `+json` suffix (`application/problem+json`).
    Json,
    /// `application/x-www-form-urlencoded`: named fields as `key=value` pairs.
    Form,
    /// `multipart/*`: named parts (`form-data`), or a sequence of parts (`mixed`, `related`).
    Multipart,
    /// `text/*` (except the two below): a string.
    Text,
    /// `text/event-stream`: server-sent events, read as text until they are streamed.
    EventStream,
    /// `application/xml`, `text/xml` and every `+xml` suffix: a string of markup.
    Xml,
    /// Anything else (`application/octet-stream`, `image/png`, `application/pdf`, a malformed
    /// type): bytes.
    Binary,
    /// `*/*` and `application/*`: the media type does not say. [`MediaKind::resolve_any`] decides
    /// from the schema.
    Any,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Json => "json",
            MediaKind::Form => "form",
            MediaKind::Multipart => "multipart",
            MediaKind::Text => "text",
            MediaKind::EventStream => "event-stream",
            MediaKind::Xml => "xml",
            MediaKind::Binary => "binary",
            MediaKind::Any => "any",
        }
    }

    /// The kind a body of this media type is treated as, given whether its schema describes
    /// bytes (`format: binary`, `contentMediaType`, or no schema at all). Only [`MediaKind::Any`]
    /// changes: a structured schema under `*/*` is JSON (that is what `*/*` means in the specs
    /// that write it: springdoc's default), bytes otherwise.
    pub fn resolve_any(self, schema_is_bytes: bool) -> MediaKind {
        match self {
            MediaKind::Any if schema_is_bytes => MediaKind::Binary,
            MediaKind::Any => MediaKind::Json,
            kind => kind,
        }
    }

    /// Whether the body is a string of characters (checked against string schemas, typed as a
    /// string by the generators).
    pub fn is_textual(self) -> bool {
        matches!(
            self,
            MediaKind::Text | MediaKind::EventStream | MediaKind::Xml
        )
    }

    /// The rank of a request body of this kind: the lowest declared one is what a client sends
    /// and what a server reads into its typed request. Structured data first (JSON, then forms,
    /// whose fields are typed), then strings, then bytes.
    pub fn request_rank(self) -> u8 {
        match self {
            MediaKind::Json => 0,
            MediaKind::Form => 1,
            MediaKind::Multipart => 2,
            MediaKind::Text => 3,
            MediaKind::Xml => 4,
            MediaKind::Binary => 5,
            MediaKind::EventStream => 6,
            MediaKind::Any => 7,
        }
    }

    /// The rank of a response body of this kind: the lowest declared one is what a generated
    /// server answers with.
    pub fn response_rank(self) -> u8 {
        match self {
            MediaKind::Json => 0,
            MediaKind::Text => 1,
            MediaKind::EventStream => 2,
            MediaKind::Xml => 3,
            MediaKind::Binary => 4,
            MediaKind::Form => 5,
            MediaKind::Multipart => 6,
            MediaKind::Any => 7,
        }
    }
}

/// `type/subtype` of a media type, lowercased, without parameters (`; charset=utf-8`).
pub fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The kind of body a media type (or media range) carries.
pub fn classify(media_type: &str) -> MediaKind {
    let essence = essence(media_type);
    let Some((main, sub)) = essence.split_once('/') else {
        return MediaKind::Binary;
    };
    if sub == "json" || sub.ends_with("+json") {
        MediaKind::Json
    } else if sub == "xml" || sub.ends_with("+xml") {
        MediaKind::Xml
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if main == "multipart" {
        MediaKind::Multipart
    } else if essence == "text/event-stream" {
        MediaKind::EventStream
    } else if main == "text" {
        MediaKind::Text
    } else if sub == "*" && (main == "*" || main == "application") {
        MediaKind::Any
    } else {
        MediaKind::Binary
    }
}

/// Whether a media type is JSON (`application/json`, `text/json`, `+json`).
pub fn is_json(media_type: &str) -> bool {
    classify(media_type) == MediaKind::Json
}

/// Whether two media types name the same type (parameters and case ignored).
pub fn same(a: &str, b: &str) -> bool {
    essence(a) == essence(b)
}

/// Whether a media type is a range (`*/*`, `image/*`) rather than one type.
pub fn is_range(media_type: &str) -> bool {
    media_type.contains('*')
}

/// Whether a body schema describes bytes rather than data: no schema at all, or a string with
/// `format: binary` or a `contentMediaType`.
pub fn schema_is_bytes(types: &TypeSpace, schema: Option<SchemaId>) -> bool {
    let Some(schema) = schema else {
        return true;
    };
    let s = types.get(types.resolve_alias(schema).0);
    let string = s
        .types
        .as_ref()
        .is_none_or(|t| t.contains(&InstanceType::String));
    string && (s.format.as_deref() == Some("binary") || s.rare().content_media_type.is_some())
}

/// The kind of a declared Media Type Object's body, `*/*` resolved by its schema.
pub fn kind_of(types: &TypeSpace, media_type: &str, media: &MediaType) -> MediaKind {
    classify(media_type).resolve_any(schema_is_bytes(types, media.schema))
}

/// The declared media type a request body is sent as: the best [`MediaKind::request_rank`],
/// the first declared among equals. `kind_of` gives each entry's kind (see
/// [`MediaKind::resolve_any`]).
pub fn preferred_request<T>(
    content: &IndexMap<String, T>,
    kind_of: impl Fn(&str, &T) -> MediaKind,
) -> Option<(&String, &T, MediaKind)> {
    preferred(content, kind_of, MediaKind::request_rank)
}

/// The declared media type a generated server answers with: the best
/// [`MediaKind::response_rank`], the first declared among equals.
pub fn preferred_response<T>(
    content: &IndexMap<String, T>,
    kind_of: impl Fn(&str, &T) -> MediaKind,
) -> Option<(&String, &T, MediaKind)> {
    preferred(content, kind_of, MediaKind::response_rank)
}

fn preferred<T>(
    content: &IndexMap<String, T>,
    kind_of: impl Fn(&str, &T) -> MediaKind,
    rank: fn(MediaKind) -> u8,
) -> Option<(&String, &T, MediaKind)> {
    content
        .iter()
        .map(|(media, value)| (media, value, kind_of(media, value)))
        .min_by_key(|(_, _, kind)| rank(*kind))
}

/// The declared entry that covers an actual `Content-Type`: the same type, then `type/*`, then
/// `*/*` (the most specific range wins, as RFC 9110 §12.5.1 ranks them).
pub fn covering<'a, T>(
    content: &'a IndexMap<String, T>,
    content_type: &str,
) -> Option<(&'a String, &'a T)> {
    let actual = essence(content_type);
    let main = actual.split('/').next().unwrap_or("");
    let main_range = format!("{main}/*");
    let find = |want: &str| content.iter().find(|(k, _)| essence(k) == want);
    find(&actual)
        .or_else(|| (!actual.is_empty()).then(|| find(&main_range)).flatten())
        .or_else(|| find("*/*"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let cases = [
            ("application/json", MediaKind::Json),
            ("Application/JSON; charset=utf-8", MediaKind::Json),
            ("text/json", MediaKind::Json),
            ("application/problem+json", MediaKind::Json),
            ("application/vnd.api+json; ext=bulk", MediaKind::Json),
            ("application/json-patch+json", MediaKind::Json),
            ("application/x-ndjson", MediaKind::Binary),
            ("application/x-www-form-urlencoded", MediaKind::Form),
            ("multipart/form-data", MediaKind::Multipart),
            ("multipart/related", MediaKind::Multipart),
            ("text/plain", MediaKind::Text),
            ("text/csv", MediaKind::Text),
            ("text/*", MediaKind::Text),
            ("text/event-stream", MediaKind::EventStream),
            ("application/xml", MediaKind::Xml),
            ("text/xml", MediaKind::Xml),
            ("image/svg+xml", MediaKind::Xml),
            ("application/octet-stream", MediaKind::Binary),
            ("image/png", MediaKind::Binary),
            ("image/*", MediaKind::Binary),
            ("*/*", MediaKind::Any),
            ("application/*", MediaKind::Any),
            ("json", MediaKind::Binary),
            ("", MediaKind::Binary),
        ];
        for (media, kind) in cases {
            assert_eq!(classify(media), kind, "{media}");
        }
    }

    #[test]
    fn any_resolves_by_schema() {
        assert_eq!(MediaKind::Any.resolve_any(false), MediaKind::Json);
        assert_eq!(MediaKind::Any.resolve_any(true), MediaKind::Binary);
        assert_eq!(MediaKind::Text.resolve_any(true), MediaKind::Text);
    }

    fn content(keys: &[&str]) -> IndexMap<String, ()> {
        keys.iter().map(|k| (k.to_string(), ())).collect()
    }

    #[test]
    fn request_and_response_preference() {
        let kind = |m: &str, _: &()| classify(m);
        let all = content(&[
            "application/octet-stream",
            "text/plain",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
            "application/json",
        ]);
        let request = |c: &IndexMap<String, ()>| preferred_request(c, kind).map(|p| p.0.clone());
        let response = |c: &IndexMap<String, ()>| preferred_response(c, kind).map(|p| p.0.clone());
        assert_eq!(request(&all).as_deref(), Some("application/json"));
        let no_json = content(&[
            "application/octet-stream",
            "text/plain",
            "multipart/form-data",
        ]);
        assert_eq!(request(&no_json).as_deref(), Some("multipart/form-data"));
        // Text before bytes, on both sides (the TS client used to send bytes, the server read text).
        let text_or_bytes = content(&["application/octet-stream", "text/plain"]);
        assert_eq!(request(&text_or_bytes).as_deref(), Some("text/plain"));
        assert_eq!(response(&text_or_bytes).as_deref(), Some("text/plain"));
        let form_or_json = content(&["application/x-www-form-urlencoded", "application/json"]);
        assert_eq!(response(&form_or_json).as_deref(), Some("application/json"));
        assert_eq!(request(&content(&[])), None);
        // Equal kinds: the first declared.
        let two_json = content(&["application/vnd.a+json", "application/json"]);
        assert_eq!(
            request(&two_json).as_deref(),
            Some("application/vnd.a+json")
        );
    }

    #[test]
    fn covering_entry_is_the_most_specific() {
        let declared = content(&["*/*", "image/*", "image/png"]);
        let cover = |t: &str| covering(&declared, t).map(|c| c.0.clone());
        assert_eq!(cover("image/png; q=1").as_deref(), Some("image/png"));
        assert_eq!(cover("IMAGE/GIF").as_deref(), Some("image/*"));
        assert_eq!(cover("text/plain").as_deref(), Some("*/*"));
        assert_eq!(cover("").as_deref(), Some("*/*"));
        assert_eq!(
            covering(&content(&["application/json"]), "text/plain"),
            None
        );
        assert!(same("Application/JSON ; charset=x", "application/json"));
        assert!(is_range("image/*") && !is_range("image/png"));
    }
}
