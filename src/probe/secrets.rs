//! Credentials given to probe go into the requests they are meant for and nowhere else: reports
//! (messages, curl lines, body excerpts, error texts) show them as `***`. probe runs in CI logs
//! and PR comments that strangers read, so a token must not survive into any of them.
//!
//! Two layers: where probe itself places a credential (a header, a query pair, a cookie) the
//! place is marked and shown as `***` whatever the value; and every text that leaves probe is
//! scrubbed of the credential values, in case a server or an error message echoes one.

use std::borrow::Cow;

use super::ProbeAuth;
use crate::model::{Contract, ParameterLocation, SecurityScheme};
use crate::report::Finding;

/// What a redacted value is shown as.
pub(crate) const MASK: &str = "***";

/// Free text is scrubbed of credentials at least this long; shorter ones (which are no secret
/// anyway) are still masked wherever probe placed them itself.
const MIN_SCRUBBED_LEN: usize = 4;

/// Header names whose values are credentials: the fixed ones and the header of every apiKey
/// scheme of the spec.
#[derive(Debug, Clone, Default)]
pub(crate) struct CredentialHeaders {
    scheme_headers: Vec<String>,
}

impl CredentialHeaders {
    pub(crate) fn of(contract: &Contract) -> CredentialHeaders {
        let scheme_headers = contract
            .security_schemes
            .values()
            .filter_map(|scheme| match scheme {
                SecurityScheme::ApiKey {
                    name,
                    location: ParameterLocation::Header,
                    ..
                } => Some(name.clone()),
                _ => None,
            })
            .collect();
        CredentialHeaders { scheme_headers }
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        ["authorization", "proxy-authorization", "cookie"]
            .iter()
            .any(|fixed| name.eq_ignore_ascii_case(fixed))
            || self
                .scheme_headers
                .iter()
                .any(|h| h.eq_ignore_ascii_case(name))
    }
}

/// Every credential value of one run, longest first, to scrub text with.
#[derive(Debug, Clone, Default)]
pub(crate) struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    pub(crate) fn new(
        auth: &ProbeAuth,
        credential_headers: &CredentialHeaders,
        base_password: Option<String>,
    ) -> Redactor {
        let mut secrets = Vec::new();
        let mut add = |value: &str| {
            let value = value.trim();
            if value.len() >= MIN_SCRUBBED_LEN && !secrets.iter().any(|s| s == value) {
                secrets.push(value.to_string());
                // As it travels in a query string or a redirect's URL.
                let encoded = super::request::encode_query(value);
                if encoded != value {
                    secrets.push(encoded);
                }
            }
        };
        if let Some(token) = &auth.bearer {
            add(token);
        }
        if let Some(pair) = &auth.basic {
            add(pair);
            add(&super::request::base64(pair.as_bytes()));
            if let Some((_, password)) = pair.split_once(':') {
                add(password);
            }
        }
        if let Some(key) = &auth.api_key {
            add(key);
        }
        for (name, value) in &auth.headers {
            if credential_headers.contains(name) {
                add(value);
                // `Bearer abc`, `Basic abc`: the part after the scheme too.
                if let Some((_, rest)) = value.split_once(' ') {
                    add(rest);
                }
                // Cookies: each value.
                for pair in value.split(';') {
                    if let Some((_, v)) = pair.split_once('=') {
                        add(v);
                    }
                }
            }
        }
        if let Some(password) = base_password {
            add(&password);
        }
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Redactor { secrets }
    }

    /// `text` with every credential replaced by `***`.
    pub(crate) fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = Cow::Owned(out.replace(secret.as_str(), MASK));
            }
        }
        out
    }

    /// Scrubs every text of a finding.
    pub(crate) fn scrub_finding(&self, finding: &mut Finding) {
        if let Cow::Owned(text) = self.scrub(&finding.message) {
            finding.message = text;
        }
        if let Some(help) = &finding.help
            && let Cow::Owned(text) = self.scrub(help)
        {
            finding.help = Some(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> ProbeAuth {
        ProbeAuth {
            bearer: Some("tok-123456".into()),
            basic: Some("alice:s3cret!".into()),
            api_key: Some("key/with+chars".into()),
            headers: vec![
                ("Cookie".into(), "session=abcdef; theme=dark".into()),
                ("X-Trace".into(), "visible-value".into()),
            ],
        }
    }

    #[test]
    fn every_credential_form_is_scrubbed() {
        let r = Redactor::new(&auth(), &CredentialHeaders::default(), None);
        let text =
            "tok-123456 YWxpY2U6czNjcmV0IQ== s3cret! key%2Fwith%2Bchars abcdef visible-value";
        assert_eq!(
            r.scrub(text),
            "*** *** *** *** *** visible-value",
            "the basic pair's base64, the bare password, the encoded key and a cookie value"
        );
    }

    #[test]
    fn scheme_headers_are_credentials() {
        let mut headers = CredentialHeaders::default();
        assert!(headers.contains("AUTHORIZATION"));
        assert!(headers.contains("proxy-authorization"));
        assert!(!headers.contains("X-Api-Key"));
        headers.scheme_headers.push("X-API-Key".into());
        assert!(headers.contains("x-api-key"));
    }

    #[test]
    fn short_values_are_not_scrubbed_from_free_text() {
        let auth = ProbeAuth {
            api_key: Some("1".into()),
            ..ProbeAuth::default()
        };
        let r = Redactor::new(&auth, &CredentialHeaders::default(), None);
        assert_eq!(r.scrub("status 201"), "status 201");
    }
}
