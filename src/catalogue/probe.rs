//! The rules of `oaskit probe`: a running server's responses against the spec.

use super::{Category, Command, Family, RuleDirection};

pub const FAMILY: Family = Family {
    name: "probe",
    title: "Live server",
    command: Command::Probe,
    category: Category::Server,
    direction: RuleDirection::Response,
    doc: include_str!("docs/probe.md"),
};

rules! {
    FAMILY;
    PROBE_UNDECLARED_STATUS: "probe-undeclared-status", Error, "the server answered with a status the operation does not declare";
    PROBE_UNDECLARED_CONTENT_TYPE: "probe-undeclared-content-type", Error, "the response's Content-Type (or its absence) is not declared for its status";
    PROBE_RESPONSE_INVALID: "probe-response-invalid", Error, "the response body does not match the response schema";
    PROBE_INVALID_JSON: "probe-invalid-json", Error, "a JSON response body does not parse";
    PROBE_MISSING_HEADER: "probe-missing-header", Error, "a required response header, or a declared `Location` on a 201 or 3xx, is missing";
    PROBE_HEADER_INVALID: "probe-header-invalid", Error, "a response header does not match its schema";
    PROBE_SERVER_ERROR: "probe-server-error", Error, "a 5xx to a request the spec describes (valid or invalid: an invalid one is due a 4xx)";
    PROBE_INVALID_ACCEPTED: "probe-invalid-accepted", Error, "a 2xx to a request the spec says is invalid (a bound crossed, a value outside the enum, a required field missing, a wrong type, malformed JSON)", request;
    PROBE_VALID_REJECTED: "probe-valid-rejected", Error, "a 400 or 422 to a request the spec says is valid (a bound reached, an optional parameter left out, another enum value)", request;
    PROBE_AUTH_NOT_ENFORCED: "probe-auth-not-enforced", Error, "a secured operation answered 2xx without credentials or with a wrong one", request;
    PROBE_LIFECYCLE: "probe-lifecycle", Error, "create, read, update and delete disagree: the created resource cannot be read, an update does not show, a deleted one is still there";
    PROBE_LINK_BROKEN: "probe-link-broken", Error, "a link a response gives (`next` in the body, a `Link` header) does not lead to a 2xx";
    PROBE_NO_CONTENT_WITH_BODY: "probe-no-content-with-body", Error, "a 204 or 304 with a body or a Content-Type (RFC 9110 15.3.5, 15.4.5)";
    PROBE_405_WITHOUT_ALLOW: "probe-405-without-allow", Error, "a 405 without an `Allow` header, or one that omits a declared method (RFC 9110 15.5.6)";
    PROBE_UNDECLARED_METHOD_ACCEPTED: "probe-undeclared-method-accepted", Error, "a 2xx to a method the path does not declare";
    PROBE_HEAD_MISMATCH: "probe-head-mismatch", Error, "HEAD answers with another status or Content-Type than GET, or with a body";
    PROBE_TIMEOUT: "probe-timeout", Error, "no response before the timeout";
    PROBE_CONNECTION_ERROR: "probe-connection-error", Error, "the connection failed or was reset";
    PROBE_REDIRECT_LOOP: "probe-redirect-loop", Error, "more than 5 redirects";
    PROBE_REQUEST_FAILED: "probe-request-failed", Error, "the request failed for another reason";
    PROBE_BODY_TOO_LARGE: "probe-body-too-large", Warning, "the body is larger than `--max-body`: reported, not validated";
    PROBE_UNEXPECTED_BODY: "probe-unexpected-body", Warning, "a body where the response declares none";
    PROBE_NO_CREDENTIALS: "probe-no-credentials", Warning, "secured operations need credentials that were not given, or every answer was 401/403: only the refusals were tested", request;
    PROBE_PATH_REFUSED: "probe-path-refused", Error, "a spec path that does not start with `/`, or whose URL leaves `--base-url`'s origin and path: not sent", request;
    PROBE_SKIPPED: "probe-skipped", Info, "not probed: no value for a required parameter, or a required body that is not JSON", request;
}
