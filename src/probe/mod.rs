//! `probe`: drives a running server with requests built from the spec's examples and checks
//! each response against the contract: status declared, content type declared, headers and body
//! valid against the response view of their schemas. Works against any server. Bounded
//! concurrency, a timeout per request, a cap on response bodies: a misbehaving server yields
//! findings, never a hang.

mod request;
mod response;

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::redirect::Policy;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::model::{Contract, OperationKind};
use crate::report::{Finding, Level};
use crate::validate::schema_export::{CompiledSchemas, ExportOptions, View};

pub use request::PlannedRequest;

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
    let base = url::Url::parse(&options.base_url)
        .map_err(|_| ProbeError::BadBaseUrl(options.base_url.clone()))?;
    if !matches!(base.scheme(), "http" | "https") {
        return Err(ProbeError::BadBaseUrl(options.base_url.clone()));
    }
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
        match request::plan(contract, op, &options.base_url, &options.auth) {
            Ok(plan) => {
                for _ in 1..options.repeat.max(1) {
                    plans.push(plan.clone());
                }
                plans.push(plan);
            }
            Err(reason) => {
                stats.skipped += 1;
                findings.push(
                    Finding::new(
                        "probe-skipped",
                        Level::Info,
                        format!("not probed: {reason}"),
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
        .redirect(Policy::limited(5))
        .user_agent(concat!("oaskit-probe/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ProbeError::Setup(e.to_string()))?;
    let start = Instant::now();
    let exchanges = runtime.block_on(send_all(
        client,
        plans,
        options.concurrency.max(1),
        options.max_body_bytes,
    ));
    stats.elapsed = start.elapsed();
    stats.sent = exchanges.len();
    for (plan, outcome) in exchanges {
        let op = &contract.operations[plan.operation_index];
        findings.extend(response::check(contract, op, &plan, &outcome, &schemas));
    }
    Ok((findings, stats))
}

/// What came back for one request.
#[derive(Debug)]
pub(crate) enum Outcome {
    Response {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    TooLarge {
        status: u16,
        limit: usize,
    },
    Failed {
        kind: FailureKind,
        detail: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureKind {
    Timeout,
    Connection,
    Redirects,
    Other,
}

async fn send_all(
    client: reqwest::Client,
    plans: Vec<PlannedRequest>,
    concurrency: usize,
    max_body: usize,
) -> Vec<(PlannedRequest, Outcome)> {
    let permits = Arc::new(Semaphore::new(concurrency));
    let mut tasks = JoinSet::new();
    for (index, plan) in plans.into_iter().enumerate() {
        let client = client.clone();
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            // The semaphore is never closed, so acquiring cannot fail; if it ever did, sending
            // without a permit is still correct, only less polite.
            let _permit = permits.acquire_owned().await.ok();
            let outcome = send_one(&client, &plan, max_body).await;
            (index, plan, outcome)
        });
    }
    let mut done = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        if let Ok(result) = joined {
            done.push(result);
        }
    }
    done.sort_by_key(|(index, _, _)| *index);
    done.into_iter()
        .map(|(_, plan, outcome)| (plan, outcome))
        .collect()
}

async fn send_one(client: &reqwest::Client, plan: &PlannedRequest, max_body: usize) -> Outcome {
    let method = match reqwest::Method::from_bytes(plan.method.as_bytes()) {
        Ok(m) => m,
        Err(e) => {
            return Outcome::Failed {
                kind: FailureKind::Other,
                detail: e.to_string(),
            };
        }
    };
    let mut request = client.request(method, &plan.url);
    for (name, value) in &plan.headers {
        request = request.header(name, value);
    }
    if let Some(body) = &plan.body {
        request = request.body(body.clone());
    }
    let mut response = match request.send().await {
        Ok(r) => r,
        Err(e) => return failure(&e),
    };
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    if response
        .content_length()
        .is_some_and(|len| len > max_body as u64)
    {
        return Outcome::TooLarge {
            status,
            limit: max_body,
        };
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > max_body {
                    return Outcome::TooLarge {
                        status,
                        limit: max_body,
                    };
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => return failure(&e),
        }
    }
    Outcome::Response {
        status,
        headers,
        body,
    }
}

fn failure(e: &reqwest::Error) -> Outcome {
    let kind = if e.is_timeout() {
        FailureKind::Timeout
    } else if e.is_redirect() {
        FailureKind::Redirects
    } else if e.is_connect() || e.is_request() || e.is_body() {
        FailureKind::Connection
    } else {
        FailureKind::Other
    };
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        source = s.source();
    }
    Outcome::Failed { kind, detail }
}
