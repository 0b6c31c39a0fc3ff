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
    PROBE_UNDECLARED_CONTENT_TYPE: "probe-undeclared-content-type", Error, "the response's Content-Type is not declared for its status";
    PROBE_RESPONSE_INVALID: "probe-response-invalid", Error, "the response body does not match the response schema";
    PROBE_INVALID_JSON: "probe-invalid-json", Error, "a JSON response body does not parse";
    PROBE_MISSING_HEADER: "probe-missing-header", Error, "a required response header is missing";
    PROBE_HEADER_INVALID: "probe-header-invalid", Error, "a response header does not match its schema";
    PROBE_TIMEOUT: "probe-timeout", Error, "no response before the timeout";
    PROBE_CONNECTION_ERROR: "probe-connection-error", Error, "the connection failed";
    PROBE_REDIRECT_LOOP: "probe-redirect-loop", Error, "too many redirects";
    PROBE_REQUEST_FAILED: "probe-request-failed", Error, "the request failed for another reason";
    PROBE_BODY_TOO_LARGE: "probe-body-too-large", Warning, "the body is larger than `--max-body`: reported, not validated";
    PROBE_UNEXPECTED_BODY: "probe-unexpected-body", Warning, "a body where the response declares none";
    PROBE_PATH_REFUSED: "probe-path-refused", Error, "a spec path that does not start with `/`, or whose URL leaves `--base-url`'s origin and path: not sent", request;
    PROBE_SKIPPED: "probe-skipped", Info, "not probed: no value for a required parameter, or a required body that is not JSON", request;
}
