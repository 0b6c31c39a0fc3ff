//! The media kinds of a request `Content-Type`, classified as oaskit's `model::media` classifies
//! the spec's media types (lowercased, without parameters, as [`super::content_type`] gives it),
//! and the negotiation of a response's media type with the request's `Accept`.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Problem;

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

/// Whether a media range (`*/*`, `image/*`, `application/json`) and a media type match, a
/// wildcard on either side matching any type or subtype.
pub(super) fn ranges_match(range: &str, media_type: &str) -> bool {
    fn split(m: &str) -> (&str, &str) {
        let (kind, sub) = m.split_once('/').unwrap_or((m, ""));
        (kind.trim(), sub.trim())
    }
    let (range_type, range_sub) = split(range);
    let (media_kind, media_sub) = split(media_type.split(';').next().unwrap_or(""));
    // Case-insensitive, without lowercased copies: the check runs on every request.
    let part = |a: &str, b: &str| a == "*" || b == "*" || a.eq_ignore_ascii_case(b);
    part(range_type, media_kind) && part(range_sub, media_sub)
}

/// Whether the request's `Accept` admits one of `produced`, the media types the operation
/// answers with: no `Accept` (or an empty one) admits everything; a range with `q=0` refuses.
fn acceptable(headers: &HeaderMap, produced: &[&str]) -> bool {
    let mut ranges = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter(|range| !range.trim().is_empty())
        .peekable();
    if ranges.peek().is_none() {
        return true;
    }
    ranges.any(|range| {
        let mut params = range.split(';');
        let media_range = params.next().unwrap_or("");
        let refused = params.any(|param| {
            let (name, value) = param.split_once('=').unwrap_or((param, ""));
            name.trim().eq_ignore_ascii_case("q")
                && value.trim().parse::<f32>().is_ok_and(|q| q <= 0.0)
        });
        !refused
            && produced
                .iter()
                .any(|media_type| ranges_match(media_range, media_type))
    })
}

/// The `406` for a request whose `Accept` admits none of the media types the operation
/// answers with (`produced`), if it admits none.
pub fn not_acceptable(headers: &HeaderMap, produced: &[&str]) -> Option<Response> {
    if produced.is_empty() || acceptable(headers, produced) {
        return None;
    }
    let detail = format!(
        "the Accept header admits none of the media types this operation answers with: {}",
        produced.join(", ")
    );
    Some(Problem::new(StatusCode::NOT_ACCEPTABLE, detail).into_response())
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

    fn accept(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            if let Ok(value) = value.parse() {
                headers.append(header::ACCEPT, value);
            }
        }
        headers
    }

    #[test]
    fn accept_admits_by_range_and_quality() {
        let json = &["application/json"];
        assert!(acceptable(&accept(&[]), json));
        assert!(acceptable(&accept(&["*/*"]), json));
        assert!(acceptable(&accept(&["application/*;q=0.5"]), json));
        assert!(acceptable(
            &accept(&["text/html, Application/JSON; charset=utf-8"]),
            json
        ));
        assert!(acceptable(
            &accept(&["text/html", "application/json"]),
            json
        ));
        assert!(!acceptable(&accept(&["application/xml"]), json));
        assert!(!acceptable(&accept(&["application/json;q=0"]), json));
        assert!(!acceptable(&accept(&["text/*"]), json));
        // A declared range answers whatever the request admits within it.
        assert!(acceptable(&accept(&["image/png"]), &["image/*"]));
        assert!(not_acceptable(&accept(&["application/xml"]), &[]).is_none());
        let refused = not_acceptable(&accept(&["application/xml"]), json);
        assert_eq!(
            refused.map(|r| r.status()),
            Some(StatusCode::NOT_ACCEPTABLE)
        );
    }
}
