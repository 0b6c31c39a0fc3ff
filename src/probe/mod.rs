//! `probe`: drives a running server with requests built from the spec's examples and checks
//! each response against the contract: status declared, content type declared, headers and body
//! valid against the response view of their schemas. Works against any server. Bounded
//! concurrency, a timeout per request, a cap on response bodies: a misbehaving server yields
//! findings, never a hang.

mod request;
mod response;
mod secrets;
mod target;
mod transport;

use crate::catalogue::probe as rule;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::redirect::Policy;

use crate::model::{Contract, OperationKind};
use crate::report::{Finding, Level};
use crate::validate::schema_export::{CompiledSchemas, ExportOptions, View};

pub use request::{HeaderField, PlannedRequest};
use secrets::{CredentialHeaders, Redactor};
use target::Target;
use transport::Transport;
pub(crate) use transport::{FailureKind, Outcome};

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
    /// Send every planned request this many times (a load smoke test; throughput figures).
    pub repeat: usize,
}

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
        }
    }
}

/// What a probe run did, beside its findings.
#[derive(Debug, Clone, Default)]
pub struct ProbeStats {
    pub sent: usize,
    pub skipped: usize,
    pub elapsed: Duration,
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
    #[error("cannot start the probe: {0}")]
    Setup(String),
}

/// Probes every (selected) path operation of the contract.
pub fn probe(
    contract: &Contract,
    options: &ProbeOptions,
) -> Result<(Vec<Finding>, ProbeStats), ProbeError> {
    let credential_headers = CredentialHeaders::of(contract);
    let Some(target) = Target::parse(&options.base_url) else {
        let redactor = Redactor::new(&options.auth, &credential_headers, None);
        return Err(ProbeError::BadBaseUrl(
            redactor.scrub(&options.base_url).into_owned(),
        ));
    };
    let redactor = Redactor::new(&options.auth, &credential_headers, target.password());
    let mut findings = Vec::new();
    let mut stats = ProbeStats::default();
    let mut plans = Vec::new();
    for op in contract
        .operations
        .iter()
        .filter(|o| o.kind == OperationKind::Path)
    {
        if !options.only.is_empty()
            && !options
                .only
                .iter()
                .any(|s| op.operation_id.as_deref() == Some(s) || *s == op.label())
        {
            continue;
        }
        if !op.method.is_safe() && !options.include_unsafe {
            stats.skipped += 1;
            continue;
        }
        match request::plan(contract, op, &target, &options.auth, &credential_headers) {
            Ok(plan) => {
                for _ in 1..options.repeat.max(1) {
                    plans.push(plan.clone());
                }
                plans.push(plan);
            }
            Err(request::NotPlanned::NoValue(reason)) => {
                stats.skipped += 1;
                findings.push(
                    Finding::new(
                        rule::PROBE_SKIPPED.id,
                        Level::Info,
                        format!("not probed: {reason}"),
                    )
                    .with_operation(op.label())
                    .at(contract.location(&op.loc)),
                );
            }
            Err(request::NotPlanned::Refused(why)) => {
                stats.skipped += 1;
                findings.push(
                    Finding::new(
                        rule::PROBE_PATH_REFUSED.id,
                        Level::Error,
                        format!("not probed: {why}; no request was sent"),
                    )
                    .with_operation(op.label())
                    .at(contract.location(&op.loc)),
                );
            }
        }
    }

    let roots: Vec<_> = contract
        .operations
        .iter()
        .flat_map(|op| op.responses.iter())
        .flat_map(|r| {
            r.content
                .values()
                .filter_map(|m| m.schema)
                .chain(r.headers.values().filter_map(|h| h.schema))
        })
        .map(|id| (id, View::Response))
        .collect();
    let export = ExportOptions::for_contract(contract, options.format_assertions);
    let schemas = CompiledSchemas::new(&contract.types, roots, export);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ProbeError::Setup(e.to_string()))?;
    crate::load::source::ensure_tls_provider();
    let client = reqwest::Client::builder()
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .redirect(Policy::none())
        .user_agent(concat!("oaskit-probe/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ProbeError::Setup(e.to_string()))?;
    let transport = Transport {
        client,
        target: Arc::new(target),
        max_body: options.max_body_bytes,
    };
    let start = Instant::now();
    let exchanges = runtime.block_on(transport.send_all(plans, options.concurrency));
    stats.elapsed = start.elapsed();
    stats.sent = exchanges.len();
    for (plan, outcome) in exchanges {
        let op = &contract.operations[plan.operation_index];
        findings.extend(response::check(contract, op, &plan, &outcome, &schemas));
    }
    for finding in &mut findings {
        redactor.scrub_finding(finding);
    }
    Ok((findings, stats))
}
