//! The server under test, and the one place request URLs are made: a spec path is appended to
//! `--base-url` and the result must stay on the base's origin and under its path. A spec is
//! untrusted; without this check a path written `@other-host/x` turns the base's host into
//! user-info and sends the credentials to `other-host`.

use url::Url;

/// `--base-url`, parsed once.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    base: Url,
    /// The base URL's text without a trailing `/`, to which paths are appended verbatim (a spec
    /// path is already percent-encoded by the planner; `Url::join` would drop the base's path).
    prefix: String,
}

/// Why a path cannot be joined to the base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JoinError {
    /// OpenAPI paths start with `/`; anything else is refused rather than guessed at.
    NoLeadingSlash,
    /// The joined URL names another scheme, host, port or user, or leaves the base's path.
    LeavesBase(String),
}

impl std::fmt::Display for JoinError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JoinError::NoLeadingSlash => f.write_str("the path does not start with `/`"),
            JoinError::LeavesBase(why) => write!(f, "the path would leave --base-url: {why}"),
        }
    }
}

impl Target {
    /// `None` when `base` is not an absolute http(s) URL with a host.
    pub(crate) fn parse(base: &str) -> Option<Target> {
        let mut url = Url::parse(base).ok()?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return None;
        }
        url.set_fragment(None);
        url.set_query(None);
        let prefix = url.as_str().trim_end_matches('/').to_string();
        Some(Target { base: url, prefix })
    }

    /// The password of the base URL's user-info: a credential like any other.
    pub(crate) fn password(&self) -> Option<String> {
        self.base.password().map(str::to_string)
    }

    /// `base + path + ?query`, checked to stay on the base's origin, user and path.
    pub(crate) fn join(&self, path: &str, query: &str) -> Result<Url, JoinError> {
        if !path.starts_with('/') {
            return Err(JoinError::NoLeadingSlash);
        }
        let mut text = format!("{}{}", self.prefix, path);
        if !query.is_empty() {
            text.push('?');
            text.push_str(query);
        }
        let url = Url::parse(&text).map_err(|e| JoinError::LeavesBase(e.to_string()))?;
        if !self.same_origin(&url) {
            return Err(JoinError::LeavesBase(format!(
                "it names {}",
                url.origin().ascii_serialization()
            )));
        }
        if url.username() != self.base.username() || url.password() != self.base.password() {
            return Err(JoinError::LeavesBase(
                "it changes the user-info".to_string(),
            ));
        }
        let base_path = self.base.path().trim_end_matches('/');
        let under = url
            .path()
            .strip_prefix(base_path)
            .is_some_and(|rest| rest.starts_with('/'));
        if !under {
            return Err(JoinError::LeavesBase(format!(
                "its path `{}` is not under `{}/`",
                url.path(),
                base_path
            )));
        }
        Ok(url)
    }

    /// Scheme, host and port equal to the base's: credentials may go there, and nowhere else.
    pub(crate) fn same_origin(&self, url: &Url) -> bool {
        url.origin() == self.base.origin()
    }
}

/// A URL with its password (if any) shown as `***`.
pub(crate) fn shown_url(url: &Url) -> String {
    if url.password().is_some() {
        let mut shown = url.clone();
        if shown.set_password(Some("***")).is_ok() {
            return shown.to_string();
        }
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(base: &str) -> Target {
        Target::parse(base).expect("a valid base")
    }

    #[test]
    fn paths_are_appended_to_the_base_path() {
        let t = target("http://127.0.0.1:8080/v1/");
        let url = t.join("/pets/1", "a=b").expect("joined");
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/v1/pets/1?a=b");
        let t = target("http://127.0.0.1:8080");
        assert_eq!(
            t.join("/pets", "").expect("joined").as_str(),
            "http://127.0.0.1:8080/pets"
        );
    }

    #[test]
    fn a_path_that_names_another_host_is_refused() {
        let t = target("http://127.0.0.1:8080");
        // Appended verbatim this is http://127.0.0.1:8080@evil.example/x: user-info, then a host.
        assert_eq!(
            t.join("@evil.example/x", ""),
            Err(JoinError::NoLeadingSlash)
        );
        let t = target("http://api.example");
        assert!(matches!(
            t.join("/x", "").map(|u| u.host_str().map(str::to_string)),
            Ok(Some(h)) if h == "api.example"
        ));
    }

    #[test]
    fn a_path_that_climbs_out_of_the_base_path_is_refused() {
        let t = target("http://127.0.0.1:8080/v1");
        assert!(matches!(
            t.join("/../admin", ""),
            Err(JoinError::LeavesBase(_))
        ));
        assert!(matches!(
            t.join("/%2e%2e/admin", ""),
            Err(JoinError::LeavesBase(_))
        ));
        assert!(t.join("/v1x", "").is_ok(), "stays under /v1/");
    }

    #[test]
    fn only_http_bases_with_a_host() {
        assert!(Target::parse("ftp://example.com").is_none());
        assert!(Target::parse("file:///etc").is_none());
        assert!(Target::parse("not a url").is_none());
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let t = target("http://127.0.0.1:8080");
        let same = Url::parse("http://127.0.0.1:8080/other").expect("url");
        let port = Url::parse("http://127.0.0.1:8081/").expect("url");
        let scheme = Url::parse("https://127.0.0.1:8080/").expect("url");
        assert!(t.same_origin(&same));
        assert!(!t.same_origin(&port));
        assert!(!t.same_origin(&scheme));
    }

    #[test]
    fn passwords_in_the_base_are_not_shown() {
        let t = target("http://user:hunter22@127.0.0.1:8080/");
        assert_eq!(shown_url(&t.base), "http://user:***@127.0.0.1:8080/");
        assert_eq!(t.password().as_deref(), Some("hunter22"));
    }
}
