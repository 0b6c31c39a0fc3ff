//! `probe`: drives a running server and checks every answer against the contract. Beyond one
//! request per operation built from the examples, it sends a small fixed set of variants chosen
//! from the schema (bounds at and past each end, optional parameters left out, values outside
//! an enum, missing fields, wrong types, malformed JSON), reads the ids the server lists and
//! creates, runs each resource's lifecycle, tests secured operations without and with wrong
//! credentials, and checks HTTP semantics (HEAD, 405 and `Allow`, bodiless 204/304, `Location`,
//! links). Works against any server. Deterministic for a seed, bounded by `--max-requests`,
//! with bounded concurrency, a timeout per request and a cap on bodies: a misbehaving server
//! yields findings, never a hang.

mod group;
mod judge;
mod request;
mod resources;
mod response;
mod run;
mod secrets;
mod target;
mod transport;
mod values;
mod variants;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::model::Contract;
use crate::report::Finding;

pub use request::{HeaderField, PlannedRequest};

/// Credentials and other request decorations.
#[derive(Debug, Clone, Default)]
pub struct ProbeAuth {
    /// Sent as `Authorization: Bearer …` when an operation accepts an http bearer scheme.
    pub bearer: Option<String>,
    /// `user:password`, for http basic schemes.
    pub basic: Option<String>,
    /// The value for every apiKey scheme (header, query or cookie, as the scheme says).
    pub api_key: Option<String>,
    /// Extra headers sent with every request.
    pub headers: Vec<(String, String)>,
}

impl ProbeAuth {
    /// Whether any credential was given (a flag, or a credential `--header`).
    pub(crate) fn any(&self, credential_headers: &secrets::CredentialHeaders) -> bool {
        self.bearer.is_some()
            || self.basic.is_some()
            || self.api_key.is_some()
            || self
                .headers
                .iter()
                .any(|(name, _)| credential_headers.contains(name))
    }
}

#[derive(Debug, Clone)]
pub struct ProbeOptions {
    pub base_url: String,
    /// Also send POST, PUT, PATCH and DELETE requests.
    pub include_unsafe: bool,
    pub concurrency: usize,
    pub timeout: Duration,
    /// Response bodies larger than this are reported and not validated.
    pub max_body_bytes: usize,
    /// Only these operations (operationId or `METHOD /path`), when not empty.
    pub only: Vec<String>,
    pub auth: ProbeAuth,
    pub format_assertions: bool,
    /// Send every request built from the examples this many times (a load smoke test).
    pub repeat: usize,
    /// Most requests of a run; the variants past it are listed as not exercised.
    pub max_requests: usize,
    /// Decides which variants go first when the budget is short, and the letter made-up strings
    /// are made of. Same seed, same requests.
    pub seed: u64,
    /// Only the requests built from the examples (no variants, ids, lifecycles, auth negatives
    /// or HTTP-semantics requests): the first release's behaviour.
    pub examples_only: bool,
}

/// The default `--max-requests`.
pub const DEFAULT_MAX_REQUESTS: usize = 300;

impl Default for ProbeOptions {
    fn default() -> Self {
        ProbeOptions {
            base_url: String::new(),
            include_unsafe: false,
            concurrency: 4,
            timeout: Duration::from_secs(10),
            max_body_bytes: 8 * 1024 * 1024,
            only: Vec::new(),
            auth: ProbeAuth::default(),
            format_assertions: true,
            repeat: 1,
            max_requests: DEFAULT_MAX_REQUESTS,
            seed: 0,
            examples_only: false,
        }
    }
}

/// What a run did for one operation.
#[derive(Debug, Clone, Default)]
pub struct OperationSummary {
    /// `GET /items/{id}`.
    pub operation: String,
    pub sent: usize,
    /// How often each status came back; failures (timeouts, resets) are not counted here.
    pub statuses: BTreeMap<u16, usize>,
    /// What was not exercised and why (unsafe without --include-unsafe, the request budget,
    /// no value for a parameter, no id for a lifecycle).
    pub not_exercised: Vec<String>,
}

/// What a probe run did, beside its findings.
#[derive(Debug, Clone, Default)]
pub struct ProbeStats {
    pub sent: usize,
    pub skipped: usize,
    pub elapsed: Duration,
    pub seed: u64,
    pub operations: Vec<OperationSummary>,
}

impl ProbeStats {
    pub fn requests_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.sent as f64 / secs
        } else {
            0.0
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("--base-url `{0}` is not an http(s) URL")]
    BadBaseUrl(String),
    #[error("--operation `{0}` names no operation of the spec (an operationId or `METHOD /path`)")]
    UnknownOperation(String),
    #[error("cannot start the probe: {0}")]
    Setup(String),
}

/// Probes every (selected) path operation of the contract.
pub fn probe(
    contract: &Contract,
    options: &ProbeOptions,
) -> Result<(Vec<Finding>, ProbeStats), ProbeError> {
    run::run(contract, options)
}
