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

/// The ranges of the request's `Accept` (`application/json;q=0.5`), split at commas; none
/// for no `Accept` (or an empty one).
fn accept_ranges(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter(|range| !range.trim().is_empty())
}

/// How specific a media range is: `*/*` 0, `type/*` 1, `type/subtype` 2.
fn specificity(range: &str) -> u8 {
    let (kind, sub) = range.split_once('/').unwrap_or((range, ""));
    match (kind.trim(), sub.trim()) {
        ("*", _) => 0,
        (_, "*") => 1,
        _ => 2,
    }
}

/// The quality `Accept` gives `media_type`: the `q` of the most specific range matching it
/// (RFC 9110 §12.5.1: `text/plain;q=0, text/*` refuses `text/plain`); `None` when no range
/// matches it.
fn quality(headers: &HeaderMap, media_type: &str) -> Option<f32> {
    let mut best: Option<(u8, f32)> = None;
    for range in accept_ranges(headers) {
        let mut params = range.split(';');
        let media_range = params.next().unwrap_or("");
        if !ranges_match(media_range, media_type) {
            continue;
        }
        let q = params
            .filter_map(|param| param.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
            .map_or(1.0, |(_, value)| value.trim().parse::<f32>().unwrap_or(1.0));
        let rank = specificity(media_range);
        if best.is_none_or(|(best_rank, _)| rank > best_rank) {
            best = Some((rank, q));
        }
    }
    best.map(|(_, q)| q)
}

/// Of `offered`, the media types a response can be sent in, the one the request's `Accept`
/// ranks highest (the first offered among equals); with no `Accept`, the first offered; `None`
/// when `Accept` admits none of them.
pub fn preferred_media_type<'a>(headers: &HeaderMap, offered: &[&'a str]) -> Option<&'a str> {
    if accept_ranges(headers).next().is_none() {
        return offered.first().copied();
    }
    let mut best: Option<(&'a str, f32)> = None;
    for media_type in offered {
        if let Some(q) = quality(headers, media_type)
            && q > 0.0
            && best.is_none_or(|(_, best_q)| q > best_q)
        {
            best = Some((media_type, q));
        }
    }
    best.map(|(media_type, _)| media_type)
}

/// Whether the request's `Accept` admits one of `produced`, the media types the operation
/// answers with: no `Accept` (or an empty one) admits everything; a type whose most specific
/// range has `q=0` is refused.
fn acceptable(headers: &HeaderMap, produced: &[&str]) -> bool {
    preferred_media_type(headers, produced).is_some() || produced.is_empty()
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

/// The `Accept` of a request, kept for after its handler has chosen the media type of a
/// response declared in several (only such operations keep it: the others negotiate before the
/// handler, in [`not_acceptable`]).
#[derive(Debug, Default)]
pub struct Accept(HeaderMap);

impl Accept {
    /// The request's `Accept` values (none: nothing is copied).
    pub fn of(headers: &HeaderMap) -> Accept {
        let mut accept = HeaderMap::new();
        for value in headers.get_all(header::ACCEPT) {
            accept.append(header::ACCEPT, value.clone());
        }
        Accept(accept)
    }

    /// The `406` for a body the handler sent in a media type `Accept` refuses, `chosen`, when
    /// `Accept` admits another of the ones it could have chosen, `offered`: the handler ignored
    /// the client's preference, and a contract-first server says so rather than sending what
    /// the client refused (RFC 9110 §12.5.1 leaves the choice between `406` and disregarding
    /// `Accept` to the server). When `Accept` admits none of `offered` either, the response is
    /// sent as it is, as a response declared in one media type is: the handler had nothing
    /// acceptable to choose.
    pub fn refuses(&self, chosen: Option<(&str, &[&str])>) -> Option<Response> {
        let (chosen, offered) = chosen?;
        if accept_ranges(&self.0).next().is_none()
            || quality(&self.0, chosen).is_some_and(|q| q > 0.0)
        {
            return None;
        }
        let admitted: Vec<&str> = offered
            .iter()
            .copied()
            .filter(|offer| quality(&self.0, offer).is_some_and(|q| q > 0.0))
            .collect();
        if admitted.is_empty() {
            return None;
        }
        let detail = format!(
            "the response was produced as {chosen}, which the Accept header refuses; of its media types the Accept header admits {}",
            admitted.join(", ")
        );
        Some(Problem::new(StatusCode::NOT_ACCEPTABLE, detail).into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preferred_media_type_follows_quality_then_the_offer() {
        let offered = &["application/json", "text/event-stream"];
        assert_eq!(
            preferred_media_type(&accept(&[]), offered),
            Some("application/json")
        );
        assert_eq!(
            preferred_media_type(&accept(&["*/*"]), offered),
            Some("application/json")
        );
        assert_eq!(
            preferred_media_type(&accept(&["text/event-stream"]), offered),
            Some("text/event-stream")
        );
        assert_eq!(
            preferred_media_type(&accept(&["application/json;q=0.5, text/*"]), offered),
            Some("text/event-stream")
        );
        assert_eq!(
            preferred_media_type(&accept(&["text/event-stream;q=0, */*;q=0.1"]), offered),
            Some("application/json")
        );
        assert_eq!(
            preferred_media_type(
                &accept(&["TEXT/Event-Stream; Q=0.9", "application/json;q=0.8"]),
                offered
            ),
            Some("text/event-stream")
        );
        assert_eq!(preferred_media_type(&accept(&["image/png"]), offered), None);
        assert_eq!(preferred_media_type(&accept(&["*/*"]), &[]), None);
    }

    #[test]
    fn a_representation_accept_refuses_is_a_406_only_when_another_was_admitted() {
        let offered: &[&str] = &["application/json", "text/event-stream"];
        let refuses = |values: &[&str], chosen: &str| {
            Accept::of(&accept(values))
                .refuses(Some((chosen, offered)))
                .map(|r| r.status())
        };
        assert_eq!(refuses(&[], "text/event-stream"), None);
        assert_eq!(refuses(&["*/*"], "text/event-stream"), None);
        assert_eq!(refuses(&["text/event-stream"], "text/event-stream"), None);
        assert_eq!(
            refuses(&["application/json"], "text/event-stream"),
            Some(StatusCode::NOT_ACCEPTABLE)
        );
        assert_eq!(
            refuses(&["text/event-stream;q=0, */*"], "text/event-stream"),
            Some(StatusCode::NOT_ACCEPTABLE)
        );
        // Nothing acceptable to choose from: sent as it is.
        assert_eq!(refuses(&["image/png"], "text/event-stream"), None);
        // Not a response declared in several media types.
        assert!(Accept::of(&accept(&["image/png"])).refuses(None).is_none());
    }

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
        // The most specific range decides.
        assert!(!acceptable(&accept(&["application/json;q=0, */*"]), json));
        assert!(acceptable(&accept(&["*/*;q=0, application/json"]), json));
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
