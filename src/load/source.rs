//! Where a document comes from (a path, stdin, a URL, a git revision) and how its bytes are read.
//! Relative `$ref`s resolve against the origin of the document that contains them.

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::Once;
use std::time::Duration;

use url::Url;

/// The largest document oaskit reads, from any source: far above any real spec (Microsoft Graph
/// is 20 MB), low enough that a hostile server cannot exhaust memory.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

/// The place a document was read from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    Path(PathBuf),
    Stdin,
    Url(Url),
    /// `git show REV:path`, with `path` relative to the repository root.
    Git {
        rev: String,
        path: String,
    },
}

impl Origin {
    /// Reads a SPEC argument: `-`, an `http(s)://` URL, an existing path, or `REV:path`.
    pub fn from_arg(arg: &str) -> Origin {
        if arg == "-" {
            return Origin::Stdin;
        }
        if (arg.starts_with("http://") || arg.starts_with("https://"))
            && let Ok(url) = Url::parse(arg)
        {
            return Origin::Url(url);
        }
        let path = Path::new(arg);
        if !path.exists()
            && let Some((rev, file)) = arg.split_once(':')
            && !file.is_empty()
            && looks_like_rev(rev)
        {
            return Origin::Git {
                rev: rev.to_string(),
                path: file.to_string(),
            };
        }
        Origin::Path(path.to_path_buf())
    }

    /// The name shown in messages: the path or URL as given, `REV:path`, or `<stdin>`.
    pub fn display_name(&self) -> String {
        match self {
            Origin::Path(p) => p.display().to_string(),
            Origin::Stdin => "<stdin>".to_string(),
            Origin::Url(u) => u.to_string(),
            Origin::Git { rev, path } => format!("{rev}:{path}"),
        }
    }

    pub fn is_remote(&self) -> bool {
        matches!(self, Origin::Url(_))
    }

    /// The origin of `reference` (the part of a `$ref` before `#`) written inside this document.
    pub fn join(&self, reference: &str) -> Result<Origin, String> {
        if reference.starts_with("http://") || reference.starts_with("https://") {
            return Url::parse(reference)
                .map(Origin::Url)
                .map_err(|e| format!("bad URL `{reference}`: {e}"));
        }
        if reference.contains("://") {
            return Err(format!("unsupported URL scheme in `{reference}`"));
        }
        match self {
            Origin::Url(base) => base
                .join(reference)
                .map(Origin::Url)
                .map_err(|e| format!("cannot resolve `{reference}` against {base}: {e}")),
            Origin::Path(p) => {
                let dir = p.parent().unwrap_or(Path::new(""));
                Ok(Origin::Path(normalize(&dir.join(reference))))
            }
            Origin::Stdin => Ok(Origin::Path(normalize(Path::new(reference)))),
            Origin::Git { rev, path } => {
                let dir = Path::new(path).parent().unwrap_or(Path::new(""));
                let joined = normalize(&dir.join(reference));
                Ok(Origin::Git {
                    rev: rev.clone(),
                    path: joined.to_string_lossy().replace('\\', "/"),
                })
            }
        }
    }
}

fn looks_like_rev(rev: &str) -> bool {
    // `origin/main`, `refs/tags/v1`: revisions may contain slashes, paths to files seldom
    // contain a colon. Anything with a slash before the colon is taken as a revision too.
    !rev.is_empty() && !rev.starts_with('.') && !rev.starts_with('/')
}

/// `a/b/../c` → `a/c`, without touching the file system (the file may not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Options for reading from the network.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub timeout: Duration,
    pub max_bytes: u64,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            max_bytes: MAX_DOCUMENT_BYTES,
        }
    }
}

/// Reads the bytes of a document.
pub fn read_bytes(origin: &Origin, fetch: &FetchOptions) -> Result<Vec<u8>, String> {
    match origin {
        Origin::Path(path) => read_file(path),
        Origin::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_DOCUMENT_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            check_size(buf.len() as u64, MAX_DOCUMENT_BYTES)?;
            Ok(buf)
        }
        Origin::Url(url) => fetch_url(url, fetch),
        Origin::Git { rev, path } => git_show(rev, path),
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        _ => e.to_string(),
    })?;
    if meta.is_dir() {
        return Err("is a directory, not a spec file".to_string());
    }
    check_size(meta.len(), MAX_DOCUMENT_BYTES)?;
    std::fs::read(path).map_err(|e| e.to_string())
}

fn check_size(len: u64, max: u64) -> Result<(), String> {
    if len > max {
        Err(format!("larger than the {} MiB limit", max / (1024 * 1024)))
    } else {
        Ok(())
    }
}

fn git_show(rev: &str, path: &str) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("show")
        .arg(format!("{rev}:{path}"))
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git show {rev}:{path} failed: {}", stderr.trim()));
    }
    Ok(output.stdout)
}

fn fetch_url(url: &Url, options: &FetchOptions) -> Result<Vec<u8>, String> {
    ensure_tls_provider();
    let client = reqwest::blocking::Client::builder()
        .timeout(options.timeout)
        .connect_timeout(options.timeout.min(Duration::from_secs(10)))
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!("oaskit/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
    let response = client
        .get(url.clone())
        .send()
        .map_err(|e| describe_reqwest_error(&e))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    let is_html = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if let Some(len) = response.content_length() {
        check_size(len, options.max_bytes)?;
    }
    let mut body = Vec::new();
    response
        .take(options.max_bytes + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("reading the response failed: {e}"))?;
    check_size(body.len() as u64, options.max_bytes)?;
    if is_html || looks_like_html(&body) {
        return Err("the server returned an HTML page, not a JSON or YAML document".to_string());
    }
    Ok(body)
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

fn describe_reqwest_error(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        format!("cannot connect: {e}")
    } else if e.is_redirect() {
        "too many redirects".to_string()
    } else {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_classified() {
        assert_eq!(Origin::from_arg("-"), Origin::Stdin);
        assert!(matches!(
            Origin::from_arg("https://example.com/a.yaml"),
            Origin::Url(_)
        ));
        assert_eq!(
            Origin::from_arg("origin/main:api/openapi.yaml"),
            Origin::Git {
                rev: "origin/main".into(),
                path: "api/openapi.yaml".into()
            }
        );
        assert_eq!(
            Origin::from_arg("HEAD~1:openapi.yaml"),
            Origin::Git {
                rev: "HEAD~1".into(),
                path: "openapi.yaml".into()
            }
        );
        assert_eq!(
            Origin::from_arg("specs/x.yaml"),
            Origin::Path("specs/x.yaml".into())
        );
    }

    #[test]
    fn relative_refs_join_each_origin_kind() {
        let p = Origin::Path("api/openapi.yaml".into());
        assert_eq!(
            p.join("./schemas/pet.yaml").ok(),
            Some(Origin::Path("api/schemas/pet.yaml".into()))
        );
        assert_eq!(
            p.join("../common.yaml").ok(),
            Some(Origin::Path("common.yaml".into()))
        );
        let g = Origin::Git {
            rev: "HEAD".into(),
            path: "api/openapi.yaml".into(),
        };
        assert_eq!(
            g.join("schemas/a.yaml").ok(),
            Some(Origin::Git {
                rev: "HEAD".into(),
                path: "api/schemas/a.yaml".into()
            })
        );
        let u = Origin::Url(
            Url::parse("https://example.com/api/openapi.yaml").unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(
            u.join("pet.yaml").ok().map(|o| o.display_name()),
            Some("https://example.com/api/pet.yaml".into())
        );
        assert!(p.join("ftp://x/y").is_err());
    }

    #[test]
    fn html_is_recognised() {
        assert!(looks_like_html(b"  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<HTML>"));
        assert!(!looks_like_html(b"openapi: 3.1.0"));
    }
}
