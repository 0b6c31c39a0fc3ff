//! Fetching documents over HTTP(S). A spec can name URLs (remote `$ref`s, `externalValue`s) and
//! a server can redirect, so every fetch is bounded: one deadline covers connecting, the
//! headers and the whole body (a server trickling a byte a second times out like a silent one),
//! bodies are capped, and addresses on loopback, private and link-local networks are refused
//! unless the user named that host or allowed them. One client (and its connection pool)
//! serves the whole load.

use std::error::Error as StdError;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Once};
use std::time::Duration;

use url::Url;

/// Options for reading from the network.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The deadline of each document: connecting, the headers and the whole body.
    pub timeout: Duration,
    /// Let documents name URLs whose host is on a loopback, private or link-local network
    /// (cloud metadata services, the runner's own services).
    pub allow_private_addresses: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            allow_private_addresses: false,
        }
    }
}

/// Why a URL was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error(
        "{host} is a loopback, private or link-local address ({address}); pass --allow-private-addresses to let documents name it"
    )]
    AddressRefused { host: String, address: IpAddr },
    #[error("larger than the {} limit", super::limits::describe_bytes(*limit))]
    TooLarge { limit: u64 },
    #[error("timed out after {} s", seconds)]
    TimedOut { seconds: u64 },
    #[error("HTTP {0}")]
    Status(String),
    #[error("the server returned an HTML page, not a JSON or YAML document")]
    Html,
    #[error("{0}")]
    Failed(String),
}

/// Which hosts may be on private networks: those the user named, or all when allowed.
#[derive(Debug, Clone, Default)]
struct AddressPolicy {
    allow_private: bool,
    trusted_hosts: Vec<String>,
}

impl AddressPolicy {
    fn refuses(&self, host: &str, address: IpAddr) -> bool {
        !self.allow_private
            && !is_public(address)
            && !self
                .trusted_hosts
                .iter()
                .any(|h| h.eq_ignore_ascii_case(host))
    }
}

/// A refusal raised inside the client (by the resolver or the redirect policy), found again in
/// the error's source chain.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{host} resolves to {address}, a loopback, private or link-local address")]
struct Refused {
    host: String,
    address: IpAddr,
}

/// The HTTP side of a load: built on the first URL, then reused.
pub struct Fetcher {
    options: FetchOptions,
    policy: Arc<std::sync::RwLock<AddressPolicy>>,
    client: Option<(tokio::runtime::Runtime, reqwest::Client)>,
}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Fetcher {
        let policy = AddressPolicy {
            allow_private: options.allow_private_addresses,
            trusted_hosts: Vec::new(),
        };
        Fetcher {
            options,
            policy: Arc::new(std::sync::RwLock::new(policy)),
            client: None,
        }
    }

    /// The user named this URL (on the command line): its host may be on any network, and so
    /// may the documents it names on that host.
    pub fn trust_host_of(&mut self, url: &Url) {
        if let Some(host) = url.host_str()
            && let Ok(mut policy) = self.policy.write()
        {
            policy.trusted_hosts.push(host.to_string());
        }
    }

    /// Reads `url` within the deadline, refusing bodies over `limit` bytes.
    pub fn fetch(&mut self, url: &Url, limit: u64) -> Result<Vec<u8>, FetchError> {
        self.check_literal_address(url)?;
        let timeout = self.options.timeout;
        let (runtime, client) = self.client()?;
        let request = client.get(url.clone()).send();
        let result = runtime.block_on(async {
            tokio::time::timeout(timeout, async {
                let mut response = request.await.map_err(|e| describe(&e))?;
                let status = response.status();
                if !status.is_success() {
                    return Err(FetchError::Status(status.to_string()));
                }
                let is_html = response
                    .headers()
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|ct| ct.starts_with("text/html"));
                if response.content_length().is_some_and(|len| len > limit) {
                    return Err(FetchError::TooLarge { limit });
                }
                let mut body = Vec::new();
                while let Some(chunk) = response.chunk().await.map_err(|e| describe(&e))? {
                    if body.len() as u64 + chunk.len() as u64 > limit {
                        return Err(FetchError::TooLarge { limit });
                    }
                    body.extend_from_slice(&chunk);
                }
                if is_html || looks_like_html(&body) {
                    return Err(FetchError::Html);
                }
                Ok(body)
            })
            .await
        });
        result.unwrap_or(Err(FetchError::TimedOut {
            seconds: timeout.as_secs(),
        }))
    }

    /// A URL written with an IP address does not go through the resolver.
    fn check_literal_address(&self, url: &Url) -> Result<(), FetchError> {
        let address = match url.host() {
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
            _ => return Ok(()),
        };
        let host = url.host_str().unwrap_or_default();
        match self.policy.read() {
            Ok(policy) if policy.refuses(host, address) => Err(FetchError::AddressRefused {
                host: host.to_string(),
                address,
            }),
            _ => Ok(()),
        }
    }

    fn client(&mut self) -> Result<&(tokio::runtime::Runtime, reqwest::Client), FetchError> {
        if self.client.is_none() {
            self.client = Some(build_client(&self.options, &self.policy)?);
        }
        self.client
            .as_ref()
            .ok_or_else(|| FetchError::Failed("no HTTP client".into()))
    }
}

fn build_client(
    options: &FetchOptions,
    policy: &Arc<std::sync::RwLock<AddressPolicy>>,
) -> Result<(tokio::runtime::Runtime, reqwest::Client), FetchError> {
    ensure_tls_provider();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| FetchError::Failed(format!("cannot start the HTTP runtime: {e}")))?;
    let redirect_policy = Arc::clone(policy);
    let client = reqwest::Client::builder()
        .connect_timeout(options.timeout.min(Duration::from_secs(10)))
        .redirect(reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                return attempt.error("too many redirects");
            }
            let url = attempt.url();
            let address = match url.host() {
                Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
                Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
                _ => None,
            };
            let host = url.host_str().unwrap_or_default().to_string();
            if let Some(address) = address
                && redirect_policy
                    .read()
                    .is_ok_and(|p| p.refuses(&host, address))
            {
                return attempt.error(Refused { host, address });
            }
            attempt.follow()
        }))
        .dns_resolver(CheckingResolver {
            policy: Arc::clone(policy),
        })
        .user_agent(concat!("oaskit/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| FetchError::Failed(format!("cannot build an HTTP client: {e}")))?;
    Ok((runtime, client))
}

/// Resolves names with the system resolver and drops the addresses the policy refuses, so a
/// name cannot lead a request to the runner's private network, whether it is in the spec or
/// in a redirect.
struct CheckingResolver {
    policy: Arc<std::sync::RwLock<AddressPolicy>>,
}

impl reqwest::dns::Resolve for CheckingResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = Arc::clone(&self.policy);
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let policy = policy
                .read()
                .map(|p| p.clone())
                .unwrap_or_else(|_| AddressPolicy::default());
            let allowed: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| !policy.refuses(&host, a.ip()))
                .collect();
            match (allowed.is_empty(), found.first()) {
                (true, Some(first)) => Err(Box::new(Refused {
                    host,
                    address: first.ip(),
                }) as Box<dyn StdError + Send + Sync>),
                _ => Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs),
            }
        })
    }
}

/// Whether an address is on the public internet: not loopback, private, link-local,
/// unspecified, shared (CGNAT), multicast or documentation space, including IPv4 addresses
/// written as IPv6.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(ip) => {
            let [a, b, ..] = ip.octets();
            !(ip.is_loopback()
                || ip.is_private()
                || ip.is_link_local()
                || ip.is_unspecified()
                || ip.is_broadcast()
                || ip.is_multicast()
                || ip.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && ip.octets()[2] == 0)
                || a >= 240)
        }
        IpAddr::V6(ip) => {
            if let Some(v4) = ip.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = ip.segments()[0];
            !(ip.is_loopback()
                || ip.is_unspecified()
                || ip.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
                || (first & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (ip.segments()[..6] == [0x64, 0xff9b, 0, 0, 0, 0]
                    && !is_public(IpAddr::V4(std::net::Ipv4Addr::from(
                        (u32::from(ip.segments()[6]) << 16) | u32::from(ip.segments()[7]),
                    )))))
        }
    }
}

fn describe(error: &reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(refused) = e.downcast_ref::<Refused>() {
            return FetchError::AddressRefused {
                host: refused.host.clone(),
                address: refused.address,
            };
        }
        source = e.source();
    }
    if error.is_redirect() {
        FetchError::Failed("too many redirects".into())
    } else if error.is_connect() {
        FetchError::Failed(format!("cannot connect: {error}"))
    } else {
        FetchError::Failed(error.to_string())
    }
}

/// Installs rustls' ring provider once per process: every HTTP client (loading, probing) needs
/// one before it is built, and reqwest is compiled without a default provider.
pub fn ensure_tls_provider() {
    static INSTALL_PROVIDER: Once = Once::new();
    INSTALL_PROVIDER.call_once(|| {
        // Fails only when another provider is already installed, which is just as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

fn looks_like_html(body: &[u8]) -> bool {
    let start: Vec<u8> = body
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take(15)
        .collect();
    let lower = String::from_utf8_lossy(&start).to_ascii_lowercase();
    lower.starts_with("<!doctype html") || lower.starts_with("<html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_told_from_public_ones() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
        ] {
            let ip: IpAddr = private.parse().unwrap();
            assert!(!is_public(ip), "{private}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1::", "::ffff:8.8.8.8"] {
            let ip: IpAddr = public.parse().unwrap();
            assert!(is_public(ip), "{public}");
        }
    }

    #[test]
    fn named_hosts_are_trusted() {
        let policy = AddressPolicy {
            allow_private: false,
            trusted_hosts: vec!["localhost".into()],
        };
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(!policy.refuses("localhost", loopback));
        assert!(policy.refuses("evil.example", loopback));
        let open = AddressPolicy {
            allow_private: true,
            trusted_hosts: Vec::new(),
        };
        assert!(!open.refuses("evil.example", loopback));
    }

    #[test]
    fn html_is_recognised() {
        assert!(looks_like_html(b"  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<HTML>"));
        assert!(!looks_like_html(b"openapi: 3.1.0"));
    }
}
