//! The media kinds of a request `Content-Type`, classified as oaskit's `model::media` classifies
//! the spec's media types (lowercased, without parameters, as [`super::content_type`] gives it).

fn subtype(media_type: &str) -> &str {
    media_type.split_once('/').map_or("", |(_, sub)| sub)
}

/// `application/json`, `text/json` and every `+json` type.
pub fn is_json(media_type: &str) -> bool {
    let sub = subtype(media_type);
    sub == "json" || sub.ends_with("+json")
}

/// `application/xml`, `text/xml` and every `+xml` type.
pub fn is_xml(media_type: &str) -> bool {
    let sub = subtype(media_type);
    sub == "xml" || sub.ends_with("+xml")
}

/// `text/*` other than JSON and XML.
pub fn is_text(media_type: &str) -> bool {
    media_type.starts_with("text/") && !is_json(media_type) && !is_xml(media_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert!(
            is_json("application/json")
                && is_json("text/json")
                && is_json("application/problem+json")
        );
        assert!(!is_json("application/jsonl") && !is_json("json"));
        assert!(is_xml("application/xml") && is_xml("text/xml") && is_xml("image/svg+xml"));
        assert!(is_text("text/plain") && is_text("text/csv"));
        assert!(
            !is_text("text/xml") && !is_text("text/json") && !is_text("application/octet-stream")
        );
    }
}
