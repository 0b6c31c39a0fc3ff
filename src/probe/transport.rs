//! Sending planned requests: bounded concurrency, a timeout per request, a cap on bodies, and
//! redirects followed by hand so that credentials never reach another origin (reqwest's own
//! policy keeps a custom API-key header, and compares each hop with the previous one only).

use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use url::Url;

use super::request::{HeaderField, PlannedRequest};
use super::target::Target;

/// Hops followed before a redirect chain is reported as a loop.
const MAX_REDIRECTS: usize = 5;

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

/// The client every request of a run goes through.
#[derive(Clone)]
pub(crate) struct Transport {
    pub(crate) client: reqwest::Client,
    pub(crate) target: Arc<Target>,
    pub(crate) max_body: usize,
}

impl Transport {
    pub(crate) async fn send_all(
        &self,
        plans: Vec<PlannedRequest>,
        concurrency: usize,
    ) -> Vec<(PlannedRequest, Outcome)> {
        let permits = Arc::new(Semaphore::new(concurrency.max(1)));
        let mut tasks = JoinSet::new();
        for (index, plan) in plans.into_iter().enumerate() {
            let transport = self.clone();
            let permits = Arc::clone(&permits);
            tasks.spawn(async move {
                // The semaphore is never closed, so acquiring cannot fail; if it ever did,
                // sending without a permit is still correct, only less polite.
                let _permit = permits.acquire_owned().await.ok();
                let outcome = transport.send(&plan).await;
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

    /// Sends one request, following up to five redirects. A hop to another origin drops every
    /// credential header for the rest of the chain; 303 (and 301/302 after a POST) continue as
    /// a GET without a body, as browsers and curl do.
    pub(crate) async fn send(&self, plan: &PlannedRequest) -> Outcome {
        let mut method = match reqwest::Method::from_bytes(plan.method.as_bytes()) {
            Ok(m) => m,
            Err(e) => {
                return Outcome::Failed {
                    kind: FailureKind::Other,
                    detail: e.to_string(),
                };
            }
        };
        let mut url = plan.url.clone();
        let mut headers: Vec<HeaderField> = plan.headers.clone();
        let mut body = plan.body.clone();
        for hop in 0..=MAX_REDIRECTS {
            let mut request = self.client.request(method.clone(), url.clone());
            for h in &headers {
                match (
                    HeaderName::from_bytes(h.name.as_bytes()),
                    HeaderValue::from_str(&h.value),
                ) {
                    (Ok(name), Ok(value)) => request = request.header(name, value),
                    _ => {
                        return Outcome::Failed {
                            kind: FailureKind::Other,
                            detail: format!("the header `{}` cannot be sent as given", h.name),
                        };
                    }
                }
            }
            if let Some(bytes) = &body {
                request = request.body(bytes.clone());
            }
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) => return failure(&e),
            };
            let status = response.status().as_u16();
            let next = redirect_target(&url, status, response.headers());
            let Some(next) = next else {
                return self.read(response).await;
            };
            if hop == MAX_REDIRECTS {
                return Outcome::Failed {
                    kind: FailureKind::Redirects,
                    detail: format!("more than {MAX_REDIRECTS} redirects, the last to {next}"),
                };
            }
            if !self.target.same_origin(&next) {
                headers.retain(|h| !h.credential);
            }
            if status == 303 || (matches!(status, 301 | 302) && method == reqwest::Method::POST) {
                method = reqwest::Method::GET;
                body = None;
                headers.retain(|h| !h.name.eq_ignore_ascii_case("content-type"));
            }
            url = next;
        }
        Outcome::Failed {
            kind: FailureKind::Redirects,
            detail: "too many redirects".to_string(),
        }
    }

    async fn read(&self, mut response: reqwest::Response) -> Outcome {
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
            .is_some_and(|len| len > self.max_body as u64)
        {
            return Outcome::TooLarge {
                status,
                limit: self.max_body,
            };
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.max_body {
                        return Outcome::TooLarge {
                            status,
                            limit: self.max_body,
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
}

/// Where a redirect response points, when it is one probe follows: a 3xx with a `Location`
/// that resolves to an http(s) URL.
fn redirect_target(
    current: &Url,
    status: u16,
    headers: &reqwest::header::HeaderMap,
) -> Option<Url> {
    if !matches!(status, 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = headers.get(reqwest::header::LOCATION)?.to_str().ok()?;
    let next = current.join(location).ok()?;
    matches!(next.scheme(), "http" | "https").then_some(next)
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
