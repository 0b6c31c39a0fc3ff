//! Every rule probe reports, declared once: id, level and what it means. Checks refer to these
//! constants, so an id is written in one place and the README table can be checked against it.

use crate::report::Level;

/// One probe rule.
#[derive(Debug, PartialEq, Eq)]
pub struct ProbeRule {
    pub id: &'static str,
    pub level: Level,
    pub doc: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $level:ident, $doc:literal;)*) => {
        $(pub const $name: &ProbeRule = &ProbeRule { id: $id, level: Level::$level, doc: $doc };)*
        /// Every probe rule, in the order the README lists them.
        pub const ALL: &[&ProbeRule] = &[$($name),*];
    };
}

rules! {
    UNDECLARED_STATUS = "probe-undeclared-status", Error,
        "The status code is not among the operation's responses (nor a range or `default`).";
    UNDECLARED_CONTENT_TYPE = "probe-undeclared-content-type", Error,
        "The body's Content-Type (or its absence) is not declared for that status.";
    RESPONSE_INVALID = "probe-response-invalid", Error,
        "The body does not match the response view of its schema.";
    INVALID_JSON = "probe-invalid-json", Error,
        "A body declared as JSON does not parse.";
    MISSING_HEADER = "probe-missing-header", Error,
        "A required response header (or a declared `Location` on a 201 or 3xx) is missing.";
    HEADER_INVALID = "probe-header-invalid", Error,
        "A response header does not match its schema.";
    SERVER_ERROR = "probe-server-error", Error,
        "A 5xx answer: a valid request must succeed, an invalid one must be refused with a 4xx.";
    INVALID_ACCEPTED = "probe-invalid-accepted", Error,
        "A request the spec says is invalid (a bound crossed, an unknown enum value, a missing required field, a wrong type, malformed JSON) got a 2xx.";
    VALID_REJECTED = "probe-valid-rejected", Error,
        "A request the spec says is valid (a bound reached, an optional parameter left out, another enum value) got a 400 or 422.";
    AUTH_NOT_ENFORCED = "probe-auth-not-enforced", Error,
        "A secured operation answered 2xx to a request without credentials or with a wrong one.";
    LIFECYCLE = "probe-lifecycle", Error,
        "A resource's create, read, update and delete do not agree: the created resource cannot be read, an update is not visible, or a deleted one is still there.";
    LINK_BROKEN = "probe-link-broken", Error,
        "A link the response gives (`next`, a `Link` header) does not lead to a 2xx.";
    NO_CONTENT_WITH_BODY = "probe-no-content-with-body", Error,
        "A 204 or 304 carries a body or a Content-Type (RFC 9110 15.3.5, 15.4.5).";
    METHOD_NOT_ALLOWED_WITHOUT_ALLOW = "probe-405-without-allow", Error,
        "A 405 without an `Allow` header naming the path's methods (RFC 9110 15.5.6).";
    UNDECLARED_METHOD_ACCEPTED = "probe-undeclared-method-accepted", Error,
        "A method the spec does not declare for a path got a 2xx.";
    HEAD_MISMATCH = "probe-head-mismatch", Error,
        "HEAD answers differently from GET (status or Content-Type), or with a body.";
    TIMEOUT = "probe-timeout", Error,
        "No response before the timeout.";
    CONNECTION_ERROR = "probe-connection-error", Error,
        "The connection failed or was reset.";
    REDIRECT_LOOP = "probe-redirect-loop", Error,
        "More than 5 redirects.";
    REQUEST_FAILED = "probe-request-failed", Error,
        "The request could not be made.";
    PATH_REFUSED = "probe-path-refused", Error,
        "The spec path does not start with `/`, or would leave --base-url's origin or path: nothing is sent.";
    BODY_TOO_LARGE = "probe-body-too-large", Warning,
        "The body is larger than --max-body: not validated.";
    UNEXPECTED_BODY = "probe-unexpected-body", Warning,
        "A response that declares no content has a body.";
    NO_CREDENTIALS = "probe-no-credentials", Warning,
        "Operations need credentials and none were given, or every answer was 401/403: only the refusals were tested.";
    SKIPPED = "probe-skipped", Info,
        "An operation probe cannot send (no value for a required parameter, a body that is not JSON).";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<&str> = ALL.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before, "a rule id is declared twice");
        for id in ids {
            assert!(id.starts_with("probe-"), "{id}");
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{id}"
            );
        }
    }

    #[test]
    fn the_readme_lists_every_rule() {
        let readme = include_str!("../../README.md");
        for rule in ALL {
            assert!(
                readme.contains(&format!("`{}`", rule.id)),
                "README lacks {}",
                rule.id
            );
        }
    }
}
